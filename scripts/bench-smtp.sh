#!/usr/bin/env bash
# SMTP benchmark (issue: SMTP sending): NOTICES notices of about 20 KB sent
# by `dunner send` to Postfix's smtp-sink at concurrency 1, 4 and 16,
# against Postfix's smtp-source sending the same number of messages of the
# same size at the same concurrency, in the same run. Prints messages per
# second, medians of RUNS runs, and the ratio (target ≥ 0.7); "smtp alone" is
# the SMTP connector sending a built notice of that size with no store.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin:/usr/sbin"
NOTICES=${NOTICES:-10000}
RUNS=${RUNS:-3}
PORT=${PORT:-2825}
command -v smtp-sink >/dev/null || scripts/servers/install.sh

work=$(mktemp -d /tmp/dunner-bench-smtp.XXXXXX)
sinkpid=
cleanup() { [ -n "$sinkpid" ] && kill "$sinkpid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
# The sink counts and discards: the disk is not what is measured. It runs
# in a session of its own, as a mail server does: with the kernel's
# autogroup scheduling, a sink in the benchmark's session competes for CPU
# with the sender's threads as one group, and at one connection that cost
# the sender a fifth of its rate (smtp-source, one thread, hardly notices).
setsid smtp-sink -u nobody -c "127.0.0.1:$PORT" 1024 >/dev/null &
sinkpid=$!
CGO_ENABLED=0 go build -o "$work/dunner" ./cmd/dunner
# The connector alone (no store): what the SMTP path costs by itself.
CGO_ENABLED=0 go build -o "$work/floor" ./scripts/benchsmtpfloor
# 22 items per customer make a notice of about 20 KB (text + HTML).
{
  echo "customer_id,invoice,due_date,currency,open_amount,po_number"
  for i in $(seq 1 "$NOTICES"); do
    for j in $(seq 1 22); do echo "C$i,R-$i-$j,2026-02-0$((j % 9 + 1)),EUR,$((100 + j)).50,PO-$j"; done
  done
} >"$work/ledger.csv"
{
  echo "customer_id,name,contacts"
  for i in $(seq 1 "$NOTICES"); do echo "C$i,Customer $i GmbH,billing:ap$i@customer.example"; done
} >"$work/customers.csv"
config() {
  cat <<YAML
database: sqlite:$work/bench.db
company: {name: Northwind Supply S.L., email: ar@northwind.example, timezone: Europe/Madrid}
delivery:
  smtp: {host: 127.0.0.1, port: $PORT, tls: none, connections: $1}
policies:
  standard:
    min_overdue_total: 1.00
    min_days_between: 7
    levels: [{level: 1, days: 1, template: reminder1}]
customer_defaults: {policy: standard, language: en, timezone: Europe/Madrid, review: never}
YAML
}
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
now() { date +%s.%N; }
printf '%-12s %14s %14s %8s %14s\n' concurrency "dunner msg/s" "source msg/s" ratio "smtp alone"
for c in ${CONCURRENCY:-1 4 16}; do
  config "$c" >"$work/dunner.yaml"
  : >"$work/d.$c"; : >"$work/s.$c"; : >"$work/f.$c"
  size=0
  for r in $(seq "$RUNS"); do
    rm -rf "$work"/bench.db*
    d() { "$work/dunner" --config "$work/dunner.yaml" "$@" >/dev/null 2>&1; }
    d import customers "$work/customers.csv"
    d import ledger "$work/ledger.csv"
    d run --as-of 2026-03-02
    t0=$(now); DUNNER_CPUPROFILE=${PROFILE:+$work/send.$c.prof} d send --as-of 2026-03-02; t1=$(now)
    [ -n "${PROFILE:-}" ] && cp "$work/send.$c.prof" "/tmp/send.$c.prof"
    echo "$NOTICES / ($t1 - $t0)" | bc -l >>"$work/d.$c"
    if [ "$size" = 0 ]; then
      size=$("$work/dunner" --config "$work/dunner.yaml" drafts show 1 --json | wc -c)
    fi
    t0=$(now)
    smtp-source -d -s "$c" -m "$NOTICES" -l 20480 -f ar@northwind.example -t ap@customer.example "127.0.0.1:$PORT"
    t1=$(now)
    echo "$NOTICES / ($t1 - $t0)" | bc -l >>"$work/s.$c"
    "$work/floor" -addr "127.0.0.1:$PORT" -n "$NOTICES" -c "$c" >>"$work/f.$c"
  done
  dm=$(median <"$work/d.$c"); sm=$(median <"$work/s.$c"); fm=$(median <"$work/f.$c")
  printf '%-12s %14.0f %14.0f %8.2f %14.0f\n' "$c" "$dm" "$sm" "$(echo "$dm / $sm" | bc -l)" "$fm"
done
echo "(draft JSON of one notice: $size bytes; smtp-source messages: 20480 bytes)"
