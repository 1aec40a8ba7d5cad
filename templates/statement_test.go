package templates

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/dunnerhq/dunner/agent"
	lpdf "github.com/ledongthuc/pdf"
	"github.com/shopspring/decimal"
)

// statementFixture is a customer with 120 open items in EUR and USD (enough
// for several pages), one credit note and one unapplied payment, and a
// notice total with fee and interest in EUR. Amounts are built from integer
// cents so the expected sums below are exact.
func statementFixture(lang, customer string) StatementData {
	asOf := agent.MustDate("2026-03-14")
	var items []agent.NoticeItem
	for i := range 120 {
		cur := "EUR"
		if i%4 == 3 {
			cur = "USD"
		}
		due := asOf.AddDays(20 - i)
		items = append(items, agent.NoticeItem{
			Ref:     agent.Ref{Entity: "default", CustomerID: "C1001", Invoice: fmt.Sprintf("R-2026-%04d", i+1)},
			DocType: agent.DocInvoice, IssueDate: due.AddDays(-30), DueDate: due, Currency: cur,
			OpenAmount:  decimal.New(int64(123456+i*1001), -2), // 1234.56, 1244.57, …
			DaysPastDue: asOf.Sub(due),
		})
	}
	return StatementData{
		Company: SampleCompany(), CustomerID: "C1001", CustomerName: customer, Language: lang, AsOf: asOf,
		Items: items,
		Credits: []agent.NoticeItem{
			{Ref: agent.Ref{Invoice: "GS-2026-0007"}, DocType: agent.DocCreditNote,
				IssueDate: agent.MustDate("2026-03-02"), Currency: "EUR", OpenAmount: decimal.RequireFromString("-250.00")},
			{Ref: agent.Ref{Invoice: "ZA-2026-0031"}, DocType: agent.DocPayment,
				IssueDate: agent.MustDate("2026-03-05"), Currency: "USD", OpenAmount: decimal.RequireFromString("-99.90")},
		},
		Totals: []agent.Total{{Currency: "EUR", Overdue: decimal.RequireFromString("1000.00"),
			Fees: decimal.RequireFromString("40.00"), Interest: decimal.RequireFromString("3.21")}},
	}
}

// pdfTexts extracts the text of every page with each extractor available:
// ledongthuc/pdf always, poppler's pdftotext when it is installed. Two
// independent readers agreeing guards against a quirk of either.
func pdfTexts(t *testing.T, b []byte) map[string][]string {
	t.Helper()
	out := map[string][]string{}

	r, err := lpdf.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("ledongthuc/pdf cannot open the statement: %v", err)
	}
	for i := 1; i <= r.NumPage(); i++ {
		s, err := r.Page(i).GetPlainText(nil)
		if err != nil {
			t.Fatalf("ledongthuc/pdf page %d: %v", i, err)
		}
		out["ledongthuc"] = append(out["ledongthuc"], s)
	}

	if bin, err := exec.LookPath("pdftotext"); err == nil {
		for i := 1; i <= r.NumPage(); i++ {
			cmd := exec.Command(bin, "-layout", "-enc", "UTF-8", "-f", fmt.Sprint(i), "-l", fmt.Sprint(i), "-", "-")
			cmd.Stdin = bytes.NewReader(b)
			txt, err := cmd.Output()
			if err != nil {
				t.Fatalf("pdftotext page %d: %v", i, err)
			}
			out["pdftotext"] = append(out["pdftotext"], string(txt))
		}
	} else {
		t.Log("pdftotext not installed; checking with ledongthuc/pdf only")
	}
	return out
}

// squash drops all white space: the extractors differ in how they space
// cells (ledongthuc/pdf emits none between text runs), the characters do not.
func squash(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\u00a0' || r == '\n' || r == '\t' || r == '\f' || r == '\r'
	}), "")
}

func TestStatementText(t *testing.T) {
	tests := []struct {
		lang, customer, title, header, page, credit, payment string
		money                                                []string
	}{
		{"de", "Müller Maschinenbau GmbH", "Kontoauszug", "Tage überfällig", "Seite %d/%d", "Gutschrift", "Zahlung",
			[]string{"1.234,56 €", "-250,00 €", "-99,90 $", "1.043,21 €"}},
		{"es", "Construcciones Peñalara S.A.", "Estado de cuenta", "Días vencida", "Página %d/%d", "Abono", "Pago",
			[]string{"1234,56 €", "-250,00 €", "-99,90 $", "1043,21 €"}},
		{"en", "Müller & Peñalara Trading Ltd", "Statement of account", "Days overdue", "Page %d/%d", "Credit note", "Payment",
			[]string{"€1,234.56", "-€250.00", "-$99.90", "€1,043.21"}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			d := statementFixture(tt.lang, tt.customer)
			b, err := Statement(d)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(b, []byte("%PDF-")) {
				t.Fatalf("not a PDF: %q", b[:min(len(b), 16)])
			}
			for reader, pages := range pdfTexts(t, b) {
				n := len(pages)
				if n < 3 {
					t.Fatalf("%s: %d pages for 120 items, want a multi-page table", reader, n)
				}
				all := squash(strings.Join(pages, "\n"))
				must := append([]string{tt.title, tt.customer, "€", "$", "Northwind Supply S.L.", "Alcalá",
					FormatDate(d.AsOf, tt.lang), tt.credit, tt.payment, "GS-2026-0007", "ZA-2026-0031"}, tt.money...)
				for _, s := range must {
					if !strings.Contains(all, squash(s)) {
						t.Errorf("%s: text lacks %q", reader, s)
					}
				}
				// Every item survives the page breaks, exactly once.
				for _, it := range d.Items {
					if c := strings.Count(all, it.Ref.Invoice); c != 1 {
						t.Errorf("%s: invoice %s appears %d times", reader, it.Ref.Invoice, c)
					}
				}
				for i, p := range pages {
					p := squash(p)
					if want := squash(fmt.Sprintf(tt.page, i+1, n)); !strings.Contains(p, want) {
						t.Errorf("%s: page %d lacks footer %q", reader, i+1, want)
					}
					// The table header is repeated on every page the table runs on.
					if i < n-1 && !strings.Contains(p, squash(tt.header)) {
						t.Errorf("%s: page %d lacks the table header %q", reader, i+1, tt.header)
					}
				}
				if reader == "pdftotext" {
					// Layout mode keeps words apart, so the accents can be checked
					// in their words, not just as characters somewhere.
					for _, w := range strings.Fields(tt.customer) {
						if !strings.Contains(strings.Join(pages, "\n"), w) {
							t.Errorf("pdftotext: %q lost from the customer name", w)
						}
					}
				}
			}
		})
	}
}

// TestStatementTotals checks the per-currency sums, computed here in integer
// cents independently of the decimal code under test.
func TestStatementTotals(t *testing.T) {
	d := statementFixture("en", "Müller Maschinenbau GmbH")
	var cents = map[string]int64{}
	var overdueUSD int64
	for i, it := range d.Items {
		c := int64(123456 + i*1001)
		cents[it.Currency] += c
		if it.Currency == "USD" && it.DaysPastDue > 0 {
			overdueUSD += c
		}
	}
	money := func(c int64, cur string) string { return FormatMoney(decimal.New(c, -2), cur, "en") }
	b, err := Statement(d)
	if err != nil {
		t.Fatal(err)
	}
	pages := pdfTexts(t, b)["ledongthuc"]
	last := squash(pages[len(pages)-1])
	for _, want := range []string{
		"Openitems" + money(cents["EUR"], "EUR"),
		"Credits" + money(-25000, "EUR"),
		"Balance" + money(cents["EUR"]-25000, "EUR"),
		"thereofoverdue€1,000.00", // the notice's figure, not the items'
		"Fees€40.00", "Interest€3.21", "Amountnowdue€1,043.21",
		"Openitems" + money(cents["USD"], "USD"),
		"Balance" + money(cents["USD"]-9990, "USD"),
		"thereofoverdue" + money(overdueUSD, "USD"),
	} {
		if !strings.Contains(last, squash(want)) {
			t.Errorf("totals lack %q", want)
		}
	}
	// USD has no notice line with fees, so no "now due" line for it.
	if c := strings.Count(last, "Amountnowdue"); c != 1 {
		t.Errorf("%d 'Amount now due' lines, want 1 (EUR only)", c)
	}
}

// TestStatementDeterministic pins the bytes: the document dates come from
// the as-of date, so a re-render (say, for a retried send) is identical.
// When the layout changes on purpose, replace the hash with the one the
// failure prints, after looking at the PDF.
func TestStatementDeterministic(t *testing.T) {
	const wantSHA256 = "a9c513508fedaedff131f277f08db79b9fe1e4b0ae3dcc8de12f31777df1525c"
	d := statementFixture("de", "Müller Maschinenbau GmbH")
	a, err := Statement(d)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Statement(d)
	if !bytes.Equal(a, b) {
		t.Fatal("two renders of the same data differ")
	}
	// Sanity bounds: four compressed pages of Helvetica text.
	if len(a) < 5_000 || len(a) > 60_000 {
		t.Errorf("statement is %d bytes, want 5–60 KB", len(a))
	}
	sum := sha256.Sum256(a)
	if got := hex.EncodeToString(sum[:]); got != wantSHA256 {
		t.Errorf("statement sha256 = %s (%d bytes), want %s", got, len(a), wantSHA256)
	}
	if !bytes.Contains(a, []byte("/CreationDate (D:20260314000000)")) {
		t.Error("creation date is not the as-of date")
	}
}

func TestStatementEdgeCases(t *testing.T) {
	asOf := agent.MustDate("2026-03-14")
	t.Run("as-of date required", func(t *testing.T) {
		if _, err := Statement(StatementData{CustomerID: "C1"}); err == nil {
			t.Fatal("no error without an as-of date")
		}
	})
	t.Run("empty account in an unknown language", func(t *testing.T) {
		b, err := Statement(StatementData{Company: Company{Name: "Northwind"}, CustomerID: "C9", Language: "fr", AsOf: asOf})
		if err != nil {
			t.Fatal(err)
		}
		all := squash(strings.Join(pdfTexts(t, b)["ledongthuc"], ""))
		for _, s := range []string{"Statement of account", "No open items.", "C9", "Page 1/1"} {
			if !strings.Contains(all, squash(s)) {
				t.Errorf("text lacks %q", s)
			}
		}
	})
	t.Run("hostile and foreign text", func(t *testing.T) {
		d := StatementData{
			Company: Company{Name: "Northwind"}, CustomerID: "C2", Language: "de", AsOf: asOf,
			CustomerName: "Łódź Trading\nSp. z o.o.",
			Items: []agent.NoticeItem{{Ref: agent.Ref{Invoice: "INV-" + strings.Repeat("9", 60)}, DocType: agent.DocInvoice,
				DueDate: asOf.AddDays(-5), DaysPastDue: 5, Currency: "CHF", OpenAmount: decimal.RequireFromString("10.00")}},
			// A credit with the wrong sign is still shown as a credit.
			Credits: []agent.NoticeItem{{Ref: agent.Ref{Invoice: "GS-1"}, DocType: agent.DocCreditNote,
				IssueDate: asOf, Currency: "CHF", OpenAmount: decimal.RequireFromString("5.00")}},
		}
		b, err := Statement(d)
		if err != nil {
			t.Fatal(err)
		}
		all := squash(strings.Join(pdfTexts(t, b)["ledongthuc"], ""))
		// Ł has no cp1252 form and no accent to drop; ź keeps its base letter.
		for _, s := range []string{"?ódz Trading Sp. z o.o.", "-5,00 CHF", "Saldo5,00 CHF", "INV-999", "…"} {
			if !strings.Contains(all, squash(s)) {
				t.Errorf("text lacks %q", s)
			}
		}
		if strings.Contains(all, strings.Repeat("9", 60)) {
			t.Error("an over-long invoice number was not cut to its column")
		}
	})
}
