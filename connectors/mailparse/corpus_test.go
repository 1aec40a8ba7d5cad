package mailparse

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/dunnerhq/dunner/agent"
)

// corpusDir holds hand-written messages in the shapes real clients produce,
// each NAME.eml with the §5 JSON expected of it in NAME.json.
const corpusDir = "../../agent/testdata/mail"

// -update-confidence rewrites only the "confidence" of each expectation:
// the number moves when the weighing is tuned, the decisions must not.
var updateConfidence = flag.Bool("update-confidence", false, "rewrite the confidence in the corpus JSON files")

type expectation struct {
	Class            string   `json:"class"`
	Language         string   `json:"language"`
	InvoiceRefs      []string `json:"invoice_refs"`
	PromisedDate     *string  `json:"promised_date"`
	BouncedRecipient *string  `json:"bounced_recipient"`
	FraudRisk        bool     `json:"fraud_risk"`
	Confidence       *float64 `json:"confidence"`
}

func TestCorpus(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(corpusDir, "*.eml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus in %s: %v", corpusDir, err)
	}
	sort.Strings(files)
	fields := []string{"class", "language", "invoice_refs", "promised_date", "bounced_recipient", "fraud_risk", "confidence"}
	right := map[string]int{}
	perClass := map[string][2]int{}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".eml")
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		jpath := strings.TrimSuffix(f, ".eml") + ".json"
		jraw, err := os.ReadFile(jpath)
		if err != nil {
			t.Errorf("%s: no expectation: %v", name, err)
			continue
		}
		var want expectation
		if err := json.Unmarshal(jraw, &want); err != nil {
			t.Errorf("%s: bad expectation: %v", name, err)
			continue
		}
		m, err := ParseBytes(raw)
		if err != nil {
			t.Errorf("%s: parse: %v", name, err)
			continue
		}
		c := agent.Classify(m)
		got := toExpectation(c)
		if c.Confidence < 0 || c.Confidence > 1 {
			t.Errorf("%s: confidence %v out of [0,1]", name, c.Confidence)
		}
		if *updateConfidence {
			want.Confidence = got.Confidence
			b, _ := json.Marshal(want)
			if err := os.WriteFile(jpath, append(b, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		same := map[string]bool{
			"class":             got.Class == want.Class,
			"language":          got.Language == want.Language,
			"invoice_refs":      reflect.DeepEqual(got.InvoiceRefs, want.InvoiceRefs),
			"promised_date":     eqPtr(got.PromisedDate, want.PromisedDate),
			"bounced_recipient": eqPtr(got.BouncedRecipient, want.BouncedRecipient),
			"fraud_risk":        got.FraudRisk == want.FraudRisk,
			"confidence":        want.Confidence != nil && math.Abs(*got.Confidence-*want.Confidence) < 0.005,
		}
		pc := perClass[want.Class]
		pc[1]++
		if same["class"] {
			pc[0]++
		}
		perClass[want.Class] = pc
		var diffs []string
		for _, k := range fields {
			if same[k] {
				right[k]++
			} else {
				diffs = append(diffs, k)
			}
		}
		if len(diffs) > 0 {
			gb, _ := json.Marshal(got)
			wb, _ := json.Marshal(want)
			t.Errorf("%s: %s differ\n  got  %s\n  want %s", name, strings.Join(diffs, ", "), gb, wb)
		}
	}
	var report []string
	for _, k := range fields {
		report = append(report, fmt.Sprintf("%s %d/%d", k, right[k], len(files)))
	}
	t.Logf("corpus accuracy per field: %s", strings.Join(report, ", "))
	var classes []string
	for k, v := range perClass {
		classes = append(classes, fmt.Sprintf("%s %d/%d", k, v[0], v[1]))
	}
	sort.Strings(classes)
	t.Logf("class accuracy per expected class: %s", strings.Join(classes, ", "))
}

func toExpectation(c agent.Classification) expectation {
	b, _ := json.Marshal(c)
	var e expectation
	_ = json.Unmarshal(b, &e)
	return e
}

func eqPtr(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
