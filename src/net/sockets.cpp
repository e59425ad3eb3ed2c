#include "net/sockets.hpp"

#include <spdlog/spdlog.h>

#include <sys/socket.h>
#include <sys/uio.h>

#include <asio/ip/v6_only.hpp>
#include <asio/steady_timer.hpp>
#include <cerrno>
#include <cstring>
#include <ctime>

namespace spampot::net {

void stamp_arrivals(asio::ip::tcp::socket& s) {
  const int on = 1;
  (void)::setsockopt(s.native_handle(), SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
}

std::size_t read_stamped(asio::ip::tcp::socket& s, char* buf, std::size_t size, Micros& arrived, std::error_code& ec) {
  arrived = 0;
  iovec iov{buf, size};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec))];
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  const ssize_t n = ::recvmsg(s.native_handle(), &msg, MSG_DONTWAIT);
  if (n < 0) {
    ec = errno == EINTR ? make_error_code(asio::error::would_block)
                        : std::error_code(errno, asio::error::get_system_category());
    return 0;
  }
  if (n == 0) {
    ec = asio::error::eof;
    return 0;
  }
  ec.clear();
  for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_TIMESTAMPNS) continue;
    timespec ts;
    std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
    arrived = static_cast<Micros>(ts.tv_sec) * kMicrosPerSecond + ts.tv_nsec / 1000;
  }
  return static_cast<std::size_t>(n);
}

std::string endpoint_text(const asio::ip::tcp::endpoint& ep) {
  const std::string host = ep.address().to_string();
  return (ep.address().is_v6() ? "[" + host + "]" : host) + ":" + std::to_string(ep.port());
}

Result<std::unique_ptr<asio::ip::tcp::acceptor>> open_listener(asio::io_context& io,
                                                               const std::string& host,
                                                               std::uint16_t port) {
  std::error_code ec;
  const auto addr = asio::ip::make_address(host, ec);
  if (ec) return Error{"bad listen address " + host + ": " + ec.message()};
  const asio::ip::tcp::endpoint ep(addr, port);
  const std::string name = endpoint_text(ep);
  auto a = std::make_unique<asio::ip::tcp::acceptor>(io);
  if (a->open(ep.protocol(), ec); ec)
    return Error{"cannot open socket for " + name + ": " + ec.message()};
  a->set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
  if (addr.is_v6()) a->set_option(asio::ip::v6_only(true), ec);
  if (a->bind(ep, ec); ec) return Error{"cannot listen on " + name + ": " + ec.message()};
  if (a->listen(asio::socket_base::max_listen_connections, ec); ec)
    return Error{"cannot listen on " + name + ": " + ec.message()};
  return a;
}

void accept_each(asio::io_context& io, asio::ip::tcp::acceptor& a, std::string what,
                 std::function<bool()> stopped, std::function<void(asio::ip::tcp::socket)> take) {
  a.async_accept([&io, &a, what = std::move(what), stopped = std::move(stopped),
                  take = std::move(take)](std::error_code ec, asio::ip::tcp::socket sock) mutable {
    if (stopped() || !a.is_open()) return;
    if (ec) {
      spdlog::warn("{}: accept: {}", what, ec.message());
      auto t = std::make_shared<asio::steady_timer>(io, std::chrono::milliseconds(200));
      t->async_wait([&io, &a, t, what = std::move(what), stopped = std::move(stopped),
                     take = std::move(take)](std::error_code) mutable {
        accept_each(io, a, std::move(what), std::move(stopped), std::move(take));
      });
      return;
    }
    take(std::move(sock));
    accept_each(io, a, std::move(what), std::move(stopped), std::move(take));
  });
}

capture::peer peer_of(const asio::ip::tcp::socket& s) {
  capture::peer p;
  std::error_code ec;
  if (const auto remote = s.remote_endpoint(ec); !ec) {
    auto addr = remote.address();
    if (addr.is_v6() && addr.to_v6().is_v4_mapped())
      addr = asio::ip::make_address_v4(asio::ip::v4_mapped, addr.to_v6());
    p.client_ip = addr.to_string();
    p.client_port = remote.port();
  }
  if (const auto local = s.local_endpoint(ec); !ec) {
    p.server_ip = local.address().to_string();
    p.server_port = local.port();
  }
  return p;
}

}  // namespace spampot::net
