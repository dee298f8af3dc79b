// Writes that finish (issue 8): the durable stale-findings mark, and how a
// write waits for another writer (OpenOptions).
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>

#include "schema.h"
#include "test_db.h"
#include "truce/core/env.h"
#include "truce/store/store.h"

namespace truce::store {
namespace {

using testdb::ParamName;

namespace fs = std::filesystem;

// On both engines (test_db.h): Sqlite/... and Postgres/...
class WritesTest : public ::testing::TestWithParam<testdb::Engine> {
 protected:
  void SetUp() override { Remove(); }
  void TearDown() override { db_.reset(); }
  // A fresh, empty database.
  void Remove() {
    db_.reset();
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    db_ = std::make_unique<testdb::TestDatabase>(GetParam(), std::string(info->name()));
    path_ = db_->db();
  }

  std::unique_ptr<Store> Open(const OpenOptions& options = {}) {
    Result<std::unique_ptr<Store>> s = OpenStore(path_, options);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s).value() : nullptr;
  }
  std::unique_ptr<Store> OpenMigrated() {
    auto s = Open();
    if (s) {
      EXPECT_TRUE(s->Migrate().ok());
    }
    return s;
  }

  static model::SourceRecord MakeSourceRecord(const std::string& raw) {
    model::SourceRecord r;
    r.dataset = "acled";
    r.source_file = "a.csv";
    r.file_hash = "f00d";
    r.row = 2;
    r.raw = raw;
    r.content_hash = Sha256Hex("acled\n" + raw);
    return r;
  }
  static bool Stale(Store& s) {
    Result<FindingsState> st = s.GetFindingsState();
    EXPECT_TRUE(st.ok()) << st.status().ToString();
    return st.ok() && st->stale();
  }

  std::unique_ptr<testdb::TestDatabase> db_;
  std::string path_;
};

TEST_P(WritesTest, StaleMarkIsWrittenWithTheTransactionAndClearedByRuledFindings) {
  auto s = OpenMigrated();
  ASSERT_TRUE(s);
  EXPECT_FALSE(Stale(*s));  // a new database: nothing to rule

  // Rolled back with the ingest it belonged to.
  ASSERT_TRUE(s->Begin().ok());
  ASSERT_TRUE(s->MarkFindingsStale().ok());
  ASSERT_TRUE(s->Rollback().ok());
  EXPECT_FALSE(Stale(*s));

  // Committed with it: durable, seen by a new connection (a restarted process).
  ASSERT_TRUE(s->Begin().ok());
  ASSERT_TRUE(s->MarkFindingsStale().ok());
  ASSERT_TRUE(s->Commit().ok());
  s.reset();
  s = Open();
  EXPECT_TRUE(Stale(*s));

  // Findings replaced without saying what they cover leave the mark.
  ASSERT_TRUE(s->ReplaceFindings({}, {}).ok());
  EXPECT_TRUE(Stale(*s));

  // A ruling that read the state, then the data, clears it.
  Result<FindingsState> seen = s->GetFindingsState();
  ASSERT_TRUE(seen.ok());
  ASSERT_TRUE(s->ReplaceRuledFindings({}, {}, seen->changes).ok());
  EXPECT_FALSE(Stale(*s));
}

// The job lock (servers' jobs one at a time): held by one connection across
// transactions, refused to another at once (taken twice by one: an error),
// free again when unlocked or when its holder closes; not the write lock.
TEST_P(WritesTest, TheJobLockIsOneHolderAtATimeAcrossConnections) {
  auto a = OpenMigrated();
  auto b = Open();
  ASSERT_TRUE(a && b);
  Result<bool> got = a->TryLockJobs();
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(*got);
  EXPECT_EQ(a->TryLockJobs().status().code(), StatusCode::kFailedPrecondition);
  got = b->TryLockJobs();
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_FALSE(*got);
  // Writes go on beside it, by either connection, committed and rolled back.
  ASSERT_TRUE(b->MarkFindingsStale().ok());
  ASSERT_TRUE(a->Begin().ok());
  ASSERT_TRUE(a->Rollback().ok());
  EXPECT_FALSE(*b->TryLockJobs());  // still a's after its transaction
  ASSERT_TRUE(a->UnlockJobs().ok());
  got = b->TryLockJobs();
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(*got);
  EXPECT_FALSE(*a->TryLockJobs());
  b.reset();  // the holder closes: the lock goes with it
  got = a->TryLockJobs();
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(*got);
  ASSERT_TRUE(a->UnlockJobs().ok());
  ASSERT_TRUE(a->UnlockJobs().ok());  // unlocking what is not held is harmless
}

TEST_P(WritesTest, ChangeCommittedWhileRulingKeepsTheFindingsStale) {
  auto ruler = OpenMigrated();
  auto ingester = Open();
  ASSERT_TRUE(ruler && ingester);
  ASSERT_TRUE(ingester->MarkFindingsStale().ok());
  Result<FindingsState> seen = ruler->GetFindingsState();  // the ruler reads the state, then the data...
  ASSERT_TRUE(seen.ok());
  ASSERT_TRUE(ingester->MarkFindingsStale().ok());  // ...while another ingest commits
  ASSERT_TRUE(ruler->ReplaceRuledFindings({}, {}, seen->changes).ok());
  EXPECT_TRUE(Stale(*ruler));
  // An older ruling finishing last cannot undo a newer one's coverage either.
  Result<FindingsState> now = ruler->GetFindingsState();
  ASSERT_TRUE(ruler->ReplaceRuledFindings({}, {}, now->changes).ok());
  ASSERT_TRUE(ruler->ReplaceRuledFindings({}, {}, seen->changes).ok());
  EXPECT_FALSE(Stale(*ruler));
}

TEST_P(WritesTest, UpgradedDatabaseWithIncidentsIsRuledOnceMore) {
  // A database at version 4 (before the mark), made by the migrations' own
  // statements, with `rows` (SQL) added.
  auto make_version_4 = [&](const std::string& rows) {
    std::string sql = db_->SchemaAt(4) + rows;
    Status st = db_->Exec(sql);
    ASSERT_TRUE(st.ok()) << st.ToString();
  };
  make_version_4("");
  auto s = Open();
  ASSERT_TRUE(s->Migrate().ok());
  EXPECT_FALSE(Stale(*s));  // no incidents: nothing to rule
  s.reset();

  Remove();
  make_version_4(
      "INSERT INTO reports (id, dataset, source_file, file_hash, file_row, raw, content_hash) "
      "VALUES (1, 'acled', 'a.csv', 'f00d', 2, 'r1', 'c1');\n"
      "INSERT INTO incidents (id, report_id, dataset, source_id, first_day, last_day, date_precision, event_type, "
      "sub_event_type, native_code, actor1, assoc_actor1, actor2, assoc_actor2, country, iso3, admin1, admin2, "
      "admin3, location, lat_deg, lon_deg, uncertainty_m, geo_precision, time_precision, fatalities, source, notes) "
      "VALUES (1, 1, 'acled', 'X1', '2020-03-05', '2020-03-05', 'day', '', '', '', '', '', '', '', '', '', '', '', "
      "'', '', 0, 0, 0, 1, 1, 0, '', '');\n");
  s = Open();
  Status m = s->Migrate();
  ASSERT_TRUE(m.ok()) << m.ToString();
  EXPECT_TRUE(Stale(*s));
}

TEST_P(WritesTest, BusyTimeoutZeroFailsAtOnceAsBusyWithoutWaiting) {
  auto holder = OpenMigrated();
  ASSERT_TRUE(holder);
  ASSERT_TRUE(holder->Begin().ok());
  int waits = 0;
  OpenOptions options;
  options.busy_timeout_ms = 0;
  options.on_wait = [&] { ++waits; };
  auto other = Open(options);
  Status st = other->Begin();
  EXPECT_EQ(st.code(), StatusCode::kBusy) << st.ToString();
  EXPECT_EQ(other->MarkFindingsStale().code(), StatusCode::kBusy);  // the store's own atomic writes too
  EXPECT_EQ(waits, 0);
  ASSERT_TRUE(holder->Rollback().ok());
  EXPECT_TRUE(other->Begin().ok());
  EXPECT_TRUE(other->Rollback().ok());
}

TEST_P(WritesTest, WriterWaitsForTheLockToBeReleasedAndSaysSoOnce) {
  auto holder = OpenMigrated();
  ASSERT_TRUE(holder);
  ASSERT_TRUE(holder->Begin().ok());
  std::atomic<int> waits{0};
  OpenOptions options;
  options.busy_timeout_ms = 60'000;  // far longer than the holder keeps it
  options.on_wait = [&] {
    // Released only once the waiter is waiting: no sleeps, no timing.
    if (waits++ == 0) { EXPECT_TRUE(holder->Commit().ok()); }
  };
  auto other = Open(options);
  Status st = other->Begin();
  EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(waits.load(), 1);
  EXPECT_TRUE(other->Commit().ok());
}

TEST_P(WritesTest, NegativeBusyTimeoutIsRefused) {
  OpenOptions options;
  options.busy_timeout_ms = -1;
  EXPECT_EQ(OpenStore(path_, options).status().code(), StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, WritesTest, ::testing::Values(testdb::Engine::kSqlite), ParamName);
INSTANTIATE_TEST_SUITE_P(Postgres, WritesTest, ::testing::Values(testdb::Engine::kPostgres), ParamName);

}  // namespace
}  // namespace truce::store
