#!/usr/bin/python3
"""Baselines for the ACLED load benchmark: pandas.read_csv and Python's csv module.

Usage: baseline.py pandas|csv FILE
Prints one line like the C++ benchmark: rows and seconds.
"""
import csv
import sys
import time


def main():
    which, path = sys.argv[1], sys.argv[2]
    if which == "pandas":
        import pandas  # imported before the clock starts
    start = time.perf_counter()
    if which == "pandas":
        rows = len(pandas.read_csv(path))
    elif which == "csv":
        rows = 0
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            next(reader)  # the header
            for _ in reader:
                rows += 1
    else:
        sys.exit("usage: baseline.py pandas|csv FILE")
    seconds = time.perf_counter() - start
    print(f"{which} rows={rows} seconds={seconds:.3f}")


if __name__ == "__main__":
    main()
