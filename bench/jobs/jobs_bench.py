#!/usr/bin/env python3
"""bench/jobs: reads with one and two `truce serve` on one PostgreSQL
database (wrk, cached and uncached), the p99 of reads idle and while a
100 000-row ingest job runs, and the time until a write through one server
shows in the other. Run by bench/jobs/run.sh (which starts the throwaway
PostgreSQL server); a measurement, it asserts nothing.

  jobs_bench.py --truce BIN --db URL --out bench/out/jobs.json [--incidents N] [--job-rows N]
                [--duration S] [--connections C] [--visibility-rounds K]
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests"))
import servelib  # noqa: E402

CACHED = "/api/v1/incidents?agreement=idlib-2020-protocol&status=violation&limit=100"
VARY = os.path.join(ROOT, "bench", "serve", "vary.lua")
wrk_runs = 0


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def truce(binary, *args):
    t0 = time.monotonic()
    p = subprocess.run([binary, *args], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"truce {' '.join(args)}: exit {p.returncode}: {p.stderr[-2000:]}")
    return time.monotonic() - t0, p.stdout


def ms(v):
    for unit, f in (("us", 1e-3), ("ms", 1.0), ("s", 1e3), ("m", 6e4)):
        if v.endswith(unit) and re.match(r"^[0-9.]+$", v[:-len(unit)]):
            return float(v[:-len(unit)]) * f
    return float(v)


def wrk(port, seconds, conns, script=None):
    """One wrk run: requests/s, p50 and p99 in ms, non-2xx count."""
    global wrk_runs
    wrk_runs += 1
    cmd = ["wrk", "-t1", f"-c{conns}", f"-d{seconds}s", "--latency"]
    if script:
        cmd += ["-s", script]
    cmd.append(f"http://127.0.0.1:{port}" + ("" if script else CACHED))
    if script:
        cmd += ["--", str(wrk_runs)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    got = {"rps": float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1)),
           "p50_ms": ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
           "p99_ms": ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
           "non2xx": int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)) else 0}
    if got["non2xx"]:
        log(f"warning: {got['non2xx']} answers were not 2xx:\n{out}")
    return got


def wrk_both(ports, seconds, conns, script=None):
    """wrk on each server at once (conns split between them): summed
    requests/s, the worse p99."""
    results = [None] * len(ports)

    def one(i):
        results[i] = wrk(ports[i], seconds, max(1, conns // len(ports)), script)
    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(ports))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"rps": sum(r["rps"] for r in results), "p50_ms": max(r["p50_ms"] for r in results),
            "p99_ms": max(r["p99_ms"] for r in results), "non2xx": sum(r["non2xx"] for r in results)}


def http(port, method, target, token=None, body=None, timeout=60):
    req = urllib.request.Request(f"http://127.0.0.1:{port}{target}", data=body, method=method)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    if body is not None:
        req.add_header("Content-Type", "text/csv")
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, r.read()


def job_state(port, href, token):
    return json.loads(http(port, "GET", href, token)[1])


def one_row_csv(day, tag):
    """One ACLED row on `day` (a day no other row has), from the example's first row."""
    import csv
    import io
    with open(os.path.join(ROOT, "examples", "idlib-2020", "incidents-2020.csv"), newline="") as f:
        rows = list(csv.reader(f))
    header, row = rows[0], list(rows[1])
    row[header.index("event_id_cnty")] = f"SYR-VIS-{tag}"
    row[header.index("event_date")] = day
    row[header.index("notes")] = f"Shelling, visibility probe {tag}."
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerow(row)
    return out.getvalue().encode()


def visibility(a, b, token, rounds):
    """Each round: a one-row ingest job through A on a day of its own; B
    polled every 5 ms for that day's incidents. Seconds from A's job done
    (A's own readers see it) to B answering it (negative: B first, its
    follower built its index while A's job built A's), and from the POST
    (the job itself: storing, re-ruling every incident, indexing)."""
    after_done, after_post, job_s = [], [], []
    for k in range(rounds):
        day = f"2021-01-{k + 1:02d}"
        target = f"/api/v1/incidents?from={day}&to={day}&limit=10"
        t_post = time.monotonic()
        _, body = http(a.port, "POST", f"/api/v1/ingest?name=vis{k}.csv", token, one_row_csv(day, k))
        href = json.loads(body)["href"]
        seen = {}

        def watch_b():
            while True:
                if json.loads(http(b.port, "GET", target)[1])["items"]:
                    seen["b"] = time.monotonic()
                    return
                time.sleep(0.005)
        t = threading.Thread(target=watch_b)
        t.start()
        while True:
            j = job_state(a.port, href, token)
            if j["state"] in ("done", "failed"):
                t_done = time.monotonic()
                break
            time.sleep(0.005)
        if j["state"] != "done":
            sys.exit(f"visibility job failed: {j}")
        t.join(timeout=600)
        after_done.append(seen["b"] - t_done)  # < 0: B before A's job showed done
        after_post.append(seen["b"] - t_post)
        job_s.append(t_done - t_post)
        log(f"  round {k + 1}: job {t_done - t_post:.2f} s, B saw it {seen['b'] - t_done:+.3f} s after A's done")
    return {"after_done_s": after_done, "after_post_s": after_post, "job_s": job_s}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--truce", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--incidents", type=int, default=100000)
    ap.add_argument("--job-rows", type=int, default=100000)
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--visibility-rounds", type=int, default=5)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="truce-jobs-bench-")
    gen = os.path.join(ROOT, "bench", "serve", "gen_incidents.py")

    log(f"== data: Idlib example + {args.incidents} synthetic incidents on {args.db}")
    truce(args.truce, "--db", args.db, "demo", "--no-serve")
    base_csv = os.path.join(tmp, "base.csv")
    subprocess.run([sys.executable, gen, base_csv, str(args.incidents)], check=True)
    t_ingest, _ = truce(args.truce, "--db", args.db, "ingest", base_csv)
    t_rule, _ = truce(args.truce, "--db", args.db, "rule")
    log(f"ingest {t_ingest:.1f} s, rule {t_rule:.1f} s")
    job_csv = os.path.join(tmp, "job.csv")
    subprocess.run([sys.executable, gen, job_csv, str(args.job_rows), "SYR-JOB"], check=True)
    token = truce(args.truce, "--db", args.db, "token", "create", "--role", "analyst")[1].strip()

    flags = ("--anonymous-read", "--rate-limit", "0", "--threads", "2")
    a = servelib.ServeProcess(args.truce, args.db, *flags)
    b = servelib.ServeProcess(args.truce, args.db, *flags)
    res = {"incidents": args.incidents, "job_rows": args.job_rows, "duration_s": args.duration,
           "connections": args.connections, "setup": {"ingest_s": t_ingest, "rule_s": t_rule}}
    d, c = args.duration, args.connections
    try:
        wrk(a.port, 2, c)  # warm both
        wrk(b.port, 2, c)
        log("== reads, one server and two")
        res["cached_1"] = wrk(a.port, d, c)
        res["cached_2"] = wrk_both([a.port, b.port], d, c)
        res["uncached_1"] = wrk(a.port, d, c, VARY)
        res["uncached_2"] = wrk_both([a.port, b.port], d, c, VARY)
        for k in ("cached_1", "cached_2", "uncached_1", "uncached_2"):
            log(f"  {k}: {res[k]['rps']:.0f} req/s, p99 {res[k]['p99_ms']:.2f} ms")

        log("== write through A, seen by B")
        res["visibility"] = visibility(a, b, token, args.visibility_rounds)

        log(f"== p99 idle, then during a {args.job_rows}-row ingest job on A")
        res["idle_uncached"] = wrk(a.port, d, c, VARY)
        res["idle_cached"] = wrk(a.port, d, c)
        with open(job_csv, "rb") as f:
            _, body = http(a.port, "POST", "/api/v1/ingest?name=job.csv", token, f.read(), timeout=600)
        href = json.loads(body)["href"]
        t_job = time.monotonic()
        while job_state(a.port, href, token)["state"] == "queued":
            time.sleep(0.05)
        res["busy_uncached"] = wrk(a.port, d, c, VARY)
        res["busy_cached"] = wrk(a.port, d, c)
        res["busy_uncached_b"] = wrk(b.port, d, c, VARY)
        during = job_state(a.port, href, token)
        res["job_still_running_after_reads"] = during["state"] == "running"
        res["job_phase_after_reads"] = during["progress"]["phase"]
        # Not waited for: the reads were measured while it ran. The servers
        # are killed below (its transaction rolls back).
        res["job"] = {"state": during["state"], "phase": during["progress"]["phase"],
                      "seconds_seen_running": time.monotonic() - t_job}
        for k in ("idle_uncached", "busy_uncached", "busy_uncached_b", "idle_cached", "busy_cached"):
            log(f"  {k}: {res[k]['rps']:.0f} req/s, p50 {res[k]['p50_ms']:.2f} ms, p99 {res[k]['p99_ms']:.2f} ms")
        log(f"  job: {res['job']}, still running after the reads: {res['job_still_running_after_reads']} "
            f"({res['job_phase_after_reads']})")
    finally:
        for s in (a, b):
            s.kill()

    v = res["visibility"]
    med, worst = statistics.median(v["after_done_s"]), max(v["after_done_s"])
    table = [
        {"path": f"cached GET, 2 servers on one PG, c={c}", "ours": f"{res['cached_2']['rps']:.0f} req/s",
         "baseline": "1 server", "theirs": f"{res['cached_1']['rps']:.0f} req/s",
         "ratio": f"{res['cached_2']['rps'] / res['cached_1']['rps']:.2f}x", "goal": ""},
        {"path": f"uncached incidents, 2 servers on one PG, c={c}", "ours": f"{res['uncached_2']['rps']:.0f} req/s",
         "baseline": "1 server", "theirs": f"{res['uncached_1']['rps']:.0f} req/s",
         "ratio": f"{res['uncached_2']['rps'] / res['uncached_1']['rps']:.2f}x", "goal": ""},
        {"path": f"p99 uncached read during a {args.job_rows // 1000} k-row ingest job",
         "ours": f"{res['busy_uncached']['p99_ms']:.1f} ms", "baseline": "idle",
         "theirs": f"{res['idle_uncached']['p99_ms']:.1f} ms",
         "ratio": f"{res['busy_uncached']['p99_ms'] / res['idle_uncached']['p99_ms']:.2f}x", "goal": "<= 2x"},
        {"path": f"p99 cached read during a {args.job_rows // 1000} k-row ingest job",
         "ours": f"{res['busy_cached']['p99_ms']:.2f} ms", "baseline": "idle",
         "theirs": f"{res['idle_cached']['p99_ms']:.2f} ms",
         "ratio": f"{res['busy_cached']['p99_ms'] / res['idle_cached']['p99_ms']:.2f}x", "goal": "<= 2x"},
        {"path": f"write via A visible in B after A's job done ({args.incidents // 1000} k incidents)",
         "ours": f"{med:+.2f} s median, {worst:+.2f} s max", "baseline": "the job itself",
         "theirs": f"{statistics.median(v['job_s']):.1f} s", "ratio": "",
         "goal": "<= 1 s"},
    ]
    res["table"] = table
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(res, f, indent=1)
    for row in table:
        print(f"{row['path']:<62} {row['ours']:>24}  {row['baseline']:>8} {row['theirs']:>12}  "
              f"{row['ratio']:>6}  {row['goal']}")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
