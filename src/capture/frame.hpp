// One journal record on disk:
//
//   "SPJ1" | u32 payload length | u32 CRC-32 of payload | payload
//   payload = zstd( u8 type | u32 meta length | meta (JSON) | body (raw message bytes) )
//
// All integers little-endian. The CRC covers the compressed payload, so a torn or bit-flipped
// record is found without decompressing; the length is bounded (kMaxRecordBytes) so that garbage
// cannot make the reader allocate gigabytes. Pure functions: no files here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace spampot::capture {

// http: a request to the seed page, with the seed address it was given (issue 10).
enum class record_type : std::uint8_t { message = 1, session = 2, http = 3 };

constexpr std::string_view to_string(record_type t) {
  switch (t) {
    case record_type::message:
      return "message";
    case record_type::session:
      return "session";
    case record_type::http:
      return "http";
  }
  return "unknown";
}

struct record {
  record_type type = record_type::message;
  std::string meta;  // JSON: envelope, session log or HTTP request log
  std::string body;  // raw message bytes; empty for sessions
};

inline constexpr std::size_t kFrameHeaderBytes = 12;

std::string encode_frame(const record& r, int zstd_level);

enum class decode_status { ok, need_more, corrupt };

struct decoded {
  decode_status status = decode_status::corrupt;
  record rec;
  std::size_t frame_bytes = 0;  // bytes the frame takes, when ok
};

// Decodes the frame at the start of `bytes`.
decoded decode_frame(std::string_view bytes);

// Reads only the header: total frame length, or 0 if the header is not a valid one.
std::size_t frame_length(std::string_view header);

}  // namespace spampot::capture
