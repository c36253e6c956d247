#include "cli/summary_command.hpp"

#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <optional>
#include <sstream>

#include "allocation/money.hpp"
#include "common/database_url.hpp"
#include "config/config.hpp"
#include "storage/billing_store.hpp"
#include "storage/utc_time.hpp"

namespace chitragupt::cli {
namespace {

constexpr const char* kUsage =
    "usage: chitragupt summary --config-file FILE [--env-file FILE] [--tenant NAME]\n"
    "                          [--month YYYY-MM] [--top N]\n";

struct Args {
  std::optional<std::string> config_file;
  std::optional<std::string> env_file;
  std::optional<std::string> tenant;
  std::optional<std::string> month;
  int top = 5;
};

bool is_month(const std::string& m) {
  if (m.size() != 7 || m[4] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6}) {
    if (m[i] < '0' || m[i] > '9') return false;
  }
  int month = std::stoi(m.substr(5, 2));
  return month >= 1 && month <= 12;
}

int days_in(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

std::string month_after(const std::string& m) {
  int year = std::stoi(m.substr(0, 4));
  int month = std::stoi(m.substr(5, 2)) + 1;
  if (month == 13) {
    month = 1;
    ++year;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  return buf;
}

// Parses the words after "summary"; returns a reason on a usage error.
std::optional<std::string> parse_args(const std::vector<std::string>& words, Args& args,
                                      bool& help) {
  for (std::size_t i = 0; i < words.size(); ++i) {
    std::string flag = words[i];
    if (flag == "--help" || flag == "-h") {
      help = true;
      continue;
    }
    std::optional<std::string> value;
    if (auto eq = flag.find('='); eq != std::string::npos && flag.rfind("--", 0) == 0) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    }
    std::optional<std::string> top;
    std::optional<std::string>* slot = nullptr;
    if (flag == "--config-file") slot = &args.config_file;
    if (flag == "--env-file") slot = &args.env_file;
    if (flag == "--tenant") slot = &args.tenant;
    if (flag == "--month") slot = &args.month;
    if (flag == "--top") slot = &top;
    if (slot == nullptr) return "unexpected argument '" + flag + "'";
    if (!value) {
      if (i + 1 >= words.size()) return flag + " needs a value";
      value = words[++i];
    }
    *slot = *value;
    if (flag == "--top") {
      const std::string& t = *value;
      if (t.empty() || t.size() > 3 || t.find_first_not_of("0123456789") != std::string::npos ||
          std::stoi(t) < 1) {
        return "--top must be a number from 1 to 999, not '" + t + "'";
      }
      args.top = std::stoi(t);
    }
  }
  if (help) return std::nullopt;
  if (!args.config_file) return std::string("--config-file is required");
  if (args.month && !is_month(*args.month)) {
    return "--month must be YYYY-MM, not '" + *args.month + "'";
  }
  return std::nullopt;
}

}  // namespace

std::string previous_month(const std::string& today) {
  int year = std::stoi(today.substr(0, 4));
  int month = std::stoi(today.substr(5, 2)) - 1;
  if (month == 0) {
    month = 12;
    --year;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  return buf;
}

std::string format_amount(std::int64_t units) {
  std::string text = allocation::Money::from_units(units).to_string();  // "-12345.6789"
  bool negative = !text.empty() && text[0] == '-';
  std::string digits = text.substr(negative ? 1 : 0);
  auto dot = digits.find('.');
  std::string whole = digits.substr(0, dot);
  std::string grouped;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ',';
    grouped += whole[i];
  }
  return (negative ? "-" : "") + grouped + digits.substr(dot);
}

Result<MonthSummary> summarize_month(storage::Database& db, const std::string& ecosystem,
                                     const std::string& tenant_id, const std::string& month,
                                     int top_n) {
  MonthSummary s;
  s.month = month;
  s.days_in_month = days_in(std::stoi(month.substr(0, 4)), std::stoi(month.substr(5, 2)));
  const std::string first_day = month + "-01";
  const std::string next_first_day = month_after(month) + "-01";
  const storage::Params scope = {ecosystem, tenant_id, first_day, next_first_day};

  auto states = db.query(
      "SELECT chargeback_calculated, COUNT(*) FROM pipeline_state"
      " WHERE ecosystem = ? AND tenant_id = ? AND tracking_date >= ? AND tracking_date < ?"
      "   AND billing_gathered = 1 GROUP BY chargeback_calculated",
      scope);
  if (!states) return Status::error("reading pipeline_state: " + states.error());
  for (const auto& row : *states) {
    (row.get_int(0) == 1 ? s.days_calculated : s.days_pending) = static_cast<int>(row.get_int(1));
  }

  // Billing of the calculated days, each line quantized as the allocation quantizes it, so the
  // comparison with the facts is the conservation invariant itself.
  auto lines = db.query(
      std::string("SELECT b.total_cost FROM ") + storage::billing_table_of(ecosystem) +
          " b JOIN pipeline_state p ON p.ecosystem = b.ecosystem AND p.tenant_id = b.tenant_id"
          "   AND p.tracking_date = substr(b.timestamp, 1, 10) AND p.chargeback_calculated = 1"
          " WHERE b.ecosystem = ? AND b.tenant_id = ? AND b.timestamp >= ? AND b.timestamp < ?",
      scope);
  if (!lines) return Status::error("reading billing: " + lines.error());
  for (const auto& row : *lines) {
    auto amount = allocation::Money::parse(row.get_text(0));
    // An unreadable amount is allocated as 0 (ALLOCATION_FAILED), so it counts as 0 here too.
    if (amount) s.billed_units += amount->units();
    ++s.billing_lines;
  }

  const std::string facts =
      " FROM chargeback_facts f JOIN chargeback_dimensions d ON d.dimension_id = f.dimension_id"
      " WHERE d.ecosystem = ? AND d.tenant_id = ? AND f.timestamp >= ? AND f.timestamp < ?";
  auto total = db.query("SELECT COALESCE(SUM(f.amount), 0)" + facts, scope);
  if (!total) return Status::error("reading chargeback_facts: " + total.error());
  s.allocated_units = total->empty() ? 0 : total->front().get_int(0);

  auto top = db.query("SELECT d.identity_id, SUM(f.amount) AS cost" + facts +
                          " GROUP BY d.identity_id ORDER BY cost DESC, d.identity_id LIMIT ?",
                      {ecosystem, tenant_id, first_day, next_first_day,
                       static_cast<std::int64_t>(top_n)});
  if (!top) return Status::error("reading chargeback_facts: " + top.error());
  for (const auto& row : *top) {
    IdentityCost cost{row.get_text(0), "", row.get_int(1)};
    auto name = db.query(
        "SELECT display_name FROM identities WHERE ecosystem = ? AND tenant_id = ?"
        " AND identity_id = ?",
        {ecosystem, tenant_id, cost.identity_id});
    if (name && !name->empty()) cost.display_name = name->front().get_text(0);
    s.top.push_back(std::move(cost));
  }
  return s;
}

int run_summary_command(const std::vector<std::string>& words, std::ostream& out,
                        std::ostream& err) {
  Args args;
  bool help = false;
  if (auto reason = parse_args(words, args, help)) {
    err << "chitragupt summary: " << *reason << "\n" << kUsage;
    return 2;
  }
  if (help) {
    out << kUsage;
    return 0;
  }
  config::LoadResult loaded = config::load_config(*args.config_file, args.env_file);
  if (!loaded.ok()) {
    err << "chitragupt summary: invalid configuration " << *args.config_file << ":\n"
        << loaded.error_text();
    if (!loaded.error_text().empty() && loaded.error_text().back() != '\n') err << "\n";
    return 1;
  }
  std::vector<const config::TenantConfig*> tenants;
  for (const auto& t : loaded.config->tenants) {
    if (!args.tenant || t.name == *args.tenant) tenants.push_back(&t);
  }
  if (tenants.empty()) {
    err << "chitragupt summary: "
        << (args.tenant ? "unknown tenant '" + *args.tenant + "'" : std::string("no tenants"))
        << " in " << *args.config_file << "\n";
    return 1;
  }
  const std::string month =
      args.month ? *args.month : previous_month(storage::utc_now_timestamp().substr(0, 10));

  int exit_code = 0;
  for (const config::TenantConfig* tenant : tenants) {
    auto url = parse_database_url(tenant->storage.connection_string);
    if (!url) {
      err << "chitragupt summary: tenant " << tenant->name << ": " << url.error() << "\n";
      exit_code = 1;
      continue;
    }
    if (url->dialect == Dialect::sqlite && url->path != ":memory:" &&
        !std::filesystem::exists(url->path)) {
      err << "chitragupt summary: tenant " << tenant->name << ": " << url->describe()
          << ": no database yet (has the engine run?)\n";
      exit_code = 1;
      continue;
    }
    auto db = storage::open_database(*url);
    Result<MonthSummary> summary = db ? summarize_month(**db, tenant->ecosystem,
                                                        tenant->tenant_id, month, args.top)
                                      : Result<MonthSummary>(db.status());
    if (!summary) {
      err << "chitragupt summary: tenant " << tenant->name << ": " << summary.error() << "\n";
      exit_code = 1;
      continue;
    }
    const MonthSummary& s = *summary;
    const bool balanced = s.billed_units == s.allocated_units;
    if (!balanced) exit_code = 1;
    out << tenant->name << " (" << tenant->ecosystem << ") — " << s.month << ": "
        << s.days_calculated << " of " << s.days_in_month << " days calculated";
    if (s.days_pending > 0) out << ", " << s.days_pending << " pending";
    out << "\n";
    out << "  total billed     " << std::setw(16) << format_amount(s.billed_units) << "  ("
        << s.billing_lines << " billing lines)\n";
    out << "  total allocated  " << std::setw(16) << format_amount(s.allocated_units) << "  "
        << (balanced ? "= billed, to the cent"
                     : "MISMATCH: differs by " +
                           format_amount(s.allocated_units - s.billed_units))
        << "\n";
    if (!s.top.empty()) out << "  top identities by cost:\n";
    for (std::size_t i = 0; i < s.top.size(); ++i) {
      const IdentityCost& c = s.top[i];
      std::string label = c.identity_id;
      if (!c.display_name.empty() && c.display_name != c.identity_id) {
        label += " (" + c.display_name + ")";
      }
      out << "  " << std::setw(4) << (std::to_string(i + 1) + ".") << " " << std::left
          << std::setw(44) << label << std::right << std::setw(16) << format_amount(c.units)
          << "\n";
    }
  }
  return exit_code;
}

}  // namespace chitragupt::cli
