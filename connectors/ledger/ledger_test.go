package ledger

import (
	"cmp"
	"errors"
	"fmt"
	"math/rand"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/dunnerhq/dunner/agent"
)

// problems returns err's problem lines, failing the test when err is not
// an *agent.InputError.
func problems(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var ie *agent.InputError
	if !errors.As(err, &ie) {
		t.Fatalf("error is %T, want *agent.InputError: %v", err, err)
	}
	return strings.Split(ie.Error(), "\n")
}

func sameLines(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n got: %s\nwant: %s", strings.Join(got, "\n      "), strings.Join(want, "\n      "))
	}
}

const hdr = "customer_id,invoice,doc_type,due_date,currency,open_amount\n"

func TestReadLedgerCSVProblems(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		empty bool // allowEmpty
		want  []string
	}{
		{
			name: "empty file",
			in:   "",
			want: []string{"l.csv: empty file: expected a header row"},
		},
		{
			name: "blank lines only",
			in:   "\n \r\n\n",
			want: []string{"l.csv: empty file: expected a header row"},
		},
		{
			name: "header only",
			in:   hdr + "\n\n",
			want: []string{`l.csv:1: no items: importing an empty ledger would close every open item of entity "default"; allow empty imports to do that on purpose`},
		},
		{
			name:  "header only allowed",
			in:    hdr,
			empty: true,
		},
		{
			name: "missing required columns",
			in:   "Customer_ID,invoice,currency\nC1,I1,EUR\n",
			want: []string{
				"l.csv:1: due_date: required column missing (header has: Customer_ID,invoice,currency)",
				"l.csv:1: open_amount: required column missing (header has: Customer_ID,invoice,currency)",
			},
		},
		{
			name: "duplicate column",
			in:   "customer_id,invoice,due_date,currency,open_amount,Invoice\nC1,I1,2026-01-01,EUR,1,I2\n",
			want: []string{"l.csv:1: Invoice: column appears twice (columns 2 and 6)"},
		},
		{
			name: "bad values, every one reported",
			in: hdr +
				"C1,I1,,31.01.2026,EUR,10.00\n" +
				"C1,I2,,2026-02-30,EURO,10.00\n" +
				"C1,I3,,2026-01-31,E1R,1.2.3\n" +
				"C1,I4,bill,2026-01-31,EUR,abc\n" +
				",,,,,\n" +
				"C1,,invoice,,,\n",
			want: []string{
				`l.csv:2: due_date: not an ISO date (YYYY-MM-DD): "31.01.2026"`,
				`l.csv:3: due_date: not an ISO date (YYYY-MM-DD): "2026-02-30"`,
				`l.csv:3: currency: not an ISO 4217 currency code (three letters): "EURO"`,
				`l.csv:4: currency: not an ISO 4217 currency code (three letters): "E1R"`,
				`l.csv:4: open_amount: not an amount: "1.2.3"`,
				`l.csv:5: doc_type: unknown document type "bill" (want invoice, credit_note or payment)`,
				`l.csv:5: open_amount: not an amount: "abc"`,
				`l.csv:7: invoice: missing: every item needs one`,
				`l.csv:7: due_date: missing: every item needs one`,
				`l.csv:7: currency: missing: every item needs one`,
				`l.csv:7: open_amount: missing: every item needs one`,
			},
		},
		{
			name: "decimal comma in a comma file",
			in:   hdr + "C1,I1,,2026-01-31,EUR,\"1,5\"\n",
			want: []string{`l.csv:2: open_amount: not an amount: "1,5" (a comma-separated file writes the decimal point as a dot)`},
		},
		{
			name: "ambiguous amount in a semicolon file",
			in:   strings.ReplaceAll(hdr, ",", ";") + "C1;I1;;2026-01-31;EUR;1.234\nC1;I2;;2026-01-31;EUR;1.234,00\n",
			want: []string{`l.csv:2: open_amount: ambiguous amount "1.234": the dot may group thousands or mark decimals; write 1234 or 1,234`},
		},
		{
			name: "misplaced thousands separators",
			in:   strings.ReplaceAll(hdr, ",", ";") + "C1;I1;;2026-01-31;EUR;12.34,00\n",
			want: []string{`l.csv:2: open_amount: not an amount: "12.34,00" (thousands separators misplaced)`},
		},
		{
			name: "positive credit",
			in:   hdr + "C1,CN1,credit_note,2026-01-31,EUR,5.00\nC1,P1,payment,2026-01-31,EUR,-5.00\n",
			want: []string{`l.csv:2: open_amount: credit_note 5.00 is positive; credit notes and unapplied payments are negative`},
		},
		{
			name: "duplicate key names both lines",
			in: hdr +
				"C1,I1,,2026-01-31,EUR,1\n" +
				"C1,I1,credit_note,2026-01-31,EUR,-1\n" + // another doc type: another key
				"C2,I1,,2026-01-31,EUR,1\n" +
				"C1,I1,invoice,2026-02-28,EUR,2\n" +
				"C1,I1,,2026-03-31,EUR,3\n",
			want: []string{
				`l.csv:5: invoice: duplicate item: customer C1, invoice I1 is on lines 2 and 5`,
				`l.csv:6: invoice: duplicate item: customer C1, invoice I1 is on lines 2 and 6`,
			},
		},
		{
			name: "duplicates reported along with other problems",
			in:   hdr + "C1,I1,,2026-01-31,EUR,1\nC1,I2,,2026-01-31,EUR,x\nC1,I1,,2026-01-31,EUR,1\n",
			want: []string{
				`l.csv:3: open_amount: not an amount: "x"`,
				`l.csv:4: invoice: duplicate item: customer C1, invoice I1 is on lines 2 and 4`,
			},
		},
		{
			name: "lines count quoted line breaks",
			in: "customer_id,invoice,note,due_date,currency,open_amount\n" +
				"C1,I1,\"two\nlines\",2026-01-31,EUR,1\n" +
				"C1,I2,\"three\nmore\nlines\",\"2026-13-01\",EUR,1\n" +
				"C1,I3,,2026-01-31,EUR,?\n",
			want: []string{
				`l.csv:6: due_date: not an ISO date (YYYY-MM-DD): "2026-13-01"`,
				`l.csv:7: open_amount: not an amount: "?"`,
			},
		},
		{
			name: "field count",
			in:   hdr + "C1,I1,,2026-01-31,EUR,1,,\nC1,I2,,2026-01-31,EUR,1,5\nC1,I3,,2026-01-31\n",
			want: []string{
				`l.csv:3: 7 fields but the header has 6 (a value holding "," must be quoted)`,
				`l.csv:4: 4 fields but the header has 6 (a value holding "," must be quoted)`,
			},
		},
		{
			name: "stray quote",
			in:   hdr + "C1,I\"1,,2026-01-31,EUR,1\nC1,I2,,2026-01-31,EUR,x\n",
			want: []string{
				`l.csv:2: a " inside an unquoted value (quote the whole value and double the inner quote)`,
				`l.csv:3: open_amount: not an amount: "x"`,
			},
		},
		{
			name: "unclosed quote",
			in:   hdr + "C1,\"I1,,2026-01-31,EUR,1\nC1,I2,,2026-01-31,EUR,1\n",
			want: []string{`l.csv:2: a quoted value is not closed: it runs from here to line 3`},
		},
		{
			name: "value without a header",
			in:   "customer_id,invoice,due_date,currency,open_amount,\nC1,I1,2026-01-31,EUR,1,\nC1,I2,2026-01-31,EUR,1,oops\n",
			want: []string{`l.csv:3: column 6: a value in a column without a header: "oops"`},
		},
		{
			name: "Excel's sep= line counts as a line",
			in:   "sep=;\r\ncustomer_id;invoice;due_date;currency;open_amount\r\nC1;I1;2026-01-31;EUR;x\r\n",
			want: []string{`l.csv:3: open_amount: not an amount: "x"`},
		},
		{
			name: "unknown format",
			in:   hdr,
			want: []string{`l.csv: unknown ledger format "xlsx" (want csv, sap-fbl5n or json)`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			format := "csv"
			if tt.name == "unknown format" {
				format = "xlsx"
			}
			items, err := ReadLedger(strings.NewReader(tt.in), "l.csv", format, "default", tt.empty)
			sortByLine(items) // ReadLedger returns key order; these tests read by line
			sameLines(t, problems(t, err), tt.want)
			if err != nil && items != nil {
				t.Errorf("items returned along with an error")
			}
		})
	}
}

func TestReadLedgerCSVValues(t *testing.T) {
	in := "\ufeff Customer ID ; INVOICE ;Doc-Type;due_date;currency;open_amount;amount;PO_Number;Dunning_Block;Cost Center\r\n" +
		"C1; I1 ;Credit Note;2026-01-31;chf;-1.234,50;;;;\r\n" +
		"C1;I2;;2026-01-31;CHF;7;7,00;PO-1; legal ;K-7\r\n" +
		";;;;;;;;;\r\n"
	items, err := ReadLedger(strings.NewReader(in), "v.csv", "", "e1", false)
	sortByLine(items) // ReadLedger returns key order; these tests read by line
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 {
		t.Fatalf("%d items, want 2", len(items))
	}
	a, b := items[0], items[1]
	if a.Entity != "e1" || a.CustomerID != "C1" || a.Invoice != "I1" || a.DocType != agent.DocCreditNote ||
		a.Currency != "CHF" || a.OpenAmount.String() != "-1234.5" || a.Amount != nil || a.Line != 2 ||
		a.DueDate != agent.MustDate("2026-01-31") || a.Extra != nil {
		t.Errorf("first item: %+v", a)
	}
	if b.DocType != agent.DocInvoice || b.Amount == nil || b.Amount.String() != "7" || b.PONumber != "PO-1" ||
		b.DunningBlock != "legal" || b.Extra["cost center"] != "K-7" || b.Line != 3 {
		t.Errorf("second item: %+v", b)
	}
}

func TestReadLedgerJSON(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		empty bool
		want  []string
		n     int
	}{
		{name: "empty array refused", in: "[]", want: []string{
			`j.json:1: no items: importing an empty ledger would close every open item of entity "default"; allow empty imports to do that on purpose`}},
		{name: "empty array allowed", in: " [ ]\n", empty: true},
		{name: "empty file", in: "  \n", want: []string{"j.json: empty file: expected a JSON array of items"}},
		{name: "not an array", in: "\n{\"customer_id\": \"C1\"}", want: []string{"j.json:2: a JSON ledger is an array of item objects"}},
		{name: "syntax error", in: "[\n {\"customer_id\": \"C1\",\n  \"invoice\": \"I1\" \"x\"}\n]", want: []string{
			`j.json:3: not valid JSON: invalid character '"' after object key:value pair`}},
		{name: "truncated", in: "[\n {\"customer_id\": \"C1\",\n", want: []string{"j.json:3: the JSON ends too early"}},
		{
			name: "bad values with their lines",
			in: `[
  {"customer_id": "C1", "invoice": "I1", "due_date": "2026-01-31", "currency": "EUR", "open_amount": "1,234.56"},
  {"customer_id": "C1", "invoice": "I2", "due_date": "2026-01-31", "currency": "EUR",
   "open_amount": "5", "dunning_block": true},
  {"customer_id": "C1", "invoice": "I3", "due_date": "31/01/2026",
   "currency": "EUR", "open_amount": "5", "Invoice": "x"},
  {"customer_id": "C1", "invoice": "I4", "currency": "EUR"},
  "R-5",
  {"customer_id": "C1", "invoice": "I1", "due_date": "2026-01-31", "currency": "EUR", "open_amount": 1.5},
  {"customer_id": "C1", "invoice": "I1", "due_date": "2026-01-31", "currency": "EUR", "open_amount": 2.5}
]`,
			want: []string{
				`j.json:2: open_amount: not a plain decimal number (digits and one dot): "1,234.56"`,
				`j.json:4: dunning_block: want a string, got true`,
				`j.json:6: Invoice: key appears twice in one item`,
				`j.json:7: due_date: missing: every item needs one`,
				`j.json:7: open_amount: missing: every item needs one`,
				`j.json:8: item 5 is not an object`,
				`j.json:10: invoice: duplicate item: customer C1, invoice I1 is on lines 9 and 10`,
			},
		},
		{
			name: "numbers never through float",
			in:   `[{"customer_id": 7, "invoice": 12, "due_date": "2026-01-31", "currency": "JPY", "open_amount": 12345678901234567.89}]`,
			n:    1,
		},
		{name: "trailing data", in: "[]\n[]", empty: true, want: []string{"j.json:2: unexpected data after the array"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := ReadLedger(strings.NewReader(tt.in), "j.json", "json", "default", tt.empty)
			sortByLine(items) // ReadLedger returns key order; these tests read by line
			sameLines(t, problems(t, err), tt.want)
			if len(items) != tt.n {
				t.Errorf("%d items, want %d", len(items), tt.n)
			}
			if tt.n == 1 && items[0].OpenAmount.String() != "12345678901234567.89" {
				t.Errorf("open_amount %s", items[0].OpenAmount)
			}
		})
	}
}

func TestDetectFormat(t *testing.T) {
	tests := []struct{ name, text, want string }{
		{"x.json", "[]", "json"},
		{"x.txt", "  \n[{}]", "json"},
		{"x.json", "", "json"},
		{"x.csv", "customer_id;invoice\n", "csv"},
		{"x.dat", "a,b,c\n", "csv"},
		{"x.txt", "|St|Konto|Belegnr|Nettofälligkeit|Betrag in HW|HWähr|\n", "sap-fbl5n"},
		{"x.xls", "Title\n\n\tAccount\tDocumentNo\tNet due dt\tAmount in DC\tCurr.\n", "sap-fbl5n"},
		{"x.csv", "Konto;Referenz;Nettofälligkeit;Betrag in BW;Währung\n", "sap-fbl5n"},
	}
	for _, tt := range tests {
		if got := detectFormat(tt.name, []byte(tt.text)); got != tt.want {
			t.Errorf("detectFormat(%q, %q) = %s, want %s", tt.name, tt.text, got, tt.want)
		}
	}
}

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in    string
		st    numStyle
		want  string // "" for an error
		ambig bool
	}{
		{"1234.56", styleDot, "1234.56", false},
		{"1,234.56", styleDot, "1234.56", false},
		{"-1,234,567.5", styleDot, "-1234567.5", false},
		{"1,234", styleDot, "1234", false},
		{"+7", styleDot, "7", false},
		{"1,5", styleDot, "", false},
		{"1.234.567", styleDot, "", false},
		{"1.234,56", styleDot, "1234.56", false},
		{"1,23.4", styleDot, "", false},
		{"1.234,56", styleComma, "1234.56", false},
		{"-150,00", styleComma, "-150", false},
		{"0,5", styleComma, "0.5", false},
		{"1,234", styleComma, "1.234", false},
		{"1.234.567", styleComma, "1234567", false},
		{"1.234.567,891", styleComma, "1234567.891", false},
		{"1234.56", styleComma, "1234.56", false},
		{"0.123", styleComma, "0.123", false},
		{"1.234", styleComma, "", true},
		{"123.456", styleComma, "", true},
		{"1,234,567", styleComma, "1234567", false},
		{"12.34,5", styleComma, "", false},
		{"1.234", stylePlain, "1.234", false},
		{"1,234", stylePlain, "", false},
		{"-0.00", stylePlain, "0", false},
		{"123456789012345678901234.5", stylePlain, "123456789012345678901234.5", false},
		{"", stylePlain, "", false},
		{"-", stylePlain, "", false},
		{".5", stylePlain, "", false},
		{"5.", stylePlain, "", false},
		{"1 234", styleComma, "", false},
		{"150-", styleComma, "", false},
		{"€5", styleComma, "", false},
		{"1e3", stylePlain, "", false},
	}
	for _, tt := range tests {
		d, err := parseAmount(tt.in, tt.st)
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("parseAmount(%q, %d) = %s, want an error", tt.in, tt.st, d)
		case tt.want != "" && err != nil:
			t.Errorf("parseAmount(%q, %d): %v", tt.in, tt.st, err)
		case tt.want != "" && d.String() != tt.want:
			t.Errorf("parseAmount(%q, %d) = %s, want %s", tt.in, tt.st, d, tt.want)
		case errors.Is(err, errAmbiguous) != tt.ambig:
			t.Errorf("parseAmount(%q, %d): %v, ambiguous want %v", tt.in, tt.st, err, tt.ambig)
		}
	}
}

func TestDecodeText(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"utf8", []byte("Müller"), "Müller"},
		{"utf8 bom", []byte("\xef\xbb\xbfPeña"), "Peña"},
		{"utf16le bom", []byte("\xff\xfeM\x00\xfc\x00\n\x00"), "Mü\n"},
		{"utf16be bom", []byte("\xfe\xff\x00M\x00\xfc"), "Mü"},
		{"utf16le surrogate pair", []byte("\xff\xfe\x3d\xd8\x9a\xdea\x00"), "🚚a"},
		{"utf16le no bom", []byte("a\x00,\x00b\x00"), "a,b"},
		{"windows-1252", []byte("M\xfcller Pe\xf1a \x80 \x93x\x94"), "Müller Peña € “x”"},
		{"cr only", []byte("a,b\rc,d\r"), "a,b\nc,d\n"},
		{"utf16le cr only", []byte("\xff\xfea\x00\r\x00b\x00"), "a\nb"},
		{"lone cr beside lf is data", []byte("a\rb\nc\r\n"), "a\rb\nc\r\n"},
	}
	for _, tt := range tests {
		if got := string(decodeText(tt.in)); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func sortByLine(items []agent.Item) {
	slices.SortFunc(items, func(a, b agent.Item) int { return cmp.Compare(a.Line, b.Line) })
}

func TestReadLedgerReturnsKeyOrder(t *testing.T) {
	in := "customer_id,invoice,doc_type,due_date,currency,open_amount\n" +
		"C2,A,invoice,2026-01-01,EUR,1\nC1,B,invoice,2026-01-01,EUR,1\nC1,A,payment,2026-01-01,EUR,-1\nC1,A,invoice,2026-01-01,EUR,1\n"
	items, err := ReadLedger(strings.NewReader(in), "k.csv", "csv", "default", false)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range items {
		got = append(got, fmt.Sprintf("%s/%s/%s@%d", it.CustomerID, it.Invoice, it.DocType, it.Line))
	}
	want := []string{"C1/A/invoice@5", "C1/A/payment@4", "C1/B/invoice@3", "C2/A/invoice@2"}
	if !slices.Equal(got, want) {
		t.Errorf("order = %v, want %v", got, want)
	}
}

func TestCheckDuplicatesOrderMatchesStringOrder(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	parts := []string{"", "K", "K0000000", "K00000001", "A\x00", "Ä", "INV-000000", "9"}
	var items []agent.Item
	seen := map[string]bool{}
	for len(items) < 2000 {
		c := parts[rng.Intn(len(parts))] + strconv.Itoa(rng.Intn(30))
		inv := parts[rng.Intn(len(parts))] + strconv.Itoa(rng.Intn(30))
		if seen[c+"/"+inv] {
			continue
		}
		seen[c+"/"+inv] = true
		items = append(items, agent.Item{CustomerID: c, Invoice: inv, DocType: agent.DocInvoice, Line: len(items) + 2})
	}
	errs := &agent.InputError{}
	order := checkDuplicates(items, "x", errs)
	if errs.Err() != nil {
		t.Fatal(errs)
	}
	for i := 1; i < len(order); i++ {
		a, b := items[order[i-1]], items[order[i]]
		if cmp.Or(strings.Compare(a.CustomerID, b.CustomerID), strings.Compare(a.Invoice, b.Invoice)) >= 0 {
			t.Fatalf("out of order: %q/%q before %q/%q", a.CustomerID, a.Invoice, b.CustomerID, b.Invoice)
		}
	}
}

// The integer keys of checkDuplicates must sort as the strings do, also
// for ids longer than the integers, with NUL bytes or equal prefixes.
func TestDuplicateCheckOrder(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	parts := []string{"", "K", "\x00", "INV-0000", "0001", "A", "12345678", "\xff"}
	word := func() string {
		var b strings.Builder
		for n := rng.Intn(4) + 1; n > 0; n-- {
			b.WriteString(parts[rng.Intn(len(parts))])
		}
		return b.String()
	}
	items := make([]agent.Item, 3000)
	for i := range items {
		items[i] = agent.Item{CustomerID: word(), Invoice: word(), DocType: agent.DocInvoice, Line: i}
		if items[i].CustomerID == "" || items[i].Invoice == "" {
			items[i].CustomerID, items[i].Invoice = "K", "I"
		}
	}
	order := checkDuplicates(items, "t.csv", &agent.InputError{})
	for n := 1; n < len(order); n++ {
		a, b := &items[order[n-1]], &items[order[n]]
		if c := cmp.Or(strings.Compare(a.CustomerID, b.CustomerID), strings.Compare(a.Invoice, b.Invoice),
			cmp.Compare(order[n-1], order[n])); c > 0 {
			t.Fatalf("%q/%q sorted before %q/%q", a.CustomerID, a.Invoice, b.CustomerID, b.Invoice)
		}
	}
}

// Amount forms a ledger CSV refuses get a message that says the fix.
func TestAmountProblemsSayTheFix(t *testing.T) {
	in := "customer_id;invoice;doc_type;due_date;currency;open_amount\n" +
		"C1;G-1;credit_note;2026-02-01;EUR;150,00-\n" +
		"C1;G-2;credit_note;2026-02-01;EUR;(150,00)\n" +
		"C1;R-3;invoice;2026-02-01;EUR;€ 12,00\n" +
		"C1;R-4;invoice;2026-02-01;EUR;12,00 EUR\n" +
		"C1;R-5;invoice;2026-02-01;EUR;1 234,56\n" +
		"C1;R-6;invoice;2026-02-01;EUR;5,0x\n"
	_, err := ReadLedger(strings.NewReader(in), "l.csv", "csv", "default", false)
	sameLines(t, problems(t, err), []string{
		`l.csv:2: open_amount: not an amount: "150,00-" (put the minus sign first: -150,00)`,
		`l.csv:3: open_amount: not an amount: "(150,00)" (write a negative amount with a minus sign: -150,00)`,
		`l.csv:4: open_amount: not an amount: "€ 12,00" (digits only; the currency goes in its own column)`,
		`l.csv:5: open_amount: not an amount: "12,00 EUR" (digits only; the currency goes in its own column)`,
		`l.csv:6: open_amount: not an amount: "1 234,56" (no blanks or apostrophes between digits)`,
		`l.csv:7: open_amount: not an amount: "5,0x"`,
	})
}

// A quoted line break moves every later row down; problems name the lines
// an editor shows, the header being line 1.
func TestProblemLinesAfterQuotedLineBreaks(t *testing.T) {
	in := "customer_id,customer_name,invoice,due_date,currency,open_amount\r\n" +
		"C1,\"A\r\nB\r\nC\",R-1,2026-02-01,EUR,1.00\r\n" +
		"C1,X,R-2,2026-13-01,EUR,abc\r\n"
	_, err := ReadLedger(strings.NewReader(in), "l.csv", "csv", "default", false)
	sameLines(t, problems(t, err), []string{
		`l.csv:5: due_date: not an ISO date (YYYY-MM-DD): "2026-13-01"`,
		`l.csv:5: open_amount: not an amount: "abc"`,
	})
}

// In a `;` or tab file "1,500" is 1.5 (§2's decimal comma) unless the
// file's other amounts write the decimal point, as Excel's "Unicode text"
// from an English locale does.
func TestDecimalCommaLearnedFromFile(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string // open amounts by line
	}{
		{"english tab", "customer_id\tinvoice\tdue_date\tcurrency\tamount\topen_amount\n" +
			"C1\tR-1\t2026-02-01\tUSD\t1,234.56\t1,500\nC1\tR-2\t2026-02-01\tUSD\t\t-2,000\n", []string{"1500", "-2000"}},
		{"german semicolon", "customer_id;invoice;due_date;currency;open_amount\n" +
			"C1;R-1;2026-02-01;EUR;1,500\nC1;R-2;2026-02-01;EUR;12,50\n", []string{"1.5", "12.5"}},
		{"no other evidence", "customer_id;invoice;due_date;currency;open_amount\n" +
			"C1;R-1;2026-02-01;EUR;1,500\n", []string{"1.5"}},
		{"both marks shown", "customer_id\tinvoice\tdue_date\tcurrency\topen_amount\n" +
			"C1\tR-1\t2026-02-01\tEUR\t1,500\nC1\tR-2\t2026-02-01\tEUR\t12.50\nC1\tR-3\t2026-02-01\tEUR\t1.234.567\n", []string{"1.5", "12.5", "1234567"}},
	}
	for _, tt := range tests {
		items, err := ReadLedger(strings.NewReader(tt.in), "l.csv", "csv", "default", false)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		sortByLine(items)
		var got []string
		for _, it := range items {
			got = append(got, it.OpenAmount.String())
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s: open amounts %v, want %v", tt.name, got, tt.want)
		}
	}
}
