package sqlite

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dunnerhq/dunner/agent"
	"github.com/shopspring/decimal"
)

func TestMergeLevels(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	want := map[string]levelEntry{}
	var es []levelEntry
	for round := 0; round < 50; round++ {
		var add []agent.ItemLevel
		for i := rng.Intn(30); i >= 0; i-- {
			l := agent.ItemLevel{Ref: agent.Ref{Invoice: fmt.Sprintf("R-%d", rng.Intn(60))}, Level: rng.Intn(5),
				On: agent.MustDate("2026-01-01").AddDays(round)}
			add = append(add, l)
			w := want[l.Ref.Invoice]
			want[l.Ref.Invoice] = levelEntry{invoice: l.Ref.Invoice, level: max(w.level, l.Level), on: l.On}
		}
		es = mergeLevels(es, add)
		back, err := decodeLevels(string(encodeLevels(nil, es)))
		if err != nil {
			t.Fatal(err)
		}
		if len(back) != len(want) {
			t.Fatalf("round %d: %d entries, want %d", round, len(back), len(want))
		}
		for i, e := range back {
			if e != want[e.invoice] {
				t.Fatalf("round %d: %+v, want %+v", round, e, want[e.invoice])
			}
			if i > 0 && back[i-1].invoice >= e.invoice {
				t.Fatalf("round %d: not sorted at %d", round, i)
			}
			if l, ok := lookupLevel(back, e.invoice); !ok || l != e {
				t.Fatalf("lookup %s: %+v %v", e.invoice, l, ok)
			}
		}
		es = back
	}
	if _, ok := lookupLevel(es, "R-999"); ok {
		t.Error("found an invoice never recorded")
	}
}

// Levels that arrive interleaved (customers mixed, an item twice) are
// recorded as the same levels grouped would be: the highest level, the
// latest date.
func TestRecordLevelsInAnyOrder(t *testing.T) {
	ctx := context.Background()
	ref := func(c, inv string) agent.Ref { return agent.Ref{Entity: "default", CustomerID: c, Invoice: inv} }
	d := func(s string) agent.Date { return agent.MustDate(s) }
	grouped := []agent.ItemLevel{
		{Ref: ref("C1", "A"), Level: 1, On: d("2026-03-01")}, {Ref: ref("C1", "B"), Level: 2, On: d("2026-03-01")},
		{Ref: ref("C1", "A"), Level: 2, On: d("2026-03-08")},
		{Ref: ref("C2", "A"), Level: 3, On: d("2026-03-02")}, {Ref: ref("C2", "Z"), Level: 1, On: d("2026-03-02")},
	}
	interleaved := []agent.ItemLevel{grouped[0], grouped[3], grouped[1], grouped[4], grouped[2]}
	want := map[string]levelEntry{
		"C1/A": {"A", 2, d("2026-03-08")}, "C1/B": {"B", 2, d("2026-03-01")},
		"C2/A": {"A", 3, d("2026-03-02")}, "C2/Z": {"Z", 1, d("2026-03-02")},
	}
	for name, levels := range map[string][]agent.ItemLevel{"grouped": grouped, "interleaved": interleaved} {
		t.Run(name, func(t *testing.T) {
			s := openTemp(t)
			if err := s.SaveRun(ctx, &agent.RunResult{At: time.Now(), Levels: levels}); err != nil {
				t.Fatal(err)
			}
			for k, w := range want {
				c, _, _ := strings.Cut(k, "/")
				es, err := s.customerLevels(ctx, c, "default")
				if err != nil {
					t.Fatal(err)
				}
				got, ok := lookupLevel(es, w.invoice)
				if !ok || got != w {
					t.Errorf("%s: got %+v (found %v), want %+v", k, got, ok, w)
				}
			}
		})
	}
}

func TestDecodeLevelsRejectsDamage(t *testing.T) {
	b := encodeLevels(nil, []levelEntry{{"A", 1, 700000}, {"B", 2, 700001}})
	for cut := 0; cut < len(b); cut++ {
		if _, err := decodeLevels(string(b[:cut])); !errors.Is(err, errLevelsCorrupt) {
			t.Fatalf("cut at %d: %v", cut, err)
		}
	}
	unsorted := encodeLevels(nil, []levelEntry{{"B", 1, 700000}, {"A", 2, 700001}})
	if _, err := decodeLevels(string(unsorted)); !errors.Is(err, errLevelsCorrupt) {
		t.Fatalf("unsorted: %v", err)
	}
}

// A database from before item_levels holds levels in item_state: they
// still count, and a later notice moves them on without going down.
func TestLevelsRecordedBeforeVersion5(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	items := []agent.Item{}
	for _, inv := range []string{"A", "B", "C"} {
		items = append(items, agent.Item{CustomerID: "C1", Invoice: inv, DocType: agent.DocInvoice,
			DueDate: agent.MustDate("2026-01-01"), Currency: "EUR", OpenAmount: decimal.New(100, 0)})
	}
	if _, err := s.ImportLedger(ctx, "default", items, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO item_state (customer_id, entity, invoice, last_level, last_notice)
		VALUES ('C1', 'default', 'A', 3, '2026-02-01'), ('C1', 'default', 'B', 1, '2026-02-01')`); err != nil {
		t.Fatal(err)
	}
	mar := agent.MustDate("2026-03-01")
	ref := func(inv string) agent.Ref { return agent.Ref{Entity: "default", CustomerID: "C1", Invoice: inv} }
	if err := s.SaveRun(ctx, &agent.RunResult{At: time.Now(), Levels: []agent.ItemLevel{
		{Ref: ref("A"), Level: 2, On: mar}, {Ref: ref("B"), Level: 2, On: mar}}}); err != nil {
		t.Fatal(err)
	}
	want := map[string]agent.ItemState{"A": {LastLevel: 3, LastNotice: mar}, "B": {LastLevel: 2, LastNotice: mar},
		"C": {}}
	check := func(how string, its []agent.OpenItem) {
		t.Helper()
		if len(its) != 3 {
			t.Fatalf("%s: %d items", how, len(its))
		}
		for _, it := range its {
			if w := want[it.Invoice]; it.State.LastLevel != w.LastLevel || it.State.LastNotice != w.LastNotice {
				t.Errorf("%s: %s: level %d on %s, want %d on %s", how, it.Invoice, it.State.LastLevel,
					it.State.LastNotice, w.LastLevel, w.LastNotice)
			}
		}
	}
	var scanned []agent.OpenItem
	if err := s.ScanOpenItems(ctx, "", func(ci *agent.CustomerItems) error {
		scanned = append(scanned, ci.Items...)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	check("scan", scanned)
	its, err := s.OpenItems(ctx, []agent.Ref{ref("A"), ref("B"), ref("C")})
	if err != nil {
		t.Fatal(err)
	}
	check("open items", its)
}

func FuzzDecodeLevels(f *testing.F) {
	f.Add(encodeLevels(nil, []levelEntry{{"A", 1, 700000}, {"B", 2, 700001}}))
	f.Add(encodeLevels(nil, nil))
	f.Fuzz(func(t *testing.T, b []byte) {
		es, err := decodeLevels(string(b))
		if err != nil {
			return
		}
		again, err := decodeLevels(string(encodeLevels(nil, es)))
		if err != nil || !slices.Equal(es, again) {
			t.Fatalf("re-encoded levels differ: %v %+v %+v", err, es, again)
		}
	})
}
