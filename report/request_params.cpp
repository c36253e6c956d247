#include "report/request_params.hpp"

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
