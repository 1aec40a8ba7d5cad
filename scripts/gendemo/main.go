// Command gendemo writes the demo dataset: a customer master (SPEC §2b) and
// an open-items ledger (SPEC §2) that, dunned on 2026-03-02 with
// configs/demo.yaml, shows every outcome of a run.
//
//	go run ./scripts/gendemo -out configs/demo
//
// The output is deterministic: a fixed seed and a fixed as-of date, never
// the clock. gendemo_test.go checks that the committed files match a fresh
// generation.
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// asOf is the demo's "today"; every due date is placed relative to it.
var asOf = time.Date(2026, time.March, 2, 0, 0, 0, 0, time.UTC)

const seed = 20260302

func main() {
	out := flag.String("out", "configs/demo", "directory to write customers.csv and ledger.csv into")
	flag.Parse()
	if err := generate(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gendemo:", err)
		os.Exit(1)
	}
}

// generate writes customers.csv and ledger.csv into dir.
func generate(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	g := &gen{r: rand.New(rand.NewSource(seed))}
	custs := customers()
	for i := range custs {
		c := &custs[i]
		if c.items != nil {
			c.items(g, c)
		} else {
			g.mixed(c)
		}
	}
	g.number()

	var master [][]string
	for _, c := range custs {
		if !c.master {
			continue
		}
		master = append(master, []string{c.id, c.name, c.lang, c.tz, c.policy, c.review, c.dnd, c.collector, c.contacts})
	}
	if err := writeCSV(filepath.Join(dir, "customers.csv"),
		[]string{"customer_id", "name", "language", "timezone", "policy", "review", "do_not_dun", "collector", "contacts"},
		master); err != nil {
		return err
	}

	items := g.items
	sort.SliceStable(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if a.cust.id != b.cust.id {
			return a.cust.id < b.cust.id
		}
		if !a.due.Equal(b.due) {
			return a.due.Before(b.due)
		}
		return a.invoice < b.invoice
	})
	var ledger [][]string
	for _, it := range items {
		ledger = append(ledger, []string{
			it.cust.id, it.cust.name, it.invoice, it.doc, day(it.issue), day(it.due), it.cur,
			money(it.amount), money(it.open), it.po, it.block,
		})
	}
	return writeCSV(filepath.Join(dir, "ledger.csv"),
		[]string{"customer_id", "customer_name", "invoice", "doc_type", "issue_date", "due_date", "currency",
			"amount", "open_amount", "po_number", "dunning_block"},
		ledger)
}

func writeCSV(path string, header []string, rows [][]string) error {
	var b strings.Builder
	w := csv.NewWriter(&b)
	if err := w.Write(header); err != nil {
		return err
	}
	if err := w.WriteAll(rows); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

func day(t time.Time) string { return t.Format(time.DateOnly) }

// money prints cents as a decimal string with a dot.
func money(cents int64) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	return fmt.Sprintf("%s%d.%02d", sign, cents/100, cents%100)
}

// cust is one demo customer: its master-data row and how its items are made.
type cust struct {
	id, name, lang, tz, policy, review, dnd, collector, contacts string

	master bool   // listed in customers.csv (false: known only from the ledger)
	cur    string // main currency
	alt    string // a second currency some items are billed in ("" for none)
	terms  int    // payment terms in days
	po     string // purchase-order prefix ("" when the customer uses none)

	// items adds the customer's items; nil makes a random mix of ages.
	items func(g *gen, c *cust)
}

type item struct {
	cust         *cust
	invoice, doc string
	issue, due   time.Time
	cur          string
	amount, open int64 // cents; negative for credits
	po, block    string
}

type gen struct {
	r     *rand.Rand
	items []*item
}

// due returns the due date dpd days before as-of (negative: in the future).
func due(dpd int) time.Time { return asOf.AddDate(0, 0, -dpd) }

// amount draws an invoice total in cents, mostly small, a few large.
func (g *gen) amount() int64 {
	switch n := g.r.Intn(100); {
	case n < 50:
		return 15000 + g.r.Int63n(185000)
	case n < 85:
		return 200000 + g.r.Int63n(600000)
	default:
		return 800000 + g.r.Int63n(1700000)
	}
}

func (g *gen) poNumber(c *cust) string {
	if c.po == "" || g.r.Intn(10) < 2 {
		return ""
	}
	switch c.po {
	case "4500":
		return fmt.Sprintf("4500%06d", 100000+g.r.Intn(900000))
	case "PED":
		return fmt.Sprintf("PED-26/%04d", 100+g.r.Intn(9000))
	case "PO/":
		return fmt.Sprintf("PO/%s/%04d", strings.ToUpper(c.name[:2]), 1000+g.r.Intn(9000))
	}
	return fmt.Sprintf("%s%05d", c.po, 10000+g.r.Intn(90000))
}

// inv adds an invoice dpd days past due. amount 0 draws one; open < 0 means
// fully open, otherwise it is the open part in cents.
func (g *gen) inv(c *cust, dpd int, cur string, amount, open int64) *item {
	if amount == 0 {
		amount = g.amount()
	}
	if open < 0 {
		open = amount
	}
	d := due(dpd)
	issue := d.AddDate(0, 0, -c.terms)
	if issue.After(asOf) {
		issue = asOf
	}
	it := &item{cust: c, doc: "invoice", issue: issue, due: d, cur: cur, amount: amount, open: open, po: g.poNumber(c)}
	g.items = append(g.items, it)
	return it
}

// partial adds an invoice of which 20–80 % is still open.
func (g *gen) partial(c *cust, dpd int, cur string) *item {
	a := g.amount()
	open := a * int64(20+g.r.Intn(61)) / 100
	return g.inv(c, dpd, cur, a, open)
}

// credit adds a credit note issued dpd days ago; open is the still
// unapplied part (negative cents).
func (g *gen) credit(c *cust, days int, cur string, amount, open int64) {
	d := asOf.AddDate(0, 0, -days)
	g.items = append(g.items, &item{cust: c, doc: "credit_note", issue: d, due: d, cur: cur, amount: amount, open: open})
}

// payment adds unapplied cash received days ago.
func (g *gen) payment(c *cust, days int, cur string, amount, open int64) {
	d := asOf.AddDate(0, 0, -days)
	g.items = append(g.items, &item{cust: c, doc: "payment", issue: d, due: d, cur: cur, amount: amount, open: open})
}

// mixed makes a customer's typical book: invoices of every age, a few part
// paid, now and then one in the second currency or a small credit note.
func (g *gen) mixed(c *cust) {
	n := 9 + g.r.Intn(8)
	for i := 0; i < n; i++ {
		var dpd int
		switch b := g.r.Intn(100); {
		case i == 0: // every mixed customer has something to dun
			dpd = 5 + g.r.Intn(40)
		case b < 22:
			dpd = -(6 + g.r.Intn(c.terms-6))
		case b < 32:
			dpd = -g.r.Intn(6)
		case b < 67:
			dpd = 1 + g.r.Intn(30)
		case b < 82:
			dpd = 31 + g.r.Intn(30)
		case b < 94:
			dpd = 61 + g.r.Intn(60)
		default:
			dpd = 121 + g.r.Intn(120)
		}
		cur := c.cur
		if c.alt != "" && g.r.Intn(10) < 2 {
			cur = c.alt
		}
		if g.r.Intn(100) < 15 {
			g.partial(c, dpd, cur)
		} else {
			g.inv(c, dpd, cur, 0, -1)
		}
	}
	if g.r.Intn(100) < 30 {
		a := -(5000 + g.r.Int63n(25000))
		g.credit(c, 3+g.r.Intn(40), c.cur, a, a)
	}
}

// number gives every document its number in order of issue, per type and
// year, with gaps for documents already settled.
func (g *gen) number() {
	order := make([]*item, len(g.items))
	copy(order, g.items)
	sort.SliceStable(order, func(i, j int) bool { return order[i].issue.Before(order[j].issue) })
	prefix := map[string]string{"invoice": "F", "credit_note": "AB", "payment": "COB"}
	start := map[string]int{"invoice": 3800, "credit_note": 210, "payment": 1450}
	seq := map[string]int{}
	for _, it := range order {
		key := fmt.Sprintf("%s-%d", it.doc, it.issue.Year())
		if _, ok := seq[key]; !ok {
			if it.issue.Year() == asOf.Year() {
				seq[key] = 0
			} else {
				seq[key] = start[it.doc]
			}
		}
		seq[key] += 1 + g.r.Intn(4)
		it.invoice = fmt.Sprintf("%s-%d-%04d", prefix[it.doc], it.issue.Year(), seq[key])
	}
}

func contacts(pairs ...string) string { return strings.Join(pairs, ";") }

const (
	berlin  = "Europe/Berlin"
	madrid  = "Europe/Madrid"
	london  = "Europe/London"
	newYork = "America/New_York"
)

// customers lists the demo's customers. Those with an items func are placed
// to show one outcome of a run on 2026-03-02 (see configs/demo.yaml).
func customers() []cust {
	return []cust{
		// Level 1, held (config: review always), own reminder1 template,
		// upcoming reminder held too. The master lacks language and zone;
		// the config supplies them.
		{id: "C1001", name: "Müller Maschinenbau GmbH", lang: "en", policy: "standard", collector: "jonas.becker",
			contacts: contacts("billing:buchhaltung@mueller.example", "escalation:cfo@mueller.example"),
			master:   true, cur: "EUR", terms: 30, po: "4500",
			items: func(g *gen, c *cust) {
				g.inv(c, 34, "EUR", 0, -1)
				g.partial(c, 12, "EUR")
				g.inv(c, 4, "EUR", 0, -1)
				g.inv(c, -3, "EUR", 0, -1)
				g.inv(c, -20, "EUR", 0, -1)
			}},
		// strict: straight to level 2.
		{id: "C1002", name: "Schäfer Elektrotechnik AG", lang: "de", tz: berlin, policy: "strict", collector: "jonas.becker",
			contacts: contacts("billing:debitoren@schaefer-elektro.example"),
			master:   true, cur: "EUR", terms: 30, po: "4500",
			items: func(g *gen, c *cust) {
				g.inv(c, 18, "EUR", 0, -1)
				g.inv(c, 9, "EUR", 0, -1)
				g.inv(c, 2, "EUR", 0, -1)
				g.inv(c, -12, "EUR", 0, -1)
			}},
		// credit_covers: a credit note larger than what is overdue.
		{id: "C1003", name: "Köhler Verpackungen GmbH", lang: "de", tz: berlin, policy: "standard", collector: "jonas.becker",
			contacts: contacts("billing:rechnungen@koehler-verpackungen.example"),
			master:   true, cur: "EUR", terms: 30,
			items: func(g *gen, c *cust) {
				g.inv(c, 20, "EUR", 124000, -1)
				g.inv(c, 6, "EUR", 31000, -1)
				g.credit(c, 10, "EUR", -180000, -180000)
			}},
		// gentle policy: a key account, level 1 even though one item is past 21 days.
		{id: "C1004", name: "Bayerische Präzisionswerke AG", lang: "de", tz: berlin, policy: "gentle", collector: "jonas.becker",
			contacts: contacts("billing:kreditoren@bpw-ag.example", "billing:ap-team@bpw-ag.example", "escalation:finanzleitung@bpw-ag.example"),
			master:   true, cur: "EUR", terms: 60, po: "4500",
			items: func(g *gen, c *cust) {
				g.inv(c, 26, "EUR", 1840000, -1)
				g.inv(c, 11, "EUR", 0, -1)
				g.inv(c, 3, "EUR", 0, -1)
				g.inv(c, -10, "EUR", 0, -1)
				g.inv(c, -25, "EUR", 0, -1)
			}},
		// nothing_eligible: every open item carries a dunning block.
		{id: "C1005", name: "Gärtnerei Weiß GmbH", lang: "de", tz: berlin, policy: "standard", collector: "jonas.becker",
			contacts: contacts("billing:info@gaertnerei-weiss.example"),
			master:   true, cur: "EUR", terms: 14,
			items: func(g *gen, c *cust) {
				g.inv(c, 40, "EUR", 0, -1).block = "dispute"
				g.inv(c, 15, "EUR", 0, -1).block = "legal"
			}},
		{id: "C1006", name: "Brückner Logistik GmbH", lang: "de", tz: berlin, policy: "standard", collector: "jonas.becker",
			contacts: contacts("billing:buchhaltung@brueckner-logistik.example"),
			master:   true, cur: "EUR", terms: 30},
		{id: "C1007", name: "Hoffmann & Söhne KG", lang: "de", tz: berlin, policy: "standard", collector: "jonas.becker",
			contacts: contacts("billing:rechnungswesen@hoffmann-soehne.example", "escalation:gf@hoffmann-soehne.example"),
			master:   true, cur: "EUR", terms: 45, po: "HS-"},
		// strict: items 45+ days overdue make an escalation (a collector task).
		{id: "C1008", name: "Rheinland Stahlhandel GmbH", lang: "de", tz: berlin, policy: "strict", collector: "jonas.becker",
			contacts: contacts("billing:debitoren@rheinland-stahl.example"),
			master:   true, cur: "EUR", terms: 30, po: "4500",
			items: func(g *gen, c *cust) {
				g.inv(c, 52, "EUR", 0, -1)
				g.partial(c, 47, "EUR")
				g.inv(c, 21, "EUR", 0, -1)
				g.inv(c, -15, "EUR", 0, -1)
			}},
		// Multi-currency level 1: EUR and USD.
		{id: "C1009", name: "Löwe Medizintechnik GmbH", lang: "de", tz: berlin, policy: "standard", collector: "jonas.becker",
			contacts: contacts("billing:ap@loewe-medizin.example"),
			master:   true, cur: "EUR", alt: "USD", terms: 30,
			items: func(g *gen, c *cust) {
				g.inv(c, 25, "EUR", 0, -1)
				g.inv(c, 8, "EUR", 0, -1)
				g.inv(c, 19, "USD", 0, -1)
				g.inv(c, -14, "EUR", 0, -1)
			}},
		// below_minimum under gentle (min 100.00).
		{id: "C1010", name: "Fränkische Holzwerke GmbH", lang: "de", tz: berlin, policy: "gentle", collector: "jonas.becker",
			contacts: contacts("billing:buero@holzwerke-franken.example"),
			master:   true, cur: "EUR", terms: 30,
			items: func(g *gen, c *cust) {
				g.inv(c, 12, "EUR", 8550, -1)
				g.inv(c, -9, "EUR", 0, -1)
			}},
		// Nothing needs a notice yet (1–2 days late): no entry at all.
		{id: "C1011", name: "Nordsee Fischimport GmbH", lang: "de", tz: berlin, policy: "standard", collector: "jonas.becker",
			contacts: contacts("billing:fibu@nordsee-fisch.example"),
			master:   true, cur: "EUR", terms: 14,
			items: func(g *gen, c *cust) {
				g.inv(c, 2, "EUR", 0, -1)
				g.inv(c, 1, "EUR", 0, -1)
				g.inv(c, -11, "EUR", 0, -1)
			}},
		// Upcoming reminder only.
		{id: "C1012", name: "Süßwaren Krüger GmbH", lang: "de", tz: berlin, policy: "standard", collector: "jonas.becker",
			contacts: contacts("billing:buchhaltung@suesswaren-krueger.example"),
			master:   true, cur: "EUR", terms: 30,
			items: func(g *gen, c *cust) {
				g.inv(c, -2, "EUR", 0, -1)
				g.inv(c, -4, "EUR", 0, -1)
				g.inv(c, -19, "EUR", 0, -1)
			}},
		{id: "C1013", name: "Grünwald Solar AG", lang: "de", tz: berlin, policy: "standard", collector: "jonas.becker",
			contacts: contacts("billing:accounts.payable@gruenwald-solar.example"),
			master:   true, cur: "EUR", alt: "USD", terms: 45, po: "4500"},
		// strict: level 3, held for review (the level says so), fee and interest.
		{id: "C1014", name: "Construcciones Peñalara S.L.", lang: "es", tz: madrid, policy: "strict", collector: "ana.garcia",
			contacts: contacts("billing:administracion@penalara.example", "escalation:gerencia@penalara.example"),
			master:   true, cur: "EUR", terms: 60, po: "PED",
			items: func(g *gen, c *cust) {
				g.inv(c, 37, "EUR", 0, -1)
				g.partial(c, 31, "EUR")
				g.inv(c, 10, "EUR", 0, -1)
				g.inv(c, -6, "EUR", 0, -1)
			}},
		// Multi-currency level 1: both EUR and USD trigger.
		{id: "C1015", name: "Iberia Logística S.A.", lang: "es", tz: madrid, policy: "standard", collector: "ana.garcia",
			contacts: contacts("billing:cuentasapagar@iberia-logistica.example"),
			master:   true, cur: "EUR", alt: "USD", terms: 45, po: "PED",
			items: func(g *gen, c *cust) {
				g.inv(c, 44, "EUR", 0, -1)
				g.inv(c, 17, "EUR", 0, -1)
				g.inv(c, 28, "USD", 0, -1)
				g.inv(c, 5, "USD", 0, -1)
				g.inv(c, -30, "EUR", 0, -1)
			}},
		// below_minimum: 42.50 overdue, the minimum is 50.00.
		{id: "C1016", name: "Café Ñandú S.L.", lang: "es", tz: madrid, policy: "standard", collector: "ana.garcia",
			contacts: contacts("billing:pagos@cafenandu.example"),
			master:   true, cur: "EUR", terms: 30,
			items: func(g *gen, c *cust) {
				g.inv(c, 23, "EUR", 3050, -1)
				g.inv(c, 9, "EUR", 4800, 1200)
			}},
		// Unapplied cash that covers only part: the notice still goes.
		{id: "C1017", name: "Distribuciones Martínez e Hijos S.L.", lang: "es", tz: madrid, policy: "standard", collector: "ana.garcia",
			contacts: contacts("billing:contabilidad@dist-martinez.example"),
			master:   true, cur: "EUR", terms: 30,
			items: func(g *gen, c *cust) {
				g.mixed(c)
				g.payment(c, 6, "EUR", -150000, -50000)
			}},
		{id: "C1018", name: "Aceites del Guadalquivir S.A.", lang: "es", tz: madrid, policy: "standard", collector: "ana.garcia",
			contacts: contacts("billing:facturas@aceites-guadalquivir.example"),
			master:   true, cur: "EUR", alt: "USD", terms: 60, po: "PED"},
		{id: "C1019", name: "Bodegas Peñafiel S.A.", lang: "es", tz: madrid, policy: "standard", collector: "ana.garcia",
			contacts: contacts("billing:administracion@bodegas-penafiel.example"),
			master:   true, cur: "EUR", terms: 45},
		// One item blocked by a dispute; the rest is dunned without it.
		{id: "C1020", name: "Talleres Núñez S.L.", lang: "es", tz: madrid, policy: "standard", collector: "ana.garcia",
			contacts: contacts("billing:talleres@nunez.example"),
			master:   true, cur: "EUR", terms: 30,
			items: func(g *gen, c *cust) {
				g.inv(c, 60, "EUR", 0, -1).block = "dispute"
				g.inv(c, 14, "EUR", 0, -1)
				g.inv(c, 7, "EUR", 0, -1)
				g.inv(c, -8, "EUR", 0, -1)
			}},
		{id: "C1021", name: "Hostelería Cantábrica S.L.", lang: "es", tz: madrid, policy: "standard", collector: "ana.garcia",
			contacts: contacts("billing:compras@hosteleria-cantabrica.example"),
			master:   true, cur: "EUR", terms: 30},
		// strict with review never: level 3 goes out without review.
		{id: "C1022", name: "Cerámicas Castellón S.A.", lang: "es", tz: madrid, policy: "strict", review: "never", collector: "ana.garcia",
			contacts: contacts("billing:tesoreria@ceramicas-castellon.example"),
			master:   true, cur: "EUR", terms: 60,
			items: func(g *gen, c *cust) {
				g.inv(c, 33, "EUR", 0, -1)
				g.inv(c, 12, "EUR", 0, -1)
			}},
		{id: "C1023", name: "Transportes Ibáñez S.L.", lang: "es", tz: madrid, policy: "standard", collector: "ana.garcia",
			contacts: contacts("billing:facturacion@transportes-ibanez.example"),
			master:   true, cur: "EUR", terms: 30, po: "PED"},
		// The config moves it to gentle: level 1, a 4-day item listed at level 0.
		{id: "C1024", name: "Farmacéutica Levante S.A.", lang: "es", tz: madrid, policy: "standard", collector: "ana.garcia",
			contacts: contacts("billing:proveedores@farmalevante.example"),
			master:   true, cur: "EUR", terms: 60, po: "PED",
			items: func(g *gen, c *cust) {
				g.inv(c, 9, "EUR", 0, -1)
				g.inv(c, 4, "EUR", 0, -1)
				g.inv(c, -15, "EUR", 0, -1)
			}},
		{id: "C1025", name: "Papelera Gallega S.L.", lang: "es", tz: madrid, policy: "standard", collector: "ana.garcia",
			contacts: contacts("billing:contabilidad@papelera-gallega.example"),
			master:   true, cur: "EUR", terms: 30},
		{id: "C1026", name: "Muebles Logroño S.L.", lang: "es", tz: madrid, policy: "standard", collector: "ana.garcia",
			contacts: contacts("billing:admin@muebles-logrono.example"),
			master:   true, cur: "EUR", terms: 45},
		{id: "C1027", name: "Brightwater Components Ltd", lang: "en", tz: london, policy: "standard", collector: "emily.clark",
			contacts: contacts("billing:accounts@brightwater.example", "escalation:fd@brightwater.example"),
			master:   true, cur: "GBP", terms: 30, po: "PO/"},
		// do_not_dun (set in the config).
		{id: "C1028", name: "Thames Office Supplies Ltd", lang: "en", tz: london, policy: "standard", collector: "emily.clark",
			contacts: contacts("billing:purchase.ledger@thames-office.example"),
			master:   true, cur: "GBP", terms: 30,
			items: func(g *gen, c *cust) {
				g.inv(c, 75, "GBP", 0, -1)
				g.inv(c, 40, "GBP", 0, -1)
				g.inv(c, 12, "GBP", 0, -1)
			}},
		// Multi-currency: GBP triggers, the small EUR item is listed with it.
		{id: "C1029", name: "Pennine Engineering Ltd", lang: "en", tz: london, policy: "standard", collector: "emily.clark",
			contacts: contacts("billing:payables@pennine-eng.example"),
			master:   true, cur: "GBP", alt: "EUR", terms: 30, po: "PO/",
			items: func(g *gen, c *cust) {
				g.inv(c, 22, "GBP", 0, -1)
				g.inv(c, 6, "GBP", 0, -1)
				g.inv(c, 16, "EUR", 3500, -1)
				g.inv(c, -18, "GBP", 0, -1)
			}},
		{id: "C1030", name: "Harrogate Foods Ltd", lang: "en", tz: london, policy: "standard", collector: "emily.clark",
			contacts: contacts("billing:finance@harrogate-foods.example"),
			master:   true, cur: "GBP", terms: 30,
			items: func(g *gen, c *cust) {
				g.mixed(c)
				g.credit(c, 15, "GBP", -12000, -12000)
			}},
		// strict: level 2 in GBP.
		{id: "C1031", name: "Clyde Marine Services Ltd", lang: "en", tz: london, policy: "strict", collector: "emily.clark",
			contacts: contacts("billing:ap@clyde-marine.example"),
			master:   true, cur: "GBP", terms: 30,
			items: func(g *gen, c *cust) {
				g.inv(c, 16, "GBP", 0, -1)
				g.inv(c, 3, "GBP", 0, -1)
			}},
		{id: "C1032", name: "Oakridge Packaging plc", lang: "en", tz: london, policy: "standard", collector: "emily.clark",
			contacts: contacts("billing:invoices@oakridge-packaging.example"),
			master:   true, cur: "GBP", alt: "EUR", terms: 45, po: "PO/"},
		// strict: escalation in USD.
		{id: "C1033", name: "Hudson Valley Fasteners Inc", lang: "en", tz: newYork, policy: "strict", collector: "emily.clark",
			contacts: contacts("billing:ap@hudsonfasteners.example", "escalation:controller@hudsonfasteners.example"),
			master:   true, cur: "USD", terms: 30, po: "PO-",
			items: func(g *gen, c *cust) {
				g.inv(c, 95, "USD", 0, -1)
				g.inv(c, 64, "USD", 0, -1)
				g.inv(c, 30, "USD", 0, -1)
			}},
		{id: "C1034", name: "Great Lakes Robotics Inc", lang: "en", tz: newYork, policy: "standard", collector: "emily.clark",
			contacts: contacts("billing:payables@greatlakes-robotics.example"),
			master:   true, cur: "USD", terms: 30, po: "PO-"},
		// Upcoming reminder only: due today and in five days.
		{id: "C1035", name: "Pioneer Lab Supply LLC", lang: "en", tz: newYork, policy: "standard", collector: "emily.clark",
			contacts: contacts("billing:ap@pioneerlab.example"),
			master:   true, cur: "USD", terms: 30,
			items: func(g *gen, c *cust) {
				g.inv(c, 0, "USD", 0, -1)
				g.inv(c, -5, "USD", 0, -1)
				g.inv(c, -26, "USD", 0, -1)
			}},
		{id: "C1036", name: "Bayside Medical Devices Inc", lang: "en", tz: newYork, policy: "standard", collector: "emily.clark",
			contacts: contacts("billing:accountspayable@baysidemed.example"),
			master:   true, cur: "USD", terms: 45, po: "PO-"},
		{id: "C1037", name: "Atlantic Textiles Corp", lang: "en", tz: newYork, policy: "standard", collector: "emily.clark",
			contacts: contacts("billing:ap@atlantictextiles.example"),
			master:   true, cur: "USD", alt: "EUR", terms: 30},
		// No billing contact: the notice goes to every contact.
		{id: "C1038", name: "Schmitt & Partner GmbH", lang: "de", tz: berlin, policy: "standard", collector: "jonas.becker",
			contacts: contacts("purchasing:einkauf@schmitt-partner.example", "accounting:fibu@schmitt-partner.example"),
			master:   true, cur: "EUR", terms: 30},
		// do_not_dun from the master (insolvency proceedings).
		{id: "C1039", name: "Suministros Industriales Báez S.L.", lang: "es", tz: madrid, policy: "standard", dnd: "true", collector: "ana.garcia",
			contacts: contacts("billing:administracion@suministros-baez.example"),
			master:   true, cur: "EUR", terms: 30,
			items: func(g *gen, c *cust) {
				g.inv(c, 120, "EUR", 0, -1)
				g.inv(c, 90, "EUR", 0, -1)
			}},
		// nothing_eligible: only a credit note and unapplied cash are open.
		{id: "C1040", name: "Evergreen Software Ltd", lang: "en", tz: london, policy: "standard", collector: "emily.clark",
			contacts: contacts("billing:finance@evergreen-software.example"),
			master:   true, cur: "GBP", terms: 30,
			items: func(g *gen, c *cust) {
				g.credit(c, 20, "GBP", -25000, -25000)
				g.payment(c, 4, "GBP", -120000, -120000)
			}},
		// no_contact: in the ledger, not in the master.
		{id: "C1041", name: "Talleres Muñoz S.L.", master: false, cur: "EUR", terms: 30,
			items: func(g *gen, c *cust) {
				g.inv(c, 27, "EUR", 0, -1)
				g.inv(c, 13, "EUR", 0, -1)
			}},
	}
}
