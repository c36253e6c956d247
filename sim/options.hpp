// ccloud-sim command line: what organisation to generate and how the server misbehaves.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ccloud_sim {

enum class Preset { kSmall, kMedium, kLarge };

std::string preset_name(Preset preset);
std::optional<Preset> parse_preset(const std::string& name);

// Fault injection. All random decisions follow a sequence derived from the seed.
struct FaultOptions {
  double fail_rate = 0;                 // fraction of requests answered 500/503
  int rate_limit = 0;                   // requests per second before 429; 0 = unlimited
  int latency_ms = 0;                   // added to every response
  double truncate_rate = 0;             // fraction of 200 responses cut mid-JSON
  std::vector<std::string> fail_paths;  // path prefixes that always answer 500
};

struct SimOptions {
  std::string host = "127.0.0.1";
  int port = 8090;
  uint64_t seed = 42;
  Preset preset = Preset::kSmall;
  int days = 30;
  std::optional<int64_t> end_day;  // exclusive window end (epoch day); default: today UTC
  std::string api_key = "sim-key";
  std::string api_secret = "sim-secret";
  FaultOptions faults;
};

struct ParsedCommandLine {
  std::optional<SimOptions> options;  // set on success
  bool help = false;                  // --help was given
  std::string error;                  // set on a usage error
};

// `args` excludes the program name.
ParsedCommandLine parse_command_line(const std::vector<std::string>& args);
std::string usage_text();

}  // namespace ccloud_sim
