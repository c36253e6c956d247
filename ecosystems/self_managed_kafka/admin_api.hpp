#pragma once
// Brokers and topics of a Kafka cluster from the cluster itself (resource_source admin_api,
// reference §4.3), through librdkafka: one metadata request answered by the controller,
// with the SASL/SSL settings of resource_source.

#include <string>
#include <vector>

#include "common/status.hpp"
#include "ecosystems/self_managed_kafka/settings.hpp"

namespace chitragupt::ecosystems::self_managed_kafka {

struct ListedBroker {
  std::string id;            // node id
  std::string display_name;  // host:port
};

struct ClusterListing {
  std::vector<ListedBroker> brokers;
  std::vector<std::string> topics;  // ascending, internal topics (__*) included
};

// Errors name what failed, never the password. `timeout_ms` bounds the whole call.
Result<ClusterListing> describe_cluster(const AdminApiSettings& settings, int timeout_ms = 10000);

}  // namespace chitragupt::ecosystems::self_managed_kafka
