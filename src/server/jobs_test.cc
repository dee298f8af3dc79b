// The job queue on its own: order, states, progress, the bounded queue and
// history, waiting, exceptions, shutdown.
#include "jobs.h"

#include <atomic>
#include <future>
#include <stdexcept>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace truce::server {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

std::string Now() { return "2026-01-01T00:00:00Z"; }

JobOutcome Ok(std::string body) { return {201, std::move(body)}; }

// A job that runs until released.
struct Gate {
  std::promise<void> started, release;
  std::shared_future<void> released = release.get_future().share();
  JobQueue::Work Work(std::string body = "{\"n\":1}") {
    return [this, body](std::int64_t, const JobQueue::Report& report) {
      report({"storing", 5, 10, "bytes"});
      started.set_value();
      released.wait();
      return Ok(body);
    };
  }
};

TEST(JobQueue, RunsAJobAndKeepsItsResult) {
  JobQueue q(4, 10, Now);
  auto id = q.Submit("ingest", "upload/a.csv", "analyst",
                     [](std::int64_t, const JobQueue::Report&) { return Ok("{\"added\":3}"); });
  ASSERT_TRUE(id.has_value());
  auto job = q.WaitFor(*id, 10s);
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->state, JobState::kDone);
  json j = json::parse(JobJson(*job));
  EXPECT_EQ(j["state"], "done");
  EXPECT_EQ(j["status"], 201);
  EXPECT_EQ(j["result"]["added"], 3);
  EXPECT_EQ(j["href"], "/api/v1/jobs/" + std::to_string(*id));
  EXPECT_EQ(j["subject"], "upload/a.csv");
  EXPECT_FALSE(j.contains("error"));
}

TEST(JobQueue, AFailedJobCarriesItsErrorBody) {
  JobQueue q(4, 10, Now);
  auto id = q.Submit("ingest", "upload/bad.csv", "analyst", [](std::int64_t, const JobQueue::Report&) {
    return JobOutcome{400, R"({"error":{"status":400,"code":"parse_error","message":"bad.csv: row 3, field 'x': no"}})"};
  });
  auto job = q.WaitFor(*id, 10s);
  ASSERT_EQ(job->state, JobState::kFailed);
  json j = json::parse(JobJson(*job));
  EXPECT_EQ(j["status"], 400);
  EXPECT_EQ(j["error"]["code"], "parse_error");
  EXPECT_EQ(j["error"]["message"], "bad.csv: row 3, field 'x': no");
  EXPECT_FALSE(j.contains("result"));
}

TEST(JobQueue, AnExceptionFailsTheJobNotTheQueue) {
  JobQueue q(4, 10, Now);
  auto bad = q.Submit("ingest", "x", "analyst", [](std::int64_t, const JobQueue::Report&) -> JobOutcome {
    throw std::runtime_error("boom");
  });
  auto good = q.Submit("ingest", "y", "analyst", [](std::int64_t, const JobQueue::Report&) { return Ok("{}"); });
  EXPECT_EQ(q.WaitFor(*bad, 10s)->state, JobState::kFailed);
  EXPECT_EQ(json::parse(JobJson(*q.Get(*bad)))["error"]["status"], 500);
  EXPECT_EQ(q.WaitFor(*good, 10s)->state, JobState::kDone);
}

TEST(JobQueue, OneAtATimeInOrderWithProgressAndABoundedQueue) {
  JobQueue q(1, 10, Now);  // one running, one waiting
  Gate first;
  auto a = q.Submit("ingest", "a", "analyst", first.Work());
  first.started.get_future().wait();
  auto running = q.Get(*a);
  EXPECT_EQ(running->state, JobState::kRunning);
  EXPECT_EQ(running->progress.done, 5u);
  EXPECT_EQ(running->progress.total, 10u);
  EXPECT_EQ(json::parse(JobJson(*running))["progress"]["unit"], "bytes");
  std::atomic<bool> b_ran{false};
  auto b = q.Submit("ingest", "b", "analyst", [&](std::int64_t, const JobQueue::Report&) {
    b_ran = true;
    return Ok("{}");
  });
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(q.Get(*b)->state, JobState::kQueued);
  EXPECT_FALSE(q.Submit("ingest", "c", "analyst", first.Work()).has_value()) << "the queue is full";
  EXPECT_EQ(q.Pending(), 2u);
  // Waiting a little for an unfinished job gives it as it is.
  EXPECT_EQ(q.WaitFor(*b, 10ms)->state, JobState::kQueued);
  EXPECT_FALSE(b_ran.load());
  first.release.set_value();
  EXPECT_EQ(q.WaitFor(*b, 10s)->state, JobState::kDone);
  EXPECT_TRUE(b_ran.load());
  EXPECT_EQ(q.Get(*a)->state, JobState::kDone);
  auto listed = q.List();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].id, *b) << "newest first";
}

TEST(JobQueue, TheHistoryIsBounded) {
  JobQueue q(10, 3, Now);
  std::int64_t last = 0;
  for (int k = 0; k < 6; ++k) {
    last = *q.Submit("ingest", std::to_string(k), "analyst", [](std::int64_t, const JobQueue::Report&) { return Ok("{}"); });
    q.WaitFor(last, 10s);
  }
  EXPECT_EQ(q.List().size(), 3u);
  EXPECT_FALSE(q.Get(1).has_value());
  EXPECT_FALSE(q.Get(999).has_value());
  EXPECT_TRUE(q.Get(last).has_value());
}

TEST(JobQueue, ShutdownLetsTheRunningJobFinishAndDropsTheQueued) {
  JobQueue q(4, 10, Now);
  Gate first;
  auto a = q.Submit("ingest", "a.csv", "analyst", first.Work());
  first.started.get_future().wait();
  std::atomic<bool> b_ran{false};
  auto b = q.Submit("ingest", "b.csv", "analyst", [&](std::int64_t, const JobQueue::Report&) {
    b_ran = true;
    return Ok("{}");
  });
  auto said = std::async(std::launch::async, [&] { return q.Shutdown(); });
  EXPECT_EQ(said.wait_for(50ms), std::future_status::timeout) << "it waits for the running job";
  EXPECT_FALSE(q.Submit("ingest", "c.csv", "analyst", first.Work()).has_value()) << "no new jobs once stopping";
  first.release.set_value();
  const std::string text = said.get();
  EXPECT_NE(text.find("job 1 (ingest a.csv)"), std::string::npos) << text;
  EXPECT_NE(text.find("1 queued job(s) dropped"), std::string::npos) << text;
  EXPECT_EQ(q.Get(*a)->state, JobState::kDone);
  auto dropped = q.Get(*b);
  EXPECT_EQ(dropped->state, JobState::kFailed);
  EXPECT_EQ(json::parse(JobJson(*dropped))["error"]["code"], "shutting_down");
  EXPECT_FALSE(b_ran.load());
  EXPECT_EQ(q.Shutdown(), "") << "idempotent";
}

}  // namespace
}  // namespace truce::server
