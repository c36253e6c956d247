#pragma once
// Reading a Request's parameters with the report API's rules: pagination, date ranges in a
// time zone, JSON bodies. A bad parameter throws ApiError, which handle() turns into the
// error response; inside report/ this keeps every handler a straight line (nothing of it
// crosses the library boundary).

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/handlers.hpp"
#include "report/zone_time.hpp"

namespace chitragupt::report {

struct ApiError {
  int status;
  std::string code;
  std::string message;
};

[[noreturn]] void bad_parameter(const std::string& name, const std::string& why);
[[noreturn]] void not_found(const std::string& what);

// The JSON text of `value` (quoted and escaped): how messages mention caller input.
std::string json_quoted(const std::string& value);

// Query parameters of one request.
class Query {
 public:
  explicit Query(const Request& request) : request_(request) {}
  // The last value of `name`, if given.
  std::optional<std::string> get(const std::string& name) const;
  std::vector<std::string> all(const std::string& name) const;
  const std::vector<std::pair<std::string, std::string>>& items() const { return request_.query; }

 private:
  const Request& request_;
};

std::string path_param(const Request& request, const std::string& name);

struct Page {
  std::int64_t page = 1;
  std::int64_t page_size = 100;
  std::int64_t offset() const { return (page - 1) * page_size; }
};
// page >= 1, page_size 1..1000 (default 100).
Page read_page(const Query& query);
// {items,total,page,page_size,pages}
nlohmann::json page_envelope(nlohmann::json items, std::int64_t total, const Page& page);
// A query's own parameters followed by the page's, for its "LIMIT ? OFFSET ?".
storage::Params with_page(storage::Params params, const Page& page);
// The count of a "SELECT COUNT(*) ..." query (0 if it gave no row); `what` as for checked().
std::int64_t count_rows(storage::Database& db, const std::string& sql,
                        const storage::Params& params, const char* what);

// A half-open UTC range [start, end) from start_date/end_date in `timezone`.
struct DateRange {
  Zone zone = nullptr;
  std::int64_t start_day = 0;  // days since the epoch, in the zone
  std::int64_t end_day = 0;    // inclusive
  std::string start_utc;       // stored text
  std::string end_utc;         // stored text, exclusive: midnight after end_day
};
// Defaults: end_date today in the zone, start_date `default_days` before it. Names the bad
// parameter (start_date, end_date, timezone) in a 400.
DateRange read_date_range(const std::optional<std::string>& start_date,
                          const std::optional<std::string>& end_date,
                          const std::optional<std::string>& timezone, int default_days = 30);
DateRange read_date_range(const Query& query, int default_days = 30);
Zone read_zone(const std::optional<std::string>& timezone);

// The request body as a JSON object; 422 when it is not one.
nlohmann::json read_body_object(const Request& request);

// Tag keys usable in queries: ^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$
bool valid_tag_key(const std::string& key);

// A bucketed aggregate's group_by: names of the route's dimension columns or "tag:<key>",
// each once, in the order given; `fallback` when none is given. An unknown name or a bad tag
// key is a 400 naming group_by (and listing the route's columns).
struct GroupBy {
  std::string name;    // as requested: "identity_id", "tag:team"
  std::string column;  // SQL column, or "" for a tag
  std::string tag;     // tag key for tag groups
};
using GroupColumns = std::vector<std::pair<std::string, std::string>>;  // name -> SQL column
std::vector<GroupBy> read_group_by(const Query& query, const GroupColumns& columns,
                                   const std::string& fallback);

// time_bucket: hour, day (the default), week or month.
Bucket read_time_bucket(const Query& query);

// Every "tag:<key>=<v1>,<v2>" parameter, in the order given (a 400 on a bad key).
struct TagValues {
  std::string key;
  std::vector<std::string> values;  // OR within a key
};
std::vector<TagValues> read_tag_filters(const Query& query);

// "a,,b" -> {"a", "", "b"}; "" -> {""}.
std::vector<std::string> split_commas(const std::string& text);

// Money units → "12.3400".
std::string decimal(std::int64_t units);

// A JSON response with status 200 (or `status`).
Response json_response(const nlohmann::json& body, int status = 200);

// ORDER BY a text column byte-wise on both engines (PostgreSQL sorts by the database's
// collation otherwise, which would make the two engines' pages differ).
std::string bytewise(const storage::Database& db, const std::string& column);

// The order of a paged list: sort_by names one of a route's sortable columns, sort_order is
// asc (default) or desc; anything else is a 400 naming the parameter.
struct SortColumn {
  std::string name;  // as given in sort_by
  std::string sql;   // the column in the route's query
  bool text = true;  // text sorts byte-wise on both engines (bytewise())
};
struct Sort {
  std::optional<SortColumn> by;
  std::string direction = "ASC";  // ASC | DESC
};
Sort read_sort(const Query& query, const std::vector<SortColumn>& sortable);
// "<column> <direction>, <then>" with NULLs last on both engines (their defaults differ), or
// just `then` when no sort_by was given. `then` makes the order total, so pages never overlap.
std::string order_by(const storage::Database& db, const Sort& sort, const std::string& then);

// WHERE clauses with their bound parameters, built side by side.
struct Where {
  std::string sql;  // "" or " WHERE a = ? AND ..."
  storage::Params params;
  void add(const std::string& condition) { sql += (sql.empty() ? " WHERE " : " AND ") + condition; }
  void add(const std::string& condition, storage::Value value) {
    add(condition);
    params.push_back(std::move(value));
  }
  void add(const std::string& condition, const storage::Params& values) {
    add(condition);
    params.insert(params.end(), values.begin(), values.end());
  }
};

// Unwraps a database result; a failure becomes a 500 that says which query failed but not why
// (the engine's message may quote data).
template <typename T>
T checked(Result<T> result, const char* what);
void checked(const Status& status, const char* what);

}  // namespace chitragupt::report

#include "report/request_params_inl.hpp"
