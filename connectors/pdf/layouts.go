package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/dunnerhq/dunner/agent"
	"gopkg.in/yaml.v3"
)

// Layout is a per-payer description for documents the generic reader gets
// wrong: the words that recognise the payer's advice and the labels it
// uses. Everything is optional except Name and Match; what a layout does
// not say, the generic reader decides. Example (one file per layout):
//
//	name: acme-us
//	match: ["ACME Corporation", "Remittance"]   # all must appear
//	payer: ACME Corporation
//	currency: USD
//	date_order: mdy                            # dmy | mdy
//	decimal: "."                               # "." | ","
//	fields:                                    # head labels (anchors)
//	  payment_date: ["Check Date"]
//	  payment_reference: ["Check No"]
//	  total: ["Check Amount"]
//	columns:                                   # table header labels
//	  invoice: ["Vendor Inv"]
//	  paid: ["Net Amt"]
//	skip: ["^Page \\d+ of \\d+$"]              # lines to drop (regexps)
//	total_label: "Check Total"                 # a total line's first cell
type Layout struct {
	Name       string              `yaml:"name"`
	Match      []string            `yaml:"match"`
	Payer      string              `yaml:"payer"`
	Currency   string              `yaml:"currency"`
	DateOrder  string              `yaml:"date_order"`
	Decimal    string              `yaml:"decimal"`
	Fields     map[string][]string `yaml:"fields"`
	Columns    map[string][]string `yaml:"columns"`
	Skip       []string            `yaml:"skip"`
	TotalLabel string              `yaml:"total_label"`

	columns    map[string]string
	fields     map[string]string
	skip       []*regexp.Regexp
	mark       decimalMark
	order      dateOrder
	totalLabel string
	match      []string
}

var layoutColumns = map[string]string{
	"invoice": colInvoice, "invoice_date": colDate, "gross": colGross, "discount": colDiscount, "deduction": colDeduct,
	"paid": colPaid, "reason": colReason, "type": colType, "currency": colCurrency, "ignore": colIgnore,
}

var layoutFields = map[string]string{
	"payer": fieldPayer, "payee": fieldPayee, "payment_date": fieldDate, "payment_reference": fieldRef,
	"currency": fieldCur, "total": fieldTotal,
}

// LoadLayouts reads every *.yaml and *.yml file in dir. Unknown keys and bad
// values are errors naming file, line and field, all reported at once.
func LoadLayouts(dir string) ([]*Layout, error) {
	var files []string
	for _, pat := range []string{"*.yaml", "*.yml"} {
		m, err := filepath.Glob(filepath.Join(dir, pat))
		if err != nil {
			return nil, err
		}
		files = append(files, m...)
	}
	sort.Strings(files)
	var out []*Layout
	ie := &agent.InputError{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		l, err := ParseLayout(data, f)
		if err != nil {
			var e *agent.InputError
			if errors.As(err, &e) {
				ie.Problems = append(ie.Problems, e.Problems...)
				continue
			}
			return nil, err
		}
		out = append(out, l)
	}
	if err := ie.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// ParseLayout reads and checks one layout.
func ParseLayout(data []byte, file string) (*Layout, error) {
	var l Layout
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&l); err != nil {
		line := 0
		msg := err.Error()
		var te *yaml.TypeError
		if errors.As(err, &te) && len(te.Errors) > 0 {
			msg = strings.Join(te.Errors, "; ")
		}
		if n, ok := yamlLine(msg); ok {
			line = n
		}
		return nil, agent.Invalid(file, line, "", "%s", msg)
	}
	ie := &agent.InputError{}
	if l.Name == "" {
		ie.Add(file, 0, "name", "required")
	}
	if len(l.Match) == 0 {
		ie.Add(file, 0, "match", "at least one keyword is required")
	}
	for _, m := range l.Match {
		l.match = append(l.match, fold(m))
	}
	switch strings.ToLower(l.DateOrder) {
	case "":
	case "dmy":
		l.order = orderDMY
	case "mdy":
		l.order = orderMDY
	default:
		ie.Add(file, 0, "date_order", "must be dmy or mdy, not %q", l.DateOrder)
	}
	switch l.Decimal {
	case "":
	case ".", ",":
		l.mark = decimalMark(l.Decimal[0])
	default:
		ie.Add(file, 0, "decimal", `must be "." or ",", not %q`, l.Decimal)
	}
	if l.Currency != "" && len(l.Currency) != 3 {
		ie.Add(file, 0, "currency", "must be an ISO 4217 code, not %q", l.Currency)
	}
	l.columns = map[string]string{}
	for k, labels := range l.Columns {
		c, ok := layoutColumns[k]
		if !ok {
			ie.Add(file, 0, "columns."+k, "unknown column (one of invoice, invoice_date, gross, discount, deduction, paid, reason, type, currency, ignore)")
			continue
		}
		for _, lb := range labels {
			l.columns[labelKey(lb)] = c
		}
	}
	l.fields = map[string]string{}
	for k, labels := range l.Fields {
		f, ok := layoutFields[k]
		if !ok {
			ie.Add(file, 0, "fields."+k, "unknown field (one of payer, payee, payment_date, payment_reference, currency, total)")
			continue
		}
		for _, lb := range labels {
			l.fields[labelKey(lb)] = f
		}
	}
	for i, s := range l.Skip {
		re, err := regexp.Compile(s)
		if err != nil {
			ie.Add(file, 0, fmt.Sprintf("skip[%d]", i), "%v", err)
			continue
		}
		l.skip = append(l.skip, re)
	}
	l.totalLabel = labelKey(l.TotalLabel)
	if err := ie.Err(); err != nil {
		return nil, err
	}
	return &l, nil
}

var yamlLineRe = regexp.MustCompile(`line (\d+)`)

func yamlLine(msg string) (int, bool) {
	m := yamlLineRe.FindStringSubmatch(msg)
	if m == nil {
		return 0, false
	}
	n := atoi(m[1])
	return n, n > 0
}

// matchLayout returns the first layout all of whose keywords appear in the
// document's first lines (where a payer prints its name and title).
func matchLayout(lays []*Layout, lines []line) *Layout {
	if len(lays) == 0 {
		return nil
	}
	var b strings.Builder
	for i, l := range lines {
		if i > 80 {
			break
		}
		b.WriteString(fold(l.text()))
		b.WriteByte('\n')
	}
	text := b.String()
	for _, lay := range lays {
		all := true
		for _, m := range lay.match {
			all = all && strings.Contains(text, m)
		}
		if all {
			return lay
		}
	}
	return nil
}
