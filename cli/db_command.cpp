#include "cli/db_command.hpp"

#include <filesystem>
#include <optional>

#include "cli/options.hpp"
#include "common/database_url.hpp"
#include "config/config.hpp"
#include "storage/database.hpp"
#include "storage/migrator.hpp"
#include "storage/utc_time.hpp"

namespace chitragupt::cli {
namespace {

constexpr const char* kUsage =
    "usage: chitragupt db current|history|upgrade [TARGET]|downgrade TARGET|backup [DEST]\n"
    "       (--database-url URL | --config-file FILE --tenant NAME [--env-file FILE])\n";

struct Args {
  std::string command;
  std::optional<std::string> operand;  // TARGET or DEST
  std::optional<std::string> database_url;
  std::optional<std::string> config_file;
  std::optional<std::string> tenant;
  std::optional<std::string> env_file;
  bool help = false;
};

// A usage error: the reason, then the usage text.
struct UsageError {
  std::string reason;
};

// "2", "0002" or "head" (upgrade only) as a version number.
std::optional<int> parse_target(const std::string& text, bool allow_head) {
  if (allow_head && text == "head") return storage::head_version();
  if (text.empty() || text.size() > 9) return std::nullopt;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return std::stoi(text);
}

std::optional<UsageError> parse_args(const std::vector<std::string>& words, Args& args) {
  std::vector<std::string> positional;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w == "--help" || w == "-h") {
      args.help = true;
      continue;
    }
    if (w.rfind("--", 0) != 0 || w == "--") {
      positional.push_back(w);
      continue;
    }
    if (auto error = read_value_option(words, i,
                                       {{"--database-url", &args.database_url},
                                        {"--config-file", &args.config_file},
                                        {"--tenant", &args.tenant},
                                        {"--env-file", &args.env_file}})) {
      return UsageError{*error};
    }
  }
  if (args.help) return std::nullopt;
  if (positional.empty()) return UsageError{"missing subcommand"};
  args.command = positional[0];
  const bool takes_operand =
      args.command == "upgrade" || args.command == "downgrade" || args.command == "backup";
  if (args.command != "current" && args.command != "history" && !takes_operand) {
    return UsageError{"unknown subcommand '" + args.command + "'"};
  }
  if (positional.size() > (takes_operand ? 2u : 1u)) {
    return UsageError{"unexpected argument '" + positional.back() + "'"};
  }
  if (positional.size() == 2) args.operand = positional[1];
  if (args.command == "downgrade" && !args.operand) {
    return UsageError{"downgrade needs a TARGET version (0 = empty database)"};
  }
  if (args.operand && args.command != "backup") {
    const bool upgrade = args.command == "upgrade";
    if (!parse_target(*args.operand, upgrade)) {
      return UsageError{std::string("TARGET must be a version number") +
                        (upgrade ? " or 'head'" : "") + ", not '" + *args.operand + "'"};
    }
  }
  if (args.database_url && args.config_file) {
    return UsageError{"give either --database-url or --config-file, not both"};
  }
  if (!args.database_url && !args.config_file) {
    return UsageError{"say which database: --database-url URL or --config-file FILE --tenant NAME"};
  }
  if (args.config_file && !args.tenant) return UsageError{"--config-file needs --tenant NAME"};
  if (args.database_url && (args.tenant || args.env_file)) {
    return UsageError{"--tenant and --env-file go with --config-file, not --database-url"};
  }
  return std::nullopt;
}

std::string name_of(int version, const std::vector<storage::MigrationHistoryEntry>& history) {
  if (version == 0) return "empty";
  for (const auto& e : history) {
    if (e.version == version) return storage::version_label(version) + " " + e.name;
  }
  return storage::version_label(version);
}

std::string shell_quote(const std::string& s) {
  bool plain = !s.empty();
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == '/' || c == ':' || c == '=' || c == '@' ||
              c == ',' || c == '+';
    if (!ok) plain = false;
  }
  if (plain) return s;
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// PostgreSQL has no online copy through libpq: tell the operator the pg_dump command, built
// from the URL without its password.
void print_pg_dump(const DatabaseUrl& url, const std::optional<std::string>& dest,
                   std::ostream& out) {
  std::string file = dest ? *dest
                          : (url.database.empty() ? std::string("postgres") : url.database) +
                                ".backup-" + storage::utc_now_compact() + ".dump";
  std::string command;
  if (auto it = url.params.find("sslmode"); it != url.params.end()) {
    command += "PGSSLMODE=" + shell_quote(it->second) + " ";
  }
  if (auto it = url.params.find("options"); it != url.params.end()) {
    command += "PGOPTIONS=" + shell_quote(it->second) + " ";
  }
  command += "pg_dump --format=custom";
  if (!url.host.empty()) command += " --host=" + shell_quote(url.host);
  if (url.port != 0) command += " --port=" + std::to_string(url.port);
  if (!url.user.empty()) command += " --username=" + shell_quote(url.user);
  command += " --file=" + shell_quote(file);
  if (!url.database.empty()) command += " --dbname=" + shell_quote(url.database);
  out << url.describe() << " is a PostgreSQL database: back it up with pg_dump:\n"
      << "  " << command << "\n"
      << "(the password is not shown: pg_dump asks for it, or set PGPASSWORD=<password> or use "
         "~/.pgpass)\n";
}

class DbCommand {
 public:
  DbCommand(const Args& args, std::ostream& out, std::ostream& err)
      : args_(args), out_(out), err_(err) {}

  int run() {
    if (!resolve_url()) return 1;
    if (url_.dialect == Dialect::postgresql && args_.command == "backup") {
      print_pg_dump(url_, args_.operand, out_);
      return 0;
    }
    if (url_.dialect == Dialect::sqlite && args_.command != "upgrade" && url_.path != ":memory:" &&
        !std::filesystem::exists(url_.path)) {
      // Only upgrade may create a database; the others would leave an empty file behind.
      return fail(url_.describe() + ": no database file there");
    }
    auto db = storage::open_database(url_);
    if (!db) return fail(db.error());
    db_ = std::move(*db);
    if (args_.command == "current") return current();
    if (args_.command == "history") return history();
    if (args_.command == "upgrade") return upgrade();
    if (args_.command == "downgrade") return downgrade();
    return backup();
  }

 private:
  int fail(const std::string& message) {
    err_ << "chitragupt db: " << message << "\n";
    return 1;
  }

  bool resolve_url() {
    std::string url;
    if (args_.database_url) {
      url = *args_.database_url;
    } else {
      config::LoadResult loaded = config::load_config(*args_.config_file, args_.env_file);
      if (!loaded.ok()) {
        err_ << "chitragupt db: invalid configuration " << *args_.config_file << ":\n"
             << loaded.error_text();
        if (!loaded.error_text().empty() && loaded.error_text().back() != '\n') err_ << "\n";
        return false;
      }
      const config::TenantConfig* tenant = loaded.config->find_tenant(*args_.tenant);
      if (tenant == nullptr) {
        std::string names;
        for (const auto& t : loaded.config->tenants) names += (names.empty() ? "" : ", ") + t.name;
        fail("unknown tenant '" + *args_.tenant +
             "' (configured: " + (names.empty() ? "none" : names) + ")");
        return false;
      }
      url = tenant->storage.connection_string;
    }
    auto parsed = parse_database_url(url);
    if (!parsed) {
      fail("invalid database URL: " + parsed.error());
      return false;
    }
    url_ = *parsed;
    return true;
  }

  // "sqlite:///x.db: version 1 (0001 core_schema) — 1 pending (head 2)"
  Result<std::string> state_line(storage::Migrator& migrator) {
    auto version = migrator.current_version();
    if (!version) return version.status();
    auto history = migrator.history();
    if (!history) return history.status();
    const int head = storage::head_version();
    int pending = 0;
    for (const auto& e : *history) {
      if (!e.applied && e.version <= head) ++pending;
    }
    std::string line = url_.describe() + ": version " + std::to_string(*version) + " (" +
                       name_of(*version, *history) + ")";
    if (*version > head) {
      line += " — newer than this binary (head " + std::to_string(head) + ")";
    } else if (pending == 0) {
      line += " — head";
    } else {
      line += " — " + std::to_string(pending) + " pending (head " + std::to_string(head) + ")";
    }
    return line;
  }

  int current() {
    storage::Migrator migrator(*db_);
    auto line = state_line(migrator);
    if (!line) return fail(line.error());
    out_ << *line << "\n";
    if (Status s = migrator.check(); !s) return fail(s.message());
    return 0;
  }

  int history() {
    storage::Migrator migrator(*db_);
    auto history = migrator.history();
    if (!history) return fail(history.error());
    std::size_t width = 0;
    for (const auto& e : *history) width = std::max(width, e.name.size());
    for (const auto& e : *history) {
      std::string name = e.name;
      name.resize(width, ' ');
      out_ << storage::version_label(e.version) << "  " << name << "  "
           << (e.applied ? "applied " + e.applied_at : std::string("pending")) << "\n";
    }
    if (Status s = migrator.check(); !s) return fail(s.message());
    return 0;
  }

  int upgrade() {
    std::optional<int> target;
    if (args_.operand) {
      target = parse_target(*args_.operand, true);  // checked by parse_args
    }
    storage::Migrator::Options options;
    options.on_event = [this](const std::string& e) { out_ << e << "\n"; };
    storage::Migrator migrator(*db_, options);
    auto report = migrator.upgrade(target);
    if (!report) return fail(report.error());
    if (report->applied.empty()) out_ << "nothing to apply\n";
    auto line = state_line(migrator);
    if (!line) return fail(line.error());
    out_ << *line << "\n";
    return 0;
  }

  int downgrade() {
    auto target = parse_target(*args_.operand, false);  // checked by parse_args
    if (!target) return fail("invalid TARGET");
    storage::Migrator::Options options;
    options.on_event = [this](const std::string& e) { out_ << e << "\n"; };
    storage::Migrator migrator(*db_, options);
    auto report = migrator.downgrade(*target);
    if (!report) return fail(report.error());
    if (report->applied.empty()) out_ << "nothing to revert\n";
    auto line = state_line(migrator);
    if (!line) return fail(line.error());
    out_ << *line << "\n";
    if (!report->applied.empty()) {
      const std::string backup =
          url_.dialect == Dialect::postgresql
              ? std::string("a pg_dump taken before the upgrade")
              : "a backup written before the upgrade (" + db_->file_path() + ".pre-NNNN.bak)";
      out_ << "note: down scripts drop the data held by what they remove; the safer way back is "
              "to restore "
           << backup << " and run the chitragupt version that matches it\n";
    }
    return 0;
  }

  int backup() {
    std::string dest =
        args_.operand ? *args_.operand : url_.path + ".backup-" + storage::utc_now_compact();
    if (std::filesystem::exists(dest)) return fail(dest + " already exists: choose another DEST");
    if (Status s = db_->backup_to(dest); !s) return fail(s.message());
    out_ << "backup of " << url_.describe() << " written to " << dest << "\n";
    return 0;
  }

  const Args& args_;
  std::ostream& out_;
  std::ostream& err_;
  DatabaseUrl url_;
  std::unique_ptr<storage::Database> db_;
};

}  // namespace

int run_db_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  Args parsed;
  if (auto usage = parse_args(args, parsed)) {
    err << "chitragupt db: " << usage->reason << "\n" << kUsage;
    return 2;
  }
  if (parsed.help) {
    out << kUsage;
    return 0;
  }
  return DbCommand(parsed, out, err).run();
}

}  // namespace chitragupt::cli
