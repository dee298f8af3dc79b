// Input preparation for news extraction: checks that bytes are text, repairs
// invalid UTF-8, strips HTML to text, and maps byte offsets to character
// (code point) offsets for spans. Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "truce/core/status.h"
#include "truce/core/utf8.h"

namespace truce::extract {

struct PreparedText {
  std::string text;                   // valid UTF-8, '\n' line ends
  bool was_html = false;
  size_t invalid_utf8_replaced = 0;   // sequences replaced by U+FFFD
  std::vector<std::string> warnings;  // for the caller to print
};

// Limits on what PrepareText accepts. DEFAULT: 64 MiB, at most 5 % of the
// bytes in invalid UTF-8 sequences.
struct PrepareOptions {
  size_t max_bytes = 64u << 20;
  double max_invalid_fraction = 0.05;
};

// Turns raw file bytes into text. ParseError naming `name` for binary data
// (NUL bytes, mostly control characters), too many invalid UTF-8 sequences, or
// a file over the size limit. HTML (a leading tag or <html>/<body>/<p>) is
// stripped: scripts, styles and comments go, block tags become line breaks,
// entities are decoded; <title> becomes the first line.
Result<PreparedText> PrepareText(std::string_view raw, const std::string& name,
                                 const PrepareOptions& options = {});

// DecodeUtf8, AppendUtf8 and RepairUtf8 are core's (truce/core/utf8.h).
using ::truce::AppendUtf8;
using ::truce::DecodeUtf8;
using ::truce::RepairUtf8;
bool LooksLikeHtml(std::string_view s);
std::string HtmlToText(std::string_view html);
// "&amp;" -> "&", "&#8217;" -> "’"; unknown entities are kept as written.
std::string DecodeEntities(std::string_view s);

// Byte offset -> code point offset, for texts of any length: O(1) per query
// after an O(n) build.
class CharOffsets {
 public:
  explicit CharOffsets(std::string_view text);
  size_t ToChar(size_t byte_offset) const;

 private:
  std::vector<uint32_t> block_chars_;  // code points before each 64-byte block
  std::string_view text_;
};

}  // namespace truce::extract
