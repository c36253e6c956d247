// The schema: keys, types, ranges and cross-field rules, through parse_config.

#include <gtest/gtest.h>

#include "config/config.hpp"

namespace chitragupt::config {
namespace {

LoadResult parse(const std::string& yaml, std::map<std::string, std::string> env = {}) {
  return parse_config(yaml, Environment::from_map(std::move(env)));
}

// A valid tenant whose body continues with `extra` (indented four spaces by the caller).
std::string tenant_yaml(const std::string& extra = "", const std::string& name = "prod") {
  return "tenants:\n  " + name +
         ":\n    ecosystem: confluent_cloud\n    tenant_id: t1\n"
         "    storage: {connection_string: 'sqlite:///:memory:'}\n" +
         extra;
}

// The only error of `result`, as "path: message".
std::string only_error(const LoadResult& result) {
  EXPECT_FALSE(result.ok());
  EXPECT_EQ(result.errors.size(), 1u) << result.error_text();
  return result.errors.empty() ? "" : result.errors.front().to_string();
}

TEST(ConfigValidation, empty_text_is_a_valid_config_without_tenants) {
  for (const std::string text :
       {"", "# only a comment\n", "---\n", "tenants:\n", "tenants: {}\n"}) {
    auto result = parse(text);
    ASSERT_TRUE(result.ok()) << text << ": " << result.error_text();
    EXPECT_TRUE(result.config->tenants.empty());
    EXPECT_EQ(result.config->source_path, "");
  }
}

TEST(ConfigValidation, defaults_applied_to_every_omitted_field) {
  auto result = parse("tenants:\n  prod:\n    ecosystem: self_managed_kafka\n    tenant_id: p\n");
  ASSERT_TRUE(result.ok()) << result.error_text();
  const Config& c = *result.config;
  EXPECT_EQ(c.logging.level, "INFO");
  EXPECT_EQ(c.logging.format, "text");
  EXPECT_TRUE(c.logging.per_module_levels.empty());
  EXPECT_TRUE(c.features.enable_periodic_refresh);
  EXPECT_EQ(c.features.refresh_interval, 1800);
  EXPECT_EQ(c.features.max_parallel_tenants, 4);
  EXPECT_EQ(c.features.database_idle_timeout, 60);
  EXPECT_EQ(c.api.host, "0.0.0.0");
  EXPECT_EQ(c.api.port, 8080);
  EXPECT_FALSE(c.api.enable_cors);
  EXPECT_TRUE(c.api.cors_origins.empty());
  EXPECT_EQ(c.api.request_timeout_seconds, 30);
  EXPECT_EQ(c.api.auth_token, "");
  ASSERT_EQ(c.tenants.size(), 1u);
  const TenantConfig& t = c.tenants[0];
  EXPECT_EQ(t.name, "prod");
  EXPECT_EQ(t.ecosystem, "self_managed_kafka");
  EXPECT_EQ(t.tenant_id, "p");
  EXPECT_EQ(t.lookback_days, 200);
  EXPECT_EQ(t.cutoff_days, 5);
  EXPECT_EQ(t.retention_days, 250);
  EXPECT_EQ(t.allocation_retry_limit, 3);
  EXPECT_EQ(t.topic_attribution_retry_limit, 3);
  EXPECT_EQ(t.zero_gather_deletion_threshold, -1);
  EXPECT_EQ(t.gather_failure_threshold, 5);
  EXPECT_EQ(t.tenant_execution_timeout_seconds, 3600);
  EXPECT_EQ(t.metrics_prefetch_workers, 4);
  EXPECT_EQ(t.storage.backend, "sqlmodel");
  EXPECT_EQ(t.storage.connection_string, "sqlite:///data/chargeback.db");
  EXPECT_EQ(t.plugin_settings, nlohmann::json::object());
}

TEST(ConfigValidation, multi_tenant_example_of_the_original_loads) {
  const std::string yaml = R"(
logging: { level: INFO }
features: { refresh_interval: 3600, max_parallel_tenants: 2 }
api: { host: 0.0.0.0, port: 8080 }
tenants:
  ccloud-prod:
    ecosystem: confluent_cloud
    tenant_id: ccloud-prod
    retention_days: 365
    storage: { connection_string: "postgresql+psycopg://u:${PG_PASS}@db:5432/ccloud_prod" }
    plugin_settings:
      ccloud_api: { key: "${CCLOUD_API_KEY}", secret: "${CCLOUD_API_SECRET}" }
      metrics: { type: prometheus, url: "${PROM_URL:-http://prometheus:9090}" }
      emitters:
        - { type: csv, name: csv-daily, aggregation: daily, params: { output_dir: ./out/ccloud } }
        - { type: prometheus, aggregation: daily, params: { port: 9090 } }
  kafka-dc1:
    ecosystem: self_managed_kafka
    tenant_id: kafka-dc1
    lookback_days: 90
    cutoff_days: 2
    storage: { connection_string: "sqlite:///data/kafka-dc1.db" }
    plugin_settings:
      cluster_id: kafka-dc1
      broker_count: 5
      cost_model: { compute_hourly_rate: "0.45", storage_per_gib_hourly: "0.00008",
                    network_ingress_per_gib: "0", network_egress_per_gib: "0.09" }
      metrics: { url: http://prometheus.internal:9090 }
      emitters: [ { type: csv, params: { output_dir: ./out/dc1 } } ]
)";
  auto result =
      parse(yaml, {{"PG_PASS", "pw"}, {"CCLOUD_API_KEY", "k"}, {"CCLOUD_API_SECRET", "s"}});
  ASSERT_TRUE(result.ok()) << result.error_text();
  const Config& c = *result.config;
  EXPECT_EQ(c.features.refresh_interval, 3600);
  ASSERT_EQ(c.tenants.size(), 2u);
  EXPECT_EQ(c.tenants[0].name, "ccloud-prod");  // file order
  EXPECT_EQ(c.tenants[1].name, "kafka-dc1");
  EXPECT_EQ(c.tenants[0].retention_days, 365);
  EXPECT_EQ(c.tenants[0].storage.connection_string,
            "postgresql+psycopg://u:pw@db:5432/ccloud_prod");
  const auto& ps = c.tenants[0].plugin_settings;
  EXPECT_EQ(ps["ccloud_api"]["secret"], "s");
  EXPECT_EQ(ps["metrics"]["url"], "http://prometheus:9090");
  EXPECT_EQ(ps["emitters"][1]["params"]["port"], 9090);
  EXPECT_EQ(c.tenants[1].plugin_settings["broker_count"], 5);
  EXPECT_EQ(c.tenants[1].plugin_settings["cost_model"]["compute_hourly_rate"], "0.45");
  EXPECT_EQ(c.find_tenant("kafka-dc1"), &c.tenants[1]);
  EXPECT_EQ(c.find_tenant("nope"), nullptr);
}

TEST(ConfigValidation, unknown_key_suggests_closest_valid_key) {
  auto result = parse(
      "tenants:\n  prod:\n    ecosystem: confluent_cloud\n    tenant_id: p\n"
      "    storage:\n      conection_string: 'sqlite:///x.db'\n");
  EXPECT_EQ(only_error(result),
            "tenants.prod.storage.conection_string: unknown key (did you mean connection_string?)");
}

TEST(ConfigValidation, unknown_key_at_every_level_names_its_full_path) {
  auto result = parse(
      "loging: {}\n"
      "logging: {levl: INFO}\n"
      "features: {refresh_intervall: 5}\n"
      "api: {prot: 1}\n" +
      tenant_yaml("    retention_day: 3\n"));
  ASSERT_EQ(result.errors.size(), 5u) << result.error_text();
  EXPECT_EQ(result.errors[0].to_string(), "loging: unknown key (did you mean logging?)");
  EXPECT_EQ(result.errors[1].to_string(), "logging.levl: unknown key (did you mean level?)");
  EXPECT_EQ(result.errors[2].to_string(),
            "features.refresh_intervall: unknown key (did you mean refresh_interval?)");
  EXPECT_EQ(result.errors[3].to_string(), "api.prot: unknown key (did you mean port?)");
  EXPECT_EQ(result.errors[4].to_string(),
            "tenants.prod.retention_day: unknown key (did you mean retention_days?)");
}

TEST(ConfigValidation, unknown_key_far_from_any_lists_valid_keys) {
  EXPECT_EQ(only_error(parse("qqq_section: {}\n")),
            "qqq_section: unknown key (valid keys: api, features, logging, preview, tenants)");
}

TEST(ConfigValidation, lax_int_coercion_accepts_numeric_strings) {
  auto result = parse("features: {refresh_interval: '9999'}\napi: {port: \" 8081 \"}\n" +
                      tenant_yaml("    lookback_days: \"+100\"\n"));
  ASSERT_TRUE(result.ok()) << result.error_text();
  EXPECT_EQ(result.config->features.refresh_interval, 9999);
  EXPECT_EQ(result.config->api.port, 8081);
  EXPECT_EQ(result.config->tenants[0].lookback_days, 100);
}

TEST(ConfigValidation, integers_reject_floats_booleans_and_text) {
  auto result = parse(
      "features: {refresh_interval: 5.0, max_parallel_tenants: true}\n"
      "api: {port: abc, request_timeout_seconds: ~}\n");
  ASSERT_EQ(result.errors.size(), 4u) << result.error_text();
  EXPECT_EQ(result.errors[0].to_string(),
            "features.refresh_interval: expected an integer, got '5.0'");
  EXPECT_EQ(result.errors[1].to_string(),
            "features.max_parallel_tenants: expected an integer, got 'true'");
  EXPECT_EQ(result.errors[2].to_string(), "api.port: expected an integer, got 'abc'");
  EXPECT_EQ(result.errors[3].to_string(),
            "api.request_timeout_seconds: expected an integer, got null");
}

TEST(ConfigValidation, integer_beyond_64_bits_is_out_of_range) {
  EXPECT_EQ(only_error(parse("api: {port: 99999999999999999999999}\n")),
            "api.port: integer out of range, got '99999999999999999999999'");
}

struct RangeCase {
  std::string yaml;
  std::string error;
};

TEST(ConfigValidation, every_range_is_enforced_with_its_bounds_in_the_message) {
  const std::vector<RangeCase> cases = {
      {"features: {refresh_interval: 0}", "features.refresh_interval: must be > 0, got 0"},
      {"features: {max_parallel_tenants: 65}",
       "features.max_parallel_tenants: must be between 1 and 64, got 65"},
      {"features: {database_idle_timeout: 0}",
       "features.database_idle_timeout: must be between 1 and 86400, got 0"},
      {"features: {database_idle_timeout: 86401}",
       "features.database_idle_timeout: must be between 1 and 86400, got 86401"},
      {"api: {port: 0}", "api.port: must be between 1 and 65535, got 0"},
      {"api: {port: 70000}", "api.port: must be between 1 and 65535, got 70000"},
      {"api: {request_timeout_seconds: 301}",
       "api.request_timeout_seconds: must be between 1 and 300, got 301"},
      {tenant_yaml("    lookback_days: 400\n"),
       "tenants.prod.lookback_days: must be between 1 and 364, got 400"},
      {tenant_yaml("    cutoff_days: 0\n"),
       "tenants.prod.cutoff_days: must be between 1 and 30, got 0"},
      {tenant_yaml("    retention_days: 731\n"),
       "tenants.prod.retention_days: must be between 1 and 730, got 731"},
      {tenant_yaml("    allocation_retry_limit: 11\n"),
       "tenants.prod.allocation_retry_limit: must be between 1 and 10, got 11"},
      {tenant_yaml("    topic_attribution_retry_limit: 0\n"),
       "tenants.prod.topic_attribution_retry_limit: must be between 1 and 10, got 0"},
      {tenant_yaml("    zero_gather_deletion_threshold: -2\n"),
       "tenants.prod.zero_gather_deletion_threshold: must be >= -1, got -2"},
      {tenant_yaml("    gather_failure_threshold: 0\n"),
       "tenants.prod.gather_failure_threshold: must be > 0, got 0"},
      {tenant_yaml("    tenant_execution_timeout_seconds: -1\n"),
       "tenants.prod.tenant_execution_timeout_seconds: must be >= 0, got -1"},
      {tenant_yaml("    tenant_execution_timeout_seconds: 3000000000\n"),
       "tenants.prod.tenant_execution_timeout_seconds: must be at most 2147483647, got 3000000000"},
      {tenant_yaml("    metrics_prefetch_workers: 21\n"),
       "tenants.prod.metrics_prefetch_workers: must be between 1 and 20, got 21"},
  };
  for (const auto& c : cases) EXPECT_EQ(only_error(parse(c.yaml)), c.error) << c.yaml;
}

TEST(ConfigValidation, range_edges_are_accepted) {
  auto result = parse(
      "features: {refresh_interval: 1, max_parallel_tenants: 64, database_idle_timeout: 86400}\n"
      "api: {port: 65535, request_timeout_seconds: 1}\n" +
      tenant_yaml("    lookback_days: 364\n    cutoff_days: 30\n"
                  "    retention_days: 730\n    zero_gather_deletion_threshold: -1\n"
                  "    tenant_execution_timeout_seconds: 0\n"
                  "    metrics_prefetch_workers: 20\n"));
  ASSERT_TRUE(result.ok()) << result.error_text();
  EXPECT_EQ(result.config->tenants[0].tenant_execution_timeout_seconds, 0);
}

TEST(ConfigValidation, lookback_days_must_exceed_cutoff_days) {
  EXPECT_EQ(only_error(parse(tenant_yaml("    lookback_days: 10\n    cutoff_days: 10\n"))),
            "tenants.prod.lookback_days: lookback_days must be > cutoff_days (lookback_days 10, "
            "cutoff_days 10)");
}

TEST(ConfigValidation, lookback_cutoff_rule_is_skipped_when_either_value_is_invalid) {
  EXPECT_EQ(only_error(parse(tenant_yaml("    lookback_days: 3\n    cutoff_days: 31\n"))),
            "tenants.prod.cutoff_days: must be between 1 and 30, got 31");
}

TEST(ConfigValidation, logging_level_is_case_insensitive_and_stored_uppercase) {
  auto result =
      parse("logging:\n  level: debug\n  per_module_levels: {storage: warning, http: ''}\n");
  ASSERT_TRUE(result.ok()) << result.error_text();
  EXPECT_EQ(result.config->logging.level, "DEBUG");
  EXPECT_EQ(result.config->logging.per_module_levels.at("storage"), "WARNING");
  EXPECT_EQ(result.config->logging.per_module_levels.at("http"), "INFO");
  auto empty = parse("logging: {level: ''}\n");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty.config->logging.level, "INFO");
}

TEST(ConfigValidation, unknown_logging_level_is_rejected_with_the_original_message) {
  auto result = parse("logging:\n  level: verbose\n  per_module_levels: {storage: loud}\n");
  ASSERT_EQ(result.errors.size(), 2u) << result.error_text();
  EXPECT_EQ(result.errors[0].to_string(),
            "logging.level: level must be one of ['CRITICAL', 'DEBUG', 'ERROR', 'INFO', "
            "'WARNING'], got 'verbose'");
  EXPECT_EQ(result.errors[1].path, "logging.per_module_levels.storage");
  EXPECT_NE(result.errors[1].message.find("got 'loud'"), std::string::npos);
}

TEST(ConfigValidation, logging_format_accepts_text_json_and_python_format_strings) {
  auto json = parse("logging: {format: JSON}\n");
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(json.config->logging.format, "json");
  auto python = parse("logging: {format: '%(asctime)s - %(name)s - %(message)s'}\n");
  ASSERT_TRUE(python.ok());
  EXPECT_EQ(python.config->logging.format, "text");
  EXPECT_EQ(python.config->logging.python_format, "%(asctime)s - %(name)s - %(message)s");
  EXPECT_EQ(only_error(parse("logging: {format: xml}\n")),
            "logging.format: format must be 'text' or 'json' (or a Python logging format "
            "string), got 'xml'");
}

// Issue 15 item 7: the original's plugins_path cannot mean anything here: it fails with why.
TEST(ConfigValidation, plugins_path_fails_with_why_and_what_instead) {
  EXPECT_TRUE(parse("plugins_path: null\n").ok());
  auto bad = parse("plugins_path: src/plugins\n");
  ASSERT_EQ(bad.errors.size(), 1u) << bad.error_text();
  EXPECT_EQ(bad.errors[0].path, "plugins_path");
  EXPECT_NE(bad.errors[0].message.find("cannot load Python code"), std::string::npos);
}

// Issue 15 item 7: a module name that nothing logs under would be accepted and ignored.
TEST(ConfigValidation, per_module_levels_name_known_modules_or_the_originals) {
  auto ok = parse(
      "logging:\n  per_module_levels: {httpx: WARNING, core.engine.orchestrator: DEBUG, "
      "gather: ERROR}\n");
  ASSERT_TRUE(ok.ok()) << ok.error_text();
  auto bad = parse("logging:\n  per_module_levels: {my_org.things: DEBUG}\n");
  ASSERT_EQ(bad.errors.size(), 1u) << bad.error_text();
  EXPECT_EQ(bad.errors[0].path, "logging.per_module_levels.my_org.things");
  EXPECT_NE(bad.errors[0].message.find("unknown module 'my_org.things'"), std::string::npos);
}

TEST(ConfigValidation, booleans_accept_yes_no_and_reject_other_words) {
  auto result = parse("features: {enable_periodic_refresh: no}\napi: {enable_cors: Yes}\n");
  ASSERT_TRUE(result.ok()) << result.error_text();
  EXPECT_FALSE(result.config->features.enable_periodic_refresh);
  EXPECT_TRUE(result.config->api.enable_cors);
  EXPECT_EQ(only_error(parse("api: {enable_cors: maybe}\n")),
            "api.enable_cors: expected a boolean, got 'maybe'");
}

TEST(ConfigValidation, cors_origins_is_a_list_of_strings) {
  auto result = parse("api: {cors_origins: ['http://a', 'http://b']}\n");
  ASSERT_TRUE(result.ok()) << result.error_text();
  EXPECT_EQ(result.config->api.cors_origins, (std::vector<std::string>{"http://a", "http://b"}));
  EXPECT_EQ(only_error(parse("api: {cors_origins: 'http://a'}\n")),
            "api.cors_origins: expected a list, got a string");
  EXPECT_EQ(only_error(parse("api: {cors_origins: ['http://a', {x: 1}]}\n")),
            "api.cors_origins[1]: expected a string, got a mapping");
}

TEST(ConfigValidation, wrong_node_kind_is_reported_at_its_path) {
  auto result = parse("logging: [INFO]\nfeatures: 5\napi: {host: [a]}\ntenants: [prod]\n");
  ASSERT_EQ(result.errors.size(), 4u) << result.error_text();
  EXPECT_EQ(result.errors[0].to_string(), "logging: expected a mapping, got a list");
  EXPECT_EQ(result.errors[1].to_string(), "features: expected a mapping, got a string");
  EXPECT_EQ(result.errors[2].to_string(), "api.host: expected a string, got a list");
  EXPECT_EQ(result.errors[3].to_string(), "tenants: expected a mapping, got a list");
}

TEST(ConfigValidation, tenant_body_and_storage_must_be_mappings) {
  auto result = parse(
      "tenants:\n  a: just-a-string\n  b:\n    ecosystem: confluent_cloud\n"
      "    tenant_id: b\n    storage: sqlite:///x.db\n    plugin_settings: [1]\n");
  ASSERT_EQ(result.errors.size(), 3u) << result.error_text();
  EXPECT_EQ(result.errors[0].to_string(), "tenants.a: expected a mapping, got a string");
  EXPECT_EQ(result.errors[1].to_string(), "tenants.b.storage: expected a mapping, got a string");
  EXPECT_EQ(result.errors[2].to_string(),
            "tenants.b.plugin_settings: expected a mapping, got a list");
}

TEST(ConfigValidation, top_level_must_be_a_mapping) {
  EXPECT_EQ(only_error(parse("- a\n- b\n")),
            "the configuration must be a mapping at the top level, got a list");
}

TEST(ConfigValidation, ecosystem_and_tenant_id_are_required) {
  auto result = parse("tenants:\n  prod:\n    lookback_days: 100\n");
  ASSERT_EQ(result.errors.size(), 2u) << result.error_text();
  EXPECT_EQ(result.errors[0].to_string(), "tenants.prod.ecosystem: field required");
  EXPECT_EQ(result.errors[1].to_string(), "tenants.prod.tenant_id: field required");
  auto null_body = parse("tenants:\n  prod:\n");
  EXPECT_EQ(null_body.errors.size(), 2u) << null_body.error_text();
}

TEST(ConfigValidation, ecosystem_must_be_a_known_one) {
  EXPECT_EQ(only_error(parse("tenants:\n  prod: {ecosystem: plugin, tenant_id: p}\n")),
            "tenants.prod.ecosystem: ecosystem must be one of ['confluent_cloud', "
            "'generic_metrics_only', 'self_managed_kafka'], got 'plugin'");
}

TEST(ConfigValidation, tenant_id_must_not_be_empty) {
  EXPECT_EQ(only_error(parse("tenants:\n  prod: {ecosystem: confluent_cloud, tenant_id: ''}\n")),
            "tenants.prod.tenant_id: tenant_id must not be empty");
}

TEST(ConfigValidation, tenant_name_must_be_safe_for_urls_and_file_names) {
  for (const std::string& bad :
       std::vector<std::string>{"'bad name'", "'-lead'", "'a/b'", std::string(64, 'x')}) {
    auto result = parse("tenants:\n  " + bad + ": {ecosystem: confluent_cloud, tenant_id: p}\n");
    ASSERT_EQ(result.errors.size(), 1u) << bad << ": " << result.error_text();
    EXPECT_NE(result.errors[0].message.find("tenant name must match"), std::string::npos);
  }
  auto ok = parse("tenants:\n  Prod_1.eu-west: {ecosystem: confluent_cloud, tenant_id: p}\n  " +
                  std::string(63, 'y') +
                  ": {ecosystem: confluent_cloud, tenant_id: q, storage: "
                  "{connection_string: 'sqlite:///y.db'}}\n");
  EXPECT_TRUE(ok.ok()) << ok.error_text();
}

TEST(ConfigValidation, storage_backend_must_be_sqlmodel) {
  EXPECT_EQ(only_error(parse("tenants:\n  prod:\n    ecosystem: confluent_cloud\n"
                             "    tenant_id: p\n    storage: {backend: sqlalchemy}\n")),
            "tenants.prod.storage.backend: backend must be 'sqlmodel', got 'sqlalchemy'");
}

TEST(ConfigValidation, invalid_connection_string_is_reported_at_its_path) {
  auto result = parse(
      "tenants:\n  prod:\n    ecosystem: confluent_cloud\n    tenant_id: p\n"
      "    storage: {connection_string: 'mysql://root@h/db'}\n");
  ASSERT_EQ(result.errors.size(), 1u) << result.error_text();
  EXPECT_EQ(result.errors[0].path, "tenants.prod.storage.connection_string");
  EXPECT_EQ(result.errors[0].message.find("mysql://root@h/db"), std::string::npos);
}

TEST(ConfigValidation, two_tenants_on_one_sqlite_file_are_rejected) {
  auto result = parse(
      "tenants:\n"
      "  a: {ecosystem: confluent_cloud, tenant_id: a, storage: {connection_string: "
      "'sqlite:///data/a.db'}}\n"
      "  b: {ecosystem: confluent_cloud, tenant_id: b, storage: {connection_string: "
      "'sqlite:///./data/a.db'}}\n");
  EXPECT_EQ(only_error(result),
            "tenants.b.storage.connection_string: tenants 'a' and 'b' share the same storage "
            "connection_string — each tenant must use a separate database");
  EXPECT_EQ(result.error_text().find("data/a.db"), std::string::npos);
}

TEST(ConfigValidation, two_tenants_on_one_postgres_database_are_rejected_even_with_other_users) {
  auto result = parse(
      "tenants:\n"
      "  a: {ecosystem: confluent_cloud, tenant_id: a, storage: {connection_string: "
      "'postgresql://u1:pw1@db:5432/x'}}\n"
      "  b: {ecosystem: confluent_cloud, tenant_id: b, storage: {connection_string: "
      "'postgresql+psycopg2://u2:pw2@db:5432/x'}}\n"
      "  c: {ecosystem: confluent_cloud, tenant_id: c, storage: {connection_string: "
      "'postgresql://u1:pw1@db:5432/other'}}\n");
  EXPECT_EQ(only_error(result),
            "tenants.b.storage.connection_string: tenants 'a' and 'b' share the same storage "
            "connection_string — each tenant must use a separate database");
}

TEST(ConfigValidation, tenants_left_on_the_default_database_collide) {
  auto result = parse(
      "tenants:\n  a: {ecosystem: confluent_cloud, tenant_id: a}\n"
      "  b: {ecosystem: confluent_cloud, tenant_id: b}\n");
  EXPECT_EQ(only_error(result).rfind("tenants.b.storage.connection_string: tenants 'a' and 'b'", 0),
            0u);
}

TEST(ConfigValidation, tenant_names_sharing_a_dotted_prefix_do_not_mask_each_others_checks) {
  auto result = parse(
      "tenants:\n"
      "  x.storage: {ecosystem: confluent_cloud, tenant_id: xs, storage: {connection_string: "
      "nope}}\n"
      "  x: {ecosystem: confluent_cloud, tenant_id: x}\n"
      "  y: {ecosystem: confluent_cloud, tenant_id: y}\n");
  ASSERT_EQ(result.errors.size(), 2u) << result.error_text();
  EXPECT_EQ(result.errors[0].path, "tenants.x.storage.storage.connection_string");
  EXPECT_EQ(result.errors[1].path, "tenants.y.storage.connection_string");
  EXPECT_NE(result.errors[1].message.find("tenants 'x' and 'y'"), std::string::npos);
}

TEST(ConfigValidation, in_memory_databases_never_collide) {
  auto result =
      parse(tenant_yaml("", "a") +
            "  b: {ecosystem: confluent_cloud, tenant_id: b, storage: {connection_string: "
            "'sqlite:///:memory:'}}\n");
  EXPECT_TRUE(result.ok()) << result.error_text();
}

TEST(ConfigValidation, all_errors_are_reported_at_once_in_document_order) {
  auto result = parse(
      "logging: {level: loud}\n"
      "api: {port: 0}\n"
      "tenants:\n"
      "  prod:\n"
      "    ecosystem: confluent_cloud\n"
      "    tenant_id: p\n"
      "    storage: {conection_string: 'sqlite:///x.db'}\n");
  ASSERT_EQ(result.errors.size(), 3u) << result.error_text();
  EXPECT_EQ(result.errors[0].path, "logging.level");
  EXPECT_EQ(result.errors[1].path, "api.port");
  EXPECT_EQ(result.errors[2].path, "tenants.prod.storage.conection_string");
  EXPECT_FALSE(result.config.has_value());
  EXPECT_EQ(result.error_text(), result.errors[0].to_string() + "\n" +
                                     result.errors[1].to_string() + "\n" +
                                     result.errors[2].to_string());
}

TEST(ConfigValidation, duplicate_keys_are_errors) {
  auto result = parse("api: {port: 1}\napi: {port: 2}\n" + tenant_yaml("", "a") +
                      "  a: {ecosystem: confluent_cloud, tenant_id: a}\n");
  ASSERT_EQ(result.errors.size(), 2u) << result.error_text();
  EXPECT_EQ(result.errors[0].to_string(), "api: duplicate key");
  EXPECT_EQ(result.errors[1].to_string(), "tenants.a: duplicate key");
}

TEST(ConfigValidation, yaml_merge_keys_are_resolved_like_pyyaml) {
  auto result = parse(
      "x-defaults: &defaults\n"
      "  ecosystem: confluent_cloud\n"
      "  lookback_days: 100\n"
      "tenants:\n"
      "  a:\n"
      "    <<: *defaults\n"
      "    tenant_id: a\n"
      "    lookback_days: 50\n"
      "    storage: {connection_string: 'sqlite:///:memory:'}\n");
  // The anchor holder itself is an unknown key; the merge into tenants.a works.
  EXPECT_EQ(only_error(result).rfind("x-defaults: unknown key", 0), 0u);
  auto merged = parse(
      "tenants:\n"
      "  a: &base {ecosystem: confluent_cloud, tenant_id: a, lookback_days: 100,"
      " storage: {connection_string: 'sqlite:///:memory:'}}\n"
      "  b:\n"
      "    <<: *base\n"
      "    tenant_id: b\n");
  ASSERT_TRUE(merged.ok()) << merged.error_text();
  EXPECT_EQ(merged.config->tenants[1].tenant_id, "b");
  EXPECT_EQ(merged.config->tenants[1].lookback_days, 100);
}

TEST(ConfigValidation, plugin_settings_keep_plain_scalar_types_and_substitute_strings) {
  auto result = parse(tenant_yaml("    plugin_settings:\n"
                                  "      count: 5\n"
                                  "      negative: -3\n"
                                  "      quoted: '5'\n"
                                  "      rate: 0.45\n"
                                  "      flag: true\n"
                                  "      off_word: off\n"
                                  "      nothing: ~\n"
                                  "      port_from_env: ${PORT}\n"
                                  "      nested: {list: [1, 'two', {url: '${URL:-http://x}'}]}\n"
                                  "      ${NOT_A_KEY_SUBSTITUTION}: kept\n"),
                      {{"PORT", "9090"}});
  ASSERT_TRUE(result.ok()) << result.error_text();
  const auto& ps = result.config->tenants[0].plugin_settings;
  EXPECT_EQ(ps["count"], 5);
  EXPECT_EQ(ps["negative"], -3);
  EXPECT_EQ(ps["quoted"], "5");
  EXPECT_EQ(ps["rate"], "0.45");
  EXPECT_EQ(ps["flag"], true);
  EXPECT_EQ(ps["off_word"], false);
  EXPECT_TRUE(ps["nothing"].is_null());
  EXPECT_EQ(ps["port_from_env"], "9090");
  EXPECT_EQ(ps["nested"]["list"], nlohmann::json::parse(R"([1, "two", {"url": "http://x"}])"));
  EXPECT_EQ(ps["${NOT_A_KEY_SUBSTITUTION}"], "kept");
}

TEST(ConfigValidation, recursive_alias_in_plugin_settings_is_an_error_not_a_crash) {
  auto result = parse(tenant_yaml("    plugin_settings:\n      loop: &x [*x]\n"));
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.error_text().find("recursive alias"), std::string::npos);
}

TEST(ConfigValidation, malformed_yaml_is_one_error_with_line_and_column) {
  auto result = parse_config("api: {port: 1\ntenants: [\n", Environment::from_map({}), "c.yaml");
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].path, "");
  EXPECT_EQ(result.errors[0].message.rfind("Malformed YAML in 'c.yaml': line ", 0), 0u)
      << result.errors[0].message;
  EXPECT_NE(result.errors[0].message.find("column"), std::string::npos);
}

// yaml-cpp 0.7 loops forever on these (the fuzzer found them in CI): they must be one error.
TEST(ConfigValidation, texts_the_yaml_parser_would_loop_on_are_one_malformed_error) {
  for (const std::string& text : {std::string(", bteYa, b]\n"), std::string("\0,   aan", 8),
                                  std::string(", a]\n"), std::string(", ,"), std::string(",")}) {
    auto result = parse_config(text, Environment::from_map({}), "c.yaml");
    ASSERT_EQ(result.errors.size(), 1u) << text;
    EXPECT_EQ(result.errors[0].message.rfind("Malformed YAML in 'c.yaml': line ", 0), 0u)
        << result.errors[0].message;
  }
}

// The event budget that stops those loops leaves room for the densest well-formed text.
TEST(ConfigValidation, dense_well_formed_yaml_is_not_cut_short) {
  std::string flow = "x: [";
  std::string nulls = "y: {";
  for (int i = 0; i < 5000; ++i) {
    flow += "[],{},";
    nulls += "? ,";
  }
  for (const auto& text : {flow + "[]]\n", nulls + "? }\n"}) {
    auto result = parse_config(text, Environment::from_map({}), "c.yaml");
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error_text().find("Malformed YAML"), std::string::npos)
        << result.error_text().substr(0, 300);
  }
}

TEST(ConfigValidation, several_yaml_documents_are_malformed) {
  EXPECT_EQ(only_error(parse("api: {}\n---\napi: {}\n")),
            "Malformed YAML in '<config>': expected a single document, found 2");
}

}  // namespace
}  // namespace chitragupt::config
