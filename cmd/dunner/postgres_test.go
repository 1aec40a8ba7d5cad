package main

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/dunnerhq/dunner/agent"
	"github.com/dunnerhq/dunner/internal/testservers"
)

// messageID matches Message-IDs: random in each draft.
var messageID = regexp.MustCompile(`dunner\.[0-9a-f]+@`)

// TestPostgresMatchesSQLite runs the demo's commands on both stores: the
// same input must give the same drafts, items and notices.
func TestPostgresMatchesSQLite(t *testing.T) {
	pg := newHarness(t, repoFile(t, "configs/demo.yaml"))
	pg.env["DUNNER_DATABASE"] = testservers.PostgresSchema(t)
	lite := newHarness(t, repoFile(t, "configs/demo.yaml"))
	steps := [][]string{
		{"migrate"},
		{"import", "customers", repoFile(t, "configs/demo/customers.csv")},
		{"import", "ledger", repoFile(t, "configs/demo/ledger.csv")},
		{"import", "ledger", repoFile(t, "configs/demo/ledger.csv")},
		{"run", "--as-of", "2026-03-02", "--json"},
		{"drafts", "list", "--json"},
		{"send", "--as-of", "2026-03-02"},
		{"items", "list", "--json", "--as-of", "2026-03-02"},
		{"drafts", "approve", "--all"},
		{"send", "--as-of", "2026-03-02"},
		{"run", "--as-of", "2026-03-09", "--json"},
		{"drafts", "list", "--json"},
		{"items", "list", "--json", "--as-of", "2026-03-09"},
	}
	for _, args := range steps {
		got, want := messageID.ReplaceAllString(pg.ok(args...), "…"), messageID.ReplaceAllString(lite.ok(args...), "…")
		if got != want {
			t.Errorf("dunner %v differs:\npostgres:\n%s\nsqlite:\n%s", args, got, want)
		}
	}
	var drafts []agent.Draft
	if err := json.Unmarshal([]byte(pg.ok("drafts", "list", "--json")), &drafts); err != nil || len(drafts) == 0 {
		t.Errorf("drafts after the second run: %d, %v", len(drafts), err)
	}
	a, _ := filepath.Glob(filepath.Join(pg.dir, "outbox", "*.eml"))
	b, _ := filepath.Glob(filepath.Join(lite.dir, "outbox", "*.eml"))
	if len(a) == 0 || len(a) != len(b) {
		t.Errorf("postgres delivered %d notices, sqlite %d", len(a), len(b))
	}
}
