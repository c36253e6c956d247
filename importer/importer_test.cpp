// The import of an original chitragupta v2.2 database, in process, on real SQLite files and the
// real PostgreSQL server: fixtures built from the reference's DDL with a generated history.

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "importer/fixture.hpp"
#include "importer/importer.hpp"
#include "pipeline/calculate.hpp"
#include "storage/billing_store.hpp"
#include "storage/database.hpp"
#include "storage/migrator.hpp"
#include "storage/pg_test_env.hpp"
#include "storage/test_support.hpp"

namespace chitragupt::importer {
namespace {

using allocation::Decimal;
using storage::testing::PgScratchDatabase;
using storage::testing::TempDir;

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::int64_t scalar(storage::Database& db, const std::string& sql, const storage::Params& p = {}) {
  auto rows = db.query(sql, p);
  EXPECT_TRUE(rows.is_ok()) << rows.error();
  return rows && !rows->empty() ? rows->front().get_int(0) : -1;
}

// A fixture database at `url`; its expected figures.
fixture::Expected make_source(const std::string& url, const fixture::Options& o = {}) {
  auto db = storage::open_database(url);
  EXPECT_TRUE(db.is_ok()) << db.error();
  auto expected = fixture::build(**db, o);
  EXPECT_TRUE(expected.is_ok()) << expected.error();
  return expected ? *expected : fixture::Expected{};
}

ImportOptions options_for(const std::string& from, const std::string& to,
                          const fixture::Options& o = {}) {
  ImportOptions options;
  options.source_url = from;
  options.target_url = to;
  options.tenant_name = o.tenant_name;
  options.ecosystem = o.ecosystem;
  options.tenant_id = o.tenant_id;
  return options;
}

const TableCount& table(const ImportReport& r, const std::string& name) {
  for (const auto& t : r.tables) {
    if (t.table == name) return t;
  }
  static TableCount none;
  ADD_FAILURE() << "no table " << name;
  return none;
}

// Every figure of a complete import against the fixture's own, and the target's rows.
void expect_complete(const ImportReport& r, const fixture::Expected& e, storage::Database& target,
                     const fixture::Options& o) {
  EXPECT_FALSE(r.lost()) << format_report(r);
  EXPECT_EQ(table(r, "resources").written, e.resources);
  EXPECT_EQ(table(r, "identities").written, e.identities);
  EXPECT_EQ(table(r, "tags").written, e.tags);
  const bool ccloud = o.ecosystem == "confluent_cloud";
  EXPECT_EQ(table(r, ccloud ? "ccloud_billing" : "billing").written, e.billing_lines);
  EXPECT_EQ(table(r, ccloud ? "billing" : "ccloud_billing").read, 0);
  EXPECT_EQ(table(r, "chargeback_dimensions").read, e.dimensions);
  EXPECT_EQ(table(r, "chargeback_dimensions").merged, e.merged_dimensions);
  EXPECT_EQ(table(r, "chargeback_facts").read, e.facts);
  EXPECT_EQ(table(r, "chargeback_facts").merged, e.merged_facts);
  EXPECT_EQ(table(r, "chargeback_facts").written, e.facts - e.merged_facts);
  EXPECT_EQ(table(r, "topic_attribution_facts").written, e.topic_facts);
  EXPECT_EQ(table(r, "pipeline_runs").written, e.runs);
  EXPECT_EQ(table(r, "pipeline_state").written, e.states);
  EXPECT_EQ(table(r, "emission_records").written, e.emissions);

  // Per date: billing exactly, chargebacks the exact total rounded to 0.0001.
  ASSERT_EQ(r.dates.size(), e.billed.size());
  for (const auto& d : r.dates) {
    SCOPED_TRACE(d.date);
    EXPECT_TRUE(d.ok);
    EXPECT_EQ(*Decimal::parse(d.billed_before), e.billed.at(d.date));
    EXPECT_EQ(*Decimal::parse(d.billed_after), e.billed.at(d.date));
    auto charged = e.charged.find(d.date);
    const Decimal exact = charged == e.charged.end() ? Decimal() : charged->second;
    EXPECT_EQ(*Decimal::parse(d.chargeback_before), exact);
    EXPECT_EQ(d.chargeback_after, exact.to_money()->to_string());
    const std::int64_t in_target = scalar(
        target,
        "SELECT COALESCE(SUM(f.amount), 0) FROM chargeback_facts f JOIN chargeback_dimensions d "
        "ON d.dimension_id = f.dimension_id WHERE d.tenant_id = ? AND f.timestamp >= ? AND "
        "f.timestamp < ?",
        {o.tenant_id, d.date + " 00:00:00", d.date + " 23:59:59"});
    EXPECT_EQ(in_target, exact.to_money()->units());
    if (charged != e.charged.end() && e.billed.at(d.date) != exact) {
      EXPECT_FALSE(d.note.empty());
    }
  }
  EXPECT_GT(e.inexact_facts, 0);

  // The rows themselves.
  EXPECT_EQ(scalar(target, "SELECT count(*) FROM tags WHERE tenant_id = ?", {o.tenant_id}), e.tags);
  auto tag = target.query(
      "SELECT tag_value, created_by, created_at FROM tags WHERE entity_type = 'identity' AND "
      "tag_key = 'team'");
  ASSERT_TRUE(tag.is_ok() && tag->size() == 1);
  EXPECT_EQ(tag->front().get_text(0), "orders \"core\"");
  EXPECT_EQ(tag->front().get_text(1), "jane@acme.example");
  EXPECT_EQ(tag->front().get_text(2), "2026-03-02 14:05:09");
  auto gone = target.query(
      "SELECT status, deleted_at, display_name FROM resources WHERE resource_id LIKE '%gone'");
  ASSERT_TRUE(gone.is_ok() && gone->size() == 1);
  EXPECT_EQ(gone->front().get_text(0), "deleted");
  EXPECT_EQ(gone->front().get_text(1), "2026-01-11 03:04:05");
  // Colliding dimensions became one, their facts summed (1.0000 + 2.0000).
  auto merged = target.query(
      "SELECT d.allocation_detail, f.amount FROM chargeback_facts f JOIN chargeback_dimensions d "
      "ON d.dimension_id = f.dimension_id WHERE d.allocation_method = 'even_split' AND "
      "f.timestamp = ?",
      {o.first_date + " 00:00:00"});
  ASSERT_TRUE(merged.is_ok() && merged->size() == 1) << (merged ? merged->size() : 0);
  EXPECT_EQ(merged->front().get_text(0), "");
  EXPECT_EQ(merged->front().get_int(1), 30000);

  // The next pipeline run calculates only the date the original had not calculated.
  storage::BillingStore billing(target, o.ecosystem, o.tenant_id);
  auto pending = billing.pending_dates();
  ASSERT_TRUE(pending.is_ok());
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_GT(pending->front(), e.calculated_through);
  EXPECT_EQ(scalar(target, "SELECT count(*) FROM pipeline_state WHERE chargeback_calculated = 1"),
            e.states - 1);
  // Runs keep their history; calculation runs point at the imported runs.
  EXPECT_EQ(scalar(target,
                   "SELECT count(*) FROM pipeline_state s JOIN pipeline_runs r ON r.id = "
                   "s.calculation_run_id WHERE r.tenant_name = ?",
                   {o.tenant_name}),
            e.states - 1);
}

class ImportSqlite : public ::testing::Test {
 protected:
  TempDir dir_;
  std::string source_ = dir_.sqlite_url("chargeback.db");
  std::string target_ = dir_.sqlite_url("chitragupt.db");
};

TEST_F(ImportSqlite, ImportsEverythingAndVerifiesItThenARerunChangesNothing) {
  fixture::Options o;
  auto e = make_source(source_, o);
  // The source is only read: its bytes stay as they were (and read-only files are fine).
  const std::string before = file_bytes(dir_.file("chargeback.db"));
  ::chmod(dir_.file("chargeback.db").c_str(), 0444);

  auto r = run_import(options_for(source_, target_, o));
  ASSERT_TRUE(r.is_ok()) << r.error();
  auto target = storage::open_database(target_);
  ASSERT_TRUE(target.is_ok());
  expect_complete(*r, e, **target, o);
  EXPECT_EQ(r->revision, "032");
  const std::string text = format_report(*r);
  EXPECT_NE(text.find("more than four decimals"), std::string::npos) << text;
  EXPECT_NE(text.find("last wins"), std::string::npos) << text;
  EXPECT_NE(text.find("chargebacks 7 below billing"), std::string::npos) << text;
  EXPECT_EQ(file_bytes(dir_.file("chargeback.db")), before);

  // Idempotent: the same result, nothing doubled, nothing rewritten.
  const std::int64_t facts = scalar(**target, "SELECT count(*) FROM chargeback_facts");
  const std::int64_t dims = scalar(**target, "SELECT count(*) FROM chargeback_dimensions");
  auto again = run_import(options_for(source_, target_, o));
  ASSERT_TRUE(again.is_ok()) << again.error();
  EXPECT_FALSE(again->lost()) << format_report(*again);
  EXPECT_FALSE(again->backup_path.empty());  // the target held data: copied first
  for (const auto& t : again->tables) {
    EXPECT_EQ(t.written, 0) << t.table;
  }
  for (const auto& d : again->dates) EXPECT_EQ(d.action, "unchanged") << d.date;
  EXPECT_EQ(scalar(**target, "SELECT count(*) FROM chargeback_facts"), facts);
  EXPECT_EQ(scalar(**target, "SELECT count(*) FROM chargeback_dimensions"), dims);
  EXPECT_EQ(scalar(**target, "SELECT count(*) FROM tags"), e.tags);
  EXPECT_EQ(scalar(**target, "SELECT count(*) FROM pipeline_runs"), e.runs);
  EXPECT_EQ(file_bytes(dir_.file("chargeback.db")), before);
}

TEST_F(ImportSqlite, SelfManagedKafkaBillingComesFromItsOwnTable) {
  fixture::Options o;
  o.ecosystem = "self_managed_kafka";
  o.tenant_id = "dc1";
  o.days = 40;
  auto e = make_source(source_, o);
  auto r = run_import(options_for(source_, target_, o));
  ASSERT_TRUE(r.is_ok()) << r.error();
  auto target = storage::open_database(target_);
  expect_complete(*r, e, **target, o);
  EXPECT_EQ(scalar(**target, "SELECT count(*) FROM billing WHERE ecosystem = 'self_managed_kafka'"),
            e.billing_lines);
}

TEST_F(ImportSqlite, DryRunReportsTheSameAndWritesNothing) {
  fixture::Options o;
  o.days = 20;
  auto e = make_source(source_, o);
  auto options = options_for(source_, target_, o);
  options.dry_run = true;
  auto dry = run_import(options);
  ASSERT_TRUE(dry.is_ok()) << dry.error();
  EXPECT_FALSE(dry->lost()) << format_report(*dry);
  EXPECT_FALSE(std::filesystem::exists(dir_.file("chitragupt.db")));
  EXPECT_NE(format_report(*dry).find("Dry run"), std::string::npos);
  auto real = run_import(options_for(source_, target_, o));
  ASSERT_TRUE(real.is_ok()) << real.error();
  ASSERT_EQ(dry->dates.size(), real->dates.size());
  for (std::size_t i = 0; i < dry->dates.size(); ++i) {
    EXPECT_EQ(dry->dates[i].chargeback_after, real->dates[i].chargeback_after);
    EXPECT_EQ(dry->dates[i].billed_after, real->dates[i].billed_after);
  }
  for (std::size_t i = 0; i < dry->tables.size(); ++i) {
    EXPECT_EQ(dry->tables[i].written, real->tables[i].written) << dry->tables[i].table;
  }
  (void)e;
}

TEST_F(ImportSqlite, AFailedImportLeavesTheTargetAsItWas) {
  fixture::Options o;
  o.days = 15;
  make_source(source_, o);
  for (const char* group : {"billing", "chargebacks", "emissions"}) {
    auto options = options_for(source_, target_, o);
    options.after_group = [group](const std::string& done) {
      return done == group ? Status::error("disk full (test)") : Status::ok();
    };
    auto r = run_import(options);
    ASSERT_FALSE(r.is_ok()) << group;
    EXPECT_NE(r.error().find("disk full"), std::string::npos);
    auto target = storage::open_database(target_);
    for (const char* t : {"resources", "tags", "ccloud_billing", "chargeback_facts",
                          "chargeback_dimensions", "pipeline_runs", "pipeline_state"}) {
      EXPECT_EQ(scalar(**target, std::string("SELECT count(*) FROM ") + t), 0) << group << t;
    }
  }
  auto r = run_import(options_for(source_, target_, o));
  ASSERT_TRUE(r.is_ok()) << r.error();
  EXPECT_FALSE(r->lost());
}

TEST_F(ImportSqlite, RefusesAnotherAlembicRevisionNamingItAndWhatToDo) {
  fixture::Options o;
  o.revision = "031";
  o.days = 3;
  make_source(source_, o);
  auto r = run_import(options_for(source_, target_, o));
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.error().find("'031'"), std::string::npos) << r.error();
  EXPECT_NE(r.error().find("upgrade the original to v2.2 first"), std::string::npos) << r.error();
  EXPECT_FALSE(std::filesystem::exists(dir_.file("chitragupt.db")));
}

TEST_F(ImportSqlite, RefusesATenantOrEcosystemMismatch) {
  fixture::Options o;
  o.days = 3;
  make_source(source_, o);
  auto other_tenant = options_for(source_, target_, o);
  other_tenant.tenant_id = "acme-staging";
  auto r = run_import(other_tenant);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.error().find("tenant_id 'acme-prod'"), std::string::npos) << r.error();
  EXPECT_NE(r.error().find("tenant_id 'acme-staging'"), std::string::npos) << r.error();
  auto other_ecosystem = options_for(source_, target_, o);
  other_ecosystem.ecosystem = "self_managed_kafka";
  r = run_import(other_ecosystem);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.error().find("ecosystem 'confluent_cloud'"), std::string::npos) << r.error();
  EXPECT_FALSE(std::filesystem::exists(dir_.file("chitragupt.db")));
}

TEST_F(ImportSqlite, RefusesWhatIsNotAChitraguptaDatabase) {
  fixture::Options o;
  // A file that does not exist is not created.
  auto r = run_import(options_for(dir_.sqlite_url("missing.db"), target_, o));
  ASSERT_FALSE(r.is_ok());
  EXPECT_FALSE(std::filesystem::exists(dir_.file("missing.db")));
  // A text file.
  { std::ofstream(dir_.file("notes.txt")) << "hello, this is not a database at all\n"; }
  r = run_import(options_for(dir_.sqlite_url("notes.txt"), target_, o));
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.error().find("not a database"), std::string::npos) << r.error();
  // Another application's database.
  {
    auto db = storage::open_database(dir_.sqlite_url("other.db"));
    ASSERT_TRUE((*db)->execute("CREATE TABLE things (id INTEGER)").is_ok());
  }
  r = run_import(options_for(dir_.sqlite_url("other.db"), target_, o));
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.error().find("not a chitragupta database"), std::string::npos) << r.error();
  EXPECT_NE(r.error().find("things"), std::string::npos) << r.error();
  // A chitragupt database (ours): named as such.
  {
    auto db = storage::open_database(dir_.sqlite_url("ours.db"));
    ASSERT_TRUE(storage::Migrator(**db).upgrade().is_ok());
  }
  r = run_import(options_for(dir_.sqlite_url("ours.db"), target_, o));
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.error().find("chitragupt database already"), std::string::npos) << r.error();
  // The tenant's own database.
  r = run_import(options_for(target_, target_, o));
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.error().find("own database"), std::string::npos) << r.error();
}

TEST_F(ImportSqlite, RefusesATargetWithOtherDataForTheSameDatesUnlessReplace) {
  fixture::Options o;
  o.days = 12;
  auto e = make_source(source_, o);
  ASSERT_TRUE(run_import(options_for(source_, target_, o)).is_ok());
  // The target's data of one date changes (as if chitragupt had recalculated it).
  {
    auto target = storage::open_database(target_);
    ASSERT_TRUE((*target)
                    ->execute("UPDATE chargeback_facts SET amount = amount + 1 WHERE timestamp = ?",
                              {std::string("2026-01-05 00:00:00")})
                    .is_ok());
  }
  auto refused = run_import(options_for(source_, target_, o));
  ASSERT_FALSE(refused.is_ok());
  EXPECT_NE(refused.error().find("2026-01-05"), std::string::npos) << refused.error();
  EXPECT_NE(refused.error().find("--replace"), std::string::npos) << refused.error();
  auto options = options_for(source_, target_, o);
  options.replace = true;
  auto replaced = run_import(options);
  ASSERT_TRUE(replaced.is_ok()) << replaced.error();
  EXPECT_FALSE(replaced->lost()) << format_report(*replaced);
  int n = 0;
  for (const auto& d : replaced->dates) {
    if (d.action == "replaced") {
      ++n;
      EXPECT_EQ(d.date, "2026-01-05");
    }
  }
  EXPECT_EQ(n, 1);
  auto target = storage::open_database(target_);
  EXPECT_EQ(scalar(**target, "SELECT SUM(amount) FROM chargeback_facts WHERE timestamp = ?",
                   {std::string("2026-01-05 00:00:00")}),
            e.charged.at("2026-01-05").to_money()->units());
}

TEST_F(ImportSqlite, LostRowsAreListedAndMakeTheImportFail) {
  fixture::Options o;
  o.days = 5;
  make_source(source_, o);
  {
    auto db = storage::open_database(source_);
    ASSERT_TRUE((*db)->execute("PRAGMA foreign_keys=OFF").is_ok());
    ASSERT_TRUE((*db)
                    ->execute("INSERT INTO chargeback_facts VALUES "
                              "('2026-01-02 00:00:00', 99999, '1.5', '{}')")
                    .is_ok());
    ASSERT_TRUE((*db)
                    ->execute("UPDATE chargeback_facts SET amount = 'twelve' WHERE "
                              "timestamp = '2026-01-03 00:00:00' AND dimension_id = 1")
                    .is_ok());
    // The same line again, its timestamp typed by hand.
    ASSERT_TRUE((*db)
                    ->execute("INSERT INTO ccloud_billing SELECT ecosystem, tenant_id, "
                              "'2026-01-02T00:00:00Z', env_id, resource_id, product_type, "
                              "product_category, quantity, unit_price, total_cost, currency, "
                              "granularity, allocation_attempts, metadata_json, "
                              "topic_attribution_attempts FROM ccloud_billing WHERE timestamp = "
                              "'2026-01-02 00:00:00' LIMIT 1")
                    .is_ok());
  }
  auto r = run_import(options_for(source_, target_, o));
  ASSERT_TRUE(r.is_ok()) << r.error();
  EXPECT_TRUE(r->lost());
  const std::string text = format_report(*r);
  EXPECT_NE(text.find("orphan fact"), std::string::npos) << text;
  EXPECT_NE(text.find("'twelve'"), std::string::npos) << text;
  EXPECT_EQ(table(*r, "chargeback_facts").lost, 2);
  EXPECT_EQ(table(*r, "ccloud_billing").lost, 1);
  EXPECT_NE(text.find("timestamps written differently"), std::string::npos) << text;
}

TEST_F(ImportSqlite, ImportedBillingInTheOriginalsTextFormsIsNotARevision) {
  fixture::Options o;
  o.days = 4;
  make_source(source_, o);
  ASSERT_TRUE(run_import(options_for(source_, target_, o)).is_ok());
  auto target = storage::open_database(target_);
  storage::BillingStore billing(**target, o.ecosystem, o.tenant_id);
  auto lines = billing.lines_for_date("2026-01-01");
  ASSERT_TRUE(lines.is_ok() && !lines->empty());
  // The same bill as chitragupt's gather writes it: other decimal forms, compact sorted JSON.
  std::vector<storage::BillingRecord> fetched = *lines;
  for (auto& l : fetched) {
    l.total_cost = l.total_cost + "00";
    if (l.total_cost.find('.') == std::string::npos) l.total_cost = l.total_cost + ".0";
    l.quantity = "24";
    l.metadata_json = "{\"original_amount\":\"" + l.total_cost + "\",\"resource_name\":\"" +
                      l.resource_id + "\"}";
  }
  auto same = billing.upsert(fetched);
  ASSERT_TRUE(same.is_ok()) << same.error();
  EXPECT_EQ(same->revised, 0);
  EXPECT_TRUE(same->changed_dates.empty());
  // A different amount is a revision.
  fetched.front().total_cost = "99.5";
  auto revised = billing.upsert(fetched);
  ASSERT_TRUE(revised.is_ok());
  EXPECT_EQ(revised->revised, 1);
  EXPECT_EQ(revised->changed_dates, std::set<std::string>{"2026-01-01"});
}

// After the import the real calculate stage continues from the imported state: it calculates
// the one date the original had only gathered, and leaves every calculated date as imported
// until a billing revision of that date re-queues it.
TEST_F(ImportSqlite, TheNextCalculationContinuesFromTheImportedState) {
  fixture::Options o;
  o.days = 8;
  auto e = make_source(source_, o);
  ASSERT_TRUE(run_import(options_for(source_, target_, o)).is_ok());
  auto target = storage::open_database(target_);
  auto facts_of = [&](const std::string& date) {
    auto rows = (*target)->query(
        "SELECT f.dimension_id, f.amount FROM chargeback_facts f WHERE f.timestamp = ? "
        "ORDER BY 1",
        {date + " 00:00:00"});
    std::vector<std::string> out;
    for (const auto& r : *rows) out.push_back(r.get_text(0) + "=" + r.get_text(1));
    return out;
  };
  std::map<std::string, std::vector<std::string>> before;
  for (const auto& [date, total] : e.charged) before[date] = facts_of(date);

  config::TenantConfig tenant;
  tenant.name = o.tenant_name;
  tenant.ecosystem = o.ecosystem;
  tenant.tenant_id = o.tenant_id;
  pipeline::CalculateOptions calc;
  calc.registry = &allocation::Registry::confluent_cloud();
  auto first = pipeline::calculate_pending(**target, tenant, calc);
  ASSERT_TRUE(first.is_ok()) << first.error();
  EXPECT_EQ(first->dates_calculated, 1);  // only the date the original had not calculated
  const std::string last = e.billed.rbegin()->first;
  EXPECT_FALSE(facts_of(last).empty());
  for (const auto& [date, facts] : before) EXPECT_EQ(facts_of(date), facts) << date;

  // A revised bill re-queues its date, and only that date is recalculated.
  storage::BillingStore billing(**target, o.ecosystem, o.tenant_id);
  auto lines = billing.lines_for_date(o.first_date);
  ASSERT_TRUE(lines.is_ok() && !lines->empty());
  auto revised = lines->front();
  revised.total_cost = "50";
  auto merged = billing.upsert({revised});
  ASSERT_TRUE(merged.is_ok());
  ASSERT_TRUE(billing.mark_gathered({o.first_date}, merged->changed_dates).is_ok());
  auto second = pipeline::calculate_pending(**target, tenant, calc);
  ASSERT_TRUE(second.is_ok()) << second.error();
  EXPECT_EQ(second->dates_calculated, 1);
  EXPECT_NE(facts_of(o.first_date), before[o.first_date]);
  for (const auto& [date, facts] : before) {
    if (date != o.first_date) {
      EXPECT_EQ(facts_of(date), facts) << date;
    }
  }
}

// ------------------------------------------------------------------ PostgreSQL

TEST(ImportPostgres, FromPostgresIntoPostgresAndIntoSqlite) {
  CHITRAGUPT_REQUIRE_POSTGRESQL();
  PgScratchDatabase source, target;
  ASSERT_TRUE(source.status().is_ok()) << source.status().message();
  ASSERT_TRUE(target.status().is_ok()) << target.status().message();
  fixture::Options o;
  o.days = 35;
  auto e = make_source(source.url(), o);
  const std::string fingerprint_sql =
      "SELECT (SELECT count(*) FROM chargeback_facts) * 1000003 + (SELECT count(*) FROM tags) + "
      "(SELECT COALESCE(SUM(length(amount)), 0) FROM chargeback_facts)";
  auto src = storage::open_database(source.url());
  const std::int64_t before = scalar(**src, fingerprint_sql);
  auto r = run_import(options_for(source.url(), target.url(), o));
  ASSERT_TRUE(r.is_ok()) << r.error();
  auto db = storage::open_database(target.url());
  ASSERT_TRUE(db.is_ok());
  expect_complete(*r, e, **db, o);
  // The report never shows the password.
  const std::string password = storage::testing::PgServer::get().admin().password;
  if (!password.empty()) {
    EXPECT_EQ(format_report(*r).find(password), std::string::npos);
  }
  auto again = run_import(options_for(source.url(), target.url(), o));
  ASSERT_TRUE(again.is_ok()) << again.error();
  for (const auto& t : again->tables) EXPECT_EQ(t.written, 0) << t.table;

  EXPECT_EQ(scalar(**src, fingerprint_sql), before);  // the original is only read
  TempDir dir;
  auto into_sqlite = run_import(options_for(source.url(), dir.sqlite_url("t.db"), o));
  ASSERT_TRUE(into_sqlite.is_ok()) << into_sqlite.error();
  auto lite = storage::open_database(dir.sqlite_url("t.db"));
  expect_complete(*into_sqlite, e, **lite, o);
}

TEST(ImportPostgres, FromSqliteIntoPostgresSelfManaged) {
  CHITRAGUPT_REQUIRE_POSTGRESQL();
  PgScratchDatabase target;
  ASSERT_TRUE(target.status().is_ok());
  TempDir dir;
  fixture::Options o;
  o.ecosystem = "self_managed_kafka";
  o.tenant_id = "dc1";
  o.days = 20;
  auto e = make_source(dir.sqlite_url("src.db"), o);
  auto r = run_import(options_for(dir.sqlite_url("src.db"), target.url(), o));
  ASSERT_TRUE(r.is_ok()) << r.error();
  auto db = storage::open_database(target.url());
  expect_complete(*r, e, **db, o);
}

TEST(ImportPostgres, RefusesAnotherRevision) {
  CHITRAGUPT_REQUIRE_POSTGRESQL();
  PgScratchDatabase source;
  ASSERT_TRUE(source.status().is_ok());
  fixture::Options o;
  o.days = 3;
  o.revision = "ddebea2fe0a8";
  make_source(source.url(), o);
  TempDir dir;
  auto r = run_import(options_for(source.url(), dir.sqlite_url("t.db"), o));
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.error().find("'ddebea2fe0a8'"), std::string::npos) << r.error();
}

}  // namespace
}  // namespace chitragupt::importer
