// Claims: figures someone states (killed, injured, displaced, ...), with the
// claimant, qualifier, subject, agent and period; vague figures kept apart.
#include "reading.h"
#include "tuning.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace truce::extract {

// For each figure outside the headline: its cue, the claimant (the speaker,
// else the outlet), subject, agent and period. Figures without a count become
// vague figures; claims_by_sent is left for Events.
void ArticleReading::Claims() {
  std::optional<ActorRef> last_person, last_body;
  std::vector<std::pair<size_t, ClaimOut>> found;
  std::vector<size_t> found_tok;  // each found claim's figure token
  std::vector<char> share;        // a share of a total told before it (SharesOf): never a repeat
  const std::string war_start = WarStart();
  for (size_t si = 0; si < sents.size(); ++si) {
    const Sent& s = sents[si];
    if (s.title) continue;
    std::optional<ActorRef> speaker =
        Speaker(s, last_person ? &*last_person : nullptr, last_body ? &*last_body : nullptr);
    if (s.speaker >= 0) {
      const Mention& m = s.ments[static_cast<size_t>(s.speaker)];
      if (m.role == "leader" || s.speaker_is_person) last_person = RefOf(m);
      else last_body = RefOf(m);
    }
    std::string kind_before;  // the kind of the sentence's last claim: "..., bringing the total to N"
    size_t prev_hi = kNone;   // where the sentence's last claim (found.back()) ends
    for (size_t qi = 0; qi < s.qty.size(); ++qi) {
      const Quantity& q = s.qty[qi];
      bool active = false;
      const CueHit* cue = nullptr;
      CueHit counted_head;  // the word a counted figure counts by (CountedFigure)
      std::optional<std::string> counted;
      bool times = q.last < s.toks.size() && s.toks[q.last].norm == "times";
      if (!times && q.last < s.toks.size() && In(words.unit_after_number, s.toks[q.last].norm)) continue;
      if (q.last + 1 < s.toks.size() && s.toks[q.last].norm == "-" && In(words.unit_after_number, s.toks[q.last + 1].norm)) continue;
      if (!times) cue = FigureCue(s, q, &active);
      if (!cue) {
        counted = CountedFigure(s, q, kind_before, &counted_head, &active);
        if (counted) cue = &counted_head;
      }
      if (!cue) continue;
      size_t lo = std::min(q.first, cue->first), hi = std::max(q.last, cue->last);
      if (CueNear(s, CueCategory::kModality, lo >= 3 ? lo - 3 : 0, hi)) continue;
      std::optional<ActorRef> subject, by;
      SubjectAndAgent(s, q, *cue, active, speaker, &subject, &by);
      // "X had killed three people and wounded three others": a verb
      // coordinated with the claim just told has its subject, the agent
      // (not the people the first verb counted), and the side of the people
      // counted when it names none itself.
      if (active && prev_hi != kNone && cue->first > prev_hi && cue->first <= prev_hi + kCoordinatedTokens &&
          s.toks[cue->first - 1].norm == "and") {
        bool plain = true;
        for (size_t k = prev_hi; k + 1 < cue->first; ++k) plain = plain && s.toks[k].Has(kWord) && !ClauseBoundary(s, k);
        const ClaimOut& prev = found.back().second;
        if (plain) {
          by = prev.by;
          if ((!subject || subject->country.empty()) && prev.subject && !prev.subject->country.empty()) {
            ActorRef r = subject ? *subject : ActorRef{TokText(s, q.number_first, q.last), "", prev.subject->kind};
            r.country = prev.subject->country;
            subject = r;
          }
        }
      }
      SubjectCountry(s, q, *cue, active, by, &subject);
      ClaimOut c;
      c.claimant = speaker ? *speaker : Outlet();
      c.kind = counted ? *counted : cue->cue->value;
      if (c.kind == "violations" && !active && !by) {
        // "52 Israeli breaches", "120 Ukrainian strikes": the qualifier of
        // what is counted is who committed it, not who it is about.
        // Before a count's head too: "Israeli violations had passed N".
        for (const Mention& m : s.ments) {
          bool between = m.first >= q.last && m.last <= cue->first;
          bool qualifies = cue->last <= q.first && m.last == cue->first;
          if (!between && !qualifies) continue;
          if (m.type == Mention::kDemonym || m.type == Mention::kCountry || m.actor_like()) {
            by = RefOf(m);
            subject.reset();
            SubjectCountry(s, q, *cue, active, by, &subject);
          }
          break;
        }
      }
      if (q.value) {
        c.count = *q.value;
      }
      c.qualifier = QualifierName(q.qualifier);
      // "violations had passed 54", "the toll topped 300": more than the figure.
      if (q.qualifier == Qualifier::kExact && q.first > 0 && In(words.count_over, s.toks[q.first - 1].norm)) {
        c.qualifier = QualifierName(Qualifier::kMoreThan);
      }
      // "at least 72 bombardments and 22 air raids": a figure joined by
      // "and" to the claim just told, of the same kind and with no qualifier
      // of its own, shares that claim's.
      if (q.qualifier == Qualifier::kExact && prev_hi != kNone && q.first == prev_hi + 1 &&
          s.toks[prev_hi].norm == "and" && found.back().second.kind == c.kind) {
        c.qualifier = found.back().second.qualifier;
      }
      c.subject = subject;
      c.by = by;
      if (auto since = PeriodStart(s, q, war_start)) {
        c.from = since->from;
        c.to = since->to;
      } else if (auto period = PeriodOf(s, q)) {
        c.from = period->first;
        c.to = period->second;
      } else if (const Temporal* day = CarriedDay(si)) {
        // No period and no day here: the day (or days) its paragraph is
        // about ("On Monday the town was shelled. Two people were killed").
        c.from = time::FormatDate(day->day);
        c.to = time::FormatDate(day->range_end.value_or(day->day));
      }
      // The rule: who the claimant is (a speaker named here, a pronoun's
      // last speaker, the outlet) and the figure's form.
      std::string rule = !speaker ? "claims/outlet" : s.speaker >= 0 ? "claims/said" : "claims/pronoun";
      rule += counted ? "-counted" : active ? "-active" : "-passive";
      c.source = SourceOf(s, rule);
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
      // Who did it, when nobody is named: the side the claimant (else the
      // people counted) fights in the report's ceasefire — a ministry
      // counting its own dead, or violations, counts the other side's acts.
      if (!c.by && (c.kind == "killed" || c.kind == "injured" || c.kind == "violations")) {
        std::optional<ActorRef> other;
        if (c.claimant.kind != "media") other = OtherParty(c.claimant, /*same_kind=*/false);
        if (!other && c.subject) other = OtherParty(*c.subject, /*same_kind=*/false);
        c.by = other;
      }
      c.area = AreaOf(s, q, *cue);
      kind_before = c.kind;
      prev_hi = hi;
      found.emplace_back(si, c);
      found_tok.push_back(q.first);
      share.push_back(0);
      // "11 people killed on Sunday: nine in X and two in Y": the shares
      // after a colon, bare numbers that add up to the total, are figures of
      // their own for the place each names.
      for (auto& [at, part] : SharesOf(s, qi, c)) {
        found.emplace_back(si, std::move(part));
        found_tok.push_back(at);
        share.push_back(1);
      }
    }
  }
  // The same figure told twice (a summary, then the account): one claim, the
  // one whose claimant is named, else the first. Same kind and count, in
  // another sentence, claimants of the same country or one of them the outlet,
  // the same period or one of them without any. A repeat is still its
  // sentence's figure for Events (the act's casualties), kept in
  // repeated_claims.
  std::vector<char> drop(found.size(), 0);
  for (size_t i = 0; i < found.size(); ++i) {
    for (size_t j = i + 1; j < found.size() && !drop[i]; ++j) {
      if (drop[j] || found[i].first == found[j].first || share[i] || share[j]) continue;
      const ClaimOut& a = found[i].second;
      const ClaimOut& b = found[j].second;
      if (a.kind != b.kind || a.count != b.count) continue;
      bool a_media = a.claimant.kind == "media", b_media = b.claimant.kind == "media";
      if (!a_media && !b_media && a.claimant.country != b.claimant.country) continue;
      // Figures of different periods are different figures ("two killed" on
      // Monday and two on Friday).
      if (!a.from.empty() && !b.from.empty() && (a.from != b.from || a.to != b.to)) continue;
      if (a_media && !b_media) drop[i] = 1;
      else drop[j] = 1;
    }
  }
  claims_by_sent.assign(sents.size(), {});
  claim_toks_by_sent.assign(sents.size(), {});
  repeated_claims.clear();
  size_t repeats = static_cast<size_t>(std::count(drop.begin(), drop.end(), 1));
  x.claims.reserve(x.claims.size() + found.size() - repeats);
  repeated_claims.reserve(repeats);
  for (size_t i = 0; i < found.size(); ++i) {
    auto& [si, c] = found[i];
    std::vector<ClaimOut>& to = drop[i] ? repeated_claims : x.claims;
    to.push_back(std::move(c));
    if (share[i]) continue;  // a share of a total: the total stays the sentence's figure for its act
    claim_toks_by_sent[si].push_back(found_tok[i]);
    claims_by_sent[si].push_back(&to.back());
  }
}

// The shares of a casualty total (`total`, from quantity qi): after a colon
// that follows the total's words (no clause boundary but the colon), the bare
// numbers — no casualty word of their own — taken in order, each skipped when
// it would pass the total (a share's own breakdown: "nine — six civilians and
// three fighters — and two"), when they add up to the total exactly, two at
// least. Each is a claim like the total, exact, for the first place named
// within kShareAreaTokens after it. With their figure tokens.
std::vector<std::pair<size_t, ClaimOut>> ArticleReading::SharesOf(const Sent& s, size_t qi, const ClaimOut& total) const {
  std::vector<std::pair<size_t, ClaimOut>> out;
  if (total.kind != "killed" && total.kind != "injured") return out;
  const Quantity& q = s.qty[qi];
  size_t colon = kNone;
  for (size_t k = q.last; k < s.toks.size() && k < q.last + kShareColonTokens; ++k) {
    if (s.toks[k].norm == ":") {
      colon = k;
      break;
    }
    if (ClauseBoundary(s, k) || s.toks[k].Has(kNumber)) return out;
  }
  if (colon == kNone) return out;
  std::vector<const Quantity*> parts;
  double sum = 0;
  for (size_t qj = qi + 1; qj < s.qty.size(); ++qj) {
    const Quantity& p = s.qty[qj];
    if (p.first <= colon || !p.value || p.qualifier != Qualifier::kExact) continue;
    bool active = false;
    if (FigureCue(s, p, &active) != nullptr) return {};  // a figure of its own: not a breakdown
    if (sum + *p.value > total.count) continue;
    sum += *p.value;
    parts.push_back(&p);
  }
  if (parts.size() < 2 || sum != total.count) return out;
  for (size_t i = 0; i < parts.size(); ++i) {
    const Quantity& p = *parts[i];
    const size_t stop = i + 1 < parts.size() ? parts[i + 1]->first : s.toks.size();
    ClaimOut c = total;
    c.count = *p.value;
    c.qualifier = QualifierName(Qualifier::kExact);
    c.area.reset();
    for (const Mention& m : s.ments) {
      if (m.first < p.last || m.first >= stop || m.first > p.last + kShareAreaTokens || !m.place) continue;
      LocationRef l;
      l.name = TokText(s, m.first, m.last);  // as the report writes it
      l.country = m.place->country;
      c.area = l;
      break;
    }
    out.emplace_back(p.first, std::move(c));
  }
  return out;
}

// Casualties of an act told before: "nine civilians died in the raid" — a
// definite act ("the" / "that" / "this" and an act word) in a sentence that
// tells no event of its own refers to the last event told before it in the
// report; a killed or injured figure there without an agent takes that
// event's actor, and one without a period its day. Runs after Events().
void ArticleReading::ClaimsOfTheActTold() {
  for (ClaimOut& c : x.claims) {
    if (c.kind != "killed" && c.kind != "injured") continue;
    if (c.by && !c.from.empty()) continue;
    const Sent* sent = nullptr;
    for (const Sent& s : sents) {
      if (!s.title && offsets.ToChar(s.span.begin) == c.source.begin) sent = &s;
    }
    if (!sent) continue;
    bool definite = false;
    for (const CueHit& e : sent->cues) {
      if (e.cue->category != CueCategory::kEvent || e.first == 0) continue;
      const std::string& w = sent->toks[e.first - 1].norm;
      definite = definite || w == "the" || w == "that" || w == "this";
    }
    if (!definite) continue;
    const EventOut* act = nullptr;
    bool own = false;
    for (const EventOut& e : x.events) {
      if (e.event_type == "Strategic developments") continue;
      if (e.source.begin == c.source.begin) own = true;
      if (e.source.begin < c.source.begin) act = &e;
    }
    if (own || !act) continue;
    if (!c.by && act->actor1) c.by = act->actor1;
    if (c.from.empty() && c.to.empty()) c.from = c.to = act->date;
  }
}

// A clause boundary: punctuation that ends a clause or an aside, or a
// `clause_break` word ("while", "but").
bool ArticleReading::ClauseBoundary(const Sent& s, size_t k) const {
  const std::string& w = s.toks[k].norm;
  return w == "," || w == ";" || w == ":" || w == "." || w == "(" || w == ")" || w == "-" ||
         In(words.clause_break, w);
}

// The period a "since" phrase gives a figure. The phrase (from "since" to the
// next clause boundary outside a date) binds the figures of its own clause —
// no boundary between them ("N killed since Feb. 3", "violations since the
// truce began had passed N") — and, when it opens its clause and a comma
// closes it, the clause after that comma ("Since Feb. 3, N soldiers ..."); not
// a figure told in another clause ("N killed on Monday, the worst day since
// the truce began"); an aside between them does not count (", including 12
// children,", ", officials said,"). Its start: a date in the phrase; else, for a deal ("since
// the truce took hold"), the day the report's deal took effect; else, for a
// war or fighting ("since the war began"), the day the report says it began
// (`war_start`, WarStart); "" when that is not known. It ends on the day the
// sentence says it was told ("said on Thursday that N ... since ..."), else
// on the publication day. nullopt when no phrase binds, or the one that does
// names no start (an adverb: "has since overrun").
std::optional<ArticleReading::SincePeriod> ArticleReading::PeriodStart(const Sent& s, const Quantity& q,
                                                                       const std::string& war_start) const {
  const size_t n = s.toks.size();
  // An aside between two commas does not end the clause: one that opens with
  // `aside_opener` (", including 65 children,") or holds an attribution
  // (", officials said,").
  auto aside_end = [&](size_t comma) -> size_t {
    size_t j = comma + 1;
    while (j < n && !(ClauseBoundary(s, j) && !s.in_temporal[j])) ++j;
    if (j >= n || s.toks[j].norm != "," || j == comma + 1) return kNone;
    bool aside = In(words.aside_opener, s.toks[comma + 1].norm);
    for (const CueHit& a : s.cues) {
      aside = aside || (a.cue->category == CueCategory::kAttribution && a.first > comma && a.last <= j);
    }
    return aside ? j : kNone;
  };
  auto crossed = [&](size_t from, size_t to) {
    for (size_t k = from; k < to && k < n; ++k) {
      if (!ClauseBoundary(s, k) || s.in_temporal[k]) continue;
      size_t j = s.toks[k].norm == "," ? aside_end(k) : kNone;
      if (j == kNone || j >= to) return true;
      k = j;
    }
    return false;
  };
  for (const CueHit& c : s.cues) {
    if (c.cue->category != CueCategory::kPeriod) continue;
    size_t end = c.last;
    while (end < n && !(ClauseBoundary(s, end) && !s.in_temporal[end])) ++end;
    bool bound = false;
    if (q.last <= c.first) {
      bound = !crossed(q.last, c.first);
    } else if (q.first < end) {
      bound = q.first >= c.last;
    } else {
      bool opens = c.first == 0 || ClauseBoundary(s, c.first - 1) || s.toks[c.first - 1].norm == "that";
      bound = opens && end < n && s.toks[end].norm == "," && !crossed(end + 1, q.first);
    }
    if (!bound) continue;
    SincePeriod p;
    const Temporal* start = nullptr;
    for (const Temporal& t : s.tms) {
      if (t.is_time || t.first < c.last || t.first >= end || t.first > c.last + kPeriodDateTokens) continue;
      start = &t;
      break;
    }
    bool deal = false, war = false;
    for (const CueHit& d : s.cues) {
      deal = deal || (d.cue->category == CueCategory::kAgreement && d.first >= c.last && d.first < end &&
                      d.first <= c.last + kSinceStartTokens);
    }
    for (size_t k = c.last; k < end && k <= c.last + kSinceStartTokens; ++k) war = war || In(words.war_noun, s.toks[k].norm);
    if (start) {
      p.from = FormatTemporalDate(*start);
    } else if (deal) {
      // The report's deal: when it took effect (its first day).
      if (!x.agreements.empty()) p.from = x.agreements.front().effective_from.substr(0, 10);
    } else if (war) {
      p.from = war_start;
    } else {
      return std::nullopt;
    }
    // The day it was told: a day the sentence names outside the phrase, the
    // nearest before the figure, else after it.
    const Temporal* told = nullptr;
    for (const Temporal& t : s.tms) {
      if (t.is_time || t.in_parens || t.after_since || t.ordinal_day_of || t.precision != DatePrecision::kDay) continue;
      if ((t.first >= c.first && t.first < end) || t.day > published) continue;
      if (t.first < q.first || !told) told = &t;
      if (t.first >= q.first) break;
    }
    p.to = time::FormatDate(told ? told->day : published);
    return p;
  }
  return std::nullopt;
}

// The day the report says its war or fighting began: a date after "since"
// just after a war word ("at war since April 15", "fighting since 2014"), or
// after a war word and a start verb ("the war began on April 15", "since the
// fighting erupted on Sept. 27"); the first the report gives, "" when none.
std::string ArticleReading::WarStart() const {
  for (const Sent& s : sents) {
    for (const Temporal& t : s.tms) {
      if (t.is_time || t.in_parens || t.ordinal_day_of || t.day > published || t.first < 2) continue;
      size_t lo = t.first > kWarStartTokens ? t.first - kWarStartTokens : 0;
      bool war = false, begin = false, since = s.toks[t.first - 1].norm == "since";
      for (size_t k = t.first; k-- > lo;) {
        if (ClauseBoundary(s, k)) break;
        const std::string& w = s.toks[k].norm;
        if (In(words.war_noun, w)) {
          war = true;
          break;
        }
        begin = begin || In(words.start_verb, w);
      }
      if (war && (since || begin)) return FormatTemporalDate(t);
    }
  }
  return "";
}

// The period of a figure with no "since": "over the past 24 hours" / "in the
// last three days" / "over the previous 48 hours" (`period_back`; up to
// publication), else the day the sentence names
// nearest to the figure ("killed six on Thursday": that day; "between Jan. 3
// and 9": those days).
std::optional<std::pair<std::string, std::string>> ArticleReading::PeriodOf(const Sent& s, const Quantity& q) const {
  for (size_t k = 0; k + 3 < s.toks.size(); ++k) {
    const std::string& w = s.toks[k].norm;
    if (!In(words.period_back, w)) continue;
    size_t n = k + 1;
    double count = 1;
    for (const Quantity& o : s.qty) {
      if (o.first == n && o.value) { count = *o.value; n = o.last; break; }
    }
    if (n >= s.toks.size()) continue;
    const std::string& unit = s.toks[n].norm;
    double span_days = unit == "hours" ? count / 24 : (unit == "days" || unit == "day") ? count
                     : (unit == "weeks" || unit == "week") ? count * 7 : -1;
    if (unit == "hour" || (unit == "hours" && count <= 0)) span_days = -1;
    if (span_days <= 0 || span_days > 366) continue;
    auto back = std::chrono::days(static_cast<int>(std::ceil(span_days)));
    return std::make_pair(time::FormatDate(published - back), time::FormatDate(published));
  }
  const Temporal* best = nullptr;
  size_t best_d = kNone;
  for (const Temporal& t : s.tms) {
    if (t.is_time || t.in_parens || t.after_since || t.ordinal_day_of || t.precision != DatePrecision::kDay) continue;
    size_t d = t.first > q.first ? t.first - q.first : q.first - t.first;
    if (d < best_d) best_d = d, best = &t;
  }
  if (!best) return std::nullopt;
  // A range of days ("between Jan. 3 and 9") is the figure's period.
  return std::make_pair(time::FormatDate(best->day), time::FormatDate(best->range_end.value_or(best->day)));
}

// The claim cue a figure belongs to, and whether it is active (the cue comes
// first: "killed 58 soldiers") or passive ("58 soldiers were killed"); null
// when none.
const CueHit* ArticleReading::FigureCue(const Sent& s, const Quantity& q, bool* active) const {
  const CueHit* cue = nullptr;
  // (A) "killed more than 3,200 Syrian soldiers"; "the death toll rose to 58".
  for (const CueHit& c : s.cues) {
    if (c.cue->category != CueCategory::kClaim || c.cue->value2 == "noun") continue;
    if (c.last == q.first || (c.cue->value2 == "toll" && c.last < q.first && c.last + 4 >= q.first)) {
      cue = &c;
      *active = c.cue->value2 != "toll";
    }
  }
  // (B) "58 Turkish soldiers have been killed".
  if (!cue) {
    for (const CueHit& c : s.cues) {
      if (c.cue->category != CueCategory::kClaim || c.first < q.last || c.first > q.last + kPassiveClaimCueTokens) continue;
      if (c.cue->value2 == "noun" && c.first > q.last + 2) continue;
      if (c.cue->value2 == "toll") continue;
      bool stop = false;
      bool including = false;
      std::vector<std::pair<size_t, size_t>> asides;  // skipped, as commas around them
      for (size_t k = q.last; k < c.first; ++k) {
        const std::string& w = s.toks[k].norm;
        // "four people, children among them, were killed": a short aside
        // between commas that holds an `aside_opener` word does not end
        // the noun phrase.
        if (w == "," && k > q.last) {
          size_t j = k + 1;
          bool opener = false;
          while (j < c.first && j <= k + kAsideTokens && s.toks[j].norm != "," && !s.toks[j].Has(kPunct)) {
            opener = opener || In(words.aside_opener, s.toks[j].norm);
            ++j;
          }
          if (opener && j < c.first && s.toks[j].norm == ",") {
            asides.emplace_back(k, j);
            k = j;
            continue;
          }
        }
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
        bool in_aside = false;
        for (const auto& [from, to] : asides) in_aside = in_aside || (o.first > from && o.first < to);
        if (o.first >= q.last && o.first < c.first && !including && !in_aside) stop = true;
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
  return cue;
}

// A figure no casualty word follows that counts acts or violations: the kind
// it counts, with *head the word it counts by (for SubjectAndAgent); none
// when it counts nothing known. Three forms, each within its clause:
//  - "shelled the town 12 times", "breached it 21 times": an act or
//    violation verb at most kCountedVerbTokens before "N times" (active);
//  - "40 artillery strikes", "120 Ukrainian raids": a counted act
//    (`counted_act`) after the figure, across up to kActModifierTokens + 1
//    modifiers; not after a `circumstance_word` ("killed in two attacks":
//    where the dead came from);
//  - a count's value: "to" / "at" / a count verb (`count_verb`) before the
//    figure ("to a record N": `count_filler`), and before that a count noun
//    ("put the number of violations at N", "bringing the total to N"),
//    whose kind is its "of X", else the kind of the claim told before it in
//    the sentence (`kind_before`), else of a counted act just after the
//    figure ("N, among them 40 shellings"); or a casualty or counted word
//    with a count verb between it and the figure ("violations had passed N",
//    "the number of wounded rose to N").
std::optional<std::string> ArticleReading::CountedFigure(const Sent& s, const Quantity& q,
                                                          const std::string& kind_before, CueHit* head,
                                                          bool* active) const {
  const size_t n = s.toks.size();
  auto boundary = [&](size_t k) {
    const std::string& w = s.toks[k].norm;
    return w == "," || w == ";" || w == ":" || w == "." || w == "(" || w == ")" || In(words.clause_break, w);
  };
  // The kind the word at k counts: a casualty word ending there, else a counted act.
  auto kind_at = [&](size_t k) -> std::optional<std::string> {
    for (const CueHit& c : s.cues) {
      if (c.cue->category == CueCategory::kClaim && c.last == k + 1) return c.cue->value;
    }
    if (In(words.counted_act, s.toks[k].norm)) return std::string("violations");
    return std::nullopt;
  };
  if (q.last < n && s.toks[q.last].norm == "times") {
    size_t lo = q.first > kCountedVerbTokens ? q.first - kCountedVerbTokens : 0;
    for (size_t k = q.first; k-- > lo;) {
      if (boundary(k)) break;
      bool act = In(words.violation_verb, s.toks[k].norm);
      for (const CueHit& c : s.cues) act = act || (c.cue->category == CueCategory::kEvent && c.first <= k && k < c.last);
      if (!act) continue;
      *head = CueHit{k, k + 1, nullptr};
      *active = true;
      return std::string("violations");
    }
    return std::nullopt;
  }
  // "killed in two attacks", "wounded during three raids": acts counted
  // after a preposition are where other figures came from, not a count.
  const bool circumstance = q.first > 0 && In(words.circumstance_word, s.toks[q.first - 1].norm);
  for (size_t k = q.last; !circumstance && k < n && k <= q.last + kActModifierTokens + 1; ++k) {
    if (s.toks[k].Has(kPunct) || boundary(k)) break;
    bool number = false;
    for (const Quantity& o : s.qty) number = number || (o.first <= k && k < o.last);
    if (number) break;
    if (In(words.counted_act, s.toks[k].norm)) {
      *head = CueHit{k, k + 1, nullptr};
      *active = false;
      return std::string("violations");
    }
  }
  size_t k = q.first;
  for (int fill = 0; k > 0 && fill < 2 && In(words.count_filler, s.toks[k - 1].norm); ++fill) --k;
  if (k == 0) return std::nullopt;
  const std::string& link = s.toks[k - 1].norm;
  bool saw_verb = In(words.count_verb, link);
  if (!saw_verb && link != "to" && link != "at") return std::nullopt;
  size_t lo = k - 1 > kCountNounTokens ? k - 1 - kCountNounTokens : 0;
  for (size_t j = k - 1; j-- > lo;) {
    if (boundary(j)) break;
    const std::string& w = s.toks[j].norm;
    if (In(words.count_verb, w)) {
      saw_verb = true;
      continue;
    }
    if (In(words.count_noun, w)) {
      *head = CueHit{j, j + 1, nullptr};
      *active = false;
      if (j + 2 < k - 1 && s.toks[j + 1].norm == "of") {
        for (size_t m = j + 2; m < k - 1 && m <= j + 3; ++m) {
          if (auto kind = kind_at(m)) return kind;
        }
      }
      if (!kind_before.empty()) return kind_before;
      for (size_t m = q.last; m < n && m <= q.last + kCountedAfterTokens; ++m) {
        if (s.toks[m].norm == ";" || s.toks[m].norm == ".") break;
        if (In(words.counted_act, s.toks[m].norm)) return std::string("violations");
      }
      return std::nullopt;
    }
    if (!saw_verb) continue;
    if (auto kind = kind_at(j)) {
      *head = CueHit{j, j + 1, nullptr};
      *active = false;
      return kind;
    }
  }
  return std::nullopt;
}

// The place a figure is for: the first place after the figure and its word,
// within kClaimAreaTokens, with "in" / "at" / "near" before it and no clause
// boundary between ("displaced 5,000 people in X", "12 violations in X"),
// named as the report writes it.
std::optional<LocationRef> ArticleReading::AreaOf(const Sent& s, const Quantity& q, const CueHit& cue) const {
  size_t from = std::max(q.last, cue.last);
  for (const Mention& m : s.ments) {
    if (!m.place || m.first < from || m.first == 0 || m.first > from + kClaimAreaTokens) continue;
    bool crossed = false;
    for (size_t k = from; k < m.first; ++k) {
      const std::string& w = s.toks[k].norm;
      crossed = crossed || w == "," || w == ";" || w == ":" || w == "." || In(words.clause_break, w);
    }
    if (crossed) return std::nullopt;
    const std::string& before = s.toks[m.first - 1].norm;
    if (before != "in" && before != "at" && before != "near") continue;
    LocationRef r;
    r.name = TokText(s, m.first, m.last);
    r.country = m.place->country;
    return r;
  }
  return std::nullopt;
}

// Who the figure is about and who did it: after an active cue the object and
// the actor before the verb; after a passive one the mention between and "by X".
void ArticleReading::SubjectAndAgent(const Sent& s, const Quantity& q, const CueHit& c, bool active,
                                     const std::optional<ActorRef>& speaker, std::optional<ActorRef>* subject_out,
                                     std::optional<ActorRef>* by_out) const {
  const CueHit* cue = &c;
  std::optional<ActorRef>& subject = *subject_out;
  std::optional<ActorRef>& by = *by_out;
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
    // "wounded in Israeli attacks": the qualifier of the act that did it is
    // its agent, not who was hurt.
    const Mention* act_agent = nullptr;
    for (const Mention& m : s.ments) {
      if (m.first != cue->last + 1 || s.toks[cue->last].norm != "in" || m.last >= s.toks.size()) continue;
      bool act_after = In(words.counted_act, s.toks[m.last].norm);
      for (const CueHit& e : s.cues) act_after = act_after || (e.cue->category == CueCategory::kEvent && e.first == m.last);
      if (act_after && (m.type == Mention::kDemonym || m.type == Mention::kCountry || m.actor_like())) act_agent = &m;
    }
    if (act_agent) by = RefOf(*act_agent);
    if (!subject && cue->first <= q.last + 1) {
      for (const Mention& m : s.ments) {
        if (m.first >= cue->last && m.first <= cue->last + 1) {
          if (&m != act_agent) subject = RefOf(m);
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
}

void ArticleReading::SubjectCountry(const Sent& s, const Quantity& q, const CueHit& c, bool active,
                                    const std::optional<ActorRef>& by, std::optional<ActorRef>* subject_out) const {
  const CueHit* cue = &c;
  std::optional<ActorRef>& subject = *subject_out;
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
    // The nearest demonym or country named before the figure, else the report's country;
    // not the agent's ("Eritrean troops killed 111 civilians": the victims are not Eritrean).
    const Mention* best = nullptr;
    for (const Mention& m : s.ments) {
      if ((m.type == Mention::kDemonym || m.type == Mention::kCountry) && !m.backer && m.country >= 0 &&
          (s.speaker < 0 || &m != &s.ments[static_cast<size_t>(s.speaker)]) &&
          !(by && !by->country.empty() && Iso3(lex, m.country) == by->country)) {
        if (m.first < q.first || !best) best = &m;
      }
    }
    ActorRef r = subject ? *subject : ActorRef{TokText(s, q.number_first, q.last), "", "unknown"};
    if (best) r.country = Iso3(lex, best->country);
    else r.country = Iso3(lex, main_country);
    subject = r;
  }
}

}  // namespace truce::extract
