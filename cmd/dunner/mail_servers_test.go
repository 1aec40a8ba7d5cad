package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/smtp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dunnerhq/dunner/internal/testservers"
	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

type pollSum struct {
	Messages int            `json:"messages"`
	Repeats  int            `json:"repeats"`
	Classes  map[string]int `json:"classes"`
}

func poll(t *testing.T, h *harness) (pollSum, int) {
	t.Helper()
	code, out, errs := h.run("mail", "poll", "--json")
	if code != 0 {
		t.Logf("mail poll: exit %d: %s", code, errs)
	}
	var s pollSum
	json.Unmarshal([]byte(out), &s)
	return s, code
}

// deliver sends plain messages through the real Postfix.
func deliver(t *testing.T, from, to string, n int, tag string) {
	t.Helper()
	for i := 0; i < n; i++ {
		body := fmt.Sprintf("From: %s\r\nTo: %s\r\nSubject: Re: invoice question %s-%d\r\nMessage-ID: <%s-%d@example.test>\r\n"+
			"Date: Tue, 03 Mar 2026 10:00:00 +0100\r\n\r\nCould you send us a copy of the invoice, please?\r\n%s\r\n",
			from, to, tag, i, tag, i, strings.Repeat("Thank you and best regards from accounts payable.\r\n", 10))
		// By hand rather than smtp.SendMail, which insists on STARTTLS
		// with the system's roots when offered.
		c, err := smtp.Dial(testservers.SMTP(t))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Mail(from); err != nil {
			t.Fatal(err)
		}
		if err := c.Rcpt(to); err != nil {
			t.Fatal(err)
		}
		w, err := c.Data()
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		c.Quit()
	}
}

func imapLogin(t *testing.T, user, pass string) *imapclient.Client {
	t.Helper()
	c, err := imapclient.DialInsecure(testservers.Env(t, "DUNNER_TEST_IMAP"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Login(user, pass).Wait(); err != nil {
		t.Fatal(err)
	}
	return c
}

// waitFor polls Dovecot until folder holds n messages.
func waitFor(t *testing.T, user, pass, folder string, n int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		c := imapLogin(t, user, pass)
		sel, err := c.Select(folder, &goimap.SelectOptions{ReadOnly: true}).Wait()
		c.Close()
		if err == nil && int(sel.NumMessages) >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s/%s never reached %d messages", user, folder, n)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// cutProxy forwards to addr and cuts every connection after limit bytes
// from the server: the connection dies mid-FETCH.
func cutProxy(t *testing.T, addr string, limit int64) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", addr)
			if err != nil {
				c.Close()
				continue
			}
			var once sync.Once
			done := func() { once.Do(func() { c.Close(); s.Close() }) }
			go func() { io.Copy(s, c); done() }()
			go func() { io.CopyN(c, s, limit); done() }()
		}
	}()
	return l.Addr().String()
}

func dovecotConfig(t *testing.T, imapAddr, arUser, arPass string, folders, customers string) string {
	ih, ip, _ := net.SplitHostPort(imapAddr)
	sh, sp, _ := net.SplitHostPort(testservers.SMTP(t))
	return fmt.Sprintf(`database: sqlite:unused.db
company: {name: Northwind Supply S.L., email: %s, timezone: Europe/Madrid, domain: dunner.test}
delivery:
  smtp: {host: %s, port: %s, tls: opportunistic}
mailboxes:
  - {name: ar, host: %s, port: %s, tls: none, username: %s, password: %s, folders: %s, timeout_seconds: 5}
policies:
  standard:
    min_overdue_total: 1.00
    min_days_between: 7
    levels: [{level: 1, days: 1, template: reminder1}, {level: 2, days: 20, template: reminder2}]
customer_defaults: {policy: standard, language: en, timezone: Europe/Madrid, review: never}
customers:
%s`, arUser, sh, sp, ih, ip, arUser, arPass, folders, customers)
}

// TestRealDovecotIngest reads a real Dovecot mailbox: resume from the
// checkpoint, a connection cut mid-fetch by a proxy, a UIDVALIDITY change,
// and real producers (a Postfix bounce, a Sieve vacation reply).
func TestRealDovecotIngest(t *testing.T) {
	arUser, arPass := testservers.NewUser(t, "dunner.test")
	custUser, _ := testservers.NewUser(t, "example.test")
	gone := "t-gone-" + strconv.FormatInt(time.Now().UnixNano(), 36) + "@example.test" // no such user
	customers := fmt.Sprintf("  - {id: AWAY, contacts: [{email: %s, role: billing}]}\n  - {id: GONE, contacts: [{email: %s, role: billing}]}\n",
		custUser, gone)
	h := realHarness(t)
	imapAddr := testservers.Env(t, "DUNNER_TEST_IMAP")
	h.config = h.write("dunner.yaml", dovecotConfig(t, imapAddr, arUser, arPass, "[INBOX]", customers))

	// Resume: three, then two more, in separate processes' runs.
	deliver(t, "ap@example.test", arUser, 3, "a")
	waitFor(t, arUser, arPass, "INBOX", 3)
	if s, code := poll(t, h); code != 0 || s.Messages != 3 {
		t.Fatalf("first poll: %+v exit %d", s, code)
	}
	deliver(t, "ap@example.test", arUser, 2, "b")
	waitFor(t, arUser, arPass, "INBOX", 2)
	if s, _ := poll(t, h); s.Messages != 2 {
		t.Fatalf("resume: processed %d, want only the 2 new ones", s.Messages)
	}

	// A proxy cuts the connection mid-FETCH; the next poll finishes the
	// job: every message processed exactly once.
	deliver(t, "ap@example.test", arUser, 6, "c")
	waitFor(t, arUser, arPass, "INBOX", 6)
	cut := h.write("cut.yaml", dovecotConfig(t, cutProxy(t, imapAddr, 4000), arUser, arPass, "[INBOX]", customers))
	hc := &harness{t: t, dir: h.dir, config: cut, env: h.env}
	first, code := poll(t, hc)
	if code == 0 {
		t.Fatalf("the cut poll should fail: %+v", first)
	}
	second, code := poll(t, h)
	if code != 0 || first.Messages+second.Messages != 6 || second.Repeats != 0 {
		t.Errorf("cut then resume: %d + %d processed (%d repeats), want 6 in all", first.Messages, second.Messages, second.Repeats)
	}
	// Everything was filed, including what the cut poll processed but
	// could not move.
	c := imapLogin(t, arUser, arPass)
	if sel, _ := c.Select("INBOX", nil).Wait(); sel == nil || sel.NumMessages != 0 {
		t.Errorf("INBOX not empty after the resumed poll: %+v", sel)
	}
	c.Close()

	// UIDVALIDITY changes: the folder is recreated with the same messages.
	c = imapLogin(t, arUser, arPass)
	c.Create("Replies", nil).Wait()
	c.Close()
	h.config = h.write("dunner.yaml", dovecotConfig(t, imapAddr, arUser, arPass, "[Replies]", customers))
	msg := "From: ap@example.test\r\nTo: " + arUser + "\r\nSubject: Re: statement\r\nMessage-ID: <uv-1@example.test>\r\n\r\nPlease send the statement again.\r\n"
	appendMail(t, imapAddr, arUser, arPass, "Replies", msg)
	if s, _ := poll(t, h); s.Messages != 1 {
		t.Fatalf("Replies: %+v", s)
	}
	c = imapLogin(t, arUser, arPass)
	if err := c.Delete("Replies").Wait(); err != nil {
		t.Fatal(err)
	}
	c.Create("Replies", nil).Wait()
	c.Close()
	appendMail(t, imapAddr, arUser, arPass, "Replies", msg)
	if s, _ := poll(t, h); s.Messages != 1 || s.Repeats != 1 {
		t.Errorf("after UIDVALIDITY changed: %+v, want the message seen again and recognised", s)
	}

	// Real producers: Postfix's bounce for a notice Dunner sent through it
	// to an unknown recipient, and a Sieve vacation reply. (Sieve rightly
	// never answers a message marked Auto-Submitted, as notices are, so a
	// collector's own mail provokes it.)
	testservers.InstallSieve(t, custUser, `require ["vacation"];
vacation :days 1 :subject "Out of office" "I am out of the office until 23 March 2026. I will reply on my return.";
`)
	h.config = h.write("dunner.yaml", dovecotConfig(t, imapAddr, arUser, arPass, "[INBOX]", customers))
	h.ok("import", "ledger", h.write("ledger.csv", "customer_id,invoice,due_date,currency,open_amount\nAWAY,A-1,2026-02-01,EUR,10.00\nGONE,G-1,2026-02-01,EUR,10.00\n"))
	h.ok("run", "--as-of", "2026-03-02")
	h.ok("send", "--as-of", "2026-03-02")
	deliver(t, arUser, custUser, 1, "collector")
	waitFor(t, arUser, arPass, "INBOX", 2)
	s, _ := poll(t, h)
	if s.Classes["bounce"] != 1 || s.Classes["auto_reply"] != 1 {
		c := imapLogin(t, arUser, arPass)
		sel, _ := c.Select("INBOX", nil).Wait()
		var all goimap.SeqSet
		all.AddRange(1, 0)
		msgs, _ := c.Fetch(all, &goimap.FetchOptions{Envelope: true, UID: true}).Collect()
		var subj []string
		for _, m := range msgs {
			subj = append(subj, fmt.Sprintf("%d:%s", m.UID, m.Envelope.Subject))
		}
		t.Errorf("real bounce and vacation reply: %+v; INBOX now %d: %v", s, sel.NumMessages, subj)
		c.Close()
	}
	plan := h.ok("run", "--dry-run", "--json", "--as-of", "2026-03-10")
	if !strings.Contains(plan, `{"customer": "GONE", "reason": "no_contact"}`) {
		t.Errorf("the bounced address should leave GONE without a contact:\n%s", plan)
	}
}
