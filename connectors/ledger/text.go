package ledger

import (
	"bytes"
	"io"
	"io/fs"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// decodeText turns the raw bytes of an export into UTF-8 without a byte-order
// mark, lines ending in LF. ERP exports come as UTF-8 (with or without BOM), UTF-16 (SAP GUI's
// "spreadsheet" save, Excel's "Unicode text") or Windows-1252 (Excel's
// default CSV on Western Windows). Bytes that are valid UTF-8 are taken as
// UTF-8: Windows-1252 text with accented letters almost never is.
func decodeText(b []byte) []byte {
	return crLines(decodeBytes(b))
}

// crLines turns the lone CRs of a file without any LF into LFs: classic Mac
// line ends, still written by some Mac exports and Excel for Mac's "CSV
// (Macintosh)". Editors show them as lines, and the readers split on LF
// only. A file with LFs keeps any lone CR as data.
func crLines(b []byte) []byte {
	if bytes.IndexByte(b, '\n') >= 0 || bytes.IndexByte(b, '\r') < 0 {
		return b
	}
	return bytes.ReplaceAll(b, []byte{'\r'}, []byte{'\n'})
}

func decodeBytes(b []byte) []byte {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return b[3:]
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return decodeUTF16(b[2:], false)
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return decodeUTF16(b[2:], true)
	}
	// Some tools drop the BOM of UTF-16; ASCII text then shows a NUL in
	// every other byte, which no real CSV has.
	if len(b) >= 4 && len(b)%2 == 0 {
		if b[0] != 0 && b[1] == 0 && b[2] != 0 && b[3] == 0 {
			return decodeUTF16(b, false)
		}
		if b[0] == 0 && b[1] != 0 && b[2] == 0 && b[3] != 0 {
			return decodeUTF16(b, true)
		}
	}
	if utf8.Valid(b) {
		return b
	}
	return decodeWindows1252(b)
}

func decodeUTF16(b []byte, bigEndian bool) []byte {
	out := make([]byte, 0, len(b)/2+len(b)/8)
	for i := 0; i+1 < len(b); i += 2 {
		var u rune
		if bigEndian {
			u = rune(b[i])<<8 | rune(b[i+1])
		} else {
			u = rune(b[i+1])<<8 | rune(b[i])
		}
		if u < utf8.RuneSelf {
			out = append(out, byte(u))
			continue
		}
		if utf16.IsSurrogate(u) && i+3 < len(b) {
			var v rune
			if bigEndian {
				v = rune(b[i+2])<<8 | rune(b[i+3])
			} else {
				v = rune(b[i+3])<<8 | rune(b[i+2])
			}
			if r := utf16.DecodeRune(u, v); r != utf8.RuneError {
				out = utf8.AppendRune(out, r)
				i += 2
				continue
			}
		}
		if utf16.IsSurrogate(u) {
			u = utf8.RuneError
		}
		out = utf8.AppendRune(out, u)
	}
	if len(b)%2 == 1 {
		out = utf8.AppendRune(out, utf8.RuneError)
	}
	return out
}

func decodeWindows1252(b []byte) []byte {
	out := make([]byte, 0, len(b)+len(b)/8)
	for _, c := range b {
		if c < utf8.RuneSelf {
			out = append(out, c)
			continue
		}
		out = utf8.AppendRune(out, charmap.Windows1252.DecodeByte(c))
	}
	return out
}

// firstLine returns the first line of text that is not blank.
func firstLine(text []byte) []byte {
	for len(text) > 0 {
		i := bytes.IndexByte(text, '\n')
		var line []byte
		if i < 0 {
			line, text = text, nil
		} else {
			line, text = text[:i], text[i+1:]
		}
		if len(bytes.TrimSpace(line)) > 0 {
			return line
		}
	}
	return nil
}

// detectSeparator picks `,`, `;` or tab, whichever the header line uses most
// outside quotes. A one-column header has none; `,` is as good as any then.
func detectSeparator(header []byte) byte {
	var comma, semi, tab int
	quoted := false
	for _, c := range header {
		switch c {
		case '"':
			quoted = !quoted
		case ',':
			if !quoted {
				comma++
			}
		case ';':
			if !quoted {
				semi++
			}
		case '\t':
			if !quoted {
				tab++
			}
		}
	}
	switch {
	case tab > comma && tab >= semi:
		return '\t'
	case semi > comma:
		return ';'
	}
	return ','
}

// lineCounter maps byte offsets of a text to 1-based line numbers. Offsets
// must be asked in increasing order, which keeps a whole file at O(n).
type lineCounter struct {
	text []byte
	off  int
	line int
}

func newLineCounter(text []byte) *lineCounter { return &lineCounter{text: text, line: 1} }

func (lc *lineCounter) at(off int) int {
	if off > len(lc.text) {
		off = len(lc.text)
	}
	if off < lc.off {
		// Out of order: count from the start rather than be wrong.
		lc.off, lc.line = 0, 1
	}
	lc.line += bytes.Count(lc.text[lc.off:off], []byte{'\n'})
	lc.off = off
	return lc.line
}

// readAll reads r whole, sized up front when r can tell its size, so a large
// export is not copied again and again while the buffer grows. Parsing needs
// the whole file anyway: the encoding is known only at its end.
func readAll(r io.Reader) ([]byte, error) {
	size := int64(0)
	switch v := r.(type) {
	case interface{ Stat() (fs.FileInfo, error) }:
		if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
			size = fi.Size()
		}
	case interface{ Len() int }:
		size = int64(v.Len())
	}
	if size <= 0 || size > 1<<34 {
		return io.ReadAll(r)
	}
	buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
	_, err := buf.ReadFrom(r)
	return buf.Bytes(), err
}
