#include "pipeline/import_rows.hpp"

#include <nlohmann/json.hpp>

#include "base/digest.hpp"
#include "base/domain.hpp"
#include "base/escape.hpp"
#include "importer/record_text.hpp"
#include "pipeline/rows.hpp"

namespace spampot::pipeline {
namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

std::string source_of(const importer::import_record& r) {
  return r.source_file + ":" + std::to_string(r.source_line);
}

std::string sensor_of(const importer::import_record& r, std::string_view sensor) {
  return sensor.empty() ? (r.host.empty() ? std::string("imported") : r.host) : std::string(sensor);
}

}  // namespace

std::string import_id(const importer::import_record& r) {
  // Whole seconds: the same log kept by two syslog daemons (one with microseconds, one without)
  // is the same events, and must import once.
  const Micros second = r.time - ((r.time % kMicrosPerSecond) + kMicrosPerSecond) % kMicrosPerSecond;
  std::string key = std::string(importer::to_string(r.from_mta)) + '\0' + r.host + '\0' + r.queue_id + '\0' +
                    std::to_string(second) + '\0' + r.client_ip + '\0' + r.sender + '\0' + r.reply;
  for (const auto& rc : r.recipients) key += '\0' + rc;
  const std::string digest = sha256_hex(key);
  std::uint64_t h = std::stoull(digest.substr(0, 15), nullptr, 16);
  std::string id;
  const auto t = static_cast<std::uint64_t>(second);
  for (int i = 10; i >= 0; --i) id += kAlphabet[(t >> (i * 5)) & 31];
  for (int i = 7; i >= 0; --i) id += kAlphabet[(h >> (i * 5)) & 31];
  return id;
}

store::message_row imported_message(const importer::import_record& r, std::string_view sensor) {
  store::message_row m;
  m.id = import_id(r);
  m.sensor = sensor_of(r, sensor);
  m.received_at = r.time;
  m.client_ip = r.client_ip;
  m.helo = r.helo;
  m.mail_from = r.sender;
  m.mail_from_domain = domain_of(r.sender);
  m.rcpt_to = r.recipients;
  m.size = r.size;
  m.message_id = r.message_id;
  m.subject = r.subject;
  m.flags = "imported";
  m.imported = true;
  m.source = source_of(r);
  return m;
}

session_record imported_attempt(const importer::import_record& r, std::string_view sensor) {
  session_record s;
  s.id = import_id(r);
  s.sensor = sensor_of(r, sensor);
  s.started_at = s.ended_at = r.time;
  s.client_ip = r.client_ip;
  s.helo = r.helo;
  s.helo_verb = r.helo.empty() ? "" : "HELO";
  s.end_reason = "imported";
  for (const auto& rc : r.recipients) s.recipients.push_back({rc, domain_of(rc), false, false, r.reply});
  if (!r.sender.empty()) s.senders.push_back(r.sender);
  s.violations.push_back({r.time, "imported_refusal", escape_for_log(r.reply, 200)});
  s.transcript = "imported from " + source_of(r) + ": " + importer::to_text(r) + "\n";
  s.imported = true;
  s.source = source_of(r);
  return s;
}

}  // namespace spampot::pipeline
