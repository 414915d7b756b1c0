// Internal: the SQL of schema fable-store/1 (docs/store-format.md), and the
// check that a database is a store of that version.
#pragma once

#include <string>
#include <string_view>

#include "fable/status.h"
#include "store/sqlite.h"

namespace fable::store {

// Creates every table and the meta rows, in one transaction, and turns WAL
// mode on. For a new, empty file only.
Status create_schema(Database& db);

// Ok when `db` holds the meta rows of schema fable-store/1. Errors
// (Status::Invalid, "FLAG FILE: ..."): not an SQLite database; no meta table
// or no schema row (not a fable store); another schema or schema_version.
Status check_schema(Database& db, std::string_view flag);

}  // namespace fable::store
