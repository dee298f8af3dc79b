// Core: extracting news reports, with the extractor (dictionaries,
// gazetteer) built on first use and kept.
#include <chrono>

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

Result<extract::Extraction> Core::Extract(const std::string& name, const std::string& bytes, time::Days published,
                                          const ArticleOptions& options, std::vector<std::string>* said) {
  std::optional<std::chrono::steady_clock::time_point> deadline;
  if (options.extract_budget_ms > 0) {
    deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options.extract_budget_ms);
  }
  extract::PrepareOptions prepare;
  prepare.max_bytes = options.max_bytes;
  TRUCE_ASSIGN_OR_RETURN(extract::PreparedText prepared, extract::PrepareText(bytes, name, prepare));
  if (said) said->insert(said->end(), prepared.warnings.begin(), prepared.warnings.end());
  std::vector<std::string> warnings = prepared.warnings;
  std::vector<std::string> built;
  TRUCE_ASSIGN_OR_RETURN(const extract::Extractor* ex, ExtractorFor(options, &built));
  if (said) said->insert(said->end(), built.begin(), built.end());
  warnings.insert(warnings.end(), built.begin(), built.end());
  extract::Extraction x = ex->Extract(prepared.text, published, deadline);
  if (x.stopped_at_deadline) {
    return Status::InvalidArgument(name + ": the text took more than " + std::to_string(options.extract_budget_ms) +
                                   " ms to extract (" + std::to_string(bytes.size()) +
                                   " bytes); send a shorter one");
  }
  x.warnings = std::move(warnings);
  return x;
}

}  // namespace truce::facade
