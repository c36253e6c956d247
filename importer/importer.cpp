#include "importer/importer.hpp"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>

#include "allocation/decimal.hpp"
#include "common/database_url.hpp"
#include "importer/convert.hpp"
#include "importer/source.hpp"
#include "storage/database.hpp"
#include "storage/migrator.hpp"
#include "storage/utc_time.hpp"

namespace chitragupt::importer {
namespace {

using allocation::Decimal;
using storage::Database;
using storage::Params;
using storage::Row;
using storage::Value;

constexpr std::size_t kExamples = 10;  // problems / notes listed per kind

// FNV-1a over fields separated by 0x1f: an order-independent date fingerprint is the sum of the
// row hashes (and the row count), the same for the rows the import would write and the rows a
// target holds.
std::uint64_t row_hash(const std::vector<std::string>& fields) {
  std::uint64_t h = 1469598103934665603ull;
  for (const auto& f : fields) {
    for (unsigned char c : f) {
      h ^= c;
      h *= 1099511628211ull;
    }
    h ^= 0x1f;
    h *= 1099511628211ull;
  }
  return h;
}

struct Fingerprint {
  std::int64_t rows = 0;
  std::uint64_t sum = 0;
  void add(std::uint64_t h) {
    ++rows;
    sum += h;
  }
  bool operator==(const Fingerprint& o) const { return rows == o.rows && sum == o.sum; }
  bool operator!=(const Fingerprint& o) const { return !(*this == o); }
};

Value text_or_null(const Row& r, std::size_t i) {
  if (r.is_null(i)) return std::monostate{};
  return r.get_text(i);
}

std::string value_text(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* n = std::get_if<std::int64_t>(&v)) return std::to_string(*n);
  return "\x01NULL";
}

std::string next_day(const std::string& date) {
  auto ts = canonical_timestamp(date);
  std::tm tm{};
  strptime(ts->c_str(), "%Y-%m-%d %H:%M:%S", &tm);
  std::time_t t = timegm(&tm) + 86400;
  return storage::utc_timestamp(t).substr(0, 10);
}

std::string day_start(const std::string& date) { return date + " 00:00:00"; }

// Decimal text without trailing fractional zeros ("7.000000000" -> "7", "0.5120" -> "0.512").
std::string plain(const Decimal& d) {
  std::string s = d.to_string();
  if (s.find('.') == std::string::npos) return s;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

Decimal add_or_keep(const Decimal& a, const Decimal& b, std::vector<std::string>& problems) {
  auto s = a.add(b);
  if (!s) {
    problems.push_back("a total is out of range: " + s.error());
    return a;
  }
  return *s;
}

// Multi-row INSERTs: one prepared statement for full batches, one for the remainder.
class BatchInsert {
 public:
  BatchInsert(Database& db, std::string head, std::size_t columns, std::size_t batch = 200)
      : db_(db), head_(std::move(head)), columns_(columns), batch_(batch) {}

  Status add(const Params& row) {
    pending_.insert(pending_.end(), row.begin(), row.end());
    if (++rows_ == batch_) return flush();
    return Status::ok();
  }

  Status flush() {
    if (rows_ == 0) return Status::ok();
    std::unique_ptr<storage::Statement>* stmt = &full_;
    std::unique_ptr<storage::Statement> partial;
    if (rows_ != batch_) stmt = &partial;
    if (!*stmt) {
      auto prepared = db_.prepare(sql(rows_));
      if (!prepared) return prepared.status();
      *stmt = std::move(*prepared);
    }
    Status s = (*stmt)->execute(pending_);
    pending_.clear();
    rows_ = 0;
    return s;
  }

 private:
  std::string sql(std::size_t rows) const {
    std::string tuple = "(";
    for (std::size_t c = 0; c < columns_; ++c) tuple += c ? ", ?" : "?";
    tuple += ")";
    std::string out = head_;
    for (std::size_t r = 0; r < rows; ++r) out += (r ? ", " : " ") + tuple;
    return out;
  }

  Database& db_;
  std::string head_;
  std::size_t columns_;
  std::size_t batch_;
  std::size_t rows_ = 0;
  Params pending_;
  std::unique_ptr<storage::Statement> full_;
};

// ------------------------------------------------------------------ the star tables

struct StarSpec {
  const char* dim_table;
  const char* fact_table;
  std::vector<const char*> key_columns;    // the unique key (after ecosystem, tenant_id)
  std::vector<const char*> extra_columns;  // stored with the dimension, not part of its key
};

const StarSpec kChargebacks{"chargeback_dimensions",
                            "chargeback_facts",
                            {"resource_id", "product_category", "product_type", "identity_id",
                             "cost_type", "allocation_method", "allocation_detail", "env_id"},
                            {}};
const StarSpec kTopics{"topic_attribution_dimensions",
                       "topic_attribution_facts",
                       {"env_id", "cluster_resource_id", "topic_name", "product_category",
                        "product_type", "attribution_method"},
                       {"resource_id"}};

struct StarDate {
  Decimal exact;           // the source's facts, summed exactly
  std::int64_t units = 0;  // what the import writes
  std::int64_t inexact = 0;
  Fingerprint print;
};

struct StarPlan {
  const StarSpec* spec = nullptr;
  std::vector<std::vector<std::string>> keys;  // key columns then extra columns
  std::unordered_map<std::string, std::size_t> key_index;
  std::unordered_map<std::int64_t, std::size_t> source_dim;
  std::vector<std::string> timestamps;
  struct Fact {
    std::uint32_t ts;
    std::uint32_t key;
    std::int64_t units;
  };
  std::vector<Fact> facts;
  std::map<std::string, StarDate> dates;
  TableCount dims;
  TableCount fact_count;
  std::vector<std::string> inexact_examples;
};

std::string encode_key(const std::vector<std::string>& fields, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    out += std::to_string(fields[i].size());
    out += ':';
    out += fields[i];
  }
  return out;
}

std::uint64_t fact_hash(const std::string& ts, const std::vector<std::string>& key,
                        std::size_t key_columns, std::int64_t units) {
  std::vector<std::string> fields{ts};
  fields.insert(fields.end(), key.begin(), key.begin() + static_cast<std::ptrdiff_t>(key_columns));
  fields.push_back(std::to_string(units));
  return row_hash(fields);
}

// ------------------------------------------------------------------ the import

class Import {
 public:
  explicit Import(const ImportOptions& o) : o_(o) {}

  Result<ImportReport> run();

 private:
  void progress(const std::string& line) {
    if (o_.progress) o_.progress(line);
  }
  void problem(const std::string& kind, const std::string& text) {
    if (static_cast<std::size_t>(++problem_counts_[kind]) <= kExamples)
      report_.problems.push_back(text);
  }
  TableCount& count(const std::string& table) {
    for (auto& t : report_.tables)
      if (t.table == table) return t;
    report_.tables.push_back(TableCount{table});
    return report_.tables.back();
  }

  Status check_owners();
  Status read_inventory();
  Status read_billing();
  Status read_star(StarPlan& plan);
  Status read_pipeline();
  Status open_target();
  Status classify_dates();
  Result<std::map<std::string, Fingerprint>> target_billing_prints(const std::string& date);
  Result<Fingerprint> target_star_print(const StarPlan& plan, const std::string& date);
  Status write_inventory();
  Status write_tags();
  Status write_billing();
  Status write_star(StarPlan& plan);
  Status write_pipeline();
  Status write_emissions();
  Status verify();
  Status group_done(const std::string& group);
  bool date_written(const std::string& date) const {
    auto it = action_.find(date);
    return it == action_.end() || it->second != "unchanged";
  }

  const ImportOptions& o_;
  ImportReport report_;
  std::map<std::string, int> problem_counts_;
  std::unique_ptr<Source> source_;
  std::unique_ptr<Database> target_;
  bool target_empty_ = true;  // dry run on a database that does not exist yet

  std::vector<Params> resources_, identities_;  // target column order
  std::vector<Params> tags_;  // entity_type, entity_id, tag_key, tag_value, created_by, created_at
  struct BillingRow {
    bool ccloud;
    std::string date;
    Params values;  // timestamp, env_id, resource_id, product_type, product_category, quantity,
                    // unit_price, total_cost, currency, granularity, metadata_json, attempts
  };
  std::vector<BillingRow> billing_;
  struct BilledDate {
    Decimal exact;
    std::int64_t lines = 0;
    Fingerprint print;
  };
  std::map<std::string, BilledDate> billed_;
  StarPlan chargebacks_, topics_;
  std::vector<Params> runs_;  // id, started_at, ended_at, status, dates_gathered,
                              // dates_calculated, rows_written, error_message, stage, current_date
  std::vector<Params> states_;     // tracking_date, 5 flags, calc id, completed_at, run id
  std::vector<Params> emissions_;  // emitter_name, pipeline, date, status, attempt_count
  std::map<std::string, std::string> action_;     // date -> new|unchanged|replaced
  std::map<std::int64_t, std::int64_t> run_ids_;  // source run id -> target run id
  // The target's dimensions of the tenant, per dimension table: id -> key columns.
  std::map<std::string, std::unordered_map<std::int64_t, std::vector<std::string>>> target_dims_;
};

std::string owner_text(const std::string& eco, const std::string& tenant) {
  return "ecosystem '" + eco + "' tenant_id '" + tenant + "'";
}

Status Import::check_owners() {
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> foreign;
  for (const char* table :
       {"resources", "identities", "billing", "ccloud_billing", "chargeback_dimensions",
        "pipeline_state", "emission_records", "topic_attribution_dimensions"}) {
    auto owners = source_->owners(table);
    if (!owners) return owners.status();
    for (const auto& [owner, n] : *owners) {
      if (owner.first != o_.ecosystem || owner.second != o_.tenant_id) {
        foreign[owner].push_back(std::string(table) + " " + std::to_string(n));
      }
    }
  }
  auto tags = source_->db().query("SELECT tenant_id, count(*) FROM tags GROUP BY tenant_id");
  if (!tags) return tags.status();
  for (const auto& r : *tags) {
    if (r.get_text(0) != o_.tenant_id) {
      foreign[{"(any)", r.get_text(0)}].push_back("tags " + std::to_string(r.get_int(1)));
    }
  }
  if (foreign.empty()) return Status::ok();
  std::string found;
  for (const auto& [owner, where] : foreign) {
    std::string list;
    for (const auto& w : where) list += (list.empty() ? "" : ", ") + w;
    found += (found.empty() ? "" : "; ") + owner_text(owner.first, owner.second) + " (" + list +
             " rows)";
  }
  return Status::error(
      source_->describe() + " holds rows of another tenant than '" + o_.tenant_name + "' (" +
      owner_text(o_.ecosystem, o_.tenant_id) + " in the configuration): found " + found +
      ". Import into the tenant whose ecosystem and tenant_id match, or set them in the "
      "configuration to the original's values");
}

Status Import::read_inventory() {
  const auto& tables = original_tables();
  // Appends the timestamps in `columns` of `r` to `p` (NULL or '' as NULL); false, with the
  // problem reported, when one is not a timestamp (the row is then lost).
  auto push_timestamps = [&](const Row& r, std::initializer_list<std::size_t> columns,
                             const std::string& table, Params& p) {
    for (std::size_t i : columns) {
      if (r.is_null(i) || r.get_text(i).empty()) {
        p.push_back(Value(std::monostate{}));
        continue;
      }
      auto c = canonical_timestamp(r.get_text(i));
      if (!c) {
        problem(table, table + " '" + r.get_text(2) + "': " + c.error());
        return false;
      }
      p.push_back(Value(*c));
    }
    return true;
  };
  {
    auto rows =
        source_->select("resources", tables.at("resources"),
                        "WHERE ecosystem = ? AND tenant_id = ?", {o_.ecosystem, o_.tenant_id});
    if (!rows) return rows.status();
    auto& c = count("resources");
    for (const auto& r : *rows) {
      ++c.read;
      Params p{r.get_text(2),      r.get_text(3),
               text_or_null(r, 4), text_or_null(r, 5),
               text_or_null(r, 6), r.is_null(7) ? std::string("active") : r.get_text(7),
               text_or_null(r, 8), text_or_null(r, 9)};
      if (!push_timestamps(r, {10u, 11u, 12u}, "resources", p)) {
        ++c.lost;
        continue;
      }
      p.push_back(text_or_null(r, 13));
      resources_.push_back(std::move(p));
    }
  }
  {
    auto rows =
        source_->select("identities", tables.at("identities"),
                        "WHERE ecosystem = ? AND tenant_id = ?", {o_.ecosystem, o_.tenant_id});
    if (!rows) return rows.status();
    auto& c = count("identities");
    for (const auto& r : *rows) {
      ++c.read;
      Params p{r.get_text(2), r.get_text(3), text_or_null(r, 4)};
      if (!push_timestamps(r, {5u, 6u, 7u}, "identities", p)) {
        ++c.lost;
        continue;
      }
      p.push_back(text_or_null(r, 8));
      identities_.push_back(std::move(p));
    }
  }
  {
    auto rows = source_->select("tags", tables.at("tags"), "WHERE tenant_id = ? ORDER BY tag_id",
                                {o_.tenant_id});
    if (!rows) return rows.status();
    auto& c = count("tags");
    for (const auto& r : *rows) {
      ++c.read;
      const std::string type = r.get_text(2);
      auto created = canonical_timestamp(r.get_text(7));
      if (type != "resource" && type != "identity") {
        ++c.lost;
        problem("tags", "tag " + std::to_string(r.get_int(0)) + ": entity_type '" + type +
                            "' is neither resource nor identity");
        continue;
      }
      if (!created) {
        ++c.lost;
        problem("tags", "tag " + std::to_string(r.get_int(0)) + ": created_at " + created.error());
        continue;
      }
      tags_.push_back(
          Params{type, r.get_text(3), r.get_text(4), r.get_text(5), r.get_text(6), *created});
    }
  }
  return Status::ok();
}

Status Import::read_billing() {
  const auto& tables = original_tables();
  for (const char* table : {"billing", "ccloud_billing"}) {
    const bool ccloud = std::string(table) == "ccloud_billing";
    auto stamps = source_->distinct_timestamps(table);
    if (!stamps) return stamps.status();
    auto& c = count(table);
    std::set<std::vector<std::string>> keys;  // one line per key after canonical timestamps
    for (const auto& stamp : *stamps) {
      auto rows = source_->select(table, tables.at(table),
                                  "WHERE \"timestamp\" = ? AND ecosystem = ? AND tenant_id = ?",
                                  {stamp.stored, o_.ecosystem, o_.tenant_id});
      if (!rows) return rows.status();
      for (const auto& r : *rows) {
        ++c.read;
        if (stamp.canonical.empty()) {
          ++c.lost;
          problem(table, std::string(table) + ": a line's timestamp is not a timestamp: '" +
                             stamp.raw + "'");
          continue;
        }
        const std::size_t o = ccloud ? 1 : 0;  // env_id shifts the columns after it
        std::vector<std::string> key{stamp.canonical, ccloud ? r.get_text(3) : std::string(),
                                     r.get_text(3 + o), r.get_text(4 + o), r.get_text(5 + o)};
        if (!keys.insert(key).second) {
          // The same instant written two ways (a hand-edited database): one line is kept.
          ++c.lost;
          problem(table, std::string(table) + ": two lines for " + stamp.canonical + " '" + key[2] +
                             "' " + key[3] +
                             " (timestamps written differently); the "
                             "second ('" +
                             stamp.raw + "') is not imported");
          continue;
        }
        BillingRow b;
        b.ccloud = ccloud;
        b.date = stamp.canonical.substr(0, 10);
        b.values = Params{stamp.canonical,
                          ccloud ? r.get_text(3) : std::string(),
                          r.get_text(3 + o),
                          r.get_text(4 + o),
                          r.get_text(5 + o),
                          r.get_text(6 + o),
                          r.get_text(7 + o),
                          r.get_text(8 + o),
                          r.is_null(9 + o) ? std::string("USD") : r.get_text(9 + o),
                          r.is_null(10 + o) ? std::string("daily") : r.get_text(10 + o),
                          text_or_null(r, 11 + o),
                          r.get_int(12 + o)};
        std::vector<std::string> fields;
        for (std::size_t i = 0; i < 11; ++i) fields.push_back(value_text(b.values[i]));
        auto& day = billed_[b.date];
        day.print.add(row_hash(fields));
        ++day.lines;
        auto total = parse_amount(r.get_text(8 + o));
        if (total) {
          day.exact = add_or_keep(day.exact, *total, report_.problems);
        } else {
          report_.notes.push_back(std::string(table) + " line of " + b.date + " on '" +
                                  r.get_text(3 + o) + "': total_cost " + total.error() +
                                  " (imported as it is, not in the billed total)");
        }
        billing_.push_back(std::move(b));
      }
    }
  }
  return Status::ok();
}

Status Import::read_star(StarPlan& plan) {
  const StarSpec& spec = *plan.spec;
  const auto& tables = original_tables();
  plan.dims.table = spec.dim_table;
  plan.fact_count.table = spec.fact_table;
  {
    auto rows =
        source_->select(spec.dim_table, tables.at(spec.dim_table),
                        "WHERE ecosystem = ? AND tenant_id = ?", {o_.ecosystem, o_.tenant_id});
    if (!rows) return rows.status();
    // The select lists dimension_id, ecosystem, tenant_id, then the columns by name.
    std::map<std::string, std::size_t> at;
    const auto& cols = tables.at(spec.dim_table);
    for (std::size_t i = 0; i < cols.size(); ++i) at[cols[i].name] = i;
    for (const auto& r : *rows) {
      ++plan.dims.read;
      std::vector<std::string> key;
      for (const char* c : spec.key_columns) key.push_back(r.get_text(at[c]));  // NULL -> ''
      for (const char* c : spec.extra_columns) key.push_back(r.get_text(at[c]));
      std::string encoded = encode_key(key, spec.key_columns.size());
      auto [it, fresh] = plan.key_index.emplace(encoded, plan.keys.size());
      if (fresh) {
        plan.keys.push_back(std::move(key));
      } else {
        ++plan.dims.merged;
      }
      plan.source_dim[r.get_int(0)] = it->second;
    }
  }
  auto stamps = source_->distinct_timestamps(spec.fact_table);
  if (!stamps) return stamps.status();
  // A date's facts, merged on (timestamp, dimension) before they are rounded together.
  std::string current_date;
  std::map<std::pair<std::uint32_t, std::uint32_t>, Decimal> day;
  auto flush = [&]() -> Status {
    if (day.empty()) return Status::ok();
    std::vector<Decimal> amounts;
    amounts.reserve(day.size());
    for (const auto& [k, v] : day) amounts.push_back(v);
    auto rounded = round_keeping_total(amounts);
    if (!rounded) {
      problem(spec.fact_table, std::string(spec.fact_table) + " of " + current_date + ": " +
                                   rounded.error() + " (the date's facts are not imported)");
      plan.fact_count.lost += static_cast<std::int64_t>(day.size());
      day.clear();
      return Status::ok();
    }
    StarDate& d = plan.dates[current_date];
    d.exact = rounded->exact_total;
    d.units = rounded->total_units;
    d.inexact = rounded->inexact;
    std::size_t i = 0;
    for (const auto& [k, v] : day) {
      const std::int64_t units = rounded->units[i++];
      plan.facts.push_back({k.first, k.second, units});
      d.print.add(
          fact_hash(plan.timestamps[k.first], plan.keys[k.second], spec.key_columns.size(), units));
      if (plan.inexact_examples.size() < kExamples && !fits_units(v)) {
        plan.inexact_examples.push_back(
            std::string(spec.fact_table) + " " + plan.timestamps[k.first] + " " +
            spec.key_columns[0] + " '" + plan.keys[k.second][0] + "' " + spec.key_columns[3] +
            " '" + plan.keys[k.second][3] + "': " + plain(v) + " stored as " + units_text(units));
      }
    }
    day.clear();
    return Status::ok();
  };
  for (const auto& stamp : *stamps) {
    auto rows = source_->db().query(std::string("SELECT dimension_id, amount FROM \"") +
                                        spec.fact_table + "\" WHERE \"timestamp\" = ?",
                                    {stamp.stored});
    if (!rows) return rows.status();
    if (stamp.canonical.empty()) {
      plan.fact_count.read += static_cast<std::int64_t>(rows->size());
      plan.fact_count.lost += static_cast<std::int64_t>(rows->size());
      problem(spec.fact_table, std::string(spec.fact_table) + ": " + std::to_string(rows->size()) +
                                   " facts have a timestamp that is not one: '" + stamp.raw + "'");
      continue;
    }
    const std::string date = stamp.canonical.substr(0, 10);
    if (date != current_date) {
      if (auto s = flush(); !s) return s;
      current_date = date;
    }
    if (plan.timestamps.empty() || plan.timestamps.back() != stamp.canonical) {
      plan.timestamps.push_back(stamp.canonical);
    }
    const auto ts_index = static_cast<std::uint32_t>(plan.timestamps.size() - 1);
    for (const auto& r : *rows) {
      auto dim = plan.source_dim.find(r.get_int(0));
      if (dim == plan.source_dim.end()) {
        // Another tenant's dimension (refused earlier) or an orphan (no FK on SQLite).
        ++plan.fact_count.read;
        ++plan.fact_count.lost;
        problem(spec.fact_table, std::string(spec.fact_table) + " " + stamp.canonical +
                                     ": dimension_id " + r.get_text(0) +
                                     " has no dimension of this tenant (orphan fact)");
        continue;
      }
      ++plan.fact_count.read;
      auto amount = parse_amount(r.get_text(1));
      if (!amount) {
        ++plan.fact_count.lost;
        problem(spec.fact_table, std::string(spec.fact_table) + " " + stamp.canonical +
                                     " dimension_id " + r.get_text(0) + ": " + amount.error());
        continue;
      }
      auto key = std::make_pair(ts_index, static_cast<std::uint32_t>(dim->second));
      auto [it, fresh] = day.emplace(key, *amount);
      if (!fresh) {
        // Two source dimensions became one (NULL and '' are both '' here): sum, never overwrite.
        ++plan.fact_count.merged;
        auto sum = it->second.add(*amount);
        if (!sum) return Status::error(std::string(spec.fact_table) + ": " + sum.error());
        it->second = *sum;
      }
    }
  }
  return flush();
}

Status Import::read_pipeline() {
  const auto& tables = original_tables();
  {
    auto rows = source_->select("pipeline_runs", tables.at("pipeline_runs"), "ORDER BY id");
    if (!rows) return rows.status();
    auto& c = count("pipeline_runs");
    for (const auto& r : *rows) {
      ++c.read;
      auto started = canonical_timestamp(r.get_text(2));
      Value ended = std::monostate{};
      if (!r.is_null(3)) {
        auto e = canonical_timestamp(r.get_text(3));
        if (e) ended = *e;
      }
      Value current = std::monostate{};
      if (!r.is_null(10)) {
        auto d = canonical_date(r.get_text(10));
        if (d) current = *d;
      }
      std::string status = r.get_text(4);
      if (!started || (status != "running" && status != "completed" && status != "failed")) {
        ++c.lost;
        problem("pipeline_runs",
                "pipeline run " + r.get_text(0) + ": " +
                    (started ? "unknown status '" + status + "'" : started.error()));
        continue;
      }
      runs_.push_back(Params{r.get_int(0), *started, ended, status, r.get_int(5), r.get_int(6),
                             r.get_int(7), text_or_null(r, 8), text_or_null(r, 9), current});
    }
  }
  {
    auto rows =
        source_->select("pipeline_state", tables.at("pipeline_state"),
                        "WHERE ecosystem = ? AND tenant_id = ?", {o_.ecosystem, o_.tenant_id});
    if (!rows) return rows.status();
    auto& c = count("pipeline_state");
    for (const auto& r : *rows) {
      ++c.read;
      auto date = canonical_date(r.get_text(2));
      if (!date) {
        ++c.lost;
        problem("pipeline_state", "pipeline_state: tracking_date " + date.error());
        continue;
      }
      Params p{*date};
      for (std::size_t i = 3; i <= 7; ++i) {
        auto flag = r.is_null(i) ? std::optional<bool>(false) : parse_flag(r.get_text(i));
        p.push_back(static_cast<std::int64_t>(flag.value_or(false) ? 1 : 0));
      }
      p.push_back(text_or_null(r, 8));
      Value completed = std::monostate{};
      if (!r.is_null(9)) {
        auto t = canonical_timestamp(r.get_text(9));
        if (t) completed = *t;
      }
      p.push_back(completed);
      p.push_back(r.is_null(10) ? Value(std::monostate{}) : Value(r.get_int(10)));
      states_.push_back(std::move(p));
    }
  }
  {
    auto rows =
        source_->select("emission_records", tables.at("emission_records"),
                        "WHERE ecosystem = ? AND tenant_id = ?", {o_.ecosystem, o_.tenant_id});
    if (!rows) return rows.status();
    auto& c = count("emission_records");
    for (const auto& r : *rows) {
      ++c.read;
      auto date = canonical_date(r.get_text(4));
      const std::string status = r.get_text(5);
      if (!date || (status != "emitted" && status != "failed")) {
        ++c.lost;
        problem("emission_records", "emission record of '" + r.get_text(2) + "': " +
                                        (date ? "unknown status '" + status + "'" : date.error()));
        continue;
      }
      emissions_.push_back(Params{r.get_text(2), r.get_text(3), *date, status, r.get_int(6)});
    }
  }
  return Status::ok();
}

Status Import::open_target() {
  auto url = parse_database_url(o_.target_url);
  if (!url) return Status::error("the tenant's storage.connection_string: " + url.error());
  report_.target = url->describe();
  if (o_.dry_run && url->dialect == Dialect::sqlite &&
      (url->path == ":memory:" || !std::filesystem::exists(url->path))) {
    return Status::ok();  // nothing there yet: the import would write into an empty database
  }
  auto db = storage::open_database(*url);
  if (!db) return db.status();
  target_ = std::move(*db);
  storage::Migrator::Options options;
  options.on_event = [this](const std::string& e) { progress("target: " + e); };
  storage::Migrator migrator(*target_, options);
  if (auto s = migrator.check(); !s) return s;
  auto version = migrator.current_version();
  if (!version) return version.status();
  if (o_.dry_run) {
    if (*version == 0) target_.reset();  // no tables yet: empty
    target_empty_ = !target_;
    return Status::ok();
  }
  auto upgraded = migrator.upgrade();
  if (!upgraded) return upgraded.status();
  target_empty_ = false;
  // A copy of the target as it is before the import writes (SQLite; PostgreSQL: pg_dump).
  if (target_->dialect() == Dialect::sqlite && !target_->file_path().empty()) {
    bool has_data = false;
    for (const char* table : {"resources", "identities", "billing", "ccloud_billing",
                              "chargeback_facts", "tags", "pipeline_runs", "pipeline_state"}) {
      auto rows = target_->query(std::string("SELECT 1 FROM ") + table + " LIMIT 1");
      if (!rows) return rows.status();
      if (!rows->empty()) has_data = true;
    }
    if (has_data) {
      std::string path =
          target_->file_path() + ".pre-import-" + storage::utc_now_compact() + ".bak";
      if (auto s = target_->backup_to(path); !s) {
        return Status::error("nothing imported: the backup of the target failed: " + s.message());
      }
      report_.backup_path = path;
      progress("target: backup written: " + path);
    }
  }
  return Status::ok();
}

Result<std::map<std::string, Fingerprint>> Import::target_billing_prints(const std::string& date) {
  std::map<std::string, Fingerprint> out;
  for (const bool ccloud : {false, true}) {
    auto rows = target_->query(
        ccloud ? "SELECT timestamp, env_id, resource_id, product_type, product_category, quantity, "
                 "unit_price, total_cost, currency, granularity, metadata_json FROM "
                 "ccloud_billing WHERE ecosystem = ? AND tenant_id = ? AND timestamp >= ? AND "
                 "timestamp < ?"
               : "SELECT timestamp, '', resource_id, product_type, product_category, quantity, "
                 "unit_price, total_cost, currency, granularity, metadata_json FROM billing "
                 "WHERE ecosystem = ? AND tenant_id = ? AND timestamp >= ? AND timestamp < ?",
        {o_.ecosystem, o_.tenant_id, day_start(date), day_start(next_day(date))});
    if (!rows) return rows.status();
    for (const auto& r : *rows) {
      std::vector<std::string> fields;
      for (std::size_t i = 0; i < 11; ++i) fields.push_back(value_text(r.values[i]));
      out[date].add(row_hash(fields));
    }
  }
  return out;
}

Result<Fingerprint> Import::target_star_print(const StarPlan& plan, const std::string& date) {
  const StarSpec& spec = *plan.spec;
  const std::size_t n = spec.key_columns.size();
  // The tenant's dimensions once (by id), then the date's facts through the primary key: a join
  // filtered on the dimension's tenant would read every fact of the table for each date.
  auto& dims = target_dims_[spec.dim_table];
  if (dims.empty()) {
    std::string sql = "SELECT dimension_id";
    for (const char* c : spec.key_columns) sql += std::string(", ") + c;
    sql += std::string(" FROM ") + spec.dim_table + " WHERE ecosystem = ? AND tenant_id = ?";
    auto rows = target_->query(sql, {o_.ecosystem, o_.tenant_id});
    if (!rows) return rows.status();
    for (const auto& r : *rows) {
      std::vector<std::string> key;
      for (std::size_t i = 0; i < n; ++i) key.push_back(r.get_text(1 + i));
      dims.emplace(r.get_int(0), std::move(key));
    }
  }
  auto rows = target_->query(std::string("SELECT timestamp, dimension_id, amount FROM ") +
                                 spec.fact_table + " WHERE timestamp >= ? AND timestamp < ?",
                             {day_start(date), day_start(next_day(date))});
  if (!rows) return rows.status();
  Fingerprint print;
  for (const auto& r : *rows) {
    auto dim = dims.find(r.get_int(1));
    if (dim == dims.end()) continue;  // another tenant's fact
    print.add(fact_hash(r.get_text(0), dim->second, n, r.get_int(2)));
  }
  return print;
}

Status Import::classify_dates() {
  std::set<std::string> source_dates;
  for (const auto& [d, b] : billed_) source_dates.insert(d);
  for (const auto& [d, s] : chargebacks_.dates) source_dates.insert(d);
  for (const auto& [d, s] : topics_.dates) source_dates.insert(d);
  std::set<std::string> target_dates;
  if (target_) {
    for (const char* sql :
         {"SELECT DISTINCT substr(timestamp, 1, 10) FROM ccloud_billing WHERE ecosystem = ? AND "
          "tenant_id = ?",
          "SELECT DISTINCT substr(timestamp, 1, 10) FROM billing WHERE ecosystem = ? AND "
          "tenant_id = ?",
          "SELECT DISTINCT substr(f.timestamp, 1, 10) FROM chargeback_facts f JOIN "
          "chargeback_dimensions d ON d.dimension_id = f.dimension_id WHERE d.ecosystem = ? AND "
          "d.tenant_id = ?",
          "SELECT DISTINCT substr(f.timestamp, 1, 10) FROM topic_attribution_facts f JOIN "
          "topic_attribution_dimensions d ON d.dimension_id = f.dimension_id WHERE "
          "d.ecosystem = ? AND d.tenant_id = ?"}) {
      auto rows = target_->query(sql, {o_.ecosystem, o_.tenant_id});
      if (!rows) return rows.status();
      for (const auto& r : *rows) target_dates.insert(r.get_text(0));
    }
  }
  std::vector<std::string> conflicts;
  for (const auto& date : source_dates) {
    if (!target_dates.count(date)) {
      action_[date] = "new";
      continue;
    }
    auto billing = target_billing_prints(date);
    if (!billing) return billing.status();
    auto facts = target_star_print(chargebacks_, date);
    if (!facts) return facts.status();
    auto topics = target_star_print(topics_, date);
    if (!topics) return topics.status();
    auto want = [&](const StarPlan& p) {
      auto it = p.dates.find(date);
      return it == p.dates.end() ? Fingerprint{} : it->second.print;
    };
    auto billed = billed_.find(date);
    const Fingerprint want_billing = billed == billed_.end() ? Fingerprint{} : billed->second.print;
    if ((*billing)[date] == want_billing && *facts == want(chargebacks_) &&
        *topics == want(topics_)) {
      action_[date] = "unchanged";
    } else {
      action_[date] = "replaced";
      conflicts.push_back(date);
    }
  }
  if (!conflicts.empty() && !o_.replace) {
    std::string list;
    for (std::size_t i = 0; i < conflicts.size() && i < kExamples; ++i) {
      list += (i ? ", " : "") + conflicts[i];
    }
    if (conflicts.size() > kExamples) list += ", ...";
    return Status::error(
        report_.target +
        " already holds other data (billing, chargebacks or topic attribution) "
        "of tenant '" +
        o_.tenant_name + "' for " + std::to_string(conflicts.size()) +
        " of the original's dates (" + list +
        "): nothing imported. Run again with --replace to replace those dates with the "
        "original's data (a SQLite target is backed up first), or import into an empty database");
  }
  return Status::ok();
}

Status Import::group_done(const std::string& group) {
  progress((o_.dry_run ? "checked: " : "written: ") + group);
  if (o_.after_group) return o_.after_group(group);
  return Status::ok();
}

// Inventory rows already in the target: identical ones are left, different ones are kept
// (the target's are newer) unless --replace.
Status Import::write_inventory() {
  struct Spec {
    const char* table;
    const char* id_column;
    std::vector<const char*> columns;  // after ecosystem, tenant_id
    std::vector<Params>* rows;
  };
  const std::vector<Spec> specs = {
      {"resources",
       "resource_id",
       {"resource_id", "resource_type", "display_name", "parent_id", "owner_id", "status", "cloud",
        "region", "created_at", "deleted_at", "last_seen_at", "metadata_json"},
       &resources_},
      {"identities",
       "identity_id",
       {"identity_id", "identity_type", "display_name", "created_at", "deleted_at", "last_seen_at",
        "metadata_json"},
       &identities_}};
  for (const auto& spec : specs) {
    std::string cols;
    for (const char* c : spec.columns) cols += std::string(", ") + c;
    std::map<std::string, std::vector<std::string>> existing;
    if (target_) {
      auto rows = target_->query(std::string("SELECT ") + (cols.c_str() + 2) + " FROM " +
                                     spec.table + " WHERE ecosystem = ? AND tenant_id = ?",
                                 {o_.ecosystem, o_.tenant_id});
      if (!rows) return rows.status();
      for (const auto& r : *rows) {
        std::vector<std::string> v;
        for (const auto& x : r.values) v.push_back(value_text(x));
        existing[r.get_text(0)] = std::move(v);
      }
    }
    auto& c = count(spec.table);
    std::unique_ptr<BatchInsert> insert;
    std::unique_ptr<storage::Statement> remove;
    if (!o_.dry_run) {
      insert = std::make_unique<BatchInsert>(
          *target_,
          std::string("INSERT INTO ") + spec.table + " (ecosystem, tenant_id" + cols + ") VALUES",
          spec.columns.size() + 2);
      auto del =
          target_->prepare(std::string("DELETE FROM ") + spec.table +
                           " WHERE ecosystem = ? AND tenant_id = ? AND " + spec.id_column + " = ?");
      if (!del) return del.status();
      remove = std::move(*del);
    }
    for (const auto& row : *spec.rows) {
      auto it = existing.find(value_text(row[0]));
      if (it != existing.end()) {
        std::vector<std::string> mine;
        for (const auto& x : row) mine.push_back(value_text(x));
        if (mine == it->second) {
          ++c.unchanged;
          continue;
        }
        if (!o_.replace) {
          ++c.kept;
          continue;
        }
        if (remove) {
          if (auto s = remove->execute({o_.ecosystem, o_.tenant_id, row[0]}); !s) return s;
        }
      }
      ++c.written;
      if (insert) {
        Params p{o_.ecosystem, o_.tenant_id};
        p.insert(p.end(), row.begin(), row.end());
        if (auto s = insert->add(p); !s) return s;
      }
    }
    if (insert) {
      if (auto s = insert->flush(); !s) return s;
    }
    if (c.kept > 0) {
      report_.notes.push_back(std::string(spec.table) + ": " + std::to_string(c.kept) +
                              " rows differ from the target's, which were kept (newer); "
                              "--replace takes the original's");
    }
  }
  return group_done("inventory");
}

Status Import::write_tags() {
  auto& c = count("tags");
  std::map<std::vector<std::string>, std::vector<std::string>> existing;
  if (target_) {
    auto rows = target_->query(
        "SELECT entity_type, entity_id, tag_key, tag_value, created_by, created_at FROM tags "
        "WHERE tenant_id = ?",
        {o_.tenant_id});
    if (!rows) return rows.status();
    for (const auto& r : *rows) {
      existing[{r.get_text(0), r.get_text(1), r.get_text(2)}] = {r.get_text(3), r.get_text(4),
                                                                 r.get_text(5)};
    }
  }
  for (const auto& t : tags_) {
    std::vector<std::string> key{value_text(t[0]), value_text(t[1]), value_text(t[2])};
    std::vector<std::string> value{value_text(t[3]), value_text(t[4]), value_text(t[5])};
    auto it = existing.find(key);
    if (it != existing.end()) {
      if (it->second == value) {
        ++c.unchanged;
        continue;
      }
      if (!o_.replace) {
        ++c.kept;
        report_.notes.push_back("tag " + key[2] + " on " + key[0] + " '" + key[1] +
                                "': the target's value '" + it->second[0] +
                                "' was kept (the original's: '" + value[0] + "')");
        continue;
      }
      if (!o_.dry_run) {
        auto s = target_->execute(
            "UPDATE tags SET tag_value = ?, created_by = ?, created_at = ? WHERE tenant_id = ? "
            "AND entity_type = ? AND entity_id = ? AND tag_key = ?",
            {t[3], t[4], t[5], o_.tenant_id, t[0], t[1], t[2]});
        if (!s) return s;
      }
      ++c.written;
      continue;
    }
    if (!o_.dry_run) {
      auto s = target_->execute(
          "INSERT INTO tags (tenant_id, entity_type, entity_id, tag_key, tag_value, created_by, "
          "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
          {o_.tenant_id, t[0], t[1], t[2], t[3], t[4], t[5]});
      if (!s) return s;
    }
    existing[key] = value;
    ++c.written;
  }
  return group_done("tags");
}

Status Import::write_billing() {
  std::unique_ptr<BatchInsert> ccloud, plain;
  if (!o_.dry_run) {
    for (const auto& [date, action] : action_) {
      if (action != "replaced") continue;
      for (const char* table : {"ccloud_billing", "billing"}) {
        auto s = target_->execute(
            std::string("DELETE FROM ") + table +
                " WHERE ecosystem = ? AND tenant_id = ? AND timestamp >= ? "
                "AND timestamp < ?",
            {o_.ecosystem, o_.tenant_id, day_start(date), day_start(next_day(date))});
        if (!s) return s;
      }
    }
    ccloud = std::make_unique<BatchInsert>(
        *target_,
        "INSERT INTO ccloud_billing (ecosystem, tenant_id, timestamp, env_id, resource_id, "
        "product_type, product_category, quantity, unit_price, total_cost, currency, "
        "granularity, metadata_json, allocation_attempts) VALUES",
        14);
    plain = std::make_unique<BatchInsert>(
        *target_,
        "INSERT INTO billing (ecosystem, tenant_id, timestamp, resource_id, product_type, "
        "product_category, quantity, unit_price, total_cost, currency, granularity, "
        "metadata_json, allocation_attempts) VALUES",
        13);
  }
  for (const auto& b : billing_) {
    auto& c = count(b.ccloud ? "ccloud_billing" : "billing");
    if (!date_written(b.date)) {
      ++c.unchanged;
      continue;
    }
    ++c.written;
    if (o_.dry_run) continue;
    Params p{o_.ecosystem, o_.tenant_id};
    p.insert(p.end(), b.values.begin(), b.values.end());
    if (!b.ccloud) p.erase(p.begin() + 3);  // billing has no env_id
    if (auto s = (b.ccloud ? ccloud : plain)->add(p); !s) return s;
  }
  if (!o_.dry_run) {
    if (auto s = ccloud->flush(); !s) return s;
    if (auto s = plain->flush(); !s) return s;
  }
  return group_done("billing");
}

Status Import::write_star(StarPlan& plan) {
  const StarSpec& spec = *plan.spec;
  auto& dims = count(spec.dim_table);
  dims.read = plan.dims.read;
  dims.merged = plan.dims.merged;
  auto& facts = count(spec.fact_table);
  facts.read = plan.fact_count.read;
  facts.merged = plan.fact_count.merged;
  facts.lost = plan.fact_count.lost;
  std::string key_list;
  for (const char* c : spec.key_columns) key_list += std::string(", ") + c;
  for (const char* c : spec.extra_columns) key_list += std::string(", ") + c;
  // The target's dimension of every key, created when missing.
  std::vector<std::int64_t> target_id(plan.keys.size(), 0);
  std::unordered_map<std::string, std::int64_t> existing;
  if (target_) {
    auto rows = target_->query(std::string("SELECT dimension_id") + key_list + " FROM " +
                                   spec.dim_table + " WHERE ecosystem = ? AND tenant_id = ?",
                               {o_.ecosystem, o_.tenant_id});
    if (!rows) return rows.status();
    for (const auto& r : *rows) {
      std::vector<std::string> key;
      for (std::size_t i = 0; i < spec.key_columns.size(); ++i) key.push_back(r.get_text(1 + i));
      existing.emplace(encode_key(key, key.size()), r.get_int(0));
    }
  }
  std::unique_ptr<storage::Statement> insert_dim;
  if (!o_.dry_run) {
    std::string marks = "?, ?";
    for (std::size_t i = 0; i < spec.key_columns.size() + spec.extra_columns.size(); ++i) {
      marks += ", ?";
    }
    auto prepared =
        target_->prepare(std::string("INSERT INTO ") + spec.dim_table + " (ecosystem, tenant_id" +
                         key_list + ") VALUES (" + marks + ") RETURNING dimension_id");
    if (!prepared) return prepared.status();
    insert_dim = std::move(*prepared);
  }
  for (std::size_t k = 0; k < plan.keys.size(); ++k) {
    auto it = existing.find(encode_key(plan.keys[k], spec.key_columns.size()));
    if (it != existing.end()) {
      target_id[k] = it->second;
      ++dims.unchanged;
      continue;
    }
    ++dims.written;
    if (o_.dry_run) continue;
    Params p{o_.ecosystem, o_.tenant_id};
    for (const auto& f : plan.keys[k]) p.push_back(f);
    auto id = insert_dim->query(p);
    if (!id) return id.status();
    if (id->empty()) return Status::error(std::string(spec.dim_table) + ": no id returned");
    target_id[k] = id->front().get_int(0);
  }
  if (!o_.dry_run) {
    for (const auto& [date, action] : action_) {
      if (action != "replaced") continue;
      auto s = target_->execute(
          std::string("DELETE FROM ") + spec.fact_table +
              " WHERE timestamp >= ? AND timestamp < ? AND dimension_id IN "
              "(SELECT dimension_id FROM " +
              spec.dim_table + " WHERE ecosystem = ? AND tenant_id = ?)",
          {day_start(date), day_start(next_day(date)), o_.ecosystem, o_.tenant_id});
      if (!s) return s;
    }
  }
  std::unique_ptr<BatchInsert> insert_fact;
  if (!o_.dry_run) {
    insert_fact = std::make_unique<BatchInsert>(
        *target_,
        std::string("INSERT INTO ") + spec.fact_table + " (timestamp, dimension_id, amount) VALUES",
        3, 300);
  }
  // Facts in key order within each timestamp: (timestamp, dimension_id) is the primary key.
  std::size_t i = 0;
  while (i < plan.facts.size()) {
    std::size_t j = i;
    while (j < plan.facts.size() && plan.facts[j].ts == plan.facts[i].ts) ++j;
    const std::string& ts = plan.timestamps[plan.facts[i].ts];
    const bool write = date_written(ts.substr(0, 10));
    if (!write) {
      facts.unchanged += static_cast<std::int64_t>(j - i);
    } else {
      facts.written += static_cast<std::int64_t>(j - i);
      if (!o_.dry_run) {
        std::vector<std::pair<std::int64_t, std::int64_t>> rows;
        rows.reserve(j - i);
        for (std::size_t k = i; k < j; ++k) {
          rows.emplace_back(target_id[plan.facts[k].key], plan.facts[k].units);
        }
        std::sort(rows.begin(), rows.end());
        for (const auto& [dim, units] : rows) {
          if (auto s = insert_fact->add({ts, dim, units}); !s) return s;
        }
      }
    }
    i = j;
  }
  if (!o_.dry_run) {
    if (auto s = insert_fact->flush(); !s) return s;
  }
  return group_done(spec.fact_table == std::string("chargeback_facts") ? "chargebacks"
                                                                       : "topic attribution");
}

Status Import::write_pipeline() {
  // Runs: the tenant's runs under its chitragupt name; one already there (same start) is kept.
  auto& rc = count("pipeline_runs");
  std::map<std::string, std::int64_t> existing;
  if (target_) {
    auto rows = target_->query("SELECT started_at, id FROM pipeline_runs WHERE tenant_name = ?",
                               {o_.tenant_name});
    if (!rows) return rows.status();
    for (const auto& r : *rows) existing.emplace(r.get_text(0), r.get_int(1));
  }
  for (const auto& run : runs_) {
    const std::int64_t source_id = std::get<std::int64_t>(run[0]);
    auto it = existing.find(value_text(run[1]));
    if (it != existing.end()) {
      ++rc.unchanged;
      run_ids_[source_id] = it->second;
      continue;
    }
    ++rc.written;
    if (o_.dry_run) continue;
    Params p{o_.tenant_name};
    p.insert(p.end(), run.begin() + 1, run.end());
    auto id = target_->query(
        "INSERT INTO pipeline_runs (tenant_name, started_at, ended_at, status, dates_gathered, "
        "dates_calculated, rows_written, error_message, stage, \"current_date\") VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        p);
    if (!id) return id.status();
    run_ids_[source_id] = id->front().get_int(0);
    existing.emplace(value_text(run[1]), run_ids_[source_id]);
  }
  // States: the original's flags and calculation of every date (its run mapped to ours).
  auto& sc = count("pipeline_state");
  std::map<std::string, std::vector<std::string>> states;
  if (target_) {
    auto rows = target_->query(
        "SELECT tracking_date, billing_gathered, resources_gathered, chargeback_calculated, "
        "topic_overlay_gathered, topic_attribution_calculated, calculation_id, "
        "calculation_completed_at, calculation_run_id FROM pipeline_state WHERE ecosystem = ? "
        "AND tenant_id = ?",
        {o_.ecosystem, o_.tenant_id});
    if (!rows) return rows.status();
    for (const auto& r : *rows) {
      std::vector<std::string> v;
      for (const auto& x : r.values) v.push_back(value_text(x));
      states[r.get_text(0)] = std::move(v);
    }
  }
  int unmapped = 0;
  for (auto state : states_) {
    if (const auto* run = std::get_if<std::int64_t>(&state[8])) {
      auto it = run_ids_.find(*run);
      if (it == run_ids_.end()) {
        ++unmapped;
        state[8] = std::monostate{};
      } else {
        state[8] = it->second;
      }
    }
    const std::string date = value_text(state[0]);
    auto it = states.find(date);
    if (it != states.end()) {
      std::vector<std::string> mine;
      for (const auto& x : state) mine.push_back(value_text(x));
      if (mine == it->second) {
        ++sc.unchanged;
        continue;
      }
      auto action = action_.find(date);
      const bool date_imported =
          action != action_.end() && (action->second == "new" || action->second == "replaced");
      if (!o_.replace && !date_imported) {
        ++sc.kept;
        continue;
      }
    }
    ++sc.written;
    if (o_.dry_run) continue;
    Params p{o_.ecosystem, o_.tenant_id};
    p.insert(p.end(), state.begin(), state.end());
    auto s = target_->execute(
        "INSERT INTO pipeline_state (ecosystem, tenant_id, tracking_date, billing_gathered, "
        "resources_gathered, chargeback_calculated, topic_overlay_gathered, "
        "topic_attribution_calculated, calculation_id, calculation_completed_at, "
        "calculation_run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ecosystem, "
        "tenant_id, tracking_date) DO UPDATE SET billing_gathered = excluded.billing_gathered, "
        "resources_gathered = excluded.resources_gathered, chargeback_calculated = "
        "excluded.chargeback_calculated, topic_overlay_gathered = "
        "excluded.topic_overlay_gathered, topic_attribution_calculated = "
        "excluded.topic_attribution_calculated, calculation_id = excluded.calculation_id, "
        "calculation_completed_at = excluded.calculation_completed_at, calculation_run_id = "
        "excluded.calculation_run_id",
        p);
    if (!s) return s;
  }
  if (unmapped > 0) {
    report_.notes.push_back("pipeline_state: " + std::to_string(unmapped) +
                            " dates name a calculation run the original no longer has (its "
                            "calculation_run_id is left empty)");
  }
  return group_done("pipeline");
}

Status Import::write_emissions() {
  auto& c = count("emission_records");
  std::map<std::vector<std::string>, std::vector<std::string>> existing;
  if (target_) {
    auto rows = target_->query(
        "SELECT emitter_name, pipeline, date, status, attempt_count FROM emission_records WHERE "
        "ecosystem = ? AND tenant_id = ?",
        {o_.ecosystem, o_.tenant_id});
    if (!rows) return rows.status();
    for (const auto& r : *rows) {
      existing[{r.get_text(0), r.get_text(1), r.get_text(2)}] = {r.get_text(3), r.get_text(4)};
    }
  }
  for (const auto& e : emissions_) {
    std::vector<std::string> key{value_text(e[0]), value_text(e[1]), value_text(e[2])};
    std::vector<std::string> value{value_text(e[3]), value_text(e[4])};
    auto it = existing.find(key);
    if (it != existing.end()) {
      if (it->second == value) {
        ++c.unchanged;
        continue;
      }
      if (!o_.replace) {
        ++c.kept;
        continue;
      }
    }
    ++c.written;
    if (o_.dry_run) continue;
    auto s = target_->execute(
        "INSERT INTO emission_records (ecosystem, tenant_id, emitter_name, pipeline, date, "
        "status, attempt_count) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (ecosystem, tenant_id, "
        "emitter_name, pipeline, date) DO UPDATE SET status = excluded.status, attempt_count = "
        "excluded.attempt_count",
        {o_.ecosystem, o_.tenant_id, e[0], e[1], e[2], e[3], e[4]});
    if (!s) return s;
  }
  return group_done("emissions");
}

// Per date: the billed and chargeback totals before (source, exact) and after (what the target
// holds now; in a dry run, what it would hold).
Status Import::verify() {
  std::map<std::string, Decimal> billed_after;
  std::map<std::string, std::int64_t> units_after, topic_after;
  if (o_.dry_run) {
    for (const auto& [date, b] : billed_) billed_after[date] = b.exact;
    for (const auto& [date, d] : chargebacks_.dates) units_after[date] = d.units;
    for (const auto& [date, d] : topics_.dates) topic_after[date] = d.units;
  } else {
    for (const char* table : {"ccloud_billing", "billing"}) {
      auto rows = target_->query(std::string("SELECT substr(timestamp, 1, 10), total_cost FROM ") +
                                     table + " WHERE ecosystem = ? AND tenant_id = ?",
                                 {o_.ecosystem, o_.tenant_id});
      if (!rows) return rows.status();
      for (const auto& r : *rows) {
        auto amount = parse_amount(r.get_text(1));
        if (amount) {
          auto& sum = billed_after[r.get_text(0)];
          sum = add_or_keep(sum, *amount, report_.problems);
        }
      }
    }
    for (const StarPlan* plan : {&chargebacks_, &topics_}) {
      auto rows = target_->query(
          std::string("SELECT substr(f.timestamp, 1, 10), SUM(f.amount) FROM ") +
              plan->spec->fact_table + " f JOIN " + plan->spec->dim_table +
              " d ON d.dimension_id = f.dimension_id WHERE d.ecosystem = ? AND d.tenant_id = ? "
              "GROUP BY substr(f.timestamp, 1, 10)",
          {o_.ecosystem, o_.tenant_id});
      if (!rows) return rows.status();
      auto& out = plan == &chargebacks_ ? units_after : topic_after;
      for (const auto& r : *rows) out[r.get_text(0)] = r.get_int(1);
    }
  }
  const Decimal tolerance = *Decimal::parse("0.0001");
  auto close = [&](const Decimal& before, std::int64_t after) {
    auto diff = Decimal::from_money(allocation::Money::from_units(after)).subtract(before);
    if (!diff) return false;
    Decimal d = diff->is_negative() ? diff->negated() : *diff;
    return d < tolerance;
  };
  for (const auto& [date, action] : action_) {
    DateTotals t;
    t.date = date;
    t.action = action;
    auto b = billed_.find(date);
    const Decimal billed = b == billed_.end() ? Decimal() : b->second.exact;
    t.billed_before = plain(billed);
    t.billed_after = plain(billed_after[date]);
    auto c = chargebacks_.dates.find(date);
    const Decimal charged = c == chargebacks_.dates.end() ? Decimal() : c->second.exact;
    t.chargeback_before = plain(charged);
    t.chargeback_after = units_text(units_after[date]);
    t.inexact = c == chargebacks_.dates.end() ? 0 : c->second.inexact;
    if (billed != billed_after[date]) {
      t.ok = false;
      problem("billed", date + ": billed " + t.billed_before + " in the original but " +
                            t.billed_after + " after the import");
    }
    if (!close(charged, units_after[date])) {
      t.ok = false;
      problem("charged", date + ": chargebacks " + t.chargeback_before + " in the original but " +
                             t.chargeback_after + " after the import");
    }
    auto topic = topics_.dates.find(date);
    if (topic != topics_.dates.end() && !close(topic->second.exact, topic_after[date])) {
      t.ok = false;
      problem("topics", date + ": topic attribution " + plain(topic->second.exact) +
                            " in the original but " + units_text(topic_after[date]) +
                            " after the import");
    }
    auto gap = billed.subtract(charged);
    if (gap && !gap->is_zero()) {
      if (b == billed_.end()) {
        t.note = "no billing lines for this date in the original";
      } else if (c == chargebacks_.dates.end()) {
        t.note = "no chargebacks for this date in the original (not calculated)";
      } else if (!gap->is_negative()) {
        t.note = "chargebacks " + plain(*gap) +
                 " below billing in the original: facts sharing a dimension and timestamp were "
                 "overwritten (last wins) or only a resource's active time was allocated";
      } else {
        t.note = "chargebacks exceed billing by " + plain(gap->negated()) + " in the original";
      }
    }
    report_.dates.push_back(std::move(t));
  }
  // Every row read is accounted for.
  for (const auto& t : report_.tables) {
    if (t.read != t.written + t.unchanged + t.kept + t.merged + t.lost) {
      problem("accounting",
              t.table + ": " + std::to_string(t.read) + " rows read but " +
                  std::to_string(t.written + t.unchanged + t.kept + t.merged + t.lost) +
                  " accounted for");
    }
  }
  return Status::ok();
}

Result<ImportReport> Import::run() {
  report_.dry_run = o_.dry_run;
  // Every table's line exists before any count() reference is taken (no reallocation later).
  for (const char* table :
       {"resources", "identities", "tags", "billing", "ccloud_billing", "chargeback_dimensions",
        "chargeback_facts", "topic_attribution_dimensions", "topic_attribution_facts",
        "pipeline_runs", "pipeline_state", "emission_records"}) {
    report_.tables.push_back(TableCount{table});
  }
  auto source_url = parse_database_url(o_.source_url);
  if (!source_url) return Status::error("--from: " + source_url.error());
  auto target_url = parse_database_url(o_.target_url);
  if (!target_url)
    return Status::error("the tenant's storage.connection_string: " + target_url.error());
  report_.source = source_url->describe();
  report_.target = target_url->describe();
  if (source_url->identity() == target_url->identity()) {
    return Status::error(
        "--from names the tenant's own database (" + report_.target +
        "): chitragupt cannot share a database with chitragupta. Point the tenant's "
        "storage.connection_string at a new database and import from the original's");
  }
  auto source = Source::open(*source_url);
  if (!source) return source.status();
  source_ = std::move(*source);
  if (auto s = source_->check_schema(); !s) return s;
  report_.revision = source_->revision();
  if (auto s = check_owners(); !s) return s;

  progress("reading " + report_.source + " (Alembic revision " + report_.revision + ")");
  chargebacks_.spec = &kChargebacks;
  topics_.spec = &kTopics;
  if (auto s = read_inventory(); !s) return s;
  if (auto s = read_billing(); !s) return s;
  if (auto s = read_star(chargebacks_); !s) return s;
  if (auto s = read_star(topics_); !s) return s;
  if (auto s = read_pipeline(); !s) return s;
  for (const auto& e : chargebacks_.inexact_examples) {
    report_.notes.push_back("more than four decimals: " + e);
  }
  for (const auto& e : topics_.inexact_examples) {
    report_.notes.push_back("more than four decimals: " + e);
  }
  source_.reset();  // the read is over: end the snapshot

  if (auto s = open_target(); !s) return s;
  if (auto s = classify_dates(); !s) return s;

  std::unique_ptr<storage::Transaction> tx;
  if (!o_.dry_run) {
    tx = std::make_unique<storage::Transaction>(*target_, storage::TxMode::immediate);
    if (!tx->begin_status()) return tx->begin_status();
  }
  if (auto s = write_inventory(); !s) return s;
  if (auto s = write_tags(); !s) return s;
  if (auto s = write_billing(); !s) return s;
  if (auto s = write_star(chargebacks_); !s) return s;
  if (auto s = write_star(topics_); !s) return s;
  if (auto s = write_pipeline(); !s) return s;
  if (auto s = write_emissions(); !s) return s;
  if (auto s = verify(); !s) return s;
  if (tx) {
    if (auto s = tx->commit(); !s) return s;
  }
  for (const auto& [kind, n] : problem_counts_) {
    if (n > static_cast<int>(kExamples)) {
      report_.problems.push_back("... and " + std::to_string(n - static_cast<int>(kExamples)) +
                                 " more of the same kind (" + kind + ")");
    }
  }
  return report_;
}

std::string pad(std::string s, std::size_t width, bool right = false) {
  if (s.size() >= width) return s;
  return right ? std::string(width - s.size(), ' ') + s : s + std::string(width - s.size(), ' ');
}

}  // namespace

bool ImportReport::lost() const { return !problems.empty(); }

Result<ImportReport> run_import(const ImportOptions& options) { return Import(options).run(); }

std::string format_report(const ImportReport& r) {
  std::string out;
  out += std::string(r.dry_run ? "Dry run (nothing written): import" : "Import") + " from " +
         r.source + " (chitragupta, Alembic " + r.revision + ") into " + r.target + "\n";
  if (!r.backup_path.empty()) out += "Target backed up first to " + r.backup_path + "\n";
  out += "\nTables (rows)\n";
  out += "  " + pad("table", 30) + pad("read", 10, true) + pad("written", 10, true) +
         pad("unchanged", 11, true) + pad("kept", 8, true) + pad("merged", 8, true) +
         pad("lost", 8, true) + "\n";
  for (const auto& t : r.tables) {
    out += "  " + pad(t.table, 30) + pad(std::to_string(t.read), 10, true) +
           pad(std::to_string(t.written), 10, true) + pad(std::to_string(t.unchanged), 11, true) +
           pad(std::to_string(t.kept), 8, true) + pad(std::to_string(t.merged), 8, true) +
           pad(std::to_string(t.lost), 8, true) + "\n";
  }
  out += "\nDates (billed total and chargeback total, before -> after)\n";
  out += "  " + pad("date", 12) + pad("action", 10) + pad("billed before", 20, true) +
         pad("billed after", 20, true) + pad("charged before", 22, true) +
         pad("charged after", 18, true) + pad(">4 dp", 7, true) + "  check\n";
  std::int64_t inexact = 0;
  for (const auto& d : r.dates) {
    inexact += d.inexact;
    out += "  " + pad(d.date, 12) + pad(d.action, 10) + pad(d.billed_before, 20, true) +
           pad(d.billed_after, 20, true) + pad(d.chargeback_before, 22, true) +
           pad(d.chargeback_after, 18, true) + pad(std::to_string(d.inexact), 7, true) + "  " +
           (d.ok ? "ok" : "MISMATCH") + (d.note.empty() ? "" : " (" + d.note + ")") + "\n";
  }
  if (inexact > 0) {
    out += "\n" + std::to_string(inexact) +
           " chargeback amounts had more than four decimals: each was rounded to 0.0001 so "
           "that its date's total is the exact total rounded to 0.0001 (examples below)\n";
  }
  if (!r.notes.empty()) {
    out += "\nNotes\n";
    for (const auto& n : r.notes) out += "  - " + n + "\n";
  }
  if (r.problems.empty()) {
    out += std::string("\nResult: ") + (r.dry_run ? "would import" : "imported") +
           " everything; every date's totals match (to 0.0001)\n";
  } else {
    out += "\nLost or not matching\n";
    for (const auto& p : r.problems) out += "  - " + p + "\n";
    out += "Result: NOT everything " + std::string(r.dry_run ? "would be" : "was") +
           " imported (see above)\n";
  }
  return out;
}

}  // namespace chitragupt::importer
