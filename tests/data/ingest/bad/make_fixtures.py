#!/usr/bin/env python3
"""Writes the bad-input fixtures of this directory from the good ones beside it
(tests/data/ingest). Each holds exactly one fault of issue 8; see README.md.

    python3 tests/data/ingest/bad/make_fixtures.py
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
GOOD = os.path.dirname(HERE)


def read(name):
    with open(os.path.join(GOOD, name), "rb") as f:
        return f.read()


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


acled = read("acled_2023.csv")
ucdp = read("ucdp_ged.csv")
gdelt = read("gdelt_20200305.export.CSV")
geojson = read("observations.geojson")

# CR-only line ends (classic Mac): used to load as "0 records".
write("acled_cr_only.csv", acled.replace(b"\r\n", b"\n").replace(b"\n", b"\r"))
# A header and no rows.
write("acled_header_only.csv", acled.split(b"\n", 1)[0] + b"\n")
# Two latitude columns: the second replaces 'geo_precision' in the header.
lines = acled.split(b"\n")
lines[0] = lines[0].replace(b",geo_precision,", b",Latitude,", 1)
write("acled_two_latitude.csv", b"\n".join(lines))
# Invalid UTF-8: byte FF in the location of row 3 (the second data row).
lines = acled.split(b"\n")
lines[2] = lines[2].replace(b'"Maarrat al Numan"', b'"Maarrat al\xffNuman"', 1)
write("acled_bad_utf8.csv", b"\n".join(lines))
# UCDP: a time of day that is no time (T99:99), and a bad byte in side_a.
lines = ucdp.split(b"\n")
lines[1] = lines[1].replace(b",2020-03-05,2020-03-05,", b",2020-03-05T99:99,2020-03-05,", 1)
write("ucdp_bad_time.csv", b"\n".join(lines))
lines = ucdp.split(b"\n")
lines[2] = lines[2].replace(b"Syrian insurgents", b"Syrian insur\xc3gents", 1)
write("ucdp_bad_utf8.csv", b"\n".join(lines))
# GDELT: a bad byte (lone continuation byte 0x80) in the first row's Actor1Name.
lines = gdelt.split(b"\n")
cols = lines[0].split(b"\t")
cols[6] = cols[6] + b"\x80"
lines[0] = b"\t".join(cols)
write("gdelt_bad_utf8.export.CSV", b"\n".join(lines))
# GeoJSON: byte FE in the first feature's location property.
write("observations_bad_utf8.geojson", geojson.replace(b'"location": "Ariha"', b'"location": "Ari\xfeha"', 1))
