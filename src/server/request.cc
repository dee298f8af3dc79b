#include "request.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

#include "truce/core/strings.h"
#include "truce/core/utf8.h"

namespace truce::server {

using json = nlohmann::json;

namespace {

// An integer written as such: no spaces around it.
std::optional<long long> WholeInt(std::string_view s) {
  return Trim(s).size() == s.size() ? ParseInt(s) : std::nullopt;
}

}  // namespace

std::string Utf8Problem(std::string_view s) {
  const std::optional<std::size_t> at = FindInvalidUtf8(s);
  if (!at) return "";
  return "invalid UTF-8 (" + DescribeByteAt(s, *at) + " at byte " + std::to_string(*at + 1) + ")";
}

Result<Query> Query::Parse(std::string_view qs) {
  Query q;
  while (!qs.empty()) {
    const std::size_t amp = qs.find('&');
    std::string_view part = qs.substr(0, amp);
    qs = amp == std::string_view::npos ? std::string_view() : qs.substr(amp + 1);
    if (part.empty()) continue;
    const std::size_t eq = part.find('=');
    std::string name, value;
    if (!PercentDecode(part.substr(0, eq), &name) ||
        !PercentDecode(eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1), &value)) {
      return Status::InvalidArgument("query string: bad percent-escape in '" + RepairUtf8(part) + "'");
    }
    if (const std::string bad = Utf8Problem(name); !bad.empty()) {
      return Status::InvalidArgument("query parameter name '" + RepairUtf8(name) + "': " + bad);
    }
    if (const std::string bad = Utf8Problem(value); !bad.empty()) {
      return Status::InvalidArgument("query parameter '" + name + "': " + bad);
    }
    if (q.values_.count(name)) return Status::InvalidArgument("query parameter '" + name + "' is given twice");
    q.values_[name] = std::move(value);
  }
  return q;
}

Status Query::Allow(const std::vector<std::string>& names) const {
  for (const auto& [name, value] : values_) {
    if (std::find(names.begin(), names.end(), name) != names.end()) continue;
    std::string list;
    for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
    return Status::InvalidArgument("unknown query parameter '" + name + "'" +
                                   (list.empty() ? std::string(" (this route takes none)") : " (expected: " + list + ")"));
  }
  return Status::Ok();
}

Result<std::optional<time::Days>> Query::Date(const std::string& name) const {
  if (!Has(name)) return std::optional<time::Days>();
  auto d = time::ParseIsoDate(Get(name));
  if (!d.ok()) return Status::InvalidArgument("query parameter '" + name + "': expected a date YYYY-MM-DD, got '" +
                                              Get(name) + "'");
  return std::optional<time::Days>(*d);
}

Result<std::int64_t> Query::Int(const std::string& name, std::int64_t fallback, std::int64_t min,
                                std::int64_t max) const {
  if (!Has(name)) return fallback;
  const std::string v = Get(name);
  const std::optional<long long> n = WholeInt(v);
  if (!n || *n < min || *n > max) {
    return Status::InvalidArgument("query parameter '" + name + "': expected an integer from " +
                                   std::to_string(min) + " to " + std::to_string(max) + ", got '" + v + "'");
  }
  return static_cast<std::int64_t>(*n);
}

Result<std::optional<geo::BBox>> Query::BBox(const std::string& name) const {
  if (!Has(name)) return std::optional<geo::BBox>();
  const std::string v = Get(name);
  double x[4];
  std::istringstream in(v);
  char comma = 0;
  const auto bad = [&](const std::string& why) {
    return Status::InvalidArgument("query parameter '" + name + "': " + why +
                                   " (expected minLon,minLat,maxLon,maxLat in degrees), got '" + v + "'");
  };
  for (int k = 0; k < 4; ++k) {
    if (k > 0 && (!(in >> comma) || comma != ',')) return bad("four numbers separated by commas");
    if (!(in >> x[k]) || !std::isfinite(x[k])) return bad("four numbers separated by commas");
  }
  if (in >> comma) return bad("four numbers separated by commas");
  if (x[0] < -180 || x[2] > 180 || x[1] < -90 || x[3] > 90) return bad("out of range");
  if (x[0] > x[2] || x[1] > x[3]) return bad("min greater than max");
  return std::optional<geo::BBox>(geo::BBox{x[1], x[0], x[3], x[2]});
}

const std::vector<std::string> kFilterParams = {"agreement", "bbox", "from", "to", "side", "event_type", "status",
                                                "support"};

std::vector<std::string> With(std::vector<std::string> base, std::initializer_list<const char*> more) {
  for (const char* m : more) base.emplace_back(m);
  return base;
}

Result<IncidentQuery> ParseFilter(const Query& q) {
  IncidentQuery f;
  f.agreement_id = q.Get("agreement");
  f.side = q.Get("side");
  f.event_type = q.Get("event_type");
  if (q.Has("status")) {
    f.status = model::ParseFindingStatus(q.Get("status"));
    if (!f.status) {
      return Status::InvalidArgument("query parameter 'status': unknown finding status '" + q.Get("status") +
                                     "' (expected violation, exempt, no_violation, outside_scope or undetermined)");
    }
  }
  if (q.Has("support")) {
    if (!model::ParseSupport(q.Get("support"))) {
      return Status::InvalidArgument("query parameter 'support': unknown support level '" + q.Get("support") +
                                     "' (expected single, corroborated or observed)");
    }
    f.support = q.Get("support");
  }
  TRUCE_ASSIGN_OR_RETURN(f.bbox, q.BBox("bbox"));
  TRUCE_ASSIGN_OR_RETURN(f.from_day, q.Date("from"));
  TRUCE_ASSIGN_OR_RETURN(f.to_day, q.Date("to"));
  if (f.from_day && f.to_day && *f.from_day > *f.to_day) {
    return Status::InvalidArgument("query parameters 'from' and 'to': 'from' is after 'to'");
  }
  return f;
}

Result<std::int64_t> ParseId(const std::string& text, const char* what) {
  const std::optional<long long> v = WholeInt(text);
  if (!v || *v <= 0) return Status::NotFound(std::string("no ") + what + " '" + text + "'");
  return static_cast<std::int64_t>(*v);
}

Result<json> ParseJsonBody(const Request& req) {
  if (req.content_type.rfind("application/json", 0) != 0) {
    return Status::InvalidArgument("the body must be JSON (Content-Type: application/json)");
  }
  if (const std::string bad = Utf8Problem(req.body); !bad.empty()) return Status::InvalidArgument("the body: " + bad);
  json j = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidArgument("the body is not valid JSON");
  if (!j.is_object()) return Status::InvalidArgument("the body must be a JSON object");
  return j;
}

Result<std::string> Member(const json& body, const char* name, bool required) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    if (required) return Status::InvalidArgument(std::string("body: '") + name + "' is required");
    return std::string();
  }
  if (!it->is_string()) return Status::InvalidArgument(std::string("body: '") + name + "' must be a string");
  return it->get<std::string>();
}

Result<std::int64_t> IdMember(const json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return Status::InvalidArgument(std::string("body: '") + name + "' is required");
  if (!it->is_number_integer() || it->get<std::int64_t>() <= 0) {
    return Status::InvalidArgument(std::string("body: '") + name + "' must be a positive integer (a report id)");
  }
  return it->get<std::int64_t>();
}

Result<bool> BoolParam(const Query& q, const std::string& name) {
  const std::string v = q.Get(name, "false");
  if (v != "true" && v != "false") {
    return Status::InvalidArgument("query parameter '" + name + "': expected true or false, got '" + v + "'");
  }
  return v == "true";
}

Status OnlyMembers(const json& body, std::initializer_list<const char*> names) {
  for (const auto& [key, value] : body.items()) {
    // An init-capture: clang 14 (the fuzz build) cannot capture a structured binding.
    if (std::none_of(names.begin(), names.end(), [&k = key](const char* n) { return k == n; })) {
      return Status::InvalidArgument("body: unknown member '" + key + "'");
    }
  }
  return Status::Ok();
}

std::string BaseName(const std::string& name) {
  std::string base = std::filesystem::path(name).filename().string();
  return base.empty() ? "upload" : base;
}

}  // namespace truce::server
