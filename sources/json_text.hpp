#pragma once
// Parsing response bodies into nlohmann::json without exceptions crossing the API.
//
// NumberMode::exact_text is how billing amounts stay exact: a custom SAX handler receives
// every non-integer number together with its literal text (nlohmann hands the lexer's text to
// `number_float`) and stores that text as a JSON *string* instead of a double. Integers stay
// integers (they are exact already). So `"amount": 100.10` parses to the string "100.10",
// and downstream code treats a string or an integer as a decimal literal.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/status.hpp"

namespace chitragupt::ccloud {

enum class NumberMode {
  doubles,     // ordinary nlohmann numbers
  exact_text,  // non-integer numbers become strings holding their literal text
};

// The parsed document, or an error "invalid JSON at byte N: ..." (never the body itself).
Result<nlohmann::json> parse_json(const std::string& text, NumberMode mode = NumberMode::doubles);

// A JSON value as decimal text: strings holding a decimal literal, integers, and (in doubles
// mode) floats via their shortest round-trip text. nullopt for anything else.
std::optional<std::string> decimal_text_of(const nlohmann::json& value);

}  // namespace chitragupt::ccloud
