package configs

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/dunnerhq/dunner/agent"
)

// portalFields are the fields a portal table step reads.
var portalFields = map[string]bool{"invoice": true, "status": true, "date": true, "reason": true}

// portalKind keeps document kinds plain: they become names in the store
// and in attachment lists.
var portalKind = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// validatePortals checks the portal flows. A flow is a small program run
// against a customer's live system: mistakes are caught here, with their
// line, rather than by a browser timing out at five in the morning.
func (c *Config) validatePortals(p problems) {
	seen := map[string]int{}
	for i, pt := range c.Portals {
		base := fmt.Sprintf("portals[%d]", i)
		c.checkKey(p, base, ".customer", pt.Customer, seen, "required: the customer whose portal this is",
			"customer %s has a portal already (line %d)")
		if u, err := url.Parse(pt.URL); pt.URL == "" {
			p.add(base+".url", "required: the portal's address")
		} else if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			p.add(base+".url", "not an http(s) URL: %q", pt.URL)
		}
		if pt.TimeoutSeconds < 0 {
			p.add(base+".timeout_seconds", "must not be negative: %d", pt.TimeoutSeconds)
		}
		switch strings.ToUpper(pt.DateOrder) {
		case "", "DMY", "MDY", "YMD":
		default:
			p.add(base+".date_order", "must be DMY, MDY or YMD, not %q", pt.DateOrder)
		}
		if pt.Username == "" && (pt.Password != "" || pt.PasswordFile != "") {
			path := base + ".password"
			if c.set(base + ".password_file") {
				path = base + ".password_file"
			}
			p.add(path, "set without a username")
		}
		if len(pt.Login) == 0 && len(pt.Invoice) == 0 {
			p.add(base, "the portal has no steps (login, invoice)")
		}
		usesPassword := false
		for j := range pt.Login {
			usesPassword = c.validateStep(p, fmt.Sprintf("%s.login[%d]", base, j), &pt.Login[j], false) || usesPassword
		}
		for j := range pt.Invoice {
			usesPassword = c.validateStep(p, fmt.Sprintf("%s.invoice[%d]", base, j), &pt.Invoice[j], true) || usesPassword
		}
		if usesPassword && pt.Password == "" && pt.PasswordFile == "" {
			p.add(base+".password_file", "required: a step fills in {password}")
		}
		for j, r := range pt.Statuses {
			path := fmt.Sprintf("%s.statuses[%d]", base, j)
			if r.Match == "" {
				p.add(path+".match", "required: a regular expression of status texts")
			} else if _, err := regexp.Compile(r.Match); err != nil {
				p.add(path+".match", "not a regular expression: %v", err)
			}
			if !agent.PortalStatus(r.Status).Valid() {
				p.add(path+".status", "must be one of %s, not %q", portalStatusList(), r.Status)
			}
		}
	}
}

func portalStatusList() string {
	var s []string
	for _, st := range agent.PortalStatuses {
		s = append(s, string(st))
	}
	return strings.Join(s, ", ")
}

// validateStep checks one step and reports whether it uses {password}.
func (c *Config) validateStep(p problems, base string, s *PortalStep, perInvoice bool) bool {
	var actions []string
	for _, a := range []struct {
		name string
		set  bool
	}{{"goto", s.Goto != ""}, {"fill", s.Fill != ""}, {"click", s.Click != ""}, {"wait", s.Wait != ""},
		{"wait_url", s.WaitURL != ""}, {"table", s.Table != nil}, {"download", s.Download != ""}} {
		if a.set {
			actions = append(actions, a.name)
		}
	}
	switch len(actions) {
	case 0:
		p.add(base, "a step needs one of goto, fill, click, wait, wait_url, table, download")
		return false
	case 1:
	default:
		p.add(base, "a step does one thing; this one has %s", strings.Join(actions, " and "))
		return false
	}
	action := actions[0]
	only := func(field, of string, set bool) {
		if set && action != of {
			p.add(base+"."+field, "belongs to a %s step, not %s", of, action)
		}
	}
	only("value", "fill", s.Value != "")
	only("navigates", "click", s.Navigates)
	only("kind", "download", s.Kind != "")
	only("via", "download", s.Via != "")
	only("name", "download", s.Name != "")
	if s.Optional && action != "fill" && action != "click" && action != "wait" && action != "download" {
		p.add(base+".optional", "only a step on an element (fill, click, wait, download) can be optional")
	}
	if s.IfFound && !perInvoice {
		p.add(base+".if_found", "only invoice steps can depend on the invoice being found")
	}
	if s.TimeoutSeconds < 0 {
		p.add(base+".timeout_seconds", "must not be negative: %d", s.TimeoutSeconds)
	}
	// The password goes only where it is typed: never into a URL, a
	// selector or anything else that is logged or shown in errors.
	for field, v := range map[string]string{"goto": s.Goto, "fill": s.Fill, "click": s.Click, "wait": s.Wait,
		"wait_url": s.WaitURL, "download": s.Download, "name": s.Name} {
		if strings.Contains(v, "{password}") {
			p.add(base+"."+field, "{password} may only be used in a fill's value")
		}
		if !perInvoice && strings.Contains(v, "{invoice}") {
			p.add(base+"."+field, "{invoice} is only set in invoice steps")
		}
	}
	if !perInvoice && strings.Contains(s.Value, "{invoice}") {
		p.add(base+".value", "{invoice} is only set in invoice steps")
	}
	switch action {
	case "fill":
		if s.Value == "" && !c.set(base+".value") {
			p.add(base+".value", "required: what to type into %q", s.Fill)
		}
	case "wait_url":
		if _, err := regexp.Compile(s.WaitURL); err != nil {
			p.add(base+".wait_url", "not a regular expression: %v", err)
		}
	case "goto":
		if u, err := url.Parse(strings.NewReplacer("{url}", "http://x", "{invoice}", "1", "{username}", "u").Replace(s.Goto)); err != nil {
			p.add(base+".goto", "not a URL: %q", s.Goto)
		} else if u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" {
			p.add(base+".goto", "only http(s) pages, not %q", u.Scheme)
		}
	case "download":
		if !perInvoice {
			p.add(base+".download", "a document belongs to an invoice: put downloads in the invoice steps")
		}
		switch {
		case s.Kind == "":
			p.add(base+".kind", "required: invoice_copy, pod or another word")
		case !portalKind.MatchString(s.Kind):
			p.add(base+".kind", "lower-case letters, digits and _ only, not %q", s.Kind)
		}
		switch s.Via {
		case "", "href", "click":
		default:
			p.add(base+".via", "must be href or click, not %q", s.Via)
		}
		if strings.ContainsAny(s.Name, `/\`) {
			p.add(base+".name", "a file name, not a path: %q", s.Name)
		}
	case "table":
		c.validateTable(p, base+".table", s.Table, perInvoice)
	}
	return strings.Contains(s.Value, "{password}")
}

func (c *Config) validateTable(p problems, base string, t *PortalTable, perInvoice bool) {
	if strings.TrimSpace(t.Rows) == "" {
		p.add(base+".rows", "required: the selector of the result rows")
	}
	has := map[string]bool{}
	for _, m := range []struct {
		name string
		m    map[string]string
	}{{"columns", t.Columns}, {"cells", t.Cells}} {
		keys := make([]string, 0, len(m.m))
		for k := range m.m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			path := base + "." + m.name + "." + k
			switch {
			case !portalFields[k]:
				p.add(path, "not a field; a table reads invoice, status, date and reason")
			case has[k]:
				p.add(path, "given in both columns and cells")
			case strings.TrimSpace(m.m[k]) == "":
				p.add(path, "empty")
			}
			has[k] = true
		}
	}
	if !has["status"] {
		p.add(base+".columns", "needs status (in columns or cells)")
	}
	if !has["invoice"] && !perInvoice {
		// Only the invoice steps know which invoice a row is about
		// without reading it.
		p.add(base+".columns", "needs invoice (in columns or cells) outside the invoice steps")
	}
}
