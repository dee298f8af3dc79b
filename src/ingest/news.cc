// The news article reader: an extraction turned into one Record (news.h).
#include "truce/ingest/news.h"

#include <chrono>
#include <climits>
#include <cmath>
#include <optional>
#include <utility>

#include "internal.h"

namespace truce::ingest {
namespace {

// An event's date as the extractor gives it: a day, or shortened to a month
// or a year ("2020-03", "2018") when that is all the article says.
std::optional<time::IncidentTime> EventTime(std::string_view date) {
  using namespace std::chrono;
  auto number = [](std::string_view s, int* out) {
    if (s.empty()) return false;
    int v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    *out = v;
    return true;
  };
  time::IncidentTime t;
  if (date.size() == 10) {
    Result<time::Days> d = time::ParseIsoDate(date);
    if (!d.ok()) return std::nullopt;
    t.first_day = t.last_day = *d;
    t.precision = time::TimePrecision::kDay;
    return t;
  }
  int y = 0, m = 0;
  if (date.size() == 7 && date[4] == '-' && number(date.substr(0, 4), &y) && number(date.substr(5, 2), &m) &&
      m >= 1 && m <= 12) {
    year_month ym{year{y}, month{static_cast<unsigned>(m)}};
    t.first_day = sys_days{ym / 1};
    t.last_day = sys_days{ym / last};
    t.precision = time::TimePrecision::kMonth;
    return t;
  }
  if (date.size() == 4 && number(date, &y)) {
    t.first_day = sys_days{year{y} / January / 1};
    t.last_day = sys_days{year{y} / December / 31};
    t.precision = time::TimePrecision::kYear;
    return t;
  }
  return std::nullopt;
}

// A stated count as a whole number of people: none for a missing, negative or
// non-finite figure, INT_MAX for one too large to hold.
int ClampedCount(const std::optional<double>& v) {
  if (!v || !std::isfinite(*v) || *v <= 0) return 0;
  return *v >= static_cast<double>(INT_MAX) ? INT_MAX : static_cast<int>(std::llround(*v));
}

model::Claim ClaimFrom(const extract::ActorRef& claimant, const extract::Source& src) {
  model::Claim c;
  c.claimant_name = claimant.name;
  c.claimant_country = claimant.country;
  c.claimant_kind = claimant.kind;
  c.span_begin = static_cast<std::int64_t>(src.begin);
  c.span_end = static_cast<std::int64_t>(src.end);
  c.sentence = src.sentence;
  c.confidence = src.confidence;
  return c;
}

model::Report IncidentFrom(const extract::EventOut& e, const time::IncidentTime& when, const std::string& source,
                             const ArticleReadOptions& options) {
  model::Report in;
  in.dataset = "news";
  in.time = when;
  in.event_type = e.event_type;
  in.sub_event_type = e.sub_event_type;
  if (e.actor1) in.actor1 = e.actor1->name;
  if (e.actor2) in.actor2 = e.actor2->name;
  in.iso3 = e.location.country;
  if (options.country_name) in.country = options.country_name(in.iso3);
  in.admin1 = e.location.admin1;
  in.location = e.location.name;
  in.point = {*e.location.lat, *e.location.lon};
  in.uncertainty_m = options.place_uncertainty_m;
  in.fatalities = ClampedCount(e.fatalities);
  in.source = source;
  in.notes = e.source.sentence;
  in.span_begin = static_cast<std::int64_t>(e.source.begin);
  in.span_end = static_cast<std::int64_t>(e.source.end);
  in.confidence = e.source.confidence;
  return in;
}

void AddClaims(const extract::Extraction& x, std::vector<model::Claim>* out) {
  for (const extract::ClaimOut& c : x.claims) {
    model::Claim m = ClaimFrom(c.claimant, c.source);
    m.kind = c.kind;
    m.count = c.count;
    m.qualifier = c.qualifier;
    if (c.subject) {
      m.subject_name = c.subject->name;
      m.subject_country = c.subject->country;
    }
    if (c.by) {
      m.by_name = c.by->name;
      m.by_country = c.by->country;
    }
    m.from_day = c.from;
    m.to_day = c.to;
    out->push_back(std::move(m));
  }
  for (const extract::VagueFigureOut& v : x.vague_figures) {
    model::Claim m = ClaimFrom(v.claimant, v.source);
    m.kind = v.kind;
    m.qualifier = "vague";
    m.text = v.text;
    if (v.subject) {
      m.subject_name = v.subject->name;
      m.subject_country = v.subject->country;
    }
    out->push_back(std::move(m));
  }
  for (const extract::AccusationOut& a : x.accusations) {
    model::Claim m = ClaimFrom(a.accuser, a.source);
    m.kind = "accusation";
    m.by_name = a.accused.name;
    m.by_country = a.accused.country;
    m.text = a.of;
    out->push_back(std::move(m));
  }
}

}  // namespace

Result<ArticleSummary> ReadArticle(std::string_view bytes, const std::string& file, const extract::Extraction& x,
                                   const ArticleReadOptions& options, const std::function<Status(Record&&)>& sink) {
  if (x.sentence_count == 0) return Status::ParseError(file + ": no sentences found; nothing stored");
  ArticleSummary summary;
  summary.events = static_cast<std::int64_t>(x.events.size());

  Record rec;
  model::SourceRecord& source = rec.source;
  source.dataset = "news";
  source.source_file = file;
  source.file_hash = options.file_hash.empty() ? FileHash(bytes) : options.file_hash;
  source.row = 1;  // the whole article is the one record
  source.raw.assign(bytes);
  internal::ContentHash("news\n", bytes, &source.content_hash);

  // An incident's source_id numbers its event among all the article's,
  // located or not: "<content hash, 12 digits>#e<n>".
  rec.has_incident = false;
  const std::string id_prefix = source.content_hash.substr(0, 12) + "#e";
  const std::string& incident_source = x.title.empty() ? file : x.title;
  for (size_t i = 0; i < x.events.size(); ++i) {
    const extract::EventOut& e = x.events[i];
    std::optional<time::IncidentTime> when = EventTime(e.date);
    if (!when || !e.location.lat || !e.location.lon) {
      ++summary.not_located;
      continue;
    }
    rec.incidents.push_back(IncidentFrom(e, *when, incident_source, options));
    rec.incidents.back().source_id = id_prefix + std::to_string(i + 1);
  }
  AddClaims(x, &rec.claims);
  TRUCE_RETURN_IF_ERROR(sink(std::move(rec)));
  return summary;
}

}  // namespace truce::ingest
