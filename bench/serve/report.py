#!/usr/bin/env python3
"""Prints bench/serve's table and its target lines from the runs' .stats files.

    report.py DIR CONNECTIONS IDLE

Each DIR/NAME.stats (written by run.sh) holds one wrk run:
"requests_per_s p50_ms p99_ms socket_errors non_2xx cpu_us_per_request".
"""
import os
import sys


def load(directory, name):
    path = os.path.join(directory, name + ".stats")
    if not os.path.exists(path):
        return None
    rps, p50, p99, err, _, cpu = open(path).read().split()
    return {"rps": float(rps), "p50": float(p50), "p99": float(p99), "err": int(err), "cpu": float(cpu)}


def main():
    directory, conns, idle = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    scenarios = [
        ("agreement", f"agreement GET, cached, c={conns}"),
        ("incidents", f"incidents filtered, one URL (cached), c={conns}"),
        ("varied", f"incidents filtered, varied (uncached), c={conns}"),
        ("varied2", "incidents filtered, varied (uncached), c=2"),
    ]
    print(f"{'scenario':<58} {'truce req/s':>11} {'nginx req/s':>11} {'ratio':>6} "
          f"{'truce p50/p99 ms':>17} {'nginx p50/p99 ms':>17} {'CPU us/req t/n':>15}")
    for suffix, extra in (("", ""), ("_idle", f" + {idle} idle")):
        for key, label in scenarios:
            t = load(directory, f"{key}_truce{suffix}")
            n = load(directory, f"{key}_nginx{suffix}")
            if t is None:
                continue
            n_rps = f"{n['rps']:.0f}" if n else "-"
            ratio = f"{t['rps'] / n['rps']:.2f}x" if n else "-"
            t_lat = f"{t['p50']:.2f} / {t['p99']:.2f}"
            n_lat = f"{n['p50']:.2f} / {n['p99']:.2f}" if n else "-"
            cpu = f"{t['cpu']:.0f} / " + (f"{n['cpu']:.0f}" if n else "-")
            errors = t["err"] + (n["err"] if n else 0)
            note = f"  (socket errors: truce {t['err']}, nginx {n['err'] if n else 0})" if errors else ""
            print(f"{label + extra:<58} {t['rps']:>11.0f} {n_rps:>11} {ratio:>6} {t_lat:>17} {n_lat:>17} {cpu:>15}{note}")

    a_t, a_n = load(directory, "agreement_truce"), load(directory, "agreement_nginx")
    v, v2 = load(directory, "varied_truce"), load(directory, "varied2_truce")
    a_ti, a_ni = load(directory, "agreement_truce_idle"), load(directory, "agreement_nginx_idle")
    v_i = load(directory, "varied_truce_idle")
    print()
    print(f"cached GET: truce at {a_t['rps'] / a_n['rps']:.2f}x nginx requests/s (target >= 0.9x); "
          f"CPU per request {a_t['cpu'] / a_n['cpu']:.2f}x nginx's")
    print(f"uncached filtered query: p99 {v['p99']:.2f} ms at c={conns} (target <= 5 ms), "
          f"{v2['p99']:.2f} ms at c=2; {v['cpu'] / 1000:.2f} ms of CPU per request")
    if a_ti and a_ni and v_i:
        print(f"with {idle} idle connections: cached GET {100 * (a_ti['rps'] / a_t['rps'] - 1):+.0f}% req/s "
              f"(p99 {a_t['p99']:.2f} -> {a_ti['p99']:.2f} ms), nginx {100 * (a_ni['rps'] / a_n['rps'] - 1):+.0f}%; "
              f"uncached query {100 * (v_i['rps'] / v['rps'] - 1):+.0f}% req/s "
              f"(p99 {v['p99']:.2f} -> {v_i['p99']:.2f} ms)")


if __name__ == "__main__":
    main()
