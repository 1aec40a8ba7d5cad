package sqlite

import (
	"testing"

	"github.com/shopspring/decimal"
)

// The fast path must give what decimal.NewFromString gives, scale included:
// the plan prints amounts at the scale they were stored with.
func TestParseDecimalText(t *testing.T) {
	for _, s := range []string{"0", "0.00", "-0.50", "1328.47", "-1328.47", "100", "100.00", "007.5", "0.001",
		"123456789012345678", "1234567890123456.78", "-999999999999999999", "1234567890123456789",
		"12345678901234567.891", "1e3", "-1.5E-2", ".5", "5."} {
		want, werr := decimal.NewFromString(s)
		got, err := parseDecimalText(s)
		if (err != nil) != (werr != nil) {
			t.Errorf("%q: error %v, NewFromString %v", s, err, werr)
			continue
		}
		if err == nil && (!got.Equal(want) || got.Exponent() != want.Exponent() || got.String() != want.String()) {
			t.Errorf("%q: got %s (exp %d), want %s (exp %d)", s, got, got.Exponent(), want, want.Exponent())
		}
	}
	for _, s := range []string{"", "-", "1.2.3", "abc", "1,5", "--1"} {
		if _, err := parseDecimalText(s); err == nil {
			t.Errorf("%q: no error", s)
		}
	}
}

func TestInterner(t *testing.T) {
	var in interner
	a := in.get(string([]byte("EUR")))
	for i := 0; i < 20; i++ {
		in.get(string(rune('A'+i)) + "XX")
	}
	if b := in.get("EUR"); b != a {
		t.Fatalf("got %q", b)
	}
	if in.get("") != "" || len(in.last) > 8 {
		t.Fatalf("interner holds %d", len(in.last))
	}
}
