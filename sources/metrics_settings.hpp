#pragma once
// Where an ecosystem's Prometheus-compatible metrics live (plugin_settings.metrics, reference
// §2): URL and authentication. password and bearer_token are secrets.

#include <string>

namespace chitragupt::ccloud {

enum class MetricsAuthType { none, basic, bearer };
std::string to_string(MetricsAuthType type);

struct MetricsSettings {
  std::string type = "prometheus";
  std::string url;
  MetricsAuthType auth_type = MetricsAuthType::none;
  std::string username;
  std::string password;      // secret
  std::string bearer_token;  // secret
};

}  // namespace chitragupt::ccloud
