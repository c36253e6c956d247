#pragma once
// FOCUS exports as background jobs of a tenant (the tenant actor owns one ExportJobs and hands
// it the focus/exports routes):
//   POST /tenants/{t}/focus/exports {"billing_period":"YYYY-MM","gzip":false}  -> 202, the job
//   GET  /tenants/{t}/focus/exports                                             -> jobs, newest
//   first GET  /tenants/{t}/focus/exports/{id}                                        -> the job +
//   manifest GET  /tenants/{t}/focus/exports/{id}/files/{name}                           -> the
//   file, streamed
// A job runs on its own thread with its own database connection, one per tenant at a time
// (another POST meanwhile is 409). Its state is a job.json in its directory
// <preview.artifact_root>/<tenant>/<id>/, so jobs outlive a restart (a job found running at
// start was interrupted and is marked failed). Files are read in 1 MiB chunks per request
// (Response::next_cursor = the byte offset), never whole. Finished jobs older than
// preview.retention_days are deleted with their files (on every list and start).

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "config/config.hpp"
#include "report/report.hpp"

namespace chitragupt::focus {

class ExportJobs {
 public:
  ExportJobs(config::TenantConfig tenant, config::PreviewConfig preview);
  ~ExportJobs();  // cancels a running job and waits for it
  ExportJobs(const ExportJobs&) = delete;
  ExportJobs& operator=(const ExportJobs&) = delete;

  static bool is_focus_route(const std::string& route);
  // Answers a focus/exports route; never throws.
  report::Response handle(const report::Request& request);

  // Deletes finished jobs that ended before now - retention_days; how many.
  int purge_expired(std::chrono::system_clock::time_point now);
  bool busy();
  // Bytes per streamed chunk of a file (1 MiB; tests lower it to see several chunks).
  void set_chunk_bytes(std::size_t bytes) { chunk_bytes_ = bytes; }

 private:
  report::Response start(const report::Request& request);
  report::Response list();
  report::Response get(const std::string& id);
  report::Response file(const std::string& id, const std::string& name, const std::string& cursor);
  void run(std::string id, std::string period, bool gzip);
  std::string job_dir(const std::string& id) const;
  void reap();

  config::TenantConfig tenant_;
  config::PreviewConfig preview_;
  std::string root_;  // <artifact_root>/<tenant>
  std::mutex mu_;
  std::thread worker_;
  std::atomic<bool> running_{false};
  std::atomic<bool> cancel_{false};
  std::size_t chunk_bytes_ = 1 << 20;
};

}  // namespace chitragupt::focus
