// What the seed web side serves: pages that carry a seed address the way real pages carry a
// contact address (a mailto link and the text), and the answer for every path a crawler asks.
// Pure: the address comes in, text goes out; nothing here reads files or the request path's
// meaning beyond its shape.
#pragma once

#include <string>
#include <string_view>

namespace spampot::seed {

// Text for HTML element content and attribute values.
std::string html_escape(std::string_view s);

// A snippet for a site owner to paste: the person, a mailto link and the address as text.
std::string snippet_html(std::string_view address, std::string_view name);

// A whole small "contact" page of a site called `site`, with links deeper into the site, so a
// crawler that follows them mints one more seed per page it takes.
std::string page_html(std::string_view address, std::string_view name, std::string_view site);

// robots.txt forbids every page: search engines that obey it never harvest a seed, so whatever
// visits a page and then spams its address ignored robots.txt, which is itself a finding.
std::string robots_txt();

enum class route { page, robots, not_found };

// Which answer a request path gets: robots.txt; not_found for what a page links but a trap does
// not need (images, scripts, style sheets, any file with an extension pages do not have); a page
// with a fresh seed for every other path.
route route_of(std::string_view target);

}  // namespace spampot::seed
