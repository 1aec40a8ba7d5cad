package configs

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/dunnerhq/dunner/agent"
)

// envFile names problems caused by environment variables: the variable, not
// the config file, is what the operator has to fix.
const envFile = "environment"

// envVar is one DUNNER_* override. Secrets may also come from NAME_FILE, the
// convention of Docker and Kubernetes secrets, so they stay out of the
// process environment and out of the config file.
type envVar struct {
	name   string
	path   string // the config field it overrides
	secret bool   // also read from NAME_FILE
	smtp   bool   // needs an SMTP section to mean anything
	set    func(c *Config, v string) string
}

var envVars = []envVar{
	{name: "DUNNER_DATABASE", path: "database", secret: true,
		set: func(c *Config, v string) string { c.Database = v; return "" }},
	{name: "DUNNER_OUTBOX_DIR", path: "delivery.outbox_dir",
		set: func(c *Config, v string) string { c.Delivery.OutboxDir = v; return "" }},
	{name: "DUNNER_WEB_LISTEN", path: "web.listen",
		set: func(c *Config, v string) string { c.Web.Listen = v; return "" }},
	{name: "DUNNER_SMTP_HOST", path: "delivery.smtp.host",
		set: func(c *Config, v string) string { c.smtp().Host = v; return "" }},
	{name: "DUNNER_SMTP_PORT", path: "delivery.smtp.port", smtp: true,
		set: func(c *Config, v string) string {
			p, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || p < 1 || p > 65535 {
				return "not a port number: " + strconv.Quote(v)
			}
			c.smtp().Port = p
			return ""
		}},
	{name: "DUNNER_SMTP_USERNAME", path: "delivery.smtp.username", secret: true, smtp: true,
		set: func(c *Config, v string) string { c.smtp().Username = v; return "" }},
	{name: "DUNNER_SMTP_PASSWORD", path: "delivery.smtp.password", secret: true, smtp: true,
		set: func(c *Config, v string) string {
			s := c.smtp()
			s.Password = v
			// The environment wins over the file; do not also read
			// (and possibly fail on) a password_file the deployment
			// has replaced.
			s.PasswordFile = ""
			return ""
		}},
}

func (c *Config) smtp() *SMTP {
	if c.Delivery.SMTP == nil {
		c.Delivery.SMTP = &SMTP{}
	}
	return c.Delivery.SMTP
}

// applyEnv lays the DUNNER_* variables over the decoded file. The host is
// applied first so the other SMTP variables know whether a server exists.
func (c *Config) applyEnv(getenv func(string) string, errs *agent.InputError) {
	for _, ev := range envVars {
		val, from := getenv(ev.name), ev.name
		if ev.secret {
			if file := getenv(ev.name + "_FILE"); file != "" {
				if val != "" {
					errs.Add(envFile, 0, ev.name, "set together with %s_FILE; set one of them", ev.name)
					continue
				}
				from = ev.name + "_FILE"
				s, msg := readSecret(file)
				if msg != "" {
					errs.Add(envFile, 0, from, "%s", msg)
					continue
				}
				val = s
			}
		}
		if val == "" {
			continue
		}
		if ev.smtp && c.Delivery.SMTP == nil {
			errs.Add(envFile, 0, from, "set, but no SMTP server is configured (delivery.smtp.host or DUNNER_SMTP_HOST)")
			continue
		}
		if msg := ev.set(c, val); msg != "" {
			errs.Add(envFile, 0, from, "%s", msg)
			continue
		}
		c.fromEnv[ev.path] = from
	}
}

// readSecrets replaces password_file by the secret it holds.
func (c *Config) readSecrets(errs *agent.InputError) {
	for i := range c.Mailboxes {
		m := &c.Mailboxes[i]
		c.readPasswordFile(&m.Password, m.PasswordFile, fmt.Sprintf("mailboxes[%d].password_file", i), errs)
	}
	for i := range c.Portals {
		p := &c.Portals[i]
		c.readPasswordFile(&p.Password, p.PasswordFile, fmt.Sprintf("portals[%d].password_file", i), errs)
	}
	for name, e := range c.Delivery.Entities {
		if e.SMTP != nil {
			c.readPasswordFile(&e.SMTP.Password, e.SMTP.PasswordFile, "delivery.entities."+name+".smtp.password_file", errs)
		}
	}
	if s := c.Delivery.SMTP; s != nil {
		c.readPasswordFile(&s.Password, s.PasswordFile, "delivery.smtp.password_file", errs)
	}
}

// readPasswordFile sets *password from file (a password_file setting at
// path); giving both is a fault.
func (c *Config) readPasswordFile(password *string, file, path string, errs *agent.InputError) {
	if file == "" {
		return
	}
	if *password != "" {
		errs.Add(c.Path, c.line(path), path, "set together with password; set one of them")
		return
	}
	secret, msg := readSecret(c.resolvePath(file))
	if msg != "" {
		errs.Add(c.Path, c.line(path), path, "%s", msg)
		return
	}
	*password = secret
}

// readSecret returns a secret file's content without the trailing newline
// that editors and `echo` add, or a message saying what is wrong.
func readSecret(file string) (string, string) {
	data, err := os.ReadFile(file)
	if err != nil {
		return "", "cannot read " + strconv.Quote(file) + ": " + unwrapPath(err).Error()
	}
	s := strings.TrimRight(string(data), "\r\n")
	if s == "" {
		return "", strconv.Quote(file) + " is empty"
	}
	return s, ""
}
