package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"strings"

	lpdf "github.com/ledongthuc/pdf"
)

// glyph is one character placed on a page, in page space (points, y up).
type glyph struct {
	S    string
	X, Y float64 // origin on the baseline
	W    float64 // advance
	Size float64 // font size as drawn (text matrix and CTM applied)
}

// page is what a PDF page gives the table reader.
type page struct {
	Glyphs []glyph
	Images int // image XObjects and inline images drawn: a scan shows here
}

// extractNative reads every page's glyphs with ledongthuc/pdf parsing the
// file and our own content-stream interpreter placing the glyphs. The
// library's Content() is not used: it gives composite fonts zero widths
// (so words cannot be told apart), ignores Form XObjects and decodes
// ToUnicode ranges wrongly above U+00FF.
func extractNative(data []byte) (pages []page, err error) {
	data = repairHeader(data)
	if bytes.Contains(data, []byte("/Encrypt")) {
		plain, ok, needsPassword := predecrypt(data)
		switch {
		case needsPassword:
			return nil, &engineError{kind: "password", msg: "the document needs a password"}
		case ok:
			data = plain
		}
	}
	r, err := lpdf.NewReaderEncrypted(bytes.NewReader(data), int64(len(data)), func() string { return "" })
	if err != nil {
		return nil, classifyOpenError(err)
	}
	n := r.NumPage()
	if n <= 0 || n > maxPages {
		return nil, &engineError{kind: "invalid", msg: fmt.Sprintf("page count %d", n)}
	}
	for i := 1; i <= n; i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			break
		}
		pages = append(pages, readPage(p))
	}
	if len(pages) == 0 {
		return nil, &engineError{kind: "invalid", msg: "no pages"}
	}
	return pages, nil
}

// maxPages bounds the work on one document: a remittance has a few pages,
// a corrupted count would make the loop run on for nothing.
const maxPages = 2000

// engineError is a failure of one extraction engine, classified so the
// caller can pick the error kind or try the other engine.
type engineError struct {
	kind string // invalid, encrypted, password, unsupported, timeout, panic
	msg  string
}

func (e *engineError) Error() string { return e.kind + ": " + e.msg }

func classifyOpenError(err error) error {
	msg := err.Error()
	switch {
	case errors.Is(err, lpdf.ErrInvalidPassword):
		return &engineError{kind: "password", msg: "the document needs a password"}
	case strings.Contains(msg, "encryption"):
		// AES-256 (V=5) and other schemes the library does not know:
		// pdftotext may still open them with an empty password.
		return &engineError{kind: "unsupported", msg: msg}
	}
	return &engineError{kind: "invalid", msg: msg}
}

// repairHeader makes harmless deviations readable by the library, which
// insists on "%PDF-1.x" and a newline as the first bytes and "%%EOF" within
// the last 100: PDF 2.0 headers, a header followed by a comment on the
// same line, junk after %%EOF (mail gateways append footers). Offsets do
// not move: bytes are only overwritten or cut at the end.
func repairHeader(data []byte) []byte {
	if len(data) < 9 || !bytes.HasPrefix(data, []byte("%PDF-")) {
		return data
	}
	if !bytes.HasPrefix(data, []byte("%PDF-1.")) || data[8] != '\r' && data[8] != '\n' || data[7] < '0' || data[7] > '7' {
		c := append([]byte(nil), data...)
		copy(c, "%PDF-1.7\n")
		data = c
	}
	if i := bytes.LastIndex(data, []byte("%%EOF")); i > 0 && len(data)-i > 100 {
		data = data[:i+5]
	}
	return data
}

// gstate is the part of the graphics and text state that places glyphs.
type gstate struct {
	ctm            matrix
	tc, tw, th, tl float64
	font           *font
	fs, rise       float64
	tm, tlm        matrix
}

type matrix [6]float64 // a b c d e f, PDF order

var identity = matrix{1, 0, 0, 1, 0, 0}

// mul returns m × n (m applied first).
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

// interp runs content streams, following Form XObjects.
type interp struct {
	out    *page
	fonts  map[string]*font // by the font dictionary's text: shared across pages' resources
	depth  int
	budget int // operators left: a content stream that loops in its own XObjects ends here
}

func readPage(p lpdf.Page) page {
	var out page
	in := &interp{out: &out, fonts: map[string]*font{}, budget: 2_000_000}
	g := gstate{ctm: identity, th: 1, tm: identity, tlm: identity}
	in.run(p.V.Key("Contents"), p.Resources(), g)
	return out
}

// run interprets one content stream. A panic inside (malformed operands,
// an unsupported filter) ends this stream only; glyphs placed so far stay.
func (in *interp) run(content lpdf.Value, res lpdf.Value, g gstate) {
	if in.depth > 8 || content.Kind() == lpdf.Null {
		return
	}
	in.depth++
	defer func() {
		in.depth--
		// The stream is cut short; the glyphs read so far stay.
		_ = recover()
	}()
	var stack []gstate
	lpdf.Interpret(content, func(stk *lpdf.Stack, op string) {
		in.budget--
		if in.budget < 0 {
			panic("operator budget exhausted")
		}
		args := popN(stk, stk.Len())
		num := func(i int) float64 {
			if i < len(args) {
				return args[i].Float64()
			}
			return 0
		}
		switch op {
		case "q":
			if len(stack) < 256 {
				stack = append(stack, g)
			}
		case "Q":
			if n := len(stack); n > 0 {
				g = stack[n-1]
				stack = stack[:n-1]
			}
		case "cm":
			if len(args) == 6 {
				g.ctm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}.mul(g.ctm)
			}
		case "BT":
			g.tm, g.tlm = identity, identity
		case "Tc":
			g.tc = num(0)
		case "Tw":
			g.tw = num(0)
		case "Tz":
			g.th = num(0) / 100
		case "TL":
			g.tl = num(0)
		case "Ts":
			g.rise = num(0)
		case "Tf":
			if len(args) == 2 {
				g.font = in.font(res, args[0].Name())
				g.fs = num(1)
			}
		case "Td":
			g.tlm = matrix{1, 0, 0, 1, num(0), num(1)}.mul(g.tlm)
			g.tm = g.tlm
		case "TD":
			g.tl = -num(1)
			g.tlm = matrix{1, 0, 0, 1, num(0), num(1)}.mul(g.tlm)
			g.tm = g.tlm
		case "Tm":
			if len(args) == 6 {
				g.tlm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}
				g.tm = g.tlm
			}
		case "T*":
			g.tlm = matrix{1, 0, 0, 1, 0, -g.tl}.mul(g.tlm)
			g.tm = g.tlm
		case "Tj":
			if len(args) >= 1 {
				in.show(&g, args[len(args)-1].RawString())
			}
		case "'":
			g.tlm = matrix{1, 0, 0, 1, 0, -g.tl}.mul(g.tlm)
			g.tm = g.tlm
			if len(args) >= 1 {
				in.show(&g, args[len(args)-1].RawString())
			}
		case "\"":
			if len(args) == 3 {
				g.tw, g.tc = num(0), num(1)
				g.tlm = matrix{1, 0, 0, 1, 0, -g.tl}.mul(g.tlm)
				g.tm = g.tlm
				in.show(&g, args[2].RawString())
			}
		case "TJ":
			if len(args) < 1 {
				return
			}
			a := args[len(args)-1]
			for i := 0; i < a.Len(); i++ {
				x := a.Index(i)
				if x.Kind() == lpdf.String {
					in.show(&g, x.RawString())
				} else {
					tx := -x.Float64() / 1000 * g.fs * g.th
					g.tm = matrix{1, 0, 0, 1, tx, 0}.mul(g.tm)
				}
			}
		case "Do":
			if len(args) >= 1 {
				in.xobject(res, args[0].Name(), g)
			}
		case "BI", "ID", "EI":
			if op == "BI" {
				in.out.Images++
			}
		}
	})
}

func (in *interp) font(res lpdf.Value, name string) *font {
	v := res.Key("Font").Key(name)
	k := v.String()
	if f, ok := in.fonts[k]; ok {
		return f
	}
	f := loadFont(v)
	in.fonts[k] = f
	return f
}

func (in *interp) xobject(res lpdf.Value, name string, g gstate) {
	x := res.Key("XObject").Key(name)
	switch x.Key("Subtype").Name() {
	case "Image":
		in.out.Images++
	case "Form":
		if m := x.Key("Matrix"); m.Len() == 6 {
			var fm matrix
			for i := range fm {
				fm[i] = m.Index(i).Float64()
			}
			g.ctm = fm.mul(g.ctm)
		}
		sub := x.Key("Resources")
		if sub.Kind() != lpdf.Dict {
			sub = res
		}
		in.run(x, sub, g)
	}
}

// show places the glyphs of one shown string and advances the text matrix.
func (in *interp) show(g *gstate, s string) {
	f := g.font
	if f == nil {
		f = &font{scale: 0.001, dw: 1000, guess: 500}
	}
	for _, c := range f.codes(s) {
		trm := matrix{g.fs * g.th, 0, 0, g.fs, 0, g.rise}.mul(g.tm).mul(g.ctm)
		w0 := f.width(c) * f.scale
		adv := (w0*g.fs + g.tc) * g.th
		if c.n == 1 && c.v == 32 {
			adv += g.tw * g.th
		}
		// The advance and size in page space: the text matrix and CTM may
		// scale (Chromium draws at 0.75 and scales up) or mirror.
		m := g.tm.mul(g.ctm)
		sx := math.Hypot(m[0], m[1])
		size := math.Hypot(trm[2], trm[3])
		txt := f.text(c)
		if txt != "" && len(in.out.Glyphs) < maxGlyphs {
			// Rotated text (margins, stamps) is left out: it is never
			// part of the table and would scramble the lines.
			if math.Abs(m[1]) <= math.Abs(m[0])*0.1 && m[0] > 0 {
				in.out.Glyphs = append(in.out.Glyphs, glyph{S: txt, X: trm[4], Y: trm[5], W: adv * sx, Size: size})
			}
		}
		g.tm = matrix{1, 0, 0, 1, adv, 0}.mul(g.tm)
	}
}

// maxGlyphs bounds memory on a hostile page.
const maxGlyphs = 1_000_000
