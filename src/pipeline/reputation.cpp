#include "pipeline/reputation.hpp"

#include <algorithm>
#include <asio/io_context.hpp>

#include "base/ip_address.hpp"
#include "base/text_list.hpp"
#include "dns/query_name.hpp"

namespace spampot::pipeline {
namespace {

// HELO names are harvested as sent ("localhost", "[192.0.2.1]", "bot"): only names a list can
// be asked about are.
bool askable(const dns::list_spec& l, const std::string& entry) {
  if (l.kind == "ip") return true;
  if (l.kind == "url" && ip_address::parse(entry)) return true;  // a link to a bare IP
  return entry.find('.') != std::string::npos && dns::domain_query_name(entry, l.zone).has_value();
}

bool selected(const dns::list_spec& l, const check_options& o) {
  return o.lists.empty() || std::find(o.lists.begin(), o.lists.end(), l.zone) != o.lists.end();
}

// Entries last asked before this are due; those asked by a pass started at `now` are not.
Micros checked_before(const check_options& o, Micros now) {
  return now - o.recheck_after + 1;
}

}  // namespace

Result<std::uint64_t> count_due(store::store& st, const std::vector<dns::list_spec>& lists,
                                const check_options& o, Micros now) {
  constexpr std::size_t kPage = 10000;
  std::uint64_t n = 0;
  for (const auto& l : lists) {
    if (!selected(l, o)) continue;
    std::string cursor;
    for (;;) {
      auto page = st.due_entries(l.kind, l.zone, checked_before(o, now), o.seen_since, cursor, kPage);
      if (!page) return page.failure();
      n += page->size();
      if (page->size() < kPage) break;
      cursor = page->back();
    }
  }
  return n;
}

Result<check_stats> check_pass(store::store& st, dns::checker& c, asio::io_context& io,
                               const check_options& o, const std::atomic<bool>* stop,
                               const std::function<void(const check_stats&)>& progress) {
  check_stats total;
  const Micros started = now_micros();
  for (const auto& list : c.lists()) {
    if (!selected(list, o)) continue;
    std::string cursor;
    for (;;) {
      if (stop && stop->load()) return total;
      auto due = st.due_entries(list.kind, list.zone, checked_before(o, started), o.seen_since,
                                cursor, o.batch);
      if (!due) return due.failure();
      if (due->empty()) break;
      cursor = due->back();
      std::vector<dns::check_result> answers;
      std::size_t asked = 0;
      for (const auto& entry : *due) {
        if (!askable(list, entry)) continue;
        ++asked;
        c.check(list, entry, [&answers](dns::check_result r) { answers.push_back(std::move(r)); });
      }
      io.restart();
      while (answers.size() < asked && io.run_one() > 0) {
      }
      if (answers.size() < asked) return Error{"the resolver stopped with questions unanswered"};
      store::transaction tx(st);
      if (!tx.begun()) return tx.begun().failure();
      for (const auto& a : answers) {
        const store::dnsbl_check_row row{list.kind,  a.key,  a.list, a.checked_at,
                                         std::string(dns::to_string(a.v)), join_list(a.codes, ','),
                                         a.meaning, a.txt};
        if (auto s = st.record_check(row); !s) return s.failure();
        ++total.checked;
        if (a.v == dns::verdict::listed) ++total.listed;
        if (a.v == dns::verdict::clean) ++total.clean;
        if (a.v == dns::verdict::error) ++total.errors;
      }
      if (auto s = tx.commit(); !s) return s.failure();
      if (progress) progress(total);
      if (due->size() < o.batch) break;
    }
  }
  return total;
}

}  // namespace spampot::pipeline
