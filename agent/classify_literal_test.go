package agent

import (
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// classifyLiteralTexts is mail text, and word salad made of the labels the
// literal matchers look for, for comparing them with the expressions they
// replace.
func classifyLiteralTexts(t testing.TB) []string {
	var texts []string
	files, _ := filepath.Glob("testdata/mail/*.eml")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, classifyFold(string(b)), string(b))
	}
	words := strings.FieldsFunc(classifyRefLabels, func(r rune) bool { return strings.ContainsRune("|()?:\\", r) })
	words = append(words, ".", "-", " ", "\n", "_", "x", "1", "INV-2026-1", "RE_12", "FV0042", "Rg.-Nr.", "N.º", "ü", "\xff", "n.o de factura", "p.o.", "F/7", "Inv12345/a")
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 3000; i++ {
		var b strings.Builder
		for j := rng.Intn(30); j >= 0; j-- {
			w := words[rng.Intn(len(words))]
			switch rng.Intn(5) {
			case 0:
				w = strings.ToUpper(w)
			case 1:
				w = strings.ToUpper(w[:1]) + w[1:]
			}
			b.WriteString(w)
			if rng.Intn(3) > 0 {
				b.WriteString([]string{" ", ".", "\n", "", ". ", "-", "\t"}[rng.Intn(7)])
			}
		}
		texts = append(texts, b.String())
	}
	return texts
}

func TestWordAltIsTheExpression(t *testing.T) {
	re := regexp.MustCompile(`\b(` + classifyRefLabels + `)\b\.?`)
	for _, s := range classifyLiteralTexts(t) {
		var want [][2]int
		for _, m := range re.FindAllStringIndex(classifyASCIILower(s), -1) {
			want = append(want, [2]int{m[0], m[1]})
		}
		if got := classifyRefLabel.findAll(s); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q:\n got  %v\n want %v", s, got, want)
		}
	}
}

func TestRefPrefixesIsTheExpression(t *testing.T) {
	texts := classifyLiteralTexts(t)
	for _, s := range []string{"INV-1", "INVOICE_2x", "FV123", "FV12", "xINV-1", "é INV/9-A_b/", "RE-", "R-1.R-2", "FACT/0 FRA1234", "INV12-3 RG999", "Rg-1", "F-1\n", "INV-1INV-2", "ÜFA-1"} {
		texts = append(texts, s, s+" "+s)
	}
	for _, s := range texts {
		var want [][2]int
		for _, m := range classifyRefPrefix.R().FindAllStringIndex(s, -1) {
			want = append(want, [2]int{m[0], m[1]})
		}
		if got := classifyRefPrefixes(s); !reflect.DeepEqual(got, want) {
			t.Fatalf("%q:\n got  %v\n want %v", s, got, want)
		}
	}
}

func TestCellsIsTheExpression(t *testing.T) {
	for _, text := range classifyLiteralTexts(t) {
		for _, l := range strings.Split(text, "\n") {
			for _, s := range []string{l, strings.TrimSpace(l)} {
				if got, want := classifyCells(s), classifyCellSplit.R().Split(s, -1); !reflect.DeepEqual(got, want) {
					t.Fatalf("%q:\n got  %q\n want %q", s, got, want)
				}
			}
		}
	}
}
