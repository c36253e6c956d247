#pragma once
// Test helpers shared by storage/ and cli/ tests: a temporary directory removed afterwards.

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>

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

}  // namespace chitragupt::storage::testing
