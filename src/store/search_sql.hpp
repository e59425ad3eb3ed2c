// The WHERE clause of a message search, shared by every backend: the filter's meaning lives in
// one place, and each backend only binds the values its own way.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/ip_address.hpp"
#include "store/harvest.hpp"
#include "store/records.hpp"
#include "store/sql/connection.hpp"

namespace spampot::store {


struct sql_filter {
  std::string where;  // "1=1 AND m.received_at >= ? ...", over messages aliased m
  std::vector<bind_value> args;
};

// " AND column >= ? AND column < ?" for the ends a window has, values appended to `args`.
void time_bounds(const window& w, std::string& where, std::vector<bind_value>& args,
                 std::string_view column);

// `nocase` makes an address comparison case-insensitive in the backend's dialect
// (" COLLATE NOCASE" for SQLite; "" where the column's collation already is).
sql_filter search_where(const search_filter& f, std::string_view nocase);

}  // namespace spampot::store
