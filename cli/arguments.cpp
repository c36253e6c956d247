#include "cli/arguments.hpp"

namespace chitragupt::cli {

const char* const kUsage =
    "usage: chitragupt --config-file PATH [--env-file PATH] [--mode worker|api|both]\n"
    "                  [--run-once | --emit-once] [--validate] [--show-config]\n"
    "       chitragupt db current|history|upgrade [TARGET]|downgrade TARGET|backup [DEST]\n"
    "                  (--config-file PATH --tenant NAME [--env-file PATH] | --database-url URL)\n"
    "       chitragupt summary --config-file FILE [--tenant NAME] [--month YYYY-MM] [--top N]\n"
    "       chitragupt import chitragupta --from URL --config-file FILE --tenant NAME\n"
    "                  [--dry-run] [--replace]\n"
    "       chitragupt focus export --config-file FILE --tenant NAME --billing-period YYYY-MM\n"
    "                  [--out DIR] [--gzip]\n"
    "       chitragupt --version | --help\n"
    "\n"
    "  --config-file PATH  the YAML configuration (required)\n"
    "  --env-file PATH     dotenv file for ${VAR} substitution (default: .env beside the config)\n"
    "  --mode MODE         worker (pipelines only), api (HTTP only), both (default)\n"
    "  --run-once          run each tenant's pipeline once, then exit (worker mode) or keep\n"
    "                      serving the API (both mode)\n"
    "  --emit-once         emit each tenant's calculated dates its emitters have not emitted\n"
    "                      yet, then exit: 0 all emitted, 1 a date failed\n"
    "  --validate          check the configuration and exit: 0 valid, 1 invalid\n"
    "  --show-config       print the effective configuration as JSON, secrets masked\n"
    "  --version           print the version\n"
    "  --help              print this help\n"
    "\n"
    "Signals: SIGHUP reloads the configuration; SIGTERM/SIGINT stop gracefully.\n";

ParsedArguments parse_arguments(const std::vector<std::string>& argv) {
  Arguments a;
  auto fail = [](std::string message) { return ParsedArguments{std::nullopt, std::move(message)}; };
  for (std::size_t i = 0; i < argv.size(); ++i) {
    std::string arg = argv[i];
    std::optional<std::string> inline_value;
    if (arg.rfind("--", 0) == 0) {
      if (auto eq = arg.find('='); eq != std::string::npos) {
        inline_value = arg.substr(eq + 1);
        arg.resize(eq);
      }
    }
    auto value = [&](const std::string& flag) -> std::optional<std::string> {
      if (inline_value) return inline_value;
      if (i + 1 >= argv.size()) return std::nullopt;
      return argv[++i];
    };
    auto is_flag_only = [&] { return !inline_value.has_value(); };
    if (arg == "--config-file" || arg == "--env-file" || arg == "--mode") {
      auto v = value(arg);
      if (!v || v->empty()) return fail(arg + " needs a value");
      if (arg == "--config-file") a.config_file = *v;
      if (arg == "--env-file") a.env_file = *v;
      if (arg == "--mode") {
        if (*v == "worker")
          a.mode = actors::Mode::worker;
        else if (*v == "api")
          a.mode = actors::Mode::api;
        else if (*v == "both")
          a.mode = actors::Mode::both;
        else
          return fail("--mode must be worker, api or both, got '" + *v + "'");
      }
    } else if ((arg == "--validate" || arg == "--show-config" || arg == "--run-once" ||
                arg == "--emit-once" || arg == "--version" || arg == "--help" || arg == "-h") &&
               is_flag_only()) {
      if (arg == "--validate") a.validate = true;
      if (arg == "--show-config") a.show_config = true;
      if (arg == "--run-once") a.run_once = true;
      if (arg == "--emit-once") a.emit_once = true;
      if (arg == "--version") a.version = true;
      if (arg == "--help" || arg == "-h") a.help = true;
    } else {
      return fail("unknown argument '" + arg + "'");
    }
  }
  if (a.help || a.version) return ParsedArguments{a, ""};
  if (!a.config_file) return fail("--config-file is required");
  if (a.run_once && a.emit_once) return fail("--run-once and --emit-once exclude each other");
  if (a.run_once && a.mode == actors::Mode::api) {
    return fail("--run-once needs --mode worker or --mode both (api mode runs no pipeline)");
  }
  return ParsedArguments{a, ""};
}

}  // namespace chitragupt::cli
