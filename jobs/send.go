package jobs

import (
	"context"
	"errors"
	"fmt"

	"github.com/dunnerhq/dunner/agent"
)

// SendSummary counts what a send did.
type SendSummary struct {
	Delivered int `json:"delivered"`
	Withdrawn int `json:"withdrawn"`
	Returned  int `json:"returned"` // sent back to review: the ledger changed under an edited draft
	Failed    int `json:"failed"`
}

// Send delivers approved drafts due by asOf (zero: today). Each draft is
// checked against the ledger right before it goes (SPEC §3): items paid,
// disputed, promised or otherwise no longer dunnable are dropped, and a
// draft with nothing left is withdrawn.
func (d *Dunning) Send(ctx context.Context, asOf agent.Date) (SendSummary, error) {
	var sum SendSummary
	due := asOf
	if due.IsZero() {
		due = d.Today()
	}
	drafts, err := d.Store.Drafts(ctx, agent.DraftFilter{States: []agent.DraftState{agent.Approved}, DueBy: due})
	if err != nil {
		return sum, fmt.Errorf("send: %w", err)
	}
	cs, err := d.customers(ctx)
	if err != nil {
		return sum, fmt.Errorf("send: %w", err)
	}
	var errs []error
	for _, dr := range drafts {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		outcome, err := d.sendOne(ctx, cs, dr, asOf)
		switch {
		case err != nil:
			sum.Failed++
			errs = append(errs, err)
			d.log().Error("send failed", "draft", dr.ID, "customer", dr.CustomerID, "err", err)
		case outcome == agent.Delivered:
			sum.Delivered++
		case outcome == agent.Withdrawn:
			sum.Withdrawn++
		case outcome == agent.Drafted:
			sum.Returned++
		}
	}
	d.log().Info("send done", "delivered", sum.Delivered, "withdrawn", sum.Withdrawn, "returned", sum.Returned,
		"failed", sum.Failed)
	return sum, errors.Join(errs...)
}

func (d *Dunning) sendOne(ctx context.Context, cs *customerSource, dr *agent.Draft, given agent.Date) (agent.DraftState, error) {
	c, p, err := cs.get(dr.CustomerID)
	if err != nil {
		return "", err
	}
	asOf := d.asOf(given, c)
	changed, err := d.recheck(ctx, c, p, dr, asOf)
	if err != nil {
		return "", err
	}
	now := d.Clock.Now()
	if len(dr.Notice.Items) == 0 {
		dr.State, dr.Reason = agent.Withdrawn, "nothing left to dun: items paid, disputed or promised"
		err := d.Store.UpdateDraft(ctx, dr, agent.Approved, agent.Event{At: now, Actor: d.actor(),
			Kind: "draft.withdrawn", Detail: dr.Reason})
		return agent.Withdrawn, err
	}
	if changed {
		if dr.Edited {
			// Re-rendering would throw away the collector's words; let them
			// look again instead.
			dr.State, dr.Reason = agent.Drafted, "the ledger changed after the draft was edited"
			err := d.Store.UpdateDraft(ctx, dr, agent.Approved, agent.Event{At: now, Actor: d.actor(),
				Kind: "draft.returned", Detail: dr.Reason})
			return agent.Drafted, err
		}
		msg, err := d.render(c, p, &dr.Notice)
		if err != nil {
			return "", err
		}
		dr.Subject, dr.Text, dr.HTML = msg.Subject, msg.Text, msg.HTML
		if err := d.Store.UpdateDraft(ctx, dr, agent.Approved, agent.Event{At: now, Actor: d.actor(),
			Kind: "draft.rechecked", Detail: "items changed before sending; re-rendered"}); err != nil {
			return "", err
		}
	}
	to := c.Recipients()
	if len(to) == 0 {
		to = dr.To
	}
	email := &agent.Email{
		MessageID: dr.MessageID, Date: now, From: d.Company.Email, FromName: d.Company.Name,
		ReplyTo: d.Company.Email, To: to, Subject: dr.Subject, Text: dr.Text, HTML: dr.HTML,
		Language: dr.Language, DraftID: dr.ID,
	}
	if err := d.Mailer.Send(ctx, email); err != nil {
		return "", fmt.Errorf("draft %d: %w", dr.ID, err)
	}
	dl := agent.Delivery{DraftID: dr.ID, At: now, Date: asOf, Actor: d.actor(), CustomerID: c.ID,
		StartClock: dr.Kind == agent.KindNotice}
	for _, it := range dr.Notice.Items {
		switch {
		case dr.Kind == agent.KindUpcoming:
			dl.Reminded = append(dl.Reminded, it.Ref)
		case it.Needs:
			dl.Levels = append(dl.Levels, agent.ItemLevel{Ref: it.Ref, Level: it.Level, On: asOf})
		}
	}
	if err := d.Store.Delivered(ctx, dl); err != nil {
		return "", err
	}
	return agent.Delivered, nil
}

// recheck drops the notice's items that may no longer be dunned and
// refreshes open amounts; it reports whether anything changed.
func (d *Dunning) recheck(ctx context.Context, c *agent.Customer, p *agent.Policy, dr *agent.Draft, asOf agent.Date) (bool, error) {
	refs := make([]agent.Ref, len(dr.Notice.Items))
	for i, it := range dr.Notice.Items {
		refs[i] = it.Ref
	}
	current, err := d.Store.OpenItems(ctx, refs)
	if err != nil {
		return false, err
	}
	byRef := map[agent.Ref]*agent.OpenItem{}
	for i := range current {
		if current[i].DocType == agent.DocInvoice {
			byRef[current[i].Ref()] = &current[i]
		}
	}
	changed := false
	kept := dr.Notice.Items[:0:0]
	for _, it := range dr.Notice.Items {
		cur := byRef[it.Ref]
		if cur == nil || !agent.Eligible(c, p, cur, asOf) {
			changed = true
			continue
		}
		if !cur.OpenAmount.Equal(it.OpenAmount) || cur.Currency != it.Currency {
			it.OpenAmount, it.Currency = cur.OpenAmount, cur.Currency
			changed = true
		}
		kept = append(kept, it)
	}
	if changed {
		// The level stays what was planned and approved: the wording
		// follows it even if the most overdue item was paid meanwhile.
		dr.Notice.Items = kept
		dr.Notice.Recompute(p)
	}
	return changed, nil
}
