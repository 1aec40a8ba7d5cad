// Package portal drives a customer's accounts-payable portal (Coupa,
// Ariba, Basware and the like) in a headless Chromium with go-rod, through a
// declarative flow from the config: log in once, then for each invoice go
// to a page, search, read a results table and download the invoice copy and
// the proof of delivery.
//
// Chromium is the system's (/usr/bin/chromium, or Config.Chromium); this
// package never downloads a browser. Each visit runs its own browser with a
// fresh profile, so one customer's session never leaks into another's, and
// kills the browser's whole process group when it ends.
package portal

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/dunnerhq/dunner/agent"
	"github.com/go-rod/rod"
)

// DefaultChromium is Debian's Chromium.
const DefaultChromium = "/usr/bin/chromium"

// Config is one customer's portal and the flow that reads it.
type Config struct {
	CustomerID string
	URL        string // the portal's base; relative goto URLs resolve against it
	Username   string
	Password   string
	// Login runs once per visit; Invoice runs once per invoice asked for,
	// with {invoice} set. Tables and downloads may be in either, but a
	// download needs an invoice to belong to.
	Login   []Step
	Invoice []Step
	// Statuses are tried before DefaultStatuses.
	Statuses []StatusRule
	// DateOrder is the numeric date order of the portal: DMY (default),
	// MDY or YMD.
	DateOrder string
	// Timeout is a step's default time limit (default 30s).
	Timeout time.Duration
	// ScreenshotsDir, when set, receives a screenshot and the HTML of the
	// page whenever a step fails, for the admin who fixes the flow.
	ScreenshotsDir string
	// Chromium is the browser binary (default DefaultChromium).
	Chromium string
	// MaxDownload caps a downloaded document (default 25 MiB).
	MaxDownload int64
	// Source names the config file for errors ("dunner.yaml").
	Source string
	Log    *slog.Logger
}

// Step is one action of a flow: exactly one of Goto, Fill, Click, Wait,
// WaitURL, Table or Download is set. Selectors are CSS. Values and
// selectors may use {url}, {username}, {invoice}; only a fill's value may
// use {password}, so the secret never reaches a URL, a selector or a log.
type Step struct {
	Goto  string
	Fill  string // selector of an input; Value is typed into it
	Value string
	Click string
	// Navigates says the click loads a new page: the step waits for it.
	Navigates bool
	Wait      string // a selector to appear (and be visible)
	WaitURL   string // a regular expression the page's URL must match
	Table     *Table
	Download  string // selector of a link or button
	Kind      string // the document's kind: invoice_copy, pod
	// Via is how a download is fetched: href (default) reads the link's
	// target with the page's cookies; click clicks it and takes the file
	// the browser saves.
	Via  string
	Name string // the document's file name; default the server's
	// Optional steps are skipped when their element is not there at once
	// (a POD that only some invoices have), instead of waiting and failing.
	Optional bool
	// IfFound runs the step only for an invoice a table step has listed:
	// the detail page and its documents of an invoice the portal does not
	// have are not there to wait for.
	IfFound bool
	Timeout time.Duration // default Config.Timeout
	Line    int           // in the config, for errors
}

// Table reads rows of a results table into invoice, status, date and
// reason. Columns name a field's column by its header text; Cells by a
// selector inside the row (for grids without headers).
type Table struct {
	Rows    string
	Columns map[string]string
	Cells   map[string]string
}

// Table fields.
const (
	FieldInvoice = "invoice"
	FieldStatus  = "status"
	FieldDate    = "date"
	FieldReason  = "reason"
)

// Action names the step's action.
func (s *Step) Action() string {
	switch {
	case s.Goto != "":
		return "goto"
	case s.Fill != "":
		return "fill"
	case s.Click != "":
		return "click"
	case s.Wait != "":
		return "wait"
	case s.WaitURL != "":
		return "wait_url"
	case s.Table != nil:
		return "table"
	case s.Download != "":
		return "download"
	}
	return ""
}

// target is what the step acts on, for errors.
func (s *Step) target() string {
	switch {
	case s.Goto != "":
		return s.Goto
	case s.Fill != "":
		return s.Fill
	case s.Click != "":
		return s.Click
	case s.Wait != "":
		return s.Wait
	case s.WaitURL != "":
		return s.WaitURL
	case s.Table != nil:
		return s.Table.Rows
	}
	return s.Download
}

// StepError is a failed step: which customer, which part of the flow, which
// step and selector, and where the screenshot is.
type StepError struct {
	Customer   string
	Section    string // login or invoice
	Invoice    string
	Step       int // 1-based within the section
	Action     string
	Selector   string
	Source     string
	Line       int
	Screenshot string
	Err        error
}

func (e *StepError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "portal %s: %s step %d (%s %q", e.Customer, e.Section, e.Step, e.Action, e.Selector)
	if e.Line > 0 {
		fmt.Fprintf(&b, " at %s:%d", cmpOr(e.Source, "config"), e.Line)
	}
	b.WriteString(")")
	if e.Invoice != "" {
		fmt.Fprintf(&b, " for invoice %s", e.Invoice)
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	if e.Screenshot != "" {
		fmt.Fprintf(&b, " (screenshot %s)", e.Screenshot)
	}
	return b.String()
}

func (e *StepError) Unwrap() error { return e.Err }

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Portal is one customer's portal. It is safe for concurrent use: each
// Fetch runs its own browser.
type Portal struct {
	cfg  Config
	base *url.URL
}

// New checks cfg and returns the portal.
func New(cfg Config) (*Portal, error) {
	base, err := url.Parse(cfg.URL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("portal %s: not an http(s) URL: %q", cfg.CustomerID, cfg.URL)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.Chromium == "" {
		cfg.Chromium = DefaultChromium
	}
	if cfg.MaxDownload <= 0 {
		cfg.MaxDownload = 25 << 20
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	for i, sections := range [][]Step{cfg.Login, cfg.Invoice} {
		for j := range sections {
			if sections[j].Action() == "" {
				return nil, fmt.Errorf("portal %s: %s step %d does nothing", cfg.CustomerID, []string{"login", "invoice"}[i], j+1)
			}
		}
	}
	return &Portal{cfg: cfg, base: base}, nil
}

// row is one table row read by field.
type row map[string]string

// visit is one Fetch: the browser, the page and what was found so far.
type visit struct {
	p       *Portal
	b       *browser
	page    *rod.Page
	rows    map[string]row // normalized invoice → its row
	docs    map[string][]*agent.Document
	invoice string // the invoice the invoice steps run for
	dlDir   string
}

// Fetch logs in and runs the invoice steps for each invoice asked for.
func (p *Portal) Fetch(ctx context.Context, req agent.PortalRequest) (*agent.PortalResult, error) {
	start := time.Now()
	log := p.cfg.Log.With("customer", p.cfg.CustomerID)
	b, err := launch(ctx, p.cfg.Chromium)
	if err != nil {
		return nil, fmt.Errorf("portal %s: %w", p.cfg.CustomerID, err)
	}
	defer b.close()
	page, err := b.rod.Page(protoBlank())
	if err != nil {
		return nil, fmt.Errorf("portal %s: opening a page: %w", p.cfg.CustomerID, err)
	}
	dl, err := os.MkdirTemp("", "dunner-portal-dl-")
	if err != nil {
		return nil, fmt.Errorf("portal %s: %w", p.cfg.CustomerID, err)
	}
	defer os.RemoveAll(dl)
	v := &visit{p: p, b: b, page: page, rows: map[string]row{}, docs: map[string][]*agent.Document{}, dlDir: dl}
	if err := v.run(ctx, "login", p.cfg.Login); err != nil {
		log.Warn("portal login failed", "err", err)
		return nil, err
	}
	res := &agent.PortalResult{CustomerID: p.cfg.CustomerID}
	for _, inv := range req.Invoices {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("portal %s: %w", p.cfg.CustomerID, err)
		}
		pi := agent.PortalInvoice{Invoice: inv, Status: agent.PortalUnknown}
		if len(p.cfg.Invoice) > 0 {
			v.invoice = inv
			if err := v.run(ctx, "invoice", p.cfg.Invoice); err != nil {
				pi.Error = err.Error()
				log.Warn("portal invoice steps failed", "invoice", inv, "err", err)
			}
			v.invoice = ""
		}
		if r, ok := v.rows[normInvoice(inv)]; ok {
			pi.Found = true
			pi.StatusText = r[FieldStatus]
			pi.Status = Classify(r[FieldStatus], p.cfg.Statuses)
			pi.Reason = r[FieldReason]
			if r[FieldDate] != "" {
				if d, err := ParseDate(r[FieldDate], p.cfg.DateOrder); err == nil {
					pi.Date = d
				} else {
					log.Warn("portal date unreadable", "invoice", inv, "text", r[FieldDate])
				}
			}
			if pi.Reason == "" && (pi.Status == agent.PortalRejected || pi.Status == agent.PortalDisputed) {
				pi.Reason = pi.StatusText
			}
		}
		pi.Documents = v.docs[normInvoice(inv)]
		if len(pi.Documents) > 0 {
			pi.Found = true
		}
		log.Info("portal invoice", "invoice", inv, "found", pi.Found, "status", string(pi.Status),
			"status_text", pi.StatusText, "date", pi.Date.String(), "documents", len(pi.Documents))
		res.Invoices = append(res.Invoices, pi)
	}
	log.Info("portal visit done", "invoices", len(res.Invoices), "seconds", time.Since(start).Seconds())
	return res, nil
}

// run runs a section's steps in order; the first failure ends it.
func (v *visit) run(ctx context.Context, section string, steps []Step) error {
	for i := range steps {
		s := &steps[i]
		if s.IfFound {
			if _, ok := v.rows[normInvoice(v.invoice)]; !ok {
				continue
			}
		}
		err := v.step(ctx, s)
		if err == nil {
			continue
		}
		se := &StepError{Customer: v.p.cfg.CustomerID, Section: section, Invoice: v.invoice, Step: i + 1,
			Action: s.Action(), Selector: v.expand(s.target(), false), Source: v.p.cfg.Source, Line: s.Line, Err: err}
		if ctx.Err() == nil {
			se.Screenshot = v.screenshot(section, i+1)
		}
		return se
	}
	return nil
}

func (v *visit) timeout(s *Step) time.Duration {
	if s.Timeout > 0 {
		return s.Timeout
	}
	return v.p.cfg.Timeout
}

// step runs one step under its time limit.
func (v *visit) step(ctx context.Context, s *Step) error {
	ctx, cancel := context.WithTimeout(ctx, v.timeout(s))
	defer cancel()
	page := v.page.Context(ctx)
	v.p.cfg.Log.Debug("portal step", "customer", v.p.cfg.CustomerID, "action", s.Action(),
		"target", v.expand(s.target(), false), "invoice", v.invoice)
	switch {
	case s.Goto != "":
		u, err := v.resolve(v.expand(s.Goto, true))
		if err != nil {
			return err
		}
		if err := page.Navigate(u); err != nil {
			return fmt.Errorf("navigating: %w", err)
		}
		return wrapTimeout(page.WaitLoad())
	case s.Fill != "":
		el, err := v.find(page, s, v.expand(s.Fill, false))
		if err != nil || el == nil {
			return err
		}
		if err := el.SelectAllText(); err != nil {
			return fmt.Errorf("selecting the field's text: %w", err)
		}
		return wrapTimeout(el.Input(v.expandValue(s.Value)))
	case s.Click != "":
		el, err := v.find(page, s, v.expand(s.Click, false))
		if err != nil || el == nil {
			return err
		}
		if !s.Navigates {
			return wrapTimeout(el.Click("left", 1))
		}
		wait := page.WaitNavigation("load")
		if err := el.Click("left", 1); err != nil {
			return wrapTimeout(err)
		}
		wait()
		return wrapTimeout(ctx.Err())
	case s.Wait != "":
		el, err := v.find(page, s, v.expand(s.Wait, false))
		if err != nil || el == nil {
			return err
		}
		return wrapTimeout(el.WaitVisible())
	case s.WaitURL != "":
		re, err := regexp.Compile(v.expand(s.WaitURL, false))
		if err != nil {
			return err
		}
		for {
			info, err := page.Info()
			if err != nil {
				return wrapTimeout(err)
			}
			if re.MatchString(info.URL) {
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("the page stayed at %s: %w", info.URL, errTimeout)
			case <-time.After(100 * time.Millisecond):
			}
		}
	case s.Table != nil:
		return v.readTable(page, s.Table)
	case s.Download != "":
		if v.invoice == "" {
			return errors.New("a download needs an invoice: put it in the invoice steps")
		}
		el, err := v.find(page, s, v.expand(s.Download, false))
		if err != nil || el == nil {
			return err
		}
		var doc *agent.Document
		if s.Via == "click" {
			doc, err = v.downloadClick(ctx, el)
		} else {
			doc, err = v.downloadHref(ctx, page, el)
		}
		if err != nil {
			return err
		}
		doc.Kind = cmpOr(s.Kind, "document")
		if s.Name != "" {
			doc.Name = v.expand(s.Name, false)
		}
		if doc.Name == "" {
			doc.Name = fmt.Sprintf("%s-%s.pdf", v.invoice, doc.Kind)
		}
		doc.Name = filepath.Base(doc.Name)
		doc.FetchedAt = time.Now()
		key := normInvoice(v.invoice)
		v.docs[key] = append(v.docs[key], doc)
		return nil
	}
	return errors.New("step does nothing")
}

var errTimeout = errors.New("timed out")

// wrapTimeout words rod's context errors as what they mean in a flow.
func wrapTimeout(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w (the element or page did not come): %w", errTimeout, err)
	}
	return err
}

// find waits for a step's element, or for an optional step looks once:
// the page is loaded by then, and waiting for what is not there would only
// cost the step's timeout. A missing optional element returns nil, nil.
func (v *visit) find(page *rod.Page, s *Step, selector string) (*rod.Element, error) {
	if s.Optional {
		has, el, err := page.Has(selector)
		if err != nil {
			return nil, wrapTimeout(err)
		}
		if !has {
			v.p.cfg.Log.Info("portal optional step skipped", "customer", v.p.cfg.CustomerID,
				"selector", selector, "invoice", v.invoice)
			return nil, nil
		}
		return el, nil
	}
	el, err := page.Element(selector)
	if err != nil {
		return nil, fmt.Errorf("no element %q: %w", selector, wrapTimeout(err))
	}
	return el, nil
}

// expand fills the placeholders, {invoice} query-escaped where the text is
// a URL.
func (v *visit) expand(s string, isURL bool) string {
	inv := v.invoice
	if isURL {
		inv = url.QueryEscape(inv)
	}
	return strings.NewReplacer("{url}", strings.TrimRight(v.p.cfg.URL, "/"), "{username}", v.p.cfg.Username,
		"{invoice}", inv).Replace(s)
}

func (v *visit) expandValue(s string) string {
	return strings.ReplaceAll(v.expand(s, false), "{password}", v.p.cfg.Password)
}

func (v *visit) resolve(ref string) (string, error) {
	u, err := v.p.base.Parse(ref)
	if err != nil {
		return "", fmt.Errorf("not a URL: %q", ref)
	}
	return u.String(), nil
}

// normInvoice makes portal spellings of a number comparable: case, spaces.
func normInvoice(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

// screenshot saves the page as PNG and HTML for the admin; failures to do
// so are only logged: the step's own error matters more.
func (v *visit) screenshot(section string, step int) string {
	dir := v.p.cfg.ScreenshotsDir
	if dir == "" {
		return ""
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		v.p.cfg.Log.Warn("portal screenshot", "err", err)
		return ""
	}
	page := v.page.Timeout(10 * time.Second)
	defer page.CancelTimeout()
	name := fmt.Sprintf("%s-%s-%s-step%d", safeName(v.p.cfg.CustomerID), time.Now().UTC().Format("20060102T150405"),
		section, step)
	if v.invoice != "" {
		name += "-" + safeName(v.invoice)
	}
	base := filepath.Join(dir, name)
	png, err := page.Screenshot(true, nil)
	if err != nil {
		v.p.cfg.Log.Warn("portal screenshot", "customer", v.p.cfg.CustomerID, "err", err)
		return ""
	}
	if err := os.WriteFile(base+".png", png, 0o640); err != nil {
		v.p.cfg.Log.Warn("portal screenshot", "customer", v.p.cfg.CustomerID, "err", err)
		return ""
	}
	if html, err := page.HTML(); err == nil {
		os.WriteFile(base+".html", []byte(html), 0o640)
	}
	return base + ".png"
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func safeName(s string) string { return unsafeName.ReplaceAllString(s, "_") }
