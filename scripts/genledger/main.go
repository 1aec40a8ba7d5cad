// Command genledger writes a large synthetic ledger and customer master for
// benchmarks: N customers with a language, time zone and contact each, and
// M open items of every age spread over them. Deterministic for a seed.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"math/rand"
	"os"
	"path/filepath"
	"time"
)

func main() {
	out := flag.String("out", ".", "directory for ledger.csv and customers.csv")
	customers := flag.Int("customers", 100000, "number of customers")
	items := flag.Int("items", 1000000, "number of open items")
	asOf := flag.String("as-of", "2026-03-02", "date the item ages are relative to")
	seed := flag.Int64("seed", 1, "random seed")
	flag.Parse()
	base, err := time.Parse(time.DateOnly, *asOf)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	rng := rand.New(rand.NewSource(*seed))
	langs := []string{"en", "es", "de"}
	zones := []string{"Europe/Madrid", "Europe/Berlin", "Europe/London", "America/New_York"}

	cf := create(filepath.Join(*out, "customers.csv"))
	w := bufio.NewWriterSize(cf, 1<<20)
	fmt.Fprintln(w, "customer_id,name,language,timezone,policy,review,do_not_dun,collector,contacts")
	for i := 0; i < *customers; i++ {
		fmt.Fprintf(w, "K%06d,Customer %d Ltd,%s,%s,,,,,billing:ap%d@c%d.example\n",
			i, i, langs[i%3], zones[i%4], i, i)
	}
	must(w.Flush())
	must(cf.Close())

	lf := create(filepath.Join(*out, "ledger.csv"))
	w = bufio.NewWriterSize(lf, 1<<20)
	fmt.Fprintln(w, "customer_id,invoice,doc_type,issue_date,due_date,currency,amount,open_amount,po_number,dunning_block")
	curs := []string{"EUR", "EUR", "EUR", "USD", "GBP"}
	for i := 0; i < *items; i++ {
		c := rng.Intn(*customers)
		age := rng.Intn(130) - 20 // from 20 days before due to 110 days past
		due := base.AddDate(0, 0, -age)
		issue := due.AddDate(0, 0, -30)
		cents := 1000 + rng.Intn(500000)
		doc, open := "invoice", cents
		if rng.Intn(50) == 0 {
			doc, open = "credit_note", -cents/4
		}
		block := ""
		if rng.Intn(200) == 0 {
			block = "legal"
		}
		fmt.Fprintf(w, "K%06d,INV-%08d,%s,%s,%s,%s,%d.%02d,%d.%02d,PO-%d,%s\n", c, i, doc,
			issue.Format(time.DateOnly), due.Format(time.DateOnly), curs[i%len(curs)],
			cents/100, cents%100, open/100, abs(open%100), i%9973, block)
	}
	must(w.Flush())
	must(lf.Close())
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func create(p string) *os.File {
	f, err := os.Create(p)
	if err != nil {
		log.Fatal(err)
	}
	return f
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
