#include "ccloud/billing_lines.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "ccloud/decimal_text.hpp"
#include "ccloud/json_text.hpp"

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

// Fills `line` from `row`; the first problem found, if any.
std::optional<std::string> map_row(const json& row, size_t index, const CivilDate& window_start,
                                   BillingLine& line) {
  std::optional<std::string> problem;
  auto note = [&problem](std::string message) {
    if (!problem) problem = std::move(message);
  };
  if (!row.is_object()) {
    line.date = window_start.to_string();
    line.timestamp = window_start.epoch_seconds();
    return "row is not an object";
  }
  auto date = row_date(row);
  if (!date) note("invalid start_date");
  const CivilDate day = date.value_or(window_start);
  line.date = day.to_string();
  line.timestamp = day.epoch_seconds();

  const json* resource = member(row, "resource");
  if (resource != nullptr && !resource->is_object()) note("resource is not an object");
  if (resource != nullptr && resource->is_object()) {
    line.resource_id = string_member(*resource, "id");
    if (const json* name = member(*resource, "display_name"); name && name->is_string()) {
      line.metadata["resource_name"] = *name;
    }
    const json* env = member(*resource, "environment");
    if (env != nullptr && !env->is_object()) note("resource.environment is not an object");
    if (env != nullptr && env->is_object()) line.env_id = string_member(*env, "id");
  }
  if (line.resource_id.empty()) line.resource_id = "unresolved_billing_" + std::to_string(index);

  const json* product = member(row, "product");
  if (product != nullptr && !product->is_string()) note("product is not a string");
  line.product_category = string_member(row, "product");
  const json* line_type = member(row, "line_type");
  if (line_type == nullptr || !line_type->is_string() || line_type->get<std::string>().empty()) {
    note("missing line_type");
  }
  line.product_type = string_member(row, "line_type");

  auto decimal = [&](const char* key, std::string& out) {
    const json* v = member(row, key);
    if (v == nullptr) return;  // absent or null counts as 0, as in the original
    auto text = decimal_text_of(*v);
    if (!text) {
      note(std::string(key) + " is not a number");
      return;
    }
    out = *text;
  };
  decimal("quantity", line.quantity);
  decimal("price", line.unit_price);
  decimal("amount", line.total_cost);
  if (const json* original = member(row, "original_amount")) {
    if (auto text = decimal_text_of(*original)) line.metadata["original_amount"] = *text;
  }
  return problem;
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
    if (auto problem = map_row(row.raw, row.index, window_start, line)) {
      line.resource_id = "malformed_billing_" + std::to_string(row.index);
      if (line.product_type.empty()) line.product_type = "MALFORMED";
      line.metadata = {{"malformed", true}, {"parse_error", *problem}, {"raw", row.raw}};
      lines.push_back(std::move(line));
      continue;
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
    merged.total_cost = *add_decimal(merged.total_cost, line.total_cost);
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
