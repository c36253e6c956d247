#include "storage/wal_flusher.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include <spdlog/spdlog.h>

namespace chitragupt::storage {

WalFlusher::WalFlusher(std::string wal_path, std::string describe)
    : wal_path_(std::move(wal_path)), describe_(std::move(describe)), thread_([this] { run(); }) {}

WalFlusher::~WalFlusher() { finish(); }

WalFlusher::Counts WalFlusher::finish() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  return counts();
}

void WalFlusher::request() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    requested_ = true;
  }
  wake_.notify_one();
}

WalFlusher::Counts WalFlusher::counts() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return counts_;
}

void WalFlusher::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return requested_ || stopping_; });
    if (!requested_) return;  // stopping, nothing left to do
    requested_ = false;
    lock.unlock();
    const std::string error = flush();
    lock.lock();
    if (error.empty()) {
      ++counts_.flushes;
      continue;
    }
    if (++counts_.failures == 1) {
      spdlog::warn("event=wal_flush_failed database={} error=\"{}\" (checkpoints still sync it)",
                   describe_, error);
    }
    counts_.last_error = error;
  }
}

std::string WalFlusher::flush() {
  if (fd_ < 0) fd_ = ::open(wal_path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) return std::string("cannot open the WAL file: ") + std::strerror(errno);
  if (::fdatasync(fd_) != 0) {
    return std::string("fdatasync of the WAL file failed: ") + std::strerror(errno);
  }
  return {};
}

}  // namespace chitragupt::storage
