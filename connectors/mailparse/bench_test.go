package mailparse

import (
	"encoding/base64"
	"fmt"
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

// BenchmarkParseClassifyMailbox is the mailbox benchmark's message mix
// (scripts/benchmail): a short answer over ~13 KB of quoted history, every
// tenth with a PDF attached.
func BenchmarkParseClassifyMailbox(b *testing.B) {
	bodies := []string{
		"Dear Sir or Madam,\n\nwe will pay invoice INV-%06d on 20 March 2026.\n\nKind regards\nAccounts Payable\n",
		"Sehr geehrte Damen und Herren,\n\ndie Rechnung R-%06d ist fehlerhaft: die Menge stimmt nicht.\n\nMit freundlichen Grüßen\n",
		"Buenos días:\n\nadjuntamos el aviso de pago de la factura F-%06d.\n\nUn saludo\n",
		"Hello,\n\ncould you send us a copy of invoice INV-%06d, please?\n\nThanks\n",
	}
	quote := strings.Repeat("> On Mon, 2 Mar 2026, Northwind Supply wrote:\n> Please find the open items below. Invoice R-1 due 2026-02-01 EUR 1,234.56\n", 110)
	pdf := base64.StdEncoding.EncodeToString([]byte("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"))
	var raws [][]byte
	size := 0
	for i := 0; i < 40; i++ {
		var m strings.Builder
		fmt.Fprintf(&m, "From: Accounts Payable <ap%d@customer.example>\nTo: ar@us.example\nSubject: Re: invoice %06d\n", i, i)
		fmt.Fprintf(&m, "Message-ID: <bench-%d@customer.example>\nDate: Tue, 03 Mar 2026 10:%02d:00 +0100\nMIME-Version: 1.0\n", i, i)
		text := fmt.Sprintf(bodies[i%len(bodies)], i)
		if i%10 == 0 {
			fmt.Fprintf(&m, "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain; charset=utf-8\n\n%s%s\n", text, quote[:len(quote)/2])
			fmt.Fprintf(&m, "--b\nContent-Type: application/pdf; name=\"advice-%d.pdf\"\nContent-Disposition: attachment; filename=\"advice-%d.pdf\"\nContent-Transfer-Encoding: base64\n\n%s\n--b--\n", i, i, pdf)
		} else {
			fmt.Fprintf(&m, "Content-Type: text/plain; charset=utf-8\n\n%s%s", text, quote)
		}
		raw := []byte(strings.ReplaceAll(m.String(), "\n", "\r\n"))
		size += len(raw)
		raws = append(raws, raw)
	}
	b.SetBytes(int64(size / len(raws)))
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
