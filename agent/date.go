package agent

import (
	"encoding/json"
	"fmt"
	"time"
)

// Date is a calendar date without a time zone. Dunning is decided on dates,
// not instants: an invoice is due on a day wherever the reader sits. It counts
// days from 0001-01-01 plus one, so the zero value means "no date".
type Date int32

const daysToUnix = 719163 // days from 0001-01-01 to 1970-01-01

// NewDate returns the date y-m-d (normalised like time.Date).
func NewDate(y int, m time.Month, d int) Date {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return Date(t.Unix()/86400 + daysToUnix + 1)
}

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return NewDate(y, m, d)
}

// ParseDate reads an ISO date (2006-01-02).
func ParseDate(s string) (Date, error) {
	if d, ok := parseISO(s); ok {
		return d, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, fmt.Errorf("not an ISO date (YYYY-MM-DD): %q", s)
	}
	return DateOf(t), nil
}

// parseISO is the fast path of ParseDate for well-formed dates: a store
// reads millions of them.
func parseISO(s string) (Date, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	n := 0
	for i, c := range []byte(s) {
		if i == 4 || i == 7 {
			continue
		}
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	y, m, d := n/10000, n/100%100, n%100
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0, false
	}
	return fromCivil(y, m, d), true
}

func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// fromCivil is Howard Hinnant's days_from_civil.
func fromCivil(y, m, d int) Date {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return Date(era*146097+doe-719468) + daysToUnix + 1
}

// MustDate is ParseDate for literals in tests and tables.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func (d Date) IsZero() bool { return d == 0 }

// Time returns midnight of d in loc.
func (d Date) Time(loc *time.Location) time.Time {
	u := time.Unix(int64(d-1-daysToUnix)*86400, 0).UTC()
	return time.Date(u.Year(), u.Month(), u.Day(), 0, 0, 0, 0, loc)
}

func (d Date) Year() int         { return d.Time(time.UTC).Year() }
func (d Date) Month() time.Month { return d.Time(time.UTC).Month() }
func (d Date) Day() int          { return d.Time(time.UTC).Day() }
func (d Date) Weekday() time.Weekday {
	return d.Time(time.UTC).Weekday()
}

// AddDays returns d shifted by n days.
func (d Date) AddDays(n int) Date { return d + Date(n) }

// Sub returns the number of days from e to d (d − e).
func (d Date) Sub(e Date) int { return int(d - e) }

// String returns the ISO form, or "" for the zero date.
func (d Date) String() string {
	if d == 0 {
		return ""
	}
	return string(d.AppendISO(nil))
}

// AppendISO appends YYYY-MM-DD without going through time.Time: dates are
// formatted a million times in a run over a large ledger.
func (d Date) AppendISO(b []byte) []byte {
	y, m, day := d.civil()
	if y < 0 || y > 9999 {
		return append(b, d.Time(time.UTC).Format(time.DateOnly)...)
	}
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+day/10), byte('0'+day%10))
}

// civil converts to year, month, day (Howard Hinnant's days_from_civil
// inverse), exact for the proleptic Gregorian calendar.
func (d Date) civil() (y, m, day int) {
	z := int(d-1-daysToUnix) + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, day
}

func (d Date) MarshalJSON() ([]byte, error) {
	if d == 0 {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = 0
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == "" {
		*d = 0
		return nil
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Clock is the source of "now". Everything that reads the time takes one, so
// a run can be replayed and tests need no sleeps.
type Clock interface{ Now() time.Time }

// SystemClock reads the machine's clock.
type SystemClock struct{}

func (SystemClock) Now() time.Time { return time.Now() }

// FixedClock always returns the same instant.
type FixedClock time.Time

func (c FixedClock) Now() time.Time { return time.Time(c) }

// Today returns the current date in loc.
func Today(c Clock, loc *time.Location) Date { return DateOf(c.Now().In(loc)) }
