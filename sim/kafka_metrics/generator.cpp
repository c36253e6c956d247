#include "sim/kafka_metrics/generator.hpp"

#include <cstdio>
#include <ctime>
#include <set>

#include <nlohmann/json.hpp>

namespace chitragupt::sim::kafka_metrics {
namespace {

constexpr std::int64_t kHalfHour = 1800;
constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kCounterBase = 1000000000000;  // far from zero: no extrapolation cut-off

std::uint64_t mix(std::uint64_t x) {  // splitmix64
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::string date_of(std::int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::string principal_name(int p) { return "User:svc-" + std::to_string(p); }
std::string topic_name(int t) { return "topic-" + std::to_string(t); }

}  // namespace

Truth generate(const ClusterShape& shape, std::ostream& out) {
  Truth truth;
  const std::int64_t end = shape.end - shape.end % kHalfHour;
  const std::int64_t first_day = end - end % kDay - static_cast<std::int64_t>(shape.days) * kDay;
  const std::int64_t first_sample = first_day - 3600;  // the first day's first hour needs it
  for (int p = 0; p < shape.principals; ++p) truth.principals.push_back(principal_name(p));

  // The increment of principal p's counter (direction d) in the hour ending at `hour_end`:
  // an even number of bytes (its half-hour halves are whole), some principals idle some hours.
  auto increment = [&](int p, int d, std::int64_t hour_end) -> std::int64_t {
    std::uint64_t r =
        mix(shape.seed * 1000003ULL + static_cast<std::uint64_t>(p) * 7919ULL +
            static_cast<std::uint64_t>(d) * 104729ULL + static_cast<std::uint64_t>(hour_end));
    if (r % 11 == 0) return 0;
    return 2 * static_cast<std::int64_t>(r % 50000000ULL + 1000);
  };
  auto log_size = [&](int b, int t, int part, std::int64_t day_start) -> std::int64_t {
    std::uint64_t r =
        mix(shape.seed * 31ULL + static_cast<std::uint64_t>(b) * 131ULL +
            static_cast<std::uint64_t>(t) * 137ULL + static_cast<std::uint64_t>(part) * 139ULL +
            static_cast<std::uint64_t>(day_start));
    return static_cast<std::int64_t>(r % 5000000000ULL);
  };

  // Each principal produces and consumes through one topic, led by one broker.
  auto topic_of = [&](int p) { return p % shape.topics; };
  auto broker_of = [&](int p) { return (p / shape.topics + p) % shape.brokers; };
  // The brokers and topics the byte counters name (what discovery from Prometheus finds), in
  // name order.
  std::set<std::string> brokers, topics;
  for (int p = 0; p < shape.principals; ++p) {
    brokers.insert(std::to_string(broker_of(p)));
    topics.insert(topic_name(topic_of(p)));
  }
  truth.brokers.assign(brokers.begin(), brokers.end());
  truth.topics.assign(topics.begin(), topics.end());

  for (int d = 0; d < 2; ++d) {
    const char* family = d == 0 ? "kafka_server_brokertopicmetrics_bytesin"
                                : "kafka_server_brokertopicmetrics_bytesout";
    out << "# TYPE " << family << " counter\n";
    for (int p = 0; p < shape.principals; ++p) {
      const std::string labels = "{broker=\"" + std::to_string(broker_of(p)) + "\",topic=\"" +
                                 topic_name(topic_of(p)) + "\",principal=\"" + principal_name(p) +
                                 "\"}";
      std::int64_t value = kCounterBase;
      for (std::int64_t t = first_sample; t <= end; t += kHalfHour) {
        const std::int64_t hour_end = t - t % 3600 + (t % 3600 == 0 ? 0 : 3600);
        // Linear within the hour: half of the hour's increment at :30, the rest at :00.
        if (t != first_sample) value += increment(p, d, hour_end) / 2;
        out << family << "_total" << labels << ' ' << value << ' ' << t << '\n';
      }
      // One more sample at the generation time itself, unchanged: Prometheus looks back only 5
      // minutes for an instant, so discovery "now" needs a sample that recent.
      if (shape.end > end) {
        out << family << "_total" << labels << ' ' << value << ' ' << shape.end << '\n';
      }
    }
  }
  out << "# TYPE kafka_log_log_size gauge\n";
  for (int b = 0; b < shape.brokers; ++b) {
    for (int t = 0; t < shape.topics; ++t) {
      for (int part = 0; part < shape.partitions; ++part) {
        const std::string labels = "{broker=\"" + std::to_string(b) + "\",topic=\"" +
                                   topic_name(t) + "\",partition=\"" + std::to_string(part) + "\"}";
        // From the first day on: the counters' lead-in hour is for increase() alone, and a log
        // size before it would bill a day of the cluster that has no traffic.
        for (std::int64_t s = first_day; s <= end; s += kHalfHour) {
          out << "kafka_log_log_size" << labels << ' ' << log_size(b, t, part, s - s % kDay) << ' '
              << s << '\n';
        }
        if (shape.end > end) {
          out << "kafka_log_log_size" << labels << ' ' << log_size(b, t, part, end - end % kDay)
              << ' ' << shape.end << '\n';
        }
      }
    }
  }
  out << "# EOF\n";

  // The truth of every whole day: its 24 evaluation hours D+0h .. D+23h, each the increase of
  // the hour ending then.
  for (std::int64_t day = first_day; day + 23 * 3600 <= end; day += kDay) {
    DayTruth dt;
    dt.date = date_of(day);
    for (int p = 0; p < shape.principals; ++p) {
      PrincipalBytes bytes;
      for (int h = 0; h < 24; ++h) {
        bytes.in += increment(p, 0, day + h * 3600);
        bytes.out += increment(p, 1, day + h * 3600);
      }
      dt.bytes_in += bytes.in;
      dt.bytes_out += bytes.out;
      dt.principals[principal_name(p)] = bytes;
    }
    for (int b = 0; b < shape.brokers; ++b)
      for (int t = 0; t < shape.topics; ++t)
        for (int part = 0; part < shape.partitions; ++part)
          dt.storage_bytes += log_size(b, t, part, day);
    truth.days.push_back(std::move(dt));
  }
  return truth;
}

std::string truth_json(const Truth& truth) {
  nlohmann::json j;
  j["brokers"] = truth.brokers;
  j["topics"] = truth.topics;
  j["principals"] = truth.principals;
  j["days"] = nlohmann::json::array();
  for (const auto& d : truth.days) {
    nlohmann::json day = {{"date", d.date},
                          {"bytes_in", d.bytes_in},
                          {"bytes_out", d.bytes_out},
                          {"storage_bytes", d.storage_bytes},
                          {"principals", nlohmann::json::object()}};
    for (const auto& [p, b] : d.principals) day["principals"][p] = {{"in", b.in}, {"out", b.out}};
    j["days"].push_back(day);
  }
  return j.dump(1);
}

}  // namespace chitragupt::sim::kafka_metrics
