// The job queue (jobs.h): one worker thread, a bounded queue, a bounded
// history.
#include "jobs.h"

#include <algorithm>
#include <exception>
#include <utility>

#include <nlohmann/json.hpp>

namespace truce::server {

const char* JobStateName(JobState s) {
  switch (s) {
    case JobState::kQueued: return "queued";
    case JobState::kRunning: return "running";
    case JobState::kDone: return "done";
    case JobState::kFailed: return "failed";
  }
  return "?";
}

namespace {

JobOutcome Failure(int status, const std::string& code, const std::string& message) {
  nlohmann::json body = {{"error", {{"status", status}, {"code", code}, {"message", message}}}};
  return {status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

}  // namespace

std::string JobJson(const JobSnapshot& job) {
  using json = nlohmann::json;
  json j = {{"id", job.id},
            {"href", "/api/v1/jobs/" + std::to_string(job.id)},
            {"kind", job.kind},
            {"subject", job.subject},
            {"state", JobStateName(job.state)},
            {"created_at", job.created_at},
            {"started_at", job.started_at.empty() ? json(nullptr) : json(job.started_at)},
            {"finished_at", job.finished_at.empty() ? json(nullptr) : json(job.finished_at)}};
  json progress = {{"phase", job.progress.phase}, {"done", job.progress.done}};
  progress["total"] = job.progress.total > 0 ? json(job.progress.total) : json(nullptr);
  progress["unit"] = job.progress.unit;
  j["progress"] = std::move(progress);
  if (job.outcome) {
    j["status"] = job.outcome->status;
    // The body is JSON the facade or the router wrote; a body that is not
    // (it would be a bug) is carried as a string rather than lost.
    json body = json::parse(job.outcome->body, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded()) body = job.outcome->body;
    if (job.state == JobState::kDone) {
      j["result"] = std::move(body);
    } else if (body.is_object() && body.contains("error")) {
      j["error"] = std::move(body["error"]);
    } else {
      j["error"] = std::move(body);
    }
  }
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

JobQueue::JobQueue(std::size_t max_queued, std::size_t history, std::function<std::string()> now)
    : max_queued_(max_queued), history_(std::max<std::size_t>(history, 1)), now_(std::move(now)) {
  worker_ = std::thread([this] { Loop(); });
}

JobQueue::~JobQueue() {
  Shutdown();
  if (worker_.joinable()) worker_.join();
}

std::optional<std::int64_t> JobQueue::Submit(std::string kind, std::string subject, std::string role, Work work) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!accepting_ || queue_.size() >= max_queued_ + (running_ ? 0 : 1)) return std::nullopt;
  auto job = std::make_shared<Job>();
  job->view.id = next_id_++;
  job->view.kind = std::move(kind);
  job->view.subject = std::move(subject);
  job->view.role = std::move(role);
  job->view.created_at = now_();
  job->work = std::move(work);
  jobs_.emplace(job->view.id, job);
  queue_.push_back(job);
  Trim();
  changed_.notify_all();
  return job->view.id;
}

std::optional<JobSnapshot> JobQueue::Get(std::int64_t id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return std::nullopt;
  return it->second->view;
}

std::optional<JobSnapshot> JobQueue::WaitFor(std::int64_t id, std::chrono::milliseconds wait) const {
  std::unique_lock<std::mutex> lock(mu_);
  auto finished = [&] {
    auto it = jobs_.find(id);
    return it == jobs_.end() || it->second->view.state == JobState::kDone ||
           it->second->view.state == JobState::kFailed;
  };
  changed_.wait_for(lock, wait, finished);
  auto it = jobs_.find(id);
  if (it == jobs_.end()) return std::nullopt;
  return it->second->view;
}

std::vector<JobSnapshot> JobQueue::List() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<JobSnapshot> out;
  out.reserve(jobs_.size());
  for (auto it = jobs_.rbegin(); it != jobs_.rend(); ++it) out.push_back(it->second->view);
  return out;
}

std::size_t JobQueue::Pending() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size() + (running_ ? 1 : 0);
}

void JobQueue::StopAccepting() {
  std::lock_guard<std::mutex> lock(mu_);
  accepting_ = false;
}

std::string JobQueue::Shutdown() {
  std::unique_lock<std::mutex> lock(mu_);
  if (stopping_) return "";
  stopping_ = true;
  accepting_ = false;
  std::string said;
  std::size_t dropped = 0;
  for (auto& job : queue_) {
    Finish(*job, Failure(503, "shutting_down", "the server stopped before this job ran; nothing was written"));
    ++dropped;
  }
  queue_.clear();
  changed_.notify_all();
  std::int64_t running_id = running_ ? running_->view.id : 0;
  if (running_) {
    said = "stopping: waiting for job " + std::to_string(running_id) + " (" + running_->view.kind + " " +
           running_->view.subject + ") to finish";
    changed_.wait(lock, [&] { return running_ == nullptr; });
    auto it = jobs_.find(running_id);
    if (it != jobs_.end()) said += std::string("; it ") + (it->second->view.state == JobState::kDone ? "finished" : "failed");
  }
  if (dropped > 0) {
    said += std::string(said.empty() ? "stopping: " : "; ") + std::to_string(dropped) +
            " queued job(s) dropped, nothing of them written";
  }
  return said;
}

void JobQueue::Finish(Job& job, JobOutcome outcome) {
  job.view.state = outcome.status < 400 ? JobState::kDone : JobState::kFailed;
  job.view.outcome = std::move(outcome);
  job.view.finished_at = now_();
  job.work = nullptr;  // what it captured (a request body) is freed now
  Trim();
}

void JobQueue::Trim() {
  // The oldest finished jobs go first; queued and running ones are kept.
  std::size_t finished = 0;
  for (const auto& [id, job] : jobs_) {
    if (job->view.state == JobState::kDone || job->view.state == JobState::kFailed) ++finished;
  }
  for (auto it = jobs_.begin(); it != jobs_.end() && finished > history_;) {
    const JobState s = it->second->view.state;
    if (s == JobState::kDone || s == JobState::kFailed) {
      it = jobs_.erase(it);
      --finished;
    } else {
      ++it;
    }
  }
}

void JobQueue::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping
    running_ = queue_.front();
    queue_.pop_front();
    Job& job = *running_;
    job.view.state = JobState::kRunning;
    job.view.started_at = now_();
    changed_.notify_all();
    Work work = std::move(job.work);
    lock.unlock();
    const std::int64_t id = job.view.id;
    Report report = [this, id](const JobProgress& p) {
      std::lock_guard<std::mutex> guard(mu_);
      if (auto it = jobs_.find(id); it != jobs_.end()) it->second->view.progress = p;
    };
    JobOutcome outcome;
    try {
      outcome = work(id, report);
    } catch (const std::exception& e) {
      outcome = Failure(500, "internal", std::string("the job failed unexpectedly: ") + e.what());
    } catch (...) {
      outcome = Failure(500, "internal", "the job failed unexpectedly");
    }
    work = nullptr;
    lock.lock();
    Finish(job, std::move(outcome));
    running_ = nullptr;
    changed_.notify_all();
  }
}

}  // namespace truce::server
