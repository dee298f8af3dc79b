// libFuzzer target: the agreement loader (YAML, docs/agreement-format.md) on
// arbitrary bytes, in a MemFileSystem that holds the files the fixtures
// reference (the Idlib example's actors.yaml and zones/, the bad fixtures'
// files/). Bytes after a line "#@@ file" become a second file, reachable as
// extra.yaml and extra.geojson. An agreement that loads must reload the same
// from its recorded files, and every text in it must be valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "fuzz_util.h"
#include "truce/agreement/agreement.h"

namespace {

using truce::fuzz::Require;
using truce::fuzz::Touch;
using truce::fuzz::TouchText;

constexpr char kDir[] = "/in/";
constexpr std::string_view kSplit = "\n#@@ file\n";

// The fixtures' referenced files, read once from the source tree (missing
// ones are simply absent: the loader then reports them as missing).
using Files = std::vector<std::pair<std::string, std::string>>;
const Files& Fixtures() {
  static const Files files = [] {
    Files out;
    truce::RealFileSystem real;
    const std::string root = TRUCE_SOURCE_DIR;
    for (const char* rel : {"actors.yaml", "zones/contact-line.geojson", "zones/de-escalation-area.geojson",
                            "zones/m4.geojson", "zones/m5.geojson"}) {
      if (auto text = real.ReadFile(root + "/examples/idlib-2020/" + rel); text.ok())
        out.emplace_back(kDir + std::string(rel), *text);
    }
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(root + "/tests/data/agreements/bad/files", ec)) {
      if (auto text = real.ReadFile(e.path().string()); text.ok())
        out.emplace_back(kDir + std::string("files/") + e.path().filename().string(), *text);
    }
    return out;
  }();
  return files;
}

void CheckAgreement(const truce::agreement::LoadedAgreement& loaded) {
  const truce::model::Agreement& a = loaded.agreement;
  for (const auto* s : {&a.id, &a.title, &a.entry_into_force_text, &a.timezone, &a.amends, &a.supersedes, &a.source,
                        &a.note, &a.source_file})
    TouchText(*s, "agreement text field");
  for (const auto& s : a.parties) TouchText(s, "party");
  for (const auto& s : a.countries) TouchText(s, "country");
  for (const auto& p : a.places) {
    TouchText(p.id, "place id");
    TouchText(p.name, "place name");
    TouchText(p.note, "place note");
    Require(std::fabs(p.position.lat_deg) <= 90 && std::fabs(p.position.lon_deg) <= 180, "place in range");
  }
  for (const auto& [id, side] : a.sides) {
    TouchText(id, "side id");
    TouchText(side.guarantor, "guarantor");
  }
  for (const auto& z : a.zones) {
    TouchText(z.id, "zone id");
    TouchText(z.name, "zone name");
    TouchText(z.note, "zone note");
    const double width = z.zone.half_width_m();
    Require(std::isfinite(width) && width >= 0, "zone width finite and >= 0");
  }
  for (const auto& p : a.provisions) {
    TouchText(p.id, "provision id");
    TouchText(p.article, "provision article");
    TouchText(p.text, "provision text");
    TouchText(p.note, "provision note");
    if (p.from && p.until) Require(*p.from < *p.until, "a provision's from is before its until");
  }
  if (a.end) Require(a.entry_into_force < *a.end, "entry into force before the end");
  for (const auto& actor : loaded.actors) {
    TouchText(actor.id, "actor id");
    TouchText(actor.name, "actor name");
    for (const auto& alias : actor.aliases) TouchText(alias, "actor alias");
  }
  Require(!loaded.files.empty(), "a loaded agreement records its files");

  // What is stored must load again, the same (store and reload paths).
  auto again = truce::agreement::ReloadAgreement(loaded.files);
  Require(again.ok(), "an agreement reloads from its recorded files", again.ok() ? "" : again.status().message());
  Require(again->agreement.id == a.id && again->agreement.title == a.title &&
              again->agreement.provisions.size() == a.provisions.size() &&
              again->agreement.zones.size() == a.zones.size() && again->actors.size() == loaded.actors.size(),
          "the reloaded agreement is the same");
  (void)truce::agreement::CheckReferences({&a});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  truce::MemFileSystem fs;
  for (const auto& [path, text] : Fixtures()) fs.Put(path, text);
  const std::size_t split = in.find(kSplit);
  const std::string yaml(in.substr(0, split));
  if (split != std::string_view::npos) {
    const std::string extra(in.substr(split + kSplit.size()));
    fs.Put(kDir + std::string("extra.yaml"), extra);
    fs.Put(kDir + std::string("extra.geojson"), extra);
  }
  const std::string path = kDir + std::string("agreement.yaml");
  fs.Put(path, yaml);
  auto loaded = truce::agreement::LoadAgreementFile(path, fs);
  if (!loaded.ok()) {
    Touch(loaded.status().message());  // may quote the bad bytes (see fuzz_util.h)
    Require(loaded.status().message().find("agreement.yaml") != std::string::npos ||
                loaded.status().message().find("extra.") != std::string::npos ||
                loaded.status().message().find(kDir) != std::string::npos,
            "an error names the file", loaded.status().message());
    return 0;
  }
  CheckAgreement(*loaded);
  return 0;
}
