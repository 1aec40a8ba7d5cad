package main

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dunnerhq/dunner/connectors/imap"
	"github.com/dunnerhq/dunner/internal/testservers"
	goimap "github.com/emersion/go-imap/v2"
	gomail "github.com/emersion/go-message/mail"
)

// realConfig is a config sending through a real server.
func realConfig(t *testing.T, smtpAddr, tlsMode, user, pass, customers string) string {
	host, port, _ := net.SplitHostPort(smtpAddr)
	auth := ""
	if user != "" {
		auth = fmt.Sprintf(", username: %s, password: %s", user, pass)
	}
	return fmt.Sprintf(`database: sqlite:unused.db
company: {name: Northwind Supply S.L., email: ar@dunner.test, timezone: Europe/Madrid, domain: dunner.test}
delivery:
  statement: true
  sent_copy: ar
  smtp: {host: %s, port: %s, tls: %s%s, connections: 2, timeout_seconds: 20}
mailboxes:
  - {name: ar, host: 127.0.0.1, port: %s, tls: starttls, username: %s, password: %s}
policies:
  standard:
    min_overdue_total: 1.00
    min_days_between: 7
    levels:
      - {level: 1, days: 1, template: reminder1}
      - {level: 2, days: 15, template: reminder2}
customer_defaults: {policy: standard, language: de, timezone: Europe/Berlin, review: never}
customers:
%s`, host, port, tlsMode, auth, strings.Split(testservers.Env(t, "DUNNER_TEST_IMAP"), ":")[1],
		testservers.Env(t, "DUNNER_TEST_IMAP_USER"), testservers.Env(t, "DUNNER_TEST_IMAP_PASSWORD"), customers)
}

func realHarness(t *testing.T) *harness {
	h := newHarness(t, "")
	h.env["DUNNER_TLS_CA_FILE"] = testservers.Env(t, "DUNNER_TEST_TLS_CA")
	return h
}

// readMailbox logs in to Dovecot and returns every message in folder.
func readMailbox(t *testing.T, user, pass, folder string, want int) []*gomail.Reader {
	t.Helper()
	addr := testservers.Env(t, "DUNNER_TEST_IMAP")
	host, port, _ := net.SplitHostPort(addr)
	p, _ := strconv.Atoi(port)
	cfg := imap.Config{Host: host, Port: p, TLS: imap.TLSStartTLS, Username: user, Password: pass,
		TLSConfig: testservers.TLSConfig(t), Timeout: 10 * time.Second}
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := imap.Dial(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		sel, err := c.Select(folder, nil).Wait()
		if err == nil && int(sel.NumMessages) >= want {
			var all goimap.SeqSet
			all.AddRange(1, 0) // 1:*
			msgs, err := c.Fetch(all, &goimap.FetchOptions{
				BodySection: []*goimap.FetchItemBodySection{{Peek: true}}}).Collect()
			c.Close()
			if err != nil {
				t.Fatal(err)
			}
			var out []*gomail.Reader
			for _, m := range msgs {
				r, err := gomail.CreateReader(strings.NewReader(string(m.BodySection[0].Bytes)))
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, r)
			}
			return out
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatalf("%s/%s: want %d messages, err %v", user, folder, want, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestRealPostfixIntoDovecot sends two notices through Postfix's submission
// port (STARTTLS + AUTH), reads them back from the customer's Dovecot INBOX
// and checks headers, both MIME parts, the statement PDF, the threading,
// and the copies in the AR mailbox's Sent folder.
func TestRealPostfixIntoDovecot(t *testing.T) {
	subAddr, user, pass := testservers.Submission(t)
	custAddr, custPass := testservers.NewUser(t, "example.test")
	h := realHarness(t)
	h.config = h.write("dunner.yaml", realConfig(t, subAddr, "starttls", user, pass,
		fmt.Sprintf("  - {id: C1, name: Müller Maschinenbau GmbH, contacts: [{email: %s, role: billing}]}\n", custAddr)))
	h.ok("import", "ledger", h.write("ledger.csv",
		"customer_id,invoice,due_date,currency,open_amount\nC1,R-2026-0042,2026-02-01,EUR,1234.56\n"))
	for _, d := range []string{"2026-02-02", "2026-02-16"} {
		h.ok("run", "--as-of", d)
		h.ok("send", "--as-of", d)
	}
	msgs := readMailbox(t, custAddr, custPass, "INBOX", 2)
	if len(msgs) != 2 {
		t.Fatalf("customer got %d messages", len(msgs))
	}
	first, second := msgs[0], msgs[1]
	id1, _ := first.Header.MessageID()
	if !strings.HasSuffix(id1, "@dunner.test") {
		t.Errorf("Message-ID %q not on the entity's domain", id1)
	}
	if irt, _ := second.Header.MsgIDList("In-Reply-To"); len(irt) != 1 || irt[0] != id1 {
		t.Errorf("second notice In-Reply-To %v, want %s", irt, id1)
	}
	if refs, _ := second.Header.MsgIDList("References"); len(refs) == 0 || refs[0] != id1 {
		t.Errorf("second notice References %v", refs)
	}
	for i, m := range msgs {
		if m.Header.Get("Auto-Submitted") != "auto-generated" || m.Header.Get("Content-Language") != "de" {
			t.Errorf("message %d headers: %v", i, m.Header)
		}
		rt, _ := m.Header.AddressList("Reply-To")
		if len(rt) != 1 || !strings.HasPrefix(rt[0].Address, "ar+n") {
			t.Errorf("message %d Reply-To %v", i, rt)
		}
		if subj, _ := m.Header.Subject(); !strings.Contains(subj, "Müller") {
			t.Errorf("message %d subject %q", i, subj)
		}
		var text, html, pdfName string
		var pdf []byte
		for {
			p, err := m.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			ct, params, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
			b, _ := io.ReadAll(p.Body)
			switch h := p.Header.(type) {
			case *gomail.InlineHeader:
				if ct == "text/plain" {
					text = string(b)
				} else if ct == "text/html" {
					html = string(b)
				}
			case *gomail.AttachmentHeader:
				pdfName, _ = h.Filename()
				if ct == "application/pdf" {
					pdf = b
				}
				_ = params
			}
		}
		if !strings.Contains(text, "R-2026-0042") || !strings.Contains(text, "1.234,56") {
			t.Errorf("message %d text part: %q", i, text)
		}
		if !strings.Contains(html, "<table") || !strings.Contains(html, "R-2026-0042") {
			t.Errorf("message %d HTML part missing the invoice table", i)
		}
		if !strings.HasPrefix(string(pdf), "%PDF-") || !strings.HasPrefix(pdfName, "Kontoauszug-C1-") {
			t.Errorf("message %d statement %q (%d bytes)", i, pdfName, len(pdf))
		}
	}
	// Copies in the shared mailbox's Sent folder.
	arUser, arPass := testservers.Env(t, "DUNNER_TEST_IMAP_USER"), testservers.Env(t, "DUNNER_TEST_IMAP_PASSWORD")
	sent := readMailbox(t, arUser, arPass, "Sent", 2)
	found := 0
	for _, m := range sent {
		if id, _ := m.Header.MessageID(); id == id1 {
			found++
		}
	}
	if found != 1 {
		t.Errorf("first notice in Sent %d times", found)
	}
}

// TestRealSMTPSinkAndRefusals sends to Postfix's smtp-sink and to Postfix
// domains that refuse (550) or defer (451) every recipient.
func TestRealSMTPSinkAndRefusals(t *testing.T) {
	sinkAddr, sinkDir := testservers.SMTPSink(t)
	before := testservers.CountSinkMessages(sinkDir)
	h := realHarness(t)
	var custs, ledger strings.Builder
	ledger.WriteString("customer_id,invoice,due_date,currency,open_amount\n")
	for i := 0; i < 20; i++ {
		fmt.Fprintf(&custs, "  - {id: S%d, contacts: [{email: ap%d@sink.example, role: billing}]}\n", i, i)
		fmt.Fprintf(&ledger, "S%d,R-%d,2026-02-01,EUR,10.00\n", i, i)
	}
	cfg := strings.Replace(realConfig(t, sinkAddr, "none", "", "", custs.String()), "  sent_copy: ar\n", "", 1)
	h.config = h.write("dunner.yaml", cfg)
	h.ok("import", "ledger", h.write("ledger.csv", ledger.String()))
	h.ok("run", "--as-of", "2026-03-02")
	h.ok("send", "--as-of", "2026-03-02")
	deadline := time.Now().Add(10 * time.Second)
	for testservers.CountSinkMessages(sinkDir)-before < 20 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if n := testservers.CountSinkMessages(sinkDir) - before; n != 20 {
		t.Errorf("smtp-sink got %d messages, want 20", n)
	}

	// Refusals through the real Postfix.
	h2 := realHarness(t)
	custs2 := fmt.Sprintf("  - {id: R1, contacts: [{email: gone@%s, role: billing}]}\n  - {id: T1, contacts: [{email: later@%s, role: billing}]}\n",
		testservers.RejectDomain(t), testservers.TempfailDomain(t))
	h2.config = h2.write("dunner.yaml", strings.Replace(realConfig(t, testservers.SMTP(t), "starttls", "", "", custs2),
		"  sent_copy: ar\n", "", 1))
	h2.ok("import", "ledger", h2.write("ledger.csv", "customer_id,invoice,due_date,currency,open_amount\nR1,X-1,2026-02-01,EUR,10.00\nT1,Y-1,2026-02-01,EUR,10.00\n"))
	h2.ok("run", "--as-of", "2026-03-02")
	h2.run("send", "--as-of", "2026-03-02")
	st := draftStates(t, h2)
	if st["R1"] != "failed" || st["T1"] != "retrying" {
		t.Errorf("550 → failed, 451 → retrying; got %v", st)
	}
}
