// SegmentSet: exact nearest-segment queries over many geodesic segments, with a
// fast path of rigorous bounds from 3-D chords.
//
// For each segment, cut into pieces of at most kPieceM along the geodesic, and a
// point p with chord distance c to a piece's chord and arc-chord deviation h:
//   lower bound  c - h                     (geodesic >= chord; arc within h of chord)
//   upper bound  2R asin((c + h) / 2R)     (some arc point within h of the nearest
//                                           chord point; Schur's chord bound)
// with R the smallest radius of curvature of WGS84. With 2 km pieces h < 8 cm, so
// only points within centimetres of a threshold need the geodesic solver.
#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/GeodesicLine.hpp>

#include <algorithm>
#include <cmath>

#include "geo_internal.h"

namespace truce::geo::detail {

namespace {
constexpr double kPieceM = 2000;
constexpr double kInf = std::numeric_limits<double>::infinity();
}  // namespace

void SegmentSet::AddPolyline(const std::vector<LatLon>& line) {
  for (size_t i = 0; i + 1 < line.size(); ++i) AddSegment(line[i], line[i + 1]);
}

void SegmentSet::AddSegment(LatLon a, LatLon b) {
  Segment seg = MakeSegment(a, b);
  Entry entry;
  entry.first_piece = static_cast<int>(pieces_.size());
  const int n = std::max(1, static_cast<int>(std::ceil(seg.length_m / kPieceM)));
  const double piece_m = seg.length_m / n;
  std::vector<LatLon> points{a};
  if (n > 1) {
    const GeographicLib::GeodesicLine line = GeographicLib::Geodesic::WGS84().InverseLine(
        a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg,
        GeographicLib::Geodesic::LATITUDE | GeographicLib::Geodesic::LONGITUDE |
            GeographicLib::Geodesic::DISTANCE_IN);
    for (int i = 1; i < n; ++i) {
      LatLon q;
      line.Position(piece_m * i, q.lat_deg, q.lon_deg);
      points.push_back(q);
    }
  }
  points.push_back(b);
  BBox box;
  Vec3 prev = seg.a_ecef;
  for (int i = 1; i <= n; ++i) {
    const Vec3 next = (i == n) ? seg.b_ecef : ToEcef(points[i]);
    pieces_.push_back({prev, next, ArcChordDeviationM(piece_m)});
    prev = next;
  }
  for (const LatLon& q : points) box.Extend(q);
  // Every arc point is within piece_m / 2 (along the arc) of a piece end.
  box = box.Expanded(piece_m / 2 + 1e-3);
  entry.end_piece = static_cast<int>(pieces_.size());
  entry.centre = 0.5 * (seg.a_ecef + seg.b_ecef);
  entry.radius_m = Norm(seg.b_ecef - seg.a_ecef) / 2 + ArcChordDeviationM(seg.length_m) + kBoundSlackM;
  if (box.min_lat_deg <= box.max_lat_deg) {
    bbox_.Extend({box.min_lat_deg, box.min_lon_deg});
    bbox_.Extend({box.max_lat_deg, box.max_lon_deg});
  }
  segments_.push_back(seg);
  entries_.push_back(entry);
}

SegmentSet::Hit SegmentSet::Nearest(LatLon p) const {
  Hit hit;
  if (segments_.empty()) return hit;
  const Vec3 pe = ToEcef(p);
  // Pass 1: the best upper bound over all pieces.
  double best_ub = kInf;
  for (const Entry& e : entries_) {
    if (Norm(pe - e.centre) - e.radius_m > best_ub) continue;
    for (int k = e.first_piece; k < e.end_piece; ++k) {
      const Piece& pc = pieces_[k];
      const double c = DistanceToChord(pe, pc.a, pc.b);
      best_ub = std::min(best_ub, GeodesicUpperBoundFromChord(c + pc.deviation_m) + kBoundSlackM);
    }
  }
  // Pass 2: solve exactly only segments whose lower bound can beat the best.
  double best = kInf;
  for (size_t i = 0; i < entries_.size(); ++i) {
    const Entry& e = entries_[i];
    const double limit = std::min(best_ub, best);
    if (Norm(pe - e.centre) - e.radius_m > limit) continue;
    double lb = kInf;
    for (int k = e.first_piece; k < e.end_piece; ++k) {
      const Piece& pc = pieces_[k];
      lb = std::min(lb, DistanceToChord(pe, pc.a, pc.b) - pc.deviation_m - kBoundSlackM);
    }
    if (lb > limit) continue;
    SegmentFoot foot = SolveSegment(segments_[i], p, pe);
    if (foot.distance_m < best) {
      best = foot.distance_m;
      hit.segment = static_cast<int>(i);
      hit.foot = foot;
    }
  }
  return hit;
}

bool SegmentSet::Within(LatLon p, double threshold_m) const {
  if (segments_.empty() || !(threshold_m >= 0)) return false;
  const Vec3 pe = ToEcef(p);
  bool uncertain = false;
  for (const Entry& e : entries_) {
    if (Norm(pe - e.centre) - e.radius_m > threshold_m) continue;
    for (int k = e.first_piece; k < e.end_piece; ++k) {
      const Piece& pc = pieces_[k];
      const double c = DistanceToChord(pe, pc.a, pc.b);
      if (GeodesicUpperBoundFromChord(c + pc.deviation_m) + kBoundSlackM <= threshold_m) return true;
      if (c - pc.deviation_m - kBoundSlackM <= threshold_m) uncertain = true;
    }
  }
  if (!uncertain) return false;
  for (size_t i = 0; i < entries_.size(); ++i) {
    const Entry& e = entries_[i];
    if (Norm(pe - e.centre) - e.radius_m > threshold_m) continue;
    bool near = false;
    for (int k = e.first_piece; k < e.end_piece && !near; ++k) {
      const Piece& pc = pieces_[k];
      near = DistanceToChord(pe, pc.a, pc.b) - pc.deviation_m - kBoundSlackM <= threshold_m;
    }
    if (near && SolveSegment(segments_[i], p, pe).distance_m <= threshold_m) return true;
  }
  return false;
}

}  // namespace truce::geo::detail
