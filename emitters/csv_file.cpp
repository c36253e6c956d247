#include "emitters/csv_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "allocation/money.hpp"
#include "common/csv.hpp"

namespace chitragupt::emitters {
namespace {

std::string iso(const std::string& ts) {  // "YYYY-MM-DD HH:MM:SS" -> "YYYY-MM-DDTHH:MM:SS+00:00"
  if (ts.size() < 19) return ts;
  return ts.substr(0, 10) + "T" + ts.substr(11, 8) + "+00:00";
}

std::string reason() { return std::strerror(errno); }

}  // namespace

std::string chargeback_csv(const std::vector<EmittedRow>& rows, const std::string& ecosystem,
                           const std::string& tenant_id) {
  std::string out =
      "ecosystem,tenant_id,timestamp,resource_id,product_category,product_type,identity_id,"
      "cost_type,amount,allocation_method,allocation_detail\n";
  out.reserve(rows.size() * 160);
  for (const auto& r : rows) {
    for (const std::string* v : {&ecosystem, &tenant_id}) {
      append_csv_field(out, *v);
      out += ',';
    }
    out += iso(r.timestamp);
    for (const std::string* v :
         {&r.resource_id, &r.product_category, &r.product_type, &r.identity_id, &r.cost_type}) {
      out += ',';
      append_csv_field(out, *v);
    }
    out += ',';
    out += allocation::Money::from_units(r.amount_units).to_string();
    out += ',';
    append_csv_field(out, r.allocation_method);
    out += ',';
    append_csv_field(out, r.allocation_detail);
    out += '\n';
  }
  return out;
}

Status write_file_atomically(const std::string& dir, const std::string& file_name,
                             const std::string& content) {
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0 && errno == ENOENT) {
    // Created if missing, parents included, as the original's csv emitter does.
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Status::error("creating output_dir '" + dir + "': " + ec.message());
  }
  if (::stat(dir.c_str(), &st) != 0) {
    return Status::error("output_dir '" + dir + "': " + reason());
  }
  if (!S_ISDIR(st.st_mode)) return Status::error("output_dir '" + dir + "' is not a directory");
  const std::string final_path = dir + "/" + file_name;
  std::string tmp = dir + "/." + file_name + ".tmp-XXXXXX";
  int fd = ::mkstemp(tmp.data());
  if (fd < 0) return Status::error("cannot write in output_dir '" + dir + "': " + reason());
  auto fail = [&](const std::string& what) {
    std::string message = what + " '" + tmp + "': " + reason();
    if (fd >= 0) ::close(fd);
    ::unlink(tmp.c_str());
    return Status::error(message);
  };
  ::fchmod(fd, 0644);
  std::size_t written = 0;
  while (written < content.size()) {
    ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("writing");
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) return fail("fsync of");
  if (::close(fd) != 0) {
    fd = -1;
    return fail("closing");
  }
  fd = -1;
  if (::rename(tmp.c_str(), final_path.c_str()) != 0) {
    std::string message = "renaming '" + tmp + "' to '" + final_path + "': " + reason();
    ::unlink(tmp.c_str());
    return Status::error(message);
  }
  // The rename itself is durable only once the directory is synced.
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Status::ok();
}

}  // namespace chitragupt::emitters
