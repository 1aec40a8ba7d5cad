package pdf

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/dunnerhq/dunner/agent"
	"github.com/xuri/excelize/v2"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		mark decimalMark
		want string // "" = not a number
	}{
		{"1,234.56", 0, "1234.56"},
		{"1.234,56", 0, "1234.56"},
		{"1 234,56", 0, "1234.56"},
		{"1\u00a0234,56", 0, "1234.56"},
		{"1\u202f234.56", 0, "1234.56"},
		{"1'234.56", 0, "1234.56"},
		{"1’234.56", 0, "1234.56"},
		{"150,00-", 0, "-150"},
		{"(150.00)", 0, "-150"},
		{"-150.00", 0, "-150"},
		{"−150,00", 0, "-150"},
		{"150.00 CR", 0, "-150"},
		{"€ 1.234,56", 0, "1234.56"},
		{"1.234,56 EUR", 0, "1234.56"},
		{"$4,421.64", 0, "4421.64"},
		{"£(96.00)", 0, "-96"},
		{"-€150.00", 0, "-150"},
		{"CHF 12'480.00", 0, "12480"},
		{"1,234", 0, "1234"},
		{"1,234", ',', "1.234"},
		{"1.234", 0, "1234"},
		{"1.234", '.', "1.234"},
		{"1,5", 0, "1.5"},
		{"0.5", 0, "0.5"},
		{"1,234,567.89", 0, "1234567.89"},
		{"1.234.567,89", 0, "1234567.89"},
		{"12,34,567.00", 0, "1234567"},
		{"1000", 0, "1000"},
		{"0,00", 0, "0"},
		{"1.234.56", 0, ""},
		{"14.03.2026", 0, ""},
		{"12,3,4", 0, ""},
		{"abc", 0, ""},
		{"", 0, ""},
		{"1 2", 0, ""},
		{"INV-1001", 0, ""},
		{"2 %", 0, ""},
	}
	for _, tt := range tests {
		d, ok := ParseNumber(tt.in, tt.mark)
		got := ""
		if ok {
			got = d.String()
		}
		if got != tt.want {
			t.Errorf("ParseNumber(%q, %q) = %q, want %q", tt.in, tt.mark, got, tt.want)
		}
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in    string
		order dateOrder
		want  string
	}{
		{"2026-03-14", orderUnknown, "2026-03-14"},
		{"2026/03/14", orderMDY, "2026-03-14"},
		{"14.03.2026", orderMDY, "2026-03-14"},
		{"14.03.26", orderUnknown, "2026-03-14"},
		{"14/03/2026", orderUnknown, "2026-03-14"},
		{"03/14/2026", orderUnknown, "2026-03-14"},
		{"03/04/2026", orderDMY, "2026-04-03"},
		{"03/04/2026", orderMDY, "2026-03-04"},
		{"03.04.2026", orderMDY, "2026-04-03"}, // dots are never month first
		{"14-03-2026", orderUnknown, "2026-03-14"},
		{"14 March 2026", orderMDY, "2026-03-14"},
		{"March 14, 2026", orderDMY, "2026-03-14"},
		{"Friday, 13 March 2026", orderUnknown, "2026-03-13"},
		{"14. März 2026", orderUnknown, "2026-03-14"},
		{"14. Maerz 2026", orderUnknown, "2026-03-14"},
		{"14 de marzo de 2026", orderUnknown, "2026-03-14"},
		{"1 de enero del 2026", orderUnknown, "2026-01-01"},
		{"14-Mar-26", orderUnknown, "2026-03-14"},
		{"3 Feb 2026", orderUnknown, "2026-02-03"},
		{"Dec 1st 2026", orderUnknown, "2026-12-01"},
		{"14 Dez. 2026", orderUnknown, "2026-12-14"},
		{"31 dic 2025", orderUnknown, "2025-12-31"},
		{"30.02.2026", orderUnknown, ""},
		{"13/13/2026", orderUnknown, ""},
		{"2026", orderUnknown, ""},
		{"1.234,56", orderUnknown, ""},
		{"", orderUnknown, ""},
	}
	for _, tt := range tests {
		d, ok := ParseDate(tt.in, tt.order)
		got := ""
		if ok {
			got = d.String()
		}
		if got != tt.want {
			t.Errorf("ParseDate(%q, %d) = %q, want %q", tt.in, tt.order, got, tt.want)
		}
	}
}

// US dates that are all ambiguous read month first in a dollar advice and
// day first in a euro one; one unambiguous date decides for the rest.
func TestDateOrderFromContext(t *testing.T) {
	tests := []struct {
		text, want string
	}{
		{"Remittance advice\nPayment date: 03/04/2026\nInvoice  Date  Amount paid\nINV-1  01/02/2026  $100.00\n", "2026-03-04"},
		{"Payment advice\nPayment date: 03/04/2026\nInvoice  Date  Amount paid\nINV-1  01/02/2026  €100.00\n", "2026-04-03"},
		{"Payment advice\nPayment date: 03/04/2026\nInvoice  Date  Amount paid\nINV-1  01/25/2026  100.00 EUR\n", "2026-03-04"},
		{"Aviso de pago\nFecha de pago: 03/04/2026\nFactura  Fecha  Importe pagado\nF-1  25/01/2026  100,00 $\n", "2026-04-03"},
	}
	for _, tt := range tests {
		r, err := ParseText(tt.text)
		if err != nil {
			t.Fatalf("%q: %v", tt.text, err)
		}
		if got := r.PaymentDate.String(); got != tt.want {
			t.Errorf("%q: payment date %s, want %s", tt.text, got, tt.want)
		}
	}
}

func TestParseTextEmail(t *testing.T) {
	tests := []struct {
		name, text string
		lines      int
		total      string
		first      agent.RemittanceLine
	}{
		{"blank layout", `Hello,

please find our payment advice below.

Payment date: 14.03.2026
Reference: ZA-4711

Rechnungsnr.    Datum        Brutto      Skonto    Zahlbetrag
R-2026-0042     31.01.2026   1.000,00    20,00        980,00
R-2026-0043     02.02.2026   1.000,00                1.000,00
Gutschrift G-7  05.02.2026     -20,00                  -20,00

Summe                                                1.960,00

Kind regards
`, 3, "1960.00", agent.RemittanceLine{Invoice: "R-2026-0042"}},
		{"markdown table", `Payment advice
| Invoice | Date | Amount paid |
|---|---|---|
| INV-1001 | 2026-02-01 | 1,200.00 |
| INV-1002 | 2026-02-03 | 300.50 |
Total: 1,500.50 USD
`, 2, "1500.50", agent.RemittanceLine{Invoice: "INV-1001"}},
		{"tabs", "Remittance advice\nInvoice\tPaid\nA-1\t10.00\nA-2\t20.00\n", 2, "", agent.RemittanceLine{Invoice: "A-1"}},
		{"html", `<html><body><h2>Aviso de pago</h2><p>Fecha de pago: 14/03/2026</p>
<table><tr><th>Nº Factura</th><th>Fecha</th><th>Importe pagado</th></tr>
<tr><td>FA-1</td><td>01/02/2026</td><td>1.210,00 €</td></tr>
<tr><td>Abono AB-2</td><td>03/02/2026</td><td>-10,00 €</td></tr></table>
<p>Importe total: 1.200,00 €</p></body></html>`, 2, "1200.00", agent.RemittanceLine{Invoice: "FA-1"}},
		{"sentence without table", "Payment advice: we paid invoice INV-7781 dated 01/02/2026 with 1,250.00 USD today.\n", 1, "", agent.RemittanceLine{Invoice: "INV-7781"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseText(tt.text)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Lines) != tt.lines {
				t.Fatalf("%d lines, want %d: %s", len(r.Lines), tt.lines, remJSON(t, r))
			}
			if r.Lines[0].Invoice != tt.first.Invoice {
				t.Errorf("first invoice %q, want %q", r.Lines[0].Invoice, tt.first.Invoice)
			}
			if tt.total != "" && (r.Total == nil || r.Total.StringFixed(2) != tt.total) {
				t.Errorf("total %v, want %s", r.Total, tt.total)
			}
		})
	}
}

func TestParseTextCreditNote(t *testing.T) {
	r, err := ParseText("Payment advice\nDoc type  Invoice  Amount paid\nInvoice  I-1  100.00\nCredit note  C-9  50.00\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Lines) != 2 || r.Lines[1].Paid == nil || r.Lines[1].Paid.String() != "-50" {
		t.Fatalf("credit note line not negative: %s", remJSON(t, r))
	}
}

func TestNotRemittanceText(t *testing.T) {
	for _, s := range []string{"", "Hello,\nsee you at the fair.\n", "Invoice 1 is attached.\n"} {
		if _, err := ParseText(s); errKind(err) != agent.RemitNotRemittance && errKind(err) != agent.RemitNoTextLayer {
			t.Errorf("%q: %v", s, err)
		}
	}
}

// CSV and XLSX remittances go through the same reader: the fixtures
// written as a spreadsheet read back to the same golden JSON.
func TestCSVAndXLSX(t *testing.T) {
	for _, f := range fixtures() {
		t.Run(f.name+"/csv", func(t *testing.T) {
			r, err := native.Parse([]byte(renderCSV(f)), f.name+".csv")
			if err != nil {
				t.Fatal(err)
			}
			checkWant(t, f, r)
			checkGolden(t, f.name, r)
		})
		t.Run(f.name+"/xlsx", func(t *testing.T) {
			r, err := native.Parse(renderXLSX(t, f), f.name+".xlsx")
			if err != nil {
				t.Fatal(err)
			}
			checkWant(t, f, r)
			checkGolden(t, f.name, r)
		})
	}
}

// renderXLSX writes the fixture as a workbook: amounts as numbers with a
// number format, dates as date-formatted serials, like an accounts payable
// export.
func renderXLSX(t testing.TB, f fixture) []byte {
	t.Helper()
	x := excelize.NewFile()
	sh := "Sheet1"
	row := 1
	put := func(vals ...any) {
		for i, v := range vals {
			cell, _ := excelize.CoordinatesToCellName(i+1, row)
			x.SetCellValue(sh, cell, v)
		}
		row++
	}
	put(f.sender[0])
	put(f.title)
	for _, h := range f.head {
		put(h[0], h[1])
	}
	row++
	hdr := make([]any, len(f.cols))
	for i, c := range f.cols {
		hdr[i] = c
	}
	put(hdr...)
	numStyle, _ := x.NewStyle(&excelize.Style{NumFmt: 4})
	dateStyle, _ := x.NewStyle(&excelize.Style{NumFmt: 14})
	// The fixture's own conventions (decimal mark, date order), learnt
	// from its text the way the reader learns them.
	var all []string
	for _, r := range f.rows {
		all = append(all, strings.Join(r, "   "))
	}
	for _, h := range f.head {
		all = append(all, h[0]+" "+h[1])
	}
	fd := newDoc(linesFromText(f.title+"\n"+strings.Join(all, "\n")), nil)
	for _, r := range f.rows {
		vals := make([]any, len(r))
		for i, c := range r {
			vals[i] = c
			if f.right[i] && c != "" && c != "-" {
				if v, ok := fd.amount(c); ok {
					fv, _ := v.Float64()
					vals[i] = fv
				}
			}
		}
		put(vals...)
		for i := range r {
			cell, _ := excelize.CoordinatesToCellName(i+1, row-1)
			if f.right[i] {
				x.SetCellStyle(sh, cell, cell, numStyle)
			}
		}
		if d, ok := ParseDate(r[1], fd.order); ok {
			cell, _ := excelize.CoordinatesToCellName(2, row-1)
			x.SetCellValue(sh, cell, d.Time(time.UTC))
			x.SetCellStyle(sh, cell, cell, dateStyle)
		}
	}
	last := len(f.cols) - 1
	for !f.right[last] {
		last--
	}
	tot := make([]any, last+1)
	tot[0] = f.total[0]
	tot[last] = f.total[1]
	for i := range tot {
		if tot[i] == nil {
			tot[i] = ""
		}
	}
	put(tot...)
	var b bytes.Buffer
	if err := x.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestLayouts(t *testing.T) {
	dir := t.TempDir()
	yaml := `name: globex
match: ["Globex", "Zahlungsavis"]
payer: Globex Corporation GmbH
currency: EUR
decimal: ","
date_order: dmy
fields:
  payment_date: ["Ausgleichsdatum"]
  payment_reference: ["Avis-Nr"]
columns:
  invoice: ["Ihr Beleg"]
  paid: ["Ausgleich"]
  gross: ["Ursprung"]
skip: ["^Seite \\d+$"]
`
	if err := os.WriteFile(filepath.Join(dir, "globex.yaml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	lays, err := LoadLayouts(dir)
	if err != nil {
		t.Fatal(err)
	}
	doc := `Globex Zahlungsavis
Ausgleichsdatum   02.03.2026
Avis-Nr           77-123
Ihr Beleg     Ursprung     Ausgleich
B-1           1.000,000    1.000,000
B-2             500,000      490,000
Seite 1
`
	generic, _ := ParseText(doc)
	p := &Parser{Layouts: lays}
	r, err := p.ParseText(doc)
	if err != nil {
		t.Fatal(err)
	}
	if r.Payer != "Globex Corporation GmbH" || r.PaymentReference != "77-123" || r.PaymentDate.String() != "2026-03-02" || len(r.Lines) != 2 {
		t.Fatalf("layout reading: %s (source %s)", remJSON(t, r), r.Source)
	}
	if r.Lines[0].Paid.String() != "1000" {
		t.Errorf("decimal comma from the layout: paid %v", r.Lines[0].Paid)
	}
	if generic != nil && len(generic.Lines) == 2 && generic.PaymentReference == "77-123" {
		t.Log("the generic reader also got it; the layout still wins")
	}

	bad := "name: x\nmatch: [a]\ncolumns: {nonsense: [b]}\ndecimal: ';'\nunknown_key: 1\n"
	if err := os.WriteFile(filepath.Join(dir, "bad.yml"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadLayouts(dir); err == nil {
		t.Fatal("a bad layout was accepted")
	}
}

func TestDispatch(t *testing.T) {
	if _, err := native.Parse([]byte{0xD0, 0xCF, 0x11, 0xE0, 1, 2}, "x.xls"); errKind(err) != agent.RemitNotRemittance {
		t.Errorf("xls: %v", err)
	}
	if _, err := native.Parse([]byte("PK\x03\x04garbage"), "x.xlsx"); errKind(err) != agent.RemitNotRemittance {
		t.Errorf("broken xlsx: %v", err)
	}
	// A PDF after junk bytes (a mail gateway's prefix) still reads.
	data := append([]byte("junk\r\n"), renderFPDF(t, fixCH(), false)...)
	if r, err := native.Parse(data, "x.pdf"); err != nil || len(r.Lines) != 3 {
		t.Errorf("prefixed PDF: %v", err)
	}
}

func TestTitleRef(t *testing.T) {
	for in, want := range map[string]string{
		"Zahlungsavis Nr. 2026-00815":         "2026-00815",
		"PAYMENT ADVICE NO. 45012":            "45012",
		"Aviso de pago nº 118":                "118",
		"Payment advice for invoice no. 4711": "",
		"Zahlungsavis vom 14.03.2026":         "",
		"Remittance Advice":                   "",
		"ẞ Zahlungsavis Nr. 77":               "77",
	} {
		if got := titleRef(in); got != want {
			t.Errorf("titleRef(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestComposedRefLabel(t *testing.T) {
	for in, want := range map[string]bool{
		"BACS Reference": true, "SPEI Ref.": true, "Nº de transferencia": true, "Payment #": true,
		"Customer No.": false, "Invoice Number": false, "Account No.": false,
	} {
		if got := fieldLabels[labelKey(in)] == fieldRef || composedRef(labelKey(in)); got != want {
			t.Errorf("%q as a payment reference label: %v, want %v", in, got, want)
		}
	}
}
