#!/usr/bin/env bash
# The HTTP benchmark (issue 4): `truce serve` against nginx serving the same
# bytes as a static file, with wrk, in the same run. Targets: a cached GET at
# >= 0.9x nginx's requests/s; the filtered incidents query with p99 <= 5 ms
# when the response cache does not answer; both again with 1 000 idle
# keep-alive connections held open.
#
#   bench/serve/run.sh [BUILD_DIR]      (default build/release; builds nothing)
#
# Environment: DURATION (wrk seconds per run, default 10), CONNECTIONS (default
# 64), IDLE (idle connections, default 1000), INCIDENTS (synthetic incidents,
# default 100000), THREADS (truce threads and nginx workers, default 2),
# DB (a database to reuse: built there when missing, kept afterwards).
# Needs the Debian packages wrk and nginx-light (or nginx). Everything
# else lives in a temporary directory removed on exit; both servers listen on
# free 127.0.0.1 ports and are stopped on exit. See bench/serve/README.md.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-build/release}"
[[ "$build" = /* ]] || build="$root/$build"
truce="$build/apps/truce"
duration="${DURATION:-10}"
conns="${CONNECTIONS:-64}"
idle="${IDLE:-1000}"
incidents="${INCIDENTS:-100000}"
threads="${THREADS:-2}"
agreement=idlib-2020-protocol

die() { echo "serve bench: $*" >&2; exit 1; }
[ -x "$truce" ] || die "no truce binary at $truce (build first: make bench, or give the build dir)"
for tool in wrk nginx python3; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] ||
    die "no $tool (scripts/setup.sh installs wrk and nginx-light)"
done
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/truce-serve-bench.XXXXXX")"
truce_pid="" nginx_pid="" holder_pids=()
cleanup() {
  for pid in "${holder_pids[@]}" $truce_pid $nginx_pid; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${holder_pids[@]}" $truce_pid $nginx_pid; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
# fetch URL [FILE]: GET, the body to FILE (default: discarded); fails unless 200.
fetch() {
  python3 -c 'import sys, urllib.request
body = urllib.request.urlopen(sys.argv[1], timeout=10).read()
if len(sys.argv) > 2: open(sys.argv[2], "wb").write(body)' "$@" 2>/dev/null
}

# ---------------------------------------------------------------- data
db="${DB:-$tmp/bench.db}"
if [ -f "$db" ]; then
  echo "== data: reusing $db"
else
  echo "== data: Idlib example + $incidents synthetic incidents"
  t0="$(now)"
  "$truce" demo --no-serve --db "$db" >"$tmp/demo.log" 2>&1 || { cat "$tmp/demo.log" >&2; die "truce demo failed"; }
  python3 "$root/bench/serve/gen_incidents.py" "$tmp/incidents.csv" "$incidents"
  "$truce" --db "$db" ingest "$tmp/incidents.csv" >"$tmp/ingest.log" 2>&1 ||
    { cat "$tmp/ingest.log" >&2; die "truce ingest failed"; }
  "$truce" --db "$db" rule --as-of 2020-08-31 >"$tmp/rule.log" 2>&1 || { cat "$tmp/rule.log" >&2; die "truce rule failed"; }
  rm -f "$tmp/incidents.csv"
  echo "built in $(since "$t0") s: $(head -1 "$tmp/rule.log")"
fi
echo "database: $(du -h "$db" | cut -f1)"

# ---------------------------------------------------------------- servers
tport="$(free_port)"
# No rate limit (the load comes from one address) and idle connections kept
# as long as nginx keeps them here (keepalive_timeout 300s).
"$truce" --db "$db" serve --listen "127.0.0.1:$tport" --anonymous-read --access-log off --threads "$threads" \
  --rate-limit 0 --idle-timeout 300 >"$tmp/truce.log" 2>&1 &
truce_pid=$!
base="http://127.0.0.1:$tport"
for _ in $(seq 100); do
  fetch "$base/api/v1/health" && break
  kill -0 "$truce_pid" 2>/dev/null || { cat "$tmp/truce.log" >&2; die "truce serve exited"; }
  sleep 0.1
done
fetch "$base/api/v1/health" || { cat "$tmp/truce.log" >&2; die "truce serve did not answer"; }

agreement_path="/api/v1/agreements/$agreement"
incidents_path="/api/v1/incidents?agreement=$agreement&status=violation&bbox=36.4,35.5,36.9,35.9&limit=100"
mkdir -p "$tmp/www"
fetch "$base$agreement_path" "$tmp/www/agreement.json"
fetch "$base$incidents_path" "$tmp/www/incidents.json"
items="$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["items"]))' "$tmp/www/incidents.json")"
[ "$items" -gt 0 ] || die "the filtered incidents query matched nothing: the data is not what the benchmark expects"
chmod -R a+rX "$tmp/www"

nport="$(free_port)"
mkdir -p "$tmp/nginx"
user_line=""
[ "$(id -u)" -ne 0 ] || user_line="user root;"
cat >"$tmp/nginx/nginx.conf" <<CONF
$user_line
worker_processes $threads;
worker_rlimit_nofile 8192;
daemon off;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 300s;
  keepalive_requests 1000000;
  default_type application/json;
  client_body_temp_path $tmp/nginx/body;
  proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fastcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi;
  scgi_temp_path $tmp/nginx/scgi;
  server {
    listen 127.0.0.1:$nport;
    root $tmp/www;
  }
}
CONF
"$nginx_bin" -e "$tmp/nginx/error.log" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" >"$tmp/nginx/stdout.log" 2>&1 &
nginx_pid=$!
nbase="http://127.0.0.1:$nport"
for _ in $(seq 100); do
  fetch "$nbase/agreement.json" && break
  kill -0 "$nginx_pid" 2>/dev/null || { cat "$tmp/nginx/stdout.log" "$tmp/nginx/error.log" >&2; die "nginx exited"; }
  sleep 0.1
done
for f in agreement incidents; do
  fetch "$nbase/$f.json" "$tmp/nginx/$f.check" && cmp -s "$tmp/nginx/$f.check" "$tmp/www/$f.json" || die "nginx does not serve the same bytes as truce for $f"
done
echo "truce on $base ($threads threads), nginx $("$nginx_bin" -v 2>&1 | sed 's/.*nginx\///') on $nbase ($threads workers)"
echo "bodies: agreement $(wc -c <"$tmp/www/agreement.json") bytes, incidents $(wc -c <"$tmp/www/incidents.json") bytes ($items items)"

# ---------------------------------------------------------------- wrk
# CPU time (clock ticks) of a server: truce, or nginx's master and workers.
clk_tck="$(getconf CLK_TCK)"
server_ticks() {
  local pids="$truce_pid"
  [ "$1" = truce ] || pids="$nginx_pid $(pgrep -P "$nginx_pid" | tr '\n' ' ')"
  local t=0 pid
  for pid in $pids; do
    t=$((t + $(awk '{ print $14 + $15 }' "/proc/$pid/stat")))
  done
  echo "$t"
}

wrk_runs=0
# run_wrk NAME SERVER URL [SCRIPT]: one wrk run (a script gets the run's number) (WRK_CONNS overrides the
# connections); leaves "rps p50_ms p99_ms socket_errors non2xx cpu_us_per_request"
# in $tmp/NAME.stats.
run_wrk() {
  local name="$1" server="$2" url="$3" script=() args=() c="${WRK_CONNS:-$conns}" t0 t1
  wrk_runs=$((wrk_runs + 1))
  [ -z "${4:-}" ] || { script=(-s "$4"); args=(-- "$wrk_runs"); }
  t0="$(server_ticks "$server")"
  wrk -t2 -c"$c" -d"${duration}s" --latency "${script[@]}" "$url" "${args[@]}" >"$tmp/$name.wrk" 2>&1 ||
    { cat "$tmp/$name.wrk" >&2; die "wrk failed ($name)"; }
  t1="$(server_ticks "$server")"
  awk -v ticks=$((t1 - t0)) -v tck="$clk_tck" '
    function ms(v) {
      if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /m$/) return v * 60000
      if (v ~ /s$/) return v * 1000; return v + 0
    }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    / requests in / { n = $1 }
    /^Requests\/sec:/ { rps = $2 }
    /Non-2xx or 3xx responses:/ { bad += $NF }
    /Socket errors:/ { for (i = 3; i <= NF; i += 2) { v = $(i + 1); sub(",", "", v); err += v } }
    END { printf "%s %s %s %d %d %.1f\n", rps, p50, p99, err, bad, n ? 1e6 * ticks / tck / n : 0 }' \
    "$tmp/$name.wrk" >"$tmp/$name.stats"
  read -r _ _ _ _ bad _ <"$tmp/$name.stats"
  [ "$bad" = 0 ] || { cat "$tmp/$name.wrk" >&2; die "$name: $bad answers were not 2xx"; }
}

# hold_idle: IDLE silent keep-alive connections to each server (idle_conns.py),
# until release_idle, which checks that the servers kept them all open.
hold_idle() {
  python3 "$root/bench/serve/idle_conns.py" "127.0.0.1:$tport" "$agreement_path" "$idle" >"$tmp/holder_truce.log" 2>&1 &
  holder_pids+=($!)
  python3 "$root/bench/serve/idle_conns.py" "127.0.0.1:$nport" "/agreement.json" "$idle" >"$tmp/holder_nginx.log" 2>&1 &
  holder_pids+=($!)
  local log
  for log in holder_truce holder_nginx; do
    for _ in $(seq 300); do
      grep -q '^ready' "$tmp/$log.log" && break
      sleep 0.1
    done
    grep -q '^ready' "$tmp/$log.log" || { cat "$tmp/$log.log" >&2; die "$log: the idle connections did not open"; }
  done
}
release_idle() {
  local ok=1 pid
  for pid in "${holder_pids[@]}"; do
    kill -TERM "$pid"
    wait "$pid" || ok=0
  done
  holder_pids=()
  [ "$ok" = 1 ] || die "a server closed idle connections during the run (or an answer was not 200):" \
    "truce: $(tail -1 "$tmp/holder_truce.log"); nginx: $(tail -1 "$tmp/holder_nginx.log")"
}

# scenario NAME TRUCE_URL NGINX_URL|- [SCRIPT]: truce then nginx, then both
# again with the idle connections held (so that a drift in the machine's load
# does not pass for their effect). WRK_CONNS as for run_wrk.
scenario() {
  local name="$1" turl="$2" nurl="$3" script="${4:-}" suffix
  for suffix in "" _idle; do
    [ -z "$suffix" ] || hold_idle
    run_wrk "${name}_truce$suffix" truce "$turl" "$script"
    [ "$nurl" = - ] || run_wrk "${name}_nginx$suffix" nginx "$nurl"
    [ -z "$suffix" ] || release_idle
  done
}

echo "== wrk: -t2 -c$conns -d${duration}s --latency, each side in turn, without and with $idle idle connections"
saved_duration="$duration"
duration=2  # warm-up of both servers, not reported
run_wrk warm_truce truce "$base$agreement_path"
run_wrk warm_nginx nginx "$nbase/agreement.json"
run_wrk warm_varied truce "$base" "$root/bench/serve/vary.lua"
duration="$saved_duration"

scenario agreement "$base$agreement_path" "$nbase/agreement.json"
scenario incidents "$base$incidents_path" "$nbase/incidents.json"
scenario varied "$base" - "$root/bench/serve/vary.lua"
WRK_CONNS=2 scenario varied2 "$base" - "$root/bench/serve/vary.lua"
echo "the servers kept all $idle idle connections open through every run"

# ---------------------------------------------------------------- report
echo
python3 "$root/bench/serve/report.py" "$tmp" "$conns" "$idle"

# ---------------------------------------------------------------- stop
kill -TERM "$nginx_pid"
wait "$nginx_pid" 2>/dev/null || true
nginx_pid=""
kill -TERM "$truce_pid"
rc=0
wait "$truce_pid" || rc=$?
truce_pid=""
[ "$rc" = 0 ] || { cat "$tmp/truce.log" >&2; die "truce serve exited with status $rc on SIGTERM"; }
echo "truce serve stopped cleanly on SIGTERM"
