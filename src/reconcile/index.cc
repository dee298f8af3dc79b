// The candidate index: reports by (level, day, cell) in one sorted array,
// found through an open-addressing table (index.h says how pairs are found).
#include "index.h"

namespace truce::reconcile {

namespace {

std::uint64_t Mix(std::uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  return k;
}

}  // namespace

int CandidateIndex::LevelOf(double reach_m) {
  int level = 0;
  while (level + 1 < kLevels && CellDeg(level) * kMetresPerDeg < reach_m) ++level;
  return level;
}

std::uint64_t CandidateIndex::Key(int level, std::int32_t day, std::int64_t cy, std::int64_t cx) const {
  // 4 bits level, 22 bits day, 19 bits each for the cell's row and column.
  const std::uint64_t d = static_cast<std::uint64_t>(day + (1 << 21)) & 0x3fffff;
  const std::uint64_t y = static_cast<std::uint64_t>(cy + (1 << 18)) & 0x7ffff;
  const std::uint64_t x = static_cast<std::uint64_t>(cx + (1 << 18)) & 0x7ffff;
  return (static_cast<std::uint64_t>(level) << 60) | (d << 38) | (y << 19) | x;
}

CandidateIndex::CandidateIndex(const std::vector<Features>& features, int max_day_gap, double slack_m)
    : features_(features), max_day_gap_(max_day_gap), slack_m_(slack_m) {
  const std::size_t n = features.size();
  level_.resize(n);
  std::vector<std::pair<std::uint64_t, std::uint32_t>> entries;
  entries.reserve(n + n / 8);
  for (std::size_t i = 0; i < n; ++i) {
    const Features& f = features[i];
    const int level = LevelOf(f.radius_m + slack_m_);
    level_[i] = static_cast<std::uint8_t>(level);
    levels_used_ |= 1u << level;
    const double cell_deg = CellDeg(level);
    const std::int64_t cy = static_cast<std::int64_t>(std::floor(f.lat_deg / cell_deg));
    const std::int64_t cx = static_cast<std::int64_t>(std::floor(f.lon_deg / cell_deg));
    for (std::int32_t day = f.first_day; day <= f.last_day; ++day) {
      entries.emplace_back(Key(level, day, cy, cx), static_cast<std::uint32_t>(i));
    }
  }
  std::sort(entries.begin(), entries.end());
  members_.reserve(entries.size());
  for (std::size_t k = 0; k < entries.size(); ++k) {
    if (k == 0 || entries[k].first != entries[k - 1].first) {
      keys_.push_back(entries[k].first);
      starts_.push_back(static_cast<std::uint32_t>(k));
    }
    members_.push_back(entries[k].second);
  }
  starts_.push_back(static_cast<std::uint32_t>(entries.size()));
  std::size_t capacity = 16;
  while (capacity < keys_.size() * 2) capacity *= 2;
  table_.assign(capacity, 0);
  mask_ = capacity - 1;
  for (std::size_t k = 0; k < keys_.size(); ++k) {
    std::uint64_t slot = Mix(keys_[k]) & mask_;
    while (table_[slot] != 0) slot = (slot + 1) & mask_;
    table_[slot] = static_cast<std::uint32_t>(k + 1);
  }
}

std::pair<std::uint32_t, std::uint32_t> CandidateIndex::Find(std::uint64_t key) const {
  std::uint64_t slot = Mix(key) & mask_;
  for (;;) {
    const std::uint32_t k = table_[slot];
    if (k == 0) return {0, 0};
    if (keys_[k - 1] == key) return {starts_[k - 1], starts_[k]};
    slot = (slot + 1) & mask_;
  }
}

}  // namespace truce::reconcile
