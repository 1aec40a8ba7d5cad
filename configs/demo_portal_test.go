package configs

import (
	"os"
	"strings"
	"testing"
)

// TestDemoPortalExample keeps the commented portal example in demo.yaml
// valid: admins copy it.
func TestDemoPortalExample(t *testing.T) {
	data, err := os.ReadFile("demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	i := strings.Index(text, "\n# portals:\n")
	if i < 0 {
		t.Fatal("no commented portals: example in demo.yaml")
	}
	var ex strings.Builder
	ex.WriteString(minimal)
	for _, l := range strings.Split(text[i+1:], "\n") {
		if strings.HasPrefix(l, "# ") {
			ex.WriteString(l[2:] + "\n")
		}
	}
	c, err := Parse([]byte(ex.String()), "demo-portal.yaml")
	if err != nil {
		t.Fatalf("%v\n%s", err, ex.String())
	}
	if p := c.Portal("C1001"); p == nil || len(p.Invoice) != 6 {
		t.Fatalf("portal: %+v", p)
	}
}
