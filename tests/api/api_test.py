#!/usr/bin/env python3
"""The HTTP API against a real `truce serve` on a local port.

Builds the Idlib example in a temporary database (`truce demo --no-serve`),
creates tokens with `truce token create`, starts the server on a free port and
checks status codes, filters, pagination, auth and roles, writes, limits and a
graceful shutdown. Every JSON answer is validated against the schema the
OpenAPI document gives for it.

Usage: api_test.py --truce PATH [--backend sqlite|postgresql] [unittest args]
"""
import csv
import gzip
import http.client
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import unittest
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import servelib  # noqa: E402

try:
    import jsonschema
except ImportError:  # python3-jsonschema is installed by scripts/setup.sh
    jsonschema = None

TRUCE = None
BACKEND = None  # pglib.Backend: --backend sqlite|postgresql (servelib.unittest_main)
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run_truce(*args, check=True):
    p = subprocess.run([TRUCE, *args], capture_output=True, text=True, timeout=120)
    if check and p.returncode != 0:
        raise AssertionError(f"truce {' '.join(args)} exited {p.returncode}: {p.stderr}")
    return p


class Server(servelib.ServeProcess):
    def __init__(self, db, *extra):
        super().__init__(TRUCE, db, *extra)


class ApiHelpers:
    """Requests to self.server with self.tokens; answers checked against
    self.openapi (the test classes set them up)."""

    def request(self, method, target, token=None, body=None, content_type=None, server=None, headers=None):
        server = server or self.server
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        h = dict(headers or {})
        if token:
            h["Authorization"] = "Bearer " + (self.tokens.get(token, token))
        if body is not None:
            if isinstance(body, (dict, list)):
                body = json.dumps(body).encode()
                content_type = content_type or "application/json"
            elif isinstance(body, str):
                body = body.encode()
            h["Content-Type"] = content_type or "application/octet-stream"
        conn.request(method, target, body=body, headers=h)
        r = conn.getresponse()
        data = r.read()
        conn.close()
        return r.status, r.getheader("Content-Type") or "", data, r

    def job(self, method, target, token="analyst", **kw):
        """A write answered 202 (a job), followed to its end: (status, JSON
        body) as the job says the endpoint answers, the 202 and the job's
        JSON checked against the OpenAPI document."""
        server = kw.get("server") or self.server
        code, ctype, data, r = self.request(method, target, token=token, **kw)
        self.assertEqual(code, 202, f"{method} {target}: {data[:500]!r}")
        accepted = json.loads(data)
        self.check_schema(target, method.lower(), 202, accepted, ctype)
        self.assertEqual(r.getheader("Location"), accepted["href"])
        job = servelib.await_job(server.port, accepted, self.tokens.get(token, token))
        self.check_schema(accepted["href"], "get", 200, job)
        self.assertEqual(job["id"], accepted["job"])
        status, body = servelib.job_answer(job)
        return status, json.loads(body)

    def get_json(self, target, token="viewer", status=200, **kw):
        code, ctype, data, _ = self.request("GET", target, token=token, **kw)
        self.assertEqual(code, status, f"{target}: {data[:500]!r}")
        self.assertTrue("json" in ctype, ctype)
        body = json.loads(data)
        self.check_schema(target, "get", code, body, ctype)
        return body

    def check_schema(self, target, method, status, body, ctype="application/json", documented=True):
        """Validates `body` against the OpenAPI response schema of the route.

        `documented` False: routes outside the document (404, 405) are not checked."""
        if jsonschema is None:
            return
        path = urllib.parse.urlsplit(target).path
        op = None
        for pattern, ops in self.openapi["paths"].items():
            parts, actual = pattern.split("/"), path.split("/")
            # The route the server takes: the path and the method (POST
            # /incidents/link is not GET /incidents/{id}).
            if (method in ops and len(parts) == len(actual) and
                    all(p == a or p.startswith("{") for p, a in zip(parts, actual))):
                op = ops[method]
                break
        if op is None and not documented:
            return
        self.assertIsNotNone(op, f"{method.upper()} {path} is not in the OpenAPI document")
        resp = op["responses"].get(str(status))
        self.assertIsNotNone(resp, f"{method.upper()} {path}: status {status} is not documented")
        if "$ref" in resp:
            resp = self.openapi["components"]["responses"][resp["$ref"].split("/")[-1]]
        content = resp.get("content", {})
        media = ctype.split(";")[0].strip()
        if media not in content:
            self.assertNotIn(media, ("application/json", "application/geo+json"),
                             f"{method.upper()} {path} {status}: {media} is not documented")
            return
        schema = content[media]["schema"]
        root = {"components": self.openapi["components"], **schema}
        jsonschema.Draft202012Validator(root).validate(body)

    def check_component(self, name, body):
        """Validates `body` against the OpenAPI document's schema `name` (a
        job's result: what the endpoint answers)."""
        if jsonschema is None:
            return
        root = {"components": self.openapi["components"], "$ref": "#/components/schemas/" + name}
        jsonschema.Draft202012Validator(root).validate(body)

    def error(self, method, target, status, token=None, **kw):
        code, ctype, data, r = self.request(method, target, token=token, **kw)
        self.assertEqual(code, status, f"{method} {target}: {data[:300]!r}")
        body = json.loads(data)
        self.assertEqual(body["error"]["status"], status)
        self.assertTrue(body["error"]["message"])
        self.check_schema(target, method.lower(), code, body, ctype, documented=status not in (404, 405))
        return body["error"], r

    def all_pages(self, route, token="viewer", limit=4):
        items, cursor = [], None
        for _ in range(1000):
            sep = "&" if "?" in route else "?"
            target = f"{route}{sep}limit={limit}" + (f"&cursor={cursor}" if cursor else "")
            page = self.get_json(target, token=token)
            items.extend(page["items"])
            cursor = page["next_cursor"]
            if cursor is None:
                return items
        self.fail("paging did not end")


class ApiTest(ApiHelpers, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="truce_api_")
        cls.db = BACKEND.new_db(cls.tmp, "demo.db")
        run_truce("--db", cls.db, "demo", "--no-serve")
        cls.tokens = {}
        for role in ("viewer", "analyst", "admin"):
            cls.tokens[role] = run_truce("--db", cls.db, "token", "create", "--role", role,
                                         "--name", "api test " + role).stdout.strip()
        cls.server = Server(cls.db, "--max-body-mb", "1")
        cls.open_server = Server(cls.db, "--anonymous-read")
        with open(os.path.join(REPO, "src", "server", "openapi.json")) as f:
            cls.openapi = json.load(f)

    @classmethod
    def tearDownClass(cls):
        for s in (cls.server, cls.open_server):
            if s.proc.poll() is None:
                s.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    # ------------------------------------------------------------ reads

    def test_health_and_version_are_public(self):
        self.assertEqual(self.get_json("/api/v1/health", token=None)["status"], "ok")
        self.assertEqual(self.get_json("/api/v1/version", token=None)["api"], "v1")
        doc = self.get_json("/api/v1/openapi.json", token=None)
        self.assertEqual(doc, self.openapi)

    def test_agreements_list_one_zones_obligations(self):
        ids = [a["id"] for a in self.get_json("/api/v1/agreements")["items"]]
        self.assertEqual(ids, sorted(ids))
        self.assertTrue({"idlib-2020-protocol", "sochi-2018-memorandum"} <= set(ids), ids)
        a = self.get_json("/api/v1/agreements/idlib-2020-protocol")
        self.assertEqual(a["entry_into_force_day"], "2020-03-06")
        self.assertIn("government", [s["id"] for s in a["sides"]])
        zones = self.get_json("/api/v1/agreements/idlib-2020-protocol/zones")
        kinds = {f["properties"]["kind"] for f in zones["features"]}
        self.assertEqual(kinds, {"zone", "place"})
        ob = self.get_json("/api/v1/agreements/idlib-2020-protocol/obligations?as_of=2020-03-15")
        states = {i["provision"]: i["state"] for i in ob["items"]}
        self.assertEqual(states.get("art3"), "partly_met")
        self.error("GET", "/api/v1/agreements/no-such", 404, token="viewer")

    def test_incident_filters_select(self):
        everything = self.all_pages("/api/v1/incidents")
        self.assertGreater(len(everything), 5)
        violations = self.all_pages("/api/v1/incidents?agreement=idlib-2020-protocol&status=violation")
        self.assertTrue(violations)
        for i in violations:
            self.assertTrue(any(f["status"] == "violation" and f["agreement"] == "idlib-2020-protocol"
                                for f in i["findings"]), i)
        kansafra = [i for i in violations if i["location"] == "Kansafra" and i["date"] == "2020-03-15"]
        self.assertEqual(len(kansafra), 1)
        gov = self.all_pages("/api/v1/incidents?status=violation&side=government")
        self.assertIn(kansafra[0]["id"], [i["id"] for i in gov])
        self.assertEqual(self.all_pages("/api/v1/incidents?status=violation&side=nobody"), [])
        days = self.all_pages("/api/v1/incidents?from=2020-03-06&to=2020-03-07")
        self.assertTrue(days)
        self.assertTrue(all("2020-03-06" <= i["date"] <= "2020-03-07" for i in days))
        box = self.all_pages("/api/v1/incidents?bbox=36.50,35.60,36.54,35.65")
        self.assertTrue(all(36.50 <= i["lon"] <= 36.54 and 35.60 <= i["lat"] <= 35.65 for i in box))
        self.assertIn(kansafra[0]["id"], [i["id"] for i in box])
        types = {i["event_type"] for i in self.all_pages("/api/v1/incidents?event_type=Battles")}
        self.assertEqual(types, {"Battles"})
        geo = self.get_json("/api/v1/incidents?status=violation&format=geojson")
        self.assertEqual(geo["type"], "FeatureCollection")
        self.assertEqual(geo["features"][0]["geometry"]["type"], "Point")

    def test_pagination_covers_everything_once_in_order(self):
        for route in ("/api/v1/incidents", "/api/v1/findings"):
            paged = self.all_pages(route, limit=3)
            whole = self.get_json(route + "?limit=1000")["items"]
            self.assertEqual(paged, whole, route)
        dates = [(i["date"], i["id"]) for i in self.all_pages("/api/v1/incidents", limit=2)]
        self.assertEqual(dates, sorted(dates))

    def test_incident_detail_has_reports_and_reasons(self):
        [k] = [i for i in self.all_pages("/api/v1/incidents?status=violation")
               if i["location"] == "Kansafra" and i["date"] == "2020-03-15"]
        d = self.get_json(f"/api/v1/incidents/{k['id']}")
        self.assertEqual(d["status"], "violation")
        # One source record per report reconciled into it; the ACLED row is there as it came.
        self.assertEqual(len(d["reports"]), len(d["sources"]))
        self.assertEqual(d["sources"][0]["report_id"], d["id"])
        self.assertTrue(any("Kansafra" in r["raw"] and r["dataset"] == "acled" for r in d["reports"]), d["reports"])
        reasons = [f["reason"] for f in d["findings"] if f["status"] == "violation"]
        self.assertTrue(reasons and all(reasons))
        self.error("GET", "/api/v1/incidents/0", 404, token="viewer")
        self.error("GET", "/api/v1/incidents/abc", 404, token="viewer")

    def test_findings_json_and_csv_agree(self):
        rows = self.all_pages("/api/v1/findings?status=violation")
        code, ctype, data, r = self.request("GET", "/api/v1/findings?status=violation&format=csv", token="viewer")
        self.assertEqual(code, 200)
        self.assertTrue(ctype.startswith("text/csv"))
        self.assertIn("attachment", r.getheader("Content-Disposition"))
        table = list(csv.DictReader(io.StringIO(data.decode())))
        self.assertEqual(len(table), len(rows))
        self.assertTrue(all(t["status"] == "violation" for t in table))
        self.error("GET", "/api/v1/findings?format=csv&limit=5", 400, token="viewer")

    def test_findings_total_counts_and_server_side_sort(self):
        everything = self.all_pages("/api/v1/findings", limit=1000)
        page = self.get_json("/api/v1/findings?limit=2")
        self.assertEqual(len(page["items"]), 2)
        self.assertEqual(page["total"], len(everything))
        self.assertEqual(page["sort"], "date")
        # The counts are of every match, not of the page, and agree with filtering by them.
        self.assertEqual(sum(page["counts"]["status"].values()), page["total"])
        self.assertEqual(sum(page["counts"]["side"].values()), page["total"])
        for status, n in page["counts"]["status"].items():
            self.assertEqual(self.get_json(f"/api/v1/findings?status={status}&limit=1")["total"], n, status)
        self.assertEqual(page["counts"]["side"].get("government"),
                         self.get_json("/api/v1/findings?side=government&limit=1")["total"])
        # The same total as the CLI's.
        cli = json.loads(run_truce("--db", self.db, "findings", "--format", "json").stdout)
        self.assertEqual(len(cli), page["total"])
        # Newest first across pages: the first row is the latest finding of all, not of a page.
        newest = self.all_pages("/api/v1/findings?sort=-date", limit=3)
        self.assertEqual(len(newest), len(everything))
        self.assertEqual(newest[0]["date"], max(f["date"] for f in everything))
        self.assertEqual([f["date"] for f in newest], sorted((f["date"] for f in everything), reverse=True))
        key = lambda f: (f["incident_id"], f["agreement"], f["provision"])  # noqa: E731
        self.assertEqual(sorted(map(key, newest)), sorted(map(key, everything)))  # each once
        # Status by severity: violations first ascending, last descending.
        by_status = self.all_pages("/api/v1/findings?sort=status", limit=5)
        ranks = ["violation", "undetermined", "exempt", "no_violation", "outside_scope"]
        self.assertEqual([ranks.index(f["status"]) for f in by_status],
                         sorted(ranks.index(f["status"]) for f in everything))
        rev = self.get_json("/api/v1/findings?sort=-status&limit=1000")["items"]
        self.assertEqual(rev[-1]["status"], "violation")
        fat = [f.get("fatalities") or 0 for f in self.all_pages("/api/v1/findings?sort=-fatalities", limit=4)]
        self.assertEqual(fat, sorted(fat, reverse=True))
        sides = [f.get("side") or "" for f in self.all_pages("/api/v1/findings?sort=side&status=violation")]
        self.assertEqual(sides, sorted(sides))
        # The same order in the CSV download.
        code, _, data, _ = self.request("GET", "/api/v1/findings?sort=-date&format=csv", token="viewer")
        self.assertEqual(code, 200)
        table = list(csv.DictReader(io.StringIO(data.decode())))
        self.assertEqual(len(table), len(everything))
        dates = [t["date"] for t in table]
        self.assertEqual(dates, sorted(dates, reverse=True))
        # The per-report view (ruled on demand, sorted in memory) pages the same way.
        for sort in ("-date", "fatalities", "-side"):
            whole = self.get_json(f"/api/v1/findings?by_report=true&sort={sort}&limit=1000")
            self.assertEqual(self.all_pages(f"/api/v1/findings?by_report=true&sort={sort}", limit=1), whole["items"])
            self.assertEqual(whole["total"], len(whole["items"]))
        # GeoJSON pages carry the total too.
        geo = self.get_json("/api/v1/findings?format=geojson&limit=1&sort=-date")
        self.assertEqual(geo["total"], len(everything))
        self.assertEqual(geo["features"][0]["properties"]["date"], newest[0]["date"])

    def test_findings_bad_sort_is_a_clear_400(self):
        for bad in ("bogus", "--date", "Date", "date,status", "-"):
            err, _ = self.error("GET", "/api/v1/findings?sort=" + urllib.parse.quote(bad), 400, token="viewer")
            self.assertIn("query parameter 'sort'", err["message"])
            self.assertIn("date, status, side", err["message"])
        # A cursor given out for one order is not taken for another.
        first = self.get_json("/api/v1/findings?sort=-date&limit=1")
        err, _ = self.error("GET", "/api/v1/findings?sort=date&limit=1&cursor=" + first["next_cursor"], 400,
                            token="viewer")
        self.assertIn("given out for sort '-date'", err["message"])

    def test_incidents_csv_download(self):
        rows = self.all_pages("/api/v1/incidents?status=violation")
        code, ctype, data, r = self.request("GET", "/api/v1/incidents?status=violation&format=csv", token="viewer")
        self.assertEqual(code, 200, data[:300])
        self.assertTrue(ctype.startswith("text/csv"))
        self.assertIn("incidents.csv", r.getheader("Content-Disposition"))
        table = list(csv.DictReader(io.StringIO(data.decode())))
        self.assertEqual(sorted(int(t["incident"]) for t in table), sorted(int(i["id"]) for i in rows))
        self.error("GET", "/api/v1/incidents?format=csv&limit=5", 400, token="viewer")
        self.error("GET", "/api/v1/incidents?format=xml", 400, token="viewer")

    def test_map_timeline_report_places(self):
        m = self.get_json("/api/v1/map?agreement=idlib-2020-protocol&bbox=35,35,38,37&zoom=8")
        self.assertFalse(m["clustered"])
        self.assertEqual(len(m["features"]), m["matching"])
        statuses = {f["properties"]["status"] for f in m["features"]}
        self.assertIn("violation", statuses)
        t = self.get_json("/api/v1/timeline?agreement=idlib-2020-protocol")
        self.assertEqual(len(t["days"]), len(t["incidents"]))
        self.assertEqual(t["markers"][0]["day"], "2020-03-06")
        self.assertGreaterEqual(sum(t["violations"]["government"]), 1)
        rep = self.get_json("/api/v1/reports/daily?agreement=idlib-2020-protocol&day=2020-03-15")
        self.assertTrue(rep)
        code, ctype, data, _ = self.request(
            "GET", "/api/v1/reports/daily?agreement=idlib-2020-protocol&day=2020-03-15&format=html", token="viewer")
        self.assertEqual(code, 200)
        self.assertTrue(ctype.startswith("text/html"))
        self.assertIn(b"<html", data.lower())
        places = self.get_json("/api/v1/places?bbox=36,35,37.5,36.5&limit=50")["items"]
        self.assertLessEqual(len(places), 50)
        self.assertIn("place", {p["kind"] for p in places})

    def test_bad_requests_are_clear_400s(self):
        for target in ("/api/v1/incidents?bbox=1,2", "/api/v1/incidents?bbox=10,10,5,5",
                       "/api/v1/incidents?from=yesterday", "/api/v1/incidents?status=awful",
                       "/api/v1/incidents?limit=5000", "/api/v1/incidents?cursor=nothex",
                       "/api/v1/incidents?unknown=1", "/api/v1/incidents?bbox=%zz",
                       "/api/v1/incidents?support=strong", "/api/v1/findings?support=Single",
                       "/api/v1/map?support=", "/api/v1/timeline?support=corroborated,single",
                       "/api/v1/findings?by_report=yes",
                       "/api/v1/reports/daily?agreement=idlib-2020-protocol"):
            err, _ = self.error("GET", target, 400, token="viewer")
            self.assertEqual(err["status"], 400)
        err, r = self.error("PUT", "/api/v1/agreements", 405, token="admin")
        self.assertEqual(r.getheader("Allow"), "GET, POST")
        self.error("GET", "/api/v1/no/such/route", 404, token="viewer")

    def test_keep_alive_serves_many_requests_on_one_connection(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.open_server.port, timeout=30)
        for _ in range(20):
            conn.request("GET", "/api/v1/agreements")
            r = conn.getresponse()
            self.assertEqual(r.status, 200)
            r.read()
        conn.close()

    def test_dashboard_or_pointer_at_root(self):
        code, ctype, data, _ = self.request("GET", "/", server=self.open_server)
        self.assertEqual(code, 200)
        self.assertTrue(ctype.startswith("text/html"))
        self.error("GET", "/assets/../../etc/passwd", 404)
        for path in ("/x", "/assets/", "/favicon.ico", "/api"):  # short paths, and outside /assets/
            self.error("GET", path, 404)

    # ------------------------------------------------------------ access

    def test_reads_need_a_token_unless_anonymous_reads_are_on(self):
        err, r = self.error("GET", "/api/v1/incidents", 401)
        self.assertEqual(r.getheader("WWW-Authenticate"), "Bearer")
        self.error("GET", "/api/v1/incidents", 401, token="truce_0000")
        self.error("GET", "/api/v1/incidents", 401, headers={"Authorization": "Basic dXNlcjpwYXNz"})
        self.get_json("/api/v1/incidents", token=None, server=self.open_server)
        # Anonymous reads do not open writes.
        self.error("POST", "/api/v1/ingest?name=x.csv", 401, body="a,b\n", server=self.open_server)

    def test_writes_need_the_role(self):
        self.error("POST", "/api/v1/ingest?name=x.csv", 401, body="a,b\n")
        err, _ = self.error("POST", "/api/v1/ingest?name=x.csv", 403, token="viewer", body="a,b\n")
        self.assertIn("analyst", err["message"])
        self.error("GET", "/api/v1/tokens", 403, token="analyst")
        self.error("POST", "/api/v1/tokens", 403, token="analyst", body={"role": "admin"})
        self.error("POST", "/api/v1/agreements", 403, token="viewer", body="id: x\n", content_type="application/yaml")

    def test_a_revoked_token_stops_working(self):
        code, _, data, _ = self.request("POST", "/api/v1/tokens", token="admin", body={"role": "viewer", "name": "temp"})
        self.assertEqual(code, 201, data)
        created = json.loads(data)
        self.check_schema("/api/v1/tokens", "post", 201, created)
        self.assertTrue(created["token"].startswith("truce_"))
        self.get_json("/api/v1/agreements", token=created["token"])
        listed = self.get_json("/api/v1/tokens", token="admin")["items"]
        self.assertIn(created["id"], [t["id"] for t in listed])
        self.assertNotIn(created["token"], json.dumps(listed))
        code, _, _, _ = self.request("DELETE", f"/api/v1/tokens/{created['id']}", token="admin")
        self.assertEqual(code, 204)
        self.error("GET", "/api/v1/agreements", 401, token=created["token"])
        # Revoked through the CLI too, seen by the running server.
        token = run_truce("--db", self.db, "token", "create", "--role", "viewer").stdout.strip()
        self.get_json("/api/v1/agreements", token=token)
        listed = run_truce("--db", self.db, "token", "list").stdout
        tid = [line.split("\t")[0] for line in listed.splitlines() if "active" in line][-1]
        run_truce("--db", self.db, "token", "revoke", tid)
        self.error("GET", "/api/v1/agreements", 401, token=token)
        self.error("DELETE", "/api/v1/tokens/99999", 404, token="admin")
        self.error("POST", "/api/v1/tokens", 400, token="admin", body={"role": "god"})
        self.error("POST", "/api/v1/tokens", 400, token="admin", body={"role": "viewer", "extra": 1})
        self.error("POST", "/api/v1/tokens", 400, token="admin", body="{not json", content_type="application/json")

    # ------------------------------------------------------------ writes

    def test_ingest_adds_incidents_and_rules_them(self):
        src = os.path.join(REPO, "examples", "idlib-2020", "incidents-2020.csv")
        with open(src, newline="") as f:
            rows = list(csv.reader(f))
        header, row = rows[0], list(rows[1])
        row[header.index("event_id_cnty")] = "SYR-API-1"
        row[header.index("event_date")] = "2020-03-20"
        row[header.index("notes")] = "Shelling reported in an API test."
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(header)
        w.writerow(row)
        before = len(self.all_pages("/api/v1/incidents"))
        code, result = self.job("POST", "/api/v1/ingest?name=api.csv", body=out.getvalue(), content_type="text/csv")
        self.assertEqual(code, 201, result)
        self.check_component("IngestResult", result)
        self.assertEqual(result["added"], 1)
        self.assertIsNotNone(result["ruled"])
        self.assertEqual(len(self.all_pages("/api/v1/incidents")), before + 1)  # the cache saw the write
        code, result = self.job("POST", "/api/v1/ingest?name=api.csv", body=out.getvalue())
        self.assertEqual(code, 200)
        self.assertTrue(result["already_ingested"])
        # A bad file: a failed job whose error names the file and the row, and nothing stored.
        bad = out.getvalue().replace("2020-03-20", "2020-13-45").replace("SYR-API-1", "SYR-API-2")
        code, answer = self.job("POST", "/api/v1/ingest?name=bad.csv", body=bad)
        self.assertEqual(code, 400, answer)
        self.assertEqual(answer["error"]["status"], 400)
        self.assertIn("bad.csv", answer["error"]["message"])
        self.assertIn("row 2, field 'event_date'", answer["error"]["message"])
        self.assertEqual(len(self.all_pages("/api/v1/incidents")), before + 1)
        self.error("POST", "/api/v1/ingest", 400, token="analyst", body="")
        self.error("POST", "/api/v1/ingest?format=xls", 400, token="analyst", body="a")

    def test_body_size_limit_is_413(self):
        # As curl does it: the headers and the start of the body, then the answer.
        size = 2 << 20
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=30) as s:
            s.sendall((f"POST /api/v1/ingest?name=big.csv HTTP/1.1\r\nHost: x\r\n"
                       f"Authorization: Bearer {self.tokens['analyst']}\r\nContent-Length: {size}\r\n\r\n").encode())
            try:
                s.sendall(b"x" * 65536)
            except OSError:
                pass
            answer = b""
            while b"\r\n\r\n" not in answer:
                chunk = s.recv(4096)
                if not chunk:
                    break
                answer += chunk
        self.assertTrue(answer.startswith(b"HTTP/1.1 413"), answer[:200])
        self.assertIn(b"Connection: close", answer)

    def test_add_agreement_from_yaml_and_files(self):
        with open(os.path.join(REPO, "tests", "data", "agreements", "good", "base.yaml")) as f:
            yaml_text = f.read()
        code, added = self.job("POST", "/api/v1/agreements?name=base.yaml", body=yaml_text,
                               content_type="application/yaml")
        self.assertEqual(code, 201, added)
        self.check_component("AgreementAdded", added)
        self.assertEqual(added["id"], "test-agreement")
        self.get_json("/api/v1/agreements/test-agreement")
        # As files: the YAML with its zone in a GeoJSON file beside it.
        polygon = {"type": "Polygon", "coordinates": [[[36.0, 35.5], [37.0, 35.5], [37.0, 36.1], [36.0, 36.1],
                                                       [36.0, 35.5]]]}
        split = yaml_text.replace("id: test-agreement", "id: test-agreement-files").replace(
            "area: {polygon: [[35.5, 36.0], [35.5, 37.0], [36.1, 37.0], [36.1, 36.0]]}",
            "area: {polygon: zones/area.geojson}")
        self.assertIn("zones/area.geojson", split)
        code, added = self.job("POST", "/api/v1/agreements", body={"files": [
            {"path": "files.yaml", "content": split},
            {"path": "zones/area.geojson", "content": json.dumps(polygon)}]})
        self.assertEqual(code, 201, added)
        # The same without the zone file: nothing else is read, even where it would resolve on disk.
        code, answer = self.job("POST", "/api/v1/agreements", body={"files": [{"path": "files.yaml", "content": split}]})
        self.assertEqual(code, 400, answer)
        self.assertIn("area.geojson", answer["error"]["message"])
        code, answer = self.job("POST", "/api/v1/agreements", body="id: [unclosed", content_type="application/yaml")
        self.assertEqual(code, 400, answer)
        self.assertRegex(answer["error"]["message"], r":\d+:\d+")  # file:line:col
        self.error("POST", "/api/v1/agreements", 400, token="analyst", body={"files": []})
        self.error("POST", "/api/v1/agreements", 400, token="analyst", body="x", content_type="text/plain")

    def test_extract_a_pasted_report(self):
        text = ("Shelling hits Kafr Nabl despite truce\n\n"
                "BEIRUT, March 10 (Reuters) - Syrian government forces shelled the town of Kafr Nabl in Idlib "
                "province on Monday, killing two civilians, the Syrian Observatory for Human Rights said.\n")
        code, _, data, _ = self.request("POST", "/api/v1/extract", body={"text": text, "published": "2020-03-10"},
                                        server=self.open_server)
        self.assertEqual(code, 200, data)
        x = json.loads(data)
        self.assertEqual(x["document"]["dateline"], "BEIRUT")
        self.assertEqual(x["document"]["agency"], "Reuters")
        self.assertEqual(len(x["events"]), 1, x["events"])
        e = x["events"][0]
        # "on Monday" in a report published on Tuesday 10 March 2020 (the dateline's
        # "March 10" is the day of writing, not the event's).
        self.assertEqual(e["date"], "2020-03-09")
        self.assertEqual(e["sub_event_type"], "Shelling/artillery/missile attack")
        self.assertEqual((e["location"]["country"], e["location"]["admin1"]), ("SYR", "Idlib"))
        self.assertAlmostEqual(e["location"]["lat"], 35.61, delta=0.05)
        self.assertAlmostEqual(e["location"]["lon"], 36.56, delta=0.05)
        self.assertEqual((e["actor1"]["country"], e["actor1"]["kind"]), ("SYR", "state"))
        self.assertEqual((e["actor2"]["country"], e["actor2"]["kind"]), ("SYR", "civilians"))
        self.assertEqual(e["fatalities"], 2)
        self.error("POST", "/api/v1/extract", 400, body={"text": text}, server=self.open_server)
        self.error("POST", "/api/v1/extract", 400, body={"text": text, "published": "March"}, server=self.open_server)
        self.error("POST", "/api/v1/extract", 400, body="text", content_type="text/plain", server=self.open_server)

    def test_extract_places_names_the_gazetteer_lacks_and_says_why_not(self):
        # Kansafra is not in GeoNames; the demo stores an incident there. Trumba is the agreement's own place.
        text = ("Artillery hits Kansafra\n\n"
                "Government artillery shelled the village of Kansafra in southern Idlib on Sunday, killing three "
                "civilians, a local rescue group said.\n")
        x = self.post_extract(text, "2020-03-16")
        self.assertEqual([(e["date"], e["location"]["name"]) for e in x["events"]], [("2020-03-15", "Kansafra")])
        self.assertAlmostEqual(x["events"][0]["location"]["lat"], 35.69, delta=0.1)
        self.assertEqual(x["event_notes"], [])
        x = self.post_extract("Shelling near Trumba\n\nOpposition fighters shelled government positions near "
                              "Trumba on Monday, a war monitor said.\n", "2020-03-17")
        self.assertEqual([(e["location"]["name"], e["location"]["lat"], e["location"]["lon"]) for e in x["events"]],
                         [("Trumba", 35.864, 36.783)])
        x = self.post_extract("Shelling in a hamlet\n\nGovernment forces shelled Qaryat Zarzurin on Monday.\n", "2020-03-17")
        self.assertEqual(x["events"], [])
        self.assertEqual(len(x["event_notes"]), 1, x["event_notes"])
        self.assertIn("shelled", x["event_notes"][0]["cue"])
        self.assertTrue(x["event_notes"][0]["reason"].startswith("no place found for 'Qaryat Zarzurin'"),
                        x["event_notes"][0]["reason"])
        x = self.post_extract("Shelling in Kansafra\n\nGovernment forces shelled Kansafra, a war monitor said.\n", "2020-03-17")
        self.assertEqual(x["events"], [])
        self.assertTrue(x["event_notes"][0]["reason"].startswith("no date"), x["event_notes"])

    def post_extract(self, text, published):
        code, _, data, _ = self.request("POST", "/api/v1/extract", body={"text": text, "published": published},
                                        token="viewer")
        self.assertEqual(code, 200, data)
        return json.loads(data)

    def test_many_incidents_cluster_at_low_zoom(self):
        # A database of its own: the example plus 2 500 incidents sent through the API.
        db = BACKEND.new_db(self.tmp, "many.db")
        run_truce("--db", db, "demo", "--no-serve")
        analyst = run_truce("--db", db, "token", "create", "--role", "analyst").stdout.strip()
        src = os.path.join(REPO, "examples", "idlib-2020", "incidents-2020.csv")
        with open(src, newline="") as f:
            rows = list(csv.reader(f))
        header, template = rows[0], rows[1]
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(header)
        for k in range(2500):
            row = list(template)
            row[header.index("event_id_cnty")] = f"SYR-MANY-{k}"
            row[header.index("event_date")] = f"2020-03-{10 + k % 15:02d}"
            row[header.index("latitude")] = f"{35.3 + (k % 50) * 0.02:.4f}"
            row[header.index("longitude")] = f"{36.2 + (k // 50) * 0.02:.4f}"
            w.writerow(row)
        s = Server(db, "--anonymous-read")
        try:
            code, result = self.job("POST", "/api/v1/ingest?name=many.csv", token=analyst,
                                    body=out.getvalue(), content_type="text/csv", server=s)
            self.assertEqual(code, 201, result)
            self.assertEqual(result["added"], 2500)
            low = self.get_json("/api/v1/map?zoom=6", token=None, server=s)
            self.assertTrue(low["clustered"])
            self.assertGreater(low["matching"], 2500)
            self.assertEqual(sum(f["properties"]["count"] for f in low["features"]), low["matching"])
            for f in low["features"]:
                p = f["properties"]
                self.assertTrue(p["cluster"])
                self.assertEqual(sum(p["by_status"].values()), p["count"])
            # Zoomed in on a corner, few enough for points.
            high = self.get_json("/api/v1/map?zoom=12&bbox=36.19,35.29,36.25,35.35", token=None, server=s)
            self.assertFalse(high["clustered"])
            self.assertEqual(len(high["features"]), high["matching"])
            self.assertGreater(high["matching"], 0)
            page = self.get_json("/api/v1/incidents?limit=1000&from=2020-03-10&to=2020-03-24", token=None, server=s)
            self.assertEqual(len(page["items"]), 1000)
            self.assertIsNotNone(page["next_cursor"])
        finally:
            self.assertEqual(s.stop(), 0)

    # ------------------------------------------------------------ lifecycle

    def test_zz_sigterm_finishes_and_exits_zero(self):
        s = Server(self.db)
        idle = socket.create_connection(("127.0.0.1", s.port))  # an idle keep-alive connection
        code, _, _, _ = self.request("GET", "/api/v1/health", server=s)
        self.assertEqual(code, 200)
        self.assertEqual(s.stop(), 0)
        idle.settimeout(5)
        self.assertEqual(idle.recv(10), b"")  # closed by the server
        idle.close()


# One happening written for this test, as two curated datasets report it:
# government shelling of Kansafra on 2 April 2020 (no example row is near that
# day), in ACLED's layout and in UCDP GED's, with their own ids, naming,
# points about 0.9 km apart and different tolls.
ACLED_HEADER = ("event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,"
                "assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,"
                "admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,"
                "tags,timestamp")
ACLED_ROW = ("SYR-API-CORR-1,02 April 2020,2020,1,Political violence,Explosions/Remote violence,"
             "Shelling/artillery/missile attack,Military Forces of Syria (2000-),,State forces,Civilians (Syria),,"
             "Civilians,State forces-Civilians,Civilian targeting,760,Middle East,Syria,Idlib,Ariha,,Kansafra,"
             "35.6290,36.5190,1,Local media,Subnational,Government forces shelled Kansafra (API test).,2,,1600000000")
UCDP_HEADER = ("id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,conflict_name,"
               "dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,side_b_dset_id,side_b_new_id,"
               "side_b,number_of_sources,source_article,source_office,source_date,source_headline,source_original,"
               "where_prec,where_coordinates,where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,"
               "country,country_id,region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,"
               "deaths_civilians,deaths_unknown,best,high,low,gwnoa,gwnob")
UCDP_ROW = ("9190001,SYR-2020-API-1,2020,1,Clear,1,299,299,Syria: Government,411,411,"
            "Government of Syria - Syrian insurgents,116,116,Government of Syria,1235,1235,Syrian insurgents,1,"
            "Kansafra shelled (API test),,2020-04-02,Kansafra shelled,,1,Kansafra village,Kansafra,"
            "Idlib governorate,Ariha district,35.6350,36.5260,POINT (36.5260 35.6350),181154,Syria,652,Middle East,"
            "1,1,2020-04-02,2020-04-02,0,0,3,0,3,5,2,652,")
DAY = "from=2020-04-02&to=2020-04-02"


class CorroborationTest(ApiHelpers, unittest.TestCase):
    """Reconciled incidents through the API: an ACLED row and a UCDP row of one
    happening, ingested through the API, become one corroborated incident with
    both sources, their figures side by side and findings that say so; the
    support filter; analysts' link, unlink and split (roles, who is recorded);
    a full re-match that honours them."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="truce_api_corr_")
        cls.db = BACKEND.new_db(cls.tmp, "demo.db")
        run_truce("--db", cls.db, "demo", "--no-serve")
        cls.tokens = {}
        for role in ("viewer", "analyst"):
            cls.tokens[role] = run_truce("--db", cls.db, "token", "create", "--role", role,
                                         "--name", "corroboration " + role).stdout.strip()
        cls.server = Server(cls.db)
        with open(os.path.join(REPO, "src", "server", "openapi.json")) as f:
            cls.openapi = json.load(f)

    @classmethod
    def tearDownClass(cls):
        if cls.server.proc.poll() is None:
            cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def post(self, target, body=None, token="analyst", status=200, content_type=None):
        code, ctype, data, _ = self.request("POST", target, token=token, body=body, content_type=content_type)
        self.assertEqual(code, status, f"POST {target}: {data[:500]!r}")
        answer = json.loads(data)
        self.check_schema(target, "post", code, answer, ctype)
        return answer

    def that_day(self, route="/api/v1/incidents"):
        return self.all_pages(f"{route}?{DAY}")

    def ingest_both(self):
        """Both rows, once (later calls find them stored): the ids of the ACLED
        and the UCDP report."""
        for name, text in (("corr-acled.csv", ACLED_HEADER + "\n" + ACLED_ROW + "\n"),
                           ("corr-ucdp.csv", UCDP_HEADER + "\n" + UCDP_ROW + "\n")):
            code, result = self.job("POST", f"/api/v1/ingest?name={name}", body=text, content_type="text/csv")
            self.assertIn(code, (200, 201), result)
        incidents = self.that_day()
        ids = sorted(i["id"] for i in incidents)
        self.assertTrue(ids, "the two reports are stored")
        reports = set()
        for i in ids:
            reports.update(s["report_id"] for s in self.get_json(f"/api/v1/incidents/{i}")["sources"])
        self.assertEqual(len(reports), 2, reports)
        return sorted(reports)

    def test_1_two_datasets_make_one_corroborated_incident(self):
        acled, ucdp = self.ingest_both()
        [inc] = self.that_day()
        self.assertEqual(inc["id"], acled)  # the lead report's id: the first stored
        self.assertEqual((inc["support"], inc["sources"]), ("corroborated", 2))
        self.assertEqual(inc["location"], "Kansafra")
        # The merged report's id answers with its incident.
        d = self.get_json(f"/api/v1/incidents/{ucdp}")
        self.assertEqual(d["id"], acled)
        self.assertEqual(d["support"], "corroborated")
        self.assertEqual(d["independent_sources"], 2)
        self.assertEqual([s["dataset"] for s in d["sources"]], ["acled", "ucdp"])
        self.assertEqual([s["report_id"] for s in d["sources"]], [acled, ucdp])
        lead, merged = d["sources"]
        self.assertEqual(lead["source_id"], "SYR-API-CORR-1")
        self.assertEqual(merged["source_id"], "9190001")
        self.assertEqual((lead["grade"], merged["grade"]), ("B", "B"))
        self.assertEqual(merged["decided_by"], "matcher")
        self.assertTrue(merged["reason"])  # why, in words
        self.assertEqual(lead["reason"], "")
        self.assertGreater(merged["score"], 0.5)
        # Each source's own values, not the estimate's.
        self.assertEqual(merged["point"], {"lat": 35.635, "lon": 36.526})
        self.assertEqual((merged["fatalities"], merged["fatalities_low"], merged["fatalities_high"]), (3, 2, 5))
        self.assertEqual(merged["actors"]["actor1"], "Government of Syria")
        self.assertEqual(lead["fatalities"], 2)
        self.assertEqual(lead["actors"]["actor1"], "Military Forces of Syria (2000-)")
        # The figures side by side, and their range.
        figures = {f["report_id"]: f for f in d["figures"]}
        self.assertEqual(figures[acled]["best"], 2)
        self.assertEqual((figures[ucdp]["best"], figures[ucdp]["low"], figures[ucdp]["high"]), (3, 2, 5))
        self.assertIn("UCDP", figures[ucdp]["source"])
        self.assertEqual((d["fatalities_range"]["low"], d["fatalities_range"]["high"]), (2, 5))
        self.assertIn("ACLED SYR-API-CORR-1", d["reported_by"])
        self.assertIn("UCDP 9190001", d["reported_by"])
        self.assertIn("ACLED B", d["grades"])
        self.assertEqual(len(d["reports"]), 2)  # the source records, as they came
        self.assertEqual(d["overrides"], [])
        # The estimate keeps the incident's keys: the more precise point is ACLED's.
        self.assertEqual((d["lat"], d["lon"], d["location"]), (35.629, 36.519, "Kansafra"))

    def test_2_findings_carry_the_support_and_filter_on_it(self):
        acled, ucdp = self.ingest_both()
        rows = self.that_day("/api/v1/findings")
        self.assertTrue(rows)
        for r in rows:
            self.assertEqual(r["incident_id"], acled)
            self.assertEqual((r["support"], r["sources"], r["independent_sources"]), ("corroborated", 2, 2))
            self.assertIn("ACLED SYR-API-CORR-1", r["reported_by"])
            self.assertIn("UCDP 9190001", r["reported_by"])
            self.assertIn("UCDP B", r["grades"])
            self.assertEqual((r["fatalities_low"], r["fatalities_high"]), (2, 5))
        violations = [r for r in rows if r["status"] == "violation"]
        self.assertTrue(violations, rows)
        self.assertIn("UCDP 9190001", violations[0]["reason"])
        # The support filter, on every list.
        corroborated = self.all_pages("/api/v1/findings?support=corroborated")
        self.assertTrue(all(r["support"] == "corroborated" for r in corroborated))
        self.assertTrue({r["incident_id"] for r in rows} <= {r["incident_id"] for r in corroborated})
        single = self.all_pages("/api/v1/findings?support=single")
        self.assertTrue(single)
        self.assertTrue(all(r["support"] == "single" for r in single))
        self.assertNotIn(acled, {r["incident_id"] for r in single})
        incidents = self.all_pages("/api/v1/incidents?support=corroborated")
        self.assertIn(acled, [i["id"] for i in incidents])
        self.assertTrue(all(i["support"] == "corroborated" for i in incidents))
        self.assertNotIn(acled, [i["id"] for i in self.all_pages("/api/v1/incidents?support=single")])
        m = self.get_json(f"/api/v1/map?support=corroborated&{DAY}")
        self.assertEqual([f["properties"]["id"] for f in m["features"]], [acled])
        self.assertEqual(self.get_json(f"/api/v1/map?support=observed&{DAY}")["matching"], 0)
        t = self.get_json(f"/api/v1/timeline?support=corroborated&{DAY}")
        self.assertEqual(t["incidents"], [1])
        # The per-report view: each report ruled on its own, single-sourced.
        by_report = self.all_pages(f"/api/v1/findings?by_report=true&{DAY}", limit=1)
        self.assertEqual({r["incident_id"] for r in by_report}, {acled, ucdp})
        self.assertTrue(all((r["support"], r["sources"]) == ("single", 1) for r in by_report))
        self.assertEqual(len(by_report), 2 * len(rows))
        self.assertEqual(by_report, self.get_json(f"/api/v1/findings?by_report=true&{DAY}&limit=1000")["items"])
        self.assertEqual(self.all_pages(f"/api/v1/findings?by_report=false&{DAY}"), rows)

    def test_3_analysts_unlink_link_and_split(self):
        acled, ucdp = self.ingest_both()
        pair = {"a": acled, "b": ucdp, "note": "two strikes, an hour apart"}
        # Roles: none, a viewer: refused, nothing changed.
        self.error("POST", "/api/v1/incidents/unlink", 401, body=pair)
        err, _ = self.error("POST", "/api/v1/incidents/unlink", 403, token="viewer", body=pair)
        self.assertIn("analyst", err["message"])
        self.error("POST", "/api/v1/incidents/link", 403, token="viewer", body=pair)
        self.error("POST", f"/api/v1/incidents/{acled}/split", 403, token="viewer")
        self.error("POST", "/api/v1/reconcile", 403, token="viewer")
        self.assertEqual(len(self.that_day()), 1)
        # Bad bodies: clear 400s naming the member.
        for body in ({"a": acled}, {"a": acled, "b": acled}, {"a": "x", "b": ucdp}, {"a": acled, "b": -1},
                     {"a": acled, "b": ucdp, "why": "?"}, {"a": acled, "b": 99999999}):
            self.error("POST", "/api/v1/incidents/link", 400, token="analyst", body=body)
        self.error("POST", "/api/v1/incidents/link", 400, token="analyst", body="a=1&b=2",
                   content_type="application/x-www-form-urlencoded")
        self.error("POST", "/api/v1/incidents/abc/split", 404, token="analyst")

        # Unlink: two incidents, each single-sourced; the decision is kept with who made it.
        answer = self.post("/api/v1/incidents/unlink", pair)
        self.assertEqual(sorted(set(answer["incidents"])), [acled, ucdp])
        self.assertIsNotNone(answer["ruled"])
        apart = self.that_day()
        self.assertEqual(sorted(i["id"] for i in apart), [acled, ucdp])
        self.assertTrue(all((i["support"], i["sources"]) == ("single", 1) for i in apart))
        d = self.get_json(f"/api/v1/incidents/{ucdp}")
        self.assertEqual(d["id"], ucdp)
        [o] = [o for o in d["overrides"] if o["kind"] == "unlink"]
        self.assertEqual((o["a"], o["b"], o["analyst"], o["note"]), (acled, ucdp, "corroboration analyst",
                                                                     pair["note"]))
        self.assertEqual({r["support"] for r in self.that_day("/api/v1/findings")}, {"single"})
        # A full re-match honours it.
        counts = self.post("/api/v1/reconcile")
        self.assertGreaterEqual(counts["overrides"], 1)
        self.assertGreaterEqual(counts["reports"], counts["incidents"])
        self.assertEqual(len(self.that_day()), 2)

        # Link: one incident again, the analyst named as who decided.
        answer = self.post("/api/v1/incidents/link", {"a": ucdp, "b": acled})
        self.assertEqual(sorted(set(answer["incidents"])), [acled])
        [inc] = self.that_day()
        self.assertEqual((inc["id"], inc["support"]), (acled, "corroborated"))
        d = self.get_json(f"/api/v1/incidents/{acled}")
        self.assertIn("corroboration analyst", d["sources"][1]["decided_by"])
        self.assertEqual([o["kind"] for o in d["overrides"]][-1], "link")

        # Split: every report stands alone.
        answer = self.post(f"/api/v1/incidents/{acled}/split", {"note": "not the same"})
        self.assertEqual(sorted(set(answer["incidents"])), [acled, ucdp])
        self.assertEqual(len(self.that_day()), 2)
        self.post("/api/v1/reconcile")
        self.assertEqual(len(self.that_day()), 2)
        self.error("POST", "/api/v1/reconcile", 400, token="analyst", body={"all": True})


class StaticFilesTest(unittest.TestCase):
    """The dashboard's files over a real socket (urllib, as a browser or curl
    would ask): pre-compressed variants by Accept-Encoding, cache lifetimes
    by name, ETag and 304. A web directory of its own, made here."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="truce_static_")
        cls.db = BACKEND.new_db(cls.tmp, "demo.db")
        run_truce("--db", cls.db, "demo", "--no-serve")
        web = os.path.join(cls.tmp, "web")
        os.mkdir(web)
        cls.js = b"console.log('the dashboard');\n" * 200
        files = {
            "index.html": b"<!doctype html><script src=/assets/app-0A1B2C3D.js defer></script>",
            "app-0A1B2C3D.js": cls.js,
            "app-0A1B2C3D.js.gz": gzip.compress(cls.js),
            # The server sends the variant as it is; these bytes stand for brotli's.
            "app-0A1B2C3D.js.br": b"brotli bytes",
        }
        for name, data in files.items():
            with open(os.path.join(web, name), "wb") as f:
                f.write(data)
        cls.server = Server(cls.db, "--web", web, "--anonymous-read")

    @classmethod
    def tearDownClass(cls):
        if cls.server.proc.poll() is None:
            cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def get(self, path, **headers):
        req = urllib.request.Request(f"http://127.0.0.1:{self.server.port}{path}", headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:  # 304 and 404 come here
            return e.code, e.headers, e.read()

    def test_brotli_over_gzip_over_identity(self):
        code, h, body = self.get("/assets/app-0A1B2C3D.js", **{"Accept-Encoding": "gzip, deflate, br"})
        self.assertEqual((code, h["Content-Encoding"], body), (200, "br", b"brotli bytes"))
        self.assertEqual(h["Vary"], "Accept-Encoding")
        self.assertTrue(h["Content-Type"].startswith("text/javascript"))
        code, h, body = self.get("/assets/app-0A1B2C3D.js", **{"Accept-Encoding": "gzip"})
        self.assertEqual((code, h["Content-Encoding"]), (200, "gzip"))
        self.assertEqual(gzip.decompress(body), self.js)
        self.assertEqual(int(h["Content-Length"]), len(body))
        code, h, body = self.get("/assets/app-0A1B2C3D.js", **{"Accept-Encoding": "identity"})
        self.assertEqual((code, h["Content-Encoding"], body), (200, None, self.js))
        self.assertEqual(self.get("/assets/app-0A1B2C3D.js.gz")[0], 404)

    def test_cache_lifetimes_etag_and_304(self):
        _, h, _ = self.get("/assets/app-0A1B2C3D.js", **{"Accept-Encoding": "br"})
        self.assertEqual(h["Cache-Control"], "public, max-age=31536000, immutable")
        code, h, body = self.get("/", **{"Accept-Encoding": "gzip"})
        self.assertEqual(code, 200)
        self.assertEqual(h["Cache-Control"], "no-cache")
        self.assertIn(b"app-0A1B2C3D.js", body)  # no index.html.gz here: as it is, and nothing varies
        self.assertEqual((h["Content-Encoding"], h["Vary"]), (None, None))
        etag = h["ETag"]
        self.assertTrue(etag and etag.startswith('"'), etag)
        code, h, body = self.get("/", **{"Accept-Encoding": "gzip", "If-None-Match": etag})
        self.assertEqual((code, body, h["ETag"]), (304, b"", etag))
        # HEAD: the same headers, no body.
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        conn.request("HEAD", "/assets/app-0A1B2C3D.js", headers={"Accept-Encoding": "gzip"})
        r = conn.getresponse()
        self.assertEqual((r.status, r.getheader("Content-Encoding"), r.read()), (200, "gzip", b""))
        conn.close()


def main():
    servelib.unittest_main(globals())


if __name__ == "__main__":
    main()
