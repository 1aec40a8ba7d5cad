package agent

import (
	"regexp"
	"regexp/syntax"
	"sort"
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
	// cond is the whole necessary condition, of which lits is one part:
	// "we will pay" needs "will" and "pay", and a message that says only
	// one of them (most do) need not run the expression.
	cond *classifyCond
}

func classifyCompile(expr string) classifyRx {
	return classifyRx{&classifyRxState{expr: expr}}
}

func (s *classifyRxState) compile() {
	s.once.Do(func() {
		s.re = regexp.MustCompile(s.expr)
		if re, err := syntax.Parse(s.expr, syntax.Perl); err == nil {
			re = re.Simplify()
			if lits, ok := classifyRequired(re); ok && classifyMinLen(lits) >= 2 {
				s.lits = lits
			}
			s.cond = classifyCondOf(re)
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
	return r.cond.holds(t)
}

func (r classifyRx) matchLower(t string) bool { return r.may(t) && r.re.MatchString(t) }

// findAllIndex is FindAllStringIndex(t, -1), skipped when it cannot match.
func (r classifyRx) findAllIndex(t string) [][]int {
	if !r.may(t) {
		return nil
	}
	return r.re.FindAllStringIndex(t, -1)
}

// findAllSubmatchIndex is FindAllStringSubmatchIndex(t, -1), skipped when
// it cannot match.
func (r classifyRx) findAllSubmatchIndex(t string) [][]int {
	if !r.may(t) {
		return nil
	}
	return r.re.FindAllStringSubmatchIndex(t, -1)
}

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

// classifyCond is a condition on the literals of a text: one literal, or
// all (and) or any (or) of its parts. nil is always true.
type classifyCond struct {
	and, or []*classifyCond
	lit     string
	rarity  int // for trying the parts most likely to fail first
}

func (c *classifyCond) holds(t string) bool {
	switch {
	case c == nil:
		return true
	case c.and != nil:
		for _, s := range c.and {
			if !s.holds(t) {
				return false
			}
		}
		return true
	case c.or != nil:
		for _, s := range c.or {
			if s.holds(t) {
				return true
			}
		}
		return false
	}
	return strings.Contains(t, c.lit)
}

// classifyCondOf is what every match of re needs: its literals, as they
// are combined by concatenation (and) and alternation (or). Literals of
// one letter select nothing and count as true.
func classifyCondOf(re *syntax.Regexp) *classifyCond {
	switch re.Op {
	case syntax.OpLiteral:
		l, ok := classifyRequired(re)
		if !ok || classifyMinLen(l) < 2 && !classifyRareByte(l[0]) {
			return nil
		}
		return &classifyCond{lit: l[0], rarity: utf8.RuneCountInString(l[0])}
	case syntax.OpCapture, syntax.OpPlus:
		return classifyCondOf(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return classifyCondOf(re.Sub[0])
		}
	case syntax.OpConcat:
		c := &classifyCond{}
		for _, s := range re.Sub {
			if sc := classifyCondOf(s); sc != nil {
				c.and = append(c.and, sc)
				c.rarity = max(c.rarity, sc.rarity)
			}
		}
		switch len(c.and) {
		case 0:
			return nil
		case 1:
			return c.and[0]
		}
		sort.SliceStable(c.and, func(i, j int) bool { return c.and[i].rarity > c.and[j].rarity })
		return c
	case syntax.OpAlternate:
		c := &classifyCond{rarity: 1 << 30}
		for _, s := range re.Sub {
			sc := classifyCondOf(s)
			if sc == nil {
				return nil
			}
			if sc.or != nil {
				c.or = append(c.or, sc.or...)
			} else {
				c.or = append(c.or, sc)
			}
			c.rarity = min(c.rarity, sc.rarity)
		}
		return c
	}
	return nil
}

// classifyRareByte: a one-character literal that is worth looking for, as
// prose rarely has it ("[", "#", "@").
func classifyRareByte(l string) bool {
	return len(l) == 1 && strings.IndexByte("[]#@$%&*+=<>{}|~^", l[0]) >= 0
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
