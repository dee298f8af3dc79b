// What the fuzz targets share: checks of the promises a door makes about what
// it lets through (docs/datasets.md, docs/agreement-format.md, docs/api.md).
// A broken promise aborts, so that libFuzzer saves the input like a crash.
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "truce/core/utf8.h"
#include "truce/ingest/ingest.h"

namespace truce::fuzz {

[[noreturn]] inline void Fail(const char* what, std::string_view detail = {}) {
  std::fprintf(stderr, "fuzz: broken promise: %s: %.*s\n", what, static_cast<int>(detail.size()), detail.data());
  std::abort();
}

inline void Require(bool ok, const char* what, std::string_view detail = {}) {
  if (!ok) Fail(what, detail);
}

// Every text a door stores or prints must be valid UTF-8 (core/utf8.h).
inline void RequireUtf8(std::string_view s, const char* field) {
  if (FindInvalidUtf8(s)) Fail(field, "invalid UTF-8 let through");
}

// Reads every byte of `s` so that a dangling view or a short buffer is seen
// by AddressSanitizer even when nothing else looks at the field.
inline volatile unsigned touch_sink = 0;
inline void Touch(std::string_view s) {
  unsigned sum = 0;
  for (char c : s) sum += static_cast<unsigned char>(c);
  touch_sink = sum;
}

// Texts that are stored or answered. Error messages are only touched: they
// may quote the offending bytes (nlohmann's "last read: '...'"); the API
// repairs them when it writes JSON (ErrorResponse), the CLI prints them.
inline void TouchText(std::string_view s, const char* field) {
  Touch(s);
  RequireUtf8(s, field);
}

// A record a dataset reader handed to its sink: every field read, and what
// docs/datasets.md promises of a good row checked.
inline void CheckRecord(const ingest::Record& r) {
  const model::SourceRecord& rep = r.source;
  TouchText(rep.dataset, "report.dataset");
  TouchText(rep.source_file, "report.source_file");
  TouchText(rep.file_hash, "report.file_hash");
  TouchText(rep.raw, "report.raw");
  TouchText(rep.content_hash, "report.content_hash");
  Require(rep.row >= 1, "report.row >= 1");
  Require(rep.file_hash.size() == 64 && rep.content_hash.size() == 64, "hashes are hex SHA-256");

  const model::Report& in = r.incident;
  for (const auto* s : {&in.dataset, &in.source_id, &in.event_type, &in.sub_event_type, &in.native_code, &in.actor1,
                        &in.assoc_actor1, &in.actor2, &in.assoc_actor2, &in.country, &in.iso3, &in.admin1,
                        &in.admin2, &in.admin3, &in.location, &in.source, &in.notes}) {
    TouchText(*s, "incident text field");
  }
  // The CSV datasets require the id; a GeoJSON feature may have none (docs/datasets.md).
  if (in.dataset != "geojson") Require(!in.source_id.empty(), "an accepted row has an id");
  Require(!in.event_type.empty(), "an accepted row has an event type");
  Require(in.time.first_day <= in.time.last_day, "first day <= last day");
  Require(std::isfinite(in.point.lat_deg) && std::fabs(in.point.lat_deg) <= 90, "latitude in [-90, 90]");
  Require(std::isfinite(in.point.lon_deg) && std::fabs(in.point.lon_deg) <= 180, "longitude in [-180, 180]");
  Require(std::isfinite(in.uncertainty_m) && in.uncertainty_m >= 0, "uncertainty_m finite, >= 0");
  Require(in.fatalities >= 0, "fatalities >= 0");
  if (in.fatalities_low) Require(*in.fatalities_low >= 0, "fatalities_low >= 0");
  if (in.fatalities_high) Require(*in.fatalities_high >= 0, "fatalities_high >= 0");
  for (const auto& line : in.track) {
    for (const auto& p : line) {
      Require(std::isfinite(p.lat_deg) && std::fabs(p.lat_deg) <= 90, "track latitude in [-90, 90]");
      Require(std::isfinite(p.lon_deg) && std::fabs(p.lon_deg) <= 180, "track longitude in [-180, 180]");
    }
  }
}

}  // namespace truce::fuzz
