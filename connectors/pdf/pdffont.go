package pdf

import (
	"io"
	"math"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	lpdf "github.com/ledongthuc/pdf"
)

// font is what text extraction needs of a PDF font: how many bytes a code
// takes, its advance width and its Unicode text. The library's own decoding
// is used only for simple fonts without a ToUnicode map: its map reader
// garbles characters above U+00FF (€, ’, –), and its widths are zero for
// composite fonts, which is what Chromium and most modern producers embed.
type font struct {
	composite bool
	// codespace splits a composite font's byte string into codes; empty
	// means two bytes per code (Identity-H and most predefined CMaps).
	codespace []codeRange
	toUni     *toUnicode
	simple    lpdf.TextEncoding // byte → text for simple fonts without ToUnicode
	widths    map[uint32]float64
	firstChar uint32
	widthArr  []float64
	dw        float64 // default width, glyph space (1/1000 em)
	// scale turns glyph-space widths into text space: 1/1000, or a Type 3
	// font's FontMatrix.
	scale float64
	// guess is the width used when the font gives none, in glyph space.
	guess float64
}

type codeRange struct {
	n      int // bytes
	lo, hi uint32
}

func loadFont(v lpdf.Value) *font {
	f := &font{scale: 0.001, dw: 1000, guess: 500}
	if v.Kind() != lpdf.Dict {
		return f
	}
	base := strings.ToLower(v.Key("BaseFont").Name())
	if strings.Contains(base, "courier") || strings.Contains(base, "mono") {
		f.guess = 600 // monospace
	}
	if tu := v.Key("ToUnicode"); tu.Kind() == lpdf.Stream {
		f.toUni = parseToUnicode(tu)
	}
	switch v.Key("Subtype").Name() {
	case "Type0":
		f.composite = true
		desc := v.Key("DescendantFonts").Index(0)
		f.dw = 1000
		if dw := desc.Key("DW"); dw.Kind() == lpdf.Integer || dw.Kind() == lpdf.Real {
			f.dw = dw.Float64()
		}
		f.widths = cidWidths(desc.Key("W"))
		if enc := v.Key("Encoding"); enc.Kind() == lpdf.Stream {
			f.codespace = parseToUnicode(enc).space
		} else if f.toUni != nil && len(f.toUni.space) > 0 && !strings.HasPrefix(enc.Name(), "Identity") {
			f.codespace = f.toUni.space
		}
	default:
		f.firstChar = uint32(clampInt(v.Key("FirstChar").Int64()))
		w := v.Key("Widths")
		for i := 0; i < w.Len() && i < 65536; i++ {
			f.widthArr = append(f.widthArr, w.Index(i).Float64())
		}
		if v.Key("Subtype").Name() == "Type3" {
			if m := v.Key("FontMatrix"); m.Len() >= 1 && m.Index(0).Float64() != 0 {
				f.scale = math.Abs(m.Index(0).Float64())
				f.guess = 0.5 / f.scale
			}
		}
		if f.toUni == nil {
			fv := lpdf.Font{V: v}
			f.simple = fv.Encoder()
		}
	}
	return f
}

func clampInt(n int64) int64 {
	if n < 0 || n > 1<<20 {
		return 0
	}
	return n
}

// cidWidths reads a CID font's W array: `c [w1 w2 …]` or `c1 c2 w`.
func cidWidths(w lpdf.Value) map[uint32]float64 {
	out := map[uint32]float64{}
	n := w.Len()
	for i := 0; i < n; {
		first := w.Index(i)
		if i+1 >= n {
			break
		}
		next := w.Index(i + 1)
		if next.Kind() == lpdf.Array {
			c := uint32(clampInt(first.Int64()))
			for j := 0; j < next.Len() && j < 65536; j++ {
				out[c+uint32(j)] = next.Index(j).Float64()
			}
			i += 2
			continue
		}
		if i+2 >= n {
			break
		}
		lo, hi := clampInt(first.Int64()), clampInt(next.Int64())
		wd := w.Index(i + 2).Float64()
		for c := lo; c <= hi && c-lo < 65536; c++ {
			out[uint32(c)] = wd
		}
		i += 3
	}
	return out
}

// code is one character code of a shown string.
type code struct {
	v   uint32
	n   int // bytes
	raw string
}

// codes splits a shown string into character codes.
func (f *font) codes(s string) []code {
	var out []code
	if !f.composite {
		for i := 0; i < len(s); i++ {
			out = append(out, code{uint32(s[i]), 1, s[i : i+1]})
		}
		return out
	}
	for i := 0; i < len(s); {
		n := 0
		if len(f.codespace) > 0 {
			for _, r := range f.codespace {
				if i+r.n <= len(s) {
					v := beUint(s[i : i+r.n])
					if v >= r.lo && v <= r.hi {
						n = r.n
						break
					}
				}
			}
		}
		if n == 0 {
			n = 2
		}
		if i+n > len(s) {
			n = len(s) - i
		}
		out = append(out, code{beUint(s[i : i+n]), n, s[i : i+n]})
		i += n
	}
	return out
}

func beUint(s string) uint32 {
	var v uint32
	for i := 0; i < len(s) && i < 4; i++ {
		v = v<<8 | uint32(s[i])
	}
	return v
}

// width is a code's advance in glyph space (1/1000 em for all but Type 3).
func (f *font) width(c code) float64 {
	if f.composite {
		if w, ok := f.widths[c.v]; ok {
			return w
		}
		return f.dw
	}
	if c.v >= f.firstChar && int(c.v-f.firstChar) < len(f.widthArr) {
		if w := f.widthArr[c.v-f.firstChar]; w > 0 {
			return w
		}
	}
	if c.v == 32 {
		return f.guess * 0.5
	}
	return f.guess
}

// text is a code's Unicode text; U+FFFD when the font does not say.
func (f *font) text(c code) string {
	if f.toUni != nil {
		if s, ok := f.toUni.lookup(c.v, c.n); ok {
			return s
		}
	}
	if f.simple != nil {
		return f.simple.Decode(c.raw)
	}
	if !f.composite {
		return string(rune(c.v))
	}
	return "\uFFFD"
}

// toUnicode is a parsed ToUnicode CMap.
type toUnicode struct {
	space  []codeRange
	chars  map[uint64]string // (bytes<<32 | code) → text
	ranges []uniRange
}

type uniRange struct {
	n      int
	lo, hi uint32
	base   []rune   // destination of lo; later codes add to the last rune
	arr    []string // or one destination per code
}

func key(v uint32, n int) uint64 { return uint64(n)<<32 | uint64(v) }

func (t *toUnicode) lookup(v uint32, n int) (string, bool) {
	if s, ok := t.chars[key(v, n)]; ok {
		return s, true
	}
	for _, r := range t.ranges {
		if r.n != n || v < r.lo || v > r.hi {
			continue
		}
		off := v - r.lo
		if r.arr != nil {
			if int(off) < len(r.arr) {
				return r.arr[off], true
			}
			return "", false
		}
		if len(r.base) == 0 {
			return "", false
		}
		// The offset goes onto the whole last character, not its last
		// byte: a range starting at U+00FE crosses into U+0100.
		out := append([]rune(nil), r.base...)
		out[len(out)-1] += rune(off)
		return runesText(out), true
	}
	return "", false
}

// parseToUnicode reads the codespace, bfchar and bfrange sections of a
// CMap with a small lexer of our own: the library's PostScript
// interpreter panics on the "findresource begin" prologue every CMap has.
func parseToUnicode(v lpdf.Value) (t *toUnicode) {
	t = &toUnicode{chars: map[uint64]string{}}
	defer func() {
		// A broken map keeps what was read before the break.
		_ = recover()
	}()
	rd := v.Reader()
	defer rd.Close()
	data, _ := io.ReadAll(io.LimitReader(rd, 8<<20))
	toks := cmapTokens(data)
	var args []cmapTok
	for _, tk := range toks {
		if tk.kind != tkKeyword {
			args = append(args, tk)
			continue
		}
		switch tk.s {
		case "endcodespacerange":
			for i := 0; i+1 < len(args); i += 2 {
				lo, hi := args[i].s, args[i+1].s
				if len(lo) == 0 || len(lo) > 4 || len(lo) != len(hi) {
					continue
				}
				t.space = append(t.space, codeRange{len(lo), beUint(lo), beUint(hi)})
			}
		case "endbfchar":
			for i := 0; i+1 < len(args); i += 2 {
				src := args[i].s
				if len(src) == 0 || len(src) > 4 {
					continue
				}
				t.chars[key(beUint(src), len(src))] = runesText(utf16Runes(args[i+1].s))
			}
		case "endbfrange":
			for i := 0; i+2 < len(args); {
				lo, hi := args[i].s, args[i+1].s
				r := uniRange{n: len(lo), lo: beUint(lo), hi: beUint(hi)}
				j := i + 2
				if args[j].kind == tkArrayOpen {
					j++
					for ; j < len(args) && args[j].kind != tkArrayClose; j++ {
						if len(r.arr) < 65536 {
							r.arr = append(r.arr, runesText(utf16Runes(args[j].s)))
						}
					}
				} else {
					r.base = utf16Runes(args[j].s)
				}
				i = j + 1
				if len(lo) == 0 || len(lo) > 4 || len(lo) != len(hi) || r.hi < r.lo {
					continue
				}
				t.ranges = append(t.ranges, r)
			}
		}
		args = args[:0]
	}
	// Codes are matched shortest first, as PDF reads codespace ranges.
	sortRanges(t.space)
	return t
}

type tokKind uint8

const (
	tkString tokKind = iota // <hex> or (literal): bytes in s
	tkKeyword
	tkArrayOpen
	tkArrayClose
	tkOther // numbers, names, dictionaries: skipped
)

type cmapTok struct {
	kind tokKind
	s    string
}

// cmapTokens splits a CMap into the tokens its bf sections need.
func cmapTokens(b []byte) []cmapTok {
	var out []cmapTok
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == '%':
			for i < len(b) && b[i] != '\n' && b[i] != '\r' {
				i++
			}
		case c == '<' && i+1 < len(b) && b[i+1] == '<', c == '>' && i+1 < len(b) && b[i+1] == '>':
			out = append(out, cmapTok{kind: tkOther})
			i += 2
		case c == '<':
			j := i + 1
			var hex []byte
			for j < len(b) && b[j] != '>' {
				if h := unhex(b[j]); h >= 0 {
					hex = append(hex, byte(h))
				}
				j++
			}
			if len(hex)%2 == 1 {
				hex = append(hex, 0)
			}
			val := make([]byte, len(hex)/2)
			for k := range val {
				val[k] = hex[2*k]<<4 | hex[2*k+1]
			}
			out = append(out, cmapTok{tkString, string(val)})
			i = j + 1
		case c == '(':
			depth, j := 1, i+1
			var val []byte
			for j < len(b) && depth > 0 {
				switch b[j] {
				case '\\':
					if j+1 < len(b) {
						j++
						val = append(val, b[j])
					}
				case '(':
					depth++
					val = append(val, b[j])
				case ')':
					depth--
					if depth > 0 {
						val = append(val, b[j])
					}
				default:
					val = append(val, b[j])
				}
				j++
			}
			out = append(out, cmapTok{tkString, string(val)})
			i = j
		case c == '[':
			out = append(out, cmapTok{kind: tkArrayOpen})
			i++
		case c == ']':
			out = append(out, cmapTok{kind: tkArrayClose})
			i++
		case c <= ' ':
			i++
		default:
			j := i
			for j < len(b) && b[j] > ' ' && !strings.ContainsRune("<>[]()/%{}", rune(b[j])) || j == i {
				j++
			}
			w := string(b[i:j])
			if c == '/' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '{' || c == '}' {
				out = append(out, cmapTok{kind: tkOther, s: w})
			} else {
				out = append(out, cmapTok{kind: tkKeyword, s: w})
			}
			i = j
		}
		if len(out) > 2_000_000 {
			break
		}
	}
	return out
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func sortRanges(s []codeRange) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j].n < s[j-1].n; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// popN pops n values and returns them bottom first.
func popN(stk *lpdf.Stack, n int) []lpdf.Value {
	if n > stk.Len() {
		n = stk.Len()
	}
	out := make([]lpdf.Value, n)
	for i := n - 1; i >= 0; i-- {
		out[i] = stk.Pop()
	}
	return out
}

// utf16Runes decodes a bfchar/bfrange destination (UTF-16BE, or a single
// byte some producers write). U+0000 is kept: a range <0000> <FFFF> <0000>
// (fpdf's identity map) starts there and only its later codes are text.
func utf16Runes(s string) []rune {
	if len(s) == 1 {
		return []rune{rune(s[0])}
	}
	u := make([]uint16, 0, len(s)/2)
	for i := 0; i+1 < len(s); i += 2 {
		u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
	}
	return utf16.Decode(u)
}

func runesText(rs []rune) string {
	var b strings.Builder
	for _, r := range rs {
		if r == 0 {
			continue
		}
		if !utf8.ValidRune(r) {
			r = utf8.RuneError
		}
		b.WriteRune(r)
	}
	return b.String()
}
