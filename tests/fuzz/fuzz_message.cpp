// Fuzzes message forensics (GMime and our own header, URL, Received and fingerprint code) the
// way the pipeline runs it on every captured message: it must never crash, never hang, keep
// every limit, and hand on valid UTF-8 text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "base/limits.hpp"
#include "base/utf8.hpp"
#include "message/message.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  const auto p = spampot::message::parse(raw, 1'700'000'000'000'000);
  using namespace spampot;
  if (p.urls.size() > kUrlsPerMessage || p.received.size() > kReceivedHops) std::abort();
  if (p.attachments.size() > kMimeParts) std::abort();
  if (p.subject.size() > kIndexedHeaderBytes || !is_utf8(p.subject)) std::abort();
  if (!is_utf8(p.from.name)) std::abort();
  for (const auto& a : p.attachments)
    if (a.size > size || a.sha256.size() != 64 || !is_utf8(a.name)) std::abort();
  for (const auto& u : p.urls)
    if (u.host.empty() || u.text.size() > kUrlBytes + 16) std::abort();
  return 0;
}
