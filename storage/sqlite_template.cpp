#include "storage/sqlite_template.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "storage/database.hpp"
#include "storage/migrator.hpp"

namespace chitragupt::storage {
namespace {

namespace fs = std::filesystem;

struct Template {
  Status status;
  std::string bytes;
  int schema_version = 0;
  std::vector<int> applied;
};

// Migrates a new database in a private temporary directory the usual way, closes it (SQLite
// checkpoints the WAL into the file and removes it) and keeps the file's bytes.
Template build_template() {
  Template t;
  std::error_code ec;
  fs::path base = fs::temp_directory_path(ec);
  if (ec) base = "/tmp";
  std::string pattern = (base / "chitragupt-schema-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    t.status = Status::error("cannot create a temporary directory for the schema template in " +
                             base.string() + ": " + std::strerror(errno));
    return t;
  }
  const fs::path dir = pattern;
  const fs::path file = dir / "template.db";
  {
    auto db = open_database("sqlite:///" + file.string());
    if (!db) {
      t.status = db.status();
    } else {
      auto report = Migrator(**db).upgrade();
      if (!report) {
        t.status = report.status();
      } else {
        t.schema_version = report->to_version;
        t.applied = report->applied;
      }
    }
  }  // closed here: the WAL is checkpointed into the file and deleted
  if (t.status) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    t.bytes = bytes.str();
    // A database file in WAL mode says so in its header (bytes 18 and 19 are 2).
    if (!in || t.bytes.size() < 100 || t.bytes[18] != 2 || t.bytes[19] != 2 ||
        fs::exists(file.string() + "-wal", ec)) {
      t.status = Status::error("the schema template " + file.string() +
                               " is not a checkpointed WAL-mode database");
      t.bytes.clear();
    }
  }
  fs::remove_all(dir, ec);
  return t;
}

const Template& schema_template() {
  static const Template t = build_template();
  return t;
}

Status write_all(int fd, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::error(std::strerror(errno));
    }
    done += static_cast<std::size_t>(n);
  }
  return Status::ok();
}

std::atomic<unsigned> temp_counter{0};

}  // namespace

Result<TemplateCreation> create_sqlite_at_head(const std::string& path) {
  TemplateCreation none;
  if (path.empty() || path == ":memory:") return none;
  std::error_code ec;
  // Something is there (even an empty file another process is creating): the usual path.
  if (fs::exists(path, ec) || ec || fs::exists(path + "-wal", ec) || ec) return none;

  const Template& t = schema_template();
  if (!t.status) return t.status;

  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty() && !fs::exists(parent, ec)) {
    fs::create_directories(parent, ec);
    if (ec) {
      return Status::error("sqlite:///" + path + ": cannot create directory " + parent.string() +
                           ": " + ec.message());
    }
  }
  const std::string temp =
      path + ".new-" + std::to_string(::getpid()) + "-" + std::to_string(temp_counter.fetch_add(1));
  auto fail = [&](const std::string& what) {
    const std::string reason = std::strerror(errno);
    ::unlink(temp.c_str());
    return Status::error("sqlite:///" + path + ": cannot create the new database (" + what +
                         "): " + reason);
  };
  // The permissions SQLite gives the files it creates (before the umask).
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return fail("open " + temp);
  Status written = write_all(fd, t.bytes);
  if (!written) {
    ::close(fd);
    ::unlink(temp.c_str());
    return Status::error("sqlite:///" + path +
                         ": cannot write the new database: " + written.message());
  }
  // Synced before it gets its name: after a crash the name is either absent or a whole file.
  if (::fsync(fd) != 0) {
    ::close(fd);
    return fail("fsync");
  }
  if (::close(fd) != 0) return fail("close");
  if (::link(temp.c_str(), path.c_str()) != 0) {
    // EEXIST: another process created it meanwhile; any other reason (a file system without
    // hard links): SQLite creates the file on the usual path instead.
    ::unlink(temp.c_str());
    return none;
  }
  ::unlink(temp.c_str());
  TemplateCreation created;
  created.created = true;
  created.schema_version = t.schema_version;
  created.applied = t.applied;
  return created;
}

}  // namespace chitragupt::storage
