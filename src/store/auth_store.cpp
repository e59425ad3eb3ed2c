// Sender authentication results, written after the message is indexed (the checks ask DNS, which
// the indexer never waits for), and the From domains that fail DMARC.
#include "store/column_number.hpp"
#include "store/search_sql.hpp"
#include "store/store.hpp"

namespace spampot::store {

Result<std::vector<message_row>> store::auth_pending_since(Micros since, std::size_t limit) {
  // Whole rows: the worker reads each one's raw text by its spool place.
  return read_messages("m.spf = '' AND m.received_at >= ? AND m.imported = 0", {since}, "m.received_at", limit);
}

Status store::put_auth(const message_row& m, auth_row a) {
  // The words are ours; domains and libopendkim's error texts carry the spammer's: fitted.
  std::vector<std::string> problems;
  fit_column("messages", "spf_domain", a.spf_domain, problems);
  fit_column("messages", "dkim_signatures", a.dkim_signatures, problems);
  fit_column("messages", "dmarc_domain", a.dmarc_domain, problems);
  auto changed = run("UPDATE messages SET spf = ?, spf_domain = ?, spf_helo = ?, dkim = ?, dkim_signatures = ?, dmarc = ?, "
                     "dmarc_policy = ?, dmarc_domain = ?, dmarc_alignment = ? WHERE id = ? AND spf = ''",
                     {a.spf, a.spf_domain, a.spf_helo, a.dkim, a.dkim_signatures, a.dmarc, a.dmarc_policy,
                      a.dmarc_domain, a.dmarc_alignment, m.id});
  if (!changed) return changed.failure();
  if (*changed > 0) gather(auth_hits(a, m));
  return {};
}

Result<std::vector<spoofed_stat>> store::spoofed_domains(const window& w, std::size_t limit) {
  std::string where = "m.dmarc = 'fail'";
  std::vector<bind_value> args;
  time_bounds({w.since, w.until, ""}, where, args, "m.received_at");
  if (!w.domain.empty()) {
    where += " AND m.id IN (SELECT message_id FROM message_recipients WHERE domain = ?)";
    args.emplace_back(w.domain);
  }
  auto got = rows("SELECT m.dmarc_domain, COUNT(*), COUNT(DISTINCT m.client_ip), MAX(m.dmarc_policy), MIN(m.received_at), "
                  "MAX(m.received_at) FROM messages m WHERE " + where +
                      " GROUP BY m.dmarc_domain ORDER BY 2 DESC, 1" + (limit > 0 ? " LIMIT " + std::to_string(limit) : ""),
                  args);
  if (!got) return got.failure();
  std::vector<spoofed_stat> out;
  for (auto& r : *got)
    out.push_back({std::move(r[0]), column_uint(r[1]), column_uint(r[2]), std::move(r[3]), column_int(r[4]), column_int(r[5])});
  return out;
}

}  // namespace spampot::store

namespace spampot::store {

Result<std::uint64_t> store::restore_auth() {
  std::uint64_t restored = 0;
  {
    transaction tx(*this);
    if (!tx.begun()) return tx.begun().failure();
    std::string set;
    for (const char* c : {"spf", "spf_domain", "spf_helo", "dkim", "dkim_signatures", "dmarc", "dmarc_policy",
                          "dmarc_domain", "dmarc_alignment"})
      set += std::string(set.empty() ? "" : ", ") + c + " = (SELECT k." + c + " FROM auth_kept k WHERE k.id = messages.id)";
    auto n = run("UPDATE messages SET " + set + " WHERE spf = '' AND id IN (SELECT id FROM auth_kept)", {});
    if (!n) return n.failure();
    restored = *n;
    // What went back, and what has no message any more (its spool record was damaged, say).
    auto d = run("DELETE FROM auth_kept WHERE id NOT IN (SELECT id FROM messages WHERE spf = '')", {});
    if (!d) return d.failure();
    if (auto c = tx.commit(); !c) return c.failure();
  }
  if (restored > 0) {
    if (auto r = rebuild_harvest(); !r) return r.failure();
  }
  return restored;
}

}  // namespace spampot::store
