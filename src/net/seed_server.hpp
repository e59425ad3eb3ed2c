// The seed page: an HTTP listener in `spampot serve` that gives every visitor a page carrying a
// freshly minted seed address, bound in the journal to the visitor's IP, User-Agent and time
// before the page leaves, so a harvester's own address is known before its spam arrives.
//
// Bounded like the SMTP side: connections in total and per address, one request per
// connection, a deadline for the whole exchange, a request head limit. It never opens a file:
// the path only picks one of three answers (seed/page.hpp). Every request that sent a byte is
// recorded, refused ones with why.
#pragma once

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "base/ids.hpp"
#include "base/result.hpp"
#include "capture/journal.hpp"
#include "net/http_message.hpp"
#include "net/per_ip_limits.hpp"

namespace spampot::net {

struct seed_options {
  std::string host;
  std::uint16_t port = 8080;
  std::string sensor;
  std::string domain;  // the trap domain addresses are minted at
  std::string label;   // where the page is, for the report: "seed page"
  std::string site;    // the name the page shows
  http_limits lim;
  Micros timeout = 10 * kMicrosPerSecond;  // the whole exchange, request to answer
  std::size_t connections = 64;
  std::size_t connections_per_ip = 4;
};

class seed_server {
 public:
  // `known`: every seed address already in the store, never to be handed out again.
  seed_server(asio::io_context& io, capture::journal& journal, seed_options opts,
              const std::vector<std::string>& known);
  ~seed_server();

  Status bind();
  std::string bound() const;  // "127.0.0.1:8080", port 0 resolved
  void start();
  // Stops accepting and cuts open exchanges.
  void stop();

  struct shared;  // what outlives the server while an exchange still holds it

 private:

  asio::io_context& io_;
  capture::journal& journal_;
  std::shared_ptr<shared> state_;
  std::unique_ptr<asio::ip::tcp::acceptor> acceptor_;
};

}  // namespace spampot::net
