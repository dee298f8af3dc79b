#include <nlohmann/json.hpp>

#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "truce/report/report.h"

namespace truce::report {
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
  for (const auto& r : rows) ++out[model::FindingStatusName(r.finding.status)];
  return out;
}

std::string Signed(int d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%+d", d);
  return d == 0 ? "0" : buf;
}

const char* kStatuses[] = {"violation", "undetermined", "exempt", "no_violation", "outside_scope"};

std::string GuarantorOf(const model::Agreement& a, const std::string& side) {
  auto it = a.sides.find(side);
  return it == a.sides.end() ? "" : it->second.guarantor;
}

}  // namespace

std::string DailyMarkdown(const DailyInput& in) {
  const model::Agreement& a = *in.agreement;
  std::ostringstream out;
  const std::string day = time::FormatDate(in.day);
  const std::string prev = time::FormatDate(in.day - std::chrono::days{1});
  out << "# Daily report: " << a.title << "\n\n";
  out << "- Agreement: `" << a.id << "`\n";
  out << "- Day: " << day << " (" << a.timezone << "), compared with " << prev << "\n";
  out << "- Entry into force: " << time::FormatLocal(a.entry_into_force, a.timezone) << "\n\n";

  out << "## Findings\n\n| status | " << day << " | " << prev << " | change |\n|---|---:|---:|---:|\n";
  auto now = CountByStatus(in.today), before = CountByStatus(in.previous);
  for (const char* s : kStatuses) {
    out << "| " << s << " | " << now[s] << " | " << before[s] << " | " << Signed(now[s] - before[s]) << " |\n";
  }

  out << "\n## Violations by side and area\n\n";
  auto vnow = ViolationsBySideArea(in.today), vbefore = ViolationsBySideArea(in.previous);
  std::set<std::pair<std::string, std::string>> keys;
  for (const auto& [k, n] : vnow) keys.insert(k);
  for (const auto& [k, n] : vbefore) keys.insert(k);
  if (keys.empty()) {
    out << "No violations on either day.\n";
  } else {
    out << "| side | guarantor | area | " << day << " | " << prev << " | change |\n|---|---|---|---:|---:|---:|\n";
    for (const auto& k : keys) {
      int n = vnow.count(k) ? vnow[k] : 0, p = vbefore.count(k) ? vbefore[k] : 0;
      out << "| " << (k.first.empty() ? "(none)" : k.first) << " | " << GuarantorOf(a, k.first) << " | " << k.second
          << " | " << n << " | " << p << " | " << Signed(n - p) << " |\n";
    }
  }

  out << "\n## Incidents on " << day << "\n\n";
  if (in.today.empty()) out << "No incidents with findings.\n";
  for (const auto& r : in.today) {
    out << "- **" << model::FindingStatusName(r.finding.status) << "** (" << r.finding.provision_id << ") "
        << (r.location.empty() ? "(no place)" : r.location) << ", " << r.event_type;
    if (!r.sub_event_type.empty()) out << " / " << r.sub_event_type;
    out << ", " << r.fatalities << " killed [" << r.dataset << " " << r.source_id << "]: " << r.finding.reason << "\n";
  }

  out << "\n## Obligations as of the end of " << day << "\n\n";
  if (in.obligations.empty()) {
    out << "None.\n";
  } else {
    out << "| provision | kind | status | due | reason |\n|---|---|---|---|---|\n";
    for (const auto& o : in.obligations) {
      const model::Provision* p = a.FindProvision(o.provision_id);
      std::string due = p && p->due ? time::FormatLocal(*p->due, a.timezone) : "";
      out << "| " << (p && !p->article.empty() ? p->article : o.provision_id) << " | "
          << (p ? model::ObligationKindName(p->obligation) : "") << " | " << model::ObligationStateName(o.state) << " | "
          << due << " | " << o.reason << " |\n";
    }
  }
  return out.str();
}

std::string DailyJson(const DailyInput& in) {
  const model::Agreement& a = *in.agreement;
  nlohmann::json j;
  j["agreement"] = a.id;
  j["title"] = a.title;
  j["day"] = time::FormatDate(in.day);
  j["previous_day"] = time::FormatDate(in.day - std::chrono::days{1});
  auto now = CountByStatus(in.today), before = CountByStatus(in.previous);
  for (const char* s : kStatuses) j["counts"][s] = {{"day", now[s]}, {"previous_day", before[s]}};
  j["violations"] = nlohmann::json::array();
  auto vnow = ViolationsBySideArea(in.today), vbefore = ViolationsBySideArea(in.previous);
  std::set<std::pair<std::string, std::string>> keys;
  for (const auto& [k, n] : vnow) keys.insert(k);
  for (const auto& [k, n] : vbefore) keys.insert(k);
  for (const auto& k : keys) {
    j["violations"].push_back({{"side", k.first},
                               {"guarantor", GuarantorOf(a, k.first)},
                               {"area", k.second},
                               {"day", vnow.count(k) ? vnow[k] : 0},
                               {"previous_day", vbefore.count(k) ? vbefore[k] : 0}});
  }
  j["findings"] = nlohmann::json::parse(FindingsJson(in.today));
  j["obligations"] = nlohmann::json::array();
  for (const auto& o : in.obligations) {
    j["obligations"].push_back({{"provision", o.provision_id},
                                {"state", model::ObligationStateName(o.state)},
                                {"covered_fraction", o.covered_fraction},
                                {"evidence", o.evidence_incident_ids},
                                {"reason", o.reason}});
  }
  return j.dump(2) + "\n";
}

}  // namespace truce::report
