// JSON (EXTRACTION.md) and the draft agreement YAML.
#include <nlohmann/json.hpp>

#include <cmath>
#include <sstream>

#include "truce/extract/extractor.h"

namespace truce::extract {
namespace {

using Json = nlohmann::ordered_json;

Json Str(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

Json Num(double v) {
  if (std::floor(v) == v && std::fabs(v) < 9e15) return Json(static_cast<long long>(v));
  return Json(v);
}

Json ActorJson(const ActorRef& a) {
  return Json{{"name", Str(a.name)}, {"country", Str(a.country)}, {"kind", a.kind.empty() ? "unknown" : a.kind}};
}
Json OptActor(const std::optional<ActorRef>& a) { return a ? ActorJson(*a) : Json(nullptr); }

Json LocJson(const LocationRef& l) {
  return Json{{"name", Str(l.name)},
              {"country", Str(l.country)},
              {"admin1", Str(l.admin1)},
              {"lat", l.lat ? Json(*l.lat) : Json(nullptr)},
              {"lon", l.lon ? Json(*l.lon) : Json(nullptr)}};
}

void AddSource(Json& j, const Source& s) {
  j["span"] = Json::array({s.begin, s.end});
  j["sentence"] = s.sentence;
  j["confidence"] = std::round(s.confidence * 100) / 100;
}

}  // namespace

std::string ToJson(const Extraction& x, bool pretty) {
  Json doc;
  doc["document"] = Json{{"title", x.title}, {"published", x.published}, {"dateline", Str(x.dateline)}};
  if (!x.agency.empty()) doc["document"]["agency"] = x.agency;
  doc["document"]["sentences"] = x.sentence_count;
  Json ags = Json::array();
  for (const AgreementOut& a : x.agreements) {
    Json j;
    j["type"] = a.type;
    j["parties"] = a.parties;
    j["area"] = a.area ? Json{{"name", Str(a.area->name)}, {"country", Str(a.area->country)}} : Json(nullptr);
    j["agreed_on"] = Str(a.agreed_on);
    j["effective_from"] = Str(a.effective_from);
    j["ends_on"] = Str(a.ends_on);
    Json ps = Json::array();
    for (const ProvisionOut& p : a.provisions) {
      Json pj{{"type", p.type}};
      if (!p.starts_on.empty()) pj["starts_on"] = p.starts_on;
      if (!p.deadline.empty()) pj["deadline"] = p.deadline;
      if (!p.along.empty()) pj["along"] = p.along;
      if (p.width_km) pj["width_km"] = Num(*p.width_km);
      if (p.depth_km) pj["depth_km"] = Num(*p.depth_km);
      AddSource(pj, p.source);
      ps.push_back(pj);
    }
    j["provisions"] = ps;
    Json pa = Json::array();
    for (const ActorRef& r : a.party_actors) pa.push_back(ActorJson(r));
    j["party_actors"] = pa;
    AddSource(j, a.source);
    ags.push_back(j);
  }
  doc["agreements"] = ags;
  Json evs = Json::array();
  for (const EventOut& e : x.events) {
    Json j;
    j["date"] = Str(e.date);
    j["event_type"] = Str(e.event_type);
    j["sub_event_type"] = Str(e.sub_event_type);
    j["actor1"] = OptActor(e.actor1);
    j["actor2"] = OptActor(e.actor2);
    j["location"] = LocJson(e.location);
    j["fatalities"] = e.fatalities ? Num(*e.fatalities) : Json(nullptr);
    j["injured"] = e.injured ? Num(*e.injured) : Json(nullptr);
    AddSource(j, e.source);
    evs.push_back(j);
  }
  doc["events"] = evs;
  Json cls = Json::array();
  for (const ClaimOut& c : x.claims) {
    Json j;
    j["claimant"] = ActorJson(c.claimant);
    j["kind"] = c.kind;
    j["count"] = Num(c.count);
    j["qualifier"] = c.qualifier;
    j["subject"] = OptActor(c.subject);
    j["by"] = OptActor(c.by);
    j["from"] = Str(c.from);
    j["to"] = Str(c.to);
    AddSource(j, c.source);
    cls.push_back(j);
  }
  doc["claims"] = cls;
  Json acs = Json::array();
  for (const AccusationOut& a : x.accusations) {
    Json j;
    j["accuser"] = ActorJson(a.accuser);
    j["accused"] = ActorJson(a.accused);
    j["of"] = Str(a.of);
    AddSource(j, a.source);
    acs.push_back(j);
  }
  doc["accusations"] = acs;
  Json vf = Json::array();
  for (const VagueFigureOut& v : x.vague_figures) {
    Json j;
    j["claimant"] = ActorJson(v.claimant);
    j["kind"] = v.kind;
    j["count"] = nullptr;
    j["qualifier"] = "vague";
    j["text"] = v.text;
    j["subject"] = OptActor(v.subject);
    AddSource(j, v.source);
    vf.push_back(j);
  }
  doc["vague_figures"] = vf;
  if (!x.warnings.empty()) doc["warnings"] = x.warnings;
  // Replace invalid UTF-8 rather than throw (the text was repaired upstream).
  return doc.dump(pretty ? 2 : -1, ' ', false, Json::error_handler_t::replace) + "\n";
}

Result<std::string> AgreementDraftYaml(const Extraction& x, const std::string& source_name) {
  if (x.agreements.empty()) return Status::NotFound(source_name + ": the report describes no agreement to draft");
  const AgreementOut& a = x.agreements.front();
  auto q = [](const std::string& s) {
    std::string o = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\') o.push_back('\\');
      if (c == '\n') { o += "\\n"; continue; }
      o.push_back(c);
    }
    return o + "\"";
  };
  std::ostringstream y;
  std::string id;
  for (char c : (a.type + "-" + (a.agreed_on.empty() ? x.published : a.agreed_on))) {
    id.push_back((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ? c : '-');
  }
  y << "# Draft agreement extracted by `truce extract --agreement-draft` from " << source_name << ".\n"
    << "# A person must complete it: every TODO below is a decision the report does not make.\n"
    << "# Format: docs/agreement-format.md.\n";
  y << "id: " << id << "                 # TODO: a stable id, [a-z0-9._-]+\n";
  y << "title: " << q(x.title) << "      # TODO: the agreement's own title\n";
  y << "parties: [";
  for (size_t i = 0; i < a.parties.size(); ++i) y << (i ? ", " : "") << q(a.parties[i]);
  y << "]\n";
  if (!a.agreed_on.empty()) y << "signed: " << a.agreed_on << "\n";
  else y << "# signed: TODO (the report gives no date)\n";
  y << "timezone: TODO                      # IANA zone of the local times (e.g. Asia/Damascus)\n";
  if (!a.effective_from.empty()) y << "entry_into_force: " << a.effective_from << "   # as the report states it, local time\n";
  else y << "entry_into_force: TODO\n";
  y << "end: " << (a.ends_on.empty() ? "null" : a.ends_on) << "\n";
  if (a.area && !a.area->country.empty()) y << "countries: [" << a.area->country << "]\n";
  y << "source: " << q("news report: " + x.title + " (" + x.published + ")") << "\n";
  y << "actors: {}                          # TODO: the actors of each side (an actors file or inline map)\n";
  y << "sides: {}                           # TODO: sides, their guarantors and actors\n";
  y << "zones:                              # TODO: draw the zones (polygon, corridor or band)\n";
  if (a.area) {
    y << "  area:\n    name: " << q(a.area->name) << "\n    polygon: TODO   # GeoJSON path\n    approximate: true\n";
  }
  for (const ProvisionOut& p : a.provisions) {
    if (p.type == "security_corridor") {
      y << "  corridor:\n    name: " << q("security corridor" + (p.along.empty() ? "" : " along the " + p.along)) << "\n";
      y << "    corridor: {line: TODO, half_width_km: "
        << (p.width_km ? std::to_string(*p.width_km / 2).substr(0, 5) : std::string("TODO")) << "}\n";
    }
    if (p.type == "demilitarized_zone") {
      y << "  dmz:\n    name: demilitarized zone\n    band: {line: TODO, width_km: "
        << (p.depth_km ? std::to_string(*p.depth_km).substr(0, 5) : std::string("TODO")) << ", side: TODO}\n";
    }
  }
  y << "provisions:\n";
  y << "  - id: ceasefire\n    text: " << q(a.source.sentence) << "\n"
    << "    prohibits: [Battles, Explosions/Remote violence, Violence against civilians]\n"
    << "    by: TODO                            # side ids\n    where: [" << (a.area ? "area" : "TODO") << "]\n";
  int n = 1;
  for (const ProvisionOut& p : a.provisions) {
    ++n;
    y << "  - id: art" << n << "\n    text: " << q(p.source.sentence) << "\n";
    if (p.type == "joint_patrol") {
      y << "    obligation: joint_patrol\n    by: [";
      for (size_t i = 0; i < a.parties.size(); ++i) y << (i ? ", " : "") << a.parties[i];
      y << "]\n    along: " << (p.along.empty() ? "TODO" : "corridor") << "\n";
      if (!p.starts_on.empty()) y << "    from: " << p.starts_on << "\n";
      y << "    between: TODO                       # the route section's two places\n";
    } else if (p.type == "withdrawal") {
      y << "    obligation: withdraw\n    by: TODO\n    zone: TODO\n";
      if (!p.deadline.empty()) y << "    due: " << p.deadline << "\n";
    } else {
      y << "    obligation: other                   # " << p.type << "\n    by: TODO\n";
      if (!p.deadline.empty()) y << "    due: " << p.deadline << "\n";
    }
  }
  return y.str();
}

}  // namespace truce::extract
