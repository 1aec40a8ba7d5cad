#!/usr/bin/env bash
# The whole test suite: what CI runs (.ci/run calls this). It installs what
# the tests need on a fresh Debian machine (as root) and starts real servers
# on loopback where a test needs one. Plain `go test ./...` stays hermetic.
set -euo pipefail
cd "$(dirname "$0")/.."

export PATH="$PATH:/usr/local/go/bin"
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"

log() { printf '== %s\n' "$*"; }

# need PKG CMD…: apt-get install PKG when one of the commands is missing.
apt_updated=
need() {
  local pkg=$1; shift
  for c in "$@"; do
    if ! command -v "$c" >/dev/null 2>&1; then
      if [ "$(id -u)" != 0 ]; then
        echo "missing $c: install Debian package $pkg (needs root)" >&2; exit 1
      fi
      if [ -z "$apt_updated" ]; then apt-get update -qq; apt_updated=1; fi
      log "installing $pkg"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null
      return
    fi
  done
}

# need_pkgs PKG…: apt-get install the Debian packages that are not installed.
need_pkgs() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} = 0 ] && return
  if [ "$(id -u)" != 0 ]; then echo "missing Debian packages (need root): ${missing[*]}" >&2; exit 1; fi
  if [ -z "$apt_updated" ]; then apt-get update -qq; apt_updated=1; fi
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

need sqlite3 sqlite3   # the benchmark baseline and DB inspection
# Remittance PDFs: poppler's pdftotext is the second reading engine; the
# fixture corpus is also printed by LibreOffice and Chromium.
need_pkgs poppler-utils chromium libreoffice-writer-nogui libreoffice-calc-nogui fonts-dejavu-core fonts-liberation
export DUNNER_EXTERNAL_PRODUCERS=1

log "go vet"
go vet ./...

log "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then echo "gofmt needed: $unformatted" >&2; exit 1; fi

log "real servers: smtp-sink, Postfix, Dovecot, PostgreSQL on 127.0.0.1 (scripts/servers)"
scripts/servers/install.sh
SERVERS_DIR=$(mktemp -d)
tmp=
cleanup() {
  local rc=$?
  scripts/servers/stop.sh "$SERVERS_DIR" || true
  if [ "$rc" = 0 ]; then rm -rf "$SERVERS_DIR"; else echo "server logs kept in $SERVERS_DIR/log" >&2; fi
  if [ -n "$tmp" ]; then rm -rf "$tmp"; fi
}
trap cleanup EXIT
servers_env=$(scripts/servers/start.sh "$SERVERS_DIR")
eval "$servers_env"
export DUNNER_REQUIRE_SERVERS=1 # a real-server test never skips here

# Portal tests drive the real Chromium (connectors/portal, cmd/dunner);
# each visit must end its browser, whatever happened in it.
no_browsers_left() {
  local left=
  for f in /proc/[0-9]*/cmdline; do
    if tr '\0' ' ' <"$f" 2>/dev/null | grep -q -- '--user-data-dir=[^ ]*dunner-chromium-'; then left="$left ${f#/proc/}"; fi
  done
  if [ -n "$left" ]; then echo "chromium left running by the portal tests:${left//\/cmdline/}" >&2; exit 1; fi
}

log "unit and end-to-end tests"
go test -count=1 ./...
no_browsers_left

log "race detector on the store and the use cases"
go test -count=1 -race ./agent/... ./jobs/... ./connectors/sqlite/... ./connectors/postgres/... ./connectors/portal/... ./cmd/...
no_browsers_left

log "crash test: 1,000 notices to smtp-sink, sender killed 100 times"
scripts/crash-test.sh

log "fuzzing the parsers briefly"
# Budgets are counts of inputs (about ten seconds each here), not seconds:
# Go 1.26's fuzz coordinator can report "context deadline exceeded" as a
# failure when a -fuzztime duration ends under load (go.dev/issue/75804).
fuzz() { go test -run='^$' -fuzz="^$2\$" -fuzztime="${FUZZTIME:-$3}" -fuzzminimizetime=200x "$1"; }
fuzz ./connectors/ledger FuzzReadLedgerCSV 100000x
fuzz ./connectors/ledger FuzzReadSAP 130000x
fuzz ./connectors/ledger FuzzReadCustomers 180000x
fuzz ./configs FuzzParse 180000x
fuzz ./connectors/mailparse FuzzParse 120000x
fuzz ./agent FuzzClassify 5000x
fuzz ./connectors/pdf FuzzParsePDF 4000x
fuzz ./connectors/pdf FuzzParseNumber 120000x
fuzz ./connectors/pdf FuzzParseDate 100000x
fuzz ./connectors/pdf FuzzTable 5000x
fuzz ./connectors/sqlite FuzzReadMarks 100000x
fuzz ./connectors/sqlite FuzzDecodeNotice 100000x
fuzz ./connectors/sqlite FuzzDecodeLevels 100000x

log "demo in a scratch directory"
tmp=$(mktemp -d) # removed by cleanup (trap above)
CGO_ENABLED=0 go build -o "$tmp/dunner" ./cmd/dunner
DUNNER_DATABASE="sqlite:$tmp/demo.db" DUNNER_OUTBOX_DIR="$tmp/outbox" "$tmp/dunner" demo >"$tmp/demo.out"
ls "$tmp/outbox"/*.eml >/dev/null

echo "all tests passed"
