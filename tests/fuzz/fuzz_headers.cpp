// Fuzzes the header extraction the index does for every message: it reads only the header block,
// keeps each field within kIndexedHeaderBytes, and never reads past the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "base/limits.hpp"
#include "message/headers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  const auto h = spampot::message::extract_basic_headers(raw);
  for (const auto* v : {&h.message_id, &h.date, &h.subject, &h.from})
    if (v->size() > spampot::kIndexedHeaderBytes || v->size() > size) std::abort();
  return 0;
}
