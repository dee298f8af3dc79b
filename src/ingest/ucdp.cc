// UCDP Georeferenced Event Dataset (GED) CSV, every release, by column names
// (never positions, case aside), one event per row:
//   ucdp-ged    20.1 and later: 49 columns, relid, best/high/low, geom_wkt,
//               gwnoa/gwnob last.
//   ucdp-ged-5  the GED 5.0 era: no relid, gwnoa/gwnob early, best/low/high
//               last.
//   ucdp-ged-2  the GED 1.x/2.x era: relid, best_est/high_est/low_est, a WKB
//               geom, date_start/date_end/type_of_violence near the end.
// The dataset's own id is `id` in every release (relid stays in the raw
// record). type_of_violence becomes an ACLED event type and native_code
// "ucdp:N", date_prec a time precision over [date_start, date_end],
// where_prec an uncertainty radius; low and high are unknown when absent.
#include <algorithm>

#include "internal.h"
#include "truce/core/strings.h"

namespace truce::ingest {

double UcdpWherePrecRadiusM(int where_prec) {
  switch (where_prec) {
    case 1: return 2000;     // the exact location
    case 2: return 25000;    // within ~25 km of a known point
    case 3: return 50000;    // second-order administrative division
    case 4: return 100000;   // first-order administrative division
    case 5: return 100000;   // a linear feature or larger area inside the country
    case 6: return 250000;   // the country only
    case 7: return 100000;   // international waters or airspace
    default: return 250000;  // unknown: as wide as the country code
  }
}

namespace internal {
namespace {

constexpr const char* kNotADate =
    "not a date (expected e.g. '2020-03-05' or '2020-03-05 00:00:00.000', a time of day 00:00 to 23:59)";

class UcdpMapper final : public RowMapper {
 public:
  struct Columns {
    int id = -1, type = -1, side_a = -1, side_b = -1, source_article = -1, source_headline = -1, where_prec = -1;
    int where_coordinates = -1, adm_1 = -1, adm_2 = -1, latitude = -1, longitude = -1, country = -1;
    int date_prec = -1, date_start = -1, date_end = -1, best = -1, high = -1, low = -1;
  };

  UcdpMapper(Columns c, std::vector<std::string> names, std::string file)
      : c_(c), names_(std::move(names)), file_(std::move(file)) {}

  Status Map(const CsvRecord& r, model::Report* in) const override {
    ResetIncident(in);
    const auto& f = r.fields;
    auto get = [&](int i) -> std::string_view { return i < 0 ? std::string_view() : f[static_cast<std::size_t>(i)]; };
    auto err = [&](int i, const std::string& what) { return FieldError(file_, r.line, names_[i], what, get(i)); };

    std::string_view id = TrimView(get(c_.id));
    if (id.empty()) return Status::RowError(file_, r.line, names_[c_.id], "empty (every UCDP event has an id)");
    in->source_id.assign(id);

    auto start = ParseIsoDatePrefix(get(c_.date_start));
    if (!start) return err(c_.date_start, kNotADate);
    auto end = ParseIsoDatePrefix(get(c_.date_end));
    if (!end) return err(c_.date_end, kNotADate);
    if (*end < *start) return err(c_.date_end, "before date_start");
    auto prec = ParseCount(get(c_.date_prec));
    if (!prec || *prec < 1 || *prec > 5) return err(c_.date_prec, "not a UCDP date precision (1 to 5)");
    in->time.first_day = *start;
    in->time.last_day = *end;
    switch (*prec) {
      case 1: in->time.precision = *start == *end ? time::TimePrecision::kDay : time::TimePrecision::kRange; break;
      case 2: in->time.precision = time::TimePrecision::kRange; break;
      case 3: in->time.precision = time::TimePrecision::kWeek; break;
      case 4: in->time.precision = time::TimePrecision::kMonth; break;
      default: in->time.precision = time::TimePrecision::kYear; break;
    }
    in->time_precision = static_cast<int>(*prec);

    auto type = ParseCount(get(c_.type));
    if (!type || *type < 1 || *type > 3) {
      return err(c_.type, "not a UCDP type of violence (1 state-based, 2 non-state, 3 one-sided)");
    }
    in->event_type.assign(*type == 3 ? "Violence against civilians" : "Battles");
    in->native_code.assign("ucdp:");
    in->native_code.push_back(static_cast<char>('0' + *type));

    auto lat = ParseNumber(get(c_.latitude));
    if (!lat) return err(c_.latitude, "not a number");
    if (*lat < -90 || *lat > 90) return err(c_.latitude, "out of range [-90, 90]");
    auto lon = ParseNumber(get(c_.longitude));
    if (!lon) return err(c_.longitude, "not a number");
    if (*lon < -180 || *lon > 180) return err(c_.longitude, "out of range [-180, 180]");
    in->point = geo::LatLon{*lat, *lon};

    int wp = 0;
    if (c_.where_prec >= 0) {
      auto v = ParseCount(get(c_.where_prec));
      if (!v || *v < 1 || *v > 7) return err(c_.where_prec, "not a UCDP where precision (1 to 7)");
      wp = static_cast<int>(*v);
    }
    in->geo_precision = wp;
    in->uncertainty_m = UcdpWherePrecRadiusM(wp);

    auto best = ParseCount(get(c_.best));  // best or best_est
    if (!best) return err(c_.best, "not a whole number of deaths");
    in->fatalities = static_cast<int>(std::min<long long>(*best, 100000000));
    for (auto [index, out] : {std::pair{c_.low, &in->fatalities_low}, {c_.high, &in->fatalities_high}}) {
      if (index < 0 || TrimView(get(index)).empty()) continue;
      auto v = ParseCount(get(index));
      if (!v) return err(index, "not a whole number of deaths");
      *out = static_cast<int>(std::min<long long>(*v, 100000000));
    }

    AssignTrimmed(&in->actor1, get(c_.side_a));
    AssignTrimmed(&in->actor2, get(c_.side_b));
    AssignTrimmed(&in->country, get(c_.country));
    AssignTrimmed(&in->admin1, get(c_.adm_1));
    AssignTrimmed(&in->admin2, get(c_.adm_2));
    AssignTrimmed(&in->location, get(c_.where_coordinates));
    AssignTrimmed(&in->source, get(c_.source_article));
    AssignTrimmed(&in->notes, get(c_.source_headline));
    return Status::Ok();
  }

 private:
  Columns c_;
  std::vector<std::string> names_;
  std::string file_;
};

// Columns that no other dataset read here names: two of them, or
// type_of_violence alone, make a header UCDP's, so that a UCDP file short of
// a column the reader needs is told which one instead of "unknown format".
constexpr std::string_view kUcdpOnly[] = {"relid",           "where_prec",    "date_prec",         "best_est",
                                          "conflict_new_id", "dyad_new_id",   "side_a_new_id",     "side_b_new_id",
                                          "priogrid_gid",    "event_clarity", "where_coordinates", "deaths_civilians"};

// The index of the one column named `current` or `older` (a name of older
// releases); -1 when neither. Both named is an error: which holds the data
// would be left to chance.
Result<int> FindEither(const std::vector<std::string>& lower, const std::vector<std::string>& names,
                       std::string_view current, std::string_view older, const std::string& file,
                       std::int64_t header_line) {
  int a = Find(lower, current), b = Find(lower, older);
  if (a >= 0 && b >= 0) {
    return Status::RowError(file, header_line, names[static_cast<std::size_t>(b)],
                            "the header names both " + std::string(current) + " (column " + std::to_string(a + 1) +
                                ") and " + std::string(older) + " (column " + std::to_string(b + 1) +
                                ", its older name); remove one");
  }
  return a >= 0 ? a : b;
}

}  // namespace

bool LooksLikeUcdp(const std::vector<std::string>& lower) {
  if (Find(lower, "type_of_violence") >= 0) return true;
  int seen = 0;
  for (std::string_view name : kUcdpOnly) seen += Find(lower, name) >= 0 ? 1 : 0;
  return seen >= 2;
}

Result<std::unique_ptr<RowMapper>> MakeUcdpMapper(const std::vector<std::string>& columns, const std::string& file,
                                                  std::int64_t header_line, std::string* variant) {
  std::vector<std::string> lower;
  for (const auto& c : columns) lower.push_back(ToLowerAscii(Trim(c)));
  UcdpMapper::Columns c;
  c.id = Find(lower, "id");
  c.type = Find(lower, "type_of_violence");
  c.side_a = Find(lower, "side_a");
  c.side_b = Find(lower, "side_b");
  c.source_article = Find(lower, "source_article");
  c.source_headline = Find(lower, "source_headline");
  c.where_prec = Find(lower, "where_prec");
  c.where_coordinates = Find(lower, "where_coordinates");
  c.adm_1 = Find(lower, "adm_1");
  c.adm_2 = Find(lower, "adm_2");
  c.latitude = Find(lower, "latitude");
  c.longitude = Find(lower, "longitude");
  c.country = Find(lower, "country");
  c.date_prec = Find(lower, "date_prec");
  c.date_start = Find(lower, "date_start");
  c.date_end = Find(lower, "date_end");
  TRUCE_ASSIGN_OR_RETURN(c.best, FindEither(lower, columns, "best", "best_est", file, header_line));
  TRUCE_ASSIGN_OR_RETURN(c.high, FindEither(lower, columns, "high", "high_est", file, header_line));
  TRUCE_ASSIGN_OR_RETURN(c.low, FindEither(lower, columns, "low", "low_est", file, header_line));
  if (Find(lower, "best_est") >= 0) {
    *variant = "ucdp-ged-2";
  } else if (Find(lower, "relid") < 0) {
    *variant = "ucdp-ged-5";
  } else {
    *variant = "ucdp-ged";
  }
  std::vector<std::string> missing;
  for (auto [index, name] : {std::pair{c.id, "id"}, {c.type, "type_of_violence"}, {c.date_prec, "date_prec"},
                             {c.date_start, "date_start"}, {c.date_end, "date_end"}, {c.latitude, "latitude"},
                             {c.longitude, "longitude"}, {c.best, "best (or best_est)"}}) {
    if (index < 0) missing.emplace_back(name);
  }
  if (!missing.empty()) {
    return Status::RowError(file, header_line, "", "the UCDP GED header lacks the column(s) " + Join(missing, ", "));
  }
  return std::unique_ptr<RowMapper>(std::make_unique<UcdpMapper>(c, columns, file));
}

}  // namespace internal
}  // namespace truce::ingest
