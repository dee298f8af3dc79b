#!/usr/bin/python3
"""Writes a deterministic ACLED-2023-format CSV (31 columns) for the load benchmark.

Usage: gen_acled.py OUT.csv [ROWS] [--start K] [--years Y0-Y1]
   (default 600000 rows, about 400 MB; --start K numbers the rows from K+1 and
   draws them from another seed, so that several files hold no common row;
   --years spreads the rows' dates over those years, DEFAULT 2020-2024)

The rows look like ACLED's own exports: text fields with spaces are quoted,
numbers are not, notes are long sentences with commas and quoted words
(doubled quotes inside a quoted field), a few notes span two lines.
"""
import random
import sys

HEADER = ("event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
          "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,"
          "iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,"
          "source,source_scale,notes,fatalities,tags,timestamp")

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]

COUNTRIES = [
    # (country, iso, prefix, region, admin1s, lat, lon)
    ("Syria", 760, "SYR", "Middle East", ["Idleb", "Aleppo", "Hama", "Lattakia", "Deir ez Zor", "Raqqa"], 35.9, 36.7),
    ("Yemen", 887, "YEM", "Middle East", ["Taizz", "Al Hudaydah", "Marib", "Sanaa", "Dhamar"], 15.0, 44.5),
    ("Ukraine", 804, "UKR", "Europe", ["Donetsk", "Luhansk", "Kharkiv", "Zaporizhia", "Kherson"], 48.0, 37.8),
    ("Sudan", 729, "SDN", "Northern Africa", ["Khartoum", "North Darfur", "West Darfur", "Al Jazirah"], 14.5, 30.2),
    ("Myanmar", 104, "MMR", "Southeast Asia", ["Sagaing", "Rakhine", "Shan-North", "Kachin", "Magway"], 21.9, 95.9),
    ("Nigeria", 566, "NGA", "Western Africa", ["Borno", "Zamfara", "Kaduna", "Benue", "Lagos"], 9.6, 8.1),
]

EVENT_TYPES = [
    ("Political violence", "Battles", "Armed clash"),
    ("Political violence", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Political violence", "Explosions/Remote violence", "Air/drone strike"),
    ("Political violence", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Political violence", "Violence against civilians", "Attack"),
    ("Demonstrations", "Protests", "Peaceful protest"),
    ("Political violence", "Riots", "Mob violence"),
    ("Strategic developments", "Strategic developments", "Looting/property destruction"),
]

ACTORS = [
    ("Military Forces of {c} (2000-)", "State forces"),
    ("Unidentified Armed Group ({c})", "Political militia"),
    ("Hayat Tahrir al Sham", "Rebel group"),
    ("Protesters ({c})", "Protesters"),
    ("Rioters ({c})", "Rioters"),
    ("Civilians ({c})", "Civilians"),
    ("Police Forces of {c} (2000-)", "State forces"),
]

SOURCES = ["SOHR", "Syria Direct", "Reuters", "Agence France Presse", "Yemen News Agency (SABA) - Houthi",
           "Ukrainska Pravda", "Sudan Tribune", "Radio Free Asia", "Premium Times", "Al Jazeera; Enab Baladi"]

WORDS = ("forces shelled the outskirts of the village near the highway killing wounding civilians "
         "positions reported local sources said according to the statement drones targeted vehicle "
         "market school hospital checkpoint clashes erupted between fighters and army units after "
         "an attack on a military post residents fled the area amid heavy artillery fire").split()

TAGS = ["", "", "crowd size=no report", "crowd size=large", "crowd size=around 200; local administrators"]


def q(field):
    """ACLED quotes text with spaces, commas, quotes or newlines; doubles inner quotes."""
    if any(ch in field for ch in ' ,"\n'):
        return '"' + field.replace('"', '""') + '"'
    return field


def note(rng, day, month, year, location, admin1):
    parts = [f"On {day} {MONTHS[month - 1]} {year}, "]
    n = rng.randint(22, 46)
    words = [rng.choice(WORDS) for _ in range(n)]
    for i in range(6, n, rng.randint(8, 14)):
        words[i] += ","
    if rng.random() < 0.4:
        k = rng.randrange(n)
        words[k] = '"' + words[k].rstrip(",") + '"'
    parts.append(" ".join(words))
    parts.append(f" in {location} ({admin1}).")
    if rng.random() < 0.3:
        parts.append(f' The ministry said "{rng.randint(1, 40)} soldiers, {rng.randint(0, 9)} civilians" were hit.')
    if rng.random() < 0.01:
        parts.append("\nUpdated: casualty figures revised.")
    parts.append(f" [size={rng.choice(['no report', 'dozens', 'around 50'])}]")
    return "".join(parts)


def main():
    args = sys.argv[1:]
    start, year0, year1 = 0, 2020, 2024
    if "--start" in args:
        k = args.index("--start")
        start = int(args[k + 1])
        del args[k:k + 2]
    if "--years" in args:
        k = args.index("--years")
        year0, year1 = (int(y) for y in args[k + 1].split("-"))
        del args[k:k + 2]
    out = args[0]
    rows = int(args[1]) if len(args) > 1 else 600000
    rng = random.Random(20200305 + start)
    counters = {}
    years = year1 - year0 + 1
    with open(out, "w", encoding="utf-8", newline="") as f:
        f.write(HEADER + "\n")
        buf = []
        for i in range(rows):
            country, iso, prefix, region, admin1s, lat0, lon0 = COUNTRIES[rng.randrange(len(COUNTRIES))]
            counters[prefix] = counters.get(prefix, start) + 1
            year = year0 + (i * years) // rows
            month = rng.randint(1, 12)
            day = rng.randint(1, 28)
            disorder, etype, sub = EVENT_TYPES[rng.randrange(len(EVENT_TYPES))]
            a1, i1 = ACTORS[rng.randrange(len(ACTORS))]
            a2, i2 = ACTORS[rng.randrange(len(ACTORS))] if rng.random() < 0.7 else ("", "")
            a1 = a1.format(c=country)
            a2 = a2.format(c=country)
            admin1 = rng.choice(admin1s)
            admin2 = admin1 + " District"
            location = rng.choice(["Saraqab", "Maarrat al Numan", "Kafr Nabl", "Ariha", "Jisr ash Shughur",
                                   "Al Bab", "Taizz City", "Bakhmut", "El Fasher", "Maiduguri"])
            lat = lat0 + rng.uniform(-1.5, 1.5)
            lon = lon0 + rng.uniform(-1.5, 1.5)
            fields = [
                f"{prefix}{counters[prefix]}",
                q(f"{day:02d} {MONTHS[month - 1]} {year}"),
                str(year),
                str(rng.choice([1, 1, 1, 2, 3])),
                q(disorder), q(etype), q(sub), q(a1),
                q("Civilians (" + country + ")") if rng.random() < 0.1 else "",
                q(i1), q(a2), "", q(i2),
                q(i1 + "-" + i2 if i2 else i1 + " only"),
                "Civilian targeting" if etype == "Violence against civilians" else "",
                str(iso), q(region), q(country), q(admin1), q(admin2), "", q(location),
                f"{lat:.4f}", f"{lon:.4f}", str(rng.choice([1, 1, 2, 3])),
                q(rng.choice(SOURCES)), rng.choice(["National", "International", "Subnational", "New media"]),
                q(note(rng, day, month, year, location, admin1)),
                str(rng.choice([0, 0, 0, 1, 2, 3, 5, 12])),
                q(rng.choice(TAGS)),
                str(1600000000 + start + i),
            ]
            buf.append(",".join(fields))
            if len(buf) == 10000:
                f.write("\n".join(buf) + "\n")
                buf.clear()
        if buf:
            f.write("\n".join(buf) + "\n")


if __name__ == "__main__":
    main()
