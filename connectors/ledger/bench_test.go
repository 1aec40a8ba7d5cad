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

// sapSpreadsheet makes an n-row FBL5N spreadsheet export (tab, German).
func sapSpreadsheet(n int) []byte {
	var b bytes.Buffer
	b.WriteString("Debitoren Einzelposten\n\n\tSt\tKonto\tReferenz\tBelegnr\tBA\tBelegdatum\tNettofälligkeit\tBetrag in BW\tWährung\tBetrag in HW\tHWähr\tMSp\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "\t@5C@\t%010d\tR-%08d\t18%08d\tRV\t%02d.01.2026\t%02d.02.2026\t%d.%03d,%02d\tEUR\t%d.%03d,%02d\tEUR\t\n",
			i%20000, i, i, i%28+1, i%28+1, i%100+1, i%1000, i%100, i%100+1, i%1000, i%100)
	}
	return b.Bytes()
}

func BenchmarkReadSAP(b *testing.B) {
	data := sapSpreadsheet(100_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		items, err := ReadLedger(bytes.NewReader(data), "bench.xls", "sap-fbl5n", "1000", false)
		if err != nil || len(items) != 100_000 {
			b.Fatalf("%d items, %v", len(items), err)
		}
	}
}
