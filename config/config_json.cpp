#include "config/config_json.hpp"

#include "config/secrets.hpp"

namespace chitragupt::config {
namespace {

std::string shown(const std::string& secret, SecretView view) {
  return view == SecretView::plain ? secret : masked(secret);
}

}  // namespace

nlohmann::json tenant_to_json(const TenantConfig& t, SecretView view) {
  nlohmann::json out = {
      {"ecosystem", t.ecosystem},
      {"tenant_id", t.tenant_id},
      {"lookback_days", t.lookback_days},
      {"cutoff_days", t.cutoff_days},
      {"retention_days", t.retention_days},
      {"allocation_retry_limit", t.allocation_retry_limit},
      {"topic_attribution_retry_limit", t.topic_attribution_retry_limit},
      {"zero_gather_deletion_threshold", t.zero_gather_deletion_threshold},
      {"gather_failure_threshold", t.gather_failure_threshold},
      {"tenant_execution_timeout_seconds", t.tenant_execution_timeout_seconds},
      {"metrics_prefetch_workers", t.metrics_prefetch_workers},
      {"storage",
       {{"backend", t.storage.backend},
        {"connection_string", shown(t.storage.connection_string, view)}}},
      {"plugin_settings",
       view == SecretView::plain ? t.plugin_settings : mask_secrets(t.plugin_settings)},
  };
  if (t.focus_preview) {
    out["focus_preview"] = {{"commercial_profile", t.focus_preview->commercial_profile},
                            {"billing_currency", t.focus_preview->billing_currency},
                            {"effective_start_date", t.focus_preview->effective_start_date},
                            {"effective_end_date", t.focus_preview->effective_end_date}};
  }
  return out;
}

nlohmann::json to_masked_json(const Config& config) {
  nlohmann::json tenants = nlohmann::json::object();
  for (const auto& tenant : config.tenants) {
    tenants[tenant.name] = tenant_to_json(tenant, SecretView::masked);
  }
  return {
      {"logging",
       {{"level", config.logging.level},
        {"format", config.logging.format},
        {"per_module_levels", config.logging.per_module_levels}}},
      {"features",
       {{"enable_periodic_refresh", config.features.enable_periodic_refresh},
        {"refresh_interval", config.features.refresh_interval},
        {"max_parallel_tenants", config.features.max_parallel_tenants},
        {"database_idle_timeout", config.features.database_idle_timeout}}},
      {"api",
       {{"host", config.api.host},
        {"port", config.api.port},
        {"enable_cors", config.api.enable_cors},
        {"cors_origins", config.api.cors_origins},
        {"request_timeout_seconds", config.api.request_timeout_seconds},
        {"auth_token", masked(config.api.auth_token)}}},
      {"preview",
       {{"artifact_root", config.preview.artifact_root},
        {"retention_days", config.preview.retention_days}}},
      {"tenants", tenants},
  };
}

}  // namespace chitragupt::config
