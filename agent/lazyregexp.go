package agent

import (
	"regexp"
	"sync"
)

// lazyRE is a regular expression compiled on first use. The classifier
// holds dozens of large ones; compiling them at start-up cost every dunner
// process tens of milliseconds, even the ones that never read mail.
type lazyRE struct {
	once sync.Once
	expr string
	re   *regexp.Regexp
}

func lazyRegexp(expr string) *lazyRE { return &lazyRE{expr: expr} }

// R returns the compiled expression.
func (l *lazyRE) R() *regexp.Regexp {
	l.once.Do(func() { l.re = regexp.MustCompile(l.expr) })
	return l.re
}
