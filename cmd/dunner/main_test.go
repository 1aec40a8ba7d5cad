package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dunnerhq/dunner/agent"
	"github.com/dunnerhq/dunner/configs"
	"github.com/emersion/go-message/mail"
)

var testClock = agent.FixedClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))

func t0ctx() context.Context { return context.Background() }

// harness runs dunner commands against one scratch database and outbox.
type harness struct {
	t      *testing.T
	dir    string
	config string
	env    map[string]string
	// newPortal, when set, stands in for Chromium-driven portals.
	newPortal func(*configs.Portal) (agent.Portal, error)
	// now, when set, is the commands' clock (default testClock).
	now time.Time
	// ctx, when set, is the commands' context.
	ctx context.Context
}

func newHarness(t *testing.T, config string) *harness {
	t.Helper()
	h := &harness{t: t, dir: t.TempDir(), env: map[string]string{}}
	h.env["DUNNER_DATABASE"] = "sqlite:" + filepath.Join(h.dir, "dunner.db")
	h.env["DUNNER_OUTBOX_DIR"] = filepath.Join(h.dir, "outbox")
	h.env["DUNNER_USER"] = "tester"
	h.config = config
	return h
}

// run executes one command and returns exit code, stdout and stderr.
func (h *harness) run(args ...string) (int, string, string) {
	h.t.Helper()
	var out, errb bytes.Buffer
	if h.config != "" {
		args = append([]string{"--config", h.config}, args...)
	}
	clock := testClock
	if !h.now.IsZero() {
		clock = agent.FixedClock(h.now)
	}
	ctx := h.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	code := Main(ctx, args, Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Clock:  clock,
		Getenv: func(k string) string { return h.env[k] }, NewPortal: h.newPortal})
	return code, out.String(), errb.String()
}

func (h *harness) ok(args ...string) string {
	h.t.Helper()
	code, out, errs := h.run(args...)
	if code != 0 {
		h.t.Fatalf("dunner %s: exit %d\n%s\n%s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

func (h *harness) write(name, content string) string {
	h.t.Helper()
	p := filepath.Join(h.dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		h.t.Fatal(err)
	}
	return p
}

func repoFile(t *testing.T, rel string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "..", rel))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDemoEndToEnd(t *testing.T) {
	h := newHarness(t, repoFile(t, "configs/demo.yaml"))
	out := h.ok("demo")
	if !strings.Contains(out, "notices") {
		t.Errorf("demo output:\n%s", out)
	}
	emls, _ := filepath.Glob(filepath.Join(h.dir, "outbox", "*.eml"))
	if len(emls) == 0 {
		t.Fatal("demo wrote no .eml files")
	}
	for _, p := range emls {
		checkEML(t, p)
	}
	// A second demo changes nothing: same ledger, same date.
	h.ok("demo")
	again, _ := filepath.Glob(filepath.Join(h.dir, "outbox", "*.eml"))
	if len(again) != len(emls) {
		t.Errorf("second demo wrote %d more files", len(again)-len(emls))
	}
	// Held drafts wait for review; approving and sending delivers them.
	var pending []agent.Draft
	if err := json.Unmarshal([]byte(h.ok("drafts", "list", "--json")), &pending); err != nil {
		t.Fatal(err)
	}
	if len(pending) == 0 {
		t.Fatal("the demo should leave drafts for review")
	}
	h.ok("drafts", "approve", "--all")
	h.ok("send", "--as-of", "2026-03-02")
	final, _ := filepath.Glob(filepath.Join(h.dir, "outbox", "*.eml"))
	if len(final) != len(emls)+len(pending) {
		t.Errorf("after approving %d drafts: %d files, want %d", len(pending), len(final), len(emls)+len(pending))
	}
}

// checkEML parses an outbox file as a mail client would.
func checkEML(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := mail.CreateReader(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	hdr := r.Header
	for _, k := range []string{"Message-Id", "Date", "From", "To", "Subject", "Auto-Submitted", "Content-Language"} {
		if hdr.Get(k) == "" {
			t.Errorf("%s: no %s header", path, k)
		}
	}
	if subj, err := hdr.Subject(); err != nil || subj == "" {
		t.Errorf("%s: subject %q, %v", path, subj, err)
	}
	mt, _, _ := mime.ParseMediaType(hdr.Get("Content-Type"))
	if mt != "multipart/alternative" {
		t.Errorf("%s: Content-Type %s, want multipart/alternative", path, mt)
	}
	parts := map[string]string{}
	for {
		p, err := r.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		b, _ := io.ReadAll(p.Body)
		parts[ct] = string(b)
	}
	if !strings.Contains(parts["text/html"], "<table") || parts["text/plain"] == "" {
		t.Errorf("%s: want a text part and an HTML part with the invoice table, got %v", path, keys(parts))
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestDryRunIsDeterministic(t *testing.T) {
	h := newHarness(t, repoFile(t, "configs/demo.yaml"))
	h.ok("import", "customers", repoFile(t, "configs/demo/customers.csv"))
	h.ok("import", "ledger", repoFile(t, "configs/demo/ledger.csv"))
	a := h.ok("run", "--as-of", "2026-03-02", "--dry-run", "--json")
	b := h.ok("run", "--dry-run", "--json", "--as-of", "2026-03-02")
	if a != b {
		t.Fatal("same ledger and date gave different plans")
	}
	var plan map[string]json.RawMessage
	if err := json.Unmarshal([]byte(a), &plan); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"as_of", "notices", "upcoming", "escalations", "skipped"} {
		if _, ok := plan[k]; !ok {
			t.Errorf("plan has no %q", k)
		}
	}
	if len(plan) != 5 {
		t.Errorf("plan has extra keys: %v", plan)
	}
	// A dry run writes nothing.
	if out := h.ok("drafts", "list", "--json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("dry run wrote drafts: %s", out)
	}
}

const replayConfig = `database: sqlite:unused.db
company: {name: Northwind Supply S.L., email: ar@northwind.example, timezone: Europe/Madrid}
policies:
  standard:
    min_overdue_total: 50.00
    min_days_between: 7
    promise_grace_days: 3
    upcoming: {days: -5, template: upcoming}
    levels:
      - {level: 1, days: 3,  template: reminder1}
      - {level: 2, days: 15, template: reminder2}
      - {level: 3, days: 30, template: final_notice, review: true, fee: 40.00, interest: 0.1015}
      - {level: 4, days: 45, action: escalate}
customer_defaults: {policy: standard, language: en, timezone: Europe/Madrid, review: default}
customers:
  - {id: A, name: Alpha GmbH, language: de, timezone: Europe/Berlin, contacts: [{email: ap@alpha.example, role: billing}]}
  - {id: B, name: Beta S.L., language: es, contacts: [{email: ap@beta.example, role: billing}]}
  - {id: C, name: Gamma Ltd, contacts: [{email: ap@gamma.example, role: billing}]}
  - {id: D, name: Delta Inc, review: always, timezone: America/New_York, contacts: [{email: ap@delta.example, role: billing}]}
`

// TestReplay90Days runs run + approve + send for 90 days and checks the
// sequence of notices each customer received.
func TestReplay90Days(t *testing.T) {
	h := newHarness(t, "")
	h.config = h.write("dunner.yaml", replayConfig)
	h.write("ledger.csv", `customer_id,invoice,doc_type,due_date,currency,open_amount
A,A-1,invoice,2026-01-01,EUR,500.00
B,B-1,invoice,2026-01-10,EUR,30.00
B,B-2,,2026-01-20,EUR,30.00
C,C-1,invoice,2026-01-05,EUR,100.00
C,C-2,credit_note,2025-12-20,EUR,-100.00
D,D-1,invoice,2026-01-03,USD,1000.00
`)
	h.ok("import", "ledger", filepath.Join(h.dir, "ledger.csv"))
	start := agent.MustDate("2026-01-01")
	for day := 0; day <= 90; day++ {
		d := start.AddDays(day).String()
		if day == 40 {
			// C's credit note is applied: now C owes 100.
			h.write("ledger.csv", `customer_id,invoice,due_date,currency,open_amount
A,A-1,2026-01-01,EUR,500.00
B,B-1,2026-01-10,EUR,30.00
B,B-2,2026-01-20,EUR,30.00
C,C-1,2026-01-05,EUR,100.00
D,D-1,2026-01-03,USD,1000.00
`)
			h.ok("import", "ledger", filepath.Join(h.dir, "ledger.csv"))
		}
		h.ok("run", "--as-of", d)
		h.ok("drafts", "approve", "--all")
		h.ok("send", "--as-of", d)
	}
	var drafts []agent.Draft
	if err := json.Unmarshal([]byte(h.ok("drafts", "list", "--state", "delivered", "--json")), &drafts); err != nil {
		t.Fatal(err)
	}
	got, upcoming := map[string]string{}, map[string]string{}
	for _, d := range drafts {
		if d.Kind == agent.KindUpcoming {
			upcoming[d.CustomerID] += d.AsOf.String() + " "
			continue
		}
		got[d.CustomerID] += fmt.Sprintf("%s:L%d ", d.AsOf, d.Level)
	}
	// Upcoming reminders: 0–5 days before the due date, once per item.
	wantUp := map[string]string{"A": "2026-01-01 ", "B": "2026-01-05 2026-01-15 ", "C": "2026-01-01 ", "D": "2026-01-01 "}
	for c, w := range wantUp {
		if upcoming[c] != w {
			t.Errorf("customer %s upcoming reminders: got %q, want %q", c, upcoming[c], w)
		}
	}
	want := map[string]string{
		// A: due 01-01; level 1 at dpd 3, level 2 at 15, level 3 at 30 (held,
		// approved the same day), then escalation at 45: a task, no email.
		"A": "2026-01-04:L1 2026-01-16:L2 2026-01-31:L3 ",
		// B: 60.00 overdue reaches the minimum only once B-2 is overdue
		// (01-21); B-1 is then 11 days late (level 1), B-2 joins at level 0.
		// Next: B-1 reaches 15 on 01-25 but min_days_between holds until
		// 01-28 (B-1 → 2, B-2 → 1). B-2 reaches 15 on 02-04 (→ 2). B-1
		// reaches 30 on 02-09 but the clock holds until 02-11 (→ 3). B-2
		// reaches 30 on 02-19 (→ 3) while B-1 stays at 3: a second level 3.
		"B": "2026-01-21:L1 2026-01-28:L2 2026-02-04:L2 2026-02-11:L3 2026-02-19:L3 ",
		// C: the credit note covers until it is applied on day 40 (02-10);
		// C-1 is 36 days late then but climbs one level per notice.
		"C": "2026-02-10:L1 2026-02-17:L2 2026-02-24:L3 ",
		// D: review always; New York dates; same ladder as A from 01-03.
		"D": "2026-01-06:L1 2026-01-18:L2 2026-02-02:L3 ",
	}
	for c, w := range want {
		if got[c] != w {
			t.Errorf("customer %s notices:\n got %s\nwant %s", c, got[c], w)
		}
	}
	out := h.ok("items", "list", "--json", "--as-of", "2026-04-01")
	var items []map[string]any
	if err := json.Unmarshal([]byte(out), &items); err != nil {
		t.Fatalf("items list: %v\n%s", err, out)
	}
	levels := map[string]float64{}
	for _, it := range items {
		levels[it["invoice"].(string)] = it["last_level"].(float64)
	}
	// Escalation (level 4) recorded for items past 45 days after their level 3.
	for _, inv := range []string{"A-1", "B-1", "B-2", "C-1", "D-1"} {
		if levels[inv] != 4 {
			t.Errorf("%s last level %v, want 4 (escalated)", inv, levels[inv])
		}
	}
}

func TestImportErrorsChangeNothing(t *testing.T) {
	h := newHarness(t, repoFile(t, "configs/demo.yaml"))
	good := h.write("good.csv", "customer_id,invoice,due_date,currency,open_amount\nC1,R-1,2026-01-01,EUR,10.00\n")
	h.ok("import", "ledger", good)
	before := h.ok("items", "list", "--json", "--as-of", "2026-03-01")
	tests := []struct {
		name, content string
		want          []string
	}{
		{"missing column", "customer_id,invoice,currency,open_amount\nC1,R-1,EUR,1\n", []string{"due_date"}},
		{"bad date and amount", "customer_id,invoice,due_date,currency,open_amount\nC1,R-1,2026-13-01,EUR,1\nC1,R-2,2026-01-01,EUR,abc\n",
			[]string{":2: due_date", ":3: open_amount"}},
		{"duplicate", "customer_id,invoice,due_date,currency,open_amount\nC1,R-1,2026-01-01,EUR,1\nC1,R-1,2026-01-02,EUR,2\n",
			[]string{":3:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := h.write("bad.csv", tt.content)
			code, _, errs := h.run("import", "ledger", p)
			if code != 2 {
				t.Fatalf("exit %d, want 2; stderr %s", code, errs)
			}
			for _, w := range tt.want {
				if !strings.Contains(errs, "bad.csv") || !strings.Contains(errs, w) {
					t.Errorf("stderr %q does not name %q", errs, w)
				}
			}
			if after := h.ok("items", "list", "--json", "--as-of", "2026-03-01"); after != before {
				t.Errorf("a refused import changed the store")
			}
		})
	}
	// Semicolons, BOM and decimal commas are fine.
	semi := h.write("semi.csv", "\ufeffcustomer_id;invoice;due_date;currency;open_amount\nC1;R-1;2026-01-01;EUR;1.234,56\n")
	h.ok("import", "ledger", semi)
	if out := h.ok("items", "list", "--json"); !strings.Contains(out, `"open_amount": "1234.56"`) &&
		!strings.Contains(out, `"open_amount":"1234.56"`) {
		t.Errorf("decimal comma not read: %s", out)
	}
}

func TestUsageErrors(t *testing.T) {
	h := newHarness(t, repoFile(t, "configs/demo.yaml"))
	for _, args := range [][]string{{"frobnicate"}, {"run", "--as-of", "yesterday"}, {"drafts", "show", "x"},
		{"drafts", "show", "999"}, {"import", "ledger"}, {"--log-format", "xml", "version"}} {
		if code, _, errs := h.run(args...); code != 2 || errs == "" {
			t.Errorf("dunner %v: exit %d, stderr %q; want 2 and a message", args, code, errs)
		}
	}
	bad := h.write("bad.yaml", "policies:\n  standard:\n    min_overdue_total: lots\n")
	h.config = bad
	code, _, errs := h.run("run", "--dry-run")
	if code != 2 || !strings.Contains(errs, "bad.yaml:3") {
		t.Errorf("bad config: exit %d, stderr %q", code, errs)
	}
}

// With no config file in reach (no --config, no dunner.yaml, no
// configs/demo.yaml: the tests run in cmd/dunner) the built-in config
// applies, so an import and a dry run work in any directory.
func TestBuiltinConfigWhenNoneIsFound(t *testing.T) {
	for _, p := range []string{"dunner.yaml", "configs/demo.yaml"} {
		if _, err := os.Stat(p); err == nil {
			t.Fatalf("%s exists in the test's directory: the test needs a directory without a config", p)
		}
	}
	h := newHarness(t, "")
	h.ok("import", "ledger", h.write("ledger.csv", `customer_id,invoice,due_date,currency,open_amount
C1,R-1,2026-02-20,EUR,100.00
`))
	out := h.ok("run", "--dry-run", "--json", "--as-of", "2026-03-01")
	// The built-in standard policy: nine days past due is level 1, and a
	// customer only in the ledger has no contact.
	if !strings.Contains(out, `{"customer": "C1", "reason": "no_contact"}`) {
		t.Fatalf("dry run with the built-in config:\n%s", out)
	}
}
