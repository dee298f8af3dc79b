// News articles as a reader beside the dataset readers: what the extractor
// read in one article becomes one Record, yielded to the same kind of sink as
// Read's. Its source record is the whole article as it came (dataset "news",
// row 1); its incidents are the events the article gives a day and a place
// (none or many); its claims are the figures, vague figures and accusations
// it states, in that order.
// Thread-safety: reentrant.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "truce/core/status.h"
#include "truce/extract/extraction.h"
#include "truce/ingest/ingest.h"

namespace truce::ingest {

struct ArticleReadOptions {
  // Hex SHA-256 of the article's bytes, as FileHash gives it. DEFAULT empty:
  // ReadArticle hashes them.
  std::string file_hash;
  // Radius an incident located at a gazetteer point is given: the place is a
  // town's centre, not where in or around it the event was. DEFAULT: 10 km.
  double place_uncertainty_m = 10'000;
  // The country's name for an ISO3 code (the incident's `country`; empty
  // when unknown). DEFAULT none: no names.
  std::function<std::string(std::string_view iso3)> country_name;
};

struct ArticleSummary {
  std::int64_t events = 0;       // events the extractor found
  std::int64_t not_located = 0;  // of them, without a day or coordinates: no incident
};

// `bytes` is the article as it came, `file` names it (in messages, and as the
// incidents' source when it has no title), `x` what the extractor read in
// the prepared text. Calls `sink` once, with the article's Record; a non-OK
// status from the sink is returned. ParseError when no sentence was found.
Result<ArticleSummary> ReadArticle(std::string_view bytes, const std::string& file, const extract::Extraction& x,
                                   const ArticleReadOptions& options, const std::function<Status(Record&&)>& sink);

}  // namespace truce::ingest
