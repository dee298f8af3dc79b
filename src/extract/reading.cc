// The article as a whole: title, dateline, sentences, the countries it is
// about, then the rules in order; and the helpers the rules share.
#include "reading.h"
#include "tuning.h"

#include <algorithm>

#include "truce/core/strings.h"
#include "fold.h"

namespace truce::extract {

std::string Iso3(const Lexicon& lex, int country) {
  return country >= 0 ? lex.countries()[static_cast<size_t>(country)].iso3 : std::string();
}

// The steps: headline and dateline, the sentences, the countries the
// article is about (before and after the gazetteer's places), the dateline's
// place, attribution; then the rules, in an order that matters (reading.h).
void ArticleReading::Run(const SentenceSplitter& splitter) {
  size_t title_begin = ReadTitleAndDateline();
  if (!ReadSentences(splitter, title_begin)) return;
  x.sentence_count = sents.size();
  WeighCountries();
  for (Sent& s : sents) FindGazetteerPlaces(s);
  ChooseMainCountry();
  if (ResolveGenericAliases()) ChooseMainCountry();
  ResolveDocumentActors();
  if (dateline) ResolveDatelinePlace();
  ResolveDefinitePlaces();
  for (Sent& s : sents) FindAttribution(s);
  Agreements();
  Claims();
  Accusations();
  Events();
  ClaimsOfTheActTold();
}

// Returns where the headline begins.
size_t ArticleReading::ReadTitleAndDateline() {
  // Title: the first non-empty line.
  size_t p = 0;
  while (p < text.size() && (text[p] == '\n' || text[p] == ' ' || text[p] == '\t')) ++p;
  size_t title_end = text.find('\n', p);
  if (title_end == std::string_view::npos) title_end = text.size();
  x.title = std::string(Trim(text.substr(p, title_end - p)));
  // Dateline: the first paragraph start (after the title) that has one.
  for (size_t q = title_end; q < text.size() && q < title_end + kDatelineSearchBytes;) {
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
  return p;
}

// False when the deadline passed (x.stopped_at_deadline is then set).
bool ArticleReading::ReadSentences(const SentenceSplitter& splitter, size_t title_begin) {
  std::vector<ByteSpan> spans = splitter.Split(text);
  sents.reserve(spans.size());
  for (const ByteSpan& sp : spans) {
    // The time budget (Extractor::Extract's deadline): most of the time goes
    // into this loop on long texts.
    if (deadline && sents.size() % kDeadlineCheckEverySentences == 0 && std::chrono::steady_clock::now() > *deadline) {
      x.stopped_at_deadline = true;
      return false;
    }
    Sent s;
    s.span = sp;
    if (dateline && sp.begin <= dateline->span.begin && sp.end > dateline->span.end) s.span.begin = dateline->span.end;
    if (dateline && sp.begin == dateline->span.begin) s.span.begin = dateline->span.end;
    s.index = sents.size();
    s.title = sp.begin <= title_begin && sp.end >= title_begin;
    Analyse(s);
    sents.push_back(std::move(s));
  }
  return true;
}

// Country weights from names, demonyms and capitals.
void ArticleReading::WeighCountries() {
  for (const Sent& s : sents) {
    for (const Mention& m : s.ments) {
      if (m.country < 0) continue;
      size_t c = static_cast<size_t>(m.country);
      country_weight[c] += 1;
      if (m.place_context || m.type == Mention::kPlace) location_weight[c] += m.place && m.place->sub_country ? 2 : 1;
    }
  }
}

// Places now include the gazetteer's: location weights again, and the country
// named most as a location is the article's.
void ArticleReading::ChooseMainCountry() {
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
}

bool ArticleReading::ResolveGenericAliases() {
  bool any = false;
  for (Sent& s : sents) {
    for (Mention& m : s.ments) {
      if (!m.generic_alias || m.type != Mention::kActor || m.country < 0) continue;
      if (location_weight[static_cast<size_t>(m.country)] > 0) continue;
      country_weight[static_cast<size_t>(m.country)] -= 1;
      m.type = Mention::kGeneric;
      m.actor = -1;
      m.country = -1;
      m.name = TokText(s, m.first, m.last);
      any = true;
    }
  }
  return any;
}

void ArticleReading::ResolveDocumentActors() {
  auto weight = [&](int c) {
    return location_weight[static_cast<size_t>(c)] * 2 + country_weight[static_cast<size_t>(c)];
  };
  for (Sent& s : sents) {
    for (Mention& m : s.ments) {
      if ((m.doc_actor || m.titled) && m.country < 0) m.country = main_country;
      if (m.alt_country >= 0 && m.country >= 0 && weight(m.alt_country) > weight(m.country)) {
        std::swap(m.country, m.alt_country);
        if (m.type == Mention::kCountry) m.name = lex.countries()[static_cast<size_t>(m.country)].name;
      }
    }
  }
}

// The dateline's place: the places supplement, else the gazetteer (a capital
// prefers its country).
void ArticleReading::ResolveDatelinePlace() {
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

Source ArticleReading::SourceOf(const Sent& s, std::string_view rule) const {
  Source src;
  src.begin = offsets.ToChar(s.span.begin);
  src.end = offsets.ToChar(s.span.end);
  src.sentence = std::string(text.substr(s.span.begin, s.span.end - s.span.begin));
  for (char& c : src.sentence) {
    if (c == '\n') c = ' ';
  }
  src.rule = std::string(rule);
  src.confidence = rule.empty() ? 0 : lex.Confidence(rule);
  return src;
}

std::string ArticleReading::TokText(const Sent& s, size_t a, size_t b) const {
  if (a >= b || b > s.toks.size()) return "";
  return std::string(text.substr(s.toks[a].begin, s.toks[b - 1].end - s.toks[a].begin));
}

ActorRef ArticleReading::RefOf(const Mention& m) const {
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
const Mention* ArticleReading::ActorBefore(const Sent& s, size_t tok, size_t from, bool armed_only) const {
  const Mention* best = nullptr;
  for (const Mention& m : s.ments) {
    if (m.last <= tok && m.first >= from && m.actor_like() && !m.broker &&
        (!armed_only || m.kind == "state" || m.kind == "rebel")) {
      if (armed_only && (m.role == "people" || m.role == "outlet" || m.person)) continue;
      best = &m;
    }
  }
  return best;
}

const Mention* ArticleReading::ActorAfter(const Sent& s, size_t tok, size_t max_gap, bool armed_only,
                                          bool countries_too) const {
  for (const Mention& m : s.ments) {
    bool like = m.actor_like() || (countries_too && (m.type == Mention::kCountry || m.type == Mention::kCapital));
    if (m.first >= tok && m.first <= tok + max_gap && like && !m.broker &&
        (!armed_only || ((m.kind == "state" || m.kind == "rebel") && !m.person))) {
      return &m;
    }
  }
  return nullptr;
}

bool ArticleReading::CueNear(const Sent& s, CueCategory cat, size_t from, size_t to) const {
  for (const CueHit& c : s.cues) {
    if (c.cue->category == cat && c.first >= from && c.first < to) return true;
  }
  return false;
}

bool ArticleReading::WordIn(const Sent& s, size_t from, size_t to, std::string_view w) const {
  for (size_t k = from; k < to && k < s.toks.size(); ++k) {
    if (s.toks[k].norm == w) return true;
  }
  return false;
}

std::optional<ActorRef> ArticleReading::Speaker(const Sent& s, const ActorRef* last_person,
                                                const ActorRef* last_body) const {
  if (s.speaker >= 0) return RefOf(s.ments[static_cast<size_t>(s.speaker)]);
  if (s.speaker != -2) return std::nullopt;
  const ActorRef* r = s.speaker_is_person_pronoun ? last_person : last_body;
  if (r == nullptr) r = s.speaker_is_person_pronoun ? last_body : last_person;
  if (r != nullptr) return *r;
  return std::nullopt;
}

ActorRef ArticleReading::Outlet() const {
  ActorRef r;
  r.kind = "media";
  r.name = x.agency;
  return r;
}

}  // namespace truce::extract

namespace truce::extract {

const Temporal* ArticleReading::CarriedDay(size_t si) const {
  for (size_t k = si; k-- > 0;) {
    const Sent& prev = sents[k];
    if (prev.title) break;
    // A paragraph ends at a blank line.
    const size_t gap_from = prev.span.end, gap_to = sents[k + 1].span.begin;
    if (gap_to > gap_from && text.substr(gap_from, gap_to - gap_from).find("\n\n") != std::string_view::npos) break;
    for (size_t j = prev.tms.size(); j-- > 0;) {
      const Temporal& t = prev.tms[j];
      if (t.is_time || t.in_parens || t.after_since || t.ordinal_day_of || t.precision != DatePrecision::kDay) continue;
      if (t.day > published) continue;
      return &t;
    }
  }
  return nullptr;
}

}  // namespace truce::extract

namespace truce::extract {

// "in the city", "near the town": a place word (`definite_place`) after
// "the" and a preposition, not followed by "of" (then its name follows: "the
// city of X"), is the last town the report named before it (a gazetteer place
// with a point, in the headline, an earlier sentence or earlier in its own) —
// a place mention of its own there, named as that town.
void ArticleReading::ResolveDefinitePlaces() {
  std::optional<Mention> last_town;
  auto is_town = [](const Mention& m) {
    return m.type == Mention::kPlace && m.place && m.place->kind == "city" && m.place->lat.has_value();
  };
  for (Sent& s : sents) {
    std::vector<const Mention*> towns;
    for (const Mention& m : s.ments) {
      if (is_town(m)) towns.push_back(&m);
    }
    std::sort(towns.begin(), towns.end(), [](const Mention* a, const Mention* b) { return a->first < b->first; });
    std::vector<Mention> added;
    size_t ti = 0;
    for (size_t k = 1; k + 1 < s.toks.size(); ++k) {
      for (; ti < towns.size() && towns[ti]->first < k; ++ti) last_town = *towns[ti];
      if (!last_town || s.toks[k].norm != "the" || !In(words.definite_place, s.toks[k + 1].norm)) continue;
      if (!In(words.preposition, s.toks[k - 1].norm)) continue;
      if (k + 2 < s.toks.size() && (s.toks[k + 2].norm == "of" || s.toks[k + 2].norm == "'s")) continue;
      bool covered = false;
      for (const Mention& m : s.ments) covered = covered || (m.first <= k + 1 && k < m.last);
      if (covered) continue;
      Mention m = *last_town;
      m.first = k;
      m.last = k + 2;
      m.place_context = true;
      added.push_back(std::move(m));
    }
    for (; ti < towns.size(); ++ti) last_town = *towns[ti];
    if (added.empty()) continue;
    for (auto& m : added) s.ments.push_back(std::move(m));
    SortInTextOrder(s.ments);
  }
}

}  // namespace truce::extract

