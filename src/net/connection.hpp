// One client connection: the coroutine that moves bytes between the socket and smtp::session,
// makes each finished message durable before its reply, and journals the session when it ends.
#pragma once

#include <array>
#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "capture/records.hpp"
#include "net/tls_socket.hpp"
#include "smtp/session.hpp"

namespace spampot::net {

class server;

class connection : public std::enable_shared_from_this<connection> {
 public:
  // `listener`: the options of the listener it came in on (PROXY header, tarpit); it outlives
  // the connection, as the server's configuration does.
  connection(server& srv, asio::ip::tcp::socket sock, const struct endpoint_spec& listener);

  // Admits the client (or refuses it) and runs its conversation on the socket's executor.
  void start();
  // Shutdown grace is over: answer 421 at the next chance and close.
  void interrupt();

 private:
  asio::awaitable<void> admit_proxied();
  asio::awaitable<void> refuse(const char* why, bool proxied);
  asio::awaitable<void> converse(std::string early);
  asio::awaitable<void> end();
  asio::awaitable<void> pregreet();
  asio::awaitable<bool> read_proxy_header(std::string& early, std::string& why);
  asio::awaitable<bool> act(smtp::output& out);
  asio::awaitable<bool> write(const std::string& bytes);
  asio::awaitable<bool> send(const char* data, std::size_t size);
  // Hands the connection to TLS (after STARTTLS's 220, or at once on an implicit-TLS listener);
  // false when the handshake fails, which ends the session.
  asio::awaitable<bool> start_tls();
  void arm_watchdog();
  void extend_deadline();
  void journal_session();
  // The greylist and the greytrap, once the client's address is known (after a PROXY header).
  void watch_recipients();
  capture::message_envelope envelope(const smtp::message& m, const std::string& id) const;

  server& srv_;
  asio::ip::tcp::socket socket_;
  asio::steady_timer timer_;
  std::chrono::steady_clock::time_point deadline_;
  capture::peer peer_;
  std::string session_id_;
  Micros started_;
  smtp::session session_;
  std::unique_ptr<tls_socket> tls_;  // set once TLS is on
  const struct endpoint_spec& listener_;
  // Set when the first bytes call for a refusal (a PROXY header unasked for).
  const char* refuse_ = nullptr;
  bool first_read_ = true;
  bool aggregated_ = false;  // refused by a limit: the server journals it with the others
  bool reading_ = false;
  bool timed_out_ = false;
  bool interrupted_ = false;
  bool done_ = false;
  // Tarpit: one byte of every reply per `stutter_` (0: none), set by the listener or the
  // greytrap (`tarpit_` says which), and the time replies were held back.
  Micros stutter_ = 0;
  const char* tarpit_ = "";
  Micros tarpit_micros_ = 0;
  Micros reply_started_ = 0;  // when our last reply began to be written (system clock)
  // The client's reverse DNS, filled in when the answer arrives (shared: it may arrive late);
  // null when [dns] is off.
  struct reverse_dns {
    bool pending = false;
    std::string ptr;
    bool confirmed = false;
    std::string error;
    std::shared_ptr<asio::steady_timer> waiter;  // the session's end waiting for the answer
  };
  std::shared_ptr<reverse_dns> rdns_;
  void look_up_client();
  asio::awaitable<void> await_client_lookup();
};

}  // namespace spampot::net
