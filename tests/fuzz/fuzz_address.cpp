// Fuzzes the MAIL FROM / RCPT TO argument parser and the address splitter: whatever the bytes,
// a parsed path has an address no longer than the input, upper-cased parameter keywords, and a
// lower-case domain (the first fuzz run's finds were "dom.." keeping one of its two trailing dots:
// that is the documented behaviour, one dot dropped, so the check is for case only).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "smtp/address.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spampot::smtp;
  if (size < 1) return 0;
  const std::string_view keyword = (data[0] & 1) ? "FROM" : "TO";
  const std::string_view args(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto p = parse_path(args, keyword);
  if (p) {
    if (p->address.size() > args.size()) std::abort();
    for (const auto& [k, v] : p->params)
      for (char c : k)
        if (c >= 'a' && c <= 'z') std::abort();
    const auto s = split(p->address);
    for (char c : s.domain)
      if (c >= 'A' && c <= 'Z') std::abort();
  }
  (void)split(args);
  return 0;
}
