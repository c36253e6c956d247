#include "focus/mapping.hpp"

#include <algorithm>
#include <numeric>

#include <nlohmann/json.hpp>

#include "allocation/decimal.hpp"
#include "allocation/money.hpp"
#include "focus/exact.hpp"

namespace chitragupt::focus {
namespace {

using exact::Dec;
using exact::int128;
using nlohmann::json;

constexpr int kQuantityScale = 10;  // decimals of a portion's PricingQuantity
constexpr int kRatioScale = 10;

int128 floor_div(int128 a, int128 b) {  // b > 0
  int128 q = a / b;
  if (a % b < 0) --q;
  return q;
}

// Integer shares of `target` in proportion to weights, where the exact share of portion i is
// numerator * w_i / (W * divisor): each within one unit of it (largest remainder, ties to the
// earlier portion). W == 0 splits evenly.
std::vector<int128> split(int128 numerator, int128 divisor, int128 target,
                          std::vector<std::int64_t> weights) {
  const std::size_t n = weights.size();
  std::vector<int128> out(n, 0);
  if (n == 0) return out;
  int128 w_total = 0;
  for (auto w : weights) w_total += w;
  if (w_total == 0) {
    std::fill(weights.begin(), weights.end(), 1);
    w_total = static_cast<int128>(n);
    numerator = target;
    divisor = 1;
  }
  if (w_total < 0) {
    for (auto& w : weights) w = -w;
    w_total = -w_total;
  }
  const int128 den = w_total * divisor;
  std::vector<std::pair<int128, std::size_t>> remainders;
  int128 assigned = 0;
  for (std::size_t i = 0; i < n; ++i) {
    int128 num = numerator * weights[i];
    out[i] = floor_div(num, den);
    remainders.emplace_back(num - out[i] * den, i);
    assigned += out[i];
  }
  int128 left = target - assigned;
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t k = 0; left > 0 && k < n; ++k, --left) ++out[remainders[k].second];
  // Not reached with consistent inputs (0 <= left <= n); keep the sum exact regardless.
  if (left != 0) out.back() += left;
  return out;
}

std::optional<Dec> plain(const std::string& text) {
  auto d = allocation::Decimal::parse(text);
  if (!d) return std::nullopt;
  return exact::parse_dec(d->to_string());
}

// Rounded half up to `scale` decimals (scale >= 0).
Dec rescale(Dec d, int scale) {
  if (d.scale <= scale) return *exact::align(d, scale);
  return Dec{exact::div_round(d.m, exact::pow10(d.scale - scale)), scale};
}

std::string money_text(int128 units) { return exact::to_text(Dec{units, 4}); }

std::string add_seconds(const std::string& stored, long long seconds) {
  // stored: "YYYY-MM-DD HH:MM:SS"
  int y = std::stoi(stored.substr(0, 4)), mo = std::stoi(stored.substr(5, 2)),
      d = std::stoi(stored.substr(8, 2));
  long long hh = std::stoll(stored.substr(11, 2)), mi = std::stoll(stored.substr(14, 2)),
            ss = std::stoll(stored.substr(17, 2));
  // days from civil (Howard Hinnant)
  auto days_from_civil = [](int y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int>(doe) - 719468;
  };
  long long t = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400LL +
                hh * 3600 + mi * 60 + ss + seconds;
  long long days = floor_div(t, 86400);
  long long rest = t - days * 86400;
  // civil from days
  long long z = days + 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long long yy = static_cast<long long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned dd = doy - (153 * mp + 2) / 5 + 1;
  const unsigned mm = mp < 10 ? mp + 3 : mp - 9;
  yy += mm <= 2;
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u %02lld:%02lld:%02lld", yy, mm, dd, rest / 3600,
                (rest % 3600) / 60, rest % 60);
  return buf;
}

std::string next_month_start(const std::string& stored) {
  int y = std::stoi(stored.substr(0, 4)), m = std::stoi(stored.substr(5, 2)) + 1;
  if (m == 13) {
    m = 1;
    ++y;
  }
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-01 00:00:00", y, m);
  return buf;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Cell json_cell(const std::map<std::string, std::string>& m) {
  if (m.empty()) return std::nullopt;
  json j = json::object();
  for (const auto& [k, v] : m) j[k] = v;
  return j.dump();
}

}  // namespace

std::string iso_utc(const std::string& stored) {
  if (stored.size() < 19) return stored;
  return stored.substr(0, 10) + "T" + stored.substr(11, 8) + "Z";
}

std::string provider_of(const std::string& ecosystem) {
  if (ecosystem == "confluent_cloud") return "Confluent";
  if (ecosystem == "self_managed_kafka") return "Self-managed Apache Kafka";
  return "Generic metrics";
}

Classification classify(const std::string& ecosystem, const std::string& category,
                        const std::string& type) {
  Classification c{"Other", "Other (Other)", category.empty() ? type : category, "Usage",
                   "Usage-Based"};
  if (c.service_name.empty()) c.service_name = "Unknown";
  const std::string prefix = ecosystem == "confluent_cloud" ? "Confluent Cloud " : "";
  auto set = [&](const char* cat, const char* sub, const std::string& name) {
    c.service_category = cat;
    c.service_subcategory = sub;
    c.service_name = name;
  };
  if (ecosystem == "self_managed_kafka") {
    if (category == "KAFKA") set("Integration", "Messaging", "Self-managed Apache Kafka");
    return c;
  }
  if (ecosystem != "confluent_cloud") return c;
  if (category == "KAFKA") {
    set("Integration", "Messaging", prefix + "Apache Kafka");
  } else if (category == "CLUSTER_LINK" || category == "CLUSTER_LINKING") {
    set("Integration", "Messaging", prefix + "Cluster Linking");
  } else if (category == "CONNECT" || category == "CUSTOM_CONNECT") {
    set("Integration", "Messaging", prefix + "Connect");
  } else if (category == "KSQL") {
    set("Analytics", "Streaming Analytics", prefix + "ksqlDB");
  } else if (category == "FLINK") {
    set("Analytics", "Streaming Analytics", prefix + "Flink");
  } else if (category == "STREAM_GOVERNANCE" || category == "SCHEMA_REGISTRY") {
    set("Management and Governance", "Data Governance", prefix + "Data Governance");
  } else if (category == "AUDIT_LOG") {
    set("Management and Governance", "Observability", prefix + "Audit Logs");
  } else if (category == "USM") {
    set("Management and Governance", "Observability", prefix + "Unified Stream Manager");
  } else if (category == "TABLEFLOW") {
    set("Storage", "Object Storage", prefix + "Tableflow");
  } else if (category.rfind("SUPPORT", 0) == 0) {
    set("Management and Governance", "Support", prefix + "Support");
    c.charge_category = "Purchase";
    c.charge_frequency = "Recurring";
  }
  if (type == "PROMO_CREDIT" || category == "PROMO_CREDIT") {
    set("Other", "Other (Other)", prefix + "Promotional Credits");
    c.charge_category = "Credit";
    c.charge_frequency = "One-Time";
  }
  return c;
}

std::string unit_of(const std::string& t) {
  static const std::map<std::string, std::string> units = {
      {"KAFKA_STORAGE", "GB-Hours"},
      {"TABLEFLOW_STORAGE", "GB-Hours"},
      {"KAFKA_NETWORK_READ", "GB"},
      {"KAFKA_NETWORK_WRITE", "GB"},
      {"CLUSTER_LINKING_READ", "GB"},
      {"CLUSTER_LINKING_WRITE", "GB"},
      {"CONNECT_THROUGHPUT", "GB"},
      {"CUSTOM_CONNECT_THROUGHPUT", "GB"},
      {"TABLEFLOW_DATA_PROCESSED", "GB"},
      {"AUDIT_LOG_READ", "GB"},
      {"KAFKA_NUM_CKU", "CKU-Hours"},
      {"KAFKA_NUM_CKUS", "CKU-Hours"},
      {"KAFKA_BASE", "Hours"},
      {"CONNECT_CAPACITY", "Hours"},
      {"GOVERNANCE_BASE", "Hours"},
      {"KAFKA_PARTITION", "Partition-Hours"},
      {"KAFKA_REST_PRODUCE", "1000 Requests"},
      {"TABLEFLOW_NUM_TOPICS", "Topic-Hours"},
      {"CLUSTER_LINKING_PER_LINK", "Link-Hours"},
      {"CONNECT_NUM_TASKS", "Task-Hours"},
      {"CUSTOM_CONNECT_NUM_TASKS", "Task-Hours"},
      {"CONNECT_NUM_RECORDS", "Records"},
      {"SCHEMA_REGISTRY", "Schema-Hours"},
      {"NUM_RULES", "Rule-Hours"},
      {"KSQL_NUM_CSU", "CSU-Hours"},
      {"KSQL_NUM_CSUS", "CSU-Hours"},
      {"FLINK_NUM_CFU", "CFU-Minutes"},
      {"FLINK_NUM_CFUS", "CFU-Minutes"},
      {"USM_CONNECTED_NODE", "Node-Hours"},
      {"SUPPORT", "Days"},
  };
  auto it = units.find(t);
  return it == units.end() ? "Units" : it->second;
}

Result<std::vector<FocusRow>> map_line(const LineInput& line, std::vector<PortionInput> portions,
                                       const MappingContext& ctx) {
  const std::string where =
      "billing line " + line.timestamp + " " + line.resource_id + " " + line.product_type;
  auto billed = allocation::Money::parse(line.total_cost);
  if (!billed) return Status::error(where + ": total_cost " + billed.status().message());
  if (line.currency != ctx.billing_currency) {
    return Status::error(where + ": currency " + line.currency +
                         " differs from the billing currency " + ctx.billing_currency +
                         " (no conversion is made)");
  }
  json meta = json::object();
  if (!line.metadata_json.empty()) {
    meta = json::parse(line.metadata_json, nullptr, false);
    if (!meta.is_object()) meta = json::object();
  }

  // Portions: the facts, then what they leave unallocated.
  std::sort(portions.begin(), portions.end(), [](const PortionInput& a, const PortionInput& b) {
    return std::tie(a.identity_id, a.cost_type, a.allocation_method, a.allocation_detail) <
           std::tie(b.identity_id, b.cost_type, b.allocation_method, b.allocation_detail);
  });
  int128 allocated = 0;
  for (const auto& p : portions) allocated += p.amount_units;
  if (portions.empty() || allocated != billed->units()) {
    PortionInput rest;
    rest.allocation_method = portions.empty() ? "" : "unallocated_remainder";
    rest.amount_units = static_cast<std::int64_t>(billed->units() - allocated);
    portions.push_back(rest);
  }
  std::vector<std::int64_t> weights;
  for (const auto& p : portions) weights.push_back(p.amount_units);
  const std::size_t n = portions.size();

  const Classification cls = classify(line.ecosystem, line.product_category, line.product_type);
  const bool credit = cls.charge_category == "Credit";

  // Undiscounted amount and quantity.
  std::optional<Dec> original;
  if (meta.contains("original_amount") && meta["original_amount"].is_string()) {
    original = plain(meta["original_amount"].get<std::string>());
  }
  if (!original || credit) original = Dec{billed->units(), 4};
  auto quantity = plain(line.quantity.empty() ? "0" : line.quantity);
  if (!quantity) return Status::error(where + ": quantity '" + line.quantity + "' is not a number");
  auto price = plain(line.unit_price.empty() ? "0" : line.unit_price);
  if (!price)
    return Status::error(where + ": unit_price '" + line.unit_price + "' is not a number");

  const int oscale = std::max(original->scale, 4);
  const Dec orig_s = *exact::align(*original, oscale);
  const Dec orig4 = rescale(*original, 4);
  auto list_shares = split(orig_s.m, exact::pow10(oscale - 4), orig4.m, weights);
  const Dec q10 = rescale(*quantity, kQuantityScale);
  auto quantity_shares = split(q10.m, 1, q10.m, weights);

  // Pricing is published when the line has one unit price that explains its list amount.
  bool priced = !credit && price->m >= 0 && !meta.contains("tiers");
  if (priced) {
    auto product = exact::mul(*price, *quantity);
    auto diff = product ? exact::add(*product, Dec{-orig_s.m, orig_s.scale}) : std::nullopt;
    priced = diff && exact::compare(exact::abs(*diff), Dec{1, 4}) <= 0;
  }
  const bool has_quantity = !credit;
  const std::string unit = unit_of(line.product_type);

  const std::string charge_start = line.timestamp;
  std::string charge_end;
  if (line.granularity == "hourly") {
    charge_end = add_seconds(line.timestamp, 3600);
  } else if (line.granularity == "monthly") {
    charge_end = next_month_start(line.timestamp);
  } else {
    charge_end = add_seconds(line.timestamp, 86400);
  }

  const ResourceInfo* resource = ctx.resource ? ctx.resource(line.resource_id) : nullptr;
  const ResourceInfo* env =
      (!line.env_id.empty() && ctx.resource) ? ctx.resource(line.env_id) : nullptr;
  const auto resource_tags =
      ctx.tags ? ctx.tags("resource", line.resource_id) : std::map<std::string, std::string>{};
  const std::string description = lower(line.product_type);
  const bool correction =
      billed->is_negative() &&
      (line.product_type.find("REFUND") != std::string::npos ||
       (meta.contains("description") && meta["description"].is_string() &&
        lower(meta["description"].get<std::string>()).find("refund") != std::string::npos));

  std::vector<FocusRow> rows;
  rows.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const PortionInput& p = portions[i];
    FocusRow r = empty_row();
    const std::string billed_text = money_text(p.amount_units);
    const std::string list_text = money_text(list_shares[i]);
    r[BilledCost] = billed_text;
    r[EffectiveCost] = billed_text;
    r[PricingCurrencyEffectiveCost] = billed_text;
    r[ListCost] = list_text;
    r[ContractedCost] = list_text;
    r[BillingAccountId] = ctx.account_id;
    if (!ctx.account_name.empty()) r[BillingAccountName] = ctx.account_name;
    r[BillingAccountType] = line.ecosystem == "confluent_cloud" ? "Organization" : "Tenant";
    r[BillingCurrency] = ctx.billing_currency;
    r[PricingCurrency] = line.currency;
    r[BillingPeriodStart] = ctx.period_start;
    r[BillingPeriodEnd] = ctx.period_end;
    r[ChargePeriodStart] = iso_utc(charge_start);
    r[ChargePeriodEnd] = iso_utc(charge_end);
    r[ChargeCategory] = cls.charge_category;
    if (correction) r[ChargeClass] = "Correction";
    r[ChargeFrequency] = cls.charge_frequency;
    r[ChargeDescription] = line.product_type + " of " + line.resource_id;
    r[ServiceCategory] = cls.service_category;
    r[ServiceSubcategory] = cls.service_subcategory;
    r[ServiceName] = cls.service_name;
    r[ProviderName] = provider_of(line.ecosystem);
    r[PublisherName] = provider_of(line.ecosystem);
    r[InvoiceIssuerName] = provider_of(line.ecosystem);
    if (has_quantity) {
      r[PricingQuantity] = exact::trimmed(Dec{quantity_shares[i], kQuantityScale});
      r[PricingUnit] = unit;
      if (cls.charge_category == "Usage") {
        r[ConsumedQuantity] = r[PricingQuantity];
        r[ConsumedUnit] = unit;
      }
    }
    if (priced) {
      const std::string price_text = exact::trimmed(*price);
      r[ListUnitPrice] = price_text;
      r[ContractedUnitPrice] = price_text;
      r[PricingCurrencyListUnitPrice] = price_text;
      r[PricingCurrencyContractedUnitPrice] = price_text;
      r[PricingCategory] = "Standard";
    }
    if (!line.resource_id.empty()) {
      r[ResourceId] = line.resource_id;
      if (resource && !resource->display_name.empty() &&
          resource->display_name != line.resource_id) {
        r[ResourceName] = resource->display_name;
      }
      if (resource && !resource->resource_type.empty()) r[ResourceType] = resource->resource_type;
    }
    if (resource && !resource->region.empty()) r[RegionId] = resource->region;
    if (!line.env_id.empty()) {
      r[SubAccountId] = line.env_id;
      if (env && !env->display_name.empty()) r[SubAccountName] = env->display_name;
      r[SubAccountType] = "Environment";
    }
    r[SkuId] = line.ecosystem + ":" + line.product_category + ":" + line.product_type;
    r[SkuMeter] = line.product_type;
    r[Tags] = json_cell(resource_tags);

    const bool allocated_to_someone = !p.identity_id.empty() && p.identity_id != "UNALLOCATED";
    if (allocated_to_someone) {
      r[x_AllocatedResourceId] = p.identity_id;
      std::string name = ctx.identity_name ? ctx.identity_name(p.identity_id) : "";
      if (name.empty() && ctx.resource) {
        if (const ResourceInfo* as_resource = ctx.resource(p.identity_id))
          name = as_resource->display_name;
      }
      if (!name.empty()) r[x_AllocatedResourceName] = name;
      if (ctx.tags) {
        auto t = ctx.tags("identity", p.identity_id);
        if (t.empty()) t = ctx.tags("resource", p.identity_id);
        r[x_AllocatedTags] = json_cell(t);
      }
    }
    if (!p.allocation_method.empty()) r[x_AllocatedMethodId] = p.allocation_method;
    std::map<std::string, std::string> details;
    if (!p.allocation_detail.empty()) details["allocation_detail"] = p.allocation_detail;
    if (!p.cost_type.empty()) details["cost_type"] = p.cost_type;
    if (p.identity_id == "UNALLOCATED") details["identity_id"] = p.identity_id;
    r[x_AllocatedMethodDetails] = json_cell(details);
    const int128 total = billed->units();
    const Dec ratio =
        total == 0
            ? Dec{exact::div_round(exact::pow10(kRatioScale), n), kRatioScale}
            : Dec{exact::div_round(static_cast<int128>(p.amount_units) * exact::pow10(kRatioScale),
                                   total),
                  kRatioScale};
    r[x_AllocationRatio] = exact::trimmed(ratio);
    r[x_DiscountAmount] = money_text(list_shares[i] - p.amount_units);
    r[x_SourceProductCategory] = line.product_category.empty() ? "UNKNOWN" : line.product_category;
    r[x_SourceProductType] = line.product_type.empty() ? "UNKNOWN" : line.product_type;
    rows.push_back(std::move(r));
  }
  (void)description;
  return rows;
}

}  // namespace chitragupt::focus
