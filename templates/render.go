// Package templates holds Dunner's built-in dunning emails in English,
// Spanish and German and renders them, or ops' own versions, with CLDR
// number and date formatting.
//
// A template is one file per name and language, NAME.LANG.tmpl, defining
// three parts: "subject" and "text" (text/template) and "html"
// (html/template, so customer data is escaped). Built-ins are embedded; an
// override directory may replace them by name or add new names, such as a
// per-customer "mueller-reminder1".
package templates

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	texttemplate "text/template"
	"unicode"
	"unicode/utf8"

	"github.com/dunnerhq/dunner/agent"
	"github.com/shopspring/decimal"
)

//go:embed builtin/*.tmpl
var builtinFS embed.FS

// Parts every template file must define.
var parts = []string{"subject", "text", "html"}

// DefaultPaymentDays is the time given to pay when Data does not say.
const DefaultPaymentDays = 7

// Company is the sender, for the signature and bank details.
type Company struct{ Name, Email, Phone, Address, BankIBAN, BankBIC, Website string }

// Data is what a template sees.
type Data struct {
	Company Company
	Notice  *agent.Notice
	// Fee and InterestRate are the level's settings, for the legal wording;
	// the amounts themselves are in Notice.Totals.
	Fee, InterestRate decimal.Decimal
	// PaymentDays is the time to pay from the notice date; 0 means
	// DefaultPaymentDays.
	PaymentDays int
}

// Customer is the name to address, or the customer number when the master
// data has no name, so no email ever greets an empty string.
func (d Data) Customer() string {
	if d.Notice == nil {
		return ""
	}
	if strings.TrimSpace(d.Notice.CustomerName) != "" {
		return d.Notice.CustomerName
	}
	return d.Notice.CustomerID
}

// PayBy is the date the customer is asked to pay by.
func (d Data) PayBy() agent.Date {
	days := d.PaymentDays
	if days <= 0 {
		days = DefaultPaymentDays
	}
	if d.Notice == nil {
		return 0
	}
	return d.Notice.AsOf.AddDays(days)
}

// Count is the number of listed items, for subjects and plurals.
func (d Data) Count() int {
	if d.Notice == nil {
		return 0
	}
	return len(d.Notice.Items)
}

// HasPO reports whether any item carries a PO number; the column is left
// out otherwise rather than shown empty.
func (d Data) HasPO() bool {
	if d.Notice == nil {
		return false
	}
	for _, it := range d.Notice.Items {
		if it.PONumber != "" {
			return true
		}
	}
	return false
}

// HasFees reports whether any currency line carries a fee, so the totals
// block shows the row only when it means something.
func (d Data) HasFees() bool {
	if d.Notice == nil {
		return false
	}
	for _, t := range d.Notice.Totals {
		if !t.Fees.IsZero() {
			return true
		}
	}
	return false
}

// HasInterest is HasFees for interest.
func (d Data) HasInterest() bool {
	if d.Notice == nil {
		return false
	}
	for _, t := range d.Notice.Totals {
		if !t.Interest.IsZero() {
			return true
		}
	}
	return false
}

// Currencies lists the notice's currencies in totals order; a fee is charged
// once per currency line, so the wording names it in each.
func (d Data) Currencies() []string {
	if d.Notice == nil {
		return nil
	}
	out := make([]string, len(d.Notice.Totals))
	for i, t := range d.Notice.Totals {
		out[i] = t.Currency
	}
	return out
}

// Upcoming reports whether this is a pre-due reminder rather than a notice.
func (d Data) Upcoming() bool { return d.Notice != nil && d.Notice.Kind == agent.KindUpcoming }

// Message is a rendered email.
type Message struct{ Subject, Text, HTML string }

// Renderer renders built-in and override templates. It is safe for
// concurrent use.
type Renderer struct {
	dir   string
	files map[key]*file
	// problems are files that could not be taken as templates at all
	// (misnamed, unsupported language); they surface in Lint.
	problems []agent.Problem
}

type key struct{ name, lang string }

// file is one parsed NAME.LANG.tmpl.
type file struct {
	path string // as shown in messages: builtin/x.en.tmpl or DIR/x.en.tmpl
	name string
	lang string
	text *texttemplate.Template
	html *htmltemplate.Template
	// err is why the file cannot be used. The file still takes its place,
	// so a broken override is refused rather than silently replaced by the
	// built-in ops meant to change.
	err error
}

// fileName is NAME.LANG.tmpl; names are kept to what is safe in a config
// value and a file name on every system.
var fileName = regexp.MustCompile(`^([A-Za-z0-9][A-Za-z0-9_-]*)\.([A-Za-z]+)\.tmpl$`)

// New loads the built-ins and, when overrideDir is not "", every
// NAME.LANG.tmpl in it. Broken override files do not fail New: Lint must be
// able to report all of them, and Render refuses just the broken one.
func New(overrideDir string) (*Renderer, error) {
	r := &Renderer{dir: overrideDir, files: map[key]*file{}}
	entries, err := fs.ReadDir(builtinFS, "builtin")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		src, err := builtinFS.ReadFile("builtin/" + e.Name())
		if err != nil {
			return nil, err
		}
		m := fileName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("templates: built-in %s is misnamed", e.Name())
		}
		f := parse("builtin/"+e.Name(), m[1], m[2], src)
		if f.err != nil {
			// A broken built-in is a bug in this package, caught by its tests.
			return nil, f.err
		}
		r.files[key{f.name, f.lang}] = f
	}
	if overrideDir == "" {
		return r, nil
	}
	entries, err = os.ReadDir(overrideDir)
	if err != nil {
		return nil, fmt.Errorf("templates: override directory: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".tmpl") {
			continue // READMEs, editor backups and the like are not templates
		}
		p := filepath.Join(overrideDir, e.Name())
		m := fileName.FindStringSubmatch(e.Name())
		if m == nil {
			r.problems = append(r.problems, agent.Problem{File: p,
				Msg: "file name must be NAME.LANG.tmpl (e.g. reminder1.de.tmpl)"})
			continue
		}
		lang := strings.ToLower(m[2])
		if !agent.ValidLanguage(lang) {
			r.problems = append(r.problems, agent.Problem{File: p,
				Msg: fmt.Sprintf("unsupported language %q (want one of %s)", m[2], strings.Join(agent.Languages, ", "))})
			continue
		}
		src, err := os.ReadFile(p)
		if err != nil {
			r.files[key{m[1], lang}] = &file{path: p, name: m[1], lang: lang,
				err: &templateError{path: p, msg: err.Error()}}
			continue
		}
		r.files[key{m[1], lang}] = parse(p, m[1], lang, src)
	}
	return r, nil
}

// parse reads one file twice: the text parts must not be HTML-escaped and the
// html part must be. Each set gets the functions bound to the file's
// language, so templates write {{money .Overdue .Currency}} without a locale.
func parse(path, name, lang string, src []byte) *file {
	f := &file{path: path, name: name, lang: lang}
	base := filepath.Base(path)
	if !utf8.Valid(src) {
		f.err = &templateError{path: path, msg: "not valid UTF-8"}
		return f
	}
	t, err := texttemplate.New(base).Funcs(funcs(lang)).Parse(string(src))
	if err != nil {
		f.err = wrap(path, "", err)
		return f
	}
	h, err := htmltemplate.New(base).Funcs(htmltemplate.FuncMap(funcs(lang))).Parse(string(src))
	if err != nil {
		f.err = wrap(path, "", err)
		return f
	}
	f.text, f.html = t, h
	return f
}

// templateError locates a fault in a template file.
type templateError struct {
	path, field, msg string
	line             int
}

func (e *templateError) Error() string {
	return agent.Problem{File: e.path, Line: e.line, Field: e.field, Msg: e.msg}.String()
}

func (e *templateError) problem() agent.Problem {
	return agent.Problem{File: e.path, Line: e.line, Field: e.field, Msg: e.msg}
}

// tmplLoc finds "NAME:LINE:" or "NAME:LINE:COL:" in a text/template or
// html/template error, whose formats differ slightly.
var tmplLoc = regexp.MustCompile(`^(?:html/)?template: ?[^:]*:(\d+)(?::\d+)?: ?`)

// wrap turns a template package error into a templateError with the line,
// so ops see "reminder1.de.tmpl:12: text: …" and not Go's nested prefixes.
func wrap(path, field string, err error) *templateError {
	msg := err.Error()
	line := 0
	if m := tmplLoc.FindStringSubmatchIndex(msg); m != nil {
		line, _ = strconv.Atoi(msg[m[2]:m[3]])
		msg = msg[m[1]:]
	}
	// Execution errors repeat the part as `executing "text" at <…>:`; the
	// field already says which part, so keep only what went wrong.
	if i := strings.Index(msg, "executing \""); i == 0 {
		if j := strings.Index(msg, ">: "); j > 0 {
			msg = strings.TrimSpace(msg[j+2:])
		}
	}
	return &templateError{path: path, field: field, msg: msg, line: line}
}

// Names lists every template name, built-in and override, sorted.
func (r *Renderer) Names() []string {
	seen := map[string]bool{}
	var out []string
	for k := range r.files {
		if !seen[k.name] {
			seen[k.name] = true
			out = append(out, k.name)
		}
	}
	sort.Strings(out)
	return out
}

// ErrNotFound is returned (wrapped) when no file exists for a name and
// language.
var ErrNotFound = errors.New("template not found")

// Render executes template name in lang. An override file wins over the
// built-in; a language missing for a name is an error naming the file, never
// a silent switch to English, because a German customer must not receive an
// English final notice without anyone deciding so.
func (r *Renderer) Render(name, lang string, d Data) (Message, error) {
	if d.Notice == nil {
		return Message{}, errors.New("templates: no notice to render")
	}
	lang = baseLang(lang)
	f := r.files[key{name, lang}]
	if f == nil {
		want := name + "." + lang + ".tmpl"
		if r.dir != "" {
			want = filepath.Join(r.dir, want)
		}
		return Message{}, fmt.Errorf("templates: %s: %w", want, ErrNotFound)
	}
	return f.render(d)
}

func (f *file) render(d Data) (Message, error) {
	raw, err := f.exec(d)
	if err != nil {
		return Message{}, err
	}
	return Message{
		Subject: oneLine(raw[0]),
		Text:    tidyText(raw[1]),
		HTML:    strings.TrimSpace(raw[2]) + "\n",
	}, nil
}

// exec runs the three parts as written, untidied, so Lint can see what the
// template itself produces.
func (f *file) exec(d Data) (out [3]string, err error) {
	if f.err != nil {
		return out, f.err
	}
	for i, part := range parts {
		var b bytes.Buffer
		if part == "html" {
			if f.html.Lookup(part) == nil {
				return out, &templateError{path: f.path, field: part, msg: missingMsg(part)}
			}
			err = f.html.ExecuteTemplate(&b, part, d)
		} else {
			if f.text.Lookup(part) == nil {
				return out, &templateError{path: f.path, field: part, msg: missingMsg(part)}
			}
			err = f.text.ExecuteTemplate(&b, part, d)
		}
		if err != nil {
			return out, wrap(f.path, part, err)
		}
		out[i] = b.String()
	}
	return out, nil
}

func missingMsg(part string) string {
	return fmt.Sprintf(`missing {{define %q}}…{{end}}`, part)
}

// oneLine folds every run of white space and control characters (CR, LF,
// tabs from a pasted customer name) into one space: a line break in a
// subject would end the header and let the rest be read as headers or body.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
	}), " ")
}

// tidyText trims trailing blanks (left by column padding) and folds the
// blank lines that {{if}} blocks leave behind, so template authors need not
// fight white space to get a clean plain-text email.
func tidyText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	blank := true // drops leading blank lines
	for _, l := range lines {
		l = strings.TrimRightFunc(l, unicode.IsSpace)
		if l == "" {
			if blank {
				continue
			}
			blank = true
		} else {
			blank = false
		}
		out = append(out, l)
	}
	return strings.TrimRight(strings.Join(out, "\n"), "\n") + "\n"
}
