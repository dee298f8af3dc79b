// How fast the matcher is (issue 10, "Measured"): 1 M fresh reports placed
// into a store of 1 M (MatchNew), and all 2 M matched from scratch
// (MatchAll). Synthetic reports of happenings over five years in eight
// countries' boxes, each happening told by one to three sources with each
// dataset's radius and window; wall time and peak RSS per phase.
// Goal: <= 10 s and <= 2 GB on 2 cores. Not a test.
//
// Usage: match_bench [REPORTS_PER_SIDE]   (DEFAULT 1000000)
//        TRUCE_SOURCE_DIR or the working directory must hold data/reconcile/matching.yaml.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "truce/reconcile/reconcile.h"

namespace {

using truce::model::Report;

double PeakRssMb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // Linux: kilobytes
}

// Resets the process's peak resident size to what it holds now (Linux >= 4.0),
// so that each phase's peak is its own; false when the kernel says no.
bool ResetPeak() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

// VmHWM: the peak resident size since the last ResetPeak, MB.
double PhasePeakMb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::strtod(line.c_str() + 6, nullptr) / 1024.0;
  }
  return 0;
}

double CurrentRssMb() {
  std::ifstream in("/proc/self/statm");
  long pages_total = 0, pages_resident = 0;
  in >> pages_total >> pages_resident;
  return static_cast<double>(pages_resident) * 4096.0 / (1024.0 * 1024.0);
}

struct Box {
  double lat0, lat1, lon0, lon1;
};

// Reports of happenings in eight countries' boxes, ids from `first_id`, days
// from 2019-01-01 over five years: 2 M reports are about 1 100 a day, twice
// what ACLED records worldwide, so the density is on the heavy side.
std::vector<Report> Generate(std::size_t count, std::int64_t first_id, std::uint32_t seed) {
  std::mt19937_64 rng(seed);
  auto uniform = [&](double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng); };
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
  // Syria, Afghanistan, Yemen, Ukraine's east, Sudan, eastern DRC, Myanmar, the central Sahel.
  const Box boxes[] = {{32.5, 37.0, 35.8, 42.0}, {31.0, 37.0, 61.0, 71.0}, {12.7, 18.0, 42.6, 52.0},
                       {46.5, 50.5, 33.0, 40.0}, {8.5, 16.0, 22.0, 36.0},  {-5.0, 2.5, 27.0, 30.0},
                       {16.0, 26.0, 92.5, 98.5}, {11.0, 17.0, -5.0, 4.0}};
  const char* types[][2] = {{"Explosions/Remote violence", "Shelling/artillery/missile attack"},
                            {"Explosions/Remote violence", "Air/drone strike"},
                            {"Battles", "Armed clash"},
                            {"Violence against civilians", "Attack"},
                            {"Protests", "Peaceful protest"}};
  const char* ucdp_of_type[] = {"ucdp:1", "ucdp:1", "ucdp:2", "ucdp:3", ""};
  const char* cameo_of_type[] = {"194", "195", "190", "180", "141"};
  const char* acled_actors[] = {"Military Forces of Syria (2000-)", "Hayat Tahrir al-Sham", "Islamic State (Syria)",
                                "Military Forces of Turkey (2016-)", "Taliban", "Civilians (Syria)"};
  const char* ucdp_actors[] = {"Government of Syria", "HTS", "IS", "Government of Turkey", "Taleban", "Civilians"};
  const char* datasets[] = {"acled", "ucdp", "gdelt", "news", "geojson"};
  const int dataset_weights[] = {40, 20, 20, 15, 5};
  const std::chrono::sys_days start = std::chrono::sys_days{std::chrono::year{2019} / 1 / 1};

  std::vector<Report> out;
  out.reserve(count);
  std::int64_t id = first_id;
  std::unordered_map<std::string, int> serial;
  while (out.size() < count) {
    const Box& box = boxes[pick(8)];
    const double lat = uniform(box.lat0, box.lat1), lon = uniform(box.lon0, box.lon1);
    const auto day = start + std::chrono::days{pick(5 * 365)};
    const int type = pick(5), a1 = pick(6), a2 = pick(6);
    const int killed = pick(4) == 0 ? 0 : pick(12);
    const int tellers = 1 + (pick(10) < 5 ? 0 : pick(10) < 6 ? 1 : 2);
    bool used[5] = {};
    for (int t = 0; t < tellers && out.size() < count; ++t) {
      int w = pick(100), d = 0;
      while (w >= dataset_weights[d]) w -= dataset_weights[d++];
      if (used[d] && d != 3) continue;  // one row per dataset; news may tell twice
      used[d] = true;
      Report r;
      r.id = id++;
      r.record_id = r.id;
      r.dataset = datasets[d];
      r.source_id = r.dataset + std::to_string(++serial[r.dataset]);
      r.event_type = types[type][0];
      r.sub_event_type = types[type][1];
      r.actor1 = acled_actors[a1];
      r.actor2 = acled_actors[a2];
      r.fatalities = killed;
      r.time.first_day = r.time.last_day = day;
      double radius = 2000;
      switch (d) {
        case 0: {  // ACLED: geo_precision 1, 2, 3; time_precision 1, 2, 3
          const int g = pick(10);
          radius = g < 6 ? 2000 : g < 9 ? 10000 : 50000;
          const int p = pick(50);
          if (p < 4) r.time = truce::time::FromAcledPrecision(day, 2);
          if (p == 4) r.time = truce::time::FromAcledPrecision(day, 3);
          break;
        }
        case 1: {  // UCDP: where_prec 1..4, 6; date_prec 1 mostly
          const int g = pick(20);
          radius = g < 10 ? 2000 : g < 15 ? 25000 : g < 17 ? 50000 : g < 19 ? 100000 : 250000;
          r.native_code = ucdp_of_type[type];
          r.event_type = type == 3 ? "Violence against civilians" : "Battles";
          r.sub_event_type.clear();
          r.actor1 = ucdp_actors[a1];
          r.actor2 = ucdp_actors[a2];
          r.fatalities_low = killed > 1 ? killed - 1 : 0;
          r.fatalities_high = killed + 2;
          if (pick(10) == 0) r.time.last_day = day + std::chrono::days{6};
          break;
        }
        case 2: {  // GDELT: world city 5 km, ADM1 50 km, country 250 km; dated by publication
          const int g = pick(10);
          radius = g < 7 ? 5000 : g < 9 ? 50000 : 250000;
          r.native_code = cameo_of_type[type];
          r.actor1 = pick(2) ? "SYRIA" : "";
          r.actor2.clear();
          r.fatalities = 0;
          if (pick(2)) r.time.first_day = r.time.last_day = day + std::chrono::days{1};
          break;
        }
        case 3:  // news: an extracted event placed at a town
          radius = 10000;
          r.actor1 = pick(2) ? "Syrian army" : "";
          r.actor2.clear();
          r.source = pick(2) ? "Reuters" : "AFP";
          break;
        default:  // GeoJSON: a monitor's observation
          radius = 500;
          r.actor1.clear();
          r.actor2.clear();
          break;
      }
      r.uncertainty_m = radius;
      // The report's point: within its radius of the happening.
      const double move = uniform(0, radius * 0.7), bearing = uniform(0, 6.283185307179586);
      r.point = {lat + move * std::cos(bearing) / 111195.0,
                 lon + move * std::sin(bearing) / (111195.0 * std::cos(lat * 3.141592653589793 / 180))};
      out.push_back(std::move(r));
    }
  }
  return out;
}

std::string ReadConfig() {
  const char* dir = std::getenv("TRUCE_SOURCE_DIR");
  for (const std::string& root : {std::string(dir != nullptr ? dir : ""), std::string(".")}) {
    if (root.empty() && dir == nullptr) continue;
    std::ifstream in(root + "/data/reconcile/matching.yaml");
    if (!in) continue;
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }
  return "";
}

template <typename F>
double Seconds(F&& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  const std::string yaml = ReadConfig();
  if (yaml.empty()) {
    std::fprintf(stderr, "match_bench: data/reconcile/matching.yaml not found (set TRUCE_SOURCE_DIR)\n");
    return 2;
  }
  auto config = truce::reconcile::ParseConfig(yaml, "data/reconcile/matching.yaml");
  if (!config.ok()) {
    std::fprintf(stderr, "match_bench: %s\n", config.status().ToString().c_str());
    return 2;
  }
  const truce::reconcile::Matcher matcher(*config, nullptr);

  std::vector<Report> known, fresh;
  const double gen_s = Seconds([&] {
    known = Generate(n, 1, 1);
    fresh = Generate(n, static_cast<std::int64_t>(n) + 1, 2);
  });
  const double data_mb = CurrentRssMb();
  std::printf("reports: %zu known + %zu fresh, generated in %.1f s; resident with the reports alone: %.0f MB\n",
              known.size(), fresh.size(), gen_s, data_mb);

  // Each phase: wall time, the process's peak, and the peak above what the
  // process held when the phase began (the matcher's own, with its answer).
  std::vector<truce::reconcile::Placement> current, placed, all;
  double before = CurrentRssMb();
  bool reset = ResetPeak();
  const double known_s = Seconds([&] { current = matcher.MatchAll(known, {}); });
  std::printf("MatchAll of the %zu known:             %6.2f s   peak RSS %6.0f MB, matcher's own %5.0f MB\n",
              known.size(), known_s, reset ? PhasePeakMb() : PeakRssMb(), (reset ? PhasePeakMb() : PeakRssMb()) - before);

  before = CurrentRssMb();
  reset = ResetPeak();
  const double new_s = Seconds([&] { placed = matcher.MatchNew(known, current, fresh, {}); });
  std::size_t joined = 0;
  for (const auto& p : placed) joined += p.incident_id != p.report_id;
  std::printf("MatchNew of %zu fresh against %zu: %6.2f s   peak RSS %6.0f MB, matcher's own %5.0f MB (%zu joined)\n",
              fresh.size(), known.size(), new_s, reset ? PhasePeakMb() : PeakRssMb(),
              (reset ? PhasePeakMb() : PeakRssMb()) - before, joined);
  current.clear();
  current.shrink_to_fit();
  placed.clear();
  placed.shrink_to_fit();

  std::vector<Report> both;
  both.reserve(known.size() + fresh.size());
  for (auto* v : {&known, &fresh}) {
    for (Report& r : *v) both.push_back(std::move(r));
    v->clear();
    v->shrink_to_fit();
  }
  before = CurrentRssMb();
  reset = ResetPeak();
  const double all_s = Seconds([&] { all = matcher.MatchAll(both, {}); });
  const double all_peak = reset ? PhasePeakMb() : PeakRssMb();
  std::unordered_map<std::int64_t, int> sizes;
  for (const auto& p : all) ++sizes[p.incident_id];
  std::size_t merged = 0;
  for (const auto& [id, size] : sizes) merged += size > 1;
  std::printf("MatchAll of all %zu:                   %6.2f s   peak RSS %6.0f MB, matcher's own %5.0f MB (%zu incidents, %zu merged)\n",
              both.size(), all_s, all_peak, all_peak - before, sizes.size(), merged);
  std::printf("goal: <= 10 s and <= 2048 MB per run on 2 cores; the reports themselves take %.0f MB\n", data_mb);
  return 0;
}
