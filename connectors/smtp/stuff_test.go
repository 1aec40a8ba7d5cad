package smtp

import (
	"bufio"
	"bytes"
	"math/rand/v2"
	"net/textproto"
	"testing"
)

// viaDotWriter is what textproto's DotWriter sends for body, terminator
// included: the reference dotStuff must match byte for byte.
func viaDotWriter(body []byte) []byte {
	var out bytes.Buffer
	bw := bufio.NewWriter(&out)
	w := textproto.NewWriter(bw).DotWriter()
	w.Write(body)
	w.Close()
	return out.Bytes()
}

func TestDotStuffMatchesDotWriter(t *testing.T) {
	cases := []string{"", "\n", "\r", "\r\n", ".", "..", ".\r\n", "a\r\n.\r\n", "a\n.b\n", "\r\r\n", "\r\r\r\n",
		"x\r", "x\r\r", ".\r.\n.", "a\rb\n", "\n\n.\n", "end without newline", ".\r\n.\r\n..\r\n"}
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte("ab.\r\n")
	for i := 0; i < 5000; i++ {
		b := make([]byte, r.IntN(20))
		for j := range b {
			b[j] = alphabet[r.IntN(len(alphabet))]
		}
		cases = append(cases, string(b))
	}
	for _, c := range cases {
		if got, want := dotStuff(nil, []byte(c)), viaDotWriter([]byte(c)); !bytes.Equal(got, want) {
			t.Fatalf("dotStuff(%q) = %q, DotWriter writes %q", c, got, want)
		}
	}
}

func FuzzDotStuff(f *testing.F) {
	f.Add([]byte(".\r\n\r\r\n.x"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := dotStuff(nil, b), viaDotWriter(b); !bytes.Equal(got, want) {
			t.Fatalf("dotStuff(%q) = %q, DotWriter writes %q", b, got, want)
		}
	})
}

func TestEnvelopeRefusesInjection(t *testing.T) {
	for _, a := range []string{"a@b.example\r\nRCPT TO:<x@evil.example>", "a@b\n", "a>@b", "", "<>"} {
		if _, err := envelope(a); err == nil {
			t.Errorf("envelope(%q) accepted", a)
		}
	}
	if a, err := envelope("<ap@mueller.example>"); err != nil || a != "ap@mueller.example" {
		t.Errorf("envelope(<ap@mueller.example>) = %q, %v", a, err)
	}
}

// BenchmarkDotStuff stuffs a notice as go-mail writes it with 8bit parts:
// CRLF headers and boundaries, bodies with the templates' bare LFs.
func BenchmarkDotStuff(b *testing.B) {
	var msg bytes.Buffer
	for i := 0; i < 12; i++ {
		msg.WriteString("X-Header-" + string(rune('A'+i)) + ": some value of a header line\r\n")
	}
	msg.WriteString("\r\n--boundary\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n")
	for i := 0; i < 120; i++ {
		msg.WriteString("R-2-18                        01/02/2026            29          €118.50  PO-18\n")
	}
	msg.WriteString("\r\n--boundary\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n")
	for i := 0; i < 150; i++ {
		msg.WriteString("<tr><td>R-2-18</td><td>01/02/2026</td><td>29</td><td>€118.50</td></tr>\n")
	}
	msg.WriteString("\r\n--boundary--\r\n")
	body := msg.Bytes()
	dst := make([]byte, 0, 2*len(body))
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dst = dotStuff(dst[:0], body)
	}
}
