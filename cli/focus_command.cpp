#include "cli/focus_command.hpp"

#include <chrono>
#include <filesystem>
#include <optional>

#include "common/database_url.hpp"
#include "config/config.hpp"
#include "focus/exporter.hpp"
#include "storage/database.hpp"

namespace chitragupt::cli {
namespace {

constexpr const char* kUsage =
    "usage: chitragupt focus export --config-file FILE [--env-file FILE] --tenant NAME\n"
    "                               --billing-period YYYY-MM [--out DIR] [--gzip]\n";

struct Args {
  std::optional<std::string> config_file;
  std::optional<std::string> env_file;
  std::optional<std::string> tenant;
  std::optional<std::string> period;
  std::optional<std::string> out;
  bool gzip = false;
  bool help = false;
};

std::optional<std::string> parse_args(const std::vector<std::string>& words, Args& args) {
  if (words.empty() || (words[0] != "export" && words[0] != "--help" && words[0] != "-h")) {
    return std::string("expected the subcommand 'export'");
  }
  for (std::size_t i = words[0] == "export" ? 1 : 0; i < words.size(); ++i) {
    std::string flag = words[i];
    if (flag == "--help" || flag == "-h") {
      args.help = true;
      continue;
    }
    if (flag == "--gzip") {
      args.gzip = true;
      continue;
    }
    std::optional<std::string> value;
    if (auto eq = flag.find('='); eq != std::string::npos && flag.rfind("--", 0) == 0) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    }
    std::optional<std::string>* slot = nullptr;
    if (flag == "--config-file") slot = &args.config_file;
    if (flag == "--env-file") slot = &args.env_file;
    if (flag == "--tenant") slot = &args.tenant;
    if (flag == "--billing-period") slot = &args.period;
    if (flag == "--out") slot = &args.out;
    if (slot == nullptr) return "unknown argument '" + flag + "'";
    if (!value) {
      if (i + 1 >= words.size()) return "argument " + flag + ": expected one argument";
      value = words[++i];
    }
    *slot = *value;
  }
  if (args.help) return std::nullopt;
  if (!args.config_file) return std::string("--config-file is required");
  if (!args.tenant) return std::string("--tenant is required");
  if (!args.period) return std::string("--billing-period is required");
  if (!focus::valid_billing_period(*args.period)) {
    return "--billing-period must be YYYY-MM, got '" + *args.period + "'";
  }
  return std::nullopt;
}

}  // namespace

int run_focus_command(const std::vector<std::string>& words, std::ostream& out, std::ostream& err) {
  Args args;
  if (auto reason = parse_args(words, args)) {
    err << "chitragupt focus: " << *reason << "\n" << kUsage;
    return 2;
  }
  if (args.help) {
    out << kUsage;
    return 0;
  }
  config::LoadResult loaded = config::load_config(*args.config_file, args.env_file);
  if (!loaded.ok()) {
    err << "chitragupt focus: invalid configuration " << *args.config_file << ":\n"
        << loaded.error_text() << "\n";
    return 1;
  }
  const config::TenantConfig* tenant = loaded.config->find_tenant(*args.tenant);
  if (tenant == nullptr) {
    err << "chitragupt focus: unknown tenant '" << *args.tenant << "' in " << *args.config_file
        << "\n";
    return 1;
  }
  auto url = parse_database_url(tenant->storage.connection_string);
  if (!url) {
    err << "chitragupt focus: tenant " << tenant->name << ": " << url.error() << "\n";
    return 1;
  }
  if (url->dialect == Dialect::sqlite && url->path != ":memory:" &&
      !std::filesystem::exists(url->path)) {
    err << "chitragupt focus: tenant " << tenant->name << ": " << url->describe()
        << ": no database yet (has the engine run?)\n";
    return 1;
  }
  auto db = storage::open_database(*url);
  if (!db) {
    err << "chitragupt focus: tenant " << tenant->name << ": " << db.error() << "\n";
    return 1;
  }
  const std::string dir =
      args.out ? *args.out
               : (std::filesystem::path(focus::tenant_artifact_dir(*loaded.config, tenant->name)) /
                  ("cli-" + *args.period))
                     .string();
  const auto started = std::chrono::steady_clock::now();
  auto summary =
      focus::export_focus(**db, focus::request_for(*tenant, *args.period, dir, args.gzip));
  if (!summary) {
    err << "chitragupt focus: tenant " << tenant->name << ": " << summary.error() << "\n";
    return 1;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  out << "FOCUS 1.2 export of " << tenant->name << " " << *args.period << " in " << dir << "\n";
  out << "  rows            " << summary->rows << " (" << summary->billing_lines
      << " billing lines)\n";
  out << "  BilledCost      " << summary->billed_cost << "  (billing table "
      << summary->billing_table_total << ")\n";
  out << "  EffectiveCost   " << summary->effective_cost << "\n";
  out << "  ListCost        " << summary->list_cost << "\n";
  out << "  conformance     "
      << (summary->conforming
              ? "all " + std::to_string(summary->rules_checked) + " checked rules hold"
              : "NOT conforming: see manifest.json")
      << "\n";
  for (const auto& [rule, count] : summary->violations) {
    out << "    " << rule << ": " << count << "\n";
  }
  for (const auto& f : summary->files) {
    out << "  " << f.name << "  " << f.size_bytes << " bytes  sha256 " << f.sha256 << "\n";
  }
  char elapsed[32];
  std::snprintf(elapsed, sizeof elapsed, "%.2f", seconds);
  out << "  took            " << elapsed << " s\n";
  return summary->conforming ? 0 : 3;
}

}  // namespace chitragupt::cli
