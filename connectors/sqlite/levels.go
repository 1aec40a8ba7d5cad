package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/dunnerhq/dunner/agent"
)

// The levels an item reached live in item_levels: one row per customer and
// entity holding every item's level and last notice, in a compact binary
// form sorted by invoice. A notice moves some twenty items at once, and a
// row each cost a send pass more than anything else it wrote (each is a
// B-tree insert of its own); one row per notice costs what one does.
// Levels recorded before this table (schema version 5) stay in item_state
// and are read along, the higher level winning.

// levelEntry is one item's level and when its last notice went.
type levelEntry struct {
	invoice string
	level   int
	on      agent.Date
}

const levelsV1 = 0x01

func encodeLevels(b []byte, es []levelEntry) []byte {
	e := encoder{b: append(b, levelsV1)}
	e.uint(uint64(len(es)))
	for _, l := range es {
		e.str(l.invoice)
		e.int(int64(l.level))
		e.int(int64(l.on))
	}
	return e.b
}

var errLevelsCorrupt = errors.New("corrupt item levels")

// decodeLevels reads what encodeLevels wrote. The invoices are parts of s:
// pass a string that is kept, not a view of SQLite's memory.
func decodeLevels(s string) ([]levelEntry, error) {
	if s == "" || s[0] != levelsV1 {
		return nil, errLevelsCorrupt
	}
	d := decoder{s: s[1:]}
	es := make([]levelEntry, d.count(3))
	for i := range es {
		es[i] = levelEntry{invoice: d.str(), level: d.intn(), on: d.date()}
		if i > 0 && es[i].invoice <= es[i-1].invoice {
			d.fail()
		}
	}
	if d.err == nil && d.i != len(d.s) {
		d.fail()
	}
	if d.err != nil {
		return nil, fmt.Errorf("%w: %w", errLevelsCorrupt, d.err)
	}
	return es, nil
}

// mergeLevels records levels reached on top of es (sorted by invoice): a
// level never goes down, the last notice is the newest.
func mergeLevels(es []levelEntry, add []agent.ItemLevel) []levelEntry {
	for _, l := range add {
		i, found := slices.BinarySearchFunc(es, l.Ref.Invoice, func(e levelEntry, inv string) int {
			return strings.Compare(e.invoice, inv)
		})
		if found {
			es[i].level = max(es[i].level, l.Level)
			es[i].on = l.On
			continue
		}
		es = slices.Insert(es, i, levelEntry{invoice: l.Ref.Invoice, level: l.Level, on: l.On})
	}
	return es
}

// lookup finds invoice in es (sorted).
func lookupLevel(es []levelEntry, invoice string) (levelEntry, bool) {
	i := sort.Search(len(es), func(i int) bool { return es[i].invoice >= invoice })
	if i < len(es) && es[i].invoice == invoice {
		return es[i], true
	}
	return levelEntry{}, false
}

// apply puts a recorded level into an item's state.
func (l levelEntry) apply(st *agent.ItemState) {
	st.LastLevel = max(st.LastLevel, l.level)
	st.LastNotice = max(st.LastNotice, l.on)
}

// recordLevels stores levels reached, a row per customer and entity.
func recordLevels(ctx context.Context, tx *wtx, levels []agent.ItemLevel) error {
	levels = slices.Clone(levels)
	slices.SortFunc(levels, func(a, b agent.ItemLevel) int {
		return cmp.Or(strings.Compare(a.Ref.CustomerID, b.Ref.CustomerID), strings.Compare(a.Ref.Entity, b.Ref.Entity))
	})
	for len(levels) > 0 {
		n := 1
		for n < len(levels) && levels[n].Ref.CustomerID == levels[0].Ref.CustomerID &&
			levels[n].Ref.Entity == levels[0].Ref.Entity {
			n++
		}
		if err := recordCustomerLevels(ctx, tx, levels[:n]); err != nil {
			return err
		}
		levels = levels[n:]
	}
	return nil
}

// recordCustomerLevels merges levels of one customer and entity into its
// row.
func recordCustomerLevels(ctx context.Context, tx *wtx, levels []agent.ItemLevel) error {
	ref := levels[0].Ref
	var old []byte
	err := tx.QueryRowContext(ctx, `SELECT levels FROM item_levels WHERE customer_id = ? AND entity = ?`,
		ref.CustomerID, ref.Entity).Scan(&old)
	var es []levelEntry
	switch {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return err
	default:
		if es, err = decodeLevels(string(old)); err != nil {
			return fmt.Errorf("levels of %s/%s: %w", ref.Entity, ref.CustomerID, err)
		}
	}
	b := encodeLevels(make([]byte, 0, len(old)+16*len(levels)), mergeLevels(es, levels))
	_, err = tx.ExecContext(ctx, `INSERT INTO item_levels (customer_id, entity, levels) VALUES (?, ?, ?)
		ON CONFLICT (customer_id, entity) DO UPDATE SET levels = excluded.levels`, ref.CustomerID, ref.Entity, b)
	return err
}

// customerLevels reads the recorded levels of one customer and entity
// (none: nil).
func (s *Store) customerLevels(ctx context.Context, customerID, entity string) ([]levelEntry, error) {
	st, err := s.stmt(ctx, `SELECT levels FROM item_levels WHERE customer_id = ? AND entity = ?`)
	if err != nil {
		return nil, err
	}
	var b []byte
	switch err := st.QueryRowContext(ctx, customerID, entity).Scan(&b); {
	case errors.Is(err, sql.ErrNoRows):
		return nil, nil
	case err != nil:
		return nil, err
	}
	es, err := decodeLevels(string(b))
	if err != nil {
		return nil, fmt.Errorf("levels of %s/%s: %w", entity, customerID, err)
	}
	return es, nil
}

// rawLevels reads item_levels in key order alongside a scan's items.
type rawLevels struct {
	q            *rawStmt
	ok           bool // q is on a row
	cust, entity string
	es           []levelEntry
	i            int
}

func (c *rawLevels) next() error {
	ok, err := c.q.step()
	if c.ok = ok; !ok {
		return err
	}
	c.cust, c.entity = strings.Clone(c.q.text(0)), strings.Clone(c.q.text(1))
	c.i = 0
	if c.es, err = decodeLevels(strings.Clone(c.q.text(2))); err != nil {
		return fmt.Errorf("levels of %s/%s: %w", c.entity, c.cust, err)
	}
	return nil
}

// find returns the level recorded for it. Items come in key order.
func (c *rawLevels) find(it *agent.OpenItem) (levelEntry, bool, error) {
	for c.ok {
		switch cmp.Or(strings.Compare(c.cust, it.CustomerID), strings.Compare(c.entity, it.Entity)) {
		case -1:
			if err := c.next(); err != nil {
				return levelEntry{}, false, err
			}
			continue
		case 0:
			for c.i < len(c.es) && c.es[c.i].invoice < it.Invoice {
				c.i++
			}
			// Not passed: a credit note may share the number.
			if c.i < len(c.es) && c.es[c.i].invoice == it.Invoice {
				return c.es[c.i], true, nil
			}
		}
		break
	}
	return levelEntry{}, false, nil
}
