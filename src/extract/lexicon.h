// The dictionaries that drive extraction, loaded once from data/extract/:
// countries (ISO codes, names, demonyms, capitals), named actors with aliases,
// cue phrases for the pattern rules, a places supplement, abbreviations, the
// closed word lists the rules test tokens against and each rule's measured
// confidence.
// All phrases are compiled into one Aho-Corasick automaton. File formats are
// described at the top of each file and in docs/extraction.md.
// Thread-safety: immutable after Load(); share freely.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "truce/core/env.h"
#include "truce/core/status.h"
#include "matcher.h"

namespace truce::extract {

struct CountryInfo {
  std::string iso3, iso2, name;
  std::vector<std::string> capitals;
};

struct ActorEntry {
  std::string id, name, country;  // country: ISO3, "INT" or ""
  std::string kind;               // state | rebel | international | media | ngo | civilians | unknown
  std::string role;               // leader | government | military | ministry | police | group | body | outlet | ngo
  std::string org;                // for leaders of groups: the group's id
};

struct PlaceEntry {
  std::string name, country, admin1, kind;  // kind: city | region | landmark | route
  std::optional<double> lat, lon;
};

enum class CueCategory {
  kAgreement, kAgree, kEffect, kBroker, kEvent, kClaim, kAttribution, kAccuse, kNegation, kModality,
  kProvision, kHead, kTitle, kPeriod, kVague, kWeapon
};
std::optional<CueCategory> ParseCueCategory(std::string_view s);

struct CueEntry {
  CueCategory category;
  std::string value, value2;
  // A weapon's act (kWeapon): the index in Lexicon::cues() of the event entry,
  // of the same types, that the weapon becomes when a sentence tells it was
  // used (ArticleReading::WeaponActs); -1 for other cues.
  int act = -1;
};

// What a dictionary phrase stands for. A phrase can stand for several things
// ("Moscow": a capital; "Kremlin": an actor and a place).
struct LexEntry {
  enum Kind { kCountry, kDemonym, kCapital, kActor, kPlace, kCue } kind;
  int index;             // into countries(), actors(), places() or cues()
  bool case_sensitive;   // an all-capitals alias ("US", "RSF") must be in capitals
  int tokens;            // phrase length in tokens
  // An actor's alias written in lower case ("the regime"): a description, not
  // a name — the actor's only in a report that places something in its
  // country (ArticleReading::ResolveGenericAliases), else a generic actor.
  bool generic = false;
};

// The closed word lists of data/extract/words.tsv, one set per list (see the
// file for what each is for).
struct WordLists {
  using Set = std::unordered_set<std::string>;
  Set preposition, attack_verb, place_follower, pronoun, be_verb, actor_of_country, backer_suffix, broker_suffix,
      people_demonym, demonym_not_qualifying, qualifier_stop, place_particle, admin_area, past_marker,
      effect_blocker, exchange_stem, exchange_word, km_unit, width_word, depth_word, side_word, unit_after_number,
      event_object, talks_word, talks_after, violation_verb, violation_noun, admin_name_word, locative, place_noun, clause_break,
      reciprocal_subject, reciprocal_object, deny_verb, charge_noun, name_joiner, armed_name_head, state_name_word,
      naming_verb, naming_not_followed_by, expiry_word, holder_verb, counted_act, count_noun, count_verb, count_filler, count_over, period_back, war_noun, start_verb, aside_opener, means_word, definite_place,
      qualified_head, unilateral_word, possessive_pronoun, plural_subject, modal_verb,
      halt_verb, strike_verb, fire_verb, fire_direction, same_day_word, day_part,
      subject_pronoun, group_qualifier, circumstance_word;
};

class Lexicon {
 public:
  // Reads every file of `dir` (data/extract). Errors name the file and line.
  static Result<std::unique_ptr<Lexicon>> Load(const FileSystem& fs, const std::string& dir);

  const std::vector<CountryInfo>& countries() const { return countries_; }
  const std::vector<ActorEntry>& actors() const { return actors_; }
  const std::vector<PlaceEntry>& places() const { return places_; }
  const std::vector<CueEntry>& cues() const { return cues_; }
  const std::unordered_set<std::string>& abbreviations() const { return abbreviations_; }
  const WordLists& words() const { return words_; }
  const AhoCorasick& matcher() const { return matcher_; }
  // Entries of the phrase whose matcher id is `id`.
  const std::vector<LexEntry>& entries(int id) const { return entries_[static_cast<size_t>(id)]; }

  // The confidence of records made by `rule` (tuning.h kRuleNames): from
  // confidence.tsv, (matched + 1) / (records + 2); kDefaultConfidence for a
  // rule the file does not list.
  double Confidence(std::string_view rule) const;

  int CountryByIso2(std::string_view iso2) const;  // index or -1
  int CountryByIso3(std::string_view iso3) const;
  int ActorById(std::string_view id) const;
  size_t phrase_count() const { return entries_.size(); }

  // Phrase text as the matcher sees it: tokens folded and joined by spaces.
  static std::string MatchKey(std::string_view phrase);

 private:
  Lexicon() = default;
  Status AddPhrase(std::string_view phrase, LexEntry entry);
  Status LoadCountries(const std::string& path, const std::string& text);
  Status LoadActors(const std::string& path, const std::string& text);
  Status LoadCues(const std::string& path, const std::string& text);
  Status LoadPlaces(const std::string& path, const std::string& text);
  Status LoadWords(const std::string& path, const std::string& text);
  Status LoadConfidence(const std::string& path, const std::string& text);

  std::vector<CountryInfo> countries_;
  std::vector<ActorEntry> actors_;
  std::vector<PlaceEntry> places_;
  std::vector<CueEntry> cues_;
  std::unordered_set<std::string> abbreviations_;
  WordLists words_;
  std::unordered_map<std::string, double> confidence_;  // rule -> confidence
  std::unordered_map<std::string, int> phrase_ids_;
  std::vector<std::vector<LexEntry>> entries_;
  std::unordered_map<std::string, int> by_iso2_, by_iso3_, actor_ids_;
  AhoCorasick matcher_;
};

}  // namespace truce::extract
