// Package postgres is agent.Store on PostgreSQL through pgx, for when several
// daemons share the work: every state change is a compare-and-set in the
// database, so no daemon needs to know about the others.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/shopspring/decimal"

	"github.com/dunnerhq/dunner/agent"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Store implements agent.Store.
type Store struct {
	pool *pgxpool.Pool
}

var _ agent.Store = (*Store)(nil)

// Open connects to the database named by dsn (postgres://… or key=value
// form; search_path and other settings may ride along as parameters) and
// brings its schema up to date. A database written by a newer Dunner is
// refused rather than guessed at.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgx redacts the password in its message.
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if !strings.Contains(dsn, "pool_max_conns") {
		// pgx's default (4 on a small machine) is too few for a daemon: a
		// scan of the ledger holds a connection while its reader writes
		// through others, next to the parallel senders and the mail poll.
		cfg.MaxConns = max(cfg.MaxConns, 16)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	s := &Store{pool: pool}
	if err := s.Migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Pool exposes the connection pool for tests.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Migrate applies the embedded migrations not yet applied, each in its own
// transaction.
func (s *Store) Migrate(ctx context.Context) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	defer conn.Release()
	// Daemons started together would otherwise race to create the same
	// tables. The lock is per schema: tests (and tenants) in other schemas
	// of one database do not wait for each other.
	const lockKey = `hashtext('dunner.migrate.' || current_schema())`
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock(`+lockKey+`)`); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	defer func() {
		// A fresh context: the caller's may be done, and a lock left held
		// would stay with the pooled connection.
		uctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := conn.Exec(uctx, `SELECT pg_advisory_unlock(`+lockKey+`)`); err != nil {
			conn.Conn().Close(uctx)
		}
	}()
	if _, err := conn.Exec(ctx,
		`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)`); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	sort.Strings(names)
	var current int
	if err := conn.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	latest := 0
	for _, name := range names {
		v, err := strconv.Atoi(strings.SplitN(path.Base(name), "_", 2)[0])
		if err != nil {
			return fmt.Errorf("postgres: migration %s: bad name", name)
		}
		latest = max(latest, v)
		if v <= current {
			continue
		}
		body, err := migrationFS.ReadFile(name)
		if err != nil {
			return fmt.Errorf("postgres: migrate: %w", err)
		}
		err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			// Without arguments pgx sends the file as one simple query:
			// several statements in one round trip.
			if _, err := tx.Exec(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations VALUES ($1, $2)`, v, time.Now())
			return err
		})
		if err != nil {
			return fmt.Errorf("postgres: migration %s: %w", name, err)
		}
	}
	if current > latest {
		return fmt.Errorf("postgres: database schema version %d is newer than this dunner (%d)", current, latest)
	}
	return nil
}

// tx runs fn in a transaction. Deadlocks and serialization failures are
// retried: they are how PostgreSQL settles two daemons writing the same
// rows, and the loser's work is simply redone. fn must therefore not keep
// state across calls.
func (s *Store) tx(ctx context.Context, fn func(pgx.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := pgx.BeginFunc(ctx, s.pool, fn)
		var pe *pgconn.PgError
		if attempt < 5 && errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001") {
			select {
			case <-time.After(time.Duration(attempt) * 10 * time.Millisecond):
				continue
			case <-ctx.Done():
				return err
			}
		}
		return err
	}
}

// pgDate maps a zero date to NULL.
func pgDate(d agent.Date) pgtype.Date {
	if d.IsZero() {
		return pgtype.Date{}
	}
	return pgtype.Date{Time: d.Time(time.UTC), Valid: true}
}

func fromDate(d pgtype.Date) agent.Date {
	if !d.Valid || d.InfinityModifier != pgtype.Finite {
		return 0
	}
	return agent.DateOf(d.Time)
}

// numeric passes a decimal exactly, its scale included: 100.00 stays
// 100.00, as the conformance suite demands.
func numeric(d decimal.Decimal) pgtype.Numeric {
	return pgtype.Numeric{Int: d.Coefficient(), Exp: d.Exponent(), Valid: true}
}

func optNumeric(d *decimal.Decimal) pgtype.Numeric {
	if d == nil {
		return pgtype.Numeric{}
	}
	return numeric(*d)
}

// utc gives instants back as the SQLite store does: in UTC, whatever the
// session's time zone.
func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// nullText maps "" to NULL, for JSONB columns that may be empty.
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func event(ctx context.Context, tx pgx.Tx, ev agent.Event) error {
	if ev.Kind == "" {
		return nil
	}
	if ev.At.IsZero() {
		ev.At = time.Now()
	}
	if ev.Actor == "" {
		ev.Actor = "system"
	}
	_, err := tx.Exec(ctx, `INSERT INTO events (at, actor, kind, subject, detail) VALUES ($1, $2, $3, $4, $5)`,
		ev.At, ev.Actor, ev.Kind, ev.Subject, ev.Detail)
	return err
}

// Events returns the log for a subject ("" = all), oldest first.
func (s *Store) Events(ctx context.Context, subject string) ([]agent.Event, error) {
	q := `SELECT id, at, actor, kind, subject, detail FROM events`
	var args []any
	if subject != "" {
		q += ` WHERE subject = $1`
		args = append(args, subject)
	}
	rows, err := s.pool.Query(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: events: %w", err)
	}
	defer rows.Close()
	var out []agent.Event
	for rows.Next() {
		var ev agent.Event
		if err := rows.Scan(&ev.ID, &ev.At, &ev.Actor, &ev.Kind, &ev.Subject, &ev.Detail); err != nil {
			return nil, fmt.Errorf("postgres: events: %w", err)
		}
		ev.At = ev.At.UTC()
		out = append(out, ev)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: events: %w", err)
	}
	return out, nil
}
