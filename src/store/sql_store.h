// The Store over the SQL layer (sql_store.cc), for the engines' Open
// functions; private to the store module.
#pragma once

#include <memory>

#include "sql.h"
#include "truce/store/store.h"

namespace truce::store {

// A Store on an open connection (not migrated: call Migrate()).
std::unique_ptr<Store> NewSqlStore(std::unique_ptr<sql::Db> db);

}  // namespace truce::store
