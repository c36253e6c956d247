#include "storage/migrator.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "storage/utc_time.hpp"

namespace chitragupt::storage {
namespace {

constexpr const char* kCreateSchemaMigrations =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, "
    "name TEXT NOT NULL, "
    "checksum TEXT NOT NULL, "
    "applied_at TEXT NOT NULL)";

// The key of the PostgreSQL session advisory lock that serialises migrations of one database
// (advisory locks are per database, so tenants on one server do not wait for each other).
// "chitragu" in ASCII: fixed forever, or two binaries would migrate one database together.
constexpr std::int64_t kMigrationLockKey = 0x6368697472616775;

// Holds the PostgreSQL migration lock for its lifetime (nothing on SQLite, where each
// migration's BEGIN IMMEDIATE serialises writers). A session lock, not a transaction lock: it
// spans the one transaction per migration, and the server drops it if the process dies.
class MigrationLock {
 public:
  // Waits for the lock by trying it every 200 ms (not with a blocking pg_advisory_lock), so
  // that a stop ends the wait at once.
  MigrationLock(Database& db, const std::function<void(const std::string&)>& event,
                const StopToken& stop)
      : db_(db) {
    if (db.dialect() != Dialect::postgresql) return;
    for (bool told = false;;) {
      auto got = db.query("SELECT pg_try_advisory_lock(?)", {kMigrationLockKey});
      if (!got) {
        status_ = got.status();
        return;
      }
      if (!got->empty() && got->front().get_text(0) == "t") break;
      if (!told) {
        event("waiting for another process to finish migrating (advisory lock " +
              std::to_string(kMigrationLockKey) + ")");
        told = true;
      }
      if (stop.wait_for(std::chrono::milliseconds(200))) {
        status_ = Status::error("stopped while waiting for another process to finish migrating");
        return;
      }
    }
    held_ = true;
  }
  ~MigrationLock() {
    // Best effort: if the connection is gone, so is the lock.
    if (held_) db_.query("SELECT pg_advisory_unlock(?)", {kMigrationLockKey});
  }
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;
  const Status& status() const { return status_; }

 private:
  Database& db_;
  Status status_;
  bool held_ = false;
};

std::string sha256_hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 0xf];
  }
  return out;
}

bool strip_suffix(std::string& s, const std::string& suffix) {
  if (s.size() < suffix.size() || s.compare(s.size() - suffix.size(), suffix.size(), suffix) != 0)
    return false;
  s.resize(s.size() - suffix.size());
  return true;
}

struct FileName {
  int version = 0;
  std::string name;
  std::string dialect;  // "" = generic
  bool up = true;
};

// "0002_pipeline_run_trigger.sqlite.up.sql" -> {2, "pipeline_run_trigger", "sqlite", up}.
std::optional<FileName> parse_file_name(const std::string& file) {
  FileName out;
  std::string s = file;
  if (!strip_suffix(s, ".sql")) return std::nullopt;
  if (strip_suffix(s, ".up")) {
    out.up = true;
  } else if (strip_suffix(s, ".down")) {
    out.up = false;
  } else {
    return std::nullopt;
  }
  if (strip_suffix(s, ".sqlite")) {
    out.dialect = "sqlite";
  } else if (strip_suffix(s, ".postgresql")) {
    out.dialect = "postgresql";
  }
  if (s.size() < 6 || s[4] != '_') return std::nullopt;
  for (int i = 0; i < 4; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  }
  out.version = std::stoi(s.substr(0, 4));
  out.name = s.substr(5);
  for (char c : out.name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return std::nullopt;
  }
  if (out.version == 0) return std::nullopt;
  return out;
}

std::string label(int version, const std::string& name) {
  return version_label(version) + " " + name;
}

struct Loaded {
  std::vector<Migration> list;
  Status status;
};

const Loaded& loaded(Dialect dialect) {
  static const Loaded sqlite = [] {
    auto r = parse_migration_files(embedded_migration_files(), Dialect::sqlite);
    return r ? Loaded{*r, Status::ok()} : Loaded{{}, r.status()};
  }();
  static const Loaded postgresql = [] {
    auto r = parse_migration_files(embedded_migration_files(), Dialect::postgresql);
    return r ? Loaded{*r, Status::ok()} : Loaded{{}, r.status()};
  }();
  return dialect == Dialect::sqlite ? sqlite : postgresql;
}

const Migration* find_known(const std::vector<Migration>& known, int version) {
  for (const auto& m : known) {
    if (m.version == version) return &m;
  }
  return nullptr;
}

Result<bool> table_exists(Database& db, const std::string& table) {
  Result<std::vector<Row>> rows =
      db.dialect() == Dialect::sqlite
          ? db.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", {table})
          : db.query(
                "SELECT 1 FROM information_schema.tables "
                "WHERE table_schema = current_schema() AND table_name = ?",
                {table});
  if (!rows) return rows.status();
  return !rows->empty();
}

// Whether the database holds anything worth a backup (tables beside an empty bookkeeping one).
Result<bool> has_user_tables(Database& db) {
  if (db.dialect() != Dialect::sqlite) return true;
  auto rows = db.query(
      "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
      "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> 'schema_migrations'");
  if (!rows) return rows.status();
  return !rows->empty() && rows->front().get_int(0) > 0;
}

Result<std::vector<AppliedMigration>> read_applied(Database& db) {
  auto exists = table_exists(db, "schema_migrations");
  if (!exists) return exists.status();
  std::vector<AppliedMigration> out;
  if (!*exists) return out;
  auto rows = db.query(
      "SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version");
  if (!rows) return rows.status();
  for (const Row& row : *rows) {
    out.push_back(AppliedMigration{static_cast<int>(row.get_int(0)), row.get_text(1),
                                   row.get_text(2), row.get_text(3)});
  }
  return out;
}

int max_version(const std::vector<AppliedMigration>& applied) {
  int v = 0;
  for (const auto& a : applied) v = std::max(v, a.version);
  return v;
}

// The refusals: a version this binary does not know (the database is newer), or an applied
// migration whose text changed since.
Status refuse_unknown_or_changed(Database& db, const std::vector<AppliedMigration>& applied,
                                 const std::vector<Migration>& known) {
  int newest_unknown = 0;
  for (const auto& a : applied) {
    if (!find_known(known, a.version)) newest_unknown = std::max(newest_unknown, a.version);
  }
  if (newest_unknown > 0) {
    return Status::error(db.describe() + ": database schema is at version " +
                         std::to_string(max_version(applied)) +
                         ", newer than this binary knows (head " + std::to_string(head_version()) +
                         "): upgrade chitragupt, or restore the backup taken before the upgrade");
  }
  for (const auto& a : applied) {
    const Migration* m = find_known(known, a.version);
    if (m->checksum != a.checksum) {
      return Status::error(
          db.describe() + ": migration " + label(m->version, m->name) +
          " was changed after it was applied (checksum mismatch): refusing to run");
    }
  }
  return Status::ok();
}

bool is_applied(const std::vector<AppliedMigration>& applied, int version) {
  return std::any_of(applied.begin(), applied.end(),
                     [&](const AppliedMigration& a) { return a.version == version; });
}

// Keeps the newest `keep` files named "<db file>.pre-<digits>.bak" (by modification time,
// then name). Best effort: a file that cannot be removed is left for the next upgrade.
void prune_backups(const std::string& db_file, int keep) {
  namespace fs = std::filesystem;
  const fs::path db_path(db_file);
  const std::string prefix = db_path.filename().string() + ".pre-";
  struct Entry {
    fs::file_time_type mtime;
    fs::path path;
  };
  std::vector<Entry> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(db_path.parent_path(), ec)) {
    std::string name = entry.path().filename().string();
    if (name.size() <= prefix.size() + 4 || name.compare(0, prefix.size(), prefix) != 0) continue;
    std::string middle = name.substr(prefix.size());
    if (!strip_suffix(middle, ".bak") || middle.empty()) continue;
    if (!std::all_of(middle.begin(), middle.end(), [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    std::error_code time_ec;
    auto mtime = fs::last_write_time(entry.path(), time_ec);
    if (time_ec) continue;
    found.push_back({mtime, entry.path()});
  }
  std::sort(found.begin(), found.end(), [](const Entry& a, const Entry& b) {
    if (a.mtime != b.mtime) return a.mtime > b.mtime;
    return a.path.filename().string() > b.path.filename().string();
  });
  for (std::size_t i = static_cast<std::size_t>(std::max(keep, 0)); i < found.size(); ++i) {
    std::error_code rm_ec;
    fs::remove(found[i].path, rm_ec);
  }
}

}  // namespace

std::string version_label(int version) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d", version);
  return buf;
}

Result<std::vector<Migration>> parse_migration_files(const std::vector<EmbeddedFile>& files,
                                                     Dialect dialect) {
  const std::string wanted = to_string(dialect);
  struct Texts {
    std::string name;
    std::optional<std::string> up, down, dialect_up, dialect_down;
  };
  std::map<int, Texts> by_version;
  for (const auto& file : files) {
    auto parsed = parse_file_name(file.name);
    if (!parsed) {
      return Status::error(std::string("migration file name ") + file.name +
                           " does not match NNNN_name[.sqlite|.postgresql].{up,down}.sql");
    }
    Texts& t = by_version[parsed->version];
    if (t.name.empty()) t.name = parsed->name;
    if (t.name != parsed->name) {
      return Status::error("migration " + version_label(parsed->version) +
                           " has files with different names (" + t.name + ", " + parsed->name +
                           ")");
    }
    if (!parsed->dialect.empty() && parsed->dialect != wanted) continue;
    std::optional<std::string>& slot = parsed->dialect.empty()
                                           ? (parsed->up ? t.up : t.down)
                                           : (parsed->up ? t.dialect_up : t.dialect_down);
    if (slot) return Status::error(std::string("duplicate migration file ") + file.name);
    slot = file.text;
  }
  std::vector<Migration> out;
  for (auto& [version, t] : by_version) {
    Migration m;
    m.version = version;
    m.name = t.name;
    std::optional<std::string>& up = t.dialect_up ? t.dialect_up : t.up;
    std::optional<std::string>& down = t.dialect_down ? t.dialect_down : t.down;
    if (!up || !down) {
      return Status::error("migration " + label(version, t.name) + " has no " +
                           (up ? "down" : "up") + " script for " + wanted);
    }
    m.up_sql = *up;
    m.down_sql = *down;
    m.checksum = sha256_hex(m.up_sql);
    out.push_back(std::move(m));
  }
  return out;
}

const std::vector<Migration>& known_migrations(Dialect dialect) { return loaded(dialect).list; }

Status validate_migrations(Dialect dialect) { return loaded(dialect).status; }

int head_version() {
  static const int head = [] {
    int v = 0;
    for (const auto& file : embedded_migration_files()) {
      if (auto parsed = parse_file_name(file.name)) v = std::max(v, parsed->version);
    }
    return v;
  }();
  return head;
}

Migrator::Migrator(Database& db, Options options) : db_(db), options_(std::move(options)) {}
Migrator::Migrator(Database& db) : db_(db) {}

Result<int> Migrator::current_version() {
  auto applied = read_applied(db_);
  if (!applied) return applied.status();
  return max_version(*applied);
}

Result<std::vector<AppliedMigration>> Migrator::applied() { return read_applied(db_); }

Result<std::vector<MigrationHistoryEntry>> Migrator::history() {
  auto applied = read_applied(db_);
  if (!applied) return applied.status();
  std::map<int, MigrationHistoryEntry> entries;
  for (const auto& m : known_migrations(db_.dialect())) {
    entries[m.version] = MigrationHistoryEntry{m.version, m.name, false, ""};
  }
  // Versions recorded by a newer binary are listed too, so the history explains a refusal.
  for (const auto& a : *applied) {
    auto& e = entries[a.version];
    e.version = a.version;
    if (e.name.empty()) e.name = a.name;
    e.applied = true;
    e.applied_at = a.applied_at;
  }
  std::vector<MigrationHistoryEntry> out;
  for (auto& [version, e] : entries) out.push_back(std::move(e));
  return out;
}

Status Migrator::check() {
  if (Status valid = validate_migrations(db_.dialect()); !valid) return valid;
  auto applied = read_applied(db_);
  if (!applied) return applied.status();
  return refuse_unknown_or_changed(db_, *applied, known_migrations(db_.dialect()));
}

Result<UpgradeReport> Migrator::upgrade(std::optional<int> target) {
  std::function<void(const std::string&)> event = [&](const std::string& text) {
    if (options_.on_event) options_.on_event(text);
  };
  // Everything below, reading the applied versions included, happens under the lock, so an
  // engine that waited for another one finds the work done.
  MigrationLock lock(db_, event, options_.stop);
  if (!lock.status()) {
    return Status::error("no migration applied: cannot take the migration lock: " +
                         lock.status().message());
  }
  // The schema is read once here (check()'s refusals on the same rows), once more under the
  // write lock of each transaction below.
  if (Status valid = validate_migrations(db_.dialect()); !valid) return valid;
  const auto& known = known_migrations(db_.dialect());
  const int head = head_version();
  auto applied = read_applied(db_);
  if (!applied) return applied.status();
  if (Status s = refuse_unknown_or_changed(db_, *applied, known); !s) return s;

  UpgradeReport report;
  report.from_version = max_version(*applied);
  const int to = target.value_or(head);
  if (to > head || to < 0) {
    return Status::error("cannot upgrade to version " + std::to_string(to) +
                         ": this binary knows versions up to " + std::to_string(head));
  }
  if (to < report.from_version) {
    return Status::error("cannot upgrade to version " + std::to_string(to) +
                         ": the database is already at version " +
                         std::to_string(report.from_version) + " (use downgrade)");
  }
  std::vector<const Migration*> pending;
  for (const auto& m : known) {
    if (m.version <= to && !is_applied(*applied, m.version)) pending.push_back(&m);
  }
  report.to_version = report.from_version;
  if (pending.empty()) return report;

  const std::string file = db_.file_path();
  if (options_.backup_before_upgrade && db_.dialect() == Dialect::sqlite && !file.empty()) {
    auto worth = has_user_tables(db_);
    if (!worth) return worth.status();
    if (*worth) {
      std::string path = file + ".pre-" + version_label(pending.front()->version) + ".bak";
      if (Status s = db_.backup_to(path); !s) {
        return Status::error("no migration applied: the backup before the upgrade failed: " +
                             s.message());
      }
      report.backup_path = path;
      event("backup written: " + path);
      prune_backups(file, options_.keep_backups);
    }
  }
  if (options_.backup_before_upgrade && db_.dialect() == Dialect::postgresql) {
    event(
        "no backup written: back up PostgreSQL databases with pg_dump before upgrading "
        "(`chitragupt db backup` prints the command)");
  }

  // A fresh database (no migration recorded) gets every pending migration in ONE transaction:
  // one write lock, one commit, and a failure anywhere leaves it as it was (empty).
  if (applied->empty()) {
    auto done = upgrade_fresh(pending, report);
    if (!done) return done.status();
    if (*done) return report;
    // Another process recorded a migration meanwhile: the one-by-one path below skips what it
    // finds applied.
  }

  for (const Migration* m : pending) {
    const std::string what = label(m->version, m->name);
    auto fail = [&](const std::string& reason) {
      db_.rollback();
      auto now = read_applied(db_);
      int at = now ? max_version(*now) : report.to_version;
      return Status::error("migration " + what + " failed: " + reason +
                           "; the database stays at version " + std::to_string(at));
    };
    if (Status s = db_.begin(TxMode::immediate); !s) return fail(s.message());
    if (Status s = db_.execute(kCreateSchemaMigrations); !s) return fail(s.message());
    // Another engine may have applied it while this one waited for the write lock.
    auto now = read_applied(db_);
    if (!now) return fail(now.status().message());
    if (Status s = refuse_unknown_or_changed(db_, *now, known); !s) {
      db_.rollback();
      return s;
    }
    if (is_applied(*now, m->version)) {
      db_.rollback();
      event("skipped " + what + " (applied by another process)");
      report.to_version = std::max(report.to_version, m->version);
      continue;
    }
    event("applying " + what);
    if (Status s = apply_up(*m, utc_now_timestamp()); !s) return fail(s.message());
    if (Status s = db_.commit(); !s) return fail(s.message());
    event("applied " + what);
    report.applied.push_back(m->version);
    report.to_version = m->version;
  }
  return report;
}

Status Migrator::apply_up(const Migration& m, const std::string& applied_at) {
  std::function<void(int)> after;
  if (options_.after_statement) {
    after = [&](int i) { options_.after_statement(m.version, i); };
  }
  if (Status s = db_.execute_script_stepwise(m.up_sql, after); !s) return s;
  return db_.execute(
      "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)",
      {std::int64_t{m.version}, m.name, m.checksum, applied_at});
}

Result<bool> Migrator::upgrade_fresh(const std::vector<const Migration*>& pending,
                                     UpgradeReport& report) {
  std::function<void(const std::string&)> event = [&](const std::string& text) {
    if (options_.on_event) options_.on_event(text);
  };
  const Migration* current = nullptr;
  auto fail = [&](const std::string& reason) -> Status {
    db_.rollback();
    const std::string what = current ? "migration " + label(current->version, current->name)
                                     : std::string("the upgrade of a fresh database");
    return Status::error(what + " failed: " + reason +
                         "; the database stays at version 0 (a fresh database is migrated in "
                         "one transaction: nothing was applied)");
  };
  if (Status s = db_.begin(TxMode::immediate); !s) return fail(s.message());
  if (Status s = db_.execute(kCreateSchemaMigrations); !s) return fail(s.message());
  // Under the write lock: is it still fresh? (Another engine may have migrated it meanwhile.)
  auto now = read_applied(db_);
  if (!now) return fail(now.status().message());
  if (!now->empty()) {
    db_.rollback();
    return false;
  }
  const std::string stamp = utc_now_timestamp();
  for (const Migration* m : pending) {
    current = m;
    const std::string what = label(m->version, m->name);
    event("applying " + what);
    if (Status s = apply_up(*m, stamp); !s) return fail(s.message());
    // Applied inside the transaction; nothing is visible to others before the commit below.
    event("applied " + what);
  }
  current = nullptr;
  if (Status s = db_.commit(); !s) return fail("commit: " + s.message());
  for (const Migration* m : pending) report.applied.push_back(m->version);
  report.to_version = pending.back()->version;
  return true;
}

Result<UpgradeReport> Migrator::downgrade(int target) {
  std::function<void(const std::string&)> event = [&](const std::string& text) {
    if (options_.on_event) options_.on_event(text);
  };
  MigrationLock lock(db_, event, options_.stop);
  if (!lock.status()) {
    return Status::error("nothing reverted: cannot take the migration lock: " +
                         lock.status().message());
  }
  if (Status s = check(); !s) return s;
  const auto& known = known_migrations(db_.dialect());
  auto applied = read_applied(db_);
  if (!applied) return applied.status();

  UpgradeReport report;
  report.from_version = max_version(*applied);
  report.to_version = report.from_version;
  if (target < 0) return Status::error("cannot downgrade to a negative version");
  if (target > report.from_version) {
    return Status::error("cannot downgrade to version " + std::to_string(target) +
                         ": the database is at version " + std::to_string(report.from_version) +
                         " (use upgrade)");
  }
  std::vector<int> to_revert;
  for (auto it = applied->rbegin(); it != applied->rend(); ++it) {
    if (it->version > target) to_revert.push_back(it->version);
  }
  for (int version : to_revert) {
    const Migration* m = find_known(known, version);
    if (m == nullptr) return check();  // recorded meanwhile by a newer binary: its refusal
    const std::string what = label(m->version, m->name);
    auto fail = [&](const std::string& reason) {
      db_.rollback();
      return Status::error("reverting migration " + what + " failed: " + reason +
                           "; the database stays at version " + std::to_string(report.to_version));
    };
    if (Status s = db_.begin(TxMode::immediate); !s) return fail(s.message());
    auto now = read_applied(db_);
    if (!now) return fail(now.status().message());
    if (!is_applied(*now, version)) {  // reverted by another process meanwhile
      db_.rollback();
      continue;
    }
    event("reverting " + what);
    std::function<void(int)> after;
    if (options_.after_statement) {
      after = [&](int i) { options_.after_statement(m->version, i); };
    }
    if (Status s = db_.execute_script_stepwise(m->down_sql, after); !s) return fail(s.message());
    if (Status s =
            db_.execute("DELETE FROM schema_migrations WHERE version = ?", {std::int64_t{version}});
        !s) {
      return fail(s.message());
    }
    if (Status s = db_.commit(); !s) return fail(s.message());
    event("reverted " + what);
    report.applied.push_back(version);
    auto after_revert = read_applied(db_);
    report.to_version = after_revert ? max_version(*after_revert) : target;
  }
  return report;
}

}  // namespace chitragupt::storage
