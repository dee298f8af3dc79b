// FIPS 10-4 country codes (GDELT's ActionGeo_CountryCode) to ISO 3166-1
// alpha-3. Territories without an ISO code of their own map to the code ISO
// files them under (Gaza Strip and West Bank -> PSE, the US minor islands ->
// UMI, the French scattered islands -> ATF); disputed islets (Paracel,
// Spratly) and the UK bases on Cyprus have none. Thread-safety: constant data.
#pragma once

#include <span>
#include <string_view>

namespace truce::ingest {

struct FipsCountry {
  std::string_view fips;  // "SY"
  std::string_view iso3;  // "SYR"
  std::string_view name;  // "Syria"
};

// The entry for a FIPS code (case-sensitive, as GDELT writes it), or nullptr.
const FipsCountry* FindFipsCountry(std::string_view fips);
// "" when unknown.
std::string_view FipsToIso3(std::string_view fips);
// The whole table, sorted by FIPS code.
std::span<const FipsCountry> AllFipsCountries();

}  // namespace truce::ingest
