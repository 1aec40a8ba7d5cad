package agent

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

// DocType is the kind of an open item.
type DocType string

const (
	DocInvoice    DocType = "invoice"
	DocCreditNote DocType = "credit_note"
	DocPayment    DocType = "payment" // unapplied cash
)

// Valid reports whether t is one of the known document types.
func (t DocType) Valid() bool {
	return t == DocInvoice || t == DocCreditNote || t == DocPayment
}

// Item is one open item of the ledger as an ERP export gives it.
type Item struct {
	Entity       string            `json:"entity"`
	CustomerID   string            `json:"customer_id"`
	CustomerName string            `json:"customer_name,omitempty"`
	Invoice      string            `json:"invoice"`
	DocType      DocType           `json:"doc_type"`
	IssueDate    Date              `json:"issue_date"`
	DueDate      Date              `json:"due_date"`
	Currency     string            `json:"currency"`
	Amount       *decimal.Decimal  `json:"amount"`
	OpenAmount   decimal.Decimal   `json:"open_amount"`
	PONumber     string            `json:"po_number,omitempty"`
	DunningBlock string            `json:"dunning_block"`
	Extra        map[string]string `json:"extra,omitempty"`

	// Line is where the item was read in its source file, for messages.
	Line int `json:"-"`
}

// Key identifies an item within a ledger: SPEC §2's (entity, customer_id,
// invoice, doc_type).
type Key struct {
	Entity, CustomerID, Invoice string
	DocType                     DocType
}

func (it *Item) Key() Key {
	return Key{it.Entity, it.CustomerID, it.Invoice, it.DocType}
}

// Ref names an item's dunning history. It leaves out the document type: the
// history belongs to the invoice number as the customer sees it.
type Ref struct {
	Entity     string `json:"entity"`
	CustomerID string `json:"customer_id"`
	Invoice    string `json:"invoice"`
}

func (it *Item) Ref() Ref { return Ref{it.Entity, it.CustomerID, it.Invoice} }

// ItemState is what Dunner knows about an item beyond the ledger: its dunning
// history and what the customer told us about it.
type ItemState struct {
	LastLevel     int    `json:"last_level"`
	LastNotice    Date   `json:"last_notice"`
	Reminded      bool   `json:"reminded"` // an upcoming reminder went out
	Disputed      bool   `json:"disputed"`
	DisputeReason string `json:"dispute_reason,omitempty"`
	PromisedDate  Date   `json:"promised_date"`
	AdvisedDate   Date   `json:"advised_date"` // payment advised (remittance, portal) for this date
}

// OpenItem is an item with its state, as the rules see it.
type OpenItem struct {
	Item
	State ItemState
}

// ItemStatus is one word for where an item stands, for people and for
// `items list`.
type ItemStatus string

const (
	StatusOpen     ItemStatus = "open"
	StatusDisputed ItemStatus = "disputed"
	StatusPromised ItemStatus = "promised"
	StatusAdvised  ItemStatus = "advised"
	StatusBlocked  ItemStatus = "blocked"
)

// Status returns the item's state on asOf under a policy's promise grace.
func (it *OpenItem) Status(asOf Date, graceDays int) ItemStatus {
	switch {
	case it.DunningBlock != "":
		return StatusBlocked
	case it.State.Disputed:
		return StatusDisputed
	case it.promised(asOf, graceDays):
		return StatusPromised
	case it.advised(asOf, graceDays):
		return StatusAdvised
	}
	return StatusOpen
}

func (it *OpenItem) promised(asOf Date, grace int) bool {
	return !it.State.PromisedDate.IsZero() && it.State.PromisedDate.AddDays(grace) >= asOf
}

func (it *OpenItem) advised(asOf Date, grace int) bool {
	return !it.State.AdvisedDate.IsZero() && it.State.AdvisedDate.AddDays(grace) >= asOf
}

// CompareKeys orders items of one entity by customer, invoice and doc type,
// byte by byte: the order of the stores' primary keys.
func CompareKeys(a, b *Item) int {
	return cmp.Or(strings.Compare(a.CustomerID, b.CustomerID), strings.Compare(a.Invoice, b.Invoice),
		strings.Compare(string(a.DocType), string(b.DocType)))
}

// SnapshotOrder stamps entity on the items of a ledger snapshot and returns
// their indexes in key order, so a store can write them the way its index
// grows. A key that occurs twice is an error.
func SnapshotOrder(items []Item, entity string) ([]int32, error) {
	order := make([]int32, len(items))
	for i := range order {
		order[i] = int32(i)
		items[i].Entity = entity
	}
	// Parsers usually hand items over in key order already.
	byKey := func(x, y int32) int { return CompareKeys(&items[x], &items[y]) }
	if !slices.IsSortedFunc(order, byKey) {
		slices.SortFunc(order, byKey)
	}
	for n := 1; n < len(order); n++ {
		if it := &items[order[n]]; CompareKeys(&items[order[n-1]], it) == 0 {
			return nil, fmt.Errorf("item %s/%s (%s) twice in one import", it.CustomerID, it.Invoice, it.DocType)
		}
	}
	return order, nil
}
