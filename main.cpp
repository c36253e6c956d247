// chitragupt: the composition root. Parses the command line, loads the configuration, starts
// the actor tree and the HTTP front end, and turns signals into messages:
//   SIGHUP -> reload the config file; SIGTERM/SIGINT -> graceful stop (exit 0 within 30 s).

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include <spdlog/spdlog.h>
#include <caf/all.hpp>

#include "actors/supervisor.hpp"
#include "cli/arguments.hpp"
#include "cli/db_command.hpp"
#include "cli/focus_command.hpp"
#include "cli/import_command.hpp"
#include "cli/summary_command.hpp"
#include "common/logging.hpp"
#include "common/version.hpp"
#include "config/config.hpp"
#include "http/api_server.hpp"
#include "messages/protocol.hpp"
#include "pipeline/emit_once.hpp"
#include "pipeline/plugins.hpp"
#include "pipeline/run.hpp"

namespace {

using namespace chitragupt;

constexpr auto kStopBudget = std::chrono::seconds(25);    // for the actors to wind down
constexpr auto kHardDeadline = std::chrono::seconds(28);  // then we leave regardless

std::string one_line(const config::LoadResult& r) {
  std::string out;
  for (const auto& e : r.errors) out += (out.empty() ? "" : "; ") + e.to_string();
  return out;
}

// Leaves the process if a graceful stop overruns: a stuck database call must not keep a
// service manager waiting past its stop timeout. A second SIGTERM/SIGINT (the operator
// insisting) leaves at once too.
class StopWatchdog {
 public:
  StopWatchdog() {
    thread_ = std::thread([this] {
      sigset_t again;
      sigemptyset(&again);
      sigaddset(&again, SIGTERM);
      sigaddset(&again, SIGINT);
      const auto deadline = std::chrono::steady_clock::now() + kHardDeadline;
      std::unique_lock<std::mutex> lock(mu_);
      while (!done_) {
        if (std::chrono::steady_clock::now() >= deadline) {
          leave("event=shutdown_overrun seconds=" + std::to_string(kHardDeadline.count()));
        }
        lock.unlock();
        timespec poll{0, 100 * 1000 * 1000};
        int sig = sigtimedwait(&again, nullptr, &poll);
        lock.lock();
        if (sig > 0 && !done_) {
          leave(std::string("event=shutdown_forced signal=") +
                (sig == SIGTERM ? "SIGTERM" : "SIGINT"));
        }
      }
    });
  }
  ~StopWatchdog() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    thread_.join();
  }

 private:
  [[noreturn]] static void leave(const std::string& line) {
    spdlog::error(line);
    spdlog::default_logger()->flush();
    std::_Exit(0);
  }

  std::mutex mu_;
  bool done_ = false;
  std::thread thread_;
};

// Stops every wait of every pipeline at once (upstream requests, backoffs, the date loop), then
// asks the supervisor to stop every tenant: a date being written commits whole or not at all,
// runs in progress are recorded `interrupted`.
void stop_actors(caf::actor_system& system, const caf::actor& supervisor, StopSource& stop) {
  stop.request_stop(pipeline::kStopShutdown);
  caf::scoped_actor self{system};
  self->request(supervisor, kStopBudget, messages::stop_atom::value)
      .receive([](messages::ok_atom) {},
               [](caf::error& err) {
                 spdlog::warn("event=shutdown_incomplete error={}", caf::to_string(err));
               });
}

int run_engine(const cli::Arguments& args, config::Config cfg) {
  logging::setup(cfg.logging.level, cfg.logging.format, cfg.logging.per_module_levels,
                 cfg.logging.python_format);

  // Signals are taken synchronously by this thread (sigwait); every other thread, including
  // CAF's and cpp-httplib's, inherits the blocked mask.
  sigset_t signals;
  sigemptyset(&signals);
  for (int s : {SIGHUP, SIGTERM, SIGINT, SIGUSR1}) sigaddset(&signals, s);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  spdlog::info("event=engine_starting version={} mode={} tenants={} config={}", kVersion,
               actors::to_string(args.mode), cfg.tenants.size(), cfg.source_path);

  // Armed when the stop begins; declared before the actor system so that it also bounds the
  // system's destructor, which waits for every actor (a collector finishing its date).
  std::optional<StopWatchdog> watchdog;
  caf::actor_system_config system_config;
  // The scheduler's threads wait on a condition variable when there is nothing to do, instead
  // of CAF's default work stealing, which polls with short sleeps: with a thousand tenants'
  // timers and heartbeats the polling kept the threads waking up all the time (issue 19).
  system_config.set("scheduler.policy", caf::atom("sharing"));
  caf::actor_system system{system_config};

  actors::EngineOptions options;
  options.mode = args.mode;
  options.run_once = args.run_once;
  // Wakes the signal loop below (SIGUSR1 is ours, not the operator's).
  options.on_run_once_complete = [] { kill(getpid(), SIGUSR1); };
  auto stop = options.stop;
  auto supervisor = actors::spawn_supervisor(system, cfg, options);

  std::unique_ptr<http::ApiServer> api;
  if (args.mode != actors::Mode::worker) {
    api = std::make_unique<http::ApiServer>(system, supervisor, cfg.api,
                                            actors::to_string(args.mode));
    if (auto s = api->bind(); !s) {
      std::cerr << "chitragupt: " << s.message() << "\n";
      spdlog::critical("event=api_bind_failed error={}", s.message());
      watchdog.emplace();
      stop_actors(system, supervisor, *stop);
      return 1;
    }
    api->start();
  }

  for (;;) {
    int sig = 0;
    if (sigwait(&signals, &sig) != 0) continue;
    if (sig == SIGHUP) {
      spdlog::info("event=config_reload_requested path={}", args.config_file.value_or(""));
      auto next = config::load_config(*args.config_file, args.env_file);
      if (next.ok()) {
        caf::anon_send(supervisor, messages::reload_atom::value, std::move(*next.config));
      } else {
        caf::anon_send(supervisor, messages::reload_fail_atom::value, one_line(next));
      }
      continue;
    }
    if (sig == SIGUSR1) {
      if (args.mode == actors::Mode::worker) break;
      spdlog::info("event=run_once_complete note=the API keeps serving until stopped");
      continue;
    }
    spdlog::info("event=shutdown_requested signal={}", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    break;
  }

  watchdog.emplace();
  stop_actors(system, supervisor, *stop);
  if (api) api->stop();
  spdlog::info("event=engine_stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  pipeline::register_plugin_validators();
  std::vector<std::string> words(argv + 1, argv + argc);
  if (!words.empty() && words[0] == "db") {
    return cli::run_db_command({words.begin() + 1, words.end()}, std::cout, std::cerr);
  }
  if (!words.empty() && words[0] == "import") {
    return cli::run_import_command({words.begin() + 1, words.end()}, std::cout, std::cerr);
  }
  if (!words.empty() && words[0] == "focus") {
    return cli::run_focus_command({words.begin() + 1, words.end()}, std::cout, std::cerr);
  }
  if (!words.empty() && words[0] == "summary") {
    return cli::run_summary_command({words.begin() + 1, words.end()}, std::cout, std::cerr);
  }
  auto parsed = cli::parse_arguments(words);
  if (!parsed.args) {
    std::cerr << "chitragupt: error: " << parsed.usage_error << "\n" << cli::kUsage;
    return 2;
  }
  const cli::Arguments& args = *parsed.args;
  if (args.help) {
    std::cout << cli::kUsage;
    return 0;
  }
  if (args.version) {
    std::cout << "chitragupt " << kVersion << "\n";
    return 0;
  }

  auto loaded = config::load_config(*args.config_file, args.env_file);
  if (args.validate) {
    if (loaded.ok()) {
      std::cout << "Config is valid.\n";
      return 0;
    }
    std::cerr << "Config validation failed:\n" << loaded.error_text() << "\n";
    return 1;
  }
  if (!loaded.ok()) {
    std::cerr << "chitragupt: invalid configuration: " << one_line(loaded) << "\n";
    return 1;
  }
  if (args.show_config) {
    std::cout << config::to_masked_json(*loaded.config).dump(2) << "\n";
    return 0;
  }
  if (args.emit_once) {
    const auto& logs = loaded.config->logging;
    logging::setup(logs.level, logs.format, logs.per_module_levels, logs.python_format);
    return pipeline::emit_once(*loaded.config, std::cout, std::cerr);
  }
  try {
    return run_engine(args, std::move(*loaded.config));
  } catch (const std::exception& e) {
    std::cerr << "chitragupt: fatal: " << e.what() << "\n";
    return 1;
  }
}
