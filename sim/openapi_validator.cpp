#include "sim/openapi_validator.hpp"

#include <cmath>
#include <set>

namespace ccloud_sim {

using json = nlohmann::json;

namespace {

constexpr int kMaxDepth = 96;

std::string describe(const json& value) {
  std::string text = value.dump();
  return text.size() > 80 ? text.substr(0, 77) + "..." : text;
}

bool type_matches(const json& value, const std::string& type) {
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "string") return value.is_string();
  if (type == "boolean") return value.is_boolean();
  if (type == "number") return value.is_number();
  if (type == "integer") {
    if (value.is_number_integer()) return true;
    if (!value.is_number_float()) return false;
    const double d = value.get<double>();
    return std::floor(d) == d;
  }
  return true;  // unknown type keyword: no constraint
}

const std::regex& date_re() {
  static const std::regex re(R"(^\d{4}-\d{2}-\d{2}$)");
  return re;
}
const std::regex& date_time_re() {
  static const std::regex re(
      R"(^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$)");
  return re;
}
const std::regex& uuid_re() {
  static const std::regex re(
      R"(^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$)");
  return re;
}

}  // namespace

OpenApiDocument::OpenApiDocument(json root) : root_(std::move(root)) {}

const json* OpenApiDocument::response_schema(const std::string& path, const std::string& method,
                                             const std::string& status) const {
  const json* node = &root_;
  for (const std::string& key :
       {std::string("paths"), path, method, std::string("responses"), status}) {
    if (!node->is_object() || !node->contains(key)) return nullptr;
    node = &(*node)[key];
  }
  if (node->contains("$ref")) node = resolve((*node)["$ref"].get<std::string>());
  if (node == nullptr) return nullptr;
  for (const std::string& key :
       {std::string("content"), std::string("application/json"), std::string("schema")}) {
    if (!node->is_object() || !node->contains(key)) return nullptr;
    node = &(*node)[key];
  }
  return node;
}

const json* OpenApiDocument::component_schema(const std::string& name) const {
  return resolve("#/components/schemas/" + name);
}

const json* OpenApiDocument::resolve(const std::string& ref) const {
  if (ref.rfind("#/", 0) != 0) return nullptr;  // only references within the document
  const json* node = &root_;
  size_t start = 2;
  while (start <= ref.size()) {
    size_t end = ref.find('/', start);
    if (end == std::string::npos) end = ref.size();
    std::string token = ref.substr(start, end - start);
    // JSON pointer escapes
    for (size_t p = token.find("~1"); p != std::string::npos; p = token.find("~1", p)) {
      token.replace(p, 2, "/");
    }
    for (size_t p = token.find("~0"); p != std::string::npos; p = token.find("~0", p)) {
      token.replace(p, 2, "~");
    }
    if (!node->is_object() || !node->contains(token)) return nullptr;
    node = &(*node)[token];
    start = end + 1;
  }
  return node;
}

bool OpenApiDocument::nullable(const json& schema, int depth) const {
  if (!schema.is_object() || depth > kMaxDepth) return false;
  if (schema.contains("$ref")) {
    const json* target = resolve(schema["$ref"].get<std::string>());
    return target != nullptr && nullable(*target, depth + 1);
  }
  if (schema.value("nullable", false)) return true;
  if (schema.contains("allOf")) {
    for (const auto& part : schema["allOf"]) {
      if (nullable(part, depth + 1)) return true;
    }
  }
  return false;
}

const std::regex* OpenApiDocument::pattern(const std::string& text) const {
  auto it = patterns_.find(text);
  if (it == patterns_.end()) {
    std::unique_ptr<std::regex> compiled;
    try {
      compiled = std::make_unique<std::regex>(text, std::regex::ECMAScript);
    } catch (const std::regex_error&) {
      compiled = nullptr;  // a dialect std::regex does not speak: not checked
    }
    it = patterns_.emplace(text, std::move(compiled)).first;
  }
  return it->second.get();
}

std::vector<std::string> OpenApiDocument::validate(const json& value, const json& schema) const {
  std::vector<std::string> errors;
  check(value, schema, "$", errors, 0);
  return errors;
}

void OpenApiDocument::check_string(const std::string& value, const json& schema,
                                   const std::string& at, std::vector<std::string>& errors) const {
  if (schema.contains("minLength") && value.size() < schema["minLength"].get<size_t>()) {
    errors.push_back(at + ": shorter than minLength " + schema["minLength"].dump());
  }
  if (schema.contains("maxLength") && value.size() > schema["maxLength"].get<size_t>()) {
    errors.push_back(at + ": longer than maxLength " + schema["maxLength"].dump());
  }
  if (schema.contains("pattern") && schema["pattern"].is_string()) {
    const std::regex* re = pattern(schema["pattern"].get<std::string>());
    if (re != nullptr && !std::regex_search(value, *re)) {
      errors.push_back(at + ": \"" + value + "\" does not match pattern " +
                       schema["pattern"].get<std::string>());
    }
  }
  const std::string format = schema.value("format", "");
  bool ok = true;
  if (format == "date") {
    ok = std::regex_match(value, date_re());
  } else if (format == "date-time") {
    ok = std::regex_match(value, date_time_re());
  } else if (format == "uuid") {
    ok = std::regex_match(value, uuid_re());
  } else if (format == "email") {
    const auto atsign = value.find('@');
    ok = atsign != std::string::npos && atsign > 0 && value.find('.', atsign) != std::string::npos;
  } else if (format == "uri") {
    const auto colon = value.find(':');
    ok = colon != std::string::npos && colon > 0;
  }
  if (!ok) errors.push_back(at + ": \"" + value + "\" is not a valid " + format);
}

void OpenApiDocument::check(const json& value, const json& schema, const std::string& at,
                            std::vector<std::string>& errors, int depth) const {
  if (depth > kMaxDepth) {
    errors.push_back(at + ": schema nesting too deep");
    return;
  }
  if (schema.is_boolean()) {
    if (!schema.get<bool>()) errors.push_back(at + ": no value is allowed here");
    return;
  }
  if (!schema.is_object()) return;
  if (schema.contains("$ref")) {  // OpenAPI 3.0: siblings of $ref are ignored
    const std::string ref = schema["$ref"].get<std::string>();
    const json* target = resolve(ref);
    if (target == nullptr) {
      errors.push_back(at + ": unresolvable $ref " + ref);
      return;
    }
    check(value, *target, at, errors, depth + 1);
    return;
  }
  if (value.is_null() && nullable(schema, depth)) return;

  if (schema.contains("allOf")) {
    for (const auto& part : schema["allOf"]) check(value, part, at, errors, depth + 1);
  }
  for (const char* keyword : {"oneOf", "anyOf"}) {
    if (!schema.contains(keyword)) continue;
    std::vector<std::string> reasons;
    bool matched = false;
    for (const auto& option : schema[keyword]) {
      std::vector<std::string> attempt;
      check(value, option, at, attempt, depth + 1);
      if (attempt.empty()) {
        matched = true;
        break;
      }
      reasons.push_back(attempt.front());
    }
    if (!matched) {
      std::string why;
      for (const auto& r : reasons) why += (why.empty() ? "" : "; ") + r;
      errors.push_back(at + ": matches none of " + keyword + " (" + why + ")");
    }
  }

  if (schema.contains("type") && schema["type"].is_string()) {
    const std::string type = schema["type"].get<std::string>();
    if (!type_matches(value, type)) {
      errors.push_back(at + ": expected " + type + ", got " + describe(value));
      return;
    }
  }
  if (schema.contains("enum") && schema["enum"].is_array()) {
    bool found = false;
    for (const auto& option : schema["enum"]) found = found || option == value;
    if (!found)
      errors.push_back(at + ": " + describe(value) + " is not one of " + schema["enum"].dump());
  }
  if (value.is_string()) check_string(value.get<std::string>(), schema, at, errors);
  if (value.is_number()) {
    const double number = value.get<double>();
    if (schema.contains("minimum") && number < schema["minimum"].get<double>()) {
      errors.push_back(at + ": " + describe(value) + " is below minimum " +
                       schema["minimum"].dump());
    }
    if (schema.contains("maximum") && number > schema["maximum"].get<double>()) {
      errors.push_back(at + ": " + describe(value) + " is above maximum " +
                       schema["maximum"].dump());
    }
  }
  if (value.is_object()) {
    if (schema.contains("required")) {
      for (const auto& name : schema["required"]) {
        if (!value.contains(name.get<std::string>())) {
          errors.push_back(at + ": missing required property \"" + name.get<std::string>() + "\"");
        }
      }
    }
    const json* properties = schema.contains("properties") && schema["properties"].is_object()
                                 ? &schema["properties"]
                                 : nullptr;
    for (const auto& [name, member] : value.items()) {
      const std::string where = at + "." + name;
      if (properties != nullptr && properties->contains(name)) {
        check(member, (*properties)[name], where, errors, depth + 1);
      } else if (schema.contains("additionalProperties")) {
        const json& extra = schema["additionalProperties"];
        if (extra.is_boolean() && !extra.get<bool>()) {
          errors.push_back(where + ": property not allowed");
        } else if (extra.is_object()) {
          check(member, extra, where, errors, depth + 1);
        }
      }
    }
  }
  if (value.is_array()) {
    if (schema.contains("minItems") && value.size() < schema["minItems"].get<size_t>()) {
      errors.push_back(at + ": fewer than minItems " + schema["minItems"].dump());
    }
    if (schema.contains("maxItems") && value.size() > schema["maxItems"].get<size_t>()) {
      errors.push_back(at + ": more than maxItems " + schema["maxItems"].dump());
    }
    if (schema.value("uniqueItems", false)) {
      std::set<std::string> seen;
      for (const auto& item : value) {
        if (!seen.insert(item.dump()).second) {
          errors.push_back(at + ": duplicate item " + describe(item));
          break;
        }
      }
    }
    if (schema.contains("items")) {
      for (size_t i = 0; i < value.size(); ++i) {
        check(value[i], schema["items"], at + "[" + std::to_string(i) + "]", errors, depth + 1);
      }
    }
  }
}

}  // namespace ccloud_sim
