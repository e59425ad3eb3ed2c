#include "store/columns.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <unordered_map>
#include <utility>

#include "base/utf8.hpp"
#include "store/migrations.hpp"

namespace spampot::store {
namespace {

constexpr std::size_t kText = 65535;           // TEXT
constexpr std::size_t kMediumText = 16777215;  // MEDIUMTEXT
// A whole row travels in one packet, and MariaDB's default max_allowed_packet is 16 MiB: no
// single value may come near it, whatever its column could hold.
constexpr std::size_t kValueBytes = 4 * 1024 * 1024;

std::string_view word(std::string_view& s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == ',' || s.front() == '(' || s.front() == '\n')) s.remove_prefix(1);
  std::size_t n = 0;
  while (n < s.size() && s[n] != ' ' && s[n] != ',' && s[n] != '\n' && s[n] != ';') ++n;
  std::string_view w = s.substr(0, n);
  s.remove_prefix(n);
  if (w.size() > 1 && w.front() == '`') w = w.substr(1, w.size() - 2);
  return w;
}

// The width of a column type as MariaDB declares it, 0 for types that are not text.
std::size_t width_of(std::string_view type) {
  if (type == "TEXT") return kText;
  if (type == "MEDIUMTEXT") return kMediumText;
  for (std::string_view p : {"VARCHAR(", "CHAR("})
    if (type.starts_with(p)) return static_cast<std::size_t>(std::strtoul(type.data() + p.size(), nullptr, 10));
  return 0;
}

// Reads the widths from the MariaDB schema itself (every migration in order), so that the
// schema is the one place they are written: CREATE TABLE bodies and ALTER TABLE ... ADD COLUMN.
std::vector<column_spec> read_schema() {
  std::vector<column_spec> out;
  auto add = [&](std::string_view table, std::string_view column, std::string_view type) {
    if (const std::size_t w = width_of(type)) out.push_back({table, column, w});
  };
  for (const auto& m : migrations(sql::dialect{sql::dialect::kind::mariadb})) {
    std::string_view rest = m.sql;
    for (std::size_t at; (at = rest.find("TABLE ")) != std::string_view::npos;) {
      const bool create = rest.substr(0, at).ends_with("CREATE "), alter = rest.substr(0, at).ends_with("ALTER ");
      rest.remove_prefix(at + 6);
      std::string_view body = rest.substr(0, rest.find(";\n"));
      const std::string_view table = word(body);
      if (create) {
        // One column a line, up to the first key or the closing parenthesis.
        for (std::size_t eol; (eol = body.find('\n')) != std::string_view::npos;) {
          body.remove_prefix(eol + 1);
          std::string_view line = body.substr(0, body.find('\n'));
          const std::string_view column = word(line);
          add(table, column, word(line));
        }
      } else if (alter) {
        for (std::size_t a; (a = body.find("ADD COLUMN ")) != std::string_view::npos;) {
          body.remove_prefix(a + 11);
          const std::string_view column = word(body);
          add(table, column, word(body));
        }
      }
    }
  }
  return out;
}

}  // namespace

const std::vector<column_spec>& text_columns() {
  static const std::vector<column_spec> all = read_schema();
  return all;
}

std::size_t column_width(std::string_view table, std::string_view column) {
  // Asked for every value of every row written: a hash lookup (a tree of 140 names cost the
  // indexer 3% in string compares).
  struct name_hash {
    std::size_t operator()(const std::pair<std::string_view, std::string_view>& k) const {
      const std::hash<std::string_view> h;
      return h(k.first) * 31 + h(k.second);
    }
  };
  static const std::unordered_map<std::pair<std::string_view, std::string_view>, std::size_t, name_hash> widths = [] {
    std::unordered_map<std::pair<std::string_view, std::string_view>, std::size_t, name_hash> m;
    for (const auto& c : text_columns()) m[{c.table, c.column}] = std::min(c.width, kValueBytes);
    return m;
  }();
  if (const auto it = widths.find({table, column}); it != widths.end()) return it->second;
  std::fprintf(stderr, "spampot: store column %.*s.%.*s is not a text column of the MariaDB schema\n",
               static_cast<int>(table.size()), table.data(), static_cast<int>(column.size()), column.data());
  std::abort();
}

fit_result fit_text(std::string& value, std::size_t width) {
  fit_result done;
  if (!is_utf8(value) || value.find('\0') != std::string::npos) {
    value = to_valid_utf8(value);
    done.invalid_utf8 = true;
  }
  if (value.size() > width) {
    value.resize(utf8_prefix(value, width).size());
    done.cut = true;
  }
  return done;
}

void fit_column(std::string_view table, std::string_view column, std::string& value,
                std::vector<std::string>& problems) {
  const fit_result done = fit_text(value, column_width(table, column));
  auto note = [&](std::string_view what) {
    std::string p = std::string(what) + ":" + std::string(column);
    if (std::find(problems.begin(), problems.end(), p) == problems.end()) problems.push_back(std::move(p));
  };
  if (done.invalid_utf8) note("invalid_utf8");
  if (done.cut) note("cut");
}

}  // namespace spampot::store
