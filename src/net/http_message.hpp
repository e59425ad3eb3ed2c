// HTTP/1.x on the seed page's port, parsed and written by Boost.Beast, without sockets: bytes in,
// a request or a precise refusal out; a response in, bytes out. The listener (seed_server.cpp)
// does the I/O. Only the request head is read: the trap answers GET and HEAD, which carry no
// body, and closes every connection after one answer.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spampot::net {

struct http_request {
  std::string method;   // as sent: "GET", "HEAD", "POST", "CONNECT", ...
  std::string target;   // as sent: "/contact?x=1", "http://host/", "host:443"
  unsigned version = 11;  // 10 for HTTP/1.0, 11 for HTTP/1.1
  std::string host;
  std::string user_agent;
  std::string referer;
  std::string authorization;  // for the console's token; the seed page never reads it
};

struct http_limits {
  std::size_t header_bytes = 8192;  // request line and header fields together
  std::size_t target_bytes = 2048;
};

class http_request_reader {
 public:
  explicit http_request_reader(http_limits lim = {});
  ~http_request_reader();
  http_request_reader(const http_request_reader&) = delete;
  http_request_reader& operator=(const http_request_reader&) = delete;

  enum class state { need_more, done, refused };

  // Feeds the next bytes from the peer. Once done or refused, further bytes are ignored.
  state feed(std::string_view bytes);

  // Valid once done: the request head.
  const http_request& request() const { return req_; }
  // Once refused: the status to answer (400, 414, 431) and why, for the record.
  int status() const { return status_; }
  const std::string& problem() const { return problem_; }

 private:
  state refuse(int status, std::string problem);

  struct parser;
  std::unique_ptr<parser> p_;
  http_limits lim_;
  std::string pending_;  // bytes the parser has not consumed yet
  std::size_t head_bytes_ = 0;  // bytes of the head it has consumed
  state state_ = state::need_more;
  http_request req_;
  int status_ = 0;
  std::string problem_;
};

struct http_response {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;  // beyond the standard ones
  std::string body;
};

// The bytes of a response that closes the connection after it. For HEAD the body is left out
// and Content-Length still tells its size, as RFC 9110 asks.
std::string render(const http_response& r, bool head_only);

}  // namespace spampot::net
