#!/usr/bin/python3
"""Python baseline for bench/extract: sentence split (PyICU BreakIterator) and a
dictionary scan (pyahocorasick over the same data/extract phrases), nothing else.

    /usr/bin/python3 baseline.py CORPUS_DIR DATA_DIR [PROCESSES]

Prints 'sentences N', 'seconds S' and 'sentences_per_s R'. Uses Debian's
python3-icu and python3-ahocorasick.
"""
import multiprocessing
import os
import re
import sys
import time
import unicodedata

import ahocorasick
import icu


def fold(s):
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return " ".join(re.findall(r"[a-z0-9]+|'s", s))


def phrases(data_dir):
    out = []
    def fields(name):
        with open(os.path.join(data_dir, name), encoding="utf-8") as fh:
            for line in fh:
                if line.strip() and not line.startswith("#"):
                    yield line.rstrip("\n").split("\t")
    for f in fields("countries.tsv"):
        for col in (2, 3, 4):
            out += f[col].split("|")
    for f in fields("actors.tsv"):
        out += [f[1]] + f[5].split("|")
    for f in fields("cues.tsv"):
        out.append(f[0])
    for f in fields("places.tsv"):
        out += f[0].split("|")
    return [p for p in (fold(x) for x in out if x and x != "-") if p]


AUTOMATON = None


def init(data_dir):
    global AUTOMATON
    AUTOMATON = ahocorasick.Automaton()
    for i, p in enumerate(phrases(data_dir)):
        AUTOMATON.add_word(" " + p + " ", i)
    AUTOMATON.make_automaton()


def work(paths):
    bi = icu.BreakIterator.createSentenceInstance(icu.Locale.getUS())
    sentences = hits = 0
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        bi.setText(text)
        start = bi.first()
        for end in bi:
            sent = text[start:end]
            start = end
            for line in sent.split("\n"):
                if not line.strip():
                    continue
                sentences += 1
                hits += sum(1 for _ in AUTOMATON.iter(" " + fold(line) + " "))
    return sentences, hits


def main():
    corpus, data_dir = sys.argv[1], sys.argv[2]
    procs = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    files = sorted(os.path.join(corpus, f) for f in os.listdir(corpus) if f.endswith(".txt"))
    chunks = [files[i::procs] for i in range(procs)]
    t0 = time.perf_counter()
    with multiprocessing.Pool(procs, initializer=init, initargs=(data_dir,)) as pool:
        results = pool.map(work, chunks)
    secs = time.perf_counter() - t0
    n = sum(r[0] for r in results)
    print("sentences %d (%d processes)" % (n, procs))
    print("seconds %.3f" % secs)
    print("sentences_per_s %.0f" % (n / secs if secs > 0 else 0))


if __name__ == "__main__":
    main()
