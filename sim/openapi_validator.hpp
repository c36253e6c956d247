// A small OpenAPI 3.0 schema walker: checks a JSON value against a schema of one OpenAPI
// document, to prove the simulator's responses conform to the official descriptions.
//
// Supported: `$ref` within the document, allOf (all must hold), oneOf/anyOf (any one must hold —
// the descriptions' discriminators are not enforced), type, nullable (also on an allOf member),
// required, properties, additionalProperties (schema or false), items, enum, minItems/maxItems,
// uniqueItems, minLength/maxLength, minimum/maximum, pattern (ECMAScript, unanchored as in JSON
// Schema) and, lightly, format date / date-time / uuid / email / uri. `x-extensible-enum` is
// documentation, not a constraint. The document is given as JSON (tests convert the YAML).
#pragma once

#include <map>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ccloud_sim {

class OpenApiDocument {
 public:
  explicit OpenApiDocument(nlohmann::json root);

  const nlohmann::json& root() const { return root_; }
  // The JSON schema of response `status` of `method` ("get") on `path` (a key of "paths"),
  // or nullptr when the document has none.
  const nlohmann::json* response_schema(const std::string& path, const std::string& method,
                                        const std::string& status) const;
  // components/schemas/<name>, or nullptr.
  const nlohmann::json* component_schema(const std::string& name) const;

  // Every violation of `schema` by `value`, each as "<json path>: <what>"; empty when valid.
  std::vector<std::string> validate(const nlohmann::json& value,
                                    const nlohmann::json& schema) const;

 private:
  const nlohmann::json* resolve(const std::string& ref) const;
  bool nullable(const nlohmann::json& schema, int depth) const;
  void check(const nlohmann::json& value, const nlohmann::json& schema, const std::string& at,
             std::vector<std::string>& errors, int depth) const;
  void check_string(const std::string& value, const nlohmann::json& schema, const std::string& at,
                    std::vector<std::string>& errors) const;
  const std::regex* pattern(const std::string& text) const;

  nlohmann::json root_;
  mutable std::map<std::string, std::unique_ptr<std::regex>> patterns_;  // null: did not compile
};

}  // namespace ccloud_sim
