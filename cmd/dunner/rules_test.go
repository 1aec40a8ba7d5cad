package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dunnerhq/dunner/agent"
	"github.com/dunnerhq/dunner/connectors/sqlite"
)

// contractConfig is SPEC §3's configuration as printed, with the test's
// outbox.
const contractConfig = `database: sqlite:var/dunner.db   # or postgres://…; --db overrides
company: {name: Northwind Supply S.L., email: ar@northwind.example, timezone: Europe/Madrid}
delivery: {outbox_dir: var/outbox}   # used when no SMTP server is configured
policies:
  standard:
    min_overdue_total: 50.00     # per currency; below it no notice
    min_days_between: 7          # days between two notices to one customer
    promise_grace_days: 3
    upcoming: {days: -5, template: upcoming}          # optional pre-due reminder
    levels:
      - {level: 1, days: 3,  template: reminder1}
      - {level: 2, days: 15, template: reminder2}
      - {level: 3, days: 30, template: final_notice, review: true, fee: 40.00, interest: 0.1015}
      - {level: 4, days: 45, action: escalate}        # a collector task, no email
customer_defaults: {policy: standard, language: en, timezone: Europe/Madrid, review: default}
customers:
  - id: C1001
    name: Müller Maschinenbau GmbH
    language: de                 # en | es | de
    timezone: Europe/Berlin
    policy: standard
    review: always               # always | never | default (the level decides)
    contacts: [{email: ap@mueller.example, role: billing}, {email: cfo@mueller.example, role: escalation}]
    templates: {reminder1: mueller-reminder1}
`

// planJSON is SPEC §3's dry-run document.
type planJSON struct {
	AsOf    string `json:"as_of"`
	Notices []struct {
		Customer string   `json:"customer"`
		Level    int      `json:"level"`
		Template string   `json:"template"`
		Language string   `json:"language"`
		To       []string `json:"to"`
		Items    []struct {
			Invoice     string `json:"invoice"`
			DaysPastDue int    `json:"days_past_due"`
			OpenAmount  string `json:"open_amount"`
			Currency    string `json:"currency"`
			Level       int    `json:"level"`
		} `json:"items"`
		Totals []struct {
			Currency string `json:"currency"`
			Overdue  string `json:"overdue"`
			Fees     string `json:"fees"`
			Interest string `json:"interest"`
		} `json:"totals"`
	} `json:"notices"`
	Upcoming []struct {
		Customer string   `json:"customer"`
		Items    []string `json:"items"`
	} `json:"upcoming"`
	Escalations []struct {
		Customer string `json:"customer"`
		Level    int    `json:"level"`
	} `json:"escalations"`
	Skipped []struct {
		Customer string `json:"customer"`
		Reason   string `json:"reason"`
	} `json:"skipped"`
}

func (h *harness) dryRun(asOf string) (planJSON, string) {
	h.t.Helper()
	out := h.ok("run", "--as-of", asOf, "--dry-run", "--json")
	var p planJSON
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		h.t.Fatalf("dry run is not JSON: %v\n%s", err, out)
	}
	return p, out
}

// contractHarness is a scratch store under SPEC §3's config, with a ledger.
func contractHarness(t *testing.T, ledger string) *harness {
	t.Helper()
	h := newHarness(t, "")
	h.config = h.write("dunner.yaml", contractConfig)
	h.ok("import", "ledger", h.write("ledger.csv", ledger))
	return h
}

// A customer's template override names a file the templates directory may
// not have (the spec's own config does not ship mueller-reminder1): the run
// must not fail for everyone; the notice goes out in the level's template.
func TestTemplateOverrideWithoutFileFallsBack(t *testing.T) {
	h := contractHarness(t, `customer_id,invoice,due_date,currency,open_amount
C1001,R-1001,2026-02-25,EUR,100.00
`)
	p, _ := h.dryRun("2026-03-01")
	if len(p.Notices) != 1 || p.Notices[0].Level != 1 || p.Notices[0].Template != "reminder1" {
		t.Fatalf("plan %+v", p)
	}
	h.ok("run", "--as-of", "2026-03-01")
	h.ok("drafts", "approve", "--all") // review: always
	h.ok("send", "--as-of", "2026-03-01")
	if got := outbox(t, h); len(got) != 1 || !strings.Contains(got[0], "R-1001") {
		t.Fatalf("outbox: %q", got)
	}
	// With the override on file (templates/ beside the config), it is used.
	os.Mkdir(filepath.Join(h.dir, "templates"), 0o755)
	h.write("templates/mueller-reminder1.de.tmpl", `{{define "subject"}}Müller-Erinnerung{{end}}`+
		`{{define "text"}}Eigene Worte: {{range .Notice.Items}}{{.Ref.Invoice}} {{end}}{{end}}`+
		`{{define "html"}}<table></table>{{end}}`)
	h.ok("import", "ledger", h.write("ledger.csv", `customer_id,invoice,due_date,currency,open_amount
C1001,R-1001,2026-02-25,EUR,100.00
C1001,R-1002,2026-03-04,EUR,100.00
`))
	h.ok("run", "--as-of", "2026-03-08")
	h.ok("drafts", "approve", "--all")
	h.ok("send", "--as-of", "2026-03-08")
	got := outbox(t, h)
	if len(got) != 2 || !strings.Contains(got[0]+got[1], "Eigene Worte: R-1001 R-1002") {
		t.Errorf("second notice not in the customer's template: %q", got)
	}
}

// outbox returns the messages written so far.
func outbox(t *testing.T, h *harness) []string {
	t.Helper()
	emls, _ := filepath.Glob(filepath.Join(h.dir, "outbox", "*.eml"))
	var out []string
	for _, p := range emls {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}

// SPEC §3: when credits cover the overdue total the customer is skipped,
// credit_covers, and flagged for cash application: one task, not one a day.
func TestCreditCoversFlagsCashApplication(t *testing.T) {
	h := contractHarness(t, `customer_id,invoice,doc_type,due_date,currency,open_amount
C1001,R-1,invoice,2026-02-20,EUR,100.00
C1001,CN-1,credit_note,2026-02-01,EUR,-60.00
C1001,P-1,payment,2026-02-03,EUR,-40.00
C1001,CN-USD,credit_note,2026-02-01,USD,-500.00
`)
	for _, day := range []string{"2026-03-01", "2026-03-02", "2026-03-09"} {
		p, _ := h.dryRun(day)
		if len(p.Skipped) != 1 || p.Skipped[0].Reason != "credit_covers" || len(p.Notices) != 0 {
			t.Fatalf("%s: plan %+v", day, p)
		}
		h.ok("run", "--as-of", day)
	}
	st, err := sqlite.Open(strings.TrimPrefix(h.env["DUNNER_DATABASE"], "sqlite:"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tasks, err := st.Tasks(t0ctx(), "C1001")
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks) != 1 || tasks[0].Kind != agent.TaskCashApplication {
		t.Fatalf("tasks %+v, want one cash_application", tasks)
	}
	var got []string
	for _, r := range tasks[0].Items {
		got = append(got, r.Invoice)
	}
	if strings.Join(got, ",") != "CN-1,P-1,R-1" {
		t.Errorf("task items %v: want the EUR credits and the overdue invoice, not the USD credit", got)
	}
}

// TestContractExample rebuilds SPEC §3's dry-run example through the CLI:
// history by run + approve + send, master data under the config, and the
// document compared key by key, in order.
func TestContractExample(t *testing.T) {
	h := contractHarness(t, `customer_id,invoice,doc_type,due_date,currency,open_amount
C1001,R-1001,invoice,2026-02-13,EUR,100.00
C1002,R-2001,invoice,2026-03-04,EUR,500.00
C1003,R-3001,invoice,2026-01-10,EUR,1000.00
C1004,R-4001,invoice,2026-02-20,EUR,49.99
C1005,R-5001,invoice,2026-02-01,EUR,100.00
`)
	// The master gives C1001 English and another address; the config's
	// entry wins field by field.
	h.ok("import", "customers", h.write("customers.csv", `customer_id,name,language,contacts,collector
C1001,Müller,en,billing:old@mueller.example,jonas
C1002,Zwei GmbH,de,billing:ap@zwei.example;escalation:boss@zwei.example,
C1003,Drei AG,,ap@drei.example,
`))
	for _, day := range []string{"2026-01-13", "2026-01-25", "2026-02-09", "2026-02-16"} {
		h.ok("run", "--as-of", day)
		h.ok("drafts", "approve", "--all")
		h.ok("send", "--as-of", day)
	}
	_, out := h.dryRun("2026-03-01")
	want := `{"as_of":"2026-03-01",` +
		`"notices":[{"customer":"C1001","level":2,"template":"reminder2","language":"de","to":["ap@mueller.example"],` +
		`"items":[{"invoice":"R-1001","days_past_due":16,"open_amount":"100.00","currency":"EUR","level":2}],` +
		`"totals":[{"currency":"EUR","overdue":"100.00","fees":"0.00","interest":"0.00"}]}],` +
		`"upcoming":[{"customer":"C1002","items":["R-2001"]}],` +
		`"escalations":[{"customer":"C1003","level":4}],` +
		`"skipped":[{"customer":"C1004","reason":"below_minimum"},{"customer":"C1005","reason":"no_contact"}]}`
	if got := compact(t, out); got != want {
		t.Errorf("dry run\n got %s\nwant %s", got, want)
	}
	// The run that writes prints the same plan.
	if got := compact(t, h.ok("run", "--as-of", "2026-03-01", "--json")); got != want {
		t.Errorf("run --json\n got %s\nwant %s", got, want)
	}
	var items []map[string]any
	if err := json.Unmarshal([]byte(h.ok("items", "list", "--json", "--as-of", "2026-03-01")), &items); err != nil {
		t.Fatal(err)
	}
	byInv := map[string]map[string]any{}
	for _, it := range items {
		byInv[it["invoice"].(string)] = it
		for _, k := range []string{"entity", "customer_id", "invoice", "doc_type", "due_date", "currency", "open_amount",
			"dunning_block", "last_level", "last_notice", "state"} {
			if _, ok := it[k]; !ok {
				t.Errorf("item %v has no %q", it["invoice"], k)
			}
		}
	}
	check := func(inv, key string, want any) {
		t.Helper()
		if got := byInv[inv][key]; got != want {
			t.Errorf("%s %s = %#v, want %#v", inv, key, got, want)
		}
	}
	check("R-1001", "last_level", 1.0)
	check("R-1001", "last_notice", "2026-02-16")
	check("R-1001", "dunning_block", nil)
	check("R-1001", "state", "open")
	check("R-3001", "last_level", 4.0) // the escalation recorded at once
	check("R-2001", "last_notice", nil)
	check("R-4001", "open_amount", "49.99")
}

func compact(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, s)
	}
	return b.String()
}

// TestClockAndHistoryThroughSends follows one customer through run,
// approve and send: the min_days_between clock starts when a notice is
// sent (not planned), upcoming reminders and escalations do not restart
// it, and item history survives partial payments, blocks and re-imports.
func TestClockAndHistoryThroughSends(t *testing.T) {
	h := contractHarness(t, `customer_id,invoice,due_date,currency,open_amount
C1001,A,2026-01-01,EUR,300.00
`)
	step := func(day string, approve, send bool) planJSON {
		t.Helper()
		p, _ := h.dryRun(day)
		h.ok("run", "--as-of", day)
		if approve {
			h.ok("drafts", "approve", "--all")
		}
		if send {
			h.ok("send", "--as-of", day)
		}
		return p
	}
	summary := func(p planJSON) string {
		var s []string
		for _, n := range p.Notices {
			s = append(s, "notice:"+strconv.Itoa(n.Level))
		}
		for _, u := range p.Upcoming {
			s = append(s, "upcoming:"+strings.Join(u.Items, "+"))
		}
		for _, e := range p.Escalations {
			s = append(s, "escalate:"+strconv.Itoa(e.Level))
		}
		for _, k := range p.Skipped {
			s = append(s, k.Reason)
		}
		return strings.Join(s, " ")
	}
	ledger := func(rows string) {
		h.ok("import", "ledger", h.write("ledger.csv", "customer_id,invoice,due_date,currency,open_amount,dunning_block\n"+rows))
	}
	for _, tt := range []struct {
		day           string
		ledger        string
		approve, send bool
		want          string
	}{
		// review: always holds level 1; approved and sent three days later.
		{day: "2026-02-01", want: "notice:1"},
		{day: "2026-02-04", approve: true, send: true, want: "notice:1"},
		// The clock runs from 02-04, the sending date, not 02-01.
		{day: "2026-02-10", want: "recently_contacted"},
		// A partial payment and a re-import keep A at level 1; B is new and
		// due in 3 days: an upcoming reminder, which does not restart the
		// clock.
		{day: "2026-02-11", ledger: "C1001,A,2026-01-01,EUR,200.00,\nC1001,B,2026-02-14,EUR,80.00,\n",
			approve: true, send: true, want: "notice:2 upcoming:B"},
		// A blocked for a while: B alone is due for level 1 (held, not
		// approved).
		{day: "2026-02-20", ledger: "C1001,A,2026-01-01,EUR,200.00,legal\nC1001,B,2026-02-14,EUR,80.00,\n", want: "notice:1"},
		// Unblocked: A climbs from 2 (its history survived the block) to 3;
		// the new plan replaces the held draft.
		{day: "2026-02-21", ledger: "C1001,A,2026-01-01,EUR,200.00,\nC1001,B,2026-02-14,EUR,80.00,\n",
			approve: true, send: true, want: "notice:3"},
		// Level 4 escalates after min_days_between and does not restart it:
		// C, new the next day, joins a level-4 plan at once.
		{day: "2026-02-27", want: "recently_contacted"},
		{day: "2026-02-28", want: "escalate:4"},
		{day: "2026-03-01", ledger: "C1001,A,2026-01-01,EUR,200.00,\nC1001,B,2026-02-14,EUR,80.00,\nC1001,C,2026-02-20,EUR,80.00,\n",
			want: "escalate:4"},
	} {
		if tt.ledger != "" {
			ledger(tt.ledger)
		}
		if got := summary(step(tt.day, tt.approve, tt.send)); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.day, got, tt.want)
		}
	}
	// Levels 1, 2 (with the upcoming reminder) and 3 went out by mail.
	if got := outbox(t, h); len(got) != 4 {
		t.Errorf("%d messages sent, want 4", len(got))
	}
}

// Without --as-of each customer is judged on today in their own zone, and
// a draft made for that day is sent the same day even where the company's
// calendar is still a day behind.
func TestTodayInEachCustomersZone(t *testing.T) {
	h := newHarness(t, "")
	h.config = h.write("dunner.yaml", contractConfig+`  - id: K
    timezone: Pacific/Kiritimati
    contacts: [{email: ap@k.example, role: billing}]
  - id: M
    contacts: [{email: ap@m.example, role: billing}]
`)
	h.ok("import", "ledger", h.write("ledger.csv", `customer_id,invoice,due_date,currency,open_amount
K,K-1,2026-02-28,EUR,100.00
M,M-1,2026-02-28,EUR,100.00
`))
	// 12:00 UTC: 13:00 on 03-02 in Madrid, 02:00 on 03-03 in Kiritimati.
	h.now = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	var p planJSON
	if err := json.Unmarshal([]byte(h.ok("run", "--dry-run", "--json")), &p); err != nil {
		t.Fatal(err)
	}
	if len(p.Notices) != 1 || p.Notices[0].Customer != "K" || p.Notices[0].Items[0].DaysPastDue != 3 {
		t.Fatalf("K is 3 days late in its zone (level 1), M 2 in Madrid: %+v", p)
	}
	h.ok("run")
	if out := h.ok("send"); !strings.HasPrefix(out, "sent 1,") {
		t.Errorf("send: %s", out)
	}
	// The notice is dated K's today, 03-03.
	var items []map[string]any
	if err := json.Unmarshal([]byte(h.ok("items", "list", "--json", "--customer", "K")), &items); err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0]["last_level"] != 1.0 || items[0]["last_notice"] != "2026-03-03" {
		t.Errorf("items %v", items)
	}
}

// A preview shows the template as the policy uses it: reminder1 charges
// nothing in the spec's policy, final_notice its fee and interest, and the
// upcoming template previews a pre-due reminder.
func TestPreviewFollowsThePolicyLevel(t *testing.T) {
	h := contractHarness(t, `customer_id,invoice,due_date,currency,open_amount
C2001,R-1,2026-02-25,EUR,100.00
`)
	r1 := h.ok("templates", "preview", "--customer", "C2001", "--template", "reminder1", "--lang", "en")
	if strings.Contains(r1, "Late payment fee") || strings.Contains(r1, "interest") {
		t.Errorf("reminder1 preview charges what level 1 does not:\n%s", r1)
	}
	final := h.ok("templates", "preview", "--customer", "C2001", "--template", "final_notice", "--lang", "en")
	if !strings.Contains(final, "Late payment fee                €40.00") || !strings.Contains(final, "10.15% a year") {
		t.Errorf("final_notice preview lacks level 3's fee and interest:\n%s", final)
	}
	up := h.ok("templates", "preview", "--template", "upcoming", "--lang", "en", "--part", "subject")
	r1s := h.ok("templates", "preview", "--template", "reminder1", "--lang", "en", "--part", "subject")
	if up == r1s {
		t.Errorf("upcoming preview has the reminder's subject %q", up)
	}
}

// SPEC §3: right before a draft is sent it is checked against the ledger.
// What a customer told us after the run (a dispute, a promise) and what a
// later import says (paid, partly paid) must reach the notice, whether the
// store knows nothing changed or must read the items again.
func TestSendRechecksTheLedger(t *testing.T) {
	ledger := `customer_id,invoice,due_date,currency,open_amount
C2001,A-1,2026-02-01,EUR,100.00
C2001,A-2,2026-02-01,EUR,200.00
C2002,B-1,2026-02-01,EUR,300.00
C2003,C-1,2026-02-01,EUR,400.00
C2003,C-2,2026-02-01,EUR,500.00
C2004,D-1,2026-02-01,EUR,600.00
`
	h := newHarness(t, "")
	h.config = h.write("dunner.yaml", contractConfig+`  - {id: C2001, contacts: [{email: ap@c2001.example}]}
  - {id: C2002, contacts: [{email: ap@c2002.example}]}
  - {id: C2003, contacts: [{email: ap@c2003.example}]}
  - {id: C2004, contacts: [{email: ap@c2004.example}]}
`)
	h.ok("import", "ledger", h.write("ledger.csv", ledger))
	h.ok("run", "--as-of", "2026-03-01")

	// After the run: A-2 disputed, B-1 promised (C2002 has nothing else).
	st, err := sqlite.Open(strings.TrimPrefix(h.env["DUNNER_DATABASE"], "sqlite:"))
	if err != nil {
		t.Fatal(err)
	}
	ref := func(cust, inv string) agent.Ref { return agent.Ref{Entity: "default", CustomerID: cust, Invoice: inv} }
	ev := agent.Event{At: testClock.Now(), Actor: "tester", Kind: "test"}
	if err := st.SetDispute(t0ctx(), ref("C2001", "A-2"), true, "wrong price", ev); err != nil {
		t.Fatal(err)
	}
	if err := st.SetPromise(t0ctx(), ref("C2002", "B-1"), agent.MustDate("2026-03-10"), ev); err != nil {
		t.Fatal(err)
	}
	st.Close()
	out := h.ok("send", "--as-of", "2026-03-01")
	if !strings.HasPrefix(out, "sent 3, withdrawn 1,") {
		t.Errorf("send: %s", out)
	}
	sent := func() map[string]string {
		byTo := map[string]string{}
		for _, m := range outbox(t, h) {
			for _, c := range []string{"C2001", "C2002", "C2003", "C2004"} {
				if strings.Contains(m, "ap@"+strings.ToLower(c)+".example") {
					byTo[c] = m
				}
			}
		}
		return byTo
	}
	got := sent()
	if m := got["C2001"]; !strings.Contains(m, "A-1") || strings.Contains(m, "A-2") {
		t.Errorf("C2001's notice must list A-1 and not the disputed A-2:\n%s", m)
	}
	if _, ok := got["C2002"]; ok {
		t.Errorf("C2002 promised to pay its only item, yet got a notice")
	}
	if m := got["C2003"]; !strings.Contains(m, "C-1") || !strings.Contains(m, "C-2") {
		t.Errorf("C2003's notice changed though nothing did:\n%s", m)
	}

	// A later import: C-1 paid, C-2 partly paid; D-1 paid, so C2004's
	// next notice is withdrawn.
	h.ok("import", "ledger", h.write("ledger.csv", ledger))
	h.ok("run", "--as-of", "2026-03-20")
	h.ok("drafts", "approve", "--all")
	h.ok("import", "ledger", h.write("ledger2.csv", `customer_id,invoice,due_date,currency,open_amount
C2001,A-1,2026-02-01,EUR,100.00
C2001,A-2,2026-02-01,EUR,200.00
C2002,B-1,2026-02-01,EUR,300.00
C2003,C-2,2026-02-01,EUR,123.45
`))
	before := len(outbox(t, h))
	out = h.ok("send", "--as-of", "2026-03-20")
	if !strings.Contains(out, "withdrawn 1,") {
		t.Errorf("send: %s", out)
	}
	var second []string
	for _, m := range outbox(t, h) {
		if strings.Contains(m, "ap@c2003.example") && strings.Contains(m, "123.45") {
			second = append(second, m)
		}
	}
	if len(second) != 1 || strings.Contains(second[0], "C-1") {
		t.Errorf("C2003's second notice must list C-2 at 123.45 and not the paid C-1; outbox grew by %d: %q",
			len(outbox(t, h))-before, second)
	}
}

// An invoice copy on file goes with the notice that lists the invoice, and
// only with that one.
func TestDocumentsOnFileGoWithTheNotice(t *testing.T) {
	h := newHarness(t, "")
	h.config = h.write("dunner.yaml", contractConfig+`  - {id: C2001, contacts: [{email: ap@c2001.example}]}
  - {id: C2002, contacts: [{email: ap@c2002.example}]}
`)
	h.ok("import", "ledger", h.write("ledger.csv", `customer_id,invoice,due_date,currency,open_amount
C2001,A-1,2026-02-01,EUR,100.00
C2002,B-1,2026-02-01,EUR,300.00
`))
	st, err := sqlite.Open(strings.TrimPrefix(h.env["DUNNER_DATABASE"], "sqlite:"))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.PutDocument(t0ctx(), &agent.Document{Ref: agent.Ref{Entity: "default", CustomerID: "C2001", Invoice: "A-1"},
		Kind: "invoice_copy", Name: "A-1-copy.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4 A-1"),
		FetchedAt: testClock.Now()}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	h.ok("run", "--as-of", "2026-03-01")
	h.ok("send", "--as-of", "2026-03-01")
	got := outbox(t, h)
	if len(got) != 2 {
		t.Fatalf("outbox: %d messages", len(got))
	}
	for _, m := range got {
		with := strings.Contains(m, `filename="A-1-copy.pdf"`)
		if want := strings.Contains(m, "ap@c2001.example"); with != want {
			t.Errorf("invoice copy attached: %v, want %v:\n%s", with, want, m)
		}
	}
}
