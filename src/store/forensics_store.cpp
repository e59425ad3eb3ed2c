// Message forensics rows, written and read the same way by every backend through its two SQL
// primitives: one row of decoded fields per message, and its URLs, attachments and Received
// hops in position order.
#include <array>
#include <span>

#include "base/text_list.hpp"
#include "store/column_number.hpp"
#include "store/store.hpp"

namespace spampot::store {
namespace {

using D = message_details;
constexpr std::array<column<D>, 19> kDetails{{
    {"id", &D::id}, {"subject", &D::subject}, {"from_name", &D::from_name}, {"from_address", &D::from_address},
    {"reply_to_name", &D::reply_to_name}, {"reply_to_address", &D::reply_to_address},
    {"message_id", &D::message_id}, {"message_id_problem", &D::message_id_problem}, {"date_utc", &D::date_utc},
    {"date_problems", &D::date_problems}, {"first_external_ip", &D::first_external_ip},
    {"body_sha256", &D::body_sha256}, {"body_fuzzy", &D::body_fuzzy}, {"campaign", &D::campaign},
    {"problems", &D::problems}, {"headers", &D::headers}, {"origin_country", &D::origin_country},
    {"origin_asn", &D::origin_asn}, {"origin_as_org", &D::origin_as_org},
}};
constexpr std::array<column<url_row>, 4> kUrl{{
    {"url", &url_row::url}, {"host", &url_row::host}, {"domain", &url_row::domain}, {"source", &url_row::source},
}};
using T = attachment_row;
constexpr std::array<column<T>, 8> kAttachment{{
    {"name", &T::name}, {"declared_type", &T::declared_type}, {"sniffed_type", &T::sniffed_type},
    {"disposition", &T::disposition}, {"size", &T::size}, {"md5", &T::md5}, {"sha1", &T::sha1},
    {"sha256", &T::sha256},
}};
using H = hop_row;
constexpr std::array<column<H>, 7> kHop{{
    {"from_name", &H::from_name}, {"from_ip", &H::from_ip}, {"by_name", &H::by_name}, {"protocol", &H::protocol},
    {"hop_id", &H::id}, {"at", &H::at}, {"raw", &H::raw},
}};

template <class Row, class Make>
Result<std::vector<Row>> read_rows(Result<std::vector<std::vector<std::string>>> got, Make make) {
  if (!got) return got.failure();
  std::vector<Row> out;
  out.reserve(got->size());
  for (const auto& r : *got) out.push_back(make(r));
  return out;
}

}  // namespace

// Everything is fitted before the first row is written, so what fitting changed anywhere in the
// message's forensics is in its problems.
message_details fitted(message_details d) {
  std::vector<std::string> problems = split_list(d.problems, ',');
  const auto without_problems = std::span<const column<D>>(kDetails).first(14);
  fit_row<D>("message_details", d, without_problems, problems);
  fit_column("message_details", "headers", d.headers, problems);
  for (auto& u : d.urls) fit_row<url_row>("message_urls", u, kUrl, problems);
  for (auto& a : d.attachments) fit_row<T>("message_attachments", a, kAttachment, problems);
  for (auto& h : d.received) fit_row<H>("received_hops", h, kHop, problems);
  d.problems = join_list(problems, ',');
  fit_column("message_details", "problems", d.problems, problems);
  return d;
}

Status store::put_details(const message_details& given, const message_row& m) {
  const message_details d = fitted(given);
  std::vector<std::string> problems;
  if (auto r = insert("message_details", fields_of<D>(d, kDetails), problems); !r) return r.failure();
  auto children = [&](std::string_view table, const auto& list, auto cols) -> Status {
    std::int64_t pos = 0;
    for (const auto& row : list) {
      auto f = fields_of(row, cols);
      f.push_back({"message_id", d.id});
      f.push_back({"position", pos++});
      if (auto r = insert(table, std::move(f), problems); !r) return r.failure();
    }
    return {};
  };
  if (auto c = children("message_urls", d.urls, std::span<const column<url_row>>(kUrl)); !c) return c;
  if (auto c = children("message_attachments", d.attachments, std::span<const column<T>>(kAttachment)); !c) return c;
  if (auto c = children("received_hops", d.received, std::span<const column<H>>(kHop)); !c) return c;
  std::vector<std::string> domains;
  for (const auto& u : d.urls) domains.push_back(u.domain);
  gather(url_hits(domains, m));
  return {};
}

Result<std::optional<message_details>> store::find_details(std::string_view id) {
  auto got = rows("SELECT " + column_names<D>(kDetails) + " FROM message_details WHERE id = ?", {std::string(id)});
  if (!got) return got.failure();
  if (got->empty()) return std::optional<message_details>{};
  message_details d;
  read_row<D>(d, got->front(), kDetails);
  auto children = [&](auto& into, std::string_view table, auto cols) -> Status {
    using Row = typename std::remove_cvref_t<decltype(into)>::value_type;
    auto r = read_rows<Row>(rows("SELECT " + column_names(cols) + " FROM " + std::string(table) +
                                     " WHERE message_id = ? ORDER BY position",
                                 {d.id}),
                            [&](const sql::row& x) {
                              Row row;
                              read_row(row, x, cols);
                              return row;
                            });
    if (!r) return r.failure();
    into = std::move(*r);
    return {};
  };
  if (auto c = children(d.urls, "message_urls", std::span<const column<url_row>>(kUrl)); !c) return c.failure();
  if (auto c = children(d.attachments, "message_attachments", std::span<const column<T>>(kAttachment)); !c)
    return c.failure();
  if (auto c = children(d.received, "received_hops", std::span<const column<H>>(kHop)); !c) return c.failure();
  return std::optional<message_details>{std::move(d)};
}

Result<std::optional<campaign_candidate>> store::campaign_with_body(const std::string& body_sha256) {
  auto got = rows("SELECT id, fuzzy FROM campaigns WHERE body_sha256 = ? ORDER BY id LIMIT 1", {body_sha256});
  if (!got) return got.failure();
  if (got->empty()) return std::optional<campaign_candidate>{};
  return std::optional<campaign_candidate>{campaign_candidate{got->front()[0], got->front()[1]}};
}

Result<std::vector<campaign_candidate>> store::campaign_candidates(
    const std::vector<std::int64_t>& block_sizes, std::size_t limit) {
  std::vector<campaign_candidate> out;
  for (const auto b : block_sizes) {
    auto got = rows("SELECT id, fuzzy FROM campaigns WHERE block_size = ? ORDER BY id DESC LIMIT " +
                        std::to_string(limit),
                    {b});
    if (!got) return got.failure();
    for (const auto& r : *got) out.push_back({r[0], r[1]});
  }
  return out;
}

Status store::add_campaign(const std::string& id, const std::string& body_sha256,
                           const std::string& fuzzy) {
  // An ssdeep hash starts with its block size ("96:..."); kept apart so candidates are indexed.
  std::vector<std::string> fitted;
  auto r = insert("campaigns",
                  {{"id", id}, {"body_sha256", body_sha256}, {"fuzzy", fuzzy}, {"block_size", column_int(fuzzy)}},
                  fitted);
  if (!r) return r.failure();
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

Status store::clear_forensics(std::string_view sensor, const std::string& kept, const std::vector<bind_value>& kept_args) {
  std::vector<bind_value> args{std::string(sensor)};
  args.insert(args.end(), kept_args.begin(), kept_args.end());
  const std::string cleared = "(SELECT id FROM messages WHERE imported = 0 AND sensor = ?" + kept + ")";
  for (const char* table : {"message_urls", "message_attachments", "received_hops"}) {
    auto r = run(std::string("DELETE FROM ") + table + " WHERE message_id IN " + cleared, args);
    if (!r) return r.failure();
  }
  for (const char* table : {"message_details", "message_raw"}) {
    auto r = run(std::string("DELETE FROM ") + table + " WHERE id IN " + cleared, args);
    if (!r) return r.failure();
  }
  // A campaign no message belongs to any more is rebuilt, if its mail comes back, by reindex.
  auto r = run("DELETE FROM campaigns WHERE id NOT IN (SELECT campaign FROM message_details)", {});
  if (!r) return r.failure();
  return {};
}

}  // namespace spampot::store
