package sqlite

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand"
	"reflect"
	"strings"
	"testing"

	"github.com/dunnerhq/dunner/agent"
	"github.com/shopspring/decimal"
)

var decimalType = reflect.TypeOf(decimal.Decimal{})

// fill sets every field reachable from v to a random non-zero value, so a
// field the codec forgets (one added to agent.Notice later, say) is lost
// in the round trip and the test says so.
func fill(v reflect.Value, rng *rand.Rand) {
	if v.Type() == decimalType {
		c := rng.Int63n(2_000_000_000) - 1_000_000_000
		if rng.Intn(8) == 0 {
			// Beyond int64: the codec's second form.
			big, _ := decimal.NewFromString("123456789012345678901234567890")
			v.Set(reflect.ValueOf(big.Mul(decimal.New(c|1, 0)).Shift(int32(-rng.Intn(6)))))
			return
		}
		v.Set(reflect.ValueOf(decimal.New(c, int32(-rng.Intn(6)))))
		return
	}
	if v.Type() == reflect.TypeOf(agent.Date(0)) {
		// Dates of 1999 to 2054: JSON holds only dates after year 0.
		v.SetInt(int64(agent.MustDate("1999-01-01")) + rng.Int63n(20000))
		return
	}
	switch v.Kind() {
	case reflect.String:
		words := []string{"R-2026-0042", "Müller Maschinenbau GmbH", "ap@x.example", "", "a\x00b\nc", "€ 1.234,56"}
		v.SetString(words[rng.Intn(len(words)-1)] + strings.Repeat("x", rng.Intn(3)))
	case reflect.Int, reflect.Int32, reflect.Int64:
		v.SetInt(rng.Int63n(1_000_000) - 500_000)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Slice:
		n := 1 + rng.Intn(4)
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := 0; i < n; i++ {
			fill(s.Index(i), rng)
		}
		v.Set(s)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			fill(v.Field(i), rng)
		}
	default:
		panic("fill: no case for " + v.Type().String())
	}
}

func sameNotice(t *testing.T, want, got *agent.Notice) {
	t.Helper()
	w, _ := json.Marshal(want)
	g, _ := json.Marshal(got)
	if string(w) != string(g) {
		t.Fatalf("round trip changed the notice:\nwant %s\ngot  %s", w, g)
	}
}

func TestNoticeCodecRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 500; i++ {
		var n agent.Notice
		fill(reflect.ValueOf(&n).Elem(), rng)
		var got agent.Notice
		if err := decodeNotice(encodeNotice(nil, &n), &got); err != nil {
			t.Fatalf("notice %d: %v", i, err)
		}
		sameNotice(t, &n, &got)
	}
	var zero, got agent.Notice
	if err := decodeNotice(encodeNotice(nil, &zero), &got); err != nil {
		t.Fatal(err)
	}
	sameNotice(t, &zero, &got)
}

// Drafts written before the binary form hold their notice as JSON.
func TestNoticeCodecReadsJSON(t *testing.T) {
	var n agent.Notice
	fill(reflect.ValueOf(&n).Elem(), rand.New(rand.NewSource(2)))
	b, err := json.Marshal(&n)
	if err != nil {
		t.Fatal(err)
	}
	var got agent.Notice
	if err := decodeNotice(b, &got); err != nil {
		t.Fatal(err)
	}
	sameNotice(t, &n, &got)
}

func TestNoticeCodecRejectsDamage(t *testing.T) {
	var n agent.Notice
	fill(reflect.ValueOf(&n).Elem(), rand.New(rand.NewSource(3)))
	b := encodeNotice(nil, &n)
	for cut := 0; cut < len(b); cut++ {
		var got agent.Notice
		if err := decodeNotice(b[:cut], &got); !errors.Is(err, errNoticeCorrupt) {
			t.Fatalf("cut at %d of %d: err = %v, want a corrupt notice", cut, len(b), err)
		}
	}
	var got agent.Notice
	if err := decodeNotice(append(b, 0), &got); !errors.Is(err, errNoticeCorrupt) {
		t.Fatalf("a byte too many: err = %v", err)
	}
	if err := decodeNotice([]byte{0x02, 0}, &got); !errors.Is(err, errNoticeCorrupt) {
		t.Fatalf("unknown version: err = %v", err)
	}
}

// Malformed JSON, such as the notice FuzzDecodeNotice found to make goccy
// read past its buffer, comes back as an error; well-formed JSON decodes
// as encoding/json decodes it.
func TestUnmarshalJSONRefusesMalformed(t *testing.T) {
	for _, in := range []string{"{\"\\WI\\", "{\"\\", "{\"kind\":\"a\\", "{\"kind\": 1", "{", "{\"items\":[{\"invoice\":\"\\u12"} {
		// Spare capacity holding more JSON, as a reused buffer would.
		b := append([]byte(in), `":"x"}]}`...)[:len(in)]
		var n agent.Notice
		if err := unmarshalJSON(b, &n); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
	good := []byte(`{"kind":"notice","customer_id":"C1","level":2,"items":[{"invoice":"R-1","currency":"EUR"}]}`)
	var got, want agent.Notice
	if err := unmarshalJSON(good, &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(good, &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("goccy read %+v, encoding/json %+v", got, want)
	}
}

func FuzzDecodeNotice(f *testing.F) {
	rng := rand.New(rand.NewSource(4))
	for i := 0; i < 4; i++ {
		var n agent.Notice
		fill(reflect.ValueOf(&n).Elem(), rng)
		f.Add(encodeNotice(nil, &n))
	}
	f.Add([]byte{noticeV1})
	f.Add([]byte(`{"Kind":"notice","Items":[{"OpenAmount":"1.5"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var n agent.Notice
		if err := decodeNotice(b, &n); err != nil {
			return
		}
		// Whatever decodes must encode to a form that decodes the same.
		// Compared in the binary form, which TestNoticeCodecRoundTrip
		// shows complete: an older JSON notice may hold an empty list
		// where the binary one holds none, and both mean no items.
		enc := encodeNotice(nil, &n)
		var again agent.Notice
		if err := decodeNotice(enc, &again); err != nil {
			t.Fatalf("re-encoded notice does not decode: %v", err)
		}
		if again := encodeNotice(nil, &again); !bytes.Equal(enc, again) {
			t.Fatalf("round trip changed the notice:\nfirst %q\nthen  %q", enc, again)
		}
	})
}

func BenchmarkDecodeNotice(b *testing.B) {
	n := agent.Notice{Kind: "notice", CustomerID: "C1", CustomerName: "Customer 1 GmbH", Level: 1,
		Template: "reminder1", Language: "en", To: []string{"ap1@customer.example"}}
	for j := 1; j <= 22; j++ {
		n.Items = append(n.Items, agent.NoticeItem{Ref: agent.Ref{Entity: "default", CustomerID: "C1",
			Invoice: "R-1-" + strings.Repeat("1", j%3+1)}, DocType: agent.DocInvoice, DueDate: agent.MustDate("2026-02-01"),
			PONumber: "PO-1", Currency: "EUR", OpenAmount: decimal.New(11850, -2), DaysPastDue: 29, Level: 1, Needs: true})
	}
	n.Totals = []agent.Total{{Currency: "EUR", Overdue: decimal.New(260700, -2)}}
	js, _ := json.Marshal(&n)
	bin := encodeNotice(nil, &n)
	for _, c := range []struct {
		name string
		b    []byte
	}{{"json", js}, {"binary", bin}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				var got agent.Notice
				if err := decodeNotice(c.b, &got); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
