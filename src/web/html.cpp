#include "web/html.hpp"

#include "intel/terminal_text.hpp"

namespace spampot::web {

std::string escape(std::string_view text) {
  // printable(): valid UTF-8 with controls and bidi overrides written as visible escapes.
  const std::string shown = intel::printable(text);
  std::string out;
  out.reserve(shown.size() + shown.size() / 8);
  for (char c : shown) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string escape_lines(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = text.find_first_of("\n\t", start);
    std::string_view piece = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (end != std::string_view::npos && text[end] == '\n' && !piece.empty() && piece.back() == '\r')
      piece.remove_suffix(1);
    out += escape(piece);
    if (end == std::string_view::npos) break;
    out += text[end];
    start = end + 1;
  }
  return out;
}

std::string defang(std::string_view url) {
  std::string out;
  std::size_t host_start = 0;
  if (const auto scheme = url.find("://"); scheme != std::string_view::npos) {
    std::string s(url.substr(0, scheme));
    for (auto& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    if (s == "http") s = "hxxp";
    else if (s == "https") s = "hxxps";
    else if (s == "ftp") s = "fxp";
    out = s + "[://]";
    host_start = scheme + 3;
  }
  const auto host_end = url.find_first_of("/?#", host_start);
  const std::string_view host = url.substr(host_start, host_end == std::string_view::npos ? url.size() - host_start : host_end - host_start);
  for (char c : host) {
    if (c == '.') out += "[.]";
    else out += c;
  }
  if (host_end != std::string_view::npos) out += url.substr(host_end);
  return out;
}

std::string url_encode(std::string_view text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace spampot::web
