package agent

import (
	"encoding/json"
	"regexp"
	"testing"
)

// SPEC §3: amounts are decimal strings with a dot, two decimals as in the
// example, whatever the currency; interest is rounded to cents.
func TestAmountsAreDecimalStringsWithTwoDecimals(t *testing.T) {
	p := &Policy{MinOverdue: dec("0"), Levels: []Level{{Level: 1, Days: 1, Template: "r", Fee: dec("5"), Interest: dec("0.1")}}}
	tests := []struct {
		name, cur, open            string
		dpd                        int
		wantOpen, wantFee, wantInt string
	}{
		{"euro", "EUR", "100", 10, "100.00", "5.00", "0.27"},               // 100 × 0.1 × 10/365 = 0.2739…
		{"yen", "JPY", "1000", 10, "1000.00", "5.00", "2.74"},              // 2.7397… to cents, not to whole yen
		{"yen, small interest", "JPY", "730", 1, "730.00", "5.00", "0.20"}, // 730 × 0.1 / 365 = 0.2
		{"three-digit currency keeps its digits", "KWD", "1.234", 1, "1.234", "5.000", "0.000"},
		{"more digits than the currency", "USD", "10.5", 1, "10.50", "5.00", "0.00"},
	}
	amount := regexp.MustCompile(`^-?[0-9]+\.[0-9]{2,3}$`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cp := PlanCustomer(cust(), p, []OpenItem{inv("A", tt.dpd, tt.open, cur(tt.cur))}, 0, asOf)
			if cp.Notice == nil {
				t.Fatalf("no notice: %+v", cp)
			}
			pl := &Plan{AsOf: asOf}
			pl.Add(cp)
			b, err := json.Marshal(pl)
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Notices []struct {
					Items []struct {
						OpenAmount string `json:"open_amount"`
					} `json:"items"`
					Totals []struct{ Overdue, Fees, Interest string } `json:"totals"`
				} `json:"notices"`
			}
			if err := json.Unmarshal(b, &doc); err != nil {
				t.Fatalf("%v\n%s", err, b)
			}
			n := doc.Notices[0]
			got := []string{n.Items[0].OpenAmount, n.Totals[0].Overdue, n.Totals[0].Fees, n.Totals[0].Interest}
			want := []string{tt.wantOpen, tt.wantOpen, tt.wantFee, tt.wantInt}
			for i := range got {
				if got[i] != want[i] || !amount.MatchString(got[i]) {
					t.Errorf("amounts (open, overdue, fees, interest) = %q, want %q", got, want)
					break
				}
			}
		})
	}
}
