package jobs

import (
	"context"
	"fmt"
	"strings"

	"github.com/dunnerhq/dunner/agent"
	"github.com/shopspring/decimal"
)

// RemittanceResult is what applying one remittance advice did.
type RemittanceResult struct {
	Remittance *agent.Remittance
	CustomerID string
	Applied    []agent.Match // payment-advised: dunning pauses for them
	Review     []agent.Match // waiting for a collector
}

// remittanceThreshold is the confidence from which a match is applied
// without a collector.
func (d *Dunning) remittanceThreshold() float64 {
	if d.RemittanceThreshold > 0 {
		return d.RemittanceThreshold
	}
	return 0.8
}

// ApplyRemittance matches an advice to open items and applies the sure
// matches: the items are marked payment-advised for the payment date, so
// dunning pauses until it is overdue by the grace. The rest goes to a
// collector as one task. customerID may be empty: the payer is then found
// by the invoice numbers.
func (d *Dunning) ApplyRemittance(ctx context.Context, r *agent.Remittance, customerID, source string) (*RemittanceResult, error) {
	res := &RemittanceResult{Remittance: r, CustomerID: customerID}
	var open []agent.OpenItem
	if customerID == "" {
		var numbers []string
		for _, l := range r.Lines {
			numbers = append(numbers, l.Invoice)
		}
		found, err := d.Store.ItemsByInvoice(ctx, numbers)
		if err != nil {
			return nil, err
		}
		// One payer per advice: the customer most of the numbers belong to.
		count := map[string]int{}
		for _, it := range found {
			count[it.CustomerID]++
		}
		for id, n := range count {
			if n > count[customerID] || (n == count[customerID] && id < customerID) {
				customerID = id
			}
		}
		res.CustomerID = customerID
	}
	if customerID != "" {
		err := d.Store.ScanOpenItems(ctx, customerID, func(ci *agent.CustomerItems) error {
			open = append(open, ci.Items...)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	matches := agent.MatchRemittance(r, open, agent.MatchOptions{CustomerID: customerID,
		DiscountPercent: decimal.RequireFromString("0.03"), DiscountDays: 30, Tolerance: decimal.RequireFromString("0.01")})
	on := r.PaymentDate
	if on.IsZero() {
		on = d.Today()
	}
	for _, m := range matches {
		if m.Item == nil || m.Review || m.Confidence < d.remittanceThreshold() {
			res.Review = append(res.Review, m)
			continue
		}
		ev := agent.Event{At: d.Clock.Now(), Actor: "remittance", Kind: "item.advised",
			Detail: fmt.Sprintf("%s: %s (%s, %.2f) paid %s", source, m.Rule, strings.Join(m.Fields, "+"), m.Confidence,
				agent.FormatAmount(m.Paid, m.Item.Currency))}
		if err := d.Store.SetAdvice(ctx, m.Item.Ref(), on, ev); err != nil {
			return nil, err
		}
		res.Applied = append(res.Applied, m)
	}
	if len(res.Review) > 0 {
		var b strings.Builder
		fmt.Fprintf(&b, "Remittance %s from %s (%s %s): %d lines to check:", source, r.Payer, r.PaymentReference,
			r.PaymentDate, len(res.Review))
		t := &agent.Task{CustomerID: customerID, Kind: "remittance_review", DueDate: on}
		for _, m := range res.Review {
			fmt.Fprintf(&b, " [%s: %s]", m.Invoice, m.Note)
			if m.Item != nil {
				t.Items = append(t.Items, m.Item.Ref())
			}
		}
		t.Note = b.String()
		if err := d.Store.SaveRun(ctx, &agent.RunResult{At: d.Clock.Now(), Actor: "remittance", Tasks: []*agent.Task{t}}); err != nil {
			return nil, err
		}
	}
	return res, nil
}
