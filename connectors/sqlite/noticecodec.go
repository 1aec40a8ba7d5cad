package sqlite

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/dunnerhq/dunner/agent"
	gojson "github.com/goccy/go-json"
	"github.com/shopspring/decimal"
)

// A draft's notice is stored in a compact binary form. A send pass reads
// every notice it sends, and decoding JSON (its decimals and dates above
// all) was the largest part of reading a draft. Notices stored as JSON by
// earlier versions are still read: a JSON notice starts with '{', a binary
// one with noticeV1.

const noticeV1 = 0x01

// encodeNotice appends n's binary form to b.
func encodeNotice(b []byte, n *agent.Notice) []byte {
	e := encoder{b: append(b, noticeV1)}
	e.str(n.Kind)
	e.str(n.CustomerID)
	e.str(n.CustomerName)
	e.int(int64(n.Level))
	e.str(n.Template)
	e.str(n.Language)
	e.uint(uint64(len(n.To)))
	for _, to := range n.To {
		e.str(to)
	}
	e.uint(uint64(len(n.Items)))
	for i := range n.Items {
		it := &n.Items[i]
		e.str(it.Ref.Entity)
		e.str(it.Ref.CustomerID)
		e.str(it.Ref.Invoice)
		e.str(string(it.DocType))
		e.int(int64(it.IssueDate))
		e.int(int64(it.DueDate))
		e.str(it.PONumber)
		e.str(it.Currency)
		e.dec(it.OpenAmount)
		e.int(int64(it.DaysPastDue))
		e.int(int64(it.Level))
		e.bool(it.Needs)
		e.dec(it.Interest)
	}
	e.uint(uint64(len(n.Totals)))
	for _, t := range n.Totals {
		e.str(t.Currency)
		e.dec(t.Overdue)
		e.dec(t.Fees)
		e.dec(t.Interest)
	}
	e.int(int64(n.AsOf))
	e.bool(n.Hold)
	return e.b
}

type encoder struct{ b []byte }

func (e *encoder) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) int(v int64)   { e.b = binary.AppendVarint(e.b, v) }

func (e *encoder) str(s string) {
	e.uint(uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

// dec writes a decimal as its exponent and coefficient: an int64 when it
// fits (always, for money), else the coefficient's digits.
func (e *encoder) dec(d decimal.Decimal) {
	e.int(int64(d.Exponent()))
	if c := d.Coefficient(); c.IsInt64() {
		e.b = append(e.b, 0)
		e.int(c.Int64())
		return
	}
	e.b = append(e.b, 1)
	e.str(d.Coefficient().String())
}

var errNoticeCorrupt = errors.New("corrupt notice")

// unmarshalJSON decodes JSON the store wrote, with goccy: a third of
// encoding/json's time. On some malformed input goccy reads past the end
// of its buffer (FuzzDecodeNotice found one, depending on the memory that
// follows), so only input the standard library's scanner finds well formed
// reaches it, and a panic still becomes an error: a damaged row must not
// take the daemon down.
func unmarshalJSON(b []byte, v any) (err error) {
	if !json.Valid(b) {
		return errors.New("malformed JSON")
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("malformed JSON: %v", r)
		}
	}()
	return gojson.Unmarshal(b, v)
}

// decodeNotice reads a notice written by encodeNotice, or an older JSON
// one, into n.
func decodeNotice(b []byte, n *agent.Notice) error {
	if len(b) > 0 && b[0] == '{' {
		return unmarshalJSON(b, n)
	}
	if len(b) == 0 || b[0] != noticeV1 {
		return errNoticeCorrupt
	}
	// One string for the whole notice: every text field is a part of it,
	// where decoding them one by one would allocate each.
	d := decoder{s: string(b[1:])}
	*n = agent.Notice{}
	n.Kind = d.str()
	n.CustomerID = d.str()
	n.CustomerName = d.str()
	n.Level = d.intn()
	n.Template = d.str()
	n.Language = d.str()
	if k := d.count(1); k > 0 {
		n.To = make([]string, k)
		for i := range n.To {
			n.To[i] = d.str()
		}
	}
	// An item takes at least 16 bytes: a count beyond that is corrupt,
	// and must not make a huge allocation.
	if k := d.count(16); k > 0 {
		n.Items = make([]agent.NoticeItem, k)
		for i := range n.Items {
			it := &n.Items[i]
			it.Ref.Entity = d.str()
			it.Ref.CustomerID = d.str()
			it.Ref.Invoice = d.str()
			it.DocType = agent.DocType(d.str())
			it.IssueDate = d.date()
			it.DueDate = d.date()
			it.PONumber = d.str()
			it.Currency = d.str()
			it.OpenAmount = d.dec()
			it.DaysPastDue = d.intn()
			it.Level = d.intn()
			it.Needs = d.bool()
			it.Interest = d.dec()
		}
	}
	if k := d.count(7); k > 0 {
		n.Totals = make([]agent.Total, k)
		for i := range n.Totals {
			t := &n.Totals[i]
			t.Currency = d.str()
			t.Overdue = d.dec()
			t.Fees = d.dec()
			t.Interest = d.dec()
		}
	}
	n.AsOf = d.date()
	n.Hold = d.bool()
	if d.err != nil {
		return d.err
	}
	if d.i != len(d.s) {
		return fmt.Errorf("%w: %d bytes left over", errNoticeCorrupt, len(d.s)-d.i)
	}
	return nil
}

// decoder reads s from i; the first fault sticks in err, and every read
// after it returns a zero value.
type decoder struct {
	s   string
	i   int
	err error
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = fmt.Errorf("%w at byte %d", errNoticeCorrupt, d.i+1)
	}
	d.i = len(d.s)
}

func (d *decoder) uint() uint64 {
	var v uint64
	for shift := 0; d.i < len(d.s) && shift < 64; shift += 7 {
		c := d.s[d.i]
		d.i++
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v
		}
	}
	d.fail()
	return 0
}

func (d *decoder) int() int64 {
	u := d.uint()
	v := int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	return v
}

func (d *decoder) intn() int {
	v := d.int()
	if v < math.MinInt32 || v > math.MaxInt32 {
		d.fail()
		return 0
	}
	return int(v)
}

func (d *decoder) date() agent.Date { return agent.Date(d.intn()) }

// count reads a length of elements that take at least min bytes each.
func (d *decoder) count(min int) int {
	k := d.uint()
	if k > uint64((len(d.s)-d.i)/min) {
		d.fail()
		return 0
	}
	return int(k)
}

func (d *decoder) str() string {
	k := d.uint()
	if k > uint64(len(d.s)-d.i) {
		d.fail()
		return ""
	}
	s := d.s[d.i : d.i+int(k)]
	d.i += int(k)
	return s
}

func (d *decoder) bool() bool {
	if d.i >= len(d.s) || d.s[d.i] > 1 {
		d.fail()
		return false
	}
	d.i++
	return d.s[d.i-1] == 1
}

func (d *decoder) dec() decimal.Decimal {
	exp := d.intn()
	if d.i >= len(d.s) {
		d.fail()
		return decimal.Decimal{}
	}
	tag := d.s[d.i]
	d.i++
	switch tag {
	case 0:
		return decimal.New(d.int(), int32(exp))
	case 1:
		c, err := decimal.NewFromString(d.str())
		if err != nil || c.Exponent() != 0 {
			d.fail()
			return decimal.Decimal{}
		}
		return decimal.NewFromBigInt(c.BigInt(), int32(exp))
	}
	d.fail()
	return decimal.Decimal{}
}
