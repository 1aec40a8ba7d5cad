package pdf

import (
	"math"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/dunnerhq/dunner/agent"
	"github.com/shopspring/decimal"
)

// doc is a document being read: its lines and what has been learnt about
// its conventions.
type doc struct {
	lines  []line
	folded []string // fold(line text), per line
	mark   decimalMark
	order  dateOrder
	lang   string
	lay    *Layout
	used   map[int]bool // lines taken by the table (header, rows, totals)
	// tableHead holds head fields printed as table columns, the same on
	// every row (flat exports: "Payment Date", "Check Number").
	tableHead map[string]string
}

func newDoc(lines []line, lay *Layout) *doc {
	d := &doc{lines: lines, lay: lay, used: map[int]bool{}}
	if lay != nil && len(lay.skip) > 0 {
		var kept []line
		for _, l := range lines {
			drop := false
			for _, re := range lay.skip {
				drop = drop || re.MatchString(l.text())
			}
			if !drop {
				kept = append(kept, l)
			}
		}
		d.lines = kept
	}
	d.folded = make([]string, len(d.lines))
	for i := range d.lines {
		d.folded[i] = fold(d.lines[i].text())
	}
	d.learnConventions()
	return d
}

// learnConventions finds the language, the decimal mark and the date order
// from the whole document, so that each ambiguous token is read the way
// the unambiguous ones around it are.
func (d *doc) learnConventions() {
	votes := map[string]int{}
	var dot, comma, dmy, mdy int
	for i, l := range d.lines {
		for _, w := range strings.FieldsFunc(d.folded[i], func(r rune) bool { return !unicode.IsLetter(r) }) {
			if lang, ok := langWords[w]; ok {
				votes[lang]++
			}
		}
		for _, c := range l.Cells {
			for _, tok := range append([]string{c.Text}, wordTexts(c)...) {
				switch markEvidence(tok) {
				case '.':
					dot++
				case ',':
					comma++
				}
				switch dateEvidence(tok) {
				case orderDMY:
					dmy++
				case orderMDY:
					mdy++
				}
			}
		}
	}
	d.lang = "en"
	best := 0
	for _, l := range []string{"en", "de", "es"} {
		if votes[l] > best {
			d.lang, best = l, votes[l]
		}
	}
	switch {
	case dot > comma:
		d.mark = '.'
	case comma > dot:
		d.mark = ','
	case d.lang == "de" || d.lang == "es":
		d.mark = ','
	}
	switch {
	case dmy > mdy:
		d.order = orderDMY
	case mdy > dmy:
		d.order = orderMDY
	case d.lang == "en" && d.usesDollar():
		// An English advice in dollars with only ambiguous slash dates
		// is American.
		d.order = orderMDY
	default:
		d.order = orderDMY
	}
	if d.lay != nil {
		if d.lay.mark != 0 {
			d.mark = d.lay.mark
		}
		if d.lay.order != orderUnknown {
			d.order = d.lay.order
		}
	}
}

func wordTexts(c cell) []string {
	if len(c.Words) < 2 {
		return nil
	}
	out := make([]string, len(c.Words))
	for i, w := range c.Words {
		out[i] = w.Text
	}
	return out
}

func (d *doc) usesDollar() bool {
	for i := range d.lines {
		if strings.Contains(d.folded[i], "$") || containsWord(d.folded[i], "usd") {
			return true
		}
	}
	return false
}

func (d *doc) amount(s string) (decimal.Decimal, bool) {
	if strings.Contains(s, "%") {
		return decimal.Decimal{}, false
	}
	return ParseNumber(s, d.mark)
}

// column is one column of a table header.
type column struct {
	field  string
	X0, X1 float64
}

func (d *doc) columnOf(key string) string {
	if d.lay != nil {
		if c, ok := d.lay.columns[key]; ok {
			return c
		}
	}
	return columnLabels[key]
}

// header reads a line as a table header: its cells split into known labels
// ("Invoice No.", "Skonto", "Importe pagado") and unknown words. It is a
// header when it names the invoice and an amount, or three known columns
// including an amount, and holds few other words.
func (d *doc) header(l line) ([]column, bool) {
	var cols []column
	known, unknown := 0, 0
	for _, c := range l.Cells {
		if _, ok := d.amount(c.Text); ok && strings.ContainsAny(c.Text, ".,") {
			return nil, false // a value, not a label
		}
		if strings.HasSuffix(strings.TrimSpace(c.Text), ":") {
			return nil, false // "Label: value" pairs of the head, not columns
		}
		if f := d.columnOf(labelKey(c.Text)); f != "" {
			if numericCol(f) && strings.Contains(c.Text, "%") {
				f = colIgnore // "Skonto %": a rate, not an amount
			}
			cols = append(cols, column{f, c.X0, c.X1})
			known++
			continue
		}
		// A column repeating a head field on every row, as flat exports
		// print them: "Payment Date", "Check Number", "Payer".
		if f := d.fieldOf(labelKey(c.Text)); headColumnField[f] {
			cols = append(cols, column{colHeadPrefix + f, c.X0, c.X1})
			known++
			continue
		}
		// A label wrapped inside its cell: "Rechnungsdatu" + "m".
		// A word hyphenated at the break: "Rechnungs-" + "nummer".
		if len(c.Words) > 1 {
			if f := d.columnOf(labelKey(strings.ReplaceAll(strings.ReplaceAll(c.Text, "- ", ""), " ", ""))); f != "" {
				cols = append(cols, column{f, c.X0, c.X1})
				known++
				continue
			}
		}
		ws := c.Words
		if len(ws) == 0 {
			ws = []word{{c.Text, c.X0, c.X1}}
		}
		start, unknownStart := len(cols), unknown
		for i := 0; i < len(ws); {
			n := min(5, len(ws)-i)
			found := false
			for ; n >= 1; n-- {
				parts := make([]string, n)
				for k := 0; k < n; k++ {
					parts[k] = ws[i+k].Text
				}
				if f := d.columnOf(labelKey(strings.Join(parts, " "))); f != "" {
					cols = append(cols, column{f, ws[i].X0, ws[i+n-1].X1})
					known++
					i += n
					found = true
					break
				}
			}
			if !found && i > 0 && labelCurrency(ws[i].Text) && len(cols) > 0 && cols[len(cols)-1].field != colNone {
				// "Betrag CHF", "Amount (EUR)", "Importe en €": the
				// currency belongs to the label before it.
				cols[len(cols)-1].X1 = math.Max(cols[len(cols)-1].X1, ws[i].X1)
				i++
				continue
			}
			if !found {
				if strings.IndexFunc(ws[i].Text, unicode.IsDigit) >= 0 {
					return nil, false // labels carry no numbers; values do
				}
				// "Rg.-Betrag", "Re.-Datum": an abbreviation joined to a
				// known word by a hyphen names the column that word does.
				if parts := strings.Fields(labelKey(ws[i].Text)); len(parts) > 1 {
					if f := d.columnOf(parts[len(parts)-1]); f != "" {
						cols = append(cols, column{f, ws[i].X0, ws[i].X1})
						known++
						i++
						continue
					}
				}
				// An unknown word still claims its place, so that its
				// values are not pushed into a neighbour.
				if k := len(cols); k > 0 && cols[k-1].field == colNone && ws[i].X0-cols[k-1].X1 < 1.5*l.Size {
					cols[k-1].X1 = ws[i].X1
				} else {
					cols = append(cols, column{colNone, ws[i].X0, ws[i].X1})
				}
				unknown++
				i++
			}
		}
		cols, unknown = qualifyCell(cols, start, unknown, unknownStart)
		// "Deduction Code", "Discount Key", "Abzugsschlüssel": an amount
		// word qualified by a code word names the code of that amount,
		// text whose digits must not be read as the amount.
		if len(cols) == start+1 && numericCol(cols[start].field) && len(ws) > 1 {
			for _, w := range ws[1:] {
				if codeWords[labelKey(w.Text)] {
					cols[start].field = colIgnore
					break
				}
			}
		}
	}
	has := map[string]bool{}
	for _, c := range cols {
		has[c.field] = true
	}
	amounts := has[colGross] || has[colPaid] || has[colAmount] || has[colDiscount] || has[colDeduct]
	ids := has[colInvoice] || has[colRef] || has[colYourRef] || has[colDocNo]
	distinct := 0
	for f := range has {
		if f != colNone && f != colIgnore {
			distinct++
		}
	}
	ok := amounts && (ids || distinct >= 3) && distinct >= 2 && unknown <= known
	if !ok {
		return nil, false
	}
	return resolveColumns(cols), true
}

// qualifyCell settles the columns one header cell made (cols[start:]).
// The words of a cell belong to one label, so a word the vocabulary does
// not know qualifies the label beside it ("External Document No.",
// "Cuota IVA", "Su factura número") and does not claim a column of its
// own, where it would take the label's values. A bare amount word after
// an amount label only says what kind of amount it is ("Pmt. Disc.
// Amount", "Skonto Betrag").
func qualifyCell(cols []column, start, unknown, unknownStart int) ([]column, int) {
	cell := cols[start:]
	if len(cell) < 2 {
		return cols, unknown
	}
	var keep []column
	for _, c := range cell {
		if k := len(keep); k > 0 && c.field == colAmount && numericCol(keep[k-1].field) && keep[k-1].field != colAmount {
			keep[k-1].X1 = c.X1
			continue
		}
		keep = append(keep, c)
	}
	// "Invoice Amt", "Check Amt", "Rechnung Betrag": a document word
	// before an amount word in one cell says whose amount it is (the
	// vocabulary knows "Invoice Amount" whole, not every abbreviation).
	if len(keep) == 2 && numericCol(keep[1].field) && (keep[0].field == colInvoice || keep[0].field == colRef || keep[0].field == colDocNo) {
		keep = []column{{keep[1].field, keep[0].X0, keep[1].X1}}
		return append(cols[:start], keep...), unknown
	}
	labels := 0
	for _, c := range keep {
		if c.field != colNone {
			labels++
		}
	}
	if labels == 1 {
		one := column{X0: keep[0].X0, X1: keep[0].X1}
		for _, c := range keep {
			if c.field != colNone {
				one.field = c.field
			}
			one.X0, one.X1 = math.Min(one.X0, c.X0), math.Max(one.X1, c.X1)
		}
		keep = []column{one}
		unknown = unknownStart
	}
	return append(cols[:start], keep...), unknown
}

// headerAt finds a header at line i, alone or as a band with the lines
// just above and below: narrow columns wrap their labels ("Rechnungs-" over
// "datum"), and cells centred vertically put the one-line labels of a row
// between the halves of the wrapped ones. The band naming the most columns
// wins.
func (d *doc) headerAt(i int) (cols []column, first, last int, ok bool) {
	l := d.lines[i]
	best := -1
	near := func(a, b int) bool {
		if a < 0 || b >= len(d.lines) || d.lines[a].Page != d.lines[b].Page {
			return false
		}
		// A header row is set in one size: a heading above it ("Invoices
		// paid") is no part of its labels.
		sa, sb := d.lines[a].Size, d.lines[b].Size
		if math.Abs(sa-sb) > 0.15*math.Max(sa, sb) {
			return false
		}
		return math.Abs(d.lines[b].Y-d.lines[a].Y) < 1.6*math.Max(d.lines[a].Size, 1)
	}
	labelLine := func(k int) bool {
		cs := d.lines[k].Cells
		for _, c := range cs {
			if t := strings.TrimSpace(c.Text); strings.HasSuffix(t, ":") || strings.Contains(t, ": ") {
				return true
			}
		}
		// "Payment Currency USD", "Supplier | Northwind Inc.": a head
		// label with its value and nothing else, printed without a colon.
		if len(cs) <= 2 {
			if _, rest, ok := d.splitLabel(cs[0]); ok && (rest != "" || len(cs) == 2 && d.columnOf(labelKey(cs[1].Text)) == "") {
				return true
			}
		}
		return false
	}
	for a := i - 1; a <= i; a++ {
		if a < 0 || a < i && d.used[a] {
			continue
		}
		for b := i; b <= i+2 && b < len(d.lines); b++ {
			if a == i-1 && !near(a, i) || b > i && !near(b-1, b) {
				continue
			}
			if a < b && (l.Fixed || labelLine(a) || labelLine(b) || valueBand(d, a, b)) {
				continue // delimited rows never wrap; "Label: value" lines are the head
			}
			m := d.lines[a]
			for k := a + 1; k <= b; k++ {
				m = mergeHeader(m, d.lines[k])
			}
			c, good := d.header(m)
			if !good {
				continue
			}
			// On a tie the wider band: a second line of labels that
			// alone reads as a header too ("número", "factura",
			// "bruto", "líquido" under "Su factura", "Fecha", "Importe")
			// belongs to the first.
			if n := knownFields(c); n > best || n == best && b-a > last-first {
				cols, first, last, ok, best = c, a, b, true, n
			}
		}
	}
	return cols, first, last, ok
}

// unheadedInvoice: a header with no invoice label often leaves the first
// column's heading blank ("", "Date", "Gross", …) because its numbers speak
// for themselves; what stands left of the first labelled column is then
// the invoice.
func unheadedInvoice(cols []column) []column {
	if len(cols) < 2 || slices.ContainsFunc(cols, func(c column) bool { return c.field == colInvoice }) {
		return cols
	}
	return append([]column{{field: colInvoice, X0: math.Inf(-1), X1: cols[0].X0 - 0.01}}, cols...)
}

func knownFields(cols []column) int {
	n := 0
	for _, c := range cols {
		if c.field != colNone && c.field != colIgnore {
			n++
		}
	}
	return n
}

// resolveColumns settles the ambiguous labels: a bare "Amount" is the gross
// when the table has a paid column and the payment otherwise; "Reference" is
// the invoice when no column says invoice.
func resolveColumns(cols []column) []column {
	has := map[string]int{}
	for _, c := range cols {
		has[c.field]++
	}
	// The invoice number: a column that says invoice, else the payee's
	// reference ("Ihre Referenz", "Your ref"), else a plain reference,
	// else the payer's document number ("Belegnr."), which SAP prints
	// beside the invoice number the payee knows.
	idKind := ""
	for _, k := range []string{colInvoice, colYourRef, colRef, colDocNo} {
		if has[k] > 0 {
			idKind = k
			break
		}
	}
	amountIdx := []int{}
	for i, c := range cols {
		switch c.field {
		case colRef, colYourRef, colDocNo:
			if c.field == idKind && has[colInvoice] == 0 {
				cols[i].field = colInvoice
				has[colInvoice]++
			} else if c.field != colInvoice {
				cols[i].field = colIgnore
			}
		case colAmount:
			amountIdx = append(amountIdx, i)
		}
	}
	switch {
	case len(amountIdx) == 0:
	case has[colPaid] > 0 && has[colGross] == 0:
		cols[amountIdx[0]].field = colGross
		for _, i := range amountIdx[1:] {
			cols[i].field = colIgnore
		}
	case has[colPaid] == 0 && has[colGross] == 0 && len(amountIdx) >= 2:
		cols[amountIdx[0]].field = colGross
		cols[amountIdx[len(amountIdx)-1]].field = colPaid
		for _, i := range amountIdx[1 : len(amountIdx)-1] {
			cols[i].field = colIgnore
		}
	case has[colPaid] == 0:
		cols[amountIdx[len(amountIdx)-1]].field = colPaid
		for _, i := range amountIdx[:len(amountIdx)-1] {
			cols[i].field = colIgnore
		}
	default:
		for _, i := range amountIdx {
			cols[i].field = colIgnore
		}
	}
	// A second column of a kind (two "Date" columns: invoice and due)
	// keeps the first.
	seen := map[string]bool{}
	for i, c := range cols {
		if c.field == colNone || c.field == colIgnore {
			continue
		}
		if seen[c.field] {
			cols[i].field = colIgnore
		}
		seen[c.field] = true
	}
	return cols
}

// mergeHeader joins a header printed on two lines ("Invoice" over
// "number"): cells of the second line go into the cell above them.
func mergeHeader(a, b line) line {
	m := line{Page: a.Page, Y: a.Y, Size: a.Size, No: a.No}
	m.Cells = append([]cell(nil), a.Cells...)
	for _, c := range b.Cells {
		best, bestOv := -1, 0.0
		for i, x := range m.Cells {
			if ov := overlap(c.X0, c.X1, x.X0, x.X1); ov > bestOv {
				best, bestOv = i, ov
			}
		}
		if best < 0 {
			m.Cells = append(m.Cells, c)
			continue
		}
		x := &m.Cells[best]
		x.Text += " " + c.Text
		x.X0, x.X1 = math.Min(x.X0, c.X0), math.Max(x.X1, c.X1)
		x.Words = append(append([]word(nil), x.Words...), c.Words...)
	}
	sort.SliceStable(m.Cells, func(i, j int) bool { return m.Cells[i].X0 < m.Cells[j].X0 })
	return m
}

func overlap(a0, a1, b0, b1 float64) float64 {
	return math.Min(a1, b1) - math.Max(a0, b0)
}

// assign puts a line's cells into the header's columns. A cell that spans
// two columns (values printed close together) is split into its words.
func (d *doc) assign(cols []column, l line) [][]string {
	out := make([][]string, len(cols))
	type placed struct {
		col  int
		text string
		x0   float64
		x1   float64
	}
	var ps []placed
	var put func(text string, x0, x1 float64, words []word)
	put = func(text string, x0, x1 float64, words []word) {
		var hits []int
		for i, c := range cols {
			if overlap(x0, x1, c.X0, c.X1) > 0 {
				hits = append(hits, i)
			}
		}
		if l.Fixed {
			words = nil // a delimited field is one value
		}
		if len(words) > 1 && len(hits) > 0 {
			// A cell of several words may also hold the value of the
			// column next to it: plain-text layouts squeeze columns so a
			// value can end before its label starts. Not a column that
			// another cell of the line stands under: that one has its
			// value ("INV-3310" beside "PO 7781").
			reach := 3 * math.Max(l.Size, 1)
			if lft := hits[0] - 1; lft >= 0 && x0-cols[lft].X1 < reach && !d.otherCellUnder(l, cols[lft], x0) {
				hits = append([]int{lft}, hits...)
			}
			if rgt := hits[len(hits)-1] + 1; rgt < len(cols) && cols[rgt].X0-x1 < reach && !d.otherCellUnder(l, cols[rgt], x0) {
				hits = append(hits, rgt)
			}
		}
		if len(hits) > 1 && len(words) > 1 {
			for k, g := range d.splitByType(cols, hits, words) {
				if len(g) == 0 {
					continue
				}
				ps = append(ps, placed{hits[k], joinWords(g), g[0].X0, g[len(g)-1].X1})
			}
			return
		}
		best, bestScore := -1, math.Inf(-1)
		for i, c := range cols {
			ov := overlap(x0, x1, c.X0, c.X1)
			if ov <= 0 {
				// Nearest edge: left-aligned text starts under the
				// label, right-aligned numbers end under it.
				ov = -math.Min(math.Min(math.Abs(x0-c.X0), math.Abs(x1-c.X1)), -overlap(x0, x1, c.X0, c.X1))
			}
			if ov > bestScore {
				best, bestScore = i, ov
			}
		}
		if best >= 0 {
			ps = append(ps, placed{best, text, x0, x1})
		}
	}
	for _, c := range l.Cells {
		put(c.Text, c.X0, c.X1, c.Words)
	}
	// Two values in one amount column while a neighbouring amount column
	// is empty (a label narrower than its values, or set off-centre): the
	// leftmost moves left, the rightmost right.
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].x0 < ps[j].x0 })
	count := map[int]int{}
	for _, p := range ps {
		count[p.col]++
	}
	for c := range cols {
		if count[c] < 2 || !numericCol(cols[c].field) {
			continue
		}
		var mine []int
		for i, p := range ps {
			if p.col == c {
				mine = append(mine, i)
			}
		}
		if l := c - 1; l >= 0 && count[l] == 0 && numericCol(cols[l].field) {
			ps[mine[0]].col = l
			count[l]++
			count[c]--
			mine = mine[1:]
		}
		if r := c + 1; r < len(cols) && count[r] == 0 && numericCol(cols[r].field) && len(mine) > 1 {
			ps[mine[len(mine)-1]].col = r
			count[r]++
			count[c]--
		}
	}
	for _, p := range ps {
		out[p.col] = append(out[p.col], p.text)
	}
	return out
}

// otherCellUnder: a cell of l other than the one starting at x0 lies
// under column c.
func (d *doc) otherCellUnder(l line, c column, x0 float64) bool {
	for _, o := range l.Cells {
		if o.X0 != x0 && overlap(o.X0, o.X1, c.X0, c.X1) > 0 {
			return true
		}
	}
	return false
}

func joinWords(ws []word) string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.Text
	}
	return strings.Join(parts, " ")
}

// splitByType divides the words of a cell that spans several columns
// (values printed too close to part) into consecutive groups, one per
// column, choosing the division where dates fall in the date column,
// amounts in amount columns and a number in the invoice column. Position
// alone fails here: a left-aligned value may reach under the next label.
func (d *doc) splitByType(cols []column, hits []int, words []word) [][]word {
	k := len(hits)
	best := make([][]word, k)
	if len(words) > 12 || k > 6 {
		// Too many ways: by position, each word to the column it overlaps most.
		for _, w := range words {
			bi, bo := 0, math.Inf(-1)
			for i, h := range hits {
				if o := overlap(w.X0, w.X1, cols[h].X0, cols[h].X1); o > bo {
					bi, bo = i, o
				}
			}
			best[bi] = append(best[bi], w)
		}
		return best
	}
	bestScore := math.Inf(-1)
	cur := make([][]word, k)
	var rec func(col, from int, score float64)
	rec = func(col, from int, score float64) {
		if col == k-1 {
			cur[col] = words[from:]
			if s := score + d.fit(cols[hits[col]], words[from:]); s > bestScore {
				bestScore = s
				copy(best, cur)
			}
			return
		}
		for to := from; to <= len(words); to++ {
			cur[col] = words[from:to]
			rec(col+1, to, score+d.fit(cols[hits[col]], words[from:to]))
		}
	}
	rec(0, 0, 0)
	return best
}

// fit scores a group of words as the value of a column.
func (d *doc) fit(c column, ws []word) float64 {
	if len(ws) == 0 {
		return 0
	}
	t := joinWords(ws)
	s := 0.0
	for _, w := range ws {
		if overlap(w.X0, w.X1, c.X0, c.X1) > 0 {
			s += 0.1
		}
	}
	switch {
	case c.field == colDate:
		if _, ok := ParseDate(t, d.order); ok {
			return s + 2
		}
		if partialDate(t) {
			return s + 1.5 // "12 Feb" whose year wrapped to the next line
		}
		return s - 1
	case numericCol(c.field):
		if _, ok := d.amount(t); ok {
			if !strings.ContainsAny(t, ".,") {
				return s + 0.3 // a bare integer: a year or a number as often as an amount
			}
			return s + 2
		}
		if t == "-" || t == "–" {
			return s + 1
		}
		return s - 1
	case c.field == colInvoice:
		if invoiceLike(t) && !partialDate(t) {
			if _, ok := ParseDate(t, d.order); !ok {
				return s + 1
			}
		}
		return s - 0.5
	}
	return s
}

func numericCol(f string) bool {
	switch f {
	case colGross, colPaid, colDiscount, colDeduct, colAmount:
		return true
	}
	return false
}

// rowCand is a line read as a table row, before it is kept.
type rowCand struct {
	line     agent.RemittanceLine
	decimals bool // its amounts print decimals
	idx      int
	cur      string // the currency the row names, if any
}

// table reads every table of the document: header, rows, repeated headers
// on later pages, carried-forward lines skipped, totals noted.
func (d *doc) table() (rows []rowCand, totals []decimal.Decimal, found bool) {
	type rowAt struct {
		line  int
		cols  []column
		vals  [][]string
		above [][]string
		below [][]string
	}
	var cands []*rowAt
	var cols, headerCols []column
	headerPage := 0
	extents := d.pageExtents()
	colsAt := make([][]column, len(d.lines))
	for i := 0; i < len(d.lines); i++ {
		l := d.lines[i]
		if h, first, last, ok := d.headerAt(i); ok {
			h = unheadedInvoice(h)
			cols, found = h, true
			headerCols, headerPage = h, l.Page
			for k := first; k <= last; k++ {
				d.used[k] = true
			}
			i = last
			continue
		}
		if cols == nil {
			continue
		}
		if l.Page != headerPage && l.Size == 1 {
			// Plain-text layout (pdftotext) spaces each page on its own
			// grid: a table continued without its header is mapped from
			// the header page's extent of rows to this page's.
			cols = remap(headerCols, extents[headerPage], extents[l.Page])
		} else if l.Page == headerPage {
			cols = headerCols
		}
		colsAt[i] = cols
		f := d.folded[i]
		if hasAny(f, carryWords) {
			d.used[i] = true
			continue
		}
		vals := d.assign(cols, l)
		if d.isTotalLine(i) {
			if t, ok := d.lineTotal(cols, vals, l); ok {
				totals = append(totals, t)
				d.used[i] = true
			} else if t, ok := d.wrappedTotal(i, cols); ok {
				totals = append(totals, t)
				d.used[i] = true
			}
			continue
		}
		if _, ok := d.row(cols, vals, l); ok || d.rowWithoutNumber(cols, vals) {
			// A row whose number wrapped onto the lines around it is a
			// candidate too; it must have its number once joined.
			cands = append(cands, &rowAt{line: i, cols: cols, vals: vals})
			d.used[i] = true
		}
	}
	// Cells that wrap in narrow columns put parts of a row's values on
	// lines just above and below it (cells are centred vertically). A line
	// that is no row itself goes to the nearest row within reach.
	for j := range d.lines {
		if d.used[j] || colsAt[j] == nil {
			continue
		}
		lj := d.lines[j]
		var near *rowAt
		bestDY := 1.5 * math.Max(lj.Size, 1)
		for _, c := range cands {
			lc := d.lines[c.line]
			if lc.Page != lj.Page {
				continue
			}
			if dy := math.Abs(lc.Y - lj.Y); dy < bestDY {
				near, bestDY = c, dy
			}
		}
		if near == nil {
			continue
		}
		frag := d.assign(near.cols, lj)
		if lj.Y < d.lines[near.line].Y {
			near.above = appendFrag(near.above, frag)
		} else {
			near.below = appendFrag(near.below, frag)
		}
		d.used[j] = true
	}
	headVals := map[string]string{}
	headSame := map[string]bool{}
	for _, c := range cands {
		vals := c.vals
		if c.above != nil || c.below != nil {
			vals = d.joinFragments(c.cols, c.above, c.vals, c.below)
		}
		r, ok := d.row(c.cols, vals, d.lines[c.line])
		if !ok {
			if r, ok = d.row(c.cols, c.vals, d.lines[c.line]); !ok {
				continue
			}
		}
		r.idx = c.line
		rows = append(rows, r)
		for ci, col := range c.cols {
			f, ok := strings.CutPrefix(col.field, colHeadPrefix)
			if !ok {
				continue
			}
			v := strings.TrimSpace(strings.Join(vals[ci], " "))
			if v == "" {
				continue // exports that group a payment print its fields on its first row only
			}
			if prev, seen := headVals[f]; !seen {
				headVals[f], headSame[f] = v, true
			} else if prev != v {
				headSame[f] = false
			}
		}
	}
	for f, v := range headVals {
		if headSame[f] && v != "" {
			if d.tableHead == nil {
				d.tableHead = map[string]string{}
			}
			d.tableHead[f] = v
		}
	}
	return keepDecimalRows(rows), totals, found
}

var partialDateRe = regexp.MustCompile(`^\d{1,2}[./-]\d{1,2}[./-]?\d{0,3}$`)

// partialDate: the first part of a date broken over two lines, "12 Feb",
// "14/02/202", "05.01.".
func partialDate(t string) bool {
	if partialDateRe.MatchString(t) {
		return true
	}
	toks := dateTokens(t)
	if len(toks) == 2 {
		_, m1 := monthNames[toks[1]]
		_, m0 := monthNames[toks[0]]
		return m1 && allDigitsStr(toks[0]) || m0 && allDigitsStr(toks[1])
	}
	return false
}

// rowWithoutNumber: a line with its number cell empty but the rest of a
// row, a date and an amount or two amounts; a lone wrapped fragment is not.
func (d *doc) rowWithoutNumber(cols []column, vals [][]string) bool {
	amounts, date, number := 0, false, false
	for ci, c := range cols {
		if len(vals[ci]) == 0 {
			continue
		}
		v := strings.Join(vals[ci], " ")
		switch {
		case numericCol(c.field):
			if _, ok := d.amount(v); ok {
				amounts++
			}
		case c.field == colDate:
			_, date = ParseDate(v, d.order)
		case c.field == colInvoice:
			number = invoiceLike(v)
		}
	}
	return !number && (amounts >= 2 || amounts >= 1 && date)
}

// joinWrapped joins the pieces of a number broken over lines: no blank
// where the break fell inside a run of digits or after a dash, one blank
// otherwise ("NW" over "7781" was two words).
func joinWrapped(parts []string) string {
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			prev := parts[i-1]
			last, first := prev[len(prev)-1], p[0]
			if !(isDigitByte(last) && isDigitByte(first)) && last != '-' && last != '/' {
				b.WriteByte(' ')
			}
		}
		b.WriteString(p)
	}
	return b.String()
}

// extent is where a page's table-like lines start and end.
type extent struct{ x0, x1 float64 }

// pageExtents measures, per page, lines with a number-like first cell and
// an amount: the left edge of the number column and the right edge of the
// last amount column.
func (d *doc) pageExtents() map[int]extent {
	out := map[int]extent{}
	for _, l := range d.lines {
		if len(l.Cells) < 2 || !invoiceLike(l.Cells[0].Text) {
			continue
		}
		last := l.Cells[len(l.Cells)-1]
		if !hasDecimals(lastWord(last.Text)) && !hasDecimals(last.Text) {
			continue
		}
		e, ok := out[l.Page]
		if !ok {
			e = extent{l.Cells[0].X0, last.X1}
		}
		e.x0 = math.Min(e.x0, l.Cells[0].X0)
		e.x1 = math.Max(e.x1, last.X1)
		out[l.Page] = e
	}
	return out
}

func lastWord(s string) string {
	f := strings.Fields(s)
	for i := len(f) - 1; i >= 0; i-- {
		if _, ok := ParseNumber(f[i], 0); ok {
			return f[i]
		}
	}
	return s
}

// remap moves columns from one page's grid to another's by the affine map
// between their extents; unchanged when either is unknown or implausible.
func remap(cols []column, from, to extent) []column {
	if from.x1 <= from.x0 || to.x1 <= to.x0 {
		return cols
	}
	b := (to.x1 - to.x0) / (from.x1 - from.x0)
	if b < 0.5 || b > 2 {
		return cols
	}
	a := to.x0 - b*from.x0
	out := make([]column, len(cols))
	for i, c := range cols {
		out[i] = column{c.field, a + b*c.X0, a + b*c.X1}
	}
	return out
}

func appendFrag(acc, frag [][]string) [][]string {
	if acc == nil {
		acc = make([][]string, len(frag))
	}
	for i := range frag {
		acc[i] = append(acc[i], frag[i]...)
	}
	return acc
}

// joinFragments puts a wrapped value back together: amounts without a
// blank ("£4,200.0" over "0"), everything else with one; a fragment is
// kept only when the joined value still reads as its column's kind.
func (d *doc) joinFragments(cols []column, above, mid, below [][]string) [][]string {
	out := make([][]string, len(cols))
	for i, c := range cols {
		var parts []string
		if above != nil {
			parts = append(parts, above[i]...)
		}
		parts = append(parts, mid[i]...)
		if below != nil {
			parts = append(parts, below[i]...)
		}
		if len(parts) == len(mid[i]) {
			out[i] = mid[i]
			continue
		}
		spaced := strings.Join(parts, " ")
		tight := strings.Join(parts, "")
		switch {
		case numericCol(c.field):
			if _, ok := d.amount(tight); ok {
				out[i] = []string{tight}
			} else if _, ok := d.amount(spaced); ok {
				out[i] = []string{spaced}
			} else {
				out[i] = mid[i]
			}
		case c.field == colDate:
			if _, ok := ParseDate(spaced, d.order); ok {
				out[i] = []string{spaced}
			} else if _, ok := ParseDate(tight, d.order); ok {
				out[i] = []string{tight} // "05.01.202" over "6"
			} else {
				out[i] = mid[i]
			}
		case c.field == colInvoice:
			if len(mid[i]) > 0 && invoiceLike(strings.Join(mid[i], " ")) && !strings.HasSuffix(strings.Join(parts[:len(parts)-1], ""), "-") {
				out[i] = mid[i] // a number seldom wraps; a line above is another row's tail
			} else {
				out[i] = []string{joinWrapped(parts)}
			}
		default:
			out[i] = []string{spaced}
		}
	}
	return out
}

// keepDecimalRows drops rows whose amounts are bare integers when the
// others print decimals: in a table of 1.234,56 amounts a "12345678" is an
// account number in a footer, not a payment.
func keepDecimalRows(rows []rowCand) []rowCand {
	dec := 0
	for _, r := range rows {
		if r.decimals {
			dec++
		}
	}
	if dec == 0 || dec == len(rows) {
		return rows
	}
	out := rows[:0]
	for _, r := range rows {
		if r.decimals {
			out = append(out, r)
		}
	}
	return out
}

// isTotalLine: a line starting with a total word ("Total", "Summe",
// "Importe total") that is no carried-forward line.
func (d *doc) isTotalLine(i int) bool {
	l := d.lines[i]
	if len(l.Cells) == 0 {
		return false
	}
	first := labelKey(l.Cells[0].Text)
	for _, w := range totalWords {
		k := labelKey(w)
		if first == k || strings.HasPrefix(first, k+" ") {
			return true
		}
	}
	if d.lay != nil && d.lay.totalLabel != "" && strings.HasPrefix(first, d.lay.totalLabel) {
		return true
	}
	return false
}

// wrappedTotal reads a total label centred beside an amount that wrapped
// in its cell ("102.375,43" over "EUR"): the amount is on the line just
// above or below.
func (d *doc) wrappedTotal(i int, cols []column) (decimal.Decimal, bool) {
	l := d.lines[i]
	for _, j := range []int{i - 1, i + 1} {
		if j < 0 || j >= len(d.lines) || d.used[j] {
			continue
		}
		o := d.lines[j]
		if o.Page != l.Page || math.Abs(o.Y-l.Y) > 1.5*math.Max(l.Size, 1) {
			continue
		}
		if t, ok := d.lineTotal(cols, d.assign(cols, o), o); ok {
			d.used[j] = true
			return t, true
		}
	}
	return decimal.Decimal{}, false
}

// lineTotal is the amount of a total line: the value under the paid column,
// else the last amount on the line.
func (d *doc) lineTotal(cols []column, vals [][]string, l line) (decimal.Decimal, bool) {
	for ci, c := range cols {
		if c.field == colPaid {
			for _, v := range vals[ci] {
				if a, ok := d.amount(v); ok {
					return a, true
				}
			}
		}
	}
	for i := len(l.Cells) - 1; i >= 0; i-- {
		if a, ok := d.amount(l.Cells[i].Text); ok {
			return a, true
		}
		ws := l.Cells[i].Words
		for j := len(ws) - 1; j >= 0; j-- {
			if a, ok := d.amount(ws[j].Text); ok && strings.ContainsAny(ws[j].Text, ".,") {
				return a, true
			}
		}
	}
	return decimal.Decimal{}, false
}

// row reads one line under a header. It is a row when it names an invoice
// and has an amount.
func (d *doc) row(cols []column, vals [][]string, l line) (rowCand, bool) {
	var r rowCand
	get := func(field string) string {
		var parts []string
		for ci, c := range cols {
			if c.field == field {
				parts = append(parts, vals[ci]...)
			}
		}
		return strings.TrimSpace(strings.Join(parts, " "))
	}
	inv := get(colInvoice)
	amt := func(field string) *decimal.Decimal {
		s := get(field)
		if s == "" {
			return nil
		}
		if a, ok := d.amount(s); ok {
			if strings.ContainsAny(s, ".,") {
				r.decimals = true
			}
			return &a
		}
		// Two tokens in the cell ("EUR 1.234,56" split oddly, "2 % 20,00"):
		// the last that reads as an amount.
		f := strings.Fields(s)
		for i := len(f) - 1; i >= 0; i-- {
			if a, ok := d.amount(f[i]); ok {
				if strings.ContainsAny(f[i], ".,") {
					r.decimals = true
				}
				return &a
			}
		}
		return nil
	}
	rl := agent.RemittanceLine{Line: l.No}
	rl.Gross, rl.Discount, rl.Deduction, rl.Paid = amt(colGross), amt(colDiscount), amt(colDeduct), amt(colPaid)
	if r.cur = currencyIn(get(colCurrency)); r.cur == "" {
		r.cur = currencyIn(get(colPaid))
	}
	// Discounts and deductions are amounts taken off, printed with or
	// without a minus; SPEC §4 gives them as positive amounts.
	for _, p := range []**decimal.Decimal{&rl.Discount, &rl.Deduction} {
		if *p != nil && (*p).IsNegative() {
			a := (*p).Abs()
			*p = &a
		}
	}
	if rl.Gross == nil && rl.Paid == nil && rl.Discount == nil && rl.Deduction == nil {
		return r, false
	}
	hasInvoiceCol := false
	for _, c := range cols {
		hasInvoiceCol = hasInvoiceCol || c.field == colInvoice
	}
	if hasInvoiceCol {
		if !invoiceLike(inv) {
			return r, false
		}
	} else if strings.TrimSpace(l.text()) == "" {
		return r, false
	}
	rl.Invoice = stripTypeWord(inv)
	if ds := get(colDate); ds != "" {
		if dt, ok := ParseDate(ds, d.order); ok {
			rl.InvoiceDate = dt
		} else if dt, ok := firstDate(ds, d.order); ok {
			rl.InvoiceDate = dt
		}
	}
	rl.DeductionReason = get(colReason)
	// The payment is what the table says; without a paid column it is the
	// gross less what the table deducts.
	hasPaidCol := false
	for _, c := range cols {
		hasPaidCol = hasPaidCol || c.field == colPaid
	}
	if rl.Paid == nil && !hasPaidCol && rl.Gross != nil {
		p := *rl.Gross
		if rl.Discount != nil {
			p = p.Sub(rl.Discount.Abs())
		}
		if rl.Deduction != nil {
			p = p.Sub(rl.Deduction.Abs())
		}
		rl.Paid = &p
	}
	if d.isCredit(get(colType), inv, get(colIgnore)+" "+get(colNone)) {
		for _, p := range []**decimal.Decimal{&rl.Gross, &rl.Paid} {
			if *p != nil && (*p).IsPositive() {
				n := (*p).Neg()
				*p = &n
			}
		}
	}
	r.line = rl
	return r, true
}

// typeWords may stand before the number in its cell ("Abono AB/2026/004",
// "Gutschrift 4711", "Invoice INV-1"); the number is what follows.
var typeWords = []string{"credit note", "credit memo", "credit", "gutschrift", "abono", "nota de crédito", "nota de abono",
	"invoice", "rechnung", "factura", "fra.", "inv.", "re."}

func stripTypeWord(inv string) string {
	f := fold(inv)
	for _, w := range typeWords {
		if strings.HasPrefix(f, w+" ") {
			rest := strings.TrimSpace(string([]rune(inv)[len([]rune(w)):]))
			rest = strings.TrimLeft(rest, ":#- ")
			if invoiceLike(rest) {
				return rest
			}
		}
	}
	return inv
}

var shortCredit = map[string]bool{"cn": true, "cm": true, "gs": true, "g": true, "c": true, "nc": true, "ab": true, "dg": true}

// isCredit: the type column, the number or a remark says credit note.
func (d *doc) isCredit(typ, inv, other string) bool {
	t := fold(strings.TrimSpace(typ))
	if shortCredit[labelKey(t)] || hasAny(t, creditWords) {
		return true
	}
	// A bare "credit" in a description ("credit for damaged goods") is a
	// reason, not a document type.
	return hasAny(fold(inv), creditWords) || hasAny(fold(other), creditWords[2:])
}

// invoiceLike: a number cell holds a digit and is not just an amount or a
// date (those are a total or a stray line under the table).
func invoiceLike(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) < 2 || len(s) > 60 {
		return false
	}
	digits := 0
	for _, r := range s {
		if unicode.IsDigit(r) {
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if _, ok := ParseDate(s, orderDMY); ok {
		return false
	}
	if strings.ContainsAny(s, ".,") {
		if _, ok := ParseNumber(s, 0); ok && !strings.ContainsAny(s, "-/") {
			return false
		}
	}
	return true
}

var dateLike = regexp.MustCompile(`(?i)\b(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{1,2}\.?\s*(?:de\s+)?[a-zäéíóúñ]{3,10}\.?,?\s*(?:de\s+)?\d{2,4}|[a-zäéíóúñ]{3,10}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})\b`)

// firstDate finds a date inside longer text ("Payment of 14.03.2026").
func firstDate(s string, order dateOrder) (agent.Date, bool) {
	for _, m := range dateLike.FindAllString(s, 4) {
		if dt, ok := ParseDate(m, order); ok {
			return dt, true
		}
	}
	return 0, false
}

// headless reads documents without a recognisable table header (an email
// sentence, a bare list): a line with a number-like token and an amount is
// a row; one amount is the payment, two are gross and payment, three gross,
// discount and payment.
func (d *doc) headless() []rowCand {
	var rows []rowCand
	for i, l := range d.lines {
		if d.used[i] || hasAny(d.folded[i], carryWords) || d.isTotalLine(i) {
			continue
		}
		var toks []string
		for _, c := range l.Cells {
			for _, w := range c.Words {
				toks = append(toks, w.Text)
			}
		}
		var inv string
		var amounts []decimal.Decimal
		var date agent.Date
		for k, t := range toks {
			t = strings.TrimRight(t, ":;,")
			if a, ok := d.amount(t); ok && strings.ContainsAny(t, ".,") && hasDecimals(t) {
				amounts = append(amounts, a)
				continue
			}
			if dt, ok := ParseDate(t, d.order); ok {
				if date == 0 {
					date = dt
				}
				continue
			}
			if inv == "" && invoiceLike(t) && !isCurrencyToken(t) && (hasLetterAndDigit(t) || len(t) >= 4) {
				if _, ok := d.amount(t); ok && k+1 < len(toks) && isCurrencyToken(toks[k+1]) {
					continue
				}
				inv = t
			}
		}
		if inv == "" || len(amounts) == 0 || len(amounts) > 4 {
			continue
		}
		rl := agent.RemittanceLine{Invoice: inv, InvoiceDate: date, Line: l.No}
		set := func(p **decimal.Decimal, v decimal.Decimal) { x := v; *p = &x }
		switch len(amounts) {
		case 1:
			set(&rl.Paid, amounts[0])
		case 2:
			set(&rl.Gross, amounts[0])
			set(&rl.Paid, amounts[1])
		case 3:
			set(&rl.Gross, amounts[0])
			set(&rl.Discount, amounts[1])
			set(&rl.Paid, amounts[2])
		case 4:
			set(&rl.Gross, amounts[0])
			set(&rl.Discount, amounts[1])
			set(&rl.Deduction, amounts[2])
			set(&rl.Paid, amounts[3])
		}
		if d.isCredit("", "", d.folded[i]) {
			for _, p := range []**decimal.Decimal{&rl.Gross, &rl.Paid} {
				if *p != nil && (*p).IsPositive() {
					n := (*p).Neg()
					*p = &n
				}
			}
		}
		rows = append(rows, rowCand{line: rl, decimals: true, idx: i})
	}
	return rows
}

func hasDecimals(t string) bool {
	body, _, ok := stripAmount(t)
	if !ok {
		return false
	}
	i := strings.LastIndexAny(body, ".,")
	return i >= 0 && len(body)-i-1 == 2
}

func hasLetterAndDigit(s string) bool {
	var l, dg bool
	for _, r := range s {
		l = l || unicode.IsLetter(r)
		dg = dg || unicode.IsDigit(r)
	}
	return l && dg
}

func isCurrencyToken(s string) bool {
	_, ok := currencySymbols[strings.TrimSpace(s)]
	return ok
}

// labelCurrency: a word of a column label that only names the currency,
// "CHF", "(EUR)", "€", "in", "en".
func labelCurrency(w string) bool {
	w = strings.Trim(w, "()[]/,.:")
	switch strings.ToLower(w) {
	case "", "in", "en":
		return true
	}
	return currencyCodes[strings.ToUpper(w)] && len(w) == 3 || isCurrencyToken(w)
}

// colHeadPrefix marks a column that repeats a head field on every row.
const colHeadPrefix = "head:"

var headColumnField = map[string]bool{fieldDate: true, fieldRef: true, fieldPayer: true, fieldCur: true}

func valueBand(d *doc, a, b int) bool {
	for k := a; k <= b; k++ {
		if valueLine(d.lines[k], d) {
			return true
		}
	}
	return false
}

// valueLine: a line holding a value cell (an amount, a date, a bare
// currency code) is no part of a header printed over several lines: it is
// a "Currency  USD" line of the head above the table.
func valueLine(l line, d *doc) bool {
	for _, c := range l.Cells {
		t := strings.TrimSpace(c.Text)
		if isCurrencyToken(t) {
			return true
		}
		if _, ok := d.amount(t); ok && strings.ContainsAny(t, ".,") {
			return true
		}
		if _, ok := ParseDate(t, d.order); ok {
			return true
		}
	}
	return false
}
