// Ingest: dataset files and news articles into the store, one transaction
// per file (Core::Ingest*, declared in core.h).
#include <filesystem>
#include <optional>
#include <set>
#include <string_view>
#include <system_error>

#include "truce/core/utf8.h"
#include "core.h"
#include "truce/ingest/news.h"

namespace truce::facade {
namespace {

// How many bytes of source text an ingest stores at a time, at most (and
// Core::store_batch_rows_ records): bench/pg/README.md.
constexpr std::size_t kStoreBatchBytes = 8 << 20;

}  // namespace

Result<IngestResult> Core::AlreadyIngested(const std::string& path, const store::FileRecord& known) {
  IngestResult result;
  result.path = path;
  result.already_ingested = true;
  result.variant = known.dataset;
  result.records = known.records;
  // Its incidents were stored, but perhaps never ruled (a crash in between).
  TRUCE_ASSIGN_OR_RETURN(result.findings_stale, FindingsStale());
  return result;
}

Status Core::StoreRecords(const std::string& file_hash, IngestResult* result,
                            const std::function<Status(const RecordSink&)>& read) {
  // Bulk: on SQLite alone with the database, through a rollback journal
  // (each new page written once, not into the WAL and again by the
  // checkpoint): Store::BeginBulk.
  TRUCE_ASSIGN_OR_RETURN(store::Transaction tx, store::Transaction::BeginBulk(*store_));
  TRUCE_ASSIGN_OR_RETURN(store::FindingsState start, store_->GetFindingsState());
  // Placed in incidents before the commit; kept as matching reads them, so
  // that a large file's reports are never all in memory.
  FreshReports fresh;
  // Records are stored a batch at a time (Store::InsertSourceRecords,
  // InsertReports): on PostgreSQL a few round trips per batch instead of four
  // per row; the same rows, ids and evidence as one at a time.
  // Slots reused from batch to batch: a record is swapped in, so that the
  // reader gets the buffers of an old one back to fill.
  std::vector<ingest::Record> batch;
  std::size_t used = 0, batch_bytes = 0;
  auto flush = [&]() -> Status {
    if (used == 0) return Status::Ok();
    std::vector<const model::SourceRecord*> sources;
    sources.reserve(used);
    for (std::size_t i = 0; i < used; ++i) sources.push_back(&batch[i].source);
    TRUCE_ASSIGN_OR_RETURN(std::vector<std::optional<std::int64_t>> record_ids,
                           store_->InsertSourceRecords(sources));
    std::vector<model::Report*> reports;
    // Each report's raw record, as just stored: its notes are kept as their
    // place in it where they are there (Store::InsertReports).
    std::vector<std::string_view> raws;
    for (std::size_t i = 0; i < used; ++i) {
      ingest::Record& rec = batch[i];
      if (!record_ids[i]) {  // stored before (or earlier in the file), with what it says
        ++result->duplicates;
        continue;
      }
      auto put = [&](model::Report& incident) {
        incident.record_id = *record_ids[i];
        reports.push_back(&incident);
        raws.push_back(rec.source.raw);
      };
      if (rec.has_incident) put(rec.incident);
      for (model::Report& incident : rec.incidents) put(incident);
    }
    if (!reports.empty()) {
      TRUCE_ASSIGN_OR_RETURN(std::vector<std::int64_t> ids,
                             store_->InsertReports(std::vector<const model::Report*>(reports.begin(), reports.end()),
                                                   raws));
      for (std::size_t k = 0; k < reports.size(); ++k) {
        reports[k]->id = ids[k];
        TRUCE_RETURN_IF_ERROR(AddFresh(*reports[k], &fresh));
        ++result->added;
      }
    }
    // Claims after their records' incidents, as one record at a time stored them.
    for (std::size_t i = 0; i < used; ++i) {
      if (!record_ids[i]) continue;
      for (model::Claim& claim : batch[i].claims) {
        claim.record_id = *record_ids[i];
        TRUCE_ASSIGN_OR_RETURN(std::int64_t claim_id, store_->InsertClaim(claim));
        (void)claim_id;
        ++result->claims;
      }
    }
    for (std::size_t i = 0; i < used; ++i) {
      batch[i].incidents.clear();
      batch[i].claims.clear();
    }
    used = 0;
    batch_bytes = 0;
    return Status::Ok();
  };
  auto sink = [&](ingest::Record&& rec) -> Status {
    batch_bytes += rec.source.raw.size();
    if (used == batch.size()) batch.emplace_back();
    std::swap(batch[used++], rec);
    if (used >= store_batch_rows_ || batch_bytes >= kStoreBatchBytes) return flush();
    return Status::Ok();
  };
  TRUCE_RETURN_IF_ERROR(read(sink));
  TRUCE_RETURN_IF_ERROR(flush());
  std::set<std::int64_t> changed;
  TRUCE_RETURN_IF_ERROR(PlaceNewReports(&fresh, &changed));

  store::FileRecord file;
  file.file_hash = file_hash;
  file.path = result->path;
  file.dataset = result->variant;
  file.records = result->records;
  file.added = result->added;
  file.ingested_at = time::FormatInstantUtc(clock_.Now());
  TRUCE_RETURN_IF_ERROR(store_->PutFile(file));
  if (result->added > 0) TRUCE_RETURN_IF_ERROR(store_->MarkFindingsStale());
  // Read inside the transaction (the same answer as after it), so that the
  // caller can say the file is stored as soon as it is.
  TRUCE_ASSIGN_OR_RETURN(result->findings_stale, FindingsStale());
  TRUCE_ASSIGN_OR_RETURN(std::optional<PendingChanges> pending, Pending(start, changed, {}));
  TRUCE_RETURN_IF_ERROR(tx.Commit());
  pending_ = std::move(pending);
  return Status::Ok();
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

Result<Core::IncomingFile> Core::Incoming(const std::string& given_name, std::string bytes) {
  IncomingFile in;
  in.path = StoredName(given_name, &in.warnings);
  in.bytes = std::move(bytes);
  in.hash = ingest::FileHash(in.bytes);
  TRUCE_ASSIGN_OR_RETURN(std::optional<store::FileRecord> known, store_->FindFile(in.hash));
  if (known) {
    TRUCE_ASSIGN_OR_RETURN(in.already, AlreadyIngested(in.path, *known));
    in.already->warnings = in.warnings;
  }
  return in;
}

Result<bool> Core::FindingsStale() {
  TRUCE_ASSIGN_OR_RETURN(store::FindingsState st, store_->GetFindingsState());
  return st.stale();
}

Result<IngestResult> Core::Ingest(const std::string& path, const ingest::ReadOptions& options) {
  TRUCE_RETURN_IF_ERROR(CheckRegularFile(path));
  TRUCE_ASSIGN_OR_RETURN(std::string bytes, fs_.ReadFile(path));
  return IngestBytes(path, std::move(bytes), options);
}

Result<IngestResult> Core::IngestBytes(const std::string& given_name, std::string content,
                                         const ingest::ReadOptions& options) {
  TRUCE_ASSIGN_OR_RETURN(IncomingFile in, Incoming(given_name, std::move(content)));
  if (in.already) return std::move(*in.already);
  const std::string& path = in.path;
  const std::string& bytes = in.bytes;
  const std::string& file_hash = in.hash;
  IngestResult result;
  result.path = path;
  result.warnings = std::move(in.warnings);
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
  check_options.content_hashes = false;  // only the second pass stores them
  TRUCE_ASSIGN_OR_RETURN(ingest::ReadSummary checked_summary, ingest::Read(bytes, path, check_options, count));
  if (checked == 0 && checked_summary.skipped.empty()) {
    return Status::ParseError(path + ": no records: " +
                              (checked_summary.format == ingest::Format::kGeoJson
                                   ? std::string("the document holds no features")
                                   : std::string("nothing follows the header")) +
                              "; nothing stored");
  }

  TRUCE_RETURN_IF_ERROR(StoreRecords(file_hash, &result, [&](const RecordSink& store) -> Status {
    auto counted = [&](ingest::Record&& rec) -> Status {
      ++result.records;
      return store(std::move(rec));
    };
    TRUCE_ASSIGN_OR_RETURN(ingest::ReadSummary summary, ingest::Read(bytes, path, read_options, counted));
    result.variant = summary.variant;
    for (const ingest::SkippedRow& s : summary.skipped) result.skipped.push_back({s.row, s.message});
    return Status::Ok();
  }));
  return result;
}

// ---------------------------------------------------------------- news reports

Result<IngestResult> Core::IngestArticle(const std::string& path, time::Days published,
                                           const ArticleOptions& options) {
  TRUCE_RETURN_IF_ERROR(CheckRegularFile(path));
  TRUCE_ASSIGN_OR_RETURN(std::string bytes, fs_.ReadFile(path));
  return IngestArticleBytes(path, std::move(bytes), published, options);
}

Result<IngestResult> Core::IngestArticleBytes(const std::string& given_name, std::string content,
                                                time::Days published, const ArticleOptions& options) {
  TRUCE_ASSIGN_OR_RETURN(IncomingFile in, Incoming(given_name, std::move(content)));
  if (in.already) return std::move(*in.already);
  const std::string& path = in.path;
  const std::string& bytes = in.bytes;
  const std::string& file_hash = in.hash;
  IngestResult result;
  result.path = path;
  result.variant = "news";
  // Everything that can fail on the input fails here, before the transaction.
  TRUCE_ASSIGN_OR_RETURN(extract::Extraction x, Extract(path, bytes, published, options));
  result.warnings = std::move(in.warnings);
  result.warnings.insert(result.warnings.end(), x.warnings.begin(), x.warnings.end());
  const extract::Extractor* ex = extractor_.get();  // built by Extract

  // Everything else that can fail on the input fails here too, before the
  // transaction: the reader's one record is held until then.
  ingest::ArticleReadOptions read_options;
  read_options.file_hash = file_hash;
  read_options.place_uncertainty_m = options.place_uncertainty_m;
  read_options.country_name = [ex](std::string_view iso3) { return ex->CountryName(iso3); };
  std::optional<ingest::Record> article;
  TRUCE_ASSIGN_OR_RETURN(ingest::ArticleSummary summary,
                         ingest::ReadArticle(bytes, path, x, read_options, [&](ingest::Record&& rec) {
                           article = std::move(rec);
                           return Status::Ok();
                         }));
  result.records = summary.events;  // a news article counts its events, not its one record
  result.not_located = summary.not_located;
  TRUCE_RETURN_IF_ERROR(StoreRecords(file_hash, &result, [&](const RecordSink& store) {
    return store(std::move(*article));
  }));
  return result;
}

}  // namespace truce::facade
