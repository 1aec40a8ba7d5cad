package ledger

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/dunnerhq/dunner/agent"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenItem shows Line, which Item keeps out of its JSON.
type goldenItem struct {
	Line int `json:"line"`
	agent.Item
}

// TestReadLedgerGolden reads every good fixture and compares the items with
// testdata/golden/FILE.json (go test -update rewrites them).
func TestReadLedgerGolden(t *testing.T) {
	tests := []struct {
		file, format, entity string
	}{
		{"good_comma.csv", "csv", "default"},
		{"good_semicolon_bom.csv", "csv", "de01"},
		{"good_tab.tsv", "", "default"},
		{"good_utf16le.csv", "csv", "es01"},
		{"good_win1252.csv", "", "default"},
		{"good_multiline.csv", "csv", "default"},
		{"good.json", "json", "default"},
		{"fbl5n_list_de.txt", "sap-fbl5n", "1000"},
		{"fbl5n_spreadsheet_en.xls", "sap-fbl5n", "US01"},
		{"fbl5n_resave_de.csv", "sap-fbl5n", "1000"},
		{"fbl5n_list_en_subtotals.txt", "", "GB01"},
		{"good_semicolon_crlf_grouped.csv", "csv", "default"},
		{"good_tab_english_unicode_text.txt", "csv", "default"},
		{"good_header_variants_bom.csv", "csv", "default"},
		{"good_utf16le_tab.txt", "csv", "default"},
		{"good_utf16be.csv", "", "default"},
		{"good_cr_only.csv", "csv", "default"},
		{"good_blank_lines_no_eol.csv", "csv", "default"},
		{"good_utf16.json", "", "default"},
		{"fbl5n_list_en_blocks.txt", "sap-fbl5n", "GB01"},
		{"fbl5n_list_de_konto.txt", "", "1000"},
		{"fbl5n_spreadsheet_de_1252.xls", "sap-fbl5n", "1000"},
		{"fbl5n_resave_en.csv", "sap-fbl5n", "US01"},
		{"fbl5n_spreadsheet_utf16_en.txt", "", "1000"},
		{"fbl5n_list_account_lines.txt", "sap-fbl5n", "US01"},
		{"fbl5n_resave_de_doc_local.csv", "", "1000"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			items, err := ReadLedger(f, tt.file, tt.format, tt.entity, false)
			sortByLine(items) // ReadLedger returns key order; these tests read by line
			if err != nil {
				t.Fatalf("ReadLedger: %v", err)
			}
			view := make([]goldenItem, len(items))
			for i, it := range items {
				view[i] = goldenItem{it.Line, it}
			}
			got, err := json.MarshalIndent(view, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata", "golden", tt.file+".json")
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
				t.Errorf("items differ from %s (go test -update rewrites it)\ngot:\n%s", golden, got)
			}
		})
	}
}
