package ledger

import (
	"bytes"
	"fmt"
	"testing"
)

// ledgerCSV makes an n-row ledger shaped like a real export.
func ledgerCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("customer_id,customer_name,invoice,doc_type,issue_date,due_date,currency,amount,open_amount,po_number,dunning_block,region\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "C%05d,Customer %d GmbH,INV-%08d,invoice,2026-01-%02d,2026-02-%02d,EUR,%d.%02d,%d.%02d,PO-%d,,EU\n",
			i%20000, i%20000, i, i%28+1, i%28+1, i%100000, i%100, i%50000, i%100, i)
	}
	return b.Bytes()
}

func BenchmarkReadLedgerCSV(b *testing.B) {
	data := ledgerCSV(100_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		items, err := ReadLedger(bytes.NewReader(data), "bench.csv", "csv", "default", false)
		if err != nil || len(items) != 100_000 {
			b.Fatalf("%d items, %v", len(items), err)
		}
	}
}
