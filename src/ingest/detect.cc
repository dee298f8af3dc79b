// Which dataset a file holds, from its first bytes: GeoJSON starts with '{';
// GDELT 2.0 has no header and 61 tab-separated columns with a numeric id
// first; ACLED and UCDP GED are CSV with a header naming their columns.
#include <algorithm>

#include "internal.h"
#include "truce/core/strings.h"

namespace truce::ingest::internal {
namespace {

constexpr std::size_t kSniffBytes = 8192;

std::string FirstLineForMessage(std::string_view bytes) {
  std::size_t nl = bytes.find('\n');
  std::string_view line = bytes.substr(0, nl);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return Quote(line);
}

std::string Describe(Format f, const std::string& variant) {
  std::string out = FormatName(f);
  if (!variant.empty() && variant != out) out += " (" + variant + ")";
  return out;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Line ends are CR alone (classic Mac OS, some spreadsheet exports) when a
// CR is followed by anything but LF before the first LF. The tokenizer takes
// a lone CR as text inside a field, so such a file would read as one header
// line and no records: it is refused instead.
bool CrOnlyLineEnds(std::string_view body) {
  // Only the first line is searched for a CR: a search of the whole body
  // scanned every byte of an LF file (19 % of reading a 392 MB file).
  const std::size_t nl = body.find('\n');
  const std::size_t cr = body.substr(0, nl).find('\r');
  if (cr == std::string_view::npos) return false;
  return cr + 1 < body.size() && body[cr + 1] != '\n';
}

}  // namespace

Result<DelimitedPlan> Detect(std::string_view bytes, const std::string& file, Format wanted) {
  if (bytes.substr(0, 2) == "\x1f\x8b") return Status::ParseError(file + ": a gzip-compressed file; unpack it first");
  if (bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4)) {
    return Status::ParseError(file + ": a zip archive; unpack it first");
  }
  if (bytes.substr(0, kSniffBytes).find('\0') != std::string_view::npos) {
    return Status::ParseError(file + ": a binary file (it holds NUL bytes), not CSV, TSV or GeoJSON");
  }
  std::string_view body = bytes;
  if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
  std::size_t first = body.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return Status::ParseError(file + ": the file is empty");

  DelimitedPlan plan;
  std::int64_t header_line = 1;
  if (body[first] != '{' && CrOnlyLineEnds(body)) {
    return Status::RowError(file, 1, "",
                            "line ends are CR alone (classic Mac), which this reader does not split rows at; "
                            "convert them to LF or CRLF first (e.g. tr '\\r' '\\n')");
  }
  if (body[first] == '{') {
    plan.format = Format::kGeoJson;
    plan.variant = "geojson";
    plan.dataset = "geojson";
  } else {
    std::size_t nl = body.find('\n');
    std::string_view line = body.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::size_t tabs = static_cast<std::size_t>(std::count(line.begin(), line.end(), '\t'));
    std::size_t commas = static_cast<std::size_t>(std::count(line.begin(), line.end(), ','));
    if (tabs > 0 && tabs >= commas) {
      std::size_t columns = tabs + 1;
      std::string_view first_field = line.substr(0, line.find('\t'));
      if (columns == GdeltColumns().size() && AllDigits(first_field)) {
        plan.format = Format::kGdelt;
        plan.variant = "gdelt-2.0";
        plan.dataset = "gdelt";
        plan.csv.separator = '\t';
        plan.csv.quoting = false;
        plan.columns = GdeltColumns();
        plan.data_begin = static_cast<std::size_t>(body.data() - bytes.data());
        plan.data_line = 1;
        plan.mapper = MakeGdeltMapper(file);
      } else {
        std::string hint = (columns == 57 || columns == 58) ? " (this looks like GDELT 1.0, which is not supported)" : "";
        return Status::ParseError(file + ": a tab-separated file with " + std::to_string(columns) +
                                  " columns, not GDELT 2.0 events (61 columns, numeric id first, no header)" + hint);
      }
    } else {
      CsvTokenizer tok(bytes);
      CsvRecord header;
      if (!tok.Next(&header)) return Status::ParseError(file + ": the file is empty");
      if (header.issue != CsvIssue::kNone) {
        return Status::RowError(file, header.line, "", std::string("in the header: ") + CsvIssueMessage(header.issue));
      }
      std::vector<std::string> lower;
      for (std::string_view c : header.fields) {
        plan.columns.emplace_back(c);
        lower.push_back(ToLowerAscii(Trim(c)));
      }
      // Readers find columns by name: a name given twice leaves which one
      // holds the data to chance.
      for (std::size_t i = 0; i < lower.size(); ++i) {
        if (lower[i].empty()) continue;
        for (std::size_t j = i + 1; j < lower.size(); ++j) {
          if (lower[j] != lower[i]) continue;
          return Status::RowError(file, header.line, plan.columns[j],
                                  "the header names this column twice: column " + std::to_string(i + 1) + " " +
                                      Quote(plan.columns[i]) + " and column " + std::to_string(j + 1) + " " +
                                      Quote(plan.columns[j]) + "; remove or rename one");
        }
      }
      header_line = header.line;
      plan.csv.separator = ',';
      plan.data_begin = tok.position();
      plan.data_line = tok.line();
      if (LooksLikeAcled(lower)) {
        plan.format = Format::kAcled;
        plan.dataset = "acled";
      } else if (LooksLikeUcdp(lower)) {
        plan.format = Format::kUcdp;
        plan.variant = "ucdp-ged";
        plan.dataset = "ucdp";
      } else if (wanted == Format::kAcled) {
        return Status::ParseError(file + ": not an ACLED file: the header lacks event_id_cnty or event_type: " +
                                  FirstLineForMessage(body));
      } else if (wanted == Format::kUcdp) {
        return Status::ParseError(file + ": not a UCDP GED file: the header names neither type_of_violence nor " +
                                  "two of UCDP's own columns (relid, where_prec, date_prec, best_est, ...): " +
                                  FirstLineForMessage(body));
      } else {
        return Status::ParseError(file +
                                  ": unknown format: the first line is not an ACLED header (event_id_cnty, "
                                  "event_type, ...), a UCDP GED header (id, relid, ..., where_prec, date_prec) or "
                                  "GDELT 2.0 (61 tab-separated columns), and the file is not GeoJSON: " +
                                  FirstLineForMessage(body));
      }
    }
  }
  Status mapper_status;
  if (plan.format == Format::kAcled) {
    auto mapper = MakeAcledMapper(plan.columns, file, &plan.variant);
    if (mapper.ok()) plan.mapper = std::move(mapper).value();
    mapper_status = mapper.status();
  } else if (plan.format == Format::kUcdp) {
    auto mapper = MakeUcdpMapper(plan.columns, file, header_line, &plan.variant);
    if (mapper.ok()) plan.mapper = std::move(mapper).value();
    mapper_status = mapper.status();
  }
  if (wanted != Format::kAuto && wanted != plan.format) {
    return Status::InvalidArgument(file + ": asked to read it as " + FormatName(wanted) + " but it looks like " +
                                   Describe(plan.format, plan.variant));
  }
  TRUCE_RETURN_IF_ERROR(mapper_status);
  return plan;
}

}  // namespace truce::ingest::internal
