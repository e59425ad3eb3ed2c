// The SMTP listener: binds every configured address, accepts, and runs one coroutine per
// connection (connection.cpp) on the caller's io_context. All of its state lives on that one
// thread; the journal is the only thing it shares, through journal::append.
#pragma once

#include <array>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ssl/context.hpp>
#include <asio/steady_timer.hpp>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "base/ids.hpp"
#include "base/limits.hpp"
#include "base/result.hpp"
#include "capture/journal.hpp"
#include "dns/checker.hpp"
#include "net/per_ip_limits.hpp"
#include "smtp/greylist.hpp"
#include "smtp/greytrap.hpp"
#include "smtp/session.hpp"

namespace spampot::net {

struct endpoint_spec {
  std::string host;
  std::uint16_t port = 25;
  bool proxy_protocol = false;           // the client's address comes in a PROXY header first
  Micros stutter = 0;                    // tarpit: one byte of every reply per this interval
  std::optional<Micros> greeting_delay;  // unset: server_options::greeting_delay
  bool implicit_tls = false;             // TLS from the first byte (port 465), not after STARTTLS
};

struct server_options {
  std::vector<endpoint_spec> listen;
  std::string sensor;
  smtp::session_config session;  // hostname, banner, relay_bait, limits, recipient policy
  Micros greeting_delay = 0;
  std::shared_ptr<asio::ssl::context> tls;  // null: no STARTTLS and no implicit TLS
  // Reverse DNS of each accepted client, on this io_context (null: none). The answer is kept on
  // the session record; it never delays a reply. The session record waits for it at most
  // `dns_wait` after the session ends.
  dns::checker* dns = nullptr;
  Micros dns_wait = 0;
  // The greylist experiment and the greytrap ([greylist], [greytrap]; null: off). Their state is
  // the io thread's; serve fills it from the store before it starts.
  std::shared_ptr<smtp::greylist> greylist;
  std::shared_ptr<smtp::greytrap> greytrap;
  Micros greytrap_stutter = kMicrosPerSecond;
};

class connection;

class server {
 public:
  server(asio::io_context& io, capture::journal& journal, server_options opts);
  ~server();

  // Binds every listen address (before privileges are dropped). Fails on the first that cannot.
  Status bind();
  // The addresses actually bound ("127.0.0.1:40123"), port 0 resolved.
  std::vector<std::string> bound() const;
  // Starts accepting; returns at once.
  void start();

  // SIGHUP: new sessions use the new recipient policy; running ones keep theirs.
  void set_policy(std::shared_ptr<const smtp::recipient_policy> p);

  // Stops accepting now; sessions still open after `grace` get 421 and are closed. `done` runs on
  // the io_context when the last session has ended.
  void shutdown(Micros grace, std::function<void()> done);

 private:
  friend class connection;
  // Connections refused by the connection limits are journaled in aggregate: one session record
  // per client address and interval with the count, so a flood costs the spool a line, not a
  // record per connection.
  void count_refusal(const std::string& ip, const char* why);
  void flush_refusals();
  void accept_loop(asio::ip::tcp::acceptor& a, const endpoint_spec& spec);
  void ended(connection* c);

  asio::io_context& io_;
  capture::journal& journal_;
  server_options opts_;
  // What every session reads of opts_.session, shared; replaced whole when the policy changes,
  // so a session keeps the configuration it started with.
  std::shared_ptr<const smtp::session_config> session_;
  id_generator ids_;
  per_ip_limits limits_;
  std::vector<std::unique_ptr<asio::ip::tcp::acceptor>> acceptors_;  // in the order of opts_.listen
  std::set<connection*> conns_;
  std::unique_ptr<asio::steady_timer> shutdown_timer_;
  std::function<void()> on_drained_;
  bool draining_ = false;
  std::array<char, 64 * 1024> read_buffer_{};  // shared by every connection: see connection.cpp
  struct refusal_tally {
    std::uint64_t count = 0;
    Micros first = 0, last = 0;
    std::string why;
  };
  std::map<std::string, refusal_tally> refusals_;  // by client address, since the last flush
  std::unique_ptr<asio::steady_timer> refusal_timer_;
};

}  // namespace spampot::net
