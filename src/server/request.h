// What a request carries, parsed and checked: query strings, the filters the
// list routes share, opaque cursors, ids in paths, JSON bodies. Every failure
// is an InvalidArgument (or NotFound for an id) whose message names the
// parameter or member, as the API answers it (docs/api.md). Private to
// src/server; the handlers (services/) and the router (api.cc) use it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "http_types.h"
#include "truce/core/status.h"
#include "truce/facade/types.h"

namespace truce::server {

// "" when `s` is valid UTF-8, else "invalid UTF-8 (byte 0xFF at byte 3)":
// JSON carries nothing else, so text that is not UTF-8 stops at the door.
std::string Utf8Problem(std::string_view s);

// A request's query string: each parameter at most once, decoded, UTF-8.
class Query {
 public:
  static Result<Query> Parse(std::string_view qs);

  // InvalidArgument naming the first parameter not in `names`.
  Status Allow(const std::vector<std::string>& names) const;

  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  std::string Get(const std::string& name, const std::string& fallback = "") const {
    auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second;
  }

  // Typed parameters; absent: nullopt or `fallback`.
  Result<std::optional<time::Days>> Date(const std::string& name) const;
  Result<std::int64_t> Int(const std::string& name, std::int64_t fallback, std::int64_t min, std::int64_t max) const;
  Result<std::optional<geo::BBox>> BBox(const std::string& name) const;

 private:
  std::map<std::string, std::string> values_;
};

// The filter parameters of the incident and finding lists, the map and the timeline.
extern const std::vector<std::string> kFilterParams;

std::vector<std::string> With(std::vector<std::string> base, std::initializer_list<const char*> more);

Result<IncidentQuery> ParseFilter(const Query& q);

// The `cursor` parameter as given (the facade reads it); nullopt: the first page.
inline std::optional<std::string> Cursor(const Query& q) {
  return q.Has("cursor") ? std::optional<std::string>(q.Get("cursor")) : std::nullopt;
}

// A positive id as a path gives it; NotFound ("no incident 'abc'") otherwise.
Result<std::int64_t> ParseId(const std::string& text, const char* what);

// The body as a JSON object (Content-Type application/json, UTF-8).
Result<nlohmann::json> ParseJsonBody(const Request& req);

// A string member of a JSON body; InvalidArgument naming it when it is missing
// (and required) or not a string.
Result<std::string> Member(const nlohmann::json& body, const char* name, bool required);

// A positive integer member of a JSON body (a report id); InvalidArgument
// naming it when it is missing or anything else.
Result<std::int64_t> IdMember(const nlohmann::json& body, const char* name);

// A query parameter "true" or "false" (absent: false); InvalidArgument otherwise.
Result<bool> BoolParam(const Query& q, const std::string& name);

// InvalidArgument naming the first member not in `names`.
Status OnlyMembers(const nlohmann::json& body, std::initializer_list<const char*> names);

// The last path component of a name a client gave ("upload" when empty).
std::string BaseName(const std::string& name);

}  // namespace truce::server
