package sqlite

import (
	"encoding/json"
	"strings"
	"sync/atomic"

	"github.com/dunnerhq/dunner/agent"
)

const (
	textCols = 13           // the text columns of an imported row
	itemCols = textCols + 1 // and its fingerprint
	// batchRows rows go in one statement: SQLite keeps its cursor on the
	// B-tree's last page from row to row instead of seeking again, and
	// the per-statement work is spread thin.
	batchRows = 256
)

func itemInsertSQL(rows int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO items (customer_id, entity, invoice, doc_type, customer_name, issue_date, due_date,
		currency, amount, open_amount, po_number, dunning_block, extra, fp, open, closed_at) VALUES `)
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteString(",")
		}
		b.WriteString("(?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,NULL)")
	}
	b.WriteString(` ON CONFLICT (customer_id, entity, invoice, doc_type) DO UPDATE SET
		customer_name=excluded.customer_name, issue_date=excluded.issue_date, due_date=excluded.due_date,
		currency=excluded.currency, amount=excluded.amount, open_amount=excluded.open_amount,
		po_number=excluded.po_number, dunning_block=excluded.dunning_block, extra=excluded.extra,
		fp=excluded.fp, open=1, closed_at=NULL`)
	return b.String()
}

// rowBatch is rows of items formatted for binding: their texts back to back
// in buf, where each value lies in vals (textCols a row).
type rowBatch struct {
	buf  []byte
	vals []span
	fps  []int64
	rows int
	// where the last row starts, to drop it
	lastVal, lastBuf int
}

// span is a value's place in buf; n < 0 is NULL.
type span struct{ off, n int32 }

func (b *rowBatch) reset() {
	b.buf, b.vals, b.fps, b.rows = b.buf[:0], b.vals[:0], b.fps[:0], 0
}

func (b *rowBatch) text(s string) {
	b.vals = append(b.vals, span{int32(len(b.buf)), int32(len(s))})
	b.buf = append(b.buf, s...)
}

func (b *rowBatch) null() { b.vals = append(b.vals, span{0, -1}) }

// since makes what was appended to buf from off the next value.
func (b *rowBatch) since(off int) []byte {
	b.vals = append(b.vals, span{int32(off), int32(len(b.buf) - off)})
	return b.buf[off:]
}

func (b *rowBatch) date(d agent.Date) []byte {
	off := len(b.buf)
	if !d.IsZero() {
		b.buf = d.AppendISO(b.buf)
	}
	return b.since(off)
}

// add formats it as a row and returns its fingerprint.
func (b *rowBatch) add(it *agent.Item) int64 {
	b.lastVal, b.lastBuf = len(b.vals), len(b.buf)
	b.text(it.CustomerID)
	b.text(it.Entity)
	b.text(it.Invoice)
	b.text(string(it.DocType))
	b.text(it.CustomerName)
	if it.IssueDate.IsZero() {
		b.null()
	} else {
		b.date(it.IssueDate)
	}
	b.date(it.DueDate)
	b.text(it.Currency)
	var amount, extra []byte
	if it.Amount == nil {
		b.null()
	} else {
		off := len(b.buf)
		b.buf = agent.AppendDecimal(b.buf, *it.Amount)
		amount = b.since(off)
	}
	off := len(b.buf)
	b.buf = agent.AppendDecimal(b.buf, it.OpenAmount)
	open := b.since(off)
	b.text(it.PONumber)
	b.text(it.DunningBlock)
	if len(it.Extra) == 0 {
		b.null()
	} else {
		j, _ := json.Marshal(it.Extra) // map keys are sorted: stable
		off := len(b.buf)
		b.buf = append(b.buf, j...)
		extra = b.since(off)
	}
	fp := fingerprint(it, amount, open, extra)
	b.fps = append(b.fps, fp)
	b.rows++
	return fp
}

// drop takes back the row add formatted last.
func (b *rowBatch) drop() {
	b.vals, b.buf = b.vals[:b.lastVal], b.buf[:b.lastBuf]
	b.fps = b.fps[:len(b.fps)-1]
	b.rows--
}

// bulkWriter inserts batches of rows on its own goroutine: SQLite stores
// one batch while the caller formats the next. It has the connection to
// itself until finish.
type bulkWriter struct {
	c     *rawConn
	full  chan *rowBatch
	free  chan *rowBatch
	done  chan error
	bad   atomic.Bool
	stmts map[int]*rawStmt // by rows
	cb    cbuf
}

func newBulkWriter(c *rawConn) *bulkWriter {
	w := &bulkWriter{c: c, full: make(chan *rowBatch, 2), free: make(chan *rowBatch, 3), done: make(chan error, 1),
		stmts: map[int]*rawStmt{}, cb: cbuf{c: c}}
	for range cap(w.free) {
		w.free <- &rowBatch{}
	}
	go w.run()
	return w
}

// batch is an empty batch to fill.
func (w *bulkWriter) batch() *rowBatch {
	b := <-w.free
	b.reset()
	return b
}

// send queues b for writing and returns the next batch to fill.
func (w *bulkWriter) send(b *rowBatch) *rowBatch {
	w.full <- b
	return w.batch()
}

// failed tells the writer has stopped on an error that finish returns.
func (w *bulkWriter) failed() bool { return w.bad.Load() }

// finish writes b, the last batch (nil for none), and returns the first
// error of all the writes.
func (w *bulkWriter) finish(b *rowBatch) error {
	if b != nil && b.rows > 0 {
		w.full <- b
	}
	close(w.full)
	return <-w.done
}

func (w *bulkWriter) run() {
	var err error
	for b := range w.full {
		if err == nil {
			if err = w.write(b); err != nil {
				w.bad.Store(true)
			}
		}
		w.free <- b
	}
	for _, st := range w.stmts {
		st.close()
	}
	w.cb.free()
	w.done <- err
}

func (w *bulkWriter) write(b *rowBatch) error {
	st := w.stmts[b.rows]
	if st == nil {
		var err error
		if st, err = w.c.prepare(itemInsertSQL(b.rows)); err != nil {
			return err
		}
		w.stmts[b.rows] = st
	}
	base, err := w.cb.fill(b.buf)
	if err != nil {
		return err
	}
	for r := 0; r < b.rows; r++ {
		for c, v := range b.vals[r*textCols : (r+1)*textCols] {
			i := r*itemCols + c + 1
			if v.n < 0 {
				err = st.bindNull(i)
			} else {
				err = st.bindStatic(i, base+uintptr(v.off), int(v.n))
			}
			if err != nil {
				return err
			}
		}
		if err := st.bindInt64((r+1)*itemCols, b.fps[r]); err != nil {
			return err
		}
	}
	_, err = st.step()
	return err
}
