#!/usr/bin/env python3
"""Writes a synthetic ACLED-format CSV of incidents around Idlib for bench/serve.

    gen_incidents.py OUT.csv [ROWS [PREFIX]]   (default 100000 rows, PREFIX SYR-BENCH)

Same columns as examples/idlib-2020/incidents-2020.csv (the header is read from
there), dates over February-April 2020, points in the box 35.3-36.3 N,
36.2-37.2 E, and actor names the example's actors.yaml knows (so the incidents
map to the agreements' sides). Fixed seed: the same file on every run; another
PREFIX gives other rows (ids PREFIX-000001..., another seed), new to a
database that holds the first file (bench/jobs).
"""
import csv
import datetime
import os
import random
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EXAMPLE = os.path.join(ROOT, "examples", "idlib-2020", "incidents-2020.csv")

# (actor, ACLED inter code) - names from the example's CSV and actors.yaml aliases.
ACTORS = [
    ("Military Forces of Syria (2000-)", "State forces"),
    ("Military Forces of Russia (2000-)", "External/Other forces"),
    ("Military Forces of Turkey (2016-)", "External/Other forces"),
    ("NDF: National Defence Forces", "Political militia"),
    ("HTS: Hayat Tahrir al Sham", "Rebel group"),
    ("NLF: National Liberation Front", "Rebel group"),
    ("Turkistan Islamic Party", "Rebel group"),
    ("Unidentified Armed Group (Syria)", "Political militia"),
]
# (event_type, sub_event_type, disorder_type, weight)
EVENTS = [
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", "Political violence", 40),
    ("Explosions/Remote violence", "Air/drone strike", "Political violence", 15),
    ("Battles", "Armed clash", "Political violence", 30),
    ("Violence against civilians", "Attack", "Political violence", 5),
    ("Protests", "Peaceful protest", "Demonstrations", 5),
    ("Strategic developments", "Looting/property destruction", "Strategic developments", 5),
]
PLACES = [  # (location, admin2) - names only; coordinates are drawn in the box
    ("Idlib", "Idlib"), ("Saraqib", "Idlib"), ("Ariha", "Ariha"), ("Kansafra", "Ariha"),
    ("Maarrat al-Numan", "Maarrat an Nu'man"), ("Jisr al-Shughur", "Jisr-Ash-Shugur"),
    ("Kafr Nabl", "Maarrat an Nu'man"), ("Sarmin", "Idlib"), ("Taftanaz", "Idlib"), ("Binnish", "Idlib"),
]


def main():
    if len(sys.argv) not in (2, 3, 4):
        sys.exit("usage: gen_incidents.py OUT.csv [ROWS [PREFIX]]")
    out_path = sys.argv[1]
    rows = int(sys.argv[2]) if len(sys.argv) >= 3 else 100000
    prefix = sys.argv[3] if len(sys.argv) == 4 else "SYR-BENCH"
    with open(EXAMPLE, newline="", encoding="utf-8") as f:
        header = next(csv.reader(f))
    rng = random.Random(20200305 if prefix == "SYR-BENCH" else 20200305 + sum(prefix.encode()))
    first = datetime.date(2020, 2, 1)
    days = (datetime.date(2020, 4, 30) - first).days + 1
    weights = [e[3] for e in EVENTS]
    with open(out_path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        w.writeheader()
        for k in range(rows):
            day = first + datetime.timedelta(days=rng.randrange(days))
            event_type, sub_type, disorder, _ = rng.choices(EVENTS, weights)[0]
            a1, i1 = rng.choice(ACTORS)
            a2, i2 = ("", "") if rng.random() < 0.3 else rng.choice(ACTORS)
            location, admin2 = rng.choice(PLACES)
            lat = 35.3 + rng.random()
            lon = 36.2 + rng.random()
            w.writerow({
                "event_id_cnty": f"{prefix}-{k + 1:06d}",
                "event_date": f"{day.day:02d} {day.strftime('%B')} {day.year}",
                "year": str(day.year),
                "time_precision": "1",
                "disorder_type": disorder,
                "event_type": event_type,
                "sub_event_type": sub_type,
                "actor1": a1,
                "assoc_actor_1": "",
                "inter1": i1,
                "actor2": a2,
                "assoc_actor_2": "",
                "inter2": i2,
                "interaction": f"{i1}-{i2}" if i2 else f"{i1} only",
                "civilian_targeting": "",
                "iso": "760",
                "region": "Middle East",
                "country": "Syria",
                "admin1": "Idlib",
                "admin2": admin2,
                "admin3": "",
                "location": location,
                "latitude": f"{lat:.4f}",
                "longitude": f"{lon:.4f}",
                "geo_precision": str(rng.choice((1, 1, 2, 3))),
                "source": "Synthetic (bench/serve)",
                "source_scale": "Other",
                "notes": f"Synthetic incident {k + 1} for the HTTP benchmark.",
                "fatalities": str(rng.choice((0, 0, 0, 1, 2, 5))),
                "tags": "synthetic",
                "timestamp": "1600000000",
            })


if __name__ == "__main__":
    main()
