#include "capture/journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "metrics/metrics.hpp"

namespace spampot::capture {

namespace fs = std::filesystem;

namespace {

Status sync_dir(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Error{"cannot open " + dir.string() + ": " + std::strerror(errno)};
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Error{"cannot sync " + dir.string() + ": " + std::strerror(errno)};
  return {};
}

}  // namespace

Result<std::unique_ptr<journal>> journal::open(const journal_options& opts) {
  // A position is packed into 64 bits with 40 for the offset (set_durable).
  if (opts.segment_bytes > (std::uint64_t{1} << 39)) return Error{"segment_bytes must be at most 512 GiB"};
  std::error_code ec;
  fs::create_directories(opts.dir, ec);
  if (ec) return Error{"cannot create spool " + opts.dir.string() + ": " + ec.message()};
  auto rep = recover(opts.dir);
  if (!rep) return Error{rep.error()};
  const fs::path path = segment_path(opts.dir, rep->end.segment);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) return Error{"cannot open " + path.string() + ": " + std::strerror(errno)};
  if (auto s = sync_dir(opts.dir); !s) {
    ::close(fd);
    return Error{s.error()};
  }
  return std::unique_ptr<journal>(new journal(opts, *rep, fd));
}

journal::journal(journal_options opts, recovery_report rep, int fd)
    : opts_(std::move(opts)), recovered_(rep), fd_(fd), end_(rep.end), zeroed_to_(rep.end.offset) {
  set_durable(rep.end);
  thread_ = std::thread([this] { run(); });
}

journal::~journal() {
  stop();
  if (fd_ >= 0) ::close(fd_);
}

void journal::append(record r, done_fn done) {
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      queue_.push_back({std::move(r), std::move(done), std::chrono::steady_clock::now()});
      awaited_ = true;
      wake_writer_.notify_one();
      return;
    }
  }
  done(Error{"journal is stopped"});
}

void journal::append_lazily(record r) {
  std::lock_guard lock(mu_);
  if (stopping_) return;  // stop() has flushed what it will: too late for this one
  queue_.push_back({std::move(r), [](Result<position>) {}, std::chrono::steady_clock::now()});
  wake_writer_.notify_one();
}

position journal::durable_end() const {
  const std::uint64_t v = durable_.load(std::memory_order_acquire);
  return {static_cast<std::uint32_t>(v >> 40), v & ((std::uint64_t{1} << 40) - 1)};
}

journal::durable_mark journal::durable() const {
  // The count is read first and moves after the end: it never runs ahead of the end read here.
  const std::uint64_t records = durable_records_.load(std::memory_order_acquire);
  return {durable_end(), records};
}

void journal::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
    wake_writer_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

void journal::run() {
  std::vector<pending> batch;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      wake_writer_.wait(lock, [&] { return !queue_.empty() || stopping_; });
      if (queue_.empty() && stopping_) return;
      if (!awaited_) wake_writer_.wait_for(lock, opts_.lazy_sync, [&] { return awaited_ || stopping_; });
      batch.swap(queue_);
      awaited_ = false;
    }
    write_batch(batch);
    batch.clear();
  }
}

Status journal::open_segment(std::uint32_t segment) {
  const fs::path path = segment_path(opts_.dir, segment);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) return Error{"cannot open " + path.string() + ": " + std::strerror(errno)};
  if (auto s = sync_dir(opts_.dir); !s) {
    ::close(fd);
    return s;
  }
  // The finished segment loses its zeroes, so its size is its records' again. Readers stop at a
  // zero header anyway: if this fails, or a crash comes first, nothing is misread.
  (void)::ftruncate(fd_, static_cast<off_t>(end_.offset));
  ::close(fd_);
  fd_ = fd;
  end_ = {segment, 0};
  zeroed_to_ = 0;
  return {};
}

namespace {

// All of `bytes` at `at`; false with errno set when the file refuses them.
bool write_at(int fd, const char* bytes, std::size_t size, std::uint64_t at) {
  std::size_t off = 0;
  while (off < size) {
    const ssize_t n = ::pwrite(fd, bytes + off, size - off, static_cast<off_t>(at + off));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = ENOSPC;
      return false;
    }
    off += static_cast<std::size_t>(n);
  }
  return true;
}

// How far ahead of the records zeroes are laid: the sync that extends the file pays for its
// inode once per this many bytes instead of on every write.
constexpr std::uint64_t kZeroAhead = 256 * 1024;
// Where they are written from: zero-initialised and never written, so its pages are the
// kernel's shared zero page, not 256 KiB of the trap's memory (a std::string of zeroes was).
char zeroes[kZeroAhead];

}  // namespace

Status journal::write_all(const std::string& bytes, std::uint64_t at) {
  const auto start = std::chrono::steady_clock::now();
  if (!write_at(fd_, bytes.data(), bytes.size(), at))
    return Error{std::string("spool write failed: ") + std::strerror(errno)};
  const std::uint64_t written = at + bytes.size();
  if (written > zeroed_to_) {
    // Zeroes for the next writes, in this sync. A disk too full for them only costs the next
    // syncs their speed: the records still go where they fit.
    const std::uint64_t until =
        std::max(written, std::min<std::uint64_t>(written + kZeroAhead, opts_.segment_bytes));
    zeroed_to_ = written;
    if (until > written && write_at(fd_, zeroes, until - written, written)) zeroed_to_ = until;
  }
  if (::fdatasync(fd_) != 0)
    return Error{std::string("spool sync failed: ") + std::strerror(errno)};
  metrics::journal_synced(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return {};
}

void journal::write_batch(std::vector<pending>& batch) {
  // Frames for the current segment collect in `buf`; a full segment is written, synced and
  // closed before the next is opened, so a record never spans two segments.
  std::string buf;
  std::vector<position> where(batch.size());
  std::size_t first_unsynced = 0;
  Status failure;

  auto flush = [&](std::size_t upto) {
    if (buf.empty()) return;
    const std::uint64_t start = end_.offset - buf.size();
    if (auto s = write_all(buf, start); !s) {
      failure = s;
      // Cut what reached the file so the tail ends on a record edge again. If even that fails the
      // file's end is unknown: refuse every later append (451) rather than write after garbage.
      if (::ftruncate(fd_, static_cast<off_t>(start)) != 0) broken_ = true;
      end_.offset = start;
      zeroed_to_ = start;
      return;
    }
    buf.clear();
    set_durable(end_);
    durable_records_.fetch_add(upto - first_unsynced, std::memory_order_release);
    const auto now = std::chrono::steady_clock::now();
    for (std::size_t i = first_unsynced; i < upto; ++i) {
      // Only a message that got through says the trap takes mail again; a small session record
      // fits where the message that failed did not.
      if (batch[i].rec.type == record_type::message) writable_ = true;
      metrics::journal_appended(std::chrono::duration<double>(now - batch[i].since).count());
      batch[i].done(where[i]);
    }
    first_unsynced = upto;
  };

  if (broken_) failure = Error{"spool is unusable after a failed write; restart to recover it"};
  for (std::size_t i = 0; i < batch.size() && failure.ok(); ++i) {
    std::string frame = encode_frame(batch[i].rec, opts_.zstd_level);
    if (end_.offset > 0 && end_.offset + frame.size() > opts_.segment_bytes) {
      flush(i);
      if (!failure.ok()) break;
      if (auto s = open_segment(end_.segment + 1); !s) {
        failure = s;
        break;
      }
      set_durable(end_);
    }
    where[i] = end_;
    end_.offset += frame.size();
    buf += frame;
  }
  if (failure.ok()) flush(batch.size());
  if (!failure.ok()) {
    writable_ = false;
    metrics::journal_failed();
    for (std::size_t i = first_unsynced; i < batch.size(); ++i)
      batch[i].done(Error{failure.error()});
  }
}

}  // namespace spampot::capture
