// IP addresses and CIDR ranges. IPv4 is kept as an IPv4-mapped IPv6 address, so one 16-byte key
// sorts and range-matches both families (the store indexes this form).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace spampot {

class ip_address {
 public:
  using bytes_type = std::array<std::uint8_t, 16>;

  ip_address() = default;
  explicit ip_address(const bytes_type& b) : bytes_(b) {}

  // "192.0.2.1", "2001:db8::1", "::ffff:192.0.2.1", "[2001:db8::1]".
  static std::optional<ip_address> parse(std::string_view text);

  bool is_v4() const;
  const bytes_type& bytes() const { return bytes_; }
  // Canonical text: dotted quad for IPv4 (also when it arrived v4-mapped), RFC 5952 for IPv6.
  std::string to_string() const;

  friend bool operator==(const ip_address&, const ip_address&) = default;
  friend auto operator<=>(const ip_address&, const ip_address&) = default;

 private:
  bytes_type bytes_{};
};

// A network: "192.0.2.0/24", "2001:db8::/32", or a single address (a /32 or /128).
class cidr {
 public:
  static std::optional<cidr> parse(std::string_view text);

  bool contains(const ip_address& a) const;
  ip_address first() const;
  ip_address last() const;

 private:
  ip_address base_;
  int prefix_ = 128;  // counted on the 128-bit form
};

}  // namespace spampot
