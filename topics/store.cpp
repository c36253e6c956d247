#include "topics/store.hpp"

#include "storage/chargeback_store.hpp"

namespace chitragupt::topics {

using storage::Params;

Result<std::int64_t> TopicStore::dimension_id(const TopicFact& f) {
  auto key = std::make_tuple(f.env_id, f.cluster_resource_id, f.topic_name, f.product_category,
                             f.product_type, f.attribution_method);
  if (auto it = dimensions_.find(key); it != dimensions_.end()) return it->second;
  const Params where = {ecosystem_,   tenant_id_,         f.env_id,       f.cluster_resource_id,
                        f.topic_name, f.product_category, f.product_type, f.attribution_method};
  static const char* kFind =
      "SELECT dimension_id FROM topic_attribution_dimensions WHERE ecosystem = ? AND tenant_id = "
      "? AND env_id = ? AND cluster_resource_id = ? AND topic_name = ? AND product_category = ? "
      "AND product_type = ? AND attribution_method = ?";
  auto found = db_.query(kFind, where);
  if (!found) return found.status();
  if (found->empty()) {
    Params insert = where;
    insert.push_back(f.cluster_resource_id + ":topic:" + f.topic_name);
    if (auto s = db_.execute(
            "INSERT INTO topic_attribution_dimensions (ecosystem, tenant_id, env_id, "
            "cluster_resource_id, topic_name, product_category, product_type, attribution_method, "
            "resource_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            insert);
        !s) {
      return s;
    }
    found = db_.query(kFind, where);
    if (!found) return found.status();
    if (found->empty()) return Status::error("topic attribution dimension was not created");
  }
  const std::int64_t id = found->front().get_int(0);
  dimensions_[key] = id;
  return id;
}

Result<std::int64_t> TopicStore::replace_date(const std::string& date,
                                              const std::vector<TopicFact>& facts) {
  dimensions_.clear();  // ids made in an earlier, possibly rolled back, transaction
  auto [start, end] = storage::day_bounds(date);
  if (auto s = db_.execute(
          "DELETE FROM topic_attribution_facts WHERE timestamp >= ? AND timestamp < ? AND "
          "dimension_id IN (SELECT dimension_id FROM topic_attribution_dimensions WHERE "
          "ecosystem = ? AND tenant_id = ?)",
          {start, end, ecosystem_, tenant_id_});
      !s) {
    return s;
  }
  // Summed per (timestamp, dimension): two lines landing on one dimension add up.
  std::map<std::pair<std::string, std::int64_t>, std::int64_t> sums;
  for (const auto& f : facts) {
    auto id = dimension_id(f);
    if (!id) return id.status();
    sums[{f.timestamp, *id}] += f.amount_units;
  }
  auto insert = db_.prepare(
      "INSERT INTO topic_attribution_facts (timestamp, dimension_id, amount) VALUES (?, ?, ?)");
  if (!insert) return insert.status();
  for (const auto& [key, amount] : sums) {
    if (auto s = (*insert)->execute({key.first, key.second, amount}); !s) return s;
  }
  return static_cast<std::int64_t>(sums.size());
}

Result<std::int64_t> TopicStore::delete_before(const std::string& cutoff) {
  auto facts = db_.query(
      "SELECT COUNT(*) FROM topic_attribution_facts WHERE timestamp < ? AND dimension_id IN "
      "(SELECT dimension_id FROM topic_attribution_dimensions WHERE ecosystem = ? AND tenant_id = "
      "?)",
      {cutoff, ecosystem_, tenant_id_});
  if (!facts) return facts.status();
  if (auto s = db_.execute(
          "DELETE FROM topic_attribution_facts WHERE timestamp < ? AND dimension_id IN (SELECT "
          "dimension_id FROM topic_attribution_dimensions WHERE ecosystem = ? AND tenant_id = ?)",
          {cutoff, ecosystem_, tenant_id_});
      !s) {
    return s;
  }
  if (auto s = db_.execute(
          "DELETE FROM topic_attribution_dimensions WHERE ecosystem = ? AND tenant_id = ? AND NOT "
          "EXISTS (SELECT 1 FROM topic_attribution_facts f WHERE f.dimension_id = "
          "topic_attribution_dimensions.dimension_id)",
          {ecosystem_, tenant_id_});
      !s) {
    return s;
  }
  dimensions_.clear();
  return facts->front().get_int(0);
}

Result<std::vector<std::string>> TopicStore::topics_alive(const std::string& cluster,
                                                          const std::string& start,
                                                          const std::string& end) {
  auto rows = db_.query(
      "SELECT display_name FROM resources WHERE ecosystem = ? AND tenant_id = ? AND "
      "resource_type = 'topic' AND parent_id = ? AND (created_at IS NULL OR created_at < ?) AND "
      "(deleted_at IS NULL OR deleted_at >= ?)",
      {ecosystem_, tenant_id_, cluster, end, start});
  if (!rows) return rows.status();
  std::vector<std::string> out;
  for (const auto& r : *rows) out.push_back(r.get_text(0));
  return out;
}

Result<std::vector<std::string>> TopicStore::clusters_alive(const std::string& start,
                                                            const std::string& end) {
  auto rows = db_.query(
      "SELECT resource_id FROM resources WHERE ecosystem = ? AND tenant_id = ? AND "
      "resource_type = 'kafka_cluster' AND resource_id LIKE 'lkc-%' AND (created_at IS NULL OR "
      "created_at < ?) AND (deleted_at IS NULL OR deleted_at >= ?) ORDER BY resource_id",
      {ecosystem_, tenant_id_, end, start});
  if (!rows) return rows.status();
  std::vector<std::string> out;
  for (const auto& r : *rows) out.push_back(r.get_text(0));
  return out;
}

Result<std::int64_t> TopicStore::add_attempt(const storage::BillingRecord& l) {
  const Params key = {ecosystem_,    tenant_id_,     l.timestamp,       l.env_id,
                      l.resource_id, l.product_type, l.product_category};
  static const char* kWhere =
      " WHERE ecosystem = ? AND tenant_id = ? AND timestamp = ? AND env_id = ? AND resource_id = "
      "? AND product_type = ? AND product_category = ?";
  if (auto s = db_.execute(std::string("UPDATE ccloud_billing SET topic_attribution_attempts = "
                                       "topic_attribution_attempts + 1") +
                               kWhere,
                           key);
      !s) {
    return s;
  }
  auto rows =
      db_.query(std::string("SELECT topic_attribution_attempts FROM ccloud_billing") + kWhere, key);
  if (!rows) return rows.status();
  if (rows->empty()) return Status::error("billing line of " + l.resource_id + " not found");
  return rows->front().get_int(0);
}

Status TopicStore::mark_overlay_gathered(const std::string& start_date,
                                         const std::string& end_date) {
  return db_.execute(
      "UPDATE pipeline_state SET topic_overlay_gathered = 1 WHERE ecosystem = ? AND tenant_id = "
      "? AND billing_gathered = 1 AND tracking_date >= ? AND tracking_date < ?",
      {ecosystem_, tenant_id_, start_date, end_date});
}

Result<std::vector<std::string>> TopicStore::pending_dates() {
  auto rows = db_.query(
      "SELECT tracking_date FROM pipeline_state WHERE ecosystem = ? AND tenant_id = ? AND "
      "topic_overlay_gathered = 1 AND topic_attribution_calculated = 0 ORDER BY tracking_date",
      {ecosystem_, tenant_id_});
  if (!rows) return rows.status();
  std::vector<std::string> out;
  for (const auto& r : *rows) out.push_back(r.get_text(0));
  return out;
}

Status TopicStore::mark_attributed(const std::string& date) {
  return db_.execute(
      "UPDATE pipeline_state SET topic_attribution_calculated = 1 WHERE ecosystem = ? AND "
      "tenant_id = ? AND tracking_date = ?",
      {ecosystem_, tenant_id_, date});
}

}  // namespace chitragupt::topics
