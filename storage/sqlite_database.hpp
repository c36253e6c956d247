#pragma once
// The SQLite implementation of Database (use open_database(); this is its factory).

#include <memory>

#include "common/database_url.hpp"
#include "common/status.hpp"
#include "storage/database.hpp"

namespace chitragupt::storage {

// Creates missing parent directories, opens or creates the file, checks that it is a database
// (a file that is not is reported and left untouched), then applies WAL, synchronous=NORMAL,
// busy_timeout=5000, foreign_keys=ON, temp_store=MEMORY.
Result<std::unique_ptr<Database>> open_sqlite_database(const DatabaseUrl& url);
// Opens an existing file read-only (URI mode=ro, PRAGMA query_only): nothing is created,
// converted or written (a WAL database may get its -shm/-wal sidecars, as any reader does).
Result<std::unique_ptr<Database>> open_sqlite_database_read_only(const DatabaseUrl& url);

}  // namespace chitragupt::storage
