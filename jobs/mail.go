package jobs

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dunnerhq/dunner/agent"
	"github.com/klauspost/compress/gzip"
)

// MailSource is one configured mailbox.
type MailSource struct {
	Name    string
	Mailbox agent.Mailbox
	Folders []string
	// FileInto maps a class to the folder a processed message is moved
	// to; a class without an entry stays where it is.
	FileInto map[string]string
}

// MailSummary counts what a poll did.
type MailSummary struct {
	Messages int            `json:"messages"`
	Repeats  int            `json:"repeats"` // seen before under another UID
	Classes  map[string]int `json:"classes"`
	Tasks    int            `json:"tasks"`
}

// Correlation ties a message to a customer and notice.
type Correlation struct {
	CustomerID string      `json:"customer_id,omitempty"`
	DraftID    int64       `json:"draft_id,omitempty"`
	Items      []agent.Ref `json:"items,omitempty"`
	How        []string    `json:"how,omitempty"` // which clues matched
}

// InboundResult is what is kept of a processed message.
type InboundResult struct {
	Classification agent.Classification `json:"classification"`
	Correlation    Correlation          `json:"correlation"`
	Effects        []string             `json:"effects"`
	Error          string               `json:"error,omitempty"`
}

// PollMail reads every configured mailbox once and acts on what it finds.
func (d *Dunning) PollMail(ctx context.Context, sources []MailSource) (MailSummary, error) {
	sum := MailSummary{Classes: map[string]int{}}
	if d.ParseMail == nil {
		return sum, errors.New("mail: no MIME parser configured")
	}
	ix, err := d.contactIndex(ctx)
	if err != nil {
		return sum, err
	}
	for _, src := range sources {
		folders := src.Folders
		if len(folders) == 0 {
			folders = []string{"INBOX"}
		}
		for _, folder := range folders {
			cp, err := d.Store.MailCheckpoint(ctx, src.Name, folder)
			if err != nil {
				return sum, err
			}
			pending, err := d.Store.PendingMoves(ctx, src.Name, folder, cp.UIDValidity)
			if err != nil {
				return sum, err
			}
			if len(pending) > 0 {
				d.log().Info("mail: filing messages left from an interrupted poll", "mailbox", src.Name,
					"folder", folder, "count", len(pending))
			}
			var uidValidity uint32
			var acting *actStage // the batch being acted on, if any
			handle := func(batch []*agent.InboundRaw) ([]string, func() error, error) {
				for _, raw := range batch {
					raw.Mailbox = src.Name
					uidValidity = raw.UIDValidity
				}
				targets, stage, err := d.processBatch(ctx, ix, batch, &sum, src.FileInto, acting)
				if err != nil {
					return nil, nil, err
				}
				acting = stage
				return targets, stage.wait, nil
			}
			moved := func(uids []uint32) error {
				v := uidValidity
				if v == 0 {
					v = cp.UIDValidity
				}
				return d.Store.MarkMoved(ctx, src.Name, folder, v, uids)
			}
			_, err = src.Mailbox.Poll(ctx, folder, cp, pending, handle, moved)
			if acting != nil {
				// The last batch may still be acting when Poll stops early;
				// its error, if any, is the one Poll saw first.
				if aerr := acting.wait(); err == nil {
					err = aerr
				}
			}
			if err != nil {
				return sum, fmt.Errorf("mail %s/%s: %w", src.Name, folder, err)
			}
		}
	}
	d.log().Info("mail poll done", "messages", sum.Messages, "repeats", sum.Repeats, "tasks", sum.Tasks)
	return sum, nil
}

// ClassifyMail parses and classifies one message without acting on it.
func (d *Dunning) ClassifyMail(r io.Reader) (*agent.InboundMessage, agent.Classification, error) {
	msg, err := d.ParseMail(r, 50<<20)
	if err != nil {
		return nil, agent.Classification{}, err
	}
	return msg, agent.Classify(msg), nil
}

// mailJob is one message on its way through a batch.
type mailJob struct {
	raw *agent.InboundRaw
	rec *agent.InboundRecord
	res *InboundResult
	msg *agent.InboundMessage
	sum MailSummary
	err error
}

// actStage is a batch whose effects are being applied and recorded.
type actStage struct {
	done chan struct{}
	err  error
}

func (a *actStage) wait() error {
	<-a.done
	return a.err
}

// processBatch reads, classifies and correlates a batch's messages in
// parallel (that is pure CPU work) and returns where each is to be filed;
// the class alone decides that. Acting on them goes on in the background,
// after the previous batch's acting (prev) is done, so a customer's mail
// is acted on in order: one customer's messages in turn, different
// customers' side by side, their store writes sharing commits. The stage
// records the batch and then moves the folder's checkpoint past it.
func (d *Dunning) processBatch(ctx context.Context, ix *contactIndex, batch []*agent.InboundRaw, sum *MailSummary,
	fileInto map[string]string, prev *actStage) ([]string, *actStage, error) {
	jobs := make([]*mailJob, len(batch))
	parallel(len(batch), runtime.GOMAXPROCS(0), func(i int) {
		jobs[i] = d.analyzeMail(ctx, ix, batch[i])
	})
	var groups [][]*mailJob
	byKey := map[string]int{}
	targets := make([]string, len(jobs))
	for i, j := range jobs {
		if j.err != nil {
			return nil, nil, j.err
		}
		targets[i] = fileInto[j.rec.Class]
		key := mailGroup(j)
		gi, ok := byKey[key]
		if !ok {
			gi = len(groups)
			byKey[key] = gi
			groups = append(groups, nil)
		}
		groups[gi] = append(groups[gi], j)
	}
	stage := &actStage{done: make(chan struct{})}
	go func() {
		defer close(stage.done)
		if prev != nil {
			if stage.err = prev.wait(); stage.err != nil {
				return
			}
		}
		parallel(len(groups), 16, func(gi int) {
			for _, j := range groups[gi] {
				if j.err = d.actMail(ctx, ix, j, fileInto); j.err != nil {
					return
				}
			}
		})
		var errs []error
		for _, j := range jobs {
			if j.err != nil {
				errs = append(errs, j.err)
				continue
			}
			sum.add(&j.sum)
		}
		if stage.err = errors.Join(errs...); stage.err != nil {
			return
		}
		last := batch[len(batch)-1]
		stage.err = d.Store.SaveCheckpoint(ctx, last.Mailbox, last.Folder,
			agent.Checkpoint{UIDValidity: last.UIDValidity, LastUID: last.UID})
	}()
	return targets, stage, nil
}

// mailGroup keys the messages whose effects must not interleave: those
// about one customer, or from one sender when no customer is known.
func mailGroup(j *mailJob) string {
	if c := j.res.Correlation.CustomerID; c != "" {
		return "c:" + c
	}
	if j.msg != nil && len(j.msg.From) > 0 {
		return "f:" + strings.ToLower(j.msg.From[0])
	}
	return ""
}

// parallel runs fn(0..n-1) on up to workers goroutines.
func parallel(n, workers int, fn func(i int)) {
	workers = min(workers, n)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
}

func (s *MailSummary) add(o *MailSummary) {
	s.Messages += o.Messages
	s.Repeats += o.Repeats
	s.Tasks += o.Tasks
	for k, v := range o.Classes {
		s.Classes[k] += v
	}
}

// analyzeMail parses, classifies and correlates one message: reads only.
func (d *Dunning) analyzeMail(ctx context.Context, ix *contactIndex, raw *agent.InboundRaw) *mailJob {
	j := &mailJob{raw: raw, sum: MailSummary{Classes: map[string]int{}}}
	data := raw.Data
	if raw.File != "" {
		b, err := os.ReadFile(raw.File)
		if err != nil {
			j.err = err
			return j
		}
		data = b
	}
	h := sha256.Sum256(data)
	j.rec = &agent.InboundRecord{Mailbox: raw.Mailbox, Folder: raw.Folder, UIDValidity: raw.UIDValidity, UID: raw.UID,
		SHA256: hex.EncodeToString(h[:]), Received: raw.Received, Size: raw.Size, At: d.Clock.Now()}
	if data != nil {
		if j.rec.RawGzip, j.err = gzipped(data); j.err != nil {
			return j
		}
	}
	j.res = &InboundResult{Classification: agent.Classification{Class: "other", InvoiceRefs: []string{}}}
	switch {
	case raw.TooLarge:
		j.res.Error = fmt.Sprintf("larger than the cap (%d bytes): left for a collector", raw.Size)
	default:
		m, err := d.ParseMail(bytes.NewReader(data), int64(len(data))+1)
		if err != nil {
			j.res.Error = err.Error()
		} else {
			j.msg = m
			j.rec.MessageID, j.rec.Subject = m.MessageID, m.Subject
			if len(m.From) > 0 {
				j.rec.From = m.From[0]
			}
		}
	}
	if j.msg != nil {
		j.res.Classification = agent.Classify(j.msg)
		j.res.Correlation = d.correlate(ctx, ix, j.msg, &j.res.Classification)
	}
	j.rec.Class, j.rec.CustomerID, j.rec.DraftID = j.res.Classification.Class, j.res.Correlation.CustomerID,
		j.res.Correlation.DraftID
	return j
}

// gzips keeps compressors: a new one allocates about a megabyte. The
// klauspost writer makes the same gzip format in under half the time.
var gzips = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return zw
}}

// gzipped compresses a raw message for the audit copy, fast: it is rarely
// read, and a poll must not spend its time here.
func gzipped(data []byte) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(data) / 3)
	zw := gzips.Get().(*gzip.Writer)
	defer gzips.Put(zw)
	zw.Reset(&buf)
	if _, err := zw.Write(data); err != nil {
		return nil, fmt.Errorf("mail: compress: %w", err)
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("mail: compress: %w", err)
	}
	return buf.Bytes(), nil
}

// actMail applies an analysed message and records it.
func (d *Dunning) actMail(ctx context.Context, ix *contactIndex, j *mailJob, fileInto map[string]string) error {
	res, rec, msg, sum := j.res, j.rec, j.msg, &j.sum
	sum.Messages++
	seen, err := d.Store.SeenInbound(ctx, rec)
	if err != nil {
		return err
	}
	sum.Classes[rec.Class]++
	switch {
	case seen:
		// The same message under a new UID (UIDVALIDITY changed, or it was
		// copied back): acted on already.
		sum.Repeats++
		res.Effects = append(res.Effects, "seen before: no effects")
	case msg == nil:
		if err := d.mailTask(ctx, res, "review_mail", fmt.Sprintf("Message UID %d in %s/%s could not be read: %s",
			rec.UID, rec.Mailbox, rec.Folder, res.Error), sum); err != nil {
			return err
		}
	default:
		if err := d.actOnMail(ctx, ix, msg, res, sum); err != nil {
			return err
		}
	}
	b, _ := json.Marshal(res)
	rec.Result = b
	// Recorded with the message, so a poll cut off before the move files
	// it next time.
	rec.MoveTo = fileInto[rec.Class]
	return d.Store.SaveInbound(ctx, rec)
}

func (d *Dunning) mailTask(ctx context.Context, res *InboundResult, kind, note string, sum *MailSummary) error {
	t := &agent.Task{CustomerID: res.Correlation.CustomerID, Kind: kind, Note: note, Items: res.Correlation.Items,
		DueDate: d.Today()}
	sum.Tasks++
	res.Effects = append(res.Effects, "task "+kind)
	return d.Store.SaveRun(ctx, &agent.RunResult{At: d.Clock.Now(), Actor: "mail", Tasks: []*agent.Task{t}})
}

// actOnMail applies what the message means for dunning (issue: shared
// mailboxes): disputes stop dunning, promises are recorded, auto-replies
// pause, bounces mark the contact, remittances mark items advised.
func (d *Dunning) actOnMail(ctx context.Context, ix *contactIndex, msg *agent.InboundMessage, res *InboundResult,
	sum *MailSummary) error {
	cls := &res.Classification
	corr := &res.Correlation
	now := d.Clock.Now()
	today := d.Today()
	ev := func(kind, detail string) agent.Event {
		return agent.Event{At: now, Actor: "mail", Kind: kind, Detail: detail}
	}
	if cls.FraudRisk {
		if err := d.mailTask(ctx, res, "fraud_risk", fmt.Sprintf("Possible payment fraud: %q from %v asks to change bank "+
			"details or pay another account. Verify by phone with a known contact before changing anything.",
			msg.Subject, msg.From), sum); err != nil {
			return err
		}
	}
	if cls.Confidence < agent.ClassifyReviewBelow && cls.Class != "other" {
		return d.mailTask(ctx, res, "review_mail", fmt.Sprintf("Unsure (%.2f) whether %q from %v is a %s; nothing was changed.",
			cls.Confidence, msg.Subject, msg.From, cls.Class), sum)
	}
	switch cls.Class {
	case "dispute":
		for _, ref := range corr.Items {
			if err := d.Store.SetDispute(ctx, ref, true, cls.DisputeReason, ev("item.disputed", msg.Subject)); err != nil {
				return err
			}
			res.Effects = append(res.Effects, "disputed "+ref.Invoice)
		}
		return d.mailTask(ctx, res, "dispute", fmt.Sprintf("Dispute (%s) from %v: %q. Items %v are out of dunning until resolved.",
			cls.DisputeReason, msg.From, msg.Subject, invoices(corr.Items)), sum)
	case "promise_to_pay":
		if cls.PromisedDate == nil {
			return d.mailTask(ctx, res, "promise", fmt.Sprintf("Promise to pay without a date from %v: %q", msg.From, msg.Subject), sum)
		}
		for _, ref := range corr.Items {
			if err := d.Store.SetPromise(ctx, ref, *cls.PromisedDate, ev("item.promised", cls.PromisedDate.String())); err != nil {
				return err
			}
			res.Effects = append(res.Effects, "promised "+ref.Invoice+" for "+cls.PromisedDate.String())
		}
		if len(corr.Items) == 0 {
			return d.mailTask(ctx, res, "promise", fmt.Sprintf("Promise to pay on %s from %v names no open invoice: %q",
				cls.PromisedDate, msg.From, msg.Subject), sum)
		}
	case "remittance":
		// The advice itself, when attached, says best what was paid.
		parsed := false
		for _, att := range msg.Attachments {
			if att.Data == nil || d.ParseRemittance == nil {
				continue
			}
			r, err := d.ParseRemittance(att.Data, att.Name)
			if err != nil {
				res.Effects = append(res.Effects, "attachment "+att.Name+": "+err.Error())
				continue
			}
			rr, err := d.ApplyRemittance(ctx, r, corr.CustomerID, att.Name)
			if err != nil {
				return err
			}
			parsed = true
			for _, m := range rr.Applied {
				res.Effects = append(res.Effects, "payment advised "+m.Item.Invoice+" ("+att.Name+")")
			}
			if len(rr.Review) > 0 {
				sum.Tasks++
				res.Effects = append(res.Effects, fmt.Sprintf("task remittance_review (%d lines)", len(rr.Review)))
			}
		}
		if !parsed && d.ParseRemittanceText != nil {
			// No document attached: the advice may be a table in the body,
			// in the sender's own part (quoted history is ours, and long).
			if r, err := d.ParseRemittanceText(agent.StripQuoted(msg.Text)); err == nil && len(r.Lines) > 0 {
				rr, err := d.ApplyRemittance(ctx, r, corr.CustomerID, "message body")
				if err != nil {
					return err
				}
				parsed = true
				for _, m := range rr.Applied {
					res.Effects = append(res.Effects, "payment advised "+m.Item.Invoice+" (body table)")
				}
			}
		}
		if parsed {
			return nil
		}
		for _, ref := range corr.Items {
			if err := d.Store.SetAdvice(ctx, ref, today, ev("item.advised", msg.Subject)); err != nil {
				return err
			}
			res.Effects = append(res.Effects, "payment advised "+ref.Invoice)
		}
		if len(corr.Items) == 0 {
			return d.mailTask(ctx, res, "remittance", fmt.Sprintf("Remittance advice from %v matched no open invoice: %q",
				msg.From, msg.Subject), sum)
		}
	case "auto_reply":
		if cls.ReturnDate != nil && corr.CustomerID != "" && *cls.ReturnDate > today {
			if err := d.Store.PauseCustomer(ctx, corr.CustomerID, *cls.ReturnDate, ev("customer.paused",
				"out of office until "+cls.ReturnDate.String())); err != nil {
				return err
			}
			res.Effects = append(res.Effects, "paused until "+cls.ReturnDate.String())
		}
	case "bounce":
		if cls.BouncedRecipient == nil || cls.BounceAction == "delayed" {
			return nil
		}
		addr := *cls.BouncedRecipient
		if cust := ix.byEmail[strings.ToLower(addr)]; cust != "" {
			if err := d.Store.MarkUndeliverable(ctx, cust, addr, now); err != nil {
				return err
			}
			res.Effects = append(res.Effects, "undeliverable "+addr+" ("+cust+")")
		}
	}
	return nil
}

func invoices(refs []agent.Ref) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.Invoice
	}
	return out
}

// contactIndex finds customers by address and by domain.
type contactIndex struct {
	byEmail  map[string]string
	byDomain map[string][]string
}

func (d *Dunning) contactIndex(ctx context.Context) (*contactIndex, error) {
	cs, err := d.customers(ctx)
	if err != nil {
		return nil, err
	}
	ix := &contactIndex{byEmail: map[string]string{}, byDomain: map[string][]string{}}
	add := func(id string, contacts []agent.Contact) {
		for _, c := range contacts {
			e := strings.ToLower(c.Email)
			ix.byEmail[e] = id
			if at := strings.LastIndexByte(e, '@'); at > 0 {
				dom := e[at+1:]
				if l := ix.byDomain[dom]; len(l) == 0 || l[len(l)-1] != id {
					ix.byDomain[dom] = append(l, id)
				}
			}
		}
	}
	for id, r := range cs.imported {
		add(id, r.Contacts)
	}
	for id, r := range d.Configured {
		add(id, r.Contacts)
	}
	return ix, nil
}

// replyTag reads the notice tag of our Reply-To (ar+n12.4f2a@…).
var replyTag = regexp.MustCompile(`(?i)\+n(\d+)\.([0-9a-f]{4})@`)

// correlate finds the customer, the notice and the items a message is
// about: our plus tag, then In-Reply-To/References, then the sender, then
// invoice numbers in the text.
func (d *Dunning) correlate(ctx context.Context, ix *contactIndex, msg *agent.InboundMessage, cls *agent.Classification) Correlation {
	var c Correlation
	var notice *agent.Draft
	for _, to := range append(append([]string{}, msg.To...), msg.Cc...) {
		if m := replyTag.FindStringSubmatch(to); m != nil {
			id, _ := strconv.ParseInt(m[1], 10, 64)
			if dr, err := d.Store.Draft(ctx, id); err == nil && token(dr.MessageID) == strings.ToLower(m[2]) {
				notice = dr
				c.How = append(c.How, "reply tag")
				break
			}
		}
	}
	if notice == nil {
		for _, id := range append([]string{msg.InReplyTo}, msg.References...) {
			if id == "" {
				continue
			}
			if dr, err := d.Store.DraftByMessageID(ctx, strings.Trim(id, "<>")); err == nil {
				notice = dr
				c.How = append(c.How, "in-reply-to")
				break
			}
		}
	}
	if notice != nil {
		c.CustomerID, c.DraftID = notice.CustomerID, notice.ID
	}
	if c.CustomerID == "" && len(msg.From) > 0 {
		from := strings.ToLower(msg.From[0])
		if id := ix.byEmail[from]; id != "" {
			c.CustomerID = id
			c.How = append(c.How, "sender address")
		} else if at := strings.LastIndexByte(from, '@'); at > 0 {
			if ids := ix.byDomain[from[at+1:]]; len(ids) == 1 {
				c.CustomerID = ids[0]
				c.How = append(c.How, "sender domain")
			}
		}
	}
	// Items: the invoices named in the text, else the notice's items.
	if len(cls.InvoiceRefs) > 0 {
		items, err := d.Store.ItemsByInvoice(ctx, cls.InvoiceRefs)
		if err == nil {
			for _, it := range items {
				if it.DocType != agent.DocInvoice || (c.CustomerID != "" && it.CustomerID != c.CustomerID) {
					continue
				}
				if c.CustomerID == "" {
					c.CustomerID = it.CustomerID
					c.How = append(c.How, "invoice number")
				}
				c.Items = append(c.Items, it.Ref())
			}
		}
	}
	if len(c.Items) == 0 && notice != nil {
		for _, it := range notice.Notice.Items {
			c.Items = append(c.Items, it.Ref)
		}
	}
	return c
}

// WatchMail polls the mailboxes until ctx ends: after each pass it waits
// for new mail on the first mailbox (IDLE where the server offers it) or
// interval, and after a failure it backs off, doubling up to ten minutes.
func (d *Dunning) WatchMail(ctx context.Context, sources []MailSource, interval time.Duration) error {
	backoff := time.Second
	for {
		_, err := d.PollMail(ctx, sources)
		if ctx.Err() != nil {
			return nil
		}
		wait := interval
		if err != nil {
			d.log().Error("mail poll failed", "err", err, "retry_in", backoff.String())
			wait, backoff = backoff, min(2*backoff, 10*time.Minute)
		} else {
			backoff = time.Second
		}
		if w, ok := sources[0].Mailbox.(agent.MailWaiter); ok && err == nil {
			folder := "INBOX"
			if len(sources[0].Folders) > 0 {
				folder = sources[0].Folders[0]
			}
			if werr := w.Wait(ctx, folder, wait); werr != nil && ctx.Err() == nil {
				d.log().Warn("mail wait failed", "err", werr)
				sleep(ctx, backoff)
			}
		} else {
			sleep(ctx, wait)
		}
		if ctx.Err() != nil {
			return nil
		}
	}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
