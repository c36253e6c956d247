// docs/configuration.md documents exactly the keys the configuration code accepts.
//
// The accepted keys are not copied into this test: they are discovered from the real binary.
// A key nobody could mean (a long run of 'q') placed in a section makes `--validate` answer
// "unknown key (valid keys: a, b, c)", the section's full list; the test then probes each key
// it learnt the same way, as a section, as a mapping of named entries (tenants.<name>) and as a
// list of mappings (emitters[]), down to the leaves. The plugin validators the binary registers
// (confluent_cloud's plugin_settings) take part like any other section.
//
// The other ecosystems' plugin_settings (self_managed_kafka, generic_metrics_only) are walked the
// same way under a tenant of that ecosystem and compared with their own tables ("| key
// (self_managed_kafka) |") plus the keys the reference says they share with confluent_cloud
// (metrics.*, and allocator_params .. emitters). Each of their documented keys is also tried
// with the reference's own example value (accepted: no error names it) and with a value of the
// wrong shape (rejected: an error names it).

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/engine_process.hpp"

namespace chitragupt::testing {
namespace {

using nlohmann::json;

const std::string kReference = std::string(CHITRAGUPT_SOURCE_DIR) + "/docs/configuration.md";

// One step of a key path: a key of a section, an entry of a named mapping, an item of a list.
struct Step {
  enum Kind { key, named, item } kind;
  std::string name;  // for `key`
};
using KeyPath = std::vector<Step>;

// "tenants.<name>.plugin_settings.emitters[].type", the notation of the reference's tables.
std::string render(const KeyPath& path) {
  std::string out;
  for (const auto& step : path) {
    if (step.kind == Step::item) {
      out += "[]";
    } else {
      if (!out.empty()) out += ".";
      out += step.kind == Step::named ? "<name>" : step.name;
    }
  }
  return out;
}

// The configuration document holding `leaf` at `path`. A tenant gets what it needs for its
// plugin_settings to be checked by its ecosystem's validator (an ecosystem and a tenant_id).
json document_with(const KeyPath& path, const json& leaf,
                   const std::string& ecosystem = "confluent_cloud") {
  std::function<json(size_t)> build = [&](size_t i) -> json {
    if (i == path.size()) return leaf;
    const Step& step = path[i];
    json node;
    if (step.kind == Step::item) {
      node = json::array({build(i + 1)});
    } else {
      node = json::object();
      node[step.kind == Step::named ? "t1" : step.name] = build(i + 1);
    }
    bool is_tenant = i >= 1 && path[i - 1].kind == Step::key && path[i - 1].name == "tenants" &&
                     i - 1 == 0 && step.kind == Step::named;
    if (is_tenant && i + 1 <= path.size()) {
      json& tenant = node["t1"];
      if (tenant.is_object()) {
        if (!tenant.contains("ecosystem")) tenant["ecosystem"] = ecosystem;
        if (!tenant.contains("tenant_id")) tenant["tenant_id"] = "t1";
      }
    }
    return node;
  };
  return build(0);
}

class KeyDiscovery {
 public:
  explicit KeyDiscovery(std::string dir, std::string ecosystem = "confluent_cloud")
      : dir_(std::move(dir)), ecosystem_(std::move(ecosystem)) {}

  // Every leaf key under `start` (the whole file by default).
  std::set<std::string> discover(const KeyPath& start = {}) {
    auto root = valid_keys(start);
    EXPECT_TRUE(root.has_value()) << render(start) << " listed no valid keys";
    if (root) walk(start, *root);
    return keys_;
  }

  size_t runs() const { return runs_; }

 private:
  // The probe key of the next run: unique per run, far from every real key.
  std::string probe_key() { return std::string(48, 'q') + std::to_string(++runs_); }

  // What --validate says about `document`.
  std::string validate(const json& document) {
    const std::string file = dir_ + "/probe.yaml";
    write_file(file, document.dump(2));  // JSON is YAML
    auto r = run_binary({"--config-file", file, "--env-file", dir_ + "/empty.env", "--validate"});
    return r.out + r.err;
  }

  // The key list in "<...>.<probe>: unknown key (valid keys: a, b)", if --validate says so.
  static std::optional<std::vector<std::string>> listed(const std::string& output,
                                                        const std::string& probe) {
    const std::string marker = probe + ": unknown key (valid keys: ";
    auto at = output.find(marker);
    if (at == std::string::npos) return std::nullopt;
    auto begin = at + marker.size();
    auto end = output.find(')', begin);
    std::vector<std::string> keys;
    std::stringstream list(output.substr(begin, end - begin));
    for (std::string k; std::getline(list, k, ',');) {
      k.erase(0, k.find_first_not_of(' '));
      keys.push_back(k);
    }
    return keys;
  }

  // The keys of the section at `path`, or nullopt if it is no section.
  std::optional<std::vector<std::string>> valid_keys(const KeyPath& path,
                                                     std::string* output = nullptr) {
    std::string probe = probe_key();
    std::string out = validate(document_with(path, json{{probe, 1}}, ecosystem_));
    if (output) *output = out;
    return listed(out, probe);
  }

  void walk(const KeyPath& section, const std::vector<std::string>& keys) {
    for (const auto& key : keys) {
      KeyPath path = section;
      path.push_back({Step::key, key});
      ASSERT_LT(path.size(), 12u) << "runaway discovery at " << render(path);
      std::string as_section;
      if (auto children = valid_keys(path, &as_section)) {
        walk(path, *children);
        continue;
      }
      KeyPath named = path;
      named.push_back({Step::named, ""});
      if (auto children = valid_keys(named)) {
        walk(named, *children);
        continue;
      }
      if (as_section.find("expected a list") != std::string::npos) {
        KeyPath item = path;
        item.push_back({Step::item, ""});
        if (auto children = valid_keys(item)) {
          walk(item, *children);
          continue;
        }
      }
      keys_.insert(render(path));
    }
  }

  std::string dir_;
  std::string ecosystem_;
  size_t runs_ = 0;
  std::set<std::string> keys_;
};

struct ReferenceRow {
  std::string key, type, default_value, example, description;
  std::string table;  // "" for "| key |", "self_managed_kafka" for "| key (self_managed_kafka) |"
};

std::vector<std::string> cells_of(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  bool in_code = false;
  for (size_t i = 1; i < line.size(); ++i) {  // line[0] == '|'
    char c = line[i];
    if (c == '`') in_code = !in_code;
    if (c == '|' && !in_code && line[i - 1] != '\\') {
      cell.erase(0, cell.find_first_not_of(' '));
      cell.erase(cell.find_last_not_of(' ') + 1);
      cells.push_back(cell);
      cell.clear();
    } else {
      cell += c;
    }
  }
  return cells;
}

// Rows of every key table: those whose header starts with "| key |" (table "") or with
// "| key (<ecosystem>) |" (table "<ecosystem>").
std::vector<ReferenceRow> reference_rows() {
  std::vector<ReferenceRow> rows;
  std::istringstream in(read_file(kReference));
  bool in_key_table = false;
  std::string table;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("|", 0) != 0) {
      in_key_table = false;
      continue;
    }
    auto cells = cells_of(line);
    if (!in_key_table) {
      if (cells.empty()) continue;
      const std::string& head = cells[0];
      if (head == "key") {
        in_key_table = true;
        table.clear();
      } else if (head.rfind("key (", 0) == 0 && head.back() == ')') {
        in_key_table = true;
        table = head.substr(5, head.size() - 6);
      }
      continue;
    }
    if (!cells.empty() && cells[0].find("---") != std::string::npos) continue;
    EXPECT_EQ(cells.size(), 5u) << "key | type | default | example | description: " << line;
    cells.resize(5);
    std::string key = cells[0];
    if (key.size() >= 2 && key.front() == '`' && key.back() == '`') {
      key = key.substr(1, key.size() - 2);
    }
    rows.push_back({key, cells[1], cells[2], cells[3], cells[4], table});
  }
  return rows;
}

TEST(ConfigReference, documents_every_key_the_binary_accepts_and_no_other) {
  TempDir dir;
  write_file(dir.file("empty.env"), "");
  KeyDiscovery discovery(dir.path());
  std::set<std::string> accepted = discovery.discover();
  // The discovery itself must work: these are certain.
  for (const char* sure : {"logging.level", "api.port", "tenants.<name>.lookback_days",
                           "tenants.<name>.storage.connection_string",
                           "tenants.<name>.plugin_settings.ccloud_api.secret",
                           "tenants.<name>.plugin_settings.emitters[].type"}) {
    ASSERT_TRUE(accepted.count(sure))
        << "discovery did not find " << sure << " (" << discovery.runs() << " probes)";
  }

  std::set<std::string> documented;
  for (const auto& row : reference_rows()) {
    if (!row.table.empty()) continue;  // another ecosystem's plugin_settings (tested below)
    EXPECT_TRUE(documented.insert(row.key).second) << row.key << " is documented twice";
  }
  for (const auto& key : accepted) {
    EXPECT_TRUE(documented.count(key)) << "accepted but not in docs/configuration.md: " << key;
  }
  for (const auto& key : documented) {
    EXPECT_TRUE(accepted.count(key)) << "documented but not accepted by the binary: " << key;
  }
}

TEST(ConfigReference, every_key_row_gives_a_type_a_default_and_an_example) {
  auto rows = reference_rows();
  ASSERT_GE(rows.size(), 30u) << "docs/configuration.md has too few key rows";
  for (const auto& row : rows) {
    EXPECT_FALSE(row.type.empty()) << row.key;
    EXPECT_FALSE(row.default_value.empty()) << row.key;
    EXPECT_FALSE(row.example.empty()) << row.key;
    EXPECT_FALSE(row.description.empty()) << row.key;
  }
}

// The other ecosystems' plugin_settings: what the binary accepts under a tenant of `ecosystem`
// is what the reference documents for it, each documented key is checked (a value of the wrong
// shape is an error naming it), and an unknown key is rejected.

const std::string kPluginSettings = "tenants.<name>.plugin_settings.";

// Any placeholder of a named entry ("<region>") compares as "<name>".
std::string normalized(const std::string& key) {
  static const std::regex placeholder("<[^>]*>");
  return std::regex_replace(key, placeholder, "<name>");
}

// The reference's keys for `ecosystem`: its own table, and from the confluent_cloud table the
// metrics.* keys and the common ones, allocator_params through emitters[] (the reference says
// these are shared by all three).
std::set<std::string> documented_for(const std::string& ecosystem) {
  std::set<std::string> out;
  const auto rows = reference_rows();
  for (const auto& row : rows) {
    if (row.table != ecosystem) continue;
    EXPECT_TRUE(out.insert(normalized(row.key)).second) << row.key << " is documented twice";
  }
  EXPECT_GE(out.size(), 10u) << "no table '| key (" << ecosystem << ") |' in the reference";
  bool common = false, seen_emitters = false;
  for (const auto& row : rows) {
    if (!row.table.empty()) continue;
    const bool emitters = row.key.rfind(kPluginSettings + "emitters[].", 0) == 0;
    if (row.key == kPluginSettings + "allocator_params") common = true;
    if (common && seen_emitters && !emitters) common = false;
    seen_emitters = seen_emitters || (common && emitters);
    if (common || row.key.rfind(kPluginSettings + "metrics.", 0) == 0) out.insert(row.key);
  }
  return out;
}

// "tenants.<name>.plugin_settings.cost_types[].cost_quantity.type" as a key path.
KeyPath path_of(const std::string& key) {
  KeyPath path;
  std::stringstream in(key);
  for (std::string part; std::getline(in, part, '.');) {
    if (part.size() > 2 && part.front() == '<' && part.back() == '>') {
      path.push_back({Step::named, ""});
      continue;
    }
    bool item = part.size() > 2 && part.compare(part.size() - 2, 2, "[]") == 0;
    if (item) part.resize(part.size() - 2);
    path.push_back({Step::key, part});
    if (item) path.push_back({Step::item, ""});
  }
  return path;
}

// The path as --validate names it in the document document_with() builds.
std::string concrete(const KeyPath& path) {
  std::string out;
  for (const auto& step : path) {
    if (step.kind == Step::item) {
      out += "[0]";
    } else {
      out += (out.empty() ? "" : ".") + (step.kind == Step::named ? std::string("t1") : step.name);
    }
  }
  return out;
}

class OtherEcosystemKeys : public ::testing::TestWithParam<std::string> {};

TEST_P(OtherEcosystemKeys, documented_keys_are_exactly_the_accepted_ones_and_each_is_checked) {
  const std::string ecosystem = GetParam();
  TempDir dir;
  write_file(dir.file("empty.env"), "");
  KeyDiscovery discovery(dir.path(), ecosystem);
  const KeyPath plugin_settings = {
      {Step::key, "tenants"}, {Step::named, ""}, {Step::key, "plugin_settings"}};
  std::set<std::string> accepted;
  for (const auto& key : discovery.discover(plugin_settings)) accepted.insert(normalized(key));
  ASSERT_TRUE(accepted.count(kPluginSettings + "cluster_id"))
      << "discovery did not find cluster_id under a " << ecosystem << " tenant ("
      << discovery.runs() << " probes)";
  ASSERT_TRUE(accepted.count(kPluginSettings + "emitters[].type"));

  const std::set<std::string> documented = documented_for(ecosystem);
  for (const auto& key : accepted) {
    EXPECT_TRUE(documented.count(key))
        << ecosystem << ": accepted but not in docs/configuration.md: " << key;
  }
  for (const auto& key : documented) {
    EXPECT_TRUE(accepted.count(key))
        << ecosystem << ": documented but not accepted by the binary: " << key;
  }

  // Each documented key is read: a value of the wrong shape (a list of a list, which no key
  // takes) is an error naming the key's own path.
  const std::string file = dir.file("probe.yaml");
  for (const auto& key : documented) {
    const KeyPath path = path_of(key);
    write_file(file, document_with(path, json::array({json::array()}), ecosystem).dump(2));
    auto r = run_binary({"--config-file", file, "--env-file", dir.file("empty.env"), "--validate"});
    EXPECT_NE(r.exit_code, 0) << key;
    const std::string named = concrete(path) + ": ";
    EXPECT_NE((r.out + r.err).find(named), std::string::npos)
        << ecosystem << ": a list of a list at " << key << " is no error naming it:\n"
        << r.out << r.err;
  }

  // An unknown key anywhere under them is rejected, naming it: at the top of plugin_settings
  // and one level down in each of its sections.
  std::set<std::string> sections = {render(plugin_settings)};
  for (const auto& key : documented) {
    KeyPath path = path_of(key);
    if (path.size() > plugin_settings.size() + 1) {
      sections.insert(render(KeyPath(path.begin(), path.begin() + plugin_settings.size() + 1)));
    }
  }
  for (const auto& section : sections) {
    KeyPath path = path_of(section);
    if (path.size() > plugin_settings.size()) {
      // A section that is a list is probed in its first item.
      const std::string k = render(path) + "[]";
      bool list = std::any_of(documented.begin(), documented.end(),
                              [&](const std::string& d) { return d.rfind(k, 0) == 0; });
      if (list) path.push_back({Step::item, ""});
    }
    write_file(file, document_with(path, json{{"no_such_key_at_all", 1}}, ecosystem).dump(2));
    auto r = run_binary({"--config-file", file, "--env-file", dir.file("empty.env"), "--validate"});
    EXPECT_NE(r.exit_code, 0) << render(path);
    EXPECT_NE((r.out + r.err).find(concrete(path) + ".no_such_key_at_all: unknown key"),
              std::string::npos)
        << ecosystem << ": an unknown key in " << render(path) << " is not rejected:\n"
        << r.out << r.err;
  }
}

INSTANTIATE_TEST_SUITE_P(ConfigReference, OtherEcosystemKeys,
                         ::testing::Values("self_managed_kafka", "generic_metrics_only"));

// The docs' examples are real: every YAML block of the reference and the quick start that
// holds tenants loads (with the variables it uses set).
TEST(ConfigReference, yaml_examples_pass_validate) {
  std::vector<std::string> blocks;
  std::string block;
  bool in_yaml = false;
  std::string docs = read_file(kReference) + "\n" +
                     read_file(std::string(CHITRAGUPT_SOURCE_DIR) + "/docs/quickstart.md");
  std::istringstream in(docs);
  for (std::string line; std::getline(in, line);) {
    if (!in_yaml && line == "```yaml") {
      in_yaml = true;
      block.clear();
    } else if (in_yaml && line == "```") {
      in_yaml = false;
      if (block.find("tenants:") != std::string::npos) blocks.push_back(block);
    } else if (in_yaml) {
      block += line + "\n";
    }
  }
  ASSERT_GE(blocks.size(), 3u);
  TempDir dir;
  std::string env;
  static const std::regex var(R"(\$\{([A-Za-z_][A-Za-z0-9_]*)\})");
  for (const auto& b : blocks) {
    for (std::sregex_iterator it(b.begin(), b.end(), var), end; it != end; ++it) {
      env += (*it)[1].str() + "=example-value\n";
    }
  }
  write_file(dir.file("example.env"), env);
  for (size_t i = 0; i < blocks.size(); ++i) {
    write_file(dir.file("example.yaml"), blocks[i]);
    auto r = run_binary({"--config-file", dir.file("example.yaml"), "--env-file",
                         dir.file("example.env"), "--validate"});
    EXPECT_EQ(r.exit_code, 0) << "example " << i + 1 << ":\n" << blocks[i] << "\n" << r.err;
  }
}

}  // namespace
}  // namespace chitragupt::testing
