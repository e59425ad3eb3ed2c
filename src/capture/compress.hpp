// zstd, with one compression and one decompression context per thread (ZSTD_compress would make
// one per call, which costs more than compressing a small message). The journal's frames and the
// raw messages a store keeps (`[store] keep_raw`) are both written with it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace spampot::capture {

// `plain` compressed, after `front` zero bytes left for the caller's header.
std::string compress(std::string_view plain, int level, std::size_t front = 0);

// One zstd frame that records its size, which must be at most `max_size`: anything else is an
// error, so that a few bytes cannot ask for gigabytes.
Result<std::string> decompress(std::string_view z, std::size_t max_size);

}  // namespace spampot::capture
