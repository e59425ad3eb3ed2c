// TLS client fingerprints from the ClientHello: JA3 (Salesforce) and JA4 (FoxIO). Spamware
// families reuse TLS stacks, so the fingerprint groups senders that share nothing else. Pure:
// the ClientHello's fields in, the fingerprints out; OpenSSL hands us the fields (tls_context).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spampot::net {

struct client_hello {
  std::uint16_t legacy_version = 0;                 // 0x0303 for TLS 1.2 and 1.3
  std::vector<std::uint16_t> ciphers;               // as offered, GREASE included
  std::vector<std::uint16_t> extensions;            // types in the order sent, GREASE included
  std::vector<std::uint16_t> groups;                // supported_groups (10)
  std::vector<std::uint8_t> point_formats;          // ec_point_formats (11)
  std::vector<std::uint16_t> signature_algorithms;  // (13), in order
  std::vector<std::string> alpn;                    // (16), in order
  std::vector<std::uint16_t> supported_versions;    // (43)
  bool sni = false;                                 // server_name (0) present
};

// RFC 8701's reserved values (0x0a0a, 0x1a1a, ... 0xfafa), which fingerprints ignore.
bool is_grease(std::uint16_t v);

// "771,4865-4866-...,0-23-65281-...,29-23-24,0" and its MD5 in hex.
std::string ja3_string(const client_hello& ch);
std::string ja3(const client_hello& ch);
// "t13d1516h2_8daaf6152771_e5627efa2ab1" (TCP).
std::string ja4(const client_hello& ch);

// The extension bodies as OpenSSL returns them (SSL_client_hello_get0_ext); nullopt when
// malformed (a body that lies about its length).
std::optional<std::vector<std::uint16_t>> parse_u16_list(
    std::string_view ext);  // u16 length + u16s
std::optional<std::vector<std::uint16_t>> parse_versions(std::string_view ext);  // u8 length + u16s
std::optional<std::vector<std::uint8_t>> parse_u8_list(std::string_view ext);    // u8 length + u8s
std::optional<std::vector<std::string>> parse_alpn(
    std::string_view ext);  // u16 length + (u8 len, bytes)*

}  // namespace spampot::net
