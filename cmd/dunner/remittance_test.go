package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func TestRemittanceParseAndApply(t *testing.T) {
	h := newHarness(t, repoFile(t, "configs/demo.yaml"))
	advice := h.write("advice.csv", `Remittance advice
Payer;Müller Maschinenbau GmbH
Payment date;20.02.2026
Payment reference;ZA-4711
Invoice no.;Invoice date;Gross;Discount;Paid
R-2026-0042;31.01.2026;1.000,00;20,00;980,00
R-2026-0043;05.02.2026;500,00;;500,00
Total;;;;1.480,00
`)
	out := h.ok("remittance", "parse", advice, "--json")
	var r struct {
		Payer, PaymentDate, Currency string
		Total                        *string
		Lines                        []struct{ Invoice, Paid string }
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if !strings.Contains(out, `"payment_date":"2026-02-20"`) || len(r.Lines) != 2 || !strings.Contains(out, `"paid":"980.00"`) {
		t.Errorf("parse:\n%s", out)
	}
	bad := h.write("broken.pdf", "%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
	code, stdout, _ := h.run("remittance", "parse", bad, "--json")
	if code != 2 || !strings.Contains(stdout, `"error":"invalid_pdf"`) {
		t.Errorf("truncated PDF: exit %d, %s", code, stdout)
	}

	h.ok("import", "ledger", h.write("ledger.csv", `customer_id,invoice,issue_date,due_date,currency,open_amount
C1001,R-2026-0042,2026-01-31,2026-02-28,EUR,1000.00
C1001,R-2026-0043,2026-02-05,2026-03-05,EUR,500.00
C1001,R-2026-0050,2026-02-10,2026-03-10,EUR,70.00
`))
	csvOut := h.dir + "/posting.csv"
	out = h.ok("remittance", "apply", advice, "--export", csvOut)
	if !strings.Contains(out, "customer C1001, 2 lines applied") {
		t.Errorf("apply: %s", out)
	}
	states := map[string]string{}
	var items []map[string]any
	json.Unmarshal([]byte(h.ok("items", "list", "--json", "--as-of", "2026-02-21")), &items)
	for _, it := range items {
		states[it["invoice"].(string)] = it["state"].(string)
	}
	if states["R-2026-0042"] != "advised" || states["R-2026-0043"] != "advised" || states["R-2026-0050"] != "open" {
		t.Errorf("states after apply: %v", states)
	}
	b, _ := os.ReadFile(csvOut)
	if !strings.Contains(string(b), "C1001,R-2026-0042,invoice,EUR,980.00,20.00") {
		t.Errorf("posting export:\n%s", b)
	}
}

func TestReports(t *testing.T) {
	h := newHarness(t, repoFile(t, "configs/demo.yaml"))
	h.ok("import", "ledger", h.write("l.csv", `customer_id,invoice,doc_type,issue_date,due_date,currency,amount,open_amount
C1,A,invoice,2026-01-01,2026-01-31,EUR,100.00,100.00
C1,B,invoice,2026-02-15,2026-03-10,EUR,200.00,50.00
C1,CN,credit_note,2026-02-01,2026-02-01,EUR,-10.00,-10.00
`))
	out := h.ok("report", "aging", "--as-of", "2026-03-02", "--format", "csv")
	if !strings.Contains(out, "EUR,50.00,100.00,0.00,0.00,0.00,0.00,150.00,-10.00") {
		t.Errorf("aging:\n%s", out)
	}
	out = h.ok("report", "dso", "--as-of", "2026-03-02", "--format", "json")
	// 150 open over 300 invoiced in 90 days: 45 days.
	if !strings.Contains(out, `"dso":"45"`) {
		t.Errorf("dso: %s", out)
	}
	if code, _, _ := h.run("report", "aging", "--format", "xml"); code != 2 {
		t.Errorf("bad format: exit %d", code)
	}
}
