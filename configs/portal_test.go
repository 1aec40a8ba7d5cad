package configs

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const portalYAML = `portals:
  - customer: C1001
    url: https://suppliers.acme.example/
    username: ar@northwind.example
    password_file: secrets/acme
    date_order: DMY
    screenshots_dir: var/portal-screens
    login:
      - goto: /login
      - {fill: "#username", value: "{username}"}
      - {fill: "#password", value: "{password}"}
      - {click: "#signin", navigates: true}
      - wait: "#search-form"
    invoice:
      - goto: "{url}/invoices?q={invoice}"
      - wait: "#results"
      - table: {rows: "#results tbody tr", columns: {invoice: "Invoice #", status: Status, date: Payment date},
                cells: {reason: "td.comment"}}
      - {click: "a[data-invoice='{invoice}']", navigates: true, if_found: true}
      - {download: "#invoice-copy", kind: invoice_copy, via: click, if_found: true}
      - {download: "#pod", kind: pod, optional: true, if_found: true, timeout_seconds: 5}
    statuses:
      - {match: "(?i)zahllauf", status: scheduled}
`

func TestPortalConfig(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "secrets"), 0o700)
	os.WriteFile(filepath.Join(dir, "secrets", "acme"), []byte("s3cret!\n"), 0o600)
	path := filepath.Join(dir, "dunner.yaml")
	os.WriteFile(path, []byte(minimal+portalYAML), 0o600)
	c, err := LoadEnv(path, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	p := c.Portal("C1001")
	if p == nil || p.Password != "s3cret!" || len(p.Login) != 5 || len(p.Invoice) != 6 {
		t.Fatalf("portal: %+v", p)
	}
	if p.Invoice[2].Table == nil || p.Invoice[2].Table.Columns["date"] != "Payment date" || p.Invoice[5].TimeoutSeconds != 5 {
		t.Errorf("invoice steps: %+v", p.Invoice)
	}
	if p.Login[1].Line != 14 || p.Statuses[0].Status != "scheduled" {
		t.Errorf("line %d, statuses %+v", p.Login[1].Line, p.Statuses)
	}
	if got := c.ScreenshotsPath(p); got != filepath.Join(dir, "var/portal-screens") {
		t.Errorf("screenshots %s", got)
	}
	if c.Schedule.Portals != DefaultPortals {
		t.Errorf("schedule %q", c.Schedule.Portals)
	}
}

func TestPortalConfigProblems(t *testing.T) {
	_, err := Parse([]byte(minimal+`schedule: {portals: "every day"}
portals:
  - customer: C1
    url: ftp://acme.example
    date_order: DD.MM
    login:
      - {goto: "/x?p={password}"}
      - {fill: "#u"}
      - {click: "#a", wait: "#b"}
      - {download: "#d", kind: pod}
      - {table: {rows: tr, columns: {status: S}}}
      - {wait: "#x", if_found: true, navigates: true}
    invoice:
      - {download: "#d", kind: POD, via: fetch, name: ../x.pdf}
      - {table: {rows: "", columns: {amount: A}, cells: {status: "td"}}}
      - {fill: "#p", value: "{password}"}
    statuses:
      - {match: "(", status: done}
  - {customer: C1, url: "https://a.example", username: u}
`), "x.yaml")
	got := problemLines(t, err)
	want := []string{
		`x.yaml:5: schedule.portals: not a cron schedule (minute hour day month weekday): "every day": expected exactly 5 fields, found 2: [every day]`,
		`x.yaml:7: portals[0].password_file: required: a step fills in {password}`,
		`x.yaml:8: portals[0].url: not an http(s) URL: "ftp://acme.example"`,
		`x.yaml:9: portals[0].date_order: must be DMY, MDY or YMD, not "DD.MM"`,
		`x.yaml:11: portals[0].login[0].goto: {password} may only be used in a fill's value`,
		`x.yaml:12: portals[0].login[1].value: required: what to type into "#u"`,
		`x.yaml:13: portals[0].login[2]: a step does one thing; this one has click and wait`,
		`x.yaml:14: portals[0].login[3].download: a document belongs to an invoice: put downloads in the invoice steps`,
		`x.yaml:15: portals[0].login[4].table.columns: needs invoice (in columns or cells) outside the invoice steps`,
		`x.yaml:16: portals[0].login[5].navigates: belongs to a click step, not wait`,
		`x.yaml:16: portals[0].login[5].if_found: only invoice steps can depend on the invoice being found`,
		`x.yaml:18: portals[0].invoice[0].kind: lower-case letters, digits and _ only, not "POD"`,
		`x.yaml:18: portals[0].invoice[0].via: must be href or click, not "fetch"`,
		`x.yaml:18: portals[0].invoice[0].name: a file name, not a path: "../x.pdf"`,
		`x.yaml:19: portals[0].invoice[1].table.rows: required: the selector of the result rows`,
		`x.yaml:19: portals[0].invoice[1].table.columns.amount: not a field; a table reads invoice, status, date and reason`,
		`x.yaml:22: portals[0].statuses[0].match: not a regular expression: error parsing regexp: missing closing ): ` + "`(`",
		`x.yaml:22: portals[0].statuses[0].status: must be one of unknown, received, in_review, approved, scheduled, paid, rejected, disputed, not "done"`,
		`x.yaml:23: portals[1].customer: customer C1 has a portal already (line 7)`,
		`x.yaml:23: portals[1]: the portal has no steps (login, invoice)`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
