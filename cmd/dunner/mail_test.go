package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/dunnerhq/dunner/agent"
	"github.com/dunnerhq/dunner/connectors/sqlite"
	"github.com/dunnerhq/dunner/internal/testservers"
	"github.com/emersion/go-imap/v2/imapclient"
)

// memIMAP starts go-imap's in-memory server with the AR mailbox.
func memIMAP(t *testing.T) string {
	return testservers.MemIMAP(t, "ar@northwind.example", "secret")
}

func appendMail(t *testing.T, addr, user, pass, folder string, msgs ...string) {
	t.Helper()
	c, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(user, pass).Wait(); err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		m = strings.ReplaceAll(m, "\n", "\r\n")
		cmd := c.Append(folder, int64(len(m)), nil)
		cmd.Write([]byte(m))
		cmd.Close()
		if _, err := cmd.Wait(); err != nil {
			t.Fatal(err)
		}
	}
}

func folderCount(t *testing.T, addr, user, pass, folder string) int {
	t.Helper()
	c, err := imapclient.DialInsecure(addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(user, pass).Wait(); err != nil {
		t.Fatal(err)
	}
	sel, err := c.Select(folder, nil).Wait()
	if err != nil {
		return 0
	}
	return int(sel.NumMessages)
}

func mailConfig(imapAddr, smtpAddr string) string {
	ih, ip, _ := net.SplitHostPort(imapAddr)
	sh, sp, _ := net.SplitHostPort(smtpAddr)
	return fmt.Sprintf(`database: sqlite:unused.db
company: {name: Northwind Supply S.L., email: ar@northwind.example, timezone: Europe/Madrid, domain: northwind.example}
delivery:
  smtp: {host: %s, port: %s, tls: none}
mailboxes:
  - {name: ar, host: %s, port: %s, tls: none, username: ar@northwind.example, password: secret}
policies:
  standard:
    min_overdue_total: 1.00
    min_days_between: 7
    promise_grace_days: 3
    levels: [{level: 1, days: 1, template: reminder1}, {level: 2, days: 15, template: reminder2}]
customer_defaults: {policy: standard, language: en, timezone: Europe/Madrid, review: never}
customers:
  - {id: C1, name: Müller GmbH, language: de, contacts: [{email: ap@mueller.example, role: billing}, {email: cfo@mueller.example, role: escalation}]}
  - {id: C2, name: Peñalara S.L., language: es, contacts: [{email: pagos@penalara.example, role: billing}]}
  - {id: C3, name: Gamma Ltd, contacts: [{email: ap@gamma.example, role: billing}]}
`, sh, sp, ih, ip)
}

// TestMailPollActsOnReplies puts replies in the AR mailbox, polls, and
// checks what dunning does: the dispute stops dunning, the promise is
// recorded, the out-of-office pauses, the bounce marks the contact, and a
// second poll processes nothing twice.
func TestMailPollActsOnReplies(t *testing.T) {
	imapAddr := memIMAP(t)
	_, smtpAddr := startSink(t)
	h := newHarness(t, "")
	h.config = h.write("dunner.yaml", mailConfig(imapAddr, smtpAddr))
	h.ok("import", "ledger", h.write("ledger.csv", `customer_id,invoice,due_date,currency,open_amount
C1,R-2026-0042,2026-02-01,EUR,1000.00
C1,R-2026-0043,2026-02-01,EUR,500.00
C2,F-2026-118,2026-02-01,EUR,300.00
C3,G-77,2026-02-01,EUR,200.00
`))
	h.ok("run", "--as-of", "2026-03-02")
	h.ok("send", "--as-of", "2026-03-02")
	var drafts []agent.Draft
	json.Unmarshal([]byte(h.ok("drafts", "list", "--state", "all", "--json")), &drafts)
	msgID := map[string]string{}
	for _, d := range drafts {
		msgID[d.CustomerID] = d.MessageID
	}
	appendMail(t, imapAddr, "ar@northwind.example", "secret", "INBOX",
		`From: Hans Maier <ap@mueller.example>
To: ar@northwind.example
Subject: AW: Zahlungserinnerung
Date: Tue, 03 Mar 2026 10:15:00 +0100
Message-ID: <d1@mueller.example>
In-Reply-To: <`+msgID["C1"]+`>
Content-Type: text/plain; charset=utf-8

Guten Tag,

die Rechnung R-2026-0042 ist falsch: Sie haben 10 Stück berechnet, geliefert wurden nur 8.
Bitte senden Sie uns eine Gutschrift.

Mit freundlichen Grüßen
Hans Maier
`,
		`From: Lucía Gómez <pagos@penalara.example>
To: ar@northwind.example
Subject: RE: Recordatorio de pago
Date: Tue, 03 Mar 2026 09:00:00 +0100
Message-ID: <p1@penalara.example>
Content-Type: text/plain; charset=utf-8

Buenos días:

Les confirmamos que la factura F-2026-118 se pagará el 20 de marzo de 2026.

Un saludo,
Lucía
`,
		`From: ap@gamma.example
To: ar@northwind.example
Subject: Automatic reply: Payment reminder
Date: Tue, 03 Mar 2026 09:00:00 +0000
Message-ID: <a1@gamma.example>
Auto-Submitted: auto-replied
Content-Type: text/plain; charset=utf-8

Thank you for your email. I am out of the office until 23 March 2026 with limited access to email.
`,
		`From: MAILER-DAEMON@mx.mueller.example (Mail Delivery System)
To: ar@northwind.example
Subject: Undelivered Mail Returned to Sender
Date: Tue, 03 Mar 2026 09:05:00 +0100
Message-ID: <b1@mx.mueller.example>
Auto-Submitted: auto-replied
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.mueller.example.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<cfo@mueller.example>: host mx.mueller.example said: 550 5.1.1
    <cfo@mueller.example>: Recipient address rejected: User unknown
`,
		`From: Buchhaltung <ap@mueller.example>
To: ar@northwind.example
Subject: Zahlungsavis ZA-4711
Date: Tue, 03 Mar 2026 11:00:00 +0100
Message-ID: <r1@mueller.example>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

Sehr geehrte Damen und Herren,

anbei unser Zahlungsavis zur heutigen Überweisung.

Mit freundlichen Grüßen
Buchhaltung
--b1
Content-Type: text/csv; name="Zahlungsavis-ZA-4711.csv"
Content-Disposition: attachment; filename="Zahlungsavis-ZA-4711.csv"

Zahlungsavis
Zahler;Müller GmbH
Zahlungsdatum;03.03.2026
Referenz;ZA-4711
Rechnungsnr.;Rechnungsdatum;Rechnungsbetrag;Zahlbetrag
R-2026-0043;01.01.2026;500,00;500,00
Summe;;;500,00
--b1--
`)
	out := h.ok("mail", "poll", "--json")
	var sum struct {
		Messages int
		Classes  map[string]int
	}
	json.Unmarshal([]byte(out), &sum)
	if sum.Messages != 5 || sum.Classes["dispute"] != 1 || sum.Classes["promise_to_pay"] != 1 ||
		sum.Classes["auto_reply"] != 1 || sum.Classes["bounce"] != 1 || sum.Classes["remittance"] != 1 {
		t.Fatalf("poll: %s", out)
	}
	if again := h.ok("mail", "poll", "--json"); !strings.Contains(again, `"messages":0`) {
		t.Errorf("second poll processed again: %s", again)
	}
	states := map[string]string{}
	var items []map[string]any
	json.Unmarshal([]byte(h.ok("items", "list", "--json", "--as-of", "2026-03-04")), &items)
	for _, it := range items {
		states[it["invoice"].(string)] = it["state"].(string)
	}
	want := map[string]string{"R-2026-0042": "disputed", "R-2026-0043": "advised", "F-2026-118": "promised", "G-77": "open"}
	for inv, st := range want {
		if states[inv] != st {
			t.Errorf("%s is %s, want %s", inv, states[inv], st)
		}
	}
	// Out of office until 03-23: no notice to C3 before then, though due.
	plan := h.ok("run", "--dry-run", "--json", "--as-of", "2026-03-17")
	if !strings.Contains(plan, `{"customer": "C3", "reason": "recently_contacted"}`) {
		t.Errorf("C3 should wait for its return date:\n%s", plan)
	}
	// Each message is kept, compressed, exactly as received.
	st, err := sqlite.Open(strings.TrimPrefix(h.env["DUNNER_DATABASE"], "sqlite:"))
	if err != nil {
		t.Fatal(err)
	}
	var gz []byte
	err = st.DB().QueryRow(`SELECT raw FROM inbound WHERE message_id = 'p1@penalara.example'`).Scan(&gz)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	if raw, _ := io.ReadAll(zr); !bytes.Contains(raw, []byte("Message-ID: <p1@penalara.example>")) ||
		!bytes.Contains(raw, []byte("se pagará el 20 de marzo")) {
		t.Errorf("audit copy: %q", raw)
	}
	// The processed messages were filed; nothing is deleted.
	if n := folderCount(t, imapAddr, "ar@northwind.example", "secret", "INBOX"); n != 0 {
		t.Errorf("INBOX still has %d", n)
	}
	if n := folderCount(t, imapAddr, "ar@northwind.example", "secret", "Dunner/Disputes"); n != 1 {
		t.Errorf("Dunner/Disputes has %d", n)
	}
}

// TestMailWatchWakesOnIDLE keeps polling and is woken by IDLE: a message
// appended while it waits is filed within moments, not after the interval.
func TestMailWatchWakesOnIDLE(t *testing.T) {
	imapAddr := memIMAP(t)
	_, smtpAddr := startSink(t)
	h := newHarness(t, "")
	h.config = h.write("dunner.yaml", mailConfig(imapAddr, smtpAddr))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() {
		done <- Main(ctx, []string{"--config", h.config, "mail", "poll", "--watch", "--interval", "1m"},
			Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard, Clock: testClock,
				Getenv: func(k string) string { return h.env[k] }})
	}()
	time.Sleep(500 * time.Millisecond) // first pass done, now idling
	appendMail(t, imapAddr, "ar@northwind.example", "secret", "INBOX", "From: ap@gamma.example\nTo: ar@northwind.example\n"+
		"Subject: Copy of invoice\nMessage-ID: <w1@gamma.example>\n\nCould you send us a copy of invoice G-77?\n")
	deadline := time.Now().Add(10 * time.Second)
	for folderCount(t, imapAddr, "ar@northwind.example", "secret", "Dunner/Other") != 1 {
		if time.Now().After(deadline) {
			t.Fatal("the watcher did not pick up the new message")
		}
		time.Sleep(100 * time.Millisecond)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("watch exit %d", code)
	}
}
