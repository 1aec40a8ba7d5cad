#!/usr/bin/env bash
# Crash test (issue: SMTP sending): 1,000 notices go out to Postfix's
# smtp-sink while the sending process is killed with SIGKILL at random
# moments, KILLS times (default 100). Afterwards, counting at the sink:
# no notice lost, none delivered twice; notices left "uncertain" are
# reported (they may have arrived once, never twice).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin:/usr/sbin"
NOTICES=${NOTICES:-1000}
KILLS=${KILLS:-100}
PORT=${PORT:-2725}
command -v smtp-sink >/dev/null || scripts/servers/install.sh

work=$(mktemp -d /tmp/dunner-crash.XXXXXX)
sinkpid=
cleanup() { [ -n "$sinkpid" ] && kill "$sinkpid" 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$work"; }
trap cleanup EXIT
chmod 755 "$work"; mkdir -p "$work/sink" && chmod 777 "$work/sink"
smtp-sink ${SINK_VERBOSE:+-v} -u nobody -d "$work/sink/%M." "127.0.0.1:$PORT" 256 2>"$work/sink.log" &
sinkpid=$!
CGO_ENABLED=0 go build -o "$work/dunner" ./cmd/dunner
{
  echo "customer_id,invoice,due_date,currency,open_amount"
  for i in $(seq 1 "$NOTICES"); do echo "C$i,R-$i,2026-02-01,EUR,100.00"; done
} >"$work/ledger.csv"
{
  echo "customer_id,name,contacts"
  for i in $(seq 1 "$NOTICES"); do echo "C$i,Customer $i,billing:ap$i@customer.example"; done
} >"$work/customers.csv"
cat >"$work/dunner.yaml" <<YAML
database: sqlite:crash.db
company: {name: Northwind Supply S.L., email: ar@northwind.example, timezone: Europe/Madrid}
delivery:
  # Throttled so that the kills spread over the whole sending period.
  smtp: {host: 127.0.0.1, port: $PORT, tls: none, connections: 4, timeout_seconds: 5, rate_per_minute: 6000}
policies:
  standard:
    min_overdue_total: 1.00
    min_days_between: 7
    levels: [{level: 1, days: 1, template: reminder1}]
customer_defaults: {policy: standard, language: en, timezone: Europe/Madrid, review: never}
YAML
d() { "$work/dunner" --config "$work/dunner.yaml" "$@"; }
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
d import customers "$work/customers.csv" >/dev/null
d import ledger "$work/ledger.csv" >/dev/null
d run --as-of 2026-03-02 >/dev/null 2>&1

for k in $(seq 1 "$KILLS"); do
  # --lease -1s: no other sender runs, so whatever the last one left in
  # "sending" is settled at once.
  # The binary itself, not through d(): $! must be the sender's own PID.
  "$work/dunner" --config "$work/dunner.yaml" send --as-of 2026-03-02 --lease -1s >/dev/null 2>&1 &
  pid=$!
  sleep "0.$(printf '%03d' $((RANDOM % 250)))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ $((k % 20)) = 0 ]; then
    echo "after $k kills: $(find "$work/sink" -type f | wc -l) messages at the sink"
  fi
done
d send --as-of 2026-03-02 --lease -1s >"$work/final.out" 2>&1 || true
cat "$work/final.out" | tail -1
sleep 1 # let smtp-sink close its last files
d drafts list --state all --json >"$work/drafts.json"
go run ./scripts/crashcheck -sink "$work/sink" -drafts "$work/drafts.json"
