// Seeds and the seed page's requests, written and read the same way by every backend through
// its two SQL primitives. The seed tables compare addresses without case (their collation), so
// every join below puts the seed's column first.
#include <array>
#include <map>
#include <span>

#include "base/ascii.hpp"
#include "base/text_list.hpp"
#include "store/column_number.hpp"
#include "store/store.hpp"

namespace spampot::store {
namespace {

using D = seed_row;
constexpr std::array<column<D>, 10> kSeed{{
    {"address", &D::address}, {"domain", &D::domain}, {"label", &D::label}, {"kind", &D::kind},
    {"source", &D::source}, {"sensor", &D::sensor}, {"minted_at", &D::minted_at}, {"request_id", &D::request_id},
    {"visitor_ip", &D::visitor_ip}, {"user_agent", &D::user_agent},
}};
const std::string kSeedColumns = column_names<D>(kSeed);

seed_row seed_from(const std::vector<std::string>& r) {
  seed_row s;
  read_row<D>(s, r, kSeed);
  return s;
}

std::vector<field> seed_fields(seed_row s) {
  s.address = ascii_lower(s.address);
  s.domain = ascii_lower(s.domain);
  return fields_of<D>(s, kSeed);
}

using H = http_request_row;
constexpr std::array<column<H>, 17> kHttp{{
    {"id", &H::id}, {"sensor", &H::sensor}, {"at", &H::at}, {"client_ip", &H::client_ip},
    {"client_port", &H::client_port}, {"server_ip", &H::server_ip}, {"server_port", &H::server_port},
    {"method", &H::method}, {"target", &H::target}, {"version", &H::version}, {"host", &H::host},
    {"user_agent", &H::user_agent}, {"referer", &H::referer}, {"status", &H::status}, {"problem", &H::problem},
    {"seed", &H::seed}, {"problems", &H::problems},
}};

// The messages a window covers, by the time their recipient row carries; `domain_column` is the
// trap domain the window names (the seed's, or the recipient's).
void spam_window(const window& w, std::string& where, std::vector<bind_value>& args,
                 const char* domain_column) {
  time_bounds(w, where, args, "r.received_at");
  if (!w.domain.empty()) {
    where += std::string(" AND ") + domain_column + " = ?";
    args.emplace_back(ascii_lower(w.domain));
  }
}

// Mail to a seed counts when it came after the seed was minted: before, nobody could have
// harvested it.
constexpr const char* kSeedSpam =
    " FROM seeds s JOIN message_recipients r ON s.address = r.address AND r.received_at >= "
    "s.minted_at JOIN messages m ON m.id = r.message_id WHERE m.relay_attempt = 0";

}  // namespace

Result<bool> store::put_http_request(const http_request_row& h) {
  auto seen = rows("SELECT 1 FROM http_requests WHERE id = ?", {h.id});
  if (!seen) return seen.failure();
  if (!seen->empty()) return false;  // indexed before
  http_request_row fitted = h;
  fitted.seed = ascii_lower(h.seed);
  std::vector<std::string> problems = split_list(fitted.problems, ',');
  fit_row<H>("http_requests", fitted, std::span<const column<H>>(kHttp).first(kHttp.size() - 1), problems);
  fitted.problems = join_list(problems, ',');
  auto put = insert("http_requests", fields_of<H>(fitted, kHttp), problems);
  if (!put) return put.failure();
  if (!h.seed.empty()) {
    seed_row s{h.seed, h.seed_domain, h.seed_label, "planted", "page", h.sensor, h.at, h.id,
               h.client_ip, h.user_agent};
    auto dup = rows("SELECT 1 FROM seeds WHERE address = ?", {ascii_lower(h.seed)});
    if (!dup) return dup.failure();
    // The seed page never hands out a known seed; should two sensors mint the same address, the
    // first keeps it and the second's request still records what it served.
    if (dup->empty()) {
      if (auto r = insert("seeds", seed_fields(s), problems); !r) return r.failure();
    }
  }
  gather(hits_of(h));
  return true;
}

Result<bool> store::add_seed(const seed_row& s) {
  auto dup = rows("SELECT 1 FROM seeds WHERE address = ?", {ascii_lower(s.address)});
  if (!dup) return dup.failure();
  if (!dup->empty()) return false;
  std::vector<std::string> problems;
  if (auto r = insert("seeds", seed_fields(s), problems); !r) return r.failure();
  return true;
}

Result<std::optional<seed_row>> store::find_seed(std::string_view address) {
  auto got = rows(std::string("SELECT ") + kSeedColumns + " FROM seeds WHERE address = ?",
                  {ascii_lower(address)});
  if (!got) return got.failure();
  if (got->empty()) return std::optional<seed_row>{};
  return std::optional<seed_row>{seed_from(got->front())};
}

Result<bool> store::address_seen(std::string_view address) {
  auto k = find_key(key_kind::recipient, address);
  if (!k) return k.failure();
  return k->has_value();
}

Result<std::vector<std::string>> store::seed_addresses() {
  auto got = rows("SELECT address FROM seeds", {});
  if (!got) return got.failure();
  std::vector<std::string> out;
  out.reserve(got->size());
  for (auto& r : *got) out.push_back(std::move(r[0]));
  return out;
}

Result<std::vector<seed_stat>> store::seed_stats(const window& w) {
  std::vector<bind_value> args;
  std::string where;
  if (!w.domain.empty()) {
    where = " WHERE domain = ?";
    args.emplace_back(ascii_lower(w.domain));
  }
  auto seeds = rows(std::string("SELECT ") + kSeedColumns + " FROM seeds" + where +
                        " ORDER BY minted_at, address",
                    args);
  if (!seeds) return seeds.failure();
  std::vector<seed_stat> out;
  std::map<std::string, std::size_t> at;  // address -> index in out
  for (const auto& r : *seeds) {
    at[r[0]] = out.size();
    out.push_back({seed_from(r), 0, std::nullopt, std::nullopt, {}, {}});
  }
  if (out.empty()) return out;  // no seed, no spam to them: the joins below would still read every recipient

  std::string spam_where;
  std::vector<bind_value> spam_args;
  spam_window(w, spam_where, spam_args, "s.domain");
  auto totals = rows("SELECT s.address, count(DISTINCT m.id), min(r.received_at), max(r.received_at)" +
                         std::string(kSeedSpam) + spam_where + " GROUP BY s.address",
                     spam_args);
  if (!totals) return totals.failure();
  for (const auto& r : *totals) {
    auto it = at.find(r[0]);
    if (it == at.end()) continue;
    auto& st = out[it->second];
    st.messages = static_cast<std::uint64_t>(column_int(r[1]));
    st.first_spam = column_int(r[2]);
    st.last_spam = column_int(r[3]);
  }
  // Who spammed each seed: the pairs, most messages first.
  auto pairs = [&](const char* column,
                   std::vector<std::pair<std::string, std::uint64_t>> seed_stat::*field) -> Status {
    auto got = rows(std::string("SELECT s.address, ") + column + ", count(DISTINCT m.id) AS n" +
                        kSeedSpam + spam_where + " GROUP BY s.address, " + column +
                        " ORDER BY n DESC, " + column,
                    spam_args);
    if (!got) return got.failure();
    for (const auto& r : *got) {
      auto it = at.find(r[0]);
      if (it != at.end())
        (out[it->second].*field).emplace_back(r[1], static_cast<std::uint64_t>(column_int(r[2])));
    }
    return {};
  };
  if (auto s = pairs("m.client_ip", &seed_stat::ips); !s) return s.failure();
  if (auto s = pairs("m.mail_from", &seed_stat::senders); !s) return s.failure();
  return out;
}

Result<std::vector<seed_class_count>> store::seed_classes(const window& w) {
  std::string where = " WHERE m.relay_attempt = 0";
  std::vector<bind_value> args;
  spam_window(w, where, args, "r.domain");
  // Per message the best class among its recipients (1 planted, 2 registration, 3 guessed).
  auto got = rows(
      "SELECT c, count(*) FROM (SELECT r.message_id, min(CASE WHEN s.kind = 'planted' THEN 1 "
      "WHEN s.kind = 'registration' THEN 2 ELSE 3 END) AS c FROM message_recipients r "
      "JOIN messages m ON m.id = r.message_id LEFT JOIN seeds s ON s.address = r.address AND "
      "r.received_at >= s.minted_at" +
          where + " GROUP BY r.message_id) t GROUP BY c ORDER BY c",
      args);
  if (!got) return got.failure();
  std::vector<seed_class_count> out{{"planted", 0}, {"registration", 0}, {"guessed", 0}};
  for (const auto& r : *got) {
    const auto c = column_int(r[0]);
    if (c >= 1 && c <= 3) out[static_cast<std::size_t>(c - 1)].messages = static_cast<std::uint64_t>(column_int(r[1]));
  }
  return out;
}

Result<std::vector<http_request_row>> store::http_requests_after(std::string_view after_id,
                                                                 std::size_t limit) {
  // The seed's domain and label come from the seed the request minted.
  auto got = rows("SELECT " + column_names<H>(kHttp, "h.") +
                      ", coalesce(s.domain, ''), coalesce(s.label, '') FROM http_requests h LEFT JOIN seeds s ON "
                      "s.address = h.seed AND s.request_id = h.id WHERE h.id > ? ORDER BY h.id LIMIT ?",
                  {std::string(after_id), static_cast<std::int64_t>(limit)});
  if (!got) return got.failure();
  std::vector<http_request_row> out(got->size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    const sql::row& r = (*got)[i];
    read_row<H>(out[i], r, kHttp);
    out[i].seed_domain = r[kHttp.size()];
    out[i].seed_label = r[kHttp.size() + 1];
  }
  return out;
}

Result<std::vector<seed_row>> store::seeds_after(std::string_view after_address, std::size_t limit) {
  auto got = rows(std::string("SELECT ") + kSeedColumns +
                      " FROM seeds WHERE address > ? ORDER BY address LIMIT ?",
                  {ascii_lower(after_address), static_cast<std::int64_t>(limit)});
  if (!got) return got.failure();
  std::vector<seed_row> out;
  for (const auto& r : *got) out.push_back(seed_from(r));
  return out;
}

}  // namespace spampot::store
