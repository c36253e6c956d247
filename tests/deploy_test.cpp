// The deployment artifacts (docker-compose.yaml, Dockerfile, .dockerignore, .env.example,
// deploy/) checked without a Docker engine: they parse, every path they name exists, every
// variable they use is in .env.example, the mounted config passes the real binary's --validate,
// the runtime image installs every library the binary links, the PostgreSQL init script creates
// its databases on a real server, and the systemd unit passes `systemd-analyze verify`.

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "storage/database.hpp"
#include "storage/pg_test_env.hpp"
#include "tests/support/engine_process.hpp"

namespace chitragupt::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const std::string kRepo = CHITRAGUPT_SOURCE_DIR;

std::string repo_file(const std::string& relative) { return kRepo + "/" + relative; }

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  size_t e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// A program run to completion (bounded), output captured.
ProcessResult run_program(const std::string& program, const std::vector<std::string>& args,
                          std::chrono::milliseconds limit = 60s) {
  TempDir logs;
  EngineProcess process(args, logs.path(), program, "command");
  ProcessResult r;
  auto code = process.wait_exit(limit);
  r.exit_code = code.value_or(-1);
  r.out = process.stdout_text();
  r.err = process.stderr_text();
  return r;
}

ProcessResult shell(const std::string& command, std::chrono::milliseconds limit = 60s) {
  return run_program("/bin/sh", {"-c", command}, limit);
}

// Names used as ${NAME}, ${NAME:-default}, ${NAME:?message} ($$ is compose's literal $),
// outside comment lines.
std::set<std::string> variables_used(const std::string& text) {
  std::set<std::string> names;
  static const std::regex var(R"(\$\{([A-Za-z_][A-Za-z0-9_]*)(?:[:?-][^}]*)?\})");
  std::string code;
  for (const auto& line : lines_of(text)) {
    if (trim(line).rfind("#", 0) != 0) code += line + "\n";
  }
  std::string unescaped = std::regex_replace(code, std::regex(R"(\$\$)"), "");
  for (std::sregex_iterator it(unescaped.begin(), unescaped.end(), var), end; it != end; ++it) {
    names.insert((*it)[1]);
  }
  return names;
}

std::map<std::string, std::string> env_example() {
  std::map<std::string, std::string> vars;
  for (const auto& raw : lines_of(read_file(repo_file(".env.example")))) {
    std::string line = trim(raw);
    if (line.empty() || line[0] == '#') continue;
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    vars[trim(line.substr(0, eq))] = line.substr(eq + 1);
  }
  return vars;
}

// ---------------------------------------------------------------- Dockerfile

struct DockerInstruction {
  std::string keyword;  // upper case
  std::string args;
};

struct DockerStage {
  std::string image;
  std::string name;
  std::vector<DockerInstruction> instructions;
  std::vector<std::string> of(const std::string& keyword) const {
    std::vector<std::string> out;
    for (const auto& i : instructions) {
      if (i.keyword == keyword) out.push_back(i.args);
    }
    return out;
  }
};

// Joins continuation lines, drops comments, splits into stages at FROM.
std::vector<DockerStage> parse_dockerfile(const std::string& text) {
  std::vector<DockerStage> stages;
  std::string pending;
  auto flush = [&](const std::string& statement) {
    std::string s = trim(statement);
    if (s.empty()) return;
    auto space = s.find_first_of(" \t");
    std::string keyword = s.substr(0, space);
    std::transform(keyword.begin(), keyword.end(), keyword.begin(), ::toupper);
    std::string args = space == std::string::npos ? "" : trim(s.substr(space));
    if (keyword == "FROM") {
      auto w = words(args);
      DockerStage stage;
      stage.image = w.empty() ? "" : w[0];
      if (w.size() >= 3) stage.name = w[2];
      stages.push_back(stage);
      return;
    }
    if (stages.empty()) stages.push_back({});  // instructions before FROM: a parse error
    stages.back().instructions.push_back({keyword, args});
  };
  for (const auto& raw : lines_of(text)) {
    std::string line = trim(raw);
    if (pending.empty() && (line.empty() || line[0] == '#')) continue;
    if (!line.empty() && line[0] == '#') continue;  // comment inside a continued statement
    if (!line.empty() && line.back() == '\\') {
      pending += line.substr(0, line.size() - 1) + " ";
      continue;
    }
    flush(pending + line);
    pending.clear();
  }
  flush(pending);
  return stages;
}

std::vector<DockerStage> dockerfile() { return parse_dockerfile(read_file(repo_file("Dockerfile"))); }

// The packages of every `apt-get install` in a stage.
std::set<std::string> apt_packages(const DockerStage& stage) {
  std::set<std::string> packages;
  for (const auto& run : stage.of("RUN")) {
    auto w = words(run);
    for (size_t i = 0; i < w.size(); ++i) {
      if (w[i] != "install" || i == 0 || w[i - 1].find("apt-get") == std::string::npos) continue;
      for (size_t j = i + 1; j < w.size() && w[j] != "&&"; ++j) {
        if (w[j][0] != '-') packages.insert(w[j]);
      }
    }
  }
  return packages;
}

TEST(Dockerfile, is_multi_stage_on_debian_12_and_runs_the_engine_as_a_non_root_user) {
  auto stages = dockerfile();
  ASSERT_GE(stages.size(), 2u) << "a build stage and a runtime stage";
  for (const auto& stage : stages) {
    EXPECT_TRUE(stage.image == "debian:12" || stage.image.rfind("debian:bookworm", 0) == 0)
        << "stage on " << stage.image << " is not Debian 12";
  }
  const DockerStage& runtime = stages.back();
  auto users = runtime.of("USER");
  ASSERT_FALSE(users.empty()) << "the runtime stage sets no USER (it would run as root)";
  EXPECT_NE(users.back(), "root");
  EXPECT_NE(users.back().substr(0, users.back().find(':')), "0");
  EXPECT_EQ(runtime.of("EXPOSE"), std::vector<std::string>{"8080"});

  auto entrypoints = runtime.of("ENTRYPOINT");
  ASSERT_EQ(entrypoints.size(), 1u);
  auto entrypoint = nlohmann::json::parse(entrypoints[0], nullptr, false);
  ASSERT_TRUE(entrypoint.is_array() && !entrypoint.empty())
      << "ENTRYPOINT in exec form: " << entrypoints[0];
  // The entry point is the binary the runtime stage copies out of the build stage.
  bool copied = false;
  for (const auto& copy : runtime.of("COPY")) {
    auto w = words(copy);
    if (!w.empty() && w[0].rfind("--from=", 0) == 0 && w.back() == entrypoint[0]) copied = true;
  }
  EXPECT_TRUE(copied) << entrypoint[0] << " is not copied from a build stage";
  auto cmd = nlohmann::json::parse(runtime.of("CMD").at(0), nullptr, false);
  EXPECT_EQ(cmd, nlohmann::json({"--config-file", "/app/config/config.yaml", "--mode", "both"}));

  // /app/data is created and handed to the user the engine runs as.
  std::string user = users.back().substr(0, users.back().find(':'));
  bool owns_data = false;
  for (const auto& run : runtime.of("RUN")) {
    if (run.find("chown " + user) != std::string::npos && run.find("/app/data") != std::string::npos)
      owns_data = true;
  }
  EXPECT_TRUE(owns_data) << "/app/data is not chowned to " << user;
}

TEST(Dockerfile, copies_only_paths_that_exist_and_names_earlier_stages) {
  auto stages = dockerfile();
  std::set<std::string> earlier;
  for (const auto& stage : stages) {
    for (const auto& copy : stage.of("COPY")) {
      auto w = words(copy);
      ASSERT_GE(w.size(), 2u) << "COPY " << copy;
      std::vector<std::string> sources;
      std::string from;
      for (size_t i = 0; i + 1 < w.size(); ++i) {
        if (w[i].rfind("--from=", 0) == 0) {
          from = w[i].substr(7);
        } else if (w[i].rfind("--", 0) != 0) {
          sources.push_back(w[i]);
        }
      }
      if (!from.empty()) {
        EXPECT_TRUE(earlier.count(from)) << "COPY --from=" << from << ": no earlier stage";
        continue;
      }
      for (const auto& source : sources) {
        EXPECT_TRUE(fs::exists(repo_file(source))) << "COPY source " << source << " is not in the repo";
      }
    }
    if (!stage.name.empty()) earlier.insert(stage.name);
  }
}

TEST(Dockerfile, build_stage_installs_what_scripts_install_deps_installs) {
  auto stages = dockerfile();
  ASSERT_GE(stages.size(), 2u);
  bool runs_script = false;
  for (const auto& run : stages.front().of("RUN")) {
    if (run.find("scripts/install-deps.sh") != std::string::npos) runs_script = true;
  }
  EXPECT_TRUE(runs_script) << "the build stage should install the packages of "
                              "scripts/install-deps.sh, the one list of build dependencies";
}

TEST(Dockerfile, runtime_stage_has_no_compiler_or_headers) {
  auto packages = apt_packages(dockerfile().back());
  ASSERT_FALSE(packages.empty());
  for (const auto& p : packages) {
    EXPECT_TRUE(p.size() < 4 || p.substr(p.size() - 4) != "-dev") << p;
    EXPECT_NE(p, "build-essential");
    EXPECT_NE(p, "cmake");
    EXPECT_NE(p, "g++");
  }
}

// Every shared library the built binary asks for (DT_NEEDED) comes from a Debian package that
// the runtime stage installs; libc6 is the only one a bookworm-slim image is assumed to have.
TEST(Dockerfile, runtime_stage_installs_every_library_the_binary_links) {
  auto installed = apt_packages(dockerfile().back());
  auto needed = shell("objdump -p '" + std::string(CHITRAGUPT_BINARY) +
                      "' | awk '$1 == \"NEEDED\" { print $2 }'");
  ASSERT_EQ(needed.exit_code, 0) << needed.err;
  auto libraries = words(needed.out);
  ASSERT_GE(libraries.size(), 5u) << needed.out;
  auto resolved = shell("ldd '" + std::string(CHITRAGUPT_BINARY) + "'");
  ASSERT_EQ(resolved.exit_code, 0) << resolved.err;
  for (const auto& library : libraries) {
    std::string path;
    for (const auto& line : lines_of(resolved.out)) {
      auto w = words(line);
      if (w.size() >= 3 && w[0] == library && w[1] == "=>") path = w[2];
    }
    ASSERT_FALSE(path.empty()) << library << " does not resolve on this machine";
    // dpkg records some files under /lib, some under /usr/lib (merged /usr): try both.
    auto owner = shell("p='" + path + "'; r=$(readlink -f \"$p\"); "
                       "(dpkg -S \"$p\" || dpkg -S \"$r\" || dpkg -S \"${r#/usr}\") 2>/dev/null");
    ASSERT_EQ(owner.exit_code, 0) << library << " (" << path << ") belongs to no package";
    std::string package = owner.out.substr(0, owner.out.find(':'));
    if (package == "libc6") continue;
    EXPECT_TRUE(installed.count(package))
        << library << " comes from " << package << ", which the runtime stage does not install";
  }
}

TEST(Dockerignore, keeps_build_trees_repository_and_secrets_out_of_the_context) {
  std::set<std::string> patterns;
  for (const auto& line : lines_of(read_file(repo_file(".dockerignore")))) {
    if (!trim(line).empty() && trim(line)[0] != '#') patterns.insert(trim(line));
  }
  for (const char* expected : {".git", "build", "build-*", ".env", "data"}) {
    EXPECT_TRUE(patterns.count(expected)) << ".dockerignore lacks " << expected;
  }
  // The context still holds what the build needs.
  for (const char* needed : {"CMakeLists.txt", "scripts", "migrations", "main.cpp"}) {
    EXPECT_FALSE(patterns.count(needed)) << needed;
  }
}

// ---------------------------------------------------------------- docker-compose.yaml

YAML::Node compose() { return YAML::LoadFile(repo_file("docker-compose.yaml")); }

std::vector<std::string> sequence_of(const YAML::Node& node) {
  std::vector<std::string> out;
  for (const auto& item : node) out.push_back(item.as<std::string>());
  return out;
}

// "./deploy/config.yaml:/app/config/config.yaml:ro" -> {source, target, options}.
struct Mount {
  std::string source, target, options;
};
Mount mount_of(const std::string& spec) {
  Mount m;
  auto first = spec.find(':');
  m.source = spec.substr(0, first);
  auto second = spec.find(':', first + 1);
  m.target = spec.substr(first + 1, second == std::string::npos ? std::string::npos
                                                                : second - first - 1);
  if (second != std::string::npos) m.options = spec.substr(second + 1);
  return m;
}

TEST(Compose, engine_service_builds_the_dockerfile_and_runs_worker_and_api) {
  YAML::Node engine = compose()["services"]["chitragupt"];
  ASSERT_TRUE(engine.IsMap());
  std::string dockerfile_name = engine["build"]["dockerfile"].as<std::string>("Dockerfile");
  std::string context = engine["build"]["context"].as<std::string>();
  EXPECT_TRUE(fs::exists(repo_file(context + "/" + dockerfile_name)));
  EXPECT_EQ(sequence_of(engine["command"]),
            (std::vector<std::string>{"--config-file", "/app/config/config.yaml", "--mode", "both"}));
  bool publishes_8080 = false;
  for (const auto& port : engine["ports"]) {
    std::string p = port.as<std::string>();
    if (p.size() >= 5 && p.substr(p.size() - 5) == ":8080") publishes_8080 = true;
  }
  EXPECT_TRUE(publishes_8080);
  EXPECT_EQ(engine["env_file"].as<std::string>(), ".env");
}

TEST(Compose, the_engine_may_open_enough_files_for_many_tenants) {
  YAML::Node nofile = compose()["services"]["chitragupt"]["ulimits"]["nofile"];
  ASSERT_TRUE(nofile.IsMap()) << "services.chitragupt.ulimits.nofile";
  EXPECT_GE(nofile["soft"].as<int>(0), 4096);
  EXPECT_GE(nofile["hard"].as<int>(0), nofile["soft"].as<int>(0));
}

TEST(Compose, health_check_probes_health_with_a_program_the_image_installs) {
  YAML::Node check = compose()["services"]["chitragupt"]["healthcheck"];
  auto test = sequence_of(check["test"]);
  ASSERT_GE(test.size(), 2u);
  EXPECT_EQ(test[0], "CMD");
  EXPECT_EQ(test.back(), "http://127.0.0.1:8080/health");
  EXPECT_TRUE(apt_packages(dockerfile().back()).count(test[1]))
      << "the health check runs " << test[1] << ", which the runtime image does not install";
  for (const char* key : {"interval", "timeout", "retries", "start_period"}) {
    EXPECT_TRUE(check[key].IsDefined()) << key;
  }
}

TEST(Compose, config_is_mounted_read_only_and_data_lives_on_a_named_volume) {
  YAML::Node root = compose();
  bool config_mounted = false, data_volume = false;
  for (const auto& volume : root["services"]["chitragupt"]["volumes"]) {
    Mount m = mount_of(volume.as<std::string>());
    if (m.target == "/app/config/config.yaml") {
      config_mounted = true;
      EXPECT_EQ(m.options, "ro");
      EXPECT_TRUE(fs::is_regular_file(repo_file(m.source))) << m.source;
    }
    if (m.target == "/app/data") {
      data_volume = true;
      EXPECT_TRUE(root["volumes"][m.source].IsDefined())
          << m.source << " is not declared under volumes:";
    }
  }
  EXPECT_TRUE(config_mounted);
  EXPECT_TRUE(data_volume);
}

TEST(Compose, every_bind_mount_source_exists) {
  size_t binds = 0;
  for (const auto& service : compose()["services"]) {
    for (const auto& volume : service.second["volumes"]) {
      Mount m = mount_of(volume.as<std::string>());
      if (m.source.rfind("./", 0) != 0 && m.source.rfind("/", 0) != 0) continue;  // named volume
      ++binds;
      EXPECT_TRUE(fs::exists(repo_file(m.source)))
          << service.first.as<std::string>() << ": " << m.source << " does not exist";
    }
  }
  EXPECT_GE(binds, 2u);
}

TEST(Compose, postgres_service_runs_the_tenant_database_init_script) {
  YAML::Node pg = compose()["services"]["postgres"];
  ASSERT_TRUE(pg.IsMap());
  EXPECT_EQ(pg["image"].as<std::string>(), "postgres:15-bookworm");
  EXPECT_TRUE(pg["healthcheck"].IsDefined());
  std::string init_dir;
  for (const auto& volume : pg["volumes"]) {
    Mount m = mount_of(volume.as<std::string>());
    if (m.target == "/docker-entrypoint-initdb.d") init_dir = m.source;
  }
  ASSERT_FALSE(init_dir.empty()) << "no init scripts mounted at /docker-entrypoint-initdb.d";
  size_t scripts = 0;
  for (const auto& entry : fs::directory_iterator(repo_file(init_dir))) {
    if (entry.path().extension() != ".sh") continue;
    ++scripts;
    EXPECT_TRUE((fs::status(entry).permissions() & fs::perms::owner_exec) != fs::perms::none)
        << entry.path() << " is not executable";
    auto syntax = run_program("/bin/bash", {"-n", entry.path().string()});
    EXPECT_EQ(syntax.exit_code, 0) << syntax.err;
  }
  EXPECT_EQ(scripts, 1u);
  // The engine waits for the database.
  EXPECT_EQ(compose()["services"]["chitragupt"]["depends_on"]["postgres"]["condition"].as<std::string>(),
            "service_healthy");
}

TEST(EnvExample, lists_every_variable_of_the_compose_file_and_the_sample_config) {
  auto listed = env_example();
  std::set<std::string> used;
  for (const char* file : {"docker-compose.yaml", "deploy/config.yaml"}) {
    for (const auto& name : variables_used(read_file(repo_file(file)))) {
      used.insert(name);
      EXPECT_TRUE(listed.count(name)) << file << " uses ${" << name << "}, not in .env.example";
    }
  }
  EXPECT_TRUE(used.count("CCLOUD_API_KEY"));
  EXPECT_TRUE(used.count("CCLOUD_API_SECRET"));
  EXPECT_TRUE(used.count("POSTGRES_PASSWORD"));
  // ... and nothing else: a variable nobody reads is a misleading knob.
  for (const auto& [name, value] : listed) {
    bool read_by_init = read_file(repo_file("deploy/postgres-init/10-create-tenant-databases.sh"))
                            .find(name) != std::string::npos;
    EXPECT_TRUE(used.count(name) || read_by_init) << ".env.example lists " << name
                                                  << ", which nothing uses";
  }
}

// The PostgreSQL databases the sample config names are the ones the init script creates.
TEST(SampleConfig, has_one_sqlite_and_two_postgresql_tenants_whose_databases_compose_creates) {
  YAML::Node tenants = YAML::LoadFile(repo_file("deploy/config.yaml"))["tenants"];
  std::set<std::string> sqlite, pg_databases;
  for (const auto& tenant : tenants) {
    std::string url = tenant.second["storage"]["connection_string"].as<std::string>();
    if (url.rfind("sqlite:///", 0) == 0) sqlite.insert(tenant.first.as<std::string>());
    if (url.rfind("postgresql://", 0) == 0) pg_databases.insert(url.substr(url.rfind('/') + 1));
  }
  EXPECT_EQ(sqlite.size(), 1u);
  ASSERT_EQ(pg_databases.size(), 2u);
  auto listed = env_example();
  auto from_env = words(listed["CHITRAGUPT_TENANT_DATABASES"]);
  EXPECT_EQ(std::set<std::string>(from_env.begin(), from_env.end()), pg_databases);
  std::string compose_text = read_file(repo_file("docker-compose.yaml"));
  std::string script = read_file(repo_file("deploy/postgres-init/10-create-tenant-databases.sh"));
  for (const auto& db : pg_databases) {
    EXPECT_NE(compose_text.find(db), std::string::npos) << "compose's default lacks " << db;
    EXPECT_NE(script.find(db), std::string::npos) << "the init script's default lacks " << db;
  }
}

TEST(SampleConfig, passes_validate_with_the_env_example_values) {
  auto r = run_binary({"--config-file", repo_file("deploy/config.yaml"), "--env-file",
                       repo_file(".env.example"), "--validate"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Config is valid.\n");
  auto shown = run_binary({"--config-file", repo_file("deploy/config.yaml"), "--env-file",
                           repo_file(".env.example"), "--show-config"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_EQ(shown.out.find("change-me-to-a-long-random-string"), std::string::npos)
      << "--show-config printed the PostgreSQL password";
  EXPECT_EQ(shown.out.find("replace-with-prod-cloud-api-secret"), std::string::npos);
  for (const char* tenant : {"sandbox", "ccloud-prod", "ccloud-staging"}) {
    EXPECT_NE(shown.out.find(tenant), std::string::npos) << tenant;
  }
}

// Without .env the engine refuses to start and names what is missing (never a value).
TEST(SampleConfig, fails_validate_naming_the_unset_secrets) {
  TempDir dir;
  write_file(dir.file("empty.env"), "");
  auto r = run_program("/usr/bin/env", {"-i", CHITRAGUPT_BINARY, "--config-file",
                                        repo_file("deploy/config.yaml"), "--env-file",
                                        dir.file("empty.env"), "--validate"});
  EXPECT_EQ(r.exit_code, 1);
  for (const char* name : {"POSTGRES_PASSWORD", "CCLOUD_API_KEY", "CCLOUD_API_SECRET"}) {
    EXPECT_NE(r.err.find(name), std::string::npos) << name << " not named in:\n" << r.err;
  }
}

TEST(Compose, docker_compose_config_accepts_the_file_when_docker_is_installed) {
  if (shell("docker compose version >/dev/null 2>&1").exit_code != 0) {
    GTEST_SKIP() << "docker compose is not installed here: `docker compose config` not run";
  }
  // In a copy, with .env made from .env.example as an operator would (env_file: .env).
  TempDir dir;
  auto r = shell("cd '" + kRepo + "' && cp -r docker-compose.yaml Dockerfile deploy '" +
                 dir.path() + "' && cp .env.example '" + dir.file(".env") + "' && cd '" +
                 dir.path() + "' && docker compose config --quiet");
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

// The init script on a real PostgreSQL server, as the postgres image runs it (psql, the
// superuser from POSTGRES_USER): it creates each database once, the engine migrates them.
TEST(PostgresInit, creates_one_database_per_tenant_and_is_safe_to_rerun) {
  CHITRAGUPT_REQUIRE_POSTGRESQL();
  const auto& server = storage::testing::PgServer::get();
  const std::string a = storage::testing::unique_pg_name("chitragupt_init_a");
  const std::string b = storage::testing::unique_pg_name("chitragupt_init_b");
  TempDir dir;
  write_file(dir.file("pgpass"), server.admin().password);
  std::string command = "PGHOST='" + server.host() + "' PGPORT=" + std::to_string(server.port()) +
                        " PGPASSWORD=\"$(cat '" + dir.file("pgpass") + "')\"" +
                        " POSTGRES_USER='" + server.admin().user + "' POSTGRES_DB='" +
                        server.admin().database + "' CHITRAGUPT_TENANT_DATABASES='" + a + "," + b +
                        "' '" + repo_file("deploy/postgres-init/10-create-tenant-databases.sh") +
                        "'";
  auto first = shell(command);
  struct Drop {
    std::vector<std::string> names;
    ~Drop() {
      auto admin = storage::testing::PgServer::get().connect_admin();
      for (const auto& n : names) {
        if (admin) (*admin)->execute("DROP DATABASE IF EXISTS " + n + " WITH (FORCE)");
      }
    }
  } drop{{a, b}};
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("created " + a), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("created " + b), std::string::npos) << first.out;
  auto second = shell(command);
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find(a + " exists"), std::string::npos) << second.out;

  for (const auto& name : {a, b}) {
    auto upgrade = run_binary({"db", "upgrade", "--database-url", server.url_for(name)});
    EXPECT_EQ(upgrade.exit_code, 0) << upgrade.err;
    auto current = run_binary({"db", "current", "--database-url", server.url_for(name)});
    EXPECT_EQ(current.exit_code, 0) << current.err;
    EXPECT_NE(current.out.find("head"), std::string::npos) << current.out;
  }

  auto bad = shell("CHITRAGUPT_TENANT_DATABASES='ok_name Bad-Name' POSTGRES_USER=x '" +
                   repo_file("deploy/postgres-init/10-create-tenant-databases.sh") + "'");
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("'Bad-Name' is not a valid database name"), std::string::npos) << bad.err;
}

// ---------------------------------------------------------------- systemd

std::map<std::string, std::vector<std::string>> unit_settings(const std::string& text) {
  std::map<std::string, std::vector<std::string>> settings;
  for (const auto& raw : lines_of(text)) {
    std::string line = trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == '[') continue;
    auto eq = line.find('=');
    if (eq != std::string::npos) settings[line.substr(0, eq)].push_back(line.substr(eq + 1));
  }
  return settings;
}

std::string unit_text() { return read_file(repo_file("deploy/chitragupt.service")); }

TEST(SystemdUnit, reloads_with_sighup_restarts_on_failure_and_is_hardened) {
  auto s = unit_settings(unit_text());
  auto one = [&](const std::string& key) {
    EXPECT_EQ(s[key].size(), 1u) << key;
    return s[key].empty() ? std::string() : s[key].back();
  };
  EXPECT_EQ(one("ExecStart"),
            "/usr/local/bin/chitragupt --config-file /etc/chitragupt/config.yaml --mode both");
  EXPECT_EQ(one("ExecReload"), "/bin/kill -HUP $MAINPID");
  EXPECT_EQ(one("Restart"), "on-failure");
  std::string user = one("User");
  EXPECT_FALSE(user.empty());
  EXPECT_NE(user, "root");
  EXPECT_EQ(one("ProtectSystem"), "strict");
  EXPECT_EQ(one("ReadWritePaths"), "/var/lib/chitragupt");
  EXPECT_EQ(one("WorkingDirectory"), "/var/lib/chitragupt");
  for (const char* yes : {"NoNewPrivileges", "PrivateTmp", "ProtectHome", "PrivateDevices"}) {
    EXPECT_EQ(one(yes), "yes") << yes;
  }
  // The engine stops within 30 s; systemd must wait at least that long before SIGKILL.
  EXPECT_GE(std::stoi(one("TimeoutStopSec")), 30);
}

// The unit with its binary path pointed at the binary built here (verify needs it to exist).
std::string unit_for_this_build(const TempDir& dir) {
  std::string text = std::regex_replace(unit_text(), std::regex("/usr/local/bin/chitragupt"),
                                        CHITRAGUPT_BINARY);
  std::string path = dir.file("chitragupt.service");
  write_file(path, text);
  return path;
}

TEST(SystemdUnit, the_engine_may_open_enough_files_for_many_tenants) {
  auto s = unit_settings(unit_text());
  ASSERT_EQ(s["LimitNOFILE"].size(), 1u);
  EXPECT_GE(std::stol(s["LimitNOFILE"].at(0)), 4096);  // systemd's default is 1024
}

TEST(SystemdUnit, passes_systemd_analyze_verify) {
  if (!fs::exists("/usr/bin/systemd-analyze")) GTEST_SKIP() << "systemd-analyze not installed";
  TempDir dir;
  auto r = run_program("/usr/bin/systemd-analyze", {"verify", unit_for_this_build(dir)});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "") << "systemd-analyze verify warned";

  // The check can fail: a unit whose binary is missing does not verify.
  std::string broken = std::regex_replace(unit_text(), std::regex("/usr/local/bin/chitragupt"),
                                          dir.file("no-such-binary"));
  write_file(dir.file("broken.service"), broken);
  auto bad = run_program("/usr/bin/systemd-analyze", {"verify", dir.file("broken.service")});
  EXPECT_NE(bad.exit_code, 0);
}

// systemd's own rating of the sandbox: "OK" (exposure below 2 on its 0..10 scale).
TEST(SystemdUnit, exposure_level_is_ok_by_systemd_analyze_security) {
  if (!fs::exists("/usr/bin/systemd-analyze")) GTEST_SKIP() << "systemd-analyze not installed";
  TempDir dir;
  auto r = run_program("/usr/bin/systemd-analyze",
                       {"security", "--offline=yes", "--no-pager", unit_for_this_build(dir)});
  std::smatch m;
  std::string text = r.out + r.err;
  ASSERT_TRUE(std::regex_search(text, m, std::regex(R"(Overall exposure level for \S+: ([0-9.]+))")))
      << text;
  EXPECT_LT(std::stod(m[1]), 2.0) << text;
}

// ExecStart's command line is one the binary accepts (the config path aside).
TEST(SystemdUnit, exec_start_arguments_are_accepted_by_the_binary) {
  auto s = unit_settings(unit_text());
  auto args = words(s["ExecStart"].at(0));
  args.erase(args.begin());
  TempDir dir;
  write_file(dir.file("config.yaml"), "");
  std::replace(args.begin(), args.end(), std::string("/etc/chitragupt/config.yaml"),
               dir.file("config.yaml"));
  args.push_back("--validate");
  auto r = run_binary(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Config is valid.\n");
}

}  // namespace
}  // namespace chitragupt::testing
