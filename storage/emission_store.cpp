#include "storage/emission_store.hpp"

namespace chitragupt::storage {

Result<std::vector<std::string>> EmissionStore::pending_dates(const std::string& emitter_name,
                                                              const std::string& pipeline,
                                                              const std::string& since) {
  auto rows = db_.query(
      "SELECT s.tracking_date FROM pipeline_state s WHERE s.ecosystem = ? AND s.tenant_id = ? "
      "AND s.chargeback_calculated = 1 AND s.tracking_date >= ? AND NOT EXISTS (SELECT 1 FROM "
      "emission_records e WHERE e.ecosystem = s.ecosystem AND e.tenant_id = s.tenant_id AND "
      "e.emitter_name = ? AND e.pipeline = ? AND e.date = s.tracking_date AND e.status = "
      "'emitted') ORDER BY s.tracking_date",
      {ecosystem_, tenant_id_, since, emitter_name, pipeline});
  if (!rows) return Status::error("reading pending emission dates: " + rows.error());
  std::vector<std::string> out;
  for (const auto& r : *rows) out.push_back(r.get_text(0));
  return out;
}

Result<std::vector<std::string>> EmissionStore::calculated_dates(const std::string& first,
                                                                 const std::string& last) {
  auto rows = db_.query(
      "SELECT tracking_date FROM pipeline_state WHERE ecosystem = ? AND tenant_id = ? AND "
      "chargeback_calculated = 1 AND tracking_date >= ? AND tracking_date <= ? "
      "ORDER BY tracking_date",
      {ecosystem_, tenant_id_, first, last});
  if (!rows) return Status::error("reading calculated dates: " + rows.error());
  std::vector<std::string> out;
  for (const auto& r : *rows) out.push_back(r.get_text(0));
  return out;
}

Status EmissionStore::record(const std::string& emitter_name, const std::string& pipeline,
                             const std::string& date, const std::string& status) {
  auto s = db_.execute(
      "INSERT INTO emission_records (ecosystem, tenant_id, emitter_name, pipeline, date, status, "
      "attempt_count) VALUES (?, ?, ?, ?, ?, ?, 1) ON CONFLICT (ecosystem, tenant_id, "
      "emitter_name, pipeline, date) DO UPDATE SET status = excluded.status, "
      "attempt_count = emission_records.attempt_count + 1",
      {ecosystem_, tenant_id_, emitter_name, pipeline, date, status});
  if (!s) return Status::error("recording emission of " + date + ": " + s.message());
  return s;
}

Result<std::optional<EmissionRecord>> EmissionStore::find(const std::string& emitter_name,
                                                          const std::string& pipeline,
                                                          const std::string& date) {
  auto rows = db_.query(
      "SELECT date, status, attempt_count FROM emission_records WHERE ecosystem = ? AND "
      "tenant_id = ? AND emitter_name = ? AND pipeline = ? AND date = ?",
      {ecosystem_, tenant_id_, emitter_name, pipeline, date});
  if (!rows) return Status::error("reading emission record: " + rows.error());
  if (rows->empty()) return std::optional<EmissionRecord>();
  const auto& r = rows->front();
  return std::optional<EmissionRecord>(EmissionRecord{r.get_text(0), r.get_text(1), r.get_int(2)});
}

Result<std::string> EmissionStore::last_emitted(const std::string& emitter_name,
                                                const std::string& pipeline) {
  auto rows = db_.query(
      "SELECT MAX(date) FROM emission_records WHERE ecosystem = ? AND tenant_id = ? AND "
      "emitter_name = ? AND pipeline = ? AND status = 'emitted'",
      {ecosystem_, tenant_id_, emitter_name, pipeline});
  if (!rows) return Status::error("reading emission records: " + rows.error());
  return rows->empty() ? std::string() : rows->front().get_text(0);
}

}  // namespace chitragupt::storage
