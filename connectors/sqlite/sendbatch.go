package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/dunnerhq/dunner/agent"
)

// A send pass reads and claims its drafts a chunk at a time: one statement
// and one commit for a chunk instead of one of each per notice. The commits
// are what costs: every one writes its pages to the WAL whole.

// maxChunk bounds the drafts of one DraftsBatch or ClaimBatch.
const maxChunk = 64

// DraftsBatch returns the drafts with the given ids (at most 64; missing
// ones are left out), each with the current version of its customer's items
// (as a scan reports it in agent.CustomerItems.Version), read in the same
// statement.
func (s *Store) DraftsBatch(ctx context.Context, ids []int64) ([]*agent.Draft, []int64, error) {
	if len(ids) == 0 || len(ids) > maxChunk {
		return nil, nil, fmt.Errorf("sqlite: drafts batch: %d ids (1 to %d)", len(ids), maxChunk)
	}
	// SQLite's bit operators share one precedence: hence the parentheses.
	st, err := s.stmt(ctx, `SELECT `+draftColumns+`, ((SELECT n FROM ledger_version) << 32) |
		(COALESCE((SELECT version FROM customer_state cs WHERE cs.customer_id = d.customer_id), 0) & 4294967295)`+
		draftFrom+` WHERE d.id IN `+values(1, len(ids)))
	if err != nil {
		return nil, nil, fmt.Errorf("sqlite: drafts batch: %w", err)
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("sqlite: drafts batch: %w", err)
	}
	defer rows.Close()
	var drs []*agent.Draft
	var vs []int64
	for rows.Next() {
		var v int64
		d, err := scanDraftAnd(rows, &v)
		if err != nil {
			return nil, nil, fmt.Errorf("sqlite: drafts batch: %w", err)
		}
		drs, vs = append(drs, d), append(vs, v)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("sqlite: drafts batch: %w", err)
	}
	return drs, vs, nil
}

// ClaimBatch is Claim for many drafts in one commit: errs[i] is what Claim
// would have returned for claims[i] (an *agent.ErrTransition when the draft
// moved meanwhile).
func (s *Store) ClaimBatch(ctx context.Context, claims []agent.Claim, at time.Time, actor string) []error {
	errs := make([]error, len(claims))
	if len(claims) == 0 {
		return errs
	}
	// The claims that may move to "sending" go in one statement, which
	// reports the drafts that moved meanwhile: their errors come from
	// what they are now.
	var todo []agent.Claim
	var pos []int // todo[k] is claims[pos[k]]
	for i, c := range claims {
		if !agent.CanMove(c.From, agent.Sending) {
			errs[i] = &agent.ErrTransition{ID: c.ID, From: c.From, To: agent.Sending}
			continue
		}
		todo, pos = append(todo, c), append(pos, i)
	}
	if len(todo) == 0 {
		return errs
	}
	err := s.tx(ctx, func(tx *wtx) error {
		missed, err := s.runBulk(ctx, tx, &bulkKind{run: func(ctx context.Context, w *wtx, _ []any) ([]int, error) {
			return claimBulk(ctx, w, todo, at, actor)
		}}, nil)
		if err != nil {
			return err
		}
		for _, k := range missed {
			errs[pos[k]] = currentState(ctx, tx, todo[k].ID, agent.Sending)
		}
		return nil
	})
	if err != nil {
		for i := range errs {
			if errs[i] == nil {
				errs[i] = fmt.Errorf("sqlite: claim: %w", err)
			}
		}
	}
	return errs
}
