// exim: arrivals "QID <= sender H=name (helo) [ip]:port P=esmtp S=size id=msgid", deliveries
// "QID => rcpt", "-> rcpt", failures "** rcpt", deferrals "== rcpt", "QID Completed", and the
// refusals exim logs without a queue entry: "H=... [ip] F=<a> rejected RCPT <x>: reason" and
// "login authenticator failed for (helo) [ip]: 535 ...".
#include "importer/fields.hpp"
#include "importer/parsers.hpp"

namespace spampot::importer {
namespace {

bool id_part(std::string_view s, std::size_t min, std::size_t max) {
  if (s.size() < min || s.size() > max) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
  }
  return true;
}

// "1abcDE-000123-xy" (exim before 4.97) or "1abcDE-0001234567A-xyzw" (4.97 and later).
bool is_exim_id(std::string_view w) {
  const auto a = w.find('-');
  const auto b = w.rfind('-');
  return a == 6 && b != a && id_part(w.substr(0, a), 6, 6) && id_part(w.substr(a + 1, b - a - 1), 6, 11) &&
         id_part(w.substr(b + 1), 2, 4);
}

// "H=name (helo) [ip]:port", "H=(helo) [ip]", "H=[ip]", in a line or at `at`.
void take_host(std::string_view msg, log_event& e) {
  auto at = msg.find("H=");
  while (at != std::string_view::npos && at > 0 && msg[at - 1] != ' ') at = msg.find("H=", at + 2);
  if (at == std::string_view::npos) return;
  std::string_view v = msg.substr(at + 2);
  const auto open = v.find('[');
  if (open == std::string_view::npos) return;
  std::string_view names = v.substr(0, open);
  const auto lp = names.find('(');
  const auto rp = names.rfind(')');
  if (lp != std::string_view::npos && rp != std::string_view::npos && rp > lp) {
    e.helo = std::string(names.substr(lp + 1, rp - lp - 1));
    names = names.substr(0, lp);
  }
  while (!names.empty() && names.back() == ' ') names.remove_suffix(1);
  const auto close = v.find(']', open);
  if (close == std::string_view::npos) return;
  if (auto c = parse_client(v.substr(open, close - open + 1))) {
    e.client_ip = c->ip;
    e.client_name = std::string(names);
  }
}

std::string word_after(std::string_view msg, std::size_t at) {
  std::string_view v = msg.substr(at);
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  return strip_brackets(v.substr(0, v.find(' ')));
}

}  // namespace

log_event parse_exim(std::string_view msg) {
  log_event e;
  const auto sp = msg.find(' ');
  const std::string_view first = msg.substr(0, sp);
  if (is_exim_id(first) && sp != std::string_view::npos) {
    e.queue_id = std::string(first);
    const std::string_view rest = msg.substr(sp + 1);
    if (rest.starts_with("<= ")) {
      e.kind = event_kind::from;
      e.sender = word_after(rest, 3);
      if (e.sender == "<>") e.sender.clear();
      e.has_sender = true;
      take_host(rest, e);
      if (auto s = field(rest, "S=")) e.size = std::strtoull(s->c_str(), nullptr, 10);
      if (auto m = field(rest, "id=")) e.message_id = "<" + *m + ">";
      return e;
    }
    if (rest.starts_with("=> ") || rest.starts_with("-> ") || rest.starts_with("** ") || rest.starts_with("== ")) {
      e.kind = event_kind::to;
      e.recipients.push_back(word_after(rest, 3));
      return e;
    }
    if (rest.starts_with("Completed")) {
      e.kind = event_kind::done;
      return e;
    }
    msg = rest;  // a refusal may still follow the ID
  }
  if (const auto rej = msg.find(" rejected "); rej != std::string_view::npos && msg.find("H=") != std::string_view::npos) {
    e.kind = event_kind::reject;
    take_host(msg, e);
    if (auto f = field(msg, "F=")) {
      e.sender = *f;
      e.has_sender = true;
    }
    const std::string_view what = msg.substr(rej + 10);
    if (what.starts_with("RCPT ")) {
      const std::string_view r = what.substr(5);
      e.recipients.push_back(strip_brackets(r.substr(0, r.find(':'))));
    }
    const auto colon = what.find(": ");
    e.reply = std::string(colon == std::string_view::npos ? what : what.substr(colon + 2));
    return e;
  }
  if (const auto af = msg.find(" authenticator failed for "); af != std::string_view::npos) {
    e.kind = event_kind::reject;
    const std::string_view who = msg.substr(af + 26);
    const auto lp = who.find('(');
    const auto rp = who.find(')');
    if (lp != std::string_view::npos && rp != std::string_view::npos && rp > lp)
      e.helo = std::string(who.substr(lp + 1, rp - lp - 1));
    // The client is the first [ip] after the "(helo)" group: "([192.168.2.33]) [24.106.174.74]"
    // has a bracketed HELO, and "[ip]:port I=[local]:25" names our own interface after it.
    const auto reply_at = who.find(": ");
    const std::string_view head = who.substr(0, reply_at);
    const auto open = head.find('[', rp == std::string_view::npos ? 0 : rp);
    if (open != std::string_view::npos) {
      if (auto c = parse_client(head.substr(open))) e.client_ip = c->ip;
      std::string_view name = head.substr(0, lp == std::string_view::npos ? open : lp);
      while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
      e.client_name = std::string(name);
    }
    e.reply = reply_at == std::string_view::npos ? std::string(msg) : std::string(who.substr(reply_at + 2));
  }
  return e;
}

std::optional<mta> mta_of(std::string_view program) {
  if (program.starts_with("postfix")) return mta::postfix;
  if (program.starts_with("sendmail") || program.starts_with("sm-")) return mta::sendmail;
  if (program.starts_with("exim")) return mta::exim;
  return std::nullopt;
}

std::string_view to_string(mta m) {
  switch (m) {
    case mta::postfix: return "postfix";
    case mta::sendmail: return "sendmail";
    case mta::exim: return "exim";
  }
  return "?";
}

}  // namespace spampot::importer
