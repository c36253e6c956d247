// The schema at head behaves the same on SQLite and PostgreSQL: the SQL the stores write
// (upserts, per-date replacement, exact money, UTC text timestamps, ordering, generated ids,
// constraints) gives the same rows on both.

#include <gtest/gtest.h>

#include <ctime>
#include <limits>

#include "storage/database.hpp"
#include "storage/engine_test_fixture.hpp"
#include "storage/migrator.hpp"
#include "storage/pipeline_runs.hpp"
#include "storage/utc_time.hpp"

namespace chitragupt::storage {
namespace {

class StorageBehaviour : public testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (not_runnable()) return;
    db_ = open();
    ASSERT_TRUE(db_);
    auto report = Migrator(*db_).upgrade();
    ASSERT_TRUE(report) << report.error();
  }

  // get-or-create of a chargeback dimension, as the calculator does it.
  std::int64_t dimension(const std::string& resource, const std::string& identity) {
    auto rows = db_->query(
        "INSERT INTO chargeback_dimensions (ecosystem, tenant_id, resource_id, product_category, "
        "product_type, identity_id, cost_type, allocation_method) "
        "VALUES ('confluent_cloud', 't1', ?, 'KAFKA', 'KAFKA_NUM_CKU', ?, 'usage', 'even') "
        "ON CONFLICT (ecosystem, tenant_id, resource_id, product_category, product_type, "
        "identity_id, cost_type, allocation_method, allocation_detail, env_id) "
        "DO UPDATE SET ecosystem = excluded.ecosystem RETURNING dimension_id",
        {resource, identity});
    EXPECT_TRUE(rows) << rows.error();
    return rows && !rows->empty() ? rows->front().get_int(0) : -1;
  }

  Status add_fact(const std::string& timestamp, std::int64_t dimension_id, std::int64_t amount) {
    return db_->execute(
        "INSERT INTO chargeback_facts (timestamp, dimension_id, amount) VALUES (?, ?, ?)",
        {timestamp, dimension_id, amount});
  }

  std::vector<std::string> column(const std::string& sql, const Params& params = {}) {
    auto rows = db_->query(sql, params);
    EXPECT_TRUE(rows) << rows.error();
    std::vector<std::string> out;
    if (rows) {
      for (const Row& r : *rows) out.push_back(r.get_text(0));
    }
    return out;
  }

  std::unique_ptr<Database> db_;
};
CHITRAGUPT_ON_BOTH_ENGINES(StorageBehaviour);

TEST_P(StorageBehaviour, query_each_hands_over_the_rows_in_order_and_stops_when_asked) {
  const auto d = dimension("lkc-1", "sa-1");
  for (int h = 0; h < 5; ++h) {
    ASSERT_TRUE(add_fact("2026-02-01 0" + std::to_string(h) + ":00:00", d, 100 + h));
  }
  const std::string sql =
      "SELECT timestamp, amount FROM chargeback_facts WHERE timestamp >= ? ORDER BY timestamp";
  std::vector<std::string> seen;
  ASSERT_TRUE(db_->query_each(sql, {std::string("2026-02-01 01:00:00")}, [&](const Row& r) {
    seen.push_back(r.get_text(0).substr(11, 2) + "=" + std::to_string(r.get_int(1)));
    return true;
  }));
  EXPECT_EQ(seen, (std::vector<std::string>{"01=101", "02=102", "03=103", "04=104"}));
  // Stopped after two rows; the database is usable at once, and the same query runs again.
  seen.clear();
  ASSERT_TRUE(db_->query_each(sql, {std::string("2026-02-01 00:00:00")}, [&](const Row& r) {
    seen.push_back(r.get_text(0).substr(11, 2));
    return seen.size() < 2;
  }));
  EXPECT_EQ(seen, (std::vector<std::string>{"00", "01"}));
  EXPECT_EQ(column("SELECT COUNT(*) FROM chargeback_facts"), std::vector<std::string>{"5"});
  // A bad query is an error naming the statement, and no row is handed over.
  int calls = 0;
  Status bad = db_->query_each("SELECT nope FROM chargeback_facts", {}, [&](const Row&) {
    ++calls;
    return true;
  });
  EXPECT_FALSE(bad);
  EXPECT_NE(bad.message().find("nope"), std::string::npos) << bad.message();
  EXPECT_EQ(calls, 0);
}

TEST_P(StorageBehaviour, an_upsert_on_the_natural_key_updates_the_one_row) {
  const std::string upsert =
      "INSERT INTO billing (ecosystem, tenant_id, timestamp, resource_id, product_type, "
      "product_category, quantity, unit_price, total_cost) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (ecosystem, tenant_id, timestamp, resource_id, product_type, "
      "product_category) DO UPDATE SET quantity = excluded.quantity, "
      "unit_price = excluded.unit_price, total_cost = excluded.total_cost";
  const Params key = {std::string("confluent_cloud"),     std::string("t1"),
                      std::string("2024-05-01 00:00:00"), std::string("lkc-1"),
                      std::string("KAFKA_NUM_CKU"),       std::string("KAFKA")};
  auto with = [&](const char* quantity, const char* price, const char* total) {
    Params p = key;
    p.insert(p.end(), {std::string(quantity), std::string(price), std::string(total)});
    return p;
  };
  ASSERT_TRUE(db_->execute(upsert, with("24", "0.5", "12.0")));
  ASSERT_TRUE(db_->execute(upsert, with("24.000000", "0.123456789", "2.962962936")));
  auto rows = db_->query(
      "SELECT quantity, unit_price, total_cost, currency, granularity, allocation_attempts "
      "FROM billing");
  ASSERT_TRUE(rows) << rows.error();
  ASSERT_EQ(rows->size(), 1u);
  const Row& r = rows->front();
  EXPECT_EQ(r.get_text(0), "24.000000");  // decimal text as received
  EXPECT_EQ(r.get_text(1), "0.123456789");
  EXPECT_EQ(r.get_text(2), "2.962962936");
  EXPECT_EQ(r.get_text(3), "USD");
  EXPECT_EQ(r.get_text(4), "daily");
  EXPECT_EQ(r.values[5], Value(std::int64_t{0}));
}

TEST_P(StorageBehaviour, get_or_create_of_a_dimension_returns_the_same_id) {
  const std::int64_t a = dimension("lkc-1", "sa-1");
  const std::int64_t b = dimension("lkc-1", "sa-2");
  EXPECT_GT(a, 0);
  EXPECT_NE(a, b);
  EXPECT_EQ(dimension("lkc-1", "sa-1"), a);
  EXPECT_EQ(db_->query("SELECT count(*) FROM chargeback_dimensions")->front().get_int(0), 2);
}

TEST_P(StorageBehaviour, replacing_a_date_deletes_its_utc_day_only_and_inserts_anew) {
  const std::int64_t d = dimension("lkc-1", "sa-1");
  ASSERT_TRUE(add_fact("2024-04-30 23:59:59", d, 1));
  ASSERT_TRUE(add_fact("2024-05-01 00:00:00", d, 2));
  ASSERT_TRUE(add_fact("2024-05-01 23:59:59", d, 3));
  ASSERT_TRUE(add_fact("2024-05-02 00:00:00", d, 4));
  {
    Transaction tx(*db_);
    ASSERT_TRUE(tx.begin_status());
    // Half-open [day, day + 1): the same range on both engines, as text.
    ASSERT_TRUE(
        db_->execute("DELETE FROM chargeback_facts WHERE timestamp >= ? AND timestamp < ?",
                     {std::string("2024-05-01 00:00:00"), std::string("2024-05-02 00:00:00")}));
    ASSERT_TRUE(add_fact("2024-05-01 00:00:00", d, 20));
    ASSERT_TRUE(add_fact("2024-05-01 12:00:00", d, 30));
    ASSERT_TRUE(tx.commit());
  }
  auto rows = db_->query("SELECT timestamp, amount FROM chargeback_facts ORDER BY timestamp");
  ASSERT_TRUE(rows) << rows.error();
  std::vector<std::pair<std::string, std::int64_t>> got;
  for (const Row& r : *rows) got.emplace_back(r.get_text(0), r.get_int(1));
  EXPECT_EQ(got, (std::vector<std::pair<std::string, std::int64_t>>{{"2024-04-30 23:59:59", 1},
                                                                    {"2024-05-01 00:00:00", 20},
                                                                    {"2024-05-01 12:00:00", 30},
                                                                    {"2024-05-02 00:00:00", 4}}));
}

TEST_P(StorageBehaviour, money_round_trips_exactly_at_the_int64_extremes) {
  const std::vector<std::int64_t> amounts = {std::numeric_limits<std::int64_t>::min(),
                                             std::numeric_limits<std::int64_t>::max(),
                                             0,
                                             -1,
                                             12345,  // 1.2345
                                             999999999999999999};
  std::int64_t day = 1;
  for (std::int64_t amount : amounts) {
    ASSERT_TRUE(add_fact("2024-05-0" + std::to_string(day++) + " 00:00:00",
                         dimension("lkc-1", "sa-1"), amount));
  }
  auto rows = db_->query("SELECT amount FROM chargeback_facts ORDER BY timestamp");
  ASSERT_TRUE(rows) << rows.error();
  ASSERT_EQ(rows->size(), amounts.size());
  for (std::size_t i = 0; i < amounts.size(); ++i) {
    EXPECT_EQ((*rows)[i].values[0], Value(amounts[i])) << i;
  }
  // Sums of amounts are exact too (PostgreSQL answers numeric, read as its text).
  auto sum = db_->query("SELECT sum(amount) FROM chargeback_facts WHERE amount BETWEEN ? AND ?",
                        {std::int64_t{-1}, std::int64_t{999999999999999999}});
  ASSERT_TRUE(sum) << sum.error();
  EXPECT_EQ(sum->front().get_int(0), 999999999999999999 + 12345 - 1);
}

TEST_P(StorageBehaviour, timestamps_are_utc_text_and_come_back_byte_identical) {
  EXPECT_EQ(utc_timestamp(0), "1970-01-01 00:00:00");
  EXPECT_EQ(utc_timestamp(1714557600), "2024-05-01 10:00:00");
  PipelineRunStore runs(*db_);
  auto id = runs.start("prod", "manual");
  ASSERT_TRUE(id) << id.error();
  const std::string started = (*runs.last("prod"))->started_at;
  // Stored as written (no engine time zone in between): UTC, to the second.
  const std::string now = utc_now_timestamp();
  EXPECT_EQ(started.size(), 19u);
  EXPECT_LE(started, now);
  EXPECT_GE(started, utc_timestamp(std::time(nullptr) - 60));
  ASSERT_TRUE(db_->execute("UPDATE pipeline_runs SET ended_at = ? WHERE id = ?",
                           {std::string("2024-05-01 10:00:00"), *id}));
  auto rows = db_->query("SELECT ended_at FROM pipeline_runs WHERE ended_at = ?",
                         {std::string("2024-05-01 10:00:00")});
  ASSERT_TRUE(rows) << rows.error();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->front().values[0], Value(std::string("2024-05-01 10:00:00")));
}

TEST_P(StorageBehaviour, ordering_by_time_and_number_is_the_same) {
  const std::int64_t d1 = dimension("lkc-1", "sa-1");
  const std::int64_t d2 = dimension("lkc-2", "sa-1");
  for (const auto& [ts, dim] :
       std::vector<std::pair<std::string, std::int64_t>>{{"2024-05-10 00:00:00", d2},
                                                         {"2024-05-02 00:00:00", d1},
                                                         {"2024-05-10 00:00:00", d1},
                                                         {"2023-12-31 23:00:00", d2},
                                                         {"2024-05-02 00:00:00", d2}}) {
    ASSERT_TRUE(add_fact(ts, dim, 1));
  }
  auto rows = db_->query(
      "SELECT timestamp, dimension_id FROM chargeback_facts "
      "ORDER BY timestamp DESC, dimension_id ASC LIMIT 4");
  ASSERT_TRUE(rows) << rows.error();
  std::vector<std::pair<std::string, std::int64_t>> got;
  for (const Row& r : *rows) got.emplace_back(r.get_text(0), r.get_int(1));
  EXPECT_EQ(got, (std::vector<std::pair<std::string, std::int64_t>>{{"2024-05-10 00:00:00", d1},
                                                                    {"2024-05-10 00:00:00", d2},
                                                                    {"2024-05-02 00:00:00", d1},
                                                                    {"2024-05-02 00:00:00", d2}}));
  for (const char* date : {"2024-05-03", "2023-12-31", "2024-05-01"}) {
    ASSERT_TRUE(db_->execute(
        "INSERT INTO pipeline_state (ecosystem, tenant_id, tracking_date) VALUES ('e', 't', ?)",
        {std::string(date)}));
  }
  EXPECT_EQ(column("SELECT tracking_date FROM pipeline_state ORDER BY tracking_date"),
            (std::vector<std::string>{"2023-12-31", "2024-05-01", "2024-05-03"}));
}

TEST_P(StorageBehaviour, generated_ids_increase_and_are_never_reused) {
  PipelineRunStore runs(*db_);
  auto a = runs.start("prod", "periodic");
  auto b = runs.start("prod", "periodic");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*b, *a + 1);
  ASSERT_TRUE(db_->execute("DELETE FROM pipeline_runs WHERE id = ?", {*b}));
  auto c = runs.start("prod", "periodic");
  ASSERT_TRUE(c);
  EXPECT_EQ(*c, *b + 1);  // AUTOINCREMENT on SQLite, an identity sequence on PostgreSQL
}

TEST_P(StorageBehaviour, keys_checks_and_foreign_keys_are_enforced) {
  const std::int64_t d = dimension("lkc-1", "sa-1");
  ASSERT_TRUE(add_fact("2024-05-01 00:00:00", d, 1));
  EXPECT_FALSE(add_fact("2024-05-01 00:00:00", d, 2));        // primary key
  EXPECT_FALSE(add_fact("2024-05-01 00:00:00", d + 100, 2));  // no such dimension
  EXPECT_FALSE(db_->execute(
      "INSERT INTO pipeline_runs (tenant_name, started_at, status) VALUES ('a', 'x', 'bogus')"));
  EXPECT_FALSE(db_->execute(
      "INSERT INTO tags (tenant_id, entity_type, entity_id, tag_key, tag_value, created_by, "
      "created_at) VALUES ('t', 'cluster', 'e', 'k', 'v', 'me', '2024-05-01 00:00:00')"));
  // Deleting a run clears the states that point at it instead of failing.
  PipelineRunStore runs(*db_);
  auto run = runs.start("prod", "periodic");
  ASSERT_TRUE(run);
  ASSERT_TRUE(db_->execute(
      "INSERT INTO pipeline_state (ecosystem, tenant_id, tracking_date, calculation_run_id) "
      "VALUES ('confluent_cloud', 't1', '2024-05-01', ?)",
      {*run}));
  ASSERT_TRUE(db_->execute("DELETE FROM pipeline_runs WHERE id = ?", {*run}));
  auto state = db_->query("SELECT calculation_run_id FROM pipeline_state");
  ASSERT_TRUE(state) << state.error();
  EXPECT_TRUE(state->front().is_null(0));
}

}  // namespace
}  // namespace chitragupt::storage
