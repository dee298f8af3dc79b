// UTF-8 at the doors: every text Truce stores or prints must be valid UTF-8
// (JSON cannot carry anything else). Readers validate with FindInvalidUtf8
// and report where; places that must accept what they are given (stored data
// read back, file names) repair with RepairUtf8. Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "truce/core/status.h"

namespace truce {

// Decodes one code point at s[*i] and advances *i; returns U+FFFD on bad input
// (and advances by one byte), so a loop always terminates. Overlong forms,
// surrogates and values above U+10FFFF are bad input. REQUIRES: *i < s.size().
char32_t DecodeUtf8(std::string_view s, std::size_t* i);
void AppendUtf8(char32_t cp, std::string* out);

// How many code points valid UTF-8 text holds: its bytes that continue no
// sequence (on invalid text, a count of the same bytes, meaning little).
std::size_t CountCodePoints(std::string_view s);

// The byte offset of the first byte that does not start a valid UTF-8
// sequence; nullopt when all of `s` is valid.
std::optional<std::size_t> FindInvalidUtf8(std::string_view s);

// Valid UTF-8 with each invalid sequence replaced by U+FFFD; counts them
// (`replaced` may be null). Valid input comes back unchanged.
std::string RepairUtf8(std::string_view s, std::size_t* replaced = nullptr);

// "byte 0xFF": the offending byte at `offset`, for messages.
std::string DescribeByteAt(std::string_view s, std::size_t offset);

// Control characters: C0 (U+0000..U+001F, tab and newline included), DEL
// (U+007F) and C1 (U+0080..U+009F).
bool IsControl(char32_t cp);

// Text safe to print as one line (a table cell, a row of `token list`, a
// terminal): invalid UTF-8 repaired (U+FFFD) and each control character
// written as an escape ("\n", "\r", "\t", else "\x1b" for C0/DEL and
// "\u0085" for C1), so that stored text can neither break a row nor send
// terminal escape sequences. Backslashes are left as they are. Printable
// text comes back unchanged.
std::string EscapeControls(std::string_view s);

// The rule for a name a person gives (an API token's name, a CLI argument):
// valid UTF-8, no control characters (newline and tab included), at most
// `max_bytes` bytes; empty is fine. Otherwise InvalidArgument
// "<what>: invalid UTF-8 (byte 0xFF at byte 4)" /
// "<what>: control character U+000A at byte 4 (...)" / "<what>: longer than
// N bytes"; without the "<what>: " when `what` is empty. Shared by the CLI
// and the API so that both doors take the same names.
inline constexpr std::size_t kMaxNameBytes = 256;
Status CheckName(std::string_view name, std::string_view what, std::size_t max_bytes = kMaxNameBytes);

}  // namespace truce
