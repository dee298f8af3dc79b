// Ingest: dataset files and news articles into the store, one transaction
// per file (Engine::Ingest*, declared in truce/facade/engine.h).
#include <chrono>
#include <climits>
#include <cmath>
#include <filesystem>
#include <string_view>
#include <system_error>

#include "truce/core/utf8.h"
#include "truce/facade/engine.h"

namespace truce {

Result<Engine::IncomingFile> Engine::Incoming(std::string bytes) {
  IncomingFile in;
  in.bytes = std::move(bytes);
  in.hash = ingest::FileHash(in.bytes);
  TRUCE_ASSIGN_OR_RETURN(in.known, store_->FindFile(in.hash));
  return in;
}

Result<IngestResult> Engine::AlreadyIngested(const std::string& path, const store::FileRecord& known) {
  IngestResult result;
  result.path = path;
  result.already_ingested = true;
  result.variant = known.dataset;
  result.records = known.records;
  // Its incidents were stored, but perhaps never ruled (a crash in between).
  TRUCE_ASSIGN_OR_RETURN(result.findings_stale, FindingsStale());
  return result;
}

Status Engine::RecordFile(const std::string& path, const std::string& hash, const IngestResult& result) {
  store::FileRecord file;
  file.file_hash = hash;
  file.path = path;
  file.dataset = result.variant;
  file.records = result.records;
  file.added = result.added;
  file.ingested_at = time::FormatInstantUtc(clock_.Now());
  return store_->PutFile(file);
}

namespace {

// Reading a FIFO or a device waits for a writer or never ends (/dev/zero):
// only regular files are read. Paths the real file system does not know are
// left to FileSystem::ReadFile (in-memory files in tests, NotFound).
Status CheckRegularFile(const std::string& path) {
  std::error_code ec;
  const std::filesystem::file_status st = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(st) || std::filesystem::is_regular_file(st)) return Status::Ok();
  const char* kind = std::filesystem::is_directory(st) ? "a directory" : "not a regular file (a device, FIFO or socket)";
  return Status::InvalidArgument(RepairUtf8(path) + ": " + kind + "; give a dataset file");
}

// The name a file is stored and reported under: valid UTF-8 (JSON and the
// reports carry it), repaired with U+FFFD and a warning when it is not.
std::string StoredName(const std::string& path, std::vector<std::string>* warnings) {
  std::size_t replaced = 0;
  std::string name = RepairUtf8(path, &replaced);
  if (replaced > 0) {
    warnings->push_back(name + ": the file name is not valid UTF-8 (" + DescribeByteAt(path, *FindInvalidUtf8(path)) +
                        "); stored with U+FFFD in its place");
  }
  return name;
}

}  // namespace

Result<bool> Engine::FindingsStale() {
  TRUCE_ASSIGN_OR_RETURN(store::FindingsState st, store_->GetFindingsState());
  return st.stale();
}

Result<IngestResult> Engine::Ingest(const std::string& path, const ingest::ReadOptions& options) {
  TRUCE_RETURN_IF_ERROR(CheckRegularFile(path));
  TRUCE_ASSIGN_OR_RETURN(std::string bytes, fs_.ReadFile(path));
  return IngestBytes(path, std::move(bytes), options);
}

Result<IngestResult> Engine::IngestBytes(const std::string& given_name, std::string content,
                                         const ingest::ReadOptions& options) {
  std::vector<std::string> warnings;
  const std::string path = StoredName(given_name, &warnings);
  TRUCE_ASSIGN_OR_RETURN(IncomingFile in, Incoming(std::move(content)));
  if (in.known) {
    TRUCE_ASSIGN_OR_RETURN(IngestResult known, AlreadyIngested(path, *in.known));
    known.warnings = std::move(warnings);
    return known;
  }
  const std::string& bytes = in.bytes;
  const std::string& file_hash = in.hash;
  IngestResult result;
  result.path = path;
  result.warnings = std::move(warnings);
  ingest::ReadOptions read_options = options;
  read_options.file_hash = file_hash;  // hashed once, here

  // First pass, before the write lock: every row is read and checked, so
  // that a bad file fails without ever blocking another writer, and the
  // lock is held only while storing. Records are counted, not kept: a
  // 400 MB file would need several times that in memory; the second pass
  // reads them again (the reader is fast next to SQLite's inserts).
  std::int64_t checked = 0;
  auto count = [&](ingest::Record&&) -> Status {
    ++checked;
    return Status::Ok();
  };
  ingest::ReadOptions check_options = read_options;
  check_options.progress = nullptr;
  TRUCE_ASSIGN_OR_RETURN(ingest::ReadSummary checked_summary, ingest::Read(bytes, path, check_options, count));
  if (checked == 0 && checked_summary.skipped.empty()) {
    return Status::ParseError(path + ": no records: " +
                              (checked_summary.format == ingest::Format::kGeoJson
                                   ? std::string("the document holds no features")
                                   : std::string("nothing follows the header")) +
                              "; nothing stored");
  }

  TRUCE_ASSIGN_OR_RETURN(store::Transaction tx, store::Transaction::Begin(*store_));
  auto sink = [&](ingest::Record&& rec) -> Status {
    ++result.records;
    TRUCE_ASSIGN_OR_RETURN(auto report_id, store_->InsertSourceRecord(rec.source));
    if (!report_id) {
      ++result.duplicates;
      return Status::Ok();
    }
    rec.incident.record_id = *report_id;
    TRUCE_ASSIGN_OR_RETURN(std::int64_t incident_id, store_->InsertIncident(rec.incident));
    (void)incident_id;
    ++result.added;
    return Status::Ok();
  };
  TRUCE_ASSIGN_OR_RETURN(ingest::ReadSummary summary, ingest::Read(bytes, path, read_options, sink));
  result.variant = summary.variant;
  result.skipped = summary.skipped;
  TRUCE_RETURN_IF_ERROR(RecordFile(path, file_hash, result));
  if (result.added > 0) TRUCE_RETURN_IF_ERROR(store_->MarkFindingsStale());
  // Read inside the transaction (the same answer as after it), so that the
  // caller can say the file is stored as soon as it is.
  TRUCE_ASSIGN_OR_RETURN(result.findings_stale, FindingsStale());
  TRUCE_RETURN_IF_ERROR(tx.Commit());
  return result;
}

// ---------------------------------------------------------------- news reports

namespace {

// An event's date as the extractor gives it: a day, or shortened to a month
// or a year ("2020-03", "2018") when that is all the report says.
std::optional<time::IncidentTime> EventTime(std::string_view date) {
  using namespace std::chrono;
  auto number = [](std::string_view s, int* out) {
    if (s.empty()) return false;
    int v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    *out = v;
    return true;
  };
  time::IncidentTime t;
  if (date.size() == 10) {
    Result<time::Days> d = time::ParseIsoDate(date);
    if (!d.ok()) return std::nullopt;
    t.first_day = t.last_day = *d;
    t.precision = time::TimePrecision::kDay;
    return t;
  }
  int y = 0, m = 0;
  if (date.size() == 7 && date[4] == '-' && number(date.substr(0, 4), &y) && number(date.substr(5, 2), &m) &&
      m >= 1 && m <= 12) {
    year_month ym{year{y}, month{static_cast<unsigned>(m)}};
    t.first_day = sys_days{ym / 1};
    t.last_day = sys_days{ym / last};
    t.precision = time::TimePrecision::kMonth;
    return t;
  }
  if (date.size() == 4 && number(date, &y)) {
    t.first_day = sys_days{year{y} / January / 1};
    t.last_day = sys_days{year{y} / December / 31};
    t.precision = time::TimePrecision::kYear;
    return t;
  }
  return std::nullopt;
}

int ClampedCount(const std::optional<double>& v) {
  if (!v || !std::isfinite(*v) || *v <= 0) return 0;
  return *v >= static_cast<double>(INT_MAX) ? INT_MAX : static_cast<int>(std::llround(*v));
}

model::Claim ClaimFrom(std::int64_t report_id, const extract::ActorRef& claimant, const extract::Source& src) {
  model::Claim c;
  c.record_id = report_id;
  c.claimant_name = claimant.name;
  c.claimant_country = claimant.country;
  c.claimant_kind = claimant.kind;
  c.span_begin = static_cast<std::int64_t>(src.begin);
  c.span_end = static_cast<std::int64_t>(src.end);
  c.sentence = src.sentence;
  c.confidence = src.confidence;
  return c;
}

}  // namespace

Result<IngestResult> Engine::IngestArticle(const std::string& path, time::Days published,
                                           const ArticleOptions& options) {
  TRUCE_RETURN_IF_ERROR(CheckRegularFile(path));
  TRUCE_ASSIGN_OR_RETURN(std::string bytes, fs_.ReadFile(path));
  return IngestArticleBytes(path, std::move(bytes), published, options);
}

Result<IngestResult> Engine::IngestArticleBytes(const std::string& given_name, std::string content,
                                                time::Days published, const ArticleOptions& options) {
  std::vector<std::string> name_warnings;
  const std::string path = StoredName(given_name, &name_warnings);
  TRUCE_ASSIGN_OR_RETURN(IncomingFile in, Incoming(std::move(content)));
  if (in.known) {
    TRUCE_ASSIGN_OR_RETURN(IngestResult known, AlreadyIngested(path, *in.known));
    known.warnings = std::move(name_warnings);
    return known;
  }
  const std::string& bytes = in.bytes;
  const std::string& file_hash = in.hash;
  IngestResult result;
  result.path = path;
  result.variant = "news";
  // Everything that can fail on the input fails here, before the transaction.
  TRUCE_ASSIGN_OR_RETURN(extract::Extraction x, Extract(path, bytes, published, options));
  result.warnings = std::move(name_warnings);
  result.warnings.insert(result.warnings.end(), x.warnings.begin(), x.warnings.end());
  const extract::Extractor* ex = extractor_.get();  // built by Extract
  if (x.sentence_count == 0) return Status::ParseError(path + ": no sentences found; nothing stored");
  result.records = static_cast<std::int64_t>(x.events.size());

  model::SourceRecord report;
  report.dataset = "news";
  report.source_file = path;
  report.file_hash = file_hash;
  report.row = 1;  // the whole file is the one record
  report.raw = bytes;
  report.content_hash = Sha256Hex("news\n" + bytes);

  TRUCE_ASSIGN_OR_RETURN(store::Transaction tx, store::Transaction::Begin(*store_));
  auto store_all = [&]() -> Status {
    TRUCE_ASSIGN_OR_RETURN(std::optional<std::int64_t> report_id, store_->InsertSourceRecord(report));
    for (const extract::EventOut& e : x.events) {
      if (!EventTime(e.date) || !e.location.lat || !e.location.lon) ++result.not_located;
    }
    if (!report_id) {
      ++result.duplicates;
      return Status::Ok();
    }
    const std::string id_prefix = report.content_hash.substr(0, 12) + "#e";
    for (size_t i = 0; i < x.events.size(); ++i) {
      const extract::EventOut& e = x.events[i];
      std::optional<time::IncidentTime> when = EventTime(e.date);
      if (!when || !e.location.lat || !e.location.lon) continue;
      model::Incident in;
      in.record_id = *report_id;
      in.dataset = "news";
      in.source_id = id_prefix + std::to_string(i + 1);
      in.time = *when;
      in.event_type = e.event_type;
      in.sub_event_type = e.sub_event_type;
      if (e.actor1) in.actor1 = e.actor1->name;
      if (e.actor2) in.actor2 = e.actor2->name;
      in.iso3 = e.location.country;
      in.country = ex->CountryName(in.iso3);
      in.admin1 = e.location.admin1;
      in.location = e.location.name;
      in.point = {*e.location.lat, *e.location.lon};
      in.uncertainty_m = options.place_uncertainty_m;
      in.fatalities = ClampedCount(e.fatalities);
      in.source = x.title.empty() ? path : x.title;
      in.notes = e.source.sentence;
      in.span_begin = static_cast<std::int64_t>(e.source.begin);
      in.span_end = static_cast<std::int64_t>(e.source.end);
      TRUCE_ASSIGN_OR_RETURN(std::int64_t incident_id, store_->InsertIncident(in));
      (void)incident_id;
      ++result.added;
    }
    std::vector<model::Claim> claims;
    for (const extract::ClaimOut& c : x.claims) {
      model::Claim m = ClaimFrom(*report_id, c.claimant, c.source);
      m.kind = c.kind;
      m.count = c.count;
      m.qualifier = c.qualifier;
      if (c.subject) {
        m.subject_name = c.subject->name;
        m.subject_country = c.subject->country;
      }
      if (c.by) {
        m.by_name = c.by->name;
        m.by_country = c.by->country;
      }
      m.from_day = c.from;
      m.to_day = c.to;
      claims.push_back(std::move(m));
    }
    for (const extract::VagueFigureOut& v : x.vague_figures) {
      model::Claim m = ClaimFrom(*report_id, v.claimant, v.source);
      m.kind = v.kind;
      m.qualifier = "vague";
      m.text = v.text;
      if (v.subject) {
        m.subject_name = v.subject->name;
        m.subject_country = v.subject->country;
      }
      claims.push_back(std::move(m));
    }
    for (const extract::AccusationOut& a : x.accusations) {
      model::Claim m = ClaimFrom(*report_id, a.accuser, a.source);
      m.kind = "accusation";
      m.by_name = a.accused.name;
      m.by_country = a.accused.country;
      m.text = a.of;
      claims.push_back(std::move(m));
    }
    for (const model::Claim& c : claims) {
      TRUCE_ASSIGN_OR_RETURN(std::int64_t claim_id, store_->InsertClaim(c));
      (void)claim_id;
      ++result.claims;
    }
    TRUCE_RETURN_IF_ERROR(RecordFile(path, file_hash, result));
    if (result.added > 0) TRUCE_RETURN_IF_ERROR(store_->MarkFindingsStale());
    TRUCE_ASSIGN_OR_RETURN(result.findings_stale, FindingsStale());  // read inside: see IngestBytes
    return Status::Ok();
  };
  TRUCE_RETURN_IF_ERROR(store_all());
  TRUCE_RETURN_IF_ERROR(tx.Commit());
  return result;
}

}  // namespace truce
