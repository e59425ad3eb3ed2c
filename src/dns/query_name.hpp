// The names DNS-based lists are asked (RFC 5782): an IPv4 address with its octets reversed, an
// IPv6 address as 32 reversed nibbles, a domain as it is, each under the list's zone; and the
// reverse names of PTR questions. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace spampot::dns {

// Whether a lower-case name fits DNS (RFC 1035 lengths) with labels of letters, digits, hyphens
// and underscores only: what may be asked at all.
bool is_dns_name(std::string_view lower_name);

// "192.0.2.99" under "zen.example" -> "99.2.0.192.zen.example"; nullopt when `ip` is not an address.
std::optional<std::string> ip_query_name(std::string_view ip, std::string_view zone);
// "Spam.Example." under "dbl.example" -> "spam.example.dbl.example"; nullopt for an empty or
// malformed name (an IP literal, a label over 63 bytes, a result over 253).
std::optional<std::string> domain_query_name(std::string_view domain, std::string_view zone);
// "192.0.2.99" -> "99.2.0.192.in-addr.arpa"; IPv6 under ip6.arpa.
std::optional<std::string> ptr_query_name(std::string_view ip);

}  // namespace spampot::dns
