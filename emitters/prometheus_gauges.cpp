#include "emitters/prometheus_gauges.hpp"

#include <mutex>
#include <set>

namespace chitragupt::emitters {
namespace {

struct FamilyInfo {
  GaugeFamily family;
  const char* name;
  const char* help;
};

constexpr FamilyInfo kFamilies[] = {
    {GaugeFamily::chargeback_amount, "chitragupta_chargeback_amount",
     "Chargeback amount of the latest emitted billing date, per identity, resource and cost type"},
    {GaugeFamily::billing_amount, "chitragupta_billing_amount",
     "Billed amount of the latest emitted billing date, per resource and product"},
    {GaugeFamily::resource_active, "chitragupta_resource_active",
     "1 for each resource active on the latest emitted billing date"},
    {GaugeFamily::identity_active, "chitragupta_identity_active",
     "1 for each identity active on the latest emitted billing date"},
    {GaugeFamily::topic_attribution_amount, "chitragupta_topic_attribution_amount",
     "Topic attribution cost amount per topic/cluster/product combination"},
};

using SliceKey = std::pair<std::string, std::string>;  // ecosystem, tenant_id

struct Registry {
  std::mutex mutex;
  std::map<SliceKey, std::vector<GaugeSample>> slices;
};

Registry& registry() {
  static Registry r;  // process-wide, as the original's prometheus_client registry
  return r;
}

std::string series_text(const char* name, const GaugeSample& s) {
  std::string out = name;
  if (!s.labels.empty()) {
    out += '{';
    for (std::size_t i = 0; i < s.labels.size(); ++i) {
      if (i) out += ',';
      out += s.labels[i].first;
      out += "=\"";
      out += escape_label_value(s.labels[i].second);
      out += '"';
    }
    out += '}';
  }
  return out;
}

}  // namespace

const char* family_name(GaugeFamily family) {
  for (const auto& f : kFamilies) {
    if (f.family == family) return f.name;
  }
  return "";
}

std::string escape_label_value(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
  return out;
}

void replace_tenant_slice(const std::string& ecosystem, const std::string& tenant_id,
                          std::vector<GaugeSample> samples) {
  auto& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  auto& slice = r.slices[{ecosystem, tenant_id}];
  for (auto& s : slice) {
    if (s.family == GaugeFamily::topic_attribution_amount) samples.push_back(std::move(s));
  }
  slice = std::move(samples);
}

void replace_tenant_topic_slice(const std::string& ecosystem, const std::string& tenant_id,
                                std::vector<GaugeSample> samples) {
  auto& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  auto& slice = r.slices[{ecosystem, tenant_id}];
  for (auto& s : slice) {
    if (s.family != GaugeFamily::topic_attribution_amount) samples.push_back(std::move(s));
  }
  slice = std::move(samples);
}

bool has_tenant_slice(const std::string& ecosystem, const std::string& tenant_id) {
  auto& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  return r.slices.count({ecosystem, tenant_id}) > 0;
}

void clear_gauges() {
  auto& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.slices.clear();
}

std::string render_gauges() {
  auto& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  std::string out;
  for (const auto& family : kFamilies) {
    bool header = false;
    // A series appears once: the emitters aggregate per label set, this only guards the format.
    std::set<std::string> seen;
    for (const auto& [key, samples] : r.slices) {
      (void)key;
      for (const auto& s : samples) {
        if (s.family != family.family) continue;
        std::string series = series_text(family.name, s);
        if (!seen.insert(series).second) continue;
        if (!header) {
          out += std::string("# HELP ") + family.name + " " + family.help + "\n";
          out += std::string("# TYPE ") + family.name + " gauge\n";
          header = true;
        }
        out += series;
        out += ' ';
        out += s.value;
        out += ' ';
        out += std::to_string(s.timestamp_ms);
        out += '\n';
      }
    }
  }
  return out;
}

}  // namespace chitragupt::emitters
