#include "pipeline/raw_source.hpp"

#include <filesystem>

#include "capture/records.hpp"

namespace spampot::pipeline {

raw_source::raw_source(store::store& st, std::string given, std::string configured)
    : store_(st), given_(std::move(given)), configured_(std::move(configured)) {}

Result<capture::record> raw_source::read_in(const std::string& spool, const store::message_row& m) {
  auto& r = readers_[spool];
  if (!r) r = std::make_unique<capture::journal_reader>(spool);
  auto rec = r->read_at({m.spool_segment, m.spool_offset});
  if (!rec) return rec.failure();
  auto env = capture::parse_envelope(rec->meta);
  if (!env || env->id != m.id) return Error{spool + " holds another record where " + m.id + " would be"};
  return rec;
}

Result<capture::record> raw_source::read(const store::message_row& m) {
  if (m.imported) return Error{m.id + " was imported from a maillog (" + m.source + "): there is no message body"};
  if (!given_.empty()) return read_in(given_, m);
  // One question to the store per sensor, not per message (search --maildir writes thousands).
  auto known = recorded_.find(m.sensor);
  if (known == recorded_.end()) {
    auto got = store_.recorded_spool(m.sensor);
    if (!got) return got.failure();
    known = recorded_.emplace(m.sensor, std::move(*got)).first;
  }
  std::optional<std::string>* recorded = &known->second;
  std::string tried;
  for (const std::string* spool : {recorded->has_value() ? &**recorded : nullptr, &configured_}) {
    std::error_code ec;
    if (!spool || spool->empty() || !std::filesystem::is_directory(*spool, ec)) continue;
    auto rec = read_in(*spool, m);
    if (rec) return rec;
    tried += (tried.empty() ? "" : "; ") + rec.error();
  }
  if (recorded->has_value())
    return Error{"the raw text of " + m.id + " is in sensor " + m.sensor + "'s spool " + **recorded +
                 ", which is not on this machine" + (tried.empty() ? "" : " (" + tried + ")") +
                 ": give --spool DIR to read it from a copy of that spool"};
  return Error{"no spool here holds the raw text of " + m.id + " (sensor " + m.sensor + ")" +
               (tried.empty() ? "" : " (" + tried + ")") + ": give --spool DIR, the spool of sensor " + m.sensor};
}

}  // namespace spampot::pipeline
