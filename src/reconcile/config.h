// The matcher's configuration as parsed from matching.yaml (docs/reconcile.md),
// and the name folding every comparison of names uses. Internal to reconcile.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "truce/reconcile/reconcile.h"

namespace truce::reconcile {

struct DatasetRule {
  bool curated = false;      // its rows with different ids are never in one incident
  bool observation = false;  // a monitor's own observation: support "observed"
  std::string grade;         // "A".."F"
  // Its dates are of the news, up to this many days after the happening
  // (GDELT's SQLDATE): the report's window reaches back this far.
  int date_lag_days = 0;
  // false: it counts no deaths (GDELT), so its 0 is "unknown", not "none".
  bool counts_fatalities = true;
  // false: its actor names are free text read from articles ("fighters",
  // "Turkish soldiers"), not a coded list: they never veto a pair.
  bool coded_actors = true;
};

// A group of classifications that can describe one happening.
struct TypeGroup {
  std::string name;
  std::vector<std::pair<std::string, std::string>> acled;  // event type, sub-event type ("" = any)
  std::vector<int> ucdp;                                    // type_of_violence
  std::vector<std::string> cameo;                           // code prefixes
};

// One actor as datasets spell it: folded names, and patterns whose "{}" must
// capture the same words on both sides.
struct ActorSet {
  std::vector<std::string> names;
  std::vector<std::pair<std::string, std::string>> patterns;  // folded prefix, folded suffix
};

struct Config {
  // score
  double weight_distance = 0.35, weight_time = 0.15, weight_type = 0.25, weight_actors = 0.15,
         weight_fatalities = 0.10;
  double threshold = 0.70;
  double neutral = 0.5;
  // Complete linkage: two groups join only when every pair across them is
  // allowed and scores at least this (0: single linkage). Keeps a vague
  // report from chaining two happenings it is each close to.
  double group_floor = 0;
  // The distance part when one point lies within the other report's radius:
  // at least this. A province's centroid cannot tell a town 40 km off from
  // one 10 km off; the linear part would count the vagueness against it.
  double within_radius = 0;
  // candidates
  int max_day_gap = 2;
  double distance_slack_m = 2000;
  double max_radius_m = 100000;  // wider: too vague to match (an analyst may link it)
  // datasets
  std::map<std::string, DatasetRule> datasets;
  std::string default_grade = "F";
  std::map<std::string, std::string> source_grades;  // folded outlet / claimant name -> grade
  std::vector<std::string> type_from;                // datasets, most specific first
  // event types
  double type_same = 1.0, type_same_type = 0.7, type_compatible = 0.9, type_related = 0.5, type_unrelated = 0.0;
  std::vector<TypeGroup> type_groups;  // at most 64
  std::map<std::string, std::string> acled_names, ucdp_names, cameo_names;
  // actors
  std::vector<std::string> unknown_actors;  // folded
  std::vector<ActorSet> actor_sets;
  // CAMEO actor codes (country + role): the role's name pattern, "{}" the
  // report's country when the code's country is the report's ("KENCOP" in
  // Kenya: "Police Forces of Kenya"); a name without "{}" as it is.
  // A role may name differently by the event's CAMEO code: OPP in 145
  // ("protest violently, riot") is ACLED's rioters. Longest prefix wins;
  // the prefix "" is any event.
  std::map<std::string, std::vector<std::pair<std::string, std::string>>> cameo_roles;
  // Two reports whose actors are all identified and have none in common are
  // never merged (a riot beside a protest, a clan clash beside an army
  // operation): place, day and type alone do not make them one happening.
  bool disjoint_veto = false;
  // Spellings of one country (folded) -> the first spelling (folded): what a
  // pattern's "{}" captured is compared through it.
  std::map<std::string, std::string> country_alias;

  double WeightSum() const {
    return weight_distance + weight_time + weight_type + weight_actors + weight_fatalities;
  }
  bool Curated(std::string_view dataset) const;
  bool Observation(std::string_view dataset) const;
  // A report's grade: its named source's (news), else its dataset's, else the default.
  std::string GradeOf(const model::Report& r) const;
  // The grade of a named outlet or claimant, "" when not named in the config.
  std::string SourceGrade(std::string_view name) const;
  const DatasetRule* Dataset(std::string_view dataset) const;
  // Position in type_from (smaller: more specific); type_from.size() when absent.
  int Specificity(std::string_view dataset) const;
};

// Names as compared: ASCII lower case, a trailing "(...)" dropped, runs of
// punctuation and spaces one space, trimmed. "Civilians (Syria)" -> "civilians".
std::string FoldName(std::string_view name);

// "ACLED", "UCDP", "GDELT", "GeoJSON", "news"; other datasets as given.
std::string DatasetLabel(std::string_view dataset);

}  // namespace truce::reconcile
