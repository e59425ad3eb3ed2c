// What both listeners (SMTP and the seed page) do with their sockets alike: open a listening
// socket, print an endpoint as "127.0.0.1:25" or "[::1]:25", and read a connection's two ends.
#pragma once

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <functional>
#include <memory>
#include <string>

#include "base/result.hpp"
#include "capture/records.hpp"

namespace spampot::net {

// Bound and listening. An IPv6 socket takes IPv6 only, so "0.0.0.0:25" and "[::]:25" can both be
// bound. Errors name the address: "cannot listen on 127.0.0.1:25: Address already in use".
Result<std::unique_ptr<asio::ip::tcp::acceptor>> open_listener(asio::io_context& io,
                                                               const std::string& host,
                                                               std::uint16_t port);

// Accepts on `a` and hands each socket to `take`, until `a` is closed or `stopped()` says so.
// A failed accept (EMFILE and friends) pauses 200 ms instead of spinning, then accepts again
// (OpenSMTPD does the same); `what` names the listener in that warning.
void accept_each(asio::io_context& io, asio::ip::tcp::acceptor& a, std::string what,
                 std::function<bool()> stopped, std::function<void(asio::ip::tcp::socket)> take);

std::string endpoint_text(const asio::ip::tcp::endpoint& ep);

// The kernel stamps each received segment with its arrival time (SO_TIMESTAMPNS), so that a read
// can tell when its bytes came, however late the io thread got to them.
void stamp_arrivals(asio::ip::tcp::socket& s);
// read_some that also gives the arrival time of the newest bytes read (system clock, µs; 0 when
// the kernel gave none). Non-blocking like read_some on a non-blocking socket.
std::size_t read_stamped(asio::ip::tcp::socket& s, char* buf, std::size_t size, Micros& arrived, std::error_code& ec);

// The client and server addresses of a connection; an IPv4 client on a dual-stack socket
// (::ffff:a.b.c.d) is recorded as a.b.c.d.
capture::peer peer_of(const asio::ip::tcp::socket& s);

}  // namespace spampot::net
