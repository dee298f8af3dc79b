// Schema version 6 (issue 10): which reports make one incident
// (reconciled_members), the analysts' overrides and their evidence entries,
// findings that carry their incident's estimate and support, and the upgrade
// of a version-5 database that holds findings.
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <tuple>
#include <vector>

#include "schema.h"
#include "test_db.h"
#include "truce/core/env.h"
#include "truce/store/store.h"

namespace truce::store {
namespace {

using testdb::Day;
using testdb::ParamName;

namespace fs = std::filesystem;

// On both engines (test_db.h): Sqlite/... and Postgres/...
class IncidentsTest : public ::testing::TestWithParam<testdb::Engine> {
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
  // Runs SQL behind the store's back, as another program would.
  void RawExec(const std::string&, const std::string& sql) {
    Status s = db_->Exec(sql);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  void OpenMigrated() {
    Result<std::unique_ptr<Store>> s = OpenStore(path_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
    Status m = store_->Migrate();
    ASSERT_TRUE(m.ok()) << m.ToString();
  }

  // A report (an `incidents` row with its source record) on `day` at `place`.
  std::int64_t AddReport(const std::string& day, const std::string& place, const std::string& dataset = "acled",
                         const std::string& last_day = "") {
    model::SourceRecord r;
    r.dataset = dataset;
    r.source_file = dataset + ".csv";
    r.file_hash = "f00d";
    r.row = ++rows_;
    r.raw = place + " " + std::to_string(rows_);
    r.content_hash = Sha256Hex(dataset + "\n" + r.raw);
    Result<std::optional<std::int64_t>> record = store_->InsertSourceRecord(r);
    EXPECT_TRUE(record.ok() && record->has_value());
    model::Report in;
    in.record_id = record.ok() && record->has_value() ? **record : 0;
    in.dataset = dataset;
    in.source_id = "SYR" + std::to_string(rows_);
    in.time.first_day = in.time.last_day = Day(day);
    if (!last_day.empty()) in.time.last_day = Day(last_day);
    in.location = place;
    in.admin1 = "Idlib";
    in.point = {35.86, 36.80};
    in.event_type = "Explosions/Remote violence";
    in.actor1 = "Military Forces of Syria (2000-)";
    in.fatalities = rows_;
    Result<std::int64_t> id = store_->InsertReport(in);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : 0;
  }

  std::int64_t Changes() {
    Result<FindingsState> st = store_->GetFindingsState();
    EXPECT_TRUE(st.ok()) << st.status().ToString();
    return st.ok() ? st->changes : -1;
  }
  std::int64_t Generation() {
    Result<std::int64_t> g = store_->Generation();
    EXPECT_TRUE(g.ok()) << g.status().ToString();
    return g.ok() ? *g : -1;
  }
  std::vector<IncidentMember> Members(std::int64_t incident_id) {
    Result<std::vector<IncidentMember>> m = store_->ListMembers(incident_id);
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    return m.ok() ? *m : std::vector<IncidentMember>{};
  }
  static std::vector<std::pair<std::int64_t, std::int64_t>> Pairs(const std::vector<IncidentMember>& ms) {
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    for (const IncidentMember& m : ms) out.emplace_back(m.report_id, m.incident_id);
    return out;
  }
  static IncidentMember Member(std::int64_t report, std::int64_t incident, double score = 0.9,
                               const std::string& reason = "same day; 3.1 km apart") {
    return IncidentMember{report, incident, score, reason, "matcher"};
  }
  static MatchOverride Override(const std::string& kind, std::int64_t a, std::int64_t b) {
    MatchOverride o;
    o.kind = kind;
    o.report_a = a;
    o.report_b = b;
    o.analyst = "Amira Haddad";
    o.decided_at = "2026-01-02T03:04:05Z";
    o.note = "the same shelling, reported twice";
    return o;
  }

  std::unique_ptr<testdb::TestDatabase> db_;
  std::string path_;
  std::unique_ptr<Store> store_;
  int rows_ = 0;
};

// ---------------------------------------------------------------- members

TEST_P(IncidentsTest, MembersRoundTripAndListByIncident) {
  OpenMigrated();
  const std::int64_t a = AddReport("2020-03-05", "Saraqib"), b = AddReport("2020-03-05", "Saraqib"),
                     c = AddReport("2020-03-06", "Saraqib"), d = AddReport("2020-03-07", "Nairab"),
                     e = AddReport("2020-03-07", "Nairab");
  EXPECT_TRUE(Members(0).empty());  // a new database: every report an incident of its own
  // Given out of order: listed by incident, then report.
  Status s = store_->SetMembers({Member(e, d, 0.5, "same town"), Member(c, a, 0.75, "next day; 1 km apart"),
                                 Member(b, a, 0.95, "same day; 3.1 km apart, within ACLED's 10 km radius")},
                                /*replace_all=*/false);
  ASSERT_TRUE(s.ok()) << s.ToString();
  std::vector<IncidentMember> of_a = Members(a);
  ASSERT_EQ(Pairs(of_a), (std::vector<std::pair<std::int64_t, std::int64_t>>{{b, a}, {c, a}}));
  EXPECT_EQ(of_a[0].score, 0.95);
  EXPECT_EQ(of_a[0].reason, "same day; 3.1 km apart, within ACLED's 10 km radius");
  EXPECT_EQ(of_a[0].decided_by, "matcher");
  EXPECT_EQ(of_a[1].score, 0.75);
  EXPECT_EQ(Pairs(Members(0)), (std::vector<std::pair<std::int64_t, std::int64_t>>{{b, a}, {c, a}, {e, d}}));
  // A member's id stands for its incident.
  EXPECT_EQ(Pairs(Members(b)), Pairs(of_a));
  EXPECT_EQ(Pairs(Members(e)), (std::vector<std::pair<std::int64_t, std::int64_t>>{{e, d}}));

  // Placed again: the row is updated, not added; placed in itself: removed.
  IncidentMember by_analyst{c, a, 1, "linked by an analyst", "analyst Amira Haddad at 2026-01-02T03:04:05Z"};
  ASSERT_TRUE(store_->SetMembers({by_analyst, Member(e, e)}, false).ok());
  of_a = Members(a);
  ASSERT_EQ(of_a.size(), 2u);
  EXPECT_EQ(of_a[1].decided_by, by_analyst.decided_by);
  EXPECT_EQ(of_a[1].reason, by_analyst.reason);
  EXPECT_TRUE(Members(d).empty());
  EXPECT_EQ(Members(0).size(), 2u);
}

// Every field of two reports (ReadIncidentPage's reuse must leave none of an
// earlier row behind).
void ExpectSameReport(const model::Report& a, const model::Report& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.record_id, b.record_id);
  EXPECT_EQ(std::tie(a.dataset, a.source_id, a.event_type, a.sub_event_type, a.native_code),
            std::tie(b.dataset, b.source_id, b.event_type, b.sub_event_type, b.native_code));
  EXPECT_EQ(std::tie(a.time.first_day, a.time.last_day, a.time.precision, a.time.exact),
            std::tie(b.time.first_day, b.time.last_day, b.time.precision, b.time.exact));
  EXPECT_EQ(std::tie(a.actor1, a.assoc_actor1, a.actor2, a.assoc_actor2),
            std::tie(b.actor1, b.assoc_actor1, b.actor2, b.assoc_actor2));
  EXPECT_EQ(std::tie(a.country, a.iso3, a.admin1, a.admin2, a.admin3, a.location),
            std::tie(b.country, b.iso3, b.admin1, b.admin2, b.admin3, b.location));
  EXPECT_EQ(a.point, b.point);
  EXPECT_EQ(std::tie(a.uncertainty_m, a.geo_precision, a.time_precision),
            std::tie(b.uncertainty_m, b.geo_precision, b.time_precision));
  EXPECT_EQ(a.track, b.track);
  EXPECT_EQ(std::tie(a.fatalities, a.fatalities_low, a.fatalities_high),
            std::tie(b.fatalities, b.fatalities_low, b.fatalities_high));
  EXPECT_EQ(std::tie(a.source, a.notes, a.span_begin, a.span_end, a.confidence),
            std::tie(b.source, b.notes, b.span_begin, b.span_end, b.confidence));
}

TEST_P(IncidentsTest, IncidentPagesReadIntoOnePageGiveWhatFreshReadsGive) {
  OpenMigrated();
  // A report with every optional field set, then plain ones: read into the
  // same page, a plain report must not keep anything of the full one.
  model::Report full;
  {
    model::SourceRecord r;
    r.dataset = "ucdp";
    r.source_file = "ucdp.csv";
    r.file_hash = "f00d";
    r.row = 1;
    r.raw = "full";
    r.content_hash = Sha256Hex(r.raw);
    Result<std::optional<std::int64_t>> record = store_->InsertSourceRecord(r);
    ASSERT_TRUE(record.ok() && record->has_value());
    full.record_id = **record;
  }
  full.dataset = "ucdp";
  full.source_id = "342211";
  full.time.first_day = Day("2020-03-01");
  full.time.last_day = Day("2020-03-02");
  full.time.precision = time::TimePrecision::kExact;
  full.time.exact = time::Instant(std::chrono::seconds(1583020800));
  full.event_type = "Battles";
  full.sub_event_type = "Armed clash";
  full.native_code = "190";
  full.actor1 = "Military Forces of Syria (2000-)";
  full.assoc_actor1 = "Militia (Pro-Government)";
  full.actor2 = "HTS: Hayat Tahrir al Sham";
  full.assoc_actor2 = "NLF: National Liberation Front";
  full.country = "Syria";
  full.iso3 = "SYR";
  full.admin1 = "Idlib";
  full.admin2 = "Ariha";
  full.admin3 = "Saraqib subdistrict";
  full.location = "Saraqib";
  full.point = {35.86, 36.80};
  full.uncertainty_m = 2500;
  full.geo_precision = 2;
  full.time_precision = 1;
  full.track = {{{35.80, 36.70}, {35.90, 36.90}}};
  full.fatalities = 7;
  full.fatalities_low = 5;
  full.fatalities_high = 11;
  full.source = "Syrian Observatory for Human Rights; a longer source text than fits in a short string";
  full.notes = std::string(300, 'n');
  full.span_begin = 4;
  full.span_end = 40;
  full.confidence = 0.75;
  Result<std::int64_t> f = store_->InsertReport(full);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  std::vector<std::int64_t> ids = {*f};
  for (int i = 0; i < 6; ++i) ids.push_back(AddReport("2020-03-0" + std::to_string(1 + i), "Nairab"));
  // Incidents: ids[0] alone, ids[1] with ids[3] and ids[4] as members, then ids[2], ids[5], ids[6].
  ASSERT_TRUE(store_->SetMembers({Member(ids[3], ids[1], 0.5, "same town"), Member(ids[4], ids[1])}, false).ok());

  IncidentPage page;
  std::vector<std::int64_t> order, leads;
  for (std::int64_t after = 0;;) {
    // Two incidents a page; the first page holds the full report, the later ones reuse its storage.
    Status st = store_->ReadIncidentPage(after, 2, &page);
    ASSERT_TRUE(st.ok()) << st.ToString();
    ASSERT_EQ(page.reports.size(), page.members.size());
    if (page.reports.empty()) break;
    for (std::size_t i = 0; i < page.reports.size(); ++i) {
      const model::Report& got = *page.reports[i];
      order.push_back(got.id);
      Result<std::optional<model::Report>> fresh = store_->GetReport(got.id);
      ASSERT_TRUE(fresh.ok() && fresh->has_value());
      ExpectSameReport(got, **fresh);
      if (page.members[i].report_id == 0) {
        leads.push_back(got.id);
        after = got.id;
      } else {
        EXPECT_EQ(page.members[i].report_id, got.id);
        EXPECT_EQ(page.members[i].incident_id, leads.back());
      }
    }
  }
  EXPECT_EQ(order, (std::vector<std::int64_t>{ids[0], ids[1], ids[3], ids[4], ids[2], ids[5], ids[6]}));
  EXPECT_EQ(leads, (std::vector<std::int64_t>{ids[0], ids[1], ids[2], ids[5], ids[6]}));
  // The full report was stored whole (so the comparisons above saw every field set).
  Result<std::optional<model::Report>> back = store_->GetReport(ids[0]);
  ASSERT_TRUE(back.ok() && back->has_value());
  full.id = ids[0];
  ExpectSameReport(**back, full);

  // A bad limit: an error, and the page left empty.
  ASSERT_TRUE(store_->ReadIncidentPage(0, 2, &page).ok());
  ASSERT_FALSE(page.reports.empty());
  EXPECT_EQ(store_->ReadIncidentPage(0, 0, &page).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(page.reports.empty());
  EXPECT_TRUE(page.members.empty());
}

TEST_P(IncidentsTest, ReplaceAllRemovesEveryRowNotGiven) {
  OpenMigrated();
  const std::int64_t a = AddReport("2020-03-05", "Saraqib"), b = AddReport("2020-03-05", "Saraqib"),
                     c = AddReport("2020-03-06", "Saraqib"), d = AddReport("2020-03-07", "Nairab");
  ASSERT_TRUE(store_->SetMembers({Member(b, a)}, false).ok());
  // Without replace_all the rows not named stay.
  ASSERT_TRUE(store_->SetMembers({Member(d, c)}, false).ok());
  EXPECT_EQ(Pairs(Members(0)), (std::vector<std::pair<std::int64_t, std::int64_t>>{{b, a}, {d, c}}));
  // A full re-match: only what it gives remains (b is an incident of its own again).
  ASSERT_TRUE(store_->SetMembers({Member(c, a), Member(d, a)}, /*replace_all=*/true).ok());
  EXPECT_EQ(Pairs(Members(0)), (std::vector<std::pair<std::int64_t, std::int64_t>>{{c, a}, {d, a}}));
  ASSERT_TRUE(store_->SetMembers({}, true).ok());
  EXPECT_TRUE(Members(0).empty());
}

// An ingest reads the placements of the reports near its own in the scan
// that reads those reports, not every member row: each report of the window
// with its incident (a member's lead, else its own id), whatever lies
// outside the window; a report that spans into the window is in it.
TEST_P(IncidentsTest, PlacedReportsGiveEachReportOfTheWindowWithItsIncident) {
  OpenMigrated();
  const std::int64_t old_lead = AddReport("2019-01-05", "Saraqib"), old_member = AddReport("2019-01-05", "Saraqib"),
                     lead = AddReport("2020-02-20", "Nairab"), member = AddReport("2020-03-05", "Nairab"),
                     spanning = AddReport("2020-01-01", "Nairab", "acled", "2020-03-01"),
                     alone = AddReport("2020-03-10", "Ariha"), after = AddReport("2021-06-01", "Ariha"),
                     after_member = AddReport("2021-06-01", "Ariha");
  ASSERT_TRUE(store_->SetMembers({Member(old_member, old_lead), Member(member, lead), Member(spanning, lead),
                                  Member(after_member, after)},
                                 false)
                  .ok());
  using Rows = std::vector<std::pair<std::int64_t, std::int64_t>>;
  auto near = [&](const std::string& from, const std::string& to) {
    ReportFilter f;
    f.from_day = Day(from);
    f.to_day = Day(to);
    Rows out;
    Status st = store_->ForEachPlacedReport(f, [&](const model::Report& r, std::int64_t incident) {
      EXPECT_EQ(r.location.empty(), false);
      out.emplace_back(r.id, incident);
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  };
  // By report id, as ForEachReport gives them.
  EXPECT_EQ(near("2020-02-25", "2020-03-31"), (Rows{{member, lead}, {spanning, lead}, {alone, alone}}));
  EXPECT_EQ(near("2020-02-20", "2020-02-20"), (Rows{{lead, lead}, {spanning, lead}}));
  EXPECT_EQ(near("2020-03-02", "2020-03-31"), (Rows{{member, lead}, {alone, alone}}));
  EXPECT_EQ(near("2019-01-05", "2019-01-05"), (Rows{{old_lead, old_lead}, {old_member, old_lead}}));
  EXPECT_TRUE(near("2022-01-01", "2030-01-01").empty());
  Result<std::int64_t> count = store_->CountMembers();
  ASSERT_TRUE(count.ok()) << count.status().ToString();
  EXPECT_EQ(*count, 4);
  ASSERT_TRUE(store_->SetMembers({Member(member, member)}, false).ok());
  count = store_->CountMembers();
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 3);
  EXPECT_EQ(near("2020-03-02", "2020-03-31"), (Rows{{member, member}, {alone, alone}}));
}

TEST_P(IncidentsTest, AReportNotStoredIsInvalidAndNothingIsWritten) {
  OpenMigrated();
  const std::int64_t a = AddReport("2020-03-05", "Saraqib"), b = AddReport("2020-03-05", "Saraqib");
  ASSERT_TRUE(store_->SetMembers({Member(b, a)}, false).ok());
  const std::int64_t changes = Changes();
  struct Case {
    std::vector<IncidentMember> members;
    bool replace_all;
    std::string named;
  };
  const std::vector<Case> cases = {
      {{Member(987654, a)}, false, "987654"},         // the member
      {{Member(b, -5)}, false, "-5"},                 // the incident
      {{Member(987653, 987653)}, false, "987653"},    // made an incident of its own
      {{Member(b, a), Member(987652, b)}, true, "987652"},  // the last of several, replacing all
  };
  for (const Case& c : cases) {
    Status s = store_->SetMembers(c.members, c.replace_all);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
    EXPECT_NE(s.message().find(c.named), std::string::npos) << s.message();
    // Undone as a whole: the earlier row is still there, no change counted.
    EXPECT_EQ(Pairs(Members(0)), (std::vector<std::pair<std::int64_t, std::int64_t>>{{b, a}}));
    EXPECT_EQ(Changes(), changes);
  }
}

TEST_P(IncidentsTest, AnIncidentIsNamedByItsSmallestReportAndHasNoChains) {
  OpenMigrated();
  const std::int64_t a = AddReport("2020-03-05", "Saraqib"), b = AddReport("2020-03-05", "Saraqib"),
                     c = AddReport("2020-03-06", "Saraqib"), d = AddReport("2020-03-06", "Saraqib");
  // The lead is the smallest id.
  Status s = store_->SetMembers({Member(a, b)}, false);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  ASSERT_TRUE(store_->SetMembers({Member(b, a)}, false).ok());
  // A member cannot lead: c into b, which is in a.
  s = store_->SetMembers({Member(c, b)}, false);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_NE(s.message().find("is itself in incident " + std::to_string(a)), std::string::npos) << s.message();
  // A lead cannot join another incident while it keeps members: c leads d,
  // then c alone is moved into a.
  ASSERT_TRUE(store_->SetMembers({Member(d, c)}, false).ok());
  s = store_->SetMembers({Member(c, a)}, false);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_NE(s.message().find("report " + std::to_string(d) + " is still in incident " + std::to_string(c)),
            std::string::npos)
      << s.message();
  // The whole incident moved in one call is fine.
  ASSERT_TRUE(store_->SetMembers({Member(c, a), Member(d, a)}, false).ok());
  EXPECT_EQ(Pairs(Members(a)), (std::vector<std::pair<std::int64_t, std::int64_t>>{{b, a}, {c, a}, {d, a}}));
}

TEST_P(IncidentsTest, SetMembersMarksTheFindingsStaleAndCountsAGeneration) {
  OpenMigrated();
  const std::int64_t a = AddReport("2020-03-05", "Saraqib"), b = AddReport("2020-03-05", "Saraqib");
  Result<FindingsState> seen = store_->GetFindingsState();
  ASSERT_TRUE(seen.ok());
  ASSERT_TRUE(store_->ReplaceRuledFindings({}, {}, seen->changes).ok());
  ASSERT_FALSE(store_->GetFindingsState()->stale());
  const std::int64_t g = Generation(), changes = Changes();
  ASSERT_TRUE(store_->SetMembers({Member(b, a)}, false).ok());
  EXPECT_GT(Generation(), g);
  EXPECT_EQ(Changes(), changes + 1);
  EXPECT_TRUE(store_->GetFindingsState()->stale());

  // Inside a caller's transaction: rolled back with it, mark included.
  ASSERT_TRUE(store_->Begin().ok());
  ASSERT_TRUE(store_->SetMembers({Member(b, b)}, false).ok());
  EXPECT_TRUE(Members(a).empty());
  // A failed call undoes only itself: the transaction goes on.
  EXPECT_FALSE(store_->SetMembers({Member(987654, a)}, false).ok());
  EXPECT_TRUE(Members(a).empty());
  ASSERT_TRUE(store_->Rollback().ok());
  EXPECT_EQ(Pairs(Members(a)), (std::vector<std::pair<std::int64_t, std::int64_t>>{{b, a}}));
  EXPECT_EQ(Changes(), changes + 1);
}

// ---------------------------------------------------------------- overrides

TEST_P(IncidentsTest, OverridesRoundTripInOrder) {
  OpenMigrated();
  const std::int64_t a = AddReport("2020-03-05", "Saraqib"), b = AddReport("2020-03-05", "Saraqib"),
                     c = AddReport("2020-03-06", "Sarmin");
  EXPECT_TRUE(store_->ListOverrides()->empty());
  const std::int64_t g = Generation(), changes = Changes();
  MatchOverride link = Override("link", b, a);  // in the order the analyst gave them
  Result<std::int64_t> first = store_->InsertOverride(link);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  MatchOverride unlink = Override("unlink", a, c);
  unlink.analyst = "J. Smith";
  unlink.note = "";
  Result<std::int64_t> second = store_->InsertOverride(unlink);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_GT(*second, *first);
  EXPECT_GT(Generation(), g);
  EXPECT_EQ(Changes(), changes + 2);

  Result<std::vector<MatchOverride>> all = store_->ListOverrides();
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 2u);
  const MatchOverride& o = (*all)[0];
  EXPECT_EQ(o.id, *first);
  EXPECT_EQ(o.kind, "link");
  EXPECT_EQ(o.report_a, b);
  EXPECT_EQ(o.report_b, a);
  EXPECT_EQ(o.analyst, link.analyst);
  EXPECT_EQ(o.decided_at, link.decided_at);
  EXPECT_EQ(o.note, link.note);
  EXPECT_EQ((*all)[1].id, *second);
  EXPECT_EQ((*all)[1].kind, "unlink");
  EXPECT_EQ((*all)[1].analyst, "J. Smith");
  EXPECT_EQ((*all)[1].note, "");
}

TEST_P(IncidentsTest, BadOverridesAreInvalidAndStoreNothing) {
  OpenMigrated();
  const std::int64_t a = AddReport("2020-03-05", "Saraqib"), b = AddReport("2020-03-05", "Saraqib");
  struct Case {
    MatchOverride o;
    std::string named;
  };
  std::vector<Case> cases;
  cases.push_back({Override("merge", a, b), "'merge'"});
  cases.push_back({Override("link", a, 987654), "987654"});
  cases.push_back({Override("unlink", 987653, b), "987653"});
  cases.push_back({Override("link", a, a), "itself"});
  cases.push_back({Override("link", a, b), "analyst"});
  cases.back().o.analyst = "";
  cases.push_back({Override("link", a, b), "time"});
  cases.back().o.decided_at = "";
  const std::int64_t changes = Changes();
  for (const Case& c : cases) {
    Result<std::int64_t> id = store_->InsertOverride(c.o);
    ASSERT_FALSE(id.ok()) << c.named;
    EXPECT_EQ(id.status().code(), StatusCode::kInvalidArgument) << id.status().ToString();
    EXPECT_NE(id.status().message().find(c.named), std::string::npos) << id.status().message();
  }
  EXPECT_TRUE(store_->ListOverrides()->empty());
  EXPECT_EQ(Changes(), changes);
  Result<EvidenceReport> v = store_->VerifyEvidence();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->intact());
}

TEST_P(IncidentsTest, EachOverrideIsADecisionInTheEvidenceLogAndVerifies) {
  OpenMigrated();
  const std::int64_t a = AddReport("2020-03-05", "Saraqib"), b = AddReport("2020-03-05", "Saraqib");
  Result<EvidenceReport> before = store_->VerifyEvidence();
  ASSERT_TRUE(before.ok() && before->intact());
  Result<std::int64_t> id = store_->InsertOverride(Override("link", a, b));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  // Inside a caller's transaction too, with the ingest's own entry at Commit.
  ASSERT_TRUE(store_->Begin().ok());
  const std::int64_t c = AddReport("2020-03-06", "Sarmin");
  ASSERT_TRUE(store_->InsertOverride(Override("unlink", a, c)).ok());
  ASSERT_TRUE(store_->Commit().ok());

  Result<EvidenceReport> after = store_->VerifyEvidence();
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_TRUE(after->intact()) << (after->problems.empty() ? "" : after->problems.front().what);
  EXPECT_EQ(after->entries, before->entries + 3);  // two decisions, one ingest
  std::vector<EvidenceExport> decisions;
  ASSERT_TRUE(store_
                  ->ForEachEvidence([&](const EvidenceExport& x) {
                    if (x.entry.kind == kEvidenceDecision) decisions.push_back(x);
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_EQ(decisions.size(), 2u);
  const EvidenceExport& d = decisions.front();
  EXPECT_NE(d.entry.subject.find("link reports " + std::to_string(a) + " and " + std::to_string(b)),
            std::string::npos)
      << d.entry.subject;
  EXPECT_NE(d.entry.subject.find("Amira Haddad"), std::string::npos) << d.entry.subject;
  ASSERT_EQ(d.parts.size(), 1u);
  EXPECT_NE(d.parts[0].first.find("decision.txt"), std::string::npos);
  EXPECT_NE(d.parts[0].second.find("# match_overrides\n"), std::string::npos);
  EXPECT_NE(d.parts[0].second.find("analyst t12 Amira Haddad\n"), std::string::npos) << d.parts[0].second;
  EXPECT_EQ(Sha256Hex(d.parts[0].second) + "  " + d.parts[0].first + "\n", d.payload);

  // A decision rewritten behind the store's back is found and named.
  store_.reset();
  RawExec(path_, "UPDATE match_overrides SET analyst = 'someone else' WHERE id = " + std::to_string(*id));
  OpenMigrated();
  Result<EvidenceReport> tampered = store_->VerifyEvidence();
  ASSERT_TRUE(tampered.ok());
  ASSERT_FALSE(tampered->intact());
  EXPECT_EQ(tampered->problems.front().kind, kEvidenceDecision);
  EXPECT_NE(tampered->problems.front().what.find("match_overrides row " + std::to_string(*id) + " was changed"),
            std::string::npos)
      << tampered->problems.front().what;

  // And one added behind its back is covered by no entry.
  store_.reset();
  RawExec(path_, "UPDATE match_overrides SET analyst = 'Amira Haddad' WHERE id = " + std::to_string(*id) +
                     "; INSERT INTO match_overrides (kind, report_a, report_b, analyst, decided_at, note) "
                     "VALUES ('unlink', " + std::to_string(a) + ", " + std::to_string(b) + ", 'x', 'y', '')");
  OpenMigrated();
  Result<EvidenceReport> added = store_->VerifyEvidence();
  ASSERT_TRUE(added.ok());
  ASSERT_EQ(added->problems.size(), 1u);
  EXPECT_NE(added->problems.front().what.find("match_overrides row"), std::string::npos);
  EXPECT_NE(added->problems.front().what.find("covered by no entry"), std::string::npos);
}

// ---------------------------------------------------------------- findings

// A finding whose estimate is given whole (not read from a report).
FindingRow MakeRow(std::int64_t incident, const std::string& provision, model::Support support,
                   const std::string& first_day, const std::string& location) {
  FindingRow r;
  model::Finding& f = r.finding;
  f.incident_id = incident;
  f.agreement_id = "idlib-2020";
  f.provision_id = provision;
  f.status = model::FindingStatus::kViolation;
  f.side = "government";
  f.reason = "Shelling in the demilitarised zone";
  f.support = support;
  f.sources = support == model::Support::kSingle ? 1 : 3;
  f.independent_sources = support == model::Support::kSingle ? 1 : 2;
  f.reported_by = support == model::Support::kSingle ? "ACLED SYR1" : "ACLED SYR1, UCDP 342211 and 1 news report";
  f.grades = support == model::Support::kSingle ? "ACLED B" : "ACLED B, UCDP B, news C";
  r.date = Day(first_day);
  r.last_date = r.date + std::chrono::days{1};
  r.location = location;
  r.admin1 = "Idlib (estimate)";
  r.point = {35.5 + static_cast<double>(incident) / 100, 36.5};
  r.event_type = "Explosions/Remote violence";
  r.sub_event_type = "Shelling/artillery/missile attack";
  r.actor1 = "Government of Syria";
  r.actor2 = "HTS";
  r.fatalities = 4;
  r.fatalities_low = 2;
  r.fatalities_high = 6;
  r.dataset = "ucdp-ged";
  r.source_id = "342211";
  return r;
}

TEST_P(IncidentsTest, FindingsReadTheEstimateAsGivenNotTheReport) {
  OpenMigrated();
  const std::int64_t a = AddReport("2020-03-05", "Saraqib");
  // The estimate differs from report a in every field: a day later, elsewhere.
  FindingRow want = MakeRow(a, "art1", model::Support::kCorroborated, "2020-03-06", "Sarmin");
  ASSERT_TRUE(store_->ReplaceFindings({want}, {}).ok());
  Result<std::vector<FindingRow>> rows = store_->QueryFindings({});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 1u);
  const FindingRow& r = rows->front();
  EXPECT_GT(r.finding_id, 0);
  EXPECT_EQ(r.finding.incident_id, a);
  EXPECT_EQ(r.finding.support, model::Support::kCorroborated);
  EXPECT_EQ(r.finding.sources, want.finding.sources);
  EXPECT_EQ(r.finding.independent_sources, want.finding.independent_sources);
  EXPECT_EQ(r.finding.reported_by, want.finding.reported_by);
  EXPECT_EQ(r.finding.grades, want.finding.grades);
  EXPECT_EQ(r.date, want.date);
  EXPECT_EQ(r.last_date, want.last_date);
  EXPECT_EQ(r.location, "Sarmin");
  EXPECT_EQ(r.admin1, want.admin1);
  EXPECT_EQ(r.point, want.point);
  EXPECT_EQ(r.event_type, want.event_type);
  EXPECT_EQ(r.sub_event_type, want.sub_event_type);
  EXPECT_EQ(r.actor1, want.actor1);
  EXPECT_EQ(r.actor2, want.actor2);
  EXPECT_EQ(r.fatalities, 4);
  EXPECT_EQ(r.fatalities_low, 2);
  EXPECT_EQ(r.fatalities_high, 6);
  EXPECT_EQ(r.dataset, "ucdp-ged");
  EXPECT_EQ(r.source_id, "342211");
  // The date filter reads the estimate's day, not the report's.
  FindingFilter f;
  f.from_day = f.to_day = Day("2020-03-05");
  EXPECT_TRUE(store_->QueryFindings(f)->empty());
  f.from_day = f.to_day = Day("2020-03-06");
  EXPECT_EQ(store_->QueryFindings(f)->size(), 1u);
}

TEST_P(IncidentsTest, SupportFilterSelectsAndUnknownSupportIsInvalid) {
  OpenMigrated();
  const std::int64_t a = AddReport("2020-03-05", "Saraqib"), b = AddReport("2020-03-06", "Sarmin"),
                     c = AddReport("2020-03-07", "Nairab");
  std::vector<FindingRow> rows = {MakeRow(a, "art1", model::Support::kSingle, "2020-03-05", "Saraqib"),
                                  MakeRow(b, "art1", model::Support::kCorroborated, "2020-03-06", "Sarmin"),
                                  MakeRow(b, "art2", model::Support::kCorroborated, "2020-03-06", "Sarmin"),
                                  MakeRow(c, "art1", model::Support::kObserved, "2020-03-07", "Nairab")};
  ASSERT_TRUE(store_->ReplaceFindings(rows, {}).ok());
  for (model::Support support :
       {model::Support::kSingle, model::Support::kCorroborated, model::Support::kObserved}) {
    FindingFilter f;
    f.support = model::SupportName(support);
    Result<std::vector<FindingRow>> got = store_->QueryFindings(f);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    const auto want = std::count_if(rows.begin(), rows.end(), [&](const FindingRow& r) {
      return r.finding.support == support;
    });
    EXPECT_EQ(static_cast<std::ptrdiff_t>(got->size()), want) << f.support;
    for (const FindingRow& r : *got) EXPECT_EQ(r.finding.support, support);
  }
  // With other filters and paging: the order and pages are the same key.
  FindingFilter page;
  page.support = "corroborated";
  page.limit = 1;
  Result<std::vector<FindingRow>> p1 = store_->QueryFindings(page);
  ASSERT_TRUE(p1.ok() && p1->size() == 1u);
  EXPECT_EQ(p1->front().finding.provision_id, "art1");
  const FindingRow& last = p1->front();
  page.after = FindingFilter::Position{last.date, last.finding.incident_id, last.finding.agreement_id,
                                       last.finding.provision_id, last.finding_id};
  Result<std::vector<FindingRow>> p2 = store_->QueryFindings(page);
  ASSERT_TRUE(p2.ok() && p2->size() == 1u);
  EXPECT_EQ(p2->front().finding.provision_id, "art2");
  page.after = FindingFilter::Position{p2->front().date, p2->front().finding.incident_id, "idlib-2020", "art2",
                                       p2->front().finding_id};
  EXPECT_TRUE(store_->QueryFindings(page)->empty());

  FindingFilter bad;
  bad.support = "corroborated'; --";
  Result<std::vector<FindingRow>> r = store_->QueryFindings(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("single, corroborated, observed"), std::string::npos) << r.status().message();
}

// ---------------------------------------------------------------- upgrade

TEST_P(IncidentsTest, AVersion5DatabaseWithFindingsGetsTheirIncidentsValuesAndIsRuledAgain) {
  // A version-5 database made by the migrations' own statements, with two
  // reports (one with UCDP's low/high) and findings ruled on them.
  std::string sql = "BEGIN;\n" + db_->SchemaAt(5);
  sql +=
      "INSERT INTO reports (id, dataset, source_file, file_hash, file_row, raw, content_hash) VALUES "
      "(1, 'acled', 'a.csv', 'f', 2, 'r1', 'c1'), (2, 'ucdp-ged', 'u.csv', 'g', 2, 'r2', 'c2');\n"
      "INSERT INTO incidents (id, report_id, dataset, source_id, first_day, last_day, date_precision, event_type, "
      "sub_event_type, native_code, actor1, assoc_actor1, actor2, assoc_actor2, country, iso3, admin1, admin2, "
      "admin3, location, lat_deg, lon_deg, uncertainty_m, geo_precision, time_precision, fatalities, "
      "fatalities_low, fatalities_high, source, notes) VALUES "
      "(1, 1, 'acled', 'SYR1', '2020-03-07', '2020-03-07', 'day', 'Explosions/Remote violence', 'Shelling', '', "
      "'Military Forces of Syria', '', 'HTS', '', 'Syria', 'SYR', 'Idlib', '', '', 'Saraqib', 35.86, 36.8, 2000, 1, "
      "1, 3, NULL, NULL, '', ''),"
      "(2, 2, 'ucdp-ged', '342211', '2020-03-05', '2020-03-06', 'range', 'state-based', '', '', "
      "'Government of Syria', '', 'HTS', '', 'Syria', 'SYR', 'Idlib governorate', '', '', 'Sarmin', 35.9, 36.72, "
      "5000, 2, 2, 4, 2, 6, '', '');\n"
      "INSERT INTO findings (incident_id, agreement_id, provision_id, status, side, guarantor, actor_id, zone_id, "
      "distance_m, seconds_from_start, confidence, reason) VALUES "
      "(1, 'idlib-2020', 'art1', 'violation', 'government', 'RUS', 'syrian-army', 'dz', -10, 5, 1, 'r one'),"
      "(2, 'idlib-2020', 'art1', 'undetermined', 'government', 'RUS', 'syrian-army', 'dz', 3, 5, 0.5, 'r two');\n"
      "UPDATE findings_state SET changes = 4, ruled = 4;\n"
      "COMMIT;\n";
  RawExec(path_, sql);
  OpenMigrated();
  ASSERT_EQ(*store_->SchemaVersion(), LatestSchemaVersion());
  Result<FindingsState> st = store_->GetFindingsState();
  ASSERT_TRUE(st.ok());
  EXPECT_TRUE(st->stale());  // the next `truce rule` rewrites them with their support

  // The same order and values as the join with the reports gave.
  Result<std::vector<FindingRow>> rows = store_->QueryFindings({});
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 2u);
  const FindingRow& u = (*rows)[0];
  const FindingRow& a = (*rows)[1];
  EXPECT_EQ(u.finding.incident_id, 2);
  EXPECT_EQ(a.finding.incident_id, 1);
  for (const FindingRow& r : *rows) {
    Result<std::optional<model::Report>> in = store_->GetReport(r.finding.incident_id);
    ASSERT_TRUE(in.ok() && in->has_value());
    const model::Report& x = **in;
    EXPECT_EQ(r.date, x.time.first_day);
    EXPECT_EQ(r.last_date, x.time.last_day);
    EXPECT_EQ(r.location, x.location);
    EXPECT_EQ(r.admin1, x.admin1);
    EXPECT_EQ(r.point, x.point);
    EXPECT_EQ(r.event_type, x.event_type);
    EXPECT_EQ(r.sub_event_type, x.sub_event_type);
    EXPECT_EQ(r.actor1, x.actor1);
    EXPECT_EQ(r.actor2, x.actor2);
    EXPECT_EQ(r.fatalities, x.fatalities);
    EXPECT_EQ(r.fatalities_low, x.fatalities_low.value_or(x.fatalities));
    EXPECT_EQ(r.fatalities_high, x.fatalities_high.value_or(x.fatalities));
    EXPECT_EQ(r.dataset, x.dataset);
    EXPECT_EQ(r.source_id, x.source_id);
    EXPECT_EQ(r.finding.support, model::Support::kSingle);
    EXPECT_EQ(r.finding.sources, 1);
    EXPECT_EQ(r.finding.independent_sources, 1);
  }
  EXPECT_EQ(u.fatalities_low, 2);
  EXPECT_EQ(u.fatalities_high, 6);
  EXPECT_EQ(a.fatalities_low, 3);
  EXPECT_EQ(a.finding.reason, "r one");
  EXPECT_EQ(a.finding.status, model::FindingStatus::kViolation);
  FindingFilter by_day;
  by_day.from_day = Day("2020-03-06");
  EXPECT_EQ(store_->QueryFindings(by_day)->size(), 1u);
  EXPECT_TRUE(Members(0).empty());
  EXPECT_TRUE(store_->ListOverrides()->empty());
}

INSTANTIATE_TEST_SUITE_P(Sqlite, IncidentsTest, ::testing::Values(testdb::Engine::kSqlite), ParamName);
INSTANTIATE_TEST_SUITE_P(Postgres, IncidentsTest, ::testing::Values(testdb::Engine::kPostgres), ParamName);

}  // namespace
}  // namespace truce::store
