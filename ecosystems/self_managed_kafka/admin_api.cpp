#include "ecosystems/self_managed_kafka/admin_api.hpp"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <memory>

namespace chitragupt::ecosystems::self_managed_kafka {
namespace {

struct KafkaDeleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
};

Status set(rd_kafka_conf_t* conf, const char* name, const std::string& value) {
  char errstr[512];
  if (rd_kafka_conf_set(conf, name, value.c_str(), errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
    return Status::error(std::string("setting ") + name + ": " + errstr);
  }
  return Status::ok();
}

}  // namespace

Result<ClusterListing> describe_cluster(const AdminApiSettings& settings, int timeout_ms) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  auto fail = [&](Status s) {
    rd_kafka_conf_destroy(conf);
    return s;
  };
  if (auto s = set(conf, "bootstrap.servers", settings.bootstrap_servers); !s) return fail(s);
  if (auto s = set(conf, "security.protocol", settings.security_protocol); !s) return fail(s);
  if (!settings.sasl_mechanism.empty()) {
    if (auto s = set(conf, "sasl.mechanisms", settings.sasl_mechanism); !s) return fail(s);
    if (auto s = set(conf, "sasl.username", settings.sasl_username); !s) return fail(s);
    if (auto s = set(conf, "sasl.password", settings.sasl_password); !s) return fail(s);
  }
  // Quiet: connection errors come back from the metadata call below.
  if (auto s = set(conf, "log_level", "0"); !s) return fail(s);
  char errstr[512];
  std::unique_ptr<rd_kafka_t, KafkaDeleter> rk(
      rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr));
  if (!rk) return fail(Status::error(std::string("creating the Kafka client: ") + errstr));
  // rd_kafka_new owns conf from here on.
  const rd_kafka_metadata_t* metadata = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_metadata(rk.get(), 1, nullptr, &metadata, timeout_ms);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return Status::error("metadata request to " + settings.bootstrap_servers +
                         " failed: " + rd_kafka_err2str(err));
  }
  ClusterListing out;
  for (int i = 0; i < metadata->broker_cnt; ++i) {
    const auto& b = metadata->brokers[i];
    ListedBroker broker;
    broker.id = std::to_string(b.id);
    broker.display_name = b.host != nullptr && b.port > 0
                              ? std::string(b.host) + ":" + std::to_string(b.port)
                              : broker.id;
    out.brokers.push_back(broker);
  }
  for (int i = 0; i < metadata->topic_cnt; ++i) {
    if (metadata->topics[i].err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      out.topics.push_back(metadata->topics[i].topic);
    }
  }
  rd_kafka_metadata_destroy(metadata);
  std::sort(out.brokers.begin(), out.brokers.end(),
            [](const ListedBroker& a, const ListedBroker& b) { return a.id < b.id; });
  std::sort(out.topics.begin(), out.topics.end());
  return out;
}

}  // namespace chitragupt::ecosystems::self_managed_kafka
