// JSON (EXTRACTION.md) and the draft agreement YAML.
#include <cmath>
#include <cstdio>
#include <optional>
#include <vector>
#include <sstream>

#include "truce/extract/extractor.h"

namespace truce::extract {
namespace {

// A small streaming JSON writer: the output is written once per report, and a
// DOM (nlohmann) costs a fifth of the whole extraction.
class Writer {
 public:
  explicit Writer(bool pretty) : pretty_(pretty) {}
  std::string Take() { return std::move(out_); }

  Writer& Begin(char c) {
    Sep();
    out_.push_back(c);
    first_.push_back(true);
    return *this;
  }
  Writer& End(char c) {
    bool empty = first_.back();
    first_.pop_back();
    if (!empty) Newline();
    out_.push_back(c);
    return *this;
  }
  Writer& Key(std::string_view k) {
    Sep();
    Quote(k);
    out_ += pretty_ ? ": " : ":";
    after_key_ = true;
    return *this;
  }
  Writer& Str(std::string_view v) {
    Sep();
    Quote(v);
    return *this;
  }
  Writer& StrOrNull(const std::string& v) { return v.empty() ? Null() : Str(v); }
  Writer& Null() {
    Sep();
    out_ += "null";
    return *this;
  }
  Writer& Num(double v) {
    Sep();
    char buf[40];
    if (std::floor(v) == v && std::fabs(v) < 9e15) std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
    else std::snprintf(buf, sizeof buf, "%.10g", v);
    out_ += buf;
    return *this;
  }
  Writer& OptNum(const std::optional<double>& v) { return v ? Num(*v) : Null(); }

 private:
  void Newline() {
    if (!pretty_) return;
    out_.push_back('\n');
    out_.append(2 * first_.size(), ' ');
  }
  void Sep() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (first_.empty()) return;
    if (!first_.back()) out_.push_back(',');
    first_.back() = false;
    Newline();
  }
  void Quote(std::string_view s) {
    out_.push_back('"');
    for (unsigned char c : s) {
      switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        default:
          if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out_ += buf;
          } else {
            out_.push_back(static_cast<char>(c));
          }
      }
    }
    out_.push_back('"');
  }
  bool pretty_;
  bool after_key_ = false;
  std::vector<bool> first_;
  std::string out_;
};

void WriteActor(Writer& w, const ActorRef& a) {
  w.Begin('{');
  w.Key("name").StrOrNull(a.name);
  w.Key("country").StrOrNull(a.country);
  w.Key("kind").Str(a.kind.empty() ? "unknown" : a.kind);
  w.End('}');
}
void WriteOptActor(Writer& w, const std::optional<ActorRef>& a) {
  if (a) WriteActor(w, *a);
  else w.Null();
}
void WriteSource(Writer& w, const Source& s) {
  w.Key("span").Begin('[').Num(static_cast<double>(s.begin)).Num(static_cast<double>(s.end)).End(']');
  w.Key("sentence").Str(s.sentence);
  w.Key("confidence").Num(std::round(s.confidence * 100) / 100);
}

}  // namespace

std::string ToJson(const Extraction& x, bool pretty) {
  Writer w(pretty);
  w.Begin('{');
  w.Key("document").Begin('{');
  w.Key("title").Str(x.title);
  w.Key("published").Str(x.published);
  w.Key("dateline").StrOrNull(x.dateline);
  if (!x.agency.empty()) w.Key("agency").Str(x.agency);
  w.Key("sentences").Num(static_cast<double>(x.sentence_count));
  w.End('}');
  w.Key("agreements").Begin('[');
  for (const AgreementOut& a : x.agreements) {
    w.Begin('{');
    w.Key("type").Str(a.type);
    w.Key("parties").Begin('[');
    for (const auto& p : a.parties) w.Str(p);
    w.End(']');
    w.Key("area");
    if (a.area) {
      w.Begin('{').Key("name").StrOrNull(a.area->name).Key("country").StrOrNull(a.area->country).End('}');
    } else {
      w.Null();
    }
    w.Key("agreed_on").StrOrNull(a.agreed_on);
    w.Key("effective_from").StrOrNull(a.effective_from);
    w.Key("ends_on").StrOrNull(a.ends_on);
    w.Key("provisions").Begin('[');
    for (const ProvisionOut& p : a.provisions) {
      w.Begin('{');
      w.Key("type").Str(p.type);
      if (!p.starts_on.empty()) w.Key("starts_on").Str(p.starts_on);
      if (!p.deadline.empty()) w.Key("deadline").Str(p.deadline);
      if (!p.along.empty()) w.Key("along").Str(p.along);
      if (p.width_km) w.Key("width_km").Num(*p.width_km);
      if (p.depth_km) w.Key("depth_km").Num(*p.depth_km);
      WriteSource(w, p.source);
      w.End('}');
    }
    w.End(']');
    w.Key("party_actors").Begin('[');
    for (const ActorRef& r : a.party_actors) WriteActor(w, r);
    w.End(']');
    WriteSource(w, a.source);
    w.End('}');
  }
  w.End(']');
  w.Key("events").Begin('[');
  for (const EventOut& e : x.events) {
    w.Begin('{');
    w.Key("date").StrOrNull(e.date);
    w.Key("event_type").StrOrNull(e.event_type);
    w.Key("sub_event_type").StrOrNull(e.sub_event_type);
    w.Key("actor1");
    WriteOptActor(w, e.actor1);
    w.Key("actor2");
    WriteOptActor(w, e.actor2);
    w.Key("location").Begin('{');
    w.Key("name").StrOrNull(e.location.name);
    w.Key("country").StrOrNull(e.location.country);
    w.Key("admin1").StrOrNull(e.location.admin1);
    w.Key("lat").OptNum(e.location.lat);
    w.Key("lon").OptNum(e.location.lon);
    w.End('}');
    w.Key("fatalities").OptNum(e.fatalities);
    w.Key("injured").OptNum(e.injured);
    WriteSource(w, e.source);
    w.End('}');
  }
  w.End(']');
  w.Key("claims").Begin('[');
  for (const ClaimOut& c : x.claims) {
    w.Begin('{');
    w.Key("claimant");
    WriteActor(w, c.claimant);
    w.Key("kind").Str(c.kind);
    w.Key("count").Num(c.count);
    w.Key("qualifier").Str(c.qualifier);
    w.Key("subject");
    WriteOptActor(w, c.subject);
    w.Key("by");
    WriteOptActor(w, c.by);
    w.Key("from").StrOrNull(c.from);
    w.Key("to").StrOrNull(c.to);
    WriteSource(w, c.source);
    w.End('}');
  }
  w.End(']');
  w.Key("accusations").Begin('[');
  for (const AccusationOut& a : x.accusations) {
    w.Begin('{');
    w.Key("accuser");
    WriteActor(w, a.accuser);
    w.Key("accused");
    WriteActor(w, a.accused);
    w.Key("of").StrOrNull(a.of);
    WriteSource(w, a.source);
    w.End('}');
  }
  w.End(']');
  w.Key("vague_figures").Begin('[');
  for (const VagueFigureOut& v : x.vague_figures) {
    w.Begin('{');
    w.Key("claimant");
    WriteActor(w, v.claimant);
    w.Key("kind").Str(v.kind);
    w.Key("count").Null();
    w.Key("qualifier").Str("vague");
    w.Key("text").Str(v.text);
    w.Key("subject");
    WriteOptActor(w, v.subject);
    WriteSource(w, v.source);
    w.End('}');
  }
  w.End(']');
  if (!x.warnings.empty()) {
    w.Key("warnings").Begin('[');
    for (const auto& s : x.warnings) w.Str(s);
    w.End(']');
  }
  w.End('}');
  std::string out = w.Take();
  out.push_back('\n');
  return out;
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
