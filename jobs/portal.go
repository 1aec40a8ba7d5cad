package jobs

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/dunnerhq/dunner/agent"
)

// PortalSource is one customer's configured AP portal.
type PortalSource struct {
	CustomerID string
	Portal     agent.Portal
}

// ErrNoOpenInvoice is returned when --invoice names no open invoice of the
// customer: there would be nothing to record what the portal says against.
var ErrNoOpenInvoice = errors.New("no open invoice")

// PortalInvoiceReport is what a sync found and did for one invoice.
type PortalInvoiceReport struct {
	CustomerID string `json:"customer_id"`
	agent.PortalInvoice
	Documents []string `json:"documents"` // kind:name of each stored
	Effects   []string `json:"effects"`
}

// PortalSummary is what a portal sync did.
type PortalSummary struct {
	Customers int                   `json:"customers"`
	Invoices  []PortalInvoiceReport `json:"invoices"`
	Documents int                   `json:"documents"`
	Advised   int                   `json:"advised"`
	Disputed  int                   `json:"disputed"`
	Tasks     int                   `json:"tasks"`
	// Failed lists the visits and invoices that failed, one line each.
	Failed []string `json:"failed"`
}

// SyncPortals visits each customer's portal for its open invoices (or only
// invoice, with one source) and acts on what it shows: documents are filed
// for the items, so they go with the next notice; a payment scheduled or
// made marks the item payment-advised for that date, so dunning waits; a
// rejection or block marks it disputed and gives a collector a task. A
// failed visit does not stop the others; the error returned names them all.
func (d *Dunning) SyncPortals(ctx context.Context, sources []PortalSource, invoice string) (*PortalSummary, error) {
	sum := &PortalSummary{Invoices: []PortalInvoiceReport{}, Failed: []string{}}
	var errs []error
	for _, src := range sources {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		err := d.syncPortal(ctx, src, invoice, sum)
		if errors.Is(err, ErrNoOpenInvoice) {
			return sum, err
		}
		if err != nil {
			d.log().Error("portal sync failed", "customer", src.CustomerID, "err", err)
			sum.Failed = append(sum.Failed, err.Error())
			errs = append(errs, err)
		}
	}
	for _, r := range sum.Invoices {
		if r.Error != "" {
			sum.Failed = append(sum.Failed, r.Error)
			errs = append(errs, errors.New(r.Error))
		}
	}
	d.log().Info("portal sync done", "customers", sum.Customers, "invoices", len(sum.Invoices),
		"documents", sum.Documents, "advised", sum.Advised, "disputed", sum.Disputed, "tasks", sum.Tasks,
		"failed", len(sum.Failed))
	return sum, errors.Join(errs...)
}

func (d *Dunning) syncPortal(ctx context.Context, src PortalSource, invoice string, sum *PortalSummary) error {
	// Items by invoice number: one number may be open in several entities.
	byNumber := map[string][]agent.OpenItem{}
	err := d.Store.ScanOpenItems(ctx, src.CustomerID, func(ci *agent.CustomerItems) error {
		for _, it := range ci.Items {
			if it.DocType != agent.DocInvoice || !it.OpenAmount.IsPositive() {
				continue
			}
			if invoice != "" && !strings.EqualFold(it.Invoice, invoice) {
				continue
			}
			byNumber[it.Invoice] = append(byNumber[it.Invoice], it)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("portal %s: %w", src.CustomerID, err)
	}
	if invoice != "" && len(byNumber) == 0 {
		return fmt.Errorf("%w %s for customer %s", ErrNoOpenInvoice, invoice, src.CustomerID)
	}
	sum.Customers++
	if len(byNumber) == 0 {
		d.log().Info("portal: no open invoices to look up", "customer", src.CustomerID)
		return nil
	}
	numbers := make([]string, 0, len(byNumber))
	for n := range byNumber {
		numbers = append(numbers, n)
	}
	sort.Strings(numbers)
	d.log().Info("portal visit", "customer", src.CustomerID, "invoices", len(numbers))
	res, err := src.Portal.Fetch(ctx, agent.PortalRequest{CustomerID: src.CustomerID, Invoices: numbers})
	if err != nil {
		return err
	}
	for _, pi := range res.Invoices {
		rep := PortalInvoiceReport{CustomerID: src.CustomerID, PortalInvoice: pi, Documents: []string{}, Effects: []string{}}
		items := byNumber[pi.Invoice]
		if len(items) == 0 {
			// The portal answered about a number not asked for.
			continue
		}
		if err := d.actOnPortal(ctx, src.CustomerID, items, &rep, sum); err != nil {
			return fmt.Errorf("portal %s: invoice %s: %w", src.CustomerID, pi.Invoice, err)
		}
		d.log().Info("portal invoice synced", "customer", src.CustomerID, "invoice", pi.Invoice, "found", pi.Found,
			"status", string(pi.Status), "status_text", pi.StatusText, "date", pi.Date.String(), "reason", pi.Reason,
			"documents", len(rep.Documents), "effects", strings.Join(rep.Effects, "; "), "error", pi.Error)
		sum.Invoices = append(sum.Invoices, rep)
	}
	return nil
}

// actOnPortal records one invoice's documents and status. It is
// idempotent: a daily sync that finds the same status changes nothing and
// makes no second task.
func (d *Dunning) actOnPortal(ctx context.Context, customerID string, items []agent.OpenItem, rep *PortalInvoiceReport,
	sum *PortalSummary) error {
	now := d.Clock.Now()
	ev := func(kind, detail string) agent.Event {
		return agent.Event{At: now, Actor: "portal", Kind: kind, Detail: detail}
	}
	for _, doc := range rep.PortalInvoice.Documents {
		for _, it := range items {
			c := *doc
			c.Ref = it.Ref()
			if c.FetchedAt.IsZero() {
				c.FetchedAt = now
			}
			if err := d.Store.PutDocument(ctx, &c); err != nil {
				return err
			}
		}
		sum.Documents++
		rep.Documents = append(rep.Documents, doc.Kind+":"+doc.Name)
	}
	pi := &rep.PortalInvoice
	said := fmt.Sprintf("portal: %q", pi.StatusText)
	switch pi.Status {
	case agent.PortalScheduled, agent.PortalPaid:
		on := pi.Date
		if on.IsZero() {
			// No date shown: dunning waits from today by the grace.
			on = d.Today()
		}
		for _, it := range items {
			if it.State.AdvisedDate == on {
				continue
			}
			if err := d.Store.SetAdvice(ctx, it.Ref(), on, ev("item.advised", said+" "+on.String())); err != nil {
				return err
			}
			sum.Advised++
			rep.Effects = append(rep.Effects, fmt.Sprintf("payment advised %s for %s", it.Invoice, on))
		}
	case agent.PortalRejected, agent.PortalDisputed:
		reason := pi.Reason
		if reason == "" {
			reason = pi.StatusText
		}
		var refs []agent.Ref
		for _, it := range items {
			if it.State.Disputed {
				continue
			}
			if err := d.Store.SetDispute(ctx, it.Ref(), true, reason, ev("item.disputed", said+": "+reason)); err != nil {
				return err
			}
			sum.Disputed++
			refs = append(refs, it.Ref())
			rep.Effects = append(rep.Effects, "disputed "+it.Invoice)
		}
		if len(refs) == 0 {
			break
		}
		t := &agent.Task{CustomerID: customerID, Kind: agent.TaskPortalDispute, Items: refs, DueDate: d.Today(),
			Note: fmt.Sprintf("The AP portal shows invoice %s as %q: %s. It is out of dunning until resolved.",
				pi.Invoice, pi.StatusText, reason)}
		if err := d.Store.SaveRun(ctx, &agent.RunResult{At: now, Actor: "portal", Tasks: []*agent.Task{t}}); err != nil {
			return err
		}
		sum.Tasks++
		rep.Effects = append(rep.Effects, "task "+agent.TaskPortalDispute)
	}
	return nil
}
