package pdf

import (
	"bytes"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-pdf/fpdf"
	"github.com/shopspring/decimal"
)

// fixture is one remittance advice as a document model. Every producer
// (fpdf here, LibreOffice and Chromium in external_test.go) renders the same
// model, so all of them must read back to the same golden JSON.
type fixture struct {
	name   string
	sender []string    // company block on top
	title  string      // "Zahlungsavis", "Remittance Advice"
	head   [][2]string // label, value
	intro  string      // a sentence above the table
	cols   []string
	right  []bool // right-aligned columns (amounts)
	widths []float64
	rows   [][]string
	// pageRows > 0 breaks the table after that many rows, with a
	// carried-forward line (carry label, subtotal under the last column)
	// at the foot and the head of the pages, and the header repeated.
	pageRows  int
	carry     string
	subtotals []string // per break, as printed
	total     [2]string
	footer    []string
	utf8      bool // fpdf: embed a TrueType font (composite, Identity-H)

	// What the reader must find, checked apart from the golden file so a
	// golden rewritten with -update cannot bless a wrong reading.
	want wantFields
}

type wantFields struct {
	payer, date, ref, currency, total string
	lines                             int
}

// Number formats of the fixtures.
func fmtNum(d decimal.Decimal, group, dec string, neg string) string {
	s := d.Abs().StringFixed(2)
	intPart, frac := s[:len(s)-3], s[len(s)-2:]
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteString(group)
		}
		b.WriteRune(c)
	}
	out := b.String() + dec + frac
	if d.IsNegative() {
		switch neg {
		case "trailing":
			out += "-"
		case "paren":
			out = "(" + out + ")"
		default:
			out = "-" + out
		}
	}
	return out
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// invoiceSet is a list of invoices with gross, discount, deduction, paid.
type inv struct {
	no, date             string
	gross, disc, ded     decimal.Decimal
	reason               string
	credit               bool
	paidOverride         *decimal.Decimal
	day, month, yearFull int
}

func (i inv) paid() decimal.Decimal {
	if i.paidOverride != nil {
		return *i.paidOverride
	}
	return i.gross.Sub(i.disc).Sub(i.ded)
}

// fixtures builds the corpus.
func fixtures() []fixture {
	return []fixture{fixEnUS(), fixDeMulti(), fixEsMulti(), fixCH(), fixEnGB(), fixDeUTF8()}
}

func fixEnUS() fixture {
	f := fixture{
		name:   "en_us_check",
		sender: []string{"ACME Corporation", "1200 Industrial Parkway", "Chicago, IL 60601"},
		title:  "Remittance Advice",
		head: [][2]string{
			{"Payment Date:", "03/04/2026"}, {"Check No.:", "100234"}, {"Vendor:", "Northwind Supply S.L."},
			{"Payment Amount:", "$4,421.64"},
		},
		intro:  "The following invoices are included in this payment.",
		cols:   []string{"Invoice #", "Invoice Date", "Invoice Amount", "Discount Taken", "Amount Paid"},
		right:  []bool{false, false, true, true, true},
		widths: []float64{1.2, 1, 1.1, 1.1, 1.1},
		footer: []string{"Questions? ap@acme.example  |  Page 1 of 1"},
	}
	invs := []inv{
		{no: "INV-10231", date: "01/05/2026", gross: dec("1250.00"), disc: dec("25.00")},
		{no: "INV-10232", date: "01/12/2026", gross: dec("980.40")},
		{no: "INV-10240", date: "02/02/2026", gross: dec("2016.24")},
		{no: "CM-2001", date: "02/10/2026", gross: dec("-150.00"), credit: true},
		{no: "INV-10244", date: "02/14/2026", gross: dec("350.00")},
	}
	sum := decimal.Zero
	for _, i := range invs {
		f.rows = append(f.rows, []string{i.no, i.date, fmtNum(i.gross, ",", ".", "paren"), fmtNum(i.disc, ",", ".", "paren"), fmtNum(i.paid(), ",", ".", "paren")})
		sum = sum.Add(i.paid())
	}
	f.total = [2]string{"Total", "$" + fmtNum(sum, ",", ".", "paren")}
	f.want = wantFields{payer: "ACME Corporation", date: "2026-03-04", ref: "100234", currency: "USD", total: sum.StringFixed(2), lines: len(invs)}
	return f
}

func fixDeMulti() fixture {
	f := fixture{
		name:   "de_multipage",
		sender: []string{"Müller Maschinenbau GmbH", "Industriestraße 12", "70173 Stuttgart"},
		title:  "Zahlungsavis",
		head: [][2]string{
			{"Zahlungsdatum:", "14.03.2026"}, {"Referenz:", "ZA-4711"}, {"Währung:", "EUR"},
			{"Empfänger:", "Northwind Supply S.L."},
		},
		intro:    "Wir haben folgende Rechnungen zur Zahlung angewiesen:",
		cols:     []string{"Rechnungsnr.", "Rechnungsdatum", "Bruttobetrag", "Skonto", "Abzug", "Zahlbetrag", "Grund"},
		right:    []bool{false, false, true, true, true, true, false},
		widths:   []float64{1.25, 1.15, 1.15, 0.8, 0.8, 1.1, 1.3},
		pageRows: 22,
		carry:    "Übertrag",
	}
	var invs []inv
	for k := 0; k < 50; k++ {
		g := dec(fmt.Sprintf("%d.%02d", 180+k*173%4000, (k*37)%100))
		i := inv{no: fmt.Sprintf("R-2026-%04d", 40+k), date: fmt.Sprintf("%02d.%02d.2026", 1+k%28, 1+k%2), gross: g}
		switch {
		case k%5 == 0:
			i.disc = g.Mul(dec("0.02")).Round(2)
		case k == 17:
			i.ded = dec("120.00")
			i.reason = "Transportschaden"
		case k == 33:
			i.gross = dec("-150.00")
			i.no = "GS-2026-0007"
			i.credit = true
			i.reason = "Gutschrift"
		}
		invs = append(invs, i)
	}
	sum := decimal.Zero
	for n, i := range invs {
		ded := ""
		if !i.ded.IsZero() {
			ded = fmtNum(i.ded, ".", ",", "trailing")
		}
		disc := ""
		if !i.disc.IsZero() {
			disc = fmtNum(i.disc, ".", ",", "trailing")
		}
		f.rows = append(f.rows, []string{i.no, i.date, fmtNum(i.gross, ".", ",", "trailing"), disc, ded, fmtNum(i.paid(), ".", ",", "trailing"), i.reason})
		sum = sum.Add(i.paid())
		if f.pageRows > 0 && (n+1)%f.pageRows == 0 && n+1 < len(invs) {
			f.subtotals = append(f.subtotals, fmtNum(sum, ".", ",", "trailing"))
		}
	}
	f.total = [2]string{"Summe Zahlbetrag", fmtNum(sum, ".", ",", "trailing") + " EUR"}
	f.want = wantFields{payer: "Müller Maschinenbau GmbH", date: "2026-03-14", ref: "ZA-4711", currency: "EUR", total: sum.StringFixed(2), lines: len(invs)}
	return f
}

func fixEsMulti() fixture {
	f := fixture{
		name:   "es_multipage",
		sender: []string{"Distribuciones Ibéricas S.L.", "Calle Mayor 45", "28013 Madrid"},
		title:  "Aviso de pago",
		head: [][2]string{
			{"Ordenante:", "Distribuciones Ibéricas S.L."}, {"Fecha de pago:", "14 de marzo de 2026"},
			{"Referencia:", "TRF-2026-0315"}, {"Beneficiario:", "Northwind Supply GmbH"},
		},
		intro:    "Le comunicamos que hemos realizado una transferencia por las siguientes facturas:",
		cols:     []string{"Nº Factura", "Fecha", "Importe bruto", "Dto.", "Importe pagado"},
		right:    []bool{false, false, true, true, true},
		widths:   []float64{1.3, 1, 1.2, 0.9, 1.2},
		pageRows: 18,
		carry:    "Suma y sigue",
	}
	var invs []inv
	for k := 0; k < 30; k++ {
		g := dec(fmt.Sprintf("%d.%02d", 95+k*1311%9000, (k*53)%100))
		i := inv{no: fmt.Sprintf("FA/2026/%03d", 100+k*3), date: fmt.Sprintf("%02d/%02d/2026", 3+k%25, 1+k%2), gross: g}
		if k%4 == 1 {
			i.disc = g.Mul(dec("0.015")).Round(2)
		}
		if k == 9 {
			i.no = "AB/2026/004"
			i.gross = dec("-312.50")
			i.credit = true
		}
		invs = append(invs, i)
	}
	sum := decimal.Zero
	for n, i := range invs {
		disc := "0,00"
		if !i.disc.IsZero() {
			disc = fmtNum(i.disc, " ", ",", "")
		}
		no := i.no
		if i.credit {
			no = "Abono " + i.no
		}
		f.rows = append(f.rows, []string{no, i.date, fmtNum(i.gross, " ", ",", "") + " €", disc + " €", fmtNum(i.paid(), " ", ",", "") + " €"})
		sum = sum.Add(i.paid())
		if (n+1)%f.pageRows == 0 && n+1 < len(invs) {
			f.subtotals = append(f.subtotals, fmtNum(sum, " ", ",", "")+" €")
		}
	}
	f.total = [2]string{"Importe total", fmtNum(sum, " ", ",", "") + " €"}
	f.want = wantFields{payer: "Distribuciones Ibéricas S.L.", date: "2026-03-14", ref: "TRF-2026-0315", currency: "EUR", total: sum.StringFixed(2), lines: len(invs)}
	return f
}

func fixCH() fixture {
	f := fixture{
		name:   "ch_apostrophe",
		sender: []string{"Alpenkäse Handels AG", "Bahnhofstrasse 1", "8001 Zürich"},
		title:  "Zahlungsavis / Payment advice",
		head: [][2]string{
			{"Valuta:", "2026-03-14"}, {"Zahlungsreferenz:", "CH-PAY-88812"}, {"Währung:", "CHF"},
		},
		cols:   []string{"Belegnr.", "Belegdatum", "Betrag", "Skonto", "Bezahlt"},
		right:  []bool{false, false, true, true, true},
		widths: []float64{1.2, 1.1, 1.2, 0.9, 1.2},
	}
	invs := []inv{
		{no: "0090012345", date: "2026-01-15", gross: dec("12480.00"), disc: dec("249.60")},
		{no: "0090012377", date: "2026-01-29", gross: dec("3310.55")},
		{no: "0090012391", date: "2026-02-03", gross: dec("1005.00"), disc: dec("20.10")},
	}
	sum := decimal.Zero
	for _, i := range invs {
		f.rows = append(f.rows, []string{i.no, i.date, fmtNum(i.gross, "'", ".", ""), fmtNum(i.disc, "'", ".", ""), fmtNum(i.paid(), "'", ".", "")})
		sum = sum.Add(i.paid())
	}
	f.total = [2]string{"Total CHF", fmtNum(sum, "'", ".", "")}
	f.want = wantFields{payer: "Alpenkäse Handels AG", date: "2026-03-14", ref: "CH-PAY-88812", currency: "CHF", total: sum.StringFixed(2), lines: len(invs)}
	return f
}

func fixEnGB() fixture {
	f := fixture{
		name:   "en_gb_monthnames",
		sender: []string{"Harbour Foods Ltd", "Unit 4, Dockside Estate", "Bristol BS1 4QA"},
		title:  "PAYMENT ADVICE",
		head: [][2]string{
			{"Paid by:", "Harbour Foods Ltd"}, {"Date of payment:", "Friday, 13 March 2026"},
			{"Payment reference:", "BACS 553201"}, {"Currency:", "GBP"},
		},
		cols:   []string{"Your Ref", "Date", "Gross", "Deductions", "Net Paid", "Remarks"},
		right:  []bool{false, false, true, true, true, false},
		widths: []float64{1.1, 1.1, 1, 1, 1, 1.6},
	}
	invs := []inv{
		{no: "NW 7781", date: "9 Jan 2026", gross: dec("4200.00")},
		{no: "NW 7790", date: "21 Jan 2026", gross: dec("1875.25"), ded: dec("75.25"), reason: "Short delivery"},
		{no: "NW 7802", date: "3 Feb 2026", gross: dec("640.00")},
		{no: "NW 7810", date: "12 Feb 2026", gross: dec("-96.00"), credit: true, reason: "Credit note"},
	}
	sum := decimal.Zero
	for _, i := range invs {
		ded := "-"
		if !i.ded.IsZero() {
			ded = fmtNum(i.ded, ",", ".", "paren")
		}
		f.rows = append(f.rows, []string{i.no, i.date, "£" + fmtNum(i.gross, ",", ".", "paren"), ded, "£" + fmtNum(i.paid(), ",", ".", "paren"), i.reason})
		sum = sum.Add(i.paid())
	}
	f.total = [2]string{"Total paid", "£" + fmtNum(sum, ",", ".", "paren")}
	f.want = wantFields{payer: "Harbour Foods Ltd", date: "2026-03-13", ref: "BACS 553201", currency: "GBP", total: sum.StringFixed(2), lines: len(invs)}
	return f
}

// fixDeUTF8 is printed with an embedded TrueType font: composite font,
// two-byte codes and a ToUnicode map, where € is above U+00FF.
func fixDeUTF8() fixture {
	f := fixture{
		name:   "de_utf8_font",
		sender: []string{"Schäfer & Söhne KG", "Hafenweg 3", "20457 Hamburg"},
		title:  "Zahlungsavis",
		head: [][2]string{
			{"Zahler:", "Schäfer & Söhne KG"}, {"Valutadatum:", "02.03.2026"}, {"Verwendungszweck:", "Avis 2026/311 – Sammelzahlung"},
		},
		cols:   []string{"Belegnr.", "Datum", "Rechnungsbetrag", "Kürzung", "Bezahlt", "Bemerkung"},
		right:  []bool{false, false, true, true, true, false},
		widths: []float64{1.1, 1, 1.3, 1, 1.1, 1.4},
		utf8:   true,
	}
	invs := []inv{
		{no: "RE-88120", date: "05.01.2026", gross: dec("1190.00")},
		{no: "RE-88134", date: "19.01.2026", gross: dec("2380.00"), ded: dec("238.00"), reason: "Mängelrüge – 10 %"},
		{no: "RE-88141", date: "27.01.2026", gross: dec("595.00")},
	}
	sum := decimal.Zero
	for _, i := range invs {
		ded := ""
		if !i.ded.IsZero() {
			ded = "−" + fmtNum(i.ded, ".", ",", "")
		}
		f.rows = append(f.rows, []string{i.no, i.date, fmtNum(i.gross, ".", ",", "") + " €", ded, fmtNum(i.paid(), ".", ",", "") + " €", i.reason})
		sum = sum.Add(i.paid())
	}
	f.total = [2]string{"Gesamtbetrag", fmtNum(sum, ".", ",", "") + " €"}
	f.want = wantFields{payer: "Schäfer & Söhne KG", date: "2026-03-02", ref: "Avis 2026/311 – Sammelzahlung", currency: "EUR", total: sum.StringFixed(2), lines: len(invs)}
	return f
}

// renderFPDF draws a fixture with go-pdf/fpdf. protect sets RC4
// encryption with an empty user password.
func renderFPDF(t testing.TB, f fixture, protect bool) []byte {
	t.Helper()
	return renderFPDFWith(t, f, protect, "")
}

// renderFPDFPassword needs userPass to open.
func renderFPDFPassword(t testing.TB, f fixture, userPass string) []byte {
	t.Helper()
	return renderFPDFWith(t, f, true, userPass)
}

func renderFPDFWith(t testing.TB, f fixture, protect bool, userPass string) []byte {
	t.Helper()
	p := fpdf.New("P", "mm", "A4", "")
	p.SetCreationDate(time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC))
	p.SetCatalogSort(true)
	if protect {
		p.SetProtection(fpdf.CnProtectPrint, userPass, "owner-secret")
	}
	family := "Helvetica"
	tr := p.UnicodeTranslatorFromDescriptor("")
	if f.utf8 {
		ttf, err := os.ReadFile(filepath.Join("testdata", "fonts", "DejaVuSans-subset.ttf"))
		if err != nil {
			t.Fatal(err)
		}
		p.AddUTF8FontFromBytes("dejavu", "", ttf)
		p.AddUTF8FontFromBytes("dejavu", "B", ttf)
		family = "dejavu"
		tr = func(s string) string { return s }
	}
	p.SetMargins(15, 15, 15)
	p.SetAutoPageBreak(false, 15)
	p.AddPage()
	p.SetFont(family, "B", 12)
	for i, s := range f.sender {
		if i == 1 {
			p.SetFont(family, "", 9)
		}
		p.CellFormat(0, 5, tr(s), "", 1, "L", false, 0, "")
	}
	p.Ln(6)
	p.SetFont(family, "B", 16)
	p.CellFormat(0, 9, tr(f.title), "", 1, "L", false, 0, "")
	p.Ln(2)
	p.SetFont(family, "", 10)
	for _, h := range f.head {
		p.CellFormat(45, 6, tr(h[0]), "", 0, "L", false, 0, "")
		p.CellFormat(0, 6, tr(h[1]), "", 1, "L", false, 0, "")
	}
	p.Ln(4)
	if f.intro != "" {
		p.CellFormat(0, 6, tr(f.intro), "", 1, "L", false, 0, "")
		p.Ln(2)
	}
	total := 0.0
	for _, w := range f.widths {
		total += w
	}
	ws := make([]float64, len(f.widths))
	for i, w := range f.widths {
		ws[i] = w / total * 180
	}
	align := func(i int) string {
		if f.right[i] {
			return "R"
		}
		return "L"
	}
	header := func() {
		p.SetFont(family, "B", 9)
		p.SetFillColor(230, 230, 230)
		for i, c := range f.cols {
			p.CellFormat(ws[i], 7, tr(c), "B", 0, align(i), true, 0, "")
		}
		p.Ln(-1)
		p.SetFont(family, "", 9)
	}
	carryLine := func(v string) {
		if f.utf8 {
			p.SetFont(family, "", 9) // the embedded font has no italic
		} else {
			p.SetFont(family, "I", 9)
		}
		last := len(f.cols) - 1
		for f.rows != nil && !f.right[last] {
			last--
		}
		lead := 0.0
		for i := 0; i < last; i++ {
			lead += ws[i]
		}
		p.CellFormat(lead, 6, tr(f.carry), "", 0, "L", false, 0, "")
		p.CellFormat(ws[last], 6, tr(v), "", 1, "R", false, 0, "")
		p.SetFont(family, "", 9)
	}
	header()
	page := 0
	for n, r := range f.rows {
		for i, c := range r {
			p.CellFormat(ws[i], 6, tr(c), "", 0, align(i), false, 0, "")
		}
		p.Ln(-1)
		if f.pageRows > 0 && (n+1)%f.pageRows == 0 && n+1 < len(f.rows) {
			sub := f.subtotals[page]
			carryLine(sub)
			p.SetY(282)
			p.SetFont(family, "", 8)
			p.CellFormat(0, 5, tr(fmt.Sprintf("%s · Seite/Page %d", f.sender[0], page+1)), "", 1, "C", false, 0, "")
			page++
			p.AddPage()
			p.SetFont(family, "", 9)
			p.CellFormat(0, 6, tr(f.title+" "+f.head[0][1]), "", 1, "L", false, 0, "")
			p.Ln(3)
			carryLine(sub)
			header()
		}
	}
	p.Ln(2)
	p.SetFont(family, "B", 10)
	last := len(f.cols) - 1
	for !f.right[last] {
		last--
	}
	lead := 0.0
	for i := 0; i < last; i++ {
		lead += ws[i]
	}
	p.CellFormat(lead, 7, tr(f.total[0]), "T", 0, "L", false, 0, "")
	p.CellFormat(ws[last], 7, tr(f.total[1]), "T", 1, "R", false, 0, "")
	p.SetFont(family, "", 8)
	p.Ln(8)
	for _, s := range f.footer {
		p.CellFormat(0, 5, tr(s), "", 1, "L", false, 0, "")
	}
	var b bytes.Buffer
	if err := p.Output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// renderImageOnly is a scan: one page holding a picture and no text.
func renderImageOnly(t testing.TB) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 200, 280))
	for y := 0; y < 280; y++ {
		for x := 0; x < 200; x++ {
			v := uint8(255)
			if y%14 < 2 && x > 20 && x < 180 {
				v = 40 // lines of "text"
			}
			img.SetGray(x, y, color.Gray{v})
		}
	}
	var pngBuf bytes.Buffer
	if err := png.Encode(&pngBuf, img); err != nil {
		t.Fatal(err)
	}
	p := fpdf.New("P", "mm", "A4", "")
	p.SetCreationDate(time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC))
	p.AddPage()
	p.RegisterImageOptionsReader("scan", fpdf.ImageOptions{ImageType: "PNG"}, &pngBuf)
	p.ImageOptions("scan", 10, 10, 190, 266, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	var b bytes.Buffer
	if err := p.Output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// renderLetter is a PDF with text that is no remittance.
func renderLetter(t testing.TB) []byte {
	t.Helper()
	p := fpdf.New("P", "mm", "A4", "")
	p.SetCreationDate(time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC))
	p.AddPage()
	p.SetFont("Helvetica", "", 11)
	for _, s := range []string{
		"Northwind Supply S.L.", "Dear customer,", "", "we are pleased to invite you to our spring trade fair on 14 April 2026.",
		"Our new catalogue is attached. Opening hours are 9:00 to 18:00.", "", "Kind regards,", "The Northwind team",
	} {
		p.CellFormat(0, 6, s, "", 1, "L", false, 0, "")
	}
	var b bytes.Buffer
	if err := p.Output(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// renderHTML writes the model as an HTML page, for Chromium and
// LibreOffice; each table page is its own table with a page break.
func renderHTML(f fixture) string {
	var b strings.Builder
	e := html.EscapeString
	b.WriteString(`<!DOCTYPE html><html><head><meta charset="utf-8"><style>
body{font-family:"DejaVu Sans","Liberation Sans",Arial,sans-serif;font-size:10pt;margin:0}
table{border-collapse:collapse;width:100%}th{background:#e6e6e6;text-align:left;padding:3px 6px}
td{padding:2px 6px}.r{text-align:right}.head td{padding:1px 6px}.pb{page-break-after:always;break-after:page}
h1{font-size:16pt;margin:12px 0}.sender{font-weight:bold}</style></head><body>`)
	// LibreOffice's HTML import loses the first block of a body; an empty
	// paragraph takes the loss.
	b.WriteString(`<p style="margin:0">&nbsp;</p>`)
	for i, s := range f.sender {
		if i == 0 {
			fmt.Fprintf(&b, `<p class="sender" style="margin:0">%s</p>`, e(s))
		} else {
			fmt.Fprintf(&b, `<p style="margin:0">%s</p>`, e(s))
		}
	}
	fmt.Fprintf(&b, "<h1>%s</h1><table class=\"head\" style=\"width:auto\">", e(f.title))
	for _, h := range f.head {
		fmt.Fprintf(&b, "<tr><td>%s</td><td>%s</td></tr>", e(h[0]), e(h[1]))
	}
	b.WriteString("</table><br>")
	if f.intro != "" {
		fmt.Fprintf(&b, "<p>%s</p>", e(f.intro))
	}
	cls := func(i int) string {
		if f.right[i] {
			return ` class="r"`
		}
		return ""
	}
	lastAmount := len(f.cols) - 1
	for !f.right[lastAmount] {
		lastAmount--
	}
	totalW := 0.0
	for _, w := range f.widths {
		totalW += w
	}
	header := func() {
		// Column widths as attributes: LibreOffice's HTML import ignores
		// CSS widths and squeezes columns until values wrap.
		b.WriteString(`<table width="100%"><colgroup>`)
		for _, w := range f.widths {
			fmt.Fprintf(&b, `<col width="%d%%">`, int(w/totalW*100))
		}
		b.WriteString("</colgroup><tr>")
		for i, c := range f.cols {
			fmt.Fprintf(&b, "<th%s>%s</th>", cls(i), e(c))
		}
		b.WriteString("</tr>")
	}
	carry := func(v string) {
		fmt.Fprintf(&b, `<tr><td colspan="%d"><i>%s</i></td><td class="r"><i>%s</i></td>`, lastAmount, e(f.carry), e(v))
		for i := lastAmount + 1; i < len(f.cols); i++ {
			b.WriteString("<td></td>")
		}
		b.WriteString("</tr>")
	}
	header()
	page := 0
	for n, r := range f.rows {
		b.WriteString("<tr>")
		for i, c := range r {
			fmt.Fprintf(&b, "<td%s>%s</td>", cls(i), e(c))
		}
		b.WriteString("</tr>")
		if f.pageRows > 0 && (n+1)%f.pageRows == 0 && n+1 < len(f.rows) {
			carry(f.subtotals[page])
			b.WriteString(`</table><div class="pb"></div>`)
			header()
			carry(f.subtotals[page])
			page++
		}
	}
	fmt.Fprintf(&b, `<tr><td colspan="%d"><b>%s</b></td><td class="r"><b>%s</b></td></tr></table>`, lastAmount, e(f.total[0]), e(f.total[1]))
	for _, s := range f.footer {
		fmt.Fprintf(&b, "<p>%s</p>", e(s))
	}
	b.WriteString("</body></html>")
	return b.String()
}

// renderCSV writes the model as a semicolon CSV: head lines, the table and
// the total, as an ERP export or a spreadsheet would.
func renderCSV(f fixture) string {
	var b strings.Builder
	q := func(s string) string {
		if strings.ContainsAny(s, ";\"\n") {
			return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
		}
		return s
	}
	b.WriteString(q(f.sender[0]) + "\n" + q(f.title) + "\n")
	for _, h := range f.head {
		b.WriteString(q(h[0]) + ";" + q(h[1]) + "\n")
	}
	b.WriteString("\n")
	for i, c := range f.cols {
		if i > 0 {
			b.WriteString(";")
		}
		b.WriteString(q(c))
	}
	b.WriteString("\n")
	for _, r := range f.rows {
		for i, c := range r {
			if i > 0 {
				b.WriteString(";")
			}
			b.WriteString(q(c))
		}
		b.WriteString("\n")
	}
	last := len(f.cols) - 1
	for !f.right[last] {
		last--
	}
	b.WriteString(q(f.total[0]) + strings.Repeat(";", last) + q(f.total[1]) + "\n")
	return b.String()
}
