#include "storage/chargeback_store.hpp"

#include <ctime>
#include <unordered_map>

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

Result<std::int64_t> ChargebackStore::dimension_id(const ChargebackFactRecord& r) {
  DimensionKey key{r.resource_id, r.product_category,  r.product_type,      r.identity_id,
                   r.cost_type,   r.allocation_method, r.allocation_detail, r.env_id};
  if (auto it = dimensions_.find(key); it != dimensions_.end()) return it->second;
  Params params = {ecosystem_,          tenant_id_,    r.resource_id, r.product_category,
                   r.product_type,      r.identity_id, r.cost_type,   r.allocation_method,
                   r.allocation_detail, r.env_id};
  if (!find_dimension_) {
    auto stmt = db_.prepare(
        "SELECT dimension_id FROM chargeback_dimensions WHERE ecosystem = ? AND tenant_id = ? "
        "AND resource_id = ? AND product_category = ? AND product_type = ? AND identity_id = ? "
        "AND cost_type = ? AND allocation_method = ? AND allocation_detail = ? AND env_id = ?");
    if (!stmt) return stmt.status();
    find_dimension_ = std::move(*stmt);
  }
  auto found = find_dimension_->query(params);
  if (!found) return found.status();
  if (!found->empty()) {
    std::int64_t id = found->front().get_int(0);
    dimensions_.emplace(key, id);
    return id;
  }
  if (!insert_dimension_) {
    auto stmt = db_.prepare(
        "INSERT INTO chargeback_dimensions (ecosystem, tenant_id, resource_id, product_category, "
        "product_type, identity_id, cost_type, allocation_method, allocation_detail, env_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING dimension_id");
    if (!stmt) return stmt.status();
    insert_dimension_ = std::move(*stmt);
  }
  auto inserted = insert_dimension_->query(params);
  if (!inserted) return inserted.status();
  if (inserted->empty()) return Status::error("creating a chargeback dimension returned no id");
  std::int64_t id = inserted->front().get_int(0);
  dimensions_.emplace(key, id);
  created_.push_back(key);
  return id;
}

void ChargebackStore::transaction_rolled_back() {
  for (const auto& key : created_) dimensions_.erase(key);
  created_.clear();
}

Result<std::int64_t> ChargebackStore::replace_date(const std::string& date,
                                                   const std::vector<ChargebackFactRecord>& rows) {
  auto [start, end] = day_bounds(date);
  if (auto s = db_.execute(
          "DELETE FROM chargeback_facts WHERE timestamp >= ? AND timestamp < ? AND dimension_id "
          "IN (SELECT dimension_id FROM chargeback_dimensions WHERE ecosystem = ? AND "
          "tenant_id = ?)",
          {start, end, ecosystem_, tenant_id_});
      !s) {
    return s;
  }
  // Rows sharing (timestamp, dimension) are summed: the original overwrote them and lost money.
  std::vector<std::pair<std::string, std::int64_t>> order;  // first-seen order, deterministic
  std::map<std::pair<std::string, std::int64_t>, std::int64_t> sums;
  for (const auto& r : rows) {
    auto id = dimension_id(r);
    if (!id) return id.status();
    auto k = std::make_pair(r.timestamp, *id);
    auto [it, fresh] = sums.emplace(k, 0);
    if (fresh) order.push_back(k);
    it->second += r.amount_units;
  }
  if (!insert_fact_) {
    auto stmt = db_.prepare(
        "INSERT INTO chargeback_facts (timestamp, dimension_id, amount, tags_json) "
        "VALUES (?, ?, ?, '[]')");
    if (!stmt) return stmt.status();
    insert_fact_ = std::move(*stmt);
  }
  for (const auto& k : order) {
    if (auto s = insert_fact_->execute({k.first, k.second, sums[k]}); !s) return s;
  }
  return static_cast<std::int64_t>(order.size());
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
