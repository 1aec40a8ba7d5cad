package agent

import "github.com/shopspring/decimal"

// Policy is a named set of dunning rules (SPEC §3).
type Policy struct {
	Name string
	// MinOverdue is the minimum overdue total per currency; a currency not
	// in MinOverdueBy uses MinOverdue.
	MinOverdue       decimal.Decimal
	MinOverdueBy     map[string]decimal.Decimal
	MinDaysBetween   int
	PromiseGraceDays int
	SkipLevels       bool
	Upcoming         *Upcoming
	Levels           []Level // ascending by Level
}

// Upcoming is the optional reminder before the due date.
type Upcoming struct {
	Days     int // negative: days before due
	Template string
}

// Level is one step of the dunning ladder.
type Level struct {
	Level    int
	Days     int
	Template string
	Review   bool
	Fee      decimal.Decimal
	Interest decimal.Decimal // yearly rate, e.g. 0.1015
	Action   string          // "" (send an email) or "escalate"
}

// ActionEscalate makes a level a collector task instead of an email.
const ActionEscalate = "escalate"

// Minimum returns the overdue total a currency must reach.
func (p *Policy) Minimum(currency string) decimal.Decimal {
	if m, ok := p.MinOverdueBy[currency]; ok {
		return m
	}
	return p.MinOverdue
}

// Level returns the level numbered n, or nil.
func (p *Policy) Level(n int) *Level {
	for i := range p.Levels {
		if p.Levels[i].Level == n {
			return &p.Levels[i]
		}
	}
	return nil
}

// target is the highest level whose days the item has reached.
func (p *Policy) target(dpd int) int {
	t := 0
	for _, l := range p.Levels {
		if l.Days <= dpd && l.Level > t {
			t = l.Level
		}
	}
	return t
}

// next is the level the item's next notice puts it at: it climbs one rung
// per notice unless the policy allows skipping.
func (p *Policy) next(dpd, last int) int {
	t := p.target(dpd)
	if p.SkipLevels {
		return t
	}
	// Climb to the next defined level above last, not last+1, so a ladder
	// with gaps (1, 2, 5) still climbs.
	n := t
	for _, l := range p.Levels {
		if l.Level > last && l.Level < n {
			n = l.Level
		}
	}
	return n
}
