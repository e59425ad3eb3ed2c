// The PROXY protocol header (HAProxy's spec, versions 1 and 2) that a load balancer puts before
// the client's first byte, so the trap records the real client instead of the balancer. Pure:
// bytes in, a verdict out; the connection reads until the verdict is not need_more.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace spampot::net {

enum class proxy_verdict { need_more, done, invalid };

struct proxy_header {
  proxy_verdict verdict = proxy_verdict::need_more;
  std::size_t length = 0;  // bytes of the header (done): the client's own bytes follow
  // Empty when the header carries no addresses (v1 UNKNOWN, v2 LOCAL or an unspecified family):
  // the connection's own endpoints stand then.
  std::string source_ip, dest_ip;
  std::uint16_t source_port = 0, dest_port = 0;
  int version = 0;
  std::string error;  // why it is invalid
};

// A v1 line is at most 107 bytes; a v2 header at most 16 + 65535, but we accept no more than
// this (TLVs included), as no balancer sends more.
inline constexpr std::size_t kProxyV2MaxBytes = 16 + 1024;

proxy_header parse_proxy_header(std::string_view buffered);

// Whether bytes start like a PROXY header (for a listener that does not accept one).
bool looks_like_proxy_header(std::string_view first_bytes);

}  // namespace spampot::net
