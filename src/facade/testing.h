// What the facade's tests share: the test box zone, ACLED's current header,
// UCDP GED's header, and a directory of its own per test for the files a test writes.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace truce::facade::testing {

// A 0.5° square around Testville (35.5-36.0 N, 36.0-36.5 E).
inline constexpr const char* kBox =
    R"({"type": "Polygon", "coordinates": [[[36.0, 35.5], [36.5, 35.5], [36.5, 36.0], [36.0, 36.0], [36.0, 35.5]]]})";

// ACLED's export header since 2023 (31 columns).
inline constexpr const char* kAcledHeader =
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,"
    "inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
    "location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp\n";

// UCDP GED's CSV header (49 columns).
inline constexpr const char* kUcdpHeader =
    "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,conflict_name,"
    "dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,side_b_dset_id,side_b_new_id,side_b,"
    "number_of_sources,source_article,source_office,source_date,source_headline,source_original,where_prec,"
    "where_coordinates,where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,country_id,"
    "region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,"
    "high,low,gwnoa,gwnob\n";

// A fresh directory named after the running test (`prefix` + its name),
// removed first if a previous run left it.
inline std::filesystem::path FreshTestDir(const std::string& prefix) {
  const std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) /
      (prefix + std::to_string(::getpid()) + "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// Writes `text` to dir/name (bytes as given); returns the path.
inline std::string WriteFile(const std::filesystem::path& dir, const std::string& name, const std::string& text) {
  std::ofstream(dir / name, std::ios::binary) << text;
  return (dir / name).string();
}

}  // namespace truce::facade::testing
