// Features of a report and the score of a pair, part by part, with the
// reason in words (docs/reconcile.md, "The score").
#include "features.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "truce/core/strings.h"

namespace truce::reconcile {

namespace {

constexpr double kEarthRadiusM = 6371008.8;
constexpr double kPi = 3.14159265358979323846;

std::int32_t DaysOf(time::Days d) { return static_cast<std::int32_t>(d.time_since_epoch().count()); }

bool IsDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// "Military Forces of Syria (2000-)" -> "Military Forces of Syria".
std::string DisplayName(std::string_view name) {
  name = Trim(name);
  while (!name.empty() && name.back() == ')') {
    const std::size_t open = name.rfind('(');
    if (open == std::string_view::npos || open == 0) break;
    name = Trim(name.substr(0, open));
  }
  return std::string(name);
}

// "10 km", "2 km", "500 m": a radius as reasons give it.
std::string RadiusText(double r_m) {
  char buf[32];
  if (r_m >= 1000) {
    std::snprintf(buf, sizeof buf, "%g km", std::round(r_m / 100) / 10);
  } else {
    std::snprintf(buf, sizeof buf, "%.0f m", r_m);
  }
  return buf;
}

std::string Possessive(const model::Report& r) {
  if (r.dataset == "news") return "the news report's";
  if (r.dataset == "geojson") return "the observation's";
  return DatasetLabel(r.dataset) + "'s";
}

std::string WindowText(std::int32_t first, std::int32_t last) {
  const std::string f = time::FormatDate(time::Days{std::chrono::days{first}});
  if (first == last) return f;
  return f + " to " + time::FormatDate(time::Days{std::chrono::days{last}});
}

std::string RangeText(int lo, int hi) { return lo == hi ? std::to_string(lo) : std::to_string(lo) + "-" + std::to_string(hi); }

std::string Lower(std::string_view s) { return ToLowerAscii(s); }

// How a reason names a report's classification: "shelling", "UCDP state-based".
std::string TypeName(const Config& c, const model::Report& r, Scheme scheme) {
  switch (scheme) {
    case Scheme::kAcled: {
      if (!r.sub_event_type.empty()) {
        auto it = c.acled_names.find(r.sub_event_type);
        return it != c.acled_names.end() ? it->second : Lower(r.sub_event_type);
      }
      auto it = c.acled_names.find(r.event_type);
      return it != c.acled_names.end() ? it->second : Lower(r.event_type);
    }
    case Scheme::kUcdp: {
      const std::string code = r.native_code.substr(5);
      auto it = c.ucdp_names.find(code);
      return it != c.ucdp_names.end() ? it->second : "UCDP type " + code;
    }
    case Scheme::kCameo: {
      for (std::size_t n = r.native_code.size(); n > 0; --n) {
        auto it = c.cameo_names.find(r.native_code.substr(0, n));
        if (it != c.cameo_names.end()) return n == r.native_code.size() ? it->second : it->second + " (" + r.native_code + ")";
      }
      return "CAMEO " + r.native_code;
    }
    case Scheme::kNone: break;
  }
  return "no type";
}

std::string GroupName(const Config& c, std::uint64_t common) {
  for (std::size_t i = 0; i < c.type_groups.size(); ++i) {
    if (common & (std::uint64_t{1} << i)) return c.type_groups[i].name;
  }
  return "";
}

const std::string& ActorField(const model::Report& r, std::uint8_t slot) { return slot == 1 ? r.actor1 : r.actor2; }

bool SameActor(const ActorKeys& x, const ActorKeys& y) {
  for (std::int32_t a : x) {
    if (a < 0) continue;
    for (std::int32_t b : y) {
      if (a == b) return true;
    }
  }
  return false;
}

// "Rioters vs Protesters": both reports' actors as reasons name them.
std::string DisjointText(const model::Report& a, const Features& fa, const model::Report& b, const Features& fb) {
  std::string x, y;
  for (int i = 0; i < fa.actor_count; ++i) x += (i ? ", " : "") + DisplayName(ActorField(a, fa.actor_slot[i]));
  for (int j = 0; j < fb.actor_count; ++j) y += (j ? ", " : "") + DisplayName(ActorField(b, fb.actor_slot[j]));
  return x + " vs " + y;
}

}  // namespace

double SphereDistanceM(double lat1_deg, double lon1_deg, double lat2_deg, double lon2_deg) {
  const double to_rad = kPi / 180;
  const double p1 = lat1_deg * to_rad, p2 = lat2_deg * to_rad;
  const double dp = p2 - p1, dl = (lon2_deg - lon1_deg) * to_rad;
  const double s1 = std::sin(dp / 2), s2 = std::sin(dl / 2);
  const double h = s1 * s1 + std::cos(p1) * std::cos(p2) * s2 * s2;
  return 2 * kEarthRadiusM * std::asin(std::min(1.0, std::sqrt(h)));
}

std::int32_t FeatureBuilder::Intern(std::unordered_map<std::string, std::int32_t>* ids, const std::string& s) {
  auto it = ids->find(s);
  if (it != ids->end()) return it->second;
  const std::int32_t id = static_cast<std::int32_t>(ids->size());
  ids->emplace(s, id);
  return id;
}

FeatureBuilder::FeatureBuilder(const Config& config, const ActorResolver& resolve) : config_(config), resolve_(resolve) {
  // A list that names a pattern's name is that pattern's actor: Syria's list
  // holds "Military Forces of Syria", so "Syrian army" ~ "Government of Syria".
  for (std::size_t j = 0; j < config_.actor_sets.size(); ++j) {
    for (const std::string& name : config_.actor_sets[j].names) {
      for (std::size_t i = 0; i < config_.actor_sets.size(); ++i) {
        if (i == j || config_.actor_sets[i].patterns.empty()) continue;
        std::string key = SetKey(i, name);
        if (!key.empty()) set_alias_.try_emplace("set:" + std::to_string(j), std::move(key));
      }
    }
  }
}

std::string FeatureBuilder::SetKey(std::size_t i, const std::string& folded) const {
  const ActorSet& set = config_.actor_sets[i];
  if (std::find(set.names.begin(), set.names.end(), folded) != set.names.end()) return "set:" + std::to_string(i);
  for (const auto& [prefix, suffix] : set.patterns) {
    // "{}" stands for whole words: "military forces of " + X + "".
    const std::size_t lead = prefix.empty() ? 0 : prefix.size() + 1, tail = suffix.empty() ? 0 : suffix.size() + 1;
    if (folded.size() <= lead + tail) continue;
    if (!prefix.empty() && (folded.compare(0, prefix.size(), prefix) != 0 || folded[prefix.size()] != ' ')) continue;
    if (!suffix.empty() && (folded.compare(folded.size() - suffix.size(), suffix.size(), suffix) != 0 ||
                            folded[folded.size() - suffix.size() - 1] != ' ')) {
      continue;
    }
    // The captured words through the country spellings: "Government of
    // DR Congo (Zaire)" ~ "Military Forces of Democratic Republic of Congo".
    std::string captured = folded.substr(lead, folded.size() - lead - tail);
    auto alias = config_.country_alias.find(captured);
    if (alias != config_.country_alias.end()) captured = alias->second;
    return "set:" + std::to_string(i) + ":" + captured;
  }
  return "";
}

void FeatureBuilder::KeysOf(const std::string& name, ActorKeys* keys) {
  auto cached = actor_cache_.find(name);
  if (cached != actor_cache_.end()) {
    *keys = cached->second;
    return;
  }
  ActorKeys k;
  k.fill(-1);
  int used = 0;
  const std::string folded = FoldName(name);
  const bool unknown = folded.empty() || std::find(config_.unknown_actors.begin(), config_.unknown_actors.end(),
                                                   folded) != config_.unknown_actors.end();
  if (!unknown) {
    k[used++] = Intern("name:" + folded);
    // ACLED's "NDC-C: Nduma Defense of Congo (Cheka)" is UCDP's "NDC-C": the
    // one word before a colon is the group's abbreviation.
    const std::size_t colon = name.find(':');
    const std::string_view before = colon == std::string::npos ? std::string_view{} : Trim(std::string_view(name).substr(0, colon));
    if (!before.empty() && before.find(' ') == std::string_view::npos) {
      const std::string abbreviation = FoldName(before);
      if (!abbreviation.empty() && abbreviation != folded) {
        k[used++] = Intern("name:" + abbreviation);
      }
    }
    if (resolve_) {
      std::string id = resolve_(name);
      if (!id.empty()) k[used++] = Intern("id:" + id);
    }
    // Every set that names it (up to the keys left): "Military Forces of
    // Syria" is in the pattern set and in Syria's own list.
    for (std::size_t i = 0; i < config_.actor_sets.size() && used < kActorKeys; ++i) {
      std::string key = SetKey(i, folded);
      if (key.empty()) continue;
      auto same = set_alias_.find(key);
      if (same != set_alias_.end()) key = same->second;
      const std::int32_t id = Intern(key);
      if (std::find(k.begin(), k.begin() + used, id) == k.begin() + used) k[used++] = id;
    }
  }
  actor_cache_.emplace(name, k);
  *keys = k;
}

std::string FeatureBuilder::CameoName(const model::Report& r, std::string_view code) const {
  if (config_.cameo_roles.empty() || code.size() < 3) return "";
  // CAMEO actor codes: an optional three-letter country, then role codes
  // ("KENCOP", "SYRMIL", "CVL"). Only the report's own country is named:
  // a foreign army in Syria is not "Military Forces of Syria".
  std::string_view role = code.substr(0, 3);
  bool own_country = false;
  if (code.size() >= 6 && code.substr(0, 3) == r.iso3) {
    role = code.substr(3, 3);
    own_country = true;
  }
  auto it = config_.cameo_roles.find(std::string(role));
  if (it == config_.cameo_roles.end()) return "";
  const std::string* name = nullptr;
  std::size_t longest = 0;
  for (const auto& [prefix, n] : it->second) {
    if (r.native_code.compare(0, prefix.size(), prefix) != 0) continue;
    if (name == nullptr || prefix.size() > longest) {
      name = &n;
      longest = prefix.size();
    }
  }
  if (name == nullptr) return "";
  const std::size_t hole = name->find("{}");
  if (hole == std::string::npos) return *name;
  if (!own_country || r.country.empty()) return "";
  return name->substr(0, hole) + r.country + name->substr(hole + 2);
}

namespace {

// "Actor1Code=KENCOP" in a GDELT report's notes -> "KENCOP".
std::string_view NoteValue(std::string_view notes, std::string_view key) {
  std::size_t at = 0;
  while ((at = notes.find(key, at)) != std::string_view::npos) {
    const bool starts = at == 0 || notes[at - 1] == ' ' || notes[at - 1] == ';';
    if (starts && at + key.size() < notes.size() && notes[at + key.size()] == '=') {
      const std::size_t from = at + key.size() + 1;
      const std::size_t end = notes.find(';', from);
      return Trim(notes.substr(from, end == std::string_view::npos ? std::string_view::npos : end - from));
    }
    at += key.size();
  }
  return {};
}

}  // namespace

Features FeatureBuilder::Build(const model::Report& r) {
  Features f;
  f.first_day = DaysOf(r.time.first_day);
  f.last_day = std::max(f.first_day, DaysOf(r.time.last_day));
  f.lat_deg = r.point.lat_deg;
  f.lon_deg = r.point.lon_deg;
  f.radius_m = std::max(0.0, r.uncertainty_m);
  f.cos_lat = std::cos(f.lat_deg * kPi / 180);
  f.record_id = r.record_id;
  f.dataset = Intern(&datasets_, r.dataset);
  f.curated = config_.Curated(r.dataset);
  if (f.curated) f.source = std::hash<std::string>{}(r.source_id);
  f.too_vague = f.radius_m > config_.max_radius_m;

  if (r.native_code.size() == 6 && r.native_code.compare(0, 5, "ucdp:") == 0 && r.native_code[5] >= '1' &&
      r.native_code[5] <= '3') {
    f.scheme = Scheme::kUcdp;
    f.type = r.native_code[5] - '0';
    for (std::size_t i = 0; i < config_.type_groups.size(); ++i) {
      const std::vector<int>& u = config_.type_groups[i].ucdp;
      if (std::find(u.begin(), u.end(), f.type) != u.end()) f.groups |= std::uint64_t{1} << i;
    }
  } else if (r.dataset == "gdelt" && IsDigits(r.native_code)) {
    f.scheme = Scheme::kCameo;
    f.type = Intern("cameo:" + r.native_code);
    f.cameo_root = r.native_code.size() >= 2 ? (r.native_code[0] - '0') * 10 + (r.native_code[1] - '0') : -1;
    for (std::size_t i = 0; i < config_.type_groups.size(); ++i) {
      for (const std::string& prefix : config_.type_groups[i].cameo) {
        if (r.native_code.compare(0, prefix.size(), prefix) == 0) f.groups |= std::uint64_t{1} << i;
      }
    }
  } else if (!r.event_type.empty()) {
    f.scheme = Scheme::kAcled;
    f.type = Intern(&types_, r.event_type);
    if (!r.sub_event_type.empty()) f.sub = Intern(&subs_, r.sub_event_type);
    for (std::size_t i = 0; i < config_.type_groups.size(); ++i) {
      for (const auto& [type, sub] : config_.type_groups[i].acled) {
        if (type == r.event_type && (sub.empty() || sub == r.sub_event_type)) f.groups |= std::uint64_t{1} << i;
      }
    }
  }

  const bool cameo_actors = r.dataset == "gdelt" && !config_.cameo_roles.empty();
  for (std::uint8_t slot : {std::uint8_t{1}, std::uint8_t{2}}) {
    ActorKeys keys;
    KeysOf(slot == 1 ? r.actor1 : r.actor2, &keys);
    bool role_named = false;
    if (cameo_actors) {
      const std::string role_name = CameoName(r, NoteValue(r.notes, slot == 1 ? "Actor1Code" : "Actor2Code"));
      role_named = !role_name.empty();
      if (role_named) {
        ActorKeys more;
        KeysOf(role_name, &more);
        // The role's keys first: GDELT's own name ("KENYA") says least.
        ActorKeys merged;
        merged.fill(-1);
        int used = 0;
        for (const ActorKeys* from : {&more, &keys}) {
          for (std::int32_t key : *from) {
            if (key < 0 || used == kActorKeys) continue;
            if (std::find(merged.begin(), merged.begin() + used, key) == merged.begin() + used) merged[used++] = key;
          }
        }
        keys = merged;
      }
    }
    if (keys[0] < 0) continue;
    // GDELT's name alone ("ETHIOPIA", "GUNMAN") does not identify an actor
    // well enough to rule a pair out.
    if (r.dataset == "gdelt" && !role_named) f.actors_firm = false;
    f.actors[f.actor_count] = keys;
    f.actor_slot[f.actor_count] = slot;
    ++f.actor_count;
  }

  if (const DatasetRule* rule = config_.Dataset(r.dataset)) {
    f.lag_days = rule->date_lag_days;
    f.first_day -= f.lag_days;
    f.fatal_known = rule->counts_fatalities;
    if (!rule->coded_actors) f.actors_firm = false;
  }

  const int best = std::max(0, r.fatalities);
  f.fatal_low = std::min(best, r.fatalities_low.value_or(best));
  f.fatal_high = std::max(best, r.fatalities_high.value_or(best));
  return f;
}

namespace {

// ScoreParts and QuickParts: `ra` and `rb` are the reports when the veto is
// wanted in words, else null (scanning reads only the source ids).
Parts Score(const Config& c, const std::string& source_a, const Features& fa, const std::string& source_b,
            const Features& fb, const model::Report* ra, const model::Report* rb) {
  const bool words = ra != nullptr && rb != nullptr;
  Parts p;
  // Rules first: they decide without the score.
  if (fa.curated && fa.dataset == fb.dataset && (fa.source != fb.source || source_a != source_b)) {
    p.allowed = false;
    if (words) {
      const model::Report &a = *ra, &b = *rb;
      p.veto = "two " + DatasetLabel(a.dataset) + " rows (" + a.source_id + ", " + b.source_id +
               "): a curated dataset's own rows are never merged";
    }
    return p;
  }
  if (fa.record_id != 0 && fa.record_id == fb.record_id) {
    p.allowed = false;
    if (words) p.veto = "both from one source record (" + std::to_string(ra->record_id) + "): two events it tells apart";
    return p;
  }
  if (fa.too_vague || fb.too_vague) {
    p.allowed = false;
    if (words) {
      const model::Report& v = fa.too_vague ? *ra : *rb;
      p.veto = Possessive(v) + " " + RadiusText(v.uncertainty_m) + " radius is too vague to match (over " +
               RadiusText(c.max_radius_m) + "); an analyst may link it";
    }
    return p;
  }
  const std::int32_t gap = std::max(fa.first_day, fb.first_day) - std::min(fa.last_day, fb.last_day);
  if (gap > c.max_day_gap) {
    p.allowed = false;
    if (words) p.veto = std::to_string(gap) + " days apart, more than " + std::to_string(c.max_day_gap);
    return p;
  }
  const double limit_m = fa.radius_m + fb.radius_m + c.distance_slack_m;
  if (!words) {
    // A quick bound first: most candidates from the index's cells are too
    // far, and the equirectangular distance is within a few per cent at
    // these scales (the 10 % margin keeps every pair the sphere would).
    const double dy = (fa.lat_deg - fb.lat_deg) * 111195.0;
    const double dx = (fa.lon_deg - fb.lon_deg) * 111195.0 * std::min(fa.cos_lat, fb.cos_lat);
    if (dx * dx + dy * dy > 1.21 * limit_m * limit_m) {
      p.allowed = false;
      return p;
    }
  }
  p.distance_m = SphereDistanceM(fa.lat_deg, fa.lon_deg, fb.lat_deg, fb.lon_deg);
  if (p.distance_m > limit_m) {
    p.allowed = false;
    if (words) {
      p.veto = FormatDistance(p.distance_m) + " apart, beyond both radii and the slack (" + RadiusText(limit_m) + ")";
    }
    return p;
  }

  p.distance = limit_m > 0 ? 1 - p.distance_m / limit_m : 1;
  if (p.distance_m <= std::max(fa.radius_m, fb.radius_m)) p.distance = std::max(p.distance, c.within_radius);

  if (gap > 0) {
    p.time = 0.5 * (1 - static_cast<double>(gap) / (c.max_day_gap + 1));
  } else {
    // Overlapping windows: a vaguer window costs up to 0.3 (it agrees with
    // more days than the happening had).
    const double la = fa.last_day - fa.first_day + 1, lb = fb.last_day - fb.first_day + 1;
    p.time = 1 - 0.3 * (1 - std::min(la, lb) / std::max(la, lb));
  }

  if (fa.scheme == Scheme::kNone || fb.scheme == Scheme::kNone) {
    p.type_known = false;
    p.type = c.neutral;
  } else if (fa.scheme == fb.scheme) {
    if (fa.type == fb.type) {
      p.type = (fa.sub == fb.sub || fa.sub < 0 || fb.sub < 0) ? c.type_same : c.type_same_type;
    } else if (fa.scheme == Scheme::kCameo && fa.cameo_root >= 0 && fa.cameo_root == fb.cameo_root) {
      p.type = c.type_same_type;
    } else {
      p.type = (fa.groups & fb.groups) ? c.type_related : c.type_unrelated;
    }
  } else {
    p.type = (fa.groups & fb.groups) ? c.type_compatible : c.type_unrelated;
  }

  if (fa.actor_count == 0 || fb.actor_count == 0) {
    p.actors_known = false;
    p.actors = c.neutral;
  } else {
    int matched = 0;
    const Features& small = fa.actor_count <= fb.actor_count ? fa : fb;
    const Features& large = fa.actor_count <= fb.actor_count ? fb : fa;
    for (int i = 0; i < small.actor_count; ++i) {
      for (int j = 0; j < large.actor_count; ++j) {
        if (SameActor(small.actors[i], large.actors[j])) {
          ++matched;
          break;
        }
      }
    }
    p.actors = static_cast<double>(matched) / small.actor_count;
    // Two rows of one curated dataset with one id (vintages of one row) are
    // one happening whatever their actor columns say.
    const bool same_row = fa.curated && fa.dataset == fb.dataset;
    if (matched == 0 && c.disjoint_veto && fa.actors_firm && fb.actors_firm && !same_row) {
      p.allowed = false;
      if (words) p.veto = DisjointText(*ra, fa, *rb, fb) + ": no actor in common";
      return p;
    }
  }

  if (!fa.fatal_known || !fb.fatal_known) {
    p.fatalities_known = false;
    p.fatalities = c.neutral;
  } else if (fa.fatal_high >= fb.fatal_low && fb.fatal_high >= fa.fatal_low) {
    p.fatalities = 1;
  } else {
    const int below = std::min(fa.fatal_high, fb.fatal_high), above = std::max(fa.fatal_low, fb.fatal_low);
    p.fatalities = static_cast<double>(below + 1) / (above + 1);
  }

  p.score = (c.weight_distance * p.distance + c.weight_time * p.time + c.weight_type * p.type +
             c.weight_actors * p.actors + c.weight_fatalities * p.fatalities) /
            c.WeightSum();
  return p;
}

}  // namespace

Parts ScoreParts(const Config& c, const model::Report& a, const Features& fa, const model::Report& b,
                 const Features& fb, bool words) {
  return Score(c, a.source_id, fa, b.source_id, fb, words ? &a : nullptr, words ? &b : nullptr);
}

Parts QuickParts(const Config& c, const std::string& source_a, const Features& fa, const std::string& source_b,
                 const Features& fb) {
  return Score(c, source_a, fa, source_b, fb, nullptr, nullptr);
}

std::string Reason(const Config& c, const model::Report& a, const Features& fa, const model::Report& b,
                   const Features& fb, const Parts& p) {
  if (!p.allowed) return p.veto;
  std::vector<std::string> parts;

  // Distance against the radii.
  {
    std::string s = FormatDistance(p.distance_m) + " apart, ";
    const model::Report* inside = nullptr;
    double r = 0;
    for (const auto& [rep, f] : {std::pair{&a, &fa}, std::pair{&b, &fb}}) {
      if (p.distance_m <= f->radius_m && (inside == nullptr || f->radius_m < r)) {
        inside = rep;
        r = f->radius_m;
      }
    }
    const std::string both = Possessive(a) + " " + RadiusText(fa.radius_m) + " and " + Possessive(b) + " " +
                             RadiusText(fb.radius_m) + " radii";
    if (inside != nullptr) {
      s += "within " + Possessive(*inside) + " " + RadiusText(r) + " radius";
    } else if (p.distance_m <= fa.radius_m + fb.radius_m) {
      s += "within " + both + " together";
    } else {
      s += FormatDistance(p.distance_m - fa.radius_m - fb.radius_m) + " beyond " + both;
    }
    parts.push_back(std::move(s));
  }

  // Days, as the reports give them (before a dataset's lag widened them).
  {
    const std::int32_t af = fa.first_day + fa.lag_days, al = fa.last_day;
    const std::int32_t bf = fb.first_day + fb.lag_days, bl = fb.last_day;
    const std::int32_t gap = std::max(af, bf) - std::min(al, bl);
    if (gap > 0) {
      std::string s = gap == 1 ? "1 day apart" : std::to_string(gap) + " days apart";
      // The later report's dataset dates by the news: say the lag explains it.
      const bool a_later = af > bl;
      const model::Report& later = a_later ? a : b;
      const std::int32_t lag = a_later ? fa.lag_days : fb.lag_days;
      if (lag >= gap) {
        s = DatasetLabel(later.dataset) + " dated " + (gap == 1 ? "1 day" : std::to_string(gap) + " days") +
            " later (its dates are the news', up to " + std::to_string(lag) + " days late)";
      }
      parts.push_back(std::move(s));
    } else if (af == bf && al == bl) {
      parts.push_back(af == al ? "same day" : "same dates (" + WindowText(af, al) + ")");
    } else if (af >= bf && al <= bl) {
      parts.push_back(WindowText(af, al) + " within " + Possessive(b) + " " + WindowText(bf, bl));
    } else if (bf >= af && bl <= al) {
      parts.push_back(WindowText(bf, bl) + " within " + Possessive(a) + " " + WindowText(af, al));
    } else {
      parts.push_back("dates overlap on " + WindowText(std::max(af, bf), std::min(al, bl)));
    }
  }

  // Event types.
  if (!p.type_known) {
    parts.push_back("no event type to compare");
  } else {
    const std::string ta = TypeName(c, a, fa.scheme), tb = TypeName(c, b, fb.scheme);
    if (fa.scheme == fb.scheme && fa.type == fb.type && (fa.sub == fb.sub || fa.sub < 0 || fb.sub < 0)) {
      parts.push_back(ta == tb ? "both " + ta : ta + " ~ " + tb);
    } else if (fa.scheme != fb.scheme && (fa.groups & fb.groups)) {
      parts.push_back(ta + " ~ " + tb);
    } else if (fa.scheme == fb.scheme &&
               (fa.type == fb.type || (fa.scheme == Scheme::kCameo && fa.cameo_root >= 0 && fa.cameo_root == fb.cameo_root))) {
      parts.push_back(ta + " ~ " + tb + " (same type, other sub-types)");
    } else if (fa.groups & fb.groups) {
      parts.push_back(ta + " ~ " + tb + " (both " + GroupName(c, fa.groups & fb.groups) + ")");
    } else {
      parts.push_back(ta + " vs " + tb + ": unrelated types");
    }
  }

  // Actors.
  if (!p.actors_known) {
    parts.push_back("actors not given on both sides");
  } else {
    std::vector<std::string> same;
    for (int i = 0; i < fa.actor_count; ++i) {
      for (int j = 0; j < fb.actor_count; ++j) {
        if (!SameActor(fa.actors[i], fb.actors[j])) continue;
        const std::string x = DisplayName(ActorField(a, fa.actor_slot[i]));
        const std::string y = DisplayName(ActorField(b, fb.actor_slot[j]));
        same.push_back(x == y ? "both " + x : x + " ~ " + y);
        break;
      }
    }
    if (same.empty()) {
      parts.push_back(DisjointText(a, fa, b, fb) + ": different actors");
    } else {
      std::string s;
      for (const std::string& x : same) s += (s.empty() ? "" : ", ") + x;
      parts.push_back(std::move(s));
    }
  }

  // Fatalities.
  if (!p.fatalities_known) {
    parts.push_back("no fatality count from " + DatasetLabel(fa.fatal_known ? b.dataset : a.dataset));
  } else {
  parts.push_back(std::string(p.fatalities >= 1 ? "fatalities agree (" : "fatalities differ (") +
                  RangeText(fa.fatal_low, fa.fatal_high) + "; " + RangeText(fb.fatal_low, fb.fatal_high) + ")");
  }

  std::string out;
  for (const std::string& s : parts) out += (out.empty() ? "" : "; ") + s;
  return out;
}

std::string ReportLabel(const model::Report& r) {
  if (r.dataset == "news") return "news report " + std::to_string(r.id);
  if (r.source_id.empty()) return DatasetLabel(r.dataset) + " report " + std::to_string(r.id);
  return DatasetLabel(r.dataset) + " " + r.source_id;
}

}  // namespace truce::reconcile
