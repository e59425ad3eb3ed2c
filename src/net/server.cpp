#include "net/server.hpp"

#include <spdlog/spdlog.h>

#include <asio/steady_timer.hpp>
#include <random>

#include "metrics/metrics.hpp"
#include "net/connection.hpp"
#include "net/sockets.hpp"

namespace spampot::net {

server::server(asio::io_context& io, capture::journal& journal, server_options opts)
    : io_(io),
      journal_(journal),
      opts_(std::move(opts)),
      session_(std::make_shared<const smtp::session_config>(opts_.session)),
      ids_(opts_.sensor, std::random_device{}()),
      limits_(opts_.session.lim.connections, opts_.session.lim.connections_per_ip) {}

server::~server() = default;

Status server::bind() {
  for (const auto& spec : opts_.listen) {
    auto a = open_listener(io_, spec.host, spec.port);
    if (!a) return Error{a.error()};
    acceptors_.push_back(std::move(*a));
  }
  return {};
}

std::vector<std::string> server::bound() const {
  std::vector<std::string> out;
  for (const auto& a : acceptors_) {
    std::error_code ec;
    const auto ep = a->local_endpoint(ec);
    if (!ec) out.push_back(endpoint_text(ep));
  }
  return out;
}

void server::start() {
  for (std::size_t i = 0; i < acceptors_.size(); ++i) accept_loop(*acceptors_[i], opts_.listen[i]);
}

void server::accept_loop(asio::ip::tcp::acceptor& a, const endpoint_spec& spec) {
  accept_each(io_, a, "smtp", [this] { return draining_; },
              [this, &spec](asio::ip::tcp::socket sock) {
                metrics::connection_accepted();
                auto c = std::make_shared<connection>(*this, std::move(sock), spec);
                conns_.insert(c.get());
                c->start();
              });
}

void server::set_policy(std::shared_ptr<const smtp::recipient_policy> p) {
  opts_.session.policy = std::move(p);
  session_ = std::make_shared<const smtp::session_config>(opts_.session);
}

void server::ended(connection* c) {
  conns_.erase(c);
  if (draining_ && conns_.empty() && on_drained_) {
    auto done = std::move(on_drained_);
    on_drained_ = nullptr;
    if (shutdown_timer_) shutdown_timer_->cancel();
    done();
  }
}

namespace {
constexpr auto kRefusalInterval = std::chrono::seconds(60);
constexpr std::size_t kRefusalAddresses = 10000;  // beyond this many, one tally for the rest
}  // namespace

void server::count_refusal(const std::string& ip, const char* why) {
  const Micros now = now_micros();
  const std::string key =
      refusals_.size() < kRefusalAddresses || refusals_.count(ip) ? ip : std::string("*");
  auto& t = refusals_[key];
  if (t.count++ == 0) {
    t.first = now;
    t.why = why;
  }
  t.last = now;
  if (!refusal_timer_) {
    refusal_timer_ = std::make_unique<asio::steady_timer>(io_, kRefusalInterval);
    refusal_timer_->async_wait([this](std::error_code ec) {
      if (!ec) flush_refusals();
    });
  }
}

void server::flush_refusals() {
  if (refusal_timer_) refusal_timer_->cancel();
  refusal_timer_.reset();
  for (const auto& [ip, t] : refusals_) {
    session_record log;
    log.id = ids_.next(t.first);
    log.sensor = opts_.sensor;
    log.started_at = t.first;
    log.ended_at = t.last;
    log.client_ip = ip;
    log.end_reason = "connection_limit";
    const std::string what = std::to_string(t.count) +
                             (t.count == 1 ? " connection" : " connections") +
                             " refused with 421 (" + t.why + ")";
    log.violations.push_back({t.first, "connection_limit", what});
    log.transcript =
        what + " between " + format_rfc3339(t.first) + " and " + format_rfc3339(t.last) + "\n";
    spdlog::warn("{} {}", ip, what);
    journal_.append_lazily({capture::record_type::session, capture::to_json(log), {}});
  }
  refusals_.clear();
}

void server::shutdown(Micros grace, std::function<void()> done) {
  draining_ = true;
  flush_refusals();
  for (auto& a : acceptors_) {
    std::error_code ec;
    a->close(ec);
  }
  if (conns_.empty()) {
    done();
    return;
  }
  on_drained_ = std::move(done);
  spdlog::info("shutdown: waiting up to {} ms for {} sessions", grace / 1000, conns_.size());
  shutdown_timer_ = std::make_unique<asio::steady_timer>(io_, std::chrono::microseconds(grace));
  shutdown_timer_->async_wait([this](std::error_code ec) {
    if (ec) return;
    for (auto* c : conns_) c->interrupt();
  });
}

}  // namespace spampot::net
