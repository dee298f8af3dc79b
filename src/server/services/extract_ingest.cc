// POST /extract (a news report's text to the JSON of EXTRACTION.md, nothing
// stored) and POST /ingest (a dataset file or a news report, stored and ruled
// by a job: 202, then GET /jobs/{id}).
#include "services.h"

#include "truce/facade/answers.h"

namespace truce::server::service {

using json = nlohmann::json;

Result<Response> Extract(Api::Call& c) {
  TRUCE_RETURN_IF_ERROR(c.query.Allow({}));
  TRUCE_ASSIGN_OR_RETURN(json body, ParseJsonBody(c.request));
  TRUCE_RETURN_IF_ERROR(OnlyMembers(body, {"text", "published", "name"}));
  TRUCE_ASSIGN_OR_RETURN(std::string text, Member(body, "text", true));
  TRUCE_ASSIGN_OR_RETURN(std::string published_text, Member(body, "published", true));
  TRUCE_ASSIGN_OR_RETURN(std::string name, Member(body, "name", false));
  auto published = time::ParseIsoDate(published_text);
  if (!published.ok()) {
    return Status::InvalidArgument("body: 'published' must be a date YYYY-MM-DD, got '" + published_text + "'");
  }
  TRUCE_ASSIGN_OR_RETURN(std::string json_text,
                         c.engine.ExtractJson(name.empty() ? "request body" : name, text, *published, c.options.article));
  return Body(std::move(json_text));
}

Result<Response> Ingest(Api::Call& c) {
  // What is cheap to check is checked now (400 at once); the file itself is
  // read by the job, whose error carries the CLI's located message.
  TRUCE_RETURN_IF_ERROR(c.query.Allow({"name", "format", "published", "skip_bad_rows"}));
  if (c.request.body.empty()) return Status::InvalidArgument("the body is empty: send the file's bytes");
  const std::string name = "upload/" + BaseName(c.query.Get("name", "upload"));
  TRUCE_ASSIGN_OR_RETURN(auto published, c.query.Date("published"));
  DatasetOptions options;
  if (published) {
    if (c.query.Has("format") || c.query.Has("skip_bad_rows")) {
      return Status::InvalidArgument("'format' and 'skip_bad_rows' apply to datasets, not news reports ('published')");
    }
  } else {
    options.format = c.query.Get("format", "auto");
    TRUCE_RETURN_IF_ERROR(CheckDatasetFormat(options.format));
    const std::string skip = c.query.Get("skip_bad_rows", "false");
    if (skip != "true" && skip != "false") {
      return Status::InvalidArgument("query parameter 'skip_bad_rows': expected true or false, got '" + skip + "'");
    }
    options.skip_bad_rows = skip == "true";
  }
  ArticleOptions article = c.options.article;
  auto write = [name, body = c.request.body, published, options, article](
                   Engine& engine, const JobQueue::Report& report) mutable -> Result<Response> {
    const std::uint64_t size = body.size();
    report({"reading", 0, size, "bytes"});
    IngestResult result;
    if (published) {
      TRUCE_ASSIGN_OR_RETURN(result, engine.IngestArticleBytes(name, std::move(body), *published, article));
    } else {
      options.progress = [&report](std::size_t done, std::size_t total) { report({"storing", done, total, "bytes"}); };
      TRUCE_ASSIGN_OR_RETURN(result, engine.IngestBytes(name, std::move(body), options));
    }
    // Re-ruling is part of an ingest: also when the file was stored before
    // but its findings never were (a server killed between the two).
    std::optional<RuleResult> ruled;
    if (result.added > 0 || result.findings_stale) {
      report({"ruling", 0, 0, ""});
      TRUCE_ASSIGN_OR_RETURN(ruled, engine.RuleChanges({}));
    }
    Response r = Body(IngestAnswerJson(result, ruled ? &*ruled : nullptr));
    r.status = result.added > 0 ? 201 : 200;
    return r;
  };
  return c.api.SubmitJob("ingest", name, "analyst", std::move(write));
}

}  // namespace truce::server::service
