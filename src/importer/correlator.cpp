#include "importer/correlator.hpp"

#include <algorithm>

namespace spampot::importer {
namespace {

// A record's origin: its first line's time, host, queue ID and place in the file.
import_record begin_record(const log_event& e, const line_origin& at) {
  import_record r;
  r.from_mta = at.from_mta;
  r.time = at.time;
  r.host = std::string(at.host);
  r.queue_id = e.queue_id;
  r.source_file = std::string(at.file);
  r.source_line = at.line;
  return r;
}

}  // namespace

correlator::correlator(emit_fn emit, std::size_t max_pending, Micros max_age)
    : emit_(std::move(emit)), max_pending_(max_pending), max_age_(max_age) {}

void correlator::feed(const log_event& e, const line_origin& at) {
  if (e.kind == event_kind::ignored) return;
  expire(at.time);
  if (e.kind == event_kind::reject || e.kind == event_kind::lost) {
    import_record r = begin_record(e, at);
    r.reject = true;
    r.client_name = e.client_name;
    r.client_ip = e.client_ip;
    r.helo = e.helo;
    r.sender = e.sender;
    r.recipients = e.recipients;
    r.reply = e.reply;
    emit_(std::move(r));
    return;
  }
  std::string key(at.host);
  key += '\0';
  key += e.queue_id;
  auto it = pending_.find(key);
  if (it == pending_.end()) {
    if (e.kind == event_kind::done) return;  // the end of something we never saw begin
    if (pending_.size() >= max_pending_) {
      ++expired_;
      finish(order_.front());
    }
    order_.push_back(key);
    entry fresh;
    fresh.rec = begin_record(e, at);
    fresh.order = std::prev(order_.end());
    it = pending_.emplace(key, std::move(fresh)).first;
  }
  entry& en = it->second;
  en.last_seen = at.time;
  import_record& r = en.rec;
  if (!e.client_ip.empty()) {
    r.client_ip = e.client_ip;
    r.client_name = e.client_name;
  }
  if (!e.helo.empty()) r.helo = e.helo;
  if (e.has_sender && !en.has_sender) {
    r.sender = e.sender;
    en.has_sender = true;
  }
  if (e.size > 0) r.size = e.size;
  if (!e.message_id.empty()) r.message_id = e.message_id;
  if (!e.subject.empty() && r.subject.empty()) r.subject = e.subject;
  if (e.kind == event_kind::to) {
    for (const auto& rcpt : e.recipients) {
      if (!rcpt.empty() && std::find(r.recipients.begin(), r.recipients.end(), rcpt) == r.recipients.end())
        r.recipients.push_back(rcpt);
    }
  }
  if (e.kind == event_kind::done) finish(key);
}

void correlator::finish(std::string key) {
  auto it = pending_.find(key);
  if (it == pending_.end()) return;
  entry en = std::move(it->second);
  order_.erase(en.order);
  pending_.erase(it);
  if (en.has_sender) {
    emit_(std::move(en.rec));
  } else if (!en.rec.client_ip.empty()) {
    // A client that got a queue ID but never a sender (cleanup rejected it, or it hung up):
    // still an attempt by that address.
    en.rec.reject = true;
    emit_(std::move(en.rec));
  } else {
    ++dropped_;
  }
}

void correlator::expire(Micros now) {
  while (!order_.empty()) {
    const auto it = pending_.find(order_.front());
    if (it->second.last_seen + max_age_ >= now) break;
    ++expired_;
    finish(order_.front());
  }
}

void correlator::flush() {
  while (!order_.empty()) finish(order_.front());
}

}  // namespace spampot::importer
