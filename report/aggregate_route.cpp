// GET chargebacks/aggregate.
//
// Both engines must give the same answer, and their date functions differ (and SQLite knows no
// time zones), so the buckets are worked out here: the range is cut, in the caller's zone, into
// pieces that each lie in one bucket, and the database only sums each piece's facts per
// dimension (BIGINT sums are exact everywhere). Dimensions (and their tags) are read once and
// mapped to their group here.

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "report/chargeback_filter.hpp"
#include "report/entity_tags.hpp"
#include "report/handlers.hpp"

namespace chitragupt::report {
namespace {

using nlohmann::json;

// group_by name -> dimension column.
const GroupColumns& group_columns() {
  static const GroupColumns columns = {
      {"identity_id", "d.identity_id"},   {"resource_id", "d.resource_id"},
      {"product_type", "d.product_type"}, {"product_category", "d.product_category"},
      {"cost_type", "d.cost_type"},       {"allocation_method", "d.allocation_method"},
      {"environment_id", "d.env_id"}};
  return columns;
}

// Days since the epoch of the UTC day holding `utc_seconds` (negative instants included).
std::int64_t floor_day(std::int64_t utc_seconds) {
  return utc_seconds >= 0 ? utc_seconds / 86400 : -((-utc_seconds + 86399) / 86400);
}

}  // namespace

Response aggregate_route(Call& call) {
  Query query(call.request);
  ChargebackFilter filter = read_chargeback_filter(query);

  const std::vector<GroupBy> groups = read_group_by(query, group_columns(), "identity_id");
  const Bucket bucket = read_time_bucket(query);

  // Each bucket (and UTC day) is one small query: keep a request from asking for millions.
  const std::int64_t days = filter.range.end_day - filter.range.start_day + 1;
  if (days > (bucket == Bucket::hour ? 1100 : 11000)) {
    bad_parameter("start_date", bucket == Bucket::hour ? "hourly buckets cover at most 1100 days"
                                                       : "the range covers at most 11000 days");
  }

  // "UNTAGGED" among a key's values matches rows without that key.
  const std::vector<TagValues> tag_filters = read_tag_filters(query);
  bool need_tags =
      !tag_filters.empty() ||
      std::any_of(groups.begin(), groups.end(), [](const GroupBy& g) { return !g.tag.empty(); });

  // The dimensions that pass every filter, each mapped once to its group and cost type.
  Where w = dimension_where(call, filter);
  std::string columns = "d.dimension_id, d.cost_type, d.resource_id, d.identity_id";
  for (const auto& g : groups) {
    if (!g.column.empty()) columns += ", " + g.column;
  }
  auto dimension_rows = checked(
      call.db.query("SELECT " + columns + " FROM chargeback_dimensions d" + w.sql, w.params),
      "chargeback dimensions");
  TagIndex tags;
  if (need_tags) tags = TagIndex::load(call.db, call.tenant.tenant_id);
  struct Dim {
    std::size_t group;
    int cost;  // 1 usage, 2 shared, 0 other
  };
  std::unordered_map<std::int64_t, Dim> dimensions;
  std::vector<std::vector<std::string>> group_values;
  std::map<std::vector<std::string>, std::size_t> group_index;
  std::vector<std::string> dims;
  for (const auto& r : dimension_rows) {
    const std::string resource_id = r.get_text(2), identity_id = r.get_text(3);
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
    row_group_values(groups, r, 4, tags, resource_id, identity_id, dims);
    auto [it, fresh] = group_index.try_emplace(dims, group_values.size());
    if (fresh) group_values.push_back(dims);
    const std::string cost_type = r.get_text(1);
    dimensions[r.get_int(0)] = {it->second, cost_type == "usage"    ? 1
                                            : cost_type == "shared" ? 2
                                                                    : 0};
  }
  // Groups in byte-wise order of their values.
  std::vector<std::size_t> group_rank(group_values.size());
  {
    std::size_t rank = 0;
    for (const auto& [values, index] : group_index) group_rank[index] = rank++;
  }

  // The range cut into pieces that each lie in one bucket and one UTC day; each piece is one
  // small GROUP BY dimension_id on the facts' primary key (no join, no big sort), and the
  // pieces arrive in time order.
  struct Acc {
    std::int64_t total = 0, usage = 0, shared = 0, rows = 0;
  };
  std::vector<std::string> labels;
  std::map<std::pair<std::size_t, std::size_t>, Acc> buckets;  // (label, group rank)
  std::int64_t total = 0, usage = 0, shared = 0, total_rows = 0;
  if (!dimensions.empty()) {
    auto statement = checked(
        call.db.prepare("SELECT f.dimension_id, SUM(f.amount), COUNT(*) FROM chargeback_facts f "
                        "WHERE f.timestamp >= ? AND f.timestamp < ? GROUP BY f.dimension_id"),
        "chargeback aggregate");
    // Whole UTC days the tenant keeps a daily rollup of (storage/rollup_store.hpp) are read
    // from it: the same sums and counts per dimension, one row per dimension instead of one
    // per fact. Pieces of a day (hourly buckets, zones with another midnight) read the facts.
    auto rollup_statement =
        checked(call.db.prepare("SELECT dimension_id, amount, row_count FROM chargeback_daily "
                                "WHERE day = ?"),
                "chargeback rollup");
    const std::int64_t end = *parse_stored(filter.range.end_utc);
    std::int64_t at = *parse_stored(filter.range.start_utc);
    std::unordered_set<std::int64_t> rolled_up;  // days since the epoch
    for (const auto& r :
         checked(call.db.query("SELECT day FROM chargeback_rollup_days WHERE ecosystem = ? AND "
                               "tenant_id = ? AND day >= ? AND day <= ?",
                               {call.tenant.ecosystem, call.tenant.tenant_id,
                                format_day(floor_day(at)), format_day(floor_day(end))}),
                 "chargeback rollup days")) {
      if (auto day = parse_day(r.get_text(0))) rolled_up.insert(*day);
    }
    Zone zone = filter.range.zone;
    std::int64_t bucket_end = at;
    while (at < end) {
      if (at >= bucket_end) {
        bucket_end = next_bucket_start(zone, at, bucket);
        std::string label = bucket_label(zone, at, bucket);
        if (labels.empty() || labels.back() != label) labels.push_back(std::move(label));
      }
      const std::int64_t piece_end = std::min({bucket_end, end, (at / 86400 + 1) * 86400});
      const bool whole_rolled_day =
          at % 86400 == 0 && piece_end == at + 86400 && rolled_up.count(at / 86400) > 0;
      auto rows =
          whole_rolled_day
              ? checked(rollup_statement->query({format_day(at / 86400)}), "chargeback rollup")
              : checked(statement->query({stored_utc(at), stored_utc(piece_end)}),
                        "chargeback aggregate");
      for (const auto& r : rows) {
        auto d = dimensions.find(r.get_int(0));
        if (d == dimensions.end()) continue;  // another tenant's, or filtered out
        const std::int64_t amount = r.get_int(1), count = r.get_int(2);
        Acc& acc = buckets[{labels.size() - 1, group_rank[d->second.group]}];
        acc.total += amount;
        acc.rows += count;
        total += amount;
        total_rows += count;
        if (d->second.cost == 1) {
          acc.usage += amount;
          usage += amount;
        } else if (d->second.cost == 2) {
          acc.shared += amount;
          shared += amount;
        }
      }
      at = piece_end;
    }
  }
  std::vector<const std::vector<std::string>*> by_rank(group_values.size());
  for (std::size_t i = 0; i < group_values.size(); ++i) by_rank[group_rank[i]] = &group_values[i];

  json out_buckets = json::array();
  for (const auto& [key, a] : buckets) {
    const auto& values = *by_rank[key.second];
    json d = json::object();
    for (std::size_t i = 0; i < groups.size(); ++i) d[groups[i].name] = values[i];
    out_buckets.push_back({{"dimensions", std::move(d)},
                           {"time_bucket", labels[key.first]},
                           {"total_amount", decimal(a.total)},
                           {"usage_amount", decimal(a.usage)},
                           {"shared_amount", decimal(a.shared)},
                           {"row_count", a.rows}});
  }
  return json_response({{"buckets", std::move(out_buckets)},
                        {"total_amount", decimal(total)},
                        {"usage_amount", decimal(usage)},
                        {"shared_amount", decimal(shared)},
                        {"total_rows", total_rows}});
}

}  // namespace chitragupt::report
