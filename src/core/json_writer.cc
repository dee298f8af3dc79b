#include "truce/core/json_writer.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "truce/core/utf8.h"

namespace truce {

JsonWriter& JsonWriter::Open(char c) {
  Separate();
  out_.push_back(c);
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::Close(char c) {
  const bool empty = first_.back();
  first_.pop_back();
  if (!empty) Newline();
  out_.push_back(c);
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view name) {
  Separate();
  Quote(name);
  out_ += pretty_ ? ": " : ":";
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view s) {
  Separate();
  Quote(s);
  return *this;
}

JsonWriter& JsonWriter::Int(std::int64_t v) {
  Separate();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, r.ptr);
  return *this;
}

JsonWriter& JsonWriter::Double(double v) {
  if (!std::isfinite(v)) return Null();
  Separate();
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, r.ptr);
  return *this;
}

JsonWriter& JsonWriter::Number(double v) {
  Separate();
  char buf[40];
  if (std::floor(v) == v && std::fabs(v) < 9e15) {
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
  } else {
    std::snprintf(buf, sizeof buf, "%.10g", v);
  }
  out_ += buf;
  return *this;
}

JsonWriter& JsonWriter::Bool(bool v) {
  Separate();
  out_ += v ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::Null() {
  Separate();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::Raw(std::string_view json) {
  Separate();
  out_ += json;
  return *this;
}

JsonWriter& JsonWriter::Members(std::string_view json) {
  if (json.empty()) return *this;
  Separate();
  out_ += json;
  return *this;
}

void JsonWriter::Newline() {
  if (!pretty_) return;
  out_.push_back('\n');
  out_.append(2 * first_.size(), ' ');
}

void JsonWriter::Separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (first_.empty()) return;
  if (!first_.back()) out_.push_back(',');
  first_.back() = false;
  Newline();
}

namespace {

// Whether any of the 8 bytes of `w` needs a look of its own in Quote: a
// control character (< 0x20), '"', '\\', or a byte of a multi-byte UTF-8
// sequence (>= 0x80). Exact as to "any" (the borrows of the subtractions
// only spill into bytes above one that already answers yes).
bool NeedsLook(std::uint64_t w) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  const std::uint64_t quote = w ^ (kOnes * '"'), backslash = w ^ (kOnes * '\\');
  const std::uint64_t control = (w - kOnes * 0x20) & ~w;  // a high bit set: some byte < 0x20
  const std::uint64_t zero = ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash);  // some '"' or '\\'
  return ((control | zero | w) & kHigh) != 0;
}

}  // namespace

void JsonWriter::Quote(std::string_view s) {
  static const char* kHex = "0123456789abcdef";
  out_.push_back('"');
  const char* p = s.data();
  const std::size_t n = s.size();
  std::size_t run = 0;  // start of the bytes that need no escape, copied in one go
  std::size_t i = 0;
  while (i < n) {
    // Eight plain bytes at a time (most text is ASCII with nothing to escape).
    while (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if (NeedsLook(w)) break;
      i += 8;
    }
    if (i >= n) break;
    const auto c = static_cast<unsigned char>(p[i]);
    if (c >= 0x80) {
      // Valid UTF-8 passes through as it is; an invalid sequence becomes U+FFFD,
      // so that stored bytes from before the doors checked them cannot make
      // the output something no JSON parser accepts.
      const std::size_t start = i;
      std::size_t next = i;
      const char32_t cp = DecodeUtf8(s, &next);
      i = next;
      if (cp != 0xFFFD || (next - start == 3 && s.substr(start, 3) == "\xEF\xBF\xBD")) continue;
      out_.append(p + run, start - run);
      out_ += "\xEF\xBF\xBD";
      run = next;
      continue;
    }
    if (c >= 0x20 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    out_.append(p + run, i - run);
    run = i + 1;
    ++i;
    switch (c) {
      case '"': out_ += "\\\""; break;
      case '\\': out_ += "\\\\"; break;
      case '\n': out_ += "\\n"; break;
      case '\r': out_ += "\\r"; break;
      case '\t': out_ += "\\t"; break;
      default:
        out_ += "\\u00";
        out_ += kHex[c >> 4];
        out_ += kHex[c & 15];
    }
  }
  out_.append(p + run, n - run);
  out_.push_back('"');
}

}  // namespace truce
