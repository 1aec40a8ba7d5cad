package main

import (
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkDryRunPlan measures `dunner run --dry-run --json` over 100,000
// items of 10,000 customers, end to end through the CLI.
func BenchmarkDryRunPlan(b *testing.B) {
	dir := b.TempDir()
	h := &harness{dir: dir, env: map[string]string{
		"DUNNER_DATABASE": "sqlite:" + filepath.Join(dir, "bench.db"), "DUNNER_OUTBOX_DIR": filepath.Join(dir, "outbox")}}
	h.config = filepath.Join(dir, "dunner.yaml")
	if err := os.WriteFile(h.config, []byte(replayConfig), 0o644); err != nil {
		b.Fatal(err)
	}
	var cust, led strings.Builder
	cust.WriteString("customer_id,language,timezone,contacts\n")
	for c := 0; c < 10_000; c++ {
		fmt.Fprintf(&cust, "K%05d,%s,Europe/Madrid,billing:ap@k%d.example\n", c, []string{"en", "es", "de"}[c%3], c)
	}
	rng := rand.New(rand.NewSource(1))
	led.WriteString("customer_id,invoice,due_date,currency,open_amount\n")
	for i := 0; i < 100_000; i++ {
		fmt.Fprintf(&led, "K%05d,INV-%07d,2026-%02d-%02d,EUR,%d.%02d\n", rng.Intn(10_000), i, 1+rng.Intn(3), 1+rng.Intn(28),
			10+rng.Intn(5000), rng.Intn(100))
	}
	for name, body := range map[string]string{"customers.csv": cust.String(), "ledger.csv": led.String()} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	for _, args := range [][]string{{"import", "customers", filepath.Join(dir, "customers.csv")},
		{"import", "ledger", filepath.Join(dir, "ledger.csv")}} {
		if code, _, errs := h.runB(args...); code != 0 {
			b.Fatal(errs)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if code, _, errs := h.runB("run", "--dry-run", "--json", "--as-of", "2026-03-02"); code != 0 {
			b.Fatal(errs)
		}
	}
}

func (h *harness) runB(args ...string) (int, string, string) {
	var errb strings.Builder
	args = append([]string{"--config", h.config}, args...)
	code := Main(t0ctx(), args, Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &errb,
		Clock: testClock, Getenv: func(k string) string { return h.env[k] }})
	return code, "", errb.String()
}
