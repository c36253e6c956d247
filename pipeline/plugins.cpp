#include "pipeline/plugins.hpp"

#include "ecosystems/ecosystem.hpp"

namespace chitragupt::pipeline {

void register_plugin_validators() { ecosystems::register_validators(); }

}  // namespace chitragupt::pipeline
