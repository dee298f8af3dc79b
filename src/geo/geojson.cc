// GeoJSON (RFC 7946) reading: FeatureCollection, Feature or a bare geometry of
// type Point, LineString, MultiLineString, Polygon or MultiPolygon. Positions
// are [longitude, latitude(, altitude)]; altitude is ignored. Structure and
// ranges are checked here; ring topology is ValidatePolygons' job.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <string>

#include "truce/core/strings.h"
#include "truce/geo/geo.h"

namespace truce::geo {

namespace {

using nlohmann::json;

const char* JsonTypeName(const json& j) { return j.type_name(); }

// Errors inside a geometry carry a path ("ring 1, position 3: ...").
Status Bad(const std::string& msg) { return Status::ParseError(msg); }
Status Invalid(const std::string& msg) { return Status::ValidationError(msg); }

Status ParsePosition(const json& j, const std::string& where, LatLon* out) {
  if (!j.is_array()) return Bad(where + ": a position must be an array [lon, lat], got " + JsonTypeName(j));
  if (j.size() < 2) return Bad(where + ": a position needs [lon, lat], got " + std::to_string(j.size()) + " number(s)");
  for (size_t i = 0; i < j.size(); ++i) {
    if (!j[i].is_number()) {
      return Bad(where + ": coordinate " + std::to_string(i) + " must be a number, got " + JsonTypeName(j[i]));
    }
  }
  const double lon = j[0].get<double>(), lat = j[1].get<double>();
  if (!std::isfinite(lon) || !std::isfinite(lat)) return Invalid(where + ": coordinate is not a finite number");
  if (lat < -90 || lat > 90) {
    return Invalid(where + ": latitude " + FormatNumber(lat) +
                   " out of range [-90, 90] (GeoJSON positions are [lon, lat])");
  }
  if (lon < -180 || lon > 180) return Invalid(where + ": longitude " + FormatNumber(lon) + " out of range [-180, 180]");
  *out = {lat, lon};
  return Status::Ok();
}

Status ParsePositions(const json& j, const std::string& where, std::vector<LatLon>* out) {
  if (!j.is_array()) return Bad(where + ": expected an array of positions, got " + JsonTypeName(j));
  out->clear();
  for (size_t i = 0; i < j.size(); ++i) {
    LatLon p;
    TRUCE_RETURN_IF_ERROR(ParsePosition(j[i], where + (where.empty() ? "" : ", ") + "position " + std::to_string(i), &p));
    out->push_back(p);
  }
  return Status::Ok();
}

Status ParseLine(const json& j, const std::string& type, const std::string& where, LineString* out) {
  TRUCE_RETURN_IF_ERROR(ParsePositions(j, where, out));
  if (out->size() < 2) {
    return Invalid((where.empty() ? "" : where + ": ") + type + " needs at least 2 positions, got " +
                   std::to_string(out->size()));
  }
  return Status::Ok();
}

Status ParsePolygon(const json& j, const std::string& where, Polygon* out) {
  const std::string prefix = where.empty() ? "" : where + ", ";
  if (!j.is_array()) return Bad(prefix + "polygon: expected an array of rings, got " + JsonTypeName(j));
  if (j.empty()) return Invalid(prefix + "polygon has no rings");
  for (size_t r = 0; r < j.size(); ++r) {
    const std::string ring_where = prefix + "ring " + std::to_string(r);
    Ring ring;
    TRUCE_RETURN_IF_ERROR(ParsePositions(j[r], ring_where, &ring));
    if (ring.size() < 4) {
      return Invalid(ring_where + ": a ring needs at least 4 positions (first == last), got " +
                     std::to_string(ring.size()));
    }
    if (!(ring.front() == ring.back())) return Invalid(ring_where + ": ring is not closed (first position != last)");
    if (r == 0) {
      out->outer = std::move(ring);
    } else {
      out->holes.push_back(std::move(ring));
    }
  }
  return Status::Ok();
}

Status ParseGeometry(const json& j, Geometry* out) {
  if (j.is_null()) return Invalid("geometry is null (a zone needs coordinates)");
  if (!j.is_object()) return Bad(std::string("geometry must be an object, got ") + JsonTypeName(j));
  auto type_it = j.find("type");
  if (type_it == j.end()) return Bad("geometry has no \"type\"");
  if (!type_it->is_string()) return Bad("geometry \"type\" must be a string");
  const std::string type = type_it->get<std::string>();
  auto coords_it = j.find("coordinates");
  const bool supported = type == "Point" || type == "LineString" || type == "MultiLineString" ||
                         type == "Polygon" || type == "MultiPolygon";
  if (!supported) {
    return Invalid("unsupported geometry type '" + type +
                   "' (supported: Point, LineString, MultiLineString, Polygon, MultiPolygon)");
  }
  if (coords_it == j.end() || coords_it->is_null()) return Bad(type + " has no \"coordinates\"");
  const json& c = *coords_it;
  if (type == "Point") {
    out->type = Geometry::Type::kPoint;
    return ParsePosition(c, "Point", &out->point);
  }
  if (type == "LineString") {
    out->type = Geometry::Type::kLineString;
    out->lines.emplace_back();
    return ParseLine(c, "LineString", "", &out->lines.back());
  }
  if (type == "MultiLineString") {
    out->type = Geometry::Type::kMultiLineString;
    if (!c.is_array()) return Bad(std::string("MultiLineString: expected an array of lines, got ") + JsonTypeName(c));
    if (c.empty()) return Invalid("MultiLineString has no lines");
    for (size_t i = 0; i < c.size(); ++i) {
      out->lines.emplace_back();
      TRUCE_RETURN_IF_ERROR(ParseLine(c[i], "LineString", "line " + std::to_string(i), &out->lines.back()));
    }
    return Status::Ok();
  }
  if (type == "Polygon") {
    out->type = Geometry::Type::kPolygon;
    out->polygons.emplace_back();
    return ParsePolygon(c, "", &out->polygons.back());
  }
  out->type = Geometry::Type::kMultiPolygon;
  if (!c.is_array()) return Bad(std::string("MultiPolygon: expected an array of polygons, got ") + JsonTypeName(c));
  if (c.empty()) return Invalid("MultiPolygon has no polygons");
  for (size_t i = 0; i < c.size(); ++i) {
    out->polygons.emplace_back();
    TRUCE_RETURN_IF_ERROR(ParsePolygon(c[i], "polygon " + std::to_string(i), &out->polygons.back()));
  }
  return Status::Ok();
}

Status ParseFeature(const json& j, GeoFeature* out) {
  if (!j.is_object()) return Bad(std::string("a feature must be an object, got ") + JsonTypeName(j));
  auto type_it = j.find("type");
  if (type_it == j.end() || !type_it->is_string() || type_it->get<std::string>() != "Feature") {
    return Bad("expected an object with \"type\": \"Feature\"");
  }
  auto props = j.find("properties");
  if (props == j.end() || props->is_null()) {
    out->properties_json = "{}";
  } else if (!props->is_object()) {
    return Bad(std::string("\"properties\" must be an object or null, got ") + JsonTypeName(*props));
  } else {
    out->properties_json = props->dump(-1, ' ', false, json::error_handler_t::replace);
  }
  auto geometry = j.find("geometry");
  if (geometry == j.end()) return Bad("feature has no \"geometry\"");
  return ParseGeometry(*geometry, &out->geometry);
}

// The text after nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 4: ".
std::string JsonErrorDetail(const std::string& what) {
  size_t at = what.find("syntax error");
  if (at == std::string::npos && !what.empty() && what[0] == '[') {
    const size_t close = what.find("] ");  // "[json.exception.out_of_range.406] number overflow ..."
    if (close != std::string::npos) return what.substr(close + 2);
  }
  if (at == std::string::npos) at = what.find("invalid");
  if (at != std::string::npos) return what.substr(at);
  const size_t colon = what.find(": ");
  return colon == std::string::npos ? what : what.substr(colon + 2);
}

}  // namespace

Result<std::vector<GeoFeature>> ParseGeoJson(const std::string& text, const std::string& file) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    // e.byte counts from 1 and points at the character where parsing failed.
    const size_t pos = std::min(text.size(), e.byte > 0 ? static_cast<size_t>(e.byte - 1) : size_t{0});
    int line = 1;
    size_t line_start = 0;
    for (size_t i = 0; i < pos; ++i) {
      if (text[i] == '\n') ++line, line_start = i + 1;
    }
    const int column = static_cast<int>(pos - line_start) + 1;
    return Status::ParseErrorAt(file, line, column, "invalid JSON: " + JsonErrorDetail(e.what()));
  } catch (const json::exception& e) {
    return Status::ParseError(file + ": invalid JSON: " + JsonErrorDetail(e.what()));
  }

  std::vector<GeoFeature> features;
  if (!doc.is_object()) {
    return Status::ParseError(file + ": a GeoJSON document must be an object, got " + JsonTypeName(doc));
  }
  auto type_it = doc.find("type");
  if (type_it == doc.end() || !type_it->is_string()) {
    return Status::ParseError(file + ": the GeoJSON object has no string \"type\"");
  }
  const std::string type = type_it->get<std::string>();
  if (type == "FeatureCollection") {
    auto list = doc.find("features");
    if (list == doc.end() || !list->is_array()) {
      return Status::ParseError(file + ": FeatureCollection needs a \"features\" array");
    }
    for (size_t i = 0; i < list->size(); ++i) {
      GeoFeature f;
      f.index = static_cast<int>(i);
      Status st = ParseFeature((*list)[i], &f);
      if (!st.ok()) return st.WithContext(file + ": feature " + std::to_string(i));
      features.push_back(std::move(f));
    }
    return features;
  }
  GeoFeature f;
  if (type == "Feature") {
    Status st = ParseFeature(doc, &f);
    if (!st.ok()) return st.WithContext(file + ": feature 0");
  } else {
    f.properties_json = "{}";
    Status st = ParseGeometry(doc, &f.geometry);
    if (!st.ok()) return st.WithContext(file);
  }
  features.push_back(std::move(f));
  return features;
}

}  // namespace truce::geo

namespace truce::geo {

std::vector<std::pair<std::string, std::string>> ScalarProperties(const GeoFeature& feature) {
  std::vector<std::pair<std::string, std::string>> out;
  // properties_json was written by ParseFeature from a valid object.
  const nlohmann::json props = nlohmann::json::parse(feature.properties_json, nullptr, /*allow_exceptions=*/false);
  if (!props.is_object()) return out;
  for (auto it = props.begin(); it != props.end(); ++it) {
    if (it->is_string()) {
      out.emplace_back(it.key(), it->get<std::string>());
    } else if (it->is_number() || it->is_boolean()) {
      out.emplace_back(it.key(), it->dump());
    }
  }
  return out;
}

}  // namespace truce::geo
