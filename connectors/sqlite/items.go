package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/dunnerhq/dunner/agent"
	"github.com/shopspring/decimal"
)

// fingerprint summarises an item as imported, so a re-import can tell an
// unchanged row without comparing every column (and without writing it).
// amount, open and extra are the texts the row stores.
func fingerprint(it *agent.Item, amount, open, extra []byte) int64 {
	const offset64, prime64 = 14695981039346656037, 1099511628211
	h := uint64(offset64)
	add := func(b byte) { h = (h ^ uint64(b)) * prime64 }
	var buf [8]byte
	binary.LittleEndian.PutUint32(buf[:4], uint32(it.IssueDate))
	binary.LittleEndian.PutUint32(buf[4:], uint32(it.DueDate))
	for _, b := range buf {
		add(b)
	}
	// FNV-1a over each text and a 0 after it, as hash/fnv did: stored
	// fingerprints stay valid.
	for _, s := range [...]string{it.CustomerName, it.Currency} {
		for i := 0; i < len(s); i++ {
			add(s[i])
		}
		add(0)
	}
	for _, s := range [...][]byte{amount, open} {
		for _, b := range s {
			add(b)
		}
		add(0)
	}
	for _, s := range [...]string{it.PONumber, it.DunningBlock} {
		for i := 0; i < len(s); i++ {
			add(s[i])
		}
		add(0)
	}
	for _, b := range extra {
		add(b)
	}
	add(0)
	return int64(h)
}

// Where an item of the snapshot stands in the store.
const (
	itemNew uint8 = iota
	itemOpen
	itemClosed
)

type existing struct {
	fp    int64
	state uint8
}

// ImportLedger applies a full snapshot of one entity in one transaction.
// It runs on a connection of its own (see rawConn) while the committer
// holds the other writes back.
func (s *Store) ImportLedger(ctx context.Context, entity string, items []agent.Item, at time.Time) (agent.ImportStats, error) {
	// Writing in key order appends to the B-tree instead of splitting
	// pages all over it: on a million rows that is most of the cost.
	order, err := agent.SnapshotOrder(items, entity)
	if err != nil {
		return agent.ImportStats{}, fmt.Errorf("sqlite: import ledger: %w", err)
	}
	var st agent.ImportStats
	err = s.alone(ctx, func() error {
		c, err := openRaw(s.path)
		if err != nil {
			return err
		}
		defer c.close()
		defer s.journalOnce(c)()
		if err := c.exec("BEGIN IMMEDIATE"); err != nil {
			return err
		}
		if st, err = importItems(ctx, c, entity, items, order, at); err != nil {
			c.exec("ROLLBACK")
			return err
		}
		return c.exec("COMMIT")
	})
	if err != nil {
		return agent.ImportStats{}, fmt.Errorf("sqlite: import ledger: %w", err)
	}
	s.invMu.Lock()
	s.invIdx = nil
	s.invMu.Unlock()
	return st, nil
}

// importItems writes the snapshot items (in key order by order) inside c's
// transaction.
func importItems(ctx context.Context, c *rawConn, entity string, items []agent.Item, order []int32, at time.Time) (agent.ImportStats, error) {
	st := agent.ImportStats{Rows: len(items)}
	prev, gone, err := matchStored(c, entity, items, order)
	if err != nil {
		return st, err
	}
	w := newBulkWriter(c)
	b := w.batch()
	for n, i := range order {
		if n%4096 == 0 && ctx.Err() != nil {
			w.finish(nil)
			return st, ctx.Err()
		}
		fp := b.add(&items[i])
		switch p := prev[n]; {
		case p.state == itemNew:
			st.Added++
		case p.state == itemClosed:
			st.Reopened++
		case p.fp != fp:
			st.Updated++
		default:
			st.Unchanged++
			b.drop()
			continue
		}
		if b.rows == batchRows {
			if b = w.send(b); w.failed() {
				return st, w.finish(nil)
			}
		}
	}
	if err := w.finish(b); err != nil {
		return st, err
	}

	closeStmt, err := c.prepare(`UPDATE items SET open = 0, closed_at = ?
		WHERE customer_id = ? AND entity = ? AND invoice = ? AND doc_type = ?`)
	if err != nil {
		return st, err
	}
	defer closeStmt.close()
	now := stamp(at)
	for _, k := range gone {
		for i, v := range []string{now, k.CustomerID, entity, k.Invoice, string(k.DocType)} {
			if err := closeStmt.bind(i+1, v); err != nil {
				return st, err
			}
		}
		if _, err := closeStmt.step(); err != nil {
			return st, err
		}
		st.Closed++
	}
	if st.Added+st.Reopened+st.Updated+st.Closed > 0 {
		if err := c.exec(`UPDATE ledger_version SET n = n + 1`); err != nil {
			return st, err
		}
	}
	detail, _ := json.Marshal(st)
	ev := agent.Event{At: at, Kind: "import.ledger", Subject: "entity:" + entity, Detail: string(detail)}
	return st, c.exec(eventSQL, eventArgs(ev)...)
}

// matchStored reads what the store holds for the entity, in key order
// beside the snapshot's: prev[n] is the stored state of items[order[n]],
// gone the open items the snapshot lacks. A merge of two sorted lists
// needs no map of a million keys.
func matchStored(c *rawConn, entity string, items []agent.Item, order []int32) ([]existing, []agent.Key, error) {
	prev := make([]existing, len(order))
	var gone []agent.Key
	q, err := c.prepare(`SELECT customer_id, invoice, doc_type, fp, open FROM items WHERE entity = ?
		ORDER BY customer_id, invoice, doc_type`)
	if err != nil {
		return nil, nil, err
	}
	defer q.close()
	if err := q.bind(1, entity); err != nil {
		return nil, nil, err
	}
	n := 0
	for {
		row, err := q.step()
		if err != nil {
			return nil, nil, err
		}
		if !row {
			return prev, gone, nil
		}
		// Views of SQLite's memory: compared here, copied only if kept.
		cust, inv, doc := q.text(0), q.text(1), q.text(2)
		c := 1
		for ; n < len(order); n++ {
			it := &items[order[n]]
			if c = cmp.Or(strings.Compare(it.CustomerID, cust), strings.Compare(it.Invoice, inv),
				strings.Compare(string(it.DocType), doc)); c >= 0 {
				break
			}
		}
		open := q.int64(4) != 0
		switch {
		case c == 0 && open:
			prev[n] = existing{fp: q.int64(3), state: itemOpen}
			n++
		case c == 0:
			prev[n] = existing{state: itemClosed}
			n++
		case open:
			gone = append(gone, agent.Key{Entity: entity, CustomerID: strings.Clone(cust),
				Invoice: strings.Clone(inv), DocType: agent.DocType(strings.Clone(doc))})
		}
	}
}

const itemColumns = `i.entity, i.customer_id, i.invoice, i.doc_type, i.customer_name, i.issue_date, i.due_date,
	i.currency, i.amount, i.open_amount, i.po_number, i.dunning_block, i.extra,
	COALESCE(s.last_level, 0), s.last_notice, COALESCE(s.reminded, 0), COALESCE(s.disputed, 0),
	COALESCE(s.dispute_reason, ''), s.promised_date, s.advised_date`

const itemJoin = ` FROM items i LEFT JOIN item_state s
	ON s.customer_id = i.customer_id AND s.entity = i.entity AND s.invoice = i.invoice`

type scanner interface{ Scan(...any) error }

func scanItem(r scanner, it *agent.OpenItem) error {
	var docType, open string
	var issue, lastNotice, promised, advised, amount, extra sql.NullString
	var due string
	if err := r.Scan(&it.Entity, &it.CustomerID, &it.Invoice, &docType, &it.CustomerName, &issue, &due,
		&it.Currency, &amount, &open, &it.PONumber, &it.DunningBlock, &extra,
		&it.State.LastLevel, &lastNotice, &it.State.Reminded, &it.State.Disputed, &it.State.DisputeReason,
		&promised, &advised); err != nil {
		return err
	}
	it.DocType = agent.DocType(docType)
	it.IssueDate = scanDate(issue)
	it.DueDate = scanDate(sql.NullString{String: due, Valid: true})
	var err error
	if it.OpenAmount, err = decimal.NewFromString(open); err != nil {
		return fmt.Errorf("item %s: open amount %q: %w", it.Invoice, open, err)
	}
	it.Amount = nil
	if amount.Valid {
		a, err := decimal.NewFromString(amount.String)
		if err != nil {
			return fmt.Errorf("item %s: amount %q: %w", it.Invoice, amount.String, err)
		}
		it.Amount = &a
	}
	it.Extra = nil
	if extra.Valid && extra.String != "" {
		if err := json.Unmarshal([]byte(extra.String), &it.Extra); err != nil {
			return fmt.Errorf("item %s: extra: %w", it.Invoice, err)
		}
	}
	it.State.LastNotice = scanDate(lastNotice)
	it.State.PromisedDate = scanDate(promised)
	it.State.AdvisedDate = scanDate(advised)
	return nil
}

// custState is what a scan hands each customer from customer_state.
type custState struct {
	last, paused agent.Date
	version      int64
}

// lastNotices loads when each customer last got a notice, its pause and
// its items' version; a map lookup per customer is cheaper than a join per
// item. It is read before the items: a change in between moves the version
// past the one handed on, which errs on the side of a re-check.
func (s *Store) lastNotices(ctx context.Context, customerID string) (map[string]custState, int64, error) {
	// Through the statement cache: single-customer scans (a remittance,
	// a statement) read it each time.
	st, err := s.stmt(ctx, `SELECT n FROM ledger_version`)
	if err != nil {
		return nil, 0, err
	}
	var ledger int64
	if err := st.QueryRowContext(ctx).Scan(&ledger); err != nil {
		return nil, 0, err
	}
	q := `SELECT customer_id, last_notice, paused_until, version FROM customer_state
		WHERE (last_notice IS NOT NULL OR paused_until IS NOT NULL OR version <> 0)`
	var args []any
	if customerID != "" {
		q += ` AND customer_id = ?`
		args = append(args, customerID)
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := map[string]custState{}
	for rows.Next() {
		var id string
		var last, paused sql.NullString
		var v int64
		if err := rows.Scan(&id, &last, &paused, &v); err != nil {
			return nil, 0, err
		}
		out[id] = custState{scanDate(last), scanDate(paused), version(ledger, v)}
	}
	return out, ledger, rows.Err()
}

// version makes one number of the ledger's and the customer's counters.
func version(ledger, customer int64) int64 { return ledger<<32 | customer&(1<<32-1) }

// OpenItems returns the open items with the given history keys, any doc
// type. It reads each customer's items once: the refs of a notice all
// belong to one customer, and one query beats one per invoice.
func (s *Store) OpenItems(ctx context.Context, refs []agent.Ref) ([]agent.OpenItem, error) {
	type group struct{ customer, entity string }
	want := map[group]map[string]bool{}
	var order []group
	for _, r := range refs {
		g := group{r.CustomerID, r.Entity}
		if want[g] == nil {
			want[g] = map[string]bool{}
			order = append(order, g)
		}
		want[g][r.Invoice] = true
	}
	stmt, err := s.stmt(ctx, `SELECT `+itemColumns+itemJoin+
		` WHERE i.open = 1 AND i.customer_id = ? AND i.entity = ? ORDER BY i.invoice, i.doc_type`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open items: %w", err)
	}
	var out []agent.OpenItem
	for _, g := range order {
		levels, err := s.customerLevels(ctx, g.customer, g.entity)
		if err != nil {
			return nil, fmt.Errorf("sqlite: open items: %w", err)
		}
		rows, err := stmt.QueryContext(ctx, g.customer, g.entity)
		if err != nil {
			return nil, fmt.Errorf("sqlite: open items: %w", err)
		}
		for rows.Next() {
			var it agent.OpenItem
			if err := scanItem(rows, &it); err != nil {
				rows.Close()
				return nil, fmt.Errorf("sqlite: open items: %w", err)
			}
			if want[g][it.Invoice] {
				if l, ok := lookupLevel(levels, it.Invoice); ok {
					l.apply(&it.State)
				}
				out = append(out, it)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("sqlite: open items: %w", err)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Invoice < out[j].Invoice })
	return out, nil
}

// ensureState makes sure an item_state row exists so updates can target it.
func ensureState(ctx context.Context, tx *wtx, ref agent.Ref) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO item_state (customer_id, entity, invoice) VALUES (?, ?, ?)
		ON CONFLICT DO NOTHING`, ref.CustomerID, ref.Entity, ref.Invoice)
	return err
}

func (s *Store) setState(ctx context.Context, ref agent.Ref, ev agent.Event, set string, args ...any) error {
	err := s.tx(ctx, func(tx *wtx) error {
		if err := ensureState(ctx, tx, ref); err != nil {
			return err
		}
		args = append(args, ref.CustomerID, ref.Entity, ref.Invoice)
		if _, err := tx.ExecContext(ctx, `UPDATE item_state SET `+set+
			` WHERE customer_id = ? AND entity = ? AND invoice = ?`, args...); err != nil {
			return err
		}
		if ev.Subject == "" {
			ev.Subject = itemSubject(ref)
		}
		return event(ctx, tx, ev)
	})
	if err != nil {
		return fmt.Errorf("sqlite: item %s: %w", ref.Invoice, err)
	}
	return nil
}

func itemSubject(ref agent.Ref) string {
	return "item:" + ref.Entity + "/" + ref.CustomerID + "/" + ref.Invoice
}

func (s *Store) SetDispute(ctx context.Context, ref agent.Ref, disputed bool, reason string, ev agent.Event) error {
	return s.setState(ctx, ref, ev, `disputed = ?, dispute_reason = ?`, disputed, reason)
}

func (s *Store) SetPromise(ctx context.Context, ref agent.Ref, d agent.Date, ev agent.Event) error {
	return s.setState(ctx, ref, ev, `promised_date = ?`, date(d))
}

func (s *Store) SetAdvice(ctx context.Context, ref agent.Ref, d agent.Date, ev agent.Event) error {
	return s.setState(ctx, ref, ev, `advised_date = ?`, date(d))
}

// Invoiced sums the gross amounts of invoices issued since a date, paid or
// not, per currency.
func (s *Store) Invoiced(ctx context.Context, since agent.Date) (map[string]decimal.Decimal, error) {
	rows, err := s.query(ctx, `SELECT currency, COALESCE(amount, open_amount) FROM items
		WHERE doc_type = 'invoice' AND issue_date >= ?`, since.String())
	if err != nil {
		return nil, fmt.Errorf("sqlite: invoiced: %w", err)
	}
	defer rows.Close()
	out := map[string]decimal.Decimal{}
	for rows.Next() {
		var cur, amount string
		if err := rows.Scan(&cur, &amount); err != nil {
			return nil, fmt.Errorf("sqlite: invoiced: %w", err)
		}
		d, err := decimal.NewFromString(amount)
		if err != nil {
			return nil, fmt.Errorf("sqlite: invoiced: amount %q: %w", amount, err)
		}
		out[cur] = out[cur].Add(d)
	}
	return out, rows.Err()
}
