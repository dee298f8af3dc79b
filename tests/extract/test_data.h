// Shared fixtures for the extract tests: the repository's dictionaries and a
// small gazetteer written here (the tests do not need node_modules), and a
// civil day.
#pragma once

#include <memory>
#include <string>

#include "truce/core/env.h"
#include "truce/time/time.h"
#include "gazetteer.h"
#include "lexicon.h"
#include "truce/extract/extractor.h"

namespace truce::extract::testing {

// A civil day written "YYYY-MM-DD" (the test's own constant).
inline time::Days IsoDay(const char* iso) { return *time::ParseIsoDate(iso); }

inline std::string DataDir() { return std::string(TRUCE_SOURCE_DIR) + "/data/extract"; }

inline const char* kSmallGazetteer = R"([
 {"name":"Kharkiv","lat":"49.98081","lng":"36.25272","country":"UA","admin1":"07","admin2":""},
 {"name":"Kyiv","lat":"50.45466","lng":"30.5238","country":"UA","admin1":"12","admin2":""},
 {"name":"Mykolaiv","lat":"46.97625","lng":"31.99296","country":"UA","admin1":"16","admin2":""},
 {"name":"Moscow","lat":"46.73239","lng":"-117.00017","country":"US","admin1":"ID","admin2":"057"},
 {"name":"Moscow","lat":"55.75204","lng":"37.61781","country":"RU","admin1":"48","admin2":""},
 {"name":"Sar\u0101qib","lat":"35.86447","lng":"36.80591","country":"SY","admin1":"12","admin2":""},
 {"name":"Jisr ash Shugh\u016br","lat":"35.81418","lng":"36.31983","country":"SY","admin1":"12","admin2":""},
 {"name":"Idlib","lat":"35.93062","lng":"36.63393","country":"SY","admin1":"12","admin2":""},
 {"name":"Khartoum","lat":"15.55177","lng":"32.53241","country":"SD","admin1":"29","admin2":""},
 {"name":"Omdurman","lat":"15.64453","lng":"32.47773","country":"SD","admin1":"29","admin2":""},
 {"name":"Tripoli","lat":"34.43667","lng":"35.84972","country":"LB","admin1":"09","admin2":""},
 {"name":"Tripoli","lat":"32.88743","lng":"13.18733","country":"LY","admin1":"77","admin2":""}
])";
inline const char* kSmallAdmin1 =
    R"([{"code":"UA.07","name":"Kharkiv"},{"code":"SY.12","name":"Idlib"},{"code":"SD.29","name":"Khartoum"},)"
    R"({"code":"UA.09","name":"Luhansk Oblast"},{"code":"PH.40","name":"Province of Batangas"}])";

inline std::unique_ptr<Extractor> MakeExtractor() {
  RealFileSystem fs;
  auto lex = Lexicon::Load(fs, DataDir());
  if (!lex.ok()) return nullptr;
  auto gaz = Gazetteer::FromJson(kSmallGazetteer, kSmallAdmin1, "test-gazetteer", **lex);
  if (!gaz.ok()) return nullptr;
  return std::make_unique<Extractor>(std::move(*lex), std::move(*gaz));
}

}  // namespace truce::extract::testing
