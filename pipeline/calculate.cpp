#include "pipeline/calculate.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <set>
#include <string_view>
#include <thread>
#include <tuple>
#include <unordered_map>

#include <spdlog/spdlog.h>

#include "allocation/allocate_line.hpp"
#include "sources/http_client.hpp"
#include "storage/billing_store.hpp"
#include "storage/chargeback_store.hpp"
#include "storage/inventory_store.hpp"
#include "storage/utc_time.hpp"
#include "storage/wal_flusher.hpp"

namespace chitragupt::pipeline {
namespace {

// The error of a line whose amount is not a number: no retry can allocate it.
constexpr std::string_view kAmountNotANumber = "amount is not a number: total_cost";

// ---- storage records -> allocation values ----------------------------------------------

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil); linear in
// the day, so an overflowing day normalises into the next month as timegm does.
std::int64_t days_from_civil(std::int64_t y, std::int64_t m, std::int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// The stores' own "YYYY-MM-DD HH:MM:SS" / "YYYY-MM-DD", read without strptime/timegm (a few
// inventory timestamps per identity per date added up); anything else: nullopt, and the
// caller falls back to strptime.
std::optional<std::int64_t> canonical_epoch(const std::string& ts) {
  if (ts.size() != 19 && ts.size() != 10) return std::nullopt;
  auto number = [&ts](std::size_t pos, std::size_t len) -> std::int64_t {
    std::int64_t v = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (ts[i] < '0' || ts[i] > '9') return -1;
      v = v * 10 + (ts[i] - '0');
    }
    return v;
  };
  if (ts[4] != '-' || ts[7] != '-') return std::nullopt;
  const std::int64_t y = number(0, 4), m = number(5, 2), d = number(8, 2);
  std::int64_t hh = 0, mm = 0, ss = 0;
  if (ts.size() == 19) {
    if (ts[10] != ' ' || ts[13] != ':' || ts[16] != ':') return std::nullopt;
    hh = number(11, 2);
    mm = number(14, 2);
    ss = number(17, 2);
  }
  // The ranges strptime accepts (leap seconds left to it).
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31 || hh < 0 || hh > 23 || mm < 0 || mm > 59 ||
      ss < 0 || ss > 59) {
    return std::nullopt;
  }
  return days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss;
}

std::optional<std::int64_t> epoch_of(const std::string& ts) {
  if (ts.size() < 10) return std::nullopt;
  if (auto fast = canonical_epoch(ts)) return fast;
  std::tm tm{};
  if (!strptime(ts.c_str(), ts.size() >= 19 ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d", &tm)) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(timegm(&tm));
}

std::string timestamp_of(std::int64_t epoch) {
  return storage::utc_timestamp(static_cast<std::time_t>(epoch));
}

// Metadata as flat text: strings as they are, anything else as its JSON text.
std::map<std::string, std::string> flat_metadata(const std::string& json_text) {
  std::map<std::string, std::string> out;
  if (json_text.empty()) return out;
  auto j = nlohmann::json::parse(json_text, nullptr, false);
  if (!j.is_object()) return out;
  for (auto it = j.begin(); it != j.end(); ++it) {
    out[it.key()] = it->is_string() ? it->get<std::string>() : it->dump();
  }
  return out;
}

allocation::Resource to_allocation(const storage::ResourceRecord& r, const std::string& ecosystem,
                                   const std::string& tenant_id) {
  allocation::Resource out;
  out.ecosystem = ecosystem;
  out.tenant_id = tenant_id;
  out.resource_id = r.resource_id;
  out.resource_type = r.resource_type;
  out.display_name = r.display_name;
  out.parent_id = r.parent_id;
  out.owner_id = r.owner_id;
  out.status = r.status;
  out.created_at = epoch_of(r.created_at);
  out.deleted_at = epoch_of(r.deleted_at);
  out.last_seen_at = epoch_of(r.last_seen_at);
  out.metadata = flat_metadata(r.metadata_json);
  // Flink statements: identity resolution reads the pool and owner from metadata.
  if (r.resource_type == "flink_statement") {
    if (!r.parent_id.empty()) out.metadata.emplace("compute_pool_id", r.parent_id);
    if (!r.owner_id.empty()) out.metadata.emplace("owner_id", r.owner_id);
  }
  return out;
}

allocation::Identity to_allocation(const storage::IdentityRecord& i, const std::string& ecosystem,
                                   const std::string& tenant_id) {
  allocation::Identity out;
  out.ecosystem = ecosystem;
  out.tenant_id = tenant_id;
  out.identity_id = i.identity_id;
  out.identity_type = i.identity_type;
  out.display_name = i.display_name;
  out.created_at = epoch_of(i.created_at);
  out.deleted_at = epoch_of(i.deleted_at);
  out.last_seen_at = epoch_of(i.last_seen_at);
  out.metadata = flat_metadata(i.metadata_json);
  return out;
}

Result<allocation::BillingLine> to_allocation(const storage::BillingRecord& b,
                                              const std::string& ecosystem,
                                              const std::string& tenant_id) {
  allocation::BillingLine out;
  out.ecosystem = ecosystem;
  out.tenant_id = tenant_id;
  auto ts = epoch_of(b.timestamp);
  if (!ts) return Status::error("billing line has an unreadable timestamp '" + b.timestamp + "'");
  out.timestamp = *ts;
  out.env_id = b.env_id;
  out.resource_id = b.resource_id;
  out.product_category = b.product_category;
  out.product_type = b.product_type;
  auto quantity = allocation::Decimal::parse(b.quantity);
  auto price = allocation::Decimal::parse(b.unit_price);
  auto total = allocation::Decimal::parse(b.total_cost);
  if (!total) {
    return Status::error(std::string(kAmountNotANumber) + " '" + b.total_cost +
                         "': " + total.error());
  }
  out.quantity = quantity ? *quantity : allocation::Decimal{};
  out.unit_price = price ? *price : allocation::Decimal{};
  out.total_cost = *total;
  out.currency = b.currency;
  out.granularity = b.granularity;
  out.metadata = flat_metadata(b.metadata_json);
  return out;
}

// Rows are consumed: their strings move into the facts. The timestamp text is made once per
// distinct timestamp in a row (a line's rows share theirs).
class FactMaker {
 public:
  storage::ChargebackFactRecord operator()(allocation::ChargebackRow&& r) {
    if (!last_epoch_ || *last_epoch_ != r.timestamp) {
      last_epoch_ = r.timestamp;
      last_text_ = timestamp_of(r.timestamp);
    }
    storage::ChargebackFactRecord f;
    f.timestamp = last_text_;
    f.resource_id = std::move(r.resource_id);
    f.product_category = std::move(r.product_category);
    f.product_type = std::move(r.product_type);
    f.identity_id = std::move(r.identity_id);
    f.cost_type = std::string(allocation::to_string(r.cost_type));
    f.allocation_method = std::move(r.allocation_method);
    f.allocation_detail = r.allocation_detail ? std::move(*r.allocation_detail) : std::string();
    f.env_id = std::move(r.metadata.env_id);
    f.amount_units = r.amount.units();
    return f;
  }

 private:
  std::optional<std::int64_t> last_epoch_;
  std::string last_text_;
};

std::string line_key(const storage::BillingRecord& b) {
  return b.resource_id + "/" + b.product_type + "/" + b.product_category;
}

// The tenant's inventory for the pending dates, read and converted once: it is mostly the same
// every date, and reading a large one again per date cost about as much as allocating. Each
// date gets what InventoryStore::resources_alive/identities_alive would return for that day --
// the same predicate on the same text (the stores write NULL, never '', for a missing time),
// in the same order -- and the whole-range vectors themselves, index included, when everything
// in them is alive that day.
class PendingInventory {
 public:
  struct Day {
    const std::vector<allocation::Resource>* resources;
    const std::vector<allocation::Identity>* identities;
    const allocation::InventoryIndex* index;
    // The vectors' contents differ from the previous day's (the first day, or someone was
    // created or deleted in between); otherwise they are the very same, unchanged.
    bool changed;
  };

  Status load(storage::InventoryStore& store, const std::string& start, const std::string& end,
              const config::TenantConfig& tenant) {
    auto res = store.resources_alive(start, end);
    if (!res) return res.status();
    auto ids = store.identities_alive(start, end);
    if (!ids) return ids.status();
    for (const auto& r : *res) {
      resource_times_.emplace_back(r.created_at, r.deleted_at);
      all_resources_.push_back(to_allocation(r, tenant.ecosystem, tenant.tenant_id));
    }
    for (const auto& i : *ids) {
      identity_times_.emplace_back(i.created_at, i.deleted_at);
      all_identities_.push_back(to_allocation(i, tenant.ecosystem, tenant.tenant_id));
    }
    return Status::ok();
  }

  // Valid until the next call.
  Day day(const std::string& start, const std::string& end) {
    bool changed =
        select(resource_times_, all_resources_, start, end, resource_members_, resources_);
    changed =
        select(identity_times_, all_identities_, start, end, identity_members_, identities_) ||
        changed;
    const auto* r = resource_members_.whole ? &all_resources_ : &resources_;
    const auto* i = identity_members_.whole ? &all_identities_ : &identities_;
    if (changed || !index_) {
      index_.emplace(*r, *i);
      changed = true;
    }
    return {r, i, &*index_, changed};
  }

 private:
  using Times = std::vector<std::pair<std::string, std::string>>;  // created_at, deleted_at

  // Which entries are alive on a day: all of them (the whole-range vector serves), or these.
  struct Members {
    bool known = false;
    bool whole = false;
    std::vector<std::uint32_t> alive;
  };

  // The SQL of the *_alive queries: (created_at IS NULL OR created_at < end) AND
  // (deleted_at IS NULL OR deleted_at >= start), TEXT compared bytewise like std::string.
  static bool alive(const std::pair<std::string, std::string>& t, const std::string& start,
                    const std::string& end) {
    return (t.first.empty() || t.first < end) && (t.second.empty() || t.second >= start);
  }

  // The day's members; `part` gets copies of them unless all are alive. Returns whether they
  // differ from the previous day's (`part` is only refilled then).
  template <typename T>
  static bool select(const Times& times, const std::vector<T>& all, const std::string& start,
                     const std::string& end, Members& members, std::vector<T>& part) {
    std::vector<std::uint32_t> alive_now;
    for (std::size_t k = 0; k < times.size(); ++k) {
      if (alive(times[k], start, end)) alive_now.push_back(static_cast<std::uint32_t>(k));
    }
    const bool whole = alive_now.size() == times.size();
    if (members.known && members.whole == whole && (whole || members.alive == alive_now)) {
      return false;
    }
    members.known = true;
    members.whole = whole;
    members.alive = std::move(alive_now);
    part.clear();
    if (!whole) {
      for (std::uint32_t k : members.alive) part.push_back(all[k]);
    }
    return true;
  }

  Times resource_times_;
  Times identity_times_;
  std::vector<allocation::Resource> all_resources_;
  std::vector<allocation::Identity> all_identities_;
  std::vector<allocation::Resource> resources_;  // a day's part, when not all are alive
  std::vector<allocation::Identity> identities_;
  Members resource_members_;
  Members identity_members_;
  std::optional<allocation::InventoryIndex> index_;
};

// The metrics of one resource over one day: every metric any of its lines' rules names, fetched
// once and handed to every line of that resource and day (as the original's orchestrator does:
// the identity resolution of a cluster's base, storage and partition lines sees the principals
// of its network metrics too). Dropped after the last line that reads it: a date's metrics
// together can hold millions of hourly rows.
struct MetricGroup {
  std::vector<std::string> metric_keys;                       // ascending, each once
  std::vector<std::vector<allocation::MetricSeries>> series;  // per metric key
  std::vector<allocation::MetricsIndex> parts;                // per metric key
  std::optional<allocation::MetricsIndex> merged;             // of parts, when there are several
  std::vector<allocation::MetricRow> rows;  // made once, for a handler that reads rows (Flink)
  std::string resource_id;
  std::int64_t start = 0;
  std::size_t order = 0;  // among the date's groups, by first use
  bool ordered = false;
  std::future<void> fetching;  // metrics_prefetch_workers > 1: the fetch started ahead
  bool fetched = false;
  bool rows_made = false;
  bool failed = false;
  // The source kept failing until its retries ran out (an outage, not a definite answer): its
  // lines wait for a later run, up to allocation_retry_limit attempts, before they settle for
  // the metrics_fetch_failed fallback, so a passing outage changes no chargeback.
  bool outage = false;
  int uses_left = 0;  // lines still to read it

  const allocation::MetricsIndex* index() const {
    return merged ? &*merged : parts.empty() ? nullptr : &parts.front();
  }
};

Result<std::vector<allocation::MetricSeries>> fetch_metric(const CalculateOptions& options,
                                                           const std::string& metric,
                                                           const std::string& resource_id,
                                                           std::int64_t start, std::int64_t end) {
  if (options.metric_series) return options.metric_series({metric}, resource_id, start, end);
  auto rows = options.metrics({metric}, resource_id, start, end);
  if (!rows) return rows.status();
  return allocation::to_series(std::move(*rows));
}

// One date: allocate every line, then write all rows (or keep the date pending).
struct DateOutcome {
  std::vector<storage::ChargebackFactRecord> facts;  // emptied once prepared
  storage::PreparedFacts prepared;                   // the facts, ready for replace_date
  std::int64_t lines = 0;
  std::int64_t failed_for_good = 0;
  std::vector<std::pair<storage::BillingRecord, std::int64_t>> attempts;  // failed below limit
  std::vector<std::string> warnings;  // lines that cannot be allocated at all
  std::string error;                  // set when the date must stay pending
};

// `expected_facts`: about how many rows the date will have (the previous date's count), so the
// fact vector is not regrown and moved a dozen times.
DateOutcome allocate_date(const std::vector<storage::BillingRecord>& lines,
                          const PendingInventory::Day& inventory,
                          const config::TenantConfig& tenant, const CalculateOptions& options,
                          allocation::ResolutionCache& resolutions, std::size_t expected_facts) {
  DateOutcome out;
  out.facts.reserve(expected_facts);
  allocation::LineInputs inputs;  // the lines of the date share its inventory and its index
  inputs.resources = inventory.resources;
  inputs.identities = inventory.identities;
  inputs.inventory_index = inventory.index;
  inputs.params = options.params;
  inputs.granularity_durations = options.granularity_durations;
  inputs.resolutions = &resolutions;

  std::vector<Result<allocation::BillingLine>> converted;
  converted.reserve(lines.size());
  for (const auto& record : lines) {
    converted.push_back(to_allocation(record, tenant.ecosystem, tenant.tenant_id));
  }
  // Each (resource, day) group is fetched once and shared by every line of it; counting its
  // lines first lets it go after the last one.
  using GroupKey = std::pair<std::string, std::int64_t>;  // resource, start
  std::map<GroupKey, MetricGroup> groups;
  std::vector<MetricGroup*> line_group(lines.size(), nullptr);
  std::vector<char> reads_rows(lines.size(), 0);
  if (options.metric_series || options.metrics) {
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (!converted[i]) continue;
      const auto* rule = options.registry->rule(converted[i]->product_type);
      MetricGroup& group = groups[GroupKey(converted[i]->resource_id, converted[i]->timestamp)];
      line_group[i] = &group;
      if (!rule) continue;
      group.metric_keys.insert(group.metric_keys.end(), rule->metric_keys.begin(),
                               rule->metric_keys.end());
      const auto* handler = options.registry->handler(rule->handler);
      reads_rows[i] = handler == nullptr || handler->reads_metric_rows;
    }
    for (auto& [key, group] : groups) {
      std::sort(group.metric_keys.begin(), group.metric_keys.end());
      group.metric_keys.erase(std::unique(group.metric_keys.begin(), group.metric_keys.end()),
                              group.metric_keys.end());
    }
    // A resource none of whose lines names a metric has no group: its lines see no metrics
    // source at all, as before.
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (line_group[i] == nullptr) continue;
      if (line_group[i]->metric_keys.empty()) {
        line_group[i] = nullptr;
      } else {
        line_group[i]->uses_left++;
      }
    }
  }
  // Fills a group; only touches the group, so groups can be fetched on several threads.
  auto fetch_group = [&options, &tenant](MetricGroup& group) {
    group.series.resize(group.metric_keys.size());
    for (std::size_t k = 0; k < group.metric_keys.size(); ++k) {
      const std::string& metric = group.metric_keys[k];
      auto series =
          fetch_metric(options, metric, group.resource_id, group.start, group.start + 86400);
      if (series) {
        group.series[k] = std::move(*series);
      } else {
        group.failed = true;
        group.outage = group.outage || ccloud::gave_up_retrying(series.error());
        spdlog::warn("tenant={} event=metrics_fetch_failed resource_id={} metric={} error={}",
                     tenant.name, group.resource_id, metric, series.error());
      }
    }
    group.parts.reserve(group.series.size());
    for (const auto& s : group.series) group.parts.emplace_back(s);
    if (group.parts.size() > 1) {
      std::vector<const allocation::MetricsIndex*> parts;
      for (const auto& part : group.parts) parts.push_back(&part);
      group.merged.emplace(parts);
    }
  };
  // The groups in the order the lines first need them. With metrics_prefetch_workers > 1 the
  // next ones are fetched ahead, that many at a time, while the lines allocate.
  std::vector<MetricGroup*> order;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    MetricGroup* g = line_group[i];
    if (g == nullptr || g->ordered) continue;
    g->ordered = true;
    g->order = order.size();
    g->resource_id = converted[i]->resource_id;
    g->start = converted[i]->timestamp;
    order.push_back(g);
  }
  const std::size_t workers = static_cast<std::size_t>(std::max(1, options.prefetch_workers));
  std::size_t launched = 0;  // groups whose fetch has started ahead
  auto fetch = [&](MetricGroup& group) {
    if (group.fetched) return;
    if (workers > 1) {
      for (; launched < order.size() && launched < group.order + workers; ++launched) {
        MetricGroup* ahead = order[launched];
        ahead->fetching =
            std::async(std::launch::async, [&fetch_group, ahead] { fetch_group(*ahead); });
      }
      group.fetching.wait();
    } else {
      fetch_group(group);
    }
    group.fetched = true;
  };

  FactMaker to_fact;
  // Every handler but one that reads rows (Flink) reads the group's index and gets this.
  const std::vector<allocation::MetricRow> no_rows;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const storage::BillingRecord& record = lines[i];
    auto& line = converted[i];
    out.lines++;
    std::string error;
    std::vector<allocation::ChargebackRow> rows;
    if (line) {
      inputs.metrics = nullptr;
      inputs.metrics_index = nullptr;
      inputs.metrics_fetch_failed = false;
      MetricGroup* group = line_group[i];
      if (group != nullptr) {
        fetch(*group);
        inputs.metrics_index = group->index();
        if (reads_rows[i] && !group->rows_made) {
          group->rows_made = true;
          for (const auto& series : group->series) {
            auto part = allocation::to_rows(series);
            group->rows.insert(group->rows.end(), std::make_move_iterator(part.begin()),
                               std::make_move_iterator(part.end()));
          }
        }
        // Only a handler that reads rows reads them; the others read the index alone.
        inputs.metrics = reads_rows[i] ? &group->rows : &no_rows;
        inputs.metrics_fetch_failed = group->failed;
        if (group->outage && record.allocation_attempts + 1 < tenant.allocation_retry_limit) {
          out.attempts.emplace_back(record, record.allocation_attempts + 1);
          out.error = line_key(record) + ": metrics source unavailable (retried later)";
          if (--group->uses_left == 0) groups.erase(GroupKey(line->resource_id, line->timestamp));
          continue;
        }
      }
      auto allocated = allocation::allocate_line(*line, inputs, *options.registry);
      if (allocated) {
        rows = std::move(*allocated);
      } else {
        error = allocated.error();
      }
      if (group != nullptr && --group->uses_left == 0) {
        groups.erase(GroupKey(line->resource_id, line->timestamp));
      }
    } else {
      error = line.error();
    }
    if (error.empty()) {
      for (auto& r : rows) out.facts.push_back(to_fact(std::move(r)));
      continue;
    }
    const bool hopeless = error.rfind(kAmountNotANumber, 0) == 0;
    const std::int64_t attempts = record.allocation_attempts + 1;
    if (hopeless) {
      out.warnings.push_back(line_key(record) + " on " + record.timestamp.substr(0, 10) + ": " +
                             error + " (kept as received in billing; allocated nothing)");
    } else if (attempts < tenant.allocation_retry_limit) {
      out.attempts.emplace_back(record, attempts);
      out.error = line_key(record) + ": " + error;
      continue;
    }
    // At the limit: one UNALLOCATED row keeps the money visible and lets the date complete.
    out.failed_for_good++;
    allocation::BillingLine failed_line;
    if (line) {
      failed_line = *line;
    } else {
      // The line itself is unreadable (e.g. its amount): record the failure with a zero amount
      // rather than block the date forever; the error names the line.
      failed_line.ecosystem = tenant.ecosystem;
      failed_line.tenant_id = tenant.tenant_id;
      failed_line.timestamp = epoch_of(record.timestamp).value_or(0);
      failed_line.env_id = record.env_id;
      failed_line.resource_id = record.resource_id;
      failed_line.product_category = record.product_category;
      failed_line.product_type = record.product_type;
    }
    auto failed = allocation::allocation_failed_row(failed_line, static_cast<int>(attempts), error);
    if (failed) {
      out.facts.push_back(to_fact(std::move(*failed)));
      continue;
    }
    out.error = line_key(record) + ": " + failed.error();
  }
  return out;
}

// The dates' outcomes on their way from the allocating thread to the writing one, at most
// `capacity` of them: each is a future, prepared on a thread of its own (ChargebackStore::
// prepare) while the next date is allocated and an earlier one written. On 2 cores the three
// share the CPU, and the stage takes about their total divided by the cores, not the sum.
class Handoff {
 public:
  explicit Handoff(std::size_t capacity) : capacity_(capacity) {}

  // Waits for room; false once closed (the outcome is dropped).
  bool push(std::future<DateOutcome> outcome) {
    std::unique_lock<std::mutex> lock(mutex_);
    room_.wait(lock, [&] { return closed_ || queue_.size() < capacity_; });
    if (closed_) return false;
    queue_.push_back(std::move(outcome));
    ready_.notify_one();
    return true;
  }
  // The next outcome, waiting for it; nullopt once closed and empty.
  std::optional<std::future<DateOutcome>> pop() {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait(lock, [&] { return closed_ || !queue_.empty(); });
    if (queue_.empty()) return std::nullopt;
    auto outcome = std::move(queue_.front());
    queue_.pop_front();
    room_.notify_one();
    return outcome;
  }
  // No more pushes: the producer stops at its next one, the consumer after the queue.
  void close() {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    room_.notify_all();
    ready_.notify_all();
  }
  bool closed() {
    std::lock_guard<std::mutex> lock(mutex_);
    return closed_;
  }

 private:
  const std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable room_;
  std::condition_variable ready_;
  std::deque<std::future<DateOutcome>> queue_;
  bool closed_ = false;
};

// A batch of dates (one transaction) ends after this many fact rows or this long.
constexpr std::int64_t kBatchRows = 250'000;
constexpr auto kBatchTime = std::chrono::seconds(2);

// SQLite copies the WAL back into the database file (a checkpoint, with an fsync) at the first
// commit after the WAL passes wal_autocheckpoint pages, 1000 by default. The stage commits batch
// after batch and each rewrites most leaves of the facts' dimension_id index,
// so by default it checkpointed after nearly every date: every page written twice. During the
// stage the limit is raised (1 GiB of WAL at 4 KiB pages) and one checkpoint at the end copies
// each page once; the previous limit is then restored. Meanwhile a WalFlusher writes the WAL to
// disk after each commit, beside the next dates' work, so that the final checkpoint does
// not first wait for the whole stage's WAL to reach the disk. Nothing here is needed for
// correctness: a failure only costs speed, so it is logged, not returned.
class DeferredCheckpoints {
 public:
  explicit DeferredCheckpoints(storage::Database& db) : db_(db) {
    if (db_.dialect() != Dialect::sqlite) return;
    auto current = db_.query("PRAGMA wal_autocheckpoint");
    if (!current || current->empty()) return;
    previous_pages_ = current->front().get_int(0);
    active_ =
        static_cast<bool>(db_.execute("PRAGMA wal_autocheckpoint=" + std::to_string(kStagePages)));
    if (const std::string file = db_.file_path(); active_ && !file.empty()) {
      flusher_.emplace(file + "-wal", db_.describe());
    }
  }
  ~DeferredCheckpoints() {
    flusher_.reset();  // a requested sync finishes first
    if (!active_) return;
    Status restored = db_.execute("PRAGMA wal_autocheckpoint=" + std::to_string(previous_pages_));
    // TRUNCATE also gives the WAL's disk space back. With a reader in the middle of the WAL (the
    // report API on another connection) it copies what it can; the rest follows later.
    auto checkpoint = db_.query("PRAGMA wal_checkpoint(TRUNCATE)");
    if (!restored || !checkpoint) {
      spdlog::warn("event=wal_checkpoint_failed database={} error={}", db_.describe(),
                   !restored ? restored.message() : checkpoint.error());
    }
  }
  DeferredCheckpoints(const DeferredCheckpoints&) = delete;
  DeferredCheckpoints& operator=(const DeferredCheckpoints&) = delete;

  // After each date's commit: start writing what it added to the WAL to disk.
  void committed() {
    if (flusher_) flusher_->request();
  }
  // The last commit's sync done, the WAL syncs there were (before the final checkpoint).
  std::int64_t finish_syncing() { return flusher_ ? flusher_->finish().flushes : 0; }

 private:
  static constexpr std::int64_t kStagePages = 262144;
  storage::Database& db_;
  std::int64_t previous_pages_ = 0;
  bool active_ = false;
  std::optional<storage::WalFlusher> flusher_;
};

// Dates are written in batches, each one transaction: a date is never half-written, a failed
// batch leaves all its dates pending, and a batch ends after kBatchRows fact rows or
// kBatchTime, so readers see progress and a crash costs little work. One transaction per date
// wrote every leaf of the facts' dimension_id index again at each commit (each date adds an
// entry beside each dimension's previous one).
class DateBatches {
 public:
  DateBatches(storage::Database& db, storage::ChargebackStore& chargebacks,
              DeferredCheckpoints& checkpoints)
      : db_(db), chargebacks_(chargebacks), checkpoints_(checkpoints) {}

  // `date` goes into the open batch, or a new one.
  Status add(const std::string& date) {
    last_ = date;
    if (tx_) return Status::ok();
    tx_.emplace(db_, storage::TxMode::immediate);
    if (Status begun = tx_->begin_status(); !begun) {
      tx_.reset();
      return begun;
    }
    first_ = date;
    rows_ = 0;
    began_ = std::chrono::steady_clock::now();
    return Status::ok();
  }
  void wrote(std::int64_t rows) { rows_ += rows; }
  bool full() const {
    return rows_ >= kBatchRows || std::chrono::steady_clock::now() - began_ >= kBatchTime;
  }
  // Commits the open batch, if any; a failed commit is given up like abandon().
  Status commit() {
    if (!tx_) return Status::ok();
    if (Status s = tx_->commit(); !s) {
      return abandon(first_ == last_ ? last_ : first_ + " to " + last_, s.message());
    }
    tx_.reset();
    chargebacks_.transaction_committed();
    checkpoints_.committed();
    return Status::ok();
  }
  // Rolls the open batch back; `what` (its dates) and `why` make the error.
  Status abandon(const std::string& what, const std::string& why) {
    tx_.reset();
    chargebacks_.transaction_rolled_back();
    return Status::error("writing chargebacks of " + what + ": " + why);
  }

 private:
  storage::Database& db_;
  storage::ChargebackStore& chargebacks_;
  DeferredCheckpoints& checkpoints_;
  std::optional<storage::Transaction> tx_;
  std::string first_;
  std::string last_;
  std::int64_t rows_ = 0;
  std::chrono::steady_clock::time_point began_;
};

}  // namespace

allocation::AllocatorParams allocator_params_of(const nlohmann::json& plugin_settings) {
  allocation::AllocatorParams params;
  if (!plugin_settings.is_object() || !plugin_settings.contains("allocator_params")) return params;
  const auto& p = plugin_settings["allocator_params"];
  if (!p.is_object()) return params;
  for (auto it = p.begin(); it != p.end(); ++it) {
    params[it.key()] = it->is_string() ? it->get<std::string>() : it->dump();
  }
  return params;
}

Result<CalculateReport> calculate_pending(storage::Database& db, const config::TenantConfig& tenant,
                                          const CalculateOptions& options) {
  CalculateReport report;
  storage::BillingStore billing(db, tenant.ecosystem, tenant.tenant_id);
  storage::InventoryStore inventory(db, tenant.ecosystem, tenant.tenant_id);
  storage::ChargebackStore chargebacks(db, tenant.ecosystem, tenant.tenant_id);
  auto pending = billing.pending_dates();
  if (!pending) return pending.status();
  if (pending->empty()) return report;
  // The UNALLOCATED identity the rows name when nobody can be charged: stored (type system) so
  // that reports, joins and the UI show it like any identity, as the original does.
  {
    storage::IdentityRecord unallocated;
    unallocated.identity_id = std::string(allocation::kUnallocatedId);
    unallocated.identity_type = "system";
    unallocated.display_name = "Unallocated";
    if (auto s =
            inventory.upsert_identities({unallocated}, storage::utc_timestamp(std::time(nullptr)));
        !s) {
      return s.status();
    }
  }
  // The allocation thread looks dimensions up in the store's cache: fill it first.
  if (auto s = chargebacks.load_dimensions(); !s) return s;
  DeferredCheckpoints deferred_checkpoints(db);  // after every date's transaction has ended
  PendingInventory alive;
  if (auto s = alive.load(inventory, storage::day_bounds(pending->front()).first,
                          storage::day_bounds(pending->back()).second, tenant);
      !s) {
    return s;
  }

  // The billing lines of every pending date, read here: the allocating thread touches no
  // database (they are small next to the facts they become).
  std::vector<std::vector<storage::BillingRecord>> lines_of;
  lines_of.reserve(pending->size());
  for (const auto& date : *pending) {
    auto lines = billing.lines_for_date(date);
    if (!lines) return lines.status();
    lines_of.push_back(std::move(*lines));
  }
  allocation::ResolutionCache resolutions;
  // One thread allocates the dates in order (the inventory, the resolution cache and the
  // metrics source are used by it alone) and hands each to a thread of its own that prepares
  // its facts for writing (their dimensions looked up, sorted, their strings freed), while this
  // thread writes. Declared after everything they read, and closed and joined on every way out.
  Handoff handoff(1);
  std::thread allocating([&] {
    try {
      std::size_t expected_facts = 0;
      for (std::size_t k = 0; k < pending->size() && !handoff.closed(); ++k) {
        auto [start, end] = storage::day_bounds((*pending)[k]);
        const PendingInventory::Day day = alive.day(start, end);
        // Resolutions are shared by a date's lines and from one date to the next while the
        // inventory stays the same.
        if (day.changed) resolutions.clear();
        DateOutcome outcome =
            allocate_date(lines_of[k], day, tenant, options, resolutions, expected_facts);
        std::vector<storage::BillingRecord>().swap(lines_of[k]);
        expected_facts = outcome.facts.size() + outcome.facts.size() / 8;
        auto prepared =
            std::async(std::launch::async, [&chargebacks, outcome = std::move(outcome)]() mutable {
              outcome.prepared = chargebacks.prepare(outcome.facts);
              std::vector<storage::ChargebackFactRecord>().swap(outcome.facts);
              return std::move(outcome);
            });
        if (!handoff.push(std::move(prepared))) break;
      }
    } catch (...) {
      // The writing thread gets the exception from the date's future, as from std::async.
      std::promise<DateOutcome> failed;
      failed.set_exception(std::current_exception());
      handoff.push(failed.get_future());
    }
  });
  struct Joiner {
    Handoff& handoff;
    std::thread& thread;
    ~Joiner() {
      handoff.close();
      thread.join();
    }
  } joiner{handoff, allocating};

  DateBatches batches(db, chargebacks, deferred_checkpoints);
  for (std::size_t k = 0; k < pending->size(); ++k) {
    const std::string& date = (*pending)[k];
    const auto wait_began = std::chrono::steady_clock::now();
    auto next = handoff.pop();
    if (!next) break;  // not reached: only this thread closes it
    DateOutcome outcome = next->get();
    const auto write_began = std::chrono::steady_clock::now();
    report.allocation_wait_seconds +=
        std::chrono::duration<double>(write_began - wait_began).count();
    if (options.stop.stop_requested()) {
      report.interrupted = true;
      break;
    }
    report.lines += outcome.lines;
    for (auto& w : outcome.warnings) {
      spdlog::warn("tenant={} event=billing_line_not_allocatable {}", tenant.name, w);
      report.warnings.push_back(std::move(w));
    }

    if (auto s = batches.add(date); !s) return s;
    if (options.on_date) options.on_date(date);
    if (!outcome.error.empty()) {
      // The date stays pending; only the attempt counters are kept.
      for (const auto& [line, attempts] : outcome.attempts) {
        if (auto s = billing.set_allocation_attempts(line, attempts); !s) {
          return batches.abandon(date, s.message());
        }
      }
      report.dates_left_pending++;
      report.errors.push_back(date + ": " + outcome.error);
      spdlog::warn("tenant={} event=calculation_deferred tracking_date={} error={}", tenant.name,
                   date, outcome.error);
    } else {
      auto written = chargebacks.replace_date_prepared(date, std::move(outcome.prepared));
      Status status = written.status();
      if (status)
        status = billing.mark_calculated(date, options.run_id,
                                         "run-" + std::to_string(options.run_id) + "-" + date);
      if (!status) return batches.abandon(date, status.message());
      batches.wrote(*written);
      report.dates_calculated++;
      report.rows_written += *written;
      report.lines_failed_for_good += outcome.failed_for_good;
    }
    if (k + 1 == pending->size() || batches.full()) {
      if (auto s = batches.commit(); !s) return s;
    }
    report.write_seconds +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - write_began).count();
  }
  if (auto s = batches.commit(); !s) return s;  // what an interruption left open
  report.wal_syncs = deferred_checkpoints.finish_syncing();
  return report;
}

}  // namespace chitragupt::pipeline
