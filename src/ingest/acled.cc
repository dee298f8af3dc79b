// ACLED CSV, every vintage, by column names (never positions):
//   acled-2023     31 columns (2023-): disorder_type, civilian_targeting, tags,
//                  text inter1; dates "01 November 2024". A spreadsheet
//                  re-save drops columns (28) and writes "5-Aug-24".
//   acled-pre2023  data_id, event_id_no_cnty, iso3; dates "31-12-19" or "2019-12-31".
//   acled-2016     a leading unnamed pandas index, ally_actor_1/2, gwno, old
//                  event types ("Riots/Protests", "Battle-No change of territory").
#include <algorithm>

#include "internal.h"
#include "truce/core/strings.h"

namespace truce::ingest {

double AcledGeoPrecisionRadiusM(int geo_precision) {
  switch (geo_precision) {
    case 1: return 2000;    // the named town
    case 2: return 10000;   // near a town / part of a region: a representative town
    case 3: return 50000;   // a larger region: its capital or a natural location
    default: return 50000;  // unknown: the widest ACLED code
  }
}

namespace internal {
namespace {

struct LegacyType {
  std::string_view old_type, event_type, sub_event_type;
};

// ACLED's pre-2019 event types and the current type each became.
constexpr LegacyType kLegacyTypes[] = {
    {"Riots/Protests", "Protests", ""},
    {"Remote violence", "Explosions/Remote violence", ""},
    {"Battle-No change of territory", "Battles", "Armed clash"},
    {"Battle-Government regains territory", "Battles", "Government regains territory"},
    {"Battle-Non-state actor overtakes territory", "Battles", "Non-state actor overtakes territory"},
    {"Violence against civilians", "Violence against civilians", ""},
    {"Strategic development", "Strategic developments", ""},
    {"Non-violent transfer of territory", "Strategic developments", "Non-violent transfer of territory"},
    {"Headquarters or base established", "Strategic developments", "Headquarters or base established"},
};

bool IsLegacyType(std::string_view t) {
  if (StartsWith(t, "Battle-")) return true;
  for (const LegacyType& l : kLegacyTypes) {
    if (l.old_type == t && l.old_type != l.event_type) return true;
  }
  return false;
}

// Maps an old event type; returns false when `t` is not one.
bool MapLegacyType(std::string_view t, model::Report* in) {
  for (const LegacyType& l : kLegacyTypes) {
    if (l.old_type == t) {
      in->event_type.assign(l.event_type);
      in->sub_event_type.assign(l.sub_event_type);
      return true;
    }
  }
  if (StartsWith(t, "Battle-")) {  // an unlisted "Battle-<outcome>"
    in->event_type.assign("Battles");
    in->sub_event_type.assign(TrimView(t.substr(7)));
    return true;
  }
  return false;
}

class AcledMapper final : public RowMapper {
 public:
  struct Columns {
    int id = -1, date = -1, time_precision = -1, event_type = -1, sub_event_type = -1;
    int actor1 = -1, assoc1 = -1, actor2 = -1, assoc2 = -1;
    int country = -1, iso3 = -1, admin1 = -1, admin2 = -1, admin3 = -1, location = -1;
    int latitude = -1, longitude = -1, geo_precision = -1, source = -1, notes = -1, fatalities = -1;
  };

  AcledMapper(Columns c, std::vector<std::string> names, std::string file, bool legacy)
      : c_(c), names_(std::move(names)), file_(std::move(file)), legacy_(legacy) {}

  Status Map(const CsvRecord& r, model::Report* in) const override {
    ResetIncident(in);
    const auto& f = r.fields;
    auto get = [&](int i) -> std::string_view { return i < 0 ? std::string_view() : f[static_cast<std::size_t>(i)]; };
    auto err = [&](int i, const std::string& what) { return FieldError(file_, r.line, names_[i], what, get(i)); };

    std::string_view id = TrimView(get(c_.id));
    if (id.empty()) return Status::RowError(file_, r.line, names_[c_.id], "empty (every ACLED event has an id)");
    in->source_id.assign(id);

    auto day = ParseAcledDate(get(c_.date));
    if (!day) {
      return err(c_.date, "not a date (expected e.g. '01 November 2024', '2019-12-31', '31-12-19' or '5-Aug-24')");
    }
    int tp = 1;  // a missing time_precision means the day
    if (c_.time_precision >= 0 && !TrimView(get(c_.time_precision)).empty()) {
      auto v = ParseCount(get(c_.time_precision));
      if (!v || *v < 1 || *v > 3) return err(c_.time_precision, "not an ACLED time precision (1, 2 or 3)");
      tp = static_cast<int>(*v);
    }
    in->time = time::FromAcledPrecision(*day, tp);
    in->time_precision = tp;

    std::string_view type = TrimView(get(c_.event_type));
    if (type.empty()) return err(c_.event_type, "empty");
    if (legacy_) in->native_code.assign(type);
    if (!MapLegacyType(type, in)) {
      in->event_type.assign(type);
    } else if (!legacy_ && IsLegacyType(type)) {
      in->native_code.assign(type);
    }
    if (c_.sub_event_type >= 0) {
      std::string_view sub = TrimView(get(c_.sub_event_type));
      if (!sub.empty()) in->sub_event_type.assign(sub);
    }

    auto lat = ParseNumber(get(c_.latitude));
    if (!lat) return err(c_.latitude, "not a number");
    if (*lat < -90 || *lat > 90) return err(c_.latitude, "out of range [-90, 90]");
    auto lon = ParseNumber(get(c_.longitude));
    if (!lon) return err(c_.longitude, "not a number");
    if (*lon < -180 || *lon > 180) return err(c_.longitude, "out of range [-180, 180]");
    in->point = geo::LatLon{*lat, *lon};

    int gp = 0;
    if (c_.geo_precision >= 0 && !TrimView(get(c_.geo_precision)).empty()) {
      auto v = ParseCount(get(c_.geo_precision));
      if (!v || *v < 1 || *v > 3) return err(c_.geo_precision, "not an ACLED geo precision (1, 2 or 3)");
      gp = static_cast<int>(*v);
    }
    in->geo_precision = gp;
    in->uncertainty_m = AcledGeoPrecisionRadiusM(gp);

    if (c_.fatalities >= 0) {
      std::string_view fat = TrimView(get(c_.fatalities));
      if (fat.empty()) {
        // pandas writes a missing count as an empty cell; ACLED's own exports never do.
        if (!legacy_) return err(c_.fatalities, "empty (ACLED exports always give a number)");
      } else {
        auto v = ParseCount(fat);
        if (!v) return err(c_.fatalities, "not a whole number of deaths");
        if (*v > 1000000) return err(c_.fatalities, "implausibly large");
        in->fatalities = static_cast<int>(*v);
      }
    }

    AssignTrimmed(&in->actor1, get(c_.actor1));
    AssignTrimmed(&in->assoc_actor1, get(c_.assoc1));
    AssignTrimmed(&in->actor2, get(c_.actor2));
    AssignTrimmed(&in->assoc_actor2, get(c_.assoc2));
    AssignTrimmed(&in->country, get(c_.country));
    AssignTrimmed(&in->iso3, get(c_.iso3));
    AssignTrimmed(&in->admin1, get(c_.admin1));
    AssignTrimmed(&in->admin2, get(c_.admin2));
    AssignTrimmed(&in->admin3, get(c_.admin3));
    AssignTrimmed(&in->location, get(c_.location));
    AssignTrimmed(&in->source, get(c_.source));
    AssignTrimmed(&in->notes, get(c_.notes));
    return Status::Ok();
  }

 private:
  Columns c_;
  std::vector<std::string> names_;
  std::string file_;
  bool legacy_;
};


bool Has(const std::vector<std::string>& lower, std::string_view name) { return Find(lower, name) >= 0; }

std::vector<std::string> Lower(const std::vector<std::string>& columns) {
  std::vector<std::string> out;
  out.reserve(columns.size());
  for (const auto& c : columns) out.push_back(ToLowerAscii(Trim(c)));
  return out;
}

}  // namespace

bool LooksLikeAcled(const std::vector<std::string>& lower) {
  return Has(lower, "event_id_cnty") && Has(lower, "event_type");
}

Result<std::unique_ptr<RowMapper>> MakeAcledMapper(const std::vector<std::string>& columns, const std::string& file,
                                                   std::string* variant) {
  std::vector<std::string> lower = Lower(columns);
  bool legacy = Has(lower, "ally_actor_1") || Has(lower, "gwno");
  if (legacy) {
    *variant = "acled-2016";
  } else if (Has(lower, "data_id") || Has(lower, "event_id_no_cnty") || Has(lower, "iso3")) {
    *variant = "acled-pre2023";
  } else {
    *variant = "acled-2023";
  }
  AcledMapper::Columns c;
  c.id = Find(lower, "event_id_cnty");
  c.date = Find(lower, "event_date");
  c.time_precision = Find(lower, "time_precision");
  c.event_type = Find(lower, "event_type");
  c.sub_event_type = Find(lower, "sub_event_type");
  c.actor1 = Find(lower, "actor1");
  c.actor2 = Find(lower, "actor2");
  c.assoc1 = Find(lower, legacy ? "ally_actor_1" : "assoc_actor_1");
  c.assoc2 = Find(lower, legacy ? "ally_actor_2" : "assoc_actor_2");
  c.country = Find(lower, "country");
  c.iso3 = Find(lower, "iso3");
  c.admin1 = Find(lower, "admin1");
  c.admin2 = Find(lower, "admin2");
  c.admin3 = Find(lower, "admin3");
  c.location = Find(lower, "location");
  c.latitude = Find(lower, "latitude");
  c.longitude = Find(lower, "longitude");
  c.geo_precision = Find(lower, "geo_precision");
  c.source = Find(lower, "source");
  c.notes = Find(lower, "notes");
  c.fatalities = Find(lower, "fatalities");
  std::vector<std::string> missing;
  for (auto [index, name] : {std::pair{c.id, "event_id_cnty"}, {c.date, "event_date"}, {c.event_type, "event_type"},
                             {c.latitude, "latitude"}, {c.longitude, "longitude"}}) {
    if (index < 0) missing.emplace_back(name);
  }
  if (!missing.empty()) {
    return Status::ParseError(file + ": ACLED header lacks the column(s) " + Join(missing, ", "));
  }
  return std::unique_ptr<RowMapper>(std::make_unique<AcledMapper>(c, columns, file, legacy));
}

}  // namespace internal
}  // namespace truce::ingest
