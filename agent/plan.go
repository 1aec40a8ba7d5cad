package agent

import (
	"encoding/json"
	"sort"

	"github.com/shopspring/decimal"
)

// Skip reasons of SPEC §3.
const (
	SkipBelowMinimum      = "below_minimum"
	SkipRecentlyContacted = "recently_contacted"
	SkipCreditCovers      = "credit_covers"
	SkipDoNotDun          = "do_not_dun"
	SkipNothingEligible   = "nothing_eligible"
	SkipNoContact         = "no_contact"
)

// Notice kinds.
const (
	KindNotice   = "notice"
	KindUpcoming = "upcoming"
)

// NoticeItem is one item as a notice lists it.
type NoticeItem struct {
	Ref         Ref
	DocType     DocType
	IssueDate   Date
	DueDate     Date
	PONumber    string
	Currency    string
	OpenAmount  decimal.Decimal
	DaysPastDue int
	// Level is next(i); Needs reports whether that is above the item's last
	// level, i.e. whether sending this notice moves the item up.
	Level    int
	Needs    bool
	Interest decimal.Decimal
}

// Total is one currency line of a notice.
type Total struct {
	Currency string
	Overdue  decimal.Decimal
	Fees     decimal.Decimal
	Interest decimal.Decimal
}

// Due is what the customer owes on this line.
func (t Total) Due() decimal.Decimal { return t.Overdue.Add(t.Fees).Add(t.Interest) }

// Notice is one planned email to one customer: a dunning notice or an
// upcoming reminder.
type Notice struct {
	Kind         string
	CustomerID   string
	CustomerName string
	Level        int
	Template     string
	Language     string
	To           []string
	Items        []NoticeItem
	Totals       []Total
	AsOf         Date
	// Hold reports that a collector must approve the draft.
	Hold bool
}

// Escalation is a level that makes a collector task instead of an email.
type Escalation struct {
	CustomerID string
	Level      int
	Items      []NoticeItem
	AsOf       Date
}

// Skip says why a customer with open items gets nothing today.
type Skip struct {
	CustomerID string `json:"customer"`
	Reason     string `json:"reason"`
}

// CustomerPlan is the decision for one customer on one date. All fields nil
// or empty means nothing needed a notice.
type CustomerPlan struct {
	Notice     *Notice
	Upcoming   *Notice
	Escalation *Escalation
	Skip       *Skip
}

// Plan is the outcome of a dunning run.
type Plan struct {
	AsOf        Date
	Notices     []*Notice
	Upcoming    []*Notice
	Escalations []*Escalation
	Skipped     []Skip
}

// Add puts one customer's decision into the plan.
func (p *Plan) Add(cp CustomerPlan) {
	if cp.Notice != nil {
		p.Notices = append(p.Notices, cp.Notice)
	}
	if cp.Upcoming != nil {
		p.Upcoming = append(p.Upcoming, cp.Upcoming)
	}
	if cp.Escalation != nil {
		p.Escalations = append(p.Escalations, cp.Escalation)
	}
	if cp.Skip != nil {
		p.Skipped = append(p.Skipped, *cp.Skip)
	}
}

// Sort orders every list by customer, so the same ledger and date always
// print the same plan.
func (p *Plan) Sort() {
	sort.SliceStable(p.Notices, func(i, j int) bool { return p.Notices[i].CustomerID < p.Notices[j].CustomerID })
	sort.SliceStable(p.Upcoming, func(i, j int) bool { return p.Upcoming[i].CustomerID < p.Upcoming[j].CustomerID })
	sort.SliceStable(p.Escalations, func(i, j int) bool {
		return p.Escalations[i].CustomerID < p.Escalations[j].CustomerID
	})
	sort.SliceStable(p.Skipped, func(i, j int) bool { return p.Skipped[i].CustomerID < p.Skipped[j].CustomerID })
}

type (
	itemJSON struct {
		Invoice     string `json:"invoice"`
		DaysPastDue int    `json:"days_past_due"`
		OpenAmount  string `json:"open_amount"`
		Currency    string `json:"currency"`
		Level       int    `json:"level"`
	}
	totalJSON struct {
		Currency string `json:"currency"`
		Overdue  string `json:"overdue"`
		Fees     string `json:"fees"`
		Interest string `json:"interest"`
	}
	noticeJSON struct {
		Customer string      `json:"customer"`
		Level    int         `json:"level"`
		Template string      `json:"template"`
		Language string      `json:"language"`
		To       []string    `json:"to"`
		Items    []itemJSON  `json:"items"`
		Totals   []totalJSON `json:"totals"`
	}
	upcomingJSON struct {
		Customer string   `json:"customer"`
		Items    []string `json:"items"`
	}
	escalationJSON struct {
		Customer string `json:"customer"`
		Level    int    `json:"level"`
	}
)

// MarshalJSON prints SPEC §3's dry-run shape; every list is present, and
// amounts are decimal strings.
func (p *Plan) MarshalJSON() ([]byte, error) {
	notices := make([]noticeJSON, 0, len(p.Notices))
	for _, n := range p.Notices {
		nj := noticeJSON{Customer: n.CustomerID, Level: n.Level, Template: n.Template, Language: n.Language,
			To: n.To, Items: make([]itemJSON, 0, len(n.Items)), Totals: make([]totalJSON, 0, len(n.Totals))}
		if nj.To == nil {
			nj.To = []string{}
		}
		for _, it := range n.Items {
			nj.Items = append(nj.Items, itemJSON{it.Ref.Invoice, it.DaysPastDue,
				FormatAmount(it.OpenAmount, it.Currency), it.Currency, it.Level})
		}
		for _, t := range n.Totals {
			nj.Totals = append(nj.Totals, totalJSON{t.Currency, FormatAmount(t.Overdue, t.Currency),
				FormatAmount(t.Fees, t.Currency), FormatAmount(t.Interest, t.Currency)})
		}
		notices = append(notices, nj)
	}
	up := make([]upcomingJSON, 0, len(p.Upcoming))
	for _, n := range p.Upcoming {
		u := upcomingJSON{Customer: n.CustomerID, Items: make([]string, 0, len(n.Items))}
		for _, it := range n.Items {
			u.Items = append(u.Items, it.Ref.Invoice)
		}
		up = append(up, u)
	}
	esc := make([]escalationJSON, 0, len(p.Escalations))
	for _, e := range p.Escalations {
		esc = append(esc, escalationJSON{e.CustomerID, e.Level})
	}
	skipped := p.Skipped
	if skipped == nil {
		skipped = []Skip{}
	}
	return json.Marshal(struct {
		AsOf        string           `json:"as_of"`
		Notices     []noticeJSON     `json:"notices"`
		Upcoming    []upcomingJSON   `json:"upcoming"`
		Escalations []escalationJSON `json:"escalations"`
		Skipped     []Skip           `json:"skipped"`
	}{p.AsOf.String(), notices, up, esc, skipped})
}

// Eligible reports whether an item may be dunned on asOf (SPEC §3).
func Eligible(c *Customer, p *Policy, it *OpenItem, asOf Date) bool {
	return !c.DoNotDun &&
		it.DocType == DocInvoice &&
		it.OpenAmount.IsPositive() &&
		it.DunningBlock == "" &&
		!it.State.Disputed &&
		!it.promised(asOf, p.PromiseGraceDays) &&
		!it.advised(asOf, p.PromiseGraceDays)
}

// PlanCustomer applies SPEC §3 to one customer's open items on asOf.
// lastNotice is the date of the last notice sent to the customer.
func PlanCustomer(c *Customer, p *Policy, items []OpenItem, lastNotice, asOf Date) CustomerPlan {
	if len(items) == 0 {
		return CustomerPlan{}
	}
	skip := func(reason string) CustomerPlan {
		return CustomerPlan{Skip: &Skip{CustomerID: c.ID, Reason: reason}}
	}
	if c.DoNotDun {
		return skip(SkipDoNotDun)
	}

	type curSums struct {
		overdue, credits decimal.Decimal
		needs            bool
	}
	sums := map[string]*curSums{}
	sum := func(cur string) *curSums {
		s := sums[cur]
		if s == nil {
			s = &curSums{}
			sums[cur] = s
		}
		return s
	}
	var listed, upcoming []NoticeItem
	anyEligible := false
	for i := range items {
		it := &items[i]
		if (it.DocType == DocCreditNote || it.DocType == DocPayment) && it.OpenAmount.IsNegative() {
			s := sum(it.Currency)
			s.credits = s.credits.Add(it.OpenAmount.Neg())
		}
		if !Eligible(c, p, it, asOf) {
			continue
		}
		anyEligible = true
		dpd := asOf.Sub(it.DueDate)
		ni := NoticeItem{
			Ref: it.Ref(), DocType: it.DocType, IssueDate: it.IssueDate, DueDate: it.DueDate,
			PONumber: it.PONumber, Currency: it.Currency, OpenAmount: it.OpenAmount, DaysPastDue: dpd,
		}
		if dpd < 1 {
			if p.Upcoming != nil && -dpd <= abs(p.Upcoming.Days) && !it.State.Reminded {
				upcoming = append(upcoming, ni)
			}
			continue
		}
		ni.Level = p.next(dpd, it.State.LastLevel)
		ni.Needs = ni.Level > it.State.LastLevel
		s := sum(it.Currency)
		s.overdue = s.overdue.Add(it.OpenAmount)
		s.needs = s.needs || ni.Needs
		listed = append(listed, ni)
	}
	if !anyEligible {
		return skip(SkipNothingEligible)
	}

	var cp CustomerPlan
	recipients := c.Recipients()
	if len(upcoming) > 0 && len(recipients) > 0 {
		sortItems(upcoming)
		cp.Upcoming = &Notice{
			Kind: KindUpcoming, CustomerID: c.ID, CustomerName: c.Name, Template: p.Upcoming.Template,
			Language: c.Language, To: recipients, Items: upcoming, AsOf: asOf,
			Hold: c.Review == ReviewAlways,
		}
		cp.Upcoming.Totals = totals(upcoming, nil)
	}

	needs, triggers, covered := false, false, false
	for cur, s := range sums {
		if !s.needs {
			continue
		}
		needs = true
		if s.overdue.LessThan(p.Minimum(cur)) {
			continue
		}
		if s.credits.GreaterThanOrEqual(s.overdue) {
			covered = true
			continue
		}
		triggers = true
	}
	switch {
	case !needs:
		return cp
	case !triggers && covered:
		cp.Skip = &Skip{c.ID, SkipCreditCovers}
		return cp
	case !triggers:
		cp.Skip = &Skip{c.ID, SkipBelowMinimum}
		return cp
	case !lastNotice.IsZero() && asOf.Sub(lastNotice) < p.MinDaysBetween:
		cp.Skip = &Skip{c.ID, SkipRecentlyContacted}
		return cp
	}

	level := 0
	for _, it := range listed {
		level = max(level, it.Level)
	}
	sortItems(listed)
	lv := p.Level(level)
	if lv != nil && lv.Action == ActionEscalate {
		cp.Escalation = &Escalation{CustomerID: c.ID, Level: level, Items: listed, AsOf: asOf}
		return cp
	}
	if len(recipients) == 0 {
		cp.Skip = &Skip{c.ID, SkipNoContact}
		return cp
	}
	n := &Notice{
		Kind: KindNotice, CustomerID: c.ID, CustomerName: c.Name, Level: level, Language: c.Language,
		To: recipients, Items: listed, AsOf: asOf,
	}
	if lv != nil {
		n.Template = lv.Template
		n.Hold = c.Review == ReviewAlways || (lv.Review && c.Review != ReviewNever)
	} else {
		n.Hold = c.Review == ReviewAlways
	}
	n.Totals = totals(listed, lv)
	cp.Notice = n
	return cp
}

// Recompute sets a notice's interest and totals again after items were
// dropped, with the level's fee and rate.
func (n *Notice) Recompute(p *Policy) {
	n.Totals = totals(n.Items, p.Level(n.Level))
}

// totals sums the items per currency and applies the level's fee (once per
// currency line) and interest (per item, rounded to cents, then summed).
func totals(items []NoticeItem, lv *Level) []Total {
	byCur := map[string]*Total{}
	var order []string
	for i := range items {
		it := &items[i]
		t := byCur[it.Currency]
		if t == nil {
			t = &Total{Currency: it.Currency}
			if lv != nil {
				t.Fees = lv.Fee
			}
			byCur[it.Currency] = t
			order = append(order, it.Currency)
		}
		t.Overdue = t.Overdue.Add(it.OpenAmount)
		it.Interest = decimal.Zero
		if lv != nil && lv.Interest.IsPositive() && it.DaysPastDue > 0 {
			it.Interest = RoundMoney(it.OpenAmount.Mul(lv.Interest).Mul(decimal.NewFromInt(int64(it.DaysPastDue))).
				Div(decimal.NewFromInt(365)), it.Currency)
			t.Interest = t.Interest.Add(it.Interest)
		}
	}
	sort.Strings(order)
	out := make([]Total, len(order))
	for i, cur := range order {
		out[i] = *byCur[cur]
	}
	return out
}

func sortItems(items []NoticeItem) {
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if a.DueDate != b.DueDate {
			return a.DueDate < b.DueDate
		}
		return a.Ref.Invoice < b.Ref.Invoice
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
