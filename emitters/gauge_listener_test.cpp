// The optional second listener of the prometheus emitter, over real HTTP on loopback.

#include <gtest/gtest.h>
#include <httplib.h>

#include "emitters/emission_runner.hpp"
#include "emitters/prometheus_gauges.hpp"

namespace chitragupt::emitters {
namespace {

TEST(GaugeListener, serves_the_registry_at_metrics_and_refuses_a_taken_port) {
  clear_gauges();
  replace_tenant_slice("confluent_cloud", "t1",
                       {{GaugeFamily::identity_active,
                         {{"tenant_id", "t1"}, {"ecosystem", "confluent_cloud"},
                          {"identity_id", "sa-1"}, {"identity_type", "service_account"}},
                         "1",
                         1769904000000}});
  auto port = ensure_gauge_listener("127.0.0.1", 0);
  ASSERT_TRUE(port.is_ok()) << port.error();
  httplib::Client client("127.0.0.1", *port);
  client.set_connection_timeout(5);
  client.set_read_timeout(5);
  auto res = client.Get("/metrics");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, render_gauges());
  EXPECT_NE(res->body.find("chitragupta_identity_active{tenant_id=\"t1\""), std::string::npos);
  // Asking again for the running port is a no-op; another server holding a port is an error.
  EXPECT_EQ(*ensure_gauge_listener("127.0.0.1", *port), *port);
  httplib::Server other;
  int taken = other.bind_to_any_port("127.0.0.1");
  ASSERT_GT(taken, 0);
  auto refused = ensure_gauge_listener("127.0.0.1", taken);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_EQ(refused.error(),
            "cannot listen for the gauges on 127.0.0.1:" + std::to_string(taken));
  clear_gauges();
}

}  // namespace
}  // namespace chitragupt::emitters
