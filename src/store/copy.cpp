#include "store/copy.hpp"

namespace spampot::store {
namespace {

constexpr std::size_t kPage = 2000;

template <class Row>
std::string by_id(const Row& r) {
  return r.id;
}

template <class Row, class Fetch, class Put, class Key>
Status copy_rows(store& to, Fetch fetch, Put put, Key key, std::uint64_t& copied,
                 std::uint64_t& already, const std::function<void()>& tick) {
  std::string after;
  for (;;) {
    auto page = fetch(after);
    if (!page) return page.failure();
    if (page->empty()) return {};
    transaction tx(to);
    if (!tx.begun()) return tx.begun();
    for (const Row& r : *page) {
      auto added = put(r);
      if (!added) return added.failure();
      ++(*added ? copied : already);
    }
    if (auto c = tx.commit(); !c) return c;
    after = key(page->back());
    if (tick) tick();
  }
}

// A message, with its raw text when the store keeps it, its forensics rows and, when it is a
// campaign's first, the campaign.
Result<bool> copy_message(store& from, store& to, const message_row& m) {
  auto added = to.put_message(m);
  if (!added || !*added || m.imported) return added;
  auto raw = from.find_raw(m.id);
  if (!raw) return raw.failure();
  if (*raw) {
    if (auto p = to.put_raw(std::move(**raw)); !p) return p.failure();
  }
  auto d = from.find_details(m.id);
  if (!d) return d.failure();
  if (!*d) return true;
  if ((*d)->campaign == m.id) {
    if (auto c = to.add_campaign(m.id, (*d)->body_sha256, (*d)->body_fuzzy); !c)
      return c.failure();
  }
  if (auto p = to.put_details(**d, m); !p) return p.failure();
  return true;
}

}  // namespace

Result<copy_stats> copy_store(store& from, store& to, const std::function<void(const copy_stats&)>& progress) {
  copy_stats st;
  auto tick = [&] {
    if (progress) progress(st);
  };
  if (auto s = copy_rows<message_row>(
          to, [&](const std::string& a) { return from.messages_after(a, kPage); },
          [&](const message_row& m) { return copy_message(from, to, m); }, by_id<message_row>, st.messages,
          st.already, tick);
      !s)
    return s.failure();
  if (auto s = copy_rows<session_record>(
          to, [&](const std::string& a) { return from.sessions_after(a, kPage); },
          [&](const session_record& r) { return to.put_session(r); }, by_id<session_record>, st.sessions,
          st.already, tick);
      !s)
    return s.failure();
  // Page requests bring the seeds they minted; seeds minted by `spampot seed` come after them.
  if (auto s = copy_rows<http_request_row>(
          to, [&](const std::string& a) { return from.http_requests_after(a, kPage); },
          [&](const http_request_row& h) { return to.put_http_request(h); }, by_id<http_request_row>,
          st.http_requests, st.already, tick);
      !s)
    return s.failure();
  if (auto s = copy_rows<seed_row>(
          to, [&](const std::string& a) { return from.seeds_after(a, kPage); },
          [&](const seed_row& r) { return to.add_seed(r); },
          [](const seed_row& r) { return r.address; }, st.seeds, st.already, tick);
      !s)
    return s.failure();
  // A sensor moved to the new store goes on from where its spool was indexed, not from the start.
  auto cps = from.checkpoints();
  if (!cps) return cps.failure();
  transaction tx(to);
  if (!tx.begun()) return tx.begun().failure();
  for (const auto& [sensor, cp] : *cps) {
    auto have = to.checkpoint(sensor);
    if (!have) return have.failure();
    if (have->segment > cp.segment || (have->segment == cp.segment && have->offset >= cp.offset)) continue;
    if (auto s = to.set_checkpoint(sensor, cp); !s) return s.failure();
  }
  if (auto c = tx.commit(); !c) return c.failure();
  return st;
}

}  // namespace spampot::store
