#include "dns/checker.hpp"

#include <algorithm>

#include "base/ip_address.hpp"
#include "base/registrable_domain.hpp"
#include "dns/query_name.hpp"

namespace spampot::dns {

Result<std::unique_ptr<checker>> checker::make(asio::io_context& io, const resolver_options& base,
                                               std::vector<list_spec> lists) {
  std::unique_ptr<checker> c(new checker());
  // One budget for every list, whichever server each is asked on: `rate` is the whole checker's.
  resolver_options shared = base;
  shared.shared_rate = std::make_shared<rate_limit>(base.rate, std::max(1.0, base.rate));
  auto d = make_resolver(io, shared);
  if (!d) return Error{d.error()};
  c->default_ = std::move(*d);
  for (const auto& l : lists) {
    if (l.server.empty() || c->by_server_.count(l.server)) continue;
    resolver_options o = shared;
    o.servers = {l.server};
    auto r = make_resolver(io, o);
    if (!r) return Error{"[[dnsbl]] " + l.zone + ": " + r.error()};
    c->by_server_[l.server] = std::move(*r);
  }
  c->lists_ = std::move(lists);
  return c;
}

resolver& checker::for_list(const list_spec& l) {
  if (l.server.empty()) return *default_;
  return *by_server_.at(l.server);
}

std::size_t checker::pending() const {
  std::size_t n = default_->pending();
  for (const auto& [s, r] : by_server_) n += r->pending();
  return n;
}

void checker::check(const list_spec& list, const std::string& key,
                    std::function<void(check_result)> done) {
  std::optional<std::string> name;
  if (list.kind == "ip") {
    name = ip_query_name(key, list.zone);
  } else if (list.kind == "url") {
    // A link to a bare IP is asked with its octets reversed, as URI lists list IPs.
    name = ip_address::parse(key) ? ip_query_name(key, list.zone)
                                  : domain_query_name(registrable_domain(key), list.zone);
  } else {
    name = domain_query_name(key, list.zone);
  }
  check_result base{list.zone, key, now_micros(), verdict::error, {}, "", ""};
  if (!name) {
    base.meaning = "'" + key + "' cannot be asked of a " + list.kind + " list";
    done(std::move(base));
    return;
  }
  resolver& r = for_list(list);
  r.query(*name, rr::a, [&r, list, name = *name, base, done = std::move(done)](const lookup_result& a) mutable {
    const reading read = interpret(list, a);
    base.checked_at = now_micros();
    base.v = read.v;
    base.codes = read.codes;
    base.meaning = read.meaning;
    if (read.v != verdict::listed) {
      done(std::move(base));
      return;
    }
    r.query(name, rr::txt, [base, done = std::move(done)](const lookup_result& t) mutable {
      for (const auto& s : t.values) base.txt += (base.txt.empty() ? "" : " | ") + s;
      done(std::move(base));
    });
  });
}

void checker::reverse(const std::string& ip, std::function<void(ptr_result)> done) {
  const auto name = ptr_query_name(ip);
  const auto addr = ip_address::parse(ip);
  if (!name || !addr) {
    done({"", false, "not an address"});
    return;
  }
  resolver& r = *default_;
  r.query(*name, rr::ptr, [&r, addr = *addr, done = std::move(done)](const lookup_result& p) mutable {
    if (!p.answered()) {
      done({"", false, std::string(to_string(p.st)) + (p.error.empty() ? "" : ": " + p.error)});
      return;
    }
    if (p.values.empty()) {
      done({"", false, ""});
      return;
    }
    const std::string host = p.values.front();
    r.query(host, addr.is_v4() ? rr::a : rr::aaaa,
            [host, addr, done = std::move(done)](const lookup_result& f) {
              bool confirmed = false;
              for (const auto& v : f.values) {
                const auto back = ip_address::parse(v);
                confirmed = confirmed || (back && *back == addr);
              }
              done({host, confirmed, ""});
            });
  });
}

}  // namespace spampot::dns
