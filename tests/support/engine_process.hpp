#pragma once
// Test support: runs the real chitragupt binary as a child process and talks to it over real
// HTTP on 127.0.0.1. Every wait is bounded; a child still running at destruction is killed.

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace chitragupt::testing {

// A fresh directory under /tmp, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

void write_file(const std::string& path, const std::string& text);
std::string read_file(const std::string& path);

// A TCP port on 127.0.0.1 that was free a moment ago.
int free_port();

struct ProcessResult {
  int exit_code = -1;  // -1: killed by a signal or still running
  std::string out;
  std::string err;
};

// Runs the binary to completion (bounded by `limit`).
ProcessResult run_binary(const std::vector<std::string>& args,
                         std::chrono::seconds limit = std::chrono::seconds(60));
// The same for another program (promtool, kafka-metrics-gen).
ProcessResult run_program(const std::string& binary, const std::vector<std::string>& args,
                          std::chrono::seconds limit = std::chrono::seconds(60));

struct HttpReply {
  int status = 0;  // 0: no connection
  std::string body;
  std::map<std::string, std::string> headers;  // names in lower case
  nlohmann::json json() const;
  std::string header(const std::string& lower_case_name) const;
};

HttpReply http_get(int port, const std::string& path, const std::string& bearer = "");
// Any method ("GET", "POST", "PUT", "DELETE"); a non-empty body is sent as application/json.
HttpReply http_send(int port, const std::string& method, const std::string& path,
                    const std::string& body = "", const std::string& bearer = "");

class EngineProcess {
 public:
  // Starts `chitragupt args...` (or `binary args...`) with stdout/stderr captured to files in
  // `log_dir` (named after `name`).
  EngineProcess(const std::vector<std::string>& args, const std::string& log_dir,
                const std::string& binary = CHITRAGUPT_BINARY, const std::string& name = "engine");
  ~EngineProcess();
  EngineProcess(const EngineProcess&) = delete;
  EngineProcess& operator=(const EngineProcess&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int sig) const;
  // Waits for the process to end; the exit code, or nullopt if it is still running at `limit`.
  std::optional<int> wait_exit(std::chrono::milliseconds limit);
  bool running();
  std::string stderr_text() const;
  std::string stdout_text() const;

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::string out_path_;
  std::string err_path_;
};

// A running ccloud-sim on a free loopback port (the simulator prints its address first).
class SimProcess {
 public:
  SimProcess(const std::vector<std::string>& args, const std::string& log_dir);
  int port() const { return port_; }  // 0 when it did not start
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string stderr_text() const { return process_.stderr_text(); }

 private:
  EngineProcess process_;
  int port_ = 0;
};

// Polls `probe` every 50 ms until it returns true or `limit` passes.
bool eventually(const std::function<bool()>& probe,
                std::chrono::milliseconds limit = std::chrono::milliseconds(10000));

}  // namespace chitragupt::testing
