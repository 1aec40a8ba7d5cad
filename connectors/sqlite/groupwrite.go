package sqlite

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dunnerhq/dunner/agent"
)

// A send pass writes the same few things for every notice: its data-start
// mark, its delivery. A group commit holds dozens of them, and runs each
// kind as a handful of statements over all its rows (bulkKind) instead of
// the same statements once per notice: in the pure-Go SQLite a statement's
// fixed cost is most of what such a small write costs.

var valuesCache sync.Map // rows<<8|cols → "(?,?),(?,?)…"

// values is the placeholder list for rows rows of cols columns, one text
// per shape so the statement cache keeps one statement for each.
func values(rows, cols int) string {
	key := rows<<8 | cols
	if v, ok := valuesCache.Load(key); ok {
		return v.(string)
	}
	row := "(" + strings.TrimSuffix(strings.Repeat("?,", cols), ",") + ")"
	v := strings.TrimSuffix(strings.Repeat(row+",", rows), ",")
	valuesCache.Store(key, v)
	return v
}

// insertEvents appends events to the log in one statement.
func insertEvents(ctx context.Context, w *wtx, evs []agent.Event) error {
	if len(evs) == 0 {
		return nil
	}
	args := make([]any, 0, 5*len(evs))
	for _, ev := range evs {
		args = append(args, eventArgs(ev)...)
	}
	_, err := w.ExecContext(ctx, `INSERT INTO events (at, actor, kind, subject, detail) VALUES `+values(len(evs), 5), args...)
	return err
}

// dataMark is a DataStarted mark on its way from the journal into the
// database.
type dataMark struct {
	id int64
	at time.Time
}

var markBulk = &bulkKind{run: func(ctx context.Context, w *wtx, args []any) ([]int, error) {
	vals := make([]any, 0, 2*len(args)+1)
	for _, a := range args {
		m := a.(dataMark)
		vals = append(vals, m.id, stamp(m.at))
	}
	vals = append(vals, agent.Sending, agent.Delivered)
	// A mark that finds its draft settled otherwise has nothing to do;
	// one delivered meanwhile usually carries the time already.
	_, err := w.ExecContext(ctx, `UPDATE drafts SET data_at = v.column2 FROM (VALUES `+values(len(args), 2)+`) AS v
		WHERE drafts.id = v.column1 AND drafts.state IN (?, ?) AND drafts.data_at IS NULL`, vals...)
	return nil, err
},
	// After the deliveries: a notice delivered in the same commit carries
	// its data-start time, and its mark then finds nothing to write.
	last: true}

func markOne(m dataMark) func(*wtx) error {
	return func(w *wtx) error {
		_, err := w.ExecContext(context.Background(), `UPDATE drafts SET data_at = ? WHERE id = ? AND state IN (?, ?) AND data_at IS NULL`,
			stamp(m.at), m.id, agent.Sending, agent.Delivered)
		return err
	}
}

// updated runs an UPDATE … RETURNING the ids it changed, and returns the
// positions in ids of those it did not (their drafts moved meanwhile).
func updated(ctx context.Context, w *wtx, q string, ids []int64, args []any) ([]int, error) {
	rows, err := w.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	done := make(map[int64]bool, len(ids))
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		done[id] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var missed []int
	for i, id := range ids {
		if !done[id] {
			missed = append(missed, i)
		} else {
			// A second request for the same draft is not the one that
			// moved it.
			delete(done, id)
		}
	}
	return missed, nil
}

// deliveredBulk is Delivered for notices that leave "sending", written
// with the others of a group commit.
var deliveredBulk = &bulkKind{run: func(ctx context.Context, w *wtx, args []any) ([]int, error) {
	dls := make([]*agent.Delivery, len(args))
	for i, a := range args {
		dls[i] = a.(*agent.Delivery)
	}
	return writeDeliveries(ctx, w, agent.Sending, dls)
}}

// writeDeliveries records deliveries of drafts in state from: the drafts,
// the items' levels or reminders, the customers' clocks and the events. It
// returns the positions of those whose draft was not in from (nothing of
// theirs is written).
func writeDeliveries(ctx context.Context, w *wtx, from agent.DraftState, dls []*agent.Delivery) ([]int, error) {
	ids := make([]int64, len(dls))
	vals := make([]any, 0, 4*len(dls)+2)
	vals = append(vals, agent.Delivered)
	for i, dl := range dls {
		ids[i] = dl.DraftID
		vals = append(vals, dl.DraftID, stamp(dl.At), dl.Response, nullStamp(dl.DataAt))
	}
	vals = append(vals, from)
	missed, err := updated(ctx, w, `UPDATE drafts SET state = ?, sent_at = v.column2, updated_at = v.column2,
		response = v.column3, data_at = COALESCE(data_at, v.column4), next_attempt_at = NULL
		FROM (VALUES `+values(len(dls), 4)+`) AS v
		WHERE drafts.id = v.column1 AND drafts.state = ? RETURNING drafts.id`, ids, vals)
	if err != nil {
		return nil, err
	}
	var levels []agent.ItemLevel
	var reminded, clocks []any
	evs := make([]agent.Event, 0, len(dls))
	for i, dl := range dls {
		if slices.Contains(missed, i) {
			continue
		}
		levels = append(levels, dl.Levels...)
		for _, ref := range dl.Reminded {
			reminded = append(reminded, ref.CustomerID, ref.Entity, ref.Invoice, 1)
		}
		if dl.StartClock {
			clocks = append(clocks, dl.CustomerID, dl.Date.String())
		}
		evs = append(evs, deliveredEvent(dl))
	}
	if err := recordLevels(ctx, w, levels); err != nil {
		return nil, err
	}
	if len(reminded) > 0 {
		if _, err := w.ExecContext(ctx, `INSERT INTO item_state (customer_id, entity, invoice, reminded) VALUES `+
			values(len(reminded)/4, 4)+` ON CONFLICT (customer_id, entity, invoice) DO UPDATE SET reminded = 1`,
			reminded...); err != nil {
			return nil, err
		}
	}
	if len(clocks) > 0 {
		if _, err := w.ExecContext(ctx, `INSERT INTO customer_state (customer_id, last_notice) VALUES `+
			values(len(clocks)/2, 2)+` ON CONFLICT (customer_id) DO UPDATE SET last_notice = excluded.last_notice`,
			clocks...); err != nil {
			return nil, err
		}
	}
	return missed, insertEvents(ctx, w, evs)
}

func deliveredEvent(dl *agent.Delivery) agent.Event {
	return agent.Event{At: dl.At, Actor: dl.Actor, Kind: "draft.delivered", Subject: draftSubject(dl.DraftID),
		Detail: dl.Date.String()}
}

// claimBulk claims drafts for ClaimBatch, and returns the positions of
// those that moved meanwhile (unclaimed).
func claimBulk(ctx context.Context, w *wtx, claims []agent.Claim, at time.Time, actor string) ([]int, error) {
	ids := make([]int64, len(claims))
	vals := make([]any, 0, 3*len(claims)+3)
	vals = append(vals, agent.Sending, stamp(at), stamp(at))
	for i, c := range claims {
		ids[i] = c.ID
		vals = append(vals, c.ID, c.Attempts, string(c.From))
	}
	missed, err := updated(ctx, w, `UPDATE drafts SET state = ?, attempts = v.column2, sending_at = ?, data_at = NULL,
		next_attempt_at = NULL, updated_at = ? FROM (VALUES `+values(len(claims), 3)+`) AS v
		WHERE drafts.id = v.column1 AND drafts.state = v.column3 RETURNING drafts.id`, ids, vals)
	if err != nil {
		return nil, err
	}
	evs := make([]agent.Event, 0, len(claims))
	for i, c := range claims {
		if !slices.Contains(missed, i) {
			evs = append(evs, agent.Event{At: at, Actor: actor, Kind: "draft.sending", Subject: draftSubject(c.ID),
				Detail: "attempt " + strconv.Itoa(c.Attempts)})
		}
	}
	return missed, insertEvents(ctx, w, evs)
}
