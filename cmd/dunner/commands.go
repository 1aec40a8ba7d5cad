package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/dunnerhq/dunner/agent"
	"github.com/dunnerhq/dunner/connectors/ledger"
	"github.com/dunnerhq/dunner/jobs"
)

func (a *app) printJSON(v any) error {
	enc := json.NewEncoder(a.env.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func (a *app) cmdMigrate(args []string) error {
	if _, err := parse(flag.NewFlagSet("migrate", flag.ContinueOnError), args); err != nil {
		return err
	}
	// Opening the store applies the embedded migrations.
	if err := a.open(); err != nil {
		return err
	}
	fmt.Fprintln(a.env.Stdout, "database schema is up to date")
	return nil
}

func (a *app) cmdRun(args []string) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	var asOf dateFlag
	fs.Var(&asOf, "as-of", "plan as of this date (YYYY-MM-DD)")
	dry := fs.Bool("dry-run", false, "print the plan, write nothing")
	asJSON := fs.Bool("json", false, "print the plan as JSON")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("run: unexpected argument %q", pos[0])
	}
	if err := a.open(); err != nil {
		return err
	}
	if *dry && *asJSON {
		// Streamed: a dry run over a whole ledger prints hundreds of MB.
		date := asOf.d
		if date.IsZero() {
			date = a.dun.Today()
		}
		enc := agent.NewPlanEncoder(a.env.Stdout, date)
		plan, err := a.dun.Plan(a.ctx, asOf.d, enc.Notice)
		if err != nil {
			return err
		}
		return enc.Close(plan)
	}
	if *dry {
		plan, err := a.dun.Plan(a.ctx, asOf.d, nil)
		if err != nil {
			return err
		}
		a.printPlan(plan)
		return nil
	}
	plan, sum, err := a.dun.Run(a.ctx, asOf.d)
	if err != nil {
		return err
	}
	if *asJSON {
		return a.printJSON(plan)
	}
	a.printPlan(plan)
	fmt.Fprintf(a.env.Stdout, "drafts: %d held for review, %d approved, %d unchanged, %d superseded; %d escalation tasks\n",
		sum.Drafted, sum.Approved, sum.Kept, sum.Superseded, sum.Escalations)
	return nil
}

// printPlan is the human summary of a run.
func (a *app) printPlan(p *agent.Plan) {
	w := tabwriter.NewWriter(a.env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "dunning run as of %s\n", p.AsOf)
	for _, n := range p.Notices {
		var totals []string
		for _, t := range n.Totals {
			totals = append(totals, agent.FormatAmount(t.Overdue, t.Currency)+" "+t.Currency)
		}
		hold := ""
		if n.Hold {
			hold = " (review)"
		}
		fmt.Fprintf(w, "notice\t%s\tlevel %d%s\t%s\t%d items\t%s\n", n.CustomerID, n.Level, hold, n.Language,
			len(n.Items), strings.Join(totals, " + "))
	}
	for _, n := range p.Upcoming {
		fmt.Fprintf(w, "upcoming\t%s\t\t%s\t%d items\t\n", n.CustomerID, n.Language, len(n.Items))
	}
	for _, e := range p.Escalations {
		fmt.Fprintf(w, "escalate\t%s\tlevel %d\t\t%d items\t\n", e.CustomerID, e.Level, len(e.Items))
	}
	for _, s := range p.Skipped {
		fmt.Fprintf(w, "skipped\t%s\t%s\t\t\t\n", s.CustomerID, s.Reason)
	}
	w.Flush()
	fmt.Fprintf(a.env.Stdout, "%d notices, %d upcoming reminders, %d escalations, %d skipped\n",
		len(p.Notices), len(p.Upcoming), len(p.Escalations), len(p.Skipped))
}

func (a *app) cmdSend(args []string) error {
	fs := flag.NewFlagSet("send", flag.ContinueOnError)
	var asOf dateFlag
	fs.Var(&asOf, "as-of", "send as of this date (YYYY-MM-DD)")
	lease := fs.Duration("lease", 0, "settle drafts left in 'sending' for longer than this by a dead sender (default 10m)")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("send: unexpected argument %q", pos[0])
	}
	if err := a.open(); err != nil {
		return err
	}
	sum, err := a.send(asOf.d, *lease)
	fmt.Fprintf(a.env.Stdout, "sent %d, withdrawn %d, back to review %d, retrying %d, failed %d, uncertain %d, "+
		"outside send window %d, recovered %d\n", sum.Delivered, sum.Withdrawn, sum.Returned, sum.Retrying, sum.Failed,
		sum.Uncertain, sum.Waiting, sum.Recovered)
	return err
}

// send runs one delivery pass with the configured mailer.
func (a *app) send(asOf agent.Date, lease time.Duration) (jobs.SendSummary, error) {
	m, opts, err := a.mailer()
	if err != nil {
		return jobs.SendSummary{}, err
	}
	if c, ok := m.(io.Closer); ok {
		defer c.Close()
	}
	a.dun.Mailer = m
	if lease > 0 {
		opts.Lease = lease
	} else if lease < 0 {
		opts.Lease = time.Nanosecond // settle at once: no other sender runs
	}
	return a.dun.Send(a.ctx, asOf, opts)
}

// progressReader reports how far a large import has read, on a terminal only.
type progressReader struct {
	r     io.Reader
	w     io.Writer
	name  string
	size  int64
	read  int64
	shown int64
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.read += int64(n)
	if p.read-p.shown >= 8<<20 || (err == io.EOF && p.shown > 0) {
		p.shown = p.read
		fmt.Fprintf(p.w, "\r%s: %d%% (%d MB)", p.name, p.read*100/max(p.size, 1), p.read>>20)
		if err == io.EOF {
			fmt.Fprintln(p.w)
		}
	}
	return n, err
}

func (a *app) openInput(path string) (io.Reader, func(), error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, usagef("%v", err)
	}
	var r io.Reader = f
	if st, err := f.Stat(); err == nil && st.Size() > 32<<20 && isTerminal(a.env.Stderr) {
		r = &progressReader{r: f, w: a.env.Stderr, name: filepath.Base(path), size: st.Size()}
	}
	return r, func() { f.Close() }, nil
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func (a *app) cmdImportLedger(args []string) error {
	fs := flag.NewFlagSet("import ledger", flag.ContinueOnError)
	format := fs.String("format", "", "csv, sap-fbl5n or json (default: from the file)")
	entity := fs.String("entity", "default", "the legal entity this snapshot belongs to")
	allowEmpty := fs.Bool("allow-empty", false, "accept a file with no rows (closes every item of the entity)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("import ledger: want exactly one FILE")
	}
	switch *format {
	case "", "csv", "sap-fbl5n", "json":
	default:
		return usagef("import ledger: --format: want csv, sap-fbl5n or json, got %q", *format)
	}
	if err := a.open(); err != nil {
		return err
	}
	st, err := a.importLedger(pos[0], *format, *entity, *allowEmpty)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.env.Stdout, "%s: %d rows: %d added, %d updated, %d unchanged, %d reopened, %d closed\n",
		pos[0], st.Rows, st.Added, st.Updated, st.Unchanged, st.Reopened, st.Closed)
	return nil
}

func (a *app) importLedger(path, format, entity string, allowEmpty bool) (agent.ImportStats, error) {
	r, done, err := a.openInput(path)
	if err != nil {
		return agent.ImportStats{}, err
	}
	defer done()
	items, err := ledger.ReadLedger(r, path, format, entity, allowEmpty)
	if err != nil {
		return agent.ImportStats{}, err
	}
	return a.store.ImportLedger(a.ctx, entity, items, a.env.Clock.Now())
}

func (a *app) cmdImportCustomers(args []string) error {
	pos, err := parse(flag.NewFlagSet("import customers", flag.ContinueOnError), args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("import customers: want exactly one FILE")
	}
	if err := a.open(); err != nil {
		return err
	}
	n, changed, err := a.importCustomers(pos[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(a.env.Stdout, "%s: %d customers, %d changed\n", pos[0], n, changed)
	return nil
}

func (a *app) importCustomers(path string) (int, int, error) {
	r, done, err := a.openInput(path)
	if err != nil {
		return 0, 0, err
	}
	defer done()
	recs, err := ledger.ReadCustomers(r, path)
	if err != nil {
		return 0, 0, err
	}
	// A master record naming a policy the config does not have would make
	// the customer impossible to dun; refuse it at the door.
	bad := &agent.InputError{}
	for _, rec := range recs {
		if rec.Policy != "" && a.dun.Policies[rec.Policy] == nil {
			bad.Add(path, rec.Line, "policy", "no policy %q in %s", rec.Policy, a.cfg.Path)
		}
	}
	if err := bad.Err(); err != nil {
		return 0, 0, err
	}
	changed, err := a.store.ImportCustomers(a.ctx, recs, a.env.Clock.Now())
	return len(recs), changed, err
}

func (a *app) cmdItemsList(args []string) error {
	fs := flag.NewFlagSet("items list", flag.ContinueOnError)
	customer := fs.String("customer", "", "only this customer")
	var asOf dateFlag
	fs.Var(&asOf, "as-of", "state as of this date")
	asJSON := fs.Bool("json", false, "print JSON")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("items list: unexpected argument %q", pos[0])
	}
	if err := a.open(); err != nil {
		return err
	}
	if *asJSON {
		// Streamed as one array so a million items never sit in memory.
		w := a.env.Stdout
		fmt.Fprint(w, "[")
		first := true
		err := a.dun.Items(a.ctx, *customer, asOf.d, func(v jobs.ItemView) error {
			b, err := json.Marshal(v)
			if err != nil {
				return err
			}
			if !first {
				fmt.Fprint(w, ",")
			}
			first = false
			_, err = fmt.Fprintf(w, "\n  %s", b)
			return err
		})
		fmt.Fprintln(w, "\n]")
		return err
	}
	tw := tabwriter.NewWriter(a.env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CUSTOMER\tINVOICE\tTYPE\tDUE\tOPEN\tLEVEL\tSTATE\tWHY")
	err := a.dun.Items(a.ctx, *customer, asOf.d, func(v jobs.ItemView) error {
		_, err := fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s %s\t%d\t%s\t%s\n", v.CustomerID, v.Invoice, v.DocType, v.DueDate,
			agent.FormatAmount(v.OpenAmount, v.Currency), v.Currency, v.State.LastLevel, v.Status, v.Why)
		return err
	})
	tw.Flush()
	return err
}
