package postgres

import (
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shopspring/decimal"

	"github.com/dunnerhq/dunner/agent"
)

// fingerprint summarises an item as imported, so a re-import can tell an
// unchanged row without comparing every column (and without writing it).
// The same function as connectors/sqlite's, so the numbers mean the same in
// both stores.
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

type itemKey struct{ customer, invoice, docType string }

type existing struct {
	fp   int64
	open bool
	seen bool
}

// itemCols are the columns a ledger import writes, in rowValues' order.
var itemCols = []string{"customer_id", "entity", "invoice", "doc_type", "customer_name", "issue_date", "due_date",
	"currency", "amount", "open_amount", "po_number", "dunning_block", "extra", "fp", "open", "closed_at"}

// importRow is what one item contributes to the import.
type importRow struct {
	amount, open, extra string
	fp                  int64
}

func prepareRow(it *agent.Item) importRow {
	var r importRow
	if len(it.Extra) > 0 {
		b, _ := json.Marshal(it.Extra) // map keys are sorted: stable
		r.extra = string(b)
	}
	if it.Amount != nil {
		r.amount = agent.DecimalText(*it.Amount)
	}
	r.open = agent.DecimalText(it.OpenAmount)
	r.fp = fingerprint(it, r.amount, r.open, r.extra)
	return r
}

func rowValues(it *agent.Item, r importRow) []any {
	return []any{it.CustomerID, it.Entity, it.Invoice, string(it.DocType), it.CustomerName, pgDate(it.IssueDate),
		pgDate(it.DueDate), it.Currency, optNumeric(it.Amount), numeric(it.OpenAmount), it.PONumber,
		it.DunningBlock, nullText(r.extra), r.fp, true, nil}
}

// ImportLedger applies a full snapshot of one entity in one transaction:
// new items are copied in, changed and reopened ones updated, items missing
// from the snapshot closed. Unchanged rows (most of a daily import) are
// not written at all.
func (s *Store) ImportLedger(ctx context.Context, entity string, items []agent.Item, at time.Time) (agent.ImportStats, error) {
	// Bad input is refused before the database is touched.
	order, err := agent.SnapshotOrder(items, entity)
	if err != nil {
		return agent.ImportStats{}, fmt.Errorf("postgres: import ledger: %w", err)
	}
	// Only the fingerprints are kept: the rows to write are formatted
	// again as they are copied, which costs less than holding a million
	// formatted rows.
	fps := make([]int64, len(items))
	for i := range items {
		fps[i] = prepareRow(&items[i]).fp
	}

	var st agent.ImportStats
	err = s.tx(ctx, func(tx pgx.Tx) error {
		st = agent.ImportStats{Rows: len(items)}
		// Two daemons importing one entity at once would each diff against
		// what the other is about to change.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('dunner.import'), hashtext($1))`, entity); err != nil {
			return err
		}
		have := map[itemKey]*existing{}
		dbRows, err := tx.Query(ctx, `SELECT customer_id, invoice, doc_type, fp, open FROM items WHERE entity = $1`, entity)
		if err != nil {
			return err
		}
		for dbRows.Next() {
			var k itemKey
			e := &existing{}
			if err := dbRows.Scan(&k.customer, &k.invoice, &k.docType, &e.fp, &e.open); err != nil {
				dbRows.Close()
				return err
			}
			have[k] = e
		}
		dbRows.Close()
		if err := dbRows.Err(); err != nil {
			return err
		}

		var added, changed []int32
		for _, i := range order {
			it := &items[i]
			e := have[itemKey{it.CustomerID, it.Invoice, string(it.DocType)}]
			switch {
			case e == nil:
				st.Added++
				added = append(added, i)
				continue
			case !e.open:
				st.Reopened++
			case e.fp != fps[i]:
				st.Updated++
			default:
				st.Unchanged++
				e.seen = true
				continue
			}
			e.seen = true
			changed = append(changed, i)
		}
		source := func(idx []int32) pgx.CopyFromSource {
			n := 0
			return pgx.CopyFromFunc(func() ([]any, error) {
				if n == len(idx) {
					return nil, nil
				}
				i := idx[n]
				n++
				return rowValues(&items[i], prepareRow(&items[i])), nil
			})
		}
		// New rows go straight in: COPY is the fast path, and the lock
		// above means no one else adds this entity's keys meanwhile.
		if len(added) > 0 {
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"items"}, itemCols, source(added)); err != nil {
				return err
			}
		}
		if len(changed) > 0 {
			if _, err := tx.Exec(ctx, `CREATE TEMP TABLE item_changes (LIKE items) ON COMMIT DROP`); err != nil {
				return err
			}
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"item_changes"}, itemCols, source(changed)); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE items i SET customer_name = c.customer_name, issue_date = c.issue_date,
				due_date = c.due_date, currency = c.currency, amount = c.amount, open_amount = c.open_amount,
				po_number = c.po_number, dunning_block = c.dunning_block, extra = c.extra, fp = c.fp,
				open = TRUE, closed_at = NULL
				FROM item_changes c WHERE i.customer_id = c.customer_id AND i.entity = c.entity
				AND i.invoice = c.invoice AND i.doc_type = c.doc_type`); err != nil {
				return err
			}
		}
		var cust, inv, doc []string
		for k, e := range have {
			if e.open && !e.seen {
				cust, inv, doc = append(cust, k.customer), append(inv, k.invoice), append(doc, k.docType)
			}
		}
		if len(cust) > 0 {
			tag, err := tx.Exec(ctx, `UPDATE items i SET open = FALSE, closed_at = $1
				FROM unnest($3::text[], $4::text[], $5::text[]) AS c (customer_id, invoice, doc_type)
				WHERE i.entity = $2 AND i.customer_id = c.customer_id AND i.invoice = c.invoice
				AND i.doc_type = c.doc_type`, at, entity, cust, inv, doc)
			if err != nil {
				return err
			}
			st.Closed = int(tag.RowsAffected())
		}
		detail, _ := json.Marshal(st)
		return event(ctx, tx, agent.Event{At: at, Kind: "import.ledger", Subject: "entity:" + entity, Detail: string(detail)})
	})
	if err != nil {
		return agent.ImportStats{}, fmt.Errorf("postgres: import ledger: %w", err)
	}
	return st, nil
}

// stateColumns read an item's dunning state from the joined item_state s.
const stateColumns = `COALESCE(s.last_level, 0), s.last_notice, COALESCE(s.reminded, FALSE),
	COALESCE(s.disputed, FALSE), COALESCE(s.dispute_reason, ''), s.promised_date, s.advised_date`

const itemColumns = `i.entity, i.customer_id, i.invoice, i.doc_type, i.customer_name, i.issue_date, i.due_date,
	i.currency, i.amount::text, i.open_amount::text, i.po_number, i.dunning_block, i.extra::text, ` + stateColumns

const itemJoin = ` FROM items i LEFT JOIN item_state s
	ON s.customer_id = i.customer_id AND s.entity = i.entity AND s.invoice = i.invoice`

// stateDest receives stateColumns.
type stateDest struct {
	last, promised, advised pgtype.Date
}

func (d *stateDest) targets(st *agent.ItemState) []any {
	return []any{&st.LastLevel, &d.last, &st.Reminded, &st.Disputed, &st.DisputeReason, &d.promised, &d.advised}
}

func (d *stateDest) fill(st *agent.ItemState) {
	st.LastNotice, st.PromisedDate, st.AdvisedDate = fromDate(d.last), fromDate(d.promised), fromDate(d.advised)
}

func scanItem(r pgx.Row, it *agent.OpenItem) error {
	var docType, open string
	var amount, extra *string
	var issue, due pgtype.Date
	var sd stateDest
	dest := append([]any{&it.Entity, &it.CustomerID, &it.Invoice, &docType, &it.CustomerName, &issue, &due,
		&it.Currency, &amount, &open, &it.PONumber, &it.DunningBlock, &extra}, sd.targets(&it.State)...)
	if err := r.Scan(dest...); err != nil {
		return err
	}
	sd.fill(&it.State)
	it.DocType = agent.DocType(docType)
	it.IssueDate, it.DueDate = fromDate(issue), fromDate(due)
	var err error
	// Amounts travel as text: decimal.NewFromString keeps the scale exactly
	// as stored, as the SQLite store's text columns do.
	if it.OpenAmount, err = decimal.NewFromString(open); err != nil {
		return fmt.Errorf("item %s: open amount %q: %w", it.Invoice, open, err)
	}
	it.Amount = nil
	if amount != nil {
		a, err := decimal.NewFromString(*amount)
		if err != nil {
			return fmt.Errorf("item %s: amount %q: %w", it.Invoice, *amount, err)
		}
		it.Amount = &a
	}
	it.Extra = nil
	if extra != nil && *extra != "" {
		if err := json.Unmarshal([]byte(*extra), &it.Extra); err != nil {
			return fmt.Errorf("item %s: extra: %w", it.Invoice, err)
		}
	}
	return nil
}

// ScanOpenItems streams open items grouped by customer, in key order, so a
// run over a million items holds one customer at a time. Items carry what
// the rules need (the customer name, gross amount and extra fields stay out
// of the hot scan); OpenItems returns every field.
func (s *Store) ScanOpenItems(ctx context.Context, customerID string, fn func(*agent.CustomerItems) error) error {
	last, err := s.lastNotices(ctx, customerID)
	if err != nil {
		return fmt.Errorf("postgres: scan items: %w", err)
	}
	where := ` WHERE i.open`
	var args []any
	if customerID != "" {
		where += ` AND i.customer_id = $1`
		args = append(args, customerID)
	}
	rows, err := s.pool.Query(ctx, `SELECT i.entity, i.customer_id, i.invoice, i.doc_type, i.issue_date, i.due_date,
		i.currency, i.open_amount::text, i.po_number, i.dunning_block, `+stateColumns+itemJoin+where+
		` ORDER BY i.customer_id, i.entity, i.invoice, i.doc_type`, args...)
	if err != nil {
		return fmt.Errorf("postgres: scan items: %w", err)
	}
	defer rows.Close()
	var cur *agent.CustomerItems
	var docType, open string
	var issue, due pgtype.Date
	var sd stateDest
	for rows.Next() {
		var it agent.OpenItem
		dest := append([]any{&it.Entity, &it.CustomerID, &it.Invoice, &docType, &issue, &due,
			&it.Currency, &open, &it.PONumber, &it.DunningBlock}, sd.targets(&it.State)...)
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("postgres: scan items: %w", err)
		}
		sd.fill(&it.State)
		it.DocType = agent.DocType(docType)
		it.IssueDate, it.DueDate = fromDate(issue), fromDate(due)
		if it.OpenAmount, err = decimal.NewFromString(open); err != nil {
			return fmt.Errorf("postgres: item %s: open amount %q: %w", it.Invoice, open, err)
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
		return fmt.Errorf("postgres: scan items: %w", err)
	}
	if cur != nil {
		return fn(cur)
	}
	return nil
}

// lastNotices loads when each customer last got a notice; a map lookup per
// customer is cheaper than a join per item.
func (s *Store) lastNotices(ctx context.Context, customerID string) (map[string][2]agent.Date, error) {
	q := `SELECT customer_id, last_notice, paused_until FROM customer_state
		WHERE (last_notice IS NOT NULL OR paused_until IS NOT NULL)`
	var args []any
	if customerID != "" {
		q += ` AND customer_id = $1`
		args = append(args, customerID)
	}
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][2]agent.Date{}
	for rows.Next() {
		var id string
		var last, paused pgtype.Date
		if err := rows.Scan(&id, &last, &paused); err != nil {
			return nil, err
		}
		out[id] = [2]agent.Date{fromDate(last), fromDate(paused)}
	}
	return out, rows.Err()
}

// OpenItems returns the open items with the given history keys, any doc
// type: one query per customer and entity (the refs of a notice all belong
// to one customer).
func (s *Store) OpenItems(ctx context.Context, refs []agent.Ref) ([]agent.OpenItem, error) {
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
	var out []agent.OpenItem
	for _, g := range order {
		rows, err := s.pool.Query(ctx, `SELECT `+itemColumns+itemJoin+
			` WHERE i.open AND i.customer_id = $1 AND i.entity = $2 AND i.invoice = ANY($3)
			ORDER BY i.invoice, i.doc_type`, g.customer, g.entity, want[g])
		if err != nil {
			return nil, fmt.Errorf("postgres: open items: %w", err)
		}
		for rows.Next() {
			var it agent.OpenItem
			if err := scanItem(rows, &it); err != nil {
				rows.Close()
				return nil, fmt.Errorf("postgres: open items: %w", err)
			}
			out = append(out, it)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("postgres: open items: %w", err)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Invoice < out[j].Invoice })
	return out, nil
}

func (s *Store) setState(ctx context.Context, ref agent.Ref, ev agent.Event, set string, args ...any) error {
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO item_state (customer_id, entity, invoice) VALUES ($1, $2, $3)
			ON CONFLICT DO NOTHING`, ref.CustomerID, ref.Entity, ref.Invoice); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE item_state SET `+set+
			` WHERE customer_id = $1 AND entity = $2 AND invoice = $3`,
			append([]any{ref.CustomerID, ref.Entity, ref.Invoice}, args...)...); err != nil {
			return err
		}
		if ev.Subject == "" {
			ev.Subject = itemSubject(ref)
		}
		return event(ctx, tx, ev)
	})
	if err != nil {
		return fmt.Errorf("postgres: item %s: %w", ref.Invoice, err)
	}
	return nil
}

func itemSubject(ref agent.Ref) string {
	return "item:" + ref.Entity + "/" + ref.CustomerID + "/" + ref.Invoice
}

func (s *Store) SetDispute(ctx context.Context, ref agent.Ref, disputed bool, reason string, ev agent.Event) error {
	return s.setState(ctx, ref, ev, `disputed = $4, dispute_reason = $5`, disputed, reason)
}

func (s *Store) SetPromise(ctx context.Context, ref agent.Ref, d agent.Date, ev agent.Event) error {
	return s.setState(ctx, ref, ev, `promised_date = $4`, pgDate(d))
}

func (s *Store) SetAdvice(ctx context.Context, ref agent.Ref, d agent.Date, ev agent.Event) error {
	return s.setState(ctx, ref, ev, `advised_date = $4`, pgDate(d))
}

// sortRefs orders rows to be locked: two transactions that upsert the same
// item_state rows in one order cannot deadlock.
func sortRefs(refs []agent.Ref) {
	slices.SortFunc(refs, func(a, b agent.Ref) int {
		return cmp.Or(strings.Compare(a.CustomerID, b.CustomerID), strings.Compare(a.Entity, b.Entity),
			strings.Compare(a.Invoice, b.Invoice))
	})
}

// recordLevels stores levels reached; a level never goes down.
func recordLevels(ctx context.Context, tx pgx.Tx, levels []agent.ItemLevel) error {
	if len(levels) == 0 {
		return nil
	}
	levels = slices.Clone(levels)
	slices.SortStableFunc(levels, func(a, b agent.ItemLevel) int {
		return cmp.Or(strings.Compare(a.Ref.CustomerID, b.Ref.CustomerID), strings.Compare(a.Ref.Entity, b.Ref.Entity),
			strings.Compare(a.Ref.Invoice, b.Ref.Invoice))
	})
	// One statement per level, but pipelined: a run may escalate thousands.
	b := &pgx.Batch{}
	for _, l := range levels {
		b.Queue(`INSERT INTO item_state (customer_id, entity, invoice, last_level, last_notice)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (customer_id, entity, invoice) DO UPDATE SET
			last_level = GREATEST(item_state.last_level, excluded.last_level), last_notice = excluded.last_notice`,
			l.Ref.CustomerID, l.Ref.Entity, l.Ref.Invoice, l.Level, pgDate(l.On))
	}
	return tx.SendBatch(ctx, b).Close()
}

// Invoiced sums the gross amounts of invoices issued since a date, paid or
// not, per currency.
func (s *Store) Invoiced(ctx context.Context, since agent.Date) (map[string]decimal.Decimal, error) {
	rows, err := s.pool.Query(ctx, `SELECT currency, SUM(COALESCE(amount, open_amount))::text FROM items
		WHERE doc_type = 'invoice' AND issue_date >= $1 GROUP BY currency`, pgDate(since))
	if err != nil {
		return nil, fmt.Errorf("postgres: invoiced: %w", err)
	}
	defer rows.Close()
	out := map[string]decimal.Decimal{}
	for rows.Next() {
		var cur, amount string
		if err := rows.Scan(&cur, &amount); err != nil {
			return nil, fmt.Errorf("postgres: invoiced: %w", err)
		}
		d, err := decimal.NewFromString(amount)
		if err != nil {
			return nil, fmt.Errorf("postgres: invoiced: amount %q: %w", amount, err)
		}
		out[cur] = d
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: invoiced: %w", err)
	}
	return out, nil
}

// ItemsByInvoice finds open items by number across customers.
func (s *Store) ItemsByInvoice(ctx context.Context, invoices []string) ([]agent.OpenItem, error) {
	if len(invoices) == 0 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT customer_id, entity, invoice FROM items
		WHERE open AND invoice = ANY($1)`, invoices)
	if err != nil {
		return nil, fmt.Errorf("postgres: items by invoice: %w", err)
	}
	var refs []agent.Ref
	for rows.Next() {
		var r agent.Ref
		if err := rows.Scan(&r.CustomerID, &r.Entity, &r.Invoice); err != nil {
			rows.Close()
			return nil, fmt.Errorf("postgres: items by invoice: %w", err)
		}
		refs = append(refs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: items by invoice: %w", err)
	}
	if len(refs) == 0 {
		return nil, nil
	}
	return s.OpenItems(ctx, refs)
}
