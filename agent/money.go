package agent

import (
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// CurrencyDigits is the number of minor-unit digits of an ISO 4217 currency.
func CurrencyDigits(cur string) int32 {
	switch strings.ToUpper(cur) {
	case "JPY", "KRW", "CLP", "ISK", "VND", "PYG", "UGX", "XAF", "XOF", "HUF0":
		return 0
	case "BHD", "KWD", "OMR", "JOD", "TND", "LYD", "IQD":
		return 3
	}
	return 2
}

// FormatAmount prints an amount with its currency's digits and a dot, the
// machine form used in JSON and CSV.
func FormatAmount(d decimal.Decimal, cur string) string {
	return string(AppendAmount(nil, d, cur))
}

// AppendAmount appends FormatAmount(d, cur) to b.
func AppendAmount(b []byte, d decimal.Decimal, cur string) []byte {
	digits := CurrencyDigits(cur)
	if d.IsZero() && digits == 2 {
		return append(b, "0.00"...) // most fees and interest: skip rounding
	}
	if d.Exponent() == -digits {
		return AppendDecimal(b, d) // already at the currency's scale: no rounding needed
	}
	return append(b, d.StringFixed(digits)...)
}

// AmountDigits is how many decimals the dunning plan and the item list
// print: at least two (SPEC §3 prints "100.00" and rounds interest to
// cents, whatever the currency), more where the currency's minor unit is
// finer (KWD), so nothing is cut off.
func AmountDigits(cur string) int32 { return max(2, CurrencyDigits(cur)) }

// FormatCents is AppendCents as a string.
func FormatCents(d decimal.Decimal, cur string) string { return string(AppendCents(nil, d, cur)) }

// AppendCents appends d with AmountDigits(cur) decimals and a dot.
func AppendCents(b []byte, d decimal.Decimal, cur string) []byte {
	if CurrencyDigits(cur) == 2 {
		return AppendAmount(b, d, cur)
	}
	digits := AmountDigits(cur)
	if d.Exponent() == -digits {
		return AppendDecimal(b, d)
	}
	return append(b, d.StringFixed(digits)...)
}

// RoundInterest rounds statutory interest half-up to cents (SPEC §3), or
// to the currency's minor unit where that is finer.
func RoundInterest(d decimal.Decimal, cur string) decimal.Decimal {
	return d.Round(AmountDigits(cur))
}

// RoundMoney rounds half away from zero (half-up for positive amounts) to the
// currency's minor unit.
func RoundMoney(d decimal.Decimal, cur string) decimal.Decimal {
	return d.Round(CurrencyDigits(cur))
}

// DecimalText is d as exact decimal text that keeps its scale ("100.00"
// stays "100.00"). It is the storage form of amounts, and much cheaper than
// decimal.String for the amounts ledgers hold.
func DecimalText(d decimal.Decimal) string {
	return string(AppendDecimal(nil, d))
}

// AppendDecimal appends DecimalText(d) to b.
func AppendDecimal(b []byte, d decimal.Decimal) []byte {
	exp := d.Exponent()
	// NumDigits answers without allocating for ledger-sized amounts;
	// Coefficient would copy the big.Int every time.
	if d.NumDigits() > 18 || exp > 0 || exp < -18 {
		return append(b, d.String()...)
	}
	v := d.CoefficientInt64()
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	if exp == 0 {
		return strconv.AppendUint(b, uint64(v), 10)
	}
	var digits [24]byte
	s := strconv.AppendUint(digits[:0], uint64(v), 10)
	scale := int(-exp)
	for len(s) <= scale {
		s = append([]byte{'0'}, s...)
	}
	b = append(b, s[:len(s)-scale]...)
	b = append(b, '.')
	return append(b, s[len(s)-scale:]...)
}

// zeroCents starts a sum at the scale of cents: adding amounts of one scale
// needs no rescaling (big-number powers of ten) on every addition.
var zeroCents = decimal.New(0, -2)
