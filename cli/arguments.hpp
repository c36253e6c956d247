#pragma once
// The engine's command line (SPEC §2). `chitragupt db ...` is handled by db_command.hpp.

#include <optional>
#include <string>
#include <vector>

#include "actors/engine_options.hpp"

namespace chitragupt::cli {

struct Arguments {
  std::optional<std::string> config_file;
  std::optional<std::string> env_file;
  actors::Mode mode = actors::Mode::both;
  bool validate = false;
  bool show_config = false;
  bool run_once = false;
  bool emit_once = false;  // emit every tenant's pending dates, then exit (as the original)
  bool version = false;
  bool help = false;
};

struct ParsedArguments {
  std::optional<Arguments> args;
  std::string usage_error;  // set when args is empty: exit code 2
};

// `argv` without the program name.
ParsedArguments parse_arguments(const std::vector<std::string>& argv);

extern const char* const kUsage;

}  // namespace chitragupt::cli
