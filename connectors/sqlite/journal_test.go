package sqlite

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A live store's journal is emptied once every mark in it reached the
// database, and never while one has not: a mark dropped before its commit
// would let a crash send its notice again.
func TestJournalTruncatesOnlySettledMarks(t *testing.T) {
	defer func(n int64) { journalTruncateAt = n }(journalTruncateAt)
	journalTruncateAt = 100
	j := &journal{dir: filepath.Join(t.TempDir(), "j")}
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	size := func() int64 {
		st, err := j.f.Stat()
		if err != nil {
			t.Fatal(err)
		}
		return st.Size()
	}
	for id := int64(1); id <= 5; id++ {
		j.pending.Add(1)
		if err := j.mark(id, at); err != nil {
			t.Fatal(err)
		}
	}
	full := size()
	if got := readMarks(mustRead(t, j.name)); len(got) != 5 || got[4].id != 5 || !got[4].at.Equal(at) {
		t.Fatalf("marks read back: %+v", got)
	}
	for i := 0; i < 4; i++ {
		j.settled(nil)
		if size() != full {
			t.Fatalf("emptied with %d marks still on their way to the database", j.pending.Load())
		}
	}
	j.settled(nil)
	if size() != 0 {
		t.Fatalf("all marks settled, journal still %d bytes", size())
	}
	// A failed database write keeps the marks for the next fold.
	j.pending.Add(1)
	if err := j.mark(6, at); err != nil {
		t.Fatal(err)
	}
	j.settled(errors.New("disk full"))
	name := j.name
	j.close()
	if got := readMarks(mustRead(t, name)); len(got) != 1 || got[0].id != 6 {
		t.Fatalf("journal after a failed write and close: %+v", got)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func FuzzReadMarks(f *testing.F) {
	f.Add([]byte("S 12 2026-03-02T09:00:00Z\nS 13 2026-03-02T09:00:00.5Z\n"))
	f.Add([]byte("S 1 garbage\nX 2 2026-03-02T09:00:00Z\nS"))
	// Whatever a torn or foreign file holds, what is read back is marks
	// that write and read the same again.
	f.Fuzz(func(t *testing.T, b []byte) {
		marks := readMarks(b)
		var again []byte
		for _, m := range marks {
			again = fmt.Appendf(again, "S %d %s\n", m.id, m.at.UTC().Format(time.RFC3339Nano))
		}
		got := readMarks(again)
		if len(got) != len(marks) {
			t.Fatalf("%d marks, %d after writing them again", len(marks), len(got))
		}
		for i := range got {
			if got[i].id != marks[i].id || !got[i].at.Equal(marks[i].at) {
				t.Fatalf("mark %d: %+v became %+v", i, marks[i], got[i])
			}
		}
	})
}
