#include "common/database_url.hpp"

#include <gtest/gtest.h>

namespace chitragupt {
namespace {

TEST(DatabaseUrl, sqlite_relative_and_absolute_paths) {
  auto rel = parse_database_url("sqlite:///data/chargeback.db");
  ASSERT_TRUE(rel.is_ok()) << rel.error();
  EXPECT_EQ(rel->dialect, Dialect::sqlite);
  EXPECT_EQ(rel->path, "data/chargeback.db");
  auto abs = parse_database_url("sqlite:////var/lib/x.db");
  ASSERT_TRUE(abs.is_ok());
  EXPECT_EQ(abs->path, "/var/lib/x.db");
  EXPECT_EQ(abs->describe(), "sqlite:////var/lib/x.db");
}

TEST(DatabaseUrl, sqlite_identity_normalises_equivalent_paths) {
  auto a = parse_database_url("sqlite:///data/a.db");
  auto b = parse_database_url("sqlite:///./data/../data/a.db");
  ASSERT_TRUE(a.is_ok() && b.is_ok());
  EXPECT_EQ(a->identity(), b->identity());
  auto mem = parse_database_url("sqlite:///:memory:");
  ASSERT_TRUE(mem.is_ok());
  EXPECT_EQ(mem->path, ":memory:");
}

TEST(DatabaseUrl, postgresql_percent_encoded_credentials_are_decoded) {
  auto u = parse_database_url(
      "postgresql+psycopg2://us%40er:p%3Ass%2Fw@db.local:5433/prod?sslmode=require");
  ASSERT_TRUE(u.is_ok()) << u.error();
  EXPECT_EQ(u->dialect, Dialect::postgresql);
  EXPECT_EQ(u->user, "us@er");
  EXPECT_EQ(u->password, "p:ss/w");
  EXPECT_EQ(u->host, "db.local");
  EXPECT_EQ(u->port, 5433);
  EXPECT_EQ(u->database, "prod");
  EXPECT_EQ(u->params.at("sslmode"), "require");
}

TEST(DatabaseUrl, postgresql_describe_never_contains_credentials) {
  auto u = parse_database_url(
      "postgresql+psycopg://alice:S3cretPw@db:5432/ccloud?options=-csearch_path%3Dx");
  ASSERT_TRUE(u.is_ok());
  EXPECT_EQ(u->describe(), "postgresql://db:5432/ccloud");
  EXPECT_EQ(u->describe().find("S3cretPw"), std::string::npos);
  EXPECT_EQ(u->describe().find("alice"), std::string::npos);
  EXPECT_EQ(u->params.at("options"), "-csearch_path=x");
}

TEST(DatabaseUrl, postgresql_unix_socket_host_from_query) {
  auto u = parse_database_url("postgresql://app@/prod?host=/var/run/postgresql");
  ASSERT_TRUE(u.is_ok()) << u.error();
  EXPECT_EQ(u->host, "/var/run/postgresql");
  EXPECT_TRUE(u->params.empty());
}

TEST(DatabaseUrl, errors_never_echo_the_url) {
  for (const std::string bad :
       {"mysql://root:TopSecret1@h/db", "postgresql://u:TopSecret1@h:99999/db",
        "postgresql://u:TopSecret1@h/", "TopSecret1", "postgresql://u:Top%zzSecret1@h/db",
        "user:TopSecret1@host://x"}) {
    auto r = parse_database_url(bad);
    ASSERT_FALSE(r.is_ok()) << bad;
    EXPECT_EQ(r.error().find("TopSecret1"), std::string::npos) << r.error();
  }
}

}  // namespace
}  // namespace chitragupt
