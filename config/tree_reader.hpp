#pragma once
// Reading typed values out of a parsed YAML tree. Every scalar read goes through ${VAR}
// substitution first; every problem becomes a ConfigError at the value's dotted path and
// reading goes on, so a single pass finds all the errors of a file, in document order.
// Error texts never echo a string value (any string may be a secret, e.g. a connection
// string); integers and booleans are echoed, no secret is one.

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "config/config.hpp"

namespace chitragupt::config {

// "logging" + "level" -> "logging.level"; "" + "tenants" -> "tenants".
std::string join_path(const std::string& parent, const std::string& key);
// "api.cors_origins" + 1 -> "api.cors_origins[1]".
std::string index_path(const std::string& parent, size_t index);
// "a mapping", "a list", "a string" or "null", for "expected X, got Y" messages.
std::string describe_kind(const YAML::Node& node);

struct MapEntry {
  std::string key;
  YAML::Node value;
  std::string path;
};

// One key of a section: its name and how to read its value.
struct Field {
  std::string key;
  std::function<void(const YAML::Node& value, const std::string& path)> read;
};

class TreeReader {
 public:
  TreeReader(const Environment& env, std::vector<ConfigError>& errors);

  void error(const std::string& path, std::string message);
  size_t error_count() const { return errors_.size(); }
  // Whether an error numbered `since` or later was reported at `path` or anywhere below it.
  // (Dotted paths can be ambiguous: tenants "a" and "a.storage" share prefixes.)
  bool has_error_under(const std::string& path, size_t since = 0) const;

  // Entries in document order, YAML merge keys ("<<") resolved as PyYAML does (explicit keys
  // win, then earlier merged mappings), duplicate keys reported. Null reads as an empty
  // mapping; any other kind is an error and gives std::nullopt.
  std::optional<std::vector<MapEntry>> mapping(const YAML::Node& node, const std::string& path);

  // Reads a mapping whose keys must be among `fields`; an unknown key is an error suggesting
  // the closest valid one. Returns the keys present, or std::nullopt if `node` is no mapping.
  std::optional<std::set<std::string>> fields(const YAML::Node& node, const std::string& path,
                                              const std::vector<Field>& fields);

  std::optional<std::string> string(const YAML::Node& node, const std::string& path,
                                    bool null_is_empty = false);
  // Lax like pydantic: a YAML integer or a string holding one ("9999"); not floats or booleans.
  std::optional<long long> integer(const YAML::Node& node, const std::string& path);
  // true/false, yes/no, on/off, t/f, y/n, 1/0 in any case.
  std::optional<bool> boolean(const YAML::Node& node, const std::string& path);
  // Null reads as an empty list.
  std::optional<std::vector<std::string>> string_list(const YAML::Node& node,
                                                      const std::string& path);
  // A free-form subtree: plain YAML integers, booleans and nulls keep their type, every other
  // scalar becomes a (substituted) string; mappings and lists recursively.
  std::optional<nlohmann::json> json(const YAML::Node& node, const std::string& path);

 private:
  std::optional<std::vector<MapEntry>> mapping_at(const YAML::Node& node, const std::string& path,
                                                  int depth);
  std::optional<nlohmann::json> json_at(const YAML::Node& node, const std::string& path, int depth);
  std::optional<std::string> substitute(const std::string& text, const std::string& path);
  bool too_deep(int depth, const std::string& path);

  const Environment& env_;
  std::vector<ConfigError>& errors_;
};

}  // namespace chitragupt::config
