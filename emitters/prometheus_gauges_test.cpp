// The process-wide gauge registry: text exposition checked by the real promtool, escaping,
// slice replacement per tenant.

#include "emitters/prometheus_gauges.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "storage/test_support.hpp"

namespace chitragupt::emitters {
namespace {

GaugeSample chargeback(const std::string& tenant, const std::string& identity,
                       const std::string& value) {
  return {GaugeFamily::chargeback_amount,
          {{"tenant_id", tenant},
           {"ecosystem", "confluent_cloud"},
           {"identity_id", identity},
           {"resource_id", "lkc-1"},
           {"product_type", "KAFKA_NUM_CKU"},
           {"cost_type", "usage"},
           {"allocation_method", "usage_ratio"}},
          value,
          1767225600000};
}

GaugeSample resource(const std::string& tenant, const std::string& id) {
  return {GaugeFamily::resource_active,
          {{"tenant_id", tenant},
           {"ecosystem", "confluent_cloud"},
           {"resource_id", id},
           {"resource_type", "kafka_cluster"}},
          "1",
          1767225600000};
}

struct Check {
  int exit_code;
  std::string output;
};

// `promtool check metrics` on `text` (stdin); its lint findings count as failures too.
Check promtool_check(const std::string& text) {
  storage::testing::TempDir dir;
  const std::string in = dir.file("metrics.txt");
  std::ofstream(in) << text;
  const std::string cmd = "/usr/bin/promtool check metrics < " + in + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return {-1, "popen failed"};
  std::string out;
  char buf[512];
  while (size_t n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

class Gauges : public ::testing::Test {
 protected:
  void SetUp() override { clear_gauges(); }
  void TearDown() override { clear_gauges(); }
};

TEST_F(Gauges, empty_registry_renders_nothing) { EXPECT_EQ(render_gauges(), ""); }

TEST_F(Gauges, label_values_are_escaped) {
  EXPECT_EQ(escape_label_value("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
  replace_tenant_slice("confluent_cloud", "t1", {chargeback("t1", "sa-\"quoted\"\\x\ny", "1.5000")});
  EXPECT_NE(render_gauges().find(R"(identity_id="sa-\"quoted\"\\x\ny")"), std::string::npos)
      << render_gauges();
}

TEST_F(Gauges, rendered_text_passes_promtool_check_metrics) {
  replace_tenant_slice("confluent_cloud", "t1",
                       {chargeback("t1", "sa-\"odd\"\\name\nline2", "12.3400"),
                        chargeback("t1", "sa-2", "0.0001"), resource("t1", "lkc-1")});
  replace_tenant_slice("confluent_cloud", "t2", {chargeback("t2", "sa-1", "-3.0000")});
  const std::string text = render_gauges();
  auto check = promtool_check(text);
  EXPECT_EQ(check.exit_code, 0) << check.output << "\n--- input ---\n" << text;
  EXPECT_EQ(check.output, "") << text;
  // HELP and TYPE once per family, whatever the number of tenants.
  auto count = [&](const std::string& needle) {
    std::size_t n = 0;
    for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1))
      ++n;
    return n;
  };
  EXPECT_EQ(count("# TYPE chitragupta_chargeback_amount gauge\n"), 1u);
  EXPECT_EQ(count("# HELP chitragupta_chargeback_amount "), 1u);
  EXPECT_EQ(count("# TYPE chitragupta_resource_active gauge\n"), 1u);
  EXPECT_EQ(count("chitragupta_billing_amount"), 0u);  // no samples: no family
  EXPECT_NE(text.find("} 12.3400 1767225600000\n"), std::string::npos);
}

TEST_F(Gauges, promtool_rejects_broken_text_so_the_check_above_can_fail) {
  auto check = promtool_check("# TYPE x gauge\nx{a=\"unterminated} 1\n");
  EXPECT_NE(check.exit_code, 0) << check.output;
}

TEST_F(Gauges, an_emit_replaces_only_that_tenants_slice) {
  replace_tenant_slice("confluent_cloud", "t1", {chargeback("t1", "old", "1.0000")});
  replace_tenant_slice("confluent_cloud", "t2", {chargeback("t2", "other", "2.0000")});
  replace_tenant_slice("confluent_cloud", "t1", {chargeback("t1", "new", "3.0000")});
  const std::string text = render_gauges();
  EXPECT_EQ(text.find("identity_id=\"old\""), std::string::npos) << text;
  EXPECT_NE(text.find("identity_id=\"new\""), std::string::npos) << text;
  EXPECT_NE(text.find("identity_id=\"other\""), std::string::npos) << text;
  EXPECT_TRUE(has_tenant_slice("confluent_cloud", "t1"));
  EXPECT_FALSE(has_tenant_slice("confluent_cloud", "t3"));
}

}  // namespace
}  // namespace chitragupt::emitters
