package sqlite

import (
	"errors"
	"fmt"
	"strings"
	"unsafe"

	"modernc.org/libc"
	"modernc.org/libc/sys/types"
	sqlite3 "modernc.org/sqlite/lib"
)

// rawConn is a connection of its own, outside database/sql, for the bulk
// writes of an import. Through database/sql and the driver a bound value
// costs more than SQLite's work on it (argument conversion, a parameter
// name lookup and a C copy per value); here a batch of rows is copied into
// C memory once and bound in place. A rawConn is used by one goroutine at a
// time, hence SQLite's mutexes are off.
type rawConn struct {
	tls *libc.TLS
	db  uintptr
	// stmts are the statements cached prepares keeps: a kept connection
	// serves many single-customer scans, and preparing costs more than
	// scanning one customer.
	stmts map[string]*rawStmt
}

// openRaw opens path with the settings Open gives the pool's connections.
func openRaw(path string) (*rawConn, error) {
	c := &rawConn{tls: libc.NewTLS()}
	name, err := libc.CString("file:" + path)
	if err != nil {
		c.tls.Close()
		return nil, err
	}
	pdb := libc.Xmalloc(c.tls, ptrSize)
	if pdb == 0 {
		libc.Xfree(c.tls, name)
		c.tls.Close()
		return nil, errors.New("out of memory")
	}
	*(*uintptr)(cptr(pdb)) = 0
	rc := sqlite3.Xsqlite3_open_v2(c.tls, name, pdb,
		sqlite3.SQLITE_OPEN_READWRITE|sqlite3.SQLITE_OPEN_URI|sqlite3.SQLITE_OPEN_NOMUTEX, 0)
	c.db = *(*uintptr)(cptr(pdb))
	libc.Xfree(c.tls, pdb)
	libc.Xfree(c.tls, name)
	if rc != sqlite3.SQLITE_OK {
		err := c.err(rc)
		c.close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	for _, p := range []string{"busy_timeout = 10000", "synchronous = NORMAL", "foreign_keys = 1",
		"cache_size = -131072", "temp_store = MEMORY"} {
		if err := c.exec("PRAGMA " + p); err != nil {
			c.close()
			return nil, err
		}
	}
	return c, nil
}

// cptr turns an address of C memory into a pointer. That memory is not
// Go's to move or free, which is what vet's check on such conversions is
// about.
func cptr(p uintptr) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&p)) }

const ptrSize = types.Size_t(unsafe.Sizeof(uintptr(0)))

func (c *rawConn) close() {
	for _, st := range c.stmts {
		st.close()
	}
	c.stmts = nil
	if c.db != 0 {
		sqlite3.Xsqlite3_close_v2(c.tls, c.db)
		c.db = 0
	}
	c.tls.Close()
}

func (c *rawConn) err(rc int32) error {
	if c.db == 0 {
		return fmt.Errorf("sqlite error %d", rc)
	}
	return fmt.Errorf("%s (%d)", libc.GoString(sqlite3.Xsqlite3_errmsg(c.tls, c.db)), rc)
}

// exec runs one statement to its end.
func (c *rawConn) exec(q string, args ...any) error {
	st, err := c.prepare(q)
	if err != nil {
		return err
	}
	defer st.close()
	for i, a := range args {
		if err := st.bind(i+1, a); err != nil {
			return err
		}
	}
	for {
		row, err := st.step()
		if err != nil || !row {
			return err
		}
	}
}

type rawStmt struct {
	c *rawConn
	p uintptr
}

func (c *rawConn) prepare(q string) (*rawStmt, error) {
	z, err := libc.CString(q)
	if err != nil {
		return nil, err
	}
	defer libc.Xfree(c.tls, z)
	pp := libc.Xmalloc(c.tls, ptrSize)
	if pp == 0 {
		return nil, errors.New("out of memory")
	}
	defer libc.Xfree(c.tls, pp)
	if rc := sqlite3.Xsqlite3_prepare_v2(c.tls, c.db, z, -1, pp, 0); rc != sqlite3.SQLITE_OK {
		return nil, fmt.Errorf("prepare %.40q: %w", strings.TrimSpace(q), c.err(rc))
	}
	return &rawStmt{c: c, p: *(*uintptr)(cptr(pp))}, nil
}

// cached returns q prepared once for the connection's life; release it
// with reset, not close.
func (c *rawConn) cached(q string) (*rawStmt, error) {
	if st := c.stmts[q]; st != nil {
		return st, nil
	}
	st, err := c.prepare(q)
	if err != nil {
		return nil, err
	}
	if c.stmts == nil {
		c.stmts = map[string]*rawStmt{}
	}
	c.stmts[q] = st
	return st, nil
}

// reset readies a cached statement for its next use (and ends its read).
func (s *rawStmt) reset() {
	sqlite3.Xsqlite3_reset(s.c.tls, s.p)
	sqlite3.Xsqlite3_clear_bindings(s.c.tls, s.p)
}

func (s *rawStmt) close() {
	if s.p != 0 {
		sqlite3.Xsqlite3_finalize(s.c.tls, s.p)
		s.p = 0
	}
}

func (s *rawStmt) check(rc int32) error {
	if rc != sqlite3.SQLITE_OK {
		return s.c.err(rc)
	}
	return nil
}

// transient tells SQLite to copy a value while binding it.
const transient = ^uintptr(0)

// bind binds a Go value, copied: for the few values of small statements.
func (s *rawStmt) bind(i int, v any) error {
	switch v := v.(type) {
	case nil:
		return s.check(sqlite3.Xsqlite3_bind_null(s.c.tls, s.p, int32(i)))
	case int64:
		return s.check(sqlite3.Xsqlite3_bind_int64(s.c.tls, s.p, int32(i), v))
	case int:
		return s.check(sqlite3.Xsqlite3_bind_int64(s.c.tls, s.p, int32(i), int64(v)))
	case string:
		z, err := libc.CString(v)
		if err != nil {
			return err
		}
		defer libc.Xfree(s.c.tls, z)
		return s.check(sqlite3.Xsqlite3_bind_text(s.c.tls, s.p, int32(i), z, int32(len(v)), transient))
	}
	return fmt.Errorf("bind %T: unsupported", v)
}

// bindStatic binds n bytes of C memory at p as text; they must stay put
// until the statement is reset.
func (s *rawStmt) bindStatic(i int, p uintptr, n int) error {
	return s.check(sqlite3.Xsqlite3_bind_text(s.c.tls, s.p, int32(i), p, int32(n), 0))
}

func (s *rawStmt) bindInt64(i int, v int64) error {
	return s.check(sqlite3.Xsqlite3_bind_int64(s.c.tls, s.p, int32(i), v))
}

func (s *rawStmt) bindNull(i int) error {
	return s.check(sqlite3.Xsqlite3_bind_null(s.c.tls, s.p, int32(i)))
}

// step runs the statement to its next row; false when it is done, and then
// the statement is reset for its next use.
func (s *rawStmt) step() (bool, error) {
	switch rc := sqlite3.Xsqlite3_step(s.c.tls, s.p); rc {
	case sqlite3.SQLITE_ROW:
		return true, nil
	case sqlite3.SQLITE_DONE:
		return false, s.check(sqlite3.Xsqlite3_reset(s.c.tls, s.p))
	default:
		sqlite3.Xsqlite3_reset(s.c.tls, s.p)
		return false, s.c.err(rc)
	}
}

// text is column i of the current row, valid until the next step: compare
// or copy it, never keep it.
func (s *rawStmt) text(i int) string {
	p := sqlite3.Xsqlite3_column_text(s.c.tls, s.p, int32(i))
	n := sqlite3.Xsqlite3_column_bytes(s.c.tls, s.p, int32(i))
	if p == 0 || n == 0 {
		return ""
	}
	return unsafe.String((*byte)(cptr(p)), n)
}

func (s *rawStmt) int64(i int) int64 {
	return sqlite3.Xsqlite3_column_int64(s.c.tls, s.p, int32(i))
}

// cbuf is C memory that a batch of values is copied into for binding.
type cbuf struct {
	c *rawConn
	p uintptr
	n int
}

// fill copies b into the buffer, growing it as needed, and returns where
// it starts.
func (b *cbuf) fill(data []byte) (uintptr, error) {
	if len(data) > b.n || b.p == 0 {
		b.free()
		n := max(len(data), 1<<16)
		b.p = libc.Xmalloc(b.c.tls, types.Size_t(n))
		if b.p == 0 {
			return 0, errors.New("out of memory")
		}
		b.n = n
	}
	copy(unsafe.Slice((*byte)(cptr(b.p)), b.n), data)
	return b.p, nil
}

func (b *cbuf) free() {
	if b.p != 0 {
		libc.Xfree(b.c.tls, b.p)
		b.p, b.n = 0, 0
	}
}

// journalOnce has c write through a rollback journal instead of the WAL
// when no other connection has the database open, and returns what puts
// the WAL back. A big transaction goes into the WAL and then once more
// into the database when it is checkpointed; with a rollback journal new
// pages are written once and only the pages changed are saved before.
// A crash still leaves the database as it was: the journal is rolled back
// on the next open. Where others have it open (a reader, a daemon) the
// switch fails at once and the import goes through the WAL.
func (s *Store) journalOnce(c *rawConn) (restore func()) {
	// The pool's idle connections would keep the WAL in use.
	s.db.SetMaxIdleConns(0)
	err := c.exec("PRAGMA busy_timeout = 0")
	if err == nil {
		err = c.exec("PRAGMA journal_mode = DELETE")
	}
	c.exec("PRAGMA busy_timeout = 10000")
	if err != nil {
		s.db.SetMaxIdleConns(maxIdle)
		return func() {}
	}
	// NORMAL skips syncs that a rollback journal, unlike the WAL, needs
	// to survive a power cut.
	c.exec("PRAGMA synchronous = FULL")
	return func() {
		// Failing, the database stays in rollback mode until the next
		// Open sets the WAL again: slower for readers, still correct.
		c.exec("PRAGMA journal_mode = WAL")
		s.db.SetMaxIdleConns(maxIdle)
	}
}
