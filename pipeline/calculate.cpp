#include "pipeline/calculate.hpp"

#include <ctime>
#include <set>

#include <spdlog/spdlog.h>

#include "allocation/allocate_line.hpp"
#include "storage/billing_store.hpp"
#include "storage/chargeback_store.hpp"
#include "storage/inventory_store.hpp"
#include "storage/utc_time.hpp"

namespace chitragupt::pipeline {
namespace {

// ---- storage records -> allocation values ----------------------------------------------

std::optional<std::int64_t> epoch_of(const std::string& ts) {
  if (ts.size() < 10) return std::nullopt;
  std::tm tm{};
  if (!strptime(ts.c_str(), ts.size() >= 19 ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d", &tm)) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(timegm(&tm));
}

std::string timestamp_of(std::int64_t epoch) {
  return storage::utc_timestamp(static_cast<std::time_t>(epoch));
}

// Metadata as flat text: strings as they are, anything else as its JSON text.
std::map<std::string, std::string> flat_metadata(const std::string& json_text) {
  std::map<std::string, std::string> out;
  if (json_text.empty()) return out;
  auto j = nlohmann::json::parse(json_text, nullptr, false);
  if (!j.is_object()) return out;
  for (auto it = j.begin(); it != j.end(); ++it) {
    out[it.key()] = it->is_string() ? it->get<std::string>() : it->dump();
  }
  return out;
}

allocation::Resource to_allocation(const storage::ResourceRecord& r, const std::string& ecosystem,
                                   const std::string& tenant_id) {
  allocation::Resource out;
  out.ecosystem = ecosystem;
  out.tenant_id = tenant_id;
  out.resource_id = r.resource_id;
  out.resource_type = r.resource_type;
  out.display_name = r.display_name;
  out.parent_id = r.parent_id;
  out.owner_id = r.owner_id;
  out.status = r.status;
  out.created_at = epoch_of(r.created_at);
  out.deleted_at = epoch_of(r.deleted_at);
  out.last_seen_at = epoch_of(r.last_seen_at);
  out.metadata = flat_metadata(r.metadata_json);
  // Flink statements: identity resolution reads the pool and owner from metadata.
  if (r.resource_type == "flink_statement") {
    if (!r.parent_id.empty()) out.metadata.emplace("compute_pool_id", r.parent_id);
    if (!r.owner_id.empty()) out.metadata.emplace("owner_id", r.owner_id);
  }
  return out;
}

allocation::Identity to_allocation(const storage::IdentityRecord& i, const std::string& ecosystem,
                                   const std::string& tenant_id) {
  allocation::Identity out;
  out.ecosystem = ecosystem;
  out.tenant_id = tenant_id;
  out.identity_id = i.identity_id;
  out.identity_type = i.identity_type;
  out.display_name = i.display_name;
  out.created_at = epoch_of(i.created_at);
  out.deleted_at = epoch_of(i.deleted_at);
  out.last_seen_at = epoch_of(i.last_seen_at);
  out.metadata = flat_metadata(i.metadata_json);
  return out;
}

Result<allocation::BillingLine> to_allocation(const storage::BillingRecord& b,
                                              const std::string& ecosystem,
                                              const std::string& tenant_id) {
  allocation::BillingLine out;
  out.ecosystem = ecosystem;
  out.tenant_id = tenant_id;
  auto ts = epoch_of(b.timestamp);
  if (!ts) return Status::error("billing line has an unreadable timestamp '" + b.timestamp + "'");
  out.timestamp = *ts;
  out.env_id = b.env_id;
  out.resource_id = b.resource_id;
  out.product_category = b.product_category;
  out.product_type = b.product_type;
  auto quantity = allocation::Decimal::parse(b.quantity);
  auto price = allocation::Decimal::parse(b.unit_price);
  auto total = allocation::Decimal::parse(b.total_cost);
  if (!total) return Status::error("total_cost '" + b.total_cost + "': " + total.error());
  out.quantity = quantity ? *quantity : allocation::Decimal{};
  out.unit_price = price ? *price : allocation::Decimal{};
  out.total_cost = *total;
  out.currency = b.currency;
  out.granularity = b.granularity;
  out.metadata = flat_metadata(b.metadata_json);
  return out;
}

storage::ChargebackFactRecord to_fact(const allocation::ChargebackRow& r) {
  storage::ChargebackFactRecord f;
  f.timestamp = timestamp_of(r.timestamp);
  f.resource_id = r.resource_id;
  f.product_category = r.product_category;
  f.product_type = r.product_type;
  f.identity_id = r.identity_id;
  f.cost_type = std::string(allocation::to_string(r.cost_type));
  f.allocation_method = r.allocation_method;
  f.allocation_detail = r.allocation_detail.value_or("");
  f.env_id = r.metadata.env_id;
  f.amount_units = r.amount.units();
  return f;
}

std::string line_key(const storage::BillingRecord& b) {
  return b.resource_id + "/" + b.product_type + "/" + b.product_category;
}

// Metrics of one (resource, window) group, fetched once per date and shared by its lines.
struct MetricsGroup {
  std::vector<allocation::MetricRow> rows;
  bool failed = false;
};

// One date: allocate every line, then write all rows (or keep the date pending).
struct DateOutcome {
  std::vector<storage::ChargebackFactRecord> facts;
  std::int64_t lines = 0;
  std::int64_t failed_for_good = 0;
  std::vector<std::pair<storage::BillingRecord, std::int64_t>> attempts;  // failed below limit
  std::string error;  // set when the date must stay pending
};

DateOutcome allocate_date(const std::vector<storage::BillingRecord>& lines,
                          const std::vector<allocation::Resource>& resources,
                          const std::vector<allocation::Identity>& identities,
                          const config::TenantConfig& tenant, const CalculateOptions& options) {
  DateOutcome out;
  std::map<std::string, MetricsGroup> metrics_cache;  // resource_id|start|metric -> rows
  MetricsGroup group;                                 // the current line's metrics
  for (const auto& record : lines) {
    out.lines++;
    std::string error;
    std::vector<allocation::ChargebackRow> rows;
    auto line = to_allocation(record, tenant.ecosystem, tenant.tenant_id);
    if (line) {
      allocation::LineInputs inputs;
      inputs.resources = &resources;
      inputs.identities = &identities;
      inputs.params = options.params;
      inputs.granularity_durations = options.granularity_durations;
      const auto* rule = options.registry->rule(line->product_type);
      if (options.metrics && rule && !rule->metric_keys.empty()) {
        // Each (resource, day, metric) is fetched once and shared by the lines that need it.
        const std::int64_t start = line->timestamp;
        group.rows.clear();
        group.failed = false;
        for (const auto& metric : rule->metric_keys) {
          auto key = line->resource_id + "|" + std::to_string(start) + "|" + metric;
          auto it = metrics_cache.find(key);
          if (it == metrics_cache.end()) {
            MetricsGroup g;
            auto fetched = options.metrics({metric}, line->resource_id, start, start + 86400);
            if (fetched) {
              g.rows = std::move(*fetched);
            } else {
              g.failed = true;
              spdlog::warn("tenant={} event=metrics_fetch_failed resource_id={} metric={} error={}",
                           tenant.name, line->resource_id, metric, fetched.error());
            }
            it = metrics_cache.emplace(key, std::move(g)).first;
          }
          group.rows.insert(group.rows.end(), it->second.rows.begin(), it->second.rows.end());
          group.failed = group.failed || it->second.failed;
        }
        inputs.metrics = &group.rows;
        inputs.metrics_fetch_failed = group.failed;
      }
      auto allocated = allocation::allocate_line(*line, inputs, *options.registry);
      if (allocated) {
        rows = std::move(*allocated);
      } else {
        error = allocated.error();
      }
    } else {
      error = line.error();
    }
    if (error.empty()) {
      for (const auto& r : rows) out.facts.push_back(to_fact(r));
      continue;
    }
    const std::int64_t attempts = record.allocation_attempts + 1;
    if (attempts < tenant.allocation_retry_limit) {
      out.attempts.emplace_back(record, attempts);
      out.error = line_key(record) + ": " + error;
      continue;
    }
    // At the limit: one UNALLOCATED row keeps the money visible and lets the date complete.
    out.failed_for_good++;
    allocation::BillingLine failed_line;
    if (line) {
      failed_line = *line;
    } else {
      // The line itself is unreadable (e.g. its amount): record the failure with a zero amount
      // rather than block the date forever; the error names the line.
      failed_line.ecosystem = tenant.ecosystem;
      failed_line.tenant_id = tenant.tenant_id;
      failed_line.timestamp = epoch_of(record.timestamp).value_or(0);
      failed_line.env_id = record.env_id;
      failed_line.resource_id = record.resource_id;
      failed_line.product_category = record.product_category;
      failed_line.product_type = record.product_type;
    }
    auto failed = allocation::allocation_failed_row(failed_line, static_cast<int>(attempts), error);
    if (failed) {
      out.facts.push_back(to_fact(*failed));
      continue;
    }
    out.error = line_key(record) + ": " + failed.error();
  }
  return out;
}

}  // namespace

allocation::AllocatorParams allocator_params_of(const nlohmann::json& plugin_settings) {
  allocation::AllocatorParams params;
  if (!plugin_settings.is_object() || !plugin_settings.contains("allocator_params")) return params;
  const auto& p = plugin_settings["allocator_params"];
  if (!p.is_object()) return params;
  for (auto it = p.begin(); it != p.end(); ++it) {
    params[it.key()] = it->is_string() ? it->get<std::string>() : it->dump();
  }
  return params;
}

Result<CalculateReport> calculate_pending(storage::Database& db, const config::TenantConfig& tenant,
                                          const CalculateOptions& options) {
  CalculateReport report;
  storage::BillingStore billing(db, tenant.ecosystem, tenant.tenant_id);
  storage::InventoryStore inventory(db, tenant.ecosystem, tenant.tenant_id);
  storage::ChargebackStore chargebacks(db, tenant.ecosystem, tenant.tenant_id);
  auto pending = billing.pending_dates();
  if (!pending) return pending.status();

  for (const auto& date : *pending) {
    if (options.stopping && options.stopping->load()) {
      report.interrupted = true;
      break;
    }
    auto [start, end] = storage::day_bounds(date);
    auto lines = billing.lines_for_date(date);
    if (!lines) return lines.status();
    auto res = inventory.resources_alive(start, end);
    if (!res) return res.status();
    auto ids = inventory.identities_alive(start, end);
    if (!ids) return ids.status();
    std::vector<allocation::Resource> resources;
    for (const auto& r : *res)
      resources.push_back(to_allocation(r, tenant.ecosystem, tenant.tenant_id));
    std::vector<allocation::Identity> identities;
    for (const auto& i : *ids)
      identities.push_back(to_allocation(i, tenant.ecosystem, tenant.tenant_id));

    DateOutcome outcome = allocate_date(*lines, resources, identities, tenant, options);
    report.lines += outcome.lines;

    storage::Transaction tx(db, storage::TxMode::immediate);
    if (!tx.begin_status()) return tx.begin_status();
    if (!outcome.error.empty()) {
      // The date stays pending; only the attempt counters are kept.
      for (const auto& [line, attempts] : outcome.attempts) {
        if (auto s = billing.set_allocation_attempts(line, attempts); !s) return s;
      }
      if (auto s = tx.commit(); !s) return s;
      report.dates_left_pending++;
      report.errors.push_back(date + ": " + outcome.error);
      spdlog::warn("tenant={} event=calculation_deferred tracking_date={} error={}", tenant.name,
                   date, outcome.error);
      continue;
    }
    auto written = chargebacks.replace_date(date, outcome.facts);
    Status status = written.status();
    if (status)
      status = billing.mark_calculated(date, options.run_id,
                                       "run-" + std::to_string(options.run_id) + "-" + date);
    if (status) status = tx.commit();
    if (!status) {
      chargebacks.transaction_rolled_back();
      return Status::error("writing chargebacks of " + date + ": " + status.message());
    }
    chargebacks.transaction_committed();
    report.dates_calculated++;
    report.rows_written += *written;
    report.lines_failed_for_good += outcome.failed_for_good;
  }
  return report;
}

}  // namespace chitragupt::pipeline
