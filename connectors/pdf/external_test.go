package pdf

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// The external producers: the same fixtures printed by LibreOffice (from
// HTML and from CSV) and by Chromium (from HTML) must read back to the
// same golden JSON as fpdf's. They run when DUNNER_EXTERNAL_PRODUCERS=1 and
// the program is installed (Debian: libreoffice-writer-nogui and
// libreoffice-calc-nogui, chromium; poppler-utils for the second engine).

func externalEnabled(t *testing.T) {
	if os.Getenv("DUNNER_EXTERNAL_PRODUCERS") != "1" {
		t.Skip("set DUNNER_EXTERNAL_PRODUCERS=1 to print fixtures with LibreOffice and Chromium")
	}
}

func lookTool(t *testing.T, names ...string) string {
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	t.Skipf("none of %v installed", names)
	return ""
}

func TestProducerChromium(t *testing.T) {
	externalEnabled(t)
	chrome := lookTool(t, "chromium", "chromium-browser", "google-chrome")
	dir := t.TempDir()
	var wg sync.WaitGroup
	fs := fixtures()
	errs := make([]error, len(fs))
	outs := make([][]byte, len(fs))
	for i, f := range fs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			in := filepath.Join(dir, f.name+".html")
			out := filepath.Join(dir, f.name+".pdf")
			if errs[i] = os.WriteFile(in, []byte(renderHTML(f)), 0o644); errs[i] != nil {
				return
			}
			cmd := exec.Command(chrome, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
				"--user-data-dir="+filepath.Join(dir, "profile-"+f.name), "--print-to-pdf="+out, "file://"+in)
			if b, err := cmd.CombinedOutput(); err != nil {
				errs[i] = &exec.ExitError{Stderr: b}
				return
			}
			outs[i], errs[i] = os.ReadFile(out)
		}()
	}
	wg.Wait()
	for i, f := range fs {
		t.Run(f.name, func(t *testing.T) {
			if errs[i] != nil {
				t.Fatalf("chromium: %v", errs[i])
			}
			checkProduced(t, f, outs[i])
		})
	}
}

func TestProducerLibreOffice(t *testing.T) {
	externalEnabled(t)
	soffice := lookTool(t, "soffice", "libreoffice")
	dir := t.TempDir()
	var html, csv []string
	for _, f := range fixtures() {
		h := filepath.Join(dir, f.name+".html")
		c := filepath.Join(dir, "csv", f.name+".csv")
		os.MkdirAll(filepath.Dir(c), 0o755)
		if err := os.WriteFile(h, []byte(renderHTML(f)), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(c, []byte(renderCSV(f)), 0o644); err != nil {
			t.Fatal(err)
		}
		html, csv = append(html, h), append(csv, c)
	}
	env := append(os.Environ(), "HOME="+dir) // a profile of its own
	run := func(outdir string, extra []string, files []string) {
		args := append([]string{"--headless", "--norestore", "--convert-to", "pdf", "--outdir", outdir}, extra...)
		cmd := exec.Command(soffice, append(args, files...)...)
		cmd.Env = env
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("soffice: %v\n%s", err, b)
		}
	}
	run(filepath.Join(dir, "html-pdf"), nil, html)
	// Semicolon-separated, UTF-8, every column text: Calc prints the
	// cells as written instead of reformatting them as numbers.
	cols := make([]string, 10)
	for i := range cols {
		cols[i] = strconv.Itoa(i+1) + "/2"
	}
	run(filepath.Join(dir, "csv-pdf"), []string{"--infilter=CSV:59,34,76,1," + strings.Join(cols, "/")}, csv)
	for _, f := range fixtures() {
		for _, kind := range []string{"html", "csv"} {
			t.Run(f.name+"/"+kind, func(t *testing.T) {
				data, err := os.ReadFile(filepath.Join(dir, kind+"-pdf", f.name+".pdf"))
				if err != nil {
					t.Fatal(err)
				}
				if keep := os.Getenv("DUNNER_KEEP_PRODUCED"); keep != "" {
					os.WriteFile(filepath.Join(keep, "lo-"+kind+"-"+f.name+".pdf"), data, 0o644)
				}
				checkProduced(t, f, data)
			})
		}
	}
}

// checkProduced holds the default parser (both engines, the better
// reading kept) to the golden file, and logs where a single engine alone
// reads the document differently: LibreOffice's HTML import squeezes
// columns until values wrap inside their cells, which one engine may
// still misread.
func checkProduced(t *testing.T, f fixture, data []byte) {
	t.Helper()
	r, err := (&Parser{}).Parse(data, f.name+".pdf")
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	checkWant(t, f, r)
	checkGolden(t, f.name, r)
	want, _ := os.ReadFile(filepath.Join("testdata", "golden", f.name+".json"))
	if n, err := native.Parse(data, f.name+".pdf"); err != nil {
		t.Logf("native engine alone: %v", err)
	} else if got := remJSON(t, n); string(got) != string(want) {
		t.Logf("native engine alone reads it differently (confidence %.2f)", n.Confidence)
	}
	if tool, err := exec.LookPath("pdftotext"); err == nil {
		a := (&Parser{}).poppler(tool, data, nil)
		if a.err != nil {
			t.Logf("pdftotext engine alone: %v", a.err)
		} else if got := remJSON(t, a.r); string(got) != string(want) {
			t.Logf("pdftotext engine alone reads it differently (confidence %.2f)", a.r.Confidence)
		}
	}
}
