#include "ecosystems/metric_cost.hpp"

#include <cmath>
#include <numeric>

#include "allocation/decimal.hpp"
#include "sources/decimal_text.hpp"

namespace chitragupt::ecosystems {

std::string double_text(double value) {
  auto d = allocation::Decimal::from_double_repr(value);
  return d ? d->to_string() : "0";
}

std::string sum_gib(const std::vector<double>& samples) {
  double sum = 0;
  for (double v : samples) {
    if (std::isfinite(v)) sum += v;
  }
  return *ccloud::divide_by_power_of_two(double_text(sum), kGibShift);
}

std::string mean_gib_hours(const std::vector<double>& samples, int hours) {
  double sum = 0;
  std::size_t n = 0;
  for (double v : samples) {
    if (!std::isfinite(v)) continue;
    sum += v;
    ++n;
  }
  if (n == 0) return "0";
  const std::string gib =
      *ccloud::divide_by_power_of_two(double_text(sum / static_cast<double>(n)), kGibShift);
  return *ccloud::round_significant(*ccloud::multiply_decimal(gib, std::to_string(hours)), 28);
}

std::string cost_of(const std::string& quantity, const std::string& unit_price) {
  auto product = ccloud::multiply_decimal(quantity, unit_price);
  return product ? *ccloud::round_significant(*product, 28) : "0";
}

storage::BillingRecord daily_line(const ccloud::CivilDate& day, const std::string& resource_id,
                                  const std::string& product_type,
                                  const std::string& product_category, const std::string& quantity,
                                  const std::string& unit_price) {
  storage::BillingRecord line;
  line.timestamp = day.to_string() + " 00:00:00";
  line.resource_id = resource_id;
  line.product_type = product_type;
  line.product_category = product_category;
  line.quantity = quantity;
  line.unit_price = unit_price;
  line.total_cost = cost_of(quantity, unit_price);
  line.currency = "USD";
  line.granularity = "daily";
  return line;
}

}  // namespace chitragupt::ecosystems
