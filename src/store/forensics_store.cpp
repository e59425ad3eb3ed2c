// Message forensics rows, written and read the same way by every backend through its two SQL
// primitives: one row of decoded fields per message, and its URLs, attachments and Received
// hops in position order.
#include "store/column_number.hpp"
#include "store/store.hpp"

namespace spampot::store {
namespace {

constexpr const char* kDetailColumns =
    "id, subject, from_name, from_address, reply_to_name, reply_to_address, message_id, "
    "message_id_problem, date_utc, date_problems, first_external_ip, body_sha256, body_fuzzy, "
    "campaign, problems, headers";

template <class Row, class Make>
Result<std::vector<Row>> read_rows(Result<std::vector<std::vector<std::string>>> got, Make make) {
  if (!got) return Error{got.error()};
  std::vector<Row> out;
  out.reserve(got->size());
  for (const auto& r : *got) out.push_back(make(r));
  return out;
}

}  // namespace

Status store::put_details(const message_details& d, Micros received_at) {
  auto put = run(std::string("INSERT INTO message_details (") + kDetailColumns +
                     ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                 {d.id, d.subject, d.from_name, d.from_address, d.reply_to_name,
                  d.reply_to_address, d.message_id, d.message_id_problem, d.date_utc,
                  d.date_problems, d.first_external_ip, d.body_sha256, d.body_fuzzy, d.campaign,
                  d.problems, d.headers});
  if (!put) return Error{put.error()};
  std::int64_t pos = 0;
  for (const auto& u : d.urls) {
    auto r = run("INSERT INTO message_urls (message_id, position, url, host, domain, source) "
                 "VALUES (?,?,?,?,?,?)",
                 {d.id, pos++, u.url, u.host, u.domain, u.source});
    if (!r) return Error{r.error()};
  }
  pos = 0;
  for (const auto& a : d.attachments) {
    auto r = run("INSERT INTO message_attachments (message_id, position, name, declared_type, "
                 "sniffed_type, disposition, size, md5, sha1, sha256) VALUES (?,?,?,?,?,?,?,?,?,?)",
                 {d.id, pos++, a.name, a.declared_type, a.sniffed_type, a.disposition,
                  static_cast<std::int64_t>(a.size), a.md5, a.sha1, a.sha256});
    if (!r) return Error{r.error()};
  }
  pos = 0;
  for (const auto& h : d.received) {
    auto r = run("INSERT INTO received_hops (message_id, position, from_name, from_ip, by_name, "
                 "protocol, hop_id, at, raw) VALUES (?,?,?,?,?,?,?,?,?)",
                 {d.id, pos++, h.from_name, h.from_ip, h.by_name, h.protocol, h.id, h.at, h.raw});
    if (!r) return Error{r.error()};
  }
  std::vector<std::string> domains;
  for (const auto& u : d.urls) domains.push_back(u.domain);
  gather(url_hits(domains, received_at));
  return {};
}

Result<std::optional<message_details>> store::find_details(std::string_view id) {
  auto got = rows(std::string("SELECT ") + kDetailColumns + " FROM message_details WHERE id = ?",
                  {std::string(id)});
  if (!got) return Error{got.error()};
  if (got->empty()) return std::optional<message_details>{};
  const auto& r = got->front();
  message_details d{r[0],  r[1],  r[2],  r[3],  r[4],  r[5],  r[6],  r[7], column_int(r[8]),
                    r[9],  r[10], r[11], r[12], r[13], r[14], r[15], {},   {},   {}};
  auto urls = read_rows<url_row>(
      rows("SELECT url, host, domain, source FROM message_urls WHERE message_id = ? ORDER BY "
           "position",
           {d.id}),
      [](const auto& x) { return url_row{x[0], x[1], x[2], x[3]}; });
  if (!urls) return Error{urls.error()};
  d.urls = std::move(*urls);
  auto atts = read_rows<attachment_row>(
      rows("SELECT name, declared_type, sniffed_type, disposition, size, md5, sha1, sha256 FROM "
           "message_attachments WHERE message_id = ? ORDER BY position",
           {d.id}),
      [](const auto& x) {
        return attachment_row{x[0], x[1], x[2], x[3], column_uint(x[4]), x[5], x[6], x[7]};
      });
  if (!atts) return Error{atts.error()};
  d.attachments = std::move(*atts);
  auto hops = read_rows<hop_row>(
      rows("SELECT from_name, from_ip, by_name, protocol, hop_id, at, raw FROM received_hops "
           "WHERE message_id = ? ORDER BY position",
           {d.id}),
      [](const auto& x) { return hop_row{x[0], x[1], x[2], x[3], x[4], column_int(x[5]), x[6]}; });
  if (!hops) return Error{hops.error()};
  d.received = std::move(*hops);
  return std::optional<message_details>{std::move(d)};
}

Result<std::optional<std::string>> store::campaign_with_body(const std::string& body_sha256) {
  auto got = rows("SELECT id FROM campaigns WHERE body_sha256 = ? ORDER BY id LIMIT 1", {body_sha256});
  if (!got) return Error{got.error()};
  if (got->empty()) return std::optional<std::string>{};
  return std::optional<std::string>{got->front()[0]};
}

Result<std::vector<campaign_candidate>> store::campaign_candidates(
    const std::vector<std::int64_t>& block_sizes, std::size_t limit) {
  std::vector<campaign_candidate> out;
  for (const auto b : block_sizes) {
    auto got = rows("SELECT id, fuzzy FROM campaigns WHERE block_size = ? ORDER BY id DESC LIMIT " +
                        std::to_string(limit),
                    {b});
    if (!got) return Error{got.error()};
    for (const auto& r : *got) out.push_back({r[0], r[1]});
  }
  return out;
}

Status store::add_campaign(const std::string& id, const std::string& body_sha256,
                           const std::string& fuzzy) {
  // An ssdeep hash starts with its block size ("96:..."); kept apart so candidates are indexed.
  auto r = run("INSERT INTO campaigns (id, body_sha256, fuzzy, block_size) VALUES (?,?,?,?)",
               {id, body_sha256, fuzzy, column_int(fuzzy)});
  if (!r) return Error{r.error()};
  return {};
}

Result<std::vector<campaign_stat>> store::campaign_stats(const window& w, std::size_t min_size) {
  std::string where = "d.campaign <> ''";
  std::vector<bind_value> args;
  time_bounds(w, where, args, "m.received_at");
  args.emplace_back(static_cast<std::int64_t>(min_size));
  auto got = rows(
      "SELECT d.campaign, COUNT(*), MIN(m.received_at), MAX(m.received_at), "
      "COUNT(DISTINCT m.client_ip), COUNT(DISTINCT m.mail_from), "
      "(SELECT s.subject FROM message_details s WHERE s.id = d.campaign) "
      "FROM message_details d JOIN messages m ON m.id = d.id WHERE " +
          where + " GROUP BY d.campaign HAVING COUNT(*) >= ? ORDER BY COUNT(*) DESC, d.campaign",
      args);
  return read_rows<campaign_stat>(std::move(got), [](const auto& r) {
    return campaign_stat{r[0], column_uint(r[1]), column_int(r[2]), column_int(r[3]), r[6],
                         column_uint(r[4]), column_uint(r[5])};
  });
}

Status store::clear_forensics(std::string_view sensor) {
  for (const char* table : {"message_urls", "message_attachments", "received_hops"}) {
    auto r = run(std::string("DELETE FROM ") + table +
                     " WHERE message_id IN (SELECT id FROM messages WHERE imported = 0 AND sensor = ?)",
                 {std::string(sensor)});
    if (!r) return Error{r.error()};
  }
  auto r = run("DELETE FROM message_details WHERE id IN (SELECT id FROM messages WHERE imported = 0 "
               "AND sensor = ?)",
               {std::string(sensor)});
  if (!r) return Error{r.error()};
  // A campaign no message belongs to any more is rebuilt, if its mail comes back, by reindex.
  r = run("DELETE FROM campaigns WHERE id NOT IN (SELECT campaign FROM message_details)", {});
  if (!r) return Error{r.error()};
  return {};
}

}  // namespace spampot::store
