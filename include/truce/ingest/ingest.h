// Dataset readers: ACLED CSV (every vintage), UCDP GED CSV, GDELT 2.0 event
// files and GeoJSON features, detected from the content. Each record becomes a
// SourceRecord (the row exactly as it came) and an Incident (normalised),
// streamed to a sink so that a large file never sits in memory twice. News
// articles have a reader of their own beside these (news.h).
// Thread-safety: reentrant.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "truce/core/status.h"
#include "truce/model/model.h"

namespace truce::ingest {

enum class Format { kAuto, kAcled, kUcdp, kGdelt, kGeoJson };
const char* FormatName(Format f);
Result<Format> ParseFormat(std::string_view name);  // "auto", "acled", "ucdp", "gdelt", "geojson"

// One source record and what it says, as a reader yields it. A dataset row
// says one thing happened: `incident`. A news article (ReadArticle, news.h)
// may give none or many events a day and a place, and states claims: its
// incidents are in `incidents` (`incident` unused, has_incident false), its
// claims in `claims`. Ids (record_id included) are the store's to set.
struct Record {
  model::SourceRecord source;
  model::Report incident;
  bool has_incident = true;
  std::vector<model::Report> incidents;
  std::vector<model::Claim> claims;
};

struct SkippedRow {
  std::int64_t row = 0;
  std::string message;  // full "file: row N, field 'x': ..." message
};

struct ReadOptions {
  Format format = Format::kAuto;  // DEFAULT: detected from the header / content
  // DEFAULT false: the first bad row stops the read with its error. When true,
  // bad rows are reported in ReadSummary::skipped and the rest are read.
  bool skip_bad_rows = false;
  // Called now and then with bytes consumed so far and the total.
  std::function<void(std::size_t done, std::size_t total)> progress;
  // DEFAULT 0: 2 threads for files over 16 MB on machines with at least 4
  // hardware threads, else 1. The sink is always called on the calling
  // thread, in file order, whatever the number.
  int threads = 0;
  // DEFAULT empty: Read hashes the bytes. A caller that has already hashed
  // them (FileHash, to look the file up) passes the hex digest here and saves
  // a pass; it is trusted as given.
  std::string file_hash;
  // DEFAULT true. False: the rows of a delimited file are read on the calling
  // thread and their SourceRecord::content_hash is left empty (a pass that
  // only checks the rows, as an ingest's first pass does, saves their
  // SHA-256s).
  bool content_hashes = true;
};

struct ReadSummary {
  Format format = Format::kAuto;
  std::string variant;  // "acled-2023", "acled-pre2023", "acled-2016", "ucdp-ged", "ucdp-ged-5", "ucdp-ged-2",
                        // "gdelt-2.0", "geojson"
  std::string file_hash;
  std::int64_t records = 0;
  std::vector<SkippedRow> skipped;
};

// Parses `bytes` (the content of `file`, which names it in messages) and calls
// `sink` for each record in file order. A non-OK status from the sink stops the
// read and is returned.
Result<ReadSummary> Read(std::string_view bytes, const std::string& file, const ReadOptions& options,
                         const std::function<Status(Record&&)>& sink);

// Hex SHA-256 of a whole file, as Read puts in every SourceRecord.
std::string FileHash(std::string_view bytes);

// What each dataset's precision codes mean as an uncertainty radius (metres).
double AcledGeoPrecisionRadiusM(int geo_precision);  // 1: 2 km, 2: 10 km, 3: 50 km
double UcdpWherePrecRadiusM(int where_prec);         // 1: 2 km ... 7: 100 km
double GdeltGeoTypeRadiusM(int geo_type);            // ActionGeo_Type 1: 250 km ... 4: 5 km

}  // namespace truce::ingest
