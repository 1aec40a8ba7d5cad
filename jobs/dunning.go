// Package jobs holds Dunner's use cases as they run on a schedule or once
// from the command line: plan a dunning run, send what is approved.
//
// It knows the domain (agent) and the templates, never a connector: the
// store and the mailer come in as interfaces from cmd/dunner.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/dunnerhq/dunner/agent"
	"github.com/dunnerhq/dunner/templates"
	"github.com/shopspring/decimal"
)

// EntitySender is how one legal entity signs its mail.
type EntitySender struct {
	Name, Email, Domain string
}

// entityOf is the legal entity a notice is from: its first item's.
func entityOf(n *agent.Notice) string {
	if len(n.Items) == 0 {
		return ""
	}
	return n.Items[0].Ref.Entity
}

// Dunning plans, drafts and sends notices.
type Dunning struct {
	Store    agent.Store
	Mailer   agent.Mailer
	Renderer *templates.Renderer
	Clock    agent.Clock
	Log      *slog.Logger

	Policies   map[string]*agent.Policy
	Configured map[string]*agent.CustomerRecord // the config's customers
	Defaults   agent.CustomerRecord
	Company    templates.Company
	// Domain is the right-hand side of our Message-IDs; Entities overrides
	// the sender and domain for entities with mail of their own.
	Domain   string
	Entities map[string]EntitySender
	// ReplyAddress is the shared AR mailbox replies go to (tagged per
	// notice); default Company.Email.
	ReplyAddress string
	// Zone is the company's time zone: "today" for commands that are not
	// about one customer.
	Zone *time.Location
	// Actor is who the audit log names for automatic changes.
	Actor string
	// Window, when set, says whether a customer may be mailed at t (its
	// business hours and holidays).
	Window func(c *agent.Customer, t time.Time) bool
	// ParseMail reads a raw message (a MIME connector).
	ParseMail func(r io.Reader, maxBytes int64) (*agent.InboundMessage, error)
	// ParseRemittance reads a remittance document: PDF, CSV or XLSX (a
	// connector). RemittanceThreshold is the confidence from which a match
	// is applied without a collector (default 0.8).
	ParseRemittance     func(data []byte, name string) (*agent.Remittance, error)
	ParseRemittanceText func(text string) (*agent.Remittance, error) // a table in an email body
	RemittanceThreshold float64
	// AttachStatement adds an account statement PDF to every notice.
	AttachStatement bool
	// Sent, when set, gets a copy of every delivered message; a failure
	// there is logged, never a reason to send again.
	Sent agent.SentFolder
}

func (d *Dunning) log() *slog.Logger {
	if d.Log == nil {
		return slog.Default()
	}
	return d.Log
}

func (d *Dunning) actor() string {
	if d.Actor == "" {
		return "dunner"
	}
	return d.Actor
}

// customerSource resolves customers from the imported master, the config
// and the defaults.
type customerSource struct {
	imported map[string]*agent.CustomerRecord
	d        *Dunning
}

func (d *Dunning) customers(ctx context.Context) (*customerSource, error) {
	imp, err := d.Store.CustomerRecords(ctx)
	if err != nil {
		return nil, err
	}
	return &customerSource{imported: imp, d: d}, nil
}

func (cs *customerSource) get(id string) (*agent.Customer, *agent.Policy, error) {
	c, err := agent.Resolve(id, cs.imported[id], cs.d.Configured[id], cs.d.Defaults)
	if err != nil {
		return nil, nil, err
	}
	p := cs.d.Policies[c.Policy]
	if p == nil {
		return nil, nil, fmt.Errorf("customer %s: unknown policy %q", id, c.Policy)
	}
	return &c, p, nil
}

// asOf is the date a customer is judged on: the replayed date, or today in
// the customer's own zone.
func (d *Dunning) asOf(given agent.Date, c *agent.Customer) agent.Date {
	if !given.IsZero() {
		return given
	}
	return agent.Today(d.Clock, c.Location)
}

// Today is the company's current date.
func (d *Dunning) Today() agent.Date {
	if d.Zone == nil {
		return agent.Today(d.Clock, time.UTC)
	}
	return agent.Today(d.Clock, d.Zone)
}

// ForEachPlan plans every customer (or one) and hands each decision to fn,
// in customer order. Reading the store and planning overlap: one goroutine
// scans while the caller's goroutine plans and writes.
func (d *Dunning) ForEachPlan(ctx context.Context, asOf agent.Date, customerID string,
	fn func(*agent.Customer, *agent.Policy, agent.CustomerPlan) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// The scan starts first and runs ahead while the customer master loads.
	ch := make(chan *agent.CustomerItems, 16384)
	scanErr := make(chan error, 1)
	go func() {
		defer close(ch)
		scanErr <- d.Store.ScanOpenItems(ctx, customerID, func(ci *agent.CustomerItems) error {
			select {
			case ch <- ci:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	cs, err := d.customers(ctx)
	if err != nil {
		cancel()
		for range ch {
		}
		return err
	}
	bad := 0
	var fnErr error
	for ci := range ch {
		if fnErr != nil {
			continue // drain so the scanner can finish
		}
		c, p, err := cs.get(ci.CustomerID)
		if err != nil {
			// One broken master record must not stop everyone else's run.
			bad++
			d.log().Error("customer skipped", "customer", ci.CustomerID, "err", err)
			continue
		}
		on := d.asOf(asOf, c)
		cp := agent.PlanCustomer(c, p, ci.Items, ci.LastNotice, on)
		cp.Basis = ci.Version
		if cp.Notice != nil && !ci.PausedUntil.IsZero() && on < ci.PausedUntil {
			// An out-of-office reply said when they are back: the notice
			// waits, as after any recent contact.
			cp.Notice, cp.Skip = nil, &agent.Skip{CustomerID: c.ID, Reason: agent.SkipRecentlyContacted}
		}
		if fnErr = fn(c, p, cp); fnErr != nil {
			cancel()
		}
	}
	if fnErr != nil {
		return fnErr
	}
	if err := <-scanErr; err != nil {
		return err
	}
	if bad > 0 {
		d.log().Warn("customers skipped for bad master data", "count", bad)
	}
	return nil
}

// Plan computes the whole run without writing anything. With onNotice set,
// notices are handed to it as they are made and not kept in the plan.
func (d *Dunning) Plan(ctx context.Context, asOf agent.Date, onNotice func(*agent.Notice) error) (*agent.Plan, error) {
	plan := &agent.Plan{AsOf: asOf}
	if asOf.IsZero() {
		plan.AsOf = d.Today()
	}
	err := d.ForEachPlan(ctx, asOf, "", func(_ *agent.Customer, _ *agent.Policy, cp agent.CustomerPlan) error {
		if cp.Notice != nil && onNotice != nil {
			if err := onNotice(cp.Notice); err != nil {
				return err
			}
			cp.Notice = nil
		}
		plan.Add(cp)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	plan.Sort()
	return plan, nil
}

// RunSummary counts what a run wrote.
type RunSummary struct {
	Drafted     int `json:"drafted"`  // held for review
	Approved    int `json:"approved"` // approved at once
	Kept        int `json:"kept"`     // an identical pending draft already existed
	Superseded  int `json:"superseded"`
	Escalations int `json:"escalations"`
	Skipped     int `json:"skipped"`
}

// runBatch bounds memory and transaction size on large ledgers.
const runBatch = 1000

// Run plans and writes drafts, tasks and levels. It is idempotent: run twice
// on the same date, the second run keeps the drafts the first one wrote.
func (d *Dunning) Run(ctx context.Context, asOf agent.Date) (*agent.Plan, RunSummary, error) {
	var sum RunSummary
	pending, err := d.Store.Drafts(ctx, agent.DraftFilter{States: []agent.DraftState{agent.Drafted, agent.Approved}})
	if err != nil {
		return nil, sum, fmt.Errorf("run: %w", err)
	}
	byCustomer := map[string]*agent.Draft{}
	for _, dr := range pending {
		byCustomer[dr.CustomerID+"\x00"+dr.Kind] = dr
	}
	now := d.Clock.Now()
	plan := &agent.Plan{AsOf: asOf}
	if asOf.IsZero() {
		plan.AsOf = d.Today()
	}
	batch := &agent.RunResult{At: now, Actor: d.actor()}
	flush := func() error {
		if len(batch.Drafts)+len(batch.Tasks)+len(batch.Levels)+len(batch.Supersede) == 0 {
			return nil
		}
		if err := d.Store.SaveRun(ctx, batch); err != nil {
			return err
		}
		batch = &agent.RunResult{At: now, Actor: d.actor()}
		return nil
	}
	n := 0
	err = d.ForEachPlan(ctx, asOf, "", func(c *agent.Customer, p *agent.Policy, cp agent.CustomerPlan) error {
		plan.Add(cp)
		if cp.Skip != nil {
			sum.Skipped++
		}
		if cp.Skip != nil && cp.Skip.Reason == agent.SkipCreditCovers {
			t, err := d.cashApplication(ctx, c, cp.Covered, plan.AsOf)
			if err != nil {
				return err
			}
			if t != nil {
				batch.Tasks = append(batch.Tasks, t)
			}
		}
		for _, ref := range cp.BrokenPromises {
			// Cleared so the task is raised once; the item is dunned again.
			if err := d.Store.SetPromise(ctx, ref, 0, agent.Event{At: now, Actor: d.actor(), Kind: "promise.broken"}); err != nil {
				return err
			}
			batch.Tasks = append(batch.Tasks, &agent.Task{CustomerID: c.ID, Kind: "broken_promise", Items: []agent.Ref{ref},
				DueDate: plan.AsOf, Note: fmt.Sprintf("%s promised to pay %s and has not: the item is dunned again.", c.ID, ref.Invoice)})
		}
		for _, notice := range []*agent.Notice{cp.Notice, cp.Upcoming} {
			if notice == nil {
				continue
			}
			old := byCustomer[c.ID+"\x00"+notice.Kind]
			if old != nil && old.Same(notice) {
				sum.Kept++
				continue
			}
			if old != nil {
				batch.Supersede = append(batch.Supersede, old.ID)
				sum.Superseded++
			}
			dr, err := d.draft(c, p, notice)
			if err != nil {
				return err
			}
			dr.Basis = cp.Basis
			if dr.State == agent.Drafted {
				sum.Drafted++
			} else {
				sum.Approved++
			}
			batch.Drafts = append(batch.Drafts, dr)
		}
		if e := cp.Escalation; e != nil {
			sum.Escalations++
			t := &agent.Task{CustomerID: c.ID, Kind: agent.TaskEscalate, Level: e.Level, DueDate: e.AsOf,
				Note: escalationNote(c, e)}
			for _, it := range e.Items {
				t.Items = append(t.Items, it.Ref)
				if it.Needs {
					batch.Levels = append(batch.Levels, agent.ItemLevel{Ref: it.Ref, Level: it.Level, On: e.AsOf})
				}
			}
			batch.Tasks = append(batch.Tasks, t)
		}
		if n++; n%runBatch == 0 {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return nil, sum, fmt.Errorf("run: %w", err)
	}
	plan.Sort()
	d.log().Info("run done", "as_of", plan.AsOf.String(), "drafted", sum.Drafted, "approved", sum.Approved,
		"kept", sum.Kept, "superseded", sum.Superseded, "escalations", sum.Escalations, "skipped", sum.Skipped)
	return plan, sum, nil
}

// cashApplication is the task that flags a customer whose credits cover
// the overdue total (SPEC §3: credit_covers), unless one is still open.
func (d *Dunning) cashApplication(ctx context.Context, c *agent.Customer, refs []agent.Ref, on agent.Date) (*agent.Task, error) {
	tasks, err := d.Store.Tasks(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	for _, t := range tasks {
		if t.Kind == agent.TaskCashApplication && !t.Done {
			return nil, nil
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Apply the credits of %s (%s): they cover the overdue total, so no notice goes out. Items:", c.ID, c.Name)
	for i, r := range refs {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(" " + r.Invoice)
	}
	return &agent.Task{CustomerID: c.ID, Kind: agent.TaskCashApplication, Items: refs, DueDate: on, Note: b.String()}, nil
}

func escalationNote(c *agent.Customer, e *agent.Escalation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Escalate %s (%s): level %d reached for", c.ID, c.Name, e.Level)
	for i, it := range e.Items {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, " %s (%d days, %s %s)", it.Ref.Invoice, it.DaysPastDue,
			agent.FormatAmount(it.OpenAmount, it.Currency), it.Currency)
	}
	return b.String()
}

// draft renders a notice into a draft.
func (d *Dunning) draft(c *agent.Customer, p *agent.Policy, n *agent.Notice) (*agent.Draft, error) {
	msg, err := d.render(c, p, n)
	if err != nil {
		return nil, err
	}
	state := agent.Approved
	if n.Hold {
		state = agent.Drafted
	}
	return &agent.Draft{
		Kind: n.Kind, CustomerID: c.ID, Level: n.Level, Template: n.Template, Language: n.Language,
		To: n.To, Subject: msg.Subject, Text: msg.Text, HTML: msg.HTML, Notice: *n, State: state,
		AsOf: n.AsOf, MessageID: d.newMessageID(entityOf(n)),
	}, nil
}

func (d *Dunning) render(c *agent.Customer, p *agent.Policy, n *agent.Notice) (templates.Message, error) {
	name := n.Template
	if o := c.Templates[name]; o != "" {
		name = o
	}
	data := templates.Data{Company: d.Company, Notice: n, PaymentDays: 7}
	if lv := p.Level(n.Level); lv != nil && n.Kind == agent.KindNotice {
		data.Fee, data.InterestRate = lv.Fee, lv.Interest
	} else {
		data.Fee, data.InterestRate = decimal.Zero, decimal.Zero
	}
	msg, err := d.Renderer.Render(name, n.Language, data)
	if err != nil && name != n.Template && errors.Is(err, templates.ErrNotFound) {
		// The customer's own wording is not on file: one customer's
		// missing file must not stop the run for everyone, and the
		// policy's template says the same thing.
		d.log().Warn("customer template not found; using the policy's", "customer", c.ID,
			"template", name, "language", n.Language, "instead", n.Template)
		name = n.Template
		msg, err = d.Renderer.Render(name, n.Language, data)
	}
	if err != nil {
		return msg, fmt.Errorf("customer %s: template %s/%s: %w", c.ID, name, n.Language, err)
	}
	return msg, nil
}

func (d *Dunning) newMessageID(entity string) string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	domain := d.Domain
	if e, ok := d.Entities[entity]; ok && e.Domain != "" {
		domain = e.Domain
	}
	if domain == "" {
		domain = "dunner.invalid"
	}
	return "dunner." + hex.EncodeToString(b[:]) + "@" + domain
}
