package agent

import (
	"math"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Classes of an inbound message (SPEC §5).
const (
	ClassRemittance = "remittance"
	ClassPromise    = "promise_to_pay"
	ClassDispute    = "dispute"
	ClassAutoReply  = "auto_reply"
	ClassBounce     = "bounce"
	ClassOther      = "other"
)

// Dispute reasons, for the task a collector gets.
const (
	DisputePrice       = "price"
	DisputeQuantity    = "quantity"
	DisputeNotReceived = "not_received"
	DisputeDamaged     = "damaged"
	DisputeDuplicate   = "duplicate"
	DisputeMissingPO   = "missing_po"
	DisputeOther       = "other"
)

// InboundAttachment is what classification needs of an attached file: its
// name and type say "remittance advice" long before anyone parses the PDF.
type InboundAttachment struct {
	Name        string
	ContentType string
	Size        int
	// Data holds documents (PDF, CSV, XLSX) for the remittance reader.
	Data []byte `json:"-"`
}

// InboundMessage is one received email as the MIME reader hands it over:
// already decoded, with the body reduced to its best plain text.
type InboundMessage struct {
	From, To, Cc []string // bare addresses
	Subject      string
	// Date keeps the zone offset the sender's client wrote: relative dates
	// ("tomorrow") are meant in the sender's calendar, not ours.
	Date       time.Time
	MessageID  string
	InReplyTo  string
	References []string
	// Headers holds every field under its canonical key with decoded values.
	Headers     map[string][]string
	Text        string
	Attachments []InboundAttachment
	// DeliveryStatus is the raw message/delivery-status part (RFC 3464).
	DeliveryStatus string
	// Forwarded is set when the sender forwarded someone else's message:
	// then that message, not the covering note, is what we classify.
	Forwarded *InboundMessage
}

// Header returns the first value of a header field, "" when absent.
func (m *InboundMessage) Header(key string) string {
	if m == nil || m.Headers == nil {
		return ""
	}
	if v := m.Headers[key]; len(v) > 0 {
		return v[0]
	}
	// Callers may hand us maps built by hand; be lenient about case.
	for k, v := range m.Headers {
		if strings.EqualFold(k, key) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// Classification is the decision on one message: the §5 JSON plus what the
// effects (dispute tasks, waiting for a return date, contact bounces) need.
type Classification struct {
	Class            string   `json:"class"`
	Language         string   `json:"language"`
	InvoiceRefs      []string `json:"invoice_refs"`
	PromisedDate     *Date    `json:"promised_date"`
	BouncedRecipient *string  `json:"bounced_recipient"`
	FraudRisk        bool     `json:"fraud_risk"`
	Confidence       float64  `json:"confidence"`

	DisputeReason    string           `json:"-"`
	ReturnDate       *Date            `json:"-"` // auto-reply: the sender is back then
	PromisedAmount   *decimal.Decimal `json:"-"`
	PromisedCurrency string           `json:"-"`
	BounceAction     string           `json:"-"` // failed or delayed
	BounceStatus     string           `json:"-"` // RFC 3463 code, e.g. 5.1.1
	BounceDiagnostic string           `json:"-"`
	AuthFailed       bool             `json:"-"` // DKIM, SPF or DMARC failed
}

// ClassifyReviewBelow is the confidence under which a decision should go
// to a collector rather than act on its own.
const ClassifyReviewBelow = 0.6

// classifyMaxText bounds the text we look at: the sender's own words are
// at the top, and regular expressions over megabytes of pasted logs would
// only slow the mailbox down.
const classifyMaxText = 64 << 10

// Classify decides what one inbound message is. It reads only the sender's
// own text (quotes and signatures stripped), or the forwarded message when
// the sender forwarded one. It never fails: unknown input is "other" with a
// low confidence.
func Classify(m *InboundMessage) Classification {
	c := Classification{Class: ClassOther, Language: "en", InvoiceRefs: []string{}}
	if m == nil {
		c.Confidence = 0.1
		return c
	}
	c.AuthFailed = classifyAuthFailed(m.Headers)

	if b, ok := classifyBounce(m); ok {
		c.Class = ClassBounce
		c.Language = DetectLanguage(m.Subject + "\n" + StripQuoted(classifyCap(m.Text)))
		if b.recipient != "" {
			r := b.recipient
			c.BouncedRecipient = &r
		}
		c.BounceAction, c.BounceStatus, c.BounceDiagnostic = b.action, b.status, b.diagnostic
		c.Confidence = b.confidence
		return classifyFinish(c)
	}

	content := classifyContent(m)
	own := StripQuoted(classifyCap(content.Text))
	subject := content.Subject
	if classifyIsReplySubject(subject) || content != m && classifyIsForwardSubject(subject) {
		// A reply's subject is our own subject with "Re:" in front: it
		// must not put our words ("reminder", "overdue") in their mouth.
		subject = ""
	}
	subject = classifyStripSubjectPrefixes(subject)
	c.Language = classifyLanguage(own, subject, content.Attachments)

	ref := Date(0)
	if !content.Date.IsZero() {
		ref = DateOf(content.Date)
	} else if !m.Date.IsZero() {
		ref = DateOf(m.Date)
	}
	// What decides is said at the top; reading only that bounds the time
	// a hostile or pasted-log message can cost.
	head := classifyCapTo(subject+"\n"+own, classifyMaxDecide)
	folded := classifyFoldLower(head)
	us := classifyUSDates(c.Language, content.Date)
	safe := classifySentences(classifyFold(head))
	sig := classifySignals(safe, folded, content.Attachments, ref, us)
	auto := classifyAutoReply(content, safe)
	c.FraudRisk = sig.fraud

	class, conf := classifyDecide(sig, auto)
	c.Class, c.Confidence = class, conf
	switch class {
	case ClassAutoReply:
		if d := classifyReturnDate(folded, ref, us); !d.IsZero() {
			c.ReturnDate = &d
		}
		return classifyFinish(c)
	case ClassDispute:
		c.DisputeReason = sig.disputeReason
	case ClassPromise:
		if d := sig.promised; !d.IsZero() {
			c.PromisedDate = &d
		}
		if amt, cur, ok := classifyPromisedAmount(head); ok {
			c.PromisedAmount, c.PromisedCurrency = &amt, cur
		}
	}
	// Numbers the thread itself calls invoices (our subject, our quoted
	// reminder) are recognised in the sender's words even without a label.
	context := content.Subject + "\n" + m.Subject + "\n" + classifyCap(content.Text)
	c.InvoiceRefs = classifyInvoiceRefsThread(subject+"\n"+own, context, [2]string{content.Subject, m.Subject})
	return classifyFinish(c)
}

// classifyFinish applies what holds for every decision: distrust of
// unauthenticated mail and a stable, printable confidence.
func classifyFinish(c Classification) Classification {
	if c.AuthFailed {
		// A forged sender can say anything; the class may still be right,
		// but a person should look before money-relevant effects happen.
		c.Confidence *= 0.75
	}
	c.Confidence = math.Round(math.Max(0, math.Min(1, c.Confidence))*100) / 100
	if c.InvoiceRefs == nil {
		c.InvoiceRefs = []string{}
	}
	return c
}

// classifyContent picks the message whose text decides: the forwarded one
// when there is one with something in it, else the message itself.
func classifyContent(m *InboundMessage) *InboundMessage {
	f := m.Forwarded
	if f == nil || strings.TrimSpace(f.Text) == "" && len(f.Attachments) == 0 {
		return m
	}
	// An out-of-office answer that attaches our own message has forwarded
	// nothing: what it says is its own text.
	if as := strings.ToLower(m.Header("Auto-Submitted")); (strings.HasPrefix(as, "auto-replied") || m.Header("X-Autoreply") != "" ||
		classifyAutoSubjectStrong.matchLower(classifyFoldLower(m.Subject))) && !classifyIsForwardSubject(m.Subject) {
		return m
	}
	fw := *f
	if fw.Date.IsZero() {
		// An inline forward often lacks a parseable date; the forwarder's
		// own date is the closest anchor for "tomorrow".
		fw.Date = m.Date
	}
	if len(fw.Attachments) == 0 {
		// Outlook forwards inline but leaves the original's PDFs attached
		// to the outer message.
		fw.Attachments = m.Attachments
	}
	return &fw
}

// classifyMaxDecide bounds the text the class is decided on.
const classifyMaxDecide = 8 << 10

func classifyCap(s string) string { return classifyCapTo(s, classifyMaxText) }

func classifyCapTo(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !classifyRuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}

func classifyRuneStart(b byte) bool { return b&0xC0 != 0x80 }

// classifyLanguage judges the sender's own words; the subject only helps
// when the body says too little to tell.
func classifyLanguage(own, subject string, atts []InboundAttachment) string {
	if len(strings.Fields(own)) >= 6 {
		return DetectLanguage(own)
	}
	if strings.TrimSpace(subject+own) == "" {
		// A file sent without a word ("Zahlungsavis_4711.pdf") is named
		// in the sender's language.
		var names strings.Builder
		for i, a := range atts {
			if i == 8 {
				break
			}
			names.WriteString(strings.NewReplacer("_", " ", "-", " ", ".", " ").Replace(classifyCapTo(a.Name, 256)))
			names.WriteByte('\n')
		}
		return DetectLanguage(names.String())
	}
	return DetectLanguage(subject + "\n" + own)
}

// classifyUSDates tells whether 03/04/2026 means March 4: only for English
// written from the Americas (by the Date header's offset), as elsewhere the
// day comes first.
func classifyUSDates(lang string, t time.Time) bool {
	if lang != "en" || t.IsZero() {
		return false
	}
	_, off := t.Zone()
	return off <= -3*3600 && off >= -10*3600
}

// classifyDecide turns the signals into a class and a confidence.
func classifyDecide(s classifySig, a classifyAuto) (string, float64) {
	content, conf := classifyContentClass(s)
	switch {
	case a.text >= 2 || a.subject >= 2:
		// The sender's own words say it is an automatic answer (out of
		// office, left the company, ticket created). Only a payment advice
		// outweighs that: banks and ERPs send those automatically too.
		if content == ClassRemittance && s.remit >= 4 {
			return content, conf
		}
		// "This is an automated message, do not reply" is the footer of
		// every payment platform; only someone's absence (or a subject
		// saying so) outweighs a clear advice.
		if content == ClassRemittance && s.remit >= 3 && a.text < 3 && a.subject < 2 {
			return content, conf * 0.95
		}
		c := 0.8
		if a.header > 0 {
			c = 0.97
		} else if a.text >= 2 && a.subject >= 2 {
			c = 0.93
		} else if a.text >= 3 || a.subject >= 2 {
			c = 0.87
		}
		return ClassAutoReply, c
	case a.header > 0 || a.text > 0 || a.subject > 0:
		// Headers (or weak wording) say "machine", but machines also send
		// remittance advices and portal rejections: content wins when
		// there is any.
		if content != ClassOther || s.other > 0 {
			return content, conf * 0.95
		}
		switch {
		case a.header >= 2:
			return ClassAutoReply, 0.85
		case a.header > 0 && (a.text > 0 || a.subject > 0):
			return ClassAutoReply, 0.8
		}
		return ClassAutoReply, 0.65
	}
	return content, conf
}

// classifyContentClass weighs what a human (or a payment system) wrote.
func classifyContentClass(s classifySig) (string, float64) {
	type cand struct {
		class string
		score int
	}
	promise := s.promise
	if promise > 0 && s.promiseDated {
		promise++
	}
	if !s.promiseDated && s.other >= promise {
		// "send us a copy and we'll process it": the request comes first.
		promise = 0
	}
	dispute := s.dispute
	if s.conditional && dispute > 0 {
		// "we will pay once the credit note arrives" is a dispute first.
		promise = 0
	}
	other := s.other
	// Priority on ties: a dispute blocks dunning; money already sent is
	// firmer than money promised; asking for a copy changes nothing.
	cands := []cand{{ClassDispute, dispute}, {ClassRemittance, s.remit}, {ClassPromise, promise}, {ClassOther, other}}
	best, second := cands[0], cand{}
	for _, c := range cands[1:] {
		if c.score > best.score {
			second, best = best, c
		} else if c.score > second.score {
			second = c
		}
	}
	if best.score <= 0 {
		return ClassOther, 0.5
	}
	// More evidence and a wider lead over the runner-up both raise trust.
	conf := 0.55 + 0.08*float64(min(best.score, 5))
	if second.score > 0 {
		conf -= 0.1 * float64(second.score) / float64(best.score)
	}
	return best.class, math.Min(conf, 0.96)
}
