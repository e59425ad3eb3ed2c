// The harvest tables, written and read the same way by every backend through its two SQL
// primitives: what a counter means is decided once, here and in harvest.cpp.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <limits>
#include <map>
#include <tuple>
#include <utility>

#include "base/time.hpp"
#include "store/column_number.hpp"
#include "store/store.hpp"

namespace spampot::store {
namespace {

// The counter rows a window covers, by their day or hour number (`bucket` is day_of or hour_of):
// every bucket the window touches, so --since and --until select whole days or hours.
void bucket_bounds(const window& w, std::string& where, std::vector<bind_value>& args,
                   std::string_view column, std::int64_t (*bucket)(Micros)) {
  if (w.since) {
    where += " AND " + std::string(column) + " >= ?";
    args.emplace_back(bucket(*w.since));
  }
  if (w.until) {
    where += " AND " + std::string(column) + " <= ?";
    args.emplace_back(bucket(*w.until - 1));
  }
}

// The day rows of one key kind a window covers: "table WHERE ...", overall or at one trap domain
// (where the trap domain itself is the one key of its kind, counted overall).
std::string day_rows(key_kind k, const window& w, std::vector<bind_value>& args) {
  const bool per_domain = !w.domain.empty() && k != key_kind::trap_domain;
  std::string from = per_domain ? "harvest_domain_days WHERE domain = ? AND kind = ?"
                                : "harvest_key_days WHERE kind = ?";
  if (per_domain) args.emplace_back(w.domain);
  args.emplace_back(std::string(to_string(k)));
  if (!w.domain.empty() && !per_domain) {
    from += " AND name = ?";
    args.emplace_back(w.domain);
  }
  bucket_bounds(w, from, args, "day_no", day_of);
  return from;
}

std::string this_host() {
  char name[256] = {};
  ::gethostname(name, sizeof name - 1);
  return name;
}

// kill(pid, 0) fails with ESRCH only when there is no such process (EPERM: there is, another
// user's).
bool process_lives(std::int64_t pid) {
  return pid > 0 && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH);
}

key_stat key_from(const std::vector<std::string>& r) {
  return {r[0], column_int(r[1]), column_int(r[2]), column_uint(r[3]), column_uint(r[4]), column_uint(r[5])};
}

}  // namespace

// The counters a transaction's new rows moved, merged: a batch of 500 messages from a handful of
// bots touches each IP, HELO and trap domain once, not 500 times.
struct store::pending_harvest {
  struct delta {
    Micros first = std::numeric_limits<Micros>::max();
    Micros last = std::numeric_limits<Micros>::min();
    std::int64_t messages = 0;
    std::int64_t sessions = 0;
    delta& operator+=(const delta& o) {
      first = std::min(first, o.first);
      last = std::max(last, o.last);
      messages += o.messages;
      sessions += o.sessions;
      return *this;
    }
  };
  struct hour_delta {
    std::int64_t messages = 0, sessions = 0, relay = 0, auth = 0;
    hour_delta& operator+=(const hour_delta& o) {
      messages += o.messages;
      sessions += o.sessions;
      relay += o.relay;
      auth += o.auth;
      return *this;
    }
  };
  std::map<std::tuple<std::string, std::string, std::int64_t>, delta> days;  // kind, name, day
  // domain, kind, name, day
  std::map<std::tuple<std::string, std::string, std::string, std::int64_t>, delta> domain_days;
  std::map<std::pair<std::string, std::int64_t>, hour_delta> hours;          // domain, hour
  bool empty() const { return days.empty() && domain_days.empty() && hours.empty(); }
  void clear() {
    days.clear();
    domain_days.clear();
    hours.clear();
  }
  // A record's counters join the transaction's: its new keys by moving their nodes across (a
  // copy of every key's strings per record was 3% of an import), the others by adding.
  void merge(pending_harvest&& o) {
    splice(days, o.days);
    splice(domain_days, o.domain_days);
    splice(hours, o.hours);
  }
  template <class Map>
  static void splice(Map& into, Map& from) {
    into.merge(from);
    for (const auto& [k, v] : from) into.find(k)->second += v;
  }
};

store::store(std::unique_ptr<sql::connection> conn)
    : conn_(std::move(conn)), pending_(std::make_unique<pending_harvest>()) {}
store::~store() = default;

Status store::begin() {
  pending_->clear();
  record_.reset();
  return conn_->exec(dialect().begin());
}

Status store::commit() {
  if (record_) pending_->merge(std::move(*std::exchange(record_, nullptr)));
  if (!pending_->empty() && !recounting_ && recount_asked_ != recount_asked::no) {
    auto asked = recount_pending();
    if (!asked || *asked) {
      rollback();
      if (!asked) return asked.failure();
      return Error{"the harvest counters are being recounted after an upgrade; what adds to them "
                   "waits until that is done",
                   error_kind::transient};
    }
  }
  if (auto f = flush_harvest(); !f) {
    rollback();
    return f;
  }
  pending_->clear();
  return conn_->exec("COMMIT");
}

void store::rollback() {
  pending_->clear();
  record_.reset();
  (void)conn_->exec("ROLLBACK");
}

Status store::begin_record() {
  record_ = std::make_unique<pending_harvest>();
  return conn_->exec("SAVEPOINT spool_record");
}

Status store::keep_record() {
  if (record_) pending_->merge(std::move(*std::exchange(record_, nullptr)));
  return conn_->exec("RELEASE SAVEPOINT spool_record");
}

void store::drop_record() {
  record_.reset();
  (void)conn_->exec("ROLLBACK TO SAVEPOINT spool_record");
  (void)conn_->exec("RELEASE SAVEPOINT spool_record");
}

void store::gather(const row_hits& h) {
  pending_harvest& into = record_ ? *record_ : *pending_;
  for (const auto& k : h.keys) {
    const pending_harvest::delta d{k.at, k.at, k.messages, k.sessions};
    into.days[{std::string(to_string(k.kind)), k.name, day_of(k.at)}] += d;
    if (counted_per_domain(k.kind))
      for (const auto& domain : h.domains)
        into.domain_days[{domain, std::string(to_string(k.kind)), k.name, day_of(k.at)}] += d;
  }
  for (const auto& hh : h.hours)
    into.hours[{hh.domain, hour_of(hh.at)}] += {hh.messages, hh.sessions, hh.relay_attempts, hh.auth_attempts};
}

// One multi-row upsert per table and chunk of rows. A key's distinct days are recounted from its
// day rows after those are written: that stays exact however many days one batch spans.
Status store::flush_harvest() {
  constexpr std::size_t kChunk = 100;
  auto write = [&](std::string_view head, std::string_view conflict, std::string_view row_marks,
                   const std::string& set, std::size_t n_rows, auto bind_row) -> Status {
    for (std::size_t at = 0; at < n_rows; at += kChunk) {
      const std::size_t n = std::min(kChunk, n_rows - at);
      std::string sql(head);
      std::vector<bind_value> args;
      for (std::size_t i = 0; i < n; ++i) {
        sql += i ? "," : " VALUES ";
        sql += row_marks;
        bind_row(at + i, args);
      }
      sql += upsert(conflict) + set;
      if (auto r = run(sql, args); !r) return r.failure();
    }
    return {};
  };
  auto earlier = [&](std::string_view col) {
    return std::string(col) + " = CASE WHEN " + std::string(col) + " < " + excluded(col) +
           " THEN " + std::string(col) + " ELSE " + excluded(col) + " END";
  };
  auto later = [&](std::string_view col) {
    return std::string(col) + " = CASE WHEN " + std::string(col) + " > " + excluded(col) +
           " THEN " + std::string(col) + " ELSE " + excluded(col) + " END";
  };
  auto plus = [&](std::string_view col) {
    return std::string(col) + " = " + std::string(col) + " + " + excluded(col);
  };

  const auto& days = pending_->days;
  std::vector<const std::pair<const std::tuple<std::string, std::string, std::int64_t>,
                              pending_harvest::delta>*>
      d;
  for (const auto& e : days) d.push_back(&e);
  if (auto s = write("INSERT INTO harvest_key_days (kind, name, day_no, first_at, last_at, "
                     "messages, sessions)",
                     "kind, name, day_no", "(?,?,?,?,?,?,?)",
                     earlier("first_at") + ", " + later("last_at") + ", " + plus("messages") +
                         ", " + plus("sessions"),
                     d.size(),
                     [&](std::size_t i, std::vector<bind_value>& a) {
                       const auto& [k, v] = *d[i];
                       a.insert(a.end(), {std::get<0>(k), std::get<1>(k), std::get<2>(k), v.first,
                                          v.last, v.messages, v.sessions});
                     });
      !s)
    return s;

  // Per key: the batch's days merged (the map is ordered by kind and name, then day).
  struct key_delta {
    std::string kind, name;
    pending_harvest::delta v;
    std::int64_t days = 0;
  };
  std::vector<key_delta> keys;
  for (const auto& [k, v] : days) {
    if (keys.empty() || keys.back().kind != std::get<0>(k) || keys.back().name != std::get<1>(k))
      keys.push_back({std::get<0>(k), std::get<1>(k), {}, 0});
    keys.back().v += v;
    ++keys.back().days;
  }
  if (auto s = write(
          "INSERT INTO harvest_keys (kind, name, first_seen, last_seen, messages, sessions, days)",
          "kind, name", "(?,?,?,?,?,?,?)",
          earlier("first_seen") + ", " + later("last_seen") + ", " + plus("messages") + ", " +
              plus("sessions") +
              ", days = (SELECT count(*) FROM harvest_key_days d WHERE d.kind = harvest_keys.kind "
              "AND d.name = harvest_keys.name)",
          keys.size(),
          [&](std::size_t i, std::vector<bind_value>& a) {
            const auto& k = keys[i];
            a.insert(a.end(),
                     {k.kind, k.name, k.v.first, k.v.last, k.v.messages, k.v.sessions, k.days});
          });
      !s)
    return s;

  std::vector<const std::pair<const std::tuple<std::string, std::string, std::string, std::int64_t>,
                              pending_harvest::delta>*>
      dd;
  for (const auto& e : pending_->domain_days) dd.push_back(&e);
  if (auto s = write("INSERT INTO harvest_domain_days (domain, kind, name, day_no, first_at, "
                     "last_at, messages, sessions)",
                     "domain, kind, name, day_no", "(?,?,?,?,?,?,?,?)",
                     earlier("first_at") + ", " + later("last_at") + ", " + plus("messages") +
                         ", " + plus("sessions"),
                     dd.size(),
                     [&](std::size_t i, std::vector<bind_value>& a) {
                       const auto& [k, v] = *dd[i];
                       a.insert(a.end(), {std::get<0>(k), std::get<1>(k), std::get<2>(k),
                                          std::get<3>(k), v.first, v.last, v.messages, v.sessions});
                     });
      !s)
    return s;

  std::vector<
      const std::pair<const std::pair<std::string, std::int64_t>, pending_harvest::hour_delta>*>
      h;
  for (const auto& e : pending_->hours) h.push_back(&e);
  if (auto s =
          write("INSERT INTO harvest_hours (domain, hour_no, messages, sessions, relay_attempts, "
                "auth_attempts)",
                "domain, hour_no", "(?,?,?,?,?,?)",
                plus("messages") + ", " + plus("sessions") + ", " + plus("relay_attempts") + ", " +
                    plus("auth_attempts"),
                h.size(),
                [&](std::size_t i, std::vector<bind_value>& a) {
                  const auto& [k, v] = *h[i];
                  a.insert(a.end(), {k.first, k.second, v.messages, v.sessions, v.relay, v.auth});
                });
      !s)
    return s;
  pending_->clear();
  return {};
}

Status store::count_message(const message_row& m) {
  gather(hits_of(m));
  return {};
}

// One query per session, not per message: the Message-IDs and Subjects its messages carried.
Status store::count_session(const session_record& s) {
  std::vector<std::string> ids, subjects;
  static const std::string q = "SELECT message_id, subject FROM messages WHERE session_id = ?";
  auto got = rows(q, {s.id});
  if (!got) return got.failure();
  for (const auto& r : *got) {
    ids.push_back(r[0]);
    subjects.push_back(r[1]);
  }
  gather(hits_of(s, ids, subjects));
  return {};
}

Status store::rebuild_harvest(const std::atomic<bool>* stop) {
  recounting_ = true;
  struct done {
    bool& recounting;
    ~done() { recounting = false; }
  } done_{recounting_};
  const auto stopped = [&]() -> Status {
    if (!stop || !stop->load()) return {};
    return Error{"the harvest recount stopped before its end; it starts again at the next start",
                 error_kind::transient};
  };
  if (auto s = stopped(); !s) return s;
  {
    transaction tx(*this);
    if (!tx.begun()) return tx.begun();
    for (const char* t : {"DELETE FROM harvest_keys", "DELETE FROM harvest_key_days",
                          "DELETE FROM harvest_domain_days", "DELETE FROM harvest_hours"})
      if (auto r = run(t, {}); !r) return r.failure();
    if (auto c = tx.commit(); !c) return c;
  }
  // Rows read a page at a time, counted kPerTransaction rows a transaction: a big store does not
  // hold one huge write, and a transaction's counters merge in memory before they are written
  // (2,000 rows a transaction spent 42 s on 200,000 messages, mostly writing the same counter
  // pages again; 10,000 take 18 s and 53 MiB). Each transaction renews this process's claim.
  constexpr std::size_t kPage = 2000, kPerTransaction = 10000;
  const std::string host = this_host();
  const std::int64_t pid = ::getpid();
  auto replay = [&](auto fetch, auto count) -> Status {
    std::string after;
    for (bool more = true; more;) {
      if (auto s = stopped(); !s) return s;
      transaction tx(*this);
      if (!tx.begun()) return tx.begun();
      for (std::size_t n = 0; more && n < kPerTransaction;) {
        auto page = fetch(after);
        if (!page) return page.failure();
        for (const auto& row : *page)
          if (auto s = count(row); !s) return s;
        more = !page->empty();
        if (more) after = page->back().id;
        n += page->size();
      }
      if (auto r = run("UPDATE harvest_recount SET claimed_at = ? WHERE claimed_host = ? AND claimed_pid = ?",
                       {now_micros(), host, pid});
          !r)
        return r.failure();
      if (auto c = tx.commit(); !c) return c;
    }
    return {};
  };
  if (auto s = replay([&](const std::string& a) { return messages_after(a, kPage); },
                      [&](const message_row& m) -> Status {
                        if (auto c = count_message(m); !c) return c;
                        if (m.imported) return {};
                        auto urls = rows("SELECT domain FROM message_urls WHERE message_id = ?", {m.id});
                        if (!urls) return urls.failure();
                        std::vector<std::string> domains;
                        for (auto& u : *urls) domains.push_back(std::move(u[0]));
                        gather(url_hits(domains, m));
                        return {};
                      });
      !s)
    return s;
  if (auto s = replay([&](const std::string& a) { return sessions_after(a, kPage); },
                      [&](const session_record& row) { return count_session(row); });
      !s)
    return s;
  if (auto s = replay([&](const std::string& a) { return http_requests_after(a, kPage); },
                      [&](const http_request_row& h) {
                        gather(hits_of(h));
                        return Status{};
                      });
      !s)
    return s;
  // Counted from every row: whatever recount a migration asked for is done too.
  if (auto r = run("DELETE FROM harvest_recount", {}); !r) return r.failure();
  recount_asked_ = recount_asked::no;
  return {};
}

Result<std::optional<store::recount_claim>> store::recount_pending() {
  auto got = rows("SELECT claimed_host, claimed_by, claimed_pid, claimed_at FROM harvest_recount WHERE id = 1", {});
  if (!got) return got.failure();
  if (got->empty()) {
    recount_asked_ = recount_asked::no;
    return std::optional<recount_claim>();
  }
  recount_asked_ = recount_asked::yes;
  const auto& r = got->front();
  return std::optional<recount_claim>(recount_claim{r[0], r[1], column_int(r[2]), column_int(r[3])});
}

std::string describe(const store::recount_claim& c) {
  if (c.by.empty()) return "to be recounted after an upgrade (`spampot serve` does it first thing)";
  return "being recounted after an upgrade by " + c.by + " (pid " + std::to_string(c.pid) + " on " + c.host +
         "), last heard from at " + format_rfc3339(c.at, false);
}

Result<bool> store::recount_if_pending(std::string_view by, const std::atomic<bool>* stop) {
  if (recount_asked_ == recount_asked::no) return false;
  auto pending = recount_pending();
  if (!pending) return pending.failure();
  if (!*pending) return false;
  const recount_claim& c = **pending;
  const std::string host = this_host();
  const std::int64_t pid = ::getpid();
  const Micros now = now_micros();
  // A process on this host is asked whether it lives; one elsewhere, whether it renewed lately.
  const bool held = !c.by.empty() && !(c.host == host && c.pid == pid) &&
                    (c.host == host ? process_lives(c.pid) : now - c.at < kRecountLease);
  if (held) return false;
  auto took = run("UPDATE harvest_recount SET claimed_host = ?, claimed_pid = ?, claimed_by = ?, claimed_at = ? "
                  "WHERE id = 1 AND claimed_host = ? AND claimed_pid = ? AND claimed_at = ?",
                  {host, pid, std::string(by), now, c.host, c.pid, c.at});
  if (!took) return took.failure();
  if (*took == 0) return false;  // another process claimed it between the two statements
  if (auto r = rebuild_harvest(stop); !r) return Error{"cannot recount the harvest: " + r.error(), r.kind()};
  return true;
}

// All time and overall, the key rows themselves; within a window or at one trap domain, the day
// rows summed.
Result<std::vector<key_stat>> store::top_keys(key_kind k, const window& w, std::size_t limit) {
  const std::string lim = limit > 0 ? " LIMIT " + std::to_string(limit) : "";
  std::vector<bind_value> args;
  std::string sql;
  if (!w.since && !w.until && w.domain.empty()) {
    args.emplace_back(std::string(to_string(k)));
    sql =
        "SELECT name, first_seen, last_seen, messages, sessions, days FROM harvest_keys WHERE kind "
        "= ? ORDER BY messages DESC, sessions DESC, name" +
        lim;
  } else {
    sql = "SELECT name, min(first_at), max(last_at), sum(messages), sum(sessions), count(*) FROM " +
          day_rows(k, w, args) + " GROUP BY name ORDER BY 4 DESC, 5 DESC, name" + lim;
  }
  auto got = rows(sql, args);
  if (!got) return got.failure();
  std::vector<key_stat> out;
  out.reserve(got->size());
  for (const auto& r : *got) out.push_back(key_from(r));
  return out;
}

Result<reader<key_stat>> store::read_keys(key_kind k) {
  auto c = conn_->open_cursor(
      "SELECT name, first_seen, last_seen, messages, sessions, days FROM harvest_keys WHERE kind = ? ORDER BY " +
          dialect().bytewise("name"),
      {std::string(to_string(k))});
  if (!c) return c.failure();
  return reader<key_stat>(std::move(*c), key_from);
}

Result<std::optional<key_stat>> store::find_key(key_kind k, std::string_view name) {
  static const std::string q =
      "SELECT name, first_seen, last_seen, messages, sessions, days FROM harvest_keys WHERE kind = "
      "? AND name = ?";
  auto got = rows(q, {std::string(to_string(k)), key_name(k, name)});
  if (!got) return got.failure();
  if (got->empty()) return std::optional<key_stat>();
  return std::optional<key_stat>(key_from(got->front()));
}

Result<std::uint64_t> store::count_keys(key_kind k, const window& w) {
  std::vector<bind_value> args;
  std::string sql;
  if (!w.since && !w.until && w.domain.empty()) {
    args.emplace_back(std::string(to_string(k)));
    sql = "SELECT count(*) FROM harvest_keys WHERE kind = ?";
  } else {
    sql = "SELECT count(DISTINCT name) FROM " + day_rows(k, w, args);
  }
  auto got = rows(sql, args);
  if (!got) return got.failure();
  return got->empty() ? 0 : column_uint(got->front()[0]);
}

Result<std::vector<hour_stat>> store::hours(const window& w) {
  std::vector<bind_value> args{w.domain};
  std::string where = "domain = ?";
  bucket_bounds(w, where, args, "hour_no", hour_of);
  auto got = rows(
      "SELECT hour_no, messages, sessions, relay_attempts, auth_attempts FROM harvest_hours "
      "WHERE " +
          where + " ORDER BY hour_no",
      args);
  if (!got) return got.failure();
  std::vector<hour_stat> out;
  out.reserve(got->size());
  for (const auto& r : *got)
    out.push_back({column_int(r[0]), column_uint(r[1]), column_uint(r[2]), column_uint(r[3]), column_uint(r[4])});
  return out;
}

Result<std::vector<Micros>> store::first_messages(std::string_view domain, std::size_t n) {
  // One index range over (domain, received_at); a message with several recipients at the domain
  // has several rows, so read on until n distinct messages are seen.
  std::vector<Micros> out;
  std::vector<std::string> seen;
  Micros after = std::numeric_limits<Micros>::min();
  std::string last_id;
  while (out.size() < n) {
    auto got = rows(
        "SELECT message_id, received_at FROM message_recipients WHERE domain = ? AND received_at "
        ">= ? "
        "ORDER BY received_at, message_id LIMIT " +
            std::to_string(n * 2 + 16),
        {std::string(domain), after});
    if (!got) return got.failure();
    bool progressed = false;
    for (const auto& r : *got) {
      if (std::find(seen.begin(), seen.end(), r[0]) != seen.end()) continue;
      seen.push_back(r[0]);
      out.push_back(column_int(r[1]));
      progressed = true;
      after = column_int(r[1]);
      if (out.size() == n) break;
    }
    if (!progressed) break;
  }
  return out;
}

Result<std::vector<auth_stat>> store::top_auth(const std::vector<std::string>& fields,
                                               const window& w, std::size_t limit) {
  std::string cols;
  for (const auto& f : fields) {
    if (f != "username" && f != "password" && f != "mechanism") return Error{"no AUTH field " + f};
    cols += (cols.empty() ? "" : ", ") + f;
  }
  if (cols.empty()) return Error{"no AUTH field to group by"};
  std::string where = "1=1";
  std::vector<bind_value> args;
  time_bounds(w, where, args, "at");
  std::string sql =
      "SELECT " + cols +
      ", count(*), count(DISTINCT session_id), min(at), max(at) FROM auth_attempts WHERE " + where +
      " GROUP BY " + cols + " ORDER BY " + std::to_string(fields.size() + 1) + " DESC, " + cols;
  if (limit > 0) sql += " LIMIT " + std::to_string(limit);
  auto got = rows(sql, args);
  if (!got) return got.failure();
  std::vector<auth_stat> out;
  const std::size_t n = fields.size();
  for (const auto& r : *got) {
    auth_stat a;
    a.values.assign(r.begin(), r.begin() + static_cast<std::ptrdiff_t>(n));
    a.attempts = column_uint(r[n]);
    a.sessions = column_uint(r[n + 1]);
    a.first = column_int(r[n + 2]);
    a.last = column_int(r[n + 3]);
    out.push_back(std::move(a));
  }
  return out;
}

Result<std::vector<listing>> store::listed_page(std::string_view list, std::string_view after, std::size_t limit) {
  auto got = rows("SELECT entry, listed_at, reason FROM listings WHERE list_name = ? AND entry > ? ORDER BY entry LIMIT " +
                      std::to_string(limit),
                  {std::string(list), std::string(after)});
  if (!got) return got.failure();
  std::vector<listing> out;
  out.reserve(got->size());
  for (const auto& r : *got) out.push_back({r[0], column_int(r[1]), r[2]});
  return out;
}

Status store::record_listing_changes(std::string_view list,
                                     const std::vector<listing_event>& changes) {
  static const std::string ev =
      "INSERT INTO listing_events (at, list_name, entry, action, reason) VALUES (?,?,?,?,?)";
  static const std::string add =
      "INSERT INTO listings (list_name, entry, listed_at, reason) VALUES (?,?,?,?)";
  static const std::string del = "DELETE FROM listings WHERE list_name = ? AND entry = ?";
  const std::string l(list);
  for (const auto& given : changes) {
    listing_event c = given;
    std::vector<std::string> fitted;
    fit_column("listing_events", "entry", c.entry, fitted);
    fit_column("listing_events", "reason", c.reason, fitted);
    Result<std::uint64_t> r = run(ev, {c.at, l, c.entry, c.action, c.reason});
    if (r)
      r = c.action == "added" ? run(add, {l, c.entry, c.at, c.reason}) : run(del, {l, c.entry});
    if (!r) return r.failure();
  }
  return {};
}

Result<std::vector<listing_event>> store::listing_events(const window& w) {
  std::string where = "1=1";
  std::vector<bind_value> args;
  time_bounds(w, where, args, "at");
  auto got = rows("SELECT at, list_name, entry, action, reason FROM listing_events WHERE " + where +
                      " ORDER BY at, list_name, entry",
                  args);
  if (!got) return got.failure();
  std::vector<listing_event> out;
  for (const auto& r : *got) out.push_back({column_int(r[0]), r[1], r[2], r[3], r[4]});
  return out;
}

}  // namespace spampot::store
