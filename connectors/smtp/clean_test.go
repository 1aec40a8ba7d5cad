package smtp

import (
	"strings"
	"testing"
)

// clean skips the copy for values already tidy; it must still give what
// folding every run of white space into one space gives.
func TestCleanFoldsWhiteSpace(t *testing.T) {
	for _, s := range []string{"", " ", "a", "a b", " a", "a ", "a  b", "a\r\nBcc: x@y", "a\tb", "Müller GmbH",
		"Müller\u00a0GmbH", "Müller \u2003GmbH", "x\u0085y", "Ärger  ", "ü ü", "\u00a0", "a\vb", "a\fb"} {
		if got, want := clean(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("clean(%q) = %q, want %q", s, got, want)
		}
	}
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{"a b", "Müller\u00a0GmbH", "a\r\nb", " x "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := clean(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("clean(%q) = %q, want %q", s, got, want)
		}
	})
}
