#include "sim/billing.hpp"

#include <algorithm>
#include <cstdio>
#include <set>
#include <tuple>

#include "sim/money.hpp"
#include "sim/random.hpp"
#include "sim/sim_time.hpp"

namespace ccloud_sim {

namespace {

constexpr int64_t kMicros = kMicrosPerUnit;

// Literal list prices only (dollars(0.052)); everything computed stays in integer micros.
int64_t dollars(double value) {
  return static_cast<int64_t>(value * static_cast<double>(kMicros) + 0.5);
}

// Quantities carry 3 decimals, like the API's.
int64_t round_to_milli(int64_t micros) { return (micros + 500) / 1000 * 1000; }

struct Resource {
  std::string id, name, env_id, network_access_type;
};

class LedgerBuilder {
 public:
  LedgerBuilder(const OrgModel& model, const Telemetry& telemetry) : m_(model), t_(telemetry) {}

  std::vector<CostRow> build() {
    for (int64_t day = m_.start_day; day < m_.end_day; ++day) {
      day_ = day;
      ds_ = day * kSecondsPerDay;
      de_ = ds_ + kSecondsPerDay;
      for (size_t c = 0; c < m_.kafka_clusters.size(); ++c) kafka(c);
      for (const auto& connector : m_.connectors) connect(connector);
      for (const auto& sr : m_.schema_registries) governance(sr);
      for (size_t k = 0; k < m_.ksqldb_clusters.size(); ++k) ksql(k);
      for (size_t p = 0; p < m_.flink_pools.size(); ++p) flink(p);
      org_wide();
    }
    return std::move(rows_);
  }

 private:
  // Hours of the day the object existed, in micros of an hour.
  int64_t hours(const Lifetime& life) const {
    return scale_round(life.active_seconds(ds_, de_), kMicros, kSecondsPerHour);
  }

  void add(const Resource& r, const std::string& product, const std::string& line_type,
           const std::string& unit, int64_t quantity, int64_t price, int64_t discount_permille = 0,
           int tier = 0) {
    CostRow row;
    row.day = day_;
    row.product = product;
    row.line_type = line_type;
    row.unit = unit;
    row.resource_id = r.id;
    row.resource_name = r.name;
    row.env_id = r.env_id;
    row.network_access_type = r.network_access_type;
    row.quantity = next_json_exact(quantity);
    row.price = next_json_exact(price);
    row.original_amount = next_json_exact(scale_round(row.quantity, row.price, kMicros));
    int64_t discount = scale_round(row.original_amount, discount_permille, 1000);
    for (;;) {
      discount = next_json_exact(discount);
      if (discount > row.original_amount) discount = 0;
      if (json_prints_exactly(row.original_amount - discount)) break;
      ++discount;
    }
    row.discount_amount = discount;
    row.amount = row.original_amount - discount;
    char id[32];
    std::snprintf(id, sizeof id, "cost-%010llx",
                  static_cast<unsigned long long>(
                      hash_of(m_.seed, "cost", static_cast<uint64_t>(day_), hash_text(r.id),
                              hash_text(line_type) + static_cast<uint64_t>(tier)) >>
                      24));
    row.id = id;
    rows_.push_back(std::move(row));
  }

  // Tiered usage: the first `threshold` units at `first_price`, the rest at `second_price`,
  // as two rows with the same key.
  void add_tiered(const Resource& r, const std::string& product, const std::string& line_type,
                  const std::string& unit, int64_t quantity, int64_t threshold, int64_t first_price,
                  int64_t second_price) {
    if (quantity <= 0) return;
    add(r, product, line_type, unit, std::min(quantity, threshold), first_price, 0, 1);
    if (quantity > threshold) {
      add(r, product, line_type, unit, quantity - threshold, second_price, 0, 2);
    }
  }

  int64_t day_bytes(size_t cluster, bool inbound) const {
    int64_t total = 0;
    for (int64_t h = ds_ / kSecondsPerHour; h < de_ / kSecondsPerHour; ++h) {
      if (auto v = t_.cluster_bytes(cluster, h, inbound)) total += *v;
    }
    return total;
  }

  int64_t day_retained_byte_hours(size_t cluster) const {
    int64_t total = 0;
    const auto& topics = m_.kafka_clusters[cluster].topics;
    for (int64_t h = ds_ / kSecondsPerHour; h < de_ / kSecondsPerHour; ++h) {
      for (size_t t = 0; t < topics.size(); ++t) {
        if (auto v = t_.topic_retained(cluster, t, h)) total += *v;
      }
    }
    return total;
  }

  uint64_t roll(const std::string& what, const std::string& id) const {
    return hash_of(m_.seed, what, static_cast<uint64_t>(day_), hash_text(id));
  }

  void kafka(size_t index) {
    const KafkaCluster& c = m_.kafka_clusters[index];
    const int64_t h = hours(c.life);
    if (h == 0) return;
    const Resource r{c.id, c.display_name, c.env_id, c.network_access_type};
    if (c.kind == "Dedicated") {
      const std::string line = index % 8 == 4 ? "KAFKA_NUM_CKUS" : "KAFKA_NUM_CKU";
      add(r, "KAFKA", line, "CKU_HOUR", c.cku * h, dollars(2.0736), 150);
    } else {
      const int64_t price = c.kind == "Basic"      ? 0
                            : c.kind == "Standard" ? dollars(1.5)
                                                   : dollars(2.25);
      add(r, "KAFKA", "KAFKA_BASE", "HOUR", h, price);
    }
    // 1 GB = 10^9 bytes, so GB in micros = bytes / 1000.
    const int64_t write_gb = round_to_milli(day_bytes(index, true) / 1000);
    const int64_t read_gb = round_to_milli(day_bytes(index, false) / 1000);
    add_tiered(r, "KAFKA", "KAFKA_NETWORK_WRITE", "GB", write_gb, 10 * kMicros, dollars(0.052),
               dollars(0.034));
    add_tiered(r, "KAFKA", "KAFKA_NETWORK_READ", "GB", read_gb, 10 * kMicros, dollars(0.13),
               dollars(0.05));
    if (c.kind == "Standard" || c.kind == "Enterprise") {
      int64_t partitions = 0;
      for (const auto& t : c.topics) partitions += t.partitions;
      add(r, "KAFKA", "KAFKA_PARTITION", "PARTITION_HOUR", round_to_milli(partitions * h),
          dollars(0.000125));
    }
    const int64_t storage = round_to_milli(day_retained_byte_hours(index) / 1000);
    if (storage > 0) add(r, "KAFKA", "KAFKA_STORAGE", "GB_HOUR", storage, dollars(0.000137));
    if (index == 1) {  // a line type the cost model does not know
      const int64_t requests = static_cast<int64_t>(roll("rest", c.id) % 400 + 20) * kMicros;
      add(r, "KAFKA", "KAFKA_REST_PRODUCE", "REQUEST_1K", requests, dollars(0.0008));
    }
    if (index == 0) {
      const int64_t processed = round_to_milli(write_gb / 10);
      if (processed > 0)
        add(r, "TABLEFLOW", "TABLEFLOW_DATA_PROCESSED", "GB", processed, dollars(0.04));
      add(r, "TABLEFLOW", "TABLEFLOW_NUM_TOPICS", "TOPIC_HOUR", 3 * h, dollars(0.0132));
      add(r, "TABLEFLOW", "TABLEFLOW_STORAGE", "GB_HOUR", round_to_milli(storage / 20),
          dollars(0.00011));
      if (c.kind == "Dedicated") {
        add(r, "CLUSTER_LINK", "CLUSTER_LINKING_PER_LINK", "LINK_HOUR", h, dollars(0.28));
        add(r, "CLUSTER_LINK", "CLUSTER_LINKING_WRITE", "GB", round_to_milli(write_gb / 4),
            dollars(0.04));
        add(r, "CLUSTER_LINK", "CLUSTER_LINKING_READ", "GB", round_to_milli(read_gb / 5),
            dollars(0.04));
      }
    }
  }

  void connect(const Connector& c) {
    const int64_t h = hours(c.life);
    if (h == 0) return;
    const Resource r{c.id, c.name, c.env_id, ""};
    const int64_t throughput = round_to_milli(
        static_cast<int64_t>(roll("connect-gb", c.id) % 80000 + 500) * 1000 * h / (24 * kMicros));
    if (c.custom) {
      add(r, "CONNECT", "CUSTOM_CONNECT_NUM_TASKS", "TASK_HOUR", c.tasks * h, dollars(0.1));
      add_tiered(r, "CONNECT", "CUSTOM_CONNECT_THROUGHPUT", "GB", throughput, 10 * kMicros,
                 dollars(0.025), dollars(0.0125));
      return;
    }
    add(r, "CONNECT", "CONNECT_CAPACITY", "HOUR", h, dollars(0.12));
    add(r, "CONNECT", "CONNECT_NUM_TASKS", "TASK_HOUR", c.tasks * h, dollars(0.034));
    add_tiered(r, "CONNECT", "CONNECT_THROUGHPUT", "GB", throughput, 10 * kMicros, dollars(0.025),
               dollars(0.0125));
  }

  void governance(const SchemaRegistry& sr) {
    const int64_t h = hours(sr.life);
    if (h == 0) return;
    const Resource r{sr.id, sr.display_name, sr.env_id, ""};
    const int64_t billable = std::max(0, sr.schemas - 100);
    add(r, "STREAM_GOVERNANCE", "SCHEMA_REGISTRY", "SCHEMA_HOUR", billable * h, dollars(0.000137));
    if (sr.package == "ADVANCED") {
      add(r, "STREAM_GOVERNANCE", "GOVERNANCE_BASE", "HOUR", h, dollars(1.0));
      add(r, "STREAM_GOVERNANCE", "NUM_RULES", "RULE_HOUR", 10 * h, dollars(0.023), 0, 1);
      add(r, "STREAM_GOVERNANCE", "NUM_RULES", "RULE_HOUR", 3 * h, dollars(0.0345), 0, 2);
    }
  }

  void ksql(size_t index) {
    const KsqlCluster& k = m_.ksqldb_clusters[index];
    const int64_t h = hours(k.life);
    if (h == 0) return;
    const Resource r{k.id, k.display_name, k.env_id, ""};
    add(r, "KSQL", index % 2 == 1 ? "KSQL_NUM_CSUS" : "KSQL_NUM_CSU", "CSU_HOUR", k.csu * h,
        dollars(0.23));
  }

  void flink(size_t index) {
    const FlinkPool& p = m_.flink_pools[index];
    if (p.life.active_seconds(ds_, de_) == 0) return;
    int64_t cfu_minutes = 0;
    for (size_t s : t_.statements_of(index)) {
      for (int64_t hr = ds_ / kSecondsPerHour; hr < de_ / kSecondsPerHour; ++hr) {
        if (auto cfu = t_.statement_cfu(s, hr)) cfu_minutes += *cfu * 60;
      }
    }
    if (cfu_minutes == 0) return;
    const Resource r{p.id, p.display_name, p.env_id, ""};
    add(r, "FLINK", index % 2 == 1 ? "FLINK_NUM_CFUS" : "FLINK_NUM_CFU", "CFU_MINUTE",
        cfu_minutes * kMicros, dollars(0.0035));
  }

  void org_wide() {
    const Resource audit{m_.audit_log_cluster_id, "audit-log", "", ""};
    const int64_t read_gb =
        round_to_milli(static_cast<int64_t>(roll("audit", audit.id) % 4000 + 50) * 1000);
    add(audit, "AUDIT_LOG", "AUDIT_LOG_READ", "GB", read_gb, dollars(0.32));
    const Resource support{m_.organization.id, "Business support plan", "", ""};
    const CivilDate date = civil_from_days(day_);
    // A monthly fee spread over the month's days: 1000/30 = 33.333333 (6 dp, half up).
    const int64_t daily = scale_round(1000 * kMicros, 1, days_in_month(date.year, date.month));
    add(support, "SUPPORT_CLOUD_BUSINESS", "SUPPORT", "DAY", kMicros, daily);
  }

  const OrgModel& m_;
  const Telemetry& t_;
  int64_t day_ = 0, ds_ = 0, de_ = 0;
  std::vector<CostRow> rows_;
};

}  // namespace

BillingLedger::BillingLedger(const OrgModel& model, const Telemetry& telemetry)
    : rows_(LedgerBuilder(model, telemetry).build()) {}

std::pair<size_t, size_t> BillingLedger::day_range(int64_t from_day, int64_t to_day) const {
  auto first = std::lower_bound(rows_.begin(), rows_.end(), from_day,
                                [](const CostRow& row, int64_t day) { return row.day < day; });
  auto last = std::lower_bound(first, rows_.end(), to_day,
                               [](const CostRow& row, int64_t day) { return row.day < day; });
  return {static_cast<size_t>(first - rows_.begin()), static_cast<size_t>(last - rows_.begin())};
}

std::vector<DayTotals> BillingLedger::day_totals() const {
  std::vector<DayTotals> totals;
  size_t i = 0;
  while (i < rows_.size()) {
    DayTotals day;
    day.day = rows_[i].day;
    std::map<std::tuple<std::string, std::string, std::string, std::string>, int64_t> lines;
    for (; i < rows_.size() && rows_[i].day == day.day; ++i) {
      const CostRow& row = rows_[i];
      ++day.rows;
      day.amount += row.amount;
      lines[{row.env_id, row.resource_id, row.product, row.line_type}] += row.amount;
    }
    day.lines = static_cast<int64_t>(lines.size());
    for (const auto& [key, amount] : lines) day.amount_quantized += quantize_to_4(amount);
    totals.push_back(day);
  }
  return totals;
}

std::map<std::string, LineTypeTotals> BillingLedger::line_type_totals() const {
  std::map<std::string, LineTypeTotals> totals;
  for (const auto& row : rows_) {
    auto& t = totals[row.line_type];
    ++t.rows;
    t.amount += row.amount;
  }
  return totals;
}

nlohmann::json cost_json(const CostRow& row) {
  nlohmann::json resource = {{"id", row.resource_id}, {"display_name", row.resource_name}};
  resource["environment"] =
      row.env_id.empty() ? nlohmann::json(nullptr) : nlohmann::json{{"id", row.env_id}};
  nlohmann::json cost = {
      {"id", row.id},
      {"start_date", format_date(row.day)},
      {"end_date", format_date(row.day + 1)},
      {"granularity", "DAILY"},
      {"product", row.product},
      {"line_type", row.line_type},
      {"unit", row.unit},
      {"quantity", micros_to_double(row.quantity)},
      {"price", micros_to_double(row.price)},
      {"original_amount", micros_to_double(row.original_amount)},
      {"discount_amount", micros_to_double(row.discount_amount)},
      {"amount", micros_to_double(row.amount)},
      {"resource", resource},
  };
  if (!row.network_access_type.empty()) cost["network_access_type"] = row.network_access_type;
  return cost;
}

}  // namespace ccloud_sim
