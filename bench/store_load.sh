#!/usr/bin/env bash
# Messages per second into each store, side by side in one run: a release `spampot serve` takes
# MESSAGES from smtp-source (many per session) with SQLite and then with a throwaway MariaDB on
# loopback, and the clock stops when the last message is indexed (the 250s come from the spool
# journal either way; this measures the index behind it).
#
#   bench/store_load.sh [MESSAGES] [SESSIONS]      (defaults: 10000 20)
set -euo pipefail
cd "$(dirname "$0")/.."
MESSAGES=${1:-10000}
SESSIONS=${2:-20}
BIN=build-release/spampot
[ -x "$BIN" ] || make release >/dev/null
WORK=$(mktemp -d /tmp/spampot-store-bench.XXXXXX)
trap 'kill $SERVER 2>/dev/null || true; tests/scripts/mariadb.sh stop "$WORK/mariadb" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT
tests/scripts/mariadb.sh start "$WORK/mariadb"
MURL=$(tests/scripts/mariadb.sh db "$WORK/mariadb" spampot_bench)

count() {
  case "$1" in
    sqlite) sqlite3 "$WORK/spampot.db" "SELECT count(*) FROM messages" 2>/dev/null || echo 0 ;;
    mariadb) mariadb --no-defaults --socket="$WORK/mariadb/mysqld.sock" -uroot -N -B spampot_bench \
               -e "SELECT COUNT(*) FROM messages" 2>/dev/null || echo 0 ;;
  esac
}

printf '| store | messages | sessions | accepted in s | indexed in s | indexed msg/s |\n|---|---|---|---|---|---|\n'
for store in sqlite mariadb; do
  rm -rf "$WORK/spool" "$WORK"/spampot.db*
  db="sqlite:$WORK/spampot.db"
  [ "$store" = mariadb ] && db="$MURL"
  printf '[limits]\nconnections_per_ip = 1000\nmessages_per_session = 100000\n' > "$WORK/spampot.toml"
  "$BIN" serve --config "$WORK/spampot.toml" --listen 127.0.0.1:0 --domain trap.example --db "$db" \
    --spool "$WORK/spool" --sensor bench 2> "$WORK/serve.log" &
  SERVER=$!
  for _ in $(seq 100); do grep -q "listening on" "$WORK/serve.log" && break; sleep 0.05; done
  PORT=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$WORK/serve.log" | head -1)
  start=$(date +%s.%N)
  /usr/sbin/smtp-source -d -s "$SESSIONS" -m "$MESSAGES" -l 2048 -f bench@bad.example -t rcpt@trap.example \
    "127.0.0.1:$PORT"
  accepted=$(date +%s.%N)
  while [ "$(count $store)" -lt "$MESSAGES" ]; do sleep 0.02; done
  indexed=$(date +%s.%N)
  kill -TERM "$SERVER"; wait "$SERVER" || true
  awk -v st="$store" -v m="$MESSAGES" -v n="$SESSIONS" -v s="$start" -v a="$accepted" -v i="$indexed" \
    'BEGIN { printf "| %s | %d | %d | %.2f | %.2f | %.0f |\n", st, m, n, a - s, i - s, m / (i - s) }'
done
