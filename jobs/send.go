package jobs

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/dunnerhq/dunner/agent"
)

// SendOptions tune delivery.
type SendOptions struct {
	// Workers send in parallel (default 1); the mailer bounds its own
	// connections.
	Workers int
	// Lease is how long a draft may sit in "sending" before its sender is
	// taken for dead (default 10 minutes; 0 with Recover means at once).
	Lease time.Duration
	// MaxAttempts of a temporarily failing notice before it fails for good
	// (default 8: with the backoff, about two days).
	MaxAttempts int
	// Backoff is the wait after the n-th failed attempt.
	Backoff func(n int) time.Duration
}

func (o *SendOptions) defaults() {
	if o.Workers <= 0 {
		o.Workers = 1
	}
	if o.Lease <= 0 {
		o.Lease = 10 * time.Minute
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 8
	}
	if o.Backoff == nil {
		o.Backoff = Backoff
	}
}

// Backoff doubles from two minutes, capped at six hours.
func Backoff(n int) time.Duration {
	d := 2 * time.Minute
	for i := 1; i < n && d < 6*time.Hour; i++ {
		d *= 2
	}
	return min(d, 6*time.Hour)
}

// SendSummary counts what a send did.
type SendSummary struct {
	Delivered int `json:"delivered"`
	Withdrawn int `json:"withdrawn"`
	Returned  int `json:"returned"` // back to review: the ledger changed under an edited draft
	Retrying  int `json:"retrying"`
	Failed    int `json:"failed"`
	Uncertain int `json:"uncertain"`
	Waiting   int `json:"waiting"`   // outside the customer's send window
	Recovered int `json:"recovered"` // found in "sending" from a dead sender
}

func (s *SendSummary) add(st agent.DraftState) {
	switch st {
	case agent.Delivered:
		s.Delivered++
	case agent.Withdrawn:
		s.Withdrawn++
	case agent.Drafted:
		s.Returned++
	case agent.Retrying:
		s.Retrying++
	case agent.Failed:
		s.Failed++
	case agent.Uncertain:
		s.Uncertain++
	case agent.Approved:
		s.Waiting++
	}
}

// Send delivers approved drafts due by asOf (zero: today) and retrying ones
// whose time has come. Each draft is checked against the ledger right before
// it goes (SPEC §3). A notice is sent at most once: it is claimed
// ("sending") before the mailer connects, and marked right before the data
// goes out, so after a crash it is either safe to send again or
// "uncertain" and left to a collector.
func (d *Dunning) Send(ctx context.Context, asOf agent.Date, opts SendOptions) (SendSummary, error) {
	opts.defaults()
	var sum SendSummary
	due := asOf
	if due.IsZero() {
		// Today in each customer's zone: pick every draft made for a
		// date that has begun somewhere, and let prepare hold those whose
		// customer's day has not.
		due = agent.Today(d.Clock, latestZone)
	}
	n, err := d.recoverSending(ctx, opts.Lease)
	sum.Recovered = n
	if err != nil {
		return sum, fmt.Errorf("send: %w", err)
	}
	// The customers and the drafts due are two independent reads, and
	// most of the time before the first notice can go: read together.
	var cs *customerSource
	var csErr error
	loaded := make(chan struct{})
	go func() {
		defer close(loaded)
		cs, csErr = d.customers(ctx)
	}()
	drafts, err := d.dueHeads(ctx, due)
	<-loaded
	if err != nil {
		return sum, fmt.Errorf("send: %w", err)
	}
	if csErr != nil {
		return sum, fmt.Errorf("send: %w", csErr)
	}
	var mu sync.Mutex
	var errs []error
	report := func(h agent.DraftHead, st agent.DraftState, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			errs = append(errs, fmt.Errorf("draft %d: %w", h.ID, err))
			d.log().Error("send failed", "draft", h.ID, "customer", h.CustomerID, "err", err)
		}
		sum.add(st)
	}
	s := &sender{d: d, cs: cs, opts: opts, asOf: asOf, threads: map[string][]string{},
		report: report, finishing: make(chan struct{}, maxFinishing)}
	_, s.quickOnData = d.Store.(journaled)
	if err := s.preloadThreads(ctx, drafts); err != nil {
		return sum, fmt.Errorf("send: %w", err)
	}
	if dc, ok := d.Store.(documentCustomers); ok {
		// Most customers have no document on file: one read now spares
		// a query per notice. One fetched during the pass waits for the
		// next notice.
		if s.withDocs, err = dc.DocumentCustomers(ctx); err != nil {
			return sum, fmt.Errorf("send: %w", err)
		}
	}
	// Loaders read, check and claim the drafts a chunk at a time (one
	// statement and one commit for a chunk, where the store can) and keep
	// the workers' queue filled, so no worker waits for a claim's commit
	// with a connection idle. The queue is short: claimed drafts wait
	// there in "sending" (after a crash they go again, their data never
	// started). It holds four chunks: a claim may wait behind a group
	// commit of deliveries, and with two chunks the workers found it empty
	// two to three times as often.
	chunk := min(maxChunk, max(1, (len(drafts)+loaders-1)/loaders))
	chunks := make(chan []agent.DraftHead)
	queue := make(chan *job, 4*maxChunk)
	var lwg, wwg sync.WaitGroup
	for i := 0; i < loaders; i++ {
		lwg.Add(1)
		go func() {
			defer lwg.Done()
			for hs := range chunks {
				s.load(ctx, hs, queue)
			}
		}()
	}
	for i := 0; i < opts.Workers; i++ {
		wwg.Add(1)
		go func() {
			defer wwg.Done()
			for j := range queue {
				s.send(ctx, j)
			}
		}()
	}
feed:
	for i := 0; i < len(drafts); i += chunk {
		select {
		case chunks <- drafts[i:min(i+chunk, len(drafts))]:
		case <-ctx.Done():
			break feed
		}
	}
	close(chunks)
	lwg.Wait()
	close(queue)
	wwg.Wait()
	s.finishers.Wait()
	d.log().Info("send done", "delivered", sum.Delivered, "withdrawn", sum.Withdrawn, "returned", sum.Returned,
		"retrying", sum.Retrying, "failed", sum.Failed, "uncertain", sum.Uncertain, "waiting", sum.Waiting,
		"recovered", sum.Recovered)
	if err := ctx.Err(); err != nil {
		return sum, err
	}
	return sum, errors.Join(errs...)
}

// dueHeads lists the drafts a pass sends: approved ones made for due or
// earlier, and retrying ones whose wait is over. Heads only: a pass over
// ten thousand notices must not read every body up front.
func (d *Dunning) dueHeads(ctx context.Context, due agent.Date) ([]agent.DraftHead, error) {
	drafts, err := d.Store.DraftHeads(ctx, agent.DraftFilter{States: []agent.DraftState{agent.Approved}, DueBy: due})
	if err != nil {
		return nil, err
	}
	retrying, err := d.Store.DraftHeads(ctx, agent.DraftFilter{States: []agent.DraftState{agent.Retrying}})
	if err != nil {
		return nil, err
	}
	now := d.Clock.Now()
	for _, h := range retrying {
		if h.NextAttempt == nil || !h.NextAttempt.After(now) {
			drafts = append(drafts, h)
		}
	}
	return drafts, nil
}

// latestZone is where a calendar day begins first (UTC+14).
var latestZone = time.FixedZone("UTC+14", 14*3600)

// recoverSending settles drafts a dead sender left in "sending": before the
// data went out they are safe to send again; after, the server may have
// them, so they become uncertain with a task.
func (d *Dunning) recoverSending(ctx context.Context, lease time.Duration) (int, error) {
	if j, ok := d.Store.(journaled); ok {
		// A dead sender's marks may still sit in its journal.
		if err := j.FoldJournals(ctx); err != nil {
			return 0, err
		}
	}
	stuck, err := d.Store.DraftHeads(ctx, agent.DraftFilter{States: []agent.DraftState{agent.Sending}})
	if err != nil {
		return 0, err
	}
	now := d.Clock.Now()
	n := 0
	for _, h := range stuck {
		if h.SendingAt != nil && now.Sub(*h.SendingAt) < lease {
			continue // another sender may be at it right now
		}
		dr, err := d.Store.Draft(ctx, h.ID)
		if err != nil {
			return n, err
		}
		n++
		if dr.DataAt == nil {
			dr.State, dr.Reason = agent.Approved, "sender stopped before the data went out; sending again"
			if err := d.Store.UpdateDraft(ctx, dr, agent.Sending, agent.Event{At: now, Actor: d.actor(),
				Kind: "draft.requeued", Detail: dr.Reason}); err != nil && !isTransition(err) {
				return n, err
			}
			continue
		}
		if err := d.settleUncertain(ctx, dr, "the sender stopped after the data went out and before the server answered"); err != nil &&
			!isTransition(err) {
			return n, err
		}
	}
	return n, nil
}

// journaled is a store that takes "data started" marks into journals first
// (the SQLite store does).
type journaled interface {
	FoldJournals(ctx context.Context) error
}

func isTransition(err error) bool {
	var te *agent.ErrTransition
	return errors.As(err, &te)
}

func (d *Dunning) settleUncertain(ctx context.Context, dr *agent.Draft, why string) error {
	now := d.Clock.Now()
	dr.State, dr.Reason = agent.Uncertain, why
	if err := d.Store.UpdateDraft(ctx, dr, agent.Sending, agent.Event{At: now, Actor: d.actor(),
		Kind: "draft.uncertain", Detail: why}); err != nil {
		return err
	}
	return d.task(ctx, dr, agent.TaskUncertain, fmt.Sprintf("Notice %d to %s may or may not have been delivered (%s). "+
		"Check the mail server's log for Message-ID <%s>; then mark it delivered or approve it again.",
		dr.ID, dr.CustomerID, why, dr.MessageID))
}

func (d *Dunning) task(ctx context.Context, dr *agent.Draft, kind, note string) error {
	t := &agent.Task{CustomerID: dr.CustomerID, Kind: kind, Level: dr.Level, Note: note, DueDate: dr.AsOf,
		Items: dr.Notice.Refs()}
	return d.Store.SaveRun(ctx, &agent.RunResult{At: d.Clock.Now(), Actor: d.actor(), Tasks: []*agent.Task{t}})
}

// sender holds what one Send shares between its workers.
type sender struct {
	d    *Dunning
	cs   *customerSource
	opts SendOptions
	asOf agent.Date

	mu      sync.Mutex
	threads map[string][]string // customer → Message-IDs of notices already delivered, oldest first
	// withDocs: the customers with documents on file when the pass
	// began, if the store tells (nil: ask for each notice).
	withDocs map[string]bool
	// quickOnData: the store journals data-start marks (Email.QuickOnData).
	quickOnData bool

	report func(agent.DraftHead, agent.DraftState, error)
	// finishing bounds the deliveries being recorded while their workers
	// go on to the next notice.
	finishing chan struct{}
	finishers sync.WaitGroup
}

// maxFinishing bounds the deliveries waiting for their records' commit. A
// group commit takes milliseconds while a connection delivers a message
// every few hundred microseconds: a bound near the number of workers held
// them up behind the commits (a third of the rate at one connection).
const maxFinishing = 256

// finishing is what deliver returns when a finisher reports the outcome.
const finishing agent.DraftState = "(finishing)"

// deliveredNotices is a store that lists every delivered notice in one
// pass (the SQLite store does).
type deliveredNotices interface {
	DeliveredNotices(ctx context.Context, fn func(customerID, messageID string)) error
}

// documentCustomers is a store that lists the customers with documents on
// file (the SQLite store does).
type documentCustomers interface {
	DocumentCustomers(ctx context.Context) (map[string]bool, error)
}

// preloadThreads fills the thread map for the customers of this pass with
// one read, when the store offers it; a query per customer would
// otherwise run under the map's lock, one worker at a time.
func (s *sender) preloadThreads(ctx context.Context, drafts []agent.DraftHead) error {
	dn, ok := s.d.Store.(deliveredNotices)
	if !ok {
		return nil
	}
	for _, h := range drafts {
		if h.Kind == agent.KindNotice {
			s.threads[h.CustomerID] = nil
		}
	}
	return dn.DeliveredNotices(ctx, func(customerID, messageID string) {
		if ids, ok := s.threads[customerID]; ok {
			s.threads[customerID] = append(ids, messageID)
		}
	})
}

// thread returns the earlier notices' Message-IDs, so a follow-up threads
// under them in the customer's mail client.
func (s *sender) thread(ctx context.Context, customerID string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ids, ok := s.threads[customerID]; ok {
		return ids, nil
	}
	prev, err := s.d.Store.DraftHeads(ctx, agent.DraftFilter{CustomerID: customerID, Kind: agent.KindNotice,
		States: []agent.DraftState{agent.Delivered}})
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, p := range prev {
		ids = append(ids, p.MessageID)
	}
	s.threads[customerID] = ids
	return ids, nil
}

// maxChunk bounds the drafts a loader reads and claims at once: claimed
// drafts wait their turn in "sending", and a stopped sender leaves them to
// the next pass (they go again: their data never started). A claim waits
// for a group commit, which may linger a few milliseconds: with chunks of
// 16, workers at 16 connections found the queue empty four times as often.
const maxChunk = 32

// batchStore reads and claims drafts a chunk at a time (the SQLite store
// does): one statement and one commit per chunk instead of one each per
// notice.
type batchStore interface {
	// DraftsBatch returns the drafts found among ids, each with the
	// current version of its customer's items (agent.CustomerItems.Version).
	DraftsBatch(ctx context.Context, ids []int64) ([]*agent.Draft, []int64, error)
	ClaimBatch(ctx context.Context, claims []agent.Claim, at time.Time, actor string) []error
}

// job is a draft that passed its checks and goes once claimed.
type job struct {
	h    agent.DraftHead
	dr   *agent.Draft
	c    *agent.Customer
	asOf agent.Date
	from agent.DraftState
	// claimed: already written whole as "sending" (it changed).
	claimed bool
}

// loaders is how many goroutines read and claim ahead of the workers.
const loaders = 2

// load reads, checks and claims a chunk of drafts and queues those this
// sender now owns.
func (s *sender) load(ctx context.Context, hs []agent.DraftHead, queue chan<- *job) {
	drs, vers, errs := s.read(ctx, hs)
	var ready []*job
	for i, h := range hs {
		if errs[i] != nil {
			s.report(h, "", errs[i])
			continue
		}
		j, st, err := s.prepare(ctx, h, drs[i], vers[i])
		if j == nil {
			s.report(h, st, err)
			continue
		}
		ready = append(ready, j)
	}
	for _, j := range s.claim(ctx, ready) {
		queue <- j
	}
}

// send delivers a queued job, or hands it back when the pass was cancelled
// or the claim grew old in the queue.
func (s *sender) send(ctx context.Context, j *job) {
	if ctx.Err() != nil {
		s.release(ctx, []*job{j})
		return
	}
	if l := s.opts.Lease; l >= time.Minute && s.d.Clock.Now().Sub(*j.dr.SendingAt) > l/2 {
		// Held up so long (a throttled domain) that another sender could
		// take the claim for dead before this one's data goes out.
		s.release(ctx, []*job{j})
		return
	}
	st, err := s.deliver(ctx, j)
	if st != finishing {
		s.report(j.h, st, err)
	}
}

// read reads a chunk's drafts: vers[i] is the current version of the
// customer's items when the store told it with the draft, else -1.
func (s *sender) read(ctx context.Context, hs []agent.DraftHead) ([]*agent.Draft, []int64, []error) {
	drs, vers, errs := make([]*agent.Draft, len(hs)), make([]int64, len(hs)), make([]error, len(hs))
	bs, ok := s.d.Store.(batchStore)
	if !ok {
		for i, h := range hs {
			drs[i], errs[i] = s.d.Store.Draft(ctx, h.ID)
			vers[i] = -1
		}
		return drs, vers, errs
	}
	ids := make([]int64, len(hs))
	for i, h := range hs {
		ids[i] = h.ID
	}
	got, vs, err := bs.DraftsBatch(ctx, ids)
	byID := make(map[int64]int, len(got))
	for k, dr := range got {
		byID[dr.ID] = k
	}
	for i, h := range hs {
		k, found := byID[h.ID]
		switch {
		case err != nil:
			errs[i] = err
		case !found:
			errs[i] = fmt.Errorf("draft %d: %w", h.ID, agent.ErrNotFound)
		default:
			drs[i], vers[i] = got[k], vs[k]
		}
	}
	return drs, vers, errs
}

// prepare checks a draft right before it goes: its state, the customer's
// day and send window, the ledger (SPEC §3), the recipients. A draft that
// may go comes back as a job; otherwise its outcome ("" when another hand
// took it).
func (s *sender) prepare(ctx context.Context, h agent.DraftHead, dr *agent.Draft, version int64) (*job, agent.DraftState, error) {
	d := s.d
	if dr.State != agent.Approved && dr.State != agent.Retrying {
		return nil, "", nil // a collector or another sender acted since the list was made
	}
	c, p, err := s.cs.get(dr.CustomerID)
	if err != nil {
		return nil, "", err
	}
	asOf := d.asOf(s.asOf, c)
	if dr.AsOf > asOf {
		return nil, "", nil // made for a day that has not begun in the customer's zone
	}
	now := d.Clock.Now()
	if d.Window != nil && !d.Window(c, now) {
		return nil, agent.Approved, nil // outside business hours: next send run
	}
	from := dr.State
	changed, err := d.recheck(ctx, c, p, dr, asOf, version)
	if err != nil {
		return nil, "", err
	}
	if len(dr.Notice.Items) == 0 {
		dr.State, dr.Reason = agent.Withdrawn, "nothing left to dun: items paid, disputed or promised"
		return nil, agent.Withdrawn, d.Store.UpdateDraft(ctx, dr, from, agent.Event{At: now, Actor: d.actor(),
			Kind: "draft.withdrawn", Detail: dr.Reason})
	}
	if changed && dr.Edited {
		// Re-rendering would throw away the collector's words; let them
		// look again instead.
		dr.State, dr.Reason = agent.Drafted, "the ledger changed after the draft was edited"
		return nil, agent.Drafted, d.Store.UpdateDraft(ctx, dr, from, agent.Event{At: now, Actor: d.actor(),
			Kind: "draft.returned", Detail: dr.Reason})
	}
	if changed {
		msg, err := d.render(c, p, &dr.Notice)
		if err != nil {
			return nil, "", err
		}
		dr.Subject, dr.Text, dr.HTML = msg.Subject, msg.Text, msg.HTML
	}
	to := c.Recipients()
	if len(to) == 0 {
		dr.State, dr.Reason = agent.Failed, "no deliverable contact left"
		if err := d.Store.UpdateDraft(ctx, dr, from, agent.Event{At: now, Actor: d.actor(), Kind: "draft.failed",
			Detail: dr.Reason}); err != nil {
			return nil, "", err
		}
		return nil, agent.Failed, d.task(ctx, dr, agent.TaskNoContact, fmt.Sprintf("No deliverable contact for %s: "+
			"every address bounced. Find a new one; notice %d waits.", c.ID, dr.ID))
	}
	dr.To = to
	j := &job{h: h, dr: dr, c: c, asOf: asOf, from: from}
	if !changed {
		return j, "", nil
	}
	// A changed draft is claimed by writing it whole.
	dr.State, dr.Attempts, dr.SendingAt, dr.DataAt, dr.NextAttempt = agent.Sending, dr.Attempts+1, &now, nil, nil
	err = d.Store.UpdateDraft(ctx, dr, from, agent.Event{At: now, Actor: d.actor(), Kind: "draft.sending",
		Detail: fmt.Sprintf("attempt %d; items changed before sending, re-rendered", dr.Attempts)})
	if err != nil {
		if isTransition(err) {
			return nil, "", nil // another sender took it
		}
		return nil, "", err
	}
	j.claimed = true
	return j, "", nil
}

// claim takes the jobs' drafts ("sending"): from here a crash leaves them
// in "sending". It returns the jobs this sender now owns.
func (s *sender) claim(ctx context.Context, jobs []*job) []*job {
	d := s.d
	now := d.Clock.Now()
	var todo []*job
	var claims []agent.Claim
	owned := jobs[:0:0]
	for _, j := range jobs {
		if j.claimed {
			owned = append(owned, j)
			continue
		}
		todo = append(todo, j)
		claims = append(claims, agent.Claim{ID: j.dr.ID, From: j.from, Attempts: j.dr.Attempts + 1})
	}
	var errs []error
	if bs, ok := d.Store.(batchStore); ok {
		errs = bs.ClaimBatch(ctx, claims, now, d.actor())
	} else {
		errs = make([]error, len(claims))
		for i, c := range claims {
			errs[i] = d.Store.Claim(ctx, c.ID, c.From, c.Attempts, now, d.actor())
		}
	}
	for i, j := range todo {
		switch err := errs[i]; {
		case err == nil:
			dr := j.dr
			dr.State, dr.Attempts, dr.SendingAt, dr.DataAt, dr.NextAttempt = agent.Sending, claims[i].Attempts, &now, nil, nil
			owned = append(owned, j)
		case isTransition(err):
			// another sender took it
		default:
			s.report(j.h, "", err)
		}
	}
	return owned
}

// release hands back claimed drafts this pass will not send (cancelled,
// or held up too long): their data never started, so they may go in the
// next pass at once instead of after the lease.
func (s *sender) release(ctx context.Context, jobs []*job) {
	d := s.d
	ctx = context.WithoutCancel(ctx)
	for _, j := range jobs {
		dr := j.dr
		dr.State, dr.SendingAt, dr.Attempts = j.from, nil, dr.Attempts-1
		if j.from == agent.Retrying {
			now := d.Clock.Now()
			dr.NextAttempt = &now
		}
		err := d.Store.UpdateDraft(ctx, dr, agent.Sending, agent.Event{At: d.Clock.Now(), Actor: d.actor(),
			Kind: "draft.released", Detail: "handed back before its data went out"})
		if err != nil && !isTransition(err) {
			s.report(j.h, "", err)
		}
	}
}

// deliver sends a claimed draft.
func (s *sender) deliver(ctx context.Context, j *job) (agent.DraftState, error) {
	d, dr, c, h, asOf := s.d, j.dr, j.c, j.h, j.asOf
	// A claimed draft's outcome is recorded even when the pass is being
	// cancelled: left in "sending", it would wait out the lease.
	settle := context.WithoutCancel(ctx)
	email, err := s.email(ctx, c, dr)
	if err != nil {
		if ctx.Err() != nil {
			s.release(ctx, []*job{j})
			return "", nil
		}
		return s.fail(settle, dr, &agent.DeliveryError{Err: err})
	}
	email.OnData = func() error {
		t := d.Clock.Now()
		// Without the mark the mailer drops the connection before the
		// final dot: the server discards the message, so the draft may
		// go again.
		if err := d.Store.DataStarted(ctx, dr.ID, t); err != nil {
			return err
		}
		dr.DataAt = &t
		return nil
	}
	email.QuickOnData = s.quickOnData
	email.KeepRaw = d.Sent != nil
	receipt, err := d.Mailer.Send(ctx, email)
	if err != nil {
		if ctx.Err() != nil && dr.DataAt == nil {
			// Cancelled before its data started: it goes in the next pass.
			s.release(ctx, []*job{j})
			return "", nil
		}
		return s.fail(settle, dr, err)
	}
	if dr.Kind == agent.KindNotice {
		s.mu.Lock()
		s.threads[c.ID] = append(s.threads[c.ID], dr.MessageID)
		s.mu.Unlock()
	}
	// The server has the message: recording that must not hold up the
	// next notice (its commit joins the next one's), nor be cut short by
	// a cancel, which would leave a delivered notice "uncertain".
	s.finishing <- struct{}{}
	s.finishers.Add(1)
	go func() {
		defer s.finishers.Done()
		defer func() { <-s.finishing }()
		st, err := s.delivered(ctx, c, dr, asOf, receipt)
		s.report(h, st, err)
	}()
	return finishing, nil
}

// delivered records a message the server took.
func (s *sender) delivered(ctx context.Context, c *agent.Customer, dr *agent.Draft, asOf agent.Date, receipt *agent.Receipt) (agent.DraftState, error) {
	d := s.d
	ctx, keep := context.WithoutCancel(ctx), ctx
	for _, rej := range receipt.Rejected {
		if err := d.Store.MarkUndeliverable(ctx, c.ID, rej.Recipient, d.Clock.Now()); err != nil {
			return "", err
		}
	}
	if err := d.Store.Delivered(ctx, dr.Delivery(asOf, d.Clock.Now(), d.actor(), receipt.Response)); err != nil {
		return "", err
	}
	if d.Sent != nil && receipt.Raw != nil {
		if err := d.Sent.AppendSent(keep, receipt.Raw, d.Clock.Now()); err != nil {
			d.log().Warn("copy to Sent folder failed", "draft", dr.ID, "err", err)
		}
	}
	return agent.Delivered, nil
}

// fail settles a draft whose send went wrong, by the kind of failure.
func (s *sender) fail(ctx context.Context, dr *agent.Draft, err error) (agent.DraftState, error) {
	d := s.d
	now := d.Clock.Now()
	var de *agent.DeliveryError
	if !errors.As(err, &de) {
		// Not the server's answer (cancelled, store error): temporary,
		// unless the data had already gone out.
		de = &agent.DeliveryError{Temporary: dr.DataAt == nil, Uncertain: dr.DataAt != nil, Err: err}
	}
	dr.LastError = de.Error()
	switch {
	case de.Uncertain:
		return agent.Uncertain, d.settleUncertain(ctx, dr, de.Error())
	case de.Temporary && dr.Attempts < s.opts.MaxAttempts:
		next := now.Add(s.opts.Backoff(dr.Attempts))
		dr.State, dr.NextAttempt, dr.DataAt, dr.Reason = agent.Retrying, &next, nil, ""
		return agent.Retrying, d.Store.UpdateDraft(ctx, dr, agent.Sending, agent.Event{At: now, Actor: d.actor(),
			Kind: "draft.retrying", Detail: fmt.Sprintf("%s; next attempt %s", de, next.Format(time.RFC3339))})
	}
	dr.State, dr.Reason = agent.Failed, de.Error()
	if err := d.Store.UpdateDraft(ctx, dr, agent.Sending, agent.Event{At: now, Actor: d.actor(),
		Kind: "draft.failed", Detail: de.Error()}); err != nil {
		return "", err
	}
	if de.Recipient != "" {
		if err := d.Store.MarkUndeliverable(ctx, dr.CustomerID, de.Recipient, now); err != nil {
			return "", err
		}
	}
	return agent.Failed, d.task(ctx, dr, agent.TaskDeliveryFailed,
		fmt.Sprintf("Notice %d to %s could not be delivered after %d attempt(s): %s", dr.ID, dr.CustomerID, dr.Attempts, de))
}

// email builds the message: threading headers, a Reply-To that names the
// notice, and the attachments on file.
func (s *sender) email(ctx context.Context, c *agent.Customer, dr *agent.Draft) (*agent.Email, error) {
	d := s.d
	entity := entityOf(&dr.Notice)
	from, fromName := d.Company.Email, d.Company.Name
	if es, ok := d.Entities[entity]; ok && es.Email != "" {
		from, fromName = es.Email, cmp.Or(es.Name, fromName)
	}
	e := &agent.Email{
		MessageID: dr.MessageID, Date: d.Clock.Now(), From: from, FromName: fromName,
		ReplyTo: ReplyTo(cmp.Or(d.ReplyAddress, from), dr), To: dr.To, Subject: dr.Subject, Text: dr.Text, HTML: dr.HTML,
		Language: dr.Language, DraftID: dr.ID, Entity: entity,
	}
	if dr.Kind == agent.KindNotice {
		prev, err := s.thread(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		if len(prev) > 0 {
			e.InReplyTo = prev[len(prev)-1]
			// References: the first and the last few, as RFC 5322 suggests
			// trimming long chains.
			refs := prev
			if len(refs) > 10 {
				refs = append([]string{refs[0]}, refs[len(refs)-9:]...)
			}
			e.References = refs
		}
	}
	atts, err := d.attachments(ctx, c, dr, s.withDocs == nil || s.withDocs[c.ID])
	if err != nil {
		return nil, err
	}
	e.Attachments = atts
	return e, nil
}

// ReplyTo tags the shared AR address with the notice (ar+n12.4f2a@…), so a
// reply finds its notice even when the customer's client drops the
// threading headers.
func ReplyTo(address string, dr *agent.Draft) string {
	at := strings.LastIndexByte(address, '@')
	if at < 0 {
		return address
	}
	return fmt.Sprintf("%s+n%d.%s%s", address[:at], dr.ID, token(dr.MessageID), address[at:])
}

// token is a short check so a guessed tag is not taken for a notice's.
func token(messageID string) string {
	var h uint32 = 2166136261
	for i := 0; i < len(messageID); i++ {
		h = (h ^ uint32(messageID[i])) * 16777619
	}
	return fmt.Sprintf("%04x", h&0xffff)
}

// recheck drops the notice's items that may no longer be dunned and
// refreshes open amounts; it reports whether anything changed.
// version is the current version of the customer's items when the store
// told it with the draft (else -1).
func (d *Dunning) recheck(ctx context.Context, c *agent.Customer, p *agent.Policy, dr *agent.Draft, asOf agent.Date,
	version int64) (bool, error) {
	if version >= 0 && version == dr.Basis && dr.Basis != 0 && !c.DoNotDun {
		// Nothing was imported, disputed, promised or advised since the
		// plan read the items, and time only ends promises and advices:
		// every listed item is still due as listed.
		return false, nil
	}
	current, err := d.Store.OpenItems(ctx, dr.Notice.Refs())
	if err != nil {
		return false, err
	}
	byRef := map[agent.Ref]*agent.OpenItem{}
	for i := range current {
		if current[i].DocType == agent.DocInvoice {
			byRef[current[i].Ref()] = &current[i]
		}
	}
	changed := false
	kept := dr.Notice.Items[:0:0]
	for _, it := range dr.Notice.Items {
		cur := byRef[it.Ref]
		if cur == nil || !agent.Eligible(c, p, cur, asOf) {
			changed = true
			continue
		}
		if !cur.OpenAmount.Equal(it.OpenAmount) || cur.Currency != it.Currency {
			it.OpenAmount, it.Currency = cur.OpenAmount, cur.Currency
			changed = true
		}
		kept = append(kept, it)
	}
	if changed {
		// The level stays what was planned and approved: the wording
		// follows it even if the most overdue item was paid meanwhile.
		dr.Notice.Items = kept
		dr.Notice.Recompute(p)
	}
	return changed, nil
}
