// Message digests in lower-case hex, as analysts paste them into malware and reputation
// databases (and as JA3/JA4 are defined), and as bytes (STIX's name-based ids). OpenSSL does the
// hashing; its headers stay in digest.cpp.
#pragma once

#include <string>
#include <string_view>

namespace spampot {

enum class digest_kind { md5, sha1, sha256 };

// The digest's bytes (16, 20 or 32 of them).
std::string digest(std::string_view data, digest_kind kind);
std::string hex_digest(std::string_view data, digest_kind kind);

inline std::string sha256_hex(std::string_view data) { return hex_digest(data, digest_kind::sha256); }

}  // namespace spampot
