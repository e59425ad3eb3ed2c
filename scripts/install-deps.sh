#!/usr/bin/env bash
# Installs every Debian 12 package that spampot's build, run and tests need.
# Called by `make run`, `make test` and `make build`; safe to run again (apt is idempotent).
# README.md lists each package and why it is here: keep the two lists equal.
set -euo pipefail

packages=(
  # build
  build-essential cmake ninja-build pkg-config
  # fuzzing: clang with libFuzzer and the sanitizer runtimes
  clang libclang-rt-14-dev
  # libraries (DESIGN.md §5)
  libasio-dev libssl-dev libsqlite3-dev libmariadb-dev libzstd-dev zlib1g-dev
  libtomlplusplus-dev libcli11-dev nlohmann-json3-dev libspdlog-dev libfmt-dev libpsl-dev publicsuffix
  libboost-dev libc-ares-dev
  # networks and countries of client addresses, from MaxMind-format databases the operator gives
  libmaxminddb-dev
  # sender authentication: SPF, DKIM, DMARC
  libspf2-dev libopendkim-dev libopendmarc-dev
  # message forensics: MIME and charsets, types from content, fuzzy hashes, IDN host names
  libgmime-3.0-dev libmagic-dev libfuzzy-dev libidn2-dev
  # display widths of every script in tables (East Asian width, combining marks)
  libicu-dev
  # Prometheus metrics: the registry and text format (serve exposes them itself)
  prometheus-cpp-dev
  # tests
  libgtest-dev libgmock-dev libbenchmark-dev python3 swaks curl msmtp postfix sqlite3 openssl zstd gzip mariadb-server
  # a real UTF-8 terminal for the table tests
  tmux
  # the consumers each export format is checked against (sendmail's makemap conflicts with postfix)
  rbldnsd bind9-dnsutils spamassassin nftables ipset
  # the small GeoIP databases the tests write with MaxMind's own writer, and an independent DKIM signer
  python3-dkim
  libmaxmind-db-writer-perl
  # the DNS server of the reverse-DNS tests (PTR and A records on loopback)
  dnsmasq-base
  # checking the packaging: the systemd unit, the man pages, the logrotate file
  systemd groff-base logrotate
  # promtool checks the metrics exposition
  prometheus
  # the Debian package: built with debhelper, checked with lintian, installed in a test
  debhelper dpkg-dev lintian
  # the web console in a real browser: headless Chromium driven by Selenium
  chromium chromium-driver python3-selenium fonts-dejavu-core
  # benchmark peer (bench/peers/aiosmtpd_honeypot.py) and the seed page's HTTP load
  python3-aiosmtpd wrk
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
if [ ${#missing[@]} -gt 0 ]; then
  # Postfix is installed only for its smtp-source and smtp-sink test tools: "No configuration" keeps
  # the MTA itself unconfigured and stopped, so it never listens on port 25 beside the trap.
  echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The console's OpenAPI document is checked by swagger-parser (npm registry, version pinned in
# tests/openapi/package-lock.json). npm comes with the machine's Node.js; Debian's when there is none.
if ! command -v npm >/dev/null; then
  $SUDO apt-get install -y -qq --no-install-recommends nodejs npm
fi
openapi="$(dirname "$0")/../tests/openapi"
if [ ! -d "$openapi/node_modules/@apidevtools/swagger-parser" ]; then
  (cd "$openapi" && npm ci --no-audit --no-fund --silent)
fi
