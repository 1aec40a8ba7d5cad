package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dunnerhq/dunner/agent"
)

func draftSubject(id int64) string { return "draft:" + strconv.FormatInt(id, 10) }

// SaveRun writes everything a run decided in one transaction, so a crash
// leaves either the whole run or none of it.
func (s *Store) SaveRun(ctx context.Context, r *agent.RunResult) error {
	err := s.tx(ctx, func(tx *wtx) error {
		for _, id := range r.Supersede {
			res, err := tx.ExecContext(ctx, `UPDATE drafts SET state = ?, reason = ?, updated_at = ?
				WHERE id = ? AND state IN (?, ?)`, agent.Withdrawn, "superseded by a newer run", stamp(r.At),
				id, agent.Drafted, agent.Approved)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 1 {
				if err := event(ctx, tx, agent.Event{At: r.At, Actor: r.Actor, Kind: "draft.withdrawn",
					Subject: draftSubject(id), Detail: "superseded by a newer run"}); err != nil {
					return err
				}
			}
		}
		for _, d := range r.Drafts {
			to, _ := json.Marshal(d.To)
			notice := encodeNotice(nil, &d.Notice)
			d.CreatedAt, d.UpdatedAt = r.At, r.At
			err := tx.QueryRowContext(ctx, `INSERT INTO drafts (kind, customer_id, level, template, language,
				recipients, state, as_of, message_id, edited, reason, created_at, updated_at, basis)
				VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id`,
				d.Kind, d.CustomerID, d.Level, d.Template, d.Language, string(to), d.State, d.AsOf.String(), d.MessageID,
				d.Edited, d.Reason, stamp(r.At), stamp(r.At), d.Basis).Scan(&d.ID)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO draft_bodies (draft_id, subject, text, html, notice)
				VALUES (?,?,?,?,?)`, d.ID, d.Subject, d.Text, d.HTML, notice); err != nil {
				return err
			}
			if err := event(ctx, tx, agent.Event{At: r.At, Actor: r.Actor, Kind: "draft." + string(d.State),
				Subject: draftSubject(d.ID), Detail: fmt.Sprintf("%s level %d for %s", d.Kind, d.Level, d.CustomerID)}); err != nil {
				return err
			}
		}
		for _, t := range r.Tasks {
			items, _ := json.Marshal(t.Items)
			if t.CreatedAt.IsZero() {
				t.CreatedAt = r.At
			}
			err := tx.QueryRowContext(ctx, `INSERT INTO tasks (customer_id, kind, level, note, items, done, created_at, due_date)
				VALUES (?,?,?,?,?,?,?,?) RETURNING id`, t.CustomerID, t.Kind, t.Level, t.Note, string(items), t.Done,
				stamp(t.CreatedAt), date(t.DueDate)).Scan(&t.ID)
			if err != nil {
				return err
			}
			if err := event(ctx, tx, agent.Event{At: r.At, Actor: r.Actor, Kind: "task." + t.Kind,
				Subject: "customer:" + t.CustomerID, Detail: t.Note}); err != nil {
				return err
			}
		}
		return recordLevels(ctx, tx, r.Levels)
	})
	if err != nil {
		return fmt.Errorf("sqlite: save run: %w", err)
	}
	return nil
}

const draftColumns = `d.id, d.kind, d.customer_id, d.level, d.template, d.language, d.recipients,
	b.subject, b.text, b.html, b.notice, d.state, d.as_of, d.message_id, d.edited, d.reason, d.created_at,
	d.updated_at, d.sent_at, d.attempts, d.next_attempt_at, d.sending_at, d.data_at, d.last_error, d.response, d.basis`

const draftFrom = ` FROM drafts d JOIN draft_bodies b ON b.draft_id = d.id`

func scanDraft(r scanner) (*agent.Draft, error) { return scanDraftAnd(r) }

// scanDraftAnd scans a draft's columns followed by more.
func scanDraftAnd(r scanner, more ...any) (*agent.Draft, error) {
	d := &agent.Draft{}
	var to, state, asOf, created, updated string
	var notice []byte
	var sent, next, sending, data sql.NullString
	if err := r.Scan(append([]any{&d.ID, &d.Kind, &d.CustomerID, &d.Level, &d.Template, &d.Language, &to, &d.Subject,
		&d.Text, &d.HTML, &notice, &state, &asOf, &d.MessageID, &d.Edited, &d.Reason, &created, &updated, &sent,
		&d.Attempts, &next, &sending, &data, &d.LastError, &d.Response, &d.Basis}, more...)...); err != nil {
		return nil, err
	}
	d.NextAttempt, d.SendingAt, d.DataAt = optStamp(next), optStamp(sending), optStamp(data)
	d.State = agent.DraftState(state)
	if err := json.Unmarshal([]byte(to), &d.To); err != nil {
		return nil, fmt.Errorf("draft %d: recipients: %w", d.ID, err)
	}
	if err := decodeNotice(notice, &d.Notice); err != nil {
		return nil, fmt.Errorf("draft %d: notice: %w", d.ID, err)
	}
	d.AsOf, _ = agent.ParseDate(asOf)
	d.CreatedAt, d.UpdatedAt = parseStamp(created), parseStamp(updated)
	d.SentAt = optStamp(sent)
	return d, nil
}

func optStamp(ns sql.NullString) *time.Time {
	if !ns.Valid || ns.String == "" {
		return nil
	}
	t := parseStamp(ns.String)
	return &t
}

func nullStamp(t *time.Time) any {
	if t == nil {
		return nil
	}
	return stamp(*t)
}

func (s *Store) Draft(ctx context.Context, id int64) (*agent.Draft, error) {
	st, err := s.stmt(ctx, `SELECT `+draftColumns+draftFrom+` WHERE d.id = ?`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: draft %d: %w", id, err)
	}
	d, err := scanDraft(st.QueryRowContext(ctx, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("draft %d: %w", id, agent.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: draft %d: %w", id, err)
	}
	return d, nil
}

func draftWhere(f agent.DraftFilter) (string, []any) {
	var where []string
	var args []any
	if len(f.States) > 0 {
		ph := make([]string, len(f.States))
		for i, st := range f.States {
			ph[i] = "?"
			args = append(args, string(st))
		}
		where = append(where, "d.state IN ("+strings.Join(ph, ",")+")")
	}
	if f.CustomerID != "" {
		where = append(where, "d.customer_id = ?")
		args = append(args, f.CustomerID)
	}
	if !f.DueBy.IsZero() {
		where = append(where, "d.as_of <= ?")
		args = append(args, f.DueBy.String())
	}
	if f.Kind != "" {
		where = append(where, "d.kind = ?")
		args = append(args, f.Kind)
	}
	if len(where) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

func (s *Store) Drafts(ctx context.Context, f agent.DraftFilter) ([]*agent.Draft, error) {
	where, args := draftWhere(f)
	rows, err := s.db.QueryContext(ctx, `SELECT `+draftColumns+draftFrom+where+` ORDER BY d.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: drafts: %w", err)
	}
	defer rows.Close()
	var out []*agent.Draft
	for rows.Next() {
		d, err := scanDraft(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: drafts: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// UpdateDraft writes d if it is still in state from: the compare-and-set
// keeps two collectors (or two daemons) from both acting on one draft.
func (s *Store) UpdateDraft(ctx context.Context, d *agent.Draft, from agent.DraftState, ev agent.Event) error {
	if d.State != from && !agent.CanMove(from, d.State) {
		return &agent.ErrTransition{ID: d.ID, From: from, To: d.State}
	}
	err := s.tx(ctx, func(tx *wtx) error {
		to, _ := json.Marshal(d.To)
		notice := encodeNotice(nil, &d.Notice)
		if ev.At.IsZero() {
			ev.At = time.Now()
		}
		d.UpdatedAt = ev.At
		res, err := tx.ExecContext(ctx, `UPDATE drafts SET level = ?, template = ?, language = ?, recipients = ?,
			state = ?, edited = ?, reason = ?, updated_at = ?,
			attempts = ?, next_attempt_at = ?, sending_at = ?, data_at = ?, last_error = ?
			WHERE id = ? AND state = ?`, d.Level, d.Template, d.Language, string(to),
			string(d.State), d.Edited, d.Reason, stamp(d.UpdatedAt),
			d.Attempts, nullStamp(d.NextAttempt), nullStamp(d.SendingAt), nullStamp(d.DataAt), d.LastError,
			d.ID, string(from))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return currentState(ctx, tx, d.ID, d.State)
		}
		// Skip rewriting the words when they did not change (most state
		// moves): they are the bulk of the row.
		if _, err := tx.ExecContext(ctx, `UPDATE draft_bodies SET subject = ?, text = ?, html = ?, notice = ?
			WHERE draft_id = ? AND (subject <> ? OR text <> ? OR html <> ? OR notice <> ?)`,
			d.Subject, d.Text, d.HTML, notice, d.ID, d.Subject, d.Text, d.HTML, notice); err != nil {
			return err
		}
		if ev.Subject == "" {
			ev.Subject = draftSubject(d.ID)
		}
		return event(ctx, tx, ev)
	})
	if err != nil {
		return fmt.Errorf("sqlite: update draft: %w", err)
	}
	return nil
}

// Delivered marks a draft delivered and records what the notice did to the
// items and the customer, in one transaction. A delivery from "sending"
// (the server just took the message) goes into the journal first: the
// record waits for a group commit, and a sender killed meanwhile must not
// leave the notice uncertain.
func (s *Store) Delivered(ctx context.Context, dl agent.Delivery) error {
	return s.delivered(ctx, dl, true)
}

func (s *Store) delivered(ctx context.Context, dl agent.Delivery, journal bool) (err error) {
	from := dl.From
	if from == "" {
		from = agent.Sending
	}
	if !agent.CanMove(from, agent.Delivered) {
		return &agent.ErrTransition{ID: dl.DraftID, From: from, To: agent.Delivered}
	}
	if journal && from == agent.Sending {
		s.jr.pending.Add(1)
		if jerr := s.jr.delivered(&dl); jerr != nil {
			// The record still goes to the database; only its head
			// start is lost.
			s.jr.pending.Add(-1)
		} else {
			defer func() {
				// Kept for the next fold unless recorded, or settled
				// otherwise (a transition: the draft moved on).
				if isTransition(err) {
					s.jr.settled(nil)
				} else {
					s.jr.settled(err)
				}
			}()
		}
	}
	fn := func(tx *wtx) error {
		missed, err := writeDeliveries(ctx, tx, from, []*agent.Delivery{&dl})
		if err != nil {
			return err
		}
		if len(missed) > 0 {
			return currentState(ctx, tx, dl.DraftID, agent.Delivered)
		}
		return nil
	}
	if from == agent.Sending {
		// What a send pass delivers: written with the others of its
		// group commit.
		err = s.bulkTx(ctx, deliveredBulk, &dl, fn)
	} else {
		err = s.tx(ctx, fn)
	}
	if err != nil {
		return fmt.Errorf("sqlite: delivered: %w", err)
	}
	return nil
}

func (s *Store) Tasks(ctx context.Context, customerID string) ([]*agent.Task, error) {
	q := `SELECT id, customer_id, kind, level, note, items, done, created_at, due_date FROM tasks`
	var args []any
	if customerID != "" {
		q += ` WHERE customer_id = ?`
		args = append(args, customerID)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: tasks: %w", err)
	}
	defer rows.Close()
	var out []*agent.Task
	for rows.Next() {
		t := &agent.Task{}
		var items, created string
		var due sql.NullString
		if err := rows.Scan(&t.ID, &t.CustomerID, &t.Kind, &t.Level, &t.Note, &items, &t.Done, &created, &due); err != nil {
			return nil, fmt.Errorf("sqlite: tasks: %w", err)
		}
		_ = json.Unmarshal([]byte(items), &t.Items)
		t.CreatedAt = parseStamp(created)
		t.DueDate = scanDate(due)
		out = append(out, t)
	}
	return out, rows.Err()
}

// PutDocument stores (or replaces) a document on file for an item.
func (s *Store) PutDocument(ctx context.Context, d *agent.Document) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO documents (customer_id, entity, invoice, kind, name, content_type, data, fetched_at)
		VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (customer_id, entity, invoice, kind, name) DO UPDATE SET
		content_type = excluded.content_type, data = excluded.data, fetched_at = excluded.fetched_at`,
		d.Ref.CustomerID, d.Ref.Entity, d.Ref.Invoice, d.Kind, d.Name, d.ContentType, d.Data, stamp(d.FetchedAt))
	if err != nil {
		return fmt.Errorf("sqlite: put document: %w", err)
	}
	return nil
}

// DocumentCustomers returns the customers with documents on file.
func (s *Store) DocumentCustomers(ctx context.Context) (map[string]bool, error) {
	rows, err := s.query(ctx, `SELECT DISTINCT customer_id FROM documents`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: document customers: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("sqlite: document customers: %w", err)
		}
		out[id] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: document customers: %w", err)
	}
	return out, nil
}

// Documents returns the documents on file for the given items.
func (s *Store) Documents(ctx context.Context, refs []agent.Ref) ([]*agent.Document, error) {
	// One cached query per customer and entity, not one per item: a
	// notice lists many items and usually none has a document.
	type group struct{ customer, entity string }
	want := map[group]map[string]agent.Ref{}
	var order []group
	for _, r := range refs {
		g := group{r.CustomerID, r.Entity}
		if want[g] == nil {
			want[g] = map[string]agent.Ref{}
			order = append(order, g)
		}
		want[g][r.Invoice] = r
	}
	stmt, err := s.stmt(ctx, `SELECT invoice, kind, name, content_type, data, fetched_at FROM documents
		WHERE customer_id = ? AND entity = ? ORDER BY invoice, kind, name`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: documents: %w", err)
	}
	byRef := map[agent.Ref][]*agent.Document{}
	for _, g := range order {
		rows, err := stmt.QueryContext(ctx, g.customer, g.entity)
		if err != nil {
			return nil, fmt.Errorf("sqlite: documents: %w", err)
		}
		for rows.Next() {
			d := &agent.Document{}
			var invoice, at string
			if err := rows.Scan(&invoice, &d.Kind, &d.Name, &d.ContentType, &d.Data, &at); err != nil {
				rows.Close()
				return nil, fmt.Errorf("sqlite: documents: %w", err)
			}
			ref, ok := want[g][invoice]
			if !ok {
				continue
			}
			d.Ref, d.FetchedAt = ref, parseStamp(at)
			byRef[ref] = append(byRef[ref], d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("sqlite: documents: %w", err)
		}
	}
	// In the order the refs were asked for, as before.
	var out []*agent.Document
	for _, r := range refs {
		out = append(out, byRef[r]...)
		delete(byRef, r)
	}
	return out, nil
}

func (s *Store) DraftHeads(ctx context.Context, f agent.DraftFilter) ([]agent.DraftHead, error) {
	where, args := draftWhere(f)
	rows, err := s.query(ctx, `SELECT d.id, d.customer_id, d.kind, d.state, d.as_of, d.message_id,
		d.next_attempt_at, d.sending_at, d.data_at FROM drafts d`+where+` ORDER BY d.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: drafts: %w", err)
	}
	defer rows.Close()
	var out []agent.DraftHead
	for rows.Next() {
		var h agent.DraftHead
		var state, asOf string
		var next, sending, data sql.NullString
		if err := rows.Scan(&h.ID, &h.CustomerID, &h.Kind, &state, &asOf, &h.MessageID, &next, &sending, &data); err != nil {
			return nil, fmt.Errorf("sqlite: drafts: %w", err)
		}
		h.State = agent.DraftState(state)
		h.AsOf, _ = agent.ParseDate(asOf)
		h.NextAttempt, h.SendingAt, h.DataAt = optStamp(next), optStamp(sending), optStamp(data)
		out = append(out, h)
	}
	return out, rows.Err()
}

// Claim is the compare-and-set that makes one sender own a draft.
func (s *Store) Claim(ctx context.Context, id int64, from agent.DraftState, attempts int, at time.Time, actor string) error {
	return s.ClaimBatch(ctx, []agent.Claim{{ID: id, From: from, Attempts: attempts}}, at, actor)[0]
}

// DataStarted marks the moment after which a crash leaves the draft
// uncertain. The mark is safe once it is in the journal; the database
// gets it with the next group commit, which nobody waits for.
func (s *Store) DataStarted(_ context.Context, id int64, at time.Time) error {
	// No compare-and-set here: the claim made this sender the draft's
	// owner, and only the lease lets another sender take a draft in
	// "sending", which jobs.Send never lets come near (it hands back claims
	// older than half the lease instead of starting their data).
	s.jr.pending.Add(1)
	if err := s.jr.mark(id, at); err != nil {
		s.jr.pending.Add(-1)
		return fmt.Errorf("sqlite: data started: %w", err)
	}
	s.async.Add(1)
	go func() {
		defer s.async.Done()
		m := dataMark{id: id, at: at}
		s.jr.settled(s.bulkTx(context.Background(), markBulk, m, markOne(m)))
	}()
	return nil
}

func isTransition(err error) bool {
	var te *agent.ErrTransition
	return errors.As(err, &te)
}

// currentState explains a compare-and-set that matched no row.
func currentState(ctx context.Context, tx *wtx, id int64, to agent.DraftState) error {
	var cur string
	err := tx.QueryRowContext(ctx, `SELECT state FROM drafts WHERE id = ?`, id).Scan(&cur)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("draft %d: %w", id, agent.ErrNotFound)
	}
	if err != nil {
		return err
	}
	return &agent.ErrTransition{ID: id, From: agent.DraftState(cur), To: to}
}

// DeliveredNotices calls fn with the customer and Message-ID of every
// delivered notice, oldest first: a send pass threads its follow-ups with
// one read instead of one per customer, and without holding the history.
func (s *Store) DeliveredNotices(ctx context.Context, fn func(customerID, messageID string)) error {
	rows, err := s.query(ctx, `SELECT customer_id, message_id FROM drafts WHERE state = ? AND kind = ? ORDER BY id`,
		agent.Delivered, agent.KindNotice)
	if err != nil {
		return fmt.Errorf("sqlite: delivered notices: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c, m string
		if err := rows.Scan(&c, &m); err != nil {
			return fmt.Errorf("sqlite: delivered notices: %w", err)
		}
		fn(c, m)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: delivered notices: %w", err)
	}
	return nil
}
