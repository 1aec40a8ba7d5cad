package templates

import (
	"strings"
	"testing"

	"github.com/dunnerhq/dunner/agent"
	"github.com/shopspring/decimal"
)

func TestFormatMoney(t *testing.T) {
	const s = "\u00a0" // CLDR's space between number and symbol
	tests := []struct {
		amount, cur, lang, want string
	}{
		{"1234.56", "EUR", "de", "1.234,56" + s + "€"},
		{"1234.56", "EUR", "es", "1234,56" + s + "€"},
		{"12345.67", "EUR", "es", "12.345,67" + s + "€"},
		{"1234.56", "EUR", "en", "€1,234.56"},
		{"-1234.56", "EUR", "de", "-1.234,56" + s + "€"},
		{"-1234.56", "EUR", "es", "-1234,56" + s + "€"},
		{"-1234.56", "EUR", "en", "-€1,234.56"},
		{"1234.56", "USD", "en", "$1,234.56"},
		{"1234.56", "USD", "de", "1.234,56" + s + "$"},
		{"1234.56", "USD", "es", "1234,56" + s + "$"},
		{"1234.56", "GBP", "en", "£1,234.56"},
		{"1234.56", "GBP", "de", "1.234,56" + s + "£"},
		{"1234.56", "CHF", "en", "CHF" + s + "1,234.56"},
		{"-1234.56", "CHF", "en", "-CHF" + s + "1,234.56"},
		{"1234.56", "CHF", "de", "1.234,56" + s + "CHF"},
		{"1234.56", "XYZ", "es", "1234,56" + s + "XYZ"},
		{"1234.56", "eur", "de", "1.234,56" + s + "€"},
		{"0", "EUR", "de", "0,00" + s + "€"},
		{"0", "EUR", "en", "€0.00"},
		{"-0.001", "EUR", "en", "€0.00"}, // no "-0.00"
		{"0.005", "EUR", "en", "€0.01"},  // half away from zero
		{"-0.005", "EUR", "en", "-€0.01"},
		{"999.995", "EUR", "es", "1000,00" + s + "€"},
		{"9999.995", "EUR", "es", "10.000,00" + s + "€"},
		{"1234567890123.45", "EUR", "de", "1.234.567.890.123,45" + s + "€"},
		{"1234567890123.45", "EUR", "es", "1.234.567.890.123,45" + s + "€"},
		{"1234567890123.45", "EUR", "en", "€1,234,567,890,123.45"},
		{"123456", "JPY", "en", "¥123,456"},
		{"123456.5", "JPY", "de", "123.457" + s + "¥"},
		{"1234", "JPY", "es", "1234" + s + "¥"},
		{"-5000", "JPY", "en", "-¥5,000"},
		{"1.2345", "KWD", "en", "KWD" + s + "1.235"},
		{"1234.56", "EUR", "de-DE", "1.234,56" + s + "€"},
		{"1234.56", "EUR", "fr", "€1,234.56"}, // unknown language: English, not an error mid-run
		{"1234.5", "", "de", "1.234,50"},
	}
	for _, tt := range tests {
		got := FormatMoney(decimal.RequireFromString(tt.amount), tt.cur, tt.lang)
		if got != tt.want {
			t.Errorf("FormatMoney(%s, %s, %s) = %q, want %q", tt.amount, tt.cur, tt.lang, got, tt.want)
		}
	}
}

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		amount string
		digits int32
		lang   string
		want   string
	}{
		{"1234.5", 2, "de", "1.234,50"},
		{"1234.5", 1, "en", "1,234.5"},
		{"1234.5", 0, "es", "1235"},
		{"12345", 0, "es", "12.345"},
		{"-12345.678", 2, "en", "-12,345.68"},
		{"999", 2, "de", "999,00"},
		{"1000", 0, "de", "1.000"},
		{"5", -1, "en", "5"},
	}
	for _, tt := range tests {
		got := FormatNumber(decimal.RequireFromString(tt.amount), tt.digits, tt.lang)
		if got != tt.want {
			t.Errorf("FormatNumber(%s, %d, %s) = %q, want %q", tt.amount, tt.digits, tt.lang, got, tt.want)
		}
	}
}

func TestFormatPercent(t *testing.T) {
	tests := []struct{ rate, lang, want string }{
		{"0.1015", "de", "10,15\u00a0%"},
		{"0.1015", "es", "10,15\u00a0%"},
		{"0.1015", "en", "10.15%"},
		{"0.08", "en", "8%"},
		{"0.09125", "de", "9,125\u00a0%"},
	}
	for _, tt := range tests {
		if got := formatPercent(decimal.RequireFromString(tt.rate), tt.lang); got != tt.want {
			t.Errorf("formatPercent(%s, %s) = %q, want %q", tt.rate, tt.lang, got, tt.want)
		}
	}
}

func TestFormatDate(t *testing.T) {
	tests := []struct{ date, lang, short, long string }{
		{"2026-03-14", "de", "14.03.2026", "14. März 2026"},
		{"2026-03-14", "es", "14/03/2026", "14 de marzo de 2026"},
		{"2026-03-14", "en", "14/03/2026", "14 March 2026"},
		{"2026-01-05", "de", "05.01.2026", "5. Januar 2026"},
		{"2026-12-31", "es", "31/12/2026", "31 de diciembre de 2026"},
		{"2024-02-29", "en", "29/02/2024", "29 February 2024"},
	}
	for _, tt := range tests {
		d := agent.MustDate(tt.date)
		if got := FormatDate(d, tt.lang); got != tt.short {
			t.Errorf("FormatDate(%s, %s) = %q, want %q", tt.date, tt.lang, got, tt.short)
		}
		if got := FormatDateLong(d, tt.lang); got != tt.long {
			t.Errorf("FormatDateLong(%s, %s) = %q, want %q", tt.date, tt.lang, got, tt.long)
		}
	}
	if FormatDate(0, "de") != "" || FormatDateLong(0, "en") != "" {
		t.Error("the zero date must print empty, not 01.01.0001")
	}
}

// parseMoney reads FormatMoney's output back, the way a person or a
// spreadsheet would, to show that nothing is lost but rounding.
func parseMoney(s, cur, lang string) (decimal.Decimal, error) {
	l := loc(lang)
	sym := currencySymbol(cur)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	s = strings.TrimPrefix(s, sym)
	s = strings.TrimSuffix(s, sym)
	s = strings.Trim(s, nbsp)
	s = strings.ReplaceAll(s, l.group, "")
	s = strings.Replace(s, l.decimal, ".", 1)
	d, err := decimal.NewFromString(s)
	if neg {
		d = d.Neg()
	}
	return d, err
}

func FuzzFormatMoney(f *testing.F) {
	f.Add(int64(123456), int32(-2), "EUR", "de")
	f.Add(int64(-123456789), int32(-3), "JPY", "en")
	f.Add(int64(1), int32(5), "CHF", "es")
	f.Add(int64(-5), int32(-3), "USD", "en")
	f.Add(int64(0), int32(0), "", "xx")
	f.Add(int64(42), int32(0), "\x00\n€", "de")
	f.Fuzz(func(t *testing.T, mant int64, exp int32, cur, lang string) {
		if exp < -30 || exp > 30 {
			return // beyond any amount a ledger holds; keeps the fuzzer fast
		}
		d := decimal.New(mant, exp)
		got := FormatMoney(d, cur, lang) // must not panic, whatever cur and lang hold
		c := strings.ToUpper(strings.TrimSpace(cur))
		if _, known := symbols[c]; !known && c != "CHF" && c != "KWD" {
			return
		}
		back, err := parseMoney(got, c, lang)
		if err != nil {
			t.Fatalf("FormatMoney(%s, %s, %s) = %q does not parse back: %v", d, cur, lang, got, err)
		}
		if want := agent.RoundMoney(d, c); !back.Equal(want) {
			t.Fatalf("FormatMoney(%s, %s, %s) = %q reads back as %s, want %s", d, cur, lang, got, back, want)
		}
	})
}
