#include "config/focus_config.hpp"

#include <algorithm>
#include <cctype>

namespace chitragupt::config {
namespace {

bool is_date(const std::string& d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(d[i]))) return false;
  }
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int y = std::stoi(d.substr(0, 4)), m = std::stoi(d.substr(5, 2)),
            day = std::stoi(d.substr(8, 2));
  if (m < 1 || m > 12 || day < 1) return false;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return day <= (m == 2 && leap ? 29 : kDays[m - 1]);
}

std::string trim_upper(std::string s) {
  auto space = [](unsigned char c) { return std::isspace(c) != 0; };
  s.erase(s.begin(), std::find_if_not(s.begin(), s.end(), space));
  s.erase(std::find_if_not(s.rbegin(), s.rend(), space).base(), s.end());
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// The original's preview worker and queue settings: nothing here runs such workers.
Field meaningless(TreeReader& reader, const char* key, const char* why) {
  return {key, [&reader, why](const YAML::Node&, const std::string& p) {
            reader.error(p, std::string("has no meaning in chitragupt: ") + why +
                                "; remove it (preview accepts artifact_root and retention_days)");
          }};
}

}  // namespace

void read_focus_preview(TreeReader& reader, const YAML::Node& node, const std::string& path,
                        std::optional<FocusPreviewConfig>& out) {
  if (!node.IsDefined() || node.IsNull()) {
    out.reset();
    return;
  }
  FocusPreviewConfig f;
  auto date_field = [&](const char* key, std::string& target) -> Field {
    return {key, [&reader, &target](const YAML::Node& n, const std::string& p) {
              if (n.IsNull()) return;
              auto text = reader.string(n, p);
              if (!text) return;
              if (!is_date(*text)) {
                reader.error(p, "must be a date YYYY-MM-DD, got '" + *text + "'");
                return;
              }
              target = *text;
            }};
  };
  const size_t first_error = reader.error_count();
  auto present = reader.fields(
      node, path,
      {
          {"commercial_profile",
           [&](const YAML::Node& n, const std::string& p) {
             auto text = reader.string(n, p);
             if (!text) return;
             if (*text != "direct_payg") {
               reader.error(p,
                            "commercial_profile must be 'direct_payg' (pay as you go: list "
                            "and contracted prices are equal), got '" +
                                *text + "'");
               return;
             }
             f.commercial_profile = *text;
           }},
          {"billing_currency",
           [&](const YAML::Node& n, const std::string& p) {
             auto text = reader.string(n, p);
             if (!text) return;
             std::string code = trim_upper(*text);
             if (code.size() != 3 || !std::all_of(code.begin(), code.end(),
                                                  [](char c) { return c >= 'A' && c <= 'Z'; })) {
               reader.error(p,
                            "billing_currency must be a three-letter ISO 4217 code such as "
                            "'USD', got '" +
                                *text + "'");
               return;
             }
             f.billing_currency = code;
           }},
          date_field("effective_start_date", f.effective_start_date),
          date_field("effective_end_date", f.effective_end_date),
      });
  if (!present) return;
  for (const char* required : {"commercial_profile", "effective_start_date"}) {
    if (present->count(required) == 0) reader.error(join_path(path, required), "field required");
  }
  if (reader.error_count() == first_error && !f.effective_end_date.empty() &&
      f.effective_end_date <= f.effective_start_date) {
    reader.error(join_path(path, "effective_end_date"),
                 "effective_end_date must be after effective_start_date (" +
                     f.effective_start_date + "), got " + f.effective_end_date);
  }
  out = f;
}

void read_preview(TreeReader& reader, const YAML::Node& node, const std::string& path,
                  PreviewConfig& out) {
  const char* no_workers =
      "FOCUS exports run as background jobs of their tenant, not in a "
      "preview worker pool";
  reader.fields(node, path,
                {
                    {"artifact_root",
                     [&](const YAML::Node& n, const std::string& p) {
                       auto text = reader.string(n, p);
                       if (!text) return;
                       if (text->empty()) {
                         reader.error(p, "artifact_root must not be empty");
                         return;
                       }
                       out.artifact_root = *text;
                     }},
                    {"retention_days",
                     [&](const YAML::Node& n, const std::string& p) {
                       auto v = reader.integer(n, p);
                       if (!v) return;
                       if (*v < 1 || *v > 365) {
                         reader.error(p, "must be between 1 and 365, got " + std::to_string(*v));
                         return;
                       }
                       out.retention_days = static_cast<int>(*v);
                     }},
                    meaningless(reader, "max_workers", no_workers),
                    meaningless(reader, "max_queued_repairs", "there are no preview repairs"),
                    meaningless(reader, "max_queued_generations", no_workers),
                    meaningless(reader, "max_running_generations_per_tenant",
                                "a tenant runs one FOCUS export at a time"),
                    meaningless(reader, "max_queued_generations_per_tenant", no_workers),
                    meaningless(reader, "max_generation_spool_bytes",
                                "exports stream their rows to the file, with no spool"),
                    meaningless(reader, "max_csv_file_bytes",
                                "an export is one CSV file (optionally gzip-compressed)"),
                });
}

}  // namespace chitragupt::config
