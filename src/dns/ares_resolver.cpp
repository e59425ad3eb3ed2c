// The c-ares resolver on Asio. c-ares tells which sockets it wants watched (the socket-state
// callback); each is wrapped in a non-owning stream_descriptor whose readiness calls
// ares_process_fd; one steady_timer drives c-ares's retries and timeouts.
#include <ares.h>
#include <arpa/inet.h>
#include <netdb.h>

#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/steady_timer.hpp>
#include <algorithm>
#include <deque>
#include <map>
#include <mutex>
#include <unordered_map>

#include "dns/cache.hpp"
#include "dns/resolver.hpp"
#include "metrics/metrics.hpp"

namespace spampot::dns {
namespace {

// A metric's label: lower case, no spaces (to_string() is for people).
std::string_view metric_label(lookup_result::status s) {
  switch (s) {
    case lookup_result::status::ok: return "ok";
    case lookup_result::status::nxdomain: return "nxdomain";
    case lookup_result::status::nodata: return "nodata";
    case lookup_result::status::servfail: return "servfail";
    case lookup_result::status::refused: return "refused";
    case lookup_result::status::timeout: return "timeout";
    case lookup_result::status::error: return "error";
  }
  return "error";
}


// Query types and class as RFC 1035 numbers (c-ares's own names moved between versions).
constexpr int kClassIn = 1;
int type_number(rr t) {
  switch (t) {
    case rr::a:
      return 1;
    case rr::aaaa:
      return 28;
    case rr::txt:
      return 16;
    case rr::ptr:
      return 12;
    case rr::mx:
      return 15;
  }
  return 1;
}

lookup_result parse_answer(rr type, int status, const unsigned char* buf, int len) {
  lookup_result r;
  switch (status) {
    case ARES_SUCCESS:
      break;
    case ARES_ENOTFOUND:
      r.st = lookup_result::status::nxdomain;
      return r;
    case ARES_ENODATA:
      r.st = lookup_result::status::nodata;
      return r;
    case ARES_ESERVFAIL:
      r.st = lookup_result::status::servfail;
      return r;
    case ARES_EREFUSED:
      r.st = lookup_result::status::refused;
      return r;
    case ARES_ETIMEOUT:
      r.st = lookup_result::status::timeout;
      return r;
    default:
      r.st = lookup_result::status::error;
      r.error = ares_strerror(status);
      return r;
  }
  r.st = lookup_result::status::ok;
  std::uint32_t ttl = UINT32_MAX;
  if (type == rr::a) {
    ares_addrttl addrs[32];
    int n = 32;
    const int rc = ares_parse_a_reply(buf, len, nullptr, addrs, &n);
    if (rc != ARES_SUCCESS) return parse_answer(type, rc, nullptr, 0);
    for (int i = 0; i < n; ++i) {
      char text[INET_ADDRSTRLEN];
      ::inet_ntop(AF_INET, &addrs[i].ipaddr, text, sizeof text);
      r.values.emplace_back(text);
      ttl = std::min(ttl, static_cast<std::uint32_t>(std::max(addrs[i].ttl, 0)));
    }
  } else if (type == rr::aaaa) {
    ares_addr6ttl addrs[32];
    int n = 32;
    const int rc = ares_parse_aaaa_reply(buf, len, nullptr, addrs, &n);
    if (rc != ARES_SUCCESS) return parse_answer(type, rc, nullptr, 0);
    for (int i = 0; i < n; ++i) {
      char text[INET6_ADDRSTRLEN];
      ::inet_ntop(AF_INET6, &addrs[i].ip6addr, text, sizeof text);
      r.values.emplace_back(text);
      ttl = std::min(ttl, static_cast<std::uint32_t>(std::max(addrs[i].ttl, 0)));
    }
  } else if (type == rr::txt) {
    ares_txt_ext* txt = nullptr;
    const int rc = ares_parse_txt_reply_ext(buf, len, &txt);
    if (rc != ARES_SUCCESS) return parse_answer(type, rc, nullptr, 0);
    std::string current;
    for (ares_txt_ext* t = txt; t; t = t->next) {
      // A record may come in several strings; record_start marks where the next one begins.
      if (t->record_start && !current.empty()) {
        r.values.push_back(current);
        current.clear();
      }
      current.append(reinterpret_cast<const char*>(t->txt), t->length);
    }
    if (!current.empty() || txt) r.values.push_back(current);
    ares_free_data(txt);
  } else if (type == rr::mx) {
    // The exchanges' names, most preferred first (as SPF's mx mechanism reads them).
    ares_mx_reply* mx = nullptr;
    const int rc = ares_parse_mx_reply(buf, len, &mx);
    if (rc != ARES_SUCCESS) return parse_answer(type, rc, nullptr, 0);
    std::vector<std::pair<unsigned short, std::string>> hosts;
    for (ares_mx_reply* m = mx; m; m = m->next) hosts.emplace_back(m->priority, m->host ? m->host : "");
    ares_free_data(mx);
    std::stable_sort(hosts.begin(), hosts.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& h : hosts) r.values.push_back(std::move(h.second));
  } else {
    hostent* host = nullptr;
    const in_addr unused{};  // c-ares copies it into the hostent; the name is what counts
    const int rc = ares_parse_ptr_reply(buf, len, &unused, sizeof unused, AF_INET, &host);
    if (rc != ARES_SUCCESS) return parse_answer(type, rc, nullptr, 0);
    if (host && host->h_name) r.values.emplace_back(host->h_name);
    for (char** alias = host ? host->h_aliases : nullptr; alias && *alias; ++alias)
      r.values.emplace_back(*alias);
    ares_free_hostent(host);
  }
  // TXT and PTR replies do not give their TTL through c-ares: they take the cache's floor.
  r.ttl = ttl == UINT32_MAX ? 0 : ttl;
  return r;
}

std::string server_csv(const std::vector<std::string>& servers) {
  std::string csv;
  for (const auto& s : servers) csv += (csv.empty() ? "" : ",") + s;
  return csv;
}

class ares_resolver final : public resolver {
 public:
  ares_resolver(asio::io_context& io, const resolver_options& o)
      : io_(io), opts_(o), timer_(io), cache_(o.min_ttl, o.max_ttl, o.cache_entries),
        limit_(o.shared_rate ? o.shared_rate
                             : std::make_shared<rate_limit>(o.rate, std::max(1.0, o.rate))),
        pacer_(io) {}

  Status init() {
    static std::once_flag once;
    std::call_once(once, [] { ares_library_init(ARES_LIB_INIT_ALL); });
    ares_options ao{};
    ao.sock_state_cb = &ares_resolver::socket_state;
    ao.sock_state_cb_data = this;
    ao.timeout = static_cast<int>(opts_.timeout / 1000);
    ao.tries = opts_.tries;
    // NOCHECKRESP: a SERVFAIL or REFUSED reaches us as such (c-ares would otherwise try the other
    // servers and end with "could not contact DNS servers", hiding what the list said).
    ao.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES | ARES_FLAG_NOCHECKRESP;
    const int mask = ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_FLAGS;
    if (const int rc = ares_init_options(&channel_, &ao, mask); rc != ARES_SUCCESS)
      return Error{std::string("cannot start the DNS resolver: ") + ares_strerror(rc)};
    if (!opts_.servers.empty()) {
      const std::string csv = server_csv(opts_.servers);
      if (const int rc = ares_set_servers_ports_csv(channel_, csv.c_str()); rc != ARES_SUCCESS)
        return Error{"DNS servers '" + csv + "': " + ares_strerror(rc)};
    }
    return {};
  }

  ~ares_resolver() override {
    destroying_ = true;
    timer_.cancel();
    pacer_.cancel();
    // Pending questions end with ARES_EDESTRUCTION; their callers are told nothing more.
    if (channel_) ares_destroy(channel_);
    for (auto& [fd, w] : watched_) {
      std::error_code ec;
      w->desc.cancel(ec);
      w->desc.release();
    }
  }

  void query(const std::string& name, rr type, callback done) override {
    const std::string key = std::to_string(static_cast<int>(type)) + " " + name;
    if (auto hit = cache_.get(key, now_micros())) {
      metrics::dns_cache_hit();
      done(*hit);
      return;
    }
    auto& waiters = waiting_[key];
    waiters.push_back(std::move(done));
    if (waiters.size() > 1) return;  // the same question is on its way
    queue_.push_back({name, type, key});
    pump();
  }

  std::size_t pending() const override { return waiting_.size(); }

 private:
  struct question {
    std::string name;
    rr type;
    std::string key;
  };
  struct watch {
    explicit watch(asio::io_context& io, int fd) : desc(io, fd) {}
    asio::posix::stream_descriptor desc;
    bool want_read = false, want_write = false, reading = false, writing = false;
  };
  struct in_flight_query {
    ares_resolver* self;
    question q;
  };

  // Sends queued questions while the rate and the in-flight bound allow.
  void pump() {
    while (!queue_.empty() && on_network_ < opts_.in_flight) {
      const Micros wait = limit_->take(now_micros());
      if (wait > 0) {
        if (!pacing_) {
          pacing_ = true;
          pacer_.expires_after(std::chrono::microseconds(wait));
          pacer_.async_wait([this](std::error_code ec) {
            if (ec || destroying_) return;
            pacing_ = false;
            pump();
          });
        }
        return;
      }
      question q = std::move(queue_.front());
      queue_.pop_front();
      ++on_network_;
      metrics::dns_query();
      auto* ctx = new in_flight_query{this, std::move(q)};
      ares_query(channel_, ctx->q.name.c_str(), kClassIn, type_number(ctx->q.type), &ares_resolver::answered, ctx);
    }
    arm_timer();
  }

  static void answered(void* arg, int status, int, unsigned char* buf, int len) {
    std::unique_ptr<in_flight_query> ctx(static_cast<in_flight_query*>(arg));
    ares_resolver* self = ctx->self;
    if (status == ARES_EDESTRUCTION || self->destroying_) return;
    --self->on_network_;
    const lookup_result r = parse_answer(ctx->q.type, status, buf, len);
    metrics::dns_answer(metric_label(r.st));
    self->cache_.put(ctx->q.key, r, now_micros());
    auto node = self->waiting_.extract(ctx->q.key);
    // Answering may ask new questions (a TXT after a listing): send them after this one is done.
    asio::post(self->io_, [self] {
      if (!self->destroying_) self->pump();
    });
    if (node.empty()) return;
    for (auto& w : node.mapped()) w(r);
  }

  void arm_timer() {
    timeval tv{};
    if (!ares_timeout(channel_, nullptr, &tv)) return;  // nothing pending
    timer_.expires_after(std::chrono::seconds(tv.tv_sec) + std::chrono::microseconds(tv.tv_usec));
    timer_.async_wait([this](std::error_code ec) {
      if (ec || destroying_) return;
      ares_process_fd(channel_, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
      arm_timer();
    });
  }

  static void socket_state(void* data, ares_socket_t fd, int readable, int writable) {
    auto* self = static_cast<ares_resolver*>(data);
    if (self->destroying_) return;
    if (!readable && !writable) {
      auto it = self->watched_.find(fd);
      if (it == self->watched_.end()) return;
      // c-ares closes the socket itself: stop watching without closing it.
      std::error_code ec;
      it->second->desc.cancel(ec);
      it->second->desc.release();
      self->watched_.erase(it);
      return;
    }
    auto& w = self->watched_[fd];
    if (!w) w = std::make_shared<watch>(self->io_, fd);
    w->want_read = readable;
    w->want_write = writable;
    self->arm(fd, w);
  }

  void arm(int fd, const std::shared_ptr<watch>& w) {
    if (w->want_read && !w->reading) {
      w->reading = true;
      w->desc.async_wait(asio::posix::stream_descriptor::wait_read, [this, fd, w](std::error_code ec) {
        w->reading = false;
        if (ec || destroying_) return;
        ares_process_fd(channel_, fd, ARES_SOCKET_BAD);
        if (watched_.count(fd) && watched_[fd] == w) arm(fd, w);
        arm_timer();
      });
    }
    if (w->want_write && !w->writing) {
      w->writing = true;
      w->desc.async_wait(asio::posix::stream_descriptor::wait_write, [this, fd, w](std::error_code ec) {
        w->writing = false;
        if (ec || destroying_) return;
        ares_process_fd(channel_, ARES_SOCKET_BAD, fd);
        if (watched_.count(fd) && watched_[fd] == w) arm(fd, w);
        arm_timer();
      });
    }
  }

  asio::io_context& io_;
  resolver_options opts_;
  ares_channel channel_ = nullptr;
  asio::steady_timer timer_;
  answer_cache cache_;
  std::shared_ptr<rate_limit> limit_;
  asio::steady_timer pacer_;
  bool pacing_ = false;
  bool destroying_ = false;
  std::size_t on_network_ = 0;
  std::deque<question> queue_;
  std::unordered_map<std::string, std::vector<callback>> waiting_;
  std::map<int, std::shared_ptr<watch>> watched_;
};

}  // namespace

Result<std::unique_ptr<resolver>> make_resolver(asio::io_context& io, const resolver_options& o) {
  auto r = std::make_unique<ares_resolver>(io, o);
  if (auto s = r->init(); !s) return Error{s.error()};
  return std::unique_ptr<resolver>(std::move(r));
}

}  // namespace spampot::dns
