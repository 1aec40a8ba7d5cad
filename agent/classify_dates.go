package agent

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Dates as people write them in en/es/de, resolved against the day the
// message was sent in the sender's own zone. Everything here works on the
// folded lower-case text (see classifyFold).

var classifyMonthNames = map[string]time.Month{
	"january": 1, "januar": 1, "jaenner": 1, "enero": 1, "jan": 1, "ene": 1,
	"february": 2, "februar": 2, "febrero": 2, "feb": 2,
	"march": 3, "maerz": 3, "marz": 3, "marzo": 3, "mar": 3, "mrz": 3,
	"april": 4, "abril": 4, "apr": 4, "abr": 4,
	"may": 5, "mai": 5, "mayo": 5,
	"june": 6, "juni": 6, "junio": 6, "jun": 6,
	"july": 7, "juli": 7, "julio": 7, "jul": 7,
	"august": 8, "agosto": 8, "aug": 8, "ago": 8,
	"september": 9, "septiembre": 9, "setiembre": 9, "sep": 9, "sept": 9,
	"october": 10, "oktober": 10, "octubre": 10, "oct": 10, "okt": 10,
	"november": 11, "noviembre": 11, "nov": 11,
	"december": 12, "dezember": 12, "diciembre": 12, "dec": 12, "dez": 12, "dic": 12,
}

var classifyWeekdays = map[string]time.Weekday{
	"monday": time.Monday, "montag": time.Monday, "lunes": time.Monday,
	"tuesday": time.Tuesday, "dienstag": time.Tuesday, "martes": time.Tuesday,
	"wednesday": time.Wednesday, "mittwoch": time.Wednesday, "miercoles": time.Wednesday,
	"thursday": time.Thursday, "donnerstag": time.Thursday, "jueves": time.Thursday,
	"friday": time.Friday, "freitag": time.Friday, "viernes": time.Friday,
	"saturday": time.Saturday, "samstag": time.Saturday, "sonnabend": time.Saturday, "sabado": time.Saturday,
	"sunday": time.Sunday, "sonntag": time.Sunday, "domingo": time.Sunday,
}

var classifyNumberWords = map[string]int{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
	"fourteen": 14, "fifteen": 15, "twenty": 20, "thirty": 30, "a": 1, "an": 1,
	"ein": 1, "einem": 1, "einer": 1, "zwei": 2, "drei": 3, "vier": 4, "fuenf": 5, "sechs": 6, "sieben": 7, "acht": 8,
	"neun": 9, "zehn": 10, "vierzehn": 14, "fuenfzehn": 15, "zwanzig": 20, "dreissig": 30,
	"un": 1, "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
	"nueve": 9, "diez": 10, "catorce": 14, "quince": 15, "veinte": 20, "treinta": 30,
}

func classifyAlt(m map[string]time.Month) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return len(keys[i]) > len(keys[j]) || len(keys[i]) == len(keys[j]) && keys[i] < keys[j]
	})
	return strings.Join(keys, "|")
}

func classifyAltW(m map[string]time.Weekday) string {
	mm := map[string]time.Month{}
	for k := range m {
		mm[k] = 0
	}
	return classifyAlt(mm)
}

func classifyAltN(m map[string]int) string {
	mm := map[string]time.Month{}
	for k := range m {
		mm[k] = 0
	}
	return classifyAlt(mm)
}

var (
	classifyMonths = classifyAlt(classifyMonthNames)
	classifyWdays  = classifyAltW(classifyWeekdays)
	classifyNums   = classifyAltN(classifyNumberWords)

	classifyReISO      = lazyRegexp(`\b(20\d\d)-(\d{1,2})-(\d{1,2})\b`)
	classifyReDot      = lazyRegexp(`\b(\d{1,2})\. ?(\d{1,2})\.(?: ?(\d{4}|\d{2})\b)?`)
	classifyReSlash    = lazyRegexp(`\b(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?\b`)
	classifyReDash     = lazyRegexp(`\b(\d{1,2})-(\d{1,2})-(\d{4})\b`)
	classifyReDayMonth = classifyCompile(`\b(\d{1,2})(?:st|nd|rd|th|\.|o)?\s*(?:of\s+|de\s+)?(` + classifyMonths + `)\b\.?(?:,?\s*(?:de\s+|del\s+)?(\d{4})\b)?`)
	classifyReMonthDay = classifyCompile(`\b(` + classifyMonths + `)\.?\s+(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s*(\d{4})\b)?`)

	classifyReToday      = classifyCompile(`\b(today|heute|hoy|this afternoon|this evening|tonight)\b`)
	classifyReTomorrow   = classifyCompile(`\b(tomorrow|morgen|manana)\b`)
	classifyReDayAfter   = classifyCompile(`\b(day after tomorrow|uebermorgen|pasado manana)\b`)
	classifyReIn         = classifyCompile(`\b(in|en|within|innerhalb|innerhalb von|dentro de|en un plazo de|en el plazo de|binnen)\s+((?:the next|the|der naechsten|den naechsten|los proximos|las proximas)\s+)?(\d{1,3}|` + classifyNums + `)\s+(business |working |bank |calendar )?(days?|tagen?|werktagen?|arbeitstagen?|bankarbeitstagen?|dias?(?: habiles| laborables| naturales)?|weeks?|wochen?|semanas?)\b`)
	classifyReEOM        = classifyCompile(`\b((?:the )?end of (?:the |this |the current )?month|month[- ]?end|end-of-month|eom|monatsende|monatsultimo|(?:zum|per) ultimo|ende (?:des |dieses )?monats|ende monat|(?:a |al )?(?:final|finales|fin) (?:de|del) (?:este )?mes|fin de mes|ultimo dia (?:del|de este) mes|last (?:business |working )?day of (?:the |this )?month|letzten (?:tag|werktag|arbeitstag) (?:des|dieses) monats)\b`)
	classifyReEONM       = classifyCompile(`\b(end of next month|end of the following month|ende (?:des )?naechsten monats|ende naechsten monat|(?:a )?(?:final|finales|fin) del (?:proximo mes|mes que viene|mes proximo|siguiente mes))\b`)
	classifyReEONamed    = classifyCompile(`\b(?:(?:the )?end of|ende|ultimo|(?:a )?(?:final|finales|fin) de) (` + classifyMonths + `)\b(?:\s+(\d{4})\b)?`)
	classifyReWeekday    = classifyCompile(`\b(?:(next|this|coming|on|by|until|before|last|naechsten|naechster|naechste|kommenden|kommender|diesen|dieser|am|bis|letzten|letzter|vergangenen|el|este|para el|hasta el|antes del|el proximo|el siguiente|este proximo|este)\s+)?(` + classifyWdays + `)\b(?:,?\s+(next week|naechster woche|der naechsten woche|naechste woche|in der naechsten woche|de la semana que viene|de la proxima semana|que viene|proximo|pasado))?`)
	classifyReNextWeekWd = classifyCompile(`\b(?:naechste|naechsten|kommende|kommenden) woche,? (?:am )?(` + classifyWdays + `)\b`)
	// "el viernes 27", "Friday the 27th": the number names the day, the
	// weekday only confirms it.
	classifyReWdDay = classifyCompile(`\b(?:(?:on|by|until|before|this|next|am|bis|el|este|para el|hasta el|antes del)\s+)?(?:` + classifyWdays + `),?\s+(?:the\s+|den\s+|dia\s+)?(\d{1,2})(?:st|nd|rd|th|\.)?(?:\s|,|;|$)`)
	// "el día 5 del mes que viene", "on the 5th of next month", "am 15.
	// nächsten Monats"
	classifyReDayNextMonth = classifyCompile(`\b(?:(?:el|del|al|hasta el|para el|antes del) dia|(?:on|by|before|until) the|(?:am|zum|bis zum|spaetestens am|spaetestens zum))\s+(\d{1,2})(?:st|nd|rd|th|\.)?(?:\s+(?:del|de|of|des))?\s+(?:the\s+)?(?:mes que viene|proximo mes|mes siguiente|siguiente mes|next month|following month|naechsten monats|kommenden monats|folgemonats)\b`)
	classifyReDayOnly      = classifyCompile(`\b(?:on|by|before|until) the (\d{1,2})(?:st|nd|rd|th)\b|\b(?:am|bis zum|zum|spaetestens am|spaetestens zum) (\d{1,2})\.(?:\s|,|$)|\b(?:el|del|hasta el|para el|antes del) dia (\d{1,2})\b`)
	classifyReVague        = classifyCompile(`\b(next week|this week|the coming week|(?:the )?end of (?:the |this |next )?week|early next week|later this week|naechste woche|naechsten woche|kommende woche|kommenden woche|diese woche|dieser woche|ende der woche|ende (?:der )?naechsten woche|(?:la|esta) (?:proxima|siguiente) semana|la semana (?:que viene|proxima)|esta semana|(?:a )?(?:finales|final) de (?:la|esta) semana|soon|shortly|as soon as possible|asap|in due course|in kuerze|in den naechsten tagen|demnaechst|zeitnah|bald|baldmoeglichst|schnellstmoeglich|schnellstens|kurzfristig|pronto|en breve|proximamente|lo antes posible|a la mayor brevedad|en los proximos dias|in the (?:next|coming) (?:few )?(?:days|weeks)|next month|naechsten monat|kommenden monat|im naechsten monat|el (?:mes que viene|proximo mes)|mid[- ](?:` + classifyMonths + `|month|next month)|mitte (?:des )?(?:` + classifyMonths + `|monats|naechsten monats)|mediados de(?:l)? (?:` + classifyMonths + `|mes|proximo mes)|early (?:` + classifyMonths + `|next month)|anfang (?:des )?(?:` + classifyMonths + `|naechsten monats|monats)|principios de(?:l)? (?:` + classifyMonths + `|mes|proximo mes)|beginning of (?:next month|` + classifyMonths + `|the month)|(?:calendar )?week (?:no\.? )?\d{1,2}|cw ?\d{1,2}|kw ?\d{1,2}|kalenderwoche \d{1,2}|\d{1,2}\. ?(?:kw|kalenderwoche)|semana (?:numero |n\.?o? ?)?\d{1,2})\b`)

	classifyPreIntro  = lazyRegexp(`\b(on|by|before|until|till|am|bis|bis zum|bis spaetestens|spaetestens|zum|per|el|para el|para|antes del|antes de|hasta el|a mas tardar el)\s*(dem |den |the )?$`)
	classifyPreIssued = lazyRegexp(`\b(dated|date|of|vom|from|von|de fecha|con fecha|fecha|datum|issued|ausgestellt|since|seit|desde|received|erhalten|delivered|geliefert|due|faellig|vencimiento|vencida|vence|expired|invoiced|emitida|entregad[oa]|recibid[oa])\s*(on|am|el|at|the)?\s*$`)
	classifyPreBack   = lazyRegexp(`\b(back|return|returning|zurueck|wieder|ab|ab dem|regreso|regresare|vuelta|volvere|reincorporo|reincorporare|disponible|erreichbar|available|from)\b`)
	classifyPreUntil  = lazyRegexp(`\b(until|till|through|bis|bis einschliesslich|bis zum|hasta|hasta el)\b`)
)

type classifyDateCand struct {
	start, end int
	date       Date
	vague      bool
	absolute   bool
}

func classifyNum(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return classifyNumberWords[s]
}

// classifyYMD validates a calendar date; y == 0 means "no year written":
// the next such day on or after the reference (a week of slack for dates
// just past, which are references rather than promises).
func classifyYMD(y, m, d int, ref Date) (Date, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, false
	}
	if y > 0 && y < 100 {
		y += 2000
	}
	if y == 0 {
		if ref == 0 {
			return 0, false
		}
		y = ref.Year()
		if dt, ok := classifyYMD(y, m, d, ref); ok && dt < ref.AddDays(-7) {
			y++
		}
	}
	if y < 1990 || y > 2200 {
		return 0, false
	}
	dt := NewDate(y, time.Month(m), d)
	if dt.Day() != d {
		return 0, false // 31 April
	}
	return dt, true
}

func classifyLastOfMonth(y int, m time.Month) Date { return NewDate(y, m+1, 0) }

func classifyNextWeekday(ref Date, wd time.Weekday) Date {
	n := (int(wd) - int(ref.Weekday()) + 7) % 7
	if n == 0 {
		n = 7
	}
	return ref.AddDays(n)
}

func classifyAddBusinessDays(d Date, n int) Date {
	for n > 0 {
		d = d.AddDays(1)
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return d
}

// classifyFindDates lists the date expressions of t, resolved against ref
// (absolute dates resolve without it, when they carry a year). Vague ones
// ("next week", "KW 12", "soon") are listed too, so that they can win the
// choice and make the result null rather than a guess.
func classifyFindDates(t string, ref Date, usFirst bool) []classifyDateCand {
	var cs []classifyDateCand
	add := func(start, end int, d Date, vague, abs bool) {
		cs = append(cs, classifyDateCand{start: start, end: end, date: d, vague: vague, absolute: abs})
	}
	sub := func(m []int, i int) string {
		if m[2*i] < 0 {
			return ""
		}
		return t[m[2*i]:m[2*i+1]]
	}
	for _, m := range classifyReISO.R().FindAllStringSubmatchIndex(t, -1) {
		if d, ok := classifyYMD(classifyNum(sub(m, 1)), classifyNum(sub(m, 2)), classifyNum(sub(m, 3)), ref); ok {
			add(m[0], m[1], d, false, true)
		}
	}
	for _, m := range classifyReDot.R().FindAllStringSubmatchIndex(t, -1) {
		if m[0] > 0 && (t[m[0]-1] == '.' || t[m[0]-1] == ',' || classifyIsDigit(t[m[0]-1])) {
			continue
		}
		if m[1] < len(t) && classifyIsDigit(t[m[1]]) {
			continue
		}
		y := 0
		if s := sub(m, 3); s != "" {
			y = classifyNum(s)
		}
		if d, ok := classifyYMD(y, classifyNum(sub(m, 2)), classifyNum(sub(m, 1)), ref); ok {
			add(m[0], m[1], d, false, true)
		}
	}
	for _, m := range classifyReSlash.R().FindAllStringSubmatchIndex(t, -1) {
		if m[1] < len(t) && (t[m[1]] == '/' || classifyIsDigit(t[m[1]])) || m[0] > 0 && (t[m[0]-1] == '/' || t[m[0]-1] == '-') {
			continue
		}
		a, b := classifyNum(sub(m, 1)), classifyNum(sub(m, 2))
		y := 0
		if s := sub(m, 3); s != "" {
			y = classifyNum(s)
		} else if !classifyPreIntro.R().MatchString(t[max(0, m[0]-16):m[0]]) && !classifyUnambiguousSlash(a, b) {
			continue // "24/7", "1/2": a yearless slash needs "on"/"el"/"bis" before it
		}
		day, mon := a, b
		if a <= 12 && b > 12 || usFirst && a <= 12 && b <= 12 {
			day, mon = b, a
		}
		if d, ok := classifyYMD(y, mon, day, ref); ok {
			add(m[0], m[1], d, false, true)
		}
	}
	for _, m := range classifyReDash.R().FindAllStringSubmatchIndex(t, -1) {
		if m[0] > 0 && (t[m[0]-1] == '-' || t[m[0]-1] == '/') {
			continue
		}
		if d, ok := classifyYMD(classifyNum(sub(m, 3)), classifyNum(sub(m, 2)), classifyNum(sub(m, 1)), ref); ok {
			add(m[0], m[1], d, false, true)
		}
	}
	for _, m := range classifyReDayMonth.findAllSubmatchIndex(t) {
		if m[0] > 0 && (classifyIsDigit(t[m[0]-1]) || t[m[0]-1] == '.' || t[m[0]-1] == ',') {
			continue
		}
		mon := sub(m, 2)
		if classifyModalMay(t, mon, m[5]) {
			continue
		}
		y := 0
		if s := sub(m, 3); s != "" {
			y = classifyNum(s)
		}
		if d, ok := classifyYMD(y, int(classifyMonthNames[mon]), classifyNum(sub(m, 1)), ref); ok {
			add(m[0], m[1], d, false, true)
		}
	}
	for _, m := range classifyReMonthDay.findAllSubmatchIndex(t) {
		if m[1] < len(t) && (t[m[1]] == ':' || t[m[1]] == '.' && m[1]+1 < len(t) && classifyIsDigit(t[m[1]+1])) {
			continue
		}
		y := 0
		if s := sub(m, 3); s != "" {
			y = classifyNum(s)
		}
		if d, ok := classifyYMD(y, int(classifyMonthNames[sub(m, 1)]), classifyNum(sub(m, 2)), ref); ok {
			add(m[0], m[1], d, false, true)
		}
	}
	if ref != 0 {
		classifyRelativeDates(t, ref, add, sub)
	}
	for _, m := range classifyReVague.findAllIndex(t) {
		add(m[0], m[1], 0, true, false)
	}
	return classifyResolveOverlaps(cs)
}

func classifyRelativeDates(t string, ref Date, add func(int, int, Date, bool, bool), sub func([]int, int) string) {
	for _, m := range classifyReToday.findAllIndex(t) {
		add(m[0], m[1], ref, false, false)
	}
	for _, m := range classifyReTomorrow.findAllIndex(t) {
		prev := classifyPrevWord(t, m[0])
		switch prev {
		case "guten", "heute", "gestern", "am", "jeden", "diesen", "eines", "esta", "la", "por", "de", "cada", "pasado", "good":
			continue // "Guten Morgen", "esta mañana": the morning, not tomorrow
		}
		add(m[0], m[1], ref.AddDays(1), false, false)
	}
	for _, m := range classifyReDayAfter.findAllIndex(t) {
		add(m[0], m[1], ref.AddDays(2), false, false)
	}
	for _, m := range classifyReIn.findAllSubmatchIndex(t) {
		prep := sub(m, 1)
		n := classifyNum(sub(m, 3))
		unit := sub(m, 5)
		if n <= 0 || n > 400 {
			continue
		}
		if prep != "in" && prep != "en" || sub(m, 2) != "" {
			// "within 14 days" is a deadline, not a date.
			add(m[0], m[1], 0, true, false)
			continue
		}
		var d Date
		switch {
		case strings.HasPrefix(unit, "week") || strings.HasPrefix(unit, "woche") || strings.HasPrefix(unit, "semana"):
			d = ref.AddDays(7 * n)
		case sub(m, 4) == "business " || sub(m, 4) == "working " || sub(m, 4) == "bank " ||
			strings.Contains(unit, "werktag") || strings.Contains(unit, "arbeitstag") || strings.Contains(unit, "habiles") || strings.Contains(unit, "laborables"):
			d = classifyAddBusinessDays(ref, n)
		default:
			d = ref.AddDays(n)
		}
		add(m[0], m[1], d, false, false)
	}
	for _, m := range classifyReEOM.findAllIndex(t) {
		add(m[0], m[1], classifyLastOfMonth(ref.Year(), ref.Month()), false, false)
	}
	for _, m := range classifyReEONM.findAllIndex(t) {
		add(m[0], m[1], classifyLastOfMonth(ref.Year(), ref.Month()+1), false, false)
	}
	for _, m := range classifyReEONamed.findAllSubmatchIndex(t) {
		mon := classifyMonthNames[sub(m, 1)]
		y := ref.Year()
		if s := sub(m, 2); s != "" {
			y = classifyNum(s)
		} else if mon < ref.Month() {
			y++
		}
		add(m[0], m[1], classifyLastOfMonth(y, mon), false, true)
	}
	for _, m := range classifyReNextWeekWd.findAllSubmatchIndex(t) {
		wd := classifyWeekdays[sub(m, 1)]
		add(m[0], m[1], classifyWeekdayNextWeek(ref, wd), false, false)
	}
	for _, m := range classifyReWeekday.findAllSubmatchIndex(t) {
		pre, wd, post := sub(m, 1), classifyWeekdays[sub(m, 2)], sub(m, 3)
		switch {
		case pre == "last" || pre == "letzten" || pre == "letzter" || pre == "vergangenen" || post == "pasado":
			continue // a past day: what was done, not what is promised
		case strings.Contains(post, "week") || strings.Contains(post, "woche") || strings.Contains(post, "semana"):
			add(m[0], m[1], classifyWeekdayNextWeek(ref, wd), false, false)
		default:
			// "next Friday", "on Friday", "el viernes": the first such day
			// after the message's date.
			add(m[0], m[1], classifyNextWeekday(ref, wd), false, false)
		}
	}
	for _, m := range classifyReWdDay.findAllSubmatchIndex(t) {
		rest := t[m[3]:min(len(t), m[3]+16)]
		if classifyReMonthAfter.R().MatchString(rest) {
			continue // "Friday 20 March": the day and month are read whole
		}
		if d, ok := classifyDayOnOrAfter(classifyNum(sub(m, 1)), 0, ref); ok {
			add(m[0], m[3], d, false, false)
		}
	}
	for _, m := range classifyReDayNextMonth.findAllSubmatchIndex(t) {
		if d, ok := classifyDayOnOrAfter(classifyNum(sub(m, 1)), 1, ref); ok {
			add(m[0], m[1], d, false, true)
		}
	}
	for _, m := range classifyReDayOnly.findAllSubmatchIndex(t) {
		g := 1
		for g < 3 && m[2*g] < 0 {
			g++
		}
		day := classifyNum(sub(m, g))
		if day < 1 || day > 31 {
			continue
		}
		y, mon := ref.Year(), ref.Month()
		if day < ref.Day() {
			mon++
			if mon > 12 {
				mon, y = 1, y+1
			}
		}
		if d, ok := classifyYMD(y, int(mon), day, ref); ok {
			// Only the number is the date: "am 20.03." must stay one
			// absolute date, not "am 20." plus a stray "03.".
			add(m[2*g], m[2*g+1], d, false, false)
		}
	}
}

// classifyReMonthAfter: a month name right after a day number.
var classifyReMonthAfter = classifyCompile(`^(?:st|nd|rd|th|\.)?\s*(?:of\s+|de\s+)?(?:` + classifyMonths + `)\b|^\s*(?:am|pm|uhr|h)\b|^[:.]\d`)

// classifyDayOnOrAfter is the given day of the month the reference is in
// (or, when that day is past, of the next), moved on by skip months.
func classifyDayOnOrAfter(day, skip int, ref Date) (Date, bool) {
	if day < 1 || day > 31 {
		return 0, false
	}
	y, mon := ref.Year(), ref.Month()
	if skip == 0 && day < ref.Day() {
		skip = 1
	}
	mon += time.Month(skip)
	for mon > 12 {
		mon, y = mon-12, y+1
	}
	return classifyYMD(y, int(mon), day, ref)
}

// classifyWeekdayNextWeek is that weekday in the calendar week after the
// reference's (weeks start on Monday, as in ISO 8601).
func classifyWeekdayNextWeek(ref Date, wd time.Weekday) Date {
	off := (int(ref.Weekday()) + 6) % 7 // days since Monday
	monday := ref.AddDays(7 - off)
	return monday.AddDays((int(wd) + 6) % 7)
}

func classifyModalMay(t, mon string, end int) bool {
	if mon != "may" && mon != "mar" {
		return false
	}
	rest := strings.TrimLeft(t[end:], " ")
	for _, w := range []string{"be ", "not ", "have ", "also ", "still ", "need ", "take ", "require"} {
		if strings.HasPrefix(rest, w) {
			return true
		}
	}
	return false
}

func classifyIsDigit(b byte) bool { return b >= '0' && b <= '9' }

func classifyPrevWord(t string, pos int) string {
	s := strings.TrimRight(t[:pos], " ")
	i := strings.LastIndexAny(s, " \n\t,.;:(")
	return s[i+1:]
}

// classifyResolveOverlaps keeps the longest of overlapping expressions
// ("end of next month" over "next month") and drops a weekday written
// right before the date it names ("Friday, 20 March").
func classifyResolveOverlaps(cs []classifyDateCand) []classifyDateCand {
	sort.SliceStable(cs, func(i, j int) bool {
		li, lj := cs[i].end-cs[i].start, cs[j].end-cs[j].start
		if li != lj {
			return li > lj
		}
		return cs[i].start < cs[j].start
	})
	var keep []classifyDateCand
	for _, c := range cs {
		ok := true
		for _, k := range keep {
			if c.start < k.end && k.start < c.end {
				ok = false
				break
			}
		}
		if ok {
			keep = append(keep, c)
		}
	}
	sort.Slice(keep, func(i, j int) bool { return keep[i].start < keep[j].start })
	out := keep[:0]
	for i, c := range keep {
		if !c.absolute && !c.vague && i+1 < len(keep) && keep[i+1].absolute && keep[i+1].start-c.end <= 14 {
			continue
		}
		out = append(out, c)
	}
	return out
}

var classifySentenceEnd = lazyRegexp(`[.!?;]\s|\n\s*\n`)

// classifyPickPromised chooses the promised day among the dates of t: the
// one in the sentence of a promise, introduced by "on/by/bis/el", not
// labelled as an invoice or due date and not in the past. A vague
// expression that wins makes the answer "no date".
func classifyPickPromised(t string, ref Date, usFirst bool, promisePos []int) Date {
	return classifyPickPromisedFrom(classifyFindDates(t, ref, usFirst), t, ref, promisePos)
}

func classifyPickPromisedFrom(cands []classifyDateCand, t string, ref Date, promisePos []int) Date {
	if len(cands) == 0 {
		return 0
	}
	ends := classifySentenceEnd.R().FindAllStringIndex(t, -1)
	sentence := func(pos int) int {
		return sort.Search(len(ends), func(i int) bool { return ends[i][0] >= pos })
	}
	best, bestScore := -1, -100
	for i, c := range cands {
		score := 0
		for _, p := range promisePos {
			if sentence(p) == sentence(c.start) {
				score += 3
				break
			}
			if d := c.start - p; d > -200 && d < 200 {
				score++
				break
			}
		}
		before := t[max(0, c.start-24):c.start]
		if classifyPreIntro.R().MatchString(before) {
			score++
		}
		if classifyPreIssued.R().MatchString(before) {
			score -= 4
		}
		if !c.vague {
			if ref != 0 && c.date < ref {
				score -= 5
			}
			if ref != 0 && c.date > ref.AddDays(400) {
				score -= 3
			}
		}
		// On a tie a concrete date beats a vague one: "not this week, on
		// the 15th" names the 15th.
		if score > bestScore || score == bestScore && best >= 0 && cands[best].vague && !c.vague {
			best, bestScore = i, score
		}
	}
	if best < 0 || bestScore < 0 || cands[best].vague {
		return 0
	}
	return cands[best].date
}

// classifyReturnDate finds when an absent person is back: a date after
// "back/zurück/de vuelta" first, else after "until/bis/hasta".
func classifyReturnDate(t string, ref Date, usFirst bool) Date {
	best, bestScore := Date(0), 0
	for _, c := range classifyFindDates(t, ref, usFirst) {
		if c.vague || ref != 0 && c.date < ref {
			continue
		}
		before := t[max(0, c.start-40):c.start]
		score := 1
		switch {
		case classifyPreBack.R().MatchString(before):
			score = 3
		case classifyPreUntil.R().MatchString(before):
			score = 2
		}
		if score > bestScore {
			best, bestScore = c.date, score
		}
	}
	return best
}

var (
	classifyAmountRe = lazyRegexp(`(?i)(eur|usd|gbp|chf|€|\$|£)\s?(\d{1,3}(?:[.,' ]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)\b|\b(\d{1,3}(?:[.,' ]\d{3})*(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)\s?(eur|euros?|usd|gbp|chf|€|\$|£)`)
)

// classifyPromisedAmount reads the first amount with a currency in the
// text, as a decimal: promises often name what will be paid ("the
// remaining 1.250,00 EUR").
func classifyPromisedAmount(text string) (decimal.Decimal, string, bool) {
	for _, m := range classifyAmountRe.R().FindAllStringSubmatch(classifyFold(text), 8) {
		num, cur := m[2], m[1]
		if num == "" {
			num, cur = m[3], m[4]
		}
		d, ok := classifyParseAmount(num)
		if !ok || d.IsZero() {
			continue
		}
		return d, classifyCurrency(cur), true
	}
	return decimal.Decimal{}, "", false
}

func classifyCurrency(s string) string {
	switch strings.ToLower(s) {
	case "€", "eur", "euro", "euros":
		return "EUR"
	case "$", "usd":
		return "USD"
	case "£", "gbp":
		return "GBP"
	case "chf":
		return "CHF"
	}
	return strings.ToUpper(s)
}

// classifyParseAmount reads 1.250,00 / 1,250.00 / 1 250,00 / 1250: the last
// separator followed by one or two digits is the decimal mark.
func classifyParseAmount(s string) (decimal.Decimal, bool) {
	s = strings.TrimSpace(s)
	dec := -1
	if i := strings.LastIndexAny(s, ".,"); i >= 0 && len(s)-i-1 <= 2 {
		dec = i
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case classifyIsDigit(s[i]):
			b.WriteByte(s[i])
		case i == dec:
			b.WriteByte('.')
		}
	}
	d, err := decimal.NewFromString(b.String())
	return d, err == nil
}

// FindDate returns the first fully written date (with its year) in text,
// in any of the forms Classify understands: "2026-03-20", "20.03.2026",
// "March 20, 2026", "20. März 2026", "20 de marzo de 2026". For readers of
// quoted header blocks ("Sent: Tuesday, March 3, 2026 10:15 AM").
func FindDate(text string) (Date, bool) {
	for _, c := range classifyFindDates(classifyFoldLower(classifyCap(text)), 0, false) {
		if c.absolute && !c.date.IsZero() {
			return c.date, true
		}
	}
	return 0, false
}

// classifyUnambiguousSlash: a yearless "4/15" or "15/4" can only be a
// day and a month, except the "24/7" of opening hours; "1/2" and "3/4"
// may be fractions and need a preposition to be dates.
func classifyUnambiguousSlash(a, b int) bool {
	if a == 24 && b == 7 || a == 7 && b == 24 {
		return false
	}
	return a >= 1 && b >= 1 && (a <= 12 && b > 12 && b <= 31 || b <= 12 && a > 12 && a <= 31)
}
