#include "web/pages.hpp"

#include <fmt/format.h>

#include "web/html.hpp"

namespace spampot::web {

std::string layout(std::string_view title, std::string_view active, const std::string& body, int refresh_seconds) {
  std::string nav;
  for (const auto& [key, href, label] : {std::tuple{"overview", "/", "Overview"},
                                         std::tuple{"messages", "/messages", "Messages"},
                                         std::tuple{"reports", "/reports", "Reports"}}) {
    nav += fmt::format("<a href=\"{}\"{}>{}</a>", href,
                       active == key ? " class=\"active\" aria-current=\"page\"" : "", label);
  }
  return fmt::format(
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<meta name=\"referrer\" content=\"no-referrer\">{}"
      "<title>{} - spampot</title><link rel=\"stylesheet\" href=\"/static/console.css\"></head>"
      "<body><header><div class=\"brand\">spam<span>pot</span></div><nav aria-label=\"main\">{}</nav></header>"
      "<main id=\"main\"><h1>{}</h1>{}</main></body></html>\n",
      refresh_seconds > 0 ? fmt::format("<meta http-equiv=\"refresh\" content=\"{}\">", refresh_seconds) : "",
      escape(title), nav, escape(title), body);
}

std::string frame_page(std::string_view title, const std::string& body, int refresh_seconds) {
  return fmt::format(
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"referrer\" content=\"no-referrer\">"
      "<meta http-equiv=\"refresh\" content=\"{}\"><title>{} - spampot</title>"
      "<link rel=\"stylesheet\" href=\"/static/console.css\"></head><body class=\"frame\">{}</body></html>\n",
      refresh_seconds, escape(title), body);
}

namespace {

std::string cell_text(const intel::cell_value& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&v)) return std::to_string(*i);
  return fmt::format("{:.2f}", std::get<double>(v));
}

}  // namespace

std::string section_table(const intel::section& s, int link_column, std::string_view link_prefix) {
  std::string out = "<table><thead><tr>";
  std::vector<bool> numeric(s.columns.size(), false);
  if (!s.rows.empty())
    for (std::size_t c = 0; c < s.columns.size() && c < s.rows.front().size(); ++c)
      numeric[c] = !std::holds_alternative<std::string>(s.rows.front()[c]);
  for (std::size_t c = 0; c < s.columns.size(); ++c)
    out += fmt::format("<th scope=\"col\"{}>{}</th>", numeric[c] ? " class=\"num\"" : "", escape(s.columns[c]));
  out += "</tr></thead><tbody>";
  for (const auto& row : s.rows) {
    out += "<tr>";
    for (std::size_t c = 0; c < row.size(); ++c) {
      const std::string text = cell_text(row[c]);
      const bool link = static_cast<int>(c) == link_column && !text.empty();
      out += numeric[c] ? "<td class=\"num\">" : "<td class=\"wrap\">";
      if (link)
        out += fmt::format("<a href=\"{}{}\">{}</a>", link_prefix, url_encode(text), escape(text));
      else
        out += escape(text);
      out += "</td>";
    }
    out += "</tr>";
  }
  if (s.rows.empty()) out += fmt::format("<tr><td colspan=\"{}\" class=\"muted\">nothing yet</td></tr>", s.columns.size());
  return out + "</tbody></table>";
}

std::string key_values(const std::vector<std::pair<std::string, std::string>>& kv) {
  std::string out = "<dl class=\"kv\">";
  for (const auto& [k, v] : kv) out += fmt::format("<dt>{}</dt><dd>{}</dd>", escape(k), escape(v));
  return out + "</dl>";
}

std::string error_page(int status, std::string_view what) {
  return layout(fmt::format("{}", status), "", "<p>" + escape(what) + "</p>");
}

}  // namespace spampot::web
