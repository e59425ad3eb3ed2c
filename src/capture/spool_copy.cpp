#include "capture/spool_copy.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace spampot::capture {

namespace fs = std::filesystem;

namespace {

Status sync_path(const fs::path& p, bool dir) {
  const int fd = ::open(p.c_str(), (dir ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return Error{"cannot open " + p.string() + ": " + std::strerror(errno)};
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Error{"cannot sync " + p.string() + ": " + std::strerror(errno)};
  return {};
}

// Copies what `from` holds now; false when it is gone (retention dropped it meanwhile).
Result<bool> copy_file(const fs::path& from, const fs::path& to, std::uint64_t& bytes) {
  const int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) {
    if (errno == ENOENT) return false;
    return Error{"cannot open " + from.string() + ": " + std::strerror(errno)};
  }
  const int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (out < 0) {
    const std::string err = std::strerror(errno);
    ::close(in);
    return Error{"cannot create " + to.string() + ": " + err};
  }
  char buf[1 << 16];
  Status st;
  while (st.ok()) {
    const ssize_t n = ::read(in, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      st = Error{"cannot read " + from.string() + ": " + std::strerror(errno)};
      break;
    }
    if (n == 0) break;
    for (ssize_t off = 0; off < n && st.ok();) {
      const ssize_t w = ::write(out, buf + off, static_cast<std::size_t>(n - off));
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) {
        st = Error{"cannot write " + to.string() + ": " + std::strerror(errno)};
      } else {
        off += w;
      }
    }
    bytes += static_cast<std::uint64_t>(n);
  }
  if (st.ok() && ::fsync(out) != 0) st = Error{"cannot sync " + to.string() + ": " + std::strerror(errno)};
  ::close(in);
  ::close(out);
  if (!st.ok()) return st.failure();
  return true;
}

}  // namespace

Result<spool_copy_report> copy_spool(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  if (!fs::is_directory(from, ec)) return Error{"no spool at " + from.string()};
  if (fs::exists(to, ec) && !fs::is_empty(to, ec))
    return Error{to.string() + " is not empty: a spool is only copied into an empty directory"};
  fs::create_directories(to, ec);
  if (ec) return Error{"cannot create " + to.string() + ": " + ec.message()};
  auto segs = list_segments(from);
  if (!segs) return segs.failure();
  spool_copy_report rep;
  for (auto n : *segs) {
    auto copied = copy_file(segment_path(from, n), segment_path(to, n), rep.bytes);
    if (!copied) return copied.failure();
    if (*copied) ++rep.segments;
  }
  // The trap's own certificate and key (made on first start), so a restored trap shows the same.
  if (fs::is_directory(from / "tls", ec)) {
    fs::create_directories(to / "tls", ec);
    fs::permissions(to / "tls", fs::perms::owner_all, ec);
    for (const auto& e : fs::directory_iterator(from / "tls", ec)) {
      std::uint64_t ignored = 0;
      auto copied = copy_file(e.path(), to / "tls" / e.path().filename(), ignored);
      if (!copied) return copied.failure();
      fs::permissions(to / "tls" / e.path().filename(), fs::status(e.path(), ec).permissions(), ec);
    }
    if (auto s = sync_path(to / "tls", true); !s) return s.failure();
  }
  auto rec = recover(to);
  if (!rec) return rec.failure();
  rep.cut_bytes = rec->cut_bytes;
  rep.bytes -= rec->cut_bytes + rec->zero_bytes;
  rep.end = rec->end;
  if (auto s = sync_path(to, true); !s) return s.failure();
  return rep;
}

}  // namespace spampot::capture
