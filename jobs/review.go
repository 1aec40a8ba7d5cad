package jobs

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/dunnerhq/dunner/agent"
)

// Review is the collectors' side of the draft queue.

// Approve lets a held draft go out.
func (d *Dunning) Approve(ctx context.Context, id int64, who string) error {
	return d.move(ctx, id, agent.Approved, who, "")
}

// Reject stops a draft for good; a reason is required so the log says why.
func (d *Dunning) Reject(ctx context.Context, id int64, who, reason string) error {
	if strings.TrimSpace(reason) == "" {
		return errors.New("reject: a reason is required")
	}
	return d.move(ctx, id, agent.Rejected, who, reason)
}

func (d *Dunning) move(ctx context.Context, id int64, to agent.DraftState, who, reason string) error {
	dr, err := d.Store.Draft(ctx, id)
	if err != nil {
		return err
	}
	from := dr.State
	if from == to {
		return nil // approving twice is not an error worth stopping a batch for
	}
	dr.State, dr.Reason = to, reason
	return d.Store.UpdateDraft(ctx, dr, from, agent.Event{At: d.Clock.Now(), Actor: who,
		Kind: "draft." + string(to), Detail: reason})
}

// ApproveAll approves every draft waiting for review and returns how many.
func (d *Dunning) ApproveAll(ctx context.Context, who string) (int, error) {
	drafts, err := d.Store.Drafts(ctx, agent.DraftFilter{States: []agent.DraftState{agent.Drafted}})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, dr := range drafts {
		dr.State = agent.Approved
		err := d.Store.UpdateDraft(ctx, dr, agent.Drafted, agent.Event{At: d.Clock.Now(), Actor: who, Kind: "draft.approved"})
		if isTransition(err) {
			continue // someone else acted on it meanwhile
		}
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Edit replaces a pending draft's words. Empty arguments keep what is there.
// An edited draft is no longer re-rendered automatically.
func (d *Dunning) Edit(ctx context.Context, id int64, who, subject, text, html string) (*agent.Draft, error) {
	dr, err := d.Store.Draft(ctx, id)
	if err != nil {
		return nil, err
	}
	if !dr.State.Pending() {
		return nil, fmt.Errorf("draft %d is %s: only pending drafts can be edited", id, dr.State)
	}
	if strings.ContainsAny(subject, "\r\n") {
		return nil, errors.New("edit: the subject must be one line")
	}
	var changed []string
	if subject != "" && subject != dr.Subject {
		dr.Subject = subject
		changed = append(changed, "subject")
	}
	if text != "" && text != dr.Text {
		dr.Text = text
		changed = append(changed, "text")
	}
	if html != "" && html != dr.HTML {
		dr.HTML = html
		changed = append(changed, "html")
	}
	if len(changed) == 0 {
		return dr, nil
	}
	dr.Edited = true
	if err := d.Store.UpdateDraft(ctx, dr, dr.State, agent.Event{At: d.Clock.Now(), Actor: who, Kind: "draft.edited",
		Detail: strings.Join(changed, ",")}); err != nil {
		return nil, err
	}
	return dr, nil
}

// ConfirmDelivered settles an uncertain notice that a collector found
// delivered (in the server's log, or the customer confirms): it counts as
// sent on date on.
func (d *Dunning) ConfirmDelivered(ctx context.Context, id int64, who string, on agent.Date) error {
	dr, err := d.Store.Draft(ctx, id)
	if err != nil {
		return err
	}
	if dr.State != agent.Uncertain {
		return &agent.ErrTransition{ID: id, From: dr.State, To: agent.Delivered}
	}
	if on.IsZero() {
		on = dr.AsOf
	}
	dl := dr.Delivery(on, d.Clock.Now(), who, "confirmed by "+who)
	dl.From = agent.Uncertain
	return d.Store.Delivered(ctx, dl)
}
