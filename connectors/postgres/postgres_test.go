package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/dunnerhq/dunner/agent"
	"github.com/dunnerhq/dunner/agent/storetest"
	"github.com/dunnerhq/dunner/connectors/postgres"
	"github.com/dunnerhq/dunner/internal/testservers"
)

var ctx = context.Background()

func freshSchema(t *testing.T) string { return testservers.PostgresSchema(t) }

func open(t *testing.T, dsn string) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) agent.Store { return open(t, freshSchema(t)) })
}

func TestReopenKeepsSchema(t *testing.T) {
	dsn := freshSchema(t)
	for i := 0; i < 2; i++ {
		open(t, dsn).Close()
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	dsn := freshSchema(t)
	s := open(t, dsn)
	if _, err := s.Pool().Exec(ctx, `INSERT INTO schema_migrations VALUES (999, now())`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err := postgres.Open(ctx, dsn); err == nil {
		s.Close()
		t.Error("a database from a newer dunner must be refused")
	}
}

// TestConcurrentOpen: daemons started together must not trip over each
// other's migrations.
func TestConcurrentOpen(t *testing.T) {
	dsn := freshSchema(t)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := postgres.Open(ctx, dsn)
			if err != nil {
				errs <- err
				return
			}
			s.Close()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestEventsAppendOnlyInTheDatabase(t *testing.T) {
	s := open(t, freshSchema(t))
	defer s.Close()
	if err := s.PauseCustomer(ctx, "C1", agent.MustDate("2026-03-10"), agent.Event{Kind: "customer.paused"}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`UPDATE events SET detail = 'x'`, `DELETE FROM events`, `TRUNCATE events`} {
		if _, err := s.Pool().Exec(ctx, q); err == nil {
			t.Errorf("%s: the database must refuse", q)
		}
	}
}

// TestConcurrentClaims has two daemons (two stores, two pools) on one
// database race to claim the same drafts: each draft goes to exactly one.
func TestConcurrentClaims(t *testing.T) {
	dsn := freshSchema(t)
	a, b := open(t, dsn), open(t, dsn)
	defer a.Close()
	defer b.Close()
	const n = 40
	var drafts []*agent.Draft
	for i := 0; i < n; i++ {
		drafts = append(drafts, &agent.Draft{Kind: agent.KindNotice, CustomerID: fmt.Sprintf("C%02d", i), Level: 1,
			Template: "reminder1", Language: "en", State: agent.Approved, AsOf: agent.MustDate("2026-03-01"),
			MessageID: fmt.Sprintf("m%d@x.example", i)})
	}
	now := time.Now()
	if err := a.SaveRun(ctx, &agent.RunResult{At: now, Drafts: drafts}); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	wins := map[int64]int{}
	var wg sync.WaitGroup
	for w, s := range []*postgres.Store{a, b, a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, d := range drafts {
				err := s.Claim(ctx, d.ID, agent.Approved, 1, now, fmt.Sprintf("daemon-%d", w))
				var te *agent.ErrTransition
				switch {
				case err == nil:
					mu.Lock()
					wins[d.ID]++
					mu.Unlock()
				case errors.As(err, &te):
					if te.From != agent.Sending {
						t.Errorf("draft %d: lost to state %s", d.ID, te.From)
					}
				default:
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	for _, d := range drafts {
		if wins[d.ID] != 1 {
			t.Errorf("draft %d claimed %d times", d.ID, wins[d.ID])
		}
		evs, err := a.Events(ctx, "draft:"+fmt.Sprint(d.ID))
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 2 || evs[1].Kind != "draft.sending" {
			t.Errorf("draft %d: events %v", d.ID, evs)
		}
	}
}

// TestConcurrentImports: two daemons importing the same entity at once end
// with the snapshot applied once, not interleaved.
func TestConcurrentImports(t *testing.T) {
	dsn := freshSchema(t)
	a, b := open(t, dsn), open(t, dsn)
	defer a.Close()
	defer b.Close()
	mk := func(prefix string) []agent.Item {
		var items []agent.Item
		for i := 0; i < 500; i++ {
			items = append(items, agent.Item{CustomerID: fmt.Sprintf("C%03d", i%50), Invoice: fmt.Sprintf("%s-%04d", prefix, i),
				DocType: agent.DocInvoice, DueDate: agent.MustDate("2026-02-01"), Currency: "EUR",
				OpenAmount: decimal.RequireFromString("10.50")})
		}
		return items
	}
	var wg sync.WaitGroup
	for i, s := range []*postgres.Store{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.ImportLedger(ctx, "default", mk(fmt.Sprint("R", i)), time.Now()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	open := 0
	prefixes := map[string]bool{}
	err := a.ScanOpenItems(ctx, "", func(ci *agent.CustomerItems) error {
		for _, it := range ci.Items {
			open++
			prefixes[it.Invoice[:2]] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if open != 500 || len(prefixes) != 1 {
		t.Errorf("after two racing full snapshots: %d open items from %v, want 500 from one", open, prefixes)
	}
}

// TestImportLarge checks the COPY path and the diff on more rows than one
// batch, with amounts that must survive exactly.
func TestImportLarge(t *testing.T) {
	s := open(t, freshSchema(t))
	defer s.Close()
	var items []agent.Item
	for i := 0; i < 20000; i++ {
		items = append(items, agent.Item{CustomerID: fmt.Sprintf("C%04d", i%1000), Invoice: fmt.Sprintf("R-%06d", i),
			DocType: agent.DocInvoice, IssueDate: agent.MustDate("2026-01-02"), DueDate: agent.MustDate("2026-02-01"),
			Currency: "EUR", OpenAmount: decimal.New(int64(i)*7+1, -2)})
	}
	st, err := s.ImportLedger(ctx, "default", items, time.Now())
	if err != nil || st.Added != len(items) {
		t.Fatalf("first import: %+v, %v", st, err)
	}
	// Every tenth paid, every seventh changed.
	var next []agent.Item
	for i, it := range items {
		if i%10 == 0 {
			continue
		}
		if i%7 == 0 {
			it.OpenAmount = it.OpenAmount.Sub(decimal.New(1, -2))
		}
		next = append(next, it)
	}
	st, err = s.ImportLedger(ctx, "default", next, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if st.Closed != 2000 || st.Added != 0 || st.Updated+st.Unchanged != len(next) || st.Updated == 0 {
		t.Errorf("second import: %+v", st)
	}
	var sum decimal.Decimal
	count := 0
	err = s.ScanOpenItems(ctx, "", func(ci *agent.CustomerItems) error {
		for _, it := range ci.Items {
			sum = sum.Add(it.OpenAmount)
			count++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var want decimal.Decimal
	for _, it := range next {
		want = want.Add(it.OpenAmount)
	}
	if count != len(next) || !sum.Equal(want) {
		t.Errorf("open items %d (sum %s), want %d (sum %s)", count, sum, len(next), want)
	}
	got, err := s.Invoiced(ctx, agent.MustDate("2026-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	var all decimal.Decimal
	for _, it := range items {
		all = all.Add(it.OpenAmount)
	}
	// Closed items still count as invoiced; the changed ones at their new amount.
	if got["EUR"].LessThan(want) || got["EUR"].GreaterThan(all) {
		t.Errorf("invoiced %s, want between %s and %s", got["EUR"], want, all)
	}
}

func TestMail(t *testing.T) {
	s := open(t, freshSchema(t))
	defer s.Close()
	rec := &agent.InboundRecord{Mailbox: "ar", Folder: "INBOX", UIDValidity: 4000000000, UID: 4000000001,
		MessageID: "<a@b>", SHA256: "abc", Received: time.Now(), Class: "reply", Result: []byte(`{"x":1}`),
		RawGzip: []byte("gz"), Size: 20, MoveTo: "Processed", At: time.Now()}
	for i := 0; i < 2; i++ { // the second is a racing daemon's: ignored
		if err := s.SaveInbound(ctx, rec); err != nil {
			t.Fatal(err)
		}
	}
	if seen, err := s.SeenInbound(ctx, rec); err != nil || !seen {
		t.Errorf("seen = %v, %v", seen, err)
	}
	moves, err := s.PendingMoves(ctx, "ar", "INBOX", 4000000000)
	if err != nil || len(moves) != 1 || moves[0].UID != 4000000001 || moves[0].Folder != "Processed" {
		t.Fatalf("pending = %v, %v", moves, err)
	}
	if err := s.MarkMoved(ctx, "ar", "INBOX", 4000000000, []uint32{4000000001}); err != nil {
		t.Fatal(err)
	}
	if moves, _ := s.PendingMoves(ctx, "ar", "INBOX", 4000000000); len(moves) != 0 {
		t.Errorf("still pending: %v", moves)
	}
	cp, err := s.MailCheckpoint(ctx, "ar", "INBOX")
	if err != nil || cp != (agent.Checkpoint{}) {
		t.Errorf("no checkpoint yet: %v, %v", cp, err)
	}
	for _, c := range []agent.Checkpoint{{UIDValidity: 7, LastUID: 10}, {UIDValidity: 7, LastUID: 5}} {
		if err := s.SaveCheckpoint(ctx, "ar", "INBOX", c); err != nil {
			t.Fatal(err)
		}
	}
	if cp, _ := s.MailCheckpoint(ctx, "ar", "INBOX"); cp.LastUID != 10 {
		t.Errorf("checkpoint went back: %v", cp)
	}
	if err := s.SaveCheckpoint(ctx, "ar", "INBOX", agent.Checkpoint{UIDValidity: 8, LastUID: 3}); err != nil {
		t.Fatal(err)
	}
	if cp, _ := s.MailCheckpoint(ctx, "ar", "INBOX"); cp != (agent.Checkpoint{UIDValidity: 8, LastUID: 3}) {
		t.Errorf("a new UIDVALIDITY starts over: %v", cp)
	}
	if err := s.PauseCustomer(ctx, "C1", agent.MustDate("2026-03-10"), agent.Event{Kind: "customer.paused"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DraftByMessageID(ctx, "nope@x"); !errors.Is(err, agent.ErrNotFound) {
		t.Errorf("missing message: %v", err)
	}
}

// TestItemsByInvoice reads through the index another daemon's import
// fills: nothing cached in this process.
func TestItemsByInvoice(t *testing.T) {
	dsn := freshSchema(t)
	a, b := open(t, dsn), open(t, dsn)
	defer a.Close()
	defer b.Close()
	if got, err := b.ItemsByInvoice(ctx, []string{"R-1"}); err != nil || len(got) != 0 {
		t.Fatalf("empty: %v, %v", got, err)
	}
	item := func(cust, inv string, doc agent.DocType) agent.Item {
		return agent.Item{CustomerID: cust, Invoice: inv, DocType: doc, DueDate: agent.MustDate("2026-02-01"),
			Currency: "EUR", OpenAmount: decimal.RequireFromString("1.00")}
	}
	if _, err := a.ImportLedger(ctx, "default", []agent.Item{item("C1", "R-1", agent.DocInvoice),
		item("C2", "R-1", agent.DocInvoice), item("C1", "R-2", agent.DocInvoice), item("C3", "R-3", agent.DocInvoice)}, time.Now()); err != nil {
		t.Fatal(err)
	}
	got, err := b.ItemsByInvoice(ctx, []string{"R-1", "R-2", "R-9"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Errorf("got %d items, want 3: %+v", len(got), got)
	}
}
