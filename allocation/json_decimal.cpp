#include "allocation/json_decimal.hpp"

#include <string>

namespace chitragupt::allocation {

Result<Decimal> decimal_from_json(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::number_integer: {
      return Decimal::from_integer(value.get<std::int64_t>());
    }
    case nlohmann::json::value_t::number_unsigned: {
      return Decimal::parse(std::to_string(value.get<std::uint64_t>()));
    }
    case nlohmann::json::value_t::number_float:
      return Decimal::from_double_repr(value.get<double>());
    case nlohmann::json::value_t::string:
      return Decimal::parse(value.get_ref<const std::string&>());
    default:
      return Status::error(std::string("not a decimal number: JSON ") + value.type_name());
  }
}

Decimal billing_decimal_from_json(const nlohmann::json& value) {
  auto parsed = decimal_from_json(value);
  return parsed ? *parsed : Decimal();
}

Result<Decimal> decimal_from_json_text(std::string_view token) {
  if (token.size() >= 2 && token.front() == '"' && token.back() == '"') {
    return Decimal::parse(token.substr(1, token.size() - 2));
  }
  return Decimal::parse(token);
}

}  // namespace chitragupt::allocation
