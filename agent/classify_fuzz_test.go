package agent

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// FuzzClassify feeds arbitrary text through every stage of classification:
// nothing may panic, and the result must keep the §5 shape.
func FuzzClassify(f *testing.F) {
	for _, s := range []string{
		"We will pay invoice INV-2026-0042 tomorrow.",
		"Die Rechnung R-2026-0042 wird Ende des Monats überwiesen.",
		"La factura F-2026-118 se pagará el próximo viernes.",
		"Invoice No.   Date\n4711   01.02.2026\nTotal",
		"> quoted\nOn Mon, 1 Jan wrote:\n-- \nsig",
		"Final-Recipient: rfc822; a@b.example\nAction: failed\nStatus: 5.1.1",
		"am 20. März 31.02.2026 99/99/9999 in 999 Tagen KW 53 end of next month",
		"\xff\xfe\x00 invalid utf-8 \xc3\x28",
	} {
		f.Add("Re: x", s, int64(1773230400), 3600)
	}
	f.Fuzz(func(t *testing.T, subject, text string, unix int64, offset int) {
		// Long inputs only repeat what short ones test, at a thousand
		// times the cost; the length caps have their own benchmark.
		if len(text) > 4096 || len(subject) > 512 {
			return
		}
		offset %= 14 * 3600
		m := &InboundMessage{Subject: subject, Text: text, Date: time.Unix(unix%(1<<34), 0).In(time.FixedZone("", offset)),
			DeliveryStatus: text, Headers: map[string][]string{"Content-Type": {subject}, "Authentication-Results": {text}}}
		for _, msg := range []*InboundMessage{m, {Subject: subject, Text: text}, {Text: text, Forwarded: m}} {
			c := Classify(msg)
			if c.InvoiceRefs == nil || c.Confidence < 0 || c.Confidence > 1 || c.Class == "" || c.Language == "" {
				t.Fatalf("bad classification %+v", c)
			}
			if _, err := json.Marshal(c); err != nil {
				t.Fatal(err)
			}
		}
		lower := classifySentences(classifyFold(text))
		for _, r := range allClassifyRx() {
			if len(lower) > 512 {
				break
			}
			if r.R().MatchString(lower) && !r.may(lower) {
				t.Fatalf("prefilter %v rejects a match of %s", r.lits, r.expr)
			}
		}
		_ = StripQuoted(text)
		_ = DetectLanguage(text)
		_ = ExtractInvoiceRefs(text)
		_, _ = FindDate(text)
	})
}

// BenchmarkClassifyHostile is the worst case the length caps allow: a long
// text full of words the lexicon reacts to, with no sentence ends.
func BenchmarkClassifyHostile(b *testing.B) {
	text := strings.Repeat("we will pay the payment invoice transfer because not received damaged zahlung wird überwiesen pagaremos la factura el 20.03. ", 600)
	sent := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	for i := 0; i < b.N; i++ {
		Classify(&InboundMessage{Subject: "x", Text: text, Date: sent})
	}
}
