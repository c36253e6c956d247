#include "focus/checker.hpp"

#include <algorithm>
#include <cctype>
#include <functional>
#include <regex>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "focus/exact.hpp"

namespace chitragupt::focus {
namespace {

using namespace exact;

// ------------------------------------------------------------------ value formats
const std::set<std::string>& allowed(Col c) {
  static const std::map<Col, std::set<std::string>> values = {
      {ChargeCategory, {"Usage", "Purchase", "Tax", "Credit", "Adjustment"}},
      {ChargeClass, {"Correction"}},
      {ChargeFrequency, {"One-Time", "Recurring", "Usage-Based"}},
      {PricingCategory, {"Standard", "Dynamic", "Committed", "Other"}},
      {ServiceCategory,
       {"AI and Machine Learning", "Analytics", "Business Applications", "Compute", "Databases",
        "Developer Tools", "Multicloud", "Identity", "Integration", "Internet of Things",
        "Management and Governance", "Media", "Migration", "Mobile", "Networking", "Security",
        "Storage", "Web", "Other"}},
      {CommitmentDiscountCategory, {"Spend", "Usage"}},
      {CommitmentDiscountStatus, {"Used", "Unused"}},
      {CapacityReservationStatus, {"Used", "Unused"}},
  };
  static const std::set<std::string> none;
  auto it = values.find(c);
  return it == values.end() ? none : it->second;
}

// ServiceSubcategory -> its one parent ServiceCategory (FOCUS 1.2 allowed values).
const std::map<std::string, std::string>& subcategory_parent() {
  static const std::map<std::string, std::string> m = [] {
    std::map<std::string, std::string> out;
    auto put = [&](const std::string& parent, std::initializer_list<const char*> subs) {
      for (const char* s : subs) out[s] = parent;
      out["Other (" + parent + ")"] = parent;
    };
    put("AI and Machine Learning", {"AI Platforms", "Bots", "Generative AI", "Machine Learning",
                                    "Natural Language Processing"});
    put("Analytics", {"Analytics Platforms", "Business Intelligence", "Data Processing", "Search",
                      "Streaming Analytics"});
    put("Business Applications", {"Productivity and Collaboration"});
    put("Compute", {"Containers", "End User Computing", "Quantum Compute", "Serverless Compute",
                    "Virtual Machines"});
    put("Databases", {"Caching", "Data Warehouses", "Ledger Databases", "NoSQL Databases",
                      "Relational Databases", "Time Series Databases"});
    put("Developer Tools",
        {"Developer Platforms", "Continuous Integration and Deployment", "Development Environments",
         "Source Code Management", "Quality Assurance"});
    put("Identity", {"Identity and Access Management"});
    put("Integration", {"API Management", "Messaging", "Workflow Orchestration"});
    put("Internet of Things", {"IoT Analytics", "IoT Platforms"});
    put("Management and Governance",
        {"Architecture", "Compliance", "Cost Management", "Data Governance", "Disaster Recovery",
         "Endpoint Management", "Observability", "Support"});
    put("Media", {"Content Creation", "Gaming", "Media Streaming", "Mixed Reality"});
    put("Migration", {"Data Migration", "Resource Migration"});
    put("Mobile", {});
    put("Multicloud", {"Multicloud Integration"});
    put("Networking", {"Application Networking", "Content Delivery", "Network Connectivity",
                       "Network Infrastructure", "Network Routing", "Network Security"});
    put("Security",
        {"Secret Management", "Security Posture Management", "Threat Detection and Response"});
    put("Storage",
        {"Backup Storage", "Block Storage", "File Storage", "Object Storage", "Storage Platforms"});
    put("Web", {"Application Platforms"});
    put("Other", {});
    return out;
  }();
  return m;
}

bool valid_civil(int y, int mo, int d, int h, int mi, int s) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  int dim = mo == 2 && leap ? 29 : kDays[mo - 1];
  return d <= dim;
}

// Parses a key-value cell; nullopt when it is not a JSON object. Reports duplicate keys and
// non-scalar values through the flags.
struct KeyValue {
  bool object = false;
  bool duplicate_key = false;
  bool non_scalar = false;
};

class KvSax : public nlohmann::json_sax<nlohmann::json> {
 public:
  KeyValue kv;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override {
    if (depth_ == 0) kv.object = true;
    if (depth_ >= 1) kv.non_scalar = true;
    keys_.emplace_back();
    ++depth_;
    return true;
  }
  bool key(string_t& k) override {
    if (!keys_.back().insert(k).second) kv.duplicate_key = true;
    return true;
  }
  bool end_object() override {
    keys_.pop_back();
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override {
    if (depth_ >= 1) kv.non_scalar = true;
    ++depth_;
    keys_.emplace_back();
    return true;
  }
  bool end_array() override {
    keys_.pop_back();
    --depth_;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    failed = true;
    return false;
  }
  bool failed = false;

 private:
  int depth_ = 0;
  std::vector<std::set<std::string>> keys_;
};

KeyValue parse_kv(const std::string& text) {
  KvSax sax;
  bool ok = nlohmann::json::sax_parse(text, &sax);
  if (!ok || sax.failed) return KeyValue{};
  return sax.kv;
}

// ------------------------------------------------------------------ the rules
using RowFn = std::function<std::optional<std::string>(const FocusRow&)>;

struct RowRule {
  RuleInfo info;
  RowFn fn;
};

std::string name_of(Col c) { return std::string(columns()[c].name); }
bool null(const FocusRow& r, Col c) { return !r[c].has_value(); }
bool is(const FocusRow& r, Col c, const char* value) { return r[c] && *r[c] == value; }

std::vector<RowRule> build_row_rules() {
  std::vector<RowRule> out;
  auto add_rule = [&](std::string name, std::string req, RowFn fn) {
    out.push_back({{std::move(name), std::move(req), RuleScope::kRow}, std::move(fn)});
  };
  const auto& cols = columns();

  for (int i = 0; i < kColumnCount; ++i) {
    const Col c = static_cast<Col>(i);
    const Column& col = cols[i];
    const std::string n = name_of(c);
    if (!is_custom(c) && !col.allows_null) {
      add_rule(n + ".not_null", n + " MUST NOT be null.",
               [c](const FocusRow& r) -> std::optional<std::string> {
                 if (null(r, c)) return std::string("is null");
                 return std::nullopt;
               });
    }
    // NullHandling applies to FOCUS columns; we hold our custom columns to it as well.
    add_rule(n + ".no_empty_string",
             "Columns MUST NOT use empty strings to represent a null (NullHandling).",
             [c](const FocusRow& r) -> std::optional<std::string> {
               if (r[c] && r[c]->empty()) return std::string("is an empty string, not null");
               return std::nullopt;
             });
    if (col.type == DataType::kDecimal) {
      add_rule(n + ".numeric_format",
               n + " MUST conform to NumericFormat (a single integer, decimal or mEn value; no "
                   "sign for positives, no symbols, commas or units).",
               [c](const FocusRow& r) -> std::optional<std::string> {
                 if (r[c] && !r[c]->empty() && !is_numeric_format(*r[c]))
                   return "'" + *r[c] + "' is not NumericFormat";
                 return std::nullopt;
               });
    }
    if (col.type == DataType::kDateTime) {
      add_rule(n + ".datetime_format",
               n + " MUST be UTC in extended ISO 8601 'YYYY-MM-DDTHH:mm:ssZ' (DateTimeFormat).",
               [c](const FocusRow& r) -> std::optional<std::string> {
                 if (r[c] && !r[c]->empty() && !is_datetime_format(*r[c]))
                   return "'" + *r[c] + "' is not YYYY-MM-DDTHH:mm:ssZ";
                 return std::nullopt;
               });
    }
    if (col.type == DataType::kJson) {
      add_rule(n + ".key_value_object",
               n + " MUST contain a serialized JSON object (KeyValueFormat).",
               [c](const FocusRow& r) -> std::optional<std::string> {
                 if (r[c] && !r[c]->empty() && !parse_kv(*r[c]).object)
                   return "'" + *r[c] + "' is not a JSON object";
                 return std::nullopt;
               });
      add_rule(n + ".key_value_unique_keys",
               "Keys in a key-value pair MUST be unique within an object (KeyValueFormat).",
               [c](const FocusRow& r) -> std::optional<std::string> {
                 if (r[c] && parse_kv(*r[c]).duplicate_key) return std::string("duplicate key");
                 return std::nullopt;
               });
      add_rule(n + ".key_value_scalar_values",
               "Values in a key-value pair MUST NOT be an object or an array (KeyValueFormat).",
               [c](const FocusRow& r) -> std::optional<std::string> {
                 if (r[c] && parse_kv(*r[c]).non_scalar)
                   return std::string("a value is an object or an array");
                 return std::nullopt;
               });
    }
    if (!allowed(c).empty()) {
      add_rule(n + ".allowed_values", n + " MUST be one of the allowed values.",
               [c](const FocusRow& r) -> std::optional<std::string> {
                 if (r[c] && allowed(c).count(*r[c]) == 0)
                   return "'" + *r[c] + "' is not an allowed value";
                 return std::nullopt;
               });
    }
  }

  // ServiceSubcategory: allowed values and their one parent.
  add_rule("ServiceSubcategory.allowed_values",
           "ServiceSubcategory MUST be one of the allowed values.",
           [](const FocusRow& r) -> std::optional<std::string> {
             if (r[ServiceSubcategory] && subcategory_parent().count(*r[ServiceSubcategory]) == 0)
               return "'" + *r[ServiceSubcategory] + "' is not an allowed value";
             return std::nullopt;
           });
  add_rule("ServiceSubcategory.parent_category",
           "ServiceSubcategory MUST have one and only one parent ServiceCategory as specified.",
           [](const FocusRow& r) -> std::optional<std::string> {
             if (!r[ServiceSubcategory] || !r[ServiceCategory]) return std::nullopt;
             auto it = subcategory_parent().find(*r[ServiceSubcategory]);
             if (it != subcategory_parent().end() && it->second != *r[ServiceCategory])
               return "'" + *r[ServiceSubcategory] + "' belongs to '" + it->second + "', not '" +
                      *r[ServiceCategory] + "'";
             return std::nullopt;
           });

  for (Col c : {BillingCurrency, PricingCurrency}) {
    add_rule(name_of(c) + ".currency_format",
             name_of(c) + " MUST be a three-letter ISO 4217 code (CurrencyFormat).",
             [c](const FocusRow& r) -> std::optional<std::string> {
               auto upper3 = [](const std::string& v) {
                 return v.size() == 3 && std::all_of(v.begin(), v.end(), [](char ch) {
                          return ch >= 'A' && ch <= 'Z';
                        });
               };
               if (r[c] && !upper3(*r[c]))
                 return "'" + *r[c] + "' is not a three-letter currency code";
               return std::nullopt;
             });
  }
  for (Col c : {PricingUnit, ConsumedUnit, CommitmentDiscountUnit}) {
    add_rule(name_of(c) + ".unit_format",
             name_of(c) +
                 " MUST follow UnitFormat (abbreviated data sizes, listed time units, "
                 "capitalized count units, whole-number quantities, '/' and '-' "
                 "composites).",
             [c](const FocusRow& r) -> std::optional<std::string> {
               if (r[c] && !r[c]->empty() && !is_unit_format(*r[c]))
                 return "'" + *r[c] + "' is not UnitFormat";
               return std::nullopt;
             });
  }
  for (Col c : {ListUnitPrice, ContractedUnitPrice, PricingCurrencyListUnitPrice,
                PricingCurrencyContractedUnitPrice}) {
    add_rule(name_of(c) + ".non_negative", name_of(c) + " MUST be a non-negative decimal value.",
             [c](const FocusRow& r) -> std::optional<std::string> {
               if (!r[c]) return std::nullopt;
               auto d = parse_dec(*r[c]);
               if (d && d->m < 0) return "is negative: " + *r[c];
               return std::nullopt;
             });
  }
  for (Col c :
       {ContractedUnitPrice, ListUnitPrice, PricingCategory, PricingCurrencyContractedUnitPrice,
        PricingCurrencyListUnitPrice, PricingQuantity, SkuId, SkuPriceId}) {
    add_rule(name_of(c) + ".null_when_tax",
             name_of(c) + " MUST be null when ChargeCategory is \"Tax\".",
             [c](const FocusRow& r) -> std::optional<std::string> {
               if (is(r, ChargeCategory, "Tax") && !null(r, c))
                 return std::string("set on a Tax row");
               return std::nullopt;
             });
  }
  const std::vector<std::pair<Col, Col>> dependent = {
      {BillingAccountType, BillingAccountId},
      {CapacityReservationStatus, CapacityReservationId},
      {CommitmentDiscountCategory, CommitmentDiscountId},
      {CommitmentDiscountName, CommitmentDiscountId},
      {CommitmentDiscountStatus, CommitmentDiscountId},
      {CommitmentDiscountType, CommitmentDiscountId},
      {CommitmentDiscountUnit, CommitmentDiscountQuantity},
      {ConsumedUnit, ConsumedQuantity},
      {PricingUnit, PricingQuantity},
      {RegionName, RegionId},
      {ResourceName, ResourceId},
      {ResourceType, ResourceId},
      {SkuMeter, SkuId},
      {SkuPriceDetails, SkuPriceId},
      {SubAccountName, SubAccountId},
      {SubAccountType, SubAccountId},
  };
  for (auto [child, parent] : dependent) {
    add_rule(name_of(child) + ".null_when_" + name_of(parent) + "_null",
             name_of(child) + " MUST be null when " + name_of(parent) + " is null.",
             [child = child, parent = parent](const FocusRow& r) -> std::optional<std::string> {
               if (null(r, parent) && !null(r, child))
                 return name_of(child) + " is set while " + name_of(parent) + " is null";
               return std::nullopt;
             });
  }

  add_rule("ChargeFrequency.not_usage_based_for_purchase",
           "ChargeFrequency MUST NOT be \"Usage-Based\" when ChargeCategory is \"Purchase\".",
           [](const FocusRow& r) -> std::optional<std::string> {
             if (is(r, ChargeCategory, "Purchase") && is(r, ChargeFrequency, "Usage-Based"))
               return std::string("Usage-Based Purchase");
             return std::nullopt;
           });
  add_rule("ConsumedQuantity.null_unless_usage",
           "ConsumedQuantity MUST be null when ChargeCategory is not \"Usage\", or when it is "
           "\"Usage\" and CommitmentDiscountStatus is \"Unused\".",
           [](const FocusRow& r) -> std::optional<std::string> {
             if (null(r, ConsumedQuantity)) return std::nullopt;
             if (!is(r, ChargeCategory, "Usage")) return std::string("set on a non-Usage row");
             if (is(r, CommitmentDiscountStatus, "Unused"))
               return std::string("set on an Unused commitment row");
             return std::nullopt;
           });
  // Unit price x PricingQuantity = cost, up to the precision of the published values: the
  // cost carries 4 decimals and the quantity its own, so each may be off by its rounding.
  auto product_rule = [&](Col cost, Col price) {
    add_rule(name_of(cost) + ".unit_price_times_quantity",
             "The product of " + name_of(price) + " and PricingQuantity MUST match " +
                 name_of(cost) + " when both are not null and ChargeClass is not \"Correction\".",
             [cost, price](const FocusRow& r) -> std::optional<std::string> {
               if (null(r, price) || null(r, PricingQuantity) || null(r, cost)) return std::nullopt;
               if (is(r, ChargeClass, "Correction")) return std::nullopt;
               auto p = parse_dec(*r[price]);
               auto q = parse_dec(*r[PricingQuantity]);
               auto k = parse_dec(*r[cost]);
               if (!p || !q || !k) return std::nullopt;  // the format rules report these
               auto product = mul(*p, *q);
               if (!product) return std::string("product out of range");
               auto diff = add(*product, Dec{-k->m, k->scale});
               // tolerance: rounding of the published values. Costs carry 4 decimals (each
               // side may be off by one unit of 0.0001) and quantities 10 (price x 1E-10).
               Dec tol{2, 4};
               auto price_part = mul(abs(*p), Dec{1, 10});
               if (!diff || !price_part) return std::string("product out of range");
               auto limit = add(tol, *price_part);
               if (!limit) return std::string("product out of range");
               if (compare(abs(*diff), *limit) > 0)
                 return name_of(price) + " " + *r[price] + " x PricingQuantity " +
                        *r[PricingQuantity] + " = " + to_text(*product) + ", not " + *r[cost];
               return std::nullopt;
             });
  };
  product_rule(ListCost, ListUnitPrice);
  product_rule(ContractedCost, ContractedUnitPrice);
  for (Col c : {ListCost, ContractedCost, EffectiveCost}) {
    add_rule(name_of(c) + ".equals_billed_for_credit",
             name_of(c) +
                 " of a charge unrelated to other charges (ChargeCategory \"Credit\") "
                 "MUST match BilledCost.",
             [c](const FocusRow& r) -> std::optional<std::string> {
               if (!is(r, ChargeCategory, "Credit") || null(r, c) || null(r, BilledCost))
                 return std::nullopt;
               auto a = parse_dec(*r[c]);
               auto b = parse_dec(*r[BilledCost]);
               if (a && b && compare(*a, *b) != 0)
                 return *r[c] + " differs from BilledCost " + *r[BilledCost];
               return std::nullopt;
             });
  }
  add_rule("ResourceName.not_duplicate_of_id",
           "ResourceName MUST NOT duplicate ResourceId when the resource only has a "
           "system-generated ResourceId.",
           [](const FocusRow& r) -> std::optional<std::string> {
             if (r[ResourceName] && r[ResourceId] && *r[ResourceName] == *r[ResourceId])
               return std::string("ResourceName repeats ResourceId");
             return std::nullopt;
           });
  add_rule("ChargeClass.null_unless_correction",
           "ChargeClass MUST be \"Correction\" when it is not null.",
           [](const FocusRow& r) -> std::optional<std::string> {
             if (r[ChargeClass] && *r[ChargeClass] != "Correction")
               return "'" + *r[ChargeClass] + "' is not Correction";
             return std::nullopt;
           });
  auto period_rule = [&](const std::string& name, Col start, Col end) {
    add_rule(name + ".start_before_end",
             name_of(start) + " is the inclusive start and " + name_of(end) +
                 " the exclusive end of the period, so start MUST be before end.",
             [start, end](const FocusRow& r) -> std::optional<std::string> {
               if (!r[start] || !r[end] || !is_datetime_format(*r[start]) ||
                   !is_datetime_format(*r[end]))
                 return std::nullopt;
               if (*r[start] >= *r[end]) return *r[start] + " is not before " + *r[end];
               return std::nullopt;
             });
  };
  period_rule("ChargePeriod", ChargePeriodStart, ChargePeriodEnd);
  period_rule("BillingPeriod", BillingPeriodStart, BillingPeriodEnd);
  add_rule(
      "ChargePeriod.within_billing_period",
      "The charge period MUST lie within the billing period it is billed in.",
      [](const FocusRow& r) -> std::optional<std::string> {
        for (Col c : {ChargePeriodStart, ChargePeriodEnd, BillingPeriodStart, BillingPeriodEnd})
          if (!r[c] || !is_datetime_format(*r[c])) return std::nullopt;
        // Same fixed-width format: text order is time order.
        if (*r[ChargePeriodStart] < *r[BillingPeriodStart] ||
            *r[ChargePeriodEnd] > *r[BillingPeriodEnd])
          return "[" + *r[ChargePeriodStart] + ", " + *r[ChargePeriodEnd] + ") is outside [" +
                 *r[BillingPeriodStart] + ", " + *r[BillingPeriodEnd] + ")";
        return std::nullopt;
      });
  return out;
}

const std::vector<RowRule>& row_rules() {
  static const std::vector<RowRule> r = build_row_rules();
  return r;
}

std::vector<RuleInfo> build_rule_list() {
  std::vector<RuleInfo> out;
  for (int i = 0; i < kColumnCount; ++i) {
    const Column& col = columns()[i];
    if (col.level == Level::kMandatory) {
      out.push_back({std::string(col.name) + ".present",
                     std::string(col.name) + " MUST be present in a FOCUS dataset.",
                     RuleScope::kHeader});
    }
  }
  out.push_back({"Dataset.custom_columns_x_prefix",
                 "Custom columns MUST be prefixed with a consistent x_ prefix.",
                 RuleScope::kHeader});
  out.push_back({"Dataset.column_ids_alphanumeric",
                 "Column IDs MUST be alphanumeric with no special characters (after the x_ prefix "
                 "of custom columns).",
                 RuleScope::kHeader});
  for (const auto& r : row_rules()) out.push_back(r.info);
  out.push_back({"BilledCost.sum_matches_billing",
                 "Sum of BilledCost per billing account and billing period MUST equal the billed "
                 "amounts in the billing table (the invoice-reconciliation requirement).",
                 RuleScope::kDataset});
  out.push_back({"ServiceName.single_category",
                 "ServiceName MUST have one and only one ServiceCategory.", RuleScope::kDataset});
  out.push_back({"SkuPriceId.single_parent_sku",
                 "SkuPriceId MUST have one and only one parent SkuId.", RuleScope::kDataset});
  return out;
}

bool alnum(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
  });
}

}  // namespace

const std::vector<RuleInfo>& rules() {
  static const std::vector<RuleInfo> r = build_rule_list();
  return r;
}

bool is_numeric_format(std::string_view t) {
  // -?[0-9]+(\.[0-9]+)?(E-?[0-9]+)?  (hand-written: it runs on every cell of every row)
  std::size_t i = 0;
  auto digits = [&] {
    const std::size_t start = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    return i > start;
  };
  if (i < t.size() && t[i] == '-') ++i;
  if (!digits()) return false;
  if (i < t.size() && t[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < t.size() && t[i] == 'E') {
    ++i;
    if (i < t.size() && t[i] == '-') ++i;
    if (!digits()) return false;
  }
  return i == t.size();
}

bool is_datetime_format(std::string_view t) {
  // YYYY-MM-DDTHH:mm:ssZ with a valid date and time
  if (t.size() != 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' ||
      t[16] != ':' || t[19] != 'Z') {
    return false;
  }
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18}) {
    if (t[i] < '0' || t[i] > '9') return false;
  }
  auto n = [&](int at, int len) {
    int v = 0;
    for (int k = 0; k < len; ++k) v = v * 10 + (t[at + k] - '0');
    return v;
  };
  return valid_civil(n(0, 4), n(5, 2), n(8, 2), n(11, 2), n(14, 2), n(17, 2));
}

namespace {
bool unit_format_uncached(std::string_view text);
}  // namespace

bool is_unit_format(std::string_view text) {
  // Few distinct units: remember the answers (per thread).
  thread_local std::map<std::string, bool, std::less<>> seen;
  auto it = seen.find(text);
  if (it != seen.end()) return it->second;
  const bool ok = unit_format_uncached(text);
  if (seen.size() < 4096) seen.emplace(std::string(text), ok);
  return ok;
}

namespace {
bool unit_format_uncached(std::string_view text) {
  // [<whole quantity> ]<unit>[-<PluralTime>][/[<whole interval> ]<Time>[s]]
  static const std::regex re(
      "^([0-9]+ )?([A-Za-z]+)(-(Years|Months|Days|Hours|Minutes|Seconds))?"
      "(/([0-9]+ )?(Year|Month|Day|Hour|Minute|Second)s?)?$");
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_match(text.begin(), text.end(), m, re)) return false;
  const std::string unit = m[2].str();
  static const std::set<std::string> sizes = {
      "b",  "B",   "Kb",  "KB",  "Mb",  "MB",  "Gb",  "GB",  "Tb",  "TB",  "Pb",  "PB",  "Eb",
      "EB", "Kib", "KiB", "Mib", "MiB", "Gib", "GiB", "Tib", "TiB", "Pib", "PiB", "Eib", "EiB"};
  if (sizes.count(unit)) return true;
  std::string lower = unit;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // Data sizes MUST be abbreviated.
  for (const char* word : {"bit", "byte", "kilo", "mega", "giga", "tera", "peta", "exa", "kibi",
                           "mebi", "gibi", "tebi", "pebi", "exbi"}) {
    if (lower.find(word) != std::string::npos) return false;
  }
  // Count-based units MUST be capitalized.
  return std::isupper(static_cast<unsigned char>(unit[0])) != 0;
}
}  // namespace

std::optional<std::string> add_decimal_text(const std::string& a, const std::string& b) {
  auto x = parse_dec(a), y = parse_dec(b);
  if (!x || !y) return std::nullopt;
  auto s = add(*x, *y);
  if (!s) return std::nullopt;
  return to_text(*s);
}

Checker::Checker() {
  std::vector<std::string> header;
  for (const auto& c : columns()) header.emplace_back(c.name);
  *this = Checker(header);
}

Checker::Checker(const std::vector<std::string>& header) {
  std::set<std::string> names(header.begin(), header.end());
  for (const auto& c : columns()) {
    if (c.level == Level::kMandatory && names.count(std::string(c.name)) == 0) {
      report(std::string(c.name) + ".present", 0, "the column is missing");
    }
  }
  for (const auto& h : header) {
    const bool focus_column = column_named(h) && !is_custom(*column_named(h));
    if (!focus_column && h.rfind("x_", 0) != 0) {
      report("Dataset.custom_columns_x_prefix", 0,
             "column '" + h +
                 "' is not a FOCUS 1.2 column "
                 "and lacks the x_ prefix");
    }
    std::string_view id = h;
    if (id.rfind("x_", 0) == 0) id.remove_prefix(2);
    if (!alnum(id)) {
      report("Dataset.column_ids_alphanumeric", 0, "column '" + h + "' is not alphanumeric");
    }
  }
}

void Checker::report(const std::string& rule, std::int64_t row, std::string message) {
  ++counts_[rule];
  ++total_;
  if (first_.size() < 50) first_.push_back({rule, row, std::move(message)});
}

void Checker::check_row(const FocusRow& row) {
  ++rows_;
  if (row.size() != static_cast<std::size_t>(kColumnCount)) {
    throw std::invalid_argument("FOCUS checker: a row must have one cell per column");
  }
  for (const auto& rule : row_rules()) {
    if (auto problem = rule.fn(row)) report(rule.info.name, rows_, *problem);
  }
  if (row[BillingAccountId] && row[BillingPeriodStart] && row[BilledCost] &&
      is_numeric_format(*row[BilledCost])) {
    auto& sum = billed_[{*row[BillingAccountId], *row[BillingPeriodStart]}];
    auto next = add_decimal_text(sum.empty() ? "0" : sum, *row[BilledCost]);
    if (next) sum = *next;
  }
  if (row[ServiceName] && row[ServiceCategory]) {
    auto [it, fresh] = service_category_.emplace(*row[ServiceName], *row[ServiceCategory]);
    if (!fresh && it->second != *row[ServiceCategory]) service_conflicts_.insert(*row[ServiceName]);
  }
  if (row[SkuPriceId]) {
    const std::string sku = row[SkuId].value_or("");
    auto [it, fresh] = price_sku_.emplace(*row[SkuPriceId], sku);
    if (!fresh && it->second != sku) price_conflicts_.insert(*row[SkuPriceId]);
  }
}

void Checker::expect_billed_total(const std::string& account, const std::string& period_start,
                                  const std::string& total) {
  auto& e = expected_[{account, period_start}];
  auto next = add_decimal_text(e.empty() ? "0" : e, total);
  if (next) e = *next;
}

void Checker::finish() {
  std::set<std::pair<std::string, std::string>> keys;
  for (const auto& [k, v] : billed_) keys.insert(k);
  for (const auto& [k, v] : expected_) keys.insert(k);
  for (const auto& k : keys) {
    auto b = billed_.count(k) ? parse_dec(billed_[k]) : parse_dec("0");
    auto e = expected_.count(k) ? parse_dec(expected_[k]) : parse_dec("0");
    if (b && e && compare(*b, *e) != 0) {
      report("BilledCost.sum_matches_billing", 0,
             "account " + k.first + " period " + k.second + ": BilledCost sums to " + to_text(*b) +
                 ", the billing table to " + to_text(*e));
    }
  }
  for (const auto& s : service_conflicts_) {
    report("ServiceName.single_category", 0,
           "'" + s + "' appears under several ServiceCategory values");
  }
  for (const auto& p : price_conflicts_) {
    report("SkuPriceId.single_parent_sku", 0, "'" + p + "' appears under several SkuId values");
  }
}

}  // namespace chitragupt::focus
