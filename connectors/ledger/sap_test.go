package ledger

import (
	"strings"
	"testing"

	"github.com/dunnerhq/dunner/agent"
)

func readSAPString(t *testing.T, in string) ([]agent.Item, []string) {
	t.Helper()
	items, err := ReadLedger(strings.NewReader(in), "f.txt", "sap-fbl5n", "1000", false)
	sortByLine(items) // ReadLedger returns key order; these tests read by line
	return items, problems(t, err)
}

func TestReadSAPProblems(t *testing.T) {
	const list = "|St|Konto|Belegnr|BA|Nettofälligkeit|Betrag in HW|HWähr|\n"
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "\n\n", []string{"f.txt: empty file: expected an FBL5N export"}},
		{"no header", "Debitoren Einzelposten\n\nnothing here\n", []string{
			"f.txt:1: no FBL5N column header found: expected columns for the document or reference number, the net due date (Nettofälligkeit) and the amount"}},
		{"no currency column", "title\n|Belegnr|Nettofälligkeit|Betrag in HW|\n|1|01.02.2026|5,00|\n", []string{
			"f.txt:2: no currency column (Währung/Currency or Hauswährung/Local currency)"}},
		{"header only", list + "|--|\n", []string{
			`f.txt:1: no items: importing an empty ledger would close every open item of entity "1000"; allow empty imports to do that on purpose`}},
		{"all cleared", "Konto;Belegnr;Nettofälligkeit;Betrag in HW;HWähr;Ausgleichsbeleg\n1;2;01.02.2026;5,00;EUR;123\n",
			[]string{`f.txt:1: no items (1 cleared items skipped): importing an empty ledger would close every open item of entity "1000"; allow empty imports to do that on purpose`}},
		{"header lacks a due date", "Konto;Belegnr;Basisdatum;Betrag in HW;HWähr\n1;2;01.02.2026;5,00;EUR\n",
			[]string{"f.txt:1: the column header has no net due date (Nettofälligkeit/Net due date): Konto;Belegnr;Basisdatum;Betrag in HW;HWähr"}},
		{
			name: "bad values at their physical lines",
			in: "Seite 1\n" + list + "|--|\n" +
				"| |1001|1|RV|31.02.2026|5,00|EUR|\n" +
				"| |1001|2|RV|01.02.2026|5,0x|EURO|\n" +
				"| |1001||RV||5,00|EUR|\n" +
				"| |1001|3|RV|01.02.2026|5,00|EUR|\n\n" +
				"Seite 2\n" + list +
				"| |1001|3|RV|01.02.2026|5,00|EUR|\n" +
				"| |1001|4|RV|01.02.2026|5,00|EUR|9|\n",
			want: []string{
				`f.txt:4: Nettofälligkeit: not a date (DD.MM.YYYY): "31.02.2026"`,
				`f.txt:5: HWähr: not an ISO 4217 currency code (three letters): "EURO"`,
				`f.txt:5: Betrag in HW: not an amount: "5,0x"`,
				`f.txt:6: Belegnr: missing: neither a reference nor a document number`,
				`f.txt:6: Nettofälligkeit: missing: every item needs a net due date`,
				`f.txt:11: invoice: duplicate item: customer 1001, invoice 3 is on lines 7 and 11`,
				`f.txt:12: 8 columns but the header on line 2 has 7`,
			},
		},
		{
			name: "no customer",
			in:   "|St|Belegnr|BA|Nettofälligkeit|Betrag in HW|HWähr|\n| |1|RV|01.02.2026|5,00|EUR|\n|**| | | |5,00|EUR|\n",
			want: []string{"f.txt:2: account: no customer: the row has no account and no customer line stands above it"},
		},
		{
			name: "ambiguous amount with nothing to settle it",
			in:   "\tAccount\tDocumentNo\tNet due dt\tAmount in LC\tLCurr\n\t1\t2\t01.02.2026\t1.000\tEUR\n",
			want: []string{`f.txt:2: Amount in LC: ambiguous amount "1.000": no other amount in the file shows whether "." is the decimal mark`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, got := readSAPString(t, tt.in)
			sameLines(t, got, tt.want)
			if got != nil && items != nil {
				t.Error("items returned along with an error")
			}
		})
	}
}

// TestReadSAPShapes covers what the golden fixtures do not: customer lines
// in the spreadsheet form, the file's number and date conventions, cleared
// markers and header spellings.
func TestReadSAPShapes(t *testing.T) {
	type want struct {
		cust, name, inv, amount, due string
		typ                          agent.DocType
		line                         int
	}
	tests := []struct {
		name string
		in   string
		want []want
	}{
		{
			name: "customer lines in a tab file, name line, account-less layout",
			in: "Kundeneinzelposten\n" +
				"Customer:\t0000001001\n" +
				"Name\tMüller GmbH\n\n" +
				"\tSt\tDocument Number\tReference\tNet Due Date\tAmount in doc. curr.\tDocument currency\n" +
				"\t@5C@\t1800000001\t\t01.02.2026\t1.234,00\tEUR\n" +
				"\t@5B\\QCleared@\t1800000002\t\t01.02.2026\t5,00\tEUR\n" +
				"Kunde  1002  Schäfer AG\n" +
				"\t\t1800000003\tR-3\t02.02.2026\t1.500\tEUR\n" +
				"\t\t1800000004\tR-4\t02.02.2026\t-7,50\tEUR\n",
			want: []want{
				{"0000001001", "Müller GmbH", "1800000001", "1234", "2026-02-01", agent.DocInvoice, 6},
				{"1002", "Schäfer AG", "R-3", "1500", "2026-02-02", agent.DocInvoice, 9},
				{"1002", "Schäfer AG", "R-4", "-7.5", "2026-02-02", agent.DocCreditNote, 10},
			},
		},
		{
			name: "English style settles 1,234; month-first dates; account carried down",
			in: "Account;Reference;Net due dt;Amt in loc.cur.;LCurr;Clearing\n" +
				"A-1;X1;01/31/2026;1,234;USD;\n" +
				";X2;02/01/2026;5.00;USD;\n" +
				"A-1;X3;02/02/2026;1,000,000;USD;02/15/2026\n",
			want: []want{
				{"A-1", "", "X1", "1234", "2026-01-31", agent.DocInvoice, 2},
				{"A-1", "", "X2", "5", "2026-02-01", agent.DocInvoice, 3},
			},
		},
		{
			name: "yen have no decimals; dinars three; ISO dates",
			in: "KONTO|REFERENZ|NETTOFAELLIGKEIT|BETRAG IN BW|WAEHRUNG\n" +
				"|1|Y1|2026-02-01|150.000|JPY|\n" +
				"|1|K1|2026-02-01|1.234|KWD|\n" +
				"|1|K2|2026-02-01|12.345-|JPY|\n",
			want: []want{
				{"1", "", "Y1", "150000", "2026-02-01", agent.DocInvoice, 2},
				{"1", "", "K1", "1.234", "2026-02-01", agent.DocInvoice, 3},
				{"1", "", "K2", "-12345", "2026-02-01", agent.DocCreditNote, 4},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, probs := readSAPString(t, tt.in)
			if probs != nil {
				t.Fatalf("problems: %s", strings.Join(probs, "\n"))
			}
			if len(items) != len(tt.want) {
				t.Fatalf("%d items, want %d: %+v", len(items), len(tt.want), items)
			}
			for i, w := range tt.want {
				it := items[i]
				got := want{it.CustomerID, it.CustomerName, it.Invoice, it.OpenAmount.String(), it.DueDate.String(), it.DocType, it.Line}
				if got != w {
					t.Errorf("item %d:\n got %+v\nwant %+v", i, got, w)
				}
			}
		})
	}
}

func TestSAPAmount(t *testing.T) {
	tests := []struct {
		in      string
		mark    byte
		cur     string
		want    string
		wantErr bool
	}{
		{"1.234,56", 0, "EUR", "1234.56", false},
		{"1,234.56", 0, "EUR", "1234.56", false},
		{"150,00-", 0, "EUR", "-150", false},
		{"-150,00", 0, "EUR", "-150", false},
		{"150.00 -", 0, "EUR", "-150", false},
		{"1 234 567,89", 0, "EUR", "1234567.89", false},
		{"1'234.50", 0, "CHF", "1234.5", false},
		{"1.234.567", 0, "EUR", "1234567", false},
		{"1,5", 0, "EUR", "1.5", false},
		{"1.234", ',', "EUR", "1234", false},
		{"1.234", '.', "EUR", "1.234", false},
		{"1,234", '.', "EUR", "1234", false},
		{"1,234", ',', "EUR", "1.234", false},
		{"1.234", 0, "JPY", "1234", false},
		{"1.234", 0, "KWD", "1.234", false},
		{"1.234", 0, "EUR", "", true},
		{"-150,00-", 0, "EUR", "", true},
		{"1.23.4", 0, "EUR", "", true},
		{"12,34.5", 0, "EUR", "", true},
		{"EUR 5", 0, "EUR", "", true},
	}
	for _, tt := range tests {
		b := sapBuilder{decMark: tt.mark}
		d, err := b.amount(tt.in, tt.cur)
		switch {
		case tt.wantErr && err == nil:
			t.Errorf("amount(%q, %q, %q) = %s, want an error", tt.in, tt.mark, tt.cur, d)
		case !tt.wantErr && err != nil:
			t.Errorf("amount(%q, %q, %q): %v", tt.in, tt.mark, tt.cur, err)
		case !tt.wantErr && d.String() != tt.want:
			t.Errorf("amount(%q, %q, %q) = %s, want %s", tt.in, tt.mark, tt.cur, d, tt.want)
		}
	}
}

func TestSAPDate(t *testing.T) {
	tests := []struct {
		in         string
		monthFirst bool
		want       string
	}{
		{"31.01.2026", false, "2026-01-31"},
		{"1.2.2026", false, "2026-02-01"},
		{"2026-01-31", false, "2026-01-31"},
		{"2026.01.31", false, "2026-01-31"},
		{"2026/01/31", false, "2026-01-31"},
		{"05/01/2026", false, "2026-01-05"},
		{"05/01/2026", true, "2026-05-01"},
		{"05-01-2026", true, "2026-05-01"},
		{"29.02.2024", false, "2024-02-29"},
		{"29.02.2026", false, ""},
		{"00.00.0000", false, ""},
		{"31.01.26", false, ""},
		{"2026-1-31", false, ""},
		{"Jan 31 2026", false, ""},
	}
	for _, tt := range tests {
		b := sapBuilder{monthFirst: tt.monthFirst}
		d, err := b.date(tt.in)
		if got := d.String(); got != tt.want || (err != nil) != (tt.want == "") {
			t.Errorf("date(%q, monthFirst=%v) = %q, %v; want %q", tt.in, tt.monthFirst, got, err, tt.want)
		}
	}
}

func TestClassifyHeader(t *testing.T) {
	tests := []struct {
		h    string
		want role
	}{
		{"Konto", rAccount}, {"Account", rAccount}, {"Customer", rAccount}, {"Kunde", rAccount},
		{"Referenz", rReference}, {"Reference", rReference},
		{"Belegnummer", rDocNo}, {"DocumentNo", rDocNo}, {"Document Number", rDocNo}, {"Belegnr.", rDocNo},
		{"Belegart", rDocType}, {"Document Type", rDocType}, {"Typ", rDocType}, {"BA", rDocType},
		{"Belegdatum", rDocDate}, {"Doc. Date", rDocDate},
		{"Nettofälligkeit", rDueDate}, {"Net due date", rDueDate}, {"Net Due Dt", rDueDate}, {"Nettofälligk.", rDueDate},
		{"Betrag in HW", rAmountLC}, {"Amount in local currency", rAmountLC}, {"Amt in loc.cur.", rAmountLC},
		{"Hauswährung", rCurrencyLC}, {"Local Currency", rCurrencyLC}, {"LCurr", rCurrencyLC}, {"HWähr", rCurrencyLC},
		{"Betrag in BW", rAmountDC}, {"Amount in doc. curr.", rAmountDC}, {"Amount in DC", rAmountDC},
		{"Währung", rCurrencyDC}, {"Document currency", rCurrencyDC}, {"Curr.", rCurrencyDC},
		{"Ausgleichsbeleg", rClearingDoc}, {"Clearing Document", rClearingDoc}, {"Clrng doc.", rClearingDoc},
		{"Ausgl.datum", rClearingDate},
		{"Mahnsperre", rDunningBlock}, {"Dunning block", rDunningBlock}, {"Dunn.block", rDunningBlock},
		{"S", rStatus}, {"Zuordnung", rNone}, {"Assignment", rNone}, {"", rNone}, {"Text", rNone},
	}
	for _, tt := range tests {
		if got := classifyHeader(tt.h); got != tt.want {
			t.Errorf("classifyHeader(%q) = %s, want %s", tt.h, roleNames[got], roleNames[tt.want])
		}
	}
}
