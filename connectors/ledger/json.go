package ledger

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"

	"github.com/dunnerhq/dunner/agent"
)

// readJSONLedger reads §2's JSON form: an array of objects keyed by the CSV
// column names. Lines are found from decoder offsets so problems point into
// the file like the CSV reader's do.
func readJSONLedger(text []byte, name, entity string, allowEmpty bool, errs *agent.InputError) []agent.Item {
	if len(bytes.TrimSpace(text)) == 0 {
		errs.Add(name, 0, "", "empty file: expected a JSON array of items")
		return nil
	}
	lc := newLineCounter(text)
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.UseNumber()
	syntax := func(err error) {
		var se *json.SyntaxError
		off := int(dec.InputOffset())
		if errors.As(err, &se) {
			off = int(se.Offset)
		}
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			errs.Add(name, lc.at(len(text)), "", "the JSON ends too early")
			return
		}
		errs.Add(name, lc.at(off), "", "not valid JSON: %v", err)
	}
	tok, err := dec.Token()
	if err != nil {
		syntax(err)
		return nil
	}
	open := lc.at(int(dec.InputOffset()))
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		errs.Add(name, open, "", "a JSON ledger is an array of item objects")
		return nil
	}
	b := itemBuilder{name: name, entity: entity, style: stylePlain, errs: errs}
	var items []agent.Item
	for n := 1; dec.More(); n++ {
		start := skipJSONSpace(text, int(dec.InputOffset()))
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			syntax(err)
			return nil
		}
		line := lc.at(start)
		if len(raw) == 0 || raw[0] != '{' {
			errs.Add(name, line, "", "item %d is not an object", n)
			continue
		}
		r, ok := jsonRow(raw, start, line, lc, name, errs)
		if !ok {
			continue
		}
		if it, ok := b.build(r); ok {
			items = append(items, it)
		}
	}
	if _, err := dec.Token(); err != nil {
		syntax(err)
		return nil
	}
	if _, err := dec.Token(); err != io.EOF {
		errs.Add(name, lc.at(skipJSONSpace(text, int(dec.InputOffset()))), "", "unexpected data after the array")
	}
	if len(items) == 0 && len(errs.Problems) == 0 && !allowEmpty {
		refuseEmpty(errs, name, open, entity, "")
	}
	return items
}

func skipJSONSpace(text []byte, off int) int {
	for off < len(text) {
		switch text[off] {
		case ' ', '\t', '\r', '\n', ',':
			off++
			continue
		}
		break
	}
	return off
}

// jsonRow reads one item object. base is its offset in the file.
func jsonRow(raw []byte, base, line int, lc *lineCounter, name string, errs *agent.InputError) (*row, bool) {
	r := &row{line: line}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil { // the '{'
		errs.Add(name, line, "", "not valid JSON: %v", err)
		return nil, false
	}
	seen := map[string]bool{}
	ok := true
	for dec.More() {
		at := lc.at(base + skipJSONSpace(raw, int(dec.InputOffset())))
		tok, err := dec.Token()
		if err != nil {
			errs.Add(name, at, "", "not valid JSON: %v", err)
			return nil, false
		}
		key, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			errs.Add(name, at, key, "not valid JSON: %v", err)
			return nil, false
		}
		lower := strings.ToLower(strings.TrimSpace(key))
		if seen[lower] {
			errs.Add(name, at, key, "key appears twice in one item")
			ok = false
			continue
		}
		seen[lower] = true
		c, known := colByName(key)
		s, isText := jsonText(v)
		if !known {
			if s != "" {
				if r.extra == nil {
					r.extra = map[string]string{}
				}
				r.extra[lower] = s
			}
			continue
		}
		if !isText {
			errs.Add(name, at, key, "want a string, got %s", v)
			ok = false
			continue
		}
		r.has[c], r.val[c], r.at[c], r.label[c] = true, s, at, key
	}
	for c := col(0); c < numCols; c++ {
		if required[c] && !r.has[c] {
			errs.Add(name, line, colNames[c], "missing: every item needs one")
			ok = false
		}
	}
	return r, ok
}

// jsonText gives a value as text: strings as they are, numbers as written
// (never through float64, which would change amounts), null as empty. Other
// values are not text; their compact JSON is returned for extra fields.
func jsonText(v json.RawMessage) (string, bool) {
	switch {
	case len(v) == 0:
		return "", false
	case v[0] == '"':
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return "", false
		}
		return s, true
	case string(v) == "null":
		return "", true
	case v[0] == '-' || (v[0] >= '0' && v[0] <= '9'):
		return string(v), true
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, v); err != nil {
		return string(v), false
	}
	return buf.String(), false
}
