#include "testing.h"

#include <cstdio>

#include "truce/core/strings.h"

namespace truce::agreement::testing {
namespace {

std::string Num(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", x);
  return buf;
}
std::string Pt(const geo::LatLon& p) { return "(" + Num(p.lat_deg) + "," + Num(p.lon_deg) + ")"; }
std::string Pts(const std::vector<geo::LatLon>& v) {
  std::string s;
  for (const auto& p : v) s += Pt(p);
  return s;
}
std::string T(const std::optional<time::Instant>& t) { return t ? time::FormatInstantUtc(*t) : "-"; }
std::string Pos(const model::SourcePos& p) { return p.file + ":" + std::to_string(p.line) + ":" + std::to_string(p.column); }
std::string Acts(const std::vector<model::ActPattern>& acts) {
  std::vector<std::string> s;
  for (const auto& a : acts) s.push_back(a.ToString());
  return Join(s, "|");
}

}  // namespace

std::string Dump(const LoadedAgreement& loaded) {
  const model::Agreement& a = loaded.agreement;
  std::string o;
  auto line = [&](const std::string& k, const std::string& v) { o += k + ": " + v + "\n"; };
  line("id", a.id);
  line("title", a.title);
  line("parties", Join(a.parties, ","));
  line("signed", a.signed_on ? time::FormatDate(*a.signed_on) : "-");
  line("entry_into_force", time::FormatInstantUtc(a.entry_into_force) + " / " + a.entry_into_force_text);
  line("end", T(a.end));
  line("timezone", a.timezone);
  line("amends", a.amends);
  line("supersedes", a.supersedes);
  line("countries", Join(a.countries, ","));
  line("source", a.source);
  line("note", a.note);
  for (const auto& [id, s] : a.sides) line("side " + id, s.guarantor + " " + Join(s.actor_ids, ","));
  line("designated", Join(a.designated, ","));
  for (const auto& p : a.places) {
    line("place " + p.id, p.name + " " + Pt(p.position) + (p.approximate ? " approximate " : " ") + p.note + " " + Pos(p.pos));
  }
  for (const auto& z : a.zones) {
    const geo::Zone& g = z.zone;
    std::string geom = std::to_string(static_cast<int>(g.shape())) + " w=" + Num(g.half_width_m()) +
                       " side=" + std::to_string(static_cast<int>(g.band_side())) + " line=" + Pts(g.line()) +
                       " center=" + Pt(g.center());
    for (const auto& poly : g.polygons()) {
      geom += " outer=" + Pts(poly.outer);
      for (const auto& h : poly.holes) geom += " hole=" + Pts(h);
    }
    line("zone " + z.id, z.name + (z.approximate ? " approximate " : " ") + z.note + " src=" + z.source + " " +
                             Pos(z.pos) + " " + geom);
  }
  for (const auto& p : a.provisions) {
    std::string ex;
    for (const auto& e : p.except) {
      ex += "[" + std::string(e.against_designated ? "designated " : "") + Join(e.against_actors, ",") + " " +
            Acts(e.acts) + " " + e.note + "]";
    }
    line("provision " + p.id,
         p.article + " | " + p.text + " | " + p.note + " | kind=" + std::to_string(static_cast<int>(p.kind)) +
             " " + Pos(p.pos) + " from=" + T(p.from) + " until=" + T(p.until) + " from_text=" + p.from_text +
             " prohibits=" + Acts(p.prohibits) + " by=" + Join(p.by_sides, ",") + " where=" + Join(p.where, ",") +
             " except=" + ex + " obligation=" + model::ObligationKindName(p.obligation) + " obligated=" +
             Join(p.obligated, ",") + " along=" + p.along + " route=" + p.route_from_place + "->" + p.route_to_place +
             (p.route_from ? Pt(*p.route_from) : "-") + (p.route_to ? Pt(*p.route_to) : "-") + " zone=" + p.zone +
             " weapons=" + Join(p.weapons, ",") + " due=" + T(p.due) + " evidence=" + Acts(p.evidence.acts) + "/" +
             Join(p.evidence.notes_contain, ",") + " met=" + Num(p.met_fraction) + " replaces=" + p.replaces);
  }
  line("source_file", a.source_file);
  line("content_hash", a.content_hash);
  line("source_text_size", std::to_string(a.source_text.size()));
  for (const auto& actor : loaded.actors) {
    std::string d;
    for (const auto& des : actor.designations) {
      d += "[" + des.by + " " + des.as + " " + (des.from ? time::FormatDate(*des.from) : "-") + " " +
           (des.until ? time::FormatDate(*des.until) : "-") + "]";
    }
    line("actor " + actor.id, actor.name + " | " + Join(actor.aliases, ",") + " | " + actor.country + " " +
                                  model::ActorKindName(actor.kind) + " " + d + " " + Pos(actor.pos));
  }
  for (const auto& [path, contents] : loaded.files) line("file " + path, std::to_string(contents.size()));
  return o;
}

}  // namespace truce::agreement::testing
