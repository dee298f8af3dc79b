// An incident's best estimate from its reports (docs/reconcile.md, "The
// estimate"): place from the most precise, time the window all agree on,
// type and actors from the most specific, fatalities as the range of what
// sources say with each source's figures side by side; support from the
// independent sources among them.
#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "config.h"
#include "features.h"

namespace truce::reconcile {

namespace {

// What a report rests on: a dataset row on its dataset; a news report on the
// claimant it quotes for a death toll (else any claimant it quotes), else on
// its outlet. Reports with equal keys count once.
std::string IndependentOf(const model::Report& r, const std::vector<model::Claim>& claims) {
  if (r.dataset != "news") return "dataset:" + r.dataset;
  const model::Claim* quoted = nullptr;
  for (const model::Claim& c : claims) {
    if (c.record_id != r.record_id || FoldName(c.claimant_name).empty() || c.kind == "accusation") continue;
    if (quoted == nullptr || (c.kind == "killed" && quoted->kind != "killed") ||
        ((c.kind == "killed") == (quoted->kind == "killed") && c.id < quoted->id)) {
      quoted = &c;
    }
  }
  if (quoted != nullptr) return "claimant:" + FoldName(quoted->claimant_name);
  if (!FoldName(r.source).empty()) return "outlet:" + FoldName(r.source);
  return "record:" + std::to_string(r.record_id);
}

int WindowDays(const model::Report& r) {
  return static_cast<int>((r.time.last_day - r.time.first_day).count()) + 1;
}

}  // namespace

model::Incident Estimate(const std::vector<const model::Report*>& reports_in,
                         const std::vector<const Placement*>& placements_in, const std::vector<model::Claim>& claims,
                         const Config& config) {
  model::Incident out;
  if (reports_in.empty()) return out;
  // Reports by id; the lead (smallest) first.
  std::vector<std::size_t> order(reports_in.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return reports_in[x]->id < reports_in[y]->id; });
  std::vector<const model::Report*> reports;
  std::vector<const Placement*> placements;
  for (std::size_t i : order) {
    reports.push_back(reports_in[i]);
    placements.push_back(i < placements_in.size() ? placements_in[i] : nullptr);
  }
  const model::Report& lead = *reports.front();
  out.id = lead.id;

  // Sources and independence.
  std::set<std::string> independent;
  bool observed = false;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    const model::Report& r = *reports[i];
    model::IncidentSource s;
    s.report_id = r.id;
    s.dataset = r.dataset;
    s.source_id = r.source_id;
    s.independent_of = IndependentOf(r, claims);
    s.grade = config.GradeOf(r);
    if (i > 0 && placements[i] != nullptr) {
      s.score = placements[i]->score;
      s.reason = placements[i]->reason;
      s.decided_by = placements[i]->decided_by;
    } else {
      s.decided_by = placements[i] != nullptr ? placements[i]->decided_by : "matcher";
    }
    independent.insert(s.independent_of);
    observed = observed || config.Observation(r.dataset);
    out.sources.push_back(std::move(s));
  }
  out.independent_sources = static_cast<int>(independent.size());
  out.support = observed ? model::Support::kObserved
                : out.independent_sources >= 2 ? model::Support::kCorroborated
                                                : model::Support::kSingle;

  // Figures side by side: each dataset row's own; for news reports the
  // death tolls their articles quote (each claim once), else their own figure.
  std::set<std::int64_t> claims_used;
  for (const model::Report* r : reports) {
    if (r->dataset == "news") {
      bool quoted = false;
      for (const model::Claim& c : claims) {
        if (c.record_id != r->record_id || c.kind != "killed") continue;
        quoted = true;
        if (!claims_used.insert(c.id).second) continue;
        model::FatalityFigure f;
        f.report_id = r->id;
        f.source = c.claimant_name.empty() ? ReportLabel(*r) : c.claimant_name;
        if (c.count) f.best = static_cast<int>(*c.count);
        f.qualifier = c.qualifier;
        out.figures.push_back(std::move(f));
      }
      if (quoted) continue;
    }
    model::FatalityFigure f;
    f.report_id = r->id;
    f.source = ReportLabel(*r);
    f.best = r->fatalities;
    f.low = r->fatalities_low;
    f.high = r->fatalities_high;
    out.figures.push_back(std::move(f));
  }
  bool any = false;
  for (const model::FatalityFigure& f : out.figures) {
    std::optional<int> lo = f.low ? f.low : f.best, hi = f.high ? f.high : f.best;
    if (f.best) lo = std::min(*lo, *f.best), hi = std::max(*hi, *f.best);
    if (!lo) continue;
    out.fatalities_low = any ? std::min(out.fatalities_low, *lo) : *lo;
    out.fatalities_high = any ? std::max(out.fatalities_high, *hi) : *hi;
    any = true;
  }

  // The estimate: the lead's shape, with each part from its best source.
  out.estimate = lead;
  if (reports.size() > 1) {
    out.estimate.dataset = "reconciled";
    out.estimate.source_id.clear();
    out.estimate.source = ReportedBy(out);
    out.estimate.notes.clear();
    out.estimate.span_begin.reset();
    out.estimate.span_end.reset();
  }
  auto best = [&](auto better) {
    const model::Report* b = reports.front();
    for (const model::Report* r : reports) {
      if (better(*r, *b)) b = r;  // ties keep the smaller id (reports are in id order)
    }
    return b;
  };
  const model::Report* place = best([](const model::Report& x, const model::Report& y) {
    return x.uncertainty_m < y.uncertainty_m;
  });
  out.estimate.point = place->point;
  out.estimate.uncertainty_m = place->uncertainty_m;
  out.estimate.geo_precision = place->geo_precision;
  out.estimate.location = place->location;
  out.estimate.admin1 = place->admin1;
  out.estimate.admin2 = place->admin2;
  out.estimate.admin3 = place->admin3;
  out.estimate.country = place->country;
  out.estimate.iso3 = place->iso3;
  out.estimate.track = place->track;

  const model::Report* tightest = best([](const model::Report& x, const model::Report& y) {
    return WindowDays(x) < WindowDays(y);
  });
  time::Days first = lead.time.first_day, last = lead.time.last_day;
  for (const model::Report* r : reports) {
    first = std::max(first, r->time.first_day);
    last = std::min(last, r->time.last_day);
  }
  out.estimate.time_precision = tightest->time_precision;
  if (first > last) {
    out.estimate.time = tightest->time;  // they disagree: the most precise says
  } else if (first == tightest->time.first_day && last == tightest->time.last_day) {
    out.estimate.time = tightest->time;
  } else {
    out.estimate.time = time::IncidentTime{first, last,
                                           first == last ? time::TimePrecision::kDay : time::TimePrecision::kRange,
                                           std::nullopt};
  }

  const model::Report* typed = best([&](const model::Report& x, const model::Report& y) {
    const bool xt = !x.event_type.empty(), yt = !y.event_type.empty();
    if (xt != yt) return xt;
    return config.Specificity(x.dataset) < config.Specificity(y.dataset);
  });
  out.estimate.event_type = typed->event_type;
  out.estimate.sub_event_type = typed->sub_event_type;
  out.estimate.native_code = typed->native_code;
  out.estimate.actor1 = typed->actor1;
  out.estimate.assoc_actor1 = typed->assoc_actor1;
  out.estimate.actor2 = typed->actor2;
  out.estimate.assoc_actor2 = typed->assoc_actor2;

  // The best figure: the most reliable source's (grade A first).
  const model::Report* reliable = best([&](const model::Report& x, const model::Report& y) {
    return config.GradeOf(x) < config.GradeOf(y);
  });
  out.estimate.fatalities = reliable->fatalities;
  out.estimate.fatalities_low = out.fatalities_low;
  out.estimate.fatalities_high = out.fatalities_high;
  if (reports.size() == 1) {
    out.estimate.fatalities_low = lead.fatalities_low;
    out.estimate.fatalities_high = lead.fatalities_high;
  }
  // The surest reading of the happening: a dataset's row (1) makes a news
  // report's doubtful reading of the same event sure.
  out.estimate.confidence = 0;
  for (const model::Report* r : reports) out.estimate.confidence = std::max(out.estimate.confidence, r->confidence);
  return out;
}

const model::Report* EstimateIsReport(const std::vector<const model::Report*>& reports) {
  // Estimate with one report: the estimate is the lead, every part taken from
  // it again, but the confidence is max(0, its confidence).
  if (reports.size() != 1) return nullptr;
  const double c = reports.front()->confidence;
  return std::isnan(c) || std::signbit(c) ? nullptr : reports.front();
}

std::string ReportedBy(const model::Incident& incident) {
  std::vector<std::string> named;
  int news = 0;
  for (const model::IncidentSource& s : incident.sources) {
    if (s.dataset == "news") {
      ++news;
    } else if (s.source_id.empty()) {
      named.push_back(DatasetLabel(s.dataset) + " report " + std::to_string(s.report_id));
    } else {
      named.push_back(DatasetLabel(s.dataset) + " " + s.source_id);
    }
  }
  if (news > 0) named.push_back(news == 1 ? "1 news report" : std::to_string(news) + " news reports");
  std::string out;
  for (std::size_t i = 0; i < named.size(); ++i) {
    if (i > 0) out += i + 1 == named.size() ? " and " : ", ";
    out += named[i];
  }
  return out;
}

std::string Grades(const model::Incident& incident) {
  std::vector<std::string> seen;
  for (const model::IncidentSource& s : incident.sources) {
    std::string g = DatasetLabel(s.dataset) + " " + (s.grade.empty() ? "?" : s.grade);
    if (std::find(seen.begin(), seen.end(), g) == seen.end()) seen.push_back(std::move(g));
  }
  std::string out;
  for (const std::string& g : seen) out += (out.empty() ? "" : ", ") + g;
  return out;
}

}  // namespace truce::reconcile
