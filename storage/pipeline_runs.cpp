#include "storage/pipeline_runs.hpp"

#include <unistd.h>

#include <climits>
#include <cstdio>

#include "storage/utc_time.hpp"

namespace chitragupt::storage {
namespace {

constexpr std::size_t kMaxErrorCharacters = 2000;
constexpr const char* kOrphanedMessage = "Orphaned — process restarted before completion";

// The first `max_chars` UTF-8 characters of `text` (never cuts a character in two).
std::string cut_utf8(const std::string& text, std::size_t max_chars) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    // A continuation byte (10xxxxxx) belongs to the character before it.
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (chars == max_chars) return text.substr(0, i);
    ++chars;
  }
  return text;
}

Value text_or_null(const std::string& s) {
  if (s.empty()) return std::monostate{};
  return s;
}

Status not_found(std::int64_t id) {
  return Status::error("pipeline run " + std::to_string(id) + " does not exist");
}

}  // namespace

const std::string& runner_name() {
  static const std::string name = [] {
    char host[HOST_NAME_MAX + 1] = {};
    if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') {
      std::snprintf(host, sizeof host, "unknown-host");
    }
    return std::string(host) + ":" + std::to_string(::getpid());
  }();
  return name;
}

Result<std::int64_t> PipelineRunStore::start(const std::string& tenant_name,
                                             const std::string& trigger) {
  auto rows = db_.query(
      "INSERT INTO pipeline_runs (tenant_name, started_at, status, \"trigger\", runner) "
      "VALUES (?, ?, 'running', ?, ?) RETURNING id",
      {tenant_name, utc_now_timestamp(), trigger, runner_name()});
  if (!rows) return rows.status();
  if (rows->empty()) return Status::error("starting a pipeline run returned no id");
  return rows->front().get_int(0);
}

Status PipelineRunStore::set_stage(std::int64_t id, const std::string& stage) {
  auto rows = db_.query("UPDATE pipeline_runs SET stage = ? WHERE id = ? RETURNING id",
                        {text_or_null(stage), id});
  if (!rows) return rows.status();
  return rows->empty() ? not_found(id) : Status::ok();
}

Status PipelineRunStore::set_current_date(std::int64_t id, const std::string& date) {
  auto rows = db_.query("UPDATE pipeline_runs SET \"current_date\" = ? WHERE id = ? RETURNING id",
                        {text_or_null(date), id});
  if (!rows) return rows.status();
  return rows->empty() ? not_found(id) : Status::ok();
}

Status PipelineRunStore::finish(std::int64_t id, const std::string& status, const RunCounts& counts,
                                const std::string& error_message) {
  if (status != "completed" && status != "failed" && status != "interrupted") {
    return Status::error("a pipeline run finishes as completed, failed or interrupted, not '" +
                         status + "'");
  }
  auto rows = db_.query(
      "UPDATE pipeline_runs SET status = ?, ended_at = ?, dates_gathered = ?, "
      "dates_calculated = ?, rows_written = ?, error_message = ?, \"current_date\" = NULL "
      "WHERE id = ? RETURNING id",
      {status, utc_now_timestamp(), counts.dates_gathered, counts.dates_calculated,
       counts.rows_written, text_or_null(cut_utf8(error_message, kMaxErrorCharacters)), id});
  if (!rows) return rows.status();
  return rows->empty() ? not_found(id) : Status::ok();
}

Result<int> PipelineRunStore::fail_orphaned(const std::string& tenant_name) {
  auto rows = db_.query(
      "UPDATE pipeline_runs SET status = 'failed', ended_at = ?, error_message = ? "
      "WHERE tenant_name = ? AND status = 'running' RETURNING id",
      {utc_now_timestamp(), std::string(kOrphanedMessage), tenant_name});
  if (!rows) return rows.status();
  return static_cast<int>(rows->size());
}

Result<std::optional<PipelineRun>> PipelineRunStore::last(const std::string& tenant_name) {
  auto rows = db_.query(
      "SELECT id, tenant_name, started_at, ended_at, status, stage, \"trigger\", "
      "dates_gathered, dates_calculated, rows_written, error_message, \"current_date\", runner "
      "FROM pipeline_runs WHERE tenant_name = ? ORDER BY id DESC LIMIT 1",
      {tenant_name});
  if (!rows) return rows.status();
  if (rows->empty()) return std::optional<PipelineRun>();
  const Row& r = rows->front();
  PipelineRun run;
  run.id = r.get_int(0);
  run.tenant_name = r.get_text(1);
  run.started_at = r.get_text(2);
  run.ended_at = r.get_text(3);
  run.status = r.get_text(4);
  run.stage = r.get_text(5);
  run.trigger = r.get_text(6);
  run.dates_gathered = r.get_int(7);
  run.dates_calculated = r.get_int(8);
  run.rows_written = r.get_int(9);
  run.error_message = r.get_text(10);
  run.current_date = r.get_text(11);
  run.runner = r.get_text(12);
  return std::optional<PipelineRun>(std::move(run));
}

Result<TenantProgress> read_tenant_progress(Database& db, const std::string& ecosystem,
                                            const std::string& tenant_id) {
  auto rows = db.query(
      "SELECT "
      "COALESCE(SUM(CASE WHEN billing_gathered = 1 AND chargeback_calculated = 0 "
      "THEN 1 ELSE 0 END), 0), "
      "COALESCE(SUM(CASE WHEN chargeback_calculated = 1 THEN 1 ELSE 0 END), 0), "
      "MAX(CASE WHEN chargeback_calculated = 1 THEN tracking_date END) "
      "FROM pipeline_state WHERE ecosystem = ? AND tenant_id = ?",
      {ecosystem, tenant_id});
  if (!rows) return rows.status();
  TenantProgress progress;
  if (rows->empty()) return progress;
  const Row& r = rows->front();
  progress.dates_pending = r.get_int(0);
  progress.dates_calculated = r.get_int(1);
  progress.last_calculated_date = r.get_text(2);
  return progress;
}

}  // namespace chitragupt::storage
