// Candidate pairs by an index over days and cells, not all pairs
// (docs/reconcile.md, "Candidates"). Internal to reconcile.
//
// Each report is put in one cell (by day of its window) on the level whose
// cells are at least its reach (radius + slack) wide: cells of 0.02 degrees
// (2.2 km), four times as wide per level (8.9 km, 36 km, 142 km, ...): few
// levels, so that a report looks up few cells. A pair (a, b) can be within r_a + r_b + slack
// only if b's centre is within r_a + cell(b) of a's, so a report looks at the
// cells around it on its own level and the coarser ones; the finer report of
// a pair always finds the coarser one, and a pair on one level is reported
// once (by its first report). Longitudes do not wrap at 180 degrees.
// Reports too vague to match (Features::too_vague) are left out.
// Thread-safety: immutable once built; ForEachCandidate may run concurrently.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "features.h"

namespace truce::reconcile {

class CandidateIndex {
 public:
  CandidateIndex(const std::vector<Features>& features, int max_day_gap, double slack_m);

  // Calls `visit(j)` once for each j that may pair with `i` and that `i` is
  // responsible for reporting (see above). `seen` is scratch of size n that
  // the caller keeps per thread, zero at first; `stamp` must differ on every
  // call with the same scratch (i + 1 does).
  template <typename Visit>
  void ForEachCandidate(std::uint32_t i, std::vector<std::uint32_t>* seen, std::uint32_t stamp, Visit&& visit) const;

 private:
  static constexpr int kLevels = 7;
  static constexpr double kBaseCellDeg = 0.02;
  static constexpr int kLevelStep = 4;  // each level's cells this many times as wide as the one below
  static constexpr double kMetresPerDeg = 111195.0;  // along a meridian, mean sphere
  static int LevelOf(double reach_m);
  static double CellDeg(int level) {
    double d = kBaseCellDeg;
    for (int l = 0; l < level; ++l) d *= kLevelStep;
    return d;
  }
  static constexpr int kBlockShift = 4;  // cells are kept per block of 16 days: short lists to search
  static std::uint64_t Key(int level, std::int32_t block, std::int64_t cy, std::int64_t cx);
  // [begin, end) of entries_ with `key`; empty when absent.
  std::pair<std::uint32_t, std::uint32_t> Find(std::uint64_t key) const;

  const std::vector<Features>& features_;
  int max_day_gap_;
  double slack_m_;
  std::vector<std::uint8_t> level_;   // per report
  std::uint32_t levels_used_ = 0;     // bit L: some report on level L
  std::vector<std::uint32_t> members_;  // report indices, grouped by key, each cell by day
  std::vector<std::int32_t> days_;      // members_[k] is in its cell on days_[k]
  // members_[k]'s point and radius beside it, so that most cell-mates too far
  // away are passed over without touching their features.
  struct Where {
    float lat_deg, lon_deg, radius_m;
  };
  std::vector<Where> where_;
  // Open addressing: a cell's key and its members_[begin, end); key kEmpty
  // when the slot is free (no level reaches the top bits).
  struct Slot {
    std::uint64_t key;
    std::uint32_t begin, end;
  };
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};
  std::vector<Slot> table_;
  std::uint64_t mask_ = 0;
};

template <typename Visit>
void CandidateIndex::ForEachCandidate(std::uint32_t i, std::vector<std::uint32_t>* seen, std::uint32_t stamp,
                                      Visit&& visit) const {
  const Features& f = features_[i];
  if (f.too_vague) return;
  const int own = level_[i];
  const std::int32_t day_from = f.first_day - max_day_gap_, day_to = f.last_day + max_day_gap_;
  for (int level = own; level < kLevels; ++level) {
    if (!(levels_used_ & (1u << level))) continue;
    const double cell_deg = CellDeg(level);
    const double reach_deg = (f.radius_m + cell_deg * kMetresPerDeg) / kMetresPerDeg;
    const double lat_lo = f.lat_deg - reach_deg, lat_hi = f.lat_deg + reach_deg;
    const double max_abs_lat = std::min(89.9, std::max(std::fabs(lat_lo), std::fabs(lat_hi)));
    const double lon_reach = std::min(180.0, reach_deg / std::cos(max_abs_lat * 3.14159265358979323846 / 180));
    const std::int64_t cy0 = static_cast<std::int64_t>(std::floor(lat_lo / cell_deg));
    const std::int64_t cy1 = static_cast<std::int64_t>(std::floor(lat_hi / cell_deg));
    const std::int64_t cx0 = static_cast<std::int64_t>(std::floor((f.lon_deg - lon_reach) / cell_deg));
    const std::int64_t cx1 = static_cast<std::int64_t>(std::floor((f.lon_deg + lon_reach) / cell_deg));
    // The equirectangular bound with the smallest cosine in reach is below
    // the distance on the sphere; 10 % more keeps every pair within reach.
    const double cos_min = std::cos(max_abs_lat * 3.14159265358979323846 / 180);
    for (std::int32_t block = day_from >> kBlockShift; block <= (day_to >> kBlockShift); ++block)
    for (std::int64_t cy = cy0; cy <= cy1; ++cy) {
      for (std::int64_t cx = cx0; cx <= cx1; ++cx) {
        auto [b, e] = Find(Key(level, block, cy, cx));
        if (b == e) continue;
        std::uint32_t k = static_cast<std::uint32_t>(
            std::lower_bound(days_.begin() + b, days_.begin() + e, day_from) - days_.begin());
        for (; k < e && days_[k] <= day_to; ++k) {
          const Where& w = where_[k];
          const double limit_m = (f.radius_m + w.radius_m + slack_m_) * 1.1;
          const double dy = (f.lat_deg - w.lat_deg) * kMetresPerDeg, dx = (f.lon_deg - w.lon_deg) * kMetresPerDeg * cos_min;
          if (dx * dx + dy * dy > limit_m * limit_m) continue;
          const std::uint32_t j = members_[k];
          if (j == i || (level == own && j < i) || (*seen)[j] == stamp) continue;
          (*seen)[j] = stamp;
          visit(j);
        }
      }
    }
  }
}

}  // namespace truce::reconcile
