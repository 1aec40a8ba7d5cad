package sqlite

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"unsafe"

	"github.com/dunnerhq/dunner/agent"
	"github.com/shopspring/decimal"
)

// planColumns are what the rules and `items list` read; the customer name,
// gross amount and extra fields stay out of the hot scan.
const planColumns = `entity, customer_id, invoice, doc_type, issue_date, due_date, currency, open_amount,
	po_number, dunning_block`

// ScanOpenItems streams open items grouped by customer, in key order, so a
// run over a million items holds one customer at a time. Items carry what
// the rules need; OpenItems returns every field. The dunning state is
// merged in from its tables (item_state, item_levels), read in the same key
// order alongside:
// cheaper than a join's lookup per item when most items have no history.
//
// It reads through a connection of its own (rawConn): through database/sql
// each of a million rows paid for ten converted and copied values, more
// than SQLite's own work. Both tables are read in one transaction, so items
// and states are of the same moment.
func (s *Store) ScanOpenItems(ctx context.Context, customerID string, fn func(*agent.CustomerItems) error) error {
	last, ledger, err := s.lastNotices(ctx, customerID)
	if err != nil {
		return fmt.Errorf("sqlite: scan items: %w", err)
	}
	c, err := s.getRaw()
	if err != nil {
		return fmt.Errorf("sqlite: scan items: %w", err)
	}
	defer s.putRaw(c)
	if err := c.exec("BEGIN"); err != nil {
		return fmt.Errorf("sqlite: scan items: %w", err)
	}
	defer c.exec("COMMIT") // a read: nothing to keep or lose
	if err := scanOpen(ctx, c, customerID, last, ledger, fn); err != nil {
		return fmt.Errorf("sqlite: scan items: %w", err)
	}
	return nil
}

func scanOpen(ctx context.Context, c *rawConn, customerID string, last map[string]custState, ledger int64,
	fn func(*agent.CustomerItems) error) error {
	where, stateWhere := ` WHERE open = 1`, ""
	if customerID != "" {
		where += ` AND customer_id = ?1`
		stateWhere = ` WHERE customer_id = ?1`
	}
	q, err := c.cached(`SELECT ` + planColumns + ` FROM items` + where + ` ORDER BY customer_id, entity, invoice, doc_type`)
	if err != nil {
		return err
	}
	defer q.reset()
	sq, err := c.cached(`SELECT customer_id, entity, invoice, last_level, last_notice, reminded,
		disputed, dispute_reason, promised_date, advised_date FROM item_state` + stateWhere +
		` ORDER BY customer_id, entity, invoice`)
	if err != nil {
		return err
	}
	defer sq.reset()
	lq, err := c.cached(`SELECT customer_id, entity, levels FROM item_levels` + stateWhere + ` ORDER BY customer_id, entity`)
	if err != nil {
		return err
	}
	defer lq.reset()
	if customerID != "" {
		for _, st := range []*rawStmt{q, sq, lq} {
			if err := st.bind(1, customerID); err != nil {
				return err
			}
		}
	}
	states := &rawStates{q: sq}
	if err := states.next(); err != nil {
		return err
	}
	levels := &rawLevels{q: lq}
	if err := levels.next(); err != nil {
		return err
	}
	var (
		in    interner
		arena strArena
		cur   *agent.CustomerItems
		// Items are made in place in blocks shared by the customers that
		// fit, each handed its part with no room to grow into the next's:
		// one allocation per block instead of a slice grown per customer.
		slab  []agent.OpenItem
		first int // where the current customer's items start in slab
	)
	emit := func() error {
		cur.Items = slab[first:len(slab):len(slab)]
		first = len(slab)
		err := fn(cur)
		cur = nil
		return err
	}
	for n := 0; ; n++ {
		if n%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		row, err := q.step()
		if err != nil {
			return err
		}
		if !row {
			break
		}
		// Views of SQLite's memory until the next step: strings are
		// copied (or interned) before they are kept.
		cust := q.text(1)
		if cur != nil && cur.CustomerID != cust {
			if err := emit(); err != nil {
				return err
			}
		}
		if len(slab) == cap(slab) {
			// The current customer's items so far move to the new block.
			part := slab[first:]
			// Blocks start small and double up to slabItems: a scan of one
			// customer must not clear a block sized for a million items.
			block := min(max(2*cap(slab), 64), slabItems)
			slab = append(make([]agent.OpenItem, 0, max(block, 2*len(part))), part...)
			first = 0
		}
		slab = slab[:len(slab)+1]
		it := &slab[len(slab)-1]
		it.Entity = in.get(q.text(0))
		if cur == nil {
			id := strings.Clone(cust)
			st, ok := last[id]
			if !ok {
				st.version = version(ledger, 0)
			}
			cur = &agent.CustomerItems{CustomerID: id, Entity: it.Entity, LastNotice: st.last, PausedUntil: st.paused,
				Version: st.version}
		}
		it.CustomerID = cur.CustomerID // one string per customer
		it.Invoice = arena.clone(q.text(2))
		it.DocType = agent.DocType(in.get(q.text(3)))
		it.IssueDate, it.DueDate = rawDate(q.text(4)), rawDate(q.text(5))
		it.Currency = in.get(q.text(6))
		open := q.text(7)
		if it.OpenAmount, err = parseDecimalText(open); err != nil {
			return fmt.Errorf("item %s: open amount %q: %w", it.Invoice, open, err)
		}
		it.PONumber = arena.clone(q.text(8))
		it.DunningBlock = in.get(q.text(9))
		if it.State, err = states.find(it); err != nil {
			return err
		}
		if l, ok, err := levels.find(it); err != nil {
			return err
		} else if ok {
			l.apply(&it.State)
		}
	}
	if cur != nil {
		return emit()
	}
	return nil
}

// slabItems is the size of a block of items (about 1 MiB).
const slabItems = 4096

// rawStates walks item_state in key order beside the items.
type rawStates struct {
	q   *rawStmt
	ok  bool // q is on a row
	ref agent.Ref
	st  agent.ItemState
}

func (c *rawStates) next() error {
	ok, err := c.q.step()
	if c.ok = ok; !ok {
		return err
	}
	q := c.q
	// Copied: the row is kept past the next step while items catch up.
	c.ref = agent.Ref{CustomerID: strings.Clone(q.text(0)), Entity: strings.Clone(q.text(1)), Invoice: strings.Clone(q.text(2))}
	c.st = agent.ItemState{LastLevel: int(q.int64(3)), LastNotice: rawDate(q.text(4)), Reminded: q.int64(5) != 0,
		Disputed: q.int64(6) != 0, DisputeReason: strings.Clone(q.text(7)),
		PromisedDate: rawDate(q.text(8)), AdvisedDate: rawDate(q.text(9))}
	return nil
}

// find returns the state of it, skipping states of items no longer open.
func (c *rawStates) find(it *agent.OpenItem) (agent.ItemState, error) {
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

func rawDate(s string) agent.Date {
	if s == "" {
		return 0
	}
	d, _ := agent.ParseDate(s)
	return d
}

// interner keeps one copy of the few texts that repeat on every row
// (entity, document type, currency, dunning block) instead of a million.
type interner struct {
	last []string // most recently used first; a handful in practice
}

func (in *interner) get(s string) string {
	if s == "" {
		return ""
	}
	for i, v := range in.last {
		if v == s {
			if i > 0 {
				copy(in.last[1:i+1], in.last[:i])
				in.last[0] = v
			}
			return v
		}
	}
	v := strings.Clone(s)
	if len(in.last) < 8 {
		in.last = append(in.last, "")
	}
	copy(in.last[1:], in.last)
	in.last[0] = v
	return v
}

// strArena copies short strings into shared blocks: one allocation per
// block instead of one per invoice number. A kept string keeps its block.
type strArena struct{ buf []byte }

func (a *strArena) clone(s string) string {
	if s == "" {
		return ""
	}
	if len(s) > 256 {
		return strings.Clone(s)
	}
	if cap(a.buf)-len(a.buf) < len(s) {
		a.buf = make([]byte, 0, 16<<10)
	}
	off := len(a.buf)
	a.buf = append(a.buf, s...)
	return unsafe.String(&a.buf[off], len(s))
}

// parseDecimalText reads the storage form of an amount (DecimalText): the
// common case of at most 18 digits without going through
// decimal.NewFromString's general parser.
func parseDecimalText(s string) (decimal.Decimal, error) {
	t := s
	neg := false
	if t != "" && t[0] == '-' {
		neg, t = true, t[1:]
	}
	var v int64
	digits, scale, dot := 0, 0, false
	for i := 0; i < len(t); i++ {
		switch ch := t[i]; {
		case ch >= '0' && ch <= '9':
			v = v*10 + int64(ch-'0')
			digits++
			if dot {
				scale++
			}
		case ch == '.' && !dot && i > 0 && i < len(t)-1:
			dot = true
		default:
			return decimal.NewFromString(s)
		}
	}
	if digits == 0 || digits > 18 {
		return decimal.NewFromString(s)
	}
	if neg {
		v = -v
	}
	return decimal.New(v, -int32(scale)), nil
}

// getRaw takes the idle raw connection or opens one: opening costs about
// half a millisecond (the schema is read again), more than scanning one
// customer, and single-customer scans run once per remittance and notice.
func (s *Store) getRaw() (*rawConn, error) {
	s.rawMu.Lock()
	c := s.rawIdle
	s.rawIdle = nil
	s.rawMu.Unlock()
	if c != nil {
		return c, nil
	}
	return openRaw(s.path)
}

// putRaw keeps c for the next scan, unless one is kept already.
func (s *Store) putRaw(c *rawConn) {
	s.rawMu.Lock()
	if s.rawIdle == nil && !s.closed {
		s.rawIdle, c = c, nil
	}
	s.rawMu.Unlock()
	if c != nil {
		c.close()
	}
}
