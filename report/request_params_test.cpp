// The query-parameter readers the report routes share (group_by, time_bucket, tag:<key>
// filters, paging, counts): what they accept, and the 400 each bad value gives.

#include "report/request_params.hpp"

#include <gtest/gtest.h>

#include "report/entity_tags.hpp"
#include "storage/test_support.hpp"

namespace chitragupt::report {
namespace {

Request with_query(std::vector<std::pair<std::string, std::string>> query) {
  Request r;
  r.method = "GET";
  r.query = std::move(query);
  return r;
}

// The ApiError `read` throws (status 0 when it throws none).
template <typename F>
ApiError error_of(F read) {
  try {
    read();
  } catch (const ApiError& e) {
    return e;
  }
  return ApiError{0, "", ""};
}

// A scratch SQLite database in `dir` with a tags table (as the schema's) and `script` run on it.
std::unique_ptr<storage::Database> scratch_db(const storage::testing::TempDir& dir,
                                              const std::string& script) {
  auto opened = storage::open_database(dir.sqlite_url("scratch.db"));
  EXPECT_TRUE(opened.is_ok()) << opened.error();
  if (!opened) return nullptr;
  Status s = (*opened)->execute_script(
      "CREATE TABLE tags (tenant_id TEXT, entity_type TEXT, entity_id TEXT, tag_key TEXT, "
      "tag_value TEXT);" +
      script);
  EXPECT_TRUE(s.is_ok()) << s.message();
  return std::move(*opened);
}

const GroupColumns kColumns = {{"identity_id", "d.identity_id"}, {"env_id", "d.env_id"}};

TEST(RequestParams, group_by_reads_columns_and_tags_once_each_in_the_order_given) {
  Request r = with_query({{"group_by", "env_id"},
                          {"group_by", "tag:team"},
                          {"group_by", "env_id"},
                          {"group_by", "identity_id"}});
  auto groups = read_group_by(Query(r), kColumns, "identity_id");
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0].name, "env_id");
  EXPECT_EQ(groups[0].column, "d.env_id");
  EXPECT_EQ(groups[0].tag, "");
  EXPECT_EQ(groups[1].name, "tag:team");
  EXPECT_EQ(groups[1].column, "");
  EXPECT_EQ(groups[1].tag, "team");
  EXPECT_EQ(groups[2].name, "identity_id");
  EXPECT_EQ(groups[2].column, "d.identity_id");
}

TEST(RequestParams, group_by_defaults_to_the_fallback) {
  Request r = with_query({{"time_bucket", "day"}});
  auto groups = read_group_by(Query(r), kColumns, "env_id");
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].name, "env_id");
  EXPECT_EQ(groups[0].column, "d.env_id");
}

TEST(RequestParams, group_by_names_an_unknown_dimension_and_lists_the_routes_columns) {
  Request r = with_query({{"group_by", "colour"}});
  ApiError e = error_of([&] { read_group_by(Query(r), kColumns, "env_id"); });
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.message,
            "invalid parameter 'group_by': unknown dimension \"colour\" (one of identity_id, "
            "env_id, tag:<key>)");
  Request bad_tag = with_query({{"group_by", "tag:-x"}});
  e = error_of([&] { read_group_by(Query(bad_tag), kColumns, "env_id"); });
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.message,
            "invalid parameter 'group_by': bad tag key \"-x\" (expected "
            "^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$)");
}

TEST(RequestParams, time_bucket_is_day_by_default_and_rejects_other_words) {
  EXPECT_EQ(read_time_bucket(Query(with_query({}))), Bucket::day);
  EXPECT_EQ(read_time_bucket(Query(with_query({{"time_bucket", "hour"}}))), Bucket::hour);
  EXPECT_EQ(read_time_bucket(Query(with_query({{"time_bucket", "day"}}))), Bucket::day);
  EXPECT_EQ(read_time_bucket(Query(with_query({{"time_bucket", "week"}}))), Bucket::week);
  EXPECT_EQ(read_time_bucket(Query(with_query({{"time_bucket", "month"}}))), Bucket::month);
  Request r = with_query({{"time_bucket", "Day"}});
  ApiError e = error_of([&] { read_time_bucket(Query(r)); });
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.message,
            "invalid parameter 'time_bucket': expected hour, day, week or month, got \"Day\"");
}

TEST(RequestParams, tag_filters_split_values_on_commas_and_check_the_key) {
  Request r = with_query({{"tag:team", "a,b"}, {"group_by", "x"}, {"tag:env", ""}});
  auto filters = read_tag_filters(Query(r));
  ASSERT_EQ(filters.size(), 2u);
  EXPECT_EQ(filters[0].key, "team");
  EXPECT_EQ(filters[0].values, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(filters[1].key, "env");
  EXPECT_EQ(filters[1].values, (std::vector<std::string>{""}));
  Request bad = with_query({{"tag:", "a"}});
  ApiError e = error_of([&] { read_tag_filters(Query(bad)); });
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.message,
            "invalid parameter 'tag:<key>': bad tag key \"\" (expected "
            "^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$)");
}

TEST(RequestParams, split_commas_keeps_empty_items) {
  EXPECT_EQ(split_commas(""), (std::vector<std::string>{""}));
  EXPECT_EQ(split_commas("a"), (std::vector<std::string>{"a"}));
  EXPECT_EQ(split_commas("a,,b,"), (std::vector<std::string>{"a", "", "b", ""}));
}

TEST(RequestParams, with_page_appends_limit_and_offset_after_the_querys_parameters) {
  Page page;
  page.page = 3;
  page.page_size = 25;
  storage::Params params = with_page({std::string("t1"), std::int64_t{7}}, page);
  EXPECT_EQ(params, (storage::Params{std::string("t1"), std::int64_t{7}, std::int64_t{25},
                                     std::int64_t{50}}));
}

TEST(RequestParams, count_rows_gives_the_count_and_names_a_failed_query) {
  storage::testing::TempDir dir;
  auto db = scratch_db(dir, "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1), (2), (3);");
  ASSERT_TRUE(db);
  EXPECT_EQ(count_rows(*db, "SELECT COUNT(*) FROM t WHERE x >= ?", {std::int64_t{2}}, "t count"),
            2);
  ApiError e = error_of([&] { count_rows(*db, "SELECT COUNT(*) FROM missing", {}, "t count"); });
  EXPECT_EQ(e.status, 500);
  EXPECT_EQ(e.message, "could not read t count");
}

TEST(RequestParams, entity_tag_condition_matches_the_entitys_tag_with_or_without_a_value) {
  storage::testing::TempDir dir;
  auto opened = scratch_db(dir,
                           "CREATE TABLE r (resource_id TEXT);"
                           "INSERT INTO r VALUES ('a'), ('b'), ('c');"
                           "INSERT INTO tags VALUES ('t1', 'resource', 'a', 'team', 'x'),"
                           " ('t1', 'resource', 'b', 'team', 'y'),"
                           " ('t2', 'resource', 'c', 'team', 'x'),"
                           " ('t1', 'identity', 'c', 'team', 'x');");
  ASSERT_TRUE(opened);
  storage::Database& db = *opened;
  auto ids = [&](const std::optional<std::string>& value) {
    Where w;
    add_entity_tag_condition(w, "t1", "resource", "d.resource_id", "team", value);
    auto rows = db.query("SELECT d.resource_id FROM r d" + w.sql + " ORDER BY 1", w.params);
    EXPECT_TRUE(rows.is_ok()) << rows.error();
    std::vector<std::string> out;
    for (const auto& row : *rows) out.push_back(row.get_text(0));
    return out;
  };
  EXPECT_EQ(ids(std::nullopt), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(ids(std::string("x")), (std::vector<std::string>{"a"}));
  EXPECT_EQ(ids(std::string("z")), (std::vector<std::string>{}));
}

TEST(RequestParams, row_group_values_read_columns_in_order_and_tags_of_the_row) {
  storage::testing::TempDir dir;
  auto opened = scratch_db(dir,
                           "INSERT INTO tags VALUES ('t1', 'resource', 'lkc-1', 'team', 'x'),"
                           " ('t1', 'identity', 'sa-1', 'team', 'y'),"
                           " ('t1', 'identity', 'sa-1', 'owner', 'ada');");
  ASSERT_TRUE(opened);
  storage::Database& db = *opened;
  TagIndex tags = TagIndex::load(db, "t1");
  auto rows = db.query("SELECT 'skip', 'first', 'second'");
  ASSERT_TRUE(rows.is_ok()) << rows.error();
  const std::vector<GroupBy> groups = {{"a", "c.a", ""},
                                       {"tag:team", "", "team"},
                                       {"b", "c.b", ""},
                                       {"tag:owner", "", "owner"},
                                       {"tag:cost", "", "cost"}};
  std::vector<std::string> out = {"left over"};
  row_group_values(groups, rows->front(), 1, tags, "lkc-1", "sa-1", out);
  // The resource's tag wins over the identity's; a missing tag is UNTAGGED.
  EXPECT_EQ(out, (std::vector<std::string>{"first", "x", "second", "ada", "UNTAGGED"}));
  row_group_values(groups, rows->front(), 0, tags, "lkc-2", "", out);
  EXPECT_EQ(out, (std::vector<std::string>{"skip", "UNTAGGED", "first", "UNTAGGED", "UNTAGGED"}));
}

}  // namespace
}  // namespace chitragupt::report
