#include "storage/chargeback_store.hpp"

#include <algorithm>
#include <ctime>
#include <functional>
#include <map>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace chitragupt::storage {

std::pair<std::string, std::string> day_bounds(const std::string& date) {
  std::tm tm{};
  tm.tm_year = std::stoi(date.substr(0, 4)) - 1900;
  tm.tm_mon = std::stoi(date.substr(5, 2)) - 1;
  tm.tm_mday = std::stoi(date.substr(8, 2)) + 1;
  std::time_t next = timegm(&tm);  // normalises the day after, month and year ends included
  std::tm n{};
  gmtime_r(&next, &n);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d 00:00:00", &n);
  return {date + " 00:00:00", buf};
}

void ChargebackStore::encode_dimension(const ChargebackFactRecord& r, std::string& key) {
  key.clear();
  for (const std::string* field :
       {&r.resource_id, &r.product_category, &r.product_type, &r.identity_id, &r.cost_type,
        &r.allocation_method, &r.allocation_detail, &r.env_id}) {
    const auto size = static_cast<std::uint32_t>(field->size());
    key.append(reinterpret_cast<const char*>(&size), sizeof size);
    key.append(*field);
  }
}

namespace {

constexpr char kDimensionColumns[] =
    "SELECT dimension_id, resource_id, product_category, product_type, identity_id, cost_type, "
    "allocation_method, allocation_detail, env_id FROM chargeback_dimensions WHERE ecosystem = ? "
    "AND tenant_id = ?";

}  // namespace

void ChargebackStore::cache_dimensions(const std::vector<Row>& rows, bool created_here) {
  std::unique_lock<std::shared_mutex> lock(cache_mutex_);
  ChargebackFactRecord r;
  dimensions_.reserve(dimensions_.size() + rows.size());
  for (const Row& row : rows) {
    r.resource_id = row.get_text(1);
    r.product_category = row.get_text(2);
    r.product_type = row.get_text(3);
    r.identity_id = row.get_text(4);
    r.cost_type = row.get_text(5);
    r.allocation_method = row.get_text(6);
    r.allocation_detail = row.get_text(7);
    r.env_id = row.get_text(8);
    encode_dimension(r);
    const std::int64_t id = row.get_int(0);
    if (dimensions_.emplace(key_, id).second && created_here) {
      if (created_.empty()) max_id_before_created_ = max_id_;
      created_.push_back(key_);
    }
    max_id_ = std::max(max_id_, id);
  }
}

Status ChargebackStore::load_dimensions() {
  if (loaded_) return Status::ok();
  auto rows = db_.query(kDimensionColumns, {ecosystem_, tenant_id_});
  if (!rows) return rows.status();
  cache_dimensions(*rows, false);
  loaded_ = true;
  return Status::ok();
}

Result<std::vector<std::int64_t>> ChargebackStore::dimension_ids(
    const std::vector<ChargebackFactRecord>& rows) {
  if (!loaded_) {
    if (auto s = load_dimensions(); !s) return s;
  }
  // Each row's id from the cache; the dimensions it lacks collected once each, in order of
  // first appearance (ids are handed out in that order). 0: not known yet.
  std::vector<std::int64_t> ids(rows.size(), 0);
  std::vector<const ChargebackFactRecord*> fresh;
  std::unordered_set<std::string> fresh_keys;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    encode_dimension(rows[i]);
    if (auto it = dimensions_.find(key_); it != dimensions_.end()) {
      ids[i] = it->second;
    } else if (fresh_keys.insert(key_).second) {
      fresh.push_back(&rows[i]);
    }
  }
  if (!fresh.empty()) {
    if (auto s = create_dimensions(fresh); !s) return s;
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (ids[i] != 0) continue;
    encode_dimension(rows[i]);
    if (auto it = dimensions_.find(key_); it != dimensions_.end()) {
      ids[i] = it->second;
      continue;
    }
    // Our inserts get ids above the highest known and were read back: this one is another
    // writer's, made since the cache was loaded with a lower id.
    auto id = find_dimension(rows[i]);
    if (!id) return id.status();
    ids[i] = *id;
  }
  return ids;
}

Status ChargebackStore::create_dimensions(const std::vector<const ChargebackFactRecord*>& fresh) {
  // Plain inserts, then one read of every dimension above the highest id known: on SQLite,
  // INSERT ... RETURNING one row at a time cost more than twice as much. Another writer's
  // dimension (a conflict) is read back too, or, if its id is lower, found by its columns.
  if (!insert_dimension_) {
    auto stmt = db_.prepare(
        "INSERT INTO chargeback_dimensions (ecosystem, tenant_id, resource_id, product_category, "
        "product_type, identity_id, cost_type, allocation_method, allocation_detail, env_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING");
    if (!stmt) return stmt.status();
    insert_dimension_ = std::move(*stmt);
  }
  for (const ChargebackFactRecord* r : fresh) {
    if (auto s = insert_dimension_->execute(dimension_params(*r)); !s) return s;
  }
  auto made = db_.query(std::string(kDimensionColumns) + " AND dimension_id > ?",
                        {ecosystem_, tenant_id_, max_id_});
  if (!made) return made.status();
  cache_dimensions(*made, true);
  return Status::ok();
}

Params ChargebackStore::dimension_params(const ChargebackFactRecord& r) const {
  return {ecosystem_,    tenant_id_,  r.resource_id,       r.product_category,  r.product_type,
          r.identity_id, r.cost_type, r.allocation_method, r.allocation_detail, r.env_id};
}

Result<std::int64_t> ChargebackStore::find_dimension(const ChargebackFactRecord& r) {
  if (!find_dimension_) {
    auto stmt = db_.prepare(
        "SELECT dimension_id FROM chargeback_dimensions WHERE ecosystem = ? AND tenant_id = ? "
        "AND resource_id = ? AND product_category = ? AND product_type = ? AND identity_id = ? "
        "AND cost_type = ? AND allocation_method = ? AND allocation_detail = ? AND env_id = ?");
    if (!stmt) return stmt.status();
    find_dimension_ = std::move(*stmt);
  }
  auto found = find_dimension_->query(dimension_params(r));
  if (!found) return found.status();
  if (found->empty()) return Status::error("creating a chargeback dimension returned no id");
  const std::int64_t id = found->front().get_int(0);
  encode_dimension(r);
  std::unique_lock<std::shared_mutex> lock(cache_mutex_);
  dimensions_.emplace(key_, id);
  return id;
}

void ChargebackStore::transaction_rolled_back() {
  std::unique_lock<std::shared_mutex> lock(cache_mutex_);
  ++generation_;
  for (const auto& key : created_) dimensions_.erase(key);
  if (!created_.empty()) max_id_ = max_id_before_created_;
  created_.clear();
}

namespace {

// Sorted in key order, as a bulk load would insert: each insert lands next to the previous one
// in the primary key and walks the dimension_id index forward instead of jumping around it.
// Sorted, the rows of one key are adjacent and fold into the first of them.
void sort_and_fold(std::vector<PreparedFacts::Fact>& facts) {
  using Fact = PreparedFacts::Fact;
  std::sort(facts.begin(), facts.end(), [](const Fact& a, const Fact& b) {
    return a.stamp != b.stamp ? a.stamp < b.stamp : a.dimension_id < b.dimension_id;
  });
  std::size_t kept = 0;
  for (std::size_t i = 0; i < facts.size(); ++i) {
    if (kept > 0 && facts[kept - 1].stamp == facts[i].stamp &&
        facts[kept - 1].dimension_id == facts[i].dimension_id) {
      facts[kept - 1].amount += facts[i].amount;
    } else {
      facts[kept++] = facts[i];
    }
  }
  facts.resize(kept);
}

}  // namespace

PreparedFacts ChargebackStore::prepare(const std::vector<ChargebackFactRecord>& rows) const {
  PreparedFacts out;
  // Timestamps are numbered by their rank among the distinct ones (a daily date has one, an
  // hourly one 24, and rows come grouped by them), so the facts sort on two integers.
  std::map<std::string_view, std::uint32_t> stamps;
  std::vector<std::uint32_t> stamp_of(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i > 0 && rows[i].timestamp == rows[i - 1].timestamp) {
      stamp_of[i] = stamp_of[i - 1];
      continue;
    }
    auto it =
        stamps.try_emplace(rows[i].timestamp, static_cast<std::uint32_t>(stamps.size())).first;
    stamp_of[i] = it->second;
  }
  std::vector<std::uint32_t> rank(stamps.size());
  out.stamps.reserve(stamps.size());
  for (const auto& [text, number] : stamps) {  // the map is in text order
    rank[number] = static_cast<std::uint32_t>(out.stamps.size());
    out.stamps.emplace_back(text);
  }
  // Each row's dimension from the cache; the ones it lacks kept once each, in order of first
  // appearance (replace_date creates them in that order).
  std::string key;
  std::unordered_map<std::string, std::uint32_t> fresh_keys;
  out.facts.reserve(rows.size());
  {
    std::shared_lock<std::shared_mutex> lock(cache_mutex_);
    out.generation = generation_;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      encode_dimension(rows[i], key);
      PreparedFacts::Fact f{rank[stamp_of[i]], 0, 0, rows[i].amount_units};
      if (auto it = dimensions_.find(key); it != dimensions_.end()) {
        f.dimension_id = it->second;
      } else {
        auto [fresh, added] =
            fresh_keys.try_emplace(key, static_cast<std::uint32_t>(out.fresh.size()));
        if (added) out.fresh.push_back(rows[i]);
        f.fresh = fresh->second;
      }
      out.facts.push_back(f);
    }
  }
  if (out.fresh.empty()) sort_and_fold(out.facts);
  return out;
}

Result<std::int64_t> ChargebackStore::replace_date(const std::string& date,
                                                   const std::vector<ChargebackFactRecord>& rows) {
  return replace_date_prepared(date, prepare(rows));
}

Result<std::int64_t> ChargebackStore::replace_date_prepared(const std::string& date,
                                                            PreparedFacts&& prepared) {
  if (prepared.generation != generation_) {
    return Status::error("chargebacks of " + date +
                         " were prepared before a rollback and may name dimensions that are gone");
  }
  auto [start, end] = day_bounds(date);
  // EXISTS, not "dimension_id IN (SELECT ... of the tenant)": with IN, SQLite probed the facts
  // index once per dimension of the tenant (tens of thousands, every date); this way it scans
  // the date's facts by primary key and looks each one's dimension up.
  if (auto s = db_.execute(
          "DELETE FROM chargeback_facts WHERE timestamp >= ? AND timestamp < ? AND EXISTS "
          "(SELECT 1 FROM chargeback_dimensions d WHERE d.dimension_id = "
          "chargeback_facts.dimension_id AND d.ecosystem = ? AND d.tenant_id = ?)",
          {start, end, ecosystem_, tenant_id_});
      !s) {
    return s;
  }
  std::vector<PreparedFacts::Fact>& facts = prepared.facts;
  if (!prepared.fresh.empty()) {
    auto ids = dimension_ids(prepared.fresh);
    if (!ids) return ids.status();
    for (auto& f : facts) {
      if (f.dimension_id == 0) f.dimension_id = (*ids)[f.fresh];
    }
    // Rows sharing (timestamp, dimension) are summed: the original overwrote them and lost money.
    sort_and_fold(facts);
  }
  const std::vector<std::string>& stamp_text = prepared.stamps;
  // kFactsPerInsert rows per INSERT while that many are left, then one at a time: a
  // statement's own cost (binding, opening and closing cursors on the table and its indexes,
  // resetting) is paid once per chunk instead of once per row.
  for (std::size_t rows : {std::size_t{1}, kFactsPerInsert}) {
    auto& stmt = rows == 1 ? insert_fact_ : insert_facts_;
    if (stmt) continue;
    std::string sql =
        "INSERT INTO chargeback_facts (timestamp, dimension_id, amount, tags_json) VALUES ";
    for (std::size_t i = 0; i < rows; ++i) sql += i == 0 ? "(?, ?, ?, '[]')" : ", (?, ?, ?, '[]')";
    auto prepared_stmt = db_.prepare(sql);
    if (!prepared_stmt) return prepared_stmt.status();
    stmt = std::move(*prepared_stmt);
  }
  // The parameter vectors are reused; a timestamp slot is rewritten only when its stamp changes.
  chunk_params_.resize(3 * kFactsPerInsert);
  chunk_stamps_.assign(kFactsPerInsert, UINT32_MAX);
  fact_params_.resize(3);
  std::uint32_t bound_stamp = UINT32_MAX;
  std::size_t i = 0;
  for (; i + kFactsPerInsert <= facts.size(); i += kFactsPerInsert) {
    for (std::size_t j = 0; j < kFactsPerInsert; ++j) {
      const auto& f = facts[i + j];
      if (chunk_stamps_[j] != f.stamp) {
        chunk_params_[3 * j] = stamp_text[f.stamp];
        chunk_stamps_[j] = f.stamp;
      }
      chunk_params_[3 * j + 1] = f.dimension_id;
      chunk_params_[3 * j + 2] = f.amount;
    }
    if (auto s = insert_facts_->execute(chunk_params_); !s) return s;
  }
  for (; i < facts.size(); ++i) {
    const auto& f = facts[i];
    if (f.stamp != bound_stamp) {
      fact_params_[0] = stamp_text[f.stamp];
      bound_stamp = f.stamp;
    }
    fact_params_[1] = f.dimension_id;
    fact_params_[2] = f.amount;
    if (auto s = insert_fact_->execute(fact_params_); !s) return s;
  }
  // The date's rollup: the facts of each dimension summed. Facts outside the date (none come
  // from the calculate stage) leave their own day without a rollup, so it is read from facts.
  sums_.clear();
  std::int64_t in_day = 0;
  for (const std::string& ts : stamp_text) {
    if (ts < start || ts >= end) {
      if (auto st = rollup_.clear_day(ts.substr(0, 10)); !st) return st;
    }
  }
  if (stamp_text.size() > 1) {  // one timestamp: a fact per dimension, nothing to roll up
    for (const auto& f : facts) {
      const std::string& ts = stamp_text[f.stamp];
      if (ts < start || ts >= end) continue;
      sums_.push_back({f.dimension_id, f.amount, 1});
      ++in_day;
    }
    std::sort(sums_.begin(), sums_.end(), [](const RollupSum& a, const RollupSum& b) {
      return a.dimension_id < b.dimension_id;
    });
    std::size_t n = 0;
    for (std::size_t i = 0; i < sums_.size(); ++i) {
      if (n > 0 && sums_[n - 1].dimension_id == sums_[i].dimension_id) {
        sums_[n - 1].amount += sums_[i].amount;
        sums_[n - 1].row_count += 1;
      } else {
        sums_[n++] = sums_[i];
      }
    }
    sums_.resize(n);
  }
  if (auto s = rollup_.replace_day(date, sums_, in_day); !s) return s;
  return static_cast<std::int64_t>(facts.size());
}

Result<std::int64_t> ChargebackStore::total_units_for_date(const std::string& date) {
  auto [start, end] = day_bounds(date);
  auto rows = db_.query(
      "SELECT COALESCE(SUM(f.amount), 0) FROM chargeback_facts f JOIN chargeback_dimensions d "
      "ON d.dimension_id = f.dimension_id WHERE d.ecosystem = ? AND d.tenant_id = ? AND "
      "f.timestamp >= ? AND f.timestamp < ?",
      {ecosystem_, tenant_id_, start, end});
  if (!rows) return rows.status();
  return rows->empty() ? 0 : rows->front().get_int(0);
}

}  // namespace chitragupt::storage
