#!/usr/bin/env bash
# DNS-based list checks per second: a release `spampot check` asks a local rbldnsd (loopback
# only) about IPS distinct harvested client IPs, every tenth of them listed, and reports the
# wall time, checks per second and the peak RSS (/usr/bin/time). The store is a SQLite file
# whose harvest keys are written directly (the checks read nothing else).
#
#   bench/dnsbl_load.sh [IPS] [RATE]      (defaults: 100000 0; RATE 0 = no rate limit)
set -euo pipefail
cd "$(dirname "$0")/.."
IPS=${1:-100000}
RATE=${2:-0}
BIN=build-release/spampot
[ -x "$BIN" ] || make release >/dev/null
WORK=$(mktemp -d /tmp/spampot-dnsbl-bench.XXXXXX)
chmod 755 "$WORK"
trap 'kill $RBL 2>/dev/null || true; rm -rf "$WORK"' EXIT

# IPs 10.x.y.z counted from 10.0.0.1; every tenth is listed.
python3 - "$IPS" "$WORK" <<'PY'
import sys
n, work = int(sys.argv[1]), sys.argv[2]
with open(work + "/keys.sql", "w") as sql, open(work + "/bl.zone", "w") as zone:
    zone.write(":127.0.0.2:listed for the benchmark\n")
    sql.write("BEGIN;\n")
    for i in range(1, n + 1):
        ip = "10.%d.%d.%d" % (i >> 16 & 255, i >> 8 & 255, i & 255)
        sql.write("INSERT INTO harvest_keys VALUES ('ip','%s',%d,%d,1,1,1);\n" % (ip, i, i))
        if i % 10 == 0:
            zone.write(ip + "\n")
    sql.write("COMMIT;\n")
PY
PORT=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
rbldnsd -n -b "127.0.0.1/$PORT" -r "$WORK" bench.bl.test:ip4set:bl.zone >/dev/null 2>&1 &
RBL=$!
cat > "$WORK/spampot.toml" <<TOML
[store]
db = "sqlite:$WORK/spampot.db"
spool = "$WORK/spool"
[dns]
servers = ["127.0.0.1:$PORT"]
rate = $RATE
in_flight = ${IN_FLIGHT:-100}
[[dnsbl]]
zone = "bench.bl.test"
kind = "ip"
TOML
"$BIN" report summary --config "$WORK/spampot.toml" >/dev/null  # creates the schema
sqlite3 "$WORK/spampot.db" < "$WORK/keys.sql"
sleep 0.5
/usr/bin/time -f '%e %M' -o "$WORK/time" "$BIN" check --config "$WORK/spampot.toml" --recheck-after 0s \
  > "$WORK/out"
read -r SECONDS_TAKEN RSS_KB < "$WORK/time"
LISTED=$(sqlite3 "$WORK/spampot.db" "SELECT count(*) FROM dnsbl_state WHERE last_answer = 'listed'")
ERRORS=$(sqlite3 "$WORK/spampot.db" "SELECT count(*) FROM dnsbl_state WHERE first_answer = ''")
printf '| IPs | rate limit | seconds | checks/s | listed | unanswered | peak RSS |\n|---|---|---|---|---|---|---|\n'
printf '| %d | %s | %s | %.0f | %d | %d | %.1f MiB |\n' "$IPS" "$RATE" "$SECONDS_TAKEN" \
  "$(echo "$IPS / $SECONDS_TAKEN" | bc -l)" "$LISTED" "$ERRORS" "$(echo "$RSS_KB / 1024" | bc -l)"
cat "$WORK/out" >&2
