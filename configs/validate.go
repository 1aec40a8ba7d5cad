package configs

import (
	"fmt"
	"math/big"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/dunnerhq/dunner/agent"
	"github.com/robfig/cron/v3"
	"github.com/shopspring/decimal"
)

// line returns the line of path, or of its nearest parent that was written,
// so a missing key is reported where it belongs.
func (c *Config) line(path string) int {
	for {
		if l, ok := c.lines[path]; ok {
			return l
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			return c.lines[""]
		}
		path = path[:i]
	}
}

// problems collects validation faults, blaming the environment variable
// when one set the field.
type problems struct {
	c    *Config
	errs *agent.InputError
	// decoded holds the fields that already failed to decode. Checks on
	// them or below them would only restate the fault from another
	// angle ("not a list", then "the policy has no levels").
	decoded map[string]bool
}

// checkKey checks the key of a list entry at path: given (else required),
// without surrounding spaces, and not in seen, which maps the keys met so
// far to their entry's line (dup gets the key and that line).
func (c *Config) checkKey(p problems, path, field, key string, seen map[string]int, required, dup string) {
	switch id := strings.TrimSpace(key); {
	case id == "":
		p.add(path+field, "%s", required)
	case id != key:
		p.add(path+field, "has leading or trailing spaces: %q", key)
	default:
		if l, ok := seen[id]; ok {
			p.add(path+field, dup, id, l)
		} else {
			seen[id] = c.line(path)
		}
	}
}

func (p problems) add(path, format string, args ...any) {
	for q := path; ; {
		if p.decoded[q] {
			return
		}
		i := strings.LastIndexAny(q, ".[")
		if i < 0 {
			break
		}
		q = q[:i]
	}
	if v, ok := p.c.fromEnv[path]; ok {
		p.errs.Add(envFile, 0, v, format, args...)
		return
	}
	p.errs.Add(p.c.Path, p.c.line(path), path, format, args...)
}

// set reports whether the file wrote the key at path, even with no value.
func (c *Config) set(path string) bool {
	_, ok := c.lines[path]
	return ok
}

func (c *Config) applyDefaults(useFS bool) {
	if c.Database == "" {
		c.Database = DefaultDatabase
	}
	if c.Delivery.OutboxDir == "" {
		c.Delivery.OutboxDir = DefaultOutboxDir
	}
	if c.Web.Listen == "" {
		c.Web.Listen = DefaultListen
	}
	if c.Schedule.Plan == "" {
		c.Schedule.Plan = DefaultPlan
	}
	if c.Schedule.Send == "" {
		c.Schedule.Send = DefaultSend
	}
	if c.Schedule.Mail == "" {
		c.Schedule.Mail = DefaultMail
	}
	if c.Schedule.Portals == "" {
		c.Schedule.Portals = DefaultPortals
	}
	if c.Company.Domain == "" {
		if _, dom, ok := strings.Cut(c.Company.Email, "@"); ok {
			c.Company.Domain = strings.ToLower(dom)
		}
	}
	switch {
	case c.TemplatesDir != "":
		c.TemplatesDir = c.resolvePath(c.TemplatesDir)
	case useFS:
		// Only Load looks at the disk: a templates directory next to the
		// config is used without being named.
		dir := filepath.Join(c.Dir, "templates")
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			c.TemplatesDir = dir
		}
	}
	c.Demo.Ledger = c.resolvePath(c.Demo.Ledger)
	c.Demo.Customers = c.resolvePath(c.Demo.Customers)

	d := &c.CustomerDefaults
	if d.Review == "" {
		d.Review = agent.ReviewDefault
	}
	if d.Language == "" {
		d.Language = "en"
	}
	if d.Timezone == "" {
		// A bad company zone is reported on its own line; do not
		// report it a second time through the defaults.
		d.Timezone = "UTC"
		if _, err := agent.LoadZone(c.Company.Timezone); err == nil {
			d.Timezone = c.Company.Timezone
		}
	}
	if d.Policy == "" && len(c.PolicyConfigs) == 1 {
		for name := range c.PolicyConfigs {
			d.Policy = name
		}
	}

	c.smtpDefaults(c.Delivery.SMTP, "delivery.smtp")
	for name, e := range c.Delivery.Entities {
		c.smtpDefaults(e.SMTP, "delivery.entities."+name+".smtp")
	}
}

func (c *Config) smtpDefaults(s *SMTP, path string) {
	if s == nil {
		return
	}
	if s.TLS == "" {
		s.TLS = TLSStartTLS
		if s.Port == 465 {
			s.TLS = TLSImplicit
		}
	}
	if s.Port == 0 && !c.set(path+".port") {
		s.Port = 587
		if s.TLS == TLSImplicit {
			s.Port = 465
		}
	}
	if s.From == "" && validEmail(c.Company.Email) {
		s.From = (&mail.Address{Name: c.Company.Name, Address: c.Company.Email}).String()
	}
}

func (c *Config) validate(errs *agent.InputError, useFS bool) {
	p := problems{c: c, errs: errs, decoded: map[string]bool{}}
	for _, pr := range errs.Problems {
		if pr.File == c.Path && pr.Field != "" {
			p.decoded[pr.Field] = true
		}
	}
	c.validateDatabase(p)
	c.validateCompany(p)
	c.validateDelivery(p)
	if useFS && c.set("templates_dir") {
		if fi, err := os.Stat(c.TemplatesDir); err != nil || !fi.IsDir() {
			p.add("templates_dir", "no such directory: %s", c.TemplatesDir)
		}
	}
	for _, s := range []struct{ path, spec string }{
		{"schedule.plan", c.Schedule.Plan}, {"schedule.send", c.Schedule.Send}, {"schedule.mail", c.Schedule.Mail},
		{"schedule.portals", c.Schedule.Portals},
	} {
		if err := parseCron(s.spec); err != nil {
			p.add(s.path, "not a cron schedule (minute hour day month weekday): %q: %v", s.spec, err)
		}
	}
	if msg := checkListen(c.Web.Listen); msg != "" {
		p.add("web.listen", "%s", msg)
	}

	names := make([]string, 0, len(c.PolicyConfigs))
	for name := range c.PolicyConfigs {
		names = append(names, name)
	}
	sort.Strings(names)
	if len(names) == 0 {
		p.add("policies", "no policy defined; at least one is needed")
	}
	templates := map[string]bool{}
	for _, name := range names {
		c.validatePolicy(p, name, templates)
	}

	c.validateDefaults(p, names)
	ids := map[string]int{}
	for i, cc := range c.Customers {
		path := fmt.Sprintf("customers[%d]", i)
		c.checkKey(p, path, ".id", cc.ID, ids, "required", "duplicate customer id %s (first at line %d)")
		c.validateCustomer(p, path, cc, templates, names)
	}

	c.validatePortals(p)

	if useFS {
		for _, f := range []struct{ path, file string }{
			{"demo.ledger", c.Demo.Ledger}, {"demo.customers", c.Demo.Customers},
		} {
			if f.file == "" {
				continue
			}
			if fi, err := os.Stat(f.file); err != nil || fi.IsDir() {
				p.add(f.path, "no such file: %s", f.file)
			}
		}
	}

	// Report in file order, whatever order the checks ran in, so the
	// list reads like the file; environment problems come last.
	sort.SliceStable(errs.Problems, func(i, j int) bool {
		a, b := errs.Problems[i], errs.Problems[j]
		if (a.File == envFile) != (b.File == envFile) {
			return b.File == envFile
		}
		return a.Line < b.Line
	})
}

func (c *Config) validateDatabase(p problems) {
	db := c.Database
	switch {
	case strings.HasPrefix(db, "sqlite:"):
		if strings.TrimPrefix(db, "sqlite:") == "" {
			p.add("database", "sqlite: needs a file path, e.g. sqlite:var/dunner.db")
		}
	case strings.HasPrefix(db, "postgres://"), strings.HasPrefix(db, "postgresql://"):
		if len(db) == len("postgres://") {
			p.add("database", "postgres:// needs a host and database")
		}
	default:
		// Name the scheme only: a DSN may carry a password.
		scheme, _, ok := strings.Cut(db, ":")
		if !ok || strings.ContainsAny(scheme, "/@ ") {
			p.add("database", "not a database DSN; use sqlite:PATH or postgres://…")
		} else {
			p.add("database", "unsupported database %q; use sqlite:PATH or postgres://…", scheme+":")
		}
	}
}

var (
	bicPattern    = regexp.MustCompile(`^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$`)
	domainPattern = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$`)
)

func (c *Config) validateCompany(p problems) {
	co := c.Company
	if strings.TrimSpace(co.Name) == "" {
		p.add("company.name", "required: notices are signed with it")
	}
	switch {
	case co.Email == "":
		p.add("company.email", "required: notices are sent from it")
	case !validEmail(co.Email):
		p.add("company.email", "not an email address: %q", co.Email)
	}
	if co.Timezone != "" {
		if _, err := agent.LoadZone(co.Timezone); err != nil {
			p.add("company.timezone", "%v", err)
		}
	}
	if co.Domain != "" && !domainPattern.MatchString(co.Domain) {
		p.add("company.domain", "not a domain name: %q", co.Domain)
	}
	// A wrong IBAN on a dunning letter sends the customer's money
	// nowhere, so the check digits are verified.
	if co.IBAN != "" && !validIBAN(co.IBAN) {
		p.add("company.iban", "not a valid IBAN: %q", co.IBAN)
	}
	if co.BIC != "" && !bicPattern.MatchString(strings.ToUpper(strings.ReplaceAll(co.BIC, " ", ""))) {
		p.add("company.bic", "not a valid BIC: %q", co.BIC)
	}
}

func (c *Config) validateDelivery(p problems) {
	if strings.TrimSpace(c.Delivery.OutboxDir) == "" {
		p.add("delivery.outbox_dir", "empty")
	}
	names := map[string]bool{}
	for i, m := range c.Mailboxes {
		base := fmt.Sprintf("mailboxes[%d]", i)
		switch {
		case m.Name == "":
			p.add(base+".name", "required")
		case names[m.Name]:
			p.add(base+".name", "duplicate mailbox %q", m.Name)
		}
		names[m.Name] = true
		if strings.TrimSpace(m.Host) == "" {
			p.add(base+".host", "required")
		}
		if m.Port < 0 || m.Port > 65535 {
			p.add(base+".port", "not a port number: %d", m.Port)
		}
		switch m.TLS {
		case "", "implicit", "starttls", "none":
		default:
			p.add(base+".tls", "must be implicit, starttls or none, not %q", m.TLS)
		}
		if m.Username == "" {
			p.add(base+".username", "required")
		}
		for class := range m.FileInto {
			if !mailClasses[class] {
				p.add(base+".file_into."+class, "not a message class (remittance, promise_to_pay, dispute, auto_reply, bounce, other)")
			}
		}
	}
	if t := c.Remittance.ApplyThresholdPercent; t < 0 || t > 100 {
		p.add("remittance.apply_threshold_percent", "must be 0–100, not %d", t)
	}
	if n := c.Delivery.SentCopy; n != "" && !names[n] {
		p.add("delivery.sent_copy", "no mailbox named %q", n)
	}
	if w := c.Delivery.Window; w != nil {
		h := w.Holidays
		if h == "auto" || h == "none" {
			h = ""
		}
		if _, err := agent.ParseSendWindow(w.Hours, w.Weekdays, h); err != nil {
			p.add("delivery.window", "%v", err)
		}
	}
	c.validateSMTP(p, c.Delivery.SMTP, "delivery.smtp")
	for name, e := range c.Delivery.Entities {
		base := "delivery.entities." + name
		c.validateSMTP(p, e.SMTP, base+".smtp")
		if e.Domain != "" && strings.ContainsAny(e.Domain, " @/") {
			p.add(base+".domain", "not a domain: %q", e.Domain)
		}
	}
}

// validateSMTP checks one server's settings (the default or an entity's).
func (c *Config) validateSMTP(p problems, s *SMTP, base string) {
	if s == nil {
		return
	}
	if strings.TrimSpace(s.Host) == "" {
		p.add(base+".host", "required when smtp is configured")
	}
	if s.Port < 1 || s.Port > 65535 {
		p.add(base+".port", "not a port number: %d", s.Port)
	}
	switch s.TLS {
	case TLSNone, TLSStartTLS, TLSImplicit, TLSOpportunistic:
	default:
		p.add(base+".tls", "must be none, starttls, implicit or opportunistic, not %q", s.TLS)
	}
	if s.Username != "" && s.Password == "" && s.PasswordFile == "" {
		p.add(base+".username", "set without a password (password, password_file or DUNNER_SMTP_PASSWORD)")
	}
	if s.Username == "" && (s.Password != "" || s.PasswordFile != "") {
		path := base + ".password"
		if s.Password == "" || c.set(base+".password_file") {
			path = base + ".password_file"
		}
		p.add(path, "set without a username")
	}
	if s.From != "" {
		if _, err := mail.ParseAddress(s.From); err != nil {
			p.add(base+".from", "not an email address: %q", s.From)
		}
	}
	if s.ReplyTo != "" {
		if _, err := mail.ParseAddress(s.ReplyTo); err != nil {
			p.add(base+".reply_to", "not an email address: %q", s.ReplyTo)
		}
	}
	for _, f := range []struct {
		path string
		v    int
	}{{"connections", s.Connections}, {"rate_per_minute", s.RatePerMinute},
		{"domain_rate_per_minute", s.DomainRatePerMinute}, {"timeout_seconds", s.TimeoutSeconds},
		{"max_message_mb", s.MaxMessageMB}, {"max_attempts", s.MaxAttempts}} {
		if f.v < 0 {
			p.add(base+"."+f.path, "must not be negative: %d", f.v)
		}
	}
	if s.Connections > 64 {
		p.add(base+".connections", "at most 64, not %d: servers refuse floods", s.Connections)
	}
}

// mailClasses are the classes of SPEC §5 a mailbox files messages by.
var mailClasses = map[string]bool{"remittance": true, "promise_to_pay": true, "dispute": true, "auto_reply": true,
	"bounce": true, "other": true}

// templateName keeps template names plain because they become file names
// under templates_dir: no separators, no "..".
var templateName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$`)

func checkTemplate(p problems, path, name string) bool {
	if !templateName.MatchString(name) {
		p.add(path, "not a template name (letters, digits, _ - and inner dots): %q", name)
		return false
	}
	return true
}

func (c *Config) validatePolicy(p problems, name string, templates map[string]bool) {
	pc := c.PolicyConfigs[name]
	base := "policies." + name
	if strings.TrimSpace(name) == "" {
		p.add(base, "a policy needs a name")
	}
	if pc.MinOverdueTotal.All.IsNegative() {
		p.add(base+".min_overdue_total", "must not be negative")
	}
	for cur, amt := range pc.MinOverdueTotal.ByCurrency {
		if amt.IsNegative() {
			p.add(base+".min_overdue_total."+cur, "must not be negative")
		}
	}
	if pc.MinDaysBetween < 0 {
		p.add(base+".min_days_between", "must not be negative")
	}
	if pc.PromiseGraceDays < 0 {
		p.add(base+".promise_grace_days", "must not be negative")
	}
	if len(pc.Levels) == 0 && pc.Upcoming == nil {
		p.add(base+".levels", "the policy has no levels")
	}
	if u := pc.Upcoming; u != nil {
		up := base + ".upcoming"
		if u.Days == 0 {
			p.add(up+".days", "required: how many days before the due date, e.g. -5")
		}
		if u.Template == "" {
			p.add(up+".template", "required")
		} else {
			if checkTemplate(p, up+".template", u.Template) {
				templates[u.Template] = true
			}
		}
	}

	first := map[int]int{} // level → index of its first entry
	for i, l := range pc.Levels {
		lp := fmt.Sprintf("%s.levels[%d]", base, i)
		switch {
		case l.Level < 1:
			p.add(lp+".level", "must be a positive whole number")
		default:
			if j, dup := first[l.Level]; dup {
				p.add(lp+".level", "duplicate level %d (first at line %d)", l.Level, c.line(fmt.Sprintf("%s.levels[%d]", base, j)))
			} else {
				first[l.Level] = i
			}
		}
		if l.Days < 0 {
			p.add(lp+".days", "must not be negative (reminders before the due date are upcoming:)")
		}
		switch {
		case l.Template != "" && l.Action != "":
			p.add(lp, "has both template and action; a level sends an email (template) or escalates (action), not both")
		case l.Template == "" && l.Action == "":
			p.add(lp, "needs a template (send an email) or action: escalate")
		}
		if l.Template != "" {
			if checkTemplate(p, lp+".template", l.Template) {
				templates[l.Template] = true
			}
		}
		if l.Action != "" && l.Action != agent.ActionEscalate {
			p.add(lp+".action", "unknown action %q; the only action is escalate", l.Action)
		}
		if l.Fee.IsNegative() {
			p.add(lp+".fee", "must not be negative")
		}
		if l.Interest.IsNegative() {
			p.add(lp+".interest", "must not be negative")
		} else if l.Interest.GreaterThanOrEqual(decimal.NewFromInt(1)) {
			p.add(lp+".interest", "is a yearly rate as a fraction (0.1015 for 10.15 %%) and must be below 1, not %s", l.Interest)
		}
	}

	// Days must climb with the level, or a higher level would be reached
	// before a lower one and the ladder would make no sense.
	order := make([]int, 0, len(first))
	for _, i := range first {
		order = append(order, i)
	}
	sort.Slice(order, func(a, b int) bool { return pc.Levels[order[a]].Level < pc.Levels[order[b]].Level })
	for k := 1; k < len(order); k++ {
		prev, cur := pc.Levels[order[k-1]], pc.Levels[order[k]]
		if cur.Days <= prev.Days {
			p.add(fmt.Sprintf("%s.levels[%d].days", base, order[k]),
				"level %d at %d days must come later than level %d at %d days", cur.Level, cur.Days, prev.Level, prev.Days)
		}
	}
}

// defaultsOnly are the customer fields customer_defaults may set: the ones
// agent.Resolve takes from the defaults. Anything else would be ignored
// silently, so it is refused.
var defaultsOnly = map[string]bool{"policy": true, "language": true, "timezone": true, "review": true}

func (c *Config) validateDefaults(p problems, policies []string) {
	const base = "customer_defaults"
	keys := make([]string, 0)
	for path := range c.lines {
		if key, ok := strings.CutPrefix(path, base+"."); ok && !strings.ContainsAny(key, ".[") && !defaultsOnly[key] {
			keys = append(keys, key)
		}
	}
	sort.Strings(keys)
	for _, key := range keys {
		p.add(base+"."+key, "not a default; customer_defaults takes policy, language, timezone and review")
	}
	d := c.CustomerDefaults
	if d.Policy == "" && len(policies) > 1 {
		p.add(base+".policy", "required: which policy customers without their own use (one of %s)", strings.Join(policies, ", "))
	}
	c.validateCommon(p, base, d, policies)
}

func (c *Config) validateCustomer(p problems, base string, cc CustomerConfig, templates map[string]bool, policies []string) {
	c.validateCommon(p, base, cc, policies)
	for i, ct := range cc.Contacts {
		path := fmt.Sprintf("%s.contacts[%d].email", base, i)
		switch {
		case ct.Email == "":
			p.add(path, "required")
		case !validEmail(ct.Email):
			p.add(path, "not an email address: %q", ct.Email)
		}
	}
	keys := make([]string, 0, len(cc.Templates))
	for k := range cc.Templates {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		path := base + ".templates." + k
		if !templates[k] {
			p.add(path, "no policy uses a template %q (used: %s)", k, strings.Join(sortedKeys(templates), ", "))
		}
		if v := cc.Templates[k]; v == "" {
			p.add(path, "names no template")
		} else {
			checkTemplate(p, path, v)
		}
	}
}

// validateCommon checks the fields customers and the defaults share.
func (c *Config) validateCommon(p problems, base string, cc CustomerConfig, policies []string) {
	if cc.Language != "" && !agent.ValidLanguage(cc.Language) {
		p.add(base+".language", "unsupported language %q; use %s", cc.Language, strings.Join(agent.Languages, ", "))
	}
	if cc.Timezone != "" {
		if _, err := agent.LoadZone(cc.Timezone); err != nil {
			p.add(base+".timezone", "%v", err)
		}
	}
	if cc.Policy != "" {
		if _, ok := c.PolicyConfigs[cc.Policy]; !ok {
			p.add(base+".policy", "no policy named %q (defined: %s)", cc.Policy, strings.Join(policies, ", "))
		}
	}
	switch cc.Review {
	case "", agent.ReviewDefault, agent.ReviewAlways, agent.ReviewNever:
	default:
		p.add(base+".review", "must be always, never or default, not %q", cc.Review)
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// validEmail accepts a bare address: display names belong in smtp.from,
// not in contact lists that are matched and deduplicated by address.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s && strings.Contains(s, "@")
}

// parseCron checks a spec with the parser the daemon uses. robfig/cron
// panics on a "TZ=" prefix without a schedule after it, hence the guard.
func parseCron(spec string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("malformed")
		}
	}()
	if (strings.HasPrefix(spec, "TZ=") || strings.HasPrefix(spec, "CRON_TZ=")) && !strings.Contains(spec, " ") {
		return fmt.Errorf("time zone without a schedule")
	}
	_, err = cron.ParseStandard(spec)
	return err
}

func checkListen(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Sprintf("not a host:port address: %q", addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Sprintf("not a port number: %q", port)
	}
	if strings.ContainsAny(host, " /") {
		return fmt.Sprintf("not a host name: %q", host)
	}
	return ""
}

// validIBAN checks length, country code and the ISO 13616 mod-97 digits.
func validIBAN(s string) bool {
	s = strings.ToUpper(strings.ReplaceAll(s, " ", ""))
	if len(s) < 15 || len(s) > 34 {
		return false
	}
	var digits strings.Builder
	for i, r := range s[4:] + s[:4] {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			// The country code (now at the end) must be letters, the
			// check digits digits.
			if pos := (i + 4) % len(s); pos == 2 || pos == 3 {
				return false
			}
			digits.WriteString(strconv.Itoa(int(r-'A') + 10))
		default:
			return false
		}
	}
	if c := s[0:2]; c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
		return false
	}
	n, ok := new(big.Int).SetString(digits.String(), 10)
	return ok && new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}
