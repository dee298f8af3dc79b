// One reading of one news article: what Extractor::Extract builds, sentence by
// sentence (reading.cc, sentence.cc), and the rules that turn the analysed
// sentences into records (agreements.cc, claims.cc, accusations.cc,
// events.cc). Internal to src/extract.
//
// The rules run in a fixed order, and later ones read what earlier ones left:
// events take the agreement's parties and entry into force (Agreements) and
// the casualty figures of their sentence (Claims).
#pragma once

#include <algorithm>
#include <chrono>
#include <map>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dates.h"
#include "gazetteer.h"
#include "lexicon.h"
#include "numbers.h"
#include "segment.h"
#include "truce/extract/extraction.h"
#include "truce/extract/text.h"
#include "truce/time/time.h"

namespace truce::extract {

inline constexpr size_t kNone = static_cast<size_t>(-1);

// Mentions or cue hits in the order of the text: by first token, the longer
// of two that start on the same token first.
template <typename T>
void SortInTextOrder(std::vector<T>& items) {
  std::sort(items.begin(), items.end(),
            [](const T& a, const T& b) { return a.first != b.first ? a.first < b.first : a.last > b.last; });
}

// A place as a record gives it.
struct PlaceRes {
  std::string name, country, admin1, kind;  // country ISO3
  std::optional<double> lat, lon;
  bool sub_country = true;  // a city, region or landmark, not a whole country
  bool route = false;
};

// An entity mention: a named actor, a country, a demonym, a capital, a
// generic actor noun ("Turkish soldiers") or a place.
struct Mention {
  size_t first = 0, last = 0;  // tokens [first, last)
  enum Type { kActor, kCountry, kDemonym, kCapital, kGeneric, kPlace } type = kActor;
  int actor = -1;     // Lexicon actor index
  int country = -1;   // Lexicon country index, resolved
  std::string kind;   // state | rebel | ...
  std::string role;
  std::string name;   // canonical or as written
  bool place_context = false;  // "in Moscow", "the Kremlin talks"
  bool backer = false;         // "Russian-backed": not the country of what follows
  bool broker = false;         // brokered by / mediator
  bool modifier = false;       // a demonym that qualifies a following noun
  bool person = false;         // a surname alone (SurnameMentions): speaks and accuses, never an armed actor
  // A title before a name no dictionary knows ("President Jane Roe"): the
  // generic head spans the name; without a country qualifier it is of the
  // report's main country (ResolveDocumentActors).
  bool titled = false;
  bool generic_alias = false;  // matched by a lower-case alias ("the regime"): LexEntry::generic
  // An actor the report defines and no dictionary knows ("the Xland
  // Liberation Army (XLA)": DocumentAliases); actor is -1, and without a
  // country in its name it is of the report's main country.
  bool doc_actor = false;
  // A demonym or name two countries share ("Congolese"): the other one; the
  // report's weights choose (ResolveDocumentActors).
  int alt_country = -1;
  std::optional<PlaceRes> place;
  bool actor_like() const { return !(type == kPlace) && !(place_context && type != kActor) && !modifier; }
};

// A dictionary entry matched at tokens [first, last) of a sentence.
struct EntityMatch {
  size_t first, last;
  const LexEntry* e;
};

// A cue phrase of data/extract/cues.tsv found in a sentence.
struct CueHit {
  size_t first = 0, last = 0;
  const CueEntry* cue = nullptr;
};

// One sentence with everything the rules read from it.
struct Sent {
  ByteSpan span;
  size_t index = 0;
  bool title = false;
  std::vector<Token> toks;
  std::vector<Mention> ments;
  std::vector<CueHit> cues;
  std::vector<Quantity> qty;
  std::vector<Temporal> tms;
  std::vector<char> in_temporal;
  // Names in a place's position ("near Xville", "shelled Xville") that no
  // gazetteer knows: an event's place only when the sentence has no other
  // (PlaceRes::kind "unknown", no point; the country is the report's).
  std::vector<Mention> unknown_places;
  // Attribution.
  int speaker = -1;          // index into ments, or -2 for a pronoun resolved later
  bool speaker_is_person_pronoun = false;  // -2 from "he"/"she" (else "it"/"they"/"we")
  bool speaker_is_person = false;  // speaker: the affiliation of a person named before an apposition
  size_t attrib_tok = kNone; // token of the attribution cue
  bool attrib_before = true;
  bool starts_with_pronoun = false;
};

std::string Iso3(const Lexicon& lex, int country);
// Whether tokens [from, to) only join the items of a list (commas, "and",
// "or"); false when empty.
bool ListJoins(const Sent& s, size_t from, size_t to);

// The state of one Extract() call. Not shared between threads: each call has
// its own.
struct ArticleReading {
  const Lexicon& lex;
  const WordLists& words;  // lex.words()
  const Gazetteer& gaz;
  const Gazetteer* known = nullptr;  // Extractor::Extract's known places, looked up beside gaz
  std::string_view text;
  time::Days published;
  Extraction x;
  std::vector<Sent> sents;
  std::vector<double> country_weight;   // by country index
  std::vector<double> location_weight;  // places and countries named as locations
  int main_country = -1;
  // The admin area of the main country its places lie in most often
  // (MainAdmin1): the area of an event at a name nobody knows.
  std::string main_admin1;
  void MainAdmin1();
  std::optional<Dateline> dateline;
  std::optional<PlaceRes> dateline_place;
  CharOffsets offsets;
  std::optional<std::chrono::steady_clock::time_point> deadline;  // see Extractor::Extract

  ArticleReading(const Lexicon& l, const Gazetteer& g, std::string_view t, time::Days p)
      : lex(l), words(l.words()), gaz(g), text(t), published(p), offsets(t) {
    country_weight.assign(lex.countries().size(), 0);
    location_weight.assign(lex.countries().size(), 0);
  }

  // Is `w` in one of data/extract/words.tsv's lists?
  static bool In(const WordLists::Set& list, const std::string& w) { return list.count(w) > 0; }

  // ---------------------------------------------------------- the article (reading.cc)
  void Run(const SentenceSplitter& splitter);
  size_t ReadTitleAndDateline();
  bool ReadSentences(const SentenceSplitter& splitter, size_t title_begin);
  void WeighCountries();
  void ChooseMainCountry();
  // Mentions by a generic alias of an actor whose country the report places
  // nothing in become generic actors of the report's main country ("the
  // regime" in a report about Myanmar is not Syria's army); true if any did.
  bool ResolveGenericAliases();
  void ResolveDatelinePlace();
  // Actors the report defines without a country in their name take the
  // report's main country, and a demonym two countries share is the one the
  // report is more about (after ChooseMainCountry).
  void ResolveDocumentActors();

  // Names the report defines (sentence.cc DocumentAliases): "the Xland
  // Liberation Army (XLA)" makes "XLA" stand for that actor in the rest of
  // the report — a dictionary actor when the long name is one, else a new
  // actor named by the long name, which also stands for it when repeated.
  struct DocAlias {
    std::vector<std::string> norms;  // folded tokens: {"xla"}, or the long name's
    Mention proto;
  };
  std::vector<DocAlias> doc_aliases;

  // ---------------------------------------------------------- one sentence (sentence.cc)
  void Analyse(Sent& s);
  std::vector<EntityMatch> MatchDictionary(Sent& s) const;
  static std::vector<EntityMatch> ChooseEntities(Sent& s, std::vector<EntityMatch> ents);
  void AddMentions(Sent& s, const std::vector<EntityMatch>& chosen) const;
  void DocumentAliases(Sent& s);
  // Puts a copy of `proto` at tokens [first, last), replacing the mentions and
  // cues there; not when a longer mention covers the span.
  void PutMention(Sent& s, size_t first, size_t last, const Mention& proto) const;
  void MarkMentionContext(Sent& s) const;
  void MarkBrokers(Sent& s) const;
  void AddGenericActors(Sent& s) const;
  // Weapon nouns the sentence tells were used ("a drone hit X", "X fired
  // two rockets at Y") become act words (event cues) of their types.
  void WeaponActs(Sent& s) const;
  void FindDatesAndNumbers(Sent& s) const;
  void CarryListContext(Sent& s) const;
  void ResolveCapitals(Sent& s) const;
  std::optional<PlaceRes> Resolve(const std::vector<const GazPlace*>& cands, int hint_country) const;
  void FindGazetteerPlaces(Sent& s);
  void FindAttribution(Sent& s);
  void FindSpeaker(Sent& s);
  bool ItsSpokesman(Sent& s, size_t verb, size_t said);
  std::optional<Mention> last_body;  // FindAttribution: the last body named so far
  // People no dictionary knows, named in full before an apposition that says
  // whom they speak for (FindAttribution): their surname (folded) and that
  // affiliation's mention. A later capitalised word that is the surname
  // alone ("Roe said") is a mention of the same affiliation (SurnameMentions).
  std::vector<std::pair<std::string, Mention>> named_persons;
  void SurnameMentions(Sent& s) const;

  // ---------------------------------------------------------- helpers for the rules (reading.cc)
  // The record's source: the sentence, the rule that made the record
  // (tuning.h kRuleNames) and its confidence (Lexicon::Confidence).
  Source SourceOf(const Sent& s, std::string_view rule) const;
  std::string TokText(const Sent& s, size_t a, size_t b) const;
  ActorRef RefOf(const Mention& m) const;
  // Nearest actor-like mention ending at or before `tok`, starting at or after `from`.
  const Mention* ActorBefore(const Sent& s, size_t tok, size_t from, bool armed_only = false) const;
  const Mention* ActorAfter(const Sent& s, size_t tok, size_t max_gap, bool armed_only = false,
                            bool countries_too = false) const;
  bool CueNear(const Sent& s, CueCategory cat, size_t from, size_t to) const;
  bool WordIn(const Sent& s, size_t from, size_t to, std::string_view w) const;
  // The sentence's speaker; a pronoun is the last person quoted ("he said")
  // or the last body quoted ("it said", "they said").
  // The day (or range of days) an undated sentence is about: the last day
  // named (a date of day precision, not after "since", not after
  // publication) in the sentences before it in its paragraph — reports name
  // the day once and narrate on. Null when none.
  const Temporal* CarriedDay(size_t si) const;
  // Whether a blank line (a paragraph's end) lies between sentence si - 1 and si.
  bool ParagraphBreakBefore(size_t si) const;
  // Live reports' entry headings ("MONDAY, AFTERNOON — Two killed") and the
  // day an entry's heading gives (events.cc).
  bool IsHeading(size_t si) const;
  std::vector<std::optional<time::Days>> heading_days;  // by sentence (HeadingDays)
  void HeadingDays();
  std::optional<ActorRef> Speaker(const Sent& s, const ActorRef* last_person, const ActorRef* last_body) const;
  ActorRef Outlet() const;

  // ---------------------------------------------------------- agreements (agreements.cc)
  struct EffectMention {
    std::optional<time::Days> day;
    std::optional<int> minutes;
    bool midnight = false;
    size_t sent = 0;
  };
  struct PartyRef {
    std::string id;  // ISO3 or name
    ActorRef actor;
    bool belligerent = false;  // not named with the deal: the report's belligerent (DocumentDyad)
  };

  AgreementOut main_agreement;
  bool have_main = false;
  // Party ids of every actor the report names as a broker anywhere
  // ("Russian-brokered", "China brokered", "mediator Egypt"): never a party
  // of its deal, wherever else it is named.
  std::vector<std::string> broker_ids;
  bool IsBroker(const std::string& id) const {
    for (const std::string& b : broker_ids) {
      if (b == id) return true;
    }
    return false;
  }
  std::vector<PartyRef> main_parties;
  std::optional<time::Days> agreed_day;
  // The sentence and the verb that dated the deal ("the truce was agreed in
  // Havana on June 9"): where SigningEvent looks for the venue.
  size_t agreed_sent = kNone, agreed_verb = kNone;
  std::optional<time::Days> effective_day;

  // What the sentences give before the main agreement is assembled.
  struct AgreementNotes {
    std::map<std::string, int> type_votes;  // agreement type -> deal nouns
    std::vector<EffectMention> effects;
    std::vector<char> main_sent;  // by sentence: names the current deal
    std::vector<std::pair<size_t, ProvisionOut>> provisions;  // (sentence, provision)
    std::optional<LocationRef> area;
    std::string ends_on;  // the first end the sentences about the deal give
    size_t first_sent = kNone;
    std::vector<AgreementOut> historical;  // past deals named with their parties
    // Recent past deals ("an earlier truce ... on Tuesday"): sentence and noun
    // (RecentDeal).
    std::vector<std::pair<size_t, CueHit>> recent;
  };
  std::optional<AgreementOut> RecentDeal(const Sent& s, const CueHit& noun) const;

  // Deals one side declared alone ("X's unilateral truce", "a truce of its
  // own"): one agreement each, with that side its only party
  // (UnilateralDeclarer); gathered in Agreements, emitted beside the main one.
  struct UnilateralDeal {
    PartyRef party;
    AgreementOut deal;
    std::vector<size_t> sents;  // the sentences that name it
  };
  std::vector<UnilateralDeal> unilateral_deals;
  std::optional<PartyRef> UnilateralDeclarer(const Sent& s, const CueHit& noun) const;
  void AddUnilateralDeal(const Sent& s, size_t si, const CueHit& noun, const PartyRef& party);
  // The day a side's own deal was declared and its entry into force, told as
  // a halt the side would make ("X said its forces would halt all hostilities
  // from 6 p.m."), for the deals UnilateralDeclarer found.
  void DeclaredHalts();
  // The main deal is not emitted: its only named parties declared deals of
  // their own (no bilateral deal is named). Events read no signing from it.
  bool main_withheld = false;

  std::optional<PartyRef> PartyOf(const Mention& m) const;
  static void AddParty(std::vector<PartyRef>* v, const PartyRef& p);
  bool Historical(const Sent& s, const CueHit& noun) const;
  void Agreements();
  std::vector<const CueHit*> DealNouns(const Sent& s, AgreementNotes* n) const;
  void AddHaltDeals(Sent& s) const;
  bool HeadsClauseTo(const Sent& s, const CueHit& noun, size_t verb) const;
  void PartiesOfAgreeVerbs(const Sent& s);
  void PartiesBetween(const Sent& s, const std::vector<const CueHit*>& nouns);
  void PartiesBeforeNoun(const Sent& s, const CueHit& noun);
  void DocumentDyad();
  void EntryIntoForce(const Sent& s, size_t si, const std::vector<const CueHit*>& nouns,
                      std::vector<EffectMention>* effects) const;
  std::string EndOf(const Sent& s, const std::vector<const CueHit*>& nouns) const;
  std::optional<LocationRef> AreaOf(const Sent& s, const std::vector<const CueHit*>& nouns) const;
  std::vector<ProvisionOut> ProvisionsIn(const Sent& s) const;
  std::optional<ProvisionOut> Provision(const Sent& s, const CueHit& c, bool past_deal_here) const;
  static void ProvisionDates(const Sent& s, const CueHit& c, ProvisionOut* pv);
  static void DutyDeadline(const Sent& s, ProvisionOut* pv);
  void RouteAlong(const Sent& s, const CueHit& c, ProvisionOut* pv) const;
  void ZoneSize(const Sent& s, ProvisionOut* pv) const;
  void AssembleMainAgreement(AgreementNotes* notes);
  // Fills the agreement's effective_from from `effects`; returns the day.
  std::optional<time::Days> SetEntryIntoForce(const std::vector<EffectMention>& effects,
                                              std::optional<time::Days> agreed, AgreementOut* agreement) const;

  // ---------------------------------------------------------- claims (claims.cc)
  std::vector<std::vector<const ClaimOut*>> claims_by_sent;
  // Figures told again after a first telling (Claims): not claims of their
  // own, but their sentence's figures still (claims_by_sent points here too).
  std::vector<ClaimOut> repeated_claims;
  // The figure's first token of each of claims_by_sent's claims.
  std::vector<std::vector<size_t>> claim_toks_by_sent;
  void ResolveDefinitePlaces();
  void Claims();
  void ClaimsOfTheActTold();
  std::vector<std::pair<size_t, ClaimOut>> SharesOf(const Sent& s, size_t qi, const ClaimOut& total) const;
  // A "since" phrase's period for one figure (PeriodStart): `from` empty when
  // the phrase names a start the report does not date.
  struct SincePeriod {
    std::string from, to;
  };
  std::optional<SincePeriod> PeriodStart(const Sent& s, const Quantity& q, const std::string& war_start) const;
  std::string WarStart() const;
  bool ClauseBoundary(const Sent& s, size_t k) const;
  std::optional<std::pair<std::string, std::string>> PeriodOf(const Sent& s, const Quantity& q) const;
  const CueHit* FigureCue(const Sent& s, const Quantity& q, bool* active) const;
  std::optional<LocationRef> AreaOf(const Sent& s, const Quantity& q, const CueHit& cue) const;
  std::optional<std::string> CountedFigure(const Sent& s, const Quantity& q, const std::string& kind_before,
                                           CueHit* head, bool* active) const;
  void SubjectAndAgent(const Sent& s, const Quantity& q, const CueHit& c, bool active,
                       const std::optional<ActorRef>& speaker, std::optional<ActorRef>* subject_out,
                       std::optional<ActorRef>* by_out) const;
  void SubjectCountry(const Sent& s, const Quantity& q, const CueHit& c, bool active, const std::optional<ActorRef>& by,
                      std::optional<ActorRef>* subject_out) const;

  // ---------------------------------------------------------- accusations (accusations.cc)
  void Accusations();
  size_t ClauseStart(const Sent& s, size_t tok) const;
  const Mention* SubjectBefore(const Sent& s, size_t verb) const;
  bool ReciprocalAccusation(const Sent& s, const CueHit& c);
  void DenialAccusation(const Sent& s);
  void ViolationAccusation(const Sent& s, const std::optional<ActorRef>& speaker);

  // ---------------------------------------------------------- events (events.cc)
  static LocationRef LocOf(const PlaceRes& p);
  void Events();
  void TakeCasualtiesTold(size_t si, EventOut* e, bool* killed_open, bool* injured_open) const;
  std::vector<const Mention*> PlacesOfEvent(const Sent& s, const CueHit& c) const;
  // nullopt with the reason in *why (EventMiss::reason).
  std::optional<EventOut> EventAt(const Sent& s, size_t si, const CueHit& c, const Mention& place, std::string* why) const;
  // "clashes between X and Y": the two sides, X first (events.cc).
  std::optional<std::pair<const Mention*, const Mention*>> SidesBetween(const Sent& s, const CueHit& c) const;
  // The capitalised words nearest to token `near` that no mention covers (a
  // name the places did not know), "" when there are none.
  std::string UnknownNameNear(const Sent& s, size_t near) const;
  // Whether the figure at token `figure` counts the casualties of the act
  // told by cue `c` (events.cc).
  bool FigureOfAct(const Sent& s, const CueHit& c, size_t figure) const;
  void DistributedShare(const Sent& s, size_t si, const Mention& place, EventOut* e) const;
  // The side the sentence says holds `place` ("X, held by Y", "the Y-held
  // town of X"), nullopt when it does not say.
  std::optional<ActorRef> HolderOf(const Sent& s, const Mention& place) const;
  // Gazetteer candidates for a folded name: the gazetteer's, then the known places'.
  std::vector<const GazPlace*> LookupPlace(std::string_view folded) const;
  std::vector<const GazPlace*> LookupPlaceSkeleton(std::string_view folded) const;
  std::optional<ActorRef> UnnamedTarget(const ActorRef& actor, const LocationRef& where) const;
  // The day of an act told relative to the deal's start ("half an hour before
  // the truce began", "hours after the ceasefire took effect"), nullopt when
  // the sentence tells none or the deal's start is not known.
  std::optional<time::Days> DayOfDealStart(const Sent& s) const;
  std::optional<ActorRef> OtherParty(const ActorRef& actor, bool same_kind) const;
  void SigningEvent();
};

}  // namespace truce::extract
