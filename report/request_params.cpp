#include "report/request_params.hpp"

#include <algorithm>
#include <charconv>

#include <spdlog/spdlog.h>
#include "allocation/money.hpp"

namespace chitragupt::report {

void bad_parameter(const std::string& name, const std::string& why) {
  throw ApiError{400, "bad_parameter", "invalid parameter '" + name + "': " + why};
}

void not_found(const std::string& what) { throw ApiError{404, "not_found", what}; }

std::string json_quoted(const std::string& value) {
  std::string cut = value.size() > 120 ? value.substr(0, 120) + "..." : value;
  return nlohmann::json(cut).dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
}

void database_failure(const char* what, const std::string& reason) {
  // The engine's reason goes to the log only (it names the query, never the connection).
  spdlog::warn("report_query_failed query={} reason={}", what, reason);
  throw ApiError{500, "database_error", std::string("could not read ") + what};
}

void checked(const Status& status, const char* what) {
  if (!status) database_failure(what, status.message());
}

std::optional<std::string> Query::get(const std::string& name) const {
  std::optional<std::string> out;
  for (const auto& [k, v] : request_.query) {
    if (k == name) out = v;
  }
  return out;
}

std::vector<std::string> Query::all(const std::string& name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : request_.query) {
    if (k == name) out.push_back(v);
  }
  return out;
}

std::string path_param(const Request& request, const std::string& name) {
  for (const auto& [k, v] : request.path_params) {
    if (k == name) return v;
  }
  bad_parameter(name, "missing path parameter");
}

namespace {

std::int64_t read_int(const Query& query, const std::string& name, std::int64_t fallback,
                      std::int64_t min, std::int64_t max) {
  auto text = query.get(name);
  if (!text) return fallback;
  std::int64_t n = 0;
  const char* end = text->data() + text->size();
  auto [ptr, ec] = std::from_chars(text->data(), end, n);
  if (text->empty() || ec != std::errc() || ptr != end) bad_parameter(name, "not an integer");
  if (n < min || n > max) {
    bad_parameter(name, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return n;
}

}  // namespace

Page read_page(const Query& query) {
  Page p;
  p.page = read_int(query, "page", 1, 1, 1'000'000'000);
  p.page_size = read_int(query, "page_size", 100, 1, 1000);
  return p;
}

nlohmann::json page_envelope(nlohmann::json items, std::int64_t total, const Page& page) {
  std::int64_t pages = total == 0 ? 0 : (total + page.page_size - 1) / page.page_size;
  return {{"items", std::move(items)},
          {"total", total},
          {"page", page.page},
          {"page_size", page.page_size},
          {"pages", pages}};
}

storage::Params with_page(storage::Params params, const Page& page) {
  params.push_back(page.page_size);
  params.push_back(page.offset());
  return params;
}

std::int64_t count_rows(storage::Database& db, const std::string& sql,
                        const storage::Params& params, const char* what) {
  auto rows = checked(db.query(sql, params), what);
  return rows.empty() ? 0 : rows[0].get_int(0);
}

Zone read_zone(const std::optional<std::string>& timezone) {
  if (!timezone) return find_zone("UTC");
  Zone z = find_zone(*timezone);
  if (!z) bad_parameter("timezone", "unknown IANA time zone " + json_quoted(*timezone));
  return z;
}

DateRange read_date_range(const std::optional<std::string>& start_date,
                          const std::optional<std::string>& end_date,
                          const std::optional<std::string>& timezone, int default_days) {
  DateRange r;
  r.zone = read_zone(timezone);
  if (end_date) {
    auto d = parse_day(*end_date);
    if (!d) bad_parameter("end_date", "expected a date YYYY-MM-DD, got " + json_quoted(*end_date));
    r.end_day = *d;
  } else {
    r.end_day = today_in(r.zone);
  }
  if (start_date) {
    auto d = parse_day(*start_date);
    if (!d)
      bad_parameter("start_date", "expected a date YYYY-MM-DD, got " + json_quoted(*start_date));
    r.start_day = *d;
  } else {
    r.start_day = r.end_day - default_days;
  }
  if (r.start_day > r.end_day) bad_parameter("start_date", "start_date is after end_date");
  r.start_utc = local_midnight_utc(r.zone, r.start_day);
  r.end_utc = local_midnight_utc(r.zone, r.end_day + 1);
  return r;
}

DateRange read_date_range(const Query& query, int default_days) {
  return read_date_range(query.get("start_date"), query.get("end_date"), query.get("timezone"),
                         default_days);
}

nlohmann::json read_body_object(const Request& request) {
  auto body = nlohmann::json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    throw ApiError{422, "invalid_body", "the request body must be a JSON object"};
  }
  return body;
}

bool valid_tag_key(const std::string& key) {
  auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (key.empty() || key.size() > 63 || !alnum(key[0])) return false;
  for (char c : key) {
    if (!alnum(c) && c != '_' && c != '-') return false;
  }
  return true;
}

namespace {

void check_tag_key(const std::string& parameter, const std::string& key) {
  if (!valid_tag_key(key)) {
    bad_parameter(parameter, "bad tag key " + json_quoted(key) +
                                 " (expected ^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$)");
  }
}

}  // namespace

std::vector<GroupBy> read_group_by(const Query& query, const GroupColumns& columns,
                                   const std::string& fallback) {
  std::vector<GroupBy> groups;
  auto requested = query.all("group_by");
  if (requested.empty()) requested.push_back(fallback);
  for (const auto& name : requested) {
    if (std::any_of(groups.begin(), groups.end(),
                    [&](const GroupBy& g) { return g.name == name; })) {
      continue;
    }
    if (name.rfind("tag:", 0) == 0) {
      std::string key = name.substr(4);
      check_tag_key("group_by", key);
      groups.push_back({name, "", key});
      continue;
    }
    auto it = std::find_if(columns.begin(), columns.end(),
                           [&](const auto& c) { return c.first == name; });
    if (it == columns.end()) {
      std::string known;
      for (const auto& c : columns) known += c.first + ", ";
      bad_parameter("group_by",
                    "unknown dimension " + json_quoted(name) + " (one of " + known + "tag:<key>)");
    }
    groups.push_back({name, it->second, ""});
  }
  return groups;
}

Bucket read_time_bucket(const Query& query) {
  auto tb = query.get("time_bucket");
  if (!tb || *tb == "day") return Bucket::day;
  if (*tb == "hour") return Bucket::hour;
  if (*tb == "week") return Bucket::week;
  if (*tb == "month") return Bucket::month;
  bad_parameter("time_bucket", "expected hour, day, week or month, got " + json_quoted(*tb));
}

std::vector<TagValues> read_tag_filters(const Query& query) {
  std::vector<TagValues> filters;
  for (const auto& [name, value] : query.items()) {
    if (name.rfind("tag:", 0) != 0) continue;
    std::string key = name.substr(4);
    check_tag_key("tag:<key>", key);
    filters.push_back({key, split_commas(value)});
  }
  return filters;
}

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    auto comma = text.find(',', start);
    out.push_back(
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string decimal(std::int64_t units) { return allocation::Money::from_units(units).to_string(); }

Response json_response(const nlohmann::json& body, int status) {
  Response r;
  r.status = status;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

std::string bytewise(const storage::Database& db, const std::string& column) {
  return db.dialect() == Dialect::postgresql ? column + " COLLATE \"C\"" : column;
}

Sort read_sort(const Query& query, const std::vector<SortColumn>& sortable) {
  Sort sort;
  if (auto order = query.get("sort_order")) {
    if (*order == "desc") {
      sort.direction = "DESC";
    } else if (*order != "asc") {
      bad_parameter("sort_order", "expected asc or desc, got " + json_quoted(*order));
    }
  }
  if (auto by = query.get("sort_by")) {
    for (const auto& c : sortable) {
      if (c.name == *by) sort.by = c;
    }
    if (!sort.by) bad_parameter("sort_by", "cannot sort by " + json_quoted(*by));
  }
  return sort;
}

std::string order_by(const storage::Database& db, const Sort& sort, const std::string& then) {
  if (!sort.by) return then;
  const SortColumn& c = *sort.by;
  return "CASE WHEN " + c.sql + " IS NULL THEN 1 ELSE 0 END, " +
         (c.text ? bytewise(db, c.sql) : c.sql) + " " + sort.direction + ", " + then;
}

}  // namespace chitragupt::report
