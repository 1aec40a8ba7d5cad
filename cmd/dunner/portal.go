package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"regexp"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/dunnerhq/dunner/agent"
	"github.com/dunnerhq/dunner/configs"
	"github.com/dunnerhq/dunner/connectors/portal"
	"github.com/dunnerhq/dunner/jobs"
)

// portalSources are the configured portals (or the customer's one).
func (a *app) portalSources(customer string) ([]jobs.PortalSource, error) {
	var out []jobs.PortalSource
	for i := range a.cfg.Portals {
		pc := &a.cfg.Portals[i]
		if customer != "" && pc.Customer != customer {
			continue
		}
		p, err := a.newPortal(pc)
		if err != nil {
			return nil, err
		}
		out = append(out, jobs.PortalSource{CustomerID: pc.Customer, Portal: p})
	}
	return out, nil
}

// newPortal builds a customer's portal: the Chromium-driven flow, or what
// the test environment supplies.
func (a *app) newPortal(pc *configs.Portal) (agent.Portal, error) {
	if a.env.NewPortal != nil {
		return a.env.NewPortal(pc)
	}
	cfg := portal.Config{CustomerID: pc.Customer, URL: pc.URL, Username: pc.Username, Password: pc.Password,
		DateOrder: pc.DateOrder, Timeout: time.Duration(pc.TimeoutSeconds) * time.Second,
		ScreenshotsDir: a.cfg.ScreenshotsPath(pc), Chromium: a.env.Getenv("DUNNER_CHROMIUM"),
		Source: a.cfg.Path, Log: a.log}
	cfg.Login = portalSteps(pc.Login)
	cfg.Invoice = portalSteps(pc.Invoice)
	for _, r := range pc.Statuses {
		// Validated with the config.
		cfg.Statuses = append(cfg.Statuses, portal.StatusRule{Match: regexp.MustCompile(r.Match),
			Status: agent.PortalStatus(r.Status)})
	}
	return portal.New(cfg)
}

func portalSteps(in []configs.PortalStep) []portal.Step {
	out := make([]portal.Step, len(in))
	for i, s := range in {
		out[i] = portal.Step{Goto: s.Goto, Fill: s.Fill, Value: s.Value, Click: s.Click, Navigates: s.Navigates,
			Wait: s.Wait, WaitURL: s.WaitURL, Download: s.Download, Kind: s.Kind, Via: s.Via, Name: s.Name,
			Optional: s.Optional, IfFound: s.IfFound, Timeout: time.Duration(s.TimeoutSeconds) * time.Second, Line: s.Line}
		if t := s.Table; t != nil {
			out[i].Table = &portal.Table{Rows: t.Rows, Columns: t.Columns, Cells: t.Cells}
		}
	}
	return out
}

// cmdPortal: `portal fetch --customer ID [--invoice N] [--json]` runs one
// customer's flow; `portal sync` (the portals job) runs every configured
// customer's.
func (a *app) cmdPortal(sub string, args []string) error {
	fs := flag.NewFlagSet("portal "+sub, flag.ContinueOnError)
	customer := fs.String("customer", "", "fetch: the customer whose portal to visit")
	invoice := fs.String("invoice", "", "fetch: only this open invoice")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("portal %s: unexpected argument %q", sub, pos[0])
	}
	switch sub {
	case "fetch":
		if *customer == "" {
			return usagef("portal fetch: --customer is required")
		}
	case "sync":
		if *customer != "" || *invoice != "" {
			return usagef("portal sync visits every configured portal; use portal fetch --customer for one")
		}
	default:
		return usagef("portal: unknown subcommand %q (fetch, sync)", sub)
	}
	if err := a.open(); err != nil {
		return err
	}
	sources, err := a.portalSources(*customer)
	if err != nil {
		return err
	}
	if len(sources) == 0 {
		if *customer != "" {
			return usagef("portal fetch: customer %s has no portal in %s", *customer, a.cfg.Path)
		}
		return usagef("portal sync: %s configures no portals", a.cfg.Path)
	}
	sum, err := a.dun.SyncPortals(a.ctx, sources, *invoice)
	if errors.Is(err, jobs.ErrNoOpenInvoice) {
		return usagef("portal fetch: %v", err)
	}
	if *asJSON {
		if jerr := json.NewEncoder(a.env.Stdout).Encode(sum); jerr != nil {
			return errors.Join(err, jerr)
		}
		return err
	}
	w := tabwriter.NewWriter(a.env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "CUSTOMER\tINVOICE\tSTATUS\tDATE\tPORTAL SAYS\tDOCUMENTS\tEFFECTS")
	for _, r := range sum.Invoices {
		status, date := string(r.Status), ""
		if !r.Found {
			status = "not found"
		}
		if r.Error != "" {
			status = "failed"
		}
		if !r.Date.IsZero() {
			date = r.Date.String()
		}
		says := r.StatusText
		if r.Reason != "" && r.Reason != r.StatusText {
			says += ": " + r.Reason
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.CustomerID, r.Invoice, status, date, says,
			strings.Join(r.Documents, ", "), strings.Join(r.Effects, "; "))
	}
	w.Flush()
	fmt.Fprintf(a.env.Stdout, "%d customers, %d invoices: %d documents saved, %d payment-advised, %d disputed, %d tasks\n",
		sum.Customers, len(sum.Invoices), sum.Documents, sum.Advised, sum.Disputed, sum.Tasks)
	return err
}
