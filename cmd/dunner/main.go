// Command dunner is the only place where Dunner's concrete types meet: it
// reads the config, opens the store, picks the mailer and runs a use case.
package main

import (
	"cmp"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/mail"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/dunnerhq/dunner/agent"
	"github.com/dunnerhq/dunner/configs"
	"github.com/dunnerhq/dunner/connectors/imap"
	"github.com/dunnerhq/dunner/connectors/mailparse"
	"github.com/dunnerhq/dunner/connectors/pdf"
	"github.com/dunnerhq/dunner/connectors/postgres"
	"github.com/dunnerhq/dunner/connectors/smtp"
	"github.com/dunnerhq/dunner/connectors/sqlite"
	"github.com/dunnerhq/dunner/jobs"
	"github.com/dunnerhq/dunner/templates"
)

// Version is set at build time with -ldflags "-X main.Version=…".
var Version = "dev"

func main() {
	tuneGC()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Main(ctx, os.Args[1:], Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		Clock: agent.SystemClock{}, Getenv: os.Getenv})
	stop()
	os.Exit(code)
}

// tuneGC trades memory for time unless the operator set GOGC or
// GOMEMLIMIT: a run over a large ledger allocates far more than it keeps, so
// collecting at 4× the live heap cuts most of the GC work. A soft limit at
// half the machine's memory keeps a huge import from growing past it; a
// fixed small limit would make such an import collect without pause.
func tuneGC() {
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetGCPercent(400)
		debug.SetMemoryLimit(physicalMemory() / 2)
	}
}

// physicalMemory reads MemTotal from /proc/meminfo (8 GiB where there is
// none).
func physicalMemory() int64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "MemTotal:" {
				if kb, err := strconv.ParseInt(f[1], 10, 64); err == nil && kb > 0 {
					return kb << 10
				}
			}
		}
	}
	return 8 << 30
}

// Env is the outside world a command sees; tests pass their own.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Clock          agent.Clock
	Getenv         func(string) string
	// NewPortal, when set, stands in for the Chromium-driven portals.
	NewPortal func(*configs.Portal) (agent.Portal, error)
}

// Exit codes of SPEC §1.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// usageError is bad usage: exit 2 with a one-line message.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// app is what commands share: the parsed global flags and, once opened, the
// config, store and use cases.
type app struct {
	env       Env
	ctx       context.Context
	log       *slog.Logger
	cfgPath   string
	dbDSN     string
	logFormat string

	cfg   *configs.Config
	store agent.Store
	dun   *jobs.Dunning
}

const usage = `usage: dunner [--config FILE] [--db DSN] [--log-format text|json] COMMAND

commands:
  demo                         import the demo data, run and send (first command of the README)
  serve [--listen ADDR]        the daemon: jobs on cron, review UI + JSON API, /healthz, /metrics
  run [--as-of D] [--dry-run] [--json]
  send [--as-of D] [--lease DURATION]
  import ledger FILE [--format csv|sap-fbl5n|json] [--entity E] [--allow-empty]
  import customers FILE
  items list [--customer ID] [--as-of D] [--json]
  drafts list [--state S] [--json] | show ID [--json] | approve ID… | approve --all
         reject ID --reason R | edit ID [--subject S] [--text-file F] [--html-file F]
         delivered ID [--on D]     (an uncertain notice found delivered)
  templates lint | templates preview --customer ID --template T --lang L [--part text|html|subject]
  mail classify FILE.eml [--json] | mail poll [--mailbox NAME]
  portal fetch --customer ID [--invoice N] [--json] | portal sync [--json]
  remittance parse FILE [--json] | remittance apply FILE [--customer ID] [--export FILE.csv]
  report aging|dso [--as-of D] [--format table|csv|json] [--days N]
  jobs list | jobs run NAME
  migrate
  version`

// Main runs one command and returns its exit code.
func Main(ctx context.Context, args []string, env Env) int {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	a := &app{env: env, ctx: ctx}
	if path := env.Getenv("DUNNER_CPUPROFILE"); path != "" {
		// For performance work on real ledgers: `go tool pprof` reads it.
		if f, err := os.Create(path); err == nil {
			if pprof.StartCPUProfile(f) == nil {
				defer func() { pprof.StopCPUProfile(); f.Close() }()
			}
		}
	}
	rest, err := a.globalFlags(args)
	if err == nil {
		a.log = newLogger(env.Stderr, a.logFormat)
		err = a.dispatch(rest)
	}
	if a.store != nil {
		a.store.Close()
	}
	return a.report(err)
}

// report prints err as SPEC §1 asks and picks the exit code.
func (a *app) report(err error) int {
	if err == nil {
		return exitOK
	}
	var ie *agent.InputError
	var ue *usageError
	switch {
	case errors.As(err, &ie):
		fmt.Fprintln(a.env.Stderr, ie.Error())
		return exitUsage
	case errors.As(err, &ue):
		fmt.Fprintln(a.env.Stderr, "dunner: "+ue.msg)
		return exitUsage
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintln(a.env.Stderr, usage)
		return exitUsage
	}
	fmt.Fprintln(a.env.Stderr, "dunner: "+err.Error())
	return exitFail
}

func newLogger(w io.Writer, format string) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// globalFlags takes --config, --db and --log-format from anywhere in args,
// so `dunner run --config x.yaml` works as well as `dunner --config x.yaml run`.
func (a *app) globalFlags(args []string) ([]string, error) {
	a.logFormat = "text"
	var rest []string
	for i := 0; i < len(args); i++ {
		arg := args[i]
		name, val, hasVal := strings.Cut(strings.TrimLeft(arg, "-"), "=")
		if !strings.HasPrefix(arg, "-") || (name != "config" && name != "db" && name != "log-format") {
			rest = append(rest, arg)
			continue
		}
		if !hasVal {
			if i+1 >= len(args) {
				return nil, usagef("flag --%s needs a value", name)
			}
			i++
			val = args[i]
		}
		switch name {
		case "config":
			a.cfgPath = val
		case "db":
			a.dbDSN = val
		case "log-format":
			if val != "text" && val != "json" {
				return nil, usagef("--log-format: want text or json, got %q", val)
			}
			a.logFormat = val
		}
	}
	return rest, nil
}

func (a *app) dispatch(args []string) error {
	if len(args) == 0 {
		return flag.ErrHelp
	}
	cmd, args := args[0], args[1:]
	sub := func() (string, []string, error) {
		if len(args) == 0 || strings.HasPrefix(args[0], "-") {
			return "", nil, usagef("%s: missing subcommand", cmd)
		}
		return args[0], args[1:], nil
	}
	switch cmd {
	case "version":
		fmt.Fprintln(a.env.Stdout, "dunner", Version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprintln(a.env.Stdout, usage)
		return nil
	case "migrate":
		return a.cmdMigrate(args)
	case "run":
		return a.cmdRun(args)
	case "send":
		return a.cmdSend(args)
	case "demo":
		return a.cmdDemo(args)
	case "serve":
		return a.cmdServe(args)
	case "import":
		s, rest, err := sub()
		if err != nil {
			return err
		}
		switch s {
		case "ledger":
			return a.cmdImportLedger(rest)
		case "customers":
			return a.cmdImportCustomers(rest)
		}
		return usagef("import: unknown kind %q (want ledger or customers)", s)
	case "items":
		s, rest, err := sub()
		if err != nil {
			return err
		}
		if s != "list" {
			return usagef("items: unknown subcommand %q", s)
		}
		return a.cmdItemsList(rest)
	case "drafts":
		s, rest, err := sub()
		if err != nil {
			return err
		}
		return a.cmdDrafts(s, rest)
	case "templates":
		s, rest, err := sub()
		if err != nil {
			return err
		}
		return a.cmdTemplates(s, rest)
	case "report":
		s, rest, err := sub()
		if err != nil {
			return err
		}
		return a.cmdReport(s, rest)
	case "remittance":
		s, rest, err := sub()
		if err != nil {
			return err
		}
		return a.cmdRemittance(s, rest)
	case "mail":
		s, rest, err := sub()
		if err != nil {
			return err
		}
		return a.cmdMail(s, rest)
	case "portal":
		s, rest, err := sub()
		if err != nil {
			return err
		}
		return a.cmdPortal(s, rest)
	case "jobs":
		s, rest, err := sub()
		if err != nil {
			return err
		}
		return a.cmdJobs(s, rest)
	}
	return usagef("unknown command %q (try dunner help)", cmd)
}

// parse parses a command's flags, allowing flags after positional
// arguments (`drafts reject 12 --reason "paid"`).
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usagef("%s: %v", fs.Name(), err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// dateFlag is a --as-of style flag holding an ISO date.
type dateFlag struct{ d agent.Date }

func (f *dateFlag) String() string { return f.d.String() }
func (f *dateFlag) Set(s string) error {
	d, err := agent.ParseDate(s)
	if err != nil {
		return err
	}
	f.d = d
	return nil
}

// loadConfig reads the config: --config, else dunner.yaml, else the demo.
func (a *app) loadConfig() error {
	if a.cfg != nil {
		return nil
	}
	path := a.cfgPath
	if path == "" {
		path = "dunner.yaml"
		if _, err := os.Stat(path); err != nil {
			path = "configs/demo.yaml"
		}
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			cfg, err := configs.Builtin(a.env.Getenv)
			if err != nil {
				return err
			}
			a.log.Info("no dunner.yaml or configs/demo.yaml here: using the built-in config", "dir", cfg.Dir)
			a.cfg = cfg
			return nil
		}
	}
	cfg, err := configs.LoadEnv(path, a.env.Getenv)
	if err != nil {
		return err
	}
	a.cfg = cfg
	return nil
}

// open loads the config and opens the store and the use cases.
func (a *app) open() error {
	if a.dun != nil {
		return nil
	}
	if err := a.loadConfig(); err != nil {
		return err
	}
	dsn := a.cfg.DatabaseDSN()
	if a.dbDSN != "" {
		dsn = a.dbDSN
	}
	store, err := openStore(dsn)
	if err != nil {
		return err
	}
	a.store = store
	renderer, err := templates.New(a.cfg.TemplatesDir)
	if err != nil {
		return fmt.Errorf("templates: %w", err)
	}
	zone, err := agent.LoadZone(a.cfg.Company.Timezone)
	if err != nil {
		zone = time.UTC
	}
	co := a.cfg.Company
	a.dun = &jobs.Dunning{
		Store: store, Renderer: renderer, Clock: a.env.Clock, Log: a.log,
		Policies: a.cfg.Policies(), Configured: a.cfg.CustomerRecords(), Defaults: a.cfg.Defaults(),
		Company: templates.Company{Name: co.Name, Email: co.Email, Phone: co.Phone, Address: co.Address,
			BankIBAN: co.IBAN, BankBIC: co.BIC, Website: co.Website},
		Domain: co.Domain, Zone: zone, Actor: actor(a.env.Getenv), AttachStatement: a.cfg.Delivery.Statement,
		ParseMail: mailparse.Parse,
	}
	if w := a.cfg.Delivery.Window; w != nil {
		a.dun.Window = sendWindow(w)
	}
	for name, e := range a.cfg.Delivery.Entities {
		es := jobs.EntitySender{Domain: e.Domain}
		if e.SMTP != nil && e.SMTP.From != "" {
			if addr, err := mail.ParseAddress(e.SMTP.From); err == nil {
				es.Name, es.Email = addr.Name, addr.Address
				if es.Domain == "" {
					_, es.Domain, _ = strings.Cut(addr.Address, "@")
				}
			}
		}
		if a.dun.Entities == nil {
			a.dun.Entities = map[string]jobs.EntitySender{}
		}
		a.dun.Entities[name] = es
	}
	if s := a.cfg.Delivery.SMTP; s != nil {
		if s.ReplyTo != "" {
			if addr, err := mail.ParseAddress(s.ReplyTo); err == nil {
				a.dun.ReplyAddress = addr.Address
			}
		}
		if s.From != "" {
			if addr, err := mail.ParseAddress(s.From); err == nil {
				a.dun.Company.Email = addr.Address
				if addr.Name != "" {
					a.dun.Company.Name = addr.Name
				}
			}
		}
	}
	rp, err := a.remittanceParser()
	if err != nil {
		return err
	}
	// Attachments from strangers: the PDF library runs in a child process,
	// where a crash costs one document, not the poll.
	isolated := *rp
	isolated.Isolate = true
	a.dun.ParseRemittance, a.dun.ParseRemittanceText = isolated.Parse, rp.ParseText
	if t := a.cfg.Remittance.ApplyThresholdPercent; t > 0 {
		a.dun.RemittanceThreshold = float64(t) / 100
	}
	if name := a.cfg.Delivery.SentCopy; name != "" {
		a.dun.Sent = &imap.SentFolder{Config: a.imapConfig(a.cfg.Mailbox(name))}
	}
	return nil
}

// remittanceParser reads remittances with the configured per-payer layouts.
func (a *app) remittanceParser() (*pdf.Parser, error) {
	p := &pdf.Parser{}
	if a.cfg != nil && a.cfg.Remittance.LayoutsDir != "" {
		layouts, err := pdf.LoadLayouts(a.resolve(a.cfg.Remittance.LayoutsDir))
		if err != nil {
			return nil, err
		}
		p.Layouts = layouts
	}
	return p, nil
}

// imapConfig is a configured mailbox as the IMAP connector takes it.
func (a *app) imapConfig(m *configs.Mailbox) imap.Config {
	c := imap.Config{Host: m.Host, Port: m.Port, TLS: m.TLS, Username: m.Username, Password: m.Password,
		Timeout: time.Duration(m.TimeoutSeconds) * time.Second, SentFolder: m.SentFolder}
	c.TLSConfig, _ = a.tlsConfig(m.Host) // a bad CA file fails the SMTP side first
	return c
}

// tlsConfig trusts the system roots, or the CA in DUNNER_TLS_CA_FILE (a
// private CA, or a test server's self-signed certificate).
func (a *app) tlsConfig(host string) (*tls.Config, error) {
	file := a.env.Getenv("DUNNER_TLS_CA_FILE")
	if file == "" {
		return nil, nil
	}
	pem, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("DUNNER_TLS_CA_FILE: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("DUNNER_TLS_CA_FILE: no certificate in %s", file)
	}
	name := host
	if net.ParseIP(host) != nil {
		name = "localhost" // certificates name hosts; tests dial 127.0.0.1
	}
	return &tls.Config{RootCAs: pool, ServerName: name, MinVersion: tls.VersionTLS12}, nil
}

// sendWindow turns the configured window into the check the sender makes
// per customer; "auto" picks the holiday calendar of the customer's zone.
func sendWindow(w *configs.Window) func(*agent.Customer, time.Time) bool {
	calendar := w.Holidays
	if calendar == "auto" || calendar == "none" {
		calendar = ""
	}
	base, _ := agent.ParseSendWindow(w.Hours, w.Weekdays, calendar) // validated with the config
	return func(c *agent.Customer, t time.Time) bool {
		win := base
		if w.Holidays == "auto" {
			win.Holidays = agent.CalendarForZone(c.Location.String())
		}
		return win.Open(t, c.Location)
	}
}

// mailer picks where approved notices go: the configured SMTP server, or
// the outbox directory when there is none.
func (a *app) mailer() (agent.Mailer, jobs.SendOptions, error) {
	var def agent.Mailer
	opts := jobs.SendOptions{Workers: 1}
	if s := a.cfg.Delivery.SMTP; s != nil {
		m, err := a.smtpMailer(s)
		if err != nil {
			return nil, opts, err
		}
		opts = jobs.SendOptions{Workers: workers(s.Connections), MaxAttempts: s.MaxAttempts}
		def = m
	} else {
		m, err := smtp.NewOutbox(a.cfg.OutboxDir())
		if err != nil {
			return nil, opts, err
		}
		def = m
	}
	if len(a.cfg.Delivery.Entities) == 0 {
		return def, opts, nil
	}
	r := &routeMailer{def: def, by: map[string]agent.Mailer{}}
	for name, e := range a.cfg.Delivery.Entities {
		if e.SMTP == nil {
			continue
		}
		m, err := a.smtpMailer(e.SMTP)
		if err != nil {
			return nil, opts, fmt.Errorf("entity %s: %w", name, err)
		}
		r.by[name] = m
		opts.Workers = max(opts.Workers, workers(e.SMTP.Connections))
	}
	return r, opts, nil
}

// workers for a server taking n connections. Each connection has one
// notice on the wire and takes the next, built, at its final dot, so that
// notice's commands go in the same write; workers build the ones after
// while the others wait for the server. With two workers per connection
// a third of the dots found nothing built, and the next notice went a
// round trip later; with four, one in 25 to 60.
func workers(n int) int { return 4 * cmp.Or(n, 2) }

func (a *app) smtpMailer(s *configs.SMTP) (*smtp.Mailer, error) {
	cfg := smtp.Config{Host: s.Host, Port: s.Port, TLS: s.TLS, Username: s.Username, Password: s.Password,
		HeloName: s.HeloName, Connections: s.Connections, Rate: float64(s.RatePerMinute) / 60,
		DomainRate: float64(s.DomainRatePerMinute) / 60, Timeout: time.Duration(s.TimeoutSeconds) * time.Second,
		MaxMessageBytes: int64(s.MaxMessageMB) << 20}
	tc, err := a.tlsConfig(s.Host)
	if err != nil {
		return nil, err
	}
	cfg.TLSConfig = tc
	return smtp.New(cfg)
}

// routeMailer sends each notice through its entity's server, or the
// default one.
type routeMailer struct {
	def agent.Mailer
	by  map[string]agent.Mailer
}

func (r *routeMailer) Send(ctx context.Context, e *agent.Email) (*agent.Receipt, error) {
	if m, ok := r.by[e.Entity]; ok {
		return m.Send(ctx, e)
	}
	return r.def.Send(ctx, e)
}

func (r *routeMailer) Close() error {
	for _, m := range append([]agent.Mailer{r.def}, values(r.by)...) {
		if c, ok := m.(io.Closer); ok {
			c.Close()
		}
	}
	return nil
}

func values(m map[string]agent.Mailer) []agent.Mailer {
	out := make([]agent.Mailer, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

func openStore(dsn string) (agent.Store, error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		return sqlite.Open(strings.TrimPrefix(dsn, "sqlite:"))
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		// Bounded: an unreachable server must not hang a command (or a
		// daemon's start) for the TCP timeout.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		return postgres.Open(ctx, dsn)
	}
	return nil, usagef("--db: want sqlite:PATH or postgres://…, got %q", dsn)
}

// actor names the person behind a CLI command in the audit log.
func actor(getenv func(string) string) string {
	for _, k := range []string{"DUNNER_USER", "USER", "LOGNAME"} {
		if v := getenv(k); v != "" {
			return v
		}
	}
	return "cli"
}
