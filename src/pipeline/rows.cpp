#include "pipeline/rows.hpp"

#include <openssl/evp.h>

#include <nlohmann/json.hpp>

#include "base/ascii.hpp"
#include "base/domain.hpp"
#include "capture/records.hpp"
#include "message/headers.hpp"

namespace spampot::pipeline {

std::string sha256_hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  return hex_lower(md, len);
}

Result<store::message_row> message_row_from(const capture::entry& e) {
  auto env = capture::parse_envelope(e.rec.meta);
  if (!env) return Error{env.error()};
  store::message_row m;
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
  const auto h = message::extract_basic_headers(e.rec.body);
  m.message_id = h.message_id;
  m.date = h.date;
  m.subject = h.subject;
  m.from = h.from;
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
  return m;
}

Result<store::session_row> session_row_from(const capture::entry& e) {
  auto log = capture::parse_session(e.rec.meta);
  if (!log) return Error{log.error()};
  store::session_row s;
  s.id = log->id;
  s.sensor = log->sensor;
  s.started_at = log->started_at;
  s.ended_at = log->ended_at;
  s.client_ip = log->conn.client_ip;
  s.client_port = log->conn.client_port;
  s.server_ip = log->conn.server_ip;
  s.server_port = log->conn.server_port;
  s.helo = log->helo;
  s.helo_verb = log->helo_verb;
  s.end_reason = log->end_reason;
  s.commands = log->commands;
  s.messages = log->messages;
  s.errors = log->errors;
  for (const auto& r : log->recipients)
    s.recipients.push_back({r.address, domain_of(r.address), r.accepted, r.relay, r.reply});
  for (const auto& a : log->auth_attempts)
    s.auth_attempts.push_back({a.at, a.mechanism, a.username, a.password});
  s.senders = log->senders;
  s.tls_version = log->tls_version;
  s.tls_cipher = log->tls_cipher;
  s.tls_sni = log->tls_sni;
  s.ja3 = log->ja3;
  s.ja4 = log->ja4;
  s.ptr = log->ptr;
  s.fcrdns = log->fcrdns;
  s.dns_error = log->dns_error;
  nlohmann::json v = nlohmann::json::array();
  for (const auto& x : log->violations)
    v.push_back({{"at", x.at}, {"kind", x.kind}, {"detail", x.detail}});
  s.violations = v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  s.transcript = log->transcript;
  if (log->recipients_dropped > 0)
    s.transcript +=
        "[" + std::to_string(log->recipients_dropped) + " more RCPT commands not kept]\n";
  if (log->transcript_dropped > 0)
    s.transcript +=
        "[" + std::to_string(log->transcript_dropped) + " more bytes of transcript not kept]\n";
  return s;
}

Result<store::http_request_row> http_row_from(const capture::entry& e) {
  auto log = capture::parse_http(e.rec.meta);
  if (!log) return Error{log.error()};
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
