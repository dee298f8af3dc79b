#include "http_types.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace truce::server {
namespace {

const char* Reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Payload Too Large";
    case 415: return "Unsupported Media Type";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
  }
  return "Unknown";
}

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool Bodiless(int status) { return status == 204 || status == 304; }

std::string_view Prepared::Body() const {
  return Bodiless(response.status) ? std::string_view() : std::string_view(response.body);
}

std::string SerializeHead(const Response& r, bool keep_alive, bool http10_keep_alive) {
  std::string out;
  out.reserve(256);
  out += "HTTP/1.1 ";
  out += std::to_string(r.status);
  out += ' ';
  out += Reason(r.status);
  out += "\r\nServer: truce\r\n";
  if (!Bodiless(r.status)) {
    out += "Content-Type: ";
    out += r.content_type;
    out += "\r\nContent-Length: ";
    out += std::to_string(r.body.size());
    out += "\r\n";
  }
  for (const auto& [name, value] : r.headers) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  if (!keep_alive) {
    out += "Connection: close\r\n";
  } else if (http10_keep_alive) {
    out += "Connection: keep-alive\r\n";
  }
  return out;
}

std::string Serialize(const Response& r, bool keep_alive, bool http10_keep_alive) {
  std::string out = SerializeHead(r, keep_alive, http10_keep_alive);
  out += "\r\n";
  if (!Bodiless(r.status)) out += r.body;
  return out;
}

std::shared_ptr<const Prepared> Prepare(Response r) {
  auto p = std::make_shared<Prepared>();
  p->head = SerializeHead(r, /*keep_alive=*/true);
  p->response = std::move(r);
  return p;
}

Response ErrorResponse(int status, const std::string& code, const std::string& message) {
  Response r;
  r.status = status;
  // Messages quote what the client sent; replace rather than throw on bytes
  // that are not UTF-8 (a throw here once took the whole server down).
  r.body = nlohmann::json({{"error", {{"status", status}, {"code", code}, {"message", message}}}})
               .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response RetryLater(int status, const std::string& code, const std::string& message, int retry_after_s) {
  Response r = ErrorResponse(status, code, message);
  r.headers.emplace_back("Retry-After", std::to_string(std::max(1, retry_after_s)));
  return r;
}

namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

std::string_view TrimSpaceTab(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string CheckFraming(std::string_view head) {
  for (std::size_t i = 0; i < head.size(); ++i) {
    if (head[i] == '\0') return "the header holds a NUL byte";
    if (head[i] == '\n' && (i == 0 || head[i - 1] != '\r')) return "a header line ends in LF without CR";
    if (head[i] == '\r' && (i + 1 == head.size() || head[i + 1] != '\n')) return "the header holds a CR without LF";
  }
  int content_lengths = 0;
  int transfer_encodings = 0;
  std::vector<std::string_view> codings;
  std::size_t pos = head.find("\r\n");  // past the request line
  int line_number = 1;
  while (pos != std::string_view::npos && pos + 2 < head.size()) {
    pos += 2;
    const std::size_t end = head.find("\r\n", pos);
    const std::string_view line = head.substr(pos, end == std::string_view::npos ? head.size() - pos : end - pos);
    pos = end;
    ++line_number;
    if (line.empty()) break;  // the end of the header block
    if (line.front() == ' ' || line.front() == '\t') {
      return "header line " + std::to_string(line_number) +
             " starts with a space or tab (a folded line, obs-fold, is not accepted)";
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;  // Beast's parser refuses it
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = TrimSpaceTab(line.substr(colon + 1));
    if (EqualsNoCase(name, "content-length")) ++content_lengths;
    if (EqualsNoCase(name, "transfer-encoding")) {
      ++transfer_encodings;
      std::string_view rest = value;
      while (true) {
        const std::size_t comma = rest.find(',');
        codings.push_back(TrimSpaceTab(rest.substr(0, comma)));
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
    }
  }
  if (content_lengths > 1) return "Content-Length is given more than once";
  if (transfer_encodings > 0 && content_lengths > 0) return "Transfer-Encoding and Content-Length are both given";
  if (transfer_encodings > 0 && (codings.size() != 1 || !EqualsNoCase(codings[0], "chunked"))) {
    std::string list;
    for (std::string_view c : codings) list += (list.empty() ? "" : ", ") + std::string(c);
    return "Transfer-Encoding '" + list + "' is not accepted (only 'chunked')";
  }
  return "";
}

bool PercentDecode(std::string_view in, std::string* out) {
  out->clear();
  out->reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '+') {
      *out += ' ';
    } else if (c == '%') {
      if (i + 2 >= in.size()) return false;
      const int hi = Hex(in[i + 1]);
      const int lo = Hex(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      *out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      *out += c;
    }
  }
  return true;
}

}  // namespace truce::server
