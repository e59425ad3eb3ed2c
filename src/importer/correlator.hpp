// Joins the lines of one queue entry (by logging host and queue ID) into one record, and turns a
// refusal line into a record of its own.
//
// Memory stays flat on any input: at most `max_pending` entries wait for their later lines, and
// an entry not touched for `max_age` of log time is emitted as it is (or dropped when it holds
// nothing worth keeping). Both are counted, so the import summary tells.
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>

#include "importer/events.hpp"

namespace spampot::importer {

struct line_origin {
  mta from_mta;
  Micros time;
  std::string_view host;
  std::string_view file;
  std::uint64_t line;
};

class correlator {
 public:
  using emit_fn = std::function<void(import_record&&)>;

  correlator(emit_fn emit, std::size_t max_pending = 100'000, Micros max_age = 24LL * 3600 * kMicrosPerSecond);

  void feed(const log_event& e, const line_origin& at);
  // End of input: every waiting entry is emitted (or dropped if empty).
  void flush();

  std::size_t pending() const { return pending_.size(); }
  std::uint64_t expired() const { return expired_; }
  std::uint64_t dropped() const { return dropped_; }

 private:
  struct entry {
    import_record rec;
    bool has_sender = false;
    Micros last_seen = 0;
    std::list<std::string>::iterator order;
  };

  void finish(std::string key);  // by value: the key may live in order_, which finish() edits
  void expire(Micros now);

  emit_fn emit_;
  std::size_t max_pending_;
  Micros max_age_;
  std::unordered_map<std::string, entry> pending_;
  std::list<std::string> order_;  // keys, oldest first
  std::uint64_t expired_ = 0;
  std::uint64_t dropped_ = 0;
};

}  // namespace spampot::importer
