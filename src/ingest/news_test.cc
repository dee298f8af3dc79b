#include "truce/ingest/news.h"

#include <gtest/gtest.h>

#include <climits>
#include <optional>
#include <string>
#include <vector>

#include "truce/core/sha256.h"

namespace truce::ingest {
namespace {

extract::EventOut Event(std::string date, std::optional<double> lat, std::optional<double> lon) {
  extract::EventOut e;
  e.date = std::move(date);
  e.event_type = "Explosions/Remote violence";
  e.sub_event_type = "Shelling/artillery/missile attack";
  e.location.name = "Kafr Nabl";
  e.location.country = "SYR";
  e.location.admin1 = "Idleb";
  e.location.lat = lat;
  e.location.lon = lon;
  e.source.begin = 4;
  e.source.end = 40;
  e.source.sentence = "Shelling hit Kafr Nabl.";
  return e;
}

struct Read {
  Result<ArticleSummary> summary = Status::Internal("not read");
  std::vector<Record> records;
};

Read ReadIt(const std::string& bytes, const extract::Extraction& x, const ArticleReadOptions& options = {}) {
  Read out;
  out.summary = ReadArticle(bytes, "a.txt", x, options, [&](Record&& r) {
    out.records.push_back(std::move(r));
    return Status::Ok();
  });
  return out;
}

TEST(ReadArticleTest, TheArticleIsOneSourceRecord) {
  const std::string bytes = "Shelling hit Kafr Nabl.\n";
  extract::Extraction x;
  x.sentence_count = 1;
  Read r = ReadIt(bytes, x);
  ASSERT_TRUE(r.summary.ok()) << r.summary.status().ToString();
  ASSERT_EQ(r.records.size(), 1u);
  const model::SourceRecord& s = r.records[0].source;
  EXPECT_EQ(s.dataset, "news");
  EXPECT_EQ(s.source_file, "a.txt");
  EXPECT_EQ(s.row, 1);
  EXPECT_EQ(s.raw, bytes);
  EXPECT_EQ(s.file_hash, Sha256Hex(bytes));
  EXPECT_EQ(s.content_hash, Sha256Hex("news\n" + bytes));
  EXPECT_FALSE(r.records[0].has_incident);
  EXPECT_TRUE(r.records[0].incidents.empty());
}

TEST(ReadArticleTest, NoSentenceIsAParseError) {
  extract::Extraction x;
  Read r = ReadIt("", x);
  ASSERT_FALSE(r.summary.ok());
  EXPECT_EQ(r.summary.status().message(), "a.txt: no sentences found; nothing stored");
  EXPECT_TRUE(r.records.empty());
}

TEST(ReadArticleTest, EventsWithADayAndAPlaceBecomeIncidents) {
  const std::string bytes = "text";
  extract::Extraction x;
  x.sentence_count = 3;
  x.title = "Shelling in Idlib";
  x.events.push_back(Event("2020-03-05", 35.5, 36.5));
  x.events.push_back(Event("", 35.5, 36.5));               // no day
  x.events.push_back(Event("2020-03-05", std::nullopt, 36.5));  // no place
  x.events.push_back(Event("2020-02", 35.6, 36.6));
  x.events.push_back(Event("2019", 35.7, 36.7));
  x.events[0].fatalities = 3e12;  // clamped
  ArticleReadOptions options;
  options.place_uncertainty_m = 5000;
  options.file_hash = "given";
  options.country_name = [](std::string_view iso3) { return iso3 == "SYR" ? std::string("Syria") : std::string(); };
  Read r = ReadIt(bytes, x, options);
  ASSERT_TRUE(r.summary.ok());
  EXPECT_EQ(r.summary->events, 5);
  EXPECT_EQ(r.summary->not_located, 2);
  ASSERT_EQ(r.records.size(), 1u);
  const Record& rec = r.records[0];
  EXPECT_EQ(rec.source.file_hash, "given");
  ASSERT_EQ(rec.incidents.size(), 3u);
  const std::string prefix = rec.source.content_hash.substr(0, 12) + "#e";
  EXPECT_EQ(rec.incidents[0].source_id, prefix + "1");
  EXPECT_EQ(rec.incidents[1].source_id, prefix + "4");  // numbered among all events
  EXPECT_EQ(rec.incidents[2].source_id, prefix + "5");
  const model::Report& a = rec.incidents[0];
  EXPECT_EQ(a.dataset, "news");
  EXPECT_EQ(a.country, "Syria");
  EXPECT_EQ(a.iso3, "SYR");
  EXPECT_EQ(a.uncertainty_m, 5000);
  EXPECT_EQ(a.fatalities, INT_MAX);
  EXPECT_EQ(a.source, "Shelling in Idlib");
  EXPECT_EQ(a.notes, "Shelling hit Kafr Nabl.");
  EXPECT_EQ(a.span_begin, 4);
  EXPECT_EQ(a.span_end, 40);
  // The reading's confidence goes with the report (a dataset's row has 1).
  EXPECT_GT(a.confidence, 0);
  EXPECT_LT(a.confidence, 1);
  EXPECT_EQ(a.time.precision, time::TimePrecision::kDay);
  EXPECT_EQ(rec.incidents[1].time.precision, time::TimePrecision::kMonth);
  EXPECT_EQ(time::FormatDate(rec.incidents[1].time.last_day), "2020-02-29");
  EXPECT_EQ(rec.incidents[2].time.precision, time::TimePrecision::kYear);
  EXPECT_EQ(time::FormatDate(rec.incidents[2].time.first_day), "2019-01-01");
}

TEST(ReadArticleTest, ClaimsVagueFiguresAndAccusationsInThatOrder) {
  extract::Extraction x;
  x.sentence_count = 1;
  extract::ClaimOut c;
  c.claimant = {"SOHR", "", "monitor"};
  c.kind = "killed";
  c.count = 12;
  c.from = "2020-03-01";
  x.claims.push_back(c);
  extract::VagueFigureOut v;
  v.claimant = {"UN", "", "un"};
  v.kind = "displaced";
  v.text = "hundreds of thousands";
  x.vague_figures.push_back(v);
  extract::AccusationOut a;
  a.accuser = {"Turkey", "TUR", "state"};
  a.accused = {"Syrian army", "SYR", "state"};
  a.of = "violating the ceasefire";
  x.accusations.push_back(a);
  Read r = ReadIt("x", x);
  ASSERT_TRUE(r.summary.ok());
  const std::vector<model::Claim>& claims = r.records[0].claims;
  ASSERT_EQ(claims.size(), 3u);
  EXPECT_EQ(claims[0].kind, "killed");
  EXPECT_EQ(claims[0].count, 12.0);
  EXPECT_EQ(claims[0].from_day, "2020-03-01");
  EXPECT_EQ(claims[1].qualifier, "vague");
  EXPECT_EQ(claims[1].text, "hundreds of thousands");
  EXPECT_EQ(claims[2].kind, "accusation");
  EXPECT_EQ(claims[2].claimant_name, "Turkey");
  EXPECT_EQ(claims[2].by_name, "Syrian army");
  EXPECT_EQ(claims[2].text, "violating the ceasefire");
}

}  // namespace
}  // namespace truce::ingest
