#include "common/logging.hpp"

#include <memory>

#include <spdlog/pattern_formatter.h>
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

spdlog::level::level_enum to_level(const std::string& level) {
  if (level == "CRITICAL") return spdlog::level::critical;
  if (level == "ERROR") return spdlog::level::err;
  if (level == "WARNING") return spdlog::level::warn;
  if (level == "DEBUG") return spdlog::level::debug;
  return spdlog::level::info;
}

}  // namespace

std::string json_escape(const std::string& text) {
  // dump() of a JSON string gives a quoted, escaped literal; invalid UTF-8 is replaced.
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void setup(const std::string& level, const std::string& format) {
  auto logger = spdlog::get("chitragupt");
  if (!logger) {
    logger = std::make_shared<spdlog::logger>("chitragupt",
                                              std::make_shared<spdlog::sinks::stderr_sink_mt>());
    spdlog::set_default_logger(logger);
  }
  if (format == "json") {
    auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc,
                                                                 std::string("\n"));
    formatter->add_flag<JsonMessageFlag>('*').set_pattern(
        R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":%*})");
    logger->set_formatter(std::move(formatter));
  } else {
    logger->set_formatter(std::make_unique<spdlog::pattern_formatter>(
        "%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc));
  }
  logger->set_level(to_level(level));
  logger->flush_on(spdlog::level::info);
}

}  // namespace chitragupt::logging
