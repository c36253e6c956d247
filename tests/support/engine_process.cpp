#include "tests/support/engine_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <httplib.h>

namespace chitragupt::testing {

TempDir::TempDir() {
  char tmpl[] = "/tmp/chitragupt-test-XXXXXX";
  if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << text;
}

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

namespace {

pid_t spawn(const std::string& bin, const std::vector<std::string>& args, const std::string& out,
            const std::string& err) {
  pid_t pid = ::fork();
  if (pid == 0) {
    int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int in = ::open("/dev/null", O_RDONLY);
    ::dup2(in, 0);
    ::dup2(o, 1);
    ::dup2(e, 2);
    std::vector<char*> argv;
    std::string program = bin;
    argv.push_back(program.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

std::optional<int> wait_for(pid_t pid, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    int status = 0;
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace

ProcessResult run_binary(const std::vector<std::string>& args, std::chrono::seconds limit) {
  return run_program(CHITRAGUPT_BINARY, args, limit);
}

ProcessResult run_program(const std::string& binary, const std::vector<std::string>& args,
                          std::chrono::seconds limit) {
  TempDir dir;
  ProcessResult r;
  pid_t pid = spawn(binary, args, dir.file("out"), dir.file("err"));
  auto code = wait_for(pid, limit);
  if (!code) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
  r.exit_code = code.value_or(-1);
  r.out = read_file(dir.file("out"));
  r.err = read_file(dir.file("err"));
  return r;
}

nlohmann::json HttpReply::json() const {
  return nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
}

std::string HttpReply::header(const std::string& lower_case_name) const {
  auto it = headers.find(lower_case_name);
  return it == headers.end() ? "" : it->second;
}

HttpReply http_get(int port, const std::string& path, const std::string& bearer) {
  return http_send(port, "GET", path, "", bearer);
}

HttpReply http_send(int port, const std::string& method, const std::string& path,
                    const std::string& body, const std::string& bearer) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(1, 0);
  client.set_read_timeout(30, 0);
  httplib::Headers headers;
  if (!bearer.empty()) headers.emplace("Authorization", "Bearer " + bearer);
  auto send = [&]() -> httplib::Result {
    if (method == "POST") return client.Post(path.c_str(), headers, body, "application/json");
    if (method == "PUT") return client.Put(path.c_str(), headers, body, "application/json");
    if (method == "DELETE") return client.Delete(path.c_str(), headers);
    return client.Get(path.c_str(), headers);
  };
  auto res = send();
  if (!res) return {};
  HttpReply reply{res->status, res->body, {}};
  for (const auto& [name, value] : res->headers) {
    std::string lower = name;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    reply.headers[lower] = value;
  }
  return reply;
}

EngineProcess::EngineProcess(const std::vector<std::string>& args, const std::string& log_dir,
                             const std::string& binary, const std::string& name)
    : out_path_(log_dir + "/" + name + ".out"), err_path_(log_dir + "/" + name + ".err") {
  pid_ = spawn(binary, args, out_path_, err_path_);
}

SimProcess::SimProcess(const std::vector<std::string>& args, const std::string& log_dir)
    : process_(
          [&] {
            std::vector<std::string> a = {"--port", "0"};
            a.insert(a.end(), args.begin(), args.end());
            return a;
          }(),
          log_dir, CCLOUD_SIM_BINARY,
          "sim-" + std::to_string(::getpid()) + "-" +
              std::to_string(reinterpret_cast<std::uintptr_t>(this))) {
  eventually(
      [&] {
        auto out = process_.stdout_text();
        auto pos = out.find("listening on ");
        auto colon = out.find(':', pos == std::string::npos ? 0 : pos);
        if (pos == std::string::npos || colon == std::string::npos ||
            out.find('\n', colon) == std::string::npos) {
          return false;
        }
        port_ = std::atoi(out.c_str() + colon + 1);
        return port_ > 0;
      },
      std::chrono::milliseconds(10000));
}

EngineProcess::~EngineProcess() {
  if (running()) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

void EngineProcess::signal(int sig) const { ::kill(pid_, sig); }

std::optional<int> EngineProcess::wait_exit(std::chrono::milliseconds limit) {
  if (!exit_code_) exit_code_ = wait_for(pid_, limit);
  return exit_code_;
}

bool EngineProcess::running() { return !wait_exit(std::chrono::milliseconds(0)).has_value(); }

std::string EngineProcess::stderr_text() const { return read_file(err_path_); }
std::string EngineProcess::stdout_text() const { return read_file(out_path_); }

bool eventually(const std::function<bool()>& probe, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (probe()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return probe();
}

}  // namespace chitragupt::testing
