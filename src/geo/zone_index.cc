// ZoneIndex: a uniform grid of 0.25 degree cells over the zones' grown boxes.
#include <algorithm>
#include <cmath>

#include "truce/geo/geo.h"

namespace truce::geo {

namespace {
// Above this many cells, cells grow so the grid stays small (a world-wide zone set).
constexpr long long kMaxCells = 1 << 20;
}  // namespace

void ZoneIndex::Build(const std::vector<const Zone*>& zones, double margin_m) {
  boxes_.clear();
  cells_.clear();
  extent_ = BBox();
  rows_ = cols_ = 0;
  cell_deg_ = 0.25;
  for (const Zone* z : zones) {
    BBox b = z ? z->bbox().Expanded(std::max(0.0, margin_m)) : BBox();
    boxes_.push_back(b);
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
  cells_.assign(static_cast<size_t>(rows_) * cols_, {});
  auto row_of = [&](double lat) {
    return std::clamp(static_cast<int>(std::floor((lat - extent_.min_lat_deg) / cell_deg_)), 0, rows_ - 1);
  };
  auto col_of = [&](double lon) {
    return std::clamp(static_cast<int>(std::floor((lon - extent_.min_lon_deg) / cell_deg_)), 0, cols_ - 1);
  };
  for (size_t i = 0; i < boxes_.size(); ++i) {
    const BBox& b = boxes_[i];
    if (b.min_lat_deg > b.max_lat_deg) continue;
    for (int r = row_of(b.min_lat_deg); r <= row_of(b.max_lat_deg); ++r) {
      for (int c = col_of(b.min_lon_deg); c <= col_of(b.max_lon_deg); ++c) {
        cells_[static_cast<size_t>(r) * cols_ + c].push_back(static_cast<int>(i));  // ascending by construction
      }
    }
  }
}

void ZoneIndex::Candidates(LatLon p, std::vector<int>* out) const {
  out->clear();
  if (rows_ == 0 || !extent_.Contains(p)) return;
  const int r = std::clamp(static_cast<int>(std::floor((p.lat_deg - extent_.min_lat_deg) / cell_deg_)), 0, rows_ - 1);
  const int c = std::clamp(static_cast<int>(std::floor((p.lon_deg - extent_.min_lon_deg) / cell_deg_)), 0, cols_ - 1);
  for (int i : cells_[static_cast<size_t>(r) * cols_ + c]) {
    if (boxes_[i].Contains(p)) out->push_back(i);
  }
}

}  // namespace truce::geo
