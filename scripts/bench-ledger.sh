#!/usr/bin/env bash
# Ledger benchmark (issue: foundation): 1,000,000 open items for 100,000
# customers, each with a language, time zone and contact in the master.
# Measures import and a dry-run plan, and the sqlite3 CLI baselines on the
# same data in the same run: `.import` of the same file, and per-customer
# overdue totals on the same database. Prints medians of RUNS runs.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
RUNS=${RUNS:-3}
ITEMS=${ITEMS:-1000000}
CUSTOMERS=${CUSTOMERS:-100000}
AS_OF=2026-03-02
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3 >/dev/null; }

work=$(mktemp -d /tmp/dunner-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
CGO_ENABLED=0 go build -o "$work/dunner" ./cmd/dunner
go run ./scripts/genledger -out "$work" -items "$ITEMS" -customers "$CUSTOMERS" -as-of "$AS_OF"
cat >"$work/dunner.yaml" <<YAML
database: sqlite:bench.db
company: {name: Northwind Supply S.L., email: ar@northwind.example, timezone: Europe/Madrid}
delivery: {outbox_dir: outbox}
policies:
  standard:
    min_overdue_total: 50.00
    min_days_between: 7
    promise_grace_days: 3
    upcoming: {days: -5, template: upcoming}
    levels:
      - {level: 1, days: 3,  template: reminder1}
      - {level: 2, days: 15, template: reminder2}
      - {level: 3, days: 30, template: final_notice, review: true, fee: 40.00, interest: 0.1015}
      - {level: 4, days: 45, action: escalate}
customer_defaults: {policy: standard, language: en, timezone: Europe/Madrid, review: default}
YAML

# t LABEL CMD…: wall seconds and peak RSS (KiB) of one command, appended to LABEL's file.
t() {
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time.$$" "$@" >/dev/null
  cat "$work/time.$$" >>"$work/$label"
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

cd "$work"
for i in $(seq "$RUNS"); do
  rm -f bench.db bench.db-wal bench.db-shm base.db
  t customers ./dunner --config dunner.yaml import customers customers.csv
  t import ./dunner --config dunner.yaml import ledger ledger.csv
  t reimport ./dunner --config dunner.yaml import ledger ledger.csv
  t plan ./dunner --config dunner.yaml run --dry-run --json --as-of "$AS_OF"
  t sqlite_import sqlite3 base.db ".mode csv" ".import ledger.csv items"
  t sqlite_totals sqlite3 bench.db "SELECT customer_id, currency, SUM(CAST(open_amount AS REAL)) FROM items
    WHERE open = 1 AND doc_type = 'invoice' AND dunning_block = '' AND due_date < '$AS_OF' GROUP BY customer_id, currency"
done

printf '%-16s %10s %12s\n' step "median s" "peak MiB"
for s in customers import reimport plan sqlite_import sqlite_totals; do
  sec=$(cut -d' ' -f1 "$s" | median); kib=$(cut -d' ' -f2 "$s" | median)
  printf '%-16s %10s %12d\n' "$s" "$sec" $((${kib%.*} / 1024))
  eval "m_$s=$sec"
done
awk -v a="$m_import" -v b="$m_sqlite_import" -v c="$m_plan" -v d="$m_sqlite_totals" 'BEGIN {
  printf "import / sqlite3 .import = %.2fx (target <= 2)\nplan / sqlite3 totals    = %.2fx (target <= 5)\n", a/b, c/d }'
