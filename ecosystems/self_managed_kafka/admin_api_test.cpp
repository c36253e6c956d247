// resource_source admin_api against librdkafka's built-in mock cluster, which speaks the Kafka
// protocol over TCP on loopback (test.mock.num.brokers): brokers and topics as the cluster
// lists them, and a clear error for a cluster nobody answers for.

#include <gtest/gtest.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <memory>

#include "ecosystems/self_managed_kafka/admin_api.hpp"

namespace chitragupt::ecosystems::self_managed_kafka {
namespace {

// A client whose configuration makes librdkafka run a mock cluster of `brokers` brokers.
class MockCluster {
 public:
  explicit MockCluster(int brokers) {
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    char err[256];
    rd_kafka_conf_set(conf, "test.mock.num.brokers", std::to_string(brokers).c_str(), err,
                      sizeof err);
    rd_kafka_conf_set(conf, "log_level", "0", err, sizeof err);
    rk_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
    if (rk_ != nullptr) mock_ = rd_kafka_handle_mock_cluster(rk_);
  }
  ~MockCluster() {
    if (rk_ != nullptr) rd_kafka_destroy(rk_);
  }
  bool ok() const { return mock_ != nullptr; }
  std::string bootstraps() const { return rd_kafka_mock_cluster_bootstraps(mock_); }
  void topic(const std::string& name, int partitions) {
    rd_kafka_mock_topic_create(mock_, name.c_str(), partitions, 1);
  }

 private:
  rd_kafka_t* rk_ = nullptr;
  rd_kafka_mock_cluster_t* mock_ = nullptr;
};

TEST(AdminApiDiscovery, lists_the_mock_clusters_brokers_and_topics) {
  MockCluster cluster(3);
  ASSERT_TRUE(cluster.ok());
  cluster.topic("orders", 3);
  cluster.topic("payments", 1);
  AdminApiSettings settings;
  settings.bootstrap_servers = cluster.bootstraps();
  auto listed = describe_cluster(settings);
  ASSERT_TRUE(listed.is_ok()) << listed.error();
  ASSERT_EQ(listed->brokers.size(), 3u);
  EXPECT_EQ(listed->brokers[0].id, "1");
  EXPECT_NE(listed->brokers[0].display_name.find(':'), std::string::npos)
      << "host:port, got " << listed->brokers[0].display_name;
  EXPECT_EQ(listed->topics, (std::vector<std::string>{"orders", "payments"}));
}

TEST(AdminApiDiscovery, an_unreachable_cluster_is_an_error_naming_it) {
  AdminApiSettings settings;
  settings.bootstrap_servers = "127.0.0.1:1";
  auto listed = describe_cluster(settings, 1500);
  ASSERT_FALSE(listed.is_ok());
  EXPECT_NE(listed.error().find("127.0.0.1:1"), std::string::npos) << listed.error();
}

TEST(AdminApiDiscovery, sasl_settings_reach_the_client_and_the_password_never_the_error) {
  AdminApiSettings settings;
  settings.bootstrap_servers = "127.0.0.1:1";
  settings.security_protocol = "SASL_PLAINTEXT";
  settings.sasl_mechanism = "SCRAM-SHA-512";
  settings.sasl_username = "svc";
  settings.sasl_password = "s3cret-pw";
  auto listed = describe_cluster(settings, 1500);
  ASSERT_FALSE(listed.is_ok());
  EXPECT_EQ(listed.error().find("s3cret-pw"), std::string::npos);
}

}  // namespace
}  // namespace chitragupt::ecosystems::self_managed_kafka
