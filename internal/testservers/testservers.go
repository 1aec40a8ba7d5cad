// Package testservers hands integration tests the real mail servers that
// scripts/servers/start.sh runs on 127.0.0.1 (make test-all starts them and
// exports their endpoints as DUNNER_TEST_* variables):
//
//   - smtp-sink (Postfix's test server): accepts every message and writes each
//     one to its own file in a directory (SMTPSink, CountSinkMessages).
//   - Postfix: SMTP without AUTH (SMTP), submission with STARTTLS and AUTH
//     (Submission), implicit TLS with AUTH (SMTPS). It delivers dunner.test and
//     example.test into Dovecot over LMTP; an unknown user there is bounced
//     with a real DSN to the sender; recipients at reject.test get 550 at RCPT
//     and at tempfail.test 451; nothing leaves the machine.
//   - Dovecot: IMAP with STARTTLS (IMAP), IMAPS, LMTP, Sieve with vacation
//     (InstallSieve), and users that tests may add (NewUser).
//   - PostgreSQL: a private cluster with one database (Postgres).
//   - Chromium, Debian's, for the AP-portal tests (Chromium), which drive
//     it against FakePortal, a supplier portal served in-process.
//
// Only tests may import this package. Every accessor skips the test when the
// servers are not started, except in CI (CI=true) or with
// DUNNER_REQUIRE_SERVERS=1, where it fails it: a real-server test never
// silently skips in the full test run.
package testservers

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Password is the password of every user that start.sh creates.
const Password = "secret"

// Required reports whether a missing server fails a test instead of
// skipping it: in CI (CI=true) or with DUNNER_REQUIRE_SERVERS=1.
func Required() bool {
	return os.Getenv("CI") == "true" || os.Getenv("DUNNER_REQUIRE_SERVERS") == "1"
}

// Env returns the DUNNER_TEST_* variable key, skipping the test when it is
// unset (failing it when Required).
func Env(t testing.TB, key string) string {
	t.Helper()
	if v := os.Getenv(key); v != "" {
		return v
	}
	if Required() {
		t.Fatalf("%s is not set: the real servers are not started (scripts/servers/start.sh), and CI=true or DUNNER_REQUIRE_SERVERS=1 forbids skipping", key)
	}
	t.Skipf("real servers not started; run make test-all (or eval \"$(scripts/servers/start.sh)\"): %s is not set", key)
	return ""
}

// Dir is the servers' state directory (logs in Dir/log).
func Dir(t testing.TB) string {
	t.Helper()
	return Env(t, "DUNNER_TEST_SERVERS_DIR")
}

// SMTPSink returns smtp-sink's address and the directory where it writes one
// file per received message. Each file holds smtp-sink's own X-Client-Addr,
// X-Client-Proto, X-Helo-Args, X-Mail-Args, X-Rcpt-Args and Received lines,
// then the message as received, then an empty line. A transaction in
// progress has a file too, which smtp-sink removes when it is aborted: count
// after the senders have finished. smtp-sink offers no STARTTLS; it answers
// AUTH with success whatever the credentials.
func SMTPSink(t testing.TB) (addr, dir string) {
	t.Helper()
	return Env(t, "DUNNER_TEST_SMTP_SINK"), Env(t, "DUNNER_TEST_SINK_DIR")
}

// SMTP returns Postfix's SMTP address: no AUTH, STARTTLS offered (not
// required), relaying for loopback clients.
func SMTP(t testing.TB) string {
	t.Helper()
	return Env(t, "DUNNER_TEST_SMTP")
}

// Submission returns Postfix's submission address (STARTTLS required, then
// AUTH PLAIN, LOGIN or CRAM-MD5) and a user allowed to send.
func Submission(t testing.TB) (addr, user, pass string) {
	t.Helper()
	return Env(t, "DUNNER_TEST_SUBMISSION"), Env(t, "DUNNER_TEST_SMTP_USER"), Env(t, "DUNNER_TEST_SMTP_PASSWORD")
}

// SMTPS returns Postfix's implicit-TLS submission address and a user.
func SMTPS(t testing.TB) (addr, user, pass string) {
	t.Helper()
	return Env(t, "DUNNER_TEST_SMTPS"), Env(t, "DUNNER_TEST_SMTP_USER"), Env(t, "DUNNER_TEST_SMTP_PASSWORD")
}

// IMAP returns Dovecot's IMAP address (plain, STARTTLS offered) and the
// shared AR mailbox's login (ar@dunner.test).
func IMAP(t testing.TB) (addr, user, pass string) {
	t.Helper()
	return Env(t, "DUNNER_TEST_IMAP"), Env(t, "DUNNER_TEST_IMAP_USER"), Env(t, "DUNNER_TEST_IMAP_PASSWORD")
}

// IMAPS returns Dovecot's implicit-TLS IMAP address and the AR login.
func IMAPS(t testing.TB) (addr, user, pass string) {
	t.Helper()
	return Env(t, "DUNNER_TEST_IMAPS"), Env(t, "DUNNER_TEST_IMAP_USER"), Env(t, "DUNNER_TEST_IMAP_PASSWORD")
}

// LMTP returns Dovecot's LMTP address, a fast way to put many messages into
// a mailbox (Sieve runs there too).
func LMTP(t testing.TB) string {
	t.Helper()
	return Env(t, "DUNNER_TEST_LMTP")
}

// Customer returns a customer's mailbox login (customer@example.test).
func Customer(t testing.TB) (user, pass string) {
	t.Helper()
	return Env(t, "DUNNER_TEST_CUSTOMER_USER"), Env(t, "DUNNER_TEST_CUSTOMER_PASSWORD")
}

// RejectDomain is a domain whose recipients Postfix refuses at RCPT with 550
// 5.1.1; TempfailDomain one it answers with 451 4.3.0.
func RejectDomain(t testing.TB) string {
	t.Helper()
	return Env(t, "DUNNER_TEST_REJECT_DOMAIN")
}

// TempfailDomain: see RejectDomain.
func TempfailDomain(t testing.TB) string {
	t.Helper()
	return Env(t, "DUNNER_TEST_TEMPFAIL_DOMAIN")
}

// Postgres returns the DSN of the test database (postgres://…): trust
// authentication on loopback, the database owned by the DSN's user, who may
// create schemas in it. Tests of several packages share it; a test should
// work in a schema of its own.
func Postgres(t testing.TB) string {
	t.Helper()
	return Env(t, "DUNNER_TEST_POSTGRES")
}

// PostgresSchema creates a schema of its own for the test in the test
// database, drops it when the test ends, and returns a DSN whose
// connections work in it (search_path).
func PostgresSchema(t testing.TB) string {
	t.Helper()
	dsn := Postgres(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("testservers: connecting to DUNNER_TEST_POSTGRES: %v", err)
	}
	defer conn.Close(ctx)
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	schema := "test_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("testservers: %v", err)
	}
	t.Cleanup(func() {
		conn, err := pgx.Connect(ctx, dsn)
		if err == nil {
			defer conn.Close(ctx)
			_, err = conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE")
		}
		if err != nil {
			t.Errorf("testservers: dropping schema %s: %v", schema, err)
		}
	})
	if !strings.Contains(dsn, "://") {
		return dsn + " search_path=" + schema
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("testservers: DUNNER_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Tool returns the path of a program installed with the servers, for
// benchmarks: "smtp-source", "smtp-sink" or "mbsync".
func Tool(t testing.TB, name string) string {
	t.Helper()
	key := map[string]string{
		"smtp-source": "DUNNER_TEST_SMTP_SOURCE_BIN",
		"smtp-sink":   "DUNNER_TEST_SMTP_SINK_BIN",
		"mbsync":      "DUNNER_TEST_MBSYNC_BIN",
	}[name]
	if key == "" {
		t.Fatalf("testservers.Tool: unknown tool %q", name)
	}
	return Env(t, key)
}

// TLSConfig trusts the servers' self-signed certificate, which is valid for
// localhost, 127.0.0.1 and mail.dunner.test. ServerName is "localhost".
func TLSConfig(t testing.TB) *tls.Config {
	t.Helper()
	pem, err := os.ReadFile(Env(t, "DUNNER_TEST_TLS_CA"))
	if err != nil {
		t.Fatalf("testservers: reading the test certificate: %v", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("testservers: no certificate in DUNNER_TEST_TLS_CA")
	}
	return &tls.Config{RootCAs: pool, ServerName: "localhost", MinVersion: tls.VersionTLS12}
}

// NewUser adds a fresh mailbox at domain ("dunner.test" or "example.test")
// and returns its address and password, so that a test owns an INBOX no other
// test writes to. Dovecot knows the user at once; Postfix accepts any address
// at those domains.
func NewUser(t testing.TB, domain string) (addr, pass string) {
	t.Helper()
	dir := filepath.Join(Env(t, "DUNNER_TEST_USERS_DIR"), domain)
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	local := "t-" + hex.EncodeToString(b[:])
	addr = local + "@" + domain
	// Dovecot's auth process (not root) reads the file: world-readable.
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("testservers.NewUser: %v", err)
	}
	os.Chmod(dir, 0o755)
	tmp := filepath.Join(dir, "."+local+".tmp")
	if err := os.WriteFile(tmp, fmt.Appendf(nil, "%s:{PLAIN}%s::::::\n", addr, Password), 0o644); err != nil {
		t.Fatalf("testservers.NewUser: %v", err)
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		t.Fatalf("testservers.NewUser: %v", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, local)); err != nil {
		t.Fatalf("testservers.NewUser: %v", err)
	}
	return addr, Password
}

// Home returns the home directory of a user (its Maildir is Home/Maildir).
func Home(t testing.TB, user string) string {
	t.Helper()
	local, domain, ok := strings.Cut(user, "@")
	if !ok || local == "" || domain == "" || strings.ContainsAny(user, "/\x00") {
		t.Fatalf("testservers: bad user %q", user)
	}
	return filepath.Join(Env(t, "DUNNER_TEST_MAIL_DIR"), domain, local)
}

// InstallSieve makes script the user's active Sieve script (run by Dovecot's
// LMTP on every delivery) until the test ends. The vacation extension is on,
// with vacation-seconds and no minimum period: a script that requires
// ["vacation", "vacation-seconds"] and says `vacation :seconds 0 …`, or one
// with a fresh :handle, replies to every message.
func InstallSieve(t testing.TB, user, script string) {
	t.Helper()
	home := Home(t, user)
	uid, err1 := strconv.Atoi(Env(t, "DUNNER_TEST_MAIL_UID"))
	gid, err2 := strconv.Atoi(Env(t, "DUNNER_TEST_MAIL_GID"))
	if err1 != nil || err2 != nil {
		t.Fatal("testservers: bad DUNNER_TEST_MAIL_UID or DUNNER_TEST_MAIL_GID")
	}
	// Create what is missing below the mail directory as the mail user's, or
	// Dovecot could not write the Maildir or the compiled script there.
	sieveDir := filepath.Join(home, "sieve")
	base := Env(t, "DUNNER_TEST_MAIL_DIR")
	rel, _ := filepath.Rel(base, sieveDir)
	dir := base
	for _, part := range strings.Split(rel, string(filepath.Separator)) {
		dir = filepath.Join(dir, part)
		if err := os.Mkdir(dir, 0o700); err == nil {
			if err := os.Chown(dir, uid, gid); err != nil {
				t.Fatalf("testservers.InstallSieve: %v", err)
			}
		} else if !os.IsExist(err) {
			t.Fatalf("testservers.InstallSieve: %v", err)
		}
	}
	path := filepath.Join(sieveDir, "dunner-test.sieve")
	if err := os.WriteFile(path+".tmp", []byte(script), 0o644); err != nil {
		t.Fatalf("testservers.InstallSieve: %v", err)
	}
	os.Chmod(path+".tmp", 0o644)
	if err := os.Chown(path+".tmp", uid, gid); err != nil {
		t.Fatalf("testservers.InstallSieve: %v", err)
	}
	if err := os.Rename(path+".tmp", path); err != nil {
		t.Fatalf("testservers.InstallSieve: %v", err)
	}
	os.Remove(filepath.Join(sieveDir, "dunner-test.svbin"))
	active := filepath.Join(home, ".dovecot.sieve")
	os.Remove(active)
	if err := os.Symlink("sieve/dunner-test.sieve", active); err != nil {
		t.Fatalf("testservers.InstallSieve: %v", err)
	}
	os.Lchown(active, uid, gid)
	t.Cleanup(func() {
		os.Remove(active)
		os.Remove(path)
		os.Remove(filepath.Join(sieveDir, "dunner-test.svbin"))
	})
}

// SinkMessageFiles lists the files smtp-sink wrote into dir, one per message.
func SinkMessageFiles(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) && path != dir {
				return nil // removed meanwhile: an aborted transaction
			}
			return err
		}
		if d.Type().IsRegular() {
			files = append(files, path)
		}
		return nil
	})
	return files, err
}

// CountSinkMessages is how many messages smtp-sink wrote into dir (0 when
// the directory cannot be read).
func CountSinkMessages(dir string) int {
	files, err := SinkMessageFiles(dir)
	if err != nil {
		return 0
	}
	return len(files)
}

// Chromium returns the browser that portal tests drive: DUNNER_CHROMIUM, or
// Debian's /usr/bin/chromium. It skips the test when there is none, and
// fails it when Required: make test-all installs the chromium package.
func Chromium(t testing.TB) string {
	t.Helper()
	bin := os.Getenv("DUNNER_CHROMIUM")
	if bin == "" && !Required() {
		// A browser start costs seconds: plain `go test ./...` stays fast,
		// and the full test command (or DUNNER_CHROMIUM) runs these.
		t.Skip("browser test: set DUNNER_CHROMIUM=/usr/bin/chromium or run the full test command")
	}
	if bin == "" {
		bin = "/usr/bin/chromium"
	}
	if fi, err := os.Stat(bin); err == nil && !fi.IsDir() {
		return bin
	}
	if Required() {
		t.Fatalf("no Chromium at %s: install Debian's chromium (CI=true or DUNNER_REQUIRE_SERVERS=1 forbids skipping)", bin)
	}
	t.Skipf("no Chromium at %s: install Debian's chromium or set DUNNER_CHROMIUM", bin)
	return ""
}
