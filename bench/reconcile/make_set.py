#!/usr/bin/python3
"""Writes a labelled matching set: real ACLED rows re-expressed as other datasets.

Usage: make_set.py OUT_DIR [--seed N] [--rows N] [--repeat K] [--p-ucdp P]
                   [--p-gdelt P] [--p-geojson P] [--negatives F] [--acled FILE ...]

Every ACLED happening (an event_id_cnty of the shared files,
/work/shared/data/acled_*.csv) is written again, each with the probability
given, as the datasets Truce reads would report it:

- UCDP GED (current 49-column layout): organised violence only (Battles,
  Explosions/Remote violence, Violence against civilians with named
  actors); "Government of X" for military and police, "Civilians", UCDP's
  own group names; date_prec 1 (the day, sometimes a day off), 2 (a range
  of 2-6 days holding the day) or 3 (a week); where_prec 1 (moved <= 2 km),
  2 (<= 25 km) or 3 (<= 50 km); best/low/high around ACLED's count, at
  least 1 (UCDP counts events with deaths).
- GDELT 2.0 (61 tab-separated columns, no header, as
  gdelt2_event_columns.csv lists): CAMEO codes for the ACLED type, CAMEO
  actor codes and names (SYRMIL/"SYRIA", KENCOP/"POLICE", "PROTESTER", ...);
  SQLDATE the day or 1-3 days later (news publish late), ActionGeo_Type 4
  (a city, moved <= 5 km) or 5 (the province, 10-50 km off); no fatalities.
- GeoJSON observations (a monitor's): ACLED's types and actor names, the
  date (rarely a day off), uncertainty_m 100-2000 m, the point within it;
  fatalities the same, absent or varied.

Hard negatives: other happenings on the same day in the same town (0.2-1.5 km
from the base row) or about 5 km away (4.5-5.5 km), with disjoint actors and
either another kind of event (kind neg-type) or the same kind (neg-actors),
written in one or two of UCDP, GDELT and GeoJSON.

Files written in OUT_DIR: the ACLED files (the chosen rows, as they were),
ucdp_ged.csv, gdelt.export.CSV, observations.geojson, manifest.json (the
files in ingest order and the options) and truth.csv: one line per record
(file, row: as `truce ingest` numbers rows, dataset, source_id, happening,
kind, day_shift, moved_km, detail). A happening is the ACLED id the record
came from (NEG-<id>-<n> for a hard negative).

Exits 2 with a message when the shared ACLED files are absent: the
benchmark needs real rows; the project's tests do not use it.
"""
import argparse
import csv
import datetime as dt
import io
import json
import math
import os
import random
import re
import sys

SHARED = "/work/shared/data"
DEFAULT_ACLED = ["acled_2016_legacy.csv", "acled_2019_export.csv", "acled_2024_export.csv",
                 "acled_2024_spreadsheet_resaved.csv"]

# country: (ISO3 / CAMEO country code, FIPS 10-4, UCDP name, Gleditsch-Ward number, UCDP region)
COUNTRIES = {
    "Algeria": ("DZA", "AG", "Algeria", 615, "Africa"),
    "Bangladesh": ("BGD", "BG", "Bangladesh", 771, "Asia"),
    "Central African Republic": ("CAF", "CT", "Central African Republic", 482, "Africa"),
    "Democratic Republic of Congo": ("COD", "CG", "DR Congo (Zaire)", 490, "Africa"),
    "Egypt": ("EGY", "EG", "Egypt", 651, "Middle East"),
    "Ethiopia": ("ETH", "ET", "Ethiopia", 530, "Africa"),
    "Israel": ("ISR", "IS", "Israel", 666, "Middle East"),
    "Kenya": ("KEN", "KE", "Kenya", 501, "Africa"),
    "Libya": ("LBY", "LY", "Libya", 620, "Middle East"),
    "Mali": ("MLI", "ML", "Mali", 432, "Africa"),
    "Nigeria": ("NGA", "NI", "Nigeria", 475, "Africa"),
    "Palestine": ("PSE", "WE", "Israel", 666, "Middle East"),
    "Sierra Leone": ("SLE", "SL", "Sierra Leone", 451, "Africa"),
    "Somalia": ("SOM", "SO", "Somalia", 520, "Africa"),
    "South Africa": ("ZAF", "SF", "South Africa", 560, "Africa"),
    "South Sudan": ("SSD", "OD", "South Sudan", 626, "Africa"),
    "Sudan": ("SDN", "SU", "Sudan", 625, "Africa"),
    "Syria": ("SYR", "SY", "Syria", 652, "Middle East"),
    "Tunisia": ("TUN", "TS", "Tunisia", 616, "Middle East"),
    "Uganda": ("UGA", "UG", "Uganda", 500, "Africa"),
    "Yemen": ("YEM", "YM", "Yemen (North Yemen)", 678, "Middle East"),
    "Zambia": ("ZMB", "ZA", "Zambia", 551, "Africa"),
    "Zimbabwe": ("ZWE", "ZI", "Zimbabwe", 552, "Africa"),
}

# ACLED 2016 event types as the reader turns them into current ones.
OLD_TYPES = {
    "Riots/Protests": ("Protests", ""),
    "Remote violence": ("Explosions/Remote violence", ""),
    "Battle-No change of territory": ("Battles", "Armed clash"),
    "Battle-Government regains territory": ("Battles", "Government regains territory"),
    "Battle-Non-state actor overtakes territory": ("Battles", "Non-state actor overtakes territory"),
    "Violence against civilians": ("Violence against civilians", ""),
    "Strategic development": ("Strategic developments", ""),
    "Non-violent transfer of territory": ("Strategic developments", "Non-violent transfer of territory"),
    "Headquarters or base established": ("Strategic developments", "Headquarters or base established"),
}
ARMED = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
UNREST = {"Protests", "Riots"}
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december"]
# UCDP's names for ACLED's named groups (the UCDP actor list's NameData).
UCDP_GROUPS = {"al shabaab": "Al-Shabaab", "islamic state": "IS", "nyatura-apcls coalition": "APCLS"}
# GDELT's known-group codes and names.
GDELT_GROUPS = {"al shabaab": ("SOMREBSHB", "AL SHABAAB"), "islamic state": ("IMGMOSISI", "ISLAMIC STATE")}

UCDP_HEADER = ("id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,"
               "conflict_name,dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,"
               "side_b_dset_id,side_b_new_id,side_b,number_of_sources,source_article,source_office,"
               "source_date,source_headline,source_original,where_prec,where_coordinates,where_description,"
               "adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,country_id,region,event_clarity,"
               "date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,high,"
               "low,gwnoa,gwnob").split(",")


def fail(message):
    print("make_set.py: " + message, file=sys.stderr)
    sys.exit(2)


def parse_day(text):
    """An ACLED date in any of the forms the reader accepts."""
    t = text.strip()
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", t)
    if m:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    m = re.match(r"^(\d{1,2}) ([A-Za-z]+) (\d{4})$", t)
    if m:
        return dt.date(int(m[3]), MONTHS.index(m[2].lower()) + 1, int(m[1]))
    m = re.match(r"^(\d{1,2})-([A-Za-z]{3})-(\d{2})$", t)
    if m:
        month = [x[:3] for x in MONTHS].index(m[2].lower()) + 1
        return dt.date(century(int(m[3])), month, int(m[1]))
    m = re.match(r"^(\d{1,2})-(\d{1,2})-(\d{2}|\d{4})$", t)
    if m:
        year = int(m[3]) if len(m[3]) == 4 else century(int(m[3]))
        return dt.date(year, int(m[2]), int(m[1]))
    raise ValueError("unreadable ACLED date '%s'" % text)


def century(yy):
    return 2000 + yy if yy < 70 else 1900 + yy


def move(lat, lon, dist_km, bearing_rad):
    """The point dist_km away on a bearing (spherical; exact enough below 100 km)."""
    dlat = dist_km * math.cos(bearing_rad) / 111.195
    dlon = dist_km * math.sin(bearing_rad) / (111.195 * max(0.05, math.cos(math.radians(lat))))
    return lat + dlat, lon + dlon


def distance_km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2 +
         math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(math.sqrt(min(1.0, a)))


def in_disc(rng, lat, lon, radius_km, min_km=0.0):
    """A point uniform in the ring [min_km, radius_km] around (lat, lon)."""
    r = math.sqrt(rng.uniform(min_km ** 2, radius_km ** 2))
    return move(lat, lon, r, rng.uniform(0, 2 * math.pi))


def pick(rng, weighted):
    """One value of [(value, weight), ...]."""
    x = rng.uniform(0, sum(w for _, w in weighted))
    for value, w in weighted:
        x -= w
        if x <= 0:
            return value
    return weighted[-1][0]


class Actor:
    """An ACLED actor name taken apart: role (military, police, civilians,
    protesters, rioters, unidentified, group), its country and its bare name."""

    def __init__(self, name, country):
        self.name = name.strip()
        self.country = country
        bare = re.sub(r"\s*\([^)]*\)", "", self.name).strip()
        m = re.match(r"^(Military|Police) Forces of (.+?)(?: \(|$)", self.name)
        if m:
            self.role = m[1].lower()
            self.country = m[2].strip()
        elif bare in ("Civilians", "Protesters", "Rioters", "Settlers"):
            self.role = bare.lower()
        elif bare.startswith("Unidentified"):
            self.role = "unidentified"
        else:
            self.role = "group"
        self.bare = bare

    def key(self):
        return self.bare.lower()

    def ucdp(self):
        """UCDP's name, or None when UCDP would not name the actor."""
        if self.role in ("military", "police"):
            return "Government of " + COUNTRIES.get(self.country, (None, None, self.country))[2]
        if self.role == "civilians":
            return "Civilians"
        if self.role != "group":
            return None
        short = self.bare.split(":")[0].strip().lower()
        if self.key() in UCDP_GROUPS or short in UCDP_GROUPS:
            return UCDP_GROUPS.get(self.key()) or UCDP_GROUPS[short]
        if ":" in self.bare:  # "UPC: Union for Peace in the Central African Republic" -> "UPC"
            return self.bare.split(":")[0].strip()
        return self.bare

    def gdelt(self):
        """(CAMEO actor code, GDELT's actor name, CAMEO country code)."""
        iso = COUNTRIES.get(self.country, ("",))[0]
        if self.role == "military":
            return iso + "MIL", self.country.upper(), iso
        if self.role == "police":
            return iso + "COP", "POLICE", iso
        if self.role == "civilians":
            return iso + "CVL", "CIVILIAN", iso
        if self.role in ("protesters", "rioters"):
            return iso + "OPP", "PROTESTER", iso
        if self.role == "settlers":
            return "ISRSET", "SETTLER", "ISR"
        if self.role == "unidentified":
            return iso + "UAF", "GUNMAN", iso
        if self.key() in GDELT_GROUPS:
            code, name = GDELT_GROUPS[self.key()]
            return code, name, iso
        short = self.bare.split(":")[0].strip()
        return iso + "REB", short.upper() if len(short) <= 12 else "REBEL", iso


class Happening:
    """What happened, as ACLED says it (the truth the copies are made from)."""

    def __init__(self, hid, day, time_precision, event_type, sub_event_type, actors, country, admin1,
                 location, lat, lon, geo_precision, fatalities, kind="acled", base=None):
        self.hid, self.day, self.time_precision = hid, day, time_precision
        self.event_type, self.sub_event_type = event_type, sub_event_type
        self.actors = [a for a in actors if a.name]
        self.country, self.admin1, self.location = country, admin1, location
        self.lat, self.lon, self.geo_precision = lat, lon, geo_precision
        self.fatalities, self.kind, self.base = fatalities, kind, base

    def group(self):
        if self.event_type in ARMED:
            return "armed"
        if self.event_type in UNREST:
            return "unrest"
        return "strategic"


def from_acled(row, hid_suffix="", day_offset=0):
    etype, sub = row.get("event_type", ""), row.get("sub_event_type", "")
    if etype in OLD_TYPES:
        etype, sub2 = OLD_TYPES[etype]
        sub = sub or sub2
    country = row.get("country", "")
    actors = [Actor(row.get("actor1", ""), country), Actor(row.get("actor2", ""), country)]
    geo = row.get("geo_precision", "").strip()
    tp = row.get("time_precision", "").strip()
    return Happening(row["event_id_cnty"].strip() + hid_suffix, parse_day(row["event_date"]) +
                     dt.timedelta(days=day_offset), int(tp) if tp else 1, etype, sub, actors, country,
                     row.get("admin1", ""), row.get("location", ""), float(row["latitude"]),
                     float(row["longitude"]), int(geo) if geo else 3, int(float(row.get("fatalities") or 0)))


# Hard negatives: (event type, sub-event type, actor1, actor2, group, fatalities range, CAMEO codes).
NEGATIVE_TEMPLATES = [
    ("Protests", "Peaceful protest", "Protesters ({c})", "", "unrest", (0, 0), ["141", "140"]),
    ("Riots", "Mob violence", "Rioters ({c})", "Civilians ({c})", "unrest", (0, 1), ["145"]),
    ("Battles", "Armed clash", "Communal Militia ({c})", "Vigilante Militia ({c})", "armed", (1, 3), ["193", "190"]),
    ("Violence against civilians", "Attack", "Military Forces of {c} (2010-)", "Civilians ({c})", "armed",
     (1, 4), ["180", "182"]),
    ("Strategic developments", "Arrests", "Police Forces of {c} (2010-)", "Journalists ({c})", "strategic",
     (0, 0), ["173"]),
]


def negative(rng, base, n):
    """A different happening near `base` on its day, or None when no template fits."""
    kind = "neg-type" if rng.random() < 0.5 else "neg-actors"
    taken = {a.key() for a in base.actors}
    choices = []
    for t in NEGATIVE_TEMPLATES:
        actors = [Actor(x.format(c=base.country), base.country) for x in t[2:4] if x]
        if any(a.key() in taken for a in actors):
            continue
        if (t[4] != base.group()) == (kind == "neg-type"):
            choices.append((t, actors))
    if not choices:
        return None
    t, actors = rng.choice(choices)
    near = rng.random() < 0.5
    lat, lon = in_disc(rng, base.lat, base.lon, 1.5, 0.2) if near else in_disc(rng, base.lat, base.lon, 5.5, 4.5)
    h = Happening("NEG-%s-%d" % (base.hid, n), base.day, 1, t[0], t[1], actors, base.country, base.admin1,
                  base.location if near else base.location + " outskirts", lat, lon, 1,
                  rng.randint(*t[5]), kind, base)
    h.cameo = t[6]
    h.where = "same town" if near else "%.1f km away" % distance_km(base.lat, base.lon, lat, lon)
    return h


def ucdp_sides(h):
    """(type_of_violence, side_a, side_b), or None when UCDP would not carry the event."""
    if h.event_type not in ARMED or len(h.actors) < 1:
        return None
    names = [a.ucdp() for a in h.actors]
    if None in names or (len(names) < 2 and h.event_type != "Explosions/Remote violence"):
        return None
    roles = [a.role for a in h.actors]
    if "civilians" in roles:
        perpetrator = [n for a, n in zip(h.actors, names) if a.role != "civilians"]
        return (3, perpetrator[0], "Civilians") if perpetrator else None
    if len(names) < 2:
        return None
    state = [i for i, r in enumerate(roles) if r in ("military", "police")]
    if state:
        other = names[1 - state[0]]
        if other.startswith("Government of"):
            return None  # interstate or police vs army: not in this set
        return 1, names[state[0]], other
    if h.fatalities == 0 and h.event_type == "Explosions/Remote violence":
        return None
    return 2, names[0], names[1]


class Writer:
    def __init__(self, args, rng):
        self.args, self.rng = args, rng
        self.ucdp_rows, self.gdelt_rows, self.features, self.truth = [], [], [], []
        self.next_ucdp, self.next_gdelt = 700001, 1100000001
        with open(os.path.join(args.shared, "gdelt2_event_columns.csv"), encoding="utf-8", newline="") as f:
            self.gdelt_columns = [r["name"] for r in csv.DictReader(f)]
        if len(self.gdelt_columns) != 61:
            fail("gdelt2_event_columns.csv lists %d columns, not 61" % len(self.gdelt_columns))

    def shift(self, weights):
        s = pick(self.rng, weights)
        return max(-self.args.max_day_shift, min(self.args.max_day_shift, s))

    def ucdp(self, h):
        sides = ucdp_sides(h)
        rng = self.rng
        # UCDP records deaths: an event ACLED counts no one killed in is there only when UCDP's
        # sources saw a death (here 3 in 10).
        if sides is None or h.fatalities == 0 and h.kind == "acled" and rng.random() > 0.3:
            return
        tov, side_a, side_b = sides
        iso, _fips, cname, gwno, region = COUNTRIES.get(h.country, ("", "", h.country, 0, ""))
        # Dates: the day (sometimes a day or two off), a range of 2-6 days holding it, or its week.
        prec = pick(rng, [(1, 75), (2, 18), (3, 7)]) if h.time_precision == 1 else pick(rng, [(2, 1), (3, 1)])
        if prec == 1:
            s = self.shift([(0, 80), (1, 7), (-1, 8), (2, 3), (-2, 2)])
            start = end = h.day + dt.timedelta(days=s)
        elif prec == 2:
            width = rng.randint(2, 6)
            before = rng.randint(0, width - 1)
            start, end, s = h.day - dt.timedelta(days=before), h.day + dt.timedelta(days=width - 1 - before), 0
        else:
            start = h.day - dt.timedelta(days=h.day.weekday())
            end, s = start + dt.timedelta(days=6), 0
        # Places: where_prec from ACLED's geo_precision, the point within its radius.
        wp = {1: pick(rng, [(1, 80), (2, 20)]), 2: 2, 3: 3}.get(h.geo_precision, 3)
        lat, lon = in_disc(rng, h.lat, h.lon, {1: 2.0, 2: 25.0, 3: 50.0}[wp])
        lat, lon = round(lat, 4), round(lon, 4)
        # Figures: UCDP counts events with deaths; its best is near ACLED's, sometimes not.
        best = max(1, h.fatalities + pick(rng, [(0, 55), (1, 15), (-1, 10), (2, 8), (h.fatalities // 2, 12)]))
        low, high = max(1, best - rng.randint(0, 2)), best + rng.randint(0, 4)
        uid = self.next_ucdp
        self.next_ucdp += 1
        dyad = "%s - %s" % (side_a, side_b)
        art = '"%s clash report", Agence France Presse, %s' % (h.location, h.day.isoformat())
        row = {
            "id": uid, "relid": "%s-%d-%d-%d" % (iso or "XXX", start.year, tov, uid % 1000),
            "year": start.year, "active_year": 1, "code_status": "Clear", "type_of_violence": tov,
            "conflict_dset_id": 400 + gwno % 97, "conflict_new_id": 400 + gwno % 97,
            "conflict_name": "%s: Government" % cname if tov == 1 else dyad, "dyad_dset_id": 800 + uid % 53,
            "dyad_new_id": 800 + uid % 53, "dyad_name": dyad, "side_a_dset_id": 100 + gwno % 31,
            "side_a_new_id": 100 + gwno % 31, "side_a": side_a, "side_b_dset_id": 1000 + uid % 71,
            "side_b_new_id": 1000 + uid % 71, "side_b": side_b, "number_of_sources": rng.randint(1, 4),
            "source_article": art, "source_office": "", "source_date": "", "source_headline": "",
            "source_original": "", "where_prec": wp,
            "where_coordinates": h.location + (" town" if wp == 1 else ""), "where_description": "",
            "adm_1": h.admin1, "adm_2": "", "latitude": lat, "longitude": lon,
            "geom_wkt": "POINT (%s %s)" % (lon, lat),
            "priogrid_gid": int((lat + 90) * 2) * 720 + int((lon + 180) * 2) + 1, "country": cname,
            "country_id": gwno, "region": region, "event_clarity": 1, "date_prec": prec,
            "date_start": start.isoformat() + " 00:00:00.000", "date_end": end.isoformat() + " 00:00:00.000",
            "deaths_a": 0, "deaths_b": 0 if tov == 3 else best, "deaths_civilians": best if tov == 3 else 0,
            "deaths_unknown": 0, "best": best, "high": high, "low": min(low, best), "gwnoa": gwno, "gwnob": "",
        }
        self.ucdp_rows.append(row)
        moved = distance_km(h.lat, h.lon, lat, lon)
        self.truth.append(["ucdp_ged.csv", len(self.ucdp_rows) + 1, "ucdp", str(uid), h.hid, h.kind, s,
                           "%.2f" % moved, "date_prec %d, where_prec %d, type %d, best %d vs ACLED %d" %
                           (prec, wp, tov, best, h.fatalities)])

    def cameo(self, h):
        if hasattr(h, "cameo"):
            return self.rng.choice(h.cameo)
        t, s, rng = h.event_type, h.sub_event_type, self.rng
        if t == "Battles":
            return pick(rng, [("193", 60), ("190", 40)])
        if t == "Explosions/Remote violence":
            return {"Shelling/artillery/missile attack": "194", "Air/drone strike": "195",
                    "Suicide bomb": "1831"}.get(s, pick(rng, [("183", 60), ("194", 40)]))
        if t == "Violence against civilians":
            return "181" if s.startswith("Abduction") else pick(rng, [("180", 60), ("182", 40)])
        if t == "Protests":
            return pick(rng, [("141", 70), ("140", 30)])
        if t == "Riots":
            return "145"
        return None  # strategic developments: GDELT codes them as anything; left out

    def gdelt(self, h):
        code = self.cameo(h)
        if code is None:
            return
        rng = self.rng
        iso, fips = COUNTRIES.get(h.country, ("", ""))[:2]
        s = self.shift([(0, 55), (1, 25), (-1, 6), (2, 8), (3, 4), (-2, 2)])
        day = h.day + dt.timedelta(days=s)
        city = h.geo_precision == 1 and rng.random() < 0.85 or h.geo_precision == 2 and rng.random() < 0.5
        if city:
            lat, lon = in_disc(rng, h.lat, h.lon, 5.0)
            gtype, full, feature = 4, "%s, %s, %s" % (h.location, h.admin1, h.country), str(-rng.randint(1, 9999999))
        else:
            lat, lon = in_disc(rng, h.lat, h.lon, 50.0, 10.0)
            gtype, full, feature = 5, "%s, %s" % (h.admin1, h.country), fips + "00"
        lat, lon = round(lat, 4), round(lon, 4)
        gid = self.next_gdelt
        self.next_gdelt += rng.randint(1, 40)
        v = dict.fromkeys(self.gdelt_columns, "")
        v.update(GLOBALEVENTID=gid, SQLDATE=day.strftime("%Y%m%d"), MonthYear=day.strftime("%Y%m"),
                 Year=day.year, FractionDate="%.4f" % (day.year + (day.month * 30 + day.day) / 365.0),
                 IsRootEvent=1, EventCode=code, EventBaseCode=code[:3], EventRootCode=code[:2],
                 QuadClass=3 if code.startswith("14") else 4,
                 GoldsteinScale={"14": "-6.5", "17": "-5.0", "18": "-9.0", "19": "-10.0"}.get(code[:2], "-10.0"),
                 NumMentions=rng.randint(1, 20), NumSources=rng.randint(1, 5), NumArticles=rng.randint(1, 20),
                 AvgTone="%.4f" % rng.uniform(-9, -2), ActionGeo_Type=gtype, ActionGeo_FullName=full,
                 ActionGeo_CountryCode=fips, ActionGeo_ADM1Code=fips, ActionGeo_Lat=lat, ActionGeo_Long=lon,
                 ActionGeo_FeatureID=feature,
                 DATEADDED=(day + dt.timedelta(days=rng.randint(0, 1))).strftime("%Y%m%d") +
                 "%02d%02d00" % (rng.randint(0, 23), rng.choice([0, 15, 30, 45])),
                 SOURCEURL="https://news.example.org/%s/%d" % ((iso or "xx").lower(), gid))
        drop_second = rng.random() < 0.15  # GDELT often finds one actor only
        for i, a in enumerate(h.actors[:1] if drop_second else h.actors[:2]):
            acode, aname, acountry = a.gdelt()
            p = "Actor%d" % (i + 1)
            v.update({p + "Code": acode, p + "Name": aname, p + "CountryCode": acountry,
                      p + "Type1Code": acode[3:6] if len(acode) >= 6 else "",
                      p + "Geo_Type": gtype, p + "Geo_FullName": full, p + "Geo_CountryCode": fips,
                      p + "Geo_ADM1Code": fips, p + "Geo_Lat": lat, p + "Geo_Long": lon,
                      p + "Geo_FeatureID": feature})
        self.gdelt_rows.append("\t".join(str(v[c]) for c in self.gdelt_columns))
        moved = distance_km(h.lat, h.lon, lat, lon)
        self.truth.append(["gdelt.export.CSV", len(self.gdelt_rows), "gdelt", str(gid), h.hid, h.kind, s,
                           "%.2f" % moved, "CAMEO %s, ActionGeo_Type %d, actors %s" %
                           (code, gtype, "/".join(a.gdelt()[1] for a in h.actors[:1 if drop_second else 2]))])

    def geojson(self, h):
        rng = self.rng
        s = self.shift([(0, 90), (1, 5), (-1, 5)])
        uncertainty_m = rng.choice([100, 250, 500, 1000, 2000])
        lat, lon = in_disc(rng, h.lat, h.lon, uncertainty_m / 1000.0)
        oid = "OBS-%05d" % (len(self.features) + 1)
        props = {"id": oid, "date": (h.day + dt.timedelta(days=s)).isoformat(), "event_type": h.event_type}
        if h.sub_event_type:
            props["sub_event_type"] = h.sub_event_type
        for i, a in enumerate(h.actors[:2]):
            props["actor%d" % (i + 1)] = a.name
        props.update(country=h.country, admin1=h.admin1, location=h.location,
                     source="Monitoring team %d" % rng.randint(1, 6), uncertainty_m=uncertainty_m)
        fat = pick(rng, [("same", 60), ("absent", 25), ("varied", 15)])
        if fat != "absent":
            props["fatalities"] = h.fatalities if fat == "same" else max(0, h.fatalities + rng.choice([-1, 1, 2]))
        self.features.append({"type": "Feature", "geometry": {"type": "Point",
                              "coordinates": [round(lon, 5), round(lat, 5)]}, "properties": props})
        moved = distance_km(h.lat, h.lon, lat, lon)
        self.truth.append(["observations.geojson", len(self.features), "geojson", oid, h.hid, h.kind, s,
                           "%.2f" % moved, "uncertainty %d m, fatalities %s" % (uncertainty_m, fat)])

    def express(self, h, p_ucdp, p_gdelt, p_geojson):
        if self.rng.random() < p_ucdp:
            self.ucdp(h)
        if self.rng.random() < p_gdelt:
            self.gdelt(h)
        if self.rng.random() < p_geojson:
            self.geojson(h)

    def write(self, out):
        with open(os.path.join(out, "ucdp_ged.csv"), "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=UCDP_HEADER, lineterminator="\n")
            w.writeheader()
            w.writerows(self.ucdp_rows)
        with open(os.path.join(out, "gdelt.export.CSV"), "w", encoding="utf-8", newline="") as f:
            f.write("".join(r + "\n" for r in self.gdelt_rows))
        with open(os.path.join(out, "observations.geojson"), "w", encoding="utf-8") as f:
            json.dump({"type": "FeatureCollection", "features": self.features}, f, indent=1, ensure_ascii=False)


def read_acled(path):
    """(header, rows as lists, dict rows, line terminator, 1-based row of each record)."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        text = f.read()
    terminator = "\r\n" if "\r\n" in text[:4096] else "\n"
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    rows = [r for r in reader if r]
    return header, rows, [dict(zip(header, r)) for r in rows], terminator


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", help="directory to write (created)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--shared", default=SHARED, help="folder of the shared real data (default %(default)s)")
    ap.add_argument("--acled", nargs="+", default=DEFAULT_ACLED, help="ACLED files in --shared (or paths)")
    ap.add_argument("--rows", type=int, default=0, help="at most this many ACLED happenings (0: all)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="K > 1 adds K-1 copies of the ACLED rows, 14 days later each, ids suffixed Rk "
                         "(one more ACLED file, current layout): a bigger set, no longer only real rows")
    ap.add_argument("--p-ucdp", type=float, default=0.85, help="share of UCDP-eligible happenings in UCDP")
    ap.add_argument("--p-gdelt", type=float, default=0.6, help="share of happenings in GDELT")
    ap.add_argument("--p-geojson", type=float, default=0.3, help="share of happenings observed (GeoJSON)")
    ap.add_argument("--negatives", type=float, default=0.5, help="hard negatives per happening (expected)")
    ap.add_argument("--max-day-shift", type=int, default=3, help="largest date shift of a day-precise copy")
    args = ap.parse_args()

    paths = [a if os.path.sep in a else os.path.join(args.shared, a) for a in args.acled]
    missing = [p for p in paths if not os.path.isfile(p)]
    if missing:
        fail("the real ACLED rows are missing (%s): this benchmark needs the shared data files; "
             "point --shared or --acled at them" % ", ".join(missing))
    if not os.path.isfile(os.path.join(args.shared, "gdelt2_event_columns.csv")):
        fail("%s/gdelt2_event_columns.csv is missing: it gives the GDELT 2.0 column order" % args.shared)
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)
    writer = Writer(args, rng)
    files, happenings, seen = [], [], set()
    for path in paths:
        header, rows, dicts, terminator = read_acled(path)
        keep = []
        for raw, row in zip(rows, dicts):
            hid = row["event_id_cnty"].strip()
            if hid not in seen:
                if args.rows and len(seen) >= args.rows:
                    continue
                seen.add(hid)
                happenings.append(from_acled(row))
            keep.append(raw)
        if not keep:
            continue
        name = "acled_" + os.path.basename(path).removeprefix("acled_")
        with open(os.path.join(args.out, name), "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator=terminator)
            w.writerow(header)
            w.writerows(keep)
        files.append(name)
        # Rows are numbered as the reader numbers them: the line a record starts on (header 1).
        line = 2
        for raw in keep:
            row = dict(zip(header, raw))
            writer.truth.append([name, line, "acled", row["event_id_cnty"].strip(), row["event_id_cnty"].strip(),
                                 "acled", 0, "0.00", "ACLED %s" % row.get("event_type", "")])
            one = io.StringIO()
            csv.writer(one, lineterminator="\n").writerow(raw)
            line += one.getvalue().count("\n")
    base = list(happenings)
    if args.repeat > 1:
        name = "acled_repeat.csv"
        header = ("event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,actor2,"
                  "country,admin1,location,latitude,longitude,geo_precision,source,notes,fatalities").split(",")
        with open(os.path.join(args.out, name), "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(header)
            n = 1
            for k in range(2, args.repeat + 1):
                for h0 in base:
                    h = Happening(h0.hid + "R%d" % k, h0.day + dt.timedelta(days=14 * (k - 1)), h0.time_precision,
                                  h0.event_type, h0.sub_event_type, h0.actors, h0.country, h0.admin1, h0.location,
                                  h0.lat, h0.lon, h0.geo_precision, h0.fatalities)
                    w.writerow([h.hid, h.day.isoformat(), h.day.year, h.time_precision, h.event_type,
                                h.sub_event_type, h.actors[0].name if h.actors else "",
                                h.actors[1].name if len(h.actors) > 1 else "", h.country, h.admin1, h.location,
                                h.lat, h.lon, h.geo_precision, "repeat", "", h.fatalities])
                    n += 1
                    writer.truth.append([name, n, "acled", h.hid, h.hid, "acled", 0, "0.00", "ACLED repeat"])
                    happenings.append(h)
        files.append(name)
    negatives = []
    for h in happenings:
        count = int(args.negatives) + (1 if rng.random() < args.negatives - int(args.negatives) else 0)
        for n in range(count):
            neg = negative(rng, h, n + 1)
            if neg:
                negatives.append(neg)
    for h in happenings:
        writer.express(h, args.p_ucdp, args.p_gdelt, args.p_geojson)
    for h in negatives:
        # One dataset, sometimes two, so that negatives have pairs of their own.
        eligible = ["gdelt", "geojson"] + (["ucdp"] if ucdp_sides(h) else [])
        targets = rng.sample(eligible, 2 if rng.random() < 0.3 else 1)
        writer.express(h, 1.0 if "ucdp" in targets else 0, 1.0 if "gdelt" in targets else 0,
                       1.0 if "geojson" in targets else 0)
    near = {h.hid: "%s of %s" % (h.where, h.base.hid) for h in negatives}
    for t in writer.truth:
        if t[4] in near:
            t[8] += "; " + near[t[4]]
    writer.write(args.out)
    files += ["ucdp_ged.csv", "gdelt.export.CSV", "observations.geojson"]
    with open(os.path.join(args.out, "truth.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["file", "row", "dataset", "source_id", "happening", "kind", "day_shift", "moved_km", "detail"])
        w.writerows(writer.truth)
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump({"files": files, "options": {k: v for k, v in vars(args).items() if k != "out"},
                   "happenings": len(happenings), "negatives": len(negatives), "negative_where": near},
                  f, indent=1)
    counts = {}
    for t in writer.truth:
        counts[t[2]] = counts.get(t[2], 0) + 1
    print("%s: %d happenings from ACLED, %d hard negatives; records: %s" %
          (args.out, len(happenings), len(negatives), ", ".join("%s %d" % kv for kv in sorted(counts.items()))))


if __name__ == "__main__":
    main()
