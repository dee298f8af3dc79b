#include "bench_data.h"

#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/GeodesicLine.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <memory>

namespace truce::bench {
namespace {

using std::chrono::days;

// The region: Syria and its neighbours, roughly.
constexpr double kMinLat = 30, kMaxLat = 40, kMinLon = 30, kMaxLon = 45;
// Incident days 2018-01-01 .. 2022-12-31; validity ends may reach 2023-01-01.
constexpr int kDays = 1826;

const GeographicLib::Geodesic& Wgs84() { return GeographicLib::Geodesic::WGS84(); }

geo::LatLon Direct(geo::LatLon from, double azimuth_deg, double distance_m) {
  geo::LatLon out;
  Wgs84().Direct(from.lat_deg, from.lon_deg, azimuth_deg, distance_m, out.lat_deg, out.lon_deg);
  return out;
}

time::Days DayOf(int index) {
  return time::Days{std::chrono::sys_days{std::chrono::year{2018} / 1 / 1}} + days{index};
}

void AppendNumber(std::string* s, double v) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  s->append(buf, r.ptr);
}

void AppendCoords(std::string* s, const std::vector<geo::LatLon>& pts) {
  for (size_t i = 0; i < pts.size(); ++i) {
    if (i) s->push_back(',');
    AppendNumber(s, pts[i].lon_deg);
    s->push_back(' ');
    AppendNumber(s, pts[i].lat_deg);
  }
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

// Writes `text` to dir/name in one go.
Status WriteFile(const std::string& path, const std::string& text) {
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "wb"));
  if (!f) return Status::IoError(path + ": cannot open for writing");
  if (std::fwrite(text.data(), 1, text.size(), f.get()) != text.size()) return Status::IoError(path + ": short write");
  if (std::fflush(f.get()) != 0) return Status::IoError(path + ": write failed");
  return Status::Ok();
}

}  // namespace

double Rng::Normal() {
  double u1 = Uniform();
  while (u1 <= 0) u1 = Uniform();
  const double u2 = Uniform();
  return std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
}

const std::vector<std::string>& ProhibitedEventTypes() {
  static const std::vector<std::string> kTypes = {"Battles", "Explosions/Remote violence"};
  return kTypes;
}

Result<BenchData> Generate(const BenchOptions& options) {
  if (options.zones <= 0 || options.corridors < 0 || options.incidents < 0 || options.zones_per_agreement <= 0 ||
      !(options.near_share >= 0 && options.near_share <= 1)) {
    return Status::InvalidArgument("bench options: counts must be positive");
  }
  Rng rng(options.seed);
  BenchData data;

  // Local midnights of every day, the same way the ruler turns days into instants.
  std::vector<time::Instant> midnight(kDays + 1);
  for (int d = 0; d <= kDays; ++d) {
    time::IncidentTime t;
    t.first_day = t.last_day = DayOf(d);
    Result<time::Interval> iv = time::ToInterval(t, kBenchTimeZone);
    if (!iv.ok()) return iv.status();
    midnight[d] = iv->begin;
  }
  auto validity = [&](time::Instant* from, time::Instant* until) {
    const int first = rng.Int(0, kDays - 31);
    const int last = std::min(first + rng.Int(30, 900), kDays);
    *from = midnight[first];
    *until = midnight[last];
  };

  // Polygon zones: star polygons around a centre (simple by construction:
  // vertices at increasing angles), 5-40 km across.
  std::vector<geo::LatLon> centre(options.zones);
  std::vector<double> radius_m(options.zones);
  for (int z = 0; z < options.zones; ++z) {
    BenchZone zone;
    char id[16];
    std::snprintf(id, sizeof id, "z%04d", z + 1);
    zone.id = id;
    centre[z] = {rng.Uniform(kMinLat + 0.3, kMaxLat - 0.3), rng.Uniform(kMinLon + 0.3, kMaxLon - 0.3)};
    radius_m[z] = rng.Uniform(5'000, 40'000) / 2;
    const int n = rng.Int(6, 24);
    const double step = 360.0 / n;
    for (int k = 0; k < n; ++k) {
      const double azimuth = k * step + rng.Uniform(-0.4, 0.4) * step;
      const double r = radius_m[z] * rng.Uniform(0.55, 1.0);
      zone.polygon.outer.push_back(Direct(centre[z], azimuth, r));
    }
    zone.polygon.outer.push_back(zone.polygon.outer.front());
    validity(&zone.valid_from, &zone.valid_until);
    data.zones.push_back(std::move(zone));
  }

  // Corridors: wandering polylines, 20-200 km long.
  for (int c = 0; c < options.corridors; ++c) {
    BenchCorridor corridor;
    char id[16];
    std::snprintf(id, sizeof id, "c%04d", c + 1);
    corridor.id = id;
    const int n = rng.Int(3, 10);
    const double length_m = rng.Uniform(20'000, 200'000);
    const double heading = rng.Uniform(0, 360);
    geo::LatLon p{rng.Uniform(kMinLat + 1, kMaxLat - 1), rng.Uniform(kMinLon + 1, kMaxLon - 1)};
    corridor.line.push_back(p);
    for (int k = 1; k < n; ++k) {
      p = Direct(p, heading + rng.Uniform(-35, 35), length_m / (n - 1));
      corridor.line.push_back(p);
    }
    corridor.half_width_m = rng.Uniform(1'000, 10'000);
    validity(&corridor.valid_from, &corridor.valid_until);
    data.corridors.push_back(std::move(corridor));
  }

  // Incidents: by default 40 % anywhere in the region, 40 % around zones, 20 %
  // around corridors (conflict clusters), so that many lie inside and near edges.
  struct ActorName {
    const char* name;
    double share;
  };
  static const ActorName kActors[] = {
      {"Military Forces of Syria (2000-)", 0.35}, {"Military Forces of Russia (2000-)", 0.15},
      {"Hayat Tahrir al-Sham", 0.20},              {"National Liberation Front", 0.15},
      {"Military Forces of Turkey (2016-)", 0.05}, {"Unidentified Armed Group (Syria)", 0.10},
  };
  data.incidents.reserve(options.incidents);
  data.day_start.reserve(options.incidents);
  data.prohibited_act.reserve(options.incidents);
  for (int i = 0; i < options.incidents; ++i) {
    model::Report inc;
    inc.id = i + 1;
    inc.record_id = i + 1;
    inc.dataset = "acled";
    inc.source_id = "SYR" + std::to_string(i + 1);
    const double where = rng.Uniform();
    if (where >= options.near_share || options.corridors == 0) {
      inc.point = {rng.Uniform(kMinLat, kMaxLat), rng.Uniform(kMinLon, kMaxLon)};
    } else if (where < options.near_share * 2 / 3) {
      const int z = rng.Int(0, options.zones - 1);
      inc.point = Direct(centre[z], rng.Uniform(0, 360), std::fabs(rng.Normal()) * radius_m[z] * 0.9);
    } else {
      const BenchCorridor& c = data.corridors[rng.Int(0, options.corridors - 1)];
      const int k = rng.Int(0, static_cast<int>(c.line.size()) - 2);
      const GeographicLib::GeodesicLine line =
          Wgs84().InverseLine(c.line[k].lat_deg, c.line[k].lon_deg, c.line[k + 1].lat_deg, c.line[k + 1].lon_deg);
      geo::LatLon on;
      line.Position(rng.Uniform() * line.Distance(), on.lat_deg, on.lon_deg);
      inc.point = Direct(on, rng.Uniform(0, 360), std::fabs(rng.Normal()) * 1.5 * c.half_width_m);
    }
    const int day = rng.Int(0, kDays - 1);
    inc.time.first_day = inc.time.last_day = DayOf(day);
    inc.time.precision = time::TimePrecision::kDay;
    inc.time_precision = 1;
    inc.geo_precision = 1;
    const double act = rng.Uniform();
    if (act < 0.45) {
      inc.event_type = "Battles";
      inc.sub_event_type = "Armed clash";
    } else if (act < 0.85) {
      inc.event_type = "Explosions/Remote violence";
      inc.sub_event_type = rng.Uniform() < 0.5 ? "Shelling/artillery/missile attack" : "Air/drone strike";
    } else if (act < 0.95) {
      inc.event_type = "Violence against civilians";
      inc.sub_event_type = "Attack";
    } else {
      inc.event_type = "Protests";
      inc.sub_event_type = "Peaceful protest";
    }
    double pick = rng.Uniform();
    for (const ActorName& a : kActors) {
      inc.actor1 = a.name;
      if ((pick -= a.share) < 0) break;
    }
    inc.actor2 = inc.event_type == "Violence against civilians" ? "Civilians (Syria)" : "";
    inc.country = "Syria";
    inc.iso3 = "SYR";
    inc.location = "Site " + std::to_string(i % 5000);
    inc.fatalities = rng.Int(0, 5);
    inc.source = "Bench";
    data.day_start.push_back(midnight[day]);
    data.prohibited_act.push_back(std::find(ProhibitedEventTypes().begin(), ProhibitedEventTypes().end(),
                                            inc.event_type) != ProhibitedEventTypes().end());
    data.incidents.push_back(std::move(inc));
  }
  return data;
}

Result<std::vector<agreement::LoadedAgreement>> MakeAgreements(const BenchData& data, const BenchOptions& options,
                                                               ZoneKinds kinds) {
  const int n_zones = static_cast<int>(data.zones.size());
  const int n_corridors = static_cast<int>(data.corridors.size());
  const int n_agreements = (n_zones + options.zones_per_agreement - 1) / options.zones_per_agreement;

  std::vector<model::Actor> actors;
  auto actor = [&](const char* id, const char* name, const char* alias, model::ActorKind kind) {
    model::Actor a;
    a.id = id;
    a.name = name;
    a.aliases = {alias};
    a.country = "SYR";
    a.kind = kind;
    actors.push_back(a);
  };
  actor("syrian-army", "Syrian Arab Army", "Military Forces of Syria (2000-)", model::ActorKind::kArmedForces);
  actor("russian-forces", "Russian Armed Forces", "Military Forces of Russia (2000-)", model::ActorKind::kArmedForces);
  actor("hts", "Hay'at Tahrir al-Sham", "Hayat Tahrir al-Sham", model::ActorKind::kArmedGroup);
  actor("nlf", "National Liberation Front", "NLF", model::ActorKind::kArmedGroup);
  actor("turkish-forces", "Turkish Armed Forces", "Military Forces of Turkey (2016-)", model::ActorKind::kArmedForces);
  actor("civilians", "Civilians", "Civilians (Syria)", model::ActorKind::kCivilians);

  // In force from the earliest validity start; each provision has its own window.
  time::Instant start = time::Instant::max();
  for (const BenchZone& z : data.zones) start = std::min(start, z.valid_from);
  for (const BenchCorridor& c : data.corridors) start = std::min(start, c.valid_from);

  std::vector<agreement::LoadedAgreement> out;
  for (int k = 0; k < n_agreements; ++k) {
    agreement::LoadedAgreement la;
    model::Agreement& a = la.agreement;
    char id[32];
    std::snprintf(id, sizeof id, "bench-%03d", k + 1);
    a.id = id;
    a.title = std::string("Benchmark ceasefire ") + id;
    a.parties = {"RUS", "TUR"};
    a.entry_into_force = start;
    a.entry_into_force_text = time::FormatInstantUtc(a.entry_into_force);
    a.timezone = kBenchTimeZone;
    a.source_file = "bench/rule (generated)";
    a.sides["government"] = model::Side{"government", "RUS", {"syrian-army", "russian-forces"}};
    a.sides["opposition"] = model::Side{"opposition", "TUR", {"hts", "nlf", "turkish-forces"}};

    auto add_provision = [&](const std::string& zone_id, time::Instant from, time::Instant until) {
      model::Provision p;
      p.id = "p-" + zone_id;
      p.article = "Art. " + std::to_string(a.provisions.size() + 1);
      p.kind = model::ProvisionKind::kProhibition;
      p.from = from;
      p.until = until;
      p.from_text = time::FormatInstantUtc(from);
      for (const std::string& t : ProhibitedEventTypes()) p.prohibits.push_back(model::ActPattern{t, ""});
      p.by_sides = {"government", "opposition"};
      p.where = {zone_id};
      a.provisions.push_back(std::move(p));
    };
    const int z_end = std::min(n_zones, (k + 1) * options.zones_per_agreement);
    for (int z = k * options.zones_per_agreement; z < z_end && kinds != ZoneKinds::kCorridors; ++z) {
      const BenchZone& bz = data.zones[z];
      model::ZoneDef def;
      def.id = bz.id;
      def.name = "zone " + bz.id;
      def.zone = geo::Zone::MakePolygons({bz.polygon});
      a.zones.push_back(std::move(def));
      add_provision(bz.id, bz.valid_from, bz.valid_until);
    }
    const int c_begin = static_cast<int>(static_cast<long long>(n_corridors) * k / n_agreements);
    const int c_end = static_cast<int>(static_cast<long long>(n_corridors) * (k + 1) / n_agreements);
    for (int c = c_begin; c < c_end && kinds != ZoneKinds::kPolygons; ++c) {
      const BenchCorridor& bc = data.corridors[c];
      model::ZoneDef def;
      def.id = bc.id;
      def.name = "corridor " + bc.id;
      def.zone = geo::Zone::MakeCorridor(bc.line, bc.half_width_m);
      a.zones.push_back(std::move(def));
      add_provision(bc.id, bc.valid_from, bc.valid_until);
    }
    if (a.provisions.empty()) continue;
    la.actors = actors;
    out.push_back(std::move(la));
  }
  return out;
}

Status WritePostgisFiles(const BenchData& data, const std::string& dir) {
  std::string s;
  for (const BenchZone& z : data.zones) {
    s += z.id + ",\"SRID=4326;POLYGON((";
    AppendCoords(&s, z.polygon.outer);
    s += "))\"," + time::FormatInstantUtc(z.valid_from) + "," + time::FormatInstantUtc(z.valid_until) + "\n";
  }
  TRUCE_RETURN_IF_ERROR(WriteFile(dir + "/zones.csv", s));

  s.clear();
  for (const BenchCorridor& c : data.corridors) {
    s += c.id + ",\"SRID=4326;LINESTRING(";
    AppendCoords(&s, c.line);
    s += ")\",";
    AppendNumber(&s, c.half_width_m);
    s += "," + time::FormatInstantUtc(c.valid_from) + "," + time::FormatInstantUtc(c.valid_until) + "\n";
  }
  TRUCE_RETURN_IF_ERROR(WriteFile(dir + "/corridors.csv", s));

  s.clear();
  s.reserve(data.incidents.size() * 96);
  for (size_t i = 0; i < data.incidents.size(); ++i) {
    const model::Report& inc = data.incidents[i];
    s += std::to_string(inc.id);
    s += ",SRID=4326;POINT(";
    AppendCoords(&s, {inc.point});
    s += "),";
    s += time::FormatInstantUtc(data.day_start[i]);
    s += ",";
    s += inc.event_type;
    s += "\n";
  }
  return WriteFile(dir + "/incidents.csv", s);
}

}  // namespace truce::bench
