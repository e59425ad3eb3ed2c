#include "store/harvest.hpp"

#include <algorithm>
#include <array>
#include <unordered_set>

#include "base/ascii.hpp"
#include "base/domain.hpp"
#include "base/limits.hpp"
#include "base/registrable_domain.hpp"
#include "store/columns.hpp"

namespace spampot::store {
namespace {

constexpr std::array<std::string_view, 16> kNames{
    "ip",         "sender",  "sender_domain", "helo", "recipient", "trap_domain",
    "message_id", "subject", "harvester",     "url_domain", "asn", "country",
    "spf",        "dkim",    "dmarc",         "fingerprint"};

std::string trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return std::string(s);
}

// Adds a hit unless its key is empty or already among `seen` (one row counts a key once).
// Each key once per row. Most rows bring a dozen, checked by a walk; a session of thousands of
// messages brings thousands of Message-IDs and Subjects, checked in a set once the list is long
// (the walk made indexing such a session quadratic).
class key_list {
 public:
  explicit key_list(std::vector<key_hit>& out) : out_(out) {}
  void add(key_kind k, std::string_view raw, Micros at, std::uint32_t messages, std::uint32_t sessions) {
    std::string name = key_name(k, raw);
    if (name.empty()) return;
    if (out_.size() < 32) {
      for (const auto& h : out_)
        if (h.kind == k && h.name == name) return;
    } else {
      if (seen_.empty())
        for (const auto& h : out_) seen_.insert(tag(h.kind, h.name));
      if (!seen_.insert(tag(k, name)).second) return;
    }
    out_.push_back({k, std::move(name), at, messages, sessions});
  }

 private:
  static std::string tag(key_kind k, std::string_view name) {
    std::string t(1, static_cast<char>(k));
    t += name;
    return t;
  }
  std::vector<key_hit>& out_;
  std::unordered_set<std::string> seen_;
};

std::vector<std::string> distinct_domains(const std::vector<std::string>& addresses) {
  std::vector<std::string> out;
  for (const auto& a : addresses) {
    std::string d = key_name(key_kind::trap_domain, domain_of(a));
    if (!d.empty() && std::find(out.begin(), out.end(), d) == out.end())
      out.push_back(std::move(d));
  }
  return out;
}

// A relay test's recipients are somebody else's addresses, not the trap's.
std::vector<std::string> trap_domains(const message_row& m) {
  return m.relay_attempt ? std::vector<std::string>{} : distinct_domains(m.rcpt_to);
}

}  // namespace

bool counted_per_domain(key_kind k) {
  return k != key_kind::trap_domain && k != key_kind::harvester;
}

std::string_view to_string(key_kind k) {
  return kNames[static_cast<std::size_t>(k)];
}

std::optional<key_kind> key_kind_from(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i)
    if (kNames[i] == name) return static_cast<key_kind>(i);
  return std::nullopt;
}

std::string key_name(key_kind k, std::string_view raw) {
  std::string s;
  switch (k) {
    case key_kind::sender_domain:
      s = registrable_domain(trimmed(raw));
      break;
    case key_kind::message_id:
    case key_kind::subject:
      s = trimmed(raw);
      break;
    case key_kind::asn:  // 0 is no AS
    case key_kind::country:  // as the database spells it: upper case
      s = trimmed(raw);
      if (s == "0") s.clear();
      break;
    default:
      s = ascii_lower(trimmed(raw));
  }
  // Fitted as every stored value is (valid UTF-8, cut at a character), then trimmed again: a cut
  // can end in a space, and MariaDB's PAD SPACE collation would take "x " for "x" where SQLite
  // does not, so the counters of the two backends would part.
  fit_text(s, kHarvestKeyBytes);
  return trimmed(s);
}

row_hits hits_of(const message_row& m) {
  row_hits r;
  key_list keys(r.keys);
  // An imported message stands for its own connection; a captured one's session counts later.
  const std::uint32_t session = m.session_id.empty() ? 1 : 0;
  const Micros at = m.received_at;
  keys.add(key_kind::ip, m.client_ip, at, 1, session);
  keys.add(key_kind::sender, m.mail_from, at, 1, session);
  keys.add(key_kind::sender_domain, domain_of(m.mail_from), at, 1, session);
  keys.add(key_kind::helo, m.helo, at, 1, session);
  keys.add(key_kind::message_id, m.message_id, at, 1, session);
  keys.add(key_kind::subject, m.subject, at, 1, session);
  keys.add(key_kind::asn, std::to_string(m.asn), at, 1, session);
  keys.add(key_kind::country, m.country, at, 1, session);
  keys.add(key_kind::spf, m.spf, at, 1, 0);
  keys.add(key_kind::dkim, m.dkim, at, 1, 0);
  keys.add(key_kind::dmarc, m.dmarc, at, 1, 0);
  r.domains = trap_domains(m);
  if (!m.relay_attempt)
    for (const auto& a : m.rcpt_to) keys.add(key_kind::recipient, a, at, 1, session);
  for (const auto& d : r.domains) keys.add(key_kind::trap_domain, d, at, 1, session);

  r.hours.push_back({"", at, 1, session, 0, 0});  // relay and AUTH tries count per session
  for (const auto& d : r.domains) r.hours.push_back({d, at, 1, session, 0, 0});
  return r;
}

row_hits hits_of(const session_record& s, const std::vector<std::string>& message_ids,
                 const std::vector<std::string>& subjects) {
  row_hits r;
  key_list keys(r.keys);
  const Micros at = s.started_at;
  keys.add(key_kind::ip, s.client_ip, at, 0, 1);
  keys.add(key_kind::helo, s.helo, at, 0, 1);
  keys.add(key_kind::asn, std::to_string(s.asn), at, 0, 1);
  keys.add(key_kind::country, s.country, at, 0, 1);
  // The session's messages are stored before it and do not know its fingerprint: it counts them.
  keys.add(key_kind::fingerprint, s.fingerprint, at, static_cast<std::uint32_t>(message_ids.size()), 1);
  for (const auto& a : s.senders) {
    keys.add(key_kind::sender, a, at, 0, 1);
    keys.add(key_kind::sender_domain, domain_of(a), at, 0, 1);
  }
  for (const auto& id : message_ids) keys.add(key_kind::message_id, id, at, 0, 1);
  for (const auto& subject : subjects) keys.add(key_kind::subject, subject, at, 0, 1);
  std::vector<std::string> trap_addresses;
  for (const auto& rc : s.recipients)
    if (rc.accepted && !rc.relay) trap_addresses.push_back(rc.address);
  for (const auto& a : trap_addresses) keys.add(key_kind::recipient, a, at, 0, 1);
  r.domains = distinct_domains(trap_addresses);
  for (const auto& d : r.domains) keys.add(key_kind::trap_domain, d, at, 0, 1);

  const bool relay = std::any_of(s.recipients.begin(), s.recipients.end(),
                                 [](const auto& rc) { return rc.relay; });
  r.hours.push_back(
      {"", at, 0, 1, relay ? 1u : 0u, static_cast<std::uint32_t>(s.auth_attempts.size())});
  for (const auto& d : r.domains) r.hours.push_back({d, at, 0, 1, 0, 0});
  return r;
}

row_hits auth_hits(const auth_row& a, const message_row& m) {
  row_hits r;
  key_list keys(r.keys);
  keys.add(key_kind::spf, a.spf, m.received_at, 1, 0);
  keys.add(key_kind::dkim, a.dkim, m.received_at, 1, 0);
  keys.add(key_kind::dmarc, a.dmarc, m.received_at, 1, 0);
  r.domains = trap_domains(m);
  return r;
}

row_hits url_hits(const std::vector<std::string>& domains, const message_row& m) {
  row_hits r;
  key_list keys(r.keys);
  for (const auto& d : domains) keys.add(key_kind::url_domain, d, m.received_at, 1, 0);
  r.domains = trap_domains(m);
  return r;
}

row_hits hits_of(const http_request_row& h) {
  row_hits r;
  key_list keys(r.keys);
  if (!h.seed.empty()) keys.add(key_kind::harvester, h.client_ip, h.at, 0, 1);
  return r;
}

}  // namespace spampot::store
