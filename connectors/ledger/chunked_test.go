package ledger

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// chunkyLedger makes a CSV ledger with what a split could trip on: values
// with quoted line breaks and quotes, blank rows, CRLF, and (with bad) rows
// with bad values, wrong field counts and values without a header.
func chunkyLedger(seed int64, rows int, bad bool) []byte {
	rng := rand.New(rand.NewSource(seed))
	var b bytes.Buffer
	b.WriteString("customer_id,customer_name,invoice,doc_type,due_date,currency,open_amount,note,\r\n")
	for i := 0; i < rows; i++ {
		name := fmt.Sprintf("Customer %d", i%97)
		switch rng.Intn(6) {
		case 0:
			name = fmt.Sprintf("\"Müller \"\"%d\"\"\nGmbH\r\n& Co\"", i)
		case 1:
			name = "\"\n\n\"\"\n\""
		}
		note := ""
		if rng.Intn(4) == 0 {
			note = "\"line one\nline \"\"two\"\"\""
		}
		amount := fmt.Sprintf("%d.%02d", rng.Intn(9000), rng.Intn(100))
		last := ""
		if bad {
			switch rng.Intn(12) {
			case 0:
				amount = "12,5"
			case 1:
				amount = "\"1,234.5\nx\""
			case 2:
				last = "stray"
			case 3:
				b.WriteString("K1,short\n")
			}
		}
		if rng.Intn(10) == 0 {
			b.WriteString(",,,,,,,,\n\n")
		}
		fmt.Fprintf(&b, "K%04d,%s,INV-%06d,invoice,2026-02-%02d,EUR,%s,%s,%s\n", rng.Intn(300), name, i, 1+rng.Intn(28), amount, note, last)
	}
	return b.Bytes()
}

// readBoth reads data in one go and in chunks of a few hundred bytes.
func readBoth(t *testing.T, data []byte) (seq, chunked string) {
	t.Helper()
	defer func(m, p int) { minChunk = m; runtime.GOMAXPROCS(p) }(minChunk, runtime.GOMAXPROCS(maxChunks))
	read := func() string {
		items, err := ReadLedger(bytes.NewReader(data), "l.csv", "csv", "default", false)
		j, jerr := json.Marshal(items)
		if jerr != nil {
			t.Fatal(jerr)
		}
		lines := make([]int, len(items))
		for i := range items {
			lines[i] = items[i].Line
		}
		return fmt.Sprintf("%d items %s\nlines %v\nerr: %v", len(items), j, lines, err)
	}
	minChunk = len(data) + 1
	seq = read()
	minChunk = max(len(data)/maxChunks-7, 1)
	return seq, read()
}

func TestChunkedCSVSameAsSequential(t *testing.T) {
	for seed := int64(1); seed <= 20; seed++ {
		for _, bad := range []bool{false, true} {
			seq, chunked := readBoth(t, chunkyLedger(seed, 400, bad))
			if seq != chunked {
				t.Fatalf("seed %d bad %v: chunked reading differs\nsequential: %.2000s\n   chunked: %.2000s", seed, bad, seq, chunked)
			}
			if bad != strings.Contains(seq, "err: l.csv:") {
				t.Fatalf("seed %d bad %v: %.300s", seed, bad, seq[strings.Index(seq, "err:"):])
			}
		}
	}
}

// A row that cannot be split makes the chunks' count of quotes wrong:
// the problems must still be those of one reader, lines included.
func TestChunkedCSVBrokenQuotes(t *testing.T) {
	good := chunkyLedger(3, 300, false)
	for _, pos := range []int{len(good) / 5, len(good) / 2, len(good) - 40} {
		for _, ins := range []string{`a"b`, `"`, "\"x\ny", `""x`} {
			data := append(append(append([]byte(nil), good[:pos]...), ins...), good[pos:]...)
			seq, chunked := readBoth(t, data)
			if seq != chunked {
				t.Fatalf("insert %q at %d: chunked reading differs\nsequential: %.2000s\n   chunked: %.2000s", ins, pos, seq, chunked)
			}
		}
	}
}

// Rows read piece by piece from the cuts are the rows of the whole text.
func TestSplitRowsAtRowStarts(t *testing.T) {
	data := chunkyLedger(7, 500, false)
	records := func(b []byte) [][]string {
		r := csv.NewReader(bytes.NewReader(b))
		r.FieldsPerRecord = -1
		out, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%v in %.80q", err, b)
		}
		return out
	}
	head := bytes.IndexByte(data, '\n') + 1
	whole := records(data[head:])
	for n := 2; n <= 40; n++ {
		cuts := splitRows(data, head, n)
		if cuts[0] != head || cuts[len(cuts)-1] != len(data) || len(cuts) < 3 {
			t.Fatalf("n=%d: cuts %v", n, cuts)
		}
		var pieces [][]string
		for i := 1; i < len(cuts); i++ {
			if cuts[i] <= cuts[i-1] || data[cuts[i]-1] != '\n' {
				t.Fatalf("n=%d: cuts %v", n, cuts)
			}
			pieces = append(pieces, records(data[cuts[i-1]:cuts[i]])...)
		}
		if !reflect.DeepEqual(pieces, whole) {
			t.Fatalf("n=%d: rows differ", n)
		}
	}
	if !reflect.DeepEqual(splitRows([]byte("h\n\"a\nb\nc\nd\ne\nf\""), 2, 4), []int{2, 15}) {
		t.Fatal("a split inside one quoted value")
	}
}

func TestSortParallelSameAsSort(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	rng := rand.New(rand.NewSource(1))
	type kv struct{ k, i int }
	s := make([]kv, 100_003)
	for i := range s {
		s[i] = kv{rng.Intn(5000), i}
	}
	byKey := func(a, b kv) int { return cmp.Or(cmp.Compare(a.k, b.k), cmp.Compare(a.i, b.i)) }
	want := slices.Clone(s)
	slices.SortFunc(want, byKey)
	sortParallel(s, byKey)
	if !slices.Equal(s, want) {
		t.Fatal("differs from slices.SortFunc")
	}
}

// Keys that share their first 8 or 16 bytes, or differ only in length,
// are told apart or found twice on a ledger large enough for two cores.
func TestDuplicatesLargeLedger(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	var b bytes.Buffer
	b.WriteString(hdr)
	for i := 0; i < 70_000; i++ {
		fmt.Fprintf(&b, "CUSTOMER%d,INV-0000000000%05d,invoice,2026-02-01,EUR,1.00\n", i%7, i)
	}
	b.WriteString("CUSTOMER3,INV-000000000000003,invoice,2026-02-01,EUR,1.00\n")  // same as line 5
	b.WriteString("CUSTOMER3,INV-00000000000003,invoice,2026-02-01,EUR,1.00\n")   // shorter: new
	b.WriteString("CUSTOMER3,INV-0000000000000003,invoice,2026-02-01,EUR,1.00\n") // longer: new
	_, err := ReadLedger(bytes.NewReader(b.Bytes()), "l.csv", "csv", "default", false)
	sameLines(t, problems(t, err), []string{
		"l.csv:70002: invoice: duplicate item: customer CUSTOMER3, invoice INV-000000000000003 is on lines 5 and 70002"})
}

// A tab file's decimal point may show only far below its "1,500": the
// chunks' evidence is joined before any amount is read again.
func TestChunkedTabFileLearnsDecimalPoint(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("customer_id\tinvoice\tdue_date\tcurrency\tamount\topen_amount\n")
	for i := 0; i < 400; i++ {
		fmt.Fprintf(&b, "K%03d\tINV-%06d\t2026-02-01\tUSD\t\t%d,%03d\n", i%50, i, 1+i%9, i%1000)
	}
	b.WriteString("K999\tINV-LAST\t2026-02-01\tUSD\t1,234.56\t12.50\n")
	seq, chunked := readBoth(t, b.Bytes())
	if seq != chunked {
		t.Fatalf("chunked reading differs\nsequential: %.2000s\n   chunked: %.2000s", seq, chunked)
	}
	items, err := ReadLedger(bytes.NewReader(b.Bytes()), "l.txt", "csv", "default", false)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.Invoice == "INV-000001" && it.OpenAmount.String() != "2001" {
			t.Fatalf("1,001 read as %s, want 2001 in a file writing 12.50", it.OpenAmount)
		}
	}
}
