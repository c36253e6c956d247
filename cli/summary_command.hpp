#pragma once
// `chitragupt summary --config-file FILE [--env-file FILE] [--tenant NAME] [--month YYYY-MM]
//                     [--top N]`
//
// A short, human-readable account of one month per tenant (default: the last full calendar
// month, UTC): what was billed on the calculated days, what was allocated, whether the two are
// equal to the cent, and the identities that cost the most. It reads each tenant's database
// directly (read-only queries) and is what the README's demo command prints after the first run.

#include <ostream>
#include <string>
#include <vector>

#include "common/status.hpp"
#include "storage/database.hpp"

namespace chitragupt::cli {

struct IdentityCost {
  std::string identity_id;
  std::string display_name;  // "" when the identity is not in the inventory
  std::int64_t units = 0;    // 0.0001 units
};

struct MonthSummary {
  std::string month;  // YYYY-MM
  int days_in_month = 0;
  int days_calculated = 0;        // dates of the month with chargebacks calculated
  int days_pending = 0;           // gathered but not calculated yet
  std::int64_t billed_units = 0;  // quantized billing lines of the calculated days
  std::int64_t allocated_units = 0;
  std::int64_t billing_lines = 0;
  std::vector<IdentityCost> top;  // by cost, descending; ties by identity id
};

// The month "YYYY-MM" of one tenant. Errors name the query that failed.
Result<MonthSummary> summarize_month(storage::Database& db, const std::string& ecosystem,
                                     const std::string& tenant_id, const std::string& month,
                                     int top_n);

// The calendar month before the one containing `today` ("YYYY-MM-DD") as "YYYY-MM".
std::string previous_month(const std::string& today);

// "1234567.8900" units -> "123.4568"-style text with thousands separators: "12,345.6789".
std::string format_amount(std::int64_t units);

// `args` are the words after "summary". Exit code: 0 ok (every tenant summarised and balanced),
// 1 a tenant's database could not be read or billed != allocated, 2 usage error.
int run_summary_command(const std::vector<std::string>& args, std::ostream& out,
                        std::ostream& err);

}  // namespace chitragupt::cli
