#pragma once
// The FOCUS 1.2 conformance checker: one named rule for every MUST and MUST NOT of the columns
// and attributes in ../shared/reference/focus-1.2/ that can be decided on the data itself
// (presence, nullability, type and format, allowed values, dependent columns, periods, the
// x_ prefix of custom columns, and the dataset's sums against the billing table).
//
// Rules are named "<Column>.<requirement>" (or "Dataset.<requirement>"). rules() lists them all;
// every one has a unit test that feeds it a violating row (focus/checker_test.cpp).

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "focus/columns.hpp"

namespace chitragupt::focus {

enum class RuleScope { kHeader, kRow, kDataset };

struct RuleInfo {
  std::string name;         // "BilledCost.not_null"
  std::string requirement;  // the specification's sentence, paraphrased
  RuleScope scope = RuleScope::kRow;
};
const std::vector<RuleInfo>& rules();

struct Violation {
  std::string rule;
  std::int64_t row = 0;  // 1-based data row; 0 for header and dataset rules
  std::string message;
};

class Checker {
 public:
  // Header rules run on the column names as written (in CSV order).
  explicit Checker(const std::vector<std::string>& header);
  Checker();  // the header of columns()

  void check_row(const FocusRow& row);
  // What the billing table says was billed for (account, billing period start): the dataset's
  // BilledCost over the same pair must equal it exactly. Decimal text.
  void expect_billed_total(const std::string& account, const std::string& period_start,
                           const std::string& total);
  // Runs the dataset rules; call once after the last row.
  void finish();

  bool conforming() const { return total_ == 0; }
  std::int64_t violation_count() const { return total_; }
  std::int64_t rows_checked() const { return rows_; }
  const std::map<std::string, std::int64_t>& counts() const { return counts_; }  // by rule
  const std::vector<Violation>& first_violations() const { return first_; }      // at most 50
  bool violated(const std::string& rule) const { return counts_.count(rule) != 0; }

 private:
  void report(const std::string& rule, std::int64_t row, std::string message);

  std::int64_t rows_ = 0;
  std::int64_t total_ = 0;
  std::map<std::string, std::int64_t> counts_;
  std::vector<Violation> first_;
  // Dataset state.
  std::map<std::pair<std::string, std::string>, std::string> billed_;    // exact decimal text
  std::map<std::pair<std::string, std::string>, std::string> expected_;  // from the billing table
  std::map<std::string, std::string> service_category_;
  std::map<std::string, std::string> price_sku_;
  std::set<std::string> service_conflicts_;
  std::set<std::string> price_conflicts_;
};

// Exact decimal helpers (shared with the exporter): plain decimal text arithmetic.
std::optional<std::string> add_decimal_text(const std::string& a, const std::string& b);
bool is_numeric_format(std::string_view text);
bool is_datetime_format(std::string_view text);
bool is_unit_format(std::string_view text);

}  // namespace chitragupt::focus
