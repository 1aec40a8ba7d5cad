package templates

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/dunnerhq/dunner/agent"
	"github.com/shopspring/decimal"
)

// nbsp sits between number and currency (and before "%") where CLDR puts a
// space, so a mail client never wraps "1.234,56" away from its "€".
const nbsp = "\u00a0"

// locale holds the few CLDR facts Dunner needs for its three languages. The
// data is written out rather than taken from golang.org/x/text because
// x/text formats floats, not decimals, and does not apply Spanish minimum
// grouping digits; money must never pass through a float.
type locale struct {
	group, decimal string
	// minGroup is CLDR's minimumGroupingDigits: Spanish writes 1234 but
	// 12.345.
	minGroup int
	// symbolFirst: English puts the currency before the number.
	symbolFirst bool
	// percentSpace: de and es write "10,15 %", en "10.15%".
	percentSpace bool
	months       [12]string
}

var locales = map[string]*locale{
	"en": {group: ",", decimal: ".", minGroup: 1, symbolFirst: true,
		months: [12]string{"January", "February", "March", "April", "May", "June", "July",
			"August", "September", "October", "November", "December"}},
	"es": {group: ".", decimal: ",", minGroup: 2, percentSpace: true,
		months: [12]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
			"agosto", "septiembre", "octubre", "noviembre", "diciembre"}},
	"de": {group: ".", decimal: ",", minGroup: 1, percentSpace: true,
		months: [12]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli",
			"August", "September", "Oktober", "November", "Dezember"}},
}

// loc falls back to English so a customer with an unexpected language code
// still gets readable amounts rather than an error in the middle of a run.
func loc(lang string) *locale {
	if l, ok := locales[baseLang(lang)]; ok {
		return l
	}
	return locales["en"]
}

// baseLang accepts "de-DE", "es_ES" or "EN" for the language Dunner writes.
func baseLang(lang string) string {
	lang = strings.ToLower(strings.TrimSpace(lang))
	if i := strings.IndexAny(lang, "-_"); i >= 0 {
		lang = lang[:i]
	}
	return lang
}

// symbols are the CLDR symbols a European reader recognises. CLDR's Spanish
// data has "US$" and bare codes for GBP and JPY; Dunner uses the plain
// symbols in every language so that one invoice reads the same in all three.
// Everything else is shown by its ISO code, which no reader misreads.
var symbols = map[string]string{
	"EUR": "€",
	"USD": "$",
	"GBP": "£",
	"JPY": "¥",
}

func currencySymbol(cur string) string {
	if s, ok := symbols[cur]; ok {
		return s
	}
	return cur
}

// FormatMoney writes an amount as a reader in lang expects it (CLDR currency
// format): de "1.234,56 €", es "1234,56 €" / "12.345,67 €", en "€1,234.56".
// The amount is rounded half away from zero to the currency's minor unit.
func FormatMoney(d decimal.Decimal, currency, lang string) string {
	cur := strings.ToUpper(strings.TrimSpace(currency))
	l := loc(lang)
	digits := agent.CurrencyDigits(cur)
	r := d.Round(digits)
	// The sign is taken after rounding so -0.001 prints as zero, not "-0.00".
	neg := r.IsNegative()
	num := groupDigits(r.Abs().StringFixed(digits), l)
	if cur == "" {
		return sign(neg) + num
	}
	sym := currencySymbol(cur)
	if l.symbolFirst {
		// CLDR currencySpacing: a symbol ending in a letter ("CHF") is kept
		// apart from the digits; "€" and "$" are not.
		if endsInLetter(sym) {
			return sign(neg) + sym + nbsp + num
		}
		return sign(neg) + sym + num
	}
	return sign(neg) + num + nbsp + sym
}

func endsInLetter(s string) bool {
	r := []rune(s)
	return len(r) > 0 && unicode.IsLetter(r[len(r)-1])
}

func sign(neg bool) string {
	if neg {
		return "-"
	}
	return ""
}

// FormatNumber writes d with exactly digits fraction digits and lang's
// separators, e.g. FormatNumber(1234.5, 2, "de") = "1.234,50".
func FormatNumber(d decimal.Decimal, digits int32, lang string) string {
	if digits < 0 {
		digits = 0
	}
	l := loc(lang)
	r := d.Round(digits)
	return sign(r.IsNegative()) + groupDigits(r.Abs().StringFixed(digits), l)
}

// formatPercent writes a yearly rate such as 0.1015 as "10,15 %" (de, es) or
// "10.15%" (en). Up to four fraction digits survive so that a statutory rate
// like 9.125 % is not silently rounded in a legal sentence.
func formatPercent(rate decimal.Decimal, lang string) string {
	l := loc(lang)
	p := rate.Shift(2).Round(4)
	s := p.Abs().String() // shortest form: "10.15", "8"
	s = sign(p.IsNegative()) + groupDigits(s, l)
	if l.percentSpace {
		return s + nbsp + "%"
	}
	return s + "%"
}

// groupDigits turns a plain "1234567.89" into the locale's "1.234.567,89".
func groupDigits(plain string, l *locale) string {
	intPart, frac, hasFrac := strings.Cut(plain, ".")
	var b strings.Builder
	if n := len(intPart); n >= 3+l.minGroup {
		first := n % 3
		if first == 0 {
			first = 3
		}
		b.WriteString(intPart[:first])
		for i := first; i < n; i += 3 {
			b.WriteString(l.group)
			b.WriteString(intPart[i : i+3])
		}
	} else {
		b.WriteString(intPart)
	}
	if hasFrac {
		b.WriteString(l.decimal)
		b.WriteString(frac)
	}
	return b.String()
}

// FormatDate writes the short date: de "14.03.2026", es and en "14/03/2026".
// English uses day-first (en-GB) because the sender is a European company and
// "03/04" must not read as March 4th to half the recipients.
func FormatDate(d agent.Date, lang string) string {
	if d.IsZero() {
		return ""
	}
	t := d.Time(time.UTC)
	if baseLang(lang) == "de" {
		return t.Format("02.01.2006")
	}
	return t.Format("02/01/2006")
}

// FormatDateLong writes the date with the month's name, as used in running
// text: "14 March 2026", "14 de marzo de 2026", "14. März 2026".
func FormatDateLong(d agent.Date, lang string) string {
	if d.IsZero() {
		return ""
	}
	l := loc(lang)
	t := d.Time(time.UTC)
	day, month, year := strconv.Itoa(t.Day()), l.months[t.Month()-1], strconv.Itoa(t.Year())
	switch baseLang(lang) {
	case "de":
		return day + ". " + month + " " + year
	case "es":
		return day + " de " + month + " de " + year
	}
	return day + " " + month + " " + year
}
