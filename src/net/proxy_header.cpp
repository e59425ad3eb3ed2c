#include "net/proxy_header.hpp"

#include <algorithm>
#include <charconv>

#include "base/ip_address.hpp"

namespace spampot::net {
namespace {

constexpr std::string_view kV2Signature("\r\n\r\n\0\r\nQUIT\n", 12);
constexpr std::size_t kV1MaxBytes = 107;

proxy_header invalid(std::string why) {
  proxy_header h;
  h.verdict = proxy_verdict::invalid;
  h.error = std::move(why);
  return h;
}

bool port_of(std::string_view s, std::uint16_t& out) {
  if (s.empty() || s.size() > 5 || (s.size() > 1 && s[0] == '0')) return false;
  unsigned v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v > 65535) return false;
  out = static_cast<std::uint16_t>(v);
  return true;
}

// "PROXY TCP4 192.0.2.1 198.51.100.1 56324 25\r\n" or "PROXY UNKNOWN ...\r\n".
proxy_header parse_v1(std::string_view in) {
  const auto end = in.find("\r\n");
  if (end == std::string_view::npos) {
    if (in.size() >= kV1MaxBytes) return invalid("PROXY v1 line longer than 107 bytes");
    return {};
  }
  if (end + 2 > kV1MaxBytes) return invalid("PROXY v1 line longer than 107 bytes");
  std::string_view line = in.substr(0, end);
  std::string_view f[6];
  std::size_t n = 0;
  while (!line.empty() && n < 6) {
    const auto sp = line.find(' ');
    f[n++] = line.substr(0, sp);
    line = sp == std::string_view::npos ? std::string_view() : line.substr(sp + 1);
  }
  proxy_header h;
  h.version = 1;
  h.length = end + 2;
  if (n >= 2 && f[1] == "UNKNOWN") {
    h.verdict = proxy_verdict::done;
    return h;
  }
  if (n != 6 || !line.empty())
    return invalid("PROXY v1 line needs protocol, two addresses and two ports");
  if (f[1] != "TCP4" && f[1] != "TCP6")
    return invalid("PROXY v1 protocol must be TCP4, TCP6 or UNKNOWN");
  const auto src = ip_address::parse(f[2]);
  const auto dst = ip_address::parse(f[3]);
  const bool v4 = f[1] == "TCP4";
  const auto colon = [](std::string_view a) { return a.find(':') != std::string_view::npos; };
  if (!src || !dst || colon(f[2]) == v4 || colon(f[3]) == v4)
    return invalid("PROXY v1 addresses do not match the protocol");
  if (!port_of(f[4], h.source_port) || !port_of(f[5], h.dest_port))
    return invalid("PROXY v1 port out of range");
  h.source_ip = src->to_string();
  h.dest_ip = dst->to_string();
  h.verdict = proxy_verdict::done;
  return h;
}

proxy_header parse_v2(std::string_view in) {
  if (in.size() < 16) return {};
  const auto b = [&](std::size_t i) { return static_cast<unsigned char>(in[i]); };
  if ((b(12) >> 4) != 2) return invalid("PROXY v2 version nibble is not 2");
  const unsigned command = b(12) & 0x0f;
  if (command > 1) return invalid("PROXY v2 command is neither LOCAL nor PROXY");
  const std::size_t len = static_cast<std::size_t>(b(14)) << 8 | b(15);
  if (16 + len > kProxyV2MaxBytes) return invalid("PROXY v2 header longer than we accept");
  if (in.size() < 16 + len) return {};
  proxy_header h;
  h.version = 2;
  h.length = 16 + len;
  h.verdict = proxy_verdict::done;
  if (command == 0) return h;  // LOCAL: the balancer's own health check
  const unsigned family = b(13) >> 4;
  const unsigned transport = b(13) & 0x0f;
  if (family == 0 || transport == 0) return h;  // UNSPEC: keep the connection's endpoints
  if (transport > 2) return invalid("PROXY v2 transport is neither STREAM nor DGRAM");
  std::size_t addr_len = 0;
  if (family == 1) {
    addr_len = 12;
  } else if (family == 2) {
    addr_len = 36;
  } else if (family == 3) {
    return h;  // AF_UNIX: no IP to record
  } else {
    return invalid("PROXY v2 address family unknown");
  }
  if (len < addr_len) return invalid("PROXY v2 address block shorter than its family needs");
  const std::size_t a = addr_len == 12 ? 4 : 16;
  ip_address::bytes_type src{}, dst{};
  if (a == 4) {
    src[10] = src[11] = dst[10] = dst[11] = 0xff;
    for (std::size_t i = 0; i < 4; ++i) {
      src[12 + i] = b(16 + i);
      dst[12 + i] = b(20 + i);
    }
  } else {
    for (std::size_t i = 0; i < 16; ++i) {
      src[i] = b(16 + i);
      dst[i] = b(32 + i);
    }
  }
  h.source_ip = ip_address(src).to_string();
  h.dest_ip = ip_address(dst).to_string();
  h.source_port = static_cast<std::uint16_t>(b(16 + 2 * a) << 8 | b(17 + 2 * a));
  h.dest_port = static_cast<std::uint16_t>(b(18 + 2 * a) << 8 | b(19 + 2 * a));
  return h;
}

}  // namespace

bool looks_like_proxy_header(std::string_view first) {
  const std::size_t n = std::min<std::size_t>(first.size(), 12);
  return (first.size() >= 6 && first.substr(0, 6) == "PROXY ") ||
         (n >= 6 && first.substr(0, n) == kV2Signature.substr(0, n));
}

proxy_header parse_proxy_header(std::string_view in) {
  const std::size_t n = std::min<std::size_t>(in.size(), 12);
  if (in.substr(0, n) == kV2Signature.substr(0, n)) return n < 12 ? proxy_header{} : parse_v2(in);
  const std::size_t m = std::min<std::size_t>(in.size(), 6);
  if (in.substr(0, m) == std::string_view("PROXY ").substr(0, m))
    return m < 6 ? proxy_header{} : parse_v1(in);
  return invalid("no PROXY header where the listener requires one");
}

}  // namespace spampot::net
