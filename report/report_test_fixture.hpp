#pragma once
// Test support for report/: a migrated tenant database on SQLite or PostgreSQL, data written
// through the storage layer, and requests answered by report::handle().

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/report.hpp"
#include "storage/billing_store.hpp"
#include "storage/chargeback_store.hpp"
#include "storage/engine_test_fixture.hpp"
#include "storage/inventory_store.hpp"
#include "storage/migrator.hpp"

namespace chitragupt::report::testing {

using nlohmann::json;
using storage::ChargebackFactRecord;

inline ChargebackFactRecord fact(const std::string& ts, const std::string& identity,
                                 std::int64_t units, const std::string& cost_type = "usage",
                                 const std::string& resource = "lkc-1") {
  ChargebackFactRecord f;
  f.timestamp = ts;
  f.resource_id = resource;
  f.product_category = "KAFKA";
  f.product_type = "KAFKA_NUM_CKU";
  f.identity_id = identity;
  f.cost_type = cost_type;
  f.allocation_method = "usage_ratio";
  f.allocation_detail = "usage_ratio_allocation";
  f.env_id = "env-1";
  f.amount_units = units;
  return f;
}

inline TenantContext tenant_context() {
  TenantContext t;
  t.tenant_name = "prod";
  t.tenant_id = "t1";
  t.ecosystem = "confluent_cloud";
  return t;
}

// Prepares one tenant database per test, on the engine of the test's parameter.
class ReportTest : public storage::testing::EngineTest {
 protected:
  void SetUp() override {
    EngineTest::SetUp();
    if (not_runnable()) return;
    db_ = open_migrated("t");
  }

  std::unique_ptr<storage::Database> open_migrated(const std::string& name) {
    auto db = open(name);
    if (!db) return nullptr;
    storage::Migrator m(*db);
    auto s = m.upgrade();
    EXPECT_TRUE(s.is_ok()) << s.error();
    return db;
  }

  // Writes facts, grouped by their UTC date, through the ChargebackStore.
  static void write_facts(storage::Database& db, const std::vector<ChargebackFactRecord>& facts,
                          const TenantContext& t = tenant_context()) {
    std::map<std::string, std::vector<ChargebackFactRecord>> by_date;
    for (const auto& f : facts) by_date[f.timestamp.substr(0, 10)].push_back(f);
    storage::ChargebackStore store(db, t.ecosystem, t.tenant_id);
    storage::Transaction tx(db);
    ASSERT_TRUE(tx.begin_status().is_ok());
    for (const auto& [date, rows] : by_date) {
      auto written = store.replace_date(date, rows);
      ASSERT_TRUE(written.is_ok()) << written.error();
    }
    ASSERT_TRUE(tx.commit().is_ok());
    store.transaction_committed();
  }
  void write_facts(const std::vector<ChargebackFactRecord>& facts) { write_facts(*db_, facts); }

  void add_resource(const std::string& id, const std::string& type,
                    const std::string& created_at = "", const std::string& display_name = "") {
    storage::ResourceRecord r;
    r.resource_id = id;
    r.resource_type = type;
    r.display_name = display_name.empty() ? id + "-name" : display_name;
    r.created_at = created_at;
    storage::InventoryStore inv(*db_, context_.ecosystem, context_.tenant_id);
    auto s = inv.upsert_resources({r}, "2026-02-01 00:00:00");
    ASSERT_TRUE(s.is_ok()) << s.error();
  }
  void add_identity(const std::string& id, const std::string& type,
                    const std::string& created_at = "") {
    storage::IdentityRecord r;
    r.identity_id = id;
    r.identity_type = type;
    r.display_name = id + "-name";
    r.created_at = created_at;
    storage::InventoryStore inv(*db_, context_.ecosystem, context_.tenant_id);
    auto s = inv.upsert_identities({r}, "2026-02-01 00:00:00");
    ASSERT_TRUE(s.is_ok()) << s.error();
  }

  Response call(const std::string& method, const std::string& route,
                std::vector<std::pair<std::string, std::string>> query = {},
                std::vector<std::pair<std::string, std::string>> path = {},
                const std::string& body = "") {
    Request r;
    r.method = method;
    r.route = route;
    r.query = std::move(query);
    r.path_params = std::move(path);
    r.body = body;
    return handle(*db_, context_, r);
  }
  Response get(const std::string& route,
               std::vector<std::pair<std::string, std::string>> query = {},
               std::vector<std::pair<std::string, std::string>> path = {}) {
    return call("GET", "/tenants/{tenant}" + route, std::move(query), std::move(path));
  }
  // GET answered with 200 and its body parsed.
  json get_ok(const std::string& route, std::vector<std::pair<std::string, std::string>> query = {},
              std::vector<std::pair<std::string, std::string>> path = {}) {
    Response r = get(route, std::move(query), std::move(path));
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body, nullptr, false);
  }
  // A 400 whose message names `parameter`.
  void expect_bad(const Response& r, const std::string& parameter) {
    EXPECT_EQ(r.status, 400) << r.body;
    auto body = json::parse(r.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << r.body;
    EXPECT_EQ(body["error"]["code"], "bad_parameter");
    EXPECT_NE(body["error"]["message"].get<std::string>().find("'" + parameter + "'"),
              std::string::npos)
        << r.body;
  }

  TenantContext context_ = tenant_context();
  std::unique_ptr<storage::Database> db_;
};

}  // namespace chitragupt::report::testing
