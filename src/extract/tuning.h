// The numbers the extraction rules are tuned with, in one place (internal to
// src/extract). Confidences are in [0, 1] and written into each record's
// `confidence` (shared/eval/EXTRACTION.md); they rank records, they are not
// calibrated probabilities. Windows count tokens. Changing any of these
// changes the output: rerun bench/extract/same_output.py and the dev corpus.
#pragma once

#include <cstddef>

namespace truce::extract {

// ---- confidences
// Each record carries the name of the rule that made it (Source::rule) and
// that rule's confidence, read from data/extract/confidence.tsv: the rule's
// precision on the dev corpus, (matched + 1) / (records + 2), measured by
// `bench/extract/score_dev.py --calibrate`. A rule the file does not list
// gets (0 + 1) / (0 + 2) = kDefaultConfidence. Every name below may appear in
// the file; any other name there is an error (a typo would silently give the
// default).
inline constexpr double kDefaultConfidence = 0.5;
inline constexpr const char* kRuleNames[] = {
    // The main agreement, by how its parties were found: two or more named in
    // its sentences (agree verbs, "with", "between", "the X-Y truce"); one
    // named; one named and the report's other belligerent; the report's two
    // belligerents only. A past deal named with its parties.
    "agreements/parties-named", "agreements/one-party-named", "agreements/one-named-plus-belligerent",
    "agreements/belligerents", "agreements/past-deal",
    // A deal one side declared alone ("X's unilateral truce", "a truce of
    // its own"): that side its only party.
    "agreements/unilateral", "agreements/recent-past-deal",
    // Provisions, by type (scored as a detail of a matched agreement).
    "provisions/joint_patrol", "provisions/security_corridor", "provisions/demilitarized_zone",
    "provisions/withdrawal", "provisions/prisoner_exchange", "provisions/aid_access", "provisions/monitoring",
    "provisions/other",
    // Events, by how the actor was found ("by X", "Syrian shelling", the
    // nearest armed actor before the act, only a target or victims), at a
    // known place or at a name nobody knows; the signing.
    "events/actor-by", "events/actor-demonym", "events/actor-before", "events/target-only",
    "events/actor-by-unknown-place", "events/actor-demonym-unknown-place", "events/actor-before-unknown-place",
    "events/target-only-unknown-place", "events/signing-talks", "events/signing-venue", "events/signing-named",
    "events/signing-dateline",
    // A clash nobody is named in, in the country of a ceasefire between two
    // parties of that country: between those parties.
    "events/report-parties", "events/report-parties-unknown-place",
    // An act against a party's own side that the party tells of, naming
    // nobody who did it ("X saying a missile strike hit its city"): the other
    // party of the report's two-sided ceasefire.
    "events/other-party-told", "events/other-party-told-unknown-place",
    // Claims, by the claimant (a speaker named in the sentence, a pronoun's
    // last speaker, else the outlet) and the figure's form (the verb first:
    // "killed 5"; the figure first: "5 were killed", "5 deaths").
    "claims/said-active", "claims/said-passive", "claims/pronoun-active", "claims/pronoun-passive",
    "claims/outlet-active", "claims/outlet-passive",
    // A figure that counts acts or violations without a casualty word after
    // it ("40 air strikes", "shelled X 12 times", "put the number of
    // violations at N"), by claimant as above.
    "claims/said-counted", "claims/pronoun-counted", "claims/outlet-counted",
    // Accusations.
    "accusations/accused-active", "accusations/accused-passive", "accusations/blamed-on",
    // "Y called it a violation" with nobody named as breaking the truce: the
    // other party of the report's ceasefire from the accuser's.
    "accusations/violation-other-party",
    "accusations/violation-said", "accusations/reciprocal", "accusations/denied",
};

// A report's two belligerents, when a deal's parties are named nowhere else:
// each named at least this often.
inline constexpr int kDyadMinMentions = 2;
// "the truce was signed": a deal noun at most this many tokens before the
// verb is its subject.
inline constexpr size_t kDealSubjectTokens = 4;

// A gazetteer town in a country the report never names is taken for a
// namesake of an unknown place only when the report names some country at
// least this often (a short text may name none of its countries).
inline constexpr double kNamesakeGuardMinMentions = 3;

// "signed in September 2018 by X and Y": "by" at most this many tokens after
// the verb, and the agents within this many tokens after "by".
inline constexpr size_t kPassiveAgentTokens = 12;

// ---- windows and budgets
// The dateline is looked for in paragraph starts this many bytes after the
// headline at most.
inline constexpr size_t kDatelineSearchBytes = 4000;
// Extract's deadline is checked once every this many sentences (reading the
// clock per sentence costs more than the rules on short sentences).
inline constexpr size_t kDeadlineCheckEverySentences = 64;
// "X said": the speaker ends at most this many tokens before the verb.
inline constexpr size_t kSpeakerBeforeVerbTokens = 5;
// An event cue is negated or wished for by a cue this many tokens before it.
inline constexpr size_t kEventNegationTokens = 6;
// A recent past deal ("an earlier truce ... on Tuesday"): its day at most
// this many days before publication; a party of its own named at most
// kRecentDealPartyTokens from its noun.
inline constexpr int kRecentDealDays = 31;
inline constexpr size_t kRecentDealPartyTokens = 6;

// A deal told without a deal noun ("agreed to halt the heaviest fighting"):
// the war_noun at most this many words after the halt verb.
inline constexpr size_t kHaltObjectTokens = 3;

// The report's main admin area (MainAdmin1): mentions of its places at least.
inline constexpr int kMainAdmin1Mentions = 3;

// The venue of a signing: a place at most this many tokens after the verb
// that dated the deal (events.cc SigningEvent).
inline constexpr size_t kVenueTokens = 14;
// A demonym names an act's actor across at most this many lower-case
// modifiers: "an Israeli air attack" (events.cc).
inline constexpr size_t kActModifierTokens = 2;
// "clashes erupted on Friday between X and Y": "between" at most this many
// tokens after the act word, no clause boundary between (events.cc
// SidesBetween).
inline constexpr size_t kActBetweenTokens = 5;
// "X said it had captured Y": the pronoun is at most this many tokens before
// the act word (events.cc EventAt).
inline constexpr size_t kPronounActTokens = 3;
// "killed four suspected rebels": the people a figure counts start at most
// this many tokens after it (events.cc EventAt: the counted are no actor).
inline constexpr size_t kCountedActorTokens = 3;
// "the Y-held town of X": the holder word is at most this many tokens before
// the place (events.cc HolderOf).
inline constexpr size_t kHolderGapTokens = 3;
// "the Xland Liberation Army (XLA)": the long name is looked for in at most
// this many tokens before "(" (sentence.cc DocumentAliases).
inline constexpr size_t kAcronymNameMaxTokens = 8;
// "Y called the shelling a serious violation": the naming verb is at most
// this many tokens before the violation noun (accusations.cc).
inline constexpr size_t kNamingVerbTokens = 8;
// "X's unilateral Easter truce": the words that mark a deal as declared by
// one side stand at most this many tokens before the deal noun, after its
// possessor (agreements.cc UnilateralDeclarer).
inline constexpr size_t kUnilateralTokens = 4;
// "President Jane Roe": a title's name is at most this many capitalised words
// no dictionary knows (sentence.cc AddGenericActors).
inline constexpr size_t kTitledNameTokens = 3;
// "agreed at talks in X on May 3 between Y and Z": "between" at most this
// many tokens after the talks word (agreements.cc PartiesBetween).
inline constexpr size_t kTalksBetweenTokens = 10;
// "11 people killed in raids on Sunday: nine in X and two in Y": the colon at
// most kShareColonTokens after the total, each share's place at most
// kShareAreaTokens after it (claims.cc SharesOf).
inline constexpr size_t kShareColonTokens = 12;
inline constexpr size_t kShareAreaTokens = 6;
// Entry into force: its day and time follow the effect cue within this many tokens.
inline constexpr size_t kEffectDateTokens = 12;
// "until May 29", "due to expire on Friday, July 19": the day follows "until"
// or the expiry word within this many tokens.
inline constexpr size_t kEndDateTokens = 6;
// "since Feb. 3": the date follows the period cue within this many tokens.
inline constexpr size_t kPeriodDateTokens = 14;
// "since the truce took hold", "since the war began": the deal noun or war
// word within this many tokens after "since".
inline constexpr size_t kSinceStartTokens = 3;
// A heading of a live report ("MONDAY, AFTERNOON — Two killed, X counts
// breaches") is one short sentence: at most this many tokens.
inline constexpr size_t kHeadingTokens = 16;
// "at war since April 15", "the fighting erupted on Sept. 27": the war word
// within this many tokens before the date (WarStart).
inline constexpr size_t kWarStartTokens = 5;
// "four people, children among them, were killed": an aside of at most this
// many words between a figure and its casualty word.
inline constexpr size_t kAsideTokens = 5;
// "killed three people and wounded three others": the second verb at most
// this many words after the first claim's figure phrase.
inline constexpr size_t kCoordinatedTokens = 3;
// "58 Turkish soldiers have been killed": the passive cue follows the figure
// within this many tokens.
inline constexpr size_t kPassiveClaimCueTokens = 12;
// "shelled X 12 times": the act verb is at most this many tokens before the
// figure; "the number of violations ... at N": the count noun or counted word
// at most this many before "at"/"to"/the count verb (claims.cc CountedFigure).
inline constexpr size_t kCountedVerbTokens = 8;
inline constexpr size_t kCountNounTokens = 10;
// "the tally grew to N, among them 40 shellings": a count noun with no kind
// of its own takes a counted act at most this many tokens after the figure.
inline constexpr size_t kCountedAfterTokens = 6;
// "displaced 5,000 people in X": a claim's area is a place at most this many
// tokens after the figure and its word (claims.cc AreaOf).
inline constexpr size_t kClaimAreaTokens = 6;
// "a shell fired from the hills above the town fell on X": a weapon noun's
// strike verb at most this many tokens after it; "fired two rockets at X":
// the fire verb at most kWeaponFireTokens before it and the direction at most
// as many after (sentence.cc WeaponActs).
inline constexpr size_t kWeaponVerbTokens = 12;
inline constexpr size_t kWeaponFireTokens = 3;
// "Its acting military spokesman, Col. X, said": at most this many lower-case
// words between the pronoun and the title (sentence.cc ItsSpokesman).
inline constexpr size_t kItsTitleModifierTokens = 2;
// "in the disputed X area": at most this many lower-case modifiers between a
// locative and a name in a place's position (sentence.cc FindGazetteerPlaces).
inline constexpr size_t kPlaceModifierTokens = 2;

}  // namespace truce::extract
