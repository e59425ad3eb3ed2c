// The console's HTML, made from data the router read (web/console.cpp). Pure: no store, no I/O.
// Every captured value goes through escape() (web/html.hpp); nothing here writes a value into a
// page any other way.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "intel/table.hpp"

namespace spampot::web {

// The page around a body: header, navigation (`active`: overview, messages, reports), styles.
// `refresh_seconds` > 0 reloads the page that often (no script: a meta refresh).
std::string layout(std::string_view title, std::string_view active, const std::string& body,
                   int refresh_seconds = 0);

// A page made to sit in a frame of a console page (the overview's live newest messages): styles
// and the body, no header, reloaded every `refresh_seconds`.
std::string frame_page(std::string_view title, const std::string& body, int refresh_seconds);

// A report section as a table: cells escaped, numbers right-aligned; `link_column` (or -1) links
// each row's cell of that column to `link_prefix` + the value, url-encoded.
std::string section_table(const intel::section& s, int link_column = -1, std::string_view link_prefix = "");

// A labelled value list (<dl>); values are escaped here.
std::string key_values(const std::vector<std::pair<std::string, std::string>>& kv);

std::string error_page(int status, std::string_view what);

}  // namespace spampot::web
