#include "net/tls_socket.hpp"

#include <openssl/err.h>

#include <asio/experimental/as_tuple.hpp>
#include <asio/ssl/error.hpp>
#include <asio/use_awaitable.hpp>
#include <cerrno>

namespace spampot::net {
namespace {

constexpr auto use_nothrow = asio::experimental::as_tuple(asio::use_awaitable);

}  // namespace

tls_socket::tls_socket(asio::ip::tcp::socket& socket, asio::ssl::context& ctx)
    : socket_(socket), ssl_(SSL_new(ctx.native_handle())) {
  std::error_code ignored;
  socket_.non_blocking(true, ignored);
  if (ssl_) {
    SSL_set_fd(ssl_, socket_.native_handle());
    SSL_set_accept_state(ssl_);
    SSL_set_mode(ssl_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  }
}

tls_socket::~tls_socket() { SSL_free(ssl_); }

asio::awaitable<std::error_code> tls_socket::wait_for(int ret) {
  const int err = SSL_get_error(ssl_, ret);
  const unsigned long queued = ERR_get_error();
  ERR_clear_error();  // the thread's error queue is shared by every connection on it
  switch (err) {
    case SSL_ERROR_WANT_READ: {
      auto [ec] = co_await socket_.async_wait(asio::ip::tcp::socket::wait_read, use_nothrow);
      co_return ec;
    }
    case SSL_ERROR_WANT_WRITE: {
      auto [ec] = co_await socket_.async_wait(asio::ip::tcp::socket::wait_write, use_nothrow);
      co_return ec;
    }
    case SSL_ERROR_ZERO_RETURN:
      co_return asio::error::eof;
    case SSL_ERROR_SYSCALL:
      // A peer that closed without close_notify, or a socket error.
      co_return errno != 0 && queued == 0 && ret < 0 ? std::error_code(errno, std::system_category())
                                                    : std::error_code(asio::error::eof);
    default:
      co_return std::error_code(static_cast<int>(queued ? queued : err), asio::error::get_ssl_category());
  }
}

asio::awaitable<std::error_code> tls_socket::handshake() {
  if (!ssl_) co_return std::make_error_code(std::errc::not_enough_memory);
  for (;;) {
    errno = 0;
    const int r = SSL_do_handshake(ssl_);
    if (r == 1) co_return std::error_code();
    if (auto ec = co_await wait_for(r)) co_return ec;
  }
}

asio::awaitable<std::tuple<std::error_code, std::size_t>> tls_socket::read_some(char* buf, std::size_t size) {
  for (;;) {
    std::size_t n = 0;
    errno = 0;
    const int r = SSL_read_ex(ssl_, buf, size, &n);
    if (r == 1) co_return std::tuple{std::error_code(), n};
    if (auto ec = co_await wait_for(r)) co_return std::tuple{ec, std::size_t{0}};
  }
}

asio::awaitable<std::error_code> tls_socket::write(const char* data, std::size_t size) {
  while (size > 0) {
    std::size_t n = 0;
    errno = 0;
    const int r = SSL_write_ex(ssl_, data, size, &n);
    if (r == 1) {
      data += n;
      size -= n;
      continue;
    }
    if (auto ec = co_await wait_for(r)) co_return ec;
  }
  co_return std::error_code();
}

}  // namespace spampot::net
