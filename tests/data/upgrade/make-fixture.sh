#!/usr/bin/env bash
# Writes the upgrade fixtures with a previous release's binary: a SQLite store and its spool, and
# a MariaDB dump, each holding the same small harvest (messages with a URL and an attachment, a
# relay attempt, AUTH tried, a message in Latin-1 bytes). Run once per release whose stores the
# next one must upgrade; the tests then upgrade the committed files with the new binary.
#   make-fixture.sh OLD_SPAMPOT OUT_DIR MARIADB_TEST_DIR
# MARIADB_TEST_DIR is a server started by tests/scripts/mariadb.sh. Loopback only.
set -euo pipefail
bin=${1:?old spampot binary}
out=${2:?output directory}
mdb=${3:?mariadb test dir}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
cat > "$out/spampot.toml" <<'TOML'
sensor = "v9"
[smtp]
hostname = "mx.trap.example"
auth_capture = true
[[trap]]
domain = "trap.example"
TOML

harvest() {  # $1: store URL, $2: spool
  "$bin" serve --config "$out/spampot.toml" --listen 127.0.0.1:2597 --db "$1" --spool "$2" > "$out/serve.log" 2>&1 &
  local pid=$!
  for _ in $(seq 100); do grep -q "listening on" "$out/serve.log" 2>/dev/null && break; sleep 0.1; done
  python3 "$here/send-harvest.py" 2597
  kill "$pid"
  wait "$pid" || true
  rm -f "$out/serve.log"
}

rm -rf "$out/sqlite"
mkdir -p "$out/sqlite"
harvest "sqlite:$out/sqlite/spampot.db" "$out/sqlite/spool"
rm -rf "$out/sqlite/spool/status.json" "$out/sqlite/spool/tls" "$out/sqlite/spampot.db-wal" "$out/sqlite/spampot.db-shm"

url=$("$here/../../scripts/mariadb.sh" db "$mdb" spampot_fixture)
harvest "$url" "$out/mariadb-spool"
mariadb-dump --no-defaults --socket="$mdb/mysqld.sock" -uroot --skip-dump-date --skip-comments spampot_fixture \
  > "$out/mariadb.sql"
rm -rf "$out/mariadb-spool" "$out/spampot.toml"
