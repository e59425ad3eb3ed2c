#!/usr/bin/env bash
# Seed pages per second: wrk fetches the seed page of a release `spampot serve` over loopback
# for SECONDS with CONNS connections; every page mints an address whose record is durable in the
# journal before the page is sent. Then checks that every seed was indexed and all are distinct.
#
#   bench/seed_load.sh [SECONDS] [CONNS]      (defaults: 10 16)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_RUN=${1:-10}
CONNS=${2:-16}
BIN=build-release/spampot
[ -x "$BIN" ] || make release >/dev/null
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }
WORK=$(mktemp -d /tmp/spampot-seed-bench.XXXXXX)
trap 'kill $SERVER 2>/dev/null && wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
cat > "$WORK/spampot.toml" <<TOML
sensor = "bench"
[smtp]
listen = ["127.0.0.1:0"]
hostname = "mx.trap.example"
[[trap]]
domain = "trap.example"
[store]
db = "sqlite:$WORK/spampot.db"
spool = "$WORK/spool"
[seed]
listen = "127.0.0.1:0"
connections = 1024
connections_per_ip = 1024
TOML
"$BIN" serve --config "$WORK/spampot.toml" > "$WORK/log" 2>&1 &
SERVER=$!
for _ in $(seq 100); do grep -q "seed page on" "$WORK/log" && break; sleep 0.1; done
URL=$(grep -o "http://127.0.0.1:[0-9]*/" "$WORK/log" | head -1)
wrk -t1 -c"$CONNS" -d"${SECONDS_RUN}s" "${URL}contact" > "$WORK/wrk"
sleep 2
RSS=$(ps -o rss= -p "$SERVER")
REQS=$(awk '/requests in/ {print $1}' "$WORK/wrk")
RATE=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk")
LAT=$(awk '/Latency/ {print $2}' "$WORK/wrk")
SEEDS=$(sqlite3 "$WORK/spampot.db" "SELECT count(*) FROM seeds")
DISTINCT=$(sqlite3 "$WORK/spampot.db" "SELECT count(DISTINCT address) FROM seeds")
printf '| connections | pages | pages/s | mean latency | seeds indexed | distinct | server RSS |\n|---|---|---|---|---|---|---|\n'
printf '| %s | %s | %s | %s | %s | %s | %.1f MiB |\n' "$CONNS" "$REQS" "$RATE" "$LAT" "$SEEDS" "$DISTINCT" \
  "$(echo "$RSS / 1024" | bc -l)"
