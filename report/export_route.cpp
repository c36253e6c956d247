// POST export: chargeback rows as CSV, in chunks.
//
// Each call answers at most TenantContext::export_chunk_rows rows in (timestamp, dimension_id)
// order and, when more follow, a cursor naming the last row sent (keyset pagination: every
// chunk costs the same however deep the export is). The header is in the first chunk only.

#include <algorithm>
#include <charconv>

#include "common/csv.hpp"
#include "report/chargeback_filter.hpp"
#include "report/entity_tags.hpp"
#include "report/handlers.hpp"

namespace chitragupt::report {
namespace {

using nlohmann::json;

const std::vector<std::string>& default_columns() {
  static const std::vector<std::string> c = {
      "timestamp", "resource_id", "product_category",  "product_type", "identity_id",
      "cost_type", "amount",      "allocation_method", "tags"};
  return c;
}

bool allowed_column(const std::string& c) {
  static const std::vector<std::string> extra = {"ecosystem", "tenant_id", "allocation_detail",
                                                 "metadata"};
  return std::find(default_columns().begin(), default_columns().end(), c) !=
             default_columns().end() ||
         std::find(extra.begin(), extra.end(), c) != extra.end();
}

struct Cursor {
  std::string timestamp;
  std::int64_t dimension_id = 0;
};

std::optional<Cursor> parse_cursor(const std::string& text) {
  auto bar = text.find('|');
  if (bar == std::string::npos) return std::nullopt;
  Cursor c;
  c.timestamp = text.substr(0, bar);
  if (c.timestamp.size() != 19 || !parse_stored(c.timestamp)) return std::nullopt;
  const char* begin = text.data() + bar + 1;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, c.dimension_id);
  if (begin == end || ec != std::errc() || ptr != end) return std::nullopt;
  return c;
}

}  // namespace

Response export_route(Call& call) {
  json body = read_body_object(call.request);
  auto opt = [&](const char* name) -> std::optional<std::string> {
    auto it = body.find(name);
    if (it == body.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) bad_parameter(name, "must be a string");
    return it->get<std::string>();
  };
  ChargebackFilter filter;
  filter.range = read_date_range(opt("start_date"), opt("end_date"), opt("timezone"));

  std::vector<std::string> columns = default_columns();
  if (auto it = body.find("columns"); it != body.end() && !it->is_null()) {
    if (!it->is_array() || it->empty()) bad_parameter("columns", "must be a non-empty list");
    columns.clear();
    for (const auto& c : *it) {
      if (!c.is_string() || !allowed_column(c.get<std::string>())) {
        bad_parameter("columns", "unknown column " +
                                     json_quoted(c.is_string() ? c.get<std::string>() : c.dump()));
      }
      columns.push_back(c.get<std::string>());
    }
  }
  if (auto it = body.find("filters"); it != body.end() && !it->is_null()) {
    if (!it->is_object()) bad_parameter("filters", "must be an object");
    const auto& allowed = chargeback_filter_columns();
    for (const auto& [name, value] : it->items()) {
      if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
        bad_parameter("filters", "unknown filter " + json_quoted(name) +
                                     " (identity_id, product_type, resource_id, cost_type)");
      }
      if (!value.is_string()) bad_parameter("filters." + name, "must be a string");
      add_filter_value(filter, name, value.get<std::string>());
    }
  }

  Where w = chargeback_where(call, filter);
  const bool first = call.request.cursor.empty();
  if (!first) {
    auto cursor = parse_cursor(call.request.cursor);
    if (!cursor) bad_parameter("cursor", "not a cursor this export handed out");
    w.add("(f.timestamp > ? OR (f.timestamp = ? AND f.dimension_id > ?))",
          storage::Params{cursor->timestamp, cursor->timestamp, cursor->dimension_id});
  }
  const std::int64_t chunk = std::max(1, call.tenant.export_chunk_rows);
  storage::Params params = w.params;
  params.push_back(chunk + 1);
  auto rows = checked(
      call.db.query("SELECT f.timestamp, f.dimension_id, d.ecosystem, d.tenant_id, d.resource_id, "
                    "d.product_category, d.product_type, d.identity_id, d.cost_type, f.amount, "
                    "d.allocation_method, d.allocation_detail, d.env_id" +
                        facts_first(w) + " ORDER BY f.timestamp, f.dimension_id LIMIT ?",
                    params),
      "chargeback export");
  const bool more = static_cast<std::int64_t>(rows.size()) > chunk;
  if (more) rows.resize(static_cast<std::size_t>(chunk));

  TagIndex tags = TagIndex::load(call.db, call.tenant.tenant_id);
  Response out;
  out.content_type = "text/csv";
  std::string& csv = out.body;
  csv.reserve(rows.size() * 120);
  if (first) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (i) csv += ',';
      csv += columns[i];
    }
    csv += "\r\n";
  }
  for (const auto& r : rows) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (i) csv += ',';
      const std::string& c = columns[i];
      std::string v;
      if (c == "timestamp")
        v = iso_utc(r.get_text(0));
      else if (c == "ecosystem")
        v = r.get_text(2);
      else if (c == "tenant_id")
        v = r.get_text(3);
      else if (c == "resource_id")
        v = r.get_text(4);
      else if (c == "product_category")
        v = r.get_text(5);
      else if (c == "product_type")
        v = r.get_text(6);
      else if (c == "identity_id")
        v = r.get_text(7);
      else if (c == "cost_type")
        v = r.get_text(8);
      else if (c == "amount")
        v = decimal(r.get_int(9));
      else if (c == "allocation_method")
        v = r.get_text(10);
      else if (c == "allocation_detail")
        v = r.get_text(11);
      else if (c == "metadata") {
        json m = json::object();
        if (!r.get_text(12).empty()) m["env_id"] = r.get_text(12);
        v = m.dump();
      } else if (c == "tags") {
        for (const auto& [k, tv] : tags.for_row(r.get_text(4), r.get_text(7))) {
          if (!v.empty()) v += ';';
          v += k + "=" + tv;
        }
      }
      append_csv_field(csv, v);
    }
    csv += "\r\n";
  }
  if (more)
    out.next_cursor = rows.back().get_text(0) + "|" + std::to_string(rows.back().get_int(1));
  return out;
}

}  // namespace chitragupt::report
