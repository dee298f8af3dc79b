#include "truce/store/store.h"

#include "truce/core/strings.h"

namespace truce::store {

Result<Transaction> Transaction::Begin(Store& store) {
  TRUCE_RETURN_IF_ERROR(store.Begin());
  return Transaction(&store);
}

Result<Transaction> Transaction::BeginBulk(Store& store) {
  TRUCE_RETURN_IF_ERROR(store.BeginBulk());
  return Transaction(&store);
}

Transaction::~Transaction() {
  if (store_ != nullptr) (void)store_->Rollback();
}

Status Transaction::Commit() {
  if (store_ == nullptr) return Status::FailedPrecondition("Commit: the transaction is not open");
  Status s = store_->Commit();
  if (s.ok()) store_ = nullptr;
  return s;
}

Result<std::unique_ptr<Store>> OpenStore(const std::string& db, const OpenOptions& options) {
  std::string lower = ToLowerAscii(db.substr(0, 16));
  if (StartsWith(lower, "postgresql://") || StartsWith(lower, "postgres://")) return OpenPostgres(db, options);
  return OpenSqlite(db, options);
}

}  // namespace truce::store
