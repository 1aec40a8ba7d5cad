package sqlite

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dunnerhq/dunner/agent"
	"github.com/shopspring/decimal"
)

// A live store's journal is emptied once every mark in it reached the
// database, and never while one has not: a mark dropped before its commit
// would let a crash send its notice again.
func TestJournalTruncatesOnlySettledMarks(t *testing.T) {
	defer func(n int64) { journalTruncateAt = n }(journalTruncateAt)
	journalTruncateAt = 100
	j := &journal{dir: filepath.Join(t.TempDir(), "j")}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	size := func() int64 {
		st, err := j.f.Stat()
		if err != nil {
			t.Fatal(err)
		}
		return st.Size()
	}
	for id := int64(1); id <= 5; id++ {
		j.pending.Add(1)
		if err := j.mark(id, at); err != nil {
			t.Fatal(err)
		}
	}
	full := size()
	if got := readMarks(mustRead(t, j.name)); len(got) != 5 || got[4].id != 5 || !got[4].at.Equal(at) {
		t.Fatalf("marks read back: %+v", got)
	}
	for i := 0; i < 4; i++ {
		j.settled(nil)
		if size() != full {
			t.Fatalf("emptied with %d marks still on their way to the database", j.pending.Load())
		}
	}
	j.settled(nil)
	if size() != 0 {
		t.Fatalf("all marks settled, journal still %d bytes", size())
	}
	// A failed database write keeps the marks for the next fold.
	j.pending.Add(1)
	if err := j.mark(6, at); err != nil {
		t.Fatal(err)
	}
	j.settled(errors.New("disk full"))
	name := j.name
	j.close()
	if got := readMarks(mustRead(t, name)); len(got) != 1 || got[0].id != 6 {
		t.Fatalf("journal after a failed write and close: %+v", got)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func FuzzReadMarks(f *testing.F) {
	f.Add([]byte("S 12 2026-03-02T09:00:00Z\nS 13 2026-03-02T09:00:00.5Z\n"))
	f.Add([]byte("S 1 garbage\nX 2 2026-03-02T09:00:00Z\nS"))
	f.Add([]byte("D 7 2026-03-02T09:00:01Z 2026-03-02 \"dunner\" \"250 2.0.0 Ok: queued as 4711\"\nD 8 x"))
	// Whatever a torn or foreign file holds, what is read back is marks
	// that write and read the same again.
	f.Fuzz(func(t *testing.T, b []byte) {
		marks := readMarks(b)
		var again []byte
		for _, m := range marks {
			again = appendMark(again, m)
		}
		got := readMarks(again)
		if len(got) != len(marks) {
			t.Fatalf("%d marks, %d after writing them again", len(marks), len(got))
		}
		for i := range got {
			g, m := got[i], marks[i]
			if g.kind != m.kind || g.id != m.id || !g.at.Equal(m.at) || g.on != m.on || g.actor != m.actor ||
				g.response != m.response {
				t.Fatalf("mark %d: %+v became %+v", i, m, g)
			}
		}
	})
}

// A sender killed after the server took a notice and before its record
// committed: the delivery in its journal is recorded by the next fold
// (levels, clock, response), not left uncertain; a data start alone
// still is.
func TestJournalFoldsDeliveries(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "dunner.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	on := agent.MustDate("2026-03-02")
	var drs []*agent.Draft
	var items []agent.Item
	for i := 0; i < 3; i++ {
		items = append(items, agent.Item{CustomerID: fmt.Sprint("C", i), Invoice: fmt.Sprint("R-", i),
			DocType: agent.DocInvoice, DueDate: agent.MustDate("2026-02-01"), Currency: "EUR", OpenAmount: decimal.New(100, 0)})
	}
	if _, err := s.ImportLedger(ctx, "default", items, at); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		ref := agent.Ref{Entity: "default", CustomerID: fmt.Sprint("C", i), Invoice: fmt.Sprint("R-", i)}
		dr := &agent.Draft{Kind: agent.KindNotice, CustomerID: ref.CustomerID, Level: 2, Template: "reminder2",
			Language: "en", State: agent.Approved, AsOf: on, MessageID: fmt.Sprint(i, "@test"),
			Notice: agent.Notice{Items: []agent.NoticeItem{{Ref: ref, Level: 2, Needs: true}}}}
		if err := s.SaveRun(ctx, &agent.RunResult{At: at, Drafts: []*agent.Draft{dr}}); err != nil {
			t.Fatal(err)
		}
		if err := s.Claim(ctx, dr.ID, agent.Approved, 1, at, "test"); err != nil {
			t.Fatal(err)
		}
		drs = append(drs, dr)
	}
	// The second's record made it before the sender died.
	if err := s.DataStarted(ctx, drs[1].ID, at); err != nil {
		t.Fatal(err)
	}
	drs[1].DataAt = &at // as the send pass keeps it
	if err := s.Delivered(ctx, drs[1].Delivery(on, at.Add(time.Second), "dunner", "250 recorded")); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// The dead sender's journal: all three started, the first two were
	// taken by the server, the third not.
	var b []byte
	for _, dr := range drs {
		b = appendMark(b, journalMark{kind: 'S', id: dr.ID, at: at})
	}
	for _, dr := range drs[:2] {
		b = appendMark(b, journalMark{kind: 'D', id: dr.ID, at: at.Add(time.Second), on: on, actor: "dunner",
			response: "250 2.0.0 Ok: queued as \"Q\" " + dr.CustomerID})
	}
	dir := journalDir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "1.1.log"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i, want := range []agent.DraftState{agent.Delivered, agent.Delivered, agent.Sending} {
		got, err := s.Draft(ctx, drs[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != want || got.DataAt == nil {
			t.Errorf("draft %d: %s, data started %v; want %s", i, got.State, got.DataAt, want)
		}
		wantResponse := "250 2.0.0 Ok: queued as \"Q\" " + drs[i].CustomerID
		if i == 1 {
			wantResponse = "250 recorded"
		}
		if want == agent.Delivered && got.Response != wantResponse {
			t.Errorf("draft %d: response %q", i, got.Response)
		}
		var ci *agent.CustomerItems
		if err := s.ScanOpenItems(ctx, drs[i].CustomerID, func(c *agent.CustomerItems) error { ci = c; return nil }); err != nil {
			t.Fatal(err)
		}
		wantLevel, wantLast := 0, agent.Date(0)
		if want == agent.Delivered {
			wantLevel, wantLast = 2, on
		}
		if ci == nil || len(ci.Items) != 1 || ci.Items[0].State.LastLevel != wantLevel || ci.LastNotice != wantLast {
			t.Errorf("draft %d: customer items after the fold: %+v", i, ci)
		}
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("journal left after the fold (%v)", err)
	}
}
