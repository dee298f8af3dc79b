// UTF-8 at the doors: every text Truce stores or prints must be valid UTF-8
// (JSON cannot carry anything else). Readers validate with FindInvalidUtf8
// and report where; places that must accept what they are given (stored data
// read back, file names) repair with RepairUtf8. Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace truce {

// Decodes one code point at s[*i] and advances *i; returns U+FFFD on bad input
// (and advances by one byte), so a loop always terminates. Overlong forms,
// surrogates and values above U+10FFFF are bad input. REQUIRES: *i < s.size().
char32_t DecodeUtf8(std::string_view s, std::size_t* i);
void AppendUtf8(char32_t cp, std::string* out);

// The byte offset of the first byte that does not start a valid UTF-8
// sequence; nullopt when all of `s` is valid.
std::optional<std::size_t> FindInvalidUtf8(std::string_view s);

// Valid UTF-8 with each invalid sequence replaced by U+FFFD; counts them
// (`replaced` may be null). Valid input comes back unchanged.
std::string RepairUtf8(std::string_view s, std::size_t* replaced = nullptr);

// "byte 0xFF": the offending byte at `offset`, for messages.
std::string DescribeByteAt(std::string_view s, std::size_t offset);

}  // namespace truce
