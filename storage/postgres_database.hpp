#pragma once
// The PostgreSQL implementation of Database, on libpq (use open_database(); this is its factory).
//
// Promises, beyond database.hpp:
// - Only the extended protocol is used: PQprepare + PQexecPrepared (statements are prepared
//   once per connection and reused), PQexecParams for one-off statements. Parameters are sent
//   as text; an int64 is typed as a literal of its value would be (int4 when it fits, else
//   int8), text and NULL are left for the server to infer from where they are used.
// - '?' placeholders become $1..$n outside string literals, quoted identifiers, dollar quotes
//   and comments. So '?' is never an operator here (jsonb ?, ?| and ?& need their functions).
// - Scripts are split at ';' outside those same constructs and run statement by statement
//   (each its own PQexecParams, which refuses two statements at once, so a wrong split fails
//   loudly). Function bodies must be dollar-quoted: BEGIN ATOMIC bodies are not split right.
// - Row values: NULL is monostate, int2/int4/int8 columns are int64, everything else is the
//   server's text (numeric and decimal text stay exact).
// - The connection is made from the URL's parts with PQconnectdbParams, never from a conninfo
//   string, so the password cannot appear in a libpq message (and is scrubbed if it did).
//   Query parameters of the URL are passed as libpq keywords (sslmode, options, ...); the
//   defaults are connect_timeout=5, client_encoding=UTF8, application_name=chitragupt. The
//   session time zone is UTC.
// - A lost connection (PQstatus CONNECTION_BAD) is reported as "connection lost: ..." by the
//   failing call and every later one: the owner reopens the Database to reconnect.
// - backup_to() is an error naming pg_dump (`chitragupt db backup` prints the command).
// - COMMIT of a transaction that an error aborted is an error (PostgreSQL would silently roll
//   it back and answer ROLLBACK).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/database_url.hpp"
#include "common/status.hpp"
#include "storage/database.hpp"

namespace chitragupt::storage {

Result<std::unique_ptr<Database>> open_postgres_database(const DatabaseUrl& url);

// The SQL text handling above, exposed for tests.
namespace pg_sql {

struct Rewritten {
  std::string sql;     // with $1..$n
  int parameters = 0;  // the number of '?' (or the highest $n already written)
};
Rewritten rewrite_placeholders(std::string_view sql);

// The statements of a script, without the ';' between them; pieces holding only whitespace
// and comments are dropped.
std::vector<std::string> split_script(std::string_view script);

}  // namespace pg_sql
}  // namespace chitragupt::storage
