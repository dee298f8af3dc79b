// The real agreements in examples/ (issue 12): every agreement file there
// loads, each directory's agreements check together (amends, extends), and
// the places their sources name fall where they should in the hand-drawn
// zones. So that no example rots when the format changes.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "testing.h"
#include "truce/core/strings.h"

namespace truce::agreement {
namespace {

namespace fs = std::filesystem;

// Agreement files: the YAML files directly in examples/<dir>/ that start a
// document with `id:` (actor files hold only `actors:`). Paths from the root.
std::vector<std::string> ExampleAgreementFiles() {
  std::vector<std::string> out;
  const fs::path root = fs::path(TRUCE_SOURCE_DIR) / "examples";
  for (const auto& dir : fs::directory_iterator(root)) {
    if (!dir.is_directory()) continue;
    for (const auto& f : fs::directory_iterator(dir.path())) {
      if (f.path().extension() != ".yaml") continue;
      std::ifstream in(f.path());
      std::string line;
      bool agreement = false;
      while (std::getline(in, line)) {
        if (line.rfind("id:", 0) == 0) agreement = true;
      }
      if (agreement) out.push_back("examples/" + dir.path().filename().string() + "/" + f.path().filename().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Example directories that use a key not built yet (issue 12 is built by
// several people at once): their files must fail to load, which is reported,
// not counted; once they load, the entry must go.
const std::map<std::string, std::string>& Awaiting() {
  static const std::map<std::string, std::string> kAwaiting = {};  // none: all of issue 12's keys are built
  return kAwaiting;
}

std::string DirOf(const std::string& file) { return file.substr(0, file.rfind('/')); }

// For an example agreement that did not load: a failure unless its directory awaits a key.
void ExpectAwaiting(const std::string& dir) {
  if (Awaiting().count(dir) == 0) ADD_FAILURE() << dir << ": an agreement did not load";
}

Result<LoadedAgreement> LoadExample(const std::string& path) {
  testing::RootedFileSystem disk(TRUCE_SOURCE_DIR);
  return LoadAgreementFile(path, disk);
}

class RealAgreementFile : public ::testing::TestWithParam<std::string> {};

TEST_P(RealAgreementFile, Loads) {
  auto loaded = LoadExample(GetParam());
  const auto awaiting = Awaiting().find(DirOf(GetParam()));
  if (awaiting != Awaiting().end()) {
    if (!loaded.ok()) {
      std::cout << "[ KNOWN    ] " << GetParam() << ": " << awaiting->second << "\n";
      return;
    }
    // A directory's files may load before its last key is built; the
    // directory's entry goes when all of them load (EachDirectoryChecksTogether).
  }
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  const model::Agreement& a = loaded->agreement;
  EXPECT_FALSE(a.source.empty()) << GetParam() << ": cite where the text comes from";
  for (const model::ZoneDef& z : a.zones) {
    // Every zone of these examples is drawn by hand, and must say so.
    EXPECT_TRUE(z.approximate) << GetParam() << ": zone " << z.id;
    EXPECT_FALSE(z.note.empty()) << GetParam() << ": zone " << z.id << " needs a note saying what it follows";
  }
}

INSTANTIATE_TEST_SUITE_P(Examples, RealAgreementFile, ::testing::ValuesIn(ExampleAgreementFiles()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string n = info.param.substr(std::string("examples/").size());
                           n = n.substr(0, n.size() - 5);
                           for (char& c : n) {
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return n;
                         });

TEST(RealAgreements, AllSixAndIdlibArePresent) {
  std::vector<std::string> dirs;
  for (const std::string& f : ExampleAgreementFiles()) {
    std::string dir = f.substr(0, f.rfind('/'));
    if (dirs.empty() || dirs.back() != dir) dirs.push_back(dir);
  }
  EXPECT_EQ(dirs, (std::vector<std::string>{"examples/doha-2020", "examples/donbas-2020", "examples/gaza-pause-2023",
                                            "examples/idlib-2020", "examples/karabakh-2020", "examples/lebanon-2024",
                                            "examples/yemen-truce-2022"}));
}

// Each directory's agreements refer only to each other (amends, extends).
TEST(RealAgreements, EachDirectoryChecksTogether) {
  std::map<std::string, std::vector<LoadedAgreement>> by_dir;
  std::map<std::string, bool> all_load;
  for (const std::string& f : ExampleAgreementFiles()) {
    auto loaded = LoadExample(f);
    all_load.emplace(DirOf(f), true);
    if (!loaded.ok()) {
      all_load[DirOf(f)] = false;  // reported by RealAgreementFile.Loads
      continue;
    }
    by_dir[DirOf(f)].push_back(std::move(loaded).value());
  }
  for (const auto& [dir, ok] : all_load) {
    if (ok) {
      EXPECT_EQ(Awaiting().count(dir), 0u) << dir << " loads now: remove it from Awaiting()";
    }
  }
  for (const auto& [dir, loaded] : by_dir) {
    if (!all_load[dir]) continue;
    std::vector<const model::Agreement*> set;
    for (const LoadedAgreement& l : loaded) set.push_back(&l.agreement);
    EXPECT_TRUE(CheckReferences(set).ok()) << dir << ": " << CheckReferences(set).ToString();
  }
}

const model::Agreement* Find(const std::vector<LoadedAgreement>& all, const std::string& id) {
  for (const LoadedAgreement& l : all) {
    if (l.agreement.id == id) return &l.agreement;
  }
  return nullptr;
}

std::vector<LoadedAgreement> LoadAll() {
  std::vector<LoadedAgreement> out;
  for (const std::string& f : ExampleAgreementFiles()) {
    auto loaded = LoadExample(f);
    if (loaded.ok()) out.push_back(std::move(loaded).value());
  }
  return out;
}

struct Place {
  const char* name;
  geo::LatLon at;
};

void ExpectIn(const model::Agreement& a, const std::string& zone_id, const std::vector<Place>& places, bool inside) {
  const model::ZoneDef* zone = a.FindZone(zone_id);
  ASSERT_NE(zone, nullptr) << a.id << ": no zone " << zone_id;
  for (const Place& p : places) {
    EXPECT_EQ(zone->zone.Contains(p.at), inside)
        << p.name << (inside ? " should be in " : " should not be in ") << a.id << "/" << zone_id << " (distance "
        << zone->zone.DistanceM(p.at) << " m)";
  }
}

using testing::Utc;

TEST(RealAgreements, PlacesFallWhereTheSourcesPutThem) {
  const std::vector<LoadedAgreement> all = LoadAll();
  if (const model::Agreement* a = Find(all, "gaza-pause-2023")) {
    const Place gaza_city{"Gaza City", {31.52, 34.45}}, beit_lahia{"Beit Lahia", {31.55, 34.50}},
        khan_younis{"Khan Younis", {31.345, 34.305}}, rafah{"Rafah", {31.28, 34.25}}, sderot{"Sderot", {31.525, 34.596}},
        beersheba{"Beersheba", {31.25, 34.79}};
    ExpectIn(*a, "gaza-strip", {gaza_city, beit_lahia, khan_younis, rafah}, true);
    ExpectIn(*a, "gaza-strip", {sderot, beersheba}, false);
    ExpectIn(*a, "north-gaza", {gaza_city, beit_lahia}, true);
    ExpectIn(*a, "north-gaza", {khan_younis, rafah}, false);
    ExpectIn(*a, "south-gaza", {khan_younis, rafah}, true);
    ExpectIn(*a, "south-gaza", {gaza_city}, false);
    ExpectIn(*a, "gaza-envelope", {sderot}, true);
    ExpectIn(*a, "gaza-envelope", {gaza_city, beersheba}, false);
  } else {
    ExpectAwaiting("examples/gaza-pause-2023");
  }
  if (const model::Agreement* a = Find(all, "yemen-truce-2022")) {
    // One area of two files: Yemen's towns and the Saudi towns the Houthis struck.
    ExpectIn(*a, "yemen-and-borders",
             {{"Sanaa", {15.35, 44.21}}, {"Taiz", {13.58, 44.02}}, {"Marib", {15.46, 45.32}}, {"Saada", {16.94, 43.76}},
              {"al-Dhabba terminal", {14.76, 49.60}}, {"Najran", {17.49, 44.13}}, {"Jizan", {16.89, 42.55}},
              {"Riyadh", {24.71, 46.68}}},
             true);
    ExpectIn(*a, "yemen-and-borders", {{"Muscat", {23.59, 58.41}}, {"Djibouti", {11.59, 43.15}}}, false);
  } else {
    ExpectAwaiting("examples/yemen-truce-2022");
  }
  if (const model::Agreement* a = Find(all, "karabakh-2020")) {
    const Place stepanakert{"Stepanakert", {39.815, 46.752}}, shusha{"Shusha", {39.758, 46.749}},
        aghdam{"Aghdam", {39.99, 46.93}}, kalbajar{"Kalbajar", {40.10, 46.04}}, lachin{"Lachin", {39.64, 46.545}},
        hin_tagher{"Hin Tagher", {39.56, 46.96}}, goris{"Goris", {39.51, 46.34}}, baku{"Baku", {40.41, 49.87}};
    ExpectIn(*a, "conflict-zone", {stepanakert, shusha, aghdam, kalbajar, lachin, hin_tagher}, true);
    ExpectIn(*a, "conflict-zone", {goris, baku}, false);
    ExpectIn(*a, "aghdam", {aghdam}, true);
    ExpectIn(*a, "aghdam", {kalbajar, lachin}, false);
    ExpectIn(*a, "kalbajar", {kalbajar}, true);
    ExpectIn(*a, "kalbajar", {aghdam, lachin}, false);
    ExpectIn(*a, "lachin", {lachin}, true);
    ExpectIn(*a, "lachin", {goris, kalbajar}, false);
    ExpectIn(*a, "returned-districts", {aghdam, kalbajar, lachin}, true);
    ExpectIn(*a, "returned-districts", {stepanakert, goris}, false);
    // "The Lachin corridor (5 km wide) ... will not affect Shusha."
    ExpectIn(*a, "lachin-corridor", {stepanakert, lachin}, true);
    ExpectIn(*a, "lachin-corridor", {shusha}, false);
    // The shared Kalbajar-Lachin border is no edge of the union: a point on it is 5+ km from the edge.
    const model::ZoneDef* returned = a->FindZone("returned-districts");
    ASSERT_NE(returned, nullptr);
    const geo::ZoneRelation near_inner_border = returned->zone.Relate({39.82, 46.28}, 0);
    EXPECT_TRUE(near_inner_border.center_inside);
    EXPECT_GT(near_inner_border.edge_distance_m, 5000);
  } else {
    ExpectAwaiting("examples/karabakh-2020");
  }
  if (const model::Agreement* a = Find(all, "lebanon-2024")) {
    const Place bint_jbeil{"Bint Jbeil", {33.12, 35.43}}, aitaroun{"Aitaroun", {33.117, 35.467}},
        haris{"Haris", {33.23, 35.37}}, zahle{"Zahle", {33.85, 35.90}}, mount_dov{"Mount Dov", {33.29, 35.77}},
        safed{"Safed", {32.96, 35.50}};
    ExpectIn(*a, "lebanon", {bint_jbeil, aitaroun, haris, zahle}, true);
    ExpectIn(*a, "lebanon", {mount_dov, safed}, false);
    ExpectIn(*a, "south-litani", {bint_jbeil, aitaroun, haris}, true);
    ExpectIn(*a, "south-litani", {zahle, mount_dov}, false);
    ExpectIn(*a, "northern-israel", {mount_dov, safed}, true);
    ExpectIn(*a, "northern-israel", {haris, zahle}, false);
  } else {
    ExpectAwaiting("examples/lebanon-2024");
  }
  if (const model::Agreement* a = Find(all, "doha-2020")) {
    ExpectIn(*a, "afghanistan",
             {{"Kabul", {34.53, 69.18}}, {"Kandahar", {31.61, 65.71}}, {"Kunduz", {36.73, 68.86}},
              {"Herat", {34.35, 62.20}}, {"Bagram", {34.95, 69.26}}, {"Gereshk (Nahr-e Saraj)", {31.82, 64.57}}},
             true);
    ExpectIn(*a, "afghanistan", {{"Quetta", {30.18, 67.00}}, {"Peshawar", {34.01, 71.58}}}, false);
  } else {
    ExpectAwaiting("examples/doha-2020");
  }
  if (const model::Agreement* a = Find(all, "donbas-2020")) {
    ExpectIn(*a, "contact-line-area",
             {{"Avdiivka", {48.14, 37.74}}, {"Donetsk", {48.00, 37.80}}, {"Horlivka", {48.30, 38.05}},
              {"Prychepylivka (approximate)", {48.68, 39.05}}},
             true);
    ExpectIn(*a, "contact-line-area", {{"Kharkiv", {49.99, 36.23}}, {"Dnipro", {48.46, 35.05}}}, false);
  } else {
    ExpectAwaiting("examples/donbas-2020");
  }
}

// The deadlines as the sources give them, in UTC. Each test loads every
// example (they are small) and looks at one agreement.
const model::Agreement* Example(const std::vector<LoadedAgreement>& all, const std::string& dir,
                                const std::string& id) {
  const model::Agreement* a = Find(all, id);
  if (a == nullptr) ExpectAwaiting(dir);
  return a;
}

TEST(RealAgreementDeadlines, KarabakhOneProvisionPerDistrict) {
  const std::vector<LoadedAgreement> all = LoadAll();
  const model::Agreement* nk = Example(all, "examples/karabakh-2020", "karabakh-2020");
  if (nk == nullptr) return;
  // 00:00 Moscow time, 10 November 2020.
  EXPECT_EQ(nk->entry_into_force, Utc("2020-11-09T21:00:00Z"));
  // Each district's own deadline, 00:00 in Baku (UTC+4); Kalbajar's as postponed.
  const std::vector<std::pair<std::string, const char*>> items = {
      {"aghdam", "2020-11-19T20:00:00Z"}, {"kalbajar", "2020-11-24T20:00:00Z"}, {"lachin", "2020-11-30T20:00:00Z"}};
  for (const auto& [item, due] : items) {
    const model::Provision* p = nk->FindProvision("handovers." + item);
    ASSERT_NE(p, nullptr) << item;
    EXPECT_EQ(p->kind, model::ProvisionKind::kObligation);
    EXPECT_EQ(p->obligation, model::ObligationKind::kWithdraw);
    EXPECT_EQ(p->zone, item);
    EXPECT_EQ(p->due, std::optional<time::Instant>(Utc(due))) << item;
  }
}

TEST(RealAgreementDeadlines, LebanonSixtyDays) {
  const std::vector<LoadedAgreement> all = LoadAll();
  const model::Agreement* lebanon = Example(all, "examples/lebanon-2024", "lebanon-2024");
  if (lebanon == nullptr) return;
  EXPECT_EQ(lebanon->entry_into_force, Utc("2024-11-27T02:00:00Z"));
  const model::Provision* withdrawal = lebanon->FindProvision("p12-withdrawal");
  ASSERT_NE(withdrawal, nullptr);
  // +60d: 04:00 local on 26 January 2025.
  EXPECT_EQ(withdrawal->due, std::optional<time::Instant>(Utc("2025-01-26T02:00:00Z")));
}

TEST(RealAgreementDeadlines, GazaFourDays) {
  const std::vector<LoadedAgreement> all = LoadAll();
  const model::Agreement* gaza = Example(all, "examples/gaza-pause-2023", "gaza-pause-2023");
  if (gaza == nullptr) return;
  EXPECT_EQ(gaza->entry_into_force, Utc("2023-11-24T05:00:00Z"));
  const model::Provision* hostages = gaza->FindProvision("hostages");
  ASSERT_NE(hostages, nullptr);
  EXPECT_EQ(hostages->due, std::optional<time::Instant>(Utc("2023-11-28T05:00:00Z")));
}

TEST(RealAgreementDeadlines, Doha135Days) {
  const std::vector<LoadedAgreement> all = LoadAll();
  const model::Agreement* doha = Example(all, "examples/doha-2020", "doha-2020");
  if (doha == nullptr) return;
  const model::Provision* reduce = doha->FindProvision("p1a-reduce-forces");
  ASSERT_NE(reduce, nullptr);
  // 135 days from 00:00 on 29 February 2020 in Kabul (UTC+4:30): 13 July.
  EXPECT_EQ(reduce->due, std::optional<time::Instant>(Utc("2020-07-12T19:30:00Z")));
}

}  // namespace
}  // namespace truce::agreement
