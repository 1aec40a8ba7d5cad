package templates

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/dunnerhq/dunner/agent"
	"github.com/shopspring/decimal"
)

// Lint checks every template, built-in and override: it parses, defines all
// three parts, executes against sample notices in its language (two
// currencies with fees and interest, a bare single item, and an upcoming
// reminder), yields a one-line non-empty subject, and exists in every
// language. It returns the problems sorted by file and line.
func (r *Renderer) Lint() []agent.Problem {
	probs := append([]agent.Problem(nil), r.problems...)
	langs := map[string]map[string]bool{}
	for k, f := range r.files {
		if langs[k.name] == nil {
			langs[k.name] = map[string]bool{}
		}
		langs[k.name][k.lang] = true
		probs = append(probs, f.lint()...)
	}
	for name, have := range langs {
		for _, lang := range agent.Languages {
			if have[lang] {
				continue
			}
			// Name the file to create; a name only the override directory
			// knows must be completed there.
			p := filepath.Join(r.dir, name+"."+lang+".tmpl")
			if r.dir == "" {
				p = "builtin/" + name + "." + lang + ".tmpl"
			}
			probs = append(probs, agent.Problem{File: p,
				Msg: fmt.Sprintf("missing: template %q has no %s version", name, langName[lang])})
		}
	}
	sort.SliceStable(probs, func(i, j int) bool {
		a, b := probs[i], probs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Field < b.Field
	})
	return probs
}

var lineCol = regexp.MustCompile(`:(\d+):\d+$`)

var langName = map[string]string{"en": "English", "es": "Spanish", "de": "German"}

func (f *file) lint() []agent.Problem {
	if f.err != nil {
		return []agent.Problem{asProblem(f.path, f.err)}
	}
	var probs []agent.Problem
	missing := false
	for _, part := range parts {
		ok := f.text.Lookup(part) != nil
		if part == "html" {
			ok = f.html.Lookup(part) != nil
		}
		if !ok {
			missing = true
			probs = append(probs, agent.Problem{File: f.path, Field: part, Msg: missingMsg(part)})
		}
	}
	if missing {
		return probs
	}
	line := f.defineLine("subject")
	for _, d := range samples(f.lang) {
		out, err := f.exec(d)
		if err != nil {
			return append(probs, asProblem(f.path, err))
		}
		switch subj := out[0]; {
		case strings.ContainsAny(subj, "\r\n"):
			return append(probs, agent.Problem{File: f.path, Line: line, Field: "subject",
				Msg: "subject must be one line (use {{- and -}} to trim line breaks)"})
		case strings.TrimSpace(subj) == "":
			return append(probs, agent.Problem{File: f.path, Line: line, Field: "subject", Msg: "subject is empty"})
		}
		if strings.TrimSpace(out[1]) == "" {
			return append(probs, agent.Problem{File: f.path, Line: f.defineLine("text"), Field: "text", Msg: "text is empty"})
		}
		if strings.TrimSpace(out[2]) == "" {
			return append(probs, agent.Problem{File: f.path, Line: f.defineLine("html"), Field: "html", Msg: "html is empty"})
		}
	}
	return probs
}

// defineLine is the line a part's {{define}} starts on, for messages about
// its output as a whole.
func (f *file) defineLine(part string) int {
	t := f.text.Lookup(part)
	if t == nil || t.Tree == nil || t.Root == nil {
		return 0
	}
	loc, _ := t.ErrorContext(t.Root) // "name:line:col"
	var line int
	if m := lineCol.FindStringSubmatch(loc); m != nil {
		line, _ = strconv.Atoi(m[1])
	}
	return line
}

func asProblem(path string, err error) agent.Problem {
	if te, ok := err.(*templateError); ok {
		return te.problem()
	}
	return agent.Problem{File: path, Msg: err.Error()}
}

// Sample returns a notice that exercises everything a template may show:
// three EUR items and one USD item, a PO number on some, a level with a fee
// and interest. Lint runs every template against it, and `templates preview`
// can show a template without real data.
func Sample(lang string) Data {
	return SampleLevel(lang, 3, "final_notice", decimal.RequireFromString("40.00"), decimal.RequireFromString("0.1015"))
}

// SampleLevel is Sample at one level of a policy, with that level's fee
// and interest rate (zero: none), so a preview shows what the level
// really charges.
func SampleLevel(lang string, level int, template string, fee, rate decimal.Decimal) Data {
	asOf := agent.MustDate("2026-03-14")
	items := []agent.NoticeItem{
		sampleItem("R-2026-0042", "2026-01-10", "2026-02-09", "4500012345", "EUR", "1234.56", asOf),
		sampleItem("R-2026-0057", "2026-01-20", "2026-02-19", "", "EUR", "12345.67", asOf),
		sampleItem("US-2026-0009", "2026-01-25", "2026-02-24", "PO-7781", "USD", "980.00", asOf),
		sampleItem("R-2026-0071", "2026-02-01", "2026-03-03", "", "EUR", "250.00", asOf),
	}
	n := &agent.Notice{
		Kind: agent.KindNotice, CustomerID: "C1001", CustomerName: "Müller Maschinenbau GmbH",
		Level: level, Template: template, Language: lang, To: []string{"ap@mueller.example"},
		Items: items, AsOf: asOf,
	}
	n.Totals = sampleTotals(items, fee, rate)
	return Data{Company: SampleCompany(), Notice: n, Fee: fee, InterestRate: rate}
}

// SampleCompany is the sender of Sample notices.
func SampleCompany() Company {
	return Company{
		Name: "Northwind Supply S.L.", Email: "ar@northwind.example", Phone: "+34 910 000 000",
		Address: "Calle de Alcalá 1, 28014 Madrid, Spain", BankIBAN: "ES91 2100 0418 4502 0005 1332",
		BankBIC: "CAIXESBBXXX", Website: "https://northwind.example",
	}
}

// samples are the notices Lint renders: the full one, the barest one a
// template can meet (one item, no PO, no fee, no name, no bank details), and
// an upcoming reminder, so {{if}} branches on both sides get executed.
func samples(lang string) []Data {
	full := Sample(lang)

	asOf := full.Notice.AsOf
	bare := Data{Company: Company{Name: "Northwind Supply S.L."}, Notice: &agent.Notice{
		Kind: agent.KindNotice, CustomerID: "C1002", Level: 1, Language: lang, AsOf: asOf,
		Items: []agent.NoticeItem{sampleItem("7", "", "2026-03-10", "", "JPY", "5000", asOf)},
	}}
	bare.Notice.Totals = sampleTotals(bare.Notice.Items, decimal.Zero, decimal.Zero)

	return []Data{full, bare, SampleUpcoming(lang)}
}

// SampleUpcoming is a pre-due reminder of two items, not yet overdue.
func SampleUpcoming(lang string) Data {
	asOf := agent.MustDate("2026-03-14")
	up := Data{Company: SampleCompany(), Notice: &agent.Notice{
		Kind: agent.KindUpcoming, CustomerID: "C1001", CustomerName: "Müller Maschinenbau GmbH",
		Language: lang, AsOf: asOf,
		Items: []agent.NoticeItem{
			sampleItem("R-2026-0090", "2026-02-16", "2026-03-18", "4500012400", "EUR", "840.00", asOf),
			sampleItem("US-2026-0013", "2026-02-17", "2026-03-19", "", "USD", "1200.00", asOf),
		},
	}}
	up.Notice.Totals = sampleTotals(up.Notice.Items, decimal.Zero, decimal.Zero)
	return up
}

func sampleItem(inv, issued, due, po, cur, amount string, asOf agent.Date) agent.NoticeItem {
	it := agent.NoticeItem{
		Ref:     agent.Ref{Entity: "default", CustomerID: "C1001", Invoice: inv},
		DocType: agent.DocInvoice, DueDate: agent.MustDate(due), PONumber: po, Currency: cur,
		OpenAmount: decimal.RequireFromString(amount),
	}
	if issued != "" {
		it.IssueDate = agent.MustDate(issued)
	}
	it.DaysPastDue = asOf.Sub(it.DueDate)
	if it.DaysPastDue > 0 {
		it.Level, it.Needs = 1, true
	}
	return it
}

// sampleTotals follows SPEC §3: fee once per currency, interest per item
// rounded to the minor unit and then summed.
func sampleTotals(items []agent.NoticeItem, fee, rate decimal.Decimal) []agent.Total {
	byCur := map[string]*agent.Total{}
	var order []string
	for i := range items {
		it := &items[i]
		t := byCur[it.Currency]
		if t == nil {
			t = &agent.Total{Currency: it.Currency, Fees: fee}
			byCur[it.Currency] = t
			order = append(order, it.Currency)
		}
		t.Overdue = t.Overdue.Add(it.OpenAmount)
		if rate.IsPositive() && it.DaysPastDue > 0 {
			it.Interest = agent.RoundInterest(it.OpenAmount.Mul(rate).
				Mul(decimal.NewFromInt(int64(it.DaysPastDue))).Div(decimal.NewFromInt(365)), it.Currency)
			t.Interest = t.Interest.Add(it.Interest)
		}
	}
	sort.Strings(order)
	out := make([]agent.Total, len(order))
	for i, c := range order {
		out[i] = *byCur[c]
	}
	return out
}
