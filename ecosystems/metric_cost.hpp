#pragma once
// Turning Prometheus samples into billing quantities and costs, as exact decimal text
// (reference §4.4, §5.3): GiB = 2^30 bytes; a sum of samples is summed in double first and
// converted through its shortest round-trip text; products keep every digit up to the
// original's 28 significant digits (half-even), so no cost passes through binary floating point.

#include <string>
#include <vector>

#include "ecosystems/ecosystem.hpp"
#include "storage/records.hpp"

namespace chitragupt::ecosystems {

inline constexpr int kGibShift = 30;  // 1 GiB = 2^30 bytes

// The shortest text that reads back as `value` ("0" for non-finite values).
std::string double_text(double value);
// Σ samples ÷ 2^30: GiB transferred.
std::string sum_gib(const std::vector<double>& samples);
// mean(samples) ÷ 2^30 × hours: GiB-hours stored ("0" without samples).
std::string mean_gib_hours(const std::vector<double>& samples, int hours);
// quantity x unit_price, exact (rounded to 28 significant digits only beyond them).
std::string cost_of(const std::string& quantity, const std::string& unit_price);

// A daily line of `day` (timestamp 00:00:00) with the cost quantity x unit_price.
storage::BillingRecord daily_line(const ccloud::CivilDate& day, const std::string& resource_id,
                                  const std::string& product_type,
                                  const std::string& product_category, const std::string& quantity,
                                  const std::string& unit_price);

}  // namespace chitragupt::ecosystems
