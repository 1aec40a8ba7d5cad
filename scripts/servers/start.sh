#!/usr/bin/env bash
# Starts the real servers the integration tests run against, all on
# 127.0.0.1 and all private to one state directory (default
# /tmp/dunner-servers, or $1, or $DUNNER_SERVERS_DIR):
#
#   smtp-sink  127.0.0.1:2525  accepts everything, one file per message in DIR/sink
#   Postfix    127.0.0.1:2526  SMTP, STARTTLS offered, no AUTH; relays from loopback
#              127.0.0.1:2587  submission: STARTTLS required, AUTH PLAIN/LOGIN/CRAM-MD5
#              127.0.0.1:2465  submissions: implicit TLS, same AUTH
#   Dovecot    127.0.0.1:1143  IMAP (plain and STARTTLS), 127.0.0.1:1993 IMAPS,
#              127.0.0.1:2424  LMTP (Postfix delivers here; Sieve with vacation)
#   PostgreSQL 127.0.0.1:5433  a private cluster in DIR/postgres (run as the
#              `postgres` user, trust on loopback, socket in DIR/postgres/run),
#              database dunner owned by role dunner
#
# Postfix delivers the domains dunner.test and example.test into Dovecot over
# LMTP; Dovecot rejects unknown users, so Postfix bounces such mail with a real
# DSN to the sender. Recipients at reject.test are refused at RCPT with 550,
# at tempfail.test with 451. Anything else is bounced (no outside delivery).
# Users (password "secret") are files DIR/dovecot/users/DOMAIN/LOCAL holding
# "addr:{PLAIN}pass::::::"; a test adds one by writing such a file.
#
# Prints the endpoints as `export` lines on stdout and writes them to DIR/env;
# everything else goes to stderr. Under `set -e`, take them as
#   env=$(scripts/servers/start.sh DIR); eval "$env"
# since a bare eval "$(...)" hides a failed start; or `. DIR/env` later.
#
# Idempotent: when this directory's servers already run with the same
# configuration, it only prints the endpoints again; leftovers of an earlier
# or partial start (stale pid files included) are stopped first. A port held
# by anything else is a clear error. Ports may be moved with
# DUNNER_SERVERS_{SINK,SMTP,SUBMISSION,SMTPS,IMAP,IMAPS,LMTP,POSTGRES}_PORT.
# Runs the daemons directly as root (no init system needed); stop.sh stops
# them. DIR is made mode 755: every directory above it must be traversable
# by the mail user (vmail), as /tmp and mktemp -d below it are.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
DIR=${1:-${DUNNER_SERVERS_DIR:-/tmp/dunner-servers}}
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd -P)
# One start at a time per directory (the daemons must not inherit fd 9).
exec 9>"$DIR/.start.lock"
flock -w 120 9 || { echo "scripts/servers/start.sh: another start.sh holds $DIR/.start.lock" >&2; exit 1; }

SINK_PORT=${DUNNER_SERVERS_SINK_PORT:-2525}
SMTP_PORT=${DUNNER_SERVERS_SMTP_PORT:-2526}
SUBMISSION_PORT=${DUNNER_SERVERS_SUBMISSION_PORT:-2587}
SMTPS_PORT=${DUNNER_SERVERS_SMTPS_PORT:-2465}
IMAP_PORT=${DUNNER_SERVERS_IMAP_PORT:-1143}
IMAPS_PORT=${DUNNER_SERVERS_IMAPS_PORT:-1993}
LMTP_PORT=${DUNNER_SERVERS_LMTP_PORT:-2424}
PG_PORT=${DUNNER_SERVERS_POSTGRES_PORT:-5433}
PASSWORD=secret
USERS="ar@dunner.test collections@dunner.test postmaster@dunner.test bench@dunner.test customer@example.test billing@example.test ap@example.test"

die() { printf 'scripts/servers/start.sh: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (it starts Postfix, Dovecot and PostgreSQL)"
for b in /usr/sbin/postfix /usr/sbin/postconf /usr/sbin/dovecot /usr/sbin/smtp-sink /usr/bin/openssl \
  /usr/lib/dovecot/lmtp /usr/lib/dovecot/imap /usr/lib/dovecot/modules/lib90_sieve_plugin.so; do
  [ -e "$b" ] || die "$b is missing: run scripts/servers/install.sh first"
done
# The newest PostgreSQL installed (Debian puts each major version apart).
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
for b in initdb pg_ctl postgres psql; do
  [ -n "$PG_BIN" ] && [ -x "$PG_BIN/$b" ] || die "PostgreSQL's $b is missing: run scripts/servers/install.sh first"
done
# PostgreSQL refuses to run as root; Debian's package creates this user.
id postgres >/dev/null 2>&1 || die "no system user postgres: run scripts/servers/install.sh first"

all_ports="$SINK_PORT $SMTP_PORT $SUBMISSION_PORT $SMTPS_PORT $IMAP_PORT $IMAPS_PORT $LMTP_PORT $PG_PORT"

PF_ETC=$DIR/postfix/etc
DC_CONF=$DIR/dovecot/dovecot.conf
DC_RUN=$DIR/dovecot/run
SINK_PID=$DIR/sink.pid
PG_DATA=$DIR/postgres/data
PG_RUN=$DIR/postgres/run
PG_CONF=$DIR/postgres/dunner.conf

postfix_running() { [ -f "$PF_ETC/main.cf" ] && postfix -c "$PF_ETC" status >/dev/null 2>&1; }
dovecot_running() { pid_of "$DC_RUN/master.pid" dovecot >/dev/null; }
sink_running() { pid_of "$SINK_PID" smtp-sink >/dev/null; }
as_postgres() { runuser -u postgres -- "$@"; }
postgres_running() { [ -f "$PG_DATA/PG_VERSION" ] && as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }

print_env() {
  cat "$DIR/env"
}

t0=$(date +%s%N)

# The mail user that owns every mailbox and the sink's files.
if ! id vmail >/dev/null 2>&1; then
  log "creating system user vmail"
  groupadd --system vmail 2>/dev/null || true
  useradd --system --gid vmail --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin vmail
fi
VMAIL_UID=$(id -u vmail)
VMAIL_GID=$(id -g vmail)

# The daemons that drop root (vmail, dovecot, postfix) need to traverse DIR.
chmod 755 "$DIR"
mkdir -p "$DIR/log" "$DIR/tls" "$DIR/sink" "$DIR/mail" "$PF_ETC" "$DIR/postfix/data" "$DIR/postfix/spool" \
  "$DIR/dovecot/state"
chown vmail:vmail "$DIR/sink" "$DIR/mail"
chmod 755 "$DIR/sink" "$DIR/mail"
chown root:root "$DIR/postfix/spool"
chown postfix:postfix "$DIR/postfix/data"
chmod 700 "$DIR/postfix/data"

# A self-signed certificate for localhost, 127.0.0.1 and mail.dunner.test.
if [ ! -s "$DIR/tls/cert.pem" ] || [ ! -s "$DIR/tls/key.pem" ]; then
  log "generating a self-signed certificate"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,DNS:mail.dunner.test,IP:127.0.0.1" \
    -keyout "$DIR/tls/key.pem" -out "$DIR/tls/cert.pem" 2>/dev/null
  chmod 600 "$DIR/tls/key.pem"
  chmod 644 "$DIR/tls/cert.pem"
fi

# ---------------------------------------------------------------- Dovecot
# One passwd-file per user, DIR/dovecot/users/DOMAIN/LOCAL, so that a test
# can add a user by writing one file, visible at once (a single shared file is
# re-read at most once a second).
users_dir=$DIR/dovecot/users
for u in $USERS; do
  mkdir -p "$users_dir/${u#*@}"
  printf '%s:{PLAIN}%s::::::\n' "$u" "$PASSWORD" >"$users_dir/${u#*@}/${u%@*}"
done
chmod -R a+rX "$users_dir"

cat >"$DC_CONF.new" <<EOF
# Generated by scripts/servers/start.sh: a private Dovecot for the tests.
instance_name = dunner-test
base_dir = $DC_RUN
state_dir = $DIR/dovecot/state
protocols = imap lmtp
listen = 127.0.0.1
hostname = mail.dunner.test
postmaster_address = postmaster@dunner.test
log_path = $DIR/log/dovecot.log
info_log_path = $DIR/log/dovecot.log

ssl = yes
ssl_cert = <$DIR/tls/cert.pem
ssl_key = <$DIR/tls/key.pem
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = no
auth_mechanisms = plain login cram-md5
auth_failure_delay = 0
login_trusted_networks = 127.0.0.0/8

first_valid_uid = $VMAIL_UID
last_valid_uid = $VMAIL_UID
first_valid_gid = $VMAIL_GID
last_valid_gid = $VMAIL_GID
mail_uid = vmail
mail_gid = vmail
mail_location = maildir:~/Maildir
mail_max_userip_connections = 1000
recipient_delimiter = +
submission_host = 127.0.0.1:$SMTP_PORT

passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $users_dir/%d/%n
}
userdb {
  driver = passwd-file
  args = username_format=%u $users_dir/%d/%n
  default_fields = uid=vmail gid=vmail home=$DIR/mail/%d/%n
}

namespace inbox {
  inbox = yes
  mailbox Drafts {
    special_use = \Drafts
    auto = subscribe
  }
  mailbox Sent {
    special_use = \Sent
    auto = subscribe
  }
  mailbox Junk {
    special_use = \Junk
    auto = subscribe
  }
  mailbox Trash {
    special_use = \Trash
    auto = subscribe
  }
  mailbox Archive {
    special_use = \Archive
  }
}

service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $IMAP_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = $IMAPS_PORT
    ssl = yes
  }
  service_count = 0
  process_min_avail = 1
}
service imap {
  process_limit = 1024
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = $LMTP_PORT
  }
}
service auth {
  user = \$default_internal_user
  # Postfix asks here for SMTP AUTH (smtpd_sasl_type = dovecot).
  unix_listener auth-postfix {
    mode = 0666
  }
}
service anvil {
  # No auth penalty: a test's wrong password must not slow the next logins
  # from 127.0.0.1 down by up to 15 s. With mode 0 the socket is not
  # created, and the auth process then keeps no penalties.
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service stats {
  unix_listener stats-writer {
    mode = 0666
  }
}

protocol lmtp {
  mail_plugins = \$mail_plugins sieve
}
plugin {
  # A test installs a script by writing ~/sieve/NAME.sieve and symlinking
  # ~/.dovecot.sieve to it (internal/testservers.InstallSieve does).
  sieve = file:~/sieve;active=~/.dovecot.sieve
  sieve_extensions = +vacation-seconds
  sieve_vacation_min_period = 0
}
EOF

# ---------------------------------------------------------------- Postfix
cat >"$PF_ETC/recipient_access.new" <<EOF
reject.test	550 5.1.1 Recipient address rejected: User unknown (dunner test domain reject.test)
tempfail.test	451 4.3.0 Temporary failure, try again later (dunner test domain tempfail.test)
EOF

cat >"$PF_ETC/main.cf.new" <<EOF
# Generated by scripts/servers/start.sh: a private Postfix for the tests.
compatibility_level = 3.6
queue_directory = $DIR/postfix/spool
data_directory = $DIR/postfix/data
mail_owner = postfix
setgid_group = postdrop
maillog_file = $DIR/log/postfix.log
maillog_file_prefixes = $DIR/log

myhostname = mail.dunner.test
mydomain = dunner.test
myorigin = \$mydomain
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
local_transport = error:5.1.1 local delivery is disabled in the test setup
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_banner = \$myhostname ESMTP Postfix (dunner test)
biff = no
append_dot_mydomain = no
recipient_delimiter = +
message_size_limit = 52428800
mailbox_size_limit = 0

# dunner.test and example.test live in Dovecot. No recipient map: every
# address is accepted, Dovecot's LMTP refuses unknown users, and Postfix
# returns a DSN to the sender (a real bounce).
virtual_mailbox_domains = dunner.test example.test
virtual_mailbox_maps =
virtual_transport = lmtp:inet:127.0.0.1:$LMTP_PORT
# Nothing leaves the machine.
relay_domains =
default_transport = error:5.7.1 no delivery outside the test domains
relay_transport = error:5.7.1 no delivery outside the test domains
smtp_dns_support_level = disabled

smtpd_tls_cert_file = $DIR/tls/cert.pem
smtpd_tls_key_file = $DIR/tls/key.pem
smtpd_tls_security_level = may
smtp_tls_security_level = none
lmtp_tls_security_level = none
smtpd_sasl_type = dovecot
smtpd_sasl_path = $DC_RUN/auth-postfix
smtpd_sasl_auth_enable = no
smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, reject_unauth_destination
smtpd_recipient_restrictions = check_recipient_access texthash:$PF_ETC/recipient_access
mua_recipient_restrictions = check_recipient_access texthash:$PF_ETC/recipient_access, permit_sasl_authenticated, reject

# Quick in tests: no penalty sleeps, no flow delay, short retries.
smtpd_error_sleep_time = 0
in_flow_delay = 0
queue_run_delay = 5s
minimal_backoff_time = 5s
maximal_backoff_time = 30s
delay_warning_time = 0h
EOF

cat >"$PF_ETC/master.cf.new" <<EOF
# Generated by scripts/servers/start.sh. Nothing is chrooted.
127.0.0.1:$SMTP_PORT inet n - n - - smtpd
127.0.0.1:$SUBMISSION_PORT inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_tls_auth_only=yes
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
  -o smtpd_recipient_restrictions=\$mua_recipient_restrictions
127.0.0.1:$SMTPS_PORT inet n - n - - smtpd
  -o syslog_name=postfix/submissions
  -o smtpd_tls_wrappermode=yes
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
  -o smtpd_recipient_restrictions=\$mua_recipient_restrictions
pickup     unix  n - n 60 1 pickup
cleanup    unix  n - n -  0 cleanup
qmgr       unix  n - n 300 1 qmgr
tlsmgr     unix  - - n 1000? 1 tlsmgr
rewrite    unix  - - n -  - trivial-rewrite
bounce     unix  - - n -  0 bounce
defer      unix  - - n -  0 bounce
trace      unix  - - n -  0 bounce
verify     unix  - - n -  1 verify
flush      unix  n - n 1000? 0 flush
proxymap   unix  - - n -  - proxymap
proxywrite unix  - - n -  1 proxymap
smtp       unix  - - n -  - smtp
relay      unix  - - n -  - smtp
showq      unix  n - n -  - showq
error      unix  - - n -  - error
retry      unix  - - n -  - error
discard    unix  - - n -  - discard
local      unix  - n n -  - local
virtual    unix  - n n -  - virtual
lmtp       unix  - - n -  - lmtp
anvil      unix  - - n -  1 anvil
scache     unix  - - n -  1 scache
postlog    unix-dgram n - n - 1 postlogd
EOF

# ---------------------------------------------------------------- PostgreSQL
# The cluster lives in DIR/postgres, owned by postgres (the server refuses a
# data directory others can read). Created once; the settings below are
# included from its postgresql.conf, so a change of port means a restart.
mkdir -p "$DIR/postgres" "$PG_RUN"
chown postgres:postgres "$DIR/postgres" "$PG_RUN"
chmod 700 "$DIR/postgres"
if [ ! -f "$PG_DATA/PG_VERSION" ]; then
  log "creating a PostgreSQL cluster in $PG_DATA"
  rm -rf "$PG_DATA"
  # Trust on the socket and on loopback only (initdb's pg_hba.conf lists
  # nothing else): no password to hand around in tests.
  as_postgres "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
    >"$DIR/log/postgres-initdb.log" 2>&1 ||
    { tail -n 20 "$DIR/log/postgres-initdb.log" >&2; die "initdb failed (log: $DIR/log/postgres-initdb.log)"; }
  echo "include_if_exists = '$PG_CONF'" >>"$PG_DATA/postgresql.conf"
fi
cat >"$PG_CONF.new" <<EOF
# Generated by scripts/servers/start.sh: a private PostgreSQL for the tests.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_RUN'
max_connections = 300
# Throwaway data: durability only slows the tests down.
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
touch "$DIR/log/postgres.log"
chown postgres:postgres "$DIR/log/postgres.log"

# ---------------------------------------------------------------- start
# Already running from this directory: just tell the endpoints again.
# (Only when the configuration is the same: a changed one means a restart.)
sink_args=(-u vmail -h sink.dunner.test -m 512 -d "$DIR/sink/%Y%m%d%H%M%S." "127.0.0.1:$SINK_PORT" 1024)
printf '%s\n' "${sink_args[@]}" >"$DIR/sink.args.new"
same() { for f in "$@"; do cmp -s "$f" "$f.new" || return 1; done; }
if [ -s "$DIR/env" ] && same "$DC_CONF" "$PF_ETC/main.cf" "$PF_ETC/master.cf" "$PF_ETC/recipient_access" "$DIR/sink.args" \
  "$PG_CONF" && postfix_running && dovecot_running && sink_running && postgres_running; then
  ok=1
  for p in $all_ports; do port_open "$p" || ok=; done
  if [ -n "$ok" ]; then
    log "already running in $DIR"
    rm -f "$DC_CONF.new" "$PF_ETC"/*.new "$DIR/sink.args.new" "$PG_CONF.new"
    print_env
    exit 0
  fi
fi
# Leftovers of an earlier or partial start in this directory go first.
"$here/stop.sh" "$DIR" >&2 || true

# Every port must be free now; a busy one belongs to someone else.
for p in $all_ports; do
  for _ in 1 2 3 4 5 6 7 8 9 10; do port_open "$p" || break; sleep 0.5; done
  if port_open "$p"; then
    die "127.0.0.1:$p is already in use by another program or another servers directory (see: ss -ltnp | grep :$p); stop it with scripts/servers/stop.sh OTHER_DIR or move ports with DUNNER_SERVERS_*_PORT"
  fi
done

for f in "$DC_CONF" "$PF_ETC/main.cf" "$PF_ETC/master.cf" "$PF_ETC/recipient_access" "$DIR/sink.args" "$PG_CONF"; do
  mv "$f.new" "$f"
done
chmod 644 "$PG_CONF"

# A pid file left by a dead Dovecot whose pid now belongs to another process
# would make Dovecot refuse to start.
if [ -f "$DC_RUN/master.pid" ] && ! dovecot_running; then rm -f "$DC_RUN/master.pid"; fi
# A listener with mode 0 is not created; a stale socket of that name would
# make the auth process retry connecting for seconds.
rm -f "$DC_RUN/anvil-auth-penalty"
log "starting Dovecot (IMAP $IMAP_PORT, IMAPS $IMAPS_PORT, LMTP $LMTP_PORT)"
dovecot -c "$DC_CONF" </dev/null 9>&- >>"$DIR/log/dovecot.log" 2>&1 ||
  { tail -n 20 "$DIR/log/dovecot.log" >&2; die "Dovecot did not start (log: $DIR/log/dovecot.log)"; }

log "starting Postfix (SMTP $SMTP_PORT, submission $SUBMISSION_PORT, submissions $SMTPS_PORT)"
# `postfix start` runs `postfix check` first.
if ! postfix -c "$PF_ETC" start </dev/null 9>&- >>"$DIR/log/postfix-start.log" 2>&1; then
  tail -n 20 "$DIR/log/postfix-start.log" "$DIR/log/postfix.log" >&2 || true
  die "Postfix did not start (logs: $DIR/log/postfix-start.log, $DIR/log/postfix.log)"
fi

# ---------------------------------------------------------------- smtp-sink
log "starting smtp-sink ($SINK_PORT -> $DIR/sink)"
rm -f "$SINK_PID"
# The pid is the shell's, which then becomes smtp-sink (exec).
setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$SINK_PID" \
  /usr/sbin/smtp-sink "${sink_args[@]}" </dev/null 9>&- >>"$DIR/log/sink.log" 2>&1 &

# ---------------------------------------------------------------- PostgreSQL
log "starting PostgreSQL ($PG_PORT, data in $PG_DATA)"
# A pid file left by a crashed server names a pid that may now be another
# process: postgres would then refuse to start.
if [ -f "$PG_DATA/postmaster.pid" ] && ! postgres_running; then rm -f "$PG_DATA/postmaster.pid"; fi
as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$DIR/log/postgres.log" -w -t 60 start </dev/null 9>&- >/dev/null 2>&1 ||
  { tail -n 20 "$DIR/log/postgres.log" >&2; die "PostgreSQL did not start (log: $DIR/log/postgres.log)"; }
pg() { as_postgres "$PG_BIN/psql" -h "$PG_RUN" -p "$PG_PORT" -U postgres -d postgres -qtAX -v ON_ERROR_STOP=1 "$@"; }
# The tests connect as an ordinary role that owns its database: what a
# production deployment gives Dunner, not a superuser.
if [ "$(pg -c "SELECT 1 FROM pg_roles WHERE rolname = 'dunner'")" != 1 ]; then
  pg -c "CREATE ROLE dunner LOGIN" || die "creating the PostgreSQL role dunner failed"
fi
if [ "$(pg -c "SELECT 1 FROM pg_database WHERE datname = 'dunner'")" != 1 ]; then
  pg -c "CREATE DATABASE dunner OWNER dunner" || die "creating the PostgreSQL database dunner failed"
fi

# ---------------------------------------------------------------- wait
deadline=$(($(date +%s) + 30))
for p in $all_ports; do
  until port_open "$p"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      tail -n 5 "$DIR"/log/*.log >&2 || true
      die "127.0.0.1:$p did not accept connections within 30 s (logs in $DIR/log)"
    fi
    sleep 0.1
  done
done

{
  q() { printf 'export %s=%q\n' "$1" "$2"; }
  q DUNNER_TEST_SERVERS_DIR "$DIR"
  q DUNNER_TEST_SMTP_SINK "127.0.0.1:$SINK_PORT"
  q DUNNER_TEST_SINK_DIR "$DIR/sink"
  q DUNNER_TEST_SMTP "127.0.0.1:$SMTP_PORT"
  q DUNNER_TEST_SUBMISSION "127.0.0.1:$SUBMISSION_PORT"
  q DUNNER_TEST_SMTPS "127.0.0.1:$SMTPS_PORT"
  q DUNNER_TEST_SMTP_USER "ar@dunner.test"
  q DUNNER_TEST_SMTP_PASSWORD "$PASSWORD"
  q DUNNER_TEST_IMAP "127.0.0.1:$IMAP_PORT"
  q DUNNER_TEST_IMAPS "127.0.0.1:$IMAPS_PORT"
  q DUNNER_TEST_LMTP "127.0.0.1:$LMTP_PORT"
  q DUNNER_TEST_IMAP_USER "ar@dunner.test"
  q DUNNER_TEST_IMAP_PASSWORD "$PASSWORD"
  q DUNNER_TEST_CUSTOMER_USER "customer@example.test"
  q DUNNER_TEST_CUSTOMER_PASSWORD "$PASSWORD"
  q DUNNER_TEST_USERS "$USERS"
  q DUNNER_TEST_USERS_DIR "$users_dir"
  q DUNNER_TEST_MAIL_DIR "$DIR/mail"
  q DUNNER_TEST_MAIL_UID "$VMAIL_UID"
  q DUNNER_TEST_MAIL_GID "$VMAIL_GID"
  q DUNNER_TEST_TLS_CA "$DIR/tls/cert.pem"
  q DUNNER_TEST_REJECT_DOMAIN "reject.test"
  q DUNNER_TEST_TEMPFAIL_DOMAIN "tempfail.test"
  q DUNNER_TEST_SMTP_SOURCE_BIN "/usr/sbin/smtp-source"
  q DUNNER_TEST_SMTP_SINK_BIN "/usr/sbin/smtp-sink"
  q DUNNER_TEST_MBSYNC_BIN "$(command -v mbsync || echo /usr/bin/mbsync)"
  q DUNNER_TEST_POSTGRES "postgres://dunner@127.0.0.1:$PG_PORT/dunner?sslmode=disable"
} >"$DIR/env.tmp"
mv "$DIR/env.tmp" "$DIR/env"

log "ready in $(( ($(date +%s%N) - t0) / 1000000 )) ms; endpoints in $DIR/env"
print_env
