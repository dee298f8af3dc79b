// A streaming JSON writer appending to one string: for output written once
// and large (an extraction, a page of incidents), where building a DOM
// (nlohmann) first costs more than the rest of the work. Keys and values are
// written in order; the writer adds commas (and, pretty, newlines and
// two-space indents). Thread-safety: one writer per thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace truce {

class JsonWriter {
 public:
  explicit JsonWriter(bool pretty = false) : pretty_(pretty) {}
  std::string Take() { return std::move(out_); }
  // Room for `bytes` of output in all, when the caller knows about how much
  // it will write (saves the copies of a growing string).
  void Reserve(std::size_t bytes) { out_.reserve(bytes); }

  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }
  // A member name; its value follows.
  // Keys and strings: invalid UTF-8 is written as U+FFFD (the output is
  // always valid JSON), control characters as escapes.
  JsonWriter& Key(std::string_view name);
  JsonWriter& String(std::string_view s);
  JsonWriter& StringOrNull(std::string_view s) { return s.empty() ? Null() : String(s); }
  JsonWriter& Int(std::int64_t v);
  // The shortest text that reads back as the same double; null for NaN and
  // infinities.
  JsonWriter& Double(double v);
  // A figure for people: whole numbers as integers, others to 10 significant
  // digits (EXTRACTION.md's counts and confidences).
  JsonWriter& Number(double v);
  JsonWriter& NumberOrNull(const std::optional<double>& v) { return v ? Number(*v) : Null(); }
  JsonWriter& Bool(bool v);
  JsonWriter& Null();
  // Text that is already one JSON value.
  JsonWriter& Raw(std::string_view json);
  // Text that is already one or more members of the open object, joined by
  // commas (`"a":1,"b":"x"`), written as they are (compact, even when
  // pretty); nothing when empty.
  JsonWriter& Members(std::string_view json);

 private:
  JsonWriter& Open(char c);
  JsonWriter& Close(char c);
  void Separate();
  void Newline();
  void Quote(std::string_view s);

  bool pretty_;
  bool after_key_ = false;
  std::vector<bool> first_;  // per open container: nothing written in it yet
  std::string out_;
};

}  // namespace truce
