// What the daily report's renderings (Markdown, JSON, HTML) share: the counts
// and comparisons, computed once so that every format shows the same numbers.
// Internal to the report module.
#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

#include "truce/report/report.h"

namespace truce::report::internal {

// The finding statuses in the order every rendering lists them.
inline constexpr std::array<const char*, 5> kStatuses = {"violation", "undetermined", "exempt", "no_violation",
                                                         "outside_scope"};

// Violations of one side in one area (admin1, else location) on the day and
// the day before.
struct SideAreaCount {
  std::string side;  // empty when the finding names no side
  std::string guarantor;
  std::string area;
  int day = 0;
  int previous_day = 0;
};

// One obligation as the report tables show it.
struct ObligationLine {
  std::string provision;  // the article, else the provision id
  std::string kind;       // empty when the provision is unknown
  std::string state;
  std::string due;        // local time in the agreement's zone, empty if none
  std::string reason;
};

struct DailySummary {
  std::string day;           // YYYY-MM-DD
  std::string previous_day;  // YYYY-MM-DD
  std::string entry_into_force;  // local, in the agreement's zone
  std::map<std::string, int> counts_day;       // status name -> findings (absent = 0)
  std::map<std::string, int> counts_previous;  // ... the day before
  std::vector<SideAreaCount> violations;       // sorted by (side, area); empty when none on either day
  // Incidents with a violation, by their support ("single", "corroborated",
  // "observed"; every level present, 0 when none).
  std::map<std::string, int> support_day, support_previous;
  std::vector<ObligationLine> obligations;     // in the input's order
  // When it is in force, once extended or renewed (empty otherwise), a line
  // each: "2023-11-28 07:00 EET to 2023-11-30 07:00 EET: extension gaza-ext-1";
  // lapses between periods as lines of their own.
  std::vector<std::string> periods;
};

// REQUIRES: in.agreement != nullptr.
DailySummary Summarize(const DailyInput& in);

// "+2", "-1", "0".
std::string Signed(int d);

// Who reported an incident, for the list of incidents: "ACLED SYR1" for one
// report, else the finding's reported_by and support.
std::string SourcesOf(const store::FindingRow& r);

// An incident's place for the list of incidents: the location, else "(no place)".
std::string PlaceOf(const store::FindingRow& r);

}  // namespace truce::report::internal
