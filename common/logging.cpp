#include "common/logging.hpp"

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

namespace chitragupt::logging {
namespace {

// Writes the message as a JSON string (spdlog's %v is not escaped).
class JsonMessageFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    std::string escaped = json_escape(std::string(msg.payload.data(), msg.payload.size()));
    dest.append(escaped.data(), escaped.data() + escaped.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonMessageFlag>();
  }
};

// Python's %(levelname)s: INFO, WARNING, ERROR, CRITICAL, DEBUG.
class PythonLevelFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const char* name = msg.level == spdlog::level::critical ? "CRITICAL"
                       : msg.level == spdlog::level::err    ? "ERROR"
                       : msg.level == spdlog::level::warn   ? "WARNING"
                       : msg.level == spdlog::level::info   ? "INFO"
                                                            : "DEBUG";
    dest.append(name, name + std::char_traits<char>::length(name));
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<PythonLevelFlag>();
  }
};

// Python's %(name)s: the message's module, prefixed like the original's logger names.
class PythonNameFlag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    std::string name =
        "chitragupt." + module_of(std::string(msg.payload.data(), msg.payload.size()));
    dest.append(name.data(), name.data() + name.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<PythonNameFlag>();
  }
};

spdlog::level::level_enum to_level(const std::string& level) {
  if (level == "CRITICAL") return spdlog::level::critical;
  if (level == "ERROR") return spdlog::level::err;
  if (level == "WARNING") return spdlog::level::warn;
  if (level == "DEBUG") return spdlog::level::debug;
  return spdlog::level::info;
}

// Our modules and the event-name prefixes that belong to each.
const std::vector<std::pair<std::string, std::vector<std::string>>>& module_events() {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> table = {
      {"api", {"api_", "http_", "export_", "report_"}},
      {"config", {"config_"}},
      {"engine", {"engine_", "shutdown_", "run_once_", "supervisor_", "tenant_"}},
      {"pipeline", {"pipeline_run", "orphaned_runs", "retention_"}},
      {"gather", {"gather_"}},
      {"calculate", {"calculation_", "billing_line_"}},
      {"metrics", {"metrics_"}},
      {"ccloud", {"ccloud_"}},
      {"storage", {"database_", "migration_", "wal_"}},
      {"emitters", {"emitter_"}},
  };
  return table;
}

// The original's Python module names (and prefixes of them) and what they mean here.
const std::map<std::string, std::string>& python_modules() {
  static const std::map<std::string, std::string> table = {
      {"http", "api"},
      {"core.api", "api"},
      {"core.config", "config"},
      {"core.engine", "pipeline"},
      {"core.engine.orchestrator", "pipeline"},
      {"core.metrics", "metrics"},
      {"core.metrics.prometheus", "metrics"},
      {"core.storage", "storage"},
      {"core.emitters", "emitters"},
      {"plugins.confluent_cloud", "ccloud"},
      {"plugins.confluent_cloud.allocators", "calculate"},
      {"httpx", "ccloud"},
      {"urllib3", "ccloud"},
  };
  return table;
}

// Wraps the stderr sink and drops what the message's module level filters out.
class ModuleFilterSink : public spdlog::sinks::sink {
 public:
  explicit ModuleFilterSink(std::shared_ptr<spdlog::sinks::sink> inner)
      : inner_(std::move(inner)) {}
  void configure(spdlog::level::level_enum global,
                 std::map<std::string, spdlog::level::level_enum> modules) {
    std::lock_guard<std::mutex> lock(mu_);
    global_ = global;
    modules_ = std::move(modules);
  }
  void log(const spdlog::details::log_msg& msg) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      spdlog::level::level_enum threshold = global_;
      if (!modules_.empty()) {
        auto it = modules_.find(module_of(std::string(msg.payload.data(), msg.payload.size())));
        if (it != modules_.end()) threshold = it->second;
      }
      if (msg.level < threshold) return;
    }
    inner_->log(msg);
  }
  void flush() override { inner_->flush(); }
  void set_pattern(const std::string& pattern) override { inner_->set_pattern(pattern); }
  void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override {
    inner_->set_formatter(std::move(formatter));
  }

 private:
  std::shared_ptr<spdlog::sinks::sink> inner_;
  std::mutex mu_;
  spdlog::level::level_enum global_ = spdlog::level::info;
  std::map<std::string, spdlog::level::level_enum> modules_;
};

std::shared_ptr<ModuleFilterSink>& filter_sink() {
  static std::shared_ptr<ModuleFilterSink> sink;
  return sink;
}

}  // namespace

std::vector<std::string> module_names() {
  std::vector<std::string> out;
  for (const auto& [name, prefixes] : module_events()) out.push_back(name);
  return out;
}

std::optional<std::string> module_for_key(const std::string& key) {
  for (const auto& [name, prefixes] : module_events()) {
    if (name == key) return name;
  }
  auto it = python_modules().find(key);
  if (it != python_modules().end()) return it->second;
  return std::nullopt;
}

std::string module_of(const std::string& message) {
  std::string event;
  auto at = message.find("event=");
  if (at != std::string::npos && (at == 0 || message[at - 1] == ' ')) {
    auto end = message.find(' ', at);
    event = message.substr(at + 6, end == std::string::npos ? std::string::npos : end - at - 6);
  } else {
    event = message.substr(0, message.find(' '));
  }
  for (const auto& [name, prefixes] : module_events()) {
    for (const auto& prefix : prefixes) {
      if (event.rfind(prefix, 0) == 0) return name;
    }
  }
  return "engine";
}

std::string python_pattern(const std::string& python_format, std::vector<std::string>* ignored) {
  static const std::map<std::string, std::string> kFields = {
      {"asctime", "%Y-%m-%d %H:%M:%S,%e"},  // Python's default asctime, UTC here
      {"levelname", "%*"},
      {"name", "%#"},
      {"message", "%v"},
      {"msecs", "%e"},
      {"created", "%E"},
      {"process", "%P"},
      {"processName", "chitragupt"},
      {"thread", "%t"},
      {"levelno", "%L"},
  };
  std::string out;
  for (std::size_t i = 0; i < python_format.size(); ++i) {
    char c = python_format[i];
    if (c == '%' && i + 1 < python_format.size() && python_format[i + 1] == '%') {
      out += "%%";
      ++i;
      continue;
    }
    if (c == '%' && i + 1 < python_format.size() && python_format[i + 1] == '(') {
      auto close = python_format.find(')', i + 2);
      if (close != std::string::npos) {
        const std::string field = python_format.substr(i + 2, close - i - 2);
        // Skip the conversion: flags, width, precision, then the type letter.
        std::size_t j = close + 1;
        while (j < python_format.size() &&
               std::string("#0- +.0123456789").find(python_format[j]) != std::string::npos) {
          ++j;
        }
        if (j < python_format.size()) ++j;  // s, d, f, ...
        auto it = kFields.find(field);
        if (it != kFields.end()) {
          out += it->second;
        } else if (ignored) {
          ignored->push_back("%(" + field + ")");
        }
        i = j - 1;
        continue;
      }
    }
    out += c == '%' ? std::string("%%") : std::string(1, c);
  }
  return out;
}

std::string json_escape(const std::string& text) {
  // dump() of a JSON string gives a quoted, escaped literal; invalid UTF-8 is replaced.
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void setup(const std::string& level, const std::string& format,
           const std::map<std::string, std::string>& per_module_levels,
           const std::string& python_format) {
  auto logger = spdlog::get("chitragupt");
  if (!logger) {
    filter_sink() =
        std::make_shared<ModuleFilterSink>(std::make_shared<spdlog::sinks::stderr_sink_mt>());
    logger = std::make_shared<spdlog::logger>("chitragupt", filter_sink());
    spdlog::set_default_logger(logger);
  }
  std::vector<std::string> ignored;
  if (!python_format.empty()) {
    auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    formatter->add_flag<PythonLevelFlag>('*');
    formatter->add_flag<PythonNameFlag>('#');
    formatter->set_pattern(python_pattern(python_format, &ignored));
    logger->set_formatter(std::move(formatter));
  } else if (format == "json") {
    auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc,
                                                                 std::string("\n"));
    formatter->add_flag<JsonMessageFlag>('*').set_pattern(
        R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":%*})");
    logger->set_formatter(std::move(formatter));
  } else {
    logger->set_formatter(std::make_unique<spdlog::pattern_formatter>(
        "%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc));
  }
  // The logger passes the most verbose level any module asks for; the sink filters per module.
  const auto global = to_level(level);
  auto lowest = global;
  std::map<std::string, spdlog::level::level_enum> modules;
  for (const auto& [key, module_level] : per_module_levels) {
    auto module = module_for_key(key);
    if (!module) continue;  // validation rejects unknown modules
    modules[*module] = to_level(module_level);
    lowest = std::min(lowest, modules[*module]);
  }
  if (filter_sink()) filter_sink()->configure(global, std::move(modules));
  logger->set_level(lowest);
  logger->flush_on(spdlog::level::info);
  if (!ignored.empty()) {
    std::string fields;
    for (const auto& f : ignored) fields += (fields.empty() ? "" : ",") + f;
    spdlog::warn(
        "event=config_log_format_fields_ignored fields={} reason=\"not known to "
        "chitragupt; they print nothing\"",
        fields);
  }
}

}  // namespace chitragupt::logging
