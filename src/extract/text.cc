#include "truce/extract/text.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "truce/core/utf8.h"

namespace truce::extract {
namespace {

bool IEq(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Case-insensitive search for an ASCII needle.
size_t IFind(std::string_view hay, std::string_view needle, size_t from) {
  if (needle.empty() || hay.size() < needle.size()) return std::string_view::npos;
  for (size_t i = from; i + needle.size() <= hay.size(); ++i) {
    if (IEq(hay.substr(i, needle.size()), needle)) return i;
  }
  return std::string_view::npos;
}

struct Entity {
  const char* name;
  char32_t cp;
};
constexpr Entity kEntities[] = {
    {"amp", '&'},        {"lt", '<'},         {"gt", '>'},         {"quot", '"'},
    {"apos", '\''},      {"nbsp", ' '},       {"mdash", 0x2014},   {"ndash", 0x2013},
    {"rsquo", 0x2019},   {"lsquo", 0x2018},   {"ldquo", 0x201C},   {"rdquo", 0x201D},
    {"hellip", 0x2026},  {"laquo", 0x00AB},   {"raquo", 0x00BB},   {"eacute", 0x00E9},
    {"egrave", 0x00E8},  {"aacute", 0x00E1},  {"agrave", 0x00E0},  {"uuml", 0x00FC},
    {"ouml", 0x00F6},    {"auml", 0x00E4},    {"ccedil", 0x00E7},  {"iacute", 0x00ED},
    {"oacute", 0x00F3},  {"uacute", 0x00FA},  {"ntilde", 0x00F1},  {"szlig", 0x00DF},
    {"deg", 0x00B0},     {"middot", 0x00B7},  {"bull", 0x2022},    {"thinsp", 0x2009},
    {"ensp", 0x2002},    {"emsp", 0x2003},    {"shy", 0x00AD},     {"copy", 0x00A9},
};

bool IsBlockTag(std::string_view tag) {
  static constexpr const char* kBlocks[] = {"p",  "div", "br", "h1", "h2",    "h3",      "h4",    "h5",
                                            "h6", "li",  "tr", "ul", "ol",    "table",   "section",
                                            "article", "header", "footer", "blockquote", "title", "figcaption"};
  for (const char* b : kBlocks) {
    if (IEq(tag, b)) return true;
  }
  return false;
}

}  // namespace

bool LooksLikeHtml(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')) ++i;
  if (s.substr(i, 3) == "\xEF\xBB\xBF") i += 3;
  std::string_view head = s.substr(i, 4096);
  if (!head.empty() && head[0] == '<' &&
      (IFind(head, "<!doctype", 0) == 0 || IFind(head, "<html", 0) != std::string_view::npos ||
       IFind(head, "<head", 0) != std::string_view::npos || IFind(head, "<body", 0) != std::string_view::npos ||
       IFind(head, "<p", 0) != std::string_view::npos || IFind(head, "<div", 0) != std::string_view::npos ||
       IFind(head, "<h1", 0) != std::string_view::npos)) {
    return true;
  }
  return IFind(head, "<html", 0) != std::string_view::npos || IFind(head, "<body", 0) != std::string_view::npos;
}

std::string DecodeEntities(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out.push_back(s[i]);
      continue;
    }
    size_t semi = s.find(';', i + 1);
    if (semi == std::string_view::npos || semi - i > 12) {
      out.push_back('&');
      continue;
    }
    std::string_view name = s.substr(i + 1, semi - i - 1);
    char32_t cp = 0;
    if (!name.empty() && name[0] == '#') {
      bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
      std::string_view digits = name.substr(hex ? 2 : 1);
      unsigned long v = 0;
      bool okd = !digits.empty() && digits.size() <= 7;
      for (char c : digits) {
        int d = (c >= '0' && c <= '9') ? c - '0'
                : (hex && c >= 'a' && c <= 'f') ? c - 'a' + 10
                : (hex && c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
        if (d < 0) { okd = false; break; }
        v = v * (hex ? 16 : 10) + static_cast<unsigned long>(d);
      }
      if (okd && v > 0 && v <= 0x10FFFF && !(v >= 0xD800 && v <= 0xDFFF)) cp = static_cast<char32_t>(v);
    } else {
      for (const Entity& e : kEntities) {
        if (name == e.name) { cp = e.cp; break; }
      }
    }
    if (cp == 0) {
      out.push_back('&');
      continue;
    }
    AppendUtf8(cp, &out);
    i = semi;
  }
  return out;
}

std::string HtmlToText(std::string_view html) {
  std::string title, body;
  body.reserve(html.size());
  size_t i = 0, n = html.size();
  bool in_title = false;
  while (i < n) {
    char c = html[i];
    if (c != '<') {
      (in_title ? title : body).push_back(c);
      ++i;
      continue;
    }
    if (html.substr(i, 4) == "<!--") {
      size_t e = html.find("-->", i + 4);
      i = e == std::string_view::npos ? n : e + 3;
      continue;
    }
    size_t close = html.find('>', i + 1);
    if (close == std::string_view::npos) break;  // an unterminated tag ends the text
    std::string_view tag = html.substr(i + 1, close - i - 1);
    bool end_tag = !tag.empty() && tag[0] == '/';
    if (end_tag) tag.remove_prefix(1);
    size_t name_len = 0;
    while (name_len < tag.size() && (std::isalnum(static_cast<unsigned char>(tag[name_len])) != 0)) ++name_len;
    std::string_view name = tag.substr(0, name_len);
    i = close + 1;
    if (!end_tag && (IEq(name, "script") || IEq(name, "style") || IEq(name, "noscript"))) {
      std::string endtag = "</" + std::string(name);
      size_t e = IFind(html, endtag, i);
      if (e == std::string_view::npos) { i = n; break; }
      size_t e2 = html.find('>', e);
      i = e2 == std::string_view::npos ? n : e2 + 1;
      continue;
    }
    if (IEq(name, "title")) {
      in_title = !end_tag;
      continue;
    }
    if (IsBlockTag(name)) body.push_back('\n');
  }
  // Collapse runs of spaces within lines and blank lines to one blank line.
  auto clean = [](std::string_view s) {
    std::string o;
    o.reserve(s.size());
    int newlines = 0;
    bool space = false;
    for (char c : s) {
      if (c == '\r') continue;
      if (c == '\n') {
        ++newlines;
        space = false;
        continue;
      }
      if (c == ' ' || c == '\t') {
        space = true;
        continue;
      }
      if (newlines > 0) {
        if (!o.empty()) o.append(newlines > 1 ? "\n\n" : "\n");
        newlines = 0;
      } else if (space && !o.empty()) {
        o.push_back(' ');
      }
      space = false;
      o.push_back(c);
    }
    return o;
  };
  std::string t = clean(DecodeEntities(title));
  std::string b = clean(DecodeEntities(body));
  // Paragraph breaks: every block tag gave a newline; make them blank lines.
  std::string out;
  if (!t.empty()) {
    std::replace(t.begin(), t.end(), '\n', ' ');
    out = t + "\n\n";
    // The body often repeats the title as its <h1>: keep one.
    if (b.compare(0, t.size(), t) == 0) b.erase(0, t.size());
  }
  for (size_t k = 0; k < b.size(); ++k) {
    out.push_back(b[k]);
    if (b[k] == '\n' && (k + 1 < b.size() && b[k + 1] != '\n') && (k == 0 || b[k - 1] != '\n')) out.push_back('\n');
  }
  size_t s0 = out.find_first_not_of('\n');
  return s0 == std::string::npos ? std::string() : out.substr(s0);
}

Result<PreparedText> PrepareText(std::string_view raw, const std::string& name, const PrepareOptions& options) {
  if (raw.size() > options.max_bytes) {
    return Status::ParseError(name + ": file too large (" + std::to_string(raw.size() >> 20) + " MiB; the limit is " +
                              std::to_string(options.max_bytes >> 20) + " MiB)");
  }
  // Binary data: NUL bytes or mostly control characters in the first 64 KiB.
  std::string_view head = raw.substr(0, 65536);
  size_t controls = 0;
  for (char ch : head) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (c == 0) return Status::ParseError(name + ": binary data (NUL bytes), not a text report");
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') ++controls;
  }
  if (!head.empty() && controls * 10 > head.size()) {
    return Status::ParseError(name + ": binary data (control characters), not a text report");
  }
  PreparedText out;
  std::string text = RepairUtf8(raw, &out.invalid_utf8_replaced);
  if (out.invalid_utf8_replaced > 0) {
    if (static_cast<double>(out.invalid_utf8_replaced) > options.max_invalid_fraction * static_cast<double>(raw.size()) &&
        out.invalid_utf8_replaced > 8) {
      return Status::ParseError(name + ": not UTF-8 text (" + std::to_string(out.invalid_utf8_replaced) +
                                " invalid byte sequences)");
    }
    out.warnings.push_back(name + ": " + std::to_string(out.invalid_utf8_replaced) +
                           " invalid UTF-8 sequence(s) replaced by U+FFFD");
  }
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
  if (LooksLikeHtml(text)) {
    out.was_html = true;
    text = HtmlToText(text);
  }
  // Normalise line ends and form feeds.
  std::string norm;
  norm.reserve(text.size());
  for (size_t k = 0; k < text.size(); ++k) {
    char c = text[k];
    if (c == '\r') {
      norm.push_back('\n');
      if (k + 1 < text.size() && text[k + 1] == '\n') ++k;
    } else if (c == '\f' || c == '\v') {
      norm.push_back('\n');
    } else {
      norm.push_back(c);
    }
  }
  out.text = std::move(norm);
  return out;
}

CharOffsets::CharOffsets(std::string_view text) : text_(text) {
  block_chars_.reserve(text.size() / 64 + 2);
  std::size_t count = 0;
  for (std::size_t at = 0; at < text.size(); at += 64) {
    block_chars_.push_back(static_cast<uint32_t>(count));
    count += CountCodePoints(text.substr(at, 64));
  }
  block_chars_.push_back(static_cast<uint32_t>(count));
}

size_t CharOffsets::ToChar(size_t byte_offset) const {
  if (byte_offset >= text_.size()) return block_chars_.empty() ? 0 : block_chars_.back();
  const size_t block = byte_offset / 64;
  return block_chars_[block] + CountCodePoints(text_.substr(block * 64, byte_offset - block * 64));
}

}  // namespace truce::extract
