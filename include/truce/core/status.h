// Status and Result<T>: how every expected failure travels in Truce.
//
// Bad input, unknown references, invalid geometry and database errors come back
// as a Status with a code and a message that already names its context (file,
// line and column, or CSV row and field). Only the edges (apps/, the HTTP layer)
// turn a Status into an exit code or an HTTP status. Thread-safety: values.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace truce {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // a caller passed something unusable (flag, id, option)
  kParseError,          // input text is malformed (YAML, CSV, JSON, dates, numbers)
  kValidationError,     // input parsed but breaks a rule (unknown zone, bad geometry)
  kNotFound,            // a named thing does not exist
  kAlreadyExists,       // a unique thing exists already
  kIoError,             // the file system said no
  kDatabaseError,       // the store said no
  kFailedPrecondition,  // the state does not allow the operation (no schema yet)
  kBusy,                // another writer holds the database: try again later
  kInternal,            // a bug: an invariant broke
};

const char* StatusCodeName(StatusCode code);

class Status {
 public:
  Status() = default;  // OK

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) { return {StatusCode::kInvalidArgument, std::move(msg)}; }
  static Status ParseError(std::string msg) { return {StatusCode::kParseError, std::move(msg)}; }
  static Status ValidationError(std::string msg) { return {StatusCode::kValidationError, std::move(msg)}; }
  static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status AlreadyExists(std::string msg) { return {StatusCode::kAlreadyExists, std::move(msg)}; }
  static Status IoError(std::string msg) { return {StatusCode::kIoError, std::move(msg)}; }
  static Status DatabaseError(std::string msg) { return {StatusCode::kDatabaseError, std::move(msg)}; }
  static Status FailedPrecondition(std::string msg) { return {StatusCode::kFailedPrecondition, std::move(msg)}; }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }
  static Status Busy(std::string msg) { return {StatusCode::kBusy, std::move(msg)}; }

  // "file:line:column: message" — the form compilers use, so editors can jump to it.
  // line and column are 1-based.
  static Status ParseErrorAt(const std::string& file, int line, int column, const std::string& msg);
  static Status ValidationErrorAt(const std::string& file, int line, int column, const std::string& msg);
  // "file: row N, field 'name': message" — for tabular input; row is the 1-based
  // line number of the record in the file (the header is row 1).
  static Status RowError(const std::string& file, long long row, const std::string& field, const std::string& msg);

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "parse error: file:3:7: unknown key 'zonez'"
  std::string ToString() const;

  // Returns a copy whose message is prefixed with `context: `.
  Status WithContext(const std::string& context) const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_;
  }

 private:
  Status(StatusCode code, std::string msg) : code_(code), message_(std::move(msg)) {}
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Result<T>: a T or a non-OK Status. REQUIRES: constructed from a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(v_).ok() && "Result built from an OK Status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &std::get<T>(v_); }
  const T* operator->() const { return &std::get<T>(v_); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace truce

#define TRUCE_CONCAT_INNER_(a, b) a##b
#define TRUCE_CONCAT_(a, b) TRUCE_CONCAT_INNER_(a, b)

// Returns the Status from the enclosing function if `expr` is not OK.
#define TRUCE_RETURN_IF_ERROR(expr)               \
  do {                                            \
    ::truce::Status truce_status_ = (expr);       \
    if (!truce_status_.ok()) return truce_status_; \
  } while (0)

// TRUCE_ASSIGN_OR_RETURN(auto x, MakeX()); returns the Status if MakeX failed.
#define TRUCE_ASSIGN_OR_RETURN(lhs, expr) \
  TRUCE_ASSIGN_OR_RETURN_IMPL_(TRUCE_CONCAT_(truce_result_, __LINE__), lhs, expr)
#define TRUCE_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(tmp).value()
