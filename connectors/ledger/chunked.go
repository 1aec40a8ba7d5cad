package ledger

import (
	"bytes"
	"encoding/csv"
	"runtime"
	"sync"

	"github.com/dunnerhq/dunner/agent"
)

// minChunk is the least text worth a goroutine of its own: splitting a
// small file costs more than it saves. A variable for tests.
var minChunk = 4 << 20

// maxChunks bounds the goroutines of one file.
const maxChunks = 8

// readChunked reads the rows after t's header on all cores, each chunk of
// the text with its own reader, and gives the same items and problems as
// reading them in one go. ok is false when it did not: too little text, no
// safe place to split, or a row that could not be split, whose place in
// the chunks' reading might not be where one reader would have it. The
// caller then reads the rows itself; t is untouched.
func (lay *csvLayout) readChunked(t *table, text []byte, b itemBuilder) ([]agent.Item, bool) {
	start := int(t.r.InputOffset())
	n := min(runtime.GOMAXPROCS(0), maxChunks, (len(text)-start)/minChunk)
	if n < 2 {
		return nil, false
	}
	cuts := splitRows(text, start, n)
	if len(cuts) < 3 {
		return nil, false
	}
	type chunk struct {
		t     *table
		errs  agent.InputError
		items []agent.Item
		learn *marks
	}
	chunks := make([]chunk, len(cuts)-1)
	// One array for every chunk, each writing from where its newlines
	// say at most its rows can reach: no chunk's items are copied twice.
	lines := make([]int, len(cuts))
	for i := 1; i < len(cuts); i++ {
		lines[i] = lines[i-1] + bytes.Count(text[cuts[i-1]:cuts[i]], []byte{'\n'}) + 1
	}
	all := make([]agent.Item, 0, lines[len(lines)-1])
	headerLines := bytes.Count(text[:start], []byte{'\n'})
	var wg sync.WaitGroup
	for i := range chunks {
		c := &chunks[i]
		c.t = &table{name: t.name, sep: t.sep, header: t.header, line: t.line,
			lineOff: headerLines + lines[i] - i}
		c.t.errs = &c.errs
		c.t.r = csv.NewReader(bytes.NewReader(text[cuts[i]:cuts[i+1]]))
		c.t.r.Comma, c.t.r.FieldsPerRecord, c.t.r.ReuseRecord = rune(t.sep), -1, true
		cb := b
		cb.errs = &c.errs
		cb.learn = b.learn.fresh()
		c.learn = cb.learn
		region := all[lines[i]:lines[i]:lines[i+1]]
		wg.Go(func() { c.items = lay.rows(c.t, cb, region) })
	}
	wg.Wait()
	for i := range chunks {
		if chunks[i].t.broken {
			return nil, false
		}
	}
	items := all[:0]
	for i := range chunks {
		b.learn.join(chunks[i].learn, len(items))
		items = append(items, chunks[i].items...) // moves down within all
		b.errs.Problems = append(b.errs.Problems, chunks[i].errs.Problems...)
	}
	// The tail past the items would keep the strings of the rows moved
	// down alive.
	clear(all[len(items):cap(all)])
	return items, true
}

// splitRows cuts text from start into up to n pieces of about equal size,
// each cut just after a line break that ends a row: one outside quotes,
// after an even number of `"` from start. A row whose quotes are not
// paired makes that count wrong; the reader of its chunk then reports it,
// and readChunked falls back to one reader. It returns the offsets of the
// pieces and the end.
func splitRows(text []byte, start, n int) []int {
	cuts := []int{start}
	quotes := 0 // before pos
	pos := start
	for k := 1; k < n; k++ {
		target := start + (len(text)-start)*k/n
		if target <= pos {
			continue
		}
		quotes += bytes.Count(text[pos:target], []byte{'"'})
		pos = target
		for {
			i := bytes.IndexAny(text[pos:], "\"\n")
			if i < 0 {
				return append(cuts, len(text))
			}
			pos += i + 1
			if text[pos-1] == '"' {
				quotes++
				continue
			}
			if quotes%2 == 0 {
				break
			}
		}
		if pos >= len(text) {
			break
		}
		cuts = append(cuts, pos)
	}
	return append(cuts, len(text))
}
