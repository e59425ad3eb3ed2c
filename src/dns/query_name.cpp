#include "dns/query_name.hpp"

#include "base/ascii.hpp"
#include "base/ip_address.hpp"

namespace spampot::dns {
namespace {

std::optional<std::string> reversed(std::string_view ip) {
  const auto a = ip_address::parse(ip);
  if (!a) return std::nullopt;
  const auto& b = a->bytes();
  std::string out;
  if (a->is_v4()) {
    for (int i = 15; i >= 12; --i) out += std::to_string(b[static_cast<std::size_t>(i)]) + ".";
    return out;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 15; i >= 0; --i) {
    const auto byte = b[static_cast<std::size_t>(i)];
    out += kHex[byte & 15];
    out += '.';
    out += kHex[byte >> 4];
    out += '.';
  }
  return out;
}

std::string zone_of(std::string_view zone) {
  std::string z = ascii_lower(zone);
  while (!z.empty() && z.back() == '.') z.pop_back();
  return z;
}

}  // namespace

bool is_dns_name(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  std::size_t label = 0;
  for (char c : name) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
      continue;
    }
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok || ++label > 63) return false;
  }
  return label > 0;
}

std::optional<std::string> ip_query_name(std::string_view ip, std::string_view zone) {
  auto r = reversed(ip);
  if (!r) return std::nullopt;
  return *r + zone_of(zone);
}

std::optional<std::string> domain_query_name(std::string_view domain, std::string_view zone) {
  std::string d = ascii_lower(domain);
  while (!d.empty() && d.back() == '.') d.pop_back();
  if (!is_dns_name(d) || ip_address::parse(d)) return std::nullopt;
  const std::string name = d + "." + zone_of(zone);
  if (!is_dns_name(name)) return std::nullopt;
  return name;
}

std::optional<std::string> ptr_query_name(std::string_view ip) {
  const auto a = ip_address::parse(ip);
  auto r = reversed(ip);
  if (!a || !r) return std::nullopt;
  return *r + (a->is_v4() ? "in-addr.arpa" : "ip6.arpa");
}

}  // namespace spampot::dns
