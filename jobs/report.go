package jobs

import (
	"context"

	"github.com/dunnerhq/dunner/agent"
	"github.com/shopspring/decimal"
)

// Aging is the aging report of all open items on asOf (zero: today).
func (d *Dunning) Aging(ctx context.Context, asOf agent.Date) (*agent.Aging, error) {
	if asOf.IsZero() {
		asOf = d.Today()
	}
	a := agent.NewAging(asOf)
	err := d.Store.ScanOpenItems(ctx, "", func(ci *agent.CustomerItems) error {
		for i := range ci.Items {
			a.Add(&ci.Items[i])
		}
		return nil
	})
	return a, err
}

// DSOLine is days sales outstanding for one currency.
type DSOLine struct {
	Currency string           `json:"currency"`
	Open     decimal.Decimal  `json:"open"`
	Invoiced decimal.Decimal  `json:"invoiced"`
	Days     int              `json:"days"`
	DSO      *decimal.Decimal `json:"dso"` // null without sales in the period
}

// DSO computes days sales outstanding over the last days days.
func (d *Dunning) DSO(ctx context.Context, asOf agent.Date, days int) ([]DSOLine, error) {
	a, err := d.Aging(ctx, asOf)
	if err != nil {
		return nil, err
	}
	sales, err := d.Store.Invoiced(ctx, a.AsOf.AddDays(-days))
	if err != nil {
		return nil, err
	}
	var out []DSOLine
	for _, l := range a.Lines() {
		line := DSOLine{Currency: l.Currency, Open: l.Total, Invoiced: sales[l.Currency], Days: days}
		if v, ok := agent.DSO(l.Total, sales[l.Currency], days); ok {
			line.DSO = &v
		}
		out = append(out, line)
	}
	return out, nil
}
