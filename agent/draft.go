package agent

import (
	"fmt"
	"time"
)

// DraftState is where a draft stands in review and delivery.
type DraftState string

const (
	Drafted   DraftState = "drafted"   // waiting for a collector
	Approved  DraftState = "approved"  // will go out when due
	Sending   DraftState = "sending"   // claimed by a sender; the server may be receiving it
	Retrying  DraftState = "retrying"  // a temporary failure; tried again after a backoff
	Delivered DraftState = "delivered" // accepted by the mail server, or written to the outbox
	Failed    DraftState = "failed"    // a permanent failure; a collector has a task
	// Uncertain: the sender died, or the connection broke, after the message
	// data went out and before the server's answer was recorded. The server
	// may have it: never sent again automatically, a collector decides.
	Uncertain DraftState = "uncertain"
	Rejected  DraftState = "rejected"  // a collector said no
	Withdrawn DraftState = "withdrawn" // the ledger made it pointless, or a newer plan replaced it
)

// transitions is the draft state machine. Terminal states have no entry.
var transitions = map[DraftState][]DraftState{
	Drafted:   {Approved, Rejected, Withdrawn},
	Approved:  {Sending, Drafted, Rejected, Withdrawn},
	Retrying:  {Sending, Drafted, Rejected, Withdrawn, Failed},
	Sending:   {Delivered, Retrying, Failed, Uncertain, Approved, Withdrawn},
	Uncertain: {Delivered, Approved, Failed, Rejected},
	Failed:    {Approved, Rejected},
}

// Pending reports whether the draft may still go out without a collector.
func (s DraftState) Pending() bool { return s == Drafted || s == Approved || s == Retrying }

// CanMove reports whether from → to is allowed.
func CanMove(from, to DraftState) bool {
	for _, s := range transitions[from] {
		if s == to {
			return true
		}
	}
	return false
}

// ErrTransition is returned for a move the state machine forbids.
type ErrTransition struct {
	ID       int64
	From, To DraftState
}

func (e *ErrTransition) Error() string {
	return fmt.Sprintf("draft %d is %s and cannot become %s", e.ID, e.From, e.To)
}

// Draft is a notice written out as an email, on its way through review and
// delivery.
type Draft struct {
	ID         int64      `json:"id"`
	Kind       string     `json:"kind"`
	CustomerID string     `json:"customer"`
	Level      int        `json:"level"`
	Template   string     `json:"template"`
	Language   string     `json:"language"`
	To         []string   `json:"to"`
	Subject    string     `json:"subject"`
	Text       string     `json:"text"`
	HTML       string     `json:"html"`
	Notice     Notice     `json:"notice"`
	State      DraftState `json:"state"`
	AsOf       Date       `json:"as_of"` // the run's date; the draft is due from then
	MessageID  string     `json:"message_id"`
	Edited     bool       `json:"edited"`
	Reason     string     `json:"reason,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
	SentAt     *time.Time `json:"sent_at,omitempty"`

	// Delivery bookkeeping.
	Attempts    int        `json:"attempts"`
	NextAttempt *time.Time `json:"next_attempt,omitempty"` // when a retrying draft is due again
	SendingAt   *time.Time `json:"sending_at,omitempty"`   // when a sender claimed it
	DataAt      *time.Time `json:"data_at,omitempty"`      // when the message data started to go out
	LastError   string     `json:"last_error,omitempty"`
	Response    string     `json:"response,omitempty"` // the server's answer on delivery

	// Basis is the store's version of the customer's items the plan read
	// (0: unknown). While the store still reports it, nothing that decides
	// eligibility changed, and the re-check before sending has nothing to
	// find.
	Basis int64 `json:"-"`
}

// Same reports whether a fresh notice says what the pending draft already
// says, so a repeated run leaves the draft (and a collector's edits) alone.
func (d *Draft) Same(n *Notice) bool {
	if d.Kind != n.Kind || d.Level != n.Level || len(d.Notice.Items) != len(n.Items) {
		return false
	}
	for i, it := range n.Items {
		o := d.Notice.Items[i]
		if o.Ref != it.Ref || o.Level != it.Level || !o.OpenAmount.Equal(it.OpenAmount) {
			return false
		}
	}
	return true
}

// Task is work for a collector: an escalation, a credit to apply, a failed
// delivery.
type Task struct {
	ID         int64     `json:"id"`
	CustomerID string    `json:"customer"`
	Kind       string    `json:"kind"`
	Level      int       `json:"level,omitempty"`
	Note       string    `json:"note"`
	Items      []Ref     `json:"items,omitempty"`
	Done       bool      `json:"done"`
	CreatedAt  time.Time `json:"created_at"`
	DueDate    Date      `json:"due_date"`
}

// Task kinds.
const (
	TaskEscalate       = "escalate"
	TaskDeliveryFailed = "delivery_failed"
	TaskUncertain      = "delivery_uncertain"
	TaskNoContact      = "no_contact"
	// TaskCashApplication: credits cover a customer's overdue total (SPEC
	// §3's credit_covers); someone should apply them.
	TaskCashApplication = "cash_application"
	// TaskPortalDispute: a customer's AP portal rejected or blocked an
	// invoice.
	TaskPortalDispute = "portal_dispute"
)

// Event is one line of the append-only audit log: every state change, who
// made it, when and why.
type Event struct {
	ID      int64     `json:"id"`
	At      time.Time `json:"at"`
	Actor   string    `json:"actor"`
	Kind    string    `json:"kind"`    // e.g. draft.approved, item.level, import.ledger
	Subject string    `json:"subject"` // e.g. draft:12, customer:C1001, item:default/C1/R-1
	Detail  string    `json:"detail,omitempty"`
}
