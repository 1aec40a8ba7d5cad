package pdf

import (
	"strings"
	"time"
	"unicode"

	"github.com/dunnerhq/dunner/agent"
)

// dateOrder says how a document writes numeric dates with slashes or
// dashes: day first (Europe, Latin America), month first (US), or not yet
// known.
type dateOrder uint8

const (
	orderUnknown dateOrder = iota
	orderDMY
	orderMDY
)

// monthNames maps English, Spanish and German month names and their
// abbreviations (folded: lower case, no accents) to months.
var monthNames = map[string]time.Month{}

func init() {
	add := func(m time.Month, names ...string) {
		for _, n := range names {
			monthNames[n] = m
		}
	}
	add(1, "january", "jan", "enero", "ene", "januar", "janner", "jaenner", "jan.")
	add(2, "february", "feb", "febrero", "februar", "feber")
	add(3, "march", "mar", "marzo", "marz", "maerz", "mrz")
	add(4, "april", "apr", "abril", "abr")
	add(5, "may", "mayo", "mai", "may.")
	add(6, "june", "jun", "junio", "juni")
	add(7, "july", "jul", "julio", "juli")
	add(8, "august", "aug", "agosto", "ago")
	add(9, "september", "sep", "sept", "septiembre", "setiembre", "set")
	add(10, "october", "oct", "octubre", "oktober", "okt")
	add(11, "november", "nov", "noviembre")
	add(12, "december", "dec", "diciembre", "dic", "dezember", "dez")
}

// weekdays are dropped before reading a date: "Friday, 13 March 2026".
var weekdays = map[string]bool{
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true, "sunday": true,
	"mon": true, "tue": true, "wed": true, "thu": true, "fri": true, "sat": true, "sun": true,
	"lunes": true, "martes": true, "miercoles": true, "jueves": true, "viernes": true, "sabado": true, "domingo": true,
	"montag": true, "dienstag": true, "mittwoch": true, "donnerstag": true, "freitag": true, "samstag": true, "sonntag": true,
	"mo": true, "di": true, "mi": true, "do": true, "fr": true, "sa": true, "so": true,
}

// ParseDate reads a date as documents print it: ISO (2026-03-14,
// 2026/03/14, 20260314 is not taken: it looks like a number), dd.mm.yyyy,
// dd/mm/yyyy or mm/dd/yyyy (order decides when both fit), dd-mm-yyyy,
// two-digit years, and month names in English, Spanish and German ("14
// March 2026", "March 14, 2026", "14. März 2026", "14 de marzo de 2026",
// "14-Mar-26").
func ParseDate(s string, order dateOrder) (agent.Date, bool) {
	d, ok, _ := parseDateAmb(s, order)
	return d, ok
}

// parseDateAmb also reports whether the reading depended on order (a
// slash date whose day and month are both ≤ 12).
func parseDateAmb(s string, order dateOrder) (agent.Date, bool, bool) {
	t := strings.TrimSpace(s)
	if t == "" || len(t) > 40 {
		return 0, false, false
	}
	toks := dateTokens(t)
	if len(toks) < 3 || len(toks) > 8 {
		return 0, false, false
	}
	// Drop weekday words and Spanish "de"/German "den".
	var parts []string
	for _, k := range toks {
		if weekdays[k] || k == "de" || k == "den" || k == "del" || k == "the" || k == "of" {
			continue
		}
		parts = append(parts, k)
	}
	if len(parts) != 3 {
		return 0, false, false
	}
	// A month name anywhere makes the order plain.
	for i, p := range parts {
		m, ok := monthNames[strings.TrimSuffix(p, ".")]
		if !ok {
			continue
		}
		var dd, yy string
		switch i {
		case 0: // March 14 2026
			dd, yy = parts[1], parts[2]
		case 1: // 14 March 2026
			dd, yy = parts[0], parts[2]
		default: // 2026 14 March is not a form anyone prints
			return 0, false, false
		}
		day, y := atoi(dd), year(yy)
		if d, ok := makeDate(y, int(m), day); ok {
			return d, true, false
		}
		return 0, false, false
	}
	a, b, c := parts[0], parts[1], parts[2]
	if !allDigitsStr(a) || !allDigitsStr(b) || !allDigitsStr(c) {
		return 0, false, false
	}
	sep := dateSep(t)
	if len(a) == 4 { // year first: ISO order whatever the separator
		d, ok := makeDate(atoi(a), atoi(b), atoi(c))
		return d, ok, false
	}
	if len(c) != 4 && len(c) != 2 || len(a) > 2 || len(b) > 2 {
		return 0, false, false
	}
	y := year(c)
	x, z := atoi(a), atoi(b)
	dmy, okD := makeDate(y, z, x)
	mdy, okM := makeDate(y, x, z)
	switch {
	case okD && !okM:
		return dmy, true, false
	case okM && !okD:
		return mdy, true, false
	case !okD:
		return 0, false, false
	case x == z:
		return dmy, true, false
	}
	// Both fit. Dots are never month first; otherwise the document decides.
	if sep == '.' || order != orderMDY {
		return dmy, true, sep != '.'
	}
	return mdy, true, true
}

// dateTokens splits on separators and between digits and letters, folding
// case and accents so month names compare.
func dateTokens(s string) []string {
	var out []string
	var cur []rune
	kind := 0
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	for _, r := range fold(s) {
		k := 0
		switch {
		case r >= '0' && r <= '9':
			k = 1
		case unicode.IsLetter(r):
			k = 2
		}
		if k != kind {
			flush()
		}
		kind = k
		if k != 0 {
			cur = append(cur, r)
		}
	}
	flush()
	// "14th", "1st", "2nd", "3rd": the suffix goes.
	var res []string
	for _, t := range out {
		if t == "st" || t == "nd" || t == "rd" || t == "th" {
			continue
		}
		res = append(res, t)
	}
	return res
}

func dateSep(s string) byte {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '.', '/', '-':
			return s[i]
		}
	}
	return ' '
}

func year(s string) int {
	y := atoi(s)
	if len(s) == 2 && y >= 0 {
		// Two-digit years on an advice are this century.
		return 2000 + y
	}
	if len(s) != 4 {
		return -1
	}
	return y
}

func atoi(s string) int {
	if s == "" || len(s) > 9 {
		return -1
	}
	v := 0
	for i := 0; i < len(s); i++ {
		if !isDigitByte(s[i]) {
			return -1
		}
		v = v*10 + int(s[i]-'0')
	}
	return v
}

func makeDate(y, m, d int) (agent.Date, bool) {
	if y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return 0, false
	}
	return agent.NewDate(y, time.Month(m), d), true
}

// dateEvidence is what one date token says about the order: a slash date
// with a first part above 12 is day first, a second part above 12 month
// first.
func dateEvidence(s string) dateOrder {
	toks := dateTokens(s)
	if len(toks) != 3 || !allDigitsStr(toks[0]) || !allDigitsStr(toks[1]) || !allDigitsStr(toks[2]) {
		return orderUnknown
	}
	if len(toks[0]) > 2 || len(toks[1]) > 2 || (len(toks[2]) != 4 && len(toks[2]) != 2) {
		return orderUnknown
	}
	a, b := atoi(toks[0]), atoi(toks[1])
	switch {
	case a > 12 && b <= 12 && b >= 1:
		return orderDMY
	case b > 12 && a <= 12 && a >= 1:
		return orderMDY
	}
	return orderUnknown
}
