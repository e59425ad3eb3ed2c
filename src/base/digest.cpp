#include "base/digest.hpp"

#include <openssl/evp.h>

#include "base/ascii.hpp"

namespace spampot {

std::string hex_digest(std::string_view data, digest_kind kind) {
  const EVP_MD* md = kind == digest_kind::md5    ? EVP_md5()
                     : kind == digest_kind::sha1 ? EVP_sha1()
                                                 : EVP_sha256();
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out, &len, md, nullptr);
  return hex_lower(out, len);
}

}  // namespace spampot
