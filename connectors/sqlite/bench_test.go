package sqlite_test

import (
	"context"
	"fmt"
	"math/rand"
	"path/filepath"
	"testing"
	"time"

	"github.com/dunnerhq/dunner/agent"
	"github.com/dunnerhq/dunner/connectors/sqlite"
	"github.com/shopspring/decimal"
)

// benchItems makes n items over n/10 customers in random order, as a
// ledger file lists them.
func benchItems(n int) []agent.Item {
	rng := rand.New(rand.NewSource(1))
	items := make([]agent.Item, n)
	due := agent.MustDate("2026-02-01")
	for i := range items {
		amount := decimal.New(int64(1000+rng.Intn(500000)), -2)
		items[i] = agent.Item{CustomerID: fmt.Sprintf("K%06d", rng.Intn(n/10+1)), Invoice: fmt.Sprintf("INV-%08d", i),
			DocType: agent.DocInvoice, DueDate: due.AddDays(-rng.Intn(120)), Currency: "EUR",
			Amount: &amount, OpenAmount: amount, PONumber: "PO-1"}
	}
	return items
}

// BenchmarkImportLedger measures a fresh import of 100,000 items; the
// full-size comparison with sqlite3 is scripts/bench-ledger.sh.
func BenchmarkImportLedger(b *testing.B) {
	items := benchItems(100_000)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := sqlite.Open(filepath.Join(b.TempDir(), "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		batch := append([]agent.Item(nil), items...)
		b.StartTimer()
		if _, err := s.ImportLedger(context.Background(), "default", batch, time.Now()); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
	}
}

// BenchmarkScanOpenItems measures reading 100,000 items back in customer
// order, the store's part of a plan.
func BenchmarkScanOpenItems(b *testing.B) {
	s, err := sqlite.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.ImportLedger(context.Background(), "default", benchItems(100_000), time.Now()); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
		err := s.ScanOpenItems(context.Background(), "", func(ci *agent.CustomerItems) error {
			n += len(ci.Items)
			return nil
		})
		if err != nil || n != 100_000 {
			b.Fatalf("scanned %d items: %v", n, err)
		}
	}
}
