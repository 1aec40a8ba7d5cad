package mailparse

import (
	"strings"
	"testing"
)

func TestIndexFold(t *testing.T) {
	for _, tt := range []struct {
		s, sub string
		want   int
	}{
		{"Begin forwarded message:", "forward", 6},
		{"----- FORWARDED MESSAGE -----", "forward", 6},
		{"ff fF Forward", "forward", 6},
		{"Grüße, weitergeleitete Nachricht", "weitergeleitet", 9},
		{"nothing here", "forward", -1},
		{"forwar", "forward", -1},
		{"", "forward", -1},
	} {
		if got := indexFold(tt.s, tt.sub); got != tt.want {
			t.Errorf("indexFold(%q, %q) = %d, want %d", tt.s, tt.sub, got, tt.want)
		}
		if want := strings.Index(strings.ToLower(tt.s), tt.sub); tt.want >= 0 && want < 0 {
			t.Errorf("%q: the table is wrong", tt.s)
		}
	}
}
