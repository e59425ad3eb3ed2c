// The networks of rows already stored, looked up again (`reindex` with a newer [geoip] database):
// the rows no spool can rebuild are updated in place, the rest are rebuilt by the indexer.
#include <cstdlib>

#include "store/column_number.hpp"
#include "store/store.hpp"

namespace spampot::store {

Result<std::uint64_t> store::relocate(std::string_view sensor, const locator& where) {
  const std::string s(sensor);
  auto clients = rows("SELECT client_ip FROM messages WHERE sensor = ? UNION SELECT client_ip FROM sessions WHERE sensor = ?",
                      {s, s});
  if (!clients) return clients.failure();
  auto origins = rows("SELECT DISTINCT d.first_external_ip FROM message_details d JOIN messages m ON m.id = d.id "
                      "WHERE m.sensor = ? AND d.first_external_ip <> ''",
                      {s});
  if (!origins) return origins.failure();
  std::uint64_t changed = 0;
  {
    transaction tx(*this);
    if (!tx.begun()) return tx.begun().failure();
    std::vector<std::string> problems;  // a network's text is the database's: fitted, not reported
    auto fitted = [&](std::string_view ip) {
      network_row n = where(ip);
      fit_column("messages", "country", n.country, problems);
      fit_column("messages", "as_org", n.as_org, problems);
      return n;
    };
    for (const auto& r : *clients) {
      const network_row n = fitted(r[0]);
      for (const char* table : {"messages", "sessions"}) {
        auto u = run(std::string("UPDATE ") + table +
                         " SET country = ?, asn = ?, as_org = ? WHERE sensor = ? AND client_ip = ? AND "
                         "(country <> ? OR asn <> ? OR as_org <> ?)",
                     {n.country, std::int64_t{n.asn}, n.as_org, s, r[0], n.country, std::int64_t{n.asn}, n.as_org});
        if (!u) return u.failure();
        changed += *u;
      }
    }
    for (const auto& r : *origins) {
      const network_row n = fitted(r[0]);
      auto u = run("UPDATE message_details SET origin_country = ?, origin_asn = ?, origin_as_org = ? "
                   "WHERE first_external_ip = ? AND id IN (SELECT id FROM messages WHERE sensor = ?) AND "
                   "(origin_country <> ? OR origin_asn <> ? OR origin_as_org <> ?)",
                   {n.country, std::int64_t{n.asn}, n.as_org, r[0], s, n.country, std::int64_t{n.asn}, n.as_org});
      if (!u) return u.failure();
      changed += *u;
    }
    if (auto c = tx.commit(); !c) return c.failure();
  }
  if (changed > 0) {
    if (auto r = rebuild_harvest(); !r) return r.failure();
  }
  return changed;
}

}  // namespace spampot::store

namespace spampot::store {

Result<network_ips> store::ips_of_network(key_kind k, std::string_view name, const window& w) {
  const char* column = k == key_kind::asn ? "asn" : "country";
  const bind_value key = k == key_kind::asn ? bind_value{static_cast<std::int64_t>(std::strtoll(std::string(name).c_str(), nullptr, 10))}
                                            : bind_value{std::string(name)};
  // Both indexes (network, time, client_ip) answer this without reading a row. A trap domain
  // narrows it to the messages sent there; sessions carry no domain of their own then.
  std::vector<bind_value> args{key};
  std::string from_messages = "SELECT m.client_ip AS ip FROM messages m";
  std::string where = std::string("m.") + column + " = ?";
  if (!w.domain.empty()) {
    from_messages += " JOIN message_recipients r ON r.message_id = m.id";
    where += " AND r.domain = ?";
    args.emplace_back(w.domain);
  }
  time_bounds({w.since, w.until, ""}, where, args, "m.received_at");
  std::string sql = from_messages + " WHERE " + where;
  if (w.domain.empty()) {
    std::string swhere = std::string("s.") + column + " = ?";
    args.push_back(key);
    time_bounds({w.since, w.until, ""}, swhere, args, "s.started_at");
    sql += " UNION SELECT s.client_ip FROM sessions s WHERE " + swhere;
  }
  auto got = rows("SELECT COUNT(*), COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM dnsbl_state d WHERE d.kind = 'ip' "
                  "AND d.entry = x.ip AND d.last_answer = 'listed') THEN 1 ELSE 0 END), 0) FROM (" +
                      sql + ") x",
                  args);
  if (!got) return got.failure();
  if (got->empty()) return network_ips{};
  return network_ips{column_uint(got->front()[0]), column_uint(got->front()[1])};
}

Result<std::string> store::as_org(std::uint32_t asn) {
  for (const char* q : {"SELECT as_org FROM messages WHERE asn = ? ORDER BY received_at DESC LIMIT 1",
                        "SELECT as_org FROM sessions WHERE asn = ? ORDER BY started_at DESC LIMIT 1"}) {
    auto got = rows(q, {std::int64_t{asn}});
    if (!got) return got.failure();
    if (!got->empty()) return got->front()[0];
  }
  return std::string();
}

}  // namespace spampot::store
