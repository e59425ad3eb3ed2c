#include "smtp/session.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>

#include "base/base64.hpp"
#include "base/escape.hpp"
#include "base/ascii.hpp"
#include "smtp/address.hpp"

namespace spampot::smtp {
namespace {

constexpr std::size_t kPreGreetBuffer = 64 * 1024;
constexpr std::size_t kRfcTextLine = 1000;  // RFC 5321 §4.5.3.1.6, CRLF included

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool is_http_verb(std::string_view w) {
  static constexpr std::string_view kVerbs[] = {"GET",     "POST",   "HEAD",  "PUT",
                                                "CONNECT", "DELETE", "PATCH", "OPTIONS"};
  return std::any_of(std::begin(kVerbs), std::end(kVerbs),
                     [&](std::string_view v) { return iequals(v, w); });
}

// Echoed client text (VRFY argument) must not smuggle control bytes into our reply.
std::string printable(std::string_view s, std::size_t max = 256) {
  std::string out;
  for (unsigned char c : s.substr(0, max))
    out += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '?';
  return out;
}

}  // namespace

std::string_view to_string(violation v) {
  switch (v) {
    case violation::early_talker:
      return "early_talker";
    case violation::non_smtp:
      return "non_smtp";
    case violation::tls_on_plaintext:
      return "tls_on_plaintext";
    case violation::line_too_long:
      return "line_too_long";
    case violation::nul_byte:
      return "nul_byte";
    case violation::bad_syntax:
      return "bad_syntax";
    case violation::unknown_command:
      return "unknown_command";
    case violation::bad_sequence:
      return "bad_sequence";
    case violation::relay_attempt:
      return "relay_attempt";
    case violation::refused_recipient:
      return "refused_recipient";
    case violation::too_many_recipients:
      return "too_many_recipients";
    case violation::message_too_large:
      return "message_too_large";
    case violation::too_many_messages:
      return "too_many_messages";
    case violation::too_many_errors:
      return "too_many_errors";
    case violation::session_timeout:
      return "session_timeout";
    case violation::idle_timeout:
      return "idle_timeout";
    case violation::auth_attempt:
      return "auth_attempt";
    case violation::tls_attempt:
      return "tls_attempt";
    case violation::tls_injection:
      return "tls_injection";
  }
  return "?";
}

std::string_view to_string(state s) {
  switch (s) {
    case state::connected:
      return "connected";
    case state::greeted:
      return "greeted";
    case state::ready:
      return "ready";
    case state::mail:
      return "mail";
    case state::rcpt:
      return "rcpt";
    case state::data:
      return "data";
    case state::bdat:
      return "bdat";
    case state::storing:
      return "storing";
    case state::closed:
      return "closed";
  }
  return "?";
}

void output::append(output&& o) {
  replies += o.replies;
  for (auto& e : o.events) events.push_back(std::move(e));
  if (o.msg) msg = std::move(o.msg);
  close = close || o.close;
  start_tls = start_tls || o.start_tls;
}

// The command table: which verb needs a greeting first, what must hold before it runs (check),
// and what it changes (proceed). Postfix accepts MAIL without HELO by default, and so do we, so
// that a bot that skips HELO still shows us its envelope (the skip is recorded).
const session::command_entry session::kCommands[] = {
    {verb::helo, false, &session::allow, &session::do_helo},
    {verb::ehlo, false, &session::allow, &session::do_ehlo},
    {verb::mail, false, &session::check_mail, &session::do_mail},
    {verb::rcpt, false, &session::check_rcpt, &session::do_rcpt},
    {verb::data, false, &session::check_data, &session::do_data},
    {verb::bdat, false, &session::allow, &session::do_bdat},
    {verb::rset, false, &session::allow, &session::do_rset},
    {verb::noop, false, &session::allow, &session::do_noop},
    {verb::quit, false, &session::allow, &session::do_quit},
    {verb::help, false, &session::allow, &session::do_help},
    {verb::vrfy, false, &session::allow, &session::do_vrfy},
    {verb::expn, false, &session::allow, &session::do_vrfy},
    {verb::starttls, false, &session::allow, &session::do_starttls},
    {verb::auth, true, &session::allow, &session::do_auth},
};

session::session(std::shared_ptr<const session_config> cfg, Micros now)
    : cfg_(std::move(cfg)), started_(now), now_(now) {}

session::session(session_config cfg, Micros now)
    : session(std::make_shared<const session_config>(std::move(cfg)), now) {}

void session::enter(state s) {
  state_ = s;
}

void session::log_line(char who, std::string_view text) {
  auto& t = summary_.transcript;
  const std::string escaped = escape_bytes(text);
  char stamp[32];
  const Micros off = now_ - started_;
  std::snprintf(stamp, sizeof stamp,
                "+%lld.%03lld %c: ", static_cast<long long>(off / kMicrosPerSecond),
                static_cast<long long>((off % kMicrosPerSecond) / 1000), who);
  const std::size_t need = std::strlen(stamp) + escaped.size() + 1;
  if (t.size() + need > kTranscriptBytes) {
    summary_.transcript_dropped += need;
    return;
  }
  t.reserve(t.size() + need);  // the greeting alone takes what it needs, not twice that
  t += stamp;
  t += escaped;
  t += '\n';
}

void session::reply(output& out, std::string_view text) {
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find("\r\n", start);
    if (end == std::string_view::npos) end = text.size();
    log_line('S', text.substr(start, end - start));
    start = end + 2;
  }
  out.replies += text;
  out.replies += "\r\n";
}

void session::record(output& out, violation v, std::string_view detail) {
  std::string d = escape_for_log(detail, 200);
  out.events.push_back({event_kind::violation, std::string(to_string(v)) + ": " + d});
  summary_.violations.push_back({now_, std::string(to_string(v)), std::move(d)});
}

void session::close(output& out, std::string_view reason) {
  if (summary_.end_reason.empty()) summary_.end_reason = reason;
  enter(state::closed);
  out.close = true;
  seal();
}

behaviour& session::observed() {
  if (!behaviour_) behaviour_ = std::make_unique<behaviour>();
  return *behaviour_;
}

void session::seal() {
  summary_.behaviour =
      behaviour_ ? behaviour_->features(summary_.end_reason) : behaviour().features(summary_.end_reason);
  summary_.fingerprint = behaviour::fingerprint(summary_.behaviour);
}

void session::error_reply(output& out, std::string_view text) {
  ++summary_.errors;
  reply(out, text);
  if (summary_.errors >= cfg_->lim.errors && state_ != state::closed) {
    record(out, violation::too_many_errors, std::to_string(summary_.errors) + " errors");
    reply(out, "421 4.7.0 " + cfg_->hostname + " Error: too many errors");
    close(out, "too_many_errors");
  }
}

message& session::txn() {
  if (!txn_) txn_ = std::make_unique<message>();
  return *txn_;
}

void session::reset_transaction() {
  txn_.reset();
  txn_open_ = false;
  data_too_big_ = false;
  in_chunk_ = false;
  bdat_remaining_ = 0;
  bdat_last_ = false;
}

output session::greet(Micros now) {
  now_ = now;
  output out;
  if (state_ != state::connected) return out;
  reply(out, "220 " + cfg_->hostname + " " + cfg_->banner);
  greeted_at_ = now;
  enter(state::greeted);
  pump(out);  // bytes an early talker sent before the greeting
  return out;
}

output session::refuse(std::string_view why, Micros now) {
  now_ = now;
  output out;
  reply(out, "421 4.7.0 " + cfg_->hostname + " Error: " + std::string(why));
  close(out, "refused");
  return out;
}

output session::feed(std::string_view bytes, Micros now) {
  now_ = now;
  output out;
  if (state_ == state::closed || bytes.empty()) return out;
  if (state_ == state::connected) {
    if (!any_input_) {
      record(out, violation::early_talker, bytes);
      observed().early_talker();
    }
    any_input_ = true;
    const std::size_t room = kPreGreetBuffer - std::min(kPreGreetBuffer, input_.size());
    input_.append(bytes.substr(0, room));
    return out;
  }
  if (now_ - started_ > cfg_->lim.session_time) {
    record(out, violation::session_timeout, "session over the time limit");
    reply(out, "421 4.4.2 " + cfg_->hostname + " Error: timeout exceeded");
    close(out, "session_timeout");
    return out;
  }
  any_input_ = true;
  ++reads_;
  if (std::exchange(ran_ahead_, false)) {
    // Sent before our last reply was out: as if it had come in the read the reply answered.
    answered_read_ = reads_;
    if (state_ == state::data && txn().body.empty() && data_at_line_start_) observed().body_before_reply();
  }
  input_.append(bytes);
  pump(out);
  return out;
}

void session::pump(output& out) {
  while (state_ != state::closed && state_ != state::storing) {
    bool progress = false;
    if (auth_step_ != auth_step::none) {
      progress = pump_auth(out);
    } else if (in_chunk_) {
      progress = pump_bdat(out);
    } else if (state_ == state::data) {
      progress = pump_data(out);
    } else {
      progress = pump_command(out);
    }
    if (!progress) break;
  }
  // Keep the buffer small: drop what is processed once it is most of the buffer.
  if (consumed_ > 0 && consumed_ * 2 >= input_.size()) {
    input_.erase(0, consumed_);
    consumed_ = 0;
  }
  // A burst (a pipelined message) grew the buffer; an idle session should not keep that memory.
  if (input_.empty() && input_.capacity() > 4096) std::string().swap(input_);
}

bool session::pump_command(output& out) {
  std::string_view avail(input_);
  avail.remove_prefix(consumed_);
  if (avail.empty()) return false;

  // A TLS ClientHello (or SSLv2 hello) where a command should be: a client that expected port 465.
  if (summary_.commands == 0 && !discarding_line_ &&
      (static_cast<unsigned char>(avail[0]) == 0x16 ||
       static_cast<unsigned char>(avail[0]) == 0x80)) {
    record(out, violation::tls_on_plaintext, avail.substr(0, 16));
    ++summary_.commands;
    log_line('C', avail.substr(0, 64));
    consumed_ = input_.size();
    reply(out, "421 4.7.0 " + cfg_->hostname + " Error: TLS handshake on a plain-text port");
    close(out, "non_smtp");
    return false;
  }

  const auto lf = avail.find('\n');
  if (discarding_line_) {
    consumed_ += lf == std::string_view::npos ? avail.size() : lf + 1;
    if (lf != std::string_view::npos) discarding_line_ = false;
    return lf != std::string_view::npos;
  }
  const bool overlong = (lf == std::string_view::npos ? avail.size() : lf) > cfg_->lim.line_bytes;
  if (overlong) {
    ++summary_.commands;
    log_line('C', avail.substr(0, std::min<std::size_t>(avail.size(), 128)));
    record(out, violation::line_too_long, avail.substr(0, 64));
    if (lf == std::string_view::npos) {
      discarding_line_ = true;
      consumed_ += avail.size();
    } else {
      consumed_ += lf + 1;
    }
    error_reply(out, "500 5.5.2 Error: line too long");
    return true;
  }
  if (lf == std::string_view::npos) return false;
  std::string_view line = avail.substr(0, lf);
  consumed_ += lf + 1;
  const bool crlf = !line.empty() && line.back() == '\r';
  if (crlf) line.remove_suffix(1);
  handle_line(line, crlf, out);
  return true;
}

void session::handle_line(std::string_view line, bool crlf, output& out) {
  ++summary_.commands;
  log_line('C', line);
  const bool pipelined = answered_any_ && answered_read_ == reads_;
  answered_any_ = true;
  answered_read_ = reads_;
  if (line.find('\0') != std::string_view::npos) {
    record(out, violation::nul_byte, line);
    error_reply(out, "500 5.5.2 Error: bad syntax");
    return;
  }
  const parsed_command pc = parse_command(line);
  observed().command(pc, crlf, pipelined, now_ - greeted_at_);
  if (pc.v == verb::unknown) {
    // Postfix's answer to HTTP and proxy requests on port 25 (smtpd_forbidden_commands).
    if ((is_http_verb(pc.word) && pc.args.find("HTTP/") != std::string_view::npos) ||
        (pc.word.size() > 1 && pc.word.back() == ':')) {
      record(out, violation::non_smtp, line);
      reply(out, "221 2.7.0 Error: I can break rules, too. Goodbye.");
      close(out, "non_smtp");
      return;
    }
    record(out, violation::unknown_command, line);
    error_reply(out, "502 5.5.2 Error: command not recognized");
    return;
  }
  for (const auto& c : kCommands) {
    if (c.v != pc.v) continue;
    if (c.needs_helo && state_ == state::greeted) {
      record(out, violation::bad_sequence, line);
      error_reply(out, "503 5.5.1 Error: send HELO/EHLO first");
      return;
    }
    if ((this->*c.check)(pc.args, out)) (this->*c.proceed)(pc.args, out);
    return;
  }
}

void session::do_helo(std::string_view args, output& out) {
  const std::string_view name = trim(args);
  if (name.empty()) {
    record(out, violation::bad_syntax, "HELO without a name");
    error_reply(out, "501 5.5.4 Syntax: HELO hostname");
    return;
  }
  summary_.helo = name;
  summary_.helo_verb = "HELO";
  esmtp_ = false;
  reset_transaction();
  enter(state::ready);
  out.events.push_back({event_kind::helo, std::string(name)});
  reply(out, "250 " + cfg_->hostname);
}

void session::do_ehlo(std::string_view args, output& out) {
  const std::string_view name = trim(args);
  if (name.empty()) {
    record(out, violation::bad_syntax, "EHLO without a name");
    error_reply(out, "501 5.5.4 Syntax: EHLO hostname");
    return;
  }
  summary_.helo = name;
  summary_.helo_verb = "EHLO";
  esmtp_ = true;
  reset_transaction();
  enter(state::ready);
  out.events.push_back({event_kind::helo, std::string(name)});
  reply(out, "250-" + cfg_->hostname + "\r\n250-PIPELINING\r\n250-SIZE " +
                 std::to_string(cfg_->lim.message_bytes) +
                 "\r\n250-VRFY\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n"
                 "250-SMTPUTF8\r\n" +
                 std::string(cfg_->starttls && !tls_active_ ? "250-STARTTLS\r\n" : "") +
                 std::string(cfg_->auth_capture && (!cfg_->auth_after_tls || tls_active_)
                                 ? "250-AUTH PLAIN LOGIN\r\n"
                                 : "") +
                 "250 CHUNKING");
}

bool session::check_mail(std::string_view args, output& out) {
  if (state_ == state::mail || state_ == state::rcpt || state_ == state::bdat) {
    record(out, violation::bad_sequence, "nested MAIL");
    error_reply(out, "503 5.5.1 Error: nested MAIL command");
    return false;
  }
  if (summary_.messages >= cfg_->lim.messages_per_session) {
    record(out, violation::too_many_messages, std::to_string(summary_.messages) + " messages");
    reply(out, "421 4.7.0 " + cfg_->hostname + " Error: too many messages in this session");
    close(out, "too_many_messages");
    return false;
  }
  auto parsed = parse_path(args, "FROM");
  if (!parsed) {
    record(out, violation::bad_syntax, args);
    error_reply(out, "501 5.5.4 Syntax: MAIL FROM:<address>");
    return false;
  }
  for (const auto& [key, value] : parsed->params) {
    if (key != "SIZE") continue;
    if (value.empty() || value.size() > 18 ||
        !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      record(out, violation::bad_syntax, args);
      error_reply(out, "501 5.5.4 Bad message size syntax");
      return false;
    }
    if (std::stoull(value) > cfg_->lim.message_bytes) {
      record(out, violation::message_too_large, "SIZE=" + value);
      reply(out, "552 5.3.4 Message size exceeds fixed limit");
      return false;
    }
  }
  return true;
}

void session::do_mail(std::string_view args, output& out) {
  auto parsed = parse_path(args, "FROM");
  if (state_ == state::greeted) record(out, violation::bad_sequence, "MAIL without HELO");
  if (parsed->sloppy) record(out, violation::bad_syntax, "sloppy MAIL FROM: " + std::string(args));
  reset_transaction();
  txn_open_ = true;
  txn().mail_from = parsed->address;
  if (summary_.senders.size() < kSessionRecipients &&
      std::find(summary_.senders.begin(), summary_.senders.end(), parsed->address) ==
          summary_.senders.end())
    summary_.senders.push_back(parsed->address);
  txn().mail_params = parsed->params;
  enter(state::mail);
  out.events.push_back({event_kind::mail_from, parsed->address});
  reply(out, "250 2.1.0 Ok");
}

bool session::check_rcpt(std::string_view args, output& out) {
  if (state_ != state::mail && state_ != state::rcpt) {
    record(out, violation::bad_sequence, "RCPT without MAIL");
    error_reply(out, "503 5.5.1 Error: need MAIL command");
    return false;
  }
  auto parsed = parse_path(args, "TO");
  if (!parsed || parsed->address.empty()) {
    record(out, violation::bad_syntax, args);
    error_reply(out, "501 5.1.3 Bad recipient address syntax");
    return false;
  }
  if (txn().rcpt_to.size() >= cfg_->lim.recipients) {
    record(out, violation::too_many_recipients, parsed->address);
    recipient r;
    r.address = parsed->address;
    r.reply = "452 4.5.3 Error: too many recipients";
    summary_.recipients.push_back(std::move(r));
    reply(out, "452 4.5.3 Error: too many recipients");
    return false;
  }
  return true;
}

void session::do_rcpt(std::string_view args, output& out) {
  auto parsed = parse_path(args, "TO");
  const std::string& addr = parsed->address;
  recipient r;
  r.address = addr;
  switch (cfg_->policy->classify(addr)) {
    case rcpt_verdict::trap:
      if (gate_) {
        gate_answer g = gate_(txn().mail_from, addr, now_);
        r.greylist = std::move(g.greylist);
        r.held_since = g.held_since;
        if (!r.greylist.empty()) r.sender = txn().mail_from;
      }
      if (r.greylist == "held") {
        // A temporary failure, as a greylisting MTA gives: a real MTA queues and retries.
        r.reply = "451 4.7.1 <" + printable(addr) +
                  ">: Recipient address rejected: Greylisted, try again later";
        break;
      }
      r.accepted = true;
      r.reply = "250 2.1.5 Ok";
      break;
    case rcpt_verdict::relay:
      r.relay = true;
      record(out, violation::relay_attempt, addr);
      if (cfg_->relay_bait) {
        // Accepted so that the open-relay test completes and its message is captured; never sent.
        r.accepted = true;
        r.reply = "250 2.1.5 Ok";
        txn().relay_attempt = true;
      } else {
        r.reply = "554 5.7.1 <" + printable(addr) + ">: Relay access denied";
      }
      break;
    case rcpt_verdict::refused:
      record(out, violation::refused_recipient, addr);
      r.reply = "550 5.1.1 <" + printable(addr) +
                ">: Recipient address rejected: User unknown in virtual mailbox table";
      break;
  }
  out.events.push_back({event_kind::rcpt, (r.accepted ? "accepted " : "refused ") + addr});
  if (r.accepted) {
    txn().rcpt_to.push_back(addr);
    enter(state::rcpt);
    reply(out, r.reply);
  } else if (r.greylist == "held") {
    reply(out, r.reply);  // not the client's error: a long list must not end the session
  } else {
    error_reply(out, r.reply);
  }
  remember(std::move(r));
}

void session::remember(recipient r) {
  if (summary_.recipients.size() < kSessionRecipients) {
    summary_.recipients.push_back(std::move(r));
  } else {
    ++summary_.recipients_dropped;
  }
}

bool session::check_data(std::string_view, output& out) {
  if (state_ == state::rcpt) return true;
  record(out, violation::bad_sequence, "DATA out of sequence");
  if (state_ == state::mail) {
    error_reply(out, "554 5.5.1 Error: no valid recipients");
  } else {
    error_reply(out, "503 5.5.1 Error: need RCPT command");
  }
  return false;
}

void session::do_data(std::string_view, output& out) {
  data_line_bytes_ = 0;
  data_at_line_start_ = true;
  data_prev_ = '\n';
  data_too_big_ = false;
  enter(state::data);
  reply(out, "354 End data with <CR><LF>.<CR><LF>");
  if (consumed_ < input_.size()) observed().body_before_reply();
}

bool session::pump_data(output& out) {
  std::string_view avail(input_);
  avail.remove_prefix(consumed_);
  if (avail.empty()) return false;
  if (data_at_line_start_ && avail[0] == '.') {
    if (avail.size() < 2) return false;
    // The end: ".\r\n", or ".\n" from bots that send bare LF throughout.
    if (avail[1] == '\n' || (avail[1] == '\r' && avail.size() >= 3 && avail[2] == '\n')) {
      consumed_ += avail[1] == '\n' ? 2 : 3;
      if (avail[1] == '\n') txn().bare_lf = true;
      log_line('C', "<message: " + std::to_string(txn().body.size()) + " bytes>");
      if (data_too_big_) {
        record(out, violation::message_too_large,
               "DATA over " + std::to_string(cfg_->lim.message_bytes));
        reply(out, "552 5.3.4 Error: message file too big");
        reset_transaction();
        enter(state::ready);
      } else {
        finish_message(out);
      }
      return true;
    }
    if (avail[1] == '\r' && avail.size() < 3) return false;
    // Dot-stuffing (RFC 5321 §4.5.2): drop the first dot of the line.
    ++consumed_;
    avail.remove_prefix(1);
    data_at_line_start_ = false;
    ++data_line_bytes_;
    if (avail.empty()) return true;
  }
  const auto lf = avail.find('\n');
  const std::string_view chunk = lf == std::string_view::npos ? avail : avail.substr(0, lf + 1);
  for (unsigned char c : chunk) {
    if (c == 0) txn().nul_bytes = true;
    if (c >= 0x80) txn().eight_bit = true;
  }
  if (!data_too_big_) {
    if (txn().body.size() + chunk.size() > cfg_->lim.message_bytes) {
      data_too_big_ = true;
      std::string().swap(txn().body);  // free it now; the rest of DATA is read and dropped
    } else {
      txn().body.append(chunk);
    }
  }
  data_line_bytes_ += chunk.size();
  if (lf != std::string_view::npos) {
    const char before_lf = chunk.size() >= 2 ? chunk[chunk.size() - 2] : data_prev_;
    const bool crlf = before_lf == '\r';
    if (!crlf) txn().bare_lf = true;
    if (data_line_bytes_ + (crlf ? 0 : 1) > kRfcTextLine) txn().long_lines = true;
    data_line_bytes_ = 0;
    data_at_line_start_ = true;
  } else {
    data_at_line_start_ = false;
  }
  data_prev_ = chunk.back();
  consumed_ += chunk.size();
  return true;
}

void session::finish_message(output& out) {
  observed().message(txn().body, txn().bare_lf);
  answered_read_ = reads_;  // what follows the end of the message waited for no 250
  txn().received_at = now_;
  txn().helo = summary_.helo;
  txn().helo_verb = summary_.helo_verb;
  out.events.push_back({event_kind::message, std::to_string(txn().body.size()) + " bytes"});
  out.msg = std::move(txn_);
  enter(state::storing);
}

output session::message_stored(std::string_view id, Micros now) {
  now_ = now;
  output out;
  ++summary_.messages;
  reset_transaction();
  if (state_ == state::closed) return out;
  reply(out, "250 2.0.0 Ok: queued as " + std::string(id));
  enter(summary_.helo.empty() ? state::greeted : state::ready);
  pump(out);
  return out;
}

output session::message_failed(Micros now) {
  now_ = now;
  output out;
  reset_transaction();
  if (state_ == state::closed) return out;
  reply(out, "451 4.3.0 Error: queue file write error");
  enter(summary_.helo.empty() ? state::greeted : state::ready);
  pump(out);
  return out;
}

void session::do_bdat(std::string_view args, output& out) {
  std::string_view a = trim(args);
  const auto sp = a.find(' ');
  const std::string_view size_text = a.substr(0, sp);
  const std::string_view rest =
      sp == std::string_view::npos ? std::string_view() : trim(a.substr(sp));
  const bool size_ok =
      !size_text.empty() && size_text.size() <= 18 &&
      std::all_of(size_text.begin(), size_text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!size_ok || (!rest.empty() && !iequals(rest, "LAST"))) {
    // Without a size we cannot find the end of the chunk: what follows would be read as commands.
    record(out, violation::bad_syntax, args);
    error_reply(out, "501 5.5.4 Syntax: BDAT chunk-size [LAST]");
    return;
  }
  bdat_remaining_ = std::stoull(std::string(size_text));
  bdat_last_ = !rest.empty();
  in_chunk_ = true;
  bdat_refusal_.clear();
  if (state_ == state::rcpt) {
    txn().chunked = true;
    enter(state::bdat);
  } else if (state_ != state::bdat) {
    // RFC 3030 §2: the chunk is read and discarded, then refused.
    record(out, violation::bad_sequence, "BDAT out of sequence");
    bdat_refusal_ = state_ == state::mail ? "554 5.5.1 Error: no valid recipients"
                                          : "503 5.5.1 Error: need RCPT command";
  }
  if (bdat_remaining_ == 0) chunk_done(out);
}

bool session::pump_bdat(output& out) {
  std::string_view avail(input_);
  avail.remove_prefix(consumed_);
  if (avail.empty()) return false;
  const std::size_t n = std::min<std::size_t>(avail.size(), bdat_remaining_);
  const std::string_view chunk = avail.substr(0, n);
  if (bdat_refusal_.empty() && !data_too_big_) {
    if (txn().body.size() + n > cfg_->lim.message_bytes) {
      data_too_big_ = true;
      std::string().swap(txn().body);
    } else {
      txn().body.append(chunk);
    }
  }
  for (unsigned char c : chunk) {
    if (c == 0) txn().nul_bytes = true;
    if (c >= 0x80) txn().eight_bit = true;
  }
  consumed_ += n;
  bdat_remaining_ -= n;
  if (bdat_remaining_ == 0) chunk_done(out);
  return true;
}

void session::chunk_done(output& out) {
  in_chunk_ = false;
  log_line('C', "<chunk" + std::string(bdat_last_ ? " LAST" : "") + ">");
  if (!bdat_refusal_.empty()) {
    const std::string r = std::move(bdat_refusal_);
    bdat_refusal_.clear();
    error_reply(out, r);
    return;
  }
  if (!bdat_last_) {
    reply(out, "250 2.0.0 Ok: " + std::to_string(txn().body.size()) + " bytes");
    return;
  }
  if (data_too_big_) {
    record(out, violation::message_too_large,
           "BDAT over " + std::to_string(cfg_->lim.message_bytes));
    reply(out, "552 5.3.4 Error: message file too big");
    reset_transaction();
    enter(state::ready);
    return;
  }
  finish_message(out);
}

void session::do_rset(std::string_view, output& out) {
  reset_transaction();
  if (state_ != state::greeted) enter(state::ready);
  out.events.push_back({event_kind::reset, ""});
  reply(out, "250 2.0.0 Ok");
}

void session::do_noop(std::string_view, output& out) {
  reply(out, "250 2.0.0 Ok");
}

void session::do_quit(std::string_view, output& out) {
  out.events.push_back({event_kind::quit, ""});
  reply(out, "221 2.0.0 Bye");
  close(out, "quit");
}

void session::do_help(std::string_view, output& out) {
  reply(out, "214 2.0.0 Commands: HELO EHLO MAIL RCPT DATA BDAT RSET NOOP QUIT HELP VRFY");
}

void session::do_vrfy(std::string_view args, output& out) {
  const std::string_view who = trim(args);
  if (who.empty()) {
    error_reply(out, "501 5.5.4 Syntax: VRFY address");
    return;
  }
  reply(out, "252 2.0.0 " + printable(who));
}

void session::do_starttls(std::string_view args, output& out) {
  if (!cfg_->starttls) {
    record(out, violation::tls_attempt, "STARTTLS");
    error_reply(out, "502 5.5.1 Error: command not implemented");
    return;
  }
  if (tls_active_) {
    error_reply(out, "554 5.5.1 Error: TLS already active");
    return;
  }
  if (!trim(args).empty()) {
    error_reply(out, "501 5.5.4 Syntax: STARTTLS");
    return;
  }
  // Whatever was pipelined behind STARTTLS arrived in plain text: RFC 3207 says to discard it,
  // and a client that sends it is probing for command injection.
  if (consumed_ < input_.size()) {
    record(out, violation::tls_injection, std::string_view(input_).substr(consumed_, 64));
    consumed_ = input_.size();
  }
  reply(out, "220 2.0.0 Ready to start TLS");
  // After the handshake the client starts over with EHLO; what it said before is forgotten.
  reset_transaction();
  esmtp_ = false;
  enter(state::greeted);
  out.start_tls = true;
}

output session::tls_started(const tls_info& info, Micros now) {
  now_ = now;
  observed().tls(info.ja4, state_ == state::connected);
  tls_active_ = true;
  summary_.tls_version = info.version;
  summary_.tls_cipher = info.cipher;
  summary_.tls_sni = info.sni;
  summary_.ja3 = info.ja3;
  summary_.ja4 = info.ja4;
  log_line('S', "[TLS " + info.version + " " + info.cipher +
                    (info.sni.empty() ? "" : " sni=" + info.sni) +
                    (info.ja4.empty() ? "" : " ja4=" + info.ja4) +
                    (info.ja3.empty() ? "" : " ja3=" + info.ja3) + "]");
  return {};
}

void session::do_auth(std::string_view args, output& out) {
  record(out, violation::auth_attempt, trim(args));
  if (!cfg_->auth_capture) {
    error_reply(out, "503 5.5.1 Error: authentication not enabled");
    return;
  }
  if (cfg_->auth_after_tls && !tls_active_) {
    error_reply(out, "538 5.7.11 Encryption required for requested authentication mechanism");
    return;
  }
  if (txn_open_) {
    error_reply(out, "503 5.5.1 Error: MAIL transaction in progress");
    return;
  }
  const std::string_view a = trim(args);
  const auto sp = a.find(' ');
  const std::string mech = ascii_lower(a.substr(0, sp));
  const std::string_view initial =
      sp == std::string_view::npos ? std::string_view() : trim(a.substr(sp));
  auth_ = std::make_unique<session_record::auth>(
      session_record::auth{now_, std::string(a.substr(0, sp)), "", ""});
  for (char& c : auth_->mechanism)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (mech == "plain") {
    if (initial.empty()) {
      auth_step_ = auth_step::plain;
      reply(out, "334 ");
    } else {
      auth_step_ = auth_step::plain;
      auth_response(initial, out);
    }
  } else if (mech == "login") {
    if (initial.empty()) {
      auth_step_ = auth_step::login_user;
      reply(out, "334 VXNlcm5hbWU6");  // "Username:"
    } else {
      auth_step_ = auth_step::login_user;
      auth_response(initial, out);
    }
  } else {
    error_reply(out, "504 5.5.4 Unsupported authentication mechanism");
  }
}

bool session::pump_auth(output& out) {
  std::string_view avail(input_);
  avail.remove_prefix(consumed_);
  const auto lf = avail.find('\n');
  if (lf == std::string_view::npos) {
    if (avail.size() <= cfg_->lim.line_bytes) return false;
    // An endless response line: refuse it like an overlong command, and end the dialogue.
    consumed_ += avail.size();
    discarding_line_ = true;
    auth_step_ = auth_step::none;
    record(out, violation::line_too_long, "AUTH response");
    error_reply(out, "500 5.5.2 Error: line too long");
    return true;
  }
  std::string_view line = avail.substr(0, lf);
  consumed_ += lf + 1;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  ++summary_.commands;
  log_line('C', line);
  auth_response(line, out);
  return true;
}

void session::auth_response(std::string_view line, output& out) {
  if (line == "*") {
    auth_step_ = auth_step::none;
    error_reply(out, "501 5.7.0 Authentication aborted");
    return;
  }
  auto decoded = base64_decode(line);
  if (!decoded) {
    // Kept as sent: a bot that cannot encode still shows what it tried.
    (auth_step_ == auth_step::login_password ? auth_->password : auth_->username) = std::string(line);
    auth_step_ = auth_step::none;
    if (summary_.auth_attempts.size() < kSessionRecipients) summary_.auth_attempts.push_back(*auth_);
    error_reply(out, "501 5.5.2 Cannot decode response");
    return;
  }
  switch (auth_step_) {
    case auth_step::plain: {
      // authzid NUL authcid NUL passwd (RFC 4616); what is missing stays empty.
      const std::string& d = *decoded;
      const auto first = d.find('\0');
      const auto second = first == std::string::npos ? std::string::npos : d.find('\0', first + 1);
      if (second != std::string::npos) {
        auth_->username = d.substr(first + 1, second - first - 1);
        auth_->password = d.substr(second + 1);
      } else {
        auth_->username = d;
      }
      auth_done(out);
      return;
    }
    case auth_step::login_user:
      auth_->username = *decoded;
      auth_step_ = auth_step::login_password;
      reply(out, "334 UGFzc3dvcmQ6");  // "Password:"
      return;
    case auth_step::login_password:
      auth_->password = *decoded;
      auth_done(out);
      return;
    case auth_step::none:
      return;
  }
}

void session::auth_done(output& out) {
  auth_step_ = auth_step::none;
  if (summary_.auth_attempts.size() < kSessionRecipients) summary_.auth_attempts.push_back(*auth_);
  error_reply(out, "535 5.7.8 Error: authentication failed: authentication failure");
}

output session::idle_timeout(Micros now) {
  now_ = now;
  output out;
  if (state_ == state::closed) return out;
  record(out, violation::idle_timeout, "no input");
  reply(out, "421 4.4.2 " + cfg_->hostname + " Error: timeout exceeded");
  close(out, "idle_timeout");
  return out;
}

output session::shutdown(Micros now) {
  now_ = now;
  output out;
  if (state_ == state::closed) return out;
  reply(out, "421 4.3.2 " + cfg_->hostname + " Service shutting down");
  close(out, "shutdown");
  return out;
}

void session::client_closed(Micros now, std::string_view reason) {
  now_ = now;
  if (state_ == state::closed) return;
  // sendmail calls this "lost input channel"; in DATA it means a message was cut off.
  if (state_ == state::data || in_chunk_) log_line('C', "<lost connection in DATA>");
  summary_.end_reason = reason;
  enter(state::closed);
  seal();
}

}  // namespace spampot::smtp
