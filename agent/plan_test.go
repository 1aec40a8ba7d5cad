package agent

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func standard() *Policy {
	return &Policy{
		Name: "standard", MinOverdue: dec("50.00"), MinDaysBetween: 7, PromiseGraceDays: 3,
		Upcoming: &Upcoming{Days: -5, Template: "upcoming"},
		Levels: []Level{
			{Level: 1, Days: 3, Template: "reminder1"},
			{Level: 2, Days: 15, Template: "reminder2"},
			{Level: 3, Days: 30, Template: "final_notice", Review: true, Fee: dec("40.00"), Interest: dec("0.1015")},
			{Level: 4, Days: 45, Action: ActionEscalate},
		},
	}
}

func cust(mods ...func(*Customer)) *Customer {
	c := &Customer{ID: "C1", Name: "Acme", Language: "en", Location: time.UTC, Review: ReviewDefault,
		Contacts: []Contact{{Email: "ap@acme.example", Role: "billing"}, {Email: "cfo@acme.example", Role: "escalation"}}}
	for _, m := range mods {
		m(c)
	}
	return c
}

// inv builds an open invoice due dpd days before asOf.
func inv(no string, dpd int, open string, mods ...func(*OpenItem)) OpenItem {
	it := OpenItem{Item: Item{Entity: "default", CustomerID: "C1", Invoice: no, DocType: DocInvoice,
		DueDate: asOf.AddDays(-dpd), Currency: "EUR", OpenAmount: dec(open)}}
	for _, m := range mods {
		m(&it)
	}
	return it
}

var asOf = MustDate("2026-03-01")

func last(l int) func(*OpenItem)      { return func(it *OpenItem) { it.State.LastLevel = l } }
func cur(c string) func(*OpenItem)    { return func(it *OpenItem) { it.Currency = c } }
func doc(t DocType) func(*OpenItem)   { return func(it *OpenItem) { it.DocType = t } }
func block(r string) func(*OpenItem)  { return func(it *OpenItem) { it.DunningBlock = r } }
func disputed() func(*OpenItem)       { return func(it *OpenItem) { it.State.Disputed = true } }
func promised(d Date) func(*OpenItem) { return func(it *OpenItem) { it.State.PromisedDate = d } }
func advised(d Date) func(*OpenItem)  { return func(it *OpenItem) { it.State.AdvisedDate = d } }
func reminded() func(*OpenItem)       { return func(it *OpenItem) { it.State.Reminded = true } }

func TestPlanCustomer(t *testing.T) {
	type want struct {
		skip       string
		level      int    // notice level, 0 = no notice
		escalation int    // escalation level, 0 = none
		items      string // listed items as "no:level,…"
		upcoming   string
		hold       bool
	}
	tests := []struct {
		name       string
		c          *Customer
		p          *Policy
		items      []OpenItem
		lastNotice Date
		want       want
	}{
		{name: "nothing open", items: nil, want: want{}},
		{name: "first notice at level 1 even when old", items: []OpenItem{inv("A", 40, "100")},
			want: want{level: 1, items: "A:1"}},
		{name: "climbs one level", items: []OpenItem{inv("A", 40, "100", last(1))},
			want: want{level: 2, items: "A:2"}},
		{name: "level 3 held for review", items: []OpenItem{inv("A", 31, "100", last(2))},
			want: want{level: 3, items: "A:3", hold: true}},
		{name: "review never overrides the level", c: cust(func(c *Customer) { c.Review = ReviewNever }),
			items: []OpenItem{inv("A", 31, "100", last(2))}, want: want{level: 3, items: "A:3"}},
		{name: "review always holds level 1", c: cust(func(c *Customer) { c.Review = ReviewAlways }),
			items: []OpenItem{inv("A", 5, "100")}, want: want{level: 1, items: "A:1", hold: true}},
		{name: "skip levels", p: func() *Policy { p := standard(); p.SkipLevels = true; return p }(),
			items: []OpenItem{inv("A", 20, "100")}, want: want{level: 2, items: "A:2"}},
		{name: "already at target: no entry", items: []OpenItem{inv("A", 10, "100", last(1))}, want: want{}},
		{name: "overdue before the first level is listed at level 0",
			items: []OpenItem{inv("A", 4, "100"), inv("B", 1, "30")}, want: want{level: 1, items: "A:1,B:0"}},
		{name: "new invoice joins at the older item's level",
			items: []OpenItem{inv("A", 20, "100", last(1)), inv("B", 4, "100")}, want: want{level: 2, items: "A:2,B:1"}},
		{name: "below minimum", items: []OpenItem{inv("A", 5, "49.99")}, want: want{skip: SkipBelowMinimum}},
		{name: "minimum reached exactly", items: []OpenItem{inv("A", 5, "50.00")}, want: want{level: 1, items: "A:1"}},
		{name: "minimum counts level-0 items", items: []OpenItem{inv("A", 5, "30"), inv("B", 1, "20")},
			want: want{level: 1, items: "A:1,B:0"}},
		{name: "minimum is per currency, never added",
			items: []OpenItem{inv("A", 5, "30"), inv("B", 5, "30", cur("USD"))}, want: want{skip: SkipBelowMinimum}},
		{name: "one currency triggers, notice lists all",
			items: []OpenItem{inv("A", 5, "300"), inv("B", 5, "30", cur("USD"))}, want: want{level: 1, items: "A:1,B:1"}},
		{name: "credits cover",
			items: []OpenItem{inv("A", 5, "100"), inv("CN", 0, "-100", doc(DocCreditNote))}, want: want{skip: SkipCreditCovers}},
		{name: "credits do not cover",
			items: []OpenItem{inv("A", 5, "100"), inv("P", 0, "-99.99", doc(DocPayment))}, want: want{level: 1, items: "A:1"}},
		{name: "credits in another currency do not cover",
			items: []OpenItem{inv("A", 5, "100"), inv("CN", 0, "-500", doc(DocCreditNote), cur("USD"))}, want: want{level: 1, items: "A:1"}},
		{name: "recently contacted", items: []OpenItem{inv("A", 20, "100", last(1))}, lastNotice: asOf.AddDays(-6),
			want: want{skip: SkipRecentlyContacted}},
		{name: "min days between reached", items: []OpenItem{inv("A", 20, "100", last(1))}, lastNotice: asOf.AddDays(-7),
			want: want{level: 2, items: "A:2"}},
		{name: "do not dun", c: cust(func(c *Customer) { c.DoNotDun = true }), items: []OpenItem{inv("A", 20, "100")},
			want: want{skip: SkipDoNotDun}},
		{name: "nothing eligible", items: []OpenItem{inv("A", 20, "100", block("legal")), inv("B", 20, "100", disputed())},
			want: want{skip: SkipNothingEligible}},
		{name: "only credit notes: nothing eligible", items: []OpenItem{inv("CN", 3, "-10", doc(DocCreditNote))},
			want: want{skip: SkipNothingEligible}},
		{name: "active promise (within grace)", items: []OpenItem{inv("A", 20, "100", promised(asOf.AddDays(-3)))},
			want: want{skip: SkipNothingEligible}},
		{name: "broken promise (grace passed)", items: []OpenItem{inv("A", 20, "100", promised(asOf.AddDays(-4)))},
			want: want{level: 1, items: "A:1"}},
		{name: "payment advised", items: []OpenItem{inv("A", 20, "100", advised(asOf))},
			want: want{skip: SkipNothingEligible}},
		{name: "no contact", c: cust(func(c *Customer) { c.Contacts = nil }), items: []OpenItem{inv("A", 20, "100")},
			want: want{skip: SkipNoContact}},
		{name: "undeliverable contacts count as none",
			c:     cust(func(c *Customer) { c.Contacts = []Contact{{Email: "x@y.example", Undeliverable: true}} }),
			items: []OpenItem{inv("A", 20, "100")}, want: want{skip: SkipNoContact}},
		{name: "escalation needs no contact", c: cust(func(c *Customer) { c.Contacts = nil }),
			items: []OpenItem{inv("A", 50, "100", last(3))}, want: want{escalation: 4}},
		{name: "escalation respects min days between", items: []OpenItem{inv("A", 50, "100", last(3))},
			lastNotice: asOf.AddDays(-2), want: want{skip: SkipRecentlyContacted}},
		{name: "upcoming within window", items: []OpenItem{inv("U", -5, "10"), inv("V", -6, "10"), inv("W", 0, "10")},
			want: want{upcoming: "W,U"}},
		{name: "upcoming not twice", items: []OpenItem{inv("U", -2, "10", reminded())}, want: want{}},
		{name: "upcoming beside a notice", items: []OpenItem{inv("A", 5, "100"), inv("U", -1, "10")},
			want: want{level: 1, items: "A:1", upcoming: "U"}},
		{name: "upcoming needs a contact", c: cust(func(c *Customer) { c.Contacts = nil }),
			items: []OpenItem{inv("U", -1, "10")}, want: want{}},
		{name: "upcoming ignores the minimum while the notice is below it",
			items: []OpenItem{inv("A", 5, "10"), inv("U", -1, "10")}, want: want{skip: SkipBelowMinimum, upcoming: "U"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, p := tt.c, tt.p
			if c == nil {
				c = cust()
			}
			if p == nil {
				p = standard()
			}
			cp := PlanCustomer(c, p, tt.items, tt.lastNotice, asOf)
			var got want
			if cp.Skip != nil {
				got.skip = cp.Skip.Reason
			}
			if cp.Notice != nil {
				got.level = cp.Notice.Level
				got.items = listItems(cp.Notice.Items, true)
				got.hold = cp.Notice.Hold
			}
			if cp.Escalation != nil {
				got.escalation = cp.Escalation.Level
			}
			if cp.Upcoming != nil {
				got.upcoming = listItems(cp.Upcoming.Items, false)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func listItems(items []NoticeItem, levels bool) string {
	s := ""
	for i, it := range items {
		if i > 0 {
			s += ","
		}
		s += it.Ref.Invoice
		if levels {
			s += ":" + itoa(it.Level)
		}
	}
	return s
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestTotalsFeesAndInterest(t *testing.T) {
	items := []OpenItem{
		inv("A", 40, "1000.00", last(2)),
		inv("B", 35, "333.33", last(2)),
		inv("C", 31, "200.00", last(2), cur("USD")),
	}
	cp := PlanCustomer(cust(), standard(), items, 0, asOf)
	if cp.Notice == nil || cp.Notice.Level != 3 {
		t.Fatalf("want a level-3 notice, got %+v", cp)
	}
	// A: 1000 × 0.1015 × 40/365 = 11.1232… → 11.12; B: 333.33 × 0.1015 × 35/365 = 3.2442… → 3.24
	// C: 200 × 0.1015 × 31/365 = 1.7241… → 1.72
	want := []struct{ cur, overdue, fees, interest string }{
		{"EUR", "1333.33", "40.00", "14.36"},
		{"USD", "200.00", "40.00", "1.72"},
	}
	if len(cp.Notice.Totals) != len(want) {
		t.Fatalf("totals = %+v", cp.Notice.Totals)
	}
	for i, w := range want {
		got := cp.Notice.Totals[i]
		if got.Currency != w.cur || !got.Overdue.Equal(dec(w.overdue)) || !got.Fees.Equal(dec(w.fees)) ||
			!got.Interest.Equal(dec(w.interest)) {
			t.Errorf("total %d = %s %s %s %s, want %+v", i, got.Currency, got.Overdue, got.Fees, got.Interest, w)
		}
	}
}

func TestInterestRoundsHalfUpPerItem(t *testing.T) {
	// 365 × 0.1 × 1/365 … pick amounts whose interest ends in exactly .005:
	// 18.25 × 0.1 × 1 / 365 = 0.005 → 0.01 (half-up), summed per item.
	p := &Policy{MinOverdue: dec("0"), Levels: []Level{{Level: 1, Days: 1, Template: "r", Interest: dec("0.1")}}}
	items := []OpenItem{inv("A", 1, "18.25"), inv("B", 1, "18.25")}
	cp := PlanCustomer(cust(), p, items, 0, asOf)
	if got := cp.Notice.Totals[0].Interest; !got.Equal(dec("0.02")) {
		t.Errorf("interest = %s, want 0.02 (0.005 rounds up per item)", got)
	}
}

func TestPlanJSONShape(t *testing.T) {
	p := &Plan{AsOf: asOf}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"as_of":"2026-03-01","notices":[],"upcoming":[],"escalations":[],"skipped":[]}`
	if string(b) != want {
		t.Errorf("empty plan = %s, want %s", b, want)
	}
	p.Add(PlanCustomer(cust(), standard(), []OpenItem{inv("R-1001", 16, "100", last(1))}, 0, asOf))
	b, _ = json.Marshal(p)
	want = `{"as_of":"2026-03-01","notices":[{"customer":"C1","level":2,"template":"reminder2","language":"en",` +
		`"to":["ap@acme.example"],"items":[{"invoice":"R-1001","days_past_due":16,"open_amount":"100.00",` +
		`"currency":"EUR","level":2}],"totals":[{"currency":"EUR","overdue":"100.00","fees":"0.00","interest":"0.00"}]}],` +
		`"upcoming":[],"escalations":[],"skipped":[]}`
	if string(b) != want {
		t.Errorf("plan =\n%s\nwant\n%s", b, want)
	}
}

func TestRecipients(t *testing.T) {
	c := cust(func(c *Customer) {
		c.Contacts = []Contact{{Email: "a@x.example", Role: "escalation"}, {Email: "b@x.example", Role: "dispute"}}
	})
	if got := c.Recipients(); len(got) != 2 {
		t.Errorf("no billing role: want all contacts, got %v", got)
	}
}

func TestNextNeverSkips(t *testing.T) {
	p := standard()
	for _, tt := range []struct{ dpd, last, want int }{
		{0, 0, 0}, {3, 0, 1}, {100, 0, 1}, {100, 1, 2}, {100, 2, 3}, {100, 3, 4}, {100, 4, 4}, {16, 3, 2},
	} {
		if got := p.next(tt.dpd, tt.last); got != tt.want {
			t.Errorf("next(dpd=%d, last=%d) = %d, want %d", tt.dpd, tt.last, got, tt.want)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "R-1", "Müller \"GmbH\"", "a\\b", "\x00\x1f\u2028", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := appendString(nil, s)
		var got string
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("appendString(%q) = %s: %v", s, b, err)
		}
		want, _ := json.Marshal(s)
		var w string
		json.Unmarshal(want, &w)
		if got != w {
			t.Errorf("appendString(%q) decodes to %q, encoding/json gives %q", s, got, w)
		}
	})
}

func TestBrokenPromises(t *testing.T) {
	items := []OpenItem{
		inv("KEPT", 20, "100", promised(asOf.AddDays(-3))),   // within grace
		inv("BROKEN", 20, "100", promised(asOf.AddDays(-4))), // grace passed
		inv("PAID", 20, "0", promised(asOf.AddDays(-10))),    // nothing open: kept its word
	}
	cp := PlanCustomer(cust(), standard(), items, 0, asOf)
	if len(cp.BrokenPromises) != 1 || cp.BrokenPromises[0].Invoice != "BROKEN" {
		t.Errorf("broken promises = %v", cp.BrokenPromises)
	}
	if cp.Notice == nil || listItems(cp.Notice.Items, false) != "BROKEN" {
		t.Errorf("the broken promise is dunned again: %+v", cp.Notice)
	}
}

func TestAgingAndDSO(t *testing.T) {
	a := NewAging(asOf)
	for _, it := range []OpenItem{inv("A", -3, "100"), inv("B", 10, "50"), inv("C", 45, "25"), inv("D", 200, "5"),
		inv("E", 10, "70", cur("USD")), inv("CN", 0, "-30", doc(DocCreditNote))} {
		a.Add(&it)
	}
	lines := a.Lines()
	if len(lines) != 2 || lines[0].Currency != "EUR" {
		t.Fatalf("lines = %+v", lines)
	}
	eur := lines[0]
	want := []string{"100", "50", "25", "0", "0", "5"}
	for i, w := range want {
		if !eur.Buckets[i].Equal(dec(w)) {
			t.Errorf("bucket %s = %s, want %s", AgingBuckets[i], eur.Buckets[i], w)
		}
	}
	if !eur.Total.Equal(dec("180")) || !eur.Credits.Equal(dec("-30")) {
		t.Errorf("total %s credits %s", eur.Total, eur.Credits)
	}
	if d, ok := DSO(dec("180"), dec("540"), 90); !ok || !d.Equal(dec("30")) {
		t.Errorf("DSO = %s", d)
	}
	if _, ok := DSO(dec("1"), dec("0"), 90); ok {
		t.Error("no sales: no DSO")
	}
}
