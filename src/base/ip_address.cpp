#include "base/ip_address.hpp"

#include <arpa/inet.h>

#include <cstring>

namespace spampot {
namespace {
constexpr std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
}

std::optional<ip_address> ip_address::parse(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']')
    text = text.substr(1, text.size() - 2);
  if (text.empty() || text.size() > 45) return std::nullopt;
  const std::string s(text);
  bytes_type b{};
  in_addr v4{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    std::memcpy(b.data(), kMapped, 12);
    std::memcpy(b.data() + 12, &v4, 4);
    return ip_address(b);
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::memcpy(b.data(), &v6, 16);
    return ip_address(b);
  }
  return std::nullopt;
}

bool ip_address::is_v4() const {
  return std::memcmp(bytes_.data(), kMapped, 12) == 0;
}

std::string ip_address::to_string() const {
  char buf[INET6_ADDRSTRLEN];
  if (is_v4()) {
    inet_ntop(AF_INET, bytes_.data() + 12, buf, sizeof buf);
  } else {
    inet_ntop(AF_INET6, bytes_.data(), buf, sizeof buf);
  }
  return buf;
}

std::optional<cidr> cidr::parse(std::string_view text) {
  const auto slash = text.find('/');
  const auto addr = ip_address::parse(text.substr(0, slash));
  if (!addr) return std::nullopt;
  int bits = addr->is_v4() ? 32 : 128;
  if (slash != std::string_view::npos) {
    const std::string_view p = text.substr(slash + 1);
    if (p.empty() || p.size() > 3) return std::nullopt;
    int v = 0;
    for (char c : p) {
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + (c - '0');
    }
    if (v > bits) return std::nullopt;
    bits = v;
  }
  cidr c;
  c.base_ = *addr;
  c.prefix_ = addr->is_v4() ? bits + 96 : bits;
  return c;
}

bool cidr::contains(const ip_address& a) const {
  return first() <= a && a <= last();
}

ip_address cidr::first() const {
  auto b = base_.bytes();
  for (int i = 0; i < 16; ++i) {
    const int keep = prefix_ - i * 8;
    if (keep >= 8) continue;
    b[i] = keep <= 0 ? 0 : static_cast<std::uint8_t>(b[i] & (0xff << (8 - keep)));
  }
  return ip_address(b);
}

ip_address cidr::last() const {
  auto b = base_.bytes();
  for (int i = 0; i < 16; ++i) {
    const int keep = prefix_ - i * 8;
    if (keep >= 8) continue;
    b[i] = keep <= 0 ? 0xff : static_cast<std::uint8_t>(b[i] | (0xff >> keep));
  }
  return ip_address(b);
}

}  // namespace spampot
