// The dashboard's files (GET / and /assets/NAME), read once when the server
// starts, and the pointer page when there is no dashboard.
#include "services.h"

#include <filesystem>
#include <utility>

namespace truce::server {
namespace service {
namespace {

const char* ContentTypeOf(const std::string& file) {
  const std::string ext = std::filesystem::path(file).extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".png") return "image/png";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".map") return "application/json";
  return "application/octet-stream";
}

}  // namespace

std::map<std::string, std::shared_ptr<const Prepared>> LoadStaticFiles(const std::string& web_dir, FileSystem& fs) {
  std::map<std::string, std::shared_ptr<const Prepared>> files;
  if (web_dir.empty()) return files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(web_dir, ec)) {
    if (!entry.is_regular_file()) continue;
    const std::string name = entry.path().filename().string();
    auto bytes = fs.ReadFile(entry.path().string());
    if (!bytes.ok()) continue;
    Response r;
    r.content_type = ContentTypeOf(name);
    r.body = std::move(bytes).value();
    r.headers.emplace_back("Cache-Control", name == "index.html" ? "no-cache" : "max-age=300");
    files[name] = Prepare(std::move(r));
  }
  return files;
}

}  // namespace service

std::shared_ptr<const Prepared> Api::StaticFile(const std::string& path) const {
  const std::string name = path == "/"                        ? "index.html"
                           : path.rfind("/assets/", 0) == 0 ? path.substr(std::string("/assets/").size())
                                                              : std::string();
  if (auto it = files_.find(name); !name.empty() && it != files_.end()) return it->second;
  if (path == "/") {  // no dashboard here (there is index.html whenever there is one)
    Response r;
    r.content_type = "text/html; charset=utf-8";
    r.body =
        "<!doctype html><title>Truce</title><p>The dashboard is not built here. Run <code>npm run build</code> "
        "(or <code>make demo</code>) and start <code>truce serve --web web/dist</code>. The API is at "
        "<a href=\"/api/v1/openapi.json\">/api/v1/</a>.</p>";
    return Prepare(std::move(r));
  }
  return Prepare(ErrorResponse(404, "not_found", "no file '" + path + "'"));
}

}  // namespace truce::server
