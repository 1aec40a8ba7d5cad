package pdf

import (
	"math"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// word is a run of characters without a blank; cell is a run of words
// without a column gap. Positions are in points for PDF text and in
// character columns for plain text, CSV and sheets: the table reader only
// compares positions within one document.
type word struct {
	Text   string
	X0, X1 float64
}

type cell struct {
	Text   string
	X0, X1 float64
	Words  []word
}

// line is one visual line of a document.
type line struct {
	Page  int
	Y     float64 // top-down order within the page
	Size  float64 // font size, or 1 for text sources
	Cells []cell
	No    int // running line number over the document, from 1
	// Fixed: the cells come from a delimited source (CSV, a sheet, a pipe
	// or tab table), so a cell is one value and never split.
	Fixed bool
}

func (l *line) text() string {
	parts := make([]string, len(l.Cells))
	for i, c := range l.Cells {
		parts[i] = c.Text
	}
	return strings.Join(parts, "  ")
}

// linesFromGlyphs rebuilds lines from placed glyphs: grouped by baseline
// within a tolerance of the font size, sorted by x, split into words at
// gaps and into cells at wide gaps. Content-stream order is ignored
// entirely: producers draw tables column by column, or header last.
func linesFromGlyphs(pages []page) []line {
	var out []line
	for pi, p := range pages {
		gs := make([]glyph, 0, len(p.Glyphs))
		for _, g := range p.Glyphs {
			if g.Size <= 0 || math.IsNaN(g.X) || math.IsNaN(g.Y) || math.IsInf(g.X, 0) || math.IsInf(g.Y, 0) {
				continue
			}
			if g.Size > 200 {
				continue
			}
			gs = append(gs, g)
		}
		sort.SliceStable(gs, func(i, j int) bool { return gs[i].Y > gs[j].Y })
		for i := 0; i < len(gs); {
			// A line takes glyphs whose baseline lies within 40 % of the
			// first one's size: sub- and superscripts and baseline jitter
			// between fonts stay on the line; the next line does not.
			y0, size := gs[i].Y, gs[i].Size
			j := i + 1
			for j < len(gs) && y0-gs[j].Y <= 0.4*math.Max(size, gs[j].Size) {
				if gs[j].Size > size {
					size = gs[j].Size
				}
				j++
			}
			ln := buildLine(gs[i:j], size)
			if len(ln.Cells) > 0 && len(out) < maxLines {
				ln.Page = pi + 1
				ln.Y = -y0
				out = append(out, ln)
			}
			i = j
		}
	}
	for i := range out {
		out[i].No = i + 1
	}
	return out
}

func buildLine(gs []glyph, size float64) line {
	sort.SliceStable(gs, func(i, j int) bool { return gs[i].X < gs[j].X })
	// Fake bold draws each glyph twice a fraction of a point apart.
	dd := gs[:0:0]
	for _, g := range gs {
		if n := len(dd); n > 0 && dd[n-1].S == g.S && math.Abs(dd[n-1].X-g.X) < 0.15*size {
			continue
		}
		dd = append(dd, g)
	}
	var words []word
	var cur strings.Builder
	var x0, x1 float64
	flush := func() {
		if cur.Len() > 0 {
			words = append(words, word{cur.String(), x0, x1})
			cur.Reset()
		}
	}
	for _, g := range dd {
		blank := strings.TrimSpace(g.S) == ""
		if blank {
			flush()
			continue
		}
		w := g.W
		if w <= 0 {
			w = 0.5 * g.Size * float64(utf8.RuneCountInString(g.S))
		}
		// A word ends where the gap to the next glyph is wider than a
		// narrow space. Gaps are measured from the previous glyph's end,
		// so kerning and justified spacing do not split words.
		if cur.Len() > 0 && g.X-x1 > 0.18*math.Max(g.Size, 1) {
			flush()
		}
		if cur.Len() == 0 {
			x0 = g.X
		}
		cur.WriteString(expandLigature(g.S))
		if e := g.X + w; e > x1 || cur.Len() == len(g.S) {
			x1 = e
		}
	}
	flush()
	return line{Size: size, Cells: capCells(cellsFromWords(words, size))}
}

// ligatures are the typographic ligatures fonts map one glyph to
// (U+FB00–FB06): Chromium sets "fi" in "Outfitters" as one, and a name
// or label is compared letter by letter.
var ligatures = map[rune]string{'ﬀ': "ff", 'ﬁ': "fi", 'ﬂ': "fl", 'ﬃ': "ffi", 'ﬄ': "ffl", 'ﬅ': "st", 'ﬆ': "st"}

func expandLigature(s string) string {
	if !strings.Contains(s, "\xef\xac") { // the UTF-8 lead bytes of U+FB00–FB3F
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if l, ok := ligatures[r]; ok {
			b.WriteString(l)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// cellsFromWords joins words into cells; a gap wider than gap×size starts
// a new cell. About one em separates columns in every producer seen; word
// spaces are a quarter to a third of it.
func cellsFromWords(words []word, size float64) []cell {
	words = joinDigitGroups(words, 0.6*size)
	var cells []cell
	for _, w := range words {
		if n := len(cells); n > 0 && w.X0-cells[n-1].X1 < 0.9*size {
			c := &cells[n-1]
			c.Text += " " + w.Text
			c.X1 = math.Max(c.X1, w.X1)
			c.Words = append(c.Words, w)
			continue
		}
		cells = append(cells, cell{Text: w.Text, X0: w.X0, X1: w.X1, Words: []word{w}})
	}
	return cells
}

// maxCells and maxLines bound the work of the table reader, whose header
// search compares cells of neighbouring lines pairwise: a hostile or broken
// file can put every glyph in a cell of its own.
const (
	maxCells = 300
	maxLines = 50_000
)

// capCells folds the cells past maxCells into the last one.
func capCells(cells []cell) []cell {
	if len(cells) <= maxCells {
		return cells
	}
	last := cells[maxCells-1]
	var b strings.Builder
	b.WriteString(last.Text)
	for _, c := range cells[maxCells:] {
		if b.Len() > 4096 {
			break
		}
		b.WriteString(" ")
		b.WriteString(c.Text)
	}
	last.Text = b.String()
	last.X1 = cells[len(cells)-1].X1
	out := append(cells[:maxCells-1:maxCells-1], last)
	return out
}

// joinDigitGroups puts back numbers grouped with blanks ("119 460,03",
// "1 234.56"): a word of one to three digits followed closely by a word that
// starts with three digits and a separator or its end is one number, not
// two values.
func joinDigitGroups(ws []word, gap float64) []word {
	out := ws[:0:0]
	for _, w := range ws {
		if n := len(out); n > 0 && w.X0-out[n-1].X1 <= gap && groupHead(out[n-1].Text) && groupTail(w.Text) {
			out[n-1].Text += " " + w.Text
			out[n-1].X1 = w.X1
			continue
		}
		out = append(out, w)
	}
	return out
}

func groupHead(s string) bool {
	s = strings.TrimLeft(s, "-−+(€$£")
	if len(s) < 1 || len(s) > 3 || !allDigitsStr(s) {
		return false
	}
	return true
}

func groupTail(s string) bool {
	if len(s) < 3 || !allDigitsStr(s[:3]) {
		return false
	}
	return len(s) == 3 || s[3] == '.' || s[3] == ',' || s[3] == ' ' || s[3] == '-' || s[3] == ')'
}

// linesFromText reads plain text laid out with blanks (pdftotext -layout,
// an email body, a fixed-width report): words split at one blank, cells at
// two or more or a tab, positions in character columns.
func linesFromText(text string) []line {
	var out []line
	pageNo := 1
	for i, raw := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.Contains(raw, "\f") {
			pageNo += strings.Count(raw, "\f")
			raw = strings.ReplaceAll(raw, "\f", "")
		}
		raw = strings.ReplaceAll(raw, "\t", "    ")
		var words []word
		col := 0
		start := -1
		var cur strings.Builder
		for _, r := range raw + " " {
			if unicode.IsSpace(r) {
				if start >= 0 {
					words = append(words, word{cur.String(), float64(start), float64(col)})
					cur.Reset()
					start = -1
				}
			} else {
				if start < 0 {
					start = col
				}
				cur.WriteRune(r)
			}
			col++
		}
		if len(words) == 0 {
			continue
		}
		// Cells: a gap of two or more columns.
		words = joinDigitGroups(words, 1)
		var cells []cell
		for _, w := range words {
			if n := len(cells); n > 0 && w.X0-cells[n-1].X1 < 2 {
				c := &cells[n-1]
				c.Text += " " + w.Text
				c.X1 = w.X1
				c.Words = append(c.Words, w)
				continue
			}
			cells = append(cells, cell{Text: w.Text, X0: w.X0, X1: w.X1, Words: []word{w}})
		}
		out = append(out, line{Page: pageNo, Y: float64(i), Size: 1, Cells: capCells(cells), No: i + 1})
		if len(out) >= maxLines {
			break
		}
	}
	return out
}

// linesFromRows reads delimited rows (CSV, a sheet, a pipe table): each
// field is a cell at its column index, so header and values line up
// exactly. No is the row's line in the source.
func linesFromRows(rows [][]string, nos []int) []line {
	var out []line
	for i, r := range rows {
		var cells []cell
		for j, f := range r {
			f = strings.TrimSpace(f)
			if f == "" {
				continue
			}
			x0, x1 := float64(j*10), float64(j*10+8)
			var ws []word
			for _, w := range strings.Fields(f) {
				ws = append(ws, word{w, x0, x1})
			}
			cells = append(cells, cell{Text: strings.Join(strings.Fields(f), " "), X0: x0, X1: x1, Words: ws})
		}
		if len(cells) == 0 {
			continue
		}
		no := i + 1
		if i < len(nos) {
			no = nos[i]
		}
		out = append(out, line{Page: 1, Y: float64(i), Size: 1, Cells: capCells(cells), No: no, Fixed: true})
		if len(out) >= maxLines {
			break
		}
	}
	return out
}
