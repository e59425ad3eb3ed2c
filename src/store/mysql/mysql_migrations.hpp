#pragma once

#include <span>

#include "store/sqlite/migrations.hpp"

namespace spampot::store {

std::span<const migration> mysql_migrations();

}  // namespace spampot::store
