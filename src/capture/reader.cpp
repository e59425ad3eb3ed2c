#include "capture/reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace spampot::capture {

journal_reader::journal_reader(std::filesystem::path dir) : dir_(std::move(dir)) {}

journal_reader::~journal_reader() {
  if (fd_ >= 0) ::close(fd_);
}

Status journal_reader::open_segment(std::uint32_t segment) {
  if (fd_ >= 0 && open_segment_ == segment) return {};
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  const auto path = segment_path(dir_, segment);
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) return Error{"cannot open " + path.string() + ": " + std::strerror(errno)};
  open_segment_ = segment;
  return {};
}

namespace {

bool pread_all(int fd, char* buf, std::size_t n, std::uint64_t off) {
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = ::pread(fd, buf + got, n - got, static_cast<off_t>(off + got));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    got += static_cast<std::size_t>(r);
  }
  return true;
}

bool all_zero(std::string_view bytes) {
  return bytes.find_first_not_of('\0') == std::string_view::npos;
}

// A record's place, for an error that names it.
std::string place_of(const std::filesystem::path& dir, position at) {
  return segment_path(dir, at.segment).string() + " at " + std::to_string(at.offset);
}

}  // namespace

Result<record> journal_reader::read_at(position at) {
  auto d = read_frame(at);
  if (!d) return Error{d.error()};
  if (!*d) return Error{"no record in " + place_of(dir_, at)};
  return std::move((*d)->rec);
}

Result<std::optional<decoded>> journal_reader::read_frame(position at) {
  if (auto s = open_segment(at.segment); !s) return Error{s.error()};
  std::string header(kFrameHeaderBytes, '\0');
  const std::string where = place_of(dir_, at);
  if (!pread_all(fd_, header.data(), header.size(), at.offset))
    return Error{"no record in " + where};
  if (all_zero(header)) return std::optional<decoded>();
  const std::size_t total = frame_length(header);
  if (total == 0) return Error{"damaged record header in " + where};
  std::string frame(total, '\0');
  if (!pread_all(fd_, frame.data(), total, at.offset)) return Error{"truncated record in " + where};
  decoded d = decode_frame(frame);
  if (d.status != decode_status::ok) return Error{"damaged record in " + where};
  return std::optional<decoded>(std::move(d));
}

Result<std::optional<position>> journal_reader::seek(position cursor, position end) {
  while (cursor < end) {
    if (auto s = open_segment(cursor.segment); !s) {
      // A segment may be missing (retention dropped it): go on with the next one.
      if (cursor.segment >= end.segment) return std::optional<position>();
      cursor = {cursor.segment + 1, 0};
      continue;
    }
    struct stat st {};
    if (::fstat(fd_, &st) != 0)
      return Error{std::string("cannot stat segment: ") + std::strerror(errno)};
    const auto size = static_cast<std::uint64_t>(st.st_size);
    const std::uint64_t limit = cursor.segment == end.segment ? std::min(size, end.offset) : size;
    if (cursor.offset < limit) return std::optional<position>(cursor);
    if (cursor.segment >= end.segment) return std::optional<position>();
    cursor = {cursor.segment + 1, 0};
  }
  return std::optional<position>();
}

Result<std::optional<entry>> journal_reader::next(position cursor, position end) {
  for (;;) {
    auto at = seek(cursor, end);
    if (!at) return at.failure();
    if (!*at) return std::optional<entry>();
    auto d = read_frame(**at);
    if (!d) return Error{d.error()};
    if (!*d) {
      if ((*at)->segment >= end.segment) return std::optional<entry>();
      cursor = {(*at)->segment + 1, 0};
      continue;
    }
    const position next{(*at)->segment, (*at)->offset + (*d)->frame_bytes};
    return std::optional<entry>(entry{**at, next, std::move((*d)->rec)});
  }
}

Result<std::uint64_t> journal_reader::count(position from, position to) {
  std::uint64_t n = 0;
  std::string header(kFrameHeaderBytes, '\0');
  for (;;) {
    auto at = seek(from, to);
    if (!at) return at.failure();
    if (!*at) break;
    // From the headers alone; a damaged one ends the count (the indexer says so when it gets there).
    if (!pread_all(fd_, header.data(), header.size(), (*at)->offset)) break;
    if (all_zero(header)) {  // the segment's records end here
      if ((*at)->segment >= to.segment) break;
      from = {(*at)->segment + 1, 0};
      continue;
    }
    const std::size_t total = frame_length(header);
    if (total == 0) break;
    from = {(*at)->segment, (*at)->offset + total};
    ++n;
  }
  return n;
}

Result<position> journal_reader::end_of_spool() {
  auto segs = list_segments(dir_);
  if (!segs) return Error{segs.error()};
  if (segs->empty()) return position{1, 0};
  std::error_code ec;
  const auto size = std::filesystem::file_size(segment_path(dir_, segs->back()), ec);
  if (ec) return Error{"cannot stat last segment: " + ec.message()};
  return position{segs->back(), size};
}

}  // namespace spampot::capture
