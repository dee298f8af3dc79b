// What the readers' tests share: fixtures in tests/data/ingest, a civil day,
// a text read into its records, and the error a bad text gives.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "truce/core/env.h"
#include "truce/ingest/ingest.h"

namespace truce::ingest::reader_testing {

inline std::string Fixture(const std::string& name) { return std::string(TRUCE_SOURCE_DIR) + "/tests/data/ingest/" + name; }

inline std::string Load(const std::string& path) {
  RealFileSystem fs;
  auto r = fs.ReadFile(path);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : std::string();
}

inline time::Days Day(int y, unsigned m, unsigned d) {
  return time::Days{date::sys_days{date::year{y} / date::month{m} / date::day{d}}.time_since_epoch()};
}

struct Outcome {
  Result<ReadSummary> summary = Status::Internal("not run");
  std::vector<Record> records;
};

inline Outcome ReadText(std::string_view text, const std::string& file, ReadOptions options = {}) {
  Outcome out;
  out.summary = Read(text, file, options, [&](Record&& r) {
    out.records.push_back(std::move(r));
    return Status::Ok();
  });
  return out;
}

// The message of the error reading `text` gives (a test failure if it reads).
inline std::string ErrorOf(const std::string& text, ReadOptions options = {}) {
  Outcome o = ReadText(text, "f.csv", options);
  EXPECT_FALSE(o.summary.ok()) << "expected an error";
  return o.summary.ok() ? "" : o.summary.status().message();
}

}  // namespace truce::ingest::reader_testing
