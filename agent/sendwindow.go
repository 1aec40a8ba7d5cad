package agent

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// SendWindow is when notices may leave for one customer: business hours on
// working days in the customer's time zone. A reminder that lands at 3 a.m.
// or on a public holiday is read last, or by nobody.
//
// Start and End are wall-clock times (08:00 is 8h whatever the DST offset)
// and the window is [Start, End); End may be 24h for "until midnight". The
// zero SendWindow never opens: a caller without a configured window must
// decide that sending at any time is acceptable, not fall into it.
type SendWindow struct {
	Start, End time.Duration
	// Weekdays on which the window opens; empty means Monday to Friday.
	Weekdays []time.Weekday
	// Holidays names a calendar of HolidayCalendars ("ES", "DE-BY", "US");
	// "" means no holidays.
	Holidays string
}

// sendWindowHorizon bounds Next's search. Even a window open one weekday a
// week meets an open day within weeks; this only stops an impossible window
// (every open weekday a holiday) from looping for ever.
const sendWindowHorizon = 3 * 366

// Validate reports a window that can never open or is outside one day.
func (w SendWindow) Validate() error {
	if w.Start < 0 || w.End > 24*time.Hour || w.Start >= w.End {
		return fmt.Errorf("send window %s-%s: the start must be before the end, within one day",
			clockText(w.Start), clockText(w.End))
	}
	for _, d := range w.Weekdays {
		if d < time.Sunday || d > time.Saturday {
			return fmt.Errorf("send window: invalid weekday %d", d)
		}
	}
	if w.Holidays != "" {
		if _, ok := holidayCalendars[normCalendar(w.Holidays)]; !ok {
			return fmt.Errorf("send window: unknown holiday calendar %q (known: %s)",
				w.Holidays, strings.Join(HolidayCalendars(), ", "))
		}
	}
	return nil
}

// Open reports whether the window is open at t, read in loc (the
// customer's zone; nil means UTC).
func (w SendWindow) Open(t time.Time, loc *time.Location) bool {
	if w.Validate() != nil {
		return false
	}
	lt := t.In(orUTC(loc))
	wall := sinceMidnight(lt)
	return wall >= w.Start && wall < w.End && w.dayOpen(DateOf(lt))
}

// Next returns the earliest instant ≥ t at which the window is open, in loc.
// It returns t itself when the window is open at t, and the zero Time when
// the window never opens (see Validate).
//
// The search walks the local days in stretches of constant UTC offset, so a
// DST change is met where it happens: a window starting at 02:30 on the day
// clocks jump from 02:00 to 03:00 opens at 03:00, the first instant whose
// local time is past its start; on the day clocks fall back it opens at the
// first 02:30 and, being a wall-clock window, is closed again from the
// repeated 02:00 until the second 02:30.
func (w SendWindow) Next(t time.Time, loc *time.Location) time.Time {
	if w.Validate() != nil {
		return time.Time{}
	}
	cur := t.In(orUTC(loc))
	// Each day has at most a few offset changes; 4 steps a day is ample.
	for range 4 * sendWindowHorizon {
		wall := sinceMidnight(cur)
		// Where the current offset would put the next midnight; a zone
		// change may come sooner, and then the walk resumes there.
		end := cur.Add(24*time.Hour - wall)
		if _, zoneEnd := cur.ZoneBounds(); !zoneEnd.IsZero() && zoneEnd.Before(end) {
			end = zoneEnd
		}
		if w.dayOpen(DateOf(cur)) {
			if wall >= w.Start && wall < w.End {
				return cur
			}
			if wall < w.Start {
				if open := cur.Add(w.Start - wall); open.Before(end) {
					return open
				}
			}
		}
		cur = end
	}
	return time.Time{}
}

func (w SendWindow) dayOpen(d Date) bool {
	wd := d.Weekday()
	if len(w.Weekdays) == 0 {
		if wd == time.Saturday || wd == time.Sunday {
			return false
		}
	} else if !containsWeekday(w.Weekdays, wd) {
		return false
	}
	if w.Holidays != "" {
		if _, ok := IsHoliday(w.Holidays, d); ok {
			return false
		}
	}
	return true
}

// String describes the window for logs and error messages.
func (w SendWindow) String() string {
	s := clockText(w.Start) + "-" + clockText(w.End)
	if len(w.Weekdays) > 0 {
		names := make([]string, len(w.Weekdays))
		for i, d := range w.Weekdays {
			names[i] = strings.ToLower(d.String()[:3])
		}
		s += " " + strings.Join(names, ",")
	}
	if w.Holidays != "" {
		s += " holidays " + w.Holidays
	}
	return s
}

func containsWeekday(ds []time.Weekday, d time.Weekday) bool {
	for _, x := range ds {
		if x == d {
			return true
		}
	}
	return false
}

func orUTC(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}

// sinceMidnight is the wall-clock time of day of t, in its location.
func sinceMidnight(t time.Time) time.Duration {
	h, m, s := t.Clock()
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute +
		time.Duration(s)*time.Second + time.Duration(t.Nanosecond())
}

func clockText(d time.Duration) string {
	if d < 0 {
		return "-" + clockText(-d)
	}
	m := int(d / time.Minute)
	return fmt.Sprintf("%02d:%02d", m/60, m%60)
}

// ParseSendWindow reads a window from configuration: hours as
// "08:00-18:00" (end exclusive, "24:00" allowed), weekdays as English names
// or three-letter abbreviations in any case, singly or as ranges
// ("mon-fri", "Mon", "saturday"; an element may hold a comma-separated
// list), and a holiday calendar name ("" for none).
func ParseSendWindow(hours string, weekdays []string, holidays string) (SendWindow, error) {
	var w SendWindow
	from, to, ok := cutRange(hours)
	if !ok {
		return w, fmt.Errorf("send window hours %q: want HH:MM-HH:MM, e.g. 08:00-18:00", hours)
	}
	var err error
	if w.Start, err = parseClock(from, false); err != nil {
		return w, fmt.Errorf("send window hours %q: %v", hours, err)
	}
	if w.End, err = parseClock(to, true); err != nil {
		return w, fmt.Errorf("send window hours %q: %v", hours, err)
	}
	if w.Start >= w.End {
		// Overnight windows are not business hours; refusing them keeps a
		// typo like 18:00-08:00 from sending at night.
		return w, fmt.Errorf("send window hours %q: the start must be before the end", hours)
	}

	seen := map[time.Weekday]bool{}
	for _, el := range weekdays {
		for _, part := range strings.Split(el, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			days, err := parseWeekdays(part)
			if err != nil {
				return w, err
			}
			for _, d := range days {
				seen[d] = true
			}
		}
	}
	for d := range seen {
		w.Weekdays = append(w.Weekdays, d)
	}
	// Monday first, as a European reads a week.
	sort.Slice(w.Weekdays, func(i, j int) bool {
		return (w.Weekdays[i]+6)%7 < (w.Weekdays[j]+6)%7
	})

	if holidays = strings.TrimSpace(holidays); holidays != "" {
		w.Holidays = normCalendar(holidays)
	}
	return w, w.Validate()
}

// cutRange splits "a-b", also with an en dash or spaces around it.
func cutRange(s string) (string, string, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), "–", "-")
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return "", "", false
	}
	return strings.TrimSpace(a), strings.TrimSpace(b), true
}

// parseClock reads "8:00" or "08:00"; "24:00" only as an end.
func parseClock(s string, end bool) (time.Duration, error) {
	hh, mm, ok := strings.Cut(s, ":")
	if !ok || len(hh) < 1 || len(hh) > 2 || len(mm) != 2 {
		return 0, fmt.Errorf("%q is not HH:MM", s)
	}
	h, err1 := strconv.Atoi(hh)
	m, err2 := strconv.Atoi(mm)
	if err1 != nil || err2 != nil || h < 0 || m < 0 || m > 59 {
		return 0, fmt.Errorf("%q is not HH:MM", s)
	}
	if h > 23 && !(end && h == 24 && m == 0) {
		return 0, fmt.Errorf("%q is not a time of day", s)
	}
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute, nil
}

var weekdayNames = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

func parseWeekday(s string) (time.Weekday, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) < 3 {
		return 0, false
	}
	d, ok := weekdayNames[s[:3]]
	// Only the abbreviation or the full English name: "monkey" is a typo.
	if !ok || (len(s) > 3 && s != strings.ToLower(d.String())) {
		return 0, false
	}
	return d, true
}

// parseWeekdays reads one day or a range; a range runs forward through the
// week, so "fri-mon" is Friday to Monday.
func parseWeekdays(s string) ([]time.Weekday, error) {
	from, to, isRange := strings.Cut(s, "-")
	a, ok := parseWeekday(from)
	if !ok {
		return nil, fmt.Errorf("send window weekday %q: use mon, tue, wed, thu, fri, sat, sun", s)
	}
	if !isRange {
		return []time.Weekday{a}, nil
	}
	b, ok := parseWeekday(to)
	if !ok {
		return nil, fmt.Errorf("send window weekday %q: use mon, tue, wed, thu, fri, sat, sun", s)
	}
	days := []time.Weekday{a}
	for d := a; d != b; {
		d = (d + 1) % 7
		days = append(days, d)
	}
	return days, nil
}
