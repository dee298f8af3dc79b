"""A `truce serve` process on a free port, for the Python tests that talk to a
real server (tests/api, tests/crash).

Its standard error (error log, and the access log when asked for) goes to a
file beside the database (for a postgresql:// database, in the temporary
directory), so that a full pipe never blocks the server.
"""
import os
import signal
import subprocess
import sys
import tempfile
import time

CLK_TCK = os.sysconf("SC_CLK_TCK")
_logs = None


def _log_dir():
    """Where the logs of servers on a PostgreSQL database go (removed at exit)."""
    global _logs
    if _logs is None:
        import atexit
        import shutil
        _logs = tempfile.mkdtemp(prefix="truce-serve-")
        atexit.register(shutil.rmtree, _logs, True)
    return _logs


class ServeProcess:
    def __init__(self, truce, db, *extra, preexec_fn=None, access_log="off", env=None):
        base = db if not db.startswith("postgres") else os.path.join(_log_dir(), "serve")
        self.err_path = base + f".{os.getpid()}.{time.monotonic_ns()}.stderr"
        self.err = open(self.err_path, "w")
        self.killed = False  # by kill(): its exit is no news
        self.proc = subprocess.Popen(
            [truce, "--db", db, "serve", "--listen", "127.0.0.1:0", "--access-log", access_log, *extra],
            stdout=subprocess.PIPE, stderr=self.err, text=True, preexec_fn=preexec_fn, env=env)
        line = self.proc.stdout.readline()
        if "serving http://" not in line:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("truce serve did not start: " + line + self.log())
        self.port = int(line.split("http://127.0.0.1:")[1].split("/")[0])

    def log(self):
        if not self.err.closed:
            self.err.flush()
        with open(self.err_path, errors="replace") as f:
            return f.read()

    def alive(self):
        return self.proc.poll() is None

    def cpu_seconds(self):
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime

    def rss_kb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise AssertionError("no VmRSS")

    def stop(self, timeout=30):
        """SIGTERM (a graceful shutdown), SIGKILL after `timeout` seconds;
        the exit status."""
        if not self.alive() and self.proc.returncode != 0 and not self.killed:
            # It died by itself (a crash, a sanitizer's report): its log goes
            # with the test's output, since the file goes with the test's
            # temporary directory.
            print(f"truce serve (pid {self.proc.pid}) had exited with status {self.proc.returncode}; its log:\n"
                  + self.log()[-4000:], file=sys.stderr)
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._close()
        return self.proc.returncode

    def kill(self):
        """SIGKILL: the server dies wherever it is."""
        self.killed = True
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=30)
        self._close()

    def _close(self):
        self.proc.stdout.close()
        self.err.close()


def shard_of(suite, shard):
    """The tests of `suite` in shard "K/N" (1 <= K <= N). The units shared out
    are the test classes when there are at least N of them (a class's
    setUpClass then runs once), else the tests; unit i of the sorted list
    goes to shard i modulo N + 1. Every test is in exactly one shard,
    whatever tests are added later."""
    import unittest
    try:
        k, n = (int(x) for x in shard.split("/"))
    except ValueError:
        k = n = 0
    if not 1 <= k <= n:
        raise SystemExit(f"--shard {shard}: expected K/N with 1 <= K <= N")

    def flat(s):
        for t in s:
            if isinstance(t, unittest.TestSuite):
                yield from flat(t)
            else:
                yield t

    tests = sorted(flat(suite), key=lambda t: t.id())
    classes = sorted({t.id().rsplit(".", 1)[0] for t in tests})
    if len(classes) >= n:
        mine = set(classes[k - 1::n])
        return unittest.TestSuite(t for t in tests if t.id().rsplit(".", 1)[0] in mine)
    return unittest.TestSuite(tests[k - 1::n])


def unittest_main(module_globals):
    """The main of a unittest file that runs the binary given by --truce:
    sets the module's TRUCE to its absolute path and BACKEND to the
    pglib.Backend of --backend (sqlite or postgresql), passes the other
    arguments to unittest. --shard K/N runs the K-th of N shards of the
    module's tests (CTest runs the shards of a long file side by side)."""
    import argparse
    import sys
    import unittest
    import pglib
    parser = argparse.ArgumentParser()
    parser.add_argument("--truce", required=True)
    parser.add_argument("--shard", help="K/N: the K-th of N shards of the tests")
    pglib.Backend.add_argument(parser)
    args, rest = parser.parse_known_args()
    module_globals["TRUCE"] = os.path.abspath(args.truce)
    module_globals["BACKEND"] = pglib.Backend.from_args(args)
    print(f"backend: {args.backend}" + (f", shard {args.shard}" if args.shard else ""), file=sys.stderr, flush=True)
    if args.shard:
        module = sys.modules[module_globals["__name__"]]
        suite = shard_of(unittest.defaultTestLoader.loadTestsFromModule(module), args.shard)
        result = unittest.TextTestRunner(verbosity=2).run(suite)
        sys.exit(0 if result.wasSuccessful() else 1)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


def acled_rows(prefix, n, day0=1, label="test"):
    """An ACLED file of `n` rows made from the Idlib example's first row, in
    Idlib in March 2020 from day `day0` (ruled against the example's
    agreements); ids PREFIX-K, notes naming `label`."""
    import csv
    import io
    example = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples", "idlib-2020",
                           "incidents-2020.csv")
    with open(example, newline="") as f:
        rows = list(csv.reader(f))
    header, template = rows[0], rows[1]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    for k in range(n):
        row = list(template)
        row[header.index("event_id_cnty")] = f"{prefix}-{k}"
        row[header.index("event_date")] = f"2020-03-{day0 + k % (29 - day0):02d}"
        row[header.index("latitude")] = f"{35.3 + (k % 97) * 0.01:.4f}"
        row[header.index("longitude")] = f"{36.2 + (k // 97 % 89) * 0.01:.4f}"
        row[header.index("notes")] = f"Shelling, {label} row {k} of {prefix}."
        w.writerow(row)
    return out.getvalue()


def call(port, method, target, token=None, body=None, content_type="text/csv", headers=None, timeout=120):
    """One HTTP request to the server on 127.0.0.1:port, with a bearer token
    and a body (str or bytes, sent as content_type) when given; returns
    (status, response, body bytes)."""
    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    h = dict(headers or {})
    if token:
        h["Authorization"] = "Bearer " + token
    if body is not None:
        h["Content-Type"] = content_type
        body = body.encode() if isinstance(body, str) else body
    conn.request(method, target, body=body, headers=h)
    r = conn.getresponse()
    data = r.read()
    conn.close()
    return r.status, r, data


def await_job(port, accepted, token, timeout=300):
    """The end of a job a POST answered 202 for (`accepted`: its JSON body):
    polls GET /api/v1/jobs/ID?wait=10 until it is done or failed, and returns
    the job's JSON."""
    import http.client
    import json
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        conn.request("GET", accepted["href"] + "?wait=10", headers={"Authorization": "Bearer " + token})
        r = conn.getresponse()
        data = r.read()
        conn.close()
        if r.status != 200:
            raise AssertionError(f"GET {accepted['href']}: {r.status} {data[:300]!r}")
        job = json.loads(data)
        if job["state"] in ("done", "failed"):
            return job
    raise AssertionError(f"job {accepted['job']} did not end within {timeout} s")


def job_answer(job):
    """A finished job as the synchronous answer it stands for: (status, JSON
    bytes of its result, or of {"error": ...})."""
    import json
    body = job["result"] if job["state"] == "done" else {"error": job["error"]}
    return job["status"], json.dumps(body).encode()
