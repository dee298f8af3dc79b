// The dashboard's files (GET / and /assets/NAME), read once when the server
// starts, with the compressed variants the build wrote beside them
// (web/build.mjs), and the pointer page when there is no dashboard.
#include "services.h"

#include <bit>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>
#include <utility>

namespace truce::server {
namespace service {
namespace {

const char* ContentTypeOf(const std::string& file) {
  const std::string ext = std::filesystem::path(file).extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".png") return "image/png";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".map") return "application/json";
  return "application/octet-stream";
}

}  // namespace

namespace {

// The bytes at p as a little-endian 64-bit word (the same value on any
// machine). One load: GCC 12 left the byte-by-byte form as eight, which made
// the whole fingerprint 2.6x slower (23 -> 8.8 us for 52 kB).
std::uint64_t Word(const unsigned char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, sizeof w);
  if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
  return w;
}

std::uint64_t Rotl(std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

constexpr std::uint64_t kMulA = 0x9E3779B97F4A7C15ULL;  // 2^64 / golden ratio, odd
constexpr std::uint64_t kMulB = 0xC2B2AE3D27D4EB4FULL;
std::uint64_t Round(std::uint64_t lane, std::uint64_t w) { return Rotl(lane + w * kMulA, 31) * kMulB; }

}  // namespace

std::string Fingerprint(const std::string& bytes) {
  // Four independent lanes of 8-byte words, so that the multiplications of a
  // 50 kB answer overlap (FNV-1a, one multiplication per byte each waiting
  // for the last, took ~40 us of the ~250 us an uncached incidents page cost).
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  std::uint64_t lane[4] = {kMulA, kMulB, ~kMulA, ~kMulB};
  std::size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    for (int k = 0; k < 4; ++k) lane[k] = Round(lane[k], Word(p + i + 8 * k));
  }
  std::uint64_t h = static_cast<std::uint64_t>(n) * kMulB;
  for (int k = 0; k < 4; ++k) h = Rotl(h ^ Round(0, lane[k]), 27) * kMulA + kMulB;
  for (; i + 8 <= n; i += 8) h = Rotl(h ^ Round(0, Word(p + i)), 27) * kMulA + kMulB;
  for (; i < n; ++i) h = Rotl(h ^ (p[i] * kMulA), 11) * kMulB;
  // Every input bit reaches every output bit (MurmurHash3's finaliser).
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDULL;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ULL;
  h ^= h >> 33;
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return out;
}

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool NoneMatchHits(std::string_view header, const std::string& etag) {
  while (!header.empty()) {
    const std::size_t comma = header.find(',');
    std::string_view tag = Trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    if (tag == "*") return true;
    if (tag.substr(0, 2) == "W/") tag.remove_prefix(2);
    if (tag == etag) return true;
  }
  return false;
}

bool AcceptsEncoding(std::string_view accept_encoding, std::string_view coding) {
  std::optional<bool> named, star;
  while (!accept_encoding.empty()) {
    const std::size_t comma = accept_encoding.find(',');
    std::string_view item = accept_encoding.substr(0, comma);
    accept_encoding = comma == std::string_view::npos ? std::string_view() : accept_encoding.substr(comma + 1);
    const std::size_t semi = item.find(';');
    const std::string name = Lower(Trim(item.substr(0, semi)));
    bool acceptable = true;  // no q: 1
    if (semi != std::string_view::npos) {
      const std::string param = Lower(Trim(item.substr(semi + 1)));
      if (param.rfind("q=", 0) == 0) {
        // "q=0", "q=0.0", "q=0.000" refuse; anything else accepts.
        const std::string q = param.substr(2);
        acceptable = q.find_first_not_of("0.") != std::string::npos;
      }
    }
    if (name == coding) named = acceptable;
    if (name == "*") star = acceptable;
  }
  if (named) return *named;
  return star.value_or(false);
}

bool IsHashedName(std::string_view name) {
  for (std::size_t dash = name.find('-'); dash != std::string_view::npos; dash = name.find('-', dash + 1)) {
    if (dash + 9 >= name.size() || name[dash + 9] != '.') continue;
    bool all = true;
    for (std::size_t i = dash + 1; i < dash + 9; ++i) {
      const char c = name[i];
      all = all && ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
    }
    if (all) return true;
  }
  return false;
}

std::map<std::string, StaticAsset> LoadStaticFiles(const std::string& web_dir, FileSystem& fs) {
  std::map<std::string, StaticAsset> files;
  if (web_dir.empty()) return files;
  std::set<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(web_dir, ec)) {
    if (entry.is_regular_file()) names.insert(entry.path().filename().string());
  }
  auto read = [&](const std::string& name) -> std::optional<std::string> {
    auto bytes = fs.ReadFile((std::filesystem::path(web_dir) / name).string());
    if (!bytes.ok()) return std::nullopt;
    return std::move(bytes).value();
  };
  auto variant_of = [&](const std::string& name) {
    for (const char* ext : {".gz", ".br"}) {
      const std::string e(ext);
      if (name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0 &&
          names.count(name.substr(0, name.size() - e.size())))
        return true;
    }
    return false;
  };
  for (const std::string& name : names) {
    if (variant_of(name)) continue;  // answered as its original's variant
    auto identity = read(name);
    if (!identity) continue;
    const std::string cache_control = IsHashedName(name) ? "public, max-age=31536000, immutable" : "no-cache";
    const std::string hash = Fingerprint(*identity);
    const bool has_variants = names.count(name + ".gz") || names.count(name + ".br");
    StaticAsset asset;
    auto answer = [&](int i, std::string body, const char* encoding) {
      asset.etag[i] = "\"" + hash + (encoding ? std::string("-") + encoding : "") + "\"";
      Response r;
      r.content_type = ContentTypeOf(name);
      r.headers.emplace_back("Cache-Control", cache_control);
      r.headers.emplace_back("ETag", asset.etag[i]);
      if (has_variants) r.headers.emplace_back("Vary", "Accept-Encoding");
      Response not_modified = r;
      not_modified.status = 304;
      if (encoding) r.headers.emplace_back("Content-Encoding", encoding);
      r.body = std::move(body);
      asset.not_modified[i] = Prepare(std::move(not_modified));
      return Prepare(std::move(r));
    };
    asset.identity = answer(0, std::move(*identity), nullptr);
    if (names.count(name + ".gz"))
      if (auto gz = read(name + ".gz")) asset.gzip = answer(1, std::move(*gz), "gzip");
    if (names.count(name + ".br"))
      if (auto br = read(name + ".br")) asset.brotli = answer(2, std::move(*br), "br");
    files[name] = std::move(asset);
  }
  return files;
}

}  // namespace service

std::shared_ptr<const Prepared> Api::StaticFile(const Request& request, const std::string& path) const {
  const std::string name = path == "/"                        ? "index.html"
                           : path.rfind("/assets/", 0) == 0 ? path.substr(std::string("/assets/").size())
                                                              : std::string();
  if (auto it = files_.find(name); !name.empty() && it != files_.end()) {
    const StaticAsset& a = it->second;
    // Brotli is smaller than gzip for the same text; both beat sending it as it is.
    int i = 0;
    if (a.brotli && service::AcceptsEncoding(request.accept_encoding, "br")) {
      i = 2;
    } else if (a.gzip && service::AcceptsEncoding(request.accept_encoding, "gzip")) {
      i = 1;
    }
    if (!request.if_none_match.empty() && service::NoneMatchHits(request.if_none_match, a.etag[i]))
      return a.not_modified[i];
    return i == 2 ? a.brotli : i == 1 ? a.gzip : a.identity;
  }
  if (path == "/") {  // no dashboard here (there is index.html whenever there is one)
    Response r;
    r.content_type = "text/html; charset=utf-8";
    r.body =
        "<!doctype html><title>Truce</title><p>The dashboard is not built here. Run <code>npm run build</code> "
        "(or <code>make demo</code>) and start <code>truce serve --web web/dist</code>. The API is at "
        "<a href=\"/api/v1/openapi.json\">/api/v1/</a>.</p>";
    return Prepare(std::move(r));
  }
  return Prepare(ErrorResponse(404, "not_found", "no file '" + path + "'"));
}

}  // namespace truce::server
