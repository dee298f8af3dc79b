// Agreement files: YAML written by people (docs/agreement-format.md), read with
// yaml-cpp and validated on load. Every error names file, line and column.
// Thread-safety: functions are reentrant.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "truce/core/env.h"
#include "truce/core/status.h"
#include "truce/model/model.h"

namespace truce::agreement {

// An agreement with the actors it defines or imports, and the text of every
// file it was built from (the YAML itself first, then actor and GeoJSON files
// under the paths the YAML uses), so that it can be stored and re-read exactly.
struct LoadedAgreement {
  model::Agreement agreement;
  std::vector<model::Actor> actors;
  std::vector<std::pair<std::string, std::string>> files;  // (path as referenced, contents)
};

// Reads and validates `path`; files it references are resolved relative to it
// through `fs`. Errors: ParseError / ValidationError with "file:line:col: ...".
Result<LoadedAgreement> LoadAgreementFile(const std::string& path, const FileSystem& fs);

// The same from text already in memory (`file` names it in messages).
Result<LoadedAgreement> ParseAgreement(const std::string& yaml_text, const std::string& file,
                                       const FileSystem& fs);

// Re-parses an agreement from its recorded `files` (as in LoadedAgreement::files
// or a store): the first is the YAML, the others are placed where the YAML's
// relative references resolve to. Yields the same agreement as the first load.
Result<LoadedAgreement> ReloadAgreement(const std::vector<std::pair<std::string, std::string>>& files);

// ACLED event types and their sub-event types (the codebook since 2019), in
// codebook order: what `prohibits:` and `acts:` may name.
struct AcledEventType {
  std::string event_type;
  std::vector<std::string> sub_event_types;
};
const std::vector<AcledEventType>& AcledEventTypes();

// "Battles", "Explosions/Remote violence / Shelling/artillery/missile attack"
// (type, " / ", sub-type): matched ignoring case, returned in the codebook's
// spelling. ValidationError naming the closest known type otherwise.
Result<model::ActPattern> ParseActPattern(std::string_view text);

// Checks what only a set of agreements can show: `amends`/`supersedes` and
// provision `replaces` name agreements and provisions that exist, ids are
// unique, and there are no cycles.
Status CheckReferences(const std::vector<const model::Agreement*>& agreements);

// Places extension documents (`extends:`) onto the agreements they extend:
// their periods join the original's `periods` in order and its `end` moves to
// the last one's; each document's entry into force becomes its period's
// start. Safe to call again on the same agreements. ValidationError when
// periods overlap or the original has no end (CheckReferences reports the
// same with positions).
Status ResolveExtensions(const std::vector<model::Agreement*>& agreements);

// Finds an actor by id, or by name/alias (case-insensitive), or nullptr.
class ActorRegistry {
 public:
  void Add(const model::Actor& actor);
  const model::Actor* ById(std::string_view id) const;
  // Matches a dataset's actor name: exact name or alias, ignoring case and
  // surrounding spaces; then the longest alias that the name starts with
  // ("Military Forces of Syria (2000-) Air Force" -> the alias "Military Forces of Syria").
  const model::Actor* Resolve(std::string_view name) const;
  const std::vector<model::Actor>& actors() const { return actors_; }

 private:
  std::vector<model::Actor> actors_;
  std::vector<std::pair<std::string, size_t>> names_;  // lower-case name -> index, sorted
};

}  // namespace truce::agreement
