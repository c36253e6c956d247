#include "sim/topic_truth.hpp"

#include <algorithm>

#include "sim/sim_time.hpp"
#include "sim/telemetry.hpp"

namespace ccloud_sim {

nlohmann::json topic_truth_json(const OrgModel& m) {
  Telemetry telemetry(m);
  nlohmann::json clusters = nlohmann::json::array();
  for (size_t c = 0; c < m.kafka_clusters.size(); ++c) {
    const auto& cluster = m.kafka_clusters[c];
    nlohmann::json days = nlohmann::json::array();
    for (int64_t day = m.start_day; day < m.end_day; ++day) {
      const size_t n = cluster.topics.size();
      std::vector<int64_t> in(n, 0), out(n, 0), retained(n, 0);
      bool alive = false;
      for (int64_t hour = day * 24; hour < day * 24 + 24; ++hour) {
        auto total_in = telemetry.cluster_bytes(c, hour, true);
        auto total_out = telemetry.cluster_bytes(c, hour, false);
        if (!total_in || !total_out) continue;
        alive = true;
        auto s_in = telemetry.topic_shares(c, *total_in);
        auto s_out = telemetry.topic_shares(c, *total_out);
        for (size_t t = 0; t < n; ++t) {
          in[t] += s_in[t];
          out[t] += s_out[t];
          if (auto r = telemetry.topic_retained(c, t, hour))
            retained[t] = std::max(retained[t], *r);
        }
      }
      if (!alive) continue;
      nlohmann::json topics = nlohmann::json::object();
      for (size_t t = 0; t < n; ++t) {
        topics[cluster.topics[t].name] = {
            {"bytes_in", in[t]}, {"bytes_out", out[t]}, {"retained_max", retained[t]}};
      }
      days.push_back({{"date", format_date(day)}, {"topics", std::move(topics)}});
    }
    clusters.push_back({{"kafka_id", cluster.id}, {"days", std::move(days)}});
  }
  return clusters;
}

}  // namespace ccloud_sim
