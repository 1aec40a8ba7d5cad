package templates

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dunnerhq/dunner/agent"
	"github.com/shopspring/decimal"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the current templates")

var builtinNames = []string{"final_notice", "reminder1", "reminder2", "upcoming"}

// fixture is the notice the golden files show. It is spelled out here rather
// than taken from Sample so a change to Lint's sample cannot quietly rewrite
// what the goldens pin: three EUR items and one USD item on a level with a
// 40.00 fee and 10.15 % interest.
func fixture(lang string) Data {
	asOf := agent.MustDate("2026-03-14")
	item := func(inv, issued, due, po, cur, amount, interest string) agent.NoticeItem {
		it := agent.NoticeItem{
			Ref:     agent.Ref{Entity: "default", CustomerID: "C1001", Invoice: inv},
			DocType: agent.DocInvoice, IssueDate: agent.MustDate(issued), DueDate: agent.MustDate(due),
			PONumber: po, Currency: cur, OpenAmount: decimal.RequireFromString(amount),
			Level: 3, Needs: true, Interest: decimal.RequireFromString(interest),
		}
		it.DaysPastDue = asOf.Sub(it.DueDate)
		return it
	}
	dec := decimal.RequireFromString
	return Data{
		Company: SampleCompany(),
		Notice: &agent.Notice{
			Kind: agent.KindNotice, CustomerID: "C1001", CustomerName: "Müller Maschinenbau GmbH",
			Level: 3, Template: "final_notice", Language: lang, AsOf: asOf,
			Items: []agent.NoticeItem{
				// interest = open × 0.1015 × dpd / 365, rounded per item
				item("R-2026-0042", "2026-01-10", "2026-02-09", "4500012345", "EUR", "1234.56", "11.33"),
				item("R-2026-0057", "2026-01-20", "2026-02-19", "", "EUR", "12345.67", "78.96"),
				item("US-2026-0009", "2026-01-25", "2026-02-24", "PO-7781", "USD", "980.00", "4.91"),
				item("R-2026-0071", "2026-02-01", "2026-03-03", "", "EUR", "250.00", "0.76"),
			},
			Totals: []agent.Total{
				{Currency: "EUR", Overdue: dec("13830.23"), Fees: dec("40.00"), Interest: dec("91.05")},
				{Currency: "USD", Overdue: dec("980.00"), Fees: dec("40.00"), Interest: dec("4.91")},
			},
		},
		Fee: dec("40.00"), InterestRate: dec("0.1015"),
	}
}

// upcomingFixture is the pre-due reminder the upcoming goldens show.
func upcomingFixture(lang string) Data {
	d := fixture(lang)
	n := *d.Notice
	n.Kind, n.Level, n.Template = agent.KindUpcoming, 0, "upcoming"
	n.Items = []agent.NoticeItem{n.Items[0], n.Items[2]}
	n.Items[0].DueDate, n.Items[1].DueDate = agent.MustDate("2026-03-18"), agent.MustDate("2026-03-19")
	for i := range n.Items {
		n.Items[i].DaysPastDue = n.AsOf.Sub(n.Items[i].DueDate)
		n.Items[i].Interest, n.Items[i].Level, n.Items[i].Needs = decimal.Zero, 0, false
	}
	n.Totals = []agent.Total{
		{Currency: "EUR", Overdue: n.Items[0].OpenAmount},
		{Currency: "USD", Overdue: n.Items[1].OpenAmount},
	}
	d.Notice, d.Fee, d.InterestRate = &n, decimal.Zero, decimal.Zero
	return d
}

func TestGolden(t *testing.T) {
	r, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range builtinNames {
		for _, lang := range agent.Languages {
			t.Run(name+"."+lang, func(t *testing.T) {
				d := fixture(lang)
				if name == "upcoming" {
					d = upcomingFixture(lang)
				}
				m, err := r.Render(name, lang, d)
				if err != nil {
					t.Fatal(err)
				}
				base := filepath.Join("testdata", "golden", name+"."+lang)
				golden(t, base+".subject", m.Subject)
				golden(t, base+".txt", m.Text)
				golden(t, base+".html", m.HTML)
			})
		}
	}
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the rendered output (go test -update rewrites it)\n--- got ---\n%s", path, got)
	}
}

// The golden fixture's totals are typed in by hand; check them against the
// rule so the goldens cannot pin wrong arithmetic.
func TestFixtureTotals(t *testing.T) {
	d := fixture("en")
	rate := decimal.RequireFromString("0.1015")
	want := sampleTotals(slices.Clone(d.Notice.Items), decimal.RequireFromString("40.00"), rate)
	if len(want) != len(d.Notice.Totals) {
		t.Fatalf("totals: got %d lines, want %d", len(d.Notice.Totals), len(want))
	}
	for i, w := range want {
		g := d.Notice.Totals[i]
		if g.Currency != w.Currency || !g.Overdue.Equal(w.Overdue) || !g.Fees.Equal(w.Fees) || !g.Interest.Equal(w.Interest) {
			t.Errorf("total %d: got %+v, want %+v", i, g, w)
		}
	}
	for _, it := range d.Notice.Items {
		w := agent.RoundMoney(it.OpenAmount.Mul(rate).Mul(decimal.NewFromInt(int64(it.DaysPastDue))).
			Div(decimal.NewFromInt(365)), it.Currency)
		if !it.Interest.Equal(w) {
			t.Errorf("%s interest: got %s, want %s", it.Ref.Invoice, it.Interest, w)
		}
	}
}

// Every built-in must show what an AR email has to show, in every language:
// each invoice, its amount, the totals, the pay-by date and the sender.
func TestBuiltinsShowEssentials(t *testing.T) {
	r, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range builtinNames {
		for _, lang := range agent.Languages {
			d := fixture(lang)
			if name == "upcoming" {
				d = upcomingFixture(lang)
			}
			m, err := r.Render(name, lang, d)
			if err != nil {
				t.Fatalf("%s.%s: %v", name, lang, err)
			}
			for part, body := range map[string]string{"text": m.Text, "html": m.HTML} {
				must := []string{d.Company.Name, d.Company.BankIBAN, "4500012345"}
				for _, it := range d.Notice.Items {
					must = append(must, it.Ref.Invoice, FormatMoney(it.OpenAmount, it.Currency, lang),
						FormatDate(it.DueDate, lang))
				}
				for _, tot := range d.Notice.Totals {
					must = append(must, FormatMoney(tot.Due(), tot.Currency, lang))
				}
				if name != "upcoming" {
					must = append(must, FormatDateLong(d.PayBy(), lang))
				}
				if name == "final_notice" {
					must = append(must, formatPercent(d.InterestRate, lang), FormatMoney(d.Fee, "EUR", lang))
				}
				for _, s := range must {
					if !strings.Contains(body, s) {
						t.Errorf("%s.%s %s lacks %q", name, lang, part, s)
					}
				}
			}
			if !strings.Contains(m.Subject, d.Notice.CustomerName) {
				t.Errorf("%s.%s subject %q lacks the customer name", name, lang, m.Subject)
			}
			if !strings.Contains(m.HTML, `<html lang="`+lang+`">`) || !strings.HasPrefix(m.HTML, "<!DOCTYPE html>") ||
				!strings.Contains(m.HTML, `<meta charset="utf-8">`) {
				t.Errorf("%s.%s html lacks doctype, lang or charset", name, lang)
			}
		}
	}
}

func TestFinalNoticeLegalWording(t *testing.T) {
	r, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	words := map[string][]string{
		"en": {"late payment interest", "late payment fee"},
		"de": {"Verzugszinsen", "Mahngebühr"},
		"es": {"intereses de demora", "Ley 3/2004", "costes de cobro"},
	}
	for lang, ws := range words {
		m, err := r.Render("final_notice", lang, fixture(lang))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range ws {
			if !strings.Contains(m.Text, w) {
				t.Errorf("final_notice.%s lacks %q", lang, w)
			}
		}
		// Without fee and interest the legal paragraph must not claim any.
		d := fixture(lang)
		d.Fee, d.InterestRate = decimal.Zero, decimal.Zero
		for i := range d.Notice.Totals {
			d.Notice.Totals[i].Fees, d.Notice.Totals[i].Interest = decimal.Zero, decimal.Zero
		}
		m, err = r.Render("final_notice", lang, d)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range ws {
			if strings.Contains(m.Text, w) {
				t.Errorf("final_notice.%s without fee or interest still says %q", lang, w)
			}
		}
	}
}

func TestHostileCustomerName(t *testing.T) {
	r, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range agent.Languages {
		d := fixture(lang)
		d.Notice.CustomerName = "Evil <script>alert(1)</script> & Co\r\nBcc: victim@example.com\n"
		d.Notice.Items[0].Ref.Invoice = `"><img src=x onerror=alert(1)>`
		for _, name := range builtinNames {
			m, err := r.Render(name, lang, d)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(m.HTML, "<script>") || strings.Contains(m.HTML, "<img") {
				t.Errorf("%s.%s html lets markup through", name, lang)
			}
			if !strings.Contains(m.HTML, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co") {
				t.Errorf("%s.%s html does not show the escaped name", name, lang)
			}
			if strings.ContainsAny(m.Subject, "\r\n") {
				t.Errorf("%s.%s subject has a line break: %q", name, lang, m.Subject)
			}
			if !strings.Contains(m.Subject, "& Co Bcc: victim@example.com") {
				t.Errorf("%s.%s subject %q: name not folded to one line", name, lang, m.Subject)
			}
		}
	}
}

func TestCustomerNameFallsBackToID(t *testing.T) {
	r, _ := New("")
	d := fixture("en")
	d.Notice.CustomerName = ""
	m, err := r.Render("reminder1", "en", d)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(m.Subject, "– C1001") {
		t.Errorf("subject %q should name the customer number", m.Subject)
	}
	if strings.Contains(m.Text, "account no.") {
		t.Error("text repeats the customer number as the account")
	}
}

func TestPayBy(t *testing.T) {
	d := fixture("en")
	if got := d.PayBy(); got != agent.MustDate("2026-03-21") {
		t.Errorf("default PayBy = %s, want 2026-03-21", got)
	}
	d.PaymentDays = 14
	if got := d.PayBy(); got != agent.MustDate("2026-03-28") {
		t.Errorf("PayBy(14) = %s, want 2026-03-28", got)
	}
}

func TestRenderErrors(t *testing.T) {
	r, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Render("nope", "en", fixture("en")); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "nope.en.tmpl") {
		t.Errorf("unknown name: %v", err)
	}
	if _, err := r.Render("reminder1", "fr", fixture("en")); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "reminder1.fr.tmpl") {
		t.Errorf("unknown language: %v", err)
	}
	if _, err := r.Render("reminder1", "en", Data{}); err == nil {
		t.Error("no notice: want an error")
	}
	// A regional tag is the language Dunner writes.
	if _, err := r.Render("reminder1", "de-DE", fixture("de")); err != nil {
		t.Errorf("de-DE: %v", err)
	}
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func simple(subject string) string {
	return `{{define "subject"}}` + subject + ` {{.Customer}}{{end}}
{{define "text"}}Hello {{.Customer}}, you owe {{range .Notice.Totals}}{{money .Due .Currency}} {{end}}{{end}}
{{define "html"}}<!DOCTYPE html><html><body><p>{{.Customer}}</p></body></html>{{end}}
`
}

func TestOverrideDir(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"reminder1.en.tmpl":         simple("OVERRIDE"),
		"mueller-reminder1.en.tmpl": simple("Mueller EN"),
		"mueller-reminder1.es.tmpl": simple("Mueller ES"),
		"mueller-reminder1.de.tmpl": simple("Mueller DE"),
		"README.md":                 "not a template",
	})
	r, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	if p := r.Lint(); len(p) != 0 {
		t.Errorf("Lint: %v", p)
	}
	m, err := r.Render("reminder1", "en", fixture("en"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "OVERRIDE Müller Maschinenbau GmbH" {
		t.Errorf("override not used: subject %q", m.Subject)
	}
	if !strings.Contains(m.Text, "€13,961.28") {
		t.Errorf("override text: %q", m.Text)
	}
	// Other languages of an overridden name keep the built-in.
	m, err = r.Render("reminder1", "de", fixture("de"))
	if err != nil || !strings.HasPrefix(m.Subject, "Zahlungserinnerung") {
		t.Errorf("reminder1.de: %q, %v", m.Subject, err)
	}
	m, err = r.Render("mueller-reminder1", "de", fixture("de"))
	if err != nil || m.Subject != "Mueller DE Müller Maschinenbau GmbH" {
		t.Errorf("mueller-reminder1.de: %q, %v", m.Subject, err)
	}
	want := []string{"final_notice", "mueller-reminder1", "reminder1", "reminder2", "upcoming"}
	if got := r.Names(); !slices.Equal(got, want) {
		t.Errorf("Names = %v, want %v", got, want)
	}
}

func TestNewMissingDir(t *testing.T) {
	if _, err := New(filepath.Join(t.TempDir(), "nope")); err == nil {
		t.Error("missing override directory: want an error")
	}
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// The daemon renders drafts from several goroutines with one Renderer;
// html/template escapes lazily on first use, so this is worth checking
// under -race.
func TestConcurrentRender(t *testing.T) {
	r, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	want, err := r.Render("reminder2", "es", fixture("es"))
	if err != nil {
		t.Fatal(err)
	}
	r, _ = New("") // fresh, so the goroutines race on first execution
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			m, err := r.Render("reminder2", "es", fixture("es"))
			if err == nil && m != want {
				err = errors.New("concurrent render differs")
			}
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
