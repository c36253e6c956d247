#include "ecosystems/confluent_cloud/billing_lines.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "sources/decimal_text.hpp"
#include "sources/json_text.hpp"

namespace chitragupt::ccloud {
namespace {

using nlohmann::json;

struct RowProblem {
  std::string message;
};

const json* member(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string string_member(const json& object, const char* key) {
  const json* v = member(object, key);
  return v != nullptr && v->is_string() ? v->get<std::string>() : "";
}

// start_date is a date; a date-time is cut to its date.
std::optional<CivilDate> row_date(const json& row) {
  const json* v = member(row, "start_date");
  if (v == nullptr || !v->is_string()) return std::nullopt;
  std::string text = v->get<std::string>();
  if (text.size() > 10 && text[10] == 'T') text = text.substr(0, 10);
  return CivilDate::parse(text);
}

// A key made from the row's own content (its JSON text, keys sorted): the same row gets the same
// key in every query window, so a re-gather with a shifted lookback updates it instead of
// storing it again under a new position (the original's unresolved_billing_{i} /
// malformed_billing_{i}). FNV-1a, 64 bits, as 16 hex digits: stable across builds and hosts.
std::string content_key(const json& row) {
  const std::string text = row.dump();
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  static const char* kHex = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<std::size_t>(i)] = kHex[h & 15];
  return out;
}

struct RowProblems {
  // The row cannot be attributed to a resource or a date: it becomes malformed_billing_<key>.
  std::optional<std::string> unattributable;
  // Read, but something in it is not as expected (kept in metadata.parse_error).
  std::optional<std::string> note;
};

// Fills `line` from `row`.
RowProblems map_row(const json& row, const CivilDate& window_start, BillingLine& line) {
  RowProblems problems;
  auto fatal = [&problems](std::string message) {
    if (!problems.unattributable) problems.unattributable = std::move(message);
  };
  auto note = [&problems](std::string message) {
    if (!problems.note) problems.note = std::move(message);
  };
  if (!row.is_object()) {
    line.date = window_start.to_string();
    line.timestamp = window_start.epoch_seconds();
    problems.unattributable = "row is not an object";
    return problems;
  }
  auto date = row_date(row);
  if (!date) fatal("invalid start_date");
  const CivilDate day = date.value_or(window_start);
  line.date = day.to_string();
  line.timestamp = day.epoch_seconds();

  const json* resource = member(row, "resource");
  if (resource != nullptr && !resource->is_object()) fatal("resource is not an object");
  if (resource != nullptr && resource->is_object()) {
    line.resource_id = string_member(*resource, "id");
    if (const json* name = member(*resource, "display_name"); name && name->is_string()) {
      line.metadata["resource_name"] = *name;
    }
    const json* env = member(*resource, "environment");
    if (env != nullptr && !env->is_object()) fatal("resource.environment is not an object");
    if (env != nullptr && env->is_object()) line.env_id = string_member(*env, "id");
  }
  if (line.resource_id.empty()) line.resource_id = "unresolved_billing_" + content_key(row);

  const json* product = member(row, "product");
  if (product != nullptr && !product->is_string()) note("product is not a string");
  line.product_category = string_member(row, "product");
  const json* line_type = member(row, "line_type");
  if (line_type == nullptr || !line_type->is_string() || line_type->get<std::string>().empty()) {
    // The money stays on its resource; the fallback allocator takes an unknown product type.
    note("missing line_type");
    line.product_type = "UNKNOWN";
  } else {
    line.product_type = line_type->get<std::string>();
  }

  auto decimal = [&](const char* key, std::string& out) {
    const json* v = member(row, key);
    if (v == nullptr) return true;  // absent or null counts as 0, as in the original
    auto text = decimal_text_of(*v);
    if (text) {
      out = *text;
      return true;
    }
    note(std::string(key) + " is not a number");
    line.metadata[std::string(key) + "_raw"] = *v;
    return false;
  };
  // quantity and price are informational: a bad one is kept in metadata and counts as 0.
  decimal("quantity", line.quantity);
  decimal("price", line.unit_price);
  if (!decimal("amount", line.total_cost)) {
    // Not allocatable: the raw value is kept as the line's amount, so the calculate stage
    // reports it (allocation-issues, the run's warnings) instead of counting it as zero.
    const json& raw = line.metadata["amount_raw"];
    line.total_cost = raw.is_string() ? raw.get<std::string>() : raw.dump();
    if (line.total_cost.empty()) line.total_cost = "\"\"";
  }
  if (const json* original = member(row, "original_amount")) {
    if (auto text = decimal_text_of(*original)) line.metadata["original_amount"] = *text;
  }
  return problems;
}

using Key = std::tuple<int64_t, std::string, std::string, std::string, std::string>;

Key key_of(const BillingLine& line) {
  return {line.timestamp, line.env_id, line.resource_id, line.product_type, line.product_category};
}

json tier_of(const BillingLine& line) {
  return {{"price", line.unit_price}, {"quantity", line.quantity}, {"cost", line.total_cost}};
}

}  // namespace

std::vector<std::pair<CivilDate, CivilDate>> billing_windows(CivilDate start, CivilDate end,
                                                             int days_per_query) {
  std::vector<std::pair<CivilDate, CivilDate>> windows;
  const int64_t step = std::max(1, days_per_query);
  for (int64_t day = start.days_since_epoch(); day < end.days_since_epoch(); day += step) {
    int64_t window_end = std::min(day + step, end.days_since_epoch());
    windows.emplace_back(CivilDate::from_days(day), CivilDate::from_days(window_end));
  }
  return windows;
}

std::vector<BillingLine> billing_lines(const BillingWindow& window) {
  const CivilDate window_start =
      CivilDate::parse(window.start_date).value_or(CivilDate::from_days(0));
  std::vector<BillingLine> lines;
  std::map<Key, size_t> position;  // key -> index in lines
  std::map<size_t, size_t> tier_count;
  for (const auto& row : window.rows) {
    BillingLine line;
    RowProblems problems = map_row(row.raw, window_start, line);
    if (problems.unattributable) {
      line.resource_id = "malformed_billing_" + content_key(row.raw);
      line.env_id.clear();
      if (line.product_type.empty() || line.product_type == "UNKNOWN") {
        line.product_type = "MALFORMED";
      }
      line.metadata = {
          {"malformed", true}, {"parse_error", *problems.unattributable}, {"raw", row.raw}};
      // Two identical malformed rows are two charges: they merge like tiers, below.
    } else if (problems.note) {
      line.metadata["parse_error"] = *problems.note;
    }
    auto [it, inserted] = position.emplace(key_of(line), lines.size());
    if (inserted) {
      lines.push_back(std::move(line));
      continue;
    }
    // A further pricing tier of an existing line.
    BillingLine& merged = lines[it->second];
    if (tier_count[it->second]++ == 0) merged.metadata["tiers"] = json::array({tier_of(merged)});
    merged.metadata["tiers"].push_back(tier_of(line));
    merged.quantity = *add_decimal(merged.quantity, line.quantity);
    if (auto sum = add_decimal(merged.total_cost, line.total_cost)) {
      merged.total_cost = *sum;
    } else if (canonical_decimal(merged.total_cost)) {
      // A tier's amount is not a number: the line is not allocatable (its tiers keep every raw
      // value); the first bad amount stands for the line's.
      merged.total_cost = line.total_cost;
    }
    merged.unit_price = "0";
    auto mine = merged.metadata.find("original_amount");
    auto theirs = line.metadata.find("original_amount");
    if (mine != merged.metadata.end() && theirs != line.metadata.end()) {
      *mine = *add_decimal(mine->get<std::string>(), theirs->get<std::string>());
    } else if (mine != merged.metadata.end()) {
      merged.metadata.erase(mine);  // a sum over some tiers only would mislead
    }
  }
  return lines;
}

}  // namespace chitragupt::ccloud
