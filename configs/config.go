// Package configs loads Dunner's YAML configuration (SPEC §3): the company,
// delivery, schedule, dunning policies and per-customer settings.
//
// Loading is strict. Unknown keys, wrong types and bad values are all
// reported at once as an *agent.InputError whose problems name the file,
// line and field path, e.g.
//
//	dunner.yaml:14: policies.standard.levels[2].fee: not a decimal amount: "4O.00"
//
// because a dunning run driven by a half-understood config sends wrong
// letters to real customers.
package configs

import (
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dunnerhq/dunner/agent"
	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"
)

// Defaults applied when the config leaves a setting out.
const (
	DefaultDatabase  = "sqlite:var/dunner.db"
	DefaultOutboxDir = "var/outbox"
	DefaultListen    = "127.0.0.1:8080"
	DefaultPlan      = "0 6 * * 1-5"
	DefaultSend      = "30 7 * * 1-5"
	DefaultMail      = "*/5 * * * *"
	DefaultPortals   = "0 5 * * 1-5" // before the plan, so a run sees what portals said
)

// Config is a loaded, validated configuration.
type Config struct {
	Path string `yaml:"-"` // file it was loaded from, as given
	Dir  string `yaml:"-"` // its directory (absolute); relative paths resolve against it

	Database         string                  `yaml:"database"` // sqlite:PATH or postgres://…
	Company          Company                 `yaml:"company"`
	Delivery         Delivery                `yaml:"delivery"`
	TemplatesDir     string                  `yaml:"templates_dir"`
	Schedule         Schedule                `yaml:"schedule"`
	Web              Web                     `yaml:"web"`
	PolicyConfigs    map[string]PolicyConfig `yaml:"policies"` // as written; Policy and Policies convert
	CustomerDefaults CustomerConfig          `yaml:"customer_defaults"`
	Customers        []CustomerConfig        `yaml:"customers"`
	Demo             Demo                    `yaml:"demo"`
	Mailboxes        []Mailbox               `yaml:"mailboxes"`
	Remittance       Remittance              `yaml:"remittance"`
	Portals          []Portal                `yaml:"portals"`

	// lines maps field paths to their line, so checks made after decoding
	// can still point at the right place.
	lines map[string]int
	// fromEnv maps field paths to the environment variable that set them:
	// a bad value there is the environment's fault, not the file's.
	fromEnv map[string]string
}

// Company is the creditor: the sender of notices.
type Company struct {
	Name     string `yaml:"name"`
	Email    string `yaml:"email"`
	Timezone string `yaml:"timezone"`
	Phone    string `yaml:"phone"`
	Address  string `yaml:"address"`
	IBAN     string `yaml:"iban"`
	BIC      string `yaml:"bic"`
	Website  string `yaml:"website"`
	// Domain is the right-hand side of Message-IDs; it defaults to the
	// email's domain.
	Domain string `yaml:"domain"`
}

// Delivery says where approved drafts go.
type Delivery struct {
	// OutboxDir receives .eml files when no SMTP server is configured.
	OutboxDir string `yaml:"outbox_dir"`
	SMTP      *SMTP  `yaml:"smtp"`
	// Window limits sending to business hours in each customer's zone.
	Window *Window `yaml:"window"`
	// Statement attaches an account statement PDF to every dunning notice.
	Statement bool `yaml:"statement"`
	// SentCopy names the mailbox whose Sent folder gets a copy of every
	// notice sent; "" keeps no copy.
	SentCopy string `yaml:"sent_copy"`
	// Entities send through their own server, From and Message-ID domain
	// (a group's companies write as themselves); others use smtp above.
	Entities map[string]EntityDelivery `yaml:"entities"`
}

// EntityDelivery is one legal entity's outgoing mail.
type EntityDelivery struct {
	SMTP   *SMTP  `yaml:"smtp"`
	Domain string `yaml:"domain"` // Message-ID domain; default: the From address's
}

// Remittance tunes how remittance advices are applied.
type Remittance struct {
	// ApplyThresholdPercent is the match confidence (0–100) from which a
	// match marks its item payment-advised without a collector (default 80).
	ApplyThresholdPercent int `yaml:"apply_threshold_percent"`
	// LayoutsDir holds per-payer layouts (YAML) tried before the generic
	// reader; relative to the config.
	LayoutsDir string `yaml:"layouts_dir"`
}

// Mailbox is a shared AR mailbox read over IMAP.
type Mailbox struct {
	Name         string `yaml:"name"`
	Host         string `yaml:"host"`
	Port         int    `yaml:"port"` // default 993, or 143 without implicit TLS
	TLS          string `yaml:"tls"`  // implicit (default) | starttls | none
	Username     string `yaml:"username"`
	Password     string `yaml:"password"`
	PasswordFile string `yaml:"password_file"`
	// Folders are watched for new mail (default INBOX).
	Folders []string `yaml:"folders"`
	// FileInto is the folder per class a processed message is moved to;
	// default Dunner/<Class>. Nothing is ever deleted.
	FileInto map[string]string `yaml:"file_into"`
	// SentFolder receives copies of sent notices (default Sent).
	SentFolder     string `yaml:"sent_folder"`
	TimeoutSeconds int    `yaml:"timeout_seconds"`
	// MaxMessageMB caps a message's size; larger ones are left for a
	// collector (default 25).
	MaxMessageMB int `yaml:"max_message_mb"`
	Line         int `yaml:"-"`
}

// Mailbox returns the mailbox named name, or nil.
func (c *Config) Mailbox(name string) *Mailbox {
	for i := range c.Mailboxes {
		if c.Mailboxes[i].Name == name {
			return &c.Mailboxes[i]
		}
	}
	return nil
}

// Portal is a customer's accounts-payable portal and the flow that reads
// it (connectors/portal): login steps run once per visit, invoice steps
// once per open invoice with {invoice} set.
type Portal struct {
	Customer string `yaml:"customer"`
	URL      string `yaml:"url"`
	Username string `yaml:"username"`
	// Password is the secret itself after loading (password or
	// password_file).
	Password     string `yaml:"password"`
	PasswordFile string `yaml:"password_file"`
	// TimeoutSeconds is a step's default limit (default 30).
	TimeoutSeconds int `yaml:"timeout_seconds"`
	// DateOrder is how the portal writes numeric dates: DMY (default),
	// MDY or YMD.
	DateOrder string `yaml:"date_order"`
	// ScreenshotsDir receives a screenshot and the page's HTML when a step
	// fails; relative to the config.
	ScreenshotsDir string             `yaml:"screenshots_dir"`
	Login          []PortalStep       `yaml:"login"`
	Invoice        []PortalStep       `yaml:"invoice"`
	Statuses       []PortalStatusRule `yaml:"statuses"`
	Line           int                `yaml:"-"`
}

// PortalStep is one step of a portal flow: exactly one of goto, fill,
// click, wait, wait_url, table and download.
type PortalStep struct {
	Goto      string       `yaml:"goto"`
	Fill      string       `yaml:"fill"`
	Value     string       `yaml:"value"`
	Click     string       `yaml:"click"`
	Navigates bool         `yaml:"navigates"`
	Wait      string       `yaml:"wait"`
	WaitURL   string       `yaml:"wait_url"`
	Table     *PortalTable `yaml:"table"`
	Download  string       `yaml:"download"`
	Kind      string       `yaml:"kind"`
	Via       string       `yaml:"via"`
	Name      string       `yaml:"name"`
	Optional  bool         `yaml:"optional"`
	IfFound   bool         `yaml:"if_found"`
	// TimeoutSeconds overrides the portal's timeout_seconds for the step.
	TimeoutSeconds int `yaml:"timeout_seconds"`
	Line           int `yaml:"-"`
}

// PortalTable reads a results table: columns by header text, cells by a
// selector inside the row; fields invoice, status, date, reason.
type PortalTable struct {
	Rows    string            `yaml:"rows"`
	Columns map[string]string `yaml:"columns"`
	Cells   map[string]string `yaml:"cells"`
}

// PortalStatusRule maps status texts matching a regular expression to a
// status; tried before the built-in English, German and Spanish wording.
type PortalStatusRule struct {
	Match  string `yaml:"match"`
	Status string `yaml:"status"`
	Line   int    `yaml:"-"`
}

// Portal returns the portal of a customer, or nil.
func (c *Config) Portal(customer string) *Portal {
	for i := range c.Portals {
		if c.Portals[i].Customer == customer {
			return &c.Portals[i]
		}
	}
	return nil
}

// ScreenshotsPath returns the portal's screenshots directory resolved
// against the config's directory.
func (c *Config) ScreenshotsPath(p *Portal) string { return c.resolvePath(p.ScreenshotsDir) }

// Window is the send window: hours and weekdays in the customer's time
// zone, and a holiday calendar.
type Window struct {
	Hours    string   `yaml:"hours"`    // "08:00-18:00"
	Weekdays []string `yaml:"weekdays"` // default mon-fri
	// Holidays is a calendar (ES, ES-MD, ES-CT, DE, DE-BY, DE-BE, US),
	// "auto" (the country of the customer's time zone) or "none".
	Holidays string `yaml:"holidays"`
}

// SMTP TLS modes.
const (
	TLSNone          = "none"
	TLSStartTLS      = "starttls"
	TLSImplicit      = "implicit"
	TLSOpportunistic = "opportunistic"
)

// SMTP is the outgoing mail server.
type SMTP struct {
	Host     string `yaml:"host"`
	Port     int    `yaml:"port"` // default 465 for implicit TLS, else 587
	Username string `yaml:"username"`
	// Password is the secret itself after loading, whichever way it was
	// given (password, password_file, DUNNER_SMTP_PASSWORD[_FILE]).
	Password     string `yaml:"password"`
	PasswordFile string `yaml:"password_file"`
	TLS          string `yaml:"tls"`      // none | starttls (default) | implicit | opportunistic
	From         string `yaml:"from"`     // default: the company name and email
	ReplyTo      string `yaml:"reply_to"` // optional
	// Connections send in parallel over one reused connection each
	// (default 2).
	Connections int `yaml:"connections"`
	// RatePerMinute caps messages per minute to the server and
	// DomainRatePerMinute per recipient domain; 0 = no cap.
	RatePerMinute       int    `yaml:"rate_per_minute"`
	DomainRatePerMinute int    `yaml:"domain_rate_per_minute"`
	TimeoutSeconds      int    `yaml:"timeout_seconds"` // per SMTP command (default 60)
	MaxMessageMB        int    `yaml:"max_message_mb"`  // size cap per message (default 10)
	MaxAttempts         int    `yaml:"max_attempts"`    // temporary failures before a notice fails (default 8)
	HeloName            string `yaml:"helo_name"`       // default: the machine's host name
}

// Schedule holds the cron specs of the daemon's jobs.
type Schedule struct {
	Plan string `yaml:"plan"`
	Send string `yaml:"send"`
	Mail string `yaml:"mail"` // polling the mailboxes (default every 5 minutes)
	// Portals visits the customers' AP portals (default 05:00 on weekdays).
	Portals string `yaml:"portals"`
}

// Web is the UI and JSON API listener.
type Web struct {
	Listen string `yaml:"listen"`
}

// PolicyConfig is a policy as written in YAML; Config.Policy converts it.
type PolicyConfig struct {
	MinOverdueTotal  Amounts         `yaml:"min_overdue_total"`
	MinDaysBetween   int             `yaml:"min_days_between"`
	PromiseGraceDays int             `yaml:"promise_grace_days"`
	SkipLevels       bool            `yaml:"skip_levels"`
	Upcoming         *UpcomingConfig `yaml:"upcoming"`
	Levels           []LevelConfig   `yaml:"levels"`
	Line             int             `yaml:"-"`
}

// Amounts is an amount per currency: a scalar applies to every currency, a
// mapping (EUR: 50.00) sets it per currency and leaves others at zero.
type Amounts struct {
	All        decimal.Decimal
	ByCurrency map[string]decimal.Decimal
}

// UpcomingConfig is the optional pre-due reminder.
type UpcomingConfig struct {
	// Days before the due date. Written -5 (SPEC) or 5; stored negative.
	Days     int    `yaml:"days"`
	Template string `yaml:"template"`
	Line     int    `yaml:"-"`
}

// LevelConfig is one rung of a policy's ladder.
type LevelConfig struct {
	Level    int             `yaml:"level"`
	Days     int             `yaml:"days"`
	Template string          `yaml:"template"`
	Review   bool            `yaml:"review"`
	Fee      decimal.Decimal `yaml:"fee"`
	Interest decimal.Decimal `yaml:"interest"`
	Action   string          `yaml:"action"`
	Line     int             `yaml:"-"`
}

// CustomerConfig is a customer entry (or the defaults) as written in YAML.
type CustomerConfig struct {
	ID        string            `yaml:"id"`
	Name      string            `yaml:"name"`
	Language  string            `yaml:"language"`
	Timezone  string            `yaml:"timezone"`
	Policy    string            `yaml:"policy"`
	Review    string            `yaml:"review"`
	DoNotDun  *bool             `yaml:"do_not_dun"`
	Collector string            `yaml:"collector"`
	Contacts  []agent.Contact   `yaml:"contacts"`
	Templates map[string]string `yaml:"templates"`
	Line      int               `yaml:"-"`
}

// Demo points the demo command at sample data.
type Demo struct {
	Ledger    string     `yaml:"ledger"`    // resolved against Config.Dir
	Customers string     `yaml:"customers"` // resolved against Config.Dir
	AsOf      agent.Date `yaml:"as_of"`
	// History lists earlier run dates the demo replays (run, approve all,
	// send) before AsOf, so the demo shows climbing levels and customers
	// contacted too recently.
	History []agent.Date `yaml:"history"`
}

// maxProblems is how many problems one load reports at most.
const maxProblems = 100

// Load reads the config at path with overrides from the process environment.
func Load(path string) (*Config, error) { return LoadEnv(path, os.Getenv) }

// LoadEnv reads the config at path, applies the DUNNER_* overrides that
// getenv reports, reads secret files and validates. Faults are returned
// together as an *agent.InputError.
func LoadEnv(path string, getenv func(string) string) (*Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, agent.Invalid(path, 0, "", "cannot read config: %v", unwrapPath(err))
	}
	return build(data, path, getenv, true)
}

//go:embed builtin.yaml
var builtin []byte

// BuiltinPath names the built-in config in messages; relative paths in it
// resolve against the working directory.
const BuiltinPath = "(built-in config)"

// Builtin is the config used when no file is found, so imports, dry runs
// and the one-shot commands work in any directory; DUNNER_* overrides apply
// as to a file.
func Builtin(getenv func(string) string) (*Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	c, err := build(builtin, BuiltinPath, getenv, true)
	if err == nil {
		c.Dir, _ = os.Getwd()
	}
	return c, err
}

// Parse decodes and validates config data as if read from path. Unlike
// Load it reads neither the environment nor any file (secret files, the
// templates directory), so it is safe on untrusted input.
func Parse(data []byte, path string) (*Config, error) {
	return build(data, path, nil, false)
}

func build(data []byte, path string, getenv func(string) string, useFS bool) (*Config, error) {
	errs := &agent.InputError{}
	c := decodeAndCheck(data, path, getenv, useFS, errs)
	if n := len(errs.Problems); n > maxProblems {
		// A generated or mangled file can fault on every line; past a
		// screenful the rest are better found after fixing these.
		errs.Problems = append(errs.Problems[:maxProblems], agent.Problem{
			File: path, Msg: fmt.Sprintf("and %d more problems", n-maxProblems),
		})
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

func decodeAndCheck(data []byte, path string, getenv func(string) string, useFS bool, errs *agent.InputError) *Config {
	c := &Config{Path: path, lines: map[string]int{}, fromEnv: map[string]string{}}
	c.Dir = filepath.Dir(path)
	if abs, err := filepath.Abs(c.Dir); err == nil {
		c.Dir = abs
	}
	root := parseDocument(path, data, errs)
	if root == nil {
		// Checking the fields of a file that does not parse would only
		// report them all missing.
		return nil
	}
	if r := resolve(root); r == nil || isNull(r) {
		// An empty file is an empty mapping: report what it lacks.
		root = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: 1}
	}
	d := &decoder{file: path, errs: errs, lines: c.lines}
	d.decode(root, reflectValue(c), "", root.Line)
	if d.tooBig || resolve(root).Kind != yaml.MappingNode {
		if len(errs.Problems) == 0 {
			errs.Add(path, root.Line, "", "expected a mapping of settings")
		}
		return nil
	}
	if getenv != nil {
		c.applyEnv(getenv, errs)
	}
	if useFS {
		c.readSecrets(errs)
	}
	c.applyDefaults(useFS)
	c.validate(errs, useFS)
	return c
}

// Policy returns the named policy in domain form, levels ascending.
func (c *Config) Policy(name string) (*agent.Policy, bool) {
	pc, ok := c.PolicyConfigs[name]
	if !ok {
		return nil, false
	}
	return pc.toPolicy(name), true
}

// Policies returns every policy in domain form, by name.
func (c *Config) Policies() map[string]*agent.Policy {
	out := make(map[string]*agent.Policy, len(c.PolicyConfigs))
	for name, pc := range c.PolicyConfigs {
		out[name] = pc.toPolicy(name)
	}
	return out
}

func (pc PolicyConfig) toPolicy(name string) *agent.Policy {
	p := &agent.Policy{
		Name:             name,
		MinOverdue:       pc.MinOverdueTotal.All,
		MinDaysBetween:   pc.MinDaysBetween,
		PromiseGraceDays: pc.PromiseGraceDays,
		SkipLevels:       pc.SkipLevels,
	}
	if len(pc.MinOverdueTotal.ByCurrency) > 0 {
		p.MinOverdueBy = make(map[string]decimal.Decimal, len(pc.MinOverdueTotal.ByCurrency))
		for cur, amt := range pc.MinOverdueTotal.ByCurrency {
			p.MinOverdueBy[cur] = amt
		}
	}
	if u := pc.Upcoming; u != nil {
		p.Upcoming = &agent.Upcoming{Days: -abs(u.Days), Template: u.Template}
	}
	for _, l := range pc.Levels {
		p.Levels = append(p.Levels, agent.Level{
			Level: l.Level, Days: l.Days, Template: l.Template, Review: l.Review,
			Fee: l.Fee, Interest: l.Interest, Action: l.Action,
		})
	}
	sort.SliceStable(p.Levels, func(i, j int) bool { return p.Levels[i].Level < p.Levels[j].Level })
	return p
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// CustomerRecords returns the config's customers by ID, as the layer that
// overrides imported master data field by field.
func (c *Config) CustomerRecords() map[string]*agent.CustomerRecord {
	out := make(map[string]*agent.CustomerRecord, len(c.Customers))
	for _, cc := range c.Customers {
		r := cc.record()
		out[r.ID] = &r
	}
	return out
}

func (cc CustomerConfig) record() agent.CustomerRecord {
	r := agent.CustomerRecord{
		ID: cc.ID, Name: cc.Name, Language: cc.Language, Timezone: cc.Timezone,
		Policy: cc.Policy, Review: cc.Review, Collector: cc.Collector, Line: cc.Line,
	}
	if cc.DoNotDun != nil {
		v := *cc.DoNotDun
		r.DoNotDun = &v
	}
	if cc.Contacts != nil {
		r.Contacts = append([]agent.Contact{}, cc.Contacts...)
	}
	if cc.Templates != nil {
		r.Templates = make(map[string]string, len(cc.Templates))
		for k, v := range cc.Templates {
			r.Templates[k] = v
		}
	}
	return r
}

// Defaults returns the record that fills what neither the imported master
// nor the config's customers give.
func (c *Config) Defaults() agent.CustomerRecord {
	d := c.CustomerDefaults
	return agent.CustomerRecord{Policy: d.Policy, Language: d.Language, Timezone: d.Timezone, Review: d.Review}
}

// DatabaseDSN returns the database DSN with a relative sqlite path resolved
// against the config's directory, so the daemon finds the same database
// whatever its working directory.
func (c *Config) DatabaseDSN() string {
	p, ok := strings.CutPrefix(c.Database, "sqlite:")
	if !ok || p == "" || p == ":memory:" || strings.HasPrefix(p, "file:") || filepath.IsAbs(p) {
		return c.Database
	}
	return "sqlite:" + filepath.Join(c.Dir, p)
}

// OutboxDir returns the outbox directory resolved against the config's
// directory.
func (c *Config) OutboxDir() string { return c.resolvePath(c.Delivery.OutboxDir) }

func (c *Config) resolvePath(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(c.Dir, p)
}

func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}
