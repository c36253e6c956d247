#include <gtest/gtest.h>

#include "config/config.hpp"

namespace chitragupt::config {
namespace {

std::string yaml_with(const std::string& connection, const std::string& plugin_secret,
                      int lookback = 200, const std::string& plugin_order = "ab") {
  std::string plugin = plugin_order == "ab" ? "{a: 1, b: {secret: '" + plugin_secret + "'}}"
                                            : "{b: {secret: '" + plugin_secret + "'}, a: 1}";
  return "tenants:\n  prod:\n    ecosystem: confluent_cloud\n    tenant_id: p\n"
         "    lookback_days: " +
         std::to_string(lookback) + "\n    storage: {connection_string: '" + connection +
         "'}\n    plugin_settings: " + plugin + "\n";
}

std::string fingerprint_of(const std::string& yaml) {
  auto result = parse_config(yaml, Environment::from_map({}));
  EXPECT_TRUE(result.ok()) << result.error_text();
  return result.ok() ? result.config->tenants.at(0).fingerprint() : "";
}

const std::string kUrl = "postgresql://u:pw1@db:5432/x";

TEST(Fingerprint, is_a_sha256_hex_digest) {
  std::string fp = fingerprint_of(yaml_with(kUrl, "s1"));
  ASSERT_EQ(fp.size(), 64u);
  EXPECT_EQ(fp.find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(Fingerprint, equal_configs_have_equal_fingerprints) {
  EXPECT_EQ(fingerprint_of(yaml_with(kUrl, "s1")), fingerprint_of(yaml_with(kUrl, "s1")));
}

TEST(Fingerprint, key_order_in_the_file_does_not_matter) {
  EXPECT_EQ(fingerprint_of(yaml_with(kUrl, "s1", 200, "ab")),
            fingerprint_of(yaml_with(kUrl, "s1", 200, "ba")));
}

TEST(Fingerprint, spelling_out_a_default_does_not_change_it) {
  EXPECT_EQ(fingerprint_of(yaml_with(kUrl, "s1", 200)),
            fingerprint_of(yaml_with(kUrl, "s1", 200) + "    cutoff_days: 5\n"));
}

TEST(Fingerprint, any_change_changes_it_even_a_nested_plugin_secret) {
  const std::string base = fingerprint_of(yaml_with(kUrl, "s1"));
  EXPECT_NE(base, fingerprint_of(yaml_with(kUrl, "s2")));
  EXPECT_NE(base, fingerprint_of(yaml_with("postgresql://u:pw2@db:5432/x", "s1")));
  EXPECT_NE(base, fingerprint_of(yaml_with(kUrl, "s1", 201)));
  EXPECT_NE(base, fingerprint_of(yaml_with(kUrl, "s1") + "    retention_days: 251\n"));
}

TEST(Fingerprint, never_contains_the_secret) {
  std::string fp = fingerprint_of(yaml_with(kUrl, "VisibleSecret"));
  EXPECT_EQ(fp.find("VisibleSecret"), std::string::npos);
}

}  // namespace
}  // namespace chitragupt::config
