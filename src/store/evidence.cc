#include "evidence.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "schema.h"
#include "truce/core/env.h"
#include "truce/core/sha256.h"
#include "truce/core/strings.h"
#include "truce/time/time.h"

namespace truce::store {

std::string EvidenceEntryText(const EvidenceEntry& e) {
  // The subject is free text (a path may hold anything): one line, and the
  // escape character escaped too, so that two subjects never print alike.
  std::string subject;
  for (unsigned char c : e.subject) {
    if (c < 0x20 || c == 0x7f || c == '\\') {
      static const char* kHex = "0123456789abcdef";
      subject += "\\x";
      subject += kHex[c >> 4];
      subject += kHex[c & 15];
    } else {
      subject += static_cast<char>(c);
    }
  }
  std::string t;
  t.reserve(256 + subject.size());
  t += "truce-evidence 1\n";
  t += "seq " + std::to_string(e.seq) + "\n";
  t += "time " + e.recorded_at + "\n";
  t += "kind " + e.kind + "\n";
  t += "subject " + subject + "\n";
  t += "payload " + e.payload_sha256 + "\n";
  t += "prev " + e.prev_sha256 + "\n";
  return t;
}

namespace evidence {
namespace {

using sql::Db;
using sql::ScopedReset;
using sql::Stmt;

// ---------------------------------------------------------------- formats

// The columns each covered table contributes, in this order. Fixed here
// rather than `SELECT *`, so that a later migration adding a column does not
// change the text of rows recorded before it. Frozen like the entry text:
// where a later migration stores a value elsewhere, `columns` reads it back
// under its frozen name (an expression `AS name`) with the same value and
// type, and `genesis_columns` are the plain columns of schema version 4,
// which the genesis entry (written by migration 4, before any later
// migration) reads.
struct TableSpec {
  const char* table;
  const char* columns;
  const char* suffix;  // a part's file name after "SEQ."
  const char* genesis_columns = nullptr;  // when they differ from `columns`
  const char* GenesisColumns() const { return genesis_columns != nullptr ? genesis_columns : columns; }
};
// Schema version 9: a report's file path and hash are in `source_files`;
// version 10: an incident's notes may be a place in its report's raw record
// (TRUCE_INCIDENT_NOTES_SQL, schema.h); version 11: its repeated text values
// may be in incident_texts (TRUCE_INCIDENT_TEXT_SQL).
#define TRUCE_REPORT_FILE(column) \
  "(SELECT sf." column " FROM source_files AS sf WHERE sf.id = reports.source_file_id)"
constexpr std::array<TableSpec, 4> kRowTables = {{
    {"files", "id, file_hash, path, dataset, records, added, ingested_at", "files.txt"},
    {"reports",
     "id, dataset, " TRUCE_REPORT_FILE("path") " AS source_file, " TRUCE_REPORT_FILE("file_hash") " AS file_hash, "
     "file_row, raw, content_hash",
     "reports.txt", "id, dataset, source_file, file_hash, file_row, raw, content_hash"},
    {"incidents",
     "id, report_id, dataset, source_id, first_day, last_day, date_precision, exact_utc, "
     TRUCE_INCIDENT_TEXT_AS("incidents", "event_type") ", " TRUCE_INCIDENT_TEXT_AS("incidents", "sub_event_type")
     ", native_code, " TRUCE_INCIDENT_TEXT_AS("incidents", "actor1") ", "
     TRUCE_INCIDENT_TEXT_AS("incidents", "assoc_actor1") ", " TRUCE_INCIDENT_TEXT_AS("incidents", "actor2") ", "
     TRUCE_INCIDENT_TEXT_AS("incidents", "assoc_actor2") ", " TRUCE_INCIDENT_TEXT_AS("incidents", "country")
     ", iso3, " TRUCE_INCIDENT_TEXT_AS("incidents", "admin1") ", " TRUCE_INCIDENT_TEXT_AS("incidents", "admin2")
     ", " TRUCE_INCIDENT_TEXT_AS("incidents", "admin3") ", " TRUCE_INCIDENT_TEXT_AS("incidents", "location")
     ", lat_deg, lon_deg, uncertainty_m, geo_precision, time_precision, track, fatalities, "
     "fatalities_low, fatalities_high, " TRUCE_INCIDENT_TEXT_AS("incidents", "source") ", "
     TRUCE_INCIDENT_NOTES_SQL("incidents") " AS notes, span_begin, span_end",
     "incidents.txt",
     "id, report_id, dataset, source_id, first_day, last_day, date_precision, exact_utc, event_type, "
     "sub_event_type, native_code, actor1, assoc_actor1, actor2, assoc_actor2, country, iso3, admin1, admin2, "
     "admin3, location, lat_deg, lon_deg, uncertainty_m, geo_precision, time_precision, track, fatalities, "
     "fatalities_low, fatalities_high, source, notes, span_begin, span_end"},
    {"claims",
     "id, report_id, kind, count, qualifier, claimant_name, claimant_country, claimant_kind, subject_name, "
     "subject_country, by_name, by_country, from_day, to_day, area, text, span_begin, span_end, sentence, "
     "confidence",
     "claims.txt"},
}};
// Analysts' decisions (schema version 6): covered by id like the rows
// above, an entry each; not in kRowTables, which the genesis entry (schema
// version 4, before this table exists) and the ingest batches walk.
constexpr TableSpec kDecisionTable = {"match_overrides", "id, kind, report_a, report_b, analyst, decided_at, note",
                                      "decision.txt"};
constexpr const char* kAgreementColumns = "id, title, source_file, content_hash, added_at";
constexpr const char* kAgreementFileColumns = "agreement_id, ord, path, contents";
constexpr const char* kTokenColumns = "id, name, role, token_hash, created_at, revoked_at";

// Parts whose rows a later write replaces: the latest part for a (tbl,
// selector) is checked against the rows, earlier ones by their kept text.
bool Versioned(const std::string& tbl) { return tbl == "agreements" || tbl == "tokens"; }

const TableSpec* RowTableSpec(const std::string& tbl) {
  for (const TableSpec& t : kRowTables) {
    if (tbl == t.table) return &t;
  }
  if (tbl == kDecisionTable.table) return &kDecisionTable;
  return nullptr;
}

std::string NowUtc() {
  return time::FormatInstantUtc(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

std::string Seq8(std::int64_t seq) {
  std::string s = std::to_string(seq);
  return s.size() < 8 ? std::string(8 - s.size(), '0') + s : s;
}

}  // namespace

// Recorder::Pending holds PartBuilders, so they and their Ranges have names
// outside the anonymous namespace (a unity build would otherwise warn:
// -Wsubobject-linkage).

// Id ranges in the order rows were added: "1-100,120".
struct Ranges {
  std::vector<std::pair<std::int64_t, std::int64_t>> v;
  void Add(std::int64_t id) {
    if (!v.empty() && v.back().second + 1 == id) {
      v.back().second = id;
    } else {
      v.emplace_back(id, id);
    }
  }
  std::int64_t Count() const {
    std::int64_t n = 0;
    for (const auto& [a, b] : v) n += b - a + 1;
    return n;
  }
  std::string Text() const {
    std::string t;
    for (const auto& [a, b] : v) {
      if (!t.empty()) t += ',';
      t += std::to_string(a);
      if (b != a) t += '-' + std::to_string(b);
    }
    return t;
  }
  static std::optional<Ranges> Parse(std::string_view text) {
    Ranges r;
    auto number = [](std::string_view s, std::int64_t* out) {
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
      return ec == std::errc() && p == s.data() + s.size() && !s.empty();
    };
    while (!text.empty()) {
      size_t comma = text.find(',');
      std::string_view item = text.substr(0, comma);
      text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
      size_t dash = item.find('-');
      std::int64_t a = 0, b = 0;
      if (!number(item.substr(0, dash), &a)) return std::nullopt;
      b = a;
      if (dash != std::string_view::npos && !number(item.substr(dash + 1), &b)) return std::nullopt;
      if (b < a) return std::nullopt;
      r.v.emplace_back(a, b);
    }
    return r;
  }
};

// One part being built: its rows' text hashed as they come.
struct PartBuilder {
  std::string tbl, selector;
  std::int64_t rows = 0;
  Sha256Hasher sha;
  std::string locators;
  std::string text;  // kept only for versioned parts
  bool keep_text = false;
  Ranges ranges;

  void AddRow(std::string_view row_text) {
    sha.Update(row_text);
    AppendLocator(&locators, row_text);
    ++rows;
    if (keep_text) text.append(row_text);
  }
};

namespace {

std::string RowSelectSql(const TableSpec& t) {
  return std::string("SELECT ") + t.columns + " FROM " + t.table + " WHERE id = ?";
}
std::string RangeSelectSql(const TableSpec& t) {
  return std::string("SELECT ") + t.columns + " FROM " + t.table + " WHERE id BETWEEN ? AND ? ORDER BY id";
}

// The text of one agreement as stored now (its row, then its files by ord);
// false when there is no such agreement.
Result<bool> AgreementText(Db& db, const std::string& id, std::string* row, PartBuilder* part) {
  const char* what = "recording an agreement in the evidence log";
  TRUCE_ASSIGN_OR_RETURN(Stmt* a, db.Cached(std::string("SELECT ") + kAgreementColumns +
                                                " FROM agreements WHERE id = ?",
                                            what));
  {
    ScopedReset reset(a);
    a->Bind(1, id);
    TRUCE_ASSIGN_OR_RETURN(bool found, a->Step(what));
    if (!found) return false;
    row->clear();
    AppendRow(row, "agreements", *a);
    part->AddRow(*row);
  }
  TRUCE_ASSIGN_OR_RETURN(Stmt* f, db.Cached(std::string("SELECT ") + kAgreementFileColumns +
                                                " FROM agreement_files WHERE agreement_id = ? ORDER BY ord",
                                            what));
  ScopedReset reset(f);
  f->Bind(1, id);
  for (;;) {
    TRUCE_ASSIGN_OR_RETURN(bool more, f->Step(what));
    if (!more) return true;
    row->clear();
    AppendRow(row, "agreement_files", *f);
    part->AddRow(*row);
  }
}

Result<bool> TokenText(Db& db, std::int64_t id, std::string* row, PartBuilder* part) {
  const char* what = "recording a token in the evidence log";
  TRUCE_ASSIGN_OR_RETURN(Stmt* t, db.Cached(std::string("SELECT ") + kTokenColumns + " FROM tokens WHERE id = ?",
                                            what));
  ScopedReset reset(t);
  t->Bind(1, id);
  TRUCE_ASSIGN_OR_RETURN(bool found, t->Step(what));
  if (!found) return false;
  row->clear();
  AppendRow(row, "tokens", *t);
  part->AddRow(*row);
  return true;
}

// A parsed row text, to name the field that changed in a versioned part.
struct ParsedRow {
  std::string table;
  std::vector<std::pair<std::string, std::string>> fields;  // (name, "TYPE VALUE")
};

std::vector<ParsedRow> ParseRows(std::string_view text) {
  std::vector<ParsedRow> rows;
  size_t i = 0;
  while (i < text.size()) {
    size_t eol = text.find('\n', i);
    if (eol == std::string_view::npos) break;
    std::string_view line = text.substr(i, eol - i);
    if (line.rfind("# ", 0) == 0) {
      rows.push_back({std::string(line.substr(2)), {}});
      i = eol + 1;
      continue;
    }
    if (rows.empty()) break;
    size_t sp = line.find(' ');
    if (sp == std::string_view::npos) break;
    std::string name(line.substr(0, sp));
    size_t type_at = i + sp + 1;
    if (type_at >= text.size()) break;
    char type = text[type_at];
    if (type == 'n') {
      rows.back().fields.emplace_back(name, "n");
      i = type_at + 2;
      continue;
    }
    // TYPE LEN ' ' VALUE '\n': the value may hold newlines; its length says where it ends.
    size_t len_end = text.find(' ', type_at + 1);
    if (len_end == std::string_view::npos) break;
    std::int64_t len = 0;
    std::string_view digits = text.substr(type_at + 1, len_end - type_at - 1);
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), len);
    if (ec != std::errc() || len < 0 || len_end + 1 + static_cast<size_t>(len) > text.size()) break;
    rows.back().fields.emplace_back(name, std::string(1, type) + " " +
                                              std::string(text.substr(len_end + 1, static_cast<size_t>(len))));
    i = len_end + 1 + static_cast<size_t>(len) + 1;
  }
  return rows;
}

// The locators of a part's kept text, row by row (each row starts at a
// "# TABLE" line that ParseRows found).
Result<std::pair<std::int64_t, std::string>> LocatorsOf(std::string_view text) {
  std::vector<size_t> starts;
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 2, "# ") != 0) return Status::DatabaseError("unreadable row text");
    starts.push_back(i);
    size_t eol = text.find('\n', i);
    if (eol == std::string_view::npos) return Status::DatabaseError("unreadable row text");
    i = eol + 1;
    // Skip the fields: "NAME n" or "NAME TLEN VALUE" (the value may hold line breaks).
    while (i < text.size() && text.compare(i, 2, "# ") != 0) {
      size_t sp = text.find(' ', i);
      if (sp == std::string_view::npos || sp + 1 >= text.size()) return Status::DatabaseError("unreadable row text");
      if (text[sp + 1] == 'n') {
        i = sp + 3;
        continue;
      }
      size_t len_end = text.find(' ', sp + 2);
      if (len_end == std::string_view::npos) return Status::DatabaseError("unreadable row text");
      std::int64_t len = 0;
      auto [p, ec] = std::from_chars(text.data() + sp + 2, text.data() + len_end, len);
      if (ec != std::errc() || p != text.data() + len_end || len < 0) {
        return Status::DatabaseError("unreadable row text");
      }
      i = len_end + 1 + static_cast<size_t>(len) + 1;
    }
  }
  std::string locators;
  for (size_t k = 0; k < starts.size(); ++k) {
    size_t end = k + 1 < starts.size() ? starts[k + 1] : text.size();
    AppendLocator(&locators, text.substr(starts[k], end - starts[k]));
  }
  return std::make_pair(static_cast<std::int64_t>(starts.size()), std::move(locators));
}

std::string RowName(const ParsedRow& r) {
  std::string name = r.table + " row";
  for (const auto& [field, value] : r.fields) {
    if (field == "id" || field == "ord") name += " " + field + " " + value.substr(std::min<size_t>(2, value.size()));
  }
  return name;
}

// "tokens row id 3: revoked_at differs", naming the first difference between
// the text recorded and the text recomputed from the rows now.
std::string FirstDifference(std::string_view recorded, std::string_view now) {
  std::vector<ParsedRow> a = ParseRows(recorded), b = ParseRows(now);
  for (size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    if (i >= b.size()) return RowName(a[i]) + " is gone (deleted after it was recorded)";
    if (i >= a.size()) return RowName(b[i]) + " was added after the entry";
    if (a[i].table != b[i].table) return RowName(a[i]) + " is now " + RowName(b[i]);
    for (size_t k = 0; k < std::max(a[i].fields.size(), b[i].fields.size()); ++k) {
      if (k >= a[i].fields.size() || k >= b[i].fields.size() || a[i].fields[k] != b[i].fields[k]) {
        const std::string& field = k < a[i].fields.size() ? a[i].fields[k].first : b[i].fields[k].first;
        return RowName(a[i]) + ": " + field + " differs from what was recorded";
      }
    }
  }
  return "the rows' text differs from what was recorded";
}

// A read snapshot for Verify and ForEach, unless the caller has a transaction.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(Db& db) : db_(db), own_(!db.InTransaction()) {
    if (own_) status_ = db_.BeginRead("reading the evidence log");
  }
  ~ReadSnapshot() {
    if (own_ && db_.InTransaction()) (void)db_.Exec("ROLLBACK", "ending a read of the evidence log");
  }
  const Status& status() const { return status_; }

 private:
  Db& db_;
  bool own_;
  Status status_;
};

struct StoredPart {
  std::int64_t seq = 0;
  std::string name, tbl, selector;
  std::int64_t row_count = 0;
  std::string sha256, locators;
  std::optional<std::string> content;
};

Result<std::vector<EvidenceEntry>> LoadEntries(Db& db) {
  const char* what = "reading the evidence log";
  TRUCE_ASSIGN_OR_RETURN(Stmt s, db.Prepare("SELECT seq, recorded_at, kind, subject, payload_sha256, prev_sha256, "
                                            "entry_sha256 FROM evidence ORDER BY seq",
                                            what));
  std::vector<EvidenceEntry> out;
  for (;;) {
    TRUCE_ASSIGN_OR_RETURN(bool row, s.Step(what));
    if (!row) return out;
    EvidenceEntry e;
    e.seq = s.Int(0);
    e.recorded_at = s.Text(1);
    e.kind = s.Text(2);
    e.subject = s.Text(3);
    e.payload_sha256 = s.Text(4);
    e.prev_sha256 = s.Text(5);
    e.entry_sha256 = s.Text(6);
    out.push_back(std::move(e));
  }
}

Result<std::map<std::int64_t, std::vector<StoredPart>>> LoadParts(Db& db) {
  const char* what = "reading the evidence log's parts";
  TRUCE_ASSIGN_OR_RETURN(Stmt s, db.Prepare("SELECT seq, name, tbl, selector, row_count, sha256, locators, content "
                                            "FROM evidence_parts ORDER BY seq, ord",
                                            what));
  std::map<std::int64_t, std::vector<StoredPart>> out;
  for (;;) {
    TRUCE_ASSIGN_OR_RETURN(bool row, s.Step(what));
    if (!row) return out;
    StoredPart p;
    p.seq = s.Int(0);
    p.name = s.Text(1);
    p.tbl = s.Text(2);
    p.selector = s.Text(3);
    p.row_count = s.Int(4);
    p.sha256 = s.Text(5);
    p.locators = s.Text(6);
    p.content = s.OptText(7);
    out[p.seq].push_back(std::move(p));
  }
}

std::string PayloadText(const std::vector<StoredPart>& parts) {
  std::string t;
  for (const StoredPart& p : parts) t += p.sha256 + "  " + p.name + "\n";
  return t;
}

// A range part's rows as stored now, in the recorded order.
struct RangeCheck {
  std::int64_t found = 0;
  std::string sha256;
  std::string text;                  // only when asked for (export)
  std::optional<std::int64_t> gone;  // the first id recorded but missing
  std::optional<std::int64_t> changed;  // the first id whose locator differs
  std::int64_t differing = 0;        // rows gone or changed
};

Result<RangeCheck> CheckRanges(Db& db, const TableSpec& t, const Ranges& ranges, const std::string& locators,
                               bool keep_text, std::string* row) {
  const std::string what = std::string("recomputing ") + t.table + " rows of the evidence log";
  TRUCE_ASSIGN_OR_RETURN(Stmt* s, db.Cached(RangeSelectSql(t), what));
  RangeCheck c;
  Sha256Hasher sha;
  std::string locator;
  std::int64_t index = 0;  // the row's place in the part, for its locator
  auto missing = [&](std::int64_t id) {
    if (!c.gone && !c.changed) c.gone = id;
    ++c.differing;
    ++index;
  };
  for (const auto& [a, b] : ranges.v) {
    ScopedReset reset(s);
    s->Bind(1, a);
    s->Bind(2, b);
    std::int64_t expect = a;
    for (;;) {
      TRUCE_ASSIGN_OR_RETURN(bool more, s->Step(what));
      if (!more) break;
      std::int64_t id = s->Int(0);
      for (; expect < id; ++expect) missing(expect);
      expect = id + 1;
      row->clear();
      AppendRow(row, t.table, *s);
      sha.Update(*row);
      if (keep_text) c.text += *row;
      size_t at = static_cast<size_t>(index) * 16;
      locator.clear();
      AppendLocator(&locator, *row);
      if (at + 16 > locators.size() || locators.compare(at, 16, locator) != 0) {
        if (!c.gone && !c.changed) c.changed = id;
        ++c.differing;
      }
      ++c.found;
      ++index;
    }
    for (; expect <= b; ++expect) missing(expect);
  }
  c.sha256 = sha.Hex();
  return c;
}

class Checker {
 public:
  explicit Checker(EvidenceReport* report) : report_(report) {}
  void Add(const EvidenceEntry* e, std::string what) {
    if (report_->problems.size() >= 100) {
      ++report_->more_problems;
      return;
    }
    EvidenceProblem p;
    if (e != nullptr) {
      p.seq = e->seq;
      p.kind = e->kind;
      p.subject = e->subject;
    }
    p.what = std::move(what);
    report_->problems.push_back(std::move(p));
  }

 private:
  EvidenceReport* report_;
};

}  // namespace

// ---------------------------------------------------------------- rows

void AppendRow(std::string* out, std::string_view table, const Stmt& s) {
  out->append("# ").append(table).push_back('\n');
  const int n = s.ColumnCount();
  // Hot in every ingest: numbers formatted in a local buffer, no temporaries.
  char num[64];
  char len[24];
  auto field = [&](std::string_view name, char type, const char* value, size_t size) {
    out->append(name);
    out->push_back(' ');
    out->push_back(type);
    auto [end, ec] = std::to_chars(len, len + sizeof len, size);
    (void)ec;
    out->append(len, static_cast<size_t>(end - len));
    out->push_back(' ');
    out->append(value, size);
    out->push_back('\n');
  };
  for (int i = 0; i < n; ++i) {
    const std::string_view name = s.ColumnName(i);
    switch (s.ColumnType(i)) {
      case sql::Type::kNull:
        out->append(name).append(" n\n");
        break;
      case sql::Type::kInteger: {
        auto [end, ec] = std::to_chars(num, num + sizeof num, s.Int(i));
        (void)ec;
        field(name, 'i', num, static_cast<size_t>(end - num));
        break;
      }
      case sql::Type::kReal: {
        // Shortest text that reads back as the same double: exact and stable.
        auto [end, ec] = std::to_chars(num, num + sizeof num, s.Real(i));
        (void)ec;
        field(name, 'r', num, static_cast<size_t>(end - num));
        break;
      }
      case sql::Type::kText: {
        const std::string_view text = s.TextView(i);
        field(name, 't', text.data() == nullptr ? "" : text.data(), text.size());
        break;
      }
      case sql::Type::kBlob: {
        const std::string_view blob = s.TextView(i);
        field(name, 'b', blob.data() == nullptr ? "" : blob.data(), blob.size());
        break;
      }
    }
  }
}

void AppendLocator(std::string* out, std::string_view row_text) {
  unsigned char d[32];
  Sha256Prefixed({}, row_text, d);
  std::string hex;
  Sha256DigestHex(d, &hex);
  out->append(hex, 0, 16);  // a locator is the digest's first 8 bytes
}

std::string RowLocator(std::string_view row_text) {
  std::string out;
  AppendLocator(&out, row_text);
  return out;
}

// ---------------------------------------------------------------- recording

struct Recorder::Pending {
  std::array<PartBuilder, 4> parts;
  bool any = false;
  std::string subject;
};

struct Recorder::PartRecord {
  std::string suffix;  // the part's name after "SEQ."
  std::string tbl, selector;
  std::int64_t rows = 0;
  std::string sha256, locators;
  std::optional<std::string> content;
};

Recorder::Recorder(Db* db) : db_(db), pending_(std::make_unique<Pending>()) {}
Recorder::~Recorder() = default;

void Recorder::Discard() {
  if (pending_->any) pending_ = std::make_unique<Pending>();
}

Status Recorder::RowAdded(RowTable table, std::int64_t id) { return RowsAdded(table, {id}); }

Status Recorder::RowsAdded(RowTable table, const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return Status::Ok();
  const TableSpec& t = kRowTables[static_cast<size_t>(table)];
  const std::string what = std::string("recording ") + t.table + " row" + (ids.size() > 1 ? "s " : " ") +
                           std::to_string(ids.front()) + (ids.size() > 1 ? "-" + std::to_string(ids.back()) : "") +
                           " in the evidence log";
  TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached(RangeSelectSql(t), what));
  PartBuilder& part = pending_->parts[static_cast<size_t>(table)];
  {
    ScopedReset reset(s);
    s->Bind(1, ids.front());
    s->Bind(2, ids.back());
    // Rows of the range that are not in `ids` (none while this writer holds
    // the lock) are skipped; a row of `ids` not there is an error.
    std::size_t next = 0;
    for (;;) {
      TRUCE_ASSIGN_OR_RETURN(bool found, s->Step(what));
      if (!found) break;
      const std::int64_t id = s->Int(0);
      if (next < ids.size() && ids[next] < id) {
        return Status::Internal(db_->path() + ": recording " + t.table + " row " + std::to_string(ids[next]) +
                                " in the evidence log: the row is not there");
      }
      if (next == ids.size() || ids[next] != id) continue;
      row_.clear();
      AppendRow(&row_, t.table, *s);
      part.AddRow(row_);
      part.ranges.Add(id);
      ++next;
    }
    if (next < ids.size()) {
      return Status::Internal(db_->path() + ": recording " + t.table + " row " + std::to_string(ids[next]) +
                              " in the evidence log: the row is not there");
    }
  }
  pending_->any = true;
  if (!db_->InTransaction()) return Flush();
  return Status::Ok();
}

Status Recorder::FileRecorded(const std::string& file_hash, const std::string& path) {
  const char* what = "recording an ingested file in the evidence log";
  std::int64_t id = 0;
  {
    TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached("SELECT id FROM files WHERE file_hash = ?", what));
    ScopedReset reset(s);
    s->Bind(1, file_hash);
    TRUCE_ASSIGN_OR_RETURN(bool found, s->Step(what));
    if (!found) return Status::Internal(db_->path() + ": " + what + ": no files row for " + file_hash);
    id = s->Int(0);
  }
  pending_->subject = path;
  return RowAdded(RowTable::kFiles, id);
}

Status Recorder::Flush() {
  if (!pending_->any) return Status::Ok();
  std::unique_ptr<Pending> batch = std::move(pending_);
  pending_ = std::make_unique<Pending>();
  std::vector<PartRecord> parts;
  for (size_t k = 0; k < batch->parts.size(); ++k) {
    PartBuilder& b = batch->parts[k];
    if (b.rows == 0) continue;
    PartRecord p;
    p.suffix = kRowTables[k].suffix;
    p.tbl = kRowTables[k].table;
    p.selector = b.ranges.Text();
    p.rows = b.rows;
    p.sha256 = b.sha.Hex();
    p.locators = std::move(b.locators);
    parts.push_back(std::move(p));
  }
  const std::string subject = batch->subject.empty() ? "rows stored without a file record" : batch->subject;
  return AppendEntry(kEvidenceIngest, subject, std::move(parts));
}

Status Recorder::AgreementStored(const std::string& id) {
  PartBuilder b;
  b.keep_text = true;
  TRUCE_ASSIGN_OR_RETURN(bool found, AgreementText(*db_, id, &row_, &b));
  if (!found) return Status::Internal(db_->path() + ": agreement '" + id + "' just stored is not there");
  PartRecord p{"agreement.txt", "agreements", id, b.rows, b.sha.Hex(), std::move(b.locators), std::move(b.text)};
  std::vector<PartRecord> parts;
  parts.push_back(std::move(p));
  return AppendEntry(kEvidenceAgreement, id, std::move(parts));
}

Status Recorder::TokenChanged(std::int64_t id, const char* kind) {
  PartBuilder b;
  b.keep_text = true;
  TRUCE_ASSIGN_OR_RETURN(bool found, TokenText(*db_, id, &row_, &b));
  if (!found) return Status::Internal(db_->path() + ": token " + std::to_string(id) + " just stored is not there");
  PartRecord p{"token.txt", "tokens", std::to_string(id), b.rows, b.sha.Hex(), std::move(b.locators),
               std::move(b.text)};
  std::vector<PartRecord> parts;
  parts.push_back(std::move(p));
  return AppendEntry(kind, "token " + std::to_string(id), std::move(parts));
}

Status Recorder::DecisionStored(std::int64_t override_id, const std::string& subject) {
  const std::string what = "recording decision " + std::to_string(override_id) + " in the evidence log";
  TRUCE_ASSIGN_OR_RETURN(Stmt* s, db_->Cached(RowSelectSql(kDecisionTable), what));
  PartBuilder b;
  {
    ScopedReset reset(s);
    s->Bind(1, override_id);
    TRUCE_ASSIGN_OR_RETURN(bool found, s->Step(what));
    if (!found) return Status::Internal(db_->path() + ": " + what + ": the row is not there");
    row_.clear();
    AppendRow(&row_, kDecisionTable.table, *s);
  }
  b.AddRow(row_);
  b.ranges.Add(override_id);
  std::vector<PartRecord> parts;
  parts.push_back({kDecisionTable.suffix, kDecisionTable.table, b.ranges.Text(), b.rows, b.sha.Hex(),
                   std::move(b.locators), std::nullopt});
  return AppendEntry(kEvidenceDecision, subject, std::move(parts));
}

Status Recorder::EnsureGenesis() {
  const char* what = "starting the evidence log";
  {
    TRUCE_ASSIGN_OR_RETURN(Stmt s, db_->Prepare("SELECT COUNT(*) FROM evidence", what));
    TRUCE_ASSIGN_OR_RETURN(bool row, s.Step(what));
    if (row && s.Int(0) > 0) return Status::Ok();
  }
  std::vector<PartRecord> parts;
  for (const TableSpec& t : kRowTables) {
    TRUCE_ASSIGN_OR_RETURN(Stmt s, db_->Prepare(std::string("SELECT ") + t.GenesisColumns() + " FROM " + t.table +
                                                    " ORDER BY id",
                                                what));
    PartBuilder b;
    for (;;) {
      TRUCE_ASSIGN_OR_RETURN(bool row, s.Step(what));
      if (!row) break;
      row_.clear();
      AppendRow(&row_, t.table, s);
      b.AddRow(row_);
      b.ranges.Add(s.Int(0));
    }
    if (b.rows == 0) continue;
    parts.push_back({t.suffix, t.table, b.ranges.Text(), b.rows, b.sha.Hex(), std::move(b.locators), std::nullopt});
  }
  std::vector<std::string> agreement_ids;
  {
    TRUCE_ASSIGN_OR_RETURN(Stmt s, db_->Prepare("SELECT id FROM agreements ORDER BY id", what));
    for (;;) {
      TRUCE_ASSIGN_OR_RETURN(bool row, s.Step(what));
      if (!row) break;
      agreement_ids.push_back(s.Text(0));
    }
  }
  for (size_t k = 0; k < agreement_ids.size(); ++k) {
    PartBuilder b;
    b.keep_text = true;
    TRUCE_ASSIGN_OR_RETURN(bool found, AgreementText(*db_, agreement_ids[k], &row_, &b));
    (void)found;
    parts.push_back({"agreement-" + std::to_string(k + 1) + ".txt", "agreements", agreement_ids[k], b.rows,
                     b.sha.Hex(), std::move(b.locators), std::move(b.text)});
  }
  std::vector<std::int64_t> token_ids;
  {
    TRUCE_ASSIGN_OR_RETURN(Stmt s, db_->Prepare("SELECT id FROM tokens ORDER BY id", what));
    for (;;) {
      TRUCE_ASSIGN_OR_RETURN(bool row, s.Step(what));
      if (!row) break;
      token_ids.push_back(s.Int(0));
    }
  }
  for (std::int64_t id : token_ids) {
    PartBuilder b;
    b.keep_text = true;
    TRUCE_ASSIGN_OR_RETURN(bool found, TokenText(*db_, id, &row_, &b));
    (void)found;
    parts.push_back({"token-" + std::to_string(id) + ".txt", "tokens", std::to_string(id), b.rows, b.sha.Hex(),
                     std::move(b.locators), std::move(b.text)});
  }
  return AppendEntry(kEvidenceGenesis, "rows stored before the evidence log", std::move(parts));
}

Status Recorder::AppendEntry(const char* kind, const std::string& subject, std::vector<PartRecord> parts) {
  // Outside a transaction (a single write made without Begin): one of its own,
  // so that reading the head and appending are one step for every writer.
  const bool own = !db_->InTransaction();
  if (own) TRUCE_RETURN_IF_ERROR(db_->BeginWrite("appending to the evidence log"));
  auto append = [&]() -> Status {
    const char* what = "appending to the evidence log";
    EvidenceEntry e;
    e.seq = 1;
    e.prev_sha256 = kEvidenceNoPrevious;
    {
      TRUCE_ASSIGN_OR_RETURN(Stmt* head, db_->Cached("SELECT seq, entry_sha256 FROM evidence ORDER BY seq DESC "
                                                     "LIMIT 1",
                                                     what));
      ScopedReset reset(head);
      TRUCE_ASSIGN_OR_RETURN(bool row, head->Step(what));
      if (row) {
        e.seq = head->Int(0) + 1;
        e.prev_sha256 = head->Text(1);
      }
    }
    std::string payload;
    for (const PartRecord& p : parts) payload += p.sha256 + "  " + Seq8(e.seq) + "." + p.suffix + "\n";
    e.recorded_at = NowUtc();
    e.kind = kind;
    e.subject = subject;
    e.payload_sha256 = Sha256Hex(payload);
    e.entry_sha256 = Sha256Hex(EvidenceEntryText(e));
    {
      TRUCE_ASSIGN_OR_RETURN(Stmt* ins, db_->Cached("INSERT INTO evidence (seq, recorded_at, kind, subject, "
                                                    "payload_sha256, prev_sha256, entry_sha256) "
                                                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                                                    what));
      ScopedReset reset(ins);
      ins->Bind(1, e.seq);
      ins->Bind(2, e.recorded_at);
      ins->Bind(3, e.kind);
      ins->Bind(4, e.subject);
      ins->Bind(5, e.payload_sha256);
      ins->Bind(6, e.prev_sha256);
      ins->Bind(7, e.entry_sha256);
      TRUCE_RETURN_IF_ERROR(ins->Run(what));
    }
    TRUCE_ASSIGN_OR_RETURN(Stmt* part, db_->Cached("INSERT INTO evidence_parts (seq, ord, name, tbl, selector, "
                                                   "row_count, sha256, locators, content) "
                                                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                                   what));
    for (size_t k = 0; k < parts.size(); ++k) {
      const PartRecord& p = parts[k];
      ScopedReset reset(part);
      part->Bind(1, e.seq);
      part->Bind(2, static_cast<std::int64_t>(k));
      part->Bind(3, Seq8(e.seq) + "." + p.suffix);
      part->Bind(4, p.tbl);
      part->Bind(5, p.selector);
      part->Bind(6, p.rows);
      part->Bind(7, p.sha256);
      part->Bind(8, p.locators);
      part->Bind(9, p.content);
      TRUCE_RETURN_IF_ERROR(part->Run(what));
    }
    return Status::Ok();
  };
  Status s = append();
  if (!own) return s;
  if (s.ok()) s = db_->Exec("COMMIT", "appending to the evidence log");
  if (!s.ok() && db_->InTransaction()) (void)db_->Exec("ROLLBACK", "rolling back an evidence entry");
  return s;
}

// ---------------------------------------------------------------- verifying

Result<EvidenceReport> Verify(Db& db) {
  ReadSnapshot snapshot(db);
  TRUCE_RETURN_IF_ERROR(snapshot.status());
  EvidenceReport report;
  report.head_sha256 = kEvidenceNoPrevious;
  Checker check(&report);
  TRUCE_ASSIGN_OR_RETURN(std::vector<EvidenceEntry> entries, LoadEntries(db));
  TRUCE_ASSIGN_OR_RETURN(auto parts, LoadParts(db));
  report.entries = static_cast<std::int64_t>(entries.size());

  // The latest part of each agreement and token: the one its rows must match.
  std::map<std::pair<std::string, std::string>, std::int64_t> latest;
  for (const auto& [seq, list] : parts) {
    for (const StoredPart& p : list) {
      if (Versioned(p.tbl)) latest[{p.tbl, p.selector}] = seq;
    }
  }
  // Every id each row table's parts cover, to find rows no entry covers.
  std::map<std::string, std::vector<std::pair<std::int64_t, std::int64_t>>> covered;

  std::string row;
  std::string prev_sha = kEvidenceNoPrevious;
  std::int64_t prev_seq = 0;
  std::set<std::int64_t> seen;
  for (const EvidenceEntry& e : entries) {
    seen.insert(e.seq);
    report.chain.push_back(e.entry_sha256);
    if (e.seq != prev_seq + 1) {
      check.Add(&e, prev_seq + 1 == e.seq - 1 ? "entry " + std::to_string(prev_seq + 1) + " is missing"
                                              : "entries " + std::to_string(prev_seq + 1) + " to " +
                                                    std::to_string(e.seq - 1) + " are missing");
    }
    if (e.prev_sha256 != prev_sha) {
      check.Add(&e, "it names " + e.prev_sha256.substr(0, 16) + "... as the previous entry, but " +
                        (prev_seq == 0 ? std::string("it is the first") :
                                         "entry " + std::to_string(prev_seq) + " hashes to " +
                                             prev_sha.substr(0, 16) + "...") +
                        ": the chain is broken here");
    }
    const std::string text_sha = Sha256Hex(EvidenceEntryText(e));
    if (text_sha != e.entry_sha256) {
      check.Add(&e, "its text hashes to " + text_sha.substr(0, 16) + "..., not to its recorded " +
                        e.entry_sha256.substr(0, 16) + "...: the entry was edited");
    }
    // The next entry must name the hash of this entry's text, whatever was stored.
    prev_sha = text_sha;
    prev_seq = e.seq;

    static const std::vector<StoredPart> kNone;
    auto it = parts.find(e.seq);
    const std::vector<StoredPart>& list = it == parts.end() ? kNone : it->second;
    if (Sha256Hex(PayloadText(list)) != e.payload_sha256) {
      check.Add(&e, "its parts do not hash to its payload " + e.payload_sha256.substr(0, 16) +
                        "...: the evidence_parts rows were edited");
    }
    for (const StoredPart& p : list) {
      const std::string part_name = "part " + p.name;
      if (p.locators.size() != static_cast<size_t>(p.row_count) * 16) {
        check.Add(&e, part_name + ": " + std::to_string(p.locators.size()) + " locator digits for " +
                          std::to_string(p.row_count) + " rows: the evidence_parts row was edited");
      }
      if (p.content) {
        if (Sha256Hex(*p.content) != p.sha256) {
          check.Add(&e, part_name + ": the text kept for it does not hash to its sha256");
        } else {
          Result<std::pair<std::int64_t, std::string>> kept = LocatorsOf(*p.content);
          if (!kept.ok() || kept->first != p.row_count || kept->second != p.locators) {
            check.Add(&e, part_name + ": its row count or locators do not match its kept text: the "
                                      "evidence_parts row was edited");
          }
        }
      }
      if (const TableSpec* t = RowTableSpec(p.tbl)) {
        std::optional<Ranges> ranges = Ranges::Parse(p.selector);
        if (!ranges) {
          check.Add(&e, part_name + ": unreadable id ranges '" + p.selector + "'");
          continue;
        }
        auto& cov = covered[p.tbl];
        cov.insert(cov.end(), ranges->v.begin(), ranges->v.end());
        if (ranges->Count() != p.row_count) {
          check.Add(&e, part_name + ": its id ranges name " + std::to_string(ranges->Count()) + " rows, not " +
                            std::to_string(p.row_count));
        }
        TRUCE_ASSIGN_OR_RETURN(RangeCheck c, CheckRanges(db, *t, *ranges, p.locators, false, &row));
        report.rows += c.found;
        if (c.sha256 == p.sha256 && c.differing == 0) continue;
        std::string what = p.tbl + " ";
        if (c.gone) {
          what += "row " + std::to_string(*c.gone) + " is gone (deleted after the entry recorded it)";
        } else if (c.changed) {
          what += "row " + std::to_string(*c.changed) + " was changed after the entry recorded it";
        } else if (c.sha256 != p.sha256) {
          what += "rows differ from the entry's sha256, but no single row could be named (were the "
                  "locators edited too?)";
        } else {
          what += "rows match the entry's sha256 but not its row locators: the locators were edited";
        }
        if (c.differing > 1) what += " (" + std::to_string(c.differing) + " rows of this part differ)";
        check.Add(&e, what);
        continue;
      }
      if (!Versioned(p.tbl)) {
        check.Add(&e, part_name + ": unknown table '" + p.tbl + "'");
        continue;
      }
      if (latest[{p.tbl, p.selector}] != e.seq) continue;  // a version replaced since: its kept text stands
      PartBuilder now;
      now.keep_text = true;
      bool found = false;
      if (p.tbl == "agreements") {
        TRUCE_ASSIGN_OR_RETURN(found, AgreementText(db, p.selector, &row, &now));
      } else {
        std::int64_t id = 0;
        auto [q, ec] = std::from_chars(p.selector.data(), p.selector.data() + p.selector.size(), id);
        if (ec == std::errc() && q == p.selector.data() + p.selector.size()) {
          TRUCE_ASSIGN_OR_RETURN(found, TokenText(db, id, &row, &now));
        }
      }
      report.rows += now.rows;
      const std::string label = (p.tbl == "agreements" ? "agreement '" : "token ") + p.selector +
                                (p.tbl == "agreements" ? "'" : "");
      if (!found) {
        check.Add(&e, label + " is gone (deleted after the entry recorded it)");
        continue;
      }
      if (now.sha.Hex() != p.sha256) {
        check.Add(&e, label + ": " + (p.content ? FirstDifference(*p.content, now.text)
                                                : std::string("its rows differ from what was recorded")));
      }
    }
  }
  for (const auto& [seq, list] : parts) {
    if (!seen.count(seq)) {
      EvidenceEntry ghost;
      ghost.seq = seq;
      ghost.kind = "?";
      check.Add(&ghost, "parts are stored for entry " + std::to_string(seq) + ", which is not in the log");
    }
  }
  if (!entries.empty()) report.head_sha256 = entries.back().entry_sha256;

  // Rows that no entry covers: stored behind the store's back.
  std::vector<TableSpec> covered_tables(kRowTables.begin(), kRowTables.end());
  covered_tables.push_back(kDecisionTable);
  for (const TableSpec& t : covered_tables) {
    auto& cov = covered[t.table];
    std::sort(cov.begin(), cov.end());
    const std::string what = std::string("checking that every ") + t.table + " row is in the evidence log";
    TRUCE_ASSIGN_OR_RETURN(Stmt s, db.Prepare(std::string("SELECT id FROM ") + t.table + " ORDER BY id", what));
    size_t k = 0;
    std::int64_t uncovered = 0, first = 0;
    for (;;) {
      TRUCE_ASSIGN_OR_RETURN(bool more, s.Step(what));
      if (!more) break;
      std::int64_t id = s.Int(0);
      while (k < cov.size() && cov[k].second < id) ++k;
      if (k < cov.size() && cov[k].first <= id) continue;
      if (uncovered++ == 0) first = id;
    }
    if (uncovered > 0) {
      check.Add(nullptr, std::string(t.table) + " row " + std::to_string(first) +
                             " is covered by no entry (stored behind the store's back)" +
                             (uncovered > 1 ? "; " + std::to_string(uncovered) + " such rows" : std::string()));
    }
  }
  for (const char* tbl : {"agreements", "tokens"}) {
    const std::string what = std::string("checking that every ") + tbl + " row is in the evidence log";
    TRUCE_ASSIGN_OR_RETURN(Stmt s, db.Prepare(std::string("SELECT id FROM ") + tbl + " ORDER BY id", what));
    for (;;) {
      TRUCE_ASSIGN_OR_RETURN(bool more, s.Step(what));
      if (!more) break;
      std::string id = s.Text(0);
      if (!latest.count({tbl, id})) {
        check.Add(nullptr, std::string(tbl == std::string("agreements") ? "agreement '" + id + "'" : "token " + id) +
                               " is covered by no entry (stored behind the store's back)");
      }
    }
  }
  return report;
}

Status ForEach(Db& db, const std::function<Status(const EvidenceExport&)>& fn) {
  ReadSnapshot snapshot(db);
  TRUCE_RETURN_IF_ERROR(snapshot.status());
  TRUCE_ASSIGN_OR_RETURN(std::vector<EvidenceEntry> entries, LoadEntries(db));
  TRUCE_ASSIGN_OR_RETURN(auto parts, LoadParts(db));
  std::string row;
  for (const EvidenceEntry& e : entries) {
    EvidenceExport x;
    x.entry = e;
    x.text = EvidenceEntryText(e);
    auto it = parts.find(e.seq);
    if (it != parts.end()) {
      x.payload = PayloadText(it->second);
      for (const StoredPart& p : it->second) {
        std::string text;
        if (p.content) {
          text = *p.content;
        } else if (const TableSpec* t = RowTableSpec(p.tbl)) {
          std::optional<Ranges> ranges = Ranges::Parse(p.selector);
          if (!ranges) return Status::DatabaseError(db.path() + ": evidence part " + p.name + ": bad id ranges");
          TRUCE_ASSIGN_OR_RETURN(RangeCheck c, CheckRanges(db, *t, *ranges, p.locators, true, &row));
          text = std::move(c.text);
        }
        if (Sha256Hex(text) != p.sha256) {
          return Status::DatabaseError(db.path() + ": evidence part " + p.name +
                                       " no longer matches the stored rows; run 'truce verify'");
        }
        x.parts.emplace_back(p.name, std::move(text));
      }
    }
    TRUCE_RETURN_IF_ERROR(fn(x));
  }
  return Status::Ok();
}

}  // namespace evidence
}  // namespace truce::store
