package agent

import (
	"fmt"
	"strings"
)

// Problem is one fault in a piece of input, located so a person can fix it.
type Problem struct {
	File  string
	Line  int
	Field string
	Msg   string
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	if p.Field != "" {
		b.WriteString(": ")
		b.WriteString(p.Field)
	}
	b.WriteString(": ")
	b.WriteString(p.Msg)
	return b.String()
}

// InputError is bad input: every problem found, not just the first. Commands
// exit 2 on it and print one line per problem.
type InputError struct{ Problems []Problem }

func (e *InputError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Add records one problem.
func (e *InputError) Add(file string, line int, field, format string, args ...any) {
	e.Problems = append(e.Problems, Problem{File: file, Line: line, Field: field, Msg: fmt.Sprintf(format, args...)})
}

// Err returns e when it holds problems, else nil.
func (e *InputError) Err() error {
	if e == nil || len(e.Problems) == 0 {
		return nil
	}
	return e
}

// Invalid returns an InputError with a single problem.
func Invalid(file string, line int, field, format string, args ...any) error {
	e := &InputError{}
	e.Add(file, line, field, format, args...)
	return e
}
