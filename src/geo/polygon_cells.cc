// ZoneCells: a zone's box cut into cells classified inside / outside / boundary.
#include "truce/geo/polygon_cells.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace truce::geo {
namespace {

// Far above the rounding of a point's cell index (about 1e-14 degrees), far
// below any cell (a 64-cell grid over 100 m is 1.6 m, 1e-5 degrees).
constexpr double kCellSlackDeg = 1e-9;

struct Rect {
  double min_x, min_y, max_x, max_y;  // x longitude, y latitude
};

// Whether segment a-b (straight in lon/lat) meets the closed rectangle
// (Liang-Barsky clipping; called with rectangles already grown by the slack).
bool SegmentMeetsRect(LatLon a, LatLon b, const Rect& r) {
  const double x0 = a.lon_deg, y0 = a.lat_deg, dx = b.lon_deg - a.lon_deg, dy = b.lat_deg - a.lat_deg;
  double t0 = 0, t1 = 1;
  auto clip = [&](double p, double q) {
    if (p == 0) return q >= 0;
    const double t = q / p;
    if (p < 0) {
      if (t > t1) return false;
      t0 = std::max(t0, t);
    } else {
      if (t < t0) return false;
      t1 = std::min(t1, t);
    }
    return true;
  };
  return clip(-dx, x0 - r.min_x) && clip(dx, r.max_x - x0) && clip(-dy, y0 - r.min_y) && clip(dy, r.max_y - y0) &&
         t0 <= t1;
}

}  // namespace

ZoneCells ZoneCells::Build(const Zone& zone, int cells_per_side) {
  std::vector<std::uint8_t> bytes;
  ZoneCells z = BuildBytes(zone, cells_per_side, &bytes);
  z.packed_.assign((bytes.size() + 3) / 4, 0);
  for (size_t i = 0; i < bytes.size(); ++i) z.packed_[i >> 2] |= static_cast<std::uint8_t>(bytes[i] << ((i & 3) * 2));
  return z;
}

ZoneCells ZoneCells::BuildBytes(const Zone& zone, int cells_per_side, std::vector<std::uint8_t>* cells) {
  ZoneCells z;
  const BBox& b = zone.bbox();
  if (b.min_lat_deg > b.max_lat_deg || b.min_lon_deg > b.max_lon_deg) return z;  // empty zone: all outside
  z.box_ = b;
  z.n_ = std::clamp(cells_per_side, 1, 1024);
  const int n = z.n_;
  z.cell_lat_deg_ = std::max((b.max_lat_deg - b.min_lat_deg) / n, 1e-12);
  z.cell_lon_deg_ = std::max((b.max_lon_deg - b.min_lon_deg) / n, 1e-12);
  z.inv_lat_ = 1 / z.cell_lat_deg_;
  z.inv_lon_ = 1 / z.cell_lon_deg_;
  cells->assign(static_cast<size_t>(n) * n, static_cast<std::uint8_t>(CellClass::kBoundary));
  auto rect = [&](int r, int c, int size) {
    return Rect{b.min_lon_deg + c * z.cell_lon_deg_ - kCellSlackDeg, b.min_lat_deg + r * z.cell_lat_deg_ - kCellSlackDeg,
                b.min_lon_deg + (c + size) * z.cell_lon_deg_ + kCellSlackDeg,
                b.min_lat_deg + (r + size) * z.cell_lat_deg_ + kCellSlackDeg};
  };
  auto centre = [&](int r, int c, int size) {
    return LatLon{b.min_lat_deg + (r + size * 0.5) * z.cell_lat_deg_, b.min_lon_deg + (c + size * 0.5) * z.cell_lon_deg_};
  };
  auto fill = [&](int r0, int c0, int size, CellClass cls) {
    for (int r = r0; r < r0 + size; ++r) {
      std::fill_n(cells->begin() + static_cast<size_t>(r) * n + c0, size, static_cast<std::uint8_t>(cls));
    }
  };

  if (zone.shape() == ZoneShape::kPolygon) {
    std::vector<std::uint8_t> boundary(static_cast<size_t>(n) * n, 0);
    auto row_of = [&](double lat) {
      return std::clamp(static_cast<int>(std::floor((lat - b.min_lat_deg) * z.inv_lat_)) - 1, 0, n - 1);
    };
    auto col_of = [&](double lon) {
      return std::clamp(static_cast<int>(std::floor((lon - b.min_lon_deg) * z.inv_lon_)) - 1, 0, n - 1);
    };
    auto mark_ring = [&](const Ring& ring) {
      for (size_t k = 0; k + 1 < ring.size(); ++k) {
        const LatLon a = ring[k], e = ring[k + 1];
        const int r_lo = row_of(std::min(a.lat_deg, e.lat_deg)), r_hi = std::min(n - 1, row_of(std::max(a.lat_deg, e.lat_deg)) + 2);
        const int c_lo = col_of(std::min(a.lon_deg, e.lon_deg)), c_hi = std::min(n - 1, col_of(std::max(a.lon_deg, e.lon_deg)) + 2);
        for (int r = r_lo; r <= r_hi; ++r) {
          for (int c = c_lo; c <= c_hi; ++c) {
            uint8_t& cell = boundary[static_cast<size_t>(r) * n + c];
            if (!cell && SegmentMeetsRect(a, e, rect(r, c, 1))) cell = 1;
          }
        }
      }
    };
    for (const Polygon& p : zone.polygons()) {
      mark_ring(p.outer);
      for (const Ring& h : p.holes) mark_ring(h);
    }
    // A run of cells that no edge meets lies wholly on one side: one exact
    // test at the first cell's centre answers for the run.
    for (int r = 0; r < n; ++r) {
      bool known = false, inside = false;
      for (int c = 0; c < n; ++c) {
        const size_t i = static_cast<size_t>(r) * n + c;
        if (boundary[i]) {
          known = false;
          continue;
        }
        if (!known) {
          inside = zone.Contains(centre(r, c, 1));
          known = true;
        }
        (*cells)[i] = static_cast<std::uint8_t>(inside ? CellClass::kInside : CellClass::kOutside);
      }
    }
    return z;
  }

  if (zone.shape() == ZoneShape::kCorridor) {
    // Quadtree: decide a block by its centre's distance to the edge and the
    // farthest corner; split it when that is not enough.
    auto decide = [&](auto&& self, int r0, int c0, int size) -> void {
      const LatLon ctr = centre(r0, c0, size);
      const Rect rc = rect(r0, c0, size);
      double reach_m = 0;
      for (LatLon corner : {LatLon{rc.min_y, rc.min_x}, LatLon{rc.min_y, rc.max_x}, LatLon{rc.max_y, rc.min_x},
                            LatLon{rc.max_y, rc.max_x}}) {
        reach_m = std::max(reach_m, GeodesicDistanceM(ctr, corner));
      }
      reach_m = reach_m * 1.01 + 1;
      const ZoneRelation rel = zone.Relate(ctr, 0);
      if (rel.center_inside && rel.edge_distance_m >= reach_m) return fill(r0, c0, size, CellClass::kInside);
      if (!rel.center_inside && rel.edge_distance_m > reach_m) return fill(r0, c0, size, CellClass::kOutside);
      if (size == 1) return;  // stays a boundary cell
      const int h = size / 2;
      self(self, r0, c0, h);
      self(self, r0, c0 + h, h);
      self(self, r0 + h, c0, h);
      self(self, r0 + h, c0 + h, h);
    };
    if ((n & (n - 1)) == 0) decide(decide, 0, 0, n);
  }
  return z;  // bands, circles: every cell a boundary cell
}

bool ZoneCells::MayMeet(const BBox& rect) const {
  if (n_ == 0 || !box_.Intersects(rect)) return false;
  // One cell more on every side: a cell's edge and rect's may meet within
  // the rounding of the index arithmetic.
  auto span = [&](double lo, double hi, double min, double inv) {
    return std::pair{std::clamp(static_cast<int>(std::floor((lo - min) * inv)) - 1, 0, n_ - 1),
                     std::clamp(static_cast<int>(std::floor((hi - min) * inv)) + 1, 0, n_ - 1)};
  };
  const auto [r_lo, r_hi] = span(rect.min_lat_deg, rect.max_lat_deg, box_.min_lat_deg, inv_lat_);
  const auto [c_lo, c_hi] = span(rect.min_lon_deg, rect.max_lon_deg, box_.min_lon_deg, inv_lon_);
  for (int r = r_lo; r <= r_hi; ++r) {
    for (int c = c_lo; c <= c_hi; ++c) {
      if (Cell(static_cast<size_t>(r) * n_ + c) != CellClass::kOutside) return true;
    }
  }
  return false;
}

int ZoneCells::Count(CellClass c) const {
  int count = 0;
  for (size_t i = 0; i < static_cast<size_t>(n_) * n_; ++i) count += Cell(i) == c ? 1 : 0;
  return count;
}

}  // namespace truce::geo
