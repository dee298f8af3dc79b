// Accusations: who accuses whom of what, active ("X accused Y of") and passive
// ("Y was accused of ... by X"), and "blamed ... on".
#include "reading.h"
#include "tuning.h"


namespace truce::extract {

void ArticleReading::Accusations() {
  for (const Sent& s : sents) {
    if (s.title) continue;
    for (const CueHit& c : s.cues) {
      if (c.cue->category != CueCategory::kAccuse) continue;
      if (CueNear(s, CueCategory::kNegation, c.first >= 3 ? c.first - 3 : 0, c.first)) continue;
      bool passive = c.first > 0 && In(words.be_verb, s.toks[c.first - 1].norm);
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
    ViolationAccusation(s);
  }
}

// "X violated the truce, Y said", "Y said X broke the ceasefire", "Y called
// it a violation of the truce by X": an accusation by the sentence's speaker
// against whoever the violation is attributed to. Only with a speaker (a
// reporter's own "X violated" is not an accusation), once per sentence, and
// not when the sentence already holds an "accuse" accusation.
void ArticleReading::ViolationAccusation(const Sent& s) {
  if (s.speaker < 0) return;
  for (const CueHit& c : s.cues) {
    if (c.cue->category == CueCategory::kAccuse) return;
  }
  const Mention* speaker = &s.ments[static_cast<size_t>(s.speaker)];
  auto usable = [&](const Mention& m) {
    return &m != speaker && m.actor_like() && !m.broker && m.kind != "civilians" && m.role != "people";
  };
  for (size_t k = 0; k < s.toks.size(); ++k) {
    const std::string& w = s.toks[k].norm;
    bool verb = In(words.violation_verb, w), noun = In(words.violation_noun, w);
    if (!verb && !noun) continue;
    if (CueNear(s, CueCategory::kNegation, k >= 3 ? k - 3 : 0, k)) continue;
    // "would respond to any violation": a condition, not a charge.
    if (CueNear(s, CueCategory::kModality, k >= 10 ? k - 10 : 0, k)) continue;
    const Mention* accused = nullptr;
    // "a violation ... by X".
    for (size_t j = k + 1; j < s.toks.size() && j < k + 8 && !accused; ++j) {
      if (s.toks[j].norm != "by") continue;
      for (const Mention& m : s.ments) {
        if (m.first > j && m.first <= j + 3 && usable(m)) { accused = &m; break; }
      }
    }
    // "X violated", "X's violations", "X committed violations": the nearest
    // actor before, within the clause that holds the word.
    if (!accused) {
      for (const Mention& m : s.ments) {
        if (m.last > k || m.last + 8 < k || !usable(m)) continue;
        bool punct = false;
        for (size_t j = m.last; j < k; ++j) punct = punct || s.toks[j].norm == ";" || s.toks[j].norm == ".";
        if (!punct) accused = &m;
      }
    }
    if (!accused) continue;
    AccusationOut a;
    a.accuser = RefOf(*speaker);
    a.accused = RefOf(*accused);
    size_t end = s.toks.size();
    if (end > 0 && s.toks[end - 1].norm == ".") --end;
    size_t b = k;
    if (s.attrib_tok != kNone && s.attrib_tok > k && s.attrib_tok < end) end = s.attrib_tok;
    a.of = TokText(s, b, std::max(end, b + 1));
    a.source = SourceOf(s, "accusations/violation-said");
    x.accusations.push_back(std::move(a));
    return;
  }
}

}  // namespace truce::extract
