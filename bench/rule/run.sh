#!/usr/bin/env bash
# The ruling benchmark: Truce's Ruler against PostGIS on the same generated data.
#   bench/rule/run.sh [BUILD_DIR]        (default build/release; builds nothing)
# Environment: INCIDENTS (default 1000000), THREADS (Truce threads, default 2),
# RULE_BENCH_BIN (the rule_bench binary, default BUILD_DIR/bench/rule/rule_bench),
# PGBIN (PostgreSQL 15 binaries with PostGIS 3, default /usr/lib/postgresql/15/bin).
# Starts a private PostgreSQL cluster in bench/out/rule/pg on a free 127.0.0.1
# port and always stops it on exit. Prints the report (also in bench/out/rule/report.txt).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-build/release}"
[[ "$build" = /* ]] || build="$root/$build"
bin="${RULE_BENCH_BIN:-$build/bench/rule/rule_bench}"
out="$root/bench/out/rule"
incidents="${INCIDENTS:-1000000}"
threads="${THREADS:-2}"
pgbin="${PGBIN:-/usr/lib/postgresql/15/bin}"

die() { echo "rule bench: $*" >&2; exit 1; }
[ -x "$bin" ] || die "no binary at $bin (build first: make bench, or give the build dir)"
[ -x "$pgbin/initdb" ] || die "no PostgreSQL at $pgbin (scripts/setup.sh installs postgresql, postgresql-15-postgis-3)"
[ -f "$(dirname "$pgbin")/lib/postgis-3.so" ] || ls "$(dirname "$pgbin")"/lib/postgis*.so >/dev/null 2>&1 ||
  die "PostGIS is not installed for $pgbin (apt-get install postgresql-15-postgis-3)"

now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$1" "$(now)"; }

mkdir -p "$out"
rm -f "$out"/pg.txt "$out"/pg_*.csv "$out"/pg_*.txt "$out"/report.txt

# ---------------------------------------------------------------- Truce
echo "== Truce side ($bin) =="
"$bin" run "$out" --incidents "$incidents" --threads "$threads"

# ---------------------------------------------------------------- PostGIS
pgdata="$out/pg"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' user (PostgreSQL refuses root)"
  as_pg=(runuser -u postgres --)
fi
started=0
cleanup() {
  if [ "$started" = 1 ]; then
    "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null 2>&1 ||
      "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdata" -m immediate -w stop >/dev/null 2>&1 || true
    started=0
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rm -rf "$pgdata"
mkdir -p "$pgdata"
[ ${#as_pg[@]} -eq 0 ] || chown postgres: "$pgdata"
chmod 700 "$pgdata"
"${as_pg[@]}" "$pgbin/initdb" -D "$pgdata" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$out/pg_initdb.log" 2>&1 ||
  die "initdb failed, see $out/pg_initdb.log"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
# One worker: no parallel query. Memory generous enough that the data stays in
# shared buffers; durability off (nothing here needs to survive a crash).
"${as_pg[@]}" tee -a "$pgdata/postgresql.conf" >/dev/null <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$pgdata'
max_parallel_workers_per_gather = 0
max_parallel_maintenance_workers = 0
shared_buffers = 1GB
work_mem = 256MB
maintenance_work_mem = 1GB
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
started=1
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w start >/dev/null ||
  die "the PostgreSQL server did not start, see $pgdata/server.log"

psql_() { (cd "$out" && "$pgbin/psql" -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres "$@"); }
psql_ -d postgres -c "CREATE DATABASE bench" >/dev/null

echo "== PostGIS side (PostgreSQL on 127.0.0.1:$port, one worker) =="
t0="$(now)"
psql_ -d bench >/dev/null <<'SQL'
CREATE EXTENSION postgis;
CREATE TABLE zones (id text PRIMARY KEY, geom geometry(Polygon, 4326) NOT NULL,
                    valid_from timestamptz NOT NULL, valid_until timestamptz NOT NULL);
CREATE TABLE corridors (id text PRIMARY KEY, geog geography(LineString, 4326) NOT NULL, half_width_m float8 NOT NULL,
                        valid_from timestamptz NOT NULL, valid_until timestamptz NOT NULL);
CREATE TABLE incidents (id bigint PRIMARY KEY, geom geometry(Point, 4326) NOT NULL, day timestamptz NOT NULL,
                        event_type text NOT NULL,
                        geog geography(Point, 4326) GENERATED ALWAYS AS (geom::geography) STORED);
\copy zones FROM 'zones.csv' WITH (FORMAT csv)
\copy corridors FROM 'corridors.csv' WITH (FORMAT csv)
\copy incidents (id, geom, day, event_type) FROM 'incidents.csv' WITH (FORMAT csv)
CREATE INDEX zones_geom ON zones USING gist (geom);
CREATE INDEX corridors_geog ON corridors USING gist (geog);
CREATE INDEX incidents_geom ON incidents USING gist (geom);
CREATE INDEX incidents_geog ON incidents USING gist (geog);
VACUUM ANALYZE;
SQL
load_s="$(elapsed "$t0")"
echo "loaded in $load_s s"

acts="i.event_type IN ('Battles', 'Explosions/Remote violence')"
q_poly="SELECT count(*) FROM incidents i JOIN zones z
  ON ST_Contains(z.geom, i.geom) AND i.day >= z.valid_from AND i.day < z.valid_until WHERE $acts"
# The same with the zones as the outer side (LATERAL makes the planner keep
# it): one GiST probe of incidents per zone instead of one of zones per incident.
q_poly_zones_outer="SELECT sum(n) FROM zones z CROSS JOIN LATERAL (SELECT count(*) AS n FROM incidents i
  WHERE ST_Contains(z.geom, i.geom) AND i.day >= z.valid_from AND i.day < z.valid_until AND $acts) x"
q_corr="SELECT count(*) FROM incidents i JOIN corridors c
  ON ST_DWithin(c.geog, i.geog, c.half_width_m) AND i.day >= c.valid_from AND i.day < c.valid_until WHERE $acts"
q_corr_cast="SELECT count(*) FROM incidents i JOIN corridors c
  ON ST_DWithin(c.geog, i.geom::geography, c.half_width_m) AND i.day >= c.valid_from AND i.day < c.valid_until
  WHERE $acts"

# Runs a query twice (the first warms the cache) with psql's \timing, reading
# the backend's CPU time from /proc between runs; prints
# "<count> <best wall seconds> <CPU seconds of that run>".
clk_tck="$(getconf CLK_TCK)"
timed() {
  local ticks="$out/pg_ticks.txt" cpu_probe="\\! awk '{print \$14 + \$15}' /proc/\$PGPID/stat >>'$out/pg_ticks.txt'"
  rm -f "$ticks"
  printf '%s\n' "${2:-}" 'SELECT pg_backend_pid() AS pid \gset' '\setenv PGPID :pid' '\timing on' \
    "$cpu_probe" "$1;" "$cpu_probe" "$1;" "$cpu_probe" | psql_ -d bench |
    awk -v tck="$clk_tck" -v ticks="$ticks" '
      /^Time:/ { ms[++runs] = $2 + 0; next }
      NF { n = $1 }
      END {
        for (k = 0; (getline t < ticks) > 0; ) tk[k++] = t
        for (r = 1; r <= runs; ++r) if (best == "" || ms[r] < best) { best = ms[r]; cpu = (tk[r] - tk[r - 1]) / tck }
        printf "%s %.3f %.3f\n", n, best / 1000, cpu
      }'
}

# PG_CAST=1 also times ST_DWithin on i.geom::geography (no stored geography
# column): the planner then has no index to use on either side and compares every
# pair, about 0.5 ms per incident, so it is off by default.
queries=(poly poly_zones_outer corr)
[ "${PG_CAST:-0}" = 1 ] && queries+=(corr_cast)
for q in "${queries[@]}"; do
  var="q_$q" setup="setup_$q"
  printf '%s\nEXPLAIN %s;\n' "${!setup:-}" "${!var}" | psql_ -d bench >"$out/pg_plan_$q.txt"
  read -r hits secs cpu < <(timed "${!var}" "${!setup:-}")
  echo "PostGIS $q: $hits hits in $secs s (backend CPU $cpu s)"
  printf 'pg_%s_hits=%s\npg_%s_s=%s\npg_%s_cpu_s=%s\n' "$q" "$hits" "$q" "$secs" "$q" "$cpu" >>"$out/pg.txt"
done
{
  echo "pg_load_s=$load_s"
  echo "pg_version=$(psql_ -d bench -c 'SHOW server_version')"
  echo "postgis_version=$(psql_ -d bench -c 'SELECT postgis_lib_version()')"
  for setting in jit max_parallel_workers_per_gather shared_buffers work_mem; do
    echo "pg_$setting=$(psql_ -d bench -c "SHOW $setting")"
  done
} >>"$out/pg.txt"

# Which (incident, zone) pairs differ, with PostGIS's own signed distance to the
# edge (metres, geography); and the sample distances (spheroid and sphere).
psql_ -d bench >/dev/null <<SQL
CREATE TEMP TABLE tp (iid bigint, zid text);
\copy tp FROM 'truce_poly_pairs.csv' WITH (FORMAT csv)
CREATE TEMP TABLE pp AS SELECT i.id AS iid, z.id AS zid FROM incidents i JOIN zones z
  ON ST_Contains(z.geom, i.geom) AND i.day >= z.valid_from AND i.day < z.valid_until WHERE $acts;
\copy (SELECT coalesce(t.iid, p.iid), coalesce(t.zid, p.zid), t.iid IS NOT NULL, p.iid IS NOT NULL, CASE WHEN ST_Intersects(z.geom, i.geom) THEN -1 ELSE 1 END * ST_Distance(ST_ExteriorRing(z.geom)::geography, i.geog) FROM tp t FULL JOIN pp p ON t.iid = p.iid AND t.zid = p.zid JOIN zones z ON z.id = coalesce(t.zid, p.zid) JOIN incidents i ON i.id = coalesce(t.iid, p.iid) WHERE t.iid IS NULL OR p.iid IS NULL ORDER BY 1, 2) TO 'pg_poly_diff.csv' WITH (FORMAT csv)
CREATE TEMP TABLE tc (iid bigint, cid text);
\copy tc FROM 'truce_corr_pairs.csv' WITH (FORMAT csv)
CREATE TEMP TABLE pc AS SELECT i.id AS iid, c.id AS cid FROM incidents i JOIN corridors c
  ON ST_DWithin(c.geog, i.geog, c.half_width_m) AND i.day >= c.valid_from AND i.day < c.valid_until WHERE $acts;
\copy (SELECT coalesce(t.iid, p.iid), coalesce(t.cid, p.cid), t.iid IS NOT NULL, p.iid IS NOT NULL, ST_Distance(c.geog, i.geog) - c.half_width_m FROM tc t FULL JOIN pc p ON t.iid = p.iid AND t.cid = p.cid JOIN corridors c ON c.id = coalesce(t.cid, p.cid) JOIN incidents i ON i.id = coalesce(t.iid, p.iid) WHERE t.iid IS NULL OR p.iid IS NULL ORDER BY 1, 2) TO 'pg_corr_diff.csv' WITH (FORMAT csv)
CREATE TEMP TABLE sample (sid int, cid text, geog geography(Point, 4326));
\copy sample FROM 'sample.csv' WITH (FORMAT csv)
\copy (SELECT s.sid, ST_Distance(c.geog, s.geog), ST_Distance(c.geog, s.geog, false) FROM sample s JOIN corridors c ON c.id = s.cid ORDER BY 1) TO 'pg_sample_dist.csv' WITH (FORMAT csv)
SQL
cleanup
rm -rf "$pgdata"  # regenerated by every run
echo "PostgreSQL stopped"

"$bin" report "$out" | tee "$out/report.txt"
