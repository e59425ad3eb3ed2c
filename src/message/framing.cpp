#include "message/framing.hpp"

namespace spampot::message {
namespace {

std::string_view line_at(std::string_view s, std::size_t pos) {
  const auto eol = s.find('\n', pos);
  return s.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol + 1 - pos);
}

bool is_blank(std::string_view line) { return line == "\n" || line == "\r\n" || line.empty(); }

}  // namespace

std::string_view field_name(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && line[i] > 32 && line[i] < 127 && line[i] != ':') ++i;
  const std::size_t end = i;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  if (end == 0 || i >= line.size() || line[i] != ':') return {};
  return line.substr(0, end);
}

std::string_view frame(std::string_view raw, std::string& storage, std::vector<std::string>& problems) {
  if (raw.starts_with("\xEF\xBB\xBF")) {
    raw.remove_prefix(3);
    problems.emplace_back("byte_order_mark");
  }
  if (raw.starts_with("From ")) raw.remove_prefix(line_at(raw, 0).size());
  bool dropped = false;
  while (!raw.empty() && (raw.front() == ' ' || raw.front() == '\t')) {
    raw.remove_prefix(line_at(raw, 0).size());
    dropped = true;
  }
  if (dropped) problems.emplace_back("continuation_before_first_field");
  std::size_t pos = 0;
  while (pos < raw.size()) {
    const std::string_view line = line_at(raw, pos);
    if (is_blank(line)) return raw;
    if (line.front() != ' ' && line.front() != '\t' && field_name(line).empty()) {
      problems.emplace_back("header_ended_by_non_field_line");
      const bool crlf = pos >= 2 && raw.substr(pos - 2, 2) == "\r\n";
      storage.reserve(raw.size() + 2);
      storage.assign(raw.substr(0, pos));
      storage += crlf ? "\r\n" : "\n";
      storage.append(raw.substr(pos));
      return storage;
    }
    pos += line.size();
  }
  return raw;
}

}  // namespace spampot::message
