#!/usr/bin/env python3
"""Golden tests for the truce CLI.

Each tests/cli/cases/NAME.case runs the binary in a fresh temporary directory
and compares what it prints with NAME.stdout (exactly) and, for failures,
NAME.stderr (exactly) or a `stderr-contains:` line. A case file:

    # what the case shows (comment lines start with #)
    setup: init                          # zero or more commands run first; must succeed
    setup: agreement add {examples}/additional-protocol-2020.yaml
    run: findings --format json          # the command under test
    exit: 0                              # expected exit code (DEFAULT 0)
    stderr-contains: row 3               # optional; with exit 0, stderr must be empty
    mask: \d{4}-\d\d-\d\dT\S*Z             # optional regexes replaced by {masked} in stdout
                                         # (values that change from run to run, like "now")
    file: bad.yaml                       # optional: a file written into the temp dir,
    | id: x                              #   its lines prefixed by "| "

Placeholders: {examples} is examples/idlib-2020, {data} tests/data, {tmp} the
temporary directory. Cases that begin with the same setup commands share
them: the database as it stood after a setup prefix that later cases repeat
is kept (a file copy; on PostgreSQL a template) and copied for them, so each
distinct prefix runs once per runner; a case with files of its own, a second
database, or {tmp} in a setup command runs all of its setup. Every command
gets `--db DB` first: `{tmp}/t.db`, or with
`--backend postgresql` a fresh database of its own on the runner's PostgreSQL
server (tests/pglib.py); `{db2}` in a command is a second one (`{tmp}/t2.db`).
`{db}` and `{db2}` name them in commands (a command that starts with its
own `--db` gets no other), and their names in what the binary
prints read `{db}` and `{db2}` on both backends, so that one golden file
serves both.

    golden.py --truce PATH [--backend sqlite|postgresql] [--update] [NAME ...]

--update rewrites the .stdout/.stderr files from what the binary prints; read
the diff before committing it.
"""
import argparse, os, re, shlex, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests"))
import pglib  # noqa: E402
CASES = os.path.join(ROOT, "tests", "cli", "cases")


def parse_case(path):
    case = {"setup": [], "run": None, "exit": 0, "stderr_contains": [], "files": {}, "mask": []}
    current_file = None
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.startswith("| ") or line == "|":
                if current_file is None:
                    raise SystemExit(f"{path}:{n}: '|' line outside a file: block")
                case["files"][current_file].append(line[2:])
                continue
            current_file = None
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            key, _, value = line.partition(":")
            value = value.strip()
            if key == "setup":
                case["setup"].append(value)
            elif key == "run":
                case["run"] = value
            elif key == "exit":
                case["exit"] = int(value)
            elif key == "stderr-contains":
                case["stderr_contains"].append(value)
            elif key == "mask":
                case["mask"].append(re.compile(value))
            elif key == "file":
                current_file = value
                case["files"][value] = []
            else:
                raise SystemExit(f"{path}:{n}: unknown key '{key}'")
    if case["run"] is None:
        raise SystemExit(f"{path}: no run: line")
    return case


def expand(text, tmp, dbs=()):
    for i, db in enumerate(dbs):  # {db}, {db2}: the case's databases
        text = text.replace("{db}" if i == 0 else "{db%d}" % (i + 1), db)
    return (text.replace("{examples}", os.path.join(ROOT, "examples", "idlib-2020"))
                .replace("{data}", os.path.join(ROOT, "tests", "data"))
                .replace("{tmp}", tmp))


def run(truce, args, tmp, db):
    args = shlex.split(expand(args, tmp, db))
    cmd = [truce] + (["--db", db[0]] if args[:1] != ["--db"] else []) + args
    env = dict(os.environ)
    env.pop("TRUCE_DB", None)
    p = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True, env=env, timeout=300)
    # The database and paths inside the output are made stable.
    def norm(s):
        for i, name in reversed(list(enumerate(db))):
            s = s.replace(name, "{db}" if i == 0 else "{db%d}" % (i + 1))
        return s.replace(tmp, "{tmp}").replace(ROOT, "{root}")
    return p.returncode, norm(p.stdout), norm(p.stderr)


class SetupCache:
    """Databases as they stood after a sequence of setup commands, for the
    cases that begin with the same commands."""

    def __init__(self, backend, cases):
        self.backend = backend
        self.dir = tempfile.mkdtemp(prefix="truce-golden-setups-")
        self.saved = {}  # tuple of setup commands -> a database
        # Prefixes that two or more cases begin with: only those are kept.
        counts = {}
        for case in cases:
            if self.shares(case):
                for k in range(1, len(case["setup"]) + 1):
                    key = tuple(case["setup"][:k])
                    counts[key] = counts.get(key, 0) + 1
        self.wanted = {key for key, n in counts.items() if n > 1}

    @staticmethod
    def shares(case):
        """Whether the case's setup depends on nothing but its commands."""
        commands = case["setup"] + [case["run"]]
        return (not case["files"] and not any("{db2}" in c or "{tmp}" in c for c in commands)
                and not any(c.startswith("--db") for c in case["setup"]))

    def longest(self, case, tmp):
        """(number of setup commands done, a database copied from the longest
        kept prefix), or (0, None)."""
        if self.shares(case):
            for k in range(len(case["setup"]), 0, -1):
                saved = self.saved.get(tuple(case["setup"][:k]))
                if saved is not None:
                    return k, self.backend.copy_db(saved, tmp, "t.db")
        return 0, None

    def keep(self, case, done, db):
        key = tuple(case["setup"][:done])
        if self.shares(case) and key in self.wanted and key not in self.saved:
            self.saved[key] = self.backend.copy_db(db, self.dir, "s%d.db" % len(self.saved))

    def close(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--truce", required=True)
    ap.add_argument("--update", action="store_true")
    pglib.Backend.add_argument(ap)
    ap.add_argument("names", nargs="*")
    a = ap.parse_args()
    a.truce = os.path.abspath(a.truce)
    backend = pglib.Backend.from_args(a)
    names = a.names or sorted(f[:-5] for f in os.listdir(CASES) if f.endswith(".case"))
    cases = {name: parse_case(os.path.join(CASES, name + ".case")) for name in names}
    setups = SetupCache(backend, cases.values())
    passed = failed = 0
    for name in names:
        case = cases[name]
        problems = []
        with tempfile.TemporaryDirectory(prefix="truce-golden-") as tmp:
            done, copied = setups.longest(case, tmp)
            db = [copied or backend.new_db(tmp, "t.db")]
            if any("{db2}" in c for c in case["setup"] + [case["run"]]):
                db.append(backend.new_db(tmp, "t2.db"))
            for fname, lines in case["files"].items():
                with open(os.path.join(tmp, fname), "w", encoding="utf-8") as f:
                    f.write("\n".join(lines) + "\n")
            for i, s in enumerate(case["setup"][done:], done + 1):
                code, out, err = run(a.truce, s, tmp, db)
                if code != 0:
                    problems.append(f"setup '{s}' exited {code}: {err.strip()}")
                    break  # the rest would fail for the same reason
                setups.keep(case, i, db[0])
            if not problems:
                code, out, err = run(a.truce, case["run"], tmp, db)
                for pattern in case["mask"]:
                    out = pattern.sub("{masked}", out)
                if code != case["exit"]:
                    problems.append(f"exit {code}, expected {case['exit']}; stderr: {err.strip()}")
                if case["exit"] == 0 and err:
                    problems.append(f"stderr not empty on success: {err.strip()}")
                for want in case["stderr_contains"]:
                    if want not in err:
                        problems.append(f"stderr lacks '{want}': {err.strip()}")
                golden = os.path.join(CASES, name + ".stdout")
                if a.update:
                    with open(golden, "w", encoding="utf-8") as f:
                        f.write(out)
                elif not os.path.exists(golden):
                    problems.append(f"no golden file {golden} (run with --update and review it)")
                else:
                    with open(golden, encoding="utf-8") as f:
                        want = f.read()
                    if out != want:
                        import difflib
                        diff = "".join(difflib.unified_diff(want.splitlines(True), out.splitlines(True),
                                                            "expected", "actual", n=2))
                        problems.append("stdout differs:\n" + diff[:4000])
        if problems:
            failed += 1
            print(f"FAIL {name}")
            for p in problems:
                print("  " + p.replace("\n", "\n  "))
        else:
            passed += 1
            print(f"ok   {name}")
    setups.close()
    print(f"{passed} passed, {failed} failed ({backend.name}; {len(setups.saved)} shared setup prefixes)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
