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

// The field name of a header line (printable ASCII but colon, RFC 5322 §2.2), allowing the obsolete
// white space before the colon (RFC 5322 §4.5.2); empty if the line is not a field.
std::string_view field_name(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && line[i] > 32 && line[i] < 127 && line[i] != ':') ++i;
  const std::size_t end = i;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  if (end == 0 || i >= line.size() || line[i] != ':') return {};
  return line.substr(0, end);
}

}  // namespace

basic_headers extract_basic_headers(std::string_view raw) {
  basic_headers out;
  std::string* current = nullptr;  // field being continued by folded lines
  unsigned seen = 0;               // bit per field: the first occurrence wins
  bool first_line = true;
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
    // An mbox "From " separator some spamware leaves at the top is not a field; skip it.
    if (first_line && line.starts_with("From ")) {
      first_line = false;
      continue;
    }
    first_line = false;
    const std::string_view name = field_name(line);
    // A line that is no field ends the header block, as Postfix's cleanup and Python's parser do.
    if (name.empty()) break;
    const auto colon = line.find(':');
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
