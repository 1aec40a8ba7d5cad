#!/usr/bin/env bash
# Stops the servers that start.sh started from one state directory ($1, or
# $DUNNER_SERVERS_DIR, default /tmp/dunner-servers): Postfix, Dovecot and
# smtp-sink. Only processes recorded in that directory are touched; files
# (mailboxes, sink dumps, logs) are left in place. Safe to run when nothing
# runs.
set -uo pipefail

. "$(dirname "$0")/lib.sh"

DIR=${1:-${DUNNER_SERVERS_DIR:-/tmp/dunner-servers}}
[ -d "$DIR" ] || exit 0
DIR=$(cd "$DIR" && pwd -P)

# stop_pid PID NAME: SIGTERM, wait up to 10 s, then SIGKILL.
stop_pid() {
  local pid=$1 name=$2
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 200); do
    alive "$pid" || { log "stopped $name"; return 0; }
    sleep 0.05
  done
  log "$name ($pid) ignored SIGTERM; killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

PF_ETC=$DIR/postfix/etc
if [ -f "$PF_ETC/main.cf" ] && postfix -c "$PF_ETC" status >/dev/null 2>&1; then
  pf_pid=$(pid_of "$DIR/postfix/spool/pid/master.pid" master || true)
  postfix -c "$PF_ETC" stop >/dev/null 2>&1 || true
  if [ -n "$pf_pid" ]; then
    for _ in $(seq 200); do alive "$pf_pid" || break; sleep 0.05; done
    if alive "$pf_pid"; then postfix -c "$PF_ETC" abort >/dev/null 2>&1 || kill -KILL "$pf_pid" 2>/dev/null; fi
  fi
  log "stopped Postfix"
fi

if pid=$(pid_of "$DIR/dovecot/run/master.pid" dovecot); then
  stop_pid "$pid" Dovecot
fi

if pid=$(pid_of "$DIR/sink.pid" smtp-sink); then
  stop_pid "$pid" smtp-sink
fi
rm -f "$DIR/sink.pid"
exit 0
