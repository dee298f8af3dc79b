// The incident index on a real SQLite store: filters, paging, timeline and
// clusters, and rebuilding when the data changes.
#include "truce/query/incident_index.h"

#include <algorithm>
#include <filesystem>
#include <random>
#include <set>
#include <unistd.h>

#include <gtest/gtest.h>

#include "truce/core/env.h"

namespace truce::query {
namespace {

using S = model::FindingStatus;

time::Days Day(const char* iso) { return *time::ParseIsoDate(iso); }

class IndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "truce_index_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db";
    std::filesystem::remove(path_);
    auto s = store::OpenSqlite(path_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
    ASSERT_TRUE(store_->Migrate().ok());
    // Kansafra and Saraqib (Idlib), and one far away in Aleppo city.
    a_ = Add("2020-03-05", 35.72, 36.51, "Kansafra", "Explosions/Remote violence");
    b_ = Add("2020-03-06", 35.86, 36.80, "Saraqib", "Battles");
    c_ = Add("2020-03-06", 35.86, 36.80, "Saraqib", "Explosions/Remote violence");
    d_ = Add("2020-03-09", 36.20, 37.16, "Aleppo", "Explosions/Remote violence");
    std::vector<model::Finding> findings = {
        F(a_, "protocol", S::kOutsideScope, ""),        F(b_, "protocol", S::kExempt, "opposition"),
        F(c_, "protocol", S::kViolation, "government"), F(c_, "memorandum", S::kViolation, "opposition"),
        F(d_, "memorandum", S::kNoViolation, ""),
    };
    ASSERT_TRUE(store_->ReplaceFindings(Rows(findings), {}).ok());
  }
  void TearDown() override {
    store_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }

  std::int64_t Add(const char* day, double lat, double lon, const char* place, const char* type) {
    model::SourceRecord r;
    r.dataset = "acled";
    r.source_file = "x.csv";
    r.file_hash = "h";
    r.row = ++rows_;
    r.raw = place + std::to_string(rows_);
    r.content_hash = Sha256Hex(r.raw);
    auto report_id = store_->InsertSourceRecord(r);
    EXPECT_TRUE(report_id.ok() && report_id->has_value());
    model::Report in;
    in.record_id = **report_id;
    in.dataset = "acled";
    in.source_id = "SYR" + std::to_string(rows_);
    in.time.first_day = in.time.last_day = Day(day);
    in.point = {lat, lon};
    in.location = place;
    in.event_type = type;
    auto id = store_->InsertReport(in);
    EXPECT_TRUE(id.ok());
    return *id;
  }
  static model::Finding F(std::int64_t incident, const char* agreement, S status, const char* side) {
    model::Finding f;
    f.incident_id = incident;
    f.agreement_id = agreement;
    f.provision_id = "art1";
    f.status = status;
    f.side = side;
    return f;
  }
  // Findings as stored for incidents of one report each: the estimate is the report's own values.
  std::vector<store::FindingRow> Rows(const std::vector<model::Finding>& findings) {
    std::vector<store::FindingRow> rows;
    for (const model::Finding& f : findings) {
      store::FindingRow r;
      r.finding = f;
      auto in = store_->GetReport(f.incident_id);
      EXPECT_TRUE(in.ok() && in->has_value());
      if (in.ok() && in->has_value()) {
        r.date = (*in)->time.first_day;
        r.last_date = (*in)->time.last_day;
        r.point = (*in)->point;
        r.location = (*in)->location;
        r.event_type = (*in)->event_type;
        r.dataset = (*in)->dataset;
        r.source_id = (*in)->source_id;
      }
      rows.push_back(std::move(r));
    }
    return rows;
  }
  std::shared_ptr<const IncidentIndex> Index() {
    // Each report an incident of its own (reconciling is not this module's).
    auto index = cache_.Get(*store_, [this](const std::function<void(const model::Incident&)>& fn) {
      return store_->ForEachReport({}, [&](const model::Report& r) {
        model::Incident alone;
        alone.id = r.id;
        alone.estimate = r;
        alone.sources.push_back({r.id, r.dataset, r.source_id, "", "", 1, "", "matcher"});
        fn(alone);
        return Status::Ok();
      });
    });
    EXPECT_TRUE(index.ok()) << index.status().ToString();
    return *index;
  }
  static std::vector<std::int64_t> Ids(const Page& p) {
    std::vector<std::int64_t> ids;
    for (const IncidentOutline* o : p.items) ids.push_back(o->id);
    return ids;
  }

  std::string path_;
  std::unique_ptr<store::Store> store_;
  IndexCache cache_;
  int rows_ = 0;
  std::int64_t a_ = 0, b_ = 0, c_ = 0, d_ = 0;
};

TEST_F(IndexTest, EachFilterSelects) {
  auto index = Index();
  ASSERT_EQ(index->size(), 4u);
  auto ids = [&](Filter f) { return Ids(index->Find(f, std::nullopt, 100)); };
  EXPECT_EQ(ids({}), (std::vector<std::int64_t>{a_, b_, c_, d_}));
  Filter f;
  f.agreement_id = "protocol";
  EXPECT_EQ(ids(f), (std::vector<std::int64_t>{a_, b_, c_}));
  f.status = S::kViolation;
  EXPECT_EQ(ids(f), (std::vector<std::int64_t>{c_}));
  f.side = "opposition";  // the opposition's violation is under the memorandum, not the protocol
  EXPECT_TRUE(ids(f).empty());
  f = {};
  f.side = "opposition";
  f.status = S::kViolation;
  EXPECT_EQ(ids(f), (std::vector<std::int64_t>{c_}));
  f = {};
  f.event_type = "Battles";
  EXPECT_EQ(ids(f), (std::vector<std::int64_t>{b_}));
  f = {};
  f.bbox = geo::BBox{35.5, 36.0, 36.0, 37.0};
  EXPECT_EQ(ids(f), (std::vector<std::int64_t>{a_, b_, c_}));
  f = {};
  f.from_day = Day("2020-03-06");
  f.to_day = Day("2020-03-06");
  EXPECT_EQ(ids(f), (std::vector<std::int64_t>{b_, c_}));
}

// The text an OutlineRenderer writes is kept with each incident and finding
// (findings in the order the store gives them),
// whatever order the loader gives them in; without one there is none.
TEST_F(IndexTest, KeepsTheRenderersTextWithEachIncidentAndFinding) {
  auto load = [this](const std::function<void(const model::Incident&)>& fn) {
    std::vector<model::Incident> all;
    TRUCE_RETURN_IF_ERROR(store_->ForEachReport({}, [&](const model::Report& r) {
      model::Incident alone;
      alone.id = r.id;
      alone.estimate = r;
      all.push_back(std::move(alone));
      return Status::Ok();
    }));
    for (auto it = all.rbegin(); it != all.rend(); ++it) fn(*it);  // newest first: not the index's order
    return Status::Ok();
  };
  OutlineRenderer render;
  render.incident = [](const model::Incident& in, std::string* out) {
    *out += "<" + std::to_string(in.id) + " " + in.estimate.location + ">";
  };
  render.finding = [](const FindingOutline& f, std::string* out) {
    *out += "[" + f.agreement_id + " " + model::FindingStatusName(f.status) + "]";
  };
  auto built = IncidentIndex::Build(*store_, load, render);
  ASSERT_TRUE(built.ok()) << built.status().ToString();
  std::vector<std::string> seen;
  (*built)->ForEach({}, [&](const IncidentOutline& o) {
    std::string line(o.fixed_json);
    for (const FindingOutline& f : o.findings) line += f.json;
    seen.push_back(line);
    return true;
  });
  auto id = [](std::int64_t v) { return std::to_string(v); };
  EXPECT_EQ(seen, (std::vector<std::string>{
                      "<" + id(a_) + " Kansafra>[protocol outside_scope]",
                      "<" + id(b_) + " Saraqib>[protocol exempt]",
                      "<" + id(c_) + " Saraqib>[memorandum violation][protocol violation]",
                      "<" + id(d_) + " Aleppo>[memorandum no_violation]",
                  }));

  auto plain = IncidentIndex::Build(*store_, load);
  ASSERT_TRUE(plain.ok());
  (*plain)->ForEach({}, [&](const IncidentOutline& o) {
    EXPECT_TRUE(o.fixed_json.empty());
    for (const FindingOutline& f : o.findings) EXPECT_TRUE(f.json.empty());
    return true;
  });
}

TEST_F(IndexTest, PagesFollowOnWithoutGapsOrRepeats) {
  auto index = Index();
  Page p1 = index->Find({}, std::nullopt, 3);
  EXPECT_EQ(Ids(p1), (std::vector<std::int64_t>{a_, b_, c_}));
  ASSERT_TRUE(p1.next.has_value());
  Page p2 = index->Find({}, p1.next, 3);
  EXPECT_EQ(Ids(p2), (std::vector<std::int64_t>{d_}));
  EXPECT_FALSE(p2.next.has_value());
  Page exact = index->Find({}, std::nullopt, 4);
  EXPECT_FALSE(exact.next.has_value());  // nothing more: no cursor to an empty page
}

TEST_F(IndexTest, WorstStatusPerAgreement) {
  auto index = Index();
  const IncidentOutline* c = nullptr;
  index->ForEach({}, [&](const IncidentOutline& o) {
    if (o.id == c_) c = &o;
    return true;
  });
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(WorstStatus(*c, ""), S::kViolation);
  const IncidentOutline* d = nullptr;
  index->ForEach({}, [&](const IncidentOutline& o) {
    if (o.id == d_) d = &o;
    return true;
  });
  EXPECT_FALSE(WorstStatus(*d, "protocol").has_value());
  EXPECT_EQ(WorstStatus(*d, "memorandum"), S::kNoViolation);
}

TEST_F(IndexTest, TimelineCountsViolationsPerSidePerDayOverEveryDay) {
  Filter f;
  f.agreement_id = "protocol";
  Timeline t = Index()->Daily(f);
  ASSERT_EQ(t.days.size(), 2u);  // 5 and 6 March: the protocol's incidents
  EXPECT_EQ(t.incidents, (std::vector<std::int64_t>{1, 2}));
  ASSERT_EQ(t.violations.size(), 1u);
  EXPECT_EQ(t.violations.at("government"), (std::vector<std::int64_t>{0, 1}));

  f = {};
  f.from_day = Day("2020-03-04");
  f.to_day = Day("2020-03-10");
  t = Index()->Daily(f);
  ASSERT_EQ(t.days.size(), 7u);
  EXPECT_EQ(t.incidents, (std::vector<std::int64_t>{0, 1, 2, 0, 0, 1, 0}));
  EXPECT_EQ(t.violations.at("government")[2], 1);
  EXPECT_EQ(t.violations.at("opposition")[2], 1);
}

TEST_F(IndexTest, ClustersGroupByCellWithStatusCounts) {
  std::vector<Cluster> cells = Index()->Clusters({}, 0.2);
  std::int64_t total = 0;
  for (const Cluster& c : cells) total += c.count;
  EXPECT_EQ(total, 4);
  const Cluster* saraqib = nullptr;
  for (const Cluster& c : cells)
    if (c.count == 2) saraqib = &c;
  ASSERT_NE(saraqib, nullptr);
  EXPECT_NEAR(saraqib->centre.lat_deg, 35.86, 1e-9);
  EXPECT_EQ(saraqib->by_status.at("violation"), 1);
  EXPECT_EQ(saraqib->by_status.at("exempt"), 1);
}

TEST_F(IndexTest, TheCacheRebuildsOnlyWhenTheDataChanged) {
  auto first = Index();
  EXPECT_EQ(Index().get(), first.get());
  ASSERT_TRUE(store_->ReplaceFindings({}, {}).ok());
  auto second = Index();
  EXPECT_NE(second.get(), first.get());
  Filter f;
  f.status = S::kViolation;
  EXPECT_EQ(second->Count(f), 0u);
  EXPECT_EQ(first->Count(f), 1u);  // an index handed out stays as it was
}

TEST_F(IndexTest, FiltersAgreeWithABruteForceCheckOverManyAgreements) {
  // More agreements than the scan's bit set numbers (12): the rest go by the outline.
  std::vector<std::int64_t> ids = {a_, b_, c_, d_};
  for (int k = 0; k < 20; ++k) ids.push_back(Add("2020-03-07", 35.8, 36.6, "Sarmin", "Battles"));
  std::vector<model::Finding> findings;
  for (std::size_t k = 0; k < ids.size(); ++k) {
    const std::string agreement = "agreement-" + std::to_string(k % 16);
    findings.push_back(F(ids[k], agreement.c_str(), static_cast<S>(k % 5), k % 2 ? "government" : "opposition"));
    if (k % 3 == 0) findings.push_back(F(ids[k], "agreement-15", S::kViolation, "government"));
  }
  ASSERT_TRUE(store_->ReplaceFindings(Rows(findings), {}).ok());
  auto index = Index();
  for (int a = -1; a < 17; ++a) {
    for (int st = -1; st < 5; ++st) {
      Filter f;
      if (a >= 0) f.agreement_id = "agreement-" + std::to_string(a);  // 16: none has it
      if (st >= 0) f.status = static_cast<S>(st);
      std::set<std::int64_t> expected;
      for (const model::Finding& x : findings) {
        if ((a < 0 || x.agreement_id == f.agreement_id) && (st < 0 || x.status == *f.status)) {
          expected.insert(x.incident_id);
        }
      }
      if (a < 0 && st < 0) expected.insert(ids.begin(), ids.end());
      std::set<std::int64_t> got;
      index->ForEach(f, [&](const IncidentOutline& o) {
        got.insert(o.id);
        return true;
      });
      EXPECT_EQ(got, expected) << "agreement " << a << ", status " << st;
    }
  }
}

TEST_F(IndexTest, PagedQueriesAgreeWithABruteForceCheckOnSparseAndDenseStatuses) {
  // Many incidents over two months; violations rare (a filter on them reads
  // only the incidents that have one), outside_scope common (it reads the
  // window). Every page of every query, in order, against a brute force.
  std::mt19937 rng(20201);
  auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  struct Stored {
    std::int64_t id;
    time::Days day;
    double lat, lon;
  };
  std::vector<Stored> stored = {{a_, Day("2020-03-05"), 35.72, 36.51},
                                {b_, Day("2020-03-06"), 35.86, 36.80},
                                {c_, Day("2020-03-06"), 35.86, 36.80},
                                {d_, Day("2020-03-09"), 36.20, 37.16}};
  std::vector<model::Finding> findings = {
      F(a_, "protocol", S::kOutsideScope, ""),        F(b_, "protocol", S::kExempt, "opposition"),
      F(c_, "protocol", S::kViolation, "government"), F(c_, "memorandum", S::kViolation, "opposition"),
      F(d_, "memorandum", S::kNoViolation, ""),
  };
  const char* agreements[] = {"protocol", "memorandum", "accord"};
  const char* sides[] = {"", "government", "opposition"};
  for (int k = 0; k < 400; ++k) {
    const time::Days day = Day("2020-02-01") + time::Days::duration(uniform(0, 59));
    const double lat = 35.0 + uniform(0, 100) / 100.0, lon = 36.0 + uniform(0, 100) / 100.0;
    const std::string iso = time::FormatDate(day);
    stored.push_back({Add(iso.c_str(), lat, lon, "Somewhere", "Battles"), day, lat, lon});
    for (int n = uniform(0, 3); n > 0; --n) {
      const int roll = uniform(0, 99);
      const S status = roll < 4    ? S::kViolation
                       : roll < 10 ? S::kUndetermined
                       : roll < 20 ? S::kExempt
                       : roll < 30 ? S::kNoViolation
                                   : S::kOutsideScope;
      findings.push_back(F(stored.back().id, agreements[uniform(0, 2)], status, sides[uniform(0, 2)]));
    }
  }
  ASSERT_TRUE(store_->ReplaceFindings(Rows(findings), {}).ok());
  auto index = Index();
  for (int q = 0; q < 300; ++q) {
    Filter f;
    if (uniform(0, 3) > 0) f.agreement_id = agreements[uniform(0, 2)];
    if (uniform(0, 3) > 0) f.status = static_cast<S>(uniform(0, 4));
    if (uniform(0, 3) == 0) f.side = sides[uniform(1, 2)];
    if (uniform(0, 1) == 0) {
      const double lat = 35.0 + uniform(0, 60) / 100.0, lon = 36.0 + uniform(0, 60) / 100.0;
      f.bbox = geo::BBox{lat, lon, lat + uniform(5, 40) / 100.0, lon + uniform(5, 40) / 100.0};
    }
    if (uniform(0, 3) > 0) f.from_day = Day("2020-02-01") + time::Days::duration(uniform(-5, 60));
    if (uniform(0, 3) > 0) f.to_day = Day("2020-02-01") + time::Days::duration(uniform(-5, 60));
    std::vector<std::pair<time::Days, std::int64_t>> expected;
    for (const Stored& in : stored) {
      if ((f.from_day && in.day < *f.from_day) || (f.to_day && in.day > *f.to_day)) continue;
      if (f.bbox && !f.bbox->Contains({in.lat, in.lon})) continue;
      const bool asks = !f.agreement_id.empty() || f.status || !f.side.empty();
      const bool has = std::any_of(findings.begin(), findings.end(), [&](const model::Finding& x) {
        return x.incident_id == in.id && (f.agreement_id.empty() || x.agreement_id == f.agreement_id) &&
               (!f.status || x.status == *f.status) && (f.side.empty() || x.side == f.side);
      });
      if (!asks || has) expected.emplace_back(in.day, in.id);
    }
    std::sort(expected.begin(), expected.end());
    std::vector<std::int64_t> want, got;
    for (const auto& e : expected) want.push_back(e.second);
    const std::size_t limit = static_cast<std::size_t>(uniform(1, 40));
    std::optional<Cursor> after;
    for (int pages = 0; pages < 1000; ++pages) {
      const Page page = index->Find(f, after, limit);
      EXPECT_LE(page.items.size(), limit);
      for (const std::int64_t id : Ids(page)) got.push_back(id);
      if (!page.next) break;
      after = page.next;
    }
    ASSERT_EQ(got, want) << "query " << q;
    EXPECT_EQ(index->Count(f), want.size()) << "query " << q;
  }
}

}  // namespace
}  // namespace truce::query
