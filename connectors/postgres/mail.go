package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/dunnerhq/dunner/agent"
)

func (s *Store) MailCheckpoint(ctx context.Context, mailbox, folder string) (agent.Checkpoint, error) {
	var cp agent.Checkpoint
	err := s.pool.QueryRow(ctx, `SELECT uidvalidity, last_uid FROM mail_checkpoints WHERE mailbox = $1 AND folder = $2`,
		mailbox, folder).Scan(&cp.UIDValidity, &cp.LastUID)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return agent.Checkpoint{}, fmt.Errorf("postgres: checkpoint: %w", err)
	}
	return cp, nil
}

func (s *Store) PendingMoves(ctx context.Context, mailbox, folder string, uidValidity uint32) ([]agent.PendingMove, error) {
	rows, err := s.pool.Query(ctx, `SELECT uid, move_to FROM inbound WHERE mailbox = $1 AND folder = $2
		AND uidvalidity = $3 AND NOT moved AND move_to <> '' ORDER BY uid`, mailbox, folder, int64(uidValidity))
	if err != nil {
		return nil, fmt.Errorf("postgres: pending moves: %w", err)
	}
	defer rows.Close()
	var out []agent.PendingMove
	for rows.Next() {
		var m agent.PendingMove
		if err := rows.Scan(&m.UID, &m.Folder); err != nil {
			return nil, fmt.Errorf("postgres: pending moves: %w", err)
		}
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: pending moves: %w", err)
	}
	return out, nil
}

func (s *Store) SeenInbound(ctx context.Context, m *agent.InboundRecord) (bool, error) {
	var seen bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM inbound WHERE mailbox = $1 AND folder = $2
		AND uidvalidity = $3 AND uid = $4) OR ($5 <> '' AND EXISTS (SELECT 1 FROM inbound WHERE message_id = $5
		AND sha256 = $6))`, m.Mailbox, m.Folder, int64(m.UIDValidity), int64(m.UID), m.MessageID, m.SHA256).Scan(&seen); err != nil {
		return false, fmt.Errorf("postgres: seen: %w", err)
	}
	return seen, nil
}

func (s *Store) SaveInbound(ctx context.Context, m *agent.InboundRecord) error {
	raw := m.RawGzip
	var draft, received any
	if m.DraftID != 0 {
		draft = m.DraftID
	}
	if !m.Received.IsZero() {
		received = m.Received
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO inbound (mailbox, folder, uidvalidity, uid, message_id, sha256,
		received_at, from_addr, subject, class, result, customer_id, draft_id, raw, size, move_to, moved, processed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
		ON CONFLICT (mailbox, folder, uidvalidity, uid) DO NOTHING`,
		m.Mailbox, m.Folder, int64(m.UIDValidity), int64(m.UID), m.MessageID, m.SHA256, received, m.From, m.Subject,
		m.Class, nullText(string(m.Result)), m.CustomerID, draft, raw, m.Size, m.MoveTo, m.MoveTo == "", m.At)
	if err != nil {
		return fmt.Errorf("postgres: save inbound: %w", err)
	}
	return nil
}

// SaveCheckpoint moves a folder's checkpoint forward, never back (unless
// the folder's UIDVALIDITY changed): two daemons reading one folder may
// finish their batches out of order.
func (s *Store) SaveCheckpoint(ctx context.Context, mailbox, folder string, cp agent.Checkpoint) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO mail_checkpoints (mailbox, folder, uidvalidity, last_uid) VALUES ($1, $2, $3, $4)
		ON CONFLICT (mailbox, folder) DO UPDATE SET uidvalidity = excluded.uidvalidity,
		last_uid = CASE WHEN mail_checkpoints.uidvalidity = excluded.uidvalidity
			THEN GREATEST(mail_checkpoints.last_uid, excluded.last_uid) ELSE excluded.last_uid END`,
		mailbox, folder, int64(cp.UIDValidity), int64(cp.LastUID))
	if err != nil {
		return fmt.Errorf("postgres: save checkpoint: %w", err)
	}
	return nil
}

func (s *Store) MarkMoved(ctx context.Context, mailbox, folder string, uidValidity uint32, uids []uint32) error {
	if len(uids) == 0 {
		return nil
	}
	ids := make([]int64, len(uids))
	for i, u := range uids {
		ids[i] = int64(u)
	}
	_, err := s.pool.Exec(ctx, `UPDATE inbound SET moved = TRUE WHERE mailbox = $1 AND folder = $2
		AND uidvalidity = $3 AND uid = ANY($4)`, mailbox, folder, int64(uidValidity), ids)
	if err != nil {
		return fmt.Errorf("postgres: mark moved: %w", err)
	}
	return nil
}

func (s *Store) PauseCustomer(ctx context.Context, customerID string, until agent.Date, ev agent.Event) error {
	err := s.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO customer_state (customer_id, paused_until) VALUES ($1, $2)
			ON CONFLICT (customer_id) DO UPDATE SET paused_until = excluded.paused_until`,
			customerID, pgDate(until)); err != nil {
			return err
		}
		if ev.Subject == "" {
			ev.Subject = "customer:" + customerID
		}
		return event(ctx, tx, ev)
	})
	if err != nil {
		return fmt.Errorf("postgres: pause customer: %w", err)
	}
	return nil
}

// DraftByMessageID finds the notice a reply refers to; the first one, as in
// SQLite, should a Message-ID ever have been reused.
func (s *Store) DraftByMessageID(ctx context.Context, messageID string) (*agent.Draft, error) {
	d, err := scanDraft(s.pool.QueryRow(ctx, `SELECT `+draftColumns+draftFrom+
		` WHERE d.message_id = $1 ORDER BY d.id LIMIT 1`, messageID))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("message %s: %w", messageID, agent.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: draft by message id: %w", err)
	}
	return d, nil
}
