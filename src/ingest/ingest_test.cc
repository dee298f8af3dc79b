#include "truce/ingest/ingest.h"

#include <gtest/gtest.h>

#include <date/date.h>

#include <filesystem>
#include <map>
#include <set>
#include <thread>
#include <tuple>

#include "internal.h"
#include "testing.h"
#include "truce/core/env.h"
#include "truce/core/strings.h"
#include "fips.h"

namespace truce::ingest {
namespace {

using namespace reader_testing;

using time::TimePrecision;


Outcome ReadFixture(const std::string& name, ReadOptions options = {}) {
  return ReadText(Load(Fixture(name)), name, options);
}

// ---------------------------------------------------------------- ACLED

TEST(AcledTest, Current2023Export) {
  std::string bytes = Load(Fixture("acled_2023.csv"));
  Outcome o = ReadText(bytes, "acled_2023.csv");
  ASSERT_TRUE(o.summary.ok()) << o.summary.status().ToString();
  EXPECT_EQ(o.summary->format, Format::kAcled);
  EXPECT_EQ(o.summary->variant, "acled-2023");
  EXPECT_EQ(o.summary->records, 4);
  EXPECT_EQ(o.summary->file_hash, Sha256Hex(bytes));
  ASSERT_EQ(o.records.size(), 4u);

  const Record& a = o.records[0];
  EXPECT_EQ(a.source.dataset, "acled");
  EXPECT_EQ(a.source.source_file, "acled_2023.csv");
  EXPECT_EQ(a.source.file_hash, Sha256Hex(bytes));
  EXPECT_EQ(a.source.row, 2);
  EXPECT_TRUE(StartsWith(a.source.raw, "SYR100001,\"05 March 2020\",2020,1,"));
  EXPECT_TRUE(a.source.raw.ends_with(",3,,1583712000"));
  EXPECT_EQ(a.source.content_hash, Sha256Hex("acled\n" + a.source.raw));
  const model::Report& in = a.incident;
  EXPECT_EQ(in.dataset, "acled");
  EXPECT_EQ(in.source_id, "SYR100001");
  EXPECT_EQ(in.time.first_day, Day(2020, 3, 5));
  EXPECT_EQ(in.time.last_day, Day(2020, 3, 5));
  EXPECT_EQ(in.time.precision, TimePrecision::kDay);
  EXPECT_EQ(in.event_type, "Explosions/Remote violence");
  EXPECT_EQ(in.sub_event_type, "Shelling/artillery/missile attack");
  EXPECT_EQ(in.native_code, "");
  EXPECT_EQ(in.actor1, "Military Forces of Syria (2000-)");
  EXPECT_EQ(in.actor2, "Hayat Tahrir al Sham");
  EXPECT_EQ(in.country, "Syria");
  EXPECT_EQ(in.iso3, "");  // the 2023 export has only the numeric iso
  EXPECT_EQ(in.admin1, "Idleb");
  EXPECT_EQ(in.admin3, "Saraqab");
  EXPECT_EQ(in.location, "Saraqab");
  EXPECT_DOUBLE_EQ(in.point.lat_deg, 35.8623);
  EXPECT_DOUBLE_EQ(in.point.lon_deg, 36.8005);
  EXPECT_EQ(in.geo_precision, 1);
  EXPECT_DOUBLE_EQ(in.uncertainty_m, 2000);
  EXPECT_EQ(in.time_precision, 1);
  EXPECT_EQ(in.fatalities, 3);
  EXPECT_EQ(in.source, "SOHR");
  EXPECT_EQ(in.notes, "On 5 March 2020, regime forces shelled Saraqab, Idleb; the ministry said \"3 fighters\" were hit.");

  // A note over two lines: the record keeps both, the next record's row counts them.
  const model::Report& b = o.records[1].incident;
  EXPECT_EQ(o.records[1].source.row, 3);
  EXPECT_EQ(b.notes, "Clashes near Maarrat al Numan\nafter the ceasefire, on two lines.");
  EXPECT_EQ(b.assoc_actor1, "Jaish al Izza");
  EXPECT_EQ(b.time_precision, 2);
  EXPECT_EQ(b.time.precision, TimePrecision::kWeek);
  EXPECT_EQ(b.time.first_day, Day(2020, 3, 3));
  EXPECT_EQ(b.time.last_day, Day(2020, 3, 9));
  EXPECT_EQ(b.geo_precision, 2);
  EXPECT_DOUBLE_EQ(b.uncertainty_m, 10000);
  EXPECT_EQ(b.source, "Syrian Observatory for Human Rights; Enab Baladi");
  EXPECT_EQ(o.records[2].source.row, 5);
  const model::Report& c = o.records[2].incident;
  EXPECT_EQ(c.time.precision, TimePrecision::kMonth);
  EXPECT_EQ(c.time.first_day, Day(2020, 3, 1));
  EXPECT_EQ(c.time.last_day, Day(2020, 3, 31));
  EXPECT_DOUBLE_EQ(c.uncertainty_m, 50000);
  EXPECT_EQ(o.records[3].incident.country, "Turkey");
  EXPECT_EQ(o.records[3].incident.assoc_actor1, "Government of Russia (2000-)");
}

TEST(AcledTest, Pre2023Export) {
  Outcome o = ReadFixture("acled_pre2023.csv");
  ASSERT_TRUE(o.summary.ok()) << o.summary.status().ToString();
  EXPECT_EQ(o.summary->variant, "acled-pre2023");
  ASSERT_EQ(o.records.size(), 3u);
  const model::Report& a = o.records[0].incident;
  EXPECT_EQ(a.source_id, "SYR90001");
  EXPECT_EQ(a.time.first_day, Day(2020, 3, 5));  // "05-03-20" is DD-MM-YY
  EXPECT_EQ(a.iso3, "SYR");
  EXPECT_EQ(a.event_type, "Explosions/Remote violence");
  EXPECT_EQ(a.sub_event_type, "Air/drone strike");
  EXPECT_EQ(a.actor1, "Military Forces of Russia (2000-)");
  EXPECT_EQ(a.actor2, "Civilians (Syria)");
  EXPECT_EQ(a.fatalities, 4);
  EXPECT_EQ(a.admin2, "Ariha");
  EXPECT_EQ(o.records[1].incident.time.first_day, Day(2020, 3, 6));  // "2020-03-06"
  EXPECT_EQ(o.records[1].incident.assoc_actor1, "National Liberation Front");
  EXPECT_EQ(o.records[2].incident.time.first_day, Day(1999, 12, 31));  // "31-12-99": 70-99 -> 19xx
}

TEST(AcledTest, Legacy2016PandasExport) {
  Outcome o = ReadFixture("acled_2016.csv");
  ASSERT_TRUE(o.summary.ok()) << o.summary.status().ToString();
  EXPECT_EQ(o.summary->variant, "acled-2016");
  ASSERT_EQ(o.records.size(), 4u);
  const model::Report& a = o.records[0].incident;
  EXPECT_EQ(a.source_id, "1001SYR");
  EXPECT_EQ(a.event_type, "Battles");
  EXPECT_EQ(a.sub_event_type, "Government regains territory");
  EXPECT_EQ(a.native_code, "Battle-Government regains territory");
  EXPECT_EQ(a.assoc_actor1, "Military Forces of Russia (2000-)");  // from ally_actor_1
  EXPECT_EQ(a.time.first_day, Day(2016, 3, 24));
  EXPECT_EQ(a.fatalities, 12);
  EXPECT_TRUE(StartsWith(o.records[0].source.raw, "0,Military Forces of Syria"));  // the pandas index is kept in raw
  const model::Report& b = o.records[1].incident;
  EXPECT_EQ(b.event_type, "Explosions/Remote violence");
  EXPECT_EQ(b.sub_event_type, "");
  EXPECT_EQ(b.native_code, "Remote violence");
  EXPECT_EQ(b.source, "Reuters");  // trimmed
  EXPECT_EQ(o.records[2].incident.event_type, "Protests");
  EXPECT_EQ(o.records[2].incident.native_code, "Riots/Protests");
  EXPECT_EQ(o.records[2].incident.notes, "Protesters demanded that the \"truce\" hold.");
  const model::Report& d = o.records[3].incident;
  EXPECT_EQ(d.event_type, "Battles");
  EXPECT_EQ(d.sub_event_type, "Armed clash");
  EXPECT_EQ(d.fatalities, 0);  // empty cell, allowed in the pandas vintage
  EXPECT_EQ(d.assoc_actor1, "Ahrar al Sham");
  EXPECT_EQ(d.time.precision, TimePrecision::kWeek);
}

TEST(AcledTest, SpreadsheetResaveWithBomAndCrlf) {
  std::string bytes = Load(Fixture("acled_resaved.csv"));
  ASSERT_TRUE(StartsWith(bytes, "\xEF\xBB\xBF"));
  ASSERT_NE(bytes.find("\r\n"), std::string::npos);
  Outcome o = ReadText(bytes, "acled_resaved.csv");
  ASSERT_TRUE(o.summary.ok()) << o.summary.status().ToString();
  EXPECT_EQ(o.summary->variant, "acled-2023");
  ASSERT_EQ(o.records.size(), 2u);
  const model::Report& a = o.records[0].incident;
  EXPECT_EQ(a.source_id, "SYR120001");  // the BOM is not part of the first column's name
  EXPECT_EQ(a.time.first_day, Day(2020, 3, 5));  // "5-Mar-20"
  EXPECT_EQ(a.actor2, "");                       // no actor2 column in the re-save
  EXPECT_EQ(a.location, "Mhambel");
  EXPECT_EQ(o.records[0].source.raw.find('\r'), std::string::npos);  // no line terminator in raw
  EXPECT_TRUE(o.records[0].source.raw.ends_with(",0,,1583712000"));
  EXPECT_EQ(o.records[1].incident.time.first_day, Day(2020, 3, 16));
  EXPECT_EQ(o.records[1].incident.notes, "Protesters blocked the M4 with burning tyres: \"no patrols\".");
}

const char kHeader2023[] =
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,"
    "inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
    "location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp";

// One 2023-format row with some fields replaced.
std::string Row2023(const std::map<std::string, std::string>& over = {}) {
  std::map<std::string, std::string> v = {
      {"event_id_cnty", "SYR1"},   {"event_date", "05 March 2020"}, {"year", "2020"},
      {"time_precision", "1"},     {"event_type", "Battles"},       {"sub_event_type", "Armed clash"},
      {"actor1", "HTS"},           {"country", "Syria"},            {"latitude", "35.8"},
      {"longitude", "36.8"},       {"geo_precision", "1"},          {"fatalities", "0"},
      {"notes", "\"a, b\""},       {"timestamp", "1583712000"}};
  for (const auto& [k, x] : over) v[k] = x;
  std::string out;
  bool first = true;
  for (const std::string& col : Split(kHeader2023, ',')) {
    if (!first) out += ",";
    first = false;
    out += v[col];
  }
  return out;
}

std::string File2023(const std::vector<std::string>& rows) {
  std::string out = std::string(kHeader2023) + "\n";
  for (const auto& r : rows) out += r + "\n";
  return out;
}

TEST(AcledTest, DateForms) {
  for (auto [text, y, m, d] : {std::tuple{"01 November 2024", 2024, 11u, 1u}, {"1 November 2024", 2024, 11u, 1u},
                               {"5-Aug-24", 2024, 8u, 5u}, {"05-aug-2024", 2024, 8u, 5u}, {"31-12-19", 2019, 12u, 31u},
                               {"01-01-69", 2069, 1u, 1u}, {"01-01-70", 1970, 1u, 1u}, {"2019-12-31", 2019, 12u, 31u},
                               {"2016-07-02 00:00:00", 2016, 7u, 2u}}) {
    auto day = internal::ParseAcledDate(text);
    ASSERT_TRUE(day.has_value()) << text;
    EXPECT_EQ(*day, Day(y, m, d)) << text;
  }
  for (const char* bad : {"", "2020-02-30", "31-02-20", "12/31/2019", "5 Augustus 2024", "32-01-20", "5-Aug", "2020",
                          "05 March 20201", "aa-bb-cc", "05 March 2020 x", "5-Aug-24-1", "5 Aug-24", "05 March"}) {
    EXPECT_FALSE(internal::ParseAcledDate(bad).has_value()) << bad;
  }
}

TEST(AcledTest, BadRowsNameRowAndField) {
  EXPECT_EQ(ErrorOf(File2023({Row2023(), Row2023({{"event_date", "2020-13-01"}})})),
            "f.csv: row 3, field 'event_date': not a date (expected e.g. '01 November 2024', '2019-12-31', '31-12-19' "
            "or '5-Aug-24'): '2020-13-01'");
  EXPECT_EQ(ErrorOf(File2023({Row2023({{"latitude", "95.2"}})})),
            "f.csv: row 2, field 'latitude': out of range [-90, 90]: '95.2'");
  EXPECT_EQ(ErrorOf(File2023({Row2023({{"longitude", "east"}})})),
            "f.csv: row 2, field 'longitude': not a number: 'east'");
  EXPECT_EQ(ErrorOf(File2023({Row2023({{"fatalities", "three"}})})),
            "f.csv: row 2, field 'fatalities': not a whole number of deaths: 'three'");
  EXPECT_EQ(ErrorOf(File2023({Row2023({{"fatalities", ""}})})),
            "f.csv: row 2, field 'fatalities': empty (ACLED exports always give a number): ''");
  EXPECT_EQ(ErrorOf(File2023({Row2023({{"fatalities", "-1"}})})),
            "f.csv: row 2, field 'fatalities': not a whole number of deaths: '-1'");
  EXPECT_EQ(ErrorOf(File2023({Row2023({{"geo_precision", "4"}})})),
            "f.csv: row 2, field 'geo_precision': not an ACLED geo precision (1, 2 or 3): '4'");
  EXPECT_EQ(ErrorOf(File2023({Row2023({{"time_precision", "x"}})})),
            "f.csv: row 2, field 'time_precision': not an ACLED time precision (1, 2 or 3): 'x'");
  EXPECT_EQ(ErrorOf(File2023({Row2023({{"event_type", " "}})})), "f.csv: row 2, field 'event_type': empty: ' '");
  EXPECT_EQ(ErrorOf(File2023({Row2023({{"event_id_cnty", ""}})})),
            "f.csv: row 2, field 'event_id_cnty': empty (every ACLED event has an id)");
  // Too few and too many fields.
  EXPECT_EQ(ErrorOf(File2023({Row2023(), "SYR2,05 March 2020,2020"})),
            "f.csv: row 3, field 'time_precision': missing: the row has 3 fields, the header has 31");
  EXPECT_EQ(ErrorOf(File2023({Row2023() + ",extra"})),
            "f.csv: row 2, field '#32': extra field: the row has 32 fields, the header has 31");
  // An unterminated quote is reported at the row where the record starts.
  EXPECT_EQ(ErrorOf(File2023({Row2023(), Row2023(), Row2023({{"notes", "\"never closed"}}), Row2023({{"notes", "x"}})})),
            "f.csv: row 4, field 'notes': unterminated quoted field (no closing '\"' before the end of the file)");
  EXPECT_EQ(ErrorOf(File2023({Row2023({{"location", "\xC3\x28"}})})), "f.csv: row 2, field 'location': invalid UTF-8 (byte 0xC3 at byte 1 of the field)");
  EXPECT_EQ(ErrorOf(File2023({Row2023({{"notes", "\"said\"x"}})})),
            "f.csv: row 2, field 'notes': text after the closing quote of a quoted field");
  // Rows before the bad one reached the sink.
  Outcome o = ReadText(File2023({Row2023(), Row2023({{"latitude", "-91"}}), Row2023()}), "f.csv");
  EXPECT_FALSE(o.summary.ok());
  EXPECT_EQ(o.records.size(), 1u);
}

TEST(AcledTest, SkipBadRowsReportsEachOne) {
  ReadOptions skip;
  skip.skip_bad_rows = true;
  std::string text = File2023({Row2023({{"event_id_cnty", "A"}}), Row2023({{"latitude", "100"}}),
                               Row2023({{"event_id_cnty", "B"}}), "short,row", Row2023({{"fatalities", "n/a"}}),
                               Row2023({{"event_id_cnty", "C"}})});
  Outcome o = ReadText(text, "f.csv", skip);
  ASSERT_TRUE(o.summary.ok()) << o.summary.status().ToString();
  EXPECT_EQ(o.summary->records, 3);
  ASSERT_EQ(o.records.size(), 3u);
  EXPECT_EQ(o.records[0].incident.source_id, "A");
  EXPECT_EQ(o.records[1].incident.source_id, "B");
  EXPECT_EQ(o.records[2].incident.source_id, "C");
  EXPECT_EQ(o.records[2].source.row, 7);
  ASSERT_EQ(o.summary->skipped.size(), 3u);
  EXPECT_EQ(o.summary->skipped[0].row, 3);
  EXPECT_EQ(o.summary->skipped[0].message, "f.csv: row 3, field 'latitude': out of range [-90, 90]: '100'");
  EXPECT_EQ(o.summary->skipped[1].row, 5);
  EXPECT_EQ(o.summary->skipped[1].message, "f.csv: row 5, field 'year': missing: the row has 2 fields, the header has 31");
  EXPECT_EQ(o.summary->skipped[2].row, 6);
  EXPECT_EQ(o.summary->skipped[2].message, "f.csv: row 6, field 'fatalities': not a whole number of deaths: 'n/a'");
}

TEST(AcledTest, QuotedHeaderLfCrlfAndMissingFinalNewlineReadTheSame) {
  std::string lf = File2023({Row2023({{"notes", "\"x, \"\"y\"\"\nz\""}}), Row2023({{"event_id_cnty", "SYR2"}})});
  std::string crlf;
  for (char c : lf) {
    if (c == '\n') crlf += "\r\n";
    else crlf += c;
  }
  std::string no_final = lf.substr(0, lf.size() - 1);
  std::string bom = "\xEF\xBB\xBF" + lf;
  std::string quoted_header = "\"event_id_cnty\"" + lf.substr(std::string("event_id_cnty").size());
  for (const std::string& text : {lf, crlf, no_final, bom, quoted_header}) {
    Outcome o = ReadText(text, "f.csv");
    ASSERT_TRUE(o.summary.ok()) << o.summary.status().ToString();
    ASSERT_EQ(o.records.size(), 2u);
    EXPECT_EQ(o.records[1].incident.source_id, "SYR2");
    EXPECT_EQ(o.records[1].source.row, 4);
    const std::string& notes = o.records[0].incident.notes;
    EXPECT_TRUE(notes == "x, \"y\"\nz" || notes == "x, \"y\"\r\nz") << notes;
    EXPECT_FALSE(o.records[1].source.raw.ends_with("\r"));
  }
}

TEST(AcledTest, HeaderByNamesNotPositions) {
  // Columns in another order, with a missing optional column: still read by name.
  std::string text =
      "notes,longitude,latitude,event_type,event_date,event_id_cnty,fatalities\n"
      "\"Shelling, heavy\",36.8,35.8,Explosions/Remote violence,2020-03-05,SYR9,2\n";
  Outcome o = ReadText(text, "f.csv");
  ASSERT_TRUE(o.summary.ok()) << o.summary.status().ToString();
  ASSERT_EQ(o.records.size(), 1u);
  EXPECT_EQ(o.records[0].incident.source_id, "SYR9");
  EXPECT_DOUBLE_EQ(o.records[0].incident.point.lat_deg, 35.8);
  EXPECT_EQ(o.records[0].incident.geo_precision, 0);
  EXPECT_DOUBLE_EQ(o.records[0].incident.uncertainty_m, 50000);  // unknown precision: the widest
  EXPECT_EQ(o.records[0].incident.time_precision, 1);              // missing: the day
  // A required column missing from the header.
  EXPECT_EQ(ErrorOf("event_id_cnty,event_type,event_date,latitude\nA,Battles,2020-03-05,35\n"),
            "f.csv: ACLED header lacks the column(s) longitude");
}

// ---------------------------------------------------------------- files that are not data

TEST(DetectTest, EmptyBinaryUnknownAndMismatchedFiles) {
  EXPECT_EQ(ErrorOf(""), "f.csv: the file is empty");
  EXPECT_EQ(ErrorOf("\xEF\xBB\xBF \r\n\n"), "f.csv: the file is empty");
  EXPECT_EQ(ErrorOf(std::string("event_id_cnty,event_type\x00\x01\x02", 27)),
            "f.csv: a binary file (it holds NUL bytes), not CSV, TSV or GeoJSON");
  EXPECT_EQ(ErrorOf(std::string("\x1f\x8b\x08\x00", 4)), "f.csv: a gzip-compressed file; unpack it first");
  EXPECT_EQ(ErrorOf("name,age\nbob,3\n"),
            "f.csv: unknown format: the first line is not an ACLED header (event_id_cnty, event_type, ...), a UCDP GED "
            "header (id, relid, ..., where_prec, date_prec) or GDELT 2.0 (61 tab-separated columns), and the file is "
            "not GeoJSON: 'name,age'");
  EXPECT_EQ(ErrorOf("a\tb\tc\n1\t2\t3\n"),
            "f.csv: a tab-separated file with 3 columns, not GDELT 2.0 events (61 columns, numeric id first, no header)");
  ReadOptions as_gdelt;
  as_gdelt.format = Format::kGdelt;
  Outcome o = ReadText(File2023({Row2023()}), "f.csv", as_gdelt);
  ASSERT_FALSE(o.summary.ok());
  EXPECT_EQ(o.summary.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(o.summary.status().message(), "f.csv: asked to read it as gdelt but it looks like acled (acled-2023)");
  ReadOptions as_acled;
  as_acled.format = Format::kAcled;
  EXPECT_EQ(ErrorOf("name,age\nbob,3\n", as_acled),
            "f.csv: not an ACLED file: the header lacks event_id_cnty or event_type: 'name,age'");
  ReadOptions as_ucdp;
  as_ucdp.format = Format::kUcdp;
  EXPECT_TRUE(StartsWith(ErrorOf("{\"type\": \"FeatureCollection\", \"features\": []}", as_ucdp),
                         "f.csv: asked to read it as ucdp but it looks like geojson"));
  // The explicit format that matches reads normally.
  EXPECT_TRUE(ReadText(File2023({Row2023()}), "f.csv", as_acled).summary.ok());
}

TEST(DetectTest, FormatNames) {
  for (Format f : {Format::kAuto, Format::kAcled, Format::kUcdp, Format::kGdelt, Format::kGeoJson}) {
    auto parsed = ParseFormat(FormatName(f));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, f);
  }
  EXPECT_FALSE(ParseFormat("csv").ok());
}

TEST(ReadTest, SinkErrorStopsTheRead) {
  int calls = 0;
  auto r = Read(File2023({Row2023(), Row2023(), Row2023()}), "f.csv", {}, [&](Record&&) {
    return ++calls == 2 ? Status::DatabaseError("disk full") : Status::Ok();
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "disk full");
  EXPECT_EQ(calls, 2);
}

TEST(ReadTest, ProgressReachesTheTotal) {
  std::string text = File2023({Row2023(), Row2023()});
  std::vector<std::pair<std::size_t, std::size_t>> calls;
  ReadOptions options;
  options.progress = [&](std::size_t done, std::size_t total) { calls.emplace_back(done, total); };
  ASSERT_TRUE(ReadText(text, "f.csv", options).summary.ok());
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls.back().first, text.size());
  EXPECT_EQ(calls.back().second, text.size());
}

TEST(ReadTest, FileHashGivenByTheCallerIsUsed) {
  std::string text = File2023({Row2023(), Row2023()});
  EXPECT_EQ(FileHash(text), Sha256Hex(text));
  EXPECT_EQ(FileHash(""), Sha256Hex(""));
  for (int threads : {1, 2}) {
    ReadOptions options;
    options.threads = threads;
    options.file_hash = "given";  // trusted as given: no second pass over the file
    std::vector<std::string> seen;
    auto r = internal::ReadWithChunkBytes(text, "f.csv", options, [&](Record&& rec) {
      seen.push_back(rec.source.file_hash);
      return Status::Ok();
    }, 64);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->file_hash, "given");
    EXPECT_EQ(seen, (std::vector<std::string>{"given", "given"}));
  }
}

TEST(ReadTest, WithoutContentHashesTheRowsAreTheSameAndUnhashed) {
  std::string text = File2023({Row2023(), Row2023({{"notes", "\"said \"\"a\"\" and \"\"b\"\"\""}}), Row2023()});
  ReadOptions hashed;
  Outcome want = ReadText(text, "f.csv", hashed);
  ASSERT_TRUE(want.summary.ok()) << want.summary.status().ToString();
  for (int threads : {1, 2}) {
    ReadOptions options;
    options.threads = threads;
    options.content_hashes = false;
    std::vector<Record> got;
    auto r = internal::ReadWithChunkBytes(text, "f.csv", options, [&](Record&& rec) {
      got.push_back(rec);
      return Status::Ok();
    }, 64);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(got.size(), want.records.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].source.content_hash, "") << i;
      EXPECT_EQ(got[i].source.raw, want.records[i].source.raw) << i;
      EXPECT_EQ(got[i].source.file_hash, want.records[i].source.file_hash) << i;
      EXPECT_EQ(got[i].incident.notes, want.records[i].incident.notes) << i;
      EXPECT_FALSE(want.records[i].source.content_hash.empty()) << i;
    }
    EXPECT_EQ(got[1].incident.notes, "said \"a\" and \"b\"");
  }
}

// ---------------------------------------------------------------- two threads

// A file big enough for many tiny chunks, with multi-line notes, doubled
// quotes and CRLF, read on two threads must give exactly the sequential result.
std::string ManyRows(int n, bool crlf) {
  std::string out = std::string(kHeader2023) + (crlf ? "\r\n" : "\n");
  for (int i = 0; i < n; ++i) {
    std::string notes = "\"Row " + std::to_string(i) + ", \"\"quoted\"\"" + (i % 7 == 0 ? "\nsecond line" : "") + "\"";
    out += Row2023({{"event_id_cnty", "SYR" + std::to_string(i)}, {"notes", notes}});
    out += crlf ? "\r\n" : "\n";
    if (i % 50 == 0) out += "\n";  // a blank line now and then
  }
  return out;
}

struct Flat {
  std::vector<std::string> ids, raws, hashes;
  std::vector<std::int64_t> rows;
  std::vector<std::int64_t> skipped;
  std::string file_hash;
  Status status;
};

Flat ReadFlat(const std::string& text, ReadOptions options, std::size_t chunk_bytes, bool hold_hash = false) {
  Flat f;
  const auto caller = std::this_thread::get_id();
  auto r = internal::ReadWithChunkBytes(text, "big.csv", options, [&](Record&& rec) {
    EXPECT_EQ(std::this_thread::get_id(), caller);  // the sink runs on the calling thread
    EXPECT_EQ(rec.source.file_hash, Sha256Hex(text));
    f.ids.push_back(rec.incident.source_id);
    f.raws.push_back(rec.source.raw);
    f.hashes.push_back(rec.source.content_hash);
    f.rows.push_back(rec.source.row);
    return Status::Ok();
  }, chunk_bytes, hold_hash);
  f.status = r.status();
  if (r.ok()) {
    f.file_hash = r->file_hash;
    for (const auto& s : r->skipped) f.skipped.push_back(s.row);
  }
  return f;
}

void ExpectSame(const Flat& a, const Flat& b) {
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.ids, b.ids);
  EXPECT_EQ(a.raws, b.raws);
  EXPECT_EQ(a.hashes, b.hashes);
  EXPECT_EQ(a.rows, b.rows);
  EXPECT_EQ(a.skipped, b.skipped);
  EXPECT_EQ(a.file_hash, b.file_hash);
}

TEST(ParallelTest, TwoThreadsGiveTheSequentialResult) {
  for (bool crlf : {false, true}) {
    std::string text = ManyRows(600, crlf);
    ReadOptions one;
    one.threads = 1;
    ReadOptions two;
    two.threads = 2;
    Flat seq = ReadFlat(text, one, 0);
    ASSERT_TRUE(seq.status.ok()) << seq.status.ToString();
    ASSERT_EQ(seq.ids.size(), 600u);
    for (std::size_t chunk : {97u, 1000u, 4096u, 100000u}) {
      for (bool hold : {false, true}) {
        SCOPED_TRACE("chunk " + std::to_string(chunk) + (hold ? ", records hashed ahead" : ""));
        ExpectSame(ReadFlat(text, two, chunk, hold), seq);
      }
    }
  }
}

TEST(ParallelTest, StrayQuoteFallsBackToOneThread) {
  // A quote inside an unquoted field throws the quote count off; the result must not change.
  std::string text = ManyRows(300, false);
  std::size_t at = text.find("SYR40,");
  text.replace(at, 5, "SY\"40");
  ReadOptions one, two;
  one.threads = 1;
  two.threads = 2;
  Flat seq = ReadFlat(text, one, 0);
  ASSERT_TRUE(seq.status.ok()) << seq.status.ToString();
  EXPECT_EQ(seq.ids[40], "SY\"40");
  for (std::size_t chunk : {64u, 700u, 3000u}) {
    ExpectSame(ReadFlat(text, two, chunk), seq);
    ExpectSame(ReadFlat(text, two, chunk, true), seq);
  }
}

TEST(ParallelTest, ErrorsAndSkippedRowsAsInSequentialOrder) {
  std::string text = ManyRows(400, false);
  for (int bad : {3, 150, 390}) {
    std::string id = "SYR" + std::to_string(bad) + ",";
    std::size_t at = text.find(id);
    std::size_t lat = text.find(",35.8,", at);
    text.replace(lat, 6, ",95.8,");
  }
  ReadOptions one, two;
  one.threads = 1;
  two.threads = 2;
  Flat seq = ReadFlat(text, one, 0);
  EXPECT_FALSE(seq.status.ok());
  EXPECT_EQ(seq.ids.size(), 3u);
  for (std::size_t chunk : {200u, 5000u}) {
    ExpectSame(ReadFlat(text, two, chunk), seq);
    ExpectSame(ReadFlat(text, two, chunk, true), seq);
  }
  one.skip_bad_rows = two.skip_bad_rows = true;
  Flat skip = ReadFlat(text, one, 0);
  ASSERT_TRUE(skip.status.ok());
  EXPECT_EQ(skip.ids.size(), 397u);
  EXPECT_EQ(skip.skipped.size(), 3u);
  for (std::size_t chunk : {200u, 5000u}) {
    ExpectSame(ReadFlat(text, two, chunk), skip);
    ExpectSame(ReadFlat(text, two, chunk, true), skip);
  }
  // One quote fewer in the middle (an opening one, then a closing one): whatever
  // the tokenizer makes of the rest, two threads make the same.
  for (bool opening : {true, false}) {
    std::string odd = ManyRows(200, false);
    std::size_t row = odd.find("\"Row 120,");
    odd.erase(opening ? row : odd.find("\"\"\",", row) + 2, 1);
    for (bool skip_bad : {false, true}) {
      one.skip_bad_rows = two.skip_bad_rows = skip_bad;
      Flat seq_odd = ReadFlat(odd, one, 0);
      for (std::size_t chunk : {128u, 4000u}) {
        ExpectSame(ReadFlat(odd, two, chunk), seq_odd);
        ExpectSame(ReadFlat(odd, two, chunk, true), seq_odd);
      }
    }
  }
}

// ---------------------------------------------------------------- UCDP

TEST(UcdpTest, GedRowsAndPrecisions) {
  Outcome o = ReadFixture("ucdp_ged.csv");
  ASSERT_TRUE(o.summary.ok()) << o.summary.status().ToString();
  EXPECT_EQ(o.summary->format, Format::kUcdp);
  EXPECT_EQ(o.summary->variant, "ucdp-ged");
  ASSERT_EQ(o.records.size(), 3u);
  const model::Report& a = o.records[0].incident;
  EXPECT_EQ(o.records[0].source.dataset, "ucdp");
  EXPECT_EQ(o.records[0].source.content_hash, Sha256Hex("ucdp\n" + o.records[0].source.raw));
  EXPECT_EQ(a.source_id, "330001");
  EXPECT_EQ(a.event_type, "Battles");
  EXPECT_EQ(a.native_code, "ucdp:1");
  EXPECT_EQ(a.actor1, "Government of Syria");
  EXPECT_EQ(a.actor2, "Syrian insurgents");
  EXPECT_EQ(a.fatalities, 3);
  EXPECT_EQ(a.fatalities_low, 3);
  EXPECT_EQ(a.fatalities_high, 5);
  EXPECT_EQ(a.time.precision, TimePrecision::kDay);
  EXPECT_EQ(a.time.first_day, Day(2020, 3, 5));
  EXPECT_EQ(a.geo_precision, 1);
  EXPECT_DOUBLE_EQ(a.uncertainty_m, 2000);
  EXPECT_EQ(a.location, "Saraqib town");
  EXPECT_EQ(a.admin1, "Idlib governorate");
  EXPECT_EQ(a.admin2, "Idlib district");
  EXPECT_EQ(a.source, "\"Regime shells Saraqib\", Agence France Presse, 2020-03-05");
  EXPECT_EQ(a.notes, "Regime shells Saraqib");
  EXPECT_EQ(a.country, "Syria");
  const model::Report& b = o.records[1].incident;
  EXPECT_EQ(b.event_type, "Battles");
  EXPECT_EQ(b.native_code, "ucdp:2");
  EXPECT_EQ(b.time.precision, TimePrecision::kRange);
  EXPECT_EQ(b.time.first_day, Day(2020, 3, 2));  // "2020-03-02 00:00:00.000"
  EXPECT_EQ(b.time.last_day, Day(2020, 3, 6));
  EXPECT_EQ(b.time_precision, 2);
  EXPECT_DOUBLE_EQ(b.uncertainty_m, 100000);  // where_prec 4
  const model::Report& c = o.records[2].incident;
  EXPECT_EQ(c.event_type, "Violence against civilians");
  EXPECT_EQ(c.native_code, "ucdp:3");
  EXPECT_EQ(c.time.precision, TimePrecision::kMonth);
  EXPECT_EQ(c.time.last_day, Day(2020, 3, 31));
  EXPECT_DOUBLE_EQ(c.uncertainty_m, 250000);  // where_prec 6: the country
  EXPECT_FALSE(c.fatalities_low.has_value());
}

TEST(UcdpTest, PrecisionTables) {
  const double want[] = {250000, 2000, 25000, 50000, 100000, 100000, 250000, 100000};
  for (int p = 0; p <= 7; ++p) EXPECT_DOUBLE_EQ(UcdpWherePrecRadiusM(p), want[p]) << p;
  EXPECT_DOUBLE_EQ(AcledGeoPrecisionRadiusM(1), 2000);
  EXPECT_DOUBLE_EQ(AcledGeoPrecisionRadiusM(2), 10000);
  EXPECT_DOUBLE_EQ(AcledGeoPrecisionRadiusM(3), 50000);
  EXPECT_DOUBLE_EQ(GdeltGeoTypeRadiusM(1), 250000);
  EXPECT_DOUBLE_EQ(GdeltGeoTypeRadiusM(4), 5000);
  EXPECT_DOUBLE_EQ(GdeltGeoTypeRadiusM(5), 50000);
}

TEST(UcdpTest, BadRows) {
  std::string text = Load(Fixture("ucdp_ged.csv"));
  std::string header = text.substr(0, text.find('\n') + 1);
  std::string row = text.substr(header.size(), text.find('\n', header.size()) + 1 - header.size());
  auto with = [&](const std::string& from, const std::string& to) {
    std::string r = row;
    r.replace(r.find(from), from.size(), to);
    return header + r;
  };
  EXPECT_EQ(ErrorOf(with(",2020-03-05,2020-03-05,", ",2020-03-05,2020-03-04,")),
            "f.csv: row 2, field 'date_end': before date_start: '2020-03-04'");
  EXPECT_EQ(ErrorOf(with(",Middle East,1,1,", ",Middle East,1,9,")),
            "f.csv: row 2, field 'date_prec': not a UCDP date precision (1 to 5): '9'");
  EXPECT_EQ(ErrorOf(with("330001,SYR-2020-1-1,2020,1,Clear,1,", "330001,SYR-2020-1-1,2020,1,Clear,4,")),
            "f.csv: row 2, field 'type_of_violence': not a UCDP type of violence (1 state-based, 2 non-state, 3 "
            "one-sided): '4'");
  EXPECT_EQ(ErrorOf(with(",3,5,3,652,", ",x,5,3,652,")), "f.csv: row 2, field 'best': not a whole number of deaths: 'x'");
}

// ---------------------------------------------------------------- GDELT

TEST(GdeltTest, EventsCodesAndCountries) {
  Outcome o = ReadFixture("gdelt_20200305.export.CSV");
  ASSERT_TRUE(o.summary.ok()) << o.summary.status().ToString();
  EXPECT_EQ(o.summary->format, Format::kGdelt);
  EXPECT_EQ(o.summary->variant, "gdelt-2.0");
  ASSERT_EQ(o.records.size(), 5u);
  const model::Report& a = o.records[0].incident;
  EXPECT_EQ(o.records[0].source.row, 1);  // no header: the first line is the first record
  EXPECT_EQ(o.records[0].source.dataset, "gdelt");
  EXPECT_EQ(a.source_id, "900000001");
  EXPECT_EQ(a.native_code, "194");
  EXPECT_EQ(a.event_type, "Explosions/Remote violence");
  EXPECT_EQ(a.sub_event_type, "Shelling/artillery/missile attack");
  EXPECT_EQ(a.iso3, "SYR");
  EXPECT_EQ(a.country, "Syria");
  EXPECT_EQ(a.admin1, "Idlib");
  EXPECT_EQ(a.location, "Saraqib, Idlib, Syria");
  EXPECT_EQ(a.actor1, "SYRIA");
  EXPECT_EQ(a.actor2, "REBEL");
  EXPECT_DOUBLE_EQ(a.point.lat_deg, 35.8623);
  EXPECT_DOUBLE_EQ(a.uncertainty_m, 5000);
  EXPECT_EQ(a.geo_precision, 4);
  EXPECT_EQ(a.time.first_day, Day(2020, 3, 5));
  EXPECT_EQ(a.time.precision, TimePrecision::kDay);
  EXPECT_EQ(a.source, "https://example.org/news/saraqib-shelling");
  EXPECT_NE(a.notes.find("NumArticles=10"), std::string::npos) << a.notes;
  EXPECT_NE(a.notes.find("ActionGeo_CountryCode=SY"), std::string::npos) << a.notes;

  const model::Report& b = o.records[1].incident;
  EXPECT_EQ(b.native_code, "0251");  // the leading zero stays
  EXPECT_NE(b.notes.find("EventBaseCode=025; EventRootCode=02"), std::string::npos) << b.notes;
  EXPECT_EQ(b.event_type, "Strategic developments");
  EXPECT_EQ(b.iso3, "TUR");
  EXPECT_DOUBLE_EQ(b.uncertainty_m, 250000);  // a country centroid
  EXPECT_EQ(o.records[2].incident.iso3, "RUS");
  EXPECT_EQ(o.records[2].incident.native_code, "042");
  const model::Report& d = o.records[3].incident;
  EXPECT_EQ(d.iso3, "IRQ");
  EXPECT_EQ(d.event_type, "Riots");
  EXPECT_EQ(d.admin1, "Baghdad");
  EXPECT_DOUBLE_EQ(d.uncertainty_m, 50000);
  const model::Report& e = o.records[4].incident;
  EXPECT_EQ(e.iso3, "");  // unknown FIPS code: no ISO3, the code stays in the notes
  EXPECT_EQ(e.country, "Nowhere");
  EXPECT_NE(e.notes.find("ActionGeo_CountryCode=QQ"), std::string::npos);
  EXPECT_EQ(e.event_type, "Battles");
}

TEST(GdeltTest, NoCoordinatesIsABadRow) {
  std::string text = Load(Fixture("gdelt_20200305.export.CSV"));
  const std::string coordinates = "35.8623\t36.8005";
  const std::size_t at = text.find(coordinates);
  ASSERT_NE(at, std::string::npos);
  std::string no_geo(text, 0, at);
  no_geo += '\t';
  no_geo.append(text, at + coordinates.size());
  EXPECT_EQ(ErrorOf(no_geo), "f.csv: row 1, field 'ActionGeo_Lat': no ActionGeo coordinates: the event cannot be placed");
  ReadOptions skip;
  skip.skip_bad_rows = true;
  Outcome o = ReadText(no_geo, "f.csv", skip);
  ASSERT_TRUE(o.summary.ok());
  EXPECT_EQ(o.records.size(), 4u);
  ASSERT_EQ(o.summary->skipped.size(), 1u);
  EXPECT_EQ(o.summary->skipped[0].row, 1);
  std::string bad_date = text;
  bad_date.replace(bad_date.find("\t20200305\t"), 10, "\t2020-03-05\t");
  EXPECT_EQ(ErrorOf(bad_date), "f.csv: row 1, field 'SQLDATE': not a date (YYYYMMDD): '2020-03-05'");
}

TEST(GdeltTest, CameoMapping) {
  auto type_of = [](const std::string& code) {
    std::string text = Load(Fixture("gdelt_20200305.export.CSV"));
    text = text.substr(0, text.find('\n') + 1);
    std::size_t at = text.find("\t194\t194\t19\t");
    text.replace(at, 12, "\t" + code + "\t" + code.substr(0, 3) + "\t" + code.substr(0, 2) + "\t");
    Outcome o = ReadText(text, "g.CSV");
    EXPECT_TRUE(o.summary.ok()) << o.summary.status().ToString();
    return o.records.empty() ? std::string() : o.records[0].incident.event_type + "|" + o.records[0].incident.sub_event_type;
  };
  EXPECT_EQ(type_of("141"), "Protests|Peaceful protest");
  EXPECT_EQ(type_of("1451"), "Riots|Violent demonstration");
  EXPECT_EQ(type_of("181"), "Violence against civilians|Abduction/forced disappearance");
  EXPECT_EQ(type_of("1831"), "Explosions/Remote violence|Suicide bomb");
  EXPECT_EQ(type_of("186"), "Violence against civilians|Attack");
  EXPECT_EQ(type_of("193"), "Battles|Armed clash");
  EXPECT_EQ(type_of("1952"), "Explosions/Remote violence|Air/drone strike");
  EXPECT_EQ(type_of("196"), "Battles|");
  EXPECT_EQ(type_of("202"), "Violence against civilians|Attack");
  EXPECT_EQ(type_of("2041"), "Explosions/Remote violence|Chemical weapon");
  EXPECT_EQ(type_of("0874"), "Strategic developments|");
}

TEST(FipsTest, CodesMapToIso3) {
  EXPECT_EQ(FipsToIso3("SY"), "SYR");
  EXPECT_EQ(FipsToIso3("TU"), "TUR");
  EXPECT_EQ(FipsToIso3("RS"), "RUS");
  EXPECT_EQ(FipsToIso3("IZ"), "IRQ");
  EXPECT_EQ(FipsToIso3("UP"), "UKR");
  EXPECT_EQ(FipsToIso3("AG"), "DZA");
  EXPECT_EQ(FipsToIso3("GM"), "DEU");
  EXPECT_EQ(FipsToIso3("LE"), "LBN");
  EXPECT_EQ(FipsToIso3("GZ"), "PSE");
  EXPECT_EQ(FipsToIso3("OD"), "SSD");
  EXPECT_EQ(FipsToIso3("sy"), "");
  EXPECT_EQ(FipsToIso3("XX"), "");
  EXPECT_EQ(FipsToIso3(""), "");
  auto all = AllFipsCountries();
  EXPECT_GE(all.size(), 250u);
  for (std::size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].fips, all[i].fips) << all[i].fips;
  for (const auto& c : all) {
    EXPECT_EQ(c.fips.size(), 2u);
    EXPECT_EQ(c.iso3.size(), 3u) << c.fips;
    EXPECT_FALSE(c.name.empty());
  }
  // Every UN member state with a FIPS code is covered: spot-check ISO3 codes across the alphabet.
  std::set<std::string_view> iso;
  for (const auto& c : all) iso.insert(c.iso3);
  for (std::string_view code : {"AFG", "BRA", "CHN", "COD", "EGY", "FRA", "GBR", "IND", "IRN", "ISR", "JOR", "KOR",
                                "LBY", "MLI", "NGA", "PAK", "SAU", "SDN", "SOM", "USA", "YEM", "ZWE"}) {
    EXPECT_TRUE(iso.count(code)) << code;
  }
}

// ---------------------------------------------------------------- GeoJSON

TEST(GeoJsonTest, PointsAndTracks) {
  std::string bytes = Load(Fixture("observations.geojson"));
  Outcome o = ReadText(bytes, "observations.geojson");
  ASSERT_TRUE(o.summary.ok()) << o.summary.status().ToString();
  EXPECT_EQ(o.summary->format, Format::kGeoJson);
  EXPECT_EQ(o.summary->variant, "geojson");
  ASSERT_EQ(o.records.size(), 3u);
  const Record& a = o.records[0];
  EXPECT_EQ(a.source.row, 1);
  EXPECT_EQ(a.source.dataset, "geojson");
  EXPECT_EQ(a.source.file_hash, Sha256Hex(bytes));
  EXPECT_TRUE(StartsWith(a.source.raw, "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\""));
  EXPECT_EQ(a.source.content_hash, Sha256Hex("geojson\n" + a.source.raw));
  EXPECT_EQ(a.incident.source_id, "OBS-2020-03-07-1");
  EXPECT_DOUBLE_EQ(a.incident.point.lat_deg, 35.8131);
  EXPECT_DOUBLE_EQ(a.incident.point.lon_deg, 36.6072);
  EXPECT_EQ(a.incident.time.precision, TimePrecision::kExact);
  ASSERT_TRUE(a.incident.time.exact.has_value());
  EXPECT_EQ(time::FormatInstantUtc(*a.incident.time.exact), "2020-03-07T12:30:00Z");  // 14:30 EET
  EXPECT_EQ(a.incident.event_type, "Explosions/Remote violence");
  EXPECT_DOUBLE_EQ(a.incident.uncertainty_m, 500);
  EXPECT_TRUE(a.incident.track.empty());

  const model::Report& b = o.records[1].incident;
  EXPECT_EQ(b.source_id, "PATROL-2020-03-15");  // the feature's own id
  ASSERT_EQ(b.track.size(), 1u);
  EXPECT_EQ(b.track[0].size(), 3u);
  EXPECT_DOUBLE_EQ(b.point.lon_deg, 36.783);  // the middle vertex
  EXPECT_EQ(b.time.precision, TimePrecision::kDay);
  EXPECT_EQ(b.time.first_day, Day(2020, 3, 15));
  EXPECT_DOUBLE_EQ(b.uncertainty_m, 2000);  // geo_precision 1
  EXPECT_EQ(b.actor2, "Military Forces of Turkey (2016-)");

  const model::Report& c = o.records[2].incident;
  EXPECT_EQ(c.source_id, "42");
  ASSERT_EQ(c.track.size(), 2u);
  EXPECT_DOUBLE_EQ(c.point.lon_deg, 36.700);  // vertex 2 of 5
  EXPECT_EQ(time::FormatInstantUtc(*c.time.exact), "2020-03-23T07:15:00Z");
}

TEST(GeoJsonTest, BadFeatures) {
  auto one = [](const std::string& props, const std::string& geometry = R"({"type":"Point","coordinates":[36.6,35.8]})") {
    return R"({"type":"FeatureCollection","features":[{"type":"Feature","geometry":)" + geometry +
           R"(,"properties":{"date":"2020-03-07","event_type":"Battles"}},{"type":"Feature","geometry":)" + geometry +
           R"(,"properties":)" + props + "}]}";
  };
  EXPECT_EQ(ErrorOf(one(R"({"event_type":"Battles"})")), "f.csv: row 2, field 'date': missing (every feature needs it)");
  EXPECT_EQ(ErrorOf(one(R"({"date":"07/03/2020","event_type":"Battles"})")),
            "f.csv: row 2, field 'date': not a date (YYYY-MM-DD): '07/03/2020'");
  EXPECT_EQ(ErrorOf(one(R"({"date":"2020-03-07"})")), "f.csv: row 2, field 'event_type': missing (every feature needs it)");
  EXPECT_EQ(ErrorOf(one(R"({"date":"2020-03-07","event_type":"Battles","time":"14:30"})")),
            "f.csv: row 2, field 'time': a time of day needs a 'timezone' property (IANA, e.g. Asia/Damascus) or an "
            "offset: '14:30'");
  EXPECT_EQ(ErrorOf(one(R"({"date":"2020-03-07","event_type":"Battles","fatalities":"many"})")),
            "f.csv: row 2, field 'fatalities': not a whole number >= 0: '\"many\"'");
  EXPECT_EQ(ErrorOf(one(R"({"date":"2020-03-07","event_type":true})")),
            "f.csv: row 2, field 'event_type': must be a string, got boolean");
  EXPECT_TRUE(StartsWith(ErrorOf(one(R"({"date":"2020-03-07","event_type":"Battles"})",
                                     R"({"type":"Point","coordinates":[36.6,95.8]})")),
                         "f.csv: row 1, field 'geometry': "));
  EXPECT_EQ(ErrorOf(one(R"({"date":"2020-03-07","event_type":"Battles"})",
                        R"({"type":"Polygon","coordinates":[[[36,35],[37,35],[37,36],[36,35]]]})")),
            "f.csv: row 1, field 'geometry': a Polygon is not an incident location (use a Point, or a LineString for "
            "a route)");
  EXPECT_TRUE(StartsWith(ErrorOf("{\"type\": \"FeatureCollection\",\n \"features\": [}"), "f.csv:2:"));
  EXPECT_EQ(ErrorOf(R"({"type":"Point","coordinates":[36.6,35.8]})"),
            "f.csv: a bare Point has no properties (date, event_type): wrap it in a Feature");
  ReadOptions skip;
  skip.skip_bad_rows = true;
  Outcome o = ReadText(one(R"({"event_type":"Battles"})"), "f.csv", skip);
  ASSERT_TRUE(o.summary.ok());
  EXPECT_EQ(o.records.size(), 1u);
  ASSERT_EQ(o.summary->skipped.size(), 1u);
  EXPECT_EQ(o.summary->skipped[0].row, 2);
}

// ---------------------------------------------------------------- bad input (issue 8)

// tests/data/ingest/bad: one fault each (make_fixtures.py there).
Outcome ReadBad(const std::string& name, bool skip = false) {
  ReadOptions options;
  options.skip_bad_rows = skip;
  return ReadText(Load(Fixture("bad/" + name)), name, options);
}

TEST(BadInputTest, CrOnlyLineEndsAreRefusedNotReadAsNoRecords) {
  Outcome o = ReadBad("acled_cr_only.csv");
  ASSERT_FALSE(o.summary.ok());
  EXPECT_EQ(o.summary.status().code(), StatusCode::kParseError);
  EXPECT_TRUE(StartsWith(o.summary.status().message(), "acled_cr_only.csv: row 1: line ends are CR alone"))
      << o.summary.status().message();
  // CRLF and a lone CR inside a field are still fine.
  EXPECT_TRUE(ReadFixture("acled_resaved.csv").summary.ok());
  std::string text = Load(Fixture("acled_2023.csv"));
  EXPECT_TRUE(ReadText(text.substr(0, text.find('\n')) + "\r\n" + text.substr(text.find('\n') + 1), "f.csv").summary.ok());
}

TEST(BadInputTest, ColumnNamedTwiceNamesBothColumns) {
  EXPECT_EQ(ErrorOf(Load(Fixture("bad/acled_two_latitude.csv"))),
            "f.csv: row 1, field 'Latitude': the header names this column twice: column 23 'latitude' and column 25 "
            "'Latitude'; remove or rename one");
  std::string ucdp = Load(Fixture("ucdp_ged.csv"));
  ucdp.replace(ucdp.find(",where_description,"), 19, ",best,");
  EXPECT_TRUE(StartsWith(ErrorOf(ucdp), "f.csv: row 1, field 'best': the header names this column twice: column 27"))
      << ErrorOf(ucdp);
}

TEST(BadInputTest, UcdpTimesMustBeTimesOfDay) {
  EXPECT_EQ(ErrorOf(Load(Fixture("bad/ucdp_bad_time.csv"))),
            "f.csv: row 2, field 'date_start': not a date (expected e.g. '2020-03-05' or '2020-03-05 00:00:00.000', a "
            "time of day 00:00 to 23:59): '2020-03-05T99:99'");
  for (const char* bad : {"2020-03-05T99:99", "2020-03-05 24:00", "2020-03-05 12:60", "2020-03-05 12:00:61",
                          "2020-03-05 1:00", "2020-03-05 12:00:", "2020-03-05 12:00:00.", "2020-03-05 ::",
                          "2020-03-05 12:00:00.5x"}) {
    EXPECT_FALSE(internal::ParseIsoDatePrefix(bad)) << bad;
  }
  for (const char* good : {"2020-03-05", "2020-03-05 00:00", "2020-03-05T23:59", "2020-03-05 00:00:00.000",
                           "2020-03-05 23:59:60", "2020-03-05T12:30:15"}) {
    EXPECT_EQ(internal::ParseIsoDatePrefix(good), Day(2020, 3, 5)) << good;
  }
}

TEST(BadInputTest, InvalidUtf8IsARowErrorNamingFieldAndByteInEveryDataset) {
  struct Case {
    const char* file;
    const char* error;
    std::size_t good_rows;
  };
  for (const Case& c : {
           Case{"acled_bad_utf8.csv",
                "acled_bad_utf8.csv: row 3, field 'location': invalid UTF-8 (byte 0xFF at byte 11 of the field)", 3},
           Case{"ucdp_bad_utf8.csv",
                "ucdp_bad_utf8.csv: row 3, field 'dyad_name': invalid UTF-8 (byte 0xC3 at byte 13 of the field)", 2},
           Case{"gdelt_bad_utf8.export.CSV",
                "gdelt_bad_utf8.export.CSV: row 1, field 'Actor1Name': invalid UTF-8 (byte 0x80 at byte 6 of the "
                "field)",
                4},
           Case{"observations_bad_utf8.geojson",
                "observations_bad_utf8.geojson: row 1, field 'location': invalid UTF-8 (byte 0xFE)", 2},
       }) {
    SCOPED_TRACE(c.file);
    Outcome o = ReadBad(c.file);
    ASSERT_FALSE(o.summary.ok());
    EXPECT_EQ(o.summary.status().message(), c.error);
    // Skipped like any bad row, and every stored text is valid UTF-8.
    Outcome skipped = ReadBad(c.file, true);
    ASSERT_TRUE(skipped.summary.ok()) << skipped.summary.status().ToString();
    ASSERT_EQ(skipped.summary->skipped.size(), 1u);
    EXPECT_EQ(skipped.summary->skipped[0].message, c.error);
    EXPECT_EQ(skipped.records.size(), c.good_rows);
    for (const Record& r : skipped.records) {
      EXPECT_EQ(FindInvalidUtf8(r.source.raw), r.source.raw.size());
      EXPECT_EQ(FindInvalidUtf8(r.incident.location), r.incident.location.size());
      EXPECT_EQ(FindInvalidUtf8(r.incident.actor1), r.incident.actor1.size());
    }
  }
}

TEST(BadInputTest, GeoJsonBadBytesInKeysAndNestedValues) {
  const std::string point = R"({"type":"Point","coordinates":[36.6,35.8]})";
  auto doc = [&](const std::string& props) {
    return R"({"type":"FeatureCollection","features":[{"type":"Feature","geometry":)" + point +
           R"(,"properties":{"date":"2020-03-07","event_type":"Battles"}},{"type":"Feature","geometry":)" + point +
           R"(,"properties":)" + props + "}]}";
  };
  EXPECT_EQ(ErrorOf(doc("{\"date\":\"2020-03-07\",\"event_type\":\"Battles\",\"x\xC0y\":1}")),
            "f.csv: row 2, field 'x\xEF\xBF\xBDy': invalid UTF-8 (byte 0xC0)");
  EXPECT_EQ(ErrorOf(doc("{\"date\":\"2020-03-07\",\"event_type\":\"Battles\",\"tags\":[\"ok\",\"b\xED\xA0\x80" "d\"]}")),
            "f.csv: row 2, field 'tags': invalid UTF-8 (byte 0xED)");
  // Valid UTF-8 that happens to use the private-use plane is read as it is.
  Outcome o = ReadText(doc("{\"date\":\"2020-03-07\",\"event_type\":\"Battles\",\"notes\":\"\xF4\x8F\xBC\x80\"}"), "f");
  ASSERT_TRUE(o.summary.ok()) << o.summary.status().ToString();
  EXPECT_EQ(o.records[1].incident.notes, "\xF4\x8F\xBC\x80");
}

// ---------------------------------------------------------------- real files

TEST(SharedDataTest, RealAcledFilesParse) {
  const std::string dir = std::string(TRUCE_SOURCE_DIR) + "/../shared/data/";
  if (!std::filesystem::exists(dir + "acled_2019_export.csv")) {
    GTEST_SKIP() << "no shared data at " << dir << " (a fresh clone does not have it)";
  }
  struct Case {
    const char* file;
    const char* variant;
    std::size_t records;
  };
  for (const Case& c : {Case{"acled_2016_legacy.csv", "acled-2016", 40}, Case{"acled_2019_export.csv", "acled-pre2023", 40},
                        Case{"acled_2024_export.csv", "acled-2023", 2},
                        Case{"acled_2024_spreadsheet_resaved.csv", "acled-2023", 40}}) {
    SCOPED_TRACE(c.file);
    Outcome o = ReadText(Load(dir + c.file), c.file);
    ASSERT_TRUE(o.summary.ok()) << o.summary.status().ToString();
    EXPECT_EQ(o.summary->variant, c.variant);
    EXPECT_EQ(o.records.size(), c.records);
    EXPECT_TRUE(o.summary->skipped.empty());
    for (const Record& r : o.records) {
      EXPECT_FALSE(r.incident.source_id.empty());
      EXPECT_FALSE(r.incident.event_type.empty());
      EXPECT_NE(r.incident.point.lat_deg, 0);
    }
  }
  Outcome y2016 = ReadText(Load(dir + "acled_2016_legacy.csv"), "acled_2016_legacy.csv");
  ASSERT_TRUE(y2016.summary.ok());
  EXPECT_EQ(y2016.records[0].incident.event_type, "Protests");
  EXPECT_EQ(y2016.records[1].incident.event_type, "Explosions/Remote violence");
  Outcome y2024 = ReadText(Load(dir + "acled_2024_export.csv"), "acled_2024_export.csv");
  ASSERT_TRUE(y2024.summary.ok());
  EXPECT_EQ(y2024.records[0].incident.time.first_day, Day(2024, 11, 1));
  Outcome y2019 = ReadText(Load(dir + "acled_2019_export.csv"), "acled_2019_export.csv");
  ASSERT_TRUE(y2019.summary.ok());
  EXPECT_EQ(y2019.records[0].incident.time.first_day, Day(2019, 12, 31));
  EXPECT_EQ(y2019.records[0].incident.iso3, "KEN");
}

}  // namespace
}  // namespace truce::ingest
