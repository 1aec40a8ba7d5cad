package dunner_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportDirection keeps the domain and the use cases free of outside
// things: agent and jobs must never depend on a connector, directly or not.
func TestImportDirection(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-test", "./agent/...", "./jobs/...", "./templates/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.Contains(pkg, "/connectors/") || strings.HasSuffix(pkg, "/cmd/dunner") {
			t.Errorf("agent, jobs or templates depend on %s", pkg)
		}
	}
	if !strings.Contains(string(out), "github.com/dunnerhq/dunner/agent") {
		t.Fatal("go list found no packages; the check would pass vacuously")
	}
}
