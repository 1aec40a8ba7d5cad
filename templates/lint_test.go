package templates

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/dunnerhq/dunner/agent"
)

func TestLintBuiltins(t *testing.T) {
	r, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range r.Lint() {
		t.Errorf("built-in: %s", p)
	}
	for _, name := range builtinNames {
		for _, lang := range agent.Languages {
			if r.files[key{name, lang}] == nil {
				t.Errorf("built-in %s.%s missing", name, lang)
			}
		}
	}
}

func TestLintBadDir(t *testing.T) {
	dir := filepath.Join("testdata", "bad")
	r, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	probs := r.Lint()
	want := []struct {
		file  string
		line  int
		field string
		msg   string
	}{
		{"parse.en.tmpl", 2, "", "bad character U+007D"},
		{"nohtml.en.tmpl", 0, "html", `missing {{define "html"}}`},
		{"exec.en.tmpl", 3, "text", "can't evaluate field Balance"},
		{"subject.en.tmpl", 1, "subject", "one line"},
		{"reminder1.fr.tmpl", 0, "", `unsupported language "fr"`},
		{"reminder2.de.tmpl", 0, "subject", `missing {{define "subject"}}`},
		{"foo.tmpl", 0, "", "NAME.LANG.tmpl"},
		{"onlyen.es.tmpl", 0, "", `"onlyen" has no Spanish version`},
		{"onlyen.de.tmpl", 0, "", `"onlyen" has no German version`},
		{"parse.de.tmpl", 0, "", "no German version"},
	}
	for _, w := range want {
		found := false
		for _, p := range probs {
			if p.File == filepath.Join(dir, w.file) && p.Line == w.line && p.Field == w.field && strings.Contains(p.Msg, w.msg) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("no problem %s:%d: %s: %s", w.file, w.line, w.field, w.msg)
		}
	}
	for _, p := range probs {
		if !strings.HasPrefix(p.File, dir) {
			t.Errorf("problem outside the override dir: %s", p)
		}
		if strings.Contains(p.Msg, "template:") {
			t.Errorf("message keeps Go's prefix: %s", p)
		}
	}
	// The override of reminder2.de is broken: Render refuses it rather than
	// falling back to the built-in behind ops' back.
	if _, err := r.Render("reminder2", "de", Sample("de")); err == nil || !strings.Contains(err.Error(), "reminder2.de.tmpl") {
		t.Errorf("broken override: %v", err)
	}
	if _, err := r.Render("parse", "en", Sample("en")); err == nil || !strings.Contains(err.Error(), "parse.en.tmpl:2") {
		t.Errorf("parse error: %v", err)
	}
	// Untouched built-ins still render.
	if _, err := r.Render("reminder2", "en", Sample("en")); err != nil {
		t.Errorf("reminder2.en: %v", err)
	}
}

func TestLintRunsEveryBranch(t *testing.T) {
	// A template that only breaks when there is no fee must be caught, so
	// Lint has to render more than the full sample.
	dir := writeFiles(t, map[string]string{})
	for _, lang := range agent.Languages {
		writeFile(t, filepath.Join(dir, "x."+lang+".tmpl"), `{{define "subject"}}S{{end}}
{{define "text"}}{{if .Fee.IsPositive}}fee{{else}}{{.Nope}}{{end}}{{end}}
{{define "html"}}<p>h</p>{{end}}`)
	}
	r, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	probs := r.Lint()
	if len(probs) != 3 {
		t.Fatalf("want one problem per language, got %v", probs)
	}
	for _, p := range probs {
		if p.Line != 2 || p.Field != "text" {
			t.Errorf("problem %s: want line 2, field text", p)
		}
	}
}

func TestSampleIsConsistent(t *testing.T) {
	for _, d := range samples("en") {
		got := sampleTotals(d.Notice.Items, d.Fee, d.InterestRate)
		if len(got) != len(d.Notice.Totals) {
			t.Fatal("sample totals do not match items")
		}
	}
	d := Sample("de")
	if len(d.Currencies()) != 2 || !d.HasFees() || !d.HasInterest() || !d.HasPO() {
		t.Errorf("Sample must exercise two currencies, fees, interest and PO numbers: %+v", d)
	}
}

func TestLintHTMLContextError(t *testing.T) {
	// html/template only finds a broken context when it executes; Lint must
	// report it against the html part and its line.
	dir := writeFiles(t, map[string]string{})
	for _, lang := range agent.Languages {
		writeFile(t, filepath.Join(dir, "x."+lang+".tmpl"), `{{define "subject"}}S{{end}}
{{define "text"}}t{{end}}
{{define "html"}}<p>
<a href="{{if .Fee.IsPositive}}x">{{else}}y{{end}}</a></p>{{end}}`)
	}
	r, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	probs := r.Lint()
	if len(probs) != 3 {
		t.Fatalf("want one problem per language, got %v", probs)
	}
	for _, p := range probs {
		if p.Field != "html" || p.Line != 4 || strings.Contains(p.Msg, "html/template") {
			t.Errorf("problem %s: want line 4, field html, no Go prefix", p)
		}
	}
}
