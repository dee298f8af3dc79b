// GDELT 2.0 event files: 61 tab-separated columns, no header, no quoting.
// CAMEO codes stay strings ("0192" keeps its zero); the root code becomes an
// ACLED-like event type; the FIPS 10-4 country code becomes ISO3.
#include "internal.h"
#include "fips.h"

namespace truce::ingest {

double GdeltGeoTypeRadiusM(int geo_type) {
  switch (geo_type) {
    case 1: return 250000;   // country: its centroid
    case 2: return 50000;    // US state: its centroid
    case 3: return 5000;     // US city or landmark
    case 4: return 5000;     // world city or landmark
    case 5: return 50000;    // world ADM1 (state, province): its centroid
    default: return 250000;  // unknown: as wide as a country
  }
}

namespace internal {
namespace {

enum Col {
  kGlobalEventId = 0,
  kSqlDate = 1,
  kActor1Code = 5,
  kActor1Name = 6,
  kActor2Code = 15,
  kActor2Name = 16,
  kEventCode = 26,
  kEventBaseCode = 27,
  kEventRootCode = 28,
  kQuadClass = 29,
  kGoldsteinScale = 30,
  kNumMentions = 31,
  kNumSources = 32,
  kNumArticles = 33,
  kAvgTone = 34,
  kActionGeoType = 51,
  kActionGeoFullName = 52,
  kActionGeoCountryCode = 53,
  kActionGeoAdm1Code = 54,
  kActionGeoLat = 56,
  kActionGeoLong = 57,
  kSourceUrl = 60,
  kColumnCount = 61,
};

// The CAMEO event code as an ACLED event type and sub-event type (docs: "GDELT").
void MapCameo(std::string_view code, model::Report* in) {
  auto is = [&](std::string_view prefix) { return code.substr(0, prefix.size()) == prefix; };
  const char* type = "Strategic developments";
  const char* sub = "";
  if (is("145")) {
    type = "Riots";
    sub = "Violent demonstration";
  } else if (is("14")) {
    type = "Protests";
    sub = "Peaceful protest";
  } else if (is("181")) {
    type = "Violence against civilians";
    sub = "Abduction/forced disappearance";
  } else if (is("1831")) {
    type = "Explosions/Remote violence";
    sub = "Suicide bomb";
  } else if (is("183")) {
    type = "Explosions/Remote violence";
    sub = "Remote explosive/landmine/IED";
  } else if (is("18")) {
    type = "Violence against civilians";
    sub = "Attack";
  } else if (is("191")) {
    type = "Strategic developments";  // blockade, restricting movement
  } else if (is("193")) {
    type = "Battles";
    sub = "Armed clash";
  } else if (is("194")) {
    type = "Explosions/Remote violence";
    sub = "Shelling/artillery/missile attack";
  } else if (is("195")) {
    type = "Explosions/Remote violence";
    sub = "Air/drone strike";
  } else if (is("19")) {
    type = "Battles";
  } else if (is("204")) {
    type = "Explosions/Remote violence";
    sub = "Chemical weapon";
  } else if (is("20")) {
    type = "Violence against civilians";  // mass expulsion, mass killing, ethnic cleansing
    sub = "Attack";
  }
  in->event_type.assign(type);
  in->sub_event_type.assign(sub);
}

// "Saraqib, Idlib, Syria" -> its parts.
std::vector<std::string_view> Parts(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    std::size_t comma = s.find(',', start);
    out.push_back(TrimView(s.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

class GdeltMapper final : public RowMapper {
 public:
  explicit GdeltMapper(std::string file) : file_(std::move(file)) {}

  Status Map(const CsvRecord& r, model::Report* in) const override {
    ResetIncident(in);
    const auto& f = r.fields;
    const auto& names = GdeltColumns();
    auto err = [&](int i, const std::string& what) { return FieldError(file_, r.line, names[i], what, f[i]); };

    std::string_view id = TrimView(f[kGlobalEventId]);
    if (id.empty() || !ParseCount(id) || id.find('.') != std::string_view::npos) {
      return err(kGlobalEventId, "not an event id (digits)");
    }
    in->source_id.assign(id);

    auto day = ParseYyyymmdd(f[kSqlDate]);
    if (!day) return err(kSqlDate, "not a date (YYYYMMDD)");
    in->time.first_day = in->time.last_day = *day;
    in->time.precision = time::TimePrecision::kDay;
    in->time_precision = 1;

    std::string_view code = TrimView(f[kEventCode]);
    if (code.empty()) return err(kEventCode, "empty");
    for (char c : code) {
      if (c < '0' || c > '9') return err(kEventCode, "not a CAMEO code (digits)");
    }
    in->native_code.assign(code);
    MapCameo(code, in);

    std::string_view lat_text = TrimView(f[kActionGeoLat]), lon_text = TrimView(f[kActionGeoLong]);
    if (lat_text.empty() || lon_text.empty()) {
      return Status::RowError(file_, r.line, names[lat_text.empty() ? kActionGeoLat : kActionGeoLong],
                              "no ActionGeo coordinates: the event cannot be placed");
    }
    auto lat = ParseNumber(lat_text);
    if (!lat) return err(kActionGeoLat, "not a number");
    if (*lat < -90 || *lat > 90) return err(kActionGeoLat, "out of range [-90, 90]");
    auto lon = ParseNumber(lon_text);
    if (!lon) return err(kActionGeoLong, "not a number");
    if (*lon < -180 || *lon > 180) return err(kActionGeoLong, "out of range [-180, 180]");
    in->point = geo::LatLon{*lat, *lon};

    int geo_type = 0;
    if (!TrimView(f[kActionGeoType]).empty()) {
      auto v = ParseCount(f[kActionGeoType]);
      if (!v || *v > 5) return err(kActionGeoType, "not a GDELT geographic type (1 to 5)");
      geo_type = static_cast<int>(*v);
    }
    in->geo_precision = geo_type;
    in->uncertainty_m = GdeltGeoTypeRadiusM(geo_type);

    std::string_view full = TrimView(f[kActionGeoFullName]);
    in->location.assign(full);
    std::string_view fips = TrimView(f[kActionGeoCountryCode]);
    const FipsCountry* country = FindFipsCountry(fips);
    std::vector<std::string_view> parts = Parts(full);
    if (country != nullptr) {
      in->iso3.assign(country->iso3);
      in->country.assign(country->name);
    } else if (geo_type != 2 && geo_type != 3 && !full.empty()) {
      in->country.assign(parts.back());
    }
    if ((geo_type == 3 || geo_type == 4) && parts.size() >= 3) {
      in->admin1.assign(parts[parts.size() - 2]);
    } else if ((geo_type == 2 || geo_type == 5) && parts.size() >= 2) {
      in->admin1.assign(parts.front());
    }

    AssignTrimmed(&in->actor1, f[kActor1Name]);
    AssignTrimmed(&in->actor2, f[kActor2Name]);
    AssignTrimmed(&in->source, f[kSourceUrl]);
    // The native fields that have no place of their own, as "Name=value; ...".
    for (int c : {kEventCode, kEventBaseCode, kEventRootCode, kQuadClass, kGoldsteinScale, kNumMentions, kNumSources,
                  kNumArticles, kAvgTone, kActor1Code, kActor2Code, kActionGeoCountryCode, kActionGeoAdm1Code}) {
      std::string_view v = TrimView(f[c]);
      if (v.empty()) continue;
      if (!in->notes.empty()) in->notes.append("; ");
      in->notes.append(names[c]);
      in->notes.push_back('=');
      in->notes.append(v);
    }
    return Status::Ok();
  }

 private:
  std::string file_;
};

}  // namespace

const std::vector<std::string>& GdeltColumns() {
  static const std::vector<std::string> kColumns = {
      "GLOBALEVENTID",        "SQLDATE",
      "MonthYear",            "Year",
      "FractionDate",         "Actor1Code",
      "Actor1Name",           "Actor1CountryCode",
      "Actor1KnownGroupCode", "Actor1EthnicCode",
      "Actor1Religion1Code",  "Actor1Religion2Code",
      "Actor1Type1Code",      "Actor1Type2Code",
      "Actor1Type3Code",      "Actor2Code",
      "Actor2Name",           "Actor2CountryCode",
      "Actor2KnownGroupCode", "Actor2EthnicCode",
      "Actor2Religion1Code",  "Actor2Religion2Code",
      "Actor2Type1Code",      "Actor2Type2Code",
      "Actor2Type3Code",      "IsRootEvent",
      "EventCode",            "EventBaseCode",
      "EventRootCode",        "QuadClass",
      "GoldsteinScale",       "NumMentions",
      "NumSources",           "NumArticles",
      "AvgTone",              "Actor1Geo_Type",
      "Actor1Geo_FullName",   "Actor1Geo_CountryCode",
      "Actor1Geo_ADM1Code",   "Actor1Geo_ADM2Code",
      "Actor1Geo_Lat",        "Actor1Geo_Long",
      "Actor1Geo_FeatureID",  "Actor2Geo_Type",
      "Actor2Geo_FullName",   "Actor2Geo_CountryCode",
      "Actor2Geo_ADM1Code",   "Actor2Geo_ADM2Code",
      "Actor2Geo_Lat",        "Actor2Geo_Long",
      "Actor2Geo_FeatureID",  "ActionGeo_Type",
      "ActionGeo_FullName",   "ActionGeo_CountryCode",
      "ActionGeo_ADM1Code",   "ActionGeo_ADM2Code",
      "ActionGeo_Lat",        "ActionGeo_Long",
      "ActionGeo_FeatureID",  "DATEADDED",
      "SOURCEURL",
  };
  static_assert(kColumnCount == 61);
  return kColumns;
}

std::unique_ptr<RowMapper> MakeGdeltMapper(const std::string& file) { return std::make_unique<GdeltMapper>(file); }

}  // namespace internal
}  // namespace truce::ingest
