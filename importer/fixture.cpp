#include "importer/fixture.hpp"

#include <ctime>
#include <map>
#include <memory>
#include <tuple>
#include <vector>

namespace chitragupt::importer::fixture {
namespace {

using allocation::Decimal;
using storage::Params;
using storage::Value;

std::string date_plus(const std::string& first, int days) {
  std::tm tm{};
  strptime(first.c_str(), "%Y-%m-%d", &tm);
  std::time_t t = timegm(&tm) + static_cast<std::time_t>(days) * 86400;
  std::tm out{};
  gmtime_r(&t, &out);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &out);
  return buf;
}

// units of 10^-scale as plain decimal text: (12345, 4) -> "1.2345".
std::string dec(std::int64_t units, int scale) {
  const bool negative = units < 0;
  std::uint64_t m =
      negative ? static_cast<std::uint64_t>(-units) : static_cast<std::uint64_t>(units);
  std::string digits = std::to_string(m);
  if (scale == 0) return (negative ? "-" : "") + digits;
  while (static_cast<int>(digits.size()) <= scale) digits.insert(digits.begin(), '0');
  digits.insert(digits.end() - scale, '.');
  return (negative ? "-" : "") + digits;
}

Decimal exact(const std::string& text) { return *Decimal::parse(text); }

class Writer {
 public:
  Writer(storage::Database& db, const Options& o, Expected& e)
      : db_(db), o_(o), e_(e), pg_(db.dialect() == Dialect::postgresql) {}

  // Family A ("YYYY-MM-DD HH:MM:SS") and B (with microseconds) as the original stores them.
  Value ts_a(const std::string& date, const std::string& time = "00:00:00") const {
    return pg_ ? date + " " + time + "+00" : date + " " + time;
  }
  Value ts_b(const std::string& date, const std::string& time, const std::string& micros) const {
    return pg_ ? date + " " + time + "." + micros + "+00" : date + " " + time + "." + micros;
  }
  Value flag(bool b) const {
    return pg_ ? Value(std::string(b ? "t" : "f")) : Value(std::int64_t{b});
  }

  Status run();

 private:
  Status exec(const std::string& sql, const Params& p) {
    auto it = stmts_.find(sql);
    if (it == stmts_.end()) {
      auto s = db_.prepare(sql);
      if (!s) return s.status();
      it = stmts_.emplace(sql, std::move(*s)).first;
    }
    return it->second->execute(p);
  }
  // A chargeback dimension by its columns (NULLs as given), created on first use.
  Result<std::int64_t> dimension(const std::string& resource, const std::string& category,
                                 const std::string& type, const std::string& identity,
                                 const std::string& cost_type, const std::string& method,
                                 const Value& detail, const std::string& env);
  Status fact(const std::string& date, std::int64_t dim, const std::string& amount) {
    ++e_.facts;
    auto d = exact(amount);
    auto& sum = e_.charged[date];
    sum = *sum.add(d);
    if (!(Decimal::from_money(*d.to_money()) == d)) ++e_.inexact_facts;
    return exec(
        "INSERT INTO chargeback_facts (\"timestamp\", dimension_id, amount, tags_json) "
        "VALUES (?, ?, ?, '{}')",
        {ts_a(date), dim, amount});
  }
  Status line(const std::string& date, const std::string& env, const std::string& resource,
              const std::string& type, const std::string& category, const std::string& total) {
    ++e_.billing_lines;
    auto& sum = e_.billed[date];
    sum = *sum.add(exact(total));
    if (ccloud()) {
      return exec(
          "INSERT INTO ccloud_billing (ecosystem, tenant_id, \"timestamp\", env_id, resource_id, "
          "product_type, product_category, quantity, unit_price, total_cost, currency, "
          "granularity, allocation_attempts, metadata_json, topic_attribution_attempts) VALUES "
          "(?, ?, ?, ?, ?, ?, ?, '24.0', '0', ?, 'USD', 'daily', 0, ?, 0)",
          {o_.ecosystem, o_.tenant_id, ts_a(date), env, resource, type, category, total,
           "{\"resource_name\": \"" + resource + "\", \"original_amount\": \"" + total + "\"}"});
    }
    return exec(
        "INSERT INTO billing (ecosystem, tenant_id, \"timestamp\", resource_id, product_type, "
        "product_category, quantity, unit_price, total_cost, currency, granularity, "
        "metadata_json, allocation_attempts, topic_attribution_attempts) VALUES "
        "(?, ?, ?, ?, ?, ?, '72', '0.0417', ?, 'USD', 'daily', NULL, 0, 0)",
        {o_.ecosystem, o_.tenant_id, ts_a(date), resource, type, category, total});
  }
  bool ccloud() const { return o_.ecosystem == "confluent_cloud"; }

  storage::Database& db_;
  const Options& o_;
  Expected& e_;
  bool pg_;
  std::map<std::string, std::unique_ptr<storage::Statement>> stmts_;
  std::map<std::tuple<std::string, std::string, std::string, std::string, std::string, std::string,
                      std::string, std::string>,
           std::int64_t>
      dims_;
  std::int64_t next_dim_ = 1;
};

Result<std::int64_t> Writer::dimension(const std::string& resource, const std::string& category,
                                       const std::string& type, const std::string& identity,
                                       const std::string& cost_type, const std::string& method,
                                       const Value& detail, const std::string& env) {
  std::string detail_key = std::holds_alternative<std::string>(detail)
                               ? "s:" + std::get<std::string>(detail)
                               : std::string("NULL");
  auto key =
      std::make_tuple(resource, category, type, identity, cost_type, method, detail_key, env);
  auto it = dims_.find(key);
  if (it != dims_.end()) return it->second;
  const std::int64_t id = next_dim_++;
  ++e_.dimensions;
  auto s = exec(
      "INSERT INTO chargeback_dimensions (dimension_id, ecosystem, tenant_id, resource_id, "
      "product_category, product_type, identity_id, cost_type, allocation_method, "
      "allocation_detail, env_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {id, o_.ecosystem, o_.tenant_id, resource, category, type, identity, cost_type, method,
       detail, env});
  if (!s) return s;
  dims_.emplace(key, id);
  return id;
}

Status Writer::run() {
  const std::string env = ccloud() ? "env-a1b2c3" : "";
  const std::string category = ccloud() ? "KAFKA" : "kafka";
  const std::string compute = ccloud() ? "KAFKA_NUM_CKU" : "SELF_KAFKA_COMPUTE";
  const std::string network = ccloud() ? "KAFKA_NETWORK_WRITE" : "SELF_KAFKA_NETWORK_INGRESS";
  const std::string base = ccloud() ? "KAFKA_BASE" : "SELF_KAFKA_STORAGE";
  const std::string partition = ccloud() ? "KAFKA_PARTITION" : "SELF_KAFKA_NETWORK_EGRESS";
  const int deleted_day = 10;
  const std::string last = date_plus(o_.first_date, o_.days - 1);
  e_.calculated_through = date_plus(o_.first_date, o_.days - 2);

  // ---- inventory: clusters (one deleted on day 10), identities (one deleted), UNALLOCATED
  std::vector<std::string> clusters;
  for (int c = 0; c < o_.clusters; ++c) {
    clusters.push_back((ccloud() ? "lkc-" : "kafka-dc") + std::to_string(c));
  }
  const std::string gone = ccloud() ? "lkc-gone" : "kafka-gone";
  const char* insert_resource =
      "INSERT INTO resources (ecosystem, tenant_id, resource_id, resource_type, display_name, "
      "parent_id, owner_id, status, cloud, region, created_at, deleted_at, last_seen_at, "
      "metadata_json) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?)";
  if (ccloud()) {
    ++e_.resources;
    if (auto s =
            exec(insert_resource, {o_.ecosystem, o_.tenant_id, env, "environment", "production",
                                   std::monostate{}, "active", std::monostate{}, std::monostate{},
                                   ts_b("2025-11-04", "09:12:33", "000000"), std::monostate{},
                                   ts_b(last, "06:00:04", "218530"), std::monostate{}});
        !s)
      return s;
  }
  for (const auto& c : clusters) {
    ++e_.resources;
    if (auto s = exec(insert_resource,
                      {o_.ecosystem, o_.tenant_id, c, ccloud() ? "kafka_cluster" : "cluster",
                       c + " (\xc3\xa9quipe)", env.empty() ? Value() : Value(env), "active", "aws",
                       "us-east-1", ts_b("2025-11-04", "09:30:01", "000000"), std::monostate{},
                       ts_b(last, "06:00:04", "902117"),
                       "{\"bootstrap_url\": \"SASL_SSL://pkc-abcde.example:9092\"}"});
        !s)
      return s;
  }
  ++e_.resources;
  if (auto s = exec(insert_resource,
                    {o_.ecosystem, o_.tenant_id, gone, ccloud() ? "kafka_cluster" : "cluster",
                     "decommissioned", env.empty() ? Value() : Value(env), "deleted", "aws",
                     "us-east-1", ts_b("2025-10-01", "00:00:00", "000000"),
                     ts_b(date_plus(o_.first_date, deleted_day), "03:04:05", "123456"),
                     ts_b(date_plus(o_.first_date, deleted_day - 1), "06:00:00", "000000"),
                     std::monostate{}});
      !s)
    return s;
  std::vector<std::string> people;
  const char* insert_identity =
      "INSERT INTO identities (ecosystem, tenant_id, identity_id, identity_type, display_name, "
      "created_at, deleted_at, last_seen_at, metadata_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
  for (int i = 0; i < o_.identities; ++i) {
    people.push_back((ccloud() ? "sa-" : "User:app") + std::to_string(i));
    ++e_.identities;
    const bool deleted = i == 0;
    if (auto s = exec(
            insert_identity,
            {o_.ecosystem, o_.tenant_id, people.back(), ccloud() ? "service_account" : "principal",
             "app " + std::to_string(i), ts_b("2025-11-05", "10:00:00", "000000"),
             deleted ? ts_b(last, "01:02:03", "000001") : Value(), ts_b(last, "06:00:05", "331904"),
             "{\"description\": \"app " + std::to_string(i) + "\"}"});
        !s)
      return s;
  }
  ++e_.identities;
  if (auto s = exec(insert_identity, {o_.ecosystem, o_.tenant_id, "UNALLOCATED", "system",
                                      "Unallocated Costs", Value(), Value(), Value(), Value()});
      !s)
    return s;

  // ---- tags: on a cluster, on an identity, on the deleted cluster, and an orphan
  const char* insert_tag =
      "INSERT INTO tags (tag_id, tenant_id, entity_type, entity_id, tag_key, tag_value, "
      "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
  const std::vector<std::vector<std::string>> tags = {
      {"resource", clusters[0], "team", "payments"},
      {"resource", clusters[0], "cost_center", "CC-7"},
      {"identity", people[people.size() > 1 ? 1 : 0], "cost_center", "CC-1042"},
      {"identity", people[0], "team", "orders \"core\""},
      {"resource", gone, "team", "legacy"},
      {"resource", "lkc-never-seen", "team", "ghost"}};
  for (std::size_t i = 0; i < tags.size(); ++i) {
    ++e_.tags;
    if (auto s = exec(insert_tag, {static_cast<std::int64_t>(i + 1), o_.tenant_id, tags[i][0],
                                   tags[i][1], tags[i][2], tags[i][3], "jane@acme.example",
                                   ts_b("2026-03-02", "14:05:09", "12345" + std::to_string(i))});
        !s)
      return s;
  }

  // ---- topic attribution dimensions (Confluent Cloud)
  if (ccloud()) {
    for (int t = 0; t < 2; ++t) {
      const std::string topic = t == 0 ? "orders" : "payments";
      if (auto s = exec("INSERT INTO topic_attribution_dimensions (dimension_id, ecosystem, "
                        "tenant_id, env_id, cluster_resource_id, topic_name, product_category, "
                        "product_type, attribution_method, resource_id) VALUES "
                        "(?, ?, ?, ?, ?, ?, ?, ?, 'bytes_ratio', ?)",
                        {std::int64_t{t + 1}, o_.ecosystem, o_.tenant_id, env, clusters[0], topic,
                         category, network, clusters[0] + ":topic:" + topic});
          !s)
        return s;
    }
  }

  // ---- the days
  for (int day = 0; day < o_.days; ++day) {
    const std::string date = date_plus(o_.first_date, day);
    const bool calculated = day < o_.days - 1;
    std::vector<std::string> live = clusters;
    if (day < deleted_day) live.push_back(gone);
    for (std::size_t c = 0; c < live.size(); ++c) {
      const std::string& cluster = live[c];
      // Compute: 4-decimal total split evenly over the identities, remainder first.
      const std::int64_t total = 240000 + 10000 * static_cast<std::int64_t>(c) + 1234 * (day % 7);
      if (auto s = line(date, env, cluster, compute, category, dec(total, 4)); !s) return s;
      if (calculated) {
        const std::int64_t n = static_cast<std::int64_t>(people.size());
        for (std::int64_t i = 0; i < n; ++i) {
          const std::int64_t part = total / n + (i < total % n ? 1 : 0);
          auto dim = dimension(cluster, category, compute, people[static_cast<std::size_t>(i)],
                               "usage", "usage_ratio", Value("usage_ratio_allocation"), env);
          if (!dim) return dim.status();
          if (auto s = fact(date, *dim, dec(part, 4)); !s) return s;
        }
      }
      // Network: 8-decimal total, facts with 9 decimals (unrounded pass-through).
      const std::int64_t net = 51234567 + 1000 * static_cast<std::int64_t>(c) + day;
      if (auto s = line(date, env, cluster, network, category, dec(net, 8)); !s) return s;
      if (calculated) {
        auto a =
            dimension(cluster, category, network, people[0], "usage", "terminal", Value(), env);
        auto b =
            dimension(cluster, category, network, people.back(), "usage", "terminal", Value(), env);
        if (!a || !b) return !a ? a.status() : b.status();
        if (auto s = fact(date, *a, dec(net * 3, 9)); !s) return s;
        if (auto s = fact(date, *b, dec(net * 7, 9)); !s) return s;
        if (ccloud() && c == 0) {
          // Topic attribution of the network line (an overlay: not added to chargebacks).
          const std::int64_t orders = net / 10000 * 8 / 10;  // in 0.0001 units
          const std::int64_t payments = net / 10000 - orders;
          for (int t = 0; t < 2; ++t) {
            const std::string amount = dec(t == 0 ? orders : payments, 4);
            ++e_.topic_facts;
            auto& sum = e_.topics[date];
            sum = *sum.add(exact(amount));
            if (auto s = exec("INSERT INTO topic_attribution_facts (\"timestamp\", dimension_id, "
                              "amount) VALUES (?, ?, ?)",
                              {ts_a(date), std::int64_t{t + 1}, amount});
                !s)
              return s;
          }
        }
      }
      if (!o_.anomalies) continue;
      if (c == 0) {
        // Fact collapse: a 10.0 line with no identities; the original kept only the 30 %.
        if (auto s = line(date, env, cluster, base, category, "10.0"); !s) return s;
        if (calculated) {
          auto dim = dimension(cluster, category, base, cluster, "shared", "terminal",
                               Value("no_identities_located"), env);
          if (!dim) return dim.status();
          if (auto s = fact(date, *dim, "3.0000"); !s) return s;
        }
      }
      if (c == 1 % live.size()) {
        // Colliding dimensions: allocation_detail NULL and '' (one dimension of ours).
        if (auto s = line(date, env, cluster, partition, category, "3.0"); !s) return s;
        if (calculated) {
          auto x = dimension(cluster, category, partition, people.back(), "usage", "even_split",
                             Value(), env);
          auto y = dimension(cluster, category, partition, people.back(), "usage", "even_split",
                             Value(std::string()), env);
          if (!x || !y) return !x ? x.status() : y.status();
          if (auto s = fact(date, *x, "1.0000"); !s) return s;
          if (auto s = fact(date, *y, "2.0000"); !s) return s;
          ++e_.merged_facts;
          if (day == 0) ++e_.merged_dimensions;
        }
      }
    }
    if (o_.anomalies && calculated && day == 1) {
      // E-notation and a credit.
      const std::string& cluster = clusters[0];
      if (auto s = line(date, env, cluster, "STORAGE_ODD", category, "1E-7"); !s) return s;
      auto a = dimension(cluster, category, "STORAGE_ODD", people[0], "usage", "direct_owner",
                         Value(), env);
      auto z = dimension(cluster, category, "STORAGE_ODD", people.back(), "usage", "direct_owner",
                         Value(), env);
      if (!a || !z) return !a ? a.status() : z.status();
      if (auto s = fact(date, *a, "1E-7"); !s) return s;
      if (auto s = fact(date, *z, "0E-32"); !s) return s;
      if (auto s = line(date, env, cluster, "CREDIT", category, "-1.25"); !s) return s;
      auto cr =
          dimension(cluster, category, "CREDIT", people[0], "usage", "direct_owner", Value(), env);
      if (!cr) return cr.status();
      if (auto s = fact(date, *cr, "-1.2500"); !s) return s;
    }

    // ---- the day's run, state and emission
    const std::int64_t run = day + 1;
    ++e_.runs;
    const std::string next = date_plus(o_.first_date, day + 1);
    const bool orphan = day == o_.days - 1;  // the last run was left `running` by a crash
    if (auto s = exec(
            "INSERT INTO pipeline_runs (id, tenant_name, started_at, ended_at, status, "
            "dates_gathered, dates_calculated, rows_written, error_message, stage, "
            "\"current_date\") VALUES (?, ?, ?, ?, ?, 1, ?, ?, NULL, ?, ?)",
            {run, o_.tenant_name, ts_b(next, "06:00:00", "104512"),
             orphan ? Value() : ts_b(next, "06:03:41", "877001"), orphan ? "running" : "completed",
             std::int64_t{calculated ? 1 : 0}, std::int64_t{calculated ? 1 : 0},
             orphan ? Value("calculating") : Value(), orphan ? Value(date) : Value()});
        !s)
      return s;
    ++e_.states;
    if (auto s = exec(
            "INSERT INTO pipeline_state (ecosystem, tenant_id, tracking_date, "
            "billing_gathered, resources_gathered, chargeback_calculated, "
            "topic_overlay_gathered, topic_attribution_calculated, calculation_id, "
            "calculation_completed_at, calculation_run_id) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {o_.ecosystem, o_.tenant_id, date, flag(true), flag(true), flag(calculated),
             flag(ccloud()), flag(ccloud() && calculated),
             calculated ? Value("6f1c2f0e-8a52-4d0b-9a59-" + std::to_string(100000000000 + day))
                        : Value(),
             calculated ? ts_a(next, "06:03:12") : Value(), calculated ? Value(run) : Value()});
        !s)
      return s;
    if (calculated) {
      ++e_.emissions;
      if (auto s = exec("INSERT INTO emission_records (ecosystem, tenant_id, emitter_name, "
                        "pipeline, date, status, attempt_count) VALUES (?, ?, 'csv', "
                        "'chargeback', ?, 'emitted', 1)",
                        {o_.ecosystem, o_.tenant_id, date});
          !s)
        return s;
    }
  }
  return Status::ok();
}

}  // namespace

Result<Expected> build(storage::Database& db, const Options& options) {
  const bool pg = db.dialect() == Dialect::postgresql;
  if (!pg) {
    if (auto s = db.execute("PRAGMA foreign_keys=OFF"); !s) return s;
  }
  if (auto s = db.execute_script(pg ? original_postgresql_ddl() : original_sqlite_ddl()); !s) {
    return s;
  }
  if (auto s =
          db.execute("INSERT INTO alembic_version (version_num) VALUES (?)", {options.revision});
      !s)
    return s;
  Expected expected;
  storage::Transaction tx(db);
  if (!tx.begin_status()) return tx.begin_status();
  Writer writer(db, options, expected);
  if (auto s = writer.run(); !s) return s;
  if (auto s = tx.commit(); !s) return s;
  return expected;
}

}  // namespace chitragupt::importer::fixture
