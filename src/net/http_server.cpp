#include "net/http_server.hpp"

#include <array>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/ssl/stream.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>
#include <set>

#include "net/http_message.hpp"
#include "net/per_ip_limits.hpp"
#include "net/sockets.hpp"

namespace spampot::net {
namespace {

constexpr auto use_nothrow = asio::experimental::as_tuple(asio::use_awaitable);

http_response text(int status, std::string body) {
  return {status, "text/plain; charset=utf-8", {{"Cache-Control", "no-store"}}, std::move(body)};
}

// The path without its query: Prometheus may add ?name[]=...
std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

}  // namespace

struct http_server::shared {
  http_server_options opts;
  per_ip_limits limits;
  std::set<std::shared_ptr<asio::ip::tcp::socket>> open;
  bool stopping = false;
};

http_response metrics_routes(const http_request& req, const std::function<std::string()>& metrics,
                             const std::function<health()>& healthz) {
  if (req.method != "GET" && req.method != "HEAD") {
    auto r = text(405, "method not allowed\n");
    r.headers.emplace_back("Allow", "GET, HEAD");
    return r;
  }
  const auto path = path_of(req.target);
  if (path == "/metrics") {
    http_response r = text(200, metrics());
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return r;
  }
  if (path == "/healthz") {
    const health h = healthz();
    return h.ok ? text(200, "ok\n") : text(503, h.why + "\n");
  }
  return text(404, "not found: /metrics and /healthz are here\n");
}

namespace {

// Reads one request head from `s` and writes the answer.
template <class Stream>
asio::awaitable<void> answer(http_server::shared& st, Stream& s) {
  http_request_reader reader(st.opts.lim);
  std::array<char, 2048> buf;
  auto state = http_request_reader::state::need_more;
  while (state == http_request_reader::state::need_more) {
    auto [e, n] = co_await s.async_read_some(asio::buffer(buf), use_nothrow);
    if (e || n == 0) break;
    state = reader.feed(std::string_view(buf.data(), n));
  }
  if (st.stopping || state == http_request_reader::state::need_more) co_return;
  const bool done = state == http_request_reader::state::done;
  const http_response res = done ? st.opts.handle(reader.request()) : text(reader.status(), reader.problem() + "\n");
  const std::string bytes = render(res, done && reader.request().method == "HEAD");
  co_await asio::async_write(s, asio::buffer(bytes), use_nothrow);
}

asio::awaitable<void> exchange(std::shared_ptr<http_server::shared> st, std::shared_ptr<asio::ip::tcp::socket> sock) {
  std::error_code ec;
  const std::string ip = peer_of(*sock).client_ip;
  if (const char* busy = st->limits.acquire(ip)) {
    if (st->opts.tls) {  // no plain text where TLS is spoken; the refusal is the close
      sock->close(ec);
      co_return;
    }
    const std::string bytes = render(text(503, std::string(busy) + "\n"), false);
    co_await asio::async_write(*sock, asio::buffer(bytes), use_nothrow);
    sock->close(ec);
    co_return;
  }
  st->open.insert(sock);
  // One deadline for the whole exchange, handshake included: cancelling the socket ends
  // whatever the TLS stream above it waits for.
  asio::steady_timer deadline(sock->get_executor(), std::chrono::microseconds(st->opts.timeout));
  deadline.async_wait([sock](std::error_code e) {
    if (e) return;
    std::error_code ignored;
    sock->cancel(ignored);
  });
  if (st->opts.tls) {
    asio::ssl::stream<asio::ip::tcp::socket&> tls(*sock, *st->opts.tls);
    auto [e] = co_await tls.async_handshake(asio::ssl::stream_base::server, use_nothrow);
    if (!e) {
      co_await answer(*st, tls);
      co_await tls.async_shutdown(use_nothrow);
    }
  } else {
    co_await answer(*st, *sock);
  }
  deadline.cancel();
  sock->shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  sock->close(ec);
  st->open.erase(sock);
  st->limits.release(ip);
}

}  // namespace

http_server::http_server(asio::io_context& io, http_server_options opts)
    : io_(io),
      state_(std::make_shared<shared>(
          shared{opts, per_ip_limits(opts.connections, opts.connections_per_ip), {}, false})) {}

http_server::~http_server() = default;

Status http_server::bind() {
  auto a = open_listener(io_, state_->opts.host, state_->opts.port);
  if (!a) return Error{state_->opts.name + ": " + a.error()};
  acceptor_ = std::move(*a);
  return {};
}

std::string http_server::bound() const {
  std::error_code ec;
  const auto ep = acceptor_->local_endpoint(ec);
  return ec ? "" : endpoint_text(ep);
}

void http_server::start() {
  accept_each(io_, *acceptor_, state_->opts.name, [st = state_] { return st->stopping; },
              [this](asio::ip::tcp::socket sock) {
                auto s = std::make_shared<asio::ip::tcp::socket>(std::move(sock));
                asio::co_spawn(io_, exchange(state_, std::move(s)), asio::detached);
              });
}

void http_server::stop() {
  state_->stopping = true;
  std::error_code ec;
  if (acceptor_) acceptor_->close(ec);
  for (const auto& s : state_->open) s->cancel(ec);
}

}  // namespace spampot::net
