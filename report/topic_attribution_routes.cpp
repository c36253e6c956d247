// GET topic-attributions, topic-attributions/aggregate, topic-attributions/dates and
// POST topic-attributions/export (reference "topic attribution" §9).
//
// Unlike the original, every answer has a defined order (facts by timestamp, then dimension id;
// buckets by time, then their dimension values byte-wise), substring filters match the value
// literally (its % and _ are escaped) and case-insensitively on both engines, and amounts are
// exact 4-decimal strings.

#include <algorithm>
#include <charconv>
#include <map>

#include "common/csv.hpp"
#include "report/entity_tags.hpp"
#include "report/handlers.hpp"
#include "report/request_params.hpp"

namespace chitragupt::report {
namespace {

using nlohmann::json;

constexpr const char* kJoin =
    " FROM topic_attribution_facts f JOIN topic_attribution_dimensions d ON d.dimension_id = "
    "f.dimension_id";

// A fact's columns after its timestamp and dimension (the list and the export read the same).
constexpr const char* kFactColumns =
    "d.env_id, d.cluster_resource_id, d.topic_name, d.product_category, d.product_type, "
    "d.attribution_method, f.amount";

// "%value%" with the value's own wildcards escaped (ESCAPE '\').
std::string like_pattern(const std::string& value) {
  std::string out = "%";
  for (char c : value) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  out += '%';
  return out;
}

struct TopicFilter {
  DateRange range;
  std::optional<std::string> cluster, topic, product_type, attribution_method, tag_key, tag_value;
};

TopicFilter read_filter(const Query& q, bool with_method) {
  TopicFilter f;
  f.range = read_date_range(q);
  f.cluster = q.get("cluster_resource_id");
  f.topic = q.get("topic_name");
  f.product_type = q.get("product_type");
  if (with_method) f.attribution_method = q.get("attribution_method");
  return f;
}

Where topic_where(const Call& call, const TopicFilter& f) {
  Where w;
  w.add("d.ecosystem = ?", call.tenant.ecosystem);
  w.add("d.tenant_id = ?", call.tenant.tenant_id);
  w.add("f.timestamp >= ?", f.range.start_utc);
  w.add("f.timestamp < ?", f.range.end_utc);
  if (f.cluster)
    w.add("LOWER(d.cluster_resource_id) LIKE LOWER(?) ESCAPE '\\'", like_pattern(*f.cluster));
  if (f.topic) w.add("LOWER(d.topic_name) LIKE LOWER(?) ESCAPE '\\'", like_pattern(*f.topic));
  if (f.product_type) w.add("d.product_type = ?", *f.product_type);
  if (f.attribution_method) w.add("d.attribution_method = ?", *f.attribution_method);
  if (f.tag_key) {
    add_entity_tag_condition(w, call.tenant.tenant_id, "resource", "d.resource_id", *f.tag_key,
                             f.tag_value);
  }
  return w;
}

// ISO with "+00:00", as the original's export and CSV emitter write it.
std::string iso_offset(const std::string& stored) {
  std::string iso = iso_utc(stored);
  if (!iso.empty() && iso.back() == 'Z') iso = iso.substr(0, iso.size() - 1) + "+00:00";
  return iso;
}

const GroupColumns& group_columns() {
  static const GroupColumns columns = {{"cluster_resource_id", "d.cluster_resource_id"},
                                       {"topic_name", "d.topic_name"},
                                       {"product_type", "d.product_type"},
                                       {"product_category", "d.product_category"},
                                       {"attribution_method", "d.attribution_method"},
                                       {"env_id", "d.env_id"}};
  return columns;
}

}  // namespace

Response topic_attributions_route(Call& call) {
  Query q(call.request);
  TopicFilter f = read_filter(q, true);
  f.tag_key = q.get("tag_key");
  if (f.tag_key) f.tag_value = q.get("tag_value");
  Page page = read_page(q);
  Where w = topic_where(call, f);
  std::int64_t total = count_rows(call.db, std::string("SELECT COUNT(*)") + kJoin + w.sql, w.params,
                                  "topic attribution count");
  storage::Params params = with_page(w.params, page);
  auto rows = checked(
      call.db.query(std::string("SELECT d.dimension_id, d.ecosystem, d.tenant_id, f.timestamp, ") +
                        kFactColumns + kJoin + w.sql +
                        " ORDER BY f.timestamp, f.dimension_id LIMIT ? OFFSET ?",
                    params),
      "topic attributions");
  json items = json::array();
  for (const auto& r : rows) {
    items.push_back({{"dimension_id", r.get_int(0)},
                     {"ecosystem", r.get_text(1)},
                     {"tenant_id", r.get_text(2)},
                     {"timestamp", iso_utc(r.get_text(3))},
                     {"env_id", r.get_text(4)},
                     {"cluster_resource_id", r.get_text(5)},
                     {"topic_name", r.get_text(6)},
                     {"product_category", r.get_text(7)},
                     {"product_type", r.get_text(8)},
                     {"attribution_method", r.get_text(9)},
                     {"amount", decimal(r.get_int(10))}});
  }
  return json_response(page_envelope(std::move(items), total, page));
}

Response topic_aggregate_route(Call& call) {
  Query q(call.request);
  TopicFilter f = read_filter(q, false);
  const std::vector<GroupBy> groups = read_group_by(q, group_columns(), "topic_name");
  const Bucket bucket = read_time_bucket(q);
  // Unlike the chargeback aggregate, a row without the key never matches.
  const std::vector<TagValues> tag_filters = read_tag_filters(q);
  const bool need_tags =
      !tag_filters.empty() ||
      std::any_of(groups.begin(), groups.end(), [](const GroupBy& g) { return !g.tag.empty(); });
  TagIndex tags;
  if (need_tags) tags = TagIndex::load(call.db, call.tenant.tenant_id);

  Where w = topic_where(call, f);
  std::string columns = "f.timestamp, f.amount, d.resource_id";
  for (const auto& g : groups) {
    if (!g.column.empty()) columns += ", " + g.column;
  }
  auto rows = checked(
      call.db.query("SELECT " + columns + kJoin + w.sql + " ORDER BY f.timestamp, f.dimension_id",
                    w.params),
      "topic attribution aggregate");
  struct Acc {
    std::int64_t total = 0, rows = 0;
  };
  std::vector<std::string> labels;  // in time order
  std::map<std::pair<std::size_t, std::vector<std::string>>, Acc> buckets;
  std::int64_t total = 0, total_rows = 0;
  std::vector<std::string> dims;
  static const std::string kNoIdentity;
  for (const auto& r : rows) {
    const std::string resource_id = r.get_text(2);
    bool keep = true;
    for (const auto& [key, values] : tag_filters) {
      const std::string* v = tags.value(resource_id, kNoIdentity, key);
      if (!v || std::find(values.begin(), values.end(), *v) == values.end()) {
        keep = false;
        break;
      }
    }
    if (!keep) continue;
    row_group_values(groups, r, 3, tags, resource_id, kNoIdentity, dims);
    std::string label = bucket_label(f.range.zone, *parse_stored(r.get_text(0)), bucket);
    if (labels.empty() || labels.back() != label) labels.push_back(std::move(label));
    Acc& acc = buckets[{labels.size() - 1, dims}];
    acc.total += r.get_int(1);
    acc.rows++;
    total += r.get_int(1);
    total_rows++;
  }
  json out = json::array();
  for (const auto& [key, acc] : buckets) {
    json d = json::object();
    for (std::size_t i = 0; i < groups.size(); ++i) d[groups[i].name] = key.second[i];
    out.push_back({{"dimensions", std::move(d)},
                   {"time_bucket", labels[key.first]},
                   {"total_amount", decimal(acc.total)},
                   {"row_count", acc.rows}});
  }
  return json_response(
      {{"buckets", std::move(out)}, {"total_amount", decimal(total)}, {"total_rows", total_rows}});
}

Response topic_dates_route(Call& call) {
  auto rows =
      checked(call.db.query(std::string("SELECT DISTINCT substr(f.timestamp, 1, 10)") + kJoin +
                                " WHERE d.ecosystem = ? AND d.tenant_id = ? ORDER BY 1",
                            {call.tenant.ecosystem, call.tenant.tenant_id}),
              "topic attribution dates");
  json dates = json::array();
  for (const auto& r : rows) dates.push_back(r.get_text(0));
  return json_response({{"dates", std::move(dates)}});
}

Response topic_export_route(Call& call) {
  json body = call.request.body.empty() ? json::object() : read_body_object(call.request);
  Query q(call.request);
  auto opt = [&](const char* name) -> std::optional<std::string> {
    auto it = body.find(name);
    if (it == body.end() || it->is_null()) return q.get(name);
    if (!it->is_string()) bad_parameter(name, "must be a string");
    return it->get<std::string>();
  };
  TopicFilter f;
  f.range = read_date_range(opt("start_date"), opt("end_date"), opt("timezone"));
  Where w = topic_where(call, f);
  const bool first = call.request.cursor.empty();
  if (!first) {
    // "<timestamp>|<dimension_id>" of the last row sent.
    const std::string& c = call.request.cursor;
    auto bar = c.find('|');
    std::int64_t id = 0;
    const char* begin = c.data() + (bar == std::string::npos ? c.size() : bar + 1);
    auto [ptr, ec] = std::from_chars(begin, c.data() + c.size(), id);
    if (bar != 19 || !parse_stored(c.substr(0, bar)) || ec != std::errc() ||
        ptr != c.data() + c.size())
      bad_parameter("cursor", "not a cursor this export handed out");
    w.add("(f.timestamp > ? OR (f.timestamp = ? AND f.dimension_id > ?))",
          storage::Params{c.substr(0, bar), c.substr(0, bar), id});
  }
  const std::int64_t chunk = std::max(1, call.tenant.export_chunk_rows);
  storage::Params params = w.params;
  params.push_back(chunk + 1);
  auto rows = checked(
      call.db.query(std::string("SELECT f.timestamp, f.dimension_id, d.ecosystem, d.tenant_id, ") +
                        kFactColumns + kJoin + w.sql +
                        " ORDER BY f.timestamp, f.dimension_id LIMIT ?",
                    params),
      "topic attribution export");
  const bool more = static_cast<std::int64_t>(rows.size()) > chunk;
  if (more) rows.resize(static_cast<std::size_t>(chunk));
  Response out;
  out.content_type = "text/csv";
  std::string& csv = out.body;
  if (first)
    csv +=
        "ecosystem,tenant_id,timestamp,env_id,cluster_resource_id,topic_name,product_category,"
        "product_type,attribution_method,amount\n";
  for (const auto& r : rows) {
    const std::string fields[] = {r.get_text(2),         r.get_text(3), iso_offset(r.get_text(0)),
                                  r.get_text(4),         r.get_text(5), r.get_text(6),
                                  r.get_text(7),         r.get_text(8), r.get_text(9),
                                  decimal(r.get_int(10))};
    for (std::size_t i = 0; i < 10; ++i) {
      if (i) csv += ',';
      append_csv_field(csv, fields[i]);
    }
    csv += '\n';
  }
  if (more)
    out.next_cursor = rows.back().get_text(0) + "|" + std::to_string(rows.back().get_int(1));
  return out;
}

}  // namespace chitragupt::report
