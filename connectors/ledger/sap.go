package ledger

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/dunnerhq/dunner/agent"
	"github.com/shopspring/decimal"
)

// An FBL5N export comes in three shapes, all read here:
//
//   - the list (System > List > Save > Local file > unconverted): cells
//     between `|`, dash lines, the column header repeated on every page
//     under title lines, `*`/`**` total lines, and, when the layout has no
//     account column, a "Customer 1001 Name" line above each customer;
//   - the "spreadsheet" file: tab-separated, often UTF-16LE, sometimes with
//     title lines above the header;
//   - that file re-saved by Excel with `;`.
//
// Rows are gathered first and turned into items once the whole file is
// seen, because how amounts and dates are written is a property of the
// file: "1.234" is 1234 in a German export and 1.234 in an English one.

// sapRec is one record of the file: a physical line of the list form, or a
// delimited record (which can span lines inside quotes).
type sapRec struct {
	line  int
	cells []string
	raw   string // the whole line, for text lines of the list form
	table bool   // cells are columns (not a title line of the list)
}

type sapScanner struct {
	text []byte
	off  int
	line int
	sep  byte // '|' for the list form
	rec  sapRec
}

func newSAPScanner(text []byte, sep byte) *sapScanner {
	return &sapScanner{text: text, line: 1, sep: sep}
}

// next reads the next record into s.rec.
func (s *sapScanner) next() bool {
	if s.off >= len(s.text) {
		return false
	}
	r := &s.rec
	r.line = s.line
	r.cells = r.cells[:0]
	if s.sep == '|' {
		end := bytes.IndexByte(s.text[s.off:], '\n')
		var line []byte
		if end < 0 {
			line, s.off = s.text[s.off:], len(s.text)
		} else {
			line, s.off = s.text[s.off:s.off+end], s.off+end+1
		}
		s.line++
		r.raw = strings.TrimSpace(string(line))
		// Some lists drop the frame; a line with pipes inside is a row.
		r.table = strings.HasPrefix(r.raw, "|") || strings.Count(r.raw, "|") >= 2
		if r.table {
			body := strings.TrimPrefix(r.raw, "|")
			body = strings.TrimSuffix(body, "|")
			for {
				i := strings.IndexByte(body, '|')
				if i < 0 {
					r.cells = append(r.cells, strings.TrimSpace(body))
					break
				}
				r.cells = append(r.cells, strings.TrimSpace(body[:i]))
				body = body[i+1:]
			}
		}
		return true
	}
	r.table = true
	// Most records are one line without quotes: one string for the line,
	// cells sliced from it.
	end := bytes.IndexByte(s.text[s.off:], '\n')
	if end < 0 {
		end = len(s.text) - s.off
	}
	if line := s.text[s.off : s.off+end]; bytes.IndexByte(line, '"') < 0 {
		rest := strings.TrimRight(string(line), "\r")
		for {
			i := strings.IndexByte(rest, s.sep)
			if i < 0 {
				r.cells = append(r.cells, strings.TrimSpace(rest))
				break
			}
			r.cells = append(r.cells, strings.TrimSpace(rest[:i]))
			rest = rest[i+1:]
		}
		s.off += end + 1
		if s.off > len(s.text) {
			s.off = len(s.text)
		}
		s.line++
		r.raw = ""
		return true
	}
	for {
		cell, done := s.field()
		r.cells = append(r.cells, strings.TrimSpace(cell))
		if done {
			break
		}
	}
	r.raw = ""
	return true
}

// field reads one delimited field; done is true at the end of the record.
// Quotes are honoured as Excel writes them; a quote that never closes is
// taken literally instead of swallowing the rest of the file.
func (s *sapScanner) field() (string, bool) {
	t := s.text
	if s.off < len(t) && t[s.off] == '"' {
		var b []byte
		i, lines := s.off+1, 0
		for i < len(t) {
			c := t[i]
			if c == '"' {
				if i+1 < len(t) && t[i+1] == '"' {
					b = append(b, '"')
					i += 2
					continue
				}
				// Closed: anything up to the separator is kept as is.
				i++
				j := i
				for j < len(t) && t[j] != s.sep && t[j] != '\n' {
					j++
				}
				b = append(b, bytes.TrimRight(t[i:j], "\r")...)
				s.line += lines
				return s.endField(string(b), j)
			}
			if c == '\r' && i+1 < len(t) && t[i+1] == '\n' {
				i++ // a line break in a value is "\n", as encoding/csv gives it
				continue
			}
			if c == '\n' {
				lines++
			}
			b = append(b, c)
			i++
		}
	}
	j := s.off
	for j < len(t) && t[j] != s.sep && t[j] != '\n' {
		j++
	}
	return s.endField(string(bytes.TrimRight(t[s.off:j], "\r")), j)
}

// endField moves past the separator or line end at j.
func (s *sapScanner) endField(v string, j int) (string, bool) {
	if j >= len(s.text) {
		s.off = len(s.text)
		s.line++
		return v, true
	}
	s.off = j + 1
	if s.text[j] == '\n' {
		s.line++
		return v, true
	}
	return v, false
}

// sapLayout is the column header found in the file.
type sapLayout struct {
	sep    byte
	line   int
	header []string // as written
	keys   []string // Item.Extra keys: the header lower-cased
	roles  []role   // the role each column plays (rNone for a second "Amount")
	norm   []string // normalised, to recognise the header when it repeats
	col    [numRoles]int
	amount int // the amount and currency columns used (§2: document currency first)
	cur    int
}

// findSAPHeader looks for the column header in the first records: the first
// one naming a due date, a document or reference number and an amount. When
// there is none, near is the record most like a header, to say what it lacks.
func findSAPHeader(text []byte) (l, near *sapLayout) {
	seps := []byte{'\t', ';', ','}
	if hasListLines(text) {
		seps = []byte{'|'}
	}
	best := 2 // a header names at least three known columns
	for _, sep := range seps {
		sc := newSAPScanner(text, sep)
		for n := 0; n < 200 && sc.next(); n++ {
			if !sc.rec.table || len(sc.rec.cells) < 3 {
				continue
			}
			c := layoutOf(sc.rec.cells)
			c.sep, c.line = sep, sc.rec.line
			if len(c.missing()) == 0 {
				return c, nil
			}
			if k := c.known(); k > best {
				best, near = k, c
			}
		}
	}
	return nil, near
}

// missing names the columns an item cannot do without that l lacks.
func (l *sapLayout) missing() []string {
	var m []string
	if l.col[rDocNo] < 0 && l.col[rReference] < 0 {
		m = append(m, "document or reference number (Belegnummer/Referenz)")
	}
	if l.col[rDueDate] < 0 {
		m = append(m, "net due date (Nettofälligkeit/Net due date)")
	}
	if l.col[rAmountDC] < 0 && l.col[rAmountLC] < 0 {
		m = append(m, "amount (Betrag/Amount)")
	}
	return m
}

// known counts the columns l recognised.
func (l *sapLayout) known() int {
	n := 0
	for _, c := range l.col {
		if c >= 0 {
			n++
		}
	}
	return n
}

// hasListLines reports whether the list form's `|` lines are there.
func hasListLines(text []byte) bool {
	for n := 0; n < 300 && len(text) > 0; n++ {
		i := bytes.IndexByte(text, '\n')
		line := text
		if i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = nil
		}
		line = bytes.TrimSpace(line)
		if len(line) > 0 && line[0] == '|' && bytes.Count(line, []byte{'|'}) >= 4 {
			return true
		}
	}
	return false
}

func looksLikeSAP(text []byte) bool {
	l, _ := findSAPHeader(text)
	return l != nil
}

func layoutOf(cells []string) *sapLayout {
	l := &sapLayout{header: make([]string, len(cells)), keys: make([]string, len(cells)), norm: make([]string, len(cells))}
	for i := range l.col {
		l.col[i] = -1
	}
	for i, c := range cells {
		l.header[i] = c
		l.keys[i] = strings.ToLower(c)
		l.norm[i] = normHeader(c)
		if r := classifyHeader(c); r != rNone && l.col[r] < 0 {
			l.col[r] = i
		}
	}
	l.roles = make([]role, len(cells))
	for r, i := range l.col {
		if i >= 0 {
			l.roles[i] = role(r)
		}
	}
	switch {
	case l.col[rAmountDC] >= 0 && l.col[rCurrencyDC] >= 0:
		l.amount, l.cur = l.col[rAmountDC], l.col[rCurrencyDC]
	case l.col[rAmountLC] >= 0 && l.col[rCurrencyLC] >= 0:
		l.amount, l.cur = l.col[rAmountLC], l.col[rCurrencyLC]
	default:
		// One amount and one currency of different kinds: a layout
		// labelled loosely. Take what there is.
		l.amount, l.cur = l.col[rAmountDC], l.col[rCurrencyDC]
		if l.amount < 0 {
			l.amount = l.col[rAmountLC]
		}
		if l.cur < 0 {
			l.cur = l.col[rCurrencyLC]
		}
	}
	return l
}

// isHeader reports whether cells repeat the header (a page header).
func (l *sapLayout) isHeader(cells []string) bool {
	j := 0
	for _, c := range cells {
		n := normHeader(c)
		if n == "" {
			continue
		}
		for j < len(l.norm) && l.norm[j] == "" {
			j++
		}
		if j >= len(l.norm) || l.norm[j] != n {
			return false
		}
		j++
	}
	return j > 0
}

func (l *sapLayout) label(r role) string {
	if i := l.col[r]; i >= 0 && l.header[i] != "" {
		return l.header[i]
	}
	return roleNames[r]
}

// cell returns the value of role r in cells, "" when the layout lacks it.
func (l *sapLayout) cell(cells []string, r role) string {
	if i := l.col[r]; i >= 0 && i < len(cells) {
		return cells[i]
	}
	return ""
}

// sapRow is an open item as read, before its values are checked.
type sapRow struct {
	line     int
	cells    []string
	customer string
	name     string
}

func readSAP(text []byte, name, entity string, allowEmpty bool, errs *agent.InputError) []agent.Item {
	if len(bytes.TrimSpace(text)) == 0 {
		errs.Add(name, 0, "", "empty file: expected an FBL5N export")
		return nil
	}
	l, near := findSAPHeader(text)
	if l == nil && near != nil {
		errs.Add(name, near.line, "", "the column header has no %s: %s", strings.Join(near.missing(), ", no "),
			strings.Join(near.header, string(near.sep)))
		return nil
	}
	if l == nil {
		errs.Add(name, 1, "", "no FBL5N column header found: expected columns for the document or reference number, the net due date (Nettofälligkeit) and the amount")
		return nil
	}
	if l.cur < 0 {
		errs.Add(name, l.line, "", "no currency column (Währung/Currency or Hauswährung/Local currency)")
		return nil
	}

	var (
		rows     []sapRow
		pending  []int // rows waiting for a customer from a total line
		customer string
		custName string
		cleared  int
	)
	sc := newSAPScanner(text, l.sep)
	for sc.next() {
		rec := &sc.rec
		if rec.line <= l.line {
			// Above the header: title lines, maybe the first customer's.
			if rec.line < l.line {
				t := rec.raw
				if rec.table {
					t = strings.Join(nonEmpty(rec.cells), " ")
				}
				customer, custName = contextLine(t, customer, custName)
			}
			continue
		}
		if !rec.table {
			t := rec.raw
			switch {
			case t == "" || isRule(t):
			case strings.HasPrefix(t, "*"):
				pending = assignPending(rows, pending, t, totalCustomer(strings.TrimLeft(t, "* ")))
			default:
				customer, custName = contextLine(t, customer, custName)
			}
			continue
		}
		cells := rec.cells
		if blank(cells) || allRules(cells) || l.isHeader(cells) {
			continue
		}
		if first := firstNonEmpty(cells); strings.HasPrefix(first, "*") {
			id := l.cell(cells, rAccount)
			if id == "" {
				id = totalCustomer(strings.TrimLeft(first, "* "), joinLabel(l, cells))
			}
			pending = assignPending(rows, pending, first, id)
			continue
		}
		if len(cells) < len(l.header) {
			cells = append(cells, make([]string, len(l.header)-len(cells))...)
		}
		// Title and customer lines of the spreadsheet form are rows too;
		// an item has a number, or an amount with a date or currency.
		data := l.cell(cells, rDocNo) != "" || l.cell(cells, rReference) != "" ||
			(l.cell(cells, rAmountDC)+l.cell(cells, rAmountLC) != "" &&
				l.cell(cells, rDueDate)+l.cell(cells, rCurrencyDC)+l.cell(cells, rCurrencyLC) != "")
		if !data {
			customer, custName = contextLine(strings.Join(nonEmpty(cells), " "), customer, custName)
			continue
		}
		if len(cells) > len(l.header) {
			if !blank(cells[len(l.header):]) {
				errs.Add(name, rec.line, "", "%d columns but the header on line %d has %d", len(cells), l.line, len(l.header))
				continue
			}
			cells = cells[:len(l.header)]
		}
		if isCleared(l, cells) {
			cleared++
			continue
		}
		r := sapRow{line: rec.line, cells: append([]string(nil), cells...)}
		if id := l.cell(cells, rAccount); id != "" {
			// Sorted lists may print the account only where it changes;
			// it holds for the rows below.
			if id != customer {
				custName = ""
			}
			customer = id
		}
		if n := l.cell(cells, rName); n != "" {
			custName = n
		}
		r.customer, r.name = customer, custName
		if r.customer == "" {
			pending = append(pending, len(rows))
		}
		rows = append(rows, r)
	}

	b := sapBuilder{l: l, name: name, entity: entity, errs: errs}
	b.learnStyle(rows)
	items := make([]agent.Item, 0, len(rows))
	for i := range rows {
		if it, ok := b.build(&rows[i]); ok {
			items = append(items, it)
		}
	}
	if len(items) == 0 && len(errs.Problems) == 0 && !allowEmpty {
		why := ""
		if cleared > 0 {
			why = fmt.Sprintf(" (%d cleared items skipped)", cleared)
		}
		refuseEmpty(errs, name, l.line, entity, why)
	}
	return items
}

// assignPending gives the customer a total line names to the rows above it
// that had none. "**" (the grand total) names no one.
func assignPending(rows []sapRow, pending []int, marker, id string) []int {
	if len(pending) == 0 || id == "" || strings.HasPrefix(marker, "**") {
		return pending
	}
	for _, i := range pending {
		rows[i].customer = id
	}
	return pending[:0]
}

// totalCustomer reads the customer from a total line's label: "Kunde 1001",
// "1001 Müller GmbH". The first word must be a customer word or look like
// an account number (digits, no decimal marks: not an amount).
func totalCustomer(label ...string) string {
	for _, s := range label {
		if id, _, ok := customerLine(s); ok {
			return id
		}
		f := strings.Fields(s)
		if len(f) > 0 && isAccountNo(f[0]) {
			return f[0]
		}
	}
	return ""
}

// joinLabel is a total line's text outside the number columns.
func joinLabel(l *sapLayout, cells []string) string {
	var parts []string
	for i, c := range cells {
		if c == "" || i == l.col[rAmountDC] || i == l.col[rAmountLC] || i == l.col[rCurrencyDC] ||
			i == l.col[rCurrencyLC] || i == l.col[rDueDate] || i == l.col[rDocDate] {
			continue
		}
		parts = append(parts, strings.TrimLeft(c, "* "))
	}
	return strings.TrimSpace(strings.Join(parts, " "))
}

// contextLine updates the current customer from a line outside the table:
// "Kunde 1001 Müller GmbH", "Customer: 1001", or "Name Müller GmbH" below it.
func contextLine(t, customer, name string) (string, string) {
	if id, n, ok := customerLine(t); ok {
		return id, n
	}
	f := strings.Fields(t)
	if len(f) > 1 && customer != "" {
		switch normHeader(f[0]) {
		case "name", "name1", "kundenname", "customername":
			return customer, strings.Join(f[1:], " ")
		}
	}
	return customer, name
}

// customerLine parses a customer header line.
func customerLine(t string) (id, name string, ok bool) {
	f := strings.Fields(strings.ReplaceAll(t, ":", " "))
	if len(f) < 2 {
		return "", "", false
	}
	switch normHeader(f[0]) {
	case "kunde", "customer", "konto", "account", "debitor", "kundennr", "kundennummer", "customerno",
		"customernumber", "accountno", "accountnumber":
	default:
		return "", "", false
	}
	f = f[1:]
	if len(f) > 1 {
		switch normHeader(f[0]) {
		case "no", "nr", "number", "nummer":
			f = f[1:]
		}
	}
	if !isAccountNo(f[0]) {
		return "", "", false
	}
	return f[0], strings.Join(f[1:], " "), true
}

// isAccountNo: a word with a digit, made of letters, digits and -_/ only
// (so not an amount, a date or a word of a title).
func isAccountNo(s string) bool {
	if len(s) == 0 || len(s) > 20 {
		return false
	}
	digit := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c == '-', c == '_', c == '/':
		default:
			return false
		}
	}
	return digit
}

// isRule reports a dash line (----, ====, |---|---|).
func isRule(s string) bool {
	dashes := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '-', '=', '_':
			dashes++
		case '|', '+', ' ', '\t':
		default:
			return false
		}
	}
	return dashes >= 3
}

func allRules(cells []string) bool {
	seen := false
	for _, c := range cells {
		if c == "" {
			continue
		}
		if !isRule(c) && strings.Trim(c, "-=_") != "" {
			return false
		}
		seen = true
	}
	return seen
}

func firstNonEmpty(cells []string) string {
	for _, c := range cells {
		if c != "" {
			return c
		}
	}
	return ""
}

func nonEmpty(cells []string) []string {
	var out []string
	for _, c := range cells {
		if c != "" {
			out = append(out, c)
		}
	}
	return out
}

// isCleared: a clearing document or date, or the green "cleared" icon
// (@5B@ in a list saved unconverted) or its text.
func isCleared(l *sapLayout, cells []string) bool {
	if l.cell(cells, rClearingDoc) != "" {
		return true
	}
	if d := l.cell(cells, rClearingDate); d != "" && strings.Trim(d, "0./- ") != "" {
		return true
	}
	s := strings.ToLower(l.cell(cells, rStatus))
	return strings.Contains(s, "@5b") || strings.Contains(s, "cleared") || strings.Contains(s, "ausgegl") ||
		strings.Contains(s, "ausgeglichen")
}

// sapBuilder turns rows into items once the file's number and date
// conventions are known.
type sapBuilder struct {
	l          *sapLayout
	name       string
	entity     string
	errs       *agent.InputError
	decMark    byte // '.' or ',' as the file shows it; 0 when it never says
	monthFirst bool // a/b/yyyy dates are m/d/yyyy
}

// learnStyle reads the file's decimal mark from the amounts that show it
// unambiguously, and its date order from dates that cannot be the other.
func (b *sapBuilder) learnStyle(rows []sapRow) {
	var dot, comma, dmy, mdy int
	amountCols := []int{b.l.col[rAmountDC], b.l.col[rAmountLC]}
	dateCols := []int{b.l.col[rDueDate], b.l.col[rDocDate]}
	for i := range rows {
		cells := rows[i].cells
		for _, c := range amountCols {
			if c < 0 || cells[c] == "" {
				continue
			}
			switch n, err := scanNumber(cells[c], true); {
			case err != nil:
			case n.dots > 0 && n.commas > 0:
				if n.last == '.' {
					dot++
				} else {
					comma++
				}
			case n.dots > 1:
				comma++
			case n.commas > 1:
				dot++
			case n.dots == 1 && !n.validGrouping('.'):
				dot++
			case n.commas == 1 && !n.validGrouping(','):
				comma++
			}
		}
		for _, c := range dateCols {
			if c < 0 {
				continue
			}
			a, m, ok := dayMonthParts(cells[c])
			switch {
			case !ok:
			case a > 12 && m <= 12:
				dmy++
			case m > 12 && a <= 12:
				mdy++
			}
		}
	}
	switch {
	case dot > comma:
		b.decMark = '.'
	case comma > dot:
		b.decMark = ','
	}
	b.monthFirst = mdy > 0 && dmy == 0
}

func (b *sapBuilder) build(r *sapRow) (agent.Item, bool) {
	l := b.l
	n := len(b.errs.Problems)
	bad := func(ro role, format string, args ...any) {
		b.errs.Add(b.name, r.line, l.label(ro), format, args...)
	}
	it := agent.Item{
		Entity:       b.entity,
		CustomerID:   r.customer,
		CustomerName: r.name,
		DunningBlock: l.cell(r.cells, rDunningBlock),
		Line:         r.line,
	}
	if it.CustomerID == "" {
		bad(rAccount, "no customer: the row has no account and no customer line stands above it")
	}
	used := [numRoles]bool{rAccount: true, rName: true, rDueDate: true, rDocDate: true, rDunningBlock: true,
		rStatus: true, rClearingDoc: true, rClearingDate: true}
	if ref := l.cell(r.cells, rReference); ref != "" {
		it.Invoice, used[rReference] = ref, true
	} else if doc := l.cell(r.cells, rDocNo); doc != "" {
		it.Invoice, used[rDocNo] = doc, true
	} else {
		src := rReference
		if l.col[src] < 0 {
			src = rDocNo
		}
		bad(src, "missing: neither a reference nor a document number")
	}
	if v := l.cell(r.cells, rDueDate); v == "" {
		bad(rDueDate, "missing: every item needs a net due date")
	} else if d, err := b.date(v); err != nil {
		bad(rDueDate, "%v", err)
	} else {
		it.DueDate = d
	}
	if v := l.cell(r.cells, rDocDate); v != "" {
		if d, err := b.date(v); err != nil {
			bad(rDocDate, "%v", err)
		} else {
			it.IssueDate = d
		}
	}
	amtRole, curRole := l.roleAt(l.amount), l.roleAt(l.cur)
	cur := r.cells[l.cur]
	if cur == "" {
		bad(curRole, "missing: every item needs a currency")
	} else if c, ok := currencyCode(cur); !ok {
		bad(curRole, "not an ISO 4217 currency code (three letters): %q", cur)
	} else {
		it.Currency = c
	}
	var amt decimal.Decimal
	if v := r.cells[l.amount]; v == "" {
		bad(amtRole, "missing: every item needs an amount")
	} else if d, err := b.amount(v, it.Currency); err != nil {
		bad(amtRole, "%v", err)
	} else {
		amt = d
	}
	it.OpenAmount, it.Amount = amt, &amt

	switch strings.ToUpper(l.cell(r.cells, rDocType)) {
	case "RV", "DR":
		it.DocType = agent.DocInvoice
	case "DG":
		it.DocType = agent.DocCreditNote
	case "DZ":
		it.DocType = agent.DocPayment
	default:
		it.DocType = agent.DocInvoice
		if amt.Sign() < 0 {
			it.DocType = agent.DocCreditNote
		}
	}

	// What Dunner has no field for stays with the item, SAP's document
	// type and number among it: cash application needs them.
	keep := func(i int) bool {
		if r.cells[i] == "" || i == l.amount || i == l.cur || l.header[i] == "" {
			return false
		}
		ro := l.roles[i]
		return ro == rNone || !used[ro]
	}
	extra := 0
	for i := range r.cells {
		if keep(i) {
			extra++
		}
	}
	if extra > 0 {
		it.Extra = make(map[string]string, extra)
		for i, v := range r.cells {
			if keep(i) {
				it.Extra[l.keys[i]] = v
			}
		}
	}
	return it, len(b.errs.Problems) == n
}

// roleAt is the role column i plays in the layout.
func (l *sapLayout) roleAt(i int) role { return l.roles[i] }

// amount reads an SAP amount: §2's rule (the last mark followed only by
// digits is the decimal mark) and a trailing minus. One shape defeats the
// rule: 1.234 is a thousand and more in a German export and one and a bit
// in an English one. The file's own convention settles it; failing that the
// currency does (SAP prints a currency's minor digits always, so yen have
// none and dinars three); failing that the amount is refused.
func (b *sapBuilder) amount(s, cur string) (decimal.Decimal, error) {
	n, err := scanNumber(s, true)
	if err != nil {
		return decimal.Decimal{}, err
	}
	var dec byte
	switch {
	case n.dots > 0 && n.commas > 0:
		dec = n.last
	case n.dots+n.commas == 1:
		dec = n.last
		if n.validGrouping(n.last) {
			switch {
			case b.decMark != 0:
				if b.decMark != n.last {
					dec = 0
				}
			case cur != "" && agent.CurrencyDigits(cur) == 0:
				dec = 0
			case cur != "" && agent.CurrencyDigits(cur) == 3:
			default:
				return decimal.Decimal{}, fmt.Errorf("%w %q: no other amount in the file shows whether %q is the decimal mark",
					errAmbiguous, s, string(n.last))
			}
		}
	}
	return n.decimal(s, dec)
}

// dayMonthParts splits a/b/yyyy or a-b-yyyy, the orders that differ between
// SAP's user settings. ok is false for other shapes.
func dayMonthParts(s string) (a, b int, ok bool) {
	if len(s) < 8 || len(s) > 10 {
		return 0, 0, false
	}
	sep := byte('/')
	if strings.IndexByte(s, '/') < 0 {
		sep = '-'
	}
	p0, p1, p2, ok := split3(s, sep)
	if !ok || len(p2) != 4 || len(p0) > 2 || len(p1) > 2 {
		return 0, 0, false
	}
	a, b = atoi(p0), atoi(p1)
	return a, b, a >= 0 && b >= 0 && atoi(p2) >= 0
}

// split3 splits s at sep into exactly three parts, without allocating.
func split3(s string, sep byte) (a, b, c string, ok bool) {
	i := strings.IndexByte(s, sep)
	if i < 0 {
		return "", "", "", false
	}
	j := strings.IndexByte(s[i+1:], sep)
	if j < 0 {
		return "", "", "", false
	}
	j += i + 1
	if strings.IndexByte(s[j+1:], sep) >= 0 {
		return "", "", "", false
	}
	return s[:i], s[i+1 : j], s[j+1:], true
}

// errBadDate is a type so that good dates cost no formatting.
type errBadDate string

func (e errBadDate) Error() string { return fmt.Sprintf("not a date (DD.MM.YYYY): %q", string(e)) }

// date reads dd.mm.yyyy, ISO, yyyy.mm.dd, yyyy/mm/dd, and a/b/yyyy as the
// file orders it (day first unless a date in it says otherwise).
func (b *sapBuilder) date(s string) (agent.Date, error) {
	bad := errBadDate(s)
	if len(s) < 8 || len(s) > 10 {
		return 0, bad
	}
	var p0, p1, p2 string
	var sep byte
	ok := false
	for _, c := range []byte{'.', '/', '-'} {
		if strings.IndexByte(s, c) >= 0 {
			p0, p1, p2, ok = split3(s, c)
			sep = c
			break
		}
	}
	if !ok {
		return 0, bad
	}
	var y, m, d int
	switch {
	case len(p0) == 4 && len(p1) == 2 && len(p2) == 2:
		y, m, d = atoi(p0), atoi(p1), atoi(p2)
	case len(p2) == 4 && len(p0) <= 2 && len(p1) <= 2:
		y, d, m = atoi(p2), atoi(p0), atoi(p1)
		if sep != '.' && b.monthFirst {
			d, m = m, d
		}
	default:
		return 0, bad
	}
	v, ok := makeDate(y, m, d)
	if !ok {
		return 0, bad
	}
	return v, nil
}
