#include "capture/compress.hpp"

#include <zstd.h>

#include <cstdlib>

namespace spampot::capture {
namespace {

struct zstd_contexts {
  ZSTD_CCtx* c = ZSTD_createCCtx();
  ZSTD_DCtx* d = ZSTD_createDCtx();
  ~zstd_contexts() {
    ZSTD_freeCCtx(c);
    ZSTD_freeDCtx(d);
  }
};
thread_local zstd_contexts tls_zstd;

}  // namespace

std::string compress(std::string_view plain, int level, std::size_t front) {
  std::string out(front + ZSTD_compressBound(plain.size()), '\0');
  const std::size_t n =
      ZSTD_compressCCtx(tls_zstd.c, out.data() + front, out.size() - front, plain.data(), plain.size(), level);
  // Compressing into a buffer of ZSTD_compressBound bytes cannot fail but for a broken library.
  if (ZSTD_isError(n)) std::abort();
  out.resize(front + n);
  return out;
}

Result<std::string> decompress(std::string_view z, std::size_t max_size) {
  const unsigned long long size = ZSTD_getFrameContentSize(z.data(), z.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) return Error{"not a zstd frame of known size"};
  if (size > max_size) return Error{"a zstd frame of " + std::to_string(size) + " bytes, more than " + std::to_string(max_size)};
  std::string plain(size, '\0');
  const std::size_t n = ZSTD_decompressDCtx(tls_zstd.d, plain.data(), plain.size(), z.data(), z.size());
  if (ZSTD_isError(n)) return Error{std::string("zstd: ") + ZSTD_getErrorName(n)};
  if (n != size) return Error{"a zstd frame shorter than it says"};
  return plain;
}

}  // namespace spampot::capture
