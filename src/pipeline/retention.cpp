#include "pipeline/retention.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>
#include <set>

#include "capture/segments.hpp"
#include "metrics/metrics.hpp"

namespace spampot::pipeline {

namespace fs = std::filesystem;

Result<std::vector<capture::segment_info>> spool_segments(const fs::path& spool) {
  auto numbers = capture::list_segments(spool);
  if (!numbers) return numbers.failure();
  std::vector<capture::segment_info> out;
  for (auto n : *numbers) {
    struct stat st {};
    if (::stat(capture::segment_path(spool, n).c_str(), &st) != 0) {
      if (errno == ENOENT) continue;  // dropped meanwhile
      return Error{"cannot stat " + capture::segment_path(spool, n).string() + ": " + std::strerror(errno)};
    }
    out.push_back({n, static_cast<std::uint64_t>(st.st_size),
                   static_cast<Micros>(st.st_mtim.tv_sec) * kMicrosPerSecond + st.st_mtim.tv_nsec / 1000});
  }
  return out;
}

namespace {

Result<std::uint64_t> free_bytes(const fs::path& dir) {
  struct statvfs v {};
  if (::statvfs(dir.c_str(), &v) != 0) return Error{"cannot stat the file system of " + dir.string() + ": " + std::strerror(errno)};
  return static_cast<std::uint64_t>(v.f_bavail) * v.f_frsize;
}

std::string human_size(std::uint64_t bytes) {
  if (bytes < 1024) return fmt::format("{} bytes", bytes);
  if (bytes < (1 << 20)) return fmt::format("{:.1f} KiB", static_cast<double>(bytes) / 1024);
  if (bytes < (1 << 30)) return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1 << 20));
  return fmt::format("{:.1f} GiB", static_cast<double>(bytes) / (1 << 30));
}

}  // namespace

Result<spool_usage> measure_spool(const fs::path& spool) {
  auto segs = spool_segments(spool);
  if (!segs) return segs.failure();
  auto free = free_bytes(spool);
  if (!free) return free.failure();
  spool_usage u{0, segs->size(), *free};
  for (const auto& s : *segs) u.bytes += s.bytes;
  return u;
}

retention::retention(store::store& st, retention_options o) : store_(st), o_(std::move(o)) {}

bool retention::active() const {
  return o_.budget.max_age > 0 || o_.budget.max_spool > 0 || o_.budget.min_free > 0 || o_.rows_max_age > 0;
}

Result<retention_pass> retention::run_once(Micros now) {
  retention_pass pass;
  auto segs = spool_segments(o_.spool);
  if (!segs) return segs.failure();
  auto cp = store_.checkpoint(o_.sensor);
  if (!cp) return cp.failure();
  auto q = store_.quarantined(o_.sensor);
  if (!q) return q.failure();
  std::set<std::uint32_t> held;
  for (const auto& r : *q) held.insert(r.at.segment);
  auto free = free_bytes(o_.spool);
  if (!free) return free.failure();

  const auto plan = capture::plan_retention(*segs, {cp->segment, cp->offset}, held, *free, o_.budget, now);
  for (const auto& d : plan.drops) {
    const auto path = capture::segment_path(o_.spool, d.segment.segment);
    store::expired_segment_row e{o_.sensor, d.segment.segment, d.segment.bytes, d.segment.newest_at,
                                 std::string(capture::to_string(d.reason)), now};
    if (auto s = store_.expire_segment(e); !s) return s.failure();
    std::error_code ec;
    if (!fs::remove(path, ec) && ec) {
      spdlog::error("retention: cannot remove {}: {}", path.string(), ec.message());
      break;
    }
    ++pass.segments;
    pass.bytes += d.segment.bytes;
    metrics::retention_dropped(capture::to_string(d.reason), d.segment.bytes);
    spdlog::info("retention: dropped spool segment {} ({}, newest record {}; {}): its messages' raw text is "
                 "expired, their rows stay",
                 path.filename().string(), human_size(d.segment.bytes), format_rfc3339(d.segment.newest_at),
                 capture::to_string(d.reason));
  }
  pass.spool_over = plan.spool_over;
  pass.free_short = plan.free_short;
  if ((plan.spool_over || plan.free_short) && !warned_short_) {
    spdlog::warn("retention: the budget is not met ({} over max_spool, {} short of min_free): what is left is "
                 "the open segment, not yet indexed, or holds a quarantined record",
                 human_size(plan.spool_over), human_size(plan.free_short));
    warned_short_ = true;
  } else if (!plan.spool_over && !plan.free_short) {
    warned_short_ = false;
  }

  if (o_.rows_max_age > 0) {
    auto del = store_.delete_rows_before(o_.sensor, now - o_.rows_max_age, now);
    if (!del) return del.failure();
    pass.rows = *del;
    metrics::retention_deleted("messages", del->messages);
    metrics::retention_deleted("sessions", del->sessions);
    metrics::retention_deleted("http_requests", del->http_requests);
    if (del->messages + del->sessions + del->http_requests > 0)
      spdlog::info("retention: deleted {} messages, {} sessions and {} seed page requests older than {} "
                   "(the harvest counters keep them)",
                   del->messages, del->sessions, del->http_requests, format_rfc3339(now - o_.rows_max_age));
  }
  return pass;
}

Result<std::unique_ptr<retention_worker>> retention_worker::make(const std::string& db_url, retention_options o) {
  auto st = store::open(db_url, store::reach::later);
  if (!st) return st.failure();
  return std::unique_ptr<retention_worker>(new retention_worker(std::move(*st), std::move(o)));
}

retention_worker::retention_worker(std::unique_ptr<store::store> st, retention_options o)
    : store_(std::move(st)), r_(*store_, o), interval_(o.check_interval) {}

retention_worker::~retention_worker() { stop(); }

void retention_worker::start() { thread_ = std::thread([this] { run(); }); }

void retention_worker::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void retention_worker::run() {
  std::string failing;
  for (;;) {
    auto p = r_.run_once(now_micros());
    if (!p) {
      // The store or the spool refuses now; the next pass tries again. Nothing was lost: a segment
      // goes only after the store recorded it.
      if (p.error() != failing) spdlog::error("retention: {} (trying again in the next pass)", p.error());
      failing = p.error();
    } else {
      failing.clear();
    }
    std::unique_lock lock(mu_);
    if (wake_.wait_for(lock, std::chrono::microseconds(interval_), [&] { return stopping_; })) return;
  }
}

}  // namespace spampot::pipeline
