// Benchmark of news extraction: generates a synthetic corpus from templates,
// extracts it end to end on 2 threads (documents split between them), prints
// sentences/s, start-up time and peak memory, then runs the Python baseline
// (bench/extract/baseline.py with Debian's /usr/bin/python3, python3-icu and
// python3-ahocorasick: sentence split + dictionary scan only) and the ratio.
//
//   extract_bench [--docs N] [--threads T] [--no-baseline] [--out DIR]
#include <sys/resource.h>
#include <time.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "gazetteer.h"
#include "lexicon.h"
#include "truce/extract/extractor.h"
#include "truce/extract/text.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

const char* kActors[] = {"Russia", "Turkey", "Syrian government forces", "the Syrian Arab Army", "Hayat Tahrir al-Sham",
                         "Ukrainian forces", "Russian troops", "the Houthis", "the Saudi-led coalition", "Israel",
                         "Hamas", "the Rapid Support Forces", "the Sudanese army", "Azerbaijan", "Armenia",
                         "Turkish-backed rebels", "regime forces", "the Kremlin", "Ankara", "Kyiv"};
const char* kPlaces[] = {"Idlib", "Saraqib", "Aleppo", "Kharkiv", "Donetsk", "Khartoum", "Omdurman", "Gaza City",
                         "Rafah", "Taiz", "Marib", "Hodeidah", "Stepanakert", "Homs", "Latakia", "Bakhmut",
                         "Mariupol", "El Fasher", "Kafr Nabl", "Ariha"};
const char* kDays[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
const char* kMonths[] = {"January", "February", "March", "April", "May", "June",
                         "July", "August", "September", "October", "November", "December"};
const char* kNumbers[] = {"two", "three", "five", "seven", "12", "58", "more than 3,200", "at least 160", "nearly a million",
                          "about 40", "hundreds of", "fifty-eight", "more than 900,000", "up to 25"};
const char* kTemplates[] = {
    "{A} and {B} agreed on {D} to a ceasefire in {P}, officials said.",
    "The truce took effect at midnight on {N} {M}, according to the defence ministry.",
    "{A} said {Q} people had been killed in shelling of {P} on {D}.",
    "Since {M} {N}, {Q} civilians have been displaced from {P}, the UN says.",
    "Witnesses in {P} reported clashes and air strikes on {D} evening.",
    "{A} accused {B} of violating the ceasefire near {P}.",
    "Joint patrols will begin on {M} {N} along the M4 highway, the agreement says.",
    "The deal envisages a 12-kilometre wide security corridor and a demilitarised zone 15-20 km deep.",
    "{A} refrained from striking {P} on {D}, the observatory said.",
    "Health officials in {P} say {Q} people were wounded and {Q} killed since {M} {N}.",
    "Protesters stormed government buildings in {P} on {D}, demanding the resignation of the prime minister.",
    "{A} blamed the violations on {B}, and {B} denied it.",
    "The ceasefire is to start at 7 pm ({H}00 GMT) on {D}, {M} {N}, 2023.",
    "Residents of {P} doubted the calm would last longer than earlier agreements.",
    "Gen. Smith of the U.S. Army told reporters in {P} that {A} had withdrawn {Q} troops.",
    "{A} has deployed thousands of troops to {P}, the Kremlin said on {D}.",
    "Drone attacks by {A} hit fuel depots in {P} on the tenth day of the truce.",
    "Aid agencies said {Q} displaced families returned home to {P} last week.",
};

std::string Fill(const std::string& t, std::mt19937& rng) {
  std::string out;
  auto pick = [&](auto& arr) { return std::string(arr[rng() % (sizeof(arr) / sizeof(arr[0]))]); };
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '{' && i + 2 < t.size() && t[i + 2] == '}') {
      char k = t[i + 1];
      if (k == 'A' || k == 'B') out += pick(kActors);
      else if (k == 'P') out += pick(kPlaces);
      else if (k == 'D') out += pick(kDays);
      else if (k == 'M') out += pick(kMonths);
      else if (k == 'N') out += std::to_string(1 + rng() % 28);
      else if (k == 'Q') out += pick(kNumbers);
      else if (k == 'H') out += std::to_string(10 + rng() % 13);
      i += 2;
      continue;
    }
    out.push_back(t[i]);
  }
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

std::string MakeDoc(std::mt19937& rng, int sentences) {
  std::string doc = Fill("{A} and {B} trade blame over {P} truce", rng) + "\n\n";
  if (rng() % 2) doc += std::string(kPlaces[rng() % 20]) + " (AP) \xE2\x80\x94 ";
  for (int i = 0; i < sentences; ++i) {
    doc += Fill(kTemplates[rng() % (sizeof(kTemplates) / sizeof(kTemplates[0]))], rng);
    doc += (i % 3 == 2) ? "\n\n" : " ";
  }
  return doc;
}

double ThreadCpuS() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

long PeakRssKb() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
  int docs = 4000, threads = 2;
  bool baseline = true;
  std::string out_dir = (fs::temp_directory_path() / "truce-extract-bench").string();
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--docs" && i + 1 < argc) docs = std::atoi(argv[++i]);
    else if (a == "--threads" && i + 1 < argc) threads = std::atoi(argv[++i]);
    else if (a == "--no-baseline") baseline = false;
    else if (a == "--out" && i + 1 < argc) out_dir = argv[++i];
    else {
      std::fprintf(stderr, "usage: extract_bench [--docs N] [--threads T] [--no-baseline] [--out DIR]\n");
      return 2;
    }
  }
  if (docs <= 0 || threads <= 0) return 2;
  std::mt19937 rng(20200305);
  std::vector<std::string> corpus;
  corpus.reserve(static_cast<size_t>(docs));
  size_t bytes = 0;
  for (int d = 0; d < docs; ++d) {
    corpus.push_back(MakeDoc(rng, 15 + static_cast<int>(rng() % 20)));
    bytes += corpus.back().size();
  }
  fs::create_directories(out_dir);
  for (int d = 0; d < docs; ++d) std::ofstream(out_dir + "/doc" + std::to_string(d) + ".txt") << corpus[static_cast<size_t>(d)];

  truce::RealFileSystem rfs;
  auto t0 = Clock::now();
  timespec pc0{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &pc0);
  truce::extract::ExtractorOptions opts;
  opts.data_dir = std::string(TRUCE_SOURCE_DIR) + "/data/extract";
  std::vector<std::string> warnings;
  auto ex = truce::extract::Extractor::Create(rfs, opts, &warnings);
  if (!ex.ok()) {
    std::fprintf(stderr, "extract_bench: %s\n", ex.status().ToString().c_str());
    return 1;
  }
  double startup_s = std::chrono::duration<double>(Clock::now() - t0).count();
  timespec pc1{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &pc1);
  double startup_cpu_s = static_cast<double>(pc1.tv_sec - pc0.tv_sec) + static_cast<double>(pc1.tv_nsec - pc0.tv_nsec) / 1e9;
  for (auto& w : warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
  auto published = *truce::time::ParseIsoDate("2023-05-22");

  std::atomic<size_t> sentences{0}, records{0};
  std::vector<double> cpu(static_cast<size_t>(threads), 0.0);
  auto t1 = Clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      double c0 = ThreadCpuS();
      size_t s = 0, r = 0;
      for (size_t d = static_cast<size_t>(t); d < corpus.size(); d += static_cast<size_t>(threads)) {
        auto prepared = truce::extract::PrepareText(corpus[d], "doc");
        if (!prepared.ok()) continue;
        truce::extract::Extraction x = (*ex)->Extract(prepared->text, published);
        std::string json = truce::extract::ToJson(x, false);
        s += x.sentence_count;
        r += x.agreements.size() + x.events.size() + x.claims.size() + x.accusations.size() + (json.size() > 0);
      }
      sentences += s;
      records += r;
      cpu[static_cast<size_t>(t)] = ThreadCpuS() - c0;
    });
  }
  for (auto& th : pool) th.join();
  double run_s = std::chrono::duration<double>(Clock::now() - t1).count();
  double sps = static_cast<double>(sentences.load()) / run_s;
  std::printf("corpus:      %d documents, %zu sentences, %.1f MB (generated, %s)\n", docs, sentences.load(),
              static_cast<double>(bytes) / 1e6, out_dir.c_str());
  std::printf("start-up:    %.3f s wall, %.3f s CPU (dictionaries %zu phrases, gazetteer %zu places)\n", startup_s,
              startup_cpu_s,
              (*ex)->lexicon().phrase_count(), (*ex)->gazetteer().size());
  std::printf("extract:     %.3f s on %d threads: %.0f sentences/s end to end (%zu records)\n", run_s, threads, sps,
              records.load());
  double cpu_total = 0;
  for (double c : cpu) cpu_total += c;
  double cpu_sps = cpu_total > 0 ? static_cast<double>(sentences.load()) / cpu_total * threads : 0;
  std::printf("cpu time:    %.3f s over %d threads: %.0f sentences/s with %d free cores (this machine is shared: "
              "wall-clock figures drop when other work runs)\n", cpu_total, threads, cpu_sps, threads);
  std::printf("peak memory: %.1f MB (max RSS)\n", static_cast<double>(PeakRssKb()) / 1024.0);
  std::printf("target:      >= 50000 sentences/s: %s wall-clock, %s by CPU time\n", sps >= 50000 ? "met" : "NOT met",
              cpu_sps >= 50000 ? "met" : "NOT met");

  // Same split + scan only, in C++, for a like-for-like line against Python.
  auto t2 = Clock::now();
  std::atomic<size_t> scan_sent{0};
  std::vector<std::thread> pool2;
  for (int t = 0; t < threads; ++t) {
    pool2.emplace_back([&, t] {
      size_t s = 0, hits = 0;
      for (size_t d = static_cast<size_t>(t); d < corpus.size(); d += static_cast<size_t>(threads)) {
        s += (*ex)->ScanOnly(corpus[d], &hits);
      }
      scan_sent += s;
    });
  }
  for (auto& th : pool2) th.join();
  double scan_s = std::chrono::duration<double>(Clock::now() - t2).count();
  double scan_sps = static_cast<double>(scan_sent.load()) / scan_s;
  std::printf("split+scan:  %.0f sentences/s (C++, %d threads, segmentation and dictionary scan only)\n", scan_sps, threads);

  if (baseline) {
    std::string py = "/usr/bin/python3";
    std::string script = std::string(TRUCE_SOURCE_DIR) + "/bench/extract/baseline.py";
    std::string cmd = py + " '" + script + "' '" + out_dir + "' '" + opts.data_dir + "' " + std::to_string(threads);
    FILE* p = ::popen(cmd.c_str(), "r");
    double py_sps = 0;
    if (p != nullptr) {
      char line[512];
      while (std::fgets(line, sizeof line, p) != nullptr) {
        std::printf("python:      %s", line);
        double v = 0;
        if (std::sscanf(line, "sentences_per_s %lf", &v) == 1) py_sps = v;
      }
      ::pclose(p);
    }
    if (py_sps > 0) {
      std::printf("ratio:       C++ end to end / Python split+scan = %.1fx; C++ split+scan / Python split+scan = %.1fx\n",
                  sps / py_sps, scan_sps / py_sps);
    } else {
      std::printf("python:      baseline unavailable (needs /usr/bin/python3 with python3-icu and python3-ahocorasick)\n");
    }
  }
  return 0;
}
