// JSON (EXTRACTION.md) and the draft agreement YAML.
#include "truce/extract/extraction.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <vector>
#include <sstream>
#include <string_view>

#include "truce/core/json_writer.h"
#include "truce/time/time.h"

namespace truce::extract {
namespace {

void WriteActor(JsonWriter& w, const ActorRef& a) {
  w.BeginObject();
  w.Key("name").StringOrNull(a.name);
  w.Key("country").StringOrNull(a.country);
  w.Key("kind").String(a.kind.empty() ? "unknown" : a.kind);
  w.EndObject();
}
void WriteOptActor(JsonWriter& w, const std::optional<ActorRef>& a) {
  if (a) WriteActor(w, *a);
  else w.Null();
}
void WriteSource(JsonWriter& w, const Source& s) {
  w.Key("span").BeginArray().Number(static_cast<double>(s.begin)).Number(static_cast<double>(s.end)).EndArray();
  w.Key("sentence").String(s.sentence);
  if (!s.rule.empty()) w.Key("rule").String(s.rule);
  w.Key("confidence").Number(std::round(s.confidence * 100) / 100);
}

}  // namespace

std::string ToJson(const Extraction& x, bool pretty) {
  JsonWriter w(pretty);
  w.BeginObject();
  w.Key("document").BeginObject();
  w.Key("title").String(x.title);
  w.Key("published").String(x.published);
  w.Key("dateline").StringOrNull(x.dateline);
  if (!x.agency.empty()) w.Key("agency").String(x.agency);
  w.Key("sentences").Number(static_cast<double>(x.sentence_count));
  w.EndObject();
  w.Key("agreements").BeginArray();
  for (const AgreementOut& a : x.agreements) {
    w.BeginObject();
    w.Key("type").String(a.type);
    w.Key("parties").BeginArray();
    for (const auto& p : a.parties) w.String(p);
    w.EndArray();
    w.Key("area");
    if (a.area) {
      w.BeginObject().Key("name").StringOrNull(a.area->name).Key("country").StringOrNull(a.area->country).EndObject();
    } else {
      w.Null();
    }
    w.Key("agreed_on").StringOrNull(a.agreed_on);
    w.Key("effective_from").StringOrNull(a.effective_from);
    w.Key("ends_on").StringOrNull(a.ends_on);
    w.Key("provisions").BeginArray();
    for (const ProvisionOut& p : a.provisions) {
      w.BeginObject();
      w.Key("type").String(p.type);
      if (!p.starts_on.empty()) w.Key("starts_on").String(p.starts_on);
      if (!p.deadline.empty()) w.Key("deadline").String(p.deadline);
      if (!p.along.empty()) w.Key("along").String(p.along);
      if (p.width_km) w.Key("width_km").Number(*p.width_km);
      if (p.depth_km) w.Key("depth_km").Number(*p.depth_km);
      WriteSource(w, p.source);
      w.EndObject();
    }
    w.EndArray();
    w.Key("party_actors").BeginArray();
    for (const ActorRef& r : a.party_actors) WriteActor(w, r);
    w.EndArray();
    WriteSource(w, a.source);
    w.EndObject();
  }
  w.EndArray();
  w.Key("events").BeginArray();
  for (const EventOut& e : x.events) {
    w.BeginObject();
    w.Key("date").StringOrNull(e.date);
    w.Key("event_type").StringOrNull(e.event_type);
    w.Key("sub_event_type").StringOrNull(e.sub_event_type);
    w.Key("actor1");
    WriteOptActor(w, e.actor1);
    w.Key("actor2");
    WriteOptActor(w, e.actor2);
    w.Key("location").BeginObject();
    w.Key("name").StringOrNull(e.location.name);
    w.Key("country").StringOrNull(e.location.country);
    w.Key("admin1").StringOrNull(e.location.admin1);
    w.Key("lat").NumberOrNull(e.location.lat);
    w.Key("lon").NumberOrNull(e.location.lon);
    w.EndObject();
    w.Key("fatalities").NumberOrNull(e.fatalities);
    w.Key("injured").NumberOrNull(e.injured);
    WriteSource(w, e.source);
    w.EndObject();
  }
  w.EndArray();
  w.Key("claims").BeginArray();
  for (const ClaimOut& c : x.claims) {
    w.BeginObject();
    w.Key("claimant");
    WriteActor(w, c.claimant);
    w.Key("kind").String(c.kind);
    w.Key("count").Number(c.count);
    w.Key("qualifier").String(c.qualifier);
    w.Key("subject");
    WriteOptActor(w, c.subject);
    w.Key("by");
    WriteOptActor(w, c.by);
    w.Key("from").StringOrNull(c.from);
    w.Key("to").StringOrNull(c.to);
    if (c.area) {
      w.Key("area").BeginObject().Key("name").StringOrNull(c.area->name);
      w.Key("country").StringOrNull(c.area->country).EndObject();
    }
    WriteSource(w, c.source);
    w.EndObject();
  }
  w.EndArray();
  w.Key("accusations").BeginArray();
  for (const AccusationOut& a : x.accusations) {
    w.BeginObject();
    w.Key("accuser");
    WriteActor(w, a.accuser);
    w.Key("accused");
    WriteActor(w, a.accused);
    w.Key("of").StringOrNull(a.of);
    WriteSource(w, a.source);
    w.EndObject();
  }
  w.EndArray();
  w.Key("vague_figures").BeginArray();
  for (const VagueFigureOut& v : x.vague_figures) {
    w.BeginObject();
    w.Key("claimant");
    WriteActor(w, v.claimant);
    w.Key("kind").String(v.kind);
    w.Key("count").Null();
    w.Key("qualifier").String("vague");
    w.Key("text").String(v.text);
    w.Key("subject");
    WriteOptActor(w, v.subject);
    WriteSource(w, v.source);
    w.EndObject();
  }
  w.EndArray();
  if (!x.warnings.empty()) {
    w.Key("warnings").BeginArray();
    for (const auto& s : x.warnings) w.String(s);
    w.EndArray();
  }
  w.EndObject();
  std::string out = w.Take();
  out.push_back('\n');
  return out;
}

namespace {

// A YAML double-quoted scalar for the draft's one-line values (titles, names,
// dates): the agreement format allows no control character there, so each
// becomes a space; quotes and backslashes are escaped.
std::string YamlQuote(std::string_view s) {
  std::string o = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      o.push_back('\\');
      o.push_back(static_cast<char>(c));
    } else if (c < 0x20 || c == 0x7f) {
      o.push_back(' ');
    } else {
      o.push_back(static_cast<char>(c));
    }
  }
  return o + "\"";
}

// An id of the agreement format ([a-z0-9._-], starting with a letter or
// digit) from free text: "M4 highway" -> "m4-highway".
std::string IdFrom(std::string_view text, std::string_view fallback) {
  std::string id;
  for (char c : text) {
    char l = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    bool ok = (l >= 'a' && l <= 'z') || (l >= '0' && l <= '9');
    if (ok) {
      id.push_back(l);
    } else if (!id.empty() && id.back() != '-') {
      id.push_back('-');
    }
  }
  while (!id.empty() && id.back() == '-') id.pop_back();
  return id.empty() ? std::string(fallback) : id;
}

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
// YYYY-MM-DD: what `signed`, and a bare-date time, take.
bool IsFullDate(std::string_view s) {
  return s.size() == 10 && IsDigits(s.substr(0, 4)) && s[4] == '-' && IsDigits(s.substr(5, 2)) && s[7] == '-' &&
         IsDigits(s.substr(8, 2));
}
// YYYY-MM-DD or YYYY-MM-DDTHH:MM: a local time of the agreement format.
bool IsLocalTime(std::string_view s) {
  if (IsFullDate(s)) return true;
  return s.size() == 16 && IsFullDate(s.substr(0, 10)) && s[10] == 'T' && IsDigits(s.substr(11, 2)) &&
         s[13] == ':' && IsDigits(s.substr(14, 2));
}
bool IsIso3Code(std::string_view s) {
  return s.size() == 3 && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// The agreement format's actor kinds from the extractor's.
const char* AgreementActorKind(std::string_view kind) {
  if (kind == "state") return "state";
  if (kind == "rebel") return "armed_group";
  if (kind == "international") return "international";
  if (kind == "civilians") return "civilians";
  return "other";
}

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

// Every value a person must supply is written `key: TODO` (so that an
// unfilled draft fails `truce agreement check` at that line) with a comment
// saying what to put there; optional keys the report leaves open are comments.
Result<std::string> AgreementDraftYaml(const Extraction& x, const std::string& source_name) {
  if (x.agreements.empty()) return Status::NotFound(source_name + ": the report describes no agreement to draft");
  const AgreementOut& a = x.agreements.front();
  std::ostringstream y;
  y << "# Draft agreement extracted by `truce extract --agreement-draft` from " << source_name << ".\n"
    << "# A person must complete it: replace every TODO with what the agreement's text says, then run\n"
    << "# `truce agreement check` on it. Format: docs/agreement-format.md.\n";
  const std::string day = a.agreed_on.empty() ? x.published : a.agreed_on;
  y << "id: " << IdFrom(a.type + "-" + day, "agreement") << "    # a stable id: other agreements and findings use it\n";
  y << "title: " << YamlQuote(x.title.empty() ? a.type + " reported on " + x.published : x.title)
    << "    # check: the agreement's own title\n";
  y << "parties: [";
  for (size_t i = 0; i < a.parties.size(); ++i) y << (i ? ", " : "") << YamlQuote(a.parties[i]);
  y << "]\n";
  if (IsFullDate(a.agreed_on)) {
    y << "signed: " << a.agreed_on << "\n";
  } else if (!a.agreed_on.empty()) {
    y << "# signed: YYYY-MM-DD    (the report says only " << YamlQuote(a.agreed_on) << ")\n";
  } else {
    y << "# signed: YYYY-MM-DD    (the report gives no date)\n";
  }
  y << "timezone: TODO    # TODO: the IANA zone the agreement's local times are in (e.g. Asia/Damascus)\n";
  if (IsLocalTime(a.effective_from)) {
    y << "entry_into_force: " << a.effective_from << "    # as the report states it: local time in `timezone`\n";
  } else {
    y << "entry_into_force: TODO    # TODO: YYYY-MM-DDTHH:MM local time"
      << (a.effective_from.empty() ? std::string(" (the report gives none)")
                                   : " (the report says only " + YamlQuote(a.effective_from) + ")")
      << "\n";
  }
  if (IsLocalTime(a.ends_on)) {
    y << "end: " << a.ends_on << "\n";
  } else if (!a.ends_on.empty()) {
    y << "# end: YYYY-MM-DD    (the report says only " << YamlQuote(a.ends_on) << ")\n";
  }
  if (a.area && IsIso3Code(a.area->country)) y << "countries: [" << a.area->country << "]\n";
  y << "source: " << YamlQuote("news report: " + x.title + " (" + x.published + ")") << "\n";

  // Actors and sides: the parties as the report names them, one side each.
  std::vector<std::string> actor_ids;
  y << "# TODO: check the actors and sides. The report's parties are below, one side each; add the\n"
    << "# armed forces and groups of each side with the names datasets use (aliases), and the guarantor\n"
    << "# that answers for each side.\n";
  if (a.party_actors.empty()) {
    y << "actors: {}\nsides: TODO    # TODO: sides and their actors (the report names no parties)\n";
  } else {
    y << "actors:\n";
    for (const ActorRef& r : a.party_actors) {
      std::string id = IdFrom(r.name, "party");
      std::string unique = id;
      for (int n = 2; std::find(actor_ids.begin(), actor_ids.end(), unique) != actor_ids.end(); ++n) {
        unique = id + "-" + std::to_string(n);
      }
      actor_ids.push_back(unique);
      y << "  " << unique << ":\n    name: " << YamlQuote(r.name.empty() ? unique : r.name) << "\n"
        << "    kind: " << AgreementActorKind(r.kind) << "\n";
      if (IsIso3Code(r.country) && r.country != "INT") y << "    country: " << r.country << "\n";
    }
    y << "sides:\n";
    for (const std::string& id : actor_ids) y << "  " << id << ": {actors: [" << id << "]}\n";
  }

  // Zones: the area and the routes the provisions name; their geometry is
  // for a person to draw.
  y << "zones:\n";
  y << "  area:\n    name: " << YamlQuote(a.area && !a.area->name.empty() ? a.area->name : "the agreement's area")
    << "\n    polygon: TODO    # TODO: a GeoJSON file of the area (path relative to this file), or [[lat, lon], ...]\n"
    << "    approximate: true\n";
  // Route zones by the route's name ("" when the report names none).
  std::vector<std::pair<std::string, std::string>> routes;  // (along, zone id)
  auto route_zone = [&](const std::string& along, const std::optional<double>& width_km) {
    for (const auto& [name, id] : routes) {
      if (name == along) return id;
    }
    std::string id = along.empty() ? "security-corridor" : IdFrom(along, "route") + "-corridor";
    routes.emplace_back(along, id);
    y << "  " << id << ":\n    name: " << YamlQuote(along.empty() ? "security corridor" : "the " + along) << "\n"
      << "    corridor:\n      line: TODO    # TODO: the route's centre line: a GeoJSON LineString file, or "
         "[[lat, lon], ...]\n";
    if (width_km && *width_km > 0) {
      y << "      half_width_km: " << Number(*width_km / 2) << "    # half the width the report gives ("
        << Number(*width_km) << " km)\n";
    } else {
      y << "      half_width_km: TODO    # TODO: the distance on each side of the line, km\n";
    }
    y << "    approximate: true\n";
    return id;
  };
  std::vector<std::string> provision_zone(a.provisions.size());
  for (size_t i = 0; i < a.provisions.size(); ++i) {
    const ProvisionOut& p = a.provisions[i];
    if (p.type == "security_corridor") provision_zone[i] = route_zone(p.along, p.width_km);
  }
  int dmz_count = 0;
  for (size_t i = 0; i < a.provisions.size(); ++i) {
    const ProvisionOut& p = a.provisions[i];
    if (p.type == "joint_patrol" && !p.along.empty()) provision_zone[i] = route_zone(p.along, std::nullopt);
    if (p.type == "demilitarized_zone") {
      std::string id = "demilitarized-zone";
      if (++dmz_count > 1) id += "-" + std::to_string(dmz_count);
      provision_zone[i] = id;
      y << "  " << id << ":\n    name: demilitarized zone\n    band:\n"
        << "      line: TODO    # TODO: the line the zone runs along: a GeoJSON LineString file, or [[lat, lon], ...]\n";
      if (p.depth_km && *p.depth_km > 0) {
        y << "      width_km: " << Number(*p.depth_km) << "\n";
      } else {
        y << "      width_km: TODO    # TODO: how deep the zone is, km\n";
      }
      y << "      side: TODO    # TODO: left or right of the line, looking along it from its first point\n"
        << "    approximate: true\n";
    }
  }

  y << "provisions:\n";
  y << "  - id: ceasefire\n    text: " << YamlQuote(a.source.sentence) << "\n"
    << "    prohibits: [Battles, Explosions/Remote violence, Violence against civilians]    # check the acts\n";
  if (!actor_ids.empty()) {
    y << "    by: [";
    for (size_t i = 0; i < actor_ids.size(); ++i) y << (i ? ", " : "") << actor_ids[i];
    y << "]\n";
  }
  y << "    where: area\n";
  // Obligations bind the parties; an agreement without named parties needs a person to say who.
  std::string by = "TODO    # TODO: who must act (side ids, actor ids or parties)";
  if (!a.parties.empty()) {
    by = "[";
    for (size_t i = 0; i < a.parties.size(); ++i) by += (i ? ", " : "") + YamlQuote(a.parties[i]);
    by += "]";
  }
  int n = 1;
  for (size_t i = 0; i < a.provisions.size(); ++i) {
    const ProvisionOut& p = a.provisions[i];
    if (p.type == "security_corridor" || p.type == "demilitarized_zone") continue;  // zones, ruled by `ceasefire`
    ++n;
    y << "  - id: art" << n << "\n    text: " << YamlQuote(p.source.sentence) << "\n";
    if (p.type == "joint_patrol") {
      y << "    obligation: joint_patrol\n    by: " << by << "\n";
      if (!provision_zone[i].empty()) {
        y << "    along: " << provision_zone[i] << "\n";
      } else {
        y << "    along: TODO    # TODO: the corridor or band zone whose line the patrols follow\n";
      }
      if (IsLocalTime(p.starts_on)) y << "    from: " << p.starts_on << "\n";
      y << "    # between: [PLACE, PLACE]    # optional: the route section's two ends (ids under `places:`)\n";
    } else if (p.type == "withdrawal") {
      y << "    obligation: withdraw\n    by: " << by << "\n"
        << "    zone: TODO    # TODO: the zone to withdraw from\n";
      if (IsLocalTime(p.deadline)) y << "    due: " << p.deadline << "\n";
    } else {
      y << "    obligation: other    # " << p.type << "\n    by: " << by << "\n";
      if (IsLocalTime(p.deadline)) y << "    due: " << p.deadline << "\n";
    }
  }
  return y.str();
}

}  // namespace truce::extract
