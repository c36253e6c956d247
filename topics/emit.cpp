#include "topics/emit.hpp"

#include <chrono>
#include <ctime>
#include <map>

#include <spdlog/spdlog.h>

#include "allocation/money.hpp"
#include "common/csv.hpp"
#include "emitters/csv_file.hpp"
#include "emitters/emission_runner.hpp"
#include "emitters/prometheus_gauges.hpp"
#include "storage/chargeback_store.hpp"
#include "storage/emission_store.hpp"

namespace chitragupt::topics {
namespace {

constexpr const char* kPipeline = "topic_attribution";

struct Fact {
  std::string timestamp, env_id, cluster, topic, category, type, method;
  std::int64_t units = 0;
};

Result<std::vector<Fact>> facts_of(storage::Database& db, const std::string& ecosystem,
                                   const std::string& tenant_id, const std::string& date) {
  auto [start, end] = storage::day_bounds(date);
  auto rows = db.query(
      "SELECT f.timestamp, d.env_id, d.cluster_resource_id, d.topic_name, d.product_category, "
      "d.product_type, d.attribution_method, f.amount FROM topic_attribution_facts f JOIN "
      "topic_attribution_dimensions d ON d.dimension_id = f.dimension_id WHERE d.ecosystem = ? "
      "AND d.tenant_id = ? AND f.timestamp >= ? AND f.timestamp < ? ORDER BY f.timestamp, "
      "f.dimension_id",
      {ecosystem, tenant_id, start, end});
  if (!rows) return rows.status();
  std::vector<Fact> out;
  for (const auto& r : *rows) {
    out.push_back({r.get_text(0), r.get_text(1), r.get_text(2), r.get_text(3), r.get_text(4),
                   r.get_text(5), r.get_text(6), r.get_int(7)});
  }
  return out;
}

std::int64_t midnight_ms(const std::string& date) {
  std::tm tm{};
  strptime(date.c_str(), "%Y-%m-%d", &tm);
  return static_cast<std::int64_t>(timegm(&tm)) * 1000;
}

Status emit_one(const TopicEmitTarget& t, const emitters::EmitterSpec& spec,
                const std::string& date) {
  if (spec.type == emitters::EmitterType::csv) {
    auto csv = topic_attribution_csv(t.db, t.ecosystem, t.tenant_id, date);
    if (!csv) return csv.status();
    std::string why;
    auto name = emitters::expand_filename_template(
        spec.filename_template,
        {{"tenant_id", t.tenant_id}, {"tenant_name", t.tenant_name}, {"date", date}}, &why);
    if (!name) return Status::error(why);
    return emitters::write_file_atomically(spec.output_dir, *name, *csv);
  }
  if (spec.port) {
    auto bound = emitters::ensure_gauge_listener(spec.host, *spec.port);
    if (!bound) return bound.status();
  }
  auto facts = facts_of(t.db, t.ecosystem, t.tenant_id, date);
  if (!facts) return facts.status();
  using Labels = std::vector<std::pair<std::string, std::string>>;
  std::map<Labels, std::int64_t> sums;  // hourly rows of one label set add up
  for (const auto& f : *facts) {
    sums[{{"tenant_id", t.tenant_id},
          {"ecosystem", t.ecosystem},
          {"env_id", f.env_id},
          {"cluster_resource_id", f.cluster},
          {"topic_name", f.topic},
          {"product_category", f.category},
          {"product_type", f.type},
          {"attribution_method", f.method}}] += f.units;
  }
  std::vector<emitters::GaugeSample> samples;
  const std::int64_t ts = midnight_ms(date);
  for (auto& [labels, units] : sums) {
    samples.push_back({emitters::GaugeFamily::topic_attribution_amount, labels,
                       allocation::Money::from_units(units).to_string(), ts});
  }
  emitters::replace_tenant_topic_slice(t.ecosystem, t.tenant_id, std::move(samples));
  return Status::ok();
}

}  // namespace

Result<std::string> topic_attribution_csv(storage::Database& db, const std::string& ecosystem,
                                          const std::string& tenant_id, const std::string& date) {
  auto facts = facts_of(db, ecosystem, tenant_id, date);
  if (!facts) return facts.status();
  std::string csv =
      "ecosystem,tenant_id,timestamp,env_id,cluster_resource_id,topic_name,product_category,"
      "product_type,attribution_method,amount\r\n";
  for (const auto& f : *facts) {
    std::string iso = f.timestamp;
    if (iso.size() >= 19) iso = iso.substr(0, 10) + "T" + iso.substr(11, 8) + "+00:00";
    const std::string fields[] = {ecosystem,  tenant_id,
                                  iso,        f.env_id,
                                  f.cluster,  f.topic,
                                  f.category, f.type,
                                  f.method,   allocation::Money::from_units(f.units).to_string()};
    for (std::size_t i = 0; i < 10; ++i) {
      if (i) csv += ',';
      append_csv_field(csv, fields[i]);
    }
    csv += "\r\n";
  }
  return csv;
}

TopicEmitReport emit_topic_attribution(const TopicEmitTarget& t, const TopicSettings& settings,
                                       const std::string& today) {
  TopicEmitReport report;
  if (!settings.enabled || settings.emitters.empty()) return report;
  storage::EmissionStore records(t.db, t.ecosystem, t.tenant_id);
  for (const auto& spec : settings.emitters) {
    std::string since;
    if (spec.lookback_days) {
      std::tm tm{};
      strptime(today.c_str(), "%Y-%m-%d", &tm);
      std::time_t s = timegm(&tm) - static_cast<std::time_t>(*spec.lookback_days) * 86400;
      char buf[16];
      std::strftime(buf, sizeof buf, "%Y-%m-%d", std::gmtime(&s));
      since = buf;
    }
    auto dates = t.db.query(
        "SELECT s.tracking_date FROM pipeline_state s WHERE s.ecosystem = ? AND s.tenant_id = ? "
        "AND s.topic_attribution_calculated = 1 AND s.tracking_date >= ? AND NOT EXISTS (SELECT "
        "1 FROM emission_records e WHERE e.ecosystem = s.ecosystem AND e.tenant_id = s.tenant_id "
        "AND e.emitter_name = ? AND e.pipeline = ? AND e.date = s.tracking_date AND e.status = "
        "'emitted') ORDER BY s.tracking_date",
        {t.ecosystem, t.tenant_id, since, spec.name, std::string(kPipeline)});
    if (!dates) {
      report.warnings.push_back("topic emitter '" + spec.name + "': " + dates.error());
      continue;
    }
    for (const auto& r : *dates) {
      const std::string date = r.get_text(0);
      Status s = emit_one(t, spec, date);
      (void)records.record(spec.name, kPipeline, date, s ? "emitted" : "failed");
      if (s) {
        report.dates_emitted++;
      } else {
        report.warnings.push_back("topic emitter '" + spec.name + "' " + date + ": " + s.message());
        spdlog::warn("tenant={} event=topic_emit_failed emitter={} date={} error={}", t.tenant_name,
                     spec.name, date, s.message());
      }
    }
  }
  return report;
}

}  // namespace chitragupt::topics
