// docs/agreement-format.md and the loader stay in step: every key the doc's
// key tables list is one the loader knows, and the other way round; every bad
// fixture (one per validation error) is listed in the doc's error table.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "internal.h"
#include "testing.h"
#include "truce/core/strings.h"

namespace truce::agreement {
namespace {

std::string ReadDoc() {
  std::ifstream in(std::string(TRUCE_SOURCE_DIR) + "/docs/agreement-format.md");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The first cells of the key tables (those headed "| key | type | required |
// default | meaning |"): "| `zones.<zone>.name` | ...".
std::vector<std::string> DocumentedKeys(const std::string& doc) {
  std::vector<std::string> keys;
  std::istringstream in(doc);
  bool in_key_table = false;
  for (std::string line; std::getline(in, line);) {
    if (!StartsWith(line, "|")) {
      in_key_table = false;
      continue;
    }
    if (StartsWith(line, "| key | type | required | default | meaning |")) {
      in_key_table = true;
      continue;
    }
    if (!in_key_table || !StartsWith(line, "| `")) continue;
    const size_t end = line.find('`', 3);
    if (end == std::string::npos) continue;
    keys.push_back(line.substr(3, end - 3));
  }
  return keys;
}

TEST(DocSync, KeyTablesMatchTheLoader) {
  const std::string doc = ReadDoc();
  ASSERT_FALSE(doc.empty()) << "docs/agreement-format.md is missing";
  const std::vector<std::string> documented = DocumentedKeys(doc);
  EXPECT_GT(documented.size(), 50u) << "the key tables were not found";
  const std::set<std::string> doc_set(documented.begin(), documented.end());
  EXPECT_EQ(doc_set.size(), documented.size()) << "a key is documented twice";
  const std::vector<std::string>& known = internal::FormatKeys();
  const std::set<std::string> known_set(known.begin(), known.end());
  for (const std::string& k : documented) EXPECT_TRUE(known_set.count(k)) << "documented, unknown to the loader: " << k;
  for (const std::string& k : known) EXPECT_TRUE(doc_set.count(k)) << "known to the loader, undocumented: " << k;
}

TEST(DocSync, EveryBadFixtureIsInTheErrorTable) {
  const std::string doc = ReadDoc();
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(testing::FixtureDir() + "/bad")) {
    if (e.path().extension() != ".yaml") continue;
    ++n;
    const std::string ref = "bad/" + e.path().filename().string();
    EXPECT_NE(doc.find(ref), std::string::npos) << ref << " is not listed in docs/agreement-format.md";
  }
  EXPECT_GT(n, 30);
}

}  // namespace
}  // namespace truce::agreement
