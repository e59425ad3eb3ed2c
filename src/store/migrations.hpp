// The schema as numbered migrations, for the connection that brings a store up to date. Versions
// 1 to 9 were written in each dialect (store/sqlite/migrations.cpp, store/mysql/migrations.cpp);
// from 10 on a step is written once, in SQL both accept, with {table_options} standing for what a
// new MariaDB table needs and {key_table_options} for a counter table keyed by harvested text
// (store/sql/connection.hpp). Never edit a migration that has shipped.
#pragma once

#include <span>

#include "store/sql/connection.hpp"

namespace spampot::store {

std::span<const migration> migrations(const sql::dialect& d);

// Brings the connection's database to the newest migration; returns the version it had (0: a new
// store). SQLite's DDL is transactional, so a migration runs whole in one transaction; MariaDB
// commits each DDL statement by itself, so each runs on its own and a failure leaves the version
// unrecorded: the next start retries from the statement that failed. A named lock keeps two
// sensors that start at once from both migrating.
Result<int> migrate(sql::connection& c);

// A migration that changes what the harvest counters count asks for a recount by adding the row
// of harvest_recount (version 19 made the table): store::recount_if_pending does the rest.

// The per-dialect history, versions 1 to 9.
std::span<const migration> sqlite_history();
std::span<const migration> mysql_history();

}  // namespace spampot::store
