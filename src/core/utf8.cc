#include "truce/core/utf8.h"

#include <cstdio>

namespace truce {

char32_t DecodeUtf8(std::string_view s, std::size_t* i) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size(), k = *i;
  const unsigned char c = p[k];
  if (c < 0x80) {
    *i = k + 1;
    return c;
  }
  int len = 0;
  char32_t cp = 0, min = 0;
  if ((c & 0xE0) == 0xC0) {
    len = 2, cp = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    len = 3, cp = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    len = 4, cp = c & 0x07, min = 0x10000;
  } else {
    *i = k + 1;
    return 0xFFFD;
  }
  if (k + static_cast<std::size_t>(len) > n) {
    *i = k + 1;
    return 0xFFFD;
  }
  for (int j = 1; j < len; ++j) {
    if ((p[k + static_cast<std::size_t>(j)] & 0xC0) != 0x80) {
      *i = k + 1;
      return 0xFFFD;
    }
    cp = (cp << 6) | (p[k + static_cast<std::size_t>(j)] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    *i = k + 1;
    return 0xFFFD;
  }
  *i = k + static_cast<std::size_t>(len);
  return cp;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

namespace {

// Whether the sequence decoded from s[start, end) is bad input rather than a
// U+FFFD written as such.
bool IsBad(std::string_view s, std::size_t start, std::size_t end, char32_t cp) {
  return cp == 0xFFFD && !(end - start == 3 && s.substr(start, 3) == "\xEF\xBF\xBD");
}

}  // namespace

std::size_t CountCodePoints(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

std::optional<std::size_t> FindInvalidUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    const char32_t cp = DecodeUtf8(s, &i);
    if (IsBad(s, start, i, cp)) return start;
  }
  return std::nullopt;
}

std::string RepairUtf8(std::string_view s, std::size_t* replaced) {
  std::string out;
  out.reserve(s.size());
  std::size_t bad = 0, i = 0;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      // ASCII runs at once.
      std::size_t j = i;
      while (j < s.size() && static_cast<unsigned char>(s[j]) < 0x80) ++j;
      out.append(s.data() + i, j - i);
      i = j;
      continue;
    }
    const std::size_t start = i;
    const char32_t cp = DecodeUtf8(s, &i);
    if (IsBad(s, start, i, cp)) {
      ++bad;
      AppendUtf8(0xFFFD, &out);
    } else {
      out.append(s.data() + start, i - start);
    }
  }
  if (replaced != nullptr) *replaced = bad;
  return out;
}

std::string DescribeByteAt(std::string_view s, std::size_t offset) {
  if (offset >= s.size()) return "end of text";
  char buf[16];
  std::snprintf(buf, sizeof buf, "byte 0x%02X", static_cast<unsigned>(static_cast<unsigned char>(s[offset])));
  return buf;
}

bool IsControl(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

std::string EscapeControls(std::string_view s) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t start = i;
    const char32_t cp = DecodeUtf8(s, &i);
    if (IsBad(s, start, i, cp)) {
      AppendUtf8(0xFFFD, &out);
    } else if (!IsControl(cp)) {
      out.append(s.data() + start, i - start);
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp == '\t') {
      out += "\\t";
    } else {
      out += cp < 0x80 ? "\\x" : "\\u00";
      out += kHex[(cp >> 4) & 15];
      out += kHex[cp & 15];
    }
  }
  return out;
}

Status CheckName(std::string_view name, std::string_view what, std::size_t max_bytes) {
  const std::string prefix = what.empty() ? "" : std::string(what) + ": ";
  std::size_t i = 0;
  while (i < name.size()) {
    const std::size_t start = i;
    const char32_t cp = DecodeUtf8(name, &i);
    if (IsBad(name, start, i, cp)) {
      return Status::InvalidArgument(prefix + "invalid UTF-8 (" + DescribeByteAt(name, start) + " at byte " +
                                     std::to_string(start + 1) + ")");
    }
    if (IsControl(cp)) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
      return Status::InvalidArgument(prefix + "control character " + buf + " at byte " + std::to_string(start + 1) +
                                     " (a name is one line of printable text)");
    }
  }
  if (name.size() > max_bytes) {
    return Status::InvalidArgument(prefix + "longer than " + std::to_string(max_bytes) + " bytes (" +
                                   std::to_string(name.size()) + ")");
  }
  return Status::Ok();
}

}  // namespace truce
