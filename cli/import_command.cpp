#include "cli/import_command.hpp"

#include <chrono>
#include <cstdlib>
#include <optional>
#include <thread>

#include "cli/options.hpp"
#include "config/config.hpp"
#include "importer/importer.hpp"

namespace chitragupt::cli {
namespace {

constexpr const char* kUsage =
    "usage: chitragupt import chitragupta --from URL --config-file FILE --tenant NAME\n"
    "                                     [--env-file FILE] [--dry-run] [--replace]\n"
    "  --from URL     the original chitragupta tenant database (sqlite:///... or\n"
    "                 postgresql://...), read only: it is never written\n"
    "  --tenant NAME  the chitragupt tenant to import into (its ecosystem and tenant_id must\n"
    "                 match the original's rows)\n"
    "  --dry-run      read and verify, print the report, write nothing\n"
    "  --replace      replace the target's data of dates the original also has\n";

struct Args {
  std::optional<std::string> from, config_file, tenant, env_file;
  bool dry_run = false;
  bool replace = false;
  bool help = false;
};

std::optional<std::string> parse(const std::vector<std::string>& words, Args& a) {
  std::vector<std::string> positional;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w == "--help" || w == "-h") {
      a.help = true;
      continue;
    }
    if (w == "--dry-run") {
      a.dry_run = true;
      continue;
    }
    if (w == "--replace") {
      a.replace = true;
      continue;
    }
    if (w.rfind("--", 0) != 0) {
      positional.push_back(w);
      continue;
    }
    if (auto error = read_value_option(words, i,
                                       {{"--from", &a.from},
                                        {"--config-file", &a.config_file},
                                        {"--tenant", &a.tenant},
                                        {"--env-file", &a.env_file}})) {
      return error;
    }
  }
  if (a.help) return std::nullopt;
  if (positional.empty()) return std::string("say what to import from: import chitragupta ...");
  if (positional[0] != "chitragupta") {
    return "unknown source '" + positional[0] + "' (only 'chitragupta' can be imported)";
  }
  if (positional.size() > 1) return "unexpected argument '" + positional[1] + "'";
  if (!a.from) return std::string("--from URL is required (the original's database)");
  if (!a.config_file) return std::string("--config-file FILE is required");
  if (!a.tenant) return std::string("--tenant NAME is required");
  return std::nullopt;
}

}  // namespace

int run_import_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  Args a;
  if (auto usage = parse(args, a)) {
    err << "chitragupt import: " << *usage << "\n" << kUsage;
    return 2;
  }
  if (a.help) {
    out << kUsage;
    return 0;
  }
  config::LoadResult loaded = config::load_config(*a.config_file, a.env_file);
  if (!loaded.ok()) {
    err << "chitragupt import: invalid configuration " << *a.config_file << ":\n"
        << loaded.error_text() << "\n";
    return 1;
  }
  const config::TenantConfig* tenant = loaded.config->find_tenant(*a.tenant);
  if (tenant == nullptr) {
    std::string names;
    for (const auto& t : loaded.config->tenants) names += (names.empty() ? "" : ", ") + t.name;
    err << "chitragupt import: unknown tenant '" << *a.tenant
        << "' (configured: " << (names.empty() ? "none" : names) << ")\n";
    return 1;
  }
  importer::ImportOptions options;
  options.source_url = *a.from;
  options.target_url = tenant->storage.connection_string;
  options.tenant_name = tenant->name;
  options.ecosystem = tenant->ecosystem;
  options.tenant_id = tenant->tenant_id;
  options.dry_run = a.dry_run;
  options.replace = a.replace;
  options.progress = [&err](const std::string& line) {
    err << "chitragupt import: " << line << std::endl;
  };
  // Test hook (tests/import_e2e_test.cpp): stop inside the import's transaction after the named
  // table group, so that a test can kill the process there.
  if (const char* stall = std::getenv("CHITRAGUPT_TEST_IMPORT_STALL_AFTER")) {
    std::string group = stall;
    options.after_group = [group, &err](const std::string& done) {
      if (done == group) {
        err << "chitragupt import: test stall after " << done << std::endl;
        std::this_thread::sleep_for(std::chrono::seconds(60));
      }
      return Status::ok();
    };
  }
  auto report = importer::run_import(options);
  if (!report) {
    err << "chitragupt import: " << report.error() << "\n";
    return 1;
  }
  out << importer::format_report(*report);
  return report->lost() ? 1 : 0;
}

}  // namespace chitragupt::cli
