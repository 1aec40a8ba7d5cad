package agent

import (
	"bufio"
	"bytes"
	"io"
	"sort"
	"strconv"
	"unicode/utf8"

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

// Refs are the history keys of the notice's items, in its order.
func (n *Notice) Refs() []Ref {
	refs := make([]Ref, len(n.Items))
	for i, it := range n.Items {
		refs[i] = it.Ref
	}
	return refs
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
	// BrokenPromises are items promised for a date that passed, grace and
	// all, and still open: they are dunned again, and a collector hears.
	BrokenPromises []Ref
	// Covered lists, when the skip is credit_covers, the credits and the
	// overdue items of the currencies they cover: flagged for cash
	// application (SPEC §3).
	Covered []Ref
	// Basis is the version of the items the plan read (CustomerItems), kept
	// with the drafts it makes.
	Basis int64
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

// PlanEncoder writes SPEC §3's dry-run JSON as the plan is made: notices
// stream out one by one, so a run over a hundred thousand customers never
// holds them all. The other lists are small and come at the end.
type PlanEncoder struct {
	w   *bufio.Writer
	buf []byte
	n   int
	err error
}

// NewPlanEncoder starts the document for asOf.
func NewPlanEncoder(w io.Writer, asOf Date) *PlanEncoder {
	e := &PlanEncoder{w: bufio.NewWriterSize(w, 1<<16)}
	e.buf = append(e.buf, `{"as_of": `...)
	e.buf = appendString(e.buf, asOf.String())
	e.buf = append(e.buf, ",\n \"notices\": ["...)
	e.flush()
	return e
}

func (e *PlanEncoder) flush() {
	if e.err == nil {
		_, e.err = e.w.Write(e.buf)
	}
	e.buf = e.buf[:0]
}

// Notice writes one notice.
func (e *PlanEncoder) Notice(n *Notice) error {
	if e.n > 0 {
		e.buf = append(e.buf, ',')
	}
	e.n++
	e.buf = append(e.buf, "\n  "...)
	e.buf = appendNotice(e.buf, n)
	e.flush()
	return e.err
}

// Close writes the remaining lists of p (its notices are not written again)
// and ends the document.
func (e *PlanEncoder) Close(p *Plan) error {
	b := e.buf
	if e.n > 0 {
		b = append(b, "\n "...)
	}
	b = append(b, "],\n \"upcoming\": ["...)
	for i, n := range p.Upcoming {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, `{"customer": `...)
		b = appendString(b, n.CustomerID)
		b = append(b, `, "items": [`...)
		for j, it := range n.Items {
			if j > 0 {
				b = append(b, ", "...)
			}
			b = appendString(b, it.Ref.Invoice)
		}
		b = append(b, "]}"...)
	}
	b = append(b, "],\n \"escalations\": ["...)
	for i, esc := range p.Escalations {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, `{"customer": `...)
		b = appendString(b, esc.CustomerID)
		b = append(b, `, "level": `...)
		b = strconv.AppendInt(b, int64(esc.Level), 10)
		b = append(b, '}')
	}
	b = append(b, "],\n \"skipped\": ["...)
	for i, s := range p.Skipped {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, `{"customer": `...)
		b = appendString(b, s.CustomerID)
		b = append(b, `, "reason": `...)
		b = appendString(b, s.Reason)
		b = append(b, '}')
	}
	b = append(b, "]}\n"...)
	e.buf = b
	e.flush()
	if e.err == nil {
		e.err = e.w.Flush()
	}
	return e.err
}

func appendNotice(b []byte, n *Notice) []byte {
	b = append(b, `{"customer": `...)
	b = appendString(b, n.CustomerID)
	b = append(b, `, "level": `...)
	b = strconv.AppendInt(b, int64(n.Level), 10)
	b = append(b, `, "template": `...)
	b = appendString(b, n.Template)
	b = append(b, `, "language": `...)
	b = appendString(b, n.Language)
	b = append(b, `, "to": [`...)
	for i, to := range n.To {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = appendString(b, to)
	}
	b = append(b, `], "items": [`...)
	for i, it := range n.Items {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, `{"invoice": `...)
		b = appendString(b, it.Ref.Invoice)
		b = append(b, `, "days_past_due": `...)
		b = strconv.AppendInt(b, int64(it.DaysPastDue), 10)
		b = append(b, `, "open_amount": "`...)
		b = AppendCents(b, it.OpenAmount, it.Currency)
		b = append(b, `", "currency": `...)
		b = appendString(b, it.Currency)
		b = append(b, `, "level": `...)
		b = strconv.AppendInt(b, int64(it.Level), 10)
		b = append(b, '}')
	}
	b = append(b, `], "totals": [`...)
	for i, t := range n.Totals {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, `{"currency": `...)
		b = appendString(b, t.Currency)
		b = append(b, `, "overdue": "`...)
		b = AppendCents(b, t.Overdue, t.Currency)
		b = append(b, `", "fees": "`...)
		b = AppendCents(b, t.Fees, t.Currency)
		b = append(b, `", "interest": "`...)
		b = AppendCents(b, t.Interest, t.Currency)
		b = append(b, `"}`...)
	}
	return append(b, "]}"...)
}

// appendString appends s as a JSON string. Invalid UTF-8 becomes U+FFFD, as
// encoding/json does.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b = append(b, '\\', byte(r))
		case r < 0x20 || r == 0x2028 || r == 0x2029:
			b = append(b, '\\', 'u', hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf])
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return append(b, '"')
}

// MarshalJSON prints SPEC §3's dry-run shape; every list is present, and
// amounts are decimal strings.
func (p *Plan) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	e := NewPlanEncoder(&buf, p.AsOf)
	for _, n := range p.Notices {
		e.Notice(n)
	}
	if err := e.Close(p); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
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
	var broken []Ref
	for i := range items {
		it := &items[i]
		if !it.State.PromisedDate.IsZero() && it.State.PromisedDate.AddDays(p.PromiseGraceDays) < asOf &&
			it.DocType == DocInvoice && it.OpenAmount.IsPositive() {
			broken = append(broken, it.Ref())
		}
	}
	cp := planCustomer(c, p, items, lastNotice, asOf)
	cp.BrokenPromises = broken
	return cp
}

func planCustomer(c *Customer, p *Policy, items []OpenItem, lastNotice, asOf Date) CustomerPlan {
	skip := func(reason string) CustomerPlan {
		return CustomerPlan{Skip: &Skip{CustomerID: c.ID, Reason: reason}}
	}

	type curSums struct {
		overdue, credits decimal.Decimal
		needs, covered   bool
	}
	sums := map[string]*curSums{}
	sum := func(cur string) *curSums {
		s := sums[cur]
		if s == nil {
			s = &curSums{overdue: zeroCents, credits: zeroCents}
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
			covered, s.covered = true, true
			continue
		}
		triggers = true
	}
	switch {
	case !needs:
		return cp
	case !triggers && covered:
		cp.Skip = &Skip{c.ID, SkipCreditCovers}
		for i := range items {
			it := &items[i]
			if s := sums[it.Currency]; s != nil && s.covered && !it.OpenAmount.IsZero() &&
				(it.OpenAmount.IsNegative() && it.DocType != DocInvoice || isListed(listed, it)) {
				cp.Covered = append(cp.Covered, it.Ref())
			}
		}
		return cp
	case !triggers:
		cp.Skip = &Skip{c.ID, SkipBelowMinimum}
		return cp
	case !lastNotice.IsZero() && asOf.Sub(lastNotice) < max(p.MinDaysBetween, 1):
		// One notice a day (SPEC §3), even with min_days_between 0.
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
			t = &Total{Currency: it.Currency, Overdue: zeroCents, Fees: zeroCents, Interest: zeroCents}
			if lv != nil {
				t.Fees = lv.Fee
			}
			byCur[it.Currency] = t
			order = append(order, it.Currency)
		}
		t.Overdue = t.Overdue.Add(it.OpenAmount)
		it.Interest = zeroCents
		if lv != nil && lv.Interest.IsPositive() && it.DaysPastDue > 0 {
			it.Interest = RoundInterest(it.OpenAmount.Mul(lv.Interest).Mul(decimal.NewFromInt(int64(it.DaysPastDue))).
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

// isListed reports whether it is one of the listed (overdue) items.
func isListed(listed []NoticeItem, it *OpenItem) bool {
	ref := it.Ref()
	for i := range listed {
		if listed[i].Ref == ref && it.DocType == DocInvoice {
			return true
		}
	}
	return false
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
