// What the readers share inside the ingest module: the row mapper interface,
// format detection, and small parsing helpers tuned for the hot path.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "truce/core/status.h"
#include "csv.h"
#include "truce/ingest/ingest.h"
#include "truce/model/model.h"

namespace truce::ingest::internal {

// Turns one tokenized row into an Incident. Map() is const and must be safe
// to call from several threads at once.
class RowMapper {
 public:
  virtual ~RowMapper() = default;
  // Fills every field of *incident (which may hold a previous row's values;
  // strings are reassigned to reuse their capacity). Returns a RowError
  // naming the field on bad input.
  virtual Status Map(const CsvRecord& record, model::Report* incident) const = 0;
};

// What detection found for a delimited (CSV/TSV) file.
struct DelimitedPlan {
  Format format = Format::kAuto;
  std::string variant;
  std::string dataset;  // "acled", "ucdp", "gdelt"
  CsvOptions csv;
  std::vector<std::string> columns;  // names of the columns, in order
  std::size_t data_begin = 0;        // offset of the first data record
  std::int64_t data_line = 1;        // its line
  std::unique_ptr<RowMapper> mapper;
};

// Detection: format and variant from the first bytes. GeoJSON returns a plan
// with format kGeoJson and no mapper.
Result<DelimitedPlan> Detect(std::string_view bytes, const std::string& file, Format wanted);

// Per-format mapper factories, given the header (or the fixed column list).
Result<std::unique_ptr<RowMapper>> MakeAcledMapper(const std::vector<std::string>& columns, const std::string& file,
                                                   std::string* variant);
// UCDP: the variant from the layout (ucdp-ged, ucdp-ged-5, ucdp-ged-2); a
// missing column is an error at `header_line`.
Result<std::unique_ptr<RowMapper>> MakeUcdpMapper(const std::vector<std::string>& columns, const std::string& file,
                                                  std::int64_t header_line, std::string* variant);
std::unique_ptr<RowMapper> MakeGdeltMapper(const std::string& file);
const std::vector<std::string>& GdeltColumns();

bool LooksLikeAcled(const std::vector<std::string>& lower_columns);
bool LooksLikeUcdp(const std::vector<std::string>& lower_columns);

// Reads a GeoJSON document (features are records).
Result<ReadSummary> ReadGeoJson(std::string_view bytes, const std::string& file, const ReadOptions& options,
                                const std::function<Status(Record&&)>& sink, const std::string& file_hash);

// Read() with the chunk size of the two-thread reader chosen (tests use tiny
// chunks); options.threads >= 2 reads on two threads whatever the size.
// hold_hash makes the file hash wait until the calling thread has hashed the
// records of every chunk ahead, so that tests cover that path.
Result<ReadSummary> ReadWithChunkBytes(std::string_view bytes, const std::string& file, const ReadOptions& options,
                                       const std::function<Status(Record&&)>& sink, std::size_t chunk_bytes,
                                       bool hold_hash = false);

// ---------------------------------------------------------------- helpers

// Clears every field of an incident, keeping string capacity.
void ResetIncident(model::Report* incident);

// Assigns s with surrounding spaces trimmed.
inline void AssignTrimmed(std::string* out, std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r')) --e;
  out->assign(s.data() + b, e - b);
}

std::string_view TrimView(std::string_view s);

// A non-negative whole number: "12", also "12.0" as pandas writes a column
// that had missing values. nullopt otherwise (empty included).
std::optional<long long> ParseCount(std::string_view s);
// A decimal number (no hex, no inf/nan). nullopt otherwise (empty included).
std::optional<double> ParseNumber(std::string_view s);

// Civil date from the forms ACLED files carry: "2019-12-31",
// "01 November 2024", "31-12-19" (DD-MM-YY), "5-Aug-24" (D-Mon-YY).
// Two-digit years: 00-69 -> 20xx, 70-99 -> 19xx.
std::optional<time::Days> ParseAcledDate(std::string_view s);
// "2020-03-05" or "2020-03-05 00:00:00.000" (UCDP): the date part. A time
// that follows must be a valid time of day (HH:MM[:SS[.fff]]), else nullopt.
std::optional<time::Days> ParseIsoDatePrefix(std::string_view s);
// "20200305".
std::optional<time::Days> ParseYyyymmdd(std::string_view s);

// "file: row N, field 'x': msg" with a value quoted and cut to 60 bytes.
Status FieldError(const std::string& file, std::int64_t row, std::string_view field, const std::string& what,
                  std::string_view value);
std::string Quote(std::string_view value);

// A source record's content hash, the one formula for every reader: SHA-256
// of dataset + "\n" + raw, as hex into *out (reusing its capacity). `prefix`
// is dataset + "\n". (Rows hashed in bulk use Sha256PrefixedPair with the
// same prefix.)
void ContentHash(std::string_view prefix, std::string_view raw, std::string* out);

// Index of `name` among lower-cased header names, or -1.
int Find(const std::vector<std::string>& lower, std::string_view name);

}  // namespace truce::ingest::internal
