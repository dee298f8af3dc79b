#!/usr/bin/env python3
"""Writes as jobs against a real `truce serve` on the Idlib example
(docs/api.md, "Jobs"): POST /ingest and /agreements answer 202 with a job at
once; GET /jobs/{id} follows it (polling, ?wait=); a failed job carries the
CLI's located error; a full queue is 503 with Retry-After; reads are answered
while an ingest job runs; SIGTERM during a job lets it finish, and a SIGKILL
leaves nothing half-written.

A job is kept running for as long as a test needs by holding the database's
write lock from here (`held_write_lock`): the job waits for it (the server's
--wait, 60 s by default) and goes on when it is released, so no job has to be
large enough to outlast the checks on a fast machine.

  tests/api/jobs_test.py --truce build/release/apps/truce
"""
import json
import os
import shutil
import signal
import socket
import sqlite3
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import servelib  # noqa: E402

TRUCE = None
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run_truce(*args):
    import subprocess
    p = subprocess.run([TRUCE, *args], capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        raise AssertionError(f"truce {' '.join(args)} exited {p.returncode}: {p.stderr}")
    return p


def acled_rows(prefix, n, day0=1):
    return servelib.acled_rows(prefix, n, day0, label="job test")


call = servelib.call


class held_write_lock:
    """Holds the SQLite database's write lock (BEGIN IMMEDIATE) while in the
    `with` block: a writer in another process waits for it; readers do not."""

    def __init__(self, db):
        self.db = db

    def __enter__(self):
        self.conn = sqlite3.connect(self.db, isolation_level=None)
        self.conn.execute("BEGIN IMMEDIATE")
        return self

    def __exit__(self, *exc):
        self.conn.execute("ROLLBACK")
        self.conn.close()
        return False


def accepts(port):
    """Whether something accepts connections on 127.0.0.1:`port`."""
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
        return True
    except OSError:
        return False


def counts(db):
    c = sqlite3.connect(db)
    try:
        reports = c.execute("SELECT count(*) FROM reports").fetchone()[0]
        files = c.execute("SELECT count(*) FROM files").fetchone()[0]
        changes, ruled = c.execute("SELECT changes, ruled FROM findings_state WHERE id = 1").fetchone()
        return reports, files, changes > ruled
    finally:
        c.close()


class JobsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="truce_jobs_")
        cls.db = os.path.join(cls.tmp, "demo.db")
        run_truce("--db", cls.db, "demo", "--no-serve")
        cls.tokens = {role: run_truce("--db", cls.db, "token", "create", "--role", role).stdout.strip()
                      for role in ("viewer", "analyst")}
        with open(os.path.join(REPO, "src", "server", "openapi.json")) as f:
            cls.openapi = json.load(f)
        cls.servers = []

    @classmethod
    def tearDownClass(cls):
        for s in cls.servers:
            if s.alive():
                s.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        # Each test on a copy of the example of its own.
        self.test_db = os.path.join(self.tmp, self._testMethodName + ".db")
        shutil.copyfile(self.db, self.test_db)

    def start(self, *extra):
        s = servelib.ServeProcess(TRUCE, self.test_db, *extra)
        self.servers.append(s)
        return s

    def submit(self, server, target, body, content_type="text/csv"):
        code, r, data = call(server.port, "POST", target, self.tokens["analyst"], body, content_type)
        self.assertEqual(code, 202, data[:300])
        accepted = json.loads(data)
        self.assertEqual(sorted(accepted), ["href", "job"])
        self.assertEqual(r.getheader("Location"), accepted["href"])
        self.assertEqual(accepted["href"], f"/api/v1/jobs/{accepted['job']}")
        return accepted

    def job(self, server, href, query=""):
        code, _, data = call(server.port, "GET", href + query, self.tokens["analyst"])
        self.assertEqual(code, 200, data[:300])
        job = json.loads(data)
        self.check_job_schema(job)
        return job

    def check_job_schema(self, job):
        try:
            import jsonschema
        except ImportError:
            return
        root = {"components": self.openapi["components"], "$ref": "#/components/schemas/Job"}
        jsonschema.Draft202012Validator(root).validate(job)

    def wait_ended(self, server, href, rounds=20):
        """The job once it has ended: ?wait=30 asked again while it runs (a
        one-row ingest re-rules every stored incident, which takes more than
        30 s under the sanitizers on a loaded machine)."""
        job = self.job(server, href, "?wait=30")
        for _ in range(rounds):
            if job["state"] not in ("queued", "running"):
                break
            job = self.job(server, href, "?wait=30")
        return job

    def wait_state(self, server, href, states, within_s=120):
        deadline = time.monotonic() + within_s
        while time.monotonic() < deadline:
            job = self.job(server, href)
            if job["state"] in states:
                return job
            time.sleep(0.02)
        self.fail(f"{href} never reached {states}: {job}")

    def test_ingest_is_202_then_polled_to_done(self):
        server = self.start()
        before = counts(self.test_db)[0]
        accepted = self.submit(server, "/api/v1/ingest?name=poll.csv", acled_rows("SYR-JOB-POLL", 3))
        job = self.wait_state(server, accepted["href"], ("done", "failed"))
        self.assertEqual(job["state"], "done", job)
        self.assertEqual(job["status"], 201)
        self.assertEqual(job["kind"], "ingest")
        self.assertEqual(job["subject"], "upload/poll.csv")
        self.assertEqual(job["result"]["added"], 3)
        self.assertIsNotNone(job["result"]["ruled"])
        self.assertIsNotNone(job["finished_at"])
        self.assertEqual(counts(self.test_db)[0], before + 3)
        # Done means readable: the new incidents are in the answers at once.
        code, _, data = call(server.port, "GET", "/api/v1/incidents?limit=1000&from=2020-03-01&to=2020-03-03",
                             self.tokens["viewer"])
        self.assertEqual(code, 200)
        sources = {i.get("source_id") for i in json.loads(data)["items"]}
        self.assertTrue(any(s and s.startswith("SYR-JOB-POLL") for s in sources), sources)
        # Listed, newest first; a viewer may not see jobs; an unknown one is 404.
        code, _, data = call(server.port, "GET", "/api/v1/jobs", self.tokens["analyst"])
        self.assertEqual(code, 200)
        listed = json.loads(data)["jobs"]
        self.assertEqual(listed[0]["id"], accepted["job"])
        for j in listed:
            self.check_job_schema(j)
        self.assertEqual(call(server.port, "GET", accepted["href"], self.tokens["viewer"])[0], 403)
        self.assertEqual(call(server.port, "GET", accepted["href"])[0], 401)
        code, _, data = call(server.port, "GET", "/api/v1/jobs/99999", self.tokens["analyst"])
        self.assertEqual(code, 404)
        self.assertIn("this server", json.loads(data)["error"]["message"])
        self.assertEqual(call(server.port, "GET", accepted["href"] + "?wait=x", self.tokens["analyst"])[0], 400)

    def test_wait_returns_when_the_job_ends(self):
        server = self.start()
        accepted = self.submit(server, "/api/v1/ingest?name=wait.csv", acled_rows("SYR-JOB-WAIT", 2000))
        job = self.wait_ended(server, accepted["href"])
        self.assertEqual(job["state"], "done", job)
        self.assertEqual(job["result"]["added"], 2000)
        # Asked again, an ended job answers at once, wait or not; waits above 30 s are cut to 30.
        self.assertEqual(self.job(server, accepted["href"], "?wait=3600")["state"], "done")

    def test_a_failed_job_carries_the_located_error_and_stores_nothing(self):
        server = self.start()
        before = counts(self.test_db)
        bad = acled_rows("SYR-JOB-BAD", 5).replace("2020-03-04", "2020-13-45")
        accepted = self.submit(server, "/api/v1/ingest?name=bad.csv", bad)
        job = self.wait_ended(server, accepted["href"])
        self.assertEqual(job["state"], "failed", job)
        self.assertEqual(job["status"], 400)
        self.assertEqual(job["error"]["code"], "parse_error")
        self.assertIn("upload/bad.csv: row 5, field 'event_date'", job["error"]["message"])
        self.assertNotIn("result", job)
        self.assertEqual(counts(self.test_db), before)
        # An agreement that does not validate: file:line:column.
        accepted = self.submit(server, "/api/v1/agreements?name=broken.yaml", "id: [unclosed",
                               content_type="application/yaml")
        job = self.wait_ended(server, accepted["href"])
        self.assertEqual(job["state"], "failed", job)
        self.assertEqual(job["status"], 400)
        self.assertRegex(job["error"]["message"], r"broken\.yaml:\d+:\d+")
        # What is cheap to check is refused at once, without a job.
        code, _, data = call(server.port, "POST", "/api/v1/ingest?format=xls", self.tokens["analyst"], "a")
        self.assertEqual(code, 400, data)
        code, _, data = call(server.port, "POST", "/api/v1/agreements", self.tokens["analyst"], "x", "text/plain")
        self.assertEqual(code, 400, data)

    def test_a_full_queue_is_503_and_reads_are_answered_during_a_job(self):
        server = self.start("--work-queue", "0")
        with held_write_lock(self.test_db):
            big = self.submit(server, "/api/v1/ingest?name=long.csv", acled_rows("SYR-JOB-LONG", 2000))
            running = self.wait_state(server, big["href"], ("running", "done", "failed"))
            self.assertEqual(running["state"], "running", running)
            # Nothing may wait beside the running job: the next write is refused.
            code, r, data = call(server.port, "POST", "/api/v1/ingest?name=more.csv", self.tokens["analyst"],
                                 acled_rows("SYR-JOB-MORE", 1))
            self.assertEqual(code, 503, data)
            self.assertEqual(json.loads(data)["error"]["code"], "busy")
            self.assertGreaterEqual(int(r.getheader("Retry-After")), 1)
            # Reads are answered while it runs: none waits for the job.
            for target in ("/api/v1/health", "/api/v1/incidents?limit=5", "/api/v1/findings?limit=5",
                           "/api/v1/map?zoom=6"):
                code, _, data = call(server.port, "GET", target, self.tokens["viewer"])
                self.assertEqual(code, 200, f"{target}: {data[:200]!r}")
            progress = self.job(server, big["href"])
            self.assertEqual(progress["state"], "running", progress)
            self.assertIn(progress["progress"]["phase"], ("reading", "storing", "ruling", "indexing"))
        job = self.wait_ended(server, big["href"])
        self.assertEqual(job["state"], "done", job)
        self.assertEqual(job["result"]["added"], 2000)
        # The queue has room again.
        accepted = self.submit(server, "/api/v1/ingest?name=more.csv", acled_rows("SYR-JOB-MORE", 1))
        self.assertEqual(self.wait_ended(server, accepted["href"])["state"], "done")

    def test_sigterm_during_a_job_lets_it_finish(self):
        db = self.test_db
        server = self.start()
        before = counts(db)[0]
        with held_write_lock(db):
            accepted = self.submit(server, "/api/v1/ingest?name=term.csv", acled_rows("SYR-JOB-TERM", 2000))
            self.wait_state(server, accepted["href"], ("running",))
            server.proc.send_signal(signal.SIGTERM)
            # Stopping: it no longer accepts connections, and waits for the
            # job, which waits for the lock.
            deadline = time.monotonic() + 60
            while accepts(server.port) and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertFalse(accepts(server.port), "SIGTERM was not taken in 60 s")
            time.sleep(0.5)
            self.assertTrue(server.alive(), server.log())
        code = server.stop(timeout=240)
        self.assertEqual(code, 0, server.log())
        self.assertIn(f"waiting for job {accepted['job']} (ingest upload/term.csv) to finish; it finished",
                      server.log())
        reports, files, stale = counts(db)
        self.assertEqual(reports, before + 2000)
        self.assertFalse(stale, "the job ruled before the server exited")

    def test_sigkill_during_a_job_leaves_nothing_half_written(self):
        db = self.test_db
        server = self.start()
        before_reports, before_files, _ = counts(db)
        accepted = self.submit(server, "/api/v1/ingest?name=kill.csv", acled_rows("SYR-JOB-KILL", 20000))
        self.wait_state(server, accepted["href"], ("running",))
        time.sleep(0.5)  # somewhere inside it
        server.kill()
        reports, files, _ = counts(db)
        # All or nothing: the file's rows with its record, or neither.
        self.assertIn((reports - before_reports, files - before_files), ((0, 0), (20000, 1)))
        # Jobs are per process: a restarted server does not know the job, and rules what was left unruled.
        server = self.start()
        self.assertEqual(call(server.port, "GET", accepted["href"], self.tokens["analyst"])[0], 404)
        self.assertFalse(counts(db)[2])
        server.stop()


def main():
    servelib.unittest_main(globals())


if __name__ == "__main__":
    main()
