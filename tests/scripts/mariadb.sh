#!/usr/bin/env bash
# A throwaway MariaDB server on loopback for the tests: `mariadb.sh start DIR` initialises a data
# directory under DIR, starts mariadbd on a free 127.0.0.1 port, creates database and user
# "spampot", and writes the store URL to DIR/url (password in DIR/password, not in the URL).
# `mariadb.sh stop DIR` stops it and removes DIR. Nothing listens beyond 127.0.0.1.
set -euo pipefail
cmd=${1:?start or stop}
dir=${2:?directory}

halt() {
  [ -f "$dir/mariadbd.pid" ] || return 0
  local pid
  pid=$(cat "$dir/mariadbd.pid")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 300); do [ -e "/proc/$pid" ] || break; sleep 0.1; done
}

stop() {
  halt
  rm -rf "$dir"
}

case "$cmd" in
  start)
    stop
    mkdir -p "$dir/data"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    user=$(id -un)
    mariadb-install-db --no-defaults --datadir="$dir/data" --user="$user" --auth-root-authentication-method=socket \
      --skip-test-db > "$dir/install.log" 2>&1
    mariadbd --no-defaults --datadir="$dir/data" --user="$user" --bind-address=127.0.0.1 --port="$port" \
      --socket="$dir/mysqld.sock" --pid-file="$dir/mariadbd.pid" --log-error="$dir/error.log" \
      --innodb-buffer-pool-size=64M --innodb-log-file-size=48M --skip-log-bin --max-connections=200 \
      --innodb-flush-log-at-trx-commit=1 > /dev/null 2>&1 &
    for _ in $(seq 300); do
      mariadb --no-defaults --socket="$dir/mysqld.sock" -uroot -e 'SELECT 1' > /dev/null 2>&1 && break
      sleep 0.1
    done
    password=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
    # The user may use any database named spampot*: each test makes its own (db DIR NAME).
    printf "CREATE DATABASE spampot;
CREATE USER 'spampot'@'127.0.0.1' IDENTIFIED BY '%s';
CREATE USER 'spampot'@'localhost' IDENTIFIED BY '%s';
GRANT ALL ON \`spampot%%\`.* TO 'spampot'@'127.0.0.1';
GRANT ALL ON \`spampot%%\`.* TO 'spampot'@'localhost';
" "$password" "$password" | mariadb --no-defaults --socket="$dir/mysqld.sock" -uroot
    echo "$password" > "$dir/password"
    echo "$port" > "$dir/port"
    echo "mysql://spampot@127.0.0.1:$port/spampot?password_file=$dir/password" > "$dir/url"
    ;;
  stop) stop ;;
  # A fresh, empty database for one test: prints its store URL.
  db)
    name=${3:?database name}
    mariadb --no-defaults --socket="$dir/mysqld.sock" -uroot -e "DROP DATABASE IF EXISTS \`$name\`; CREATE DATABASE \`$name\`"
    echo "mysql://spampot@127.0.0.1:$(cat "$dir/port")/$name?password_file=$dir/password"
    ;;
  # A statement run as root in database NAME, rows printed tab-separated (tests that break a
  # schema on purpose, or read information_schema).
  sql)
    name=${3:?database name}
    mariadb --no-defaults --socket="$dir/mysqld.sock" -uroot -N -B "$name" -e "${4:?statement}"
    ;;
  # For fault tests: stop the server but keep its data, then start it again on the same port.
  pause) halt ;;
  resume)
    user=$(id -un)
    mariadbd --no-defaults --datadir="$dir/data" --user="$user" --bind-address=127.0.0.1 --port="$(cat "$dir/port")" \
      --socket="$dir/mysqld.sock" --pid-file="$dir/mariadbd.pid" --log-error="$dir/error.log" \
      --innodb-buffer-pool-size=64M --innodb-log-file-size=48M --skip-log-bin --max-connections=200 > /dev/null 2>&1 &
    for _ in $(seq 300); do
      mariadb --no-defaults --socket="$dir/mysqld.sock" -uroot -e 'SELECT 1' > /dev/null 2>&1 && break
      sleep 0.1
    done
    ;;
  *) echo "usage: $0 start|stop|pause|resume DIR | db DIR NAME | sql DIR NAME STATEMENT" >&2; exit 2 ;;
esac
