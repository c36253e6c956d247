#include "ecosystems/prometheus_metrics.hpp"

#include <condition_variable>
#include <mutex>

namespace chitragupt::ecosystems {
namespace {

// The clients of a metrics source shared by parallel fetches: each call borrows a free one.
class ClientPool {
 public:
  explicit ClientPool(std::vector<std::unique_ptr<ccloud::TelemetryClient>> clients)
      : owned_(std::move(clients)) {
    for (auto& c : owned_) free_.push_back(c.get());
  }
  template <typename F>
  auto with_client(F f) {
    ccloud::TelemetryClient* client = nullptr;
    {
      std::unique_lock<std::mutex> lock(mu_);
      ready_.wait(lock, [this] { return !free_.empty(); });
      client = free_.back();
      free_.pop_back();
    }
    // Given back however f ends (an exception too): a lost client would make a later fetch
    // wait forever.
    struct GiveBack {
      ClientPool* pool;
      ccloud::TelemetryClient* client;
      ~GiveBack() {
        {
          std::lock_guard<std::mutex> lock(pool->mu_);
          pool->free_.push_back(client);
        }
        pool->ready_.notify_one();
      }
    } give_back{this, client};
    return f(*client);
  }

 private:
  std::vector<std::unique_ptr<ccloud::TelemetryClient>> owned_;
  std::mutex mu_;
  std::condition_variable ready_;
  std::vector<ccloud::TelemetryClient*> free_;
};

}  // namespace

Result<MetricSeriesFetcher> prometheus_fetcher(const ccloud::MetricsSettings& metrics,
                                               QueryCatalogue catalogue, int workers,
                                               std::int64_t step_seconds, const StopToken& stop) {
  std::vector<std::unique_ptr<ccloud::TelemetryClient>> clients;
  for (int i = 0; i < std::max(1, workers); ++i) {
    auto client = ccloud::TelemetryClient::create(metrics);
    if (!client) return client.status();
    (*client)->set_stop(stop);
    clients.push_back(std::move(*client));
  }
  auto pool = std::make_shared<ClientPool>(std::move(clients));
  auto queries = std::make_shared<const QueryCatalogue>(std::move(catalogue));
  return MetricSeriesFetcher(
      [pool, queries, step_seconds](
          const std::vector<std::string>& keys, const std::string& resource_id, std::int64_t start,
          std::int64_t end) -> Result<std::vector<allocation::MetricSeries>> {
        std::vector<allocation::MetricSeries> series;
        for (const auto& key : keys) {
          auto it = queries->find(key);
          if (it == queries->end()) continue;
          const CataloguedQuery& q = it->second;
          // The range is inclusive at both ends; the last sample belongs to the next window.
          auto fetched = pool->with_client([&](ccloud::TelemetryClient& telemetry) {
            return telemetry.query_range_series(q.query, resource_id, start, end - step_seconds,
                                                step_seconds);
          });
          if (!fetched) return fetched.status();
          for (auto& one : *fetched) {
            allocation::MetricSeries& out = series.emplace_back();
            out.metric_key = std::move(one.metric_key);
            out.labels = std::move(one.labels);
            if (!q.identity_label.empty() && q.identity_label != "principal_id") {
              auto label = out.labels.find(q.identity_label);
              if (label != out.labels.end()) {
                out.labels["principal_id"] = std::move(label->second);
                out.labels.erase(label);
              }
            }
            out.samples.reserve(one.samples.size());
            for (const auto& sample : one.samples)
              out.samples.push_back({sample.timestamp, sample.value});
          }
        }
        return series;
      });
}

}  // namespace chitragupt::ecosystems
