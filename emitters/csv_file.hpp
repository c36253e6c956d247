#pragma once
// CSV text of chargeback rows (the original's columns) and an atomic file write: readers of
// output_dir only ever see a complete file or none.

#include <string>
#include <vector>

#include "common/status.hpp"
#include "emitters/chargeback_rows.hpp"

namespace chitragupt::emitters {

// Header "ecosystem,tenant_id,timestamp,resource_id,product_category,product_type,identity_id,
// cost_type,amount,allocation_method,allocation_detail"; timestamps ISO 8601 with +00:00,
// amounts exact with four decimals; fields quoted per RFC 4180 when they need it.
std::string chargeback_csv(const std::vector<EmittedRow>& rows, const std::string& ecosystem,
                           const std::string& tenant_id);

// Writes `content` to dir/file_name through a temporary file in `dir` (fsync, rename, fsync
// of the directory). `dir` must exist. Errors name the path and the system's reason; no
// temporary file is left behind.
Status write_file_atomically(const std::string& dir, const std::string& file_name,
                             const std::string& content);

}  // namespace chitragupt::emitters
