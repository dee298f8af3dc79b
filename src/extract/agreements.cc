// Agreements: the deal the article reports (type, parties, dates, area,
// provisions) and past deals it names with their parties.
#include "reading.h"
#include "tuning.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>

namespace truce::extract {

using std::chrono::days;

std::optional<ArticleReading::PartyRef> ArticleReading::PartyOf(const Mention& m) const {
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
  if (m.doc_actor) {
    if (m.kind == "state" && m.country >= 0) p.id = Iso3(lex, m.country);
    else p.id = m.name;
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

void ArticleReading::AddParty(std::vector<PartyRef>* v, const PartyRef& p) {
  for (const PartyRef& q : *v) {
    if (q.id == p.id) return;
  }
  v->push_back(p);
}

bool ArticleReading::Historical(const Sent& s, const CueHit& noun) const {
  int pub_year = static_cast<int>(std::chrono::year_month_day(published).year());
  for (const Temporal& t : s.tms) {
    if (t.precision == DatePrecision::kYear && t.last <= noun.first && t.last + 3 >= noun.first) {
      if (static_cast<int>(std::chrono::year_month_day(t.day).year()) < pub_year) return true;
    }
  }
  for (size_t k = noun.first >= 3 ? noun.first - 3 : 0; k < noun.first; ++k) {
    const std::string& w = s.toks[k].norm;
    if (In(words.past_marker, w)) return true;
  }
  return false;
}

// The steps: for each sentence that names a current deal, its parties, entry
// into force and area (past deals with their parties are kept aside); then the
// provisions around those sentences; then the one agreement they describe.
void ArticleReading::Agreements() {
  for (const Sent& s : sents) {
    for (const Mention& m : s.ments) {
      if (!m.broker) continue;
      Mention plain = m;
      plain.broker = plain.backer = plain.modifier = false;
      plain.place_context = false;
      if (auto pr = PartyOf(plain); pr && !IsBroker(pr->id)) broker_ids.push_back(pr->id);
    }
  }
  AgreementNotes n;
  n.main_sent.assign(sents.size(), 0);
  for (size_t si = 0; si < sents.size(); ++si) {
    Sent& s = sents[si];
    AddHaltDeals(s);
    std::vector<const CueHit*> nouns = DealNouns(s, &n);
    if (nouns.empty()) continue;
    n.main_sent[si] = 1;
    if (n.first_sent == kNone) n.first_sent = si;
    for (const CueHit* c : nouns) {
      if (auto pr = UnilateralDeclarer(s, *c)) AddUnilateralDeal(s, si, *c, *pr);
    }
    PartiesOfAgreeVerbs(s);
    PartiesBetween(s, nouns);
    EntryIntoForce(s, si, nouns, &n.effects);
    if (n.ends_on.empty()) n.ends_on = EndOf(s, nouns);
    if (!n.area) n.area = AreaOf(s, nouns);
  }
  // "The truce was signed on Saturday. It came into force at 9 pm on Monday
  // and runs until May 29": a sentence that opens with "it" right after one
  // about the deal goes on about the deal.
  for (size_t si = 1; si < sents.size(); ++si) {
    const Sent& s = sents[si];
    if (n.main_sent[si] || !n.main_sent[si - 1] || s.toks.empty() || s.toks[0].norm != "it") continue;
    const CueHit it{0, 1, nullptr};
    const std::vector<const CueHit*> subject{&it};
    EntryIntoForce(s, si, subject, &n.effects);
    if (n.ends_on.empty()) n.ends_on = EndOf(s, subject);
  }
  // "X's truce took effect on Monday. Y answered with a truce of its own.
  // Both are due to expire on May 29": a sentence that opens with a plural
  // pronoun and a verb (`plural_subject`, then a `be_verb` or `modal_verb`)
  // right after one about deals goes on about every deal named in the two
  // sentences before it, in its paragraph.
  for (size_t si = 1; si < sents.size(); ++si) {
    const Sent& s = sents[si];
    if (n.main_sent[si] || !n.main_sent[si - 1] || s.toks.size() < 2 || ParagraphBreakBefore(si)) continue;
    if (!In(words.plural_subject, s.toks[0].norm)) continue;
    if (!In(words.be_verb, s.toks[1].norm) && !In(words.modal_verb, s.toks[1].norm)) continue;
    const CueHit they{0, 1, nullptr};
    const std::vector<const CueHit*> subject{&they};
    const std::string end = EndOf(s, subject);
    std::vector<EffectMention> effects;
    EntryIntoForce(s, si, subject, &effects);
    const bool two_back = si >= 2 && !ParagraphBreakBefore(si - 1);
    for (UnilateralDeal& u : unilateral_deals) {
      bool named = false;
      for (size_t k : u.sents) named = named || k == si - 1 || (two_back && k == si - 2);
      if (!named) continue;
      if (u.deal.ends_on.empty()) u.deal.ends_on = end;
      if (u.deal.effective_from.empty() && !effects.empty()) SetEntryIntoForce(effects, agreed_day, &u.deal);
    }
    for (const EffectMention& e : effects) n.effects.push_back(e);
    if (n.ends_on.empty()) n.ends_on = end;
  }
  // Provisions: in sentences about the deal, and in the next sentence when it
  // goes on with a pronoun ("It creates a security corridor").
  for (size_t si = 0; si < sents.size(); ++si) {
    const Sent& s = sents[si];
    bool about = n.main_sent[si] || (si > 0 && n.main_sent[si - 1] && s.starts_with_pronoun);
    if (!about) continue;
    for (ProvisionOut& pv : ProvisionsIn(s)) n.provisions.emplace_back(si, std::move(pv));
  }
  // A broker named as a party somewhere ("Russia and Turkey agreed", when the
  // report also says "Russian-brokered") is the broker.
  main_parties.erase(std::remove_if(main_parties.begin(), main_parties.end(),
                                    [&](const PartyRef& p) { return IsBroker(p.id); }),
                     main_parties.end());
  if (n.first_sent != kNone && main_parties.size() < 2) DocumentDyad();
  if (n.first_sent != kNone && !main_parties.empty()) AssembleMainAgreement(&n);
  DeclaredHalts();
  // Deals one side declared alone. When every party the report names for its
  // deal (none, or only those sides) declared one of its own, the two-sided
  // main deal is only the report's belligerents guessed: it is not emitted.
  if (!unilateral_deals.empty()) {
    bool other_named = false;
    for (const PartyRef& p : main_parties) {
      if (p.belligerent) continue;
      bool declarer = false;
      for (const UnilateralDeal& u : unilateral_deals) declarer = declarer || u.party.id == p.id;
      other_named = other_named || !declarer;
    }
    if (have_main && !other_named && !x.agreements.empty()) {
      x.agreements.pop_back();
      main_withheld = true;
    }
    for (UnilateralDeal& u : unilateral_deals) {
      bool dup = false;
      for (const auto& o : x.agreements) dup = dup || o.parties == u.deal.parties;
      if (!dup) x.agreements.push_back(u.deal);
    }
  }
  // Recent past deals of the same sides: "an earlier truce, which X said it
  // had brokered from 9 a.m. on Tuesday, fell apart".
  for (const auto& [si, noun] : n.recent) {
    std::optional<AgreementOut> r = RecentDeal(sents[si], noun);
    if (!r) continue;
    bool dup = false;
    for (const auto& o : x.agreements) dup = dup || (o.parties == r->parties && o.agreed_on == r->agreed_on);
    if (!dup) x.agreements.push_back(std::move(*r));
  }
  for (auto& h : n.historical) {
    bool dup = false;
    for (const auto& o : x.agreements) dup = dup || (o.parties == h.parties && o.agreed_on == h.agreed_on);
    if (!dup) x.agreements.push_back(std::move(h));
  }
}

// The deal nouns of a sentence that are not about a past deal (each a vote for
// the agreement's type); a past deal with parties named right there goes to
// n->historical.
std::vector<const CueHit*> ArticleReading::DealNouns(const Sent& s, AgreementNotes* n) const {
  std::vector<const CueHit*> nouns;
  for (const CueHit& c : s.cues) {
    if (c.cue->category != CueCategory::kAgreement) continue;
    bool hist = Historical(s, c);
    if (!hist) {
      nouns.push_back(&c);
      n->type_votes[c.cue->value] += 1;
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
        h.source = SourceOf(s, "agreements/past-deal");
        n->historical.push_back(std::move(h));
      } else {
        n->recent.emplace_back(s.index, c);
      }
    }
  }
  return nouns;
}

// A recent past deal: a deal noun marked as past ("an earlier truce", "the
// previous ceasefire": Historical, by a past_marker, not a year) whose
// sentence gives a day at most kRecentDealDays before publication — a deal
// of its own, made that day, between the main deal's two sides when its
// sentence names no party of its own (a broker's "it had brokered" names
// none); its entry into force from a time or day after "from" ("from 9 a.m.
// on Tuesday"). Nullopt for an older deal, or with no main deal to take
// sides from.
std::optional<AgreementOut> ArticleReading::RecentDeal(const Sent& s, const CueHit& noun) const {
  if (!have_main || main_parties.size() < 2) return std::nullopt;
  std::optional<time::Days> day;
  std::optional<int> from_minutes;
  std::optional<time::Days> from_day;
  for (const Temporal& t : s.tms) {
    if (t.in_parens || t.ordinal_day_of || t.first < noun.first) continue;
    const bool from = t.first > 0 && s.toks[t.first - 1].norm == "from";
    if (t.is_time) {
      if (from && !from_minutes) from_minutes = t.minutes;
      continue;
    }
    if (t.precision != DatePrecision::kDay || t.day > published || published - t.day > days(kRecentDealDays)) continue;
    if (!day) day = t.day;
    if ((from || from_minutes) && !from_day) from_day = t.day;
  }
  if (!day) return std::nullopt;
  AgreementOut a;
  a.type = noun.cue->value;
  std::vector<PartyRef> named;
  for (const Mention& m : s.ments) {
    if (!m.actor_like() || m.broker) continue;
    if (m.last > noun.first + kRecentDealPartyTokens || m.first + kRecentDealPartyTokens < noun.first) continue;
    if (auto pr = PartyOf(m); pr && !IsBroker(pr->id)) AddParty(&named, *pr);
  }
  const std::vector<PartyRef>& sides = named.size() >= 2 ? named : main_parties;
  for (const PartyRef& p : sides) {
    a.parties.push_back(p.id);
    a.party_actors.push_back(p.actor);
  }
  a.agreed_on = time::FormatDate(*day);
  if (from_minutes) a.effective_from = FormatDateTime(from_day ? *from_day : *day, *from_minutes);
  else if (from_day) a.effective_from = time::FormatDate(*from_day);
  a.source = SourceOf(s, "agreements/recent-past-deal");
  return a;
}

// A deal told without a deal noun: an agree verb ("agreed", "reached" is
// not one: it wants an object), "to" after it (the words between, if any, a
// day: "agreed on Wednesday to halt"), a halt_verb and a war_noun at most
// kHaltObjectTokens after it ("X and Y agreed to halt the heaviest fighting",
// "agreed to stop hostilities"). The halt verb becomes a ceasefire noun of
// the sentence (a cue of its own, in text order), so the sentence names the
// deal for every rule that reads one.
void ArticleReading::AddHaltDeals(Sent& s) const {
  static const CueEntry kHaltDeal{CueCategory::kAgreement, "ceasefire", ""};
  std::vector<CueHit> found;
  for (const CueHit& v : s.cues) {
    if (v.cue->category != CueCategory::kAgree || v.cue->value != "agree") continue;
    size_t to = v.last;
    auto of_day = [&](size_t k) {
      return s.in_temporal[k] || (k + 1 < s.toks.size() && s.toks[k].norm == "on" && s.in_temporal[k + 1]);
    };
    while (to < s.toks.size() && s.toks[to].norm != "to" && of_day(to)) ++to;
    if (to + 1 >= s.toks.size() || s.toks[to].norm != "to" || !In(words.halt_verb, s.toks[to + 1].norm)) continue;
    bool war = false;
    for (size_t k = to + 2; k < s.toks.size() && k <= to + 1 + kHaltObjectTokens && !war; ++k) {
      if (!s.toks[k].Has(kWord)) break;
      war = In(words.war_noun, s.toks[k].norm);
    }
    if (war) found.push_back({to + 1, to + 2, &kHaltDeal});
  }
  for (const CueHit& h : found) {
    auto at = std::upper_bound(s.cues.begin(), s.cues.end(), h,
                               [](const CueHit& a, const CueHit& b) { return a.first < b.first; });
    s.cues.insert(at, h);
  }
}

// A deal one side declared alone, and that side: the deal noun's possessor
// with a unilateral_word between them ("X's unilateral Easter truce", "X's
// own truce"); "a truce of its own" (possessive_pronoun and "own" after "of"),
// or a unilateral_word before the noun with no possessor ("X declared a
// unilateral truce"): the first actor of the noun's clause. Nullopt when the
// deal is not marked so, when a pronoun owns it ("their own truce": the
// side is named elsewhere), or its side is no party (a generic "the rebels").
std::optional<ArticleReading::PartyRef> ArticleReading::UnilateralDeclarer(const Sent& s, const CueHit& noun) const {
  bool marked = false;
  const Mention* possessor = nullptr;
  const size_t lo = noun.first >= kUnilateralTokens + 1 ? noun.first - kUnilateralTokens - 1 : 0;
  for (size_t k = noun.first; k > lo;) {
    --k;
    const Token& t = s.toks[k];
    if (In(words.unilateral_word, t.norm)) {
      marked = true;
      continue;
    }
    if (In(words.possessive_pronoun, t.norm)) return std::nullopt;  // "their own truce": whose, not said here
    if (t.norm == "'s" || t.norm == "'") {
      for (const Mention& m : s.ments) {
        if (m.last == k && m.type != Mention::kPlace && !m.place_context) possessor = &m;
      }
      break;
    }
    if (!t.Has(kWord)) break;  // punctuation ends the noun's modifiers
    if (t.norm == "the" || t.norm == "a" || t.norm == "an") break;
  }
  // "a truce of its own".
  if (noun.last + 2 < s.toks.size() && s.toks[noun.last].norm == "of" &&
      In(words.possessive_pronoun, s.toks[noun.last + 1].norm) && s.toks[noun.last + 2].norm == "own") {
    marked = true;
    possessor = nullptr;
  }
  if (!marked) return std::nullopt;
  if (possessor == nullptr) {
    const size_t from = ClauseStart(s, noun.first);
    for (const Mention& m : s.ments) {
      if (m.first >= from && m.last <= noun.first && m.actor_like() && !m.broker) {
        possessor = &m;
        break;
      }
    }
  }
  if (possessor == nullptr) return std::nullopt;
  Mention plain = *possessor;
  plain.modifier = false;
  auto pr = PartyOf(plain);
  if (!pr || IsBroker(pr->id)) return std::nullopt;
  return pr;
}

// One agreement per side that declared a deal alone: its type from the noun,
// its entry into force and end from the noun's sentence (an effect cue, or a
// day after "from" right after the noun: "a truce of its own from March 26").
void ArticleReading::AddUnilateralDeal(const Sent& s, size_t si, const CueHit& noun, const PartyRef& party) {
  UnilateralDeal* u = nullptr;
  for (UnilateralDeal& o : unilateral_deals) {
    if (o.party.id == party.id) u = &o;
  }
  if (u == nullptr) {
    unilateral_deals.push_back({party, {}});
    u = &unilateral_deals.back();
    u->deal.type = noun.cue->value;
    u->deal.parties.push_back(party.id);
    u->deal.party_actors.push_back(party.actor);
    u->deal.source = SourceOf(s, "agreements/unilateral");
  }
  u->sents.push_back(si);
  AgreementOut& a = u->deal;
  if (a.effective_from.empty()) {
    std::vector<EffectMention> effects;
    const std::vector<const CueHit*> one{&noun};
    EntryIntoForce(s, si, one, &effects);
    for (const Temporal& t : s.tms) {
      if (t.is_time || t.in_parens || t.precision != DatePrecision::kDay || t.ordinal_day_of) continue;
      if (t.first == 0 || s.toks[t.first - 1].norm != "from" || t.first < noun.last ||
          t.first > noun.last + kUnilateralTokens + 1) {
        continue;
      }
      EffectMention em;
      em.sent = si;
      em.day = t.day;
      effects.push_back(em);
    }
    SetEntryIntoForce(effects, agreed_day, &a);
  }
  if (a.ends_on.empty()) a.ends_on = EndOf(s, std::vector<const CueHit*>{&noun});
}

// A side's own deal told as the halt it would make: a `modal_verb`, a
// `halt_verb` and a `war_noun` at most kHaltObjectTokens after it ("X said
// its forces would halt all hostilities from 6 p.m. that day until
// midnight"), the nearest party before the modal in its clause a side that
// declared a deal alone (unilateral_deals). The deal was declared on the day
// the sentence names before the halt verb (else the day carried from its
// paragraph: CarriedDay), and takes effect at the time and day named after
// "from" and before "until" (the declaring day when only a time is named).
// Only what the deal lacks is filled; the first such sentence wins.
void ArticleReading::DeclaredHalts() {
  if (unilateral_deals.empty()) return;
  for (size_t si = 0; si < sents.size(); ++si) {
    const Sent& s = sents[si];
    if (s.title) continue;
    const size_t n = s.toks.size();
    for (size_t k = 1; k + 1 < n; ++k) {
      if (!In(words.halt_verb, s.toks[k].norm) || !In(words.modal_verb, s.toks[k - 1].norm)) continue;
      size_t war = kNone;
      for (size_t j = k + 1; j < n && j <= k + kHaltObjectTokens && war == kNone; ++j) {
        if (!s.toks[j].Has(kWord)) break;
        if (In(words.war_noun, s.toks[j].norm)) war = j;
      }
      if (war == kNone) continue;
      if (CueNear(s, CueCategory::kNegation, k >= 3 ? k - 3 : 0, k)) continue;
      const size_t from = ClauseStart(s, k - 1);
      std::optional<PartyRef> party;
      for (const Mention& m : s.ments) {
        if (m.first < from || m.last > k - 1 || !m.actor_like() || m.broker) continue;
        Mention plain = m;
        plain.modifier = false;
        if (auto pr = PartyOf(plain)) party = pr;
      }
      if (!party) continue;
      UnilateralDeal* u = nullptr;
      for (UnilateralDeal& o : unilateral_deals) {
        if (o.party.id == party->id) u = &o;
      }
      if (u == nullptr) continue;
      // The halt's span: "from" after the war noun, up to "until" / "till".
      size_t from_tok = kNone, until_tok = n;
      for (size_t j = war + 1; j < n && j <= war + kEffectDateTokens; ++j) {
        if (s.toks[j].norm == "from" && from_tok == kNone) from_tok = j;
        if ((s.toks[j].norm == "until" || s.toks[j].norm == "till") && from_tok != kNone) {
          until_tok = j;
          break;
        }
      }
      std::optional<time::Days> declared;
      EffectMention em;
      em.sent = si;
      for (const Temporal& t : s.tms) {
        if (t.in_parens || t.ordinal_day_of) continue;
        const bool day = !t.is_time && t.precision == DatePrecision::kDay && t.day <= published + days(1);
        if (t.last <= k && day && !t.after_since) declared = t.day;
        if (from_tok == kNone || t.first <= from_tok || t.first >= until_tok) continue;
        if (t.is_time && !em.minutes) {
          em.minutes = t.minutes;
          em.midnight = t.midnight;
        } else if (day && !em.day) {
          em.day = t.day;
        }
      }
      if (!declared) {
        if (const Temporal* c = CarriedDay(si)) declared = c->day;
      }
      AgreementOut& a = u->deal;
      if (a.agreed_on.empty() && declared) a.agreed_on = time::FormatDate(*declared);
      if (a.effective_from.empty() && (em.minutes || em.day)) {
        if (!em.day && !em.midnight) em.day = declared;
        SetEntryIntoForce(std::vector<EffectMention>{em}, declared, &a);
      }
    }
  }
}

// Parties: subjects of "agree"/"reach"/"sign"/"commit" verbs.
// They join main_parties; the first such verb with parties dates the deal.
void ArticleReading::PartiesOfAgreeVerbs(const Sent& s) {
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
    // A passive's agents: "the agreement signed in September 2018 by X's
    // government and Y", "was signed last Saturday in Z by delegates of X
    // and of Y" — they are the parties, not whoever is named before the verb.
    if (v.cue->value == "sign" || v.cue->value == "agree" || v.cue->value == "reach") {
      std::vector<PartyRef> agents;
      for (size_t k = v.last; k < s.toks.size() && k < v.last + kPassiveAgentTokens; ++k) {
        const std::string& w = s.toks[k].norm;
        if (w == ";" || w == "." || w == ":") break;
        if (w != "by") continue;
        size_t end = k + 1;
        while (end < s.toks.size() && end < k + 1 + kPassiveAgentTokens && s.toks[end].norm != ";" &&
               s.toks[end].norm != "." && s.toks[end].norm != ":" && !(s.toks[end].norm == "," && end > k + 1 &&
               end + 1 < s.toks.size() && (s.toks[end + 1].norm == "who" || s.toks[end + 1].norm == "which"))) {
          ++end;
        }
        for (const Mention& m : s.ments) {
          if (m.first > k && m.last <= end && m.actor_like() && !m.broker) {
            if (auto pr = PartyOf(m)) AddParty(&agents, *pr);
          }
        }
        break;
      }
      if (agents.size() >= 2) found = agents;
    }
    for (auto& pr : found) AddParty(&main_parties, pr);
    // The date the deal was made.
    // A deal noun just before the verb is its subject ("the truce was signed
    // on Saturday"): that dates the deal even when no party is named there.
    bool deal_subject = false;
    for (const CueHit& c : s.cues) {
      deal_subject = deal_subject || (c.cue->category == CueCategory::kAgreement && c.last <= v.first &&
                                      c.last + kDealSubjectTokens >= v.first);
    }
    if (!agreed_day && (v.cue->value == "agree" || v.cue->value == "reach" || v.cue->value == "sign" ||
                        v.cue->value == "announce") && (!found.empty() || deal_subject)) {
      size_t effect_at = kNone;
      for (const CueHit& c : s.cues) {
        if (c.cue->category == CueCategory::kEffect && effect_at == kNone) effect_at = c.first;
      }
      for (const Temporal& t : s.tms) {
        if (t.is_time || t.in_parens || t.precision != DatePrecision::kDay || t.ordinal_day_of) continue;
        if (effect_at != kNone && t.first > effect_at && t.first > v.first) continue;
        agreed_day = t.day;
        agreed_sent = s.index;
        agreed_verb = v.first;
        break;
      }
    }
  }
}

// "a ceasefire deal between Russia and Turkey".
void ArticleReading::PartiesBetween(const Sent& s, const std::vector<const CueHit*>& nouns) {
  for (const CueHit* n : nouns) {
    PartiesBeforeNoun(s, *n);
    // "Israel's truce with Hamas": the one it is with.
    for (size_t k = n->last; k < n->last + 2 && k + 1 < s.toks.size(); ++k) {
      if (s.toks[k].norm != "with") continue;
      for (const Mention& m : s.ments) {
        if ((m.first == k + 1 || (m.first == k + 2 && s.toks[k + 1].norm == "the")) && m.actor_like()) {
          if (auto pr = PartyOf(m)) AddParty(&main_parties, *pr);
        }
      }
    }
    for (size_t k = n->last; k < n->last + 3 && k < s.toks.size(); ++k) {
      if (s.toks[k].norm != "between") continue;
      for (const Mention& m : s.ments) {
        if (m.first > k && m.first <= k + 6 && m.actor_like()) {
          if (auto pr = PartyOf(m)) AddParty(&main_parties, *pr);
        }
      }
    }
  }
  // "The truce was agreed at talks in X between Y and Z": the sides of the
  // talks that made the deal (a `talks_word` of the deal's sentence, then
  // "between" within kTalksBetweenTokens, no clause boundary between).
  for (size_t t = 0; t < s.toks.size(); ++t) {
    if (!In(words.talks_word, s.toks[t].norm)) continue;
    for (size_t k = t + 1; k < s.toks.size() && k <= t + kTalksBetweenTokens; ++k) {
      const std::string& w = s.toks[k].norm;
      if (w == ";" || w == ":" || w == "," || In(words.clause_break, w)) break;
      if (w != "between") continue;
      for (const Mention& m : s.ments) {
        if (m.first > k && m.first <= k + 6 && m.actor_like() && !m.broker) {
          // "the government": a generic state side is the report's main country's.
          Mention side = m;
          if (side.type == Mention::kGeneric && side.kind == "state" && side.country < 0) side.country = main_country;
          if (auto pr = PartyOf(side)) AddParty(&main_parties, *pr);
        }
      }
      break;
    }
  }
}

// A current deal whose parties no sentence names with a verb, "between" or
// as its modifier ("the truce is holding"), or names only one of: the
// report's two belligerents (or the one besides the named party),
// the two parties it names most often as actors (each at least twice, in
// sentences other than the headline; mediators, media, international bodies
// and civilians are never parties).
void ArticleReading::DocumentDyad() {
  std::map<std::string, std::pair<int, PartyRef>> count;
  for (const Sent& s : sents) {
    if (s.title) continue;
    for (const Mention& m : s.ments) {
      if (!m.actor_like()) continue;
      auto pr = PartyOf(m);
      if (!pr || IsBroker(pr->id)) continue;
      auto& slot = count[pr->id];
      if (slot.first++ == 0) {
        slot.second = *pr;
        slot.second.belligerent = true;
      }
    }
  }
  std::vector<std::pair<int, PartyRef>> ranked;
  for (auto& [id, c] : count) ranked.push_back(c);
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  if (main_parties.size() == 1) {
    // One party named ("the truce with Hamas"): the other is the belligerent
    // named most often besides it.
    for (const auto& [n, pr] : ranked) {
      if (pr.id == main_parties[0].id) continue;
      if (n >= kDyadMinMentions) AddParty(&main_parties, pr);
      return;
    }
    return;
  }
  if (ranked.size() < 2 || ranked[1].first < kDyadMinMentions) return;
  // A clear pair: the third is named less often than the second.
  if (ranked.size() > 2 && ranked[2].first == ranked[1].first) return;
  AddParty(&main_parties, ranked[0].second);
  AddParty(&main_parties, ranked[1].second);
}

// Parties named as the deal's modifier: "the Israel–Hezbollah ceasefire",
// "an Armenian-Azerbaijani truce" — two or more names joined by a dash,
// slash or "and" right before the noun (a word or two such as "humanitarian"
// may stand between). Demonyms count here: they name the sides.
void ArticleReading::PartiesBeforeNoun(const Sent& s, const CueHit& noun) {
  auto joiner = [&](size_t k) {
    const std::string& w = s.toks[k].norm;
    return w == "-" || w == "\u2013" || w == "\u2014" || w == "/" || w == "and";
  };
  std::vector<const Mention*> chain;
  size_t end = noun.first;  // the next mention must end here, or a word or two before it
  for (int skipped = 0; end > 0 && skipped <= 2;) {
    const Mention* m = nullptr;
    for (const Mention& c : s.ments) {
      if (c.last == end && c.type != Mention::kPlace) m = &c;
    }
    if (!m) {
      if (!chain.empty() || !s.toks[end - 1].Has(kWord) || s.toks[end - 1].Has(kCap)) break;
      ++skipped;
      --end;
      continue;
    }
    chain.push_back(m);
    if (s.toks[m->first].Has(kHyphenBefore)) end = m->first;  // "Israel-Hezbollah": one token apart
    else if (m->first > 0 && joiner(m->first - 1)) end = m->first - 1;
    else break;
  }
  if (chain.size() < 2) return;
  std::vector<PartyRef> found;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    Mention m = **it;
    m.modifier = false;
    m.place_context = false;
    if (auto pr = PartyOf(m)) AddParty(&found, *pr);
  }
  if (found.size() < 2) return;
  for (auto& pr : found) AddParty(&main_parties, pr);
}

// Entry into force: an effect cue whose subject is a deal noun, with the day
// and time that follow it.
void ArticleReading::EntryIntoForce(const Sent& s, size_t si, const std::vector<const CueHit*>& nouns,
                                    std::vector<EffectMention>* effects) const {
  for (const CueHit& e : s.cues) {
    if (e.cue->category != CueCategory::kEffect) continue;
    bool subject = false;
    for (const CueHit* n : nouns) {
      if (n->last <= e.first && (n->last + 8 >= e.first || HeadsClauseTo(s, *n, e.first))) {
        bool blocked = false;
        for (const CueHit& c : s.cues) {
          if (c.cue->category == CueCategory::kProvision && c.first >= n->last && c.first < e.first) blocked = true;
        }
        for (size_t k = n->last; k < e.first; ++k) {
          if (In(words.effect_blocker, s.toks[k].norm)) blocked = true;
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
      if (t.first < e.last || t.first > e.last + kEffectDateTokens || t.in_parens) continue;
      if (t.is_time && !em.minutes) {
        em.minutes = t.minutes;
        em.midnight = t.midnight;
      } else if (!t.is_time && !em.day && t.precision == DatePrecision::kDay && !t.ordinal_day_of) {
        em.day = t.day;
      }
    }
    if (em.day || em.minutes) effects->push_back(em);
  }
}

// A deal noun that opens its clause — the sentence's start or "that", then
// only lower-case modifiers and commas ("The two-week truce", "that the
// ceasefire") — is the subject of a verb later in that clause: no ";", ":",
// clause_break word or relative ("which", "who", "when", "that") before
// `verb`; asides between commas do not end it ("The truce, announced on
// Monday by X, took effect at midnight").
bool ArticleReading::HeadsClauseTo(const Sent& s, const CueHit& noun, size_t verb) const {
  size_t k = noun.first;
  while (k > 0) {
    const Token& t = s.toks[k - 1];
    if (t.norm == "that") break;
    if (t.norm != "," && (!t.Has(kWord) || (t.Has(kCap) && k - 1 != 0))) return false;
    --k;
  }
  for (size_t j = noun.last; j < verb && j < s.toks.size(); ++j) {
    const std::string& w = s.toks[j].norm;
    if (w == ";" || w == ":" || w == "which" || w == "who" || w == "when" || w == "that" || In(words.clause_break, w)) {
      return false;
    }
  }
  return true;
}

// When the deal ends: "until" or an expiry word (words.tsv expiry_word:
// "is due to expire on", "runs until the evening of May 29") after the deal
// noun, with nothing between that makes something else the subject
// (effect_blocker: "talks until ..."), and a day within kEndDateTokens after
// it ("until 11:59 pm on August 3" keeps the time). "" when the sentence
// gives none.
std::string ArticleReading::EndOf(const Sent& s, const std::vector<const CueHit*>& nouns) const {
  if (nouns.empty()) return "";
  const size_t from = nouns.front()->last;
  for (size_t k = from; k < s.toks.size(); ++k) {
    const std::string& w = s.toks[k].norm;
    if (In(words.effect_blocker, w)) return "";
    if (w != "until" && w != "till" && !In(words.expiry_word, w)) continue;
    if (CueNear(s, CueCategory::kNegation, k >= 3 ? k - 3 : 0, k)) continue;
    std::optional<time::Days> day;
    std::optional<int> minutes;
    for (const Temporal& t : s.tms) {
      if (t.first <= k || t.first > k + kEndDateTokens || t.in_parens) continue;
      if (t.is_time && !minutes && !day) minutes = t.minutes;
      else if (!t.is_time && !day && t.precision == DatePrecision::kDay && !t.ordinal_day_of) day = t.day;
    }
    if (!day) continue;
    return minutes ? FormatDateTime(*day, *minutes) : time::FormatDate(*day);
  }
  return "";
}

// Area: "ceasefire in Syria's Idlib province".
std::optional<LocationRef> ArticleReading::AreaOf(const Sent& s, const std::vector<const CueHit*>& nouns) const {
  std::optional<LocationRef> area;
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
  return area;
}

// The provisions a sentence about the deal states: its provision cues (the
// longest of overlapping ones) and "joint ... patrols".
std::vector<ProvisionOut> ArticleReading::ProvisionsIn(const Sent& s) const {
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
  std::vector<ProvisionOut> out;
  for (const CueHit* c : pc) {
    if (auto pv = Provision(s, *c, past_deal_here)) out.push_back(std::move(*pv));
  }
  return out;
}

std::optional<ProvisionOut> ArticleReading::Provision(const Sent& s, const CueHit& c, bool past_deal_here) const {
  ProvisionOut pv;
  pv.type = c.cue->value;
  if (pv.type == "prisoner_exchange") {
    bool swap = false;
    for (const Token& t : s.toks) {
      for (const std::string& stem : words.exchange_stem) swap = swap || t.norm.rfind(stem, 0) == 0;
      swap = swap || In(words.exchange_word, t.norm);
    }
    if (!swap) return std::nullopt;
  }
  if (past_deal_here && (pv.type == "demilitarized_zone" || pv.type == "monitoring")) return std::nullopt;
  ProvisionDates(s, c, &pv);
  DutyDeadline(s, &pv);
  RouteAlong(s, c, &pv);
  ZoneSize(s, &pv);
  pv.source = SourceOf(s, "provisions/" + pv.type);
  return pv;
}

// Start dates and deadlines after the cue.
void ArticleReading::ProvisionDates(const Sent& s, const CueHit& c, ProvisionOut* pv) {
  for (const Temporal& t : s.tms) {
    if (t.is_time || t.in_parens || t.precision != DatePrecision::kDay || t.ordinal_day_of) continue;
    if (t.first >= c.last && t.first <= c.last + 8) {
      bool by = t.first > 0 && (s.toks[t.first - 1].norm == "by" || s.toks[t.first - 1].norm == "before");
      if (by) pv->deadline = FormatTemporalDate(t);
      else if (pv->starts_on.empty()) pv->starts_on = FormatTemporalDate(t);
      break;
    }
  }
}

// "within seven days" (for withdrawals and other duties, not zones): "+7d",
// resolved against the agreement's date in AssembleMainAgreement.
void ArticleReading::DutyDeadline(const Sent& s, ProvisionOut* pv) {
  bool duty = pv->type == "withdrawal" || pv->type == "prisoner_exchange" || pv->type == "aid_access" ||
              pv->type == "other";
  for (size_t k = 0; duty && k + 2 < s.toks.size(); ++k) {
    if (s.toks[k].norm != "within") continue;
    auto q = ParseQuantityAt(s.toks, k + 1);
    if (q && q->value && q->last < s.toks.size() && (s.toks[q->last].norm == "days" || s.toks[q->last].norm == "day")) {
      pv->deadline = "+" + std::to_string(static_cast<int>(*q->value)) + "d";
    }
  }
}

// "along the M4 highway": a route of data/extract/places.tsv, else a road
// number.
void ArticleReading::RouteAlong(const Sent& s, const CueHit& c, ProvisionOut* pv) const {
  for (size_t k = c.last; k < s.toks.size() && k < c.last + 10; ++k) {
    if (s.toks[k].norm != "along") continue;
    for (const Mention& m : s.ments) {
      if (m.first > k && m.first <= k + 6 && m.place && m.place->route) {
        pv->along = m.place->name;
        break;
      }
    }
    if (pv->along.empty()) {
      for (size_t j = k + 1; j < s.toks.size() && j <= k + 7; ++j) {
        const Token& t = s.toks[j];
        if (t.Has(kCap) && t.norm.size() <= 4 && t.norm.size() >= 2 && t.norm[0] >= 'a' && t.norm[0] <= 'z' &&
            t.norm[1] >= '0' && t.norm[1] <= '9') {
          pv->along = TokText(s, j, j + 1);
          break;
        }
      }
    }
    break;
  }
}

// Widths of security corridors and depths of demilitarised zones, in km.
void ArticleReading::ZoneSize(const Sent& s, ProvisionOut* pv) const {
  if (!(pv->type == "security_corridor" || pv->type == "demilitarized_zone")) return;
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
    if (u >= s.toks.size() || !In(words.km_unit, s.toks[u].norm)) continue;
    size_t after = u + 1;
    // Skip a parenthesised conversion: "(7-mile)".
    if (after < s.toks.size() && s.toks[after].norm == "(") {
      while (after < s.toks.size() && s.toks[after].norm != ")") ++after;
      ++after;
    }
    std::string w = after < s.toks.size() ? s.toks[after].norm : "";
    if (In(words.width_word, w)) width = lo;
    else if (In(words.depth_word, w)) depth = lo;
    else if (In(words.side_word, w)) {
      bool both = WordIn(s, after, after + 3, "either") || WordIn(s, after, after + 3, "each");
      side_sum += both ? 2 * lo : lo;
      sides += both ? 2 : 1;
    } else if (pv->type == "demilitarized_zone" && !depth) {
      depth = lo;
    } else if (width == 0) {
      width = lo;
    }
    k = u;
  }
  if (sides >= 2) width = side_sum;
  if (width > 0 && pv->type == "security_corridor") pv->width_km = width;
  if (depth && pv->type == "demilitarized_zone") pv->depth_km = depth;
}

// The main agreement from what the sentences gave; sets have_main and
// effective_day (read by Events).
void ArticleReading::AssembleMainAgreement(AgreementNotes* notes) {
  AgreementNotes& n = *notes;
  AgreementOut& a = main_agreement;
  have_main = true;
  a.type = n.type_votes.count("ceasefire") ? "ceasefire"
           : n.type_votes.count("peace_agreement") ? "peace_agreement"
           : n.type_votes.count("protocol") ? "protocol"
           : "other";
  for (auto& p : main_parties) {
    a.parties.push_back(p.id);
    a.party_actors.push_back(p.actor);
  }
  a.area = n.area;
  if (agreed_day) a.agreed_on = time::FormatDate(*agreed_day);
  if (const std::optional<time::Days> d = SetEntryIntoForce(n.effects, agreed_day, &a)) effective_day = d;
  a.ends_on = n.ends_on;
  // Provisions of the same type merge; "+Nd" deadlines resolve.
  for (auto& [si, pv] : n.provisions) {
    if (!pv.deadline.empty() && pv.deadline[0] == '+') {
      int within_days = std::atoi(pv.deadline.c_str() + 1);
      std::optional<time::Days> base = agreed_day ? agreed_day : effective_day;
      pv.deadline = base ? time::FormatDate(*base + days(within_days)) : "";
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
  // The rule: how the parties were found.
  size_t named = 0, belligerents = 0;
  for (const PartyRef& p : main_parties) ++(p.belligerent ? belligerents : named);
  const char* rule = named >= 2                        ? "agreements/parties-named"
                     : named == 1 && belligerents == 0 ? "agreements/one-party-named"
                     : named == 1                      ? "agreements/one-named-plus-belligerent"
                                                       : "agreements/belligerents";
  a.source = SourceOf(sents[n.first_sent], rule);
  x.agreements.push_back(a);
}

// Entry into force: the most precise mention; a time without a day ("at
// midnight") falls on the day after the agreement (made on `agreed`), or on
// the day given. Returns the day it takes effect; nullopt when none is told.
std::optional<time::Days> ArticleReading::SetEntryIntoForce(const std::vector<EffectMention>& effects,
                                                            std::optional<time::Days> agreed,
                                                            AgreementOut* agreement) const {
  AgreementOut& a = *agreement;
  const EffectMention* with_time = nullptr;
  const EffectMention* with_day = nullptr;
  for (const EffectMention& e : effects) {
    if (e.minutes && (!with_time || (e.day && !with_time->day))) with_time = &e;
    if (e.day && !with_day) with_day = &e;
  }
  if (with_time) {
    std::optional<time::Days> d = with_time->day;
    if (!d && with_time->midnight) {
      d = agreed ? *agreed + days(1) : (with_day ? *with_day->day : published + days(1));
      if (!agreed && with_day) d = *with_day->day + days(1);
    } else if (!d) {
      d = with_day ? with_day->day : (agreed ? agreed : std::optional<time::Days>(published));
    }
    a.effective_from = FormatDateTime(*d, *with_time->minutes);
    return d;
  }
  if (with_day) {
    a.effective_from = time::FormatDate(*with_day->day);
    return with_day->day;
  }
  return std::nullopt;
}

}  // namespace truce::extract
