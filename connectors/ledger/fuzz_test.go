package ledger

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/dunnerhq/dunner/agent"
)

// seed adds the fixtures matching pattern, then the given inputs.
func seed(f *testing.F, pattern string, more ...string) {
	files, _ := filepath.Glob(filepath.Join("testdata", pattern))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range more {
		f.Add([]byte(s))
	}
}

// checkLedger asserts what every reader promises: bad input is an
// *agent.InputError, and what is returned is complete.
func checkLedger(t *testing.T, data []byte, items []agent.Item, err error) {
	t.Helper()
	if err != nil {
		var ie *agent.InputError
		if !errors.As(err, &ie) || len(ie.Problems) == 0 {
			t.Fatalf("error is %T, want *agent.InputError with problems: %v", err, err)
		}
		if items != nil {
			t.Fatal("items returned along with an error")
		}
		return
	}
	// A line can be no further down than the decoded text goes.
	lines := bytes.Count(decodeText(data), []byte{'\n'}) + 1
	for _, it := range items {
		if it.CustomerID == "" || it.Invoice == "" || !it.DocType.Valid() || it.DueDate.IsZero() || len(it.Currency) != 3 {
			t.Fatalf("incomplete item: %+v", it)
		}
		if it.Line < 1 || it.Line > lines {
			t.Fatalf("item line %d outside the file's %d lines", it.Line, lines)
		}
	}
}

func FuzzReadLedgerCSV(f *testing.F) {
	seed(f, "good_*",
		hdr+"C1,I1,,2026-01-31,EUR,1\nC1,\"I\n2\",credit_note,2026-01-31,EUR,\"-1,000.5\"\n",
		"customer_id;invoice;due_date;currency;open_amount\nC1;I1;2026-01-31;EUR;1.234,5\n;;;;\n",
		hdr+"C1,I\"1,,2026-01-31,EUR,1\n")
	f.Fuzz(func(t *testing.T, data []byte) {
		items, err := ReadLedger(bytes.NewReader(data), "f.csv", "csv", "default", true)
		checkLedger(t, data, items, err)
		items, err = ReadLedger(bytes.NewReader(data), "f", "", "default", false)
		checkLedger(t, data, items, err)
	})
}

func FuzzReadSAP(f *testing.F) {
	seed(f, "fbl5n_*",
		"Kunde 1001\n|St|Belegnr|BA|Nettofälligkeit|Betrag in HW|HWähr|\n| |1|RV|01.02.2026|1.234|EUR|\n|*| | | |5,00|EUR|\n",
		"Account;Reference;Net due dt;Amt in loc.cur.;LCurr\n1;\"X\n1\";01/31/2026;1,234.00-;USD\n")
	f.Fuzz(func(t *testing.T, data []byte) {
		items, err := ReadLedger(bytes.NewReader(data), "f.txt", "sap-fbl5n", "1000", true)
		checkLedger(t, data, items, err)
	})
}

func FuzzReadCustomers(f *testing.F) {
	seed(f, "customers.csv",
		"customer_id,language,timezone,review,do_not_dun,contacts\nC1,de,Europe/Berlin,never,x,\"billing:a@b.example;c@d.example\"\n")
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, err := ReadCustomers(bytes.NewReader(data), "c.csv")
		if err != nil {
			var ie *agent.InputError
			if !errors.As(err, &ie) || len(ie.Problems) == 0 {
				t.Fatalf("error is %T, want *agent.InputError with problems: %v", err, err)
			}
			return
		}
		for _, r := range recs {
			if r.ID == "" || r.Line < 1 {
				t.Fatalf("incomplete record: %+v", r)
			}
			if r.Language != "" && !agent.ValidLanguage(r.Language) {
				t.Fatalf("language %q let through", r.Language)
			}
			for _, c := range r.Contacts {
				if !looksLikeEmail(c.Email) || c.Role == "" {
					t.Fatalf("contact %+v let through", c)
				}
			}
		}
	})
}
