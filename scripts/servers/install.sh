#!/usr/bin/env bash
# Installs the real servers the integration tests run against (see
# start.sh): Postfix (with smtp-sink and smtp-source), Dovecot with IMAP, LMTP
# and Sieve, PostgreSQL, mbsync (isync) and openssl. Debian, as root. Idempotent: a package
# is installed only when one of its commands or files is missing, and
# `apt-get update` runs at most once. Services are NOT started by the
# packages (policy-rc.d) and nothing is enabled: start.sh runs private
# instances with their own configuration.
set -euo pipefail

log() { printf '== servers: %s\n' "$*" >&2; }

# pkg PATH…: the package is needed when any PATH is missing.
missing=()
pkg() {
  local p=$1; shift
  for f in "$@"; do
    if [ ! -e "$f" ]; then missing+=("$p"); return; fi
  done
}
pkg postfix /usr/sbin/postfix /usr/sbin/smtp-sink /usr/sbin/smtp-source /usr/lib/postfix/sbin/master
pkg dovecot-core /usr/sbin/dovecot /usr/bin/doveadm
pkg dovecot-imapd /usr/lib/dovecot/imap /usr/lib/dovecot/imap-login
pkg dovecot-lmtpd /usr/lib/dovecot/lmtp
pkg dovecot-sieve /usr/lib/dovecot/modules/lib90_sieve_plugin.so
pkg isync /usr/bin/mbsync
pkg openssl /usr/bin/openssl
# Any major version will do (start.sh takes the newest): Debian's
# postgresql package is the current one, 15 on bookworm.
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || ! id postgres >/dev/null 2>&1; then
  missing+=(postgresql)
fi

if [ ${#missing[@]} -eq 0 ]; then
  log "all installed"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "scripts/servers/install.sh: missing Debian packages ${missing[*]} (needs root to install)" >&2
  exit 1
fi

# Keep the packages' maintainer scripts from starting the system-wide
# daemons (there is no init system; they would also take ports 25/143/993).
created_policy=
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod 755 /usr/sbin/policy-rc.d
  created_policy=1
fi
cleanup() { if [ -n "$created_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
# Postfix asks how to configure the system instance: not at all (start.sh
# writes its own private configuration).
echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections

log "apt-get update"
apt-get update -qq
log "installing ${missing[*]}"
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
log "installed ${missing[*]}"
