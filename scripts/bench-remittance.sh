#!/usr/bin/env bash
# Remittance benchmark (issue: remittance advice): 200 PDFs of 1–5 pages,
# each parsed by its own `dunner remittance parse FILE --json` process,
# against `pdftotext -layout` over the same files, one process each, in the
# same run. Prints medians of RUNS runs and the ratio (target ≤ 2).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
RUNS=${RUNS:-3}
command -v pdftotext >/dev/null || { apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null; }
work=$(mktemp -d /tmp/dunner-bench-pdf.XXXXXX)
trap 'rm -rf "$work"' EXIT
CGO_ENABLED=0 go build -o "$work/dunner" ./cmd/dunner
go run ./scripts/benchpdf -out "$work/pdf" -n 200
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
now() { date +%s.%N; }
: >"$work/d"; : >"$work/p"; bad=0
for r in $(seq "$RUNS"); do
  t0=$(now)
  for f in "$work"/pdf/*.pdf; do "$work/dunner" remittance parse "$f" --json >"$f.json" || bad=$((bad + 1)); done
  t1=$(now); echo "$t1 - $t0" | bc -l >>"$work/d"
  t0=$(now)
  for f in "$work"/pdf/*.pdf; do pdftotext -layout "$f" - >/dev/null; done
  t1=$(now); echo "$t1 - $t0" | bc -l >>"$work/p"
done
d=$(median <"$work/d"); p=$(median <"$work/p")
lines=$(cat "$work"/pdf/*.json | grep -o '"invoice"' | wc -l)
printf '200 PDFs: dunner %.2f s, pdftotext -layout %.2f s, ratio %.2f (target <= 2); %d lines read, %d failures\n' \
  "$d" "$p" "$(echo "$d / $p" | bc -l)" "$lines" "$bad"
