#include "net/tls_fingerprint.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "base/digest.hpp"

namespace spampot::net {
namespace {

std::string hex4(std::uint16_t v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04x", v);
  return buf;
}

template <class T>
std::string join_decimal(const std::vector<T>& v, bool skip_grease) {
  std::string out;
  for (const T x : v) {
    if (skip_grease && is_grease(x)) continue;
    if (!out.empty()) out += '-';
    out += std::to_string(x);
  }
  return out;
}

std::string join_hex(const std::vector<std::uint16_t>& v) {
  std::string out;
  for (const auto x : v) out += (out.empty() ? "" : ",") + hex4(x);
  return out;
}

std::uint16_t u16(std::string_view s, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(s[at]) << 8 |
                                    static_cast<unsigned char>(s[at + 1]));
}

// JA4's version code: the highest of supported_versions (without GREASE), else the legacy one.
std::string version_code(const client_hello& ch) {
  std::uint16_t v = ch.legacy_version;
  for (const auto s : ch.supported_versions)
    if (!is_grease(s)) v = std::max(v, s);
  switch (v) {
    case 0x0304:
      return "13";
    case 0x0303:
      return "12";
    case 0x0302:
      return "11";
    case 0x0301:
      return "10";
    case 0x0300:
      return "s3";
    case 0x0002:
      return "s2";
    default:
      return "00";
  }
}

std::string two_digits(std::size_t n) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02zu", std::min<std::size_t>(n, 99));
  return buf;
}

// The first and last characters of the first ALPN value; "00" without ALPN, and the first and
// last hex digits of the value when either character is not alphanumeric.
std::string alpn_code(const client_hello& ch) {
  if (ch.alpn.empty() || ch.alpn.front().empty()) return "00";
  const std::string& a = ch.alpn.front();
  const auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  if (alnum(a.front()) && alnum(a.back())) return std::string{a.front(), a.back()};
  static constexpr char kHex[] = "0123456789abcdef";
  return std::string{kHex[static_cast<unsigned char>(a.front()) >> 4],
                     kHex[static_cast<unsigned char>(a.back()) & 15]};
}

}  // namespace

bool is_grease(std::uint16_t v) {
  return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

std::string ja3_string(const client_hello& ch) {
  std::vector<std::uint16_t> groups;
  for (const auto g : ch.groups)
    if (!is_grease(g)) groups.push_back(g);
  return std::to_string(ch.legacy_version) + "," + join_decimal(ch.ciphers, true) + "," +
         join_decimal(ch.extensions, true) + "," + join_decimal(groups, false) + "," +
         join_decimal(ch.point_formats, false);
}

std::string ja3(const client_hello& ch) {
  return hex_digest(ja3_string(ch), digest_kind::md5);
}

std::string ja4(const client_hello& ch) {
  std::vector<std::uint16_t> ciphers, exts;
  for (const auto c : ch.ciphers)
    if (!is_grease(c)) ciphers.push_back(c);
  std::size_t ext_count = 0;
  for (const auto e : ch.extensions) {
    if (is_grease(e)) continue;
    ++ext_count;
    if (e != 0x0000 && e != 0x0010) exts.push_back(e);  // SNI and ALPN show in part a
  }
  std::sort(ciphers.begin(), ciphers.end());
  std::sort(exts.begin(), exts.end());
  const std::string a = std::string("t") + version_code(ch) + (ch.sni ? "d" : "i") +
                        two_digits(ciphers.size()) + two_digits(ext_count) + alpn_code(ch);
  const std::string b =
      ciphers.empty() ? "000000000000" : hex_digest(join_hex(ciphers), digest_kind::sha256).substr(0, 12);
  std::string c_in = join_hex(exts);
  std::vector<std::uint16_t> sigs;
  for (const auto s : ch.signature_algorithms)
    if (!is_grease(s)) sigs.push_back(s);
  if (!sigs.empty()) c_in += "_" + join_hex(sigs);
  const std::string c =
      exts.empty() && sigs.empty() ? "000000000000" : hex_digest(c_in, digest_kind::sha256).substr(0, 12);
  return a + "_" + b + "_" + c;
}

std::optional<std::vector<std::uint16_t>> parse_u16_list(std::string_view ext) {
  if (ext.size() < 2) return std::nullopt;
  const std::size_t len = u16(ext, 0);
  if (len % 2 != 0 || len + 2 != ext.size()) return std::nullopt;
  std::vector<std::uint16_t> out;
  for (std::size_t i = 2; i + 1 < ext.size(); i += 2) out.push_back(u16(ext, i));
  return out;
}

std::optional<std::vector<std::uint16_t>> parse_versions(std::string_view ext) {
  if (ext.empty()) return std::nullopt;
  const std::size_t len = static_cast<unsigned char>(ext[0]);
  if (len % 2 != 0 || len + 1 != ext.size()) return std::nullopt;
  std::vector<std::uint16_t> out;
  for (std::size_t i = 1; i + 1 < ext.size(); i += 2) out.push_back(u16(ext, i));
  return out;
}

std::optional<std::vector<std::uint8_t>> parse_u8_list(std::string_view ext) {
  if (ext.empty()) return std::nullopt;
  const std::size_t len = static_cast<unsigned char>(ext[0]);
  if (len + 1 != ext.size()) return std::nullopt;
  std::vector<std::uint8_t> out;
  for (std::size_t i = 1; i < ext.size(); ++i) out.push_back(static_cast<std::uint8_t>(ext[i]));
  return out;
}

std::optional<std::vector<std::string>> parse_alpn(std::string_view ext) {
  if (ext.size() < 2 || u16(ext, 0) + 2u != ext.size()) return std::nullopt;
  std::vector<std::string> out;
  std::size_t i = 2;
  while (i < ext.size()) {
    const std::size_t n = static_cast<unsigned char>(ext[i]);
    if (n == 0 || i + 1 + n > ext.size()) return std::nullopt;
    out.emplace_back(ext.substr(i + 1, n));
    i += 1 + n;
  }
  return out;
}

}  // namespace spampot::net
