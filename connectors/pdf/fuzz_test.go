package pdf

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dunnerhq/dunner/agent"
)

// checkResult is what every reader promises: a remittance with lines and
// amounts, or a RemittanceError of one of SPEC §4's kinds.
func checkResult(t *testing.T, r *agent.Remittance, err error) {
	t.Helper()
	if err != nil {
		var re *agent.RemittanceError
		if !errors.As(err, &re) {
			t.Fatalf("error is %T, not a RemittanceError: %v", err, err)
		}
		switch re.Kind {
		case agent.RemitInvalidPDF, agent.RemitNoTextLayer, agent.RemitEncrypted, agent.RemitNotRemittance:
		default:
			t.Fatalf("unknown error kind %q", re.Kind)
		}
		if r != nil {
			t.Fatal("remittance returned with an error")
		}
		return
	}
	if r == nil || r.Confidence < 0 || r.Confidence > 1 {
		t.Fatalf("bad remittance %+v", r)
	}
	if _, err := r.MarshalJSON(); err != nil {
		t.Fatal(err)
	}
}

// FuzzParsePDF feeds mutated PDFs to the whole parser. The library panics
// on many malformed files; containment must turn every one of them into an
// error, and the fuzzing process must never crash.
func FuzzParsePDF(f *testing.F) {
	for _, fx := range fixtures()[:3] {
		f.Add(renderFPDF(f, fx, false))
	}
	f.Add(renderFPDF(f, fixEnGB(), true))
	f.Add(renderImageOnly(f))
	f.Add(renderLetter(f))
	f.Add([]byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"))
	p := &Parser{Pdftotext: "-", Timeout: 5 * time.Second}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			return
		}
		r, err := p.Parse(data, "f.pdf")
		checkResult(t, r, err)
	})
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"1,234.56", "1.234,56", "1 234,56", "1'234.56", "150,00-", "(150.00)", "€ -1.234,5", "12,34,567.00", "0.5", "1.234.56", "-", "CR"} {
		f.Add(s, uint8(0))
		f.Add(s, uint8(','))
	}
	f.Fuzz(func(t *testing.T, s string, m uint8) {
		mark := decimalMark(0)
		if m == ',' || m == '.' {
			mark = decimalMark(m)
		}
		d, ok := ParseNumber(s, mark)
		if !ok {
			return
		}
		// A number read is made of the digits of the input: never more
		// digits than it has.
		digits := 0
		for _, r := range s {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		if n := len(strings.TrimLeft(strings.ReplaceAll(strings.TrimPrefix(d.Abs().String(), "0."), ".", ""), "0")); n > digits {
			t.Fatalf("%q read as %s: more digits than written", s, d)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-03-14", "14.03.2026", "03/14/2026", "14 de marzo de 2026", "14. März 2026", "March 14, 2026", "14-Mar-26", "Friday, 13 March 2026"} {
		f.Add(s, uint8(0))
		f.Add(s, uint8(2))
	}
	f.Fuzz(func(t *testing.T, s string, o uint8) {
		d, ok := ParseDate(s, dateOrder(o%3))
		if !ok {
			return
		}
		if y := d.Year(); y < 1900 || y > 2200 {
			t.Fatalf("%q read as %s", s, d)
		}
		// What was read reads back the same.
		if d2, ok := ParseDate(d.String(), orderUnknown); !ok || d2 != d {
			t.Fatalf("%q → %s does not read back", s, d)
		}
	})
}

// FuzzTable runs the table reader over arbitrary text: plain layout,
// pipes, tabs, CSV.
func FuzzTable(f *testing.F) {
	f.Add("Payment advice\nInvoice  Date  Amount paid\nINV-1  01/02/2026  100.00\nTotal  100.00\n")
	f.Add("Rechnungsnr.;Datum;Brutto;Skonto;Zahlbetrag\nR-1;31.01.2026;1.000,00;20,00;980,00\n")
	f.Add("| Invoice | Paid |\n|---|---|\n| A-1 | 1,200.00 |\n")
	f.Add("Aviso de pago\nFecha de\n  14 de marzo de 2026\npago:\nNº Factura   Fecha   Importe pagado\nFA/\n   2 114,37 €\n2026/187\n")
	for _, fx := range fixtures() {
		f.Add(renderCSV(fx))
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 1<<16 {
			return
		}
		r, err := ParseText(s)
		checkResult(t, r, err)
		r, err = native.Parse([]byte(s), "f.csv")
		checkResult(t, r, err)
	})
}
