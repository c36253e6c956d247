#pragma once
// How one amount is cut into shares (cost model reference §1, "core helpers"). Every function
// here conserves money exactly: the shares sum to the quantized total, and leftover 0.0001
// steps go to the first recipients in the order given (callers pass sorted identities).

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "allocation/money.hpp"
#include "common/status.hpp"

namespace chitragupt::allocation {

// Adds `diff` to `amounts` one 0.0001 step at a time, walking from the first entry and wrapping
// around: a positive remainder lands on the leading entries, a negative one is taken from them.
// One deliberate difference from the original: a step that would push an entry across zero,
// to the other side of the total's sign, skips that entry (the original could turn a 0.0000
// share into -0.0001); and there is no "2n iterations" cap, since the walk always ends. Error
// only for a non-zero diff with no entries.
Status distribute_remainder(std::vector<Money>& amounts, Money diff);

// split_evenly(total, n): base = q(total / n) HALF_UP, then the remainder total - n*base is
// distributed. n == 0 gives no shares. Example: (2.0000, 3) -> 0.6666, 0.6667, 0.6667.
std::vector<Money> split_evenly(Money total, std::size_t n);

// Usage per identity (id -> measured value), iterated in sorted id order.
using UsageMap = std::map<std::string, double>;

struct UsageShare {
  std::string identity_id;
  double ratio = 0;  // value / sum, float64 as in the original (kept in row metadata)
  Money amount;
};

// The original's usage split: r_i = v_i / sum(v) in float64, a_i = q(total x Decimal(repr(r_i)))
// computed exactly, then the remainder total - sum(a_i) is distributed. The float ratio and
// its shortest decimal text are kept on purpose: they are what the original stored and billed
// (1/3 -> 0.3333333333333333), and they are deterministic because the sum runs in sorted id
// order. Error when the map is empty, a value is negative or not finite, or the sum is 0.
Result<std::vector<UsageShare>> split_by_usage_ratio(Money total, const UsageMap& usage);

}  // namespace chitragupt::allocation
