// Writes as jobs (docs/api.md, "Jobs"): POST /ingest and POST /agreements
// answer 202 with a job id at once; the work runs on the queue's one worker
// thread, one job at a time, in the order submitted (writes to one database
// are serialised anyway). A job is queued, running, done (its result: the
// JSON the endpoint answers and its HTTP status) or failed (the error body
// the endpoint would have answered). Jobs live in this process's memory
// only: a bounded history of the latest ones, lost at restart. Private to
// src/server. Thread-safety: every method from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace truce::server {

enum class JobState { kQueued, kRunning, kDone, kFailed };
const char* JobStateName(JobState s);

// What a job reports while it runs (Job::Work's argument): how far it is.
struct JobProgress {
  std::string phase;           // "reading", "ruling", ... ("" before it starts)
  std::uint64_t done = 0;      // units done so far in this phase
  std::uint64_t total = 0;     // 0: unknown
  std::string unit;            // "bytes", "incidents"
};

// How a job ended: an HTTP status and the JSON body the endpoint answers
// (a result for 2xx, an {"error": ...} body otherwise).
struct JobOutcome {
  int status = 200;
  std::string body;
};

// A job as seen from outside (GET /jobs/{id}).
struct JobSnapshot {
  std::int64_t id = 0;
  std::string kind;     // "ingest", "agreement"
  std::string subject;  // what it works on: "upload/x.csv"
  std::string role;     // the role the creating route needed ("analyst"): who may see it
  JobState state = JobState::kQueued;
  std::string created_at, started_at, finished_at;  // ISO-8601 UTC; "" until then
  JobProgress progress;
  std::optional<JobOutcome> outcome;  // done or failed
};

// The job's JSON (docs/api.md, "Jobs"): id, href, kind, subject, state,
// times, progress, and "status" with "result" (done) or "error" (failed).
std::string JobJson(const JobSnapshot& job);

class JobQueue {
 public:
  // Reports progress; cheap, may be called often.
  using Report = std::function<void(const JobProgress&)>;
  using Work = std::function<JobOutcome(std::int64_t id, const Report&)>;

  // At most `max_queued` jobs wait beyond the one running; the latest
  // `history` finished jobs are kept. `now` gives the times jobs show
  // (ISO-8601 UTC). The worker thread starts at once.
  JobQueue(std::size_t max_queued, std::size_t history, std::function<std::string()> now);
  // Shutdown(), then joins the worker.
  ~JobQueue();
  JobQueue(const JobQueue&) = delete;
  JobQueue& operator=(const JobQueue&) = delete;

  // Queues `work`; its id, or nullopt when the queue is full or shutting
  // down (the caller answers 503).
  std::optional<std::int64_t> Submit(std::string kind, std::string subject, std::string role, Work work);
  // nullopt: no such job (never, or dropped from the history).
  std::optional<JobSnapshot> Get(std::int64_t id) const;
  // Get, after waiting up to `wait` for the job to finish.
  std::optional<JobSnapshot> WaitFor(std::int64_t id, std::chrono::milliseconds wait) const;
  // The jobs kept (queued, running and the finished history), newest first.
  std::vector<JobSnapshot> List() const;
  // Jobs queued or running.
  std::size_t Pending() const;

  // Submit refuses from now on (a server that is stopping).
  void StopAccepting();
  // Stops accepting jobs; jobs still queued fail ("the server stopped before
  // it ran; nothing was written"); the running one finishes (its write is
  // one transaction: all or nothing). Returns what it did, in words, for
  // the log ("" when there was nothing to say). Idempotent.
  std::string Shutdown();

 private:
  struct Job {
    JobSnapshot view;
    Work work;
  };
  void Loop();
  void Finish(Job& job, JobOutcome outcome);  // under mu_
  void Trim();                                // under mu_

  const std::size_t max_queued_, history_;
  const std::function<std::string()> now_;
  mutable std::mutex mu_;
  mutable std::condition_variable changed_;
  bool stopping_ = false;
  bool accepting_ = true;
  std::int64_t next_id_ = 1;
  std::map<std::int64_t, std::shared_ptr<Job>> jobs_;  // by id: every job kept
  std::deque<std::shared_ptr<Job>> queue_;              // waiting, oldest first
  std::shared_ptr<Job> running_;
  std::thread worker_;
};

}  // namespace truce::server
