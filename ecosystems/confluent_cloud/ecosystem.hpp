#pragma once
// Confluent Cloud as an ecosystem (ecosystems/ecosystem.hpp): the organisation's objects and
// billing from its APIs, the reference cost model's rules, usage from its telemetry API.

#include "ecosystems/ecosystem.hpp"

namespace chitragupt::ccloud {

ecosystems::EcosystemKind ecosystem_kind();

}  // namespace chitragupt::ccloud
