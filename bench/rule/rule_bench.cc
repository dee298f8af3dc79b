// The Truce side of the ruling benchmark; bench/rule/run.sh runs it around a
// private PostGIS server.
//   rule_bench run DIR [--incidents N] [--threads T]
//     generates the data (fixed seed), writes the files PostGIS loads, times the
//     Ruler and the bare geo kernel, checks point-to-corridor distances against
//     a GeographicLib brute force, and writes DIR/truce.txt and the hit pairs.
//   rule_bench report DIR
//     reads DIR/truce.txt and what run.sh got from PostGIS (pg.txt,
//     pg_*_diff.csv, pg_sample_dist.csv) and prints the comparison.
#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/GeodesicLine.hpp>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench_data.h"
#include "truce/core/strings.h"
#include "truce/rules/columns.h"
#include "truce/rules/rules.h"

namespace truce::bench {
namespace {

using Clock = std::chrono::steady_clock;
using Pair = std::pair<std::int64_t, int>;  // incident id, zone index (polygons 0.., corridors 0..)

constexpr int kDistanceSamples = 10'000;

double SecondsSince(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

long PeakRssKb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Wall time, and CPU time summed over the threads: on a machine shared with
// other work the CPU time still says what an idle machine would take.
struct Timing {
  double wall_s = 0;
  double cpu_s = 0;
};

// Runs fn(thread, begin, end) over [0, n) in chunks on `threads` threads.
template <typename Fn>
Timing ParallelFor(size_t n, int threads, Fn fn) {
  constexpr size_t kChunk = 2048;
  std::atomic<size_t> next{0};
  std::vector<double> cpu_s(threads);
  const Clock::time_point t0 = Clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      const double c0 = ThreadCpuSeconds();
      for (;;) {
        const size_t begin = next.fetch_add(kChunk);
        if (begin >= n) break;
        fn(t, begin, std::min(n, begin + kChunk));
      }
      cpu_s[t] = ThreadCpuSeconds() - c0;
    });
  }
  for (std::thread& th : pool) th.join();
  Timing timing;
  timing.wall_s = SecondsSince(t0);
  for (double c : cpu_s) timing.cpu_s += c;
  return timing;
}

// Zone index from a benchmark zone id ("z0001" -> 0, "c0300" -> 299).
int ZoneIndexOf(const std::string& id) { return std::atoi(id.c_str() + 1) - 1; }

struct Counts {
  long long findings = 0;
  long long hits = 0;  // findings whose status is not outside_scope
  std::map<std::string, long long> by_status;
  std::vector<Pair> pairs;  // sorted
};

struct RulerRun {
  double seconds = 0;  // wall
  double cpu_s = 0;
  Counts polygons, corridors;
};

// How a Ruler run gives its findings: kFindings, model::Finding values with
// their reasons in words (Ruler::Rule, what a store keeps); kDecisions, the
// decided facts only (Ruler::Decide on each model::Report), what a count or a
// comparison needs.
// kColumns: the decided facts from incidents held as columns (IncidentColumns,
// filled and prepared before the clock starts, as a store's batch would be).
enum class RulerMode { kFindings, kDecisions, kColumns };

void Count(RulerRun* run, std::int64_t incident_id, const std::string& zone_id, model::FindingStatus status) {
  Counts& c = zone_id[0] == 'c' ? run->corridors : run->polygons;
  ++c.findings;
  ++c.by_status[model::FindingStatusName(status)];
  if (status == model::FindingStatus::kOutsideScope) return;
  ++c.hits;
  c.pairs.emplace_back(incident_id, ZoneIndexOf(zone_id));
}

// Rules every incident on `threads` threads (each its own output vector).
RulerRun RunRuler(const rules::Ruler& ruler, const std::vector<model::Report>& incidents, int threads,
                  RulerMode mode = RulerMode::kColumns) {
  std::vector<std::vector<model::Finding>> found(threads);
  std::vector<std::vector<rules::Decision>> decided(threads);
  RulerRun run;
  rules::IncidentColumns columns;
  rules::ColumnLookups lookups;
  if (mode == RulerMode::kColumns) {
    for (const model::Report& r : incidents) columns.Add(r);
    ruler.Prepare(columns, &lookups);
  }
  const Timing timing = ParallelFor(incidents.size(), threads, [&](int t, size_t begin, size_t end) {
    if (mode == RulerMode::kColumns) {
      ruler.Decide(columns, begin, end, lookups, &decided[t]);
    } else if (mode == RulerMode::kFindings) {
      for (size_t i = begin; i < end; ++i) ruler.Rule(incidents[i], &found[t]);
    } else {
      for (size_t i = begin; i < end; ++i) ruler.Decide(rules::IncidentView::Of(incidents[i]), &decided[t]);
    }
  });
  run.seconds = timing.wall_s;
  run.cpu_s = timing.cpu_s;
  for (const auto& findings : found) {
    for (const model::Finding& f : findings) Count(&run, f.incident_id, f.zone_id, f.status);
  }
  for (const auto& decisions : decided) {
    for (const rules::Decision& d : decisions) Count(&run, d.incident_id, d.zone->id, d.status);
  }
  std::sort(run.polygons.pairs.begin(), run.polygons.pairs.end());
  std::sort(run.corridors.pairs.begin(), run.corridors.pairs.end());
  return run;
}

// The bare geo kernel: zones, validity windows and a grid index, as a caller
// that needs only "which zone in force holds this point" would write it.
struct Kernel {
  std::vector<geo::Zone> zones;
  std::vector<time::Instant> from, until;
  geo::ZoneIndex index;
};

Kernel MakeKernel(const BenchData& data, bool corridors) {
  Kernel k;
  if (corridors) {
    for (const BenchCorridor& c : data.corridors) {
      k.zones.push_back(geo::Zone::MakeCorridor(c.line, c.half_width_m));
      k.from.push_back(c.valid_from);
      k.until.push_back(c.valid_until);
    }
  } else {
    for (const BenchZone& z : data.zones) {
      k.zones.push_back(geo::Zone::MakePolygons({z.polygon}));
      k.from.push_back(z.valid_from);
      k.until.push_back(z.valid_until);
    }
  }
  std::vector<const geo::Zone*> ptrs;
  for (const geo::Zone& z : k.zones) ptrs.push_back(&z);
  k.index.Build(ptrs, 0);
  return k;
}

// kContains / kDistance: validity first, then Zone::Contains or DistanceM <= 0.
// kRelateFirst: Zone::Relate (containment and exact edge distance) on every box
// candidate before the validity check, as Ruler::RuleOne orders its questions.
// kRelateHits: validity, then Contains, then Relate only for the hits (the edge
// distance a finding reports): the geometry a Ruler needs at least.
enum class KernelTest { kContains, kDistance, kRelateFirst, kRelateHits };

struct KernelRun {
  double seconds = 0;  // wall
  double cpu_s = 0;
  Counts counts;
};

// The kernel's input as a table would hold it: point, day, whether the act is
// prohibited, 25 bytes an incident (a model::Report is about 1 KB with its
// strings, and streaming those is most of what a pass over them costs).
struct Columns {
  std::vector<geo::LatLon> points;
  std::vector<time::Instant> days;
  std::vector<std::uint8_t> prohibited;
};

Columns MakeColumns(const BenchData& data) {
  Columns c;
  for (size_t i = 0; i < data.incidents.size(); ++i) {
    c.points.push_back(data.incidents[i].point);
    c.days.push_back(data.day_start[i]);
    c.prohibited.push_back(data.prohibited_act[i] ? 1 : 0);
  }
  return c;
}

// Incident ids are 1..n in order, so the pairs name incident i + 1. With
// `incidents` set, points are read from the model::Report values instead.
KernelRun RunKernel(const Kernel& k, const Columns& in, int threads, KernelTest test,
                    const std::vector<model::Report>* incidents = nullptr) {
  std::vector<std::vector<Pair>> out(threads);
  KernelRun run;
  const Timing timing = ParallelFor(in.points.size(), threads, [&](int t, size_t begin, size_t end) {
    std::vector<int> candidates;
    for (size_t i = begin; i < end; ++i) {
      if (incidents != nullptr && !EqualsIgnoreCase((*incidents)[i].event_type, "Battles") &&
          !EqualsIgnoreCase((*incidents)[i].event_type, "Explosions/Remote violence")) {
        continue;
      }
      if (incidents == nullptr && !in.prohibited[i]) continue;
      const geo::LatLon p = incidents != nullptr ? (*incidents)[i].point : in.points[i];
      const time::Instant day = in.days[i];
      const auto id = static_cast<std::int64_t>(i + 1);
      k.index.Candidates(p, &candidates);
      for (int c : candidates) {
        if (test == KernelTest::kRelateFirst) {
          const geo::ZoneRelation rel = k.zones[c].Relate(p, 0);
          if (rel.center_inside && day >= k.from[c] && day < k.until[c]) out[t].emplace_back(id, c);
          continue;
        }
        if (day < k.from[c] || day >= k.until[c]) continue;
        bool hit = test == KernelTest::kDistance ? k.zones[c].DistanceM(p) <= 0 : k.zones[c].Contains(p);
        if (hit && test == KernelTest::kRelateHits) hit = k.zones[c].Relate(p, 0).edge_distance_m >= 0;
        if (hit) out[t].emplace_back(id, c);
      }
    }
  });
  run.seconds = timing.wall_s;
  run.cpu_s = timing.cpu_s;
  for (const auto& v : out) run.counts.pairs.insert(run.counts.pairs.end(), v.begin(), v.end());
  std::sort(run.counts.pairs.begin(), run.counts.pairs.end());
  run.counts.hits = static_cast<long long>(run.counts.pairs.size());
  return run;
}

// ---------------------------------------------------------------- distances

// Brute force with GeographicLib alone: sample the geodesic segment a-b, then
// refine the best bracket by golden-section search on the exact inverse.
double BruteSegmentDistanceM(geo::LatLon p, geo::LatLon a, geo::LatLon b) {
  const GeographicLib::Geodesic& g = GeographicLib::Geodesic::WGS84();
  const GeographicLib::GeodesicLine line = g.InverseLine(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg);
  const double length_m = line.Distance();
  auto dist = [&](double s) {
    double lat = 0, lon = 0, d = 0;
    line.Position(s, lat, lon);
    g.Inverse(p.lat_deg, p.lon_deg, lat, lon, d);
    return d;
  };
  constexpr int kSamples = 64;
  double best = dist(0);
  int best_k = 0;
  for (int k = 1; k <= kSamples; ++k) {
    const double d = dist(length_m * k / kSamples);
    if (d < best) {
      best = d;
      best_k = k;
    }
  }
  double lo = length_m * std::max(0, best_k - 1) / kSamples;
  double hi = length_m * std::min(kSamples, best_k + 1) / kSamples;
  const double r = (std::sqrt(5.0) - 1) / 2;
  double x1 = hi - r * (hi - lo), x2 = lo + r * (hi - lo);
  double f1 = dist(x1), f2 = dist(x2);
  while (hi - lo > 1e-7) {
    if (f1 < f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - r * (hi - lo);
      f1 = dist(x1);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + r * (hi - lo);
      f2 = dist(x2);
    }
  }
  return std::min({best, f1, f2});
}

struct DistanceSample {
  int corridor = 0;
  geo::LatLon p;
};

std::vector<DistanceSample> MakeDistanceSamples(const BenchData& data, std::uint64_t seed) {
  Rng rng(seed ^ 0x9e3779b97f4a7c15ULL);
  const GeographicLib::Geodesic& g = GeographicLib::Geodesic::WGS84();
  std::vector<DistanceSample> out;
  for (int i = 0; i < kDistanceSamples && !data.corridors.empty(); ++i) {
    DistanceSample s;
    s.corridor = rng.Int(0, static_cast<int>(data.corridors.size()) - 1);
    const BenchCorridor& c = data.corridors[s.corridor];
    const int k = rng.Int(0, static_cast<int>(c.line.size()) - 2);
    const GeographicLib::GeodesicLine line =
        g.InverseLine(c.line[k].lat_deg, c.line[k].lon_deg, c.line[k + 1].lat_deg, c.line[k + 1].lon_deg);
    geo::LatLon on;
    // Mostly along segments, some at the vertices (where the nearest segment changes).
    const double along = rng.Uniform() < 0.1 ? 0 : rng.Uniform() * line.Distance();
    line.Position(along, on.lat_deg, on.lon_deg);
    const double offset_m =
        rng.Uniform() < 0.5 ? std::fabs(rng.Normal()) * 1.5 * c.half_width_m : rng.Uniform(0, 50'000);
    g.Direct(on.lat_deg, on.lon_deg, rng.Uniform(0, 360), offset_m, s.p.lat_deg, s.p.lon_deg);
    out.push_back(s);
  }
  return out;
}

// ---------------------------------------------------------------- files

Status WriteText(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
  f.close();
  if (!f) return Status::IoError(path + ": cannot write");
  return Status::Ok();
}

Status WritePairs(const std::string& path, const std::vector<Pair>& pairs, char kind) {
  std::string s;
  char buf[64];
  for (const Pair& p : pairs) {
    std::snprintf(buf, sizeof buf, "%lld,%c%04d\n", static_cast<long long>(p.first), kind, p.second + 1);
    s += buf;
  }
  return WriteText(path, s);
}

std::map<std::string, std::string> ReadKeyValues(const std::string& path) {
  std::map<std::string, std::string> kv;
  std::ifstream f(path);
  std::string line;
  while (std::getline(f, line)) {
    const size_t eq = line.find('=');
    if (eq != std::string::npos) kv[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return kv;
}

std::vector<std::vector<std::string>> ReadCsv(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream f(path);
  std::string line;
  while (std::getline(f, line)) {
    if (!line.empty()) rows.push_back(Split(line, ','));
  }
  return rows;
}

struct Output {
  std::ostringstream kv;  // truce.txt
  template <typename T>
  void Put(const std::string& key, const T& value) {
    kv << key << "=" << value << "\n";
  }
};

std::string Fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

bool SameCounts(const Counts& a, const Counts& b) { return a.pairs == b.pairs; }

// ---------------------------------------------------------------- run

int Run(const std::string& dir, BenchOptions options, int threads) {
  Output out;
  Clock::time_point t0 = Clock::now();
  Result<BenchData> generated = Generate(options);
  if (!generated.ok()) {
    std::fprintf(stderr, "rule_bench: %s\n", generated.status().ToString().c_str());
    return 1;
  }
  const BenchData& data = *generated;
  const double gen_s = SecondsSince(t0);
  t0 = Clock::now();
  if (Status st = WritePostgisFiles(data, dir); !st.ok()) {
    std::fprintf(stderr, "rule_bench: %s\n", st.ToString().c_str());
    return 1;
  }
  const double write_s = SecondsSince(t0);
  std::printf("generated %zu incidents, %zu zones, %zu corridors in %.2f s; PostGIS files written in %.2f s\n",
              data.incidents.size(), data.zones.size(), data.corridors.size(), gen_s, write_s);
  out.Put("seed", options.seed);
  out.Put("near_share", options.near_share);
  out.Put("incidents", data.incidents.size());
  out.Put("zones", data.zones.size());
  out.Put("corridors", data.corridors.size());
  out.Put("threads", threads);
  out.Put("hardware_threads", std::thread::hardware_concurrency());

  // Rulers: polygons only, corridors only (each compared with its PostGIS
  // query), and everything together.
  struct Variant {
    const char* key;
    ZoneKinds kinds;
    std::unique_ptr<rules::Ruler> ruler;
  };
  Variant variants[] = {{"poly", ZoneKinds::kPolygons, nullptr},
                        {"corr", ZoneKinds::kCorridors, nullptr},
                        {"all", ZoneKinds::kAll, nullptr}};
  rules::RuleOptions rule_options;
  rule_options.scope_margin_m = 0;
  rule_options.scope_margin = std::chrono::seconds{0};
  for (Variant& v : variants) {
    Result<std::vector<agreement::LoadedAgreement>> agreements = MakeAgreements(data, options, v.kinds);
    if (!agreements.ok()) {
      std::fprintf(stderr, "rule_bench: %s\n", agreements.status().ToString().c_str());
      return 1;
    }
    const size_t n_agreements = agreements->size();
    t0 = Clock::now();
    Result<std::unique_ptr<rules::Ruler>> ruler = rules::Ruler::Build(std::move(*agreements), rule_options);
    if (!ruler.ok()) {
      std::fprintf(stderr, "rule_bench: Ruler::Build: %s\n", ruler.status().ToString().c_str());
      return 1;
    }
    out.Put(std::string(v.key) + "_agreements", n_agreements);
    out.Put(std::string(v.key) + "_prohibitions", (*ruler)->prohibitions().size());
    out.Put(std::string(v.key) + "_build_s", Fixed(SecondsSince(t0), 4));
    v.ruler = std::move(*ruler);
  }

  RulerRun best[3];
  for (int vi = 0; vi < 3; ++vi) {
    Variant& v = variants[vi];
    // Best of two on all threads; once on one thread for reference.
    for (int rep = 0; rep < 2; ++rep) {
      RulerRun run = RunRuler(*v.ruler, data.incidents, threads);
      if (rep == 0 || run.seconds < best[vi].seconds) best[vi] = std::move(run);
    }
    const std::string key = v.key;
    out.Put(key + "_ruler_s", Fixed(best[vi].seconds, 4));
    out.Put(key + "_ruler_cpu_s", Fixed(best[vi].cpu_s, 4));
    std::printf("truce Ruler (%s zones), %d threads: %.3f s\n", v.key, threads, best[vi].seconds);
    if (vi < 2) {
      const RulerRun single = RunRuler(*v.ruler, data.incidents, 1);
      out.Put(key + "_ruler_1t_s", Fixed(single.seconds, 4));
      std::printf("truce Ruler (%s zones), 1 thread: %.3f s\n", v.key, single.seconds);
      // The same from model::Report values: decisions, and findings with their reasons in words.
      const RulerRun objects = RunRuler(*v.ruler, data.incidents, threads, RulerMode::kDecisions);
      const RulerRun reasons = RunRuler(*v.ruler, data.incidents, threads, RulerMode::kFindings);
      out.Put(key + "_ruler_objects_s", Fixed(objects.seconds, 4));
      out.Put(key + "_ruler_objects_cpu_s", Fixed(objects.cpu_s, 4));
      out.Put(key + "_ruler_reasons_s", Fixed(reasons.seconds, 4));
      out.Put(key + "_ruler_reasons_cpu_s", Fixed(reasons.cpu_s, 4));
      if (!SameCounts(objects.polygons, best[vi].polygons) || !SameCounts(objects.corridors, best[vi].corridors) ||
          !SameCounts(reasons.polygons, best[vi].polygons) || !SameCounts(reasons.corridors, best[vi].corridors)) {
        out.Put(key + "_paths_agree", "no");
      } else {
        out.Put(key + "_paths_agree", "yes");
      }
    }
    for (const Counts* c : {&best[vi].polygons, &best[vi].corridors}) {
      const std::string ck = key + (c == &best[vi].polygons ? "_poly" : "_corr");
      if (c->findings == 0 && vi < 2) continue;
      out.Put(ck + "_findings", c->findings);
      out.Put(ck + "_hits", c->hits);
      for (const auto& [status, n] : c->by_status) out.Put(ck + "_status_" + status, n);
    }
  }
  const bool all_consistent = SameCounts(best[2].polygons, best[0].polygons) &&
                              SameCounts(best[2].corridors, best[1].corridors);
  out.Put("all_consistent", all_consistent ? "yes" : "no");

  // The bare kernel.
  const Kernel poly_kernel = MakeKernel(data, false);
  const Kernel corr_kernel = MakeKernel(data, true);
  const Columns columns = MakeColumns(data);
  KernelRun kp, kc, kc_contains, kp_relate, kc_relate, kp_hits, kc_hits, kp_model;
  for (int rep = 0; rep < 2; ++rep) {
    KernelRun m = RunKernel(poly_kernel, columns, threads, KernelTest::kContains, &data.incidents);
    if (rep == 0 || m.seconds < kp_model.seconds) kp_model = std::move(m);
    KernelRun a = RunKernel(poly_kernel, columns, threads, KernelTest::kContains);
    KernelRun b = RunKernel(corr_kernel, columns, threads, KernelTest::kDistance);
    KernelRun c = RunKernel(corr_kernel, columns, threads, KernelTest::kContains);
    KernelRun d = RunKernel(poly_kernel, columns, threads, KernelTest::kRelateFirst);
    KernelRun e = RunKernel(corr_kernel, columns, threads, KernelTest::kRelateFirst);
    if (rep == 0 || a.seconds < kp.seconds) kp = std::move(a);
    if (rep == 0 || b.seconds < kc.seconds) kc = std::move(b);
    if (rep == 0 || c.seconds < kc_contains.seconds) kc_contains = std::move(c);
    if (rep == 0 || d.seconds < kp_relate.seconds) kp_relate = std::move(d);
    if (rep == 0 || e.seconds < kc_relate.seconds) kc_relate = std::move(e);
    KernelRun f = RunKernel(poly_kernel, columns, threads, KernelTest::kRelateHits);
    KernelRun g = RunKernel(corr_kernel, columns, threads, KernelTest::kRelateHits);
    if (rep == 0 || f.seconds < kp_hits.seconds) kp_hits = std::move(f);
    if (rep == 0 || g.seconds < kc_hits.seconds) kc_hits = std::move(g);
  }
  out.Put("poly_kernel_model_s", Fixed(kp_model.seconds, 4));
  out.Put("poly_kernel_model_cpu_s", Fixed(kp_model.cpu_s, 4));
  out.Put("poly_kernel_relate_hits_s", Fixed(kp_hits.seconds, 4));
  out.Put("corr_kernel_relate_hits_s", Fixed(kc_hits.seconds, 4));
  out.Put("poly_kernel_relate_cpu_s", Fixed(kp_relate.cpu_s, 4));
  out.Put("corr_kernel_relate_cpu_s", Fixed(kc_relate.cpu_s, 4));
  out.Put("poly_kernel_relate_hits_cpu_s", Fixed(kp_hits.cpu_s, 4));
  out.Put("corr_kernel_relate_hits_cpu_s", Fixed(kc_hits.cpu_s, 4));
  out.Put("poly_kernel_relate_s", Fixed(kp_relate.seconds, 4));
  out.Put("corr_kernel_relate_s", Fixed(kc_relate.seconds, 4));
  std::printf("truce kernel with Relate on every box candidate first: polygons %.3f s, corridors %.3f s\n",
              kp_relate.seconds, kc_relate.seconds);
  std::printf("truce kernel: polygons %.3f s, corridors %.3f s (DistanceM), %.3f s (Contains)\n", kp.seconds,
              kc.seconds, kc_contains.seconds);
  out.Put("poly_kernel_s", Fixed(kp.seconds, 4));
  out.Put("poly_kernel_cpu_s", Fixed(kp.cpu_s, 4));
  out.Put("corr_kernel_cpu_s", Fixed(kc.cpu_s, 4));
  out.Put("corr_kernel_contains_cpu_s", Fixed(kc_contains.cpu_s, 4));
  out.Put("poly_kernel_hits", kp.counts.hits);
  out.Put("corr_kernel_s", Fixed(kc.seconds, 4));
  out.Put("corr_kernel_hits", kc.counts.hits);
  out.Put("corr_kernel_contains_s", Fixed(kc_contains.seconds, 4));
  out.Put("corr_kernel_contains_hits", kc_contains.counts.hits);
  out.Put("kernel_matches_ruler", SameCounts(kp.counts, best[0].polygons) &&
                                          SameCounts(kc.counts, best[1].corridors) &&
                                          SameCounts(kc_contains.counts, best[1].corridors) &&
                                          SameCounts(kp_relate.counts, best[0].polygons) &&
                                          SameCounts(kc_relate.counts, best[1].corridors) &&
                                          SameCounts(kp_hits.counts, best[0].polygons) &&
                                          SameCounts(kc_hits.counts, best[1].corridors) &&
                                          SameCounts(kp_model.counts, best[0].polygons)
                                      ? "yes"
                                      : "no");

  for (Status st : {WritePairs(dir + "/truce_poly_pairs.csv", best[0].polygons.pairs, 'z'),
                    WritePairs(dir + "/truce_corr_pairs.csv", best[1].corridors.pairs, 'c')}) {
    if (!st.ok()) {
      std::fprintf(stderr, "rule_bench: %s\n", st.ToString().c_str());
      return 1;
    }
  }

  // Distances: Truce's exact point-to-geodesic-segment against a GeographicLib
  // brute force; and the corridor zone's own distance against the line's.
  const std::vector<DistanceSample> samples = MakeDistanceSamples(data, options.seed);
  std::vector<double> truce_m(samples.size()), brute_m(samples.size()), zone_gap_m(samples.size());
  t0 = Clock::now();
  for (size_t i = 0; i < samples.size(); ++i) {
    const BenchCorridor& c = data.corridors[samples[i].corridor];
    double d = INFINITY;
    for (size_t k = 0; k + 1 < c.line.size(); ++k) {
      d = std::min(d, geo::DistanceToGeodesicSegment(samples[i].p, c.line[k], c.line[k + 1]).distance_m);
    }
    truce_m[i] = d;
  }
  const double truce_dist_s = SecondsSince(t0);
  const double brute_s = ParallelFor(samples.size(), threads, [&](int, size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      const BenchCorridor& c = data.corridors[samples[i].corridor];
      double d = INFINITY;
      for (size_t k = 0; k + 1 < c.line.size(); ++k) {
        d = std::min(d, BruteSegmentDistanceM(samples[i].p, c.line[k], c.line[k + 1]));
      }
      brute_m[i] = d;
      const double zone_d = corr_kernel.zones[samples[i].corridor].DistanceM(samples[i].p);
      zone_gap_m[i] = std::fabs(zone_d - std::max(0.0, truce_m[i] - c.half_width_m));
    }
  }).wall_s;
  double max_diff = 0, sum_diff = 0, max_zone_gap = 0;
  size_t worst = 0;
  for (size_t i = 0; i < samples.size(); ++i) {
    const double diff = std::fabs(truce_m[i] - brute_m[i]);
    sum_diff += diff;
    if (diff > max_diff) {
      max_diff = diff;
      worst = i;
    }
    max_zone_gap = std::max(max_zone_gap, zone_gap_m[i]);
  }
  out.Put("dist_samples", samples.size());
  out.Put("dist_max_abs_diff_m", Fixed(max_diff, 9));
  out.Put("dist_mean_abs_diff_m", Fixed(samples.empty() ? 0 : sum_diff / samples.size(), 9));
  out.Put("dist_worst_sample", worst + 1);
  out.Put("dist_zone_vs_line_max_m", Fixed(max_zone_gap, 9));
  out.Put("dist_truce_us", Fixed(samples.empty() ? 0 : truce_dist_s * 1e6 / samples.size(), 2));
  out.Put("dist_brute_s", Fixed(brute_s, 2));
  std::printf("distances: %zu samples, max |truce - GeographicLib brute force| = %.6f mm\n", samples.size(),
              max_diff * 1e3);

  std::string sample_csv, sample_truce;
  for (size_t i = 0; i < samples.size(); ++i) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%zu,%s,\"SRID=4326;POINT(%.17g %.17g)\"\n", i + 1,
                  data.corridors[samples[i].corridor].id.c_str(), samples[i].p.lon_deg, samples[i].p.lat_deg);
    sample_csv += buf;
    std::snprintf(buf, sizeof buf, "%zu,%.9f,%.9f\n", i + 1, truce_m[i], brute_m[i]);
    sample_truce += buf;
  }
  out.Put("peak_rss_mb", PeakRssKb() / 1024);
  for (Status st : {WriteText(dir + "/sample.csv", sample_csv), WriteText(dir + "/sample_truce.csv", sample_truce),
                    WriteText(dir + "/truce.txt", out.kv.str())}) {
    if (!st.ok()) {
      std::fprintf(stderr, "rule_bench: %s\n", st.ToString().c_str());
      return 1;
    }
  }
  std::printf("peak RSS %ld MB\n", PeakRssKb() / 1024);
  return 0;
}

// ---------------------------------------------------------------- report

double Num(const std::map<std::string, std::string>& kv, const std::string& key) {
  auto it = kv.find(key);
  return it == kv.end() ? NAN : std::atof(it->second.c_str());
}

std::string Str(const std::map<std::string, std::string>& kv, const std::string& key) {
  auto it = kv.find(key);
  return it == kv.end() ? "?" : it->second;
}

// Explains the pairs on which Truce and PostGIS disagree: how far each side
// puts the incident from the zone's edge. Rows: incident id, zone id,
// in_truce (t/f), in_pg (t/f), PostGIS distance (see run.sh).
void ExplainDiffs(const std::string& path, const char* what, const BenchData* data, int* shown) {
  const auto rows = ReadCsv(path);
  if (rows.empty()) return;
  std::printf("  %s: %zu pairs differ (incident, zone, counted by, Truce's and PostGIS's signed distance to the edge, m)\n",
              what, rows.size());
  double max_truce_margin = 0;
  for (const auto& row : rows) {
    if (row.size() < 5) continue;
    const std::int64_t iid = std::atoll(row[0].c_str());
    const std::string& zid = row[1];
    double truce_margin = NAN;
    if (data != nullptr && iid >= 1 && iid <= static_cast<std::int64_t>(data->incidents.size())) {
      const geo::LatLon p = data->incidents[iid - 1].point;
      const int zi = ZoneIndexOf(zid);
      if (zid[0] == 'c') {
        const BenchCorridor& c = data->corridors[zi];
        double d = INFINITY;
        for (size_t k = 0; k + 1 < c.line.size(); ++k) {
          d = std::min(d, geo::DistanceToGeodesicSegment(p, c.line[k], c.line[k + 1]).distance_m);
        }
        truce_margin = d - c.half_width_m;
      } else {
        const geo::Zone z = geo::Zone::MakePolygons({data->zones[zi].polygon});
        const geo::ZoneRelation rel = z.Relate(p, 0);
        truce_margin = rel.center_inside ? -rel.edge_distance_m : rel.edge_distance_m;
      }
    }
    max_truce_margin = std::max(max_truce_margin, std::fabs(truce_margin));
    if ((*shown)++ < 20) {
      std::printf("    %s %s  %s  truce %+.4f  postgis %s\n", row[0].c_str(), zid.c_str(),
                  row[2] == "t" ? "truce only " : "postgis only", truce_margin, row[4].c_str());
    }
  }
  std::printf("  %s: largest |Truce distance to the edge| among them: %.4f m\n", what, max_truce_margin);
}

int Report(const std::string& dir) {
  const auto t = ReadKeyValues(dir + "/truce.txt");
  const auto pg = ReadKeyValues(dir + "/pg.txt");
  if (t.empty()) {
    std::fprintf(stderr, "rule_bench: %s/truce.txt missing or empty (run `rule_bench run` first)\n", dir.c_str());
    return 1;
  }
  std::printf("\n== Ruling benchmark (bench/rule) ==\n");
  std::printf("incidents %s, polygon zones %s, corridors %s (validity intervals on all), truce threads %s of %s\n",
              Str(t, "incidents").c_str(), Str(t, "zones").c_str(), Str(t, "corridors").c_str(),
              Str(t, "threads").c_str(), Str(t, "hardware_threads").c_str());
  std::printf("%.0f %% of the incidents placed around zones and corridors, the rest anywhere in the region; "
              "hits per incident: polygons %.3f, corridors %.3f\n",
              Num(t, "near_share") * 100, Num(t, "poly_poly_hits") / Num(t, "incidents"),
              Num(t, "corr_corr_hits") / Num(t, "incidents"));
  std::printf("\nhits (incident in zone, within validity, act prohibited):\n");
  std::printf("  polygons:  truce Ruler %s, truce kernel %s, PostGIS ST_Contains %s\n", Str(t, "poly_poly_hits").c_str(),
              Str(t, "poly_kernel_hits").c_str(), Str(pg, "pg_poly_hits").c_str());
  std::printf("  corridors: truce Ruler %s, truce kernel %s, PostGIS ST_DWithin %s\n", Str(t, "corr_corr_hits").c_str(),
              Str(t, "corr_kernel_hits").c_str(), Str(pg, "pg_corr_hits").c_str());
  std::printf("  Ruler findings by status, polygons: ");
  for (const auto& [k, v] : t) {
    if (k.rfind("poly_poly_status_", 0) == 0) std::printf("%s %s  ", k.substr(17).c_str(), v.c_str());
  }
  std::printf("\n  Ruler findings by status, corridors: ");
  for (const auto& [k, v] : t) {
    if (k.rfind("corr_corr_status_", 0) == 0) std::printf("%s %s  ", k.substr(17).c_str(), v.c_str());
  }
  std::printf("\n  kernel and Ruler give the same (incident, zone) pairs: %s; combined Ruler run agrees: %s\n",
              Str(t, "kernel_matches_ruler").c_str(), Str(t, "all_consistent").c_str());
  const bool poly_same = Str(t, "poly_poly_hits") == Str(pg, "pg_poly_hits");
  const bool corr_same = Str(t, "corr_corr_hits") == Str(pg, "pg_corr_hits");
  std::printf("  same hit counts as PostGIS: polygons %s, corridors %s\n", poly_same ? "yes" : "NO",
              corr_same ? "yes" : "NO");

  const std::string poly_diff = dir + "/pg_poly_diff.csv", corr_diff = dir + "/pg_corr_diff.csv";
  if (!ReadCsv(poly_diff).empty() || !ReadCsv(corr_diff).empty()) {
    BenchOptions options;
    options.seed = static_cast<std::uint64_t>(std::atoll(Str(t, "seed").c_str()));
    options.incidents = static_cast<int>(Num(t, "incidents"));
    options.near_share = Num(t, "near_share");
    Result<BenchData> data = Generate(options);
    int shown = 0;
    ExplainDiffs(poly_diff, "polygons", data.ok() ? &*data : nullptr, &shown);
    ExplainDiffs(corr_diff, "corridors", data.ok() ? &*data : nullptr, &shown);
  } else if (!pg.empty()) {
    std::printf("  the (incident, zone) pairs are identical, not only their counts\n");
  }

  const int threads = static_cast<int>(Num(t, "threads"));
  std::printf("\ntimes (wall seconds [CPU seconds summed over threads]; data in memory / in shared buffers; "
              "loading apart):\n");
  auto wc = [&](const std::map<std::string, std::string>& kv, const std::string& key) {
    return Fixed(Num(kv, key + "_s"), 3) + " [" + Fixed(Num(kv, key + "_cpu_s"), 3) + "]";
  };
  std::printf("  truce Ruler, %d threads: polygons %s, corridors %s, both kinds in one Ruler %s\n", threads,
              wc(t, "poly_ruler").c_str(), wc(t, "corr_ruler").c_str(), wc(t, "all_ruler").c_str());
  std::printf("  truce Ruler, 1 thread:  polygons %.3f, corridors %.3f\n", Num(t, "poly_ruler_1t_s"),
              Num(t, "corr_ruler_1t_s"));
  std::printf("  (the Ruler above decides from incident columns; from model::Report values: polygons %s, corridors %s;\n"
              "   with every finding's reason written in words: polygons %s, corridors %s; same pairs: %s, %s)\n",
              wc(t, "poly_ruler_objects").c_str(), wc(t, "corr_ruler_objects").c_str(),
              wc(t, "poly_ruler_reasons").c_str(), wc(t, "corr_ruler_reasons").c_str(),
              Str(t, "poly_paths_agree").c_str(), Str(t, "corr_paths_agree").c_str());
  std::printf("  truce kernel (columns; index, validity, Contains): polygons %s, corridors %s; corridors with DistanceM <= 0: "
              "%s\n",
              wc(t, "poly_kernel").c_str(), wc(t, "corr_kernel_contains").c_str(), wc(t, "corr_kernel").c_str());
  std::printf("  the polygon kernel reading model::Report values instead of columns: %s\n",
              wc(t, "poly_kernel_model").c_str());
  std::printf("  kernel + Relate on every box candidate before validity (the order RuleOne uses): polygons %s, "
              "corridors %s\n",
              wc(t, "poly_kernel_relate").c_str(), wc(t, "corr_kernel_relate").c_str());
  std::printf("  kernel + Relate on the hits only (the edge distance a finding reports): polygons %s, corridors %s\n",
              wc(t, "poly_kernel_relate_hits").c_str(), wc(t, "corr_kernel_relate_hits").c_str());
  std::printf("  PostGIS, 1 worker: ST_Contains %s (zones as the outer side, LATERAL: %s), ST_DWithin geography %s\n",
              wc(pg, "pg_poly").c_str(), wc(pg, "pg_poly_zones_outer").c_str(), wc(pg, "pg_corr").c_str());
  if (pg.count("pg_corr_cast_s")) {
    std::printf("  PostGIS ST_DWithin on i.geom::geography (no stored geography column): %s, %s hits\n",
                wc(pg, "pg_corr_cast").c_str(), Str(pg, "pg_corr_cast_hits").c_str());
  }
  std::printf("  PostgreSQL %s, PostGIS %s; jit %s, max_parallel_workers_per_gather %s, shared_buffers %s\n",
              Str(pg, "pg_version").c_str(), Str(pg, "postgis_version").c_str(), Str(pg, "pg_jit").c_str(),
              Str(pg, "pg_max_parallel_workers_per_gather").c_str(), Str(pg, "pg_shared_buffers").c_str());
  std::printf("  PostGIS load (COPY, GiST indexes, VACUUM ANALYZE): %.1f s\n", Num(pg, "pg_load_s"));

  // Wall ratios are what this run measured; on a machine shared with other work
  // the CPU ratio (PostGIS CPU / (Truce CPU / threads)) says what an idle one gives.
  // "by CPU": PostGIS backend CPU / (Truce CPU / threads), what an idle machine
  // with `threads` cores gives when the threads scale (they share nothing).
  auto ratios = [&](const char* what, const std::string& pg_key, const char* truce_key, const char* kernel_key) {
    const double pg_wall = Num(pg, pg_key + "_s"), pg_cpu = Num(pg, pg_key + "_cpu_s");
    const double wall = Num(t, std::string(truce_key) + "_s"), cpu = Num(t, std::string(truce_key) + "_cpu_s");
    const double kwall = Num(t, std::string(kernel_key) + "_s"), kcpu = Num(t, std::string(kernel_key) + "_cpu_s");
    std::printf("  %-62s Ruler %6.1fx wall %6.1fx by CPU | kernel %6.1fx wall %6.1fx by CPU\n", what,
                pg_wall / wall, pg_cpu / (cpu / threads), pg_wall / kwall, pg_cpu / (kcpu / threads));
  };
  std::printf("\nratios, PostGIS time / Truce time (Truce on %d threads, PostGIS one worker); targets: polygons >= "
              "100x, corridors >= 30x:\n",
              threads);
  ratios("polygons: truce vs PostGIS ST_Contains, the plan it picks", "pg_poly", "poly_ruler", "poly_kernel");
  ratios("polygons: truce vs PostGIS ST_Contains, zones outer (LATERAL)", "pg_poly_zones_outer", "poly_ruler",
         "poly_kernel");
  ratios("corridors: truce vs PostGIS ST_DWithin (geography)", "pg_corr", "corr_ruler", "corr_kernel_contains");

  std::printf("\nmemory: peak RSS of the truce process %s MB (the incidents as model::Report, 3 rulers, their "
              "findings)\n",
              Str(t, "peak_rss_mb").c_str());

  std::printf("\ndistances (%s point-to-corridor-line samples):\n", Str(t, "dist_samples").c_str());
  std::printf("  truce DistanceToGeodesicSegment vs GeographicLib brute force: max |diff| %.6f mm, mean %.6f mm "
              "(target <= 1 mm); %.2f us per distance\n",
              Num(t, "dist_max_abs_diff_m") * 1e3, Num(t, "dist_mean_abs_diff_m") * 1e3, Num(t, "dist_truce_us"));
  std::printf("  corridor Zone::DistanceM vs line distance - half-width: max |diff| %.6f mm\n",
              Num(t, "dist_zone_vs_line_max_m") * 1e3);
  const auto truce_rows = ReadCsv(dir + "/sample_truce.csv");
  const auto pg_rows = ReadCsv(dir + "/pg_sample_dist.csv");
  if (!pg_rows.empty()) {
    std::map<std::string, double> truce_by_id;
    for (const auto& r : truce_rows) {
      if (r.size() >= 2) truce_by_id[r[0]] = std::atof(r[1].c_str());
    }
    double max_sph = 0, max_sphere = 0, sum_sph = 0, max_rel = 0;
    size_t n = 0;
    for (const auto& r : pg_rows) {
      if (r.size() < 3 || !truce_by_id.count(r[0])) continue;
      const double tm = truce_by_id[r[0]];
      const double d1 = std::fabs(std::atof(r[1].c_str()) - tm), d2 = std::fabs(std::atof(r[2].c_str()) - tm);
      max_sph = std::max(max_sph, d1);
      max_sphere = std::max(max_sphere, d2);
      if (tm > 1000) max_rel = std::max(max_rel, d1 / tm);
      sum_sph += d1;
      ++n;
    }
    std::printf("  truce vs PostGIS ST_Distance(geography): max |diff| %.3f m, mean %.3f m, max relative %.2e "
                "(spheroid); %.1f m with use_spheroid=false (%zu samples)\n",
                max_sph, n ? sum_sph / n : 0.0, max_rel, max_sphere, n);
  }
  return 0;
}

// Only one Ruler run, for profilers: `perf record rule_bench ruler poly`.
// `repeat` > 0 runs only the column Ruler, that many times (a profile of it alone).
int RulerOnly(const std::string& kind, const BenchOptions& options, int threads, int repeat) {
  Result<BenchData> data = Generate(options);
  if (!data.ok()) return 1;
  const ZoneKinds kinds = kind == "poly" ? ZoneKinds::kPolygons : kind == "corr" ? ZoneKinds::kCorridors : ZoneKinds::kAll;
  Result<std::vector<agreement::LoadedAgreement>> agreements = MakeAgreements(*data, options, kinds);
  if (!agreements.ok()) return 1;
  rules::RuleOptions rule_options;
  rule_options.scope_margin_m = 0;
  rule_options.scope_margin = std::chrono::seconds{0};
  Result<std::unique_ptr<rules::Ruler>> ruler = rules::Ruler::Build(std::move(*agreements), rule_options);
  if (!ruler.ok()) {
    std::fprintf(stderr, "rule_bench: %s\n", ruler.status().ToString().c_str());
    return 1;
  }
  std::vector<RulerMode> modes = {RulerMode::kColumns, RulerMode::kDecisions, RulerMode::kFindings};
  if (repeat > 0) modes.assign(repeat, RulerMode::kColumns);
  for (RulerMode mode : modes) {
    const RulerRun run = RunRuler(**ruler, data->incidents, threads, mode);
    std::printf("Ruler (%s, %s), %d threads: %.3f s wall, %.3f s CPU; hits: polygons %lld, corridors %lld\n",
                kind.c_str(),
                mode == RulerMode::kColumns     ? "columns, decisions"
                : mode == RulerMode::kDecisions ? "model::Report, decisions"
                                                : "model::Report, findings with reasons",
                threads,
                run.seconds, run.cpu_s, run.polygons.hits, run.corridors.hits);
  }
  std::printf("peak RSS %ld MB (the incidents as model::Report and as columns)\n", PeakRssKb() / 1024);
  return 0;
}

int Usage() {
  std::fprintf(stderr,
               "usage: rule_bench run DIR [--incidents N] [--threads T] [--near-share F]\n"
               "       rule_bench report DIR\n"
               "       rule_bench ruler poly|corr|all [--incidents N] [--threads T] [--repeat R]\n"
               "           (one Ruler run of each kind, to profile; --repeat: the column Ruler only, R times)\n");
  return 2;
}

}  // namespace
}  // namespace truce::bench

int main(int argc, char** argv) {
  using namespace truce::bench;
  if (argc < 3) return Usage();
  const std::string cmd = argv[1], dir = argv[2];
  if (cmd == "report") return Report(dir);
  if (cmd != "run" && cmd != "ruler") return Usage();
  BenchOptions options;
  int threads = 2, repeat = 0;
  for (int i = 3; i < argc; i += 2) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) return Usage();
    if (flag == "--near-share") {
      const std::optional<double> share = truce::ParseDouble(argv[i + 1]);
      if (!share || *share < 0 || *share > 1) return Usage();
      options.near_share = *share;
      continue;
    }
    const std::optional<long long> v = truce::ParseInt(argv[i + 1]);
    if (!v || *v <= 0 || *v > 100'000'000) return Usage();
    if (flag == "--incidents") {
      options.incidents = static_cast<int>(*v);
    } else if (flag == "--threads") {
      threads = static_cast<int>(*v);
    } else if (flag == "--repeat" && cmd == "ruler") {
      repeat = static_cast<int>(*v);
    } else {
      return Usage();
    }
  }
  return cmd == "run" ? Run(dir, options, threads) : RulerOnly(dir, options, threads, repeat);
}
