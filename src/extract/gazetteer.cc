#include "gazetteer.h"

#include <cctype>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "fold.h"
#include "truce/extract/text.h"

namespace truce::extract {
namespace {

uint64_t HashKey(std::string_view s) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// A minimal scanner for a JSON array of flat objects whose values are strings
// or numbers. Calls fn(key, value) for each member and done() after each object.
// Strings without escapes are returned as views into `s`; escaped ones are
// decoded into `scratch`, which is valid until the next call.
class FlatJsonScanner {
 public:
  explicit FlatJsonScanner(std::string_view s) : s_(s) {}

  template <typename Member, typename Done>
  Status Run(const std::string& name, Member member, Done done) {
    Skip();
    if (!Eat('[')) return Err(name, "expected '['");
    Skip();
    if (Eat(']')) return Status::Ok();
    while (true) {
      Skip();
      if (!Eat('{')) return Err(name, "expected '{'");
      Skip();
      if (!Eat('}')) {
        while (true) {
          Skip();
          std::string_view key, value;
          std::string kbuf, vbuf;
          if (!String(&key, &kbuf)) return Err(name, "expected a string key");
          Skip();
          if (!Eat(':')) return Err(name, "expected ':'");
          Skip();
          if (!Value(&value, &vbuf)) return Err(name, "expected a string or number value");
          member(key, value);
          Skip();
          if (Eat(',')) continue;
          if (Eat('}')) break;
          return Err(name, "expected ',' or '}'");
        }
      }
      done();
      Skip();
      if (Eat(',')) continue;
      if (Eat(']')) break;
      return Err(name, "expected ',' or ']'");
    }
    return Status::Ok();
  }

 private:
  Status Err(const std::string& name, const std::string& msg) const {
    // Line and column of the failure, for the message.
    int line = 1, col = 1;
    for (size_t k = 0; k < pos_ && k < s_.size(); ++k) {
      if (s_[k] == '\n') ++line, col = 1;
      else ++col;
    }
    return Status::ParseErrorAt(name, line, col, msg);
  }
  void Skip() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\r' || s_[pos_] == '\t')) ++pos_;
  }
  bool Eat(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool String(std::string_view* out, std::string* buf) {
    if (!Eat('"')) return false;
    size_t start = pos_;
    while (pos_ < s_.size() && s_[pos_] != '"' && s_[pos_] != '\\') ++pos_;
    if (pos_ < s_.size() && s_[pos_] == '"') {
      *out = s_.substr(start, pos_ - start);
      ++pos_;
      return true;
    }
    buf->assign(s_.data() + start, pos_ - start);
    while (pos_ < s_.size() && s_[pos_] != '"') {
      char c = s_[pos_++];
      if (c != '\\') {
        buf->push_back(c);
        continue;
      }
      if (pos_ >= s_.size()) return false;
      char e = s_[pos_++];
      switch (e) {
        case 'n': buf->push_back('\n'); break;
        case 't': buf->push_back('\t'); break;
        case 'r': case 'b': case 'f': break;
        case 'u': {
          if (pos_ + 4 > s_.size()) return false;
          char32_t cp = static_cast<char32_t>(std::strtoul(std::string(s_.substr(pos_, 4)).c_str(), nullptr, 16));
          pos_ += 4;
          if (cp >= 0xD800 && cp <= 0xDBFF && pos_ + 6 <= s_.size() && s_[pos_] == '\\' && s_[pos_ + 1] == 'u') {
            char32_t lo = static_cast<char32_t>(std::strtoul(std::string(s_.substr(pos_ + 2, 4)).c_str(), nullptr, 16));
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
              pos_ += 6;
            }
          }
          if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
          AppendUtf8(cp, buf);
          break;
        }
        default: buf->push_back(e); break;
      }
    }
    if (!Eat('"')) return false;
    *out = *buf;
    return true;
  }
  bool Value(std::string_view* out, std::string* buf) {
    if (pos_ < s_.size() && s_[pos_] == '"') return String(out, buf);
    size_t start = pos_;
    while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) != 0 || s_[pos_] == '-' ||
                                s_[pos_] == '+' || s_[pos_] == '.')) {
      ++pos_;
    }
    if (pos_ == start) return false;
    *out = s_.substr(start, pos_ - start);
    return true;
  }

  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

void Gazetteer::Table::Build(size_t n) {
  size_t cap = 16;
  while (cap < n * 2) cap <<= 1;
  slots.assign(cap, 0);
  next.assign(n, 0);
  key_off.assign(n, 0);
  key_len.assign(n, 0);
  keys.reserve(n * 14);
}

void Gazetteer::Table::Insert(uint32_t place, std::string_view key) {
  key_off[place] = static_cast<uint32_t>(keys.size());
  key_len[place] = static_cast<uint32_t>(key.size());
  keys.append(key);
  size_t mask = slots.size() - 1;
  for (size_t h = HashKey(key) & mask;; h = (h + 1) & mask) {
    uint32_t head = slots[h];
    if (head == 0) {
      slots[h] = place + 1;
      return;
    }
    uint32_t p = head - 1;
    if (std::string_view(keys).substr(key_off[p], key_len[p]) == key) {
      next[place] = head;  // prepend to the chain of equal keys
      slots[h] = place + 1;
      return;
    }
  }
}

std::vector<uint32_t> Gazetteer::Table::Find(std::string_view key) const {
  std::vector<uint32_t> out;
  if (slots.empty() || key.empty()) return out;
  size_t mask = slots.size() - 1;
  for (size_t h = HashKey(key) & mask;; h = (h + 1) & mask) {
    uint32_t head = slots[h];
    if (head == 0) return out;
    uint32_t p = head - 1;
    if (std::string_view(keys).substr(key_off[p], key_len[p]) == key) {
      for (uint32_t q = head; q != 0; q = next[q - 1]) out.push_back(q - 1);
      return out;
    }
  }
}

Status Gazetteer::Parse(const std::string& name, const Lexicon& lex) {
  // admin1 names: "SY.12" -> "Idlib".
  std::unordered_map<std::string_view, std::string_view> admin1_names;
  if (!admin1_json_.empty()) {
    FlatJsonScanner a(admin1_json_);
    std::string_view code, aname;
    Status st = a.Run(
        name + " (admin1.json)",
        [&](std::string_view k, std::string_view v) {
          if (k == "code") code = v;
          else if (k == "name") aname = v;
        },
        [&]() {
          // Only views into the buffer are kept; escaped names are skipped.
          if (!code.empty() && !aname.empty() && aname.data() >= admin1_json_.data() &&
              aname.data() < admin1_json_.data() + admin1_json_.size()) {
            admin1_names[code] = aname;
          }
          code = aname = {};
        });
    if (!st.ok()) admin1_names.clear();  // optional file: ignore when malformed
  }
  GazPlace cur;
  std::string_view country, admin1;
  bool has_lat = false, has_lon = false;
  std::vector<std::string> escaped_names;  // names that needed unescaping
  std::vector<std::pair<size_t, size_t>> escaped_refs;
  FlatJsonScanner s(json_);
  Status st = s.Run(
      name,
      [&](std::string_view k, std::string_view v) {
        if (k == "name") {
          if (v.data() >= json_.data() && v.data() < json_.data() + json_.size()) {
            cur.name = v;
          } else {
            escaped_refs.emplace_back(places_.size(), escaped_names.size());
            escaped_names.emplace_back(v);
            cur.name = {};
          }
        } else if (k == "lat") {
          std::from_chars(v.data(), v.data() + v.size(), cur.lat);
          has_lat = true;
        } else if (k == "lng" || k == "lon") {
          std::from_chars(v.data(), v.data() + v.size(), cur.lon);
          has_lon = true;
        } else if (k == "country") {
          country = v;
        } else if (k == "admin1") {
          admin1 = v;
        }
      },
      [&]() {
        if (has_lat && has_lon && country.size() == 2) {
          cur.country = lex.CountryByIso2(country);
          cur.admin1 = admin1;
          if (country.size() == 2 && admin1.size() <= 5) {
            std::string code(country);
            code += '.';
            code += admin1;
            auto it = admin1_names.find(std::string_view(code));
            if (it != admin1_names.end()) cur.admin1 = it->second;
          }
          places_.push_back(cur);
        }
        cur = GazPlace();
        country = admin1 = {};
        has_lat = has_lon = false;
      });
  if (!st.ok()) return st;
  // Escaped names live in their own storage appended to admin1_json_'s sibling.
  escaped_store_ = std::move(escaped_names);
  for (auto& [place, idx] : escaped_refs) {
    if (place < places_.size()) places_[place].name = escaped_store_[idx];
  }
  by_name_.Build(places_.size());
  by_skeleton_.Build(places_.size());
  for (uint32_t i = 0; i < places_.size(); ++i) {
    std::string key = FoldName(places_[i].name);
    by_name_.Insert(i, key);
    by_skeleton_.Insert(i, Skeleton(key));
  }
  // The admin areas as places of their own, without coordinates ("North
  // Kivu", "Daraa"), under their names and without the words GeoNames adds
  // ("La Guajira Department" is also "La Guajira", "Shan" is all of "Shan
  // State"). Sorted by code: the same order on every load.
  std::vector<std::pair<std::string_view, std::string_view>> areas(admin1_names.begin(), admin1_names.end());
  std::sort(areas.begin(), areas.end());
  std::vector<std::string> keys;
  for (const auto& [code, aname] : areas) {
    if (code.size() < 4 || code[2] != '.') continue;
    GazPlace r;
    r.name = aname;
    r.admin1 = aname;
    r.country = lex.CountryByIso2(code.substr(0, 2));
    r.region = true;
    if (r.country < 0) continue;
    std::string key = FoldName(aname);
    std::string bare = BareAdminName(key, lex.words().admin_name_word);
    regions_.push_back(r);
    keys.push_back(key);
    if (!bare.empty() && bare != key) {
      regions_.push_back(r);
      keys.push_back(bare);
    }
  }
  by_region_.Build(regions_.size());
  for (uint32_t i = 0; i < regions_.size(); ++i) by_region_.Insert(i, keys[i]);
  return Status::Ok();
}

std::string BareAdminName(std::string_view folded, const std::unordered_set<std::string>& generic) {
  std::vector<std::string> w;
  for (size_t i = 0; i < folded.size();) {
    size_t j = folded.find(' ', i);
    if (j == std::string_view::npos) j = folded.size();
    if (j > i) w.emplace_back(folded.substr(i, j - i));
    i = j + 1;
  }
  size_t b = 0, e = w.size();
  while (b < e && (generic.count(w[b]) || w[b] == "of" || w[b] == "de")) ++b;
  while (e > b && generic.count(w[e - 1])) --e;
  std::string out;
  for (size_t k = b; k < e; ++k) {
    if (!out.empty()) out += ' ';
    out += w[k];
  }
  return out;
}

std::unique_ptr<Gazetteer> Gazetteer::FromEntries(const std::vector<Entry>& entries) {
  auto g = std::make_unique<Gazetteer>();
  // The names live in json_ (sized first: the views must not move).
  std::size_t bytes = 0;
  for (const Entry& e : entries) bytes += e.name.size() + e.admin1.size();
  g->json_.reserve(bytes);
  for (const Entry& e : entries) {
    if (e.name.empty()) continue;
    GazPlace p;
    const std::size_t at = g->json_.size();
    g->json_ += e.name;
    g->json_ += e.admin1;
    p.name = std::string_view(g->json_).substr(at, e.name.size());
    p.admin1 = std::string_view(g->json_).substr(at + e.name.size(), e.admin1.size());
    p.country = e.country;
    p.lat = static_cast<float>(e.lat_deg);
    p.lon = static_cast<float>(e.lon_deg);
    g->places_.push_back(p);
  }
  g->by_name_.Build(g->places_.size());
  g->by_skeleton_.Build(g->places_.size());
  for (uint32_t i = 0; i < g->places_.size(); ++i) {
    std::string key = FoldName(g->places_[i].name);
    g->by_name_.Insert(i, key);
    g->by_skeleton_.Insert(i, Skeleton(key));
  }
  return g;
}

Result<std::unique_ptr<Gazetteer>> Gazetteer::FromJson(std::string json, std::string admin1_json,
                                                       const std::string& name, const Lexicon& lex) {
  auto g = std::make_unique<Gazetteer>();
  g->json_ = std::move(json);
  g->admin1_json_ = std::move(admin1_json);
  TRUCE_RETURN_IF_ERROR(g->Parse(name, lex));
  return g;
}

Result<std::unique_ptr<Gazetteer>> Gazetteer::Load(const FileSystem& fs, const std::string& path, const Lexicon& lex) {
  TRUCE_ASSIGN_OR_RETURN(std::string json, fs.ReadFile(path));
  std::string admin1;
  size_t slash = path.find_last_of('/');
  std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
  if (fs.Exists(dir + "/admin1.json")) {
    auto a = fs.ReadFile(dir + "/admin1.json");
    if (a.ok()) admin1 = std::move(*a);
  }
  return FromJson(std::move(json), std::move(admin1), path, lex);
}

std::vector<const GazPlace*> Gazetteer::Lookup(std::string_view folded) const {
  std::vector<const GazPlace*> out;
  for (uint32_t i : by_name_.Find(folded)) out.push_back(&places_[i]);
  for (uint32_t i : by_region_.Find(folded)) out.push_back(&regions_[i]);
  return out;
}

std::vector<const GazPlace*> Gazetteer::LookupSkeleton(std::string_view folded) const {
  std::vector<const GazPlace*> out;
  std::string sk = Skeleton(folded);
  if (sk.size() < 3) return out;
  for (uint32_t i : by_skeleton_.Find(sk)) out.push_back(&places_[i]);
  return out;
}

}  // namespace truce::extract
