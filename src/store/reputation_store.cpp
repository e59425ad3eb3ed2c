// DNS-based list answers and where each entry stands, written and read the same way by every
// backend through its two SQL primitives.
#include <array>

#include "store/column_number.hpp"
#include "store/store.hpp"

namespace spampot::store {
namespace {

// The harvest key kinds a list of `kind` is asked about.
std::string key_kinds(const std::string& kind) {
  if (kind == "ip") return "'ip'";
  if (kind == "domain") return "'sender_domain', 'helo'";
  return "'url_domain'";  // registrable domains of the URLs in messages
}

using T = dnsbl_state_row;
constexpr std::array<column<T>, 15> kState{{
    {"kind", &T::kind}, {"entry", &T::entry}, {"list_zone", &T::list}, {"first_checked_at", &T::first_checked_at},
    {"last_checked_at", &T::last_checked_at}, {"first_answer", &T::first_answer},
    {"first_answer_at", &T::first_answer_at}, {"last_answer", &T::last_answer},
    {"first_listed_at", &T::first_listed_at}, {"last_listed_at", &T::last_listed_at}, {"codes", &T::codes},
    {"meaning", &T::meaning}, {"txt", &T::txt}, {"errors", &T::errors}, {"last_error", &T::last_error},
}};
const std::string kStateColumns = column_names<T>(kState, "s.");

using C = dnsbl_check_row;
constexpr std::array<column<C>, 8> kCheck{{
    {"kind", &C::kind}, {"entry", &C::entry}, {"list_zone", &C::list}, {"checked_at", &C::checked_at},
    {"verdict", &C::verdict}, {"codes", &C::codes}, {"meaning", &C::meaning}, {"txt", &C::txt},
}};

dnsbl_state_row state_from(const sql::row& r) {
  dnsbl_state_row s;
  read_row<T>(s, r, kState);
  if (r.size() > kState.size()) s.first_seen = column_int(r[kState.size()]);
  return s;
}

}  // namespace

Status store::record_check(const dnsbl_check_row& c) {
  // DNS answers are text from servers the trap does not run: fitted like a spammer's.
  std::vector<std::string> fitted;
  if (auto r = insert("dnsbl_checks", fields_of<C>(c, kCheck), fitted); !r) return r.failure();
  auto got = rows("SELECT " + kStateColumns +
                      " FROM dnsbl_state s WHERE s.kind = ? AND s.entry = ? AND s.list_zone = ?",
                  {c.kind, c.entry, c.list});
  if (!got) return got.failure();
  dnsbl_state_row s;
  const bool fresh = got->empty();
  if (fresh) {
    s.kind = c.kind;
    s.entry = c.entry;
    s.list = c.list;
    s.first_checked_at = c.checked_at;
  } else {
    s = state_from(got->front());
  }
  s.last_checked_at = c.checked_at;
  if (c.verdict == "error") {
    ++s.errors;
    s.last_error = c.meaning;
  } else {
    s.last_error.clear();  // the count of errors stays; the latest answer supersedes them
    if (s.first_answer.empty()) {
      s.first_answer = c.verdict;
      s.first_answer_at = c.checked_at;
    }
    s.last_answer = c.verdict;
    if (c.verdict == "listed") {
      if (s.first_listed_at == 0) s.first_listed_at = c.checked_at;
      s.last_listed_at = c.checked_at;
      s.codes = c.codes;
      s.meaning = c.meaning;
      s.txt = c.txt;
    }
  }
  fit_row<T>("dnsbl_state", s, kState, fitted);
  if (fresh) {
    if (auto r = insert("dnsbl_state", fields_of<T>(s, kState), fitted); !r) return r.failure();
    return {};
  }
  // The key columns (the first three) select the row; the others are set.
  std::string set;
  std::vector<bind_value> values;
  auto fields = fields_of<T>(s, kState);
  for (std::size_t i = 3; i < fields.size(); ++i) {
    set += (set.empty() ? "`" : ", `") + std::string(fields[i].column) + "` = ?";
    values.push_back(std::move(fields[i].value));
  }
  for (std::size_t i = 0; i < 3; ++i) values.push_back(std::move(fields[i].value));
  if (auto r = run("UPDATE dnsbl_state SET " + set + " WHERE kind = ? AND entry = ? AND list_zone = ?", values); !r)
    return r.failure();
  return {};
}

Result<std::vector<std::string>> store::due_entries(const std::string& kind, const std::string& list,
                                                    Micros checked_before,
                                                    std::optional<Micros> seen_since,
                                                    const std::string& after, std::size_t limit) {
  std::vector<bind_value> args{kind, list, checked_before, after};
  std::string sql =
      "SELECT DISTINCT k.name FROM harvest_keys k LEFT JOIN dnsbl_state s ON s.kind = ? AND "
      "s.entry = k.name AND s.list_zone = ? WHERE k.kind IN (" +
      key_kinds(kind) + ") AND (s.entry IS NULL OR s.last_checked_at < ?) AND k.name > ?";
  if (seen_since) {
    sql += " AND k.last_seen >= ?";
    args.emplace_back(*seen_since);
  }
  sql += " ORDER BY k.name LIMIT ?";
  args.emplace_back(static_cast<std::int64_t>(limit));
  auto got = rows(sql, args);
  if (!got) return got.failure();
  std::vector<std::string> out;
  out.reserve(got->size());
  for (auto& r : *got) out.push_back(std::move(r[0]));
  return out;
}

Result<std::vector<dnsbl_state_row>> store::dnsbl_states(const std::string& list,
                                                         std::optional<Micros> seen_since) {
  // The trap's first sighting: of the client IP, or the earliest of the name as sender domain
  // and as HELO.
  std::string sql = "SELECT " + kStateColumns +
                    ", (SELECT min(k.first_seen) FROM harvest_keys k WHERE k.name = s.entry AND "
                    "((s.kind = 'ip' AND k.kind = 'ip') OR (s.kind = 'domain' AND k.kind IN "
                    "('sender_domain', 'helo')) OR (s.kind = 'url' AND k.kind = 'url_domain'))) AS seen FROM dnsbl_state s WHERE s.list_zone = ?";
  std::vector<bind_value> args{list};
  auto got = rows(sql + " ORDER BY s.entry", args);
  if (!got) return got.failure();
  std::vector<dnsbl_state_row> out;
  for (const auto& r : *got) {
    auto s = state_from(r);
    if (seen_since && s.first_seen < *seen_since) continue;
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::vector<dnsbl_state_row>> store::dnsbl_entry(const std::string& entry) {
  auto got = rows("SELECT " + kStateColumns + " FROM dnsbl_state s WHERE s.entry = ? ORDER BY s.list_zone",
                  {entry});
  if (!got) return got.failure();
  std::vector<dnsbl_state_row> out;
  for (const auto& r : *got) out.push_back(state_from(r));
  return out;
}

Result<std::vector<dnsbl_check_row>> store::dnsbl_history(const std::string& entry) {
  auto got = rows("SELECT " + column_names<C>(kCheck) + " FROM dnsbl_checks WHERE entry = ? ORDER BY checked_at, list_zone",
                  {entry});
  if (!got) return got.failure();
  std::vector<dnsbl_check_row> out(got->size());
  for (std::size_t i = 0; i < out.size(); ++i) read_row<C>(out[i], (*got)[i], kCheck);
  return out;
}

Result<std::vector<std::string>> store::session_dns(const std::string& session_id) {
  auto got = rows("SELECT ptr, fcrdns, dns_error FROM sessions WHERE id = ?", {session_id});
  if (!got) return got.failure();
  if (got->empty()) return std::vector<std::string>{};
  return got->front();
}

}  // namespace spampot::store
