#!/usr/bin/env bash
# Mailbox benchmark (issue: shared AR mailboxes): MESSAGES messages of about
# 20 KB (every tenth with a PDF) in a real Dovecot; `dunner mail poll` reads,
# classifies, acts on and files them all, against mbsync syncing the same
# mailbox to a Maildir, in the same run. Prints medians of RUNS runs, the
# ratio (target ≤ 1.5) and dunner's peak memory at 1/4, 1/2 and all of the
# messages (it should stay flat).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin:/usr/sbin"
MESSAGES=${MESSAGES:-10000}
RUNS=${RUNS:-3}
scripts/servers/install.sh >/dev/null
work=$(mktemp -d /tmp/dunner-bench-mail.XXXXXX)
chmod 755 "$work"
stop() { scripts/servers/stop.sh "$work/servers" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap stop EXIT
servers_env=$(scripts/servers/start.sh "$work/servers" 2>/dev/null)
eval "$servers_env"
CGO_ENABLED=0 go build -o "$work/dunner" ./cmd/dunner
go build -o "$work/benchmail" ./scripts/benchmail

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# fresh USER: a new Dovecot user (one passwd file per user, see scripts/servers).
fresh() {
  local local=b$RANDOM$RANDOM dir="$DUNNER_TEST_USERS_DIR/dunner.test"
  mkdir -p "$dir"; chmod 755 "$dir"
  printf '%s@dunner.test:{PLAIN}secret::::::\n' "$local" >"$dir/$local"; chmod 644 "$dir/$local"
  echo "$local@dunner.test"
}
run_once() { # N → "dunner_seconds dunner_kib mbsync_seconds"
  local n=$1 user; user=$(fresh)
  "$work/benchmail" -lmtp "$DUNNER_TEST_LMTP" -to "$user" -n "$n"
  local ip=${DUNNER_TEST_IMAP##*:}
  mkdir -p "$work/maildir.$user"
  cat >"$work/mbsyncrc" <<RC
IMAPAccount bench
Host 127.0.0.1
Port $ip
User $user
Pass secret
SSLType None
AuthMechs LOGIN

IMAPStore remote
Account bench

MaildirStore local
Path $work/maildir.$user/
Inbox $work/maildir.$user/INBOX

Channel bench
Far :remote:
Near :local:
Patterns INBOX
Create Near
Sync Pull
SyncState *
RC
  /usr/bin/time -f "%e" -o "$work/t.mbsync" mbsync -q -c "$work/mbsyncrc" bench 2>/dev/null
  cat >"$work/dunner.yaml" <<YAML
database: sqlite:$work/bench-$user.db
company: {name: Northwind Supply S.L., email: ar@dunner.test, timezone: Europe/Madrid}
mailboxes:
  - {name: ar, host: 127.0.0.1, port: $ip, tls: none, username: $user, password: secret}
policies:
  standard:
    min_overdue_total: 1.00
    levels: [{level: 1, days: 1, template: reminder1}]
customer_defaults: {policy: standard}
YAML
  if ! /usr/bin/time -f "%e %M" -o "$work/t.dunner" "$work/dunner" --config "$work/dunner.yaml" mail poll \
    >"$work/poll.out" 2>&1; then
    cat "$work/poll.out" >&2; exit 1
  fi
  echo "$(cat "$work/t.dunner") $(cat "$work/t.mbsync")"
}
: >"$work/full"
for r in $(seq "$RUNS"); do run_once "$MESSAGES" >>"$work/full"; done
awk '{printf "run %d: dunner poll %.2f s (peak %d MiB), mbsync %.2f s, ratio %.2f\n", NR, $1, $2 / 1024, $3, $1 / $3}' "$work/full"
d=$(cut -d' ' -f1 "$work/full" | median); m=$(cut -d' ' -f3 "$work/full" | median)
kib=$(cut -d' ' -f2 "$work/full" | median)
printf 'messages %d: dunner poll %.2f s (peak %d MiB), mbsync %.2f s, ratio %.2f (target <= 1.5)\n' \
  "$MESSAGES" "$d" $((${kib%.*} / 1024)) "$m" "$(echo "$d / $m" | bc -l)"
for frac in 4 2; do
  n=$((MESSAGES / frac)); line=$(run_once "$n")
  printf 'memory at %d messages: %d MiB\n' "$n" $(( $(echo "$line" | cut -d' ' -f2) / 1024 ))
done
