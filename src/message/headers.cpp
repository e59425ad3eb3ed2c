#include "message/headers.hpp"

#include "base/limits.hpp"

namespace spampot::message {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view strip_eol(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  return line;
}

std::string trim(std::string s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

}  // namespace

basic_headers extract_basic_headers(std::string_view raw) {
  basic_headers out;
  std::string* current = nullptr;  // field being continued by folded lines
  unsigned seen = 0;               // bit per field: the first occurrence wins
  std::size_t pos = 0;
  while (pos < raw.size()) {
    auto end = raw.find('\n', pos);
    end = end == std::string_view::npos ? raw.size() : end + 1;
    const std::string_view line = strip_eol(raw.substr(pos, end - pos));
    pos = end;
    if (line.empty()) break;  // end of the header block
    if (line.front() == ' ' || line.front() == '\t') {
      // Unfold (RFC 5322 §2.2.3): the CRLF goes, the white space stays.
      if (current && current->size() < kIndexedHeaderBytes) current->append(line);
      continue;
    }
    current = nullptr;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;  // not a field: a broken header, skip it
    std::string_view name = line.substr(0, colon);
    while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
    static constexpr std::string_view kNames[] = {"message-id", "date", "subject", "from"};
    std::string* const fields[] = {&out.message_id, &out.date, &out.subject, &out.from};
    for (unsigned i = 0; i < 4; ++i) {
      if (!iequals(name, kNames[i]) || (seen & (1u << i))) continue;
      seen |= 1u << i;
      fields[i]->assign(line.substr(colon + 1, kIndexedHeaderBytes));
      current = fields[i];
    }
  }
  for (std::string* f : {&out.message_id, &out.date, &out.subject, &out.from}) {
    if (f->size() > kIndexedHeaderBytes) f->resize(kIndexedHeaderBytes);
    *f = trim(*f);
  }
  return out;
}

}  // namespace spampot::message
