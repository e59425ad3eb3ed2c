#!/usr/bin/env bash
# A flame graph of `spampot serve` (release build) taking mail from smtp-source, as `make bench`
# loads it: perf samples the server's threads with DWARF call stacks while the load runs, and the
# npm package flamegraph draws them as an SVG (bench/results/flame-LABEL-PATTERN.svg).
#
#   bench/flame.sh LABEL [per-session|one-per-connection] [MESSAGES]
#   (KEEP_PERF=FILE keeps perf.data for perf report)
set -euo pipefail
cd "$(dirname "$0")/.."
LABEL=${1:?a label for the file name, e.g. before or after}
PATTERN=${2:-one-per-connection}
MESSAGES=${3:-20000}
BIN=build-release/spampot
[ -x "$BIN" ] || make release >/dev/null
TOOLS=build/flamegraph
[ -x "$TOOLS/node_modules/.bin/flamegraph" ] || npm install --silent --prefix "$TOOLS" flamegraph@1.3.0 >/dev/null
WORK=$(mktemp -d /tmp/spampot-flame.XXXXXX)
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
printf 'sensor = "bench"\n[smtp]\nhostname = "mx.trap.example"\n[limits]\nconnections = 20000\nconnections_per_ip = 20000\nmessages_per_session = 1000000\n[log]\nlevel = "warn"\n' \
  > "$WORK/spampot.toml"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN" serve --config "$WORK/spampot.toml" --listen "127.0.0.1:$PORT" --domain trap.example \
  --db "sqlite:$WORK/spampot.db" --spool "$WORK/spool" 2> "$WORK/serve.log" &
SERVER=$!
for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.05; done
extra=()
[ "$PATTERN" = per-session ] && extra=(-d)
perf record -q -F 499 --call-graph dwarf,16384 -p "$SERVER" -o "$WORK/perf.data" 2>/dev/null &
PERF=$!
sleep 0.5
/usr/sbin/smtp-source "${extra[@]}" -s 10 -m "$MESSAGES" -l 2048 -f bench@bad.example -t rcpt@trap.example \
  "127.0.0.1:$PORT"
kill -INT $PERF
wait $PERF || true
mkdir -p bench/results
OUT=bench/results/flame-$LABEL-$PATTERN.svg
perf script -i "$WORK/perf.data" 2>/dev/null | "$TOOLS/node_modules/.bin/flamegraph" -t perf \
  --titletext "spampot serve, smtp-source $PATTERN, $MESSAGES messages ($LABEL)" --minwidth 1 |
  sed 's/ && / \&amp;\&amp; /g' > "$OUT"  # the package writes its handlers' && unescaped: not XML
[ -z "${KEEP_PERF:-}" ] || cp "$WORK/perf.data" "$KEEP_PERF"
echo "$OUT"
