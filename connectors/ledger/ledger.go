// Package ledger reads the open-items ledger (SPEC §2) and the customer
// master (§2b) that ERPs export: CSV, JSON and SAP's FBL5N list in its
// several shapes. Readers are strict about meaning and liberal about form:
// any encoding, separator or header spelling a real export uses is taken,
// but an amount, date or key that could be read two ways is refused, and
// every problem of a file is reported at once as an *agent.InputError.
package ledger

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/dunnerhq/dunner/agent"
)

// Formats ReadLedger accepts.
const (
	FormatCSV  = "csv"
	FormatSAP  = "sap-fbl5n"
	FormatJSON = "json"
)

// ReadLedger parses an open-items ledger. format is "csv", "sap-fbl5n",
// "json", or "" to detect it from the name and the content. name is the file
// name problems are reported against; entity is stamped on every item.
//
// Bad input gives an *agent.InputError listing every problem as
// FILE:LINE: COLUMN: what is wrong, lines counted as an editor shows them. A
// file with a header and no rows is refused unless allowEmpty: importing it
// would close every open item of the entity.
func ReadLedger(r io.Reader, name, format, entity string, allowEmpty bool) ([]agent.Item, error) {
	raw, err := readAll(r)
	if err != nil {
		return nil, fmt.Errorf("reading ledger %s: %w", name, err)
	}
	text := decodeText(raw)
	raw = nil
	if format == "" {
		format = detectFormat(name, text)
	}
	var items []agent.Item
	errs := &agent.InputError{}
	switch strings.ToLower(format) {
	case FormatCSV:
		items = readCSVLedger(text, name, entity, allowEmpty, errs)
	case FormatJSON:
		items = readJSONLedger(text, name, entity, allowEmpty, errs)
	case FormatSAP, "fbl5n", "sap":
		items = readSAP(text, name, entity, allowEmpty, errs)
	default:
		return nil, agent.Invalid(name, 0, "", "unknown ledger format %q (want csv, sap-fbl5n or json)", format)
	}
	order := checkDuplicates(items, name, errs)
	if err := finish(errs); err != nil {
		return nil, err
	}
	// Hand the items over in key order: a store writes them into its key
	// index without sorting again, and the order no longer matters to
	// anyone once every problem has been reported by line.
	if len(order) == len(items) {
		permute(items, order)
	}
	return items, nil
}

// prefix8 packs the first eight bytes of s big-endian, so integer order
// is the strings' byte order on those bytes.
func prefix8(s string) uint64 {
	var v uint64
	for i := 0; i < 8; i++ {
		v <<= 8
		if i < len(s) {
			v |= uint64(s[i])
		}
	}
	return v
}

// permute reorders items so that items[i] becomes the old items[order[i]],
// in place: a second slice of a million items would double the memory.
func permute(items []agent.Item, order []int32) {
	for i := range order {
		if order[i] < 0 {
			continue
		}
		// Follow the cycle that starts at i.
		tmp := items[i]
		j := i
		for {
			k := int(order[j])
			order[j] = -1
			if k == i {
				items[j] = tmp
				break
			}
			items[j] = items[k]
			j = k
		}
	}
}

// sortParallel sorts s as slices.SortFunc does, in halves on two cores
// and merged: cmp must be a total order, so the result is the same.
func sortParallel[T any](s []T, cmp func(a, b T) int) {
	if len(s) < 1<<16 || runtime.GOMAXPROCS(0) < 2 {
		slices.SortFunc(s, cmp)
		return
	}
	a, b := s[:len(s)/2], s[len(s)/2:]
	var wg sync.WaitGroup
	wg.Go(func() { slices.SortFunc(a, cmp) })
	slices.SortFunc(b, cmp)
	wg.Wait()
	out := make([]T, 0, len(s))
	for len(a) > 0 && len(b) > 0 {
		if cmp(b[0], a[0]) < 0 {
			out, b = append(out, b[0]), b[1:]
		} else {
			out, a = append(out, a[0]), a[1:]
		}
	}
	out = append(append(out, a...), b...)
	copy(s, out)
}

// refuseEmpty reports a ledger without items (§2): importing it would close
// every open item of the entity, which must be asked for. line is the
// header's; why says what left the file empty when that is not obvious.
func refuseEmpty(errs *agent.InputError, name string, line int, entity, why string) {
	errs.Add(name, line, "", "no items%s: importing an empty ledger would close every open item of entity %q; allow empty imports to do that on purpose", why, entity)
}

// finish orders problems by line, as a person fixes a file top to bottom.
func finish(errs *agent.InputError) error {
	slices.SortStableFunc(errs.Problems, func(a, b agent.Problem) int { return cmp.Compare(a.Line, b.Line) })
	return errs.Err()
}

// detectFormat guesses the format when none is given: JSON by its first
// character, CSV by Dunner's own column names, FBL5N by SAP's headers.
func detectFormat(name string, text []byte) string {
	t := bytes.TrimLeft(text, " \t\r\n")
	if len(t) > 0 && (t[0] == '[' || t[0] == '{') {
		return FormatJSON
	}
	if strings.EqualFold(filepath.Ext(name), ".json") {
		return FormatJSON
	}
	head := strings.ToLower(string(firstLine(text)))
	if strings.Contains(head, "customer_id") || strings.Contains(head, "open_amount") {
		return FormatCSV
	}
	if looksLikeSAP(text) {
		return FormatSAP
	}
	return FormatCSV
}

// col is a column of Dunner's ledger format.
type col int

const (
	cCustomerID col = iota
	cCustomerName
	cInvoice
	cDocType
	cIssueDate
	cDueDate
	cCurrency
	cAmount
	cOpenAmount
	cPONumber
	cDunningBlock
	numCols
)

var colNames = [numCols]string{
	"customer_id", "customer_name", "invoice", "doc_type", "issue_date", "due_date",
	"currency", "amount", "open_amount", "po_number", "dunning_block",
}

var required = [numCols]bool{cCustomerID: true, cInvoice: true, cDueDate: true, cCurrency: true, cOpenAmount: true}

// colByName finds a column by its header, forgiving case, blanks and
// `-`/space for `_` ("Customer ID"), which cannot mean anything else.
func colByName(h string) (col, bool) {
	h = strings.ToLower(strings.TrimSpace(h))
	for i, n := range colNames {
		if h == n {
			return col(i), true
		}
	}
	if strings.ContainsAny(h, " -") {
		h = strings.NewReplacer(" ", "_", "-", "_").Replace(h)
		for i, n := range colNames {
			if h == n {
				return col(i), true
			}
		}
	}
	return 0, false
}

// row is one item's values as read, before checking.
type row struct {
	line  int // where the item starts
	has   [numCols]bool
	val   [numCols]string
	at    [numCols]int    // line of each value
	label [numCols]string // column as the file names it, for messages
	extra map[string]string
}

// itemBuilder checks rows and turns them into items.
type itemBuilder struct {
	name, entity string
	style        numStyle
	errs         *agent.InputError
	learn        *marks // how a `;` or tab file writes amounts; nil otherwise
}

// noteAmount records what amount v of column c shows of the file's decimal
// mark, keeping it to read again when it could be either.
func (b *itemBuilder) noteAmount(c col, v string) {
	if b.learn == nil || !b.learn.note(v) {
		return
	}
	if len(b.learn.last) == 0 {
		b.learn.last = append(b.learn.last, ambiguous{})
	}
	a := &b.learn.last[0]
	if c == cAmount {
		a.amount, a.hasAmt = v, true
	} else {
		a.open, a.hasOp = v, true
	}
}

func (b *itemBuilder) bad(r *row, c col, format string, args ...any) {
	b.errs.Add(b.name, r.at[c], r.label[c], format, args...)
}

// build checks one row. Problems go to b.errs; ok is false when there were.
func (b *itemBuilder) build(r *row) (agent.Item, bool) {
	n := len(b.errs.Problems)
	for c := col(0); c < numCols; c++ {
		if r.label[c] == "" {
			r.label[c] = colNames[c]
		}
		if r.at[c] == 0 {
			r.at[c] = r.line
		}
		r.val[c] = strings.TrimSpace(r.val[c])
		if required[c] && r.has[c] && r.val[c] == "" {
			b.bad(r, c, "missing: every item needs one")
		}
	}
	it := agent.Item{
		Entity:       b.entity,
		CustomerID:   r.val[cCustomerID],
		CustomerName: r.val[cCustomerName],
		Invoice:      r.val[cInvoice],
		PONumber:     r.val[cPONumber],
		DunningBlock: r.val[cDunningBlock],
		Extra:        r.extra,
		Line:         r.line,
		DocType:      agent.DocInvoice,
	}
	if v := r.val[cDocType]; v != "" {
		t, ok := parseDocType(v)
		if !ok {
			b.bad(r, cDocType, "unknown document type %q (want invoice, credit_note or payment)", v)
		}
		it.DocType = t
	}
	if v := r.val[cIssueDate]; v != "" {
		d, err := parseISODate(v)
		if err != nil {
			b.bad(r, cIssueDate, "%v", err)
		}
		it.IssueDate = d
	}
	if v := r.val[cDueDate]; v != "" {
		d, err := parseISODate(v)
		if err != nil {
			b.bad(r, cDueDate, "%v", err)
		}
		it.DueDate = d
	}
	if v := r.val[cCurrency]; v != "" {
		cur, ok := currencyCode(v)
		if !ok {
			b.bad(r, cCurrency, "not an ISO 4217 currency code (three letters): %q", v)
		}
		it.Currency = cur
	}
	if v := r.val[cAmount]; v != "" {
		d, err := parseAmount(v, b.style)
		if err != nil {
			b.bad(r, cAmount, "%v", err)
		} else {
			it.Amount = &d
			b.noteAmount(cAmount, v)
		}
	}
	if v := r.val[cOpenAmount]; v != "" {
		d, err := parseAmount(v, b.style)
		if err != nil {
			b.bad(r, cOpenAmount, "%v", err)
		} else {
			it.OpenAmount = d
			b.noteAmount(cOpenAmount, v)
			// §2: credits are negative. A positive one would be counted
			// as money owed by whoever reads the sign.
			if it.DocType.Valid() && it.DocType != agent.DocInvoice && d.Sign() > 0 {
				b.bad(r, cOpenAmount, "%s %s is positive; credit notes and unapplied payments are negative", it.DocType, v)
			}
		}
	}
	return it, len(b.errs.Problems) == n
}

func parseDocType(v string) (agent.DocType, bool) {
	t := agent.DocType(strings.ToLower(v))
	if !t.Valid() {
		// "Credit note" and "credit-note" cannot mean anything else.
		t = agent.DocType(strings.NewReplacer(" ", "_", "-", "_").Replace(string(t)))
	}
	return t, t.Valid()
}

// currencyCode upper-cases a three-letter code; it allocates only when the
// code is not upper case already.
func currencyCode(v string) (string, bool) {
	if len(v) != 3 {
		return "", false
	}
	up := true
	for i := 0; i < 3; i++ {
		c := v[i]
		switch {
		case c >= 'A' && c <= 'Z':
		case c >= 'a' && c <= 'z':
			up = false
		default:
			return "", false
		}
	}
	if !up {
		v = strings.ToUpper(v)
	}
	return v, true
}

// checkDuplicates reports items sharing a key (§2). Sorting indices needs
// far less memory than a map of a million keys.
func checkDuplicates(items []agent.Item, name string, errs *agent.InputError) []int32 {
	// Sort on customer and invoice held as integers (8 and 16 bytes),
	// going to the strings only when one is longer or on ties: on a million
	// rows the string comparisons, a cache miss each, were most of the
	// cost of reading a ledger. Invoice numbers share their first 8 bytes
	// ("INV-0000") too often for 8 to tell them apart.
	type sortKey struct {
		cust, inv0, inv1 uint64
		clen, ilen       uint8 // length, or 255 when the integers hold a prefix only
		i                int32
	}
	size := func(s string, max int) uint8 {
		if len(s) > max {
			return 255
		}
		return uint8(len(s))
	}
	keys := make([]sortKey, 0, len(items))
	for i := range items {
		// Without a customer or invoice the key means nothing; that
		// item's problem is reported already.
		if c, inv := items[i].CustomerID, items[i].Invoice; c != "" && inv != "" {
			var inv1 uint64
			if len(inv) > 8 {
				inv1 = prefix8(inv[8:])
			}
			keys = append(keys, sortKey{prefix8(c), prefix8(inv), inv1, size(c, 8), size(inv, 16), int32(i)})
		}
	}
	key := func(a, b int32) int {
		x, y := &items[a], &items[b]
		if c := strings.Compare(x.CustomerID, y.CustomerID); c != 0 {
			return c
		}
		if c := strings.Compare(x.Invoice, y.Invoice); c != 0 {
			return c
		}
		if c := strings.Compare(string(x.DocType), string(y.DocType)); c != 0 {
			return c
		}
		return strings.Compare(x.Entity, y.Entity)
	}
	sortParallel(keys, func(a, b sortKey) int {
		if a.cust != b.cust {
			return cmp.Compare(a.cust, b.cust)
		}
		// Equal prefixes: the lengths order customers that fit whole
		// ("K1" before "K1\x00"); longer ones need the strings.
		if a.clen == 255 || b.clen == 255 {
			if c := strings.Compare(items[a.i].CustomerID, items[b.i].CustomerID); c != 0 {
				return c
			}
		} else if a.clen != b.clen {
			return cmp.Compare(a.clen, b.clen)
		}
		if c := cmp.Or(cmp.Compare(a.inv0, b.inv0), cmp.Compare(a.inv1, b.inv1)); c != 0 {
			return c
		}
		if a.ilen != b.ilen && a.ilen != 255 && b.ilen != 255 {
			return cmp.Compare(a.ilen, b.ilen)
		}
		if c := key(a.i, b.i); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	// The integers tell most neighbours apart without the strings, a
	// cache miss each.
	differ := func(a, b *sortKey) bool {
		return a.cust != b.cust || a.inv0 != b.inv0 || a.inv1 != b.inv1 ||
			a.clen != b.clen && a.clen != 255 && b.clen != 255 || a.ilen != b.ilen && a.ilen != 255 && b.ilen != 255
	}
	idx := make([]int32, len(keys))
	for i, k := range keys {
		idx[i] = k.i
	}
	first := 0 // start of the current run of equal keys
	for i := 1; i < len(idx); i++ {
		if differ(&keys[first], &keys[i]) || key(idx[first], idx[i]) != 0 {
			first = i
			continue
		}
		// Every repeat names the first occurrence, which sorts first.
		a, dup := &items[idx[first]], &items[idx[i]]
		errs.Add(name, dup.Line, "invoice", "duplicate item: customer %s, %s %s is on lines %d and %d",
			dup.CustomerID, dup.DocType, dup.Invoice, a.Line, dup.Line)
	}
	return idx
}
