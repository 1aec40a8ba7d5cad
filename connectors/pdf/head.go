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

// headValue is a labelled value found outside the table.
type headValue struct {
	field string
	value string
	line  int
}

// labelled finds "Label: value", "Label value", "Label | value" and a label
// with its value on the line below, for every head field. Lines the table
// took are skipped.
func (d *doc) labelled() []headValue {
	var out []headValue
	for i, l := range d.lines {
		if d.used[i] {
			continue
		}
		for ci, c := range l.Cells {
			// A label broken over lines is tried first: its first half
			// may be a shorter label ("Fecha" of "Fecha de pago").
			if ci == 0 && len(l.Cells) == 1 {
				if hv, ok := d.wrappedLabel(i, c); ok {
					out = append(out, hv)
					continue
				}
			}
			field, rest, ok := d.splitLabel(c)
			if !ok {
				continue
			}
			if rest != "" {
				out = append(out, headValue{field, rest, i})
				continue
			}
			if ci+1 < len(l.Cells) {
				// The next cell, unless it is a label itself; a value
				// that wrapped continues in the cell below it.
				next := l.Cells[ci+1]
				if _, _, isLabel := d.splitLabel(next); !isLabel || d.fieldOf(labelKey(next.Text)) == "" {
					out = append(out, headValue{field, next.Text, i})
					if more, ok := d.continuation(i, next); ok {
						out = append(out, headValue{field, next.Text + " " + more, i})
					}
					continue
				}
			}
			if v, ok := d.around(i, c); ok {
				out = append(out, headValue{field, v, i})
				continue
			}
			if v, j, ok := d.below(i, c); ok {
				out = append(out, headValue{field, v, j})
			}
		}
	}
	return out
}

func (d *doc) fieldOf(key string) string {
	if d.lay != nil {
		if f, ok := d.lay.fields[key]; ok {
			return f
		}
	}
	if f, ok := fieldLabels[key]; ok {
		return f
	}
	if composedRef(key) {
		return fieldRef
	}
	return ""
}

// splitLabel reads a cell as a label, with what follows it in the cell.
func (d *doc) splitLabel(c cell) (field, rest string, ok bool) {
	t := strings.TrimSpace(c.Text)
	if i := strings.IndexAny(t, ":："); i > 0 {
		if f := d.fieldOf(labelKey(t[:i])); f != "" {
			r := strings.TrimSpace(t[i+len(string([]rune(t[i:])[0])):])
			return f, r, true
		}
	}
	ws := strings.Fields(t)
	for n := min(6, len(ws)); n >= 1; n-- {
		if f := d.fieldOf(labelKey(strings.Join(ws[:n], " "))); f != "" {
			return f, strings.TrimLeft(strings.TrimSpace(strings.Join(ws[n:], " ")), ":#-– "), true
		}
	}
	return "", "", false
}

// wrappedLabel reads a label broken over two lines ("Fecha de" over
// "pago:") with its value beside it, often on the line between.
func (d *doc) wrappedLabel(i int, c cell) (headValue, bool) {
	l := d.lines[i]
	for k := i + 1; k <= i+2 && k < len(d.lines); k++ {
		o := d.lines[k]
		if o.Page != l.Page || math.Abs(o.Y-l.Y) > 2.2*math.Max(l.Size, 1) || d.used[k] {
			break
		}
		x := o.Cells[0]
		if math.Abs(x.X0-c.X0) > math.Max(l.Size, 1) {
			continue
		}
		joined := cell{Text: c.Text + " " + x.Text, X0: c.X0, X1: math.Max(c.X1, x.X1)}
		field, rest, ok := d.splitLabel(joined)
		if !ok || rest != "" {
			return headValue{}, false
		}
		if f, _, short := d.splitLabel(c); short && f == field {
			return headValue{}, false // the first line is the whole label already
		}
		var parts []string
		for j := i; j <= k; j++ {
			for _, v := range d.lines[j].Cells {
				if v.X0 > joined.X1 {
					parts = append(parts, v.Text)
				}
			}
		}
		if len(parts) == 0 {
			return headValue{}, false
		}
		return headValue{field, strings.Join(parts, " "), i}, true
	}
	return headValue{}, false
}

// continuation is the text right under a value cell on the next line,
// when that line holds nothing else: the second line of a wrapped value.
func (d *doc) continuation(i int, c cell) (string, bool) {
	j := i + 1
	if j >= len(d.lines) || d.used[j] {
		return "", false
	}
	o, l := d.lines[j], d.lines[i]
	if o.Page != l.Page || math.Abs(o.Y-l.Y) > 1.6*math.Max(l.Size, 1) || len(o.Cells) != 1 {
		return "", false
	}
	x := o.Cells[0]
	if math.Abs(x.X0-c.X0) > math.Max(l.Size, 1) {
		return "", false
	}
	if _, _, isLabel := d.splitLabel(x); isLabel {
		return "", false
	}
	return x.Text, true
}

// around finds a value that wrapped around its label: a label centred
// beside a value of two lines ("Friday, 13 March" over "2026") has one
// part of it on the line above and one below, both to its right.
func (d *doc) around(i int, c cell) (string, bool) {
	l := d.lines[i]
	part := func(j int) string {
		if j < 0 || j >= len(d.lines) || d.used[j] {
			return ""
		}
		o := d.lines[j]
		if o.Page != l.Page || math.Abs(o.Y-l.Y) > 1.5*math.Max(l.Size, 1) || len(o.Cells) != 1 {
			return ""
		}
		x := o.Cells[0]
		if x.X0 <= c.X1 {
			return ""
		}
		if _, _, isLabel := d.splitLabel(x); isLabel {
			return ""
		}
		return x.Text
	}
	up, down := part(i-1), part(i+1)
	if up == "" || down == "" {
		return "", false
	}
	return up + " " + down, true
}

// below finds the value under a label: the next line or the one after,
// a cell overlapping the label's columns.
func (d *doc) below(i int, c cell) (string, int, bool) {
	for j := i + 1; j < len(d.lines) && j <= i+2; j++ {
		l := d.lines[j]
		if l.Page != d.lines[i].Page || d.used[j] {
			return "", 0, false
		}
		for _, x := range l.Cells {
			if overlap(x.X0, x.X1, c.X0-2*l.Size, c.X1+2*l.Size) > 0 {
				if _, _, isLabel := d.splitLabel(x); isLabel {
					return "", 0, false
				}
				return x.Text, j, true
			}
		}
	}
	return "", 0, false
}

// sentenceDate finds the payment date said in a letter's sentence ("con
// fecha valor 14/03/2026 hemos ordenado", "we paid on 14 March 2026"): a
// date right after words that label it. Only asked when no label stands
// at the start of a line.
func (d *doc) sentenceDate() agent.Date {
	for i, l := range d.lines {
		if i > 60 {
			break
		}
		if d.used[i] {
			continue
		}
		t := l.text()
		for _, m := range dateLike.FindAllStringIndex(t, 4) {
			ws := strings.Fields(t[:m[0]])
			for n := 1; n <= 4 && n <= len(ws); n++ {
				if fieldLabels[labelKey(strings.Join(ws[len(ws)-n:], " "))] != fieldDate {
					continue
				}
				if dt, ok := ParseDate(t[m[0]:m[1]], d.order); ok {
					return dt
				}
			}
		}
	}
	return 0
}

// head holds the document-level fields.
type head struct {
	payer, ref, currency string
	info                 string // remittance information ("Verwendungszweck")
	date                 agent.Date
	total                *decimal.Decimal
	title                bool
	several              bool // two payment advices in one file
	payees               []string
	labels               int // fields found by label, for the confidence
}

func (d *doc) readHead() head {
	var h head
	var lowDate agent.Date
	var lowRef string
	otherDate, otherRef := false, false
	for _, v := range d.labelled() {
		switch v.field {
		case fieldPayer:
			if h.payer == "" && plausibleName(v.value) {
				h.payer = cleanName(v.value)
				h.labels++
			}
		case fieldPayee:
			h.payees = append(h.payees, fold(v.value))
		case fieldDate:
			if h.date != 0 {
				if dt, ok := ParseDate(v.value, d.order); ok && dt != h.date {
					otherDate = true
				}
			}
			if h.date == 0 {
				if dt, ok := ParseDate(v.value, d.order); ok {
					h.date = dt
					h.labels++
				} else if dt, ok := firstDate(v.value, d.order); ok {
					h.date = dt
					h.labels++
				}
			}
		case fieldDateLow:
			if lowDate == 0 {
				if dt, ok := ParseDate(v.value, d.order); ok {
					lowDate = dt
				} else if dt, ok := firstDate(v.value, d.order); ok {
					lowDate = dt
				}
			}
		case fieldRef:
			if h.ref != "" && cleanRef(v.value) != "" && cleanRef(v.value) != h.ref {
				otherRef = true
			}
			if h.ref == "" {
				if r := cleanRef(v.value); r != "" {
					h.ref = r
					h.labels++
				}
			}
		case fieldRefLow:
			if lowRef == "" {
				lowRef = cleanRef(v.value)
			}
		case fieldInfo:
			if h.info == "" {
				h.info = strings.TrimSpace(v.value)
			}
		case fieldCur:
			if h.currency == "" {
				h.currency = currencyIn(v.value)
			}
		case fieldTotal:
			if h.total == nil {
				if a, ok := d.amount(v.value); ok {
					h.total = &a
					h.labels++
				} else if c, rest := cutCurrency(strings.TrimSpace(v.value)); c != "" {
					if a, ok := d.amount(rest); ok {
						h.total = &a
						h.labels++
					}
				}
			}
		}
	}
	for f, v := range d.tableHead {
		switch f {
		case fieldDate:
			if dt, ok := ParseDate(v, d.order); ok && h.date == 0 {
				h.date = dt
			}
		case fieldRef:
			if h.ref == "" {
				h.ref = cleanRef(v)
			}
		case fieldPayer:
			if h.payer == "" && plausibleName(v) {
				h.payer = cleanName(v)
			}
		case fieldCur:
			if h.currency == "" {
				h.currency = currencyIn(v)
			}
		}
	}
	if h.date == 0 {
		h.date = d.sentenceDate()
	}
	if h.date == 0 {
		h.date = lowDate
	}
	if h.ref == "" && lowRef != "" {
		h.ref = lowRef
		h.labels++
	}
	if h.ref == "" && h.info != "" {
		// Remittance information is the reference when nothing better is
		// labelled.
		if r := cleanRef(h.info); r != "" {
			h.ref = r
			h.labels++
		}
	}
	for i := 0; i < len(d.lines) && i < 25; i++ {
		if hasAny(d.folded[i], titleWords) {
			h.title = true
			if h.ref == "" {
				h.ref = titleRef(d.lines[i].text())
			}
			if h.date == 0 {
				if dt, ok := firstDate(d.lines[i].text(), d.order); ok {
					h.date = dt
				}
			}
			break
		}
	}
	if h.title && (otherDate || otherRef) && d.titles() > 1 {
		// Two advices printed into one file: SPEC §4 reads one payment,
		// and neither one's date, reference or total is the file's.
		h.several, h.date, h.ref, h.total = true, 0, "", nil
	}
	if h.payer == "" {
		h.payer = d.companyLine(h.payees)
	}
	if h.payer == "" {
		h.payer = d.letterhead(h.payees)
	}
	if h.currency == "" {
		h.currency = d.dominantCurrency()
	}
	if d.lay != nil {
		if d.lay.Payer != "" {
			h.payer = d.lay.Payer
		}
		if d.lay.Currency != "" {
			h.currency = strings.ToUpper(d.lay.Currency)
		}
	}
	return h
}

func letterDigitCount(s string) (letters, digits int) {
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.IsDigit(r):
			digits++
		}
	}
	return letters, digits
}

// plausibleName: a payer has letters and is not a date or an amount.
func plausibleName(s string) bool {
	s = strings.TrimSpace(s)
	letters, digits := letterDigitCount(s)
	if letters < 3 || digits > letters {
		return false
	}
	if _, ok := ParseDate(s, orderDMY); ok {
		return false
	}
	return true
}

func cleanName(s string) string {
	return strings.Trim(strings.Join(strings.Fields(s), " "), ",;:")
}

func cleanRef(s string) string {
	s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), ":#"))
	if s == "" || len(s) > 60 {
		return ""
	}
	switch labelKey(s) {
	case "notprovided", "not provided", "none", "n a", "nicht angegeben", "keine angabe", "sin referencia":
		return "" // SEPA's placeholder for an end-to-end reference the payer did not give
	}
	if _, ok := ParseDate(s, orderDMY); ok {
		return ""
	}
	if _, ok := ParseNumber(s, 0); ok && strings.ContainsAny(s, ".,") {
		return "" // an amount under a "Reference" column label
	}
	return s
}

// legalForms mark a company name when no label names the payer.
var legalForms = []string{
	"gmbh", "ag", "kg", "ohg", "se", "ug", "e.k.", "gmbh & co. kg", "s.l.", "s.a.", "s.l.u.", "s.a.u.", "sl", "sa", "slu", "sau",
	"s.c.", "s.coop.", "ltd", "ltd.", "limited", "inc", "inc.", "llc", "l.l.c.", "plc", "corp", "corp.", "corporation", "co.",
	"company", "lp", "llp", "bv", "b.v.", "nv", "n.v.", "srl", "s.r.l.", "spa", "s.p.a.", "sas", "sarl", "ab", "oy", "as", "a/s",
	"w.l.l.", "k.k.", "ltda", "ltda.", "pte", "pte.", "bhd", "sdn. bhd.", "l.l.c", "s.a.s.",
}

// companyLine picks the first company name of the document that is not
// the payee: the sender of an advice prints its name on top.
func (d *doc) companyLine(payees []string) string {
	for i, l := range d.lines {
		if d.used[i] || i > 40 {
			break
		}
		for _, c := range l.Cells {
			t := fold(c.Text)
			words := strings.Fields(t)
			if len(words) < 2 || len(words) > 10 {
				continue
			}
			if !legalForm(words) {
				continue
			}
			if _, _, labelled := d.splitLabel(c); labelled || isPayee(t, payees) {
				continue
			}
			return cleanName(c.Text)
		}
	}
	return ""
}

// isPayee: the folded name t is one of the labelled payees.
func isPayee(t string, payees []string) bool {
	for _, p := range payees {
		if p != "" && (strings.Contains(p, t) || strings.Contains(t, p)) {
			return true
		}
	}
	return false
}

// letterhead is the name on top of the first page when an address
// follows it: payers without a legal form in their name (hospitals,
// councils, "Cascade Health Systems") print their letterhead too.
func (d *doc) letterhead(payees []string) string {
	for i := 0; i < len(d.lines) && i < 3; i++ {
		l := d.lines[i]
		if d.used[i] || l.Page != d.lines[0].Page {
			return ""
		}
		if len(l.Cells) != 1 {
			continue
		}
		c := l.Cells[0]
		t := fold(c.Text)
		words := strings.Fields(t)
		if len(words) < 2 || len(words) > 8 || strings.ContainsAny(t, "0123456789") || !plausibleName(c.Text) || hasAny(t, titleWords) {
			continue
		}
		if _, _, labelled := d.splitLabel(c); labelled {
			continue
		}
		if isPayee(t, payees) {
			return ""
		}
		for j := i + 1; j <= i+3 && j < len(d.lines); j++ {
			if d.used[j] || d.lines[j].Page != l.Page {
				break
			}
			if addressLine(d.lines[j].text()) {
				return cleanName(c.Text)
			}
		}
		return ""
	}
	return ""
}

// addressLine: a street with its number or a town with its postcode,
// neither a date nor an amount.
func addressLine(s string) bool {
	letters, digits := letterDigitCount(s)
	if letters < 3 || digits == 0 || digits > 10 || strings.Contains(s, ":") {
		return false
	}
	_, isDate := firstDate(s, orderDMY)
	return !isDate
}

// titleRef is the number right after a title: "Zahlungsavis Nr.
// 2026-00815", "Payment Advice No. 45012", "Aviso de pago nº 118"; not
// "Payment advice for invoice no. 4711".
func titleRef(s string) string {
	// Byte-wise lower case keeps the offsets of s (Unicode lowering may not).
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	low := string(b)
	for _, w := range titleWords {
		i := strings.Index(low, w)
		if i < 0 {
			continue
		}
		m := titleRefRe.FindStringSubmatch(s[i+len(w):])
		if m == nil {
			continue
		}
		ref := strings.TrimRight(m[1], ".-/")
		if _, ok := ParseDate(ref, orderDMY); ok {
			continue
		}
		return ref
	}
	return ""
}

var titleRefRe = regexp.MustCompile(`^(?i)\s*(?:nr|no|n[º°o]|num|núm|number|nummer|número|numero|#)\.?\s*:?\s*([A-Za-z0-9][A-Za-z0-9\-/._]*[0-9][A-Za-z0-9\-/._]*)`)

func legalForm(words []string) bool {
	last := strings.Trim(words[len(words)-1], ",")
	for _, f := range legalForms {
		if last == f {
			return true
		}
	}
	// "Müller GmbH & Co. KG", "Acme Inc., Chicago"
	for _, w := range words[1:] {
		w = strings.Trim(w, ",")
		switch w {
		case "gmbh", "s.l.", "s.a.", "ltd", "ltd.", "inc", "inc.", "llc", "plc", "s.l.u.", "s.a.u.", "limited", "corp.", "corporation":
			return true
		}
	}
	return false
}

var currencyCodes = map[string]bool{}

func init() {
	for _, c := range currencySymbols {
		currencyCodes[c] = true
	}
}

// currencyIn finds a currency code or symbol in s.
func currencyIn(s string) string {
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '(' || r == ')' || r == ',' || r == ':' }) {
		if currencyCodes[strings.ToUpper(f)] && len(f) == 3 && strings.ToUpper(f) == f {
			return f
		}
	}
	for _, sym := range []string{"US$", "CA$", "C$", "A$", "AU$", "MX$", "R$", "€", "£", "$", "¥", "₹", "CHF"} {
		if strings.Contains(s, sym) {
			return currencySymbols[sym]
		}
	}
	return ""
}

// currencyNames are currencies written out, folded; "dollar" is left out,
// as several currencies bear the name.
var currencyNames = map[string]string{"euros": "EUR", "euro": "EUR", "pounds sterling": "GBP", "libras esterlinas": "GBP",
	"swiss francs": "CHF", "schweizer franken": "CHF", "francos suizos": "CHF"}

// dominantCurrency counts currency codes and symbols over the document.
func (d *doc) dominantCurrency() string {
	count := map[string]int{}
	for _, l := range d.lines {
		for _, c := range l.Cells {
			for _, w := range strings.FieldsFunc(c.Text, func(r rune) bool {
				return unicode.IsSpace(r) || r == '(' || r == ')' || r == '[' || r == ']' || r == ':' || r == ','
			}) {
				if cur := currencyIn(w); cur != "" {
					count[cur]++
				} else if c, _ := cutCurrency(w); c != "" && len(w) > 1 {
					count[c]++
				}
			}
		}
	}
	if len(count) == 0 {
		// "Importes en euros", "All amounts in euro": the currency
		// named in words, only when no code or symbol is printed.
		for _, f := range d.folded {
			for w, cur := range currencyNames {
				if containsWord(f, w) {
					count[cur]++
				}
			}
		}
	}
	best, n := "", 0
	keys := make([]string, 0, len(count))
	for k := range count {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if count[k] > n {
			best, n = k, count[k]
		}
	}
	return best
}

// compose reads the whole document into a remittance, or says why it is
// none.
func compose(lines []line, lay *Layout, source string) (*agent.Remittance, error) {
	if len(lines) == 0 {
		return nil, &agent.RemittanceError{Kind: agent.RemitNoTextLayer, Message: "the document has no text"}
	}
	d := newDoc(lines, lay)
	rows, totals, tableFound := d.table()
	if len(rows) == 0 {
		rows = d.headless()
	}
	h := d.readHead()
	if !tableFound {
		// A letter: its sentences name what it pays. Their date is the
		// payment's; the head's is the letter's.
		year := 0
		if h.date != 0 {
			year = h.date.Year()
		}
		if p := d.prose(year, h.info != ""); len(p.rows) > 0 && len(p.rows) >= len(rows) {
			rows = p.rows
			if p.date != 0 {
				h.date = p.date
			}
			if h.ref == "" {
				h.ref = p.ref
			}
			if p.total != nil {
				h.total = p.total
			}
		}
	}
	if len(rows) == 0 && h.total != nil {
		// A bank's credit advice: no table, the one invoice paid named in
		// the remittance information.
		invs := invoicesIn(h.info)
		if len(invs) == 1 {
			rl := agent.RemittanceLine{Invoice: invs[0]}
			if dt, ok := firstDate(h.info, d.order); ok {
				rl.InvoiceDate = dt
			}
			p := *h.total
			rl.Paid = &p
			rows = append(rows, rowCand{line: rl, decimals: true})
		} else {
			// Several invoices in one transfer ("RE 4711, 4712 u.
			// 4713"): what each got is not said.
			for _, inv := range invs {
				rows = append(rows, rowCand{line: agent.RemittanceLine{Invoice: inv}, decimals: true})
			}
		}
	}
	if !h.title && d.invoiceTitle() {
		return nil, &agent.RemittanceError{Kind: agent.RemitNotRemittance, Message: "the document is titled as an invoice, not a payment advice"}
	}
	if len(rows) == 0 && !(h.title && (h.total != nil || h.ref != "")) {
		msg := "no table of invoices and no payment advice heading found"
		if h.title {
			msg = "a payment advice heading but no invoices and no total"
		}
		return nil, &agent.RemittanceError{Kind: agent.RemitNotRemittance, Message: msg}
	}
	r := &agent.Remittance{
		Payer: h.payer, PaymentDate: h.date, PaymentReference: h.ref, Currency: h.currency, Source: source,
	}
	curs := map[string]bool{}
	for _, row := range rows {
		r.Lines = append(r.Lines, row.line)
		if row.cur != "" {
			curs[row.cur] = true
		}
	}
	if len(curs) > 1 {
		// Lines in several currencies: amounts of different currencies
		// are never added, so the advice has no one currency or total.
		r.Currency = ""
		r.Confidence = confidence(r, h, tableFound, false, decimal.Zero)
		return r, nil
	}
	if h.several {
		r.Confidence = confidence(r, h, tableFound, false, decimal.Zero)
		return r, nil
	}
	sum, complete := r.LinesTotal()
	// The total: the one that equals the lines when there is one, else the
	// table's last total line, else the labelled one.
	var cands []decimal.Decimal
	for i := len(totals) - 1; i >= 0; i-- {
		cands = append(cands, totals[i])
	}
	if h.total != nil {
		cands = append(cands, *h.total)
	}
	for _, c := range cands {
		if complete && c.Equal(sum) {
			v := c
			r.Total = &v
			break
		}
	}
	if r.Total == nil && len(cands) > 0 {
		v := cands[0]
		r.Total = &v
	}
	r.Confidence = confidence(r, h, tableFound, complete, sum)
	if r.Total == nil && complete && len(r.Lines) > 0 {
		// An export of one payment prints no total: the payment is what
		// its lines pay, and matching needs that amount. The confidence
		// above gave it no credit.
		v := sum
		r.Total = &v
	}
	return r, nil
}

// confidence weighs what was found: the lines adding up to the printed
// total is the strongest sign the table was read right; a total that does
// not match is the strongest sign of a misread.
func confidence(r *agent.Remittance, h head, table, complete bool, sum decimal.Decimal) float64 {
	c := 0.4
	if table {
		c += 0.1
	}
	if h.title {
		c += 0.1
	}
	if r.Payer != "" {
		c += 0.05
	}
	if r.PaymentDate != 0 {
		c += 0.05
	}
	if r.Currency != "" {
		c += 0.05
	}
	if len(r.Lines) > 0 {
		full := 0
		for _, l := range r.Lines {
			if l.Invoice != "" && l.Paid != nil {
				full++
			}
		}
		c += 0.1 * float64(full) / float64(len(r.Lines))
	}
	switch {
	case r.Total != nil && complete && r.Total.Equal(sum):
		c += 0.25
	case r.Total != nil && complete:
		c -= 0.25
	}
	return math.Round(math.Max(0, math.Min(1, c))*100) / 100
}

// titles counts the lines that are an advice's title.
func (d *doc) titles() int {
	n := 0
	for i, l := range d.lines {
		if len(l.Cells) == 1 && hasAny(d.folded[i], titleWords) {
			n++
		}
	}
	return n
}

// invoiceTitles head a bill sent to the customer, which has a table of
// amounts much like an advice's.
var invoiceTitles = map[string]bool{"invoice": true, "tax invoice": true, "sales invoice": true, "commercial invoice": true,
	"rechnung": true, "factura": true, "factura comercial": true, "proforma invoice": true, "pro forma invoice": true}

// invoiceTitle: a line of its own near the top says "Invoice". Only read
// when no remittance title was found.
func (d *doc) invoiceTitle() bool {
	for i := 0; i < len(d.lines) && i < 12; i++ {
		if len(d.lines[i].Cells) == 1 && invoiceTitles[strings.Trim(strings.TrimSpace(d.folded[i]), ".:")] {
			return true
		}
	}
	return false
}

// invoicesIn finds the invoice numbers in a remittance text ("INVOICE
// R-2026-0042 DATED 31.01.2026", "RE 2026-0411, 2026-0412 u. 2026-0415",
// "/INV/ NW-7781 NW-7790"): tokens with a digit that are no date, amount,
// or number labelled as the customer's or an order's.
func invoicesIn(info string) []string {
	var out []string
	prev := ""
	for _, t := range strings.Fields(info) {
		after := prev
		prev = labelKey(t)
		t = strings.Trim(t, ",;:()")
		if len(t) < 4 || !invoiceLike(t) || notInvoiceLabel[after] {
			continue
		}
		if _, ok := firstDate(t, orderDMY); ok {
			continue
		}
		if _, ok := ParseNumber(t, 0); ok && strings.ContainsAny(t, ".,") {
			continue
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// notInvoiceLabel: words that put another number than an invoice's in a
// remittance text.
var notInvoiceLabel = map[string]bool{"kd": true, "kdnr": true, "kd nr": true, "kunde": true, "kunden nr": true, "kundennr": true,
	"kundennummer": true, "cust": true, "customer": true, "cust no": true, "po": true, "order": true, "auftrag": true,
	"bestellung": true, "bestellnr": true, "pedido": true, "cliente": true, "mandat": true, "mandatsref": true, "iban": true,
	"contract": true, "contract no": true, "contrato": true, "vertrag": true, "vertragsnr": true, "vertragsnummer": true,
	"agreement": true, "acct": true, "account": true, "konto": true, "cuenta": true, "loan": true, "darlehen": true, "lease": true,
	"order no": true, "po no": true, "auftrag nr": true, "bestell nr": true, "pedido n": true, "pedido no": true}
