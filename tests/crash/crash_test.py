#!/usr/bin/env python3
"""Crash test: kill -9 `truce ingest` and `truce serve` (during POST /ingest) at
random moments, then check what a restart finds.

After every kill:
  - `PRAGMA integrity_check` is ok (SQLite);
  - every file is stored whole or not at all: a file recorded in `files` has
    exactly its rows as reports and incidents, a file not recorded has none;
  - every line the killed ingest printed names a file that is stored (a line
    is printed, and flushed, only after its file commits);
After every server kill, a restarted server re-rules what was never ruled:
  - the stale-findings mark is clear once it serves;
  - the stored findings are exactly those a fresh `truce rule` computes
    (every incident has its findings).

Kill moments are drawn uniformly over a calibrated, uninterrupted run (so the
same test covers Release and sanitizer builds) from a seeded generator; the
seed is printed, and --seed replays a run.

    crash_test.py --truce PATH [--backend sqlite|postgresql] [--ingest-kills N] [--serve-kills N] [--seed S] [--files F] [--rows R]

DEFAULTS: 24 ingest kills, 8 server kills, 10 files of 200 rows (the short run
of the suite, `crash_short`); bench/crash/run.sh runs 200 kills.

Prints one table row per kind of kill; exits 1 if any check failed.
"""
import argparse
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import pglib  # noqa: E402
import servelib  # noqa: E402

BACKEND = None  # pglib.Backend (--backend sqlite|postgresql)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(REPO, "examples", "idlib-2020")
AGREEMENTS = [os.path.join(EXAMPLE, "sochi-memorandum-2018.yaml"),
              os.path.join(EXAMPLE, "additional-protocol-2020.yaml")]


def make_files(tmp, n_files, rows, rng, prefix="batch"):
    """ACLED files of distinct rows (every row's text is unique), around Idlib
    before and after the 2020 protocol's entry into force."""
    with open(os.path.join(EXAMPLE, "incidents-2020.csv"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    header, templates = lines[0], [l for l in lines[1:] if l.strip()]
    paths = []
    for k in range(n_files):
        path = os.path.join(tmp, f"{prefix}{k:02d}.csv")
        with open(path, "w", encoding="utf-8") as out:
            out.write(header + "\n")
            for i in range(rows):
                t = templates[(k * rows + i) % len(templates)].split(",")
                t[0] = f"SYR-{prefix.upper()}-{k:02d}-{i:05d}"
                day = 1 + (k + i) % 28
                t[1] = f"{day:02d} March 2020"
                t[22] = f"{35.5 + rng.random() * 0.6:.4f}"   # latitude
                t[23] = f"{36.3 + rng.random() * 0.6:.4f}"   # longitude
                out.write(",".join(t) + "\n")
        paths.append(path)
    return paths


def sha256_file(path):
    import hashlib
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class Checker:
    def __init__(self, db, files, rows):
        self.db, self.rows = db, rows
        self.hash = {p: sha256_file(p) for p in files}
        self.failures = []

    def fail(self, what):
        self.failures.append(what)
        print("FAIL " + what, flush=True)

    def check_store(self, label, printed=()):
        if not BACKEND.pg:  # a PostgreSQL server's files are its own business
            ok = BACKEND.query(self.db, "PRAGMA integrity_check")[0][0]
            if ok != "ok":
                self.fail(f"{label}: integrity_check: {ok}")
        stored = stored_hashes(self.db)
        # Reports and incidents per file.
        reports_of = dict(BACKEND.query(self.db, "SELECT f.file_hash, COUNT(*) FROM reports r "
                                                 "JOIN source_files f ON f.id = r.source_file_id GROUP BY f.file_hash"))
        incidents_of = dict(BACKEND.query(self.db, "SELECT f.file_hash, COUNT(*) FROM incidents i "
                                                   "JOIN reports r ON r.id = i.report_id "
                                                   "JOIN source_files f ON f.id = r.source_file_id GROUP BY f.file_hash"))
        for path, h in self.hash.items():
            reports, incidents = int(reports_of.get(h, 0)), int(incidents_of.get(h, 0))
            want = self.rows if h in stored else 0
            if reports != want or incidents != want:
                self.fail(f"{label}: {os.path.basename(path)}: {reports} reports, {incidents} incidents, "
                          f"expected {want} (file {'recorded' if h in stored else 'not recorded'})")
        for path in printed:
            if self.hash[path] not in stored:
                self.fail(f"{label}: a line was printed for {os.path.basename(path)} but it is not stored")
        return len(stored)

    def findings(self, db=None):
        return sorted(tuple(str(v) for v in row) for row in BACKEND.query(
            db or self.db, "SELECT incident_id, agreement_id, provision_id, status, side, reason FROM findings"))

    def stale(self):
        changes, ruled = BACKEND.query(self.db, "SELECT changes, ruled FROM findings_state WHERE id = 1")[0]
        return int(changes) > int(ruled)


def truce(binary, db, *args, timeout=300):
    return subprocess.run([binary, "--db", db, *args], capture_output=True, text=True, timeout=timeout)


class Server(servelib.ServeProcess):
    def post(self, path, token, body, timeout=120):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        conn.request("POST", path, body=body, headers={"Authorization": "Bearer " + token,
                                                       "Content-Type": "text/csv"})
        r = conn.getresponse()
        data = r.read()
        conn.close()
        if r.status != 202:
            return r.status, data
        # A job: its end is the write's answer.
        return servelib.job_answer(servelib.await_job(self.port, json.loads(data), token, timeout))


def run_ingest_kills(binary, db, files, checker, rng, kills):
    """`truce ingest` of 1-3 random files, killed at a random moment."""
    t0 = time.monotonic()
    p = truce(binary, db, "ingest", files[0])  # calibration: one uninterrupted run
    if p.returncode != 0:
        raise RuntimeError("calibration ingest failed: " + p.stderr)
    span = (time.monotonic() - t0) * 2.5  # runs ingest up to three files
    handled = 0
    committed_unprinted = 0
    for n in range(kills):
        chosen = rng.sample(files, rng.randint(1, 3))
        delay = rng.uniform(0, span)
        stored_before = stored_hashes(db)
        proc = subprocess.Popen([binary, "--db", db, "ingest", *chosen], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate(timeout=60)
        printed = [f for f in chosen if any(line.startswith(f + ":") for line in out.splitlines())]
        before = len(checker.failures)
        checker.check_store(f"ingest kill {n + 1} at {delay:.3f} s ({proc.returncode})", printed)
        handled += len(checker.failures) == before
        # Stored by this run, yet killed before its line was printed.
        new = stored_hashes(db) - stored_before
        committed_unprinted += sum(1 for f in chosen if checker.hash[f] in new and f not in printed and
                                   proc.returncode == -signal.SIGKILL)
    return handled, committed_unprinted


def run_serve_kills(binary, db, files, probe, checker, rng, kills, token):
    """POST /ingest of a random file to `truce serve`, the server killed at a
    random moment; then a restart must leave no stale findings. `probe`, a
    file of its own, times one uninterrupted POST (storing and re-ruling)."""
    server = Server(binary, db)
    with open(probe, "rb") as f:
        body = f.read()
    t0 = time.monotonic()
    status, data = server.post("/api/v1/ingest?name=" + os.path.basename(probe), token, body)
    span = (time.monotonic() - t0) * 1.5
    server.stop()
    stale_at_kill = 0
    if status != 201:
        raise RuntimeError(f"calibration POST /ingest answered {status}: {data[:300]!r}")
    handled = 0
    for n in range(kills):
        server = Server(binary, db)  # the restart under test (after the first round)
        path = rng.choice(files)
        with open(path, "rb") as f:
            body = f.read()
        delay = rng.uniform(0, span)
        result = {}

        def post():
            try:
                result["status"] = server.post("/api/v1/ingest?name=" + os.path.basename(path), token, body)[0]
            except OSError as e:  # the server died under it
                result["error"] = str(e)

        t = threading.Thread(target=post)
        t.start()
        time.sleep(delay)
        server.kill()
        t.join(timeout=60)
        before = len(checker.failures)
        label = f"serve kill {n + 1} at {delay:.3f} s"
        checker.check_store(label)
        stale_at_kill += checker.stale()
        # The restart: re-rules at start what a killed server never ruled.
        server = Server(binary, db)
        if checker.stale():
            checker.fail(f"{label}: after a restart the findings are still marked stale "
                         "(the server must call Engine::RuleIfStale at start)")
        server.stop()
        served = checker.findings()
        shadow = BACKEND.copy_db(db, os.path.dirname(probe), "shadow.db")
        p = truce(binary, shadow, "rule")
        if p.returncode != 0:
            checker.fail(f"{label}: truce rule on a copy failed: {p.stderr}")
        else:
            ruled = checker.findings(shadow)
            if ruled != served:
                checker.fail(f"{label}: the findings after restart ({len(served)}) differ from a fresh rule "
                             f"({len(ruled)})")
        BACKEND.drop_db(shadow)
        handled += len(checker.failures) == before
    return handled, stale_at_kill


def stored_hashes(db):
    return {h for (h,) in BACKEND.query(db, "SELECT file_hash FROM files")}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--truce", required=True)
    ap.add_argument("--ingest-kills", type=int, default=24)
    ap.add_argument("--serve-kills", type=int, default=8)
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--files", type=int, default=10)
    ap.add_argument("--rows", type=int, default=200)
    pglib.Backend.add_argument(ap)
    a = ap.parse_args()
    global BACKEND
    BACKEND = pglib.Backend.from_args(a)
    binary = os.path.abspath(a.truce)
    seed = a.seed if a.seed is not None else random.SystemRandom().randrange(1 << 32)
    print(f"crash test seed {seed} (replay with --seed {seed}), {BACKEND.name}", flush=True)
    rng = random.Random(seed)
    tmp = tempfile.mkdtemp(prefix="truce_crash_")
    try:
        db = BACKEND.new_db(tmp, "t.db")
        files = make_files(tmp, a.files, a.rows, rng)
        # The server gets files of its own, so that its POSTs store new rows.
        served_files = make_files(tmp, a.files, a.rows, rng, prefix="served")
        probe = make_files(tmp, 1, a.rows, rng, prefix="probe")[0]
        for args in (["init"], ["agreement", "add", *AGREEMENTS]):
            p = truce(binary, db, *args)
            if p.returncode != 0:
                raise RuntimeError(" ".join(args) + ": " + p.stderr)
        checker = Checker(db, files + served_files + [probe], a.rows)
        t0 = time.monotonic()
        ingest_ok, unprinted = run_ingest_kills(binary, db, files, checker, rng, a.ingest_kills)
        t1 = time.monotonic()
        token = truce(binary, db, "token", "create", "--role", "analyst").stdout.strip()
        serve_ok, stale_at_kill = (run_serve_kills(binary, db, served_files, probe, checker, rng, a.serve_kills,
                                                   token) if a.serve_kills else (0, 0))
        t2 = time.monotonic()
        stored = len(stored_hashes(db))
        print()
        print("| fault | cases tried | cases handled | seconds |")
        print("| --- | --- | --- | --- |")
        print(f"| kill -9 of `truce ingest` (1-3 files of {a.rows} rows) at a random moment | {a.ingest_kills} | "
              f"{ingest_ok} | {t1 - t0:.1f} |")
        print(f"| kill -9 of `truce serve` during POST /ingest, then restart | {a.serve_kills} | {serve_ok} | "
              f"{t2 - t1:.1f} |")
        print(f"\n{stored} of {len(checker.hash)} files stored in the end; {unprinted} file(s) committed without their "
              "line (killed after the commit, before the print: e.g. in the WAL checkpoint SQLite runs as part of "
              f"a COMMIT); {stale_at_kill} server kill(s) left stored incidents unruled (committed, killed before "
              "re-ruling), each ruled by the restart")
        if checker.failures:
            print(f"\n{len(checker.failures)} check(s) failed (seed {seed})")
            return 1
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
