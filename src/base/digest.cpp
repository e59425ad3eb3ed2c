#include "base/digest.hpp"

#include <openssl/evp.h>

#include "base/ascii.hpp"

namespace spampot {
namespace {

// OpenSSL 3 looks an algorithm up in its provider store on every EVP_Digest given a legacy
// EVP_sha256(): fetched once here, and one context per thread reused, the three digests of an
// attachment cost a third of what they did.
const EVP_MD* fetched(digest_kind kind) {
  static EVP_MD* const md5 = EVP_MD_fetch(nullptr, "MD5", nullptr);
  static EVP_MD* const sha1 = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  switch (kind) {
    case digest_kind::md5:
      return md5 ? md5 : EVP_md5();
    case digest_kind::sha1:
      return sha1 ? sha1 : EVP_sha1();
    case digest_kind::sha256:
      break;
  }
  return sha256 ? sha256 : EVP_sha256();
}

struct context {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  context() = default;
  context(const context&) = delete;
  context& operator=(const context&) = delete;
  ~context() { EVP_MD_CTX_free(ctx); }
};

}  // namespace

std::string digest(std::string_view data, digest_kind kind) {
  thread_local context c;
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!c.ctx || EVP_DigestInit_ex2(c.ctx, fetched(kind), nullptr) != 1 ||
      EVP_DigestUpdate(c.ctx, data.data(), data.size()) != 1 || EVP_DigestFinal_ex(c.ctx, out, &len) != 1)
    EVP_Digest(data.data(), data.size(), out, &len, fetched(kind), nullptr);
  return std::string(reinterpret_cast<const char*>(out), len);
}

std::string hex_digest(std::string_view data, digest_kind kind) {
  const std::string d = digest(data, kind);
  return hex_lower(reinterpret_cast<const unsigned char*>(d.data()), d.size());
}

}  // namespace spampot
