// The small interfaces through which Truce touches the outside world: the clock
// and the file system. Library code takes them by reference so that tests can
// run deterministically and inject faults. Thread-safety: implementations here
// are safe for concurrent use.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "truce/core/sha256.h"  // Sha256Hex, long declared here: its callers still find it
#include "truce/core/status.h"

namespace truce {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::sys_seconds Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::chrono::sys_seconds Now() const override;
};

class FixedClock final : public Clock {
 public:
  explicit FixedClock(std::chrono::sys_seconds now) : now_(now) {}
  std::chrono::sys_seconds Now() const override { return now_; }

 private:
  std::chrono::sys_seconds now_;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // Whole file as bytes. NotFound / IoError naming the path.
  virtual Result<std::string> ReadFile(const std::string& path) const = 0;
  // Writes to a temporary file beside `path` and renames it into place, so a
  // reader never sees half a file.
  virtual Status WriteFileAtomic(const std::string& path, const std::string& contents) = 0;
  virtual bool Exists(const std::string& path) const = 0;
};

// The real file system.
class RealFileSystem final : public FileSystem {
 public:
  Result<std::string> ReadFile(const std::string& path) const override;
  Status WriteFileAtomic(const std::string& path, const std::string& contents) override;
  bool Exists(const std::string& path) const override;
};

// Files in memory, for tests; `fail_writes` makes every write fail.
class MemFileSystem final : public FileSystem {
 public:
  void Put(const std::string& path, std::string contents);
  Result<std::string> ReadFile(const std::string& path) const override;
  Status WriteFileAtomic(const std::string& path, const std::string& contents) override;
  bool Exists(const std::string& path) const override;
  bool fail_writes = false;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::string> files_;
};

// Joins a path relative to the directory of `base_file` ("a/b.yaml" + "z.geojson"
// -> "a/z.geojson"); absolute `relative` paths are returned as they are.
std::string ResolveRelative(const std::string& base_file, const std::string& relative);

}  // namespace truce
