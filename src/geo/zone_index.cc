// ZoneIndex: a uniform grid of 0.25 degree cells over the zones' grown boxes.
#include <algorithm>
#include <cmath>

#include "truce/geo/geo.h"
#include "truce/geo/polygon_cells.h"

namespace truce::geo {

namespace {
// Above this many cells, cells grow so the grid stays small (a world-wide zone set).
constexpr long long kMaxCells = 1 << 20;
}  // namespace

int ZoneIndex::RowOf(double lat_deg) const {
  return std::clamp(static_cast<int>(std::floor((lat_deg - extent_.min_lat_deg) * inv_cell_deg_)), 0, rows_ - 1);
}

int ZoneIndex::ColOf(double lon_deg) const {
  return std::clamp(static_cast<int>(std::floor((lon_deg - extent_.min_lon_deg) * inv_cell_deg_)), 0, cols_ - 1);
}

void ZoneIndex::Build(const std::vector<const Zone*>& zones, double margin_m, const std::vector<ZoneCells>* cells) {
  std::vector<BBox> boxes;
  cell_start_.clear();
  entries_.clear();
  extent_ = BBox();
  rows_ = cols_ = 0;
  cell_deg_ = 0.25;
  for (const Zone* z : zones) {
    BBox b = z ? z->bbox().Expanded(std::max(0.0, margin_m)) : BBox();
    boxes.push_back(b);
    if (b.min_lat_deg > b.max_lat_deg) continue;
    extent_.Extend({b.min_lat_deg, b.min_lon_deg});
    extent_.Extend({b.max_lat_deg, b.max_lon_deg});
  }
  if (extent_.min_lat_deg > extent_.max_lat_deg) return;
  auto dims = [&] {
    rows_ = static_cast<int>(std::floor((extent_.max_lat_deg - extent_.min_lat_deg) / cell_deg_)) + 1;
    cols_ = static_cast<int>(std::floor((extent_.max_lon_deg - extent_.min_lon_deg) / cell_deg_)) + 1;
  };
  dims();
  while (static_cast<long long>(rows_) * cols_ > kMaxCells) {
    cell_deg_ *= 2;
    dims();
  }
  inv_cell_deg_ = 1 / cell_deg_;  // a power of two: exact
  // Two passes over the boxes: count each cell's entries, then place them
  // (ascending zone index within a cell, by construction).
  const size_t n_cells = static_cast<size_t>(rows_) * cols_;
  std::vector<std::uint32_t> count(n_cells + 1, 0);
  auto each_cell = [&](const BBox& b, auto&& f) {
    for (int r = RowOf(b.min_lat_deg); r <= RowOf(b.max_lat_deg); ++r) {
      for (int c = ColOf(b.min_lon_deg); c <= ColOf(b.max_lon_deg); ++c) f(static_cast<size_t>(r) * cols_ + c);
    }
  };
  for (const BBox& b : boxes) {
    if (b.min_lat_deg <= b.max_lat_deg) each_cell(b, [&](size_t k) { ++count[k + 1]; });
  }
  for (size_t k = 0; k < n_cells; ++k) count[k + 1] += count[k];
  cell_start_ = count;
  entries_.resize(count[n_cells]);
  for (size_t i = 0; i < boxes.size(); ++i) {
    if (boxes[i].min_lat_deg > boxes[i].max_lat_deg) continue;
    each_cell(boxes[i], [&](size_t k) {
      Entry& e = entries_[count[k]++];
      e.box = boxes[i];
      e.zone = static_cast<int>(i);
      if (cells != nullptr) {
        // Every point within margin_m of a point in the cell lies in the
        // cell's box grown by margin_m (grown conservatively).
        const int r = static_cast<int>(k / cols_), c = static_cast<int>(k % cols_);
        BBox cell;
        cell.min_lat_deg = extent_.min_lat_deg + r * cell_deg_;
        cell.min_lon_deg = extent_.min_lon_deg + c * cell_deg_;
        cell.max_lat_deg = cell.min_lat_deg + cell_deg_;
        cell.max_lon_deg = cell.min_lon_deg + cell_deg_;
        e.near = (*cells)[i].MayMeet(cell.Expanded(std::max(0.0, margin_m)));
      }
    });
  }
}

long long ZoneIndex::CellOf(LatLon p) const {
  if (rows_ == 0 || !extent_.Contains(p)) return -1;
  return static_cast<long long>(RowOf(p.lat_deg)) * cols_ + ColOf(p.lon_deg);
}

void ZoneIndex::Candidates(LatLon p, std::vector<int>* out, bool exact_point) const {
  out->clear();
  const long long cell = CellOf(p);
  if (cell < 0) return;
  const auto k = static_cast<size_t>(cell);
  const std::uint32_t begin = cell_start_[k], end = cell_start_[k + 1];
  // Without a branch per entry (whether a random point is in a box is a coin
  // toss to the branch predictor): every entry is written, the count moves
  // only for those kept.
  out->resize(end - begin);
  int* ids = out->data();
  size_t n = 0;
  const bool any_distance = !exact_point;
  for (std::uint32_t i = begin; i < end; ++i) {
    const Entry& e = entries_[i];
    ids[n] = e.zone;
    n += static_cast<size_t>((e.near | any_distance) & (p.lat_deg >= e.box.min_lat_deg) &
                             (p.lat_deg <= e.box.max_lat_deg) & (p.lon_deg >= e.box.min_lon_deg) &
                             (p.lon_deg <= e.box.max_lon_deg));
  }
  out->resize(n);
}

}  // namespace truce::geo
