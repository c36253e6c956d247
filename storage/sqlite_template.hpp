#pragma once
// New SQLite tenant databases created by copying a schema migrated once per process.
//
// A new tenant's database used to cost a full migration run: SQLite parsing and executing every
// migration's statements, the switch to WAL, the WAL's checkpoint and the fsyncs around them
// (about 10 ms of CPU per file; a thousand new tenants took 5-10 s to become ready). The schema
// is the same for every new file, so it is built once per process in a temporary file by the
// ordinary migrator (the same statements, in WAL mode, checkpointed and closed) and its bytes
// are kept; a new file is then one write of those bytes and one fsync.
//
// Promises:
// - Only a database that does not exist yet is created: no file at the path and no `-wal` file
//   beside it. The copy is written to a temporary name beside it, synced, and linked into place
//   with link(2), which never replaces a file, so another process creating the same database at
//   the same moment wins or loses whole; the loser migrates the winner's file the usual way.
// - The file is what the migrator would have made: the same schema objects, the same
//   `schema_migrations` rows (version, name, checksum; `applied_at` is when this process built
//   the template), WAL mode. Migrator::check() accepts it.
// - Anything unexpected (a file system without hard links, no temporary directory) returns
//   `created = false` or an error naming the file; the caller then takes the usual path.

#include <string>
#include <vector>

#include "common/status.hpp"

namespace chitragupt::storage {

struct TemplateCreation {
  bool created = false;      // false: a database (or its -wal) was there; migrate it as usual
  int schema_version = 0;    // the head version the created file is at
  std::vector<int> applied;  // the migrations its schema_migrations records (1..head)
};

// Creates the SQLite database file `path` (as written in a sqlite:/// URL) at the head schema,
// when there is none yet.
Result<TemplateCreation> create_sqlite_at_head(const std::string& path);

}  // namespace chitragupt::storage
