package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/dunnerhq/dunner/agent"
)

func draftSubject(id int64) string { return "draft:" + strconv.FormatInt(id, 10) }

// SaveRun writes everything a run decided in one transaction, so a crash
// leaves either the whole run or none of it. The statements are pipelined
// in one batch: a run over many customers makes thousands of drafts, and a
// round trip each would dominate on a database across the network.
func (s *Store) SaveRun(ctx context.Context, r *agent.RunResult) error {
	evAt := r.At
	if evAt.IsZero() {
		evAt = time.Now() // as event() does
	}
	err := s.tx(ctx, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		for _, id := range r.Supersede {
			b.Queue(`WITH w AS (UPDATE drafts SET state = $1, reason = $2, updated_at = $3
				WHERE id = $4 AND state IN ($5, $6) RETURNING id)
				INSERT INTO events (at, actor, kind, subject, detail)
				SELECT $8, $7::text, 'draft.withdrawn', 'draft:' || id, $2 FROM w`,
				string(agent.Withdrawn), "superseded by a newer run", r.At, id,
				string(agent.Drafted), string(agent.Approved), actor(r.Actor), evAt)
		}
		for _, d := range r.Drafts {
			to, _ := json.Marshal(d.To)
			notice, err := json.Marshal(d.Notice)
			if err != nil {
				return err
			}
			d.CreatedAt, d.UpdatedAt = r.At, r.At
			b.Queue(`WITH d AS (INSERT INTO drafts (kind, customer_id, level, template, language, recipients,
					state, as_of, message_id, edited, reason, created_at, updated_at)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id),
				b AS (INSERT INTO draft_bodies (draft_id, subject, text, html, notice)
					SELECT id, $13::text, $14::text, $15::text, $16::jsonb FROM d),
				e AS (INSERT INTO events (at, actor, kind, subject, detail)
					SELECT $20::timestamptz, $17::text, $18::text, 'draft:' || id, $19::text FROM d)
				SELECT id FROM d`,
				d.Kind, d.CustomerID, d.Level, d.Template, d.Language, string(to), string(d.State), pgDate(d.AsOf),
				d.MessageID, d.Edited, d.Reason, r.At, d.Subject, d.Text, d.HTML, string(notice), actor(r.Actor),
				"draft."+string(d.State), fmt.Sprintf("%s level %d for %s", d.Kind, d.Level, d.CustomerID), evAt,
			).QueryRow(func(row pgx.Row) error { return row.Scan(&d.ID) })
		}
		for _, t := range r.Tasks {
			items, _ := json.Marshal(t.Items)
			if t.CreatedAt.IsZero() {
				t.CreatedAt = r.At
			}
			b.Queue(`WITH t AS (INSERT INTO tasks (customer_id, kind, level, note, items, done, created_at, due_date)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id),
				e AS (INSERT INTO events (at, actor, kind, subject, detail) VALUES ($9, $10, $11, $12, $4))
				SELECT id FROM t`,
				t.CustomerID, t.Kind, t.Level, t.Note, string(items), t.Done, t.CreatedAt, pgDate(t.DueDate),
				evAt, actor(r.Actor), "task."+t.Kind, "customer:"+t.CustomerID,
			).QueryRow(func(row pgx.Row) error { return row.Scan(&t.ID) })
		}
		if b.Len() > 0 {
			if err := tx.SendBatch(ctx, b).Close(); err != nil {
				return err
			}
		}
		return recordLevels(ctx, tx, r.Levels)
	})
	if err != nil {
		return fmt.Errorf("postgres: save run: %w", err)
	}
	return nil
}

// actor is event()'s default, for events written in SQL.
func actor(a string) string {
	if a == "" {
		return "system"
	}
	return a
}

const draftColumns = `d.id, d.kind, d.customer_id, d.level, d.template, d.language, d.recipients::text,
	b.subject, b.text, b.html, b.notice::text, d.state, d.as_of, d.message_id, d.edited, d.reason, d.created_at,
	d.updated_at, d.sent_at, d.attempts, d.next_attempt_at, d.sending_at, d.data_at, d.last_error, d.response`

const draftFrom = ` FROM drafts d JOIN draft_bodies b ON b.draft_id = d.id`

func scanDraft(r pgx.Row) (*agent.Draft, error) {
	d := &agent.Draft{}
	var to, notice, state string
	var asOf pgtype.Date
	if err := r.Scan(&d.ID, &d.Kind, &d.CustomerID, &d.Level, &d.Template, &d.Language, &to, &d.Subject,
		&d.Text, &d.HTML, &notice, &state, &asOf, &d.MessageID, &d.Edited, &d.Reason, &d.CreatedAt, &d.UpdatedAt,
		&d.SentAt, &d.Attempts, &d.NextAttempt, &d.SendingAt, &d.DataAt, &d.LastError, &d.Response); err != nil {
		return nil, err
	}
	d.State = agent.DraftState(state)
	if err := json.Unmarshal([]byte(to), &d.To); err != nil {
		return nil, fmt.Errorf("draft %d: recipients: %w", d.ID, err)
	}
	if err := json.Unmarshal([]byte(notice), &d.Notice); err != nil {
		return nil, fmt.Errorf("draft %d: notice: %w", d.ID, err)
	}
	d.AsOf = fromDate(asOf)
	d.CreatedAt, d.UpdatedAt = d.CreatedAt.UTC(), d.UpdatedAt.UTC()
	d.SentAt, d.NextAttempt, d.SendingAt, d.DataAt = utc(d.SentAt), utc(d.NextAttempt), utc(d.SendingAt), utc(d.DataAt)
	return d, nil
}

func (s *Store) Draft(ctx context.Context, id int64) (*agent.Draft, error) {
	d, err := scanDraft(s.pool.QueryRow(ctx, `SELECT `+draftColumns+draftFrom+` WHERE d.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("draft %d: %w", id, agent.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: draft %d: %w", id, err)
	}
	return d, nil
}

func draftWhere(f agent.DraftFilter) (string, []any) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if len(f.States) > 0 {
		states := make([]string, len(f.States))
		for i, st := range f.States {
			states[i] = string(st)
		}
		where = append(where, "d.state = ANY("+arg(states)+")")
	}
	if f.CustomerID != "" {
		where = append(where, "d.customer_id = "+arg(f.CustomerID))
	}
	if !f.DueBy.IsZero() {
		where = append(where, "d.as_of <= "+arg(pgDate(f.DueBy)))
	}
	if f.Kind != "" {
		where = append(where, "d.kind = "+arg(f.Kind))
	}
	if len(where) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

func (s *Store) Drafts(ctx context.Context, f agent.DraftFilter) ([]*agent.Draft, error) {
	where, args := draftWhere(f)
	rows, err := s.pool.Query(ctx, `SELECT `+draftColumns+draftFrom+where+` ORDER BY d.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: drafts: %w", err)
	}
	defer rows.Close()
	var out []*agent.Draft
	for rows.Next() {
		d, err := scanDraft(rows)
		if err != nil {
			return nil, fmt.Errorf("postgres: drafts: %w", err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: drafts: %w", err)
	}
	return out, nil
}

func (s *Store) DraftHeads(ctx context.Context, f agent.DraftFilter) ([]agent.DraftHead, error) {
	where, args := draftWhere(f)
	rows, err := s.pool.Query(ctx, `SELECT d.id, d.customer_id, d.kind, d.state, d.as_of, d.message_id,
		d.next_attempt_at, d.sending_at, d.data_at FROM drafts d`+where+` ORDER BY d.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: drafts: %w", err)
	}
	defer rows.Close()
	var out []agent.DraftHead
	for rows.Next() {
		var h agent.DraftHead
		var state string
		var asOf pgtype.Date
		if err := rows.Scan(&h.ID, &h.CustomerID, &h.Kind, &state, &asOf, &h.MessageID,
			&h.NextAttempt, &h.SendingAt, &h.DataAt); err != nil {
			return nil, fmt.Errorf("postgres: drafts: %w", err)
		}
		h.State = agent.DraftState(state)
		h.AsOf = fromDate(asOf)
		h.NextAttempt, h.SendingAt, h.DataAt = utc(h.NextAttempt), utc(h.SendingAt), utc(h.DataAt)
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: drafts: %w", err)
	}
	return out, nil
}

// UpdateDraft writes d if it is still in state from: the compare-and-set
// keeps two collectors (or two daemons) from both acting on one draft.
// Under READ COMMITTED a second UPDATE of the same row waits for the first
// to commit and then re-checks its WHERE against the new row, so exactly
// one of two racing callers matches.
func (s *Store) UpdateDraft(ctx context.Context, d *agent.Draft, from agent.DraftState, ev agent.Event) error {
	if d.State != from && !agent.CanMove(from, d.State) {
		return &agent.ErrTransition{ID: d.ID, From: from, To: d.State}
	}
	to, _ := json.Marshal(d.To)
	notice, err := json.Marshal(d.Notice)
	if err != nil {
		return fmt.Errorf("postgres: update draft: %w", err)
	}
	if ev.At.IsZero() {
		ev.At = time.Now()
	}
	if ev.Subject == "" {
		ev.Subject = draftSubject(d.ID)
	}
	err = s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE drafts SET level = $1, template = $2, language = $3, recipients = $4,
			state = $5, edited = $6, reason = $7, updated_at = $8,
			attempts = $9, next_attempt_at = $10, sending_at = $11, data_at = $12, last_error = $13
			WHERE id = $14 AND state = $15`, d.Level, d.Template, d.Language, string(to),
			string(d.State), d.Edited, d.Reason, ev.At,
			d.Attempts, d.NextAttempt, d.SendingAt, d.DataAt, d.LastError,
			d.ID, string(from))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return currentState(ctx, tx, d.ID, d.State)
		}
		// Skip rewriting the words when they did not change (most state
		// moves): they are the bulk of the row.
		if _, err := tx.Exec(ctx, `UPDATE draft_bodies SET subject = $2, text = $3, html = $4, notice = $5
			WHERE draft_id = $1 AND (subject, text, html, notice) IS DISTINCT FROM ($2, $3, $4, $5::jsonb)`,
			d.ID, d.Subject, d.Text, d.HTML, string(notice)); err != nil {
			return err
		}
		return event(ctx, tx, ev)
	})
	if err != nil {
		return fmt.Errorf("postgres: update draft: %w", err)
	}
	d.UpdatedAt = ev.At
	return nil
}

// Delivered marks a draft delivered and records what the notice did to the
// items and the customer, in one transaction.
func (s *Store) Delivered(ctx context.Context, dl agent.Delivery) error {
	from := dl.From
	if from == "" {
		from = agent.Sending
	}
	if !agent.CanMove(from, agent.Delivered) {
		return &agent.ErrTransition{ID: dl.DraftID, From: from, To: agent.Delivered}
	}
	reminded := slices.Clone(dl.Reminded)
	sortRefs(reminded)
	err := s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE drafts SET state = $1, sent_at = $2, updated_at = $2, response = $3,
			data_at = COALESCE(data_at, $6), next_attempt_at = NULL WHERE id = $4 AND state = $5`,
			string(agent.Delivered), dl.At, dl.Response, dl.DraftID, string(from), dl.DataAt)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return currentState(ctx, tx, dl.DraftID, agent.Delivered)
		}
		if err := recordLevels(ctx, tx, dl.Levels); err != nil {
			return err
		}
		b := &pgx.Batch{}
		for _, ref := range reminded {
			b.Queue(`INSERT INTO item_state (customer_id, entity, invoice, reminded)
				VALUES ($1, $2, $3, TRUE) ON CONFLICT (customer_id, entity, invoice) DO UPDATE SET reminded = TRUE`,
				ref.CustomerID, ref.Entity, ref.Invoice)
		}
		if dl.StartClock {
			b.Queue(`INSERT INTO customer_state (customer_id, last_notice) VALUES ($1, $2)
				ON CONFLICT (customer_id) DO UPDATE SET last_notice = excluded.last_notice`,
				dl.CustomerID, pgDate(dl.Date))
		}
		if b.Len() > 0 {
			if err := tx.SendBatch(ctx, b).Close(); err != nil {
				return err
			}
		}
		return event(ctx, tx, agent.Event{At: dl.At, Actor: dl.Actor, Kind: "draft.delivered",
			Subject: draftSubject(dl.DraftID), Detail: dl.Date.String()})
	})
	if err != nil {
		return fmt.Errorf("postgres: delivered: %w", err)
	}
	return nil
}

// Claim is the compare-and-set that makes one sender own a draft: of two
// daemons claiming the same draft, the second's UPDATE finds it no longer
// in `from` and matches nothing.
func (s *Store) Claim(ctx context.Context, id int64, from agent.DraftState, attempts int, at time.Time, actor string) error {
	if !agent.CanMove(from, agent.Sending) {
		return &agent.ErrTransition{ID: id, From: from, To: agent.Sending}
	}
	err := s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE drafts SET state = $1, attempts = $2, sending_at = $3, data_at = NULL,
			next_attempt_at = NULL, updated_at = $3 WHERE id = $4 AND state = $5`,
			string(agent.Sending), attempts, at, id, string(from))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return currentState(ctx, tx, id, agent.Sending)
		}
		return event(ctx, tx, agent.Event{At: at, Actor: actor, Kind: "draft.sending", Subject: draftSubject(id),
			Detail: fmt.Sprintf("attempt %d", attempts)})
	})
	if err != nil {
		return fmt.Errorf("postgres: claim: %w", err)
	}
	return nil
}

// DataStarted marks the moment after which a crash leaves the draft
// uncertain.
func (s *Store) DataStarted(ctx context.Context, id int64, at time.Time) error {
	err := s.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE drafts SET data_at = $1 WHERE id = $2 AND state = $3`,
			at, id, string(agent.Sending))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return currentState(ctx, tx, id, agent.Sending)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: data started: %w", err)
	}
	return nil
}

// currentState explains a compare-and-set that matched no row.
func currentState(ctx context.Context, tx pgx.Tx, id int64, to agent.DraftState) error {
	var cur string
	err := tx.QueryRow(ctx, `SELECT state FROM drafts WHERE id = $1`, id).Scan(&cur)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("draft %d: %w", id, agent.ErrNotFound)
	}
	if err != nil {
		return err
	}
	return &agent.ErrTransition{ID: id, From: agent.DraftState(cur), To: to}
}

func (s *Store) Tasks(ctx context.Context, customerID string) ([]*agent.Task, error) {
	q := `SELECT id, customer_id, kind, level, note, items::text, done, created_at, due_date FROM tasks`
	var args []any
	if customerID != "" {
		q += ` WHERE customer_id = $1`
		args = append(args, customerID)
	}
	rows, err := s.pool.Query(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: tasks: %w", err)
	}
	defer rows.Close()
	var out []*agent.Task
	for rows.Next() {
		t := &agent.Task{}
		var items string
		var due pgtype.Date
		if err := rows.Scan(&t.ID, &t.CustomerID, &t.Kind, &t.Level, &t.Note, &items, &t.Done, &t.CreatedAt, &due); err != nil {
			return nil, fmt.Errorf("postgres: tasks: %w", err)
		}
		_ = json.Unmarshal([]byte(items), &t.Items)
		t.CreatedAt = t.CreatedAt.UTC()
		t.DueDate = fromDate(due)
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: tasks: %w", err)
	}
	return out, nil
}

// PutDocument stores (or replaces) a document on file for an item.
func (s *Store) PutDocument(ctx context.Context, d *agent.Document) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO documents (customer_id, entity, invoice, kind, name, content_type, data, fetched_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (customer_id, entity, invoice, kind, name) DO UPDATE SET
		content_type = excluded.content_type, data = excluded.data, fetched_at = excluded.fetched_at`,
		d.Ref.CustomerID, d.Ref.Entity, d.Ref.Invoice, d.Kind, d.Name, d.ContentType, d.Data, d.FetchedAt)
	if err != nil {
		return fmt.Errorf("postgres: put document: %w", err)
	}
	return nil
}

// Documents returns the documents on file for the given items, in the order
// the refs were asked for: one query per customer and entity, not one per
// item, since a notice lists many items and usually none has a document.
func (s *Store) Documents(ctx context.Context, refs []agent.Ref) ([]*agent.Document, error) {
	type group struct{ customer, entity string }
	want := map[group][]string{}
	var order []group
	for _, r := range refs {
		g := group{r.CustomerID, r.Entity}
		if _, ok := want[g]; !ok {
			order = append(order, g)
		}
		want[g] = append(want[g], r.Invoice)
	}
	byRef := map[agent.Ref][]*agent.Document{}
	for _, g := range order {
		rows, err := s.pool.Query(ctx, `SELECT invoice, kind, name, content_type, data, fetched_at FROM documents
			WHERE customer_id = $1 AND entity = $2 AND invoice = ANY($3) ORDER BY invoice, kind, name`,
			g.customer, g.entity, want[g])
		if err != nil {
			return nil, fmt.Errorf("postgres: documents: %w", err)
		}
		for rows.Next() {
			d := &agent.Document{}
			var invoice string
			if err := rows.Scan(&invoice, &d.Kind, &d.Name, &d.ContentType, &d.Data, &d.FetchedAt); err != nil {
				rows.Close()
				return nil, fmt.Errorf("postgres: documents: %w", err)
			}
			d.Ref = agent.Ref{Entity: g.entity, CustomerID: g.customer, Invoice: invoice}
			d.FetchedAt = d.FetchedAt.UTC()
			byRef[d.Ref] = append(byRef[d.Ref], d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("postgres: documents: %w", err)
		}
	}
	var out []*agent.Document
	for _, r := range refs {
		out = append(out, byRef[r]...)
		delete(byRef, r)
	}
	return out, nil
}

// DeliveredNotices lists every delivered notice's Message-ID in one pass, so
// a send run threads follow-ups without a query per customer.
func (s *Store) DeliveredNotices(ctx context.Context, fn func(customerID, messageID string)) error {
	rows, err := s.pool.Query(ctx, `SELECT customer_id, message_id FROM drafts WHERE state = $1 AND kind = $2 ORDER BY id`,
		string(agent.Delivered), string(agent.KindNotice))
	if err != nil {
		return fmt.Errorf("postgres: delivered notices: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c, m string
		if err := rows.Scan(&c, &m); err != nil {
			return fmt.Errorf("postgres: delivered notices: %w", err)
		}
		fn(c, m)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: delivered notices: %w", err)
	}
	return nil
}
