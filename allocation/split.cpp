#include "allocation/split.hpp"

#include <cmath>

#include "allocation/decimal.hpp"

namespace chitragupt::allocation {

namespace {

__extension__ typedef __int128 i128;

int sign_of(i128 v) { return v > 0 ? 1 : (v < 0 ? -1 : 0); }

}  // namespace

Status distribute_remainder(std::vector<Money>& amounts, Money diff) {
  if (diff.is_zero()) return Status::ok();
  if (amounts.empty()) return Status::error("remainder " + diff.to_string() + " with no shares");

  i128 total = diff.units();
  for (Money m : amounts) total += m.units();
  const std::int64_t step = diff.units() > 0 ? 1 : -1;
  const int total_sign = sign_of(total);
  i128 left = diff.units() > 0 ? static_cast<i128>(diff.units()) : -static_cast<i128>(diff.units());

  if (step == total_sign) {
    // Every entry may take a step: the walk reduces to whole rounds plus a leading partial round.
    const auto n = static_cast<i128>(amounts.size());
    const auto rounds = static_cast<std::int64_t>(left / n);
    const auto extra = static_cast<std::size_t>(left % n);
    for (std::size_t i = 0; i < amounts.size(); ++i) {
      const std::int64_t add = step * (rounds + (i < extra ? 1 : 0));
      auto sum = amounts[i].checked_add(Money::from_units(add));
      if (!sum) return Status::error("remainder distribution overflow");
      amounts[i] = *sum;
    }
    return Status::ok();
  }

  // The step goes against the total's sign: walk, skipping entries it would push across zero.
  // The shares sum to total - diff, which lies beyond total in the step's opposite direction,
  // so some entry always still has room: each full round applies at least one step.
  std::size_t i = 0;
  std::size_t since_last_step = 0;
  while (left > 0) {
    const std::int64_t next = amounts[i].units() + step;
    const bool crosses = total_sign >= 0 ? next < 0 : next > 0;
    if (!crosses) {
      amounts[i] = Money::from_units(next);
      --left;
      since_last_step = 0;
    } else if (++since_last_step > amounts.size()) {
      return Status::error("remainder distribution found no share to adjust");
    }
    i = (i + 1) % amounts.size();
  }
  return Status::ok();
}

std::vector<Money> split_evenly(Money total, std::size_t n) {
  if (n == 0) return {};
  const std::int64_t t = total.units();
  const auto count = static_cast<std::int64_t>(n);
  // base = q(t / n) HALF_UP (ties away from zero), on the magnitude.
  const std::uint64_t magnitude =
      t < 0 ? static_cast<std::uint64_t>(0) - static_cast<std::uint64_t>(t)
            : static_cast<std::uint64_t>(t);
  const std::uint64_t quotient = magnitude / n;
  const std::uint64_t remainder = magnitude % n;
  const std::uint64_t rounded = remainder >= n - remainder ? quotient + 1 : quotient;
  const auto base = static_cast<std::int64_t>(rounded) * (t < 0 ? -1 : 1);

  std::vector<Money> amounts(n, Money::from_units(base));
  const i128 diff = static_cast<i128>(t) - static_cast<i128>(base) * count;  // |diff| <= n/2
  // Never fails: amounts are non-empty and the shares plus diff sum to total.
  (void)distribute_remainder(amounts, Money::from_units(static_cast<std::int64_t>(diff)));
  return amounts;
}

Result<std::vector<UsageShare>> split_by_usage_ratio(Money total, const UsageMap& usage) {
  if (usage.empty()) return Status::error("usage split without usage");
  double sum = 0;
  for (const auto& [id, value] : usage) {
    if (!std::isfinite(value) || value < 0) {
      return Status::error("usage of '" + id + "' is not a non-negative finite number");
    }
    sum += value;
  }
  if (!(sum > 0) || !std::isfinite(sum)) return Status::error("usage split with zero total usage");

  std::vector<UsageShare> shares;
  shares.reserve(usage.size());
  std::vector<Money> amounts;
  amounts.reserve(usage.size());
  i128 allocated = 0;
  for (const auto& [id, value] : usage) {
    const double ratio = value / sum;
    auto exact_ratio = Decimal::from_double_repr(ratio);
    if (!exact_ratio) return exact_ratio.status();
    auto amount = multiply_to_money(total, *exact_ratio);
    if (!amount) return amount.status();
    shares.push_back(UsageShare{id, ratio, *amount});
    amounts.push_back(*amount);
    allocated += amount->units();
  }
  const i128 diff = static_cast<i128>(total.units()) - allocated;
  if (diff > INT64_MAX || diff < INT64_MIN) return Status::error("usage split overflow");
  if (Status s = distribute_remainder(amounts, Money::from_units(static_cast<std::int64_t>(diff)));
      !s) {
    return s;
  }
  for (std::size_t i = 0; i < shares.size(); ++i) shares[i].amount = amounts[i];
  return shares;
}

}  // namespace chitragupt::allocation
