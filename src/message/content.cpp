#include "message/content.hpp"

#include <magic.h>

#include <algorithm>

#include "base/digest.hpp"

namespace spampot::message {
namespace {

// A magic_t is not safe to share between threads: each pipeline thread loads its own database
// once. MAGIC_NO_CHECK_COMPRESS: a spammer's archive is named by its own type, never unpacked.
class sniffer {
 public:
  sniffer()
      : m_(magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_NO_CHECK_ENCODING |
                      MAGIC_NO_CHECK_TOKENS | MAGIC_NO_CHECK_CSV | MAGIC_NO_CHECK_JSON | MAGIC_ERROR)) {
    if (m_ && magic_load(m_, nullptr) != 0) {
      magic_close(m_);
      m_ = nullptr;
    }
  }
  ~sniffer() {
    if (m_) magic_close(m_);
  }
  sniffer(const sniffer&) = delete;
  sniffer& operator=(const sniffer&) = delete;

  std::string type_of(std::string_view bytes) {
    if (!m_) return "";
    // The leading bytes decide every type magic knows; reading all of a large part only costs.
    const std::size_t n = std::min<std::size_t>(bytes.size(), 64 * 1024);
    const char* t = magic_buffer(m_, bytes.data(), n);
    return t ? t : "";
  }

 private:
  magic_t m_;
};

// True when the leading bytes are text: no NUL and no control character but tab, line ends, form
// feed and escape. An executable, an archive, an image or a PDF's streams fail it within the
// first kilobytes; a spammer's text/plain that is not text is sniffed like any other part.
bool looks_like_text(std::string_view bytes) {
  const std::size_t n = std::min<std::size_t>(bytes.size(), 8 * 1024);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b) return false;
    if (c == 0x7f) return false;
  }
  return true;
}

}  // namespace

void describe_content(std::string_view bytes, attachment& a) {
  thread_local sniffer magic;
  a.size = bytes.size();
  a.md5 = hex_digest(bytes, digest_kind::md5);
  a.sha1 = hex_digest(bytes, digest_kind::sha1);
  a.sha256 = hex_digest(bytes, digest_kind::sha256);
  // A part declared text whose bytes are text is taken at its word: libmagic's rules for text
  // (regular expressions over the content) were 40% of parsing a median spam message.
  if (a.declared_type.starts_with("text/") && looks_like_text(bytes)) {
    a.sniffed_type = a.declared_type;
    return;
  }
  a.sniffed_type = magic.type_of(bytes);
}

}  // namespace spampot::message
