#include "net/http_message.hpp"

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <sstream>

namespace spampot::net {

namespace http = boost::beast::http;

struct http_request_reader::parser {
  http::request_parser<http::empty_body> p;
};

http_request_reader::http_request_reader(http_limits lim) : p_(std::make_unique<parser>()), lim_(lim) {
  p_->p.header_limit(static_cast<std::uint32_t>(lim_.header_bytes));
  // The head is all the trap reads: a body, if any, is never parsed.
  p_->p.eager(false);
}

http_request_reader::~http_request_reader() = default;

http_request_reader::state http_request_reader::refuse(int status, std::string problem) {
  status_ = status;
  problem_ = std::move(problem);
  return state_ = state::refused;
}

http_request_reader::state http_request_reader::feed(std::string_view bytes) {
  if (state_ != state::need_more) return state_;
  pending_.append(bytes);
  boost::beast::error_code ec;
  const std::size_t used = p_->p.put(boost::asio::const_buffer(pending_.data(), pending_.size()), ec);
  pending_.erase(0, used);
  head_bytes_ += used;
  if (ec == http::error::need_more) {
    // Beast keeps an incomplete line to read again with more bytes, so what waits here is
    // bounded by the head limit too.
    if (head_bytes_ + pending_.size() > lim_.header_bytes)
      return refuse(431, "request head over the limit");
    return state_;
  }
  if (ec == http::error::header_limit) return refuse(431, "request head over the limit");
  if (ec) return refuse(400, ec.message());
  if (!p_->p.is_header_done()) return state_;
  // Beast checks its limit only while the head is incomplete; a whole head that arrives at once
  // is measured here, so the verdict does not depend on how the bytes were split.
  if (head_bytes_ > lim_.header_bytes) return refuse(431, "request head over the limit");
  const auto& m = p_->p.get();
  req_.method = std::string(m.method_string());
  req_.target = std::string(m.target());
  req_.version = m.version();
  req_.host = std::string(m[http::field::host]);
  req_.user_agent = std::string(m[http::field::user_agent]);
  req_.referer = std::string(m[http::field::referer]);
  req_.authorization = std::string(m[http::field::authorization]);
  if (req_.target.size() > lim_.target_bytes) return refuse(414, "request target over the limit");
  return state_ = state::done;
}

std::string render(const http_response& r, bool head_only) {
  http::response<http::string_body> res;
  res.version(11);
  res.result(static_cast<unsigned>(r.status));
  res.set(http::field::server, "Apache");
  res.set(http::field::content_type, r.content_type);
  res.set(http::field::cache_control, "no-store");
  res.set(http::field::connection, "close");
  for (const auto& [k, v] : r.headers) res.set(k, v);
  res.body() = r.body;
  res.prepare_payload();
  if (head_only) {
    // The length of the body a GET would get, without the body.
    const auto length = res.body().size();
    res.body().clear();
    res.content_length(length);
  }
  std::ostringstream out;
  out << res;
  return out.str();
}

}  // namespace spampot::net
