// The SQLite schema as numbered migrations. Each runs once, in order, in its own transaction;
// the applied versions are in schema_migrations. Never edit a migration that has shipped: add one.
#pragma once

#include <span>
#include <string_view>

namespace spampot::store {

struct migration {
  int version;
  std::string_view sql;
};

std::span<const migration> sqlite_migrations();

}  // namespace spampot::store
