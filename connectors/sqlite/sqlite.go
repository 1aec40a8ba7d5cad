// Package sqlite is the embedded default store: agent.Store on SQLite
// through the pure-Go modernc.org/sqlite driver.
package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dunnerhq/dunner/agent"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Store implements agent.Store.
type Store struct {
	db   *sql.DB
	path string // for the connections of imports (rawConn)
	// rawIdle is a raw connection kept between scans (getRaw); closed
	// stops keeping one once the store closes.
	rawMu   sync.Mutex
	rawIdle *rawConn
	closed  bool
	// txq feeds the committer, the one goroutine that writes. SQLite
	// allows one writer at a time; left to its busy handler, parallel
	// senders sleep in millisecond steps waiting for each other. The
	// committer also groups the writes that queue up meanwhile into one
	// transaction: a commit costs the same for one small write or fifty.
	txq  chan *txReq
	done chan struct{}
	// wconn is the committer's own connection (begin).
	wconn *sql.Conn
	// jr takes DataStarted's marks first; async waits for their way into
	// the database.
	jr    journal
	async sync.WaitGroup

	// invIdx maps invoice numbers to items for ItemsByInvoice.
	invMu    sync.Mutex
	invIdx   map[string][]agent.Ref
	invBuilt time.Time
	// stmts caches prepared statements by SQL text: parsing SQL is a good
	// part of a small statement's cost in the pure-Go SQLite.
	stmts sync.Map
	// bulkRuns counts bulk writes that went through (tests check the bulk
	// paths ran).
	bulkRuns atomic.Int64
}

// stmt returns the cached prepared statement for q.
func (s *Store) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := s.stmts.Load(q); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := s.db.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if prev, loaded := s.stmts.LoadOrStore(q, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// query runs a read through the statement cache.
func (s *Store) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := s.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// wtx is a write transaction whose statements come from the cache.
type wtx struct {
	*sql.Tx
	s *Store
}

func (t *wtx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	st, err := t.s.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return t.Tx.StmtContext(ctx, st).ExecContext(ctx, args...)
}

func (t *wtx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := t.s.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return t.Tx.StmtContext(ctx, st).QueryContext(ctx, args...)
}

func (t *wtx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := t.s.stmt(ctx, q)
	if err != nil {
		// A prepare error surfaces from Scan, as database/sql does.
		return t.Tx.QueryRowContext(ctx, q, args...)
	}
	return t.Tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
}

var _ agent.Store = (*Store)(nil)

const maxIdle = 64

// Open opens (creating if needed) the database at path and brings its schema
// up to date. A database written by a newer Dunner is refused rather than
// guessed at.
func Open(path string) (*Store, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("sqlite: %w", err)
		}
	}
	// WAL lets the web UI read while a run writes; busy_timeout makes a
	// second process wait instead of failing; immediate transactions take
	// the write lock up front so two writers never deadlock on upgrade.
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)" +
		"&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)&_pragma=cache_size(-131072)" +
		"&_pragma=temp_store(MEMORY)&_pragma=mmap_size(1073741824)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	// Both settings persist in the file. The page size must come first: it
	// only takes on a database that has no pages yet, and large pages cut
	// the B-tree work of importing a big ledger. The driver runs DSN pragmas
	// in alphabetical order, which would put journal_mode first.
	for _, p := range []string{"PRAGMA page_size = 16384", "PRAGMA journal_mode = WAL"} {
		if _, err := db.Exec(p); err != nil {
			db.Close()
			return nil, fmt.Errorf("sqlite: %s: %w", p, err)
		}
	}
	// Keep every connection the pool opens: a closed connection takes its
	// prepared statements with it, and parallel senders would pay for
	// parsing the same SQL again on each new one.
	db.SetMaxIdleConns(maxIdle)
	s := &Store{db: db, path: path, txq: make(chan *txReq), done: make(chan struct{}),
		jr: journal{dir: journalDir(path)}}
	go s.committer()
	if err := s.Migrate(context.Background()); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.FoldJournals(context.Background()); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) Close() error {
	s.async.Wait()
	close(s.txq)
	<-s.done
	s.jr.close()
	s.rawMu.Lock()
	if s.rawIdle != nil {
		s.rawIdle.close()
		s.rawIdle = nil
	}
	s.closed = true
	s.rawMu.Unlock()
	s.stmts.Range(func(_, v any) bool { v.(*sql.Stmt).Close(); return true })
	return s.db.Close()
}

// DB exposes the handle for tests and benchmarks.
func (s *Store) DB() *sql.DB { return s.db }

// Migrate applies the embedded migrations not yet applied, each in its own
// transaction.
func (s *Store) Migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx,
		`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	sort.Strings(names)
	var current int
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current); err != nil {
		return fmt.Errorf("sqlite: migrate: %w", err)
	}
	latest := 0
	for _, name := range names {
		v, err := strconv.Atoi(strings.SplitN(filepath.Base(name), "_", 2)[0])
		if err != nil {
			return fmt.Errorf("sqlite: migration %s: bad name", name)
		}
		latest = max(latest, v)
		if v <= current {
			continue
		}
		body, err := migrationFS.ReadFile(name)
		if err != nil {
			return fmt.Errorf("sqlite: migrate: %w", err)
		}
		err = s.tx(ctx, func(tx *wtx) error {
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations VALUES (?, ?)`, v, stamp(time.Now()))
			return err
		})
		if err != nil {
			return fmt.Errorf("sqlite: migration %s: %w", name, err)
		}
	}
	if current > latest {
		return fmt.Errorf("sqlite: database schema version %d is newer than this dunner (%d)", current, latest)
	}
	return nil
}

// txReq is one caller's share of a group commit.
type txReq struct {
	fn   func(*wtx) error
	done chan error
	// own, instead of fn, writes through a connection of its own: it
	// runs alone, between two commits of the pool's.
	own func() error
	// bulk, when set, writes arg together with the other requests of its
	// kind in the same commit: a statement for all instead of some for
	// each. fn is the same write alone; it runs when the bulk write
	// fails, to tell each caller its own error.
	bulk *bulkKind
	arg  any
}

// bulkKind is a write that a group commit runs for many callers at once.
type bulkKind struct {
	// run writes every arg but those at the positions it returns, which
	// go one by one (fn) to find out their own errors; or it fails and
	// keeps nothing (it runs inside a savepoint).
	run func(ctx context.Context, w *wtx, args []any) (alone []int, err error)
	// last: runs after the other kinds of its commit.
	last bool
}

// bulkTx is tx for a write of a bulk kind.
func (s *Store) bulkTx(ctx context.Context, k *bulkKind, arg any, fn func(*wtx) error) error {
	return s.send(ctx, s.txq, &txReq{fn: fn, bulk: k, arg: arg, done: make(chan error, 1)})
}

// tx runs fn in a write transaction, possibly together with other callers'
// writes. It returns once fn's changes are committed (or rolled back): fn's
// own error rolls back only fn's changes.
func (s *Store) tx(ctx context.Context, fn func(*wtx) error) error {
	return s.send(ctx, s.txq, &txReq{fn: fn, done: make(chan error, 1)})
}

// alone runs fn, which writes through its own connection, while no other
// write of this store is under way.
func (s *Store) alone(ctx context.Context, fn func() error) error {
	return s.send(ctx, s.txq, &txReq{own: fn, done: make(chan error, 1)})
}

func (s *Store) send(ctx context.Context, q chan *txReq, req *txReq) error {
	select {
	case q <- req:
	case <-ctx.Done():
		return ctx.Err()
	}
	return <-req.done
}

// maxGroup bounds a group commit, so one commit never waits on too much.
const maxGroup = 128

func (s *Store) committer() {
	defer close(s.done)
	for {
		r, ok := <-s.txq
		if !ok {
			if s.wconn != nil {
				s.wconn.Close()
			}
			return
		}
		batch := []*txReq{r}
	more:
		for len(batch) < maxGroup {
			select {
			case r, ok := <-s.txq:
				if !ok {
					break more
				}
				batch = append(batch, r)
			default:
				break more
			}
		}
		if len(batch) < maxGroup && (len(batch) > 1 || batch[0].bulk != nil) {
			batch = s.linger(batch)
		}
		s.commit(batch)
	}
}

// lingerFor is how long a group commit waits for more writes when others
// queued up behind it, or when it holds a bulk write (a send pass's
// records, which nobody waits for in a hurry). A commit writes every page
// it touched whole: a busy send pass pays for fewer of them, in exchange
// for a few milliseconds of latency; at 16 connections that took the
// commits of 10,000 notices from 2,900 to 400 and about a sixth off the
// CPU per notice. Any other lone writer never waits.
const lingerFor = 2 * time.Millisecond

// linger adds the writes that arrive within lingerFor to batch.
func (s *Store) linger(batch []*txReq) []*txReq {
	t := time.NewTimer(lingerFor)
	defer t.Stop()
	for len(batch) < maxGroup {
		select {
		case r, ok := <-s.txq:
			if !ok {
				return batch
			}
			batch = append(batch, r)
		case <-t.C:
			return batch
		}
	}
	return batch
}

// begin starts a write transaction on the committer's own connection. A
// statement is prepared once per connection it runs on, and a send pass's
// bulk statements come in a variant per row count: on whichever pooled
// connection each commit happened to get, parsing them again took a twentieth
// of the CPU of a pass.
func (s *Store) begin(ctx context.Context) (*sql.Tx, error) {
	if s.wconn == nil {
		c, err := s.db.Conn(ctx)
		if err != nil {
			return nil, err
		}
		s.wconn = c
	}
	tx, err := s.wconn.BeginTx(ctx, nil)
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) {
		// Another connection for the next commit; a busy database
		// (another process writing) keeps this one.
		s.wconn.Close()
		s.wconn = nil
	}
	return tx, err
}

// commit runs a batch in one transaction.
func (s *Store) commit(batch []*txReq) {
	n := 0
	for _, r := range batch {
		if r.own != nil {
			r.done <- r.own()
			continue
		}
		batch[n] = r
		n++
	}
	if batch = batch[:n]; len(batch) == 0 {
		return
	}
	ctx := context.Background()
	tx, err := s.begin(ctx)
	if err != nil {
		for _, r := range batch {
			r.done <- err
		}
		return
	}
	w := &wtx{Tx: tx, s: s}
	if len(batch) == 1 {
		if err := batch[0].fn(w); err != nil {
			tx.Rollback()
			batch[0].done <- err
			return
		}
		batch[0].done <- tx.Commit()
		return
	}
	errs := make([]error, len(batch))
	alone := func(i int) {
		// A savepoint per caller: one failing write must not undo the
		// others that share the commit.
		if _, err := w.ExecContext(ctx, "SAVEPOINT w"); err != nil {
			errs[i] = err
			return
		}
		if errs[i] = batch[i].fn(w); errs[i] != nil {
			w.ExecContext(ctx, "ROLLBACK TO w")
		}
		w.ExecContext(ctx, "RELEASE w")
	}
	// Bulk requests first, a kind at a time in the order each first came
	// (those marked last after the others).
	done := make([]bool, len(batch))
	for _, last := range []bool{false, true} {
		for i, r := range batch {
			if r.bulk == nil || done[i] || r.bulk.last != last {
				continue
			}
			var idx []int
			var args []any
			for j := i; j < len(batch); j++ {
				if batch[j].bulk == r.bulk {
					idx, args, done[j] = append(idx, j), append(args, batch[j].arg), true
				}
			}
			if len(idx) == 1 {
				alone(i)
				continue
			}
			rest, err := s.runBulk(ctx, w, r.bulk, args)
			if err != nil {
				rest = make([]int, len(idx))
				for k := range rest {
					rest[k] = k
				}
			}
			for _, k := range rest {
				alone(idx[k])
			}
		}
	}
	for i := range batch {
		if !done[i] {
			alone(i)
		}
	}
	cerr := tx.Commit()
	for i, r := range batch {
		if errs[i] != nil {
			r.done <- errs[i]
		} else {
			r.done <- cerr
		}
	}
}

// runBulk runs a bulk write in a savepoint, so a failure leaves nothing
// behind for the writes one by one that follow it.
func (s *Store) runBulk(ctx context.Context, w *wtx, k *bulkKind, args []any) ([]int, error) {
	if _, err := w.ExecContext(ctx, "SAVEPOINT b"); err != nil {
		return nil, err
	}
	alone, err := k.run(ctx, w, args)
	if err != nil {
		w.ExecContext(ctx, "ROLLBACK TO b")
	} else {
		s.bulkRuns.Add(1)
	}
	w.ExecContext(ctx, "RELEASE b")
	return alone, err
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseStamp(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}

// date maps a zero date to NULL.
func date(d agent.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

func scanDate(ns sql.NullString) agent.Date {
	if !ns.Valid || ns.String == "" {
		return 0
	}
	d, _ := agent.ParseDate(ns.String)
	return d
}

func event(ctx context.Context, tx *wtx, ev agent.Event) error {
	if ev.Kind == "" {
		return nil
	}
	_, err := tx.ExecContext(ctx, eventSQL, eventArgs(ev)...)
	return err
}

const eventSQL = `INSERT INTO events (at, actor, kind, subject, detail) VALUES (?, ?, ?, ?, ?)`

func eventArgs(ev agent.Event) []any {
	if ev.At.IsZero() {
		ev.At = time.Now()
	}
	if ev.Actor == "" {
		ev.Actor = "system"
	}
	return []any{stamp(ev.At), ev.Actor, ev.Kind, ev.Subject, ev.Detail}
}

// Events returns the log for a subject ("" = all), oldest first.
func (s *Store) Events(ctx context.Context, subject string) ([]agent.Event, error) {
	q := `SELECT id, at, actor, kind, subject, detail FROM events`
	var args []any
	if subject != "" {
		q += ` WHERE subject = ?`
		args = append(args, subject)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: events: %w", err)
	}
	defer rows.Close()
	var out []agent.Event
	for rows.Next() {
		var ev agent.Event
		var at string
		if err := rows.Scan(&ev.ID, &at, &ev.Actor, &ev.Kind, &ev.Subject, &ev.Detail); err != nil {
			return nil, fmt.Errorf("sqlite: events: %w", err)
		}
		ev.At = parseStamp(at)
		out = append(out, ev)
	}
	return out, rows.Err()
}

var errNoRows = errors.New("no rows")
