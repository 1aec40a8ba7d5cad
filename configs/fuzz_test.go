package configs

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/dunnerhq/dunner/agent"
)

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.yaml")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(minimal))
	f.Add([]byte("a: &a [*a, *a]\n"))
	f.Add([]byte("schedule: {plan: 'TZ=UTC'}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, "fuzz.yaml")
		if err == nil {
			if c == nil {
				t.Fatal("nil config without error")
			}
			// A config that loads must convert without trouble.
			c.Policies()
			c.CustomerRecords()
			c.DatabaseDSN()
			return
		}
		var ie *agent.InputError
		if !errors.As(err, &ie) || len(ie.Problems) == 0 {
			t.Fatalf("error %T %q is not an InputError with problems", err, err)
		}
	})
}
