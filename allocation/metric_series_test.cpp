// MetricSeries: rows grouped by shared labels, and an index of series that equals the index of
// the same rows (so the calculate stage may index series without ever making the rows).
#include "allocation/metric_series.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "allocation/metrics_index.hpp"

namespace chitragupt::allocation {
namespace {

MetricSeries series(const std::string& key, std::map<std::string, std::string> labels,
                    std::vector<MetricSample> samples) {
  return {key, std::move(labels), std::move(samples)};
}

void expect_same_index(const MetricsIndex& a, const MetricsIndex& b,
                       const std::vector<std::string>& keys) {
  ASSERT_EQ(a.principals(), b.principals());
  for (const std::string& key : keys) {
    SCOPED_TRACE(key);
    ASSERT_EQ(a.key(key).has_value(), b.key(key).has_value());
    if (!a.key(key)) continue;
    for (std::size_t p = 0; p < a.principals().size(); ++p) {
      const auto va = a.values(p, *a.key(key));
      const auto vb = b.values(p, *b.key(key));
      EXPECT_EQ(std::vector<double>(va.begin(), va.end()),
                std::vector<double>(vb.begin(), vb.end()))
          << a.principals()[p];
    }
  }
}

TEST(MetricSeries, to_rows_repeats_each_series_labels_on_its_samples_in_order) {
  const std::vector<MetricSeries> in = {
      series("bytes_in", {{"principal_id", "sa-1"}}, {{10, 1.5}, {20, 2.5}}),
      series("bytes_in", {{"principal_id", "sa-2"}}, {}),
      series("bytes_out", {{"principal_id", "sa-1"}}, {{10, 7}})};
  const auto rows = to_rows(in);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].timestamp, 10);
  EXPECT_EQ(rows[1].value, 2.5);
  EXPECT_EQ(rows[1].labels.at("principal_id"), "sa-1");
  EXPECT_EQ(rows[2].metric_key, "bytes_out");
}

TEST(MetricSeries, to_series_groups_consecutive_rows_with_the_same_key_and_labels) {
  std::vector<MetricRow> rows = {{1, "bytes_in", 1, {{"principal_id", "a"}}},
                                 {2, "bytes_in", 2, {{"principal_id", "a"}}},
                                 {1, "bytes_out", 3, {{"principal_id", "a"}}},
                                 {1, "bytes_in", 4, {{"principal_id", "b"}}},
                                 {3, "bytes_in", 5, {{"principal_id", "a"}}}};
  const std::vector<MetricRow> copy = rows;
  const auto grouped = to_series(std::move(rows));
  ASSERT_EQ(grouped.size(), 4u);  // a's third bytes_in row is not next to the first two
  EXPECT_EQ(grouped[0].samples.size(), 2u);
  const auto back = to_rows(grouped);
  ASSERT_EQ(back.size(), copy.size());
  for (std::size_t i = 0; i < back.size(); ++i) {
    EXPECT_EQ(back[i].timestamp, copy[i].timestamp);
    EXPECT_EQ(back[i].metric_key, copy[i].metric_key);
    EXPECT_EQ(back[i].value, copy[i].value);
    EXPECT_EQ(back[i].labels, copy[i].labels);
  }
}

TEST(MetricSeries, a_series_without_samples_adds_no_principal_and_no_key) {
  const std::vector<MetricSeries> in = {series("bytes_in", {{"principal_id", "sa-1"}}, {{10, 1}}),
                                        series("bytes_out", {{"principal_id", "sa-9"}}, {})};
  const MetricsIndex index(in);
  EXPECT_EQ(index.principals(), std::vector<std::string>{"sa-1"});
  EXPECT_FALSE(index.key("bytes_out").has_value());
}

// Random series with everything the index must treat alike: zero, negative, NaN and infinite
// values (kept out of the values), series without a principal or with an empty one, empty
// series, a principal in several series of one key, keys in varying order.
TEST(MetricSeries, index_of_series_equals_index_of_their_rows) {
  const std::vector<std::string> keys = {"bytes_in", "bytes_out", "other"};
  for (std::uint32_t seed = 1; seed <= 200; ++seed) {
    SCOPED_TRACE(seed);
    std::mt19937 rng(seed);
    auto pick = [&rng](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    std::vector<MetricSeries> in;
    const int count = pick(60);
    for (int s = 0; s < count; ++s) {
      MetricSeries one;
      one.metric_key = keys[static_cast<std::size_t>(pick(3))];
      one.labels["kafka_id"] = "lkc-1";
      const int who = pick(25);
      if (who < 22) one.labels["principal_id"] = "p-" + std::to_string(who);
      if (who == 22) one.labels["principal_id"] = "";
      const int samples = pick(6);
      for (int k = 0; k < samples; ++k) {
        double v = static_cast<double>(pick(1000)) / 7.0;
        switch (pick(10)) {
          case 0:
            v = 0;
            break;
          case 1:
            v = -v;
            break;
          case 2:
            v = std::numeric_limits<double>::quiet_NaN();
            break;
          case 3:
            v = std::numeric_limits<double>::infinity();
            break;
          default:
            break;
        }
        one.samples.push_back({k * 3600, v});
      }
      in.push_back(std::move(one));
    }
    expect_same_index(MetricsIndex(in), MetricsIndex(to_rows(in)), keys);
  }
}

}  // namespace
}  // namespace chitragupt::allocation
