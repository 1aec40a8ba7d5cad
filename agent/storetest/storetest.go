// Package storetest is the conformance suite every agent.Store passes. Each
// backend's tests call Run with a constructor for an empty store, so SQLite
// and PostgreSQL are held to the same behaviour.
package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/dunnerhq/dunner/agent"
	"github.com/shopspring/decimal"
)

// Run runs the suite; open returns a new, empty store.
func Run(t *testing.T, open func(t *testing.T) agent.Store) {
	tests := []struct {
		name string
		fn   func(*testing.T, agent.Store)
	}{
		{"ImportSnapshot", testImportSnapshot},
		{"ImportKeepsOtherEntities", testImportKeepsOtherEntities},
		{"ImportRoundTrip", testImportRoundTrip},
		{"ScanGroupsByCustomer", testScanGroupsByCustomer},
		{"ItemState", testItemState},
		{"Customers", testCustomers},
		{"DraftLifecycle", testDraftLifecycle},
		{"DraftCompareAndSet", testDraftCompareAndSet},
		{"RunSupersedesAndEscalates", testRunSupersedesAndEscalates},
		{"LevelsNeverGoDown", testLevelsNeverGoDown},
		{"EventsAppendOnly", testEvents},
		{"Documents", testDocuments},
		{"Inbound", testInbound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() { s.Close() })
			tt.fn(t, s)
		})
	}
}

var (
	ctx = context.Background()
	t0  = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func item(cust, inv, open string) agent.Item {
	return agent.Item{CustomerID: cust, Invoice: inv, DocType: agent.DocInvoice, DueDate: agent.MustDate("2026-02-01"),
		Currency: "EUR", OpenAmount: dec(open)}
}

func scanAll(t *testing.T, s agent.Store, cust string) map[string]agent.OpenItem {
	t.Helper()
	out := map[string]agent.OpenItem{}
	err := s.ScanOpenItems(ctx, cust, func(ci *agent.CustomerItems) error {
		for _, it := range ci.Items {
			out[it.Entity+"/"+it.CustomerID+"/"+it.Invoice+"/"+string(it.DocType)] = it
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func mustImport(t *testing.T, s agent.Store, entity string, items ...agent.Item) agent.ImportStats {
	t.Helper()
	st, err := s.ImportLedger(ctx, entity, items, t0)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func testImportSnapshot(t *testing.T, s agent.Store) {
	st := mustImport(t, s, "default", item("C1", "A", "100"), item("C1", "B", "50"), item("C2", "C", "10"))
	if st.Added != 3 {
		t.Fatalf("first import: %+v", st)
	}
	st = mustImport(t, s, "default", item("C1", "A", "100"), item("C1", "B", "50"), item("C2", "C", "10"))
	if st.Unchanged != 3 || st.Added+st.Updated+st.Closed+st.Reopened != 0 {
		t.Fatalf("same file again must change nothing: %+v", st)
	}
	// B paid, A partly paid.
	st = mustImport(t, s, "default", item("C1", "A", "60"), item("C2", "C", "10"))
	if st.Updated != 1 || st.Closed != 1 || st.Unchanged != 1 {
		t.Fatalf("snapshot: %+v", st)
	}
	got := scanAll(t, s, "")
	if _, ok := got["default/C1/B/invoice"]; ok {
		t.Error("B missing from the import must be closed")
	}
	if a := got["default/C1/A/invoice"]; !a.OpenAmount.Equal(dec("60")) {
		t.Errorf("A open = %s, want 60", a.OpenAmount)
	}
	// History survives closing and reopening.
	if err := s.SaveRun(ctx, &agent.RunResult{At: t0, Levels: []agent.ItemLevel{
		{Ref: agent.Ref{Entity: "default", CustomerID: "C1", Invoice: "B"}, Level: 2, On: agent.MustDate("2026-02-20")}}}); err != nil {
		t.Fatal(err)
	}
	st = mustImport(t, s, "default", item("C1", "A", "60"), item("C1", "B", "50"), item("C2", "C", "10"))
	if st.Reopened != 1 {
		t.Fatalf("B comes back: %+v", st)
	}
	b := scanAll(t, s, "C1")["default/C1/B/invoice"]
	if b.State.LastLevel != 2 || b.State.LastNotice != agent.MustDate("2026-02-20") {
		t.Errorf("B's history lost: %+v", b.State)
	}
	if _, err := s.ImportLedger(ctx, "default", []agent.Item{item("C1", "A", "1"), item("C1", "A", "2")}, t0); err == nil {
		t.Error("a key twice in one import must fail")
	}
	if got := scanAll(t, s, ""); len(got) != 3 {
		t.Errorf("a failed import must change nothing, have %d items", len(got))
	}
}

func testImportKeepsOtherEntities(t *testing.T, s agent.Store) {
	mustImport(t, s, "es01", item("C1", "A", "100"))
	mustImport(t, s, "de01", item("C1", "A", "200"), item("C1", "Z", "5"))
	mustImport(t, s, "es01")
	got := scanAll(t, s, "")
	if len(got) != 2 || got["de01/C1/A/invoice"].OpenAmount.String() != "200" {
		t.Errorf("empty import of es01 must leave de01 alone: %v", got)
	}
}

func testImportRoundTrip(t *testing.T, s agent.Store) {
	amount := dec("1234.50")
	in := agent.Item{CustomerID: "C9", CustomerName: "Müller GmbH", Invoice: "R-1", DocType: agent.DocCreditNote,
		IssueDate: agent.MustDate("2026-01-02"), DueDate: agent.MustDate("2026-02-01"), Currency: "USD",
		Amount: &amount, OpenAmount: dec("-1234.50"), PONumber: "PO-7", DunningBlock: "legal",
		Extra: map[string]string{"region": "north"}}
	mustImport(t, s, "default", in)
	all, err := s.OpenItems(ctx, []agent.Ref{{Entity: "default", CustomerID: "C9", Invoice: "R-1"}})
	if err != nil || len(all) != 1 {
		t.Fatalf("OpenItems = %v, %v", all, err)
	}
	got := all[0]
	if got.CustomerName != in.CustomerName || got.IssueDate != in.IssueDate || got.DueDate != in.DueDate ||
		got.Currency != "USD" || got.Amount == nil || !got.Amount.Equal(amount) || !got.OpenAmount.Equal(in.OpenAmount) ||
		got.PONumber != "PO-7" || got.DunningBlock != "legal" || got.Extra["region"] != "north" || got.Entity != "default" {
		t.Errorf("round trip:\n got %+v\nwant %+v", got.Item, in)
	}
	if got.OpenAmount.Exponent() != -2 {
		t.Errorf("open amount %s lost its scale: stored as text, exactly, never as a float", got.OpenAmount)
	}
	scanned := scanAll(t, s, "C9")["default/C9/R-1/credit_note"]
	if scanned.DueDate != in.DueDate || !scanned.OpenAmount.Equal(in.OpenAmount) || scanned.PONumber != "PO-7" ||
		scanned.DunningBlock != "legal" || scanned.Currency != "USD" || scanned.IssueDate != in.IssueDate {
		t.Errorf("scan lost rule fields: %+v", scanned.Item)
	}
}

func testScanGroupsByCustomer(t *testing.T, s agent.Store) {
	mustImport(t, s, "default", item("C2", "X", "1"), item("C1", "B", "1"), item("C3", "Y", "1"), item("C1", "A", "1"))
	var order []string
	err := s.ScanOpenItems(ctx, "", func(ci *agent.CustomerItems) error {
		order = append(order, ci.CustomerID)
		if ci.CustomerID == "C1" && len(ci.Items) != 2 {
			t.Errorf("C1 has %d items, want 2", len(ci.Items))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(order) != 3 || order[0] != "C1" || order[1] != "C2" || order[2] != "C3" {
		t.Errorf("customer order = %v", order)
	}
	stop := errors.New("stop")
	if err := s.ScanOpenItems(ctx, "", func(*agent.CustomerItems) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("callback error must be returned, got %v", err)
	}
}

func testItemState(t *testing.T, s agent.Store) {
	mustImport(t, s, "default", item("C1", "A", "100"))
	ref := agent.Ref{Entity: "default", CustomerID: "C1", Invoice: "A"}
	ev := agent.Event{At: t0, Actor: "test", Kind: "item.changed"}
	if err := s.SetDispute(ctx, ref, true, "price", ev); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPromise(ctx, ref, agent.MustDate("2026-03-10"), ev); err != nil {
		t.Fatal(err)
	}
	if err := s.SetAdvice(ctx, ref, agent.MustDate("2026-03-05"), ev); err != nil {
		t.Fatal(err)
	}
	items, err := s.OpenItems(ctx, []agent.Ref{ref})
	if err != nil || len(items) != 1 {
		t.Fatalf("OpenItems = %v, %v", items, err)
	}
	st := items[0].State
	if !st.Disputed || st.DisputeReason != "price" || st.PromisedDate != agent.MustDate("2026-03-10") ||
		st.AdvisedDate != agent.MustDate("2026-03-05") {
		t.Errorf("state = %+v", st)
	}
	if err := s.SetPromise(ctx, ref, 0, ev); err != nil {
		t.Fatal(err)
	}
	items, _ = s.OpenItems(ctx, []agent.Ref{ref})
	if !items[0].State.PromisedDate.IsZero() {
		t.Error("a zero date must clear the promise")
	}
	if evs, _ := s.Events(ctx, "item:default/C1/A"); len(evs) != 4 {
		t.Errorf("want 4 events for the item, got %d", len(evs))
	}
}

func testCustomers(t *testing.T, s agent.Store) {
	yes := true
	recs := []agent.CustomerRecord{
		{ID: "C1", Name: "Acme", Language: "de", Contacts: []agent.Contact{{Email: "ap@acme.example", Role: "billing"}}},
		{ID: "C2", DoNotDun: &yes},
	}
	if _, err := s.ImportCustomers(ctx, recs, t0); err != nil {
		t.Fatal(err)
	}
	if n, err := s.ImportCustomers(ctx, recs, t0); err != nil || n != 0 {
		t.Errorf("same master again: changed %d, %v", n, err)
	}
	if err := s.MarkUndeliverable(ctx, "C1", "AP@acme.example", t0); err != nil {
		t.Fatal(err)
	}
	got, err := s.CustomerRecords(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got["C1"].Name != "Acme" || got["C1"].Language != "de" || len(got["C1"].Contacts) != 1 {
		t.Errorf("C1 = %+v", got["C1"])
	}
	if got["C2"].DoNotDun == nil || !*got["C2"].DoNotDun {
		t.Errorf("C2 do_not_dun lost: %+v", got["C2"])
	}
	c, err := agent.Resolve("C1", got["C1"], nil, agent.CustomerRecord{Policy: "standard"})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Recipients()) != 0 {
		t.Errorf("bounced address still a recipient: %v", c.Recipients())
	}
}

func newDraft(cust string, state agent.DraftState) *agent.Draft {
	return &agent.Draft{Kind: agent.KindNotice, CustomerID: cust, Level: 1, Template: "reminder1", Language: "en",
		To: []string{"ap@x.example"}, Subject: "Reminder", Text: "text", HTML: "<p>html</p>", State: state,
		AsOf: agent.MustDate("2026-03-01"), MessageID: "m1@x.example",
		Notice: agent.Notice{Kind: agent.KindNotice, CustomerID: cust, Level: 1, Items: []agent.NoticeItem{{
			Ref: agent.Ref{Entity: "default", CustomerID: cust, Invoice: "A"}, Currency: "EUR", OpenAmount: dec("100.00"),
			DaysPastDue: 28, Level: 1, Needs: true, DueDate: agent.MustDate("2026-02-01")}},
			Totals: []agent.Total{{Currency: "EUR", Overdue: dec("100.00")}}}}
}

func testDraftLifecycle(t *testing.T, s agent.Store) {
	mustImport(t, s, "default", item("C1", "A", "100"))
	d := newDraft("C1", agent.Drafted)
	if err := s.SaveRun(ctx, &agent.RunResult{At: t0, Actor: "test", Drafts: []*agent.Draft{d}}); err != nil {
		t.Fatal(err)
	}
	if d.ID == 0 {
		t.Fatal("draft ID not set")
	}
	got, err := s.Draft(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Subject != "Reminder" || got.State != agent.Drafted || len(got.Notice.Items) != 1 ||
		!got.Notice.Items[0].OpenAmount.Equal(dec("100")) || got.MessageID != "m1@x.example" || got.AsOf != d.AsOf {
		t.Errorf("draft round trip: %+v", got)
	}
	if _, err := s.Draft(ctx, 999); !errors.Is(err, agent.ErrNotFound) {
		t.Errorf("missing draft: %v", err)
	}
	got.State = agent.Approved
	if err := s.UpdateDraft(ctx, got, agent.Drafted, agent.Event{At: t0, Actor: "alice", Kind: "draft.approved"}); err != nil {
		t.Fatal(err)
	}
	due, _ := s.Drafts(ctx, agent.DraftFilter{States: []agent.DraftState{agent.Approved}, DueBy: agent.MustDate("2026-02-28")})
	if len(due) != 0 {
		t.Error("a draft of 2026-03-01 is not due on 2026-02-28")
	}
	due, _ = s.Drafts(ctx, agent.DraftFilter{States: []agent.DraftState{agent.Approved}, DueBy: agent.MustDate("2026-03-01")})
	if len(due) != 1 {
		t.Fatal("approved draft not listed as due")
	}
	ref := d.Notice.Items[0].Ref
	on := agent.MustDate("2026-03-02")
	if err := s.Delivered(ctx, agent.Delivery{DraftID: d.ID, At: t0, Date: on}); err == nil {
		t.Error("an approved draft must be claimed (sending) before it is delivered")
	}
	got, _ = s.Draft(ctx, d.ID)
	claimed := t0.Add(time.Minute)
	got.State, got.Attempts, got.SendingAt = agent.Sending, 1, &claimed
	if err := s.UpdateDraft(ctx, got, agent.Approved, agent.Event{At: t0, Kind: "draft.sending"}); err != nil {
		t.Fatal(err)
	}
	got.DataAt = &claimed
	if err := s.UpdateDraft(ctx, got, agent.Sending, agent.Event{}); err != nil {
		t.Fatal(err)
	}
	if back, _ := s.Draft(ctx, d.ID); back.Attempts != 1 || back.DataAt == nil || !back.DataAt.Equal(claimed) ||
		back.SendingAt == nil {
		t.Errorf("delivery bookkeeping lost: %+v", back)
	}
	if err := s.Delivered(ctx, agent.Delivery{DraftID: d.ID, At: t0, Date: on, Actor: "dunner", CustomerID: "C1",
		Response:   "250 2.0.0 Ok: queued as 4711",
		StartClock: true, Levels: []agent.ItemLevel{{Ref: ref, Level: 1, On: on}}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Delivered(ctx, agent.Delivery{DraftID: d.ID, At: t0, Date: on}); err == nil {
		t.Error("delivering twice must fail")
	}
	var ci *agent.CustomerItems
	_ = s.ScanOpenItems(ctx, "C1", func(c *agent.CustomerItems) error { ci = c; return nil })
	if ci.LastNotice != on || ci.Items[0].State.LastLevel != 1 || ci.Items[0].State.LastNotice != on {
		t.Errorf("delivery effects: last notice %s, item %+v", ci.LastNotice, ci.Items[0].State)
	}
	got, _ = s.Draft(ctx, d.ID)
	if got.State != agent.Delivered || got.SentAt == nil || got.Response != "250 2.0.0 Ok: queued as 4711" {
		t.Errorf("after delivery: state %s, response %q", got.State, got.Response)
	}
	kinds := ""
	evs, _ := s.Events(ctx, "draft:"+itoa(d.ID))
	for _, e := range evs {
		kinds += e.Kind + " "
	}
	if kinds != "draft.drafted draft.approved draft.sending draft.delivered " {
		t.Errorf("events = %q", kinds)
	}
}

func testDraftCompareAndSet(t *testing.T, s agent.Store) {
	d := newDraft("C1", agent.Drafted)
	if err := s.SaveRun(ctx, &agent.RunResult{At: t0, Drafts: []*agent.Draft{d}}); err != nil {
		t.Fatal(err)
	}
	a, _ := s.Draft(ctx, d.ID)
	b, _ := s.Draft(ctx, d.ID)
	a.State = agent.Approved
	if err := s.UpdateDraft(ctx, a, agent.Drafted, agent.Event{Kind: "draft.approved"}); err != nil {
		t.Fatal(err)
	}
	b.State = agent.Rejected
	var te *agent.ErrTransition
	if err := s.UpdateDraft(ctx, b, agent.Drafted, agent.Event{Kind: "draft.rejected"}); !errors.As(err, &te) {
		t.Errorf("second collector must lose: %v", err)
	}
	a.State = agent.Drafted
	if err := s.UpdateDraft(ctx, a, agent.Delivered, agent.Event{}); err == nil {
		t.Error("delivered → drafted must be refused")
	}
}

func testRunSupersedesAndEscalates(t *testing.T, s agent.Store) {
	mustImport(t, s, "default", item("C1", "A", "100"))
	old := newDraft("C1", agent.Approved)
	if err := s.SaveRun(ctx, &agent.RunResult{At: t0, Drafts: []*agent.Draft{old}}); err != nil {
		t.Fatal(err)
	}
	ref := agent.Ref{Entity: "default", CustomerID: "C1", Invoice: "A"}
	task := &agent.Task{CustomerID: "C1", Kind: agent.TaskEscalate, Level: 4, Note: "call them", Items: []agent.Ref{ref},
		DueDate: agent.MustDate("2026-03-01")}
	err := s.SaveRun(ctx, &agent.RunResult{At: t0, Supersede: []int64{old.ID}, Tasks: []*agent.Task{task},
		Levels: []agent.ItemLevel{{Ref: ref, Level: 4, On: agent.MustDate("2026-03-01")}}})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := s.Draft(ctx, old.ID)
	if got.State != agent.Withdrawn {
		t.Errorf("superseded draft is %s", got.State)
	}
	tasks, _ := s.Tasks(ctx, "C1")
	if len(tasks) != 1 || tasks[0].Level != 4 || len(tasks[0].Items) != 1 || tasks[0].Items[0] != ref {
		t.Errorf("tasks = %+v", tasks)
	}
	items, _ := s.OpenItems(ctx, []agent.Ref{ref})
	if items[0].State.LastLevel != 4 {
		t.Errorf("escalation level not recorded: %+v", items[0].State)
	}
	var ci *agent.CustomerItems
	_ = s.ScanOpenItems(ctx, "C1", func(c *agent.CustomerItems) error { ci = c; return nil })
	if !ci.LastNotice.IsZero() {
		t.Error("an escalation must not restart the min_days_between clock")
	}
}

// Levels of several customers, entities and items recorded in one write,
// then a lower one: a level never goes down, the last notice moves on, and
// a credit note with an invoice's number shares its history.
func testLevelsNeverGoDown(t *testing.T, s agent.Store) {
	credit := item("C1", "B", "-20")
	credit.DocType = agent.DocCreditNote
	mustImport(t, s, "default", item("C1", "B", "100"), credit, item("C1", "D", "10"), item("C1", "A", "10"),
		item("C2", "C", "10"))
	mustImport(t, s, "other", item("C1", "A", "10"))
	ref := func(entity, cust, inv string) agent.Ref {
		return agent.Ref{Entity: entity, CustomerID: cust, Invoice: inv}
	}
	feb, mar := agent.MustDate("2026-02-20"), agent.MustDate("2026-03-01")
	if err := s.SaveRun(ctx, &agent.RunResult{At: t0, Levels: []agent.ItemLevel{
		{Ref: ref("default", "C2", "C"), Level: 3, On: feb},
		{Ref: ref("default", "C1", "B"), Level: 2, On: feb},
		{Ref: ref("other", "C1", "A"), Level: 4, On: feb},
		{Ref: ref("default", "C1", "A"), Level: 1, On: feb},
	}}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveRun(ctx, &agent.RunResult{At: t0, Levels: []agent.ItemLevel{
		{Ref: ref("default", "C1", "B"), Level: 1, On: mar},
		{Ref: ref("default", "C1", "D"), Level: 1, On: mar},
	}}); err != nil {
		t.Fatal(err)
	}
	want := map[string]agent.ItemState{
		"default/C1/A/invoice":     {LastLevel: 1, LastNotice: feb},
		"default/C1/B/invoice":     {LastLevel: 2, LastNotice: mar},
		"default/C1/B/credit_note": {LastLevel: 2, LastNotice: mar},
		"default/C1/D/invoice":     {LastLevel: 1, LastNotice: mar},
		"default/C2/C/invoice":     {LastLevel: 3, LastNotice: feb},
		"other/C1/A/invoice":       {LastLevel: 4, LastNotice: feb},
	}
	got := scanAll(t, s, "")
	for k, w := range want {
		if st := got[k].State; st.LastLevel != w.LastLevel || st.LastNotice != w.LastNotice {
			t.Errorf("scan: %s: level %d on %s, want %d on %s", k, st.LastLevel, st.LastNotice, w.LastLevel, w.LastNotice)
		}
	}
	items, err := s.OpenItems(ctx, []agent.Ref{ref("default", "C1", "B"), ref("other", "C1", "A"), ref("default", "C2", "C")})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 4 {
		t.Fatalf("open items: %d, want 4", len(items))
	}
	for _, it := range items {
		k := it.Entity + "/" + it.CustomerID + "/" + it.Invoice + "/" + string(it.DocType)
		if w := want[k]; it.State.LastLevel != w.LastLevel || it.State.LastNotice != w.LastNotice {
			t.Errorf("open items: %s: level %d on %s, want %d on %s", k, it.State.LastLevel, it.State.LastNotice,
				w.LastLevel, w.LastNotice)
		}
	}
}

func testEvents(t *testing.T, s agent.Store) {
	mustImport(t, s, "default", item("C1", "A", "1"))
	evs, err := s.Events(ctx, "")
	if err != nil || len(evs) == 0 || evs[0].Kind != "import.ledger" {
		t.Fatalf("events = %v, %v", evs, err)
	}
}

func itoa(n int64) string {
	b := []byte{}
	if n == 0 {
		return "0"
	}
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

func testDocuments(t *testing.T, s agent.Store) {
	ref := agent.Ref{Entity: "default", CustomerID: "C1", Invoice: "R-1"}
	doc := &agent.Document{Ref: ref, Kind: "invoice_copy", Name: "R-1.pdf", ContentType: "application/pdf",
		Data: []byte("%PDF-1.4 one"), FetchedAt: t0}
	if err := s.PutDocument(ctx, doc); err != nil {
		t.Fatal(err)
	}
	doc.Data = []byte("%PDF-1.4 two")
	if err := s.PutDocument(ctx, doc); err != nil {
		t.Fatal(err)
	}
	docs, err := s.Documents(ctx, []agent.Ref{ref, {Entity: "default", CustomerID: "C1", Invoice: "R-2"}})
	if err != nil || len(docs) != 1 || string(docs[0].Data) != "%PDF-1.4 two" || docs[0].Name != "R-1.pdf" {
		t.Errorf("documents = %v, %v", docs, err)
	}
}

func testInbound(t *testing.T, s agent.Store) {
	ctx := context.Background()
	rec := &agent.InboundRecord{Mailbox: "ar", Folder: "INBOX", UIDValidity: 7, UID: 41, MessageID: "m1@x.example",
		SHA256: "aa", Class: "dispute", Result: []byte(`{}`), RawGzip: []byte("gz"), Size: 18,
		MoveTo: "Dunner/Disputes", At: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	if seen, err := s.SeenInbound(ctx, rec); err != nil || seen {
		t.Fatalf("before saving: seen = %v, %v", seen, err)
	}
	if err := s.SaveInbound(ctx, rec); err != nil {
		t.Fatal(err)
	}
	noID := *rec
	noID.UID, noID.MessageID, noID.SHA256 = 42, "", "bb"
	if err := s.SaveInbound(ctx, &noID); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		mod  func(r *agent.InboundRecord)
		want bool
	}{
		{"same uid", func(r *agent.InboundRecord) {}, true},
		{"same uid, no Message-ID", func(r *agent.InboundRecord) { r.UID, r.MessageID, r.SHA256 = 42, "", "zz" }, true},
		{"copied under a new uid", func(r *agent.InboundRecord) { r.UID = 99 }, true},
		{"renumbered folder", func(r *agent.InboundRecord) { r.UIDValidity, r.UID = 8, 1 }, true},
		{"same Message-ID, other content", func(r *agent.InboundRecord) { r.UID, r.SHA256 = 99, "cc" }, false},
		{"new uid without Message-ID", func(r *agent.InboundRecord) { r.UID, r.MessageID, r.SHA256 = 43, "", "bb" }, false},
	} {
		r := *rec
		tt.mod(&r)
		if seen, err := s.SeenInbound(ctx, &r); err != nil || seen != tt.want {
			t.Errorf("%s: seen = %v, %v; want %v", tt.name, seen, err, tt.want)
		}
	}
	// The checkpoint moves only when told, and never back.
	if cp, err := s.MailCheckpoint(ctx, "ar", "INBOX"); err != nil || cp.LastUID != 0 {
		t.Fatalf("checkpoint before = %+v, %v", cp, err)
	}
	for _, uid := range []uint32{42, 40} {
		if err := s.SaveCheckpoint(ctx, "ar", "INBOX", agent.Checkpoint{UIDValidity: 7, LastUID: uid}); err != nil {
			t.Fatal(err)
		}
	}
	if cp, err := s.MailCheckpoint(ctx, "ar", "INBOX"); err != nil || cp != (agent.Checkpoint{UIDValidity: 7, LastUID: 42}) {
		t.Errorf("checkpoint = %+v, %v", cp, err)
	}
	pending, err := s.PendingMoves(ctx, "ar", "INBOX", 7)
	if err != nil || len(pending) != 2 || pending[0].UID != 41 || pending[1].Folder != "Dunner/Disputes" {
		t.Fatalf("pending = %+v, %v", pending, err)
	}
	if err := s.MarkMoved(ctx, "ar", "INBOX", 7, []uint32{41, 42}); err != nil {
		t.Fatal(err)
	}
	if pending, err := s.PendingMoves(ctx, "ar", "INBOX", 7); err != nil || len(pending) != 0 {
		t.Errorf("pending after moving = %+v, %v", pending, err)
	}
}
