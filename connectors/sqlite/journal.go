package sqlite

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/dunnerhq/dunner/agent"
)

// journal takes a sender's "data started" marks (DataStarted) before the
// database does. A sender holds an SMTP connection open until the mark is
// safe, and a commit there waits behind the commits queued before it; one
// write to a file is safe from a killed process as soon as it returns
// (the page cache outlives the process, as it does for the WAL's unsynced
// commits). The mark follows into the database with the next group commit.
//
// Each store writes a file of its own under <database>-sending/, locked
// with flock while the store lives. A file nobody holds is a dead
// sender's: its marks are folded into the database (fold) before anything
// reads the drafts it left in "sending".
type journal struct {
	dir string
	// mu: appends share it, the truncate that empties a file whose marks
	// are all in the database takes it alone.
	mu   sync.RWMutex
	f    *os.File
	name string // f's path (f.Name() is the name it was made under)
	// pending counts marks written but not yet committed to the database;
	// it is raised before the write, so a truncate never drops a mark.
	pending atomic.Int64
	// kept: a mark's database write failed; the file stays for the next
	// fold instead of being truncated or removed.
	kept atomic.Bool
}

func journalDir(dbPath string) string { return dbPath + "-sending" }

// journalTruncateAt is the size from which a file whose marks are all in
// the database is emptied, so a long-running daemon's file stays small.
var journalTruncateAt int64 = 1 << 20

// mark appends one mark: "S <draft id> <time>\n".
func (j *journal) mark(id int64, at time.Time) error {
	return j.write(appendMark(nil, journalMark{kind: 'S', id: id, at: at}))
}

// delivered appends a delivery that the server took: "D <draft id> <time>
// <date> <actor> <response>\n", the last two quoted. Its database record
// follows with a group commit; a sender killed meanwhile leaves the draft
// delivered, not uncertain, once the journal is folded.
func (j *journal) delivered(dl *agent.Delivery) error {
	return j.write(appendMark(nil, journalMark{kind: 'D', id: dl.DraftID, at: dl.At, on: dl.Date, actor: dl.Actor,
		response: dl.Response}))
}

func appendMark(b []byte, m journalMark) []byte {
	b = append(b, m.kind, ' ')
	b = strconv.AppendInt(b, m.id, 10)
	b = append(b, ' ')
	b = m.at.UTC().AppendFormat(b, time.RFC3339Nano)
	if m.kind == 'D' {
		b = append(b, ' ')
		b = append(b, m.on.String()...)
		b = append(b, ' ')
		b = strconv.AppendQuote(b, m.actor)
		b = append(b, ' ')
		b = strconv.AppendQuote(b, m.response)
	}
	return append(b, '\n')
}

func (j *journal) write(line []byte) error {
	j.mu.RLock()
	if j.f == nil {
		j.mu.RUnlock()
		if err := j.open(); err != nil {
			return err
		}
		j.mu.RLock()
	}
	// One write call: O_APPEND places it whole after the others.
	_, err := j.f.Write(line)
	j.mu.RUnlock()
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	return nil
}

func (j *journal) open() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f != nil {
		return nil
	}
	name := filepath.Join(j.dir, fmt.Sprintf("%d.%d.log", os.Getpid(), time.Now().UnixNano()))
	// Made under another name and locked before it is a *.log: a fold
	// must never find it unlocked and take it for a dead sender's.
	tmp := strings.TrimSuffix(name, ".log") + ".new"
	var f *os.File
	for try := 0; ; try++ {
		if err := os.MkdirAll(j.dir, 0o755); err != nil {
			return fmt.Errorf("journal: %w", err)
		}
		var err error
		f, err = os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY|os.O_APPEND, 0o644)
		if err == nil {
			break
		}
		// Another store removed the directory as it emptied it.
		if !errors.Is(err, os.ErrNotExist) || try == 2 {
			return fmt.Errorf("journal: %w", err)
		}
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("journal: lock %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, name); err != nil {
		f.Close()
		os.Remove(tmp)
		return fmt.Errorf("journal: %w", err)
	}
	j.f, j.name = f, name
	return nil
}

// settled is called once a mark's database write is done.
func (j *journal) settled(err error) {
	if err != nil {
		j.kept.Store(true)
	}
	if j.pending.Add(-1) != 0 || j.kept.Load() {
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil || j.pending.Load() != 0 {
		return
	}
	if st, err := j.f.Stat(); err == nil && st.Size() >= journalTruncateAt {
		j.f.Truncate(0)
	}
}

// close removes the file when every mark reached the database, else
// leaves it to the next fold.
func (j *journal) close() {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return
	}
	if j.pending.Load() == 0 && !j.kept.Load() {
		os.Remove(j.name)
		os.Remove(j.dir) // only if no other sender has a file there
	}
	j.f.Close()
	j.f = nil
}

// journalMark is one line of a journal: a data start (S) or a delivery
// (D, with the rest of its fields).
type journalMark struct {
	kind     byte
	id       int64
	at       time.Time
	on       agent.Date
	actor    string
	response string
}

// readMarks parses a journal; a line that is not a whole mark (a write cut
// short by a full disk) is skipped.
func readMarks(b []byte) []journalMark {
	var out []journalMark
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20) // a response line may be long
	for sc.Scan() {
		if m, ok := parseMark(sc.Text()); ok {
			out = append(out, m)
		}
	}
	return out
}

func parseMark(line string) (journalMark, bool) {
	var m journalMark
	kind, rest, _ := strings.Cut(line, " ")
	if kind != "S" && kind != "D" {
		return m, false
	}
	m.kind = kind[0]
	id, rest, _ := strings.Cut(rest, " ")
	var err error
	if m.id, err = strconv.ParseInt(id, 10, 64); err != nil {
		return m, false
	}
	at, rest, _ := strings.Cut(rest, " ")
	if m.at, err = time.Parse(time.RFC3339Nano, at); err != nil {
		return m, false
	}
	if m.kind == 'S' {
		return m, rest == "" && !strings.HasSuffix(line, " ")
	}
	on, rest, _ := strings.Cut(rest, " ")
	if m.on, err = agent.ParseDate(on); err != nil {
		return m, false
	}
	if m.actor, rest, err = unquotePrefix(rest); err != nil || !strings.HasPrefix(rest, " ") {
		return m, false
	}
	if m.response, rest, err = unquotePrefix(rest[1:]); err != nil || rest != "" {
		return m, false
	}
	return m, true
}

// unquotePrefix reads a Go-quoted string at the start of s.
func unquotePrefix(s string) (string, string, error) {
	q, err := strconv.QuotedPrefix(s)
	if err != nil {
		return "", "", err
	}
	v, err := strconv.Unquote(q)
	return v, s[len(q):], err
}

// FoldJournals moves the marks of dead senders' journals into the
// database and removes the files: a draft they left in "sending" then
// shows that its data went out. A send pass calls it before it settles
// such drafts; Open calls it too.
func (s *Store) FoldJournals(ctx context.Context) error {
	ents, err := os.ReadDir(s.jr.dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sqlite: journals: %w", err)
	}
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".new") {
			// A sender killed while making its journal: it holds no
			// mark (none is written before the rename).
			s.dropUnlocked(filepath.Join(s.jr.dir, e.Name()))
			continue
		}
		if !strings.HasSuffix(e.Name(), ".log") {
			continue
		}
		if err := s.foldJournal(ctx, filepath.Join(s.jr.dir, e.Name())); err != nil {
			return fmt.Errorf("sqlite: journal %s: %w", e.Name(), err)
		}
	}
	return nil
}

// dropUnlocked removes a file nobody holds locked.
func (s *Store) dropUnlocked(path string) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil {
		os.Remove(path)
	}
}

func (s *Store) foldJournal(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil // another process folded it
	}
	if err != nil {
		return err
	}
	defer f.Close()
	// A live store holds its file locked: its marks are its own business.
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil
		}
		return err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	marks := readMarks(b)
	if len(marks) > 0 {
		err = s.tx(ctx, func(tx *wtx) error {
			for _, m := range marks {
				if m.kind != 'S' {
					continue
				}
				if err := markOne(dataMark{id: m.id, at: m.at})(tx); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	// Deliveries the server took whose record did not make it: recorded
	// now, as the send pass would have.
	for _, m := range marks {
		if m.kind != 'D' {
			continue
		}
		dr, err := s.Draft(ctx, m.id)
		if errors.Is(err, agent.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if dr.State != agent.Sending {
			continue // recorded before the sender died
		}
		dl := dr.Delivery(m.on, m.at, m.actor, m.response)
		if err := s.delivered(ctx, dl, false); err != nil && !isTransition(err) {
			return err
		}
	}
	if err := os.Remove(path); err != nil {
		return err
	}
	os.Remove(filepath.Dir(path)) // only if it is empty now
	return nil
}
