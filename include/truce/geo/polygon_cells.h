// A zone pre-classified on a grid of cells over its box, so that bulk
// containment tests (millions of incidents) rarely run the exact test: a cell
// is wholly outside the zone, wholly inside it, or on its boundary, and only
// points in boundary cells are tested exactly (Zone::Contains). The answer is
// always Zone::Contains's (boundary rule CLOSED): cells are classified with a
// margin far above rounding, and a cell is inside or outside only when no edge
// comes near it.
// - Polygons: a cell is a boundary cell when an edge of any ring (straight in
//   longitude/latitude, as Zone takes them) meets the cell grown by 1e-9
//   degrees; the others take the exact answer at their centre.
// - Corridors: by distance bands. A cell whose centre is at least its
//   half-diagonal (plus 1 % and 1 m) inside the half-width is inside, one at
//   least that much beyond it outside; found by splitting cells from the whole
//   box down (a quadtree), so far cells cost one distance each.
// - Bands and circles: every cell is a boundary cell (always the exact test).
// Thread-safety: immutable after Build; share freely.
#pragma once

#include <cstdint>
#include <vector>

#include "truce/geo/geo.h"

namespace truce::geo {

enum class CellClass : std::uint8_t { kOutside, kInside, kBoundary };

class ZoneCells {
 public:
  ZoneCells() = default;
  // `cells_per_side`: the grid's rows and columns over the zone's box
  // (DEFAULT 64; REQUIRES a power of two, 1..1024).
  static ZoneCells Build(const Zone& zone, int cells_per_side = 64);

  // The class of p's cell; kOutside off the zone's box.
  CellClass Classify(LatLon p) const {
    if (!box_.Contains(p)) return CellClass::kOutside;
    return Cell(Index(p));
  }
  // Zone::Contains(p), from the grid unless p's cell is a boundary cell.
  // REQUIRES: `zone` is the one Build was given.
  bool Contains(const Zone& zone, LatLon p) const {
    const CellClass c = Classify(p);
    return c == CellClass::kBoundary ? zone.Contains(p) : c == CellClass::kInside;
  }

  // Whether a cell that `rect` overlaps (or touches) is not kOutside: false
  // means no point of the zone lies in `rect`.
  bool MayMeet(const BBox& rect) const;

  int cells_per_side() const { return n_; }
  // How many cells of each class (for benchmarks and tests).
  int Count(CellClass c) const;

 private:
  size_t Index(LatLon p) const {
    int r = static_cast<int>((p.lat_deg - box_.min_lat_deg) * inv_lat_);
    int c = static_cast<int>((p.lon_deg - box_.min_lon_deg) * inv_lon_);
    r = r < 0 ? 0 : r >= n_ ? n_ - 1 : r;
    c = c < 0 ? 0 : c >= n_ ? n_ - 1 : c;
    return static_cast<size_t>(r) * n_ + c;
  }

  // Build with one byte a cell in *cells (packed_ left empty).
  static ZoneCells BuildBytes(const Zone& zone, int cells_per_side, std::vector<std::uint8_t>* cells);
  CellClass Cell(size_t i) const { return static_cast<CellClass>((packed_[i >> 2] >> ((i & 3) * 2)) & 3); }

  BBox box_;
  int n_ = 0;
  double cell_lat_deg_ = 0, cell_lon_deg_ = 0, inv_lat_ = 0, inv_lon_ = 0;
  // CellClass in two bits a cell, four cells a byte (row-major, row =
  // latitude, the first
  // cell in the low bits): a quarter of the bytes, so that the cells of
  // many zones stay in the cache when points fall anywhere.
  std::vector<std::uint8_t> packed_;
};

}  // namespace truce::geo
