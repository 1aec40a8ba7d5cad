package agent

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func amt(s string) *decimal.Decimal {
	d := decimal.RequireFromString(s)
	return &d
}

func openItem(cust, inv string, typ DocType, open string, issue string) OpenItem {
	name := map[string]string{"C1": "Müller Maschinenbau GmbH", "C2": "Ibérica de Tornillos S.A."}[cust]
	return OpenItem{Item: Item{Entity: "default", CustomerID: cust, CustomerName: name, Invoice: inv, DocType: typ,
		IssueDate: MustDate(issue), DueDate: MustDate(issue).AddDays(30), Currency: "EUR", OpenAmount: decimal.RequireFromString(open)}}
}

func ledger() []OpenItem {
	return []OpenItem{
		openItem("C1", "R-2026-0042", DocInvoice, "1000.00", "2026-03-01"),
		openItem("C1", "R-2026-0043", DocInvoice, "500.00", "2026-02-01"),
		openItem("C1", "R-2026-0044", DocInvoice, "250.00", "2026-02-05"),
		openItem("C1", "INV-0077", DocInvoice, "120.00", "2026-02-10"),
		openItem("C1", "G-7", DocCreditNote, "-80.00", "2026-02-12"),
		openItem("C1", "R-2026-0050", DocInvoice, "333.33", "2026-02-15"),
		openItem("C1", "R-2026-0051", DocInvoice, "444.44", "2026-02-15"),
		openItem("C1", "R-2026-0052", DocInvoice, "555.55", "2026-02-15"),
		openItem("C2", "R-2026-0042", DocInvoice, "1000.00", "2026-03-01"), // same number, other customer
		openItem("C2", "X-1", DocInvoice, "777.00", "2026-02-01"),
	}
}

func TestMatchRemittance(t *testing.T) {
	opts := MatchOptions{CustomerID: "C1", DiscountPercent: decimal.RequireFromString("0.03"), DiscountDays: 14, Tolerance: decimal.RequireFromString("0.01")}
	tests := []struct {
		name    string
		line    RemittanceLine
		opts    *MatchOptions
		invoice string // matched item, "" unmatched
		rule    string
		outcome string
		review  bool
		check   func(t *testing.T, m Match)
	}{
		{name: "exact", line: RemittanceLine{Invoice: "R-2026-0043", Paid: amt("500.00")},
			invoice: "R-2026-0043", rule: RuleExact, outcome: OutcomePaid},
		{name: "normalised case and separators", line: RemittanceLine{Invoice: "r 2026/0043", Paid: amt("500.00")},
			invoice: "R-2026-0043", rule: RuleNormalised, outcome: OutcomePaid},
		{name: "prefix and leading zeros", line: RemittanceLine{Invoice: "Rechnung 2026-43", Paid: amt("500.00")},
			invoice: "R-2026-0043", rule: RuleNormalised, outcome: OutcomePaid},
		{name: "INV prefix stripped", line: RemittanceLine{Invoice: "77", Paid: amt("120.00")},
			invoice: "INV-0077", rule: RuleNormalised, outcome: OutcomePaid},
		{name: "amount assisted", line: RemittanceLine{Invoice: "R-2O26-OO44", Paid: amt("250.00")},
			invoice: "R-2026-0044", rule: RuleAmount, outcome: OutcomePaid, review: false},
		{name: "amount only, no number", line: RemittanceLine{Paid: amt("120.00")},
			invoice: "INV-0077", rule: RuleAmount, outcome: OutcomePaid},
		{name: "printed discount", line: RemittanceLine{Invoice: "R-2026-0042", Gross: amt("1000.00"), Discount: amt("20.00"), Paid: amt("980.00")},
			invoice: "R-2026-0042", rule: RuleExact, outcome: OutcomeDiscount,
			check: func(t *testing.T, m Match) {
				if !m.Discount.Equal(decimal.RequireFromString("20")) || !m.Deduction.IsZero() {
					t.Errorf("discount %s deduction %s", m.Discount, m.Deduction)
				}
			}},
		{name: "inferred discount within terms", line: RemittanceLine{Invoice: "R-2026-0042", Paid: amt("980.00")},
			invoice: "R-2026-0042", rule: RuleExact, outcome: OutcomeDiscount},
		{name: "discount after the period", line: RemittanceLine{Invoice: "R-2026-0043", Paid: amt("490.00")},
			invoice: "R-2026-0043", outcome: OutcomeShortPay, review: true, rule: RuleExact},
		{name: "short pay with reason", line: RemittanceLine{Invoice: "R-2026-0042", Gross: amt("1000.00"), Deduction: amt("100.00"), Paid: amt("900.00"), DeductionReason: "damaged goods"},
			invoice: "R-2026-0042", rule: RuleExact, outcome: OutcomeShortPay, review: true,
			check: func(t *testing.T, m Match) {
				if m.DeductionReason != "damaged goods" || !m.Deduction.Equal(decimal.RequireFromString("100")) {
					t.Errorf("deduction %s %q", m.Deduction, m.DeductionReason)
				}
			}},
		{name: "short pay without reason", line: RemittanceLine{Invoice: "R-2026-0042", Paid: amt("700.00")},
			invoice: "R-2026-0042", rule: RuleExact, outcome: OutcomeShortPay, review: true,
			check: func(t *testing.T, m Match) {
				if m.DeductionReason != "short payment" || !m.Deduction.Equal(decimal.RequireFromString("300")) {
					t.Errorf("deduction %s %q", m.Deduction, m.DeductionReason)
				}
			}},
		{name: "over pay", line: RemittanceLine{Invoice: "R-2026-0044", Paid: amt("260.00")},
			invoice: "R-2026-0044", rule: RuleExact, outcome: OutcomeOverPay, review: true},
		{name: "credit note", line: RemittanceLine{Invoice: "G-7", Paid: amt("-80.00")},
			invoice: "G-7", rule: RuleExact, outcome: OutcomePaid},
		{name: "unmatched", line: RemittanceLine{Invoice: "ZZZ-999", Paid: amt("1.23")},
			rule: RuleUnmatched, outcome: OutcomeNone, review: true},
		{name: "other customer's number not taken", line: RemittanceLine{Invoice: "X-1", Paid: amt("777.00")},
			rule: RuleUnmatched, outcome: OutcomeNone, review: true},
		{name: "payer inferred from the name", line: RemittanceLine{Paid: amt("777.00")}, opts: &MatchOptions{},
			rule: RuleUnmatched, outcome: OutcomeNone, review: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := opts
			if tt.opts != nil {
				o = *tt.opts
			}
			r := &Remittance{Payer: "Müller Maschinenbau GmbH", PaymentDate: MustDate("2026-03-10"), Currency: "EUR", Lines: []RemittanceLine{tt.line}}
			ms := MatchRemittance(r, ledger(), o)
			if len(ms) != 1 {
				t.Fatalf("%d matches: %+v", len(ms), ms)
			}
			m := ms[0]
			got := ""
			if m.Item != nil {
				got = m.Item.Invoice
			}
			if got != tt.invoice || m.Rule != tt.rule || m.Outcome != tt.outcome || m.Review != tt.review {
				t.Fatalf("got item %q rule %s outcome %s review %v (%s); want %q %s %s %v",
					got, m.Rule, m.Outcome, m.Review, m.Note, tt.invoice, tt.rule, tt.outcome, tt.review)
			}
			if m.Item != nil && (m.Confidence <= 0 || m.Confidence > 1 || len(m.Fields) == 0 || m.Note == "") {
				t.Errorf("match does not explain itself: %+v", m)
			}
			if tt.check != nil {
				tt.check(t, m)
			}
		})
	}
}

func TestMatchManyInvoicesOnePayment(t *testing.T) {
	r := &Remittance{Currency: "EUR", Lines: []RemittanceLine{{Invoice: "R-2026-0050, R-2026-0051 / 0052", Paid: amt("1333.32")}}}
	ms := MatchRemittance(r, ledger(), MatchOptions{CustomerID: "C1"})
	if len(ms) != 3 {
		t.Fatalf("%d matches: %+v", len(ms), ms)
	}
	for _, m := range ms {
		if m.Item == nil || m.Outcome != OutcomePaid || !m.Paid.Equal(m.Item.OpenAmount) {
			t.Errorf("%+v", m)
		}
	}
	// A payment reference listing invoices, no lines.
	r = &Remittance{Currency: "EUR", PaymentReference: "RE 2026-0050 2026-0051", Total: amt("777.77")}
	ms = MatchRemittance(r, ledger(), MatchOptions{CustomerID: "C1"})
	if len(ms) != 2 || ms[0].Rule != RuleReference {
		t.Fatalf("reference: %+v", ms)
	}
}

func TestMatchSameNumberTwoCustomers(t *testing.T) {
	// Without a customer, the amount and the other lines pick C1's item.
	r := &Remittance{Currency: "EUR", Lines: []RemittanceLine{
		{Invoice: "R-2026-0042", Paid: amt("1000.00")},
		{Invoice: "R-2026-0043", Paid: amt("500.00")},
	}}
	ms := MatchRemittance(r, ledger(), MatchOptions{})
	for _, m := range ms {
		if m.Item == nil || m.Item.CustomerID != "C1" {
			t.Errorf("%+v", m)
		}
	}
}

// TestMatchOrderIndependent shuffles the lines (and the ledger) and
// requires the same pairs every time, with no item matched twice.
func TestMatchOrderIndependent(t *testing.T) {
	lines := []RemittanceLine{
		{Invoice: "R-2026-0042", Gross: amt("1000"), Discount: amt("20"), Paid: amt("980")},
		{Invoice: "r2026-0043", Paid: amt("500")},
		{Invoice: "2026/43", Paid: amt("500")}, // competes for the same item
		{Invoice: "R-2026-0044", Paid: amt("200"), DeductionReason: "freight"},
		{Invoice: "", Paid: amt("120")},
		{Invoice: "", Paid: amt("120")}, // two identical amount-only lines: neither may be chosen by order
		{Invoice: "G-7", Paid: amt("-80")},
		{Invoice: "R-2026-0050", Paid: amt("333.33")},
		{Invoice: "R-2026-0050", Paid: amt("0.00")}, // the same number twice: added up
		{Invoice: "R-2026-0051 + R-2026-0052", Paid: amt("999.99")},
		{Invoice: "NOPE-1", Paid: amt("5")},
	}
	key := func(r *Remittance, ms []Match) string {
		var out []string
		seen := map[*OpenItem]bool{}
		for _, m := range ms {
			if m.Item != nil {
				if seen[m.Item] {
					t.Fatalf("item %s matched twice", m.Item.Invoice)
				}
				seen[m.Item] = true
			}
			var ls []string
			for _, i := range m.Lines {
				b, _ := json.Marshal(struct {
					I string
					P string
				}{r.Lines[i].Invoice, r.Lines[i].Paid.String()})
				ls = append(ls, string(b))
			}
			sort.Strings(ls)
			it := "-"
			if m.Item != nil {
				it = m.Item.CustomerID + "/" + m.Item.Invoice
			}
			out = append(out, fmt.Sprintf("%s %s %s %s %s %s %s %.3f", strings.Join(ls, ","), it, m.Rule, m.Outcome, m.Paid, m.Discount, m.Deduction, m.Confidence))
		}
		sort.Strings(out)
		return strings.Join(out, "\n")
	}
	base := &Remittance{Currency: "EUR", PaymentDate: MustDate("2026-03-10"), Lines: lines}
	opts := MatchOptions{CustomerID: "C1", DiscountPercent: decimal.RequireFromString("0.03")}
	want := key(base, MatchRemittance(base, ledger(), opts))
	rng := rand.New(rand.NewSource(1))
	for n := 0; n < 300; n++ {
		ls := append([]RemittanceLine(nil), lines...)
		rng.Shuffle(len(ls), func(i, j int) { ls[i], ls[j] = ls[j], ls[i] })
		led := ledger()
		rng.Shuffle(len(led), func(i, j int) { led[i], led[j] = led[j], led[i] })
		r := &Remittance{Currency: "EUR", PaymentDate: MustDate("2026-03-10"), Lines: ls}
		if got := key(r, MatchRemittance(r, led, opts)); got != want {
			t.Fatalf("permutation %d differs:\n%s\nwant:\n%s", n, got, want)
		}
	}
	if !strings.Contains(want, "INV-0077") == strings.Contains(want, "amount") {
		t.Logf("matches:\n%s", want)
	}
}

func TestRemittanceJSON(t *testing.T) {
	r := &Remittance{Payer: "Müller & Co", PaymentDate: MustDate("2026-03-14"), PaymentReference: "ZA-4711", Currency: "EUR", Total: amt("1960"),
		Lines: []RemittanceLine{{Invoice: "R-2026-0042", InvoiceDate: MustDate("2026-01-31"), Gross: amt("1000"), Discount: amt("20"), Paid: amt("980")},
			{Invoice: "G-1", Paid: amt("-20.5")}}}
	// An encoder that leaves "&" alone, as the CLI prints.
	var buf strings.Builder
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		t.Fatal(err)
	}
	b := []byte(strings.TrimSpace(buf.String()))
	want := `{"payer":"Müller & Co","payment_date":"2026-03-14","payment_reference":"ZA-4711","currency":"EUR","total":"1960.00","lines":[{"invoice":"R-2026-0042","invoice_date":"2026-01-31","gross":"1000.00","discount":"20.00","deduction":null,"paid":"980.00"},{"invoice":"G-1","invoice_date":null,"gross":null,"discount":null,"deduction":null,"paid":"-20.50"}]}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	b, _ = json.Marshal(&Remittance{})
	if string(b) != `{"payer":null,"payment_date":null,"payment_reference":null,"currency":null,"total":null,"lines":[]}` {
		t.Errorf("empty: %s", b)
	}
	b, _ = json.Marshal(&RemittanceError{Kind: RemitEncrypted, Message: "needs a password"})
	if string(b) != `{"error":"encrypted","message":"needs a password"}` {
		t.Errorf("error: %s", b)
	}
	b, _ = json.Marshal(&Remittance{Currency: "JPY", Total: amt("1000")})
	if !strings.Contains(string(b), `"total":"1000"`) {
		t.Errorf("JPY: %s", b)
	}
}
