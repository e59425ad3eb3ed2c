#include "capture/frame.hpp"

#include <zlib.h>

#include <algorithm>
#include <cstring>

#include "base/limits.hpp"
#include "capture/compress.hpp"

namespace spampot::capture {
namespace {

constexpr char kMagic[4] = {'S', 'P', 'J', '1'};

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

std::uint32_t get_u32(std::string_view s) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i)
    v = (v << 8) | static_cast<unsigned char>(s[static_cast<std::size_t>(i)]);
  return v;
}

std::uint32_t crc(std::string_view s) {
  return static_cast<std::uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size())));
}

}  // namespace

std::string encode_frame(const record& r, int zstd_level) {
  std::string plain;
  plain.reserve(5 + r.meta.size() + r.body.size());
  plain += static_cast<char>(r.type);
  put_u32(plain, static_cast<std::uint32_t>(r.meta.size()));
  plain += r.meta;
  plain += r.body;

  std::string out = compress(plain, zstd_level, kFrameHeaderBytes);
  std::string header(kMagic, 4);
  put_u32(header, static_cast<std::uint32_t>(out.size() - kFrameHeaderBytes));
  put_u32(header, crc(std::string_view(out).substr(kFrameHeaderBytes)));
  std::memcpy(out.data(), header.data(), kFrameHeaderBytes);
  return out;
}

std::size_t frame_length(std::string_view header) {
  if (header.size() < kFrameHeaderBytes || std::memcmp(header.data(), kMagic, 4) != 0) return 0;
  const std::uint32_t len = get_u32(header.substr(4));
  if (len == 0 || len > kMaxRecordBytes) return 0;
  return kFrameHeaderBytes + len;
}

decoded decode_frame(std::string_view bytes) {
  decoded d;
  if (bytes.size() < kFrameHeaderBytes) {
    // A prefix of the magic is a torn header; anything else is not ours.
    const std::size_t n = std::min(bytes.size(), sizeof kMagic);
    d.status = std::memcmp(bytes.data(), kMagic, n) == 0 ? decode_status::need_more
                                                         : decode_status::corrupt;
    return d;
  }
  const std::size_t total = frame_length(bytes);
  if (total == 0) return d;
  if (bytes.size() < total) {
    d.status = decode_status::need_more;
    return d;
  }
  const std::string_view payload = bytes.substr(kFrameHeaderBytes, total - kFrameHeaderBytes);
  if (crc(payload) != get_u32(bytes.substr(8))) return d;

  auto got = decompress(payload, kMaxRecordBytes);
  if (!got || got->size() < 5) return d;
  const std::string& plain = *got;
  const auto type = static_cast<unsigned char>(plain[0]);
  const std::uint32_t meta_len = get_u32(std::string_view(plain).substr(1));
  if (type < 1 || type > 3 || meta_len > plain.size() - 5) return d;
  d.rec.type = static_cast<record_type>(type);
  d.rec.meta = plain.substr(5, meta_len);
  d.rec.body = plain.substr(5 + meta_len);
  d.frame_bytes = total;
  d.status = decode_status::ok;
  return d;
}

}  // namespace spampot::capture
