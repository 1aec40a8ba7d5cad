package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"

	"github.com/dunnerhq/dunner/agent"
	gosmtp "github.com/emersion/go-smtp"
)

// sink is an in-process SMTP server that answers by recipient local part:
// temp… 451, perm… 550, drop… drops the connection mid-DATA, else 250.
type sink struct {
	mu  sync.Mutex
	got map[string][]byte // Message-ID → message
	// onData, when set, hears of each message taken (n counts them).
	onData func(n int)
	n      int
}

type sinkSession struct {
	s  *sink
	c  *gosmtp.Conn
	to []string
}

func (s *sinkSession) Reset()                                 { s.to = nil }
func (s *sinkSession) Logout() error                          { return nil }
func (s *sinkSession) Mail(string, *gosmtp.MailOptions) error { return nil }
func (s *sinkSession) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	switch {
	case strings.HasPrefix(to, "temp"):
		return &gosmtp.SMTPError{Code: 451, EnhancedCode: gosmtp.EnhancedCode{4, 2, 0}, Message: "greylisted"}
	case strings.HasPrefix(to, "perm"):
		return &gosmtp.SMTPError{Code: 550, EnhancedCode: gosmtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	}
	s.to = append(s.to, to)
	return nil
}
func (s *sinkSession) Data(r io.Reader) error {
	if strings.HasPrefix(s.to[0], "drop") {
		io.CopyN(io.Discard, r, 64)
		s.c.Conn().Close()
		return errors.New("dropped")
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := mail.ReadMessage(strings.NewReader(string(b)))
	if err != nil {
		return err
	}
	s.s.mu.Lock()
	if _, twice := s.s.got[m.Header.Get("Message-Id")]; twice {
		s.s.got[m.Header.Get("Message-Id")+" (again)"] = b
	}
	s.s.got[m.Header.Get("Message-Id")] = b
	s.s.n++
	n, hook := s.s.n, s.s.onData
	s.s.mu.Unlock()
	if hook != nil {
		hook(n)
	}
	return nil
}

func startSink(t *testing.T) (*sink, string) {
	s := &sink{got: map[string][]byte{}}
	srv := gosmtp.NewServer(gosmtp.BackendFunc(func(c *gosmtp.Conn) (gosmtp.Session, error) {
		return &sinkSession{s: s, c: c}, nil
	}))
	srv.Domain = "sink.test"
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return s, l.Addr().String()
}

func sendConfig(addr string, customers string) string {
	host, port, _ := net.SplitHostPort(addr)
	return fmt.Sprintf(`database: sqlite:unused.db
company: {name: Northwind Supply S.L., email: ar@northwind.example, timezone: Europe/Madrid, domain: northwind.example}
delivery:
  smtp: {host: %s, port: %s, tls: none, connections: 2, timeout_seconds: 2, max_attempts: 2}
policies:
  standard:
    min_overdue_total: 1.00
    min_days_between: 7
    levels:
      - {level: 1, days: 1, template: reminder1}
      - {level: 2, days: 15, template: reminder2}
customer_defaults: {policy: standard, language: en, timezone: Europe/Madrid, review: never}
customers:
%s`, host, port, customers)
}

func TestSendOverSMTPFaults(t *testing.T) {
	s, addr := startSink(t)
	var custs, ledger strings.Builder
	ledger.WriteString("customer_id,invoice,due_date,currency,open_amount\n")
	kinds := map[string]string{}
	for i, kind := range []string{"ok", "ok", "ok", "temp", "perm", "drop"} {
		id := fmt.Sprintf("C%d", i)
		kinds[id] = kind
		fmt.Fprintf(&custs, "  - {id: %s, contacts: [{email: %s%d@cust.example, role: billing}]}\n", id, kind, i)
		fmt.Fprintf(&ledger, "%s,R-%d,2026-02-01,EUR,100.00\n", id, i)
	}
	h := newHarness(t, "")
	h.config = h.write("dunner.yaml", sendConfig(addr, custs.String()))
	h.ok("import", "ledger", h.write("ledger.csv", ledger.String()))
	h.ok("run", "--as-of", "2026-03-02")
	h.run("send", "--as-of", "2026-03-02") // some fail: exit 1 is expected
	states := draftStates(t, h)
	want := map[string]agent.DraftState{"ok": agent.Delivered, "temp": agent.Retrying, "perm": agent.Failed,
		"drop": agent.Uncertain}
	for id, kind := range kinds {
		if states[id] != want[kind] {
			t.Errorf("%s (%s): state %s, want %s", id, kind, states[id], want[kind])
		}
	}
	if len(s.got) != 3 {
		t.Errorf("sink got %d messages, want 3", len(s.got))
	}
	// The retry is due after its backoff; the test clock stands still, so
	// a later send finds nothing due and loses nothing.
	h.run("send", "--as-of", "2026-03-02")
	if got := draftStates(t, h); got["C3"] != agent.Retrying || got["C5"] != agent.Uncertain {
		t.Errorf("second pass changed settled states: %v", got)
	}
	// The refused address is marked undeliverable: C4 has no contact left.
	out := h.ok("run", "--as-of", "2026-03-20", "--dry-run", "--json")
	if !strings.Contains(out, `{"customer": "C4", "reason": "no_contact"}`) {
		t.Errorf("C4 should be no_contact after a 550:\n%s", out)
	}
	// A collector settles the uncertain one.
	id := draftIDs(t, h)["C5"]
	h.ok("drafts", "delivered", fmt.Sprint(id))
	if got := draftStates(t, h); got["C5"] != agent.Delivered {
		t.Errorf("confirmed uncertain draft is %s", got["C5"])
	}
}

func TestFollowUpThreadsUnderTheFirstNotice(t *testing.T) {
	s, addr := startSink(t)
	h := newHarness(t, "")
	h.config = h.write("dunner.yaml", sendConfig(addr, "  - {id: C1, name: \"Evil\\r\\nBcc: x@evil.example\", contacts: [{email: ap@c1.example, role: billing}]}\n"))
	h.ok("import", "ledger", h.write("ledger.csv", "customer_id,invoice,due_date,currency,open_amount\nC1,R-1,2026-02-01,EUR,100.00\n"))
	for _, d := range []string{"2026-02-02", "2026-02-16"} {
		h.ok("run", "--as-of", d)
		h.ok("send", "--as-of", d)
	}
	if len(s.got) != 2 {
		t.Fatalf("sink got %d messages", len(s.got))
	}
	var first, second *mail.Message
	for _, b := range s.got {
		m, _ := mail.ReadMessage(strings.NewReader(string(b)))
		if m.Header.Get("In-Reply-To") == "" {
			first = m
		} else {
			second = m
		}
	}
	if first == nil || second == nil {
		t.Fatal("want one first notice and one follow-up")
	}
	if second.Header.Get("In-Reply-To") != first.Header.Get("Message-Id") ||
		!strings.Contains(second.Header.Get("References"), first.Header.Get("Message-Id")) {
		t.Errorf("follow-up In-Reply-To %q, References %q; first is %q", second.Header.Get("In-Reply-To"),
			second.Header.Get("References"), first.Header.Get("Message-Id"))
	}
	rt, _ := mail.ParseAddress(first.Header.Get("Reply-To"))
	if rt == nil || !strings.HasPrefix(rt.Address, "ar+n") || !strings.HasSuffix(rt.Address, "@northwind.example") {
		t.Errorf("Reply-To %q: want ar+<notice tag>@northwind.example", first.Header.Get("Reply-To"))
	}
	if !strings.HasSuffix(first.Header.Get("Message-Id"), "@northwind.example>") ||
		first.Header.Get("Auto-Submitted") != "auto-generated" || first.Header.Get("Bcc") != "" {
		t.Errorf("headers: %v", first.Header)
	}
}

func draftStates(t *testing.T, h *harness) map[string]agent.DraftState {
	t.Helper()
	var drafts []agent.Draft
	if err := json.Unmarshal([]byte(h.ok("drafts", "list", "--state", "all", "--json")), &drafts); err != nil {
		t.Fatal(err)
	}
	out := map[string]agent.DraftState{}
	for _, d := range drafts {
		out[d.CustomerID] = d.State
	}
	return out
}

func draftIDs(t *testing.T, h *harness) map[string]int64 {
	t.Helper()
	var drafts []agent.Draft
	if err := json.Unmarshal([]byte(h.ok("drafts", "list", "--state", "all", "--json")), &drafts); err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, d := range drafts {
		out[d.CustomerID] = d.ID
	}
	return out
}

func TestSendWindowAndStatement(t *testing.T) {
	s, addr := startSink(t)
	h := newHarness(t, "")
	// The test clock says 09:00 UTC: 10:00 in Madrid, 04:00 in New York.
	cfg := strings.Replace(sendConfig(addr, `  - {id: MAD, name: Peñalara S.L., language: es, contacts: [{email: ap@mad.example, role: billing}]}
  - {id: NYC, name: Hudson Inc, timezone: America/New_York, contacts: [{email: ap@nyc.example, role: billing}]}
`), "delivery:\n", "delivery:\n  statement: true\n  window: {hours: \"08:00-18:00\", holidays: auto}\n", 1)
	h.config = h.write("dunner.yaml", cfg)
	h.ok("import", "ledger", h.write("ledger.csv", "customer_id,invoice,due_date,currency,open_amount\n"+
		"MAD,F-1,2026-02-01,EUR,1234.56\nNYC,I-1,2026-02-01,USD,99.00\n"))
	h.ok("run", "--as-of", "2026-03-02")
	out := h.ok("send", "--as-of", "2026-03-02")
	if !strings.Contains(out, "outside send window 1") {
		t.Errorf("New York at 04:00 must wait: %s", out)
	}
	if st := draftStates(t, h); st["MAD"] != agent.Delivered || st["NYC"] != agent.Approved {
		t.Errorf("states %v", st)
	}
	if len(s.got) != 1 {
		t.Fatalf("sink got %d", len(s.got))
	}
	for _, b := range s.got {
		msg := string(b)
		if !strings.Contains(msg, "application/pdf") || !strings.Contains(msg, "Estado-de-cuenta-MAD-2026-03-02.pdf") {
			t.Errorf("no Spanish statement attached:\n%.2000s", msg)
		}
	}
}

// TestEntitiesSendThroughTheirOwnServer: an entity with its own SMTP
// settings sends through them, as itself, with Message-IDs on its domain.
func TestEntitiesSendThroughTheirOwnServer(t *testing.T) {
	main, mainAddr := startSink(t)
	es, esAddr := startSink(t)
	eh, ep, _ := net.SplitHostPort(esAddr)
	cfg := strings.Replace(sendConfig(mainAddr, `  - {id: C1, contacts: [{email: ap@c1.example, role: billing}]}
  - {id: C2, contacts: [{email: ap@c2.example, role: billing}]}
`), "delivery:\n", fmt.Sprintf("delivery:\n  entities:\n    es01: {smtp: {host: %s, port: %s, tls: none, from: \"Northwind España <ar@northwind.es>\"}}\n", eh, ep), 1)
	h := newHarness(t, "")
	h.config = h.write("dunner.yaml", cfg)
	h.ok("import", "ledger", h.write("de.csv", "customer_id,invoice,due_date,currency,open_amount\nC1,D-1,2026-02-01,EUR,10.00\n"))
	h.ok("import", "ledger", "--entity", "es01", h.write("es.csv", "customer_id,invoice,due_date,currency,open_amount\nC2,E-1,2026-02-01,EUR,10.00\n"))
	h.ok("run", "--as-of", "2026-03-02")
	h.ok("send", "--as-of", "2026-03-02")
	if len(main.got) != 1 || len(es.got) != 1 {
		t.Fatalf("default server got %d, es01's got %d; want 1 each", len(main.got), len(es.got))
	}
	for id, b := range es.got {
		m, _ := mail.ReadMessage(strings.NewReader(string(b)))
		if !strings.HasSuffix(id, "@northwind.es>") || !strings.Contains(m.Header.Get("From"), "ar@northwind.es") {
			t.Errorf("es01 notice: Message-ID %s, From %s", id, m.Header.Get("From"))
		}
	}
	for id := range main.got {
		if !strings.HasSuffix(id, "@northwind.example>") {
			t.Errorf("default notice Message-ID %s", id)
		}
	}
}

// A send pass cancelled midway (the daemon stopping) hands back the
// drafts it claimed and had not started: none is left in "sending" to
// wait out the lease, and the next pass sends each remaining notice once.
func TestCancelledSendHandsBackItsClaims(t *testing.T) {
	s, addr := startSink(t)
	var custs, ledger strings.Builder
	ledger.WriteString("customer_id,invoice,due_date,currency,open_amount\n")
	const n = 60
	for i := 0; i < n; i++ {
		fmt.Fprintf(&custs, "  - {id: C%d, contacts: [{email: ap%d@cust.example, role: billing}]}\n", i, i)
		fmt.Fprintf(&ledger, "C%d,R-%d,2026-02-01,EUR,100.00\n", i, i)
	}
	h := newHarness(t, "")
	h.config = h.write("dunner.yaml", sendConfig(addr, custs.String()))
	h.ok("import", "ledger", h.write("ledger.csv", ledger.String()))
	h.ok("run", "--as-of", "2026-03-02")

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.mu.Lock()
	s.onData = func(got int) {
		if got == 5 {
			cancel()
		}
	}
	s.mu.Unlock()
	h.ctx = ctx
	h.run("send", "--as-of", "2026-03-02")
	h.ctx = nil
	count := map[agent.DraftState]int{}
	for _, st := range draftStates(t, h) {
		count[st]++
	}
	if count[agent.Sending] != 0 || count[agent.Delivered] < 5 || count[agent.Delivered] == n ||
		count[agent.Delivered]+count[agent.Approved] != n {
		t.Fatalf("after the cancel: %v, want 5 or a few more delivered, the rest approved, none sending", count)
	}
	s.mu.Lock()
	s.onData = nil
	s.mu.Unlock()
	h.ok("send", "--as-of", "2026-03-02")
	if got := draftStates(t, h); len(got) != n {
		t.Fatalf("%d drafts", len(got))
	}
	for id, st := range draftStates(t, h) {
		if st != agent.Delivered {
			t.Errorf("%s: %s after the second pass", id, st)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.got) != n {
		t.Errorf("the sink has %d messages for %d notices (twice: any key ending in \"(again)\")", len(s.got), n)
	}
}
