// Requests and responses as the API sees them: plain values, no Beast types,
// so that the handlers are testable without a socket. Private to src/server.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace truce::server {

struct Request {
  std::string id;              // the request id (X-Request-Id): in the access log and in 500 answers
  std::string remote_address;  // the client's IP address (rate limits); "" in tests
  std::string method;          // "GET"
  std::string target;          // "/api/v1/incidents?status=violation"
  std::string authorization;
  std::string content_type;
  std::string accept_encoding;  // "br, gzip" (static files: which pre-compressed variant to send)
  std::string if_none_match;    // an ETag the client holds (static files: 304 when it is current)
  // The Content-Length the header announces; nullopt without one (no body,
  // or a chunked one).
  std::optional<std::uint64_t> content_length;
  std::string body;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra ones (Allow, Content-Disposition, ...)
};

// A response ready to be written for a keep-alive HTTP/1.1 exchange (and
// kept in the response cache, so shared between requests): its status line
// and headers as bytes, beside the body, which is written from where it is
// (never copied behind the headers). The X-Request-Id line goes after `head`
// when it is written, then the empty line, then Body().
struct Prepared {
  Response response;
  std::string head;  // status line and headers, each ending in CRLF; not the empty line
  // What follows the empty line: the body, or nothing for 204 and 304.
  std::string_view Body() const;
};

// 204 and 304 have no body (a 304's Content-Length would have to be the 200's).
bool Bodiless(int status);
// The status line and headers (each line ending in CRLF, without the empty
// line). `keep_alive` false adds "Connection: close"; `http10_keep_alive`
// adds "Connection: keep-alive".
std::string SerializeHead(const Response& r, bool keep_alive, bool http10_keep_alive = false);
// The head, the empty line and the body: the whole answer.
std::string Serialize(const Response& r, bool keep_alive, bool http10_keep_alive = false);
std::shared_ptr<const Prepared> Prepare(Response r);

// The API's error answer: {"error": {"status", "code", "message"}}. Bytes of
// `message` that are not UTF-8 are replaced (U+FFFD), never thrown on.
Response ErrorResponse(int status, const std::string& code, const std::string& message);
// 429 and 503 tell the client when to come back (Retry-After, whole seconds).
Response RetryLater(int status, const std::string& code, const std::string& message, int retry_after_s);

// Request smuggling (RFC 9112 sections 5.2, 6.1, 6.3): checks the raw header
// block (request line to the empty line, CRLFs included) for what Beast
// accepts but must be refused with 400 and a closed connection: folded lines
// (obs-fold), a Transfer-Encoding other than exactly "chunked",
// Transfer-Encoding beside Content-Length, Content-Length given twice, bare LF
// or NUL. Returns why, or "" when the framing is unambiguous.
std::string CheckFraming(std::string_view head);

// Percent-decoding of query components ('+' is a space). false on a bad escape.
bool PercentDecode(std::string_view in, std::string* out);

}  // namespace truce::server
