#include "truce/core/status.h"

namespace truce {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kInvalidArgument: return "invalid argument";
    case StatusCode::kParseError: return "parse error";
    case StatusCode::kValidationError: return "validation error";
    case StatusCode::kNotFound: return "not found";
    case StatusCode::kAlreadyExists: return "already exists";
    case StatusCode::kIoError: return "i/o error";
    case StatusCode::kDatabaseError: return "database error";
    case StatusCode::kFailedPrecondition: return "failed precondition";
    case StatusCode::kInternal: return "internal error";
    case StatusCode::kBusy: return "database busy";
  }
  return "unknown";
}

static std::string At(const std::string& file, int line, int column, const std::string& msg) {
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + msg;
}

Status Status::ParseErrorAt(const std::string& file, int line, int column, const std::string& msg) {
  return ParseError(At(file, line, column, msg));
}

Status Status::ValidationErrorAt(const std::string& file, int line, int column, const std::string& msg) {
  return ValidationError(At(file, line, column, msg));
}

Status Status::RowError(const std::string& file, long long row, const std::string& field,
                        const std::string& msg) {
  std::string where = file + ": row " + std::to_string(row);
  if (!field.empty()) where += ", field '" + field + "'";
  return ParseError(where + ": " + msg);
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  return std::string(StatusCodeName(code_)) + ": " + message_;
}

Status Status::WithContext(const std::string& context) const {
  if (ok()) return *this;
  return Status(code_, context + ": " + message_);
}

}  // namespace truce
