// Requests and responses as the API sees them: plain values, no Beast types,
// so that the handlers are testable without a socket. Private to src/server.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace truce::server {

struct Request {
  std::string method;  // "GET"
  std::string target;  // "/api/v1/incidents?status=violation"
  std::string authorization;
  std::string content_type;
  std::string body;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra ones (Allow, Content-Disposition, ...)
};

// A response with its bytes on the wire for a keep-alive HTTP/1.1 exchange,
// ready to be written in one go (and kept in the response cache).
struct Prepared {
  Response response;
  std::string wire;
};

// The status line, headers and body. `keep_alive` false adds
// "Connection: close"; `http10_keep_alive` adds "Connection: keep-alive".
std::string Serialize(const Response& r, bool keep_alive, bool http10_keep_alive = false);
std::shared_ptr<const Prepared> Prepare(Response r);

// The API's error answer: {"error": {"status", "code", "message"}}.
Response ErrorResponse(int status, const std::string& code, const std::string& message);

// Percent-decoding of query components ('+' is a space). false on a bad escape.
bool PercentDecode(std::string_view in, std::string* out);

}  // namespace truce::server
