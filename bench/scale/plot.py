#!/usr/bin/python3
"""Plots bench/out/scale.json (bench/scale/run.sh): time and peak memory of
ingest and rule against the number of incidents, log-log, with a line of
slope 1 (linear growth) through the smallest ingest's CPU time for reference.

Usage: plot.py SCALE.json OUT.png   (needs python3-matplotlib)
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    rows = json.load(open(sys.argv[1]))
    fig, (ax_t, ax_m) = plt.subplots(1, 2, figsize=(10, 4))
    for step, colour in (("ingest", "tab:blue"), ("rule", "tab:orange")):
        pts = sorted((r["incidents"], r) for r in rows if r["step"] == step)
        if not pts:
            continue
        n = [p[0] / 1e6 for p in pts]
        ax_t.plot(n, [p[1]["wall_s"] for p in pts], "o-", color=colour, label=step + " (wall)")
        ax_t.plot(n, [p[1]["cpu_s"] for p in pts], "x--", color=colour, label=step + " (CPU)")
        ax_m.plot(n, [p[1]["peak_rss_mb"] for p in pts], "o-", color=colour, label=step)
    # Through the first ingest's CPU time: on a shared machine the wall time
    # of one step moves with the load beside it, the CPU time much less.
    ingest = sorted((r["incidents"], r["cpu_s"]) for r in rows if r["step"] == "ingest")
    if len(ingest) > 1:
        n0, t0 = ingest[0]
        xs = [n0 / 1e6, ingest[-1][0] / 1e6]
        ax_t.plot(xs, [t0, t0 * ingest[-1][0] / n0], ":", color="grey", label="linear from the first ingest (CPU)")
    for ax, title, unit in ((ax_t, "time per step", "seconds"), (ax_m, "peak memory per step", "MB")):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("incidents (millions)")
        ax.set_ylabel(unit)
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=100)
    print("wrote", sys.argv[2])


if __name__ == "__main__":
    main()
