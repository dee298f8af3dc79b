// Data round trips, transactions and queries of the SQLite store, on real
// database files.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <unistd.h>

#include <gtest/gtest.h>

#include "truce/core/env.h"
#include "truce/core/strings.h"
#include "schema.h"
#include "sql_store.h"
#include "test_db.h"
#include "truce/store/store.h"

namespace truce::store {
namespace {

using testdb::Day;
using testdb::ParamName;

namespace fs = std::filesystem;

// Every test runs on both engines: Sqlite/... on a file, Postgres/... on a
// database of the test server (test_db.h).
class SqliteStoreTest : public ::testing::TestWithParam<testdb::Engine> {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    db_ = std::make_unique<testdb::TestDatabase>(GetParam(), std::string(info->name()));
    path_ = db_->db();
    store_ = Open();
    ASSERT_TRUE(store_);
    Status m = store_->Migrate();
    ASSERT_TRUE(m.ok()) << m.ToString();
  }

  void TearDown() override {
    store_.reset();
    db_.reset();
  }

  std::unique_ptr<Store> Open() {
    Result<std::unique_ptr<Store>> s = OpenStore(path_);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s).value() : nullptr;
  }

  // The first column of the first row, as text; the error's text if none.
  std::string Text(const std::string& sql) {
    Result<std::string> t = db_->QueryText(sql);
    return t.ok() ? *t : t.status().ToString();
  }

  static model::SourceRecord MakeSourceRecord(const std::string& raw) {
    model::SourceRecord r;
    r.dataset = "acled";
    r.source_file = "data/acled.csv";
    r.file_hash = "f00d";
    r.row = 2;
    r.raw = raw;
    r.content_hash = Sha256Hex("acled" + raw);
    return r;
  }

  std::int64_t AddSourceRecord(const std::string& raw) {
    Result<std::optional<std::int64_t>> id = store_->InsertSourceRecord(MakeSourceRecord(raw));
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    EXPECT_TRUE(id.ok() && id->has_value());
    return id.ok() && id->has_value() ? **id : 0;
  }

  // An incident with its own report, on [first, last].
  std::int64_t AddIncident(const std::string& first, const std::string& last = "", const std::string& loc = "") {
    model::Report in;
    in.record_id = AddSourceRecord("row " + std::to_string(++rows_));
    in.dataset = "acled";
    in.source_id = "SYR" + std::to_string(rows_);
    in.time.first_day = Day(first);
    in.time.last_day = Day(last.empty() ? first : last);
    in.location = loc.empty() ? "Saraqib" : loc;
    in.admin1 = "Idlib " + std::to_string(rows_);
    in.point = {35.86, 36.80};
    in.event_type = "Explosions/Remote violence";
    in.actor1 = "Military Forces of Syria (2000-)";
    in.actor2 = "HTS";
    in.fatalities = rows_;
    Result<std::int64_t> id = store_->InsertReport(in);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }

  // Findings as the ruler stores them for incidents of one report each: the
  // estimate is the report's own values (a finding of an unknown report
  // gets none, and the store refuses it).
  std::vector<FindingRow> Rows(const std::vector<model::Finding>& findings) {
    std::vector<FindingRow> rows;
    for (const model::Finding& f : findings) {
      FindingRow r;
      r.finding = f;
      Result<std::optional<model::Report>> in = store_->GetReport(f.incident_id);
      EXPECT_TRUE(in.ok()) << in.status().ToString();
      if (in.ok() && in->has_value()) {
        const model::Report& x = **in;
        r.date = x.time.first_day;
        r.last_date = x.time.last_day;
        r.location = x.location;
        r.admin1 = x.admin1;
        r.point = x.point;
        r.event_type = x.event_type;
        r.sub_event_type = x.sub_event_type;
        r.actor1 = x.actor1;
        r.actor2 = x.actor2;
        r.fatalities = r.fatalities_low = r.fatalities_high = x.fatalities;
        r.dataset = x.dataset;
        r.source_id = x.source_id;
      }
      rows.push_back(std::move(r));
    }
    return rows;
  }

  std::int64_t Count() {
    Result<std::int64_t> n = store_->CountReports();
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? *n : -1;
  }

  std::unique_ptr<testdb::TestDatabase> db_;
  std::string path_;  // a file or a URL
  std::unique_ptr<Store> store_;
  int rows_ = 0;
};

void ExpectSameIncident(const model::Report& a, const model::Report& b) {
  EXPECT_EQ(a.record_id, b.record_id);
  EXPECT_EQ(a.dataset, b.dataset);
  EXPECT_EQ(a.source_id, b.source_id);
  EXPECT_EQ(a.time.first_day, b.time.first_day);
  EXPECT_EQ(a.time.last_day, b.time.last_day);
  EXPECT_EQ(a.time.precision, b.time.precision);
  EXPECT_EQ(a.time.exact, b.time.exact);
  EXPECT_EQ(a.event_type, b.event_type);
  EXPECT_EQ(a.sub_event_type, b.sub_event_type);
  EXPECT_EQ(a.native_code, b.native_code);
  EXPECT_EQ(a.actor1, b.actor1);
  EXPECT_EQ(a.assoc_actor1, b.assoc_actor1);
  EXPECT_EQ(a.actor2, b.actor2);
  EXPECT_EQ(a.assoc_actor2, b.assoc_actor2);
  EXPECT_EQ(a.country, b.country);
  EXPECT_EQ(a.iso3, b.iso3);
  EXPECT_EQ(a.admin1, b.admin1);
  EXPECT_EQ(a.admin2, b.admin2);
  EXPECT_EQ(a.admin3, b.admin3);
  EXPECT_EQ(a.location, b.location);
  EXPECT_EQ(a.point, b.point);  // exact: doubles are stored as 8 bytes
  EXPECT_EQ(a.uncertainty_m, b.uncertainty_m);
  EXPECT_EQ(a.geo_precision, b.geo_precision);
  EXPECT_EQ(a.time_precision, b.time_precision);
  EXPECT_EQ(a.track, b.track);
  EXPECT_EQ(a.fatalities, b.fatalities);
  EXPECT_EQ(a.fatalities_low, b.fatalities_low);
  EXPECT_EQ(a.fatalities_high, b.fatalities_high);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.notes, b.notes);
  EXPECT_EQ(a.span_begin, b.span_begin);
  EXPECT_EQ(a.span_end, b.span_end);
  EXPECT_EQ(a.confidence, b.confidence);
}

void ExpectSameClaim(const model::Claim& a, const model::Claim& b) {
  EXPECT_EQ(a.record_id, b.record_id);
  EXPECT_EQ(a.kind, b.kind);
  EXPECT_EQ(a.count, b.count);
  EXPECT_EQ(a.qualifier, b.qualifier);
  EXPECT_EQ(a.claimant_name, b.claimant_name);
  EXPECT_EQ(a.claimant_country, b.claimant_country);
  EXPECT_EQ(a.claimant_kind, b.claimant_kind);
  EXPECT_EQ(a.subject_name, b.subject_name);
  EXPECT_EQ(a.subject_country, b.subject_country);
  EXPECT_EQ(a.by_name, b.by_name);
  EXPECT_EQ(a.by_country, b.by_country);
  EXPECT_EQ(a.from_day, b.from_day);
  EXPECT_EQ(a.to_day, b.to_day);
  EXPECT_EQ(a.area, b.area);
  EXPECT_EQ(a.text, b.text);
  EXPECT_EQ(a.span_begin, b.span_begin);
  EXPECT_EQ(a.span_end, b.span_end);
  EXPECT_EQ(a.sentence, b.sentence);
  EXPECT_EQ(a.confidence, b.confidence);
}

// ---------------------------------------------------------------- round trips

TEST_P(SqliteStoreTest, IncidentRoundTripsEveryField) {
  model::Report in;
  in.record_id = AddSourceRecord("1,SYR1,...");
  in.dataset = "ucdp";
  in.source_id = "SYR12345";
  in.time.first_day = Day("2020-03-01");
  in.time.last_day = Day("2020-03-31");
  in.time.precision = time::TimePrecision::kMonth;
  in.time.exact = time::Instant{Day("2020-03-05").time_since_epoch()} + std::chrono::hours(22) +
                  std::chrono::minutes(1) + std::chrono::seconds(7);
  in.event_type = "Explosions/Remote violence";
  in.sub_event_type = "Shelling/artillery/missile attack";
  in.native_code = "190";
  in.actor1 = "Military Forces of Syria (2000-)";
  in.assoc_actor1 = "قوات النمر";  // unicode survives
  in.actor2 = "Hayat Tahrir al-Sham";
  in.assoc_actor2 = "Civilians (Syria) 👥";
  in.country = "Syria";
  in.iso3 = "SYR";
  in.admin1 = "إدلب";
  in.admin2 = "Ariha";
  in.admin3 = "Mhambal";
  in.location = "Saraqib — \"east\", 'M4'";
  in.point = {35.862345678901234, -0.1};
  in.uncertainty_m = 2500.75;
  in.geo_precision = 2;
  in.time_precision = 3;
  in.track = {{{35.9, 36.1}, {35.91, 36.2}, {35.92, 36.3}}, {{1.0 / 3.0, -179.999999}, {-89.5, 179.25}}};
  in.fatalities = 12;
  in.fatalities_low = 10;
  in.fatalities_high = 15;
  in.source = "SOHR; Enab Baladi";
  in.notes = "On 5 March 2020, shelling hit...\nsecond line\twith tab";
  in.span_begin = 120;
  in.span_end = 5'000'000'000;  // beyond 32 bits
  in.confidence = 0.45;

  Result<std::int64_t> id = store_->InsertReport(in);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_GT(*id, 0);
  Result<std::optional<model::Report>> back = store_->GetReport(*id);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ASSERT_TRUE(back->has_value());
  EXPECT_EQ((*back)->id, *id);
  ExpectSameIncident(**back, in);

  // And through a second connection, from the file.
  auto other = Open();
  ASSERT_TRUE(other);
  Result<std::optional<model::Report>> again = other->GetReport(*id);
  ASSERT_TRUE(again.ok() && again->has_value());
  ExpectSameIncident(**again, in);
}

TEST_P(SqliteStoreTest, IncidentWithEmptyOptionalFieldsRoundTrips) {
  model::Report in;
  in.record_id = AddSourceRecord("minimal");
  in.time.first_day = Day("2019-12-31");
  in.time.last_day = Day("2019-12-31");
  Result<std::int64_t> id = store_->InsertReport(in);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  Result<std::optional<model::Report>> back = store_->GetReport(*id);
  ASSERT_TRUE(back.ok() && back->has_value()) << back.status().ToString();
  ExpectSameIncident(**back, in);
  EXPECT_FALSE((*back)->time.exact.has_value());
  EXPECT_TRUE((*back)->track.empty());
  EXPECT_FALSE((*back)->fatalities_low.has_value());
  EXPECT_FALSE((*back)->fatalities_high.has_value());
  EXPECT_FALSE((*back)->span_begin.has_value());
  EXPECT_FALSE((*back)->span_end.has_value());
}

TEST_P(SqliteStoreTest, ClaimsRoundTripEveryFieldAndListByReport) {
  const std::int64_t r1 = AddSourceRecord("news one");
  const std::int64_t r2 = AddSourceRecord("news two");
  model::Claim full;
  full.record_id = r1;
  full.kind = "killed";
  full.count = 3200.5;
  full.qualifier = "more_than";
  full.claimant_name = "Turkish Defence Ministry";
  full.claimant_country = "TUR";
  full.claimant_kind = "state";
  full.subject_name = "Syrian soldiers";
  full.subject_country = "SYR";
  full.by_name = "Turkish forces";
  full.by_country = "TUR";
  full.from_day = "2020-02-03";
  full.to_day = "2020-03-05";
  full.area = "Idlib";
  full.text = "";
  full.span_begin = 10;
  full.span_end = 99;
  full.sentence = "The ministry said more than 3,200 \"soldiers\" — إدلب.";
  full.confidence = 0.85;

  model::Claim accusation;  // no count, no period, no span: NULLs
  accusation.record_id = r2;
  accusation.kind = "accusation";
  accusation.claimant_name = "Moscow";
  accusation.claimant_country = "RUS";
  accusation.claimant_kind = "state";
  accusation.by_name = "Ankara";
  accusation.by_country = "TUR";
  accusation.text = "violating the deal";
  accusation.sentence = "Moscow accused Ankara of violating the deal.";
  accusation.confidence = 0.6;

  model::Claim vague = full;
  vague.count.reset();
  vague.qualifier = "vague";
  vague.text = "hundreds of thousands";
  vague.from_day.clear();
  vague.to_day.clear();

  std::vector<std::int64_t> ids;
  for (const model::Claim* c : {&full, &accusation, &vague}) {
    Result<std::int64_t> id = store_->InsertClaim(*c);
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    ids.push_back(*id);
  }
  EXPECT_LT(ids[0], ids[1]);
  EXPECT_LT(ids[1], ids[2]);

  Result<std::vector<model::Claim>> all = store_->ListClaims(0);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, ids[0]);
  ExpectSameClaim((*all)[0], full);
  ExpectSameClaim((*all)[1], accusation);
  ExpectSameClaim((*all)[2], vague);
  EXPECT_FALSE((*all)[1].count.has_value());
  EXPECT_FALSE((*all)[1].span_begin.has_value());

  Result<std::vector<model::Claim>> of_r2 = store_->ListClaims(r2);
  ASSERT_TRUE(of_r2.ok());
  ASSERT_EQ(of_r2->size(), 1u);
  EXPECT_EQ((*of_r2)[0].kind, "accusation");
  Result<std::vector<model::Claim>> of_none = store_->ListClaims(r2 + 1000);
  ASSERT_TRUE(of_none.ok());
  EXPECT_TRUE(of_none->empty());
}

TEST_P(SqliteStoreTest, BadClaimsAreRefused) {
  model::Claim no_kind;
  no_kind.record_id = AddSourceRecord("r");
  Result<std::int64_t> a = store_->InsertClaim(no_kind);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument);
  // The report must exist (foreign key).
  model::Claim orphan;
  orphan.record_id = 987654;
  orphan.kind = "killed";
  Result<std::int64_t> b = store_->InsertClaim(orphan);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), StatusCode::kDatabaseError);
  Result<std::vector<model::Claim>> all = store_->ListClaims(0);
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->empty());
}

TEST_P(SqliteStoreTest, ClaimsRollBackWithTheTransaction) {
  ASSERT_TRUE(store_->Begin().ok());
  model::Claim c;
  c.record_id = AddSourceRecord("r");
  c.kind = "injured";
  c.count = 4;
  ASSERT_TRUE(store_->InsertClaim(c).ok());
  ASSERT_TRUE(store_->Rollback().ok());
  Result<std::vector<model::Claim>> all = store_->ListClaims(0);
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->empty());
}

TEST_P(SqliteStoreTest, MissingIdsAreNullopt) {
  Result<std::optional<model::Report>> in = store_->GetReport(424242);
  ASSERT_TRUE(in.ok());
  EXPECT_FALSE(in->has_value());
  Result<std::optional<model::SourceRecord>> r = store_->GetSourceRecord(424242);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
}

TEST_P(SqliteStoreTest, ReportRoundTripsAndDuplicatesAreIgnored) {
  model::SourceRecord r = MakeSourceRecord("1,\"Saraqib, Idlib\",إدلب,\r\n\"quoted \"\"x\"\"\"");
  r.row = 17;
  Result<std::optional<std::int64_t>> id = store_->InsertSourceRecord(r);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  ASSERT_TRUE(id->has_value());
  Result<std::optional<model::SourceRecord>> back = store_->GetSourceRecord(**id);
  ASSERT_TRUE(back.ok() && back->has_value());
  EXPECT_EQ((*back)->id, **id);
  EXPECT_EQ((*back)->dataset, r.dataset);
  EXPECT_EQ((*back)->source_file, r.source_file);
  EXPECT_EQ((*back)->file_hash, r.file_hash);
  EXPECT_EQ((*back)->row, 17);
  EXPECT_EQ((*back)->raw, r.raw);
  EXPECT_EQ((*back)->content_hash, r.content_hash);

  // Same content hash, even from another file and row: nothing added.
  model::SourceRecord dup = r;
  dup.source_file = "elsewhere.csv";
  dup.row = 99;
  Result<std::optional<std::int64_t>> again = store_->InsertSourceRecord(dup);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_FALSE(again->has_value());
  EXPECT_EQ((*store_->GetSourceRecord(**id))->source_file, r.source_file);

  // A different report still goes in, with a new id.
  Result<std::optional<std::int64_t>> next = store_->InsertSourceRecord(MakeSourceRecord("another row"));
  ASSERT_TRUE(next.ok() && next->has_value());
  EXPECT_NE(**next, **id);
}

// A batch (what an ingest stores) gives the rows, ids and evidence that one
// call per row gives: on PostgreSQL it goes as arrays (sql::Db::InsertRows),
// so texts that an array literal must escape are in it, NULLs and numbers.
TEST_P(SqliteStoreTest, BatchInsertsStoreWhatOneAtATimeStores) {
  const std::int64_t stored = AddSourceRecord("stored before");
  ASSERT_TRUE(store_->Begin().ok());
  std::vector<model::SourceRecord> recs;
  for (const char* raw : {"a \"quoted\" {brace}, comma\\back\\slash", "NULL", "", "stored before", "line\nbreak \u0625",
                          "NULL"}) {
    recs.push_back(MakeSourceRecord(raw));
    recs.back().row = static_cast<std::int64_t>(recs.size()) + 1;
  }
  std::vector<const model::SourceRecord*> ptrs;
  for (const model::SourceRecord& r : recs) ptrs.push_back(&r);
  Result<std::vector<std::optional<std::int64_t>>> ids = store_->InsertSourceRecords(ptrs);
  ASSERT_TRUE(ids.ok()) << ids.status().ToString();
  ASSERT_EQ(ids->size(), recs.size());
  // The one stored before and the second "NULL" (the same content hash
  // earlier in the batch) are not added; the others get ascending new ids.
  EXPECT_FALSE((*ids)[3].has_value());
  EXPECT_FALSE((*ids)[5].has_value());
  std::int64_t last = stored;
  for (std::size_t i : {0, 1, 2, 4}) {
    ASSERT_TRUE((*ids)[i].has_value()) << i;
    EXPECT_GT(*(*ids)[i], last);
    last = *(*ids)[i];
    Result<std::optional<model::SourceRecord>> back = store_->GetSourceRecord(*(*ids)[i]);
    ASSERT_TRUE(back.ok() && back->has_value());
    EXPECT_EQ((*back)->raw, recs[i].raw);
    EXPECT_EQ((*back)->row, recs[i].row);
    EXPECT_EQ((*back)->content_hash, recs[i].content_hash);
  }

  std::vector<model::Report> reports(3);
  for (std::size_t k = 0; k < reports.size(); ++k) {
    model::Report& in = reports[k];
    in.record_id = *(*ids)[k];
    in.dataset = "acled";
    in.source_id = "SYR" + std::to_string(k) + " \"x\"";
    in.time.first_day = Day("2020-03-05");
    in.time.last_day = Day("2020-03-0" + std::to_string(5 + k));
    in.location = k == 1 ? "NULL" : "Sar{a}qib, \\";
    in.point = {35.86 + 0.1 * static_cast<double>(k), 36.8};
    in.uncertainty_m = 2000.5;
    in.fatalities = static_cast<int>(k);
    in.confidence = 0.1 * static_cast<double>(k + 1);
  }
  reports[0].time.exact = time::Instant{} + std::chrono::seconds(1583400000);
  reports[0].fatalities_low = 1;
  reports[0].fatalities_high = 4;
  reports[1].track = {{{35.0, 36.0}, {35.5, 36.5}}};
  reports[2].span_begin = 3;
  reports[2].span_end = 17;
  std::vector<const model::Report*> rptrs;
  for (const model::Report& r : reports) rptrs.push_back(&r);
  Result<std::vector<std::int64_t>> rids = store_->InsertReports(rptrs, {});
  ASSERT_TRUE(rids.ok()) << rids.status().ToString();
  ASSERT_EQ(rids->size(), 3u);
  // One more the old way, after the batch.
  model::Report single = reports[2];
  Result<std::int64_t> sid = store_->InsertReport(single);
  ASSERT_TRUE(sid.ok()) << sid.status().ToString();
  ASSERT_TRUE(store_->Commit().ok());
  for (std::size_t k = 0; k < reports.size(); ++k) {
    Result<std::optional<model::Report>> back = store_->GetReport((*rids)[k]);
    ASSERT_TRUE(back.ok() && back->has_value()) << k;
    const model::Report& b = **back;
    const model::Report& in = reports[k];
    EXPECT_EQ(b.record_id, in.record_id);
    EXPECT_EQ(b.source_id, in.source_id);
    EXPECT_EQ(b.location, in.location);
    EXPECT_EQ(b.time.last_day, in.time.last_day);
    EXPECT_EQ(b.time.exact.has_value(), in.time.exact.has_value());
    EXPECT_EQ(b.point.lat_deg, in.point.lat_deg);  // exactly: the shortest text that reads back
    EXPECT_EQ(b.uncertainty_m, in.uncertainty_m);
    EXPECT_EQ(b.confidence, in.confidence);
    EXPECT_EQ(b.fatalities_low, in.fatalities_low);
    EXPECT_EQ(b.fatalities_high, in.fatalities_high);
    EXPECT_EQ(b.track.size(), in.track.size());
    EXPECT_EQ(b.span_begin, in.span_begin);
    EXPECT_EQ(b.span_end, in.span_end);
  }
  EXPECT_GT(*sid, (*rids)[2]);
  // Every row covered, and as stored.
  Result<EvidenceReport> ev = store_->VerifyEvidence();
  ASSERT_TRUE(ev.ok()) << ev.status().ToString();
  EXPECT_TRUE(ev->intact()) << (ev->problems.empty() ? "" : ev->problems[0].what);
  // An empty batch stores nothing.
  Result<std::vector<std::optional<std::int64_t>>> none = store_->InsertSourceRecords({});
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_TRUE(none->empty());
}

// Schema 10: a report's notes are kept as their place in its raw record
// where that holds them (each '"' doubled, as a CSV field), and every reader
// gets them back as given; else, and when no raw record is given, as they are.
TEST_P(SqliteStoreTest, NotesAreKeptAsTheirPlaceInTheRawRecordAndReadBackAsGiven) {
  const bool sqlite = GetParam() == testdb::Engine::kSqlite;
  struct Case {
    std::string raw, notes;
    bool placed;
  };
  const std::string long_raw = "SYR9,\"" + std::string(70000, 'x') + "\",the notes past the limit";
  std::vector<Case> cases = {
      // quotes, doubled in the raw text
      {"SYR1,7 March 2020,\"Shelling of \"\"the\"\" market, \"\"twice\"\".\",3",
       "Shelling of \"the\" market, \"twice\".", true},
      // multibyte UTF-8 before the notes and in them: a place in characters
      {"SYR2,\xd8\xad\xd9\x84\xd8\xa8 \xe2\x80\x94 Aleppo \xf0\x9f\x98\x80,On 7 March, \xc3\xa9 shelling hit Saraqib,0",
       "On 7 March, \xc3\xa9 shelling hit Saraqib", true},
      // a raw record without the notes: the column's text
      {"SYR3,7 March 2020,something else entirely,0", "Notes the ingest wrote itself: Actor1Code=X", false},
      // short notes are stored as they are
      {"SYR4,7 March 2020,Short notes,0", "Short notes", false},
      // the notes, then a stray continuation byte: SQLite would count it into
      // their last character (PostgreSQL stores no invalid UTF-8)
      {std::string("SYR5,shelled the town of Sarm\xc3\xa9") + (sqlite ? "\x80" : "") + ",0",
       "shelled the town of Sarm\xc3\xa9", !sqlite},
      // the notes twice: the first place
      {"SYR6,notes told twice over,notes told twice over,0", "notes told twice over", true},
      // a raw record over 64 KiB is not searched
      {long_raw, "the notes past the limit", false},
  };
  if (sqlite) {
    // Invalid UTF-8 or a NUL before the notes: SQLite would count otherwise.
    cases.push_back({std::string("SYR7,\xff,the notes after a bad byte,0"), "the notes after a bad byte", false});
    cases.push_back({std::string("SYR8,\0,the notes after a NUL byte,0", 33), "the notes after a NUL byte", false});
  }
  ASSERT_TRUE(store_->Begin().ok());
  std::vector<model::Report> reports(cases.size());
  std::vector<std::string_view> raws;
  std::vector<const model::Report*> ptrs;
  for (std::size_t k = 0; k < cases.size(); ++k) {
    model::Report& in = reports[k];
    in.record_id = AddSourceRecord(cases[k].raw);
    in.dataset = "acled";
    in.source_id = "SYR" + std::to_string(k + 1);
    in.time.first_day = in.time.last_day = Day("2020-03-07");
    in.location = "Saraqib";
    in.point = {35.86, 36.80};
    in.notes = cases[k].notes;
    raws.push_back(cases[k].raw);
    ptrs.push_back(&in);
  }
  Result<std::vector<std::int64_t>> ids = store_->InsertReports(ptrs, raws);
  ASSERT_TRUE(ids.ok()) << ids.status().ToString();
  // Without raw records (InsertReport): as they are.
  model::Report plain = reports[0];
  Result<std::int64_t> plain_id = store_->InsertReport(plain);
  ASSERT_TRUE(plain_id.ok()) << plain_id.status().ToString();
  Result<std::vector<std::int64_t>> wrong = store_->InsertReports(ptrs, {raws[0]});
  EXPECT_EQ(wrong.status().code(), StatusCode::kInvalidArgument);
  // The second joins the first's incident: a page reads it as a member.
  ASSERT_TRUE(store_->SetMembers({{(*ids)[1], (*ids)[0], 0.9, "near", "matcher"}}, false).ok());
  ASSERT_TRUE(store_->Commit().ok());

  for (std::size_t k = 0; k < cases.size(); ++k) {
    const std::string id = std::to_string((*ids)[k]);
    SCOPED_TRACE("case " + std::to_string(k + 1));
    EXPECT_EQ(Text("SELECT notes_at IS NOT NULL FROM incidents WHERE id = " + id),
              cases[k].placed ? (sqlite ? "1" : "t") : (sqlite ? "0" : "f"));
    EXPECT_EQ(Text("SELECT notes FROM incidents WHERE id = " + id), cases[k].placed ? "" : cases[k].notes);
    Result<std::optional<model::Report>> back = store_->GetReport((*ids)[k]);
    ASSERT_TRUE(back.ok() && back->has_value()) << back.status().ToString();
    EXPECT_EQ((*back)->notes, cases[k].notes);
  }
  // The place is in characters: 'SYR2,حلب — Aleppo 😀,' is 20 of them (28
  // bytes), the notes 34 (35 bytes).
  EXPECT_EQ(Text("SELECT notes_at FROM incidents WHERE id = " + std::to_string((*ids)[1])), "20");
  EXPECT_EQ(Text("SELECT notes_len FROM incidents WHERE id = " + std::to_string((*ids)[1])), "34");
  EXPECT_EQ(Text("SELECT notes_at IS NULL FROM incidents WHERE id = " + std::to_string(*plain_id)),
            sqlite ? "1" : "t");
  // Every other reader: the incidents in order, and a page with its member.
  std::vector<std::string> seen;
  ASSERT_TRUE(store_->ForEachReport({}, [&](const model::Report& r) {
    seen.push_back(r.notes);
    return Status::Ok();
  }).ok());
  ASSERT_EQ(seen.size(), cases.size() + 1);
  for (std::size_t k = 0; k < cases.size(); ++k) EXPECT_EQ(seen[k], cases[k].notes) << k;
  IncidentPage page;
  ASSERT_TRUE(store_->ReadIncidentPage(0, 100, &page).ok());
  ASSERT_GE(page.reports.size(), 2u);
  EXPECT_EQ(page.reports[0]->notes, cases[0].notes);
  EXPECT_EQ(page.members[1].report_id, (*ids)[1]);
  EXPECT_EQ(page.reports[1]->notes, cases[1].notes);
  Result<EvidenceReport> ev = store_->VerifyEvidence();
  ASSERT_TRUE(ev.ok()) << ev.status().ToString();
  EXPECT_TRUE(ev->intact()) << (ev->problems.empty() ? "" : ev->problems[0].what);
}

// Schema 11: an incident's text values of 4 to 200 bytes are kept once in
// incident_texts, the row holding '' and the value's id; shorter and longer
// ones stay in the row. Every reader reads them back as given.
TEST_P(SqliteStoreTest, RepeatedTextValuesAreKeptOnceAndReadBackAsGiven) {
  const bool sqlite = GetParam() == testdb::Engine::kSqlite;
  const std::string long_actor(201, 'a');
  const std::string longest_kept(200, 'b');
  ASSERT_TRUE(store_->Begin().ok());
  std::vector<model::Report> reports(3);
  std::vector<const model::Report*> ptrs;
  for (std::size_t k = 0; k < reports.size(); ++k) {
    model::Report& in = reports[k];
    in.record_id = AddSourceRecord("row " + std::to_string(k));
    in.dataset = "acled";
    in.source_id = "SYR" + std::to_string(k + 1);
    in.time.first_day = in.time.last_day = Day("2020-03-07");
    in.event_type = "Explosions/Remote violence";
    in.sub_event_type = k == 0 ? "Shelling/artillery/missile attack" : "Air/drone strike";
    in.actor1 = "Military Forces of Syria (2000-)";
    in.assoc_actor1 = k == 2 ? long_actor : longest_kept;
    in.actor2 = "HTS";  // 3 bytes: in the row
    in.assoc_actor2 = "";
    in.country = "Syria";
    in.iso3 = "SYR";
    in.admin1 = "Idlib";
    in.admin2 = "Ariha \xd8\xad\xd9\x84\xd8\xa8 \"x\" 'y'";
    in.admin3 = "Sarm";
    in.location = k == 1 ? "Saraqib" : "Ariha";
    in.source = "SOHR";
    in.point = {35.86, 36.80};
    in.notes = "shelling";
    ptrs.push_back(&in);
  }
  Result<std::vector<std::int64_t>> ids = store_->InsertReports(ptrs, {});
  ASSERT_TRUE(ids.ok()) << ids.status().ToString();
  // One more alone (InsertReport), its values found where the batch put them.
  Result<std::int64_t> one = store_->InsertReport(reports[1]);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  ids->push_back(*one);
  reports.push_back(reports[1]);
  ASSERT_TRUE(store_->SetMembers({{(*ids)[1], (*ids)[0], 0.9, "near", "matcher"}}, false).ok());
  ASSERT_TRUE(store_->Commit().ok());

  // Each value once: the event type, two sub-event types, the actor, the
  // 200-byte associate, the country, admin1, admin2, admin3, two locations,
  // the source.
  EXPECT_EQ(Text("SELECT COUNT(*) FROM incident_texts"), "12");
  EXPECT_EQ(Text("SELECT COUNT(*) FROM incidents WHERE actor1 = '' AND actor1_ref IS NOT NULL"), "4");
  EXPECT_EQ(Text("SELECT COUNT(DISTINCT actor1_ref) FROM incidents"), "1");
  EXPECT_EQ(Text("SELECT actor2 FROM incidents WHERE id = " + std::to_string((*ids)[0])), "HTS");
  EXPECT_EQ(Text("SELECT COUNT(*) FROM incidents WHERE actor2_ref IS NULL AND iso3 = 'SYR'"), "4");
  EXPECT_EQ(Text("SELECT assoc_actor1 FROM incidents WHERE id = " + std::to_string((*ids)[2])), long_actor);
  EXPECT_EQ(Text("SELECT assoc_actor1_ref IS NULL FROM incidents WHERE id = " + std::to_string((*ids)[2])),
            sqlite ? "1" : "t");
  EXPECT_EQ(Text("SELECT assoc_actor1 = '' AND assoc_actor1_ref IS NOT NULL FROM incidents WHERE id = " +
                 std::to_string((*ids)[0])),
            sqlite ? "1" : "t");
  auto same = [](const model::Report& got, const model::Report& want) {
    EXPECT_EQ(got.event_type, want.event_type);
    EXPECT_EQ(got.sub_event_type, want.sub_event_type);
    EXPECT_EQ(got.actor1, want.actor1);
    EXPECT_EQ(got.assoc_actor1, want.assoc_actor1);
    EXPECT_EQ(got.actor2, want.actor2);
    EXPECT_EQ(got.assoc_actor2, want.assoc_actor2);
    EXPECT_EQ(got.country, want.country);
    EXPECT_EQ(got.iso3, want.iso3);
    EXPECT_EQ(got.admin1, want.admin1);
    EXPECT_EQ(got.admin2, want.admin2);
    EXPECT_EQ(got.admin3, want.admin3);
    EXPECT_EQ(got.location, want.location);
    EXPECT_EQ(got.source, want.source);
  };
  for (std::size_t k = 0; k < reports.size(); ++k) {
    SCOPED_TRACE("report " + std::to_string(k));
    Result<std::optional<model::Report>> back = store_->GetReport((*ids)[k]);
    ASSERT_TRUE(back.ok() && back->has_value()) << back.status().ToString();
    same(**back, reports[k]);
  }
  std::vector<model::Report> seen;
  ASSERT_TRUE(store_->ForEachReport({}, [&](const model::Report& r) {
    seen.push_back(r);
    return Status::Ok();
  }).ok());
  ASSERT_EQ(seen.size(), reports.size());
  for (std::size_t k = 0; k < reports.size(); ++k) same(seen[k], reports[k]);
  IncidentPage page;
  ASSERT_TRUE(store_->ReadIncidentPage(0, 100, &page).ok());
  ASSERT_GE(page.reports.size(), 2u);
  EXPECT_EQ(page.members[1].report_id, (*ids)[1]);
  same(*page.reports[1], reports[1]);
  Result<EvidenceReport> ev = store_->VerifyEvidence();
  ASSERT_TRUE(ev.ok()) << ev.status().ToString();
  EXPECT_TRUE(ev->intact()) << (ev->problems.empty() ? "" : ev->problems[0].what);
  // The rows written back with every value in the row, as schema 10 kept
  // them: the evidence log reads the same text.
  for (const char* c : kIncidentTextColumns) {
    const std::string col = c;
    Status st = db_->Exec("UPDATE incidents SET " + col + " = (SELECT t.value FROM incident_texts AS t WHERE t.id = " +
                          col + "_ref), " + col + "_ref = NULL WHERE " + col + "_ref IS NOT NULL");
    ASSERT_TRUE(st.ok()) << col << ": " << st.ToString();
  }
  EXPECT_EQ(Text("SELECT COUNT(*) FROM incidents WHERE actor1 = 'Military Forces of Syria (2000-)'"), "4");
  ev = store_->VerifyEvidence();
  ASSERT_TRUE(ev.ok()) << ev.status().ToString();
  EXPECT_TRUE(ev->intact()) << (ev->problems.empty() ? "" : ev->problems[0].what);
  // A ref naming no value: reading the incident says so.
  ASSERT_TRUE(db_->Exec("UPDATE incidents SET actor2_ref = 999999 WHERE id = " + std::to_string((*ids)[0])).ok());
  Result<std::optional<model::Report>> bad = store_->GetReport((*ids)[0]);
  EXPECT_EQ(bad.status().code(), StatusCode::kDatabaseError);
  EXPECT_NE(bad.status().message().find("incident " + std::to_string((*ids)[0]) +
                                        ": actor2_ref 999999 names no incident_texts row"),
            std::string::npos)
      << bad.status().ToString();
}

TEST(NotesPlaceTest, APlaceIsCountedInCharactersOrInBytesWhereEveryCharacterIsOne) {
  std::string scratch;
  using Place = std::optional<std::pair<std::int64_t, std::int64_t>>;
  const std::string raw = "a,\xc3\xa9\xc3\xa9,\"the \"\"long\"\" notes here\",b";
  EXPECT_EQ(NotesPlace(raw, "the \"long\" notes here", true, &scratch), Place({6, 23}));
  // Another encoding than UTF-8 (a PostgreSQL server's): only where all is ASCII.
  EXPECT_EQ(NotesPlace(raw, "the \"long\" notes here", false, &scratch), std::nullopt);
  EXPECT_EQ(NotesPlace("abc,the long notes here \xc3\xa9", "the long notes here", false, &scratch), Place({4, 19}));
  // 16 bytes as the raw text holds them: 15 plain bytes are too few, with a
  // quote doubled they are enough.
  EXPECT_EQ(NotesPlace("x,fifteen bytes!!", "fifteen bytes!!", true, &scratch), std::nullopt);
  EXPECT_EQ(NotesPlace("x,\"fifteen \"\"bytes!\"", "fifteen \"bytes!", true, &scratch), Place({3, 16}));
  // Not there as a CSV holds them (quotes not doubled).
  EXPECT_EQ(NotesPlace("x,the \"long\" notes here", "the \"long\" notes here", true, &scratch), std::nullopt);
  EXPECT_EQ(NotesPlace("", "the long notes here", true, &scratch), std::nullopt);
  // At the raw text's very end: a longer notes_len would read the same.
  EXPECT_EQ(NotesPlace("x,the long notes here", "the long notes here", true, &scratch), std::nullopt);
  EXPECT_EQ(NotesPlace("x,the long notes here,", "the long notes here", true, &scratch), Place({2, 19}));
}

TEST_P(SqliteStoreTest, ReportWithoutContentHashIsInvalid) {
  model::SourceRecord r = MakeSourceRecord("x");
  r.content_hash.clear();
  EXPECT_EQ(store_->InsertSourceRecord(r).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(SqliteStoreTest, FilesRoundTripAndUpdate) {
  Result<std::optional<FileRecord>> none = store_->FindFile("abc");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  FileRecord f{"abc", "data/acled_syria_2020.csv", "acled-2023", 120, 118, "2024-01-02T03:04:05Z"};
  ASSERT_TRUE(store_->PutFile(f).ok());
  Result<std::optional<FileRecord>> got = store_->FindFile("abc");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->file_hash, f.file_hash);
  EXPECT_EQ((*got)->path, f.path);
  EXPECT_EQ((*got)->dataset, f.dataset);
  EXPECT_EQ((*got)->records, 120);
  EXPECT_EQ((*got)->added, 118);
  EXPECT_EQ((*got)->ingested_at, f.ingested_at);

  f.path = "renamed.csv";
  f.added = 0;
  ASSERT_TRUE(store_->PutFile(f).ok());
  got = store_->FindFile("abc");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->path, "renamed.csv");
  EXPECT_EQ((*got)->added, 0);

  FileRecord bad = f;
  bad.file_hash.clear();
  EXPECT_EQ(store_->PutFile(bad).code(), StatusCode::kInvalidArgument);
}

// ---------------------------------------------------------------- transactions

TEST_P(SqliteStoreTest, RollbackLeavesNothing) {
  ASSERT_TRUE(store_->Begin().ok());
  std::int64_t a = AddIncident("2020-03-05");
  AddIncident("2020-03-06");
  EXPECT_EQ(Count(), 2);  // visible inside the transaction
  ASSERT_TRUE(store_->Rollback().ok());
  EXPECT_EQ(Count(), 0);
  EXPECT_FALSE(store_->GetReport(a)->has_value());
  Result<std::optional<model::SourceRecord>> r = store_->GetSourceRecord(1);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
}

TEST_P(SqliteStoreTest, CommitKeeps) {
  ASSERT_TRUE(store_->Begin().ok());
  AddIncident("2020-03-05");
  ASSERT_TRUE(store_->Commit().ok());
  store_.reset();
  store_ = Open();
  ASSERT_TRUE(store_);
  EXPECT_EQ(Count(), 1);
}

TEST_P(SqliteStoreTest, FailureMidTransactionThenRollbackLeavesTheDatabaseAsBefore) {
  std::int64_t kept = AddIncident("2020-03-01");  // committed before
  ASSERT_EQ(Count(), 1);

  ASSERT_TRUE(store_->Begin().ok());
  AddIncident("2020-03-05");
  model::Report orphan;
  orphan.record_id = 999999;  // no such report
  orphan.source_id = "ORPHAN";
  orphan.time.first_day = orphan.time.last_day = Day("2020-03-06");
  Result<std::int64_t> bad = store_->InsertReport(orphan);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kDatabaseError);
  EXPECT_NE(ToLowerAscii(bad.status().message()).find("foreign key"), std::string::npos) << bad.status().message();
  EXPECT_NE(bad.status().message().find("ORPHAN"), std::string::npos) << bad.status().message();
  EXPECT_NE(bad.status().message().find(path_), std::string::npos) << bad.status().message();
  ASSERT_TRUE(store_->Rollback().ok());

  EXPECT_EQ(Count(), 1);
  EXPECT_TRUE(store_->GetReport(kept)->has_value());
}

TEST_P(SqliteStoreTest, TransactionMisuseIsAFailedPrecondition) {
  EXPECT_EQ(store_->Commit().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->Rollback().code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(store_->Begin().ok());
  EXPECT_EQ(store_->Begin().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(store_->Commit().ok());
  EXPECT_EQ(store_->Commit().code(), StatusCode::kFailedPrecondition);
}

TEST_P(SqliteStoreTest, ClosingRollsBackAnOpenTransaction) {
  ASSERT_TRUE(store_->Begin().ok());
  AddIncident("2020-03-05");
  store_.reset();
  store_ = Open();
  ASSERT_TRUE(store_);
  EXPECT_EQ(Count(), 0);
}

TEST_P(SqliteStoreTest, ConcurrentReaderSeesCommittedDataOnly) {
  auto reader = Open();
  ASSERT_TRUE(reader);
  ASSERT_TRUE(store_->Begin().ok());
  std::int64_t id = AddIncident("2020-03-05");
  Result<std::int64_t> during = reader->CountReports();
  ASSERT_TRUE(during.ok()) << during.status().ToString();
  EXPECT_EQ(*during, 0);
  EXPECT_FALSE(reader->GetReport(id)->has_value());
  ASSERT_TRUE(store_->Commit().ok());
  EXPECT_EQ(*reader->CountReports(), 1);
  EXPECT_TRUE(reader->GetReport(id)->has_value());
}

// What a SQLite file's header says of its journal (byte 18): 1 a rollback
// journal, 2 WAL.
int JournalByte(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return -1;
  unsigned char header[20] = {};
  const std::size_t got = std::fread(header, 1, sizeof header, f);
  std::fclose(f);
  return got == sizeof header ? header[18] : -1;
}

TEST_P(SqliteStoreTest, BulkTransactionsRollBackAndCommitLikeOthers) {
  ASSERT_TRUE(store_->BeginBulk().ok());
  EXPECT_EQ(store_->BeginBulk().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->Begin().code(), StatusCode::kFailedPrecondition);
  std::int64_t gone = AddIncident("2020-03-05");
  ASSERT_TRUE(store_->Rollback().ok());
  EXPECT_EQ(Count(), 0);
  EXPECT_FALSE(store_->GetReport(gone)->has_value());
  ASSERT_TRUE(store_->BeginBulk().ok());
  std::int64_t kept = AddIncident("2020-03-06");
  ASSERT_TRUE(store_->Commit().ok());
  // And an ordinary one after it.
  ASSERT_TRUE(store_->Begin().ok());
  AddIncident("2020-03-07");
  ASSERT_TRUE(store_->Commit().ok());
  store_.reset();
  store_ = Open();
  ASSERT_TRUE(store_);
  EXPECT_EQ(Count(), 2);
  EXPECT_TRUE(store_->GetReport(kept)->has_value());
  Result<EvidenceReport> ev = store_->VerifyEvidence();
  ASSERT_TRUE(ev.ok()) << ev.status().ToString();
  EXPECT_TRUE(ev->intact()) << (ev->problems.empty() ? "" : ev->problems[0].what);
}

TEST_P(SqliteStoreTest, BulkTransactionTakesARollbackJournalOnlyWhenAlone) {
  if (GetParam() != testdb::Engine::kSqlite) GTEST_SKIP() << "SQLite's journal";
  ASSERT_EQ(JournalByte(path_), 2);
  // Alone: a rollback journal while it runs, WAL again after the commit.
  ASSERT_TRUE(store_->BeginBulk().ok());
  EXPECT_EQ(JournalByte(path_), 1);
  AddIncident("2020-03-05");
  ASSERT_TRUE(store_->Commit().ok());
  EXPECT_EQ(JournalByte(path_), 2);
  // And after a rollback.
  ASSERT_TRUE(store_->BeginBulk().ok());
  EXPECT_EQ(JournalByte(path_), 1);
  AddIncident("2020-03-06");
  ASSERT_TRUE(store_->Rollback().ok());
  EXPECT_EQ(JournalByte(path_), 2);
  // With another connection open: the WAL, and its reader is not blocked.
  auto reader = Open();
  ASSERT_TRUE(reader);
  ASSERT_EQ(*reader->CountReports(), 1);
  ASSERT_TRUE(store_->BeginBulk().ok());
  EXPECT_EQ(JournalByte(path_), 2);
  AddIncident("2020-03-07");
  Result<std::int64_t> during = reader->CountReports();
  ASSERT_TRUE(during.ok()) << during.status().ToString();
  EXPECT_EQ(*during, 1);
  ASSERT_TRUE(store_->Commit().ok());
  EXPECT_EQ(*reader->CountReports(), 2);
  EXPECT_EQ(JournalByte(path_), 2);
}

// ---------------------------------------------------------------- incidents

std::vector<std::int64_t> Collect(Store* store, const ReportFilter& filter) {
  std::vector<std::int64_t> ids;
  Status s = store->ForEachReport(filter, [&](const model::Report& in) {
    ids.push_back(in.id);
    return Status::Ok();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return ids;
}

TEST_P(SqliteStoreTest, ForEachIncidentFiltersByOverlappingDays) {
  std::int64_t early = AddIncident("2020-02-20");
  std::int64_t month = AddIncident("2020-03-01", "2020-03-31");  // month precision
  std::int64_t day = AddIncident("2020-03-11");
  std::int64_t late = AddIncident("2020-04-02");
  EXPECT_EQ(Collect(store_.get(), {}), (std::vector<std::int64_t>{early, month, day, late}));

  ReportFilter f;
  f.from_day = Day("2020-03-10");
  f.to_day = Day("2020-03-12");
  EXPECT_EQ(Collect(store_.get(), f), (std::vector<std::int64_t>{month, day}));
  // Bounds are inclusive.
  f.from_day = Day("2020-03-31");
  f.to_day = Day("2020-04-02");
  EXPECT_EQ(Collect(store_.get(), f), (std::vector<std::int64_t>{month, late}));
  ReportFilter only_to;
  only_to.to_day = Day("2020-02-29");
  EXPECT_EQ(Collect(store_.get(), only_to), (std::vector<std::int64_t>{early}));
  ReportFilter only_from;
  only_from.from_day = Day("2020-04-01");
  EXPECT_EQ(Collect(store_.get(), only_from), (std::vector<std::int64_t>{late}));
}

TEST_P(SqliteStoreTest, ForEachIncidentPagesWithAfterIdAndLimit) {
  std::vector<std::int64_t> all;
  for (int i = 0; i < 7; ++i) all.push_back(AddIncident("2020-03-0" + std::to_string(1 + i % 5)));
  std::vector<std::int64_t> paged;
  ReportFilter f;
  f.limit = 3;
  for (int pages = 0; pages < 10; ++pages) {
    std::vector<std::int64_t> page = Collect(store_.get(), f);
    EXPECT_LE(page.size(), 3u);
    if (page.empty()) break;
    paged.insert(paged.end(), page.begin(), page.end());
    f.after_id = page.back();
  }
  EXPECT_EQ(paged, all);

  ReportFilter bad;
  bad.limit = -1;
  EXPECT_EQ(store_->ForEachReport(bad, [](const model::Report&) { return Status::Ok(); }).code(),
            StatusCode::kInvalidArgument);
}

TEST_P(SqliteStoreTest, ForEachIncidentStopsOnTheCallbacksErrorAndAllowsReentry) {
  for (int i = 0; i < 4; ++i) AddIncident("2020-03-05");
  int seen = 0;
  Status s = store_->ForEachReport({}, [&](const model::Report& in) -> Status {
    // The store can be used from inside the loop.
    Result<std::optional<model::Report>> same = store_->GetReport(in.id);
    if (!same.ok() || !same->has_value()) return Status::Internal("reentrant read failed");
    if (++seen == 2) return Status::NotFound("stop here");
    return Status::Ok();
  });
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(seen, 2);
}

// ---------------------------------------------------------------- agreements

TEST_P(SqliteStoreTest, TokensInsertFindListRevoke) {
  TokenRecord t;
  t.name = "ops";
  t.role = "analyst";
  t.token_hash = Sha256Hex("secret-1");
  t.created_at = "2026-11-25T10:00:00Z";
  Result<std::int64_t> id = store_->InsertToken(t);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto found = store_->FindToken(t.token_hash);
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->id, *id);
  EXPECT_EQ((*found)->role, "analyst");
  EXPECT_FALSE((*found)->revoked_at.has_value());
  EXPECT_FALSE(store_->FindToken(Sha256Hex("other"))->has_value());

  t.token_hash = Sha256Hex("secret-1");  // the same hash twice is refused
  EXPECT_FALSE(store_->InsertToken(t).ok());

  ASSERT_TRUE(store_->RevokeToken(*id, "2026-11-25T11:00:00Z").ok());
  ASSERT_TRUE(store_->RevokeToken(*id, "2026-11-26T00:00:00Z").ok());  // the first revocation time stays
  EXPECT_EQ(*(*store_->FindToken(Sha256Hex("secret-1")))->revoked_at, "2026-11-25T11:00:00Z");
  EXPECT_EQ(store_->RevokeToken(*id + 100, "x").code(), StatusCode::kNotFound);
  auto all = store_->ListTokens();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->front().name, "ops");
}

TEST_P(SqliteStoreTest, GenerationGrowsWithEveryWriteTransactionSeenFromAnotherConnection) {
  std::unique_ptr<Store> other = Open();
  ASSERT_TRUE(other);
  const std::int64_t g0 = *other->Generation();
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->InsertSourceRecord(MakeSourceRecord("a,b")).ok());
  EXPECT_EQ(*other->Generation(), g0);  // not committed yet
  ASSERT_TRUE(store_->Commit().ok());
  const std::int64_t g1 = *other->Generation();
  EXPECT_GT(g1, g0);

  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->Rollback().ok());
  EXPECT_EQ(*other->Generation(), g1);  // a rolled back transaction changed nothing

  ASSERT_TRUE(store_->ReplaceFindings({}, {}).ok());
  EXPECT_GT(*other->Generation(), g1);
}

TEST_P(SqliteStoreTest, AgreementsPutListGetReplace) {
  StoredAgreement b{"idlib-2020", "Additional Protocol", "examples/idlib-2020/additional-protocol-2020.yaml",
                    "h1", {{"additional-protocol-2020.yaml", "id: idlib-2020\n"}, {"m4.geojson", "{\"type\":1}"},
                           {"zones/خط.geojson", "{}"}},
                    "2024-01-01T00:00:00Z"};
  StoredAgreement a{"astana-2017", "Astana memorandum", "astana.yaml", "h0", {}, "2024-01-02T00:00:00Z"};
  ASSERT_TRUE(store_->PutAgreement(b).ok());
  ASSERT_TRUE(store_->PutAgreement(a).ok());

  Result<std::vector<StoredAgreement>> list = store_->ListAgreements();
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, "astana-2017");  // by id
  EXPECT_TRUE((*list)[0].files.empty());
  EXPECT_EQ((*list)[1].id, "idlib-2020");
  EXPECT_EQ((*list)[1].title, b.title);
  EXPECT_EQ((*list)[1].source_file, b.source_file);
  EXPECT_EQ((*list)[1].content_hash, b.content_hash);
  EXPECT_EQ((*list)[1].added_at, b.added_at);
  EXPECT_EQ((*list)[1].files, b.files);  // in order

  Result<std::optional<StoredAgreement>> got = store_->GetAgreement("idlib-2020");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->files, b.files);
  Result<std::optional<StoredAgreement>> none = store_->GetAgreement("nope");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  // Replacing drops the old files.
  StoredAgreement b2 = b;
  b2.title = "Additional Protocol (rev.)";
  b2.content_hash = "h2";
  b2.files = {{"m4.geojson", "{}"}, {"additional-protocol-2020.yaml", "id: idlib-2020\ntitle: x\n"}};
  ASSERT_TRUE(store_->PutAgreement(b2).ok());
  got = store_->GetAgreement("idlib-2020");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->title, b2.title);
  EXPECT_EQ((*got)->content_hash, "h2");
  EXPECT_EQ((*got)->files, b2.files);
  EXPECT_EQ(store_->ListAgreements()->size(), 2u);

  StoredAgreement no_id = a;
  no_id.id.clear();
  EXPECT_EQ(store_->PutAgreement(no_id).code(), StatusCode::kInvalidArgument);
}

TEST_P(SqliteStoreTest, PutAgreementInsideATransactionRollsBackWithIt) {
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->PutAgreement({"x", "X", "x.yaml", "h", {{"x.yaml", "id: x"}}, "2024-01-01T00:00:00Z"}).ok());
  ASSERT_TRUE(store_->Rollback().ok());
  EXPECT_TRUE(store_->ListAgreements()->empty());
}

// ---------------------------------------------------------------- findings

model::Finding MakeFinding(std::int64_t incident, const std::string& agreement, const std::string& provision,
                           model::FindingStatus status, const std::string& side, const std::string& zone) {
  model::Finding f;
  f.incident_id = incident;
  f.agreement_id = agreement;
  f.provision_id = provision;
  f.status = status;
  f.side = side;
  f.guarantor = side == "government" ? "RUS" : "TUR";
  f.actor_id = side == "government" ? "syrian-army" : "hts";
  f.zone_id = zone;
  f.distance_m = -1234.5;
  f.seconds_from_start = 86400LL * 3 + 17;
  f.confidence = 0.75;
  f.reason = "Shelling in " + zone + " — Art. 1";
  return f;
}

class FindingsTest : public SqliteStoreTest {
 protected:
  void SetUp() override {
    SqliteStoreTest::SetUp();
    // Ids out of date order, so that ordering by date is visible.
    i_late_ = AddIncident("2020-03-07", "", "Nairab");
    i_early_ = AddIncident("2020-03-05", "", "Saraqib");
    i_mid_ = AddIncident("2020-03-06", "", "إدلب");
    using S = model::FindingStatus;
    findings_ = {
        MakeFinding(i_late_, "idlib-2020", "art1", S::kViolation, "government", "m4-corridor"),
        MakeFinding(i_late_, "astana-2017", "art2", S::kNoViolation, "government", "idlib-dz"),
        MakeFinding(i_early_, "idlib-2020", "art2", S::kExempt, "opposition", "m4-corridor"),
        MakeFinding(i_early_, "idlib-2020", "art1", S::kViolation, "opposition", "idlib-dz"),
        MakeFinding(i_mid_, "idlib-2020", "art1", S::kOutsideScope, "", ""),
        MakeFinding(i_mid_, "astana-2017", "art1", S::kViolation, "government", "idlib-dz"),
    };
    model::ObligationStatus o1;
    o1.agreement_id = "idlib-2020";
    o1.provision_id = "art3";
    o1.as_of = Day("2020-04-01");
    o1.state = model::ObligationState::kPartlyMet;
    o1.covered_fraction = 0.625;
    o1.evidence_incident_ids = {i_early_, i_mid_};
    o1.reason = "Joint patrols covered 62 % of the M4 section";
    model::ObligationStatus o2;
    o2.agreement_id = "astana-2017";
    o2.provision_id = "art4";
    o2.as_of = Day("2020-03-10");
    o2.state = model::ObligationState::kUnmet;
    obligations_ = {o1, o2};
    Status s = store_->ReplaceFindings(Rows(findings_), obligations_);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  std::int64_t i_late_ = 0, i_early_ = 0, i_mid_ = 0;
  std::vector<model::Finding> findings_;
  std::vector<model::ObligationStatus> obligations_;
};

std::string Key(const model::Finding& f) {
  return std::to_string(f.incident_id) + "/" + f.agreement_id + "#" + f.provision_id;
}

TEST_P(FindingsTest, AllFindingsComeBackInOrderWithTheirIncident) {
  Result<std::vector<FindingRow>> rows = store_->QueryFindings({});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), findings_.size());
  std::vector<std::string> got;
  for (const FindingRow& r : *rows) got.push_back(Key(r.finding));
  std::string e = std::to_string(i_early_), m = std::to_string(i_mid_), l = std::to_string(i_late_);
  EXPECT_EQ(got, (std::vector<std::string>{e + "/idlib-2020#art1", e + "/idlib-2020#art2",
                                           m + "/astana-2017#art1", m + "/idlib-2020#art1",
                                           l + "/astana-2017#art2", l + "/idlib-2020#art1"}));

  // Every field of a finding and the incident columns travel.
  const FindingRow& r = rows->front();
  const model::Finding& want = findings_[3];
  EXPECT_EQ(r.finding.status, want.status);
  EXPECT_EQ(r.finding.side, want.side);
  EXPECT_EQ(r.finding.guarantor, want.guarantor);
  EXPECT_EQ(r.finding.actor_id, want.actor_id);
  EXPECT_EQ(r.finding.zone_id, want.zone_id);
  EXPECT_EQ(r.finding.distance_m, want.distance_m);
  EXPECT_EQ(r.finding.seconds_from_start, want.seconds_from_start);
  EXPECT_EQ(r.finding.confidence, want.confidence);
  EXPECT_EQ(r.finding.reason, want.reason);
  EXPECT_EQ(r.date, Day("2020-03-05"));
  EXPECT_EQ(r.last_date, Day("2020-03-05"));
  EXPECT_EQ(r.location, "Saraqib");
  EXPECT_EQ(r.point, (geo::LatLon{35.86, 36.80}));
  EXPECT_EQ(r.event_type, "Explosions/Remote violence");
  EXPECT_EQ(r.actor1, "Military Forces of Syria (2000-)");
  EXPECT_EQ(r.actor2, "HTS");
  EXPECT_EQ(r.dataset, "acled");
  Result<std::optional<model::Report>> in = store_->GetReport(i_early_);
  ASSERT_TRUE(in.ok() && in->has_value());
  EXPECT_EQ(r.source_id, (*in)->source_id);
  EXPECT_EQ(r.admin1, (*in)->admin1);
  EXPECT_FALSE(r.admin1.empty());
  EXPECT_EQ(r.fatalities, (*in)->fatalities);
}

// Checks one filter against the same predicate applied to the inputs.
void ExpectFilter(Store* store, const FindingFilter& filter, const std::vector<model::Finding>& all,
                  const std::function<bool(const model::Finding&)>& want) {
  std::vector<std::string> expected;
  for (const model::Finding& f : all) {
    if (want(f)) expected.push_back(Key(f));
  }
  ASSERT_FALSE(expected.empty()) << "the filter must select something";
  ASSERT_LT(expected.size(), all.size()) << "the filter must leave something out";
  Result<std::vector<FindingRow>> rows = store->QueryFindings(filter);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  std::vector<std::string> got;
  for (const FindingRow& r : *rows) got.push_back(Key(r.finding));
  std::sort(expected.begin(), expected.end());
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, expected);
}

TEST_P(FindingsTest, EachFilterSelects) {
  FindingFilter f;
  f.agreement_id = "astana-2017";
  ExpectFilter(store_.get(), f, findings_, [](const model::Finding& x) { return x.agreement_id == "astana-2017"; });
  f = {};
  f.side = "opposition";
  ExpectFilter(store_.get(), f, findings_, [](const model::Finding& x) { return x.side == "opposition"; });
  f = {};
  f.status = "violation";
  ExpectFilter(store_.get(), f, findings_,
               [](const model::Finding& x) { return x.status == model::FindingStatus::kViolation; });
  f = {};
  f.zone_id = "m4-corridor";
  ExpectFilter(store_.get(), f, findings_, [](const model::Finding& x) { return x.zone_id == "m4-corridor"; });
  f = {};
  f.incident_id = i_mid_;
  ExpectFilter(store_.get(), f, findings_, [&](const model::Finding& x) { return x.incident_id == i_mid_; });
  f = {};
  f.from_day = Day("2020-03-06");
  ExpectFilter(store_.get(), f, findings_, [&](const model::Finding& x) { return x.incident_id != i_early_; });
  f = {};
  f.to_day = Day("2020-03-06");
  ExpectFilter(store_.get(), f, findings_, [&](const model::Finding& x) { return x.incident_id != i_late_; });
  f = {};
  f.from_day = f.to_day = Day("2020-03-06");
  ExpectFilter(store_.get(), f, findings_, [&](const model::Finding& x) { return x.incident_id == i_mid_; });
  // Combined: every condition holds.
  f = {};
  f.agreement_id = "idlib-2020";
  f.status = "violation";
  f.side = "opposition";
  ExpectFilter(store_.get(), f, findings_, [](const model::Finding& x) {
    return x.agreement_id == "idlib-2020" && x.status == model::FindingStatus::kViolation && x.side == "opposition";
  });
}

TEST_P(FindingsTest, PagesFollowTheOrderWithoutGapsOrRepeats) {
  FindingFilter all;
  auto everything = store_->QueryFindings(all);
  ASSERT_TRUE(everything.ok());
  ASSERT_GE(everything->size(), 3u);
  std::vector<std::int64_t> paged;
  FindingFilter page;
  page.limit = 2;
  for (int guard = 0; guard < 100; ++guard) {
    auto rows = store_->QueryFindings(page);
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    for (const FindingRow& r : *rows) paged.push_back(r.finding_id);
    if (rows->size() < 2) break;
    const FindingRow& last = rows->back();
    page.after = FindingFilter::Position{last.date, last.finding.incident_id, last.finding.agreement_id,
                                         last.finding.provision_id, last.finding_id};
  }
  std::vector<std::int64_t> expected;
  for (const FindingRow& r : *everything) expected.push_back(r.finding_id);
  EXPECT_EQ(paged, expected);
}

// Every sort key, both ways, a row a page: each finding once, the sort values in order,
// equal values in the store's order (date, incident, agreement, provision, id).
TEST_P(FindingsTest, SortedPagesFollowTheKeyThenTheStoresOrder) {
  auto everything = store_->QueryFindings({});
  ASSERT_TRUE(everything.ok());
  std::map<std::int64_t, std::size_t> rank;  // finding id -> place in the store's order
  for (const FindingRow& r : *everything) rank[r.finding_id] = rank.size();
  const int kSeverity[] = {0, 2, 3, 4, 1};  // violation, exempt, no_violation, outside_scope, undetermined
  for (const char* key : {"status", "side", "agreement", "incident", "distance_m", "date"}) {
    for (bool descending : {false, true}) {
      FindingFilter page;
      page.sort_key = key;
      page.descending = descending;
      page.limit = 1;
      std::vector<FindingRow> got;
      for (int guard = 0; guard < 100; ++guard) {
        auto rows = store_->QueryFindings(page);
        ASSERT_TRUE(rows.ok()) << key << ": " << rows.status().ToString();
        if (rows->empty()) break;
        const FindingRow& last = rows->back();
        got.push_back(last);
        page.after = FindingFilter::Position{last.date, last.finding.incident_id, last.finding.agreement_id,
                                             last.finding.provision_id, last.finding_id};
        const std::string k = key;
        FindingFilter::SortValue v;
        if (k == "status") v.number = kSeverity[static_cast<int>(last.finding.status)];
        if (k == "side") v.text = last.finding.side;
        if (k == "agreement") v.text = last.finding.agreement_id + "\t" + last.finding.provision_id;
        if (k == "incident") v.number = static_cast<double>(last.finding.incident_id);
        if (k == "distance_m") v.number = last.finding.distance_m;
        if (k == "date") v.text = time::FormatDate(last.date);
        page.after_value = v;
      }
      ASSERT_EQ(got.size(), everything->size()) << key << (descending ? " descending" : "");
      for (std::size_t i = 1; i < got.size(); ++i) {
        const FindingRow &a = got[i - 1], &b = got[i];
        auto value = [&](const FindingRow& r) -> std::pair<double, std::string> {
          const std::string k = key;
          if (k == "status") return {kSeverity[static_cast<int>(r.finding.status)], ""};
          if (k == "side") return {0, r.finding.side};
          if (k == "agreement") return {0, r.finding.agreement_id + "\t" + r.finding.provision_id};
          if (k == "incident") return {static_cast<double>(r.finding.incident_id), ""};
          if (k == "distance_m") return {r.finding.distance_m, ""};
          return {0, time::FormatDate(r.date)};
        };
        if (value(a) == value(b)) {
          EXPECT_LT(rank[a.finding_id], rank[b.finding_id]) << key << " tie at " << i;
        } else {
          EXPECT_EQ(value(a) < value(b), !descending) << key << " at " << i;
        }
      }
    }
  }
  FindingFilter bad;
  bad.sort_key = "colour";
  EXPECT_EQ(store_->QueryFindings(bad).status().code(), StatusCode::kInvalidArgument);
  bad.sort_key = "side";
  bad.after = FindingFilter::Position{};
  EXPECT_EQ(store_->QueryFindings(bad).status().code(), StatusCode::kInvalidArgument);  // no sort value
}

TEST_P(FindingsTest, CountsAreOfEveryMatchByStatusAndSide) {
  FindingFilter f;
  f.limit = 1;  // paging is ignored
  auto counts = store_->CountFindings(f);
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  EXPECT_EQ(counts->total, static_cast<std::int64_t>(findings_.size()));
  std::map<std::string, std::int64_t> by_status, by_side;
  for (const model::Finding& x : findings_) {
    ++by_status[model::FindingStatusName(x.status)];
    ++by_side[x.side];
  }
  EXPECT_EQ(counts->by_status, by_status);
  EXPECT_EQ(counts->by_side, by_side);
  f.side = "opposition";
  auto opposition = store_->CountFindings(f);
  ASSERT_TRUE(opposition.ok());
  EXPECT_EQ(opposition->total, by_side["opposition"]);
  EXPECT_EQ(opposition->by_side.size(), 1u);
  f.status = "awful";
  EXPECT_EQ(store_->CountFindings(f).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(FindingsTest, EventTypeAndBoundingBoxSelect) {
  auto everything = store_->QueryFindings({});
  ASSERT_TRUE(everything.ok() && !everything->empty());
  const FindingRow& first = everything->front();
  FindingFilter f;
  f.event_type = first.event_type;
  auto by_type = store_->QueryFindings(f);
  ASSERT_TRUE(by_type.ok());
  for (const FindingRow& r : *by_type) EXPECT_EQ(r.event_type, first.event_type);
  EXPECT_FALSE(by_type->empty());

  FindingFilter box;
  box.bbox = geo::BBox{first.point.lat_deg - 1e-6, first.point.lon_deg - 1e-6, first.point.lat_deg + 1e-6,
                       first.point.lon_deg + 1e-6};
  auto in_box = store_->QueryFindings(box);
  ASSERT_TRUE(in_box.ok());
  ASSERT_FALSE(in_box->empty());
  for (const FindingRow& r : *in_box) EXPECT_NEAR(r.point.lat_deg, first.point.lat_deg, 1e-6);
  box.bbox = geo::BBox{-1, -1, 1, 1};  // the Gulf of Guinea: nothing there
  EXPECT_TRUE(store_->QueryFindings(box)->empty());
}

TEST_P(FindingsTest, FilterValuesAreBoundNotSpliced) {
  FindingFilter f;
  f.agreement_id = "x' OR '1'='1";
  Result<std::vector<FindingRow>> rows = store_->QueryFindings(f);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_TRUE(rows->empty());
  f = {};
  f.zone_id = "'; DROP TABLE findings; --";
  rows = store_->QueryFindings(f);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_TRUE(rows->empty());
  EXPECT_EQ(store_->QueryFindings({})->size(), findings_.size());
}

TEST_P(FindingsTest, UnknownStatusIsInvalid) {
  FindingFilter f;
  f.status = "violations";
  Result<std::vector<FindingRow>> rows = store_->QueryFindings(f);
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(rows.status().message().find("violations"), std::string::npos);
}

TEST_P(FindingsTest, ObligationStatusesRoundTrip) {
  Result<std::vector<model::ObligationStatus>> all = store_->ListObligationStatuses("");
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].agreement_id, "astana-2017");
  Result<std::vector<model::ObligationStatus>> idlib = store_->ListObligationStatuses("idlib-2020");
  ASSERT_TRUE(idlib.ok());
  ASSERT_EQ(idlib->size(), 1u);
  const model::ObligationStatus& o = idlib->front();
  const model::ObligationStatus& want = obligations_[0];
  EXPECT_EQ(o.provision_id, want.provision_id);
  EXPECT_EQ(o.as_of, want.as_of);
  EXPECT_EQ(o.state, want.state);
  EXPECT_EQ(o.covered_fraction, want.covered_fraction);
  EXPECT_EQ(o.evidence_incident_ids, want.evidence_incident_ids);
  EXPECT_EQ(o.reason, want.reason);
  EXPECT_TRUE((*all)[0].evidence_incident_ids.empty());
  EXPECT_TRUE(store_->ListObligationStatuses("nope")->empty());
}

TEST_P(FindingsTest, ReplaceFindingsReplaces) {
  std::vector<model::Finding> next = {
      MakeFinding(i_mid_, "idlib-2020", "art9", model::FindingStatus::kUndetermined, "government", "z")};
  ASSERT_TRUE(store_->ReplaceFindings(Rows(next), {}).ok());
  Result<std::vector<FindingRow>> rows = store_->QueryFindings({});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->front().finding.provision_id, "art9");
  EXPECT_EQ(rows->front().finding.status, model::FindingStatus::kUndetermined);
  EXPECT_TRUE(store_->ListObligationStatuses("")->empty());
}

TEST_P(FindingsTest, FailedReplaceKeepsTheOldFindings) {
  std::vector<model::Finding> bad = findings_;
  bad.push_back(MakeFinding(987654, "idlib-2020", "art1", model::FindingStatus::kViolation, "government", "z"));
  Status s = store_->ReplaceFindings(Rows(bad), {});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kDatabaseError);
  EXPECT_NE(s.message().find("987654"), std::string::npos) << s.message();
  EXPECT_EQ(store_->QueryFindings({})->size(), findings_.size());
  EXPECT_EQ(store_->ListObligationStatuses("")->size(), obligations_.size());
}

TEST_P(FindingsTest, ReplaceInsideACallersTransactionUsesASavepoint) {
  ASSERT_TRUE(store_->Begin().ok());
  std::int64_t added = AddIncident("2020-03-08");
  std::vector<model::Finding> bad = {
      MakeFinding(987654, "idlib-2020", "art1", model::FindingStatus::kViolation, "government", "z")};
  EXPECT_FALSE(store_->ReplaceFindings(Rows(bad), {}).ok());
  // The failed replace undid only itself: the old findings and the caller's
  // earlier work are still there, and the transaction is still open.
  EXPECT_EQ(store_->QueryFindings({})->size(), findings_.size());
  std::vector<model::Finding> good = {
      MakeFinding(added, "idlib-2020", "art1", model::FindingStatus::kViolation, "government", "z")};
  ASSERT_TRUE(store_->ReplaceFindings(Rows(good), {}).ok());
  ASSERT_TRUE(store_->Commit().ok());
  EXPECT_TRUE(store_->GetReport(added)->has_value());
  Result<std::vector<FindingRow>> rows = store_->QueryFindings({});
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->front().finding.incident_id, added);

  // And a caller's rollback undoes a successful replace.
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->ReplaceFindings({}, {}).ok());
  EXPECT_TRUE(store_->QueryFindings({})->empty());
  ASSERT_TRUE(store_->Rollback().ok());
  EXPECT_EQ(store_->QueryFindings({})->size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, SqliteStoreTest, ::testing::Values(testdb::Engine::kSqlite), ParamName);
INSTANTIATE_TEST_SUITE_P(Postgres, SqliteStoreTest, ::testing::Values(testdb::Engine::kPostgres), ParamName);
INSTANTIATE_TEST_SUITE_P(Sqlite, FindingsTest, ::testing::Values(testdb::Engine::kSqlite), ParamName);
INSTANTIATE_TEST_SUITE_P(Postgres, FindingsTest, ::testing::Values(testdb::Engine::kPostgres), ParamName);

}  // namespace
}  // namespace truce::store
