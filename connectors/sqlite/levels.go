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

// lookupLevel finds invoice in es (sorted).
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

// recordLevels stores levels reached, a row per customer and entity: the
// rows concerned are read in one statement and written back in another,
// levelGroups of them at a time.
func recordLevels(ctx context.Context, tx *wtx, levels []agent.ItemLevel) error {
	if !grouped(levels) {
		// Stable: within a group, the later of two levels for one item
		// sets its date.
		levels = slices.Clone(levels)
		slices.SortStableFunc(levels, func(a, b agent.ItemLevel) int {
			return cmp.Or(strings.Compare(a.Ref.CustomerID, b.Ref.CustomerID), strings.Compare(a.Ref.Entity, b.Ref.Entity))
		})
	}
	// groups[i] is levels[starts[i]:starts[i+1]], one customer and entity.
	var starts []int
	for i := range levels {
		if i == 0 || levels[i].Ref.CustomerID != levels[i-1].Ref.CustomerID || levels[i].Ref.Entity != levels[i-1].Ref.Entity {
			starts = append(starts, i)
		}
	}
	starts = append(starts, len(levels))
	for g := 0; g+1 < len(starts); g += levelGroups {
		end := min(g+levelGroups, len(starts)-1)
		if err := recordLevelGroups(ctx, tx, levels, starts[g:end+1]); err != nil {
			return err
		}
	}
	return nil
}

// grouped reports whether each customer and entity's levels already lie
// together, as a send pass's do (a notice's items are one customer's), so
// that they need no sort: sorting a group commit's few thousand cost about
// a fifth of recording them.
func grouped(levels []agent.ItemLevel) bool {
	type key struct{ customer, entity string }
	seen := map[key]bool{}
	for i, l := range levels {
		if i > 0 && l.Ref.CustomerID == levels[i-1].Ref.CustomerID && l.Ref.Entity == levels[i-1].Ref.Entity {
			continue
		}
		k := key{l.Ref.CustomerID, l.Ref.Entity}
		if seen[k] {
			return false
		}
		seen[k] = true
	}
	return true
}

// levelGroups bounds the customers of one read and one write.
const levelGroups = 64

func recordLevelGroups(ctx context.Context, tx *wtx, levels []agent.ItemLevel, starts []int) error {
	n := len(starts) - 1
	keys := make([]any, 0, 2*n)
	for _, st := range starts[:n] {
		keys = append(keys, levels[st].Ref.CustomerID, levels[st].Ref.Entity)
	}
	// A join, not "(customer_id, entity) IN (VALUES …)": SQLite scans the
	// whole table for that.
	rows, err := tx.QueryContext(ctx, `SELECT l.customer_id, l.entity, l.levels FROM (VALUES `+values(n, 2)+`) AS v
		JOIN item_levels l ON l.customer_id = v.column1 AND l.entity = v.column2`, keys...)
	if err != nil {
		return err
	}
	type key struct{ customer, entity string }
	old := map[key][]byte{}
	for rows.Next() {
		var k key
		var b []byte
		if err := rows.Scan(&k.customer, &k.entity, &b); err != nil {
			rows.Close()
			return err
		}
		old[k] = b
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	args := make([]any, 0, 3*n)
	for g := 0; g < n; g++ {
		group := levels[starts[g]:starts[g+1]]
		ref := group[0].Ref
		b := old[key{ref.CustomerID, ref.Entity}]
		var es []levelEntry
		if b != nil {
			if es, err = decodeLevels(string(b)); err != nil {
				return fmt.Errorf("levels of %s/%s: %w", ref.Entity, ref.CustomerID, err)
			}
		}
		args = append(args, ref.CustomerID, ref.Entity,
			encodeLevels(make([]byte, 0, len(b)+16*len(group)), mergeLevels(es, group)))
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO item_levels (customer_id, entity, levels) VALUES `+values(n, 3)+`
		ON CONFLICT (customer_id, entity) DO UPDATE SET levels = excluded.levels`, args...)
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
