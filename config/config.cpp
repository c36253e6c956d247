// Loading: dotenv, then YAML, then validation with ${VAR} substitution (config/validation.cpp).

#include "config/config.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>

#include <yaml-cpp/yaml.h>

#include "config/validation.hpp"

namespace chitragupt::config {
namespace {

namespace fs = std::filesystem;

LoadResult failure(const std::string& path, std::string message) {
  LoadResult result;
  result.errors.push_back(ConfigError{path, std::move(message)});
  return result;
}

std::string malformed(const std::string& source_name, const std::string& detail) {
  return "Malformed YAML in '" + source_name + "': " + detail;
}

// The dotenv entries for `config_path`: `env_file` if given, else a .env beside the config.
Result<std::map<std::string, std::string>> dotenv_for(const std::string& config_path,
                                                      const std::optional<std::string>& env_file) {
  if (env_file) return read_dotenv(*env_file);
  fs::path beside = fs::path(config_path).parent_path() / ".env";
  std::error_code ec;
  if (!fs::exists(beside, ec)) return std::map<std::string, std::string>{};
  return read_dotenv(beside.string());
}

}  // namespace

const TenantConfig* Config::find_tenant(const std::string& name) const {
  for (const auto& tenant : tenants) {
    if (tenant.name == name) return &tenant;
  }
  return nullptr;
}

std::string LoadResult::error_text() const {
  std::string text;
  for (const auto& error : errors) {
    if (!text.empty()) text += "\n";
    text += error.to_string();
  }
  return text;
}

LoadResult parse_config(const std::string& yaml_text, const Environment& env,
                        const std::string& source_name) {
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(yaml_text);
  } catch (const YAML::Exception& e) {
    if (e.mark.is_null()) return failure("", malformed(source_name, e.msg));
    return failure("",
                   malformed(source_name, "line " + std::to_string(e.mark.line + 1) + ", column " +
                                              std::to_string(e.mark.column + 1) + ": " + e.msg));
  }
  if (documents.size() > 1) {
    return failure("", malformed(source_name, "expected a single document, found " +
                                                  std::to_string(documents.size())));
  }
  LoadResult result;
  Config config =
      build_config(documents.empty() ? YAML::Node() : documents.front(), env, result.errors);
  if (result.errors.empty()) result.config = std::move(config);
  return result;
}

LoadResult load_config(const std::string& path, const std::optional<std::string>& env_file) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return failure("", "config file '" + path + "' not found");
  std::ifstream in(path, std::ios::binary);
  if (!fs::is_regular_file(path, ec) || !in) {
    return failure("", "cannot read config file '" + path + "'");
  }
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) return failure("", "cannot read config file '" + path + "'");

  auto dotenv = dotenv_for(path, env_file);
  if (!dotenv) return failure("", dotenv.error());

  LoadResult result = parse_config(text, Environment::from_process(std::move(*dotenv)), path);
  if (result.config) result.config->source_path = path;
  return result;
}

}  // namespace chitragupt::config
