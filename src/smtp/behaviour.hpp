// smtp::behaviour: how a client talks SMTP, observed by the session and condensed into a
// behavioural fingerprint. Spam comes from a few families of software run from many addresses;
// the address changes every hour, the way the software speaks does not. Every feature is built
// only from what the client did (never from what we answered, the address it came from or what
// the message says), so the same software from another network with another body gives the same
// fingerprint. docs/FINGERPRINTS.md lists the features; a change to any of them is a new version.
//
// Design decisions:
// - Pure, like the session: features go in as the session sees them, the fingerprint comes out
//   when it ends. The record carries both, so `reindex` and a restart read the same value back.
// - Timing only in coarse buckets: network distance changes the fine timing of one bot.
// - Hostile bytes never reach a feature raw: names and shapes keep printable ASCII only.
// - Rejected: hashing the transcript (it holds addresses and timings that vary per run), fuzzy
//   hashes (a family is the exact same behaviour; near neighbours are for a later version).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/time.hpp"
#include "smtp/commands.hpp"

namespace spampot::smtp {

inline constexpr std::string_view kFingerprintVersion = "fp1";

class behaviour {
 public:
  // The client spoke before our greeting.
  void early_talker() { early_ = true; }
  // A command line as the client sent it: `pipelined` when it was already waiting in our buffer
  // as we answered the command before it (the client did not wait for that reply).
  void command(const parsed_command& pc, bool crlf, bool pipelined, Micros since_greeting);
  // DATA's 354 was given while the first bytes of the message already waited behind it.
  void body_before_reply() { body_early_ = true; }
  // A message ended; the first one's headers are features (later ones add nothing: a family
  // sends one template), and the verbs after it are kept apart from those before.
  void message(std::string_view body, bool bare_lf);
  void tls(std::string_view ja4, bool implicit);

  // The features as "name=value" lines in a fixed order, and their hash ("fp1-" and 16 hex
  // digits of SHA-256; every feature but pipelining, which is shown, not hashed: see
  // fingerprint()). `end_reason` is how the session ended (session_record::end_reason).
  std::string features(std::string_view end_reason) const;
  static std::string fingerprint(std::string_view features);

 private:
  bool early_ = false;
  bool any_command_ = false;
  Micros first_delay_ = 0;
  unsigned crlf_lines_ = 0, lf_lines_ = 0;
  std::vector<std::string> verbs_;  // up to the end of the first message, runs merged
  std::vector<std::string> after_;  // distinct verbs after it, in first-seen order
  std::vector<std::string> pipelined_;
  bool body_early_ = false;
  std::string helo_;  // the kind of name the first HELO/EHLO gave
  std::string mail_shape_, rcpt_shape_;
  std::string tls_ = "-";
  unsigned messages_ = 0;
  std::string headers_ = "-", message_id_ = "-", date_ = "-", boundary_ = "-", body_end_ = "-";
};

// The shape of a text: each run of letters and digits becomes a class ("9" a number, decimal or
// hex in one case; "a" lower-case letters, "A" upper, "Aa" mixed; "z" other mixes of letters and
// digits), a run of one punctuation character becomes that character once, anything else "?".
// "<20261130.4711@host>", "<20261201.12@host>" and "<5f3a9b.1c@host>" have one shape.
std::string text_shape(std::string_view s, std::size_t max = 64);

}  // namespace spampot::smtp
