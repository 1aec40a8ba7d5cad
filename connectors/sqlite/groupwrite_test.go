package sqlite

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/dunnerhq/dunner/agent"
	"github.com/shopspring/decimal"
)

// A send pass's writes from many senders at once: claims, data-start marks
// and deliveries go through the bulk paths, and a draft that moved meanwhile
// fails alone while the others of its group commit are written.
func TestGroupCommitBulkWrites(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	const customers = 60
	var items []agent.Item
	var drafts []*agent.Draft
	for c := 0; c < customers; c++ {
		cust := fmt.Sprintf("C%02d", c)
		for i := 0; i < 3; i++ {
			items = append(items, agent.Item{CustomerID: cust, Invoice: fmt.Sprintf("R-%02d-%d", c, i),
				DocType: agent.DocInvoice, DueDate: agent.MustDate("2026-02-01"), Currency: "EUR",
				OpenAmount: decimal.NewFromInt(100)})
		}
		drafts = append(drafts, approvedNotice(cust))
	}
	if _, err := s.ImportLedger(ctx, "default", items, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveRun(ctx, &agent.RunResult{At: time.Now(), Drafts: drafts}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	ran := s.bulkRuns.Load()

	// Claims in chunks; in the first, one names the wrong state.
	var claims []agent.Claim
	for _, d := range drafts {
		claims = append(claims, agent.Claim{ID: d.ID, From: agent.Approved, Attempts: 1})
	}
	wrong := drafts[3].ID
	claims[3].From = agent.Drafted
	for i := 0; i < len(claims); i += 16 {
		errs := s.ClaimBatch(ctx, claims[i:min(i+16, len(claims))], at, "dunner")
		for j, err := range errs {
			var te *agent.ErrTransition
			switch id := claims[i+j].ID; {
			case id == wrong && !errors.As(err, &te):
				t.Errorf("claim from the wrong state: %v", err)
			case id != wrong && err != nil:
				t.Errorf("claim %d: %v", id, err)
			}
		}
	}
	if s.bulkRuns.Load() == ran {
		t.Error("no claim went in bulk")
	}
	ran = s.bulkRuns.Load()

	// Data-start marks from many senders at once.
	release := holdCommitter(t, s)
	var wg sync.WaitGroup
	for _, d := range drafts {
		if d.ID == wrong {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.DataStarted(ctx, d.ID, at.Add(time.Second)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	release()
	s.async.Wait()
	for _, d := range drafts {
		got, err := s.Draft(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		if (got.DataAt != nil) != (d.ID != wrong) {
			t.Errorf("draft %d (%s): data started at %v", d.ID, got.State, got.DataAt)
		}
	}
	if s.bulkRuns.Load() == ran {
		t.Error("no mark went in bulk")
	}
	ran = s.bulkRuns.Load()

	// Deliveries from many senders at once, one of a draft never claimed.
	on := agent.MustDate("2026-03-02")
	errs := make([]error, len(drafts))
	release = holdCommitter(t, s)
	for i, d := range drafts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var levels []agent.ItemLevel
			for j := 0; j < 3; j++ {
				levels = append(levels, agent.ItemLevel{Ref: agent.Ref{Entity: "default", CustomerID: d.CustomerID,
					Invoice: fmt.Sprintf("R-%02d-%d", i, j)}, Level: 1 + j%2, On: on})
			}
			errs[i] = s.Delivered(ctx, agent.Delivery{DraftID: d.ID, At: at.Add(2 * time.Second), Date: on, Actor: "dunner",
				CustomerID: d.CustomerID, StartClock: true, Response: "250 ok " + d.CustomerID, Levels: levels})
		}()
	}
	release()
	wg.Wait()
	if s.bulkRuns.Load() == ran {
		t.Error("no delivery went in bulk")
	}
	for i, d := range drafts {
		var te *agent.ErrTransition
		if d.ID == wrong != errors.As(errs[i], &te) || d.ID != wrong && errs[i] != nil {
			t.Errorf("delivery of draft %d: %v", d.ID, errs[i])
		}
		got, err := s.Draft(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := agent.Delivered
		if d.ID == wrong {
			want = agent.Approved
		}
		if got.State != want || want == agent.Delivered && (got.Response != "250 ok "+d.CustomerID || got.SentAt == nil) {
			t.Errorf("draft %d: %s, response %q, sent %v", d.ID, got.State, got.Response, got.SentAt)
		}
		evs, err := s.Events(ctx, draftSubject(d.ID))
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		for _, ev := range evs {
			kinds[ev.Kind]++
		}
		if d.ID != wrong && (kinds["draft.sending"] != 1 || kinds["draft.delivered"] != 1) {
			t.Errorf("draft %d: events %v", d.ID, kinds)
		}
	}
	n := 0
	if err := s.ScanOpenItems(ctx, "", func(ci *agent.CustomerItems) error {
		delivered := ci.CustomerID != drafts[3].CustomerID
		if delivered != (ci.LastNotice == on) {
			t.Errorf("%s: last notice %s", ci.CustomerID, ci.LastNotice)
		}
		for j, it := range ci.Items {
			n++
			want := agent.ItemState{}
			if delivered {
				want = agent.ItemState{LastLevel: 1 + j%2, LastNotice: on}
			}
			if it.State.LastLevel != want.LastLevel || it.State.LastNotice != want.LastNotice {
				t.Errorf("%s: level %d on %s, want %d on %s", it.Invoice, it.State.LastLevel, it.State.LastNotice,
					want.LastLevel, want.LastNotice)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if n != 3*customers {
		t.Errorf("scanned %d items", n)
	}
}

// Marks that share a group commit with their drafts' deliveries: the
// delivery carries the data-start time (or the mark still writes it), and
// the marks of drafts not delivered are written as ever.
func TestMarksAndDeliveriesInOneCommit(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	var drafts []*agent.Draft
	for c := 0; c < 8; c++ {
		cust := fmt.Sprintf("C%d", c)
		drafts = append(drafts, approvedNotice(cust))
	}
	if err := s.SaveRun(ctx, &agent.RunResult{At: time.Now(), Drafts: drafts}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	var claims []agent.Claim
	for _, d := range drafts {
		claims = append(claims, agent.Claim{ID: d.ID, From: agent.Approved, Attempts: 1})
	}
	for _, err := range s.ClaimBatch(ctx, claims, at, "dunner") {
		if err != nil {
			t.Fatal(err)
		}
	}
	started := func(i int) time.Time { return at.Add(time.Duration(i+1) * time.Second) }
	release := holdCommitter(t, s)
	var wg sync.WaitGroup
	errs := make([]error, len(drafts))
	for i, d := range drafts {
		if err := s.DataStarted(ctx, d.ID, started(i)); err != nil {
			t.Fatal(err)
		}
		if i%2 == 1 {
			continue // data started, no answer yet
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			dataAt := started(i)
			dl := agent.Delivery{DraftID: d.ID, At: at.Add(time.Minute), Date: agent.MustDate("2026-03-02"),
				Actor: "dunner", CustomerID: d.CustomerID, Response: "250 ok", DataAt: &dataAt}
			if i == 2 {
				dl.DataAt = nil // the mark's time stands
			}
			errs[i] = s.Delivered(ctx, dl)
		}()
	}
	release()
	wg.Wait()
	s.async.Wait()
	for i, d := range drafts {
		if errs[i] != nil {
			t.Errorf("delivery of draft %d: %v", d.ID, errs[i])
		}
		got, err := s.Draft(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := agent.Delivered
		if i%2 == 1 {
			want = agent.Sending
		}
		if got.State != want || got.DataAt == nil || !got.DataAt.Equal(started(i)) {
			t.Errorf("draft %d: %s, data started at %v, want %s and %v", d.ID, got.State, got.DataAt, want, started(i))
		}
	}
}

// openTemp opens a store in a fresh directory, closed when the test ends.
func openTemp(t *testing.T) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "dunner.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// approvedNotice is a level-1 notice draft for cust, approved to go.
func approvedNotice(cust string) *agent.Draft {
	return &agent.Draft{Kind: agent.KindNotice, CustomerID: cust, Level: 1, Template: "reminder1",
		Language: "en", To: []string{"ap@" + cust + ".example"}, Subject: "s", Text: "t", HTML: "h",
		State: agent.Approved, AsOf: agent.MustDate("2026-03-02"), MessageID: cust + "@x.example"}
}

// holdCommitter keeps the committer busy until release, so the writes
// started meanwhile queue up for one group commit, as in a busy send pass.
func holdCommitter(t *testing.T, s *Store) (release func()) {
	held, free := make(chan struct{}), make(chan struct{})
	go s.alone(context.Background(), func() error {
		close(held)
		<-free
		return nil
	})
	<-held
	return func() {
		// Time for the writers to line up behind it.
		time.Sleep(100 * time.Millisecond)
		close(free)
	}
}

// DraftsBatch reads every field as Draft does, NULLs and a notice stored
// as JSON included, and leaves out ids it does not find.
func TestDraftsBatchReadsWhatDraftReads(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	var drafts []*agent.Draft
	for i := 0; i < 3; i++ {
		d := &agent.Draft{Kind: agent.KindNotice, CustomerID: fmt.Sprintf("C%d", i), Level: 2, Template: "reminder2",
			Language: "de", To: []string{"a@x.example", "b@x.example"}, Subject: "Mahnung für Müller",
			Text: "Sehr geehrte Damen und Herren", HTML: "<p>Sehr geehrte</p>", State: agent.Approved,
			AsOf: agent.MustDate("2026-03-02"), MessageID: fmt.Sprintf("m%d@x.example", i), Reason: "r", Basis: 7}
		fill(reflect.ValueOf(&d.Notice).Elem(), rand.New(rand.NewSource(int64(i))))
		drafts = append(drafts, d)
	}
	if err := s.SaveRun(ctx, &agent.RunResult{At: time.Now(), Drafts: drafts}); err != nil {
		t.Fatal(err)
	}
	// One claimed and started, one sent, one with its notice as JSON.
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	if err := s.Claim(ctx, drafts[0].ID, agent.Approved, 1, now, "dunner"); err != nil {
		t.Fatal(err)
	}
	if err := s.Claim(ctx, drafts[1].ID, agent.Approved, 1, now, "dunner"); err != nil {
		t.Fatal(err)
	}
	if err := s.DataStarted(ctx, drafts[1].ID, now.Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	s.async.Wait()
	if err := s.Delivered(ctx, agent.Delivery{DraftID: drafts[1].ID, At: now.Add(2 * time.Second),
		Date: agent.MustDate("2026-03-02"), Response: "250 ok"}); err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(drafts[2].Notice)
	if _, err := s.db.ExecContext(ctx, `UPDATE draft_bodies SET notice = ? WHERE draft_id = ?`, string(js), drafts[2].ID); err != nil {
		t.Fatal(err)
	}
	ids := []int64{drafts[0].ID, drafts[1].ID, drafts[2].ID, 999}
	got, vs, err := s.DraftsBatch(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || len(vs) != 3 {
		t.Fatalf("%d drafts, %d versions", len(got), len(vs))
	}
	for _, g := range got {
		want, err := s.Draft(ctx, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		w, _ := json.Marshal(want)
		b, _ := json.Marshal(g)
		if string(w) != string(b) {
			t.Errorf("draft %d:\nDraft       %s\nDraftsBatch %s", g.ID, w, b)
		}
		sameNotice(t, &want.Notice, &g.Notice)
		if g.Basis != 7 {
			t.Errorf("draft %d: basis %d", g.ID, g.Basis)
		}
	}
}
