// Loading agreements that are valid: values, defaults, time forms, actors
// inline or in a file, the files recorded, and reloading from them.
#include <gtest/gtest.h>

#include "internal.h"
#include "testing.h"
#include "truce/core/strings.h"

namespace truce::agreement {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

using testing::Utc;

// A small agreement; `top` is spliced in after the title, `provisions` replaces
// the default ones.
std::string Agreement(const std::string& top, const std::string& provisions = "") {
  return "id: t\n"
         "title: T\n" +
         top +
         "actors:\n"
         "  army: {name: Army, aliases: [Army of X]}\n"
         "  rebels: {name: Rebels}\n"
         "sides:\n"
         "  government: {guarantor: RUS, actors: [army]}\n"
         "  opposition: {guarantor: TUR, actors: [rebels]}\n"
         "zones:\n"
         "  area: {polygon: [[35.5, 36.0], [35.5, 37.0], [36.1, 37.0], [36.1, 36.0]]}\n"
         "provisions:\n" +
         (provisions.empty() ? "  - {id: p1, prohibits: Battles, where: area}\n" : provisions);
}

Result<LoadedAgreement> Parse(const std::string& yaml, const FileSystem& fs) {
  return ParseAgreement(yaml, "dir/t.yaml", fs);
}
Result<LoadedAgreement> Parse(const std::string& yaml) {
  MemFileSystem fs;
  return Parse(yaml, fs);
}

TEST(Loader, ReadsTheBaseFixture) {
  testing::RootedFileSystem fs(testing::FixtureDir());
  auto loaded = LoadAgreementFile("good/base.yaml", fs);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const model::Agreement& a = loaded->agreement;
  EXPECT_EQ(a.id, "test-agreement");
  EXPECT_EQ(a.title, "Test agreement");
  EXPECT_EQ(a.timezone, "Asia/Damascus");
  EXPECT_EQ(a.entry_into_force, Utc("2020-03-05T22:01:00Z"));
  EXPECT_EQ(a.entry_into_force_text, "2020-03-06T00:01 Asia/Damascus");
  ASSERT_EQ(loaded->actors.size(), 3u);
  EXPECT_EQ(loaded->actors[0].id, "army");
  EXPECT_EQ(loaded->actors[0].kind, model::ActorKind::kArmedForces);
  EXPECT_EQ(loaded->actors[0].aliases, std::vector<std::string>{"Army of X"});
  EXPECT_EQ(loaded->actors[0].pos.file, "good/base.yaml");
  EXPECT_EQ(loaded->actors[0].pos.line, 7);
  EXPECT_EQ(loaded->actors[0].pos.column, 3);
  ASSERT_EQ(a.sides.size(), 2u);
  EXPECT_EQ(a.sides.at("government").guarantor, "RUS");
  EXPECT_EQ(a.sides.at("opposition").actor_ids, std::vector<std::string>{"rebels"});
  EXPECT_EQ(a.designated, std::vector<std::string>{"terrorists"});
  ASSERT_EQ(a.places.size(), 2u);
  EXPECT_EQ(a.places[1].id, "b");
  EXPECT_EQ(a.places[1].name, "b");  // DEFAULT: the id
  EXPECT_DOUBLE_EQ(a.places[1].position.lat_deg, 35.82);
  ASSERT_EQ(a.zones.size(), 2u);
  EXPECT_EQ(a.zones[0].zone.shape(), geo::ZoneShape::kPolygon);
  ASSERT_EQ(a.zones[0].zone.polygons().size(), 1u);
  EXPECT_EQ(a.zones[0].zone.polygons()[0].outer.size(), 5u);  // closed for the writer
  EXPECT_EQ(a.zones[1].zone.shape(), geo::ZoneShape::kCorridor);
  EXPECT_DOUBLE_EQ(a.zones[1].zone.half_width_m(), 6000);
  ASSERT_EQ(a.provisions.size(), 2u);
  const model::Provision& p1 = a.provisions[0];
  EXPECT_EQ(p1.kind, model::ProvisionKind::kProhibition);
  EXPECT_EQ(p1.article, "p1");  // DEFAULT: the id
  EXPECT_EQ(p1.pos.line, 21);
  EXPECT_EQ(p1.pos.column, 5);
  EXPECT_FALSE(p1.from.has_value());
  EXPECT_EQ(p1.from_text, "2020-03-06T00:01 Asia/Damascus");  // DEFAULT: entry into force
  ASSERT_EQ(p1.except.size(), 1u);
  EXPECT_TRUE(p1.except[0].against_designated);
  const model::Provision& p2 = a.provisions[1];
  EXPECT_EQ(p2.kind, model::ProvisionKind::kObligation);
  EXPECT_EQ(p2.obligation, model::ObligationKind::kJointPatrol);
  EXPECT_EQ(p2.obligated, (std::vector<std::string>{"RUS", "TUR"}));
  EXPECT_EQ(p2.along, "road");
  EXPECT_EQ(p2.route_from_place, "a");
  ASSERT_TRUE(p2.route_to.has_value());
  EXPECT_DOUBLE_EQ(p2.route_to->lon_deg, 36.60);
  EXPECT_EQ(p2.from, Utc("2020-03-14T22:00:00Z"));
  EXPECT_DOUBLE_EQ(p2.met_fraction, 0.9);  // DEFAULT
  EXPECT_EQ(loaded->files.size(), 1u);
  EXPECT_EQ(loaded->files[0].first, "good/base.yaml");
  EXPECT_EQ(a.source_text, loaded->files[0].second);
  EXPECT_EQ(a.source_file, "good/base.yaml");
  EXPECT_EQ(a.content_hash.size(), 64u);
}

struct TimeCase {
  std::string top;
  std::string eif_utc;
  std::string eif_text;
  std::string timezone;
};

TEST(Loader, ReadsEveryTimeForm) {
  const std::vector<TimeCase> cases = {
      {"timezone: Asia/Damascus\nentry_into_force: 2020-03-06T00:01\n", "2020-03-05T22:01:00Z",
       "2020-03-06T00:01 Asia/Damascus", "Asia/Damascus"},
      {"timezone: Asia/Damascus\nentry_into_force: 2020-03-06 00:01:30\n", "2020-03-05T22:01:30Z",
       "2020-03-06 00:01:30 Asia/Damascus", "Asia/Damascus"},
      {"timezone: Asia/Damascus\nentry_into_force: 2020-03-06\n", "2020-03-05T22:00:00Z",
       "2020-03-06 Asia/Damascus", "Asia/Damascus"},
      // Summer time: Syria was UTC+3 in September 2018.
      {"timezone: Asia/Damascus\nentry_into_force: 2018-09-17\n", "2018-09-16T21:00:00Z", "2018-09-17 Asia/Damascus",
       "Asia/Damascus"},
      {"entry_into_force: 2020-03-05T22:01Z\n", "2020-03-05T22:01:00Z", "2020-03-05T22:01Z", "UTC"},
      {"entry_into_force: 2020-03-06T00:01+02:00\n", "2020-03-05T22:01:00Z", "2020-03-06T00:01+02:00", "UTC"},
      {"entry_into_force: 2020-03-05T19:01-03:00\n", "2020-03-05T22:01:00Z", "2020-03-05T19:01-03:00", "UTC"},
      {"entry_into_force: 2020-03-06T00:01 Asia/Damascus\n", "2020-03-05T22:01:00Z",
       "2020-03-06T00:01 Asia/Damascus", "UTC"},
      {"timezone: Europe/Moscow\nentry_into_force: 2020-03-06T00:01 Asia/Damascus\n", "2020-03-05T22:01:00Z",
       "2020-03-06T00:01 Asia/Damascus", "Europe/Moscow"},
      {"entry_into_force: \"2020-03-06 Asia/Damascus\"\n", "2020-03-05T22:00:00Z", "2020-03-06 Asia/Damascus",
       "UTC"},
  };
  for (const TimeCase& c : cases) {
    auto loaded = Parse(Agreement(c.top));
    ASSERT_TRUE(loaded.ok()) << c.top << loaded.status().ToString();
    EXPECT_EQ(time::FormatInstantUtc(loaded->agreement.entry_into_force), c.eif_utc) << c.top;
    EXPECT_EQ(loaded->agreement.entry_into_force_text, c.eif_text) << c.top;
    EXPECT_EQ(loaded->agreement.timezone, c.timezone) << c.top;
  }
}

TEST(Loader, ProvisionTimes) {
  auto loaded = Parse(Agreement("timezone: Asia/Damascus\nentry_into_force: 2020-03-06T00:01\nend: 2021-01-01\n",
                                "  - id: p1\n"
                                "    prohibits: Battles\n"
                                "    where: area\n"
                                "    from: 2020-03-07\n"
                                "    until: 2020-04-01T00:00Z\n"
                                "  - {id: p2, obligation: other, by: RUS, due: 2020-03-13}\n"));
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const model::Agreement& a = loaded->agreement;
  EXPECT_EQ(a.end, Utc("2020-12-31T22:00:00Z"));
  EXPECT_EQ(a.provisions[0].from, Utc("2020-03-06T22:00:00Z"));
  EXPECT_EQ(a.provisions[0].from_text, "2020-03-07 Asia/Damascus");
  EXPECT_EQ(a.provisions[0].until, Utc("2020-04-01T00:00:00Z"));
  EXPECT_EQ(a.provisions[1].due, Utc("2020-03-12T22:00:00Z"));
  EXPECT_FALSE(a.provisions[1].from.has_value());
}

TEST(Loader, DefaultsAndShortForms) {
  // One act as a string, one zone as a string, one exemption as a map, no `by`.
  auto loaded = Parse(Agreement("entry_into_force: 2020-03-05T22:01Z\n",
                                "  - id: p1\n"
                                "    prohibits: explosions/remote violence / AIR/DRONE STRIKE\n"
                                "    where: area\n"
                                "    except: {against: [rebels], acts: {event_type: battles}, note: n}\n"));
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const model::Provision& p = loaded->agreement.provisions[0];
  ASSERT_EQ(p.prohibits.size(), 1u);
  // Matched ignoring case, kept in the codebook's spelling.
  EXPECT_EQ(p.prohibits[0].event_type, "Explosions/Remote violence");
  EXPECT_EQ(p.prohibits[0].sub_event_type, "Air/drone strike");
  EXPECT_EQ(p.by_sides, (std::vector<std::string>{"government", "opposition"}));  // DEFAULT: every side
  EXPECT_EQ(p.where, std::vector<std::string>{"area"});
  ASSERT_EQ(p.except.size(), 1u);
  EXPECT_FALSE(p.except[0].against_designated);
  EXPECT_EQ(p.except[0].against_actors, std::vector<std::string>{"rebels"});
  ASSERT_EQ(p.except[0].acts.size(), 1u);
  EXPECT_EQ(p.except[0].acts[0].ToString(), "Battles");
  EXPECT_EQ(p.except[0].note, "n");
  EXPECT_EQ(loaded->agreement.timezone, "UTC");  // DEFAULT
  EXPECT_EQ(loaded->actors[0].kind, model::ActorKind::kOther);  // DEFAULT
  EXPECT_TRUE(loaded->agreement.zones[0].name == "area");       // DEFAULT: the id
}

TEST(Loader, ParseActPattern) {
  auto a = ParseActPattern("Violence against civilians / Abduction/forced disappearance");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->event_type, "Violence against civilians");
  EXPECT_EQ(a->sub_event_type, "Abduction/forced disappearance");
  EXPECT_EQ(ParseActPattern("Riots").value().ToString(), "Riots");
  auto bad = ParseActPattern("Battles / Air/drone strike");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "unknown sub-event type 'Air/drone strike' of 'Battles' (expected one of: Armed clash, Government "
            "regains territory, Non-state actor overtakes territory)");
  EXPECT_FALSE(ParseActPattern("").ok());
  // Every sub-type in the table reads back as itself.
  size_t n = 0;
  for (const AcledEventType& t : AcledEventTypes()) {
    for (const std::string& s : t.sub_event_types) {
      auto r = ParseActPattern(t.event_type + " / " + s);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      EXPECT_EQ(r->sub_event_type, s);
      ++n;
    }
  }
  EXPECT_EQ(AcledEventTypes().size(), 6u);
  EXPECT_EQ(n, 25u);
}

TEST(Loader, ShapesOtherThanPolygons) {
  const std::string yaml =
      "id: t\ntitle: T\nentry_into_force: 2020-01-01T00:00Z\n"
      "actors: {army: {}}\n"
      "sides: {s: {actors: [army]}}\n"
      "places: {town: {name: Town, lat: 35.8, lon: 36.6}}\n"
      "zones:\n"
      "  c1: {circle: {center: town, radius_km: 5}}\n"
      "  c2: {circle: {center: [35.9, 36.7], radius_km: 2.5}}\n"
      "  b: {band: {line: [[35.5, 36.0], [36.0, 36.5]], width_km: 15, side: right}}\n"
      "  corr: {corridor: {line: lines/l.geojson, half_width_km: 1}}\n"
      "  polys: {polygon: polys.geojson}\n"
      "provisions: [{id: p, obligation: open_road, by: s, along: b}]\n";
  MemFileSystem fs;
  fs.Put("dir/lines/l.geojson",
         R"({"type":"Feature","properties":{},"geometry":{"type":"MultiLineString","coordinates":[[[36.0,35.5],[36.5,36.0]]]}})");
  fs.Put("dir/polys.geojson",
         R"({"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[36,35],[37,35],[37,36],[36,35]]]}},
              {"type":"Feature","properties":{},"geometry":{"type":"MultiPolygon","coordinates":[
                 [[[40,35],[41,35],[41,36],[40,35]]], [[[42,35],[43,35],[43,36],[42,35]]]]}}]})");
  auto loaded = Parse(yaml, fs);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const model::Agreement& a = loaded->agreement;
  ASSERT_EQ(a.zones.size(), 5u);
  EXPECT_EQ(a.zones[0].zone.shape(), geo::ZoneShape::kCircle);
  EXPECT_EQ(a.zones[0].zone.center(), (geo::LatLon{35.8, 36.6}));
  EXPECT_DOUBLE_EQ(a.zones[0].zone.half_width_m(), 5000);
  EXPECT_EQ(a.zones[1].zone.center(), (geo::LatLon{35.9, 36.7}));
  EXPECT_EQ(a.zones[2].zone.shape(), geo::ZoneShape::kBand);
  EXPECT_EQ(a.zones[2].zone.band_side(), geo::BandSide::kRight);
  EXPECT_DOUBLE_EQ(a.zones[2].zone.half_width_m(), 15000);
  EXPECT_EQ(a.zones[3].zone.shape(), geo::ZoneShape::kCorridor);
  EXPECT_EQ(a.zones[3].source, "lines/l.geojson");
  EXPECT_EQ(a.zones[3].zone.line().size(), 2u);
  EXPECT_EQ(a.zones[3].zone.line()[0], (geo::LatLon{35.5, 36.0}));  // GeoJSON's [lon, lat] turned round
  EXPECT_EQ(a.zones[4].zone.polygons().size(), 3u);
  // Files as the YAML wrote them, in reading order, after the YAML.
  ASSERT_EQ(loaded->files.size(), 3u);
  EXPECT_EQ(loaded->files[1].first, "lines/l.geojson");
  EXPECT_EQ(loaded->files[2].first, "polys.geojson");
}

// The same actors inline and in a file give the same agreement; the file is
// recorded, and positions point into it.
TEST(Loader, ActorsInlineOrInAFile) {
  const std::string actors =
      "  army: {name: Army, kind: armed_forces, country: SYR, aliases: [Army of X, AX]}\n"
      "  rebels:\n"
      "    name: Rebels\n"
      "    designations:\n"
      "      - {by: UNSC, as: terrorist, from: 2018-05-31, until: 2019-01-01, note: n}\n";
  const std::string rest =
      "sides:\n  s: {actors: [army, rebels]}\n"
      "zones: {z: {circle: {center: [35, 36], radius_km: 1}}}\n"
      "provisions: [{id: p, prohibits: Battles, where: z}]\n";
  const std::string head = "id: t\ntitle: T\nentry_into_force: 2020-01-01T00:00Z\n";
  MemFileSystem fs;
  fs.Put("dir/people/actors.yaml", "# the actors\nactors:\n" + actors);
  auto inline_loaded = Parse(head + "actors:\n" + actors + rest, fs);
  auto file_loaded = Parse(head + "actors: people/actors.yaml\n" + rest, fs);
  ASSERT_TRUE(inline_loaded.ok()) << inline_loaded.status().ToString();
  ASSERT_TRUE(file_loaded.ok()) << file_loaded.status().ToString();
  ASSERT_EQ(inline_loaded->actors.size(), 2u);
  ASSERT_EQ(file_loaded->actors.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    const model::Actor& x = inline_loaded->actors[i];
    const model::Actor& y = file_loaded->actors[i];
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.aliases, y.aliases);
    EXPECT_EQ(x.country, y.country);
    EXPECT_EQ(x.kind, y.kind);
    ASSERT_EQ(x.designations.size(), y.designations.size());
    for (size_t j = 0; j < x.designations.size(); ++j) {
      EXPECT_EQ(x.designations[j].by, y.designations[j].by);
      EXPECT_EQ(x.designations[j].from, y.designations[j].from);
      EXPECT_EQ(x.designations[j].until, y.designations[j].until);
    }
  }
  const model::Designation& d = file_loaded->actors[1].designations.at(0);
  EXPECT_EQ(d.as, "terrorist");
  EXPECT_TRUE(d.ValidOn(*time::ParseIsoDate("2018-05-31")));
  EXPECT_FALSE(d.ValidOn(*time::ParseIsoDate("2019-01-02")));
  EXPECT_EQ(inline_loaded->actors[0].pos.file, "dir/t.yaml");
  EXPECT_EQ(inline_loaded->actors[0].pos.line, 5);
  EXPECT_EQ(file_loaded->actors[0].pos.file, "dir/people/actors.yaml");
  EXPECT_EQ(file_loaded->actors[0].pos.line, 3);
  ASSERT_EQ(file_loaded->files.size(), 2u);
  EXPECT_EQ(file_loaded->files[1].first, "people/actors.yaml");
  EXPECT_EQ(file_loaded->files[1].second, "# the actors\nactors:\n" + actors);
  EXPECT_EQ(inline_loaded->files.size(), 1u);
  EXPECT_NE(inline_loaded->agreement.content_hash, file_loaded->agreement.content_hash);
}

// Loaded from disk, then re-read from a MemFileSystem holding exactly the
// recorded files: the same agreement.
TEST(Loader, ReloadsFromItsRecordedFiles) {
  testing::RootedFileSystem disk(TRUCE_SOURCE_DIR);
  for (const char* path :
       {"examples/idlib-2020/additional-protocol-2020.yaml", "examples/idlib-2020/sochi-memorandum-2018.yaml"}) {
    auto first = LoadAgreementFile(path, disk);
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    ASSERT_GE(first->files.size(), 3u);
    EXPECT_EQ(first->files[0].first, path);

    MemFileSystem mem;
    for (size_t i = 1; i < first->files.size(); ++i) {
      mem.Put(ResolveRelative(first->files[0].first, first->files[i].first), first->files[i].second);
    }
    auto second = ParseAgreement(first->files[0].second, first->files[0].first, mem);
    ASSERT_TRUE(second.ok()) << second.status().ToString();
    EXPECT_EQ(testing::Dump(*first), testing::Dump(*second));
    EXPECT_EQ(first->files, second->files);

    auto third = ReloadAgreement(first->files);
    ASSERT_TRUE(third.ok()) << third.status().ToString();
    EXPECT_EQ(testing::Dump(*first), testing::Dump(*third));

    // A changed zone file is a different agreement.
    auto changed = first->files;
    changed.back().second += "\n";
    auto fourth = ReloadAgreement(changed);
    ASSERT_TRUE(fourth.ok()) << fourth.status().ToString();
    EXPECT_NE(fourth->agreement.content_hash, first->agreement.content_hash);
    // Missing one: the reference's position is reported.
    auto missing = first->files;
    missing.pop_back();
    EXPECT_FALSE(ReloadAgreement(missing).ok());
  }
  EXPECT_EQ(ReloadAgreement({}).status().code(), StatusCode::kInvalidArgument);
}

TEST(Loader, ReportsEveryErrorInFileOrderAndCapsThem) {
  std::string yaml = Agreement("entry_into_force: 2020-01-01T00:00Z\n");
  std::string extra;
  for (int i = 0; i < 30; ++i) extra += "zz" + std::to_string(i) + ": 1\n";
  yaml = extra + yaml;
  auto loaded = Parse(yaml);
  ASSERT_FALSE(loaded.ok());
  const std::vector<std::string> lines = Split(loaded.status().message(), '\n');
  ASSERT_EQ(lines.size(), 26u);
  EXPECT_EQ(lines[0], "dir/t.yaml:1:1: unknown key 'zz0' (expected one of: id, title, parties, signed, timezone, "
                      "entry_into_force, end, extensions, amends, supersedes, extends, countries, source, note, actors, "
                      "sides, designated, "
                      "places, zones, provisions)");
  EXPECT_TRUE(StartsWith(lines[24], "dir/t.yaml:25:1: unknown key 'zz24'")) << lines[24];
  EXPECT_EQ(lines[25], "... and 5 more errors");
}

TEST(Loader, MissingFileIsNotFound) {
  MemFileSystem fs;
  auto loaded = LoadAgreementFile("nowhere.yaml", fs);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), StatusCode::kNotFound);
}

// Whatever the text, a Status comes back: no exception escapes.
TEST(Loader, OddInputsFailCleanly) {
  for (const std::string& text :
       {std::string("["), std::string("{a: ["), std::string("- - -"), std::string("id: *nowhere"),
        std::string("\t- x"), std::string("? [a, b]\n: c"), std::string("id: t\ntitle: T\nsides: 3\n"),
        std::string("id: [t]\ntitle: {a: b}\nentry_into_force: [1]\nsides: []\nprovisions: 3\n"),
        std::string("provisions:\n  - 3\n  - [a]\n  - {id: x, prohibits: {}, where: []}\n"),
        std::string("zones: {z: {polygon: {a: 1}}, y: {corridor: [1]}, x: {circle: {center: [1], radius_km: 1}}}\n"),
        std::string("actors: [a]\n"), std::string("actors: {a: [1]}\n"), std::string("places: {p: 3}\n"),
        std::string("\xff\xfe"), std::string("id: t\n---\n---\n")}) {
    Result<LoadedAgreement> loaded = Parse(text);
    EXPECT_FALSE(loaded.ok()) << text;
    EXPECT_TRUE(loaded.status().code() == StatusCode::kParseError ||
                loaded.status().code() == StatusCode::kValidationError)
        << loaded.status().ToString();
    EXPECT_TRUE(StartsWith(loaded.status().message(), "dir/t.yaml:")) << loaded.status().message();
  }
}

// Text at the door: each case is the one bad thing in an otherwise valid
// agreement, and the message names where it is.
TEST(Loader, RefusesTextThatIsNotPrintableUtf8) {
  const std::string tail = "entry_into_force: 2020-01-01T00:00Z\n";
  struct Case {
    std::string top;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"note: caf\xC3\n", "dir/t.yaml:3:10: invalid UTF-8 (byte 0xC3)"},                       // cut short
      {"note: \xC0\xAF\n", "dir/t.yaml:3:7: invalid UTF-8 (byte 0xC0)"},                          // overlong
      {"note: \xED\xA0\x80\n", "dir/t.yaml:3:7: invalid UTF-8 (byte 0xED)"},                      // surrogate
      {"note: \xF4\x90\x80\x80\n", "dir/t.yaml:3:7: invalid UTF-8 (byte 0xF4)"},                  // > U+10FFFF
      {"note: a\x7F\n", "dir/t.yaml:3:8: control character U+007F (only tab, line feed and carriage return may "
                        "appear in the file)"},
      {"note: a\xC2\x9B[2J\n", "dir/t.yaml:3:8: control character U+009B (only tab, line feed and carriage return "
                              "may appear in the file)"},                                        // C1 CSI
      {"note: \"bell \\a\"\n", "dir/t.yaml:3:7: 'note' holds control character U+0007: free text may hold line "
                               "breaks and tabs, no other control characters"},
      {"source: \"x\\0y\"\n", "dir/t.yaml:3:9: 'source' holds control character U+0000: free text may hold line "
                              "breaks and tabs, no other control characters"},
      {"parties: [\"RUS\\x1b\"]\n", "dir/t.yaml:3:11: an entry of 'parties' holds control character U+001B: ids, "
                                    "names and titles are one line of printable text"},
      {"signed: 9999-01-01\n", "dir/t.yaml:3:9: 'signed' '9999-01-01' is out of range (years 1900..2199)"},
  };
  for (const Case& c : cases) {
    auto loaded = Parse("id: t\ntitle: T\n" + c.top + tail + Agreement("").substr(std::string("id: t\ntitle: T\n").size()));
    ASSERT_FALSE(loaded.ok()) << c.top;
    EXPECT_EQ(loaded.status().message(), c.message) << c.top;
  }
  // A NUL first (yaml-cpp would take the file for UTF-16/32) and a raw tab in a title.
  EXPECT_EQ(Parse(std::string("\0id: t\n", 7)).status().message(),
            "dir/t.yaml:1:1: NUL byte (0x00): the file must be UTF-8 text");
  auto tab = Parse(Agreement("entry_into_force: 2020-01-01T00:00Z\n"));
  ASSERT_TRUE(tab.ok()) << tab.status().ToString();
  EXPECT_EQ(Parse("id: t\ntitle: a\tb\n" + Agreement("entry_into_force: 2020-01-01T00:00Z\n").substr(15))
                .status()
                .message(),
            "dir/t.yaml:2:8: 'title' holds control character U+0009: ids, names and titles are one line of printable "
            "text");
  // A UTF-16 file is named as such.
  auto utf16 = Parse(std::string("\xFF\xFEi\0d\0", 6));
  EXPECT_EQ(utf16.status().message(), "dir/t.yaml:1:1: invalid UTF-8 (byte 0xFF); the file looks like UTF-16: save "
                                      "it as UTF-8");
  // Free text keeps its line breaks and tabs; valid UTF-8 of every length passes.
  auto ok = Parse(Agreement("entry_into_force: 2020-01-01T00:00Z\nnote: |\n  two\n  \tlines\n"
                            "source: \"Kafr Nabl \xE2\x80\x94 \xD8\xA5\xD8\xAF\xD9\x84\xD8\xA8 \xF0\x9F\x95\x8A\"\n"));
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->agreement.note, "two\n\tlines\n");
}

// Messages quote what the file says; an escape there must not reach the
// terminal as a control character.
TEST(Loader, MessagesEscapeControlCharacters) {
  auto loaded = Parse(Agreement("entry_into_force: 2020-01-01T00:00Z\n\"bad\\ekey\": 1\n"));
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find("unknown key 'bad\\x1bkey'"), std::string::npos)
      << loaded.status().message();
  EXPECT_EQ(loaded.status().message().find('\x1b'), std::string::npos);
}

// A database written before the checks may hold what they now refuse: the
// stored agreement is still read (invalid bytes as U+FFFD), with the content
// hash of the bytes as stored; adding the same files fails.
TEST(Loader, ReloadRepairsWhatAnOldDatabaseHolds) {
  const std::string yaml =
      "id: old\ntitle: Title \xFF\xFE with \x80 bytes\ntimezone: Asia/Damascus\nentry_into_force: 0001-01-01\n"
      "note: \"esc \\e\"\n"
      "actors: actors.yaml\n"
      "sides: {government: {actors: [army]}}\n"
      "zones:\n  road: {corridor: {line: [[35.8, 36.3], [35.82, 36.6]], half_width_km: 1.2e29}}\n"
      "provisions:\n  - {id: p1, prohibits: Battles, where: road}\n";
  const std::string actors = "actors:\n  army: {name: \"Army \xC3\", aliases: [\"Line\\nbreak\"]}\n";
  const std::vector<std::pair<std::string, std::string>> files = {{"dir/old.yaml", yaml}, {"actors.yaml", actors}};

  MemFileSystem fs;
  fs.Put("dir/actors.yaml", actors);
  EXPECT_EQ(ParseAgreement(yaml, "dir/old.yaml", fs).status().code(), StatusCode::kParseError);

  auto loaded = ReloadAgreement(files);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->agreement.title, "Title \xEF\xBF\xBD\xEF\xBF\xBD with \xEF\xBF\xBD bytes");
  ASSERT_EQ(loaded->actors.size(), 1u);
  EXPECT_EQ(loaded->actors[0].name, "Army \xEF\xBF\xBD");
  EXPECT_EQ(loaded->files, files);  // as stored
  const std::string digests = Sha256Hex(yaml) + "\n" + Sha256Hex(actors) + "\n";
  EXPECT_EQ(loaded->agreement.content_hash, Sha256Hex(digests));
}

TEST(Loader, ReplacesAProvisionOfTheAmendedAgreement) {
  auto loaded = Parse(Agreement("entry_into_force: 2020-01-01T00:00Z\namends: old\n",
                                "  - {id: p1, prohibits: Battles, where: area, replaces: old#art5}\n"));
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->agreement.amends, "old");
  EXPECT_EQ(loaded->agreement.provisions[0].replaces, "old#art5");
}

TEST(Internal, ClosestSuggestsTyposOnly) {
  using internal::Closest;
  const std::vector<std::string> keys = {"zones", "id", "title", "half_width_km", "provisions"};
  EXPECT_EQ(Closest("zonez", keys), "zones");
  EXPECT_EQ(Closest("ZONES", keys), "zones");
  EXPECT_EQ(Closest("tilte", keys), "title");  // a swap is one edit
  EXPECT_EQ(Closest("half_width", keys), "half_width_km");
  EXPECT_EQ(Closest("xy", keys), "");
  EXPECT_EQ(Closest("colour", keys), "");
  EXPECT_EQ(Closest("", keys), "");
}

TEST(Internal, SchemaChildren) {
  EXPECT_EQ(internal::ChildKeys("zones.<zone>.corridor"), (std::vector<std::string>{"line", "half_width_km"}));
  EXPECT_EQ(internal::ChildKeys("provisions[].evidence"), (std::vector<std::string>{"acts", "notes_contain"}));
  EXPECT_EQ(internal::ChildKeys("<actors-file>"), std::vector<std::string>{"actors"});
  const auto top = internal::ChildKeys("");
  EXPECT_EQ(top.size(), 20u);
  EXPECT_EQ(top.front(), "id");
  EXPECT_EQ(top.back(), "provisions");
}

}  // namespace
}  // namespace truce::agreement
