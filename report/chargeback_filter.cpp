#include "report/chargeback_filter.hpp"

#include <algorithm>

#include "report/entity_tags.hpp"

namespace chitragupt::report {

const std::vector<std::string>& chargeback_filter_columns() {
  static const std::vector<std::string> columns = {"identity_id", "product_type", "resource_id",
                                                   "cost_type"};
  return columns;
}

void add_filter_value(ChargebackFilter& filter, const std::string& column,
                      const std::string& value) {
  filter.equals.emplace_back(column, value);
}

ChargebackFilter read_chargeback_filter(const Query& query) {
  ChargebackFilter f;
  f.range = read_date_range(query);
  for (const auto& column : chargeback_filter_columns()) {
    if (auto v = query.get(column)) add_filter_value(f, column, *v);
  }
  f.tag_key = query.get("tag_key");
  f.tag_value = query.get("tag_value");
  if (f.tag_key && !valid_tag_key(*f.tag_key)) {
    bad_parameter("tag_key",
                  "expected ^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$, got " + json_quoted(*f.tag_key));
  }
  if (f.tag_value && !f.tag_key) bad_parameter("tag_value", "needs tag_key");
  return f;
}

Where chargeback_where(const Call& call, const ChargebackFilter& filter) {
  Where w = dimension_where(call, filter);
  w.add("f.timestamp >= ?", filter.range.start_utc);
  w.add("f.timestamp < ?", filter.range.end_utc);
  return w;
}

std::string facts_first(const Where& w) {
  // CROSS JOIN fixes the join order on SQLite; PostgreSQL plans it like any join.
  std::string conditions = w.sql.empty() ? "" : " AND " + w.sql.substr(7);  // after " WHERE "
  return " FROM chargeback_facts f CROSS JOIN chargeback_dimensions d WHERE d.dimension_id = "
         "f.dimension_id" +
         conditions;
}

Where dimension_where(const Call& call, const ChargebackFilter& filter) {
  Where w;
  w.add("d.ecosystem = ?", call.tenant.ecosystem);
  w.add("d.tenant_id = ?", call.tenant.tenant_id);
  for (const auto& [column, value] : filter.equals) {
    // Column names come from chargeback_filter_columns(), never from input.
    const auto& allowed = chargeback_filter_columns();
    if (std::find(allowed.begin(), allowed.end(), column) == allowed.end()) continue;
    w.add("d." + column + " = ?", value);
  }
  if (filter.tag_key) {
    auto params = row_tag_value_params(call.tenant.tenant_id, *filter.tag_key);
    if (filter.tag_value) {
      params.push_back(*filter.tag_value);
      w.add(row_tag_value_sql() + " = ?", params);
    } else {
      w.add(row_tag_value_sql() + " IS NOT NULL", params);
    }
  }
  return w;
}

}  // namespace chitragupt::report
