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
caller runs, e.g. the CTest fixture), no server is started: databases are
created on that server and dropped at exit.

    import pglib
    backend = pglib.Backend.from_args(args)          # --backend / TRUCE_TEST_BACKEND
    db = backend.new_db(tmpdir, "t.db")              # a path, or a postgresql:// URL
    backend.sql(db, "UPDATE reports SET raw = 'x' WHERE id = 3")  # psql or sqlite3
"""
import atexit
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


# The watchdog: reads its stdin until EOF (the runner's end of the pipe closes
# when the runner exits, however it exits), then stops the server.
_WATCHDOG = r"""
import os, shutil, subprocess, sys
pg_ctl, data, tmp, user = sys.argv[1:5]
sys.stdin.buffer.read()
cmd = [pg_ctl, "-D", data, "-m", "immediate", "-w", "stop"]
kw = {}
if user:
    import pwd
    pw = pwd.getpwnam(user)
    def drop():
        os.setgid(pw.pw_gid)
        os.setuid(pw.pw_uid)
    kw["preexec_fn"] = drop
subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
shutil.rmtree(tmp, ignore_errors=True)
"""


class PgServer:
    """A PostgreSQL server: started here, or the one TRUCE_TEST_PG_URL names."""

    def __init__(self):
        self.external = os.environ.get("TRUCE_TEST_PG_URL")
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
        self.watchdog = subprocess.Popen(
            [sys.executable, "-c", _WATCHDOG, os.path.join(bindir, "pg_ctl"), self.data, self.tmp, self.user or ""],
            stdin=subprocess.PIPE, start_new_session=True)
        # Durability is not under test here: fsync off makes initdb-to-ready and
        # every commit fast. The port is free when picked; a race with another
        # process taking it is retried.
        for _ in range(5):
            self.port = free_port()
            opts = (f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.tmp} -c fsync=off "
                    "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
            p = run([os.path.join(bindir, "pg_ctl"), "-D", self.data, "-l", os.path.join(self.tmp, "log"),
                     "-o", opts, "-w", "-t", "60", "start"])
            if p.returncode == 0:
                break
        else:
            self.stop()
            raise RuntimeError("PostgreSQL did not start: " + p.stdout + p.stderr + self.log())
        self.base = f"postgresql://postgres@127.0.0.1:{self.port}"
        self.admin_url = self.base + "/postgres"
        atexit.register(self.stop)

    def log(self):
        try:
            with open(os.path.join(self.tmp, "log"), errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def new_database(self, hint=""):
        """A fresh, empty database; its URL."""
        name = f"{self.tag}_{next(self.counter)}"
        if hint:
            name += "_" + re.sub(r"[^a-z0-9]+", "_", hint.lower())[:30]
        psql(self.admin_url, f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return f"{self.base}/{name}"

    def drop_database(self, url):
        name = urllib.parse.urlsplit(url).path.lstrip("/")
        psql(self.admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if name in self.created:
            self.created.remove(name)

    def _drop_created(self):
        for name in list(self.created):
            try:
                psql(self.admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except Exception:  # noqa: BLE001 - best effort at exit
                pass

    def stop(self):
        """Stops the server (the watchdog does it when its pipe closes)."""
        if self.external or getattr(self, "watchdog", None) is None:
            return
        try:
            self.watchdog.stdin.close()
        except OSError:
            pass
        self.watchdog.wait(timeout=60)
        self.watchdog = None


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
            url = server().new_database(os.path.splitext(filename)[0])
            name = urllib.parse.urlsplit(url).path.lstrip("/")
            server().drop_database(url)
            src_name = urllib.parse.urlsplit(src).path.lstrip("/")
            psql(server().admin_url, f'CREATE DATABASE "{name}" TEMPLATE "{src_name}"')
            server().created.append(name)
            return url
        dst = os.path.join(directory, filename)
        shutil.copy(src, dst)
        return dst

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
            p = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-F", "\x1f", "-P", "null=\x1e", "-d", db, "-c", sql],
                               capture_output=True, text=True, timeout=300)
            if p.returncode != 0:
                raise RuntimeError(f"psql: {sql[:200]}: {p.stderr.strip()}")
            return [tuple(None if v == "\x1e" else v for v in line.split("\x1f"))
                    for line in p.stdout.split("\n") if line]  # not splitlines: \x1e is a line break to it
        con = sqlite3.connect(db)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def count(self, db, sql):
        return int(self.query(db, sql)[0][0])

    def normalize(self, text, db, placeholder=URL_PLACEHOLDER):
        """`text` with the database's URL (and its password-free form) replaced
        by one placeholder, so that outputs compare across backends."""
        if is_url(db):
            return text.replace(db, placeholder)
        return text
