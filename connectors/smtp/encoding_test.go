package smtp

import (
	"strings"
	"testing"
)

// A part goes as 8bit only when RFC 6152 allows it; otherwise go-mail's
// quoted-printable stays.
func TestPartEncoding(t *testing.T) {
	long := strings.Repeat("x", 998)
	for _, tc := range []struct {
		name, body string
		eightBit   bool
		want8      bool
	}{
		{"plain", "Sehr geehrte Damen und Herren,\nbitte zahlen Sie.\n", true, true},
		{"server without 8BITMIME", "plain\n", false, false},
		{"empty", "", true, true},
		{"998 octets", long + "\nnext", true, true},
		{"999 octets", long + "x\nnext", true, false},
		{"999 octets on the last line", "first\n" + long + "x", true, false},
		{"bare CR", "one\rtwo\n", true, false},
		{"CRLF", "one\r\ntwo\n", true, false},
		{"NUL", "one\x00two\n", true, false},
		{"UTF-8", "Müller — 1.234,56 €\n", true, true},
	} {
		if got := partEncoding(tc.body, tc.eightBit) != nil; got != tc.want8 {
			t.Errorf("%s: 8bit %v, want %v", tc.name, got, tc.want8)
		}
	}
}
