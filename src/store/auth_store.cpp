// Sender authentication results, written after the message is indexed (the checks ask DNS, which
// the indexer never waits for).
#include "store/column_number.hpp"
#include "store/store.hpp"

namespace spampot::store {

Result<std::vector<spf_pending>> store::spf_pending_since(Micros since, std::size_t limit) {
  auto got = rows("SELECT id, received_at, client_ip, helo, mail_from FROM messages WHERE spf = '' AND "
                  "received_at >= ? AND imported = 0 ORDER BY received_at LIMIT " + std::to_string(limit),
                  {since});
  if (!got) return got.failure();
  std::vector<spf_pending> out;
  out.reserve(got->size());
  for (auto& r : *got) out.push_back({std::move(r[0]), column_int(r[1]), std::move(r[2]), std::move(r[3]), std::move(r[4])});
  return out;
}

Status store::put_spf(const spf_pending& m, const std::string& result, const std::string& domain,
                      const std::string& helo) {
  std::vector<std::string> problems;  // the words are ours; a domain is the spammer's: fitted
  std::string d = domain;
  fit_column("messages", "spf_domain", d, problems);
  auto changed = run("UPDATE messages SET spf = ?, spf_domain = ?, spf_helo = ? WHERE id = ? AND spf = ''",
                     {result, d, helo, m.id});
  if (!changed) return changed.failure();
  if (*changed > 0) gather(spf_hits(result, m.received_at));
  return {};
}

}  // namespace spampot::store
