#include "sim/truth.hpp"

#include "sim/money.hpp"
#include "sim/sim_time.hpp"
#include "sim/topic_truth.hpp"

namespace ccloud_sim {

namespace {

using json = nlohmann::json;

template <typename T>
int64_t count_listed(const std::vector<T>& items) {
  int64_t n = 0;
  for (const auto& item : items) n += item.life.listed() ? 1 : 0;
  return n;
}

template <typename T>
int64_t count_deleted_inside(const std::vector<T>& items, const OrgModel& m) {
  int64_t n = 0;
  for (const auto& item : items) {
    n += item.life.deleted_at && *item.life.deleted_at >= m.window_start ? 1 : 0;
  }
  return n;
}

}  // namespace

nlohmann::json truth_json(const OrgModel& m, const BillingLedger& ledger) {
  json days = json::array();
  int64_t rows = 0, lines = 0, amount = 0, quantized = 0;
  for (const auto& day : ledger.day_totals()) {
    days.push_back({{"date", format_date(day.day)},
                    {"rows", day.rows},
                    {"lines", day.lines},
                    {"amount_raw", fixed_text(day.amount, 6)},
                    {"amount_quantized", fixed_text(day.amount_quantized, 4)}});
    rows += day.rows;
    lines += day.lines;
    amount += day.amount;
    quantized += day.amount_quantized;
  }
  json line_types = json::object();
  for (const auto& [type, totals] : ledger.line_type_totals()) {
    line_types[type] = {{"rows", totals.rows}, {"amount_raw", fixed_text(totals.amount, 6)}};
  }
  json objects = {{"environments", count_listed(m.environments)},
                  {"kafka_clusters", count_listed(m.kafka_clusters)},
                  {"connectors", count_listed(m.connectors)},
                  {"schema_registries", count_listed(m.schema_registries)},
                  {"ksqldb_clusters", count_listed(m.ksqldb_clusters)},
                  {"flink_compute_pools", count_listed(m.flink_pools)},
                  {"flink_statements", count_listed(m.flink_statements)},
                  {"service_accounts", count_listed(m.service_accounts)},
                  {"users", count_listed(m.users)},
                  {"api_keys", count_listed(m.api_keys)},
                  {"identity_providers", count_listed(m.identity_providers)},
                  {"identity_pools", count_listed(m.identity_pools)}};
  json deleted = {{"environments", count_deleted_inside(m.environments, m)},
                  {"kafka_clusters", count_deleted_inside(m.kafka_clusters, m)},
                  {"connectors", count_deleted_inside(m.connectors, m)},
                  {"schema_registries", count_deleted_inside(m.schema_registries, m)},
                  {"ksqldb_clusters", count_deleted_inside(m.ksqldb_clusters, m)},
                  {"flink_compute_pools", count_deleted_inside(m.flink_pools, m)},
                  {"flink_statements", count_deleted_inside(m.flink_statements, m)},
                  {"service_accounts", count_deleted_inside(m.service_accounts, m)},
                  {"users", count_deleted_inside(m.users, m)},
                  {"api_keys", count_deleted_inside(m.api_keys, m)},
                  {"identity_providers", count_deleted_inside(m.identity_providers, m)},
                  {"identity_pools", count_deleted_inside(m.identity_pools, m)}};
  return json{{"seed", m.seed},
              {"preset", preset_name(m.preset)},
              {"organization_id", m.organization.id},
              {"window",
               {{"start_date", format_date(m.start_day)},
                {"end_date", format_date(m.end_day)},
                {"days", m.end_day - m.start_day}}},
              {"billing",
               {{"rows", rows},
                {"lines", lines},
                {"amount_raw", fixed_text(amount, 6)},
                {"amount_quantized", fixed_text(quantized, 4)},
                {"days", days},
                {"line_types", line_types}}},
              {"objects", objects},
              {"deleted_during_window", deleted},
              {"topics", topic_truth_json(m)}};
}

}  // namespace ccloud_sim
