// Every text column's width, and fitting a value to it: the one place that decides what a
// hostile value becomes before any backend sees it.
//
// A value is made well-formed UTF-8 (each invalid byte and each NUL becomes U+FFFD) and cut at a
// character boundary to its column's width in bytes, the width the MariaDB schema declares
// (store/mysql/migrations.cpp; a unit test compares the two). SQLite has no widths, but gets the
// same values, so both backends hold the same text and count the same keys. The raw bytes stay in
// the spool. Rejected: letting MariaDB cut (strict mode refuses instead, and a cut there would
// differ from SQLite's) and utf8mb4 columns (they refuse invalid UTF-8 rather than keep it).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/session_record.hpp"

namespace spampot::store {

// The width in bytes of `table`.`column`, a text column the store writes. A column missing here
// is a programming error: the process stops with its name.
std::size_t column_width(std::string_view table, std::string_view column);

// What fitting did to a value.
struct fit_result {
  bool invalid_utf8 = false;  // ill-formed bytes or NUL became U+FFFD
  bool cut = false;           // cut to the width
};

// Fits `value` in place to a column of `width` bytes.
fit_result fit_text(std::string& value, std::size_t width);

// Fits `value` to `table`.`column`; a change is noted in `problems` as "cut:column" or
// "invalid_utf8:column" (each once).
void fit_column(std::string_view table, std::string_view column, std::string& value,
                std::vector<std::string>& problems);

// A row as the store writes it: every text value fitted to its column, what changed noted in
// its problems. Pure: the fuzz target checks it without a database.
struct message_row;
struct message_details;
message_row fitted(message_row m);
session_record fitted(session_record s);
message_details fitted(message_details d);

// The known text columns, for the test that compares them with a live MariaDB schema.
struct column_spec {
  std::string_view table, column;
  std::size_t width;
};
const std::vector<column_spec>& text_columns();

}  // namespace spampot::store
