// The simulator's HTTP routes: every Confluent Cloud endpoint chitragupt reads (reference §2),
// the Prometheus telemetry API and /sim/v1/truth, on one httplib::Server.
//
// Every route checks HTTP Basic auth (401 with the API's Failure JSON otherwise). All routes but
// /sim/v1/truth go through the fault injector, in this order: latency, rate limit (429), auth,
// --fail-path / --fail-rate (500/503), the handler, truncation of the 200 body.
#pragma once

#include <httplib.h>

#include "sim/billing.hpp"
#include "sim/faults.hpp"
#include "sim/options.hpp"
#include "sim/org_model.hpp"
#include "sim/telemetry.hpp"

namespace ccloud_sim {

struct RouteContext {
  const SimOptions& options;
  const OrgModel& model;
  const Telemetry& telemetry;
  const BillingLedger& ledger;
  FaultInjector& faults;
};

// Registers all routes on `server`; `context` must outlive it.
void install_routes(httplib::Server& server, const RouteContext& context);

}  // namespace ccloud_sim
