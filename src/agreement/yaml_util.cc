// Reading YAML values with positions, and the errors that go with them.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "internal.h"
#include "truce/core/strings.h"
#include "truce/core/utf8.h"

namespace truce::agreement::internal {

Pos PosOf(const YAML::Node& node, Pos fallback) {
  if (!node.IsDefined()) return fallback;
  YAML::Mark m = node.Mark();
  if (m.is_null() || m.line < 0 || m.column < 0) return fallback;
  return Pos{m.line + 1, m.column + 1};
}

void Ctx::Error(Pos pos, std::string message) {
  state_->issues.push_back(Issue{file_order_, file_, pos, std::move(message), false});
}

void Ctx::SyntaxError(Pos pos, std::string message) {
  state_->issues.push_back(Issue{file_order_, file_, pos, std::move(message), true});
}

const Field* Fields::Find(std::string_view key) const {
  for (const Field& f : entries) {
    if (f.key == key) return &f;
  }
  return nullptr;
}

const Field* Fields::Given(std::string_view key) const {
  const Field* f = Find(key);
  return f != nullptr && !f->value.null() ? f : nullptr;
}

std::string KindName(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: return "a map";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: return "'" + node.Scalar() + "'";
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined: return "an empty value";
  }
  return "an empty value";
}

namespace {

// Edit distance counting a swap of two neighbours as one edit ("aera" -> "area").
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::string Closest(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string w = ToLowerAscii(Trim(word));
  if (w.empty()) return "";
  std::string best;
  size_t best_d = std::string::npos;
  for (const std::string& c : candidates) {
    size_t d = EditDistance(w, ToLowerAscii(c));
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  const size_t limit = std::max<size_t>(1, std::min<size_t>(3, w.size() / 3));
  if (best_d <= limit && best_d < w.size()) return best;
  // A word cut short ("half_width" for "half_width_km", "Explosions").
  if (w.size() >= 4) {
    std::string shortest;
    for (const std::string& c : candidates) {
      if (StartsWith(ToLowerAscii(c), w) && (shortest.empty() || c.size() < shortest.size())) shortest = c;
    }
    if (!shortest.empty()) return shortest;
  }
  return "";
}

std::string DidYouMean(std::string_view word, const std::vector<std::string>& candidates) {
  std::string c = Closest(word, candidates);
  return c.empty() ? "" : " (did you mean '" + c + "'?)";
}

std::optional<Fields> ReadMap(Ctx& ctx, const Val& val, std::string_view schema_path) {
  if (!val.node.IsMap()) {
    ctx.Error(val.pos, val.name + " must be a map, not " + KindName(val.node));
    return std::nullopt;
  }
  const std::vector<std::string> known = ChildKeys(schema_path);
  Fields fields;
  fields.pos = val.pos;
  std::map<std::string, Pos> seen;
  for (auto it = val.node.begin(); it != val.node.end(); ++it) {
    const YAML::Node k = it->first;  // copies: the iterator hands out a temporary
    const YAML::Node v = it->second;
    Pos kp = PosOf(k, val.pos);
    if (!k.IsScalar()) {
      ctx.Error(kp, "keys must be plain words, not " + KindName(k));
      continue;
    }
    const std::string key = k.Scalar();
    if (auto s = seen.find(key); s != seen.end()) {
      ctx.Error(kp, "duplicate key '" + key + "' (first at line " + std::to_string(s->second.line) + ")");
      continue;
    }
    seen.emplace(key, kp);
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      std::string hint = DidYouMean(key, known);
      if (hint.empty()) hint = " (expected one of: " + Join(known, ", ") + ")";
      ctx.Error(kp, "unknown key '" + key + "'" + hint);
      continue;
    }
    fields.entries.push_back(Field{key, kp, Val{v, PosOf(v, kp), "'" + key + "'"}});
  }
  return fields;
}

std::optional<std::vector<Field>> ReadIdMap(Ctx& ctx, const Val& val, std::string_view thing) {
  if (!val.node.IsMap()) {
    ctx.Error(val.pos, val.name + " must be a map of " + std::string(thing) + " ids, not " + KindName(val.node));
    return std::nullopt;
  }
  std::vector<Field> out;
  std::map<std::string, Pos> seen;
  for (auto it = val.node.begin(); it != val.node.end(); ++it) {
    const YAML::Node k = it->first;  // copies: the iterator hands out a temporary
    const YAML::Node v = it->second;
    Pos kp = PosOf(k, val.pos);
    if (!k.IsScalar()) {
      ctx.Error(kp, std::string(thing) + " ids must be plain words, not " + KindName(k));
      continue;
    }
    const std::string id = k.Scalar();
    if (auto s = seen.find(id); s != seen.end()) {
      ctx.Error(kp, "duplicate " + std::string(thing) + " id '" + id + "' (first at line " +
                        std::to_string(s->second.line) + ")");
      continue;
    }
    seen.emplace(id, kp);
    if (!CheckId(ctx, kp, id, thing)) {
      ctx.state().reported.insert(std::string(thing) + ":" + id);
      continue;
    }
    out.push_back(Field{id, kp, Val{v, PosOf(v, kp), std::string(thing) + " '" + id + "'"}});
  }
  return out;
}

bool Require(Ctx& ctx, const Fields& fields, std::string_view key, std::string_view in_what) {
  if (fields.Find(key) != nullptr) return true;
  std::string msg = "missing required key '" + std::string(key) + "'";
  if (!in_what.empty()) msg += " in " + std::string(in_what);
  ctx.Error(fields.pos, msg);
  return false;
}

namespace {

std::string CodePointName(char32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  return buf;
}

// Text decoded from a scalar. Raw control bytes were refused with the file,
// so what is checked here came from escapes ("\e", "\x1b", "\n" in double
// quotes) or from a block scalar's line breaks.
bool CheckScalarText(Ctx& ctx, const Val& val, std::string_view s, bool one_line) {
  if (ctx.state().stored) return true;  // repaired with the file; later rules do not apply
  if (auto bad = FindInvalidUtf8(s)) {
    ctx.Error(val.pos, val.name + " holds invalid UTF-8 (" + DescribeByteAt(s, *bad) + ")");
    return false;
  }
  for (size_t i = 0; i < s.size();) {
    const char32_t cp = DecodeUtf8(s, &i);
    if (!IsControl(cp) || (!one_line && (cp == '\n' || cp == '\t'))) continue;
    ctx.Error(val.pos, val.name + " holds control character " + CodePointName(cp) +
                           (one_line ? ": ids, names and titles are one line of printable text"
                                     : ": free text may hold line breaks and tabs, no other control characters"));
    return false;
  }
  return true;
}

std::optional<std::string> ReadScalar(Ctx& ctx, const Val& val) {
  if (val.node.IsScalar()) return val.node.Scalar();
  if (val.node.IsNull()) return std::string();
  ctx.Error(val.pos, val.name + " must be a string, not " + KindName(val.node));
  return std::nullopt;
}

}  // namespace

std::optional<std::string> ReadString(Ctx& ctx, const Val& val) {
  auto s = ReadScalar(ctx, val);
  if (!s || !CheckScalarText(ctx, val, *s, /*one_line=*/false)) return std::nullopt;
  return s;
}

std::optional<std::string> ReadNonEmptyString(Ctx& ctx, const Val& val) {
  auto s = ReadScalar(ctx, val);
  if (!s) return std::nullopt;
  const std::string_view text = Trim(*s);
  if (text.empty()) {
    ctx.Error(val.pos, val.name + " is empty");
    return std::nullopt;
  }
  if (!CheckScalarText(ctx, val, text, /*one_line=*/true)) return std::nullopt;
  return std::string(text);
}

std::optional<TextFault> FindTextFault(std::string_view text) {
  std::optional<size_t> at = FindInvalidUtf8(text);
  std::string message;
  if (at) {
    message = "invalid UTF-8 (" + DescribeByteAt(text, *at) + ")";
    if (*at == 0 && (StartsWith(text, "\xFF\xFE") || StartsWith(text, "\xFE\xFF"))) {
      message += "; the file looks like UTF-16: save it as UTF-8";
    }
  }
  // Control characters before the first invalid byte (all of the text is
  // valid UTF-8 up to there).
  const size_t end = at ? *at : text.size();
  for (size_t i = 0; i < end;) {
    const size_t start = i;
    const char32_t cp = DecodeUtf8(text, &i);
    if (!IsControl(cp) || cp == '\t' || cp == '\n' || cp == '\r') continue;
    at = start;
    message = cp == 0 ? "NUL byte (0x00): the file must be UTF-8 text"
                      : "control character " + CodePointName(cp) +
                            " (only tab, line feed and carriage return may appear in the file)";
    break;
  }
  if (!at) return std::nullopt;
  TextFault f;
  const std::string_view before = text.substr(0, *at);
  f.pos.line = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
  const size_t line_start = before.rfind('\n');
  f.pos.column = 1 + static_cast<int>(line_start == std::string_view::npos ? *at : *at - line_start - 1);
  f.message = std::move(message);
  return f;
}

std::optional<double> ReadNumber(Ctx& ctx, const Val& val) {
  if (val.node.IsScalar()) {
    auto d = ParseDouble(val.node.Scalar());
    if (d && std::isfinite(*d)) return d;
  }
  ctx.Error(val.pos, val.name + " must be a number, not " + KindName(val.node));
  return std::nullopt;
}

std::optional<bool> ReadBool(Ctx& ctx, const Val& val) {
  if (val.node.IsScalar()) {
    const std::string s = ToLowerAscii(val.node.Scalar());
    if (s == "true") return true;
    if (s == "false") return false;
  }
  ctx.Error(val.pos, val.name + " must be true or false, not " + KindName(val.node));
  return std::nullopt;
}

std::optional<std::vector<Val>> ReadList(Ctx& ctx, const Val& val, bool allow_scalar) {
  std::vector<Val> out;
  if (val.node.IsNull()) return out;
  if (val.node.IsScalar() && allow_scalar) {
    out.push_back(val);
    return out;
  }
  if (!val.node.IsSequence()) {
    ctx.Error(val.pos, val.name + " must be a list, not " + KindName(val.node));
    return std::nullopt;
  }
  for (const YAML::Node& item : val.node) {
    out.push_back(Val{item, PosOf(item, val.pos), "an entry of " + val.name});
  }
  return out;
}

std::optional<std::vector<StrItem>> ReadStringList(Ctx& ctx, const Val& val, bool allow_scalar) {
  auto items = ReadList(ctx, val, allow_scalar);
  if (!items) return std::nullopt;
  std::vector<StrItem> out;
  bool ok = true;
  for (const Val& item : *items) {
    auto s = ReadNonEmptyString(ctx, item);
    if (!s) {
      ok = false;
      continue;
    }
    out.push_back(StrItem{*s, item.pos});
  }
  if (!ok) return std::nullopt;
  return out;
}

std::optional<geo::LatLon> ReadLatLon(Ctx& ctx, const Val& val) {
  if (!val.node.IsSequence() || val.node.size() != 2 || !val.node[0].IsScalar() || !val.node[1].IsScalar()) {
    ctx.Error(val.pos, val.name + " must be a [lat, lon] pair, not " +
                           (val.node.IsSequence() ? "a list of " + std::to_string(val.node.size())
                                                  : KindName(val.node)));
    return std::nullopt;
  }
  auto lat = ParseDouble(val.node[0].Scalar());
  auto lon = ParseDouble(val.node[1].Scalar());
  if (!lat || !lon || !std::isfinite(*lat) || !std::isfinite(*lon)) {
    ctx.Error(val.pos, val.name + " must be a [lat, lon] pair of numbers");
    return std::nullopt;
  }
  if (*lat < -90 || *lat > 90) {
    ctx.Error(val.pos, "latitude " + val.node[0].Scalar() + " is out of range (-90..90); write [lat, lon]");
    return std::nullopt;
  }
  if (*lon < -180 || *lon > 180) {
    ctx.Error(val.pos, "longitude " + val.node[1].Scalar() + " is out of range (-180..180)");
    return std::nullopt;
  }
  return geo::LatLon{*lat, *lon};
}

bool IsValidId(std::string_view id) {
  if (id.empty()) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(id.front())) return false;
  return std::all_of(id.begin(), id.end(), [&](char c) { return alnum(c) || c == '.' || c == '_' || c == '-'; });
}

bool CheckId(Ctx& ctx, Pos pos, std::string_view id, std::string_view thing) {
  if (IsValidId(id)) return true;
  ctx.Error(pos, std::string(thing) + " id '" + std::string(id) +
                     "' must be lower-case letters, digits, '.', '_' and '-', starting with a letter or digit");
  return false;
}

bool IsIso3(std::string_view s) {
  return s.size() == 3 && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

std::optional<std::string> ReadReferencedFile(Ctx& ctx, const Val& path_val) {
  auto path = ReadNonEmptyString(ctx, path_val);
  if (!path) return std::nullopt;
  LoadState& st = ctx.state();
  if (auto it = st.file_index.find(*path); it != st.file_index.end()) {
    return st.stored ? RepairUtf8(st.files[it->second].second) : st.files[it->second].second;
  }
  const std::string resolved = ResolveRelative(st.yaml_file, *path);
  Result<std::string> text = st.fs->ReadFile(resolved);
  if (!text.ok()) {
    if (text.status().code() == StatusCode::kNotFound) {
      std::string msg = "file not found: '" + *path + "'";
      if (resolved != *path) msg += " (looked for '" + resolved + "')";
      ctx.Error(path_val.pos, msg);
    } else {
      ctx.Error(path_val.pos, "cannot read '" + *path + "': " + text.status().message());
    }
    return std::nullopt;
  }
  st.file_index.emplace(*path, st.files.size());
  st.files.emplace_back(*path, *text);
  if (st.stored) return RepairUtf8(*text);
  return std::move(text).value();
}

}  // namespace truce::agreement::internal
