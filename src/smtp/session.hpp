// smtp::session: one SMTP conversation as a pure state machine (RFC 5321, 1869, 2920, 3030, 6152,
// 6531, 2034). Bytes and the current time go in; replies, events and a finished message come out.
// It owns no socket, clock, file or database, so a test can drive a whole dialogue from a string
// split at every byte boundary and get the same result.
//
// Design decisions:
// - Sloppy clients are accepted (bare LF, lower-case verbs, "MAIL FROM: x@y", pipelining before the
//   EHLO reply) and recorded: for a trap, how a client breaks the rules is the evidence.
// - A finished message is handed out and the session stops reading until the owner says
//   message_stored(id) or message_failed(): durability decides the reply. Pipelined bytes wait in
//   the input buffer meanwhile.
// - Text lines inside DATA are kept whole however long (spam has them); only the message size
//   limit bounds them. Command lines are bounded by limits::line_bytes.
// - Rejected alternatives: a line reader in net/ (splits the state across layers and makes BDAT,
//   whose chunks are not lines, awkward); exceptions for protocol errors (untrusted input is data).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/limits.hpp"
#include "smtp/behaviour.hpp"
#include "smtp/commands.hpp"
#include "smtp/events.hpp"
#include "smtp/recipient_policy.hpp"

namespace spampot::smtp {

struct session_config {
  std::string hostname = "localhost";
  std::string banner = "ESMTP Postfix (Debian/GNU)";
  bool relay_bait = false;      // accept relay attempts (recorded, never delivered)
  bool auth_capture = false;    // advertise AUTH PLAIN LOGIN, record every attempt, answer 535
  bool starttls = false;        // advertise STARTTLS; the net layer does the handshake
  bool auth_after_tls = false;  // offer AUTH only inside TLS (538 before), as careful MTAs do
  spampot::limits lim;
  std::shared_ptr<const recipient_policy> policy = std::make_shared<recipient_policy>();
};

enum class state : std::uint8_t {
  connected,  // greeting not sent yet
  greeted,    // waiting for HELO/EHLO
  ready,      // after HELO/EHLO, no transaction
  mail,       // MAIL accepted
  rcpt,       // at least one RCPT accepted
  data,       // reading DATA
  bdat,       // between BDAT chunks of one transaction
  storing,    // message handed out, waiting for message_stored/failed
  closed,
};

std::string_view to_string(state s);

// What the greylist experiment says of one RCPT to a trap address: "" (not greylisted), "held"
// (answer 451, the triplet waits) or "passed" (the retry, let through), and since when the
// triplet was held. smtp::greylist keeps the state, the network layer asks it; a test passes a lambda.
struct gate_answer {
  std::string greylist;
  Micros held_since = 0;
};
using recipient_gate =
    std::function<gate_answer(std::string_view sender, std::string_view recipient, Micros now)>;

class session {
 public:
  // Every session of a server shares one configuration: an idle connection should not carry a
  // copy of the hostname, banner and limits.
  session(std::shared_ptr<const session_config> cfg, Micros now);
  session(session_config cfg, Micros now);

  output greet(Micros now);
  output feed(std::string_view bytes, Micros now);
  output message_stored(std::string_view id, Micros now);
  output message_failed(Micros now);
  output idle_timeout(Micros now);
  output shutdown(Micros now);
  // Refuse before the greeting (connection limits): one 421 line and close.
  output refuse(std::string_view why, Micros now);
  void client_closed(Micros now, std::string_view reason = "client_closed");
  // The TLS handshake succeeded (after STARTTLS, or before the greeting on an implicit-TLS
  // listener): STARTTLS is no longer offered and the summary records the parameters.
  output tls_started(const tls_info& info, Micros now);

  // The network layer saw the next bytes arrive before our last reply began to go out: they were
  // sent before the client could read it (pipelining, whichever read brings them).
  void client_ran_ahead() { ran_ahead_ = true; }

  // Asked for every RCPT to a trap address, once the client's address is known.
  void set_recipient_gate(recipient_gate g) { gate_ = std::move(g); }

  bool closed() const { return state_ == state::closed; }
  // What the client did, in the session record the network layer completes and journals.
  const session_record& summary() const { return summary_; }

 private:
  using check_fn = bool (session::*)(std::string_view args, output& out);
  using proceed_fn = void (session::*)(std::string_view args, output& out);
  struct command_entry {
    verb v;
    bool needs_helo;  // refused with 503 before HELO/EHLO
    check_fn check;   // replies and returns false when the command is not allowed now
    proceed_fn proceed;
  };
  static const command_entry kCommands[];

  void pump(output& out);
  bool pump_command(output& out);
  bool pump_data(output& out);
  bool pump_bdat(output& out);
  bool pump_auth(output& out);
  void auth_response(std::string_view line, output& out);
  void auth_done(output& out);
  void handle_line(std::string_view line, bool crlf, output& out);

  bool allow(std::string_view, output&) { return true; }
  bool check_mail(std::string_view args, output& out);
  bool check_rcpt(std::string_view args, output& out);
  bool check_data(std::string_view args, output& out);
  void do_helo(std::string_view args, output& out);
  void do_ehlo(std::string_view args, output& out);
  void do_mail(std::string_view args, output& out);
  void do_rcpt(std::string_view args, output& out);
  void do_data(std::string_view args, output& out);
  void do_bdat(std::string_view args, output& out);
  void do_rset(std::string_view args, output& out);
  void do_noop(std::string_view args, output& out);
  void do_quit(std::string_view args, output& out);
  void do_help(std::string_view args, output& out);
  void do_vrfy(std::string_view args, output& out);
  void do_starttls(std::string_view args, output& out);
  void do_auth(std::string_view args, output& out);

  void enter(state s);
  void reply(output& out, std::string_view text);
  // A reply caused by a client error: counted, and past the limit the session ends with 421.
  void error_reply(output& out, std::string_view text);
  void record(output& out, violation v, std::string_view detail);
  void close(output& out, std::string_view reason);
  void seal();  // the session ended: its behaviour goes into the summary
  void finish_message(output& out);
  void chunk_done(output& out);
  void reset_transaction();
  void remember(recipient r);
  void log_line(char who, std::string_view text);

  std::shared_ptr<const session_config> cfg_;
  state state_ = state::connected;
  Micros started_;
  Micros now_;
  std::string input_;
  std::size_t consumed_ = 0;      // of input_, processed
  bool discarding_line_ = false;  // inside an overlong command line, until its LF
  bool any_input_ = false;
  bool esmtp_ = false;
  bool tls_active_ = false;

  // The transaction being built, made at its first use: an idle connection holds none.
  std::unique_ptr<message> txn_;
  message& txn();
  bool txn_open_ = false;
  std::size_t data_line_bytes_ = 0;  // length of the current DATA line so far
  bool data_at_line_start_ = true;
  bool data_too_big_ = false;
  char data_prev_ = '\n';  // last byte of DATA seen, to tell CRLF from bare LF
  bool in_chunk_ = false;  // reading the bytes of a BDAT chunk
  std::size_t bdat_remaining_ = 0;
  bool bdat_last_ = false;
  std::string bdat_refusal_;  // non-empty: chunk read for framing only, then this reply

  // AUTH dialogue: which response the next line is (RFC 4954 continuation lines are no commands).
  enum class auth_step : std::uint8_t { none, plain, login_user, login_password };
  auth_step auth_step_ = auth_step::none;
  std::unique_ptr<session_record::auth> auth_;  // the attempt being read

  // The behavioural fingerprint's observations, made when the client first does something (an
  // idle connection holds none). A command is pipelined when it came in the same read as the
  // command (or end of message) answered before it, or the network layer says it ran ahead.
  std::unique_ptr<behaviour> behaviour_;
  behaviour& observed();
  recipient_gate gate_;
  Micros greeted_at_ = 0;
  std::uint64_t reads_ = 0;        // feed() calls with bytes
  std::uint64_t answered_read_ = 0;  // the read that brought the last answered command
  bool answered_any_ = false;
  bool ran_ahead_ = false;  // the next read was waiting before the last reply was out

  session_record summary_;
};

}  // namespace spampot::smtp
