package agent

import (
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
	return d.StringFixed(CurrencyDigits(cur))
}

// RoundMoney rounds half away from zero (half-up for positive amounts) to the
// currency's minor unit.
func RoundMoney(d decimal.Decimal, cur string) decimal.Decimal {
	return d.Round(CurrencyDigits(cur))
}
