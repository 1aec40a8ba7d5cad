package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/dunnerhq/dunner/agent"
)

// ImportCustomers upserts master records; customers missing from the file
// are left alone, since a master file may be a partial extract. One
// statement per record, pipelined, rather than one multi-row upsert: a file
// that lists a customer twice must not fail, and the last line wins.
func (s *Store) ImportCustomers(ctx context.Context, recs []agent.CustomerRecord, at time.Time) (int, error) {
	data := make([]string, len(recs))
	for i := range recs {
		r := recs[i]
		r.Line = 0
		b, err := json.Marshal(r)
		if err != nil {
			return 0, fmt.Errorf("postgres: import customers: %w", err)
		}
		data[i] = string(b)
	}
	n := 0
	err := s.tx(ctx, func(tx pgx.Tx) error {
		n = 0
		b := &pgx.Batch{}
		for i := range recs {
			b.Queue(`INSERT INTO customers (id, data, updated_at) VALUES ($1, $2, $3)
				ON CONFLICT (id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at
				WHERE customers.data <> excluded.data`, recs[i].ID, data[i], at,
			).Exec(func(tag pgconn.CommandTag) error {
				n += int(tag.RowsAffected())
				return nil
			})
		}
		if b.Len() > 0 {
			if err := tx.SendBatch(ctx, b).Close(); err != nil {
				return err
			}
		}
		return event(ctx, tx, agent.Event{At: at, Kind: "import.customers", Subject: "customers",
			Detail: fmt.Sprintf(`{"rows":%d,"changed":%d}`, len(recs), n)})
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: import customers: %w", err)
	}
	return n, nil
}

// CustomerRecords returns imported master data, with undeliverable contacts
// flagged.
func (s *Store) CustomerRecords(ctx context.Context) (map[string]*agent.CustomerRecord, error) {
	out := map[string]*agent.CustomerRecord{}
	rows, err := s.pool.Query(ctx, `SELECT id, data::text FROM customers`)
	if err != nil {
		return nil, fmt.Errorf("postgres: customers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, data string
		if err := rows.Scan(&id, &data); err != nil {
			return nil, fmt.Errorf("postgres: customers: %w", err)
		}
		r := &agent.CustomerRecord{}
		if err := json.Unmarshal([]byte(data), r); err != nil {
			return nil, fmt.Errorf("postgres: customer %s: %w", id, err)
		}
		out[id] = r
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: customers: %w", err)
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
	rows, err := s.pool.Query(ctx, `SELECT customer_id, email FROM undeliverable ORDER BY customer_id, email`)
	if err != nil {
		return nil, fmt.Errorf("postgres: undeliverable: %w", err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var id, email string
		if err := rows.Scan(&id, &email); err != nil {
			return nil, fmt.Errorf("postgres: undeliverable: %w", err)
		}
		out[id] = append(out[id], email)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: undeliverable: %w", err)
	}
	return out, nil
}

// MarkUndeliverable flags an address of a customer after a hard bounce.
func (s *Store) MarkUndeliverable(ctx context.Context, customerID, email string, at time.Time) error {
	email = strings.ToLower(strings.TrimSpace(email))
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO undeliverable (customer_id, email, at) VALUES ($1, $2, $3)
			ON CONFLICT DO NOTHING`, customerID, email, at); err != nil {
			return err
		}
		return event(ctx, tx, agent.Event{At: at, Kind: "contact.undeliverable", Subject: "customer:" + customerID, Detail: email})
	})
	if err != nil {
		return fmt.Errorf("postgres: mark undeliverable: %w", err)
	}
	return nil
}
