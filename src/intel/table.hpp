// A report's rows, rendered three ways: aligned columns for a terminal (peer text escaped, long
// cells cut), CSV (RFC 4180, exact bytes) and JSON (typed values). One report may hold several
// sections (`report auth`: user names, passwords, pairs).
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "intel/message_list.hpp"

namespace spampot::intel {

using cell_value = std::variant<std::string, std::int64_t, double>;

struct section {
  std::string title;                 // a JSON key when a report has several sections
  std::vector<std::string> columns;  // also the CSV header and the JSON field names
  std::vector<std::vector<cell_value>> rows;
  int bar_column = -1;  // the table draws this numeric column as bars too
};

std::string render(const std::vector<section>& sections, list_format f);

// Shared with message_list: a CSV field (printable text, RFC 4180 quoting) and a terminal cell
// of a fixed display width (intel/terminal_text.hpp).
std::string csv_field(std::string_view s);
std::string table_cell(std::string_view s, std::size_t width);

}  // namespace spampot::intel
