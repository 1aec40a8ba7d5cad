package agent

import "context"

// PortalStatus is where a customer's accounts-payable portal says an
// invoice stands.
type PortalStatus string

const (
	PortalUnknown   PortalStatus = "unknown"   // not found, or a status text no rule knows
	PortalReceived  PortalStatus = "received"  // registered, nothing decided yet
	PortalInReview  PortalStatus = "in_review" // being checked or approved
	PortalApproved  PortalStatus = "approved"  // approved for payment, no date yet
	PortalScheduled PortalStatus = "scheduled" // in a payment run on Date
	PortalPaid      PortalStatus = "paid"      // paid on Date
	PortalRejected  PortalStatus = "rejected"  // refused; Reason says why
	PortalDisputed  PortalStatus = "disputed"  // blocked or on hold; Reason says why
)

// PortalStatuses lists every status, for validation and help texts.
var PortalStatuses = []PortalStatus{PortalUnknown, PortalReceived, PortalInReview, PortalApproved, PortalScheduled,
	PortalPaid, PortalRejected, PortalDisputed}

// Valid reports whether s is one of the known statuses.
func (s PortalStatus) Valid() bool {
	for _, v := range PortalStatuses {
		if s == v {
			return true
		}
	}
	return false
}

// PortalRequest asks a customer's portal about some of its invoices: the
// numbers as the customer knows them (our invoice numbers).
type PortalRequest struct {
	CustomerID string
	Invoices   []string
}

// PortalInvoice is what the portal showed about one invoice. Documents
// carry Kind, Name, ContentType, Data and FetchedAt; the caller fills Ref,
// since only it knows the item's entity.
type PortalInvoice struct {
	Invoice    string       `json:"invoice"`
	Found      bool         `json:"found"` // the portal listed it
	Status     PortalStatus `json:"status"`
	StatusText string       `json:"status_text,omitempty"` // as the portal wrote it
	Date       Date         `json:"date"`                  // payment date for scheduled and paid
	Reason     string       `json:"reason,omitempty"`      // for rejected and disputed
	Documents  []*Document  `json:"-"`
	// Error is why this invoice's steps failed; the other invoices of the
	// same visit may still have results.
	Error string `json:"error,omitempty"`
}

// PortalResult is one visit to a customer's portal, one entry per invoice
// asked for, in the order asked.
type PortalResult struct {
	CustomerID string          `json:"customer_id"`
	Invoices   []PortalInvoice `json:"invoices"`
}

// Portal fetches invoice statuses and documents from a customer's
// accounts-payable portal (Coupa, Ariba, Basware and the like). An error
// means the visit as a whole failed (the browser, the login); a failure on
// one invoice is reported in its PortalInvoice.Error.
type Portal interface {
	Fetch(ctx context.Context, req PortalRequest) (*PortalResult, error)
}
