// Postfix: smtpd "QID: client=", cleanup "QID: message-id=", qmgr "QID: from=, size=" and
// "QID: removed", delivery agents "QID: to=, status=", and "NOQUEUE: reject: RCPT from ..."
// (smtpd and postscreen, whose fields are comma-separated).
#include "importer/fields.hpp"
#include "importer/parsers.hpp"

namespace spampot::importer {
namespace {

// Where the trailing "; from=<a> to=<b> proto=ESMTP helo=<h>" starts. The reply before it may
// hold "; " itself (RBL texts do), so the rightmost of the field names that can lead it wins.
std::size_t field_section(std::string_view rest) {
  for (std::string_view lead : {"; from=", "; proto=", "; helo="}) {
    const auto at = rest.rfind(lead);
    if (at != std::string_view::npos) return at;
  }
  return std::string_view::npos;
}

// "lost connection after RCPT from name[ip]", "timeout after DATA from ...", "too many errors
// after ...", "improper command pipelining after ...": a client that misbehaved and left.
log_event misbehaviour(std::string_view msg) {
  log_event e;
  for (std::string_view lead : {"lost connection after ", "timeout after ", "too many errors after ",
                                "improper command pipelining after "}) {
    if (!msg.starts_with(lead)) continue;
    const auto from = msg.find(" from ");
    if (from == std::string_view::npos) return e;
    std::string_view c = msg.substr(from + 6);
    c = c.substr(0, c.find(']') + 1);
    if (auto spec = parse_client(c)) {
      e.kind = event_kind::lost;
      e.client_name = spec->name;
      e.client_ip = spec->ip;
      e.reply = std::string(msg.substr(0, from));
    }
    return e;
  }
  // "warning: name[ip]: SASL LOGIN authentication failed: ..." - a password guess.
  if (msg.starts_with("warning: ") && msg.find(" authentication failed") != std::string_view::npos) {
    std::string_view c = msg.substr(9);
    const auto close = c.find(']');
    if (close == std::string_view::npos) return e;
    if (auto spec = parse_client(c.substr(0, close + 1))) {
      e.kind = event_kind::reject;
      e.client_name = spec->name;
      e.client_ip = spec->ip;
      const auto sasl = msg.find("SASL ");
      e.reply = std::string(sasl == std::string_view::npos ? msg.substr(9) : msg.substr(sasl));
    }
  }
  return e;
}

// "QID: warning: header Subject: hi from name[ip]; from=<a> to=<b> proto=ESMTP helo=<h>", as
// header_checks WARN or INFO rules log it: the HELO, and the Subject when that is the header.
log_event header_line(std::string_view msg) {
  log_event e;
  e.kind = event_kind::client;
  const auto fields_at = field_section(msg);
  std::string_view head = msg.substr(0, fields_at);
  const auto from = head.rfind(" from ");
  if (from != std::string_view::npos) {
    if (auto spec = parse_client(head.substr(from + 6))) {
      e.client_name = spec->name;
      e.client_ip = spec->ip;
    }
    head = head.substr(0, from);
  }
  if (head.starts_with("Subject:")) {
    head.remove_prefix(8);
    while (!head.empty() && head.front() == ' ') head.remove_prefix(1);
    e.subject = std::string(head);
  }
  if (fields_at != std::string_view::npos) {
    if (auto h = field(msg.substr(fields_at + 2), "helo=")) e.helo = *h;
  }
  return e;
}

// "RCPT from name[ip]: 554 5.7.1 <x@y>: Relay access denied; from=<a@b> to=<x@y> proto=ESMTP helo=<h>"
log_event reject_line(std::string_view rest) {
  log_event e;
  e.kind = event_kind::reject;
  const auto from = rest.find(" from ");
  if (from != std::string_view::npos) {
    std::string_view client = rest.substr(from + 6);
    const auto close = client.find(']');
    if (close != std::string_view::npos) {
      if (auto c = parse_client(client.substr(0, close + 1))) {
        e.client_name = c->name;
        e.client_ip = c->ip;
      }
      std::size_t after = close + 1;
      if (after < client.size() && client[after] == ':') {  // postscreen: "[ip]:port: "
        std::size_t d = after + 1;
        while (d < client.size() && client[d] >= '0' && client[d] <= '9') ++d;
        if (d > after + 1) after = d;
      }
      if (client.substr(after).starts_with(": ")) rest = client.substr(after + 2);
    }
  }
  const auto fields_at = field_section(rest);
  e.reply = std::string(rest.substr(0, fields_at));
  if (fields_at != std::string_view::npos) {
    const std::string_view f = rest.substr(fields_at + 2);
    if (auto v = field(f, "from=")) {
      e.sender = *v;
      e.has_sender = true;
    }
    if (auto v = field(f, "to=")) e.recipients.push_back(*v);
    if (auto v = field(f, "helo=")) e.helo = *v;
  }
  return e;
}

// Postfix queue IDs are upper-case hex (short form) or, with enable_long_queue_ids, letters and
// digits without vowels. This keeps "warning: ...", "statistics: ..." from passing for one.
bool postfix_queue_id(std::string_view id) {
  bool hex = true;
  bool vowel = false;
  for (char c : id) {
    hex = hex && ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'));
    vowel = vowel || std::string_view("AEIOUaeiou").find(c) != std::string_view::npos;
  }
  return hex || (id.size() >= 10 && !vowel);
}

}  // namespace

log_event parse_postfix(std::string_view msg) {
  if (msg.starts_with("NOQUEUE: reject: ")) return reject_line(msg.substr(17));
  log_event e;
  std::string_view rest = msg;
  auto qid = take_queue_id(rest);
  if (!qid || !postfix_queue_id(*qid)) return misbehaviour(msg);
  msg = rest;
  if (msg.starts_with("reject: ") || msg.starts_with("milter-reject: ")) {
    e = reject_line(msg.substr(msg.find(": ") + 2));
    e.queue_id = std::string(*qid);
    return e;
  }
  if (msg.starts_with("warning: header ") || msg.starts_with("info: header ")) {
    e = header_line(msg.substr(msg.find("header ") + 7));
    e.queue_id = std::string(*qid);
    return e;
  }
  e.queue_id = std::string(*qid);
  if (msg.starts_with("client=")) {
    std::string_view v = msg.substr(7);
    v = v.substr(0, v.find(", "));
    if (auto c = parse_client(v)) {
      e.kind = event_kind::client;
      e.client_name = c->name;
      e.client_ip = c->ip;
    }
  } else if (msg.starts_with("message-id=")) {
    e.kind = event_kind::message_id;
    std::string_view v = msg.substr(11);
    e.message_id = std::string(v.substr(0, v.find(' ')));
  } else if (msg.starts_with("from=")) {
    e.kind = event_kind::from;
    e.sender = field(msg, "from=").value_or("");
    e.has_sender = true;
    if (auto s = field(msg, "size=")) e.size = std::strtoull(s->c_str(), nullptr, 10);
  } else if (msg.starts_with("to=")) {
    e.kind = event_kind::to;
    e.recipients.push_back(field(msg, "to=").value_or(""));
  } else if (msg == "removed") {
    e.kind = event_kind::done;
  }
  return e;
}

}  // namespace spampot::importer
