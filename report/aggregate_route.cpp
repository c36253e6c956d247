// GET chargebacks/aggregate.
//
// Both engines must give the same answer, and their date functions differ (and SQLite knows no
// time zones), so the database only groups by the raw fact timestamp and the requested
// dimension columns (summing BIGINT units is exact everywhere); the buckets in the caller's
// zone and the tag values are worked out here and merged.

#include <algorithm>
#include <map>
#include <unordered_map>

#include "report/chargeback_filter.hpp"
#include "report/entity_tags.hpp"
#include "report/handlers.hpp"

namespace chitragupt::report {
namespace {

using nlohmann::json;

// group_by name -> dimension column.
const std::vector<std::pair<std::string, std::string>>& group_columns() {
  static const std::vector<std::pair<std::string, std::string>> columns = {
      {"identity_id", "d.identity_id"},         {"resource_id", "d.resource_id"},
      {"product_type", "d.product_type"},       {"product_category", "d.product_category"},
      {"cost_type", "d.cost_type"},             {"allocation_method", "d.allocation_method"},
      {"environment_id", "d.env_id"}};
  return columns;
}

struct Group {
  std::string name;    // as requested: "identity_id", "tag:team"
  std::string column;  // SQL column, or "" for a tag
  std::string tag;     // tag key for tag groups
};

struct TagFilter {
  std::string key;
  std::vector<std::string> values;  // OR within a key; "UNTAGGED" matches rows without it
};

struct Acc {
  std::string label;
  std::vector<std::string> dims;
  std::int64_t first_instant = 0;
  std::int64_t total = 0, usage = 0, shared = 0, rows = 0;
};

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    auto comma = text.find(',', start);
    out.push_back(text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace

Response aggregate_route(Call& call) {
  Query query(call.request);
  ChargebackFilter filter = read_chargeback_filter(query);

  std::vector<Group> groups;
  auto requested = query.all("group_by");
  if (requested.empty()) requested.push_back("identity_id");
  for (const auto& name : requested) {
    if (std::any_of(groups.begin(), groups.end(), [&](const Group& g) { return g.name == name; })) {
      continue;
    }
    if (name.rfind("tag:", 0) == 0) {
      std::string key = name.substr(4);
      if (!valid_tag_key(key)) {
        bad_parameter("group_by", "bad tag key " + json_quoted(key) +
                                      " (expected ^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$)");
      }
      groups.push_back({name, "", key});
      continue;
    }
    auto it = std::find_if(group_columns().begin(), group_columns().end(),
                           [&](const auto& c) { return c.first == name; });
    if (it == group_columns().end()) {
      bad_parameter("group_by", "unknown dimension " + json_quoted(name) +
                                    " (one of identity_id, resource_id, product_type, "
                                    "product_category, cost_type, allocation_method, "
                                    "environment_id, tag:<key>)");
    }
    groups.push_back({name, it->second, ""});
  }

  Bucket bucket = Bucket::day;
  if (auto tb = query.get("time_bucket")) {
    if (*tb == "hour") bucket = Bucket::hour;
    else if (*tb == "day") bucket = Bucket::day;
    else if (*tb == "week") bucket = Bucket::week;
    else if (*tb == "month") bucket = Bucket::month;
    else bad_parameter("time_bucket", "expected hour, day, week or month, got " + json_quoted(*tb));
  }

  std::vector<TagFilter> tag_filters;
  for (const auto& [name, value] : query.items()) {
    if (name.rfind("tag:", 0) != 0) continue;
    std::string key = name.substr(4);
    if (!valid_tag_key(key)) {
      bad_parameter("tag:<key>", "bad tag key " + json_quoted(key) +
                                     " (expected ^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$)");
    }
    tag_filters.push_back({key, split_commas(value)});
  }
  bool need_tags = !tag_filters.empty() ||
                   std::any_of(groups.begin(), groups.end(), [](const Group& g) { return !g.tag.empty(); });

  Where w = chargeback_where(call, filter);
  std::string columns = "f.timestamp, d.cost_type";
  for (const auto& g : groups) {
    if (!g.column.empty()) columns += ", " + g.column;
  }
  if (need_tags) columns += ", d.resource_id, d.identity_id";
  auto rows = checked(call.db.query("SELECT " + columns + ", SUM(f.amount), COUNT(*)" +
                                        std::string(kFactsJoin) + w.sql + " GROUP BY " + columns,
                                    w.params),
                      "chargeback aggregate");

  TagIndex tags;
  if (need_tags) tags = TagIndex::load(call.db, call.tenant.tenant_id);
  Zone zone = filter.range.zone;
  std::unordered_map<std::string, std::pair<std::string, std::int64_t>> labels;
  std::unordered_map<std::string, Acc> buckets;
  std::int64_t total = 0, usage = 0, shared = 0, total_rows = 0;
  std::string key;
  std::vector<std::string> dims;

  for (const auto& r : rows) {
    const std::size_t sql_dims = 2 + static_cast<std::size_t>(std::count_if(
                                         groups.begin(), groups.end(),
                                         [](const Group& g) { return !g.column.empty(); }));
    std::string resource_id, identity_id;
    if (need_tags) {
      resource_id = r.get_text(sql_dims);
      identity_id = r.get_text(sql_dims + 1);
    }
    bool keep = true;
    for (const auto& tf : tag_filters) {
      const std::string* v = tags.value(resource_id, identity_id, tf.key);
      const std::string& have = v ? *v : std::string("UNTAGGED");
      if (std::find(tf.values.begin(), tf.values.end(), have) == tf.values.end()) {
        keep = false;
        break;
      }
    }
    if (!keep) continue;

    const std::string ts = r.get_text(0);
    auto lit = labels.find(ts);
    if (lit == labels.end()) {
      auto secs = parse_stored(ts);
      std::int64_t s = secs ? *secs : 0;
      lit = labels.emplace(ts, std::make_pair(secs ? bucket_label(zone, s, bucket) : ts, s)).first;
    }
    dims.clear();
    std::size_t col = 2;
    key = lit->second.first;
    for (const auto& g : groups) {
      if (g.column.empty()) {
        const std::string* v = tags.value(resource_id, identity_id, g.tag);
        dims.push_back(v ? *v : "UNTAGGED");
      } else {
        dims.push_back(r.get_text(col++));
      }
      key += '\0';
      key += dims.back();
    }
    const std::int64_t amount = r.get_int(sql_dims + (need_tags ? 2 : 0));
    const std::int64_t count = r.get_int(sql_dims + (need_tags ? 3 : 1));
    auto [it, fresh] = buckets.try_emplace(key);
    Acc& acc = it->second;
    if (fresh) {
      acc.label = lit->second.first;
      acc.dims = dims;
      acc.first_instant = lit->second.second;
    } else {
      acc.first_instant = std::min(acc.first_instant, lit->second.second);
    }
    const std::string cost_type = r.get_text(1);
    acc.total += amount;
    acc.rows += count;
    total += amount;
    total_rows += count;
    if (cost_type == "usage") {
      acc.usage += amount;
      usage += amount;
    } else if (cost_type == "shared") {
      acc.shared += amount;
      shared += amount;
    }
  }

  std::vector<const Acc*> ordered;
  ordered.reserve(buckets.size());
  for (const auto& [k, acc] : buckets) ordered.push_back(&acc);
  // Buckets are disjoint intervals, so any instant in one orders it; labels alone would not
  // (the repeated local hour of a DST change in a zone east of UTC sorts backwards).
  std::unordered_map<std::string, std::int64_t> label_start;
  for (const Acc* a : ordered) {
    auto [it, fresh] = label_start.try_emplace(a->label, a->first_instant);
    if (!fresh) it->second = std::min(it->second, a->first_instant);
  }
  std::sort(ordered.begin(), ordered.end(), [&](const Acc* a, const Acc* b) {
    auto sa = label_start[a->label], sb = label_start[b->label];
    if (sa != sb) return sa < sb;
    if (a->label != b->label) return a->label < b->label;
    return a->dims < b->dims;
  });

  json out_buckets = json::array();
  for (const Acc* a : ordered) {
    json d = json::object();
    for (std::size_t i = 0; i < groups.size(); ++i) d[groups[i].name] = a->dims[i];
    out_buckets.push_back({{"dimensions", std::move(d)},
                           {"time_bucket", a->label},
                           {"total_amount", decimal(a->total)},
                           {"usage_amount", decimal(a->usage)},
                           {"shared_amount", decimal(a->shared)},
                           {"row_count", a->rows}});
  }
  return json_response({{"buckets", std::move(out_buckets)},
                        {"total_amount", decimal(total)},
                        {"usage_amount", decimal(usage)},
                        {"shared_amount", decimal(shared)},
                        {"total_rows", total_rows}});
}

}  // namespace chitragupt::report
