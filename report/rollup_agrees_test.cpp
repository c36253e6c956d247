// chargebacks/aggregate reads the daily rollup (migration 0004) for the whole UTC days it keeps
// one of, and the facts otherwise: both paths must give byte-identical bodies. A property test
// over random group_by / time_bucket / timezone / filter / tag requests, on SQLite and
// PostgreSQL, after the first calculation, after recalculating some dates and after retention.

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <random>

#include "report/report_test_fixture.hpp"
#include "report/zone_time.hpp"
#include "storage/retention.hpp"

namespace chitragupt::report {
namespace {

using testing::fact;
using Query = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kFirstDay = "2026-03-01";  // New York springs forward on 03-08
constexpr int kDays = 12;

class RollupAgrees : public testing::ReportTest {
 protected:
  std::mt19937 rng_{20261202};

  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  template <typename T>
  const T& pick_of(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(pick(static_cast<int>(v.size())))];
  }

  const std::vector<std::string> identities_ = {"sa-1", "sa-2", "sa-3", "u-1", "u-ä"};
  const std::vector<std::string> resources_ = {"lkc-1", "lkc-2", "lkc-3"};
  const std::vector<std::string> products_ = {"KAFKA_NUM_CKU", "KAFKA_NETWORK_READ",
                                              "KAFKA_STORAGE"};
  const std::vector<std::string> costs_ = {"usage", "shared"};

  // One date's facts: a few random dimensions, each hour of the date (some hours and some
  // dimensions' hours missing) on most dates, so they are rolled up; one timestamp on others.
  std::vector<storage::ChargebackFactRecord> date_facts(std::int64_t day, int salt) {
    std::vector<storage::ChargebackFactRecord> dims;
    for (int k = 0; k < 8; ++k) {
      auto f = fact("", pick_of(identities_), 0, pick_of(costs_), pick_of(resources_));
      f.product_type = pick_of(products_);
      if (pick(5) == 0) f.env_id = "env-2";
      dims.push_back(f);
    }
    std::vector<storage::ChargebackFactRecord> rows;
    const bool hourly = (day + salt) % 4 != 0;
    for (int h = 0; h < (hourly ? 24 : 1); ++h) {
      if (hourly && pick(10) == 0) continue;  // an hour without facts
      char ts[32];
      std::snprintf(ts, sizeof ts, "%s %02d:00:00", format_day(day).c_str(), h);
      for (const auto& d : dims) {
        if (pick(8) == 0) continue;
        auto f = d;
        f.timestamp = ts;
        f.amount_units = 1 + pick(2000000);
        rows.push_back(f);  // two templates alike: the store sums them
      }
    }
    return rows;
  }

  void write_dates(const std::vector<std::int64_t>& days, int salt) {
    std::vector<storage::ChargebackFactRecord> all;
    for (auto d : days) {
      auto rows = date_facts(d, salt);
      all.insert(all.end(), rows.begin(), rows.end());
    }
    write_facts(all);
  }

  void tag(const char* type, const char* id, const char* key, const char* value) {
    ASSERT_TRUE(db_->execute("INSERT INTO tags (tenant_id, entity_type, entity_id, tag_key, "
                             "tag_value, created_by, created_at) VALUES (?, ?, ?, ?, ?, 'test', "
                             "'2026-02-01 00:00:00')",
                             {context_.tenant_id, std::string(type), std::string(id),
                              std::string(key), std::string(value)})
                    .is_ok());
  }

  Query random_request() {
    Query q;
    const std::int64_t first = *parse_day(kFirstDay);
    std::int64_t a = first - 1 + pick(kDays + 2), b = first - 1 + pick(kDays + 2);
    if (a > b) std::swap(a, b);
    q.emplace_back("start_date", format_day(a));
    q.emplace_back("end_date", format_day(b));
    static const std::vector<std::string> zones = {
        "UTC", "UTC", "Etc/GMT", "America/New_York", "Asia/Kolkata", "Europe/London"};
    q.emplace_back("timezone", pick_of(zones));
    static const std::vector<std::string> buckets = {"day", "day", "week", "month", "hour"};
    q.emplace_back("time_bucket", pick_of(buckets));
    static const std::vector<std::string> groups = {
        "identity_id",       "resource_id",    "product_type", "product_category", "cost_type",
        "allocation_method", "environment_id", "tag:team",     "tag:cost-center"};
    for (int n = pick(3); n >= 0; --n) q.emplace_back("group_by", pick_of(groups));
    switch (pick(7)) {
      case 0:
        q.emplace_back("identity_id", pick_of(identities_));
        break;
      case 1:
        q.emplace_back("cost_type", pick_of(costs_));
        break;
      case 2:
        q.emplace_back("resource_id", pick_of(resources_));
        break;
      case 3:
        q.emplace_back("tag:team", pick(2) ? "payments" : "platform,UNTAGGED");
        break;
      case 4:
        q.emplace_back("tag_key", "team");
        if (pick(2)) q.emplace_back("tag_value", "payments");
        break;
      case 5:
        q.emplace_back("product_type", pick_of(products_));
        break;
      default:
        break;
    }
    return q;
  }

  std::string text(const Query& q) {
    std::string out;
    for (const auto& [k, v] : q) out += k + "=" + v + "&";
    return out;
  }

  // Random requests answered with the rollup, then with the facts alone (the rollup's days
  // unlisted inside a transaction that is rolled back): the bodies must be equal.
  void expect_paths_agree(int requests) {
    std::vector<Query> queries;
    std::vector<Response> with_rollup;
    for (int i = 0; i < requests; ++i) {
      queries.push_back(random_request());
      with_rollup.push_back(get("/chargebacks/aggregate", queries.back()));
    }
    ASSERT_TRUE(db_->begin().is_ok());
    ASSERT_TRUE(db_->execute("DELETE FROM chargeback_rollup_days").is_ok());
    for (int i = 0; i < requests; ++i) {
      Response raw = get("/chargebacks/aggregate", queries[i]);
      EXPECT_EQ(raw.status, with_rollup[i].status) << text(queries[i]);
      EXPECT_EQ(raw.body, with_rollup[i].body) << text(queries[i]);
    }
    ASSERT_TRUE(db_->rollback().is_ok());
  }

  // The rollup holds exactly the facts' sums for every listed day, and rows for no other.
  void expect_rollup_exact() {
    const std::string facts_sql =
        "SELECT substr(f.timestamp, 1, 10) AS day, f.dimension_id, SUM(f.amount), COUNT(*) "
        "FROM chargeback_facts f WHERE substr(f.timestamp, 1, 10) IN (SELECT day FROM "
        "chargeback_rollup_days) GROUP BY substr(f.timestamp, 1, 10), f.dimension_id "
        "ORDER BY 1, 2";
    const std::string rollup_sql =
        "SELECT day, dimension_id, amount, row_count FROM chargeback_daily ORDER BY 1, 2";
    auto facts = db_->query(facts_sql);
    auto rollup = db_->query(rollup_sql);
    ASSERT_TRUE(facts.is_ok() && rollup.is_ok());
    ASSERT_EQ(facts->size(), rollup->size());
    for (std::size_t i = 0; i < facts->size(); ++i) {
      for (std::size_t c = 0; c < 4; ++c) {
        EXPECT_EQ((*facts)[i].get_text(c), (*rollup)[i].get_text(c)) << "row " << i;
      }
    }
  }

  std::int64_t count(const char* sql) { return db_->query(sql)->front().get_int(0); }
};
CHITRAGUPT_ON_BOTH_ENGINES(RollupAgrees);

TEST_P(RollupAgrees, random_aggregates_are_byte_identical_with_and_without_the_rollup) {
  if (not_runnable()) return;
  tag("identity", "sa-1", "team", "payments");
  tag("identity", "u-1", "team", "platform");
  tag("resource", "lkc-2", "team", "platform");
  tag("resource", "lkc-1", "cost-center", "42");
  std::vector<std::int64_t> days;
  for (int i = 0; i < kDays; ++i) days.push_back(*parse_day(kFirstDay) + i);
  write_dates(days, 0);
  // Hourly dates are listed and rolled up, single-timestamp ones are not.
  const std::int64_t listed = count("SELECT COUNT(*) FROM chargeback_rollup_days");
  EXPECT_EQ(listed, kDays - kDays / 4);
  EXPECT_GT(count("SELECT COUNT(*) FROM chargeback_daily"), 0);
  expect_rollup_exact();
  expect_paths_agree(60);

  // Recalculation: some dates written again with other facts (and hourly ones turned daily).
  write_dates({days[1], days[4], days[5]}, 1);
  expect_rollup_exact();
  expect_paths_agree(40);

  // Retention: the first three days go, with their rollup.
  std::tm tm{};
  tm.tm_year = 2026 - 1900;
  tm.tm_mon = 2;
  tm.tm_mday = 4 + 10;
  tm.tm_hour = 12;
  auto report =
      storage::cleanup_retention(*db_, context_.ecosystem, context_.tenant_id, 10, timegm(&tm));
  ASSERT_TRUE(report.is_ok()) << report.error();
  EXPECT_EQ(count("SELECT COUNT(*) FROM chargeback_daily WHERE day < '2026-03-04'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM chargeback_rollup_days WHERE day < '2026-03-04'"), 0);
  EXPECT_GT(count("SELECT COUNT(*) FROM chargeback_rollup_days"), 0);
  expect_rollup_exact();
  expect_paths_agree(40);
}

// The rollup answers a whole-day UTC request from one row per dimension and day: its sums and
// row counts are the facts', and a day of one timestamp (daily facts) has no rollup rows.
TEST_P(RollupAgrees, hourly_days_are_rolled_up_and_daily_ones_are_not) {
  if (not_runnable()) return;
  std::vector<storage::ChargebackFactRecord> rows;
  for (int h = 0; h < 24; ++h) {
    char ts[32];
    std::snprintf(ts, sizeof ts, "2026-03-02 %02d:00:00", h);
    rows.push_back(fact(ts, "sa-1", 10000 + h));
    rows.push_back(fact(ts, "sa-2", 1));
  }
  rows.push_back(fact("2026-03-03 00:00:00", "sa-1", 5));
  write_facts(rows);
  EXPECT_EQ(count("SELECT COUNT(*) FROM chargeback_rollup_days"), 1);
  EXPECT_EQ(db_->query("SELECT day FROM chargeback_rollup_days")->front().get_text(0),
            "2026-03-02");
  auto rollup = db_->query(
      "SELECT r.amount, r.row_count FROM chargeback_daily r JOIN chargeback_dimensions d ON "
      "d.dimension_id = r.dimension_id WHERE r.day = '2026-03-02' ORDER BY d.identity_id");
  ASSERT_TRUE(rollup.is_ok());
  ASSERT_EQ(rollup->size(), 2u);
  EXPECT_EQ((*rollup)[0].get_int(0), 24 * 10000 + 276);
  EXPECT_EQ((*rollup)[0].get_int(1), 24);
  EXPECT_EQ((*rollup)[1].get_int(0), 24);
  EXPECT_EQ(count("SELECT COUNT(*) FROM chargeback_daily WHERE day = '2026-03-03'"), 0);
  auto body = get_ok(
      "/chargebacks/aggregate",
      {{"start_date", "2026-03-02"}, {"end_date", "2026-03-03"}, {"group_by", "identity_id"}});
  EXPECT_EQ(body["total_amount"], "24.0305");  // 240276 + 24 + 5 units
  EXPECT_EQ(body["total_rows"], 49);
}

}  // namespace
}  // namespace chitragupt::report
