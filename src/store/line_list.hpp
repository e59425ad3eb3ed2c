// A list of short texts (recipients, MAIL FROM addresses) kept in one text column, one per line:
// every backend stores and reads them this way. Addresses carry no line breaks (the SMTP parser
// ends a line there), so none is lost; an empty item is not kept.
#pragma once

#include <string>
#include <vector>

namespace spampot::store {

inline std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < s.size()) {
    auto end = s.find('\n', start);
    if (end == std::string::npos) end = s.size();
    out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

inline std::string join_lines(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : "\n") + s;
  return out;
}

}  // namespace spampot::store
