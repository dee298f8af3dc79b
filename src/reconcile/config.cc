// matching.yaml -> Config. Every key is checked: an unknown key, a value of
// the wrong kind or out of range is a ParseError naming file:line:column.
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <set>

#include "config.h"
#include "truce/core/strings.h"

namespace truce::reconcile {

namespace {

class Reader {
 public:
  explicit Reader(const std::string& name) : name_(name) {}

  Status Error(const YAML::Node& node, const std::string& message) const {
    YAML::Mark m = node.Mark();
    const int line = m.is_null() ? 1 : m.line + 1, column = m.is_null() ? 1 : m.column + 1;
    return Status::ParseErrorAt(name_, line, column, message);
  }

  // Every key of `map` must be one of `allowed`.
  Status Keys(const YAML::Node& map, const std::string& where, const std::set<std::string>& allowed) const {
    if (!map.IsMap()) return Error(map, where + " must be a map");
    for (const auto& kv : map) {
      const std::string key = kv.first.Scalar();
      if (!allowed.count(key)) {
        std::string list;
        for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
        return Error(kv.first, "unknown key '" + key + "' in " + where + " (expected one of: " + list + ")");
      }
    }
    return Status::Ok();
  }

  Status Number(const YAML::Node& node, const std::string& what, double lo, double hi, double* out) const {
    if (!node.IsScalar()) return Error(node, what + " must be a number");
    std::optional<double> v = ParseDouble(node.Scalar());
    if (!v || !std::isfinite(*v)) return Error(node, what + " must be a number, not '" + node.Scalar() + "'");
    if (*v < lo || *v > hi) {
      return Error(node, what + " must be within [" + Fmt(lo) + ", " + Fmt(hi) + "], not " + node.Scalar());
    }
    *out = *v;
    return Status::Ok();
  }

  Status Int(const YAML::Node& node, const std::string& what, long long lo, long long hi, long long* out) const {
    if (!node.IsScalar()) return Error(node, what + " must be a whole number");
    std::optional<long long> v = ParseInt(node.Scalar());
    if (!v) return Error(node, what + " must be a whole number, not '" + node.Scalar() + "'");
    if (*v < lo || *v > hi) {
      return Error(node, what + " must be within [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    }
    *out = *v;
    return Status::Ok();
  }

  Status Bool(const YAML::Node& node, const std::string& what, bool* out) const {
    if (node.IsScalar() && (node.Scalar() == "true" || node.Scalar() == "false")) {
      *out = node.Scalar() == "true";
      return Status::Ok();
    }
    return Error(node, what + " must be true or false");
  }

  Status Text(const YAML::Node& node, const std::string& what, std::string* out) const {
    if (!node.IsScalar() || Trim(node.Scalar()).empty()) return Error(node, what + " must be a non-empty text");
    *out = std::string(Trim(node.Scalar()));
    return Status::Ok();
  }

  Status Grade(const YAML::Node& node, const std::string& what, std::string* out) const {
    if (!node.IsScalar() || node.Scalar().size() != 1 || node.Scalar()[0] < 'A' || node.Scalar()[0] > 'F') {
      return Error(node, what + " must be a grade A to F");
    }
    *out = node.Scalar();
    return Status::Ok();
  }

  Status Texts(const YAML::Node& node, const std::string& what, std::vector<std::string>* out) const {
    if (!node.IsSequence()) return Error(node, what + " must be a list");
    for (const YAML::Node& item : node) {
      std::string s;
      TRUCE_RETURN_IF_ERROR(Text(item, what + " entries", &s));
      out->push_back(std::move(s));
    }
    return Status::Ok();
  }

 private:
  static std::string Fmt(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
  }
  const std::string& name_;
};

Status ReadScore(const Reader& r, const YAML::Node& node, Config* c) {
  TRUCE_RETURN_IF_ERROR(r.Keys(node, "score", {"weights", "threshold", "neutral", "group_floor", "within_radius"}));
  if (node["weights"]) {
    const YAML::Node w = node["weights"];
    TRUCE_RETURN_IF_ERROR(r.Keys(w, "score.weights", {"distance", "time", "type", "actors", "fatalities"}));
    const std::pair<const char*, double*> parts[] = {{"distance", &c->weight_distance},
                                                     {"time", &c->weight_time},
                                                     {"type", &c->weight_type},
                                                     {"actors", &c->weight_actors},
                                                     {"fatalities", &c->weight_fatalities}};
    for (const auto& [key, dest] : parts) {
      if (w[key]) TRUCE_RETURN_IF_ERROR(r.Number(w[key], std::string("score.weights.") + key, 0, 100, dest));
    }
    if (c->WeightSum() <= 0) return r.Error(w, "score.weights must not all be 0");
  }
  if (node["threshold"]) TRUCE_RETURN_IF_ERROR(r.Number(node["threshold"], "score.threshold", 0, 1, &c->threshold));
  if (node["neutral"]) TRUCE_RETURN_IF_ERROR(r.Number(node["neutral"], "score.neutral", 0, 1, &c->neutral));
  if (node["within_radius"]) {
    TRUCE_RETURN_IF_ERROR(r.Number(node["within_radius"], "score.within_radius", 0, 1, &c->within_radius));
  }
  if (node["group_floor"]) {
    TRUCE_RETURN_IF_ERROR(r.Number(node["group_floor"], "score.group_floor", 0, 1, &c->group_floor));
  }
  return Status::Ok();
}

Status ReadDatasets(const Reader& r, const YAML::Node& node, Config* c) {
  if (!node.IsMap()) return r.Error(node, "datasets must be a map of dataset names");
  for (const auto& kv : node) {
    const std::string name = kv.first.Scalar();
    const std::string where = "datasets." + name;
    TRUCE_RETURN_IF_ERROR(r.Keys(kv.second, where, {"curated", "observation", "grade", "date_lag_days", "counts_fatalities", "coded_actors"}));
    DatasetRule rule;
    if (kv.second["curated"]) TRUCE_RETURN_IF_ERROR(r.Bool(kv.second["curated"], where + ".curated", &rule.curated));
    if (kv.second["observation"]) {
      TRUCE_RETURN_IF_ERROR(r.Bool(kv.second["observation"], where + ".observation", &rule.observation));
    }
    if (kv.second["grade"]) TRUCE_RETURN_IF_ERROR(r.Grade(kv.second["grade"], where + ".grade", &rule.grade));
    if (kv.second["date_lag_days"]) {
      long long lag = 0;
      TRUCE_RETURN_IF_ERROR(r.Int(kv.second["date_lag_days"], where + ".date_lag_days", 0, 31, &lag));
      rule.date_lag_days = static_cast<int>(lag);
    }
    if (kv.second["counts_fatalities"]) {
      TRUCE_RETURN_IF_ERROR(r.Bool(kv.second["counts_fatalities"], where + ".counts_fatalities", &rule.counts_fatalities));
    }
    if (kv.second["coded_actors"]) {
      TRUCE_RETURN_IF_ERROR(r.Bool(kv.second["coded_actors"], where + ".coded_actors", &rule.coded_actors));
    }
    c->datasets[name] = rule;
  }
  return Status::Ok();
}

Status ReadTypeGroups(const Reader& r, const YAML::Node& node, Config* c) {
  if (!node.IsSequence()) return r.Error(node, "event_types must be a list of groups");
  if (node.size() > 64) return r.Error(node, "event_types: at most 64 groups");
  for (const YAML::Node& g : node) {
    TRUCE_RETURN_IF_ERROR(r.Keys(g, "an event_types group", {"group", "acled", "ucdp", "cameo"}));
    TypeGroup group;
    if (!g["group"]) return r.Error(g, "an event_types group needs a name (group: ...)");
    TRUCE_RETURN_IF_ERROR(r.Text(g["group"], "group", &group.name));
    if (g["acled"]) {
      std::vector<std::string> types;
      TRUCE_RETURN_IF_ERROR(r.Texts(g["acled"], "acled", &types));
      for (const std::string& t : types) {
        const std::size_t colon = t.find(": ");
        if (colon == std::string::npos) {
          group.acled.emplace_back(t, "");
        } else {
          group.acled.emplace_back(std::string(Trim(t.substr(0, colon))), std::string(Trim(t.substr(colon + 2))));
        }
      }
    }
    if (g["ucdp"]) {
      if (!g["ucdp"].IsSequence()) return r.Error(g["ucdp"], "ucdp must be a list of types of violence (1, 2, 3)");
      for (const YAML::Node& v : g["ucdp"]) {
        long long t = 0;
        TRUCE_RETURN_IF_ERROR(r.Int(v, "a UCDP type of violence", 1, 3, &t));
        group.ucdp.push_back(static_cast<int>(t));
      }
    }
    if (g["cameo"]) {
      TRUCE_RETURN_IF_ERROR(r.Texts(g["cameo"], "cameo", &group.cameo));
      for (std::size_t i = 0; i < group.cameo.size(); ++i) {
        for (char ch : group.cameo[i]) {
          if (ch < '0' || ch > '9') return r.Error(g["cameo"][i], "a CAMEO code is digits, not '" + group.cameo[i] + "'");
        }
      }
    }
    c->type_groups.push_back(std::move(group));
  }
  return Status::Ok();
}

Status ReadNames(const Reader& r, const YAML::Node& node, const std::string& where,
                 std::map<std::string, std::string>* out) {
  if (!node.IsMap()) return r.Error(node, where + " must be a map of code: name");
  for (const auto& kv : node) {
    std::string name;
    TRUCE_RETURN_IF_ERROR(r.Text(kv.second, where + "." + kv.first.Scalar(), &name));
    (*out)[kv.first.Scalar()] = name;
  }
  return Status::Ok();
}

Status ReadActors(const Reader& r, const YAML::Node& node, Config* c) {
  TRUCE_RETURN_IF_ERROR(r.Keys(node, "actors", {"unknown", "same", "cameo_roles", "countries", "disjoint_veto"}));
  if (node["cameo_roles"]) {
    const YAML::Node n = node["cameo_roles"];
    if (!n.IsMap()) return r.Error(n, "actors.cameo_roles must be a map of role code: name");
    for (const auto& kv : n) {
      const std::string role = kv.first.Scalar();
      if (role.size() != 3) return r.Error(kv.first, "a CAMEO role code has three letters, not '" + role + "'");
      std::string upper = role;
      for (char& ch : upper) ch = (ch >= 'a' && ch <= 'z') ? static_cast<char>(ch - 'a' + 'A') : ch;
      auto& names = c->cameo_roles[upper];
      const std::string where = "actors.cameo_roles." + role;
      if (kv.second.IsMap()) {
        // {"": Protesters, "145": Rioters}: by the event's CAMEO code.
        for (const auto& by_code : kv.second) {
          const std::string prefix = by_code.first.Scalar();
          for (char ch : prefix) {
            if (ch < '0' || ch > '9') return r.Error(by_code.first, "a CAMEO event code is digits, not '" + prefix + "'");
          }
          std::string name;
          TRUCE_RETURN_IF_ERROR(r.Text(by_code.second, where + "." + prefix, &name));
          names.emplace_back(prefix, name);
        }
      } else {
        std::string name;
        TRUCE_RETURN_IF_ERROR(r.Text(kv.second, where, &name));
        names.emplace_back("", name);
      }
    }
  }
  if (node["disjoint_veto"]) TRUCE_RETURN_IF_ERROR(r.Bool(node["disjoint_veto"], "actors.disjoint_veto", &c->disjoint_veto));
  if (node["countries"]) {
    if (!node["countries"].IsSequence()) {
      return r.Error(node["countries"], "actors.countries must be a list of lists of spellings");
    }
    for (const YAML::Node& set : node["countries"]) {
      std::vector<std::string> names;
      TRUCE_RETURN_IF_ERROR(r.Texts(set, "an actors.countries list", &names));
      if (names.size() < 2) return r.Error(set, "an actors.countries list names at least two spellings");
      for (const std::string& n : names) c->country_alias[FoldName(n)] = FoldName(names.front());
    }
  }
  if (node["unknown"]) {
    std::vector<std::string> names;
    TRUCE_RETURN_IF_ERROR(r.Texts(node["unknown"], "actors.unknown", &names));
    for (const std::string& n : names) c->unknown_actors.push_back(FoldName(n));
  }
  if (node["same"]) {
    if (!node["same"].IsSequence()) return r.Error(node["same"], "actors.same must be a list of lists of names");
    for (const YAML::Node& set : node["same"]) {
      std::vector<std::string> names;
      TRUCE_RETURN_IF_ERROR(r.Texts(set, "an actors.same list", &names));
      if (names.size() < 2) return r.Error(set, "an actors.same list names at least two spellings");
      ActorSet s;
      for (std::size_t i = 0; i < names.size(); ++i) {
        const std::size_t hole = names[i].find("{}");
        if (hole == std::string::npos) {
          s.names.push_back(FoldName(names[i]));
        } else if (names[i].find("{}", hole + 2) != std::string::npos) {
          return r.Error(set[i], "a name pattern has one {} at most");
        } else {
          s.patterns.emplace_back(FoldName(names[i].substr(0, hole)), FoldName(names[i].substr(hole + 2)));
        }
      }
      c->actor_sets.push_back(std::move(s));
    }
  }
  return Status::Ok();
}

Status ReadRoot(const Reader& r, const YAML::Node& root, Config* c) {
  TRUCE_RETURN_IF_ERROR(r.Keys(root, "the matching file",
                               {"version", "score", "candidates", "datasets", "default_grade", "sources", "type_from",
                                "type_scores", "event_types", "type_names", "actors"}));
  if (root["version"]) {
    long long v = 0;
    TRUCE_RETURN_IF_ERROR(r.Int(root["version"], "version", 1, 1, &v));
  }
  if (root["score"]) TRUCE_RETURN_IF_ERROR(ReadScore(r, root["score"], c));
  if (root["candidates"]) {
    const YAML::Node n = root["candidates"];
    TRUCE_RETURN_IF_ERROR(r.Keys(n, "candidates", {"max_day_gap", "distance_slack_km", "max_radius_km"}));
    if (n["max_day_gap"]) {
      long long gap = 0;
      TRUCE_RETURN_IF_ERROR(r.Int(n["max_day_gap"], "candidates.max_day_gap", 0, 31, &gap));
      c->max_day_gap = static_cast<int>(gap);
    }
    if (n["distance_slack_km"]) {
      double km = 0;
      TRUCE_RETURN_IF_ERROR(r.Number(n["distance_slack_km"], "candidates.distance_slack_km", 0, 100, &km));
      c->distance_slack_m = km * 1000;
    }
    if (n["max_radius_km"]) {
      double km = 0;
      TRUCE_RETURN_IF_ERROR(r.Number(n["max_radius_km"], "candidates.max_radius_km", 0, 20000, &km));
      c->max_radius_m = km * 1000;
    }
  }
  if (root["datasets"]) TRUCE_RETURN_IF_ERROR(ReadDatasets(r, root["datasets"], c));
  if (root["default_grade"]) TRUCE_RETURN_IF_ERROR(r.Grade(root["default_grade"], "default_grade", &c->default_grade));
  if (root["sources"]) {
    const YAML::Node n = root["sources"];
    if (!n.IsMap()) return r.Error(n, "sources must be a map of name: grade");
    for (const auto& kv : n) {
      std::string grade;
      TRUCE_RETURN_IF_ERROR(r.Grade(kv.second, "sources." + kv.first.Scalar(), &grade));
      c->source_grades[FoldName(kv.first.Scalar())] = grade;
    }
  }
  if (root["type_from"]) TRUCE_RETURN_IF_ERROR(r.Texts(root["type_from"], "type_from", &c->type_from));
  if (root["type_scores"]) {
    const YAML::Node n = root["type_scores"];
    TRUCE_RETURN_IF_ERROR(r.Keys(n, "type_scores", {"same", "same_type", "compatible", "related", "unrelated"}));
    const std::pair<const char*, double*> parts[] = {{"same", &c->type_same},
                                                     {"same_type", &c->type_same_type},
                                                     {"compatible", &c->type_compatible},
                                                     {"related", &c->type_related},
                                                     {"unrelated", &c->type_unrelated}};
    for (const auto& [key, dest] : parts) {
      if (n[key]) TRUCE_RETURN_IF_ERROR(r.Number(n[key], std::string("type_scores.") + key, 0, 1, dest));
    }
  }
  if (root["event_types"]) TRUCE_RETURN_IF_ERROR(ReadTypeGroups(r, root["event_types"], c));
  if (root["type_names"]) {
    const YAML::Node n = root["type_names"];
    TRUCE_RETURN_IF_ERROR(r.Keys(n, "type_names", {"acled", "ucdp", "cameo"}));
    if (n["acled"]) TRUCE_RETURN_IF_ERROR(ReadNames(r, n["acled"], "type_names.acled", &c->acled_names));
    if (n["ucdp"]) TRUCE_RETURN_IF_ERROR(ReadNames(r, n["ucdp"], "type_names.ucdp", &c->ucdp_names));
    if (n["cameo"]) TRUCE_RETURN_IF_ERROR(ReadNames(r, n["cameo"], "type_names.cameo", &c->cameo_names));
  }
  if (root["actors"]) TRUCE_RETURN_IF_ERROR(ReadActors(r, root["actors"], c));
  return Status::Ok();
}

}  // namespace

Result<std::shared_ptr<const Config>> ParseConfig(std::string_view yaml_text, const std::string& name) {
  auto config = std::make_shared<Config>();
  const Reader reader(name);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    return Status::ParseErrorAt(name, e.mark.is_null() ? 1 : e.mark.line + 1,
                                e.mark.is_null() ? 1 : e.mark.column + 1, e.msg);
  }
  if (root.IsNull()) return std::shared_ptr<const Config>(std::move(config));  // every default
  TRUCE_RETURN_IF_ERROR(ReadRoot(reader, root, config.get()));
  return std::shared_ptr<const Config>(std::move(config));
}

bool Config::Curated(std::string_view dataset) const {
  auto it = datasets.find(std::string(dataset));
  return it != datasets.end() && it->second.curated;
}

bool Config::Observation(std::string_view dataset) const {
  auto it = datasets.find(std::string(dataset));
  return it != datasets.end() && it->second.observation;
}

std::string Config::SourceGrade(std::string_view name) const {
  if (source_grades.empty() || Trim(name).empty()) return "";
  auto it = source_grades.find(FoldName(name));
  return it == source_grades.end() ? "" : it->second;
}

std::string Config::GradeOf(const model::Report& r) const {
  // A dataset row is graded as its dataset; a news report as its outlet when
  // the outlet is named in `sources`.
  if (!Curated(r.dataset) && !Observation(r.dataset)) {
    std::string g = SourceGrade(r.source);
    if (!g.empty()) return g;
  }
  auto it = datasets.find(r.dataset);
  if (it != datasets.end() && !it->second.grade.empty()) return it->second.grade;
  return default_grade;
}

const DatasetRule* Config::Dataset(std::string_view dataset) const {
  auto it = datasets.find(std::string(dataset));
  return it == datasets.end() ? nullptr : &it->second;
}

int Config::Specificity(std::string_view dataset) const {
  for (std::size_t i = 0; i < type_from.size(); ++i) {
    if (type_from[i] == dataset) return static_cast<int>(i);
  }
  return static_cast<int>(type_from.size());
}

std::string FoldName(std::string_view name) {
  name = Trim(name);
  // UCDP's years end the actor's name; words after them name a unit of it:
  // "Military Forces of Libya (2014-) Special Forces" is Libya's forces.
  for (std::size_t open = name.find('('); open != std::string_view::npos; open = name.find('(', open + 1)) {
    if (open > 0 && open + 1 < name.size() && name[open + 1] >= '0' && name[open + 1] <= '9') {
      name = Trim(name.substr(0, open));
      break;
    }
  }
  // A trailing "(...)": "Military Forces of Syria (2000-)", "Civilians (Syria)".
  while (!name.empty() && name.back() == ')') {
    const std::size_t open = name.rfind('(');
    if (open == std::string_view::npos || open == 0) break;
    name = Trim(name.substr(0, open));
  }
  std::string out;
  out.reserve(name.size());
  bool space = false;
  for (char ch : name) {
    const unsigned char u = static_cast<unsigned char>(ch);
    const bool word = u >= 0x80 || (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z');
    if (!word) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(u >= 'A' && u <= 'Z' ? static_cast<char>(u - 'A' + 'a') : ch);
  }
  return out;
}

std::string DatasetLabel(std::string_view dataset) {
  if (dataset == "acled") return "ACLED";
  if (dataset == "ucdp") return "UCDP";
  if (dataset == "gdelt") return "GDELT";
  if (dataset == "geojson") return "GeoJSON";
  return std::string(dataset);
}

}  // namespace truce::reconcile
