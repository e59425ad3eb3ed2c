#include "capture/segments.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "capture/frame.hpp"

namespace spampot::capture {

namespace fs = std::filesystem;

fs::path segment_path(const fs::path& dir, std::uint32_t segment) {
  char name[32];
  std::snprintf(name, sizeof name, "%08u.spj", segment);
  return dir / name;
}

Result<std::vector<std::uint32_t>> list_segments(const fs::path& dir) {
  std::vector<std::uint32_t> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() != 12 || !name.ends_with(".spj")) continue;
    std::uint32_t n = 0;
    bool digits = true;
    for (char c : name.substr(0, 8)) {
      if (c < '0' || c > '9') digits = false;
      n = n * 10 + static_cast<std::uint32_t>(c - '0');
    }
    if (digits && n > 0) out.push_back(n);
  }
  if (ec) return Error{"cannot list spool " + dir.string() + ": " + ec.message()};
  std::sort(out.begin(), out.end());
  return out;
}

Result<recovery_report> recover(const fs::path& dir) {
  auto segs = list_segments(dir);
  if (!segs) return Error{segs.error()};
  recovery_report rep;
  if (segs->empty()) return rep;
  rep.end.segment = segs->back();
  const fs::path path = segment_path(dir, rep.end.segment);

  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return Error{"cannot open " + path.string() + ": " + std::strerror(errno)};
  std::string data;
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      const std::string err = std::strerror(errno);
      ::close(fd);
      return Error{"cannot read " + path.string() + ": " + err};
    }
    if (n == 0) break;
    data.append(buf, static_cast<std::size_t>(n));
  }
  std::size_t off = 0;
  while (off < data.size()) {
    const decoded d = decode_frame(std::string_view(data).substr(off));
    if (d.status != decode_status::ok) break;
    off += d.frame_bytes;
    ++rep.records;
  }
  rep.end.offset = off;
  // After the records come the zeroes the writer lays ahead of them (journal.hpp), and after a
  // crash perhaps a torn record among them.
  const std::size_t last = data.find_last_not_of('\0');
  const std::size_t torn_end = last == std::string::npos || last < off ? off : last + 1;
  rep.cut_bytes = torn_end - off;
  rep.zero_bytes = data.size() - torn_end;
  if (data.size() > off) {
    // Only the tail can be torn: everything before it was fdatasync'd before its 250.
    if (::ftruncate(fd, static_cast<off_t>(off)) != 0 || ::fsync(fd) != 0) {
      const std::string err = std::strerror(errno);
      ::close(fd);
      return Error{"cannot truncate torn tail of " + path.string() + ": " + err};
    }
  }
  ::close(fd);
  return rep;
}

}  // namespace spampot::capture
