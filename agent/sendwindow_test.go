package agent

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the DST cases must not depend on the machine's zoneinfo
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func mustWindow(t testing.TB, hours, days, cal string) SendWindow {
	t.Helper()
	var wd []string
	if days != "" {
		wd = []string{days}
	}
	w, err := ParseSendWindow(hours, wd, cal)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func mustInstant(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestSendWindowOpen(t *testing.T) {
	tests := []struct {
		name             string
		hours, days, cal string
		zone, at         string
		want             bool
	}{
		{"inside business hours", "08:00-18:00", "", "ES", "Europe/Madrid", "2026-03-10T10:00:00+01:00", true},
		{"start is inclusive", "08:00-18:00", "", "ES", "Europe/Madrid", "2026-03-10T08:00:00+01:00", true},
		{"a second before start", "08:00-18:00", "", "ES", "Europe/Madrid", "2026-03-10T07:59:59+01:00", false},
		{"end is exclusive", "08:00-18:00", "", "ES", "Europe/Madrid", "2026-03-10T18:00:00+01:00", false},
		{"just before end", "08:00-18:00", "", "ES", "Europe/Madrid", "2026-03-10T17:59:59.999+01:00", true},
		{"saturday", "08:00-18:00", "", "ES", "Europe/Madrid", "2026-03-14T10:00:00+01:00", false},
		{"saturday when configured", "08:00-18:00", "mon-sat", "ES", "Europe/Madrid", "2026-03-14T10:00:00+01:00", true},
		{"good friday in Spain", "08:00-18:00", "", "ES", "Europe/Madrid", "2026-04-03T10:00:00+02:00", false},
		{"good friday in Germany", "08:00-18:00", "", "DE", "Europe/Berlin", "2026-04-03T10:00:00+02:00", false},
		{"good friday in the US", "08:00-18:00", "", "US", "America/New_York", "2026-04-03T10:00:00-04:00", true},
		{"good friday without calendar", "08:00-18:00", "", "", "Europe/Madrid", "2026-04-03T10:00:00+02:00", true},
		// One instant, 09:00 UTC: 10:00 in Madrid, 05:00 in New York.
		{"same instant in Madrid", "08:00-18:00", "", "ES", "Europe/Madrid", "2026-03-10T09:00:00Z", true},
		{"same instant in New York", "08:00-18:00", "", "US", "America/New_York", "2026-03-10T09:00:00Z", false},
		// The weekday is the customer's: Friday 23:30 in Los Angeles is
		// Saturday in UTC.
		{"weekday in the customer's zone", "00:00-24:00", "fri", "", "America/Los_Angeles", "2026-03-07T07:30:00Z", true},
		{"until midnight", "08:00-24:00", "", "", "Europe/Madrid", "2026-03-10T23:59:59+01:00", true},
		// Fall back in Europe: 02:00–03:00 happens twice. A 02:30 start is a
		// wall-clock time, so the repeated 02:10 is before it again.
		{"first 02:40 of fall-back day", "02:30-04:00", "sun", "", "Europe/Madrid", "2026-10-25T02:40:00+02:00", true},
		{"repeated 02:10 of fall-back day", "02:30-04:00", "sun", "", "Europe/Madrid", "2026-10-25T02:10:00+01:00", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := mustWindow(t, tt.hours, tt.days, tt.cal)
			if got := w.Open(mustInstant(t, tt.at), mustZone(t, tt.zone)); got != tt.want {
				t.Errorf("%v.Open(%s in %s) = %v, want %v", w, tt.at, tt.zone, got, tt.want)
			}
		})
	}
}

func TestSendWindowNext(t *testing.T) {
	tests := []struct {
		name             string
		hours, days, cal string
		zone, from, want string
	}{
		{"already open", "08:00-18:00", "", "ES", "Europe/Madrid",
			"2026-03-10T10:00:00+01:00", "2026-03-10T10:00:00+01:00"},
		{"before opening", "08:00-18:00", "", "ES", "Europe/Madrid",
			"2026-03-10T06:15:00+01:00", "2026-03-10T08:00:00+01:00"},
		{"at closing rolls to the next day", "08:00-18:00", "", "ES", "Europe/Madrid",
			"2026-03-10T18:00:00+01:00", "2026-03-11T08:00:00+01:00"},
		{"late evening rolls to the next day", "08:00-18:00", "", "ES", "Europe/Madrid",
			"2026-03-10T23:59:59+01:00", "2026-03-11T08:00:00+01:00"},
		{"friday evening skips the weekend", "08:00-18:00", "", "ES", "Europe/Madrid",
			"2026-03-13T18:30:00+01:00", "2026-03-16T08:00:00+01:00"},
		{"saturday skips to monday", "08:00-18:00", "", "ES", "Europe/Madrid",
			"2026-03-14T12:00:00+01:00", "2026-03-16T08:00:00+01:00"},
		{"custom weekdays", "09:30-12:00", "tue,thu", "", "Europe/Madrid",
			"2026-03-10T12:00:00+01:00", "2026-03-12T09:30:00+01:00"},
		// Easter 2026: Jueves Santo 2 April and Viernes Santo 3 April in
		// Spain; Catalonia works on the Thursday and rests on Monday 6th.
		{"spanish easter", "08:00-18:00", "", "ES", "Europe/Madrid",
			"2026-04-01T18:00:00+02:00", "2026-04-06T08:00:00+02:00"},
		{"catalan easter", "08:00-18:00", "", "ES-CT", "Europe/Madrid",
			"2026-04-01T18:00:00+02:00", "2026-04-02T08:00:00+02:00"},
		{"catalan easter monday", "08:00-18:00", "", "ES-CT", "Europe/Madrid",
			"2026-04-02T18:00:00+02:00", "2026-04-07T08:00:00+02:00"},
		{"german easter", "08:00-18:00", "", "DE", "Europe/Berlin",
			"2026-04-02T18:00:00+02:00", "2026-04-07T08:00:00+02:00"},
		{"no good friday in the US", "08:00-18:00", "", "US", "America/New_York",
			"2026-04-02T18:00:00-04:00", "2026-04-03T08:00:00-04:00"},
		{"independence day observed on friday", "08:00-18:00", "", "US", "America/New_York",
			"2026-07-02T18:00:00-04:00", "2026-07-06T08:00:00-04:00"},
		{"christmas and new year observed", "08:00-18:00", "", "US", "America/Chicago",
			"2027-12-23T18:00:00-06:00", "2027-12-27T08:00:00-06:00"},
		{"new year observed on 31 december", "08:00-18:00", "", "US", "America/Chicago",
			"2027-12-30T18:00:00-06:00", "2028-01-03T08:00:00-06:00"},
		{"madrid transfers", "08:00-18:00", "", "ES-MD", "Europe/Madrid",
			"2026-10-30T18:00:00+01:00", "2026-11-03T08:00:00+01:00"},
		// Time zones: one instant, 09:00 UTC on Tuesday 10 March. New York is
		// already on summer time (since 8 March), Madrid not yet.
		{"same instant, Madrid", "08:00-18:00", "", "ES", "Europe/Madrid",
			"2026-03-10T09:00:00Z", "2026-03-10T10:00:00+01:00"},
		{"same instant, New York", "08:00-18:00", "", "US", "America/New_York",
			"2026-03-10T09:00:00Z", "2026-03-10T08:00:00-04:00"},
		{"same instant, Los Angeles", "08:00-18:00", "", "US", "America/Los_Angeles",
			"2026-03-10T09:00:00Z", "2026-03-10T08:00:00-07:00"},
		// DST, Europe (Sunday 29 March 2026, 02:00 CET → 03:00 CEST): the
		// window is wall-clock, so Monday opens at 06:00 UTC, not 07:00.
		{"europe spring forward over the weekend", "08:00-18:00", "", "DE", "Europe/Berlin",
			"2026-03-27T18:00:00+01:00", "2026-03-30T08:00:00+02:00"},
		{"europe gap: 02:30 start opens at 03:00", "02:30-04:00", "sun", "", "Europe/Madrid",
			"2026-03-29T00:00:00+01:00", "2026-03-29T03:00:00+02:00"},
		{"europe gap: inside the gap opens at 03:00", "02:30-04:00", "sun", "", "Europe/Madrid",
			"2026-03-29T01:59:59+01:00", "2026-03-29T03:00:00+02:00"},
		{"europe gap: a window inside the gap does not exist", "02:15-02:45", "mon-sun", "", "Europe/Madrid",
			"2026-03-29T00:00:00+01:00", "2026-03-30T02:15:00+02:00"},
		{"europe fall back: first 02:30", "02:30-04:00", "sun", "", "Europe/Madrid",
			"2026-10-25T00:00:00+02:00", "2026-10-25T02:30:00+02:00"},
		{"europe fall back: repeated hour waits for the second 02:30", "02:30-04:00", "sun", "", "Europe/Madrid",
			"2026-10-25T02:10:00+01:00", "2026-10-25T02:30:00+01:00"},
		// DST, US (Sunday 8 March 2026, 02:00 EST → 03:00 EDT).
		{"us spring forward over the weekend", "08:00-18:00", "", "US", "America/New_York",
			"2026-03-06T18:00:00-05:00", "2026-03-09T08:00:00-04:00"},
		{"us gap: 02:30 start opens at 03:00", "02:30-05:00", "sun", "", "America/New_York",
			"2026-03-07T22:00:00-05:00", "2026-03-08T03:00:00-04:00"},
		// US fall back (1 November 2026, 02:00 EDT → 01:00 EST): a window
		// in the repeated hour opens again in its second pass.
		{"us fall back: repeated hour reopens", "01:00-01:30", "sun", "", "America/New_York",
			"2026-11-01T01:45:00-04:00", "2026-11-01T01:00:00-05:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := mustWindow(t, tt.hours, tt.days, tt.cal)
			loc := mustZone(t, tt.zone)
			from, want := mustInstant(t, tt.from), mustInstant(t, tt.want)
			got := w.Next(from, loc)
			if !got.Equal(want) {
				t.Fatalf("%v.Next(%s) = %s, want %s", w, tt.from, got.Format(time.RFC3339), tt.want)
			}
			if got.Location() != loc {
				t.Errorf("Next returned a time in %v, want %v", got.Location(), loc)
			}
			if !w.Open(got, loc) {
				t.Errorf("window not open at its Next %s", got.Format(time.RFC3339))
			}
		})
	}
}

// TestSendWindowNextMatchesOpen checks Next against a brute-force walk of
// Open over 2026–2027 in zones on both sides of the Atlantic (both DST
// changes of each year fall in the sample): Next must be the first open
// minute, never later and never earlier.
func TestSendWindowNextMatchesOpen(t *testing.T) {
	windows := []SendWindow{
		mustWindow(t, "08:00-18:00", "", "ES-MD"),
		mustWindow(t, "02:30-03:30", "mon-sun", "DE"),
		mustWindow(t, "00:30-02:15", "sat-mon", "US"),
		mustWindow(t, "23:00-24:00", "fri", ""),
	}
	zones := []*time.Location{
		mustZone(t, "Europe/Madrid"), mustZone(t, "Europe/Berlin"),
		mustZone(t, "America/New_York"), mustZone(t, "America/Los_Angeles"), time.UTC,
	}
	var transitions []time.Time
	for _, loc := range zones[:4] {
		for tt := mustInstant(t, "2026-01-01T00:00:00Z").In(loc); tt.Year() < 2028; {
			_, end := tt.ZoneBounds()
			if end.IsZero() {
				break
			}
			transitions = append(transitions, end)
			tt = end
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	base := mustInstant(t, "2026-01-01T00:00:00Z")
	var starts []time.Time
	for range 150 {
		starts = append(starts, base.Add(time.Duration(rng.IntN(2*365*24*60))*time.Minute))
	}
	for _, tr := range transitions {
		// Right around every DST change, where mistakes happen.
		for _, d := range []time.Duration{-3 * time.Hour, -30 * time.Minute, 0, 30 * time.Minute} {
			starts = append(starts, tr.Add(d))
		}
	}
	for _, w := range windows {
		for _, loc := range zones {
			for _, from := range starts {
				got := w.Next(from, loc)
				want := time.Time{}
				// Every window edge and every DST change of these zones lies
				// on a quarter hour in UTC, so Open is constant between
				// quarter hours and checking them is as good as every instant.
				for m := from; m.Before(from.Add(10 * 24 * time.Hour)); m = m.Truncate(15 * time.Minute).Add(15 * time.Minute) {
					if w.Open(m, loc) {
						want = m
						break
					}
				}
				if want.IsZero() {
					t.Fatalf("%v in %v from %s: no open minute in 10 days", w, loc, from)
				}
				if !got.Equal(want) {
					t.Fatalf("%v in %v from %s: Next = %s, first open minute %s",
						w, loc, from.In(loc).Format(time.RFC3339), got.Format(time.RFC3339), want.In(loc).Format(time.RFC3339))
				}
			}
		}
	}
}

func TestSendWindowNever(t *testing.T) {
	at := mustInstant(t, "2026-03-10T10:00:00Z")
	for _, w := range []SendWindow{
		{},
		{Start: 18 * time.Hour, End: 8 * time.Hour},
		{Start: 8 * time.Hour, End: 25 * time.Hour},
		{Start: 8 * time.Hour, End: 18 * time.Hour, Holidays: "XX"},
	} {
		if w.Open(at, time.UTC) {
			t.Errorf("%+v is open", w)
		}
		if got := w.Next(at, time.UTC); !got.IsZero() {
			t.Errorf("%+v: Next = %s, want the zero time", w, got)
		}
	}
	// A nil location reads the window in UTC.
	w := mustWindow(t, "08:00-18:00", "", "")
	if !w.Open(at, nil) || !w.Next(at, nil).Equal(at) {
		t.Error("nil location is not UTC")
	}
}

func TestParseSendWindow(t *testing.T) {
	M, Tu, W, Th, F, Sa, Su := time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday
	tests := []struct {
		hours    string
		days     []string
		cal      string
		start    string
		end      string
		weekdays []time.Weekday
		holidays string
	}{
		{"08:00-18:00", nil, "", "08:00", "18:00", nil, ""},
		{"8:30 - 17:45", nil, "es", "08:30", "17:45", nil, "ES"},
		{"09:00–24:00", []string{"Mon", "TUE", "wednesday"}, "de_by", "09:00", "24:00", []time.Weekday{M, Tu, W}, "DE-BY"},
		{"00:00-24:00", []string{"mon-fri"}, "US", "00:00", "24:00", []time.Weekday{M, Tu, W, Th, F}, "US"},
		{"07:00-19:00", []string{"sun, sat", "sat"}, "", "07:00", "19:00", []time.Weekday{Sa, Su}, ""},
		{"07:00-19:00", []string{"fri-mon"}, "", "07:00", "19:00", []time.Weekday{M, F, Sa, Su}, ""},
		{"07:00-19:00", []string{"mon,thu"}, "ES-CT", "07:00", "19:00", []time.Weekday{M, Th}, "ES-CT"},
	}
	for _, tt := range tests {
		w, err := ParseSendWindow(tt.hours, tt.days, tt.cal)
		if err != nil {
			t.Errorf("ParseSendWindow(%q, %q, %q): %v", tt.hours, tt.days, tt.cal, err)
			continue
		}
		if clockText(w.Start) != tt.start || clockText(w.End) != tt.end ||
			!slices.Equal(w.Weekdays, tt.weekdays) || w.Holidays != tt.holidays {
			t.Errorf("ParseSendWindow(%q, %q, %q) = %v", tt.hours, tt.days, tt.cal, w)
		}
	}

	bad := []struct {
		hours string
		days  []string
		cal   string
		msg   string
	}{
		{"", nil, "", "HH:MM-HH:MM"},
		{"08:00", nil, "", "HH:MM-HH:MM"},
		{"8-18", nil, "", "not HH:MM"},
		{"08:00-25:00", nil, "", "not a time of day"},
		{"24:00-24:00", nil, "", "not a time of day"},
		{"08:60-18:00", nil, "", "not HH:MM"},
		{"18:00-08:00", nil, "", "before the end"},
		{"08:00-08:00", nil, "", "before the end"},
		{"08:00-18:00", []string{"Mo"}, "", "use mon"},
		{"08:00-18:00", []string{"monkey"}, "", "use mon"},
		{"08:00-18:00", []string{"mon-xyz"}, "", "use mon"},
		{"08:00-18:00", nil, "FR", "unknown holiday calendar"},
	}
	for _, tt := range bad {
		_, err := ParseSendWindow(tt.hours, tt.days, tt.cal)
		if err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("ParseSendWindow(%q, %q, %q) error = %v, want %q", tt.hours, tt.days, tt.cal, err, tt.msg)
		}
	}
}

func BenchmarkSendWindowNext(b *testing.B) {
	w := mustWindow(b, "08:00-18:00", "", "ES-MD")
	loc := mustZone(b, "Europe/Madrid")
	from := mustInstant(b, "2026-04-01T18:00:00+02:00")
	for b.Loop() {
		w.Next(from, loc)
	}
}
