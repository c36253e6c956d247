#include "focus/exporter.hpp"

#include <openssl/evp.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "allocation/money.hpp"
#include "common/csv.hpp"
#include "common/version.hpp"
#include "focus/checker.hpp"
#include "focus/mapping.hpp"

namespace chitragupt::focus {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using nlohmann::ordered_json;

// Writes a file under a temporary name, renamed into place by close().
class Sink {
 public:
  Sink(fs::path path, bool gzip) : path_(std::move(path)), gzip_(gzip) {}
  ~Sink() {
    if (file_ != nullptr) std::fclose(file_);
    if (gz_ != nullptr) gzclose(gz_);
    if (!closed_) {
      std::error_code ec;
      fs::remove(temp(), ec);
    }
  }
  Status open() {
    if (gzip_) {
      gz_ = gzopen(temp().c_str(), "wb6");
      if (gz_ == nullptr) return Status::error("cannot create " + temp().string());
    } else {
      file_ = std::fopen(temp().c_str(), "wb");
      if (file_ == nullptr) return Status::error("cannot create " + temp().string());
    }
    return Status::ok();
  }
  Status write(const std::string& text) {
    buffer_ += text;
    if (buffer_.size() >= (1u << 20)) return flush();
    return Status::ok();
  }
  Status close() {
    if (auto s = flush(); !s) return s;
    int rc = 0;
    if (gz_ != nullptr) {
      rc = gzclose(gz_);
      gz_ = nullptr;
    } else if (file_ != nullptr) {
      rc = std::fclose(file_);
      file_ = nullptr;
    }
    if (rc != 0) return Status::error("cannot write " + path_.string());
    std::error_code ec;
    fs::rename(temp(), path_, ec);
    if (ec) return Status::error("cannot rename " + temp().string() + ": " + ec.message());
    closed_ = true;
    return Status::ok();
  }

 private:
  fs::path temp() const { return fs::path(path_.string() + ".part"); }
  Status flush() {
    if (buffer_.empty()) return Status::ok();
    bool ok = gz_ != nullptr
                  ? gzwrite(gz_, buffer_.data(), static_cast<unsigned>(buffer_.size())) ==
                        static_cast<int>(buffer_.size())
                  : std::fwrite(buffer_.data(), 1, buffer_.size(), file_) == buffer_.size();
    buffer_.clear();
    if (!ok) return Status::error("cannot write " + path_.string() + " (disk full?)");
    return Status::ok();
  }

  fs::path path_;
  bool gzip_;
  std::FILE* file_ = nullptr;
  gzFile gz_ = nullptr;
  std::string buffer_;
  bool closed_ = false;
};

Result<ExportFile> describe_file(const fs::path& path, const std::string& media_type) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::error("cannot read " + path.string());
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  std::vector<char> buf(1 << 16);
  std::int64_t size = 0;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    auto got = in.gcount();
    if (got <= 0) break;
    EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<std::size_t>(got));
    size += got;
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &len);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 0xf];
  }
  return ExportFile{path.filename().string(), media_type, size, out};
}

int days_in(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

std::string date_text(int y, int m, int d) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

using LineKey = std::tuple<std::string, std::string, std::string, std::string, std::string>;

Result<std::vector<storage::Row>> query(storage::Database& db, const std::string& what,
                                        const std::string& sql, const storage::Params& params) {
  auto rows = db.query(sql, params);
  if (!rows) return Status::error("FOCUS export: reading " + what + ": " + rows.status().message());
  return rows;
}

// The rows of a query, one at a time (never the whole result held: SQLite steps them).
Status each_row(storage::Database& db, const std::string& what, const std::string& sql,
                const storage::Params& params,
                const std::function<Status(const storage::Row&)>& fn) {
  Status inner = Status::ok();
  Status s = db.query_each(sql, params, [&](const storage::Row& row) {
    inner = fn(row);
    return static_cast<bool>(inner);
  });
  if (!s) return Status::error("FOCUS export: reading " + what + ": " + s.message());
  return inner;
}

}  // namespace

bool valid_billing_period(const std::string& p) {
  if (p.size() != 7 || p[4] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6}) {
    if (p[i] < '0' || p[i] > '9') return false;
  }
  int month = std::stoi(p.substr(5, 2));
  return month >= 1 && month <= 12 && std::stoi(p.substr(0, 4)) >= 1970;
}

std::string data_file_name(const ExportRequest& r) {
  return "focus-" + r.tenant_name + "-" + r.billing_period + ".csv" + (r.gzip ? ".gz" : "");
}

ExportRequest request_for(const config::TenantConfig& tenant, const std::string& billing_period,
                          const std::string& out_dir, bool gzip) {
  ExportRequest r;
  r.ecosystem = tenant.ecosystem;
  r.tenant_id = tenant.tenant_id;
  r.tenant_name = tenant.name;
  r.billing_period = billing_period;
  r.out_dir = out_dir;
  r.gzip = gzip;
  if (tenant.focus_preview) {
    r.billing_currency = tenant.focus_preview->billing_currency;
    r.effective_start_date = tenant.focus_preview->effective_start_date;
    r.effective_end_date = tenant.focus_preview->effective_end_date;
  }
  return r;
}

std::string tenant_artifact_dir(const config::Config& config, const std::string& tenant) {
  return (fs::path(config.preview.artifact_root) / tenant).string();
}

Result<ExportSummary> export_focus(storage::Database& db, const ExportRequest& req) {
  if (!valid_billing_period(req.billing_period)) {
    return Status::error("billing period must be YYYY-MM, got '" + req.billing_period + "'");
  }
  const int year = std::stoi(req.billing_period.substr(0, 4));
  const int month = std::stoi(req.billing_period.substr(5, 2));
  const int next_year = month == 12 ? year + 1 : year;
  const int next_month = month == 12 ? 1 : month + 1;
  const std::string period_start = date_text(year, month, 1);
  const std::string period_end = date_text(next_year, next_month, 1);

  std::error_code ec;
  fs::create_directories(req.out_dir, ec);
  if (ec) return Status::error("cannot create " + req.out_dir + ": " + ec.message());

  // Inventory and tags of the tenant: small next to the facts, read once.
  std::map<std::string, ResourceInfo> resources;
  std::map<std::string, std::string> identities;
  std::map<std::pair<std::string, std::string>, std::map<std::string, std::string>> tags;
  {
    auto rows = query(db, "resources",
                      "SELECT resource_id, display_name, resource_type, region FROM resources "
                      "WHERE ecosystem = ? AND tenant_id = ?",
                      {req.ecosystem, req.tenant_id});
    if (!rows) return rows.status();
    for (const auto& r : *rows) {
      resources[r.get_text(0)] = ResourceInfo{r.get_text(1), r.get_text(2), r.get_text(3)};
    }
    rows = query(db, "identities",
                 "SELECT identity_id, display_name FROM identities WHERE ecosystem = ? AND "
                 "tenant_id = ?",
                 {req.ecosystem, req.tenant_id});
    if (!rows) return rows.status();
    for (const auto& r : *rows) identities[r.get_text(0)] = r.get_text(1);
    rows = query(db, "tags",
                 "SELECT entity_type, entity_id, tag_key, tag_value FROM tags WHERE tenant_id = ?",
                 {req.tenant_id});
    if (!rows) return rows.status();
    for (const auto& r : *rows) tags[{r.get_text(0), r.get_text(1)}][r.get_text(2)] = r.get_text(3);
  }

  MappingContext ctx;
  ctx.account_id = req.tenant_id;
  ctx.account_name = req.tenant_name;
  ctx.billing_currency = req.billing_currency;
  ctx.period_start = period_start + "T00:00:00Z";
  ctx.period_end = period_end + "T00:00:00Z";
  ctx.resource = [&](const std::string& id) -> const ResourceInfo* {
    auto it = resources.find(id);
    return it == resources.end() ? nullptr : &it->second;
  };
  ctx.identity_name = [&](const std::string& id) {
    auto it = identities.find(id);
    return it == identities.end() ? std::string() : it->second;
  };
  ctx.tags = [&](const std::string& type, const std::string& id) {
    auto it = tags.find({type, id});
    return it == tags.end() ? std::map<std::string, std::string>{} : it->second;
  };

  const bool ccloud = req.ecosystem == "confluent_cloud";
  const std::string lines_sql =
      std::string("SELECT timestamp, ") + (ccloud ? "env_id" : "''") +
      ", resource_id, product_type, product_category, quantity, unit_price, total_cost, currency, "
      "granularity, metadata_json FROM " +
      (ccloud ? "ccloud_billing" : "billing") +
      " WHERE ecosystem = ? AND tenant_id = ? AND timestamp >= ? AND timestamp < ? ORDER BY "
      "timestamp, " +
      (ccloud ? "env_id, " : "") + "resource_id, product_type, product_category";
  const std::string facts_sql =
      "SELECT f.timestamp, d.env_id, d.resource_id, d.product_type, d.product_category, "
      "d.identity_id, d.cost_type, d.allocation_method, d.allocation_detail, f.amount "
      // CROSS JOIN: SQLite keeps the facts as the outer loop, a range of their primary key
      // (timestamp first), instead of probing every dimension's facts; PostgreSQL plans freely.
      "FROM chargeback_facts f CROSS JOIN chargeback_dimensions d "
      "WHERE d.dimension_id = f.dimension_id AND d.ecosystem = ? AND d.tenant_id = ? "
      "AND f.timestamp >= ? AND f.timestamp < ?";

  const fs::path dir(req.out_dir);
  const std::string data_name = data_file_name(req);
  Sink csv(dir / data_name, req.gzip);
  if (auto s = csv.open(); !s) return s;
  std::vector<std::string> header;
  std::string text;
  for (const auto& c : columns()) {
    if (!header.empty()) text += ',';
    header.emplace_back(c.name);
    text += c.name;
  }
  text += '\n';
  if (auto s = csv.write(text); !s) return s;

  Checker checker(header);
  ExportSummary summary;
  std::string billed = "0", effective = "0", list = "0", table_total = "0";
  std::int64_t orphan_facts = 0;

  const int days = days_in(year, month);
  for (int day = 1; day <= days; ++day) {
    if (req.cancel != nullptr && req.cancel->load()) return Status::error("export cancelled");
    const std::string date = date_text(year, month, day);
    if (!req.effective_start_date.empty() && date < req.effective_start_date) continue;
    if (!req.effective_end_date.empty() && date >= req.effective_end_date) continue;
    const std::string from = date + " 00:00:00";
    const std::string to =
        (day == days ? period_end : date_text(year, month, day + 1)) + " 00:00:00";

    // The day's portions, grouped by their billing line (facts come in key order, not by line);
    // then the day's lines stream past, each written with its portions. Only the portions of one
    // day are held, never the rows of a query.
    std::map<LineKey, std::vector<PortionInput>> portions;
    if (auto s =
            each_row(db, "chargeback facts", facts_sql, {req.ecosystem, req.tenant_id, from, to},
                     [&](const storage::Row& f) {
                       portions[LineKey{f.get_text(0), ccloud ? f.get_text(1) : "", f.get_text(2),
                                        f.get_text(3), f.get_text(4)}]
                           .push_back(PortionInput{f.get_text(5), f.get_text(6), f.get_text(7),
                                                   f.get_text(8), f.get_int(9)});
                       return Status::ok();
                     });
        !s) {
      return s;
    }

    auto write_line = [&](const storage::Row& l) -> Status {
      LineInput in;
      in.ecosystem = req.ecosystem;
      in.timestamp = l.get_text(0);
      in.env_id = l.get_text(1);
      in.resource_id = l.get_text(2);
      in.product_type = l.get_text(3);
      in.product_category = l.get_text(4);
      in.quantity = l.get_text(5);
      in.unit_price = l.get_text(6);
      in.total_cost = l.get_text(7);
      in.currency = l.get_text(8);
      in.granularity = l.get_text(9);
      in.metadata_json = l.get_text(10);
      std::vector<PortionInput> mine;
      auto it = portions.find(
          LineKey{in.timestamp, in.env_id, in.resource_id, in.product_type, in.product_category});
      if (it != portions.end()) {
        mine = std::move(it->second);
        portions.erase(it);
      }
      auto rows = map_line(in, std::move(mine), ctx);
      if (!rows) return Status::error("FOCUS export: " + rows.status().message());
      ++summary.billing_lines;
      auto line_total = allocation::Money::parse(in.total_cost);
      if (line_total) {
        table_total = *add_decimal_text(table_total, line_total->to_string());
        checker.expect_billed_total(ctx.account_id, ctx.period_start, line_total->to_string());
      }
      for (const auto& r : *rows) {
        checker.check_row(r);
        text.clear();
        for (int c = 0; c < kColumnCount; ++c) {
          if (c) text += ',';
          if (r[c]) append_csv_field(text, *r[c]);
        }
        text += '\n';
        if (auto s = csv.write(text); !s) return s;
        ++summary.rows;
        billed = *add_decimal_text(billed, *r[BilledCost]);
        effective = *add_decimal_text(effective, *r[EffectiveCost]);
        list = *add_decimal_text(list, *r[ListCost]);
      }
      return Status::ok();
    };
    if (auto s = each_row(db, "billing lines", lines_sql, {req.ecosystem, req.tenant_id, from, to},
                          write_line);
        !s) {
      return s;
    }
    for (const auto& [key, rest] : portions) orphan_facts += static_cast<std::int64_t>(rest.size());
  }
  if (auto s = csv.close(); !s) return s;
  checker.finish();

  summary.billed_cost = billed;
  summary.effective_cost = effective;
  summary.list_cost = list;
  summary.billing_table_total = table_total;
  summary.conforming = checker.conforming();
  summary.rules_checked = static_cast<std::int64_t>(rules().size());
  summary.violations = checker.counts();

  auto data_file = describe_file(dir / data_name, req.gzip ? "application/gzip" : "text/csv");
  if (!data_file) return data_file.status();
  summary.files.push_back(*data_file);

  // metadata.json: the FOCUS metadata form (FocusVersion, DataGenerator, Schema).
  ordered_json column_defs = ordered_json::array();
  for (const auto& c : columns()) {
    ordered_json d;
    d["ColumnName"] = c.name;
    d["DataType"] = to_string(c.type);
    d["ProviderTag"] = c.level == Level::kCustom;  // true for custom (x_) columns
    d["FeatureLevel"] = to_string(c.level);
    d["AllowsNulls"] = c.allows_null;
    if (c.type == DataType::kDecimal) {
      d["NumberScale"] = nullptr;  // varies: money has 4 decimals, quantities up to 10
    } else if (c.type == DataType::kString || c.type == DataType::kJson) {
      d["StringEncoding"] = "UTF-8";
    }
    d["Description"] = c.description;
    column_defs.push_back(d);
  }
  ordered_json metadata;
  metadata["DataGenerator"] = {{"DataGenerator", std::string("chitragupt ") + kVersion}};
  metadata["Schema"] = {{"SchemaId", "chitragupt-focus-1.2-v1"},
                        {"FocusVersion", "1.2"},
                        {"ColumnDefinition", column_defs}};
  metadata["DatasetInstance"] = {{"DatasetInstanceId", req.tenant_name + "/" + req.billing_period},
                                 {"DatasetInstanceName", "CostAndUsage"},
                                 {"FocusDatasetId", "CostAndUsage"}};
  metadata["x_Conformance"] = {{"Conforming", summary.conforming},
                               {"CheckedRules", summary.rules_checked},
                               {"Violations", checker.violation_count()}};
  {
    Sink meta(dir / "metadata.json", false);
    if (auto s = meta.open(); !s) return s;
    if (auto s = meta.write(metadata.dump(2) + "\n"); !s) return s;
    if (auto s = meta.close(); !s) return s;
  }
  auto meta_file = describe_file(dir / "metadata.json", "application/json");
  if (!meta_file) return meta_file.status();
  summary.files.push_back(*meta_file);

  ordered_json manifest;
  manifest["focus_version"] = "1.2";
  manifest["generator"] = std::string("chitragupt ") + kVersion;
  manifest["tenant"] = req.tenant_name;
  manifest["billing_account_id"] = req.tenant_id;
  manifest["billing_period"] = req.billing_period;
  manifest["billing_period_start"] = ctx.period_start;
  manifest["billing_period_end"] = ctx.period_end;
  manifest["billing_currency"] = req.billing_currency;
  manifest["effective_start_date"] = req.effective_start_date.empty()
                                         ? ordered_json(nullptr)
                                         : ordered_json(req.effective_start_date);
  manifest["effective_end_date"] =
      req.effective_end_date.empty() ? ordered_json(nullptr) : ordered_json(req.effective_end_date);
  manifest["rows"] = summary.rows;
  manifest["billing_lines"] = summary.billing_lines;
  manifest["billed_cost"] = billed;
  manifest["effective_cost"] = effective;
  manifest["list_cost"] = list;
  manifest["billing_table_total"] = table_total;
  manifest["chargeback_facts_without_billing_line"] = orphan_facts;
  ordered_json conformance;
  conformance["conforming"] = summary.conforming;
  conformance["rules_checked"] = summary.rules_checked;
  conformance["violations"] = ordered_json::object();
  for (const auto& [rule, count] : summary.violations) conformance["violations"][rule] = count;
  ordered_json first = ordered_json::array();
  for (const auto& v : checker.first_violations()) {
    first.push_back({{"rule", v.rule}, {"row", v.row}, {"message", v.message}});
  }
  conformance["first_violations"] = first;
  manifest["conformance"] = conformance;
  ordered_json files = ordered_json::array();
  for (const auto& f : summary.files) {
    files.push_back({{"name", f.name},
                     {"media_type", f.media_type},
                     {"size_bytes", f.size_bytes},
                     {"sha256", f.sha256}});
  }
  manifest["files"] = files;
  {
    Sink m(dir / "manifest.json", false);
    if (auto s = m.open(); !s) return s;
    if (auto s = m.write(manifest.dump(2) + "\n"); !s) return s;
    if (auto s = m.close(); !s) return s;
  }
  auto manifest_file = describe_file(dir / "manifest.json", "application/json");
  if (!manifest_file) return manifest_file.status();
  summary.files.push_back(*manifest_file);
  return summary;
}

}  // namespace chitragupt::focus
