#include "sim/options.hpp"

#include <cerrno>
#include <cstdlib>

#include "sim/sim_time.hpp"

namespace ccloud_sim {

std::string preset_name(Preset preset) {
  switch (preset) {
    case Preset::kSmall:
      return "small";
    case Preset::kMedium:
      return "medium";
    case Preset::kLarge:
      return "large";
  }
  return "small";
}

std::optional<Preset> parse_preset(const std::string& name) {
  if (name == "small") return Preset::kSmall;
  if (name == "medium") return Preset::kMedium;
  if (name == "large") return Preset::kLarge;
  return std::nullopt;
}

namespace {

std::optional<long long> to_integer(const std::string& text) {
  if (text.empty()) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') return std::nullopt;
  return value;
}

std::optional<unsigned long long> to_unsigned(const std::string& text) {
  if (text.empty() || text[0] == '-') return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const unsigned long long value = std::strtoull(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') return std::nullopt;
  return value;
}

std::optional<double> to_fraction(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (*end != '\0' || !(value >= 0.0 && value <= 1.0)) return std::nullopt;
  return value;
}

}  // namespace

std::string usage_text() {
  return R"(Usage: ccloud-sim [options]

A simulated Confluent Cloud organisation over HTTP (billing, org, cmk, connect, srcm, ksqldbcm,
fcpm, Flink statements, iam) plus a Prometheus-compatible telemetry API (/api/v1/query_range,
/api/v1/query), generated deterministically from --seed. GET /sim/v1/truth reports the totals.

Options:
  --port P             TCP port (default 8090; 0 picks a free port). The first line on stdout
                       is "listening on HOST:PORT".
  --host H             address to bind (default 127.0.0.1)
  --seed S             unsigned 64-bit seed (default 42)
  --preset NAME        small | medium | large (default small)
  --days N             billing window length in days, 1..400 (default 30)
  --end-date DATE      exclusive end of the window, YYYY-MM-DD (default: today, UTC midnight)
  --api-key K          Basic-auth user expected on every route (default sim-key)
  --api-secret S       Basic-auth password (default sim-secret)
Faults (the random ones follow a sequence derived from the seed):
  --fail-rate F        fraction 0..1 of requests answered 500 or 503
  --rate-limit N[/s]   more than N requests in one second answer 429 (Retry-After: 1)
  --latency-ms L       sleep L ms before answering
  --truncate-rate F    fraction 0..1 of 200 responses cut in the middle of the JSON
  --fail-path PREFIX   always answer 500 for paths starting with PREFIX (repeatable)
  --help               this text
)";
}

ParsedCommandLine parse_command_line(const std::vector<std::string>& args) {
  ParsedCommandLine result;
  SimOptions options;
  auto fail = [&result](const std::string& message) {
    result.error = message;
    return result;
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--help" || flag == "-h") {
      result.help = true;
      return result;
    }
    if (flag.rfind("--", 0) != 0) return fail("unexpected argument: " + flag);
    if (i + 1 >= args.size()) return fail(flag + " needs a value");
    const std::string& value = args[++i];
    if (flag == "--port") {
      const auto port = to_integer(value);
      if (!port || *port < 0 || *port > 65535) return fail("--port must be 0..65535");
      options.port = static_cast<int>(*port);
    } else if (flag == "--host") {
      if (value.empty()) return fail("--host must not be empty");
      options.host = value;
    } else if (flag == "--seed") {
      const auto seed = to_unsigned(value);
      if (!seed) return fail("--seed must be an unsigned integer");
      options.seed = *seed;
    } else if (flag == "--preset") {
      const auto preset = parse_preset(value);
      if (!preset) return fail("--preset must be small, medium or large");
      options.preset = *preset;
    } else if (flag == "--days") {
      const auto days = to_integer(value);
      if (!days || *days < 1 || *days > 400) return fail("--days must be 1..400");
      options.days = static_cast<int>(*days);
    } else if (flag == "--end-date") {
      const auto day = parse_date(value);
      if (!day) return fail("--end-date must be YYYY-MM-DD");
      options.end_day = *day;
    } else if (flag == "--api-key") {
      if (value.empty()) return fail("--api-key must not be empty");
      options.api_key = value;
    } else if (flag == "--api-secret") {
      options.api_secret = value;
    } else if (flag == "--fail-rate") {
      const auto rate = to_fraction(value);
      if (!rate) return fail("--fail-rate must be a fraction 0..1");
      options.faults.fail_rate = *rate;
    } else if (flag == "--truncate-rate") {
      const auto rate = to_fraction(value);
      if (!rate) return fail("--truncate-rate must be a fraction 0..1");
      options.faults.truncate_rate = *rate;
    } else if (flag == "--rate-limit") {
      std::string number = value;
      if (number.size() > 2 && number.compare(number.size() - 2, 2, "/s") == 0) {
        number.resize(number.size() - 2);
      }
      const auto limit = to_integer(number);
      if (!limit || *limit < 0) return fail("--rate-limit must be N or N/s with N >= 0");
      options.faults.rate_limit = static_cast<int>(*limit);
    } else if (flag == "--latency-ms") {
      const auto latency = to_integer(value);
      if (!latency || *latency < 0 || *latency > 600000) {
        return fail("--latency-ms must be 0..600000");
      }
      options.faults.latency_ms = static_cast<int>(*latency);
    } else if (flag == "--fail-path") {
      if (value.empty() || value[0] != '/') return fail("--fail-path must start with /");
      options.faults.fail_paths.push_back(value);
    } else {
      return fail("unknown option: " + flag);
    }
  }
  result.options = options;
  return result;
}

}  // namespace ccloud_sim
