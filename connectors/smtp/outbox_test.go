package smtp_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dunnerhq/dunner/agent"
	"github.com/dunnerhq/dunner/connectors/smtp"
	"github.com/emersion/go-message/mail"
)

func email() *agent.Email {
	return &agent.Email{
		MessageID: "dunner.abc123@northwind.example", Date: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC),
		From: "ar@northwind.example", FromName: "Northwind Supply S.L.", ReplyTo: "ar@northwind.example",
		To: []string{"ap@mueller.example"}, Subject: "Zahlungserinnerung – Müller GmbH",
		Text: "Sehr geehrte Damen und Herren,\n1.234,56 €", HTML: "<p>1.234,56&nbsp;€</p>", Language: "de",
		InReplyTo: "dunner.prev@northwind.example", References: []string{"dunner.prev@northwind.example"}, DraftID: 7,
	}
}

func TestSendWritesParsableMessage(t *testing.T) {
	dir := t.TempDir()
	o, err := smtp.NewOutbox(dir)
	if err != nil {
		t.Fatal(err)
	}
	e := email()
	if _, err := o.Send(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, smtp.FileName(e))
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := mail.CreateReader(f)
	if err != nil {
		t.Fatal(err)
	}
	if subj, _ := r.Header.Subject(); subj != e.Subject {
		t.Errorf("subject %q", subj)
	}
	if id, _ := r.Header.MessageID(); id != e.MessageID {
		t.Errorf("Message-ID %q", id)
	}
	if irt, _ := r.Header.MsgIDList("In-Reply-To"); len(irt) != 1 || irt[0] != "dunner.prev@northwind.example" {
		t.Errorf("In-Reply-To %v", irt)
	}
	if r.Header.Get("Auto-Submitted") != "auto-generated" || r.Header.Get("Content-Language") != "de" {
		t.Errorf("headers: %v", r.Header)
	}
	var texts []string
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p.Body)
		texts = append(texts, string(b))
	}
	if len(texts) != 2 || !strings.Contains(texts[0], "1.234,56 €") || !strings.Contains(texts[1], "<p>") {
		t.Errorf("parts = %q", texts)
	}
}

func TestSendIsIdempotent(t *testing.T) {
	dir := t.TempDir()
	o, _ := smtp.NewOutbox(dir)
	e := email()
	for i := 0; i < 3; i++ {
		if _, err := o.Send(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := os.ReadDir(dir)
	if len(files) != 1 {
		t.Errorf("%d files after three sends of one message, want 1", len(files))
	}
}

func TestNoHeaderInjection(t *testing.T) {
	e := email()
	e.Subject = "Reminder\r\nBcc: victim@evil.example"
	e.FromName = "Evil\nX-Injected: 1"
	m, err := smtp.Build(e)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if _, err := m.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	r, err := mail.CreateReader(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if r.Header.Get("Bcc") != "" || r.Header.Get("X-Injected") != "" {
		t.Errorf("header injected:\n%s", b.String())
	}
}
