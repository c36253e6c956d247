#pragma once
// Writes a SQLite database's write-ahead log to disk on a helper thread while a writer keeps
// committing.
//
// With synchronous=NORMAL SQLite syncs the WAL only when it checkpoints. The calculate stage
// defers checkpoints to its end (pipeline/calculate.cpp), and a month of dates leaves hundreds
// of MB of WAL that the final checkpoint would first have to push to the disk, with the stage
// waiting. request() after each commit asks for an fdatasync of the WAL file on the helper
// thread instead, so the disk writes while the writer computes and commits the next date. It
// only makes committed data durable sooner: SQLite's own syncs stay as they are, and a failure
// costs speed, never data (it is counted and logged once).

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace chitragupt::storage {

class WalFlusher {
 public:
  // wal_path: the database file's path plus "-wal" (SQLite's naming); opened on the first flush.
  // describe: how the log line names the database (never a secret).
  WalFlusher(std::string wal_path, std::string describe);
  // finish().
  ~WalFlusher();
  WalFlusher(const WalFlusher&) = delete;
  WalFlusher& operator=(const WalFlusher&) = delete;

  // Never waits for the disk. Requests made while a flush runs fold into one more flush.
  void request();

  struct Counts {
    std::int64_t flushes = 0;   // completed fdatasync calls
    std::int64_t failures = 0;  // flushes that could not open or sync the file
    std::string last_error;
  };
  Counts counts() const;
  // Carries out a request still pending, stops the helper thread and returns the final counts.
  // Later requests are ignored; calling it again returns the same counts.
  Counts finish();

 private:
  void run();
  std::string flush();  // on the helper thread, without the lock; "" or what failed

  const std::string wal_path_;
  const std::string describe_;
  int fd_ = -1;  // the helper thread's alone
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool requested_ = false;
  bool stopping_ = false;
  Counts counts_;
  std::thread thread_;  // last: started once everything above exists
};

}  // namespace chitragupt::storage
