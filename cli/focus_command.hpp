#pragma once
// `chitragupt focus export --config-file FILE [--env-file FILE] --tenant NAME
//                          --billing-period YYYY-MM [--out DIR] [--gzip]`
//
// Writes a FOCUS 1.2 export of one tenant's month (focus/exporter.hpp) from its database and
// prints the row count, the cost sums and whether every checked rule holds. The default DIR is
// <preview.artifact_root>/<tenant>/cli-<YYYY-MM>. Exit codes: 0 written and conforming,
// 1 failed (nothing written), 2 usage, 3 written but not conforming (see manifest.json).

#include <ostream>
#include <string>
#include <vector>

namespace chitragupt::cli {

int run_focus_command(const std::vector<std::string>& words, std::ostream& out, std::ostream& err);

}  // namespace chitragupt::cli
