#!/usr/bin/env python3
"""Score the extractor on the dev corpus, by set, with the project's scorer.

    bench/extract/score_dev.py --dump build/h/bench/extract/extract_dump \
        [--corpus ../shared/corpus/dev] [--held-out 11,28,36,29] [--files] [--keep DIR]

Runs extract_dump on every report of the corpus (each with its gold file's
`document.published`), scores the output with ../shared/eval/score_extraction.py
and prints micro F1 (keys and details, as the scorer counts them) for: all
reports, the first seven (the rules were first written from them), reports 20
and on (added later), and, with --held-out (report number prefixes), the
held-out reports and the ones worked from. --files adds one line per report.

Also --calibrate OUT.tsv: per rule (each record's `rule`), how many of its
records the scorer pairs with a gold record, over all reports but the held-out
ones; written as data/extract/confidence.tsv reads it.
"""
import argparse, importlib.util, json, os, subprocess, sys, tempfile
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The shared directory: $TRUCE_SHARED_DIR, else ../shared beside the checkout,
# else /work/shared (a worktree's ../shared is not the main checkout's).
SHARED = next((d for d in (os.environ.get("TRUCE_SHARED_DIR"), os.path.join(ROOT, "..", "shared"), "/work/shared")
               if d and os.path.isdir(d)), os.path.join(ROOT, "..", "shared"))


def load_scorer(path):
    spec = importlib.util.spec_from_file_location("score_extraction", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def micro(files, names):
    tp = fp = fn = 0
    for n in names:
        o = files[n]["overall"]
        tp, fp, fn = tp + o["tp"], fp + o["fp"], fn + o["fn"]
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return (2 * p * r / (p + r) if p + r else 0.0), p, r, len(names)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dump", required=True)
    ap.add_argument("--corpus", default=os.path.join(SHARED, "corpus", "dev"))
    ap.add_argument("--scorer", default=os.path.join(SHARED, "eval", "score_extraction.py"))
    ap.add_argument("--held-out", default="")
    ap.add_argument("--files", action="store_true")
    ap.add_argument("--keep")
    ap.add_argument("--calibrate")
    a = ap.parse_args()
    if not os.path.isdir(a.corpus) or not os.path.exists(a.scorer):
        print("no dev corpus at %s (or no scorer): nothing to score" % a.corpus)
        return 0
    sc = load_scorer(a.scorer)
    held = [h for h in a.held_out.split(",") if h]
    out = a.keep or tempfile.mkdtemp(prefix="truce-score-dev-")
    os.makedirs(out, exist_ok=True)
    names = sorted(f[: -len(".gold.json")] for f in os.listdir(a.corpus) if f.endswith(".gold.json"))
    golds = {}
    for n in names:
        with open(os.path.join(a.corpus, n + ".gold.json"), encoding="utf-8") as fh:
            golds[n] = json.load(fh)
        with open(os.path.join(out, n + ".json"), "w", encoding="utf-8") as fh:
            subprocess.run([a.dump, "--published", golds[n]["document"]["published"],
                            os.path.join(a.corpus, n + ".txt")], stdout=fh, check=True, cwd=ROOT)
    files, total, lines, warnings = sc.run(a.corpus, out)
    is_held = lambda n: any(n.startswith(h + "_") for h in held)
    sets = [("all", names), ("first 7 (00-13)", [n for n in names if int(n[:2]) < 20]),
            ("reports 20-37", [n for n in names if int(n[:2]) >= 20])]
    if held:
        sets += [("held-out " + ",".join(held), [n for n in names if is_held(n)]),
                 ("worked from (all but held-out)", [n for n in names if not is_held(n)])]
    for label, ns in sets:
        f, p, r, k = micro(files, ns)
        print("%-34s F1 %.3f  P %.3f  R %.3f  (%d reports)" % (label, f, p, r, k))
    print("by category (all): " + "  ".join("%s %.3f" % (c, total[c]["f1"]) for c in sc.CATS))
    if held:
        ho = [n for n in names if is_held(n)]
        cnt = {c: Counter() for c in sc.CATS}
        for n in ho:
            for c in sc.CATS:
                cnt[c].update(tp=files[n][c]["matched"], pred=files[n][c]["pred"], gold=files[n][c]["gold"])
        print("held-out records matched/pred/gold: " + "  ".join(
            "%s %d/%d/%d" % (c, cnt[c]["tp"], cnt[c]["pred"], cnt[c]["gold"]) for c in sc.CATS))
    if a.files:
        for n in names:
            fl = files[n]
            print("  %-48s %s  %s%.3f" % (n, " ".join("%.2f" % fl[c]["f1"] for c in sc.CATS),
                                         "*" if is_held(n) else " ", fl["overall"]["f1"]))
    if a.calibrate:
        calibrate(sc, golds, out, [n for n in names if not is_held(n)], a.calibrate)
    return 0


def calibrate(sc, golds, out, names, path):
    """Per rule (each record's `rule`): how many of its records the scorer
    pairs with a gold record; a provision counts when its agreement is paired
    and the gold agreement has a provision of its type. Records paired with an
    optional gold record are left out (the scorer neither counts nor scores
    them). Written as data/extract/confidence.tsv, which the extractor reads:
    confidence = (matched + 1) / (records + 2)."""
    hits, total = Counter(), Counter()
    for n in names:
        with open(os.path.join(out, n + ".json"), encoding="utf-8") as fh:
            pred = json.load(fh)
        for cat in sc.CATS:
            gs = [r for r in golds[n].get(cat) or [] if isinstance(r, dict)]
            ps = [r for r in pred.get(cat) or [] if isinstance(r, dict)]
            pairs, _, _ = sc.match(cat, gs, ps)
            paired = {j: i for i, j, _ in pairs}
            for j, p in enumerate(ps):
                if j in paired and gs[paired[j]].get("optional"):
                    continue
                rule = p.get("rule") or "%s/-" % cat
                total[rule] += 1
                hits[rule] += j in paired
                if cat != "agreements":
                    continue
                gold_types = {g.get("type") for g in (gs[paired[j]].get("provisions") or [])} if j in paired else set()
                for pv in p.get("provisions") or []:
                    prule = pv.get("rule") or "provisions/-"
                    total[prule] += 1
                    hits[prule] += pv.get("type") in gold_types
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("# Each extraction rule's precision on the dev corpus, read by the extractor as the\n"
                 "# confidence of the records it makes: (matched + 1) / (records + 2); a rule not\n"
                 "# listed gets 0.5. Written by bench/extract/score_dev.py --calibrate over the\n"
                 "# reports worked from (%d, the held-out ones left out); do not edit by hand.\n"
                 "# rule\tmatched\trecords\n" % len(names))
        for rule in sorted(total):
            if rule.endswith("/-"):
                continue  # a record without a rule name: nothing to calibrate
            fh.write("%s\t%d\t%d\n" % (rule, hits[rule], total[rule]))
    for rule in sorted(total):
        print("  %-44s %3d / %3d  -> %.2f" % (rule, hits[rule], total[rule], (hits[rule] + 1) / (total[rule] + 2)))


if __name__ == "__main__":
    sys.exit(main())
