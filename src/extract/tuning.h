// The numbers the extraction rules are tuned with, in one place (internal to
// src/extract). Confidences are in [0, 1] and written into each record's
// `confidence` (shared/eval/EXTRACTION.md); they rank records, they are not
// calibrated probabilities. Windows count tokens. Changing any of these
// changes the output: rerun bench/extract/same_output.py and the dev corpus.
#pragma once

#include <cstddef>

namespace truce::extract {

// ---- confidences
// The current agreement: a base, raised by what makes it concrete.
inline constexpr double kAgreementBase = 0.5;
inline constexpr double kAgreementTwoPartiesBonus = 0.2;  // two or more parties named
inline constexpr double kAgreementDatedBonus = 0.1;       // the day it was made is known
inline constexpr double kAgreementInForceBonus = 0.1;     // entry into force is known
inline constexpr double kAgreementMax = 0.95;
// A past deal named with its parties ("the 2018 deal between ..."): mentioned
// in passing, so below the current one's base.
inline constexpr double kPastAgreement = 0.4;
// A provision: the cue names its type; dates and sizes may still be missing.
inline constexpr double kProvision = 0.6;
// A claim: a base, raised by a known claimant and a subject with a country.
inline constexpr double kClaimBase = 0.55;
inline constexpr double kClaimSpeakerBonus = 0.2;
inline constexpr double kClaimSubjectCountryBonus = 0.1;
inline constexpr double kClaimMax = 0.9;
// Accusations: an active verb names both sides; a passive one often leaves
// the accuser unknown; "blamed ... on" sits between.
inline constexpr double kAccusationActive = 0.7;
inline constexpr double kAccusationBlamedOn = 0.6;
inline constexpr double kAccusationPassive = 0.45;
// A speaker saying someone violated the truce, without "accuse".
inline constexpr double kAccusationViolation = 0.5;
// An event with a place, a day and at least one named actor.
inline constexpr double kEvent = 0.6;
// The signing, where the talks were held or at the dateline.
inline constexpr double kSigning = 0.6;

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
// Entry into force: its day and time follow the effect cue within this many tokens.
inline constexpr size_t kEffectDateTokens = 12;
// "since Feb. 3": the date follows the period cue within this many tokens.
inline constexpr size_t kPeriodDateTokens = 14;
// "58 Turkish soldiers have been killed": the passive cue follows the figure
// within this many tokens.
inline constexpr size_t kPassiveClaimCueTokens = 12;

}  // namespace truce::extract
