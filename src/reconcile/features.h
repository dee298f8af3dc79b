// What the matcher compares of a report, computed once per report (names
// folded and resolved, classification and groups, day window, fatality
// range), and the score of a pair from its parts. Internal to reconcile.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "config.h"

namespace truce::reconcile {

// How a report classifies its event: ACLED's types (ACLED, news, GeoJSON),
// UCDP's type of violence, GDELT's CAMEO code.
enum class Scheme : std::uint8_t { kNone, kAcled, kUcdp, kCameo };

constexpr int kActorKeys = 4;
using ActorKeys = std::array<std::int32_t, kActorKeys>;  // -1: none

struct Features {
  std::int32_t first_day = 0, last_day = 0;  // days since 1970-01-01, inclusive
  double lat_deg = 0, lon_deg = 0, radius_m = 0;
  double cos_lat = 1;  // for the quick distance bound
  std::int64_t record_id = 0;
  std::uint64_t source = 0;  // curated rows: a hash of the source id (equal hashes are compared as text)
  Scheme scheme = Scheme::kNone;
  std::int32_t type = -1, sub = -1;  // interned event type, sub-type (ACLED scheme); code (UCDP, CAMEO)
  std::int32_t cameo_root = -1;      // CAMEO: the two-digit root
  std::uint64_t groups = 0;          // bit i: in Config::type_groups[i]
  std::int32_t dataset = -1;         // interned dataset
  bool curated = false;
  bool too_vague = false;  // radius over Config::max_radius_m: never a candidate
  std::uint8_t actor_count = 0;
  // Up to two actors, each with up to kActorKeys keys (folded name, registry
  // id, the config's sets it is in); the same actor when they share a key.
  std::array<ActorKeys, 2> actors{};
  std::array<std::uint8_t, 2> actor_slot{{0, 0}};  // which report field: 1 actor1, 2 actor2
  std::int32_t fatal_low = 0, fatal_high = 0;
  bool fatal_known = true;   // false: the dataset counts no deaths (its 0 is unknown)
  std::int32_t lag_days = 0;
  bool actors_firm = true;  // every actor identified (not a bare GDELT name): may veto a pair  // first_day reaches back this far from the reported day
};

// The parts of a pair's score, as numbers; the reason is rendered from them
// only for the pairs that end up merged.
struct Parts {
  bool allowed = true;
  std::string veto;  // why not allowed, in words
  double distance_m = 0;
  double distance = 0, time = 0, type = 0, actors = 0, fatalities = 0;
  bool type_known = true, actors_known = true, fatalities_known = true;
  double score = 0;
};

// Builds Features for reports, interning strings and caching resolved actor
// names. Not thread-safe; build all features first, then score concurrently.
class FeatureBuilder {
 public:
  FeatureBuilder(const Config& config, const ActorResolver& resolve);
  Features Build(const model::Report& r);

 private:
  static std::int32_t Intern(std::unordered_map<std::string, std::int32_t>* ids, const std::string& s);
  std::int32_t Intern(const std::string& s) { return Intern(&ids_, s); }
  void KeysOf(const std::string& name, ActorKeys* keys);
  // The key of actors.same[i] a folded name has there: "set:I" (listed),
  // "set:I:WORDS" (a pattern's "{}" captured WORDS), "" (not in the set).
  std::string SetKey(std::size_t i, const std::string& folded) const;
  // A GDELT actor: its name's keys and those of the name its CAMEO code's
  // role gives (actors.cameo_roles), "" when the code gives none.
  std::string CameoName(const model::Report& r, std::string_view code) const;

  const Config& config_;
  const ActorResolver& resolve_;
  std::unordered_map<std::string, std::int32_t> ids_;  // actor keys, CAMEO codes
  std::unordered_map<std::string, std::int32_t> datasets_, types_, subs_;
  std::unordered_map<std::string, ActorKeys> actor_cache_;
  std::unordered_map<std::string, std::string> set_alias_;  // a list's key -> the pattern key its names have
};

// Great-circle distance on the mean sphere (R = 6371.0088 km), metres. The
// matcher compares against radii of kilometres: half a percent is nothing
// there, and this is ten times faster than the ellipsoid.
double SphereDistanceM(double lat1_deg, double lon1_deg, double lat2_deg, double lon2_deg);

// The pair's parts and score. `a`, `b` and their features belong together.
// `words`: say why a pair is not allowed (Parts::veto); off while scanning
// candidates, where most pairs fail the distance and no one reads why.
Parts ScoreParts(const Config& config, const model::Report& a, const Features& fa, const model::Report& b,
                 const Features& fb, bool words = true);
// ScoreParts without words: all that scanning reads of the two reports
// beyond their features is their source ids (by reference: read only for
// two rows of one curated dataset, not for every candidate).
Parts QuickParts(const Config& config, const std::string& source_a, const Features& fa, const std::string& source_b,
                 const Features& fb);

// "3.1 km apart, within ACLED's 10 km radius; same day; shelling ~ UCDP
// state-based; Military Forces of Syria ~ Government of Syria; fatalities agree (3; 2-6)".
std::string Reason(const Config& config, const model::Report& a, const Features& fa, const model::Report& b,
                   const Features& fb, const Parts& parts);

// "ACLED AFG44612", "UCDP 342211", "news report 17": a report as reasons name it.
std::string ReportLabel(const model::Report& r);

}  // namespace truce::reconcile
