#include "storage/billing_store.hpp"

#include <cctype>

#include <nlohmann/json.hpp>

#include "storage/chargeback_store.hpp"
#include "storage/utc_time.hpp"

namespace chitragupt::storage {
namespace {

// A decimal literal's value as a canonical key ("36.0", "36", "3.6E+1" -> "+36E0"); text that
// is not a decimal literal is its own key.
std::string decimal_key(const std::string& text) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  std::string digits;
  long exponent = 0;
  bool any = false, point = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits += c;
      any = true;
      if (point) --exponent;
    } else if (c == '.' && !point) {
      point = true;
    } else {
      break;
    }
  }
  if (!any) return text;
  if (i < text.size()) {
    if (text[i] != 'e' && text[i] != 'E') return text;
    ++i;
    std::size_t start = i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (i == text.size() || i - start > 7) return text;
    for (std::size_t k = i; k < text.size(); ++k) {
      if (!std::isdigit(static_cast<unsigned char>(text[k]))) return text;
    }
    exponent += std::stol(text.substr(start));
  }
  std::size_t lead = digits.find_first_not_of('0');
  if (lead == std::string::npos) return "0";
  digits.erase(0, lead);
  while (digits.back() == '0') {
    digits.pop_back();
    ++exponent;
  }
  return std::string(negative ? "-" : "+") + digits + "E" + std::to_string(exponent);
}

// Metadata compared as JSON, decimal strings by value: a key order, spacing or a trailing zero
// is no billing change ("original_amount": "36.0" == "36").
void normalize(nlohmann::json& j) {
  if (j.is_string()) {
    j = decimal_key(j.get<std::string>());
  } else if (j.is_number()) {
    j = decimal_key(j.dump());
  } else if (j.is_structured()) {
    for (auto& v : j) normalize(v);
  }
}

bool same_metadata(const std::string& a, const std::string& b) {
  if (a == b) return true;
  auto pa = nlohmann::json::parse(a.empty() ? "{}" : a, nullptr, false);
  auto pb = nlohmann::json::parse(b.empty() ? "{}" : b, nullptr, false);
  if (pa.is_discarded() || pb.is_discarded()) return false;
  normalize(pa);
  normalize(pb);
  return pa == pb;
}

// Whether a stored line and a fetched one are the same bill: amounts by value and metadata as
// JSON (lines imported from the original carry its text forms, "36.0" and ", " separators).
bool same_line(const Row& stored, const BillingRecord& l) {
  return decimal_key(stored.get_text(0)) == decimal_key(l.quantity) &&
         decimal_key(stored.get_text(1)) == decimal_key(l.unit_price) &&
         decimal_key(stored.get_text(2)) == decimal_key(l.total_cost) &&
         same_metadata(stored.get_text(3), l.metadata_json);
}

Value text_or_null(const std::string& s) {
  if (s.empty()) return std::monostate{};
  return s;
}

}  // namespace

const char* billing_table_of(const std::string& ecosystem) {
  return ecosystem == "confluent_cloud" ? "ccloud_billing" : "billing";
}

bool billing_table_has_env_id(const std::string& ecosystem) {
  return std::string(billing_table_of(ecosystem)) == "ccloud_billing";
}

BillingStore::BillingStore(Database& db, std::string ecosystem, std::string tenant_id)
    : db_(db),
      ecosystem_(std::move(ecosystem)),
      tenant_id_(std::move(tenant_id)),
      ccloud_(billing_table_has_env_id(ecosystem_)) {}

// The two tables differ only in env_id; the SQL for each is fixed text, never built from input.
Result<BillingUpsert> BillingStore::upsert(const std::vector<BillingRecord>& lines) {
  auto find = db_.prepare(
      ccloud_ ? "SELECT quantity, unit_price, total_cost, metadata_json FROM ccloud_billing "
                "WHERE ecosystem = ? AND tenant_id = ? AND timestamp = ? AND env_id = ? AND "
                "resource_id = ? AND product_type = ? AND product_category = ?"
              : "SELECT quantity, unit_price, total_cost, metadata_json FROM billing "
                "WHERE ecosystem = ? AND tenant_id = ? AND timestamp = ? AND ? = '' AND "
                "resource_id = ? AND product_type = ? AND product_category = ?");
  if (!find) return find.status();
  auto insert = db_.prepare(
      ccloud_ ? "INSERT INTO ccloud_billing (ecosystem, tenant_id, timestamp, env_id, resource_id, "
                "product_type, product_category, quantity, unit_price, total_cost, currency, "
                "granularity, metadata_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
              : "INSERT INTO billing (ecosystem, tenant_id, timestamp, resource_id, product_type, "
                "product_category, quantity, unit_price, total_cost, currency, granularity, "
                "metadata_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!insert) return insert.status();
  auto update = db_.prepare(
      ccloud_ ? "UPDATE ccloud_billing SET quantity = ?, unit_price = ?, total_cost = ?, "
                "currency = ?, granularity = ?, metadata_json = ?, allocation_attempts = 0, "
                "topic_attribution_attempts = 0 "
                "WHERE ecosystem = ? AND tenant_id = ? AND timestamp = ? AND env_id = ? AND "
                "resource_id = ? AND product_type = ? AND product_category = ?"
              : "UPDATE billing SET quantity = ?, unit_price = ?, total_cost = ?, currency = ?, "
                "granularity = ?, metadata_json = ?, allocation_attempts = 0, "
                "topic_attribution_attempts = 0 WHERE ecosystem = ? "
                "AND tenant_id = ? AND timestamp = ? AND ? = '' AND resource_id = ? AND "
                "product_type = ? AND product_category = ?");
  if (!update) return update.status();

  BillingUpsert out;
  for (const auto& l : lines) {
    Params key = {ecosystem_,    tenant_id_,     l.timestamp,       l.env_id,
                  l.resource_id, l.product_type, l.product_category};
    auto existing = (*find)->query(key);
    if (!existing) return existing.status();
    const std::string date = l.timestamp.substr(0, 10);
    if (existing->empty()) {
      Params values = {ecosystem_,
                       tenant_id_,
                       l.timestamp,
                       l.env_id,
                       l.resource_id,
                       l.product_type,
                       l.product_category,
                       l.quantity,
                       l.unit_price,
                       l.total_cost,
                       l.currency,
                       l.granularity,
                       text_or_null(l.metadata_json)};
      if (!ccloud_) values.erase(values.begin() + 3);  // billing has no env_id column
      if (auto s = (*insert)->execute(values); !s) return s;
      out.inserted++;
      out.changed_dates.insert(date);
      continue;
    }
    const Row& row = existing->front();
    if (same_line(row, l)) {
      out.unchanged++;
      continue;
    }
    Params values = {l.quantity, l.unit_price,  l.total_cost,
                     l.currency, l.granularity, text_or_null(l.metadata_json)};
    values.insert(values.end(), key.begin(), key.end());
    if (auto s = (*update)->execute(values); !s) return s;
    out.revised++;
    out.changed_dates.insert(date);
  }
  return out;
}

Result<std::vector<BillingRecord>> BillingStore::lines_for_date(const std::string& date) {
  auto [start, end] = day_bounds(date);
  auto rows = db_.query(
      ccloud_ ? "SELECT timestamp, env_id, resource_id, product_type, product_category, quantity, "
                "unit_price, total_cost, currency, granularity, metadata_json, "
                "allocation_attempts FROM ccloud_billing WHERE ecosystem = ? AND tenant_id = ? "
                "AND timestamp >= ? AND timestamp < ? ORDER BY timestamp, env_id, resource_id, "
                "product_type, product_category"
              : "SELECT timestamp, '', resource_id, product_type, product_category, quantity, "
                "unit_price, total_cost, currency, granularity, metadata_json, "
                "allocation_attempts FROM billing WHERE ecosystem = ? AND tenant_id = ? "
                "AND timestamp >= ? AND timestamp < ? ORDER BY timestamp, resource_id, "
                "product_type, product_category",
      {ecosystem_, tenant_id_, start, end});
  if (!rows) return rows.status();
  std::vector<BillingRecord> out;
  out.reserve(rows->size());
  for (const auto& r : *rows) {
    BillingRecord b;
    b.timestamp = r.get_text(0);
    b.env_id = r.get_text(1);
    b.resource_id = r.get_text(2);
    b.product_type = r.get_text(3);
    b.product_category = r.get_text(4);
    b.quantity = r.get_text(5);
    b.unit_price = r.get_text(6);
    b.total_cost = r.get_text(7);
    b.currency = r.get_text(8);
    b.granularity = r.get_text(9);
    b.metadata_json = r.get_text(10);
    b.allocation_attempts = r.get_int(11);
    out.push_back(std::move(b));
  }
  return out;
}

Status BillingStore::set_allocation_attempts(const BillingRecord& l, std::int64_t attempts) {
  return db_.execute(
      ccloud_ ? "UPDATE ccloud_billing SET allocation_attempts = ? WHERE ecosystem = ? AND "
                "tenant_id = ? AND timestamp = ? AND env_id = ? AND resource_id = ? AND "
                "product_type = ? AND product_category = ?"
              : "UPDATE billing SET allocation_attempts = ? WHERE ecosystem = ? AND tenant_id = ? "
                "AND timestamp = ? AND ? = '' AND resource_id = ? AND product_type = ? AND "
                "product_category = ?",
      {attempts, ecosystem_, tenant_id_, l.timestamp, l.env_id, l.resource_id, l.product_type,
       l.product_category});
}

Status BillingStore::mark_gathered(const std::set<std::string>& gathered,
                                   const std::set<std::string>& requeue) {
  auto stmt = db_.prepare(
      "INSERT INTO pipeline_state (ecosystem, tenant_id, tracking_date, billing_gathered, "
      "resources_gathered, chargeback_calculated) VALUES (?, ?, ?, 1, 1, 0) "
      "ON CONFLICT (ecosystem, tenant_id, tracking_date) DO UPDATE SET billing_gathered = 1, "
      "resources_gathered = 1, chargeback_calculated = CASE WHEN ? = 1 THEN 0 ELSE "
      "pipeline_state.chargeback_calculated END, topic_attribution_calculated = CASE WHEN ? = 1 "
      "THEN 0 ELSE pipeline_state.topic_attribution_calculated END");
  if (!stmt) return stmt.status();
  for (const auto& date : gathered) {
    std::int64_t re = requeue.count(date) ? 1 : 0;
    if (auto s = (*stmt)->execute({ecosystem_, tenant_id_, date, re, re}); !s) return s;
  }
  return Status::ok();
}

Result<std::vector<std::string>> BillingStore::pending_dates() {
  auto rows = db_.query(
      "SELECT tracking_date FROM pipeline_state WHERE ecosystem = ? AND tenant_id = ? AND "
      "billing_gathered = 1 AND chargeback_calculated = 0 ORDER BY tracking_date",
      {ecosystem_, tenant_id_});
  if (!rows) return rows.status();
  std::vector<std::string> out;
  for (const auto& r : *rows) out.push_back(r.get_text(0));
  return out;
}

Status BillingStore::mark_calculated(const std::string& date, std::int64_t run_id,
                                     const std::string& calculation_id) {
  Value run = run_id > 0 ? Value(run_id) : Value(std::monostate{});
  return db_.execute(
      "UPDATE pipeline_state SET chargeback_calculated = 1, calculation_id = ?, "
      "calculation_completed_at = ?, calculation_run_id = ? WHERE ecosystem = ? AND "
      "tenant_id = ? AND tracking_date = ?",
      {calculation_id, utc_now_timestamp(), run, ecosystem_, tenant_id_, date});
}

}  // namespace chitragupt::storage
