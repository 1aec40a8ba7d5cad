package configs

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/dunnerhq/dunner/agent"
	"github.com/shopspring/decimal"
)

// noEnv keeps tests independent of the machine's DUNNER_* variables.
func noEnv(string) string { return "" }

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func mustLoad(t *testing.T, path string, getenv func(string) string) *Config {
	t.Helper()
	c, err := LoadEnv(path, getenv)
	if err != nil {
		t.Fatalf("LoadEnv(%s): %v", path, err)
	}
	return c
}

func problemLines(t *testing.T, err error) []string {
	t.Helper()
	var ie *agent.InputError
	if !errors.As(err, &ie) {
		t.Fatalf("error is %T (%v), want *agent.InputError", err, err)
	}
	return strings.Split(ie.Error(), "\n")
}

func TestGoodPolicies(t *testing.T) {
	c := mustLoad(t, "testdata/good.yaml", noEnv)
	want := map[string]*agent.Policy{
		"standard": {
			Name:             "standard",
			MinOverdue:       dec("50.00"),
			MinDaysBetween:   7,
			PromiseGraceDays: 3,
			Upcoming:         &agent.Upcoming{Days: -5, Template: "upcoming"},
			Levels: []agent.Level{
				{Level: 1, Days: 3, Template: "reminder1"},
				{Level: 2, Days: 15, Template: "reminder2"},
				{Level: 3, Days: 30, Template: "final_notice", Review: true, Fee: dec("40.00"), Interest: dec("0.1015")},
				{Level: 4, Days: 45, Action: agent.ActionEscalate},
			},
		},
		"strict": {
			Name:         "strict",
			MinOverdueBy: map[string]decimal.Decimal{"EUR": dec("100"), "USD": dec("120.10")},
			SkipLevels:   true,
			// Written as 7; stored as days before the due date.
			Upcoming: &agent.Upcoming{Days: -7, Template: "upcoming"},
			// Written out of order; the domain wants them ascending.
			Levels: []agent.Level{
				{Level: 1, Days: 5, Template: "reminder1"},
				{Level: 2, Days: 20, Template: "reminder2"},
			},
		},
	}
	got := c.Policies()
	if len(got) != len(want) {
		t.Fatalf("got %d policies, want %d", len(got), len(want))
	}
	for name, w := range want {
		g, ok := c.Policy(name)
		if !ok {
			t.Fatalf("policy %s missing", name)
		}
		comparePolicy(t, g, w)
		comparePolicy(t, got[name], w)
	}
	if _, ok := c.Policy("nope"); ok {
		t.Error("Policy(nope) found")
	}
	// The fee must be the exact text, not a float round trip.
	std, _ := c.Policy("standard")
	if s := std.Levels[2].Interest.String(); s != "0.1015" {
		t.Errorf("interest = %s, want 0.1015", s)
	}
}

func comparePolicy(t *testing.T, g, w *agent.Policy) {
	t.Helper()
	if g.Name != w.Name || g.MinDaysBetween != w.MinDaysBetween || g.PromiseGraceDays != w.PromiseGraceDays || g.SkipLevels != w.SkipLevels {
		t.Errorf("%s: scalars = %+v, want %+v", w.Name, g, w)
	}
	if !g.MinOverdue.Equal(w.MinOverdue) {
		t.Errorf("%s: MinOverdue = %s, want %s", w.Name, g.MinOverdue, w.MinOverdue)
	}
	if len(g.MinOverdueBy) != len(w.MinOverdueBy) {
		t.Errorf("%s: MinOverdueBy = %v, want %v", w.Name, g.MinOverdueBy, w.MinOverdueBy)
	}
	for cur, amt := range w.MinOverdueBy {
		if !g.MinOverdueBy[cur].Equal(amt) {
			t.Errorf("%s: MinOverdueBy[%s] = %s, want %s", w.Name, cur, g.MinOverdueBy[cur], amt)
		}
	}
	if !reflect.DeepEqual(g.Upcoming, w.Upcoming) {
		t.Errorf("%s: Upcoming = %+v, want %+v", w.Name, g.Upcoming, w.Upcoming)
	}
	if len(g.Levels) != len(w.Levels) {
		t.Fatalf("%s: %d levels, want %d", w.Name, len(g.Levels), len(w.Levels))
	}
	for i, wl := range w.Levels {
		gl := g.Levels[i]
		if gl.Level != wl.Level || gl.Days != wl.Days || gl.Template != wl.Template || gl.Review != wl.Review || gl.Action != wl.Action ||
			!gl.Fee.Equal(wl.Fee) || !gl.Interest.Equal(wl.Interest) {
			t.Errorf("%s: level[%d] = %+v, want %+v", w.Name, i, gl, wl)
		}
	}
}

func TestGoodRest(t *testing.T) {
	c := mustLoad(t, "testdata/good.yaml", noEnv)
	dir, _ := filepath.Abs("testdata")
	if c.Path != "testdata/good.yaml" || c.Dir != dir {
		t.Errorf("Path, Dir = %q, %q", c.Path, c.Dir)
	}
	if got, want := c.DatabaseDSN(), "sqlite:"+filepath.Join(dir, "var/dunner.db"); got != want {
		t.Errorf("DatabaseDSN = %q, want %q", got, want)
	}
	if got, want := c.OutboxDir(), filepath.Join(dir, "var/outbox"); got != want {
		t.Errorf("OutboxDir = %q, want %q", got, want)
	}
	if c.Company.Domain != "northwind.example" {
		t.Errorf("Domain = %q", c.Company.Domain)
	}
	if c.TemplatesDir != "" {
		t.Errorf("TemplatesDir = %q, want none (testdata has no templates dir)", c.TemplatesDir)
	}
	s := c.Delivery.SMTP
	wantSMTP := SMTP{
		Host: "smtp.northwind.example", Port: 587, Username: "ar@northwind.example",
		Password: "hunter2", PasswordFile: "smtp-password.txt", TLS: TLSStartTLS,
		From: `"Northwind Supply S.L." <ar@northwind.example>`,
	}
	if s == nil || *s != wantSMTP {
		t.Errorf("SMTP = %+v, want %+v", s, wantSMTP)
	}
	if c.Web.Listen != DefaultListen || c.Schedule.Plan != "0 6 * * 1-5" || c.Schedule.Send != "30 7 * * 1-5" {
		t.Errorf("web/schedule = %+v %+v", c.Web, c.Schedule)
	}
	if c.Demo.AsOf != agent.MustDate("2026-03-01") {
		t.Errorf("Demo.AsOf = %v", c.Demo.AsOf)
	}

	wantDefaults := agent.CustomerRecord{Policy: "standard", Language: "en", Timezone: "Europe/Madrid", Review: "default"}
	if d := c.Defaults(); !reflect.DeepEqual(d, wantDefaults) {
		t.Errorf("Defaults = %+v, want %+v", d, wantDefaults)
	}
	yes := true
	want := map[string]*agent.CustomerRecord{
		"C1001": {
			ID: "C1001", Name: "Müller Maschinenbau GmbH", Language: "de", Timezone: "Europe/Berlin",
			Policy: "standard", Review: "always",
			Contacts: []agent.Contact{
				{Email: "ap@mueller.example", Role: "billing"},
				{Email: "cfo@mueller.example", Role: "escalation"},
			},
			Templates: map[string]string{"reminder1": "mueller-reminder1"},
			Line:      36,
		},
		// A quoted numeric id keeps its leading zeros.
		"0042": {ID: "0042", Name: "Hernández y Asociados", Language: "es", Policy: "strict", DoNotDun: &yes, Collector: "ana", Line: 44},
	}
	if got := c.CustomerRecords(); !reflect.DeepEqual(got, want) {
		t.Errorf("CustomerRecords =\n%+v\nwant\n%+v", got, want)
	}

	// The records resolve the way the run will use them.
	recs := c.CustomerRecords()
	cu, err := agent.Resolve("C1001", nil, recs["C1001"], c.Defaults())
	if err != nil || cu.Location.String() != "Europe/Berlin" || cu.Language != "de" {
		t.Errorf("Resolve = %+v, %v", cu, err)
	}
}

func TestBadConfigs(t *testing.T) {
	for _, tc := range []struct {
		file string
		want []string
	}{
		{"bad-unknown-key.yaml", []string{
			`testdata/bad-unknown-key.yaml:8: policies.standard.levels[1].reveiw: unknown key; did you mean "review"?`,
			`testdata/bad-unknown-key.yaml:9: policies.standard.promise_grace: unknown key (known: levels, min_days_between, min_overdue_total, promise_grace_days, skip_levels, upcoming)`,
			`testdata/bad-unknown-key.yaml:11: colour: unknown key (known: company, customer_defaults, customers, database, delivery, demo, mailboxes, policies, portals, remittance, schedule, templates_dir, web)`,
		}},
		{"bad-decimal.yaml", []string{
			`testdata/bad-decimal.yaml:13: policies.standard.levels[2].fee: not a decimal amount: "4O.00"`,
		}},
		{"bad-dangling-policy.yaml", []string{
			`testdata/bad-dangling-policy.yaml:11: customers[0].policy: no policy named "premium" (defined: standard)`,
		}},
		{"bad-language.yaml", []string{
			`testdata/bad-language.yaml:11: customers[0].language: unsupported language "fr"; use en, es, de`,
		}},
		{"bad-timezone.yaml", []string{
			`testdata/bad-timezone.yaml:8: customer_defaults.timezone: unknown time zone "Europe/Madird"`,
		}},
		{"bad-duplicate-level.yaml", []string{
			`testdata/bad-duplicate-level.yaml:9: policies.standard.levels[2].level: duplicate level 2 (first at line 8)`,
		}},
		{"bad-template-and-action.yaml", []string{
			`testdata/bad-template-and-action.yaml:8: policies.standard.levels[1]: has both template and action; a level sends an email (template) or escalates (action), not both`,
		}},
		{"bad-cron.yaml", []string{
			`testdata/bad-cron.yaml:11: schedule.send: not a cron schedule (minute hour day month weekday): "30 25 * * 1-5": end of range (25) above maximum (23): 25`,
		}},
		{"bad-many.yaml", []string{
			`testdata/bad-many.yaml:1: database: unsupported database "mysql:"; use sqlite:PATH or postgres://…`,
			`testdata/bad-many.yaml:4: company.email: not an email address: "ar.northwind.example"`,
			`testdata/bad-many.yaml:6: company.iban: not a valid IBAN: "ES00 2100 0418 4502 0005 1332"`,
			`testdata/bad-many.yaml:9: policies.standard.min_overdue_total.usd: not an ISO 4217 currency code (three capital letters)`,
			`testdata/bad-many.yaml:10: policies.standard.min_days_between: must not be negative`,
			`testdata/bad-many.yaml:11: policies.standard.upcoming.template: required`,
			`testdata/bad-many.yaml:14: policies.standard.levels[1].template: not a template name (letters, digits, _ - and inner dots): "../etc/passwd"`,
			`testdata/bad-many.yaml:14: policies.standard.levels[1].days: level 2 at 3 days must come later than level 1 at 15 days`,
			`testdata/bad-many.yaml:15: policies.standard.levels[2].fee: must not be negative`,
			`testdata/bad-many.yaml:15: policies.standard.levels[2].interest: is a yearly rate as a fraction (0.1015 for 10.15 %) and must be below 1, not 10.15`,
			`testdata/bad-many.yaml:16: policies.standard.levels[3].action: unknown action "call"; the only action is escalate`,
			`testdata/bad-many.yaml:17: policies.standard.levels[4].level: must be a positive whole number`,
			`testdata/bad-many.yaml:17: policies.standard.levels[4]: needs a template (send an email) or action: escalate`,
			`testdata/bad-many.yaml:18: customer_defaults.contacts: not a default; customer_defaults takes policy, language, timezone and review`,
			`testdata/bad-many.yaml:18: customer_defaults.review: must be always, never or default, not "sometimes"`,
			`testdata/bad-many.yaml:21: customers[0].contacts[0].email: required`,
			`testdata/bad-many.yaml:21: customers[0].contacts[1].email: not an email address: "Müller AP <ap@mueller.example>"`,
			`testdata/bad-many.yaml:22: customers[0].templates.reminder9: no policy uses a template "reminder9" (used: final_notice, reminder1)`,
			`testdata/bad-many.yaml:23: customers[1].id: duplicate customer id C1001 (first at line 20)`,
			`testdata/bad-many.yaml:24: customers[1].do_not_dun: not true or false: "maybe"`,
			`testdata/bad-many.yaml:25: web.listen: not a host:port address: "localhost"`,
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			_, err := LoadEnv("testdata/"+tc.file, noEnv)
			got := problemLines(t, err)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// minimal is the smallest config that loads.
const minimal = `company: {name: Northwind, email: ar@northwind.example}
policies:
  standard:
    levels: [{level: 1, days: 3, template: reminder1}]
`

func TestParseSnippets(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		want       []string // problem lines; nil: loads
	}{
		{"minimal", minimal, nil},
		{"empty file", "", []string{
			"x.yaml:1: company.name: required: notices are signed with it",
			"x.yaml:1: company.email: required: notices are sent from it",
			"x.yaml:1: policies: no policy defined; at least one is needed",
		}},
		{"not a mapping", "- a\n- b\n", []string{`x.yaml:1: expected a mapping, got a list`}},
		{"syntax error", minimal + "web: listen: x\n", nil},
		{"duplicate key", minimal + "web: {listen: ':1'}\nweb: {listen: ':2'}\n", []string{
			`x.yaml:6: web: duplicate key (first at line 5)`,
		}},
		{"two documents", minimal + "---\ndatabase: sqlite:x\n", []string{
			`x.yaml:5: more than one YAML document; a config is a single document`,
		}},
		{"anchors need an x- key", minimal + "base: &base {min_days_between: 7}\n", []string{
			`x.yaml:5: base: unknown key (known: company, customer_defaults, customers, database, delivery, demo, mailboxes, policies, portals, remittance, schedule, templates_dir, web)`,
		}},
		{"wrong types", `company: {name: [N], email: a@b.example}
policies:
  standard:
    min_days_between: "7"
    levels: {level: 1}
`, []string{
			`x.yaml:1: company.name: expected a text value, got a list`,
			`x.yaml:4: policies.standard.min_days_between: not a whole number: "7"`,
			`x.yaml:5: policies.standard.levels: expected a list, got a mapping`,
		}},
		{"float syntax rejected for money", minimal + "    min_overdue_total: 1e3\n", []string{
			`x.yaml:5: policies.standard.min_overdue_total: not a decimal amount: "1e3"`,
		}},
		{"several policies need a default", minimal + "  other:\n    levels: [{level: 1, days: 3, template: reminder1}]\n", []string{
			`x.yaml:1: customer_defaults.policy: required: which policy customers without their own use (one of other, standard)`,
		}},
		{"postgres", "database: postgres://dunner@db/dunner\n" + minimal, nil},
		{"bad sqlite", "database: 'sqlite:'\n" + minimal, []string{
			`x.yaml:1: database: sqlite: needs a file path, e.g. sqlite:var/dunner.db`,
		}},
		{"days must climb", `company: {name: N, email: a@b.example}
policies:
  p:
    levels:
      - {level: 2, days: 10, template: b}
      - {level: 1, days: 10, template: a}
`, []string{`x.yaml:5: policies.p.levels[0].days: level 2 at 10 days must come later than level 1 at 10 days`}},
		{"smtp", minimal + `delivery:
  smtp: {port: 70000, tls: ssl, username: u, from: "not an address"}
`, []string{
			`x.yaml:6: delivery.smtp.host: required when smtp is configured`,
			`x.yaml:6: delivery.smtp.port: not a port number: 70000`,
			`x.yaml:6: delivery.smtp.tls: must be none, starttls, implicit or opportunistic, not "ssl"`,
			`x.yaml:6: delivery.smtp.username: set without a password (password, password_file or DUNNER_SMTP_PASSWORD)`,
			`x.yaml:6: delivery.smtp.from: not an email address: "not an address"`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse([]byte(tc.yaml), "x.yaml")
			if tc.name == "syntax error" {
				got := problemLines(t, err)
				if len(got) != 1 || got[0] != "x.yaml:5: not valid YAML: mapping values are not allowed in this context" {
					t.Errorf("got %q", got)
				}
				return
			}
			if tc.want == nil {
				if err != nil || c == nil {
					t.Fatalf("Parse: %v", err)
				}
				return
			}
			if got := problemLines(t, err); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestAnchorsAndMerge(t *testing.T) {
	c, err := Parse([]byte(`company: {name: N, email: a@b.example}
x-shared:
  ladder: &ladder
    - {level: 1, days: 3, template: r1}
policies:
  standard: &std
    min_overdue_total: 50.00
    levels: *ladder
  strict:
    <<: *std
    min_overdue_total: 100.00
  copy: *std
  laddered:
    levels: *ladder
customer_defaults: {policy: strict}
`), "x.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for name, min := range map[string]string{"standard": "50", "strict": "100", "copy": "50", "laddered": "0"} {
		p, ok := c.Policy(name)
		if !ok || !p.MinOverdue.Equal(dec(min)) || len(p.Levels) != 1 || p.Levels[0].Template != "r1" {
			t.Errorf("%s = %+v", name, p)
		}
	}
}

func TestDefaults(t *testing.T) {
	c, err := Parse([]byte(minimal+"company: {timezone: Europe/Madrid}\n"), "conf/x.yaml")
	if err == nil {
		t.Fatal("duplicate company key accepted")
	}
	c, err = Parse([]byte(strings.Replace(minimal, "email: ar@northwind.example", "email: ar@Northwind.Example, timezone: Europe/Madrid", 1)), "conf/x.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.Database != DefaultDatabase || c.Delivery.OutboxDir != DefaultOutboxDir || c.Web.Listen != DefaultListen ||
		c.Schedule.Plan != DefaultPlan || c.Schedule.Send != DefaultSend || c.Delivery.SMTP != nil {
		t.Errorf("defaults = %+v", c)
	}
	if c.Company.Domain != "northwind.example" {
		t.Errorf("Domain = %q", c.Company.Domain)
	}
	// The only policy is the default one; the zone is the company's.
	want := agent.CustomerRecord{Policy: "standard", Language: "en", Timezone: "Europe/Madrid", Review: "default"}
	if d := c.Defaults(); !reflect.DeepEqual(d, want) {
		t.Errorf("Defaults = %+v, want %+v", d, want)
	}
	if c.TemplatesDir != "" {
		t.Errorf("Parse looked at the disk: TemplatesDir = %q", c.TemplatesDir)
	}

	c, _ = Parse([]byte(minimal), "x.yaml")
	if c.Defaults().Timezone != "UTC" {
		t.Errorf("Timezone = %q, want UTC", c.Defaults().Timezone)
	}
	c, _ = Parse([]byte(minimal+"delivery: {smtp: {host: h, port: 465}}\n"), "x.yaml")
	if s := c.Delivery.SMTP; s.TLS != TLSImplicit || s.Port != 465 || s.From != `"Northwind" <ar@northwind.example>` {
		t.Errorf("SMTP = %+v", s)
	}
	c, _ = Parse([]byte(minimal+"delivery: {smtp: {host: h, tls: implicit}}\n"), "x.yaml")
	if s := c.Delivery.SMTP; s.Port != 465 {
		t.Errorf("SMTP = %+v", s)
	}
}

func TestPaths(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "templates"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "ledger.csv"), "")
	path := filepath.Join(dir, "dunner.yaml")
	writeFile(t, path, minimal+"database: sqlite:/abs/d.db\ndelivery: {outbox_dir: /abs/out}\ndemo: {ledger: ledger.csv, customers: missing.csv}\n")
	_, err := LoadEnv(path, noEnv)
	want := []string{path + ":7: demo.customers: no such file: " + filepath.Join(dir, "missing.csv")}
	if got := problemLines(t, err); !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}

	writeFile(t, path, minimal+"database: sqlite:/abs/d.db\ndelivery: {outbox_dir: /abs/out}\ndemo: {ledger: ledger.csv}\n")
	c := mustLoad(t, path, noEnv)
	if c.DatabaseDSN() != "sqlite:/abs/d.db" || c.OutboxDir() != "/abs/out" {
		t.Errorf("absolute paths changed: %q %q", c.DatabaseDSN(), c.OutboxDir())
	}
	if c.TemplatesDir != filepath.Join(dir, "templates") {
		t.Errorf("TemplatesDir = %q", c.TemplatesDir)
	}
	if c.Demo.Ledger != filepath.Join(dir, "ledger.csv") {
		t.Errorf("Demo.Ledger = %q", c.Demo.Ledger)
	}

	writeFile(t, path, minimal+"templates_dir: nowhere\n")
	_, err = LoadEnv(path, noEnv)
	want = []string{path + ":5: templates_dir: no such directory: " + filepath.Join(dir, "nowhere")}
	if got := problemLines(t, err); !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}

	if _, err := LoadEnv(filepath.Join(dir, "absent.yaml"), noEnv); err == nil ||
		err.Error() != filepath.Join(dir, "absent.yaml")+": cannot read config: no such file or directory" {
		t.Errorf("missing file: %v", err)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestEnvOverrides(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "dunner.yaml")
	writeFile(t, path, minimal)
	secret := filepath.Join(dir, "pw")
	writeFile(t, secret, "s3cret\r\n")
	dbSecret := filepath.Join(dir, "db")
	writeFile(t, dbSecret, "postgres://dunner:pw@db/dunner\n")

	c := mustLoad(t, path, envOf(map[string]string{
		"DUNNER_DATABASE_FILE":      dbSecret,
		"DUNNER_SMTP_HOST":          "smtp.example",
		"DUNNER_SMTP_PORT":          "2525",
		"DUNNER_SMTP_USERNAME":      "ar",
		"DUNNER_SMTP_PASSWORD_FILE": secret,
		"DUNNER_WEB_LISTEN":         ":9090",
		"DUNNER_OUTBOX_DIR":         "out",
	}))
	if c.Database != "postgres://dunner:pw@db/dunner" || c.DatabaseDSN() != c.Database {
		t.Errorf("Database = %q", c.Database)
	}
	if s := c.Delivery.SMTP; s == nil || s.Host != "smtp.example" || s.Port != 2525 || s.Username != "ar" || s.Password != "s3cret" || s.TLS != TLSStartTLS {
		t.Errorf("SMTP = %+v", s)
	}
	if c.Web.Listen != ":9090" || c.OutboxDir() != filepath.Join(dir, "out") {
		t.Errorf("Listen, OutboxDir = %q, %q", c.Web.Listen, c.OutboxDir())
	}

	// The environment wins over the file, including over password_file,
	// which is then not read at all.
	writeFile(t, path, minimal+"database: sqlite:a.db\ndelivery:\n  smtp: {host: h, username: u, password_file: gone}\n")
	c = mustLoad(t, path, envOf(map[string]string{"DUNNER_DATABASE": "sqlite:b.db", "DUNNER_SMTP_PASSWORD": "envpw"}))
	if c.DatabaseDSN() != "sqlite:"+filepath.Join(dir, "b.db") || c.Delivery.SMTP.Password != "envpw" {
		t.Errorf("Database, Password = %q, %q", c.DatabaseDSN(), c.Delivery.SMTP.Password)
	}

	// password_file resolves against the config's directory.
	writeFile(t, filepath.Join(dir, "smtp.secret"), "filepw\n")
	writeFile(t, path, minimal+"delivery:\n  smtp: {host: h, username: u, password_file: smtp.secret}\n")
	c = mustLoad(t, path, noEnv)
	if c.Delivery.SMTP.Password != "filepw" {
		t.Errorf("Password = %q", c.Delivery.SMTP.Password)
	}
	// Parse reads no files: the secret stays unread.
	c, err := Parse([]byte(minimal+"delivery:\n  smtp: {host: h, username: u, password_file: smtp.secret}\n"), path)
	if err != nil || c.Delivery.SMTP.Password != "" {
		t.Errorf("Parse read the secret: %+v, %v", c, err)
	}
}

func TestEnvProblems(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "dunner.yaml")
	missing := filepath.Join(dir, "missing")
	empty := filepath.Join(dir, "empty")
	writeFile(t, empty, "\n")

	writeFile(t, path, minimal)
	_, err := LoadEnv(path, envOf(map[string]string{
		"DUNNER_DATABASE":           "mysql://x",
		"DUNNER_WEB_LISTEN":         "nohost",
		"DUNNER_SMTP_PASSWORD_FILE": missing,
	}))
	want := []string{
		`environment: DUNNER_SMTP_PASSWORD_FILE: cannot read "` + missing + `": no such file or directory`,
		`environment: DUNNER_DATABASE: unsupported database "mysql:"; use sqlite:PATH or postgres://…`,
		`environment: DUNNER_WEB_LISTEN: not a host:port address: "nohost"`,
	}
	if got := problemLines(t, err); !reflect.DeepEqual(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	_, err = LoadEnv(path, envOf(map[string]string{
		"DUNNER_SMTP_HOST":          "h",
		"DUNNER_SMTP_PORT":          "smtp",
		"DUNNER_SMTP_USERNAME":      "u",
		"DUNNER_SMTP_PASSWORD":      "p",
		"DUNNER_SMTP_PASSWORD_FILE": empty,
	}))
	want = []string{
		`environment: DUNNER_SMTP_PORT: not a port number: "smtp"`,
		`environment: DUNNER_SMTP_PASSWORD: set together with DUNNER_SMTP_PASSWORD_FILE; set one of them`,
		`environment: DUNNER_SMTP_USERNAME: set without a password (password, password_file or DUNNER_SMTP_PASSWORD)`,
	}
	if got := problemLines(t, err); !reflect.DeepEqual(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	_, err = LoadEnv(path, envOf(map[string]string{"DUNNER_SMTP_USERNAME_FILE": empty}))
	want = []string{`environment: DUNNER_SMTP_USERNAME_FILE: "` + empty + `" is empty`}
	if got := problemLines(t, err); !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}

	_, err = LoadEnv(path, envOf(map[string]string{"DUNNER_SMTP_PASSWORD": "p"}))
	want = []string{`environment: DUNNER_SMTP_PASSWORD: set, but no SMTP server is configured (delivery.smtp.host or DUNNER_SMTP_HOST)`}
	if got := problemLines(t, err); !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}

	writeFile(t, path, minimal+"delivery:\n  smtp:\n    host: h\n    username: u\n    password: p\n    password_file: missing\n")
	_, err = LoadEnv(path, noEnv)
	want = []string{path + ":10: delivery.smtp.password_file: set together with password; set one of them"}
	if got := problemLines(t, err); !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}

	writeFile(t, path, minimal+"delivery:\n  smtp:\n    host: h\n    username: u\n    password_file: missing\n")
	_, err = LoadEnv(path, noEnv)
	want = []string{path + `:9: delivery.smtp.password_file: cannot read "` + missing + `": no such file or directory`}
	if got := problemLines(t, err); !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestIBAN(t *testing.T) {
	for s, ok := range map[string]bool{
		"ES91 2100 0418 4502 0005 1332": true,
		"DE89370400440532013000":        true,
		"GB82 WEST 1234 5698 7654 32":   true,
		"DE89370400440532013001":        false,
		"DE8937040044":                  false,
		"1289370400440532013000":        false,
		"DEXX370400440532013000":        false,
	} {
		if validIBAN(s) != ok {
			t.Errorf("validIBAN(%q) = %v", s, !ok)
		}
	}
}

func TestHostileInput(t *testing.T) {
	// Aliases multiply: 600 policies × 600 levels would be 360,000 levels.
	var b strings.Builder
	b.WriteString("x-level: &l {level: 1, days: 3, template: r}\nx-levels: &ls [")
	for i := range 600 {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("*l")
	}
	b.WriteString("]\nx-policy: &p {levels: *ls}\n")
	b.WriteString("company: {name: N, email: a@b.example}\ncustomer_defaults: {policy: p0}\npolicies:\n")
	for i := range 600 {
		fmt.Fprintf(&b, "  p%d: *p\n", i)
	}
	_, err := Parse([]byte(b.String()), "x.yaml")
	got := problemLines(t, err)
	if len(got) != 1 || !strings.Contains(got[0], "too large: aliases expand to more than") {
		t.Errorf("alias bomb: %d problems, first %q", len(got), got[0])
	}

	// Merges of merges cost work even when they add no keys.
	b.Reset()
	b.WriteString("x-0: &m0 {a: 1}\n")
	for i := 1; i <= 8; i++ {
		fmt.Fprintf(&b, "x-%d: &m%d\n  <<: [", i, i)
		for j := range 40 {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*m%d", i-1)
		}
		b.WriteString("]\n")
	}
	b.WriteString("company:\n  <<: *m8\n")
	_, err = Parse([]byte(b.String()), "x.yaml")
	got = problemLines(t, err)
	if len(got) != 1 || !strings.Contains(got[0], "too large") {
		t.Errorf("merge bomb: %q", got)
	}

	// Every fault counts, but the report stops after a screenful.
	b.Reset()
	b.WriteString(minimal + "customers:\n")
	for range 150 {
		b.WriteString("  - {language: xx}\n")
	}
	_, err = Parse([]byte(b.String()), "x.yaml")
	got = problemLines(t, err)
	if len(got) != maxProblems+1 || got[maxProblems] != "x.yaml: and 200 more problems" {
		t.Errorf("got %d problems, last %q", len(got), got[len(got)-1])
	}
}
