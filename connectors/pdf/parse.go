// Package pdf reads remittance advices — PDF, CSV, XLSX and tables in an
// email body — into agent.Remittance (SPEC §4).
//
// PDF text comes from github.com/ledongthuc/pdf, which parses the file, and
// from our own content-stream interpreter, which places every glyph; lines
// and columns are rebuilt from positions, never from drawing order. When
// that engine fails or reads badly and Debian's pdftotext (poppler-utils)
// is installed, `pdftotext -layout` is the second engine. Every call into
// the library is contained: panics are recovered, each engine has a time
// limit, and Parser.Isolate moves the library into a child process with a
// memory limit, for services that read untrusted mail all day.
package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/dunnerhq/dunner/agent"
)

// Parser reads remittance documents. The zero value is ready to use.
type Parser struct {
	// Layouts are per-payer layouts, tried before the generic reader
	// when their keywords match.
	Layouts []*Layout
	// Timeout bounds each extraction engine; default 20 s.
	Timeout time.Duration
	// Isolate runs the PDF library in a child process (this executable,
	// re-run) with a memory limit: a crash or runaway there costs one
	// document, not the service.
	Isolate bool
	// Pdftotext is the path of pdftotext; "" looks it up in PATH, "-"
	// disables the second engine.
	Pdftotext string
	// MaxSize refuses larger inputs; default 64 MiB.
	MaxSize int
}

var defaultParser = &Parser{}

// ParseText reads a remittance table in an email body (plain text laid out
// with blanks, tab- or pipe-separated, or HTML).
func ParseText(text string) (*agent.Remittance, error) { return defaultParser.ParseText(text) }

// ParseFile reads the remittance in a file (PDF, CSV, XLSX or text).
func (p *Parser) ParseFile(path string) (*agent.Remittance, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return p.Parse(data, filepath.Base(path))
}

// Parse reads a remittance from its bytes; name (a file name) only helps
// when the content does not say what it is.
func (p *Parser) Parse(data []byte, name string) (*agent.Remittance, error) {
	max := p.MaxSize
	if max <= 0 {
		max = 64 << 20
	}
	if len(data) > max {
		return nil, &agent.RemittanceError{Kind: agent.RemitNotRemittance, Message: fmt.Sprintf("%d bytes is more than any remittance advice (limit %d)", len(data), max)}
	}
	ext := strings.ToLower(filepath.Ext(name))
	head := data[:min(len(data), 1024)]
	switch {
	case bytes.Contains(head, []byte("%PDF-")):
		return p.parsePDF(data)
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return p.parseXLSX(data)
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return nil, &agent.RemittanceError{Kind: agent.RemitNotRemittance, Message: "a legacy Excel (.xls) or password-protected Office file; save it as .xlsx or CSV"}
	case ext == ".pdf":
		return nil, &agent.RemittanceError{Kind: agent.RemitInvalidPDF, Message: "no PDF header: the file is not a PDF or is damaged"}
	case ext == ".xlsx":
		return nil, &agent.RemittanceError{Kind: agent.RemitNotRemittance, Message: "not an XLSX workbook"}
	}
	text := decodeText(data)
	if !utf8.ValidString(text) || binaryish(text) {
		return nil, &agent.RemittanceError{Kind: agent.RemitNotRemittance, Message: "binary data that is neither PDF, XLSX nor text"}
	}
	if ext == ".csv" || ext == ".tsv" || (ext != ".txt" && ext != ".eml" && looksDelimited(text)) {
		if r, err := p.parseCSV(text); err == nil {
			return r, nil
		}
	}
	return p.ParseText(text)
}

// binaryish: many control characters mean a binary file read as text.
func binaryish(s string) bool {
	bad, n := 0, 0
	for _, r := range s {
		n++
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' && r != '\f' || r == utf8.RuneError {
			bad++
		}
		if n > 4096 {
			break
		}
	}
	return n > 0 && bad*20 > n
}

func (p *Parser) timeout() time.Duration {
	if p.Timeout > 0 {
		return p.Timeout
	}
	return 20 * time.Second
}

func (p *Parser) pdftotextPath() string {
	switch p.Pdftotext {
	case "-":
		return ""
	case "":
		path, err := exec.LookPath("pdftotext")
		if err != nil {
			return ""
		}
		return path
	}
	return p.Pdftotext
}

// attempt is one engine's reading of a PDF.
type attempt struct {
	r       *agent.Remittance
	err     error
	glyphs  int
	images  int
	garbage float64
}

func (p *Parser) parsePDF(data []byte) (*agent.Remittance, error) {
	if i := bytes.Index(data[:min(len(data), 1024)], []byte("%PDF-")); i > 0 {
		data = data[i:] // mail gateways and some scanners put bytes before the header
	}
	var lay []*Layout = p.Layouts
	native := p.native(data, lay)
	if native.err == nil && native.r.Confidence >= 0.6 && native.garbage < 0.02 {
		return native.r, nil
	}
	tool := p.pdftotextPath()
	if tool == "" {
		return native.result()
	}
	second := p.poppler(tool, data, lay)
	return better(native, second).result()
}

func (a attempt) result() (*agent.Remittance, error) {
	if a.err != nil {
		return nil, a.err
	}
	return a.r, nil
}

// better picks the reading to trust: a remittance over an error, then the
// higher confidence, the first engine on a tie. Between two errors the
// more telling one wins: encrypted, then no text, then not a remittance.
func better(a, b attempt) attempt {
	switch {
	case a.err == nil && b.err == nil:
		if b.r.Confidence > a.r.Confidence || a.garbage > 0.05 && b.garbage < a.garbage {
			return b
		}
		return a
	case a.err == nil:
		return a
	case b.err == nil:
		return b
	}
	rank := func(e error) int {
		var re *agent.RemittanceError
		if !errors.As(e, &re) {
			return 0
		}
		switch re.Kind {
		case agent.RemitEncrypted:
			return 5
		case agent.RemitNotRemittance:
			return 4
		case agent.RemitNoTextLayer:
			return 3
		}
		return 1
	}
	if rank(b.err) > rank(a.err) {
		return b
	}
	return a
}

// native reads a PDF with ledongthuc/pdf and our interpreter. Reading
// the lines into a remittance runs under the same time limit as the
// library: a broken file can make thousands of cells of one line.
func (p *Parser) native(data []byte, lay []*Layout) attempt {
	var pages []page
	var err error
	if p.Isolate {
		pages, err = p.isolated(data)
	} else {
		pages, err = contain(p.timeout(), func() ([]page, error) { return extractNative(data) })
	}
	if err != nil {
		return attempt{err: pdfError(err)}
	}
	a, err := contain(p.timeout(), func() (attempt, error) { return readPages(pages, lay), nil })
	if err != nil {
		return attempt{err: pdfError(err)}
	}
	return a
}

func readPages(pages []page, lay []*Layout) attempt {
	a := attempt{}
	for _, pg := range pages {
		a.glyphs += len(pg.Glyphs)
		a.images += pg.Images
	}
	lines := linesFromGlyphs(pages)
	a.garbage = garbageRatio(lines)
	if a.glyphs == 0 || len(lines) == 0 {
		a.err = noText(a.images)
		return a
	}
	a.r, a.err = readLines(lines, lay, "pdf/ledongthuc")
	return a
}

func noText(images int) error {
	msg := "the PDF has no text layer"
	if images > 0 {
		msg = "the PDF holds only images (a scan?) and no text layer; it needs OCR"
	}
	return &agent.RemittanceError{Kind: agent.RemitNoTextLayer, Message: msg}
}

// pdfError maps an engine failure to SPEC §4's kinds.
func pdfError(err error) error {
	var ee *engineError
	if !errors.As(err, &ee) {
		return &agent.RemittanceError{Kind: agent.RemitInvalidPDF, Message: err.Error()}
	}
	switch ee.kind {
	case "password":
		return &agent.RemittanceError{Kind: agent.RemitEncrypted, Message: "the PDF is encrypted and needs a password"}
	case "unsupported":
		return &agent.RemittanceError{Kind: agent.RemitEncrypted, Message: "the PDF uses an encryption the built-in reader cannot open (" + ee.msg + "); installing poppler-utils adds a reader that can"}
	case "timeout":
		return &agent.RemittanceError{Kind: agent.RemitInvalidPDF, Message: "reading the PDF took too long; it is probably damaged"}
	}
	return &agent.RemittanceError{Kind: agent.RemitInvalidPDF, Message: "the PDF is damaged or truncated: " + ee.msg}
}

// poppler reads a PDF with `pdftotext -layout`, whose blank-aligned output
// goes through the same table reader as text.
func (p *Parser) poppler(tool string, data []byte, lay []*Layout) attempt {
	f, err := os.CreateTemp("", "dunner-remit-*.pdf")
	if err != nil {
		return attempt{err: err}
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return attempt{err: err}
	}
	f.Close()
	ctx, cancel := context.WithTimeout(context.Background(), p.timeout())
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, tool, "-layout", "-enc", "UTF-8", f.Name(), "-")
	cmd.Stdout, cmd.Stderr = &limitWriter{w: &stdout, n: 32 << 20}, &limitWriter{w: &stderr, n: 1 << 16}
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	runErr := cmd.Run()
	if runErr != nil {
		msg := strings.TrimSpace(stderr.String())
		var ee *exec.ExitError
		switch {
		case ctx.Err() != nil:
			return attempt{err: pdfError(&engineError{kind: "timeout"})}
		case strings.Contains(msg, "password") || errors.As(runErr, &ee) && ee.ExitCode() == 3:
			return attempt{err: &agent.RemittanceError{Kind: agent.RemitEncrypted, Message: "the PDF is encrypted and needs a password"}}
		}
		if msg == "" {
			msg = runErr.Error()
		}
		return attempt{err: &agent.RemittanceError{Kind: agent.RemitInvalidPDF, Message: "the PDF is damaged or truncated: " + firstLine(msg)}}
	}
	text := stdout.String()
	lines := linesFromText(text)
	a := attempt{garbage: garbageRatio(lines)}
	if len(lines) == 0 {
		a.err = noText(0)
		return a
	}
	a.r, a.err = readLines(lines, lay, "pdf/pdftotext")
	return a
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

type limitWriter struct {
	w *bytes.Buffer
	n int
}

func (l *limitWriter) Write(b []byte) (int, error) {
	if l.w.Len()+len(b) > l.n {
		return 0, errors.New("output too large")
	}
	return l.w.Write(b)
}

// garbageRatio is the share of characters no en/es/de remittance prints:
// U+FFFD, controls, private-use code points (glyph ids read as text) and
// letters of other scripts. A font without a usable ToUnicode map shows
// here, and the other engine gets its turn.
func garbageRatio(lines []line) float64 {
	bad, n := 0, 0
	for _, l := range lines {
		for _, c := range l.Cells {
			for _, r := range c.Text {
				n++
				switch {
				case r == utf8.RuneError, r < 0x20, r >= 0xE000 && r <= 0xF8FF, r >= 0x7F && r < 0xA0:
					bad++
				case unicode.IsLetter(r) && !unicode.In(r, unicode.Latin, unicode.Greek, unicode.Cyrillic):
					bad++
				}
			}
		}
	}
	if n == 0 {
		return 0
	}
	return float64(bad) / float64(n)
}

// readLines runs the matching layouts first, then the generic reader.
func readLines(lines []line, lays []*Layout, source string) (*agent.Remittance, error) {
	if lay := matchLayout(lays, lines); lay != nil {
		if r, err := compose(lines, lay, source+"+layout:"+lay.Name); err == nil {
			return r, nil
		}
	}
	return compose(lines, nil, source)
}

// contain runs f with a recover and a time limit. On a timeout the
// goroutine is abandoned (Go cannot stop it); Parser.Isolate is the
// remedy where that matters.
func contain[T any](timeout time.Duration, f func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	ch := make(chan result, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				ch <- result{err: &engineError{kind: "panic", msg: fmt.Sprint(r)}}
			}
		}()
		v, err := f()
		ch <- result{v, err}
	}()
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-t.C:
		var zero T
		return zero, &engineError{kind: "timeout", msg: timeout.String()}
	}
}
