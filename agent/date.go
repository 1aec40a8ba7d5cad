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
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, fmt.Errorf("not an ISO date (YYYY-MM-DD): %q", s)
	}
	return DateOf(t), nil
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
	return d.Time(time.UTC).Format(time.DateOnly)
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
