#!/usr/bin/env bash
# Stops the servers that start.sh started from one state directory ($1, or
# $DUNNER_SERVERS_DIR, default /tmp/dunner-servers): Postfix, Dovecot,
# smtp-sink and PostgreSQL. Only processes recorded in that directory are touched; files
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

# PostgreSQL: the first line of postmaster.pid is the postmaster's pid.
PG_DATA=$DIR/postgres/data
if [ -s "$PG_DATA/postmaster.pid" ]; then
  pid=$(head -n 1 "$PG_DATA/postmaster.pid" | tr -dc '0-9')
  if [ -n "$pid" ] && alive "$pid" && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = postgres ]; then
    # Fast shutdown: open test connections are cut, not waited for.
    pg_ctl=$(readlink -f "/proc/$pid/exe" 2>/dev/null)
    pg_ctl=${pg_ctl%/postgres}/pg_ctl
    if [ -x "$pg_ctl" ] && runuser -u postgres -- "$pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null 2>&1; then
      log "stopped PostgreSQL"
    else
      stop_pid "$pid" PostgreSQL
    fi
  fi
fi
exit 0
