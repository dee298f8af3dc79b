// A JSON writer that appends to a string: for the answers that list many
// items (incidents), where building a tree first costs more than the rest of
// the request. Private to src/server.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace truce::server {

class JsonOut {
 public:
  explicit JsonOut(std::string* out) : out_(*out) {}

  JsonOut& BeginObject() { return Open('{'); }
  JsonOut& EndObject() { return Close('}'); }
  JsonOut& BeginArray() { return Open('['); }
  JsonOut& EndArray() { return Close(']'); }
  // A member name; the value follows.
  JsonOut& Key(std::string_view name) {
    Separate();
    Quote(name);
    out_ += ':';
    after_key_ = true;
    return *this;
  }
  JsonOut& String(std::string_view s) {
    Separate();
    Quote(s);
    return *this;
  }
  JsonOut& StringOrNull(std::string_view s) { return s.empty() ? Null() : String(s); }
  JsonOut& Int(std::int64_t v) {
    Separate();
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, r.ptr);
    return *this;
  }
  // Shortest text that reads back as the same double; null for NaN/infinity.
  JsonOut& Double(double v) {
    if (v != v || v - v != 0) return Null();
    Separate();
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, r.ptr);
    return *this;
  }
  JsonOut& Bool(bool v) {
    Separate();
    out_ += v ? "true" : "false";
    return *this;
  }
  JsonOut& Null() {
    Separate();
    out_ += "null";
    return *this;
  }
  // Text that is already JSON (a value).
  JsonOut& Raw(std::string_view json) {
    Separate();
    out_ += json;
    return *this;
  }

 private:
  JsonOut& Open(char c) {
    Separate();
    out_ += c;
    first_.push_back(true);
    return *this;
  }
  JsonOut& Close(char c) {
    out_ += c;
    first_.pop_back();
    return *this;
  }
  void Separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (!first_.empty()) {
      if (!first_.back()) out_ += ',';
      first_.back() = false;
    }
  }
  void Quote(std::string_view s) {
    static const char* kHex = "0123456789abcdef";
    out_ += '"';
    std::size_t run = 0;  // start of the bytes that need no escape, copied in one go
    for (std::size_t i = 0; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;  // UTF-8 passes through (the store holds valid UTF-8)
      out_.append(s.data() + run, i - run);
      run = i + 1;
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
    out_.append(s.data() + run, s.size() - run);
    out_ += '"';
  }

  std::string& out_;
  std::vector<bool> first_;
  bool after_key_ = false;
};

}  // namespace truce::server
