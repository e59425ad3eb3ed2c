#include "net/connection.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/post.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>
#include <tuple>
#include <utility>

#include "base/escape.hpp"
#include "metrics/metrics.hpp"
#include "net/async_append.hpp"
#include "net/proxy_header.hpp"
#include "net/server.hpp"
#include "net/sockets.hpp"
#include "net/tls_context.hpp"

namespace spampot::net {

namespace {

constexpr auto use_nothrow = asio::experimental::as_tuple(asio::use_awaitable);

// A balancer's header on a listener not configured for one: the client's real address would be
// lost, so the misconfiguration is refused loudly instead of recorded as junk commands.
constexpr const char* kUnaskedProxy = "PROXY protocol header on a listener without proxy_protocol";

}  // namespace

connection::connection(server& srv, asio::ip::tcp::socket sock, const endpoint_spec& listener)
    : srv_(srv),
      socket_(std::move(sock)),
      timer_(socket_.get_executor()),
      started_(now_micros()),
      session_(srv.session_, started_),
      listener_(listener) {
  peer_ = peer_of(socket_);
  stamp_arrivals(socket_);
  session_id_ = srv_.ids_.next(started_);
  if (listener_.stutter > 0) {
    stutter_ = listener_.stutter;
    tarpit_ = "listener";
  }
  // Reads happen only after readiness (see converse()); non-blocking makes a spurious wake-up
  // harmless instead of a stalled io thread.
  std::error_code ec;
  socket_.non_blocking(true, ec);
}

void connection::interrupt() {
  interrupted_ = true;
  if (reading_) {
    std::error_code ec;
    socket_.cancel(ec);
  }
}

void connection::extend_deadline() {
  deadline_ = std::chrono::steady_clock::now() +
              std::chrono::microseconds(srv_.opts_.session.lim.idle_timeout);
}

// The idle timer is a plain handler, not a coroutine: one small allocation per wait instead of a
// coroutine frame held for the whole session.
void connection::arm_watchdog() {
  timer_.expires_at(deadline_);
  timer_.async_wait([self = shared_from_this()](std::error_code ec) {
    if (ec || self->done_) return;
    if (std::chrono::steady_clock::now() < self->deadline_) return self->arm_watchdog();
    if (!self->reading_) {
      // Busy writing or waiting for the disk: that is our delay, not the client's idleness.
      self->extend_deadline();
      return self->arm_watchdog();
    }
    self->timed_out_ = true;
    std::error_code ignored;
    self->socket_.cancel(ignored);
  });
}

void connection::start() {
  const auto spawn = [this](asio::awaitable<void> a) {
    asio::co_spawn(socket_.get_executor(), std::move(a), asio::detached);
  };
  if (listener_.proxy_protocol) return spawn(admit_proxied());
  if (const char* refused = srv_.limits_.acquire(peer_.client_ip))
    return spawn(refuse(refused, true));
  spawn(converse(""));
}

// Behind a balancer the real client is known only from its PROXY header, and the per-address
// limits must count that client, not the balancer.
asio::awaitable<void> connection::admit_proxied() {
  auto self = shared_from_this();
  std::string early, why;
  if (!co_await read_proxy_header(early, why)) {
    co_await refuse(why.c_str(), false);
  } else if (const char* refused = srv_.limits_.acquire(peer_.client_ip)) {
    co_await refuse(refused, true);
  } else {
    co_await converse(std::move(early));
  }
}

// `proxied`: refused by a limit, once the client is known; else its PROXY header was bad.
asio::awaitable<void> connection::refuse(const char* why, bool proxied) {
  auto self = shared_from_this();
  metrics::connection_refused(!proxied ? "proxy_header"
                              : std::string_view(why).ends_with("address") ? "per_ip_limit"
                                                                           : "connection_limit");
  if (!proxied)
    spdlog::warn("connection from {}:{}: {}", peer_.client_ip, peer_.client_port,
                 escape_for_log(why, 100));
  smtp::output out = session_.refuse(why, now_micros());
  co_await act(out);
  // A limit hit is counted in aggregate by the server, not journaled connection by connection.
  if (proxied) {
    srv_.count_refusal(peer_.client_ip, why);
    aggregated_ = true;
  }
  co_await end();
}

asio::awaitable<void> connection::end() {
  done_ = true;
  timer_.cancel();
  std::error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
  if (!aggregated_) {
    co_await await_client_lookup();
    journal_session();
  }
  srv_.ended(this);
}

void connection::watch_recipients() {
  const auto& o = srv_.opts_;
  if (!o.greylist && !o.greytrap) return;
  if (o.greytrap && o.greytrap->trapped(peer_.client_ip, now_micros())) {
    stutter_ = std::max(stutter_, o.greytrap_stutter);
    tarpit_ = "greytrap";
  }
  // Called by the session, which this connection owns: `this` outlives it.
  session_.set_recipient_gate([this](std::string_view sender, std::string_view rcpt, Micros now) {
    const auto& opts = srv_.opts_;
    if (opts.greytrap) opts.greytrap->hit(peer_.client_ip, now);
    return opts.greylist ? opts.greylist->check(peer_.client_ip, sender, rcpt, now) : smtp::gate_answer{};
  });
}

// Only for connections past the limits: a flood must not become a flood of DNS questions.
void connection::look_up_client() {
  if (!srv_.opts_.dns) return;
  rdns_ = std::make_shared<reverse_dns>();
  rdns_->pending = true;
  srv_.opts_.dns->reverse(peer_.client_ip, [r = rdns_](dns::ptr_result p) {
    r->pending = false;
    r->ptr = std::move(p.ptr);
    r->confirmed = p.confirmed;
    r->error = std::move(p.error);
    if (r->waiter) r->waiter->cancel();
  });
}

asio::awaitable<void> connection::await_client_lookup() {
  if (!rdns_ || !rdns_->pending) co_return;
  rdns_->waiter = std::make_shared<asio::steady_timer>(socket_.get_executor(),
                                                       std::chrono::microseconds(srv_.opts_.dns_wait));
  auto waiter = rdns_->waiter;
  co_await waiter->async_wait(use_nothrow);
  rdns_->waiter.reset();
  if (rdns_->pending) rdns_->error = "no answer before the session record was written";
}

asio::awaitable<bool> connection::read_proxy_header(std::string& early, std::string& why) {
  auto& buf = srv_.read_buffer_;
  std::string got;
  extend_deadline();
  arm_watchdog();
  for (;;) {
    reading_ = true;
    auto [ec] = co_await socket_.async_wait(asio::ip::tcp::socket::wait_read, use_nothrow);
    std::size_t n = 0;
    if (!ec) {
      n = socket_.read_some(
          asio::buffer(buf.data(), std::min(buf.size(), kProxyV2MaxBytes + 1 - got.size())), ec);
      if (ec == asio::error::would_block || ec == asio::error::try_again) continue;
    }
    reading_ = false;
    if (ec) {
      why = timed_out_ ? "no PROXY protocol header before the timeout"
                       : "connection closed before its PROXY header";
      co_return false;
    }
    got.append(buf.data(), n);
    const proxy_header h = parse_proxy_header(got);
    if (h.verdict == proxy_verdict::invalid) {
      why = "invalid PROXY protocol header: " + h.error;
      co_return false;
    }
    if (h.verdict == proxy_verdict::need_more) {
      if (got.size() > kProxyV2MaxBytes) {
        why = "invalid PROXY protocol header: too long";
        co_return false;
      }
      continue;
    }
    if (!h.source_ip.empty()) {
      peer_.client_ip = h.source_ip;
      peer_.client_port = h.source_port;
      peer_.server_ip = h.dest_ip;
      peer_.server_port = h.dest_port;
    }
    early = got.substr(h.length);
    co_return true;
  }
}

// The admitted connection from its greeting to its end. Coroutine frames live as long as the
// session, so this is the only one an idle connection holds (the conversation's end, once, and
// the pregreet wait are coroutines of their own whose frames are freed after them), with few
// locals: one output at a time.
asio::awaitable<void> connection::converse(std::string early) {
  auto self = shared_from_this();
  // Bytes the client sent behind a PROXY header before our greeting: an early talker.
  if (!early.empty()) (void)session_.feed(early, now_micros());
  watch_recipients();
  look_up_client();
  extend_deadline();
  arm_watchdog();
  // Implicit TLS (port 465): the handshake comes first, then the greeting over it.
  const bool ready = !listener_.implicit_tls || co_await start_tls();
  if (ready && !tls_ && listener_.greeting_delay.value_or(srv_.opts_.greeting_delay) > 0)
    co_await pregreet();
  // An idle connection holds no read buffer: it waits for readability, then reads into the
  // server's one buffer (a single io thread, and the bytes are copied into the session before
  // the next suspension), so thousands of idle bots cost little memory.
  auto& buf = srv_.read_buffer_;
  smtp::output out;
  if (ready)
    out = !refuse_ ? session_.greet(now_micros()) : session_.refuse(refuse_, now_micros());
  while (ready) {
    if (!co_await act(out)) break;
    if (interrupted_) {
      out = session_.shutdown(now_micros());
      co_await act(out);
      break;
    }
    extend_deadline();
    reading_ = true;
    std::error_code ec;
    std::size_t n = 0;
    const char* data = buf.data();
    if (tls_) {
      // Read in this coroutine, as plain text is: what OpenSSL decrypts goes into the one buffer.
      std::tie(ec, n) = co_await tls_->read_some(buf.data(), buf.size());
    } else {
      std::tie(ec) = co_await socket_.async_wait(asio::ip::tcp::socket::wait_read, use_nothrow);
      if (!ec) {
        Micros arrived = 0;
        n = read_stamped(socket_, buf.data(), buf.size(), arrived, ec);
        // Pipelining, even when a client's separate writes come in separate reads: what arrived
        // before our last reply began to go out was sent without waiting for it.
        if (!ec && arrived > 0 && arrived < reply_started_) session_.client_ran_ahead();
        if (ec == asio::error::would_block || ec == asio::error::try_again) {
          out = {};
          continue;
        }
      }
    }
    reading_ = false;
    if (ec) {
      if (timed_out_) {
        out = session_.idle_timeout(now_micros());
        co_await act(out);
      } else if (interrupted_) {
        out = session_.shutdown(now_micros());
        co_await act(out);
      } else {
        session_.client_closed(now_micros(),
                               ec == asio::error::eof ? "client_closed" : "connection_error");
      }
      break;
    }
    const std::string_view bytes(data, n);
    if (std::exchange(first_read_, false) && !listener_.proxy_protocol &&
        looks_like_proxy_header(bytes)) {
      out = session_.refuse(kUnaskedProxy, now_micros());
      co_await act(out);
      break;
    }
    out = session_.feed(bytes, now_micros());
  }
  srv_.limits_.release(peer_.client_ip);
  co_await end();
}

// postscreen's pregreet test: a real MTA waits for the greeting, many bots do not.
asio::awaitable<void> connection::pregreet() {
  asio::steady_timer delay(
      socket_.get_executor(),
      std::chrono::microseconds(listener_.greeting_delay.value_or(srv_.opts_.greeting_delay)));
  co_await delay.async_wait(use_nothrow);
  std::error_code ec;
  const std::size_t waiting = socket_.available(ec);
  if (ec || waiting == 0) co_return;
  auto& buf = srv_.read_buffer_;
  auto [rec, n] = co_await socket_.async_read_some(
      asio::buffer(buf.data(), std::min(waiting, buf.size())), use_nothrow);
  if (rec) co_return;
  first_read_ = false;
  if (!listener_.proxy_protocol && looks_like_proxy_header(std::string_view(buf.data(), n))) {
    refuse_ = kUnaskedProxy;
    metrics::connection_refused("unasked_proxy_header");
    co_return;
  }
  (void)session_.feed(std::string_view(buf.data(), n), now_micros());
}

// Sends what the session said and makes its finished messages durable; consumes `out`.
asio::awaitable<bool> connection::act(smtp::output& out) {
  for (;;) {
    if (!out.replies.empty() && !co_await write(out.replies)) {
      session_.client_closed(now_micros(), "connection_error");
    }
    if (out.start_tls && !session_.closed() && !co_await start_tls()) {
      out = {};
      co_return false;
    }
    if (!out.msg) break;
    const std::string id = srv_.ids_.next(now_micros());
    const std::uint64_t bytes = out.msg->body.size();
    capture::record rec{capture::record_type::message, capture::to_json(envelope(*out.msg, id)),
                        std::move(out.msg->body)};
    auto [at, ok] = co_await async_append(socket_.get_executor(), srv_.journal_, std::move(rec));
    if (ok) {
      metrics::message_accepted(bytes);
    } else {
      metrics::message_refused();
      spdlog::error("session {}: message {} not spooled: 451 sent", session_id_, id);
    }
    out = ok ? session_.message_stored(id, now_micros()) : session_.message_failed(now_micros());
  }
  const bool open = !out.close && !session_.closed();
  out = {};
  co_return open;
}

asio::awaitable<bool> connection::send(const char* data, std::size_t size) {
  if (tls_) co_return !co_await tls_->write(data, size);
  // Bytes that reach us before this write began were sent before the client could read it.
  reply_started_ = now_micros();
  auto [ec, n] = co_await asio::async_write(socket_, asio::buffer(data, size), use_nothrow);
  co_return !ec;
}

asio::awaitable<bool> connection::write(const std::string& bytes) {
  if (stutter_ <= 0) co_return co_await send(bytes.data(), bytes.size());
  // Tarpit: a byte, a pause, the next byte. The pause is a timer on the io thread, so a
  // tarpitted bot costs this coroutine's frame and nothing else while it waits.
  asio::steady_timer pause(socket_.get_executor());
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i > 0) {
      pause.expires_after(std::chrono::microseconds(stutter_));
      auto [wec] = co_await pause.async_wait(use_nothrow);
      if (!wec) tarpit_micros_ += stutter_;
      if (wec || interrupted_) {
        // Shutting down: the rest goes out at once so the 421 that follows is not held up.
        co_return co_await send(bytes.data() + i, bytes.size() - i);
      }
    }
    if (!co_await send(bytes.data() + i, 1)) co_return false;
  }
  co_return true;
}

asio::awaitable<bool> connection::start_tls() {
  if (!srv_.opts_.tls) co_return false;
  tls_ = std::make_unique<tls_socket>(socket_, *srv_.opts_.tls);
  // The handshake is a read from the client: the idle timeout bounds a client that goes quiet.
  extend_deadline();
  reading_ = true;
  const std::error_code ec = co_await tls_->handshake();
  reading_ = false;
  SSL* ssl = tls_->native_handle();
  const tls_fingerprints fp = fingerprints_of(ssl);
  const char* sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  if (ec) {
    spdlog::info("session {} {}:{}: TLS handshake failed: {}", session_id_, peer_.client_ip,
                 peer_.client_port, timed_out_ ? std::string("timeout") : ec.message());
    // A ClientHello that led nowhere (no shared version or cipher) still tells its stack.
    if (!fp.ja3.empty())
      (void)session_.tls_started({"failed", "", sni ? sni : "", fp.ja3, fp.ja4}, now_micros());
    session_.client_closed(now_micros(), timed_out_ ? "tls_timeout" : "tls_failed");
    co_return false;
  }
  (void)session_.tls_started(
      {SSL_get_version(ssl), SSL_get_cipher_name(ssl), sni ? sni : "", fp.ja3, fp.ja4},
      now_micros());
  co_return true;
}

capture::message_envelope connection::envelope(const smtp::message& m,
                                               const std::string& id) const {
  capture::message_envelope e;
  e.id = id;
  e.session_id = session_id_;
  e.sensor = srv_.opts_.sensor;
  e.server_name = srv_.opts_.session.hostname;
  e.received_at = m.received_at;
  e.conn = peer_;
  e.helo = m.helo;
  e.helo_verb = m.helo_verb;
  e.mail_from = m.mail_from;
  e.mail_params = m.mail_params;
  e.rcpt_to = m.rcpt_to;
  e.relay_attempt = m.relay_attempt;
  e.bare_lf = m.bare_lf;
  e.long_lines = m.long_lines;
  e.nul_bytes = m.nul_bytes;
  e.eight_bit = m.eight_bit;
  e.chunked = m.chunked;
  return e;
}

void connection::journal_session() {
  // What the client did, as the SMTP session kept it; who and when, as this connection knows.
  // Ending the session seals its behaviour into the summary, whichever way the connection ended.
  if (!session_.closed()) session_.client_closed(now_micros(), "closed");
  session_record log = session_.summary();
  const auto& s = log;
  log.id = session_id_;
  log.sensor = srv_.opts_.sensor;
  log.started_at = started_;
  log.ended_at = now_micros();
  log.client_ip = peer_.client_ip;
  log.client_port = peer_.client_port;
  log.server_ip = peer_.server_ip;
  log.server_port = peer_.server_port;
  if (rdns_) {
    log.ptr = rdns_->ptr;
    log.fcrdns = rdns_->confirmed;
    log.dns_error = rdns_->error;
  }
  if (stutter_ > 0) {
    log.tarpit = tarpit_;
    log.tarpit_micros = tarpit_micros_;
  }
  metrics::session_ended(log);
  spdlog::info("session {} {}:{} helo={} messages={} rcpts={} violations={} end={}", session_id_,
               peer_.client_ip, peer_.client_port, escape_for_log(s.helo, 64), s.messages,
               s.recipients.size(), s.violations.size(), log.end_reason);
  // Session logs need no reply: nothing waits for their sync, which they share with the next
  // message's (or take within lazy_sync), and stop() flushes them.
  srv_.journal_.append_lazily({capture::record_type::session, capture::to_json(log), {}});
}

}  // namespace spampot::net
