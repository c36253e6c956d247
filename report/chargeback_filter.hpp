#pragma once
// The filters the chargeback routes share (chargebacks, aggregate, allocation-issues, export,
// bulk-by-filter): a date range in a zone, exact dimension columns, and one tag.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "report/request_params.hpp"

namespace chitragupt::report {

// Facts joined with their dimension: f.* and d.*.
inline constexpr const char* kFactsJoin =
    " FROM chargeback_facts f JOIN chargeback_dimensions d ON d.dimension_id = f.dimension_id";

struct ChargebackFilter {
  DateRange range;
  std::vector<std::pair<std::string, std::string>> equals;  // column -> value
  std::optional<std::string> tag_key;
  std::optional<std::string> tag_value;  // only with tag_key
};

// Columns a caller may filter on exactly.
const std::vector<std::string>& chargeback_filter_columns();

// From query parameters: start_date, end_date, timezone, the filter columns, tag_key,
// tag_value (the latter needs the former).
ChargebackFilter read_chargeback_filter(const Query& query);
// `name` in messages is where the value came from ("filters.identity_id").
void add_filter_value(ChargebackFilter& filter, const std::string& column,
                      const std::string& value);

// Rows of the tenant in the range that match every filter.
Where chargeback_where(const Call& call, const ChargebackFilter& filter);
// FROM ... WHERE for `w` (from chargeback_where) with the facts read first, in primary-key
// order: what an ORDER BY f.timestamp, f.dimension_id ... LIMIT wants (SQLite otherwise starts
// from the tenant's dimensions and sorts the whole range for every page or export chunk).
std::string facts_first(const Where& w);
// The same conditions on the dimension `d` only (no time range).
Where dimension_where(const Call& call, const ChargebackFilter& filter);

}  // namespace chitragupt::report
