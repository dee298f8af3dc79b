#include "testing.h"

#include <iomanip>
#include <sstream>

#include "truce/core/strings.h"

namespace truce::agreement::testing {
namespace {

// Written with a stream: GCC 12 warns falsely (-Wrestrict) on long chains of
// `"literal" + std::string`.
void Pt(std::ostream& o, const geo::LatLon& p) { o << '(' << p.lat_deg << ',' << p.lon_deg << ')'; }
void Pts(std::ostream& o, const std::vector<geo::LatLon>& v) {
  for (const auto& p : v) Pt(o, p);
}
std::string T(const std::optional<time::Instant>& t) { return t ? time::FormatInstantUtc(*t) : "-"; }
void Pos(std::ostream& o, const model::SourcePos& p) { o << p.file << ':' << p.line << ':' << p.column; }
void Acts(std::ostream& o, const std::vector<model::ActPattern>& acts) {
  for (const auto& a : acts) o << a.ToString() << '|';
}
std::string J(const std::vector<std::string>& v) { return Join(v, ","); }

}  // namespace

std::string Dump(const LoadedAgreement& loaded) {
  const model::Agreement& a = loaded.agreement;
  std::ostringstream o;
  o << std::setprecision(12);
  o << "id: " << a.id << "\ntitle: " << a.title << "\nparties: " << J(a.parties)
    << "\nsigned: " << (a.signed_on ? time::FormatDate(*a.signed_on) : "-")
    << "\nentry_into_force: " << time::FormatInstantUtc(a.entry_into_force) << " / " << a.entry_into_force_text
    << "\nend: " << T(a.end) << "\ntimezone: " << a.timezone << "\namends: " << a.amends
    << "\nsupersedes: " << a.supersedes << "\ncountries: " << J(a.countries) << "\nsource: " << a.source
    << "\nnote: " << a.note << "\nextends: " << a.extends << "\n";
  for (const auto& p : a.periods) {
    o << "period " << time::FormatInstantUtc(p.from) << " (" << p.from_text << ") to " << T(p.until) << " ("
      << p.until_text << ") by=" << p.by << " extension=" << p.extension << " previous=" << p.from_previous
      << " signed=" << (p.signed_on ? time::FormatDate(*p.signed_on) : "-") << " source=" << p.source
      << " note=" << p.note << "\n";
  }
  for (const auto& [id, s] : a.sides) o << "side " << id << ": " << s.guarantor << ' ' << J(s.actor_ids) << "\n";
  o << "designated: " << J(a.designated) << "\n";
  for (const auto& p : a.places) {
    o << "place " << p.id << ": " << p.name << ' ';
    Pt(o, p.position);
    o << ' ' << p.approximate << ' ' << p.note << ' ';
    Pos(o, p.pos);
    o << "\n";
  }
  for (const auto& z : a.zones) {
    const geo::Zone& g = z.zone;
    o << "zone " << z.id << ": " << z.name << ' ' << z.approximate << ' ' << z.note << " src=" << z.source << ' ';
    Pos(o, z.pos);
    o << " shape=" << static_cast<int>(g.shape()) << " w=" << g.half_width_m()
      << " side=" << static_cast<int>(g.band_side()) << " line=";
    Pts(o, g.line());
    o << " center=";
    Pt(o, g.center());
    for (const auto& poly : g.polygons()) {
      o << " outer=";
      Pts(o, poly.outer);
      for (const auto& h : poly.holes) {
        o << " hole=";
        Pts(o, h);
      }
    }
    o << "\n";
  }
  for (const auto& p : a.provisions) {
    o << "provision " << p.id << ": " << p.article << " | " << p.text << " | " << p.note
      << " | kind=" << static_cast<int>(p.kind) << ' ';
    Pos(o, p.pos);
    o << " from=" << T(p.from) << " until=" << T(p.until) << " from_text=" << p.from_text << " written=" << p.from_written << '/'
      << p.until_written << '/' << p.due_written << " prohibits=";
    Acts(o, p.prohibits);
    o << " by=" << J(p.by_sides) << " where=" << J(p.where) << " except=";
    for (const auto& e : p.except) {
      o << '[' << e.against_designated << ' ' << J(e.against_actors) << ' ';
      Acts(o, e.acts);
      o << ' ' << e.note << ']';
    }
    o << " obligation=" << model::ObligationKindName(p.obligation) << " obligated=" << J(p.obligated)
      << " along=" << p.along << " route=" << p.route_from_place << "->" << p.route_to_place << ' ';
    if (p.route_from) Pt(o, *p.route_from);
    if (p.route_to) Pt(o, *p.route_to);
    o << " zone=" << p.zone << " weapons=" << J(p.weapons) << " due=" << T(p.due) << " evidence=";
    Acts(o, p.evidence.acts);
    o << '/' << J(p.evidence.notes_contain) << " met=" << p.met_fraction << " replaces=" << p.replaces << "\n";
    o << "  against=" << p.against_other_sides << J(p.against)
      << " daily=" << (p.daily ? std::to_string(p.daily->from_min) + "-" + std::to_string(p.daily->to_min) : "") << "\n";
  }
  o << "source_file: " << a.source_file << "\ncontent_hash: " << a.content_hash
    << "\nsource_text_size: " << a.source_text.size() << "\n";
  for (const auto& actor : loaded.actors) {
    o << "actor " << actor.id << ": " << actor.name << " | " << J(actor.aliases) << " | " << actor.country << ' '
      << model::ActorKindName(actor.kind) << ' ';
    for (const auto& d : actor.designations) {
      o << '[' << d.by << ' ' << d.as << ' ' << (d.from ? time::FormatDate(*d.from) : "-") << ' '
        << (d.until ? time::FormatDate(*d.until) : "-") << ']';
    }
    Pos(o, actor.pos);
    o << "\n";
  }
  for (const auto& [path, contents] : loaded.files) o << "file " << path << ": " << contents.size() << "\n";
  return o.str();
}

}  // namespace truce::agreement::testing
