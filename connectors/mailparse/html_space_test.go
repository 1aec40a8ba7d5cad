package mailparse

import (
	"math/rand"
	"strings"
	"testing"
)

func TestCollapseSpaceIsTheExpression(t *testing.T) {
	parts := []string{" ", "  ", "\t", "\r\n", "\n", "\f", "\u00a0", "\xc2", "\xa0", "\xe2\xc2\xa0", "a", "bc", "ü", "\u2009", "x y"}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		for j := rng.Intn(12); j > 0; j-- {
			b.WriteString(parts[rng.Intn(len(parts))])
		}
		s := b.String()
		if got, want := collapseSpace(s), spaceRun.ReplaceAllString(s, " "); got != want {
			t.Fatalf("%q: got %q, want %q", s, got, want)
		}
	}
}
