package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/dunnerhq/dunner/agent"
	"github.com/dunnerhq/dunner/agent/storetest"
	"github.com/dunnerhq/dunner/connectors/sqlite"
)

func TestConformance(t *testing.T) {
	// storetest closes the stores it opens.
	storetest.Run(t, func(t *testing.T) agent.Store {
		s, err := sqlite.Open(filepath.Join(t.TempDir(), "dunner.db"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// openTemp opens a store in a fresh directory, closed when the test ends.
func openTemp(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(filepath.Join(t.TempDir(), "dunner.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestReopenKeepsSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dunner.db")
	for i := 0; i < 2; i++ {
		s, err := sqlite.Open(path)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		s.Close()
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dunner.db")
	s, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec(`INSERT INTO schema_migrations VALUES (999, 'x')`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := sqlite.Open(path); err == nil {
		t.Error("a database from a newer dunner must be refused")
	}
}

// TestGroupCommitIsolatesFailures runs many writers at once: writes that
// share a commit must not be undone by one that fails.
func TestGroupCommitIsolatesFailures(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	items := customerItems(200)
	if _, err := s.ImportLedger(ctx, "default", items, time.Now()); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	failures := make(chan error, 400)
	for i := 0; i < 200; i++ {
		wg.Add(2)
		go func(i int) {
			defer wg.Done()
			ref := agent.Ref{Entity: "default", CustomerID: "C1", Invoice: fmt.Sprintf("R-%03d", i)}
			if err := s.SetDispute(ctx, ref, true, "price", agent.Event{Kind: "item.disputed"}); err != nil {
				failures <- err
			}
		}(i)
		go func(i int) {
			defer wg.Done()
			// Always fails: no such draft.
			d := &agent.Draft{ID: int64(10000 + i), State: agent.Approved}
			if err := s.UpdateDraft(ctx, d, agent.Drafted, agent.Event{}); err == nil {
				failures <- fmt.Errorf("update of a missing draft succeeded")
			}
		}(i)
	}
	wg.Wait()
	close(failures)
	for err := range failures {
		t.Error(err)
	}
	got, err := s.OpenItems(ctx, func() []agent.Ref {
		var refs []agent.Ref
		for _, it := range items {
			refs = append(refs, it.Ref())
		}
		return refs
	}())
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range got {
		if !it.State.Disputed {
			t.Errorf("%s lost its dispute", it.Invoice)
		}
	}
	if len(got) != 200 {
		t.Errorf("%d items", len(got))
	}
}

// An import may switch the database out of the WAL for its transaction
// (when nothing else has it open) or must stay in it (when a reader does);
// either way the WAL is back afterwards, for readers beside the writer.
func TestImportKeepsWAL(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	mode := func() string {
		var m string
		if err := s.DB().QueryRow(`PRAGMA journal_mode`).Scan(&m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	if _, err := s.ImportLedger(ctx, "default", customerItems(3), time.Now()); err != nil {
		t.Fatal(err)
	}
	if m := mode(); m != "wal" {
		t.Errorf("journal mode after an import alone: %s", m)
	}

	// A reader in the middle of a query (a transaction of the pool's
	// would take the write lock: _txlock=immediate).
	rows, err := s.DB().Query(`SELECT invoice FROM items`)
	if err != nil || !rows.Next() {
		t.Fatalf("reader: %v", err)
	}
	st, err := s.ImportLedger(ctx, "default", customerItems(5), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if st.Added != 2 || st.Unchanged != 3 {
		t.Errorf("stats %+v", st)
	}
	n := 1
	for rows.Next() {
		n++
	}
	if rows.Close(); n != 3 {
		t.Errorf("the reader saw %d items, want its snapshot's 3", n)
	}
	if m := mode(); m != "wal" {
		t.Errorf("journal mode after an import beside a reader: %s", m)
	}
}

// customerItems makes n open items of one customer.
func customerItems(n int) []agent.Item {
	var out []agent.Item
	for i := 0; i < n; i++ {
		out = append(out, agent.Item{CustomerID: "C1", Invoice: fmt.Sprintf("R-%03d", i), DocType: agent.DocInvoice,
			DueDate: agent.MustDate("2026-02-01"), Currency: "EUR", OpenAmount: decimal.NewFromInt(1)})
	}
	return out
}

// The items' version moves with everything that decides eligibility, for
// the customer concerned, and with nothing else: a send trusts an unmoved
// version instead of reading the items again.
func TestItemsVersion(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	ledger := append(customerItems(2), agent.Item{Entity: "default", CustomerID: "K2", Invoice: "K2-1",
		DocType: agent.DocInvoice, DueDate: agent.MustDate("2026-02-01"), Currency: "EUR", OpenAmount: decimal.RequireFromString("10.00")})
	if _, err := s.ImportLedger(ctx, "default", ledger, at); err != nil {
		t.Fatal(err)
	}
	drafts := map[string]int64{}
	for _, cust := range []string{"C1", "K2"} {
		dr := &agent.Draft{Kind: agent.KindNotice, CustomerID: cust, Level: 1, Template: "reminder1", Language: "en",
			State: agent.Approved, AsOf: agent.MustDate("2026-03-01"), MessageID: cust + "@test"}
		if err := s.SaveRun(ctx, &agent.RunResult{At: at, Drafts: []*agent.Draft{dr}}); err != nil {
			t.Fatal(err)
		}
		drafts[cust] = dr.ID
	}
	scanned := func(cust string) int64 {
		var v int64
		if err := s.ScanOpenItems(ctx, cust, func(ci *agent.CustomerItems) error { v = ci.Version; return nil }); err != nil {
			t.Fatal(err)
		}
		if v == 0 {
			t.Fatalf("%s: scan gave no version", cust)
		}
		_, vs, err := s.DraftsBatch(ctx, []int64{drafts[cust]})
		if err != nil || len(vs) != 1 || vs[0] != v {
			t.Fatalf("%s: scan says version %d, DraftsBatch %v (%v)", cust, v, vs, err)
		}
		return v
	}
	c0 := ledger[0].CustomerID
	ref := agent.Ref{Entity: "default", CustomerID: c0, Invoice: ledger[0].Invoice}
	ev := agent.Event{At: at, Actor: "test", Kind: "test"}
	steps := []struct {
		name  string
		do    func() error
		moves bool // c0's version
		other bool // K2's version
	}{
		{"levels and reminders", func() error {
			return s.SaveRun(ctx, &agent.RunResult{At: at, Levels: []agent.ItemLevel{{Ref: ref, Level: 1, On: agent.MustDate("2026-03-01")}}})
		}, false, false},
		{"unchanged re-import", func() error { _, err := s.ImportLedger(ctx, "default", ledger, at); return err }, false, false},
		{"dispute", func() error { return s.SetDispute(ctx, ref, true, "price", ev) }, true, false},
		{"dispute lifted", func() error { return s.SetDispute(ctx, ref, false, "", ev) }, true, false},
		{"promise", func() error { return s.SetPromise(ctx, ref, agent.MustDate("2026-03-09"), ev) }, true, false},
		{"advice", func() error { return s.SetAdvice(ctx, ref, agent.MustDate("2026-03-02"), ev) }, true, false},
		{"import with a payment", func() error { _, err := s.ImportLedger(ctx, "default", ledger[1:], at); return err }, true, true},
	}
	for _, st := range steps {
		v0, k0 := scanned(c0), scanned("K2")
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if v1 := scanned(c0); (v1 != v0) != st.moves {
			t.Errorf("%s: version %d -> %d, want moved=%v", st.name, v0, v1, st.moves)
		}
		if k1 := scanned("K2"); (k1 != k0) != st.other {
			t.Errorf("%s: other customer's version %d -> %d, want moved=%v", st.name, k0, k1, st.other)
		}
	}
}

// DataStarted's mark is safe in the journal before the database has it:
// a sender killed right after leaves a journal that the next store to open
// folds in, so the draft shows its data went out (and is settled
// uncertain, never sent again). A live store's journal is left alone.
func TestJournalFoldsDeadSendersMarks(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dunner.db")
	s, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	var ids []int64
	for i := 0; i < 3; i++ {
		dr := &agent.Draft{Kind: agent.KindNotice, CustomerID: fmt.Sprint("C", i), Level: 1, Template: "reminder1",
			Language: "en", State: agent.Approved, AsOf: agent.MustDate("2026-03-02"), MessageID: fmt.Sprint(i, "@test")}
		if err := s.SaveRun(ctx, &agent.RunResult{At: at, Drafts: []*agent.Draft{dr}}); err != nil {
			t.Fatal(err)
		}
		if err := s.Claim(ctx, dr.ID, agent.Approved, 1, at, "test"); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, dr.ID)
	}
	if err := s.DataStarted(ctx, ids[0], at); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + "-sending"); !os.IsNotExist(err) {
		t.Errorf("a closed store left its journal behind (%v)", err)
	}

	// A dead sender's journal: marks for the second draft (and a torn
	// line); a live one's, locked: a mark for the third.
	dir := path + "-sending"
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "1.1.log"),
		[]byte(fmt.Sprintf("S %d %s\nS 99", ids[1], at.Add(time.Second).Format(time.RFC3339Nano))), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "3.3.new"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	live := filepath.Join(dir, "2.2.log")
	if err := os.WriteFile(live, []byte(fmt.Sprintf("S %d %s\n", ids[2], at.Format(time.RFC3339Nano))), 0o644); err != nil {
		t.Fatal(err)
	}
	lf, err := os.Open(live)
	if err != nil {
		t.Fatal(err)
	}
	defer lf.Close()
	if err := syscall.Flock(int(lf.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}

	s, err = sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i, want := range []bool{true, true, false} {
		dr, err := s.Draft(ctx, ids[i])
		if err != nil {
			t.Fatal(err)
		}
		if got := dr.DataAt != nil; got != want {
			t.Errorf("draft %d: data started %v, want %v", i, got, want)
		}
	}
	for _, f := range []string{"1.1.log", "3.3.new"} {
		if _, err := os.Stat(filepath.Join(dir, f)); !os.IsNotExist(err) {
			t.Errorf("the dead sender's %s is still there (%v)", f, err)
		}
	}
	if _, err := os.Stat(live); err != nil {
		t.Errorf("the live sender's journal is gone: %v", err)
	}
	// Once its owner is gone, the next fold takes it.
	lf.Close()
	if err := s.FoldJournals(ctx); err != nil {
		t.Fatal(err)
	}
	if dr, _ := s.Draft(ctx, ids[2]); dr.DataAt == nil {
		t.Errorf("third draft: data start not folded in after its sender died")
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("journal directory left after the last fold (%v)", err)
	}
}
