#include <nlohmann/json.hpp>

#include <cstdio>
#include <set>
#include <sstream>

#include "daily_internal.h"
#include "truce/core/utf8.h"
#include "truce/report/report.h"

namespace truce::report {
namespace internal {
namespace {

using model::FindingStatus;

std::string Area(const store::FindingRow& r) {
  if (!r.admin1.empty()) return r.admin1;
  return r.location.empty() ? "(unknown area)" : r.location;
}

// (side, area) -> violations
std::map<std::pair<std::string, std::string>, int> ViolationsBySideArea(const std::vector<store::FindingRow>& rows) {
  std::map<std::pair<std::string, std::string>, int> out;
  for (const auto& r : rows) {
    if (r.finding.status == FindingStatus::kViolation) ++out[{r.finding.side, Area(r)}];
  }
  return out;
}

std::map<std::string, int> CountByStatus(const std::vector<store::FindingRow>& rows) {
  std::map<std::string, int> out;
  for (const char* s : kStatuses) out[s] = 0;
  for (const auto& r : rows) ++out[model::FindingStatusName(r.finding.status)];
  return out;
}

// support -> incidents with a violation that day.
std::map<std::string, int> ViolationsBySupport(const std::vector<store::FindingRow>& rows) {
  std::map<std::string, int> out;
  for (auto level : {model::Support::kSingle, model::Support::kCorroborated, model::Support::kObserved}) {
    out[model::SupportName(level)] = 0;
  }
  std::set<std::int64_t> counted;
  for (const auto& r : rows) {
    if (r.finding.status != FindingStatus::kViolation || !counted.insert(r.finding.incident_id).second) continue;
    ++out[model::SupportName(r.finding.support)];
  }
  return out;
}

std::string GuarantorOf(const model::Agreement& a, const std::string& side) {
  auto it = a.sides.find(side);
  return it == a.sides.end() ? "" : it->second.guarantor;
}

}  // namespace

std::string Signed(int d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%+d", d);
  return d == 0 ? "0" : buf;
}

std::string SourcesOf(const store::FindingRow& r) {
  if (r.finding.sources <= 1) return r.dataset + " " + r.source_id;
  return r.finding.reported_by + "; " + model::SupportName(r.finding.support);
}

std::string PlaceOf(const store::FindingRow& r) { return r.location.empty() ? "(no place)" : r.location; }

DailySummary Summarize(const DailyInput& in) {
  const model::Agreement& a = *in.agreement;
  DailySummary s;
  s.day = time::FormatDate(in.day);
  s.previous_day = time::FormatDate(in.day - std::chrono::days{1});
  s.entry_into_force = time::FormatLocal(a.entry_into_force, a.timezone);
  for (size_t i = 0; a.periods.size() > 1 && i < a.periods.size(); ++i) {
    const model::InForcePeriod& p = a.periods[i];
    if (i > 0 && a.periods[i - 1].until && *a.periods[i - 1].until < p.from) {
      s.periods.push_back("lapsed from " + time::FormatLocal(*a.periods[i - 1].until, a.timezone) + " to " +
                          time::FormatLocal(p.from, a.timezone));
    }
    std::string line = time::FormatLocal(p.from, a.timezone) + " to " +
                       (p.until ? time::FormatLocal(*p.until, a.timezone) : std::string("open")) + ": " +
                       (!p.extension ? std::string("its own term")
                                     : p.by.empty() ? std::string("extension") : "extension " + p.by);
    if (p.signed_on) line += ", signed " + time::FormatDate(*p.signed_on);
    s.periods.push_back(std::move(line));
  }
  s.counts_day = CountByStatus(in.today);
  s.counts_previous = CountByStatus(in.previous);

  s.support_day = ViolationsBySupport(in.today);
  s.support_previous = ViolationsBySupport(in.previous);
  auto vnow = ViolationsBySideArea(in.today), vbefore = ViolationsBySideArea(in.previous);
  std::set<std::pair<std::string, std::string>> keys;
  for (const auto& [k, n] : vnow) keys.insert(k);
  for (const auto& [k, n] : vbefore) keys.insert(k);
  for (const auto& k : keys) {
    auto now = vnow.find(k), before = vbefore.find(k);
    s.violations.push_back({k.first, GuarantorOf(a, k.first), k.second, now == vnow.end() ? 0 : now->second,
                            before == vbefore.end() ? 0 : before->second});
  }

  for (const auto& o : in.obligations) {
    const model::Provision* p = a.FindProvision(o.provision_id);
    ObligationLine line;
    line.provision = p && !p->article.empty() ? p->article : o.provision_id;
    line.kind = p ? model::ObligationKindName(p->obligation) : "";
    line.state = model::ObligationStateName(o.state);
    line.due = p && p->due ? time::FormatLocal(*p->due, a.timezone) : "";
    line.reason = o.reason;
    s.obligations.push_back(std::move(line));
  }
  return s;
}

}  // namespace internal

std::string DailyMarkdown(const DailyInput& in) {
  using internal::Signed;
  // Stored text, one line each: repaired, control characters escaped.
  auto T = [](std::string_view s) { return EscapeControls(s); };
  const model::Agreement& a = *in.agreement;
  const internal::DailySummary s = internal::Summarize(in);
  std::ostringstream out;
  const std::string& day = s.day;
  const std::string& prev = s.previous_day;
  out << "# Daily report: " << T(a.title) << "\n\n";
  out << "- Agreement: `" << T(a.id) << "`\n";
  out << "- Day: " << day << " (" << T(a.timezone) << "), compared with " << prev << "\n";
  out << "- Entry into force: " << T(s.entry_into_force) << "\n";
  if (!s.periods.empty()) {
    out << "- In force:\n";
    for (const std::string& line : s.periods) out << "  - " << T(line) << "\n";
  }
  out << "\n";

  out << "## Findings\n\n| status | " << day << " | " << prev << " | change |\n|---|---:|---:|---:|\n";
  for (const char* st : internal::kStatuses) {
    int n = s.counts_day.at(st), p = s.counts_previous.at(st);
    out << "| " << st << " | " << n << " | " << p << " | " << Signed(n - p) << " |\n";
  }

  out << "\n## Violations by side and area\n\n";
  if (s.violations.empty()) {
    out << "No violations on either day.\n";
  } else {
    out << "| side | guarantor | area | " << day << " | " << prev << " | change |\n|---|---|---|---:|---:|---:|\n";
    for (const auto& v : s.violations) {
      out << "| " << (v.side.empty() ? "(none)" : T(v.side)) << " | " << T(v.guarantor) << " | " << T(v.area) << " | " << v.day
          << " | " << v.previous_day << " | " << Signed(v.day - v.previous_day) << " |\n";
    }
  }

  out << "\n## Violations by support\n\nIncidents with a violation, by how well they are supported: one source,\n"
         "two or more independent sources (corroborated), or a monitor's own observation (observed).\n\n";
  out << "| support | " << day << " | " << prev << " | change |\n|---|---:|---:|---:|\n";
  for (const auto& [level, n] : s.support_day) {
    const int p = s.support_previous.at(level);
    out << "| " << level << " | " << n << " | " << p << " | " << Signed(n - p) << " |\n";
  }

  out << "\n## Incidents on " << day << "\n\n";
  if (in.today.empty()) out << "No incidents with findings.\n";
  for (const auto& r : in.today) {
    out << "- **" << model::FindingStatusName(r.finding.status) << "** (" << T(r.finding.provision_id) << ") "
        << T(internal::PlaceOf(r)) << ", " << T(r.event_type);
    if (!r.sub_event_type.empty()) out << " / " << T(r.sub_event_type);
    out << ", " << r.fatalities << " killed [" << T(internal::SourcesOf(r)) << "]: " << T(r.finding.reason)
        << "\n";
  }

  out << "\n## Obligations as of the end of " << day << "\n\n";
  if (s.obligations.empty()) {
    out << "None.\n";
  } else {
    out << "| provision | kind | status | due | reason |\n|---|---|---|---|---|\n";
    for (const auto& o : s.obligations) {
      out << "| " << T(o.provision) << " | " << o.kind << " | " << o.state << " | " << T(o.due) << " | " << T(o.reason)
          << " |\n";
    }
  }
  return out.str();
}

std::string DailyJson(const DailyInput& in) {
  const model::Agreement& a = *in.agreement;
  const internal::DailySummary s = internal::Summarize(in);
  nlohmann::json j;
  j["agreement"] = a.id;
  j["title"] = a.title;
  j["day"] = s.day;
  j["previous_day"] = s.previous_day;
  if (!s.periods.empty()) j["in_force"] = s.periods;  // only once extended or renewed
  for (const char* st : internal::kStatuses) {
    j["counts"][st] = {{"day", s.counts_day.at(st)}, {"previous_day", s.counts_previous.at(st)}};
  }
  j["violations"] = nlohmann::json::array();
  for (const auto& v : s.violations) {
    j["violations"].push_back({{"side", v.side},
                               {"guarantor", v.guarantor},
                               {"area", v.area},
                               {"day", v.day},
                               {"previous_day", v.previous_day}});
  }
  for (const auto& [level, n] : s.support_day) {
    j["violations_by_support"][level] = {{"day", n}, {"previous_day", s.support_previous.at(level)}};
  }
  j["findings"] = nlohmann::json::array();
  for (const auto& r : in.today) j["findings"].push_back(FindingRowJson(r));
  j["obligations"] = nlohmann::json::array();
  for (const auto& o : in.obligations) {
    j["obligations"].push_back({{"provision", o.provision_id},
                                {"state", model::ObligationStateName(o.state)},
                                {"covered_fraction", o.covered_fraction},
                                {"evidence", o.evidence_incident_ids},
                                {"reason", o.reason}});
  }
  // Stored text may predate the UTF-8 checks: replaced, never thrown on.
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace truce::report
