package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"text/tabwriter"

	"github.com/dunnerhq/dunner/agent"
)

func (a *app) cmdReport(sub string, args []string) error {
	fs := flag.NewFlagSet("report "+sub, flag.ContinueOnError)
	format := fs.String("format", "table", "table, csv or json")
	var asOf dateFlag
	fs.Var(&asOf, "as-of", "report as of this date")
	days := fs.Int("days", 90, "dso: the sales period in days")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	switch *format {
	case "table", "csv", "json":
	default:
		return usagef("report: --format: want table, csv or json, got %q", *format)
	}
	if err := a.open(); err != nil {
		return err
	}
	switch sub {
	case "aging":
		ag, err := a.dun.Aging(a.ctx, asOf.d)
		if err != nil {
			return err
		}
		header := append(append([]string{"currency"}, agent.AgingBuckets...), "total", "credits")
		var rows [][]string
		for _, l := range ag.Lines() {
			row := []string{l.Currency}
			for _, b := range l.Buckets {
				row = append(row, agent.FormatAmount(b, l.Currency))
			}
			rows = append(rows, append(row, agent.FormatAmount(l.Total, l.Currency), agent.FormatAmount(l.Credits, l.Currency)))
		}
		return a.table(*format, header, rows, ag.AsOf)
	case "dso":
		lines, err := a.dun.DSO(a.ctx, asOf.d, *days)
		if err != nil {
			return err
		}
		if *format == "json" {
			if lines == nil {
				return a.encode([]struct{}{})
			}
			return a.encode(lines)
		}
		header := []string{"currency", "open", "invoiced", "days", "dso"}
		var rows [][]string
		for _, l := range lines {
			dso := "n/a"
			if l.DSO != nil {
				dso = l.DSO.String()
			}
			rows = append(rows, []string{l.Currency, agent.FormatAmount(l.Open, l.Currency),
				agent.FormatAmount(l.Invoiced, l.Currency), fmt.Sprint(l.Days), dso})
		}
		return a.table(*format, header, rows, 0)
	}
	return usagef("report: unknown report %q (aging, dso)", sub)
}

// table prints rows as an aligned table, CSV, or JSON objects.
func (a *app) table(format string, header []string, rows [][]string, asOf agent.Date) error {
	switch format {
	case "csv":
		w := csv.NewWriter(a.env.Stdout)
		w.Write(header)
		w.WriteAll(rows)
		return w.Error()
	case "json":
		out := make([]map[string]string, 0, len(rows))
		for _, r := range rows {
			m := map[string]string{}
			for i, h := range header {
				m[h] = r[i]
			}
			out = append(out, m)
		}
		if asOf.IsZero() {
			return a.encode(out)
		}
		return a.encode(map[string]any{"as_of": asOf.String(), "lines": out})
	}
	tw := tabwriter.NewWriter(a.env.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	for i, h := range header {
		if i > 0 {
			fmt.Fprint(tw, "\t")
		}
		fmt.Fprint(tw, h)
	}
	fmt.Fprintln(tw, "\t")
	for _, r := range rows {
		for i, c := range r {
			if i > 0 {
				fmt.Fprint(tw, "\t")
			}
			fmt.Fprint(tw, c)
		}
		fmt.Fprintln(tw, "\t")
	}
	return tw.Flush()
}
