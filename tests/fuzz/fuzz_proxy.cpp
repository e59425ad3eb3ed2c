// Fuzzes the PROXY header parser: any prefix of the input is either incomplete, a header whose
// length lies within the input, or invalid; and feeding more bytes never changes a verdict that
// was already reached on a prefix (the connection stops reading at the first verdict).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "net/proxy_header.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spampot::net;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const proxy_header whole = parse_proxy_header(in);
  if (whole.verdict == proxy_verdict::done && (whole.length == 0 || whole.length > in.size()))
    std::abort();
  if (whole.verdict == proxy_verdict::need_more && in.size() > kProxyV2MaxBytes) std::abort();
  for (std::size_t cut = 0; cut < in.size(); ++cut) {
    const proxy_header part = parse_proxy_header(in.substr(0, cut));
    if (part.verdict == proxy_verdict::need_more) continue;
    if (part.verdict != whole.verdict || part.length != whole.length ||
        part.source_ip != whole.source_ip)
      std::abort();
    break;
  }
  (void)looks_like_proxy_header(in);
  return 0;
}
