// Fuzz target: the report API as the HTTP front end feeds it. The input is a request as text:
//   METHOD /api/v1/tenants/prod/<route>?<query>\n<body>
// It is matched against every report route's pattern (http::report_route_patterns), its
// query decoded (http::query_params) and answered by report::handle() from a real, migrated
// SQLite tenant database holding chargebacks, resources, identities and tags. This covers every
// route's query parameters and the JSON bodies (tags, bulk tags, export).
// Checked: no 500 — bad input is a 4xx with an {"error":{"code","message"}} body — and every
// 200 JSON body parses. Each input starts from the same database file, so a finding replays.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "fuzz/fuzz_check.hpp"
#include "http/report_routes.hpp"
#include "report/report.hpp"
#include "storage/chargeback_store.hpp"
#include "storage/database.hpp"
#include "storage/inventory_store.hpp"
#include "storage/migrator.hpp"

namespace {

namespace fs = std::filesystem;
using namespace chitragupt;

report::TenantContext tenant() {
  report::TenantContext t;
  t.tenant_name = "prod";
  t.tenant_id = "t1";
  t.ecosystem = "confluent_cloud";
  t.export_chunk_rows = 3;  // several chunks from the seeded rows
  return t;
}

void must(const Status& s, const char* what) { FUZZ_CHECK(s.is_ok(), what); }

storage::ChargebackFactRecord fact(const std::string& ts, const std::string& identity,
                                   std::int64_t units, const std::string& resource) {
  storage::ChargebackFactRecord f;
  f.timestamp = ts;
  f.resource_id = resource;
  f.product_category = "KAFKA";
  f.product_type = "KAFKA_NUM_CKU";
  f.identity_id = identity;
  f.cost_type = "usage";
  f.allocation_method = "usage_ratio";
  f.allocation_detail = "usage_ratio_allocation";
  f.env_id = "env-1";
  f.amount_units = units;
  return f;
}

// The template database every input starts from.
std::string make_template(const std::string& path) {
  auto db = storage::open_database("sqlite:///" + path);
  FUZZ_CHECK(db.is_ok(), "cannot create the template database");
  storage::Migrator::Options no_backup;
  no_backup.backup_before_upgrade = false;
  must(storage::Migrator(**db, no_backup).upgrade().status(), "migrations");
  const auto t = tenant();
  storage::ChargebackStore facts(**db, t.ecosystem, t.tenant_id);
  {
    storage::Transaction tx(**db);
    must(tx.begin_status(), "begin");
    for (int day = 1; day <= 3; ++day) {
      std::string date = "2026-01-0" + std::to_string(day);
      std::string ts = date + "T00:00:00Z";
      auto written = facts.replace_date(
          date, {fact(ts, "sa-1", 12345 * day, "lkc-1"), fact(ts, "sa-2", 7, "lkc-1"),
                 fact(ts, "u-1", 999999, "lkc-2")});
      must(written.status(), "facts");
    }
    must(tx.commit(), "commit");
    facts.transaction_committed();
  }
  storage::InventoryStore inventory(**db, t.ecosystem, t.tenant_id);
  storage::ResourceRecord r;
  r.resource_id = "lkc-1";
  r.resource_type = "kafka_cluster";
  r.display_name = "orders";
  must(inventory.upsert_resources({r}, "2026-01-01 00:00:00").status(), "resources");
  storage::IdentityRecord i;
  i.identity_id = "sa-1";
  i.identity_type = "service_account";
  i.display_name = "billing-app";
  must(inventory.upsert_identities({i}, "2026-01-01 00:00:00").status(), "identities");
  report::Request tag;
  tag.method = "POST";
  tag.route = "/tenants/{tenant}/entities/{entity_type}/{entity_id}/tags";
  tag.path_params = {{"entity_type", "resource"}, {"entity_id", "lkc-1"}};
  tag.body = R"({"tag_key":"team","tag_value":"payments"})";
  FUZZ_CHECK(report::handle(**db, t, tag).status < 300, "seeding a tag");
  return path;
}

struct Fixture {
  fs::path dir;
  std::string template_db;
  std::string work_db;
  std::vector<std::pair<http::RoutePattern, std::regex>> routes;

  Fixture() {
    char name[] = "/tmp/chitragupt-report-fuzz-XXXXXX";
    FUZZ_CHECK(mkdtemp(name) != nullptr, "mkdtemp");
    dir = name;
    template_db = make_template((dir / "template.db").string());
    work_db = (dir / "work.db").string();
    for (auto& p : http::report_route_patterns()) {
      std::regex re(p.regex);
      routes.emplace_back(std::move(p), std::move(re));
    }
  }
  ~Fixture() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void check_error_body(const report::Response& r) {
  auto body = nlohmann::json::parse(r.body, nullptr, false);
  FUZZ_CHECK(body.is_object() && body.contains("error") && body["error"].is_object(),
             "an error without the {\"error\":{...}} body");
  FUZZ_CHECK(body["error"].contains("code") && body["error"]["code"].is_string() &&
                 body["error"].contains("message") && body["error"]["message"].is_string(),
             "an error body without code and message");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Fixture& f = fixture();
  const std::string input(reinterpret_cast<const char*>(data), size);
  const auto line_end = input.find('\n');
  const std::string line = input.substr(0, line_end);
  const std::string body = line_end == std::string::npos ? "" : input.substr(line_end + 1);
  const auto space = line.find(' ');
  if (space == std::string::npos) return 0;
  const std::string method = line.substr(0, space);
  const std::string target = line.substr(space + 1);
  const std::string path = target.substr(0, target.find('?'));

  for (const auto& [pattern, re] : f.routes) {
    if (pattern.method != method) continue;
    std::smatch match;
    if (!std::regex_match(path, match, re)) continue;
    report::Request request;
    request.method = method;
    request.route = pattern.route;
    for (std::size_t i = 0; i < pattern.params.size() && i + 1 < match.size(); ++i) {
      if (pattern.params[i] != "tenant") {
        request.path_params.emplace_back(pattern.params[i], match[i + 1].str());
      }
    }
    request.query = http::query_params(target);
    request.body = body;

    std::error_code ec;
    fs::copy_file(f.template_db, f.work_db, fs::copy_options::overwrite_existing, ec);
    FUZZ_CHECK(!ec, "copying the template database");
    auto db = storage::open_database("sqlite:///" + f.work_db);
    FUZZ_CHECK(db.is_ok(), "opening the database");
    const auto t = tenant();
    // A streamed export asks again with the cursor until the last chunk (a bounded number).
    for (int chunk = 0; chunk < 50; ++chunk) {
      report::Response r = report::handle(**db, t, request);
      FUZZ_CHECK(r.status != 500, "a 500 answer");
      FUZZ_CHECK(r.status >= 200 && r.status < 500, "a status outside 2xx-4xx");
      if (r.status >= 400) {
        check_error_body(r);
        break;
      }
      if (r.content_type == "application/json" && !r.body.empty()) {
        FUZZ_CHECK(!nlohmann::json::parse(r.body, nullptr, false).is_discarded(),
                   "a 2xx body that is not JSON");
      }
      if (!r.next_cursor) break;
      request.cursor = *r.next_cursor;
    }
    return 0;  // the first matching route answers, as in the server
  }
  return 0;
}
