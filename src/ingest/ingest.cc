// Read(): detection, then one pass over the records of a delimited file.
//
// On one thread: the file is hashed first (every Report carries that hash),
// then records are built in small batches whose content hashes are computed
// two at a time, and handed to the sink.
//
// On two threads (files over 16 MB, see ReadOptions::threads), without
// changing what the sink sees: the file is cut into chunks of 256 KB at
// record starts found by counting quotes (a line end after an even number of
// quotes ends a record). While the helper thread hashes the whole file and
// finds the cuts, the calling thread builds the first chunks and then hashes
// the rows of the next ones (found by quote count too, and checked against
// the tokenizer when used). Then both threads build chunks and the calling
// thread hands them to the sink in file order. Each chunk's tokenizer must
// end exactly where the next chunk starts; if a stray quote made the count
// wrong, the rest is read on one thread instead, so the result is always
// that of a sequential read.
#include <array>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <system_error>
#include <thread>

#include "internal.h"
#include "truce/core/env.h"
#include "truce/core/sha256.h"
#include "truce/core/utf8.h"

namespace truce::ingest {

const char* FormatName(Format f) {
  switch (f) {
    case Format::kAuto: return "auto";
    case Format::kAcled: return "acled";
    case Format::kUcdp: return "ucdp";
    case Format::kGdelt: return "gdelt";
    case Format::kGeoJson: return "geojson";
  }
  return "auto";
}

Result<Format> ParseFormat(std::string_view name) {
  for (Format f : {Format::kAuto, Format::kAcled, Format::kUcdp, Format::kGdelt, Format::kGeoJson}) {
    if (name == FormatName(f)) return f;
  }
  return Status::InvalidArgument("unknown format '" + std::string(name) +
                                 "' (expected auto, acled, ucdp, gdelt or geojson)");
}

namespace {

using internal::DelimitedPlan;

// Small chunks keep the Records in flight few and their memory reused (fresh
// pages cost more than parsing); cutting costs little per chunk.
constexpr std::size_t kChunkBytes = std::size_t{256} << 10;
constexpr std::size_t kParallelMinBytes = std::size_t{16} << 20;
constexpr std::size_t kProgressStep = std::size_t{1} << 20;
constexpr std::size_t kHashBlock = std::size_t{1} << 20;
constexpr std::size_t kMaxChunksInFlight = 8;

// Builds Records from tokenized rows: the parts of the work that do not
// depend on the format.
class RowBuilder {
 public:
  RowBuilder(const DelimitedPlan& plan, const std::string& file)
      : plan_(plan), file_(file), prefix_(plan.dataset + "\n") {}

  // Checks and maps one record into *out, all but the content and file
  // hashes. A bad row returns its RowError.
  Status Build(const CsvRecord& rec, Record* out) {
    TRUCE_RETURN_IF_ERROR(Check(rec));
    TRUCE_RETURN_IF_ERROR(plan_.mapper->Map(rec, &out->incident));
    out->incident.dataset.assign(plan_.dataset);
    model::SourceRecord& rep = out->source;
    rep.id = 0;
    rep.dataset.assign(plan_.dataset);
    rep.source_file.assign(file_);
    rep.row = rec.line;
    rep.raw.assign(rec.raw);
    return Status::Ok();
  }

  // "acled\n": what the content hash puts before the raw record.
  const std::string& prefix() const { return prefix_; }

 private:
  std::string ColumnName(int index) const {
    if (index >= 0 && static_cast<std::size_t>(index) < plan_.columns.size()) {
      const std::string& name = plan_.columns[static_cast<std::size_t>(index)];
      if (!name.empty()) return name;
    }
    return Ordinal(static_cast<std::size_t>(index) + 1);
  }

  // "#32" (built by appending: GCC 12 warns falsely about "#" + std::to_string).
  static std::string Ordinal(std::size_t n) {
    std::string out = "#";
    out += std::to_string(n);
    return out;
  }

  Status Check(const CsvRecord& rec) const {
    if (rec.issue != CsvIssue::kNone) return IssueError(rec);
    const std::size_t want = plan_.columns.size();
    if (rec.fields.size() != want) {
      if (rec.fields.size() < want) {
        return Status::RowError(file_, rec.line, ColumnName(static_cast<int>(rec.fields.size())),
                                "missing: the row has " + std::to_string(rec.fields.size()) + " fields, the " +
                                    (plan_.format == Format::kGdelt ? "format" : "header") + " has " +
                                    std::to_string(want));
      }
      return Status::RowError(file_, rec.line, Ordinal(want + 1),
                              "extra field: the row has " + std::to_string(rec.fields.size()) + " fields, the " +
                                  (plan_.format == Format::kGdelt ? "format" : "header") + " has " +
                                  std::to_string(want));
    }
    return Status::Ok();
  }

  // The record's first problem; for bad bytes, which byte and where in the
  // field (the field's text itself may not be printable).
  Status IssueError(const CsvRecord& rec) const {
    std::string msg = CsvIssueMessage(rec.issue);
    const auto f = static_cast<std::size_t>(rec.issue_field);
    if ((rec.issue == CsvIssue::kInvalidUtf8 || rec.issue == CsvIssue::kNulByte) && f < rec.fields.size()) {
      const std::string_view v = rec.fields[f];
      const std::size_t at = FindInvalidUtf8(v);
      if (at < v.size()) msg += " (" + DescribeByteAt(v, at) + " at byte " + std::to_string(at + 1) + " of the field)";
    }
    return Status::RowError(file_, rec.line, ColumnName(rec.issue_field), msg);
  }

  const DelimitedPlan& plan_;
  const std::string& file_;
  const std::string prefix_;
};

// Content digests of raws[i] into out[i], two at a time.
void DigestPairs(const std::string& prefix, const std::vector<std::string_view>& raws,
                 std::vector<std::array<unsigned char, 32>>* out) {
  out->resize(raws.size());
  std::size_t i = 0;
  for (; i + 1 < raws.size(); i += 2) {
    Sha256PrefixedPair(prefix, raws[i], raws[i + 1], (*out)[i].data(), (*out)[i + 1].data());
  }
  if (i < raws.size()) Sha256Prefixed(prefix, raws[i], (*out)[i].data());
}

// Calls progress about every MB of input.
class ProgressMeter {
 public:
  ProgressMeter(const ReadOptions& options, std::size_t total) : options_(options), total_(total) {}
  void At(std::size_t done) {
    if (options_.progress && done >= next_) {
      options_.progress(done, total_);
      next_ = done + kProgressStep;
    }
  }
  void Finish() {
    if (options_.progress) options_.progress(total_, total_);
  }

 private:
  const ReadOptions& options_;
  std::size_t total_;
  std::size_t next_ = kProgressStep;
};

// Reads records from [begin, n) on the calling thread.
Status ReadSequential(std::string_view bytes, std::size_t begin, std::int64_t line, const DelimitedPlan& plan,
                      const std::string& file, const ReadOptions& options, const std::string& file_hash,
                      const std::function<Status(Record&&)>& sink, ReadSummary* summary, ProgressMeter* progress) {
  // Records go out in small batches so that their content hashes can be
  // computed two at a time; a batch's records are reused by the next.
  constexpr std::size_t kBatch = 64;
  RowBuilder builder(plan, file);
  CsvTokenizer tok(bytes, begin, bytes.size(), line, plan.csv);
  CsvRecord rec;
  std::vector<Record> batch(kBatch);
  std::size_t ends[kBatch];
  std::string_view raws[kBatch];
  std::array<unsigned char, 32> digests[kBatch];
  Status stop;
  bool more = true;
  while (more && stop.ok()) {
    std::size_t n = 0;
    while (n < kBatch && (more = tok.Next(&rec))) {
      Status st = builder.Build(rec, &batch[n]);
      if (!st.ok()) {
        if (!options.skip_bad_rows) {
          stop = st;
          break;
        }
        summary->skipped.push_back({rec.line, st.message()});
        continue;
      }
      ends[n++] = tok.position();
    }
    if (options.content_hashes) {
      for (std::size_t i = 0; i < n; ++i) raws[i] = batch[i].source.raw;
      std::size_t i = 0;
      for (; i + 1 < n; i += 2) {
        Sha256PrefixedPair(builder.prefix(), raws[i], raws[i + 1], digests[i].data(), digests[i + 1].data());
      }
      if (i < n) Sha256Prefixed(builder.prefix(), raws[i], digests[i].data());
    }
    for (std::size_t k = 0; k < n; ++k) {
      Record& r = batch[k];
      if (options.content_hashes) {
        Sha256DigestHex(digests[k].data(), &r.source.content_hash);
      } else {
        r.source.content_hash.clear();
      }
      r.source.file_hash.assign(file_hash);
      ++summary->records;
      TRUCE_RETURN_IF_ERROR(sink(std::move(r)));
      progress->At(ends[k]);
    }
  }
  return stop;
}

// ---------------------------------------------------------------- two threads

struct Chunk {
  std::size_t begin = 0, end = 0;  // record starts
  std::int64_t line = 0;           // line of `begin`
  // Content hashes done ahead, with the record each is for (offset, size).
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  std::vector<std::array<unsigned char, 32>> digests;
  bool has_digests = false;
  // The built chunk.
  std::vector<Record> records;
  std::size_t count = 0;               // records[0, count) are this chunk's
  std::vector<std::size_t> ends;       // end offset of each record, for progress
  std::vector<SkippedRow> skipped;
  Status error;                        // the first bad row when not skipping
  std::size_t stop_pos = 0;            // where the tokenizer stopped
  std::int64_t stop_line = 0;
  bool has_file_hash = false;  // records built after the file hash was known carry it
  int builder_thread = 0;
  bool built = false;
};

class ParallelReader {
 public:
  ParallelReader(std::string_view bytes, const DelimitedPlan& plan, const std::string& file,
                 const ReadOptions& options, const std::function<Status(Record&&)>& sink, std::size_t chunk_bytes,
                 bool hold_hash)
      : bytes_(bytes),
        plan_(plan),
        file_(file),
        options_(options),
        sink_(sink),
        chunk_bytes_(chunk_bytes),
        hold_hash_(hold_hash) {
    const std::size_t body = bytes.size() - plan.data_begin;
    const std::size_t n_chunks = (body + chunk_bytes_ - 1) / chunk_bytes_;
    chunks_.resize(std::max<std::size_t>(n_chunks, 1));
    chunks_[0].begin = plan.data_begin;
    chunks_[0].line = plan.data_line;
  }

  Status Run(ReadSummary* summary) {
    ProgressMeter progress(options_, bytes_.size());
    std::thread helper;
    try {
      helper = std::thread([this] { HelperMain(); });
    } catch (const std::system_error&) {
      // No second thread: read it all here.
      summary->file_hash = options_.file_hash.empty() ? Sha256Hex(bytes_) : options_.file_hash;
      Status st = ReadSequential(bytes_, plan_.data_begin, plan_.data_line, plan_, file_, options_, summary->file_hash,
                                 sink_, summary, &progress);
      if (st.ok()) progress.Finish();
      return st;
    }
    Status st = MainLoop(summary, &progress);
    Cancel();
    helper.join();
    if (st.ok()) progress.Finish();
    return st;
  }

 private:
  // Helper: hash the file and cut it into chunks, then build chunks.
  void HelperMain() {
    Sha256Stream hasher;
    const bool compute_hash = options_.file_hash.empty();
    const std::size_t n = bytes_.size();
    // Quotes and newlines counted in [data_begin, counted).
    std::size_t counted = plan_.data_begin, quotes = 0, newlines = 0;
    std::size_t hashed = 0;   // bytes given to the hasher: whole 64-byte blocks
    std::size_t scanned = 0;  // cuts are placed up to here
    std::size_t next_cut = 1;  // chunk whose begin is found next
    std::size_t last_begin = plan_.data_begin;
    while (scanned < n && !cancel_.load(std::memory_order_relaxed)) {
      const std::size_t len = std::min(kHashBlock, (n - hashed) / 64 * 64);
      if (compute_hash) hasher.Blocks(bytes_.data() + hashed, len / 64);
      hashed += len;
      scanned = len < kHashBlock ? n : hashed;  // the partial last block goes to Finish
      // Cuts whose nominal offset is now hashed.
      while (next_cut < chunks_.size() && plan_.data_begin + next_cut * chunk_bytes_ <= scanned) {
        std::size_t nominal = plan_.data_begin + next_cut * chunk_bytes_;
        std::size_t q = 0, nl = 0;
        if (nominal > counted) {
          CountQuotesAndNewlines(bytes_.substr(counted, nominal - counted), &q, &nl);
          quotes += q;
          newlines += nl;
          counted = nominal;
        }
        std::size_t cut = n;
        if (nominal < last_begin) {
          cut = last_begin;  // the previous cut went past this nominal point
        } else if (plan_.csv.quoting) {
          std::size_t skipped_nl = 0;
          cut = NextRecordStart(bytes_, nominal, quotes, &skipped_nl);
        } else {
          std::size_t at = bytes_.find('\n', nominal);
          cut = at == std::string_view::npos ? n : at + 1;
        }
        if (cut > counted) {
          std::size_t q2 = 0, nl2 = 0;
          CountQuotesAndNewlines(bytes_.substr(counted, cut - counted), &q2, &nl2);
          quotes += q2;
          newlines += nl2;
          counted = cut;
        }
        const std::int64_t cut_line = plan_.data_line + static_cast<std::int64_t>(newlines);
        {
          std::lock_guard<std::mutex> lock(mu_);
          chunks_[next_cut - 1].end = cut;
          chunks_[next_cut].begin = cut;
          chunks_[next_cut].line = cut_line;
          cuts_known_ = next_cut;
        }
        cv_.notify_all();
        last_begin = cut;
        ++next_cut;
      }
    }
    std::string hash = options_.file_hash;
    if (compute_hash && !cancel_.load()) {
      unsigned char digest[32];
      hasher.Finish(bytes_.substr(hashed), digest);
      Sha256DigestHex(digest, &hash);
    }
    {
      std::unique_lock<std::mutex> lock(mu_);
      chunks_.back().end = n;
      cuts_known_ = chunks_.size();
      cv_.notify_all();
      // Tests: let the calling thread hash every chunk's records first.
      if (hold_hash_) cv_.wait(lock, [&] { return phase_a_done_ || cancel_.load(); });
      file_hash_ = std::move(hash);
      hash_done_.store(true);
    }
    cv_.notify_all();

    // Build chunks alongside the calling thread.
    RowBuilder builder(plan_, file_);
    for (;;) {
      std::size_t j;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] {
          return cancel_.load() || (claims_open_ && (next_claim_ >= chunks_.size() || next_claim_ > stop_claims_at_ ||
                                                     next_claim_ < delivered_ + kMaxChunksInFlight));
        });
        if (cancel_.load() || next_claim_ >= chunks_.size() || next_claim_ > stop_claims_at_) return;
        j = next_claim_++;
      }
      BuildChunk(j, &builder, kHelper);
    }
  }

  void Cancel() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      cancel_.store(true);
    }
    cv_.notify_all();
  }

  // Records for chunk j, reusing a delivered chunk's Records (and their strings).
  // Records for a chunk, reusing those of a delivered chunk this thread
  // built (their strings keep their capacity, and their memory is in this
  // core's cache).
  std::vector<Record> TakeRecordPool(int thread) {
    std::lock_guard<std::mutex> lock(mu_);
    auto& pool = pools_[thread];
    if (pool.empty()) return {};
    std::vector<Record> v = std::move(pool.back());
    pool.pop_back();
    return v;
  }

  void BuildChunk(std::size_t j, RowBuilder* builder, int thread) {
    Chunk& c = chunks_[j];
    c.builder_thread = thread;
    // Once the file hash is known, records carry it from the start.
    const bool hash_known = hash_done_.load();
    std::vector<Record> records = TakeRecordPool(thread);
    if (records.capacity() == 0) records.reserve(chunk_bytes_ / 128 + 16);
    std::size_t count = 0;
    std::vector<std::size_t> ends;
    std::vector<SkippedRow> skipped;
    Status error;
    CsvTokenizer tok(bytes_, c.begin, c.end, c.line, plan_.csv);
    CsvRecord rec;
    std::size_t next_span = 0;
    std::vector<std::size_t> unhashed;  // records whose content hash is still to do
    while (tok.Next(&rec)) {
      if (cancel_.load(std::memory_order_relaxed)) break;
      if (count == records.size()) records.emplace_back();
      const unsigned char* digest = nullptr;
      if (c.has_digests) {
        while (next_span < c.spans.size() && c.spans[next_span].first < rec.offset) ++next_span;
        if (next_span < c.spans.size() && c.spans[next_span].first == rec.offset &&
            c.spans[next_span].second == rec.raw.size()) {
          digest = c.digests[next_span].data();
        }
      }
      Status st = builder->Build(rec, &records[count]);
      if (hash_known && st.ok()) records[count].source.file_hash.assign(file_hash_);
      if (!st.ok()) {
        if (!options_.skip_bad_rows) {
          error = st;
          break;
        }
        skipped.push_back({rec.line, st.message()});
        continue;
      }
      ends.push_back(tok.position());
      if (digest != nullptr) {
        Sha256DigestHex(digest, &records[count].source.content_hash);
      } else {
        unhashed.push_back(count);
      }
      ++count;
    }
    // The rest, two at a time.
    std::vector<std::string_view> raws;
    raws.reserve(unhashed.size());
    for (std::size_t i : unhashed) raws.push_back(records[i].source.raw);
    std::vector<std::array<unsigned char, 32>> digests;
    DigestPairs(builder->prefix(), raws, &digests);
    for (std::size_t k = 0; k < unhashed.size(); ++k) {
      Sha256DigestHex(digests[k].data(), &records[unhashed[k]].source.content_hash);
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      c.records = std::move(records);
      c.count = count;
      c.ends = std::move(ends);
      c.skipped = std::move(skipped);
      c.error = error;
      c.has_file_hash = hash_known;
      c.stop_pos = tok.position();
      c.stop_line = tok.line();
      c.digests = {};
      c.spans = {};
      c.built = true;
      if (!error.ok()) stop_claims_at_ = std::min(stop_claims_at_, j);
    }
    cv_.notify_all();
  }

  // Content hashes of chunk j's records ahead of building it: the records are
  // found by counting quotes (no tokenizing), so BuildChunk checks each span.
  void DigestChunk(std::size_t j, RowBuilder* builder) {
    Chunk& c = chunks_[j];
    std::vector<std::pair<std::size_t, std::size_t>> spans;
    FindRecordSpans(bytes_, c.begin, c.end, plan_.csv.quoting, &spans);
    std::vector<std::string_view> raws;
    raws.reserve(spans.size());
    for (auto [offset, size] : spans) raws.push_back(bytes_.substr(offset, size));
    std::vector<std::array<unsigned char, 32>> digests;
    DigestPairs(builder->prefix(), raws, &digests);
    std::lock_guard<std::mutex> lock(mu_);
    c.spans = std::move(spans);
    c.digests = std::move(digests);
    c.has_digests = true;
  }

  Status MainLoop(ReadSummary* summary, ProgressMeter* progress) {
    RowBuilder builder(plan_, file_);
    // While the helper hashes the file: build the first chunks, then hash
    // the records of the next ones.
    std::size_t j = 0;
    while (!hash_done_.load() && j < chunks_.size()) {
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return cuts_known_ > j || hash_done_.load(); });
        if (hash_done_.load()) break;
      }
      const bool build = j < kMaxChunksInFlight;
      if (build) {
        BuildChunk(j, &builder, kCaller);
      } else {
        DigestChunk(j, &builder);
      }
      ++j;
      if (build && !chunks_[j - 1].error.ok()) break;
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      phase_a_done_ = true;
    }
    cv_.notify_all();
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return hash_done_.load(); });
      summary->file_hash = file_hash_;
      next_claim_ = std::min(j, kMaxChunksInFlight);
      claims_open_ = true;
    }
    cv_.notify_all();

    for (std::size_t d = 0; d < chunks_.size(); ++d) {
      // Wait for chunk d, building chunks ourselves while we may.
      for (;;) {
        std::size_t claim = chunks_.size();
        {
          std::unique_lock<std::mutex> lock(mu_);
          if (chunks_[d].built) break;
          if (next_claim_ < chunks_.size() && next_claim_ < d + kMaxChunksInFlight && next_claim_ <= stop_claims_at_) {
            claim = next_claim_++;
          } else {
            cv_.wait(lock, [&] { return chunks_[d].built; });
            break;
          }
        }
        BuildChunk(claim, &builder, kCaller);
      }
      Chunk& c = chunks_[d];
      for (std::size_t i = 0; i < c.count; ++i) {
        Record& r = c.records[i];
        if (!c.has_file_hash) r.source.file_hash.assign(summary->file_hash);
        ++summary->records;
        TRUCE_RETURN_IF_ERROR(sink_(std::move(r)));
        progress->At(c.ends[i]);
      }
      for (SkippedRow& s : c.skipped) summary->skipped.push_back(std::move(s));
      if (!c.error.ok()) return c.error;
      const bool last = d + 1 == chunks_.size();
      if (!last && (c.stop_pos != c.end || c.stop_line != chunks_[d + 1].line)) {
        // The quote count misplaced a cut (a stray quote): finish on this thread.
        Cancel();
        return ReadSequential(bytes_, c.stop_pos, c.stop_line, plan_, file_, options_, summary->file_hash, sink_,
                              summary, progress);
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        pools_[c.builder_thread].push_back(std::move(c.records));
        c.records.clear();
        c.ends.clear();
        delivered_ = d + 1;
      }
      cv_.notify_all();
    }
    return Status::Ok();
  }

  std::string_view bytes_;
  const DelimitedPlan& plan_;
  const std::string& file_;
  const ReadOptions& options_;
  const std::function<Status(Record&&)>& sink_;
  const std::size_t chunk_bytes_;
  const bool hold_hash_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Chunk> chunks_;
  std::size_t cuts_known_ = 0;  // chunks_[0..cuts_known_] have their begin
  std::atomic<bool> hash_done_{false};
  std::atomic<bool> cancel_{false};
  std::string file_hash_;
  bool phase_a_done_ = false;   // the calling thread stopped working ahead of the hash
  bool claims_open_ = false;    // set once the calling thread has set next_claim_
  std::size_t next_claim_ = 0;  // next chunk to build (after the hash)
  std::size_t delivered_ = 0;
  std::size_t stop_claims_at_ = static_cast<std::size_t>(-1);  // a chunk with an error: build none after it
  static constexpr int kCaller = 0, kHelper = 1;
  std::vector<std::vector<Record>> pools_[2];
};

}  // namespace

namespace internal {

Result<ReadSummary> ReadWithChunkBytes(std::string_view bytes, const std::string& file, const ReadOptions& options,
                                       const std::function<Status(Record&&)>& sink, std::size_t chunk_bytes,
                                       bool hold_hash) {
  if (bytes.empty()) return Status::ParseError(file + ": the file is empty");
  TRUCE_ASSIGN_OR_RETURN(DelimitedPlan plan, Detect(bytes, file, options.format));
  const auto file_hash = [&] { return options.file_hash.empty() ? Sha256Hex(bytes) : options.file_hash; };
  if (plan.format == Format::kGeoJson) return ReadGeoJson(bytes, file, options, sink, file_hash());
  ReadSummary summary;
  summary.format = plan.format;
  summary.variant = plan.variant;

  int threads = options.threads;
  if (threads <= 0) {
    // Two threads pay only where two cores are really there: with fewer than
    // four hardware threads they are often one core's two hyperthreads (or a
    // VM's two vCPUs on one), and the second thread only adds work.
    threads = bytes.size() >= kParallelMinBytes && std::thread::hardware_concurrency() >= 4 ? 2 : 1;
  }
  if (!options.content_hashes) threads = 1;  // the second thread's work is mostly the row hashes
  if (threads >= 2 && chunk_bytes > 0 && bytes.size() > plan.data_begin + chunk_bytes) {
    ParallelReader reader(bytes, plan, file, options, sink, chunk_bytes, hold_hash);
    TRUCE_RETURN_IF_ERROR(reader.Run(&summary));
    return summary;
  }
  summary.file_hash = file_hash();
  ProgressMeter progress(options, bytes.size());
  TRUCE_RETURN_IF_ERROR(ReadSequential(bytes, plan.data_begin, plan.data_line, plan, file, options, summary.file_hash,
                                       sink, &summary, &progress));
  progress.Finish();
  return summary;
}

}  // namespace internal

std::string FileHash(std::string_view bytes) { return Sha256Hex(bytes); }

Result<ReadSummary> Read(std::string_view bytes, const std::string& file, const ReadOptions& options,
                         const std::function<Status(Record&&)>& sink) {
  return internal::ReadWithChunkBytes(bytes, file, options, sink, kChunkBytes, false);
}

}  // namespace truce::ingest
