#pragma once
// The original's chitragupta_* gauges, kept in one process-wide registry that every tenant's
// prometheus emitter writes into and /metrics (and an optional second listener) reads.
//
// Promises:
// - Thread-safe: tenants emit from their own threads while HTTP handlers render.
// - replace_tenant_slice() swaps one tenant's samples of every family at once; a reader sees
//   the old slice or the new one, never a mix (the original: "each emit replaces that tenant's
//   slice", last call wins).
// - render_gauges() is valid Prometheus text exposition (format 0.0.4): HELP and TYPE once per
//   family that has samples, label values escaped, one line per label set; "" when empty.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace chitragupt::emitters {

// The gauge families, in the order they are rendered.
enum class GaugeFamily {
  chargeback_amount,
  billing_amount,
  resource_active,
  identity_active,
  topic_attribution_amount,  // the topic-attribution emitter's (replace_tenant_topic_slice)
};
const char* family_name(GaugeFamily family);  // "chitragupta_chargeback_amount", ...

struct GaugeSample {
  GaugeFamily family = GaugeFamily::chargeback_amount;
  // Label names and values in exposition order; values are escaped when rendered.
  std::vector<std::pair<std::string, std::string>> labels;
  std::string value;              // exact decimal text ("12.3400", "1")
  std::int64_t timestamp_ms = 0;  // the billing date's midnight UTC, in milliseconds
};

// Replaces every sample of (ecosystem, tenant_id) with `samples`.
void replace_tenant_slice(const std::string& ecosystem, const std::string& tenant_id,
                          std::vector<GaugeSample> samples);
// Replaces only the topic_attribution_amount samples of (ecosystem, tenant_id); the other
// families' samples stay (replace_tenant_slice likewise keeps these).
void replace_tenant_topic_slice(const std::string& ecosystem, const std::string& tenant_id,
                                std::vector<GaugeSample> samples);
// Whether (ecosystem, tenant_id) has a slice (possibly empty) since the process started.
bool has_tenant_slice(const std::string& ecosystem, const std::string& tenant_id);
// Drops every slice (tests).
void clear_gauges();

// The whole registry as Prometheus text exposition; "" when no tenant has samples.
std::string render_gauges();

// Escapes a label value for the text exposition: \ -> \\, " -> \", newline -> \n.
std::string escape_label_value(const std::string& value);

}  // namespace chitragupt::emitters
