package templates

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/dunnerhq/dunner/agent"
	"github.com/shopspring/decimal"
)

// funcs are the template functions, bound to the file's language so a
// template cannot format a German email with English separators by mistake.
//
//	money AMOUNT CURRENCY        "1.234,56 €"
//	moneyeach AMOUNT CURRENCIES  "40,00 € / 40,00 $" (a fee charged per currency)
//	date DATE, datelong DATE     "14.03.2026", "14. März 2026"
//	number AMOUNT DIGITS         "1.234,5"
//	percent RATE                 0.1015 → "10,15 %"
//	plural N ONE OTHER           ONE when N is 1
//	abs N, add A B               days before due, row numbers
//	padr S N, padl S N           plain-text columns (pad right / left)
//	oneline S                    S with line breaks folded to spaces
func funcs(lang string) map[string]any {
	return map[string]any{
		"money": func(d decimal.Decimal, cur string) string { return FormatMoney(d, cur, lang) },
		"moneyeach": func(d decimal.Decimal, curs []string) string {
			out := make([]string, len(curs))
			for i, c := range curs {
				out[i] = FormatMoney(d, c, lang)
			}
			return strings.Join(out, " / ")
		},
		"date":     func(d agent.Date) string { return FormatDate(d, lang) },
		"datelong": func(d agent.Date) string { return FormatDateLong(d, lang) },
		"number": func(d decimal.Decimal, digits int) string {
			return FormatNumber(d, int32(digits), lang)
		},
		"percent": func(rate decimal.Decimal) string { return formatPercent(rate, lang) },
		"plural": func(n int, one, other string) string {
			if n == 1 {
				return one
			}
			return other
		},
		"abs": func(n int) int {
			if n < 0 {
				return -n
			}
			return n
		},
		"add":     func(a, b int) int { return a + b },
		"padr":    func(s any, n int) string { return pad(fmt.Sprint(s), n, false) },
		"padl":    func(s any, n int) string { return pad(fmt.Sprint(s), n, true) },
		"oneline": oneLine,
	}
}

// pad counts runes, not bytes, so "Fällig am" lines up with "Due date".
// Text longer than n is left whole: a cut invoice number is worse than a
// ragged column.
func pad(s string, n int, left bool) string {
	k := utf8.RuneCountInString(s)
	if k >= n {
		return s
	}
	fill := strings.Repeat(" ", n-k)
	if left {
		return fill + s
	}
	return s + fill
}
