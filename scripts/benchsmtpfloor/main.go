// Command benchsmtpfloor measures the SMTP path alone: the same notice,
// built and sent by the connector N times over C connections, with no
// store at all. It is the ceiling for `dunner send` on the same machine
// (scripts/bench-smtp.sh prints both).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/dunnerhq/dunner/agent"
	"github.com/dunnerhq/dunner/connectors/smtp"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:2825", "SMTP server host:port")
	n := flag.Int("n", 10000, "messages")
	c := flag.Int("c", 1, "connections")
	size := flag.Int("size", 20480, "approximate message size in bytes")
	flag.Parse()
	host, port, _ := strings.Cut(*addr, ":")
	var p int
	fmt.Sscan(port, &p)
	m, err := smtp.New(smtp.Config{Host: host, Port: p, TLS: smtp.TLSNone, Connections: *c})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	line := "R-1-1  2026-02-01  101.50 EUR  PO-1  overdue 29 days\n"
	text := strings.Repeat(line, *size/2/len(line))
	html := "<table>" + strings.Repeat("<tr><td>R-1-1</td><td>101.50 EUR</td></tr>\n", *size/2/44) + "</table>"
	work := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	t0 := time.Now()
	for w := 0; w < 4**c; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				e := &agent.Email{MessageID: fmt.Sprintf("floor.%d@northwind.example", i), Date: time.Now(),
					From: "ar@northwind.example", FromName: "Northwind Supply S.L.", To: []string{"ap@customer.example"},
					ReplyTo: "ar+n1.abcd@northwind.example", Subject: "Payment reminder", Text: text, HTML: html, Language: "en"}
				if _, err := m.Send(context.Background(), e); err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
				}
			}
		}()
	}
	for i := 0; i < *n; i++ {
		work <- i
	}
	close(work)
	wg.Wait()
	m.Close()
	if firstErr != nil {
		fmt.Fprintln(os.Stderr, firstErr)
		os.Exit(1)
	}
	fmt.Printf("%.0f\n", float64(*n)/time.Since(t0).Seconds())
}
