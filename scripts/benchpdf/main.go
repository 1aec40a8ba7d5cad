// Command benchpdf writes n remittance advice PDFs of 1–5 pages (go-pdf/fpdf)
// for the remittance benchmark.
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand"
	"os"
	"path/filepath"

	"github.com/go-pdf/fpdf"
)

func main() {
	out := flag.String("out", ".", "directory")
	n := flag.Int("n", 200, "documents")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	rng := rand.New(rand.NewSource(7))
	for i := 0; i < *n; i++ {
		pages := 1 + i%5
		lines := pages*38 - 10
		pdf := fpdf.New("P", "mm", "A4", "")
		pdf.SetFont("Helvetica", "", 10)
		tr := pdf.UnicodeTranslatorFromDescriptor("")
		header := func() {
			pdf.SetFont("Helvetica", "B", 10)
			for _, h := range []string{"Invoice no.", "Invoice date", "Gross", "Discount", "Paid"} {
				pdf.CellFormat(36, 6, h, "B", 0, "L", false, 0, "")
			}
			pdf.Ln(7)
			pdf.SetFont("Helvetica", "", 10)
		}
		pdf.AddPage()
		pdf.SetFont("Helvetica", "B", 14)
		pdf.Cell(0, 8, "Remittance advice")
		pdf.Ln(10)
		pdf.SetFont("Helvetica", "", 10)
		for _, kv := range [][2]string{{"Payer:", tr("Müller Maschinenbau GmbH")}, {"Payment date:", "14.03.2026"},
			{"Payment reference:", fmt.Sprintf("ZA-%05d", i)}, {"Currency:", "EUR"}} {
			pdf.Cell(45, 6, kv[0])
			pdf.Cell(0, 6, kv[1])
			pdf.Ln(6)
		}
		pdf.Ln(4)
		header()
		total := 0
		for l := 0; l < lines; l++ {
			if pdf.GetY() > 270 {
				pdf.AddPage()
				header()
			}
			cents := 10000 + rng.Intn(900000)
			disc := cents / 50
			total += cents - disc
			for _, v := range []string{fmt.Sprintf("R-2026-%05d", i*100+l), "31.01.2026", money(cents), money(disc), money(cents - disc)} {
				pdf.CellFormat(36, 6, v, "", 0, "L", false, 0, "")
			}
			pdf.Ln(6)
		}
		pdf.Ln(4)
		pdf.Cell(144, 6, "Total")
		pdf.Cell(36, 6, money(total))
		if err := pdf.OutputFileAndClose(filepath.Join(*out, fmt.Sprintf("advice-%03d.pdf", i))); err != nil {
			log.Fatal(err)
		}
	}
}

// money prints cents German style, 1.234,56.
func money(c int) string {
	s := fmt.Sprintf("%d", c/100)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return fmt.Sprintf("%s,%02d", s, c%100)
}
