#pragma once
// `chitragupt --emit-once`, as the original: every tenant's emitters emit the calculated dates
// they have not emitted yet, then the process exits. No gather, no calculation.

#include <ostream>

#include "config/config.hpp"

namespace chitragupt::pipeline {

// One line per tenant on `out` ("tenant=NAME dates_emitted=N dates_failed=M"), each emitter
// warning and each tenant that cannot be opened on `err`. Returns the exit code: 0 when every
// pending date was emitted, 1 when a date failed or a tenant could not be opened.
int emit_once(const config::Config& config, std::ostream& out, std::ostream& err);

}  // namespace chitragupt::pipeline
