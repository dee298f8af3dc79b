// UCDP GED releases: the current 49-column layout (ingest_test.cc reads it
// field by field), the GED 5.0 era and the GED 1.x/2.x era, by column names
// whatever their order and case; what a UCDP-like header lacks; the two real
// samples in /work/shared when they are there.
#include <gtest/gtest.h>

#include <date/date.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "internal.h"
#include "testing.h"
#include "truce/core/env.h"
#include "truce/core/strings.h"
#include "truce/ingest/ingest.h"

namespace truce::ingest {
namespace {

using namespace reader_testing;

using time::TimePrecision;

// A file of one header and rows given as column -> value (no commas or
// quotes in values), the columns in the order given.
std::string File(const std::vector<std::string>& columns, const std::vector<std::map<std::string, std::string>>& rows) {
  std::string out = Join(columns, ",") + "\n";
  for (const auto& row : rows) {
    std::vector<std::string> cells;
    for (const std::string& c : columns) {
      auto it = row.find(ToLowerAscii(c));
      cells.push_back(it == row.end() ? "" : it->second);
    }
    out += Join(cells, ",") + "\n";
  }
  return out;
}

// The columns of `fixture`'s header and its first data row as column -> value.
std::pair<std::vector<std::string>, std::map<std::string, std::string>> FirstRow(const std::string& fixture) {
  std::string text = Load(Fixture(fixture));
  std::vector<std::string> columns = Split(text.substr(0, text.find('\n')), ',');
  CsvTokenizer tok(text);
  CsvRecord header, row;
  EXPECT_TRUE(tok.Next(&header));
  EXPECT_TRUE(tok.Next(&row));
  std::map<std::string, std::string> values;
  for (std::size_t i = 0; i < columns.size() && i < row.fields.size(); ++i) {
    values[columns[i]] = std::string(row.fields[i]);
  }
  return {columns, values};
}

// Without the quoted source fields, which hold commas.
std::map<std::string, std::string> Plain(const std::map<std::string, std::string>& values) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : values) out[k] = v.find(',') == std::string::npos ? v : "";
  return out;
}

std::string Upper(std::string s) {
  for (char& c : s) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  return s;
}

// ---------------------------------------------------------------- each layout

TEST(UcdpLayoutTest, Ged2EraBestEstHighEstLowEst) {
  Outcome o = ReadText(Load(Fixture("ucdp_ged_v2.csv")), "ucdp_ged_v2.csv");
  ASSERT_TRUE(o.summary.ok()) << o.summary.status().ToString();
  EXPECT_EQ(o.summary->format, Format::kUcdp);
  EXPECT_EQ(o.summary->variant, "ucdp-ged-2");
  ASSERT_EQ(o.records.size(), 3u);
  EXPECT_EQ(o.records[0].source.dataset, "ucdp");
  EXPECT_EQ(o.records[0].source.row, 2);

  const model::Report& a = o.records[0].incident;
  EXPECT_EQ(a.source_id, "900101");  // id, not relid
  EXPECT_EQ(a.fatalities, 34);       // best_est
  EXPECT_EQ(a.fatalities_low, 33);   // low_est
  EXPECT_EQ(a.fatalities_high, 36);  // high_est
  EXPECT_EQ(a.time.first_day, Day(2020, 2, 27));
  EXPECT_EQ(a.time.last_day, Day(2020, 2, 27));
  EXPECT_EQ(a.time.precision, TimePrecision::kDay);
  EXPECT_EQ(a.time_precision, 1);
  EXPECT_EQ(a.geo_precision, 2);
  EXPECT_DOUBLE_EQ(a.uncertainty_m, 25000);
  EXPECT_EQ(a.event_type, "Battles");
  EXPECT_EQ(a.native_code, "ucdp:1");
  EXPECT_EQ(a.actor1, "Government of Syria");
  EXPECT_EQ(a.actor2, "Government of Turkey");
  EXPECT_DOUBLE_EQ(a.point.lat_deg, 35.66);  // latitude/longitude, not the WKB geom
  EXPECT_DOUBLE_EQ(a.point.lon_deg, 36.55);
  EXPECT_EQ(a.location, "Balyun village");
  EXPECT_EQ(a.admin1, "Idlib governorate");
  EXPECT_EQ(a.admin2, "Ariha district");
  EXPECT_EQ(a.country, "Syria");
  EXPECT_EQ(a.notes, "Air strike near Balyun kills Turkish soldiers");

  const model::Report& b = o.records[1].incident;
  EXPECT_EQ(b.geo_precision, 4);
  EXPECT_DOUBLE_EQ(b.uncertainty_m, 100000);
  EXPECT_EQ(b.fatalities, 2);

  // Empty low_est and high_est: unknown, not zero.
  const model::Report& c = o.records[2].incident;
  EXPECT_EQ(c.fatalities, 0);
  EXPECT_FALSE(c.fatalities_low.has_value());
  EXPECT_FALSE(c.fatalities_high.has_value());
}

TEST(UcdpLayoutTest, Ged5EraNoRelidBestLowHighLast) {
  Outcome o = ReadText(Load(Fixture("ucdp_ged_v5.csv")), "ucdp_ged_v5.csv");
  ASSERT_TRUE(o.summary.ok()) << o.summary.status().ToString();
  EXPECT_EQ(o.summary->format, Format::kUcdp);
  EXPECT_EQ(o.summary->variant, "ucdp-ged-5");
  ASSERT_EQ(o.records.size(), 3u);

  const model::Report& a = o.records[0].incident;
  EXPECT_EQ(a.source_id, "900201");
  EXPECT_EQ(a.fatalities, 15);
  EXPECT_EQ(a.actor2, "Turkistan Islamic Party");
  EXPECT_EQ(a.source, "\"Exchange of fire before dawn in Idlib\", Syrian Observatory for Human Rights, 2020-03-06");

  // best, low, high in that order in the file; each lands in its own field.
  const model::Report& b = o.records[1].incident;
  EXPECT_EQ(b.fatalities, 54);
  EXPECT_EQ(b.fatalities_low, 50);
  EXPECT_EQ(b.fatalities_high, 60);
  EXPECT_EQ(b.time_precision, 4);
  EXPECT_EQ(b.time.precision, TimePrecision::kMonth);
  EXPECT_EQ(b.time.first_day, Day(2020, 2, 1));
  EXPECT_EQ(b.time.last_day, Day(2020, 2, 29));
  EXPECT_EQ(b.native_code, "ucdp:1");

  const model::Report& c = o.records[2].incident;
  EXPECT_EQ(c.time.first_day, Day(2020, 3, 19));  // "2020-03-19 00:00:00.000"
  EXPECT_EQ(c.time.precision, TimePrecision::kDay);
  EXPECT_EQ(c.actor1, "Government of Turkey");
  EXPECT_EQ(c.fatalities_low, 2);
  EXPECT_EQ(c.fatalities_high, 2);
}

TEST(UcdpLayoutTest, CurrentLayoutIsStillUcdpGed) {
  std::string text = Load(Fixture("ucdp_ged.csv"));
  EXPECT_EQ(Split(text.substr(0, text.find('\n')), ',').size(), 49u);
  Outcome o = ReadText(text, "ucdp_ged.csv");
  ASSERT_TRUE(o.summary.ok()) << o.summary.status().ToString();
  EXPECT_EQ(o.summary->variant, "ucdp-ged");
}

// Every layout is recognised without --format, and with --format ucdp.
TEST(UcdpLayoutTest, DetectedWithAndWithoutFormat) {
  ReadOptions as_ucdp;
  as_ucdp.format = Format::kUcdp;
  for (const char* name : {"ucdp_ged.csv", "ucdp_ged_v5.csv", "ucdp_ged_v2.csv"}) {
    SCOPED_TRACE(name);
    std::string text = Load(Fixture(name));
    for (const ReadOptions& options : {ReadOptions{}, as_ucdp}) {
      Outcome o = ReadText(text, name, options);
      ASSERT_TRUE(o.summary.ok()) << o.summary.status().ToString();
      EXPECT_EQ(o.summary->format, Format::kUcdp);
      EXPECT_EQ(o.records.size(), 3u);
    }
    ReadOptions as_acled;
    as_acled.format = Format::kAcled;
    EXPECT_TRUE(StartsWith(ErrorOf(text, as_acled), "f.csv: asked to read it as acled but it looks like ucdp"));
  }
}

// The same row read with its columns in another order and upper case gives
// the same report.
TEST(UcdpLayoutTest, ColumnOrderAndCaseDoNotMatter) {
  for (const char* name : {"ucdp_ged_v2.csv", "ucdp_ged_v5.csv"}) {
    SCOPED_TRACE(name);
    auto [columns, values] = FirstRow(name);
    std::vector<std::string> shuffled = columns;
    std::reverse(shuffled.begin(), shuffled.end());
    std::rotate(shuffled.begin(), shuffled.begin() + 7, shuffled.end());
    for (std::string& c : shuffled) c = Upper(c);
    ASSERT_NE(shuffled.front(), Upper(columns.front()));
    std::map<std::string, std::string> plain = Plain(values);
    Outcome given = ReadText(File(columns, {plain}), "a.csv");
    Outcome moved = ReadText(File(shuffled, {plain}), "b.csv");
    ASSERT_TRUE(given.summary.ok()) << given.summary.status().ToString();
    ASSERT_TRUE(moved.summary.ok()) << moved.summary.status().ToString();
    EXPECT_EQ(given.summary->variant, moved.summary->variant);
    ASSERT_EQ(moved.records.size(), 1u);
    const model::Report& x = given.records[0].incident;
    const model::Report& y = moved.records[0].incident;
    EXPECT_EQ(x.source_id, y.source_id);
    EXPECT_EQ(x.fatalities, y.fatalities);
    EXPECT_EQ(x.fatalities_low, y.fatalities_low);
    EXPECT_EQ(x.fatalities_high, y.fatalities_high);
    EXPECT_EQ(x.time.first_day, y.time.first_day);
    EXPECT_EQ(x.time.last_day, y.time.last_day);
    EXPECT_EQ(x.time_precision, y.time_precision);
    EXPECT_EQ(x.geo_precision, y.geo_precision);
    EXPECT_EQ(x.native_code, y.native_code);
    EXPECT_EQ(x.actor1, y.actor1);
    EXPECT_EQ(x.actor2, y.actor2);
    EXPECT_DOUBLE_EQ(x.point.lat_deg, y.point.lat_deg);
    EXPECT_DOUBLE_EQ(x.point.lon_deg, y.point.lon_deg);
    EXPECT_EQ(y.source_id, values.at("id"));
  }
}

// A release without low and high columns: both unknown, never zero.
TEST(UcdpLayoutTest, AbsentLowAndHighAreUnknown) {
  std::map<std::string, std::string> row = {{"id", "7"},
                                            {"type_of_violence", "3"},
                                            {"date_prec", "1"},
                                            {"date_start", "2020-03-15"},
                                            {"date_end", "2020-03-15"},
                                            {"latitude", "35.629"},
                                            {"longitude", "36.519"},
                                            {"where_prec", "2"},
                                            {"best", "4"}};
  Outcome o = ReadText(File({"id", "type_of_violence", "date_prec", "date_start", "date_end", "latitude", "longitude",
                             "where_prec", "best"},
                            {row}),
                       "f.csv");
  ASSERT_TRUE(o.summary.ok()) << o.summary.status().ToString();
  ASSERT_EQ(o.records.size(), 1u);
  EXPECT_EQ(o.records[0].incident.fatalities, 4);
  EXPECT_FALSE(o.records[0].incident.fatalities_low.has_value());
  EXPECT_FALSE(o.records[0].incident.fatalities_high.has_value());
  EXPECT_EQ(o.records[0].incident.event_type, "Violence against civilians");
  EXPECT_EQ(o.records[0].incident.native_code, "ucdp:3");
}

// ---------------------------------------------------------------- bad input

TEST(UcdpBadInputTest, MissingColumnsAreNamedAtTheHeader) {
  auto [columns, values] = FirstRow("ucdp_ged_v2.csv");
  auto without = [&, &columns = columns, &values = values](std::vector<std::string> drop) {
    std::vector<std::string> kept;
    for (const std::string& c : columns) {
      if (std::find(drop.begin(), drop.end(), c) == drop.end()) kept.push_back(c);
    }
    return File(kept, {Plain(values)});
  };
  EXPECT_EQ(ErrorOf(without({"best_est"})), "f.csv: row 1: the UCDP GED header lacks the column(s) best (or best_est)");
  EXPECT_EQ(ErrorOf(without({"latitude", "date_prec"})),
            "f.csv: row 1: the UCDP GED header lacks the column(s) date_prec, latitude");
  // Without type_of_violence the other UCDP columns still say what the file is.
  EXPECT_EQ(ErrorOf(without({"type_of_violence", "id"})),
            "f.csv: row 1: the UCDP GED header lacks the column(s) id, type_of_violence");
  // Blank lines before the header: the message names the header's line.
  EXPECT_TRUE(StartsWith(ErrorOf("\n\n" + without({"date_end"})), "f.csv: row 3: the UCDP GED header lacks"))
      << ErrorOf("\n\n" + without({"date_end"}));
}

TEST(UcdpBadInputTest, BadCellsNameRowAndField) {
  auto [columns, values] = FirstRow("ucdp_ged_v2.csv");
  std::map<std::string, std::string> plain = Plain(values);
  auto with = [&, &columns = columns](const std::string& column, const std::string& value) {
    std::map<std::string, std::string> bad = plain;
    bad[column] = value;
    return File(columns, {plain, bad});
  };
  EXPECT_EQ(ErrorOf(with("best_est", "many")), "f.csv: row 3, field 'best_est': not a whole number of deaths: 'many'");
  EXPECT_EQ(ErrorOf(with("low_est", "-1")), "f.csv: row 3, field 'low_est': not a whole number of deaths: '-1'");
  EXPECT_EQ(ErrorOf(with("where_prec", "8")),
            "f.csv: row 3, field 'where_prec': not a UCDP where precision (1 to 7): '8'");
  EXPECT_EQ(ErrorOf(with("id", "")), "f.csv: row 3, field 'id': empty (every UCDP event has an id)");

  auto [columns5, values5] = FirstRow("ucdp_ged_v5.csv");
  std::map<std::string, std::string> plain5 = Plain(values5);
  plain5["high"] = "6.5";
  EXPECT_EQ(ErrorOf(File(columns5, {plain5})), "f.csv: row 2, field 'high': not a whole number of deaths: '6.5'");
}

TEST(UcdpBadInputTest, BothNamesOfOneFigure) {
  auto [columns, values] = FirstRow("ucdp_ged_v5.csv");
  columns.push_back("best_est");
  std::map<std::string, std::string> plain = Plain(values);
  plain["best_est"] = "14";
  EXPECT_EQ(ErrorOf(File(columns, {plain})),
            "f.csv: row 1, field 'best_est': the header names both best (column 39) and best_est (column 42, its "
            "older name); remove one");
}

TEST(UcdpBadInputTest, NotUcdpAtAll) {
  ReadOptions as_ucdp;
  as_ucdp.format = Format::kUcdp;
  EXPECT_EQ(ErrorOf("id,name\n1,x\n", as_ucdp),
            "f.csv: not a UCDP GED file: the header names neither type_of_violence nor two of UCDP's own columns "
            "(relid, where_prec, date_prec, best_est, ...): 'id,name'");
  // One UCDP-only name is not enough to call a file UCDP's.
  EXPECT_TRUE(StartsWith(ErrorOf("id,relid,name\n1,a,x\n"), "f.csv: unknown format:"));
  // An ACLED header that also says type_of_violence stays ACLED.
  Outcome o = ReadText("event_id_cnty,event_type,event_date,latitude,longitude,type_of_violence\n"
                       "SYR1,Battles,2020-03-05,35.8,36.8,1\n",
                       "f.csv");
  ASSERT_TRUE(o.summary.ok()) << o.summary.status().ToString();
  EXPECT_EQ(o.summary->format, Format::kAcled);
}

// ---------------------------------------------------------------- real samples

TEST(UcdpSharedDataTest, RealOlderReleasesParse) {
  const std::string dir = std::string(TRUCE_SOURCE_DIR) + "/../shared/data/";
  const std::string v2 = "ucdp_ged_v2_layout_nga2011_sample.csv", v5 = "ucdp_ged_v5_layout_ssd2015_sample.csv";
  if (!std::filesystem::exists(dir + v2) || !std::filesystem::exists(dir + v5)) {
    GTEST_SKIP() << "no shared UCDP samples at " << dir << " (a fresh clone does not have them)";
  }
  struct Case {
    std::string file;
    const char* variant;
  };
  for (const Case& c : {Case{v2, "ucdp-ged-2"}, Case{v5, "ucdp-ged-5"}}) {
    SCOPED_TRACE(c.file);
    std::string text = Load(dir + c.file);
    Outcome o = ReadText(text, c.file);
    ASSERT_TRUE(o.summary.ok()) << o.summary.status().ToString();
    EXPECT_EQ(o.summary->variant, c.variant);
    EXPECT_TRUE(o.summary->skipped.empty());
    EXPECT_EQ(o.records.size(), 5u);  // five events each (/work/shared/data/README.md)
    for (const Record& r : o.records) {
      const model::Report& in = r.incident;
      EXPECT_FALSE(in.source_id.empty());
      EXPECT_EQ(in.source_id.find('-'), std::string::npos) << in.source_id;  // id, never relid
      EXPECT_TRUE(StartsWith(r.source.raw, in.source_id + ","));
      EXPECT_TRUE(StartsWith(in.native_code, "ucdp:"));
      EXPECT_GE(in.time_precision, 1);
      EXPECT_GE(in.geo_precision, 1);
      ASSERT_TRUE(in.fatalities_low.has_value());
      ASSERT_TRUE(in.fatalities_high.has_value());
      EXPECT_LE(*in.fatalities_low, in.fatalities);
      EXPECT_LE(in.fatalities, *in.fatalities_high);
      EXPECT_NE(in.point.lat_deg, 0);
    }
  }
  // Rows whose figures differ, so that swapped columns would show.
  Outcome nga = ReadText(Load(dir + v2), v2);
  ASSERT_TRUE(nga.summary.ok());
  auto find = [](const Outcome& o, std::string_view id) -> const model::Report* {
    for (const Record& r : o.records) {
      if (r.incident.source_id == id) return &r.incident;
    }
    return nullptr;
  };
  const model::Report* jos = find(nga, "62423");
  ASSERT_NE(jos, nullptr);
  EXPECT_EQ(jos->fatalities, 34);
  EXPECT_EQ(jos->fatalities_low, 34);
  EXPECT_EQ(jos->fatalities_high, 64);
  EXPECT_EQ(jos->native_code, "ucdp:2");
  Outcome ssd = ReadText(Load(dir + v5), v5);
  ASSERT_TRUE(ssd.summary.ok());
  const model::Report* raga = find(ssd, "176089");
  ASSERT_NE(raga, nullptr);
  EXPECT_EQ(raga->fatalities, 0);
  EXPECT_EQ(raga->fatalities_low, 0);
  EXPECT_EQ(raga->fatalities_high, 13);
  EXPECT_EQ(raga->event_type, "Violence against civilians");
  const model::Report* unity = find(ssd, "195398");
  ASSERT_NE(unity, nullptr);
  EXPECT_EQ(unity->time.first_day, Day(2015, 1, 2));
  EXPECT_EQ(unity->time.last_day, Day(2015, 1, 4));
  EXPECT_EQ(unity->time.precision, TimePrecision::kRange);
  EXPECT_DOUBLE_EQ(unity->uncertainty_m, 100000);  // where_prec 4
}

// GDELT's native_code is the whole CAMEO EventCode, whose first two digits
// are the root code the matcher compares with UCDP's "ucdp:N".
TEST(UcdpNativeCodeTest, GdeltCodeStartsWithItsRoot) {
  std::string text = Load(Fixture("gdelt_20200305.export.CSV"));
  Outcome o = ReadText(text, "g.CSV");
  ASSERT_TRUE(o.summary.ok()) << o.summary.status().ToString();
  ASSERT_FALSE(o.records.empty());
  const auto& columns = internal::GdeltColumns();
  const auto root = std::find(columns.begin(), columns.end(), "EventRootCode") - columns.begin();
  for (const Record& r : o.records) {
    std::vector<std::string> fields = Split(r.source.raw, '\t');
    ASSERT_GT(fields.size(), static_cast<std::size_t>(root));
    EXPECT_TRUE(StartsWith(r.incident.native_code, fields[static_cast<std::size_t>(root)]))
        << r.incident.native_code << " vs root " << fields[static_cast<std::size_t>(root)];
  }
}

}  // namespace
}  // namespace truce::ingest
