package templates

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/dunnerhq/dunner/agent"
	"github.com/go-pdf/fpdf"
	"github.com/shopspring/decimal"
	"golang.org/x/text/unicode/norm"
)

// StatementData is what an account statement shows: every open item of one
// customer on one date, the credits that could offset them, and the notice's
// totals per currency.
type StatementData struct {
	Company                            Company
	CustomerID, CustomerName, Language string
	AsOf                               agent.Date
	// Items are the open items (invoices), due or not yet due.
	Items []agent.NoticeItem
	// Credits are credit notes and unapplied cash. Ledgers keep them as
	// negative amounts; a positive one is shown negated, since a credit
	// printed as a debt would be the worst possible mistake here.
	Credits []agent.NoticeItem
	// Totals are the notice's lines (overdue, fees, interest per currency).
	// A currency without a line gets its overdue amount from the items.
	Totals []agent.Total
}

// statementText is the wording of a statement in one language.
type statementText struct {
	title, intro                                  string
	customer, customerNo, asOf                    string
	openItems, invoice, invoiceDate, dueDate, dpd string
	openAmount, noItems                           string
	credits, document, docType, date, amount      string
	creditNote, payment                           string
	totals, openTotal, creditTotal, balance       string
	overdue, fees, interest, nowDue, page, notDue string
}

var statementTexts = map[string]*statementText{
	"en": {
		title: "Statement of account", intro: "This statement lists all open items on your account as of %s.",
		customer: "Customer", customerNo: "Customer no.", asOf: "As of",
		openItems: "Open items", invoice: "Invoice no.", invoiceDate: "Invoice date", dueDate: "Due date",
		dpd: "Days overdue", openAmount: "Open amount", noItems: "No open items.",
		credits: "Credits and unapplied payments", document: "Document no.", docType: "Type", date: "Date",
		amount: "Amount", creditNote: "Credit note", payment: "Payment",
		totals: "Totals", openTotal: "Open items", creditTotal: "Credits", balance: "Balance",
		overdue: "thereof overdue", fees: "Fees", interest: "Interest", nowDue: "Amount now due",
		page: "Page %d/%s", notDue: "–",
	},
	"es": {
		title: "Estado de cuenta", intro: "Este estado de cuenta recoge todas las partidas abiertas de su cuenta a %s.",
		customer: "Cliente", customerNo: "N.º de cliente", asOf: "Fecha",
		openItems: "Partidas abiertas", invoice: "N.º de factura", invoiceDate: "Fecha factura",
		dueDate: "Vencimiento", dpd: "Días vencida", openAmount: "Importe pendiente",
		noItems: "No hay partidas abiertas.",
		credits: "Abonos y pagos no aplicados", document: "N.º de documento", docType: "Tipo", date: "Fecha",
		amount: "Importe", creditNote: "Abono", payment: "Pago",
		totals: "Totales", openTotal: "Partidas abiertas", creditTotal: "Abonos", balance: "Saldo",
		overdue: "del cual vencido", fees: "Gastos", interest: "Intereses de demora",
		nowDue: "Importe exigible", page: "Página %d/%s", notDue: "–",
	},
	"de": {
		title: "Kontoauszug", intro: "Dieser Kontoauszug zeigt alle offenen Posten Ihres Kundenkontos zum %s.",
		customer: "Kunde", customerNo: "Kundennummer", asOf: "Stand",
		openItems: "Offene Posten", invoice: "Rechnungsnr.", invoiceDate: "Rechnungsdatum",
		dueDate: "Fällig am", dpd: "Tage überfällig", openAmount: "Offener Betrag",
		noItems: "Keine offenen Posten.",
		credits: "Gutschriften und nicht zugeordnete Zahlungen", document: "Belegnr.", docType: "Art",
		date: "Datum", amount: "Betrag", creditNote: "Gutschrift", payment: "Zahlung",
		totals: "Summen", openTotal: "Offene Posten", creditTotal: "Gutschriften", balance: "Saldo",
		overdue: "davon überfällig", fees: "Mahngebühren", interest: "Verzugszinsen",
		nowDue: "Jetzt fällig", page: "Seite %d/%s", notDue: "–",
	},
}

// Page geometry in millimetres (A4 portrait).
const (
	stmtMargin    = 15.0
	stmtWidth     = 210.0 - 2*stmtMargin
	stmtBottom    = 297.0 - 24.0 // lowest y a table row may reach; the footer lives below
	stmtRowH      = 6.0
	stmtLineH     = 5.0
	stmtFontSize  = 9.0
	stmtTitleSize = 16.0
)

// The item table's columns; the credits table reuses the same grid so the
// amounts of both line up.
var stmtCols = []float64{50, 30, 30, 30, 40}

// Statement renders an account statement as a PDF in the customer's
// language. Amounts reach the PDF as text formatted by FormatMoney, never as
// numbers, and the output depends only on d: the document dates are taken
// from AsOf, so the same data gives the same bytes.
func Statement(d StatementData) ([]byte, error) {
	if d.AsOf.IsZero() {
		return nil, errors.New("statement: as-of date missing")
	}
	lang := baseLang(d.Language)
	txt, ok := statementTexts[lang]
	if !ok {
		lang, txt = "en", statementTexts["en"]
	}

	pdf := fpdf.New("P", "mm", "A4", "")
	s := &stmtWriter{pdf: pdf, d: d, lang: lang, txt: txt}
	// The core fonts are WinAnsi (cp1252): the translator maps UTF-8 to it so
	// ä, ñ, ß and € come out as themselves; fpdf's table is embedded, no
	// font directory is read.
	s.cp1252 = pdf.UnicodeTranslatorFromDescriptor("")
	created := d.AsOf.Time(time.UTC)
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	pdf.SetCatalogSort(true)
	pdf.SetTitle(txt.title+" "+oneLineText(d.CustomerName), true)
	pdf.SetAuthor(oneLineText(d.Company.Name), true)
	pdf.SetCreator("Dunner", false)
	pdf.SetLang(lang)
	pdf.SetMargins(stmtMargin, stmtMargin, stmtMargin)
	// Page breaks are placed by hand so the table header can be repeated
	// and a row is never split from its page.
	pdf.SetAutoPageBreak(false, 0)
	pdf.AliasNbPages("{nb}")
	pdf.SetHeaderFunc(s.header)
	pdf.SetFooterFunc(s.footer)

	pdf.AddPage()
	s.itemsTable()
	s.creditsTable()
	s.totalsBlock()

	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("statement: %w", err)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("statement: %w", err)
	}
	return buf.Bytes(), nil
}

type stmtWriter struct {
	pdf    *fpdf.Fpdf
	d      StatementData
	lang   string
	txt    *statementText
	cp1252 func(string) string
	// table is the header row to repeat after a page break inside a table.
	table []string
}

// text converts UTF-8 to cp1252 for the core fonts. A character cp1252
// lacks loses its accent if that makes it representable (ő → o) and
// becomes "?" otherwise; fpdf's own fallback, ".", would read as
// punctuation in a name or an invoice number.
func (s *stmtWriter) text(str string) string {
	str = oneLineText(str)
	var b strings.Builder
	for _, r := range str {
		if r < 0x80 || s.cp1252(string(r)) != "." {
			b.WriteRune(r)
			continue
		}
		base := []rune(norm.NFD.String(string(r)))[0]
		if base != r && (base < 0x80 || s.cp1252(string(base)) != ".") {
			b.WriteRune(base)
		} else {
			b.WriteByte('?')
		}
	}
	return s.cp1252(b.String())
}

// oneLineText keeps a value on its line: a newline in a customer name must
// not push the rest of the row off the grid.
func oneLineText(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
	}), " ")
}

// fit cuts str (already cp1252) so it fits w, with an ellipsis, rather than
// letting a long invoice number run into the next column.
func (s *stmtWriter) fit(str string, w float64) string {
	w -= 2 // the cell's inner padding
	if s.pdf.GetStringWidth(str) <= w {
		return str
	}
	ell := s.cp1252("…")
	for len(str) > 0 && s.pdf.GetStringWidth(str+ell) > w {
		str = str[:len(str)-1] // cp1252 is one byte per character
	}
	return str + ell
}

func (s *stmtWriter) cell(w float64, str, align string, fill bool) {
	s.pdf.CellFormat(w, stmtRowH, s.fit(s.text(str), w), "", 0, align, fill, 0, "")
}

func (s *stmtWriter) money(d decimal.Decimal, cur string) string {
	return FormatMoney(d, cur, s.lang)
}

func (s *stmtWriter) header() {
	p, d, t := s.pdf, s.d, s.txt
	p.SetTextColor(0, 0, 0)
	if p.PageNo() > 1 {
		// Later pages carry just enough to be identified if printed loose.
		p.SetFont("Helvetica", "B", stmtFontSize)
		p.CellFormat(stmtWidth/2, stmtLineH, s.fit(s.text(d.Company.Name), stmtWidth/2), "", 0, "L", false, 0, "")
		p.SetFont("Helvetica", "", stmtFontSize)
		right := t.title + " · " + d.CustomerID + " · " + t.asOf + " " + FormatDate(d.AsOf, s.lang)
		p.CellFormat(stmtWidth/2, stmtLineH, s.fit(s.text(right), stmtWidth/2), "", 1, "R", false, 0, "")
		p.SetDrawColor(160, 160, 160)
		p.Line(stmtMargin, p.GetY()+1, stmtMargin+stmtWidth, p.GetY()+1)
		p.Ln(5)
		return
	}

	c := d.Company
	p.SetFont("Helvetica", "B", 13)
	p.CellFormat(stmtWidth, 7, s.fit(s.text(c.Name), stmtWidth), "", 1, "L", false, 0, "")
	p.SetFont("Helvetica", "", 8.5)
	p.SetTextColor(90, 90, 90)
	for _, line := range []string{c.Address, joinNonEmpty(" · ", c.Email, c.Phone, c.Website)} {
		if line != "" {
			p.CellFormat(stmtWidth, 4.2, s.fit(s.text(line), stmtWidth), "", 1, "L", false, 0, "")
		}
	}
	p.SetTextColor(0, 0, 0)
	p.Ln(8)

	p.SetFont("Helvetica", "B", stmtTitleSize)
	p.CellFormat(stmtWidth, 9, s.text(t.title), "", 1, "L", false, 0, "")
	p.Ln(2)

	name := d.CustomerName
	if name == "" {
		name = d.CustomerID
	}
	for _, kv := range [][2]string{
		{t.customer, name},
		{t.customerNo, d.CustomerID},
		{t.asOf, FormatDate(d.AsOf, s.lang)},
	} {
		p.SetFont("Helvetica", "", stmtFontSize+1)
		p.CellFormat(35, stmtLineH+0.5, s.text(kv[0]+":"), "", 0, "L", false, 0, "")
		p.SetFont("Helvetica", "B", stmtFontSize+1)
		p.CellFormat(stmtWidth-35, stmtLineH+0.5, s.fit(s.text(kv[1]), stmtWidth-35), "", 1, "L", false, 0, "")
	}
	p.Ln(3)
	p.SetFont("Helvetica", "", stmtFontSize)
	p.CellFormat(stmtWidth, stmtLineH, s.fit(s.text(fmt.Sprintf(t.intro, FormatDateLong(d.AsOf, s.lang))), stmtWidth),
		"", 1, "L", false, 0, "")
	p.Ln(4)
}

func (s *stmtWriter) footer() {
	p, c := s.pdf, s.d.Company
	p.SetY(-18)
	p.SetDrawColor(160, 160, 160)
	p.Line(stmtMargin, p.GetY(), stmtMargin+stmtWidth, p.GetY())
	p.Ln(1.5)
	p.SetFont("Helvetica", "", 7.5)
	p.SetTextColor(90, 90, 90)
	left := joinNonEmpty(" · ", c.Name, prefixed("IBAN ", c.BankIBAN), prefixed("BIC ", c.BankBIC))
	p.CellFormat(stmtWidth-30, 4, s.fit(s.text(left), stmtWidth-30), "", 0, "L", false, 0, "")
	// {nb} is replaced by the page count when the document is closed.
	p.CellFormat(30, 4, s.text(fmt.Sprintf(s.txt.page, p.PageNo(), "{nb}")), "", 0, "R", false, 0, "")
	p.SetTextColor(0, 0, 0)
}

// ensure starts a new page unless h millimetres still fit on this one, and
// repeats the current table's header there.
func (s *stmtWriter) ensure(h float64) {
	if s.pdf.GetY()+h <= stmtBottom {
		return
	}
	s.pdf.AddPage()
	if s.table != nil {
		s.tableHeader(s.table)
	}
}

func (s *stmtWriter) heading(str string, need float64) {
	// A heading is kept with its table header and first row.
	s.table = nil
	s.ensure(7 + need)
	s.pdf.SetFont("Helvetica", "B", stmtFontSize+2)
	s.pdf.CellFormat(stmtWidth, 7, s.text(str), "", 1, "L", false, 0, "")
}

func (s *stmtWriter) tableHeader(cols []string) {
	p := s.pdf
	p.SetFont("Helvetica", "B", stmtFontSize)
	p.SetFillColor(225, 225, 225)
	for i, h := range cols {
		align := "L"
		if i >= 3 {
			align = "R"
		}
		s.cell(stmtCols[i], h, align, true)
	}
	p.Ln(-1)
	p.SetFont("Helvetica", "", stmtFontSize)
}

func (s *stmtWriter) startTable(title string, cols []string) {
	s.heading(title, 2*stmtRowH)
	s.table = cols
	s.tableHeader(cols)
}

func (s *stmtWriter) row(i int, cells []string) {
	s.ensure(stmtRowH)
	// Light banding guides the eye across a wide row.
	fill := i%2 == 1
	s.pdf.SetFillColor(244, 244, 244)
	for c, v := range cells {
		align := "L"
		if c >= 3 {
			align = "R"
		}
		s.cell(stmtCols[c], v, align, fill)
	}
	s.pdf.Ln(-1)
}

func (s *stmtWriter) itemsTable() {
	t := s.txt
	s.startTable(t.openItems, []string{t.invoice, t.invoiceDate, t.dueDate, t.dpd, t.openAmount})
	items := s.sorted(s.d.Items)
	if len(items) == 0 {
		s.row(0, []string{t.noItems, "", "", "", ""})
	}
	for i, it := range items {
		dpd := t.notDue
		if it.DaysPastDue > 0 {
			dpd = strconv.Itoa(it.DaysPastDue)
		}
		s.row(i, []string{it.Ref.Invoice, FormatDate(it.IssueDate, s.lang), FormatDate(it.DueDate, s.lang),
			dpd, s.money(it.OpenAmount, it.Currency)})
	}
	s.table = nil
	s.pdf.Ln(4)
}

func (s *stmtWriter) creditsTable() {
	if len(s.d.Credits) == 0 {
		return
	}
	t := s.txt
	s.startTable(t.credits, []string{t.document, t.docType, t.date, "", t.amount})
	for i, it := range s.sorted(s.d.Credits) {
		kind := t.creditNote
		if it.DocType == agent.DocPayment {
			kind = t.payment
		}
		date := it.IssueDate
		if date.IsZero() {
			date = it.DueDate
		}
		s.row(i, []string{it.Ref.Invoice, kind, FormatDate(date, s.lang), "", s.money(creditAmount(it), it.Currency)})
	}
	s.table = nil
	s.pdf.Ln(4)
}

func creditAmount(it agent.NoticeItem) decimal.Decimal {
	if it.OpenAmount.IsPositive() {
		return it.OpenAmount.Neg()
	}
	return it.OpenAmount
}

// sorted orders items by currency (first seen first), then oldest due date
// first, the order an AR clerk reconciles in; the caller's slice is kept.
func (s *stmtWriter) sorted(items []agent.NoticeItem) []agent.NoticeItem {
	out := slices.Clone(items)
	order := s.currencies()
	slices.SortStableFunc(out, func(a, b agent.NoticeItem) int {
		if c := slices.Index(order, a.Currency) - slices.Index(order, b.Currency); c != 0 {
			return c
		}
		if c := int(a.DueDate) - int(b.DueDate); c != 0 {
			return c
		}
		return strings.Compare(a.Ref.Invoice, b.Ref.Invoice)
	})
	return out
}

// currencies lists every currency in the order it first appears.
func (s *stmtWriter) currencies() []string {
	var out []string
	add := func(c string) {
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	for _, it := range s.d.Items {
		add(it.Currency)
	}
	for _, it := range s.d.Credits {
		add(it.Currency)
	}
	for _, t := range s.d.Totals {
		add(t.Currency)
	}
	return out
}

type stmtTotalLine struct {
	label string
	value decimal.Decimal
	bold  bool
}

// totalsBlock shows per currency the ledger balance (open items and
// credits) and, from the notice, what is due now. Each currency's block is
// kept on one page, and the heading with the first block.
func (s *stmtWriter) totalsBlock() {
	curs := s.currencies()
	if len(curs) == 0 {
		return
	}
	t, p := s.txt, s.pdf
	blocks := make([][]stmtTotalLine, len(curs))
	for i, cur := range curs {
		blocks[i] = s.totalLines(cur)
	}
	height := func(b []stmtTotalLine) float64 { return stmtLineH*float64(len(b)+1) + 2 }
	s.heading(t.totals, height(blocks[0]))
	labelX, labelW, valueW := stmtMargin+stmtWidth-110, 70.0, 40.0
	for i, cur := range curs {
		s.ensure(height(blocks[i]))
		p.SetX(labelX)
		p.SetFont("Helvetica", "B", stmtFontSize)
		p.SetFillColor(225, 225, 225)
		p.CellFormat(labelW+valueW, stmtLineH+0.5, s.text(cur), "", 1, "L", true, 0, "")
		for _, l := range blocks[i] {
			style, border := "", ""
			if l.bold {
				style, border = "B", "T"
			}
			p.SetFont("Helvetica", style, stmtFontSize)
			p.SetX(labelX)
			p.CellFormat(labelW, stmtLineH, s.text(l.label), border, 0, "L", false, 0, "")
			p.CellFormat(valueW, stmtLineH, s.text(s.money(l.value, cur)), border, 1, "R", false, 0, "")
		}
		p.Ln(3)
	}
}

// totalLines sums one currency exactly in decimals: open items, credits,
// the balance they leave, and the notice's fees and interest when it has
// any.
func (s *stmtWriter) totalLines(cur string) []stmtTotalLine {
	t := s.txt
	var open, credits, overdue decimal.Decimal
	hasCredits := false
	for _, it := range s.d.Items {
		if it.Currency == cur {
			open = open.Add(it.OpenAmount)
			if it.DaysPastDue > 0 {
				overdue = overdue.Add(it.OpenAmount)
			}
		}
	}
	for _, it := range s.d.Credits {
		if it.Currency == cur {
			credits = credits.Add(creditAmount(it))
			hasCredits = true
		}
	}
	var tot *agent.Total
	for i := range s.d.Totals {
		if s.d.Totals[i].Currency == cur {
			// The notice's figure wins: it is what the email says.
			tot = &s.d.Totals[i]
			overdue = tot.Overdue
		}
	}
	lines := []stmtTotalLine{{t.openTotal, open, false}}
	if hasCredits {
		lines = append(lines, stmtTotalLine{t.creditTotal, credits, false})
	}
	lines = append(lines, stmtTotalLine{t.balance, open.Add(credits), true}, stmtTotalLine{t.overdue, overdue, false})
	if tot != nil && !(tot.Fees.IsZero() && tot.Interest.IsZero()) {
		if !tot.Fees.IsZero() {
			lines = append(lines, stmtTotalLine{t.fees, tot.Fees, false})
		}
		if !tot.Interest.IsZero() {
			lines = append(lines, stmtTotalLine{t.interest, tot.Interest, false})
		}
		lines = append(lines, stmtTotalLine{t.nowDue, tot.Due(), true})
	}
	return lines
}

func joinNonEmpty(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}

func prefixed(prefix, v string) string {
	if strings.TrimSpace(v) == "" {
		return ""
	}
	return prefix + v
}
