// Events: ACLED-typed events with a place and a day, their actors and
// casualties, and the signing of the agreement as an event of its own.
#include "reading.h"
#include "tuning.h"

#include <algorithm>
#include <chrono>
#include <map>

namespace truce::extract {

using std::chrono::days;

LocationRef ArticleReading::LocOf(const PlaceRes& p) {
  LocationRef l;
  l.name = p.name;
  l.country = p.country;
  l.admin1 = p.admin1;
  l.lat = p.lat;
  l.lon = p.lon;
  return l;
}

// Events in every sentence but the headline, without repeats (same day,
// sub-event type and place); then the signing.
void ArticleReading::Events() {
  HeadingDays();
  MainAdmin1();
  // The paragraph's act: the last event its sentences told, and which of its
  // casualty fields its own sentence left empty (TakeCasualtiesTold).
  size_t frame = kNone;
  bool frame_killed_open = false, frame_injured_open = false;
  for (size_t si = 0; si < sents.size(); ++si) {
    const Sent& s = sents[si];
    if (s.title) continue;
    if (ParagraphBreakBefore(si)) frame = kNone;
    size_t first_of_sentence = x.events.size();
    bool tells_act = false;
    for (const CueHit& c : s.cues) tells_act = tells_act || c.cue->category == CueCategory::kEvent;
    if (!tells_act && frame != kNone) {
      TakeCasualtiesTold(si, &x.events[frame], &frame_killed_open, &frame_injured_open);
    }
    for (const CueHit& c : s.cues) {
      if (c.cue->category != CueCategory::kEvent) continue;
      // One event per place of a list ("towards A, B and C"); when the cue
      // gives none, why (the first place's reason).
      const std::vector<const Mention*> places = PlacesOfEvent(s, c);
      std::string why;
      bool any = false;
      if (places.empty()) {
        const std::string name = UnknownNameNear(s, c.first);
        why = name.empty() ? "no place named in the sentence"
                           : "no place found for '" + name +
                                 "' (not in the gazetteer, the agreements' places or the stored incidents' locations)";
      }
      for (const Mention* place : places) {
        std::string place_why;
        std::optional<EventOut> e = EventAt(s, si, c, *place, &place_why);
        if (!e) {
          if (why.empty()) why = std::move(place_why);
          continue;
        }
        any = true;
        // Within a sentence, one event per place and day (its first cue:
        // "artillery and drones" are one attack); across sentences, one
        // per day, act and place.
        // Within the sentence, an act whose actor is named replaces one at the
        // same place and day that only its target was found for ("the raids
        // were a response to a drone attack by X on the Y-held town of Z":
        // the attack by X, not raids on Y).
        bool dup = false;
        for (size_t k = 0; k < x.events.size(); ++k) {
          EventOut& o = x.events[k];
          bool same = o.date == e->date && o.location.name == e->location.name;
          if (same && k >= first_of_sentence && !o.actor1 && e->actor1 && !dup) {
            o = std::move(*e);
            dup = true;
            break;
          }
          dup = dup || (same && (o.sub_event_type == e->sub_event_type || k >= first_of_sentence));
        }
        if (!dup) x.events.push_back(std::move(*e));
      }
      if (!any) {
        // Several words of one act ("artillery shelled") missing for the same
        // reason are one note.
        const std::string cue = TokText(s, c.first, c.last);
        Source src = SourceOf(s, "");
        auto same = std::find_if(x.event_misses.begin(), x.event_misses.end(), [&](const EventMiss& m) {
          return m.source.begin == src.begin && m.reason == why;
        });
        if (same != x.event_misses.end()) {
          same->cue += ", " + cue;
        } else {
          x.event_misses.push_back({cue, std::move(why), std::move(src)});
        }
      }
    }
    if (x.events.size() > first_of_sentence) {
      frame = x.events.size() - 1;
      frame_killed_open = !x.events[frame].fatalities;
      frame_injured_open = !x.events[frame].injured;
    }
  }
  SigningEvent();
}

// The admin area (admin1) of the report's main country that its places lie
// in: each mention of a known place of that country counts for its admin1
// (an admin area for itself), outside the headline; the area with most
// mentions, when it has kMainAdmin1Mentions at least and no other area as
// many. "" otherwise. A name nobody knows is placed in that area, as it is
// placed in that country: reports name their villages beside the province
// they fight in.
void ArticleReading::MainAdmin1() {
  main_admin1.clear();
  if (main_country < 0) return;
  const std::string iso = Iso3(lex, main_country);
  std::map<std::string, int> count;
  for (const Sent& s : sents) {
    if (s.title) continue;
    for (const Mention& m : s.ments) {
      if (!m.place || m.place->route || m.place->kind == "unknown" || m.place->country != iso) continue;
      if (!m.place->admin1.empty()) ++count[m.place->admin1];
    }
  }
  int best = 0, second = 0;
  for (const auto& [area, n] : count) {
    if (n > best) second = best, best = n, main_admin1 = area;
    else if (n > second) second = n;
  }
  if (best < kMainAdmin1Mentions || second == best) main_admin1.clear();
}

// Casualties told after the act, in a sentence of its paragraph that tells no
// act of its own ("The clash broke out on Saturday in X. ... Two soldiers were
// killed and three wounded."): the killed and injured figures there, of no
// period other than the event's day, are the event's when its own sentence
// gave none of that kind (`*killed_open`, `*injured_open`: still open; the
// figures of several such sentences add up) and the sentence names no other
// place.
void ArticleReading::TakeCasualtiesTold(size_t si, EventOut* e, bool* killed_open, bool* injured_open) const {
  // A sentence that names another place ("30 were wounded in Y alone") tells
  // of somewhere else.
  for (const std::vector<Mention>* v : {&sents[si].ments, &sents[si].unknown_places}) {
    for (const Mention& m : *v) {
      if (m.place && !m.place->route && m.place_context && m.place->name != e->location.name) return;
    }
  }
  for (const ClaimOut* cl : claims_by_sent[si]) {
    if (cl->from != cl->to || (!cl->from.empty() && cl->from != e->date)) continue;
    if (cl->kind == "killed" && *killed_open) e->fatalities = e->fatalities.value_or(0) + cl->count;
    if (cl->kind == "injured" && *injured_open) e->injured = e->injured.value_or(0) + cl->count;
  }
}

// A heading: a paragraph of one short sentence with a dash in it ("MONDAY,
// AFTERNOON — Two killed", "CATCH-UP — How the deal works"), as live reports
// head their entries.
bool ArticleReading::IsHeading(size_t si) const {
  const Sent& s = sents[si];
  if (s.title || s.toks.size() > kHeadingTokens || !ParagraphBreakBefore(si)) return false;
  if (si + 1 < sents.size() && !ParagraphBreakBefore(si + 1)) return false;
  const std::string_view t = text.substr(s.span.begin, s.span.end - s.span.begin);
  if (t.find("\u2014") == std::string_view::npos && t.find(" \u2013 ") == std::string_view::npos &&
      t.find(" - ") == std::string_view::npos) {
    return false;
  }
  return t.find('.') == std::string_view::npos || t.back() != '.';
}

// The day of each sentence's entry (heading_days): the day the nearest
// heading before it opens with ("MONDAY, AFTERNOON — ..."); none when that
// heading opens with no day ("CATCH-UP — ...": it ends the day before) or
// there is none. One pass over the report.
void ArticleReading::HeadingDays() {
  heading_days.assign(sents.size(), std::nullopt);
  std::optional<time::Days> current;
  for (size_t si = 0; si < sents.size(); ++si) {
    if (sents[si].title) {
      current.reset();
      continue;
    }
    if (IsHeading(si)) {
      // A heading that opens with a time alone ("13:05 GMT — ...") is
      // another entry of the same day.
      bool time_only = false;
      for (const Temporal& t : sents[si].tms) time_only = time_only || (t.first == 0 && t.is_time);
      if (!time_only) current.reset();
      for (const Temporal& t : sents[si].tms) {
        if (t.first == 0 && !t.is_time && t.precision == DatePrecision::kDay && !t.ordinal_day_of && t.day <= published) {
          current = t.day;
        }
      }
    }
    heading_days[si] = current;
  }
}

bool ArticleReading::ParagraphBreakBefore(size_t si) const {
  if (si == 0) return true;
  const size_t gap_from = sents[si - 1].span.end, gap_to = sents[si].span.begin;
  return gap_to > gap_from && text.substr(gap_from, gap_to - gap_from).find("\n\n") != std::string_view::npos;
}

// The places of an event cue: the place below country level nearest to it,
// and the places listed with that one ("Goris, Sotk and Jermuk": joined by
// commas, "and" or "or" only). Empty when there is none.
std::vector<const Mention*> ArticleReading::PlacesOfEvent(const Sent& s, const CueHit& c) const {
  auto usable = [](const Mention& m) { return m.place && !m.place->route && m.place_context; };
  // The list's items: known places and, in a report with a main country,
  // names nobody knows in a place's position ("Goris, Sotk and Jermuk": Sotk
  // too). Pointers into s.ments and s.unknown_places themselves, never
  // into copies of them.
  // Where fire came from is not where it landed: the words after "fired
  // from" / "launched from" (a `fire_verb`), up to a `strike_verb`,
  // punctuation or kWeaponVerbTokens ("a shell fired from the army's base in
  // X struck Y": Y). Their places are left out when the sentence names another.
  std::vector<char> origin(s.toks.size(), 0);
  for (size_t k = 0; k + 2 < s.toks.size(); ++k) {
    if (!In(words.fire_verb, s.toks[k].norm) || s.toks[k + 1].norm != "from") continue;
    for (size_t j = k + 2; j < s.toks.size() && j <= k + 1 + kWeaponVerbTokens; ++j) {
      if (s.toks[j].Has(kPunct) || In(words.strike_verb, s.toks[j].norm)) break;
      origin[j] = 1;
    }
  }
  std::vector<const Mention*> items;
  size_t known_items = 0;
  for (int pass = 0; pass < 2 && items.empty(); ++pass) {
    // pass 0: places outside the origins; pass 1 (none there): all of them.
    for (const Mention& m : s.ments) {
      if (usable(m) && (pass == 1 || !origin[m.first])) items.push_back(&m);
    }
    known_items = items.size();
    if (main_country >= 0) {
      for (const Mention& m : s.unknown_places) {
        if (pass == 1 || !origin[m.first]) items.push_back(&m);
      }
    }
  }
  std::sort(items.begin(), items.end(), [](const Mention* a, const Mention* b) { return a->first < b->first; });
  // The nearest known place; when the sentence has none, the nearest name
  // nobody knows.
  const Mention* place = nullptr;
  size_t best_d = kNone;
  for (int pass = 0; pass < 2 && !place; ++pass) {
    if (pass == 1 && known_items > 0) break;
    for (const Mention* m : items) {
      const bool unknown = m->place->kind == "unknown";
      if ((pass == 0) == unknown) continue;
      size_t d = m->first > c.first ? m->first - c.first : c.first - m->first;
      if (d < best_d) best_d = d, place = m;
    }
  }
  if (!place) return {};
  size_t at = static_cast<size_t>(std::find(items.begin(), items.end(), place) - items.begin());
  // Items joined as a list: commas, "and", "or", and before an item a place
  // noun's phrase ("Jermuk and the village of X", "A, the town of B").
  auto joins = [&](size_t from, size_t to) {
    if (ListJoins(s, from, to)) return true;
    size_t k = from;
    while (k < to && (s.toks[k].norm == "," || s.toks[k].norm == "and" || s.toks[k].norm == "or")) ++k;
    if (k == from || k + 3 != to) return false;
    return s.toks[k].norm == "the" && In(words.place_noun, s.toks[k + 1].norm) && s.toks[k + 2].norm == "of";
  };
  size_t lo = at, hi = at;
  while (lo > 0 && items[lo - 1]->last <= items[lo]->first && joins(items[lo - 1]->last, items[lo]->first)) --lo;
  while (hi + 1 < items.size() && items[hi]->last <= items[hi + 1]->first && joins(items[hi]->last, items[hi + 1]->first)) {
    ++hi;
  }
  return std::vector<const Mention*>(items.begin() + static_cast<std::ptrdiff_t>(lo),
                                     items.begin() + static_cast<std::ptrdiff_t>(hi) + 1);
}

std::string ArticleReading::UnknownNameNear(const Sent& s, size_t near) const {
  std::vector<char> covered(s.toks.size(), 0);
  for (const Mention& m : s.ments) {
    for (size_t k = m.first; k < m.last && k < covered.size(); ++k) covered[k] = 1;
  }
  // Runs of capitalised words that are not the sentence's first word, a
  // month or a weekday: names the dictionaries and places did not know.
  size_t best_first = kNone, best_last = kNone, best_d = kNone;
  for (size_t i = 1; i < s.toks.size(); ++i) {
    const Token& t = s.toks[i];
    if (covered[i] || !t.Has(kCap) || !t.Has(kWord) || t.Has(kNumber)) continue;
    if (MonthNumber(t.norm) > 0 || WeekdayNumber(t.norm) >= 0) continue;
    size_t e = i;
    while (e < s.toks.size() && !covered[e] && s.toks[e].Has(kCap) && s.toks[e].Has(kWord) && !s.toks[e].Has(kNumber)) ++e;
    const size_t d = i > near ? i - near : near - i;
    if (d < best_d) best_d = d, best_first = i, best_last = e;
    i = e - 1;
  }
  return best_first == kNone ? std::string() : TokText(s, best_first, best_last);
}

// One event cue at one of its places: not negated or wished for, with a
// day; actors from "by X", a demonym ("Syrian airstrikes") or the nearest
// armed actor before it; the target from its object, else the civilians
// among its casualties.
std::optional<EventOut> ArticleReading::EventAt(const Sent& s, size_t si, const CueHit& c, const Mention& place,
                                                std::string* why) const {
  size_t lo = c.first >= kEventNegationTokens ? c.first - kEventNegationTokens : 0;
  if (CueNear(s, CueCategory::kNegation, lo, c.first)) {
    *why = "negated";
    return std::nullopt;
  }
  if (CueNear(s, CueCategory::kModality, lo, c.last + 3)) {
    *why = "not said to have happened (a threat, a wish or a possibility)";
    return std::nullopt;
  }
  // "its first delivery since fighting resumed in August": an act inside a
  // "since" phrase is the background a period starts from, not an event.
  for (const CueHit& p : s.cues) {
    if (p.cue->category != CueCategory::kPeriod || p.last > c.first || p.last + kSinceStartTokens < c.first) continue;
    bool crossed = false;
    for (size_t k = p.last; k < c.first; ++k) crossed = crossed || ClauseBoundary(s, k);
    if (!crossed) {
      *why = "background: the start of a period (\"since ...\")";
      return std::nullopt;
    }
  }
  // A day.
  std::optional<time::Days> day;
  // "X and Y blamed each other on Monday for a gun battle in Z": a day
  // between an accusation verb and the act it charges is the accusation's.
  auto accusation_day = [&](const Temporal& t) {
    for (const CueHit& a : s.cues) {
      if (a.cue->category == CueCategory::kAccuse && a.last <= t.first && t.last <= c.first) return true;
    }
    return false;
  };
  // A day across a ";" from the act is another clause's ("it applied from
  // Jan. 11 and only to the north; fighting in the west has gone on").
  auto other_clause = [&](const Temporal& t) {
    const size_t lo = std::min(t.last, c.first), hi = std::max(t.first, c.last);
    for (size_t k = lo; k < hi && k < s.toks.size(); ++k) {
      if (s.toks[k].norm == ";") return true;
    }
    return false;
  };
  for (const Temporal& t : s.tms) {
    if (t.is_time || t.in_parens || accusation_day(t) || other_clause(t)) continue;
    if (t.ordinal_day_of && effective_day) {
      day = *effective_day + days(t.ordinal_day_of - 1);
      break;
    }
    if (t.precision == DatePrecision::kDay && !t.ordinal_day_of) {
      day = t.day;
      break;
    }
  }
  // The day is not carried from earlier sentences as claims' days are
  // (CarriedDay): measured on the dev corpus, it added more false events
  // than it found (F1 0.479 -> 0.475); measured again in the seventh
  // session, also only from a sentence of the paragraph that names the same
  // place or an act: no event found right, up to 6 more false; and again in
  // the tenth (0.515 -> 0.491: none found, five more false).
  // A live report's entry: the day its heading gives.
  if (!day && si < heading_days.size()) day = heading_days[si];
  if (!day) day = DayOfDealStart(s);
  // "shells hit the town overnight", "this morning": the day the report was
  // published (a report tells the night that ends on its day as overnight).
  for (size_t k = 0; !day && k < s.toks.size(); ++k) {
    if (In(words.same_day_word, s.toks[k].norm) ||
        (s.toks[k].norm == "this" && k + 1 < s.toks.size() && In(words.day_part, s.toks[k + 1].norm))) {
      day = published;
    }
  }
  if (!day) {
    *why = "no date: the sentence gives no day (\"on Sunday\", \"on 15 March\")";
    return std::nullopt;
  }
  EventOut e;
  e.date = time::FormatDate(*day);
  e.event_type = c.cue->value;
  e.sub_event_type = c.cue->value2;
  // A clash word whose means are named ("attacks with artillery", "a raid
  // using drones") is the act those means make: remote violence.
  if (e.event_type == "Battles" && c.last < s.toks.size() && In(words.means_word, s.toks[c.last].norm)) {
    for (const CueHit& m : s.cues) {
      if (m.cue->category != CueCategory::kEvent || m.first <= c.last || m.first > c.last + 1 + kActModifierTokens ||
          m.cue->value != "Explosions/Remote violence") {
        continue;
      }
      e.event_type = m.cue->value;
      e.sub_event_type = m.cue->value2;
      break;
    }
  }
  e.location = LocOf(*place.place);
  if (place.place->kind == "unknown") {
    e.location.country = Iso3(lex, main_country);
    e.location.admin1 = main_admin1;
  }
  size_t from_tok = (s.attrib_before && s.attrib_tok != kNone && s.attrib_tok < c.first) ? s.attrib_tok + 1 : 0;
  const Mention* a1 = nullptr;
  const Mention* a2 = nullptr;
  for (size_t k = c.last; k < c.last + 3 && k < s.toks.size(); ++k) {
    if (s.toks[k].norm == "by") a1 = ActorAfter(s, k + 1, 3, true);
  }
  const bool a1_by = a1 != nullptr;
  // "clashes between X and Y", "fighting erupted on Sunday between X and Y":
  // the two sides the act word names after it (SidesBetween).
  const Mention* side2 = nullptr;
  if (!a1) {
    if (auto sides = SidesBetween(s, c)) a1 = sides->first, side2 = sides->second;
  }
  // "Syrian airstrikes", "Russian shelling": the demonym is the attacker's.
  // A demonym also across the act's own modifiers: "an Israeli air
  // attack", "a Russian missile strike" (at most kActModifierTokens
  // lower-case words that no mention covers, none of qualifier_stop, no
  // verb in -ed: "Azerbaijani troops resumed attacks" is the troops').
  const Mention* qual = nullptr;
  for (const Mention& m : s.ments) {
    if (m.last > c.first || m.backer) continue;
    if (m.last == c.first && (m.type == Mention::kDemonym || m.type == Mention::kCountry)) qual = &m;
    if (m.last == c.first || m.type != Mention::kDemonym || m.last + kActModifierTokens < c.first) continue;
    bool modifiers = true;
    for (size_t k = m.last; k < c.first; ++k) {
      const Token& t = s.toks[k];
      const bool ed = t.norm.size() > 3 && t.norm.compare(t.norm.size() - 2, 2, "ed") == 0;
      modifiers = modifiers && t.Has(kWord) && !t.Has(kCap) && !t.Has(kNumber) && !ed &&
                  !In(words.qualifier_stop, t.norm);
      for (const Mention& o : s.ments) modifiers = modifiers && !(o.first <= k && k < o.last);
    }
    if (modifiers) qual = &m;
  }
  // "an insurgent assault", "a rebel drone attack": a group's word as the
  // act's qualifier (`group_qualifier`, across at most kActModifierTokens
  // lower-case modifiers) names the act's actor: that kind of group, of the
  // report's country.
  std::optional<ActorRef> group;
  if (!a1 && !qual) {
    for (size_t k = c.first; k > 0 && k + kActModifierTokens + 1 >= c.first;) {
      --k;
      const Token& t = s.toks[k];
      if (!t.Has(kWord) || t.Has(kCap) || t.Has(kNumber) || t.Has(kHyphenBefore)) break;
      if (In(words.group_qualifier, t.norm)) {
        if (k + 1 < s.toks.size() && s.toks[k + 1].Has(kHyphenBefore)) break;  // "rebel-held"
        group = ActorRef{t.norm + "s", Iso3(lex, main_country), "rebel"};
        break;
      }
    }
  }
  if (!a1 && !qual && !group) {
    a1 = ActorBefore(s, c.first, from_tok, true);
    // The people a casualty figure counts as the object of a `strike_verb`
    // are no actor of the act ("soldiers killed four suspected rebels in a
    // gunfight": the rebels are its dead, the soldiers fought): the nearest
    // armed actor before the figure is.
    for (size_t ci = 0; a1 && ci < claims_by_sent[si].size(); ++ci) {
      const size_t fig = claim_toks_by_sent[si][ci];
      const std::string& kind = claims_by_sent[si][ci]->kind;
      if ((kind != "killed" && kind != "injured") || fig == 0 || fig >= a1->first ||
          a1->first > fig + 1 + kCountedActorTokens || !In(words.strike_verb, s.toks[fig - 1].norm)) {
        continue;
      }
      bool plain = true;  // only the figure's words between: "four suspected"
      for (size_t k = fig + 1; k < a1->first; ++k) plain = plain && s.toks[k].Has(kWord) && !s.toks[k].Has(kCap);
      if (!plain) continue;
      a1 = ActorBefore(s, fig, from_tok, true);
    }
  }
  if (a1 && s.speaker >= 0 && a1 == &s.ments[static_cast<size_t>(s.speaker)]) a1 = nullptr;
  // The sentence's speaker, when its verb comes before the act ("with X
  // saying a missile strike hit Y"), tells of the act.
  const Mention* teller = nullptr;
  if (s.speaker >= 0 && s.attrib_before && s.attrib_tok != kNone && s.attrib_tok < c.first) {
    teller = &s.ments[static_cast<size_t>(s.speaker)];
  }
  // "X said it had captured Y", "X said they shelled Y": a subject pronoun
  // at most kPronounActTokens before the act word, only lower-case words
  // between ("had", "also"), in the words of a speaker that is a body (not a
  // person: "he said they had ..." names nobody) — the speaker did it.
  if (!a1 && !qual && !group && teller != nullptr && !teller->person && (teller->kind == "state" || teller->kind == "rebel")) {
    for (size_t k = c.first; k > s.attrib_tok + 1 && k + kPronounActTokens >= c.first;) {
      --k;
      const Token& t = s.toks[k];
      if (In(words.subject_pronoun, t.norm)) {
        a1 = teller;
        break;
      }
      if (!t.Has(kWord) || t.Has(kCap) || t.Has(kNumber)) break;
    }
  }
  for (size_t k = c.last; !side2 && k < c.last + 4 && k < s.toks.size(); ++k) {
    const std::string& w = s.toks[k].norm;
    // Not "on Tuesday": a day is not the act's object.
    if (In(words.event_object, w) && !(k + 1 < s.in_temporal.size() && s.in_temporal[k + 1])) {
      a2 = ActorAfter(s, k + 1, 3);
      break;
    }
  }
  if (side2) a2 = side2;
  // The side that holds the act's place is its target ("a hilltop near X,
  // held by Y", "the Y-held town of X").
  std::optional<ActorRef> holder;
  if (!a2) holder = HolderOf(s, place);
  // The one who says so is not the target ("..., residents said").
  if (a2 && s.speaker >= 0 && a2 == &s.ments[static_cast<size_t>(s.speaker)]) a2 = nullptr;
  if (a1) e.actor1 = RefOf(*a1);
  else if (group) e.actor1 = group;
  else if (qual) {
    ActorRef r{"Military Forces of " + lex.countries()[static_cast<size_t>(qual->country)].name,
               Iso3(lex, qual->country), "state"};
    e.actor1 = r;
  }
  if (a2 && a2 != a1) e.actor2 = RefOf(*a2);
  if (!e.actor2 && holder && !(e.actor1 && e.actor1->name == holder->name)) e.actor2 = holder;
  // Casualties stated in the same sentence; civilians among them are the
  // ones the act was against when no target is named ("shelled the town,
  // killing two civilians"): civilians of the country where it happened.
  std::optional<ActorRef> victims;
  for (size_t ci = 0; ci < claims_by_sent[si].size(); ++ci) {
    const ClaimOut* cl = claims_by_sent[si][ci];
    if (cl->from != cl->to) continue;  // a toll over a period, not this act's
    if (!FigureOfAct(s, c, claim_toks_by_sent[si][ci])) continue;  // another act's
    if (cl->kind == "killed") e.fatalities = e.fatalities.value_or(0) + cl->count;
    if (cl->kind == "injured") e.injured = e.injured.value_or(0) + cl->count;
    if ((cl->kind == "killed" || cl->kind == "injured") && cl->subject && cl->subject->kind == "civilians" && !victims) {
      victims = *cl->subject;
      if (victims->country.empty()) victims->country = e.location.country;
    }
  }
  DistributedShare(s, si, place, &e);
  if (!e.actor2 && victims) e.actor2 = victims;
  // An account of the other side's act: a party of the report's two-sided
  // ceasefire tells of an act against its own side (the target, else the
  // place, of its country) and names nobody who did it — the other party
  // did, as the teller says (`events/other-party-told`).
  bool told = false;
  if (!e.actor1 && !qual && teller != nullptr && !teller->person) {
    const ActorRef t = RefOf(*teller);
    const std::string& hit = e.actor2 ? e.actor2->country : e.location.country;
    if ((t.kind == "state" || t.kind == "rebel") && !t.country.empty() && t.country == hit) {
      if (auto other = OtherParty(t, /*same_kind=*/false); other && other->country != t.country) {
        e.actor1 = other;
        if (!e.actor2) e.actor2 = t;
        told = true;
      }
    }
  }
  if (e.actor1 && !e.actor2) e.actor2 = UnnamedTarget(*e.actor1, e.location);
  // A clash ("clashes", "fighting", "a firefight") nobody is named in, where
  // the report's ceasefire is between two parties of the country it happens
  // in: a clash has two sides, and in a civil war's ceasefire report they are
  // its parties. Only then: an air strike or a shelling has one actor, and
  // across a border the parties could be anyone's (the dyad fallback that
  // made "a drone attack by terrorists" Russia against Turkey).
  bool report_parties = false;
  if (!e.actor1 && !e.actor2 && e.event_type == "Battles" && have_main && main_parties.size() == 2) {
    ActorRef p0 = main_parties[0].actor, p1 = main_parties[1].actor;
    if (p0.country.empty() && main_parties[0].id.size() == 3) p0.country = main_parties[0].id;
    if (p1.country.empty() && main_parties[1].id.size() == 3) p1.country = main_parties[1].id;
    if (!e.location.country.empty() && p0.country == e.location.country && p1.country == e.location.country) {
      e.actor1 = p0;
      e.actor2 = p1;
      report_parties = true;
    }
  }
  // Territory taken: a government's forces regain it, anyone else overtakes
  // it ("rebels captured the town", "troops seized the town"), whatever the
  // act word's own type.
  if (e.actor1 && (e.sub_event_type == "Government regains territory" ||
                   e.sub_event_type == "Non-state actor overtakes territory")) {
    if (e.actor1->kind == "state") e.sub_event_type = "Government regains territory";
    if (e.actor1->kind == "rebel") e.sub_event_type = "Non-state actor overtakes territory";
  }
  // No named actor at all: the report does not say who did it, and guessing
  // (the ceasefire's parties, say) would invent a dyad.
  if (!e.actor1 && !e.actor2) {
    *why = "no actor: nobody is named as doing it";
    return std::nullopt;
  }
  // The rule: how the actor was found, and whether the place is one nobody knows.
  std::string rule = report_parties ? "events/report-parties"
                     : told        ? "events/other-party-told"
                     : a1 ? (a1_by ? "events/actor-by" : "events/actor-before")
                     : (qual || group) ? "events/actor-demonym"
                            : "events/target-only";
  if (place.place->kind == "unknown") rule += "-unknown-place";
  e.source = SourceOf(s, rule);
  return e;
}

// The two sides an act word names after it with "between": "clashes between
// X and Y", "fighting erupted on Sunday between X and Y" ("between" at most
// kActBetweenTokens after the word, no clause boundary on the way; X the
// actor right after it, Y the actor right after the "and" that ends X). X
// acts, Y is its counterpart. Nothing when either side is no actor ("between
// Monday and Friday").
std::optional<std::pair<const Mention*, const Mention*>> ArticleReading::SidesBetween(const Sent& s,
                                                                                         const CueHit& c) const {
  for (size_t k = c.last; k < s.toks.size() && k <= c.last + kActBetweenTokens; ++k) {
    if (k > c.last && ClauseBoundary(s, k - 1)) return std::nullopt;
    if (s.toks[k].norm != "between") continue;
    const Mention* x1 = ActorAfter(s, k + 1, 2);
    if (!x1 || x1->last >= s.toks.size() || s.toks[x1->last].norm != "and") return std::nullopt;
    const Mention* x2 = ActorAfter(s, x1->last + 1, 2);
    if (!x2) return std::nullopt;
    return std::make_pair(x1, x2);
  }
  return std::nullopt;
}

// "before" / "after" right before a current deal noun ("the", "a" or one
// lower-case word between at most) whose entry-into-force verb (an `effect`
// cue: "began", "took effect") follows it at most two tokens later: the act
// is dated by the deal's start — the report's main deal, else its only deal
// one side declared — on the day it took effect, or the day before when it
// took effect at midnight and the act came before.
std::optional<time::Days> ArticleReading::DayOfDealStart(const Sent& s) const {
  std::string start;
  if (have_main && !main_withheld) start = main_agreement.effective_from;
  if (start.empty() && unilateral_deals.size() == 1) start = unilateral_deals[0].deal.effective_from;
  if (start.size() < 10) return std::nullopt;
  auto d = time::ParseIsoDate(start.substr(0, 10));
  if (!d.ok()) return std::nullopt;
  for (const CueHit& noun : s.cues) {
    if (noun.cue->category != CueCategory::kAgreement || Historical(s, noun)) continue;
    bool starts = false;
    for (const CueHit& e : s.cues) {
      starts = starts || (e.cue->category == CueCategory::kEffect && e.first >= noun.last && e.first <= noun.last + 2);
    }
    if (!starts) continue;
    for (size_t back = 1; back <= 2 && back <= noun.first; ++back) {
      const Token& t = s.toks[noun.first - back];
      if (t.norm == "before") return start.size() >= 16 && start.compare(11, 5, "00:00") == 0 ? *d - days(1) : *d;
      if (t.norm == "after") return *d;
      if (!t.Has(kWord) || t.Has(kCap)) break;
    }
  }
  return std::nullopt;
}

// Distributive figures: "strikes killed nine people: five in A and four in
// B" — a bare number (no casualty word of its own) right before "in" / "at" /
// "near" and this event's place, told after a casualty figure of the
// sentence that is larger, is this place's share of it: the event's
// fatalities (or injured, as the total's kind) are the share, not the total.
void ArticleReading::DistributedShare(const Sent& s, size_t si, const Mention& place, EventOut* e) const {
  const std::vector<size_t>& figure_toks = claim_toks_by_sent[si];
  // The place named right at token k is this event's (the list named it first).
  auto names_place = [&](size_t k) {
    for (const std::vector<Mention>* v : {&s.ments, &s.unknown_places}) {
      for (const Mention& m : *v) {
        if (m.first == k && m.place && m.place->name == place.place->name) return true;
      }
    }
    return false;
  };
  for (const Quantity& q : s.qty) {
    if (!q.value || q.last + 1 >= s.toks.size() || !names_place(q.last + 1)) continue;
    const std::string& prep = s.toks[q.last].norm;
    if (prep != "in" && prep != "at" && prep != "near") continue;
    if (std::find(figure_toks.begin(), figure_toks.end(), q.first) != figure_toks.end()) continue;  // a claim itself
    const ClaimOut* total = nullptr;
    for (size_t ci = 0; ci < figure_toks.size(); ++ci) {
      const ClaimOut* cl = claims_by_sent[si][ci];
      if (figure_toks[ci] >= q.first || cl->from != cl->to || cl->count <= *q.value) continue;
      if (cl->kind == "killed" || cl->kind == "injured") total = cl;
    }
    if (!total) continue;
    if (total->kind == "killed") e->fatalities = *q.value;
    else e->injured = *q.value;
    return;
  }
}

// Who holds a place, as the sentence says: "X, held by Y", "X, controlled
// by Y" (the holder right after the place) or "the Y-held town of X", "Y-held
// X" (a holder word joined by a hyphen to the actor, at most
// kHolderGapTokens before the place). nullopt when it does not say.
std::optional<ActorRef> ArticleReading::HolderOf(const Sent& s, const Mention& place) const {
  auto ref = [&](const Mention& m) -> std::optional<ActorRef> {
    if (m.broker || m.type == Mention::kPlace) return std::nullopt;
    if (m.type == Mention::kDemonym || m.type == Mention::kCountry) {
      if (m.country < 0) return std::nullopt;
      return ActorRef{"Military Forces of " + lex.countries()[static_cast<size_t>(m.country)].name,
                      Iso3(lex, m.country), "state"};
    }
    if (!m.actor_like() || m.kind == "civilians") return std::nullopt;
    return RefOf(m);
  };
  size_t k = place.last;
  if (k < s.toks.size() && s.toks[k].norm == ",") ++k;
  if (k + 1 < s.toks.size() && In(words.holder_verb, s.toks[k].norm) && !s.toks[k].Has(kHyphenBefore) &&
      s.toks[k + 1].norm == "by") {
    if (const Mention* m = ActorAfter(s, k + 2, 3, true)) return ref(*m);
  }
  const size_t from = place.first > kHolderGapTokens + 1 ? place.first - kHolderGapTokens - 1 : 0;
  for (size_t h = from; h < place.first; ++h) {
    if (!In(words.holder_verb, s.toks[h].norm) || !s.toks[h].Has(kHyphenBefore)) continue;
    for (const Mention& m : s.ments) {
      if (m.last == h) return ref(m);
    }
  }
  return std::nullopt;
}

// A figure counts the casualties of the act told nearest before it ("a
// missile hit X, killing nine civilians, and Y shelled Z": the nine are the
// missile's), else of the first act after it ("two were killed when a shell
// hit X"). An act's words joined as a list or written together ("artillery
// and drones", "air strikes") are one act.
bool ArticleReading::FigureOfAct(const Sent& s, const CueHit& c, size_t figure) const {
  std::vector<const CueHit*> acts;
  for (const CueHit& h : s.cues) {
    if (h.cue->category == CueCategory::kEvent) acts.push_back(&h);
  }
  std::sort(acts.begin(), acts.end(), [](const CueHit* a, const CueHit* b) { return a->first < b->first; });
  // Group the act words: a word overlapping, touching or listed with the
  // group before it belongs to that group.
  std::vector<size_t> group(acts.size(), 0);
  size_t group_last = 0;
  for (size_t k = 0; k < acts.size(); ++k) {
    const bool joins = k > 0 && (acts[k]->first <= group_last || ListJoins(s, group_last, acts[k]->first));
    group[k] = joins ? group[k - 1] : k;
    group_last = joins ? std::max(group_last, acts[k]->last) : acts[k]->last;
  }
  size_t owner = kNone;
  for (size_t k = 0; k < acts.size(); ++k) {
    if (acts[k]->last <= figure) owner = k;
  }
  if (owner == kNone) {
    for (size_t k = 0; k < acts.size() && owner == kNone; ++k) {
      if (acts[k]->first >= figure) owner = k;
    }
  }
  if (owner == kNone) return true;
  for (size_t k = 0; k < acts.size(); ++k) {
    if (acts[k]->first == c.first && acts[k]->last == c.last) return group[k] == group[owner];
  }
  return true;
}

// The other party of the report's ceasefire when `actor` is one of its two
// parties (by name, or by country — and kind, when `same_kind`: a state's
// army is not the rebel party of its own country); nullopt otherwise.
std::optional<ActorRef> ArticleReading::OtherParty(const ActorRef& actor, bool same_kind) const {
  if (!have_main || main_parties.size() != 2) return std::nullopt;
  for (size_t k = 0; k < 2; ++k) {
    ActorRef party = main_parties[k].actor;
    if (party.country.empty() && main_parties[k].id.size() == 3) party.country = main_parties[k].id;
    bool same = (!party.name.empty() && party.name == actor.name) ||
                (!party.country.empty() && party.country == actor.country && (!same_kind || party.kind == actor.kind));
    if (!same) continue;
    ActorRef other = main_parties[1 - k].actor;
    if (other.country.empty() && main_parties[1 - k].id.size() == 3) other.country = main_parties[1 - k].id;
    return other;
  }
  return std::nullopt;
}

// The target of an act whose report names only who acted: the other party of
// the report's ceasefire when the actor is one of its two parties; else, for
// a state's forces acting abroad, the country where the act lands. An act at
// home with no target named keeps none: naming an "unnamed opponent" would
// make two reports look alike to the matcher for a reason neither gives.
std::optional<ActorRef> ArticleReading::UnnamedTarget(const ActorRef& actor, const LocationRef& where) const {
  if (auto other = OtherParty(actor, /*same_kind=*/true)) return other;
  if (actor.country.empty() || where.country.empty()) return std::nullopt;
  int c = lex.CountryByIso3(where.country);
  if (c < 0) return std::nullopt;
  const std::string& country_name = lex.countries()[static_cast<size_t>(c)].name;
  if (actor.country != where.country && actor.kind == "state") return ActorRef{country_name, where.country, "state"};
  return std::nullopt;
}

// The signing as an event: where the talks were held, else the dateline.
void ArticleReading::SigningEvent() {
  if (!(have_main && !main_withheld && !main_agreement.agreed_on.empty() && main_parties.size() >= 2)) return;
  std::optional<PlaceRes> where;
  size_t where_sent = 0;
  for (size_t si = 0; si < sents.size() && !where; ++si) {
    const Sent& s = sents[si];
    for (const Mention& m : s.ments) {
      if (!m.place || m.place->route) continue;
      bool talks_before = false, talks_after = false;
      for (size_t k = m.first >= 4 ? m.first - 4 : 0; k < m.first; ++k) {
        const std::string& w = s.toks[k].norm;
        talks_before = talks_before || In(words.talks_word, w);
      }
      talks_before = talks_before && m.first > 0 &&
                     (s.toks[m.first - 1].norm == "in" || s.toks[m.first - 1].norm == "at" ||
                      (s.toks[m.first - 1].norm == "the" && m.first > 1 &&
                       (s.toks[m.first - 2].norm == "in" || s.toks[m.first - 2].norm == "at")));
      for (size_t k = m.last; k < m.last + 3 && k < s.toks.size(); ++k) {
        const std::string& w = s.toks[k].norm;
        talks_after = talks_after || In(words.talks_after, w);
        if (w == "conference" && k > m.last && s.toks[k - 1].norm == "news") talks_after = true;
      }
      if (talks_before || talks_after) {
        where = m.place;
        where_sent = si;
        break;
      }
    }
  }
  // Else the venue the dating sentence gives: "the truce was agreed in
  // Havana on June 9", "was signed last Saturday in the city of X": a place
  // after the verb, "in"/"at"/"of" before it — abroad (a place of the
  // report's own country after the verb is as often the deal's area: "agreed
  // to a truce in Idlib"), or one nobody knows (no country to tell).
  bool venue = false;
  if (!where && agreed_sent < sents.size() && agreed_verb != kNone) {
    const Sent& s = sents[agreed_sent];
    auto fits = [&](const Mention& m) {
      if (m.first <= agreed_verb || m.first > agreed_verb + kVenueTokens || !m.place || m.place->route) return false;
      const std::string& before = s.toks[m.first - 1].norm;
      if (before != "in" && before != "at" && before != "of") return false;
      if (m.place->kind == "unknown") return true;
      return m.place_context && m.place->sub_country && m.country != main_country &&
             m.place->country != Iso3(lex, main_country);
    };
    const Mention* best = nullptr;
    for (const Mention& m : s.ments) {
      if (fits(m) && (!best || m.first < best->first)) best = &m;
    }
    for (const Mention& m : s.unknown_places) {
      if (fits(m) && (!best || m.first < best->first)) best = &m;
    }
    if (best) {
      where = best->place;
      where_sent = agreed_sent;
      venue = true;
    }
  }
  // Else a place abroad that names a current deal ("the Xtown agreement",
  // "the Xtown accords", right before the deal noun): where it was made.
  bool named = false;
  for (size_t si = 0; si < sents.size() && !where; ++si) {
    const Sent& s = sents[si];
    for (const Mention& m : s.ments) {
      if (!m.place || m.place->route || !m.place->sub_country || m.place->country == Iso3(lex, main_country)) continue;
      bool names_deal = false;
      for (const CueHit& c : s.cues) {
        names_deal = names_deal || (c.cue->category == CueCategory::kAgreement && c.first == m.last && !Historical(s, c));
      }
      if (!names_deal) continue;
      where = m.place;
      where_sent = si;
      named = true;
      break;
    }
  }
  // The dateline is where the report was written: where the deal was made
  // only when it is reported the day it was made (or the day after).
  const bool talks_place = where.has_value() && !venue && !named;
  if (!where && dateline_place) {
    auto agreed = time::ParseIsoDate(main_agreement.agreed_on);
    if (agreed.ok() && published - *agreed <= days(1) && published >= *agreed) where = dateline_place;
  }
  if (where) {
    const bool at_talks = talks_place;
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
    e.source = SourceOf(sents[where_sent], venue      ? "events/signing-venue"
                                           : named    ? "events/signing-named"
                                           : at_talks ? "events/signing-talks"
                                                      : "events/signing-dateline");
    x.events.insert(x.events.begin(), std::move(e));
  }
}

}  // namespace truce::extract
