// A table's columns as a list of the row struct's members: the one description from which a
// row's INSERT values, its SELECT column list and its reading back are made, in every dialect.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "store/column_number.hpp"
#include "store/columns.hpp"
#include "store/sql/connection.hpp"

namespace spampot::store {

template <class Row>
struct column {
  std::string_view name;
  std::variant<std::string Row::*, std::int64_t Row::*, std::uint64_t Row::*, std::uint32_t Row::*,
               std::uint16_t Row::*, int Row::*, bool Row::*>
      member;
};

// A column and the value a row gives it, ready to bind.
struct field {
  std::string_view column;
  bind_value value;
};

// "a, b, c", each name after `prefix` ("m." for a join).
template <class Row>
std::string column_names(std::span<const column<Row>> cols, std::string_view prefix = "") {
  std::string out;
  for (const auto& c : cols) {
    if (!out.empty()) out += ", ";
    out += prefix;
    out += '`';
    out += c.name;
    out += '`';
  }
  return out;
}

template <class Row>
std::vector<field> fields_of(const Row& r, std::span<const column<Row>> cols) {
  std::vector<field> out;
  out.reserve(cols.size() + 4);
  for (const auto& c : cols) {
    std::visit(
        [&](auto m) {
          using T = std::remove_cvref_t<decltype(r.*m)>;
          if constexpr (std::is_same_v<T, std::string>)
            out.push_back({c.name, r.*m});
          else
            out.push_back({c.name, static_cast<std::int64_t>(r.*m)});
        },
        c.member);
  }
  return out;
}

// Fits each text member to its column (store/columns.hpp), noting what changed in `problems`.
template <class Row>
void fit_row(std::string_view table, Row& r, std::span<const column<Row>> cols, std::vector<std::string>& problems) {
  for (const auto& c : cols)
    if (const auto* m = std::get_if<std::string Row::*>(&c.member)) fit_column(table, c.name, r.**m, problems);
}

// Reads the columns, in list order, from `got` starting at `at`.
template <class Row>
void read_row(Row& r, const sql::row& got, std::span<const column<Row>> cols, std::size_t at = 0) {
  for (const auto& c : cols) {
    const std::string& v = got[at++];
    std::visit(
        [&](auto m) {
          using T = std::remove_cvref_t<decltype(r.*m)>;
          if constexpr (std::is_same_v<T, std::string>)
            r.*m = v;
          else if constexpr (std::is_same_v<T, bool>)
            r.*m = column_int(v) != 0;
          else
            r.*m = static_cast<T>(column_int(v));
        },
        c.member);
  }
}

}  // namespace spampot::store
