#!/usr/bin/env python3
"""Writes that finish (issue 8), through the real `truce` binary:

- a busy database: another process holds the write lock (SQLite: BEGIN
  IMMEDIATE; PostgreSQL: the engine's advisory lock; tests/pglib.py); `truce --wait 0 ingest` fails at once with exit 5 and
  writes nothing; `--wait 10` waits, says so, and succeeds once the lock is
  released; `token revoke` (a leaked token) and `rule` wait the same way;
- the job lock (what a server's write job holds, docs/design.md "Several
  servers"): held by another process, `truce rule`, `ingest`, `agreement add`
  wait, say so once, and proceed when it is released; `--wait 0` fails at once
  with exit 5, a short --wait gives up with exit 5 and stores nothing;
  commands that do not touch incidents, agreements or findings (token) do not
  take it;
- a killed ingest with piped standard output still printed the files it had
  committed;
- a file named with bytes that are not UTF-8 is stored under a repaired name;
- a FIFO and /dev/zero as input files are refused at once instead of hanging.

No timing assertions: the lock holder lets go when truce says it waits,
and every wait has a generous bound.

    writes_test.py --truce PATH [--backend sqlite|postgresql] [unittest args]
"""
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import servelib  # noqa: E402

TRUCE = None
BACKEND = None  # pglib.Backend: --backend sqlite|postgresql (servelib.unittest_main)
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(REPO, "examples", "idlib-2020")
INCIDENTS = os.path.join(EXAMPLE, "incidents-2020.csv")

def truce(db, *args, timeout=120, **kw):
    return subprocess.run([TRUCE, "--db", db, *args], capture_output=True, text=True, timeout=timeout, **kw)


def truce_waiting(db, *args, timeout=120):
    """`truce --db DB ARGS` started while another process holds the write
    lock, which is let go once truce says it waits (never by the clock: under
    the sanitizers truce may take more than a second to reach the lock)."""
    holder = BACKEND.hold_write_lock(db, seconds=timeout)
    try:
        proc = subprocess.Popen([TRUCE, "--db", db, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        first = proc.stderr.readline()  # "" when truce ended without a word
        holder.release()
        out, rest = proc.communicate(timeout=timeout)
    finally:
        holder.release()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, first + rest)


def count(db, sql):
    return BACKEND.count(db, sql)


class WritesTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="truce_writes_")
        self.db = BACKEND.new_db(self.tmp, "t.db")
        p = truce(self.db, "init")
        self.assertEqual(p.returncode, 0, p.stderr)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_busy_wait_zero_fails_at_once_and_writes_nothing(self):
        holder = BACKEND.hold_write_lock(self.db)
        try:
            p = truce(self.db, "--wait", "0", "ingest", INCIDENTS)
        finally:
            holder.release()
        self.assertEqual(p.returncode, 5, p.stderr)
        self.assertEqual(p.stdout, "")
        self.assertIn("database busy", p.stderr)
        self.assertIn("another writer holds the database", p.stderr)
        self.assertIn("(waited 0 s; --wait SECONDS to wait longer)", p.stderr)
        self.assertNotIn("waiting for another writer", p.stderr)
        self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
        self.assertEqual(count(self.db, "SELECT COUNT(*) FROM incidents"), 0)
        self.assertEqual(count(self.db, "SELECT COUNT(*) FROM files"), 0)
        # Once the lock is free the same file loads: it was not marked ingested.
        p = truce(self.db, "--wait", "0", "ingest", INCIDENTS)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("14 added", p.stdout)

    def test_busy_waits_with_a_message_and_succeeds_after_release(self):
        p = truce_waiting(self.db, "--wait", "10", "ingest", INCIDENTS)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("truce: waiting for another writer to release the database (up to 10 s", p.stderr)
        self.assertIn("14 records, 14 added", p.stdout)
        self.assertEqual(count(self.db, "SELECT COUNT(*) FROM incidents"), 14)

    def test_token_revoke_and_rule_wait_for_a_long_ingest(self):
        p = truce(self.db, "token", "create", "--role", "analyst", "--name", "leaked")
        self.assertEqual(p.returncode, 0, p.stderr)
        for args in (["token", "revoke", "1"], ["rule"], ["agreement", "add",
                                                         os.path.join(EXAMPLE, "sochi-memorandum-2018.yaml")]):
            with self.subTest(command=args[0]):
                p = truce_waiting(self.db, "--wait", "30", *args)
                self.assertEqual(p.returncode, 0, p.stderr)
                self.assertIn("waiting for another writer", p.stderr)
        self.assertEqual(count(self.db, "SELECT COUNT(*) FROM tokens WHERE revoked_at IS NOT NULL"), 1)
        # And without waiting, each fails as busy.
        holder = BACKEND.hold_write_lock(self.db)
        try:
            for args in (["token", "revoke", "1"], ["rule"], ["token", "create", "--role", "viewer"]):
                p = truce(self.db, "--wait", "0", *args)
                self.assertEqual(p.returncode, 5, f"{args}: {p.stderr}")
                self.assertIn("database busy", p.stderr)
        finally:
            holder.release()

    def test_commands_that_write_wait_for_the_job_lock(self):
        sochi = os.path.join(EXAMPLE, "sochi-memorandum-2018.yaml")
        for args in (["rule"], ["ingest", INCIDENTS], ["agreement", "add", sochi]):
            with self.subTest(command=args[0]):
                holder = BACKEND.hold_job_lock(self.db)
                try:
                    proc = subprocess.Popen([TRUCE, "--db", self.db, "--wait", "120", *args], stdout=subprocess.PIPE,
                                            stderr=subprocess.PIPE, text=True)
                    first = proc.stderr.readline()  # "" when truce ended without a word
                    self.assertIn("truce: waiting for another writer's job", first)
                    self.assertIn("(up to 120 s; --wait SECONDS to change)", first)
                    # It waits while the lock is held: nothing stored yet.
                    self.assertEqual(count(self.db, "SELECT COUNT(*) FROM incidents"), 14 if args[0] == "agreement" else 0)
                finally:
                    holder.release()
                out, rest = proc.communicate(timeout=120)
                self.assertEqual(proc.returncode, 0, first + rest)
                self.assertNotIn("waiting", rest)  # said once
        self.assertEqual(count(self.db, "SELECT COUNT(*) FROM incidents"), 14)
        self.assertEqual(count(self.db, "SELECT COUNT(*) FROM agreements"), 1)

    def test_a_held_job_lock_makes_writes_give_up_with_exit_5(self):
        holder = BACKEND.hold_job_lock(self.db)
        try:
            p = truce(self.db, "--wait", "0", "rule")
            self.assertEqual(p.returncode, 5, p.stderr)
            self.assertEqual(p.stdout, "")
            self.assertEqual(p.stderr, "truce rule: database busy: another process holds the database's job lock "
                             "(a server's write job, or a truce command that writes: ingest, agreement add, "
                             "incident link/unlink/split, reconcile, rule) (waited 0 s; --wait SECONDS to wait "
                             "longer)\n")
            p = truce(self.db, "--wait", "0.2", "ingest", INCIDENTS)
            self.assertEqual(p.returncode, 5, p.stderr)
            lines = p.stderr.strip().splitlines()
            self.assertEqual(len(lines), 2, p.stderr)
            self.assertIn("truce: waiting for another writer's job", lines[0])
            self.assertIn("truce ingest: database busy: another process holds the database's job lock", lines[1])
            self.assertEqual(count(self.db, "SELECT COUNT(*) FROM incidents"), 0)
            self.assertEqual(count(self.db, "SELECT COUNT(*) FROM files"), 0)
            # Tokens are no job's business: created while the lock is held.
            p = truce(self.db, "--wait", "0", "token", "create", "--role", "viewer")
            self.assertEqual(p.returncode, 0, p.stderr)
        finally:
            holder.release()
        p = truce(self.db, "--wait", "0", "ingest", INCIDENTS)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("14 records, 14 added", p.stdout)

    def test_killed_ingest_with_piped_stdout_printed_the_committed_files(self):
        other = os.path.join(self.tmp, "other.csv")
        with open(INCIDENTS, encoding="utf-8") as f:
            lines = f.read().splitlines(True)
        with open(other, "w", encoding="utf-8") as f:
            f.write(lines[0] + lines[1].replace("SYR-RECON-001", "SYR-OTHER-001"))
        p = truce(self.db, "ingest", INCIDENTS)
        self.assertEqual(p.returncode, 0, p.stderr)
        holder = BACKEND.hold_write_lock(self.db)
        try:
            # The first file is done (stored before); the second waits for the lock.
            proc = subprocess.Popen([TRUCE, "--db", self.db, "--wait", "120", "ingest", INCIDENTS, other],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            waiting = proc.stderr.readline()
            self.assertIn("waiting for another writer", waiting)
            proc.send_signal(signal.SIGKILL)
            out = proc.stdout.read()
            proc.wait(timeout=30)
            proc.stdout.close()
            proc.stderr.close()
        finally:
            holder.release()
        # Printed (and flushed) before the second file began; the kill came after.
        self.assertEqual(out, INCIDENTS + ": already ingested (acled-2023, 14 records); nothing added\n")
        self.assertEqual(count(self.db, "SELECT COUNT(*) FROM files"), 1)

    def test_non_utf8_file_name_is_stored_repaired(self):
        name = os.path.join(self.tmp.encode(), b"incidents-\xff\xfe.csv")
        shutil.copyfile(INCIDENTS, name)
        p = subprocess.run([TRUCE.encode(), b"--db", self.db.encode(), b"ingest", name], capture_output=True,
                           timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        stdout, stderr = p.stdout.decode("utf-8"), p.stderr.decode("utf-8")  # both valid UTF-8
        self.assertIn("incidents-\ufffd\ufffd.csv: acled-2023, 14 records, 14 added", stdout)
        self.assertIn("warning:", stderr)
        self.assertIn("the file name is not valid UTF-8 (byte 0xFF)", stderr)
        # Read back as text: a stored name that is not UTF-8 raises here
        # (Python's sqlite3 decodes TEXT; psql's output is decoded).
        names = {row[0] for row in BACKEND.query(self.db, "SELECT DISTINCT path FROM source_files")}
        paths = {row[0] for row in BACKEND.query(self.db, "SELECT path FROM files")}
        self.assertTrue(names and paths)
        for stored in names | paths:
            self.assertIn("\ufffd\ufffd.csv", stored)

    def test_fifo_and_devices_are_refused_at_once(self):
        fifo = os.path.join(self.tmp, "fifo.csv")
        os.mkfifo(fifo)
        for path in (fifo, "/dev/zero"):
            with self.subTest(path=path):
                p = truce(self.db, "ingest", path, timeout=30)  # used to hang
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertIn(path + ": not a regular file", p.stderr)
                self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)
        p = truce(self.db, "ingest", os.path.join(self.tmp, "missing.csv"))
        self.assertEqual(p.returncode, 4, p.stderr)
        self.assertEqual(p.stderr, "truce ingest: not found: " + os.path.join(self.tmp, "missing.csv") +
                         ": no such file\n")


def main():
    servelib.unittest_main(globals())


if __name__ == "__main__":
    main()
