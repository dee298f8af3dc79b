#!/usr/bin/env python3
"""The evidence log end to end, on the real binary (docs/evidence.md).

1. The example stored (agreements, two dataset files, a token created and
   revoked): `truce verify` exits 0.
2. `truce export-evidence` writes a bundle; the procedure in its VERIFY.md
   (the shell block, run as written, with sha256sum alone) passes and prints
   the head `truce verify` printed. Then the bundle is tampered with the way a
   forger would, each step also fixing what the previous check looked at:
   a record byte; the same plus MANIFEST.sha256; plus the entry's payload
   list; plus the entry's payload line: each is caught.
3. One byte of a stored row is changed directly in the database (python's
   sqlite3 or psql, as anyone holding the file or the server could): a report's raw text, an incident's
   lat_deg, a deleted report, a report added behind the store's back, an
   agreement file's contents, a token un-revoked, an edited entry. Each time
   `truce verify` exits 6 naming the entry (or the uncovered row), and
   `truce export-evidence` exits 6 and leaves no bundle.
4. Seeded random single-value changes (one character of a text, an integer
   plus one, a real nudged, a NULL filled) in any column of any row of every
   table the log covers, and of the log's own tables: each must make
   `truce verify` exit 6. (`evidence_parts.ord` is left out: it only orders
   the parts, and a change that keeps the order changes nothing.)

    bundle_test.py --truce PATH [--backend sqlite|postgresql] [--random N] [--seed S]
"""
import argparse, os, random, re, shutil, sqlite3, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
import pglib  # noqa: E402
BACKEND = None  # pglib.Backend (--backend sqlite|postgresql)
EX = os.path.join(ROOT, "examples", "idlib-2020")
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def truce(args, db, cwd=None):
    env = dict(os.environ)
    env.pop("TRUCE_DB", None)
    return subprocess.run([TRUCE, "--db", db] + args, capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


def make_db(tmp, name):
    db = BACKEND.new_db(tmp, name)
    for args in (["init"],
                 ["agreement", "add", os.path.join(EX, "sochi-memorandum-2018.yaml"),
                  os.path.join(EX, "additional-protocol-2020.yaml")],
                 ["ingest", os.path.join(EX, "incidents-2020.csv"), os.path.join(EX, "patrols-2020.geojson")],
                 ["token", "create", "--role", "analyst", "--name", "field"],
                 ["token", "revoke", "1"]):
        p = truce(args, db)
        if p.returncode != 0:
            sys.exit(f"setup {args} failed: {p.stderr}")
    return db


def procedure(bundle):
    """The shell block of the bundle's own VERIFY.md, run in the bundle."""
    with open(os.path.join(bundle, "VERIFY.md"), encoding="utf-8") as f:
        m = re.search(r"```sh\n(.*?)```", f.read(), re.S)
    return subprocess.run(["sh", "-c", m.group(1)], cwd=bundle, capture_output=True, text=True)


def sha256(path):
    return subprocess.run(["sha256sum", path], capture_output=True, text=True, check=True).stdout[:64]


def rewrite_manifest_line(bundle, rel):
    path = os.path.join(bundle, "MANIFEST.sha256")
    lines = open(path).read().splitlines()
    lines = [(sha256(os.path.join(bundle, rel)) + "  " + rel) if l.endswith("  " + rel) else l for l in lines]
    open(path, "w").write("\n".join(lines) + "\n")


def flip_byte(path, at):
    data = bytearray(open(path, "rb").read())
    data[at] ^= 0x01
    open(path, "wb").write(bytes(data))


def bundle_cases(tmp):
    db = make_db(tmp, "b.db")
    v = truce(["verify"], db)
    check(v.returncode == 0 and v.stdout.startswith("7 entries, chain intact"), "verify: intact example: " + v.stdout.strip())
    head = v.stdout.split("head ")[1].strip()
    bundle = os.path.join(tmp, "bundle")
    e = truce(["export-evidence", bundle], db)
    check(e.returncode == 0 and e.stderr == "", "export-evidence exits 0: " + e.stdout.strip() + e.stderr.strip())
    p = procedure(bundle)
    check(p.returncode == 0 and p.stdout.strip() == "chain intact; head " + head,
          "VERIFY.md procedure passes on the bundle and prints verify's head: " + p.stdout.strip() + p.stderr.strip())

    # Entry 4 is the ingest of incidents-2020.csv: its reports part.
    rel = "records/00000004.reports.txt"
    target = os.path.join(bundle, rel)
    with open(target, "rb") as f:
        at = f.read().index(b"Kansafra") + 2
    steps = [
        ("a record byte changed", lambda: flip_byte(target, at), "FAILED"),
        ("... and MANIFEST.sha256 fixed", lambda: rewrite_manifest_line(bundle, rel),
         "a record file does not match"),
    ]

    def fix_payload():
        path = os.path.join(bundle, "records/00000004.payload")
        lines = open(path).read().splitlines()
        lines = [(sha256(target) + "  00000004.reports.txt") if l.endswith("00000004.reports.txt") else l for l in lines]
        open(path, "w").write("\n".join(lines) + "\n")
        rewrite_manifest_line(bundle, "records/00000004.payload")

    def fix_entry():
        path = os.path.join(bundle, "entries/00000004.txt")
        text = open(path).read()
        text = re.sub(r"(?m)^payload [0-9a-f]{64}$", "payload " + sha256(os.path.join(bundle, "records/00000004.payload")), text)
        open(path, "w").write(text)
        rewrite_manifest_line(bundle, "entries/00000004.txt")

    steps.append(("... and the entry's payload list fixed", fix_payload, "does not match its payload line"))
    steps.append(("... and the entry's payload line fixed", fix_entry,
                  "entries/00000005.txt: prev is not the previous entry's hash"))
    for what, act, expect in steps:
        act()
        p = procedure(bundle)
        out = p.stdout + p.stderr
        check(p.returncode != 0 and expect in out, f"bundle tampered ({what}): procedure fails with '{expect}': {out.strip()[:200]}")


def db_cases(tmp):
    cases = [
        ("one byte of a report's raw text", "UPDATE reports SET raw = 'X' || substr(raw, 2) WHERE id = 3",
         r"^entry 4 \(ingest, .*incidents-2020\.csv\): reports row 3 was changed after the entry recorded it$"),
        ("an incident's lat_deg", "UPDATE incidents SET lat_deg = lat_deg + 0.01 WHERE id = 5",
         r"^entry 4 \(ingest, .*incidents-2020\.csv\): incidents row 5 was changed after the entry recorded it$"),
        ("a deleted report (and its incident)", "DELETE FROM incidents WHERE report_id = 7; DELETE FROM reports WHERE id = 7",
         r"^entry 4 \(ingest, .*\): reports row 7 is gone \(deleted after the entry recorded it\)"),
        ("a report added behind the store's back",
         "INSERT INTO reports (dataset, source_file_id, file_row, raw, content_hash) "
         "VALUES ('acled', 1, 1, 'forged', 'c0ffee')",
         r"^reports row 18 is covered by no entry \(stored behind the store's back\)$"),
        ("an agreement file's contents", "UPDATE agreement_files SET contents = contents || ' ' WHERE ord = 0 "
         "AND agreement_id = 'idlib-2020-protocol'",
         r"^entry 3 \(agreement, idlib-2020-protocol\): agreement 'idlib-2020-protocol': agreement_files row ord 0: "
         r"contents differs from what was recorded$"),
        ("a revoked token un-revoked", "UPDATE tokens SET revoked_at = NULL WHERE id = 1",
         r"^entry 7 \(token-revoked, token 1\): token 1: tokens row id 1: revoked_at differs from what was recorded$"),
        ("an entry's subject edited", "UPDATE evidence SET subject = 'other.csv' WHERE seq = 4",
         r"^entry 4 \(ingest, other\.csv\): its text hashes to .*the entry was edited$"),
    ]
    for n, (what, sql, pattern) in enumerate(cases):
        db = make_db(tmp, f"t{n}.db")
        BACKEND.sql(db, sql)
        v = truce(["verify"], db)
        first = v.stdout.splitlines()[0] if v.stdout else ""
        check(v.returncode == 6 and re.search(pattern, first) is not None and v.stderr == "",
              f"verify finds {what}: exit {v.returncode}: {first}")
        bundle = os.path.join(tmp, f"bundle{n}")
        e = truce(["export-evidence", bundle], db)
        check(e.returncode == 6 and not os.path.exists(bundle) and first in e.stdout,
              f"export-evidence refuses after {what}: exit {e.returncode}")


COVERED = {
    "files": None, "reports": None, "incidents": None, "claims": None, "agreements": None,
    "agreement_files": None, "tokens": None, "evidence": None, "evidence_parts": {"ord"},
}


def mutate(value, rng):
    if value is None:
        return 0
    if isinstance(value, int):
        return value + 1
    if isinstance(value, float):
        return value + 1e-6
    if isinstance(value, bytes):
        value = value.decode("utf-8", "surrogateescape")
    if value == "":
        return "x"
    k = rng.randrange(len(value))
    c = value[k]
    return value[:k] + ("y" if c == "x" else "x" if not c.isascii() or not c.isprintable() else chr(ord(c) ^ 1)) + value[k + 1:]


class Refused(Exception):
    """A change the database's own constraints refuse (UNIQUE, FOREIGN KEY):
    not a change anyone could make."""


def columns(db, table, skip):
    if BACKEND.pg:
        rows = BACKEND.query(db, "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                                 f"current_schema() AND table_name = '{table}' ORDER BY ordinal_position")
        cols = [r[0] for r in rows]
    else:
        cols = [r[1] for r in BACKEND.query(db, f"PRAGMA table_info({table})")]
    return [c for c in cols if not skip or c not in skip]


# A row is named by its physical place, which a copy keeps: SQLite's rowid,
# PostgreSQL's ctid (CREATE DATABASE ... TEMPLATE copies the files).
def row_ids(db, table):
    return [r[0] for r in BACKEND.query(db, f"SELECT {'ctid' if BACKEND.pg else 'rowid'} FROM {table}")]


def read_value(db, table, col, rowid):
    if not BACKEND.pg:
        con = sqlite3.connect(db)
        con.text_factory = bytes
        try:
            return con.execute(f"SELECT {col} FROM {table} WHERE rowid = ?", (rowid,)).fetchone()[0]
        finally:
            con.close()
    # psql prints text; the column's type says what it was.
    (kind,) = BACKEND.query(db, f"SELECT pg_typeof({col})::text FROM {table} WHERE ctid = '{rowid}'")[0]
    (text,) = BACKEND.query(db, f"SELECT {col} FROM {table} WHERE ctid = '{rowid}'")[0]
    if text is None:
        return None
    if kind in ("bigint", "integer", "smallint"):
        return int(text)
    if kind in ("double precision", "real", "numeric"):
        return float(text)
    return text


def write_value(db, table, col, rowid, new):
    if not BACKEND.pg:
        con = sqlite3.connect(db)
        try:
            con.execute(f"UPDATE {table} SET {col} = ? WHERE rowid = ?", (new, rowid))
            con.commit()
        except sqlite3.IntegrityError as e:
            raise Refused(str(e))
        finally:
            con.close()
        return
    literal = "NULL" if new is None else "'" + (repr(new) if isinstance(new, float) else str(new)).replace("'", "''") + "'"
    try:
        BACKEND.sql(db, f"UPDATE {table} SET {col} = {literal} WHERE ctid = '{rowid}'")
    except RuntimeError as e:
        if "violates" in str(e):  # SQLSTATE class 23, integrity constraint violation
            raise Refused(str(e))
        raise


def random_cases(tmp, n, seed):
    rng = random.Random(seed)
    base = make_db(tmp, "r.db")
    # A news report too, so that claims are covered.
    news = os.path.join(ROOT, "tests", "data", "news", "shelling.txt")
    if os.path.exists(news):
        truce(["ingest", "--published", "2020-03-06", news], base)
    rows = []
    for table, skip in COVERED.items():
        cols = columns(base, table, skip)
        for rowid in row_ids(base, table):
            rows.append((table, rowid, cols))
    caught = tried = 0
    for i in range(n):
        table, rowid, cols = rng.choice(rows)
        col = rng.choice(cols)
        db = BACKEND.copy_db(base, tmp, f"r{i}.db")
        old = read_value(db, table, col, rowid)
        new = mutate(old, rng)
        try:
            write_value(db, table, col, rowid, new)
        except Refused:
            BACKEND.drop_db(db)
            continue  # e.g. a UNIQUE value that exists: not a change anyone could make
        tried += 1
        v = truce(["verify"], db)
        ok = v.returncode == 6
        caught += ok
        if not ok:
            check(False, f"random change {i}: {table} rowid {rowid} {col}: {old!r:.40} -> {new!r:.40}: exit {v.returncode}")
        BACKEND.drop_db(db)
    check(caught == tried and tried > n // 2,
          f"random single-value changes (seed {seed}): {caught} of {tried} found by verify "
          f"({n - tried} refused by a constraint)")


def main():
    global TRUCE
    ap = argparse.ArgumentParser()
    ap.add_argument("--truce", required=True)
    ap.add_argument("--random", type=int, default=60, help="random changes to try (DEFAULT 60)")
    ap.add_argument("--seed", type=int, default=8)
    pglib.Backend.add_argument(ap)
    args = ap.parse_args()
    TRUCE = os.path.abspath(args.truce)
    global BACKEND
    BACKEND = pglib.Backend.from_args(args)
    print(f"backend: {BACKEND.name}")
    if shutil.which("sha256sum") is None:
        print("no sha256sum: skipped")
        return 77
    with tempfile.TemporaryDirectory(prefix="truce-evidence-") as tmp:
        bundle_cases(tmp)
        db_cases(tmp)
        random_cases(tmp, args.random, args.seed)
    print(f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
