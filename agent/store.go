package agent

import (
	"context"
	"errors"
	"time"

	"github.com/shopspring/decimal"
)

// ErrNotFound is returned when a looked-up record does not exist.
var ErrNotFound = errors.New("not found")

// ImportStats counts what a ledger import changed.
type ImportStats struct {
	Rows      int `json:"rows"`
	Added     int `json:"added"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Reopened  int `json:"reopened"`
	Closed    int `json:"closed"`
}

// InboundRecord is a processed inbound message as the store keeps it.
type InboundRecord struct {
	Mailbox, Folder string
	UIDValidity     uint32
	UID             uint32
	MessageID       string
	SHA256          string
	Received        time.Time
	From, Subject   string
	Class           string
	Result          []byte // JSON
	CustomerID      string
	DraftID         int64
	RawGzip         []byte // the message as received, gzipped: kept for audit
	Size            int64
	MoveTo          string
	At              time.Time
}

// CustomerItems is one customer's open items with their state.
type CustomerItems struct {
	CustomerID string
	Entity     string // first entity seen; informational
	LastNotice Date   // last notice sent to the customer
	// PausedUntil: no notice before this date (an out-of-office reply).
	PausedUntil Date
	// Version tells whether anything that decides the items' eligibility
	// changed since (ledger imports, disputes, promises, advices): stores
	// that keep it give a number that moves with every such change; 0
	// means unknown.
	Version int64
	Items   []OpenItem
}

// ItemLevel records a level reached by an item.
type ItemLevel struct {
	Ref   Ref
	Level int
	On    Date // the notice's (or escalation's) date
}

// RunResult is what a dunning run writes in one transaction.
type RunResult struct {
	At     time.Time
	Actor  string
	Drafts []*Draft // new drafts; IDs are filled in
	// Supersede lists pending drafts a newer plan replaces.
	Supersede []int64
	Tasks     []*Task
	Levels    []ItemLevel // levels recorded at once (escalations)
}

// Delivery is what sending one draft records in one transaction.
type Delivery struct {
	DraftID    int64
	From       DraftState // "" means Sending; Uncertain when a collector confirms
	Response   string     // the server's answer
	At         time.Time
	DataAt     *time.Time // when the message data started to go out, if known
	Date       Date       // the send date in the customer's zone
	Actor      string
	Levels     []ItemLevel // items that needed the notice, at their next level
	Reminded   []Ref       // items an upcoming reminder covered
	StartClock bool        // a dunning notice restarts min_days_between
	CustomerID string
}

// Delivery is what delivering d on date on records: an upcoming reminder
// marks its items reminded; a notice moves each item that needed it to its
// next level and restarts the customer's min_days_between clock.
func (d *Draft) Delivery(on Date, at time.Time, actor, response string) Delivery {
	dl := Delivery{DraftID: d.ID, At: at, Date: on, Actor: actor, CustomerID: d.CustomerID,
		StartClock: d.Kind == KindNotice, Response: response, DataAt: d.DataAt}
	for _, it := range d.Notice.Items {
		switch {
		case d.Kind == KindUpcoming:
			dl.Reminded = append(dl.Reminded, it.Ref)
		case it.Needs:
			dl.Levels = append(dl.Levels, ItemLevel{Ref: it.Ref, Level: it.Level, On: on})
		}
	}
	return dl
}

// DraftFilter selects drafts; zero fields match all.
type DraftFilter struct {
	States     []DraftState
	CustomerID string
	Kind       string
	DueBy      Date // AsOf ≤ DueBy
}

// Claim is one draft a sender takes: the compare-and-set of Store.Claim.
type Claim struct {
	ID       int64
	From     DraftState
	Attempts int
}

// DraftHead is a draft without its bodies: what a send pass needs to pick
// its work, at a fraction of the reading.
type DraftHead struct {
	ID          int64
	CustomerID  string
	Kind        string
	State       DraftState
	AsOf        Date
	MessageID   string
	NextAttempt *time.Time
	SendingAt   *time.Time
	DataAt      *time.Time
}

// Document is a file on record for an item: an invoice copy, a proof of
// delivery.
type Document struct {
	Ref         Ref
	Kind        string // invoice_copy, pod
	Name        string
	ContentType string
	Data        []byte
	FetchedAt   time.Time
}

// Store keeps the ledger, the dunning state, drafts, tasks and the event log.
// Implementations: connectors/sqlite, connectors/postgres; agent/storetest
// holds the conformance suite every implementation passes.
type Store interface {
	// ImportLedger replaces the entity's open items with items: SPEC §2's
	// full snapshot. Items missing from it are closed; history is kept.
	ImportLedger(ctx context.Context, entity string, items []Item, at time.Time) (ImportStats, error)
	// ImportCustomers upserts customer master records.
	ImportCustomers(ctx context.Context, recs []CustomerRecord, at time.Time) (int, error)
	// CustomerRecords returns the imported master data by customer ID.
	CustomerRecords(ctx context.Context) (map[string]*CustomerRecord, error)
	// MarkUndeliverable flags a contact address of a customer.
	MarkUndeliverable(ctx context.Context, customerID, email string, at time.Time) error

	// ScanOpenItems calls fn for each customer with open items, in
	// customer order; customerID "" means all customers.
	ScanOpenItems(ctx context.Context, customerID string, fn func(*CustomerItems) error) error
	// OpenItem returns one open item by its history key.
	OpenItems(ctx context.Context, refs []Ref) ([]OpenItem, error)

	// SetDispute, SetPromise and SetAdvice record what a customer said about
	// an item; a zero date clears a promise or advice.
	SetDispute(ctx context.Context, ref Ref, disputed bool, reason string, ev Event) error
	SetPromise(ctx context.Context, ref Ref, date Date, ev Event) error
	SetAdvice(ctx context.Context, ref Ref, date Date, ev Event) error

	// SaveRun writes a run's drafts, tasks and levels.
	SaveRun(ctx context.Context, r *RunResult) error
	Draft(ctx context.Context, id int64) (*Draft, error)
	Drafts(ctx context.Context, f DraftFilter) ([]*Draft, error)
	// DraftHeads lists drafts without their bodies, in ID order.
	DraftHeads(ctx context.Context, f DraftFilter) ([]DraftHead, error)
	// Claim moves a draft from `from` to sending for attempt number
	// attempts, without rewriting its content; *ErrTransition if another
	// sender was first.
	Claim(ctx context.Context, id int64, from DraftState, attempts int, at time.Time, actor string) error
	// DataStarted records that the message data is about to go out: once
	// it returns, a crash leaves the draft uncertain, never sent again. A
	// store may show it in reads a little later (SQLite journals it first).
	DataStarted(ctx context.Context, id int64, at time.Time) error
	// UpdateDraft stores d's content and moves it from state `from` to
	// d.State. It fails with *ErrTransition if the draft is no longer in
	// `from` (another process moved it) or the move is forbidden.
	UpdateDraft(ctx context.Context, d *Draft, from DraftState, ev Event) error
	// Delivered marks a sending draft delivered and records its effects.
	Delivered(ctx context.Context, d Delivery) error

	PutDocument(ctx context.Context, d *Document) error
	// Documents returns the documents on file for the given items.
	Documents(ctx context.Context, refs []Ref) ([]*Document, error)

	Tasks(ctx context.Context, customerID string) ([]*Task, error)

	// MailCheckpoint says how far a folder was read; PendingMoves lists
	// processed messages not yet filed on the server.
	MailCheckpoint(ctx context.Context, mailbox, folder string) (Checkpoint, error)
	PendingMoves(ctx context.Context, mailbox, folder string, uidValidity uint32) ([]PendingMove, error)
	// SeenInbound reports whether m was processed before: the same UID of
	// the same folder (a poll cut short), or the same Message-ID and
	// content under any UID (the folder renumbered, or the mail copied).
	SeenInbound(ctx context.Context, m *InboundRecord) (bool, error)
	// SaveInbound records a processed message. It does not move the
	// folder's checkpoint: messages of one batch are saved in parallel, and
	// the checkpoint may only pass a UID once every message below it is
	// saved (SaveCheckpoint).
	SaveInbound(ctx context.Context, m *InboundRecord) error
	SaveCheckpoint(ctx context.Context, mailbox, folder string, cp Checkpoint) error
	MarkMoved(ctx context.Context, mailbox, folder string, uidValidity uint32, uids []uint32) error
	// Invoiced sums, per currency, the gross amount of invoices issued on
	// or after since, open or paid: the sales side of DSO.
	Invoiced(ctx context.Context, since Date) (map[string]decimal.Decimal, error)
	// DraftByMessageID finds the notice a reply refers to.
	DraftByMessageID(ctx context.Context, messageID string) (*Draft, error)
	// ItemsByInvoice returns open items with these invoice numbers, any
	// customer.
	ItemsByInvoice(ctx context.Context, invoices []string) ([]OpenItem, error)
	// PauseCustomer holds a customer's notices until a date (zero clears).
	PauseCustomer(ctx context.Context, customerID string, until Date, ev Event) error
	Events(ctx context.Context, subject string) ([]Event, error)

	Close() error
}
