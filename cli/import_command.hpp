#pragma once
// `chitragupt import chitragupta --from URL --config-file F --tenant NAME [--env-file F]
//  [--dry-run] [--replace]`: brings an original chitragupta v2.2 tenant database into the
// tenant's chitragupt database (importer/importer.hpp), and prints the verification report.

#include <ostream>
#include <string>
#include <vector>

namespace chitragupt::cli {

// `args` are the words after "import". Exit code: 0 imported and verified (nothing lost),
// 1 refused, failed, or something was lost (the report says what), 2 usage error.
// The report goes to `out`, progress and errors to `err`; never a connection string's password.
int run_import_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace chitragupt::cli
