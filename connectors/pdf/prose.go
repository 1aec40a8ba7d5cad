package pdf

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/dunnerhq/dunner/agent"
	"github.com/shopspring/decimal"
)

// A letter without a table names what it pays in its sentences: "invoices
// 4711 (1,200.00) and 4712 (800.00)", "F-2026-118 por importe de 1.450,00
// EUR", "2026-0311 über 2.380,00 EUR". An invoice is a token with a digit
// followed by its amount, in brackets or after a preposition; a bare
// number beside a date or a total is not enough.
const (
	proseCur = `(?:[A-Z]{3}|[$€£¥])`
	proseAmt = `-?\d{1,3}(?:[.,' ]\d{3})*(?:[.,]\d{1,3})?|-?\d+(?:[.,]\d{1,3})?`
)

var (
	proseLine        = regexp.MustCompile(`(?i)([A-Z0-9][A-Z0-9/._-]*\d[A-Z0-9/_-]*)\s*(?:\(\s*` + proseCur + `?\s*(` + proseAmt + `)\s*` + proseCur + `?\s*\)|\s(?:for|of|amounting to|in höhe von|über|ueber|por importe de|por un importe de|por valor de|por)\s+` + proseCur + `?\s*(` + proseAmt + `))`)
	proseInvoiceWord = regexp.MustCompile(`(?i)\b(?:invoices?|inv\.?|facturas?|fra\.?|rechnung(?:en)?|re\.|rg\.?)(?:\s|$)`)
	proseTotal       = regexp.MustCompile(`(?i)\b(?:total|insgesamt|gesamtbetrag|gesamtsumme|summe)\b[^\d()]{0,30}?(` + proseAmt + `)`)
	proseRef         = regexp.MustCompile(`(?i)\b(?:reference|ref\.|referencia|referenz|check no\.?|cheque no\.?|check number|cheque number|cheque nº|transferencia nº)\s*:?\s*([A-Z0-9][A-Z0-9/_-]*\d[A-Z0-9/_-]*)`)
	// A day and month without a year ("am 17.03. überwiesen"): the
	// letter's year is meant.
	proseDayMonth = regexp.MustCompile(`(?:^|\s)(\d{1,2})\.(\d{1,2})\.(?:\s|$)`)
	// "on 14 March", "am 14. März", "el 14 de marzo", "on March 14".
	proseDayMonthName = regexp.MustCompile(`(?i)\b(?:\d{1,2}\.?\s+(?:de\s+)?[a-zäéíóúñ]{3,10}|[a-z]{3,10}\.?\s+\d{1,2}(?:st|nd|rd|th)?)\b`)
	// Words that subtract the document they name from the payment.
	proseCreditWords = []string{"credit", "less ", "gutschrift", "abzgl", "abzüglich", "abono", "nota de crédito", "menos "}
)

// proseRead is what a letter's sentences say.
type proseRead struct {
	rows  []rowCand
	date  agent.Date
	ref   string
	total *decimal.Decimal
}

// prose reads a letter with no table; letterYear dates a sentence's day
// and month that print no year. bankText: the document has a bank's
// remittance information, which names its invoices itself.
func (d *doc) prose(letterYear int, bankText bool) (p proseRead) {
	var b strings.Builder
	var starts []int // offset of each line in b
	for i, l := range d.lines {
		starts = append(starts, b.Len())
		if !d.used[i] {
			b.WriteString(l.text())
		}
		b.WriteByte('\n')
	}
	text := b.String()
	lineAt := func(off int) int {
		n := 0
		for n+1 < len(starts) && starts[n+1] <= off {
			n++
		}
		return n
	}
	inv := proseInvoiceWord.FindStringIndex(text)
	if inv == nil {
		return p
	}
	flat := strings.ReplaceAll(text, "\n", " ")
	prevEnd := inv[1]
	first, last := -1, -1
	for _, m := range proseLine.FindAllStringSubmatchIndex(flat, -1) {
		if m[0] < inv[0] {
			continue
		}
		tok := flat[m[2]:m[3]]
		if _, ok := firstDate(tok, d.order); ok || !invoiceLike(tok) {
			continue
		}
		if _, ok := ParseNumber(tok, 0); ok && strings.ContainsAny(tok, ".,") {
			continue
		}
		if ws := strings.Fields(flat[max(0, m[2]-40):m[2]]); len(ws) > 0 {
			// "our order 4500-7781 for $1,500.00": an order's or a
			// customer's number, not an invoice.
			last := labelKey(ws[len(ws)-1])
			if notInvoiceLabel[last] || len(ws) > 1 && notInvoiceLabel[labelKey(strings.Join(ws[len(ws)-2:], " "))] {
				continue
			}
		}
		as := m[4:6]
		if as[0] < 0 {
			as = m[6:8]
		}
		a, ok := d.amount(flat[as[0]:as[1]])
		if !ok {
			continue
		}
		before := fold(flat[prevEnd:m[2]])
		if i := strings.LastIndexAny(before, ",;"); i >= 0 && !strings.Contains(before[i:], " ") {
			before = before[i:]
		}
		if hasAny(before, proseCreditWords) && a.IsPositive() {
			a = a.Neg()
		}
		prevEnd = m[1]
		p.rows = append(p.rows, rowCand{line: agent.RemittanceLine{Invoice: tok, Paid: &a, Line: d.lines[lineAt(m[2])].No}, decimals: true, idx: lineAt(m[2])})
		if first < 0 {
			first = lineAt(m[0])
		}
		last = lineAt(m[1])
	}
	if len(p.rows) == 0 && !bankText {
		return d.proseSeveral(flat, inv)
	}
	if len(p.rows) == 0 {
		return p
	}
	// The payment sentence: from the line before the first invoice named
	// to two lines after the last.
	lo, hi := max(0, first-1), min(len(starts)-1, last+2)
	end := len(text)
	if hi+1 < len(starts) {
		end = starts[hi+1]
	}
	span := strings.ReplaceAll(text[starts[lo]:end], "\n", " ")
	if dt, ok := firstDate(span, d.order); ok {
		p.date = dt
	} else if dt := dayMonthName(span, letterYear, d.order); dt != 0 {
		p.date = dt
	} else if m := proseDayMonth.FindStringSubmatch(span); m != nil && letterYear > 0 {
		day, _ := strconv.Atoi(m[1])
		mon, _ := strconv.Atoi(m[2])
		if dt := agent.NewDate(letterYear, time.Month(mon), day); mon >= 1 && mon <= 12 && dt.Day() == day {
			p.date = dt
		}
	}
	if m := proseRef.FindStringSubmatch(span); m != nil {
		p.ref = m[1]
	}
	if m := proseTotal.FindStringSubmatch(span); m != nil {
		if a, ok := d.amount(m[1]); ok {
			p.total = &a
		}
	}
	return p
}

// dayMonthName reads a day and month name without a year in the letter's
// year; a month name is what makes the pair a date.
func dayMonthName(span string, year int, order dateOrder) agent.Date {
	if year == 0 {
		return 0
	}
	for _, m := range proseDayMonthName.FindAllString(span, 8) {
		if dt, ok := firstDate(m+" "+strconv.Itoa(year), order); ok {
			return dt
		}
	}
	return 0
}

// proseSeveral reads "remitted GBP 5,300.00 in settlement of invoices
// 2026-118 and 2026-131": one amount for several invoices, so what each
// got is not said; the amount is the payment's total.
func (d *doc) proseSeveral(flat string, inv []int) (p proseRead) {
	from := strings.LastIndex(flat[:inv[0]], ". ") + 1
	to := len(flat)
	if k := strings.Index(flat[inv[1]:], ". "); k >= 0 {
		to = inv[1] + k
	}
	invs := invoicesIn(strings.TrimSuffix(strings.TrimSpace(flat[inv[1]:to]), "."))
	if len(invs) < 2 {
		return p
	}
	var total *decimal.Decimal
	for _, t := range strings.Fields(flat[from:to]) {
		t = strings.TrimRight(t, ",;.")
		if a, ok := d.amount(t); ok && hasDecimals(t) {
			if total != nil {
				return p // two amounts: which is the total is not said
			}
			total = &a
		}
	}
	for _, n := range invs {
		p.rows = append(p.rows, rowCand{line: agent.RemittanceLine{Invoice: n}, decimals: true})
	}
	p.total = total
	return p
}
