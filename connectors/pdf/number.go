package pdf

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// decimalMark is how a document writes the decimal point: '.', ',' or 0
// when it has not shown it yet.
type decimalMark byte

// ParseNumber reads an amount as documents print it: 1,234.56, 1.234,56,
// 1 234,56, 1'234.56, -150.00, 150,00- (SAP), (150.00), 150.00 CR, with a
// currency code or symbol on either side. mark is the document's decimal
// mark when known; it settles the one form that is ambiguous on its own,
// a single separator followed by exactly three digits (1.234 or 1,234).
// Without it such a form is read as thousands, since invoices with three
// decimals are much rarer than amounts above a thousand.
func ParseNumber(s string, mark decimalMark) (decimal.Decimal, bool) {
	t, neg, ok := stripAmount(s)
	if !ok {
		return decimal.Decimal{}, false
	}
	d, ok := parseDigits(t, mark)
	if !ok {
		return decimal.Decimal{}, false
	}
	if neg {
		d = d.Neg()
	}
	return d, true
}

// currencySymbols maps the symbols and codes an amount may carry.
var currencySymbols = map[string]string{
	"€": "EUR", "$": "USD", "US$": "USD", "£": "GBP", "¥": "JPY", "CHF": "CHF", "Fr.": "CHF", "SFr.": "CHF",
	"EUR": "EUR", "USD": "USD", "GBP": "GBP", "JPY": "JPY", "SEK": "SEK", "NOK": "NOK", "DKK": "DKK",
	"PLN": "PLN", "CZK": "CZK", "HUF": "HUF", "CAD": "CAD", "AUD": "AUD", "MXN": "MXN", "BRL": "BRL",
	"CA$": "CAD", "C$": "CAD", "A$": "AUD", "AU$": "AUD", "MX$": "MXN", "R$": "BRL", "kr": "SEK", "zł": "PLN",
	"Kč": "CZK", "CNY": "CNY", "INR": "INR", "₹": "INR", "ZAR": "ZAR", "NZD": "NZD", "SGD": "SGD", "HKD": "HKD",
	"ARS": "ARS", "CLP": "CLP", "COP": "COP", "PEN": "PEN", "TRY": "TRY", "RON": "RON", "BGN": "BGN",
	// Gulf and Asian payers: their minor units (three decimals, none)
	// decide how amounts print, so the code must be known.
	"KWD": "KWD", "BHD": "BHD", "OMR": "OMR", "JOD": "JOD", "TND": "TND", "AED": "AED", "SAR": "SAR", "QAR": "QAR",
	"KRW": "KRW", "ILS": "ILS", "THB": "THB", "MYR": "MYR", "IDR": "IDR", "PHP": "PHP", "TWD": "TWD", "VND": "VND",
}

// currencyList is currencySymbols as pairs, longest symbol first: one
// order on every run ("US$" before "$"), and a slice walks faster than a
// map on this hot path.
var currencyList = func() [][2]string {
	var l [][2]string
	for sym, c := range currencySymbols {
		l = append(l, [2]string{sym, c})
	}
	sort.Slice(l, func(i, j int) bool {
		if len(l[i][0]) != len(l[j][0]) {
			return len(l[i][0]) > len(l[j][0])
		}
		return l[i][0] < l[j][0]
	})
	return l
}()

// stripAmount removes what surrounds the digits: blanks, a currency, the
// sign in its many forms. ok is false when something else is left over.
func stripAmount(s string) (body string, neg, ok bool) {
	t := strings.TrimSpace(strings.Map(func(r rune) rune {
		switch r {
		case '\u00a0', '\u2009', '\u202f', '\u2007', '\t':
			return ' '
		case '\u2212', '\u2013', '\u2012', '\u2014': // minus, en dash, figure dash, em dash
			return '-'
		case '’', '\u02bc', '´', '`':
			return '\''
		}
		return r
	}, s))
	if t == "" || len(t) > 64 {
		return "", false, false
	}
	// Peel signs and currencies from both ends until nothing changes; the
	// order varies: "-€ 150.00", "€ -150.00", "(150.00 EUR)", "150.00- EUR".
	for changed := true; changed && t != ""; {
		changed = false
		if strings.HasPrefix(t, "(") && strings.HasSuffix(t, ")") {
			t, neg, changed = strings.TrimSpace(t[1:len(t)-1]), !neg, true
			continue
		}
		for _, sfx := range []string{" CR", "CR", " Cr", " DR", "DR", " H", " S"} {
			// CR (credit) is negative on an advice; DR, and SAP's S/H
			// columns, are dropped: the column and the type decide.
			if strings.HasSuffix(t, sfx) && len(t) > len(sfx) && isDigitByte(t[len(t)-len(sfx)-1]) {
				if strings.TrimSpace(sfx) == "CR" || sfx == " Cr" {
					neg = !neg
				}
				t, changed = strings.TrimSpace(t[:len(t)-len(sfx)]), true
			}
		}
		switch {
		case strings.HasPrefix(t, "-"):
			t, neg, changed = strings.TrimSpace(t[1:]), !neg, true
		case strings.HasPrefix(t, "+"):
			t, changed = strings.TrimSpace(t[1:]), true
		case strings.HasSuffix(t, "-"):
			t, neg, changed = strings.TrimSpace(t[:len(t)-1]), !neg, true
		case strings.HasSuffix(t, "+"):
			t, changed = strings.TrimSpace(t[:len(t)-1]), true
		}
		if changed {
			continue
		}
		if c, rest := cutCurrency(t); c != "" {
			t, changed = rest, true
		}
	}
	if t == "" {
		return "", false, false
	}
	return t, neg, true
}

// cutCurrency removes a currency code or symbol at either end of t.
func cutCurrency(t string) (code, rest string) {
	if t == "" {
		return "", t
	}
	// Every symbol starts with a letter, "$" or a non-ASCII sign, and ends
	// with one of those or "."; a bare number (most cells) has none.
	maySym := func(c byte) bool { return c >= 0x80 || c == '$' || c|0x20 >= 'a' && c|0x20 <= 'z' }
	if first, last := t[0], t[len(t)-1]; !maySym(first) && !maySym(last) && last != '.' {
		return "", t
	}
	for _, sc := range currencyList {
		sym, c := sc[0], sc[1]
		if strings.HasPrefix(t, sym) {
			r := t[len(sym):]
			if r == "" || !isLetterStart(r) || sym == "€" || sym == "$" || sym == "£" {
				return c, strings.TrimSpace(r)
			}
		}
		if strings.HasSuffix(t, sym) {
			r := t[:len(t)-len(sym)]
			if r == "" || !isLetterEnd(r) {
				return c, strings.TrimSpace(r)
			}
		}
	}
	return "", t
}

func isLetterStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r)
}

func isLetterEnd(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return unicode.IsLetter(r)
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

// parseDigits reads digits with separators. Grouping may be `,` `.` blank
// or apostrophe; the decimal mark is `.` or `,`.
func parseDigits(t string, mark decimalMark) (decimal.Decimal, bool) {
	type sep struct {
		c   byte
		pos int // index in digits where the separator stood
	}
	var digits []byte
	var seps []sep
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case isDigitByte(c):
			digits = append(digits, c)
		case c == '.' || c == ',' || c == ' ' || c == '\'':
			if len(digits) == 0 || i+1 >= len(t) || !isDigitByte(t[i+1]) {
				// A leading ".5" is read; a separator not between digits is not.
				if (c == '.' || c == ',') && len(digits) == 0 && i+1 < len(t) && isDigitByte(t[i+1]) {
					digits = append(digits, '0')
				} else {
					return decimal.Decimal{}, false
				}
			}
			if c == ' ' && len(seps) > 0 && seps[len(seps)-1].pos == len(digits) {
				return decimal.Decimal{}, false
			}
			seps = append(seps, sep{c, len(digits)})
		default:
			return decimal.Decimal{}, false
		}
	}
	if len(digits) == 0 || len(digits) > 30 {
		return decimal.Decimal{}, false
	}
	// The decimal mark is the last '.' or ',' when it is followed by
	// something other than a group of three, or when the other mark
	// groups, or when it appears once and the document says so.
	dec := -1
	if n := len(seps); n > 0 {
		last := seps[n-1]
		after := len(digits) - last.pos
		if last.c == '.' || last.c == ',' {
			count, other := 0, false
			for _, s := range seps {
				if s.c == last.c {
					count++
				} else {
					other = true
				}
			}
			switch {
			case after != 3 && count == 1:
				dec = n - 1
			case other && count == 1:
				dec = n - 1 // 1,234.567 or 1.234,567: the last mark is decimal
			case count == 1 && decimalMark(last.c) == mark:
				dec = n - 1
			case after != 3:
				return decimal.Decimal{}, false // 1.234.56
			}
		}
	}
	// Everything before the decimal mark must group by three (Indian
	// lakh grouping, 1,23,456, is accepted too).
	groupEnd := len(digits)
	if dec >= 0 {
		groupEnd = seps[dec].pos
	}
	var grp byte
	prev := -1
	for i := 0; i < len(seps); i++ {
		if i == dec {
			break
		}
		s := seps[i]
		if grp == 0 {
			grp = s.c
		} else if s.c != grp {
			return decimal.Decimal{}, false
		}
		width := s.pos - prev
		if prev < 0 {
			if s.pos < 1 || s.pos > 3 {
				return decimal.Decimal{}, false
			}
		} else if width != 3 && width != 2 {
			return decimal.Decimal{}, false
		}
		prev = s.pos
	}
	if prev >= 0 && groupEnd-prev != 3 {
		return decimal.Decimal{}, false
	}
	str := string(digits)
	if dec >= 0 {
		p := seps[dec].pos
		str = str[:p] + "." + str[p:]
	}
	d, err := decimal.NewFromString(str)
	return d, err == nil
}

// markEvidence is what one number says about the decimal mark.
func markEvidence(s string) decimalMark {
	t, _, ok := stripAmount(s)
	if !ok {
		return 0
	}
	i := strings.LastIndexAny(t, ".,")
	if i < 0 {
		return 0
	}
	after := len(t) - i - 1
	if !allDigitsStr(t[i+1:]) {
		return 0
	}
	other := strings.IndexByte(t[:i], ".,"[boolIdx(t[i] == '.')]) >= 0
	switch {
	case other:
		return decimalMark(t[i])
	case after == 1 || after == 2:
		return decimalMark(t[i])
	}
	return 0
}

func boolIdx(b bool) int {
	if b {
		return 1
	}
	return 0
}

func allDigitsStr(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigitByte(s[i]) {
			return false
		}
	}
	return true
}
