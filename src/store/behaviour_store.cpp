// How clients behaved, read back: families of sessions by behavioural fingerprint, the greylist
// experiment's held and passed RCPTs, and the sessions a tarpit slowed.
#include "store/column_number.hpp"
#include "store/search_sql.hpp"
#include "store/store.hpp"

namespace spampot::store {

Result<fingerprint_family> store::family_of(std::string_view fingerprint, const window& w) {
  // All three read the (fingerprint, started_at) index first; a family is as many sessions as
  // its software made, and only the window's are read.
  std::vector<bind_value> args{std::string(fingerprint)};
  std::string where = "s.fingerprint = ?";
  time_bounds({w.since, w.until, ""}, where, args, "s.started_at");
  fingerprint_family f;
  auto counts = rows("SELECT COUNT(DISTINCT s.client_ip), COUNT(DISTINCT CASE WHEN s.asn <> 0 THEN s.asn END) "
                     "FROM sessions s WHERE " + where,
                     args);
  if (!counts) return counts.failure();
  if (!counts->empty()) {
    f.ips = column_uint(counts->front()[0]);
    f.asns = column_uint(counts->front()[1]);
  }
  auto helo = rows("SELECT s.helo, COUNT(*) AS n FROM sessions s WHERE " + where +
                       " GROUP BY s.helo ORDER BY n DESC, s.helo LIMIT 1",
                   args);
  if (!helo) return helo.failure();
  if (!helo->empty()) f.helo = helo->front()[0];
  auto subject = rows("SELECT m.subject, COUNT(*) AS n FROM sessions s JOIN messages m ON m.session_id = s.id WHERE " +
                          where + " GROUP BY m.subject ORDER BY n DESC, m.subject LIMIT 1",
                      args);
  if (!subject) return subject.failure();
  if (!subject->empty()) f.subject = subject->front()[0];
  auto newest = rows("SELECT s.behaviour FROM sessions s WHERE " + where + " ORDER BY s.started_at DESC LIMIT 1", args);
  if (!newest) return newest.failure();
  if (!newest->empty()) f.behaviour = newest->front()[0];
  return f;
}

namespace {

// The greylist's RCPTs whose triplet was first held in the window (and to its trap domain, and
// from one sensor, when those are given), oldest session first.
std::pair<std::string, std::vector<bind_value>> greylist_query(const window& w, std::string_view sensor) {
  std::vector<bind_value> args;
  std::string where = "r.greylist IN ('held', 'passed')";
  time_bounds({w.since, w.until, ""}, where, args, "r.held_since");
  if (!w.domain.empty()) {
    where += " AND r.domain = ?";
    args.emplace_back(w.domain);
  }
  if (!sensor.empty()) {
    where += " AND s.sensor = ?";
    args.emplace_back(std::string(sensor));
  }
  return {"SELECT s.client_ip, r.sender, r.address, r.greylist, r.held_since, s.started_at, s.fingerprint, s.asn "
          "FROM recipients r JOIN sessions s ON s.id = r.session_id WHERE " +
              where + " ORDER BY s.started_at, r.session_id, r.position",
          std::move(args)};
}

}  // namespace

Result<std::vector<greylist_row>> store::greylist_rows(const window& w) { return greylist_of(w, ""); }

Result<std::vector<greylist_row>> store::greylist_holds(std::string_view sensor, Micros since) {
  return greylist_of({since, std::nullopt, ""}, sensor);
}

Result<std::vector<greylist_row>> store::greylist_of(const window& w, std::string_view sensor) {
  const auto [sql, args] = greylist_query(w, sensor);
  auto got = rows(sql, args);
  if (!got) return got.failure();
  std::vector<greylist_row> out;
  out.reserve(got->size());
  for (const auto& r : *got)
    out.push_back({r[0], r[1], r[2], r[3], column_int(r[4]), column_int(r[5]), r[6],
                   static_cast<std::uint32_t>(column_uint(r[7]))});
  return out;
}

Result<std::vector<std::pair<std::string, Micros>>> store::trap_senders(std::string_view sensor, Micros since) {
  // A trap address is one at a trap domain: accepted, or held by the greylist; not a relay test.
  auto got = rows("SELECT s.client_ip, MAX(s.started_at) FROM sessions s JOIN recipients r ON r.session_id = s.id "
                  "WHERE s.sensor = ? AND s.ended_at >= ? AND r.relay = 0 AND (r.accepted = 1 OR r.greylist <> '') "
                  "GROUP BY s.client_ip",
                  {std::string(sensor), since});
  if (!got) return got.failure();
  std::vector<std::pair<std::string, Micros>> out;
  for (const auto& r : *got) out.emplace_back(r[0], column_int(r[1]));
  return out;
}

Result<std::vector<tarpit_stat>> store::tarpit_stats(const window& w) {
  std::vector<bind_value> args;
  std::string where = "s.tarpit <> ''";
  time_bounds({w.since, w.until, ""}, where, args, "s.started_at");
  auto got = rows("SELECT s.tarpit, COUNT(*), COALESCE(SUM(s.tarpit_micros), 0) FROM sessions s WHERE " + where +
                      " GROUP BY s.tarpit ORDER BY s.tarpit",
                  args);
  if (!got) return got.failure();
  std::vector<tarpit_stat> out;
  for (const auto& r : *got) out.push_back({r[0], column_uint(r[1]), column_int(r[2])});
  return out;
}

}  // namespace spampot::store
