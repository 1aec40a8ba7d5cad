package agent

import (
	"bytes"
	"encoding/json"

	"github.com/shopspring/decimal"
)

// Remittance is a customer's payment advice: which invoices one payment
// covers (SPEC §4). Fields a document did not give stay zero or nil and are
// printed as null, so a reader never mistakes a guess for a printed value.
type Remittance struct {
	Payer            string
	PaymentDate      Date
	PaymentReference string
	Currency         string // ISO 4217, "" when the document does not say
	Total            *decimal.Decimal
	Lines            []RemittanceLine
	// Confidence is how sure the reader is that it read the document right,
	// 0..1: labels found, lines complete, the lines adding up to the total.
	// Matching scales its own confidence by it.
	Confidence float64
	// Source names the reader that produced the remittance (e.g.
	// "pdf/ledongthuc", "pdf/pdftotext", "csv", "xlsx", "text", "layout:NAME"),
	// for the logs and a collector's eye.
	Source string
}

// RemittanceLine is one invoice (or credit note) that a payment covers.
// Amounts are signed as the customer sees them: a credit note has a
// negative Paid.
type RemittanceLine struct {
	Invoice         string
	InvoiceDate     Date
	Gross           *decimal.Decimal
	Discount        *decimal.Decimal
	Deduction       *decimal.Decimal
	Paid            *decimal.Decimal
	DeductionReason string
	// Line is where the line was read: the line of a text or CSV file, the
	// row of a sheet, or the running line number over a PDF's pages.
	Line int
}

// Remittance error kinds (SPEC §4).
const (
	RemitInvalidPDF    = "invalid_pdf"
	RemitNoTextLayer   = "no_text_layer"
	RemitEncrypted     = "encrypted"
	RemitNotRemittance = "not_remittance"
)

// RemittanceError is a document that cannot be read as a remittance. Kind is
// one of the Remit* constants; commands exit 2 and print it as JSON.
type RemittanceError struct {
	Kind    string
	Message string
}

func (e *RemittanceError) Error() string { return e.Kind + ": " + e.Message }

func (e *RemittanceError) MarshalJSON() ([]byte, error) {
	return marshalNoEscape(struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}{e.Kind, e.Message})
}

// remittanceJSON fixes the key order of SPEC §4; pointers give null.
type remittanceJSON struct {
	Payer            *string              `json:"payer"`
	PaymentDate      Date                 `json:"payment_date"`
	PaymentReference *string              `json:"payment_reference"`
	Currency         *string              `json:"currency"`
	Total            *string              `json:"total"`
	Lines            []remittanceLineJSON `json:"lines"`
}

type remittanceLineJSON struct {
	Invoice     *string `json:"invoice"`
	InvoiceDate Date    `json:"invoice_date"`
	Gross       *string `json:"gross"`
	Discount    *string `json:"discount"`
	Deduction   *string `json:"deduction"`
	Paid        *string `json:"paid"`
}

// MarshalJSON prints SPEC §4: amounts as decimal strings with the
// currency's digits, dates ISO, anything unknown null, lines always a list.
func (r *Remittance) MarshalJSON() ([]byte, error) {
	out := remittanceJSON{
		Payer:            optString(r.Payer),
		PaymentDate:      r.PaymentDate,
		PaymentReference: optString(r.PaymentReference),
		Currency:         optString(r.Currency),
		Total:            optAmount(r.Total, r.Currency),
		Lines:            make([]remittanceLineJSON, len(r.Lines)),
	}
	for i, l := range r.Lines {
		out.Lines[i] = remittanceLineJSON{
			Invoice:     optString(l.Invoice),
			InvoiceDate: l.InvoiceDate,
			Gross:       optAmount(l.Gross, r.Currency),
			Discount:    optAmount(l.Discount, r.Currency),
			Deduction:   optAmount(l.Deduction, r.Currency),
			Paid:        optAmount(l.Paid, r.Currency),
		}
	}
	return marshalNoEscape(out)
}

// marshalNoEscape keeps "&" and "<" as they are: payer names like
// "Schäfer & Söhne KG" are printed for people and other programs, not
// embedded in HTML.
func marshalNoEscape(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func optAmount(d *decimal.Decimal, cur string) *string {
	if d == nil {
		return nil
	}
	s := FormatAmount(*d, cur)
	return &s
}

// LinesTotal adds up the paid amounts of the lines; ok is false when some
// line has no paid amount, so the sum says nothing about the payment.
func (r *Remittance) LinesTotal() (sum decimal.Decimal, ok bool) {
	ok = len(r.Lines) > 0
	for _, l := range r.Lines {
		if l.Paid == nil {
			ok = false
			continue
		}
		sum = sum.Add(*l.Paid)
	}
	return sum, ok
}
