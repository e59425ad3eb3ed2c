// A list of short texts kept in one string with a separator: the store keeps recipients and
// MAIL FROM addresses one per line (the SMTP parser ends an address at a line break, so none is
// lost), parse problems and date flags comma-separated; reports join lists for display. An
// empty item is not kept.
#pragma once

#include <string>
#include <vector>

namespace spampot {

inline std::vector<std::string> split_list(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < s.size()) {
    auto end = s.find(sep, start);
    if (end == std::string::npos) end = s.size();
    out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

inline std::string join_list(const std::vector<std::string>& v, char sep) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

}  // namespace spampot
