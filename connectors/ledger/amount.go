package ledger

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/dunnerhq/dunner/agent"
	"github.com/shopspring/decimal"
)

// numStyle is how a source writes numbers.
type numStyle uint8

const (
	// stylePlain is the machine form: optional sign, digits, optional dot
	// and digits. JSON ledgers use it.
	stylePlain numStyle = iota
	// styleDot is a `,`-separated CSV: the dot is the decimal mark, a comma
	// can only group thousands (the field is quoted then).
	styleDot
	// styleComma is a `;` or tab CSV: the comma is the decimal mark; a dot
	// groups thousands or is an English decimal point, and where both
	// readings fit (1.234) the amount is refused as ambiguous.
	styleComma
)

// errAmbiguous marks an amount whose decimal mark cannot be told.
var errAmbiguous = errors.New("ambiguous amount")

// parseAmount reads an amount of a CSV or JSON ledger. It is strict: money
// read wrongly by a factor of a thousand is worse than a refused file.
func parseAmount(s string, st numStyle) (decimal.Decimal, error) {
	n, err := scanNumber(s, false)
	if err != nil {
		return decimal.Decimal{}, err
	}
	var dec byte // the decimal mark, 0 for none
	switch {
	case n.dots == 0 && n.commas == 0:
	case st == stylePlain:
		if n.commas > 0 || n.dots > 1 {
			return decimal.Decimal{}, fmt.Errorf("not a plain decimal number (digits and one dot): %q", s)
		}
		dec = '.'
	case n.dots > 0 && n.commas > 0:
		// Both marks: the last one is the decimal mark, whatever the file.
		dec = n.last
	case n.commas > 0: // only commas
		switch {
		case st == styleComma && n.commas == 1:
			dec = ','
		case !n.validGrouping(','):
			if st == styleDot {
				return decimal.Decimal{}, fmt.Errorf("not an amount: %q (a comma-separated file writes the decimal point as a dot)", s)
			}
			return decimal.Decimal{}, fmt.Errorf("not an amount: %q", s)
		}
	default: // only dots
		switch {
		case n.dots > 1:
			if st == styleDot {
				return decimal.Decimal{}, fmt.Errorf("not an amount: %q", s)
			}
		case st == styleComma && n.validGrouping('.'):
			return decimal.Decimal{}, fmt.Errorf("%w %q: the dot may group thousands or mark decimals; write %s or %s",
				errAmbiguous, s, strings.ReplaceAll(s, ".", ""), strings.ReplaceAll(s, ".", ","))
		default:
			dec = '.'
		}
	}
	return n.decimal(s, dec)
}

// number is the shape of an amount string: where its marks are.
type number struct {
	neg          bool
	body         string // digits and marks, sign and blanks removed
	dots, commas int
	last         byte // the last mark in body
}

// scanNumber checks that s is a sign and digits with `.` and `,` marks.
// sap also allows SAP GUI's forms: a trailing minus and blanks or
// apostrophes between digit groups.
func scanNumber(s string, sap bool) (number, error) {
	var n number
	t := strings.TrimSpace(s)
	if sap {
		t = strings.Trim(t, "\u00a0 ")
		if strings.HasSuffix(t, "-") {
			n.neg = true
			t = strings.TrimSpace(t[:len(t)-1])
		} else if strings.HasSuffix(t, "+") {
			t = strings.TrimSpace(t[:len(t)-1])
		}
	}
	if t != "" && (t[0] == '-' || t[0] == '+') {
		if n.neg {
			return n, fmt.Errorf("not an amount: %q (two signs)", s)
		}
		n.neg = t[0] == '-'
		t = t[1:]
	}
	if t == "" {
		return n, notAmount(s, t)
	}
	var blanks bool
	prevDigit := false
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c >= '0' && c <= '9':
			prevDigit = true
			continue
		case c == '.' || c == ',':
			if !prevDigit || i == len(t)-1 || t[i+1] < '0' || t[i+1] > '9' {
				return n, notAmount(s, t)
			}
			if c == '.' {
				n.dots++
			} else {
				n.commas++
			}
			n.last = c
		case sap && (c == ' ' || c == '\'') && prevDigit && i+1 < len(t) && t[i+1] >= '0' && t[i+1] <= '9':
			blanks = true
		case sap && c == 0xC2 && i+2 < len(t) && t[i+1] == 0xA0 && prevDigit: // no-break space
			blanks = true
			i++
		default:
			return n, notAmount(s, t)
		}
		prevDigit = false
	}
	if blanks {
		t = strings.Map(func(r rune) rune {
			if r == ' ' || r == '\'' || r == '\u00a0' {
				return -1
			}
			return r
		}, t)
	}
	n.body = t
	return n, nil
}

// notAmount says why s, t being what is left of it after the sign, is not
// an amount, naming the forms spreadsheets and ERPs write that a ledger
// CSV does not take, so the fix is plain from the message.
func notAmount(s, t string) error {
	var hint string
	switch {
	case strings.HasSuffix(t, "-"):
		hint = "put the minus sign first: -" + strings.TrimSpace(t[:len(t)-1])
	case strings.HasPrefix(t, "(") && strings.HasSuffix(t, ")"):
		hint = "write a negative amount with a minus sign: -" + strings.TrimSpace(t[1:len(t)-1])
	case currencyAround(t):
		hint = "digits only; the currency goes in its own column"
	case strings.ContainsAny(t, " '\u00a0"):
		hint = "no blanks or apostrophes between digits"
	default:
		return fmt.Errorf("not an amount: %q", s)
	}
	return fmt.Errorf("not an amount: %q (%s)", s, hint)
}

// currencyAround reports a number with a currency sign or code before or
// after it: "€ 12,00", "12.00 EUR". A stray letter ("5,0x") is a typo.
func currencyAround(t string) bool {
	sign, letters := false, 0
	core := strings.TrimFunc(t, func(r rune) bool {
		switch {
		case unicode.Is(unicode.Sc, r):
			sign = true
		case unicode.IsLetter(r):
			letters++
		case !unicode.IsSpace(r):
			return false
		}
		return true
	})
	if core == "" || !sign && letters < 3 {
		return false
	}
	for i := 0; i < len(core); i++ {
		if c := core[i]; (c < '0' || c > '9') && c != '.' && c != ',' {
			return false
		}
	}
	return true
}

// validGrouping reports whether mark can be a thousands separator in the
// body: 1-3 leading digits not starting with 0, then groups of exactly 3.
// Only the integer part counts, up to the other mark.
func (n *number) validGrouping(mark byte) bool {
	b := n.body
	other := byte('.')
	if mark == '.' {
		other = ','
	}
	if i := strings.IndexByte(b, other); i >= 0 {
		b = b[:i]
	}
	first := strings.IndexByte(b, mark)
	if first < 1 || first > 3 || b[0] == '0' {
		return false
	}
	for i := first; i < len(b); i += 4 {
		if b[i] != mark || i+4 > len(b) || !allDigits(b[i+1:i+4]) {
			return false
		}
	}
	return true
}

// decimal builds the value, dec being the decimal mark (0 for none). Any
// other mark must be grouping, which is checked here.
func (n *number) decimal(orig string, dec byte) (decimal.Decimal, error) {
	b := n.body
	intPart, frac := b, ""
	if dec != 0 {
		i := strings.LastIndexByte(b, dec)
		intPart, frac = b[:i], b[i+1:]
		if strings.ContainsAny(frac, ".,") || strings.IndexByte(intPart, dec) >= 0 {
			return decimal.Decimal{}, fmt.Errorf("not an amount: %q", orig)
		}
	}
	if strings.ContainsAny(intPart, ".,") {
		grp := byte(',')
		if dec == ',' || (dec == 0 && strings.IndexByte(intPart, '.') >= 0) {
			grp = '.'
		}
		g := number{body: intPart}
		if strings.IndexByte(intPart, grp) < 0 || !g.validGrouping(grp) {
			return decimal.Decimal{}, fmt.Errorf("not an amount: %q (thousands separators misplaced)", orig)
		}
		intPart = strings.ReplaceAll(intPart, string(grp), "")
	}
	return digitsToDecimal(n.neg, intPart, frac)
}

// digitsToDecimal avoids decimal.NewFromString's allocations for the common
// case of at most 18 digits.
func digitsToDecimal(neg bool, intPart, frac string) (decimal.Decimal, error) {
	if len(intPart)+len(frac) <= 18 {
		var v int64
		for i := 0; i < len(intPart); i++ {
			v = v*10 + int64(intPart[i]-'0')
		}
		for i := 0; i < len(frac); i++ {
			v = v*10 + int64(frac[i]-'0')
		}
		if neg {
			v = -v
		}
		return decimal.New(v, -int32(len(frac))), nil
	}
	s := intPart
	if frac != "" {
		s += "." + frac
	}
	if neg {
		s = "-" + s
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("not an amount: %q: %w", s, err)
	}
	return d, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// atoi reads a short run of digits; -1 when s is not one.
func atoi(s string) int {
	if s == "" || len(s) > 9 {
		return -1
	}
	v := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return -1
		}
		v = v*10 + int(c-'0')
	}
	return v
}

// makeDate checks y-m-d is a real calendar day.
func makeDate(y, m, d int) (agent.Date, bool) {
	if y < 1000 || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, false
	}
	if d > daysIn(y, time.Month(m)) {
		return 0, false
	}
	return agent.NewDate(y, time.Month(m), d), true
}

func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// parseISODate reads YYYY-MM-DD without time.Parse, which is a noticeable
// share of a million-row import.
func parseISODate(s string) (agent.Date, error) {
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		if d, ok := makeDate(atoi(s[:4]), atoi(s[5:7]), atoi(s[8:])); ok {
			return d, nil
		}
	}
	return 0, fmt.Errorf("not an ISO date (YYYY-MM-DD): %q", s)
}
