#pragma once
// The topic-attribution overlay inside a pipeline run (topics/stage.hpp does the work): the
// metrics fetcher over the tenant's telemetry client, and the steps run.cpp calls.

#include <atomic>
#include <string>
#include <vector>

#include "common/stop_token.hpp"
#include "config/config.hpp"
#include "storage/database.hpp"
#include "topics/settings.hpp"
#include "topics/stage.hpp"

namespace chitragupt::pipeline {

// After a gather of [start_date, end_date): discovery. Failures are warnings (the dates stay
// without overlay and are picked up by the next gather).
std::vector<std::string> run_topic_discovery(storage::Database& db,
                                             const config::TenantConfig& tenant,
                                             const topics::TopicSettings& settings,
                                             const topics::TopicMetricsFetcher& fetcher,
                                             const std::string& start_date,
                                             const std::string& end_date);

// After calculate: the attribution stage, then retention of its facts. Errors are returned
// for the run's error message; `report` gets the stage's figures.
std::vector<std::string> run_topic_attribution(storage::Database& db,
                                               const config::TenantConfig& tenant,
                                               const topics::TopicSettings& settings,
                                               const topics::TopicMetricsFetcher& fetcher,
                                               std::int64_t step_seconds, const StopToken& stop,
                                               topics::AttributionReport* report);

}  // namespace chitragupt::pipeline
