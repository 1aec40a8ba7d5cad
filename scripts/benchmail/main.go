// Command benchmail fills a Dovecot mailbox over LMTP with n realistic
// messages of about 20 KB (every tenth with a PDF remittance attached), for
// the mailbox benchmark.
package main

import (
	"bytes"
	"encoding/base64"
	"flag"
	"fmt"
	"log"
	"math/rand"
	"net"
	"strings"

	"github.com/emersion/go-smtp"
)

func main() {
	lmtp := flag.String("lmtp", "127.0.0.1:2424", "Dovecot's LMTP address")
	to := flag.String("to", "", "recipient mailbox")
	n := flag.Int("n", 10000, "messages")
	flag.Parse()
	if *to == "" {
		log.Fatal("-to is required")
	}
	conn, err := net.Dial("tcp", *lmtp)
	if err != nil {
		log.Fatal(err)
	}
	c := smtp.NewClientLMTP(conn)
	defer c.Close()
	if err := c.Hello("bench.example"); err != nil {
		log.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1))
	pdf := fakePDF()
	for i := 0; i < *n; i++ {
		msg := message(rng, i, *to, pdf)
		if err := c.SendMail("ap@customer.example", []string{*to}, bytes.NewReader(msg)); err != nil {
			log.Fatalf("message %d: %v", i, err)
		}
	}
}

var bodies = []string{
	"Dear Sir or Madam,\n\nwe will pay invoice INV-%06d on 20 March 2026.\n\nKind regards\nAccounts Payable\n",
	"Sehr geehrte Damen und Herren,\n\ndie Rechnung R-%06d ist fehlerhaft: die Menge stimmt nicht.\n\nMit freundlichen Grüßen\n",
	"Buenos días:\n\nadjuntamos el aviso de pago de la factura F-%06d.\n\nUn saludo\n",
	"Hello,\n\ncould you send us a copy of invoice INV-%06d, please?\n\nThanks\n",
}

func message(rng *rand.Rand, i int, to string, pdf []byte) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "From: Accounts Payable <ap%d@customer.example>\r\nTo: %s\r\nSubject: Re: invoice %06d\r\n", i%500, to, i)
	fmt.Fprintf(&b, "Message-ID: <bench-%d@customer.example>\r\nDate: Tue, 03 Mar 2026 10:%02d:00 +0100\r\nMIME-Version: 1.0\r\n", i, i%60)
	text := fmt.Sprintf(bodies[i%len(bodies)], i)
	// Quoted history up to about 20 KB, as real threads carry.
	quote := strings.Repeat("> On Mon, 2 Mar 2026, Northwind Supply wrote:\n> Please find the open items below. Invoice R-1 due 2026-02-01 EUR 1,234.56\n", 110)
	if i%10 == 0 {
		fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n--b%d\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s%s\r\n", i, i, text, quote[:len(quote)/2])
		fmt.Fprintf(&b, "--b%d\r\nContent-Type: application/pdf; name=\"advice-%d.pdf\"\r\nContent-Disposition: attachment; filename=\"advice-%d.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n", i, i, i)
		enc := base64.StdEncoding.EncodeToString(pdf)
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		fmt.Fprintf(&b, "%s\r\n--b%d--\r\n", enc, i)
	} else {
		fmt.Fprintf(&b, "Content-Type: text/plain; charset=utf-8\r\n\r\n%s%s", text, quote)
	}
	_ = rng
	return []byte(strings.ReplaceAll(strings.ReplaceAll(b.String(), "\r\n", "\n"), "\n", "\r\n"))
}

// fakePDF is a small PDF with a text remittance table.
func fakePDF() []byte {
	content := "BT /F1 10 Tf 50 750 Td (Payment advice) Tj 0 -20 Td (Invoice no.   Paid) Tj 0 -14 Td (INV-000001   100.00) Tj ET"
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offs := []int{}
	obj := func(s string) {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offs), s)
	}
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>")
	obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref)
	return b.Bytes()
}
