// Messages, sessions and the spool checkpoints: their statements and row mappers, written once
// for every backend. A table's columns are listed once (row_mapper.hpp); INSERT, SELECT and the
// reading back all come from that list.
#include <limits>
#include <array>
#include <functional>
#include <map>
#include <utility>

#include <nlohmann/json.hpp>

#include "base/domain.hpp"
#include "base/text_list.hpp"
#include "store/store.hpp"

namespace spampot::store {
namespace {

using M = message_row;
constexpr std::array<column<M>, 34> kMessage{{
    {"id", &M::id}, {"session_id", &M::session_id}, {"sensor", &M::sensor}, {"received_at", &M::received_at},
    {"client_ip", &M::client_ip}, {"client_port", &M::client_port}, {"helo", &M::helo}, {"mail_from", &M::mail_from},
    {"mail_from_domain", &M::mail_from_domain}, {"size", &M::size}, {"sha256", &M::sha256},
    {"spool_segment", &M::spool_segment}, {"spool_offset", &M::spool_offset}, {"message_id", &M::message_id},
    {"date", &M::date}, {"subject", &M::subject}, {"from_header", &M::from}, {"relay_attempt", &M::relay_attempt},
    {"flags", &M::flags}, {"imported", &M::imported}, {"source", &M::source}, {"problems", &M::problems},
    {"country", &M::country}, {"asn", &M::asn}, {"as_org", &M::as_org}, {"spf", &M::spf},
    {"spf_domain", &M::spf_domain}, {"spf_helo", &M::spf_helo}, {"dkim", &M::dkim},
    {"dkim_signatures", &M::dkim_signatures}, {"dmarc", &M::dmarc}, {"dmarc_policy", &M::dmarc_policy},
    {"dmarc_domain", &M::dmarc_domain}, {"dmarc_alignment", &M::dmarc_alignment},
}};

using S = session_record;
constexpr std::array<column<S>, 33> kSession{{
    {"id", &S::id}, {"sensor", &S::sensor}, {"started_at", &S::started_at}, {"ended_at", &S::ended_at},
    {"client_ip", &S::client_ip}, {"client_port", &S::client_port}, {"server_ip", &S::server_ip},
    {"server_port", &S::server_port}, {"helo", &S::helo}, {"helo_verb", &S::helo_verb},
    {"end_reason", &S::end_reason}, {"commands", &S::commands}, {"messages", &S::messages},
    {"errors", &S::errors}, {"transcript", &S::transcript},
    {"imported", &S::imported}, {"source", &S::source}, {"tls_version", &S::tls_version},
    {"tls_cipher", &S::tls_cipher}, {"tls_sni", &S::tls_sni}, {"ja3", &S::ja3}, {"ja4", &S::ja4}, {"ptr", &S::ptr},
    {"fcrdns", &S::fcrdns}, {"dns_error", &S::dns_error}, {"problems", &S::problems},
    {"country", &S::country}, {"asn", &S::asn}, {"as_org", &S::as_org}, {"fingerprint", &S::fingerprint},
    {"behaviour", &S::behaviour}, {"tarpit", &S::tarpit}, {"tarpit_micros", &S::tarpit_micros},
}};  // and two lists: senders (a line each) and violations (JSON)

using R = session_record::recipient;
constexpr std::array<column<R>, 8> kRecipient{{
    {"address", &R::address}, {"domain", &R::domain}, {"accepted", &R::accepted}, {"relay", &R::relay},
    {"reply", &R::reply}, {"greylist", &R::greylist}, {"sender", &R::sender}, {"held_since", &R::held_since},
}};

using A = session_record::auth;
constexpr std::array<column<A>, 4> kAuth{{
    {"at", &A::at}, {"mechanism", &A::mechanism}, {"username", &A::username}, {"password", &A::password},
}};

std::string violations_json(const std::vector<session_record::violation>& list) {
  nlohmann::json v = nlohmann::json::array();
  for (const auto& x : list) v.push_back({{"at", x.at}, {"kind", x.kind}, {"detail", x.detail}});
  return v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// A list cut to fit its column is no longer JSON: what was cut is in the row's problems.
std::vector<session_record::violation> violations_of(const std::string& text) {
  std::vector<session_record::violation> out;
  const auto v = nlohmann::json::parse(text, nullptr, false);
  if (!v.is_array()) return out;
  for (const auto& x : v)
    if (x.is_object()) out.push_back({x.value("at", Micros{0}), x.value("kind", ""), x.value("detail", "")});
  return out;
}

// "?,?,?" for `n` values.
std::string marks(std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += i ? ",?" : "?";
  return out;
}

std::vector<bind_value> ids_of(const auto& rows, std::size_t from, std::size_t n) {
  std::vector<bind_value> out;
  for (std::size_t i = from; i < from + n; ++i) out.emplace_back(rows[i].id);
  return out;
}

// Reads the child rows of `parents` (by `key` = parent id, in position order) in chunks of one
// IN list each, and hands each to `add`.
template <class Parent, class Add>
Status read_children(std::vector<Parent>& parents, const std::string& head, const std::string& key,
                     const std::function<Result<sql::rows>(const std::string&, const std::vector<bind_value>&)>& rows,
                     Add add) {
  constexpr std::size_t kChunk = 500;
  std::map<std::string, Parent*, std::less<>> by_id;
  for (auto& p : parents) by_id[p.id] = &p;
  for (std::size_t at = 0; at < parents.size(); at += kChunk) {
    const std::size_t n = std::min(kChunk, parents.size() - at);
    auto got = rows(head + " WHERE " + key + " IN (" + marks(n) + ") ORDER BY " + key + ", position",
                    ids_of(parents, at, n));
    if (!got) return got.failure();
    for (const auto& r : *got)
      if (auto it = by_id.find(r[0]); it != by_id.end()) add(*it->second, r);
  }
  return {};
}

}  // namespace

message_row fitted(message_row m) {
  std::vector<std::string> problems = split_list(m.problems, ',');
  fit_row<M>("messages", m, kMessage, problems);
  for (auto& a : m.rcpt_to) fit_column("message_recipients", "address", a, problems);
  m.problems = join_list(problems, ',');
  fit_column("messages", "problems", m.problems, problems);
  return m;
}

session_record fitted(session_record s) {
  std::vector<std::string> problems = split_list(s.problems, ',');
  // What the session log could not keep is said in the transcript the store keeps.
  if (s.recipients_dropped > 0)
    s.transcript += "[" + std::to_string(std::exchange(s.recipients_dropped, 0)) + " more RCPT commands not kept]\n";
  if (s.transcript_dropped > 0)
    s.transcript += "[" + std::to_string(std::exchange(s.transcript_dropped, 0)) + " more bytes of transcript not kept]\n";
  fit_row<S>("sessions", s, kSession, problems);
  for (auto& v : s.violations) {
    fit_text(v.kind, 64);
    fit_text(v.detail, 1024);
  }
  for (auto& a : s.senders) fit_column("messages", "mail_from", a, problems);
  for (auto& r : s.recipients) {
    fit_row<R>("recipients", r, kRecipient, problems);
    r.domain = domain_of(r.address);
  }
  for (auto& a : s.auth_attempts) fit_row<A>("auth_attempts", a, kAuth, problems);
  s.problems = join_list(problems, ',');
  fit_column("sessions", "problems", s.problems, problems);
  return s;
}

Result<bool> store::put_message(const message_row& given) {
  const message_row m = fitted(given);
  std::vector<std::string> problems;
  auto fields = fields_of<M>(m, kMessage);
  if (auto ip = ip_address::parse(m.client_ip)) fields.push_back({"client_ip_bin", *ip});
  auto added = insert("messages", std::move(fields), problems, true);
  if (!added) return added.failure();
  if (*added == 0) return false;  // indexed before: nothing to add
  for (std::size_t i = 0; i < m.rcpt_to.size(); ++i) {
    std::string domain = domain_of(m.rcpt_to[i]);
    auto r = insert("message_recipients",
                    {{"message_id", m.id}, {"position", static_cast<std::int64_t>(i)}, {"address", m.rcpt_to[i]},
                     {"domain", std::move(domain)}, {"received_at", m.received_at}},
                    problems);
    if (!r) return r.failure();
  }
  if (auto c = count_message(m); !c) return c.failure();
  return true;
}

Result<bool> store::put_session(const session_record& given) {
  const session_record s = fitted(given);
  std::vector<std::string> problems;
  auto fields = fields_of<S>(s, kSession);
  fields.push_back({"senders", join_list(s.senders, '\n')});
  fields.push_back({"violations", violations_json(s.violations)});
  if (auto ip = ip_address::parse(s.client_ip)) fields.push_back({"client_ip_bin", *ip});
  auto added = insert("sessions", std::move(fields), problems, true);
  if (!added) return added.failure();
  if (*added == 0) return false;
  for (std::size_t i = 0; i < s.recipients.size(); ++i) {
    auto f = fields_of<R>(s.recipients[i], kRecipient);
    f.push_back({"session_id", s.id});
    f.push_back({"position", static_cast<std::int64_t>(i)});
    if (auto r = insert("recipients", std::move(f), problems, true); !r) return r.failure();
  }
  for (std::size_t i = 0; i < s.auth_attempts.size(); ++i) {
    auto f = fields_of<A>(s.auth_attempts[i], kAuth);
    f.push_back({"session_id", s.id});
    f.push_back({"position", static_cast<std::int64_t>(i)});
    if (auto r = insert("auth_attempts", std::move(f), problems, true); !r) return r.failure();
  }
  if (auto c = count_session(s); !c) return c.failure();
  return true;
}

Result<std::vector<message_row>> store::read_messages(const std::string& where, const std::vector<bind_value>& args,
                                                      const std::string& order, std::size_t limit) {
  std::string sql = "SELECT " + column_names<M>(kMessage, "m.") + " FROM messages m WHERE " + where + " ORDER BY " + order;
  if (limit > 0) sql += " LIMIT " + std::to_string(limit);
  auto got = rows(sql, args);
  if (!got) return got.failure();
  std::vector<message_row> out(got->size());
  for (std::size_t i = 0; i < out.size(); ++i) read_row<M>(out[i], (*got)[i], kMessage);
  auto fn = [this](const std::string& q, const std::vector<bind_value>& a) { return rows(q, a); };
  if (auto c = read_children(out, "SELECT message_id, address FROM message_recipients", "message_id", fn,
                             [](message_row& m, const sql::row& r) { m.rcpt_to.push_back(r[1]); });
      !c)
    return c.failure();
  return out;
}

Result<std::vector<message_row>> store::search(const search_filter& f) {
  const sql_filter filter = search_where(f, dialect().nocase());
  return read_messages(filter.where, filter.args, "m.received_at DESC, m.id DESC", f.limit);
}

Result<std::optional<message_row>> store::find_message(std::string_view id) {
  auto got = read_messages("m.id = ?", {std::string(id)}, "m.id", 1);
  if (!got) return got.failure();
  if (got->empty()) return std::optional<message_row>();
  return std::optional<message_row>(std::move(got->front()));
}

Result<std::vector<message_row>> store::messages_after(std::string_view after_id, std::size_t limit) {
  return read_messages("m.id > ?", {std::string(after_id)}, "m.id", limit);
}

Result<std::vector<session_record>> store::read_sessions(const std::string& where, const std::vector<bind_value>& args,
                                                      std::size_t limit) {
  auto got = rows("SELECT " + column_names<S>(kSession) + ", senders, violations FROM sessions WHERE " + where + " ORDER BY id LIMIT " +
                      std::to_string(limit),
                  args);
  if (!got) return got.failure();
  std::vector<session_record> out(got->size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    read_row<S>(out[i], (*got)[i], kSession);
    out[i].senders = split_list((*got)[i][kSession.size()], '\n');
    out[i].violations = violations_of((*got)[i][kSession.size() + 1]);
  }
  auto fn = [this](const std::string& q, const std::vector<bind_value>& a) { return rows(q, a); };
  if (auto c = read_children(out, "SELECT session_id, " + column_names<R>(kRecipient) + " FROM recipients",
                             "session_id", fn,
                             [](session_record& s, const sql::row& r) {
                               read_row<R>(s.recipients.emplace_back(), r, kRecipient, 1);
                             });
      !c)
    return c.failure();
  if (auto c = read_children(out, "SELECT session_id, " + column_names<A>(kAuth) + " FROM auth_attempts",
                             "session_id", fn,
                             [](session_record& s, const sql::row& r) {
                               read_row<A>(s.auth_attempts.emplace_back(), r, kAuth, 1);
                             });
      !c)
    return c.failure();
  return out;
}

Result<std::optional<session_record>> store::find_session(std::string_view id) {
  auto got = read_sessions("id = ?", {std::string(id)}, 1);
  if (!got) return got.failure();
  if (got->empty()) return std::optional<session_record>();
  return std::optional<session_record>(std::move(got->front()));
}

Result<std::vector<session_record>> store::sessions_after(std::string_view after_id, std::size_t limit) {
  return read_sessions("id > ?", {std::string(after_id)}, limit);
}

Result<spool_checkpoint> store::checkpoint(std::string_view sensor) {
  auto got = rows("SELECT segment, `offset` FROM spool_checkpoints WHERE sensor = ?", {std::string(sensor)});
  if (!got) return got.failure();
  if (got->empty()) return spool_checkpoint{};
  return spool_checkpoint{static_cast<std::uint32_t>(column_int(got->front()[0])), column_uint(got->front()[1])};
}

Status store::set_checkpoint(std::string_view sensor, const spool_checkpoint& c) {
  auto r = run("INSERT INTO spool_checkpoints (sensor, segment, `offset`) VALUES (?, ?, ?)" + upsert("sensor") +
                   "segment = " + excluded("segment") + ", `offset` = " + excluded("`offset`"),
               {std::string(sensor), std::int64_t{c.segment}, static_cast<std::int64_t>(c.offset)});
  if (!r) return r.failure();
  return {};
}

Result<std::vector<std::pair<std::string, spool_checkpoint>>> store::checkpoints() {
  auto got = rows("SELECT sensor, segment, `offset` FROM spool_checkpoints ORDER BY sensor", {});
  if (!got) return got.failure();
  std::vector<std::pair<std::string, spool_checkpoint>> out;
  for (const auto& r : *got)
    out.emplace_back(r[0], spool_checkpoint{static_cast<std::uint32_t>(column_int(r[1])), column_uint(r[2])});
  return out;
}

Result<totals> store::count() {
  auto got = rows("SELECT (SELECT count(*) FROM messages), (SELECT count(*) FROM sessions)", {});
  if (!got || got->empty()) return Error{"counting: " + got.error(), got.kind()};
  return totals{column_uint(got->front()[0]), column_uint(got->front()[1])};
}

Status store::clear(std::string_view sensor) {
  auto expired = last_expired_segment(sensor);
  if (!expired) return expired.failure();
  // What retention dropped is not in the spool any more: its rows stay. A record is written at
  // or before its segment's newest time, so a row of a dropped segment is never newer than that.
  const std::int64_t last_segment = *expired ? std::int64_t{(*expired)->segment} : -1;
  const Micros newest = *expired ? (*expired)->newest_at : std::numeric_limits<Micros>::min();
  const std::string s(sensor);
  {
    transaction tx(*this);
    if (!tx.begun()) return tx.begun();
    if (auto f = clear_forensics(sensor, " AND spool_segment > ?", {last_segment}); !f) return f;
    const std::pair<const char*, std::vector<bind_value>> steps[] = {
        // Sender authentication asked DNS at the time: no spool can give it again. Kept aside
        // until the rebuilt rows take it back (restore_auth).
        {"INSERT INTO auth_kept (id, spf, spf_domain, spf_helo, dkim, dkim_signatures, dmarc, dmarc_policy, "
         "dmarc_domain, dmarc_alignment) SELECT id, spf, spf_domain, spf_helo, dkim, dkim_signatures, dmarc, "
         "dmarc_policy, dmarc_domain, dmarc_alignment FROM messages WHERE imported = 0 AND sensor = ? AND "
         "spool_segment > ? AND spf <> '' AND id NOT IN (SELECT id FROM auth_kept)",
         {s, last_segment}},
        {"DELETE FROM message_recipients WHERE message_id IN "
         "(SELECT id FROM messages WHERE imported = 0 AND sensor = ? AND spool_segment > ?)",
         {s, last_segment}},
        {"DELETE FROM messages WHERE imported = 0 AND sensor = ? AND spool_segment > ?", {s, last_segment}},
        {"DELETE FROM recipients WHERE session_id IN "
         "(SELECT id FROM sessions WHERE imported = 0 AND sensor = ? AND ended_at > ?)",
         {s, newest}},
        {"DELETE FROM auth_attempts WHERE session_id IN "
         "(SELECT id FROM sessions WHERE imported = 0 AND sensor = ? AND ended_at > ?)",
         {s, newest}},
        {"DELETE FROM sessions WHERE imported = 0 AND sensor = ? AND ended_at > ?", {s, newest}},
        // The seed page's requests and the seeds they minted are in the spool; seeds minted by
        // `spampot seed` are not, and stay.
        {"DELETE FROM seeds WHERE source = 'page' AND sensor = ? AND minted_at > ?", {s, newest}},
        {"DELETE FROM http_requests WHERE sensor = ? AND at > ?", {s, newest}},
        {"DELETE FROM spool_checkpoints WHERE sensor = ?", {s}},
        // Every record is read again, quarantined ones too: those refused again come back.
        {"DELETE FROM quarantine WHERE sensor = ?", {s}},
    };
    for (const auto& [sql, args] : steps)
      if (auto r = run(sql, args); !r) return Error{"clearing the index: " + r.error(), r.kind()};
    if (auto c = tx.commit(); !c) return c;
  }
  return rebuild_harvest();
}

}  // namespace spampot::store
