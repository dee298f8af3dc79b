// Places and zones: GeoJSON files or inline [lat, lon] lists, validated.
#include <algorithm>
#include <cstdio>

#include "internal.h"
#include "truce/core/strings.h"

namespace truce::agreement::internal {
namespace {

constexpr double kMetersPerKm = 1000.0;

const char* GeometryTypeName(geo::Geometry::Type t) {
  switch (t) {
    case geo::Geometry::Type::kPoint: return "Point";
    case geo::Geometry::Type::kLineString: return "LineString";
    case geo::Geometry::Type::kPolygon: return "Polygon";
    case geo::Geometry::Type::kMultiPolygon: return "MultiPolygon";
    case geo::Geometry::Type::kMultiLineString: return "MultiLineString";
  }
  return "geometry";
}

std::optional<std::vector<geo::GeoFeature>> ReadGeoJsonFile(Ctx& ctx, const Val& path_val,
                                                           const std::string& zone_id) {
  auto text = ReadReferencedFile(ctx, path_val);
  if (!text) return std::nullopt;
  // Messages name the file where it can be opened, not as the YAML wrote it.
  const std::string path = ResolveRelative(ctx.state().yaml_file, std::string(Trim(path_val.node.Scalar())));
  if (!ctx.state().stored) {
    if (auto fault = FindTextFault(*text)) {
      ctx.Error(path_val.pos, "zone '" + zone_id + "': " + path + ":" + std::to_string(fault->pos.line) + ":" +
                                  std::to_string(fault->pos.column) + ": " + fault->message);
      return std::nullopt;
    }
  }
  Result<std::vector<geo::GeoFeature>> features = geo::ParseGeoJson(*text, path);
  if (!features.ok()) {
    ctx.Error(path_val.pos, "zone '" + zone_id + "': " + features.status().message());
    return std::nullopt;
  }
  return std::move(features).value();
}

// Inline points: [[lat, lon], ...].
std::optional<std::vector<geo::LatLon>> ReadInlinePoints(Ctx& ctx, const Val& val) {
  auto items = ReadList(ctx, val, /*allow_scalar=*/false);
  if (!items) return std::nullopt;
  std::vector<geo::LatLon> out;
  for (const Val& item : *items) {
    auto p = ReadLatLon(ctx, item);
    if (!p) return std::nullopt;
    out.push_back(*p);
  }
  return out;
}

// `where: {PROPERTY: [value, ...]}`: which features of a boundary file a zone takes.
struct FeatureFilter {
  std::string property;
  Pos property_pos;
  std::vector<StrItem> values;
};

std::optional<FeatureFilter> ReadFeatureFilter(Ctx& ctx, const Val& val, const std::string& zone_id) {
  if (!val.node.IsMap() || val.node.size() != 1) {
    ctx.Error(val.pos, "zone '" + zone_id + "': 'where' must be a map of one feature property to the values it selects "
                       "({ADM1_EN: [Hilmand, Kandahar]}), not " +
                           (val.node.IsMap() ? std::to_string(val.node.size()) + " properties" : KindName(val.node)));
    return std::nullopt;
  }
  const auto it = val.node.begin();
  const YAML::Node key = it->first;
  const YAML::Node values = it->second;
  FeatureFilter filter;
  filter.property_pos = PosOf(key, val.pos);
  if (!key.IsScalar() || Trim(key.Scalar()).empty()) {
    ctx.Error(filter.property_pos, "zone '" + zone_id + "': 'where' must name a feature property, not " + KindName(key));
    return std::nullopt;
  }
  filter.property = std::string(Trim(key.Scalar()));
  auto items = ReadStringList(ctx, Val{values, PosOf(values, filter.property_pos), "'" + filter.property + "'"});
  if (!items) return std::nullopt;
  if (items->empty()) {
    ctx.Error(PosOf(values, filter.property_pos),
              "zone '" + zone_id + "': 'where' lists no values of '" + filter.property + "'");
    return std::nullopt;
  }
  filter.values = std::move(*items);
  return filter;
}

// Up to three values closest to `word` (likely typos or other spellings), as
// " (closest: 'a', 'b')", or "".
std::string ClosestValues(const std::string& word, std::vector<std::string> candidates) {
  std::vector<std::string> near;
  while (near.size() < 3) {
    const std::string c = Closest(word, candidates);
    if (c.empty()) break;
    near.push_back("'" + c + "'");
    std::erase(candidates, c);
  }
  return near.empty() ? "" : " (closest: " + Join(near, ", ") + ")";
}

// The features `filter` selects, in file order: for each value, the features
// whose property equals it exactly, else ignoring case. Errors at the YAML
// value that selects nothing.
std::optional<std::vector<const geo::GeoFeature*>> SelectFeatures(Ctx& ctx,
                                                                 const std::vector<geo::GeoFeature>& features,
                                                                 const FeatureFilter& filter,
                                                                 const std::string& zone_id, const std::string& file) {
  std::vector<std::string> names;      // every property name in the file
  std::vector<std::string> values;     // the distinct values of filter.property
  std::vector<std::optional<std::string>> value_of(features.size());
  for (size_t i = 0; i < features.size(); ++i) {
    for (auto& [name, text] : geo::ScalarProperties(features[i])) {
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
      if (name != filter.property) continue;
      if (std::find(values.begin(), values.end(), text) == values.end()) values.push_back(text);
      value_of[i] = std::move(text);
    }
  }
  const std::string prefix = "zone '" + zone_id + "': no feature of '" + file + "' has ";
  if (values.empty()) {
    ctx.Error(filter.property_pos,
              prefix + "a property '" + filter.property + "'" + DidYouMean(filter.property, names));
    return std::nullopt;
  }
  std::vector<bool> chosen(features.size(), false);
  bool ok = true;
  for (const StrItem& want : filter.values) {
    bool found = false;
    for (size_t i = 0; i < features.size(); ++i) {
      if (value_of[i] && *value_of[i] == want.text) chosen[i] = found = true;
    }
    if (!found) {
      const std::string lower = ToLowerAscii(want.text);
      for (size_t i = 0; i < features.size(); ++i) {
        if (value_of[i] && ToLowerAscii(*value_of[i]) == lower) chosen[i] = found = true;
      }
    }
    if (!found) {
      ctx.Error(want.pos, prefix + filter.property + " '" + want.text + "'" + ClosestValues(want.text, values));
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  std::vector<const geo::GeoFeature*> out;
  for (size_t i = 0; i < features.size(); ++i) {
    if (chosen[i]) out.push_back(&features[i]);
  }
  return out;
}

// The polygons of one boundary file (`path_val`), of the features `where`
// selects (all without it). Appends the file as written to `sources`.
bool ReadFilePolygons(Ctx& ctx, const Val& path_val, const Val* where, const std::string& zone_id,
                      std::vector<geo::Polygon>* polygons, std::vector<std::string>* sources) {
  std::optional<FeatureFilter> filter;
  if (where != nullptr) {
    filter = ReadFeatureFilter(ctx, *where, zone_id);
    if (!filter) return false;
  }
  if (!path_val.node.IsScalar()) {
    ctx.Error(path_val.pos, "'file' must be a path to a GeoJSON file, not " + KindName(path_val.node));
    return false;
  }
  auto features = ReadGeoJsonFile(ctx, path_val, zone_id);
  if (!features) return false;
  const std::string written(Trim(path_val.node.Scalar()));
  const std::string file = ResolveRelative(ctx.state().yaml_file, written);
  std::vector<const geo::GeoFeature*> selected;
  if (filter) {
    auto chosen = SelectFeatures(ctx, *features, *filter, zone_id, file);
    if (!chosen) return false;
    selected = std::move(*chosen);
  } else {
    for (const geo::GeoFeature& f : *features) selected.push_back(&f);
  }
  std::vector<geo::Polygon> own;
  for (const geo::GeoFeature* f : selected) {
    if (f->geometry.type != geo::Geometry::Type::kPolygon && f->geometry.type != geo::Geometry::Type::kMultiPolygon) {
      ctx.Error(path_val.pos, "zone '" + zone_id + "': feature " + std::to_string(f->index + 1) + " of '" + file +
                                  "' is a " + GeometryTypeName(f->geometry.type) +
                                  "; a polygon zone needs Polygon or MultiPolygon features");
      return false;
    }
    own.insert(own.end(), f->geometry.polygons.begin(), f->geometry.polygons.end());
  }
  if (own.empty()) {
    ctx.Error(path_val.pos, "zone '" + zone_id + "': no polygons in '" + file + "'");
    return false;
  }
  // Validated file by file, so that the message names the file at fault.
  Status valid = geo::ValidatePolygons(own);
  if (!valid.ok()) {
    ctx.Error(path_val.pos, "zone '" + zone_id + "': invalid geometry in '" + file + "': " + valid.message());
    return false;
  }
  polygons->insert(polygons->end(), own.begin(), own.end());
  sources->push_back(written);
  return true;
}

// One file reference: a path, or {file: PATH, where: {PROPERTY: [values]}}.
bool ReadPolygonSource(Ctx& ctx, const Val& val, const std::string& zone_id, std::vector<geo::Polygon>* polygons,
                       std::vector<std::string>* sources) {
  if (val.node.IsScalar()) return ReadFilePolygons(ctx, val, nullptr, zone_id, polygons, sources);
  auto fields = ReadMap(ctx, Val{val.node, val.pos, "'polygon'"}, "zones.<zone>.polygon");
  if (!fields) return false;
  const Field* where = fields->Given("where");
  if (fields->Find("file") == nullptr && where != nullptr) {
    ctx.Error(where->key_pos, "zone '" + zone_id + "': 'where' selects features of a boundary file; name it with 'file'");
    return false;
  }
  if (!Require(ctx, *fields, "file", "'polygon' of zone '" + zone_id + "'")) return false;
  return ReadFilePolygons(ctx, fields->Find("file")->value, where ? &where->value : nullptr, zone_id, polygons,
                          sources);
}

// `polygon:` a GeoJSON path (Polygon / MultiPolygon features), a path with the
// features to take ({file:, where:}), a list of those, or one inline ring.
// Several polygons make one area (geo::Zone::MakeArea joins them).
std::optional<std::vector<geo::Polygon>> ReadPolygons(Ctx& ctx, const Val& val, const std::string& zone_id,
                                                      std::string* source) {
  std::vector<geo::Polygon> polygons;
  std::vector<std::string> sources;
  const bool inline_ring = val.node.IsSequence() && val.node.size() > 0 && val.node[0].IsSequence();
  if (val.node.IsScalar() || val.node.IsMap()) {
    if (!ReadPolygonSource(ctx, val, zone_id, &polygons, &sources)) return std::nullopt;
  } else if (val.node.IsSequence() && !inline_ring && val.node.size() > 0) {
    auto items = ReadList(ctx, val, /*allow_scalar=*/false);
    if (!items) return std::nullopt;
    bool ok = true;
    for (const Val& item : *items) ok = ReadPolygonSource(ctx, item, zone_id, &polygons, &sources) && ok;
    if (!ok) return std::nullopt;
  } else {
    auto ring = ReadInlinePoints(ctx, Val{val.node, val.pos, "'polygon'"});
    if (!ring) return std::nullopt;
    // Hand-written rings may leave out the closing point.
    if (!ring->empty() && !(ring->front() == ring->back())) ring->push_back(ring->front());
    polygons.push_back(geo::Polygon{*ring, {}});
    Status valid = geo::ValidatePolygons(polygons);
    if (!valid.ok()) {
      ctx.Error(val.pos, "zone '" + zone_id + "': invalid geometry: " + valid.message());
      return std::nullopt;
    }
  }
  *source = Join(sources, ", ");
  return polygons;
}

// `line:` a GeoJSON path holding one LineString, or inline [[lat, lon], ...].
std::optional<geo::LineString> ReadLine(Ctx& ctx, const Val& val, const std::string& zone_id, std::string* source) {
  geo::LineString line;
  std::string where;
  if (val.node.IsScalar()) {
    auto features = ReadGeoJsonFile(ctx, val, zone_id);
    if (!features) return std::nullopt;
    *source = std::string(Trim(val.node.Scalar()));
    const std::string file = ResolveRelative(ctx.state().yaml_file, *source);
    where = " in '" + file + "'";
    std::vector<geo::LineString> lines;
    for (const geo::GeoFeature& f : *features) {
      if (f.geometry.type != geo::Geometry::Type::kLineString &&
          f.geometry.type != geo::Geometry::Type::kMultiLineString) {
        ctx.Error(val.pos, "zone '" + zone_id + "': feature " + std::to_string(f.index + 1) + " of '" + file +
                               "' is a " + GeometryTypeName(f.geometry.type) + "; a line must be a LineString");
        return std::nullopt;
      }
      lines.insert(lines.end(), f.geometry.lines.begin(), f.geometry.lines.end());
    }
    if (lines.size() != 1) {
      ctx.Error(val.pos, "zone '" + zone_id + "': '" + file + "' must hold exactly one LineString, not " +
                             std::to_string(lines.size()));
      return std::nullopt;
    }
    line = std::move(lines.front());
  } else {
    auto points = ReadInlinePoints(ctx, Val{val.node, val.pos, "'line'"});
    if (!points) return std::nullopt;
    line = std::move(*points);
  }
  Status valid = geo::ValidateLineString(line);
  if (!valid.ok()) {
    ctx.Error(val.pos, "zone '" + zone_id + "': invalid line" + where + ": " + valid.message());
    return std::nullopt;
  }
  return line;
}

// Widths and radii with a physical meaning: from a metre (a checkpoint) to
// 1000 km (wider than any ceasefire zone drawn, far below where a geodesic
// buffer on the ellipsoid stops making sense). docs/agreement-format.md
// documents the range.
constexpr double kMinWidthKm = 0.001;
constexpr double kMaxWidthKm = 1000.0;

// A width in km that must be positive and within range.
std::optional<double> ReadWidthKm(Ctx& ctx, const Fields& fields, const char* key, std::string_view shape) {
  if (!Require(ctx, fields, key, shape)) return std::nullopt;
  const Val& val = fields.Find(key)->value;
  auto km = ReadNumber(ctx, val);
  if (!km) return std::nullopt;
  if (*km <= 0) {
    ctx.Error(val.pos, "'" + std::string(key) + "' must be greater than 0, not " + val.node.Scalar());
    return std::nullopt;
  }
  // Stored agreements were accepted before the range existed: read as they are.
  if ((*km < kMinWidthKm || *km > kMaxWidthKm) && !ctx.state().stored) {
    ctx.Error(val.pos, "'" + std::string(key) + "' " + val.node.Scalar() + " is out of range (0.001..1000 km)");
    return std::nullopt;
  }
  return *km;
}

std::optional<geo::Zone> ReadShape(Ctx& ctx, const Field& shape, const std::string& zone_id,
                                   const std::vector<model::PlaceDef>& places, std::string* source) {
  if (shape.key == "polygon") {
    auto polygons = ReadPolygons(ctx, shape.value, zone_id, source);
    if (!polygons) return std::nullopt;
    Result<geo::Zone> area = geo::Zone::MakeArea(std::move(*polygons));
    if (!area.ok()) {
      ctx.Error(shape.value.pos, "zone '" + zone_id + "': its polygons cannot be joined into one area: " +
                                     area.status().message());
      return std::nullopt;
    }
    return std::move(area).value();
  }
  const std::string path = "zones.<zone>." + shape.key;
  auto fields = ReadMap(ctx, shape.value, path);
  if (!fields) return std::nullopt;
  if (shape.key == "corridor" || shape.key == "band") {
    const bool corridor = shape.key == "corridor";
    bool ok = Require(ctx, *fields, "line", "a " + shape.key);
    std::optional<geo::LineString> line;
    if (ok) line = ReadLine(ctx, fields->Find("line")->value, zone_id, source);
    auto width_km = ReadWidthKm(ctx, *fields, corridor ? "half_width_km" : "width_km", "a " + shape.key);
    geo::BandSide side = geo::BandSide::kLeft;
    bool side_ok = true;
    if (!corridor) {
      side_ok = Require(ctx, *fields, "side", "a band");
      if (side_ok) {
        const Val& sv = fields->Find("side")->value;
        auto s = ReadNonEmptyString(ctx, sv);
        if (s && *s == "left") {
          side = geo::BandSide::kLeft;
        } else if (s && *s == "right") {
          side = geo::BandSide::kRight;
        } else {
          if (s) ctx.Error(sv.pos, "'side' must be 'left' or 'right' (looking along the line), not '" + *s + "'");
          side_ok = false;
        }
      }
    }
    if (!line || !width_km || !side_ok) return std::nullopt;
    if (corridor) return geo::Zone::MakeCorridor(std::move(*line), *width_km * kMetersPerKm);
    return geo::Zone::MakeBand(std::move(*line), *width_km * kMetersPerKm, side);
  }
  // circle
  bool ok = Require(ctx, *fields, "center", "a circle");
  std::optional<geo::LatLon> center;
  std::string label;
  if (ok) center = ReadPoint(ctx, fields->Find("center")->value, places, &label);
  auto radius_km = ReadWidthKm(ctx, *fields, "radius_km", "a circle");
  if (!center || !radius_km) return std::nullopt;
  return geo::Zone::MakeCircle(*center, *radius_km * kMetersPerKm);
}

}  // namespace

std::optional<geo::LatLon> ReadPoint(Ctx& ctx, const Val& val, const std::vector<model::PlaceDef>& places,
                                     std::string* label) {
  if (val.node.IsSequence()) {
    auto p = ReadLatLon(ctx, val);
    if (!p) return std::nullopt;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.5g, %.5g", p->lat_deg, p->lon_deg);
    *label = buf;
    return p;
  }
  auto id = ReadNonEmptyString(ctx, val);
  if (!id) return std::nullopt;
  // A place whose own error was reported is not "unknown" as well.
  if (ctx.state().reported.count("place:" + *id)) return std::nullopt;
  std::vector<std::string> ids;
  for (const model::PlaceDef& p : places) {
    if (p.id == *id) {
      *label = p.name;
      return p.position;
    }
    ids.push_back(p.id);
  }
  ctx.Error(val.pos, "unknown place '" + *id + "'" + DidYouMean(*id, ids));
  return std::nullopt;
}

void ReadPlaces(Ctx& ctx, const Val& val, std::vector<model::PlaceDef>* places) {
  auto entries = ReadIdMap(ctx, val, "place");
  if (!entries) return;
  for (const Field& e : *entries) {
    // Until the place is read whole, references to it are not reported again.
    ctx.state().reported.insert("place:" + e.key);
    auto fields = ReadMap(ctx, e.value, "places.<place>");
    if (!fields) continue;
    model::PlaceDef place;
    place.id = e.key;
    place.name = e.key;
    place.pos = model::SourcePos{ctx.file(), e.key_pos.line, e.key_pos.column};
    bool ok = Require(ctx, *fields, "lat", "place '" + e.key + "'");
    ok = Require(ctx, *fields, "lon", "place '" + e.key + "'") && ok;
    if (!ok) continue;
    const Val& lat_val = fields->Find("lat")->value;
    const Val& lon_val = fields->Find("lon")->value;
    auto lat = ReadNumber(ctx, lat_val);
    auto lon = ReadNumber(ctx, lon_val);
    if (lat && (*lat < -90 || *lat > 90)) {
      ctx.Error(lat_val.pos, "'lat' " + lat_val.node.Scalar() + " is out of range (-90..90)");
      lat.reset();
    }
    if (lon && (*lon < -180 || *lon > 180)) {
      ctx.Error(lon_val.pos, "'lon' " + lon_val.node.Scalar() + " is out of range (-180..180)");
      lon.reset();
    }
    if (!lat || !lon) continue;
    place.position = geo::LatLon{*lat, *lon};
    if (const Field* f = fields->Given("name")) {
      if (auto s = ReadNonEmptyString(ctx, f->value)) place.name = *s;
    }
    if (const Field* f = fields->Given("approximate")) {
      if (auto b = ReadBool(ctx, f->value)) place.approximate = *b;
    }
    if (const Field* f = fields->Given("note")) {
      if (auto s = ReadString(ctx, f->value)) place.note = *s;
    }
    places->push_back(std::move(place));
    ctx.state().reported.erase("place:" + e.key);
  }
}

void ReadZones(Ctx& ctx, const Val& val, const std::vector<model::PlaceDef>& places,
               std::vector<model::ZoneDef>* zones, std::map<std::string, geo::ZoneShape>* shapes) {
  auto entries = ReadIdMap(ctx, val, "zone");
  if (!entries) return;
  for (const Field& e : *entries) {
    auto fields = ReadMap(ctx, e.value, "zones.<zone>");
    if (!fields) continue;
    model::ZoneDef def;
    def.id = e.key;
    def.name = e.key;
    def.pos = model::SourcePos{ctx.file(), e.key_pos.line, e.key_pos.column};
    if (const Field* f = fields->Given("name")) {
      if (auto s = ReadNonEmptyString(ctx, f->value)) def.name = *s;
    }
    if (const Field* f = fields->Given("approximate")) {
      if (auto b = ReadBool(ctx, f->value)) def.approximate = *b;
    }
    if (const Field* f = fields->Given("note")) {
      if (auto s = ReadString(ctx, f->value)) def.note = *s;
    }
    const Field* shape = nullptr;
    bool several = false;
    for (const Field& f : fields->entries) {
      if (f.key != "polygon" && f.key != "corridor" && f.key != "band" && f.key != "circle") continue;
      if (shape != nullptr) {
        ctx.Error(f.key_pos, "zone '" + e.key + "' has both '" + shape->key + "' and '" + f.key +
                                 "'; give one shape");
        several = true;
        continue;
      }
      shape = &f;
    }
    if (shape == nullptr) {
      ctx.Error(e.key_pos, "zone '" + e.key + "' needs one of 'polygon', 'corridor', 'band' or 'circle'");
      continue;
    }
    const geo::ZoneShape declared = shape->key == "polygon"    ? geo::ZoneShape::kPolygon
                                    : shape->key == "corridor" ? geo::ZoneShape::kCorridor
                                    : shape->key == "band"     ? geo::ZoneShape::kBand
                                                               : geo::ZoneShape::kCircle;
    (*shapes)[e.key] = declared;
    if (several) continue;
    auto zone = ReadShape(ctx, *shape, e.key, places, &def.source);
    if (!zone) continue;
    def.zone = std::move(*zone);
    zones->push_back(std::move(def));
  }
}

}  // namespace truce::agreement::internal
