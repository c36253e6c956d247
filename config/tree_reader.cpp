#include "config/tree_reader.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "config/env_substitution.hpp"
#include "common/key_suggestion.hpp"

namespace chitragupt::config {
namespace {

// Aliases can make a YAML tree cyclic (`a: &x [*x]`); no sane configuration is this deep.
constexpr int kMaxDepth = 64;

bool is_null(const YAML::Node& node) { return !node.IsDefined() || node.IsNull(); }

std::string trim(const std::string& text) {
  size_t begin = 0;
  size_t end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return text.substr(begin, end - begin);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

enum class IntParse { ok, not_an_integer, out_of_range };

IntParse parse_integer(const std::string& text, long long& out) {
  std::string digits = trim(text);
  if (!digits.empty() && digits[0] == '+') digits.erase(0, 1);
  if (digits.empty() || digits == "-") return IntParse::not_an_integer;
  size_t first_digit = digits[0] == '-' ? 1 : 0;
  for (size_t i = first_digit; i < digits.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(digits[i]))) return IntParse::not_an_integer;
  }
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
  if (ec == std::errc::result_out_of_range) return IntParse::out_of_range;
  return ec == std::errc() && end == digits.data() + digits.size() ? IntParse::ok
                                                                   : IntParse::not_an_integer;
}

std::optional<bool> parse_boolean(const std::string& text) {
  std::string word = lower(trim(text));
  for (const char* yes : {"true", "yes", "on", "t", "y", "1"}) {
    if (word == yes) return true;
  }
  for (const char* no : {"false", "no", "off", "f", "n", "0"}) {
    if (word == no) return false;
  }
  return std::nullopt;
}

// What PyYAML's safe_load makes of a plain (unquoted, untagged) scalar, for the types kept in
// plugin_settings: YAML 1.1 booleans and decimal integers. Everything else stays a string.
std::optional<nlohmann::json> plain_scalar_value(const std::string& text) {
  static const std::vector<std::string> kTrue = {"true", "True", "TRUE", "yes", "Yes",
                                                 "YES",  "on",   "On",   "ON"};
  static const std::vector<std::string> kFalse = {"false", "False", "FALSE", "no", "No",
                                                  "NO",    "off",   "Off",   "OFF"};
  if (std::find(kTrue.begin(), kTrue.end(), text) != kTrue.end()) return nlohmann::json(true);
  if (std::find(kFalse.begin(), kFalse.end(), text) != kFalse.end()) return nlohmann::json(false);
  size_t start = !text.empty() && (text[0] == '-' || text[0] == '+') ? 1 : 0;
  if (start == text.size()) return std::nullopt;
  if (text[start] == '0' && text.size() > start + 1) return std::nullopt;  // octal et al.
  for (size_t i = start; i < text.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
  }
  long long value = 0;
  if (parse_integer(text, value) != IntParse::ok) return std::nullopt;
  return nlohmann::json(value);
}

bool is_merge_key(const YAML::Node& key) {
  return key.IsScalar() && key.Tag() == "?" && key.Scalar() == "<<";
}

}  // namespace

std::string describe_kind(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a string";
    default:
      return "null";
  }
}

std::string join_path(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

std::string index_path(const std::string& parent, size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

TreeReader::TreeReader(const Environment& env, std::vector<ConfigError>& errors)
    : env_(env), errors_(errors) {}

void TreeReader::error(const std::string& path, std::string message) {
  errors_.push_back(ConfigError{path, std::move(message)});
}

bool TreeReader::has_error_under(const std::string& path, size_t since) const {
  since = std::min(since, errors_.size());
  return std::any_of(errors_.begin() + static_cast<std::ptrdiff_t>(since), errors_.end(),
                     [&](const ConfigError& e) {
                       if (e.path.compare(0, path.size(), path) != 0) return false;
                       return e.path.size() == path.size() || e.path[path.size()] == '.' ||
                              e.path[path.size()] == '[';
                     });
}

bool TreeReader::too_deep(int depth, const std::string& path) {
  if (depth <= kMaxDepth) return false;
  error(path,
        "nested more than " + std::to_string(kMaxDepth) + " levels deep (a recursive alias?)");
  return true;
}

std::optional<std::string> TreeReader::substitute(const std::string& text,
                                                  const std::string& path) {
  Substitution result = substitute_env(text, env_);
  for (const auto& name : result.missing) error(path, missing_variable_message(name));
  if (!result.missing.empty()) return std::nullopt;
  return std::move(result.value);
}

std::optional<std::vector<MapEntry>> TreeReader::mapping(const YAML::Node& node,
                                                         const std::string& path) {
  return mapping_at(node, path, 0);
}

std::optional<std::vector<MapEntry>> TreeReader::mapping_at(const YAML::Node& node,
                                                            const std::string& path, int depth) {
  if (is_null(node)) return std::vector<MapEntry>{};
  if (!node.IsMap()) {
    error(path, "expected a mapping, got " + describe_kind(node));
    return std::nullopt;
  }
  if (too_deep(depth, path)) return std::nullopt;
  std::vector<MapEntry> entries;
  std::set<std::string> keys;
  std::vector<YAML::Node> merge_sources;
  for (const auto& item : node) {
    if (is_merge_key(item.first)) {
      merge_sources.push_back(item.second);
      continue;
    }
    if (!item.first.IsScalar()) {
      error(path, "mapping keys must be strings, got " + describe_kind(item.first));
      continue;
    }
    const std::string& key = item.first.Scalar();
    if (!keys.insert(key).second) {
      error(join_path(path, key), "duplicate key");
      continue;
    }
    entries.push_back(MapEntry{key, item.second, join_path(path, key)});
  }
  if (merge_sources.empty()) return entries;

  std::vector<MapEntry> merged;
  for (const auto& source : merge_sources) {
    std::vector<YAML::Node> maps;
    if (source.IsMap()) maps.push_back(source);
    if (source.IsSequence()) {
      for (const auto& item : source) maps.push_back(item);
    }
    bool all_maps = !maps.empty() && std::all_of(maps.begin(), maps.end(),
                                                 [](const YAML::Node& m) { return m.IsMap(); });
    if (!all_maps) {
      error(join_path(path, "<<"), "a merge key takes a mapping or a list of mappings");
      continue;
    }
    for (const auto& map : maps) {
      auto sub = mapping_at(map, path, depth + 1);
      if (!sub) continue;
      for (auto& entry : *sub) {
        if (keys.insert(entry.key).second) merged.push_back(std::move(entry));
      }
    }
  }
  merged.insert(merged.end(), entries.begin(), entries.end());
  return merged;
}

std::optional<std::set<std::string>> TreeReader::fields(const YAML::Node& node,
                                                        const std::string& path,
                                                        const std::vector<Field>& fields) {
  auto entries = mapping(node, path);
  if (!entries) return std::nullopt;
  std::vector<std::string> names;
  for (const auto& field : fields) names.push_back(field.key);
  std::set<std::string> present;
  for (const auto& entry : *entries) {
    auto field = std::find_if(fields.begin(), fields.end(),
                              [&](const Field& f) { return f.key == entry.key; });
    if (field == fields.end()) {
      error(entry.path, unknown_key_message(entry.key, names));
      continue;
    }
    present.insert(entry.key);
    field->read(entry.value, entry.path);
  }
  return present;
}

std::optional<std::string> TreeReader::string(const YAML::Node& node, const std::string& path,
                                              bool null_is_empty) {
  if (node.IsScalar()) return substitute(node.Scalar(), path);
  if (is_null(node) && null_is_empty) return std::string();
  error(path, "expected a string, got " + describe_kind(node));
  return std::nullopt;
}

std::optional<long long> TreeReader::integer(const YAML::Node& node, const std::string& path) {
  if (!node.IsScalar()) {
    error(path, "expected an integer, got " + describe_kind(node));
    return std::nullopt;
  }
  auto text = substitute(node.Scalar(), path);
  if (!text) return std::nullopt;
  long long value = 0;
  switch (parse_integer(*text, value)) {
    case IntParse::ok:
      return value;
    case IntParse::out_of_range:
      error(path, "integer out of range, got '" + *text + "'");
      break;
    case IntParse::not_an_integer:
      error(path, "expected an integer, got '" + *text + "'");
      break;
  }
  return std::nullopt;
}

std::optional<bool> TreeReader::boolean(const YAML::Node& node, const std::string& path) {
  if (!node.IsScalar()) {
    error(path, "expected a boolean, got " + describe_kind(node));
    return std::nullopt;
  }
  auto text = substitute(node.Scalar(), path);
  if (!text) return std::nullopt;
  if (auto value = parse_boolean(*text)) return value;
  error(path, "expected a boolean, got '" + *text + "'");
  return std::nullopt;
}

std::optional<std::vector<std::string>> TreeReader::string_list(const YAML::Node& node,
                                                                const std::string& path) {
  if (is_null(node)) return std::vector<std::string>{};
  if (!node.IsSequence()) {
    error(path, "expected a list, got " + describe_kind(node));
    return std::nullopt;
  }
  std::vector<std::string> items;
  bool ok = true;
  size_t index = 0;
  for (const auto& item : node) {
    auto value = string(item, index_path(path, index++));
    if (value) items.push_back(std::move(*value));
    ok = ok && value.has_value();
  }
  if (!ok) return std::nullopt;
  return items;
}

std::optional<nlohmann::json> TreeReader::json(const YAML::Node& node, const std::string& path) {
  return json_at(node, path, 0);
}

std::optional<nlohmann::json> TreeReader::json_at(const YAML::Node& node, const std::string& path,
                                                  int depth) {
  if (is_null(node)) return nlohmann::json(nullptr);
  if (too_deep(depth, path)) return std::nullopt;
  if (node.IsScalar()) {
    // The type comes from the text as written: a plain "${PORT}" is a string, as in Python.
    if (node.Tag() == "?") {
      if (auto typed = plain_scalar_value(node.Scalar())) return typed;
    }
    auto text = substitute(node.Scalar(), path);
    if (!text) return std::nullopt;
    return nlohmann::json(std::move(*text));
  }
  bool ok = true;
  if (node.IsSequence()) {
    nlohmann::json array = nlohmann::json::array();
    size_t index = 0;
    for (const auto& item : node) {
      auto value = json_at(item, index_path(path, index++), depth + 1);
      if (value) array.push_back(std::move(*value));
      ok = ok && value.has_value();
    }
    if (!ok) return std::nullopt;
    return array;
  }
  auto entries = mapping_at(node, path, depth);
  if (!entries) return std::nullopt;
  nlohmann::json object = nlohmann::json::object();
  for (const auto& entry : *entries) {
    auto value = json_at(entry.value, entry.path, depth + 1);
    if (value) object[entry.key] = std::move(*value);
    ok = ok && value.has_value();
  }
  if (!ok) return std::nullopt;
  return object;
}

}  // namespace chitragupt::config
