// Every key the agreement format knows. docs/agreement-format.md documents the
// same list (doc_sync_test.cc keeps the two equal).
#include "internal.h"
#include "truce/core/strings.h"

namespace truce::agreement::internal {

const std::vector<std::string>& FormatKeys() {
  static const std::vector<std::string> kKeys = {
      // The agreement.
      "id", "title", "parties", "signed", "timezone", "entry_into_force", "end", "extensions", "amends", "supersedes",
      "extends",
      "countries", "source", "note", "actors", "sides", "designated", "places", "zones", "provisions",
      // In force longer (extensions.cc): inline renewals, or a document extending another.
      "extensions[].from", "extensions[].until", "extensions[].signed",
      "extensions[].source", "extensions[].note",
      // Sides.
      "sides.<side>.guarantor", "sides.<side>.actors", "sides.<side>.note",
      // Places.
      "places.<place>.name", "places.<place>.lat", "places.<place>.lon", "places.<place>.approximate",
      "places.<place>.note",
      // Zones.
      "zones.<zone>.name", "zones.<zone>.polygon", "zones.<zone>.corridor", "zones.<zone>.band",
      "zones.<zone>.circle", "zones.<zone>.approximate", "zones.<zone>.note",
      "zones.<zone>.polygon.file", "zones.<zone>.polygon.where",
      "zones.<zone>.corridor.line", "zones.<zone>.corridor.half_width_km",
      "zones.<zone>.band.line", "zones.<zone>.band.width_km", "zones.<zone>.band.side",
      "zones.<zone>.circle.center", "zones.<zone>.circle.radius_km",
      // Provisions.
      "provisions[].id", "provisions[].article", "provisions[].text", "provisions[].note",
      "provisions[].prohibits", "provisions[].obligation", "provisions[].by", "provisions[].where",
      "provisions[].from", "provisions[].until", "provisions[].except", "provisions[].replaces",
      "provisions[].along", "provisions[].between", "provisions[].zone", "provisions[].weapons",
      "provisions[].due", "provisions[].evidence", "provisions[].met_fraction",
      "provisions[].except[].against", "provisions[].except[].acts", "provisions[].except[].note",
      "provisions[].evidence.acts", "provisions[].evidence.notes_contain",
      "provisions[].against", "provisions[].daily", "provisions[].daily.from", "provisions[].daily.to",
      // One deadline per item of an obligation (items.cc).
      "provisions[].items", "provisions[].items[].id", "provisions[].items[].name", "provisions[].items[].zone",
      "provisions[].items[].due", "provisions[].items[].from", "provisions[].items[].note",
      // An act written as a map (in prohibits, except[].acts, evidence.acts).
      "<act>.event_type", "<act>.sub_event_type",
      // Actors (inline under `actors:` or in an actors file under `actors:`).
      "actors.<actor>.name", "actors.<actor>.kind", "actors.<actor>.country", "actors.<actor>.aliases",
      "actors.<actor>.designations", "actors.<actor>.note",
      "actors.<actor>.designations[].by", "actors.<actor>.designations[].as",
      "actors.<actor>.designations[].from", "actors.<actor>.designations[].until",
      "actors.<actor>.designations[].note",
  };
  return kKeys;
}

std::vector<std::string> ChildKeys(std::string_view path) {
  // The root of an actors file holds one key.
  if (path == "<actors-file>") return {"actors"};
  std::vector<std::string> out;
  for (const std::string& key : FormatKeys()) {
    std::string_view rest = key;
    if (!path.empty()) {
      if (!StartsWith(rest, path) || rest.size() <= path.size() || rest[path.size()] != '.') continue;
      rest.remove_prefix(path.size() + 1);
    } else if (!rest.empty() && rest.front() == '<') {
      continue;
    }
    if (rest.find('.') == std::string_view::npos) out.emplace_back(rest);
  }
  return out;
}

}  // namespace truce::agreement::internal
