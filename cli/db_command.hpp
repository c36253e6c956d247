#pragma once
// `chitragupt db current|history|upgrade [TARGET]|downgrade TARGET|backup [DEST]`
// with `--config-file F --tenant NAME` (plus optional `--env-file F`) or `--database-url URL`.

#include <ostream>
#include <string>
#include <vector>

namespace chitragupt::cli {

// `args` are the words after "db". Returns the process exit code: 0 ok, 1 failure (one clear
// line on `err`), 2 usage error. Never prints a connection string or password.
int run_db_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace chitragupt::cli
