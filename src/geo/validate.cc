// Validation of user geometry: ring structure and ranges here, topology
// (self-intersection, holes) by GEOS through its reentrant C API.
#include <cctype>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "geos_handles.h"
#include "truce/core/strings.h"
#include "truce/geo/geo.h"

namespace truce::geo {

namespace detail {

static GEOSGeometry* MakeRing(GEOSContextHandle_t ctx, const Ring& ring) {
  GEOSCoordSequence* seq = GEOSCoordSeq_create_r(ctx, static_cast<unsigned>(ring.size()), 2);
  if (!seq) return nullptr;
  for (size_t i = 0; i < ring.size(); ++i) {
    GEOSCoordSeq_setXY_r(ctx, seq, static_cast<unsigned>(i), ring[i].lon_deg, ring[i].lat_deg);
  }
  return GEOSGeom_createLinearRing_r(ctx, seq);  // takes the sequence, even on failure
}

GeosGeometry MakePolygon(GEOSContextHandle_t ctx, const Ring& outer, const std::vector<Ring>& holes) {
  GEOSGeometry* shell = MakeRing(ctx, outer);
  if (!shell) return GeosGeometry(nullptr, GeometryDeleter{ctx});
  std::vector<GEOSGeometry*> inner;
  for (const Ring& h : holes) {
    GEOSGeometry* r = MakeRing(ctx, h);
    if (!r) {
      GEOSGeom_destroy_r(ctx, shell);
      for (GEOSGeometry* g : inner) GEOSGeom_destroy_r(ctx, g);
      return GeosGeometry(nullptr, GeometryDeleter{ctx});
    }
    inner.push_back(r);
  }
  return GeosGeometry(GEOSGeom_createPolygon_r(ctx, shell, inner.empty() ? nullptr : inner.data(),
                                           static_cast<unsigned>(inner.size())),
                  GeometryDeleter{ctx});
}

}  // namespace detail

namespace {

std::string Where(size_t polygon, size_t ring) {
  return "polygon " + std::to_string(polygon) + ", ring " + std::to_string(ring);
}

Status CheckPosition(LatLon p, const std::string& where, size_t index) {
  const std::string at = where + ", position " + std::to_string(index) + ": ";
  if (!std::isfinite(p.lat_deg) || !std::isfinite(p.lon_deg)) return Status::ValidationError(at + "coordinate is not a finite number");
  if (p.lat_deg < -90 || p.lat_deg > 90) {
    return Status::ValidationError(at + "latitude " + FormatNumber(p.lat_deg) + " out of range [-90, 90]");
  }
  if (p.lon_deg < -180 || p.lon_deg > 180) {
    return Status::ValidationError(at + "longitude " + FormatNumber(p.lon_deg) + " out of range [-180, 180]");
  }
  return Status::Ok();
}

Status CheckRing(const Ring& ring, size_t polygon, size_t index) {
  const std::string where = Where(polygon, index);
  if (ring.size() < 4) {
    return Status::ValidationError(where + ": a ring needs at least 4 positions (first == last), got " +
                                   std::to_string(ring.size()));
  }
  for (size_t i = 0; i < ring.size(); ++i) TRUCE_RETURN_IF_ERROR(CheckPosition(ring[i], where, i));
  if (!(ring.front() == ring.back())) return Status::ValidationError(where + ": ring is not closed (first position != last)");
  return Status::Ok();
}

using detail::Context;
using detail::GeometryDeleter;
using detail::GeosGeometry;
using detail::MakePolygon;

void IgnoreMessage(const char*, void*) {}

// GEOS's reason, lower-cased first letter, and where: "self-intersection at (36.1 35.2)".
std::optional<std::string> InvalidReason(GEOSContextHandle_t ctx, const GEOSGeometry* g, LatLon* at) {
  char* reason = nullptr;
  GEOSGeometry* location = nullptr;
  const char valid = GEOSisValidDetail_r(ctx, g, 0, &reason, &location);
  if (valid == 1) return std::nullopt;
  std::string text = reason ? reason : "invalid geometry";
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  if (location) {
    double x = 0, y = 0;
    if (GEOSGeomGetX_r(ctx, location, &x) == 1 && GEOSGeomGetY_r(ctx, location, &y) == 1) {
      text += " at (" + FormatNumber(x) + " " + FormatNumber(y) + ")";
      *at = {y, x};
    }
    GEOSGeom_destroy_r(ctx, location);
  }
  if (reason) GEOSFree_r(ctx, reason);
  return text;
}

// Index (0 = outer) of the ring with a vertex or edge nearest to `at` (degrees).
size_t NearestRing(const Polygon& poly, LatLon at) {
  auto ring_distance = [&](const Ring& ring) {
    double best = std::numeric_limits<double>::infinity();
    for (size_t i = 0; i + 1 < ring.size(); ++i) {
      const double ax = ring[i].lon_deg, ay = ring[i].lat_deg;
      const double dx = ring[i + 1].lon_deg - ax, dy = ring[i + 1].lat_deg - ay;
      const double len2 = dx * dx + dy * dy;
      double t = len2 > 0 ? ((at.lon_deg - ax) * dx + (at.lat_deg - ay) * dy) / len2 : 0;
      t = std::fmin(1, std::fmax(0, t));
      best = std::fmin(best, std::hypot(at.lon_deg - (ax + t * dx), at.lat_deg - (ay + t * dy)));
    }
    return best;
  };
  size_t best_ring = 0;
  double best = ring_distance(poly.outer);
  for (size_t h = 0; h < poly.holes.size(); ++h) {
    const double d = ring_distance(poly.holes[h]);
    if (d < best) best = d, best_ring = h + 1;
  }
  return best_ring;
}

}  // namespace

Status ValidatePolygons(const std::vector<Polygon>& polygons) {
  if (polygons.empty()) return Status::ValidationError("no polygons");
  for (size_t i = 0; i < polygons.size(); ++i) {
    TRUCE_RETURN_IF_ERROR(CheckRing(polygons[i].outer, i, 0));
    for (size_t h = 0; h < polygons[i].holes.size(); ++h) TRUCE_RETURN_IF_ERROR(CheckRing(polygons[i].holes[h], i, h + 1));
  }
  Context ctx(GEOS_init_r());
  if (!ctx) return Status::Internal("GEOS: cannot create a context");
  GEOSContext_setNoticeMessageHandler_r(ctx.get(), IgnoreMessage, nullptr);
  GEOSContext_setErrorMessageHandler_r(ctx.get(), IgnoreMessage, nullptr);
  for (size_t i = 0; i < polygons.size(); ++i) {
    const Polygon& poly = polygons[i];
    // Each ring alone first, so a self-intersection names its ring.
    for (size_t r = 0; r <= poly.holes.size(); ++r) {
      const Ring& ring = r == 0 ? poly.outer : poly.holes[r - 1];
      GeosGeometry g = MakePolygon(ctx.get(), ring, {});
      if (!g) return Status::ValidationError(Where(i, r) + ": GEOS cannot build the ring");
      LatLon at;
      if (auto reason = InvalidReason(ctx.get(), g.get(), &at)) {
        return Status::ValidationError(Where(i, r) + ": " + *reason);
      }
    }
    if (poly.holes.empty()) continue;
    // Then the holes against the shell and each other.
    GeosGeometry g = MakePolygon(ctx.get(), poly.outer, poly.holes);
    if (!g) return Status::ValidationError("polygon " + std::to_string(i) + ": GEOS cannot build the polygon");
    LatLon at;
    if (auto reason = InvalidReason(ctx.get(), g.get(), &at)) {
      return Status::ValidationError(Where(i, NearestRing(poly, at)) + ": " + *reason);
    }
  }
  return Status::Ok();
}

Status ValidateLineString(const LineString& line) {
  if (line.size() < 2) {
    return Status::ValidationError("a line needs at least 2 positions, got " + std::to_string(line.size()));
  }
  for (size_t i = 0; i < line.size(); ++i) TRUCE_RETURN_IF_ERROR(CheckPosition(line[i], "line", i));
  return Status::Ok();
}

}  // namespace truce::geo
