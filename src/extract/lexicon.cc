#include <algorithm>
#include "lexicon.h"

#include <cstdlib>

#include "truce/core/strings.h"
#include "segment.h"
#include "tuning.h"

namespace truce::extract {
namespace {

// Lines of a TAB-separated data file, skipping comments and blank lines; calls
// fn(line_number, fields).
template <typename Fn>
Status ForEachRow(const std::string& text, Fn fn) {
  size_t pos = 0;
  int line_no = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string_view line(text.data() + pos, nl - pos);
    ++line_no;
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (Trim(line).empty() || Trim(line)[0] == '#') {
      if (nl == text.size()) break;
      continue;
    }
    std::vector<std::string> fields = Split(line, '\t');
    TRUCE_RETURN_IF_ERROR(fn(line_no, fields));
    if (nl == text.size()) break;
  }
  return Status::Ok();
}

std::vector<std::string> Alternatives(const std::string& field) {
  std::vector<std::string> out;
  if (field == "-" || field.empty()) return out;
  for (const std::string& s : Split(field, '|')) {
    std::string t(Trim(s));
    if (!t.empty()) out.push_back(t);
  }
  return out;
}

bool AllCapsShort(std::string_view s) {
  int letters = 0;
  for (char c : s) {
    if (c >= 'a' && c <= 'z') return false;
    if (c >= 'A' && c <= 'Z') ++letters;
  }
  return letters >= 2 && letters <= 5;
}

}  // namespace

std::optional<CueCategory> ParseCueCategory(std::string_view s) {
  static const std::pair<const char*, CueCategory> kNames[] = {
      {"agreement", CueCategory::kAgreement}, {"agree", CueCategory::kAgree},
      {"effect", CueCategory::kEffect},       {"broker", CueCategory::kBroker},
      {"event", CueCategory::kEvent},         {"claim", CueCategory::kClaim},
      {"attribution", CueCategory::kAttribution}, {"accuse", CueCategory::kAccuse},
      {"negation", CueCategory::kNegation},   {"modality", CueCategory::kModality},
      {"provision", CueCategory::kProvision}, {"head", CueCategory::kHead},
      {"title", CueCategory::kTitle},         {"period", CueCategory::kPeriod},
      {"vague", CueCategory::kVague},         {"weapon", CueCategory::kWeapon}};
  for (auto& [n, c] : kNames) {
    if (s == n) return c;
  }
  return std::nullopt;
}

std::string Lexicon::MatchKey(std::string_view phrase) {
  std::vector<Token> toks = Tokenize(phrase, {0, phrase.size()});
  std::string key;
  for (const Token& t : toks) {
    if (!key.empty()) key.push_back(' ');
    key += t.norm;
  }
  return key;
}

Status Lexicon::AddPhrase(std::string_view phrase, LexEntry entry) {
  std::string key = MatchKey(phrase);
  if (key.empty()) return Status::Ok();
  entry.case_sensitive = AllCapsShort(phrase);
  entry.tokens = 1;
  for (char c : key) entry.tokens += c == ' ';
  auto [it, inserted] = phrase_ids_.emplace(key, static_cast<int>(entries_.size()));
  if (inserted) {
    entries_.emplace_back();
    matcher_.Add(key, it->second);
  }
  auto& list = entries_[static_cast<size_t>(it->second)];
  for (const LexEntry& e : list) {
    if (e.kind == entry.kind && e.index == entry.index) return Status::Ok();
  }
  list.push_back(entry);
  return Status::Ok();
}

Status Lexicon::LoadCountries(const std::string& path, const std::string& text) {
  return ForEachRow(text, [&](int line, const std::vector<std::string>& f) -> Status {
    if (f.size() < 5) return Status::ParseErrorAt(path, line, 1, "expected 5 TAB-separated fields, got " + std::to_string(f.size()));
    if (f[0].size() != 3 || f[1].size() != 2) return Status::ParseErrorAt(path, line, 1, "bad ISO3/ISO2 code");
    CountryInfo c;
    c.iso3 = f[0];
    c.iso2 = f[1];
    auto names = Alternatives(f[2]);
    if (names.empty()) return Status::ParseErrorAt(path, line, 1, "country without a name");
    c.name = names[0];
    c.capitals = Alternatives(f[4]);
    int idx = static_cast<int>(countries_.size());
    if (by_iso3_.count(c.iso3)) return Status::ParseErrorAt(path, line, 1, "duplicate country " + c.iso3);
    by_iso3_[c.iso3] = idx;
    by_iso2_[c.iso2] = idx;
    for (const auto& n : names) TRUCE_RETURN_IF_ERROR(AddPhrase(n, {LexEntry::kCountry, idx, false, 1}));
    for (const auto& n : Alternatives(f[3])) TRUCE_RETURN_IF_ERROR(AddPhrase(n, {LexEntry::kDemonym, idx, false, 1}));
    for (const auto& n : c.capitals) TRUCE_RETURN_IF_ERROR(AddPhrase(n, {LexEntry::kCapital, idx, false, 1}));
    countries_.push_back(std::move(c));
    return Status::Ok();
  });
}

Status Lexicon::LoadActors(const std::string& path, const std::string& text) {
  return ForEachRow(text, [&](int line, const std::vector<std::string>& f) -> Status {
    if (f.size() < 7) return Status::ParseErrorAt(path, line, 1, "expected 7 TAB-separated fields, got " + std::to_string(f.size()));
    ActorEntry a;
    a.id = f[0];
    a.name = f[1];
    a.country = f[2] == "-" ? "" : f[2];
    a.kind = f[3];
    a.role = f[4];
    a.org = f[6] == "-" ? "" : f[6];
    static const char* kKinds[] = {"state", "rebel", "international", "media", "ngo", "civilians", "unknown"};
    bool ok = false;
    for (const char* k : kKinds) ok = ok || a.kind == k;
    if (!ok) return Status::ParseErrorAt(path, line, 1, "unknown kind '" + a.kind + "'");
    if (!a.country.empty() && a.country != "INT" && !by_iso3_.count(a.country)) {
      return Status::ParseErrorAt(path, line, 1, "unknown country '" + a.country + "'");
    }
    if (actor_ids_.count(a.id)) return Status::ParseErrorAt(path, line, 1, "duplicate actor id '" + a.id + "'");
    int idx = static_cast<int>(actors_.size());
    actor_ids_[a.id] = idx;
    TRUCE_RETURN_IF_ERROR(AddPhrase(a.name, {LexEntry::kActor, idx, false, 1}));
    for (const auto& n : Alternatives(f[5])) {
      const bool lower = std::none_of(n.begin(), n.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
      TRUCE_RETURN_IF_ERROR(AddPhrase(n, {LexEntry::kActor, idx, false, 1, lower}));
    }
    actors_.push_back(std::move(a));
    return Status::Ok();
  });
}

Status Lexicon::LoadCues(const std::string& path, const std::string& text) {
  return ForEachRow(text, [&](int line, const std::vector<std::string>& f) -> Status {
    if (f.size() < 3) return Status::ParseErrorAt(path, line, 1, "expected phrase, category and value");
    auto cat = ParseCueCategory(f[1]);
    if (!cat) return Status::ParseErrorAt(path, line, static_cast<int>(f[0].size()) + 2, "unknown category '" + f[1] + "'");
    CueEntry c{*cat, f[2], f.size() > 3 ? f[3] : ""};
    if ((*cat == CueCategory::kEvent || *cat == CueCategory::kWeapon) && c.value2.empty()) {
      return Status::ParseErrorAt(path, line, 1, "an event or weapon cue needs a sub-event type");
    }
    int idx = static_cast<int>(cues_.size());
    if (*cat == CueCategory::kWeapon) {
      // The act the weapon becomes: an event entry of the same types, not a
      // phrase of its own, right after it.
      c.act = idx + 1;
      CueEntry act{CueCategory::kEvent, c.value, c.value2};
      cues_.push_back(std::move(c));
      cues_.push_back(std::move(act));
      return AddPhrase(f[0], {LexEntry::kCue, idx, false, 1});
    }
    cues_.push_back(std::move(c));
    return AddPhrase(f[0], {LexEntry::kCue, idx, false, 1});
  });
}

Status Lexicon::LoadPlaces(const std::string& path, const std::string& text) {
  return ForEachRow(text, [&](int line, const std::vector<std::string>& f) -> Status {
    if (f.size() < 6) return Status::ParseErrorAt(path, line, 1, "expected 6 TAB-separated fields");
    PlaceEntry p;
    auto names = Alternatives(f[0]);
    if (names.empty()) return Status::ParseErrorAt(path, line, 1, "place without a name");
    p.name = names[0];
    p.country = f[1];
    if (!by_iso3_.count(p.country)) return Status::ParseErrorAt(path, line, 1, "unknown country '" + p.country + "'");
    p.admin1 = f[2] == "-" ? "" : f[2];
    if (f[3] != "-" || f[4] != "-") {
      auto lat = ParseDouble(f[3]);
      auto lon = ParseDouble(f[4]);
      if (!lat || !lon || *lat < -90 || *lat > 90 || *lon < -180 || *lon > 180) {
        return Status::ParseErrorAt(path, line, 1, "bad lat/lon");
      }
      p.lat = lat;
      p.lon = lon;
    }
    p.kind = std::string(Trim(f[5]));
    int idx = static_cast<int>(places_.size());
    places_.push_back(p);
    for (const auto& n : names) TRUCE_RETURN_IF_ERROR(AddPhrase(n, {LexEntry::kPlace, idx, false, 1}));
    return Status::Ok();
  });
}

Status Lexicon::LoadWords(const std::string& path, const std::string& text) {
  static const std::pair<const char*, WordLists::Set WordLists::*> kLists[] = {
      {"preposition", &WordLists::preposition},
      {"attack_verb", &WordLists::attack_verb},
      {"place_follower", &WordLists::place_follower},
      {"pronoun", &WordLists::pronoun},
      {"be_verb", &WordLists::be_verb},
      {"actor_of_country", &WordLists::actor_of_country},
      {"backer_suffix", &WordLists::backer_suffix},
      {"broker_suffix", &WordLists::broker_suffix},
      {"people_demonym", &WordLists::people_demonym},
      {"demonym_not_qualifying", &WordLists::demonym_not_qualifying},
      {"qualifier_stop", &WordLists::qualifier_stop},
      {"place_particle", &WordLists::place_particle},
      {"admin_area", &WordLists::admin_area},
      {"admin_name_word", &WordLists::admin_name_word},
      {"locative", &WordLists::locative},
      {"place_noun", &WordLists::place_noun},
      {"past_marker", &WordLists::past_marker},
      {"effect_blocker", &WordLists::effect_blocker},
      {"exchange_stem", &WordLists::exchange_stem},
      {"exchange_word", &WordLists::exchange_word},
      {"km_unit", &WordLists::km_unit},
      {"width_word", &WordLists::width_word},
      {"depth_word", &WordLists::depth_word},
      {"side_word", &WordLists::side_word},
      {"unit_after_number", &WordLists::unit_after_number},
      {"event_object", &WordLists::event_object},
      {"talks_word", &WordLists::talks_word},
      {"talks_after", &WordLists::talks_after},
      {"violation_verb", &WordLists::violation_verb},
      {"violation_noun", &WordLists::violation_noun},
      {"clause_break", &WordLists::clause_break},
      {"reciprocal_subject", &WordLists::reciprocal_subject},
      {"reciprocal_object", &WordLists::reciprocal_object},
      {"deny_verb", &WordLists::deny_verb},
      {"charge_noun", &WordLists::charge_noun},
      {"name_joiner", &WordLists::name_joiner},
      {"armed_name_head", &WordLists::armed_name_head},
      {"state_name_word", &WordLists::state_name_word},
      {"naming_verb", &WordLists::naming_verb},
      {"naming_not_followed_by", &WordLists::naming_not_followed_by},
      {"expiry_word", &WordLists::expiry_word},
      {"holder_verb", &WordLists::holder_verb},
      {"counted_act", &WordLists::counted_act},
      {"count_noun", &WordLists::count_noun},
      {"count_verb", &WordLists::count_verb},
      {"count_filler", &WordLists::count_filler},
      {"count_over", &WordLists::count_over},
      {"period_back", &WordLists::period_back},
      {"war_noun", &WordLists::war_noun},
      {"start_verb", &WordLists::start_verb},
      {"aside_opener", &WordLists::aside_opener},
      {"means_word", &WordLists::means_word},
      {"definite_place", &WordLists::definite_place},
      {"qualified_head", &WordLists::qualified_head},
      {"unilateral_word", &WordLists::unilateral_word},
      {"possessive_pronoun", &WordLists::possessive_pronoun},
      {"plural_subject", &WordLists::plural_subject},
      {"modal_verb", &WordLists::modal_verb},
      {"halt_verb", &WordLists::halt_verb},
      {"strike_verb", &WordLists::strike_verb},
      {"fire_verb", &WordLists::fire_verb},
      {"fire_direction", &WordLists::fire_direction},
      {"same_day_word", &WordLists::same_day_word},
      {"day_part", &WordLists::day_part},
      {"subject_pronoun", &WordLists::subject_pronoun},
      {"group_qualifier", &WordLists::group_qualifier},
      {"circumstance_word", &WordLists::circumstance_word},
  };
  std::unordered_set<std::string> seen;
  Status st = ForEachRow(text, [&](int line, const std::vector<std::string>& f) -> Status {
    if (f.size() < 2) return Status::ParseErrorAt(path, line, 1, "expected a list name and its words");
    for (const auto& [name, member] : kLists) {
      if (f[0] != name) continue;
      if (!seen.insert(f[0]).second) return Status::ParseErrorAt(path, line, 1, "list '" + f[0] + "' given twice");
      for (const std::string& w : Alternatives(f[1])) (words_.*member).insert(w);
      return Status::Ok();
    }
    return Status::ParseErrorAt(path, line, 1, "unknown word list '" + f[0] + "'");
  });
  TRUCE_RETURN_IF_ERROR(st);
  for (const auto& [name, member] : kLists) {
    (void)member;
    if (!seen.count(name)) return Status::ValidationError(path + ": word list '" + name + "' is missing");
  }
  return Status::Ok();
}

// confidence.tsv: rule TAB matched TAB records — how many of the rule's
// records on the dev corpus the scorer paired with a gold record.
Status Lexicon::LoadConfidence(const std::string& path, const std::string& text) {
  auto count = [&](int line, int column, const std::string& f, const char* what) -> Result<long> {
    std::string_view v = Trim(f);
    char* end = nullptr;
    std::string t(v);
    long n = t.empty() ? -1 : std::strtol(t.c_str(), &end, 10);
    if (t.empty() || *end != '\0' || n < 0 || n > 1000000000L) {
      return Status::ParseErrorAt(path, line, column, std::string(what) + " must be a whole number >= 0, got '" + t + "'");
    }
    return n;
  };
  return ForEachRow(text, [&](int line, const std::vector<std::string>& f) -> Status {
    if (f.size() != 3) {
      return Status::ParseErrorAt(path, line, 1, "expected 3 TAB-separated fields (rule, matched, records), got " +
                                                     std::to_string(f.size()));
    }
    std::string rule(Trim(f[0]));
    bool known = false;
    for (const char* r : kRuleNames) known = known || rule == r;
    if (!known) return Status::ParseErrorAt(path, line, 1, "unknown rule '" + rule + "'");
    const int matched_col = static_cast<int>(f[0].size()) + 2;
    const int records_col = matched_col + static_cast<int>(f[1].size()) + 1;
    TRUCE_ASSIGN_OR_RETURN(long matched, count(line, matched_col, f[1], "matched"));
    TRUCE_ASSIGN_OR_RETURN(long records, count(line, records_col, f[2], "records"));
    if (matched > records) {
      return Status::ParseErrorAt(path, line, matched_col,
                                  "matched (" + std::to_string(matched) + ") exceeds records (" + std::to_string(records) + ")");
    }
    if (!confidence_.emplace(rule, static_cast<double>(matched + 1) / static_cast<double>(records + 2)).second) {
      return Status::ParseErrorAt(path, line, 1, "rule '" + rule + "' given twice");
    }
    return Status::Ok();
  });
}

double Lexicon::Confidence(std::string_view rule) const {
  auto it = confidence_.find(std::string(rule));
  return it == confidence_.end() ? kDefaultConfidence : it->second;
}

Result<std::unique_ptr<Lexicon>> Lexicon::Load(const FileSystem& fs, const std::string& dir) {
  std::unique_ptr<Lexicon> lex(new Lexicon());
  auto read = [&](const std::string& name) -> Result<std::string> {
    std::string path = dir + "/" + name;
    auto r = fs.ReadFile(path);
    if (!r.ok()) return r.status().WithContext("extraction dictionaries (set --data or TRUCE_DATA)");
    return r;
  };
  TRUCE_ASSIGN_OR_RETURN(std::string countries, read("countries.tsv"));
  TRUCE_RETURN_IF_ERROR(lex->LoadCountries(dir + "/countries.tsv", countries));
  TRUCE_ASSIGN_OR_RETURN(std::string actors, read("actors.tsv"));
  TRUCE_RETURN_IF_ERROR(lex->LoadActors(dir + "/actors.tsv", actors));
  TRUCE_ASSIGN_OR_RETURN(std::string cues, read("cues.tsv"));
  TRUCE_RETURN_IF_ERROR(lex->LoadCues(dir + "/cues.tsv", cues));
  TRUCE_ASSIGN_OR_RETURN(std::string places, read("places.tsv"));
  TRUCE_RETURN_IF_ERROR(lex->LoadPlaces(dir + "/places.tsv", places));
  TRUCE_ASSIGN_OR_RETURN(std::string words, read("words.tsv"));
  TRUCE_RETURN_IF_ERROR(lex->LoadWords(dir + "/words.tsv", words));
  TRUCE_ASSIGN_OR_RETURN(std::string confidence, read("confidence.tsv"));
  TRUCE_RETURN_IF_ERROR(lex->LoadConfidence(dir + "/confidence.tsv", confidence));
  TRUCE_ASSIGN_OR_RETURN(std::string abbrev, read("abbreviations.txt"));
  for (const std::string& line : Split(abbrev, '\n')) {
    std::string_view l = Trim(line);
    if (l.empty() || l[0] == '#') continue;
    std::string w = ToLowerAscii(l);
    while (!w.empty() && w.back() == '.') w.pop_back();
    if (!w.empty()) lex->abbreviations_.insert(w);
  }
  for (auto& a : lex->actors_) {
    if (!a.org.empty() && !lex->actor_ids_.count(a.org)) {
      return Status::ValidationError(dir + "/actors.tsv: actor '" + a.id + "' has unknown org '" + a.org + "'");
    }
  }
  lex->matcher_.Build();
  return lex;
}

int Lexicon::CountryByIso2(std::string_view iso2) const {
  auto it = by_iso2_.find(std::string(iso2));
  return it == by_iso2_.end() ? -1 : it->second;
}
int Lexicon::CountryByIso3(std::string_view iso3) const {
  auto it = by_iso3_.find(std::string(iso3));
  return it == by_iso3_.end() ? -1 : it->second;
}
int Lexicon::ActorById(std::string_view id) const {
  auto it = actor_ids_.find(std::string(id));
  return it == actor_ids_.end() ? -1 : it->second;
}

}  // namespace truce::extract
