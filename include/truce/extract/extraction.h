// What extraction finds in one news article: agreements (with provisions),
// events (ACLED types), claims (figures someone states), vague figures and
// accusations, each with the sentence it came from; and the two ways to write
// it out (the JSON of shared/eval/EXTRACTION.md, a draft agreement YAML).
// Plain data; the Extractor (extractor.h) fills it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "truce/core/status.h"

namespace truce::extract {

// An actor as the contract writes it; empty strings print as null.
struct ActorRef {
  std::string name, country, kind;
};

struct LocationRef {
  std::string name, country, admin1;
  std::optional<double> lat, lon;
};

// Where a record came from: the sentence's character (code point) offsets in
// the prepared text, the sentence, the rule that made the record
// ("claims/said-passive"; docs/extraction.md lists them) and that rule's
// confidence in [0, 1]: its precision measured on the dev corpus
// (data/extract/confidence.tsv).
struct Source {
  size_t begin = 0, end = 0;
  std::string sentence;
  std::string rule;
  double confidence = 0.5;
};

struct ProvisionOut {
  std::string type;
  std::string starts_on, deadline, along;
  std::optional<double> width_km, depth_km;
  Source source;
};

struct AgreementOut {
  std::string type;                   // ceasefire | peace_agreement | protocol | other
  std::vector<std::string> parties;   // ISO3 for states, names for non-state parties
  std::vector<ActorRef> party_actors; // as found in the text
  std::optional<LocationRef> area;
  std::string agreed_on, effective_from, ends_on;  // "" = null
  std::vector<ProvisionOut> provisions;
  Source source;
};

struct EventOut {
  std::string date, event_type, sub_event_type;
  std::optional<ActorRef> actor1, actor2;
  LocationRef location;
  std::optional<double> fatalities, injured;
  Source source;
};

struct ClaimOut {
  ActorRef claimant;
  std::string kind;
  double count = 0;
  std::string qualifier;
  std::optional<ActorRef> subject, by;
  std::string from, to;
  // The place the figure is for, as the report writes it ("displaced 5,000 in
  // X"); unset when the figure names none.
  std::optional<LocationRef> area;
  Source source;
};

// A figure stated without a count ("hundreds of thousands have fled"): kept,
// never turned into a number.
struct VagueFigureOut {
  ActorRef claimant;
  std::string kind, text;
  std::optional<ActorRef> subject;
  Source source;
};

struct AccusationOut {
  ActorRef accuser, accused;
  std::string of;
  Source source;
};

// An event word the reading did not turn into an event, and why: "no place
// found for 'Kansafra'", "no date", ... What a reader needs when `events` is
// empty. Not part of EXTRACTION.md's shape (ToJson leaves it out); the API's
// answer adds it as event_notes.
struct EventMiss {
  std::string cue;     // the words of the event ("shelled")
  std::string reason;
  Source source;
};

struct Extraction {
  std::string title, published, dateline, agency;
  std::vector<AgreementOut> agreements;
  std::vector<EventOut> events;
  std::vector<ClaimOut> claims;
  std::vector<VagueFigureOut> vague_figures;
  std::vector<AccusationOut> accusations;
  std::vector<EventMiss> event_misses;
  size_t sentence_count = 0;
  std::vector<std::string> warnings;
  // Extract's deadline passed before the end: the rest is missing, so the
  // caller must not use this as the report's content.
  bool stopped_at_deadline = false;
};

// The JSON of EXTRACTION.md plus spans, sentences, confidences and the vague
// figures; 2-space indented when `pretty`.
std::string ToJson(const Extraction& x, bool pretty);

// A draft agreement YAML (docs/agreement-format.md) from the first agreement:
// the fields the report gives, TODO comments for the rest. NotFound when the
// report describes no agreement.
Result<std::string> AgreementDraftYaml(const Extraction& x, const std::string& source_name);

}  // namespace truce::extract
