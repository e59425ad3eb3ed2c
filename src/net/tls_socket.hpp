// TLS over a connection's own socket. OpenSSL reads and writes the non-blocking descriptor
// itself, and the coroutine waits for readiness when OpenSSL asks for it.
//
// asio::ssl::stream keeps 68 KiB of buffers per connection (two record buffers of its own and a
// BIO pair) whether or not anything moves; an idle TLS connection cost the trap 77 KiB. Here
// nothing is buffered but by OpenSSL, which frees its record buffers while a connection is idle
// (SSL_MODE_RELEASE_BUFFERS, set on the trap's context), and reads land in the caller's buffer.
#pragma once

#include <openssl/ssl.h>

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ssl/context.hpp>
#include <system_error>
#include <tuple>

namespace spampot::net {

class tls_socket {
 public:
  // Sets the socket non-blocking: OpenSSL must never block the io thread.
  tls_socket(asio::ip::tcp::socket& socket, asio::ssl::context& ctx);
  ~tls_socket();
  tls_socket(const tls_socket&) = delete;
  tls_socket& operator=(const tls_socket&) = delete;

  SSL* native_handle() const { return ssl_; }

  asio::awaitable<std::error_code> handshake();
  // Some decrypted bytes into `buf` (what OpenSSL already holds first), waiting for them.
  asio::awaitable<std::tuple<std::error_code, std::size_t>> read_some(char* buf, std::size_t size);
  asio::awaitable<std::error_code> write(const char* data, std::size_t size);

 private:
  // After an OpenSSL call returned `ret`: waits for what it wants and says to try again (no
  // error), or gives the error that ends the connection.
  asio::awaitable<std::error_code> wait_for(int ret);

  asio::ip::tcp::socket& socket_;
  SSL* ssl_;
};

}  // namespace spampot::net
