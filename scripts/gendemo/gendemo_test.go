package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"
)

var files = []string{"customers.csv", "ledger.csv"}

func TestDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if err := generate(a); err != nil {
		t.Fatal(err)
	}
	if err := generate(b); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		x := read(t, filepath.Join(a, f))
		y := read(t, filepath.Join(b, f))
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs", f)
		}
	}
}

// TestCommittedUpToDate keeps configs/demo from drifting away from the
// generator.
func TestCommittedUpToDate(t *testing.T) {
	dir := t.TempDir()
	if err := generate(dir); err != nil {
		t.Fatal(err)
	}
	committed := filepath.Join("..", "..", "configs", "demo")
	for _, f := range files {
		want := read(t, filepath.Join(dir, f))
		got := read(t, filepath.Join(committed, f))
		if !bytes.Equal(got, want) {
			t.Errorf("configs/demo/%s is stale; run: go run ./scripts/gendemo -out configs/demo", f)
		}
	}
}

// TestShape checks the files are well-formed CSV with the SPEC columns and
// a unique item key per row.
func TestShape(t *testing.T) {
	dir := t.TempDir()
	if err := generate(dir); err != nil {
		t.Fatal(err)
	}
	cust := records(t, filepath.Join(dir, "customers.csv"))
	if len(cust) < 30 {
		t.Errorf("%d customers, want about 40", len(cust)-1)
	}
	ledger := records(t, filepath.Join(dir, "ledger.csv"))
	if len(ledger) < 250 {
		t.Errorf("%d ledger rows, want about 300", len(ledger)-1)
	}
	seen := map[[3]string]bool{}
	for i, r := range ledger[1:] {
		k := [3]string{r[0], r[2], r[3]}
		if seen[k] {
			t.Errorf("line %d: duplicate key %v", i+2, k)
		}
		seen[k] = true
	}
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func records(t *testing.T, path string) [][]string {
	t.Helper()
	rs, err := csv.NewReader(bytes.NewReader(read(t, path))).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rs
}
