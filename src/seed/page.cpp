#include "seed/page.hpp"

#include <array>

#include "base/ascii.hpp"

namespace spampot::seed {

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string snippet_html(std::string_view address, std::string_view name) {
  const std::string a = html_escape(address);
  return "<p class=\"contact\">" + html_escape(name) + " &ndash; <a href=\"mailto:" + a + "\">" + a +
         "</a></p>\n";
}

std::string page_html(std::string_view address, std::string_view name, std::string_view site) {
  const std::string s = html_escape(site);
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Contact &ndash; " +
         s +
         "</title>\n</head>\n<body>\n<header><a href=\"/\">" + s +
         "</a></header>\n<main>\n<h1>Contact</h1>\n<p>For orders, invoices and anything else, "
         "please write to our office.</p>\n" +
         snippet_html(address, name) +
         "</main>\n<footer>\n<a href=\"/about\">About us</a> | <a href=\"/team\">Team</a> | "
         "<a href=\"/imprint\">Imprint</a> | <a href=\"/jobs\">Jobs</a>\n</footer>\n</body>\n"
         "</html>\n";
}

std::string robots_txt() {
  return "User-agent: *\nDisallow: /\n";
}

route route_of(std::string_view target) {
  // Absolute form ("http://host/path", as proxies get it): only the path counts.
  if (const auto scheme = target.find("://"); scheme != std::string_view::npos && target[0] != '/') {
    const auto path = target.find('/', scheme + 3);
    target = path == std::string_view::npos ? std::string_view("/") : target.substr(path);
  }
  target = target.substr(0, target.find_first_of("?#"));
  if (target == "/robots.txt") return route::robots;
  const auto slash = target.rfind('/');
  const std::string_view last = slash == std::string_view::npos ? target : target.substr(slash + 1);
  const auto dot = last.rfind('.');
  if (dot == std::string_view::npos) return route::page;
  static constexpr std::array<std::string_view, 8> kPages = {"html", "htm",  "php", "asp",
                                                             "aspx", "jsp",  "cgi", "shtml"};
  const std::string ext = ascii_lower(last.substr(dot + 1));
  for (auto p : kPages)
    if (ext == p) return route::page;
  return route::not_found;
}

}  // namespace spampot::seed
