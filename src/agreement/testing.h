// Test helpers for the agreement module: a file system rooted at a directory
// (so that messages name files as the fixtures expect), and a full text dump
// of a loaded agreement for comparing two loads.
#pragma once

#include <string>

#include "truce/agreement/agreement.h"
#include "truce/time/time.h"

namespace truce::agreement::testing {

// Reads "x/y" as "<root>/x/y"; never writes.
class RootedFileSystem final : public FileSystem {
 public:
  explicit RootedFileSystem(std::string root) : root_(std::move(root)) {}
  Result<std::string> ReadFile(const std::string& path) const override {
    return real_.ReadFile(path.front() == '/' ? path : root_ + "/" + path);
  }
  Status WriteFileAtomic(const std::string& path, const std::string&) override {
    return Status::IoError(path + ": read-only test file system");
  }
  bool Exists(const std::string& path) const override {
    return real_.Exists(path.front() == '/' ? path : root_ + "/" + path);
  }

 private:
  std::string root_;
  RealFileSystem real_;
};

// The repository's tests/data/agreements.
inline std::string FixtureDir() { return std::string(TRUCE_SOURCE_DIR) + "/tests/data/agreements"; }

// An instant written in ISO 8601 ("2020-03-06T00:01:00+02:00"); the test's
// own constant, so it must parse.
inline time::Instant Utc(const char* text) { return *time::ParseInstant(text); }

// Every field of the agreement and its actors, one per line.
std::string Dump(const LoadedAgreement& loaded);

}  // namespace truce::agreement::testing
