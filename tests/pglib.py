"""A throwaway PostgreSQL server for the Python test runners, and the
`--backend sqlite|postgresql` choice they share.

One server per runner process, started on first use: `initdb` into a temporary
directory (Debian's postgresql-15), a free port on 127.0.0.1 (no Unix socket
outside that directory), as the user `postgres` when run as root (the server
refuses root). Each test gets a fresh database of its own (`new_database`), so
cases never see each other's rows. A watchdog process holds the other end of a
pipe: when the runner exits in any way, even killed, the pipe closes and the
watchdog stops the server (`pg_ctl stop -m immediate`) and removes the
directory.

With `TRUCE_TEST_PG_URL` set (postgresql://user@host:port/db of a server the
caller runs), or `TRUCE_TEST_PG_URL_FILE` naming a file that holds such a URL
(the CTest fixture `truce_pg`: `pglib.py fixture-start|fixture-stop DIR`, see
the end of this file), no server is started: databases are created on that
server and dropped at exit.

    import pglib
    backend = pglib.Backend.from_args(args)          # --backend / TRUCE_TEST_BACKEND
    db = backend.new_db(tmpdir, "t.db")              # a path, or a postgresql:// URL
    backend.sql(db, "UPDATE reports SET raw = 'x' WHERE id = 3")  # psql or sqlite3
    holder = backend.hold_write_lock(db); ...; holder.release()   # another writer
"""
import atexit
import fcntl
import itertools
import os
import pwd
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse

BACKENDS = ("sqlite", "postgresql")
URL_PLACEHOLDER = "{db}"


def pg_bindir():
    """Debian's postgresql-15 binaries (or whatever `pg_ctl` is on PATH)."""
    for d in ("/usr/lib/postgresql/15/bin",):
        if os.path.exists(os.path.join(d, "initdb")):
            return d
    found = shutil.which("pg_ctl")
    return os.path.dirname(os.path.realpath(found)) if found else None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The watchdog stops the server and removes its directory when what it watches
# ends: with `pipe`, its stdin reaches EOF (the runner's end of the pipe closes
# when the runner exits, however it exits); with `pid:N`, process N (the ctest
# that ran the fixture's set-up) is gone, or the directory was removed by the
# fixture's clean-up, or MAX_FIXTURE_HOURS passed.
MAX_FIXTURE_HOURS = 4
_WATCHDOG = r"""
import os, shutil, subprocess, sys, time
pg_ctl, data, tmp, user, watch, hours = sys.argv[1:7]
if watch == "pipe":
    sys.stdin.buffer.read()
else:
    pid, end = int(watch.split(":")[1]), time.monotonic() + float(hours) * 3600
    def alive(pid):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
        try:  # a zombie is gone too
            with open(f"/proc/{pid}/stat") as f:
                return f.read().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False
    while alive(pid) and os.path.isdir(data) and time.monotonic() < end:
        time.sleep(1)
cmd = [pg_ctl, "-D", data, "-m", "immediate", "-w", "stop"]
kw = {}
if user:
    import pwd
    pw = pwd.getpwnam(user)
    def drop():
        os.setgid(pw.pw_gid)
        os.setuid(pw.pw_uid)
    kw["preexec_fn"] = drop
if os.path.isdir(data):
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
shutil.rmtree(tmp, ignore_errors=True)
"""

URL_FILE_ENV = "TRUCE_TEST_PG_URL_FILE"


def external_url():
    """The URL of a server someone else runs: TRUCE_TEST_PG_URL, or the
    first line of the file TRUCE_TEST_PG_URL_FILE names (the CTest fixture
    writes it); None when neither is set."""
    url = os.environ.get("TRUCE_TEST_PG_URL")
    if url:
        return url
    path = os.environ.get(URL_FILE_ENV)
    if not path:
        return None
    try:
        with open(path) as f:
            url = f.readline().strip()
    except OSError as e:
        raise RuntimeError(f"{URL_FILE_ENV}={path}: {e.strerror} (did the CTest fixture pg_server_start run?)")
    if not is_url(url):
        raise RuntimeError(f"{URL_FILE_ENV}={path}: not a postgresql:// URL: {url!r}")
    return url


class PgServer:
    """A PostgreSQL server: started here, or the one TRUCE_TEST_PG_URL (or
    the file TRUCE_TEST_PG_URL_FILE) names.

    `watch` is what ends a started server: "pipe" (this process's exit) or
    "pid:N" (process N's exit; the CTest fixture)."""

    def __init__(self, watch="pipe"):
        self.external = None if watch != "pipe" else external_url()
        # The fixture's server is removed whole at the end of the run: its
        # databases need no dropping one by one (0.3 s each).
        self.disposable = bool(self.external) and not os.environ.get("TRUCE_TEST_PG_URL")
        self.created = []
        self.counter = itertools.count(1)
        self.tag = f"truce_t{os.getpid()}_{int(time.time()) % 100000}"
        if self.external:
            u = urllib.parse.urlsplit(self.external)
            self.base = f"{u.scheme}://{u.netloc}"
            self.admin_url = self.external
            atexit.register(self._drop_created)
            return
        bindir = pg_bindir()
        if bindir is None:
            raise RuntimeError("PostgreSQL is not installed (Debian: postgresql-15; scripts/setup.sh installs it)")
        self.tmp = tempfile.mkdtemp(prefix="truce-pg-")
        self.data = os.path.join(self.tmp, "data")
        self.user = None
        kw = {}
        if os.geteuid() == 0:
            self.user = "postgres"
            pw = pwd.getpwnam(self.user)
            os.chown(self.tmp, pw.pw_uid, pw.pw_gid)

            def drop():
                os.setgid(pw.pw_gid)
                os.setuid(pw.pw_uid)
            kw["preexec_fn"] = drop
        self._kw = kw
        run = lambda cmd: subprocess.run(cmd, capture_output=True, text=True, **kw)
        p = run([os.path.join(bindir, "initdb"), "-D", self.data, "-U", "postgres", "--auth=trust",
                 "--encoding=UTF8", "--locale=C", "--no-sync"])
        if p.returncode != 0:
            shutil.rmtree(self.tmp, ignore_errors=True)
            raise RuntimeError("initdb failed: " + p.stderr)
        # The fixture's watchdog outlives the set-up test: it must hold none
        # of ctest's pipes, or ctest would wait for it.
        quiet = {} if watch == "pipe" else {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        self.watchdog = subprocess.Popen(
            [sys.executable, "-c", _WATCHDOG, os.path.join(bindir, "pg_ctl"), self.data, self.tmp, self.user or "",
             watch, str(MAX_FIXTURE_HOURS)],
            stdin=subprocess.PIPE if watch == "pipe" else subprocess.DEVNULL, start_new_session=True, **quiet)
        # Durability is not under test here: fsync off makes initdb-to-ready and
        # every commit fast. The port is free when picked; a race with another
        # process taking it is retried.
        for _ in range(5):
            self.port = free_port()
            opts = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.tmp} -c fsync=off "
                    "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300")
            p = run([os.path.join(bindir, "pg_ctl"), "-D", self.data, "-l", os.path.join(self.tmp, "log"),
                     "-o", opts, "-w", "-t", "60", "start"])
            if p.returncode == 0:
                break
        else:
            self.stop()
            raise RuntimeError("PostgreSQL did not start: " + p.stdout + p.stderr + self.log())
        self.base = f"postgresql://postgres@127.0.0.1:{self.port}"
        self.admin_url = self.base + "/postgres"
        # PostGIS (Debian's postgresql-15-postgis-3) in template1, so that every
        # test database has it from the start and `truce init` turns the GIS
        # layers on at once (a CREATE EXTENSION postgis per database takes
        # seconds). Without the package, databases have no PostGIS: the layers
        # stay off, as on such a server.
        psql(self.base + "/template1",
             "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'postgis') "
             "THEN CREATE EXTENSION IF NOT EXISTS postgis; END IF; END $$")
        if watch == "pipe":
            atexit.register(self.stop)

    def log(self):
        try:
            with open(os.path.join(self.tmp, "log"), errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def database_name(self, hint=""):
        name = f"{self.tag}_{next(self.counter)}"
        if hint:
            name += "_" + re.sub(r"[^a-z0-9]+", "_", hint.lower())[:30]
        return name

    def new_database(self, hint=""):
        """A fresh, empty database; its URL. The next one is made meanwhile
        (CREATE DATABASE takes about half a second, most of it waiting on the
        disk): a runner's cases take one each, one after the other."""
        name = self.database_name(hint)
        spare = self._take_spare()
        if spare:
            psql(self.admin_url, f'ALTER DATABASE "{spare}" RENAME TO "{name}"')
            self.created.remove(spare)
        else:
            psql(self.admin_url, f'CREATE DATABASE "{name}" STRATEGY FILE_COPY')  # faster than WAL_LOG here
        self.created.append(name)
        self._make_spare()
        return f"{self.base}/{name}"

    def _make_spare(self):
        import threading
        name = f"{self.tag}_spare{next(self.counter)}"
        self.created.append(name)  # dropped at exit with the others
        result = {}

        def make():
            try:
                psql(self.admin_url, f'CREATE DATABASE "{name}" STRATEGY FILE_COPY')
                result["name"] = name
            except Exception as e:  # noqa: BLE001 - new_database makes its own then
                result["error"] = e
        self._spare = (threading.Thread(target=make, daemon=True), result)
        self._spare[0].start()

    def _take_spare(self):
        spare, self._spare = getattr(self, "_spare", None), None
        if spare is None:
            return None
        spare[0].join()
        return spare[1].get("name")

    def drop_database(self, url):
        name = urllib.parse.urlsplit(url).path.lstrip("/")
        if name in self.created:
            self.created.remove(name)
        if self.disposable:
            return  # the whole server goes at the end of the run
        psql(self.admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _drop_created(self):
        self._take_spare()
        if self.disposable:
            return
        for name in list(self.created):
            try:
                psql(self.admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except Exception:  # noqa: BLE001 - best effort at exit
                pass

    def stop(self):
        """Stops the server (the watchdog does it when its pipe closes; a
        fixture's server is stopped here)."""
        if self.external or getattr(self, "watchdog", None) is None:
            return
        if self.watchdog.stdin is None:
            stop_server(self.data, self.tmp, self.user)
        else:
            try:
                self.watchdog.stdin.close()
            except OSError:
                pass
        try:
            # pg_ctl's own wait is up to 60 s, then the directory is removed:
            # on a loaded machine with many databases that took over a minute.
            self.watchdog.wait(timeout=180)
        except subprocess.TimeoutExpired:
            print(f"note: the PostgreSQL server in {self.tmp} is still stopping; its watchdog goes on alone",
                  file=sys.stderr)
        self.watchdog = None


def stop_server(data, tmp, user):
    """pg_ctl stop -m immediate (as `user`, when given) and the directory removed."""
    kw = {}
    if user:
        pw = pwd.getpwnam(user)

        def drop():
            os.setgid(pw.pw_gid)
            os.setuid(pw.pw_uid)
        kw["preexec_fn"] = drop
    bindir = pg_bindir()
    if bindir and os.path.isdir(data):
        subprocess.run([os.path.join(bindir, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120, **kw)
    shutil.rmtree(tmp, ignore_errors=True)


_server = None


def server():
    """The runner's one server, started on first use."""
    global _server
    if _server is None:
        _server = PgServer()
    return _server


def psql(url, sql, check=True):
    """Runs SQL through psql (ON_ERROR_STOP); its unaligned output, one row a line."""
    p = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
                       capture_output=True, text=True, timeout=300)
    if check and p.returncode != 0:
        raise RuntimeError(f"psql: {sql[:200]}: {p.stderr.strip()}")
    return p


def is_url(db):
    return db.startswith("postgresql://") or db.startswith("postgres://")


class Backend:
    """Where a runner's databases live: SQLite files or PostgreSQL databases."""

    def __init__(self, name):
        if name not in BACKENDS:
            raise SystemExit(f"--backend: '{name}' is not one of {', '.join(BACKENDS)}")
        self.name = name

    @staticmethod
    def add_argument(parser):
        parser.add_argument("--backend", choices=BACKENDS, default=os.environ.get("TRUCE_TEST_BACKEND", "sqlite"),
                            help="where the databases live (DEFAULT $TRUCE_TEST_BACKEND or sqlite)")

    @classmethod
    def from_args(cls, args):
        return cls(args.backend)

    @property
    def pg(self):
        return self.name == "postgresql"

    def new_db(self, directory, filename):
        """A new, empty database: a file name in `directory`, or a fresh
        PostgreSQL database (named after the file name)."""
        if self.pg:
            return server().new_database(os.path.splitext(filename)[0])
        return os.path.join(directory, filename)

    def copy_db(self, src, directory, filename):
        """A copy of database `src` under a new name (SQLite: the file; PostgreSQL:
        CREATE DATABASE ... TEMPLATE)."""
        if self.pg:
            srv = server()
            name = srv.database_name(os.path.splitext(filename)[0])
            src_name = urllib.parse.urlsplit(src).path.lstrip("/")
            psql(srv.admin_url, f'CREATE DATABASE "{name}" TEMPLATE "{src_name}" STRATEGY FILE_COPY')
            srv.created.append(name)
            return f"{srv.base}/{name}"
        dst = os.path.join(directory, filename)
        for suffix in ("", "-wal", "-shm"):  # what a writer left in the WAL too
            if os.path.exists(src + suffix):
                shutil.copy(src + suffix, dst + suffix)
        return dst

    def drop_db(self, db):
        """Removes a database new_db or copy_db made."""
        if is_url(db):
            server().drop_database(db)
        else:
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(db + suffix):
                    os.remove(db + suffix)

    def sql(self, db, script):
        """Runs SQL statements (no results) on `db`, as anyone holding the
        database could, in one transaction."""
        if is_url(db):
            psql(db, "BEGIN; " + script + "; COMMIT")
        else:
            con = sqlite3.connect(db)
            try:
                con.executescript(script)
                con.commit()
            finally:
                con.close()

    def query(self, db, sql):
        """The rows of a query, each a tuple of strings (None for NULL) on
        PostgreSQL, of Python values on SQLite."""
        if is_url(db):
            # Fields end at \x1f, rows at \x1d (a text may hold newlines), NULL
            # is \x1e; the output ends with one newline, unless there is no row
            # (one row of one empty text is just the newline).
            p = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\x1f", "-R", "\x1d", "-P", "null=\x1e",
                                "-d", db, "-c", sql], capture_output=True, text=True, timeout=300)
            if p.returncode != 0:
                raise RuntimeError(f"psql: {sql[:200]}: {p.stderr.strip()}")
            if p.stdout == "":
                return []
            out = p.stdout[:-1] if p.stdout.endswith("\n") else p.stdout
            return [tuple(None if v == "\x1e" else v for v in row.split("\x1f")) for row in out.split("\x1d")]
        con = sqlite3.connect(db)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def count(self, db, sql):
        return int(self.query(db, sql)[0][0])

    def hold_write_lock(self, db, seconds=600):
        """Another process holding the database's write lock (what a second
        writer holds) until `release()` or `seconds` pass; returns once it has
        the lock. SQLite: BEGIN IMMEDIATE; PostgreSQL: the engine's advisory
        lock (WRITE_LOCK_KEY) in an open transaction of a psql session."""
        return LockHolder(db, seconds)

    def hold_job_lock(self, db):
        """Another process holding the database's job lock (what a server's
        job or a writing truce command holds) until `release()`; returns once
        it has the lock. PostgreSQL: a psql session's pg_advisory_lock
        (JOB_LOCK_KEY); SQLite: flock(2) on the file DB-jobs."""
        return JobLockHolder(db)


# The key of the PostgreSQL engine's write lock, a transaction-scoped advisory
# lock (src/store/pg_db.cc, kWriteLock): "truce" in ASCII. A lock holder on
# another key would not make truce wait, and the busy tests would fail.
WRITE_LOCK_KEY = 499918954341

# The job lock (Store::TryLockJobs): a session-level advisory lock on the
# write lock's key + 1 (src/store/pg_db.cc, kTryJobLock); on SQLite, flock(2)
# on the file beside the database.
JOB_LOCK_KEY = WRITE_LOCK_KEY + 1

# Holds the write lock until its stdin closes or argv[2] seconds pass; prints
# "locked" once it holds it.
_HOLDER = r"""
import select, sqlite3, subprocess, sys
db, seconds, key = sys.argv[1], float(sys.argv[2]), sys.argv[3]
if db.startswith("postgres"):
    p = subprocess.Popen(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", db],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    p.stdin.write(f"BEGIN;\nSELECT 'locked' FROM (SELECT pg_advisory_xact_lock({key})) AS l;\n")
    p.stdin.flush()
    if p.stdout.readline().strip() != "locked":
        sys.exit("psql did not take the lock")
    print("locked", flush=True)
    select.select([sys.stdin], [], [], seconds)
    p.stdin.write("COMMIT;\n")
    p.stdin.close()
    p.wait()
else:
    c = sqlite3.connect(db, isolation_level=None, timeout=30)
    c.execute("BEGIN IMMEDIATE")
    print("locked", flush=True)
    select.select([sys.stdin], [], [], seconds)
    c.execute("COMMIT")
"""


class JobLockHolder:
    def __init__(self, db):
        self.proc = None
        self.fd = None
        if is_url(db):
            self.proc = subprocess.Popen(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", db],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            self.proc.stdin.write(f"SELECT 'locked' FROM (SELECT pg_advisory_lock({JOB_LOCK_KEY})) AS l;\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
            if line.strip() != "locked":
                self.proc.kill()
                self.proc.wait()
                raise AssertionError("psql did not take the job lock: " + line)
        else:
            self.fd = os.open(db + "-jobs", os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(self.fd, fcntl.LOCK_EX)

    def release(self):
        if self.proc:
            if not self.proc.stdin.closed:
                self.proc.stdin.close()  # psql ends, its session's lock with it
            self.proc.wait(timeout=30)
            if not self.proc.stdout.closed:
                self.proc.stdout.close()
        elif self.fd is not None:
            os.close(self.fd)
            self.fd = None


class LockHolder:
    def __init__(self, db, seconds=600):
        self.proc = subprocess.Popen([sys.executable, "-c", _HOLDER, db, str(seconds), str(WRITE_LOCK_KEY)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if line.strip() != "locked":
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("the lock holder did not get the lock")

    def release(self):
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        self.proc.wait(timeout=30)
        self.proc.stdout.close()

    def normalize(self, text, db, placeholder=URL_PLACEHOLDER):
        """`text` with the database's URL (and its password-free form) replaced
        by one placeholder, so that outputs compare across backends."""
        if is_url(db):
            return text.replace(db, placeholder)
        return text


# The CTest fixture (tests/CMakeLists.txt): one server for a whole ctest run.
#   pglib.py fixture-start STATE_DIR   starts it; writes STATE_DIR/url (what
#                                      TRUCE_TEST_PG_URL_FILE names) and state.json
#   pglib.py fixture-stop STATE_DIR    stops it and removes its directory
# The server is stopped too when the ctest that started it exits without the
# clean-up (killed, Ctrl-C): its watchdog watches ctest's pid.
def fixture_start(state_dir):
    import json
    os.makedirs(state_dir, exist_ok=True)
    fixture_stop(state_dir, quiet=True)  # a previous run's, if its clean-up never ran
    t0 = time.monotonic()
    srv = PgServer(watch=f"pid:{os.getppid()}")
    version = psql(srv.admin_url, "SHOW server_version").stdout.strip()
    state = {"url": srv.admin_url, "tmp": srv.tmp, "data": srv.data, "user": srv.user,
             "watchdog": srv.watchdog.pid}
    with open(os.path.join(state_dir, "state.json"), "w") as f:
        json.dump(state, f)
    tmp_url = os.path.join(state_dir, "url.tmp")
    with open(tmp_url, "w") as f:
        f.write(srv.admin_url + "\n")
    os.replace(tmp_url, os.path.join(state_dir, "url"))  # the URL file appears whole
    print(f"PostgreSQL {version} at {srv.admin_url} (data in {srv.data}), ready in "
          f"{time.monotonic() - t0:.1f} s; URL in {os.path.join(state_dir, 'url')}")
    return 0


def fixture_stop(state_dir, quiet=False):
    import json
    path = os.path.join(state_dir, "state.json")
    try:
        with open(path) as f:
            state = json.load(f)
    except (OSError, ValueError):
        if not quiet:
            print(f"no fixture server recorded in {path}")
        return 0
    for name in ("url", "state.json"):
        try:
            os.unlink(os.path.join(state_dir, name))
        except OSError:
            pass
    stop_server(state["data"], state["tmp"], state["user"])
    if not quiet:
        print(f"stopped PostgreSQL at {state['url']}")
    return 0


def main(argv):
    import argparse
    ap = argparse.ArgumentParser(description="The CTest fixture's PostgreSQL server.")
    ap.add_argument("command", choices=("fixture-start", "fixture-stop"))
    ap.add_argument("state_dir")
    a = ap.parse_args(argv)
    try:
        return fixture_start(a.state_dir) if a.command == "fixture-start" else fixture_stop(a.state_dir)
    except RuntimeError as e:
        print(f"pglib.py {a.command}: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
