#include "emitters/emission_runner.hpp"

#include <httplib.h>

#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include <spdlog/spdlog.h>

#include "allocation/money.hpp"
#include "emitters/chargeback_rows.hpp"
#include "emitters/csv_file.hpp"
#include "emitters/prometheus_gauges.hpp"
#include "sources/civil_date.hpp"
#include "storage/billing_store.hpp"
#include "storage/emission_store.hpp"
#include "storage/inventory_store.hpp"

namespace chitragupt::emitters {
namespace {

constexpr const char* kPipeline = "chargeback";

std::string next_day(const std::string& date) {
  auto d = ccloud::CivilDate::parse(date);
  return d ? d->plus_days(1).to_string() : date;
}

std::string next_month_first(const std::string& date) {
  int y = std::stoi(date.substr(0, 4));
  int m = std::stoi(date.substr(5, 2)) + 1;
  if (m == 13) {
    m = 1;
    ++y;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-01", y % 10000, m);
  return buf;
}

// One emission: `date` names it (the 1st for a monthly one), rows cover [first, end).
struct Unit {
  std::string date;
  std::string first;
  std::string end;
  std::vector<std::string> pending;  // the dates whose outcome this records
};

std::vector<Unit> units_of(const std::vector<std::string>& pending, Aggregation aggregation) {
  std::vector<Unit> units;
  for (const auto& d : pending) {
    if (aggregation == Aggregation::monthly) {
      std::string first = d.substr(0, 7) + "-01";
      if (units.empty() || units.back().date != first) {
        units.push_back({first, first, next_month_first(first), {}});
      }
      units.back().pending.push_back(d);
    } else {
      units.push_back({d, d, next_day(d), {d}});
    }
  }
  return units;
}

Status emit_csv(const EmitTarget& t, const EmitterSpec& spec, const Unit& u) {
  std::string why;
  auto name = expand_filename_template(
      spec.filename_template,
      {{"tenant_id", t.tenant_id}, {"tenant_name", t.tenant_name}, {"date", u.date}}, &why);
  if (!name) return Status::error("filename_template: " + why);
  if (name->empty() || *name == "." || *name == ".." || name->find('/') != std::string::npos) {
    return Status::error("filename_template gives an unusable file name for " + u.date);
  }
  auto rows =
      read_chargeback_rows(t.db, t.ecosystem, t.tenant_id, u.first, u.end, spec.aggregation);
  if (!rows) return rows.status();
  return write_file_atomically(spec.output_dir, *name,
                               chargeback_csv(*rows, t.ecosystem, t.tenant_id));
}

using Labels = std::vector<std::pair<std::string, std::string>>;

// Sums per label set: the gauges' labels are coarser than the stored keys (no env_id, no
// allocation_detail), and a series may appear only once in the exposition.
void add(std::map<Labels, allocation::Money>& into, Labels labels, allocation::Money amount) {
  auto [it, fresh] = into.try_emplace(std::move(labels), amount);
  if (!fresh) it->second += amount;
}

Status emit_prometheus(const EmitTarget& t, const EmitterSpec& spec, const Unit& u) {
  if (spec.port) {
    auto bound = ensure_gauge_listener(spec.host, *spec.port);
    if (!bound) return bound.status();
  }
  auto day = ccloud::CivilDate::parse(u.first);
  if (!day) return Status::error("bad date " + u.first);
  const std::int64_t ts_ms = day->epoch_seconds() * 1000;
  const std::string start = u.first + " 00:00:00", end = u.end + " 00:00:00";
  std::vector<GaugeSample> samples;
  auto push = [&](GaugeFamily f, std::map<Labels, allocation::Money>& sums) {
    for (auto& [labels, amount] : sums) samples.push_back({f, labels, amount.to_string(), ts_ms});
  };

  auto rows =
      read_chargeback_rows(t.db, t.ecosystem, t.tenant_id, u.first, u.end, Aggregation::hourly);
  if (!rows) return rows.status();
  std::map<Labels, allocation::Money> charge;
  for (const auto& r : *rows) {
    add(charge,
        {{"tenant_id", t.tenant_id},
         {"ecosystem", t.ecosystem},
         {"identity_id", r.identity_id},
         {"resource_id", r.resource_id},
         {"product_type", r.product_type},
         {"cost_type", r.cost_type},
         {"allocation_method", r.allocation_method}},
        allocation::Money::from_units(r.amount_units));
  }
  push(GaugeFamily::chargeback_amount, charge);

  storage::BillingStore billing(t.db, t.ecosystem, t.tenant_id);
  std::map<Labels, allocation::Money> billed;
  for (std::string d = u.first; d < u.end; d = next_day(d)) {
    auto lines = billing.lines_for_date(d);
    if (!lines) return Status::error("reading billing lines: " + lines.error());
    for (const auto& l : *lines) {
      auto amount = allocation::Money::parse(l.total_cost);
      // An amount that is not a number is no gauge value; the calculate stage reported it.
      if (!amount) continue;
      add(billed,
          {{"tenant_id", t.tenant_id},
           {"ecosystem", t.ecosystem},
           {"resource_id", l.resource_id},
           {"product_type", l.product_type},
           {"product_category", l.product_category}},
          *amount);
    }
  }
  push(GaugeFamily::billing_amount, billed);

  storage::InventoryStore inventory(t.db, t.ecosystem, t.tenant_id);
  auto resources = inventory.resources_alive(start, end);
  if (!resources) return Status::error("reading resources: " + resources.error());
  for (const auto& r : *resources) {
    samples.push_back({GaugeFamily::resource_active,
                       {{"tenant_id", t.tenant_id},
                        {"ecosystem", t.ecosystem},
                        {"resource_id", r.resource_id},
                        {"resource_type", r.resource_type}},
                       "1",
                       ts_ms});
  }
  auto identities = inventory.identities_alive(start, end);
  if (!identities) return Status::error("reading identities: " + identities.error());
  for (const auto& i : *identities) {
    samples.push_back({GaugeFamily::identity_active,
                       {{"tenant_id", t.tenant_id},
                        {"ecosystem", t.ecosystem},
                        {"identity_id", i.identity_id},
                        {"identity_type", i.identity_type}},
                       "1",
                       ts_ms});
  }
  replace_tenant_slice(t.ecosystem, t.tenant_id, std::move(samples));
  return Status::ok();
}

Status emit_unit(const EmitTarget& t, const EmitterSpec& spec, const Unit& u) {
  return spec.type == EmitterType::csv ? emit_csv(t, spec, u) : emit_prometheus(t, spec, u);
}

}  // namespace

EmitReport run_emitters(const EmitTarget& t, const std::vector<EmitterSpec>& specs,
                        const std::string& today) {
  EmitReport report;
  storage::EmissionStore store(t.db, t.ecosystem, t.tenant_id);
  for (const auto& spec : specs) {
    const std::string who = std::string(to_string(spec.type)) + " emitter '" + spec.name + "'";
    auto warn = [&](const std::string& message) {
      report.warnings.push_back(who + ": " + message);
      spdlog::warn("tenant={} event=emitter_runner_degraded emitter_name={} pipeline={} error={}",
                   t.tenant_name, spec.name, kPipeline, message);
    };
    std::string since;
    if (spec.lookback_days) {
      auto d = ccloud::CivilDate::parse(today);
      if (d) since = d->plus_days(-*spec.lookback_days).to_string();
    }
    auto pending = store.pending_dates(spec.name, kPipeline, since);
    if (!pending) {
      warn(pending.error());
      continue;
    }
    std::vector<Unit> units = units_of(*pending, spec.aggregation);
    // Each prometheus emit replaces the tenant's slice, so only the newest unit would remain:
    // build that one and record its outcome for every pending date.
    if (spec.type == EmitterType::prometheus && units.size() > 1) {
      Unit newest = units.back();
      newest.pending = *pending;
      units = {newest};
    }
    // After a restart the in-memory gauges are empty while every date is already emitted:
    // rebuild them from the newest emitted date (not recorded again).
    if (spec.type == EmitterType::prometheus && units.empty() &&
        !has_tenant_slice(t.ecosystem, t.tenant_id)) {
      auto last = store.last_emitted(spec.name, kPipeline);
      if (last && !last->empty()) {
        std::string first =
            spec.aggregation == Aggregation::monthly ? last->substr(0, 7) + "-01" : *last;
        Unit u{first,
               first,
               spec.aggregation == Aggregation::monthly ? next_month_first(first) : next_day(first),
               {}};
        if (auto s = emit_unit(t, spec, u); !s) warn(s.message());
      }
    }
    for (const auto& u : units) {
      Status s = emit_unit(t, spec, u);
      const char* outcome = s ? "emitted" : "failed";
      if (!s) warn("date " + u.date + ": " + s.message());
      for (const auto& d : u.pending) {
        if (auto r = store.record(spec.name, kPipeline, d, outcome); !r) {
          warn(r.message());
        } else if (s) {
          ++report.dates_emitted;
        } else {
          ++report.dates_failed;
        }
      }
    }
  }
  return report;
}

Result<int> ensure_gauge_listener(const std::string& host, int port) {
  static std::mutex mutex;
  static std::map<std::pair<std::string, int>, int> running;  // (host, port) -> bound port
  std::lock_guard<std::mutex> lock(mutex);
  if (port != 0) {
    if (auto it = running.find({host, port}); it != running.end()) return it->second;
  }
  // Leaked on purpose: it serves until the process exits, like the original's
  // start_http_server.
  auto* server = new httplib::Server();
  // httplib's default sets SO_REUSEPORT, which lets a second process share a port already in
  // use without an error; a taken port must be reported instead.
  server->set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  server->Get("/metrics", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(render_gauges(), "text/plain; version=0.0.4; charset=utf-8");
  });
  int bound =
      port == 0 ? server->bind_to_any_port(host) : (server->bind_to_port(host, port) ? port : -1);
  if (bound <= 0) {
    delete server;
    return Status::error("cannot listen for the gauges on " + host + ":" + std::to_string(port));
  }
  std::thread([server] { server->listen_after_bind(); }).detach();
  running[{host, port == 0 ? bound : port}] = bound;
  return bound;
}

}  // namespace chitragupt::emitters
