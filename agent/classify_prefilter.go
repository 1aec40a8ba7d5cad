package agent

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"sync"
	"unicode/utf8"
)

// classifyRx is a regular expression with a cheap necessary condition:
// the literals one of which every match must contain. Most of the lexicon
// never matches a given message, and strings.Contains over a short text is
// far cheaper than running the backtracker at every position; mailboxes
// hold tens of thousands of messages.
type classifyRx struct{ *classifyRxState }

// classifyRxState is compiled on first use: the lexicon is large, and
// compiling it at start-up slowed every dunner command, mail or not.
type classifyRxState struct {
	once sync.Once
	expr string
	re   *regexp.Regexp
	lits []string // nil: no condition known, always run the expression
}

func classifyCompile(expr string) classifyRx {
	return classifyRx{&classifyRxState{expr: expr}}
}

func (s *classifyRxState) compile() {
	s.once.Do(func() {
		s.re = regexp.MustCompile(s.expr)
		if re, err := syntax.Parse(s.expr, syntax.Perl); err == nil {
			if lits, ok := classifyRequired(re.Simplify()); ok && classifyMinLen(lits) >= 2 {
				s.lits = lits
			}
		}
	})
}

// R returns the compiled expression.
func (r classifyRx) R() *regexp.Regexp {
	r.compile()
	return r.re
}

// may reports whether the expression can match the lower-case text t.
func (r classifyRx) may(t string) bool {
	r.compile()
	if r.lits == nil {
		return true
	}
	for _, l := range r.lits {
		if strings.Contains(t, l) {
			return true
		}
	}
	return false
}

func (r classifyRx) matchLower(t string) bool { return r.may(t) && r.re.MatchString(t) }

// classifyRequired computes a set of literals one of which occurs in every
// match of re, or ok=false when it cannot tell.
func classifyRequired(re *syntax.Regexp) (lits []string, ok bool) {
	switch re.Op {
	case syntax.OpLiteral:
		s := string(re.Rune)
		if re.Flags&syntax.FoldCase != 0 {
			s = strings.ToLower(s)
			if strings.ToUpper(s) != s && !classifyIsASCII(s) {
				return nil, false // case folding beyond ASCII: don't guess
			}
		}
		return []string{s}, true
	case syntax.OpCapture, syntax.OpPlus:
		return classifyRequired(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return classifyRequired(re.Sub[0])
		}
	case syntax.OpConcat:
		var best []string
		for _, s := range re.Sub {
			if l, ok := classifyRequired(s); ok && classifyBetter(l, best) {
				best = l
			}
		}
		return best, best != nil
	case syntax.OpAlternate:
		var all []string
		for _, s := range re.Sub {
			l, ok := classifyRequired(s)
			if !ok {
				return nil, false
			}
			all = append(all, l...)
		}
		return all, true
	}
	return nil, false
}

func classifyBetter(a, b []string) bool {
	if b == nil {
		return true
	}
	ma, mb := classifyMinLen(a), classifyMinLen(b)
	return ma > mb || ma == mb && len(a) < len(b)
}

func classifyMinLen(l []string) int {
	m := -1
	for _, s := range l {
		if n := utf8.RuneCountInString(s); m < 0 || n < m {
			m = n
		}
	}
	return m
}

func classifyIsASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
