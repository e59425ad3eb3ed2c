#!/usr/bin/env bash
# Loads a release build of `spampot serve` with Postfix's smtp-source on loopback and reports
# messages per second, server CPU and peak RSS, for one message per connection (what spam bots
# do) and many messages per session (-d). Full persistence: every 250 is after an fdatasync.
#
#   bench/trap_load.sh [MESSAGES] [SESSIONS] [SIZE]      (defaults: 10000 20 2048)
#
# Loopback only; bounded by MESSAGES; cleans up its temporary directory.
set -euo pipefail
cd "$(dirname "$0")/.."
MESSAGES=${1:-10000}
SESSIONS=${2:-20}
SIZE=${3:-2048}
BIN=build-release/spampot
[ -x "$BIN" ] || make release >/dev/null
WORK=$(mktemp -d /tmp/spampot-bench.XXXXXX)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT

printf '| pattern | messages | sessions | size | seconds | msg/s | server CPU s | server peak RSS MiB | indexed |\n'
printf '|---|---|---|---|---|---|---|---|---|\n'
for pattern in one-per-connection per-session; do
  rm -rf "$WORK"/*
  printf '[limits]\nconnections_per_ip = 1000\nmessages_per_session = 100000\n' > "$WORK/spampot.toml"
  "$BIN" serve --config "$WORK/spampot.toml" --listen 127.0.0.1:0 --domain trap.example \
    --db "sqlite:$WORK/spampot.db" --spool "$WORK/spool" --sensor bench 2> "$WORK/serve.log" &
  SERVER=$!
  for _ in $(seq 100); do grep -q "listening on" "$WORK/serve.log" && break; sleep 0.05; done
  PORT=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$WORK/serve.log" | head -1)
  extra=()
  [ "$pattern" = per-session ] && extra=(-d)
  start=$(date +%s.%N)
  /usr/sbin/smtp-source "${extra[@]}" -s "$SESSIONS" -m "$MESSAGES" -l "$SIZE" -f bench@bad.example \
    -t rcpt@trap.example "127.0.0.1:$PORT"
  end=$(date +%s.%N)
  rss_kib=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER/status")
  ticks=$(awk '{print $14 + $15}' "/proc/$SERVER/stat")
  kill -TERM "$SERVER"
  wait "$SERVER" || true
  indexed=$(sqlite3 "$WORK/spampot.db" "SELECT count(*) FROM messages")
  awk -v s="$start" -v e="$end" -v m="$MESSAGES" -v r="$rss_kib" -v t="$ticks" -v hz="$(getconf CLK_TCK)" \
      -v p="$pattern" -v n="$SESSIONS" -v z="$SIZE" -v i="$indexed" \
      'BEGIN { d = e - s; printf "| %s | %d | %d | %d | %.2f | %.0f | %.2f | %.1f | %d |\n", p, m, n, z, d, m / d, t / hz, r / 1024, i }'
done
