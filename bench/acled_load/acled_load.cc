// ACLED CSV load benchmark: maps a file into memory and reads it with
// ingest::Read and a sink that only counts, as a loader would before storing.
// Prints one line: rows, seconds (mapping the file included; map_seconds is
// that part), MB/s, peak RSS.
//
//   acled_load_bench FILE [--threads N] [--given-hash]
//
// --given-hash hashes the file before the clock starts and passes the hash
// in ReadOptions::file_hash, as a caller that hashed the file already (the
// facade, for its duplicate check) does: it shows what the whole-file
// SHA-256 costs. The default is the full Read.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "truce/ingest/ingest.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE [--threads N]\n", argv[0]);
    return 2;
  }
  const std::string path = argv[1];
  truce::ingest::ReadOptions options;
  bool given_hash = false;
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) options.threads = std::atoi(argv[++i]);
    if (std::strcmp(argv[i], "--given-hash") == 0) given_hash = true;
  }

  const auto start = std::chrono::steady_clock::now();
  int fd = open(path.c_str(), O_RDONLY);
  if (fd < 0) {
    std::perror(path.c_str());
    return 1;
  }
  struct stat st {};
  if (fstat(fd, &st) != 0 || st.st_size == 0) {
    std::fprintf(stderr, "%s: empty or unreadable\n", path.c_str());
    return 1;
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  void* map = mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  close(fd);
  if (map == MAP_FAILED) {
    std::perror("mmap");
    return 1;
  }
  madvise(map, size, MADV_SEQUENTIAL);
  const double map_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  auto read_start = std::chrono::steady_clock::now();
  if (given_hash) {
    options.file_hash = truce::ingest::FileHash(std::string_view(static_cast<const char*>(map), size));
    read_start = std::chrono::steady_clock::now();
  }
  long long rows = 0, fatalities = 0;
  auto result = truce::ingest::Read(std::string_view(static_cast<const char*>(map), size), path, options,
                                    [&](truce::ingest::Record&& r) {
                                      ++rows;
                                      fatalities += r.incident.fatalities;
                                      return truce::Status::Ok();
                                    });
  const auto stop = std::chrono::steady_clock::now();
  // Mapping the file plus the read (a given hash is computed off the clock).
  const double seconds = map_seconds + std::chrono::duration<double>(stop - read_start).count();
  munmap(map, size);
  if (!result.ok()) {
    std::fprintf(stderr, "%s\n", result.status().ToString().c_str());
    return 1;
  }
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  const double mb = static_cast<double>(size) / 1e6;
  const double peak_mb = static_cast<double>(ru.ru_maxrss) * 1024 / 1e6;
  std::printf(
      "%s rows=%lld seconds=%.3f mb_per_s=%.0f peak_rss_mb=%.1f file_mb=%.1f map_seconds=%.3f skipped=%zu "
      "fatalities=%lld\n",
      given_hash ? "truce-given-hash" : "truce", rows, seconds, mb / seconds, peak_mb, mb, map_seconds, result->skipped.size(), fatalities);
  return 0;
}
