#!/usr/bin/python3
"""Scores Truce's matching against a labelled set (make_set.py), end to end.

Usage: score_matching.py SET_DIR [--truce BIN] [--matching YAML] [--agreement FILE]
                         [--work DIR] [--worst N] [--json OUT]
       score_matching.py --pairs INCIDENTS.csv TRUTH.csv   (the arithmetic alone)

In a temporary directory it runs the real CLI: `truce init`, optionally
`truce agreement add` (an agreement whose actor registry names the actors),
`truce ingest` of each file of SET_DIR/manifest.json in order (ingest places
new reports incrementally), then `truce incident list --format csv`; then
`truce reconcile` (everything matched again from scratch) and the list
again. For each stage it reports pairwise precision, recall and F1 of merges
(pairs of reports in one incident against pairs of records of one happening
in truth.csv), overall, by dataset pair and for the hard negatives, then the
worst failures of the last stage: false merges with the matcher's reason
(`truce incident show ID --format json`) and missed merges with what kept
them apart (day windows, distance against the radii, types, actors).
Exit status 0 when precision and recall both reach --goal (0.95), else 1.
"""
import argparse
import collections
import csv
import datetime as dt
import itertools
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

# Radii (km) of datasets' precision codes, as docs/datasets.md gives them; to explain misses only.
ACLED_RADIUS_KM = {1: 2, 2: 10, 3: 50}
UCDP_RADIUS_KM = {1: 2, 2: 25, 3: 50, 4: 100, 5: 100, 6: 250, 7: 100}
GDELT_RADIUS_KM = {1: 250, 2: 50, 3: 5, 4: 5, 5: 50}
UCDP_TYPES = {"1": "UCDP state-based", "2": "UCDP non-state", "3": "UCDP one-sided"}


# ---------------------------------------------------------------- pairs

def pairs_of(groups):
    """Every unordered pair of members of each group."""
    out = set()
    for members in groups:
        out.update(itertools.combinations(sorted(members), 2))
    return out


def prf(tp, predicted, true):
    p = tp / predicted if predicted else float("nan")
    r = tp / true if true else float("nan")
    f = (2 * p * r / (p + r) if p + r > 0 else 0.0) if predicted and true else float("nan")
    return p, r, f


def fmt(x):
    return "  n/a" if x != x else "%.3f" % x


def read_truth(path):
    """(dataset, source_id) -> truth row (happening, kind, detail, ...)."""
    truth = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            truth[(row["dataset"], row["source_id"])] = row
    return truth


def read_incidents(text):
    """report id -> (incident id, dataset, source id), from `incident list --format csv`."""
    reports = {}
    for row in csv.DictReader(text.splitlines()):
        ids = [x for x in row["reports"].split(";") if x]
        srcs = [x for x in row["source_ids"].split(";") if x]
        if len(ids) != len(srcs):
            raise SystemExit("incident %s: %d reports but %d source ids" % (row["incident"], len(ids), len(srcs)))
        for rid, src in zip(ids, srcs):
            dataset, _, source_id = src.partition(":")
            reports[int(rid)] = (int(row["incident"]), dataset, source_id)
    return reports


def score(reports, truth):
    """Pairs predicted and true, over the reports that truth.csv knows."""
    unknown = [(rid, r) for rid, r in reports.items() if (r[1], r[2]) not in truth]
    known = {rid: r for rid, r in reports.items() if (r[1], r[2]) in truth}
    by_incident, by_happening = collections.defaultdict(list), collections.defaultdict(list)
    for rid, (inc, ds, sid) in known.items():
        by_incident[inc].append(rid)
        by_happening[truth[(ds, sid)]["happening"]].append(rid)
    predicted, true = pairs_of(by_incident.values()), pairs_of(by_happening.values())
    return predicted, true, known, unknown


def pair_class(pair, known):
    return "-".join(sorted(known[r][1] for r in pair))


def table(predicted, true, known, truth):
    """Lines: overall, by dataset pair, pairs touching hard negatives."""
    rows = []
    tp = predicted & true
    p, r, f = prf(len(tp), len(predicted), len(true))
    rows.append(("all pairs", len(predicted), len(true), len(tp), p, r, f))
    classes = sorted({pair_class(x, known) for x in predicted | true})
    for c in classes:
        pc = {x for x in predicted if pair_class(x, known) == c}
        tc = {x for x in true if pair_class(x, known) == c}
        p, r, f = prf(len(pc & tc), len(pc), len(tc))
        rows.append((c, len(pc), len(tc), len(pc & tc), p, r, f))

    def kind(rid):
        return truth[(known[rid][1], known[rid][2])]["kind"]
    for k in ("neg-type", "neg-actors"):
        # A false merge of a negative's record with a record of another happening.
        fp = {x for x in predicted - true if k in (kind(x[0]), kind(x[1]))}
        pc = {x for x in predicted if k in (kind(x[0]), kind(x[1]))}
        rows.append(("%s: false merges" % k, len(pc), "", len(fp), None, None, None))
    lines = ["%-28s %9s %9s %9s %9s %9s %9s" % ("", "predicted", "true", "both", "precision", "recall", "F1")]
    for name, a, b, c, p, r, f in rows:
        if p is None:
            lines.append("%-28s %9s %9s %9s" % (name, a, b, c))
        else:
            lines.append("%-28s %9d %9d %9d %9s %9s %9s" % (name, a, b, c, fmt(p), fmt(r), fmt(f)))
    return lines


# ---------------------------------------------------------------- what each record says

class Record:
    """A record's point, radius, days, type and actors as its file gives them (for explanations)."""

    def __init__(self, lat, lon, radius_km, first, last, etype, actors, figure=""):
        self.lat, self.lon, self.radius_km = lat, lon, radius_km
        self.first, self.last, self.etype, self.actors, self.figure = first, last, etype, actors, figure


def day(text):
    return dt.date.fromisoformat(text.strip()[:10])


def load_records(set_dir, manifest):
    """(dataset, source id) -> Record, read from the set's files."""
    out = {}
    for name in manifest["files"]:
        path = os.path.join(set_dir, name)
        if name.startswith("acled"):
            sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
            from make_set import parse_day  # one reading of ACLED's dates
            with open(path, encoding="utf-8-sig", newline="") as f:
                for r in csv.DictReader(f):
                    d = parse_day(r["event_date"])
                    tp = int(r.get("time_precision") or 1)
                    first, last = (d, d) if tp == 1 else (d - dt.timedelta(days=3), d + dt.timedelta(days=3)) \
                        if tp == 2 else (d.replace(day=1), d.replace(day=28))
                    geo = int(r.get("geo_precision") or 0)
                    t = r["event_type"] + (": " + r["sub_event_type"] if r.get("sub_event_type") else "")
                    out[("acled", r["event_id_cnty"].strip())] = Record(
                        float(r["latitude"]), float(r["longitude"]), ACLED_RADIUS_KM.get(geo, 50), first, last, t,
                        [x for x in (r.get("actor1", ""), r.get("actor2", "")) if x], r.get("fatalities", ""))
        elif name.startswith("ucdp"):
            with open(path, encoding="utf-8", newline="") as f:
                for r in csv.DictReader(f):
                    out[("ucdp", r["id"])] = Record(
                        float(r["latitude"]), float(r["longitude"]), UCDP_RADIUS_KM.get(int(r["where_prec"]), 250),
                        day(r["date_start"]), day(r["date_end"]), UCDP_TYPES.get(r["type_of_violence"], "?"),
                        [r["side_a"], r["side_b"]], "best %s" % r["best"])
        elif name.startswith("gdelt"):
            with open(path, encoding="utf-8") as f:
                for line in f:
                    v = line.rstrip("\n").split("\t")
                    d = dt.date(int(v[1][:4]), int(v[1][4:6]), int(v[1][6:8]))
                    out[("gdelt", v[0])] = Record(float(v[56]), float(v[57]), GDELT_RADIUS_KM.get(int(v[51]), 250),
                                                  d, d, "CAMEO " + v[26], [x for x in (v[6], v[16]) if x])
        elif name.endswith(".geojson"):
            with open(path, encoding="utf-8") as f:
                for feat in json.load(f)["features"]:
                    p, (lon, lat) = feat["properties"], feat["geometry"]["coordinates"]
                    d = day(p["date"])
                    t = p["event_type"] + (": " + p["sub_event_type"] if p.get("sub_event_type") else "")
                    out[("geojson", str(p["id"]))] = Record(
                        lat, lon, p.get("uncertainty_m", 0) / 1000.0, d, d, t,
                        [p[k] for k in ("actor1", "actor2") if p.get(k)], str(p.get("fatalities", "")))
    return out


def distance_km(a, b):
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    h = (math.sin((p2 - p1) / 2) ** 2 +
         math.cos(p1) * math.cos(p2) * math.sin(math.radians(b.lon - a.lon) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, h)))


def day_gap(a, b):
    return max(0, (b.first - a.last).days, (a.first - b.last).days)


def describe(pair, known, truth, records):
    """Both records and what lies between them, in words."""
    (ka, kb) = [(known[r][1], known[r][2]) for r in pair]
    a, b = records.get(ka), records.get(kb)
    def label(k):
        t = truth[k]
        where = t["detail"].rsplit("; ", 1)[-1] if t["kind"].startswith("neg") else ""
        return "%s:%s [%s%s]" % (k[0], k[1], t["happening"], ", " + where if where else "")
    head = "%s ~ %s" % (label(ka), label(kb))
    if not a or not b:
        return head, {}
    d = distance_km(a, b)
    facts = {"distance_km": round(d, 2), "radii_km": (a.radius_km, b.radius_km), "day_gap": day_gap(a, b),
             "types": (a.etype, b.etype), "actors": (a.actors, b.actors)}
    text = ("%s\n      %.1f km apart (radii %g + %g km); days %s..%s vs %s..%s (gap %d); %s vs %s;"
            "\n      actors %s vs %s; figures %s vs %s" %
            (head, d, a.radius_km, b.radius_km, a.first, a.last, b.first, b.last, facts["day_gap"],
             a.etype, b.etype, " / ".join(a.actors) or "-", " / ".join(b.actors) or "-",
             a.figure or "-", b.figure or "-"))
    return text, facts


def miss_cause(facts, max_day_gap, slack_km):
    if not facts:
        return "record not found in the set's files"
    if facts["day_gap"] > max_day_gap:
        return "day windows %d days apart (candidates.max_day_gap %d)" % (facts["day_gap"], max_day_gap)
    if facts["distance_km"] > sum(facts["radii_km"]) + slack_km:
        return "farther than the radii allow"
    return "scored below the threshold"


def miss_profile(below, slack_km):
    """How the pairs that scored too low are spread over distance, days and actor naming."""
    def bucket(x, edges, names):
        for e, n in zip(edges, names):
            if x <= e:
                return n
        return names[-1]
    dist = collections.Counter(bucket(f["distance_km"] / (sum(f["radii_km"]) + slack_km), [0.25, 0.5, 0.75],
                                      ["<1/4", "1/4-1/2", "1/2-3/4", ">3/4"]) for f, _ in below)
    gaps = collections.Counter(f["day_gap"] for f, _ in below)
    # Do the two records share an actor word (case aside, "(...)" and punctuation dropped)?
    def words(names):
        out = set()
        for n in names:
            n = n.split("(")[0].lower().replace("-", " ").replace(":", " ")
            out.update(w for w in n.split() if len(w) > 2 and w not in ("forces", "the", "and", "for"))
        return out
    shared = collections.Counter(
        "no actors on one side" if not (f["actors"][0] and f["actors"][1]) else
        "an actor word shared" if words(f["actors"][0]) & words(f["actors"][1]) else "no actor word shared"
        for f, _ in below)
    return ["  distance / (r_a + r_b + slack): " + ", ".join("%s %d" % kv for kv in sorted(dist.items())),
            "  day gap: " + ", ".join("%d: %d" % kv for kv in sorted(gaps.items())),
            "  actors: " + ", ".join("%s %d" % kv for kv in shared.most_common())]


# ---------------------------------------------------------------- running the CLI

class Cli:
    def __init__(self, binary, db, env):
        self.binary, self.db, self.env = binary, db, env
        self.seconds = collections.OrderedDict()

    def run(self, label, *args):
        start = time.monotonic()
        p = subprocess.run([self.binary, "--db", self.db] + list(args), capture_output=True, text=True,
                           env=self.env)
        self.seconds[label] = self.seconds.get(label, 0) + time.monotonic() - start
        if p.returncode != 0:
            raise SystemExit("truce %s failed (exit %d): %s" % (" ".join(args), p.returncode, p.stderr.strip()))
        return p.stdout


def matching_limits(path):
    try:
        import yaml
        with open(path, encoding="utf-8") as f:
            c = yaml.safe_load(f).get("candidates", {})
        return int(c.get("max_day_gap", 2)), float(c.get("distance_slack_km", 2))
    except (OSError, ImportError, AttributeError):
        return 2, 2.0


def reason_of(cli, incident, rids, cache):
    """The matcher's reason and score for the reports `rids` in the incident, from its JSON."""
    if incident not in cache:
        cache[incident] = json.loads(cli.run("show", "incident", "show", str(incident), "--format", "json"))
    found = []

    def walk(node):
        if isinstance(node, dict):
            rid = node.get("report_id", node.get("report"))
            if rid in rids and node.get("reason"):
                found.append("report %s: score %s, %s (%s)" % (rid, node.get("score", "?"), node.get("reason", ""),
                                                                node.get("decided_by", "")))
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    walk(cache[incident])
    return found


def stage_report(title, reports, truth):
    predicted, true, known, unknown = score(reports, truth)
    lines = ["== %s: %d reports, %d incidents" % (title, len(reports), len({r[0] for r in reports.values()}))]
    if unknown:
        lines.append("   (%d reports not in truth.csv, left out: %s)" %
                     (len(unknown), ", ".join("%s:%s" % (r[1], r[2]) for _, r in unknown[:5])))
    lines += ["   " + x for x in table(predicted, true, known, truth)]
    tp = predicted & true
    p, r, f = prf(len(tp), len(predicted), len(true))
    return lines, {"precision": p, "recall": r, "f1": f, "predicted": len(predicted), "true": len(true),
                   "both": len(tp)}, (predicted, true, known)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("set_dir", nargs="?")
    ap.add_argument("--truce", default=os.path.join(ROOT, "build", "release", "apps", "truce"))
    ap.add_argument("--matching", help="matching rules to use ($TRUCE_MATCHING); default the project's")
    ap.add_argument("--agreement", action="append", default=[], help="agreement file(s) to add first")
    ap.add_argument("--work", help="keep the database in this directory (default: a temporary one, removed)")
    ap.add_argument("--worst", type=int, default=12, help="failures of each kind to list")
    ap.add_argument("--goal", type=float, default=0.95)
    ap.add_argument("--json", help="write the figures here")
    ap.add_argument("--pairs", nargs=2, metavar=("INCIDENTS_CSV", "TRUTH_CSV"),
                    help="score an incident list against a truth file, no CLI run")
    args = ap.parse_args()

    if args.pairs:
        with open(args.pairs[0], encoding="utf-8") as f:
            reports = read_incidents(f.read())
        lines, figures, _ = stage_report(args.pairs[0], reports, read_truth(args.pairs[1]))
        print("\n".join(lines))
        if args.json:
            with open(args.json, "w", encoding="utf-8") as f:
                json.dump(figures, f, indent=1)
        return 0 if figures["precision"] >= args.goal and figures["recall"] >= args.goal else 1
    if not args.set_dir:
        ap.error("SET_DIR or --pairs is needed")
    if not os.access(args.truce, os.X_OK):
        raise SystemExit("no truce binary at %s (--truce BIN)" % args.truce)
    with open(os.path.join(args.set_dir, "manifest.json"), encoding="utf-8") as f:
        manifest = json.load(f)
    truth = read_truth(os.path.join(args.set_dir, "truth.csv"))
    records = load_records(args.set_dir, manifest)
    matching = args.matching or os.path.join(ROOT, "data", "reconcile", "matching.yaml")
    max_day_gap, slack_km = matching_limits(matching)

    work = args.work or tempfile.mkdtemp(prefix="truce-match-")
    os.makedirs(work, exist_ok=True)
    db = os.path.join(work, "match.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    env = dict(os.environ)
    if args.matching:
        env["TRUCE_MATCHING"] = os.path.abspath(args.matching)
    cli = Cli(args.truce, db, env)
    try:
        cli.run("init", "init")
        for a in args.agreement:
            cli.run("agreement add", "agreement", "add", a)
        for name in manifest["files"]:
            cli.run("ingest", "ingest", os.path.join(args.set_dir, name))
        out, results = [], {}
        lines, results["ingest"], _ = stage_report("after ingest (incremental)",
                                                   read_incidents(cli.run("list", "incident", "list", "--format",
                                                                          "csv")), truth)
        out += lines
        cli.run("reconcile", "reconcile")
        lines, results["reconcile"], state = stage_report("after truce reconcile (all again)",
                                                          read_incidents(cli.run("list", "incident", "list",
                                                                                 "--format", "csv")), truth)
        out += [""] + lines
        predicted, true, known = state

        cache, causes = {}, collections.Counter()
        false_merges = sorted(predicted - true)
        missed = sorted(true - predicted)
        out += ["", "== false merges (%d pairs), first %d" % (len(false_merges), min(args.worst, len(false_merges)))]
        for pair in false_merges[:args.worst]:
            text, _ = describe(pair, known, truth, records)
            out.append("   " + text)
            for reason in reason_of(cli, known[pair[0]][0], set(pair), cache):
                out.append("      matcher: " + reason)
        missed_text = []
        for pair in missed:
            text, facts = describe(pair, known, truth, records)
            cause = miss_cause(facts, max_day_gap, slack_km)
            causes[cause] += 1
            missed_text.append((cause, text, facts))
        out += ["", "== missed merges (%d pairs) by what kept them apart" % len(missed)]
        out += ["   %4d  %s" % (n, c) for c, n in causes.most_common()]
        type_pairs = collections.Counter(" ~ ".join(sorted(f["types"])) for c, _, f in missed_text
                                         if f and c == "scored below the threshold")
        if type_pairs:
            out.append("   below the threshold, by type pair:")
            out += ["   %4d  %s" % (n, t) for t, n in type_pairs.most_common(10)]
        below = [(f, known) for c, _, f in missed_text if f and c == "scored below the threshold"]
        if below:
            out += ["   below the threshold, by what the pair has:"] + ["   " + x for x in miss_profile(below, slack_km)]
        by_class = collections.Counter(pair_class(pair, known) for pair in missed)
        out.append("   missed, by dataset pair: " + ", ".join("%s %d" % kv for kv in by_class.most_common()))
        out.append("   first %d:" % min(args.worst, len(missed_text)))
        for cause, text, _ in missed_text[:args.worst]:
            out.append("   [%s] %s" % (cause, text))
        out += ["", "seconds: " + ", ".join("%s %.2f" % kv for kv in cli.seconds.items())]
        print("\n".join(out))
        results.update(seconds=dict(cli.seconds), missed_causes=dict(causes), false_merges=len(false_merges),
                       set=manifest.get("options", {}), happenings=manifest.get("happenings"),
                       negatives=manifest.get("negatives"))
        if args.json:
            with open(args.json, "w", encoding="utf-8") as f:
                json.dump(results, f, indent=1, default=str)
        final = results["reconcile"]
        return 0 if final["precision"] >= args.goal and final["recall"] >= args.goal else 1
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
