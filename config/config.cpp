// Loading: dotenv, then YAML, then validation with ${VAR} substitution (config/validation.cpp).

#include "config/config.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include <yaml-cpp/eventhandler.h>
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

// yaml-cpp 0.7 (Debian 12) never returns on some short broken texts, e.g. ", a]": its parser
// emits null nodes without end (found by fuzz/config_fuzzer.cpp). A text of N characters yields
// at most about 2N events when it is well-formed, so a first pass that only counts events stops
// such a text with an error before YAML::LoadAll would build nodes from it forever.
class EventBudget : public YAML::EventHandler {
 public:
  explicit EventBudget(std::size_t text_size) : left_(4 * text_size + 64) {}

  void OnDocumentStart(const YAML::Mark& mark) override { spend(mark); }
  void OnDocumentEnd() override { spend(last_); }
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { spend(mark); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { spend(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                const std::string&) override {
    spend(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    spend(mark);
  }
  void OnSequenceEnd() override { spend(last_); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    spend(mark);
  }
  void OnMapEnd() override { spend(last_); }

 private:
  void spend(const YAML::Mark& mark) {
    last_ = mark;
    if (left_-- == 0) {
      throw YAML::ParserException(mark,
                                  "the YAML parser does not get past this point "
                                  "(the text around it is not valid YAML)");
    }
  }

  std::size_t left_;
  YAML::Mark last_ = YAML::Mark::null_mark();
};

// The documents of `text`, or YAML::Exception; never loops forever (see EventBudget).
std::vector<YAML::Node> load_documents(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  EventBudget budget(text.size());
  while (parser.HandleNextDocument(budget)) {
  }
  return YAML::LoadAll(text);
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
    documents = load_documents(yaml_text);
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
