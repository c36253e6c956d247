#pragma once
// The files of migrations/, compiled into the binary by cmake/embed_migrations.cmake.

#include <string>
#include <vector>

namespace chitragupt::storage {

struct EmbeddedFile {
  const char* name;  // e.g. "0001_core_schema.up.sql" or "0001_core_schema.sqlite.up.sql"
  const char* text;
};

const std::vector<EmbeddedFile>& embedded_migration_files();

}  // namespace chitragupt::storage
