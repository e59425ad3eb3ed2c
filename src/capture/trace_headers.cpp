#include "capture/trace_headers.hpp"

#include "base/time.hpp"

namespace spampot::capture {
namespace {

// Header values come from peer bytes: keep them on one line and printable.
std::string clean(std::string_view s) {
  std::string out;
  for (unsigned char c : s.substr(0, 500))
    out += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '?';
  return out;
}

}  // namespace

std::string trace_headers(const message_envelope& e, std::string_view body) {
  const auto lf = body.find('\n');
  const bool crlf = lf == std::string_view::npos || (lf > 0 && body[lf - 1] == '\r');
  const std::string eol = crlf ? "\r\n" : "\n";
  std::string out;
  out += "Return-Path: <" + clean(e.mail_from) + ">" + eol;
  for (const auto& r : e.rcpt_to) out += "X-Original-To: " + clean(r) + eol;
  const std::string ip = e.conn.client_ip.find(':') != std::string::npos
                             ? "IPv6:" + e.conn.client_ip
                             : e.conn.client_ip;
  out += "Received: from " + (e.helo.empty() ? std::string("unknown") : clean(e.helo)) + " ([" +
         ip + "]:" + std::to_string(e.conn.client_port) + ")" + eol;
  out += "\tby " + clean(e.server_name) + " (spampot) with " +
         (e.helo_verb == "EHLO" ? "ESMTP" : "SMTP") + " id " + e.id;
  if (e.rcpt_to.size() == 1) out += eol + "\tfor <" + clean(e.rcpt_to.front()) + ">";
  out += "; " + format_rfc5322(e.received_at) + eol;
  return out;
}

std::string delivered_form(const message_envelope& e, std::string_view body) {
  return trace_headers(e, body) + std::string(body);
}

}  // namespace spampot::capture
