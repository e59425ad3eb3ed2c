#!/usr/bin/env bash
# The web console on a big store: builds the store as bench/report_load.sh does (MESSAGES imported
# messages over DAYS days, release build), starts `spampot web` on loopback, then measures the
# first byte of each main page (the median of 5 requests with curl), the API search's latency under
# 20 concurrent clients (wrk, 20 s; p50/p99), and the console's RSS after it all.
#
#   bench/console_load.sh [MESSAGES] [DAYS]      (defaults: 1000000 90)
set -euo pipefail
cd "$(dirname "$0")/.."
MESSAGES=${1:-1000000}
DAYS=${2:-90}
BIN=${SPAMPOT_BIN:-build-release/spampot}
[ -x "$BIN" ] || make release >/dev/null
WORK=$(mktemp -d /tmp/spampot-console-bench.XXXXXX)
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$WORK"' EXIT
printf '[[trap]]\ndomain = "trap0.example"\nregistered = 2025-12-01T00:00:00Z\n[store]\ndb = "sqlite:%s/store.db"\nspool = "%s/spool"\n' \
  "$WORK" "$WORK" > "$WORK/spampot.toml"
python3 bench/gen_trap_log.py "$MESSAGES" "$DAYS" > "$WORK/maillog"
"$BIN" import --config "$WORK/spampot.toml" --year 2026 "$WORK/maillog" > /dev/null

"$BIN" web --config "$WORK/spampot.toml" --listen 127.0.0.1:0 2> "$WORK/web.log" &
PID=$!
for _ in $(seq 100); do grep -q "console on" "$WORK/web.log" && break; sleep 0.1; done
BASE=$(grep -o 'http://127.0.0.1:[0-9]*' "$WORK/web.log" | head -1)
ID=$(curl -s "$BASE/api/v1/search?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')

ttfb() {  # label, path: median time to first byte of 5 requests, in ms
  local label=$1 path=$2 t=()
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE$path")
  for _ in 1 2 3 4 5; do t+=("$(curl -s -o /dev/null -w '%{time_starttransfer}' "$BASE$path")"); done
  printf '| %s | %s | %s |\n' "$label" "$code" "$(printf '%s\n' "${t[@]}" | sort -n | sed -n 3p | awk '{printf "%.0f", $1*1000}')"
}
printf '| page | status | first byte, ms (median of 5) |\n|---|---|---|\n'
ttfb "overview /" "/"
ttfb "messages, first page" "/messages"
ttfb "messages, subject filter" "/messages?subject=parcel"
ttfb "messages, a page 45 days back (keyset)" "/messages?before=$(python3 -c "import time; print(int((time.time()-45*86400)*1e6))").Z"
ttfb "message page" "/message/$ID"
ttfb "report senders" "/reports/senders"
ttfb "API search, 100 messages" "/api/v1/search"

printf '\nwrk, 20 connections, 2 threads, 20 s, GET /api/v1/search?limit=20:\n'
wrk -t2 -c20 -d20s --latency "$BASE/api/v1/search?limit=20" | grep -E 'Requests/sec|50%|99%|Non-2xx|Socket errors' || true
printf '\nconsole RSS after the run: %s MiB\n' "$(( $(ps -o rss= -p "$PID") / 1024 ))"
