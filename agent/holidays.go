package agent

import (
	"sort"
	"strings"
	"sync"
	"time"
)

// Holiday is one public holiday of a calendar.
type Holiday struct {
	Date Date
	Name string
}

// holidayRule yields a calendar's holidays for one year. A rule may return
// dates outside the year (a US holiday observed on 31 December for the next
// New Year's Day); the calendar keeps each date in the year it falls in.
type holidayRule func(year int) []Holiday

// holidayCalendar is a country's calendar or a region's. Regions list their
// own days and the country's days they do not keep: a Spanish community may
// give up one of the replaceable national days for a day of its own.
type holidayCalendar struct {
	parent string
	rules  []holidayRule
	// replaced names days of the parent calendar the region does not keep.
	replaced []string
	// decreed lists the days a government fixes year by year, such as a
	// Sunday holiday moved to Monday in one community. They cannot be derived
	// from a rule, so they are written out from the official calendar.
	decreed map[int][]Holiday
}

// Holidays are computed from rules rather than listed, so that Easter-based
// days are right in any year; only the days a regional government decides
// each year come from the decreed tables. Names are in the country's
// language because that is how the customer's own staff calls the day.
var holidayCalendars = map[string]holidayCalendar{
	"ES": {rules: []holidayRule{
		fixedHoliday(time.January, 1, "Año Nuevo"),
		fixedHoliday(time.January, 6, "Epifanía del Señor (Reyes)"),
		// Jueves Santo is not one of the national days but every community
		// except Catalonia (and, most years, Valencia) keeps it; a sender in
		// Spain without a region is better off assuming it.
		easterHoliday(-3, "Jueves Santo"),
		easterHoliday(-2, "Viernes Santo"),
		fixedHoliday(time.May, 1, "Fiesta del Trabajo"),
		fixedHoliday(time.August, 15, "Asunción de la Virgen"),
		fixedHoliday(time.October, 12, "Fiesta Nacional de España"),
		fixedHoliday(time.November, 1, "Todos los Santos"),
		fixedHoliday(time.December, 6, "Día de la Constitución Española"),
		fixedHoliday(time.December, 8, "Inmaculada Concepción"),
		fixedHoliday(time.December, 25, "Natividad del Señor"),
	}},
	"ES-MD": {parent: "ES",
		rules: []holidayRule{
			// Madrid has moved its day to Monday whenever it fell on a
			// Sunday (2021, 2027); on a Saturday it stays (2026).
			sundayToMonday(fixedHoliday(time.May, 2, "Fiesta de la Comunidad de Madrid")),
		},
		decreed: map[int][]Holiday{
			// Decreto of the Comunidad de Madrid for 2026: the two national
			// days that fall on a Sunday are kept on the Monday after.
			2026: {
				{MustDate("2026-11-02"), "Todos los Santos (traslado)"},
				{MustDate("2026-12-07"), "Día de la Constitución Española (traslado)"},
			},
		},
	},
	"ES-CT": {parent: "ES",
		replaced: []string{"Jueves Santo"},
		rules: []holidayRule{
			easterHoliday(1, "Dilluns de Pasqua Florida"),
			fixedHoliday(time.June, 24, "Sant Joan"),
			fixedHoliday(time.September, 11, "Diada Nacional de Catalunya"),
			fixedHoliday(time.December, 26, "Sant Esteve"),
		},
	},
	"DE": {rules: []holidayRule{
		fixedHoliday(time.January, 1, "Neujahr"),
		easterHoliday(-2, "Karfreitag"),
		easterHoliday(1, "Ostermontag"),
		fixedHoliday(time.May, 1, "Tag der Arbeit"),
		easterHoliday(39, "Christi Himmelfahrt"),
		easterHoliday(50, "Pfingstmontag"),
		fixedHoliday(time.October, 3, "Tag der Deutschen Einheit"),
		fixedHoliday(time.December, 25, "1. Weihnachtstag"),
		fixedHoliday(time.December, 26, "2. Weihnachtstag"),
	}},
	"DE-BY": {parent: "DE", rules: []holidayRule{
		fixedHoliday(time.January, 6, "Heilige Drei Könige"),
		easterHoliday(60, "Fronleichnam"),
		// Mariä Himmelfahrt is a holiday only in Bavaria's Catholic
		// municipalities, which are most of them; a business there is
		// more likely closed than open.
		fixedHoliday(time.August, 15, "Mariä Himmelfahrt"),
		fixedHoliday(time.November, 1, "Allerheiligen"),
	}},
	"DE-BE": {parent: "DE", rules: []holidayRule{
		fixedHoliday(time.March, 8, "Internationaler Frauentag"),
	}},
	"US": {rules: []holidayRule{
		usObserved(time.January, 1, "New Year's Day"),
		nthWeekdayHoliday(time.January, time.Monday, 3, "Martin Luther King Jr. Day"),
		nthWeekdayHoliday(time.February, time.Monday, 3, "Washington's Birthday"),
		nthWeekdayHoliday(time.May, time.Monday, -1, "Memorial Day"),
		usObserved(time.June, 19, "Juneteenth National Independence Day"),
		usObserved(time.July, 4, "Independence Day"),
		nthWeekdayHoliday(time.September, time.Monday, 1, "Labor Day"),
		nthWeekdayHoliday(time.October, time.Monday, 2, "Columbus Day"),
		usObserved(time.November, 11, "Veterans Day"),
		nthWeekdayHoliday(time.November, time.Thursday, 4, "Thanksgiving Day"),
		usObserved(time.December, 25, "Christmas Day"),
	}},
}

// HolidayCalendars lists the calendar names IsHoliday knows, sorted.
func HolidayCalendars() []string {
	names := make([]string, 0, len(holidayCalendars))
	for n := range holidayCalendars {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// normCalendar accepts "es-md" or "ES_MD" for "ES-MD", the way people type
// region codes in a config file.
func normCalendar(name string) string {
	return strings.ReplaceAll(strings.ToUpper(strings.TrimSpace(name)), "_", "-")
}

// IsHoliday reports whether d is a public holiday in calendar and its name.
// An unknown or empty calendar has no holidays.
func IsHoliday(calendar string, d Date) (name string, ok bool) {
	if d.IsZero() {
		return "", false
	}
	days := holidayYear(normCalendar(calendar), d.Year())
	name, ok = days[d]
	return name, ok
}

// Holidays returns the holidays of calendar in year, in date order.
func Holidays(calendar string, year int) []Holiday {
	days := holidayYear(normCalendar(calendar), year)
	out := make([]Holiday, 0, len(days))
	for d, n := range days {
		out = append(out, Holiday{d, n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date < out[j].Date })
	return out
}

type holidayKey struct {
	calendar string
	year     int
}

// holidayCache keeps each computed year: SendWindow.Next asks about every
// day it steps over, for every notice of a run.
var holidayCache sync.Map // holidayKey → map[Date]string

func holidayYear(calendar string, year int) map[Date]string {
	if _, ok := holidayCalendars[calendar]; !ok {
		return nil // not cached: a typo in a config must not grow the cache
	}
	k := holidayKey{calendar, year}
	if v, ok := holidayCache.Load(k); ok {
		return v.(map[Date]string)
	}
	days := computeHolidays(calendar, year)
	v, _ := holidayCache.LoadOrStore(k, days)
	return v.(map[Date]string)
}

func computeHolidays(calendar string, year int) map[Date]string {
	cal, ok := holidayCalendars[calendar]
	if !ok {
		return nil
	}
	days := map[Date]string{}
	if cal.parent != "" {
		drop := map[string]bool{}
		for _, n := range cal.replaced {
			drop[n] = true
		}
		for d, n := range computeHolidays(cal.parent, year) {
			if !drop[n] {
				days[d] = n
			}
		}
	}
	add := func(h Holiday) {
		if h.Date.Year() != year {
			return
		}
		if prev, ok := days[h.Date]; ok && prev != h.Name {
			// Two holidays on one day (a regional day on a national one):
			// show both so a collector sees why the day is closed.
			if !strings.Contains(prev, h.Name) {
				days[h.Date] = prev + " / " + h.Name
			}
			return
		}
		days[h.Date] = h.Name
	}
	// Neighbouring years are asked too, for a day observed across New Year.
	for y := year - 1; y <= year+1; y++ {
		for _, r := range cal.rules {
			for _, h := range r(y) {
				add(h)
			}
		}
	}
	for _, h := range cal.decreed[year] {
		add(h)
	}
	return days
}

func fixedHoliday(m time.Month, day int, name string) holidayRule {
	return func(y int) []Holiday { return []Holiday{{NewDate(y, m, day), name}} }
}

func easterHoliday(offset int, name string) holidayRule {
	return func(y int) []Holiday { return []Holiday{{Easter(y).AddDays(offset), name}} }
}

// nthWeekdayHoliday is the n-th weekday wd of month m; n = -1 is the last.
func nthWeekdayHoliday(m time.Month, wd time.Weekday, n int, name string) holidayRule {
	return func(y int) []Holiday {
		if n < 0 {
			last := NewDate(y, m+1, 0)
			back := (int(last.Weekday()) - int(wd) + 7) % 7
			return []Holiday{{last.AddDays(-back), name}}
		}
		first := NewDate(y, m, 1)
		fwd := (int(wd) - int(first.Weekday()) + 7) % 7
		return []Holiday{{first.AddDays(fwd + 7*(n-1)), name}}
	}
}

// usObserved is a fixed-date federal holiday with the OPM rule for
// weekends: a Saturday holiday is observed on the Friday before, a Sunday
// one on the Monday after. Both days are returned because offices are
// closed on the observed day while the actual day may still matter to a
// reader (and is a weekend anyway).
func usObserved(m time.Month, day int, name string) holidayRule {
	return func(y int) []Holiday {
		d := NewDate(y, m, day)
		switch d.Weekday() {
		case time.Saturday:
			return []Holiday{{d, name}, {d.AddDays(-1), name + " (observed)"}}
		case time.Sunday:
			return []Holiday{{d, name}, {d.AddDays(1), name + " (observed)"}}
		}
		return []Holiday{{d, name}}
	}
}

// sundayToMonday moves a holiday that falls on a Sunday to the Monday after.
func sundayToMonday(r holidayRule) holidayRule {
	return func(y int) []Holiday {
		hs := r(y)
		for i := range hs {
			if hs[i].Date.Weekday() == time.Sunday {
				hs[i] = Holiday{hs[i].Date.AddDays(1), hs[i].Name + " (traslado)"}
			}
		}
		return hs
	}
}

// Easter returns Easter Sunday of year y in the Gregorian calendar, by the
// anonymous Gregorian algorithm (Meeus/Jones/Butcher), exact for every year
// of the Gregorian calendar.
func Easter(y int) Date {
	a := y % 19
	b, c := y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return NewDate(y, time.Month(month), day)
}

// CalendarForZone guesses the holiday calendar from an IANA time zone name,
// for customers whose config names a zone but no calendar. Only whole
// countries are guessed: a zone does not tell Madrid from Barcelona.
func CalendarForZone(tz string) string {
	switch tz {
	case "Europe/Madrid", "Atlantic/Canary", "Africa/Ceuta":
		return "ES"
	case "Europe/Berlin", "Europe/Busingen":
		return "DE"
	}
	if usZones[tz] || strings.HasPrefix(tz, "America/Indiana/") ||
		strings.HasPrefix(tz, "America/Kentucky/") || strings.HasPrefix(tz, "America/North_Dakota/") ||
		(strings.HasPrefix(tz, "US/") && tz != "US/Samoa") {
		return "US"
	}
	return ""
}

// usZones are the tz database zones of the fifty states (and their
// pre-1993 aliases). Territories are left out: they add holidays of their
// own that a federal calendar would miss.
var usZones = map[string]bool{
	"America/New_York": true, "America/Detroit": true, "America/Chicago": true,
	"America/Menominee": true, "America/Denver": true, "America/Boise": true,
	"America/Phoenix": true, "America/Los_Angeles": true, "America/Anchorage": true,
	"America/Juneau": true, "America/Sitka": true, "America/Metlakatla": true,
	"America/Yakutat": true, "America/Nome": true, "America/Adak": true,
	"America/Fort_Wayne": true, "America/Indianapolis": true, "America/Knox_IN": true,
	"America/Louisville": true, "America/Shiprock": true, "America/Atka": true,
	"Pacific/Honolulu": true, "Navajo": true,
}
