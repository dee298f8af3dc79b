#include "truce/rules/columns.h"

#include <limits>

namespace truce::rules {
namespace {

constexpr std::int64_t kNoExact = std::numeric_limits<std::int64_t>::min();

}  // namespace

std::uint32_t IncidentColumns::Intern(std::unordered_map<std::string, std::uint32_t>* ids,
                                      std::vector<std::string>* values, const std::string& s) {
  auto [it, inserted] = ids->emplace(s, static_cast<std::uint32_t>(values->size()));
  if (inserted) values->push_back(s);
  return it->second;
}

void IncidentColumns::Add(const model::Report& r) {
  if (names_.empty()) {  // "" is id 0 in both tables
    Intern(&name_ids_, &names_, "");
    Intern(&location_ids_, &locations_, "");
  }
  id_.push_back(r.id);
  point_.push_back(r.point);
  uncertainty_m_.push_back(r.uncertainty_m);
  first_day_.push_back(static_cast<std::int32_t>(r.time.first_day.time_since_epoch().count()));
  last_day_.push_back(static_cast<std::int32_t>(r.time.last_day.time_since_epoch().count()));
  precision_.push_back(r.time.precision);
  exact_s_.push_back(r.time.exact ? r.time.exact->time_since_epoch().count() : kNoExact);
  std::string act_key = r.event_type;
  act_key += '\n';
  act_key += r.sub_event_type;
  auto [act, inserted] = act_ids_.emplace(std::move(act_key), static_cast<std::uint32_t>(acts_.size()));
  if (inserted) acts_.emplace_back(r.event_type, r.sub_event_type);
  act_.push_back(act->second);
  for (const std::string* name : {&r.actor1, &r.assoc_actor1, &r.actor2, &r.assoc_actor2}) {
    actors_.push_back(Intern(&name_ids_, &names_, *name));
  }
  location_.push_back(Intern(&location_ids_, &locations_, r.location));
  confidence_.push_back(r.confidence);
}

void IncidentColumns::ClearRows() {
  for (auto* v : {&id_, &exact_s_}) v->clear();
  point_.clear();
  uncertainty_m_.clear();
  confidence_.clear();
  first_day_.clear();
  last_day_.clear();
  precision_.clear();
  act_.clear();
  actors_.clear();
  location_.clear();
}

IncidentView IncidentColumns::View(std::size_t row) const {
  IncidentView v;
  v.id = id_[row];
  v.time.first_day = time::Days{std::chrono::days{first_day_[row]}};
  v.time.last_day = time::Days{std::chrono::days{last_day_[row]}};
  v.time.precision = precision_[row];
  if (exact_s_[row] != kNoExact) v.time.exact = time::Instant{std::chrono::seconds{exact_s_[row]}};
  v.point = point_[row];
  v.uncertainty_m = uncertainty_m_[row];
  const auto& [type, sub_type] = acts_[act_[row]];
  v.event_type = type;
  v.sub_event_type = sub_type;
  v.actor1 = names_[actors_[row * 4]];
  v.assoc_actor1 = names_[actors_[row * 4 + 1]];
  v.actor2 = names_[actors_[row * 4 + 2]];
  v.assoc_actor2 = names_[actors_[row * 4 + 3]];
  v.location = locations_[location_[row]];
  v.confidence = confidence_[row];
  return v;
}

}  // namespace truce::rules
