// data/reconcile/matching.yaml as it was when this binary was built, so that
// the matcher needs no file at run time (EngineOptions::matching_path names
// another one).
#pragma once

#include <string_view>

namespace truce::facade {

std::string_view DefaultMatchingYaml();

}  // namespace truce::facade
