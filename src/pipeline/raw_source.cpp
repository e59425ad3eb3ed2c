#include "pipeline/raw_source.hpp"

#include <filesystem>

#include "base/time.hpp"
#include "capture/records.hpp"
#include "capture/trace_headers.hpp"
#include "pipeline/kept_raw.hpp"

namespace spampot::pipeline {

raw_source::raw_source(store::store& st, std::string given, std::string configured)
    : store_(st), given_(std::move(given)), configured_(std::move(configured)) {}

Result<std::string> raw_source::read_in(const std::string& spool, const store::message_row& m) {
  auto& r = readers_[spool];
  if (!r) r = std::make_unique<capture::journal_reader>(spool);
  auto rec = r->read_at({m.spool_segment, m.spool_offset});
  if (!rec) return rec.failure();
  auto env = capture::parse_envelope(rec->meta);
  if (!env || env->id != m.id) return Error{spool + " holds another record where " + m.id + " would be"};
  return capture::delivered_form(*env, rec->body);
}

Result<std::optional<std::string>> raw_source::expired(const store::message_row& m) {
  // One question per sensor for where its expiry reaches; the exact segment only for the message
  // that is past it.
  auto last = last_expired_.find(m.sensor);
  if (last == last_expired_.end()) {
    auto got = store_.last_expired_segment(m.sensor);
    if (!got) return got.failure();
    last = last_expired_.emplace(m.sensor, *got ? (*got)->segment : 0).first;
  }
  if (m.spool_segment > last->second) return std::optional<std::string>{};
  auto seg = store_.expired_segment(m.sensor, m.spool_segment);
  if (!seg) return seg.failure();
  if (!*seg) return std::optional<std::string>{};
  return std::optional<std::string>{"the raw text of " + m.id + " expired on " + format_rfc3339((*seg)->expired_at, false) +
                                    ": retention (" + (*seg)->reason + ") dropped spool segment " +
                                    std::to_string(m.spool_segment) + " of sensor " + m.sensor +
                                    "; its envelope, headers and forensics are still in the store"};
}

Result<std::string> raw_source::delivered(const store::message_row& m) {
  if (m.imported) return Error{m.id + " was imported from a maillog (" + m.source + "): there is no message body"};
  std::string tried;
  auto note = [&](const std::string& why) { tried += (tried.empty() ? "" : "; ") + why; };
  if (!given_.empty()) {
    // A copy of the spool (a backup) may still hold what retention dropped here.
    auto text = read_in(given_, m);
    if (text) return text;
    note(text.error());
  }
  auto kept = store_.find_raw(m.id);
  if (!kept) return kept.failure();
  if (*kept) {
    auto text = unpack_raw(**kept);
    if (text) return text;
    note(text.error());
  }
  auto gone = expired(m);
  if (!gone) return gone.failure();
  if (*gone) return Error{**gone};
  if (!given_.empty()) return Error{tried};
  // One question to the store per sensor, not per message (search --maildir writes thousands).
  auto known = recorded_.find(m.sensor);
  if (known == recorded_.end()) {
    auto got = store_.recorded_spool(m.sensor);
    if (!got) return got.failure();
    known = recorded_.emplace(m.sensor, std::move(*got)).first;
  }
  std::optional<std::string>* recorded = &known->second;
  for (const std::string* spool : {recorded->has_value() ? &**recorded : nullptr, &configured_}) {
    std::error_code ec;
    if (!spool || spool->empty() || !std::filesystem::is_directory(*spool, ec)) continue;
    auto text = read_in(*spool, m);
    if (text) return text;
    note(text.error());
  }
  if (recorded->has_value())
    return Error{"the raw text of " + m.id + " is in sensor " + m.sensor + "'s spool " + **recorded +
                 ", which is not on this machine" + (tried.empty() ? "" : " (" + tried + ")") +
                 ": give --spool DIR to read it from a copy of that spool"};
  return Error{"no spool here holds the raw text of " + m.id + " (sensor " + m.sensor + ")" +
               (tried.empty() ? "" : " (" + tried + ")") + ": give --spool DIR, the spool of sensor " + m.sensor};
}

}  // namespace spampot::pipeline
