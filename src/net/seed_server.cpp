#include "net/seed_server.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>
#include <random>
#include <set>

#include "base/escape.hpp"
#include "capture/records.hpp"
#include "metrics/metrics.hpp"
#include "net/async_append.hpp"
#include "net/sockets.hpp"
#include "seed/mint.hpp"
#include "seed/page.hpp"

namespace spampot::net {
namespace {

constexpr auto use_nothrow = asio::experimental::as_tuple(asio::use_awaitable);
constexpr std::size_t kRecordedHeadBytes = 256;  // of a request that could not be parsed

http_response text(int status, std::string body) {
  return {status, "text/plain; charset=utf-8", {}, std::move(body)};
}

}  // namespace

struct seed_server::shared {
  seed_options opts;
  id_generator ids;
  per_ip_limits limits;
  std::unordered_set<std::string> taken;
  std::set<std::shared_ptr<asio::ip::tcp::socket>> open;
  bool stopping = false;

  shared(seed_options o, const std::vector<std::string>& known)
      : opts(std::move(o)),
        ids(opts.sensor, std::random_device{}()),
        limits(opts.connections, opts.connections_per_ip),
        taken(known.begin(), known.end()) {}
};

namespace {

// One exchange: read a request head, record it, answer, close.
asio::awaitable<void> exchange(std::shared_ptr<seed_server::shared> st, capture::journal& journal,
                               std::shared_ptr<asio::ip::tcp::socket> sock) {
  const seed_options& o = st->opts;
  capture::http_log log;
  log.at = now_micros();
  log.id = st->ids.next(log.at);
  log.sensor = o.sensor;
  log.conn = peer_of(*sock);
  std::error_code ec;
  const std::string ip = log.conn.client_ip;
  const char* busy = st->limits.acquire(ip);
  if (busy) {
    // Refused before a byte is read: answered, not recorded (a flood must not fill the spool).
    const std::string bytes = render(text(503, std::string(busy) + "\n"), false);
    co_await asio::async_write(*sock, asio::buffer(bytes), use_nothrow);
    sock->close(ec);
    co_return;
  }
  st->open.insert(sock);

  // The deadline covers the whole exchange: a slow sender or a slow reader is cut.
  asio::steady_timer deadline(sock->get_executor(), std::chrono::microseconds(o.timeout));
  // Shared: a deadline that fires just as the exchange ends still finds its flag.
  auto expired = std::make_shared<bool>(false);
  deadline.async_wait([sock, expired](std::error_code e) {
    if (e) return;
    *expired = true;
    std::error_code ignored;
    sock->cancel(ignored);
  });

  http_request_reader reader(o.lim);
  std::string head;  // what came, for the record of a request that could not be parsed
  std::array<char, 4096> buf;
  auto state = http_request_reader::state::need_more;
  bool got_bytes = false;
  while (state == http_request_reader::state::need_more) {
    auto [e, n] = co_await sock->async_read_some(asio::buffer(buf), use_nothrow);
    if (e || n == 0) break;
    got_bytes = true;
    if (head.size() < kRecordedHeadBytes)
      head.append(buf.data(), std::min(n, kRecordedHeadBytes - head.size()));
    state = reader.feed(std::string_view(buf.data(), n));
  }

  const bool timed_out = *expired;
  http_response res;
  bool head_only = false;
  if (state == http_request_reader::state::done) {
    const http_request& req = reader.request();
    log.method = req.method;
    log.target = req.target;
    log.version = req.version == 10 ? "1.0" : "1.1";
    log.host = req.host;
    log.user_agent = req.user_agent;
    log.referer = req.referer;
    head_only = req.method == "HEAD";
    if (req.method != "GET" && !head_only) {
      res = text(405, "method not allowed\n");
      res.headers.emplace_back("Allow", "GET, HEAD");
      log.problem = "method not allowed";
    } else {
      switch (seed::route_of(req.target)) {
        case seed::route::robots:
          res = text(200, seed::robots_txt());
          break;
        case seed::route::not_found:
          res = text(404, "not found\n");
          break;
        case seed::route::page: {
          auto m = seed::mint(o.domain, seed::secure_random,
                              [&](std::string_view a) { return st->taken.count(std::string(a)) > 0; });
          if (!m) {
            res = text(503, "try again later\n");
            log.problem = "no fresh address could be minted";
            break;
          }
          res.body = seed::page_html(m->address, m->name, o.site);
          // HEAD shows no address: nothing is handed out, nothing is kept.
          if (!head_only) {
            st->taken.insert(m->address);
            log.seed = m->address;
            log.seed_domain = o.domain;
            log.seed_label = o.label;
          }
          break;
        }
      }
    }
  } else if (state == http_request_reader::state::refused) {
    res = text(reader.status(), reader.problem() + "\n");
    log.problem = reader.problem();
    log.target = head.substr(0, head.find_first_of("\r\n"));
  } else if (got_bytes) {
    res = text(408, "request timeout\n");
    log.problem = timed_out ? "request head not complete in time" : "connection closed mid-request";
    log.target = head.substr(0, head.find_first_of("\r\n"));
  }
  log.status = res.status;
  if (got_bytes) metrics::seed_request(res.status);

  if (got_bytes) {
    // A page waits until its seed is durable, as a 250 waits for its message.
    // Named, not a braced temporary in the co_await: GCC 12 miscompiles the latter.
    capture::record rec{capture::record_type::http, capture::to_json(log), {}};
    auto [pos, ok] = co_await async_append(sock->get_executor(), journal, std::move(rec));
    (void)pos;
    if (!ok) {
      spdlog::error("seed page: the spool refused the record of {} from {}", log.id, ip);
      if (!log.seed.empty()) st->taken.erase(log.seed);
      res = text(503, "try again later\n");
      head_only = false;
    }
  }
  if (got_bytes && !st->stopping) {
    const std::string bytes = render(res, head_only);
    if (timed_out) {
      // The deadline has passed: one non-blocking try at the 408, never a wait.
      sock->non_blocking(true, ec);
      asio::write(*sock, asio::buffer(bytes), ec);
    } else {
      co_await asio::async_write(*sock, asio::buffer(bytes), use_nothrow);
    }
  }
  deadline.cancel();
  sock->shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  sock->close(ec);
  st->open.erase(sock);
  st->limits.release(ip);
}

}  // namespace

seed_server::seed_server(asio::io_context& io, capture::journal& journal, seed_options opts,
                         const std::vector<std::string>& known)
    : io_(io), journal_(journal), state_(std::make_shared<shared>(std::move(opts), known)) {}

seed_server::~seed_server() = default;

Status seed_server::bind() {
  auto a = open_listener(io_, state_->opts.host, state_->opts.port);
  if (!a) return Error{"seed page: " + a.error()};
  acceptor_ = std::move(*a);
  return {};
}

std::string seed_server::bound() const {
  std::error_code ec;
  const auto ep = acceptor_->local_endpoint(ec);
  return ec ? "" : endpoint_text(ep);
}

void seed_server::start() {
  accept_each(io_, *acceptor_, "seed page", [st = state_] { return st->stopping; },
              [this](asio::ip::tcp::socket sock) {
                auto s = std::make_shared<asio::ip::tcp::socket>(std::move(sock));
                asio::co_spawn(io_, exchange(state_, journal_, std::move(s)), asio::detached);
              });
}

void seed_server::stop() {
  state_->stopping = true;
  std::error_code ec;
  if (acceptor_) acceptor_->close(ec);
  for (const auto& s : state_->open) s->cancel(ec);
}

}  // namespace spampot::net
