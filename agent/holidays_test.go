package agent

import (
	"fmt"
	"slices"
	"sort"
	"testing"
)

func TestEaster(t *testing.T) {
	// Published dates of Western Easter, including the extremes of the
	// range (22 March, 25 April) and century years where the Gregorian
	// corrections kick in.
	tests := map[int]string{
		1818: "1818-03-22", 1943: "1943-04-25", 2000: "2000-04-23", 2008: "2008-03-23",
		2011: "2011-04-24", 2019: "2019-04-21", 2024: "2024-03-31", 2025: "2025-04-20",
		2026: "2026-04-05", 2027: "2027-03-28", 2028: "2028-04-16", 2038: "2038-04-25",
		2100: "2100-03-28", 2285: "2285-03-22",
	}
	for y, want := range tests {
		if got := Easter(y).String(); got != want {
			t.Errorf("Easter(%d) = %s, want %s", y, got, want)
		}
	}
}

// wantHolidays is written out by hand from the official calendars (BOE and
// the regional decrees for Spain, the Länder holiday laws, OPM for the US)
// rather than derived from the rules under test.
var wantHolidays = map[string]map[int][]string{
	"ES": {
		2026: {"01-01", "01-06", "04-02", "04-03", "05-01", "08-15", "10-12", "11-01", "12-06", "12-08", "12-25"},
		2027: {"01-01", "01-06", "03-25", "03-26", "05-01", "08-15", "10-12", "11-01", "12-06", "12-08", "12-25"},
	},
	"ES-MD": {
		2026: {"01-01", "01-06", "04-02", "04-03", "05-01", "05-02", "08-15", "10-12", "11-01", "11-02",
			"12-06", "12-07", "12-08", "12-25"},
		2027: {"01-01", "01-06", "03-25", "03-26", "05-01", "05-03", "08-15", "10-12", "11-01", "12-06",
			"12-08", "12-25"},
	},
	"ES-CT": {
		2026: {"01-01", "01-06", "04-03", "04-06", "05-01", "06-24", "08-15", "09-11", "10-12", "11-01",
			"12-06", "12-08", "12-25", "12-26"},
		2027: {"01-01", "01-06", "03-26", "03-29", "05-01", "06-24", "08-15", "09-11", "10-12", "11-01",
			"12-06", "12-08", "12-25", "12-26"},
	},
	"DE": {
		2026: {"01-01", "04-03", "04-06", "05-01", "05-14", "05-25", "10-03", "12-25", "12-26"},
		2027: {"01-01", "03-26", "03-29", "05-01", "05-06", "05-17", "10-03", "12-25", "12-26"},
	},
	"DE-BY": {
		2026: {"01-01", "01-06", "04-03", "04-06", "05-01", "05-14", "05-25", "06-04", "08-15", "10-03",
			"11-01", "12-25", "12-26"},
		2027: {"01-01", "01-06", "03-26", "03-29", "05-01", "05-06", "05-17", "05-27", "08-15", "10-03",
			"11-01", "12-25", "12-26"},
	},
	"DE-BE": {
		2026: {"01-01", "03-08", "04-03", "04-06", "05-01", "05-14", "05-25", "10-03", "12-25", "12-26"},
		2027: {"01-01", "03-08", "03-26", "03-29", "05-01", "05-06", "05-17", "10-03", "12-25", "12-26"},
	},
	"US": {
		// 07-03 is Independence Day observed (the 4th is a Saturday).
		2026: {"01-01", "01-19", "02-16", "05-25", "06-19", "07-03", "07-04", "09-07", "10-12", "11-11",
			"11-26", "12-25"},
		// Juneteenth and Christmas fall on Saturdays, July 4th on a Sunday,
		// and New Year's Day 2028 on a Saturday: observed 12-31.
		2027: {"01-01", "01-18", "02-15", "05-31", "06-18", "06-19", "07-04", "07-05", "09-06", "10-11",
			"11-11", "11-25", "12-24", "12-25", "12-31"},
	},
}

func TestHolidayTables(t *testing.T) {
	for cal, years := range wantHolidays {
		for y, days := range years {
			var want []string
			for _, md := range days {
				want = append(want, fmt.Sprintf("%d-%s", y, md))
			}
			var got []string
			for _, h := range Holidays(cal, y) {
				got = append(got, h.Date.String())
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s %d:\n got %v\nwant %v", cal, y, got, want)
			}
		}
	}
	if !slices.Equal(HolidayCalendars(), sortedKeys(wantHolidays)) {
		t.Errorf("HolidayCalendars() = %v; every calendar needs a hand-written table here", HolidayCalendars())
	}
}

func sortedKeys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func TestIsHoliday(t *testing.T) {
	tests := []struct {
		cal, date string
		want      string // "" = not a holiday
	}{
		{"ES", "2026-04-03", "Viernes Santo"},
		{"DE", "2026-04-03", "Karfreitag"},
		{"US", "2026-04-03", ""},
		{"ES", "2026-04-02", "Jueves Santo"},
		{"ES-CT", "2026-04-02", ""},                          // Catalonia works on Jueves Santo…
		{"ES-CT", "2026-04-06", "Dilluns de Pasqua Florida"}, // …and rests on Easter Monday
		{"ES", "2026-04-06", ""},
		{"ES-MD", "2026-11-02", "Todos los Santos (traslado)"},
		{"ES", "2026-11-02", ""},
		{"ES-MD", "2027-05-03", "Fiesta de la Comunidad de Madrid (traslado)"},
		{"DE-BY", "2026-06-04", "Fronleichnam"},
		{"DE", "2026-06-04", ""},
		{"DE-BE", "2027-03-08", "Internationaler Frauentag"},
		{"DE-BY", "2027-03-08", ""},
		{"US", "2026-07-03", "Independence Day (observed)"},
		{"US", "2026-07-04", "Independence Day"},
		{"US", "2027-12-24", "Christmas Day (observed)"},
		{"US", "2027-12-31", "New Year's Day (observed)"},
		{"US", "2028-01-01", "New Year's Day"},
		{"US", "2026-06-19", "Juneteenth National Independence Day"},
		{"us", "2026-11-26", "Thanksgiving Day"}, // calendar names are case-insensitive
		{"es_md", "2026-05-02", "Fiesta de la Comunidad de Madrid"},
		{"", "2026-01-01", ""},
		{"FR", "2026-01-01", ""},
		// Beyond the published years the rules still hold.
		{"DE", "2030-04-22", "Ostermontag"},
		{"US", "2029-01-15", "Martin Luther King Jr. Day"},
	}
	for _, tt := range tests {
		name, ok := IsHoliday(tt.cal, MustDate(tt.date))
		if ok != (tt.want != "") || name != tt.want {
			t.Errorf("IsHoliday(%q, %s) = %q, %v; want %q", tt.cal, tt.date, name, ok, tt.want)
		}
	}
	if _, ok := IsHoliday("ES", 0); ok {
		t.Error("the zero date is a holiday")
	}
}

// A region keeps every day of its country except the ones it declares
// replaced.
func TestRegionalCalendarsIncludeNational(t *testing.T) {
	for name, cal := range holidayCalendars {
		if cal.parent == "" {
			continue
		}
		for y := 2026; y <= 2035; y++ {
			for _, h := range Holidays(cal.parent, y) {
				if slices.Contains(cal.replaced, h.Name) {
					continue
				}
				if _, ok := IsHoliday(name, h.Date); !ok {
					t.Errorf("%s lacks %s %s of %s", name, h.Date, h.Name, cal.parent)
				}
			}
		}
	}
}

func TestCalendarForZone(t *testing.T) {
	tests := map[string]string{
		"Europe/Madrid": "ES", "Atlantic/Canary": "ES", "Europe/Berlin": "DE",
		"America/New_York": "US", "America/Chicago": "US", "America/Los_Angeles": "US",
		"America/Phoenix": "US", "Pacific/Honolulu": "US", "America/Indiana/Indianapolis": "US",
		"US/Eastern": "US", "US/Samoa": "", "America/Toronto": "", "America/Mexico_City": "",
		"Europe/Paris": "", "Europe/Vienna": "", "UTC": "", "": "",
	}
	for tz, want := range tests {
		if got := CalendarForZone(tz); got != want {
			t.Errorf("CalendarForZone(%q) = %q, want %q", tz, got, want)
		}
	}
}
