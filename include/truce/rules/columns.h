// Incidents as columns for bulk ruling: what the Ruler reads of each incident
// (id, day or instant, point, radius, act, actors, location, confidence) in
// arrays of numbers, with the act and the names as small ids into tables of
// their distinct values: about 90 bytes an incident instead of a
// model::Report's kilobyte, and the act and actors are looked up once per
// distinct value (ColumnLookups) instead of once per incident.
// Thread-safety: not synchronised; once filled, read it from many threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "truce/model/model.h"
#include "truce/rules/rules.h"

namespace truce::rules {

class IncidentColumns {
 public:
  // Appends one row: what ruling reads of `r` (its strings are copied into
  // the tables).
  void Add(const model::Report& r);
  // Forgets the rows; the tables of distinct values stay (ids stay valid), so
  // that a ColumnLookups built for earlier batches only grows.
  void ClearRows();
  std::size_t size() const { return id_.size(); }
  // The row as Ruler::Decide reads an incident; views into this table.
  IncidentView View(std::size_t row) const;

  std::int64_t id(std::size_t row) const { return id_[row]; }
  geo::LatLon point(std::size_t row) const { return point_[row]; }
  double uncertainty_m(std::size_t row) const { return uncertainty_m_[row]; }
  // Index into acts(): the row's (event type, sub-type).
  std::uint32_t act(std::size_t row) const { return act_[row]; }
  // Ids into names() ("" is 0): actor1, assoc_actor1, actor2, assoc_actor2.
  std::uint32_t actor(std::size_t row, int which) const { return actors_[row * 4 + which]; }
  const std::vector<std::pair<std::string, std::string>>& acts() const { return acts_; }
  const std::vector<std::string>& names() const { return names_; }

 private:
  std::uint32_t Intern(std::unordered_map<std::string, std::uint32_t>* ids, std::vector<std::string>* values,
                       const std::string& s);

  std::vector<std::int64_t> id_;
  std::vector<geo::LatLon> point_;
  std::vector<double> uncertainty_m_;
  std::vector<std::int32_t> first_day_, last_day_;  // days since 1970-01-01
  std::vector<time::TimePrecision> precision_;
  std::vector<std::int64_t> exact_s_;  // seconds since the epoch; kNoExact when unknown
  std::vector<std::uint32_t> act_;
  std::vector<std::uint32_t> actors_;  // four a row
  std::vector<std::uint32_t> location_;
  std::vector<double> confidence_;

  std::vector<std::pair<std::string, std::string>> acts_;
  std::unordered_map<std::string, std::uint32_t> act_ids_;  // type "\n" sub-type
  std::vector<std::string> names_;
  std::unordered_map<std::string, std::uint32_t> name_ids_;
  std::vector<std::string> locations_;
  std::unordered_map<std::string, std::uint32_t> location_ids_;
};

// What a Ruler looks up once per distinct act and name of an IncidentColumns
// (Ruler::Prepare fills and extends it): the prohibited act each act matches
// per prohibition, the actor each name resolves to per agreement.
struct ColumnLookups {
  std::size_t acts = 0, names = 0;  // how many of the table's values are prepared
  std::vector<std::int16_t> act_pattern;           // [act * prohibitions + p]: index in `prohibits`, or -1
  std::vector<std::uint8_t> act_prohibited;        // [act]: whether any prohibition prohibits it
  std::vector<const model::Actor*> actor;          // [name * agreements + a]
};

}  // namespace truce::rules
