package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/dunnerhq/dunner/agent"
	"github.com/dunnerhq/dunner/agent/storetest"
	"github.com/dunnerhq/dunner/connectors/sqlite"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) agent.Store {
		s, err := sqlite.Open(filepath.Join(t.TempDir(), "dunner.db"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestReopenKeepsSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dunner.db")
	for i := 0; i < 2; i++ {
		s, err := sqlite.Open(path)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		s.Close()
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dunner.db")
	s, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().Exec(`INSERT INTO schema_migrations VALUES (999, 'x')`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := sqlite.Open(path); err == nil {
		t.Error("a database from a newer dunner must be refused")
	}
}
