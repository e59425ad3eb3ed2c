#!/usr/bin/env bash
# Reports and exports on a big store: generates a trap's maillog of MESSAGES messages over DAYS
# days (bench/gen_trap_log.py: long-tailed IPs, senders, domains), imports it into SQLite with a
# release build (so every counter is kept at index time, as `serve` keeps it), then times every
# report and every export format. Prints one table row per command: seconds and peak RSS.
#
#   bench/report_load.sh [MESSAGES] [DAYS]      (defaults: 1000000 90)
set -euo pipefail
cd "$(dirname "$0")/.."
MESSAGES=${1:-1000000}
DAYS=${2:-90}
BIN=build-release/spampot
[ -x "$BIN" ] || make release >/dev/null
WORK=$(mktemp -d /tmp/spampot-report-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
DB="sqlite:$WORK/store.db"
printf '[[trap]]\ndomain = "trap0.example"\nregistered = 2025-12-01T00:00:00Z\n[store]\ndb = "%s"\nspool = "%s/spool"\n' \
  "$DB" "$WORK" > "$WORK/spampot.toml"
python3 bench/gen_trap_log.py "$MESSAGES" "$DAYS" > "$WORK/maillog"

timed() {  # label, command...: one table row
  local label=$1; shift
  /usr/bin/time -f '%e %M' -o "$WORK/time" "$@" > "$WORK/out" 2> "$WORK/err" || { cat "$WORK/err" >&2; exit 1; }
  read -r secs rss < "$WORK/time"
  printf '| %s | %s | %.1f |\n' "$label" "$secs" "$(echo "$rss / 1024" | bc -l)"
}

printf '| command | seconds | peak RSS MiB |\n|---|---|---|\n'
timed "import $MESSAGES messages" "$BIN" import --config "$WORK/spampot.toml" --year 2026 "$WORK/maillog"
grep -o '[0-9]* added' "$WORK/out" | sed 's/^/<!-- /; s/$/ -->/' >&2
for r in summary senders ips domains helos subjects recipients message-ids trap-domains daily hourly first-spam auth listings; do
  timed "report $r" "$BIN" report --config "$WORK/spampot.toml" "$r"
done
timed "report ips --since 30d-window" "$BIN" report --config "$WORK/spampot.toml" ips --since 2026-02-01 --until 2026-03-01
for r in senders ips message-ids summary; do
  timed "report $r --domain trap0.example" "$BIN" report --config "$WORK/spampot.toml" "$r" --domain trap0.example
done
timed "report senders --domain trap0.example --since 30d-window" "$BIN" report --config "$WORK/spampot.toml" \
  senders --domain trap0.example --since 2026-02-01 --until 2026-03-01
for f in plain csv json postfix sendmail rbldnsd nft ipset stix; do
  timed "export $f (ips)" "$BIN" export --config "$WORK/spampot.toml" "$f" --expire-after 0 --output "$WORK/export.$f"
done
for f in postfix spamassassin stix; do
  timed "export $f (senders)" "$BIN" export --config "$WORK/spampot.toml" "$f" --what senders --expire-after 0
done
printf '\n%s listed IPs; store %s MiB\n' "$(wc -l < "$WORK/export.plain")" "$(( $(stat -c %s "$WORK/store.db") / 1048576 ))"
