// Accusations: who accuses whom of what, active ("X accused Y of") and passive
// ("Y was accused of ... by X"), "blamed ... on", both sides at once ("each
// side accused the other"), a denial ("X denied Y's charges": Y accused X) and
// a speaker saying someone broke the truce.
#include "reading.h"
#include "tuning.h"

#include <algorithm>

namespace truce::extract {

// The first token of the clause that holds token `tok`: after the last ";",
// ":" or clause-joining word ("while", "but", words.tsv clause_break) before it.
size_t ArticleReading::ClauseStart(const Sent& s, size_t tok) const {
  size_t start = 0;
  for (size_t k = 0; k < tok && k < s.toks.size(); ++k) {
    const std::string& w = s.toks[k].norm;
    if (w == ";" || w == ":" || In(words.clause_break, w)) start = k + 1;
  }
  return start;
}

// Who can accuse or be accused: an actor-like mention that is not a broker
// and not people counted as victims ("killed nine civilians" never speaks).
static bool CanAccuse(const Mention& m) {
  return m.actor_like() && !m.broker && m.kind != "civilians" && m.role != "people";
}

// The accuser of an active accusation verb: the nearest mention before it in
// its clause that can accuse.
const Mention* ArticleReading::SubjectBefore(const Sent& s, size_t verb) const {
  const size_t from = ClauseStart(s, verb);
  // "X described the raids as ..., and accused Y": a verb joined by ", and"
  // with no subject of its own shares the clause's first subject — the
  // mention that opens it ("the" before it at most).
  if (verb >= 2 && s.toks[verb - 1].norm == "and" && s.toks[verb - 2].norm == ",") {
    for (const Mention& m : s.ments) {
      if (m.first < from || m.first > from + 1 || m.last > verb || !CanAccuse(m)) continue;
      if (m.first == from || s.toks[from].norm == "the") return &m;
    }
  }
  const Mention* best = nullptr;
  for (const Mention& m : s.ments) {
    if (m.last <= verb && m.first >= from && CanAccuse(m)) best = &m;
  }
  return best;
}

// "Each side accused the other", "the two sides blamed each other": with the
// report's ceasefire between two parties, one accusation each way.
bool ArticleReading::ReciprocalAccusation(const Sent& s, const CueHit& c) {
  if (!have_main || main_parties.size() != 2) return false;
  const size_t from = c.first >= 3 ? c.first - 3 : 0;
  bool both = false;
  for (size_t k = from; k < c.first; ++k) both = both || In(words.reciprocal_subject, s.toks[k].norm);
  if (!both) return false;
  bool other = false;
  for (size_t k = c.last; k < c.last + 3 && k < s.toks.size(); ++k) {
    other = other || In(words.reciprocal_object, s.toks[k].norm);
  }
  if (!other) return false;
  size_t end = s.toks.size();
  if (end > 0 && s.toks[end - 1].norm == ".") --end;
  size_t of = kNone;
  for (size_t k = c.last; k < end && k < c.last + 5; ++k) {
    if (s.toks[k].norm == "of") { of = k; break; }
  }
  for (size_t k = 0; k < 2; ++k) {
    AccusationOut a;
    a.accuser = main_parties[k].actor;
    a.accused = main_parties[1 - k].actor;
    for (size_t j = 0; j < 2; ++j) {
      ActorRef& r = j == 0 ? a.accuser : a.accused;
      const PartyRef& p = main_parties[j == 0 ? k : 1 - k];
      if (r.country.empty() && p.id.size() == 3) r.country = p.id;
    }
    a.of = of != kNone ? TokText(s, of + 1, end) : TokText(s, c.last, end);
    a.source = SourceOf(s, "accusations/reciprocal");
    x.accusations.push_back(std::move(a));
  }
  return true;
}

// "X denied Y's charges", "X rejected accusations by Y that ...": Y accuses X.
void ArticleReading::DenialAccusation(const Sent& s) {
  for (size_t k = 0; k + 1 < s.toks.size(); ++k) {
    if (!In(words.deny_verb, s.toks[k].norm)) continue;
    const Mention* denier = SubjectBefore(s, k);
    if (!denier) continue;
    // The charge noun within a few words after the verb.
    size_t charge = kNone;
    for (size_t j = k + 1; j < s.toks.size() && j <= k + 4; ++j) {
      if (In(words.charge_noun, s.toks[j].norm)) { charge = j; break; }
    }
    if (charge == kNone) continue;
    const Mention* accuser = nullptr;
    // "Y's charges": Y ends just before "'s", between the verb and the noun.
    for (const Mention& m : s.ments) {
      if (m.first > k && m.last + 1 <= charge && m.last < s.toks.size() && s.toks[m.last].norm == "'s" &&
          CanAccuse(m)) {
        accuser = &m;
      }
    }
    // "charges by Y", "accusations from Y".
    if (!accuser && charge + 1 < s.toks.size() && (s.toks[charge + 1].norm == "by" || s.toks[charge + 1].norm == "from")) {
      for (const Mention& m : s.ments) {
        if (m.first > charge + 1 && m.first <= charge + 3 && CanAccuse(m)) { accuser = &m; break; }
      }
    }
    if (!accuser || accuser == denier) continue;
    AccusationOut a;
    a.accuser = RefOf(*accuser);
    a.accused = RefOf(*denier);
    size_t end = s.toks.size();
    if (end > 0 && s.toks[end - 1].norm == ".") --end;
    size_t b = charge + 1;
    while (b < end && (s.toks[b].norm == "that" || s.toks[b].norm == "by" || s.toks[b].norm == "from" ||
                       (b >= accuser->first && b < accuser->last))) {
      ++b;
    }
    a.of = TokText(s, b, std::max(end, b + 1));
    a.source = SourceOf(s, "accusations/denied");
    x.accusations.push_back(std::move(a));
    return;
  }
}

void ArticleReading::Accusations() {
  std::optional<ActorRef> last_person, last_body;
  for (size_t si = 0; si < sents.size(); ++si) {
    const Sent& s = sents[si];
    // A live report's heading ("11:40 — X accuses Y of ...") sums up the
    // entry whose sentences tell it: not a charge of its own.
    if (s.title || IsHeading(si)) continue;
    std::optional<ActorRef> speaker =
        Speaker(s, last_person ? &*last_person : nullptr, last_body ? &*last_body : nullptr);
    if (s.speaker >= 0) {
      const Mention& m = s.ments[static_cast<size_t>(s.speaker)];
      if (m.role == "leader" || s.speaker_is_person) last_person = RefOf(m);
      else last_body = RefOf(m);
    }
    const size_t before = x.accusations.size();
    for (const CueHit& c : s.cues) {
      if (c.cue->category != CueCategory::kAccuse) continue;
      if (CueNear(s, CueCategory::kNegation, c.first >= 3 ? c.first - 3 : 0, c.first)) continue;
      bool passive = c.first > 0 && In(words.be_verb, s.toks[c.first - 1].norm);
      if (!passive && ReciprocalAccusation(s, c)) continue;
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
        const Mention* accuser = SubjectBefore(s, c.first);
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
          a.source = SourceOf(s, "accusations/blamed-on");
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
        ai.source = SourceOf(s, passive ? "accusations/accused-passive" : "accusations/accused-active");
        x.accusations.push_back(std::move(ai));
      }
    }
    if (x.accusations.size() == before) DenialAccusation(s);
    if (x.accusations.size() == before) ViolationAccusation(s, speaker);
  }
}

// "X violated the truce, Y said", "Y said X broke the ceasefire", "Y called
// it a violation of the truce by X", "Y cited repeated Israeli violations":
// an accusation by the sentence's speaker (a pronoun is the last one quoted)
// against whoever the violation is attributed to. A naming verb ("Y called
// the shelling a violation", "Y branded it a breach": words.tsv naming_verb)
// makes its subject the accuser, else the sentence's speaker ("..., he said,
// calling it a violation"). When the sentence names nobody who broke the
// truce, and the accuser is one of the two parties of the report's ceasefire,
// the accused is the other party: a party that calls something a violation
// accuses the other side (`accusations/violation-other-party`). Only with an
// accuser (a reporter's own "X violated" is not an accusation), once per
// sentence, and not when the sentence already holds another accusation.
void ArticleReading::ViolationAccusation(const Sent& s, const std::optional<ActorRef>& speaker_ref) {
  for (const CueHit& c : s.cues) {
    if (c.cue->category == CueCategory::kAccuse) return;
  }
  const Mention* speaker = s.speaker >= 0 ? &s.ments[static_cast<size_t>(s.speaker)] : nullptr;
  for (size_t k = 0; k < s.toks.size(); ++k) {
    const std::string& w = s.toks[k].norm;
    bool verb = In(words.violation_verb, w), noun = In(words.violation_noun, w);
    if (!verb && !noun) continue;
    if (CueNear(s, CueCategory::kNegation, k >= 3 ? k - 3 : 0, k)) continue;
    // "would respond to any violation": a condition, not a charge.
    if (CueNear(s, CueCategory::kModality, k >= 10 ? k - 10 : 0, k)) continue;
    // "Y called X a violation": the naming verb's subject accuses — the
    // actor just before a finite verb; for a participle ("..., calling it a
    // violation") the sentence's speaker, else the first actor of the clause
    // ("the army replied that ..., calling it a breach": not the RSF named
    // in between).
    const Mention* namer = nullptr;
    if (noun) {
      // The window reaches back from the noun, and again from each "and a"
      // that joins it to a complement before ("called the attack a war crime
      // and a blatant breach").
      size_t reach = k >= kNamingVerbTokens ? k - kNamingVerbTokens : 0;
      for (size_t j = k; j > reach + 1;) {
        --j;
        if (s.toks[j - 1].norm == "and" && (s.toks[j].norm == "a" || s.toks[j].norm == "an")) {
          reach = j - 1 >= kNamingVerbTokens ? j - 1 - kNamingVerbTokens : 0;
        }
      }
      const size_t from = std::max(ClauseStart(s, k), reach);
      for (size_t j = from; j < k; ++j) {
        const std::string& v = s.toks[j].norm;
        if (!In(words.naming_verb, v)) continue;
        if (j + 1 < s.toks.size() && In(words.naming_not_followed_by, s.toks[j + 1].norm)) continue;
        const bool ing = v.size() > 4 && v.compare(v.size() - 3, 3, "ing") == 0;
        namer = nullptr;
        if (ing && speaker_ref && s.speaker != -1) {
          // the speaker's, below
        } else if (ing) {
          const size_t clause = ClauseStart(s, j);
          for (const Mention& m : s.ments) {
            if (m.first >= clause && m.last <= j && CanAccuse(m)) { namer = &m; break; }
          }
        } else if (const Mention* m = SubjectBefore(s, j); m && m->last + kSpeakerBeforeVerbTokens >= j) {
          namer = m;
        }
      }
    }
    std::optional<ActorRef> accuser;
    if (namer) accuser = RefOf(*namer);
    else if (speaker_ref && s.speaker != -1) accuser = speaker_ref;
    if (!accuser) continue;
    // Not the accuser's own name, nor a mention right beside it (a title or
    // an apposition: "President X", "X, the army's spokesman").
    auto beside = [&](const Mention& m, const Mention* a) {
      return a != nullptr && (m.last == a->first || m.first == a->last || (m.first < a->last && a->first < m.last));
    };
    auto usable = [&](const Mention& m) {
      return &m != speaker && &m != namer && !beside(m, namer) && !beside(m, speaker) && CanAccuse(m);
    };
    std::optional<ActorRef> accused;
    // "a violation ... by X".
    for (size_t j = k + 1; j < s.toks.size() && j < k + 8 && !accused; ++j) {
      if (s.toks[j].norm != "by") continue;
      for (const Mention& m : s.ments) {
        if (m.first > j && m.first <= j + 3 && usable(m)) { accused = RefOf(m); break; }
      }
    }
    // "Israeli violations", "Russia's breaches": the qualifier of the noun.
    if (!accused && noun) {
      for (const Mention& m : s.ments) {
        if (&m == speaker || m.broker || m.backer || m.country < 0) continue;
        if (m.type != Mention::kDemonym && m.type != Mention::kCountry && m.type != Mention::kCapital) continue;
        const bool right_before = m.last == k;
        const bool possessive = m.last + 1 == k && s.toks[m.last].norm == "'s";
        if (!right_before && !possessive) continue;
        accused = ActorRef{lex.countries()[static_cast<size_t>(m.country)].name, Iso3(lex, m.country), "state"};
      }
    }
    // "X violated", "X's violations", "X committed violations": the nearest
    // actor before, within the clause that holds the word.
    if (!accused) {
      for (const Mention& m : s.ments) {
        if (m.last > k || m.last + 8 < k || !usable(m)) continue;
        bool punct = false;
        for (size_t j = m.last; j < k; ++j) punct = punct || s.toks[j].norm == ";" || s.toks[j].norm == ".";
        if (!punct) accused = RefOf(m);
      }
    }
    std::string_view rule = "accusations/violation-said";
    if (!accused) {
      accused = OtherParty(*accuser, /*same_kind=*/true);
      rule = "accusations/violation-other-party";
    }
    if (!accused) continue;
    if (accused->country == accuser->country && accused->name == accuser->name) continue;
    AccusationOut a;
    a.accuser = *accuser;
    a.accused = *accused;
    size_t end = s.toks.size();
    if (end > 0 && s.toks[end - 1].norm == ".") --end;
    size_t b = k;
    if (s.attrib_tok != kNone && s.attrib_tok > k && s.attrib_tok < end) end = s.attrib_tok;
    a.of = TokText(s, b, std::max(end, b + 1));
    a.source = SourceOf(s, rule);
    x.accusations.push_back(std::move(a));
    return;
  }
}

}  // namespace truce::extract
