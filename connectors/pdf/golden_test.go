package pdf

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dunnerhq/dunner/agent"
	"github.com/shopspring/decimal"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// native is the first engine alone, so these tests do not depend on
// whether poppler-utils is installed.
var native = &Parser{Pdftotext: "-"}

func remJSON(t testing.TB, r *agent.Remittance) []byte {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		t.Fatal(err)
	}
	out.WriteByte('\n')
	return out.Bytes()
}

// checkGolden compares a reading with testdata/golden/NAME.json; -update
// writes it.
func checkGolden(t *testing.T, name string, r *agent.Remittance) {
	t.Helper()
	got := remJSON(t, r)
	path := filepath.Join("testdata", "golden", name+".json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("reading differs from %s\ngot:\n%s", path, got)
	}
}

// checkWant holds a reading to the facts of its fixture, whatever the
// golden file says.
func checkWant(t *testing.T, f fixture, r *agent.Remittance) {
	t.Helper()
	w := f.want
	if r.Payer != w.payer || r.PaymentDate.String() != w.date || r.PaymentReference != w.ref || r.Currency != w.currency {
		t.Errorf("head: payer %q date %s ref %q currency %q; want %q %s %q %q",
			r.Payer, r.PaymentDate, r.PaymentReference, r.Currency, w.payer, w.date, w.ref, w.currency)
	}
	if r.Total == nil || r.Total.StringFixed(2) != w.total {
		t.Errorf("total %v, want %s", r.Total, w.total)
	}
	if len(r.Lines) != w.lines {
		t.Fatalf("%d lines, want %d", len(r.Lines), w.lines)
	}
	sum := decimal.Zero
	for i, l := range r.Lines {
		if l.Paid == nil {
			t.Fatalf("line %d (%s) without paid", i, l.Invoice)
		}
		sum = sum.Add(*l.Paid)
		if l.Invoice == "" || l.InvoiceDate.IsZero() || l.Gross == nil {
			t.Errorf("line %d incomplete: %+v", i, l)
		}
		if want := f.rows[i][0]; !sameInvoice(l.Invoice, want) {
			t.Errorf("line %d invoice %q, want %q", i, l.Invoice, want)
		}
	}
	if sum.StringFixed(2) != w.total {
		t.Errorf("lines add up to %s, want %s", sum.StringFixed(2), w.total)
	}
	if r.Confidence < 0.9 {
		t.Errorf("confidence %.2f for a clean document", r.Confidence)
	}
}

// sameInvoice: the number as printed; a credit line may carry its type word
// in the cell ("Abono AB/2026/004").
func sameInvoice(got, want string) bool {
	return got == want || got == strings.TrimPrefix(want, "Abono ")
}

func TestGoldenFPDF(t *testing.T) {
	for _, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			r, err := native.Parse(renderFPDF(t, f, false), f.name+".pdf")
			if err != nil {
				t.Fatal(err)
			}
			checkWant(t, f, r)
			checkGolden(t, f.name, r)
		})
	}
}

// TestEncryptedEmptyPassword: RC4 with an empty user password opens like
// a plain file.
func TestEncryptedEmptyPassword(t *testing.T) {
	for _, f := range []fixture{fixDeMulti(), fixEnGB()} {
		data := renderFPDF(t, f, true)
		if !bytes.Contains(data, []byte("/Encrypt")) {
			t.Fatal("fixture is not encrypted")
		}
		r, err := native.Parse(data, "enc.pdf")
		if err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		checkWant(t, f, r)
		checkGolden(t, f.name, r)
	}
}

func errKind(err error) string {
	var re *agent.RemittanceError
	if errors.As(err, &re) {
		return re.Kind
	}
	if err == nil {
		return ""
	}
	return "other: " + err.Error()
}

func TestBadPDFs(t *testing.T) {
	good := renderFPDF(t, fixEnUS(), false)
	garbage := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("\x00\xff garbage ("), 500)...)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"image only", renderImageOnly(t), agent.RemitNoTextLayer},
		{"truncated", good[:len(good)*6/10], agent.RemitInvalidPDF},
		{"truncated early", good[:300], agent.RemitInvalidPDF},
		{"garbage", garbage, agent.RemitInvalidPDF},
		{"empty pdf name", nil, agent.RemitInvalidPDF},
		{"not a pdf", []byte("hello world, this is not a pdf"), agent.RemitInvalidPDF},
		{"letter", renderLetter(t), agent.RemitNotRemittance},
		{"password", passwordPDF(t), agent.RemitEncrypted},
	}
	for _, p := range []*Parser{native, {}} {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r, err := p.Parse(tt.data, "x.pdf")
				if got := errKind(err); got != tt.want {
					t.Fatalf("error %q (%v), want %s; remittance %+v", got, err, tt.want, r)
				}
				b, _ := json.Marshal(err)
				if !bytes.Contains(b, []byte(`"error":"`+tt.want+`"`)) {
					t.Errorf("JSON %s", b)
				}
			})
		}
	}
}

// passwordPDF needs a user password to open.
func passwordPDF(t testing.TB) []byte {
	f := fixEnUS()
	data := renderFPDFPassword(t, f, "s3cret")
	return data
}

// TestPdftotextEngine reads the fixtures with the second engine alone, so
// that engine is held to the same golden files.
func TestPdftotextEngine(t *testing.T) {
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext (poppler-utils) not installed")
	}
	p := &Parser{}
	for _, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			a := p.poppler(tool, renderFPDF(t, f, false), nil)
			if a.err != nil {
				t.Fatal(a.err)
			}
			checkWant(t, f, a.r)
			checkGolden(t, f.name, a.r)
		})
	}
}

// TestIsolatedWorker runs the library in a child process (this test
// binary, re-run) and gets the same reading.
func TestIsolatedWorker(t *testing.T) {
	f := fixEnGB()
	p := &Parser{Isolate: true, Pdftotext: "-"}
	r, err := p.Parse(renderFPDF(t, f, false), "x.pdf")
	if err != nil {
		t.Fatal(err)
	}
	checkWant(t, f, r)
	if _, err := p.Parse(renderFPDF(t, f, false)[:900], "x.pdf"); errKind(err) != agent.RemitInvalidPDF {
		t.Fatalf("truncated in the worker: %v", err)
	}
}
