package testservers_test

import (
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/smtp"
	"net/textproto"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dunnerhq/dunner/internal/testservers"
)

// These tests prove that the servers of scripts/servers/start.sh work end to
// end, with the standard library only. They skip when the servers are not
// started (fail in CI).

const waitFor = 20 * time.Second

func token(t *testing.T) string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b[:])
}

func message(from, to, subject, body string) []byte {
	return []byte(strings.ReplaceAll(fmt.Sprintf("From: <%s>\nTo: <%s>\nSubject: %s\nMessage-ID: <%s@dunner.test>\nDate: %s\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n%s\n",
		from, to, subject, subject, time.Now().Format(time.RFC1123Z), body), "\n", "\r\n"))
}

// send delivers one message over plain SMTP (no TLS, no AUTH).
func send(t *testing.T, addr, from, to string, msg []byte) {
	t.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	defer c.Close()
	sendOn(t, c, from, to, msg)
}

func sendOn(t *testing.T, c *smtp.Client, from, to string, msg []byte) {
	t.Helper()
	if err := c.Mail(from); err != nil {
		t.Fatalf("MAIL FROM:<%s>: %v", from, err)
	}
	if err := c.Rcpt(to); err != nil {
		t.Fatalf("RCPT TO:<%s>: %v", to, err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatalf("DATA: %v", err)
	}
	if _, err := w.Write(msg); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("end of DATA: %v", err)
	}
	if err := c.Quit(); err != nil {
		t.Fatalf("QUIT: %v", err)
	}
}

// ---- a minimal IMAP client: tagged commands, literals, nothing more.

type imapConn struct {
	conn net.Conn
	tp   *textproto.Conn
	tag  int
}

func dialIMAP(t *testing.T, addr string, tlsConf *tls.Config) *imapConn {
	t.Helper()
	var conn net.Conn
	var err error
	if tlsConf != nil {
		conn, err = tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", addr, tlsConf)
	} else {
		conn, err = net.DialTimeout("tcp", addr, 5*time.Second)
	}
	if err != nil {
		t.Fatalf("dial IMAP %s: %v", addr, err)
	}
	conn.SetDeadline(time.Now().Add(2 * waitFor))
	c := &imapConn{conn: conn, tp: textproto.NewConn(conn)}
	t.Cleanup(func() { c.tp.Close() })
	greeting, err := c.tp.ReadLine()
	if err != nil || !strings.HasPrefix(greeting, "* OK") {
		t.Fatalf("IMAP greeting %q: %v", greeting, err)
	}
	return c
}

// cmd sends one command and returns the untagged responses, literals
// inlined, or the tagged NO/BAD as an error.
func (c *imapConn) cmd(format string, args ...any) ([]string, error) {
	c.tag++
	tag := "a" + strconv.Itoa(c.tag)
	if err := c.tp.PrintfLine("%s %s", tag, fmt.Sprintf(format, args...)); err != nil {
		return nil, err
	}
	var lines []string
	for {
		line, err := c.tp.ReadLine()
		if err != nil {
			return lines, err
		}
		// A literal {n} at the end of the line: n raw bytes, then the rest.
		for strings.HasSuffix(line, "}") {
			i := strings.LastIndexByte(line, '{')
			n, err := strconv.Atoi(strings.TrimSuffix(line[i+1:len(line)-1], "+"))
			if i < 0 || err != nil {
				break
			}
			buf := make([]byte, n)
			if _, err := io.ReadFull(c.tp.R, buf); err != nil {
				return lines, err
			}
			rest, err := c.tp.ReadLine()
			if err != nil {
				return lines, err
			}
			line = line[:i] + string(buf) + rest
		}
		if strings.HasPrefix(line, tag+" ") {
			status := strings.TrimPrefix(line, tag+" ")
			if strings.HasPrefix(status, "OK") {
				return lines, nil
			}
			return lines, errors.New(status)
		}
		lines = append(lines, line)
	}
}

func (c *imapConn) must(t *testing.T, format string, args ...any) []string {
	t.Helper()
	lines, err := c.cmd(format, args...)
	if err != nil {
		t.Fatalf("IMAP %s: %v", strings.Fields(format)[0], err)
	}
	return lines
}

func (c *imapConn) login(t *testing.T, user, pass string) {
	t.Helper()
	if _, err := c.cmd("LOGIN %q %q", user, pass); err != nil {
		t.Fatalf("IMAP LOGIN %s: %v", user, err)
	}
	c.must(t, "SELECT INBOX")
}

// waitMessage polls the selected INBOX (up to waitFor) for a message whose
// text contains needle and returns the whole message.
func (c *imapConn) waitMessage(t *testing.T, needle string) string {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for {
		c.must(t, "NOOP")
		for _, line := range c.must(t, "UID SEARCH TEXT %q", needle) {
			uids := strings.Fields(strings.TrimPrefix(line, "* SEARCH"))
			if !strings.HasPrefix(line, "* SEARCH") || len(uids) == 0 {
				continue
			}
			fetched := c.must(t, "UID FETCH %s BODY.PEEK[]", uids[0])
			if len(fetched) == 0 {
				t.Fatalf("UID FETCH %s returned nothing", uids[0])
			}
			return strings.Join(fetched, "\n")
		}
		if time.Now().After(deadline) {
			t.Fatalf("no message with %q arrived within %v", needle, waitFor)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// ---- the tests

func TestSinkWritesEachMessage(t *testing.T) {
	t.Parallel()
	addr, dir := testservers.SMTPSink(t)
	before := testservers.CountSinkMessages(dir)
	tok := token(t)
	send(t, addr, "ar@dunner.test", "customer@example.test", message("ar@dunner.test", "customer@example.test", "sink-"+tok, "hello sink"))

	deadline := time.Now().Add(waitFor)
	for {
		files, err := testservers.SinkMessageFiles(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err == nil && strings.Contains(string(b), "Subject: sink-"+tok) {
				if !strings.Contains(string(b), "X-Rcpt-Args: <customer@example.test>") {
					t.Errorf("sink file %s lacks the envelope recipient:\n%s", f, b)
				}
				if n := testservers.CountSinkMessages(dir); n < before+1 {
					t.Errorf("CountSinkMessages = %d, want at least %d", n, before+1)
				}
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no sink file for sink-%s in %s within %v", tok, dir, waitFor)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestPostfixDeliversIntoDovecot(t *testing.T) {
	t.Parallel()
	smtpAddr := testservers.SMTP(t)
	imapAddr, _, _ := testservers.IMAP(t)
	user, pass := testservers.Customer(t)
	subject := "relay-" + token(t)
	send(t, smtpAddr, "ar@dunner.test", user, message("ar@dunner.test", user, subject, "hello through Postfix"))

	c := dialIMAP(t, imapAddr, nil)
	c.login(t, user, pass)
	got := c.waitMessage(t, subject)
	for _, want := range []string{"Subject: " + subject, "hello through Postfix", "Received: from", "by mail.dunner.test (Postfix)"} {
		if !strings.Contains(got, want) {
			t.Errorf("delivered message lacks %q:\n%s", want, got)
		}
	}
}

func TestIMAPLoginAndSTARTTLS(t *testing.T) {
	t.Parallel()
	addr, user, pass := testservers.IMAP(t)
	c := dialIMAP(t, addr, nil)
	caps := strings.Join(c.must(t, "CAPABILITY"), " ")
	for _, want := range []string{"STARTTLS", "IDLE"} {
		if !strings.Contains(caps, want) {
			t.Errorf("CAPABILITY lacks %s: %s", want, caps)
		}
	}
	c.must(t, "STARTTLS")
	tc := tls.Client(c.conn, testservers.TLSConfig(t))
	if err := tc.Handshake(); err != nil {
		t.Fatalf("STARTTLS handshake (verifying the test certificate): %v", err)
	}
	c.tp = textproto.NewConn(tc)
	c.login(t, user, pass)
	caps = strings.Join(c.must(t, "CAPABILITY"), " ")
	for _, want := range []string{"MOVE", "UIDPLUS", "IDLE"} {
		if !strings.Contains(caps, want) {
			t.Errorf("CAPABILITY after login lacks %s: %s", want, caps)
		}
	}
	list := strings.Join(c.must(t, `LIST "" "*"`), "\n")
	if !strings.Contains(list, `\Sent`) {
		t.Errorf("no \\Sent mailbox:\n%s", list)
	}
	if _, err := c.cmd("LOGIN %q %q", user, "wrong"); err == nil {
		t.Error("a second LOGIN was accepted")
	}
}

func TestPostfixBouncesUnknownRecipient(t *testing.T) {
	t.Parallel()
	smtpAddr := testservers.SMTP(t)
	imapAddr, _, _ := testservers.IMAP(t)
	sender, pass := testservers.NewUser(t, "dunner.test")
	unknown := "nobody-" + token(t) + "@example.test"
	send(t, smtpAddr, sender, unknown, message(sender, unknown, "bounce-"+token(t), "to nobody"))

	c := dialIMAP(t, imapAddr, nil)
	c.login(t, sender, pass)
	got := c.waitMessage(t, unknown)
	for _, want := range []string{
		"Content-Type: multipart/report; report-type=delivery-status",
		"Final-Recipient: rfc822; " + unknown, "Action: failed", "Status: 5.1.1",
		"From: Mail Delivery System <MAILER-DAEMON@dunner.test>", "Subject: Undelivered Mail Returned to Sender",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("bounce lacks %q:\n%s", want, got)
		}
	}
	// net/smtp says SMTPUTF8 when offered, so Postfix reports in the RFC 6533
	// form (message/global-delivery-status); without it, message/delivery-status.
	if !regexp.MustCompile(`Content-Type: message/(global-)?delivery-status`).MatchString(got) {
		t.Errorf("bounce has no delivery-status part:\n%s", got)
	}
}

func TestSubmissionSTARTTLSAndAuth(t *testing.T) {
	t.Parallel()
	addr, user, pass := testservers.Submission(t)
	imapsAddr, _, _ := testservers.IMAPS(t)
	rcpt, rcptPass := testservers.NewUser(t, "example.test")
	tlsConf := testservers.TLSConfig(t)

	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if ok, _ := c.Extension("AUTH"); ok {
		t.Error("AUTH offered before STARTTLS")
	}
	if err := c.Mail(user); err == nil {
		if err := c.Rcpt(rcpt); err == nil {
			t.Error("submission accepted a recipient before STARTTLS and AUTH")
		}
	}
	c.Reset()
	if err := c.StartTLS(tlsConf); err != nil {
		t.Fatalf("STARTTLS (verifying the test certificate): %v", err)
	}
	ok, mechs := c.Extension("AUTH")
	if !ok || !strings.Contains(mechs, "PLAIN") || !strings.Contains(mechs, "LOGIN") {
		t.Fatalf("AUTH after STARTTLS = %v %q, want PLAIN and LOGIN", ok, mechs)
	}
	if err := c.Auth(smtp.PlainAuth("", user, pass, "127.0.0.1")); err != nil {
		t.Fatalf("AUTH PLAIN: %v", err)
	}
	subject := "submission-" + token(t)
	sendOn(t, c, user, rcpt, message(user, rcpt, subject, "submitted"))

	// A wrong password is refused (net/smtp quits after a failed AUTH).
	c2, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if err := c2.StartTLS(tlsConf); err != nil {
		t.Fatal(err)
	}
	if err := c2.Auth(smtp.PlainAuth("", user, "wrong", "127.0.0.1")); err == nil {
		t.Error("AUTH PLAIN with a wrong password succeeded")
	}

	// Read it back over IMAPS.
	ic := dialIMAP(t, imapsAddr, tlsConf)
	ic.login(t, rcpt, rcptPass)
	if got := ic.waitMessage(t, subject); !strings.Contains(got, "submitted") {
		t.Errorf("delivered message lacks its body:\n%s", got)
	}
}

func TestSMTPSImplicitTLSCramMD5AndRefusals(t *testing.T) {
	t.Parallel()
	addr, user, pass := testservers.SMTPS(t)
	conn, err := tls.Dial("tcp", addr, testservers.TLSConfig(t))
	if err != nil {
		t.Fatalf("implicit TLS: %v", err)
	}
	c, err := smtp.NewClient(conn, "127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Auth(smtp.CRAMMD5Auth(user, pass)); err != nil {
		t.Fatalf("AUTH CRAM-MD5: %v", err)
	}
	if err := c.Mail(user); err != nil {
		t.Fatal(err)
	}
	for domain, code := range map[string]int{testservers.RejectDomain(t): 550, testservers.TempfailDomain(t): 451} {
		err := c.Rcpt("someone@" + domain)
		var perr *textproto.Error
		if !errors.As(err, &perr) || perr.Code != code {
			t.Errorf("RCPT to %s: %v, want %d", domain, err, code)
		}
	}
	if err := c.Rcpt("customer@example.test"); err != nil {
		t.Errorf("RCPT to a known user after refusals: %v", err)
	}
}

func TestSieveVacationReply(t *testing.T) {
	t.Parallel()
	smtpAddr := testservers.SMTP(t)
	imapAddr, _, _ := testservers.IMAP(t)
	sender, pass := testservers.NewUser(t, "dunner.test")
	away, _ := testservers.NewUser(t, "example.test")
	tok := token(t)
	testservers.InstallSieve(t, away, `require ["vacation"];
vacation :days 1 :handle "`+tok+`" :subject "Out of office `+tok+`"
  "I am away until Monday. Su mensaje no será reenviado.";
`)
	send(t, smtpAddr, sender, away, message(sender, away, "notice-"+tok, "please pay"))

	c := dialIMAP(t, imapAddr, nil)
	c.login(t, sender, pass)
	got := c.waitMessage(t, "Out of office "+tok)
	for _, want := range []string{"Auto-Submitted: auto-replied", "From: <" + away + ">", "In-Reply-To: <notice-" + tok + "@dunner.test>"} {
		if !strings.Contains(got, want) {
			t.Errorf("vacation reply lacks %q:\n%s", want, got)
		}
	}
}

// TestOnlyTestsImport keeps this package out of the product: only _test.go
// files may import it.
func TestOnlyTestsImport(t *testing.T) {
	out, err := exec.Command("go", "list", "-e", "-f", `{{.ImportPath}}: {{join .Imports " "}}`, "github.com/dunnerhq/dunner/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		pkg, imports, _ := strings.Cut(line, ": ")
		if strings.Contains(" "+imports+" ", " github.com/dunnerhq/dunner/internal/testservers ") {
			t.Errorf("%s imports internal/testservers outside its tests", pkg)
		}
	}
}
