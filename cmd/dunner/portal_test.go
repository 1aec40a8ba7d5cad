package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dunnerhq/dunner/agent"
	"github.com/dunnerhq/dunner/configs"
	"github.com/dunnerhq/dunner/connectors/sqlite"
	"github.com/dunnerhq/dunner/internal/testservers"
	"github.com/dunnerhq/dunner/jobs"
)

// fakePortal answers from a table, as a portal would after the flow ran.
type fakePortal struct {
	answers map[string]agent.PortalInvoice
	err     error
	asked   *[]agent.PortalRequest
}

func (f fakePortal) Fetch(_ context.Context, req agent.PortalRequest) (*agent.PortalResult, error) {
	*f.asked = append(*f.asked, req)
	if f.err != nil {
		return nil, f.err
	}
	res := &agent.PortalResult{CustomerID: req.CustomerID}
	for _, inv := range req.Invoices {
		a, ok := f.answers[inv]
		if !ok {
			a = agent.PortalInvoice{Status: agent.PortalUnknown}
		}
		a.Invoice = inv
		res.Invoices = append(res.Invoices, a)
	}
	return res, nil
}

const portalConfig = `company: {name: Northwind Supply S.L., email: ar@northwind.example, timezone: Europe/Madrid}
policies:
  standard:
    min_overdue_total: 1.00
    promise_grace_days: 3
    levels: [{level: 1, days: 1, template: reminder1}]
customer_defaults: {policy: standard, language: en, timezone: Europe/Madrid, review: never}
customers:
  - {id: C1, name: Müller GmbH, contacts: [{email: ap@mueller.example, role: billing}]}
  - {id: C2, name: Gamma Ltd, contacts: [{email: ap@gamma.example, role: billing}]}
schedule: {portals: "15 5 * * 1-5"}
portals:
  - customer: C1
    url: https://suppliers.mueller.example
    login: [{goto: /login}]
  - customer: C2
    url: https://gamma.example/ap
    login: [{goto: /}]
`

func pdfDoc(name, kind string) *agent.Document {
	return &agent.Document{Kind: kind, Name: name, ContentType: "application/pdf", Data: []byte("%PDF-1.4 " + name),
		FetchedAt: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)}
}

// TestPortalFetchEffects runs `portal fetch` with a fake portal and checks
// what it does: documents filed for the items (so they go with notices),
// scheduled and paid invoices payment-advised, a rejection disputed with a
// task, nothing twice on a second run.
func TestPortalFetchEffects(t *testing.T) {
	h := newHarness(t, "")
	h.config = h.write("dunner.yaml", portalConfig)
	var asked []agent.PortalRequest
	c1 := fakePortal{asked: &asked, answers: map[string]agent.PortalInvoice{
		"INV-1": {Found: true, Status: agent.PortalScheduled, StatusText: "Zahlung geplant", Date: agent.MustDate("2026-03-20"),
			Documents: []*agent.Document{pdfDoc("INV-1.pdf", "invoice_copy"), pdfDoc("POD-INV-1.pdf", "pod")}},
		"INV-2": {Found: true, Status: agent.PortalRejected, StatusText: "Abgelehnt", Reason: "Preis weicht von Bestellung ab"},
		"INV-3": {Found: true, Status: agent.PortalPaid, StatusText: "Bezahlt"},
	}}
	c2 := fakePortal{asked: &asked, err: errors.New("portal C2: login step 1 (goto \"/\"): timed out")}
	h.portals(map[string]agent.Portal{"C1": c1, "C2": c2})
	h.ok("import", "ledger", h.write("ledger.csv", `customer_id,invoice,due_date,currency,open_amount
C1,INV-1,2026-02-01,EUR,1000.00
C1,INV-2,2026-02-01,EUR,500.00
C1,INV-3,2026-02-01,EUR,300.00
C1,INV-4,2026-02-01,EUR,200.00
C1,CN-1,2026-02-01,EUR,-50.00
C2,G-77,2026-02-01,EUR,200.00
`))

	var sum jobs.PortalSummary
	out := h.ok("portal", "fetch", "--customer", "C1", "--json")
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(asked) != 1 || strings.Join(asked[0].Invoices, ",") != "INV-1,INV-2,INV-3,INV-4" {
		t.Errorf("asked the portal %+v, want the open invoices of C1", asked)
	}
	if sum.Customers != 1 || len(sum.Invoices) != 4 || sum.Documents != 2 || sum.Advised != 2 || sum.Disputed != 1 ||
		sum.Tasks != 1 || len(sum.Failed) != 0 {
		t.Errorf("summary %+v", sum)
	}

	items := map[string]map[string]any{}
	var list []map[string]any
	json.Unmarshal([]byte(h.ok("items", "list", "--customer", "C1", "--json", "--as-of", "2026-03-02")), &list)
	for _, it := range list {
		items[it["invoice"].(string)] = it
	}
	for inv, want := range map[string][2]string{
		"INV-1": {"advised", "2026-03-20"}, "INV-2": {"disputed", ""}, "INV-3": {"advised", "2026-03-02"},
		"INV-4": {"open", ""},
	} {
		it := items[inv]
		if it["state"] != want[0] || (want[1] != "" && it["advised_date"] != want[1]) {
			t.Errorf("%s: state %v advised %v, want %s %s", inv, it["state"], it["advised_date"], want[0], want[1])
		}
	}
	if r := items["INV-2"]["dispute_reason"]; r != "Preis weicht von Bestellung ab" {
		t.Errorf("dispute reason %v", r)
	}

	st, err := sqlite.Open(strings.TrimPrefix(h.env["DUNNER_DATABASE"], "sqlite:"))
	if err != nil {
		t.Fatal(err)
	}
	ref := agent.Ref{Entity: "default", CustomerID: "C1", Invoice: "INV-1"}
	docs, err := st.Documents(t0ctx(), []agent.Ref{ref})
	if err != nil || len(docs) != 2 || docs[0].Ref != ref || !strings.HasPrefix(string(docs[0].Data), "%PDF") {
		t.Errorf("documents %+v, %v", docs, err)
	}
	tasks, _ := st.Tasks(t0ctx(), "C1")
	if len(tasks) != 1 || tasks[0].Kind != agent.TaskPortalDispute || !strings.Contains(tasks[0].Note, "Abgelehnt") {
		t.Errorf("tasks %+v", tasks)
	}
	st.Close()

	// The same answers again: nothing new to record.
	json.Unmarshal([]byte(h.ok("portal", "fetch", "--customer", "C1", "--json")), &sum)
	if sum.Advised != 0 || sum.Disputed != 0 || sum.Tasks != 0 || sum.Documents != 2 {
		t.Errorf("second run %+v", sum)
	}

	// One invoice: only it is asked for; the table names what was found.
	asked = nil
	out = h.ok("portal", "fetch", "--customer", "C1", "--invoice", "INV-1")
	if len(asked) != 1 || strings.Join(asked[0].Invoices, ",") != "INV-1" || !strings.Contains(out, "Zahlung geplant") ||
		!strings.Contains(out, "invoice_copy:INV-1.pdf, pod:POD-INV-1.pdf") {
		t.Errorf("asked %+v; printed\n%s", asked, out)
	}

	// Usage errors exit 2; a failed visit exits 1 and names the customer.
	for _, args := range [][]string{
		{"portal", "fetch"}, {"portal", "fetch", "--customer", "C9"}, {"portal", "fetch", "--customer", "C1", "--invoice", "NOPE"},
		{"portal", "fetch", "--customer", "C1", "--invoice", "CN-1"}, {"portal", "peek"},
	} {
		if code, _, errs := h.run(args...); code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, errs)
		}
	}
	code, out, errs := h.run("jobs", "run", "portals")
	if code != 1 || !strings.Contains(errs, "portal C2: login step 1") || !strings.Contains(out, "INV-1") {
		t.Errorf("jobs run portals: exit %d\n%s\n%s", code, out, errs)
	}
	if out := h.ok("jobs", "list"); !strings.Contains(out, "portals  15 5 * * 1-5") {
		t.Errorf("jobs list:\n%s", out)
	}
}

// portals makes the harness use these portals instead of Chromium.
func (h *harness) portals(by map[string]agent.Portal) {
	h.newPortal = func(pc *configs.Portal) (agent.Portal, error) {
		if p, ok := by[pc.Customer]; ok {
			return p, nil
		}
		return nil, errors.New("no fake portal for " + pc.Customer)
	}
}

// TestPortalFetchChromium runs a YAML flow in the real Chromium against the
// fake supplier portal: the config reaches the connector as written, the
// password comes from its file, and the effects land in the store.
func TestPortalFetchChromium(t *testing.T) {
	bin := testservers.Chromium(t)
	srv := testservers.FakePortal(t)
	h := newHarness(t, "")
	h.env["DUNNER_CHROMIUM"] = bin
	h.write("acme.secret", testservers.FakePortalPassword+"\n")
	h.config = h.write("dunner.yaml", `company: {name: Northwind Supply S.L., email: ar@northwind.example, timezone: Europe/Madrid}
policies:
  standard:
    levels: [{level: 1, days: 1, template: reminder1}]
customers:
  - {id: C1001, name: Acme Corp, contacts: [{email: ap@acme.example, role: billing}]}
portals:
  - customer: C1001
    url: `+srv.URL+`
    username: `+testservers.FakePortalUser+`
    password_file: acme.secret
    timeout_seconds: 10
    screenshots_dir: screens
    login:
      - goto: /login
      - {fill: "#username", value: "{username}"}
      - {fill: "#password", value: "{password}"}
      - {click: "#signin", navigates: true}
      - wait: "#search-form"
    invoice:
      - goto: "/invoices?q={invoice}"
      - wait: "#results"
      - table: {rows: "#results tbody tr", columns: {invoice: "Invoice #", status: Status, date: Payment date, reason: Comments}}
      - {click: "a[data-invoice='{invoice}']", navigates: true, if_found: true}
      - {download: "#invoice-copy", kind: invoice_copy, via: click, if_found: true}
      - {download: "#pod", kind: pod, optional: true, if_found: true}
`)
	h.ok("import", "ledger", h.write("ledger.csv", `customer_id,invoice,due_date,currency,open_amount
C1001,INV-1001,2026-02-01,EUR,1000.00
C1001,INV-1003,2026-02-01,EUR,500.00
C1001,INV-1004,2026-02-01,EUR,300.00
`))
	var sum jobs.PortalSummary
	out := h.ok("portal", "fetch", "--customer", "C1001", "--json")
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	got := map[string]string{}
	for _, r := range sum.Invoices {
		got[r.Invoice] = fmt.Sprintf("%s %s %v %s", r.Status, r.Date, r.Documents, r.Error)
	}
	want := map[string]string{
		"INV-1001": "scheduled 2026-03-20 [invoice_copy:INV-1001.pdf pod:INV-1001-POD.pdf] ",
		"INV-1003": "rejected  [invoice_copy:INV-1003.pdf] ",
		"INV-1004": "unknown  [] ",
	}
	for inv, w := range want {
		if got[inv] != w {
			t.Errorf("%s: got %q, want %q", inv, got[inv], w)
		}
	}
	if sum.Advised != 1 || sum.Disputed != 1 || sum.Documents != 3 {
		t.Errorf("summary %+v", sum)
	}
}
