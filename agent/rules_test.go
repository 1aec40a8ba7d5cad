package agent

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// SPEC §3: amounts are decimal strings with a dot, two decimals as in the
// example, whatever the currency; interest is rounded to cents.
func TestAmountsAreDecimalStringsWithTwoDecimals(t *testing.T) {
	p := &Policy{MinOverdue: dec("0"), Levels: []Level{{Level: 1, Days: 1, Template: "r", Fee: dec("5"), Interest: dec("0.1")}}}
	tests := []struct {
		name, cur, open            string
		dpd                        int
		wantOpen, wantFee, wantInt string
	}{
		{"euro", "EUR", "100", 10, "100.00", "5.00", "0.27"},               // 100 × 0.1 × 10/365 = 0.2739…
		{"yen", "JPY", "1000", 10, "1000.00", "5.00", "2.74"},              // 2.7397… to cents, not to whole yen
		{"yen, small interest", "JPY", "730", 1, "730.00", "5.00", "0.20"}, // 730 × 0.1 / 365 = 0.2
		{"three-digit currency keeps its digits", "KWD", "1.234", 1, "1.234", "5.000", "0.000"},
		{"more digits than the currency", "USD", "10.5", 1, "10.50", "5.00", "0.00"},
	}
	amount := regexp.MustCompile(`^-?[0-9]+\.[0-9]{2,3}$`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cp := PlanCustomer(cust(), p, []OpenItem{inv("A", tt.dpd, tt.open, cur(tt.cur))}, 0, asOf)
			if cp.Notice == nil {
				t.Fatalf("no notice: %+v", cp)
			}
			pl := &Plan{AsOf: asOf}
			pl.Add(cp)
			b, err := json.Marshal(pl)
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Notices []struct {
					Items []struct {
						OpenAmount string `json:"open_amount"`
					} `json:"items"`
					Totals []struct{ Overdue, Fees, Interest string } `json:"totals"`
				} `json:"notices"`
			}
			if err := json.Unmarshal(b, &doc); err != nil {
				t.Fatalf("%v\n%s", err, b)
			}
			n := doc.Notices[0]
			got := []string{n.Items[0].OpenAmount, n.Totals[0].Overdue, n.Totals[0].Fees, n.Totals[0].Interest}
			want := []string{tt.wantOpen, tt.wantOpen, tt.wantFee, tt.wantInt}
			for i := range got {
				if got[i] != want[i] || !amount.MatchString(got[i]) {
					t.Errorf("amounts (open, overdue, fees, interest) = %q, want %q", got, want)
					break
				}
			}
		})
	}
}

// TestContractReadings holds PlanCustomer to SPEC §3's "exact readings",
// one sentence per case.
func TestContractReadings(t *testing.T) {
	zero := func(p *Policy) *Policy { p.MinDaysBetween = 0; return p }
	tests := []struct {
		name       string
		c          *Customer
		p          *Policy
		items      []OpenItem
		lastNotice Date
		want       string // "notice L items" | "skip reason" | "escalate L" | "" ; upcoming as "+up items"
	}{
		// "A customer gets one notice on the as-of date": even with no
		// min_days_between, not a second one the same day.
		{name: "one notice a day without min_days_between", p: zero(standard()),
			items: []OpenItem{inv("A", 20, "100", last(1))}, lastNotice: asOf, want: "skip recently_contacted"},
		{name: "next day is fine without min_days_between", p: zero(standard()),
			items: []OpenItem{inv("A", 20, "100", last(1))}, lastNotice: asOf.AddDays(-1), want: "notice 2 A:2"},
		{name: "level-0 item alone needs nothing", items: []OpenItem{inv("A", 2, "100")}, want: ""},
		{name: "escalation level reached but never sent: climbs to 1",
			items: []OpenItem{inv("A", 60, "100")}, want: "notice 1 A:1"},
		{name: "escalation with skip_levels", p: func() *Policy { p := standard(); p.SkipLevels = true; return p }(),
			items: []OpenItem{inv("A", 60, "100")}, want: "escalate 4"},
		{name: "promise grace boundary: active on the last day", items: []OpenItem{inv("A", 20, "100", promised(asOf.AddDays(-3)))},
			want: "skip nothing_eligible"},
		{name: "advice grace boundary: dunned the day after", items: []OpenItem{inv("A", 20, "100", advised(asOf.AddDays(-4)))},
			want: "notice 1 A:1"},
		{name: "credits exactly equal cover", items: []OpenItem{inv("A", 5, "100"), inv("CN", 0, "-100.00", doc(DocCreditNote))},
			want: "skip credit_covers"},
		{name: "below minimum comes before credit covers",
			items: []OpenItem{inv("A", 5, "40"), inv("CN", 0, "-100", doc(DocCreditNote))}, want: "skip below_minimum"},
		{name: "credit covers when another currency is below minimum",
			items: []OpenItem{inv("A", 5, "100"), inv("CN", 0, "-100", doc(DocCreditNote)), inv("B", 5, "10", cur("USD"))},
			want:  "skip credit_covers"},
		{name: "a covered currency is still listed when another triggers",
			items: []OpenItem{inv("A", 5, "100"), inv("CN", 0, "-100", doc(DocCreditNote)), inv("B", 5, "60", cur("USD"))},
			want:  "notice 1 A:1,B:1"},
		{name: "credit covers before recently contacted",
			items: []OpenItem{inv("A", 20, "100", last(1)), inv("CN", 0, "-100", doc(DocCreditNote))}, lastNotice: asOf.AddDays(-1),
			want: "skip credit_covers"},
		{name: "recently contacted before no contact", c: cust(func(c *Customer) { c.Contacts = nil }),
			items: []OpenItem{inv("A", 20, "100", last(1))}, lastNotice: asOf.AddDays(-1), want: "skip recently_contacted"},
		{name: "do not dun before nothing eligible", c: cust(func(c *Customer) { c.DoNotDun = true }),
			items: []OpenItem{inv("A", 20, "100", disputed())}, want: "skip do_not_dun"},
		{name: "upcoming on the due date and |days| before", items: []OpenItem{inv("U", 0, "10"), inv("V", -5, "10")},
			want: "+up U,V"},
		{name: "upcoming held by review always", c: cust(func(c *Customer) { c.Review = ReviewAlways }),
			items: []OpenItem{inv("U", -1, "10")}, want: "+up U held"},
		{name: "upcoming not for an ineligible item", items: []OpenItem{inv("U", -1, "10", block("x"))},
			want: "skip nothing_eligible"},
		{name: "upcoming beside a recently contacted skip", items: []OpenItem{inv("A", 20, "100", last(1)), inv("U", -1, "10")},
			lastNotice: asOf.AddDays(-1), want: "skip recently_contacted +up U"},
		{name: "notice level is the highest next over currencies that did not trigger",
			items: []OpenItem{inv("A", 20, "10", last(1)), inv("B", 5, "100", cur("USD"))}, want: "notice 2 A:2,B:1"},
		{name: "escalation records all and needs no contact, review never", c: cust(func(c *Customer) {
			c.Contacts, c.Review = nil, ReviewNever
		}), items: []OpenItem{inv("A", 50, "100", last(3)), inv("B", 5, "100")}, want: "escalate 4"},
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
			var got []string
			if cp.Notice != nil {
				got = append(got, "notice "+itoa(cp.Notice.Level)+" "+listItems(cp.Notice.Items, true))
			}
			if cp.Escalation != nil {
				got = append(got, "escalate "+itoa(cp.Escalation.Level))
			}
			if cp.Skip != nil {
				got = append(got, "skip "+cp.Skip.Reason)
			}
			if cp.Upcoming != nil {
				s := "+up " + listItems(cp.Upcoming.Items, false)
				if cp.Upcoming.Hold {
					s += " held"
				}
				got = append(got, s)
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("got %q, want %q", g, tt.want)
			}
		})
	}
}
