package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/dunnerhq/dunner/agent"
)

// ImportCustomers upserts master records; customers missing from the file
// are left alone, since a master file may be a partial extract.
func (s *Store) ImportCustomers(ctx context.Context, recs []agent.CustomerRecord, at time.Time) (int, error) {
	n := 0
	err := s.tx(ctx, func(tx *wtx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO customers (id, data, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at
			WHERE data <> excluded.data`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		now := stamp(at)
		for i := range recs {
			r := recs[i]
			r.Line = 0
			b, err := json.Marshal(r)
			if err != nil {
				return err
			}
			res, err := stmt.ExecContext(ctx, r.ID, string(b), now)
			if err != nil {
				return err
			}
			c, _ := res.RowsAffected()
			n += int(c)
		}
		return event(ctx, tx, agent.Event{At: at, Kind: "import.customers", Subject: "customers",
			Detail: fmt.Sprintf(`{"rows":%d,"changed":%d}`, len(recs), n)})
	})
	if err != nil {
		return 0, fmt.Errorf("sqlite: import customers: %w", err)
	}
	return n, nil
}

// CustomerRecords returns imported master data, with undeliverable contacts
// flagged.
func (s *Store) CustomerRecords(ctx context.Context) (map[string]*agent.CustomerRecord, error) {
	out := map[string]*agent.CustomerRecord{}
	rows, err := s.db.QueryContext(ctx, `SELECT id, data FROM customers`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: customers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var data []byte
		if err := rows.Scan(&id, &data); err != nil {
			return nil, fmt.Errorf("sqlite: customers: %w", err)
		}
		r := &agent.CustomerRecord{}
		// Every customer, before a send pass's first notice.
		if err := unmarshalJSON(data, r); err != nil {
			return nil, fmt.Errorf("sqlite: customer %s: %w", id, err)
		}
		out[id] = r
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: customers: %w", err)
	}
	bad, err := s.undeliverable(ctx)
	if err != nil {
		return nil, err
	}
	for id, emails := range bad {
		r := out[id]
		if r == nil {
			r = &agent.CustomerRecord{ID: id}
			out[id] = r
		}
		// Kept apart from the contacts: the config may list the same address,
		// and a bounce must mark it wherever it comes from.
		r.Undeliverable = emails
	}
	return out, nil
}

func (s *Store) undeliverable(ctx context.Context) (map[string][]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT customer_id, email FROM undeliverable ORDER BY customer_id, email`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: undeliverable: %w", err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var id, email string
		if err := rows.Scan(&id, &email); err != nil {
			return nil, fmt.Errorf("sqlite: undeliverable: %w", err)
		}
		out[id] = append(out[id], email)
	}
	return out, rows.Err()
}

// MarkUndeliverable flags an address of a customer after a hard bounce.
func (s *Store) MarkUndeliverable(ctx context.Context, customerID, email string, at time.Time) error {
	email = strings.ToLower(strings.TrimSpace(email))
	err := s.tx(ctx, func(tx *wtx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO undeliverable (customer_id, email, at) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, customerID, email, stamp(at)); err != nil {
			return err
		}
		return event(ctx, tx, agent.Event{At: at, Kind: "contact.undeliverable", Subject: "customer:" + customerID, Detail: email})
	})
	if err != nil {
		return fmt.Errorf("sqlite: mark undeliverable: %w", err)
	}
	return nil
}
