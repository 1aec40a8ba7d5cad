package mailparse

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func crlf(s string) []byte {
	return []byte(strings.ReplaceAll(strings.TrimLeft(s, "\n"), "\n", "\r\n"))
}

func TestParseHeaders(t *testing.T) {
	raw := crlf(`
From: =?ISO-8859-1?Q?J=FCrgen_M=F6ller?= <J.Moeller@Example.com>
To: "AR, Team" <ar@us.example>, other@us.example
Cc: =?UTF-8?B?w5Zzdg==?= <cc@x.example>
Subject: =?iso-8859-1?Q?Zahlungserinnerung_f=FCr_R-1?=
Date: Tue, 31 Mar 2026 23:30:00 -0500
Message-ID: <abc@x.example>
In-Reply-To: <dunner.1@us.example>
References: <a@x> <dunner.1@us.example>
Auto-Submitted: auto-replied
X-Custom: caf` + "\xe9" + `

body
`)
	m, err := ParseBytes(raw)
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "Zahlungserinnerung für R-1" {
		t.Errorf("subject %q", m.Subject)
	}
	if len(m.From) != 1 || m.From[0] != "J.Moeller@Example.com" || len(m.To) != 2 || m.To[1] != "other@us.example" || len(m.Cc) != 1 {
		t.Errorf("addresses %v %v %v", m.From, m.To, m.Cc)
	}
	if _, off := m.Date.Zone(); off != -5*3600 || m.Date.Day() != 31 {
		t.Errorf("date %v: the sender's offset must be kept", m.Date)
	}
	if m.MessageID != "abc@x.example" || m.InReplyTo != "dunner.1@us.example" || len(m.References) != 2 {
		t.Errorf("ids %q %q %v", m.MessageID, m.InReplyTo, m.References)
	}
	if m.Header("Auto-Submitted") != "auto-replied" || m.Header("X-Custom") != "café" {
		t.Errorf("headers %v", m.Headers)
	}
	if strings.TrimSpace(m.Text) != "body" {
		t.Errorf("text %q", m.Text)
	}
}

func TestParseBodies(t *testing.T) {
	cases := []struct{ name, raw, want string }{
		{"quoted-printable latin-1", `
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

Gr=FC=DFe aus M=FCnchen
`, "Grüße aus München"},
		{"base64 utf-8", `
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

UGFnYXJlbW9zIG1hw7FhbmEu
`, "Pagaremos mañana."},
		{"html only", `
Content-Type: text/html; charset=utf-8

<html><head><style>p{}</style><script>x()</script></head><body><p>Hello&nbsp;there</p><table><tr><td>Invoice</td><td>Amount</td></tr><tr><td>4711</td><td>1.00</td></tr></table></body></html>
`, "Hello there\n\nInvoice | Amount\n4711 | 1.00"},
		{"alternative prefers plain", `
Content-Type: multipart/alternative; boundary=b

--b
Content-Type: text/plain

plain words here, enough of them to count
--b
Content-Type: text/html

<p>html words</p>
--b--
`, "plain words here, enough of them to count"},
		{"alternative with a stub plain part", `
Content-Type: multipart/alternative; boundary=b

--b
Content-Type: text/plain

HTML
--b
Content-Type: text/html

<p>We will pay the open invoices on Friday, thank you for waiting.</p>
--b--
`, "We will pay the open invoices on Friday, thank you for waiting."},
		{"unknown charset is read as is", `
Content-Type: text/plain; charset=x-unknown-42

still readable
`, "still readable"},
	}
	for _, c := range cases {
		m, err := ParseBytes(crlf("From: a@b.example\nSubject: t" + c.raw))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := strings.TrimSpace(m.Text); got != c.want {
			t.Errorf("%s: text %q, want %q", c.name, got, c.want)
		}
	}
}

func TestParseAttachmentsAndReports(t *testing.T) {
	raw := crlf(`
From: MAILER-DAEMON@mx.example
Subject: Undelivered Mail Returned to Sender
Content-Type: multipart/report; report-type=delivery-status; boundary=r

--r
Content-Type: text/plain

This is the mail system at host mx.example.
--r
Content-Type: message/delivery-status

Final-Recipient: rfc822; x@y.example
Action: failed
--r
Content-Type: message/rfc822

From: ar@us.example
Subject: Reminder

Please pay.
--r--
`)
	m, err := ParseBytes(raw)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.DeliveryStatus, "Action: failed") || m.Forwarded != nil || strings.Contains(m.Text, "Please pay") {
		t.Errorf("report: ds %q fwd %v text %q", m.DeliveryStatus, m.Forwarded, m.Text)
	}

	raw = crlf(`
From: a@b.example
Subject: Zahlungsavis
Content-Type: multipart/mixed; boundary=m

--m
Content-Type: text/plain

anbei
--m
Content-Type: application/pdf
Content-Disposition: attachment; filename*=UTF-8''Zahlungsavis%20M%C3%A4rz.pdf
Content-Transfer-Encoding: base64

JVBERi0xLjQK
--m
Content-Type: application/pdf; name="=?UTF-8?Q?Aviso_de_pago_n=C2=BA_7.pdf?="
Content-Transfer-Encoding: base64

JVBERi0xLjQK
--m
Content-Type: image/png
Content-ID: <logo>

iVBORw0KGgo=
--m--
`)
	m, err = ParseBytes(raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Attachments) != 2 || m.Attachments[0].Name != "Zahlungsavis März.pdf" || m.Attachments[1].Name != "Aviso de pago nº 7.pdf" ||
		m.Attachments[0].Size != 9 || m.Attachments[0].ContentType != "application/pdf" {
		t.Errorf("attachments %+v", m.Attachments)
	}
}

func TestParseForwards(t *testing.T) {
	cases := []struct {
		name, subject, body string
		from, fsubject      string
		date                string
		text                string
	}{
		{"gmail", "Fwd: Payment advice", `FYI

---------- Forwarded message ---------
From: Bank <no-reply@bank.example>
Date: Tue, Mar 3, 2026 at 10:15 AM
Subject: Payment advice
To: <ap@customer.example>

We have paid invoice 4711.
`, "no-reply@bank.example", "Payment advice", "2026-03-03", "We have paid invoice 4711."},
		{"apple", "Fwd: Remittance", `Begin forwarded message:

From: AP Team <ap@customer.example>
Subject: Remittance
Date: 3 March 2026 at 10:00:00 CET
To: Me <me@customer.example>

Paid today.
`, "ap@customer.example", "Remittance", "2026-03-03", "Paid today."},
		{"thunderbird german", "WG: Zahlung", `-------- Weitergeleitete Nachricht --------
Betreff: Zahlung
Datum: Tue, 3 Mar 2026 10:00:00 +0100
Von: Bank <bank@bank.example>
An: ich@kunde.example

Überweisung ausgeführt.
`, "bank@bank.example", "Zahlung", "2026-03-03", "Überweisung ausgeführt."},
		{"outlook german", "WG: Zahlung", `Zur Info

________________________________
Von: Bank <bank@bank.example>
Gesendet: Dienstag, 3. März 2026 10:15
An: ich@kunde.example
Betreff: Zahlung

Überweisung ausgeführt.
`, "bank@bank.example", "Zahlung", "2026-03-03", "Überweisung ausgeführt."},
		{"outlook spanish", "RV: Pago", `Os lo reenvío.

De: Banco <banco@banco.example>
Enviado el: martes, 3 de marzo de 2026 10:15
Para: yo@cliente.example
Asunto: Pago

Transferencia realizada.
`, "banco@banco.example", "Pago", "2026-03-03", "Transferencia realizada."},
		{"spanish gmail", "Fwd: Pago", `---------- Mensaje reenviado ---------
De: Banco <banco@banco.example>
Date: mar, 3 mar 2026 a las 10:15
Subject: Pago
To: <yo@cliente.example>

Transferencia realizada.
`, "banco@banco.example", "Pago", "2026-03-03", "Transferencia realizada."},
	}
	for _, c := range cases {
		raw := crlf("From: me@customer.example\nSubject: " + c.subject + "\nDate: Tue, 03 Mar 2026 12:00:00 +0100\n\n" + c.body)
		m, err := ParseBytes(raw)
		if err != nil {
			t.Fatal(err)
		}
		f := m.Forwarded
		if f == nil {
			t.Errorf("%s: no forward found", c.name)
			continue
		}
		if len(f.From) != 1 || f.From[0] != c.from || f.Subject != c.fsubject || f.Date.Format(time.DateOnly) != c.date || strings.TrimSpace(f.Text) != c.text {
			t.Errorf("%s: %v %q %v %q", c.name, f.From, f.Subject, f.Date, f.Text)
		}
	}
	// A reply quoting with an Outlook block is no forward.
	raw := crlf("From: a@b.example\nSubject: RE: Reminder\n\nWe paid.\n\nFrom: AR <ar@us.example>\nSent: Monday\nTo: a@b.example\nSubject: Reminder\n\nPlease pay.\n")
	if m, _ := ParseBytes(raw); m == nil || m.Forwarded != nil {
		t.Errorf("a reply's quote taken for a forward: %+v", m)
	}
}

func TestParseLimits(t *testing.T) {
	raw := crlf("From: a@b.example\nSubject: x\n\n" + strings.Repeat("a", 1000) + "\n")
	if _, err := Parse(bytes.NewReader(raw), 100); !errors.Is(err, ErrTooLarge) {
		t.Errorf("over the cap: %v", err)
	}
	if _, err := Parse(bytes.NewReader(raw), int64(len(raw))); err != nil {
		t.Errorf("exactly at the cap: %v", err)
	}
	for _, in := range []string{"", "\x00\x01\x02", "Subject: x", "Content-Type: multipart/mixed; boundary=\n\n--\n--", strings.Repeat("Content-Type: multipart/mixed; boundary=a\n\n--a\n", 50)} {
		if m, err := Parse(strings.NewReader(in), 0); err == nil && m == nil {
			t.Errorf("%q: neither message nor error", in)
		}
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.eml"))
	for i, p := range files {
		if i%4 != 0 {
			continue
		}
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: message/rfc822\r\n\r\nContent-Type: multipart/alternative; boundary=y\r\n\r\n--y\r\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := Parse(bytes.NewReader(b), 1<<20)
		if err == nil && m == nil {
			t.Fatal("nil message without error")
		}
		if m != nil {
			_ = HTMLToText(string(b))
		}
	})
}
