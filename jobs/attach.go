package jobs

import (
	"context"
	"fmt"

	"github.com/dunnerhq/dunner/agent"
	"github.com/dunnerhq/dunner/templates"
)

// statementNames are the attachment names a customer reads in its language.
var statementNames = map[string]string{"en": "Statement", "es": "Estado-de-cuenta", "de": "Kontoauszug"}

// attachments returns the files that go with a notice: the documents on
// file for its items (invoice copies, PODs) and, when configured, an
// account statement in the customer's language. mayHaveDocs false says the
// customer has no document on file.
func (d *Dunning) attachments(ctx context.Context, c *agent.Customer, dr *agent.Draft, mayHaveDocs bool) ([]agent.Attachment, error) {
	var out []agent.Attachment
	if mayHaveDocs {
		docs, err := d.Store.Documents(ctx, dr.Notice.Refs())
		if err != nil {
			return nil, err
		}
		for _, doc := range docs {
			out = append(out, agent.Attachment{Name: doc.Name, ContentType: doc.ContentType, Data: doc.Data})
		}
	}
	if !d.AttachStatement || dr.Kind != agent.KindNotice {
		return out, nil
	}
	var credits []agent.NoticeItem
	err := d.Store.ScanOpenItems(ctx, c.ID, func(ci *agent.CustomerItems) error {
		for _, it := range ci.Items {
			if it.DocType != agent.DocInvoice && it.OpenAmount.IsNegative() {
				credits = append(credits, agent.NoticeItem{Ref: it.Ref(), DocType: it.DocType, IssueDate: it.IssueDate,
					DueDate: it.DueDate, Currency: it.Currency, OpenAmount: it.OpenAmount})
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	pdf, err := templates.Statement(templates.StatementData{Company: d.Company, CustomerID: c.ID,
		CustomerName: c.Name, Language: dr.Language, AsOf: dr.AsOf, Items: dr.Notice.Items, Credits: credits,
		Totals: dr.Notice.Totals})
	if err != nil {
		return nil, fmt.Errorf("statement for %s: %w", c.ID, err)
	}
	name := statementNames[dr.Language]
	if name == "" {
		name = statementNames["en"]
	}
	return append(out, agent.Attachment{Name: fmt.Sprintf("%s-%s-%s.pdf", name, c.ID, dr.AsOf),
		ContentType: "application/pdf", Data: pdf}), nil
}
