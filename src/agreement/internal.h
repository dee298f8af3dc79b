// Internals of the agreement loader, shared by its .cc files and tests: a YAML
// reading context that collects positioned errors, key checking against the
// format (format_keys.cc, the same table docs/agreement-format.md documents), and
// the section readers. yaml-cpp only appears here and in the .cc files.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "truce/core/env.h"
#include "truce/model/model.h"
#include "truce/time/time.h"

namespace truce::agreement::internal {

// 1-based line and column.
struct Pos {
  int line = 1;
  int column = 1;
};
// The node's position, or `fallback` when yaml-cpp has none (empty values).
Pos PosOf(const YAML::Node& node, Pos fallback);

struct Issue {
  int file_order = 0;  // the YAML is 0, files it references count up in reading order
  std::string file;
  Pos pos;
  std::string message;
  bool syntax = false;  // a YAML syntax error (the load is a ParseError)
};

// What one load shares across the files it reads.
struct LoadState {
  const FileSystem* fs = nullptr;
  std::string yaml_file;  // as given by the caller
  // Re-reading a stored agreement (ReloadAgreement): invalid UTF-8 is repaired
  // and the checks added after databases were written (text, ranges) are not
  // applied, so that an old database stays readable.
  bool stored = false;
  std::vector<Issue> issues;
  std::vector<std::pair<std::string, std::string>> files;  // (path as written, contents as stored); YAML first
  std::map<std::string, size_t> file_index;                // path as written -> index in files
  int next_file_order = 1;
  // Declared things whose own error was reported ("place:a", "zone:Area",
  // "side:x"): a reference to one is not reported again as unknown.
  std::set<std::string> reported;
};

// Reading one file: errors are recorded against it.
class Ctx {
 public:
  Ctx(LoadState* state, std::string file, int file_order)
      : state_(state), file_(std::move(file)), file_order_(file_order) {}
  void Error(Pos pos, std::string message);
  void SyntaxError(Pos pos, std::string message);
  const std::string& file() const { return file_; }
  LoadState& state() { return *state_; }

 private:
  LoadState* state_;
  std::string file_;
  int file_order_;
};

// A value with its position and the name messages use for it ("'by'").
struct Val {
  YAML::Node node;
  Pos pos;
  std::string name;
  bool null() const { return node.IsNull(); }
};

// A map entry.
struct Field {
  std::string key;
  Pos key_pos;
  Val value;  // value.pos falls back to key_pos for empty values
};

// A map's entries; unknown and duplicate keys were reported when it was read.
struct Fields {
  Pos pos;
  std::vector<Field> entries;
  // Present, even if null.
  const Field* Find(std::string_view key) const;
  // Present and not null: null means "not given" for optional keys.
  const Field* Given(std::string_view key) const;
};

// "map", "list", "string" or "empty value".
std::string KindName(const YAML::Node& node);

// Reads a map whose keys come from the schema: children of `schema_path`
// ("" for the top level, "zones.<zone>.corridor", ...). Reports a non-map as a
// type error and unknown keys with the closest known one.
std::optional<Fields> ReadMap(Ctx& ctx, const Val& val, std::string_view schema_path);

// Reads a map whose keys are ids of things (`zones`, `places`, `sides`,
// `actors`): checks the id syntax and duplicates ("duplicate zone id 'x'").
std::optional<std::vector<Field>> ReadIdMap(Ctx& ctx, const Val& val, std::string_view thing);

// Missing required keys: reports "missing required key 'id'" at the map.
bool Require(Ctx& ctx, const Fields& fields, std::string_view key, std::string_view in_what);

// Free text (notes, a provision's text): line breaks and tabs allowed, no
// other control characters (they can only come from escapes such as "\e",
// raw ones were refused with the file).
std::optional<std::string> ReadString(Ctx& ctx, const Val& val);
// A string that must not be empty, trimmed: ids, names, titles, times. One
// line of printable text: no control characters at all.
std::optional<std::string> ReadNonEmptyString(Ctx& ctx, const Val& val);
std::optional<double> ReadNumber(Ctx& ctx, const Val& val);
std::optional<bool> ReadBool(Ctx& ctx, const Val& val);
// A list, or one scalar standing for a list of one. Items keep their positions.
std::optional<std::vector<Val>> ReadList(Ctx& ctx, const Val& val, bool allow_scalar = true);
// The same, every item a non-empty string.
struct StrItem {
  std::string text;
  Pos pos;
};
std::optional<std::vector<StrItem>> ReadStringList(Ctx& ctx, const Val& val, bool allow_scalar = true);

// [lat, lon] in degrees, ranges checked.
std::optional<geo::LatLon> ReadLatLon(Ctx& ctx, const Val& val);

// ids: lower-case letters, digits, '.', '_' and '-'.
bool IsValidId(std::string_view id);
bool CheckId(Ctx& ctx, Pos pos, std::string_view id, std::string_view thing);
// "3 upper-case letters".
bool IsIso3(std::string_view s);

// The candidate closest to `word` by edit distance (ignoring case), if close
// enough to be a likely typo; "" otherwise.
std::string Closest(std::string_view word, const std::vector<std::string>& candidates);
// " (did you mean 'x'?)" or "".
std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates);

// ---------------------------------------------------------------- schema

// Every key path the loader knows, in documentation order ("id",
// "zones.<zone>.corridor.half_width_km", "provisions[].except[].against",
// "<act>.event_type", "actors.<actor>.designations[].from").
const std::vector<std::string>& FormatKeys();
// The keys directly under `path`.
std::vector<std::string> ChildKeys(std::string_view path);

// ---------------------------------------------------------------- times

struct TimeContext {
  std::string tz;         // the agreement's `timezone`, "" if none
  bool tz_valid = false;  // false also when it was given but unknown (reported once)
  bool tz_given = false;
  // What relative times ("+10d", "day 42") count from: the entry into force.
  std::optional<time::Instant> anchor;
  bool anchor_given = false;  // given but invalid: its own error was reported
};
struct TimeText {
  time::Instant instant{};
  std::string text;  // as written, with the zone it was read in ("2020-03-06T00:01 Asia/Damascus")
  std::string relative;  // a relative time as written ("day 42"), "" for an absolute one
};
// "2020-03-06T00:01" (local in the agreement's zone), "2020-03-06" (00:00
// local), "...Z" / "...+02:00", or "2020-03-06T00:01 Asia/Damascus".
std::optional<TimeText> ReadTime(Ctx& ctx, const Val& val, const TimeContext& tc);
std::optional<time::Days> ReadDate(Ctx& ctx, const Val& val);
// A relative time resolved against `anchor` in `tz`: "+10d" (same local clock
// time 10 calendar days later), "+2w" (14 calendar days), "+72h" (exact
// hours), "day 42" (00:00 local on the 42nd day, the anchor's day being day 1).
// nullopt with `error` set when `text` is relative but wrong; nullopt with
// `error` empty when it is not a relative time at all.
std::optional<time::Instant> ResolveRelativeTime(std::string_view text, time::Instant anchor, const std::string& tz,
                                                 std::string* error);
bool LooksRelative(std::string_view text);

// ---------------------------------------------------------------- extensions

// An extension document: `extends` and `end` required, `sides` and
// `provisions` refused (they belong in an amendment); reads `extends`.
void CheckExtensionDocument(Ctx& ctx, const Fields& top);
// periods[0]: the agreement's own period, or an extension document's one.
void AddOwnPeriod(Ctx& ctx, const Fields& top, const std::optional<TimeText>& eif, const std::optional<TimeText>& end,
                  bool extension_doc, model::Agreement* a);
// `extensions:` of an agreement (inline renewals) appended to a->periods,
// whose first period (the agreement's own) is already there.
void ReadInlineExtensions(Ctx& ctx, const Val& val, const TimeContext& tc, model::Agreement* a);
// Extension documents placed onto the agreements they extend (by id of the
// original), in order; what cannot be placed becomes an issue located at the
// document's `key`.
struct ExtensionIssue {
  const model::Agreement* at = nullptr;
  std::string key;
  std::string message;
};
std::map<std::string, std::vector<model::InForcePeriod>> PlanExtensions(
    const std::vector<const model::Agreement*>& agreements, std::vector<ExtensionIssue>* issues);
// `items:` of an obligation: one provision per item (`<id>.<item>`, article
// "<article> (<name>)"), inheriting the rest from `base`.
void ExpandItems(Ctx& ctx, const Val& val, const TimeContext& tc, const std::vector<std::string>& zone_ids,
                 const model::Provision& base, std::vector<model::Provision>* out);

// ---------------------------------------------------------------- acts

std::optional<model::ActPattern> ReadAct(Ctx& ctx, const Val& val);
std::optional<std::vector<model::ActPattern>> ReadActs(Ctx& ctx, const Val& val);

// ---------------------------------------------------------------- files

// The first byte of a file that the loader refuses: invalid UTF-8, NUL, or a
// control character other than tab, LF and CR (U+0001..U+001F, DEL, C1
// U+0080..U+009F). Its line and column are 1-based, the column counting bytes
// as yaml-cpp's positions do.
struct TextFault {
  Pos pos;
  std::string message;  // "invalid UTF-8 (byte 0xFF)"
};
std::optional<TextFault> FindTextFault(std::string_view text);

// Reads a file the YAML references (path as written, relative to the YAML),
// records it in state.files once, and returns its contents; reports a missing
// file at `path_val`. Re-reading a stored agreement, the contents come back
// repaired (U+FFFD) and state.files keeps them as stored; otherwise the
// caller checks them with FindTextFault and reports in its file's terms.
std::optional<std::string> ReadReferencedFile(Ctx& ctx, const Val& path_val);

// ---------------------------------------------------------------- sections

// `actors:` — a path to an actors file or an inline map of actors.
void ReadActorsSection(Ctx& ctx, const Val& val, std::vector<model::Actor>* actors);
void ReadPlaces(Ctx& ctx, const Val& val, std::vector<model::PlaceDef>* places);
// `shapes` gets every declared zone's shape, also when its geometry failed, so
// that references to it are checked without a cascade of errors.
void ReadZones(Ctx& ctx, const Val& val, const std::vector<model::PlaceDef>& places,
               std::vector<model::ZoneDef>* zones, std::map<std::string, geo::ZoneShape>* shapes);
// A place id (string) or an inline [lat, lon]; `label` gets the place's name
// or the formatted coordinates.
std::optional<geo::LatLon> ReadPoint(Ctx& ctx, const Val& val, const std::vector<model::PlaceDef>& places,
                                     std::string* label);

// `against` and `daily` on a provision whose kind is set (provision_extras.cc);
// `tz_given`: the agreement wrote `timezone:` (a daily window is local time).
void ReadProvisionExtras(Ctx& ctx, const Fields& fields, const model::Agreement& a,
                         const std::vector<model::Actor>& actors, bool tz_given, model::Provision* p);

}  // namespace truce::agreement::internal
