#!/usr/bin/env bash
# The web console on a big store: builds the store as bench/report_load.sh does (MESSAGES imported
# messages over DAYS days, release build), then has `spampot serve` capture the test corpus of real
# spam (tests/data/eml, a few hundred messages with attachments and HTML bodies) into the same
# store, starts `spampot web` on loopback, and measures the first byte of each main page (the
# median of 5 requests with curl), every captured message's page (its raw text read from the spool
# and parsed), the API search's latency under 20 concurrent clients (wrk, 20 s; p50/p99), and the
# console's RSS after it all.
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

# Captured mail: what an analyst opens most, with a body to parse.
"$BIN" serve --config "$WORK/spampot.toml" --listen 127.0.0.1:0 --domain trap0.example 2> "$WORK/serve.log" &
PID=$!
for _ in $(seq 100); do grep -q "listening on 127.0.0.1:" "$WORK/serve.log" && break; sleep 0.1; done
PORT=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$WORK/serve.log" | head -1 | cut -d: -f2)
CAPTURED=$(python3 bench/send_corpus.py "$PORT" tests/data/eml)
kill -TERM "$PID"; wait "$PID" || true  # drains the index before it exits
PID=

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

# Every captured message's page once: the raw text read from the spool, parsed, escaped.
curl -s "$BASE/api/v1/search?from=bulk@bad.example&limit=1000" | python3 -c 'import json,sys; [print(m["id"]) for m in json.load(sys.stdin)]' > "$WORK/captured"
while read -r id; do
  curl -s -o /dev/null -w "%{time_starttransfer} $id\n" "$BASE/message/$id"
done < "$WORK/captured" | sort -n > "$WORK/times"
N=$(wc -l < "$WORK/times")
pick() { sed -n "$1p" "$WORK/times" | awk '{printf "%.1f", $1*1000}'; }
printf '\n%s captured messages (%s sent), each message page once: median %s ms, p99 %s ms, slowest %s ms (%s bytes)\n' \
  "$N" "$CAPTURED" "$(pick $(( (N + 1) / 2 )))" "$(pick $(( (N * 99 + 99) / 100 )))" "$(pick "$N")" \
  "$(curl -s "$BASE/api/v1/message/$(tail -1 "$WORK/times" | cut -d' ' -f2)" | python3 -c 'import json,sys; print(json.load(sys.stdin)["size"])')"
BIG=$(curl -s "$BASE/api/v1/search?from=bulk@bad.example&limit=1000" | python3 -c 'import json,sys; print(max(json.load(sys.stdin), key=lambda m: m["size"])["id"])')
ttfb "largest captured message, page" "/message/$BIG"
ttfb "largest captured message, raw" "/message/$BIG/raw"

printf '\nwrk, 20 connections, 2 threads, 20 s, GET /api/v1/search?limit=20:\n'
wrk -t2 -c20 -d20s --latency "$BASE/api/v1/search?limit=20" | grep -E 'Requests/sec|50%|99%|Non-2xx|Socket errors' || true
printf '\nconsole RSS after the run: %s MiB\n' "$(( $(ps -o rss= -p "$PID") / 1024 ))"
