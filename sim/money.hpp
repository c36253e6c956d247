// Exact decimal amounts for billing rows and the truth report.
//
// Amounts are int64 counts of millionths ("micros", 6 decimals, the precision the billing API
// sends). They reach JSON as numbers, so a value is only used if the JSON text nlohmann writes
// for it is exactly its decimal text: then every client, whatever its number parser, reads back
// the same decimal the truth report adds up.
#pragma once

#include <cstdint>
#include <string>

namespace ccloud_sim {

constexpr int64_t kMicrosPerUnit = 1000000;

// Shortest decimal text of `micros` as JSON writes it: "12.5", "100.0", "0.000649".
std::string micros_json_text(int64_t micros);
// Fixed-point text with exactly `decimals` (0..6) decimals of a micros value already
// representable at that precision: fixed_text(123450000, 4) == "123.4500".
std::string fixed_text(int64_t micros, int decimals);
// Rounds micros to 4 decimals, ROUND_HALF_UP (ties away from zero), result still in micros.
int64_t quantize_to_4(int64_t micros);
// value × numerator / denominator rounded half-up (non-negative inputs).
int64_t scale_round(int64_t value, int64_t numerator, int64_t denominator);

// True when nlohmann::json(double) prints `micros` as micros_json_text(micros).
bool json_prints_exactly(int64_t micros);
// The smallest value ≥ micros that json_prints_exactly.
int64_t next_json_exact(int64_t micros);
// The JSON number for a micros value that json_prints_exactly.
double micros_to_double(int64_t micros);

}  // namespace ccloud_sim
