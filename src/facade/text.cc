// The CLI's texts that are not reports (text.h).
#include "text.h"

#include <sstream>

#include "truce/core/utf8.h"

namespace truce::facade {
namespace {

std::string E(std::string_view s) { return EscapeControls(s); }

}  // namespace

std::string AgreementText(const model::Agreement& a) {
  std::ostringstream out;
  out << E(a.id) << ": " << E(a.title) << "\n";
  if (a.signed_on) out << "  signed: " << time::FormatDate(*a.signed_on) << "\n";
  out << "  entry into force: " << time::FormatLocal(a.entry_into_force, a.timezone) << " ("
      << time::FormatInstantUtc(a.entry_into_force) << ")\n";
  if (a.end) out << "  end: " << time::FormatLocal(*a.end, a.timezone) << "\n";
  if (!a.amends.empty()) out << "  amends: " << E(a.amends) << "\n";
  if (!a.supersedes.empty()) out << "  supersedes: " << E(a.supersedes) << "\n";
  if (!a.extends.empty()) out << "  extends: " << E(a.extends) << "\n";
  // The history of when it is in force, once it was extended or renewed.
  if (a.periods.size() > 1) {
    out << "  in force:\n";
    for (size_t i = 0; i < a.periods.size(); ++i) {
      const model::InForcePeriod& p = a.periods[i];
      if (i > 0 && a.periods[i - 1].until && *a.periods[i - 1].until < p.from) {
        out << "    (lapsed " << time::FormatLocal(*a.periods[i - 1].until, a.timezone) << " to "
            << time::FormatLocal(p.from, a.timezone) << ")\n";
      }
      out << "    " << time::FormatLocal(p.from, a.timezone) << " to "
          << (p.until ? time::FormatLocal(*p.until, a.timezone) : std::string("open")) << ": "
          << (!p.extension ? std::string("its own term")
                           : p.by.empty() ? std::string("extension") : "extension " + E(p.by));
      if (p.signed_on) out << ", signed " << time::FormatDate(*p.signed_on);
      if (!p.source.empty() && p.extension) out << " (" << E(p.source) << ")";
      out << "\n";
    }
  }
  out << "  sides:\n";
  for (const auto& [id, side] : a.sides) {
    out << "    " << E(id) << " (guarantor " << (side.guarantor.empty() ? "-" : E(side.guarantor)) << "): ";
    for (size_t i = 0; i < side.actor_ids.size(); ++i) out << (i ? ", " : "") << E(side.actor_ids[i]);
    out << "\n";
  }
  out << "  zones:\n";
  for (const auto& z : a.zones) {
    out << "    " << E(z.id) << ": " << E(z.name.empty() ? z.id : z.name) << " (" << geo::ZoneShapeName(z.zone.shape())
        << (z.approximate ? ", approximate" : "") << ")\n";
  }
  out << "  provisions:\n";
  for (const auto& p : a.provisions) {
    out << "    " << E(p.id) << (p.article.empty() ? "" : " (" + E(p.article) + ")") << ": ";
    if (p.kind == model::ProvisionKind::kProhibition) {
      out << "prohibits ";
      for (size_t i = 0; i < p.prohibits.size(); ++i) out << (i ? ", " : "") << E(p.prohibits[i].ToString());
      out << " in ";
      for (size_t i = 0; i < p.where.size(); ++i) out << (i ? ", " : "") << E(p.where[i]);
      if (p.against_other_sides || !p.against.empty()) {
        out << " against " << (p.against_other_sides ? "other_sides" : "");
        for (size_t i = 0; i < p.against.size(); ++i) {
          out << (i || p.against_other_sides ? ", " : "") << E(p.against[i]);
        }
      }
    } else {
      out << "obligation " << model::ObligationKindName(p.obligation);
      if (!p.along.empty()) out << " along " << E(p.along);
      if (p.due) out << ", due " << time::FormatLocal(*p.due, a.timezone);
    }
    if (p.from) out << ", from " << time::FormatLocal(*p.from, a.timezone);
    if (p.daily) out << ", daily " << p.daily->text << " local time";
    out << "\n";
  }
  return out.str();
}

std::string EvidenceProblemsText(const store::EvidenceReport& r) {
  std::ostringstream out;
  for (const store::EvidenceProblem& p : r.problems) {
    if (p.seq == 0) {
      out << EscapeControls(p.what) << "\n";
    } else {
      out << "entry " << p.seq << " (" << p.kind << ", " << EscapeControls(p.subject) << "): " << EscapeControls(p.what)
          << "\n";
    }
  }
  if (r.more_problems > 0) out << "... and " << r.more_problems << " more problems\n";
  const auto n = static_cast<std::int64_t>(r.problems.size()) + r.more_problems;
  out << "the evidence log does not verify: " << n << (n == 1 ? " problem" : " problems") << " in " << r.entries
      << (r.entries == 1 ? " entry" : " entries") << "\n";
  return out.str();
}

}  // namespace truce::facade
