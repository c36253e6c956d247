#pragma once
// Topic-attribution rows of one tenant (topic_attribution_dimensions / _facts, amounts in
// 0.0001 units) and the per-date overlay state in pipeline_state. Run the writes inside the
// caller's transaction.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "common/status.hpp"
#include "storage/database.hpp"
#include "storage/records.hpp"

namespace chitragupt::topics {

struct TopicFact {
  std::string timestamp;  // stored UTC text
  std::string env_id;
  std::string cluster_resource_id;
  std::string topic_name;
  std::string product_category;
  std::string product_type;
  std::string attribution_method;
  std::int64_t amount_units = 0;
};

class TopicStore {
 public:
  TopicStore(storage::Database& db, std::string ecosystem, std::string tenant_id)
      : db_(db), ecosystem_(std::move(ecosystem)), tenant_id_(std::move(tenant_id)) {}

  // Deletes the facts of `date` (UTC day) and writes `facts` in their place; facts that share a
  // dimension and timestamp are summed. Returns the number of fact rows written.
  Result<std::int64_t> replace_date(const std::string& date, const std::vector<TopicFact>& facts);
  // Deletes facts before `cutoff` (stored UTC text), then dimensions left without facts.
  Result<std::int64_t> delete_before(const std::string& cutoff);

  // Topic names of resources of type topic under `cluster` alive in [start, end).
  Result<std::vector<std::string>> topics_alive(const std::string& cluster,
                                                const std::string& start, const std::string& end);
  // Kafka clusters (resource_id lkc-…) alive in [start, end), by id.
  Result<std::vector<std::string>> clusters_alive(const std::string& start, const std::string& end);

  // Adds one attribution attempt to the billing line and returns its new count.
  Result<std::int64_t> add_attempt(const storage::BillingRecord& line);

  // pipeline_state: topic_overlay_gathered = 1 for the gathered dates in [start, end).
  Status mark_overlay_gathered(const std::string& start_date, const std::string& end_date);
  // Overlay gathered and not yet attributed, oldest first.
  Result<std::vector<std::string>> pending_dates();
  Status mark_attributed(const std::string& date);

 private:
  Result<std::int64_t> dimension_id(const TopicFact& f);

  storage::Database& db_;
  std::string ecosystem_;
  std::string tenant_id_;
  std::map<std::tuple<std::string, std::string, std::string, std::string, std::string, std::string>,
           std::int64_t>
      dimensions_;  // (env, cluster, topic, category, type, method) -> id; this transaction
};

}  // namespace chitragupt::topics
