// Routes: length, position along, coverage by a track, slices.
#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/GeodesicLine.hpp>

#include <algorithm>
#include <cmath>

#include "geo_internal.h"
#include "truce/geo/geo.h"

namespace truce::geo {

namespace {

// The point `s_m` along the geodesic a->b.
LatLon PointAlong(LatLon a, LatLon b, double s_m) {
  if (s_m <= 0) return a;  // vertices come back exactly
  const GeographicLib::GeodesicLine line = GeographicLib::Geodesic::WGS84().InverseLine(
      a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg,
      GeographicLib::Geodesic::LATITUDE | GeographicLib::Geodesic::LONGITUDE | GeographicLib::Geodesic::DISTANCE_IN);
  LatLon out;
  line.Position(s_m, out.lat_deg, out.lon_deg);
  return out;
}

}  // namespace

Route::Route(LineString line) : line_(std::move(line)) {
  auto segments = std::make_shared<detail::SegmentSet>();
  segments->AddPolyline(line_);
  cumulative_m_.push_back(0);
  for (int i = 0; i < segments->size(); ++i) {
    length_m_ += segments->segment(i).length_m;
    cumulative_m_.push_back(length_m_);
  }
  segments_ = std::move(segments);
}

double Route::AlongM(LatLon p) const {
  const detail::SegmentSet::Hit hit = segments_->Nearest(p);
  if (hit.segment < 0) return 0;
  return std::min(length_m_, cumulative_m_[hit.segment] + hit.foot.along_m);
}

// Samples at 0, step, 2 step, ..., and the end; each sample stands for the
// route within half the gap to its neighbours (midpoint rule), so a covered run
// of samples k..l covers [midpoint(k-1, k), midpoint(l, l+1)], clipped to the route.
std::vector<std::pair<double, double>> Route::CoveredIntervals(const LineString& track, double tolerance_m,
                                                               double step_m) const {
  std::vector<std::pair<double, double>> out;
  if (line_.empty() || track.empty() || !(step_m > 0) || !(tolerance_m >= 0)) return out;
  detail::SegmentSet near;
  near.AddPolyline(track);
  if (track.size() == 1) near.AddSegment(track[0], track[0]);
  const BBox box = near.bbox().Expanded(tolerance_m);

  std::vector<double> samples;
  const long long n = static_cast<long long>(std::floor(length_m_ / step_m));
  for (long long k = 0; k <= n; ++k) samples.push_back(std::min(length_m_, k * step_m));
  if (samples.back() < length_m_) samples.push_back(length_m_);

  size_t seg = 0;
  bool in_run = false;
  for (size_t k = 0; k < samples.size(); ++k) {
    const double s = samples[k];
    while (seg + 2 < cumulative_m_.size() && cumulative_m_[seg + 1] < s) ++seg;
    LatLon q = line_[0];
    if (line_.size() >= 2) q = PointAlong(line_[seg], line_[seg + 1], s - cumulative_m_[seg]);
    const bool covered = box.Contains(q) && near.Within(q, tolerance_m);
    const double lo = k == 0 ? 0 : (samples[k - 1] + s) / 2;
    const double hi = k + 1 == samples.size() ? length_m_ : (s + samples[k + 1]) / 2;
    if (covered) {
      if (in_run) {
        out.back().second = hi;
      } else {
        out.emplace_back(lo, hi);
      }
    }
    in_run = covered;
  }
  return out;
}

double Route::CoveredFraction(const LineString& track, double tolerance_m, double step_m) const {
  if (!(length_m_ > 0)) return 0;
  double covered = 0;
  for (const auto& [from, to] : CoveredIntervals(track, tolerance_m, step_m)) covered += to - from;
  return std::clamp(covered / length_m_, 0.0, 1.0);
}

LineString Route::Slice(double from_m, double to_m) const {
  LineString out;
  if (line_.empty()) return out;
  from_m = std::clamp(from_m, 0.0, length_m_);
  to_m = std::clamp(to_m, 0.0, length_m_);
  if (from_m > to_m) return out;
  auto point_at = [&](double s) {
    if (line_.size() < 2) return line_[0];
    if (s >= length_m_) return line_.back();
    size_t seg = std::upper_bound(cumulative_m_.begin(), cumulative_m_.end(), s) - cumulative_m_.begin();
    seg = std::clamp<size_t>(seg, 1, line_.size() - 1) - 1;
    return PointAlong(line_[seg], line_[seg + 1], s - cumulative_m_[seg]);
  };
  out.push_back(point_at(from_m));
  for (size_t i = 1; i + 1 < line_.size(); ++i) {
    if (cumulative_m_[i] > from_m && cumulative_m_[i] < to_m) out.push_back(line_[i]);
  }
  out.push_back(point_at(to_m));
  return out;
}

}  // namespace truce::geo
