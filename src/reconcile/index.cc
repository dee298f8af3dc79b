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

std::uint64_t CandidateIndex::Key(int level, std::int32_t block, std::int64_t cy, std::int64_t cx) {
  // 4 bits level, 16 bits block of days, 22 bits each for the cell's row and
  // column. Blocks wrap every 2^20 days: a cell then lists days far off too,
  // which the search by day passes over.
  const std::uint64_t b = static_cast<std::uint64_t>(static_cast<std::uint32_t>(block)) & 0xffff;
  const std::uint64_t y = static_cast<std::uint64_t>(cy + (1 << 21)) & 0x3fffff;
  const std::uint64_t x = static_cast<std::uint64_t>(cx + (1 << 21)) & 0x3fffff;
  return (static_cast<std::uint64_t>(level) << 60) | (b << 44) | (y << 22) | x;
}

CandidateIndex::CandidateIndex(const std::vector<Features>& features, int max_day_gap, double slack_m)
    : features_(features), max_day_gap_(max_day_gap), slack_m_(slack_m) {
  const std::size_t n = features.size();
  level_.resize(n);
  struct Entry {
    std::uint64_t key;
    std::int32_t day;
    std::uint32_t report;
    bool operator<(const Entry& o) const {
      return key != o.key ? key < o.key : day != o.day ? day < o.day : report < o.report;
    }
  };
  std::vector<Entry> entries;
  entries.reserve(n + n / 8);
  for (std::size_t i = 0; i < n; ++i) {
    const Features& f = features[i];
    if (f.too_vague) continue;
    const int level = LevelOf(f.radius_m + slack_m_);
    level_[i] = static_cast<std::uint8_t>(level);
    levels_used_ |= 1u << level;
    const double cell_deg = CellDeg(level);
    const std::int64_t cy = static_cast<std::int64_t>(std::floor(f.lat_deg / cell_deg));
    const std::int64_t cx = static_cast<std::int64_t>(std::floor(f.lon_deg / cell_deg));
    for (std::int32_t day = f.first_day; day <= f.last_day; ++day) {
      entries.push_back({Key(level, day >> kBlockShift, cy, cx), day, static_cast<std::uint32_t>(i)});
    }
  }
  std::sort(entries.begin(), entries.end());
  members_.reserve(entries.size());
  days_.reserve(entries.size());
  where_.reserve(entries.size());
  std::vector<std::pair<std::uint64_t, std::uint32_t>> cells;  // key, first entry
  for (std::size_t k = 0; k < entries.size(); ++k) {
    if (k == 0 || entries[k].key != entries[k - 1].key) cells.emplace_back(entries[k].key, static_cast<std::uint32_t>(k));
    members_.push_back(entries[k].report);
    days_.push_back(entries[k].day);
    const Features& f = features[entries[k].report];
    where_.push_back({static_cast<float>(f.lat_deg), static_cast<float>(f.lon_deg), static_cast<float>(f.radius_m)});
  }
  std::size_t capacity = 16;
  while (capacity < cells.size() * 2) capacity *= 2;
  table_.assign(capacity, Slot{kEmpty, 0, 0});
  mask_ = capacity - 1;
  for (std::size_t c = 0; c < cells.size(); ++c) {
    const std::uint32_t end = c + 1 < cells.size() ? cells[c + 1].second : static_cast<std::uint32_t>(entries.size());
    std::uint64_t slot = Mix(cells[c].first) & mask_;
    while (table_[slot].key != kEmpty) slot = (slot + 1) & mask_;
    table_[slot] = Slot{cells[c].first, cells[c].second, end};
  }
}

std::pair<std::uint32_t, std::uint32_t> CandidateIndex::Find(std::uint64_t key) const {
  std::uint64_t slot = Mix(key) & mask_;
  for (;;) {
    const Slot& s = table_[slot];
    if (s.key == key) return {s.begin, s.end};
    if (s.key == kEmpty) return {0, 0};
    slot = (slot + 1) & mask_;
  }
}

}  // namespace truce::reconcile
