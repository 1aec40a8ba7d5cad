package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/dunnerhq/dunner/agent"
	"github.com/shopspring/decimal"
)

// fingerprint summarises an item as imported, so a re-import can tell an
// unchanged row without comparing every column (and without writing it).
func fingerprint(it *agent.Item, amount, open, extra string) int64 {
	h := fnv.New64a()
	var buf [8]byte
	binary.LittleEndian.PutUint32(buf[:4], uint32(it.IssueDate))
	binary.LittleEndian.PutUint32(buf[4:], uint32(it.DueDate))
	h.Write(buf[:])
	for _, s := range []string{it.CustomerName, it.Currency, amount, open, it.PONumber, it.DunningBlock, extra} {
		io.WriteString(h, s)
		h.Write([]byte{0})
	}
	return int64(h.Sum64())
}

type existing struct {
	fp   int64
	open bool
	seen bool
}

// compareKeys orders items as the items table's primary key does.
func compareKeys(a, b *agent.Item) int {
	return cmp.Or(strings.Compare(a.CustomerID, b.CustomerID), strings.Compare(a.Invoice, b.Invoice),
		strings.Compare(string(a.DocType), string(b.DocType)))
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// ImportLedger applies a full snapshot of one entity in one transaction.
func (s *Store) ImportLedger(ctx context.Context, entity string, items []agent.Item, at time.Time) (agent.ImportStats, error) {
	st := agent.ImportStats{Rows: len(items)}
	err := s.tx(ctx, func(tx *wtx) error {
		have := map[agent.Key]*existing{}
		rows, err := tx.QueryContext(ctx, `SELECT customer_id, invoice, doc_type, fp, open FROM items WHERE entity = ?`, entity)
		if err != nil {
			return err
		}
		for rows.Next() {
			var k agent.Key
			var e existing
			if err := rows.Scan(&k.CustomerID, &k.Invoice, &k.DocType, &e.fp, &e.open); err != nil {
				rows.Close()
				return err
			}
			k.Entity = entity
			have[k] = &e
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}

		// Writing in key order appends to the B-tree instead of splitting
		// pages all over it: on a million rows that is most of the cost.
		// Parsers usually hand items over in key order already.
		order := make([]int32, len(items))
		for i := range order {
			order[i] = int32(i)
		}
		byKey := func(x, y int32) int { return compareKeys(&items[x], &items[y]) }
		if !slices.IsSortedFunc(order, byKey) {
			slices.SortFunc(order, byKey)
		}
		w := newItemWriter(ctx, tx)
		defer w.close()
		for n, i := range order {
			it := &items[i]
			it.Entity = entity
			if n > 0 && compareKeys(&items[order[n-1]], it) == 0 {
				return fmt.Errorf("item %s/%s (%s) twice in one import", it.CustomerID, it.Invoice, it.DocType)
			}
			var extra, amount string
			if len(it.Extra) > 0 {
				b, _ := json.Marshal(it.Extra) // map keys are sorted: stable
				extra = string(b)
			}
			if it.Amount != nil {
				amount = agent.DecimalText(*it.Amount)
			}
			open := agent.DecimalText(it.OpenAmount)
			fp := fingerprint(it, amount, open, extra)
			k := it.Key()
			e := have[k]
			switch {
			case e == nil:
				st.Added++
			case !e.open:
				st.Reopened++
			case e.fp != fp:
				st.Updated++
			default:
				st.Unchanged++
				e.seen = true
				continue
			}
			if e != nil {
				e.seen = true
			}
			if err := w.add(it.CustomerID, entity, it.Invoice, string(it.DocType), it.CustomerName,
				date(it.IssueDate), it.DueDate.String(), it.Currency, nullable(amount), open, it.PONumber,
				it.DunningBlock, nullable(extra), fp); err != nil {
				return err
			}
		}
		if err := w.flush(); err != nil {
			return err
		}
		closeStmt, err := tx.PrepareContext(ctx, `UPDATE items SET open = 0, closed_at = ?
			WHERE customer_id = ? AND entity = ? AND invoice = ? AND doc_type = ?`)
		if err != nil {
			return err
		}
		defer closeStmt.Close()
		now := stamp(at)
		for k, e := range have {
			if e.open && !e.seen {
				if _, err := closeStmt.ExecContext(ctx, now, k.CustomerID, entity, k.Invoice, string(k.DocType)); err != nil {
					return err
				}
				st.Closed++
			}
		}
		detail, _ := json.Marshal(st)
		return event(ctx, tx, agent.Event{At: at, Kind: "import.ledger", Subject: "entity:" + entity, Detail: string(detail)})
	})
	if err != nil {
		return agent.ImportStats{}, fmt.Errorf("sqlite: import ledger: %w", err)
	}
	s.invMu.Lock()
	s.invIdx = nil
	s.invMu.Unlock()
	return st, nil
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

// planColumns are what the rules and `items list` read; the customer name,
// gross amount and extra fields stay out of the hot scan.
const planColumns = `entity, customer_id, invoice, doc_type, issue_date, due_date, currency, open_amount,
	po_number, dunning_block`

// ScanOpenItems streams open items grouped by customer, in key order, so a
// run over a million items holds one customer at a time. Items carry what
// the rules need; OpenItems returns every field. The dunning state is
// merged in from its own table, read in the same key order alongside:
// cheaper than a join's lookup per item when most items have no history.
func (s *Store) ScanOpenItems(ctx context.Context, customerID string, fn func(*agent.CustomerItems) error) error {
	last, err := s.lastNotices(ctx, customerID)
	if err != nil {
		return fmt.Errorf("sqlite: scan items: %w", err)
	}
	where, stateWhere := ` WHERE open = 1`, ""
	var args []any
	if customerID != "" {
		where += ` AND customer_id = ?`
		stateWhere = ` WHERE customer_id = ?`
		args = append(args, customerID)
	}
	states, err := newStateCursor(ctx, s, stateWhere, args)
	if err != nil {
		return fmt.Errorf("sqlite: scan items: %w", err)
	}
	defer states.close()
	rows, err := s.db.QueryContext(ctx, `SELECT `+planColumns+` FROM items`+where+
		` ORDER BY customer_id, entity, invoice, doc_type`, args...)
	if err != nil {
		return fmt.Errorf("sqlite: scan items: %w", err)
	}
	defer rows.Close()
	var cur *agent.CustomerItems
	var docType, open, due string
	var issue sql.NullString
	for rows.Next() {
		var it agent.OpenItem
		if err := rows.Scan(&it.Entity, &it.CustomerID, &it.Invoice, &docType, &issue, &due,
			&it.Currency, &open, &it.PONumber, &it.DunningBlock); err != nil {
			return fmt.Errorf("sqlite: scan items: %w", err)
		}
		it.DocType = agent.DocType(docType)
		it.IssueDate, it.DueDate = scanDate(issue), scanDate(sql.NullString{String: due, Valid: true})
		if it.OpenAmount, err = decimal.NewFromString(open); err != nil {
			return fmt.Errorf("sqlite: item %s: open amount %q: %w", it.Invoice, open, err)
		}
		if it.State, err = states.find(&it); err != nil {
			return fmt.Errorf("sqlite: scan items: %w", err)
		}
		if cur != nil && cur.CustomerID != it.CustomerID {
			if err := fn(cur); err != nil {
				return err
			}
			cur = nil
		}
		if cur == nil {
			st := last[it.CustomerID]
			cur = &agent.CustomerItems{CustomerID: it.CustomerID, Entity: it.Entity, LastNotice: st[0], PausedUntil: st[1]}
		} else {
			it.CustomerID = cur.CustomerID // share one string per customer
		}
		cur.Items = append(cur.Items, it)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: scan items: %w", err)
	}
	if cur != nil {
		return fn(cur)
	}
	return nil
}

// stateCursor walks item_state in key order beside the items.
type stateCursor struct {
	rows *sql.Rows
	ok   bool // rows holds a current row
	ref  agent.Ref
	st   agent.ItemState
}

func newStateCursor(ctx context.Context, s *Store, where string, args []any) (*stateCursor, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT customer_id, entity, invoice, last_level, last_notice, reminded,
		disputed, dispute_reason, promised_date, advised_date FROM item_state`+where+
		` ORDER BY customer_id, entity, invoice`, args...)
	if err != nil {
		return nil, err
	}
	c := &stateCursor{rows: rows}
	return c, c.next()
}

func (c *stateCursor) next() error {
	c.ok = c.rows.Next()
	if !c.ok {
		return c.rows.Err()
	}
	var last, promised, advised sql.NullString
	c.st = agent.ItemState{}
	if err := c.rows.Scan(&c.ref.CustomerID, &c.ref.Entity, &c.ref.Invoice, &c.st.LastLevel, &last, &c.st.Reminded,
		&c.st.Disputed, &c.st.DisputeReason, &promised, &advised); err != nil {
		return err
	}
	c.st.LastNotice, c.st.PromisedDate, c.st.AdvisedDate = scanDate(last), scanDate(promised), scanDate(advised)
	return nil
}

// find returns the state of it, skipping states of items no longer open.
func (c *stateCursor) find(it *agent.OpenItem) (agent.ItemState, error) {
	for c.ok {
		switch cmp.Or(strings.Compare(c.ref.CustomerID, it.CustomerID), strings.Compare(c.ref.Entity, it.Entity),
			strings.Compare(c.ref.Invoice, it.Invoice)) {
		case -1:
			if err := c.next(); err != nil {
				return agent.ItemState{}, err
			}
			continue
		case 0:
			return c.st, nil // kept: a credit note may share the number
		}
		break
	}
	return agent.ItemState{}, nil
}

func (c *stateCursor) close() { c.rows.Close() }

// lastNotices loads when each customer last got a notice; a map lookup per
// customer is cheaper than a join per item.
func (s *Store) lastNotices(ctx context.Context, customerID string) (map[string][2]agent.Date, error) {
	q := `SELECT customer_id, last_notice, paused_until FROM customer_state
		WHERE (last_notice IS NOT NULL OR paused_until IS NOT NULL)`
	var args []any
	if customerID != "" {
		q += ` AND customer_id = ?`
		args = append(args, customerID)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][2]agent.Date{}
	for rows.Next() {
		var id string
		var last, paused sql.NullString
		if err := rows.Scan(&id, &last, &paused); err != nil {
			return nil, err
		}
		out[id] = [2]agent.Date{scanDate(last), scanDate(paused)}
	}
	return out, rows.Err()
}

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

// recordLevels stores levels reached; a level never goes down. A notice
// moves some twenty items at once: one statement for many rows costs
// little more than one for a single row.
func recordLevels(ctx context.Context, tx *wtx, levels []agent.ItemLevel) error {
	for len(levels) > 0 {
		n := min(len(levels), levelRows)
		args := make([]any, 0, 5*n)
		for _, l := range levels[:n] {
			args = append(args, l.Ref.CustomerID, l.Ref.Entity, l.Ref.Invoice, l.Level, date(l.On))
		}
		if _, err := tx.ExecContext(ctx, levelSQL[n], args...); err != nil {
			return err
		}
		levels = levels[n:]
	}
	return nil
}

// levelRows bounds the rows of one statement (5 arguments each, far below
// SQLite's limit on parameters).
const levelRows = 32

// levelSQL[n] upserts n levels; built once, so the statement cache sees
// the same texts.
var levelSQL = func() []string {
	out := make([]string, levelRows+1)
	for n := 1; n <= levelRows; n++ {
		var b strings.Builder
		b.WriteString(`INSERT INTO item_state (customer_id, entity, invoice, last_level, last_notice) VALUES `)
		for r := 0; r < n; r++ {
			if r > 0 {
				b.WriteString(",")
			}
			b.WriteString("(?,?,?,?,?)")
		}
		b.WriteString(` ON CONFLICT (customer_id, entity, invoice) DO UPDATE SET
			last_level = MAX(last_level, excluded.last_level), last_notice = excluded.last_notice`)
		out[n] = b.String()
	}
	return out
}()

// itemWriter inserts items many rows per statement (one Exec per row
// spends more time in database/sql than in SQLite), on its own goroutine:
// SQLite writes one batch while the caller formats the next.
type itemWriter struct {
	ctx    context.Context
	tx     *wtx
	batch  []any
	count  int
	ch     chan []any
	done   chan error
	closed bool
}

const (
	itemCols  = 14
	batchRows = 64
)

func itemInsertSQL(rows int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO items (customer_id, entity, invoice, doc_type, customer_name, issue_date, due_date,
		currency, amount, open_amount, po_number, dunning_block, extra, fp, open, closed_at) VALUES `)
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteString(",")
		}
		b.WriteString("(?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,NULL)")
	}
	b.WriteString(` ON CONFLICT (customer_id, entity, invoice, doc_type) DO UPDATE SET
		customer_name=excluded.customer_name, issue_date=excluded.issue_date, due_date=excluded.due_date,
		currency=excluded.currency, amount=excluded.amount, open_amount=excluded.open_amount,
		po_number=excluded.po_number, dunning_block=excluded.dunning_block, extra=excluded.extra,
		fp=excluded.fp, open=1, closed_at=NULL`)
	return b.String()
}

func newItemWriter(ctx context.Context, tx *wtx) *itemWriter {
	w := &itemWriter{ctx: ctx, tx: tx, batch: make([]any, 0, itemCols*batchRows),
		ch: make(chan []any, 4), done: make(chan error, 1)}
	go w.write()
	return w
}

// write runs on the writer's goroutine: the only user of tx meanwhile.
func (w *itemWriter) write() {
	var full *sql.Stmt
	var err error
	for args := range w.ch {
		if err != nil {
			continue // drain; the first error is reported
		}
		if len(args) == itemCols*batchRows {
			if full == nil {
				full, err = w.tx.PrepareContext(w.ctx, itemInsertSQL(batchRows))
				if err != nil {
					continue
				}
			}
			_, err = full.ExecContext(w.ctx, args...)
		} else {
			_, err = w.tx.ExecContext(w.ctx, itemInsertSQL(len(args)/itemCols), args...)
		}
	}
	if full != nil {
		full.Close()
	}
	w.done <- err
}

func (w *itemWriter) add(vals ...any) error {
	w.batch = append(w.batch, vals...)
	w.count++
	if w.count < batchRows {
		return nil
	}
	return w.send()
}

func (w *itemWriter) send() error {
	select {
	case w.ch <- w.batch:
	case <-w.ctx.Done():
		return w.ctx.Err()
	}
	w.batch, w.count = make([]any, 0, itemCols*batchRows), 0
	return nil
}

// flush writes what is left and waits for the writer.
func (w *itemWriter) flush() error {
	if w.count > 0 {
		if err := w.send(); err != nil {
			return err
		}
	}
	w.closed = true
	close(w.ch)
	return <-w.done
}

// close stops the writer if flush was never reached (an early error).
func (w *itemWriter) close() {
	if !w.closed {
		w.closed = true
		close(w.ch)
		<-w.done
	}
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
