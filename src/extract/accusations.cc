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
          a.source = SourceOf(s, kAccusationBlamedOn);
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
        ai.source = SourceOf(s, passive ? kAccusationPassive : kAccusationActive);
        x.accusations.push_back(std::move(ai));
      }
    }
  }
}

}  // namespace truce::extract
