package ledger

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadCustomersGolden(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "customers.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := ReadCustomers(f, "customers.csv")
	if err != nil {
		t.Fatalf("ReadCustomers: %v", err)
	}
	type view struct {
		Line int `json:"line"`
		Rec  any `json:"record"`
	}
	v := make([]view, len(recs))
	for i, r := range recs {
		v[i] = view{r.Line, r}
	}
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	golden := filepath.Join("testdata", "golden", "customers.csv.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("records differ from %s (go test -update rewrites it)\ngot:\n%s", golden, got)
	}
}

func TestReadCustomersProblems(t *testing.T) {
	const h = "customer_id,name,language,timezone,policy,review,do_not_dun,collector,contacts\n"
	tests := []struct {
		name string
		in   string
		want []string
		n    int
	}{
		{name: "empty", in: "", want: []string{"c.csv: empty file: expected a header row"}},
		{name: "header only is no change", in: h},
		{name: "no id column", in: "name,language\nA,en\n", want: []string{
			"c.csv:1: customer_id: required column missing (header has: name,language)"}},
		{
			name: "every bad value",
			in: h +
				"C1,A,EN,Europe/Berlin,std,Always,x,jo,billing:a@b.example;escalation:c@d.example\n" +
				"C1,B,fr,Mars/Base,,sometimes,maybe,,\"billing:nope;:x@y.example;z@w.example\"\n" +
				",,,,,,,,\n" +
				"  ,Nameless,,,,,,,\n" +
				"C2,\"Multi\nline\",de,UTC,,,,,\"billing:a@b\"\n",
			want: []string{
				`c.csv:3: customer_id: customer C1 is on lines 2 and 3`,
				`c.csv:3: language: unsupported language "fr" (want one of en, es, de)`,
				`c.csv:3: timezone: unknown time zone "Mars/Base" (want an IANA name like Europe/Berlin)`,
				`c.csv:3: review: unknown review mode "sometimes" (want always, never or default)`,
				`c.csv:3: do_not_dun: not a yes/no value: "maybe" (want yes, no, true, false, 1, 0 or x)`,
				`c.csv:3: contacts: contact "billing:nope": "nope" is not an email address`,
				`c.csv:3: contacts: contact ":x@y.example": the role before ':' must be a word like billing or escalation`,
				`c.csv:5: customer_id: missing: every customer needs one`,
				`c.csv:7: contacts: contact "billing:a@b": "a@b" is not an email address`,
			},
		},
		{name: "good", in: h + "C1,,,,,,,,\nC2,,,,,,yes,,\n", n: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs, err := ReadCustomers(strings.NewReader(tt.in), "c.csv")
			sameLines(t, problems(t, err), tt.want)
			if len(recs) != tt.n {
				t.Errorf("%d records, want %d", len(recs), tt.n)
			}
		})
	}
}

func TestLooksLikeEmail(t *testing.T) {
	for s, want := range map[string]bool{
		"ap@x.example": true, "a.b+c@sub.x.example": true,
		"": false, "ap": false, "@x.example": false, "a@b": false, "a@@b.example": false,
		"a b@x.example": false, "Name <a@x.example>": false, "a@x..example": false, "a@-x.example": false,
	} {
		if got := looksLikeEmail(s); got != want {
			t.Errorf("looksLikeEmail(%q) = %v", s, got)
		}
	}
}
