// Report readers answer GETs on their own connections, each answer in one read snapshot: a
// date being rewritten by the tenant's writer is seen whole before its commit and whole after
// it, never half (issue 14), on SQLite and PostgreSQL.

#include "actors/report_reader.hpp"

#include <atomic>
#include <thread>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "actors/blocking_pool.hpp"
#include "actors/tenant.hpp"
#include "storage/chargeback_store.hpp"
#include "storage/engine_test_fixture.hpp"
#include "storage/migrator.hpp"

namespace chitragupt::actors {
namespace {

using namespace messages;

report::TenantContext context() {
  report::TenantContext t;
  t.tenant_name = "prod";
  t.tenant_id = "t1";
  t.ecosystem = "confluent_cloud";
  return t;
}

report::Request aggregate() {
  report::Request r;
  r.method = "GET";
  r.route = "/tenants/{tenant}/chargebacks/aggregate";
  r.query = {{"start_date", "2026-03-01"}, {"end_date", "2026-03-02"}};
  return r;
}

// The date's facts: 24 hours of `identities` identities, each fact `units`.
std::vector<storage::ChargebackFactRecord> date_facts(const std::string& day, int identities,
                                                      std::int64_t units) {
  std::vector<storage::ChargebackFactRecord> rows;
  for (int h = 0; h < 24; ++h) {
    for (int i = 0; i < identities; ++i) {
      storage::ChargebackFactRecord f;
      char ts[32];
      std::snprintf(ts, sizeof ts, "%s %02d:00:00", day.c_str(), h);
      f.timestamp = ts;
      f.resource_id = "lkc-1";
      f.identity_id = "sa-" + std::to_string(i);
      f.cost_type = "usage";
      f.amount_units = units;
      rows.push_back(f);
    }
  }
  return rows;
}

std::string total(const report::Response& r) {
  EXPECT_EQ(r.status, 200) << r.body;
  auto body = nlohmann::json::parse(r.body, nullptr, false);
  return body.is_object() ? body["total_amount"].get<std::string>() + "/" +
                                std::to_string(body["total_rows"].get<long long>())
                          : "";
}

class ReportReader : public storage::testing::EngineTest {};
CHITRAGUPT_ON_BOTH_ENGINES(ReportReader);

TEST_P(ReportReader, a_date_being_rewritten_is_read_whole_before_and_after_its_commit) {
  if (not_runnable()) return;
  auto writer = open("t");
  ASSERT_TRUE(writer);
  ASSERT_TRUE(storage::Migrator(*writer).upgrade());
  storage::ChargebackStore store(*writer, context().ecosystem, context().tenant_id);
  {
    storage::Transaction tx(*writer);
    ASSERT_TRUE(store.replace_date("2026-03-01", date_facts("2026-03-01", 3, 10000)));
    ASSERT_TRUE(tx.commit());
    store.transaction_committed();
  }
  auto reader = open("t");
  ASSERT_TRUE(reader);
  EXPECT_EQ(total(answer_in_snapshot(*reader, context(), aggregate())), "72.0000/72");

  // The writer rewrites the date with new dimensions (new identities) and other amounts.
  storage::Transaction tx(*writer);
  ASSERT_TRUE(store.replace_date("2026-03-01", date_facts("2026-03-01", 5, 20000)));
  EXPECT_EQ(total(answer_in_snapshot(*reader, context(), aggregate())), "72.0000/72");
  ASSERT_TRUE(tx.commit());
  store.transaction_committed();
  EXPECT_EQ(total(answer_in_snapshot(*reader, context(), aggregate())), "240.0000/120");
  EXPECT_FALSE(reader->in_transaction());
}

TEST_P(ReportReader, the_tenant_answers_gets_through_the_pool_and_closes_idle_connections) {
  if (not_runnable()) return;
  {
    auto writer = open("t");
    ASSERT_TRUE(writer);
    ASSERT_TRUE(storage::Migrator(*writer).upgrade());
    storage::ChargebackStore store(*writer, context().ecosystem, context().tenant_id);
    ASSERT_TRUE(store.replace_date("2026-03-01", date_facts("2026-03-01", 2, 5000)));
  }

  caf::actor_system_config cfg;
  caf::actor_system system{cfg};
  caf::scoped_actor self{system};
  auto pool = spawn_blocking_pool(system, 2, 1);
  config::TenantConfig tenant;
  tenant.name = "prod";
  tenant.tenant_id = "t1";
  tenant.ecosystem = "confluent_cloud";
  tenant.storage.connection_string = url("t");
  TenantOptions options;
  options.mode = Mode::api;
  options.pool = pool;
  options.db_idle_timeout = std::chrono::milliseconds(200);
  // The supervisor is this test: it hears every state change.
  auto actor = system.spawn(tenant_actor, caf::actor_cast<caf::actor>(self), tenant, options);
  bool ready = false;
  for (int i = 0; i < 20 && !ready; ++i) {
    self->receive(
        [&](tstate_atom, const TenantHealth& h) { ready = h.state == TenantState::ready; },
        caf::after(std::chrono::seconds(10)) >> [&] { i = 20; });
  }
  ASSERT_TRUE(ready);
  std::string got;
  self->request(actor, std::chrono::seconds(10), report_atom::value, aggregate())
      .receive([&](report::Response& r) { got = total(r); },
               [&](caf::error& e) { got = caf::to_string(e); });
  EXPECT_EQ(got, "24.0000/48");
  // Idle: the connection goes after db_idle_timeout (the tenant answers again by reopening).
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  self->request(actor, std::chrono::seconds(10), report_atom::value, aggregate())
      .receive([&](report::Response& r) { got = total(r); },
               [&](caf::error& e) { got = caf::to_string(e); });
  EXPECT_EQ(got, "24.0000/48");
  self->send_exit(actor, caf::exit_reason::user_shutdown);
  self->send_exit(pool, caf::exit_reason::user_shutdown);

  report::Request post = aggregate();
  post.method = "POST";
  EXPECT_FALSE(reader_may_answer(post));
  EXPECT_TRUE(reader_may_answer(aggregate()));
  report::Request exports = aggregate();
  exports.route = "/tenants/{tenant}/focus/exports";
  EXPECT_FALSE(reader_may_answer(exports));  // the tenant actor's own jobs
}

TEST(BlockingPool, a_hung_job_holds_one_worker_and_the_others_keep_serving) {
  // Declared before the actor system: the hung job reads it until the system has stopped.
  std::atomic<bool> release{false};
  caf::actor_system_config cfg;
  caf::actor_system system{cfg};
  auto pool = spawn_blocking_pool(system, 2, 1);
  BlockingJob hung;
  hung.work = [&release] {
    while (!release.load()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return caf::make_message(std::string("hung"));
  };
  caf::anon_send(pool, job_atom::value, hung);
  caf::scoped_actor self{system};
  for (int i = 0; i < 5; ++i) {
    BlockingJob quick;
    quick.work = [i] { return caf::make_message(std::string("quick ") + std::to_string(i)); };
    std::string got;
    self->request(pool, std::chrono::seconds(10), job_atom::value, quick)
        .receive([&](std::string& s) { got = s; }, [&](caf::error& e) { got = caf::to_string(e); });
    EXPECT_EQ(got, "quick " + std::to_string(i));
  }
  BlockingJob throws;
  throws.work = []() -> caf::message { throw std::runtime_error("boom"); };
  std::string got;
  self->request(pool, std::chrono::seconds(10), job_atom::value, throws)
      .receive([&](std::string& s) { got = s; }, [&](caf::error& e) { got = "error"; });
  EXPECT_EQ(got, "error");
  self->request(pool, std::chrono::seconds(10), pool_stats_atom::value)
      .receive([&](const PoolStats& s) { EXPECT_LE(s.workers, 2u); },
               [&](caf::error& e) { ADD_FAILURE() << caf::to_string(e); });
  release = true;
  self->send_exit(pool, caf::exit_reason::user_shutdown);
}

TEST(ReportReaderCount, the_environment_sets_the_number_of_readers) {
  setenv("CHITRAGUPT_REPORT_READERS", "0", 1);
  EXPECT_EQ(report_reader_count(), 0u);
  setenv("CHITRAGUPT_REPORT_READERS", "7", 1);
  EXPECT_EQ(report_reader_count(), 7u);
  setenv("CHITRAGUPT_REPORT_READERS", "banana", 1);
  EXPECT_GE(report_reader_count(), 2u);
  EXPECT_LE(report_reader_count(), 4u);
  unsetenv("CHITRAGUPT_REPORT_READERS");
}

}  // namespace
}  // namespace chitragupt::actors
