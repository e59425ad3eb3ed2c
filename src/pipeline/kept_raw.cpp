#include "pipeline/kept_raw.hpp"

#include "base/limits.hpp"
#include "capture/compress.hpp"

namespace spampot::pipeline {

store::raw_row pack_raw(std::string id, std::string_view delivered) {
  store::raw_row r{std::move(id), "zstd", delivered.size(), capture::compress(delivered, 3)};
  if (r.data.size() > kStoredRawBytes) {
    r.codec = "omitted";
    r.data.clear();
  }
  return r;
}

Result<std::string> unpack_raw(const store::raw_row& r) {
  if (r.codec == "omitted")
    return Error{"the raw text of " + r.id + " (" + std::to_string(r.raw_bytes) +
                 " bytes) was too big to keep in the store; its sensor's spool has it"};
  if (r.codec != "zstd") return Error{"the raw text of " + r.id + " is kept as " + r.codec + ", which this spampot cannot read"};
  auto plain = capture::decompress(r.data, kMaxRecordBytes);
  if (!plain) return Error{"the raw text of " + r.id + " kept in the store is damaged: " + plain.error()};
  return plain;
}

}  // namespace spampot::pipeline
