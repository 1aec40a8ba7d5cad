package mailparse

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dunnerhq/dunner/agent"
)

// BenchmarkParseClassify is one mailbox message's cost: MIME parsing plus
// classification, averaged over the corpus.
func BenchmarkParseClassify(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.eml"))
	var raws [][]byte
	for _, f := range files {
		r, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		raws = append(raws, r)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m, err := ParseBytes(raws[i%len(raws)])
		if err != nil {
			b.Fatal(err)
		}
		agent.Classify(m)
	}
}

// BenchmarkParseClassifyLong is a typical mailbox message of ~20 KB: a
// short answer on top of a long quoted thread, as text and HTML.
func BenchmarkParseClassifyLong(b *testing.B) {
	var quote, html strings.Builder
	for quote.Len() < 9000 {
		quote.WriteString("> Dear customer, invoice INV-2026-0042 over EUR 1.250,00 was due on 2026-02-20. Please pay by March 16.\n")
		html.WriteString("<p>Dear customer, invoice INV-2026-0042 over EUR 1.250,00 was due on 2026-02-20. Please pay by March 16.</p>")
	}
	raw := []byte(strings.ReplaceAll("From: a@b.example\nTo: ar@us.example\nSubject: Re: Reminder\nDate: Tue, 10 Mar 2026 10:00:00 +0100\n"+
		"Content-Type: multipart/alternative; boundary=b\n\n--b\nContent-Type: text/plain\n\nWe will pay invoice INV-2026-0042 next Friday.\n\n"+
		"On Mon, Mar 9, 2026 at 9:00 AM AR <ar@us.example> wrote:\n"+quote.String()+"\n--b\nContent-Type: text/html\n\n<div>We will pay invoice INV-2026-0042 next Friday.</div><blockquote>"+
		html.String()+"</blockquote>\n--b--\n", "\n", "\r\n"))
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		m, err := ParseBytes(raw)
		if err != nil {
			b.Fatal(err)
		}
		if c := agent.Classify(m); c.Class != agent.ClassPromise {
			b.Fatal(c.Class)
		}
	}
}
