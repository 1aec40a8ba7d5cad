package pdf

import (
	"bytes"
	"encoding/csv"
	"errors"
	"html"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/dunnerhq/dunner/agent"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
)

// decodeText turns file bytes into UTF-8: UTF-8 with or without BOM,
// UTF-16 with BOM, else Windows-1252 (Excel's CSV on Western Windows).
func decodeText(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return string(b[3:])
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		be := b[0] == 0xFE
		b = b[2:]
		u := make([]uint16, 0, len(b)/2)
		for i := 0; i+1 < len(b); i += 2 {
			if be {
				u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
			} else {
				u = append(u, uint16(b[i+1])<<8|uint16(b[i]))
			}
		}
		return string(utf16.Decode(u))
	}
	if utf8.Valid(b) {
		return string(b)
	}
	s, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return string(b)
	}
	return string(s)
}

// looksDelimited: most of the first lines split into the same number (≥ 2)
// of fields on one of , ; tab |.
func looksDelimited(text string) bool {
	_, ok := sniffDelimiter(text)
	return ok
}

func sniffDelimiter(text string) (rune, bool) {
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
		if len(lines) >= 30 {
			break
		}
	}
	if len(lines) < 2 {
		return 0, false
	}
	best, bestScore := rune(0), 0
	for _, d := range []rune{';', '\t', ',', '|'} {
		counts := map[int]int{}
		for _, l := range lines {
			if n := countUnquoted(l, d); n > 0 {
				counts[n]++
			}
		}
		mode, modeN := 0, 0
		for n, c := range counts {
			if c > modeN || c == modeN && n > mode {
				mode, modeN = n, c
			}
		}
		// A delimiter splits at least a third of the lines the same way;
		// the table rows count, the free-text head of a CSV does not.
		if mode >= 1 && modeN*3 >= len(lines) && modeN*(mode+1) > bestScore {
			best, bestScore = d, modeN*(mode+1)
		}
	}
	return best, best != 0
}

// countUnquoted counts d outside double quotes: a comma file quotes its
// amounts with thousands commas ("£1,250.00"), and those must not make its
// rows look split differently.
func countUnquoted(l string, d rune) int {
	if !strings.ContainsRune(l, '"') {
		return strings.Count(l, string(d))
	}
	n, quoted := 0, false
	for _, r := range l {
		switch {
		case r == '"':
			quoted = !quoted
		case r == d && !quoted:
			n++
		}
	}
	return n
}

func (p *Parser) parseCSV(text string) (*agent.Remittance, error) {
	d, ok := sniffDelimiter(text)
	if !ok {
		return nil, &agent.RemittanceError{Kind: agent.RemitNotRemittance, Message: "no delimiter found"}
	}
	cr := csv.NewReader(strings.NewReader(text))
	cr.Comma = d
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	var rows [][]string
	var nos []int
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				continue
			}
			break
		}
		line, _ := cr.FieldPos(0)
		rows = append(rows, rec)
		nos = append(nos, line)
		if len(rows) > 200_000 {
			break
		}
	}
	return readLines(linesFromRows(rows, nos), p.Layouts, "csv")
}

// parseXLSX reads every sheet of a workbook. Numbers come from the stored
// value, not the display (a display of "1,235" for 1234.5 loses cents);
// dates from the serial number when the cell's format is a date.
func (p *Parser) parseXLSX(data []byte) (r *agent.Remittance, err error) {
	defer func() {
		if x := recover(); x != nil {
			r, err = nil, &agent.RemittanceError{Kind: agent.RemitNotRemittance, Message: "unreadable workbook"}
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, &agent.RemittanceError{Kind: agent.RemitNotRemittance, Message: "not a readable XLSX workbook: " + err.Error()}
	}
	defer f.Close()
	var all []line
	for si, sheet := range f.GetSheetList() {
		raw, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			continue
		}
		shown, _ := f.GetRows(sheet)
		for ri, row := range raw {
			for ci := range row {
				row[ci] = xlsxCell(f, sheet, ri, ci, row[ci], at(shown, ri, ci))
			}
		}
		ls := linesFromRows(raw, nil)
		for i := range ls {
			ls[i].Page = si + 1
		}
		all = append(all, ls...)
		if len(all) > 200_000 {
			break
		}
	}
	for i := range all {
		all[i].No = int(all[i].Y) + 1 // the sheet's row number
	}
	return readLines(all, p.Layouts, "xlsx")
}

func at(rows [][]string, r, c int) string {
	if r < len(rows) && c < len(rows[r]) {
		return rows[r][c]
	}
	return ""
}

var dateFmt = regexp.MustCompile(`(?i)(^|[^"\\])[dmy]`)

// xlsxCell gives a cell's text: an ISO date for a date-formatted serial,
// the stored number for other numbers (percentages shown as displayed, so
// "2 %" is never taken for an amount), the display for text.
func xlsxCell(f *excelize.File, sheet string, r, c int, raw, shown string) string {
	if raw == "" {
		return shown
	}
	axis, err := excelize.CoordinatesToCellName(c+1, r+1)
	if err != nil {
		return raw
	}
	if ct, err := f.GetCellType(sheet, axis); err == nil && (ct == excelize.CellTypeSharedString || ct == excelize.CellTypeInlineString) {
		return raw // text, even when it looks like a number: "0090012345"
	}
	v, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		return raw
	}
	if strings.Contains(shown, "%") {
		return shown
	}
	if id, err := f.GetCellStyle(sheet, axis); err == nil {
		if st, err := f.GetStyle(id); err == nil && st != nil {
			isDate := st.NumFmt >= 14 && st.NumFmt <= 22 || st.NumFmt >= 45 && st.NumFmt <= 47
			if st.CustomNumFmt != nil && dateFmt.MatchString(*st.CustomNumFmt) && !strings.Contains(*st.CustomNumFmt, "0") {
				isDate = true
			}
			if isDate && v > 0 && v < 2958466 {
				if t, err := excelize.ExcelDateToTime(v, false); err == nil {
					return t.Format("2006-01-02")
				}
			}
		}
	}
	d, err := decimal.NewFromString(raw)
	if err != nil {
		return raw
	}
	// Binary floating point leaves 1960.0000000000002 in the file; the
	// display says how many decimals the number has ("1,250.00").
	if i := strings.LastIndexAny(shown, ".,"); i >= 0 && i < len(shown)-1 && allDigitsStr(strings.TrimRight(shown[i+1:], " €$£%")) {
		digits := len(strings.TrimRight(shown[i+1:], " €$£%"))
		// A dinar's third decimal under a two-decimal format is a real
		// digit the display hides, not binary noise: keep it.
		if v := d.Round(6).String(); strings.Contains(v, ".") && len(v)-strings.Index(v, ".")-1 > digits && len(v)-strings.Index(v, ".")-1 <= 3 {
			return v
		}
		return d.StringFixed(int32(digits))
	}
	if d.Exponent() < -6 {
		d = d.Round(6)
	}
	return d.String()
}

var (
	tagRow   = regexp.MustCompile(`(?i)</tr\s*>|<br\s*/?>|</p\s*>|</div\s*>|</h[1-6]\s*>|</li\s*>`)
	tagCell  = regexp.MustCompile(`(?i)</t[dh]\s*>`)
	tagAny   = regexp.MustCompile(`(?s)<[^>]*>`)
	tagDrop  = regexp.MustCompile(`(?is)<(script|style|head)[^>]*>.*?</(script|style|head)\s*>`)
	pipeRule = regexp.MustCompile(`^[\s|:+=-]+$`)
)

// htmlToText keeps an HTML table's structure: a tab between cells, a line
// per row.
func htmlToText(s string) string {
	s = tagDrop.ReplaceAllString(s, "")
	s = tagCell.ReplaceAllString(s, "\t")
	s = tagRow.ReplaceAllString(s, "\n")
	s = tagAny.ReplaceAllString(s, "")
	return html.UnescapeString(s)
}

func (p *Parser) ParseText(text string) (*agent.Remittance, error) {
	low := strings.ToLower(text[:min(len(text), 4096)])
	if strings.Contains(low, "<table") || strings.Contains(low, "<html") || strings.Contains(low, "<td") {
		text = htmlToText(text)
	}
	return readLines(textLines(text), p.Layouts, "text")
}

// textLines reads an email body line by line: pipe tables and tab-separated
// lines by their separators, everything else by blank layout.
func textLines(text string) []line {
	raw := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	pipes := 0
	for _, l := range raw {
		if strings.Count(l, "|") >= 2 {
			pipes++
		}
	}
	var out []line
	for i, l := range raw {
		l = strings.TrimPrefix(l, "> ") // a quoted reply
		var ls []line
		switch {
		case pipes >= 2 && strings.Count(l, "|") >= 2:
			if pipeRule.MatchString(l) {
				continue
			}
			ls = linesFromRows([][]string{strings.Split(strings.Trim(strings.TrimSpace(l), "|"), "|")}, []int{i + 1})
		case strings.Contains(strings.TrimSpace(l), "\t"):
			ls = linesFromRows([][]string{strings.Split(l, "\t")}, []int{i + 1})
		default:
			ls = linesFromText(l)
		}
		for _, x := range ls {
			x.No, x.Y = i+1, float64(i)
			out = append(out, x)
		}
	}
	return out
}
