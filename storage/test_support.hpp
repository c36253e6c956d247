#pragma once
// Test helpers shared by storage/, cli/ and actors/ tests: a temporary directory removed
// afterwards, the list of known migration versions.

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "storage/migrator.hpp"

namespace chitragupt::storage::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "chitragupt-test-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  // "sqlite:////tmp/chitragupt-test-XXXXXX/<name>"
  std::string sqlite_url(const std::string& name) const { return "sqlite:///" + file(name); }

 private:
  std::string path_;
};

// Every migration version this binary knows, 1..head: what a new database has applied.
inline std::vector<int> all_versions() {
  std::vector<int> v;
  for (int i = 1; i <= head_version(); ++i) v.push_back(i);
  return v;
}

}  // namespace chitragupt::storage::testing
