// The data model: actors, agreements (sides, zones, provisions), reports,
// incidents, findings and obligation statuses. Plain values; the modules that
// read, store and rule them live elsewhere. Thread-safety: values.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "truce/geo/geo.h"
#include "truce/time/daily_window.h"
#include "truce/time/time.h"

namespace truce::model {

// Where something was written in a source file (1-based), for error messages
// that point back at the agreement file.
struct SourcePos {
  std::string file;
  int line = 0;
  int column = 0;
};

// ---------------------------------------------------------------- actors

enum class ActorKind { kState, kArmedForces, kGovernment, kArmedGroup, kInternational, kCivilians, kOther };
const char* ActorKindName(ActorKind k);
std::optional<ActorKind> ParseActorKind(std::string_view s);

// A listing that matters to agreements, valid over dates (inclusive civil days;
// open ends when absent): "designated terrorist by the UN Security Council".
struct Designation {
  std::string by;   // "UNSC"
  std::string as;   // "terrorist"
  std::optional<time::Days> from;
  std::optional<time::Days> until;
  bool ValidOn(time::Days d) const { return (!from || d >= *from) && (!until || d <= *until); }
};

struct Actor {
  std::string id;                    // "syrian-army"
  std::string name;                  // "Syrian Arab Army"
  std::vector<std::string> aliases;  // names datasets use: "Military Forces of Syria (2000-)"
  std::string country;               // ISO 3166-1 alpha-3, may be empty
  ActorKind kind = ActorKind::kOther;
  std::vector<Designation> designations;
  SourcePos pos;
};

// ---------------------------------------------------------------- agreements

struct Side {
  std::string id;         // "government"
  std::string guarantor;  // "RUS" (an ISO3 code or actor id), may be empty
  std::vector<std::string> actor_ids;
};

// A named point an agreement uses (route ends, circle centres).
struct PlaceDef {
  std::string id;    // "trumba"
  std::string name;  // "Trumba", defaults to id
  geo::LatLon position;
  bool approximate = false;
  std::string note;
  SourcePos pos;
};

struct ZoneDef {
  std::string id;    // "m4-corridor"
  std::string name;  // human name, defaults to id
  geo::Zone zone;
  bool approximate = false;
  std::string note;      // e.g. why it is approximate
  std::string source;    // the GeoJSON file it came from, if any
  SourcePos pos;
};

// An act as datasets classify it: ACLED event type, optionally narrowed to a
// sub-event type. Empty sub_event_type matches every sub-type.
struct ActPattern {
  std::string event_type;      // "Explosions/Remote violence"
  std::string sub_event_type;  // "Shelling/artillery/missile attack" or ""
  std::string ToString() const;
};

struct Exemption {
  bool against_designated = false;          // the target is designated on the day
  std::vector<std::string> against_actors;  // or is one of these actors
  std::vector<ActPattern> acts;             // or the act is one of these
  std::string note;
};

enum class ProvisionKind { kProhibition, kObligation };
enum class ObligationKind { kJointPatrol, kWithdraw, kOpenRoad, kOther };
const char* ObligationKindName(ObligationKind k);
std::optional<ObligationKind> ParseObligationKind(std::string_view s);

// Which incidents count as observations bearing on an obligation.
struct EvidenceRule {
  std::vector<ActPattern> acts;            // matching event types (empty: any)
  std::vector<std::string> notes_contain;  // case-insensitive words in the notes (any of)
};

struct Provision {
  std::string id;       // "art1"
  std::string article;  // "Art. 1" — how reasons name it; defaults to id
  std::string text;     // the provision's words, optional
  std::string note;     // what the encoding simplifies or leaves out, optional
  ProvisionKind kind = ProvisionKind::kProhibition;
  SourcePos pos;

  // Validity: from (inclusive) / until (exclusive); unset from = the
  // agreement's entry into force, unset until = the agreement's end.
  std::optional<time::Instant> from;
  std::optional<time::Instant> until;
  std::string from_text;  // as written, for reasons ("00:01 on 6 March 2020")
  // Relative times as written ("day 42", "+10d"), "" for absolute ones;
  // reasons show them beside the date they resolve to.
  std::string from_written, until_written, due_written;

  // Prohibitions.
  std::vector<ActPattern> prohibits;
  std::vector<std::string> by_sides;  // side ids bound by it
  std::vector<std::string> where;     // zone ids (any of); must not be empty
  std::vector<Exemption> except;
  // Whom the prohibited act must be against (`against:`); empty: anyone.
  // against_other_sides: a target on a side other than the actor's own;
  // against: side ids, actor ids and actor kinds ("civilians"), as written.
  bool against_other_sides = false;
  std::vector<std::string> against;
  // Applies only inside this local window each day (`daily:`), in the
  // agreement's timezone; open_road obligations read it but do not use it yet.
  std::optional<time::DailyWindow> daily;

  // Obligations.
  ObligationKind obligation = ObligationKind::kOther;
  std::vector<std::string> obligated;  // side ids, actor ids or guarantor codes
  std::string along;                   // route zone (corridor) for patrols/roads
  std::string route_from_place, route_to_place;  // named ends of the route section
  std::optional<geo::LatLon> route_from, route_to;  // their positions
  std::string zone;                    // zone for withdrawals
  std::vector<std::string> weapons;    // weapon classes to withdraw
  std::optional<time::Instant> due;    // deadline
  EvidenceRule evidence;
  double met_fraction = 0.9;           // patrols/roads: share of the route that counts as met

  // "sochi-2018#art5": the provision of the amended agreement this one replaces
  // from this one's start.
  std::string replaces;
};

// A period in which an agreement is in force: its own (entry into force to
// end), then each extension or renewal. Periods are in order and do not
// overlap; a gap between two is a lapse in which the agreement is not in force.
struct InForcePeriod {
  time::Instant from{};
  std::optional<time::Instant> until;  // exclusive; none = open-ended
  std::string from_text, until_text;   // as written ("+10d (2025-03-16 10:00 +04)")
  std::string by;  // the extension document's id; "" for the agreement's own text (its period, inline extensions)
  bool extension = false;  // not the agreement's first period
  std::optional<time::Days> signed_on;
  std::string source, note;
  // Extension documents without `entry_into_force`: `from` is the end of the
  // previous period, set when the documents are resolved onto their agreement.
  bool from_previous = false;
};

struct Agreement {
  std::string id;
  std::string title;
  std::vector<std::string> parties;  // ISO3 codes or names of the signatories
  std::optional<time::Days> signed_on;
  time::Instant entry_into_force{};
  std::string entry_into_force_text;  // "2020-03-06T00:01 Asia/Damascus"
  std::optional<time::Instant> end;
  std::string timezone;  // IANA; days of incidents are taken in it
  std::string amends;     // id of an agreement this one amends (both stay in force)
  std::string supersedes; // id of an agreement this one ends at its entry into force
  std::string extends;    // an extension document: the id of the agreement it keeps in force longer
  std::vector<InForcePeriod> periods;  // in order; periods[0] is the agreement's own (see InForcePeriod)
  std::vector<std::string> countries;  // ISO3 scope; empty = wherever its zones are
  std::string source;  // where the text comes from ("PA-X agreement 2273"), optional
  std::string note;    // free text for readers, optional
  std::vector<PlaceDef> places;  // named points its zones and provisions use
  std::map<std::string, Side> sides;
  std::vector<std::string> designated;  // actor ids not protected by it
  std::vector<ZoneDef> zones;
  std::vector<Provision> provisions;
  std::string source_file;
  std::string source_text;  // the YAML as written, kept with the agreement
  std::string content_hash;

  const ZoneDef* FindZone(std::string_view zone_id) const;
  const Provision* FindProvision(std::string_view provision_id) const;
  // The side an actor belongs to, if any.
  const Side* SideOfActor(std::string_view actor_id) const;
};

// ---------------------------------------------------------------- source records, reports, incidents
//
// Three words, used the same way everywhere (docs/design.md):
// - a source record is a dataset row, GeoJSON feature or news article
//   exactly as it came in (SourceRecord);
// - a report is what one source says happened, normalised: one per dataset
//   row or GeoJSON feature, one per event read from a news article (Report);
// - an incident is one happening, reconciled from the reports that describe
//   it (Incident): one or many reports, each kept as it came, and a best
//   estimate. Findings are per incident.

// A source record: one dataset row, GeoJSON feature or news article exactly
// as it came in. Nothing here is ever rewritten. Stored in the table
// `reports` (a name older than these words).
struct SourceRecord {
  std::int64_t id = 0;
  std::string dataset;       // "acled", "ucdp", "gdelt", "geojson", "news"
  std::string source_file;   // as given on the command line
  std::string file_hash;     // SHA-256 of the whole file
  std::int64_t row = 0;      // 1-based line of the record in the file (header = 1); feature index + 1 for GeoJSON
  std::string raw;           // the record exactly as it was in the file
  std::string content_hash;  // SHA-256 of dataset + raw: identical records are the same record
};

// A report: what one source says happened, normalised. Stored in the table
// `incidents` (a name older than these words); its id is the report id.
struct Report {
  std::int64_t id = 0;
  std::int64_t record_id = 0;  // the SourceRecord it came from (column report_id)
  std::string dataset;     // as the report's
  std::string source_id;   // the dataset's own id (ACLED event_id_cnty, UCDP id, GDELT GLOBALEVENTID)
  time::IncidentTime time;
  std::string event_type;      // ACLED event_type (mapped for UCDP/GDELT; see docs)
  std::string sub_event_type;
  std::string native_code;     // the dataset's own classification, kept as a string (CAMEO "190")
  std::string actor1, assoc_actor1, actor2, assoc_actor2;
  std::string country, iso3, admin1, admin2, admin3, location;
  geo::LatLon point;
  double uncertainty_m = 0;  // radius the true location lies within
  int geo_precision = 0;     // the dataset's own code, kept
  int time_precision = 0;    // the dataset's own code, kept
  std::vector<geo::LineString> track;  // observed route (GeoJSON LineString), if any
  int fatalities = 0;
  std::optional<int> fatalities_low, fatalities_high;  // UCDP low/high
  std::string source;  // who reported it (ACLED/UCDP "source")
  std::string notes;
  // News reports only: the source sentence as code-point offsets [begin, end)
  // in the report's prepared text (extract::PrepareText of Report::raw).
  std::optional<std::int64_t> span_begin, span_end;
  // How sure the reading is, 0..1: a news report's extraction confidence (the
  // rule that read it, docs/extraction.md); 1 for datasets' rows, which
  // state their events outright.
  double confidence = 1;
};

// How well an incident is supported by its reports: one source; two or more
// independent sources (reports that cite the same original count once); a
// monitor's own observation (a GeoJSON observation) among them.
enum class Support { kSingle, kCorroborated, kObserved };
const char* SupportName(Support s);  // "single", "corroborated", "observed"
std::optional<Support> ParseSupport(std::string_view s);

// One report of an incident, and why the matcher (or an analyst) put it there.
struct IncidentSource {
  std::int64_t report_id = 0;
  std::string dataset;       // as the report's: "acled", "ucdp", "news" ...
  std::string source_id;     // the dataset's own id, if any
  std::string independent_of;  // the original it rests on (who it cites); reports with equal keys count once
  std::string grade;         // reliability grade of the source, "A".."F" (data/reconcile)
  double score = 1;          // the match score that joined it; 1 for the lead report and analyst links
  std::string reason;        // in words; empty for the lead report
  std::string decided_by;    // "matcher", or "analyst NAME at 2026-12-05T10:00:00Z"
};

// A source's own figures for an incident's fatalities, kept side by side
// (never averaged): a dataset's (UCDP's best, low and high) or a claim's.
struct FatalityFigure {
  std::int64_t report_id = 0;   // the report (or the news report the claim is in)
  std::string source;           // "ACLED AFG44612", "UCDP 342211", "Syrian Observatory for Human Rights"
  std::optional<int> best, low, high;
  std::string qualifier;        // claims: exact, at_least, about, up_to, more_than, vague
};

// An incident: one happening, reconciled from one or more reports. Its id is
// its lead report's id (the first stored of its reports), so an incident of
// one report has that report's id.
struct Incident {
  std::int64_t id = 0;
  // The best estimate, in a report's shape (estimate.id == id): place from
  // the most precise source (point and radius), time the tightest window the
  // sources agree on, event type and actors from the most specific source;
  // fatalities = the estimate's best figure. dataset is the lead's when
  // there is one source, "reconciled" otherwise.
  Report estimate;
  int fatalities_low = 0, fatalities_high = 0;  // the range of what sources say
  std::vector<IncidentSource> sources;          // the lead report first
  std::vector<FatalityFigure> figures;          // per source, side by side
  Support support = Support::kSingle;
  int independent_sources = 1;                  // distinct independent_of keys
};

// A figure or an accusation that someone states in a news report, kept with
// the sentence it came from. Not ruled: claims are what a party says, not
// what happened. Empty strings are "not given".
struct Claim {
  std::int64_t id = 0;
  std::int64_t record_id = 0;  // the SourceRecord it came from (column report_id)
  // killed, injured, displaced, returned, violations, detained, other (a
  // figure), or accusation.
  std::string kind;
  std::optional<double> count;  // none for accusations and vague figures
  std::string qualifier;        // exact, more_than, at_least, about, up_to, vague; "" for accusations
  std::string claimant_name, claimant_country, claimant_kind;  // country ISO3 or "INT"
  std::string subject_name, subject_country;  // who the figure is about
  std::string by_name, by_country;            // who did it (the accused, for accusations)
  std::string from_day, to_day;               // the period, as the report gives it ("2020-02-03")
  std::string area;                           // the place the figure is for
  std::string text;                           // accusations: what of; vague figures: their words
  std::optional<std::int64_t> span_begin, span_end;  // as Report::span_begin
  std::string sentence;
  double confidence = 0;  // 0..1
};

// ---------------------------------------------------------------- findings

enum class FindingStatus { kViolation, kExempt, kNoViolation, kOutsideScope, kUndetermined };
const char* FindingStatusName(FindingStatus s);  // "violation", "no_violation", ...
std::optional<FindingStatus> ParseFindingStatus(std::string_view s);

struct Finding {
  std::int64_t incident_id = 0;
  std::string agreement_id;
  std::string provision_id;
  FindingStatus status = FindingStatus::kUndetermined;
  std::string side;       // responsible side id, if any
  std::string guarantor;  // its guarantor
  std::string actor_id;   // the acting actor as resolved, if any
  std::string zone_id;    // the zone the reason names
  double distance_m = 0;  // centre's distance to the zone edge; negative inside
  long long seconds_from_start = 0;  // incident start minus provision start
  double confidence = 1;  // 0..1
  std::string reason;     // plain words
  // The ruled incident's support (findings are per incident): how many
  // reports, how many of them independent, who reported it ("ACLED
  // AFG44612, UCDP 342211 and 2 news reports") and their reliability grades
  // ("ACLED B, UCDP B, news C").
  Support support = Support::kSingle;
  int sources = 1;
  int independent_sources = 1;
  std::string reported_by;
  std::string grades;
};

enum class ObligationState { kMet, kPartlyMet, kUnmet, kPending };
const char* ObligationStateName(ObligationState s);  // "met", "partly_met", "unmet", "pending"

struct ObligationStatus {
  std::string agreement_id;
  std::string provision_id;
  time::Days as_of{};
  ObligationState state = ObligationState::kPending;
  double covered_fraction = 0;  // patrols and roads
  std::vector<std::int64_t> evidence_incident_ids;
  std::string reason;
};

}  // namespace truce::model
