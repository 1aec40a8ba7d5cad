package main

import (
	"flag"
	"fmt"
	"path/filepath"
	"text/tabwriter"

	"github.com/dunnerhq/dunner/agent"
	"github.com/dunnerhq/dunner/templates"
)

func (a *app) cmdTemplates(sub string, args []string) error {
	fs := flag.NewFlagSet("templates "+sub, flag.ContinueOnError)
	customer := fs.String("customer", "", "preview: the customer whose name and overrides to use")
	name := fs.String("template", "", "preview: template name, e.g. reminder1")
	lang := fs.String("lang", "", "preview: en, es or de (default: the customer's)")
	part := fs.String("part", "text", "preview: subject, text or html")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if err := a.open(); err != nil {
		return err
	}
	switch sub {
	case "lint":
		problems := a.dun.Renderer.Lint()
		// Every template a policy or customer names must exist.
		have := map[string]bool{}
		for _, n := range a.dun.Renderer.Names() {
			have[n] = true
		}
		for pname, p := range a.dun.Policies {
			for _, l := range p.Levels {
				if l.Template != "" && !have[l.Template] {
					problems = append(problems, agent.Problem{File: a.cfg.Path, Field: "policies." + pname,
						Msg: fmt.Sprintf("template %q does not exist", l.Template)})
				}
			}
		}
		for id, c := range a.dun.Configured {
			for from, to := range c.Templates {
				if !have[to] {
					problems = append(problems, agent.Problem{File: a.cfg.Path, Field: "customers." + id + ".templates." + from,
						Msg: fmt.Sprintf("template %q does not exist", to)})
				}
			}
		}
		if len(problems) > 0 {
			return &agent.InputError{Problems: problems}
		}
		fmt.Fprintf(a.env.Stdout, "%d templates ok\n", len(have))
		return nil
	case "preview":
		if *name == "" {
			return usagef("templates preview: --template is required")
		}
		tmpl := *name
		l := *lang
		policy := a.dun.Defaults.Policy
		var c *agent.Customer
		if *customer != "" {
			recs, err := a.store.CustomerRecords(a.ctx)
			if err != nil {
				return err
			}
			rc, err := agent.Resolve(*customer, recs[*customer], a.dun.Configured[*customer], a.dun.Defaults)
			if err != nil {
				return usagef("%v", err)
			}
			c = &rc
			policy = c.Policy
			if l == "" {
				l = c.Language
			}
		}
		if l == "" {
			l = "en"
		}
		if !agent.ValidLanguage(l) {
			return usagef("templates preview: --lang: want en, es or de, got %q", l)
		}
		d := previewData(a.dun.Policies[policy], tmpl, l)
		d.Company = a.dun.Company
		if c != nil {
			d.Notice.CustomerID, d.Notice.CustomerName = c.ID, c.Name
			d.Notice.To = c.Recipients()
			if o := c.Templates[tmpl]; o != "" {
				tmpl = o
			}
		}
		d.Notice.Language = l
		msg, err := a.dun.Renderer.Render(tmpl, l, d)
		if err != nil {
			return usagef("%v", err)
		}
		switch *part {
		case "subject":
			fmt.Fprintln(a.env.Stdout, msg.Subject)
		case "html":
			fmt.Fprintln(a.env.Stdout, msg.HTML)
		default:
			fmt.Fprintf(a.env.Stdout, "Subject: %s\n\n%s\n", msg.Subject, msg.Text)
		}
		return nil
	}
	return usagef("templates: unknown subcommand %q", sub)
}

// previewData is sample data shaped by the policy's use of the template:
// the upcoming reminder's kind, or the level's number, fee and interest,
// so a preview of reminder1 shows no fee that only the final notice
// charges. A template the policy does not use gets the full sample.
func previewData(p *agent.Policy, tmpl, lang string) templates.Data {
	if p != nil {
		if p.Upcoming != nil && p.Upcoming.Template == tmpl {
			return templates.SampleUpcoming(lang)
		}
		for _, lv := range p.Levels {
			if lv.Template == tmpl && lv.Action == "" {
				return templates.SampleLevel(lang, lv.Level, tmpl, lv.Fee, lv.Interest)
			}
		}
	}
	return templates.Sample(lang)
}

func (a *app) cmdJobs(sub string, args []string) error {
	if err := a.loadConfig(); err != nil {
		return err
	}
	switch sub {
	case "list":
		w := tabwriter.NewWriter(a.env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "NAME\tSCHEDULE\tDOES")
		fmt.Fprintf(w, "plan\t%s\tplan notices and write drafts (dunner run)\n", a.cfg.Schedule.Plan)
		fmt.Fprintf(w, "send\t%s\tdeliver approved drafts that are due (dunner send)\n", a.cfg.Schedule.Send)
		fmt.Fprintf(w, "mail\t%s\tread the shared mailboxes and act (dunner mail poll)\n", a.cfg.Schedule.Mail)
		fmt.Fprintf(w, "portals\t%s\tvisit the customers' AP portals: statuses and documents (dunner portal sync)\n",
			a.cfg.Schedule.Portals)
		return w.Flush()
	case "run":
		if len(args) < 1 {
			return usagef("jobs run: want a job name (plan, send, mail, portals)")
		}
		switch args[0] {
		case "plan":
			return a.cmdRun(args[1:])
		case "send":
			return a.cmdSend(args[1:])
		case "mail":
			return a.cmdMail("poll", args[1:])
		case "portals":
			return a.cmdPortal("sync", args[1:])
		}
		return usagef("jobs run: unknown job %q (plan, send, mail, portals)", args[0])
	}
	return usagef("jobs: unknown subcommand %q", sub)
}

// cmdDemo is the README's first command: load the demo data, run the demo
// date, deliver what needs no review into the outbox and leave the rest in
// the review queue.
func (a *app) cmdDemo(args []string) error {
	if _, err := parse(flag.NewFlagSet("demo", flag.ContinueOnError), args); err != nil {
		return err
	}
	if err := a.open(); err != nil {
		return err
	}
	demo := a.cfg.Demo
	if demo.Ledger == "" || demo.Customers == "" {
		return usagef("demo: %s has no demo: section (ledger, customers, as_of)", a.cfg.Path)
	}
	n, _, err := a.importCustomers(a.resolve(demo.Customers))
	if err != nil {
		return err
	}
	st, err := a.importLedger(a.resolve(demo.Ledger), "", "default", false)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.env.Stdout, "imported %d customers and %d open items\n", n, st.Rows)
	history := demo.History
	if existing, err := a.store.Drafts(a.ctx, agent.DraftFilter{}); err != nil {
		return err
	} else if len(existing) > 0 {
		history = nil // replayed by an earlier demo; replaying again would rewrite today's drafts
	}
	for _, day := range history {
		_, hs, err := a.dun.Run(a.ctx, day)
		if err != nil {
			return err
		}
		if _, err := a.dun.ApproveAll(a.ctx, "demo"); err != nil {
			return err
		}
		sent, err := a.send(day, 0)
		if err != nil {
			return err
		}
		fmt.Fprintf(a.env.Stdout, "history %s: %d drafts, %d escalations, %d sent\n", day, hs.Drafted+hs.Approved,
			hs.Escalations, sent.Delivered)
	}
	fmt.Fprintln(a.env.Stdout)
	plan, sum, err := a.dun.Run(a.ctx, demo.AsOf)
	if err != nil {
		return err
	}
	a.printPlan(plan)
	sent, err := a.send(demo.AsOf, 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.env.Stdout, "\n%d notices approved at once and written to %s (%d this time)\n", sum.Approved, a.cfg.OutboxDir(), sent.Delivered)
	fmt.Fprintf(a.env.Stdout, "%d drafts wait for review: dunner serve (the review UI on http://%s), or dunner drafts list;\n"+
		"dunner drafts approve ID; dunner send --as-of %s\n", sum.Drafted, a.cfg.Web.Listen, demo.AsOf)
	return nil
}

// resolve reads a path from the config relative to the config's directory.
func (a *app) resolve(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(a.cfg.Dir, p)
}
