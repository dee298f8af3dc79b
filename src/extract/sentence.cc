// One sentence: tokens, dictionary mentions and their context, generic actor
// nouns, dates and numbers, places from the gazetteer, and who is speaking.
#include "reading.h"
#include "tuning.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "fold.h"

namespace truce::extract {

// The steps, in order: dictionary matches, the entity reading of each span,
// mentions, their context, brokers, generic actor nouns, dates and numbers.
void ArticleReading::Analyse(Sent& s) {
  s.toks = Tokenize(text, s.span);
  std::vector<EntityMatch> chosen = ChooseEntities(s, MatchDictionary(s));
  AddMentions(s, chosen);
  DocumentAliases(s);
  MarkMentionContext(s);
  MarkBrokers(s);
  AddGenericActors(s);
  WeaponActs(s);
  SortInTextOrder(s.ments);
  FindDatesAndNumbers(s);
  s.starts_with_pronoun = !s.toks.empty() && (In(words.pronoun, s.toks[0].norm) || s.toks[0].norm == "this");
}

// Cue hits go straight into s.cues; entity hits (actors, countries,
// demonyms, capitals, places) come back as candidates, several per span.
std::vector<EntityMatch> ArticleReading::MatchDictionary(Sent& s) const {
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
  std::vector<EntityMatch> ents;
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
  return ents;
}

// Longest non-overlapping entity matches (a second reading of the same span is
// kept), in text order; cues inside an entity's name are dropped.
std::vector<EntityMatch> ArticleReading::ChooseEntities(Sent& s, std::vector<EntityMatch> ents) {
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
  std::sort(ents.begin(), ents.end(), [&](const EntityMatch& p, const EntityMatch& q) {
    if (p.last - p.first != q.last - q.first) return p.last - p.first > q.last - q.first;
    if (p.first != q.first) return p.first < q.first;
    return rank(p.e) > rank(q.e);
  });
  std::vector<char> taken(s.toks.size(), 0);
  std::vector<EntityMatch> chosen;
  for (const EntityMatch& c : ents) {
    bool free = true;
    for (size_t k = c.first; k < c.last; ++k) free = free && !taken[k];
    if (!free) {
      // A second reading of the same span (Kremlin: actor and place) is kept.
      bool same = false;
      for (const EntityMatch& o : chosen) same = same || (o.first == c.first && o.last == c.last);
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
  SortInTextOrder(s.cues);
  std::sort(chosen.begin(), chosen.end(), [&](const EntityMatch& p, const EntityMatch& q) {
    return p.first != q.first ? p.first < q.first : rank(p.e) > rank(q.e);
  });
  return chosen;
}

void ArticleReading::AddMentions(Sent& s, const std::vector<EntityMatch>& chosen) const {
  // Merge readings of the same span into one mention.
  for (const EntityMatch& c : chosen) {
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
    // A second country for the same words ("Congolese"): kept aside, the
    // report's weights choose later.
    const bool same_kind = (e.kind == LexEntry::kDemonym && m->type == Mention::kDemonym) ||
                           (e.kind == LexEntry::kCountry && m->type == Mention::kCountry) ||
                           (e.kind == LexEntry::kCapital && m->type == Mention::kCapital);
    if (same_kind && m->country >= 0 && m->country != e.index) {
      m->alt_country = e.index;
      continue;
    }
    switch (e.kind) {
      case LexEntry::kActor: {
        const ActorEntry& a = lex.actors()[static_cast<size_t>(e.index)];
        m->type = Mention::kActor;
        m->actor = e.index;
        m->country = a.country.empty() || a.country == "INT" ? -1 : lex.CountryByIso3(a.country);
        m->kind = a.kind;
        m->role = a.role;
        m->name = a.name;
        m->generic_alias = e.generic;
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
}

void ArticleReading::PutMention(Sent& s, size_t first, size_t last, const Mention& proto) const {
  for (const Mention& m : s.ments) {
    if (m.first <= first && m.last >= last && m.last - m.first > last - first) return;
  }
  auto overlaps = [&](size_t a, size_t b) { return a < last && b > first; };
  s.ments.erase(std::remove_if(s.ments.begin(), s.ments.end(),
                               [&](const Mention& m) { return overlaps(m.first, m.last); }),
                s.ments.end());
  s.cues.erase(std::remove_if(s.cues.begin(), s.cues.end(),
                              [&](const CueHit& c) { return overlaps(c.first, c.last); }),
               s.cues.end());
  Mention m = proto;
  m.first = first;
  m.last = last;
  m.place.reset();
  m.place_context = m.backer = m.broker = m.modifier = false;
  s.ments.push_back(m);
}

namespace {

// "XLA": two to eight capitals (a word of the kAllCaps kind).
bool IsAcronym(const Token& t) { return t.Has(kAllCaps) && t.norm.size() <= 8; }

// Whether the letters of `acronym` appear in order in the words of [a, b).
bool LettersInOrder(const Sent& s, size_t a, size_t b, const std::string& acronym) {
  size_t j = 0;
  for (size_t k = a; k < b && j < acronym.size(); ++k) {
    for (char c : s.toks[k].norm) {
      if (j < acronym.size() && c == acronym[j]) ++j;
    }
  }
  return j == acronym.size();
}

}  // namespace

// Names the report defines, for the rest of the report: "the Rapid Support
// Forces (RSF)" (a dictionary actor: "RSF" is it), "the Xland Liberation Army
// (XLA)" (no dictionary knows it: a new actor named by the long name, a
// state's when the name holds a state word — "Armed Forces of X" — else a
// group's; its country the one its name holds, else the report's main
// country). The long name is the capitalised words before "(", joined by
// "of", "the", "and", "'s", cut to the shortest run that starts with the
// acronym's first letter and holds its letters in order ("Thomas X's
// National Salvation Front (NAS)" is the front). Earlier definitions apply
// first: the acronym (in capitals) and a new actor's long name become mentions
// of the actor, over a dictionary reading of the same words ("AFP" is a news
// agency, unless the report says it stands for an army).
void ArticleReading::DocumentAliases(Sent& s) {
  const size_t n = s.toks.size();
  for (const DocAlias& d : doc_aliases) {
    const size_t len = d.norms.size();
    for (size_t k = 0; k + len <= n; ++k) {
      if (s.toks[k].norm != d.norms[0]) continue;
      bool same = true;
      for (size_t j = 1; j < len && same; ++j) same = s.toks[k + j].norm == d.norms[j];
      if (!same || (len == 1 && !IsAcronym(s.toks[k])) || !s.toks[k].Has(kCap)) continue;
      if (k > 0 && s.toks[k - 1].norm == "(" && k + len < n && s.toks[k + len].norm == ")") continue;
      PutMention(s, k, k + len, d.proto);
      k += len - 1;
    }
  }
  for (size_t i = 1; i + 2 < n; ++i) {
    if (s.toks[i].norm != "(" || s.toks[i + 2].norm != ")" || !IsAcronym(s.toks[i + 1])) continue;
    const std::string& acronym = s.toks[i + 1].norm;
    bool known = false;
    for (const DocAlias& d : doc_aliases) known = known || (d.norms.size() == 1 && d.norms[0] == acronym);
    if (known) continue;
    // A dictionary actor just before: the acronym is its alias.
    const Mention* named = nullptr;
    for (const Mention& m : s.ments) {
      // Not when the dictionary's name is the end of a longer one ("Xland
      // National Liberation Army (XNLA)" is not the National Liberation Army).
      bool longer = m.first > 0 && s.toks[m.first - 1].Has(kCap) && s.toks[m.first - 1].Has(kWord);
      if (m.last == i && m.type == Mention::kActor && !longer && s.toks[m.first].norm[0] == acronym[0] &&
          LettersInOrder(s, m.first, m.last, acronym)) {
        named = &m;
      }
    }
    if (named != nullptr) {
      doc_aliases.push_back({{acronym}, *named});
      continue;
    }
    // Else the capitalised run before "(", cut to the shortest that fits.
    size_t b = i;
    for (size_t k = i; k-- > 0 && i - k <= kAcronymNameMaxTokens;) {
      const Token& t = s.toks[k];
      if (In(words.name_joiner, t.norm)) continue;
      if (!t.Has(kWord) || !t.Has(kCap) || t.Has(kNumber) || t.Has(kAllCaps)) break;
      b = k;
    }
    size_t start = kNone;
    for (size_t k = i; k-- > b;) {
      const Token& t = s.toks[k];
      if (t.Has(kCap) && !In(words.name_joiner, t.norm) && t.norm[0] == acronym[0] &&
          LettersInOrder(s, k, i, acronym)) {
        start = k;
        break;
      }
    }
    // The name's head: its last word ("... Liberation Army"), or a head
    // word followed by "of" ("Armed Forces of X").
    bool head = start != kNone && In(words.armed_name_head, s.toks[i - 1].norm);
    for (size_t k = start; !head && start != kNone && k + 1 < i; ++k) {
      head = In(words.armed_name_head, s.toks[k].norm) && s.toks[k + 1].norm == "of";
    }
    if (start == kNone || i - start < 2 || !head) continue;
    Mention proto;
    proto.type = Mention::kActor;
    proto.doc_actor = true;
    proto.name = TokText(s, start, i);
    bool state = false;
    for (size_t k = start; k < i; ++k) state = state || In(words.state_name_word, s.toks[k].norm);
    proto.kind = state ? "state" : "rebel";
    proto.role = state ? "military" : "group";
    for (const Mention& m : s.ments) {
      if (m.first >= start && m.last <= i && m.country >= 0 && !m.backer &&
          (m.type == Mention::kCountry || m.type == Mention::kDemonym || m.type == Mention::kCapital)) {
        proto.country = m.country;
        break;
      }
    }
    std::vector<std::string> norms;
    for (size_t k = start; k < i; ++k) norms.push_back(s.toks[k].norm);
    PutMention(s, start, i, proto);
    doc_aliases.push_back({{acronym}, proto});
    doc_aliases.push_back({std::move(norms), proto});
  }
}

// Place context ("in Moscow"), backers ("Russian-backed"), demonyms that
// qualify a noun or name people.
void ArticleReading::MarkMentionContext(Sent& s) const {
  for (Mention& m : s.ments) {
    const std::string prev = m.first > 0 ? s.toks[m.first - 1].norm : "";
    const std::string prev2 = m.first > 1 ? s.toks[m.first - 2].norm : "";
    const std::string next = m.last < s.toks.size() ? s.toks[m.last].norm : "";
    // "in the capital, X", "the town X": a name in apposition to a place noun.
    const bool apposition = (prev == "," && In(words.place_noun, prev2)) || (In(words.place_noun, prev) && prev2 == "the");
    bool prep = In(words.preposition, prev) || In(words.attack_verb, prev) || apposition ||
                ((prev == "the" || prev == "a") && In(words.preposition, prev2)) ||
                (prev == "'s" && m.first > 1 && !s.toks[m.first - 2].Has(kPunct));
    // "the Pretoria agreement", "the Minsk accords": a capital naming a deal
    // names where it was made, not a party.
    bool names_deal = false;
    if (m.type == Mention::kCapital) {
      for (const CueHit& c : s.cues) names_deal = names_deal || (c.cue->category == CueCategory::kAgreement && c.first == m.last);
    }
    if (m.type == Mention::kCapital || m.type == Mention::kCountry || m.type == Mention::kPlace ||
        (m.type == Mention::kActor && m.place)) {
      m.place_context = prep || names_deal || In(words.place_follower, next) || m.type == Mention::kPlace;
      if (m.type == Mention::kCountry && prev == "of" && m.first > 1 &&
          In(words.actor_of_country, s.toks[m.first - 2].norm)) {
        m.place_context = false;  // "the presidents of Russia and Turkey" are actors
      }
    }
    // "Russian-backed", "Saudi-led", "Kremlin-sponsored".
    if (m.last < s.toks.size() && s.toks[m.last].Has(kHyphenBefore)) {
      const std::string& w = s.toks[m.last].norm;
      if (In(words.backer_suffix, w)) {
        m.backer = true;
        if (In(words.broker_suffix, w)) m.broker = true;
      }
    }
    if (m.type == Mention::kDemonym && !m.backer) {
      // A demonym before a noun qualifies it; a plural one alone names people.
      bool plural_people = !m.name.empty() && (m.name.back() == 's' || In(words.people_demonym, m.name));
      bool followed_by_word = m.last < s.toks.size() && s.toks[m.last].Has(kWord) && !s.toks[m.last].Has(kNumber) &&
                              !In(words.demonym_not_qualifying, s.toks[m.last].norm);
      if (followed_by_word && !(plural_people && m.name.back() == 's')) m.modifier = true;
      else if (plural_people) {
        m.kind = "civilians";
        m.role = "people";
      }
    }
  }
  CarryListContext(s);
}

// A list carries the place context of its first item: "in Kharkiv and Kyiv",
// "towards Goris, Sotk and Jermuk" (only commas, "and" and "or" between).
void ArticleReading::CarryListContext(Sent& s) const {
  std::vector<Mention*> order;
  for (Mention& m : s.ments) order.push_back(&m);
  std::sort(order.begin(), order.end(), [](const Mention* a, const Mention* b) { return a->first < b->first; });
  for (size_t i = 1; i < order.size(); ++i) {
    Mention& m = *order[i];
    const Mention& prev = *order[i - 1];
    bool placeish = m.type == Mention::kCapital || m.type == Mention::kCountry || m.type == Mention::kPlace;
    if (!placeish || m.place_context || !prev.place_context || prev.last >= m.first) continue;
    if (ListJoins(s, prev.last, m.first)) m.place_context = true;
  }
}

bool ListJoins(const Sent& s, size_t from, size_t to) {
  if (from >= to) return false;
  for (size_t k = from; k < to; ++k) {
    const std::string& w = s.toks[k].norm;
    if (w != "," && w != "and" && w != "or") return false;
  }
  return true;
}

void ArticleReading::MarkBrokers(Sent& s) const {
  // Brokers: "brokered by X", "mediated by X", "mediator X", "proposed by mediator X";
  // and the subject of a broker verb without "by": "China brokered a pause",
  // "the truce that Russia mediated".
  for (const CueHit& c : s.cues) {
    if (c.cue->category != CueCategory::kBroker || c.cue->value != "broker") continue;
    const bool by = c.last < s.toks.size() && s.toks[c.last].norm == "by";
    // "Kremlin-sponsored X": the word before the hyphen is the broker
    // (MarkMentionContext), X is what was brokered.
    if (s.toks[c.first].Has(kHyphenBefore)) continue;
    if (!by && c.first > 0 && In(words.broker_suffix, s.toks[c.last - 1].norm)) {
      for (Mention& m : s.ments) {
        if (m.last == c.first && m.type != Mention::kPlace) m.broker = true;
      }
      continue;  // what follows the verb is what was brokered, not who
    }
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
}

// "Turkish soldiers", "Russia's defence ministry", "officials in Gaza".
void ArticleReading::AddGenericActors(Sent& s) const {
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
        // "XFP gunmen", "Hamas fighters": a named group's own men are that
        // group — no generic actor beside it.
        if (hit->type == Mention::kActor && !hit->backer && !hit->modifier && hit->kind == g.kind &&
            g.kind == "rebel" && k + 1 == c.first) {
          g.kind.clear();
          break;
        }
        if (!hit->backer && hit->country >= 0) {
          g.country = hit->country;
          g.first = hit->first;
          break;
        }
        k = hit->first;
        continue;
      }
      const Token& t = s.toks[k];
      if (t.Has(kPunct) || In(words.qualifier_stop, t.norm) || In(words.be_verb, t.norm)) {
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
    if (g.kind.empty()) continue;  // a named group's own men (above)
    if (g.country < 0 && In(words.qualified_head, s.toks[c.last - 1].norm)) continue;
    // "President Jane Roe", a name no dictionary knows after a head that is
    // also a title: the mention spans the name (kTitledNameTokens
    // capitalised words at most).
    bool title = false;
    for (const CueHit& t : s.cues) title = title || (t.cue->category == CueCategory::kTitle && t.first == c.first && t.last == c.last);
    if (title) {
      size_t end = c.last;
      while (end < s.toks.size() && end < c.last + kTitledNameTokens && s.toks[end].Has(kCap) &&
             s.toks[end].Has(kWord) && !s.toks[end].Has(kNumber)) {
        bool covered = false;
        for (const Mention& m : s.ments) covered = covered || (m.first <= end && end < m.last);
        for (const CueHit& o : s.cues) covered = covered || (o.first <= end && end < o.last);
        if (covered) break;
        ++end;
      }
      // One word at least: "President Roe", "President Jane Roe".
      if (end > c.last) {
        g.last = end;
        g.titled = true;
      }
    }
    g.name = TokText(s, g.first, g.last);
    s.ments.push_back(g);
  }
}

// A weapon noun (`weapon` cues) is an act where the sentence tells it was
// used, whoever used it:
// - as the subject of a `strike_verb` at most kWeaponVerbTokens after it, no
//   punctuation or `clause_break` word between ("an Xian drone hit Y", "a
//   shell fired from the hills above the town fell on Y", "a missile was
//   fired at Y": a `fire_verb` with a `fire_direction` right after counts as
//   a strike verb);
// - as the object of a `fire_verb` at most kWeaponFireTokens before it, aimed
//   somewhere: a `fire_direction` at most kWeaponFireTokens after it ("X fired
//   two rockets at Y", "launched a drone into Y").
// Anywhere else a weapon is no act ("the army's drone fleet", "missile
// defences"). A weapon inside a longer act word ("drone strike") is that
// act's. The act takes the weapon's types (CueEntry::act).
void ArticleReading::WeaponActs(Sent& s) const {
  const size_t n = s.toks.size();
  auto is = [&](const WordLists::Set& list, size_t k) { return k < n && In(list, s.toks[k].norm); };
  // A fire verb aimed somewhere: a direction at most kWeaponFireTokens after
  // token `from` (through numbers and lower-case words only).
  auto aimed = [&](size_t from) {
    for (size_t k = from; k < n && k < from + kWeaponFireTokens; ++k) {
      if (is(words.fire_direction, k)) return true;
      if (!s.toks[k].Has(kWord) || s.toks[k].Has(kCap)) return false;
    }
    return false;
  };
  std::vector<CueHit> acts;
  for (const CueHit& w : s.cues) {
    if (w.cue->category != CueCategory::kWeapon || w.cue->act < 0) continue;
    bool inside_act = false;
    for (const CueHit& e : s.cues) {
      inside_act = inside_act || (e.cue->category == CueCategory::kEvent && e.first < w.last && w.first < e.last);
    }
    if (inside_act) continue;
    bool used = false;
    for (size_t k = w.last; k < n && k <= w.last + kWeaponVerbTokens && !used; ++k) {
      const Token& t = s.toks[k];
      if (t.Has(kPunct) || In(words.clause_break, t.norm)) break;
      used = In(words.strike_verb, t.norm) || (In(words.fire_verb, t.norm) && aimed(k + 1));
    }
    for (size_t back = 1; !used && back <= kWeaponFireTokens && back <= w.first; ++back) {
      const size_t k = w.first - back;
      if (In(words.fire_verb, s.toks[k].norm)) {
        used = aimed(w.last);
        break;
      }
      if (!s.toks[k].Has(kWord) && !s.toks[k].Has(kNumber)) break;
    }
    if (used) acts.push_back({w.first, w.last, &lex.cues()[static_cast<size_t>(w.cue->act)]});
  }
  if (acts.empty()) return;
  s.cues.insert(s.cues.end(), acts.begin(), acts.end());
  SortInTextOrder(s.cues);
}

void ArticleReading::FindDatesAndNumbers(Sent& s) const {
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
}

std::optional<PlaceRes> ArticleReading::Resolve(const std::vector<const GazPlace*>& cands, int hint_country) const {
  const GazPlace* best = nullptr;
  double best_score = -1;
  for (const GazPlace* p : cands) {
    double score = 0;
    if (p->country >= 0) {
      score += location_weight[static_cast<size_t>(p->country)] * 3 + country_weight[static_cast<size_t>(p->country)];
      if (p->country == hint_country) score += 100;
    }
    // Cities come first in `cands`: a town wins over an admin area of the same
    // name and country weight ("Idlib" the city, not the governorate).
    if (score > best_score) best = p, best_score = score;
  }
  if (best == nullptr) return std::nullopt;
  PlaceRes r;
  r.name = std::string(best->name);
  r.country = Iso3(lex, best->country);
  r.admin1 = std::string(best->admin1);
  if (best->region) {
    r.kind = "region";
    return r;
  }
  r.lat = std::round(static_cast<double>(best->lat) * 1e5) / 1e5;
  r.lon = std::round(static_cast<double>(best->lon) * 1e5) / 1e5;
  r.kind = "city";
  return r;
}

std::vector<const GazPlace*> ArticleReading::LookupPlace(std::string_view folded) const {
  auto cands = gaz.Lookup(folded);
  if (known) {
    auto more = known->Lookup(folded);
    cands.insert(cands.end(), more.begin(), more.end());
  }
  return cands;
}

std::vector<const GazPlace*> ArticleReading::LookupPlaceSkeleton(std::string_view folded) const {
  auto cands = gaz.LookupSkeleton(folded);
  if (known) {
    auto more = known->LookupSkeleton(folded);
    cands.insert(cands.end(), more.begin(), more.end());
  }
  return cands;
}

// Capitals used as places: look up the city.
void ArticleReading::ResolveCapitals(Sent& s) const {
  for (Mention& m : s.ments) {
    if (m.type == Mention::kCapital && m.place_context && !m.place) {
      auto cands = gaz.Lookup(FoldName(TokText(s, m.first, m.last)));
      if (auto r = Resolve(cands, m.country)) m.place = r;
    }
  }
}

void ArticleReading::FindGazetteerPlaces(Sent& s) {
  std::vector<char> covered(s.toks.size(), 0);
  for (const Mention& m : s.ments) {
    for (size_t k = m.first; k < m.last; ++k) covered[k] = 1;
  }
  ResolveCapitals(s);
  // The guard against namesakes abroad holds only in a report that names
  // the countries it is about (a short text may name none).
  const bool any_country_named =
      *std::max_element(country_weight.begin(), country_weight.end()) >= kNamesakeGuardMinMentions;
  std::vector<Mention> added;
  for (size_t i = 0; i < s.toks.size(); ++i) {
    if (covered[i] || !s.toks[i].Has(kCap) || s.toks[i].Has(kNumber)) continue;
    bool after_event_verb = i > 0 && In(words.attack_verb, s.toks[i - 1].norm);
    for (const CueHit& c : s.cues) after_event_verb = after_event_verb || (c.cue->category == CueCategory::kEvent && c.last == i);
    // The next item of a list of places ("Goris, Sotk and Jermuk", "the
    // villages of Haris and Tallousa") is in a place's position too.
    // An item joined by a comma alone is one only when the list goes on
    // after it (", X," or ", X and"): "in Rodriguez, Rizal that" is a town
    // and its province, "in North Kivu, Lt Col X, said" an apposition.
    bool list_item = false;
    const Mention* prev_item = nullptr;
    auto consider = [&](const Mention& m) {
      if (m.place && m.last <= i && ListJoins(s, m.last, i)) prev_item = &m;
    };
    for (const Mention& m : s.ments) consider(m);
    for (const Mention& m : added) consider(m);
    for (const Mention& m : s.unknown_places) consider(m);
    if (prev_item) {
      bool conj = false;
      for (size_t k = prev_item->last; k < i; ++k) conj = conj || s.toks[k].norm != ",";
      size_t end = i;
      while (end < s.toks.size() && s.toks[end].Has(kCap) && s.toks[end].Has(kWord)) ++end;
      const bool goes_on = end + 1 < s.toks.size() &&
                           (s.toks[end].norm == "," || s.toks[end].norm == "and" || s.toks[end].norm == "or") &&
                           (s.toks[end + 1].Has(kCap) || s.toks[end + 1].norm == "and" || s.toks[end + 1].norm == "or");
      list_item = conj || goes_on;
    }
    after_event_verb = after_event_verb || list_item;
    // "its second-largest city, X,": a name in apposition to a place noun.
    const bool apposition = i > 1 && s.toks[i - 1].norm == "," && In(words.place_noun, s.toks[i - 2].norm);
    // "in the disputed X area", "near southern X": a `locative`, "the" or "a"
    // at most, and one or two lower-case modifiers before the name
    // (kPlaceModifierTokens).
    bool modified = false;
    {
      size_t k = i, count = 0;
      while (k > 0 && count < kPlaceModifierTokens) {
        const Token& t = s.toks[k - 1];
        if (!t.Has(kWord) || t.Has(kCap) || t.Has(kNumber) || t.norm == "the" || t.norm == "a" || t.norm == "an" ||
            In(words.qualifier_stop, t.norm) || In(words.be_verb, t.norm) || In(words.preposition, t.norm)) {
          break;
        }
        --k;
        ++count;
      }
      if (count > 0 && k > 0 && (s.toks[k - 1].norm == "the" || s.toks[k - 1].norm == "a")) --k;
      modified = count > 0 && k > 0 && In(words.locative, s.toks[k - 1].norm);
    }
    if (!after_event_verb && !apposition && !modified && (i == 0 || !In(words.preposition, s.toks[i - 1].norm))) {
      if (!(i > 1 && s.toks[i - 1].norm == "the" && In(words.preposition, s.toks[i - 2].norm))) continue;
    }
    if (MonthNumber(s.toks[i].norm) > 0 || WeekdayNumber(s.toks[i].norm) >= 0) continue;
    // The run of capitalised words (with inner articles "al-", "ash").
    size_t e = i;
    while (e < s.toks.size() && e - i < 5 && !covered[e]) {
      const Token& t = s.toks[e];
      bool article = !t.Has(kCap) && In(words.place_particle, t.norm);
      if (!(t.Has(kCap) && t.Has(kWord) && !t.Has(kNumber)) && !(article && e + 1 < s.toks.size() && s.toks[e + 1].Has(kCap))) break;
      ++e;
    }
    std::optional<PlaceRes> found;
    size_t found_end = i;
    for (size_t end = e; end > i && !found; --end) {
      std::string folded = FoldName(TokText(s, i, end));
      auto cands = LookupPlace(folded);
      // In a report that names its countries, a town of a country it never
      // names is another place of the same name (a village at home, a
      // namesake abroad): not this one — unless it is an admin area or the
      // town it is named after ("Idlib", "Kharkiv"), which reports name
      // without their country.
      if (any_country_named) {
        cands.erase(std::remove_if(cands.begin(), cands.end(), [&](const GazPlace* p) {
                      if (p->region || FoldName(p->name) == FoldName(p->admin1)) return false;  // an area, its seat
                      return p->country < 0 || country_weight[static_cast<size_t>(p->country)] == 0;
                    }),
                    cands.end());
      }
      // The first words of a longer name ("South" of "South X", "Western"
      // of "Western X") are a place only in a country the report names,
      // admin areas too: a region abroad that shares a name's first word is
      // not what the report speaks of.
      if (end < e) {
        cands.erase(std::remove_if(cands.begin(), cands.end(), [&](const GazPlace* p) {
                      return p->country < 0 || country_weight[static_cast<size_t>(p->country)] == 0;
                    }),
                    cands.end());
      }
      if (!cands.empty()) {
        found = Resolve(cands, -1);
        found_end = end;
        break;
      }
    }
    // An acronym ("FARDC") is an organisation, not a spelling of a town.
    std::string written = TokText(s, i, e);
    bool acronym = written.size() >= 2 && std::all_of(written.begin(), written.end(), [](char ch) {
      return std::isupper(static_cast<unsigned char>(ch)) != 0 || ch == ' ' || ch == '-';
    });
    if (!found && !acronym) {
      // Transliteration variants, only inside the country the report names
      // most as a location.
      std::string folded = FoldName(written);
      auto cands = LookupPlaceSkeleton(folded);
      double top = *std::max_element(location_weight.begin(), location_weight.end());
      std::vector<const GazPlace*> in_context;
      for (const GazPlace* p : cands) {
        if (p->country >= 0 && top > 0 && location_weight[static_cast<size_t>(p->country)] == top) in_context.push_back(p);
      }
      if (!in_context.empty()) {
        found = Resolve(in_context, -1);
        found_end = e;
      }
    }
    if (!found) {
      // A name in a place's position that nobody knows: kept aside for events.
      // "fired on X", "fired two shells at X": where the fire was aimed.
      bool aimed_at = i > 1 && In(words.fire_direction, s.toks[i - 1].norm) && In(words.fire_verb, s.toks[i - 2].norm);
      // "in the X forest", "near the X sector": "the" after a `locative`, a
      // place noun or admin area right after the name.
      const bool kind_named = i > 1 && s.toks[i - 1].norm == "the" && In(words.locative, s.toks[i - 2].norm) &&
                              e < s.toks.size() &&
                              (In(words.place_noun, s.toks[e].norm) || In(words.admin_area, s.toks[e].norm));
      bool locative = after_event_verb || aimed_at || modified || kind_named || In(words.locative, s.toks[i - 1].norm) ||
                      (i > 1 && s.toks[i - 1].norm == "of" && In(words.place_noun, s.toks[i - 2].norm));
      if (locative && !acronym && written.size() >= 3) {
        Mention m;
        m.type = Mention::kPlace;
        m.first = i;
        m.last = e;
        m.place = PlaceRes{written, "", "", "unknown", std::nullopt, std::nullopt, true, false};
        m.place_context = true;
        m.name = written;
        s.unknown_places.push_back(std::move(m));
        i = e - 1;
      }
      continue;
    }
    // "Idlib province": the admin area, without the city's coordinates.
    if (found_end < s.toks.size()) {
      const std::string& w = s.toks[found_end].norm;
      if (In(words.admin_area, w)) {
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
  // Places found here extend lists ("in Kharkiv and Kyiv"): their capitals too.
  CarryListContext(s);
  ResolveCapitals(s);
  SortInTextOrder(s.ments);
}

void ArticleReading::SurnameMentions(Sent& s) const {
  if (named_persons.empty()) return;
  bool added = false;
  for (size_t k = 0; k < s.toks.size(); ++k) {
    const Token& t = s.toks[k];
    if (!t.Has(kCap) || !t.Has(kWord)) continue;
    bool covered = false;
    for (const Mention& m : s.ments) covered = covered || (m.first <= k && k < m.last);
    // The surname alone: not the first name before it, nor a part of a
    // longer name.
    if (covered || (k > 0 && s.toks[k - 1].Has(kCap) && s.toks[k - 1].Has(kWord)) ||
        (k + 1 < s.toks.size() && s.toks[k + 1].Has(kCap) && s.toks[k + 1].Has(kWord))) {
      continue;
    }
    for (auto it = named_persons.rbegin(); it != named_persons.rend(); ++it) {
      if (it->first != t.norm) continue;
      Mention m = it->second;
      m.first = k;
      m.last = k + 1;
      m.place_context = m.backer = m.broker = m.modifier = false;
      m.person = true;
      m.role = "leader";  // a person: "he" refers back to them
      s.ments.push_back(std::move(m));
      added = true;
      break;
    }
  }
  if (!added) return;
  SortInTextOrder(s.ments);
}

void ArticleReading::FindAttribution(Sent& s) {
  FindSpeaker(s);
  // The last body the report named (an actor of a dictionary or one it
  // defines: a state's, a group's or an international one, not a person),
  // for "its spokesman" in a later sentence.
  for (const Mention& m : s.ments) {
    if (m.type != Mention::kActor || m.person || m.titled || !m.actor_like() || m.broker) continue;
    if (m.kind != "state" && m.kind != "rebel" && m.kind != "international") continue;
    if (m.role == "leader") continue;
    last_body = m;
  }
}

// "Its spokesman, Col. Jane Roe, said" (a `possessive_pronoun`, lower-case
// words and a `title` cue right before the apposition that ends before the
// verb): the speaker is the last body named before this sentence
// (last_body), and Roe speaks for it in later sentences (named_persons).
bool ArticleReading::ItsSpokesman(Sent& s, size_t verb, size_t said) {
  if (!last_body || verb == 0 || verb >= said || said < 2 || s.toks[said - 1].norm != ",") return false;
  const CueHit* title = nullptr;
  for (const CueHit& t : s.cues) {
    if (t.cue->category == CueCategory::kTitle && t.last == verb) title = &t;
  }
  if (title == nullptr) return false;
  size_t p = title->first;
  while (p > 0 && title->first - p < kItsTitleModifierTokens + 1) {
    --p;
    const Token& t = s.toks[p];
    if (In(words.possessive_pronoun, t.norm)) break;
    if (!t.Has(kWord) || t.Has(kCap) || t.Has(kNumber)) return false;
  }
  if (!In(words.possessive_pronoun, s.toks[p].norm) || s.toks[p].norm == "his" || s.toks[p].norm == "her") return false;
  const Token& name = s.toks[said - 2];
  if (!name.Has(kCap) || !name.Has(kWord)) return false;
  const std::string surname = name.norm;
  PutMention(s, p, verb, *last_body);
  SortInTextOrder(s.ments);
  for (size_t i = 0; i < s.ments.size(); ++i) {
    if (s.ments[i].first == p && s.ments[i].last == verb) {
      s.speaker = static_cast<int>(i);
      s.speaker_is_person = true;
      s.attrib_tok = said;
      named_persons.emplace_back(surname, s.ments[i]);
      return true;
    }
  }
  return false;
}

void ArticleReading::FindSpeaker(Sent& s) {
  SurnameMentions(s);
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
    if (c.first > 0 && In(words.pronoun, s.toks[c.first - 1].norm)) {
      s.speaker = -2;
      s.speaker_is_person_pronoun = s.toks[c.first - 1].norm == "he" || s.toks[c.first - 1].norm == "she";
      s.attrib_tok = c.first;
      return;
    }
    // "X, a body that brings together ..., says": the speaker is before the
    // apposition that ends just before the verb.
    size_t verb = c.first;
    if (verb > 0 && s.toks[verb - 1].norm == ",") {
      for (size_t k = verb - 1; k-- > 0;) {
        if (s.toks[k].norm == ",") { verb = k; break; }
        // The period of a title's abbreviation ("Col.", "Brig. Gen."
        // before a name) is inside the apposition, not the sentence's end.
        const bool abbreviation = s.toks[k].norm == "." && k > 0 && lex.abbreviations().count(s.toks[k - 1].norm) > 0;
        if (s.toks[k].norm == ";" || (s.toks[k].norm == "." && !abbreviation)) break;
      }
    }
    if (ItsSpokesman(s, verb, c.first)) return;
    // "... said": the nearest actor before the verb that can speak (people
    // counted as victims do not: "wounded four civilians, and said").
    int best = -1;
    for (size_t i = 0; i < s.ments.size(); ++i) {
      const Mention& m = s.ments[i];
      // People speak as the verb's own subject ("residents said", "two
      // witnesses told AFP"), not further back.
      if ((m.kind == "civilians" || m.role == "people") && m.last != verb) continue;
      if (m.last <= verb && m.last + kSpeakerBeforeVerbTokens >= verb && m.actor_like()) best = static_cast<int>(i);
    }
    if (best >= 0) {
      s.speaker = best;
      s.attrib_tok = c.first;
      return;
    }
    // "Jane Roe, a deputy head of X's defence centre, said": a person no
    // dictionary knows, named before an apposition that gives whom they
    // speak for — the first country, demonym or actor in it. The speaker is a
    // person (for a later "he said").
    if (verb < c.first && verb > 0 && s.toks[verb - 1].Has(kCap) && s.toks[verb - 1].Has(kWord)) {
      bool named = true;
      for (const Mention& m : s.ments) named = named && !(m.first < verb && m.last >= verb);
      for (size_t i = 0; named && i < s.ments.size(); ++i) {
        const Mention& m = s.ments[i];
        if (m.first <= verb || m.last >= c.first) continue;
        if (m.type == Mention::kCountry || m.type == Mention::kDemonym || m.actor_like()) {
          if (m.broker || m.kind == "civilians" || m.role == "people") break;
          s.speaker = static_cast<int>(i);
          s.speaker_is_person = true;
          s.attrib_tok = c.first;
          named_persons.emplace_back(s.toks[verb - 1].norm, m);
          return;
        }
      }
    }
  }
}

}  // namespace truce::extract
