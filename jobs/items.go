package jobs

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/dunnerhq/dunner/agent"
)

// ItemView is one open item with its dunning state, as `items list` shows it.
type ItemView struct {
	agent.OpenItem
	AsOf   agent.Date
	Status agent.ItemStatus
	// Why explains the status in words a collector reads.
	Why string
}

func (v ItemView) MarshalJSON() ([]byte, error) {
	var block *string
	if v.DunningBlock != "" {
		block = &v.DunningBlock
	}
	return json.Marshal(struct {
		Entity        string     `json:"entity"`
		CustomerID    string     `json:"customer_id"`
		Invoice       string     `json:"invoice"`
		DocType       string     `json:"doc_type"`
		DueDate       agent.Date `json:"due_date"`
		DaysPastDue   int        `json:"days_past_due"`
		Currency      string     `json:"currency"`
		OpenAmount    string     `json:"open_amount"`
		DunningBlock  *string    `json:"dunning_block"`
		LastLevel     int        `json:"last_level"`
		LastNotice    agent.Date `json:"last_notice"`
		State         string     `json:"state"`
		Why           string     `json:"why"`
		PromisedDate  agent.Date `json:"promised_date"`
		AdvisedDate   agent.Date `json:"advised_date"`
		DisputeReason string     `json:"dispute_reason,omitempty"`
	}{v.Entity, v.CustomerID, v.Invoice, string(v.DocType), v.DueDate, v.AsOf.Sub(v.DueDate), v.Currency,
		agent.FormatCents(v.OpenAmount, v.Currency), block, v.State.LastLevel, v.State.LastNotice,
		string(v.Status), v.Why, v.State.PromisedDate, v.State.AdvisedDate, v.State.DisputeReason})
}

// Items lists open items with their state on asOf (zero: today per
// customer), for one customer or all.
func (d *Dunning) Items(ctx context.Context, customerID string, asOf agent.Date, fn func(ItemView) error) error {
	cs, err := d.customers(ctx)
	if err != nil {
		return fmt.Errorf("items: %w", err)
	}
	return d.Store.ScanOpenItems(ctx, customerID, func(ci *agent.CustomerItems) error {
		c, p, err := cs.get(ci.CustomerID)
		if err != nil {
			return fmt.Errorf("items: %w", err)
		}
		on := d.asOf(asOf, c)
		for _, it := range ci.Items {
			v := ItemView{OpenItem: it, AsOf: on, Status: it.Status(on, p.PromiseGraceDays)}
			v.Why = why(c, p, &it, v.Status, on)
			if err := fn(v); err != nil {
				return err
			}
		}
		return nil
	})
}

func why(c *agent.Customer, p *agent.Policy, it *agent.OpenItem, st agent.ItemStatus, on agent.Date) string {
	switch {
	case c.DoNotDun:
		return "customer is do_not_dun"
	case it.DocType != agent.DocInvoice:
		return "a " + string(it.DocType) + " is a credit, not dunned"
	case !it.OpenAmount.IsPositive():
		return "nothing open"
	case st == agent.StatusBlocked:
		return "dunning block: " + it.DunningBlock
	case st == agent.StatusDisputed:
		if it.State.DisputeReason != "" {
			return "disputed: " + it.State.DisputeReason
		}
		return "disputed"
	case st == agent.StatusPromised:
		return fmt.Sprintf("promised for %s (grace %d days)", it.State.PromisedDate, p.PromiseGraceDays)
	case st == agent.StatusAdvised:
		return fmt.Sprintf("payment advised for %s (grace %d days)", it.State.AdvisedDate, p.PromiseGraceDays)
	}
	dpd := on.Sub(it.DueDate)
	if dpd < 1 {
		return fmt.Sprintf("not due yet (due in %d days)", -dpd)
	}
	return fmt.Sprintf("%d days overdue, last level %d", dpd, it.State.LastLevel)
}
