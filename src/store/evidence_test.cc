// The evidence log: entries appended by the store's writes, verify on an
// intact database, and verify after one stored byte is changed, a row deleted
// or added behind the store's back (plain SQL on a connection of its own, as
// anyone with the database could), on both engines (test_db.h), an entry edited or removed.
#include <unistd.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "evidence.h"
#include "schema.h"
#include "sqlite_db.h"
#include "test_db.h"
#include "truce/core/env.h"
#include "truce/store/store.h"

namespace truce::store {
namespace {

using testdb::Day;
using testdb::ParamName;

namespace fs = std::filesystem;

class EvidenceTest : public ::testing::TestWithParam<testdb::Engine> {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    db_ = std::make_unique<testdb::TestDatabase>(GetParam(), std::string(info->name()));
    path_ = db_->db();
  }
  void TearDown() override {
    store_.reset();
    db_.reset();
  }
  // On PostgreSQL as its superuser with the foreign keys' triggers off, as
  // SQLite's own connections run them (a report deleted under its incident).
  void RawExec(const std::string&, const std::string& sql) {
    Status st = db_->Exec(GetParam() == testdb::Engine::kSqlite ? sql
                                                                : "SET session_replication_role = replica; " + sql);
    EXPECT_TRUE(st.ok()) << st.ToString() << "\n" << sql;
  }
  std::string RawText(const std::string&, const std::string& sql) {
    Result<std::string> t = db_->QueryText(sql);
    return t.ok() && *t != "<null>" ? *t : "";
  }
  // Joins a column's values with spaces (SQLite's group_concat).
  std::string Joined(const std::string& column) const {
    return GetParam() == testdb::Engine::kSqlite ? "group_concat(" + column + ", ' ')"
                                                 : "string_agg(" + column + ", ' ')";
  }
  void OpenAndMigrate() {
    auto s = OpenStore(path_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
    Status m = store_->Migrate();
    ASSERT_TRUE(m.ok()) << m.ToString();
  }

  // One "file" as the facade ingests it: reports, their incidents, the file
  // record, in one transaction. Returns the incident ids. With `notes`, the
  // incidents' notes are the raw record's quoted field, kept as their place
  // in it (given the raw record, as the facade gives it) or, with
  // `notes_placed` false, as they are.
  std::vector<std::int64_t> Ingest(const std::string& path, int rows, int first_row = 1, bool notes = false,
                                   bool notes_placed = true) {
    std::vector<std::int64_t> ids;
    EXPECT_TRUE(store_->Begin().ok());
    for (int r = first_row; r < first_row + rows; ++r) {
      model::SourceRecord rep;
      rep.dataset = "acled";
      rep.source_file = path;
      rep.file_hash = Sha256Hex(path);
      rep.row = r;
      rep.raw = "SYR" + std::to_string(r) + ",7 March 2020,Saraqib,35.86,36.80,\"shelling, \"\"heavy\"\"\"\nline two";
      rep.content_hash = Sha256Hex("acled" + rep.raw);
      auto rid = store_->InsertSourceRecord(rep);
      EXPECT_TRUE(rid.ok() && rid->has_value()) << rid.status().ToString();
      model::Report in;
      in.record_id = **rid;
      in.dataset = "acled";
      in.source_id = "SYR" + std::to_string(r);
      in.time.first_day = in.time.last_day = Day("2020-03-07");
      in.location = "Saraqib";
      in.point = {35.86, 36.80};
      in.uncertainty_m = 2000.5;
      in.event_type = "Explosions/Remote violence";
      in.track = {{{35.8, 36.7}, {35.9, 36.8}}};
      if (notes) {
        in.notes = "shelling, \"heavy\"";
        auto iids = store_->InsertReports({&in}, {notes_placed ? std::string_view(rep.raw) : std::string_view()});
        EXPECT_TRUE(iids.ok() && iids->size() == 1) << iids.status().ToString();
        ids.push_back(iids.ok() ? iids->front() : 0);
        continue;
      }
      auto iid = store_->InsertReport(in);
      EXPECT_TRUE(iid.ok()) << iid.status().ToString();
      ids.push_back(*iid);
    }
    FileRecord f;
    f.file_hash = Sha256Hex(path);
    f.path = path;
    f.dataset = "acled-2023";
    f.records = rows;
    f.added = rows;
    f.ingested_at = "2024-01-01T00:00:00Z";
    EXPECT_TRUE(store_->PutFile(f).ok());
    Status c = store_->Commit();
    EXPECT_TRUE(c.ok()) << c.ToString();
    return ids;
  }

  EvidenceReport Verify() {
    auto r = store_->VerifyEvidence();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : EvidenceReport{};
  }

  static std::string Problems(const EvidenceReport& r) {
    std::string out;
    for (const auto& p : r.problems) out += std::to_string(p.seq) + " " + p.kind + " " + p.subject + ": " + p.what + "\n";
    return out;
  }

  std::unique_ptr<testdb::TestDatabase> db_;
  std::string path_;
  std::unique_ptr<Store> store_;
};

TEST_P(EvidenceTest, FreshDatabaseHasAGenesisEntryAndVerifies) {
  OpenAndMigrate();
  EvidenceReport r = Verify();
  EXPECT_TRUE(r.intact()) << Problems(r);
  EXPECT_EQ(r.entries, 1);
  EXPECT_EQ(RawText(path_, "SELECT kind FROM evidence WHERE seq = 1"), kEvidenceGenesis);
  EXPECT_EQ(RawText(path_, "SELECT prev_sha256 FROM evidence WHERE seq = 1"), kEvidenceNoPrevious);
  EXPECT_EQ(r.head_sha256, RawText(path_, "SELECT entry_sha256 FROM evidence WHERE seq = 1"));
}

TEST_P(EvidenceTest, OneEntryPerIngestedFileChainedToThePrevious) {
  OpenAndMigrate();
  Ingest("a.csv", 3);
  Ingest("b.csv", 2, 10);
  EvidenceReport r = Verify();
  EXPECT_TRUE(r.intact()) << Problems(r);
  EXPECT_EQ(r.entries, 3);
  EXPECT_EQ(r.rows, 3 + 3 + 2 + 2 + 2);  // reports, incidents, files rows
  EXPECT_EQ(RawText(path_, "SELECT subject FROM evidence WHERE seq = 2"), "a.csv");
  EXPECT_EQ(RawText(path_, "SELECT kind FROM evidence WHERE seq = 3"), kEvidenceIngest);
  EXPECT_EQ(RawText(path_, "SELECT prev_sha256 FROM evidence WHERE seq = 3"),
            RawText(path_, "SELECT entry_sha256 FROM evidence WHERE seq = 2"));
  EXPECT_EQ(RawText(path_, "SELECT selector FROM evidence_parts WHERE seq = 3 AND tbl = 'reports'"), "4-5");
  EXPECT_EQ(RawText(path_, "SELECT " + Joined("name") + " FROM (SELECT name FROM evidence_parts WHERE seq = 2 "
                           "ORDER BY ord) AS p"),
            "00000002.files.txt 00000002.reports.txt 00000002.incidents.txt");
}

TEST_P(EvidenceTest, ExportedTextsHashToWhatTheChainRecords) {
  OpenAndMigrate();
  Ingest("a.csv", 2);
  std::string prev = kEvidenceNoPrevious;
  int n = 0;
  Status s = store_->ForEachEvidence([&](const EvidenceExport& x) -> Status {
    ++n;
    EXPECT_EQ(Sha256Hex(x.text), x.entry.entry_sha256);
    EXPECT_NE(x.text.find("\nprev " + prev + "\n"), std::string::npos) << x.text;
    EXPECT_EQ(Sha256Hex(x.payload), x.entry.payload_sha256);
    std::string payload;
    for (const auto& [name, text] : x.parts) payload += Sha256Hex(text) + "  " + name + "\n";
    EXPECT_EQ(payload, x.payload);
    prev = x.entry.entry_sha256;
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(n, 2);
}

TEST_P(EvidenceTest, OneChangedByteOfAReportsRawIsFoundAndNamed) {
  OpenAndMigrate();
  Ingest("a.csv", 3);
  Ingest("b.csv", 3, 10);
  ASSERT_TRUE(Verify().intact());
  // "SYR11,..." becomes "SYR12,...": one byte of report 5 (b.csv's second row).
  RawExec(path_, "UPDATE reports SET raw = 'SYR12' || substr(raw, 6) WHERE id = 5");
  EvidenceReport r = Verify();
  ASSERT_FALSE(r.intact());
  ASSERT_EQ(r.problems.size(), 1u) << Problems(r);
  EXPECT_EQ(r.problems[0].seq, 3);
  EXPECT_EQ(r.problems[0].kind, "ingest");
  EXPECT_EQ(r.problems[0].subject, "b.csv");
  EXPECT_EQ(r.problems[0].what, "reports row 5 was changed after the entry recorded it");
}

TEST_P(EvidenceTest, AnIncidentsLatitudeChangedIsFound) {
  OpenAndMigrate();
  std::vector<std::int64_t> ids = Ingest("a.csv", 4);
  RawExec(path_, "UPDATE incidents SET lat_deg = 35.87 WHERE id = " + std::to_string(ids[2]));
  EvidenceReport r = Verify();
  ASSERT_EQ(r.problems.size(), 1u) << Problems(r);
  EXPECT_EQ(r.problems[0].seq, 2);
  EXPECT_EQ(r.problems[0].what, "incidents row " + std::to_string(ids[2]) + " was changed after the entry recorded it");
}

// Not the log's business, but its tamperer's way in: a stored day that is no
// date is named with its row and column when the incident is read back, in a
// single read and in the ruling's pages.
TEST_P(EvidenceTest, AnIncidentsDayThatIsNoDateIsNamedWhenRead) {
  OpenAndMigrate();
  std::vector<std::int64_t> ids = Ingest("a.csv", 3);
  RawExec(path_, "UPDATE incidents SET last_day = 'soon' WHERE id = " + std::to_string(ids[1]));
  const std::string want = "incident " + std::to_string(ids[1]) + ": bad last_day 'soon'";
  auto one = store_->GetReport(ids[1]);
  ASSERT_FALSE(one.ok());
  EXPECT_NE(one.status().ToString().find(want), std::string::npos) << one.status().ToString();
  IncidentPage page;
  Status st = store_->ReadIncidentPage(0, 10, &page);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.ToString().find(want), std::string::npos) << st.ToString();
  EXPECT_TRUE(page.reports.empty());
}

TEST_P(EvidenceTest, ADeletedReportIsNamedAsGone) {
  OpenAndMigrate();
  std::vector<std::int64_t> ids = Ingest("a.csv", 3);
  // A raw connection has foreign keys off, as a tamperer's would.
  RawExec(path_, "DELETE FROM reports WHERE id = 2");
  EvidenceReport r = Verify();
  ASSERT_EQ(r.problems.size(), 1u) << Problems(r);
  EXPECT_EQ(r.problems[0].seq, 2);
  EXPECT_EQ(r.problems[0].what, "reports row 2 is gone (deleted after the entry recorded it)");
}

TEST_P(EvidenceTest, ARowInsertedBehindTheStoresBackIsCoveredByNoEntry) {
  OpenAndMigrate();
  Ingest("a.csv", 2);
  RawExec(path_, "INSERT INTO reports (dataset, source_file_id, file_row, raw, content_hash) VALUES "
                 "('acled', (SELECT MIN(id) FROM source_files), 1, 'forged', 'c0ffee')");
  EvidenceReport r = Verify();
  ASSERT_EQ(r.problems.size(), 1u) << Problems(r);
  EXPECT_EQ(r.problems[0].seq, 0);
  EXPECT_EQ(r.problems[0].what, "reports row 3 is covered by no entry (stored behind the store's back)");
}

TEST_P(EvidenceTest, AnEditedEntryAndARemovedEntryBreakTheChain) {
  OpenAndMigrate();
  Ingest("a.csv", 1);
  Ingest("b.csv", 1, 5);
  Ingest("c.csv", 1, 9);
  RawExec(path_, "UPDATE evidence SET subject = 'z.csv' WHERE seq = 2");
  EvidenceReport r = Verify();
  ASSERT_GE(r.problems.size(), 2u) << Problems(r);
  EXPECT_EQ(r.problems[0].seq, 2);
  EXPECT_NE(r.problems[0].what.find("the entry was edited"), std::string::npos) << Problems(r);
  EXPECT_EQ(r.problems[1].seq, 3);
  EXPECT_NE(r.problems[1].what.find("the chain is broken here"), std::string::npos) << Problems(r);

  RawExec(path_, "UPDATE evidence SET subject = 'a.csv' WHERE seq = 2");
  ASSERT_TRUE(Verify().intact());
  // Removing entry 3 with its parts (its rows then uncovered) is seen too.
  RawExec(path_, "DELETE FROM evidence_parts WHERE seq = 3; DELETE FROM evidence WHERE seq = 3");
  r = Verify();
  ASSERT_FALSE(r.intact());
  EXPECT_EQ(r.problems[0].seq, 4);
  EXPECT_EQ(r.problems[0].what, "entry 3 is missing") << Problems(r);
}

TEST_P(EvidenceTest, AgreementVersionsAreEachKeptAndTheCurrentOneChecked) {
  OpenAndMigrate();
  StoredAgreement a;
  a.id = "idlib";
  a.title = "Protocol";
  a.source_file = "p.yaml";
  a.content_hash = "h1";
  a.files = {{"p.yaml", "id: idlib\nversion: 1\n"}, {"zones.geojson", "{}"}};
  a.added_at = "2024-01-01T00:00:00Z";
  ASSERT_TRUE(store_->PutAgreement(a).ok());
  a.files[0].second = "id: idlib\nversion: 2\n";
  a.content_hash = "h2";
  ASSERT_TRUE(store_->PutAgreement(a).ok());
  EvidenceReport r = Verify();
  EXPECT_TRUE(r.intact()) << Problems(r);
  EXPECT_EQ(r.entries, 3);
  // The first version is still in the log.
  EXPECT_NE(RawText(path_, "SELECT content FROM evidence_parts WHERE seq = 2").find("version: 1"), std::string::npos);

  RawExec(path_, "UPDATE agreement_files SET contents = 'id: idlib\nversion: 3\n' WHERE ord = 0");
  r = Verify();
  ASSERT_EQ(r.problems.size(), 1u) << Problems(r);
  EXPECT_EQ(r.problems[0].seq, 3);
  EXPECT_EQ(r.problems[0].kind, "agreement");
  EXPECT_EQ(r.problems[0].what, "agreement 'idlib': agreement_files row ord 0: contents differs from what was recorded");
}

TEST_P(EvidenceTest, EditedLocatorsOrRowCountsOfAKeptVersionAreFound) {
  OpenAndMigrate();
  TokenRecord t;
  t.name = "x";
  t.role = "viewer";
  t.token_hash = Sha256Hex("s");
  t.created_at = "2024-01-01T00:00:00Z";
  ASSERT_TRUE(store_->InsertToken(t).ok());
  ASSERT_TRUE(Verify().intact());
  RawExec(path_, "UPDATE evidence_parts SET locators = '0' || substr(locators, 2) WHERE seq = 2");
  EvidenceReport r = Verify();
  ASSERT_EQ(r.problems.size(), 1u) << Problems(r);
  EXPECT_EQ(r.problems[0].what, "part 00000002.token.txt: its row count or locators do not match its kept text: the "
                                "evidence_parts row was edited");
}

TEST_P(EvidenceTest, ATokenUnrevokedBehindTheStoresBackIsFound) {
  OpenAndMigrate();
  TokenRecord t;
  t.name = "field team";
  t.role = "analyst";
  t.token_hash = Sha256Hex("secret");
  t.created_at = "2024-01-01T00:00:00Z";
  auto id = store_->InsertToken(t);
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(store_->RevokeToken(*id, "2024-01-02T00:00:00Z").ok());
  EXPECT_TRUE(Verify().intact());
  EXPECT_EQ(RawText(path_, "SELECT kind FROM evidence WHERE seq = 3"), kEvidenceTokenRevoked);
  RawExec(path_, "UPDATE tokens SET revoked_at = NULL");
  EvidenceReport r = Verify();
  ASSERT_EQ(r.problems.size(), 1u) << Problems(r);
  EXPECT_EQ(r.problems[0].seq, 3);
  EXPECT_EQ(r.problems[0].what, "token 1: tokens row id 1: revoked_at differs from what was recorded");
}

TEST_P(EvidenceTest, ARolledBackIngestLeavesNoEntry) {
  OpenAndMigrate();
  ASSERT_TRUE(store_->Begin().ok());
  model::SourceRecord rep;
  rep.dataset = "acled";
  rep.source_file = "a.csv";
  rep.raw = "x";
  rep.content_hash = "c";
  ASSERT_TRUE(store_->InsertSourceRecord(rep).ok());
  ASSERT_TRUE(store_->Rollback().ok());
  Ingest("b.csv", 1);
  EvidenceReport r = Verify();
  EXPECT_TRUE(r.intact()) << Problems(r);
  EXPECT_EQ(r.entries, 2);
  EXPECT_EQ(RawText(path_, "SELECT subject FROM evidence WHERE seq = 2"), "b.csv");
}

TEST_P(EvidenceTest, WritesOutsideATransactionGetAnEntryEach) {
  OpenAndMigrate();
  model::SourceRecord rep;
  rep.dataset = "acled";
  rep.source_file = "a.csv";
  rep.raw = "x";
  rep.content_hash = "c";
  ASSERT_TRUE(store_->InsertSourceRecord(rep).ok());
  EvidenceReport r = Verify();
  EXPECT_TRUE(r.intact()) << Problems(r);
  EXPECT_EQ(r.entries, 2);
  EXPECT_EQ(RawText(path_, "SELECT subject FROM evidence WHERE seq = 2"), "rows stored without a file record");
}

TEST_P(EvidenceTest, ASchema3DatabaseGetsAGenesisEntryCoveringItsRows) {
  // A database as schema version 3 left it, with a report, an incident, an
  // agreement and a token.
  std::string sql = db_->SchemaAt(3);
  sql +=
      "INSERT INTO reports (dataset, source_file, file_hash, file_row, raw, content_hash) VALUES ('acled', 'old.csv', "
      "'f', 2, 'the row', 'h');\n"
      "INSERT INTO incidents (report_id, dataset, source_id, first_day, last_day, date_precision, event_type, "
      "sub_event_type, native_code, actor1, assoc_actor1, actor2, assoc_actor2, country, iso3, admin1, admin2, "
      "admin3, location, lat_deg, lon_deg, uncertainty_m, geo_precision, time_precision, fatalities, source, "
      "notes) VALUES (1, 'acled', 'SYR1', '2020-03-07', '2020-03-07', 'day', 'Battles', 'Armed clash', '', "
      "'A', '', 'B', '', 'Syria', 'SYR', 'Idlib', '', '', 'Saraqib', 35.86, 36.8, 0, 1, 1, 2, 'src', 'old');\n"
      "INSERT INTO agreements VALUES ('idlib', 'P', 'p.yaml', 'h', '2023-01-01T00:00:00Z');\n"
      "INSERT INTO agreement_files VALUES ('idlib', 0, 'p.yaml', 'id: idlib');\n"
      "INSERT INTO tokens (name, role, token_hash, created_at) VALUES ('t', 'admin', 'x', '2023-01-01T00:00:00Z');\n";
  RawExec(path_, sql);
  OpenAndMigrate();
  EvidenceReport r = Verify();
  EXPECT_TRUE(r.intact()) << Problems(r);
  EXPECT_EQ(r.entries, 1);
  EXPECT_EQ(r.rows, 5);
  EXPECT_EQ(RawText(path_, "SELECT subject FROM evidence WHERE seq = 1"), "rows stored before the evidence log");
  EXPECT_EQ(RawText(path_, "SELECT " + Joined("name") + " FROM (SELECT name FROM evidence_parts WHERE seq = 1 "
                           "ORDER BY ord) AS p"),
            "00000001.reports.txt 00000001.incidents.txt 00000001.agreement-1.txt 00000001.token-1.txt");
  // And what it covers is checked like any entry's.
  RawExec(path_, "UPDATE incidents SET lat_deg = 36.0");
  r = Verify();
  ASSERT_EQ(r.problems.size(), 1u) << Problems(r);
  EXPECT_EQ(r.problems[0].kind, "genesis");
  EXPECT_EQ(r.problems[0].what, "incidents row 1 was changed after the entry recorded it");
}

// Schema 9 keeps a report's file path and hash once, in source_files: the
// reports part of an entry still holds the text of schema 4 (both columns
// in every row), byte for byte, so that its hash is the one recorded before.
TEST_P(EvidenceTest, AReportsTextStillNamesItsFileAfterThePathAndHashMovedToSourceFiles) {
  OpenAndMigrate();
  Ingest("dir/a.csv", 2);
  const std::string hash = Sha256Hex("dir/a.csv");
  std::string want;
  for (int r = 1; r <= 2; ++r) {
    const std::string raw =
        "SYR" + std::to_string(r) + ",7 March 2020,Saraqib,35.86,36.80,\"shelling, \"\"heavy\"\"\"\nline two";
    want += "# reports\nid i1 " + std::to_string(r) + "\ndataset t5 acled\nsource_file t9 dir/a.csv\nfile_hash t64 " +
            hash + "\nfile_row i1 " + std::to_string(r) + "\nraw t" + std::to_string(raw.size()) + " " + raw +
            "\ncontent_hash t64 " + Sha256Hex("acled" + raw) + "\n";
  }
  EXPECT_EQ(RawText(path_, "SELECT sha256 FROM evidence_parts WHERE seq = 2 AND tbl = 'reports'"), Sha256Hex(want));
  EXPECT_EQ(RawText(path_, "SELECT COUNT(*) FROM source_files"), "1");
  // The same file from another path: a second pair, the first rows' path kept.
  Ingest("b.csv", 1, 3);
  EXPECT_EQ(RawText(path_, "SELECT COUNT(*) FROM source_files"), "2");
  Result<std::optional<model::SourceRecord>> first = store_->GetSourceRecord(1);
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->source_file, "dir/a.csv");
  EXPECT_EQ((*first)->file_hash, hash);
  EXPECT_TRUE(Verify().intact());
  // A report moved to another file's pair is a changed row.
  RawExec(path_, "UPDATE reports SET source_file_id = (SELECT MAX(id) FROM source_files) WHERE id = 2");
  EvidenceReport r = Verify();
  ASSERT_EQ(r.problems.size(), 1u) << Problems(r);
  EXPECT_EQ(r.problems[0].what, "reports row 2 was changed after the entry recorded it");
}

// A database written before schema 9 (reports with their file's path and
// hash in every row, recorded by the evidence log then) is migrated: the
// pairs move to source_files and the log verifies with every entry as it was.
TEST_P(EvidenceTest, ADatabaseOfSchema8IsMigratedAndItsEvidenceVerifies) {
  std::string sql = db_->SchemaAt(3);
  // Two files, the second ingested again from another path, and a file name
  // with a quote and a line break.
  sql +=
      "INSERT INTO reports (dataset, source_file, file_hash, file_row, raw, content_hash) VALUES "
      "('acled', 'a.csv', 'fa', 2, 'row a2', 'h1'), ('acled', 'b.csv', 'fb', 2, 'row b2', 'h2'), "
      "('acled', 'a.csv', 'fa', 3, 'row a3', 'h3'), ('acled', 'copy/b.csv', 'fb', 4, 'row b4', 'h4'), "
      "('ucdp', 'o''dd\nname.csv', 'fc', 2, 'row c2', 'h5');\n";
  RawExec(path_, sql);
  // Schema 4 records them (its genesis entry, with the columns of then), 9 moves them.
  OpenAndMigrate();
  const std::string head = RawText(path_, "SELECT entry_sha256 FROM evidence WHERE seq = 1");
  EvidenceReport r = Verify();
  EXPECT_TRUE(r.intact()) << Problems(r);
  EXPECT_EQ(r.rows, 5);
  EXPECT_EQ(r.head_sha256, head);
  EXPECT_EQ(RawText(path_, "SELECT COUNT(*) FROM source_files"), "4");
  const std::vector<std::pair<std::string, std::string>> want = {
      {"a.csv", "fa"}, {"b.csv", "fb"}, {"a.csv", "fa"}, {"copy/b.csv", "fb"}, {"o'dd\nname.csv", "fc"}};
  for (std::size_t i = 0; i < want.size(); ++i) {
    Result<std::optional<model::SourceRecord>> rec = store_->GetSourceRecord(static_cast<std::int64_t>(i + 1));
    ASSERT_TRUE(rec.ok() && rec->has_value()) << i;
    EXPECT_EQ((*rec)->source_file, want[i].first) << i;
    EXPECT_EQ((*rec)->file_hash, want[i].second) << i;
    EXPECT_EQ((*rec)->row, std::vector<std::int64_t>({2, 2, 3, 4, 2})[i]) << i;
  }
  // New rows of a pair stored before the migration reuse it.
  Ingest("a.csv", 1, 7);
  EXPECT_EQ(RawText(path_, "SELECT COUNT(*) FROM source_files"), "5");  // Ingest's hash is not 'fa'
  r = Verify();
  EXPECT_TRUE(r.intact()) << Problems(r);
  // And what the genesis entry covers is still checked through the new column.
  RawExec(path_, "UPDATE source_files SET path = 'z.csv' WHERE path = 'b.csv'");
  r = Verify();
  ASSERT_EQ(r.problems.size(), 1u) << Problems(r);
  EXPECT_EQ(r.problems[0].kind, "genesis");
  EXPECT_EQ(r.problems[0].what, "reports row 2 was changed after the entry recorded it");
}

// Schema 10: an incident's notes kept as their place in its report's raw
// record read back under their frozen name, so that an incident's text, and
// every entry's hash, are what they would be with the notes stored as they
// are (as every schema before stored them); a raw record changed afterwards
// shows as its report's and its incident's rows changed.
TEST_P(EvidenceTest, AnIncidentsTextHoldsItsNotesWhetherStoredOrPlaced) {
  OpenAndMigrate();
  Ingest("a.csv", 3, 1, /*notes=*/true);
  EXPECT_EQ(RawText(path_, "SELECT COUNT(*) FROM incidents WHERE notes_at IS NOT NULL AND notes = ''"), "3");
  const std::string placed = RawText(path_, "SELECT sha256 FROM evidence_parts WHERE seq = 2 AND tbl = 'incidents'");
  ASSERT_EQ(placed.size(), 64u);
  {
    // The same rows in another database, their notes stored as they are.
    testdb::TestDatabase other(GetParam(), "other");
    auto s = OpenStore(other.db());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    ASSERT_TRUE((*s)->Migrate().ok());
    std::swap(store_, *s);
    Ingest("a.csv", 3, 1, /*notes=*/true, /*notes_placed=*/false);
    std::swap(store_, *s);
    EXPECT_EQ(other.QueryText("SELECT COUNT(*) FROM incidents WHERE notes_at IS NULL AND notes <> ''").value(), "3");
    EXPECT_EQ(other.QueryText("SELECT sha256 FROM evidence_parts WHERE seq = 2 AND tbl = 'incidents'").value(), placed);
    EXPECT_EQ(other.QueryText("SELECT sha256 FROM evidence_parts WHERE seq = 2 AND tbl = 'reports'").value(),
              RawText(path_, "SELECT sha256 FROM evidence_parts WHERE seq = 2 AND tbl = 'reports'"));
  }
  Result<std::optional<model::Report>> in = store_->GetReport(2);
  ASSERT_TRUE(in.ok() && in->has_value());
  EXPECT_EQ((*in)->notes, "shelling, \"heavy\"");
  ASSERT_TRUE(Verify().intact());
  // Text put in the notes column beside a place is read (before the place's):
  // a changed row.
  RawExec(path_, "UPDATE incidents SET notes = 'x' WHERE id = 3");
  EvidenceReport r = Verify();
  ASSERT_EQ(r.problems.size(), 1u) << Problems(r);
  EXPECT_EQ(r.problems[0].what, "incidents row 3 was changed after the entry recorded it");
  RawExec(path_, "UPDATE incidents SET notes = '' WHERE id = 3");
  ASSERT_TRUE(Verify().intact());
  // One word of report 2's notes changed in its raw record: both rows changed.
  RawExec(path_, "UPDATE reports SET raw = replace(raw, 'heavy', 'light') WHERE id = 2");
  r = Verify();
  ASSERT_EQ(r.problems.size(), 2u) << Problems(r);
  std::set<std::string> what = {r.problems[0].what, r.problems[1].what};
  EXPECT_EQ(what, std::set<std::string>({"reports row 2 was changed after the entry recorded it",
                                         "incidents row 2 was changed after the entry recorded it"}));
}

// A database of before schema 10 (its incidents' notes in the column, with
// quotes and multibyte characters, recorded by its genesis entry) is
// migrated: every row's notes read the same, the log verifies with its head
// unchanged, and what it covers is still checked through the new columns.
TEST_P(EvidenceTest, ADatabaseWithNotesIsMigratedAndItsEvidenceVerifiesWithItsHeadUnchanged) {
  std::string sql = db_->SchemaAt(3);
  const std::string notes = "Shelling of \"the\" market in \xd8\xad\xd9\x84\xd8\xa8, \"\"twice\"\"";
  sql +=
      "INSERT INTO reports (dataset, source_file, file_hash, file_row, raw, content_hash) VALUES ('acled', 'old.csv', "
      "'f', 2, 'SYR1,\"Shelling of \"\"the\"\" market in \xd8\xad\xd9\x84\xd8\xa8, \"\"\"\"twice\"\"\"\"\"', 'h');\n"
      "INSERT INTO incidents (report_id, dataset, source_id, first_day, last_day, date_precision, event_type, "
      "sub_event_type, native_code, actor1, assoc_actor1, actor2, assoc_actor2, country, iso3, admin1, admin2, "
      "admin3, location, lat_deg, lon_deg, uncertainty_m, geo_precision, time_precision, fatalities, source, "
      "notes) VALUES (1, 'acled', 'SYR1', '2020-03-07', '2020-03-07', 'day', 'Battles', 'Armed clash', '', "
      "'A', '', 'B', '', 'Syria', 'SYR', 'Idlib', '', '', 'Saraqib', 35.86, 36.8, 0, 1, 1, 2, 'src', '" +
      notes + "');\n";
  RawExec(path_, sql);
  OpenAndMigrate();
  const std::string head = RawText(path_, "SELECT entry_sha256 FROM evidence WHERE seq = 1");
  EvidenceReport r = Verify();
  EXPECT_TRUE(r.intact()) << Problems(r);
  EXPECT_EQ(r.rows, 2);
  EXPECT_EQ(r.head_sha256, head);
  EXPECT_EQ(RawText(path_, "SELECT COUNT(*) FROM incidents WHERE notes_at IS NULL"), "1");
  Result<std::optional<model::Report>> in = store_->GetReport(1);
  ASSERT_TRUE(in.ok() && in->has_value()) << in.status().ToString();
  EXPECT_EQ((*in)->notes, notes);
  // New rows keep their notes' places beside the old row's.
  Ingest("a.csv", 2, 5, /*notes=*/true);
  EXPECT_EQ(RawText(path_, "SELECT COUNT(*) FROM incidents WHERE notes_at IS NOT NULL"), "2");
  r = Verify();
  EXPECT_TRUE(r.intact()) << Problems(r);
  // The old row given half a place (its notes column left as it was) is a changed row.
  RawExec(path_, "UPDATE incidents SET notes_len = 4 WHERE id = 1");
  r = Verify();
  ASSERT_EQ(r.problems.size(), 1u) << Problems(r);
  EXPECT_EQ(r.problems[0].kind, "genesis");
  EXPECT_EQ(r.problems[0].what, "incidents row 1 was changed after the entry recorded it");
}

// Schema 11: a database of before (its incidents' text values in their
// columns, recorded by its genesis entry) is migrated: every row reads the
// same, the log verifies with its head unchanged; new rows keep their
// repeated values once in incident_texts, and a change to a kept value, or a
// ref given to an old row, is a changed row.
TEST_P(EvidenceTest, ADatabaseWithTextValuesIsMigratedAndRepeatedValuesAreKeptOnce) {
  std::string sql = db_->SchemaAt(3);
  sql +=
      "INSERT INTO reports (dataset, source_file, file_hash, file_row, raw, content_hash) VALUES ('acled', 'old.csv', "
      "'f', 2, 'SYR1,Battles', 'h');\n"
      "INSERT INTO incidents (report_id, dataset, source_id, first_day, last_day, date_precision, event_type, "
      "sub_event_type, native_code, actor1, assoc_actor1, actor2, assoc_actor2, country, iso3, admin1, admin2, "
      "admin3, location, lat_deg, lon_deg, uncertainty_m, geo_precision, time_precision, fatalities, source, "
      "notes) VALUES (1, 'acled', 'SYR1', '2020-03-07', '2020-03-07', 'day', 'Explosions/Remote violence', "
      "'Armed clash', '', 'Military Forces of Syria', '', 'B', '', 'Syria', 'SYR', 'Idlib', '', '', 'Saraqib', "
      "35.86, 36.8, 0, 1, 1, 2, 'src', 'n');\n";
  RawExec(path_, sql);
  OpenAndMigrate();
  const std::string head = RawText(path_, "SELECT entry_sha256 FROM evidence WHERE seq = 1");
  EvidenceReport r = Verify();
  EXPECT_TRUE(r.intact()) << Problems(r);
  EXPECT_EQ(r.head_sha256, head);
  EXPECT_EQ(RawText(path_, "SELECT COUNT(*) FROM incidents WHERE location = 'Saraqib' AND location_ref IS NULL"),
            "1");
  Result<std::optional<model::Report>> in = store_->GetReport(1);
  ASSERT_TRUE(in.ok() && in->has_value()) << in.status().ToString();
  EXPECT_EQ((*in)->location, "Saraqib");
  EXPECT_EQ((*in)->actor1, "Military Forces of Syria");
  // New rows: their place and event type kept once, the old row as it was.
  Ingest("a.csv", 3, 5);
  EXPECT_EQ(RawText(path_, "SELECT COUNT(*) FROM incident_texts"), "2");
  EXPECT_EQ(RawText(path_, "SELECT COUNT(*) FROM incidents WHERE location = '' AND location_ref IS NOT NULL"), "3");
  EXPECT_EQ(RawText(path_, "SELECT COUNT(*) FROM incidents WHERE location_ref IS NULL"), "1");
  in = store_->GetReport(3);
  ASSERT_TRUE(in.ok() && in->has_value()) << in.status().ToString();
  EXPECT_EQ((*in)->location, "Saraqib");
  EXPECT_EQ((*in)->event_type, "Explosions/Remote violence");
  r = Verify();
  EXPECT_TRUE(r.intact()) << Problems(r);
  // A kept value changed: every row naming it changed.
  RawExec(path_, "UPDATE incident_texts SET value = 'Sarakib' WHERE value = 'Saraqib'");
  r = Verify();
  EXPECT_EQ(r.problems.size(), 1u) << Problems(r);
  ASSERT_FALSE(r.problems.empty());
  EXPECT_EQ(r.problems[0].what, "incidents row 2 was changed after the entry recorded it (3 rows of this part differ)");
  RawExec(path_, "UPDATE incident_texts SET value = 'Saraqib' WHERE value = 'Sarakib'");
  ASSERT_TRUE(Verify().intact());
  // The old row given a ref beside its text is a changed row.
  RawExec(path_, "UPDATE incidents SET admin1_ref = 1 WHERE id = 1");
  r = Verify();
  ASSERT_EQ(r.problems.size(), 1u) << Problems(r);
  EXPECT_EQ(r.problems[0].kind, "genesis");
  EXPECT_EQ(r.problems[0].what, "incidents row 1 was changed after the entry recorded it");
}

TEST(EvidenceFormatTest, RowTextAndEntryTextAreFrozen) {
  EvidenceEntry e;
  e.seq = 7;
  e.recorded_at = "2024-01-01T00:00:00Z";
  e.kind = "ingest";
  e.subject = "a\nb\\c.csv";
  e.payload_sha256 = std::string(64, 'a');
  e.prev_sha256 = std::string(64, 'b');
  EXPECT_EQ(EvidenceEntryText(e), "truce-evidence 1\nseq 7\ntime 2024-01-01T00:00:00Z\nkind ingest\n"
                                  "subject a\\x0ab\\x5cc.csv\npayload " +
                                      std::string(64, 'a') + "\nprev " + std::string(64, 'b') + "\n");
  auto db = sqlite::SqliteDb::Open(":memory:", 0, nullptr);
  ASSERT_TRUE(db.ok());
  auto s = (*db)->Prepare("SELECT 17 AS id, 'a\nb' AS raw, 35.86 AS lat_deg, NULL AS track, x'00ff' AS b", "t");
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(*s->Step("t"));
  std::string row;
  evidence::AppendRow(&row, "reports", *s);
  EXPECT_EQ(row, std::string("# reports\nid i2 17\nraw t3 a\nb\nlat_deg r5 35.86\ntrack n\nb b2 ") +
                     std::string("\x00\xff", 2) + "\n");
  EXPECT_EQ(evidence::RowLocator(""), "e3b0c44298fc1c14");  // sha256("") begins so
}

INSTANTIATE_TEST_SUITE_P(Sqlite, EvidenceTest, ::testing::Values(testdb::Engine::kSqlite), ParamName);
INSTANTIATE_TEST_SUITE_P(Postgres, EvidenceTest, ::testing::Values(testdb::Engine::kPostgres), ParamName);

}  // namespace
}  // namespace truce::store
