#pragma once
// Amounts as the Confluent Cloud billing API sends them: JSON numbers (100.0, 4.1667, 1e-5) or
// strings ("12.34"). The original read them with Decimal(str(v)); these functions give the same
// exact value without going through arithmetic on doubles.

#include <string_view>

#include <nlohmann/json.hpp>

#include "allocation/decimal.hpp"
#include "common/status.hpp"

namespace chitragupt::allocation {

// Strict: a JSON number or a string holding a decimal number. Integers are exact; a number
// already parsed into a double is read as its shortest round-trip text, which is what Python's
// str(float) produced. null, booleans, objects, arrays and bad text are errors.
Result<Decimal> decimal_from_json(const nlohmann::json& value);

// The billing ingest rule of the original: like decimal_from_json, but null and anything
// unreadable count as 0.
Decimal billing_decimal_from_json(const nlohmann::json& value);

// The raw text of a JSON number token (`4.1667e-5`) or of a JSON string holding a number
// (`"12.34"`, quotes included), e.g. as a SAX parser hands it over before any conversion to
// double. Strict like decimal_from_json (`null` is an error).
Result<Decimal> decimal_from_json_text(std::string_view token);

}  // namespace chitragupt::allocation
