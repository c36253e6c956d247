#include "sim/money.hpp"

#include <cstdio>
#include <cstdlib>

#include <nlohmann/json.hpp>

namespace ccloud_sim {

std::string micros_json_text(int64_t micros) {
  const bool negative = micros < 0;
  const uint64_t magnitude =
      negative ? static_cast<uint64_t>(-(micros + 1)) + 1 : static_cast<uint64_t>(micros);
  std::string text = std::to_string(magnitude / kMicrosPerUnit);
  uint64_t fraction = magnitude % kMicrosPerUnit;
  if (fraction == 0) {
    text += ".0";
  } else {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%06llu", static_cast<unsigned long long>(fraction));
    std::string digits = buf;
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    text += "." + digits;
  }
  return negative ? "-" + text : text;
}

std::string fixed_text(int64_t micros, int decimals) {
  const bool negative = micros < 0;
  const uint64_t magnitude =
      negative ? static_cast<uint64_t>(-(micros + 1)) + 1 : static_cast<uint64_t>(micros);
  std::string text = std::to_string(magnitude / kMicrosPerUnit);
  if (decimals > 0) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%06llu",
                  static_cast<unsigned long long>(magnitude % kMicrosPerUnit));
    text += "." + std::string(buf, static_cast<size_t>(decimals > 6 ? 6 : decimals));
  }
  return negative ? "-" + text : text;
}

int64_t quantize_to_4(int64_t micros) {
  const int64_t step = 100;  // 0.0001 in micros
  const int64_t magnitude = micros < 0 ? -micros : micros;
  const int64_t rounded = (magnitude + step / 2) / step * step;
  return micros < 0 ? -rounded : rounded;
}

namespace {
__extension__ typedef __int128 Wide;  // GCC/Clang; keeps value × numerator from overflowing
}  // namespace

int64_t scale_round(int64_t value, int64_t numerator, int64_t denominator) {
  const Wide product = static_cast<Wide>(value) * numerator;
  return static_cast<int64_t>((product + denominator / 2) / denominator);
}

double micros_to_double(int64_t micros) {
  return static_cast<double>(micros) / static_cast<double>(kMicrosPerUnit);
}

bool json_prints_exactly(int64_t micros) {
  return nlohmann::json(micros_to_double(micros)).dump() == micros_json_text(micros);
}

int64_t next_json_exact(int64_t micros) {
  while (!json_prints_exactly(micros)) ++micros;
  return micros;
}

}  // namespace ccloud_sim
