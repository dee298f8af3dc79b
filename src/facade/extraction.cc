// Core: extracting news reports, with the extractor (dictionaries,
// gazetteer) built on first use and kept.
#include <chrono>
#include <map>
#include <set>

#include "core.h"
#include "truce/extract/text.h"

namespace truce::facade {

Result<const extract::Extractor*> Core::ExtractorFor(const ArticleOptions& options,
                                                     std::vector<std::string>* warnings) {
  const std::string key = options.data_dir + '\n' + options.gazetteer_path;
  if (!extractor_ || key != extractor_key_) {
    extractor_.reset();
    extractor_warnings_.clear();
    extract::ExtractorOptions eo;
    eo.data_dir = options.data_dir;
    eo.gazetteer_path = options.gazetteer_path;
    TRUCE_ASSIGN_OR_RETURN(extractor_, extract::Extractor::Create(fs_, eo, &extractor_warnings_));
    extractor_key_ = key;
  }
  warnings->insert(warnings->end(), extractor_warnings_.begin(), extractor_warnings_.end());
  return extractor_.get();
}

// Stored incidents placed more loosely than this do not name a place (a
// province's centre is not where "Idlib" the town is).
constexpr double kKnownPlaceMaxUncertaintyM = 25'000;

Result<std::shared_ptr<const extract::KnownPlaces>> Core::KnownPlacesFor(const extract::Extractor& ex) {
  if (!store_) return std::shared_ptr<const extract::KnownPlaces>();
  TRUCE_ASSIGN_OR_RETURN(std::int64_t generation, store_->Generation());
  if (known_places_ && generation == known_places_generation_ && &ex == known_places_extractor_) return known_places_;
  std::vector<extract::KnownPlace> places;
  std::set<std::string> named;
  TRUCE_ASSIGN_OR_RETURN(auto agreements, Agreements(generation));
  for (const auto& la : *agreements) {
    for (const model::PlaceDef& p : la.agreement.places) {
      if (named.insert(p.name).second) places.push_back({p.name, p.position.lat_deg, p.position.lon_deg, "", ""});
    }
  }
  // Each location's most precisely placed incident.
  std::map<std::string, const query::IncidentOutline*> best;
  TRUCE_ASSIGN_OR_RETURN(auto index, Index(generation));
  index->ForEach(query::Filter{}, [&](const query::IncidentOutline& i) {
    if (i.location.empty() || named.count(i.location) || i.uncertainty_m > kKnownPlaceMaxUncertaintyM) return true;
    auto [it, fresh] = best.emplace(i.location, &i);
    if (!fresh && i.uncertainty_m < it->second->uncertainty_m) it->second = &i;
    return true;
  });
  for (const auto& [name, i] : best) places.push_back({name, i->point.lat_deg, i->point.lon_deg, "", i->admin1});
  known_places_ = std::make_shared<const extract::KnownPlaces>(ex.MakeKnownPlaces(places));
  known_places_generation_ = generation;
  known_places_extractor_ = &ex;
  return known_places_;
}

Result<extract::Extraction> Core::Extract(const std::string& name, const std::string& bytes, time::Days published,
                                          const ArticleOptions& options, std::vector<std::string>* said) {
  extract::PrepareOptions prepare;
  prepare.max_bytes = options.max_bytes;
  TRUCE_ASSIGN_OR_RETURN(extract::PreparedText prepared, extract::PrepareText(bytes, name, prepare));
  if (said) said->insert(said->end(), prepared.warnings.begin(), prepared.warnings.end());
  std::vector<std::string> warnings = prepared.warnings;
  std::vector<std::string> built;
  TRUCE_ASSIGN_OR_RETURN(const extract::Extractor* ex, ExtractorFor(options, &built));
  if (said) said->insert(said->end(), built.begin(), built.end());
  warnings.insert(warnings.end(), built.begin(), built.end());
  TRUCE_ASSIGN_OR_RETURN(std::shared_ptr<const extract::KnownPlaces> known, KnownPlacesFor(*ex));
  // The budget bounds reading this text (a hostile one must not hold a
  // thread), not loading the gazetteer or the stored places the first
  // request after a change builds.
  std::optional<std::chrono::steady_clock::time_point> deadline;
  if (options.extract_budget_ms > 0) {
    deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options.extract_budget_ms);
  }
  extract::Extraction x = ex->Extract(prepared.text, published, deadline, known.get());
  if (x.stopped_at_deadline) {
    return Status::InvalidArgument(name + ": the text took more than " + std::to_string(options.extract_budget_ms) +
                                   " ms to extract (" + std::to_string(bytes.size()) +
                                   " bytes); send a shorter one");
  }
  x.warnings = std::move(warnings);
  return x;
}

}  // namespace truce::facade
