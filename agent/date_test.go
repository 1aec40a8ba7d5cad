package agent

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestDateISOMatchesTime(t *testing.T) {
	// Every day from 1600 to 2400 through the fast path and time.Time.
	start := NewDate(1600, 1, 1)
	end := NewDate(2400, 12, 31)
	for d := start; d <= end; d++ {
		if got, want := d.String(), d.Time(time.UTC).Format(time.DateOnly); got != want {
			t.Fatalf("day %d: %s, want %s", d, got, want)
		}
		if back, err := ParseDate(d.String()); err != nil || back != d {
			t.Fatalf("ParseDate(%s) = %d, %v; want %d", d, back, err, d)
		}
	}
	if d, _ := ParseDate("2026-02-28"); d.AddDays(1).String() != "2026-03-01" {
		t.Error("AddDays across February")
	}
	if MustDate("2026-03-01").Sub(MustDate("2025-03-01")) != 365 {
		t.Error("Sub over a year")
	}
}

func TestDecimalText(t *testing.T) {
	for _, s := range []string{"0", "100", "100.00", "-150.5", "0.05", "-0.001", "1234567.89", "99999999999999999999.99", "1e3"} {
		d := decimal.RequireFromString(s)
		got := DecimalText(d)
		back, err := decimal.NewFromString(got)
		if err != nil || !back.Equal(d) {
			t.Errorf("DecimalText(%s) = %q does not read back", s, got)
		}
	}
	if got := DecimalText(decimal.RequireFromString("100.00")); got != "100.00" {
		t.Errorf("scale lost: %s", got)
	}
}

func FuzzDecimalText(f *testing.F) {
	f.Add("12.34")
	f.Add("-0.5")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := decimal.NewFromString(s)
		if err != nil {
			return
		}
		back, err := decimal.NewFromString(DecimalText(d))
		if err != nil || !back.Equal(d) {
			t.Fatalf("%s → %s", s, DecimalText(d))
		}
	})
}

func TestParseDateRejects(t *testing.T) {
	for _, s := range []string{"2026-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "20260101", "2026-04-31", "", "2026-01-0x"} {
		if _, err := ParseDate(s); err == nil {
			t.Errorf("ParseDate(%q) accepted", s)
		}
	}
	if _, err := ParseDate("2024-02-29"); err != nil {
		t.Error("leap day refused")
	}
}
