package agent

import (
	"sort"

	"github.com/shopspring/decimal"
)

// AgingBuckets are the columns of an aging report, by days past due.
var AgingBuckets = []string{"not_due", "1-30", "31-60", "61-90", "91-120", "over_120"}

// agingBucket places an item by its days past due.
func agingBucket(dpd int) int {
	switch {
	case dpd <= 0:
		return 0
	case dpd <= 30:
		return 1
	case dpd <= 60:
		return 2
	case dpd <= 90:
		return 3
	case dpd <= 120:
		return 4
	}
	return 5
}

// AgingLine is one currency of an aging report. Credits (credit notes,
// unapplied cash) are kept apart: netting them into buckets would hide
// overdue debt behind money the customer is owed back.
type AgingLine struct {
	Currency string
	Buckets  []decimal.Decimal // one per AgingBuckets
	Credits  decimal.Decimal
	Total    decimal.Decimal // invoices only
}

// Aging sums open items into buckets per currency on asOf.
type Aging struct {
	AsOf  Date
	lines map[string]*AgingLine
}

// NewAging starts an empty report.
func NewAging(asOf Date) *Aging { return &Aging{AsOf: asOf, lines: map[string]*AgingLine{}} }

// Add counts one open item.
func (a *Aging) Add(it *OpenItem) {
	l := a.lines[it.Currency]
	if l == nil {
		l = &AgingLine{Currency: it.Currency, Buckets: make([]decimal.Decimal, len(AgingBuckets))}
		a.lines[it.Currency] = l
	}
	if it.DocType != DocInvoice || !it.OpenAmount.IsPositive() {
		l.Credits = l.Credits.Add(it.OpenAmount)
		return
	}
	b := agingBucket(a.AsOf.Sub(it.DueDate))
	l.Buckets[b] = l.Buckets[b].Add(it.OpenAmount)
	l.Total = l.Total.Add(it.OpenAmount)
}

// Lines returns the report by currency.
func (a *Aging) Lines() []AgingLine {
	out := make([]AgingLine, 0, len(a.lines))
	for _, l := range a.lines {
		out = append(out, *l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Currency < out[j].Currency })
	return out
}

// DSO is days sales outstanding by the simple method: receivables open now
// over what was invoiced in the last Days days, times Days.
func DSO(open, invoiced decimal.Decimal, days int) (decimal.Decimal, bool) {
	if !invoiced.IsPositive() {
		return decimal.Zero, false
	}
	return open.Mul(decimal.NewFromInt(int64(days))).Div(invoiced).Round(1), true
}
