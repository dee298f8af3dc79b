// Engine::FindingsPage and the order of FindingsText: findings in the order a
// caller chose (FindingQuery::sort), paged by keyset cursors, with the total
// and the counts by status and by side for the filters, so that a table can
// say "1 234 findings" and sort all of them, not the rows it has loaded.
// Stored findings are sorted, paged and counted by the store (SQL); the
// per-report view, ruled on demand, here, in the same order (the store's
// kFindingSorts and ValueOf below must agree).
#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <string_view>
#include <tuple>
#include <vector>

#include "core.h"
#include "truce/core/json_writer.h"
#include "truce/core/strings.h"
#include "truce/facade/engine.h"
#include "views.h"

namespace truce {

using json = nlohmann::json;
using facade::Dump;

namespace {

// The keys sort= takes; each may carry a leading '-' for descending.
constexpr std::array<std::string_view, 12> kSortKeys = {"date",    "status",     "side",       "location",
                                                        "support", "agreement",  "event_type", "actor",
                                                        "fatalities", "distance_m", "incident", "confidence"};

// Status by severity, as the dashboard lists them: ascending puts violations first.
int SeverityRank(model::FindingStatus s) {
  switch (s) {
    case model::FindingStatus::kViolation: return 0;
    case model::FindingStatus::kUndetermined: return 1;
    case model::FindingStatus::kExempt: return 2;
    case model::FindingStatus::kNoViolation: return 3;
    case model::FindingStatus::kOutsideScope: return 4;
  }
  return 5;
}

int SupportRank(model::Support s) {
  switch (s) {
    case model::Support::kSingle: return 1;
    case model::Support::kCorroborated: return 2;
    case model::Support::kObserved: return 3;
  }
  return 0;
}

struct Order {
  std::string key = "date";
  bool descending = false;
  std::string Name() const { return (descending ? "-" : "") + key; }
};

// A row's value under a sort key: compared as the number, then the text
// (numeric keys have no text, text keys a number of 0).
struct SortValue {
  double n = 0;
  std::string s;
};

SortValue ValueOf(const store::FindingRow& r, const std::string& key) {
  const model::Finding& f = r.finding;
  if (key == "date") return {0, time::FormatDate(r.date)};
  if (key == "status") return {static_cast<double>(SeverityRank(f.status)), ""};
  if (key == "side") return {0, f.side};
  if (key == "location") return {0, r.location + "\t" + r.admin1};
  if (key == "support") return {static_cast<double>(SupportRank(f.support)), ""};
  if (key == "agreement") return {0, f.agreement_id + "\t" + f.provision_id};
  if (key == "event_type") return {0, r.event_type + "\t" + r.sub_event_type};
  if (key == "actor") return {0, r.actor1.empty() ? f.actor_id : r.actor1};
  if (key == "fatalities") return {static_cast<double>(r.fatalities), ""};
  if (key == "distance_m") return {f.distance_m, ""};
  if (key == "confidence") return {f.confidence, ""};
  return {static_cast<double>(f.incident_id), ""};  // "incident"
}

Result<Order> ParseOrder(const std::string& sort) {
  Order o;
  if (sort.empty()) return o;
  o.descending = sort.front() == '-';
  o.key = o.descending ? sort.substr(1) : sort;
  if (std::find(kSortKeys.begin(), kSortKeys.end(), o.key) == kSortKeys.end()) {
    return Status::InvalidArgument("unknown sort '" + sort + "' (expected one of " + FindingSortKeys() +
                                   ", each with an optional leading '-' for descending)");
  }
  return o;
}

// A row in its place: the sort value, then the store's order as the tie
// break (first day, incident, agreement, provision, stored id, then the
// position in the store's answer for per-report rows, which share ids).
struct Ranked {
  SortValue value;
  time::Days date{};
  std::int64_t incident_id = 0;
  std::string agreement_id, provision_id;
  std::int64_t finding_id = 0;
  std::int64_t ordinal = 0;
  const store::FindingRow* row = nullptr;
};

Ranked RankOf(const store::FindingRow& r, const Order& o, std::int64_t ordinal) {
  return {ValueOf(r, o.key), r.date, r.finding.incident_id, r.finding.agreement_id, r.finding.provision_id,
          r.finding_id, ordinal, &r};
}

// Strict weak order: the value (reversed when descending), then the tie
// break, always ascending so that pages of equal values stay in date order.
struct Less {
  bool descending;
  bool operator()(const Ranked& a, const Ranked& b) const {
    const auto va = std::tie(a.value.n, a.value.s);
    const auto vb = std::tie(b.value.n, b.value.s);
    if (va != vb) return descending ? vb < va : va < vb;
    return std::tie(a.date, a.incident_id, a.agreement_id, a.provision_id, a.finding_id, a.ordinal) <
           std::tie(b.date, b.incident_id, b.agreement_id, b.provision_id, b.finding_id, b.ordinal);
  }
};

std::vector<Ranked> Rank(const std::vector<store::FindingRow>& rows, const Order& o) {
  std::vector<Ranked> ranked;
  ranked.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) ranked.push_back(RankOf(rows[i], o, static_cast<std::int64_t>(i)));
  std::sort(ranked.begin(), ranked.end(), Less{o.descending});
  return ranked;
}

// A double written so that ParseDouble gives it back exactly.
std::string ExactDouble(double v) {
  std::array<char, 32> buf{};
  const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  return std::string(buf.data(), res.ptr);
}

// Opaque cursors: hex of tab-separated fields; the sort is in them so that a
// cursor is not taken for another order's.
constexpr std::size_t kCursorFields = 9;

std::string EncodeCursor(const Order& o, const Ranked& r) {
  return HexEncode(Join({o.Name(), ExactDouble(r.value.n), HexEncode(r.value.s), time::FormatDate(r.date),
                         std::to_string(r.incident_id), r.agreement_id, r.provision_id,
                         std::to_string(r.finding_id), std::to_string(r.ordinal)},
                        "\t"));
}

Status NotACursor() { return Status::InvalidArgument("query parameter 'cursor': not a cursor this route gave out"); }

Result<Ranked> DecodeCursor(const std::string& cursor, const Order& o) {
  const std::optional<std::string> joined = HexDecode(cursor);
  if (!joined) return NotACursor();
  const std::vector<std::string> f = Split(*joined, '\t');
  if (f.size() != kCursorFields) return NotACursor();
  if (f[0] != o.Name()) {
    return Status::InvalidArgument("query parameter 'cursor': given out for sort '" + f[0] + "', not '" + o.Name() +
                                   "'");
  }
  Ranked r;
  const std::optional<double> n = ParseDouble(f[1]);
  const std::optional<std::string> s = HexDecode(f[2]);
  const auto day = time::ParseIsoDate(f[3]);
  const std::optional<long long> incident = ParseInt(f[4]);
  const std::optional<long long> finding = ParseInt(f[7]);
  const std::optional<long long> ordinal = ParseInt(f[8]);
  if (!n || !s || !day.ok() || !incident || !finding || !ordinal) return NotACursor();
  r.value = {*n, *s};
  r.date = *day;
  r.incident_id = *incident;
  r.agreement_id = f[5];
  r.provision_id = f[6];
  r.finding_id = *finding;
  r.ordinal = *ordinal;
  return r;
}

// How many findings match, by status and by side ("" for findings of no side).
store::FindingCounts CountsOf(const std::vector<store::FindingRow>& rows) {
  store::FindingCounts c;
  for (const auto& r : rows) {
    ++c.total;
    ++c.by_status[model::FindingStatusName(r.finding.status)];
    ++c.by_side[r.finding.side];
  }
  return c;
}

}  // namespace

std::string FindingSortKeys() {
  std::string out;
  for (std::string_view k : kSortKeys) {
    if (!out.empty()) out += ", ";
    out += k;
  }
  return out;
}

Status CheckFindingSort(const std::string& sort) { return ParseOrder(sort).status(); }

namespace facade {
Result<std::vector<store::FindingRow>> SortFindings(std::vector<store::FindingRow> rows, const std::string& sort) {
  TRUCE_ASSIGN_OR_RETURN(Order o, ParseOrder(sort));
  std::vector<store::FindingRow> out;
  out.reserve(rows.size());
  for (const Ranked& r : Rank(rows, o)) out.push_back(*r.row);
  return out;
}
}  // namespace facade

Result<Rendered> Engine::FindingsPage(const FindingQuery& query, std::size_t limit,
                                      const std::optional<std::string>& cursor, const std::string& format) {
  TRUCE_ASSIGN_OR_RETURN(Order order, ParseOrder(query.sort));
  std::optional<Ranked> after;
  if (cursor) {
    TRUCE_ASSIGN_OR_RETURN(Ranked a, DecodeCursor(*cursor, order));
    after = std::move(a);
  }
  const store::FindingFilter f = facade::ToFindingFilter(query);
  std::vector<store::FindingRow> rows;  // the page, and one more row if there is a next page
  store::FindingCounts counts;
  if (query.by_report) {
    // Ruled now, every matching report: sorted and paged here.
    TRUCE_ASSIGN_OR_RETURN(std::vector<store::FindingRow> all, core_->FindingsByReport(f));
    counts = CountsOf(all);
    const std::vector<Ranked> ranked = Rank(all, order);
    auto it = after ? std::upper_bound(ranked.begin(), ranked.end(), *after, Less{order.descending}) : ranked.begin();
    for (; it != ranked.end() && rows.size() <= limit; ++it) rows.push_back(*it->row);
    // The position among equal keys, for the cursor (per-report rows share ids).
    if (rows.size() > limit) after = *(it - 2);
  } else {
    store::FindingFilter page = f;
    // Oldest first is the store's own order (and its index's).
    const bool own_order = order.key == "date" && !order.descending;
    if (!own_order) {
      page.sort_key = order.key;
      page.descending = order.descending;
    }
    if (after) {
      page.after = store::FindingFilter::Position{after->date, after->incident_id, after->agreement_id,
                                                  after->provision_id, after->finding_id};
      if (!own_order) page.after_value = store::FindingFilter::SortValue{after->value.n, after->value.s};
    }
    page.limit = static_cast<std::int64_t>(limit) + 1;  // one more tells whether there is a next page
    TRUCE_ASSIGN_OR_RETURN(rows, core_->Findings(page));
    TRUCE_ASSIGN_OR_RETURN(counts, core_->CountFindings(f));
    if (rows.size() > limit) after = RankOf(rows[limit - 1], order, 0);
  }
  json next = nullptr;
  if (rows.size() > limit) {
    rows.resize(limit);
    next = EncodeCursor(order, *after);
  }

  json items = json::array();
  Rendered r;
  json out;
  if (format == "geojson") {
    for (const store::FindingRow& row : rows) {
      items.push_back({{"type", "Feature"},
                       {"geometry", {{"type", "Point"}, {"coordinates", {row.point.lon_deg, row.point.lat_deg}}}},
                       {"properties", facade::FindingJson(row)}});
    }
    out = {{"type", "FeatureCollection"}, {"features", items}};
    r.content_type = "application/geo+json";
  } else {
    for (const store::FindingRow& row : rows) items.push_back(facade::FindingJson(row));
    out = {{"items", items}};
  }
  out["next_cursor"] = next;
  out["total"] = counts.total;
  out["sort"] = order.Name();
  out["counts"] = {{"status", counts.by_status}, {"side", counts.by_side}};
  r.body = Dump(out);
  return r;
}

}  // namespace truce
