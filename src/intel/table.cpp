#include "intel/table.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "intel/terminal_text.hpp"

namespace spampot::intel {
namespace {

using json = nlohmann::ordered_json;

constexpr std::size_t kMaxCell = 60;
constexpr std::size_t kBarWidth = 40;

std::string text_of(const cell_value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", std::get<double>(v));
  return buf;
}

double number_of(const cell_value& v) {
  if (const auto* i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  return 0;
}

std::string render_table(const section& s) {
  const std::size_t n = s.columns.size();
  std::vector<std::vector<std::string>> cells;
  std::vector<std::size_t> width(n);
  for (std::size_t c = 0; c < n; ++c) width[c] = s.columns[c].size();
  for (const auto& row : s.rows) {
    std::vector<std::string> r;
    for (std::size_t c = 0; c < n && c < row.size(); ++c) {
      std::string e = fit_columns(printable(text_of(row[c])), kMaxCell, false);
      width[c] = std::max(width[c], display_width(e));
      r.push_back(std::move(e));
    }
    cells.push_back(std::move(r));
  }
  double peak = 0;
  if (s.bar_column >= 0)
    for (const auto& row : s.rows)
      peak = std::max(peak, number_of(row[static_cast<std::size_t>(s.bar_column)]));
  auto line = [&](const std::vector<std::string>& r, const std::vector<cell_value>* typed) {
    std::string out;
    for (std::size_t c = 0; c < n; ++c) {
      const std::string& v = c < r.size() ? r[c] : std::string();
      const bool numeric =
          typed && c < typed->size() && !std::holds_alternative<std::string>((*typed)[c]);
      const std::string pad(width[c] - std::min(width[c], display_width(v)), ' ');
      out +=
          (c ? "  " : "") + (numeric ? pad + v : v + (c + 1 < n || s.bar_column >= 0 ? pad : ""));
    }
    if (typed && s.bar_column >= 0 && peak > 0) {
      const double x = number_of((*typed)[static_cast<std::size_t>(s.bar_column)]);
      auto len = static_cast<std::size_t>(x / peak * kBarWidth + 0.5);
      if (x > 0 && len == 0) len = 1;
      out += "  " + std::string(len, '#');
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out;
  if (!s.title.empty()) out += s.title + "\n";
  std::vector<std::string> head;
  for (const auto& c : s.columns) {
    std::string u = c;
    std::transform(u.begin(), u.end(), u.begin(),
                   [](unsigned char ch) { return ch == '_' ? ' ' : std::toupper(ch); });
    head.push_back(u);
  }
  out += line(head, nullptr);
  for (std::size_t i = 0; i < cells.size(); ++i) out += line(cells[i], &s.rows[i]);
  if (s.rows.empty()) out += "(nothing)\n";
  return out;
}

json json_rows(const section& s) {
  json arr = json::array();
  for (const auto& row : s.rows) {
    json o = json::object();
    for (std::size_t c = 0; c < s.columns.size() && c < row.size(); ++c) {
      if (const auto* str = std::get_if<std::string>(&row[c])) {
        o[s.columns[c]] = *str;
      } else if (const auto* i = std::get_if<std::int64_t>(&row[c])) {
        o[s.columns[c]] = *i;
      } else {
        o[s.columns[c]] = std::get<double>(row[c]);
      }
    }
    arr.push_back(std::move(o));
  }
  return arr;
}

}  // namespace

std::string csv_field(std::string_view raw) {
  // As in tables: UTF-8 as it is, controls and stray bytes escaped (so no field spans lines).
  const std::string s = printable(raw);
  if (s.find_first_of(",\"") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string table_cell(std::string_view s, std::size_t width) {
  return fit_columns(printable(s), width, true);
}

std::string render(const std::vector<section>& sections, list_format f) {
  std::string out;
  switch (f) {
    case list_format::json: {
      json j;
      if (sections.size() == 1) {
        j = json_rows(sections[0]);
      } else {
        j = json::object();
        for (const auto& s : sections) j[s.title] = json_rows(s);
      }
      return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
    }
    case list_format::csv:
      for (const auto& s : sections) {
        if (sections.size() > 1)
          out += (out.empty() ? "" : "\r\n") + std::string("# ") + s.title + "\r\n";
        for (std::size_t c = 0; c < s.columns.size(); ++c)
          out += (c ? "," : "") + csv_field(s.columns[c]);
        out += "\r\n";
        for (const auto& row : s.rows) {
          for (std::size_t c = 0; c < row.size(); ++c)
            out += (c ? "," : "") + csv_field(text_of(row[c]));
          out += "\r\n";
        }
      }
      return out;
    case list_format::table:
      for (const auto& s : sections) out += (out.empty() ? "" : "\n") + render_table(s);
      return out;
  }
  return out;
}

}  // namespace spampot::intel
