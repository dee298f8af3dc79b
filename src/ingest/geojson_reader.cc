// GeoJSON features as records: a Point is where something happened, a
// LineString (or MultiLineString) an observed route, e.g. a patrol's track.
// Report.raw is the feature re-serialised compactly with its keys in file
// order (the document's own bytes for one feature are not kept apart).
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "internal.h"
#include "truce/core/utf8.h"
#include "truce/geo/geo.h"

namespace truce::ingest::internal {
namespace {

using Json = nlohmann::ordered_json;

class FeatureReader {
 public:
  FeatureReader(const std::string& file, std::int64_t row, const Json& props) : file_(file), row_(row), props_(props) {}

  Status Error(const std::string& field, const std::string& msg) const {
    return Status::RowError(file_, row_, field, msg);
  }

  // Optional string property into *out; numbers are taken as text too.
  Status Text(const char* name, std::string* out) const {
    auto it = props_.find(name);
    if (it == props_.end() || it->is_null()) return Status::Ok();
    if (it->is_string()) {
      AssignTrimmed(out, it->get_ref<const std::string&>());
    } else if (it->is_number()) {
      *out = it->dump();
    } else {
      return Error(name, std::string("must be a string, got ") + it->type_name());
    }
    return Status::Ok();
  }

  Status RequiredText(const char* name, std::string* out) const {
    TRUCE_RETURN_IF_ERROR(Text(name, out));
    if (out->empty()) return Error(name, "missing (every feature needs it)");
    return Status::Ok();
  }

  // Optional non-negative whole number (JSON number or digits in a string).
  Status Count(const char* name, std::optional<long long>* out) const {
    auto it = props_.find(name);
    if (it == props_.end() || it->is_null()) return Status::Ok();
    if (it->is_number_integer() && it->get<long long>() >= 0) {
      *out = it->get<long long>();
      return Status::Ok();
    }
    if (it->is_number_float()) {
      double v = it->get<double>();
      // The range first: casting a double beyond long long is undefined.
      if (v >= 0 && v < 9.2e18 && v == std::floor(v)) {
        *out = static_cast<long long>(v);
        return Status::Ok();
      }
    }
    if (it->is_string()) {
      if (auto v = ParseCount(it->get_ref<const std::string&>())) {
        *out = *v;
        return Status::Ok();
      }
    }
    return Error(name, "not a whole number >= 0: " + Quote(it->dump()));
  }

  Status Number(const char* name, std::optional<double>* out) const {
    auto it = props_.find(name);
    if (it == props_.end() || it->is_null()) return Status::Ok();
    if (it->is_number()) {
      *out = it->get<double>();
    } else if (it->is_string()) {
      *out = ParseNumber(it->get_ref<const std::string&>());
    }
    if (!*out) return Error(name, "not a number: " + Quote(it->dump()));
    return Status::Ok();
  }

 private:
  const std::string& file_;
  std::int64_t row_;
  const Json& props_;
};

// Invalid UTF-8 in a GeoJSON document. The JSON parser refuses the whole
// document on one bad byte; to name the feature and property instead, each
// bad byte b is replaced, before parsing, by the private-use code point
// U+10FF00 + b (UTF-8 F4 8F BC..BF xx), which a document that needs the
// repair must not hold itself (else the document is refused as a whole).
constexpr char32_t kBadByteBase = 0x10FF00;

// Replaces the bad bytes of `text`; false when there were none.
bool MarkBadBytes(std::string* text) {
  std::size_t at = FindInvalidUtf8(*text);  // the ingest module's: also stops at NUL
  if (at == text->size()) return false;
  std::string out;
  out.reserve(text->size() + 16);
  std::size_t from = 0;
  while (at < text->size()) {
    out.append(*text, from, at - from);
    const auto b = static_cast<unsigned char>((*text)[at]);
    if (b == 0) {
      out.push_back('\0');  // JSON refuses it on its own, with a position
    } else {
      AppendUtf8(kBadByteBase + b, &out);
    }
    from = at + 1;
    const std::size_t next = FindInvalidUtf8(std::string_view(*text).substr(from));
    at = from + next;
  }
  out.append(*text, from, std::string::npos);
  *text = std::move(out);
  return true;
}

// The first marked bad byte in a string, or -1.
int MarkedByte(std::string_view s) {
  for (std::size_t i = 0; i + 3 < s.size(); ++i) {
    if (static_cast<unsigned char>(s[i]) == 0xF4 && static_cast<unsigned char>(s[i + 1]) == 0x8F &&
        (static_cast<unsigned char>(s[i + 2]) & 0xFC) == 0xBC) {
      std::size_t k = i;
      const char32_t cp = DecodeUtf8(s, &k);
      if (cp >= kBadByteBase && cp <= kBadByteBase + 0xFF) return static_cast<int>(cp - kBadByteBase);
    }
  }
  return -1;
}

// `s` with each marked bad byte shown as U+FFFD (a key named in a message).
std::string UnmarkBadBytes(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    const char32_t cp = DecodeUtf8(s, &i);
    AppendUtf8(cp >= kBadByteBase && cp <= kBadByteBase + 0xFF ? char32_t{0xFFFD} : cp, &out);
  }
  return out;
}

// The first marked bad byte in `j` (keys and string values, depth first):
// *where gets the top-level key under which it is (the property's name).
int FindMarked(const Json& j, std::string* where) {
  if (j.is_string()) return MarkedByte(j.get_ref<const std::string&>());
  if (j.is_array()) {
    for (const Json& v : j) {
      if (int b = FindMarked(v, where); b >= 0) return b;
    }
  }
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      int b = MarkedByte(it.key());
      if (b < 0) b = FindMarked(it.value(), where);
      if (b >= 0) {
        if (where->empty()) *where = it.key();
        return b;
      }
    }
  }
  return -1;
}

// A RowError for a feature holding a bad byte, naming the property.
Status BadBytesError(const Json& feature, const std::string& file, std::int64_t row) {
  std::string where;
  int b = -1;
  auto props = feature.find("properties");
  if (props != feature.end()) b = FindMarked(*props, &where);
  if (b < 0) {
    where.clear();
    b = FindMarked(feature, &where);
  }
  if (b < 0) return Status::Ok();
  char byte[16];
  std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned>(b));
  return Status::RowError(file, row, UnmarkBadBytes(where), std::string("invalid UTF-8 (byte ") + byte + ")");
}

bool LooksLikeInstant(std::string_view t) { return t.size() > 10 && t[4] == '-' && (t[10] == 'T' || t[10] == ' '); }

Status MapFeature(const Json& feature, const std::string& file, std::int64_t row, model::Report* in) {
  ResetIncident(in);
  static const Json kEmpty = Json::object();
  auto props_it = feature.find("properties");
  const Json& props = (props_it == feature.end() || !props_it->is_object()) ? kEmpty : *props_it;
  FeatureReader r(file, row, props);

  // Geometry, through the geo module's reader so that its checks apply.
  auto geometry_it = feature.find("geometry");
  if (geometry_it == feature.end() || geometry_it->is_null()) return r.Error("geometry", "missing");
  auto parsed = geo::ParseGeoJson(geometry_it->dump(), "");
  if (!parsed.ok()) {
    std::string msg = parsed.status().message();
    if (msg.rfind(": ", 0) == 0) msg.erase(0, 2);
    return r.Error("geometry", msg);
  }
  const geo::Geometry& g = parsed->front().geometry;
  switch (g.type) {
    case geo::Geometry::Type::kPoint:
      in->point = g.point;
      break;
    case geo::Geometry::Type::kLineString:
    case geo::Geometry::Type::kMultiLineString: {
      in->track = g.lines;
      std::size_t total = 0;
      for (const auto& line : g.lines) total += line.size();
      std::size_t mid = total / 2;  // the middle vertex of the whole track
      for (const auto& line : g.lines) {
        if (mid < line.size()) {
          in->point = line[mid];
          break;
        }
        mid -= line.size();
      }
      break;
    }
    default:
      return r.Error("geometry", "a Polygon is not an incident location (use a Point, or a LineString for a route)");
  }

  std::string date_text;
  TRUCE_RETURN_IF_ERROR(r.RequiredText("date", &date_text));
  auto day = time::ParseIsoDate(date_text);
  if (!day.ok()) return r.Error("date", "not a date (YYYY-MM-DD): " + Quote(date_text));
  std::optional<long long> time_precision;
  TRUCE_RETURN_IF_ERROR(r.Count("time_precision", &time_precision));
  if (time_precision && (*time_precision < 1 || *time_precision > 3)) {
    return r.Error("time_precision", "not an ACLED time precision (1, 2 or 3)");
  }
  in->time_precision = time_precision ? static_cast<int>(*time_precision) : 1;
  in->time = time::FromAcledPrecision(*day, in->time_precision);
  std::string time_text, tz;
  TRUCE_RETURN_IF_ERROR(r.Text("time", &time_text));
  TRUCE_RETURN_IF_ERROR(r.Text("timezone", &tz));
  if (!time_text.empty()) {
    Result<time::Instant> exact = Status::Internal("unset");
    if (LooksLikeInstant(time_text)) {
      exact = time::ParseInstant(time_text);
    } else if (tz.empty()) {
      return r.Error("time", "a time of day needs a 'timezone' property (IANA, e.g. Asia/Damascus) or an offset: " +
                                 Quote(time_text));
    } else {
      exact = time::ParseLocalDateTime(date_text + "T" + time_text, tz);
    }
    if (!exact.ok()) return r.Error("time", exact.status().message());
    in->time.exact = *exact;
    in->time.precision = time::TimePrecision::kExact;
    in->time.first_day = in->time.last_day = *day;
  }

  TRUCE_RETURN_IF_ERROR(r.RequiredText("event_type", &in->event_type));
  TRUCE_RETURN_IF_ERROR(r.Text("sub_event_type", &in->sub_event_type));
  TRUCE_RETURN_IF_ERROR(r.Text("actor1", &in->actor1));
  TRUCE_RETURN_IF_ERROR(r.Text("assoc_actor_1", &in->assoc_actor1));
  TRUCE_RETURN_IF_ERROR(r.Text("actor2", &in->actor2));
  TRUCE_RETURN_IF_ERROR(r.Text("assoc_actor_2", &in->assoc_actor2));
  TRUCE_RETURN_IF_ERROR(r.Text("country", &in->country));
  TRUCE_RETURN_IF_ERROR(r.Text("iso3", &in->iso3));
  TRUCE_RETURN_IF_ERROR(r.Text("admin1", &in->admin1));
  TRUCE_RETURN_IF_ERROR(r.Text("admin2", &in->admin2));
  TRUCE_RETURN_IF_ERROR(r.Text("admin3", &in->admin3));
  TRUCE_RETURN_IF_ERROR(r.Text("location", &in->location));
  TRUCE_RETURN_IF_ERROR(r.Text("notes", &in->notes));
  TRUCE_RETURN_IF_ERROR(r.Text("source", &in->source));
  TRUCE_RETURN_IF_ERROR(r.Text("native_code", &in->native_code));
  TRUCE_RETURN_IF_ERROR(r.Text("id", &in->source_id));
  if (in->source_id.empty()) {
    auto id = feature.find("id");
    if (id != feature.end() && id->is_string()) in->source_id = id->get<std::string>();
    if (id != feature.end() && id->is_number()) in->source_id = id->dump();
  }

  std::optional<long long> fatalities;
  TRUCE_RETURN_IF_ERROR(r.Count("fatalities", &fatalities));
  if (fatalities) in->fatalities = static_cast<int>(std::min<long long>(*fatalities, 100000000));

  std::optional<double> uncertainty;
  TRUCE_RETURN_IF_ERROR(r.Number("uncertainty_m", &uncertainty));
  std::optional<long long> geo_precision;
  TRUCE_RETURN_IF_ERROR(r.Count("geo_precision", &geo_precision));
  if (geo_precision) {
    if (*geo_precision < 1 || *geo_precision > 3) return r.Error("geo_precision", "not an ACLED geo precision (1, 2 or 3)");
    in->geo_precision = static_cast<int>(*geo_precision);
    in->uncertainty_m = AcledGeoPrecisionRadiusM(in->geo_precision);
  }
  if (uncertainty) {
    if (*uncertainty < 0) return r.Error("uncertainty_m", "negative");
    in->uncertainty_m = *uncertainty;
  }
  return Status::Ok();
}

}  // namespace

Result<ReadSummary> ReadGeoJson(std::string_view bytes, const std::string& file, const ReadOptions& options,
                                const std::function<Status(Record&&)>& sink, const std::string& file_hash) {
  ReadSummary summary;
  summary.format = Format::kGeoJson;
  summary.variant = "geojson";
  summary.file_hash = file_hash;
  std::string text(bytes.substr(bytes.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0));
  const bool had_markers = text.find("\xF4\x8F") != std::string::npos && MarkedByte(text) >= 0;
  const bool marked = MarkBadBytes(&text);
  if (marked && had_markers) {
    const std::size_t at = FindInvalidUtf8(bytes);
    return Status::ParseError(file + ": invalid UTF-8 (" + DescribeByteAt(bytes, at) + " at byte " +
                              std::to_string(at + 1) + ")");
  }
  Json doc;
  try {
    doc = Json::parse(text);
  } catch (const Json::exception&) {
    // The geo reader turns the same failure into "file:line:column: ...".
    auto again = geo::ParseGeoJson(text, file);
    if (!again.ok()) return again.status();
    return Status::ParseError(file + ": invalid JSON");
  }
  std::vector<const Json*> features;
  auto type = doc.find("type");
  if (!doc.is_object() || type == doc.end() || !type->is_string()) {
    return Status::ParseError(file + ": not GeoJSON: expected an object with a \"type\"");
  }
  if (*type == "FeatureCollection") {
    auto list = doc.find("features");
    if (list == doc.end() || !list->is_array()) {
      return Status::ParseError(file + ": a FeatureCollection needs a \"features\" array");
    }
    for (const Json& f : *list) features.push_back(&f);
  } else if (*type == "Feature") {
    features.push_back(&doc);
  } else {
    return Status::ParseError(file + ": a bare " + type->get<std::string>() +
                              " has no properties (date, event_type): wrap it in a Feature");
  }

  Record record;
  for (std::size_t i = 0; i < features.size(); ++i) {
    const Json& f = *features[i];
    const auto row = static_cast<std::int64_t>(i + 1);
    Status st;
    auto ftype = f.is_object() ? f.find("type") : f.end();
    if (!f.is_object() || ftype == f.end() || *ftype != "Feature") {
      st = Status::RowError(file, row, "type", "not a Feature");
    } else {
      if (marked) st = BadBytesError(f, file, row);
      if (st.ok()) st = MapFeature(f, file, row, &record.incident);
    }
    if (!st.ok()) {
      if (!options.skip_bad_rows) return st;
      summary.skipped.push_back({row, st.message()});
      continue;
    }
    model::SourceRecord& rep = record.source;
    rep.id = 0;
    rep.dataset = "geojson";
    rep.source_file = file;
    rep.file_hash = file_hash;
    rep.row = row;
    rep.raw = f.dump(-1, ' ', false, Json::error_handler_t::replace);
    ContentHash("geojson\n", rep.raw, &rep.content_hash);
    record.incident.dataset = "geojson";
    ++summary.records;
    TRUCE_RETURN_IF_ERROR(sink(std::move(record)));
  }
  if (options.progress) options.progress(bytes.size(), bytes.size());
  return summary;
}

}  // namespace truce::ingest::internal
