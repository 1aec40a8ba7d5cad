package ledger

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/dunnerhq/dunner/agent"
)

// table reads a delimited file with a header row through encoding/csv,
// which tracks the line of every field, quoted line breaks included.
type table struct {
	name   string
	errs   *agent.InputError
	r      *csv.Reader
	sep    byte
	header []string // as written, trimmed
	line   int      // line of the header
	rec    []string
	// lineOff is the lines of the file before the text r reads: a chunk
	// of the file reports lines as the whole file counts them.
	lineOff int
	broken  bool // a row could not be split (see readChunked)
}

// openTable reads the header. It reports an empty file and returns nil.
func openTable(text []byte, name string, errs *agent.InputError) *table {
	head := firstLine(text)
	if head == nil {
		errs.Add(name, 0, "", "empty file: expected a header row")
		return nil
	}
	t := &table{name: name, errs: errs, sep: detectSeparator(head)}
	// Excel's "sep=;" line names the separator. Blanking it in place keeps
	// the line numbers; the text is this package's own copy.
	if h := bytes.TrimSpace(head); len(h) == 5 && bytes.EqualFold(h[:4], []byte("sep=")) {
		t.sep = h[4]
		for i := range head {
			head[i] = ' '
		}
		if head = firstLine(text); head == nil {
			errs.Add(name, 0, "", "empty file: expected a header row")
			return nil
		}
	}
	if t.sep != ',' && t.sep != ';' && t.sep != '\t' && t.sep != '|' {
		errs.Add(name, 1, "", "unsupported separator %q (want , ; or tab)", string(t.sep))
		return nil
	}
	t.r = csv.NewReader(bytes.NewReader(text))
	t.r.Comma = rune(t.sep)
	t.r.FieldsPerRecord = -1 // counted here, to say what is wrong
	t.r.ReuseRecord = true
	for {
		rec, err := t.r.Read()
		if err == io.EOF {
			errs.Add(name, 0, "", "empty file: expected a header row")
			return nil
		}
		if err != nil {
			t.parseError(err)
			return nil
		}
		if blank(rec) {
			continue
		}
		t.line, _ = t.r.FieldPos(0)
		t.header = make([]string, len(rec))
		for i, h := range rec {
			t.header[i] = strings.TrimSpace(h)
		}
		return t
	}
}

// next returns the next row that is not blank, with its first line. Rows
// that cannot be split are reported and skipped: their values would land in
// the wrong columns.
func (t *table) next() ([]string, int, bool) {
	for {
		rec, err := t.r.Read()
		if err == io.EOF {
			return nil, 0, false
		}
		if err != nil {
			t.parseError(err)
			continue
		}
		// Spreadsheets save rows of empty cells (";;;;") below the data.
		if blank(rec) {
			continue
		}
		line := t.fieldLine(0)
		if len(rec) != len(t.header) {
			if len(rec) < len(t.header) || !blank(rec[len(t.header):]) {
				t.errs.Add(t.name, line, "", "%d fields but the header has %d (a value holding %q must be quoted)",
					len(rec), len(t.header), string(t.sep))
				continue
			}
			rec = rec[:len(t.header)]
		}
		t.rec = rec
		return rec, line, true
	}
}

// fieldLine is the line where field i of the current row starts.
func (t *table) fieldLine(i int) int {
	line, _ := t.r.FieldPos(i)
	return t.lineOff + line
}

func (t *table) parseError(err error) {
	t.broken = true
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		t.errs.Add(t.name, 0, "", "%v", err)
		return
	}
	line, start := t.lineOff+pe.Line, t.lineOff+pe.StartLine
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		t.errs.Add(t.name, line, "", "a \" inside an unquoted value (quote the whole value and double the inner quote)")
	case errors.Is(pe.Err, csv.ErrQuote) && line > start:
		t.errs.Add(t.name, start, "", "a quoted value is not closed: it runs from here to line %d", line)
	case errors.Is(pe.Err, csv.ErrQuote):
		t.errs.Add(t.name, line, "", "a stray \" in a quoted value (double a quote inside one: \"\")")
	default:
		t.errs.Add(t.name, line, "", "%v", pe.Err)
	}
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// extraCol is a column Dunner does not know, kept in Item.Extra.
type extraCol struct {
	i   int
	key string
}

func readCSVLedger(text []byte, name, entity string, allowEmpty bool, errs *agent.InputError) []agent.Item {
	t := openTable(text, name, errs)
	if t == nil {
		return nil
	}
	var (
		idx     [numCols]int
		labels  [numCols]string
		extras  []extraCol
		unnamed []int
		seen    = map[string]int{}
	)
	for c := range idx {
		idx[c] = -1
		labels[c] = colNames[c]
	}
	for i, h := range t.header {
		if h == "" {
			unnamed = append(unnamed, i)
			continue
		}
		key := strings.ToLower(h)
		if j, dup := seen[key]; dup {
			errs.Add(name, t.line, h, "column appears twice (columns %d and %d)", j+1, i+1)
			continue
		}
		seen[key] = i
		if c, ok := colByName(h); ok {
			if idx[c] >= 0 {
				errs.Add(name, t.line, h, "column appears twice (columns %d and %d)", idx[c]+1, i+1)
				continue
			}
			idx[c], labels[c] = i, h
			continue
		}
		extras = append(extras, extraCol{i, key})
	}
	for c := range idx {
		if required[c] && idx[c] < 0 {
			errs.Add(name, t.line, colNames[c], "required column missing (header has: %s)", strings.Join(t.header, string(t.sep)))
		}
	}

	style := styleComma
	if t.sep == ',' {
		style = styleDot
	}
	lay := &csvLayout{idx: idx, labels: labels, extras: extras, unnamed: unnamed}
	b := itemBuilder{name: name, entity: entity, style: style, errs: errs}
	if style == styleComma {
		b.learn = &marks{}
	}
	items, ok := lay.readChunked(t, text, b)
	if !ok {
		b.learn = b.learn.fresh()
		items = lay.rows(t, b, make([]agent.Item, 0, bytes.Count(text, []byte{'\n'})+1))
	}
	b.learn.settle(items)
	if len(items) == 0 && len(errs.Problems) == 0 && !allowEmpty {
		refuseEmpty(errs, name, t.line, entity, "")
	}
	return items
}

// csvLayout is where a ledger's columns are, as its header says.
type csvLayout struct {
	idx     [numCols]int
	labels  [numCols]string
	extras  []extraCol
	unnamed []int
}

// rows reads the rows of t into items, problems going to b.errs.
func (lay *csvLayout) rows(t *table, b itemBuilder, items []agent.Item) []agent.Item {
	var r row
	for {
		rec, line, ok := t.next()
		if !ok {
			return items
		}
		r = row{line: line, label: lay.labels}
		for c, i := range lay.idx {
			if i >= 0 {
				r.has[c], r.val[c], r.at[c] = true, rec[i], t.fieldLine(i)
			}
		}
		for _, e := range lay.extras {
			if v := strings.TrimSpace(rec[e.i]); v != "" {
				if r.extra == nil {
					r.extra = make(map[string]string, len(lay.extras))
				}
				r.extra[e.key] = v
			}
		}
		for _, i := range lay.unnamed {
			if strings.TrimSpace(rec[i]) != "" {
				b.errs.Add(b.name, t.fieldLine(i), fmt.Sprintf("column %d", i+1), "a value in a column without a header: %q", rec[i])
			}
		}
		if it, ok := b.build(&r); ok {
			items = append(items, it)
			b.learn.keep(len(items) - 1)
		}
		b.learn.drop()
	}
}

// marks learns how a `;` or tab file writes its amounts. §2 lets such a
// file use the decimal comma, so "1,500" reads as 1.5; but Excel's
// "Unicode text" from an English locale is tab-separated with
// "1,234.56", and there "1,500" is fifteen hundred. When the file's other
// amounts show only the decimal point, a comma before exactly three digits
// groups thousands. Only those few amounts are kept to read again, so a
// large file costs nothing more.
type marks struct {
	dot, comma bool // an amount showed the decimal point / comma
	last       []ambiguous
	pending    []ambiguous
}

// ambiguous is an item whose amounts were read with the decimal comma and
// would read a thousand times larger with the decimal point.
type ambiguous struct {
	i             int // index in the items
	amount, open  string
	hasAmt, hasOp bool
}

func (m *marks) fresh() *marks {
	if m == nil {
		return nil
	}
	return &marks{}
}

// note records the evidence of amount v, read in styleComma, and whether it
// is one comma before exactly three digits ("1,500").
func (m *marks) note(v string) bool {
	i := strings.LastIndexAny(v, ".,")
	if i < 0 {
		return false
	}
	after := len(v) - 1 - i
	if v[i] == '.' {
		// "1.234.567" groups with dots; "12.50" and "1,234.56" mark
		// decimals with one.
		if strings.IndexByte(v, '.') == i {
			m.dot = true
		} else {
			m.comma = true
		}
		return false
	}
	if strings.IndexByte(v, ',') != i || strings.IndexByte(v, '.') >= 0 || after != 3 {
		m.comma = true
		return false
	}
	lead := strings.TrimLeft(v[:i], "+-")
	return len(lead) >= 1 && len(lead) <= 3 && lead[0] != '0'
}

// keep records the ambiguous amounts of the item just added at index i.
func (m *marks) keep(i int) {
	if m == nil || len(m.last) == 0 {
		return
	}
	a := m.last[0]
	a.i = i
	m.pending = append(m.pending, a)
}

// drop forgets the row just read.
func (m *marks) drop() {
	if m != nil {
		m.last = m.last[:0]
	}
}

// join adds the evidence of a later chunk of the file, whose items start at
// index off.
func (m *marks) join(o *marks, off int) {
	if m == nil || o == nil {
		return
	}
	m.dot, m.comma = m.dot || o.dot, m.comma || o.comma
	for _, a := range o.pending {
		a.i += off
		m.pending = append(m.pending, a)
	}
}

// settle reads the ambiguous amounts again with the decimal point when the
// file shows no other mark.
func (m *marks) settle(items []agent.Item) {
	if m == nil || !m.dot || m.comma {
		return
	}
	for _, a := range m.pending {
		it := &items[a.i]
		if a.hasAmt {
			if d, err := parseAmount(a.amount, styleDot); err == nil {
				it.Amount = &d
			}
		}
		if a.hasOp {
			if d, err := parseAmount(a.open, styleDot); err == nil {
				it.OpenAmount = d
			}
		}
	}
}
