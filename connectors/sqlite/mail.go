package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/dunnerhq/dunner/agent"
)

func (s *Store) MailCheckpoint(ctx context.Context, mailbox, folder string) (agent.Checkpoint, error) {
	var cp agent.Checkpoint
	rows, err := s.query(ctx, `SELECT uidvalidity, last_uid FROM mail_checkpoints WHERE mailbox = ? AND folder = ?`,
		mailbox, folder)
	if err != nil {
		return cp, fmt.Errorf("sqlite: checkpoint: %w", err)
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(&cp.UIDValidity, &cp.LastUID); err != nil {
			return cp, fmt.Errorf("sqlite: checkpoint: %w", err)
		}
	}
	return cp, rows.Err()
}

func (s *Store) PendingMoves(ctx context.Context, mailbox, folder string, uidValidity uint32) ([]agent.PendingMove, error) {
	rows, err := s.query(ctx, `SELECT uid, move_to FROM inbound WHERE mailbox = ? AND folder = ? AND uidvalidity = ?
		AND moved = 0 AND move_to <> '' ORDER BY uid`, mailbox, folder, uidValidity)
	if err != nil {
		return nil, fmt.Errorf("sqlite: pending moves: %w", err)
	}
	defer rows.Close()
	var out []agent.PendingMove
	for rows.Next() {
		var m agent.PendingMove
		if err := rows.Scan(&m.UID, &m.Folder); err != nil {
			return nil, fmt.Errorf("sqlite: pending moves: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

func (s *Store) SeenInbound(ctx context.Context, m *agent.InboundRecord) (bool, error) {
	var n int
	rows, err := s.query(ctx, `SELECT (SELECT COUNT(*) FROM inbound WHERE mailbox = ? AND folder = ? AND uidvalidity = ?
		AND uid = ?) + (SELECT COUNT(*) FROM inbound WHERE ? <> '' AND message_id = ? AND sha256 = ?)`,
		m.Mailbox, m.Folder, m.UIDValidity, m.UID, m.MessageID, m.MessageID, m.SHA256)
	if err != nil {
		return false, fmt.Errorf("sqlite: seen: %w", err)
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(&n); err != nil {
			return false, err
		}
	}
	return n > 0, rows.Err()
}

func (s *Store) SaveInbound(ctx context.Context, m *agent.InboundRecord) error {
	raw := m.RawGzip
	var draft any
	if m.DraftID != 0 {
		draft = m.DraftID
	}
	var received any
	if !m.Received.IsZero() {
		received = stamp(m.Received)
	}
	moved := m.MoveTo == ""
	err := s.tx(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO inbound (mailbox, folder, uidvalidity, uid, message_id, sha256,
			received_at, from_addr, subject, class, result, customer_id, draft_id, raw, size, move_to, moved, processed_at)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
			ON CONFLICT (mailbox, folder, uidvalidity, uid) DO NOTHING`,
			m.Mailbox, m.Folder, m.UIDValidity, m.UID, m.MessageID, m.SHA256, received, m.From, m.Subject, m.Class,
			string(m.Result), m.CustomerID, draft, raw, m.Size, m.MoveTo, moved, stamp(m.At))
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: save inbound: %w", err)
	}
	return nil
}

func (s *Store) SaveCheckpoint(ctx context.Context, mailbox, folder string, cp agent.Checkpoint) error {
	err := s.tx(ctx, func(tx *wtx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO mail_checkpoints (mailbox, folder, uidvalidity, last_uid) VALUES (?,?,?,?)
			ON CONFLICT (mailbox, folder) DO UPDATE SET uidvalidity = excluded.uidvalidity,
			last_uid = CASE WHEN uidvalidity = excluded.uidvalidity THEN MAX(last_uid, excluded.last_uid) ELSE excluded.last_uid END`,
			mailbox, folder, cp.UIDValidity, cp.LastUID)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: save checkpoint: %w", err)
	}
	return nil
}

func (s *Store) MarkMoved(ctx context.Context, mailbox, folder string, uidValidity uint32, uids []uint32) error {
	err := s.tx(ctx, func(tx *wtx) error {
		for _, uid := range uids {
			if _, err := tx.ExecContext(ctx, `UPDATE inbound SET moved = 1 WHERE mailbox = ? AND folder = ?
				AND uidvalidity = ? AND uid = ?`, mailbox, folder, uidValidity, uid); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: mark moved: %w", err)
	}
	return nil
}

func (s *Store) PauseCustomer(ctx context.Context, customerID string, until agent.Date, ev agent.Event) error {
	err := s.tx(ctx, func(tx *wtx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO customer_state (customer_id, paused_until) VALUES (?, ?)
			ON CONFLICT (customer_id) DO UPDATE SET paused_until = excluded.paused_until`, customerID, date(until)); err != nil {
			return err
		}
		if ev.Subject == "" {
			ev.Subject = "customer:" + customerID
		}
		return event(ctx, tx, ev)
	})
	if err != nil {
		return fmt.Errorf("sqlite: pause customer: %w", err)
	}
	return nil
}

func (s *Store) DraftByMessageID(ctx context.Context, messageID string) (*agent.Draft, error) {
	st, err := s.stmt(ctx, `SELECT `+draftColumns+draftFrom+` WHERE d.message_id = ?`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: draft by message id: %w", err)
	}
	d, err := scanDraft(st.QueryRowContext(ctx, messageID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("message %s: %w", messageID, agent.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: draft by message id: %w", err)
	}
	return d, nil
}

// ItemsByInvoice finds open items by number across customers. An index
// on the number would cost a ledger import dearly (its keys arrive in no
// order), so the numbers are kept in memory instead, built on first use
// and again after an import or a few minutes; each hit is then read by key.
func (s *Store) ItemsByInvoice(ctx context.Context, invoices []string) ([]agent.OpenItem, error) {
	idx, err := s.invoiceIndex(ctx)
	if err != nil {
		return nil, fmt.Errorf("sqlite: items by invoice: %w", err)
	}
	var refs []agent.Ref
	for _, inv := range invoices {
		refs = append(refs, idx[inv]...)
	}
	if len(refs) == 0 {
		return nil, nil
	}
	return s.OpenItems(ctx, refs)
}

func (s *Store) invoiceIndex(ctx context.Context) (map[string][]agent.Ref, error) {
	s.invMu.Lock()
	defer s.invMu.Unlock()
	if s.invIdx != nil && time.Since(s.invBuilt) < 5*time.Minute {
		return s.invIdx, nil
	}
	rows, err := s.query(ctx, `SELECT DISTINCT customer_id, entity, invoice FROM items WHERE open = 1`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	idx := map[string][]agent.Ref{}
	for rows.Next() {
		var r agent.Ref
		if err := rows.Scan(&r.CustomerID, &r.Entity, &r.Invoice); err != nil {
			return nil, err
		}
		idx[r.Invoice] = append(idx[r.Invoice], r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	s.invIdx, s.invBuilt = idx, time.Now()
	return idx, nil
}
