#include "sim/telemetry.hpp"

#include <algorithm>
#include <cmath>

#include "sim/random.hpp"
#include "sim/sim_time.hpp"

namespace ccloud_sim {

namespace {

// Share of a principal's typical hourly traffic by UTC hour of day, in permille.
constexpr int64_t kDiurnal[24] = {420,  380,  350,  330,  340,  400,  520,  700,
                                  880,  1000, 1080, 1120, 1150, 1130, 1100, 1080,
                                  1040, 980,  900,  800,  700,  620,  540,  470};

bool overlaps_hour(int64_t from, int64_t to, int64_t hour) {
  const int64_t start = hour * kSecondsPerHour;
  return from < start + kSecondsPerHour && to > start;
}

bool weekend(int64_t hour) {
  const int64_t day = hour / 24;
  const int64_t weekday = ((day % 7) + 7 + 4) % 7;  // 1970-01-01 was a Thursday (4)
  return weekday == 0 || weekday == 6;
}

enum class Family { kPrincipalBytes, kTopicBytes, kRetained, kFlinkCfu, kFlinkCfuMinutes };

struct MetricInfo {
  const char* name;
  Family family;
  bool inbound;
  bool gauge;
};

const MetricInfo kMetrics[] = {
    {"confluent_kafka_server_request_bytes", Family::kPrincipalBytes, true, false},
    {"confluent_kafka_server_response_bytes", Family::kPrincipalBytes, false, false},
    {"confluent_kafka_server_received_bytes", Family::kTopicBytes, true, false},
    {"confluent_kafka_server_sent_bytes", Family::kTopicBytes, false, false},
    {"confluent_kafka_server_retained_bytes", Family::kRetained, false, true},
    {"confluent_flink_num_cfu", Family::kFlinkCfu, false, true},
    {"confluent_flink_statement_utilization_cfu_minutes_consumed", Family::kFlinkCfuMinutes, false,
     false},
};

const MetricInfo* find_metric(const std::string& name) {
  for (const auto& info : kMetrics) {
    if (name == info.name) return &info;
  }
  return nullptr;
}

// Samples one hour-valued source over [start, end] with `step`.
// `value(hour)` gives the hour's value or nullopt when the hour has no sample.
template <typename HourValue>
std::vector<Sample> sample_hours(double start, double end, double step, bool gauge,
                                 const HourValue& value) {
  std::vector<Sample> samples;
  const auto count = static_cast<int64_t>(std::floor((end - start) / step)) + 1;
  for (int64_t k = 0; k < count; ++k) {
    const double t = start + static_cast<double>(k) * step;
    if (gauge) {
      const auto hour = static_cast<int64_t>(std::floor(t / kSecondsPerHour));
      if (auto v = value(hour)) samples.push_back(Sample{t, *v});
      continue;
    }
    // Delta: hour values weighted by how much of each hour lies in [t, t+step).
    const double t_end = t + step;
    auto hour = static_cast<int64_t>(std::floor(t / kSecondsPerHour));
    bool any = false;
    int64_t total = 0;
    for (; static_cast<double>(hour * kSecondsPerHour) < t_end; ++hour) {
      const auto v = value(hour);
      if (!v) continue;
      any = true;
      const double lo = std::max(t, static_cast<double>(hour * kSecondsPerHour));
      const double hi = std::min(t_end, static_cast<double>((hour + 1) * kSecondsPerHour));
      const auto millis = static_cast<int64_t>(std::llround((hi - lo) * 1000.0));
      total += millis >= kSecondsPerHour * 1000
                   ? *v
                   : static_cast<int64_t>(static_cast<long double>(*v) * millis /
                                          (kSecondsPerHour * 1000));
    }
    if (any) samples.push_back(Sample{t, total});
  }
  return samples;
}

}  // namespace

Telemetry::Telemetry(const OrgModel& model)
    : model_(model),
      principals_by_cluster_(model.kafka_clusters.size()),
      statements_by_pool_(model.flink_pools.size()) {
  for (size_t i = 0; i < model.principals.size(); ++i) {
    principals_by_cluster_[model.principals[i].cluster].push_back(i);
  }
  for (size_t s = 0; s < model.flink_statements.size(); ++s) {
    for (size_t p = 0; p < model.flink_pools.size(); ++p) {
      if (model.flink_pools[p].id == model.flink_statements[s].pool_id) {
        statements_by_pool_[p].push_back(s);
      }
    }
  }
}

bool Telemetry::known_metric(const std::string& name) { return find_metric(name) != nullptr; }

bool Telemetry::cluster_alive(size_t cluster, int64_t hour) const {
  const auto& life = model_.kafka_clusters[cluster].life;
  return overlaps_hour(life.created_at, life.end_or(INT64_MAX / 2), hour);
}

std::optional<int64_t> Telemetry::principal_bytes(size_t principal, int64_t hour,
                                                  bool inbound) const {
  const UsagePrincipal& p = model_.principals[principal];
  if (!overlaps_hour(p.active_from, p.active_to, hour)) return std::nullopt;
  const int64_t base = inbound ? p.base_in : p.base_out;
  if (base == 0) return 0;
  const uint64_t h =
      hash_of(model_.seed, inbound ? "bytes-in" : "bytes-out", p.key, static_cast<uint64_t>(hour));
  if (static_cast<int64_t>(h % 1000) < p.idle_permille) return 0;
  int64_t value = base / 1000 * kDiurnal[((hour % 24) + 24) % 24];
  if (weekend(hour)) value = value / 10 * 6;
  const auto noise = static_cast<int64_t>(500 + (h >> 32) % 1000);
  return value / 1000 * noise;
}

std::optional<int64_t> Telemetry::cluster_bytes(size_t cluster, int64_t hour, bool inbound) const {
  if (!cluster_alive(cluster, hour)) return std::nullopt;
  int64_t total = 0;
  for (size_t p : principals_by_cluster_[cluster]) {
    if (auto v = principal_bytes(p, hour, inbound)) total += *v;
  }
  return total;
}

std::vector<int64_t> Telemetry::topic_shares(size_t cluster, int64_t total) const {
  const auto& topics = model_.kafka_clusters[cluster].topics;
  int64_t weights = 0;
  for (const auto& t : topics) weights += t.weight;
  std::vector<int64_t> shares(topics.size(), 0);
  if (weights == 0 || topics.empty()) return shares;
  int64_t given = 0;
  for (size_t i = 0; i < topics.size(); ++i) {
    shares[i] = total / weights * topics[i].weight + total % weights * topics[i].weight / weights;
    given += shares[i];
  }
  shares[0] += total - given;
  return shares;
}

std::optional<int64_t> Telemetry::topic_retained(size_t cluster, size_t topic, int64_t hour) const {
  if (!cluster_alive(cluster, hour)) return std::nullopt;
  const Topic& t = model_.kafka_clusters[cluster].topics[topic];
  if (t.retained_base == 0 && t.retained_growth == 0) return 0;
  const int64_t since_start = hour - model_.window_start / kSecondsPerHour;
  int64_t value = t.retained_base + t.retained_growth * since_start;
  value = std::max(value, t.retained_base / 4);
  const uint64_t h = hash_of(model_.seed, "retained", cluster, topic, static_cast<uint64_t>(hour));
  const int64_t jitter = value / 1000 * static_cast<int64_t>(h % 21) - value / 100;  // ±1 %
  return value + jitter;
}

std::optional<int64_t> Telemetry::statement_cfu(size_t statement, int64_t hour) const {
  const FlinkStatement& s = model_.flink_statements[statement];
  if (!overlaps_hour(s.running_from, s.running_until, hour)) return std::nullopt;
  const uint64_t h = hash_of(model_.seed, "cfu", statement, static_cast<uint64_t>(hour));
  return std::max<int64_t>(1, s.cfu + static_cast<int64_t>(h % 3) - 1);
}

std::vector<Series> Telemetry::select(const std::string& metric,
                                      const std::function<bool(const Labels&)>& keep, double start,
                                      double end, double step) const {
  std::vector<Series> result;
  const MetricInfo* info = find_metric(metric);
  if (info == nullptr || step <= 0 || end < start) return result;
  auto emit = [&](Labels labels, std::vector<Sample> samples) {
    if (!samples.empty()) result.push_back(Series{std::move(labels), std::move(samples)});
  };
  switch (info->family) {
    case Family::kPrincipalBytes:
      for (size_t c = 0; c < model_.kafka_clusters.size(); ++c) {
        for (size_t p : principals_by_cluster_[c]) {
          Labels labels{{"kafka_id", model_.kafka_clusters[c].id},
                        {"principal_id", model_.principals[p].id}};
          if (!keep(labels)) continue;
          emit(labels, sample_hours(start, end, step, false, [&](int64_t hour) {
                 return principal_bytes(p, hour, info->inbound);
               }));
        }
      }
      break;
    case Family::kTopicBytes:
      for (size_t c = 0; c < model_.kafka_clusters.size(); ++c) {
        const auto& cluster = model_.kafka_clusters[c];
        std::vector<size_t> wanted;
        for (size_t t = 0; t < cluster.topics.size(); ++t) {
          if (keep(Labels{{"kafka_id", cluster.id}, {"topic", cluster.topics[t].name}})) {
            wanted.push_back(t);
          }
        }
        if (wanted.empty()) continue;
        std::map<int64_t, std::optional<std::vector<int64_t>>> shares_by_hour;
        auto shares = [&](int64_t hour) -> const std::optional<std::vector<int64_t>>& {
          auto it = shares_by_hour.find(hour);
          if (it != shares_by_hour.end()) return it->second;
          std::optional<std::vector<int64_t>> value;
          if (auto total = cluster_bytes(c, hour, info->inbound)) value = topic_shares(c, *total);
          return shares_by_hour.emplace(hour, std::move(value)).first->second;
        };
        for (size_t t : wanted) {
          emit(Labels{{"kafka_id", cluster.id}, {"topic", cluster.topics[t].name}},
               sample_hours(start, end, step, false, [&](int64_t hour) -> std::optional<int64_t> {
                 const auto& s = shares(hour);
                 if (!s) return std::nullopt;
                 return (*s)[t];
               }));
        }
      }
      break;
    case Family::kRetained:
      for (size_t c = 0; c < model_.kafka_clusters.size(); ++c) {
        const auto& cluster = model_.kafka_clusters[c];
        for (size_t t = 0; t < cluster.topics.size(); ++t) {
          Labels labels{{"kafka_id", cluster.id}, {"topic", cluster.topics[t].name}};
          if (!keep(labels)) continue;
          emit(labels, sample_hours(start, end, step, true,
                                    [&](int64_t hour) { return topic_retained(c, t, hour); }));
        }
      }
      break;
    case Family::kFlinkCfu:
    case Family::kFlinkCfuMinutes:
      for (size_t pool = 0; pool < model_.flink_pools.size(); ++pool) {
        for (size_t s : statements_by_pool_[pool]) {
          Labels labels{{"compute_pool_id", model_.flink_pools[pool].id},
                        {"flink_statement_name", model_.flink_statements[s].name}};
          if (!keep(labels)) continue;
          const bool minutes = info->family == Family::kFlinkCfuMinutes;
          emit(labels, sample_hours(start, end, step, !minutes,
                                    [&](int64_t hour) -> std::optional<int64_t> {
                                      auto cfu = statement_cfu(s, hour);
                                      if (cfu && minutes) return *cfu * 60;
                                      return cfu;
                                    }));
        }
      }
      break;
  }
  std::sort(result.begin(), result.end(),
            [](const Series& a, const Series& b) { return a.labels < b.labels; });
  return result;
}

}  // namespace ccloud_sim
