package pdf

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// benchCorpus is 200 remittance PDFs of 1 to 5 pages: the fixtures with
// their tables cut to different lengths.
func benchCorpus(b *testing.B) [][]byte {
	b.Helper()
	var out [][]byte
	fs := fixtures()
	for i := 0; len(out) < 200; i++ {
		f := fs[i%len(fs)]
		if f.pageRows == 0 {
			f.pageRows = 25
			f.carry = "Carried forward"
		}
		n := 5 + (i*37)%110 // 1 to 5 pages of rows
		for len(f.rows) < n {
			f.rows = append(f.rows, f.rows...)
		}
		f.rows = f.rows[:n]
		f.subtotals = nil
		for k := f.pageRows; k < n; k += f.pageRows {
			f.subtotals = append(f.subtotals, f.total[1])
		}
		out = append(out, renderFPDF(b, f, false))
	}
	return out
}

// BenchmarkParsePDF reads the corpus with the built-in engine, in process.
func BenchmarkParsePDF(b *testing.B) {
	corpus := benchCorpus(b)
	p := &Parser{Pdftotext: "-"}
	b.ResetTimer()
	for b.Loop() {
		for _, d := range corpus {
			if _, err := p.Parse(d, "b.pdf"); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(corpus)), "µs/doc")
}

// BenchmarkPdftotext runs `pdftotext -layout` over the same corpus, one
// process per file, for the comparison the issue asks for.
func BenchmarkPdftotext(b *testing.B) {
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		b.Skip("pdftotext not installed")
	}
	corpus := benchCorpus(b)
	dir := b.TempDir()
	var files []string
	for i, d := range corpus {
		p := filepath.Join(dir, "r"+string(rune('a'+i%26))+string(rune('a'+i/26))+".pdf")
		if err := os.WriteFile(p, d, 0o644); err != nil {
			b.Fatal(err)
		}
		files = append(files, p)
	}
	b.ResetTimer()
	for b.Loop() {
		for _, f := range files {
			if err := exec.Command(tool, "-layout", f, os.DevNull).Run(); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(files)), "µs/doc")
}
