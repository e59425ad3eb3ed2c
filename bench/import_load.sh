#!/usr/bin/env bash
# Imports a generated postfix maillog (default 1 GiB) with a release build, twice: parsing only
# (--dry-run) and into a fresh SQLite store. Reports lines per second and peak RSS of each.
#
#   bench/import_load.sh [SIZE_BYTES]
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${1:-1073741824}
BIN=build-release/spampot
[ -x "$BIN" ] || make release >/dev/null
WORK=$(mktemp -d /tmp/spampot-import-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
python3 bench/gen_postfix_log.py "$SIZE" > "$WORK/maillog"
LINES=$(wc -l < "$WORK/maillog")
BYTES=$(stat -c %s "$WORK/maillog")
printf '| run | lines | MB | seconds | lines/s | MB/s | peak RSS MiB | records |\n|---|---|---|---|---|---|---|---|\n'
for run in parse-only sqlite; do
  args=(--year 2026)
  [ "$run" = parse-only ] && args+=(--dry-run) || args+=(--db "sqlite:$WORK/import.db")
  /usr/bin/time -f '%e %M' -o "$WORK/time" "$BIN" import "${args[@]}" "$WORK/maillog" > "$WORK/out" 2> "$WORK/err"
  read -r secs rss_kib < "$WORK/time"
  if [ "$run" = parse-only ]; then records=$(wc -l < "$WORK/out"); else records=$(grep -o '[0-9]* added' "$WORK/out" | cut -d' ' -f1); fi
  awk -v r="$run" -v l="$LINES" -v b="$BYTES" -v s="$secs" -v m="$rss_kib" -v n="$records" \
    'BEGIN { printf "| %s | %d | %.0f | %.1f | %.0f | %.1f | %.1f | %d |\n", r, l, b / 1e6, s, l / s, b / 1e6 / s, m / 1024, n }'
done
