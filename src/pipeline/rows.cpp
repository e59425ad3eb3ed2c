#include "pipeline/rows.hpp"

#include <nlohmann/json.hpp>

#include "base/digest.hpp"
#include "base/text_list.hpp"
#include "base/domain.hpp"
#include "capture/records.hpp"
#include "message/message.hpp"

namespace spampot::pipeline {

namespace {

store::message_details details_of(const std::string& id, const message::parsed& p) {
  store::message_details d;
  d.id = id;
  d.subject = p.subject;
  d.from_name = p.from.name;
  d.from_address = p.from.address;
  d.reply_to_name = p.reply_to.name;
  d.reply_to_address = p.reply_to.address;
  d.message_id = p.message_id;
  d.message_id_problem = p.message_id_problem;
  d.date_utc = p.date_utc.value_or(0);
  d.date_problems = join_list(p.date_problems, ',');
  d.first_external_ip = p.first_external_ip;
  d.body_sha256 = p.body_sha256;
  d.problems = join_list(p.problems, ',');
  nlohmann::json headers = nlohmann::json::array();
  for (const auto& h : p.headers)
    headers.push_back({{"name", h.name}, {"raw", h.raw}, {"value", h.value}});
  d.headers = headers.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  for (const auto& u : p.urls) d.urls.push_back({u.text, u.host, u.domain, u.source});
  for (const auto& a : p.attachments)
    d.attachments.push_back({a.name, a.declared_type, a.sniffed_type, a.disposition, a.size,
                             a.md5, a.sha1, a.sha256});
  for (const auto& h : p.received)
    d.received.push_back({h.from_name, h.from_ip, h.by_name, h.protocol, h.id, h.at.value_or(0), h.raw});
  return d;
}

// The first occurrence of a field, as written (unfolded), or "".
std::string raw_header(const message::parsed& p, std::string_view name) {
  for (const auto& h : p.headers)
    if (h.name == name) return h.raw;
  return "";
}

}  // namespace

Result<captured_message> message_from(const capture::entry& e) {
  auto env = capture::parse_envelope(e.rec.meta);
  if (!env) return env.failure();
  captured_message out;
  store::message_row& m = out.row;
  m.id = env->id;
  m.session_id = env->session_id;
  m.sensor = env->sensor;
  m.received_at = env->received_at;
  m.client_ip = env->conn.client_ip;
  m.client_port = env->conn.client_port;
  m.helo = env->helo;
  m.mail_from = env->mail_from;
  m.mail_from_domain = domain_of(env->mail_from);
  m.rcpt_to = env->rcpt_to;
  m.size = e.rec.body.size();
  m.sha256 = sha256_hex(e.rec.body);
  m.spool_segment = e.at.segment;
  m.spool_offset = e.at.offset;
  // Parsed here, on the pipeline's thread, never on the network's.
  message::parsed parsed = message::parse(e.rec.body, env->received_at);
  m.message_id = raw_header(parsed, "Message-ID");
  m.date = raw_header(parsed, "Date");
  m.subject = raw_header(parsed, "Subject");
  m.from = raw_header(parsed, "From");
  m.relay_attempt = env->relay_attempt;
  const std::pair<bool, const char*> flags[] = {{env->bare_lf, "bare_lf"},
                                                {env->long_lines, "long_lines"},
                                                {env->nul_bytes, "nul_bytes"},
                                                {env->eight_bit, "eight_bit"},
                                                {env->chunked, "chunked"}};
  for (const auto& [on, name] : flags) {
    if (!on) continue;
    if (!m.flags.empty()) m.flags += ',';
    m.flags += name;
  }
  out.details = details_of(m.id, parsed);
  out.body_text = std::move(parsed.body_text);
  out.envelope = std::move(*env);
  return out;
}

Result<session_record> session_row_from(const capture::entry& e) {
  return capture::parse_session(e.rec.meta);
}

Result<store::http_request_row> http_row_from(const capture::entry& e) {
  auto log = capture::parse_http(e.rec.meta);
  if (!log) return log.failure();
  store::http_request_row h;
  h.id = log->id;
  h.sensor = log->sensor;
  h.at = log->at;
  h.client_ip = log->conn.client_ip;
  h.client_port = log->conn.client_port;
  h.server_ip = log->conn.server_ip;
  h.server_port = log->conn.server_port;
  h.method = log->method;
  h.target = log->target;
  h.version = log->version;
  h.host = log->host;
  h.user_agent = log->user_agent;
  h.referer = log->referer;
  h.status = log->status;
  h.problem = log->problem;
  h.seed = log->seed;
  h.seed_domain = log->seed_domain;
  h.seed_label = log->seed_label;
  return h;
}

}  // namespace spampot::pipeline
