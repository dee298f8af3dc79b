#!/usr/bin/python3
"""Prints ONE table of every benchmark's figures from bench/out/*.json (what
each bench/<name>/run.sh writes): each hot path, our figure, each baseline's
figure from the same run, the ratio, and the goal (issue 14).

A bench's JSON may carry its own rows as {"table": [{"path", "ours",
"baseline", "theirs", "ratio", "goal"}, ...]}; acled_load.json and
scale.json are read as they are. A bench that wrote nothing is named.

Usage: summary.py [OUT_DIR]   (default bench/out)
"""
import json
import os
import sys


def acled_load(d):
    rows = []
    if d.get("ingest_s"):
        rows.append(("ingest 392 MB ACLED, end to end", f"{d['ingest_s']:.1f} s", "sqlite3 .import",
                     f"{d['sqlite_import_s']:.1f} s", f"{d['ingest_s'] / d['sqlite_import_s']:.2f}x its time",
                     "<= 1x"))
        rows.append(("database size / CSV", f"{d['db_mb'] / d['csv_mb']:.2f}x", "sqlite3 .import",
                     f"{d['sqlite_import_db_mb'] / d['csv_mb']:.2f}x", "", "<= 1.5x"))
        rows.append(("ingest peak memory / file", f"{d['ingest_peak_rss_mb'] / d['csv_mb']:.2f}x", "", "", "",
                     ""))
    rows.append(("ACLED reader alone", f"{d['reader_s']:.2f} s", "pandas.read_csv", f"{d['pandas_s']:.1f} s",
                 f"{d['pandas_s'] / d['reader_s']:.1f}x faster", ">= 30x"))
    rows.append(("", "", "Python csv", f"{d['pycsv_s']:.1f} s", f"{d['pycsv_s'] / d['reader_s']:.1f}x faster",
                 ">= 10x"))
    rows.append(("reader peak memory / file", f"{d['peak_rss_mb'] / d['csv_mb']:.2f}x", "", "", "", "<= 1.1x"))
    return rows


def scale(d):
    rows = []
    for r in d:
        if r["step"] in ("ingest", "rule"):
            rows.append((f"{r['step']} {r['incidents'] / 1e6:g} M incidents (CLI)", f"{r['wall_s']:.0f} s",
                         "peak memory", f"{r['peak_rss_mb']:.0f} MB", "", "<= 2 GB" if r["incidents"] >= 1e7 else ""))
    return rows


def pg(d):
    return [(f"{r['step']} {r['incidents'] / 1e6:g} M incidents on PostgreSQL", f"{r['pg_wall_s']:.1f} s",
             "the same on SQLite", f"{r['sqlite_wall_s']:.1f} s", f"{r['ratio']}", "") for r in d]


READERS = {"acled_load": acled_load, "scale": scale, "pg": pg}
ORDER = ["acled_load", "scale", "rule", "serve", "extract", "pg", "jobs"]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "bench/out"
    rows, missing = [], []
    names = ORDER + sorted(n[:-5] for n in os.listdir(out) if n.endswith(".json") and n[:-5] not in ORDER) \
        if os.path.isdir(out) else ORDER
    for name in names:
        path = os.path.join(out, name + ".json")
        if not os.path.exists(path):
            missing.append(name)
            continue
        d = json.load(open(path))
        if isinstance(d, dict) and "table" in d:
            got = [(t.get("path", ""), t.get("ours", ""), t.get("baseline", ""), t.get("theirs", ""),
                    t.get("ratio", ""), t.get("goal", "")) for t in d["table"]]
        elif name in READERS:
            got = READERS[name](d)
        else:
            missing.append(name)
            continue
        rows += [(name,) + r for r in got]
    head = ("bench", "hot path", "ours", "baseline", "theirs", "ratio", "goal")
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()
    print(line(head))
    print(line(tuple("-" * w for w in widths)))
    for r in rows:
        print(line(r))
    if missing:
        print("no figures written (bench/out/NAME.json) by: " + ", ".join(missing))


if __name__ == "__main__":
    main()
